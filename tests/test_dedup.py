from __future__ import annotations

import random
import time

import pytest
from rapidfuzz import fuzz

from atelier.extract.records import Contribution
from atelier.nlp.dedup import (
    ClusterSummary,
    DedupSettings,
    cluster_texts,
    deduplicate_contributions,
    similar_pairs,
    summarize_clusters,
)
from atelier.nlp.language import normalize_for_match

CONSEQUENCES = "Lutter contre les inégalités sociales et leurs conséquences"
CONSEQUENCE = "Lutter contre les inégalités sociales et leurs conséquence"
BUTEAUD = "Construction d'un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Buteaud"
BOUTEAUD = "Construire un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Bouteaud"
WASTE_ECONOMIC = "Durcir la réglementation sur les déchets d'activités économiques"
WASTE_MANAGEMENT = "Durcir la réglementation sur la gestion des déchets"

# Post-its of the seed report's annex, with its repetitions and variants.
SEED_POSTITS = [
    CONSEQUENCE,
    "Faire en sorte de ne pas aggraver les inégalités sociales à travers le Plan Climat et l'A21",
    "Tenir compte de la diversité des populations par âge, catégories professionnelles",
    "L'accessibilité et l'accès aux droits : logements, transports, éducation, emploi et les actions positives pour l'égalité",
    "Développement durable : miroir aux alouettes en terme de social",
    CONSEQUENCES,
    "Faire en sorte de ne pas aggraver les inégalités sociales à travers le Plan Climat et l'A21",
    "L'accessibilité et l'accès aux droits : logement, transport, éducation, emploi et les actions positives pour l'égalité",
    "Développer des jardins familiaux",
    "Développer les jardins familiaux",
    "Égalité homme/femme, parité",
    "égalité homme/femme : dans l'accès à l'emploi, dans la rémunération",
]


def contribution(index: int, text: str, document: str = "a.pdf", **fields) -> Contribution:
    return Contribution(
        idea_id=f"{document}-{index:03d}",
        document=document,
        document_sha256="0" * 64,
        page=1,
        kind=fields.pop("kind", "postit"),
        text=text,
        **fields,
    )


def test_normalize_for_match():
    assert normalize_for_match("  L’Accès\u00a0aux   droits ") == "l'acces aux droits"
    assert normalize_for_match("réseau « Ville santé OMS »") == normalize_for_match('Réseau "Ville Santé OMS"')
    assert normalize_for_match("Mise en œuvre – suivi") == "mise en oeuvre - suivi"
    assert normalize_for_match("ÉCOLES") == "ecoles"


def test_near_duplicates_merge_and_different_ideas_do_not():
    labels = cluster_texts([CONSEQUENCES, CONSEQUENCE, BUTEAUD, BOUTEAUD, WASTE_ECONOMIC, WASTE_MANAGEMENT])
    assert labels[0] == labels[1]
    assert labels[2] == labels[3]
    assert labels[4] != labels[5]
    assert len(set(labels)) == 4
    assert labels == [0, 0, 1, 1, 2, 3]  # numbered by first appearance


def test_exact_duplicates_after_normalisation():
    labels = cluster_texts(["Santé", "santé", "SANTE ", "Santé publique", "Égalité", "Egalite"])
    assert labels == [0, 0, 0, 1, 2, 2]


def test_seed_postits():
    labels = cluster_texts(SEED_POSTITS)
    assert labels[0] == labels[5]  # conséquence / conséquences
    assert labels[1] == labels[6]  # repeated post-it
    assert labels[3] == labels[7]  # logements, transports / logement, transport
    assert labels[8] == labels[9]  # des / les jardins familiaux
    assert labels[10] != labels[11]
    assert len(set(labels)) == 8


