"""Reading grids into contributions: what each column means, spans carried down, labels split off.

A `TableReader` is fed the elements of a report in reading order (headings, prose, grids) and
keeps what spans them: the current heading and the axis it states, and the open table whose
spanned objective or theme carries over a page break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from atelier.extract.grid import Cell, Grid, Paragraph
from atelier.extract.participation import participation_statistics
from atelier.extract.records import BBox, Detail, Kind
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import (
    compile_label_pattern,
    fold,
    header_name,
    is_caption,
    is_footnote,
    join_lines,
    label_parts,
    leaves_a_word_hanging,
    named_header,
    opens_an_action,
    split_label,
    strip_list_marker,
    without_bullet,
)

Role = str  # "theme", "objective", "action", "details", "postit"
# A page number: three digits at most, so that a year (« 2025 » in an « Échéances » column) is no page number.
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")

# What may come before a heading's words: a number ("3.", "III -"), "Annexe 2 :", an article.
_HEADING_LEAD = re.compile(r"^(?:(?:annexe|[ivx]+|\d+)\b[\s.:)\-–]*)*(?:(?:les|la|le|l')\s*)?")


def lists_participants(folded_heading: str, settings: ExtractionSettings) -> bool:
    """Whether a heading (`fold`ed) opens a list of who came ("Liste des participants",
    "Étaient présents", "Annexe : les participants"), not a section of their ideas
    ("Propositions des participants"): one of `skipped_sections` starts it."""
    words = _HEADING_LEAD.sub("", folded_heading, count=1).strip()
    return any(
        words == name or not words[len(name)].isalnum()
        for name in map(fold, settings.skipped_sections)
        if words.startswith(name)
    )


@dataclass(slots=True)
class Draft:
    """A contribution before it has its document and id."""

    page: int
    kind: Kind
    text: str
    bbox: BBox
    category: str = ""
    theme: str = ""
    objective: str = ""
    stated_axis: str | None = None
    details: list[Detail] = field(default_factory=list)
    ocr_confidence: float | None = None
    table: int = 0


@dataclass(slots=True)
class _OpenTable:
    roles: tuple[Role, ...]
    number: int = 0
    heading_serial: int = 0
    has_header: bool = False
    last_page: int = 0
    axes_stated_before: int = 0
    category: str = ""
    carried: dict[Role, str] = field(default_factory=dict)
    last_actions: list[Draft] = field(default_factory=list)
    columns: tuple[float, ...] = ()
    # Per column, the field of a sub-field without a label, when the header names one ("FREINS").
    details_fields: tuple[str, ...] = ()


@dataclass(slots=True)
class _PostitOutline:
    """A post-it section printed as bulleted lists: its heading's size and indentation, and where we are in it."""

    size: float
    x0: float
    measured: bool  # its size measured on a scan's image, not read in a text layer
    category: str = ""
    category_x0: float | None = None
    theme: str = ""
    theme_x0: float | None = None
    last: Draft | None = None
    last_read: bool = False  # the line read last is part of `last`
    item_x0: float | None = None  # the indentation of its items (their markers', or their text's without)
    marked: bool = False  # an item with a marker was read under the category
    leading: list[Draft] = field(default_factory=list)  # the category's unmarked items read before any marked one


_SENTENCE_ENDS = (".", "!", "?", "…")


def names_people(cells: tuple[Cell | None, ...], settings: ExtractionSettings) -> bool:
    """Whether a table row is the header of a list of people ("Nom | Prénom | Structure | Courriel"):
    a cell of `person_header_cells` and another of those or of `contact_header_cells`."""
    folded = [fold(cell.text).strip(" :") for cell in cells if cell is not None and not cell.is_empty]
    people = sum(text in settings.person_header_cells for text in folded)
    return people >= 1 and people + sum(text in settings.contact_header_cells for text in folded) >= 2


def header_roles(cells: tuple[Cell | None, ...], settings: ExtractionSettings) -> tuple[Role, ...] | None:
    """The roles of a header row ("OBJECTIFS | ACTIONS | FREINS / MODALITES"), or None. A header
    names a column of objectives, actions or post-its: « Freins | Leviers » alone is read as a
    table of post-its (QA: as a header, its rows gave no idea at all)."""
    known = dict(settings.header_roles)
    roles = []
    for cell in cells:
        if cell is None or cell.is_empty:
            return None
        written = named_header(cell.text, known)
        if written is None:
            return None
        roles.append(known[header_name(written)])
    if len(roles) < 2 or not {"objective", "action", "postit"} & set(roles):
        return None
    return tuple(roles)


