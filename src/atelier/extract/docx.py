"""Word transcripts (.docx) read with python-docx into the same drafts as a PDF.

This is the boundary with python-docx: its documents, paragraphs, runs and tables are read here
and nowhere else. The body is walked in order; headings (heading styles, or paragraphs in bold
throughout) and prose go to the `TableReader` as a PDF's lines do, and Word tables become `Grid`s
directly, with `None` for the positions a merged cell covers. A DOCX has neither pages nor
positions: every grid is on page 1, and cell boxes are grid positions (column, row), not points.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml.etree import XMLSyntaxError

from atelier.extract.grid import Cell, Grid, Paragraph
from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings
from atelier.extract.tables import TableReader
from atelier.extract.text import fold, join_lines, starts_list_item

_ZIP_SIGNATURE = b"PK\x03\x04"
# The identifier atelier gives the Word documents it writes (the synthesis): not a report to read
# back, or a run writing next to its reports would read its own synthesis as a transcript.
GENERATED_IDENTIFIER = "atelier:synthese"
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, XMLSyntaxError, KeyError, ValueError, IndexError)


class UnreadableDocx(Exception):
    """A .docx that cannot be read; the message is the French reason shown to the user."""


def read_docx(data: bytes, settings: ExtractionSettings) -> TableReader:
    """The drafts of a Word transcript, read in body order. Raises `UnreadableDocx`."""
    document = _open(data, settings.max_unpacked_bytes)
    if document.core_properties.identifier == GENERATED_IDENTIFIER:
        raise UnreadableDocx("synthèse écrite par atelier, pas un compte-rendu : non relue")
    reader = TableReader(settings)
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                reader.grid(table_grid(block))
            else:
                _read_paragraph(block, reader, settings)
    except _DAMAGED as error:
        raise UnreadableDocx(f"document Word endommagé ({type(error).__name__})") from error
    return reader


_OTHER_OFFICE_FILES = {
    "xl/workbook.xml": "un classeur Excel (les idées d'un tableur se classent avec « atelier classify »)",
    "ppt/presentation.xml": "une présentation PowerPoint (enregistrez-la en PDF)",
    "content.xml": "un document OpenDocument (enregistrez-le en PDF ou en .docx)",
}


def _open(data: bytes, max_unpacked_bytes: int) -> DocxDocument:
    if not data.startswith(_ZIP_SIGNATURE):
        raise UnreadableDocx("ce n'est pas un document Word .docx (archive ZIP attendue)")
    try:
        # The sizes the archive declares: zipfile reads no member past its own.
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(member.file_size for member in archive.infolist())
        names = set(archive.namelist())
        other = next((kind for part, kind in _OTHER_OFFICE_FILES.items() if part in names), None)
        if other and "word/document.xml" not in names:  # (QA: a workbook renamed .pdf was « not a .docx »)
            raise UnreadableDocx(f"ce n'est pas un compte-rendu mais {other}")
        if unpacked > max_unpacked_bytes:
            raise UnreadableDocx(
                f"document Word trop gros une fois décompressé ({unpacked // 1024**2} Mo, "
                f"limite {max_unpacked_bytes // 1024**2} Mo)"
            )
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise UnreadableDocx("document Word endommagé ou tronqué (archive ZIP illisible)") from error
    except (KeyError, PackageNotFoundError) as error:
        raise UnreadableDocx("ce n'est pas un document Word .docx (archive ZIP sans document Word)") from error
    except ValueError as error:
        raise UnreadableDocx("ce n'est pas un document Word .docx (type de contenu inattendu)") from error
    except XMLSyntaxError as error:
        raise UnreadableDocx("document Word endommagé (XML illisible)") from error


# A Word file has no sizes nor positions: a heading's level stands for both, so that post-its
# written as bulleted lists under a « Post-it » heading and its theme headings are read as a
# PDF's are (QA: 19 post-its in « List Bullet » paragraphs under « Heading 2 » themes were dropped).
# A deeper heading is smaller and more indented; a list item is indented deeper than any heading.
_OUTLINE_SIZE = 20.0
_OUTLINE_INDENT = 10.0
_BOLD_LEVEL = 9  # a paragraph in bold throughout: below every numbered heading level
_ITEM_BOX = BBox((_BOLD_LEVEL + 1) * _OUTLINE_INDENT, 0, (_BOLD_LEVEL + 1) * _OUTLINE_INDENT, 0)
_TEXT_BOX = BBox(0, 0, 0, 0)


def _read_paragraph(paragraph: DocxParagraph, reader: TableReader, settings: ExtractionSettings) -> None:
    text = paragraph_text(paragraph)
    if not text:
        return
    if is_heading(paragraph, settings):
        level = heading_level(paragraph, settings)
        reader.heading(text, size=_OUTLINE_SIZE - level, x0=level * _OUTLINE_INDENT)
    else:
        item = is_list_item(paragraph) or starts_list_item(text)
        reader.prose(text, 1, _ITEM_BOX if item else _TEXT_BOX, item)


def heading_level(paragraph: DocxParagraph, settings: ExtractionSettings) -> int:
    """0 for a title, n for « Heading n » / « Titre n », `_BOLD_LEVEL` for a paragraph in bold or
    a heading style without a number."""
    style = fold(paragraph.style.name or "") if paragraph.style is not None else ""
    if style in ("title", "titre"):
        return 0
    if any(style.startswith(fold(name)) for name in settings.docx_heading_styles):
        digits = "".join(character for character in style if character.isdigit())
        return min(int(digits), _BOLD_LEVEL - 1) if digits else _BOLD_LEVEL - 1
    return _BOLD_LEVEL


def is_heading(paragraph: DocxParagraph, settings: ExtractionSettings) -> bool:
    """A paragraph in a heading style ("Heading 2", "Titre 1", …), or in bold throughout and not a list item."""
    style = fold(paragraph.style.name or "") if paragraph.style is not None else ""
    if any(style.startswith(fold(name)) for name in settings.docx_heading_styles):
        return True
    return is_bold(paragraph) and not is_list_item(paragraph)


def table_grid(table: Table) -> Grid:
    """A Word table as a grid: the first position of a merged cell holds it, the positions it covers are None."""
    seen: set[object] = set()
    rows: list[tuple[Cell | None, ...]] = []
    for row_index, row in enumerate(table.rows):
        cells: list[Cell | None] = [None] * row.grid_cols_before
        for cell in row.cells:
            # Every position of a merged cell gives the same <w:tc> element.
            element = cell._tc
            if element in seen:
                cells.append(None)
                continue
            seen.add(element)
            box = BBox(len(cells), row_index, len(cells) + 1, row_index + 1)
            cells.append(Cell(paragraphs=cell_paragraphs(cell, box), bbox=box))
        cells.extend([None] * row.grid_cols_after)
        rows.append(tuple(cells))
    width = max((len(row) for row in rows), default=0)
    return Grid(page=1, bbox=BBox(0, 0, width, len(rows)), rows=tuple(rows), ruled=True)


def cell_paragraphs(cell: _Cell, box: BBox) -> tuple[Paragraph, ...]:
    """The paragraphs of a cell (nested tables read row by row): one per Word paragraph, and one
    more at each line break before a typed list marker ("1)", "-"), as in a PDF's cell. A
    bulleted or numbered Word paragraph is one item whatever its line breaks."""
    paragraphs = []
    for paragraph in _paragraphs_in(cell):
        bold = is_bold(paragraph)
        lines = shown_text(paragraph).splitlines()
        for item in [lines] if is_list_item(paragraph) else split_list_items(lines):
            text = join_lines(item)
            if text:
                paragraphs.append(Paragraph(text=text, bbox=box, bold=bold))
    return tuple(paragraphs)


def split_list_items(lines: list[str]) -> list[list[str]]:
    """Lines grouped into items, a new item at each line that opens with a list marker."""
    items: list[list[str]] = []
    for line in lines:
        if items and not starts_list_item(line):
            items[-1].append(line)
        else:
            items.append([line])
    return items


def _paragraphs_in(cell: _Cell) -> Iterator[DocxParagraph]:
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[object] = set()
                for inner in row.cells:
                    if inner._tc not in seen:
                        seen.add(inner._tc)
                        yield from _paragraphs_in(inner)
        else:
            yield block


def paragraph_text(paragraph: DocxParagraph) -> str:
    """The text of a paragraph, line breaks joined as a PDF's lines are (hyphenation repaired)."""
    return join_lines(shown_text(paragraph).splitlines())


