"""Render the Atelier 6 sample content as a Word transcript (.docx) plus its expected items.

    python -m samples.render_docx [OUT.docx]     # default: build/samples/atelier6_cohesion_sociale.docx

``render_docx(content, docx_path)`` takes the content schema of ``samples/atelier6.yaml`` (see
its header), writes the DOCX and returns the expected-extraction dict, with the same items as
``samples.render.render_document`` gives for the PDFs (they are built by the same code).

Word structures used: "Title" and "Heading 1/2" styles, subtitles in bold, "List Bullet" and
"List Number" paragraphs (Word draws the marker: the text has none), tables in "Table Grid"
with merged cells for every span (category rows across, themes and objectives down), header
cells and category rows in bold, labels of "Freins / modalités" in bold. Footnote markers are
left out (python-docx writes no footnotes).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table, _Cell

from samples.render import ROOT, _Renderer, load_content, norm

OUTPUT = ROOT / "build" / "samples" / "atelier6_cohesion_sociale.docx"
_NUMBERED = re.compile(r"^\(?\d{1,2}[).]$")


def render_docx(content: dict, docx_path: Path) -> dict:
    """Write `content` as a DOCX at `docx_path` and return the expected-extraction dict."""
    docx_path = Path(docx_path)
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    expected = _Renderer(content, "ruled")
    expected.render()
    document = docx.Document()
    writer = _Writer(document)
    for block in content.get("blocks", []):
        ((kind, value),) = block.items()
        getattr(writer, f"b_{kind}")(value)
    document.save(str(docx_path))
    participants = content.get("participants", {}) or {}
    return {
        "document": docx_path.name,
        "variant": "docx",
        "participants": {
            "listed": expected.listed,
            "stated_total": participants.get("stated_total"),
            "sessions": list(participants.get("sessions") or []),
            "returning": participants.get("returning"),
        },
        "items": expected.items,
    }


def _write(cell: _Cell, texts: list[str], bold: bool = False) -> None:
    """Fill an empty cell with one paragraph per text."""
    for index, text in enumerate(texts):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.add_run(norm(text)).bold = bold or None


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document

    def table(self, rows: int, columns: int) -> Table:
        table = self.document.add_table(rows=rows, cols=columns)
        table.style = "Table Grid"
        return table

    def end_table(self) -> None:
        self.document.add_paragraph()

    # -- blocks --------------------------------------------------------------------------

    def b_title(self, lines: list[str]) -> None:
        for line in lines:
            self.document.add_paragraph(norm(line), style="Title")

    def b_subtitle(self, lines: list[str]) -> None:
        for line in lines:
            self.document.add_paragraph().add_run(norm(line)).bold = True

    def b_paragraph(self, text: str) -> None:
        self.document.add_paragraph(norm(text))

    def b_h1(self, text: str) -> None:
        self.document.add_heading(norm(text), level=1)

    def b_h2(self, text: str) -> None:
        self.document.add_heading(norm(text), level=2)

    def b_bullets(self, items: list) -> None:
        for item in items:
            item = {"text": item} if isinstance(item, str) else item
            self.document.add_paragraph(norm(item["text"]), style="List Bullet")
            for sub in item.get("items", []):
                self.document.add_paragraph(norm(sub), style="List Bullet 2")

    def b_postits(self, categories: list[dict]) -> None:
        for category in categories:
            rows: list[tuple[str, str]] = []
            spans: list[tuple[int, int]] = []
            title = norm(category.get("category", ""))
            for row in category.get("rows", []):
                if "lone" in row:
                    rows.append((row["lone"], ""))
                    continue
                start = len(rows)
                for index, postit in enumerate(row.get("postits", [])):
                    rows.append((row.get("theme", "") if index == 0 else "", postit))
                if len(rows) - start > 1:
                    spans.append((start, len(rows) - 1))
            offset = 1 if title else 0
            table = self.table(len(rows) + offset, 2)
            if title:
                _write(table.cell(0, 0).merge(table.cell(0, 1)), [title], bold=True)
            for first, last in spans:
                table.cell(first + offset, 0).merge(table.cell(last + offset, 0))
            for index, (theme, postit) in enumerate(rows, start=offset):
                if norm(theme):
                    _write(table.cell(index, 0), [theme])
                if norm(postit):
                    _write(table.cell(index, 1), [postit])
            self.end_table()

    def b_synthesis(self, rows: list[dict]) -> None:
        table = self.table(len(rows), 2)
        for index, row in enumerate(rows):
            if norm(row.get("objective", "")):
                _write(table.cell(index, 0), [row["objective"]])
            _write(table.cell(index, 1), row.get("actions", []))
        self.end_table()

    def b_details(self, spec: dict) -> None:
        columns = int(spec.get("columns", 3))
        themes = spec.get("themes")
        if themes is None:
            themes = [{"theme": "", "objectives": spec.get("objectives", [])}]
        headers = ["Thématiques", "Objectifs", "Piste d'action", "Freins et modalités"] if columns == 4 else [
            "OBJECTIFS", "ACTIONS", "FREINS / MODALITES",
        ]
        entries = [
            (theme, objective, entry)
            for theme in themes
            for objective in theme.get("objectives", [])
            for entry in objective.get("entries", [])
        ]
        table = self.table(len(entries) + 1, columns)
        for column, header in enumerate(headers):
            _write(table.cell(0, column), [header], bold=True)
        first_col = 1 if columns == 4 else 0
        row = 1
        for theme in themes:
            theme_start = row
            for objective in theme.get("objectives", []):
                count = len(objective.get("entries", []))
                if count == 0:
                    continue
                if count > 1:
                    table.cell(row, first_col).merge(table.cell(row + count - 1, first_col))
                paragraphs = objective.get("objective", "")
                paragraphs = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
                _write(table.cell(row, first_col), [p for p in paragraphs if norm(p)])
                for entry in objective.get("entries", []):
                    self._actions(table.cell(row, first_col + 1), entry.get("actions", []))
                    self._freins(table.cell(row, first_col + 2), entry.get("freins", []))
                    row += 1
            if columns == 4 and row > theme_start:
                if row - theme_start > 1:
                    table.cell(theme_start, 0).merge(table.cell(row - 1, 0))
                if norm(theme.get("theme", "")):
                    _write(table.cell(theme_start, 0), [theme["theme"]])
        self.end_table()

    def _actions(self, cell: _Cell, actions: list) -> None:
        paragraphs = 0
        for action in actions:
            action = {"text": action} if isinstance(action, str) else action
            marker = norm(action.get("marker") or "")
            paragraph = cell.paragraphs[0] if paragraphs == 0 else cell.add_paragraph()
            paragraphs += 1
            if _NUMBERED.match(marker):
                paragraph.style = "List Number"
            elif marker == "-":
                paragraph.style = "List Bullet"
            elif marker:
                paragraph.add_run(marker + " ")
            paragraph.add_run(norm(action["text"]))
            for detail in action.get("details", []) or []:
                label, value = (detail[0], detail[1]) if isinstance(detail, (list, tuple)) else (detail["label"], detail.get("text", ""))
                if norm(value):
                    cell.add_paragraph(f"{norm(label)} : {norm(value)}")

    def _freins(self, cell: _Cell, freins: list) -> None:
        for index, frein in enumerate(freins or []):
            frein = {"label": frein[0], "text": frein[1]} if isinstance(frein, (list, tuple)) else frein
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            label = norm(frein.get("label") or "")
            if label:
                paragraph.add_run(label).bold = True
                paragraph.add_run(" : ")
            elif frein.get("dash"):
                paragraph.add_run("- ")
            paragraph.add_run(norm(frein.get("text", "")))

    def b_participants_table(self, rows: list) -> None:
        table = self.table(len(rows), 2)
        for index, (name, organisation) in enumerate(rows):
            if norm(name):
                _write(table.cell(index, 0), [name])
            if norm(organisation):
                _write(table.cell(index, 1), [organisation])
        self.end_table()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else OUTPUT
    expected = render_docx(load_content(), path)
    print(f"{path}: {len(expected['items'])} items, participants listed={expected['participants']['listed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
