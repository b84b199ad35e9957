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
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from atelier.extract.docx import GENERATED_IDENTIFIER
from atelier.flows.messages import counted
from atelier.flows.synthesis import weight_phrase

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Grid"
FIRST_COLUMN_SHARE = 0.4


def _text(value: object) -> str:
    return _NOT_IN_XML.sub("", str(value))


class _Body:
    """Appends paragraphs and tables to a document, each in constant time.

    python-docx's `add_paragraph` looks for the section properties among every child of the body,
    and a style given by name is found by scanning every style of the document, both at each
    paragraph: 45,000 ideas took 90 s (measured, 100,000 contributions). Here every block goes
    before an end mark, removed by `close`, and each style's id is looked up once."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._end = document.add_paragraph()
        self._style_ids: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph = self._end.insert_paragraph_before(_text(text))
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self._style_ids[style]  # what the `style` setter writes, without its lookups
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
        """A table whose first column, the text one, takes `FIRST_COLUMN_SHARE` of the page's width;
        its cells are filled column by column (python-docx lists every cell of the table to give
        one row's)."""
        table = self.document.add_table(rows=len(rows) + 1, cols=len(header))
        self._end._p.addprevious(table._tbl)
        table.style = TABLE_STYLE
        table.autofit = False
        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        first = int(width * FIRST_COLUMN_SHARE) if len(header) > 1 else width
        widths = [first, *[(width - first) // (len(header) - 1)] * (len(header) - 1)]
        for index, (title, column_width) in enumerate(zip(header, widths, strict=True)):
            column = table.columns[index]
            column.width = column_width  # the grid, which LibreOffice follows; Word follows the cells
            cells = table.column_cells(index)
            cells[0].text = ""
            cells[0].paragraphs[0].add_run(_text(title)).bold = True
            for cell, row in zip(cells[1:], rows, strict=True):
                cell.text = _text(row[index])
            for cell in cells:
                cell.width = column_width
        return table

    def close(self) -> None:
        self._end._p.getparent().remove(self._end._p)


def synthesis_document(context: Mapping[str, Any]) -> Document:
    """The Word document of a synthesis context (`synthesis.synthesis_context`)."""
    document = docx.Document()
    document.core_properties.title = _text(f"Synthèse – {context['title']}")
    document.core_properties.language = "fr-FR"
    for language in document.styles.element.iter(qn("w:lang")):  # (QA: Word checked the spelling as English)
        language.set(qn("w:val"), "fr-FR")
    document.core_properties.identifier = GENERATED_IDENTIFIER  # never read back as a report
    document.core_properties.author = "atelier"  # (python-docx's own defaults otherwise, QA)
    document.core_properties.comments = ""
    body = _Body(document)
    body.heading(context["title"], 0)
    body.paragraph(context["notice"]).runs[0].italic = True

    body.heading("En chiffres", 1)
    figures = [
        counted(context["documents_ok"], "document lu", "documents lus"),
        counted(context["ideas"], "contribution"),
        counted(context["distinct"], "idée distincte", "idées distinctes"),
        *(f"{kind['count']} {kind['label']}" for kind in context["per_kind"]),
    ]
    body.paragraph(" ; ".join(figures) + ".")
    if context["participation"]:
        body.paragraph(f"Participation annoncée par les comptes-rendus : {' ; '.join(context['participation'])}.")

    body.heading("Répartition par axe", 1)
    body.table(
        ["Axe", *(kind["label"] for kind in context["kinds"]), "contributions", "idées distinctes"],
        [
            [axis["title"], *(axis["per_kind"][k["kind"]] for k in context["kinds"]), axis["ideas"], axis["distinct"]]
            for axis in context["axes"]
        ],
    )

    body.heading("Les idées, axe par axe", 1)
    body.paragraph(context["ideas_note"])
    for axis in context["axes"]:
        body.heading(axis["title"], 2)
        if not axis["clusters"]:
            body.paragraph("Aucune idée.")
        for idea in axis["clusters"]:
            paragraph = body.paragraph(idea["text"] + " ", "List Bullet")
            weight = weight_phrase(idea["size"], idea["documents"], idea["document_names"])
            elsewhere = f" ; {idea['elsewhere']}" if idea["elsewhere"] else ""
            paragraph.add_run(_text(f"({idea['kinds']} ; {weight}{elsewhere})")).italic = True

    body.heading("Objectifs, actions et freins, axe par axe", 1)
    body.paragraph(context["plans_note"])
    for axis in context["axes"]:
        if not axis["plans"]:
            continue
        body.heading(axis["title"], 2)
        for plan in axis["plans"]:
            title = f"Objectif : {plan['objective']}" if plan["objective"] else "Actions sans objectif"
            if plan["times"] > 1:
                title += f" ({weight_phrase(plan['times'])})"
            body.heading(title, 3)
            for field in plan["fields"]:
                for text in field["texts"]:
                    detail = body.paragraph()
                    detail.add_run(_text(f"{field['field']} (toutes ces actions) : ")).bold = True
                    detail.add_run(_text(text))
            if not plan["actions"]:
                body.paragraph("Aucune action sous cet objectif.")
            for action in plan["actions"]:
                paragraph = body.paragraph(action["text"], "List Bullet")
                if action["times"] > 1:
                    paragraph.add_run(_text(f" ({weight_phrase(action['times'])})")).italic = True
                if action["elsewhere"]:
                    paragraph.add_run(_text(f" ({action['elsewhere']})")).italic = True
                for field in action["fields"]:
                    for text in field["texts"]:
                        detail = body.paragraph(style="List Bullet 2")
                        detail.add_run(_text(f"{field['field']} : ")).bold = True
                        detail.add_run(_text(text))

    body.heading("Idées à vérifier", 1)
    if context["attention"]:
        body.paragraph(
            "Contributions sans axe, ou que le modèle signale à vérifier : confiance inférieure à "
            f"{context['attention_threshold']}, idée que ses propres mots placent hors axes et son thème dans un axe "
            "(ou l'inverse), texte sans lettre ; l'axe proposé est le plus probable, le second axe est indiqué "
            "quand il est proche, les mots indiquent ce qui a pesé."
        )
        body.table(
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
        body.paragraph(context["nothing_to_check"])
    if context["multi_axis"]:
        body.paragraph(context["multi_axis_note"])

    body.heading("Sources", 1)
    body.table(
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
    body.close()
    return document