def test_different_numbers_are_different_ideas():
    labels = cluster_texts(
        ["Atteindre 25 % de logement social dans chaque commune", "Atteindre 20 % de logement social dans chaque commune"]
    )
    assert labels == [0, 1]
    relaxed = DedupSettings(require_same_numbers=False)
    assert cluster_texts(
        ["Atteindre 25 % de logement social dans chaque commune", "Atteindre 20 % de logement social dans chaque commune"],
        relaxed,
    ) == [0, 0]


def test_short_texts_merge_only_when_identical():
    assert cluster_texts(["Rôle des élus", "Rôle des élues"]) == [0, 1]
    assert cluster_texts(["Rôle des élus", "Rôle des élues"], DedupSettings(min_fuzzy_length=5)) == [0, 0]


def test_no_chaining_through_a_middle_text():
    first = "Organiser des rencontres entre les habitants et les élus du quartier"
    middle = "Organiser des rencontres entre des habitants et des élus de quartier"
    last = "Organiser une rencontre avec des habitants et des élus de quartier"
    score = lambda a, b: fuzz.ratio(normalize_for_match(a), normalize_for_match(b))  # noqa: E731
    assert score(first, middle) >= 90 and score(middle, last) >= 90
    assert score(first, last) < 90
    labels = cluster_texts([first, middle, last])
    assert labels[0] != labels[2]
    assert labels[0] == labels[1]  # the longest founds the cluster and takes its close variant


def test_similar_pairs_blocks_give_the_same_pairs_as_a_full_comparison():
    random.seed(3)
    words = "habitants quartier emploi entreprise santé logement transport énergie précarité citoyen".split()
    base = [" ".join(random.choice(words) for _ in range(random.randint(3, 9))) for _ in range(300)]
    texts = base + [text[:-1] for text in base[:100]]  # near-duplicates
    strings = [normalize_for_match(text) for text in dict.fromkeys(texts)]
    blocked = similar_pairs(strings, DedupSettings(block_size=7))
    settings = DedupSettings()
    full = sorted(
        (i, j)
        for i in range(len(strings))
        for j in range(i + 1, len(strings))
        if min(len(strings[i]), len(strings[j])) >= settings.min_fuzzy_length
        and fuzz.ratio(strings[i], strings[j]) >= settings.similarity_threshold
    )
    assert blocked == full
    assert len(full) >= 50


def test_thousands_of_texts_are_fast():
    random.seed(7)
    words = (
        "organiser développer favoriser habitants quartier emploi entreprise santé logement transport énergie "
        "précarité citoyen école jeunes réseau acteurs politique publique durable social cohésion"
    ).split()
    texts = [" ".join(random.choice(words) for _ in range(random.randint(4, 14))) for _ in range(4000)]
    texts += [text.replace("é", "e", 1) for text in texts[:500]]
    start = time.perf_counter()
    labels = cluster_texts(texts)
    elapsed = time.perf_counter() - start
    assert len(labels) == 4500
    assert elapsed < 10.0
    assert all(labels[4000 + i] == labels[i] for i in range(500))


def test_deduplicate_contributions_sets_ids_and_one_canonical_per_cluster():
    items = [contribution(i, text) for i, text in enumerate(SEED_POSTITS)]
    result = deduplicate_contributions(items)
    assert [c.idea_id for c in result] == [c.idea_id for c in items]
    assert all(c.cluster_id is None for c in items)  # inputs untouched
    clusters: dict[str, list[Contribution]] = {}
    for item in result:
        assert item.cluster_id.startswith("c-") and len(item.cluster_id) == 12
        clusters.setdefault(item.cluster_id, []).append(item)
    assert len(clusters) == 8
    for members in clusters.values():
        canonical = [m for m in members if m.canonical]
        assert len(canonical) == 1
        assert len(normalize_for_match(canonical[0].text)) == max(len(normalize_for_match(m.text)) for m in members)
    assert result[0].cluster_id == result[5].cluster_id
    assert result[5].canonical and not result[0].canonical  # "conséquences" is the longer wording
    # Ties (identical wording) go to the first in order.
    assert result[1].canonical and not result[6].canonical


