"""The `atelier` command line, run in-process with typer's CliRunner on real French ideas.

Every command runs in `tmp_path` (`monkeypatch.chdir`), so the defaults `data/raw`, `models`
and `data/processed` never touch the repository.
"""

from __future__ import annotations

import codecs
import datetime
import gettext
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from atelier.flows import tables
from atelier.flows.cli import app
from atelier.flows.modeling import french, load_axis_model
from atelier.flows.outputs import write_workbook
from atelier.nlp.axis_settings import ClassifierSettings
from atelier.nlp.language import analyse
from atelier.nlp.workshop import load_workshop

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "raw"
# Prefect settings for the invocations of the command line (which sets them if unset), restored after each.
PREFECT_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
}

REVIEW_COLUMNS = ["needs_review", "axis_2", "axis_2_confidence", "axis_evidence"]
IDEAS = [
    ("1", "Ouvrir une maison de santé avec des médecins dans chaque quartier", "5"),
    ("2", "Accompagner les jeunes sans diplôme vers un emploi dans les entreprises locales", "2"),
    ("3", "Créer un conseil citoyen où les habitants donnent leur avis sur les projets", "3"),
    ("4", "Mettre en cohérence les Agendas 21 des communes et de la communauté urbaine", "1"),
    ("5", "Lutter contre la précarité énergétique des ménages pauvres", "4"),
]

USER_WORKSHOP = """\
id: mobilites
title: "Atelier mobilités du quotidien"
language: fr
axes:
  - id: velo
    label: "Développer le vélo"
    description: "Pistes cyclables, stationnement des vélos, location de vélos, sécurité des cyclistes."
    keywords: ["piste cyclable", "vélo", "cycliste", "arceaux"]
  - id: bus
    label: "Renforcer les transports en commun"
    description: "Lignes de bus, tramway et métro : fréquence, horaires, tarifs et abonnements."
    keywords: ["bus", "tramway", "métro", "abonnement"]
"""


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    return CliRunner(env=PREFECT_ENV)


@pytest.fixture
def ideas_csv(tmp_path):
    path = tmp_path / "idees.csv"
    frame = pd.DataFrame(
        [(number, text, "atelier 2024") for number, text, _ in IDEAS] + [("6", "  ", "ligne vide")],
        columns=["numero", "text", "source"],
    )
    frame.to_csv(path, index=False)
    return path