def shown_text(paragraph: DocxParagraph) -> str:
    """The text of a paragraph as Word shows it with its changes accepted: the words of tracked
    insertions (`w:ins`, `w:moveTo`) with the others, not those deleted or moved away (QA: a
    post-it's inserted « de l'avenue Jean Jaurès » was lost), nor a text box's in a drawing."""
    element = paragraph._p
    if element.find(f".//{_INSERTED}") is None and element.find(f".//{_MOVED_TO}") is None:
        return paragraph.text
    parts = []
    for run in element.iter(_RUN):
        ancestor = run.getparent()
        while ancestor is not element and ancestor.tag not in _NOT_SHOWN:
            ancestor = ancestor.getparent()
        if ancestor is element:
            parts.append(Run(run, paragraph).text)
    return "".join(parts)


_RUN, _INSERTED, _MOVED_TO = qn("w:r"), qn("w:ins"), qn("w:moveTo")
_NOT_SHOWN = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:r")})


def is_bold(paragraph: DocxParagraph) -> bool:
    """Every run that carries text is bold (directly, or by its character or paragraph style)."""
    runs = [run for run in _runs(paragraph) if run.text.strip()]
    return bool(runs) and all(_run_bold(run, paragraph) for run in runs)


def _runs(paragraph: DocxParagraph) -> Iterator[Run]:
    for item in paragraph.iter_inner_content():
        if isinstance(item, Run):
            yield item
        else:
            yield from item.runs


def _run_bold(run: Run, paragraph: DocxParagraph) -> bool:
    for value in (run.bold, _style_bold(run.style), _style_bold(paragraph.style)):
        if value is not None:
            return value
    return False


def _style_bold(style: BaseStyle | None) -> bool | None:
    while style is not None:
        bold = style.font.bold  # type: ignore[attr-defined]
        if bold is not None:
            return bold
        style = style.base_style
    return None


def is_list_item(paragraph: DocxParagraph) -> bool:
    """A bulleted or numbered paragraph: a numbering property on it or on its style.

    Word draws the numbers itself, so the text holds no marker: the paragraph is one item.
    """
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        style_properties = style.element.pPr
        if style_properties is not None and style_properties.numPr is not None:
            return True
        style = style.base_style
    return False
