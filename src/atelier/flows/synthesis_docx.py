"""The synthesis of a run as a Word document: the draft a consultant edits into the report.

Built from the same plain values as the HTML page (`synthesis.synthesis_context`), with Word's
own styles (headings, lists, tables), so that the consultant restyles it with their template.
Texts from the reports are written as plain text runs; the characters XML cannot hold (control
characters of a damaged PDF) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import docx
from docx.document import Document

from atelier.extract.docx import GENERATED_IDENTIFIER
from atelier.flows.synthesis import weight_phrase

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Grid"
FIRST_COLUMN_SHARE = 0.4


def _text(value: object) -> str:
    return _NOT_IN_XML.sub("", str(value))


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def _table(document: Document, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A table whose first column, the text one, takes `FIRST_COLUMN_SHARE` of the page's width."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    table.autofit = False
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    first = int(width * FIRST_COLUMN_SHARE) if len(header) > 1 else width
    widths = [first, *[(width - first) // (len(header) - 1)] * (len(header) - 1)]
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_text(title)).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = _text(value)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width  # the grid, which LibreOffice follows; Word follows the cells
        for cell in column.cells:
            cell.width = column_width


def synthesis_document(context: Mapping[str, Any]) -> Document:
    """The Word document of a synthesis context (`synthesis.synthesis_context`)."""
    document = docx.Document()
    document.core_properties.title = _text(f"Synthèse – {context['title']}")
    document.core_properties.language = "fr-FR"
    document.core_properties.identifier = GENERATED_IDENTIFIER  # never read back as a report
    document.add_heading(_text(context["title"]), level=0)
    document.add_paragraph(_text(context["notice"])).runs[0].italic = True

    document.add_heading("En chiffres", level=1)
    figures = [
        _plural(context["documents_ok"], "document lu", "documents lus"),
        _plural(context["ideas"], "contribution", "contributions"),
        _plural(context["distinct"], "idée distincte", "idées distinctes"),
        *(f"{kind['count']} {kind['label']}" for kind in context["per_kind"]),
    ]
    document.add_paragraph(" ; ".join(figures) + ".")

    document.add_heading("Répartition par axe", level=1)
    _table(
        document,
        ["Axe", *(kind["label"] for kind in context["kinds"]), "contributions", "idées distinctes"],
        [
            [axis["title"], *(axis["per_kind"][k["kind"]] for k in context["kinds"]), axis["ideas"], axis["distinct"]]
            for axis in context["axes"]
        ],
    )

    document.add_heading("Les idées, axe par axe", level=1)
    for axis in context["axes"]:
        document.add_heading(_text(axis["title"]), level=2)
        if not axis["clusters"]:
            document.add_paragraph("Aucune idée.")
        for idea in axis["clusters"]:
            paragraph = document.add_paragraph(_text(idea["text"]) + " ", style="List Bullet")
            weight = weight_phrase(idea["size"], idea["documents"])
            paragraph.add_run(_text(f"({idea['kinds']} ; {weight})")).italic = True

    document.add_heading("Objectifs, actions et freins, axe par axe", level=1)
    for axis in context["axes"]:
        if not axis["plans"]:
            continue
        document.add_heading(_text(axis["title"]), level=2)
        for plan in axis["plans"]:
            title = f"Objectif : {plan['objective']}" if plan["objective"] else "Actions sans objectif"
            if plan["times"] > 1:
                title += f" ({weight_phrase(plan['times'])})"
            document.add_heading(_text(title), level=3)
            if not plan["actions"]:
                document.add_paragraph("Aucune action sous cet objectif.")
            for action in plan["actions"]:
                paragraph = document.add_paragraph(_text(action["text"]), style="List Bullet")
                if action["times"] > 1:
                    paragraph.add_run(_text(f" ({weight_phrase(action['times'])})")).italic = True
                for field in action["fields"]:
                    for text in field["texts"]:
                        detail = document.add_paragraph(style="List Bullet 2")
                        detail.add_run(_text(f"{field['field']} : ")).bold = True
                        detail.add_run(_text(text))

    document.add_heading("Idées à vérifier", level=1)
    if context["attention"]:
        document.add_paragraph(
            _text(
                f"Contributions sans axe, ou placées par le modèle avec une confiance inférieure à "
                f"{context['attention_threshold']} : l'axe proposé est le plus probable, le second axe est indiqué "
                "quand il est proche, les mots indiquent ce qui a pesé."
            )
        )
        _table(
            document,
            ["Contribution", "Axe proposé", "Second axe", "Mots décisifs"],
            [
                [
                    idea["text"]
                    + (f" ({idea['times']} fois)" if idea["times"] > 1 else "")
                    + f"\n{idea['kind']}, {idea['document']}, p. {idea['page']}",
                    f"{idea['axis']} ({idea['confidence']})",
                    idea["axis_2"],
                    idea["evidence"],
                ]
                for idea in context["attention"]
            ],
        )
    else:
        document.add_paragraph(_text(context["nothing_to_check"]))

    document.add_heading("Sources", level=1)
    _table(
        document,
        ["Document", "Pages", "Contributions", "État"],
        [
            [
                f"{source['name']} ({source['sha256']})" if source["sha256"] else source["name"],
                source["pages"],
                source["ideas"],
                "\n".join(["lu", *(f"attention : {warning}" for warning in source["warnings"])])
                if source["status"] == "ok"
                else f"non lu : {source['error']}",
            ]
            for source in context["documents"]
        ],
    )
    return document
