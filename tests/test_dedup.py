"""Deduplication: the three levels, hard negatives, clusters without chaining, stable ids, the
labelled pairs of the seed report (tests/labels/dedup_pairs.csv) and candidate blocking."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
import spacy
from rapidfuzz import fuzz

from atelier.extract.records import Contribution
from atelier.nlp.dedup import (
    ClusterMember,
    ClusterSummary,
    _objective_key,
    cluster_texts,
    compare_texts,
    deduplicate_contributions,
    pairwise_counts,
    prepare_comparisons,
    similar_pairs,
    summarize_clusters,
)
from atelier.nlp.dedup_candidates import _blocks, _sharing_key, _variant_keys, _word_groups, candidate_pairs
from atelier.nlp.dedup_pairs import pair_level, verified_level
from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.dedup_text import (
    TextAnalyzer,
    abbreviations_spelt_out,
    is_derived,
    is_typo,
    signed,
    without_framing,
)
from atelier.nlp.language import is_placeholder, normalize_for_match
from atelier.nlp.masking import masked_mentions, masked_names, masked_people, masked_writers
from atelier.nlp.people import recognised_people

PAIRS = Path(__file__).parent / "labels" / "dedup_pairs.csv"
WRITTEN_PAIRS = Path(__file__).parent / "labels" / "dedup_pairs_written.csv"

CONSEQUENCES = "Lutter contre les inégalités sociales et leurs conséquences"
CONSEQUENCE = "Lutter contre les inégalités sociales et leurs conséquence"
BUTEAUD = "Construction d'un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Buteaud"
BOUTEAUD = "Construire un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Bouteaud"
WASTE_ECONOMIC = "Durcir la réglementation sur les déchets d'activités économiques"
WASTE_MANAGEMENT = "Durcir la réglementation sur la gestion des déchets"
MILLIONS_SHORT = "Consacrer 10M€ à la rénovation thermique des logements sociaux"
MILLIONS_LONG = "Consacrer 10 millions d'euros à la rénovation thermique des logements sociaux"
DD_SHORT = "Inciter à la formation continue des salariés dans les entreprises sur les évolutions liées au DD"
DD_LONG = "Inciter à la formation continue des salariés dans les entreprises sur les évolutions liées au Développement durable"

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
        page=fields.pop("page", 1),
        kind=fields.pop("kind", "postit"),
        text=text,
        **fields,
    )


def load_pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pair_records(rows):
    """Two records per labelled pair, of the seed report, each of the kind it has there (`kind_a`,
    `kind_b`: a post-it, or an objective or action of its tables); an objective and its own
    action when so marked."""
    records = []
    for row in rows:
        own = row["relation"] == "objective_action"
        records.append(contribution(0, row["text_a"], document="seed.pdf", kind=row["kind_a"]))
        records.append(
            contribution(
                0, row["text_b"], document="seed.pdf", kind=row["kind_b"], objective=row["text_a"] if own else ""
            )
        )
    return records


def predicted_together(rows, nlp=None) -> list[bool]:
    result = deduplicate_contributions(pair_records(rows), DedupSettings(), nlp)
    return [result[2 * k].cluster_id == result[2 * k + 1].cluster_id for k in range(len(rows))]


def precision_recall(rows, together) -> tuple[float, float]:
    tp = sum(t and r["label"] == "1" for r, t in zip(rows, together, strict=True))
    fp = sum(t and r["label"] == "0" for r, t in zip(rows, together, strict=True))
    fn = sum(not t and r["label"] == "1" for r, t in zip(rows, together, strict=True))
    return tp / (tp + fp), tp / (tp + fn)


def together(first: str, second: str, nlp) -> bool:
    """Whether two texts deduplicated alone land in one cluster."""
    labels = cluster_texts([first, second], nlp=nlp)
    return labels[0] == labels[1]


# ---------------------------------------------------------------- levels


def test_normalize_for_match():
    assert normalize_for_match("  L’Accès\u00a0aux   droits ") == "l'acces aux droits"
    assert normalize_for_match("réseau « Ville santé OMS »") == normalize_for_match('Réseau "Ville Santé OMS"')
    assert normalize_for_match("Mise en œuvre – suivi") == "mise en oeuvre - suivi"
    assert normalize_for_match("ÉCOLES") == "ecoles"
    # A long answer is folded by its distinct characters, as a short text letter by letter.
    words = ["Écoles", "crèche", "l’été", "Ёлка", "naïve", "a\u0301", "x\u20d0", "①", "[^\\]-"]
    long = " ".join(words * 40)
    assert len(long) > 200 and normalize_for_match(long) == " ".join(normalize_for_match(word) for word in words * 40)
    assert normalize_for_match(long).startswith("ecoles creche l'ete елка naive a x 1 [^\\]-")


@pytest.mark.parametrize("text", ["NA", "n/a", "N.A.", "-", "?", "…", "RAS", "Néant", "Sans objet", "x", "Aucune."])
def test_fillers_of_forms_hold_no_idea(text):
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["Nantes", "Rien ne change", "Aucune voiture en ville", "5", "Idem", "Vélo"])
def test_short_ideas_are_no_fillers(text):
    assert not is_placeholder(text)


def test_exact_duplicates_after_normalisation():
    labels = cluster_texts(["Santé", "santé", "SANTE ", "Santé publique", "Égalité", "Egalite", "Égalité !"])
    assert labels == [0, 0, 0, 1, 2, 2, 2]
    assert compare_texts("Dans les lieux publics, afficher les bonnes pratiques", "dans les lieux publics afficher les bonnes pratiques.")[0] == "exact"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (CONSEQUENCES, CONSEQUENCE),  # plural
        (BUTEAUD, BOUTEAUD),  # misspelt name, nominalised verb
        (MILLIONS_SHORT, MILLIONS_LONG),  # amount abbreviated
        (MILLIONS_LONG.replace("10 millions d'euros", "10 000 000 €"), MILLIONS_SHORT),  # in digits
        (MILLIONS_LONG.replace("10 millions d'euros", "2 500 k€"), MILLIONS_LONG.replace("10", "2,5")),  # other unit
        (DD_SHORT, DD_LONG),  # abbreviation expanded
        ("Créer une maison de santé pluridisciplinaire", "Créer une maison de santé pluri-disciplinaire"),
        (
            "Engager une réflexion sur les prestataires mandatés sur la réalisation des projets de rénovation",
            "La CUGT doit engager une réflexion sur les prestataires mandatés sur la réalisation des projets de rénovation",
        ),
        (
            "Cartographier des dispositifs A21 et d'Analyse des Besoins Sociaux à l'échelle de la CUGT.",
            "Cartographier les dispositifs A21 et Analyse des Besoins Sociaux (diagnostic social annuel obligatoire) à l'échelle de la CUGT.",
        ),  # the aside is left out
        ("Mobiliser les acteurs du quartier", "Mboiliser les acteurs du quartier"),  # swapped letters
    ],
)
def test_near_identical_without_spacy(first, second):
    assert compare_texts(first, second)[0] == "near"
    labels = cluster_texts([first, second])
    assert labels[0] == labels[1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (WASTE_ECONOMIC, WASTE_MANAGEMENT),
        ("Adhésion de la CUGT au réseau « Ville santé OMS »", "adhésion de la CUGT au réseau « Ville active » du PNNS"),
        (
            "Comment prévenir convenablement les risques liés à une alimentation déséquilibrée ?",
            "Comment prévenir convenablement les risques naturels, industriels et technologiques ?",
        ),
        (
            "Organiser des rencontres entre les habitants et les élus",
            "Organiser des rencontres entre les habitants et les commerçants",
        ),
        ("Développer des jardins partagés à Balma", "Développer des jardins partagés à Colomiers"),  # a name replaced
        ("Former les agents", "Fermer les agents"),  # one letter in a short word is another word
        # Merged before: opposite positions ("pour" a stop word, "moins" a word the other text lacks),
        # amounts in other units (the exact key had neither sign), filler words counted as content
        # ("chaque", "d'ici"), and words sharing seven letters taken for one family.
        ("Pour la taxe carbone sur les poids lourds", "Contre la taxe carbone sur les poids lourds"),
        ("Plus de voitures en centre-ville", "Moins de voitures en centre-ville"),
        ("Réduire de 10 % le budget de la culture", "Réduire de 10 € le budget de la culture"),
        (
            "Installer des bornes de recharge dans chaque commune d'ici 2030",
            "Installer des bornes de recharge dans les entreprises d'ici 2030",
        ),
        ("Former les professeurs au développement durable", "Former les professionnels au développement durable"),
        ("Renforcer la politique communale de l'habitat", "Renforcer la politique communautaire de l'habitat"),
    ],
)
def test_hard_negatives_stay_apart(first, second, french_nlp):
    assert compare_texts(first, second)[0] is None
    assert compare_texts(first, second, nlp=french_nlp)[0] is None
    assert not together(first, second, french_nlp)


def test_different_numbers_or_negation_are_different_ideas():
    assert cluster_texts(
        ["Atteindre 25 % de logement social dans chaque commune", "Atteindre 20 % de logement social dans chaque commune"]
    ) == [0, 1]
    dated = ["Atteindre 25 % de logement social dans chaque commune", "Atteindre 25 % de logement social dans chaque commune en 2030"]
    assert cluster_texts(dated) == [0, 1]
    assert cluster_texts(dated, DedupSettings(require_same_numbers=False)) == [0, 0]  # the year is one more word
    assert cluster_texts(["Construire des logements sociaux avec jardin", "Construire des logements sociaux sans jardin"]) == [0, 1]
    # A number in an aside ("session 2") is not the idea's.
    assert cluster_texts(
        ["Consolider la concertation avec la CPAM (proposition de la session 2)", "Consolider la concertation avec la CPAM"]
    ) == [0, 0]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Des logements moins chers", True),
        ("Contre la taxe carbone sur les poids lourds", True),
        ("Ne pas augmenter le nombre de places", True),
        ("Organiser au moins une réunion publique par an", False),
        ("Aider les ménages les moins favorisés", False),
        ("Lutter contre la précarité énergétique", False),
        ("Pour la taxe carbone sur les poids lourds", False),
    ],
)
def test_what_turns_an_idea_round(text, negated, french_nlp):
    assert TextAnalyzer(DedupSettings(), french_nlp).unit(text).negated is negated


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # Merged before: the longer text found every word of the shorter (opposite verbs have close
        # vectors: "augmenter"/"réduire" 0.87, as synonyms have), or "plus" and "les" were stop words.
        ("Moins de voitures en centre-ville", "Plus de voitures en centre-ville", False),
        (
            "Augmenter le nombre de places de stationnement en surface dans le centre-ville de Toulouse",
            "Réduire le nombre de places de stationnement en surface dans le centre-ville de Toulouse",
            False,
        ),
        (
            "Limiter l'accès des voitures au centre-ville de Toulouse pendant les heures de pointe",
            "Étendre l'accès des voitures au centre-ville de Toulouse pendant les heures de pointe",
            False,
        ),
        (
            "Commencer la rénovation par les écoles les plus énergivores",
            "Commencer la rénovation par les écoles les moins énergivores",
            False,
        ),
        ("Ouvrir les écoles le mercredi après-midi", "Fermer les écoles le mercredi après-midi", False),
        # One direction, in other words: one idea.
        ("Réduire la place de la voiture en ville", "Diminuer la place de la voiture en ville", True),
        ("Plus de bus le soir dans les quartiers", "Des bus le soir dans les quartiers", True),
    ],
)
def test_ideas_going_opposite_ways_are_different(first, second, same, french_nlp):
    assert (compare_texts(first, second, nlp=french_nlp)[0] is not None) is same


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Stems one letter apart ("mobilit"/"mobilis", "habitant"/"habitat"), or one stem for two
        # nouns ("isolement"/"isolation"): the near-identical level took them for one word.
        ("Favoriser la mobilité des jeunes", "Favoriser la mobilisation des jeunes"),
        ("Enquête auprès des habitants du centre ancien", "Enquête sur l'habitat du centre ancien"),
        ("Isolement des personnes âgées dans leur logement", "Isolation des logements des personnes âgées"),
    ],
)
def test_words_a_letter_apart_once_stemmed_are_not_typos(first, second, french_nlp):
    # (Without spaCy a misspelt word cannot be told from another word: stems a typo apart still match.)
    assert compare_texts(first, second, nlp=french_nlp)[0] is None


def test_texts_without_words_are_told_apart_by_their_signs():
    # They all had the empty key: one cluster of "👍", "👎" and "?".
    assert cluster_texts(["👍", "👎", "?", " 👍 ", "Créer un jardin"]) == [0, 1, 2, 0, 3]


def test_word_families():
    assert is_derived("particip", "participatif") and is_derived("environn", "environnemental")
    assert is_derived("economi", "economiqu")
    assert not is_derived("professeur", "professionnel") and not is_derived("communal", "communautair")
    assert is_derived("participan", "particiant", loose=True)  # a misspelt word: one family at 7 letters
    assert not is_derived("particip", "partager", loose=True)


def test_a_misspelt_word_of_a_family_still_matches(french_nlp):
    first, second = "Soutenir les 60 participans du forum d'ici 2033", "Soutien aux 60 particiants du forum d'ici 2033"
    assert compare_texts(first, second, nlp=french_nlp)[0] is not None


def test_short_texts_merge_only_when_identical():
    assert cluster_texts(["Rôle de l'élu", "Rôle des élus"]) == [0, 1]
    assert cluster_texts(["Rôle de l'élu", "Rôle des élus"], DedupSettings(min_fuzzy_length=5)) == [0, 0]


def test_paraphrase_level_needs_spacy(french_nlp):
    detail = "Sensibiliser les intervenants à domicile sur le repérage des problèmes de précarité énergétique"
    summary = "Sensibiliser les aides à domicile sur le repérage des problèmes énergétiques"
    assert compare_texts(summary, detail)[0] is None
    level, score = compare_texts(summary, detail, nlp=french_nlp)
    assert level == "paraphrase"
    assert score.cosine > 0.9
    long = (
        "Réaliser un répertoire des entreprises et des structures de collectivités touchant au développement durable "
        "sur ses trois composantes (environnement, économique, social) en énumérant leurs compétences spécifiques "
        "ainsi que des compétences externes attendues, ceci sous forme de base de données"
    )
    short = "Réaliser un répertoire des entreprises et des structures (compétences spécifiques / compétences externes attendues)"
    assert compare_texts(short, long, nlp=french_nlp)[0] == "paraphrase"
    labels = cluster_texts([summary, detail, short, long], nlp=french_nlp)
    assert labels == [0, 0, 1, 1]
    # A generic text is not the same idea as a specific one that merely contains its words.
    assert compare_texts(
        "Lutter contre la précarité énergétique",
        "Prendre en compte la place des personnes âgées dans la lutte contre la précarité énergétique et les déplacements",
        nlp=french_nlp,
    )[0] is None
    # settings.paraphrase switches the level off even with nlp.
    assert compare_texts(summary, detail, DedupSettings(paraphrase=False), french_nlp)[0] is None


def test_a_heading_and_the_action_that_spells_it_out(french_nlp):
    """One text is the other plus at most two generic words, in any order (paraphrase level)."""
    assert compare_texts("Mobilité", "Favoriser la mobilité")[0] is None  # without spaCy: exact and near only
    assert compare_texts("Mobilité", "Favoriser la mobilité", nlp=french_nlp)[0] == "paraphrase"
    # A misspelt word has no vector: the same words in another order are still the same idea.
    reordered = ("Cartographier l'habitat d'ici 2020", "D'ici 2020, cartograhpier l'habitat")
    assert compare_texts(*reordered, nlp=french_nlp)[0] == "paraphrase"
    # An abbreviation with a partial expansion, and the action saying a word the abbreviation spells out.
    heading, action = "RSE - Responsabilité sociétale", "Encourager le développement de la RSE dans les entreprises"
    assert compare_texts(heading, action, nlp=french_nlp)[0] == "paraphrase"
    assert compare_texts(heading, action, DedupSettings(max_generic_words_added=1), french_nlp)[0] is None
    labels = cluster_texts([heading, action], nlp=french_nlp)
    assert labels[0] == labels[1]
    # Not when the action adds a word that is not generic (a hard negative of the dev half), more
    # than two generic words, or finds a word only as another of its family.
    assert compare_texts(
        "Planification de la cohésion sociale", "Faire un rappel sur la notion de cohésion sociale", nlp=french_nlp
    )[0] is None
    assert compare_texts("Développer la mobilité", "Développer la mobilité durable", nlp=french_nlp)[0] is None
    assert compare_texts("Mobilité", "Favoriser la mise en place de la mobilité", nlp=french_nlp)[0] is None
    assert compare_texts("Informatique", "Développer l'information", nlp=french_nlp)[0] is None


def test_a_word_that_an_abbreviation_of_both_texts_spells_out(french_nlp):
    assert compare_texts("Développer la RSE", "Développer la RSE dans les entreprises", nlp=french_nlp)[0] == "paraphrase"
    # Only when both texts hold the abbreviation.
    assert compare_texts("Encourager la RSE", "Encourager les entreprises", nlp=french_nlp)[0] is None
    # The words of a proper name in the expansion ("Grand Toulouse") are not spelt out by it.
    unit = TextAnalyzer(DedupSettings(), None).unit("La CUGT et la RSE")
    assert unit.spelled == {
        "cugt": frozenset({"communaut", "urbain"}),
        "rse": frozenset({"responsabilit", "societal", "entrepris"}),
    }


def test_seed_postits():
    labels = cluster_texts(SEED_POSTITS)
    assert labels[0] == labels[5]  # conséquence / conséquences
    assert labels[1] == labels[6]  # repeated post-it
    assert labels[3] == labels[7]  # logements, transports / logement, transport
    assert labels[8] == labels[9]  # des / les jardins familiaux
    assert labels[10] != labels[11]
    assert len(set(labels)) == 8


# ---------------------------------------------------------------- clusters


def test_no_chaining_through_a_middle_text():
    first = "Organiser des rencontres entre les habitants et les élus du quartier"
    middle = "Organiser des rencontres entre des habitants et des élus de quartier"
    last = "Organiser une rencontre avec des habitants et des élus de quartier"
    score = lambda a, b: fuzz.ratio(normalize_for_match(a), normalize_for_match(b))  # noqa: E731
    assert score(first, middle) >= 90 and score(middle, last) >= 90
    assert score(first, last) < 90
    labels = cluster_texts([first, middle, last])
    assert labels[0] == labels[1]  # the longest founds the cluster and takes its close variant
    assert len(set(labels)) <= 2


def test_a_long_text_does_not_bring_two_different_ideas_together(french_nlp):
    both = (
        "Réaliser un annuaire des relais de la précarité énergétique et développer les jardins familiaux partagés "
        "dans les quartiers prioritaires de la métropole"
    )
    first = "Réaliser un annuaire des relais de la précarité énergétique dans les quartiers prioritaires"
    second = "Développer les jardins familiaux partagés dans les quartiers prioritaires de la métropole"
    assert compare_texts(first, both, nlp=french_nlp)[0] is not None
    assert compare_texts(second, both, nlp=french_nlp)[0] is not None
    labels = cluster_texts([both, first, second], nlp=french_nlp)
    assert labels[1] != labels[2]


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
    assert result[1].canonical and not result[6].canonical  # identical wordings: the first in order


def test_cluster_ids_are_stable_and_adding_a_document_keeps_them():
    items = [contribution(i, text) for i, text in enumerate(SEED_POSTITS)]
    first = [c.cluster_id for c in deduplicate_contributions(items)]
    assert [c.cluster_id for c in deduplicate_contributions(list(items))] == first
    other_document = [
        contribution(i, text, document="b.pdf")
        for i, text in enumerate(
            [WASTE_ECONOMIC, WASTE_MANAGEMENT, "Développer le covoiturage entre salariés", BUTEAUD, BOUTEAUD,
             CONSEQUENCE, "Développer des jardins familiaux"]
        )
    ]
    extended = deduplicate_contributions(items + other_document)
    assert [c.cluster_id for c in extended[: len(items)]] == first  # no existing cluster renumbered
    assert extended[len(items) + 5].cluster_id == first[0]  # a repeat joins its existing cluster
    assert len({c.cluster_id for c in extended[len(items) : len(items) + 5]}) == 4
    # Taken whole in another order, every record keeps its cluster id.
    reordered = deduplicate_contributions(list(reversed(other_document + items)))
    assert {c.idea_id: c.cluster_id for c in reordered} == {c.idea_id: c.cluster_id for c in extended}


def test_the_canonical_one_of_identical_wordings_is_written_as_a_sentence():
    # The first in input order was taken: the synthesis showed "organiser l'accueil…".
    texts = [
        "organiser l'accueil des nouveaux arrivants",
        "ORGANISER L'ACCUEIL DES NOUVEAUX ARRIVANTS",
        "Organiser l'accueil des nouveaux arrivants.",
        "Organiser l'accueil des nouveaux arrivants !",
    ]
    result = deduplicate_contributions([contribution(i, text) for i, text in enumerate(texts)])
    assert [c.canonical for c in result] == [False, False, True, False]
    assert len({c.cluster_id for c in result}) == 1
    assert summarize_clusters(result)[0].canonical_text == texts[2]


def test_earlier_ids_stay_when_a_new_document_brings_a_longer_wording():
    # Ids hash the longest wording: a new document with a longer one renumbered the cluster (and
    # all its rows) unless the records carry the ids of the earlier run, which are kept.
    fresh = [contribution(0, "Créer une maison de santé"), contribution(1, "Créer des maisons de santé")]
    earlier = deduplicate_contributions(fresh)
    longer = contribution(2, "Il faut créer des maisons de santé, c'est une priorité", document="b.pdf")
    assert deduplicate_contributions([*fresh, longer])[0].cluster_id != earlier[0].cluster_id  # renumbered
    kept = deduplicate_contributions([longer, *earlier])  # the earlier rows carry their ids
    assert {c.cluster_id for c in kept} == {earlier[0].cluster_id}
    assert not kept[0].canonical and sum(c.canonical for c in kept) == 1  # "il faut", "priorité" frame it


def test_the_groups_a_file_carries_stay_as_the_analyst_made_them():
    # An analyst's corrections of cluster_id were undone at the next dedup: a row moved out of a
    # false merge went back, rows given one id were split again (their id to the larger part).
    texts = [
        "Développer des jardins partagés",
        "Développer les jardins partagés",
        "Développer des jardins familiaux",
        "Densifier l'habitat autour des gares",
        "Densification de l'habitat autour des gares",
    ]
    items = [contribution(i, text) for i, text in enumerate(texts)]
    ids = ["c-jardins", "c-jardins", "c-jardins", "c-gares", "manuel-1"]  # merged by hand, split by hand
    earlier = [dataclasses.replace(item, cluster_id=cluster) for item, cluster in zip(items, ids, strict=True)]
    assert [c.cluster_id for c in deduplicate_contributions(earlier)] == ids
    assert [c.cluster_id for c in deduplicate_contributions(earlier[::-1])] == ids[::-1]
    # New rows join the group of their duplicates; the others found groups of their own.
    new = [
        contribution(5, "Développer les jardins familiaux", document="b.pdf"),
        contribution(6, "densification de l'habitat autour des gares !", document="b.pdf"),
        contribution(7, "Rénover les écoles du quartier", document="b.pdf"),
    ]
    result = deduplicate_contributions([*earlier, *new])
    assert [c.cluster_id for c in result][:5] == ids
    assert result[5].cluster_id == "c-jardins"
    assert result[6].cluster_id == "manuel-1"
    assert result[7].cluster_id.startswith("c-") and result[7].cluster_id not in ids
    assert sum(c.canonical for c in result) == 4


def test_a_new_action_does_not_join_the_group_of_its_own_objective():
    objective = "Lutter contre la précarité énergétique des ménages"
    earlier = [contribution(0, objective, kind="objective", cluster_id="c-objectif")]
    action = contribution(1, objective + ".", kind="action", objective=objective)
    result = deduplicate_contributions([*earlier, action])
    assert result[0].cluster_id == "c-objectif" and result[1].cluster_id != "c-objectif"


def test_new_records_join_earlier_groups_by_their_wording_and_never_with_their_objective(french_nlp):
    # A new post-it of an objective's very wording went to a new group with the objective's new
    # action, which star clustering had put it with.
    objective = "Réduire la précarité énergétique"
    items = [
        contribution(0, objective, kind="objective", cluster_id="G"),
        contribution(1, objective + " des ménages", kind="action", objective=objective, document="b.pdf"),
        contribution(2, objective, document="b.pdf"),
    ]
    result = deduplicate_contributions(items, nlp=french_nlp)
    assert result[2].cluster_id == "G" != result[1].cluster_id
    # An objective and its action, both new, went together into a group an analyst had merged.
    merged = [
        contribution(0, "Favoriser la mixité sociale dans les quartiers", cluster_id="manuel-2"),
        contribution(1, "Développer l'emploi local des jeunes", cluster_id="manuel-2"),
    ]
    new = [
        contribution(2, "Favoriser la mixité sociale dans nos quartiers", kind="objective", document="b.pdf"),
        contribution(
            3, "Développer l'emploi local des jeunes", kind="action", document="b.pdf",
            objective="Favoriser la mixité sociale dans nos quartiers",
        ),
    ]
    result = deduplicate_contributions([*merged, *new], nlp=french_nlp)
    assert result[2].cluster_id == "manuel-2" != result[3].cluster_id


def test_an_action_restating_its_objective_joins_its_earlier_copy(french_nlp):
    # QA, sessions added one by one: the second session's copy of an action was kept from the first's
    # (two groups of one, the action listed twice in the synthesis), as its objective's wording was
    # in that group — within the action itself, not as an objective.
    objective = "Développer le covoiturage domicile-travail"
    action = objective + " en lien avec les entreprises"
    first = [
        contribution(0, objective, kind="objective"),
        contribution(1, action, kind="action", objective=objective),
    ]
    earlier = deduplicate_contributions(first, nlp=french_nlp)
    second = [
        contribution(0, objective, kind="objective", document="b.pdf"),
        contribution(1, action, kind="action", objective=objective, document="b.pdf"),
    ]
    for nlp in (french_nlp, None):
        result = deduplicate_contributions([*earlier, *second], nlp=nlp)
        assert [record.cluster_id for record in result] == [record.cluster_id for record in earlier] * 2
        assert result[0].cluster_id != result[1].cluster_id


def test_which_of_an_objective_and_its_action_joins_an_earlier_group_does_not_depend_on_the_rows_order(french_nlp):
    # QA, adversarial round: the new action and objective « Développer le covoiturage », with an
    # earlier post-it of that wording: the first row joined the post-it's group, the other a new one.
    earlier = contribution(0, "Développer le covoiturage", cluster_id="c-postit")
    objective = contribution(1, "Développer le covoiturage", kind="objective", document="b.pdf")
    action = contribution(
        2, "Développer le covoiturage", kind="action", objective="Développer le covoiturage", document="b.pdf"
    )
    groups = []
    for rows in ([earlier, objective, action], [earlier, action, objective]):
        result = {item.idea_id: item.cluster_id for item in deduplicate_contributions(rows, nlp=french_nlp)}
        groups.append([result[item.idea_id] for item in (earlier, objective, action)])
    assert groups[0] == groups[1]
    assert groups[0][0] == groups[0][1] == "c-postit" != groups[0][2]


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


def test_an_objective_worded_otherwise_in_another_session_is_kept_from_its_own_action(french_nlp):
    # The second session's objective joined the first's action, not the first's objective (QA):
    # the rule compared the action's objective with each objective's very wording.
    objective = "Réduire la précarité énergétique des ménages"
    items = [
        contribution(0, objective, kind="objective"),
        contribution(1, objective + " par des visites à domicile", kind="action", objective=objective),
        contribution(2, "Réduction de la précarité énergétique des ménages", kind="objective", document="b.pdf"),
    ]
    result = deduplicate_contributions(items, nlp=french_nlp)
    assert result[0].cluster_id == result[2].cluster_id != result[1].cluster_id
    # Likewise when the new objective joins a file's earlier groups.
    earlier = [dataclasses.replace(item, cluster_id=f"G{index}") for index, item in enumerate(items[:2])]
    result = deduplicate_contributions([*earlier, items[2]], nlp=french_nlp)
    assert result[2].cluster_id == "G0"


def test_an_objective_is_kept_from_its_own_action_whose_cell_numbers_it():
    # QA, adversarial round: an action whose objective cell read « Objectif 1 : … » or « … (priorité 1) »
    # joined its own objective, the cell's wording not being the objective's.
    objective = "Réduire la consommation d'énergie des bâtiments publics"
    for cell in (f"Objectif 1 : {objective}", f"Obj. 2 - {objective}", f"A. {objective}", f"{objective} (priorité 1)"):
        action = contribution(1, objective + ".", kind="action", objective=cell)
        result = deduplicate_contributions([contribution(0, objective, kind="objective"), action])
        assert result[0].cluster_id != result[1].cluster_id, cell
    # Two objectives that differ by more than their labels stay two.
    different = [f"{objective} (écoles)", f"{objective} (gymnases)", f"1) {objective}"]
    assert len({_objective_key(text) for text in different}) == 3


def test_objective_and_action_with_the_very_same_text_get_distinct_ids():
    text = "Favoriser la participation citoyenne des nouveaux arrivants"
    items = [contribution(0, text, kind="objective"), contribution(1, text, kind="action", objective=text)]
    result = deduplicate_contributions(items)
    assert result[0].cluster_id != result[1].cluster_id
    assert result[0].canonical and result[1].canonical
    assert [c.cluster_id for c in deduplicate_contributions(items)] == [c.cluster_id for c in result]
    # In the other order, each keeps its id (the first row took the wording's own id), and the
    # objective's is its wording's, as when its action is not there.
    assert [c.cluster_id for c in deduplicate_contributions(items[::-1])] == [c.cluster_id for c in result[::-1]]
    assert deduplicate_contributions(items[:1])[0].cluster_id == result[0].cluster_id


def test_summarize_clusters_lists_members_with_their_provenance():
    items = [
        contribution(0, CONSEQUENCE, document="b.pdf", page=7, axis="4", axis_label="Inégalités"),
        contribution(1, CONSEQUENCES, document="a.pdf", page=2, axis="4", axis_label="Inégalités"),
        contribution(2, CONSEQUENCES, document="b.pdf", page=3, kind="objective", axis="1", axis_label="Politiques"),
        contribution(3, WASTE_ECONOMIC, document="a.pdf"),
    ]
    summaries = summarize_clusters(deduplicate_contributions(items))
    assert len(summaries) == 2
    first, second = summaries
    assert isinstance(first, ClusterSummary)
    assert first.size == 3 and first.canonical_text == CONSEQUENCES
    assert first.axis == "4" and first.axis_label == "Inégalités"
    assert first.documents == ("a.pdf", "b.pdf") == first.sessions
    assert first.kinds == ("objective", "postit")
    assert first.idea_ids == ("b.pdf-000", "a.pdf-001", "b.pdf-002")
    assert first.members[0] == ClusterMember("b.pdf-000", "b.pdf", 7, "postit", "b.pdf")
    assert [(m.document, m.page, m.kind) for m in first.members] == [("b.pdf", 7, "postit"), ("a.pdf", 2, "postit"), ("b.pdf", 3, "objective")]
    assert (second.size, second.axis, second.documents) == (1, None, ("a.pdf",))


def test_a_cluster_s_axis_is_that_of_its_surest_members():
    # QA: an analyst's decision on one member was outvoted by the model's axis of its copies.
    def member(index: int, axis: str, source: str) -> Contribution:
        return contribution(index, CONSEQUENCES, axis=axis, axis_label=f"Axe {axis}", axis_source=source)

    placed = [member(0, "2", "model"), member(1, "2", "model"), member(2, "3", "document"), member(3, "5", "review")]
    assert summarize_clusters(deduplicate_contributions(placed))[0].axis == "5"
    assert summarize_clusters(deduplicate_contributions(placed[:3]))[0].axis == "3"
    assert summarize_clusters(deduplicate_contributions(placed[:2]))[0].axis == "2"


def test_summarize_needs_cluster_ids():
    with pytest.raises(ValueError, match="deduplicate_contributions"):
        summarize_clusters([contribution(0, "x")])


# ---------------------------------------------------------------- the labelled pairs


def test_labelled_pairs_file_is_as_described():
    rows = load_pairs()
    kinds = {r["kind"] for r in rows}
    assert kinds == {"repeated_postit", "summary_vs_detail", "paraphrase", "hard_negative"}
    assert sum(r["label"] == "1" for r in rows) >= 50
    assert sum(r["label"] == "0" for r in rows) >= 80
    assert all((r["label"] == "0") == (r["kind"] == "hard_negative") for r in rows)
    assert {r["split"] for r in rows} == {"dev", "test"}


def test_written_pairs_keep_what_they_got_right(french_nlp):
    """tests/labels/dedup_pairs_written.csv: 142 pairs of workshop ideas written and labelled (same
    idea or not) by a tester before any run, 70 the same idea and 72 different ideas sharing most
    words (directions, publics, places, amounts, stems that collide). The direction, typo and
    noun rules were written against them after that first run (44/70 and 46/72 then): a floor,
    so that no later change loses what they fixed."""
    with WRITTEN_PAIRS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 142
    right = {"true": 0, "false": 0}
    for row in rows:
        together = compare_texts(row["text_a"], row["text_b"], nlp=french_nlp)[0] is not None
        right[row["same"]] += together == (row["same"] == "true")
    assert right["true"] >= 50 and right["false"] >= 52, right


def test_labelled_pairs_precision_and_recall(french_nlp):
    """Targets of the issue on all pairs: precision ≥ 0.95, recall ≥ 0.90 (with spaCy). The
    defaults were chosen on the dev half; bench/dedup.py pairs prints every figure and error."""
    rows = load_pairs()
    together = predicted_together(rows, french_nlp)
    precision, recall = precision_recall(rows, together)
    assert precision >= 0.95
    assert recall >= 0.90  # measured 0.901 (dev 0.927, test 0.875): bench/dedup.py pairs
    dev = [(r, t) for r, t in zip(rows, together, strict=True) if r["split"] == "dev"]
    assert precision_recall([r for r, _ in dev], [t for _, t in dev])[1] >= 0.90
    # Every objective/own-action pair stays apart.
    assert not any(t for r, t in zip(rows, together, strict=True) if r["relation"] == "objective_action")
    # Without spaCy: exact and near-identical only, still precise.
    precision, recall = precision_recall(rows, predicted_together(rows))
    assert precision >= 0.95 and recall >= 0.65


# ---------------------------------------------------------------- scale


def _variants(texts: list[str], seed: int) -> list[str]:
    """Seed texts with typos, plurals, case and abbreviations, for blocking tests."""
    rnd = random.Random(seed)
    out = []
    for text in texts:
        out.append(text)
        for _ in range(rnd.randint(0, 3)):
            words = text.split(" ")
            i = rnd.randrange(len(words))
            word = words[i]
            operation = rnd.choice(["typo", "plural", "case", "swap", "dd"])
            if operation == "typo" and len(word) >= 6:
                k = rnd.randrange(1, len(word) - 1)
                words[i] = word[:k] + word[k + 1 :]
            elif operation == "plural" and word.isalpha():
                words[i] = word[:-1] if word.endswith("s") else word + "s"
            elif operation == "case":
                words = [w.upper() for w in words]
            elif operation == "swap" and len(word) >= 6:
                k = rnd.randrange(1, len(word) - 2)
                words[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
            elif operation == "dd":
                words = " ".join(words).replace("développement durable", "DD").split(" ")
            out.append(" ".join(words))
    return out


def test_blocking_finds_every_pair_that_verifying_all_pairs_finds():
    texts = sorted({t for r in load_pairs() for t in (r["text_a"], r["text_b"])})
    variants = _variants(texts, seed=5)
    settings = DedupSettings()
    blocked = prepare_comparisons(variants, settings, None)
    exhaustive = prepare_comparisons(variants, settings, None, exhaustive=True)
    assert len(blocked.units) > 250
    assert blocked.candidates < len(blocked.units) * 2
    assert blocked.neighbours == exhaustive.neighbours


def test_blocking_with_spacy_loses_nothing_either(french_nlp):
    texts = sorted({t for r in load_pairs() for t in (r["text_a"], r["text_b"])})[:150]
    variants = _variants(texts, seed=9)
    settings = DedupSettings()
    blocked = prepare_comparisons(variants, settings, french_nlp)
    exhaustive = prepare_comparisons(variants, settings, french_nlp, exhaustive=True)
    assert blocked.neighbours == exhaustive.neighbours


def test_blocking_counts_a_word_the_other_text_says_in_an_aside(french_nlp):
    # The longer text says « énergétique » in an aside; verification counts it, as the shorter says
    # it outside one: blocking left it out and lost the pair.
    texts = [
        "Lutter contre la précarité énergétique",
        "Par l'habitat : lutter contre la précarité des ressources (énergétique et eau)",
    ]
    settings = DedupSettings()
    exhaustive = prepare_comparisons(texts, settings, french_nlp, exhaustive=True)
    assert exhaustive.neighbours[0] == {1: "paraphrase"}
    assert prepare_comparisons(texts, settings, french_nlp).neighbours == exhaustive.neighbours


def test_a_word_written_without_accents_takes_the_vector_of_its_accented_copy(french_nlp):
    # QA, held-out consultation: « mediatheque » has a vector of its own, far from « médiathèque »'s,
    # and « MEDIATHEQUE OUVERTE LE DIMANCHE » stayed apart from « … la médiathèque soit ouverte … ».
    def units(*texts):
        return TextAnalyzer(DedupSettings(), french_nlp).units(list(texts))[0]

    accented = units("Rénover la médiathèque", "médiathèque le dimanche")
    unaccented = units("Rénover la médiathèque", "MEDIATHEQUE LE DIMANCHE")
    alone = units("MEDIATHEQUE LE DIMANCHE")
    assert np.allclose(unaccented[1].vector, accented[1].vector)
    assert not np.allclose(alone[0].vector, accented[1].vector)  # without an accented copy in the batch
    # Many words share a row of the model's vectors (« mediatheque », « eleves », « annee »…): only
    # the word respelt takes another.
    rows = french_nlp.vocab.vectors.key2row
    assert rows[french_nlp.vocab.strings["eleves"]] == rows[french_nlp.vocab.strings["mediatheque"]]
    assert np.allclose(units("Rénover la médiathèque", "mediatheque", "eleves")[2].vector, units("eleves")[0].vector)
    assert together(
        "Il faudrait que la médiathèque soit ouverte le dimanche après-midi (4 votes)",
        "MEDIATHEQUE OUVERTE LE DIMANCHE !!",
        french_nlp,
    )


CAMPAIGN_ANSWER = (
    "Pour un vrai plan vélo dans la métropole ! Je demande des pistes cyclables continues et sécurisées entre "
    "les communes de la première couronne et le centre-ville. Aujourd'hui, les cyclistes partagent la chaussée "
    "avec les poids lourds sur l'avenue de Grande-Bretagne, ce qui est dangereux pour les enfants qui vont à "
    "l'école. Il faut créer des stationnements vélos sécurisés près des gares et des stations de métro. La "
    "limitation de la vitesse à 30 km/h doit être généralisée dans les quartiers résidentiels. Nous ne pouvons "
    "plus attendre : la santé publique et la qualité de l'air en dépendent."
)


def test_identical_wordings_are_read_from_the_best_written_whatever_the_order(french_nlp):
    # A campaign's answer pasted without accents came first: its words, unknown to the vectors,
    # were read as names, and the signed copy fell apart — only in that order (QA: 17 % of a
    # shuffled campaign's rows changed cluster_id).
    from atelier.nlp.language import strip_accents

    texts = [strip_accents(CAMPAIGN_ANSWER), CAMPAIGN_ANSWER, CAMPAIGN_ANSWER + " Marie Dubois"]
    forward = cluster_texts(texts, DedupSettings(), french_nlp)
    backward = cluster_texts(texts[::-1], DedupSettings(), french_nlp)[::-1]
    assert forward == backward == [0, 0, 0]


@pytest.mark.parametrize(
    ("text", "idea"),
    [
        ("Bonjour, je veux des pistes. Cordialement, Sophie Petit", "je veux des pistes."),
        ("Madame, Monsieur, voici mon avis sur le PLU.", "voici mon avis sur le PLU."),
        ("Des pistes. Merci pour cette consultation.", "Des pistes."),
        ("Créer des pistes cyclables.\nLuc Martin", "Créer des pistes cyclables."),
        ("Des vélos. Signé : Jean-Pierre Dupont", "Des vélos."),
        ("1) Des bancs. Merci beaucoup !", "Des bancs."),
        # Kept: nothing would be left, a thanks inside the idea, a last line that is not a signature.
        ("Merci pour l'accueil", "Merci pour l'accueil"),
        ("Bonjour", "Bonjour"),
        ("Plus de bancs, merci", "Plus de bancs, merci"),
        ("Plus de bus\nTisséo", "Plus de bus\nTisséo"),
        # What a web form's answers add (QA, an online consultation: each kept a copy apart).
        ("+1 Planter des arbres", "Planter des arbres"),
        ("Planter des arbres +1", "Planter des arbres"),
        ("Planter des arbres\nContact : sophie.martin12@gmail.com", "Planter des arbres"),
        ("Planter des arbres\nVous pouvez me joindre au 06 12 34 56 78", "Planter des arbres"),
        ("Planter des arbres. Appelez-moi au +33 6 12 34 56 78 !", "Planter des arbres.  !"),
        ("Planter des arbres\n\nJean-Pierre Martin – jp.martin79@orange.fr – 0423557221", "Planter des arbres"),
        # Kept (QA, adversarial round: each merged two ideas): a quantity, a number or an address
        # that is the idea's, a last line that may be a place or a body, where the writer lives.
        ("+10 % de pistes cyclables", "+10 % de pistes cyclables"),
        ("+1 agent de police municipale la nuit", "+1 agent de police municipale la nuit"),
        ("Augmenter les places en crèche : +50", "Augmenter les places en crèche : +50"),
        ("Logements sociaux d'ici 2030 : +1000", "Logements sociaux d'ici 2030 : +1000"),
        ("Afficher le numéro du CCAS 04 76 12 34 56", "Afficher le numéro du CCAS 04 76 12 34 56"),
        ("Installer des bancs\nPlace Victor Hugo", "Installer des bancs\nPlace Victor Hugo"),
        ("Installer un composteur\nCroix Rousse", "Installer un composteur\nCroix Rousse"),
        ("Rénover la cour de l'école.\nBerriat", "Rénover la cour de l'école.\nBerriat"),
        ("Rénover la cour de l'école.\nLa Tronche", "Rénover la cour de l'école.\nLa Tronche"),
        ("Rénover la cour de l'école.\nL'Isle d'Abeau", "Rénover la cour de l'école.\nL'Isle d'Abeau"),
        ("J'habite rue des Lilas. Il faut un ralentisseur", "J'habite rue des Lilas. Il faut un ralentisseur"),
        ("En tant que locataire, je veux des aides", "En tant que locataire, je veux des aides"),
        ("Mon mail : sophie@gmail.com", "Mon mail : sophie@gmail.com"),
    ],
)
def test_a_letters_greeting_and_signature_are_not_the_idea(text, idea):
    assert without_framing(text) == idea


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Créer une maison de santé - Josiane Martin", "Créer une maison de santé - [nom masqué]"),
        ("Marc : + de pistes cyclables", "[nom masqué] : + de pistes cyclables"),
        ("Plus de bancs\nMme Martin", "Plus de bancs\n[nom masqué]"),
        ("Plus de bancs au parc. Cordialement, Jean Dupont", "Plus de bancs au parc. Cordialement, [nom masqué]"),
        ("Des jardins partagés (Marc)", "Des jardins partagés ([nom masqué])"),
        ("Des bancs - Dubois Marie", "Des bancs - [nom masqué]"),
        ("Aménager les berges. Signé Paul", "Aménager les berges. Signé [nom masqué]"),
        ("Plus de bus. Bien cordialement\nM. Durand", "Plus de bus. Bien cordialement\n[nom masqué]"),
        # A place, a topic, a thanks: what the idea says.
        ("Réaménager la place - Victor Hugo", "Réaménager la place - Victor Hugo"),
        ("Tram : plus de rames", "Tram : plus de rames"),
        ("Installer des bancs\nPlace Victor Hugo", "Installer des bancs\nPlace Victor Hugo"),
        ("Merci pour la rénovation du parc", "Merci pour la rénovation du parc"),
        ("Josiane", "Josiane"),
        ("Plus de bancs - M. Dupont", "Plus de bancs - [nom masqué]"),
        # (QA, a regression hunt: places named after someone, first names that are also a topic.)
        ("Un gymnase - Pierre de Coubertin", "Un gymnase - Pierre de Coubertin"),
        ("Le centre de loisirs (Léo Lagrange)", "Le centre de loisirs (Léo Lagrange)"),
        ("Un foyer - Vincent de Paul", "Un foyer - Vincent de Paul"),
        ("Olivier : planter des arbres fruitiers", "Olivier : planter des arbres fruitiers"),
        ("Rose : planter des rosiers", "Rose : planter des rosiers"),
        ("Florence : un jumelage avec l'Italie", "Florence : un jumelage avec l'Italie"),
    ],
)
def test_a_writers_name_is_masked_where_a_text_is_shown_to_others(text, shown):
    assert masked_writers(text) == shown
    assert signed(text) == (shown != text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Marie Martin propose des ateliers", "[nom masqué] propose des ateliers"),
        ("Contactez Jean Dupont au local", "Contactez [nom masqué] au local"),
        ("Selon M. Dupont, il faut agir", "Selon [nom masqué], il faut agir"),
        ("Jean-Pierre Martin veut des bancs", "[nom masqué] veut des bancs"),
        # (QA: « l'approche d'Aurélien Buteaud » reached the synthesis.)
        ("l'approche d'Aurélien Buteaud, qu'Hélène Martin cite", "l'approche d'[nom masqué], qu'[nom masqué] cite"),
        # Places named after someone, titles without a name, towns: what the idea says.
        ("Une piste rue Victor Hugo", "Une piste rue Victor Hugo"),
        ("Rénover l'école Jean Moulin", "Rénover l'école Jean Moulin"),
        ("Le parc Marie Curie", "Le parc Marie Curie"),
        ("Mme la Présidente et M. le Maire", "Mme la Présidente et M. le Maire"),
        ("Aller à La Rochelle, Saint Martin ou Maison Blanche", "Aller à La Rochelle, Saint Martin ou Maison Blanche"),
        # A first name alone where it names a person (the last note's leftover: « Avec Marie » reached the synthesis).
        ("Avec Marie, plus de bus", "Avec [nom masqué], plus de bus"),
        ("Demander à Sophie de relancer", "Demander à [nom masqué] de relancer"),
        ("Marie propose un composteur", "[nom masqué] propose un composteur"),
        ("Hélène a proposé un jardin, merci Jean-Pierre !", "[nom masqué] a proposé un jardin, merci [nom masqué] !"),
        # (QA, a second regression hunt: names the first rule of context let through.)
        ("Thomas veut un skatepark", "[nom masqué] veut un skatepark"),
        ("Lucas et Emma veulent un skatepark", "[nom masqué] et [nom masqué] veulent un skatepark"),
        ("Kevin a dit qu'il manque des bus", "[nom masqué] a dit qu'il manque des bus"),
        ("Sophie, habitante du quartier, souhaite", "[nom masqué], habitante du quartier, souhaite"),
        ("Karim (conseil citoyen) demande un local", "[nom masqué] (conseil citoyen) demande un local"),
        ("Proposition de Nadia : covoiturage", "Proposition de [nom masqué] : covoiturage"),
        ("l'idée d'Alice", "l'idée d'[nom masqué]"),
        ("Éric pense que les vélos sont volés", "[nom masqué] pense que les vélos sont volés"),
        ("Pour Marie et Pierre le bus est trop cher", "Pour [nom masqué] et [nom masqué] le bus est trop cher"),
        # (QA, a third regression hunt: a person named with what they are.)
        ("Le petit Lucas propose un toboggan", "Le petit [nom masqué] propose un toboggan"),
        ("L'élu municipal Thomas propose une réunion", "L'élu municipal [nom masqué] propose une réunion"),
        # … not a word of a place's or a longer name, nor a common word, a town, a symbol (QA, a regression hunt).
        *(
            (text, text)
            for text in [
                "Claire et lisible, l'information", "Pierre sèche pour les murets", "Murets en Pierre sèche",
                "Aller à la Madeleine ou à Pierre-Bénite", "Quartier Saint-Michel, Saint Pierre",
                "l'aéroport Charles de Gaulle",
                "Un foyer Vincent de Paul", "Louise Michel", "Une salle Victor, l'Olivier du parc", "L'ESPACE MARIE",
                "Dénis de justice", "Marié ou pas", "vers Albert et Amiens", "buste de Marianne", "signalétique Claire",
                "Opération Martine", "Av. Colette", "le chemin de Marie", "place d'Albert Ier", "rue d'Alice Guy",
                "Métro Louis Pradel", "Parvis de la Madeleine à rénover", "Av. Colette à piétonniser",
                # (QA, a third regression hunt: places and towns before « est » or « a », or opening a list.)
                "Rue Victor Hugo est en sens unique", "Le collège Victor Hugo a besoin d'une isolation",
                "Albert est à 20 km, il faut une ligne de car", "Albert, Péronne et Amiens doivent coopérer",
                "Marianne, symbole de la République, sur la façade", "Mur en Pierre a restaurer",
                # (A fourth pass: kings, universities, Christmas, first names that are words in lower case.)
                "Louis XIV a fait bâtir Versailles", "Université Claude Bernard est loin du tram",
                "Illuminations pour Noël", "Le Père Noël passe à l'école", "décorations pour noël",
                "Murets avec pierre sèche", "MURETS EN PIERRE SÈCHE", "Un jean pour claire et marc",
            ]
        ),
        # (QA, the same hunt's names still let through: a title before a surname that is a word, « est pour »,
        # lower case and capitals, a kin, a sentence's first word, lists opening the text, names it lacked.)
        ("Inviter Mme Petit à la réunion", "Inviter [nom masqué] à la réunion"),
        ("Yves est pour la zone 30", "[nom masqué] est pour la zone 30"),
        ("Nicolas n'est pas d'accord", "[nom masqué] n'est pas d'accord"),
        ("Gérard et Monique sont contre", "[nom masqué] et [nom masqué] sont contre"),
        ("marie propose des ateliers vélo", "[nom masqué] propose des ateliers vélo"),
        ("avec sophie on fera le compost", "avec [nom masqué] on fera le compost"),
        ("MARIE PROPOSE UN JARDIN", "[nom masqué] PROPOSE UN JARDIN"),
        ("AVEC MARIE DUBOIS ON FAIT LE TRI", "AVEC [nom masqué] ON FAIT LE TRI"),
        ("La Marie propose de ramasser", "La [nom masqué] propose de ramasser"),
        ("Sa fille Léa a peur de traverser", "Sa fille [nom masqué] a peur de traverser"),
        ("Hier Marie a dit que les bus sont en retard", "Hier [nom masqué] a dit que les bus sont en retard"),
        ("Bravo Émile pour la fresque", "Bravo [nom masqué] pour la fresque"),
        ("Noël propose un sapin collectif", "[nom masqué] propose un sapin collectif"),
        ("Sophie et Thomas, parents, veulent", "[nom masqué] et [nom masqué], parents, veulent"),
        ("Thomas, Léa, Hugo : groupe vélo", "[nom masqué], [nom masqué], [nom masqué] : groupe vélo"),
        ("Paul (habitant) : plus de bancs", "[nom masqué] (habitant) : plus de bancs"),
        # (A second held-out QA corpus: a title before a surname places are named after, past tenses, ages,
        # introductions and thanks.)
        ("Mme Rousseau demande un banc", "[nom masqué] demande un banc"),
        ("Sébastien m'a dit que le bus passe", "[nom masqué] m'a dit que le bus passe"),
        ("Thomas a réparé les vélos", "[nom masqué] a réparé les vélos"),
        ("Jade a 12 ans et veut un skatepark", "[nom masqué] a 12 ans et veut un skatepark"),
        ("Marcel, 82 ans, veut des bancs", "[nom masqué], 82 ans, veut des bancs"),
        ("Je m'appelle Marie", "Je m'appelle [nom masqué]"),
        ("Je remercie Sophie pour le repas", "Je remercie [nom masqué] pour le repas"),
        *(
            (text, text)
            for text in [
                "Rue du Docteur Schweitzer à refaire", "Le lycée Victor Hugo a brûlé",
                "Albert a été choisi pour la gare",
                # (A regression hunt: « a » written for « à » after a place, places in lower case or capitals.)
                "Installer un composteur rue Marcel a coté du city-stade", "Un banc place Pierre a moitié cassé",
                "aller à paul sabatier en vélo c'est dangereux", "RDV À JEAN JAURÈS À 18H POUR LA MARCHE",
                "PARKING RELAIS À PAUL SABATIER TOUJOURS PLEIN", "Prendre le métro à Jeanne d'Arc le soir",
            ]
        ),
        *((text, text) for text in ["L'association Léo Lagrange et l'Association Marie Galante"]),
        ("Vincent Auriol : rénover la place", "Vincent Auriol : rénover la place"),
        # (QA, a second regression hunt.)
        *((text, text) for text in ["L'Espace Jean Vilar", "Le Centre Social Jean Vilar"]),
        ("La Cité scolaire Camille Claudel", "La Cité scolaire Camille Claudel"),
        ("Selon le Docteur Martin et Maître Dupont", "Selon le [nom masqué] et [nom masqué]"),
        # (Rosters: held-out QA corpora.)
        ("Participants : Alice, Omar, Lina.", "Participants : [nom masqué], [nom masqué], [nom masqué]."),
        ("Proposé par Sophie, Ibrahim et Paulo.", "Proposé par [nom masqué], [nom masqué] et [nom masqué]."),
        ("Animatrice de la table : Leïla", "Animatrice de la table : [nom masqué]"),
        ("Présents : M. Durand, Chloé D. et Léa", "Présents : [nom masqué], [nom masqué] et [nom masqué]"),
        *(
            (text, text)
            for text in [
                "Proposé par la Mairie de Toulouse", "Évaluer les participants à Saint-Jory",
                "Présents : CAF, Tisséo", "Participants : habitants et élus",
                # (A regression hunt: firms, towns, services, a writer places are named after.)
                "Proposé par Airbus.", "Participants : Blagnac, Colomiers et Balma.",
                "Le projet proposé par Tisséo est trop cher.", "Présents : Direction Voirie, Service Propreté.",
                "Un livre écrit par Victor Hugo", "Rapporteurs : Groupe Mobilité.",
            ]
        ),
    ],
)
def test_the_people_a_text_names_are_masked_where_it_is_shown_to_others(text, shown):
    assert masked_people(text) == shown


def test_the_people_the_french_model_recognises_are_masked_but_places_and_kings(french_nlp):
    # A held-out QA corpus: names in no list (« Kader », « Bilal ») let through. The recogniser finds them; the
    # rules keep what it takes for people: a street, a school, a king, a town, a firm, a misspelt verb (synthetic
    # ideas of bench/dedup.py), a text in capitals, the verb opening a seed action.
    texts = {
        "Kader est contre la fermeture": "[nom masqué] est contre la fermeture",
        "Selon Bilal, il faut des bancs": "Selon [nom masqué], il faut des bancs",
        "Mamie Jo aimerait que le bus s'arrête": "Mamie [nom masqué] aimerait que le bus s'arrête",
        "Contacter M. Dupont pour la salle": "Contacter [nom masqué] pour la salle",
        "Contacter Mamadou Diallo pour le jardin": "Contacter [nom masqué] pour le jardin",
        # (The second held-out corpus: a name in no list before « et » and a name that does something.)
        "Malik et Sophie veulent des bancs": "[nom masqué] et [nom masqué] veulent des bancs",
        **{
            text: text
            for text in (
                "Impasse Antoine de Saint-Exupéry, les poubelles débordent",
                "Rénover l'école Jean Moulin",
                "Louis XIV a fait bâtir Versailles",
                "Sensibiiliser la participation à Villeneuve-Tolosane dans le sens",
                "Par le privé avec Tisséo, soutenir la grille",
                "Dévslopper la transversalité à Gratentour pour une meilleure compréhension.",
                "POUR LES LOCATAIRES, COSNOLIDER LE BÂTON",
                # (A regression hunt: firms, districts and a holiday the recogniser takes for people.)
                "Molina Healthcare doit participer", "Basso Cambo est saturé le soir",
                "Demander à Leroy Merlin de sponsoriser", "Après Toussaint les bus sont rares",
                "Cartographier les dispositifs A21 et Analyse des Besoins Sociaux "
                "(diagnostic social annuel obligatoire)",
            )
        },
    }
    mentions = recognised_people(list(texts), french_nlp)
    assert {text: masked_mentions(text, mentions.get(text, ())) for text in texts} == texts
    assert recognised_people(list(texts), spacy.blank("fr")) == {}  # (a pipeline without a recogniser)


def test_the_people_the_tagger_reads_as_doing_something_are_masked_but_towns_firms_and_districts(french_nlp):
    # Held-out QA corpora: names in no list before verbs no rule knows (« Oksana organise », « Aminata trouve »,
    # the recogniser reading her as a place), with an aside or a companion before the verb, listed with others.
    # Towns, districts, firms and feasts are as often before a verb, and stay, even those the recogniser takes
    # for people (a regression hunt: « Revel a ouvert… », « Lacoste sponsorise… », « Riquet mériterait… »).
    masked = {
        "Kader joue au foot le soir": "[nom masqué] joue au foot le soir",
        "Oksana organise un atelier couture": "[nom masqué] organise un atelier couture",
        "Aminata trouve le quartier trop bruyant": "[nom masqué] trouve le quartier trop bruyant",
        "Farid et Yasmine s'occupent du potager": "[nom masqué] et [nom masqué] s'occupent du potager",
        "Marion et moi on voudrait un repair café": "[nom masqué] et moi on voudrait un repair café",
        "Ousmane Diallo, président de l'amicale, demande un local": "[nom masqué], président de l'amicale, demande "
        "un local",
        "Irina n'a pas trouvé de place en crèche": "[nom masqué] n'a pas trouvé de place en crèche",
        "Merci à Joaquim Ferreira pour la fête": "Merci à [nom masqué] pour la fête",
    }
    kept = [
        "Colomiers a créé un budget participatif", "Tournefeuille propose déjà des jardins familiaux",
        "Compans Caffarelli manque d'ombre en été", "Le Mirail a besoin de plus de commerces",
        "Albert a besoin d'une gare rénovée", "Florence a un tramway exemplaire", "Pierre a bâtir récupérée",
        "Albert, Péronne et Amiens doivent coopérer", "Rose et Jade sont les noms des deux salles",
        "Noël approche : penser aux sapins en pot", "Madame la Maire a promis un nouveau gymnase",
        "Décathlon pourrait sponsoriser le tournoi", "Les usines Michelin ont fermé",
        "Merci Toulouse Métropole pour les pistes cyclables", "Demander à Leroy Merlin de sponsoriser les bacs",
        "Revel a ouvert une halle", "Lacoste sponsorise le tournoi", "Riquet mériterait une statue",
        "Sephora recrute des vendeuses", "Toussaint tombe pendant les vacances", "Jean-Jaurès est animé",
    ]  # fmt: skip
    # (A run of signs, which spaCy's tokenizer reads in quadratic time.)
    masked["Tuan organise la fête " + "=" * 400] = "[nom masqué] organise la fête " + "=" * 400
    texts = {**masked, **{text: text for text in kept}}
    mentions = recognised_people(list(texts), french_nlp)
    assert {text: masked_mentions(text, mentions.get(text, ())) for text in texts} == texts


def test_names_listed_signing_or_before_a_misread_verb_and_first_names_of_elsewhere_are_masked(french_nlp):
    # A held-out QA corpus (bench/names/d.txt): first names listed together (« ou », « & », « + »), or with a
    # name masked (« Paul, Fatou, … »), before a verb the tagger reads as a noun or an adjective (« Odile
    # marche »), first names of no common French list (« Oksana », « Sabrina »), nicknames (« Dédé »), a first
    # name signing the end (« — Laurent, papa d'élève »). Places, months, departments, closing formulas, words
    # of a syllable said twice, and a town before a noun and its complement stay. A first name beyond the common
    # ones (`names.other_first_names`) needs more than « à », « après » or « chez » before it.
    masked = {
        "Odile marche avec une canne et tombe souvent": "[nom masqué] marche avec une canne et tombe souvent",
        "Kévin livre à vélo le soir": "[nom masqué] livre à vélo le soir",
        "Gérard s'inquiète des inondations": "[nom masqué] s'inquiète des inondations",
        "Théo ou Clément peuvent prêter la remorque": "[nom masqué] ou [nom masqué] peuvent prêter la remorque",
        "Valérie & Hervé tiendront le stand": "[nom masqué] & [nom masqué] tiendront le stand",
        "Équipe du repair café : Paul, Fatou, Irène et Grégoire": "Équipe du repair café : [nom masqué], "
        "[nom masqué], [nom masqué] et [nom masqué]",
        "Merci Sabrina d'avoir traduit": "Merci [nom masqué] d'avoir traduit",
        "Oksana garde des enfants le mercredi": "[nom masqué] garde des enfants le mercredi",
        "Dédé s'occupe des boules au square": "[nom masqué] s'occupe des boules au square",
        "Plus d'arbres dans la cour ! — Laurent, papa d'élève": "Plus d'arbres dans la cour ! — [nom masqué], "
        "papa d'élève",
        "Un marché bio le dimanche ? Benoît (quartier nord)": "Un marché bio le dimanche ? [nom masqué] (quartier "
        "nord)",
        "Des arbres dans la cour ! Emma, CM2": "Des arbres dans la cour ! [nom masqué], CM2",
        "Merci pour votre écoute. Cordialement, Hélène Martin": "Merci pour votre écoute. Cordialement, "
        "[nom masqué]",
        "PLUS DE BUS LE DIMANCHE - FRANCK": "PLUS DE BUS LE DIMANCHE - [nom masqué]",
        "Gwenaël : des récupérateurs d'eau de pluie": "[nom masqué] : des récupérateurs d'eau de pluie",
        "Demander à Fifi pour les clés": "Demander à [nom masqué] pour les clés",
        "Rendez-vous avec Oksana Kovalenko jeudi": "Rendez-vous avec [nom masqué] jeudi",
        "Paul, Oksana Kovalenko et Bintou Diallo ont préparé le goûter": "[nom masqué], [nom masqué] et "
        "[nom masqué] ont préparé le goûter",
        "donner les clés à mamadou": "donner les clés à [nom masqué]",
        "Aurélie, infirmière : les patients n'ont plus de RDV": "[nom masqué], infirmière : les patients n'ont "
        "plus de RDV",
        "Céline (assistante maternelle) : pas de relais": "[nom masqué] (assistante maternelle) : pas de relais",
        "Sébastien du club de VTT propose des sorties": "[nom masqué] du club de VTT propose des sorties",
        "Le petit Enzo s'est fait renverser devant l'école": "Le petit [nom masqué] s'est fait renverser devant "
        "l'école",
        "Rien n'a changé pour les bus. R. Fabre": "Rien n'a changé pour les bus. [nom masqué]",
        "Plus de lumière près de la gare. Signé : la famille Durand": "Plus de lumière près de la gare. Signé : la "
        "famille [nom masqué]",
    }
    kept = [
        "Albert a besoin d'une gare rénovée", "Albert marche de Noël", "Rendez-vous à Wilson samedi",
        "Après mai 2011 les ateliers continuent", "Dans l'Aude les rivières débordent",
        "Blagnac, Colomiers et Balma doivent coopérer", "Rénover la place. Victor Hugo",
        "Plus de bus le soir. Colomiers, Blagnac", "Papa veut un parc", "Le bébé dort mal à cause du bruit",
        "Tintin et Milou sur la fresque", "PLUS DE BUS LE DIMANCHE - COLOMIERS",
        "Olivier : planter des arbres fruitiers",
        # (A regression hunt: a storm, a shop, a village, characters, a list of things after the last sentence.)
        "Après Klaus, il faut replanter les forêts.", "Le bar Chez Dédé est le seul lieu de vie du quartier.",
        "Gogo, le magasin de jouets, a fermé.", "Les enfants adorent Riri, Fifi et Loulou.",
        "Des arbres dans la cour — Luz", "Matériaux naturels pour les bancs. Pierre, bois et chanvre.",
        "Des couleurs pour les bancs. Rose, jaune ou blanc.", "Urban trail dans les rues du centre.",
        "rendez-vous à paul sabatier", "Colette, Sand et Weil : noms proposés pour les écoles",
        "Albert (Somme) : créer une navette vers la gare", "Le tram jusqu'au centre — St. Cyprien",
        "La famille Ferry a donné son nom au lycée", "Une aire de jeux pour les familles Nombreuses",
        # (The seed report's risk: « DD » read as a nickname, subject of « sont nouvelles ».)
        "Difficulté de mobiliser, alors que les démarches DD sont nouvelles : difficulté face à une étape nouvelle",
    ]  # fmt: skip
    texts = {**masked, **{text: text for text in kept}}
    mentions = recognised_people(list(texts), french_nlp)
    assert {text: masked_names(text, mentions.get(text, ())) for text in texts} == texts


def test_copies_of_an_answer_signed_by_different_people_are_one_idea_shown_unsigned(french_nlp):
    texts = [
        CAMPAIGN_ANSWER + "\nMarie Dubois",
        "Bonjour,\n" + CAMPAIGN_ANSWER + "\nCordialement, Sophie Petit",
        CAMPAIGN_ANSWER + " Merci pour cette consultation.",
        CAMPAIGN_ANSWER,
        CAMPAIGN_ANSWER,
    ]
    for nlp in (french_nlp, None):
        records = [
            Contribution(idea_id=str(k), document="c.csv", document_sha256="", page=1, kind="postit", text=text)
            for k, text in enumerate(texts)
        ]
        result = deduplicate_contributions(records, DedupSettings(), nlp)
        assert len({record.cluster_id for record in result}) == 1
        assert [record.canonical for record in result] == [False, False, False, True, False]


def test_a_thing_that_serves_or_goes_to_an_idea_is_another_idea(french_nlp):
    # QA: the shuttle to the market was one idea with the market, and shown for it.
    texts = ["Marché de producteurs tous les samedis", "Navette électrique vers le marché de producteurs du samedi"]
    assert cluster_texts(texts, DedupSettings(), french_nlp) == [0, 1]
    texts[1] = "Créer une navette électrique vers le marché de producteurs du samedi"  # (QA, adversarial round)
    assert cluster_texts(texts, DedupSettings(), french_nlp) == [0, 1]
    funded = ["Jardins partagés", "Subventions pour les jardins partagés"]
    assert cluster_texts(funded, DedupSettings(), french_nlp) == [0, 1]
    same = ["Pistes cyclables", "Aménagement de pistes cyclables vers les collèges"]
    assert cluster_texts(same, DedupSettings(), french_nlp) == [0, 0]
    # A means to do what the other says, or access to it, is that idea (QA, adversarial round).
    for same in (
        ["Apprendre à réparer son vélo", "Ateliers pour apprendre à réparer son vélo"],
        ["Eau potable dans les parcs", "Accès à l'eau potable dans les parcs"],
    ):
        assert cluster_texts(same, DedupSettings(), french_nlp) == [0, 0]


def test_a_hyphenated_place_or_a_district_on_the_last_line_is_no_signature(french_nlp):
    # QA, adversarial round: « Saint-Priest Centre » was read as its writer's name and left out, and
    # the same request for two places was one idea.
    idea = "Rénover la cour de l'école."
    texts = [f"{idea}\n{place}" for place in ("Saint-Priest Centre", "Pont-de-Claix Village", "Vénissieux Centre")]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 1, 2]
    assert [signed(f"{idea}\n{name}") for name in ("Jean-Marc Saint-Priest", "Sophie Petit", "Grenoble Nord")] == [
        True,
        True,
        False,
    ]


def test_a_thing_that_serves_an_idea_through_other_link_words_is_another_idea(french_nlp):
    # QA, adversarial round: « vers », « pour », « jusqu'à » were the only links looked at.
    market = "Marché de producteurs tous les samedis"
    for link in ("qui dessert le", "desservant le", "en direction du"):
        assert cluster_texts([market, f"Navette {link} marché de producteurs du samedi"], nlp=french_nlp) == [0, 1]
    for path in ("Chemin menant aux jardins partagés", "Sentier qui mène aux jardins partagés"):
        assert cluster_texts(["Jardins partagés", path], nlp=french_nlp) == [0, 1]
    assert cluster_texts(["Parc des expositions", "Accès au parc des expositions"], nlp=french_nlp) == [0, 0]


def test_a_thing_placed_beside_an_idea_is_another_idea(french_nlp):
    # QA (left open): « Parking à côté des jardins partagés » was one idea with « Jardins partagés ».
    for link in ("à côté des", "près des", "devant les", "autour des", "sur les"):
        assert cluster_texts(["Jardins partagés", f"Parking {link} jardins partagés"], nlp=french_nlp) == [0, 1]
    created = ["Créer des jardins partagés", "Créer un parking près des jardins partagés"]
    assert cluster_texts(created, nlp=french_nlp) == [0, 1]
    # After a verb, « sur » says what it is about: the seed's « Sensibiliser … sur le repérage ».
    about = "Sensibiliser les aides à domicile sur le repérage des fragilités"
    assert cluster_texts(["Sensibiliser au repérage des fragilités", about], nlp=french_nlp) == [0, 0]


def test_a_place_added_after_an_idea_narrows_it_whatever_the_words(french_nlp):
    # QA: « Piste cyclable devant l'école » was one idea with « Piste cyclable », while « Un banc près de la
    # mairie » stood apart from « Un banc » only as a text of one word (a place narrows an idea: bench/TRIED.md).
    for nlp in (french_nlp, None):
        for texts in (["Piste cyclable devant l'école", "Piste cyclable"], ["Un banc près de la mairie", "Un banc"]):
            assert cluster_texts(texts, DedupSettings(), nlp) == [0, 1]
    for link in ("près du", "à côté du", "le long du"):
        assert cluster_texts([f"Pistes cyclables {link} collège", "Pistes cyclables"], nlp=french_nlp) == [0, 1]
    # A complement that spells the idea out is the idea (« dans », « vers »: bench/TRIED.md).
    spelt_out = ["Pistes cyclables", "Aménagement de pistes cyclables vers les collèges"]
    assert cluster_texts(spelt_out, nlp=french_nlp) == [0, 0]
    # Second QA round: « … près de chez nous » and « … à côté des commerces » were one idea apart from the plain
    # one (the place word, shared, was taken for a word of the idea); « chez nous » names no place, as « chez moi ».
    parking = "Créer un parking vélo sécurisé"
    texts = [f"{parking} près de chez nous", f"{parking} à côté des commerces", parking]
    assert cluster_texts(texts, DedupSettings(), french_nlp) == [0, 1, 0]


def test_a_noun_ending_like_an_infinitive_is_no_action_s_verb(french_nlp):
    # QA, adversarial round: « Sentier », « Atelier »… (-er, -ir, -re) were read as the verb of an
    # action, passed over as such, and the path to the market was one idea with the market.
    texts = ["Marché de producteurs bio le samedi matin", "Sentier vers le marché de producteurs bio le samedi matin"]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 1]
    for thing in ("Jardins partagés", "Centre social"):
        assert cluster_texts([thing, f"Atelier pour {thing.lower()}"], DedupSettings(), french_nlp) == [0, 1]
    openings = ("Culture pour tous", "Foyer", "Covoiturer", "Sécuriser")  # (a verb unknown to spaCy: its ending)
    for nlp in (french_nlp, None):
        analyzer = TextAnalyzer(DedupSettings(), nlp)
        assert [bool(analyzer.unit(text).action) for text in openings] == [False, False, True, True]


def test_a_place_alone_on_the_last_line_is_no_signature(french_nlp):
    # QA, adversarial round: one word after the last sentence was read as its writer's name, and
    # the same request for two districts was one idea.
    texts = ["Rénover la cour de l'école.\nMistral", "Rénover la cour de l'école.\nBerriat"]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 1]
    idea = "Rénover la cour de l'école."
    signed_copies = [idea + "\nMarie Dubois", idea, idea + "\nPaul"]
    assert cluster_texts(signed_copies, DedupSettings(), french_nlp) == [0, 0, 0]
    # Nor are two words that open a place's name (QA, adversarial round: eight districts, one idea).
    places = ["Vieux Lyon", "Haut Valmont", "Grande Rue", "Voie Verte", "Village Olympique", "Parking Europole"]
    texts = [f"Des bancs à l'ombre près de l'école.\n{place}" for place in places]
    assert cluster_texts(texts, DedupSettings(), french_nlp) == list(range(len(places)))
    # A topic before a colon is no writer's name (QA, adversarial round: « Tram : … » was not shown).
    assert not signed("Tram : prolonger la ligne jusqu'à la gare") and signed("Marc : + de pistes cyclables !!")


def test_names_in_a_long_text_are_looked_for_in_linear_time():
    # A regression hunt: each first name of a long text read the whole text before it again (13 s for 70,000
    # characters of « lucas et emma »); milliseconds now.
    text = "lucas et emma " * 5_000
    assert masked_people(text) == text


def test_a_number_in_words_before_a_non_breaking_space_is_read():
    # A second _NEXT_WORD, written for the masking of names (f16acb2), took the place of the one that reads the
    # word after a number: « cinq » before a non-breaking space and « places » was no longer « 5 ».
    assert cluster_texts(["Créer cinq\u00a0places de parking vélo", "Créer 5 places de parking vélo"]) == [0, 0]


def test_an_amount_written_with_a_long_s_is_read():
    # A regression hunt: « Mdſ » (a long s, which matches « s » when case is ignored) was no key of the units: a
    # traceback out of atelier dedup.
    texts = ["Budget de 3 Mdſ € pour le quartier", "Budget de 3 Mds € pour le quartier"]
    assert cluster_texts(texts) == [0, 0]


def test_long_runs_of_digits_or_letters_before_an_at_sign_are_read_in_linear_time():
    # QA, adversarial round: 20,000 digits took 67 s (a number pattern tried from every digit), a
    # 60,000-letter word before « @ » 34 s; each takes milliseconds now (this test ran for minutes).
    texts = ["Planter " + "1" * 20_000, "x" * 60_000 + "@gmail.com", "Planter des arbres", "Planter des arbres"]
    assert cluster_texts(texts) == [0, 1, 2, 2]


def test_the_wording_shown_does_not_depend_on_the_order_of_the_rows(french_nlp):
    # QA: two copies as good, each shown in turn as the file was shuffled.
    idea = "Plus de bancs au jardin de ville"
    texts = [idea + "!", idea + ".", idea + "?"]
    shown = set()
    for ordered in (texts, texts[::-1], texts[1:] + texts[:1]):
        records = [contribution(k, text) for k, text in enumerate(ordered)]
        result = deduplicate_contributions(records, DedupSettings(), french_nlp)
        assert len({r.cluster_id for r in result}) == 1
        shown.update(r.text for r in result if r.canonical)
    assert len(shown) == 1


def test_of_two_wordings_as_good_the_one_without_its_writers_name_or_contact_is_shown(french_nlp):
    # QA: a copy signed with a name, an e-mail and a phone number was shown for its cluster.
    idea = "Remplacer les vieilles chaudières au fioul par des pompes à chaleur"
    texts = [idea + "\n\nJean-Pierre Martin – jp.martin79@orange.fr – 0423557221", "Bonjour, " + idea.lower()]
    for ordered in (texts, texts[::-1]):
        records = [contribution(k, text) for k, text in enumerate(ordered)]
        result = deduplicate_contributions(records, DedupSettings(), french_nlp)
        assert len({record.cluster_id for record in result}) == 1
        assert [record.text for record in result if record.canonical] == ["Bonjour, " + idea.lower()]


def test_a_wording_opened_by_its_writers_name_is_not_shown(french_nlp):
    # QA: « Marc : + de pistes cyclables !! » was shown for its cluster (participants' names are personal data).
    texts = ["Marc : + de pistes cyclables !!", "+ de pistes cyclables"]
    for ordered in (texts, texts[::-1]):
        records = [contribution(k, text) for k, text in enumerate(ordered)]
        result = deduplicate_contributions(records, DedupSettings(), french_nlp)
        assert len({record.cluster_id for record in result}) == 1
        assert [record.text for record in result if record.canonical] == ["+ de pistes cyclables"]


def test_copies_signed_by_different_writers_are_one_idea_whatever_else_the_file_holds(french_nlp):
    # QA (rural Agenda 21): the copy opened by « Marc : » stood alone when a copy signed « - Josiane »
    # was in the file (each name read as a word the other replaced), and « Créer une AMAP - Josiane »
    # was no « Créer une AMAP ».
    idea = "Créer une AMAP sur la commune pour les familles"
    copies = ["Marc : créer une AMAP sur la commune pour les familles", idea, idea + " - Josiane"]
    short = [["Créer une AMAP - Josiane", "Créer une AMAP"], ["Marc : créer une AMAP", "Créer une AMAP"]]
    for nlp in (french_nlp, None):
        assert cluster_texts(copies, DedupSettings(), nlp) == [0, 0, 0]
        for texts in short:
            assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0]
    # A name that is no common first name, or two words after a dash, may be the idea's (a place, a street).
    for nlp in (french_nlp, None):
        assert cluster_texts(["Des bancs - Berriat", "Des bancs - Mistral"], DedupSettings(), nlp) == [0, 1]
        assert cluster_texts(["Piste cyclable - Jean Jaurès", "Piste cyclable - Victor Hugo"], nlp=nlp) == [0, 1]


def test_copies_signed_with_a_first_name_and_a_surname_are_one_idea_shown_unsigned(french_nlp):
    # QA (left open): « - Marie Dubois » and « - Jean Martin » were words of the idea: two groups, each shown signed.
    idea = "Créer une maison des associations"
    texts = [idea + " - Marie Dubois", idea + " - Jean Martin", idea]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts[:2], DedupSettings(), nlp) == [0, 0]
    for ordered in (texts, texts[::-1]):
        result = deduplicate_contributions([contribution(k, t) for k, t in enumerate(ordered)], nlp=french_nlp)
        assert [record.text for record in result if record.canonical] == [idea]
    # A place of two words on a last line, or after a dash, is the idea's, not a signature.
    for place in ("Lyon Confluence", "Saint-Priest Centre", "Vénissieux Centre", "Victor Hugo"):
        assert not signed(f"Rénover la cour de l'école.\n{place}") and not signed(f"Des bancs - {place}")
    # (A title and a surname on the last line sign the text, as before: « M. Dupont ».)
    assert all(signed(f"Rénover la cour de l'école.\n{name}") for name in ("M. Dupont", "Mme Martin", "Marie Dubois"))
    places = [f"Rénover la cour de l'école.\n{place}" for place in ("Lyon Confluence", "Lyon Gerland")]
    assert cluster_texts(places, DedupSettings(), french_nlp) == [0, 1]


def test_copies_signed_on_their_last_line_without_a_full_stop_are_one_idea(french_nlp):
    # QA: « Plus de bancs⏎Mme Martin » and « …⏎Mme Durand » were two ideas (« M. Martin » joined
    # only by its point); a place alone on the last line stays the idea's.
    idea = "Plus de bancs dans le parc"
    texts = [idea + "\nMme Martin", idea + "\nKevin Durand", idea]
    assert cluster_texts(texts, DedupSettings(), french_nlp) == [0, 0, 0]
    places = [idea + "\nLyon Confluence", idea]
    assert cluster_texts(places, DedupSettings(), french_nlp) == [0, 1]


def test_a_place_of_two_words_after_a_dash_or_on_a_last_line_narrows_the_idea(french_nlp):
    # « … - Lyon Confluence » was one idea with the same request for no place: its first word, opening
    # a sentence, was read as no name, and the place did not follow a word of the other text.
    idea = "Développer les pistes cyclables"
    for place in (" - Lyon Confluence", " - Vénissieux Centre", ".\nVictor Hugo"):
        for nlp in (french_nlp, None):
            assert cluster_texts([idea + place, idea], DedupSettings(), nlp) == [0, 1]


def test_a_name_written_surname_first_or_with_a_particle_signs_even_after_a_place_word(french_nlp):
    # QA: « - Dubois Marie » and « - Marie-Claire de la Tour » were read as words of the idea: each
    # signed copy its own group. A second QA round: a name after a place word (« … dans le parc -
    # Jean Dupont ») read as the place's kept each signed copy apart, its writer's name shown.
    for nlp in (french_nlp, None):
        idea = "Plus de bancs"
        texts = [idea + " - Dubois Marie", idea + " - Marie-Claire de la Tour", idea + " - Paul Durand", idea]
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0, 0, 0]
        parks = ["Plus de bancs dans le parc - Jean Dupont", "Plus de bancs dans le parc", "Rénover la cour de l'école"]
        parks += ["Rénover la cour de l'école - Marie Dubois", "Agrandir le parking de la gare - Pierre Martin"]
        parks += ["Agrandir le parking de la gare"]
        assert cluster_texts(parks, DedupSettings(), nlp) == [0, 0, 1, 1, 2, 2]
    assert signed("Plus de bancs - Dubois Marie") and signed("Plus de bancs - Marie-Claire de la Tour")
    assert signed("Plus de bancs dans le parc - Jean Dupont") and not signed("Rénover l'école (Louise Michel)")
    assert signed("Plus de bancs au parc - Josiane") and signed("Rénover l'école - Mme Martin")


@pytest.mark.parametrize("signature", [" - Gisèle", " - Paul", " - Kevin", ". Yvette", " (Marc)"])
def test_a_wording_signed_after_a_dash_in_brackets_or_after_its_sentence_is_not_shown(french_nlp, signature):
    # QA (rural Agenda 21): « Portage de repas pour les personnes âgées isolées - Gisèle » was shown for
    # its cluster, its writer's name read as one word more of the idea.
    idea = "Portage de repas pour les personnes âgées isolées"
    texts = [idea + signature, idea]
    assert signed(texts[0]) and not signed(texts[1])
    for ordered in (texts, texts[::-1]):
        records = [contribution(k, text) for k, text in enumerate(ordered)]
        result = deduplicate_contributions(records, DedupSettings(), french_nlp)
        assert len({record.cluster_id for record in result}) == 1
        assert [record.text for record in result if record.canonical] == [idea]


def test_a_stance_against_and_swapped_directions_are_opposite_ideas(french_nlp):
    # QA: merged at every level.
    pairs = [
        ("Plus de vélos, moins de voitures en centre-ville.", "Moins de vélos, plus de voitures en centre-ville."),
        ("Je suis pour la piste cyclable rue Garibaldi.", "Je suis contre la piste cyclable rue Garibaldi."),
    ]
    for first, second in pairs:
        for nlp in (french_nlp, None):
            assert cluster_texts([first, second], DedupSettings(), nlp) == [0, 1]
    same = ["Plus de vélos, moins de voitures en centre-ville.", "Plus de vélos et moins de voitures en centre-ville"]
    assert cluster_texts(same, DedupSettings(), french_nlp) == [0, 0]


def test_two_misspellings_of_one_long_word_are_one_word(french_nlp):
    # Each copy was a typo away from the answer but two from the other: they could not share its
    # cluster (QA: 147 of a campaign's 176 misspelt copies were apart). Short words stay strict.
    texts = [
        CAMPAIGN_ANSWER,
        CAMPAIGN_ANSWER.replace("métropole", "métrropole"),
        CAMPAIGN_ANSWER.replace("métropole", "métropoole"),
    ]
    assert cluster_texts(texts, DedupSettings(), french_nlp) == [0, 0, 0]
    assert cluster_texts(["Un banc rue Garibaldo", "Un banc rue Gariboldi"], DedupSettings(), french_nlp) == [0, 1]


def test_blocks_cost_at_most_the_budget_but_for_their_last_item():
    rnd = random.Random(1)
    for _ in range(200):
        costs = [rnd.choice([0, 1, 2, 3, 9]) for _ in range(rnd.randint(1, 30))]
        blocks = _blocks(costs, budget=5)
        assert [start for start, _ in blocks] == [0, *[stop for _, stop in blocks[:-1]]]
        assert blocks[-1][1] == len(costs)
        assert all(sum(costs[start : stop - 1]) <= 5 for start, stop in blocks)
        assert len(blocks) <= sum(costs) // 5 + 1
    assert _blocks([3, 3, 3, 10, 1], budget=5) == [(0, 2), (2, 4), (4, 5)]
    assert _blocks([], budget=5) == []


def test_blocking_in_small_blocks_finds_the_same_pairs():
    """Blocks are bounded by the entries of the product and the words of the pairs checked (long
    answers repeating the same paragraphs took 3.4 GB for 10,000 texts): cutting the work into
    blocks of one row or one pair changes no candidate."""
    texts = sorted({t for r in load_pairs() for t in (r["text_a"], r["text_b"])})
    rnd = random.Random(3)
    paragraphs = texts[:40]
    long_answers = [". ".join(rnd.sample(paragraphs, 6)) for _ in range(60)]
    units, _ = TextAnalyzer(DedupSettings(), None).units(_variants(texts, seed=5) + long_answers)
    whole = candidate_pairs(units, DedupSettings())
    assert len(whole) > 300
    assert candidate_pairs(units, DedupSettings(block_entries=1)).tolist() == whole.tolist()
    assert candidate_pairs(units, DedupSettings(block_entries=200)).tolist() == whole.tolist()


@pytest.mark.parametrize("with_spacy", [False, True])
def test_verified_level_is_the_level_of_pair_level(with_spacy, request):
    nlp = request.getfixturevalue("french_nlp") if with_spacy else None
    texts = sorted({t for r in load_pairs() for t in (r["text_a"], r["text_b"])})[:120]
    units, _ = TextAnalyzer(DedupSettings(), nlp).units(_variants(texts, seed=4))
    settings = DedupSettings()
    levels = []
    for first in range(len(units)):
        for second in range(first + 1, len(units)):
            level = pair_level(units[first], units[second], settings, with_spacy)[0]
            assert verified_level(units[first], units[second], settings, with_spacy) == level
            levels.append(level)
    assert {"near", "paraphrase" if with_spacy else None, None} <= set(levels)


def test_word_groups_join_the_first_matching_stem_as_comparing_all_stems_does():
    rnd = random.Random(3)
    base = "participation participatif habitant habitants logement logements mobilite mobilites quartier".split()
    base += "former fermer forme formation energie energies transport transports solidarite".split()
    words = set(base)
    for word in base:  # typos: a letter missing, added, replaced or two swapped
        for _ in range(3):
            position = rnd.randrange(len(word) - 1)
            words.add(word[:position] + word[position + 1 :])
            words.add(word[:position] + "x" + word[position:])
            words.add(word[:position] + "y" + word[position + 1 :])
            words.add(word[:position] + word[position + 1] + word[position] + word[position + 2 :])
    stems = sorted(words, key=lambda word: (rnd.random(), word))
    surfaces = {stem: {stem + "s"} for stem in stems[::3]}

    def variants(stem: str) -> list[str]:
        return [stem, *surfaces.get(stem, ())]

    expected: list[int] = []
    for index, stem in enumerate(stems):
        matches = (
            expected[other_index]
            for other_index, other in enumerate(stems[:index])
            if is_derived(stem, other, loose=True)
            or any(is_typo(a, b, loose=True) for a in variants(stem) for b in variants(other))
        )
        expected.append(next(matches, max(expected, default=-1) + 1))
    assert _word_groups(stems, surfaces, loose=True) == expected
    assert len(set(expected)) < len(stems) / 2


def test_stems_sharing_a_variant_key_are_found_through_its_hash():
    rnd = random.Random(5)
    letters = "abcdeéèfghijklmnopqrstuvwxyzœ1"
    for _ in range(50):
        base = ["".join(rnd.choice(letters[: rnd.choice((5, 30))]) for _ in range(rnd.randint(3, 12))) for _ in range(40)]
        words = set(base)
        for word in base:  # a letter missing, added, replaced or two swapped
            position = rnd.randrange(len(word) - 1)
            words.add(word[:position] + word[position + 1 :])
            words.add(word[:position] + "x" + word[position:])
            words.add(word[:position] + "y" + word[position + 1 :])
            words.add(word[:position] + word[position + 1] + word[position] + word[position + 2 :])
        stems = sorted(words)
        variants = [[stem, *([stem + "s"] if rnd.random() < 0.3 else [])] for stem in stems]
        keys = [_variant_keys(stem, words) for stem, words in zip(stems, variants, strict=True)]
        found = _sharing_key(stems, variants)
        for index in range(len(stems)):
            sharing = [other for other in range(index) if keys[index] & keys[other]]
            assert set(sharing) <= set(found.get(index, ()))  # a chance collision may add one
            assert found.get(index, []) == sorted(found.get(index, []))


def test_thousands_of_texts_keep_their_copies_with_an_accent_dropped_together():
    # (Its speed is measured by bench/dedup.py, not asserted here.)
    random.seed(7)
    words = (
        "organiser développer favoriser habitants quartier emploi entreprise santé logement transport énergie "
        "précarité citoyen école jeunes réseau acteurs politique publique durable social cohésion"
    ).split()
    texts = [" ".join(random.choice(words) for _ in range(random.randint(4, 14))) for _ in range(4000)]
    texts += [text.replace("é", "e", 1) for text in texts[:500]]
    labels = cluster_texts(texts)
    assert len(labels) == 4500
    assert all(labels[4000 + i] == labels[i] for i in range(500))


def test_similar_pairs_and_pairwise_counts():
    texts = [CONSEQUENCES, WASTE_ECONOMIC, CONSEQUENCE, CONSEQUENCES]
    assert similar_pairs(texts) == [(0, 2, "near")]
    assert pairwise_counts([0, 0, 1, 1], ["a", "a", "a", "b"]) == (1, 2, 3)


def test_settings_are_validated_and_read_from_configuration():
    with pytest.raises(ValueError):
        DedupSettings(near_threshold=0)
    with pytest.raises(ValueError):
        DedupSettings(containment_threshold=0.6, blocking_share=0.7)
    with pytest.raises(ValueError, match="weak_word_weight"):  # (1 would make every generic word a content word)
        DedupSettings(weak_word_weight=1.0)
    # A workshop's abbreviations are added to the defaults, a hyphenated word spelt out as texts write it.
    settings = DedupSettings.from_mapping(
        {"near_threshold": 85, "abbreviations": {"PDIE": "plan de déplacements inter-entreprises"}}
    )
    assert settings.near_threshold == 85
    assert settings.abbreviations[-1] == ("PDIE", "plan de déplacements inter-entreprises")
    assert ("PLU", "plan local d'urbanisme") in settings.abbreviations
    assert compare_texts("Réviser le PLU de la commune", "Réviser le plan local d'urbanisme de la commune", settings)[0] == "near"
    pair = ("Réviser le PDIE de la zone", "Réviser le plan de déplacements inter-entreprises de la zone")
    assert compare_texts(*pair, settings)[0] == "near"
    with pytest.raises(ValueError, match="réglage inconnu : treshold"):
        DedupSettings.from_mapping({"treshold": 3})
    # A lower containment takes the share that picks the pairs down with it unless that is given (QA).
    assert DedupSettings.from_mapping({"containment_threshold": 0.6}).blocking_share == 0.6
    assert DedupSettings().changed() == {} and DedupSettings.from_mapping({"paraphrase": False}).changed() == {
        "paraphrase": False
    }
    with pytest.raises(ValueError, match="baissez-les ensemble"):
        DedupSettings.from_mapping({"containment_threshold": 0.6, "blocking_share": 0.7})


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("Protéger les haies du PLUi-H", "Protéger les haies du plan local d'urbanisme intercommunal habitat"),
        ("Protéger les haies dans le PLUiH", "Protéger les haies dans le PLUi-H"),
        ("Étendre la ZFE-m au centre", "Étendre la zone à faibles émissions mobilité au centre"),
        ("Étendre la ZFEm au centre", "Étendre la ZFE-m au centre"),
        ("Réviser le P.C.A.E.T. vite", "Réviser le plan climat air énergie territorial vite"),
    ],
)
def test_an_abbreviation_written_with_a_hyphen_or_points_is_one_word(written, other):
    # QA (a consultant's territory): « PLUi-H » and « ZFE-m » declared did nothing, and « PLUi-H » lost a group.
    settings = DedupSettings.from_mapping({"abbreviations": {
        "PLUi-H": "plan local d'urbanisme intercommunal habitat", "ZFE-m": "zone à faibles émissions mobilité",
        "P.C.A.E.T.": "plan climat air énergie territorial",
    }})  # fmt: skip
    assert compare_texts(written, other, settings)[0] == "near"
    assert compare_texts("Réviser le PLUi de la commune", "Réviser le PLUi-H de la commune", settings)[0] is None


def test_the_canonical_one_says_the_most_in_the_cleanest_words(french_nlp):
    # The longest wording was shown, framing, typos, votes and all.
    texts = [
        "Proposition : créer des jardins partagés dans les quartiers (prioritaire)",
        "Créer des jardins partagés dans les quartiers",
        "creer des jardins partages dans les quartiers svp",
        "Créer des jardins partagés dans les quartierss",
        "Créer des jardins partagés dans les quartiers (3 votes)",
        "Créer des jardins partagés dans les quartiers",
    ]
    result = deduplicate_contributions([contribution(i, text) for i, text in enumerate(texts)], nlp=french_nlp)
    assert len({c.cluster_id for c in result}) == 1
    assert [c.canonical for c in result] == [False, True, False, False, False, False]
    assert summarize_clusters(result)[0].canonical_text == texts[1]
    # Even when the framed, numbered or shouted wording is the more repeated one.
    for noisy in (texts[0], "2. Créer des jardins partagés dans les quartiers", texts[1].upper(), "Idée : " + texts[1]):
        result = deduplicate_contributions(
            [contribution(0, noisy), contribution(1, noisy), contribution(2, texts[1])], nlp=french_nlp
        )
        assert [c.canonical for c in result] == [False, False, True], noisy
    # Of wordings alike, the one written in full.
    short, full = "Lutter contre leurs conséquence", "Lutter contre leurs conséquences"
    result = deduplicate_contributions([contribution(0, short), contribution(1, full)], nlp=french_nlp)
    assert [c.canonical for c in result] == [False, True]
    # QA: a preposition made an unaccented copy say more; a noun once beat its verb twice, as
    # longer; an aside saying what the resources are counted as framing.
    for texts, expected in (
        (["Réduire l'éclairage public la nuit", "Baisser l'eclairage public pendant la nuit"], 0),
        (["Créer des pistes cyclables", "Création de pistes cyclables", "Créer des pistes cyclables"], 0),
        (["Lutter contre la précarité des foyers", "Lutter contre la précarité des foyers (eau, énergie)"], 1),
    ):
        result = deduplicate_contributions([contribution(i, text) for i, text in enumerate(texts)], nlp=french_nlp)
        assert len({c.cluster_id for c in result}) == 1, texts
        assert [c.canonical for c in result].index(True) == expected, texts


def test_a_list_item_number_is_not_part_of_the_idea():
    # "2. Créer…" was apart from "Créer…" and merged with "… dans les 2 quartiers".
    texts = [
        "Créer des jardins partagés dans les quartiers",
        "1) Créer des jardins partagés dans les quartiers",
        "2. Créer des jardins partagés dans les quartiers",
        "N°3 Créer des jardins partagés dans les quartiers",
        "Créer des jardins partagés dans les 2 quartiers",
        "2030 : atteindre la neutralité carbone",
        "2050 : atteindre la neutralité carbone",
    ]
    labels = cluster_texts(texts)
    assert labels[0] == labels[1] == labels[2] == labels[3]
    assert len({labels[0], labels[4], labels[5], labels[6]}) == 4


@pytest.mark.parametrize(
    ("doing", "lessening"),
    [
        ("Densifier l'habitat autour des gares", "Limiter la densification de l'habitat autour des gares"),
        (
            "Développer les zones commerciales en périphérie",
            "Stopper le développement des zones commerciales en périphérie",
        ),
        ("Construire des parkings en centre-ville", "Arrêter la construction de parkings en centre-ville"),
        ("Artificialiser les terres agricoles", "Freiner l'artificialisation des terres agricoles"),
        (
            "Augmenter les loyers des logements sociaux rénovés",
            "Éviter l'augmentation des loyers des logements sociaux rénovés",
        ),
        # What a text asks for by naming it, or after its verb (QA: each pair was one idea, the
        # refusal its canonical wording).
        ("Une nouvelle zone commerciale en périphérie", "Refuser toute nouvelle zone commerciale en périphérie"),
        ("Créer une nouvelle zone commerciale en périphérie", "Refuser toute nouvelle zone commerciale en périphérie"),
        ("Parkings gratuits en centre-ville", "Supprimer les parkings gratuits en centre-ville"),
        ("Éclairage public dans les parcs la nuit", "Arrêter l'éclairage public dans les parcs la nuit"),
        (
            "Construction d'une rocade au nord de la ville",
            "Abandonner le projet de construction d'une rocade au nord de la ville",
        ),
        ("Publicité lumineuse sur les abribus", "Interdire la publicité lumineuse sur les abribus"),
        ("Vidéosurveillance dans les quartiers", "Moins de vidéosurveillance dans les quartiers"),
        ("Logements sociaux dans le centre", "Limiter les logements sociaux dans le centre"),
    ],
)
def test_an_idea_and_one_lessening_it_are_two_ideas(french_nlp, doing, lessening):
    assert compare_texts(doing, lessening, nlp=french_nlp)[0] is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Réviser le PLU pour densifier les quartiers",
            "Révision du plan local d'urbanisme pour densifier les quartiers",
        ),
        ("Plus de parkings relais en périphérie", "Davantage de parkings-relais en périphérie"),
    ],
)
def test_nouns_in_sion_and_davantage_de_are_read_as_their_verb_and_plus_de(french_nlp, first, second):
    # QA: "révision" kept a stem of its own, "davantage de" was two words.
    assert compare_texts(first, second, nlp=french_nlp)[0] is not None


def test_an_electric_bike_written_vae_is_one(french_nlp):
    # QA, a Plan Climat's post-its: « VAE » is how they write « vélo à assistance électrique ».
    texts = ["Aide à l'achat de VAE", "Aide à l'achat de vélos à assistance électrique"]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0]


def test_a_community_of_communes_written_cc_and_carpooling_written_covoit_are_one_shown_in_full(french_nlp):
    # QA, a rural Agenda 21: « la CC » and « covoit' » are how its participants write them.
    pairs = [
        ["Un bulletin d info de la communauté de communes", "Un bulletin d info de la CC"],
        ["Des aires de covoiturage aux échangeurs", "Des aires de covoit' aux échangeurs"],
    ]
    for texts in pairs:
        for nlp in (french_nlp, None):
            assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0]
        for ordered in (texts, texts[::-1]):  # (the word in full shown, as « VAE » or « TC » are not)
            result = deduplicate_contributions([contribution(k, t) for k, t in enumerate(ordered)], nlp=french_nlp)
            assert [record.text for record in result if record.canonical] == [texts[0]]


def test_a_community_of_communes_written_comcom_is_the_cc_shown_in_full(french_nlp):
    # QA (left open): « comcom », « com com », « com' com' » were not read as « la CC ».
    full = "Vider les bennes de la communauté de communes"
    for short in ("comcom", "com com", "com' com'"):
        texts = [full, f"Vider les bennes de la {short}"]
        for nlp in (french_nlp, None):
            assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0]
        for ordered in (texts, texts[::-1]):
            result = deduplicate_contributions([contribution(k, t) for k, t in enumerate(ordered)], nlp=french_nlp)
            assert [record.text for record in result if record.canonical] == [full]


@pytest.mark.parametrize("clipped", ["asso", "asso'", "ados"])
def test_a_clipped_word_is_not_shown_when_a_wording_in_full_is_there(french_nlp, clipped):
    # QA (left open): « Salle pour les ados » was shown for « Salle pour les adolescents » (the shortest).
    full = {"asso": "associations", "asso'": "associations", "ados": "adolescents"}[clipped]
    texts = [f"Salle pour les {clipped}", f"Salle pour les {full}"]
    for ordered in (texts, texts[::-1]):
        result = deduplicate_contributions([contribution(k, t) for k, t in enumerate(ordered)], nlp=french_nlp)
        assert len({record.cluster_id for record in result}) == 1
        assert [record.text for record in result if record.canonical] == [texts[1]]


def test_changing_a_thing_is_replacing_it(french_nlp):
    # QA, a rural Agenda 21: « changer » for « remplacer » in a short text was a word replaced, refused.
    texts = ["Aides pour remplacer les chaudières au fioul", "Aides pour changer la chaudière au fioul"]
    for nlp in (french_nlp, None):
        assert cluster_texts(texts, DedupSettings(), nlp) == [0, 0]


def test_an_abbreviation_a_text_spells_out_is_known_to_the_whole_batch(french_nlp):
    # QA: "ZFE" is in no list; one text said what it stands for, the others were apart.
    texts = [
        "Instaurer une zone à faibles émissions (ZFE)",
        "Instaurer une ZFE",
        "Aider les quartiers prioritaires de la ville (QPV)",  # (the default list spells QPV otherwise)
        "Aider les QPV",
        "Réunir les habitants (3 votes)",
    ]
    assert abbreviations_spelt_out(texts) == (
        ("ZFE", "zone à faibles émissions"),
        ("QPV", "quartiers prioritaires de la ville"),
    )
    assert abbreviations_spelt_out(["Créer des AMAP (associations pour le maintien d'une agriculture paysanne)"]) == (
        ("AMAP", "associations pour le maintien d'une agriculture paysanne"),
    )
    labels = cluster_texts(texts, nlp=french_nlp)
    assert labels[0] == labels[1] != labels[2] == labels[3]


def test_lessening_the_same_thing_in_other_words_is_one_idea(french_nlp):
    # (The rule above must not part the ones going the same way, nor a problem named from the
    # wish to fight it.)
    pairs = [
        ("Éviter l'isolement des personnes âgées", "Isolement des personnes âgées"),
        ("Limiter la vitesse des voitures en ville", "Vitesse des voitures en ville"),
        ("Réduire la consommation d'énergie des bâtiments publics", "Consommation d'énergie des bâtiments publics"),
        ("Limiter la vitesse des voitures en ville", "Limitation de la vitesse des voitures en ville"),
        (
            "Réduire la consommation d'énergie des bâtiments publics",
            "Diminuer la consommation d'énergie des bâtiments publics",
        ),
    ]
    for first, second in pairs:
        assert compare_texts(first, second, nlp=french_nlp)[0] is not None, (first, second)


def test_an_action_opened_by_other_generic_words_is_one_idea(french_nlp):
    # QA: « Mettre en place une navette gratuite » and « Créer une navette gratuite » were two
    # ideas: a word replaced in a short text parts two texts, even a generic verb.
    same = [
        ("Mettre en place une navette gratuite", "Créer une navette gratuite"),
        ("Développer les pistes cyclables", "Créer des pistes cyclables"),
        ("Mise en place d'une navette gratuite", "Création d'une navette gratuite"),
        ("Favoriser l'emploi des jeunes", "Soutenir l'emploi des jeunes"),
    ]
    for first, second in same:
        assert together(first, second, french_nlp), (first, second)
    # Generic words of what the action is about, or after it, still part two texts.
    apart = [
        ("Coordonner les mobilisations sur les questions", "Par la promotion, coordonner les mobilisations"),
        ("Élaborer les aides dans le quartier Rangueil", "Élaborer la place dans le quartier Rangueil"),
        ("Valoriser des distributeurs sur les questions", "Valoriser des distributeurs sur le développement"),
        ("Créer une maison de santé", "Fermer une maison de santé"),
        ("Créer une maison des jeunes", "Rénovation de la maison des jeunes"),
        ("Créer une maison des jeunes", "Rénover la maison des jeunes avec les animateurs"),
        # … nor when what follows them is an action the other gives an object, or they come after
        # another complement (bench/dedup.py's synthetic ideas).
        ("Promouvoir l'accompagnement à Launaguet", "Accompagner le vieillissement à Launaguet"),
        ("Créer une cartographie dans le quartier Lardenne", "Cartographier la prise dans le quartier Lardenne"),
        ("Vers la création, élaborer le diagnostic", "Élaborer le diagnostic avec l'université"),
        ("Développer une appropriation pour les entreprises", "Pour les entreprises, financer l'appropriation"),
        ("Améliorer la qualité de l'air", "Évaluer la qualité de l'air"),
    ]
    for first, second in apart:
        assert not together(first, second, french_nlp), (first, second)


@pytest.mark.parametrize(
    ("short", "spelt_out"),
    [
        (
            "Intégrer des objectifs de biodiversité dans le PLU",
            "Intégrer des objectifs de biodiversité dans le plan local d'urbanisme",
        ),
        ("Soutenir l'IAE dans les quartiers", "Soutenir l'insertion par l'activité économique dans les quartiers"),
        (
            "Installer des bornes de recharge pour les VE",
            "Installer des bornes de recharge pour les véhicules électriques",
        ),
    ],
)
def test_public_policy_acronyms_are_their_spelt_out_words(short, spelt_out):
    assert compare_texts(short, spelt_out)[0] is not None


def test_one_thing_put_for_another_in_one_sentence_parts_two_ideas(french_nlp):
    # QA: « … des écoles par du double vitrage » and « … des logements sociaux par du double
    # vitrage » were one idea (the longer text "elaborating" with two words in the place of one).
    apart = [
        (
            "Remplacer les fenêtres simple vitrage des écoles par du double vitrage",
            "Remplacer les fenêtres simple vitrage des logements sociaux par du double vitrage",
        ),
        (
            "Créer des pistes cyclables sécurisées le long de la rocade nord",
            "Créer des pistes cyclables sécurisées le long du canal",
        ),
        # … even when the longer text adds words after all those they share (QA, held-out set).
        (
            "Ouvrir les cours de collège le week-end pour les enfants du quartier",
            "Ouvrir les cours d'école le week-end pour les enfants du quartier, avec un gardien et des jeux prêtés",
        ),
    ]
    for first, second in apart:
        assert not together(first, second, french_nlp), (first, second)
    # Words added inside the sentence, elsewhere than the replaced one's place, still elaborate
    # (the labelled seed pair p046).
    assert together(
        "Sensibiliser les aides à domicile sur le repérage des problèmes énergétiques",
        "Sensibiliser les intervenants à domicile sur le repérage des problèmes de précarité énergétique",
        french_nlp,
    )


def test_an_abbreviation_spelt_with_a_small_word_or_by_one_word_is_known_too(french_nlp):
    # QA: « PAC (pompes à chaleur) » was not read (the « à » of its letters skipped), nor
    # « PV (photovoltaïques) » (one word).
    texts = [
        "Remplacer les chaudières au fioul par des pompes à chaleur",
        "Remplacer les chaudières au fioul par des PAC",
        "Installer des PAC (pompes à chaleur) dans les écoles",
        "Installer des ombrières photovoltaïques sur les parkings des supermarchés",
        "Ombrières PV sur les parkings des supermarchés",
        "Installer des panneaux PV (photovoltaïques) sur la salle des fêtes",
    ]
    assert abbreviations_spelt_out(texts) == (("PAC", "pompes à chaleur"), ("PV", "photovoltaïques"))
    assert abbreviations_spelt_out(["Réduire les gaz à effet de serre (GES)"]) == (("GES", "gaz à effet de serre"),)
    assert abbreviations_spelt_out(["Les DD (dd)", "Un PC (lampe)", "Le PV (vote)"]) == ()
    labels = cluster_texts(texts, nlp=french_nlp)
    assert labels[0] == labels[1] and labels[3] == labels[4]


@pytest.mark.parametrize(
    "texts",
    [
        # QA: the third text split a pair it called duplicates (a generic word replaced between members).
        [
            "Développer le télétravail pour les agents de la collectivité",
            "Encourager le télétravail des agents de la collectivité",
            "Développement du télétravail des agents",
        ],
        # « Rendre » opens an action as « Créer » does.
        [
            "Transports en commun gratuits pour tous",
            "Gratuité des transports en commun",
            "Rendre les transports en commun gratuits",
        ],
        # « Extinction » is the noun of « éteindre ».
        ["Extinction de l'éclairage public de 1h à 5h", "Éteindre l'éclairage public de 1h à 5h"],
        # Nouns in -age are their verb's (QA: « Éclairer / Éclairage du city stade le soir »).
        ["Éclairer le city stade le soir", "Éclairage du city stade le soir"],
        # QA: the aside « (3 votes) » made its text the heavier one, and its words moved the text's vector.
        ["Ouvrir le gymnase municipal le dimanche", "Ouverture du gymnase le dimanche (3 votes)"],
        # Words of one meaning no stemmer brings together (QA, consultations of other themes): a
        # noun and its adjective, the municipality by another name, « près de / à proximité de /
        # à côté de », « ouvert » and « rouvrir », « personnes âgées / seniors / aînés ».
        ["Stages de sport pendant les vacances", "Proposer des stages sportifs pendant les vacances"],
        ["Former les bénévoles des associations au secourisme", "Former les bénévoles associatifs au secourisme"],
        ["Organiser une fête du sport chaque année en juin", "Organisation d'une fête annuelle du sport en juin"],
        ["Recrutement d'un éducateur sportif par la mairie", "Recruter un éducateur sportif municipal"],
        ["Créer un skatepark près de la gare", "Création d'un skatepark à proximité de la gare"],
        ["Créer un point lecture près du collège", "Un point lecture à côté du collège"],
        ["Ouvrir le gymnase municipal le dimanche", "Il faudrait que le gymnase soit ouvert le dimanche"],
        ["Réouverture de la piscine municipale", "REOUVRIR LA PISCINE MUNICIPALE"],
        ["Portage de repas à domicile pour les personnes âgées", "Portage de repas à domicile pour les seniors"],
        ["Recueil de la mémoire des aînés", "Recueil de la mémoire des seniors"],
        ["Ateliers numériques pour les ados", "Ateliers numériques pour les adolescents"],
        ["Réduire la place de la voiture en centre-ville", "Réduire la place de l'automobile en centre-ville"],
        ["Rénover le terrain de foot synthétique", "Rénovation du terrain de football synthétique"],
        ["Préserver les terres agricoles", "Protection des terres agricoles"],
        # Numbers written in words (QA): two words or more, before a unit, in a frequency.
        ["Rénover 10 000 logements d'ici 2030", "Rénovation de dix mille logements d'ici 2030"],
        ["Pass jeunes à dix euros par an", "Pass jeunes à 10 euros par an"],
        ["Ouvrir la maison des jeunes jusqu'à vingt-deux heures", "Ouvrir la maison des jeunes jusqu'à 22h"],
        ["Un repas végétarien par semaine à la cantine", "1 repas végétarien par semaine à la cantine"],
        # One number word, where another text of the batch writes digits before the same word.
        ["Créer deux places de stationnement PMR", "Créer 2 places de stationnement PMR"],
        ["Installer 3 bancs sur la place du marché", "Installer trois bancs sur la place du marché"],
        # The words opening an action, missing from a text that elaborates without them (QA).
        ["Organiser un forum des associations", "Un forum des associations chaque année"],
        ["Créer une plateforme de répit pour les aidants", "Plateforme de répit pour les aidants familiaux"],
        # A word written in two (QA, youth set), whether another text of the batch joins it or not.
        ["Créer un skatepark près du collège", "Créer un skate park près du collège", "Un skate-park au collège"],
        ["Ouvrir la médiathèque le week end", "Ouvrir la médiathèque le weekend"],
        ["Un mini bus pour les seniors", "Un minibus pour les seniors"],
        ["Créer un éco quartier", "Créer un écoquartier"],
    ],
)
def test_wordings_of_one_idea_stand_in_one_cluster(french_nlp, texts):
    assert len(set(cluster_texts(texts, nlp=french_nlp))) == 1


@pytest.mark.parametrize(
    "first, second",
    [
        # QA, held-out consultation: « Un » and « Deux » repas were one idea.
        ("Un repas végétarien par semaine à la cantine", "Deux repas végétariens par semaine à la cantine"),
        ("Concerts à l'EHPAD une fois par mois", "Concerts à l'EHPAD deux fois par mois"),
        ("Licences moins chères pour les moins de dix-huit ans", "Licences moins chères pour les moins de 16 ans"),
        ("Ateliers numériques pour les personnes âgées", "Ateliers numériques pour les ados"),
        ("Une fête annuelle du sport", "Une fête mensuelle du sport"),
        ("Financer l'humain avec la Région", "Financer l'humain avec l'Agence régionale de santé"),
        ("Créer un skatepark près de la gare", "Créer un skatepark à côté du collège"),
        ("Créer un skatepark près de la gare", "Créer un parc près de la gare"),
    ],
)
def test_words_read_alike_still_part_different_ideas(french_nlp, first, second):
    assert not together(first, second, french_nlp)


def test_two_words_are_read_as_one_where_another_text_of_the_batch_joins_them():
    units, _ = TextAnalyzer(DedupSettings(), None).units(["Un skate park au parc", "Un skatepark", "Le park du skate"])
    assert units[0].content_key.split() == [units[1].content_key, "parc"]
    assert len(units[2].content_key.split()) == 2  # not side by side in that order: two words
    alone, _ = TextAnalyzer(DedupSettings(), None).units(["Un skate park au parc"])
    assert len(alone[0].content_key.split()) == 3


def test_a_number_word_alone_stays_a_word_where_it_may_not_count():
    analyzer = TextAnalyzer(DedupSettings(), None)
    # The labelled seed pair p029: the detail's « trois composantes » against a summary without number.
    assert analyzer.unit("Réaliser un répertoire en trois composantes").numbers == ()
    assert analyzer.unit("Organiser une fête chaque année").numbers == ()
    assert analyzer.unit("Créer un jardin pour les deux écoles").numbers == ()
    assert analyzer.unit("Réduire le bruit de moitié en cinq ans").numbers == ("5",)
    assert analyzer.unit("quatre-vingt-dix bancs et soixante et onze arbres").numbers == ("71", "90")


@pytest.mark.parametrize(
    "texts",
    [
        # QA: « Il faudrait installer… » (unaccented) was shown for the cluster: « faudrait » counted
        # as a content word, so that wording said more than « Installer… ».
        [
            "Installer des panneaux photovoltaïques sur les toits des bâtiments publics",
            "Il faudrait installer des panneaux photovoltaiques sur les toits des bâtiments publics",
            "Il faut installer des panneaux photovoltaïques sur les toits des bâtiments publics",
        ],
        # QA: « Gratuité des TC » was shown rather than « Gratuité des transports en commun » (shorter).
        ["Gratuité des transports en commun", "Gratuité des TC"],
    ],
)
def test_one_idea_is_shown_in_its_plainest_wording(french_nlp, texts):
    records = [
        Contribution(idea_id=str(i), document="d.pdf", document_sha256="", page=1, kind="postit", text=text)
        for i, text in enumerate(texts)
    ]
    clustered = deduplicate_contributions(records, DedupSettings(), french_nlp)
    assert len({record.cluster_id for record in clustered}) == 1
    assert [record.text for record in clustered if record.canonical] == [texts[0]]


def test_a_cluster_of_copies_is_shown_in_the_wording_its_copies_share(french_nlp):
    # QA: a petition's copy with typos and a sentence of its own said the most words, and was shown.
    petition = "Pour un vrai réseau express vélo : des pistes cyclables continues sur tous les grands axes"
    copies = [
        petition.replace("réseau", "résseau") + ". Mes enfants jouent sous ces arbres tous les jours.",
        petition.upper(),
        petition,
        petition + " 🚲",
    ]
    records = [contribution(i, text) for i, text in enumerate(copies)]
    clustered = deduplicate_contributions(records, DedupSettings(), french_nlp)
    assert len({record.cluster_id for record in clustered}) == 1
    assert [record.text for record in clustered if record.canonical] == [petition]
    # Two wordings: the one saying more is shown (a summary table's action and its detail).
    longer = contribution(9, petition + " de la ville")
    pair = deduplicate_contributions([records[2], longer], DedupSettings(), french_nlp)
    assert [record.text for record in pair if record.canonical] == [petition + " de la ville"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # The longer adds a place, a body or a time, or makes an exception (QA, a consultation on a
        # town square: each pair was one cluster, the longer its canonical text).
        ("Ajouter des bancs sur la place", "Ajouter des bancs sur la place de l'Église"),
        ("plus de places de stationnement sur la place", "Plus de places de parking sur la place de l'Église"),
        ("Supprimer les places de parking", "Supprimer les places de parking PMR"),
        ("Fermer la place aux voitures", "Fermer la place aux voitures le dimanche"),
        ("Passer le bourg en zone 30", "Passer le bourg en zone 30 sauf la Grande Rue"),
        ("Rénover la fontaine", "Rénover la fontaine ou la supprimer"),
        # « été » the season was a stop word (« a été »).
        ("Fermer la place aux voitures en été", "Fermer la place aux voitures en hiver"),
        ("Ouvrir la fontaine l'été", "Ouvrir la fontaine le soir"),
        ("Interdire les voitures pendant le marché", "Interdire les voitures après le marché"),
        # « pour » / « contre » a thing, after a colon or a word of a stance.
        ("Pétition contre la fermeture de la place", "Pétition pour la fermeture de la place"),
        ("Habitants : contre le parking souterrain", "Habitants : pour le parking souterrain"),
        ("Vote pour le parking souterrain", "Vote contre le parking souterrain"),
        # Doing away with a thing is not lessening it.
        ("Réduire le nombre de bancs devant la boulangerie", "Supprimer les bancs devant la boulangerie"),
        # A pretence of the thing is no thing (QA).
        ("Mettre des caméras de surveillance", "Mettre des fausses caméras de surveillance"),
        ("Installer un radar devant l'école", "Installer un radar factice devant l'école"),
    ],
)
def test_contributions_that_narrow_or_turn_round_a_proposal_stay_apart(first, second, french_nlp):
    assert not together(first, second, french_nlp)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Plus de poubelles sur la place", "Plus de corbeilles sur la place"),
        ("Le projet a été abandonné trop vite", "Le projet abandonné trop vite"),
        ("Ouvrir la médiathèque le dimanche", "Ouvrir la médiathèque le dimanche après-midi"),  # a time more precise
        ("Engager une réflexion sur le sujet", "La CUGT doit engager une réflexion sur le sujet"),  # who does it
        ("Marché de producteurs locaux", "Un marché de producteurs locaux en centre-ville"),  # no name, no time
    ],
)
def test_contributions_that_only_spell_out_a_proposal_are_one_idea(first, second, french_nlp):
    assert together(first, second, french_nlp)


def test_a_letter_replaced_in_a_short_word_is_a_typo_only_of_a_word_the_language_lacks(french_nlp):
    # QA: a petition's copy with « pistis cycalbles » (a letter replaced in a six-letter word) was apart.
    petition = "Des pistes cyclables continues et séparées sur tous les grands axes de la ville"
    assert together(petition, petition.replace("pistes cyclables", "pistis cycalbles"), french_nlp)
    assert together(petition, petition.replace("pistes", "pistis"), french_nlp)
    # Two words of the language (« former » / « fermer »), or two names, are two words.
    assert not together("Former les agents d'accueil", "Fermer les agents d'accueil", french_nlp)
    assert not together("Une navette vers Berre", "Une navette vers Berry", french_nlp)
    assert not together(petition, petition.replace("pistes", "pistis"), None)  # (without spaCy, no word is known)


def test_one_number_word_is_read_as_digits_only_where_the_batch_counts_that_word_in_digits(french_nlp):
    # "trois composantes" in a detail its summary says without a number (the seed pair p029) stays a word.
    texts = ["Installer deux bancs sur la place", "Installer 2 bancs sur la place", "Installer 3 bancs sur la place"]
    assert cluster_texts(texts, nlp=french_nlp) == [0, 0, 1]
    assert cluster_texts(list(reversed(texts)), nlp=french_nlp) == [0, 1, 1]
    analyzer = TextAnalyzer(DedupSettings(), None)
    units, _ = analyzer.units(["Deux composantes du projet", "2 places de parking"])
    assert units[0].numbers == () and units[1].numbers == ("2",)


def test_contre_in_an_aside_compares_and_turns_nothing_round(french_nlp):
    # « contre » after a parenthesis was read as a stance: the whole text turned round.
    short = "Atteindre 25 % de logement social"
    assert together(short, f"{short} (contre 15 % aujourd'hui)", french_nlp)


def test_items_of_one_reports_tables_may_spell_each_other_out(french_nlp):
    # A summary table abridges the detailed one: what two contributions may not do, two items of
    # one report's tables may (the seed's « … de la CUGT » / « … de la CUGT (diagnostic…) »).
    short, long = "Fermer la place aux voitures", "Fermer la place aux voitures le dimanche"
    as_postits = [contribution(0, short), contribution(1, long)]
    as_actions = [dataclasses.replace(item, kind="action") for item in as_postits]
    for items, expected in ((as_postits, False), (as_actions, True)):
        result = deduplicate_contributions(items, DedupSettings(), french_nlp)
        assert (result[0].cluster_id == result[1].cluster_id) is expected
    other_report = [as_actions[0], dataclasses.replace(as_actions[1], document="b.pdf")]
    result = deduplicate_contributions(other_report, DedupSettings(), french_nlp)
    assert result[0].cluster_id != result[1].cluster_id


def test_two_misspellings_of_the_founders_words_stay_in_its_cluster(french_nlp):
    # QA: each near-identical to the founder, two edits apart from each other: one was split off.
    texts = [
        "Installer des bancs sous les arbres",
        "Isntaller des bancs sous les arbres",
        "Intsaller des bancs sous les arbres",
    ]
    assert cluster_texts(texts, nlp=french_nlp) == [0, 0, 0]
    assert cluster_texts(texts) == [0, 0, 0]


def test_two_asides_naming_different_places_keep_two_ideas_apart(french_nlp):
    # QA: « Rénover l'école (Jean Moulin) » / « Rénover l'école (Jules Ferry) » were one idea: asides
    # are left out of the comparison, so the two schools were not told apart; so were two
    # neighbourhoods. The same place in both, or no aside in one, is still one idea.
    for nlp in (french_nlp, None):
        assert cluster_texts(["Rénover l'école (Jean Moulin)", "Rénover l'école (Jules Ferry)"], nlp=nlp) == [0, 1]
        gardens = ["Créer un jardin partagé (quartier Bellevue)", "Créer un jardin partagé (quartier des Izards)"]
        assert cluster_texts(gardens, nlp=nlp) == [0, 1]
        assert cluster_texts(["Rénover l'école (Jean Moulin)", "Rénover l'école (Jean Moulin)."], nlp=nlp) == [0, 0]
        assert cluster_texts([gardens[0], "Créer un jardin partagé (quartier Bellevu)"], nlp=nlp) == [0, 0]
        assert cluster_texts(["Créer un jardin partagé (Marie)", "Créer un jardin partagé (Paul)"], nlp=nlp) == [0, 0]
        assert cluster_texts(["Plus de bancs (quartier nord)", "Plus de bancs (quartier sud)"], nlp=nlp) == [0, 1]
        # QA: asides that say who, when or how often are no place: they keep no two copies apart.
        for asides in (("3 votes", "5 votes"), ("session 1", "session 2"), ("Marie D.", "Paul R."),
                       ("Saint-Cyprien", "St Cyprien"), ("Christine, habitante", "Paul, élu")):
            assert cluster_texts([f"Plus de bancs ({aside})" for aside in asides], nlp=nlp) == [0, 0], asides


def test_a_new_record_does_not_join_an_earlier_group_holding_a_wording_it_may_not_stand_with(french_nlp):
    # QA: a new « … sur les déchets d'activités économiques » joined, through the general « … sur les
    # déchets », the group where « … sur la gestion des déchets » was: two ideas counted as one.
    first = [
        contribution(0, "Durcir la réglementation sur la gestion des déchets"),
        contribution(1, "Durcir la réglementation sur les déchets"),
    ]
    earlier = deduplicate_contributions(first, nlp=french_nlp)
    assert earlier[0].cluster_id == earlier[1].cluster_id
    new = contribution(2, "Durcir la réglementation sur les déchets d'activités économiques", document="b.pdf")
    result = deduplicate_contributions([*earlier, new], nlp=french_nlp)
    assert [c.cluster_id for c in result[:2]] == [earlier[0].cluster_id] * 2
    assert result[2].cluster_id != earlier[0].cluster_id
    # It joins the group of a wording it may stand with.
    plain = contribution(3, "Durcir la réglementation sur les déchets !", document="b.pdf")
    assert deduplicate_contributions([*earlier, plain], nlp=french_nlp)[2].cluster_id == earlier[0].cluster_id


@pytest.mark.parametrize(
    "texts",
    [
        ["Créer des jardins partagés", "Creer des jardins partagé", "Créer des jardins partagés en pied d'immeuble"],
        ["Isoler les logements sociaux", "Isolation des logements sociaux", "Isoler les logements sociaux du parc HLM"],
        ["Augmenter les places en crèche", "Plus de places en crèche", "Augmenter le nombre de places en crèche"],
    ],
    ids=["typo", "nominalised", "reworded"],
)
def test_another_spelling_of_a_member_joins_its_group(french_nlp, texts):
    # QA: a longer wording founded a group that took the first text and left its other spelling
    # alone, although the two alone were one group: adding a row split them.
    pair = deduplicate_contributions([contribution(n, text) for n, text in enumerate(texts[:2])], nlp=french_nlp)
    assert pair[0].cluster_id == pair[1].cluster_id
    three = deduplicate_contributions([contribution(n, text) for n, text in enumerate(texts)], nlp=french_nlp)
    assert len({c.cluster_id for c in three}) == 1


def test_a_cluster_is_shown_in_its_words_written_in_full_not_clipped_in_the_plural(french_nlp):
    # QA: « Aider les assos de quartier… » was shown rather than « … les associations … ».
    texts = [
        "Aider les assos de quartier à organiser des repas partagés",
        "Aider les associations de quartier à organiser des repas partagés",
    ]
    for order in (texts, texts[::-1]):
        result = deduplicate_contributions([contribution(n, text) for n, text in enumerate(order)], nlp=french_nlp)
        assert len({c.cluster_id for c in result}) == 1
        assert [c.text for c in result if c.canonical] == [texts[1]]


def test_an_objective_is_not_merged_with_its_action_whose_cell_abridges_it(french_nlp):
    # QA: the action's objective cell « Lutter contre la précarité énergétique » abridged the objective
    # « … des ménages », and the two were one cluster.
    objective = "Lutter contre la précarité énergétique des ménages"
    items = [
        contribution(0, objective, kind="objective"),
        contribution(
            1, objective + " en isolant les logements", kind="action", objective="Lutter contre la précarité énergétique"
        ),
    ]
    result = deduplicate_contributions(items, nlp=french_nlp)
    assert result[0].cluster_id != result[1].cluster_id
