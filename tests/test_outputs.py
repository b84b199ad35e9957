"""Writers of the files of a run, on a few hand-built records (no Prefect, no spaCy)."""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import os
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from atelier.extract.document import extract_document
from atelier.extract.records import BBox, Contribution, Detail, DocumentResult
from atelier.flows import outputs
from atelier.flows.pipeline import write_run_outputs
from atelier.flows.synthesis import action_plans, render_synthesis, synthesis_context, weight_phrase
from atelier.flows.synthesis_docx import synthesis_document
from atelier.nlp.dedup import summarize_clusters
from atelier.nlp.workshop import load_workshop

SHA = "ab" * 32
CONTRACT_COLUMNS = [
    "idea_id", "document", "document_sha256", "page", "kind", "category", "theme", "objective", "text",
    "axis", "axis_label", "axis_source", "axis_confidence", "cluster_id", "canonical",
]  # fmt: skip
REVIEW_COLUMNS = ["needs_review", "axis_2", "axis_2_confidence", "axis_evidence"]
SCRIPT_POSTIT = "<script>alert('post-it')</script> & « guillemets »"


@pytest.fixture(scope="module")
def workshop():
    return load_workshop("atelier6")


@pytest.fixture(scope="module")
def records(workshop):
    """Three ideas of one report: two wordings of one post-it (one cluster), one action with details."""
    label = workshop.axis_label
    return [
        Contribution(
            idea_id="abababababab-0001",
            document="rapport.pdf",
            document_sha256=SHA,
            page=2,
            kind="postit",
            text="Créer une maison de santé dans les quartiers",
            category="Santé",
            theme="Accès aux soins",
            bbox=BBox(10.0, 20.5, 300.0, 40.0),
            axis="5",
            axis_label=label("5"),
            axis_source="model",
            axis_confidence=0.42,
            cluster_id="c-0000000001",
            canonical=True,
        ),
        Contribution(
            idea_id="abababababab-0002",
            document="rapport.pdf",
            document_sha256=SHA,
            page=3,
            kind="postit",
            text="Créer une maison de santé dans les quartiers.",
            axis="5",
            axis_label=label("5"),
            axis_source="model",
            axis_confidence=0.91,
            cluster_id="c-0000000001",
            canonical=False,
        ),
        Contribution(
            idea_id="abababababab-0003",
            document="rapport.pdf",
            document_sha256=SHA,
            page=4,
            kind="action",
            text=SCRIPT_POSTIT,
            category="AXE 2",
            objective="Favoriser l'emploi des jeunes",
            stated_axis="2",
            details=(
                Detail("Freins", "Manque de financement"),
                Detail("Partenaires", "Mission locale, Pôle emploi"),
            ),
            axis="2",
            axis_label=label("2"),
            axis_source="document",
            axis_confidence=1.0,
            cluster_id="c-0000000002",
            canonical=True,
        ),
    ]


@pytest.fixture(scope="module")
def documents(records):
    return [
        DocumentResult(
            document="rapport.pdf", path="data/raw/rapport.pdf", sha256=SHA, status="ok", pages=4,
            contributions=tuple(records), statistics={"participants_listed": 12},
            warnings=("page 4 scannée non lue (OCR indisponible)",),
        ),
        DocumentResult(
            document="vide.pdf", path="data/raw/vide.pdf", sha256="", status="error",
            error="fichier vide (0 octet)",
        ),
    ]  # fmt: skip


def test_ideas_csv_has_the_contract_columns_in_order(records, tmp_path):
    parquet, csv_path = outputs.write_ideas(records, tmp_path)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert header[len(CONTRACT_COLUMNS) :] == ["stated_axis", "x0", "top", "x1", "bottom", "ocr_confidence", *REVIEW_COLUMNS]
    first = dict(zip(header, rows[1], strict=True))
    assert first["idea_id"] == "abababababab-0001"
    assert first["page"] == "2"
    assert first["axis_label"] == "Améliorer la santé publique"
    assert first["axis_source"] == "model"
    assert float(first["axis_confidence"]) == pytest.approx(0.42)
    assert first["canonical"] == "True"
    assert float(first["top"]) == pytest.approx(20.5)
    third = dict(zip(header, rows[3], strict=True))
    assert third["text"] == SCRIPT_POSTIT  # stored as is, nothing escaped in the data
    assert third["objective"] == "Favoriser l'emploi des jeunes"
    assert third["stated_axis"] == "2"
    assert third["x0"] == ""  # no bounding box
    assert len(rows) == 4


