"""Extraction of Word transcripts (.docx): the sample report rendered as DOCX, small documents built here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from atelier.extract.document import extract_document
from atelier.extract.settings import ExtractionSettings
from samples.render import load_content
from samples.render_docx import render_docx
from tests.expected_items import expected as expected_items
from tests.expected_items import extracted


def test_sample_report_as_docx_is_extracted_exactly(tmp_path):
    path = tmp_path / "atelier6.docx"
    expected = render_docx(load_content(), path)
    result = extract_document(path)
    assert result.status == "ok", result.error
    assert extracted(result) == expected_items(expected)
    assert result.statistics["participants_listed"] == expected["participants"]["listed"] == 61
    assert result.pages == 1
    assert {c.page for c in result.contributions} == {1}
    assert all(c.bbox is None and c.ocr_confidence is None for c in result.contributions)
    assert len({c.idea_id for c in result.contributions}) == len(result.contributions)


def _merged_objective_document(path: Path, heading_style: str | None) -> Path:
    """AXE 4 table: one objective cell merged down over three action rows; numbered actions."""
    document = docx.Document()
    heading = "AXE 4 : En quoi le PCET peut-il contribuer à réduire les inégalités?"
    if heading_style is None:
        document.add_paragraph().add_run(heading).bold = True
    else:
        document.styles.add_style(heading_style, WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph(heading, style=heading_style)
    document.add_paragraph("Les propositions du groupe sont reprises ci-dessous.")
    table = document.add_table(rows=4, cols=3)
    for column, header in enumerate(("OBJECTIFS", "ACTIONS", "FREINS / MODALITES")):
        table.cell(0, column).paragraphs[0].add_run(header).bold = True
    objective = table.cell(1, 0).merge(table.cell(3, 0))
    objective.paragraphs[0].add_run("Lutter contre la précarité énergétique")
    for row, (action, frein) in enumerate(
        [
            ("Aider les propriétaires occupants les plus modestes", "Partenaires : ANAH, communes"),
            ("Mener une démarche efficace écosolidaire (DEES)", "Calendrier : 2011"),
            ("Former les travailleurs sociaux aux économies d'énergie", "manque de moyens"),
        ],
        start=1,
    ):
        table.cell(row, 1).paragraphs[0].add_run(action)
        table.cell(row, 1).paragraphs[0].style = "List Number"
        table.cell(row, 2).paragraphs[0].add_run(frein)
    document.save(str(path))
    return path


def test_objective_merged_down_over_three_actions(tmp_path):
    path = _merged_objective_document(tmp_path / "fusion.docx", heading_style="Titre 2")
    with zipfile.ZipFile(path) as archive:
        assert archive.read("word/document.xml").count(b"w:vMerge") == 3  # the span is real
    result = extract_document(path)
    assert result.status == "ok", result.error
    objective = "Lutter contre la précarité énergétique"
    category = "AXE 4 : En quoi le PCET peut-il contribuer à réduire les inégalités?"
    assert [(c.kind, c.text, c.objective) for c in result.contributions] == [
        ("objective", objective, ""),
        ("action", "Aider les propriétaires occupants les plus modestes", objective),
        ("action", "Mener une démarche efficace écosolidaire (DEES)", objective),
        ("action", "Former les travailleurs sociaux aux économies d'énergie", objective),
    ]
    assert {(c.category, c.stated_axis) for c in result.contributions} == {(category, "4")}
    assert [[(d.field, d.text) for d in c.details] for c in result.contributions[1:]] == [
        [("Partenaires", "ANAH, communes")],
        [("Calendrier", "2011")],
        [("Modalités", "manque de moyens")],
    ]


def test_a_header_of_two_rows_with_merged_cells_names_each_column_by_its_lower_cell(tmp_path):
    # « Objectifs | Actions » merged down over two rows, « Mise en œuvre » merged across « Porteurs | Échéances »:
    # the header rows were read as ideas and the table's columns as themes, objectives, actions and « Modalités ».
    document = docx.Document()
    document.add_paragraph().add_run("AXE 2 : Emploi").bold = True
    table = document.add_table(rows=4, cols=4)
    for column, name in enumerate(("Objectifs", "Actions", "Mise en œuvre")):
        table.cell(0, column).paragraphs[0].add_run(name).bold = True
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 2).merge(table.cell(0, 3))
    for column, name in ((2, "Porteurs"), (3, "Échéances")):
        table.cell(1, column).paragraphs[0].add_run(name).bold = True
    for row, texts in enumerate([("Réduire la précarité énergétique", "Isoler les logements", "Bailleurs", "2025"),
                                 ("Favoriser l'emploi local", "Soutenir l'insertion", "CCAS", "Fin 2026")], start=2):  # fmt: skip
        for column, text in enumerate(texts):
            table.cell(row, column).paragraphs[0].add_run(text)
    path = tmp_path / "entete_fusionne.docx"
    document.save(str(path))
    result = extract_document(path)
    assert [(c.kind, c.objective, c.text, [(d.field, d.text) for d in c.details]) for c in result.contributions] == [
        ("objective", "", "Réduire la précarité énergétique", []),
        ("action", "Réduire la précarité énergétique", "Isoler les logements", [("Porteurs", "Bailleurs"), ("Échéances", "2025")]),
        ("objective", "", "Favoriser l'emploi local", []),
        ("action", "Favoriser l'emploi local", "Soutenir l'insertion", [("Porteurs", "CCAS"), ("Échéances", "Fin 2026")]),
    ]  # fmt: skip


def test_paragraph_in_bold_throughout_is_a_heading(tmp_path):
    result = extract_document(_merged_objective_document(tmp_path / "gras.docx", heading_style=None))
    assert result.status == "ok", result.error
    assert {c.stated_axis for c in result.contributions} == {"4"} and len(result.contributions) == 4


def test_docx_is_recognised_by_its_content(tmp_path):
    source = _merged_objective_document(tmp_path / "fusion.docx", heading_style=None)
    renamed = tmp_path / "transcription"
    renamed.write_bytes(source.read_bytes())
    result = extract_document(renamed)
    assert result.status == "ok" and len(result.contributions) == 4


def test_bad_docx_gives_one_line_french_reasons(tmp_path):
    whole = _merged_objective_document(tmp_path / "entier.docx", heading_style=None).read_bytes()
    truncated = tmp_path / "tronque.docx"
    truncated.write_bytes(whole[: len(whole) // 2])
    other_zip = tmp_path / "archive.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "pas un document Word")
    other_zip.write_bytes(buffer.getvalue())
    not_zip = tmp_path / "texte.docx"
    not_zip.write_text("ceci n'est pas un document Word", encoding="utf-8")
    reasons = {}
    for path in (truncated, other_zip, not_zip):
        result = extract_document(path)
        assert result.status == "error" and result.contributions == ()
        assert result.error and "\n" not in result.error
        reasons[path.name] = result.error
    assert "tronqué" in reasons["tronque.docx"]
    assert "pas un document Word" in reasons["archive.docx"]
    assert "pas un document Word" in reasons["texte.docx"]


def test_a_workbook_given_as_a_report_is_named(tmp_path):
    # QA: a workbook renamed .pdf was « pas un document Word .docx ».
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "text"
    workbook.save(tmp_path / "idees.pdf")
    result = extract_document(tmp_path / "idees.pdf")
    assert (result.status, result.error) == (
        "error", "ce n'est pas un compte-rendu mais un classeur Excel (les idées d'un tableur se classent avec "
        "« atelier classify »)",
    )  # fmt: skip


def test_docx_past_the_unpacked_size_is_refused_before_it_is_unpacked(tmp_path):
    """A Word file is a ZIP archive: a few KB can unpack into GB (here 3 MB of spaces in a member)."""
    source = _merged_objective_document(tmp_path / "fusion.docx", heading_style=None)
    padded = tmp_path / "gonfle.docx"
    padded.write_bytes(source.read_bytes())
    with zipfile.ZipFile(padded, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/vide.bin", b" " * (3 * 1024 * 1024))
    assert padded.stat().st_size < 100_000
    settings = ExtractionSettings(max_unpacked_bytes=2 * 1024 * 1024)
    assert extract_document(source, settings).status == "ok"
    result = extract_document(padded, settings)
    assert (result.status, result.error) == ("error", "document Word trop gros une fois décompressé (3 Mo, limite 2 Mo)")


def test_line_breaks_split_typed_list_items_but_not_numbered_paragraphs(tmp_path):
    document = docx.Document()
    document.add_heading("AXE 3 : Comment faire participer les citoyens?", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Gestion quotidienne")
    typed = table.cell(0, 1).paragraphs[0]
    typed.add_run("1) Animer des groupes d'habitants")
    typed.add_run().add_break()
    typed.add_run("2) Modulation de la facturation")
    table.cell(1, 0).paragraphs[0].add_run("Information")
    numbered = table.cell(1, 1).paragraphs[0]
    numbered.style = "List Number"
    numbered.add_run("Créer une maison du citoyen qui permette de bénéficier d'infor-")
    numbered.add_run().add_break()
    numbered.add_run("mations sur le territoire")
    path = tmp_path / "listes.docx"
    document.save(str(path))
    result = extract_document(path)
    assert [(c.kind, c.text) for c in result.contributions] == [
        ("objective", "Gestion quotidienne"),
        ("action", "Animer des groupes d'habitants"),
        ("action", "Modulation de la facturation"),
        ("objective", "Information"),
        ("action", "Créer une maison du citoyen qui permette de bénéficier d'informations sur le territoire"),
    ]


PEOPLE = [
    ("LEGOFF", "Maïwenn", "Association Place au vélo", "maiwenn.legoff@example.fr"),
    ("QUEMENER", "Erwan", "Habitant", "06 98 76 54 32"),
    ("TANGUY", "Soizic", "Mairie", "soizic.t@example.fr"),
]


@pytest.mark.parametrize("heading", ["Liste d'émargement", "Contacts des participants", "Personnes excusées", None])
def test_a_table_of_people_is_never_read_as_ideas_whatever_its_heading(tmp_path, heading):
    # QA: under « Liste d'émargement », or no heading, names became objectives and e-mails « Modalités ».
    document = docx.Document()
    document.add_heading("Atelier Plan vélo – séance 2", level=1)
    document.add_paragraph("AXE 1 : Sécuriser les itinéraires cyclables")
    ideas = document.add_table(rows=2, cols=3)
    for column, text in enumerate(("OBJECTIFS", "ACTIONS", "FREINS / MODALITES")):
        ideas.cell(0, column).text = text
    for column, text in enumerate(("Sécuriser les carrefours", "Créer des sas vélo aux feux", "Freins : coût")):
        ideas.cell(1, column).text = text
    if heading is not None:
        document.add_heading(heading, level=2)
    people = document.add_table(rows=1 + len(PEOPLE), cols=4)
    for row, cells in enumerate([("Nom", "Prénom", "Structure", "Courriel"), *PEOPLE]):
        for column, text in enumerate(cells):
            people.cell(row, column).text = text
    document.save(str(tmp_path / "compte_rendu.docx"))
    result = extract_document(tmp_path / "compte_rendu.docx")
    assert result.status == "ok", result.error
    assert [(c.kind, c.text) for c in result.contributions] == [
        ("objective", "Sécuriser les carrefours"),
        ("action", "Créer des sas vélo aux feux"),
    ]
    assert result.statistics["participants_listed"] == len(PEOPLE)  # the header row was counted as a person


@pytest.mark.parametrize(
    ("header", "field"), [("FREINS", "Freins"), ("Leviers", "Leviers"), ("FREINS / MODALITES", "Modalités")]
)
def test_a_sub_field_without_label_takes_the_label_its_column_header_gives(tmp_path, header, field):
    # QA: the text of a « FREINS » column was filed under « Modalités ».
    document = docx.Document()
    document.add_paragraph("AXE 2 : Emploi, économie et entreprise")
    table = document.add_table(rows=2, cols=3)
    for column, (top, cell) in enumerate(
        zip(("OBJECTIFS", "ACTIONS", header), ("Favoriser l'emploi local", "Créer une plateforme", "Coût élevé"))
    ):
        table.cell(0, column).text, table.cell(1, column).text = top, cell
    document.save(str(tmp_path / "freins.docx"))
    result = extract_document(tmp_path / "freins.docx")
    (action,) = [c for c in result.contributions if c.kind == "action"]
    assert [(d.field, d.text) for d in action.details] == [(field, "Coût élevé")]


def test_post_its_in_bulleted_lists_under_theme_headings_are_read(tmp_path):
    # QA: post-its in « List Bullet » paragraphs, or typed « - » lines, under theme headings gave
    # no post-it at all, and the run said nothing.
    document = docx.Document()
    document.add_heading("Session 1 : post-it des participants", level=1)
    document.add_heading("Logement", level=2)
    document.add_paragraph("Isoler les logements sociaux les plus anciens", style="List Bullet")
    document.add_paragraph("Créer un guichet unique pour les aides", style="List Bullet")
    document.add_paragraph("Santé").runs[0].bold = True
    document.add_paragraph("- Ouvrir des jardins partagés")
    document.add_heading("AXE 4 : En quoi le PCET peut-il contribuer à réduire les inégalités ?", level=1)
    table = document.add_table(rows=2, cols=2)
    for column, (top, cell) in enumerate(zip(("OBJECTIFS", "ACTIONS"), ("Lutter contre la précarité", "Aider"))):
        table.cell(0, column).text, table.cell(1, column).text = top, cell
    document.save(str(tmp_path / "listes.docx"))
    result = extract_document(tmp_path / "listes.docx")
    assert [(c.kind, c.theme, c.text) for c in result.contributions] == [
        ("postit", "Logement", "Isoler les logements sociaux les plus anciens"),
        ("postit", "Logement", "Créer un guichet unique pour les aides"),
        ("postit", "Santé", "Ouvrir des jardins partagés"),
        ("objective", "", "Lutter contre la précarité"),
        ("action", "", "Aider"),
    ]
    assert result.warnings == ()


def test_a_document_where_no_idea_is_recognised_says_so(tmp_path):
    document = docx.Document()
    document.add_paragraph("Compte-rendu de la réunion du 3 mars : les échanges ont porté sur le logement.")
    document.save(str(tmp_path / "prose.docx"))
    result = extract_document(tmp_path / "prose.docx")
    assert result.status == "ok" and result.contributions == ()
    assert result.warnings == (
        "aucune idée reconnue : ni tableau d'objectifs et d'actions ou de post-it, ni liste de post-it sous un titre "
        "« Post-it » ; voir les mises en page lues dans le README",
    )


def test_a_compound_cut_by_a_line_break_keeps_its_hyphen_where_the_document_writes_it(tmp_path):
    # QA: the document's spellings were read from its ideas alone, not its prose, where « co-construction »
    # is written whole, and the word cut at the break, its hyphen left unsure, read as written joined.
    document = docx.Document()
    document.add_paragraph("La co-construction dans un tiers-lieu a guidé l'atelier.")
    document.add_heading("Post-it des participants", level=1)
    document.add_heading("Gouvernance", level=2)
    paragraph = document.add_paragraph("Une démarche de co-", style="List Bullet")
    paragraph.runs[0].add_break()
    paragraph.add_run("construction avec les habitants")
    paragraph = document.add_paragraph("Ouvrir un tiers-", style="List Bullet")
    paragraph.runs[0].add_break()
    paragraph.add_run("lieu au centre")
    document.save(str(tmp_path / "coupures.docx"))
    result = extract_document(tmp_path / "coupures.docx")
    assert [c.text for c in result.contributions] == [
        "Une démarche de co-construction avec les habitants",
        "Ouvrir un tiers-lieu au centre",
    ]


def test_tracked_changes_are_read_as_accepted(tmp_path):
    # QA (a facilitator's Word report): a post-it's tracked insertion « de l'avenue Jean Jaurès » was lost;
    # deletions and text moved away are not the text, in a paragraph as in a table's cell.
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def tracked(paragraph, kind: str, text: str) -> None:
        tag = "w:delText" if kind in ("del", "moveFrom") else "w:t"
        paragraph._p.append(parse_xml(
            f'<w:{kind} {nsdecls("w")} w:id="{len(paragraph.text)}" w:author="A" w:date="2024-05-01T00:00:00Z">'
            f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r></w:{kind}>'
        ))  # fmt: skip

    document = docx.Document()
    document.add_heading("Post-it des participants", level=1)
    document.add_heading("Mobilité", level=2)
    inserted = document.add_paragraph("Élargir les trottoirs", style="List Bullet")
    tracked(inserted, "ins", " de l'avenue Jean Jaurès")
    deleted = document.add_paragraph("Plus de bancs", style="List Bullet")
    tracked(deleted, "del", " partout")
    tracked(deleted, "moveTo", " au parc")
    document.add_heading("AXE 4 : En quoi le PCET peut-il contribuer à réduire les inégalités ?", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "OBJECTIFS", "ACTIONS"
    table.cell(1, 0).text, table.cell(1, 1).text = "Lutter contre la précarité", "Aider les ménages"
    tracked(table.cell(1, 1).paragraphs[0], "ins", " modestes")
    tracked(table.cell(1, 1).paragraphs[0], "moveFrom", " vite")
    document.save(str(tmp_path / "suivi.docx"))
    result = extract_document(tmp_path / "suivi.docx")
    assert [(c.kind, c.text) for c in result.contributions] == [
        ("postit", "Élargir les trottoirs de l'avenue Jean Jaurès"),
        ("postit", "Plus de bancs au parc"),
        ("objective", "Lutter contre la précarité"),
        ("action", "Aider les ménages modestes"),
    ]