def table_header(
    rows: Sequence[tuple[Cell | None, ...]], settings: ExtractionSettings
) -> tuple[tuple[Cell | None, ...], int] | None:
    """The header of a table's first `rows` and how many rows it takes: a row naming its columns
    (`header_roles`), or two, the upper one grouping columns under a name of its own (« Objectifs |
    Actions | Mise en œuvre » over « Porteurs | Échéances »): each column is named by its lower cell,
    else by the upper one, spanning both rows or over an empty cell."""
    if not rows:
        return None
    if header_roles(rows[0], settings) is not None:
        return rows[0], 1
    if len(rows) < 2 or len(rows[0]) != len(rows[1]):
        return None
    merged = tuple(
        lower if lower is not None and not lower.is_empty else upper for upper, lower in zip(rows[0], rows[1])
    )
    named_below = any(lower is not None and not lower.is_empty for lower in rows[1])
    return (merged, 2) if named_below and header_roles(merged, settings) is not None else None


def _joined_row(upper: tuple[Cell | None, ...], lower: tuple[Cell | None, ...]) -> tuple[Cell | None, ...]:
    """A row a page break cut, its two parts joined cell by cell: a cell's text going on in lower case on the
    next page ends the paragraph the page cut; its other paragraphs follow."""
    joined: list[Cell | None] = []
    for index in range(max(len(upper), len(lower))):
        above = upper[index] if index < len(upper) else None
        below = lower[index] if index < len(lower) else None
        if below is None or below.is_empty:
            joined.append(above)
        elif above is None or above.is_empty:
            joined.append(below)
        else:
            first, *rest = below.paragraphs
            paragraphs = list(above.paragraphs)
            if first.text[:1].islower():
                last = paragraphs.pop()
                paragraphs.append(
                    Paragraph(text=join_lines([last.text, first.text]), bbox=last.bbox, bold=last.bold and first.bold)
                )
            else:
                paragraphs.append(first)
            joined.append(Cell(paragraphs=(*paragraphs, *rest), bbox=above.bbox))
    return tuple(joined)


def default_roles(column_count: int, has_axis: bool) -> tuple[Role, ...] | None:
    if column_count == 2:
        return ("objective", "action") if has_axis else ("theme", "postit")
    if column_count == 3:
        return ("objective", "action", "details")
    if column_count == 4:
        return ("theme", "objective", "action", "details")
    return None