def copy_a_sample(folder: Path) -> Path:
    """The first sample report, copied into `folder` (made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = sorted(SAMPLES.glob("*.pdf"))[0]
    shutil.copy(sample, folder / sample.name)
    return sample


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_classify_adds_axis_columns_to_the_input_rows(runner, ideas_csv, tmp_path):
    result = runner.invoke(app, ["classify", str(ideas_csv), "--out", "sorties/classees.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "sorties" / "classees.csv")
    assert list(frame.columns) == [
        "numero", "text", "source", "axis", "axis_label", "axis_source", "axis_confidence", *REVIEW_COLUMNS
    ]  # fmt: skip
    assert frame["axis_source"].tolist() == ["model"] * 5 + [""]
    assert frame["numero"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert frame["source"].tolist() == ["atelier 2024"] * 5 + ["ligne vide"]
    assert frame["axis"].tolist()[:5] == [axis for _, _, axis in IDEAS]
    assert frame.loc[0, "axis_label"] == "Améliorer la santé publique"
    assert frame.loc[2, "axis_label"] == "Comment faire participer les citoyens ?"
    confidences = frame["axis_confidence"].tolist()
    assert all(0.2 < float(value) <= 1.0 for value in confidences[:5])
    seconds = [value for value in frame["axis_2_confidence"] if value]
    assert all(len(value.partition(".")[2]) <= 3 for value in confidences[:5] + seconds)
    # a blank idea is not classified
    assert (frame.loc[5, "axis"], frame.loc[5, "axis_label"], frame.loc[5, "axis_confidence"]) == ("", "", "")
    assert frame.loc[5, REVIEW_COLUMNS].tolist() == ["", "", "", ""]
    assert set(frame["needs_review"].tolist()[:5]) <= {"True", "False"}
    # The evidence is made of lemmas of the row's own text, as the command's spaCy model reads it
    # (the model trained on the fly uses the default lemma mode).
    lemmas = analyse(french(), frame["text"].tolist()[:5], mode=ClassifierSettings().lemma_mode).lemmas
    for row in range(5):
        review = frame.loc[row, "needs_review"] == "True"
        assert review == (float(confidences[row]) < 0.5)  # atelier6's abstain_threshold
        assert frame.loc[row, "axis_evidence"] and frame.loc[row, "axis_2"] != frame.loc[row, "axis"]
        evidence = frame.loc[row, "axis_evidence"].split("; ")
        assert set(evidence) <= set(lemmas[row].split()), (evidence, lemmas[row])
    assert "5 ligne(s) classée(s)" in result.stdout
    # Where the model was looked for (QA: run from another folder, the trained model was not found).
    assert f"Aucun modèle enregistré pour « atelier6 » dans {tmp_path.resolve() / 'models' / 'atelier6'}, dossier" in (
        result.stderr
    )
    assert "cherché sous le dossier courant" in result.stderr
    # what it is doing, on stderr (stdout keeps the summary alone), and the workshop it took (QA)
    assert "Atelier par défaut : « atelier6 » (Atelier n°6 – Cohésion sociale" in result.stderr
    assert "Chargement du modèle de langue français…" in result.stderr
    assert "Classement de 5 idée(s)…" in result.stderr
    assert "demandez un classeur" not in result.stderr  # a UTF-8 CSV with commas, as the dataset's
    assert "Chargement" not in result.stdout and "Classement de" not in result.stdout


def test_classify_keeps_the_axes_analysts_decided(runner, tmp_path):
    # A run's ideas.csv, reviewed (axis corrected, axis_source "review") and classified again: the
    # decisions stay, and so do the axes the report states; the model's proposals are made anew.
    # Before, every row was classified again, and a row still said "review" next to the model's axis.
    pd.DataFrame(
        {
            "text": [
                "Installer des bancs le long des trottoirs",
                "Lutter contre la précarité énergétique des ménages",
                "Adhésion de la CUGT au réseau Ville santé OMS",
                "Encourager la RSE dans les entreprises",
            ],
            "axis": ["2", "1", "2", "3"],
            "axis_source": ["review", "document", "model", "Review"],
            # An analyst's second axis on a kept row stays (it was blanked, QA); a proposal is made anew.
            "axis_2": ["5", "", "1", ""],
            "axis_2_confidence": ["", "", "0.99", ""],
        }
    ).to_csv(tmp_path / "ideas.csv", index=False)
    result = runner.invoke(app, ["classify", "ideas.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "o.csv")
    assert frame["axis"].tolist() == ["2", "1", "5", "3"]
    assert frame["axis_source"].tolist() == ["review", "document", "model", "review"]
    assert frame["axis_2"][0] == "5" and frame["axis_2_confidence"][0] == ""
    assert frame["axis_2_confidence"][2] != "0.99"
    assert frame["axis_confidence"].tolist()[:2] == ["1.0", "1.0"] and frame["axis_evidence"].tolist()[:2] == ["", ""]
    assert "3 ligne(s) gardent leur axe" in result.stderr
    assert "4 ligne(s) classée(s) dont 3 gardant leur axe" in result.stdout


def test_an_axis_written_as_in_the_report_or_by_its_label_names_it(runner, tmp_path):
    # A spreadsheet's "Axe 1" was refused: "aucune ligne n'a un axe de l'atelier" (QA); then "3.0"
    # (pandas' writing of a column once emptied), "Axe 3 : <its label>", a label without its "?".
    rows = {
        "text": ["Installer des bancs le long des trottoirs", "Encourager la RSE", "Créer une maison de santé"],
        "axis": ["Axe 2", "AXE N°3", "Améliorer la santé publique"],
        "axis_source": ["review"] * 3,
    }
    more = {
        "3.0": "3",
        "Axe 3 : Comment faire participer les citoyens ?": "3",
        "3 - Comment faire participer les citoyens ?": "3",
        "comment faire participer les citoyens": "3",
        "Axe 3 : Améliorer la santé publique": "",  # a number and another axis's label: neither
    }
    pd.DataFrame(rows).to_csv(tmp_path / "relu.csv", index=False)
    result = runner.invoke(app, ["classify", "relu.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o.csv")["axis"].tolist() == ["2", "3", "5"]
    assert "3 ligne(s) classée(s) dont 3 gardant leur axe" in result.stdout
    pd.DataFrame({"text": [f"Idée {n}" for n in range(5)], "axis": list(more), "axis_source": ["revu"] * 5}).to_csv(
        tmp_path / "formes.csv", index=False
    )
    result = runner.invoke(app, ["classify", "formes.csv", "--out", "f.csv"])
    kept = read(tmp_path / "f.csv")
    assert kept["axis"].tolist()[:4] == list(more.values())[:4] and kept["axis_source"].tolist()[4] == "model"
    assert "Écrivez l'axe par son identifiant, « Axe N » ou son libellé" in result.stderr
    (tmp_path / "data" / "raw").mkdir(parents=True)
    trained = runner.invoke(app, ["train", "--no-cv", "--labels", "relu.csv", "--models", "m"])
    assert "Décisions d'analystes : 3 ligne(s) de relu.csv avec un axe de l'atelier" in trained.stdout, trained.output


def test_an_analyst_who_changes_the_axis_and_leaves_its_label_or_writes_revu_is_heard(runner, tmp_path):
    # An analyst corrects the axis of a classify output in a spreadsheet and leaves axis_label as it
    # was (the label of the axis the model proposed), or marks the row in their own word. Before,
    # the first was reclassified as "a file of another workshop" and the second taken for the
    # model's proposal by classify while train counted it as a decision.
    rows = {
        "text": [
            "Installer des bancs le long des trottoirs",
            "Encourager la RSE dans les entreprises",
            "Créer une maison de santé dans le quartier",
        ],
        "axis": ["2", "3", "4"],
        "axis_label": ["Améliorer la santé publique", "", ""],
        "axis_source": ["review", "revu", "Relu "],
    }
    pd.DataFrame(rows).to_csv(tmp_path / "relu.csv", index=False)
    result = runner.invoke(app, ["classify", "relu.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "o.csv")
    assert frame["axis"].tolist() == ["2", "3", "4"]
    assert frame["axis_label"][0] == "Emploi, économie et entreprise"
    assert frame["axis_source"].tolist() == ["review"] * 3
    assert "1 ligne(s) de relu.csv corrigée(s) dans la colonne axis, sans leur axis_label" in result.stderr
    # Named, in case it is the label that was corrected (QA: only a count was said).
    assert "(« Installer des bancs le long des trottoirs » (axe 2, libellé de l'axe 5)). Si c'est le" in result.stderr
    assert "« revu », « Relu » lu(s) comme review" in result.stderr
    assert "3 ligne(s) classée(s) dont 3 gardant leur axe" in result.stdout
    trained = runner.invoke(app, ["train", "--no-cv", "--labels", "relu.csv", "--models", "m"])
    assert trained.exit_code == 0, trained.output
    assert "Décisions d'analystes : 3 ligne(s) de relu.csv" in trained.stdout
    # A model's proposal left as it was is still not a decision, whatever its label.
    rows["axis_source"] = ["model", "revu", "model"]
    pd.DataFrame(rows).to_csv(tmp_path / "relu.csv", index=False)
    trained = runner.invoke(app, ["train", "--no-cv", "--labels", "relu.csv", "--models", "m"])
    assert "Décisions d'analystes : 1 ligne(s) de relu.csv" in trained.stdout, trained.output


def test_an_analyst_who_changes_the_label_and_leaves_the_axis_the_model_proposed_is_heard(runner, tmp_path):
    # QA: an analyst corrected axis_label (the column they read) and marked the row review; the
    # axis column, the model's proposal, became their decision and the label was written back.
    text = "Aider les ménages modestes à rénover leur logement contre la précarité énergétique"
    pd.DataFrame({"text": [text]}).to_csv(tmp_path / "idees.csv", index=False)
    assert runner.invoke(app, ["classify", "idees.csv", "--out", "propose.csv"]).exit_code == 0
    proposed = read(tmp_path / "propose.csv")
    assert proposed.loc[0, "axis"] == "4"  # (the model's proposal, which the analyst reads as wrong)
    proposed.loc[0, ["axis_label", "axis_source"]] = ["Améliorer la santé publique", "review"]
    proposed.to_csv(tmp_path / "corrige.csv", index=False)
    result = runner.invoke(app, ["classify", "corrige.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o.csv").loc[0, ["axis", "axis_label", "axis_source"]].tolist() == [
        "5", "Améliorer la santé publique", "review"
    ]
    assert "c'est le libellé qui a été corrigé, il compte" in result.stderr
    assert "c'est la colonne axis qui compte" not in result.stderr


def test_an_axis_moved_where_the_idea_s_own_words_put_it_is_the_analyst_s(runner, tmp_path):
    # QA: the model put an idea in axis 5 under its theme; the analyst moved it to 4 (its own
    # words' axis), left the label, marked the row review. Read without its theme, the model put
    # it in 4 too, so the label (the old proposal) was taken for the correction.
    texts = [
        "Prévenir les maladies chroniques",
        "Améliorer l'accès aux soins",
        "Lutter contre la pollution de l'air",
        "Aider les ménages modestes",
    ]
    pd.DataFrame({"document": "r.pdf", "category": "Post-it", "theme": "Santé", "text": texts}).to_csv(
        tmp_path / "idees.csv", index=False
    )
    assert runner.invoke(app, ["classify", "idees.csv", "--out", "propose.csv"]).exit_code == 0
    reviewed = read(tmp_path / "propose.csv")
    assert reviewed.loc[3, ["axis", "axis_label"]].tolist() == ["5", "Améliorer la santé publique"]
    reviewed.loc[3, ["axis", "axis_source"]] = ["4", "review"]
    reviewed.to_csv(tmp_path / "revu.csv", index=False)
    result = runner.invoke(app, ["classify", "revu.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o.csv").loc[3, ["axis", "axis_source"]].tolist() == ["4", "review"]
    assert "c'est la colonne axis qui compte" in result.stderr


def test_an_axis_changed_without_marking_the_row_review_is_said_when_classified_again(runner, tmp_path):
    # QA: 6 axes an analyst changed, axis_source left « model », were put back without a word
    # (`atelier run` says it of its own sheets).
    text = "Aider les ménages modestes à rénover leur logement contre la précarité énergétique"
    pd.DataFrame({"text": [text]}).to_csv(tmp_path / "idees.csv", index=False)
    assert runner.invoke(app, ["classify", "idees.csv", "--out", "propose.csv"]).exit_code == 0
    proposed = read(tmp_path / "propose.csv")
    assert proposed.loc[0, ["axis", "axis_source"]].tolist() == ["4", "model"]
    proposed.loc[0, "axis"] = "5"
    proposed.to_csv(tmp_path / "corrige.csv", index=False)
    result = runner.invoke(app, ["classify", "corrige.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o.csv").loc[0, "axis"] == "4"
    assert (
        "Avertissement : 1 ligne(s) marquée(s) model dans corrige.csv y avaient un autre axe que celui où le modèle "
        "les place maintenant (« Aider les ménages modestes à rénover leur logement… » : axe 5 dans le fichier, "
        "4 maintenant)"
    ) in " ".join(result.stderr.split())
    result = runner.invoke(app, ["classify", "propose.csv", "--out", "o.csv"])
    assert "marquée(s) model" not in result.stderr


def test_corrections_train_learnt_are_not_undone_by_the_label_left_as_it_was(runner, tmp_path):
    # QA: the analyst changed the axis column of a proposal, left its label, marked the row
    # review; after « atelier train », the model placed the idea where they had put it, so
    # classify took the label (the old proposal) for the correction and undid theirs.
    text = "Aider les ménages modestes à rénover leur logement contre la précarité énergétique"
    pd.DataFrame({"text": [text]}).to_csv(tmp_path / "idees.csv", index=False)
    assert runner.invoke(app, ["classify", "idees.csv", "--out", "propose.csv", "--models", "m"]).exit_code == 0
    reviewed = read(tmp_path / "propose.csv")
    assert reviewed.loc[0, "axis"] == "4"
    reviewed.loc[0, ["axis", "axis_source"]] = ["5", "revu"]
    reviewed.to_csv(tmp_path / "revu.csv", index=False)
    trained = runner.invoke(app, ["train", "--no-cv", "--labels", "revu.csv", "--models", "m"])
    assert trained.exit_code == 0, trained.output
    result = runner.invoke(app, ["classify", "revu.csv", "--out", "o.csv", "--models", "m"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o.csv").loc[0, ["axis", "axis_label", "axis_source"]].tolist() == [
        "5", "Améliorer la santé publique", "review"
    ]
    assert "c'est la colonne axis qui compte" in result.stderr
    assert "c'est le libellé qui a été corrigé" not in result.stderr
    # A sheet that lost the correction, trained on, says which learnt decision it changes.
    reviewed.loc[0, "axis"] = "4"
    reviewed.to_csv(tmp_path / "ancien.csv", index=False)
    again = runner.invoke(app, ["train", "--no-cv", "--labels", "ancien.csv", "--models", "m"])
    assert again.exit_code == 0, again.output
    assert "1 décision(s) d'analystes apprise(s) par le modèle en place change(nt) d'axe" in again.stderr
    assert "« Aider les ménages modestes à rénover leur logement… » : axe 5 → 4" in again.stderr


def test_classify_and_train_agree_on_what_an_analyst_decided(runner, tmp_path):
    # An emptied axis_source next to an axis was a decision for train and a proposal for
    # classify (overwritten); "à revoir" or "?" was taken for a decision by both; a label typed
    # with Excel's ’ was "another workshop's".
    rows = {
        "text": [
            "Installer des bancs le long des trottoirs",
            "Encourager la RSE dans les entreprises",
            "Créer une maison de santé dans le quartier",
            "Lutter contre la précarité énergétique des ménages",
        ],
        "axis": ["2", "3", "4", "1"],
        "axis_label": ["", "", "", "Articuler les politiques publiques"],
        "axis_source": ["", "à revoir", "?", "OK"],
    }
    pd.DataFrame(rows).to_csv(tmp_path / "revu.csv", index=False)
    result = runner.invoke(app, ["classify", "revu.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "o.csv")
    assert frame["axis_source"].tolist() == ["review", "model", "model", "review"]
    assert frame["axis"][0] == "2" and frame["axis"][3] == "1"
    assert "« à revoir », « ? » ne dit ni review (décision) ni model (proposition) : 2 ligne(s)" in result.stderr
    trained = runner.invoke(app, ["train", "--no-cv", "--labels", "revu.csv", "--models", "m"])
    assert "Décisions d'analystes : 2 ligne(s) de revu.csv" in trained.stdout, trained.output
    assert "2 ligne(s) laissée(s) de côté" in trained.stderr
    # Without any axis_source column, the axes of the file are decisions for both.
    del rows["axis_source"]
    rows["axis_label"][3] = "Articuler les politiques publiques".replace(" ", "  ").upper()
    pd.DataFrame(rows).to_csv(tmp_path / "axes.csv", index=False)
    result = runner.invoke(app, ["classify", "axes.csv", "--out", "o.csv"])
    assert read(tmp_path / "o.csv")["axis"].tolist() == ["2", "3", "4", "1"], result.output
    assert "4 ligne(s) gardent leur axe" in result.stderr
    mob = tmp_path / "mobilites.yaml"
    mob.write_text(USER_WORKSHOP.replace('label: "Développer le vélo"', 'label: "L\'usage du vélo"'), encoding="utf-8")
    pd.DataFrame(
        {"text": ["Des arceaux à vélo", "Un bus toutes les dix minutes"], "axis": ["velo", "bus"],
         "axis_label": ["L’usage du vélo", "Renforcer les transports en commun"], "axis_source": ["review"] * 2}
    ).to_csv(tmp_path / "mob.csv", index=False)
    result = runner.invoke(app, ["classify", "mob.csv", "--workshop", "mobilites.yaml", "--out", "o.csv"])
    assert read(tmp_path / "o.csv")["axis_source"].tolist() == ["review", "review"], result.output
    assert "Avertissement" not in result.stderr


def test_a_decision_the_workshop_cannot_keep_is_classified_again_and_said(runner, tmp_path):
    # Rows marked review whose axis the workshop lacks ("6"), or whose label is no label of the
    # workshop (a file of another workshop). Before, they were
    # classified by the model but kept "review", so that training took the guesses for decisions;
    # and a file of another workshop kept its ids for this workshop's axes.
    pd.DataFrame(
        {
            "text": ["Installer des bancs le long des trottoirs", "Encourager la RSE dans les entreprises"],
            "axis": ["6", "1"],
            "axis_label": ["", "Développer les modes doux"],
            "axis_source": ["review", "review"],
        }
    ).to_csv(tmp_path / "ideas.csv", index=False)
    result = runner.invoke(app, ["classify", "ideas.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "o.csv")
    assert frame["axis_source"].tolist() == ["model", "model"]
    assert frame.loc[1, "axis"] == "2" and frame.loc[1, "axis_label"] == "Emploi, économie et entreprise"
    assert "2 ligne(s) de ideas.csv marquée(s) review ou document classée(s) à nouveau par le modèle" in result.stderr
    assert "axe(s) que l'atelier « atelier6 » n'a pas : 6" in result.stderr
    assert "(axe 1 : « Développer les modes doux » au lieu de « Articuler les politiques publiques »)" in result.stderr
    assert "gardent leur axe" not in result.stderr
    # Those rows are not decisions for training either; the output's rows are all the model's.
    labels = runner.invoke(app, ["evaluate", "--labels", "ideas.csv"])
    assert "1 ligne(s) de ideas.csv laissée(s) de côté : leur axis_label n'est le libellé d'aucun axe" in labels.stderr
    again = runner.invoke(app, ["evaluate", "--labels", "o.csv"])
    assert again.exit_code == 1 and "ses 2 ligne(s) sont des propositions du modèle" in again.stderr


def test_classify_writes_an_excel_workbook_when_out_ends_with_xlsx(runner, ideas_csv, tmp_path):
    csv_result = runner.invoke(app, ["classify", str(ideas_csv), "--out", "classees.csv"])
    result = runner.invoke(app, ["classify", str(ideas_csv), "--out", "classees.XLSX"])
    assert result.exit_code == 0 == csv_result.exit_code, result.output
    rows = list(openpyxl.load_workbook(tmp_path / "classees.XLSX")["Idées"].values)
    expected = read(tmp_path / "classees.csv")
    assert list(rows[0]) == list(expected.columns)
    # The same rows as the CSV: input cells as read (text: "1" stays "1"), empty ones empty.
    assert [row[:4] for row in rows[1:]] == [
        tuple(value or None for value in row)
        for row in expected[["numero", "text", "source", "axis"]].itertuples(index=False)
    ]
    confidences = [row[6] for row in rows[1:]]
    assert confidences == [float(value) if value else None for value in expected["axis_confidence"]]
    assert "→ classees.XLSX" in result.stdout


def test_classify_reads_ideas_with_their_theme_columns(runner, tmp_path):
    """A CSV with `document` and `theme` columns (as ideas.csv has) is read like a report: the
    same vague post-it leans towards the health ideas of its theme in one file (health first or
    runner-up), goes with the employment ideas in the other. Read alone, both get one axis."""
    vague = "Faire évoluer les mentalités"
    rows = [
        ("rapport-a.pdf", "Ce que l'on associe à la cohésion sociale", text)
        for text in (
            vague,
            "Développer les jardins partagés",
            "Servir des produits bio dans les cantines",
            "Lutter contre l'isolement des personnes âgées",
        )
    ] + [
        ("rapport-b.pdf", "Ce que l'on associe à la cohésion sociale", text)
        for text in (
            vague,
            "Encourager la RSE dans les entreprises",
            "Favoriser la création de SCIC",
            "Former les salariés aux nouveaux métiers",
        )
    ]
    pd.DataFrame(rows, columns=["document", "theme", "text"]).to_csv(tmp_path / "idees.csv", index=False)
    result = runner.invoke(app, ["classify", "idees.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "o.csv")
    assert frame["document"].tolist() == ["rapport-a.pdf"] * 4 + ["rapport-b.pdf"] * 4  # the input rows, unchanged
    assert frame.loc[4, "axis"] == "2" and frame.loc[0, "axis"] != "2"
    assert "5" in (frame.loc[0, "axis"], frame.loc[0, "axis_2"])
    # Scored on those axes as labels, evaluate places the ideas as classify does (it read each
    # text with its theme glued only, and put both vague post-its in one axis).
    frame.assign(axis_source="review").to_csv(tmp_path / "labels.csv", index=False)
    result = runner.invoke(app, ["evaluate", "--labels", "labels.csv"])
    assert result.exit_code == 0, result.output
    assert "exactitude : 1,000" in result.stdout  # (French decimals, QA)
    # A French spreadsheet's "Thème" column is the theme (it was ignored without a word, QA).
    pd.DataFrame(rows, columns=["document", "Thème", "text"]).to_csv(tmp_path / "idees_fr.csv", index=False)
    result = runner.invoke(app, ["classify", "idees_fr.csv", "--out", "o_fr.csv"])
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "o_fr.csv")["axis"].tolist() == frame["axis"].tolist()
    assert "Colonne « Thème » lue comme « theme »." in result.stderr


def test_classify_with_a_user_workshop_file(runner, tmp_path):
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    source = tmp_path / "mobilite.csv"
    source.write_text(
        "idee;auteur\n"
        "Construire des pistes cyclables sécurisées le long des boulevards;Nadia\n"
        "Augmenter la fréquence des bus le soir et le dimanche;Paul\n"
        "Installer des arceaux pour garer les vélos devant les écoles;Léa\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["classify", "mobilite.csv", "--out", "classe.csv", "--text-column", "idee", "--workshop", "mobilites.yaml"]
    )
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "classe.csv")
    expected = ["idee", "auteur", "axis", "axis_label", "axis_source", "axis_confidence", *REVIEW_COLUMNS]
    assert list(frame.columns) == expected
    assert frame["axis"].tolist() == ["velo", "bus", "velo"]
    assert frame["axis_label"].tolist() == [
        "Développer le vélo",
        "Renforcer les transports en commun",
        "Développer le vélo",
    ]
    assert "axe velo : 2, axe bus : 1" in result.stdout
    # A workshop's out-of-scope class is named as such in the counts (QA: « axe 0 : 14 »).
    hors_axes = USER_WORKSHOP + (
        '  - id: "0"\n    label: "Hors axes"\n    out_of_scope: true\n'
        '    description: "Remarques sur la réunion."\n    examples: ["Merci pour l\'accueil"]\n'
    )
    (tmp_path / "hors.yaml").write_text(hors_axes.replace("id: mobilites", "id: mobilites-hors"), encoding="utf-8")
    result = runner.invoke(
        app, ["classify", "mobilite.csv", "--out", "hors.csv", "--text-column", "idee", "--workshop", "hors.yaml"]
    )
    assert result.exit_code == 0, result.output
    assert "axe velo : 2, axe bus : 1, hors axes (0) : 0" in result.stdout


def test_the_count_to_review_says_why_when_not_for_confidence_alone(runner, tmp_path):
    # QA: « À revoir (confiance < 0.50) : 18 » counted 3 ideas placed at 0.84 and more, flagged
    # because their theme put them outside every axis and their own words in one.
    from test_classify import OUT_OF_SCOPE_YAML

    (tmp_path / "mobilite.yaml").write_text(OUT_OF_SCOPE_YAML, encoding="utf-8")
    board = ["La salle était trop froide", "Merci pour l'animation", "Pas assez de chaises", "Plus de bus la nuit"]
    pd.DataFrame({"document": "r.pdf", "category": "Post-it", "theme": "Mur d'expression libre", "text": board}).to_csv(
        tmp_path / "mur.csv", index=False
    )
    result = runner.invoke(app, ["classify", "mur.csv", "--out", "o.csv", "--workshop", "mobilite.yaml"])
    assert result.exit_code == 0, result.output
    placed = read(tmp_path / "o.csv")
    flagged = placed[placed["needs_review"] == "True"]
    unsure = int((flagged["axis_confidence"].astype(float) < 0.5).sum())
    assert 0 < unsure < len(flagged)
    assert f"À revoir : {len(flagged)} (confiance < 0,50 : {unsure} ; {len(flagged) - unsure} plus sûre(s)" in (
        result.stdout
    )


def test_evaluate_places_a_labelled_file_as_classify_does(runner, tmp_path):
    # QA (a rural Agenda 21, tests/labels/valdesevre_postits.csv): without a saved model, evaluate
    # --labels and classify placed the same rows otherwise (accuracy 0.924 and 0.931): evaluate's
    # model self-trained on the texts without their themes' groups. A row without an axis is
    # counted, not evaluated.
    workshop = str(Path(__file__).parent / "workshops" / "agenda21_valdesevre.yaml")
    rows = pd.read_csv(Path(__file__).parent / "labels" / "valdesevre_postits.csv", dtype=str, keep_default_na=False)
    rows.loc[len(rows)] = ["r.pdf", "Post-it", "Se déplacer", "Des vélos en libre-service à la gare", "", ""]
    rows.to_csv(tmp_path / "labels.csv", index=False)
    result = runner.invoke(app, ["evaluate", "--labels", "labels.csv", "--workshop", workshop])
    assert result.exit_code == 0, result.output
    assert "(144 lignes, 1 sans axe non évaluée(s))" in result.stdout
    evaluated = re.search(r"exactitude : ([\d,]+)", result.stdout).group(1)
    flagged = re.search(r"À revoir \([^)]*\) : (\d+) ligne", result.stdout).group(1)
    rows.drop(columns=["axis", "idea"]).to_csv(tmp_path / "idees.csv", index=False)
    assert runner.invoke(app, ["classify", "idees.csv", "--out", "o.csv", "--workshop", workshop]).exit_code == 0
    placed = read(tmp_path / "o.csv")
    labelled = rows["axis"] != ""
    assert f"{(placed['axis'][labelled] == rows['axis'][labelled]).mean():.3f}".replace(".", ",") == evaluated
    assert str((placed["needs_review"][labelled] == "True").sum()) == flagged


def test_dedup_groups_what_run_groups_a_text_without_a_word_too(runner, tmp_path):
    # Code review: « ??? » has a group in run's ideas.csv, and `atelier dedup` of that file left it without one.
    pd.DataFrame({"text": ["Plus de bus le soir", "???", "-", "???", "2030"]}).to_csv(tmp_path / "i.csv", index=False)
    result = runner.invoke(app, ["dedup", "i.csv", "--out", "o.csv"])
    assert result.exit_code == 0, result.output
    clusters = read(tmp_path / "o.csv")["cluster_id"].tolist()
    assert clusters[1] == clusters[3] != "" and clusters[2] == "" and len({clusters[0], clusters[1], clusters[4]}) == 3


def test_dedup_takes_the_thresholds_and_abbreviations_of_a_workshops_dedup_block(runner, tmp_path):
    # Issue 5: thresholds in configuration; a territory's own abbreviations.
    texts = ["Réviser le PDIE de la zone", "Réviser le plan de déplacements inter-entreprises de la zone"]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "i.csv", index=False)
    yaml_text = (Path(__file__).parent / "workshops" / "agenda21_valdesevre.yaml").read_text(encoding="utf-8")
    (tmp_path / "atelier.yaml").write_text(
        yaml_text + "\ndedup:\n  abbreviations:\n    PDIE: plan de déplacements inter-entreprises\n", encoding="utf-8"
    )
    for options, together in (([], False), (["--workshop", "atelier.yaml"], True)):
        result = runner.invoke(app, ["dedup", "i.csv", "--out", "o.csv", "--no-paraphrase", *options])
        assert result.exit_code == 0, result.output
        clusters = read(tmp_path / "o.csv")["cluster_id"].tolist()
        assert (clusters[0] == clusters[1]) is together
    (tmp_path / "faux.yaml").write_text(yaml_text + "\ndedup:\n  near_threshold: 0\n", encoding="utf-8")
    result = runner.invoke(app, ["dedup", "i.csv", "--out", "o.csv", "--workshop", "faux.yaml"])
    assert result.exit_code == 1 and "« near_threshold » doit être un score sur 100, entre 50 et 100" in result.stderr


def test_dedup_groups_rewordings(runner, tmp_path):
    source = tmp_path / "postits.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "contenu": [
                "Créer une maison de santé pluridisciplinaire dans les quartiers",
                "Lutter contre l'isolement des personnes âgées",
                "Créer une maison de santé pluri-disciplinaire dans les quartiers",
                "Créer des maisons de santé pluridisciplinaires dans les quartiers",
                "Développer l'apprentissage dans les entreprises du territoire",
            ],
        }
    ).to_csv(source, index=False)
    result = runner.invoke(app, ["dedup", "postits.csv", "--out", "dedoublonne.csv", "--text-column", "contenu"])
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "dedoublonne.csv")
    assert list(frame.columns) == ["id", "contenu", "cluster_id", "canonical"]
    clusters = frame["cluster_id"].tolist()
    assert clusters[0] == clusters[2] == clusters[3]
    assert len({clusters[0], clusters[1], clusters[4]}) == 3
    assert all(c.startswith("c-") for c in clusters)
    # one canonical wording per cluster
    canonical = frame[frame["canonical"] == "True"]
    assert sorted(canonical["cluster_id"]) == sorted(set(clusters))
    assert frame.loc[1, "canonical"] == "True" and frame.loc[4, "canonical"] == "True"
    assert "5 ligne(s), 3 idée(s) distincte(s)" in result.stdout
    assert "Chargement du modèle de langue français…" in result.stderr
    assert "Regroupement des doublons parmi 5 idée(s)…" in result.stderr
    assert "Regroupement" not in result.stdout


def test_dedup_of_its_own_output_with_new_rows_renumbers_no_cluster(runner, tmp_path):
    # A new session's post-its appended to the deduplicated file: a longer wording of an existing
    # idea became its canonical one and renumbered its cluster; the file's cluster_id is now kept.
    pd.DataFrame({"text": ["Créer une maison de santé", "Créer des maisons de santé", "", "Former les jeunes"]}).to_csv(
        tmp_path / "postits.csv", index=False
    )
    assert runner.invoke(app, ["dedup", "postits.csv", "--out", "groupes.csv"]).exit_code == 0
    before = read(tmp_path / "groupes.csv")
    new_rows = pd.DataFrame({"text": ["Il faut créer des maisons de santé, c'est une priorité", "Aider les aidants"]})
    before.loc[2, "cluster_id"] = "c-vide"  # a blank row keeps what it has (it lost it)
    pd.concat([before, new_rows]).to_csv(tmp_path / "groupes_et_session2.csv", index=False)
    result = runner.invoke(app, ["dedup", "groupes_et_session2.csv", "--out", "groupes2.csv"])
    assert result.exit_code == 0, result.output
    after = read(tmp_path / "groupes2.csv")
    assert after["cluster_id"].tolist()[:4] == before["cluster_id"].tolist()
    assert after.loc[4, "cluster_id"] == before.loc[0, "cluster_id"] and after.loc[4, "canonical"] == "False"
    assert after.loc[5, "cluster_id"] not in set(before["cluster_id"])
    assert "3 ligne(s) ont déjà un cluster_id : ces groupes le gardent." in result.stderr
    assert "5 ligne(s) (et 1 ligne(s) sans texte, sans groupe, gardée(s) telles quelles), 3 idée(s)" in result.stdout


def test_fillers_of_an_export_are_neither_classified_nor_grouped(runner, tmp_path):
    # Forty "NA" of an online form made the biggest idea of the synthesis and went to axis 5.
    texts = ["NA", "Créer des maisons de santé", "-", "N/A", "Créer une maison de santé", "NA", "RAS"]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "export.csv", index=False)
    result = runner.invoke(app, ["dedup", "export.csv", "--out", "groupes.csv"])
    assert result.exit_code == 0, result.output
    grouped = read(tmp_path / "groupes.csv")
    assert grouped["text"].tolist() == texts
    assert grouped.loc[[0, 2, 3, 5, 6], "cluster_id"].tolist() == [""] * 5
    assert grouped.loc[1, "cluster_id"] == grouped.loc[4, "cluster_id"] != ""
    assert "2 ligne(s) (et 5 ligne(s) sans texte ou sans idée (« - », « N/A », « NA », …), sans groupe" in result.stdout
    result = runner.invoke(app, ["classify", "export.csv", "--out", "classees.csv"])
    assert result.exit_code == 0, result.output
    classified = read(tmp_path / "classees.csv")
    assert classified.loc[[0, 2, 3, 5, 6], "axis"].tolist() == [""] * 5
    assert classified.loc[[1, 4], "axis"].tolist() == ["5", "5"]
    assert "2 ligne(s) classée(s) (et 5 ligne(s) sans texte ou sans idée" in result.stdout


def test_a_file_without_any_text_is_refused(runner, tmp_path):
    (tmp_path / "vide.csv").write_text("id,text\n1,\n2,  \n", encoding="utf-8")
    for command in (["dedup", "vide.csv", "--out", "o.csv"], ["classify", "vide.csv", "--out", "o.csv"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert "vide.csv : aucune ligne n'a de texte (ni d'idée) dans la colonne « text »." in result.stderr
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize(
    ("name", "encoded", "warning"),
    [
        # « CSV (séparateur : point-virgule) » of French Excel: Windows-1252, said on stderr.
        ("export.csv", lambda rows: rows.replace("\t", ";").encode("cp1252"), "lu comme un export Excel (Windows-1252)"),
        # « Texte Unicode (*.txt) »: UTF-16 little-endian with its BOM, tabs, CRLF; nothing to say.
        ("export.txt", lambda rows: codecs.BOM_UTF16_LE + rows.replace("\n", "\r\n").encode("utf-16-le"), None),
    ],
    ids=["windows-1252", "utf-16"],
)
def test_dedup_reads_excel_exports(runner, tmp_path, name, encoded, warning):
    rows = "id\ttexte\n1\tCréer une maison de santé\n2\tCréer des maisons de santé\n3\tRéduire l'âge d'accès\n"
    (tmp_path / name).write_bytes(encoded(rows))
    result = runner.invoke(app, ["dedup", name, "--out", "groupes.csv", "--text-column", "texte"])
    assert result.exit_code == 0, result.output
    if warning:
        assert warning in result.stderr
    else:
        assert "Avertissement" not in result.stderr
    # The CSV written is the dataset's (UTF-8, commas), which a French Excel opens as one column:
    # the workbook is suggested.
    assert "pour l'ouvrir dans Excel, demandez un classeur : --out groupes.xlsx" in result.stderr
    frame = read(tmp_path / "groupes.csv")
    assert frame["texte"].tolist() == ["Créer une maison de santé", "Créer des maisons de santé", "Réduire l'âge d'accès"]
    clusters = frame["cluster_id"].tolist()
    assert clusters[0] == clusters[1] != clusters[2]


def test_dedup_reads_an_excel_workbook(runner, tmp_path):
    # The first sheet, every cell as text: "0031" keeps its zeros, a number is read as written.
    texts = ["Créer une maison de santé", "Créer des maisons de santé", "= Réduire l'âge d'accès"]
    frame = pd.DataFrame({"numero": ["0031", "0032", "0033"], "texte": texts, "votes": [3, 1, 12]})
    write_workbook({"Post-it": frame, "Autre": frame.iloc[:0]}, tmp_path / "postits.xlsx")
    result = runner.invoke(app, ["dedup", "postits.xlsx", "--out", "groupes.csv", "--text-column", "texte"])
    assert result.exit_code == 0, result.output
    out = read(tmp_path / "groupes.csv")
    assert out[["numero", "texte"]].values.tolist() == frame[["numero", "texte"]].values.tolist()
    assert out["votes"].tolist() == ["3", "1", "12"]
    clusters = out["cluster_id"].tolist()
    assert clusters[0] == clusters[1] != clusters[2]


def test_the_output_keeps_the_input_s_headings(runner, tmp_path):
    # QA: an Excel export's trailing separators came back as columns « Unnamed: 3 », « Unnamed: 4 »,
    # and a heading written twice as « theme » and « theme.1 ».
    rows = "theme;theme;text;;\r\nSe nourrir;Soirée 1;Un marché de producteurs;;\r\nSe déplacer;Soirée 1;Des cars;;\r\n"
    (tmp_path / "export.csv").write_bytes(rows.encode("cp1252"))
    result = runner.invoke(app, ["dedup", "export.csv", "--out", "groupes.csv"])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "groupes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "theme,theme,text,cluster_id,canonical"
    # A workbook's: a heading written twice, a column without heading that holds cells.
    cells = [["Se nourrir", "Soirée 1", "Un marché de producteurs", "vu"]]
    frame = pd.DataFrame(cells, columns=["theme", "", "text", " "])
    write_workbook({"Post-it": frame}, tmp_path / "postits.xlsx")
    book = openpyxl.load_workbook(tmp_path / "postits.xlsx")
    book.worksheets[0].cell(1, 2, "theme")
    book.save(tmp_path / "postits.xlsx")
    result = runner.invoke(app, ["classify", "postits.xlsx", "--out", "o.xlsx"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx").worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["theme", "theme", "text", None]
    assert [cell.value for cell in sheet[2]][:4] == ["Se nourrir", "Soirée 1", "Un marché de producteurs", "vu"]


def test_an_output_over_its_input_is_said_for_a_csv_and_refused_for_a_workbook(runner, tmp_path):
    # An analyst's workbook written over by its own output lost its other sheets without a word.
    texts = ["Créer une maison de santé", "Créer des maisons de santé"]
    pd.DataFrame({"texte": texts, "votes": ["3", "1"]}).to_csv(tmp_path / "postits.csv", index=False)
    result = runner.invoke(app, ["dedup", "postits.csv", "--out", "./postits.csv", "--text-column", "texte"])
    assert result.exit_code == 0, result.output
    assert "c'est aussi le fichier d'entrée ; il est remplacé par le résultat" in result.stderr
    out = read(tmp_path / "postits.csv")
    assert out[["texte", "votes"]].values.tolist() == [[texts[0], "3"], [texts[1], "1"]]
    assert out["cluster_id"].nunique() == 1
    frame = pd.DataFrame({"texte": texts})
    write_workbook({"Post-it": frame, "Notes": frame}, tmp_path / "postits.xlsx")
    before = (tmp_path / "postits.xlsx").read_bytes()
    for command in ("dedup", "classify"):
        result = runner.invoke(app, [command, "postits.xlsx", "--out", "postits.xlsx", "--text-column", "texte"])
        assert result.exit_code == 1, result.output
        assert "c'est le classeur d'entrée ; récrit, il perdrait ses autres feuilles" in result.stderr
    assert (tmp_path / "postits.xlsx").read_bytes() == before


def test_dates_of_a_workbook_read_as_dates_and_cut_cells_are_said(runner, tmp_path):
    # A date cell came out as "2025-03-02 00:00:00"; a text longer than an Excel cell was cut
    # in the written workbook without a word.
    sheet = openpyxl.Workbook()
    sheet.active.append(["texte", "date"])
    sheet.active.append(["Créer des jardins partagés", datetime.datetime(2025, 3, 2)])
    sheet.active.append(["Réunion publique le soir", datetime.datetime(2025, 3, 2, 18, 30)])
    sheet.active.append(["Un témoignage", datetime.date(2025, 3, 9)])
    sheet.save(tmp_path / "consultation.xlsx")
    command = ["dedup", "consultation.xlsx", "--text-column", "texte", "--out", "groupes.csv"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert read(tmp_path / "groupes.csv")["date"].tolist() == ["2025-03-02", "2025-03-02 18:30", "2025-03-09"]
    assert "la limite d'une cellule Excel" not in result.stderr
    sheet.active.append(["Un témoignage très long. " * 1400, None])  # read back cut at 32,767 characters
    sheet.save(tmp_path / "consultation.xlsx")
    result = runner.invoke(app, command)
    assert "1 cellule(s) de 32767 caractères, la limite d'une cellule Excel : le texte y est peut-être coupé" in (
        result.stderr
    )
    pd.DataFrame({"texte": ["Un témoignage très long. " * 1400, "Court"]}).to_csv(tmp_path / "longs.csv", index=False)
    result = runner.invoke(app, ["dedup", "longs.csv", "--text-column", "texte", "--out", "groupes.csv"])
    assert "coupée" not in result.stderr
    result = runner.invoke(app, ["dedup", "longs.csv", "--text-column", "texte", "--out", "groupes.xlsx"])
    assert result.exit_code == 0, result.output
    assert "1 cellule(s) de plus de 32767 caractères (la limite d'Excel) coupée(s) dans groupes.xlsx" in result.stderr
    assert "--out groupes.csv" in result.stderr


def test_a_workbook_written_back_keeps_its_numbers_and_dates(runner, tmp_path):
    # QA: an analyst's workbook came back from dedup (and classify) with its votes and dates as
    # texts (« nombre stocké comme texte », dates that no longer sort).
    sheet = openpyxl.Workbook()
    sheet.active.append(["texte", "votes", "date", "numero"])
    sheet.active.append(["Créer une maison de santé", 3, datetime.datetime(2025, 3, 2), "0031"])
    sheet.active.append(["Créer des maisons de santé", 12.5, datetime.datetime(2025, 3, 2, 18, 30), "0032"])
    sheet.save(tmp_path / "consultation.xlsx")
    command = ["dedup", "consultation.xlsx", "--text-column", "texte", "--out", "groupes.xlsx"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    written = openpyxl.load_workbook(tmp_path / "groupes.xlsx").active
    rows = [[cell.value for cell in row] for row in written.iter_rows(min_row=2)]
    assert [row[:4] for row in rows] == [
        ["Créer une maison de santé", 3, datetime.datetime(2025, 3, 2), "0031"],
        ["Créer des maisons de santé", 12.5, datetime.datetime(2025, 3, 2, 18, 30), "0032"],
    ]
    assert [written.cell(row=row, column=3).number_format for row in (2, 3)] == ["dd/mm/yyyy", "dd/mm/yyyy hh:mm"]
    assert rows[0][4] == rows[1][4]  # the cluster the command wrote


def test_workbooks_that_are_not_or_too_big_are_refused(runner, tmp_path, monkeypatch):
    (tmp_path / "faux.xlsx").write_text("text\nun CSV renommé\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "casse.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<pas du tout")
    write_workbook({"Idées": pd.DataFrame({"text": ["Créer un jardin"]})}, tmp_path / "petit.xlsx")
    write_workbook({"Idées": pd.DataFrame({"text": ["Créer un jardin " * 500]})}, tmp_path / "gros.xlsx")
    with zipfile.ZipFile(tmp_path / "petit.xlsx") as archive:
        small = sum(member.file_size for member in archive.infolist())
    monkeypatch.setattr(tables, "MAX_WORKBOOK_UNPACKED_BYTES", small + 1000)  # gros.xlsx: 8,000 letters more
    assert runner.invoke(app, ["dedup", "petit.xlsx", "--out", "petit.csv"]).exit_code == 0
    with zipfile.ZipFile(tmp_path / "word.xlsx", "w") as archive:  # (QA: "illisible (OSError)")
        archive.writestr("word/document.xml", "<w:document/>")
    for name, message in [
        ("faux.xlsx", "ce n'est pas un classeur Excel (.xlsx) lisible"),
        ("casse.xlsx", "classeur Excel illisible (fichier endommagé)"),
        ("gros.xlsx", "classeur trop gros une fois décompressé"),
        ("word.xlsx", "ce n'est pas un classeur Excel (.xlsx), mais un document Word renommé."),
    ]:
        result = runner.invoke(app, ["dedup", name, "--out", "o.csv"])
        assert result.exit_code == 1, name
        assert message in result.stderr, (name, result.stderr)
    assert not (tmp_path / "o.csv").exists()


def test_a_csv_with_a_utf16_bom_that_does_not_decode_is_refused(runner, tmp_path):
    (tmp_path / "tronque.csv").write_bytes(codecs.BOM_UTF16_LE + "text\n".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    result = runner.invoke(app, ["dedup", "tronque.csv", "--out", "o.csv"])
    assert result.exit_code == 1
    assert "ne se décode pas en UTF-16" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_csv_in_neither_utf8_nor_windows_1252_is_refused(runner, tmp_path):
    (tmp_path / "binaire.csv").write_bytes(b"text\n\x81\x8d\xff\n")  # bytes Windows-1252 leaves undefined
    result = runner.invoke(app, ["dedup", "binaire.csv", "--out", "o.csv"])
    assert result.exit_code == 1
    assert "ni en UTF-8 ni en Windows-1252" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_dedup_reads_kind_and_objective_and_finds_paraphrases(runner, tmp_path):
    objective = "Lutter contre la précarité énergétique"
    pd.DataFrame(
        {
            "kind": ["objective", "action", "action", "postit"],
            "objective": ["", objective, objective, ""],
            "text": [
                objective,
                "Sensibiliser les intervenants à domicile sur le repérage des problèmes de précarité énergétique",
                "Sensibiliser les aides à domicile sur le repérage des problèmes énergétiques",
                "Lutter contre la précarité énergétique",
            ],
        }
    ).to_csv(tmp_path / "idees.csv", index=False)
    result = runner.invoke(app, ["dedup", "idees.csv", "--out", "groupes.csv"])
    assert result.exit_code == 0, result.output
    clusters = read(tmp_path / "groupes.csv")["cluster_id"].tolist()
    assert clusters[1] == clusters[2]  # summary and detailed wording of one action (paraphrase level)
    assert clusters[0] == clusters[3] != clusters[1]  # the objective is not merged with its own actions
    read(tmp_path / "idees.csv").rename(columns={"objective": "Objectif"}).to_csv(tmp_path / "fr.csv", index=False)
    result = runner.invoke(app, ["dedup", "fr.csv", "--out", "groupes_fr.csv"])
    assert read(tmp_path / "groupes_fr.csv")["cluster_id"].tolist() == clusters
    assert "Colonne « Objectif » lue comme « objective »." in result.stderr
    result = runner.invoke(app, ["dedup", "idees.csv", "--out", "exacts.csv", "--no-paraphrase"])
    assert result.exit_code == 0, result.output
    clusters = read(tmp_path / "exacts.csv")["cluster_id"].tolist()
    assert clusters[1] != clusters[2] and clusters[0] == clusters[3]
    assert "Chargement du modèle de langue" not in result.stderr  # not needed without paraphrases


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["classify", "idees.csv", "--out", "o.csv", "--text-column", "texte"], "colonne « texte » absente"),
        (["dedup", "idees.csv", "--out", "o.csv", "--text-column", "texte"], "colonne « texte » absente"),
        (["dedup", "idees.csv", "--out", "o.csv", "--text-column", "TEXT"], "Vouliez-vous dire « text » (les majus"),
        (["classify", "absent.csv", "--out", "o.csv"], "absent.csv : fichier introuvable"),
        (["dedup", "absent.csv", "--out", "o.csv"], "absent.csv : fichier introuvable"),
        (["dedup", "entete.csv", "--out", "o.csv"], "aucune ligne à traiter"),
        (["dedup", "vide.csv", "--out", "o.csv"], "vide.csv : fichier vide"),
        (["classify", "idees.csv", "--out", "o.csv", "--workshop", "ateliers/absent.yaml"], "introuvable"),
        (["classify", "idees.csv", "--out", "o.csv", "--workshop", "atelier99"], "Atelier « atelier99 » inconnu"),
        (["classify", "idees.csv", "--out", "o.csv", "--workshop", "casse.yaml"], "casse.yaml"),
        (["run", "rapports_absents", "--out", "sortie"], "rapports_absents : chemin introuvable"),
        (["run", "dossier_vide", "--out", "sortie"], "aucun fichier PDF ou DOCX trouvé"),
        (["run", "dossier_vide", "--workshop", "atelier99"], "Atelier « atelier99 » inconnu"),
        (["train", "--workshop", "atelier99"], "Atelier « atelier99 » inconnu"),
        (["evaluate", "--input", "rapports_absents"], "rapports_absents : chemin introuvable"),
        # Refused before any work (an .xls was written as a CSV; a folder failed after the work),
        # and a labels file is not told about --text-column, an option it does not have.
        (["dedup", "idees.csv", "--out", "o.xls"], "o.xls : format .xls non pris en charge en sortie"),
        (["classify", "idees.csv", "--out", "dossier_vide"], "dossier_vide : c'est un dossier"),
        (["dedup", "idees.csv", "--out", "idees.csv/o.csv"], "idees.csv : c'est un fichier, pas un dossier"),
        (
            ["evaluate", "--labels", "sans_texte.csv"],
            "(colonnes présentes : commentaire, axis). Un fichier d'étiquettes a",
        ),
    ],
)
def test_bad_input_is_one_french_line_and_exit_1(runner, ideas_csv, tmp_path, arguments, message):
    (tmp_path / "sans_texte.csv").write_text("commentaire,axis\nInstaller des bancs,3\n", encoding="utf-8")
    (tmp_path / "entete.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "vide.csv").write_text("", encoding="utf-8")
    (tmp_path / "casse.yaml").write_text("id: x\naxes: [\n", encoding="utf-8")
    (tmp_path / "dossier_vide").mkdir()
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Erreur : ")
    assert message in lines[0]
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "sortie").exists()


def test_usage_error_exits_2_said_in_french(runner, ideas_csv):
    # QA: Typer's own words were English (« Missing option '--out' / '-o'. », « No such option »).
    result = runner.invoke(app, ["classify", str(ideas_csv)])  # no --out
    assert result.exit_code == 2 and "Il manque l'option '--out' / '-o'." in result.output
    result = runner.invoke(app, ["classify", str(ideas_csv), "--out", "o.csv", "--worksop", "a"])
    assert result.exit_code == 2 and "Option inconnue : --worksop (vouliez-vous dire --workshop ?)" in result.output
    result = runner.invoke(app, ["train", "--folds", "1"])
    assert result.exit_code == 2 and "Valeur invalide pour '--folds' : au moins 2 attendu" in result.output
    result = runner.invoke(app, ["clasify"])
    assert result.exit_code == 2 and "Commande inconnue : 'clasify'. Vouliez-vous dire 'classify' ?" in result.output
    assert runner.invoke(app, ["run", "--unknown-option"]).exit_code == 2
    assert runner.invoke(app, ["review"]).exit_code == 2  # not in this version
    # Help in French, -h as --help, and a version (QA: « Show this message and exit. », <bool>, <str>).
    result = runner.invoke(app, ["classify", "-h"])
    assert result.exit_code == 0 and "Affiche cette aide et quitte." in result.output
    assert "Show this message" not in result.output and "<str>" not in result.output
    assert "COLONNE" in result.output and "[obligatoire]" in result.output
    assert "<path>" not in result.output  # (French QA: the arguments' Python types, « <list[Path]> » for run)
    assert "<list[Path]>" not in runner.invoke(app, ["run", "-h"]).output
    result = runner.invoke(app, ["evaluate", "-h"])  # (QA: a range shown as « [x>=2] »)
    assert "plis de la validation croisée" in result.output and "x>=" not in result.output
    assert "Usage : " in result.output and "Usage: " not in result.output
    result = runner.invoke(app, ["clasify"])
    assert "Usage : atelier [OPTIONS] COMMANDE [ARGUMENTS]…" in result.output
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("atelier ")
    # A --models that cannot take the model is said before the training (QA: after it).
    (ideas_csv.parent / "fichier").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["train", "--models", "fichier", "--no-cv"])
    assert result.exit_code == 1 and "fichier est un fichier, pas un dossier" in result.stderr
    assert "Entraînement du classifieur" not in result.stderr


def test_the_french_catalogue_of_the_command_line_is_compiled_from_its_translations():
    from atelier.flows.french import MO_FILE, compiled_catalog

    assert MO_FILE.read_bytes() == compiled_catalog(), "python -m atelier.flows.french writes it again"
    catalogue = gettext.translation("messages", str(MO_FILE.parents[2]), languages=["fr"])
    assert catalogue.gettext("Options") == "Options" and catalogue.gettext("[required]") == "[obligatoire]"
    assert catalogue.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2) == (
        "(Vouliez-vous dire l'un de : {possibilities} ?)"
    )


def test_no_model_under_the_folder_given_is_said_without_the_hint_for_the_default_one(runner, tmp_path):
    # QA: « cherché sous le dossier courant ; --models pour un autre dossier » followed a --models.
    pd.DataFrame({"text": ["Installer des bancs le long des trottoirs"]}).to_csv(tmp_path / "idees.csv", index=False)
    result = runner.invoke(app, ["classify", "idees.csv", "--out", "out.csv", "--models", "ailleurs"])
    assert result.exit_code == 0, result.output
    looked = tmp_path.resolve() / "ailleurs" / "atelier6"
    assert f"Aucun modèle enregistré pour « atelier6 » dans {looked}" in result.stderr
    assert "--models pour un autre dossier" not in result.stderr


def test_train_learns_analysts_decisions(runner, tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)  # no report: the YAML and the decisions only
    decided = {"Organiser une fête des voisins dans chaque quartier": "5", "Installer des bancs le long des trottoirs": "3"}
    pd.DataFrame({"text": [*decided, "Hors sujet"], "axis": [*decided.values(), "0"]}).to_csv(
        tmp_path / "decisions.csv", index=False
    )
    pd.DataFrame({"text": list(decided)}).to_csv(tmp_path / "idees.csv", index=False)
    for models, extra in (("sans", []), ("avec", ["--labels", "decisions.csv"])):
        result = runner.invoke(app, ["train", "--models", models, "--no-cv", *extra])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["classify", "idees.csv", "--out", f"{models}.csv", "--models", models])
        assert result.exit_code == 0, result.output
    # The YAML alone places both ideas elsewhere (3 and 5); the decisions stick.
    assert read(tmp_path / "sans.csv")["axis"].tolist() != list(decided.values())
    assert read(tmp_path / "avec.csv")["axis"].tolist() == list(decided.values())
    # Placed as decided, whatever the retrained model says (a theme can outvote it): said so.
    assert read(tmp_path / "avec.csv")["axis_source"].tolist() == ["review", "review"]
    assert "2 ligne(s) placée(s) comme l'ont décidé les analystes" in result.stderr
    # (QA: « dont 0 que le modèle plaçait ailleurs » read as « none of them was a correction »; then « en
    # plaçait 0 ailleurs », awkward.)
    said = r"; le modèle, qui les a apprises, (en plaçait [1-9]\d* ailleurs|les place là aussi)\."
    assert re.search(said, result.stderr)
    assert "2 ligne(s) classée(s) dont 2 placée(s) par les décisions apprises" in result.stdout
    card = json.loads((tmp_path / "avec" / "atelier6" / "card.json").read_text(encoding="utf-8"))
    assert card["n_training_texts"]["labelled"] == 2


def test_train_without_labels_says_which_decisions_of_the_run_it_does_not_learn(runner, tmp_path):
    # QA: `atelier train` beside a run whose ideas.csv held 12 decisions learnt none of them, without a word.
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    pd.DataFrame({
        "text": ["Organiser une fête des voisins", "Installer des bancs", "Créer un budget participatif"],
        "theme": ["Lien social", "", ""], "axis": ["5", "3", "3"], "axis_source": ["review", "Review", "model"],
    }).to_csv(processed / "ideas.csv", index=False)  # fmt: skip
    result = runner.invoke(app, ["train", "--no-cv", "--models", "m"])
    assert result.exit_code == 0, result.output
    note = "2 décision(s) d'analyste (axis_source « review ») de data/processed/ideas.csv ne sont pas apprises"
    assert note in result.stderr and "(atelier train --labels data/processed/ideas.csv)" in result.stderr
    # Once learnt, a training again (which keeps them) says nothing of them.
    labels = ["--labels", str(processed / "ideas.csv")]
    assert runner.invoke(app, ["train", "--no-cv", "--models", "m", *labels]).exit_code == 0
    result = runner.invoke(app, ["train", "--no-cv", "--models", "m"])
    assert result.exit_code == 0 and note not in result.stderr


def test_train_cross_validates_the_axes_it_can_and_names_an_axis_of_a_single_decision(runner, tmp_path):
    # QA: one decision in an axis of its own made `atelier evaluate` fail and `train` write no cross-validation.
    (tmp_path / "data" / "raw").mkdir(parents=True)
    decided = {
        "text": ["Former les élus à la transversalité", "Créer un référentiel commun des dispositifs",
                 "Encourager la RSE des entreprises", "Soutenir les structures d'insertion par l'activité économique",
                 "Lutter contre la précarité énergétique des ménages"],
        "axis": ["1", "1", "2", "2", "4"],
    }  # fmt: skip
    pd.DataFrame(decided).to_csv(tmp_path / "decisions.csv", index=False)
    result = runner.invoke(app, ["train", "--labels", "decisions.csv", "--models", "m", "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "Validation croisée (2 plis groupés, 4 idées)" in result.stdout
    assert "Non évalué, une seule idée étiquetée (appris quand même) : axe 4 (" in result.stdout
    card = json.loads((tmp_path / "m" / "atelier6" / "card.json").read_text(encoding="utf-8"))
    assert card["cross_validation"]["axes_not_evaluated"] == {"4": 1}


def test_train_says_which_decisions_a_new_labels_file_forgets_or_contradicts(runner, tmp_path):
    # QA: a colleague's file replaced the week's decisions without a word, and a text given two
    # axes in one file was learnt under both.
    (tmp_path / "data" / "raw").mkdir(parents=True)
    week1 = {"text": ["Créer un jardin partagé", "Former les jeunes", "Rénover les logements"], "axis": ["5", "2", "4"]}
    pd.DataFrame(week1).to_csv(tmp_path / "semaine1.csv", index=False)
    both = {"text": ["Former les jeunes", "Rénover les logements", "former les jeunes"], "axis": ["2", "4", "3"]}
    pd.DataFrame(both).to_csv(tmp_path / "semaine2.csv", index=False)
    assert runner.invoke(app, ["train", "--no-cv", "--labels", "semaine1.csv", "--models", "m"]).exit_code == 0
    result = runner.invoke(app, ["train", "--no-cv", "--labels", "semaine2.csv", "--models", "m"])
    assert result.exit_code == 0, result.output
    assert "1 décision(s) d'analystes apprise(s) par le modèle en place ne sont pas dans semaine2.csv" in result.stderr
    assert "1 texte(s) de semaine2.csv ont deux axes ou plus (« former les jeunes » : axe 3) : compte" in result.stderr
    kept = read(tmp_path / "m" / "atelier6" / "decisions.csv")
    assert kept[["text", "axis"]].values.tolist() == [["Rénover les logements", "4"], ["former les jeunes", "3"]]


def test_train_keeps_the_row_an_analyst_changed_over_its_twin_the_run_wrote(runner, tmp_path):
    # QA: a run writes a learnt decision on every row of its text; the analyst changed one row,
    # and retraining on the sheet took the twin below it (the last row), the old decision.
    (tmp_path / "data" / "raw").mkdir(parents=True)
    pd.DataFrame({"text": ["Former les jeunes"], "axis": ["2"]}).to_csv(tmp_path / "avant.csv", index=False)
    sheet = {
        "text": ["Former les jeunes", "Former les jeunes", "Rénover les logements"],
        "axis": ["3", "2", "4"],
        "axis_source": ["review", "review", "review"],
    }
    pd.DataFrame(sheet).to_csv(tmp_path / "ideas.csv", index=False)
    assert runner.invoke(app, ["train", "--no-cv", "--labels", "avant.csv", "--models", "m"]).exit_code == 0
    result = runner.invoke(app, ["train", "--no-cv", "--labels", "ideas.csv", "--models", "m"])
    assert result.exit_code == 0, result.output
    assert "(« Former les jeunes » : axe 3) : compte, pour chacun, une décision d'analyste plutôt" in result.stderr
    kept = read(tmp_path / "m" / "atelier6" / "decisions.csv")
    assert kept[["text", "axis"]].values.tolist() == [["Former les jeunes", "3"], ["Rénover les logements", "4"]]


def test_train_reports_the_decisions_it_uses(runner, tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    pd.DataFrame({"text": ["Installer des bancs", "Hors sujet"], "axis": ["3", "0"]}).to_csv(
        tmp_path / "decisions.csv", index=False
    )
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "decisions.csv"])
    assert result.exit_code == 0, result.output
    assert "Décisions d'analystes : 1 ligne(s) de decisions.csv avec un axe de l'atelier (1 ignorée(s)" in result.stdout
    assert "ignorée(s) : axe(s) que l'atelier « atelier6 » n'a pas : « 0 »)." in result.stdout  # named (QA)
    pd.DataFrame({"text": ["Installer des bancs"], "categorie": ["3"]}).to_csv(tmp_path / "mauvais.csv", index=False)
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "mauvais.csv"])
    assert result.exit_code == 1
    assert "colonne « axis » absente" in result.stderr


def test_a_failed_save_never_leaves_the_decisions_of_another_model(runner, tmp_path):
    # The model was written, then its card, then its decisions, each in turn: a failure in between left a model
    # beside the card or the decisions of another; moved in decisions first, a card refused then left the
    # analysts' decisions replaced beside the older model (QA). Now all are written, then moved in model first.
    from atelier.flows.modeling import load_axis_model

    (tmp_path / "data" / "raw").mkdir(parents=True)
    pd.DataFrame({"text": ["Installer des bancs"], "axis": ["3"]}).to_csv(tmp_path / "decisions.csv", index=False)
    assert runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "decisions.csv"]).exit_code == 0
    saved = tmp_path / "m" / "atelier6"
    decided = (saved / "decisions.csv").read_bytes()
    pd.DataFrame({"text": ["Plus de bus le soir"], "axis": ["5"]}).to_csv(tmp_path / "decisions.csv", index=False)
    # The card cannot be moved in: the decisions stay, the new model is refused beside the older card.
    (saved / "card.json").unlink()
    (saved / "card.json").mkdir()
    (saved / "card.json" / "x").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "decisions.csv"])
    assert result.exit_code == 1 and "écriture impossible" in result.stderr
    assert (saved / "decisions.csv").read_bytes() == decided
    assert sorted(path.name for path in saved.iterdir()) == ["card.json", "decisions.csv", "model.skops"]
    # The decisions cannot be moved in: the model and its card are saved together, the decisions left as they were.
    shutil.rmtree(saved / "card.json")
    (saved / "decisions.csv").unlink()
    (saved / "decisions.csv").mkdir()
    (saved / "decisions.csv" / "x").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "decisions.csv"])
    assert result.exit_code == 1 and "écriture impossible" in result.stderr
    assert load_axis_model(saved).card["analyst_decisions"] == 1
    assert sorted(path.name for path in saved.iterdir()) == ["card.json", "decisions.csv", "model.skops"]


def test_rows_the_model_proposed_are_not_decisions(runner, tmp_path):
    # ideas.xlsx / ideas.csv of a run given back as decisions: the rows whose axis the model
    # proposed (axis_source "model") are not an analyst's; counted, they taught the model its own
    # guesses (354 of the demo's 771 rows) and inflated the scores of `evaluate --labels`.
    (tmp_path / "data" / "raw").mkdir(parents=True)
    pd.DataFrame(
        {
            "text": ["Installer des bancs le long des trottoirs", "Organiser une fête des voisins", "Former les élus"],
            "axis": ["3", "5", "1"],
            "axis_source": ["review", "model", "document"],
        }
    ).to_csv(tmp_path / "ideas.csv", index=False)
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "ideas.csv"])
    assert result.exit_code == 0, result.output
    assert "Décisions d'analystes : 2 ligne(s) de ideas.csv avec un axe de l'atelier (0 ignorée(s)), dont 1 placée(s) " in (
        result.stdout
    )
    assert "1 ligne(s) de ideas.csv non comptée(s) : axe proposé par le modèle" in result.stderr
    card = json.loads((tmp_path / "m" / "atelier6" / "card.json").read_text(encoding="utf-8"))
    assert card["n_training_texts"]["labelled"] == 2
    result = runner.invoke(app, ["evaluate", "--models", "m", "--labels", "ideas.csv"])
    assert result.exit_code == 0, result.output
    assert "(2 lignes)" in result.stdout and "non évaluée(s)" in result.stderr
    pd.DataFrame({"text": ["Organiser une fête des voisins"], "axis": ["5"], "axis_source": ["model"]}).to_csv(
        tmp_path / "propositions.csv", index=False
    )
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "propositions.csv"])
    assert result.exit_code == 1
    assert "propositions.csv : ses 1 ligne(s) sont des propositions du modèle (axis_source = model)" in result.stderr


def test_proposals_whose_axis_was_changed_are_named(runner, tmp_path):
    # An analyst changed the axis of a row of ideas.csv and left axis_source "model" (and its
    # label): train left the correction out, counted among the proposals without naming it.
    (tmp_path / "data" / "raw").mkdir(parents=True)
    pd.DataFrame(
        {
            "text": ["Installer des bancs le long des trottoirs", "Aider les ménages modestes à se chauffer"],
            "axis": ["3", "2"],
            "axis_label": ["Comment faire participer les citoyens ?", load_workshop().axis_label("4")],
            "axis_source": ["review", "model"],
        }
    ).to_csv(tmp_path / "ideas.csv", index=False)
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "ideas.csv"])
    assert result.exit_code == 0, result.output
    assert "1 de ces ligne(s) ont un axe qui n'est plus celui de leur axis_label (« Aider les ménages modestes" in (
        result.stderr
    )
    assert "axe 2, libellé de l'axe 4)" in result.stderr
    only_proposals = tmp_path / "propositions.csv"
    pd.read_csv(tmp_path / "ideas.csv").iloc[1:].to_csv(only_proposals, index=False)
    result = runner.invoke(app, ["train", "--models", "m", "--no-cv", "--labels", "propositions.csv"])
    assert result.exit_code == 1
    assert "(dont, changée(s) d'axe : « Aider les ménages modestes à se chauffer » : axe 2" in result.stderr


def test_train_and_evaluate_need_no_reports_folder(runner, tmp_path):
    """A consultant with a new workshop file and nothing else, in a folder of their own."""
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    labelled = {"Ajouter des arceaux à vélos devant la gare": "velo", "Un bus toutes les dix minutes": "bus"}
    pd.DataFrame({"text": list(labelled), "axis": list(labelled.values())}).to_csv("etiquettes.csv", index=False)
    # (evaluate finds no saved model in its folder: it trains one, as train did)
    for command in (["train", "--no-cv", "--models", "m"], ["evaluate", "--labels", "etiquettes.csv", "--models", "n"]):
        result = runner.invoke(app, [*command, "--workshop", "mobilites.yaml"])
        assert result.exit_code == 0, result.output
        assert "Pas de dossier data/raw ni d'option --input : apprentissage sur le fichier de l'atelier seul." in (
            result.stderr
        )
    assert "F1 macro : 1,000" in result.stdout
    result = runner.invoke(app, ["train", "--input", "rapports"])
    assert result.exit_code == 1 and "rapports : chemin introuvable" in result.stderr


def test_train_replaces_no_model_when_none_of_its_reports_is_read(runner, tmp_path):
    # Before, it trained on the workshop file alone and replaced the saved model, with exit 0.
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    assert runner.invoke(app, ["train", "--no-cv", "--workshop", "mobilites.yaml"]).exit_code == 0
    saved = {path: path.read_bytes() for path in (tmp_path / "models").rglob("*") if path.is_file()}
    (tmp_path / "vide").mkdir()
    (tmp_path / "faux.pdf").write_bytes(b"pas un PDF")
    for given, message in [
        ("vide", "aucun rapport PDF ou DOCX dans vide : rien n'est entraîné."),
        ("faux.pdf", "aucun rapport n'a pu être lu (1 en erreur) : rien n'est entraîné, aucun modèle n'est remplacé."),
    ]:
        result = runner.invoke(app, ["train", "--no-cv", "--workshop", "mobilites.yaml", "--input", given])
        assert result.exit_code == 1 and message in result.stderr, result.output
    assert {path: path.read_bytes() for path in (tmp_path / "models").rglob("*") if path.is_file()} == saved


def test_a_saved_model_older_than_the_workshop_file_says_so(runner, tmp_path):
    # A consultant adds a keyword after `atelier train`: the saved model was used without a word.
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    assert runner.invoke(app, ["train", "--no-cv", "--workshop", "mobilites.yaml"]).exit_code == 0
    pd.DataFrame({"text": ["Plus d'arceaux près de la gare"]}).to_csv(tmp_path / "idees.csv", index=False)
    command = ["classify", "idees.csv", "--workshop", "mobilites.yaml", "--out", "o.csv"]
    same = runner.invoke(app, command)
    assert same.exit_code == 0 and "ont changé" not in same.stderr, same.output
    edited = USER_WORKSHOP.replace('"arceaux"]', '"arceaux", "trottinette"]')
    (tmp_path / "mobilites.yaml").write_text(edited, encoding="utf-8")
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert (
        "Les libellés, descriptions, mots-clés ou exemples des axes de mobilites.yaml ont changé depuis "
        "l'entraînement du modèle enregistré dans models/mobilites"
    ) in result.stderr
    assert "jusqu'au prochain « atelier train »" in result.stderr
    version = load_axis_model(tmp_path / "models" / "mobilites").version
    assert f"avec le modèle {version}" in result.stdout  # still the saved one: it holds the decisions
    assert runner.invoke(app, ["train", "--no-cv", "--workshop", "mobilites.yaml"]).exit_code == 0
    assert "ont changé" not in runner.invoke(app, command).stderr


def test_train_self_trains_on_the_ideas_of_its_labels_file_it_does_not_count(runner, tmp_path):
    # A classify output with a few rows reviewed: the others are the batch, as classify reads its
    # file (the saved model learnt from the decisions alone and placed new ideas worse than the
    # model classify trains on the fly from the same file: 0.835 against 0.847 in an analyst's test).
    texts = [text for _, text, _ in IDEAS]
    sources = ["review", "review", "model", "model", "à revoir"]
    pd.DataFrame({"text": texts, "axis": [axis for _, _, axis in IDEAS], "axis_source": sources}).to_csv(
        tmp_path / "relu.csv", index=False
    )
    (tmp_path / "data" / "raw").mkdir(parents=True)  # no report: the file is the only batch
    result = runner.invoke(app, ["train", "--no-cv", "--labels", "relu.csv", "--models", "m"])
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m" / "atelier6" / "card.json").read_text(encoding="utf-8"))
    assert card["n_training_texts"]["labelled"] == 2 and card["n_training_texts"]["unlabelled_pool"] == 3


def test_kept_decisions_give_the_idea_and_its_theme_apart(runner, tmp_path):
    # decisions.csv beside the model held « Des bancs Espaces publics »: the text read with its
    # theme, as the classifier reads it, in the column an analyst reads as the idea's.
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    pd.DataFrame(
        {
            "text": ["Des arceaux devant la gare", "Un bus toutes les dix minutes"],
            "theme": ["Stationnement", ""],
            "axis": ["velo", "bus"],
        }
    ).to_csv(tmp_path / "labels.csv", index=False)
    base = ["train", "--no-cv", "--workshop", "mobilites.yaml"]
    assert runner.invoke(app, [*base, "--labels", "labels.csv"]).exit_code == 0
    kept = tmp_path / "models" / "mobilites" / "decisions.csv"
    assert read(kept)[["text", "theme", "axis"]].values.tolist() == [
        ["Des arceaux devant la gare", "Stationnement", "velo"],
        ["Un bus toutes les dix minutes", "", "bus"],
    ]
    first = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))
    result = runner.invoke(app, base)  # (learnt again from the file, as the same texts)
    assert "Décisions d'analystes : 2 reprise(s)" in result.stdout, result.output
    again = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))
    assert again["training_data_sha256"] == first["training_data_sha256"]
    # A file written before the theme column holds the text read with its theme: learnt as it was.
    older = read(kept)
    older["text"] = ["Des arceaux devant la gare Stationnement", "Un bus toutes les dix minutes"]
    older.drop(columns="theme").to_csv(kept, index=False)
    result = runner.invoke(app, base)
    assert "Décisions d'analystes : 2 reprise(s)" in result.stdout, result.output
    again = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))
    assert again["training_data_sha256"] == first["training_data_sha256"]


def test_training_again_keeps_the_decisions_the_model_learnt(runner, tmp_path):
    # Retrained after a YAML edit, as the note asks, the model lost its analysts' decisions in
    # silence: they were only in the file given to --labels. They are kept beside the model.
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    pd.DataFrame(
        {"text": ["Des arceaux à vélo devant la gare", "Un bus toutes les dix minutes"], "axis": ["velo", "bus"]}
    ).to_csv(tmp_path / "decisions.csv", index=False)
    base = ["train", "--no-cv", "--workshop", "mobilites.yaml"]
    assert runner.invoke(app, [*base, "--labels", "decisions.csv"]).exit_code == 0
    kept = tmp_path / "models" / "mobilites" / "decisions.csv"
    assert read(kept).iloc[:, :4].values.tolist() == [
        ["Des arceaux à vélo devant la gare", "velo", "Développer le vélo", "review"],
        ["Un bus toutes les dix minutes", "bus", "Renforcer les transports en commun", "review"],
    ]
    edited = USER_WORKSHOP.replace('"arceaux"]', '"arceaux", "trottinette"]')
    (tmp_path / "mobilites.yaml").write_text(edited, encoding="utf-8")
    pd.DataFrame({"text": ["Plus de vélos"]}).to_csv(tmp_path / "idees.csv", index=False)
    result = runner.invoke(app, ["classify", "idees.csv", "--workshop", "mobilites.yaml", "--out", "o.csv"])
    assert "jusqu'au prochain « atelier train » (qui reprend ses décisions d'analystes)" in result.stderr, result.output
    result = runner.invoke(app, base)
    assert result.exit_code == 0, result.output
    assert "Décisions d'analystes : 2 reprise(s) de models/mobilites/decisions.csv" in result.stdout
    card = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))
    assert card["analyst_decisions"] == 2 and card["n_training_texts"]["labelled"] == 2
    assert read(kept).shape == (2, 6)
    # An axis renamed: its decisions are learnt under it (they were dropped for good, QA), and
    # classify keeps using the saved model, which holds them, saying the labels changed.
    renamed = edited.replace('label: "Développer le vélo"', 'label: "Le vélo au quotidien"')
    (tmp_path / "mobilites.yaml").write_text(renamed, encoding="utf-8")
    result = runner.invoke(app, ["classify", "idees.csv", "--workshop", "mobilites.yaml", "--out", "o.csv"])
    assert "Les libellés, descriptions, mots-clés ou exemples" in result.stderr, result.output
    assert "Modèle enregistré écarté" not in result.stderr
    assert f"avec le modèle {card['model_version']}" in result.stdout
    result = runner.invoke(app, base)
    assert "Décisions d'analystes : 2 reprise(s)" in result.stdout, result.output
    assert "1 sous un axe renommé ou renuméroté depuis" in result.stdout
    assert read(kept).iloc[:, :4].values.tolist()[0] == [
        "Des arceaux à vélo devant la gare", "velo", "Le vélo au quotidien", "review"
    ]
    # Axes renumbered: a decision follows its label; the saved model, whose classes meant other
    # axes, is set aside. An axis removed: its decisions are not learnt, and not lost either.
    renumbered = renamed.replace("id: velo", "id: cycle").replace("id: bus", "id: velo")
    (tmp_path / "mobilites.yaml").write_text(renumbered, encoding="utf-8")
    result = runner.invoke(app, ["classify", "idees.csv", "--workshop", "mobilites.yaml", "--out", "o.csv"])
    assert "ne correspond pas aux axes de l'atelier" in result.stderr, result.output
    result = runner.invoke(app, base)
    assert "Décisions d'analystes : 2 reprise(s)" in result.stdout and "2 sous un axe renommé" in result.stdout
    assert read(kept)["axis"].tolist() == ["cycle", "velo"]
    removed = renumbered.replace('label: "Renforcer les transports en commun"', 'label: "Marcher en ville"')
    (tmp_path / "mobilites.yaml").write_text(removed.replace("id: velo", "id: marche"), encoding="utf-8")
    result = runner.invoke(app, base)
    assert "Décisions d'analystes : 1 reprise(s)" in result.stdout, result.output
    assert "1 d'un axe que l'atelier n'a plus, ignorée(s) mais gardée(s) dans ce fichier" in result.stdout
    assert read(kept).iloc[:, :4].values.tolist() == [
        ["Des arceaux à vélo devant la gare", "cycle", "Le vélo au quotidien", "review"],
        ["Un bus toutes les dix minutes", "velo", "Renforcer les transports en commun", "review"],
    ]
    assert json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))[
        "analyst_decisions"
    ] == 1
    # A file that is not ours is refused, not learnt.
    kept.write_text("texte;axe\nx;velo\n", encoding="utf-8")
    result = runner.invoke(app, base)
    assert result.exit_code == 1 and "n'est pas un fichier de décisions écrit par atelier train" in result.stderr


def test_evaluate_cross_validates_the_decisions_train_learnt(runner, tmp_path):
    # After `train --labels`, `evaluate` said there were too few labelled ideas: it only read the
    # reports, while train had cross-validated the decisions (QA).
    (tmp_path / "mobilites.yaml").write_text(USER_WORKSHOP, encoding="utf-8")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    bikes = ["Des arceaux à vélo devant la gare", "Une piste cyclable rue de la République", "Louer des vélos",
             "Sécuriser les carrefours pour les cyclistes", "Des garages à vélos dans les immeubles",
             "Un itinéraire cyclable jusqu'au lycée"]  # fmt: skip
    buses = ["Un bus toutes les dix minutes", "Le tramway jusqu'à minuit", "Un abonnement moins cher",
             "Des bus le dimanche matin", "Prolonger la ligne de métro", "Des horaires de bus affichés"]  # fmt: skip
    pd.DataFrame({"text": bikes + buses, "axis": ["velo"] * 6 + ["bus"] * 6}).to_csv(tmp_path / "d.csv", index=False)
    base = ["--workshop", "mobilites.yaml", "--folds", "2"]
    trained = runner.invoke(app, ["train", *base, "--no-cv", "--labels", "d.csv"])
    assert trained.exit_code == 0, trained.output
    # Its summary adds up: distinct texts (it gave the count before duplicates were merged).
    counts = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))[
        "n_training_texts"
    ]
    assert f"Exemples : {counts['labelled'] + counts['workshop']} textes distincts" in trained.stdout
    assert f"dont {counts['labelled']} idées étiquetées et {counts['workshop']} textes du YAML" in trained.stdout
    result = runner.invoke(app, ["evaluate", *base])
    assert result.exit_code == 0, result.output
    assert "Décisions d'analystes : 12 reprise(s)" in result.stdout
    assert "12 idées placées par les documents ou des analystes (12 décisions)" in result.stdout
    # Scored on the decisions it learnt, the model looks perfect: said (QA: 1.000, written to the card).
    pd.DataFrame({"text": bikes[:2] + ["Un parking relais"], "axis": ["velo", "velo", "bus"]}).to_csv(
        tmp_path / "t.csv", index=False
    )
    result = runner.invoke(app, ["evaluate", "--workshop", "mobilites.yaml", "--labels", "t.csv"])
    assert result.exit_code == 0, result.output
    assert "Avertissement : 2 ligne(s) de t.csv sont des décisions que le modèle a apprises" in result.stderr
    # … and in the card, which keeps the score (QA: 1.0 kept there without a word).
    card = json.loads((tmp_path / "models" / "mobilites" / "card.json").read_text(encoding="utf-8"))
    assert card["evaluation:t.csv"]["learnt_rows"] == 2 and "optimiste" in card["evaluation:t.csv"]["note"]


def test_train_saves_a_model_that_classify_then_uses(runner, ideas_csv, tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)  # no report: the workshop's own examples only
    result = runner.invoke(app, ["train", "--models", "modeles"])
    assert result.exit_code == 0, result.output
    directory = tmp_path / "modeles" / "atelier6"
    model = load_axis_model(directory)
    card = json.loads((directory / "card.json").read_text(encoding="utf-8"))
    assert card["model_version"] == model.version
    assert f"Modèle {model.version} enregistré dans modeles/atelier6" in result.stdout
    assert "axe 5 – Améliorer la santé publique" in result.stdout

    result = runner.invoke(app, ["classify", "idees.csv", "--out", "o.csv", "--models", "modeles"])
    assert result.exit_code == 0, result.output
    assert f"avec le modèle {model.version}" in result.stdout
    assert "Aucun modèle enregistré" not in result.stderr
    assert read(tmp_path / "o.csv")["axis"].tolist()[:5] == [axis for _, _, axis in IDEAS]

    # evaluate on a labelled CSV: the saved model, scores printed and written to its card
    labels = tmp_path / "etiquettes.csv"
    pd.DataFrame({"text": [t for _, t, _ in IDEAS] + ["Hors sujet"], "axis": [a for _, _, a in IDEAS] + ["0"]}).to_csv(
        labels, index=False
    )
    pd.concat([pd.read_csv(labels), pd.DataFrame({"text": ["Pas encore relu"], "axis": [None]})]).to_csv(
        labels, index=False
    )  # a row without an axis is no label (it was counted "hors des axes")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv", "--models", "modeles"])
    assert result.exit_code == 0, result.output
    # The labels that are no axis of the workshop are named (QA: « espaces verts », « Axe 6 »).
    assert "5 lignes, 1 dont l'axe n'est aucun de ceux de l'atelier ignorée(s) : « 0 »" in result.stdout
    assert "F1 macro : 1,000" in result.stdout and "Matrice de confusion" in result.stdout
    card = json.loads((directory / "card.json").read_text(encoding="utf-8"))
    assert card["evaluation:etiquettes.csv"]["macro_f1"] == 1.0
    assert set(card["evaluation:etiquettes.csv"]["per_axis"]) == {"1", "2", "3", "4", "5"}
    assert "learnt_rows" not in card["evaluation:etiquettes.csv"]


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
def test_train_then_evaluate_write_grouped_cross_validation_to_the_card(runner, tmp_path):
    copy_a_sample(tmp_path / "data" / "raw")
    result = runner.invoke(app, ["train", "--models", "modeles", "--folds", "3"])
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "modeles" / "atelier6" / "card.json").read_text(encoding="utf-8"))
    cv = card["cross_validation"]
    assert cv["folds"] == 3 and cv["n_groups"] < cv["n_examples"]  # the report repeats its actions
    assert cv["training_data_sha256"] == card["training_data_sha256"]
    assert 0.7 <= cv["macro_f1"] < 1.0 and card["calibration"]["method"] == "temperature"
    assert card["n_training_texts"]["self_training"] > 0  # the post-its of the report
    assert "Validation croisée (3 plis groupés" in result.stdout and "F1 macro : " in result.stdout
    # Long on large label files (20,000 decisions: 9 min, measured): what it is doing, on stderr.
    assert "Entraînement du classifieur sur " in result.stderr and "idée(s) non étiquetée(s)…" in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("Validation croisée : pli")] == [
        f"Validation croisée : pli {fold}/3…" for fold in (1, 2, 3)
    ]

    result = runner.invoke(app, ["evaluate", "--models", "modeles", "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "Validation croisée : pli 2/2…" in result.stderr
    assert "groupés par texte quasi identique" in result.stdout and "Matrice de confusion" in result.stdout
    assert "Calibration : erreur" in result.stdout
    assert "Résultats écrits dans la fiche" in result.stdout


def test_evaluate_labels_needs_text_and_axis_columns(runner, tmp_path):
    (tmp_path / "etiquettes.csv").write_text("text,catégorie\nUne idée,1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 1 and "colonne « axis » absente" in result.stderr
    assert "une colonne axis (ou axe : son axe)" in result.stderr
    # Two columns that may each be the text: neither is guessed.
    (tmp_path / "etiquettes.csv").write_text("Idée,Texte,Axe\nUne idée,Une autre,1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 1 and "colonne « text » absente (colonnes présentes : Idée, Texte, Axe)" in result.stderr
    assert "Plusieurs colonnes peuvent l'être (Idée, Texte) : nommez « text » celle à lire." in result.stderr
    # (A regression hunt: the columns named as read, « text » for « Idées », when the axis is missing.)
    (tmp_path / "etiquettes.csv").write_text("Idées,Thème\nUne idée,Vie locale\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 1 and "colonne « axis » absente (colonnes présentes : Idées, Thème)" in result.stderr
    (tmp_path / "etiquettes.csv").write_text("text,axis\nUne idée,9\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 1 and "aucune ligne n'a un axe de l'atelier" in result.stderr


def test_a_labels_file_headed_in_french_is_read(runner, tmp_path):
    # French QA: a consultant's own file of labels, saved by a French Excel, heads its columns « Texte » and
    # « Axe »; it was refused for lacking « text ».
    rows = ["Texte;Axe", "Plus de bus le soir vers les quartiers;5", "Soutenir les associations de quartier;1"]
    (tmp_path / "etiquettes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 0, result.output
    assert "Colonne « Texte » lue comme « text »." in result.stderr
    assert "Colonne « Axe » lue comme « axis »." in result.stderr
    assert "Évaluation sur etiquettes.csv (2 lignes)" in result.stdout
    # (A regression hunt: « text » and « Texte » both there, « text » was read without a word on « Texte ».)
    rows = ["text;Texte;axis", "Plus de bus le soir;Soutenir les associations;5", "Bancs;Jardins;1"]
    (tmp_path / "etiquettes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--labels", "etiquettes.csv"])
    assert result.exit_code == 0, result.output
    assert "etiquettes.csv : colonnes « text » et « Texte » : seule « text » est lue." in result.stderr


def test_evaluate_needs_ideas_placed_by_a_report(runner, tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert "pas assez d'idées étiquetées" in result.stderr
    assert "Donnez des rapports (--input RAPPORT ou DOSSIER) ou des décisions (--labels CSV)." in result.stderr


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
def test_train_does_not_learn_another_workshops_report_by_its_axis_numbers(runner, tmp_path):
    sample = copy_a_sample(tmp_path / "data" / "raw")
    # Axes numbered 1 to 3 like the report's, about mobility: "AXE 2 : Emploi, économie et
    # entreprise" is not this workshop's axis 2.
    (tmp_path / "mobilite.yaml").write_text(
        USER_WORKSHOP.replace("id: velo", 'id: "1"').replace("id: bus", 'id: "2"'), encoding="utf-8"
    )
    result = runner.invoke(app, ["train", "--workshop", "mobilite.yaml", "--models", "m", "--no-cv"])
    assert result.exit_code == 0, result.output
    assert "dont 0 idées étiquetées et" in result.stdout
    assert f"Avertissement : {sample.name} : aucun de ses titres d'axes" in result.stderr
    assert "« AXE 2 : Emploi, économie et entreprise »" in result.stderr


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
@pytest.mark.parametrize(
    "out, reason",
    [("resultats", "resultats : c'est un fichier, pas un dossier."),
     ("resultats/2024", "resultats/2024 : resultats est un fichier, pas un dossier.")],
)
def test_run_refuses_an_output_folder_it_cannot_write_before_reading_anything(runner, tmp_path, out, reason):
    copy_a_sample(tmp_path / "rapports")
    (tmp_path / "resultats").write_text("un fichier, pas un dossier", encoding="utf-8")
    result = runner.invoke(app, ["run", "rapports", "--out", out])
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {reason}\n"  # one line, before any report is read


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
def test_run_on_a_batch_with_a_bad_file(runner, tmp_path, prefect_harness):
    reports = tmp_path / "rapports"
    sample = copy_a_sample(reports)
    (reports / "tronque.pdf").write_bytes(sample.read_bytes()[:2000])
    # A name in Latin-1 from an old share (QA: its surrogates could not be written, and the batch stopped).
    (reports / os.fsdecode(b"z_copie_\xe9t\xe9.pdf")).write_bytes(sample.read_bytes())
    # (Given twice: QA, `atelier run s1.pdf s1.pdf` said « 1 fichier(s) à lire » and nothing of the repeat.)
    result = runner.invoke(app, ["run", "rapports", "./rapports/", "--out", "resultats"])
    assert result.exit_code == 0, result.output
    assert "3 fichiers à lire" in result.stderr and "rapports donné 2 fois : lu une fois." in result.stderr
    assert "tronque.pdf : erreur — " in result.stderr
    assert f"{sample.name} : " in result.stderr
    # Training on the fly is said as it starts (QA: 10 to 30 s without a word), and where the model was looked
    # for, whole (QA: « models/atelier6 », run from another folder than the training's).
    assert re.search(r"Entraînement du classifieur sur \d+ contributions? du lot…", result.stderr)
    models = tmp_path.resolve() / "models"
    assert (
        f" ; aucun modèle enregistré pour « atelier6 » dans {models / 'atelier6'}, dossier {models} "
        "absent (cherché sous le dossier courant ; --models pour un autre dossier)."
    ) in result.stderr
    assert "Documents : 1 lu, 1 en erreur, 1 copie d'un autre ignorée (détail ci-dessus" in result.stdout
    manifest = json.loads((tmp_path / "resultats" / "manifest.json").read_text(encoding="utf-8"))
    assert [(d["name"], d["status"]) for d in manifest["documents"]] == [
        (sample.name, "ok"),
        ("tronque.pdf", "error"),
        ("z_copie_été.pdf", "copy"),  # (a copy of the sample)
    ]
    ideas = read(tmp_path / "resultats" / "ideas.csv")
    assert f"Contributions : {len(ideas)} (" in result.stdout
    assert set(ideas["document"]) == {sample.name}


def test_a_run_into_its_own_folder_keeps_what_analysts_decided_there(runner, tmp_path, prefect_harness):
    # QA: correcting the run's ideas.csv (or ideas.xlsx) and running again into that folder put
    # the model's axes back without a word, and an Excel-saved ideas.csv lost its groups.
    docx = pytest.importorskip("docx")
    (tmp_path / "rapports").mkdir()
    document = docx.Document()
    document.add_heading("AXE 3 : Comment faire participer les citoyens ?", level=1)
    table = document.add_table(rows=3, cols=2)
    for row, (objective, action) in enumerate(
        (("Objectifs", "Actions"), ("Associer les habitants", "Organiser des conseils de quartier")), start=0
    ):
        table.cell(row, 0).text, table.cell(row, 1).text = objective, action
    table.cell(2, 1).text = "Créer un budget participatif"
    document.save(tmp_path / "rapports" / "seance.docx")
    assert runner.invoke(app, ["run", "rapports", "--out", "sortie"]).exit_code == 0
    ideas = read(tmp_path / "sortie" / "ideas.csv")
    action = ideas.index[ideas["text"] == "Organiser des conseils de quartier"][0]
    ideas.loc[action, ["axis", "axis_source", "cluster_id"]] = ["5", "revu", "c-mon-groupe"]
    ideas.to_csv(tmp_path / "sortie" / "ideas.csv", index=False, sep=";", encoding="cp1252")  # as Excel saves it
    result = runner.invoke(app, ["run", "rapports", "--out", "sortie"])
    assert result.exit_code == 0, result.output
    again = read(tmp_path / "sortie" / "ideas.csv")
    assert again.loc[action, ["axis", "axis_source", "cluster_id"]].tolist() == ["5", "review", "c-mon-groupe"]
    assert "1 idée(s) gardent l'axe décidé dans sortie/ideas.csv (axis_source = review)" in result.stderr
    # Edited in the workbook instead (newer than the CSV beside it).
    workbook = openpyxl.load_workbook(tmp_path / "sortie" / "ideas.xlsx")
    sheet = workbook["Idées"]
    header = [cell.value for cell in sheet[1]]
    text = header.index("text")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[text].value == "Créer un budget participatif")
    row[header.index("axis")].value, row[header.index("axis_source")].value = "Axe 4", "OK"
    workbook.save(tmp_path / "sortie" / "ideas.xlsx")
    assert runner.invoke(app, ["run", "rapports", "--out", "sortie"]).exit_code == 0
    final = read(tmp_path / "sortie" / "ideas.csv").set_index("text")
    assert final.loc["Créer un budget participatif", ["axis", "axis_source"]].tolist() == ["4", "review"]
    assert final.loc["Organiser des conseils de quartier", ["axis", "axis_source"]].tolist() == ["5", "review"]


def test_run_sets_apart_the_fillers_of_a_form(runner, tmp_path, prefect_harness):
    # QA: « RAS » and « - » cells were written without an axis but counted as contributions, made a
    # group of two « RAS » and stood in the « Sans axe » lines of the synthesis.
    docx = pytest.importorskip("docx")
    (tmp_path / "rapports").mkdir()
    document = docx.Document()
    document.add_heading("Post-it des participants", level=1)
    rows = [("Thème", "Post-it"), ("Mobilité", "Développer le covoiturage entre les communes"), ("Mobilité", "RAS")]
    rows += [("Emploi", "RAS"), ("Emploi", "-"), ("Emploi", "Créer une épicerie solidaire")]
    table = document.add_table(rows=len(rows), cols=2)
    for row, cells in enumerate(rows):
        table.cell(row, 0).text, table.cell(row, 1).text = cells
    document.save(tmp_path / "rapports" / "seance.docx")
    result = runner.invoke(app, ["run", "rapports", "--out", "sortie"])
    assert result.exit_code == 0, result.output
    ideas = read(tmp_path / "sortie" / "ideas.csv")
    assert ideas["text"].tolist() == [text for _, text in rows[1:]]  # nothing lost, in the report's order
    fillers = ideas[ideas["text"].isin(["RAS", "-"])]
    assert (fillers[["axis", "axis_source", "needs_review", "cluster_id", "canonical"]] == "").all().all()
    assert (ideas.loc[~ideas.index.isin(fillers.index), "cluster_id"] != "").all()
    clusters = read(tmp_path / "sortie" / "clusters.csv")
    assert sorted(clusters["canonical_text"]) == [text for _, text in sorted(rows[1:]) if text not in ("RAS", "-")]
    assert "Contributions : 2 (2 post-it" in result.stdout and "Idées distinctes : 2" in result.stdout
    assert "Sans idée (remplissage de formulaire) : 3 case(s) (« RAS », « - »)" in result.stdout  # (most frequent 1st)
    assert "seance.docx : 2 contributions sur 1 page (et 3 case(s) sans idée" in result.stderr
    manifest = json.loads((tmp_path / "sortie" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["counts"]["ideas"], manifest["counts"]["clusters"], manifest["counts"]["fillers"]) == (2, 2, 3)
    assert "aucun" not in manifest["counts"]["ideas_per_axis"]
    synthesis = (tmp_path / "sortie" / "synthesis.html").read_text(encoding="utf-8")
    assert "Sans axe" not in synthesis and "RAS" not in synthesis

    # QA: an analyst's axis on a filler was said to be on an idea absent from the run (« relancez avec tous
    # les documents ») though its document was read.
    ideas.loc[ideas["text"] == "RAS", ["axis", "axis_source"]] = ["2", "review"]
    ideas.to_csv(tmp_path / "sortie" / "ideas.csv", index=False)
    again = runner.invoke(app, ["run", "rapports", "--out", "sortie"])
    assert again.exit_code == 0, again.output
    assert "2 décision(s) de sortie/ideas.csv portent sur des cases sans idée (« RAS »)" in again.output
    assert "absentes de cette exécution" not in again.output


def test_run_exits_1_when_no_document_could_be_read(runner, tmp_path, prefect_harness):
    reports = tmp_path / "rapports"
    reports.mkdir()
    (reports / "vide.pdf").write_bytes(b"")
    (reports / "note.pdf").write_text("Compte-rendu en texte brut", encoding="utf-8")
    result = runner.invoke(app, ["run", "rapports", "--out", "resultats"])
    assert result.exit_code == 1
    assert "note.pdf : erreur — ce n'est pas un PDF" in result.stderr
    assert "vide.pdf : erreur — fichier vide" in result.stderr
    assert "Erreur : aucun document n'a pu être lu." in result.stderr
    # the outputs are written all the same: the manifest says what went wrong
    assert (tmp_path / "resultats" / "manifest.json").is_file()
    assert "(détail ci-dessus et dans manifest.json)" in result.stdout
    # Again into them: their empty sheets hold nothing to keep (QA: each was said unreadable, and to be
    # copied, before « rien n'est écrit »); no manifest is written, none is named.
    result = runner.invoke(app, ["run", "rapports", "--out", "resultats"])
    assert result.exit_code == 1 and "aucune ligne" not in result.stderr and "copié" not in result.stderr
    assert "(détail ci-dessus)." in result.stdout
    # but over a run already there, nothing is written (QA: its synthesis and tables were replaced by empty ones)
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("AXE 3 : Comment faire participer les citoyens ?", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Objectifs", "Actions"
    table.cell(1, 0).text, table.cell(1, 1).text = "Associer les habitants", "Créer un budget participatif"
    (tmp_path / "bon").mkdir()
    document.save(tmp_path / "bon" / "seance.docx")
    assert runner.invoke(app, ["run", "bon", "--out", "resultats"]).exit_code == 0
    before = {path.name: path.read_bytes() for path in (tmp_path / "resultats").iterdir()}
    result = runner.invoke(app, ["run", "rapports", "--out", "resultats"])
    assert result.exit_code == 1 and "Erreur : aucun document n'a pu être lu." in result.stderr
    assert "Aucun document lu : rien n'est écrit, les résultats précédents de resultats restent tels quels." in (
        result.stderr
    )
    assert {path.name: path.read_bytes() for path in (tmp_path / "resultats").iterdir()} == before


def test_evaluate_aligns_long_axis_ids(runner, tmp_path):
    """Axis ids longer than the "axe" column (alimentation_rennes: "agriculture") keep the
    figures under their headers."""
    (tmp_path / "data" / "raw").mkdir(parents=True)
    labels = Path(__file__).parent / "labels" / "alimentation_rennes_items.csv"
    result = runner.invoke(app, ["evaluate", "--workshop", "alimentation_rennes", "--labels", str(labels)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith("axe "))
    header, rows = lines[start], lines[start + 1 : start + 7]
    assert [row.split()[0] for row in rows] == ["agriculture", "restauration", "acces", "gaspillage", "education", "circuits"]
    precision_end = header.index("précision") + len("précision")
    ends = [re.search(r"\d,\d{3}", row).end() for row in rows]
    assert ends == [precision_end] * len(rows), "\n".join([header, *rows])


def test_classify_and_dedup_read_the_html_of_a_web_export_as_plain_text(runner, tmp_path):
    # An online consultation's export: the same idea typed plainly, with tags and with character
    # references. They are one idea, placed alike, and the written file keeps the cells as given.
    texts = [
        "Créer des jardins partagés dans les quartiers",
        "<p>Créer des <strong>jardins partagés</strong> dans les quartiers</p><br/>",
        "<p>Cr&eacute;er des jardins partag&eacute;s dans les quartiers</p>",
        "Lutter contre l&#39;isolement des personnes &acirc;g&eacute;es",
    ]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "export.csv", index=False)
    grouped = runner.invoke(app, ["dedup", "export.csv", "--out", "groupes.csv"])
    assert grouped.exit_code == 0, grouped.output
    frame = read(tmp_path / "groupes.csv")
    assert frame["text"].tolist() == texts
    clusters = frame["cluster_id"].tolist()
    assert clusters[0] == clusters[1] == clusters[2] != clusters[3]
    assert "3 texte(s) en HTML lu(s) comme texte brut" in grouped.stderr
    placed = runner.invoke(app, ["classify", "export.csv", "--out", "classees.csv"])
    assert placed.exit_code == 0, placed.output
    frame = read(tmp_path / "classees.csv")
    assert frame["text"].tolist() == texts
    assert len(set(frame["axis_confidence"][:3])) == 1 and len(set(frame["axis_evidence"][:3])) == 1
    evidence = "; ".join(frame["axis_evidence"])
    assert "&" not in evidence and "<" not in evidence, evidence
    # Labels from such an export score as their plain texts do.
    labels = {"axis": ["5", "4"]}
    pd.DataFrame({"text": [texts[0], texts[3]], **labels}).to_csv(tmp_path / "html.csv", index=False)
    plain = ["Créer des jardins partagés dans les quartiers", "Lutter contre l'isolement des personnes âgées"]
    pd.DataFrame({"text": plain, **labels}).to_csv(tmp_path / "plain.csv", index=False)
    scores = [runner.invoke(app, ["evaluate", "--labels", name]) for name in ("html.csv", "plain.csv")]
    assert [score.exit_code for score in scores] == [0, 0], scores[0].output
    assert "1 texte(s) en HTML de html.csv lu(s) comme texte brut" in scores[0].stderr
    # (the first line names the file and the model, whose version is the second it was trained in)
    assert scores[0].stdout.splitlines()[1:] == scores[1].stdout.splitlines()[1:]


def test_an_idea_without_a_word_is_left_without_an_axis_and_flagged_by_run_and_classify_alike(
    runner, tmp_path, prefect_harness
):
    # QA: the post-it « ??? » was placed in an axis (flagged) by `atelier run`, and left blank,
    # unflagged, by `atelier classify`. An idea without a word gets no axis from either command,
    # is flagged, says why and is counted; a filler of a form (« - », « RAS ») is no idea: left as it is.
    docx = pytest.importorskip("docx")
    ideas = ["Ouvrir une maison de santé avec des médecins", "Créer un conseil citoyen dans chaque quartier"]
    wordless, fillers = ["???", "2030", "😀"], ["-", "RAS"]
    texts = [ideas[0], *wordless, *fillers, ideas[1]]
    (tmp_path / "rapports").mkdir()
    document = docx.Document()
    document.add_heading("Session 1 : post-it des participants", level=1)
    document.add_heading("Santé", level=2)
    for text in texts:
        document.add_paragraph(text, style="List Bullet")
    document.save(tmp_path / "rapports" / "seance.docx")
    ran = runner.invoke(app, ["run", "rapports", "--out", "sortie"])
    assert ran.exit_code == 0, ran.output
    pd.DataFrame({"theme": "Santé", "text": texts}).to_csv(tmp_path / "idees.csv", index=False)
    classified = runner.invoke(app, ["classify", "idees.csv", "--out", "classees.csv"])
    assert classified.exit_code == 0, classified.output
    columns = ["axis", "axis_label", "axis_source", "axis_confidence", "needs_review", "axis_evidence"]
    for frame in (read(tmp_path / "sortie" / "ideas.csv"), read(tmp_path / "classees.csv")):
        frame = frame.set_index("text")
        unplaced = ["", "", "model", "", "True", "(aucun mot : pas d'axe)"]
        assert frame.loc[wordless, columns].values.tolist() == [unplaced] * 3
        assert frame.loc[fillers, ["axis", "needs_review", "axis_evidence"]].values.tolist() == [["", "", ""]] * 2
        assert (frame.loc[ideas, "axis"] != "").all()
    # (The fillers were counted « sans axe » by run, 5 against classify's 3: they are no idea, counted apart.)
    assert re.search(r"Par axe : axe 1 : \d, .*, axe 5 : \d, sans axe : 3\n", ran.stdout)
    assert "Sans idée (remplissage de formulaire) : 2 case(s) (« - », « RAS »)" in ran.stdout
    assert ", sans axe : 3\n" in classified.stdout and " ; 3 sans mot, laissée(s) sans axe)" in classified.stdout
    assert "(et 2 ligne(s) sans texte ou sans idée (« - », « RAS »), non classée(s)" in classified.stdout


def test_run_says_what_a_mistyped_option_or_a_missing_default_folder_means(runner, tmp_path):
    # QA, a consultant's first day: « -workshop x » (one dash) gave « Atelier « orkshop » inconnu »; outside
    # the repository, « atelier run » said only « data/raw : chemin introuvable ».
    result = runner.invoke(app, ["run", "-workshop", "x"])
    assert result.exit_code == 1
    assert "(« -workshop » est lu « -w orkshop » : écrivez --workshop, avec deux tirets.)" in result.stderr
    result = runner.invoke(app, ["run", "-out", "sortie"])
    assert result.exit_code == 1 and "(« -out » est lu « -o ut » : écrivez --out, avec deux tirets.)" in result.stderr
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 1
    assert (
        f"aucun rapport donné, et le dossier par défaut data/raw n'est pas sous le dossier courant ({Path.cwd()}) : "
        "donnez les rapports, « atelier run RAPPORT.pdf » ou « atelier run DOSSIER »."
    ) in result.stderr


def test_run_into_a_folder_another_run_holds_is_refused_before_reading(runner, tmp_path):
    # QA, a nightly job: a second run into the same folder replaced the first's outputs without a word.
    import subprocess
    import sys

    (tmp_path / "rapports").mkdir()
    (tmp_path / "rapports" / "r.pdf").write_bytes(b"%PDF-1.4")
    hold = (
        "import time\nfrom atelier.flows import outputs\n"
        "with outputs.run_lock('sortie'):\n    print('held', flush=True)\n    time.sleep(60)"
    )
    other = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "held\n"
        result = runner.invoke(app, ["run", "rapports", "--out", "sortie"])
    finally:
        other.kill()
    assert result.exit_code == 1
    assert f"une autre exécution d'atelier y écrit (processus {other.pid})" in result.stderr
    assert [path.name for path in (tmp_path / "sortie").iterdir()] == [".atelier.lock"]  # (not taken: nothing written)


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
def test_a_run_that_cannot_write_an_output_says_so_in_french_and_leaves_nothing_in_prefect_s_storage(tmp_path):
    # QA: a folder named as an output stopped the run with 70 lines of Prefect's tracebacks in English and an
    # error naming the run's temporary file, the files before it replaced and not those after; Prefect kept the
    # exception, and the texts it may hold, in its result storage under PREFECT_HOME. A process of its own:
    # Prefect reads its settings when first imported.
    import subprocess
    import sys

    sample = copy_a_sample(tmp_path / "rapports")
    (tmp_path / "sortie" / "synthesis.html").mkdir(parents=True)
    (tmp_path / "sortie" / "ideas.csv").write_text("earlier\n", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    environment["PREFECT_HOME"] = str(tmp_path / "prefect")
    result = subprocess.run(
        [sys.executable, "-m", "atelier.flows.cli", "run", f"rapports/{sample.name}", "--out", "sortie"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr
    assert (
        f"Erreur : {Path('sortie') / 'synthesis.html'} est un dossier : le fichier de ce nom ne peut pas être écrit "
        "à sa place"
    ) in result.stderr
    assert "Aucune sortie n'a été remplacée." in result.stderr
    assert (tmp_path / "sortie" / "ideas.csv").read_text(encoding="utf-8") == "earlier\n"
    assert not list((tmp_path / "prefect").glob("storage/*"))


@pytest.mark.skipif(not any(SAMPLES.glob("*.pdf")), reason="sample reports not generated yet")
def test_train_says_a_copy_of_a_report_is_set_aside_not_in_error(runner, tmp_path):
    # QA (a regression hunt): train printed « erreur » for a copy, which run counts apart.
    sample = copy_a_sample(tmp_path / "data" / "raw")
    shutil.copy(sample, tmp_path / "data" / "raw" / f"z_copie_{sample.name}")
    result = runner.invoke(app, ["train", "--no-cv", "--models", "m"])
    assert result.exit_code == 0, result.output
    assert f"z_copie_{sample.name} : ignoré — contenu identique à {sample.name}, déjà lu" in result.stderr
