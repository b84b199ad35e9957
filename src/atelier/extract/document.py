"""Entry point of extraction: one PDF or DOCX in, one `DocumentResult` out.

Bad input never raises: it comes back as a result with status "error" and a one-line reason
in French, so that a batch goes on with its other documents.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import fmean

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from atelier.extract.docx import UnreadableDocx, read_docx
from atelier.extract.grid import Cell, Grid, aligned_columns, aligned_grid, ruled_grids
from atelier.extract.layout import (
    Line,
    Note,
    RunningLines,
    Word,
    area_index,
    coloured_boxes,
    fits_after,
    group_lines,
    horizontal_rules,
    is_header_row,
    is_list_marker,
    notes_on_page,
    page_footer,
    page_header,
    page_object_counts,
    page_size,
    page_words,
    printed_rows,
    prose_size,
    reading_areas,
    rendered_page,
    ruled_tables,
    running_footers,
    running_headers,
    shaded_boxes,
    words_inside,
    wraps_onto,
)
from atelier.extract.ocr import OcrUnavailable, needs_ocr, ocr_page, unavailable_reason
from atelier.extract.records import BBox, Contribution, Detail, DocumentResult
from atelier.extract.settings import ExtractionSettings
from atelier.extract.system import os_error_reason
from atelier.extract.tables import Draft, TableReader
from atelier.extract.text import (
    Spellings,
    may_be_wrapped,
    settle_hyphens,
    spellings,
    starts_list_item,
    starts_with_a_bullet,
    without_bullet,
)


class UnreadableDocument(Exception):
    """A document that cannot be read; the message is the French reason shown to the user."""


@dataclass(frozen=True, slots=True)
class _PageLayout:
    number: int
    width: float
    words: tuple[Word, ...]
    grids: tuple[Grid, ...]
    free_lines: tuple[Line, ...]
    # A scanned page: Tesseract's confidence 0–1 of each of `words`, or why it could not be read.
    confidences: tuple[float, ...] = ()
    unread: str = ""
    scanned: bool = False  # (read by OCR, whatever it found)
    # Filled rectangles behind text: their edges are row boundaries of tables without ruling lines.
    shades: tuple[BBox, ...] = ()
    # Horizontal rules (boxes of no height): row boundaries of tables ruled between rows only.
    rules: tuple[BBox, ...] = ()
    # Where the page is read in turn (full-width bands, a left column, a right one): `free_lines`
    # are in this order.
    areas: tuple[BBox, ...] = ()
    # Post-its drawn as boxes, in reading order; their words are in no grid and no free line.
    notes: tuple[Note, ...] = ()


def extract_document(path: str | Path, settings: ExtractionSettings | None = None) -> DocumentResult:
    """Read one report. Never raises for bad input: see `DocumentResult.status` and `.error`."""
    path = Path(path)
    settings = settings or ExtractionSettings()
    try:
        data = read_document_bytes(path, settings)
    except UnreadableDocument as error:
        return DocumentResult(document=path.name, path=str(path), sha256="", status="error", error=str(error))
    return extract_bytes(data, path.name, str(path), settings)


def extract_bytes(data: bytes, name: str, path: str, settings: ExtractionSettings) -> DocumentResult:
    """A PDF or a DOCX (by its name or its ZIP signature) read from its bytes."""
    if name.lower().endswith(".docx") or data.startswith(b"PK\x03\x04"):
        return extract_docx_bytes(data, name, path, settings)
    return extract_pdf_bytes(data, name, path, settings)


def extract_docx_bytes(data: bytes, name: str, path: str, settings: ExtractionSettings) -> DocumentResult:
    """A Word transcript: no pages and no positions, so every item is on page 1 with no box."""
    sha256 = hashlib.sha256(data).hexdigest()
    base = {"document": name, "path": path, "sha256": sha256}
    try:
        reader = read_docx(data, settings)
    except UnreadableDocx as error:
        return DocumentResult(**base, status="error", error=str(error))
    drafts = reader.finish()
    written = spellings(reader.texts_read())
    contributions = tuple(
        _to_contribution(d, i, name, sha256, written, located=False) for i, d in enumerate(drafts, start=1)
    )
    statistics = {"pages": 1, **reader.document_statistics()}
    return DocumentResult(
        **base,
        status="ok",
        pages=1,
        contributions=contributions,
        statistics=statistics,
        warnings=nothing_found_warning(contributions, statistics)
        + unread_lists_warning(reader.unread_list_items, paged=False),
    )


def extract_tables(path: Path, settings: ExtractionSettings | None = None) -> list[Grid]:
    """Every table of a PDF as a grid, ruled or aligned, in reading order (raises UnreadableDocument)."""
    settings = settings or ExtractionSettings()
    layouts = _read_layouts(read_document_bytes(path, settings), settings)
    written = _page_spellings(layouts)
    return [
        replace(grid, rows=tuple(tuple(cell and _settled_cell(cell, written) for cell in row) for row in grid.rows))
        for grid in read_structure(layouts, settings).grids
    ]


def _page_spellings(layouts: Sequence[_PageLayout]) -> Spellings:
    """How the document writes its words, read from every word of its pages (prose and tables alike)."""
    return spellings(word.text for layout in layouts for word in layout.words)


def _settled_cell(cell: Cell, written: Spellings) -> Cell:
    paragraphs = tuple(replace(p, text=settle_hyphens(p.text, written)) for p in cell.paragraphs)
    return replace(cell, paragraphs=paragraphs)


def read_document_bytes(path: Path, settings: ExtractionSettings) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableDocument(f"fichier illisible ({os_error_reason(error)})") from error
    if size == 0:
        raise UnreadableDocument("fichier vide (0 octet)")
    if size > settings.max_bytes:
        raise UnreadableDocument(f"fichier trop gros ({size // (1024 * 1024)} Mo, limite {settings.max_bytes // (1024 * 1024)} Mo)")
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(f"fichier illisible ({os_error_reason(error)})") from error


def extract_pdf_bytes(data: bytes, name: str, path: str, settings: ExtractionSettings) -> DocumentResult:
    sha256 = hashlib.sha256(data).hexdigest()
    base = {"document": name, "path": path, "sha256": sha256}
    if not data.lstrip()[:5].startswith(b"%PDF"):
        return DocumentResult(**base, status="error", error="ce n'est pas un PDF (en-tête %PDF absent)")
    try:
        layouts = _read_layouts(data, settings)
    except UnreadableDocument as error:
        return DocumentResult(**base, status="error", error=str(error))
    reader = read_structure(layouts, settings)
    drafts = reader.finish()
    _set_ocr_confidence(drafts, layouts)
    written = _page_spellings(layouts)
    contributions = tuple(_to_contribution(d, i, name, sha256, written) for i, d in enumerate(drafts, start=1))
    statistics = {
        "pages": len(layouts),
        **reader.document_statistics(),
        "ocr_pages": sum(layout.scanned for layout in layouts),
        "ocr_unavailable": sum(bool(layout.unread) for layout in layouts),
    }
    return DocumentResult(
        **base,
        status="ok",
        pages=len(layouts),
        contributions=contributions,
        statistics=statistics,
        # (Pages left unread say why nothing was found.)
        warnings=(
            unread_warnings(layouts) + blank_scans_warning(layouts) or nothing_found_warning(contributions, statistics)
        )
        + (unread_tables_warning(reader.unread_table_pages) if contributions else ())
        + scanned_unruled_tables_warning(reader.grids, layouts, contributions)
        + unread_lists_warning(reader.unread_list_items),
    )


def _read_layouts(data: bytes, settings: ExtractionSettings) -> list[_PageLayout]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            if page_count == 0:
                raise UnreadableDocument("PDF sans aucune page")
            if page_count > settings.max_pages:
                raise UnreadableDocument(f"trop de pages ({page_count}, limite {settings.max_pages})")
            return _page_layouts(pdf.pages, settings)
    except UnreadableDocument:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise UnreadableDocument("PDF chiffré ou protégé par mot de passe") from error
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, MemoryError):  # not a damaged file: one too heavy for the memory it may take
            raise cause from error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("PDF chiffré ou protégé par mot de passe") from error
        raise UnreadableDocument(f"PDF endommagé ou tronqué ({_damage(cause)})") from error
    # (MalformedPDFException: pdfplumber's own, for a page box that holds no numbers, QA.)
    except (
        PDFSyntaxError, MalformedPDFException, ValueError, KeyError, TypeError, AttributeError, IndexError
    ) as error:
        raise UnreadableDocument(f"PDF endommagé ou tronqué ({_damage(error)})") from error


def _damage(error: BaseException) -> str:
    """What a pdfminer error says of a file, in French ("PSEOF" told a consultant nothing)."""
    name = type(error).__name__
    if name == "PSEOF":
        return "le fichier s'arrête avant sa fin"
    if isinstance(error, PDFSyntaxError) or name.startswith("PS"):
        return "syntaxe PDF invalide"
    return "structure PDF invalide"


def _page_layouts(pages: Sequence[object], settings: ExtractionSettings) -> list[_PageLayout]:
    """Every page's layout: from its text layer, or from OCR within `ocr_max_pages` when it is a scan.
    Every page is read before any is laid out: a line of a page's header band is a running header
    when another page prints it too (`page_header`)."""
    readings = _page_readings(pages, settings)
    heights = [page_size(page)[1] for page in pages]
    words_by_page = [(reading.words, height) for reading, height in zip(readings, heights)]
    running = running_headers(words_by_page, settings), running_footers(words_by_page, settings)
    return [
        _page_layout(page, number, reading, running, settings)
        for number, (page, reading) in enumerate(zip(pages, readings), start=1)
    ]


@dataclass(frozen=True, slots=True)
class _PageReading:
    """The words read on a page, header band included; for a scan, their confidences and the ruling
    lines seen (None: the page's own), or why it could not be read."""

    words: tuple[Word, ...]
    confidences: tuple[float, ...] = ()
    rulings: tuple[BBox, ...] | None = None
    unread: str = ""


def _page_readings(pages: Sequence[object], settings: ExtractionSettings) -> list[_PageReading]:
    """Every page's words: from its text layer, or from OCR within `ocr_max_pages` when it is a scan."""
    readings = []
    scanned = 0
    ocr_missing: str | None = None
    for page in pages:
        if not needs_ocr(page_object_counts(page), settings):
            readings.append(_PageReading(tuple(page_words(page, settings))))
            continue
        scanned += 1
        if scanned > settings.ocr_max_pages:
            reason: str | None = f"limite de pages lues par OCR atteinte ({settings.ocr_max_pages})"
        else:
            if scanned == 1:
                ocr_missing = unavailable_reason(settings)
            reason = ocr_missing
        readings.append(_scanned_page_reading(page, settings, reason))
    return readings


def _scanned_page_reading(page: object, settings: ExtractionSettings, reason: str | None) -> _PageReading:
    """A page without text layer read by OCR, with the ruling lines seen on the image."""
    if reason is None:
        try:
            scan = ocr_page(rendered_page(page, settings.ocr_resolution), settings)
        except pypdfium2.PdfiumError:
            reason = "page numérisée impossible à afficher"
        except OcrUnavailable as error:
            reason = str(error)
    if reason is not None:
        return _PageReading((), unread=reason)
    return _PageReading(scan.words, scan.confidences, scan.rulings)


def _page_layout(
    page: object,
    number: int,
    reading: _PageReading,
    running: tuple[RunningLines, RunningLines],
    settings: ExtractionSettings,
) -> _PageLayout:
    """A page's layout from its reading, its header and footer bands' furniture left out (`running`:
    the document's running headers and footers); a scan's tables are found from the ruling lines seen
    on its image."""
    width, height = page_size(page)
    if reading.unread:
        return _PageLayout(number, width, (), (), (), unread=reading.unread)
    lines = group_lines(reading.words, settings)
    furniture = page_header(reading.words, height, number, running[0], settings, lines) | page_footer(
        reading.words, height, running[1], settings, lines
    )
    kept = [i for i, word in enumerate(reading.words) if word not in furniture]
    words = [reading.words[i] for i in kept]
    confidences = tuple(reading.confidences[i] for i in kept) if reading.confidences else ()
    grids = ruled_grids(ruled_tables(page, settings, reading.rulings), words, number, settings)
    if reading.rulings is not None:
        return replace(_assemble(page, number, words, grids, settings, confidences), scanned=True)
    tables = [grid.bbox for grid in grids]
    notes = notes_on_page(coloured_boxes(page, settings), words, tables, width, height, settings)
    layout = _assemble(page, number, words, grids, settings, confidences, notes)
    return replace(layout, shades=shaded_boxes(page, settings), rules=horizontal_rules(page, settings))


def _assemble(
    page: object,
    number: int,
    words: Sequence[Word],
    grids: Sequence[Grid],
    settings: ExtractionSettings,
    confidences: tuple[float, ...] = (),
    notes: tuple[Note, ...] = (),
) -> _PageLayout:
    in_grids: set[Word] = set()
    for box in [grid.bbox for grid in grids] + [note.bbox for note in notes]:
        in_grids.update(words_inside(words, box))
    outside = [w for w in words if w not in in_grids]
    width, height = page_size(page)
    areas = reading_areas(outside, [grid.bbox for grid in grids], width, height, settings)
    in_area: list[list[Word]] = [[] for _ in areas]  # (each word's area found once, not once per area)
    for word in outside:
        in_area[area_index(areas, _box(word)) if len(areas) > 1 else 0].append(word)
    # A column of a page in two has no white running down it (`reading_areas`): the wide spaces of its
    # justified lines part no cells (QA: the left column, 9 points between words in 10-point type,
    # was read as a table and lost).
    free = [
        line
        for area, area_words in zip(areas, in_area)
        for line in group_lines(area_words, settings, split_columns=area.x0 <= 0 and area.x1 >= width)
    ]
    return _PageLayout(number, width, tuple(words), tuple(grids), tuple(free), confidences, areas=areas, notes=notes)


def _box(word: Word) -> BBox:
    return BBox(word.x0, word.top, word.x1, word.bottom)


def _set_ocr_confidence(drafts: Iterable[Draft], layouts: Sequence[_PageLayout]) -> None:
    """Each draft read by OCR gets the mean confidence of the words inside its box."""
    scanned = {layout.number: layout for layout in layouts if layout.confidences}
    confidences = {number: dict(zip(layout.words, layout.confidences)) for number, layout in scanned.items()}
    for draft in drafts:
        layout = scanned.get(draft.page)
        if layout is None:
            continue
        inside = [confidences[draft.page][word] for word in words_inside(layout.words, draft.bbox)]
        draft.ocr_confidence = fmean(inside) if inside else 0.0


def nothing_found_warning(contributions: Sequence[Contribution], statistics: Mapping[str, int]) -> tuple[str, ...]:
    """A document read without error where no idea was recognised (QA: post-its in a layout
    atelier does not read gave a run « ok » and a synthesis of zeros, without a word)."""
    if contributions:
        return ()
    skipped = statistics.get("tables_skipped", 0)
    return (
        "aucune idée reconnue : ni tableau d'objectifs et d'actions ou de post-it, ni liste de post-it sous un "
        "titre « Post-it »" + (f" ({skipped} tableau(x) non lu(s))" if skipped else "") + " ; voir les mises en "
        "page lues dans le README",
    )


def unread_lists_warning(lists: Mapping[tuple[int, str], Sequence[int]], paged: bool = True) -> tuple[str, ...]:
    """The lists left unread under headings that may name ideas (« Synthèse des propositions »): only
    those under a « Post-it » heading are read as ideas (QA: four priorities were left out, unsaid).
    `paged`: a PDF's, whose pages are named (a Word document's have none)."""
    if not lists:
        return ()
    named = ", ".join(
        f"« {heading} » ({f'p. {page}, ' if paged else ''}{count} élément{'s' if count > 1 else ''})"
        for (_, heading), (page, count) in lists.items()
    )
    return (
        f"{'listes non lues' if len(lists) > 1 else 'liste non lue'} sous {named} : seules les listes sous un titre "
        "« Post-it » sont lues comme idées",
    )


def unread_tables_warning(pages: Sequence[int]) -> tuple[str, ...]:
    """The tables left unread among ideas that were read (QA: a table of five columns without a header gave
    nothing, and the run said nothing of it)."""
    if not pages:
        return ()
    listed = ", ".join(str(page) for page in sorted(set(pages)))
    return (
        f"{len(pages)} tableau(x) non lu(s), page(s) {listed} : aucun en-tête n'en nomme les colonnes (« Objectifs », "
        "« Actions », « Post-it »…) ; voir les mises en page lues dans le README",
    )


def scanned_unruled_tables_warning(
    grids: Sequence[Grid], layouts: Sequence[_PageLayout], contributions: Sequence[Contribution]
) -> tuple[str, ...]:
    """The scanned pages whose objectives or actions come from a table without rules: its columns are
    guessed from where OCR put the words, and its cells may come out cut (QA, a regression hunt: « SCOP)
    comme outil de » as an action, placed in its axis by the document, unflagged)."""
    scanned = {layout.number for layout in layouts if layout.scanned}
    tables = {grid.page for grid in grids if not grid.ruled and grid.page in scanned}
    pages = sorted(tables & {item.page for item in contributions if item.kind != "postit"})
    if not pages:
        return ()
    listed = ", ".join(map(str, pages))
    return (
        f"tableau sans filets sur une page numérisée (p. {listed}) : ses colonnes sont devinées d'après l'OCR, "
        "vérifiez ses objectifs et ses actions",
    )


def blank_scans_warning(layouts: Sequence[_PageLayout]) -> tuple[str, ...]:
    """The scanned pages where OCR read no word (QA: a page too faint to read was passed over unsaid)."""
    pages = [str(layout.number) for layout in layouts if layout.scanned and not layout.words]
    if not pages:
        return ()
    several = len(pages) > 1
    return (
        f"{'pages numérisées' if several else 'page numérisée'} sans aucun mot lu (p. {', '.join(pages)}) : "
        f"{'des images' if several else 'une image'} sans texte (photo, page blanche) "
        f"ou trop pâle{'s' if several else ''} pour l'OCR",
    )


def unread_warnings(layouts: Sequence[_PageLayout]) -> tuple[str, ...]:
    """One French line per reason why scanned pages were left unread."""
    pages_by_reason: dict[str, list[int]] = {}
    for layout in layouts:
        if layout.unread:
            pages_by_reason.setdefault(layout.unread, []).append(layout.number)
    return tuple(
        f"{'pages numérisées non lues' if len(pages) > 1 else 'page numérisée non lue'}"
        f" (p. {', '.join(map(str, pages))}) : {reason}"
        for reason, pages in pages_by_reason.items()
    )


def read_structure(layouts: Sequence[_PageLayout], settings: ExtractionSettings) -> TableReader:
    """Walk the pages in reading order: headings, prose, and tables ruled or aligned."""
    # The sizes OCR measures on scanned pages are not a text layer's: in a document of both, each kind
    # of page has its own (QA: a digital page after a scan lost its « AXE 2 » heading).
    scanned = [layout for layout in layouts if layout.scanned]
    if scanned and len(scanned) < len(layouts):
        body_sizes = {True: _body_size(scanned, settings), False: _body_size(
            [layout for layout in layouts if not layout.scanned], settings
        )}  # fmt: skip
    else:
        body_sizes = dict.fromkeys((True, False), _body_size(layouts, settings))
    reader = TableReader(settings)
    headed: tuple[float, ...] = ()  # the columns of a table at body size opened by its header row
    headed_rules: list[BBox] = []  # … and the rules across it, if it is ruled between its rows
    last_bottom = 0.0
    for layout in layouts:
        body_size = body_sizes[layout.scanned]
        areas = layout.areas or (BBox(0.0, 0.0, layout.width, float("inf")),)
        elements: list[tuple[tuple[int, float], str, object]] = [
            ((area_index(areas, grid.bbox), grid.bbox.top), "grid", grid) for grid in layout.grids
        ]
        row = BBox(0.0, -1.0, 0.0, -1.0)  # (the notes of a row, in reading order already, share its key)
        for note in layout.notes:
            if note.bbox.top >= row.bottom:
                row = note.bbox
            elements.append(((area_index(areas, note.bbox), row.top), "note", note))
        region: list[Line] = []

        def close_region() -> None:
            if region:
                elements.append(((area_index(areas, region[0].bbox), region[0].top), "region", list(region)))
                region.clear()

        shifts = _column_shifts(layout, areas)
        rights: dict[int, float] = {}  # where the text of each area ends
        for line in layout.free_lines:
            index = area_index(areas, line.bbox)
            rights[index] = max(rights.get(index, line.x1), line.x1)

        def shared_area(previous: Line | None, line: Line) -> int | None:
            """The area of `line` if `previous`, the line read just before it, is in it too."""
            index = area_index(areas, line.bbox)
            return index if previous is not None and area_index(areas, previous.bbox) == index else None

        def wraps(previous: Line | None, line: Line) -> bool:
            """Whether `line` is the line read just before it, of its area, wrapped (`wraps_onto`)."""
            index = shared_area(previous, line)
            return index is not None and previous is not None and wraps_onto(previous, line, rights[index], settings)

        def opens_a_paragraph(line: Line, below: Line) -> bool:
            """Whether `line` is the first line of a paragraph indented at its first line: `below` wraps it,
            starting further left."""
            return below.x0 < line.x0 - settings.indent_tolerance and wraps(line, below)

        def fits(previous: Line | None, line: Line) -> bool:
            """Whether the first word of `line` would have fitted after the line read just before it, of its area."""
            index = shared_area(previous, line)
            return index is not None and previous is not None and fits_after(previous, line, rights[index], settings)

        header_rows = _header_rows(layout.free_lines, settings)
        page_rows = printed_rows(layout.free_lines, settings)
        shared_tops = {line.top for row in page_rows if len(row) > 1 for line in row}
        rows_by_top = sorted((min(line.top for line in row), row) for row in page_rows)
        header_tops = {line.top for row in header_rows.values() for line in row}
        if headed and layout.free_lines:
            last_bottom = layout.free_lines[0].top  # (a table goes on at the top of the next page)
        headed_rules = []  # (a page's rules are no rows of the next one)
        for line in layout.free_lines:
            kind = _line_kind(line, body_size, settings)
            # A table whose text is the size of the prose is known by its header row; it goes on while
            # each line stands inside one of its columns (QA: at one size, it was read as prose: no idea),
            # up to a line in bold alone on its row: a heading (« Post-it des participants » and its list
            # were read as an objective).
            at_body_size = body_size is not None and line.size <= body_size + settings.table_font_delta
            if kind != "table" and line.top in header_rows and at_body_size:
                headed = tuple(sorted(other.x0 for other in header_rows[line.top]))
                headed_rules = _rules_across(header_rows[line.top], headed, layout, settings)
            elif headed and not _between_rules(line, headed_rules) and (
                not _inside_a_column(line, headed, last_bottom, body_size, settings)
                or (line.bold and line.top not in shared_tops)
                or _closing_line(line, last_bottom, rows_by_top, headed, shared_tops, settings)
            ):
                headed = ()
            if headed:
                kind, last_bottom = "table", line.bottom
            if region and area_index(areas, line.bbox) != area_index(areas, region[-1].bbox):
                close_region()  # a column's table lines end at its foot
            if kind == "table":
                if (
                    region
                    and line.top in header_tops
                    and line.top > region[-1].top + settings.line_tolerance
                    and region[-1].top not in header_tops  # (a header of two rows: « Mise en œuvre » over two)
                ):
                    close_region()  # a header row starts another table
                region.append(line)
                continue
            close_region()
            elements.append(((area_index(areas, line.bbox), line.top), kind, line))
        close_region()
        elements.sort(key=lambda element: element[0])
        heading_lines: list[Line] = []
        previous: Line | None = None  # the prose line read just before
        following = [element for _, _, element in elements[1:]] + [None]
        for (_, kind, element), after in zip(elements, following):
            if kind == "heading" and isinstance(element, Line) and wraps(previous, element):
                kind = "prose"  # a post-it's text in bold wraps onto a line all bold (QA: its last word was lost)
            elif kind == "prose" and isinstance(element, Line) and _heads_a_nested_list(element, after, settings):
                kind = "heading"
            if kind != "prose":
                previous = None
            if kind == "heading":
                assert isinstance(element, Line)
                if heading_lines and _continues_heading(heading_lines[-1], element, settings):
                    heading_lines.append(element)
                else:
                    heading_lines = [element]
                first = heading_lines[0]
                indent = first.x0 - shifts.get(area_index(areas, first.bbox), 0.0)
                text = " ".join(line.text for line in heading_lines)
                reader.heading(without_bullet(text), element.size, indent, measured=layout.scanned)
            elif kind == "prose":
                heading_lines = []
                assert isinstance(element, Line)
                indent = element.x0 - shifts.get(area_index(areas, element.bbox), 0.0)
                wrapped = wraps(previous, element)
                reader.prose(
                    element.text,
                    layout.number,
                    element.bbox,
                    starts_list_item(element.text) and not (wrapped and may_be_wrapped(element.text)),
                    indent,
                    wrapped,
                    fits(previous, element),
                    isinstance(after, Line) and opens_a_paragraph(element, after),
                )
                previous = element
            elif kind == "grid":
                heading_lines = []
                assert isinstance(element, Grid)
                reader.grid(element)
            elif kind == "note":
                heading_lines = []
                assert isinstance(element, Note)
                reader.note(element.text, layout.number, element.bbox)
            else:
                heading_lines = []
                assert isinstance(element, list)
                columns = _region_columns(element, reader.open_columns(), settings)
                if len(columns) >= 2:
                    reader.grid(
                        aligned_grid(element, columns, layout.number, settings, layout.shades, layout.rules), columns
                    )
                else:
                    # Lines of one column at the table's size: a line in bold is a heading, as in the
                    # prose (QA: two columns of post-its without prose across the page lost their categories).
                    for above, line, below in zip([None, *element], element, [*element[1:], None]):
                        indent = line.x0 - shifts.get(area_index(areas, line.bbox), 0.0)
                        if line.bold and not starts_with_a_bullet(line.text) and not wraps(above, line):
                            reader.heading(line.text, line.size, indent, measured=layout.scanned)
                            continue
                        reader.prose(
                            line.text,
                            layout.number,
                            line.bbox,
                            starts_list_item(line.text),
                            indent,
                            wraps=wraps(above, line),
                            fits=fits(above, line),
                            indented_first_line=below is not None and opens_a_paragraph(line, below),
                        )
    return reader


def _column_shifts(layout: _PageLayout, areas: Sequence[BBox]) -> dict[int, float]:
    """How far each column's left edge stands right of the page's: indentation is read from the edge
    of its column (« Mobilité », heading of the right column, was a theme under the left one's)."""
    if not layout.free_lines:
        return {}
    margin = min(line.x0 for line in layout.free_lines)
    edges: dict[int, float] = {}
    for line in layout.free_lines:
        index = area_index(areas, line.bbox)
        if areas[index].x0 > 0 or areas[index].x1 < layout.width:
            edges[index] = min(edges.get(index, line.x0), line.x0)
    return {index: edge - margin for index, edge in edges.items()}


def _header_rows(lines: Sequence[Line], settings: ExtractionSettings) -> dict[float, list[Line]]:
    """The lines of every header row, by the top of each."""
    return {
        line.top: row for row in printed_rows(lines, settings) if is_header_row(row, settings) for line in row
    }


def _inside_a_column(
    line: Line, columns: Sequence[float], last_bottom: float, body_size: float | None, settings: ExtractionSettings
) -> bool:
    """Whether `line` may go on a table of `columns` opened by its header row: it starts in one column and
    ends before the next (prose runs across them), is no larger heading, and follows the table's last line
    within `headed_table_gap_ratio` of its size."""
    if body_size is not None and line.size > body_size + settings.table_font_delta:
        return False
    if line.top - last_bottom > settings.headed_table_gap_ratio * line.size:
        return False
    return _in_one_column(line, columns, settings)


def _in_one_column(line: Line, columns: Sequence[float], settings: ExtractionSettings) -> bool:
    """Whether `line` starts in one of a table's `columns` and ends before the next."""
    snap = settings.column_snap
    column = max((i for i, start in enumerate(columns) if start <= line.x0 + snap), default=None)
    return column is not None and (column + 1 == len(columns) or line.x1 <= columns[column + 1] + snap)


def _rules_across(
    header: Sequence[Line], columns: Sequence[float], layout: _PageLayout, settings: ExtractionSettings
) -> list[BBox]:
    """The rules that part the rows of a table opened by `header` (its column starts `columns`): under it,
    across `row_rule_min_span` of its width, down to the first band between two of them holding no line
    or a line across its columns (prose under the table, before a rule at the page's foot); none unless
    `row_rule_min_count` bands at least are so ruled."""
    x0, x1 = min(line.x0 for line in header), max(line.x1 for line in header)
    bottom = max(line.bottom for line in header)
    across = sorted(
        (rule for rule in layout.rules
         if rule.top > bottom and min(rule.x1, x1) - max(rule.x0, x0) >= settings.row_rule_min_span * (x1 - x0)),
        key=lambda rule: rule.top,
    )  # fmt: skip
    kept = across[:1]
    for upper, lower in zip(across, across[1:]):
        inside = [line for line in layout.free_lines if line.top > upper.top and line.bottom < lower.top]
        if not inside or not all(_in_one_column(line, columns, settings) for line in inside):
            break
        kept.append(lower)
    return kept if len(kept) > settings.row_rule_min_count else []


def _between_rules(line: Line, rules: Sequence[BBox]) -> bool:
    """Whether `line` lies between two of a table's `rules` (`_rules_across`): in one of its rows, however far
    from the lines around it (cells centred in tall rows, QA)."""
    return any(rule.bottom < line.top for rule in rules) and any(rule.top > line.bottom for rule in rules)


def _closing_line(
    line: Line,
    last_bottom: float,
    rows_by_top: Sequence[tuple[float, list[Line]]],
    columns: Sequence[float],
    shared_tops: set[float],
    settings: ExtractionSettings,
) -> bool:
    """Whether `line`, under a table set in the prose's type (its column starts `columns`), is a line of prose
    after it (« Source : … »): alone on its printed row, set apart from the table's last line, and the rows
    below it alone too, down to a line across the columns or the end (an objective without actions, or cells
    centred in their rows, are followed by rows of several columns, QA)."""
    if line.top in shared_tops or line.top - last_bottom <= settings.paragraph_gap_ratio * line.size:
        return False
    reach = line.bottom
    for top, row in rows_by_top:
        if top <= line.top + settings.line_tolerance:
            continue
        if top in shared_tops:
            return False
        if top - reach > settings.headed_table_gap_ratio * line.size or not all(
            _in_one_column(other, columns, settings) for other in row
        ):
            return True
        reach = max(reach, *(other.bottom for other in row))
    return True


def _continues_heading(previous: Line, line: Line, settings: ExtractionSettings) -> bool:
    """A heading wrapped over two lines: same size, same indentation, close below."""
    return (
        abs(line.size - previous.size) < 0.1
        and abs(line.x0 - previous.x0) <= settings.indent_tolerance
        and line.top - previous.bottom <= line.size
    )


def _heads_a_nested_list(line: Line, after: object, settings: ExtractionSettings) -> bool:
    """Whether `line`, in bold and opening with a bullet, heads the items indented under it (`after`, the
    next element read): a category of Word's lists of two levels (QA: « • Mobilité » over « – Plus de bus »
    was read as a post-it and every category lost)."""
    words = line.words[1:] if is_list_marker(line.words[0].text) else line.words  # (the bullet may not be bold)
    return (
        bool(words)
        and all(word.bold for word in words)
        and starts_with_a_bullet(line.text)
        and isinstance(after, Line)
        and not after.bold
        and starts_list_item(after.text)
        and after.x0 > line.x0 + settings.indent_tolerance
    )


def _body_size(layouts: Sequence[_PageLayout], settings: ExtractionSettings) -> float | None:
    """The size of the pages' running prose (`prose_size`); without prose, the commonest size of their
    words, the tables' own (not that of the free lines: beside ruled tables, they may be headings only)."""
    free = [line for layout in layouts for line in layout.free_lines]
    text_width = max((line.x1 for line in free), default=0.0) - min((line.x0 for line in free), default=0.0)
    body_size = prose_size(free, text_width, settings)
    if body_size is None and free:
        sizes = Counter(round(word.size, 1) for layout in layouts for word in layout.words)
        body_size = sizes.most_common(1)[0][0] + settings.table_font_delta
    return body_size


def _line_kind(line: Line, body_size: float | None, settings: ExtractionSettings) -> str:
    """"table" for a line smaller than the prose, else "heading" for a line in bold, unless it opens with a
    bullet (QA: a post-it set in bold, its dash too, was read as a theme and lost), else "prose"."""
    if body_size is None or line.size <= body_size - settings.table_font_delta:
        return "table"
    return "heading" if line.bold and not starts_with_a_bullet(line.text) else "prose"


def _region_columns(lines: list[Line], open_columns: tuple[float, ...], settings: ExtractionSettings) -> tuple[float, ...]:
    """Column starts of an aligned table: from its header row (or two: « Objectifs | Actions | Mise en
    œuvre » over « Porteurs | Échéances », the starts of both), the table it continues, or shared left edges."""
    rows = printed_rows(lines, settings)
    first_row = sorted(rows[0], key=lambda line: line.x0)
    if is_header_row(first_row, settings):
        starts = [line.x0 for line in first_row]
        if len(rows) > 1 and is_header_row(rows[1], settings):
            for line in rows[1]:
                if all(abs(line.x0 - start) > settings.column_snap for start in starts):
                    starts.append(line.x0)
        return tuple(sorted(starts))
    if open_columns:
        return open_columns
    return aligned_columns(lines, settings)


def _to_contribution(
    draft: Draft, index: int, document: str, sha256: str, written: Spellings, located: bool = True
) -> Contribution:
    """`draft` as a record, the hyphens its line ends left unsure settled by how the document writes words."""
    return Contribution(
        idea_id=f"{sha256[:12]}-{index:04d}",
        document=document,
        document_sha256=sha256,
        page=draft.page,
        kind=draft.kind,
        text=settle_hyphens(draft.text, written),
        category=settle_hyphens(draft.category, written),
        theme=settle_hyphens(draft.theme, written),
        objective=settle_hyphens(draft.objective, written),
        bbox=draft.bbox if located else None,
        stated_axis=draft.stated_axis,
        details=tuple(Detail(d.field, settle_hyphens(d.text, written)) for d in draft.details),
        ocr_confidence=draft.ocr_confidence,
    )


__all__ = [
    "UnreadableDocument",
    "extract_bytes",
    "extract_docx_bytes",
    "extract_document",
    "extract_pdf_bytes",
    "extract_tables",
]