def test_cluster_ids_are_stable():
    items = [contribution(i, text) for i, text in enumerate(SEED_POSTITS)]
    first = [c.cluster_id for c in deduplicate_contributions(items)]
    second = [c.cluster_id for c in deduplicate_contributions(list(items))]
    assert first == second
    other_document = [
        contribution(i, text, document="b.pdf")
        for i, text in enumerate(
            [WASTE_ECONOMIC, WASTE_MANAGEMENT, "Développer le covoiturage entre salariés", BUTEAUD, BOUTEAUD]
        )
    ]
    extended = deduplicate_contributions(items + other_document)
    assert [c.cluster_id for c in extended[: len(items)]] == first
    assert len({c.cluster_id for c in extended[len(items) :]}) == 4
    # Taken whole in another order, identical wordings keep their cluster ids.
    reordered = deduplicate_contributions(other_document + items)
    by_idea = {c.idea_id: c.cluster_id for c in extended}
    assert {c.idea_id: c.cluster_id for c in reordered} == by_idea


def test_an_objective_is_never_merged_with_its_own_action():
    objective = "Lutter contre la précarité énergétique des ménages"
    items = [
        contribution(0, objective, kind="objective"),
        contribution(1, objective + ".", kind="action", objective=objective),
        contribution(2, "Lutter contre la précarité énergétique des ménages", kind="postit", document="b.pdf"),
        contribution(3, "Lutter contre la précarité énergétique des ménage", kind="action", objective=objective),
    ]
    result = deduplicate_contributions(items)
    assert result[0].cluster_id == result[2].cluster_id  # same post-it elsewhere: a duplicate
    assert result[1].cluster_id != result[0].cluster_id
    assert result[3].cluster_id != result[0].cluster_id
    assert result[1].cluster_id == result[3].cluster_id  # two wordings of the same action
    assert sum(c.canonical for c in result) == 2


def test_objective_and_action_with_the_very_same_text_get_distinct_ids():
    text = "Favoriser la participation citoyenne des nouveaux arrivants"
    items = [
        contribution(0, text, kind="objective"),
        contribution(1, text, kind="action", objective=text),
    ]
    result = deduplicate_contributions(items)
    assert result[0].cluster_id != result[1].cluster_id
    assert result[0].canonical and result[1].canonical
    assert [c.cluster_id for c in deduplicate_contributions(items)] == [c.cluster_id for c in result]


def test_summarize_clusters():
    items = [
        contribution(0, CONSEQUENCE, document="b.pdf", axis="4", axis_label="Inégalités"),
        contribution(1, CONSEQUENCES, document="a.pdf", axis="4", axis_label="Inégalités"),
        contribution(2, CONSEQUENCES, document="b.pdf", kind="objective", axis="1", axis_label="Politiques"),
        contribution(3, WASTE_ECONOMIC, document="a.pdf"),
    ]
    summaries = summarize_clusters(deduplicate_contributions(items))
    assert len(summaries) == 2
    first, second = summaries
    assert isinstance(first, ClusterSummary)
    assert first.size == 3 and first.canonical_text == CONSEQUENCES
    assert first.axis == "4" and first.axis_label == "Inégalités"
    assert first.documents == ("a.pdf", "b.pdf")
    assert first.kinds == ("objective", "postit")
    assert first.idea_ids == ("b.pdf-000", "a.pdf-001", "b.pdf-002")
    assert (second.size, second.axis, second.documents) == (1, None, ("a.pdf",))


def test_summarize_needs_cluster_ids():
    with pytest.raises(ValueError, match="deduplicate_contributions"):
        summarize_clusters([contribution(0, "x")])


def test_settings_are_validated():
    with pytest.raises(ValueError):
        DedupSettings(similarity_threshold=0)
    with pytest.raises(ValueError):
        DedupSettings(scorer="partial_ratio")  # type: ignore[arg-type]