class TableReader:
    """Turns headings and grids, in reading order, into drafts of contributions."""

    def __init__(self, settings: ExtractionSettings) -> None:
        self.settings = settings
        self.drafts: list[Draft] = []
        self.grids: list[Grid] = []
        self.statistics: dict[str, int] = {
            "tables": 0,
            "tables_skipped": 0,
            "participants_listed": 0,
            "page_numbers_in_cells": 0,
            "footnotes_in_cells": 0,
        }
        # The pages of tables left unread: no header names their columns and their number gives no roles.
        self.unread_table_pages: list[int] = []
        # Items of lists outside any post-it list under a heading that may name ideas (`prose`): per heading
        # (its serial and text), the page of the first and how many.
        self.unread_list_items: dict[tuple[int, str], list[int]] = {}
        self._labels = compile_label_pattern(tuple(settings.detail_labels))
        self._counted_fields = frozenset(fold(name) for name in settings.counted_detail_fields)
        self._axis_pattern = re.compile(settings.axis_heading_pattern, re.IGNORECASE)
        self._heading = ""
        self._axis: str | None = None
        self._skipping = False
        self._table: _OpenTable | None = None
        # The last row of the last grid read, kept until what follows shows whether the next page goes on
        # with it (a row broken across a page, `_goes_on`): its page and cells.
        self._pending: tuple[int, tuple[Cell | None, ...]] | None = None
        self._interrupted = True
        self._prose_runs: list[list[str]] = []
        self._in_prose = False
        self._postit_pattern = re.compile(settings.postit_section_pattern)
        self._unread_ideas_pattern = re.compile(settings.unread_ideas_heading_pattern)
        self._postit_list: _PostitOutline | None = None
        self._heading_serial = 0
        self._stated_axes: list[tuple[str, str]] = []
        self._header_tables: list[_OpenTable] = []

    # Elements -----------------------------------------------------------------------------

    def heading(self, text: str, size: float | None = None, x0: float | None = None, measured: bool = False) -> None:
        """A heading; with its size and indentation, it can also be a level of a post-it list. `measured`:
        its size was measured on a scan's image."""
        self._read_pending()
        self._in_prose = False
        self._interrupted = True
        outline, folded = self._postit_list, fold(text)
        # A heading of participants (« Étaient présents ») ends a post-it list, whatever its size (QA: under
        # a smaller one, the names typed without markers were read as its post-its).
        if (
            outline is not None
            and size is not None
            and x0 is not None
            and size < outline.size - self._smaller_by(outline, measured)
            and not lists_participants(folded, self.settings)
        ):
            if x0 > outline.x0 + self.settings.indent_tolerance:
                outline.theme, outline.theme_x0 = text, x0
            else:
                outline.category, outline.category_x0, outline.theme, outline.theme_x0 = text, x0, "", None
            outline.last, outline.marked, outline.leading = None, False, []
            return
        self._heading = text
        self._heading_serial += 1
        match = self._axis_pattern.match(folded)
        self._axis = match.group(1) if match else None
        if self._axis is not None and self._axis not in (axis for axis, _ in self._stated_axes):
            self._stated_axes.append((self._axis, text))
        self._skipping = lists_participants(folded, self.settings)
        opens_list = size is not None and x0 is not None and self._postit_pattern.search(folded)
        self._postit_list = _PostitOutline(size=size, x0=x0, measured=measured) if opens_list else None

    def _smaller_by(self, outline: _PostitOutline, measured: bool) -> float:
        """How much smaller than a post-it list's heading one must be to be a level of the list: a size
        measured on a scan is compared with a text layer's only within `ocr_size_tolerance` (QA: a
        digital page's « Synthèse des propositions », 12 pt, was read as a level of the scanned page's
        « Post-it des participants », measured 12.5 pt, and its tables took the post-its' heading)."""
        if outline.measured == measured:
            return self.settings.heading_size_step
        return self.settings.ocr_size_tolerance * outline.size

    def prose(
        self,
        text: str,
        page: int = 1,
        bbox: BBox | None = None,
        starts_item: bool = False,
        indent: float | None = None,
        wraps: bool = False,
        fits: bool = False,
        indented_first_line: bool = False,
    ) -> None:
        """A line of running text: it ends any open table and may state participation figures.

        Under a post-it heading, a bulleted line is a post-it and the lines indented under it
        continue it, and so do the lines that wrap it back to its marker or left of it (`wraps`: the
        line is the text of the line read just before, wrapped); the category and theme are the
        list's headings above it. A line without a marker set where the list's items are is a post-it
        too (`_unmarked_item`), unless, not wrapping the line above, it opens a paragraph whose next lines
        start left of it (`indented_first_line`: QA, a paragraph of commentary indented at its first line,
        the body style of French Word reports, was a post-it or went on the one above). `indent` is the
        line's indentation from the edge of its column (`bbox.x0` on a page of one column); `fits`, whether
        its first word would have fitted at the end of the line read just before (that line was not wrapped).
        """
        self._read_pending()
        outline = self._postit_list
        if outline is not None and bbox is not None and is_caption(text):
            outline.last_read = False  # a photo's caption is no post-it, nor part of one
        elif outline is not None and bbox is not None:
            indent = bbox.x0 if indent is None else indent
            # A line that wraps a post-it, set at its text's indentation, goes on with it even when it opens
            # as an item would (QA: « … de 3 % en 2020 à » ⏎ « 12. Objectif fixé par le PDU », « – surtout
            # en hiver – … » became post-its of their own): the list's items start at their markers.
            hanging = outline.item_x0 is not None and indent > outline.item_x0 + self.settings.indent_tolerance
            if starts_item and not (wraps and hanging and outline.last_read):
                outline.item_x0, outline.marked = indent, True
                self._drop_leading_commentary(outline)
                self._add_postit(outline, strip_list_marker(text), page, bbox, indent)
                return
            # A post-it goes on in lines indented under its text, which start within its width: a
            # caption further right, beside or below it, is no part of it (QA: « Photo 1 : les
            # participants au travail » was glued to « Installer des parkings relais »). Without a
            # hanging indent, it goes on in the line that wraps its last line, back at its marker or
            # left of it (QA: « • Créer des jardins partagés … » lost « secteur », its second line).
            # A line opening as an action does (« Attirer des… ») after a line it did not wrap, which left
            # no word hanging, is another idea (QA: a post-it whose marker was forgotten, its indent kept,
            # was glued to the one above; « … par le » ⏎ « CCAS et la CAF », « 10 » ⏎ « M€ », « … du
            # quartier » ⏎ « Empalot » beside a photo go on).
            last = outline.last
            paragraph = indented_first_line and not wraps
            anew = (
                fits
                and last is not None
                and opens_an_action(text, last.text)
                and not last.text.rstrip().endswith(_SENTENCE_ENDS)  # (a post-it of two sentences, QA)
            ) or paragraph
            if last is not None and bbox.x0 < last.bbox.x1 and not anew and (
                bbox.x0 > last.bbox.x0 + self.settings.indent_tolerance or (wraps and outline.last_read)
            ):
                last.text = join_lines([last.text, text])
                last.bbox = last.bbox.union(bbox)
                outline.last_read = True
                return
            if not paragraph and self._unmarked_item(outline, text, indent, bbox):
                outline.item_x0 = outline.item_x0 if outline.item_x0 is not None else indent
                self._add_postit(outline, text, page, bbox, indent)
                if not outline.marked:
                    outline.leading.append(self.drafts[-1])
                return
            outline.last_read = False
        elif starts_item and not self._skipping and self._unread_ideas_pattern.search(fold(self._heading)):
            unread = self.unread_list_items.setdefault((self._heading_serial, self._heading), [page, 0])
            unread[1] += 1
        if not self._in_prose:
            self._prose_runs.append([])
        self._prose_runs[-1].append(text)
        self._in_prose = True
        self._interrupted = True

    def _add_postit(self, outline: _PostitOutline, text: str, page: int, bbox: BBox, indent: float) -> None:
        # Under a category, an item is its theme's when indented under it; with no category above, a theme
        # is every item's (QA: beside a photo, the right column's headings, indented from the page's title,
        # were themes, and their post-its, set at their indentation, had none).
        under_theme = outline.theme_x0 is not None and (
            indent > outline.theme_x0 + self.settings.indent_tolerance or not outline.category
        )
        theme = outline.theme if under_theme else ""
        outline.last = Draft(page=page, kind="postit", text=text, bbox=bbox, category=outline.category, theme=theme)
        self.drafts.append(outline.last)
        outline.last_read = True
        self._interrupted = True

    def _drop_leading_commentary(self, outline: _PostitOutline) -> None:
        """The first marked item of a category shows its list: the unmarked lines read before it as its items
        were commentary when they read as sentences, long or closed by a full stop (QA: « Ce thème a suscité
        de nombreux échanges… », indented above the post-its, was one); the others are items whose marker was
        forgotten."""
        commentary = [
            draft
            for draft in outline.leading
            if len(draft.text) > self.settings.commentary_min_chars or draft.text.rstrip().endswith(_SENTENCE_ENDS)
        ]
        for draft in commentary:
            self.drafts.remove(draft)
            self._prose_runs.append([draft.text])
        outline.leading = []

    def _unmarked_item(self, outline: _PostitOutline, text: str, indent: float, bbox: BBox) -> bool:
        """Whether a line without a marker, under a category or theme of a post-it list, is one of its
        items: set where they are, at their markers or their text (QA: a post-it whose marker was
        forgotten was lost), or, none read yet, indented under its heading (QA: a category whose
        post-its had no markers lost them all, silently). Prose starts at the heading's indentation; a
        line that introduces what follows (« Propositions des participants : ») or a note in brackets
        (« (post-it recopiés tels quels) ») is none."""
        heading_x0 = outline.theme_x0 if outline.theme_x0 is not None else outline.category_x0
        stripped = text.strip()
        if heading_x0 is None or stripped.endswith(":") or (stripped.startswith("(") and stripped.endswith(")")):
            return False
        if not any(c.isalnum() for c in stripped):
            return False  # (QA: a scan's marker read « -_ » on a line of its own)
        tolerance = self.settings.indent_tolerance
        if outline.item_x0 is None:
            return indent > heading_x0 + tolerance
        room = (self.settings.marker_gap_ratio + 1.0) * (bbox.bottom - bbox.top)  # a marker and its gap
        return outline.item_x0 - tolerance <= indent <= outline.item_x0 + room and indent > heading_x0 + tolerance

    def note(self, text: str, page: int, bbox: BBox) -> None:
        """A post-it drawn as a box (`layout.notes_on_page`): filed under the post-it list's headings when
        one is open, else under the current heading."""
        self._read_pending()
        self._in_prose = False
        self._interrupted = True
        outline = self._postit_list
        category, theme = (outline.category, outline.theme) if outline is not None else (self._heading, "")
        self.drafts.append(Draft(page=page, kind="postit", text=text, bbox=bbox, category=category, theme=theme))

    def texts_read(self) -> list[str]:
        """Every text read: the drafts' and the prose's (what a Word document writes, for `text.spellings`)."""
        drafts = [text for d in self.drafts for text in (d.text, d.category, d.theme, d.objective)]
        return drafts + [line for run in self._prose_runs for line in run]

    def document_statistics(self) -> dict[str, int]:
        """Counts of tables read and skipped, and participation figures stated in the prose."""
        return {**self.statistics, **participation_statistics(" ".join(run) for run in self._prose_runs)}

    def open_columns(self) -> tuple[float, ...]:
        """Column starts of the table a page-top grid without ruling lines may continue."""
        if self._table is None or self._interrupted:
            return ()
        return self._table.columns

    def grid(self, grid: Grid, columns: tuple[float, ...] = ()) -> None:
        self.grids.append(grid)
        self._in_prose = False
        people = next((number for number, row in enumerate(grid.rows) if names_people(row, self.settings)), None)
        if self._skipping or people == 0:
            self._skip_people(grid.rows)
            return
        rows = list(grid.rows if people is None else grid.rows[:people])
        header = table_header(rows, self.settings)
        roles = header_roles(header[0], self.settings) if header is not None else None
        if header is not None:
            rows = rows[header[1] :]
        # A table goes on over a page break, its header repeated or not; on the same page, a
        # header row starts another table.
        continuing = (
            self._table is not None
            and not self._interrupted
            and len(self._table.roles) == grid.column_count
            and (roles is None or (roles == self._table.roles and grid.page > self._table.last_page))
        )
        if continuing and rows and self._pending is not None and grid.page > self._pending[0]:
            if self._goes_on(rows[0]):
                page, upper = self._pending
                self._pending = None
                self._read_row(page, _joined_row(upper, rows.pop(0)))
        self._read_pending()
        if not continuing:
            roles = roles or default_roles(grid.column_count, self._axis is not None)
            if roles is None:
                self.statistics["tables_skipped"] += 1
                self.unread_table_pages.append(grid.page)
                self._interrupted = False
                return
            self._start_table(roles, header=header[0] if header is not None else None)
        assert self._table is not None
        if columns:
            self._table.columns = columns
        for number, row in enumerate(rows):
            if header_roles(row, self.settings) == self._table.roles:
                self._start_table(self._table.roles, header=row)
                continue
            if number == len(rows) - 1:
                self._pending = (grid.page, row)
            else:
                self._read_row(grid.page, row)
        self._table.last_page = grid.page
        self._interrupted = False
        if people is not None:  # the list of who came follows the ideas in one grid
            self._skip_people(grid.rows[people:])

    def _skip_people(self, rows: Sequence[tuple[Cell | None, ...]]) -> None:
        """Rows of a list of people (`lists_participants`, `names_people`): counted (not their
        header), never read; so is what continues it up to the next heading."""
        self._read_pending()
        self._skipping = True
        self.statistics["tables_skipped"] += 1
        self.statistics["participants_listed"] += sum(
            1
            for row in rows
            if row and row[0] is not None and not row[0].is_empty and not names_people(row, self.settings)
        )
        self._interrupted = False

    def _start_table(self, roles: tuple[Role, ...], header: tuple[Cell | None, ...] | None) -> None:
        self.statistics["tables"] += 1
        self._table = _OpenTable(
            roles=roles,
            number=self.statistics["tables"],
            heading_serial=self._heading_serial,
            has_header=header is not None,
            axes_stated_before=len(self._stated_axes),
            details_fields=tuple(self._named_field(role, cell) for role, cell in zip(roles, header or ())),
        )
        if header is not None:
            self._header_tables.append(self._table)

    def _named_field(self, role: Role, cell: Cell | None) -> str:
        """The field a details column's header files its unlabelled text under: the label it names
        ("FREINS": « Freins »; QA, its text was filed under « Modalités »), else, naming labels together,
        the header as written (« FREINS / LEVIERS »: « Freins / leviers », not « Modalités »), but
        for those naming « Modalités », the default (`unlabelled_detail_field`)."""
        if role != "details" or cell is None:
            return ""
        written = named_header(cell.text, dict(self.settings.header_roles)) or cell.text
        named = header_name(written)
        label = next((label for label in self.settings.detail_labels if fold(label) == named), "")
        if label or fold(self.settings.unlabelled_detail_field) in named:
            return label
        written = written.strip().rstrip(" :")
        return written[:1].upper() + written[1:].lower()

    def finish(self) -> list[Draft]:
        """The drafts, once tables are placed by the document's order where no heading places them.

        A report may print its detailed tables one after another under a single heading, after
        "AXE 1" … "AXE k" headings earlier on (the seed report does): k such tables with header
        rows, under one heading, are the axes 1 … k in order; but a row whose « Axe » cell names its
        axis keeps it (QA: « Axe 2 : Emploi » in the first table was filed under axis 1).
        """
        self._read_pending()
        runs: dict[int, list[_OpenTable]] = {}
        for table in self._header_tables:
            runs.setdefault(table.heading_serial, []).append(table)
        for tables in runs.values():
            if len(tables) < 2 or len(tables) != tables[0].axes_stated_before:
                continue
            placement = dict(zip((table.number for table in tables), self._stated_axes))
            for draft in self.drafts:
                if draft.table in placement and not self._axis_pattern.match(fold(draft.theme)):
                    draft.stated_axis, draft.category = placement[draft.table]
        return self.drafts

    # Rows ---------------------------------------------------------------------------------

    def _read_pending(self) -> None:
        if self._pending is not None:
            page, row = self._pending
            self._pending = None
            self._read_row(page, row)

    def _goes_on(self, row: tuple[Cell | None, ...]) -> bool:
        """Whether `row`, first of a page, is the rest of the last row read (`_pending`), which a page break cut
        (Word breaks rows across pages): its objective or theme cell empty, and a cell going on in lower case
        an action or a post-it (those open with a capital), or a cell above that leaves a word hanging (QA:
        « Prêter des wattmètres à la » ⏎ « médiathèque » were two actions, the second without the row's
        details; « Espace France Rénov', » ⏎ « médiathèques, CCAS », two « Porteurs »)."""
        table = self._table
        if table is None or self._pending is None:
            return False
        upper = self._pending[1]
        for role, cell in zip(table.roles, row):
            if role in ("objective", "theme") and cell is not None and not cell.is_empty:
                return False
        for index, (role, cell) in enumerate(zip(table.roles, row)):
            if cell is None or cell.is_empty or not cell.paragraphs[0].text[:1].islower():
                continue
            above = upper[index] if index < len(upper) else None
            if role in ("action", "postit") or (
                above is not None and not above.is_empty and leaves_a_word_hanging(above.paragraphs[-1].text)
            ):
                return True
        return False

    def _read_row(self, page: int, row: tuple[Cell | None, ...]) -> None:
        table = self._table
        assert table is not None
        # (A number alone in a column of budgets or dates is its value, not a page number caught in the cell.)
        counted = {i for i, named in enumerate(table.details_fields) if fold(named) in self._counted_fields}
        cells = [cell if i in counted else self._without_strays(cell) for i, cell in enumerate(row)]
        cells += [None] * (len(table.roles) - len(row))
        filled = [c for c in cells if c is not None and not c.is_empty]
        if not filled:
            return
        first = cells[0]
        if first is not None and first.bold and len(filled) == 1 and filled[0] is first:
            table.category = first.text
            table.carried.clear()
            return
        if table.roles == ("theme", "postit") and self._is_lone_postit(cells):
            assert first is not None
            self._add(page, "postit", without_bullet(first.text), first.bbox, theme="")
            return

        for role, cell in zip(table.roles, cells):
            if role in ("theme", "objective") and cell is not None and not cell.is_empty:
                objective = without_bullet(cell.text)  # (QA: « (cid:127) Relier les quartiers… »)
                if role == "objective" and objective != table.carried.get("objective"):
                    table.carried["objective"] = objective
                    self._add(page, "objective", objective, cell.bbox, theme=table.carried.get("theme", ""))
                elif role == "theme":
                    if cell.text != table.carried.get("theme"):
                        table.carried.pop("objective", None)
                    table.carried["theme"] = cell.text

        row_actions: list[Draft] = []
        for role, cell in zip(table.roles, cells):
            if cell is None or cell.is_empty:
                continue
            if role == "postit":
                self._add(page, "postit", without_bullet(cell.text), cell.bbox, theme=table.carried.get("theme", ""))
            elif role == "action":
                row_actions.extend(self._read_actions(page, cell))
        if row_actions:
            table.last_actions = row_actions
        fields = table.details_fields or ("",) * len(table.roles)
        for role, cell, named in zip(table.roles, cells, fields):
            if role == "details" and cell is not None and not cell.is_empty:
                details = self._read_details(cell, named)
                for action in row_actions or table.last_actions:
                    action.details.extend(details)

    def _without_strays(self, cell: Cell | None) -> Cell | None:
        """The cell without paragraphs that are a bare page number caught inside it ("5", "– 5 –"), or a footnote
        (« ¹ Syndicat mixte… » under the table, QA: read as an objective)."""
        if cell is None:
            return None
        numbers = [p for p in cell.paragraphs if _PAGE_NUMBER.match(p.text)]
        notes = [p for p in cell.paragraphs if is_footnote(p.text)]
        if not numbers and not notes:
            return cell
        self.statistics["page_numbers_in_cells"] += len(numbers)
        self.statistics["footnotes_in_cells"] += len(notes)
        strays = {id(p) for p in (*numbers, *notes)}
        return Cell(paragraphs=tuple(p for p in cell.paragraphs if id(p) not in strays), bbox=cell.bbox)

    def _is_lone_postit(self, cells: list[Cell | None]) -> bool:
        theme, postit = cells[0], cells[1]
        return (
            theme is not None
            and not theme.is_empty
            and not theme.bold
            and postit is not None
            and postit.is_empty
        )

    def _read_actions(self, page: int, cell: Cell) -> list[Draft]:
        table = self._table
        assert table is not None
        actions: list[Draft] = []
        for paragraph in cell.paragraphs:
            labelled = split_label(paragraph.text, self._labels)
            if labelled is not None and (actions or table.last_actions):
                for field_name, value in label_parts(paragraph.text, self._labels):
                    if value:
                        (actions or table.last_actions)[-1].details.append(Detail(field_name or "", value))
                continue
            text = strip_list_marker(paragraph.text)
            if not text:
                continue
            actions.append(
                self._add(
                    page,
                    "action",
                    text,
                    paragraph.bbox,
                    theme=table.carried.get("theme", ""),
                    objective=table.carried.get("objective", ""),
                )
            )
        return actions

    def _read_details(self, cell: Cell, named: str) -> list[Detail]:
        """The sub-fields of a details cell; those without a label go under its column's `named` field, or
        under the label standing alone on the line above them (« Freins : » over « - manque de bénévoles »,
        « - assurance »: QA, filed under « Modalités », the word « Freins » lost)."""
        details = []
        heading = ""  # a label alone on its line: the field of the lines under it
        for paragraph in cell.paragraphs:
            for field_name, value in label_parts(paragraph.text, self._labels):
                if field_name is None:
                    field_name = heading or named or self.settings.unlabelled_detail_field
                    value = strip_list_marker(value)
                else:
                    heading = "" if value else field_name
                if value:
                    details.append(Detail(field_name, value))
        return details

    def _stated_axis(self, theme: str) -> str | None:
        """The axis a row's theme states (an « Axe » column: « Axe 1 : Solidarités »), else its heading's."""
        match = self._axis_pattern.match(fold(theme))
        return match.group(1) if match else self._axis

    def _add(self, page: int, kind: Kind, text: str, bbox: BBox, theme: str = "", objective: str = "") -> Draft:
        table = self._table
        assert table is not None
        in_postit_table = "postit" in table.roles
        draft = Draft(
            page=page,
            kind=kind,
            text=text,
            bbox=bbox,
            category=table.category if in_postit_table else self._heading,
            theme=theme,
            objective=objective,
            stated_axis=None if in_postit_table else self._stated_axis(theme),
            table=table.number,
        )
        self.drafts.append(draft)
        return draft