def test_ideas_parquet_round_trip(records, tmp_path):
    parquet, _ = outputs.write_ideas(records, tmp_path)
    frame = pd.read_parquet(parquet)
    assert list(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert frame["idea_id"].tolist() == [r.idea_id for r in records]
    assert frame["text"].tolist() == [r.text for r in records]
    assert frame["page"].tolist() == [2, 3, 4]
    assert frame["canonical"].tolist() == [True, False, True]
    assert frame["axis_confidence"].tolist() == pytest.approx([0.42, 0.91, 1.0])
    assert frame["cluster_id"].nunique() == 2
    assert pd.isna(frame.loc[0, "objective"]) is False and frame.loc[0, "objective"] == ""
    assert pd.isna(frame.loc[2, "x0"])


def test_an_empty_run_still_has_the_columns(tmp_path):
    _, csv_path = outputs.write_ideas([], tmp_path)
    extra = ["stated_axis", "x0", "top", "x1", "bottom", "ocr_confidence", *REVIEW_COLUMNS]
    assert csv_path.read_text(encoding="utf-8").splitlines() == [",".join(CONTRACT_COLUMNS + extra)]
    assert list(pd.read_parquet(tmp_path / outputs.IDEAS_PARQUET).columns[:15]) == CONTRACT_COLUMNS
    details = outputs.write_details([], tmp_path)
    assert details.read_text(encoding="utf-8").strip() == "idea_id,field,text"


@pytest.fixture(scope="module")
def reviewed(records):
    """The records with what the classifier says of the first two (model) ideas; the third is placed by the document."""
    first, second, third = records
    return [
        dataclasses.replace(first, needs_review=True, axis_2="4", axis_2_confidence=0.38, axis_evidence=("santé", "quartier")),
        dataclasses.replace(second, needs_review=False, axis_evidence=("santé",)),
        dataclasses.replace(third, needs_review=False),
    ]


def test_review_columns_follow_the_contract_ones(records, reviewed, tmp_path):
    parquet, csv_path = outputs.write_ideas(reviewed, tmp_path)
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert list(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(frame.columns[-4:]) == REVIEW_COLUMNS
    assert frame["needs_review"].tolist() == ["True", "False", "False"]
    assert frame["axis_2"].tolist() == ["4", "", ""]
    assert frame["axis_2_confidence"].tolist()[1:] == ["", ""] and float(frame.loc[0, "axis_2_confidence"]) == 0.38
    assert frame["axis_evidence"].tolist() == ["santé; quartier", "santé", ""]
    table = pd.read_parquet(parquet)
    assert str(table["needs_review"].dtype) == "boolean" and table["needs_review"].tolist() == [True, False, False]
    assert table["axis_2_confidence"].dtype == "float64"
    # without classification, the review columns are empty
    frame = pd.read_csv(outputs.write_ideas(records, tmp_path / "sans")[1], dtype=str, keep_default_na=False)
    assert frame["needs_review"].tolist() == ["", "", ""] and frame["axis_evidence"].tolist() == ["", "", ""]


def test_confidences_are_written_with_three_decimals_rounded_down(reviewed, tmp_path):
    # 0.8723456789012345 in a spreadsheet, and 0.49996 shown 0.5 while flagged for review.
    ideas = [
        dataclasses.replace(reviewed[0], axis_confidence=0.49996, axis_2_confidence=0.3333333333333333),
        dataclasses.replace(reviewed[1], axis_confidence=0.8723456789012345),
    ]
    frame = pd.read_csv(outputs.write_ideas(ideas, tmp_path)[1], dtype=str, keep_default_na=False)
    assert frame["axis_confidence"].tolist() == ["0.499", "0.872"]
    assert frame["axis_2_confidence"].tolist() == ["0.333", ""]
    assert all(len(cell.partition(".")[2]) <= 2 for cell in frame[["x0", "top", "x1", "bottom"]].to_numpy().ravel())


def test_synthesis_lists_the_ideas_flagged_for_review(reviewed, documents, workshop):
    context = synthesis_context(
        workshop=workshop,
        contributions=reviewed,
        clusters=summarize_clusters(reviewed),
        documents=documents,
        generated_at=datetime(2024, 5, 1),
    )
    assert [(a["text"], a["axis_2"], a["evidence"]) for a in context["attention"]] == [
        (
            "Créer une maison de santé dans les quartiers",
            # (QA: « 26 % » proposed and « (64 %) » for the second axis read as a contradiction: under a theme,
            # the second axis is its own words'.)
            "4 – En quoi le PCET peut-il contribuer à réduire les inégalités ? (38 % selon ses seuls mots)",
            "santé; quartier",
        )
    ]
    assert context["multi_axis"] == 1
    unthemed = [dataclasses.replace(reviewed[0], theme=""), *reviewed[1:]]
    context = synthesis_context(
        workshop=workshop, contributions=unthemed, clusters=summarize_clusters(unthemed), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    second = context["attention"][0]["axis_2"]
    assert second == "4 – En quoi le PCET peut-il contribuer à réduire les inégalités ? (38 %)"
    html = render_synthesis(
        workshop=workshop,
        contributions=reviewed,
        clusters=summarize_clusters(reviewed),
        documents=documents,
        generated_at=datetime(2024, 5, 1),
    )
    assert "santé; quartier" in html and "needs_review" in html and "second axe proche" in html
    assert "« revient N fois » compte les contributions regroupées" in html
    # A confidence just below the threshold is not shown as the threshold (QA: 0.499 as « 50 % »).
    below = [dataclasses.replace(c, axis_confidence=0.4996) if c.needs_review else c for c in reviewed]
    context = synthesis_context(
        workshop=workshop, contributions=below, clusters=summarize_clusters(below), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert [a["confidence"] for a in context["attention"]] == ["49 %"]
    # A repeated idea is shown in its cluster's wording, whichever copy is flagged (QA: a copy signed
    # « - Josiane Martin » was shown, a participant's name in the synthesis).
    signed = [
        reviewed[0],
        dataclasses.replace(reviewed[1], text="Créer une maison de santé dans les quartiers - Josiane Martin"),
        reviewed[2],
    ]
    flagged = [dataclasses.replace(c, needs_review=c is signed[1]) for c in signed]
    context = synthesis_context(
        workshop=workshop, contributions=flagged, clusters=summarize_clusters(flagged), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert [(a["text"], a["times"]) for a in context["attention"]] == [
        ("Créer une maison de santé dans les quartiers", 1)
    ]


def test_synthesis_lists_ideas_of_one_weight_in_french_alphabetical_order(records, documents, workshop):
    # QA: sorted by code point, « Éteindre… » and « Économiser… » came after « Trop… ».
    texts = ["Trop de voitures", "Éteindre l'éclairage la nuit", "Économiser l'eau", "Planter des arbres"]
    ideas = [
        dataclasses.replace(records[0], idea_id=f"abababababab-00{n}9", text=text, cluster_id=f"c-00000000{n}9")
        for n, text in enumerate(texts)
    ]
    context = synthesis_context(
        workshop=workshop, contributions=ideas, clusters=summarize_clusters(ideas), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    axes = {axis["id"]: axis for axis in context["axes"]}
    assert [cluster["text"] for cluster in axes["5"]["clusters"]] == [
        "Économiser l'eau", "Éteindre l'éclairage la nuit", "Planter des arbres", "Trop de voitures"
    ]


def test_synthesis_consolidates_objectives_actions_and_their_sub_fields(workshop, documents, tmp_path):
    """Two documents state one objective with one action each time (worded a little apart, hence
    one cluster each); the second adds a field; an action has no objective, another names an
    objective that no item carries."""
    objective = "Lutter contre la précarité énergétique"

    def item(number, kind, text, cluster, axis, canonical=False, **fields):
        return Contribution(
            idea_id=f"abababababab-{number:04d}", document=f"rapport{1 + number % 2}.pdf", document_sha256=SHA,
            page=number, kind=kind, text=text, axis=axis, axis_label=workshop.axis_label(axis),
            axis_source="document", axis_confidence=1.0, cluster_id=cluster, canonical=canonical, **fields,
        )  # fmt: skip

    items = [
        item(1, "objective", objective, "c-o", "4", canonical=True),
        item(2, "objective", objective + ".", "c-o", "4"),
        item(3, "action", "Repérer les ménages modestes", "c-a1", "4", canonical=True, objective=objective,
             details=(Detail("Freins", "Manque de <b>moyens</b>"),)),
        item(4, "action", "Repérer les ménages modestes.", "c-a1", "4", objective=objective + ".",
             details=(Detail("Frein", "manque de <b>moyens</b>"), Detail("Partenaires", "CCAS"),
                      Detail("freins", "Délais"))),
        item(5, "action", "Former les travailleurs sociaux", "c-a2", "4", canonical=True, objective=objective),
        item(6, "postit", "Isoler les logements", "c-p", "4", canonical=True),
        item(7, "action", "Demander l'exemplarité des pouvoirs publics", "c-a3", "2", canonical=True),
        item(8, "action", "Créer une SCIC", "c-a4", "2", canonical=True, objective="Favoriser l'emploi"),
        # (QA: an action the model placed in another axis than its objective's, unsaid under the objective.)
        item(9, "action", "Créer un guichet unique", "c-a5", "3", canonical=True, objective=objective),
    ]  # fmt: skip
    plans = action_plans(items, summarize_clusters(items))
    assert plans == {
        "4": [
            {
                "objective": objective,
                "times": 2,
                "fields": [],
                "actions": [
                    {
                        "text": "Repérer les ménages modestes",
                        "times": 2,
                        "elsewhere": "",
                        "fields": [
                            {"field": "Freins", "texts": ["Manque de <b>moyens</b>", "Délais"]},
                            {"field": "Partenaires", "texts": ["CCAS"]},
                        ],
                    },
                    {"text": "Former les travailleurs sociaux", "times": 1, "elsewhere": "", "fields": []},
                    {"text": "Créer un guichet unique", "times": 1, "elsewhere": "placée dans l'axe 3", "fields": []},
                ],
            }
        ],
        "2": [
            {"objective": None, "times": 0, "fields": [], "actions": [
                {"text": "Demander l'exemplarité des pouvoirs publics", "times": 1, "elsewhere": "", "fields": []}]},
            {"objective": "Favoriser l'emploi", "times": 0, "fields": [], "actions": [
                {"text": "Créer une SCIC", "times": 1, "elsewhere": "", "fields": []}]},
        ],
    }  # fmt: skip
    html = render_synthesis(
        workshop=workshop, contributions=items, clusters=summarize_clusters(items), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    plan = html[html.index("Objectifs, actions et freins") : html.index("Idées à vérifier")]
    without, named = plan.index("Actions sans objectif"), plan.index("Objectif : Favoriser l&#39;emploi")
    assert plan.index("Axe 2 –") < without < named < plan.index("Axe 4 –") < plan.index(f"Objectif : {objective}")
    assert plan.index(f"Objectif : {objective}") < plan.index("Repérer les ménages modestes")
    assert "<dd>Manque de &lt;b&gt;moyens&lt;/b&gt;</dd>" in plan and "<b>" not in plan
    assert plan.count("moyens") == 1 and "<dd>CCAS</dd>" in plan and "Isoler les logements" not in plan
    assert "Créer un guichet unique <span class=\"weight\">(placée dans l&#39;axe 3)</span>" in plan
    context = synthesis_context(
        workshop=workshop, contributions=items, clusters=summarize_clusters(items), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    document = docx.Document(str(outputs.write_synthesis_docx(synthesis_document(context), tmp_path)))
    assert "Créer un guichet unique (placée dans l'axe 3)" in [p.text for p in document.paragraphs]


def table_item(workshop, number, kind, text, cluster, canonical=False, **fields):
    """An idea of axis 4, placed by its report, in `cluster`."""
    return Contribution(
        idea_id=f"abababababab-{number:04d}", document=f"rapport{1 + number % 2}.pdf", document_sha256=SHA,
        page=number, kind=kind, text=text, axis="4", axis_label=workshop.axis_label("4"),
        axis_source="document", axis_confidence=1.0, cluster_id=cluster, canonical=canonical, **fields,
    )  # fmt: skip


def test_an_objective_is_worded_and_counted_by_its_objective_rows_and_an_action_listed_once(workshop):
    # QA on the sample reports: an objective headed by a post-it of its cluster and counted with
    # it (« revient 9 fois » for 6 rows of the tables), and an action whose copy in the list layout
    # names no objective listed twice, once among the actions without objective.
    objective = "Lutter contre la précarité énergétique"
    item = functools.partial(table_item, workshop)
    items = [
        item(1, "postit", "Plan de lutte contre la précarité énergétique", "c-o", canonical=True),
        item(2, "objective", objective, "c-o"),
        item(3, "objective", objective + ".", "c-o"),
        item(4, "action", "Aider les propriétaires modestes", "c-a", objective=objective),
        item(5, "action", "Aider les propriétaires modestes.", "c-a"),
        # (QA: a post-it, the cluster's canonical wording, stood for the report's action.)
        item(6, "postit", "Aider financièrement les propriétaires modestes à rénover", "c-a", canonical=True),
    ]
    assert action_plans(items, summarize_clusters(items)) == {
        "4": [
            {
                "objective": objective,
                "times": 2,
                "fields": [],
                "actions": [{"text": "Aider les propriétaires modestes", "times": 2, "elsewhere": "", "fields": []}],
            }
        ]
    }


def test_an_idea_of_several_documents_says_which(workshop, documents):
    # QA, three sessions: « revient 4 fois, dans 3 documents » did not say which.
    item = functools.partial(table_item, workshop)
    items = [item(k, "postit", "Isoler les écoles", "c-e", canonical=k == 1) for k in (1, 2)]
    html = render_synthesis(
        workshop=workshop, contributions=items, clusters=summarize_clusters(items), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert "revient 2 fois, dans 2 documents : rapport1.pdf, rapport2.pdf)" in html
    assert weight_phrase(9, 6, [f"s{k}.pdf" for k in range(6)]) == (
        "revient 9 fois, dans 6 documents : s0.pdf, s1.pdf, s2.pdf, s3.pdf…"
    )


def test_objectives_and_actions_are_worded_by_their_clusters_canonical_text_when_a_row_says_it(workshop):
    # QA, three sessions: « Installer des arceaux vélos devant les commerces du centre ville (revient
    # 2 fois) », the first action row, where the ideas section showed the idea's canonical wording.
    objective = "Développer le stationnement des vélos en centre-ville"
    short_objective = "Développer le stationnement vélo"
    action = "Installer des arceaux de stationnement vélo devant les commerces du centre-ville"
    item = functools.partial(table_item, workshop)
    items = [
        item(1, "postit", objective, "c-o", canonical=True),
        item(2, "objective", short_objective, "c-o"),
        item(3, "objective", objective, "c-o"),
        item(4, "postit", action, "c-a", canonical=True),
        item(5, "action", "Installer des arceaux vélos devant les commerces du centre ville", "c-a",
             objective=short_objective),
        item(6, "action", action, "c-a", objective=objective),
    ]  # fmt: skip
    assert action_plans(items, summarize_clusters(items)) == {
        "4": [
            {"objective": objective, "times": 2, "fields": [],
             "actions": [{"text": action, "times": 2, "elsewhere": "", "fields": []}]}
        ]
    }


def test_a_run_never_reads_its_own_synthesis_back_as_a_report(records, documents, workshop, tmp_path):
    """A run writing next to its reports (--out = the reports' folder) finds synthesis.docx there
    on its next run: read as a transcript, its tables gave 57 bogus objectives and actions."""
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    result = extract_document(outputs.write_synthesis_docx(synthesis_document(context), tmp_path))
    assert (result.status, result.error) == ("error", "synthèse écrite par atelier, pas un compte-rendu : non relue")


def test_synthesis_docx_holds_what_the_page_shows(records, documents, workshop, tmp_path):
    damaged = dataclasses.replace(records[1], idea_id="abababababab-0009", text="Texte\x01 abîmé", cluster_id="c-9")
    second = "5" if records[-1].axis != "5" else "4"
    items = [*records[:-1], dataclasses.replace(records[-1], axis_2=second, axis_2_confidence=0.38), damaged]
    context = synthesis_context(
        workshop=workshop, contributions=items, clusters=summarize_clusters(items), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    path = outputs.write_synthesis_docx(synthesis_document(context), tmp_path)
    assert path == tmp_path / "synthesis.docx"
    document = docx.Document(str(path))
    # In French for Word's spelling and grammar (QA: the default style said en-US).
    from docx.oxml.ns import qn

    assert {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))} == {"fr-FR"}
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "En chiffres", "Répartition par axe", "Les idées, axe par axe", "Objectifs, actions et freins, axe par axe",
        "Idées à vérifier", "Sources",
    ]  # fmt: skip
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == workshop.title and "01/05/2024" in texts[1]
    # What « revient N fois » counts is said; the file is not signed by python-docx (QA).
    assert texts[texts.index("Les idées, axe par axe") + 1].startswith("Chaque idée est écrite une fois")
    # (QA: these two sentences of the page were missing from the Word file.)
    assert texts[texts.index("Objectifs, actions et freins, axe par axe") + 1] == context["plans_note"]
    assert context["multi_axis"] and context["multi_axis_note"] in texts
    assert (document.core_properties.author, document.core_properties.comments) == ("atelier", "")
    assert "2 documents lus" not in texts[3] and texts[3].startswith("1 document lu ; 4 contributions ; 3 idées")
    # Post-its are plain text in Word: the script tag is shown as written, the control character dropped.
    assert any(t.startswith(SCRIPT_POSTIT) for t in texts) and "Texte abîmé (post-it ; 1 fois)" in texts
    assert "Objectif : Favoriser l'emploi des jeunes" in texts
    assert "Freins : Manque de financement" in texts and "Partenaires : Mission locale, Pôle emploi" in texts
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    by_axis, attention, sources = tables
    # Blocks are written before an end mark (python-docx's own appending is quadratic), which is removed.
    blocks = list(document.iter_inner_content())
    assert isinstance(blocks[-1], docx.table.Table) and isinstance(blocks[-2], docx.text.paragraph.Paragraph)
    assert blocks[-2].text == "Sources" and blocks[0].text == workshop.title
    assert attention[0] == ["Contribution", "Axe proposé", "Second axe", "Mots décisifs"]
    assert attention[1:] == [  # the one idea placed below the abstain threshold
        [
            "Créer une maison de santé dans les quartiers\npost-it, rapport.pdf, p. 2",
            "5 – Améliorer la santé publique (42 %)",
            "",
            "",
        ],
    ]  # fmt: skip
    assert by_axis[0] == ["Axe", "post-it", "objectifs", "actions", "contributions", "idées distinctes"]
    assert by_axis[5] == ["Axe 5 – Améliorer la santé publique", "3", "0", "0", "3", "2"]
    assert sources[1:] == [
        ["rapport.pdf (abababababab)", "4", "3", "lu\nattention : page 4 scannée non lue (OCR indisponible)"],
        ["vide.pdf", "0", "0", "non lu : fichier vide (0 octet)"],
    ]


def test_details_csv_one_row_per_detail(records, tmp_path):
    path = outputs.write_details(records, tmp_path)
    frame = pd.read_csv(path, dtype=str)
    assert list(frame.columns) == ["idea_id", "field", "text"]
    assert frame.values.tolist() == [
        ["abababababab-0003", "Freins", "Manque de financement"],
        ["abababababab-0003", "Partenaires", "Mission locale, Pôle emploi"],
    ]


def test_clusters_csv(records, tmp_path):
    path = outputs.write_clusters(summarize_clusters(records), tmp_path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "cluster_id", "canonical_text", "size", "axis", "axis_label", "documents", "kinds", "idea_ids", "pages",
    ]
    first = frame.iloc[0].to_dict()
    members = [c for c in records if c.cluster_id == first["cluster_id"]]
    assert first.pop("idea_ids") == ";".join(c.idea_id for c in members)
    assert first.pop("pages") == ";".join(f"{c.document} p. {c.page}" for c in members)
    assert first == {
        "cluster_id": "c-0000000001",
        "canonical_text": "Créer une maison de santé dans les quartiers",
        "size": "2",
        "axis": "5",
        "axis_label": "Améliorer la santé publique",
        "documents": "rapport.pdf",
        "kinds": "postit",
    }
    assert frame.iloc[1]["canonical_text"] == SCRIPT_POSTIT


def test_manifest_counts_and_documents(records, documents, workshop, tmp_path):
    started = datetime(2024, 5, 1, 9, 0, 0)
    manifest = outputs.build_manifest(
        version="0.1.0",
        workshop_id=workshop.id,
        workshop_title=workshop.title,
        axis_ids=workshop.axis_ids,
        model={"version": "atelier6-test", "origin": "trained"},
        started_at=started,
        finished_at=datetime(2024, 5, 1, 9, 0, 3),
        timings={"extract": 1.23456, "classify": 0.5},
        documents=documents,
        contributions=records,
        clusters=2,
    )
    path = outputs.write_manifest(manifest, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["workshop"]["id"] == "atelier6"
    assert data["model"]["version"] == "atelier6-test"
    assert data["timings_seconds"] == {"extract": 1.235, "classify": 0.5}
    counts = data["counts"]
    assert counts["documents_ok"] == 1 and counts["documents_error"] == 1
    assert counts["ideas_per_kind"] == {"postit": 2, "objective": 0, "action": 1}
    assert counts["ideas_per_axis"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 2}
    assert counts["clusters"] == 2
    bad = data["documents"][1]
    assert bad == {
        "name": "vide.pdf", "path": "data/raw/vide.pdf", "sha256": "", "status": "error", "pages": 0,
        "ideas": 0, "error": "fichier vide (0 octet)", "warnings": [], "statistics": {},
    }  # fmt: skip
    assert data["documents"][0]["statistics"] == {"participants_listed": 12}
    assert data["documents"][0]["warnings"] == ["page 4 scannée non lue (OCR indisponible)"]


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "ideas.csv"
    target.write_text("ancien contenu\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with outputs.atomic_path(target) as temporary:
            temporary.write_text("moitié d'un fich", encoding="utf-8")
            raise RuntimeError("panne au milieu de l'écriture")
    assert target.read_text(encoding="utf-8") == "ancien contenu\n"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_synthesis_escapes_untrusted_text(records, documents, workshop):
    html = render_synthesis(
        workshop=workshop,
        contributions=records,
        clusters=summarize_clusters(records),
        documents=documents,
        generated_at=datetime(2024, 5, 1, 9, 30),
    )
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;post-it&#39;)&lt;/script&gt; &amp; « guillemets »" in html
    assert "Atelier n°6 – Cohésion sociale, emploi et solidarités" in html
    assert "01/05/2024 à 09:30" in html
    assert "attention : page 4 scannée non lue (OCR indisponible)" in html
    assert "non lu : fichier vide (0 octet)" in html
    # self-contained: no external asset of any kind
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and "src=" not in html


def test_synthesis_orders_ideas_by_weight_and_flags_low_confidence(records, documents, workshop):
    context = synthesis_context(
        workshop=workshop,
        contributions=records,
        clusters=summarize_clusters(records),
        documents=documents,
        generated_at=datetime(2024, 5, 1),
    )
    axes = {axis["id"]: axis for axis in context["axes"]}
    assert [a["id"] for a in context["axes"]] == ["1", "2", "3", "4", "5"]
    assert axes["5"]["ideas"] == 2 and axes["5"]["distinct"] == 1
    assert axes["5"]["clusters"] == [
        {
            "text": "Créer une maison de santé dans les quartiers", "size": 2, "kinds": "post-it", "documents": 1,
            "document_names": ["rapport.pdf"], "elsewhere": "",
        }
    ]
    assert axes["5"]["per_kind"] == {"postit": 2, "objective": 0, "action": 0}
    assert axes["2"]["clusters"][0]["kinds"] == "action"
    # the widest bar is the axis with most ideas
    assert axes["5"]["ideas_width"] > axes["2"]["ideas_width"] > axes["1"]["ideas_width"] == 0
    # only the model's idea below 50 % needs a look; the document's own placement does not
    assert [(a["text"], a["confidence"], a["times"]) for a in context["attention"]] == [
        ("Créer une maison de santé dans les quartiers", "42 %", 1)
    ]
    assert context["documents_ok"] == 1 and context["documents_error"] == 1


def test_unclassified_ideas_get_their_own_section(documents, workshop):
    abstained = [
        Contribution(
            idea_id=f"x-{n}", document="rapport.pdf", document_sha256=SHA, page=n, kind="objective",
            text="Idée sans axe", axis=None, axis_source="model", axis_confidence=confidence,
            cluster_id="c-9", canonical=n == 1,
        )
        for n, confidence in ((1, 0.1), (2, 0.2))
    ]  # fmt: skip
    context = synthesis_context(
        workshop=workshop,
        contributions=abstained,
        clusters=summarize_clusters(abstained),
        documents=documents,
        generated_at=datetime(2024, 5, 1),
    )
    assert context["axes"][-1]["title"] == "Sans axe" and context["axes"][-1]["ideas"] == 2
    # the idea is listed once among ideas to check, with how often it came up
    assert [(a["text"], a["times"], a["axis"]) for a in context["attention"]] == [("Idée sans axe", 2, "aucun")]
    html = render_synthesis(
        workshop=workshop,
        contributions=abstained,
        clusters=summarize_clusters(abstained),
        documents=documents,
        generated_at=datetime(2024, 5, 1),
    )
    assert "Sans axe" in html and "(2 fois)" in html
    # under "Sans axe" among the ideas and among the objectives of the tables, and among ideas to check
    assert html.count("Idée sans axe") == 3
    assert "Objectif : Idée sans axe" in html


def test_workbook_keeps_every_text_as_text(records, tmp_path):
    # Post-its and report lines that Excel would read as formulas, links or numbers; a text too
    # long for a cell; a control character.
    texts = [
        "= Développer la création de projets par les habitants",
        "- travailler avec les services de la CUGT",
        "+33 5 61 00 00 00",
        '=HYPERLINK("http://exemple.invalid/?"&A1;"voir")',
        "@mairie",
        "https://exemple.invalid/atelier",
        "0031",
        "Fin de ligne\x01 de contrôle",
        "x" * 40_000,
    ]
    ideas = [dataclasses.replace(records[0], idea_id=f"abababababab-{n:04d}", text=t) for n, t in enumerate(texts, 10)]
    path = outputs.write_run_workbook([*records, *ideas], summarize_clusters(records), tmp_path)
    assert path == tmp_path / "ideas.xlsx"

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Idées", "Groupes", "Détails"]
    sheet = workbook["Idées"]
    header = [cell.value for cell in sheet[1]]
    assert header == list(outputs.ideas_frame(records).columns)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:Y{len(records) + len(texts) + 1}"
    text_cells = [row[header.index("text")] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in text_cells)
    written = [cell.value for cell in text_cells]
    assert written[: len(records)] == [c.text for c in records]
    assert written[len(records) : -2] == texts[:-2]
    assert written[-2] == "Fin de ligne_x0001_ de contrôle"  # the OOXML escape, which Excel shows as the character
    assert len(written[-1]) == outputs.EXCEL_MAX_CELL_CHARACTERS and written[-1].endswith("x…")
    first = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    assert first["page"] == 2 and first["axis_confidence"] == 0.42 and first["canonical"] is True
    assert first["stated_axis"] is None and first["x0"] == 10.0

    groups = workbook["Groupes"]
    assert [cell.value for cell in groups[1]] == list(outputs.CLUSTER_COLUMNS)
    canonical = [summary.canonical_text for summary in summarize_clusters(records)]
    assert [row[1].value for row in groups.iter_rows(min_row=2)] == canonical
    details = workbook["Détails"]
    assert [[cell.value for cell in row] for row in details.iter_rows()] == [
        ["idea_id", "field", "text"],
        ["abababababab-0003", "Freins", "Manque de financement"],
        ["abababababab-0003", "Partenaires", "Mission locale, Pôle emploi"],
    ]


def test_workbook_refuses_a_table_longer_than_a_sheet(records, tmp_path):
    sheets = {"Idées": outputs.ideas_frame(records)}
    with pytest.raises(outputs.WorkbookTooLarge, match="3 lignes dans « Idées »"):
        outputs.write_workbook(sheets, tmp_path / "ideas.xlsx", max_rows=3)
    assert not list(tmp_path.iterdir())
    outputs.write_workbook(sheets, tmp_path / "ideas.xlsx", max_rows=4)
    assert openpyxl.load_workbook(tmp_path / "ideas.xlsx")["Idées"].max_row == 4


def test_write_run_outputs_writes_every_file_but_the_manifest(records, documents, workshop, tmp_path):
    out = tmp_path / "sortie"
    written = write_run_outputs(
        out, workshop, documents, records, summarize_clusters(records), datetime(2024, 5, 1)
    )
    names = sorted(path.name for path in written)
    assert names == sorted(set(outputs.OUTPUT_FILES) - {outputs.MANIFEST_JSON})
    assert sorted(p.name for p in out.iterdir()) == names
    html = (out / outputs.SYNTHESIS_HTML).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html
    assert "<td>vide.pdf</td>" in html  # a document never read has no hash to show, not "()"


def test_the_synthesis_of_a_report_without_ideas_counts_and_says_it_in_french(documents, workshop):
    # QA: « 0 objectifs », « 0 actions » beside « 0 contribution », and « toutes les contributions ont un
    # axe » when there was none.
    context = synthesis_context(
        workshop=workshop, contributions=[], clusters=[], documents=documents, generated_at=datetime(2024, 5, 1)
    )
    assert [(k["count"], k["label"]) for k in context["per_kind"]] == [(0, "post-it"), (0, "objectif"), (0, "action")]
    assert context["nothing_to_check"] == "Aucune : aucune contribution n'a été lue."


def test_the_synthesis_masks_the_contacts_a_post_it_gives(reviewed, documents, workshop):
    # QA: a post-it's e-mail address and phone number were copied into the document handed to the city.
    given = "Créer une maison de santé dans les quartiers (jm.durandeau@example.fr, 06 12 34 56 78)"
    evidence = ("santé", "jm.durandeau@example.fr")  # (QA: the address among the words the model weighed)
    records = [
        dataclasses.replace(reviewed[0], text=given, canonical=True, cluster_id="c-9", axis_evidence=evidence),
        *reviewed[2:],
    ]
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    shown = "Créer une maison de santé dans les quartiers ([courriel masqué], [téléphone masqué])"
    assert [c["text"] for axis in context["axes"] for c in axis["clusters"] if "santé" in c["text"]] == [shown]
    assert [(a["text"], a["evidence"]) for a in context["attention"]] == [(shown, "santé; [courriel masqué]")]
    assert "1 texte donnait une adresse e-mail ou un numéro de téléphone : masqués" in context["notice"]
    html = render_synthesis(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert "example.fr" not in html and "06 12 34" not in html


def test_the_synthesis_masks_the_name_a_post_it_is_signed_with(reviewed, documents, workshop, tmp_path):
    # QA: « … - Josiane Martin », the only wording of its idea, was in the document handed to the city.
    signed = "Créer une maison de santé dans les quartiers - Josiane Martin"
    place = "Réaménager la place - Victor Hugo"  # (a place's name, not a writer's)
    named = "Comme le propose Mme Bernard, ouvrir la salle Jean Moulin aux associations"
    records = [
        dataclasses.replace(reviewed[0], text=signed, canonical=True, cluster_id="c-9"),
        dataclasses.replace(reviewed[2], text=place, canonical=True, cluster_id="c-8"),
        dataclasses.replace(reviewed[1], text=named, canonical=True, cluster_id="c-7"),
    ]
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    shown = [c["text"] for axis in context["axes"] for c in axis["clusters"]]
    assert sorted(shown) == sorted([
        "Créer une maison de santé dans les quartiers - [nom masqué]", place,
        "Comme le propose [nom masqué], ouvrir la salle Jean Moulin aux associations",
    ])  # fmt: skip
    assert "2 textes étaient signés ou nommaient quelqu'un : ces noms sont masqués" in context["notice"]
    # (Two held-out QA corpora: 30 to 45 % of the names still pass; the consultant is told.)
    assert context["notice"].endswith("incomplet (un surnom, un prénom rare dans une tournure inhabituelle peuvent "
                                      "lui échapper) : relisez la synthèse avant de la diffuser.")
    html = render_synthesis(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    document = docx.Document(str(outputs.write_synthesis_docx(synthesis_document(context), tmp_path)))
    assert "Josiane" not in html and not any("Josiane" in p.text for p in document.paragraphs)
    assert "Bernard" not in html and "Jean Moulin" in html
    assert "Victor Hugo" in html


def test_the_synthesis_masks_the_people_the_french_model_recognises(reviewed, documents, workshop, french_nlp):
    # A held-out QA corpus (154 names in 268 post-its): 64 names let through by the rules of common first names
    # in context, among them names no list holds and nicknames.
    texts = [
        "Zoubir propose un barbecue zéro déchet",  # (a first name in no list)
        "Idée de Fatou : un frigo solidaire au centre social",
        "Impasse Antoine de Saint-Exupéry, les poubelles débordent",  # (a street: after a place word)
    ]
    records = [
        dataclasses.replace(record, text=text, canonical=True, cluster_id=f"c-{k}")
        for k, (record, text) in enumerate(zip(reviewed, texts, strict=False))
    ]
    arguments = {
        "workshop": workshop, "contributions": records, "clusters": summarize_clusters(records),
        "documents": documents, "generated_at": datetime(2024, 5, 1),
    }  # fmt: skip
    context = synthesis_context(**arguments, nlp=french_nlp)
    shown = sorted(c["text"] for axis in context["axes"] for c in axis["clusters"])
    assert shown == sorted([
        "[nom masqué] propose un barbecue zéro déchet",
        "Idée de [nom masqué] : un frigo solidaire au centre social",
        "Impasse Antoine de Saint-Exupéry, les poubelles débordent",
    ])  # fmt: skip
    html = render_synthesis(**arguments, nlp=french_nlp)
    assert "Zoubir" not in html and "Fatou" not in html and "Saint-Exupéry" in html
    without_model = [c["text"] for axis in synthesis_context(**arguments)["axes"] for c in axis["clusters"]]
    assert "Zoubir propose un barbecue zéro déchet" in without_model
    # (A regression hunt: the name masked in an idea to check was still among the words the model weighed.)
    checked = dataclasses.replace(records[0], axis_evidence=("zoubir", "barbecue"))
    context = synthesis_context(**{**arguments, "contributions": [checked, *records[1:]]}, nlp=french_nlp)
    assert [(row["text"], row["evidence"]) for row in context["attention"]] == [
        ("[nom masqué] propose un barbecue zéro déchet", "barbecue")
    ]


def test_the_synthesis_masks_contacts_in_a_sub_field_every_action_shares(workshop):
    # The sub-fields said once under their objective were not masked.
    shared = Detail("Partenaires", "Mme Durand, jm.durand@example.fr")

    def action(number: int, text: str) -> Contribution:
        return Contribution(
            idea_id=f"abababababab-{number:04d}", document="rapport.pdf", document_sha256=SHA, page=1, kind="action",
            text=text, objective="Promouvoir un espace public partagé", axis="3", axis_label=workshop.axis_label("3"),
            axis_source="document", axis_confidence=1.0, cluster_id=f"c-{number}", canonical=True, details=(shared,),
        )  # fmt: skip

    items = [action(1, "Animer des groupes d'habitants"), action(2, "Gérer un fonds de participation")]
    context = synthesis_context(
        workshop=workshop, contributions=items, clusters=summarize_clusters(items), documents=[],
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    (plan,) = [plan for axis in context["axes"] for plan in axis["plans"]]
    assert plan["fields"] == [{"field": "Partenaires", "texts": ["[nom masqué], [courriel masqué]"]}]


def test_an_idea_placed_in_two_axes_says_so_where_it_is_listed(reviewed, documents, workshop):
    # QA: an action two reports placed in axes 4 and 5 was listed under axis 4, « revient 2 fois »,
    # and nothing said why the counts of axis 5 did not add up.
    first = dataclasses.replace(reviewed[2], idea_id="a-1", axis="4", cluster_id="c-7", canonical=True)
    second = dataclasses.replace(first, idea_id="b-1", document="b.pdf", axis="5", canonical=False)
    third = dataclasses.replace(first, idea_id="c-1", document="c.pdf", canonical=False)
    records = [first, second, third]
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    listed = [(axis["id"], c["size"], c["elsewhere"]) for axis in context["axes"] for c in axis["clusters"]]
    assert listed == [("4", 3, "dont 1 placée dans l'axe 5")]
    html = render_synthesis(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert "revient 3 fois, dans 3 documents : b.pdf, c.pdf, rapport.pdf ; dont 1 placée dans l&#39;axe 5" in html


def test_the_sub_fields_all_the_actions_of_an_objective_share_are_said_once(workshop):
    # QA: a row's « Modalités » cell was printed under each of its three actions.
    objective = "Promouvoir un espace public partagé"
    shared = Detail("Modalités", "Les rencontres doivent se dérouler dans la convivialité")

    def action(number: int, text: str, *details: Detail) -> Contribution:
        return Contribution(
            idea_id=f"abababababab-{number:04d}", document="rapport.pdf", document_sha256=SHA, page=1, kind="action",
            text=text, objective=objective, axis="3", axis_label=workshop.axis_label("3"), axis_source="document",
            axis_confidence=1.0, cluster_id=f"c-{number}", canonical=True, details=details,
        )  # fmt: skip

    items = [
        action(1, "Animer des groupes d'habitants", shared, Detail("Freins", "Le temps")),
        action(2, "Gérer un fonds de participation des habitants", Detail("modalités", shared.text.upper())),
    ]
    (plan,) = action_plans(items, summarize_clusters(items))["3"]
    assert plan["fields"] == [{"field": "Modalités", "texts": [shared.text]}]
    assert [(a["text"], a["fields"]) for a in plan["actions"]] == [
        ("Animer des groupes d'habitants", [{"field": "Freins", "texts": ["Le temps"]}]),
        ("Gérer un fonds de participation des habitants", []),
    ]
    # One action alone keeps its own.
    (alone,) = action_plans(items[:1], summarize_clusters(items[:1]))["3"]
    assert alone["fields"] == [] and len(alone["actions"][0]["fields"]) == 2


def test_an_output_folder_that_cannot_be_made_is_refused_before_the_run(tmp_path):
    # QA: « --out /proc/sortie » (root may write anywhere by the rights, not there) failed after the whole run.
    with pytest.raises(outputs.OutputError, match="/proc/atelier_sortie : écriture impossible dans /proc"):
        outputs.check_output_directory(Path("/proc/atelier_sortie"))
    # A folder to make is tried where it would be made, and nothing is left, nor removed (QA: with
    # « nouveau/../existant/sous », the existing empty folder was removed).
    (tmp_path / "existant").mkdir()
    for out in (tmp_path / "sortie" / "2024", tmp_path / "nouveau" / ".." / "existant" / "sous", tmp_path):
        outputs.check_output_directory(out)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["existant"]


def test_a_second_run_into_a_folder_is_refused_while_the_first_holds_it(tmp_path):
    # QA, a nightly job: two runs into one folder both ended « ok », the second replacing the first's files.
    import subprocess
    import sys

    out = tmp_path / "sortie"
    with outputs.run_lock(out) as lock:
        assert lock == out / ".atelier.lock" and lock.read_text() == str(os.getpid())
        other = subprocess.run(
            [sys.executable, "-c", f"from atelier.flows import outputs\nwith outputs.run_lock({str(out)!r}): pass"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert other.returncode == 1
        assert f"une autre exécution d'atelier y écrit (processus {os.getpid()})" in other.stderr
    assert list(out.iterdir()) == []
    # Inside the folder, whatever its path (QA: through a link, a second run took another lock), and whatever
    # its parent (QA: one read-only refused the run).
    (tmp_path / "lien").symlink_to(out)
    with outputs.run_lock(out):
        through_link = f"from atelier.flows import outputs\nwith outputs.run_lock({str(tmp_path / 'lien')!r}): pass"
        other = subprocess.run([sys.executable, "-c", through_link], capture_output=True, text=True)
        assert other.returncode == 1 and "une autre exécution d'atelier y écrit" in other.stderr
    # A lock left by a run killed (its process gone) is taken over.
    killed = subprocess.run(
        [sys.executable, "-c", "import os\nfrom atelier.flows import outputs\n"
         f"with outputs.run_lock({str(out)!r}): os._exit(9)"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert killed.returncode == 9 and lock.read_text().isdigit() and lock.read_text() != str(os.getpid())
    with outputs.run_lock(out):
        assert lock.read_text() == str(os.getpid())


def test_a_lock_left_with_a_number_another_process_has_since_does_not_stop_runs(tmp_path):
    # A lock told by its process number stopped every later run when the number was used again (after a
    # reboot, a nightly job's lock named a running process): the system's lock goes with its process.
    import subprocess

    out = tmp_path / "sortie"
    out.mkdir()
    other = subprocess.Popen(["sleep", "30"])
    try:
        (out / ".atelier.lock").write_text(str(other.pid))
        with outputs.run_lock(out) as lock:
            assert lock.read_text() == str(os.getpid())
    finally:
        other.kill()
    assert list(out.iterdir()) == []


def test_a_runs_files_are_written_aside_then_moved_in_together(records, documents, workshop, tmp_path):
    # QA: a run killed while writing left its new CSV files beside the last run's workbook and synthesis.
    out = tmp_path / "sortie"
    (out / f"{outputs.STAGING_PREFIX}999999999").mkdir(parents=True)  # (a run killed while writing, long gone)
    written = write_run_outputs(out, workshop, documents, records, summarize_clusters(records), datetime(2024, 5, 1))
    assert all(path.parent == out for path in written)
    assert sorted(p.name for p in out.iterdir()) == sorted(path.name for path in written)


@pytest.mark.parametrize("confidence", [0.49999999999999994, 0.5, 0.7, 0.69999999999999996])
def test_a_confidence_shown_at_the_review_threshold_or_above_is_not_flagged(confidence):
    # Code review: 0.49999999999999994 was written 0.5 in ideas.csv and flagged needs_review, below 0.5.
    from atelier.nlp.classify import AxisPrediction, needs_review

    workshop = load_workshop()
    shown = outputs.shown_confidence(confidence)
    assert shown == round(confidence, 3)
    assert needs_review(AxisPrediction("1", confidence), workshop) == (shown < workshop.settings.abstain_threshold)
    assert needs_review(AxisPrediction("1", 0.4995), workshop) and outputs.shown_confidence(0.4995) == 0.499


def test_the_synthesis_says_the_participation_each_report_states(records, documents, workshop, tmp_path):
    # QA (a consultant's reading): the counts of participants were read from the report and never shown.
    stated = {"participants_listed": 61, "participants_stated": 60, "participants_session_2": 29,
              "participants_session_1": 49, "participants_session_3": 20, "participants_returning": 28}  # fmt: skip
    reports = [dataclasses.replace(documents[0], statistics=stated), *documents[1:]]
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=reports,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    said = "rapport.pdf : 60 participants (séances : 49, 29, 20 ; 28 à deux séances au moins)"
    assert context["participation"] == [said]
    assert f"Participation annoncée par les comptes-rendus : {said}." in render_synthesis(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=reports,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    path = outputs.write_synthesis_docx(synthesis_document(context), tmp_path)
    assert any(said in p.text for p in docx.Document(str(path)).paragraphs)
    # Nothing stated (a list of names is no count of its own): nothing said.
    context = synthesis_context(
        workshop=workshop, contributions=records, clusters=summarize_clusters(records), documents=documents,
        generated_at=datetime(2024, 5, 1),
    )  # fmt: skip
    assert context["participation"] == []
