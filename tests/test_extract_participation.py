from atelier.extract.participation import participation_statistics

SEED_PROSE = [
    "Au cours des 3 sessions, se sont 60 personnes qui ont participé à l'atelier de co-construction.",
    "La première session avait accueilli 49 participants, la seconde 29 et la troisième 20.",
    "En ce qui concerne la fidélisation des acteurs, sur les 60 participants, 28 ont assisté à au moins deux sessions, ce qui représente 47% du total des participations.",
    "On note des profils des participants divers : citoyens, agents des villes de Toulouse.",
]


def test_seed_report_figures():
    assert participation_statistics(SEED_PROSE) == {
        "participants_stated": 60,
        "participants_session_1": 49,
        "participants_session_2": 29,
        "participants_session_3": 20,
        "participants_returning": 28,
    }


def test_prose_without_figures_gives_nothing():
    assert participation_statistics(["Les participants ont regretté l'absence de certains acteurs, 47% du total."]) == {}
