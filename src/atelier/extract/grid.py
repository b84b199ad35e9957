"""Tables as grids of cells, found either from ruling lines or from the alignment of text.

Both finders return the same `Grid`: rows of cells where `None` marks a cell covered by a
cell spanning from above or from the left (pdfplumber's convention), so that the reading of
tables (`tables.py`) does not depend on how the table was drawn.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from atelier.extract.layout import (
    Line,
    RuledTable,
    Word,
    fits_after,
    group_lines,
    is_header_row,
    joined_rules,
    printed_rows,
    words_inside,
)
from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import (
    compile_label_pattern,
    guessed_marker,
    is_footnote,
    join_lines,
    may_be_wrapped,
    opens_a_numbered_list,
    opens_a_sub_field,
    opens_an_action,
    starts_list_item,
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bbox: BBox
    bold: bool


@dataclass(frozen=True, slots=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    bbox: BBox

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)

    @property
    def bold(self) -> bool:
        return bool(self.paragraphs) and all(p.bold for p in self.paragraphs)

    @property
    def is_empty(self) -> bool:
        return not self.paragraphs


@dataclass(frozen=True, slots=True)
class Grid:
    page: int
    bbox: BBox
    rows: tuple[tuple[Cell | None, ...], ...]
    ruled: bool

    @property
    def column_count(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def paragraphs_of(
    lines: Sequence[Line], settings: ExtractionSettings, starts: frozenset[int] | set[int] = frozenset()
) -> tuple[Paragraph, ...]:
    """Split the lines of one cell into paragraphs: at a vertical gap, a list marker, a labelled sub-field
    or a line of `starts` (ids: lines known to open a paragraph, `aligned_grid`)."""
    ordered = sorted(lines, key=lambda line: (line.top, line.x0))
    labels = compile_label_pattern(tuple(settings.detail_labels))
    groups: list[list[Line]] = []
    for index, line in enumerate(ordered):
        if groups:
            previous = groups[-1][-1]
            gap = line.top - previous.bottom
            # (« 1 - fois par trimestre » under a line of the cell, no item above opening so: a wrap, QA)
            opens_item = starts_list_item(line.text) and not (
                may_be_wrapped(line.text) and not any(guessed_marker(above.text) for above in ordered[:index])
            )
            same_paragraph = (
                gap <= settings.paragraph_gap_ratio * line.size
                and not opens_item
                and id(line) not in starts
                and not opens_an_action(line.text, previous.text)
                and not opens_a_sub_field(line.text, previous.text, labels)
                and not is_footnote(line.text)
            )
            if same_paragraph:
                groups[-1].append(line)
                continue
        groups.append([line])
    paragraphs = []
    for group in groups:
        box = group[0].bbox
        for line in group[1:]:
            box = box.union(line.bbox)
        paragraphs.append(
            Paragraph(text=join_lines(line.text for line in group), bbox=box, bold=all(line.bold for line in group))
        )
    return tuple(p for p in paragraphs if p.text)


def cell_from_words(words: Sequence[Word], box: BBox, settings: ExtractionSettings) -> Cell:
    return Cell(paragraphs=paragraphs_of(group_lines(words, settings), settings), bbox=box)


def ruled_grids(
    tables: Sequence[RuledTable], words: Sequence[Word], page_number: int, settings: ExtractionSettings
) -> list[Grid]:
    """Tables drawn with ruling lines (`layout.ruled_tables`) as grids, each cell holding the words inside it."""
    grids = []
    for table in tables:
        rows = tuple(
            tuple(None if box is None else cell_from_words(words_inside(words, box), box, settings) for box in row)
            for row in table.rows
        )
        if len(rows) and max(len(r) for r in rows) >= 2:
            grids.append(Grid(page=page_number, bbox=table.bbox, rows=rows, ruled=True))
    return grids


def aligned_columns(lines: Sequence[Line], settings: ExtractionSettings) -> tuple[float, ...]:
    """Column starts of a table without ruling lines.

    Only printed rows with text in several places say where columns are: the horizontal
    extents of their lines, merged where they overlap, are the columns. Left-, right- and
    centre-aligned columns are all found this way.
    """
    spans = sorted(
        (line.x0, line.x1) for row in printed_rows(lines, settings) if len(row) >= 2 for line in row
    )
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + settings.column_snap:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return tuple(start for start, _ in columns)


def aligned_grid(
    lines: Sequence[Line],
    columns: Sequence[float],
    page_number: int,
    settings: ExtractionSettings,
    shades: Sequence[BBox] = (),
    rules: Sequence[BBox] = (),
) -> Grid:
    """A grid read from text alignment alone, or from alignment and horizontal rules.

    Each column's lines are cut into cells at gaps taller than `row_gap_ratio` of the font size,
    and at an edge of a shaded row or cell (`shades`) between two lines, whatever their spacing.
    Cells are top-aligned: a row starts wherever any column starts a cell, and a cell that
    reaches below the start of the next rows covers them (`None`), as a spanning cell would.
    A table ruled between its rows (`_row_rules`: horizontal rules, or the edges of rows shaded across it) is
    cut at its rules only, as a ruled table is (QA: in Word's tables with horizontal borders only, « 1 - Rompre
    l'isolement des » ⏎ « personnes âgées » was cut into two rows, its objective and actions split).
    """
    per_column = _lines_by_column(lines, columns, settings)
    all_lines = [line for column_lines in per_column for line in column_lines]
    table_box = all_lines[0].bbox
    for line in all_lines[1:]:
        table_box = table_box.union(line.bbox)
    rights = [x - settings.column_snap for x in columns[1:]] + [table_box.x1]

    ordered = [sorted(column_lines, key=lambda ln: ln.top) for column_lines in per_column]
    # A column's text surely had room up to its widest line; it may have had more, up to the next
    # column, less the cells' padding, which is not known.
    widest = [max((line.x1 for line in lines_), default=table_box.x1) for lines_ in ordered]
    parted = _rows_parted_by_padding(ordered, settings)
    padded = parted >= 2
    listing = [_lists_going_on(lines_, settings) for lines_ in ordered]

    def beside_lists(col: int, line: Line) -> bool:
        """Whether every other column with a line at the height of `line` goes on with a list there."""
        near = settings.line_tolerance
        beside = [
            listing[other]
            for other, lines_ in enumerate(ordered)
            if other != col and any(abs(x.top - line.top) <= near for x in lines_)
        ]
        return bool(beside) and all(any(abs(top - line.top) <= near for top in tops) for tops in beside)

    shade_edges = [
        BBox(box.x0, edge, box.x1, edge) for box in _row_shades(ordered, shades) for edge in (box.top, box.bottom)
    ]
    row_rules = _row_rules(all_lines, table_box, joined_rules([*rules, *shade_edges], settings), settings)
    if row_rules:
        return _banded_grid(ordered, lines, row_rules, columns, table_box, page_number, settings)
    centred = _centred_rows(ordered, table_box, settings)
    if centred:
        return _banded_grid(ordered, lines, centred, columns, table_box, page_number, settings)
    verdicts = [
        [
            "break"
            if _shade_edge_between(a, b, shades)
            else _line_break(
                a,
                b,
                (widest[col], rights[col]),
                _tops_except(ordered, col),
                padded and col == 0 and beside_lists(col, b),
                settings,
            )
            for a, b in zip(lines_, lines_[1:])
        ]
        for col, lines_ in enumerate(ordered)
    ]
    verdicts = _wraps_in_cells(ordered, verdicts, shades, parted, settings)
    verdicts = _settle_doubts(ordered, _items_beside_wraps(ordered, verdicts, settings), padded, settings)
    verdicts = _rows_parted_by_white(ordered, verdicts, padded, settings)
    verdicts = _rows_parted_by_wider_gaps(ordered, verdicts, settings)
    verdicts = _header_row_apart(ordered, verdicts, lines, settings)
    # A row the first column surely starts, after white wider than a row's (`row_gap_ratio`), starts there in
    # every column: a list item or a line opening with a capital set at its top goes with it (QA-style: « - Créer
    # un café des aînés », or « Développer le covoiturage » unmarked at no padding, beside the next objective,
    # went on the list of the row above).
    first_column = ordered[0] if ordered else []
    row_starts = [b.top for a, b in zip(first_column, first_column[1:]) if b.top - a.bottom > settings.row_gap_ratio * b.size]
    # So does a list numbered anew in any column (« 1) Créer un café des aînés » under « 1) Ouvrir un forum… »:
    # QA-style, at no padding, the objective beside it was glued to the one above).
    restarts = _lists_numbered_anew(ordered)
    if restarts:
        row_starts += [line.top for line in restarts.values()]
        verdicts = [
            ["break" if id(b) in restarts else verdict for b, verdict in zip(lines_[1:], column_verdicts)]
            for lines_, column_verdicts in zip(ordered, verdicts)
        ]
    return _grid_of(ordered, verdicts, row_starts, columns, table_box, page_number, settings)


def _lists_numbered_anew(ordered: Sequence[Sequence[Line]]) -> dict[int, Line]:
    """The lines, by id, that open a list numbered from 1 (« 1) », « 1. », « a) ») under an item of a list
    in their column: a new cell's list."""
    restarts: dict[int, Line] = {}
    for lines_ in ordered:
        listing = False
        for line in lines_:
            if listing and opens_a_numbered_list(line.text):
                restarts[id(line)] = line
            listing = listing or starts_list_item(line.text)
    return restarts


def _row_shades(ordered: Sequence[Sequence[Line]], shades: Sequence[BBox]) -> list[BBox]:
    """The shaded boxes behind a table that are rows of it, their edges its row boundaries: none unless each box
    holding text holds it in two columns at least (a category's heading shaded across the table is a section,
    not a row: the rows under it are not shaded one by one)."""
    holding = [
        {
            col
            for col, lines_ in enumerate(ordered)
            for line in lines_
            if box.top < (line.top + line.bottom) / 2 < box.bottom
        }
        for box in shades
    ]
    if any(len(columns) == 1 for columns in holding):
        return []
    return [box for box, columns in zip(shades, holding) if columns]


def _row_rules(
    lines: Sequence[Line], table_box: BBox, rules: Sequence[BBox], settings: ExtractionSettings
) -> list[BBox]:
    """The rules that cut a table into rows: across `row_rule_min_span` of its width, between its lines, if
    there are `row_rule_min_count` of them at least and no white wider than a row's (`row_gap_ratio`) runs
    across the table between two of them (else none: a rule under a header, one closing a section, or a
    shaded row among white ones says nothing of the rows between)."""
    middles = sorted((line.top + line.bottom) / 2 for line in lines)
    width = table_box.x1 - table_box.x0
    across = sorted(
        (rule for rule in rules
         if min(rule.x1, table_box.x1) - max(rule.x0, table_box.x0) >= settings.row_rule_min_span * width
         and middles[0] < rule.top < middles[-1]),
        key=lambda rule: rule.top,
    )  # fmt: skip
    if len(across) < settings.row_rule_min_count:
        return []
    edges = [rule.top for rule in across]
    bottoms: dict[int, float] = {}  # per band, the lowest bottom of its lines so far
    for line in sorted(lines, key=lambda line: line.top):
        band = bisect_left(edges, (line.top + line.bottom) / 2)
        if band in bottoms and line.top - bottoms[band] > settings.row_gap_ratio * line.size:
            return []
        bottoms[band] = max(bottoms.get(band, line.bottom), line.bottom)
    return across


def _centred_rows(ordered: Sequence[Sequence[Line]], table_box: BBox, settings: ExtractionSettings) -> list[BBox]:
    """The row boundaries of a table whose cells are centred in their rows (none if it is not): where white
    wider, by `row_gap_excess`, than the commonest white between two lines of a column runs across the
    table; it is such a table if, between those boundaries, the cells of every row have one middle (within
    `line_tolerance`) and those of one row at least do not start together (QA: centred cells did not start
    their rows together, and rows were cut wherever one did)."""
    gaps = Counter(round(b.top - a.bottom, 1) for lines_ in ordered for a, b in zip(lines_, lines_[1:]))
    if not gaps:
        return []
    usual = gaps.most_common(1)[0][0]
    spans = sorted((line.top, line.bottom) for lines_ in ordered for line in lines_)
    edges: list[float] = []
    reach = spans[0][1]
    for top, bottom in spans[1:]:
        if top - reach >= usual + settings.row_gap_excess:
            edges.append((top + reach) / 2)
        reach = max(reach, bottom)
    staggered = False
    for row in _lines_by_band(ordered, edges).values():
        cells = [cell for cell in row if cell]
        if len(cells) < 2:
            continue
        middles = [(cell[0].top + cell[-1].bottom) / 2 for cell in cells]
        if max(middles) - min(middles) > settings.line_tolerance:
            return []
        tops = [cell[0].top for cell in cells]
        staggered = staggered or max(tops) - min(tops) > settings.line_tolerance
    return [BBox(table_box.x0, edge, table_box.x1, edge) for edge in edges] if staggered else []


def _lines_by_band(ordered: Sequence[Sequence[Line]], edges: Sequence[float]) -> dict[int, list[list[Line]]]:
    """Each column's lines between two of the sorted `edges` (band n lies under the n-th edge), by band."""
    bands: dict[int, list[list[Line]]] = {}
    for col, lines_ in enumerate(ordered):
        for line in lines_:
            band = bisect_left(edges, (line.top + line.bottom) / 2)
            bands.setdefault(band, [[] for _ in ordered])[col].append(line)
    return bands


def _banded_grid(
    ordered: Sequence[Sequence[Line]],
    lines: Sequence[Line],
    row_rules: Sequence[BBox],
    columns: Sequence[float],
    table_box: BBox,
    page_number: int,
    settings: ExtractionSettings,
) -> Grid:
    """The grid of a table ruled between its rows: a row between two rules, its cells however they are
    aligned in it (top, middle), and a header row (« OBJECTIFS | ACTIONS ») apart even without a rule under it."""
    header_bottoms = [
        max(line.bottom for line in row) for row in printed_rows(lines, settings) if is_header_row(row, settings)
    ]
    edges = sorted({rule.top for rule in row_rules} | set(header_bottoms))
    bands = _lines_by_band(ordered, edges)
    rows = []
    for band in sorted(bands):
        top = edges[band - 1] if band > 0 else table_box.top
        row: list[Cell | None] = []
        for col, cell_lines in enumerate(bands[band]):
            if cell_lines:
                box = cell_lines[0].bbox
                for line in cell_lines[1:]:
                    box = box.union(line.bbox)
                row.append(Cell(paragraphs=paragraphs_of(cell_lines, settings), bbox=box))
            else:
                x1 = columns[col + 1] if col + 1 < len(columns) else table_box.x1
                row.append(Cell(paragraphs=(), bbox=BBox(columns[col], top, x1, top)))
        rows.append(tuple(row))
    return Grid(page=page_number, bbox=table_box, rows=tuple(rows), ruled=False)


def _grid_of(
    ordered: Sequence[Sequence[Line]],
    verdicts: Sequence[Sequence[str]],
    row_starts: Sequence[float],
    columns: Sequence[float],
    table_box: BBox,
    page_number: int,
    settings: ExtractionSettings,
) -> Grid:
    """The grid of each column's lines cut into cells by `verdicts` (`aligned_grid`)."""
    # A break proven in one column (a line ending early) is a row break for the lines that sit
    # on the same two printed rows in the other columns (right-aligned prices, short labels), set close or
    # a paragraph apart (QA: at 1 point of padding, « Favoriser l'emploi local » and the next row's objective
    # beside it, a little white between them, were one objective).
    proven = [
        (a.top, b.top)
        for lines_, column_verdicts in zip(ordered, verdicts)
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)
        if verdict == "break"
    ]
    blocks: list[list[list[Line]]] = []
    paragraph_starts = {  # lines that go on their cell in a paragraph of their own
        id(b)
        for lines_, column_verdicts in zip(ordered, verdicts)
        for b, verdict in zip(lines_[1:], column_verdicts)
        if verdict == "para"
    }
    for lines_, column_verdicts in zip(ordered, verdicts):
        column_blocks: list[list[Line]] = [[lines_[0]]] if lines_ else []
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts):
            if (
                verdict in ("tight", "para", "same")
                and any(
                    abs(a.top - top_a) <= settings.line_tolerance and abs(b.top - top_b) <= settings.line_tolerance
                    for top_a, top_b in proven
                )
            ) or (
                verdict in ("tight", "para")
                and (starts_list_item(b.text) or b.text[:1].isupper())
                and any(abs(b.top - top) <= settings.line_tolerance for top in row_starts)
            ):
                verdict = "break"
            if verdict == "break":
                column_blocks.append([b])
            else:
                column_blocks[-1].append(b)
        blocks.append(column_blocks)

    tops: list[float] = []
    for column_blocks in blocks:
        for block in column_blocks:
            top = block[0].top
            if not any(abs(top - t) <= settings.line_tolerance for t in tops):
                tops.append(top)
    tops.sort()

    rows: list[list[Cell | None]] = [[None] * len(columns) for _ in tops]
    for col, column_blocks in enumerate(blocks):
        for block in column_blocks:
            start = next(i for i, t in enumerate(tops) if abs(block[0].top - t) <= settings.line_tolerance)
            box = block[0].bbox
            for line in block[1:]:
                box = box.union(line.bbox)
            rows[start][col] = Cell(paragraphs=paragraphs_of(block, settings, paragraph_starts), bbox=box)
        for row_index in range(len(tops)):
            if rows[row_index][col] is not None:
                continue
            covered = any(
                block[0].top < tops[row_index] - settings.line_tolerance and block[-1].bottom > tops[row_index]
                for block in column_blocks
            )
            if not covered:
                x1 = columns[col + 1] if col + 1 < len(columns) else table_box.x1
                rows[row_index][col] = Cell(paragraphs=(), bbox=BBox(columns[col], tops[row_index], x1, tops[row_index]))
    return Grid(page=page_number, bbox=table_box, rows=tuple(tuple(r) for r in rows), ruled=False)


def _lines_by_column(lines: Sequence[Line], columns: Sequence[float], settings: ExtractionSettings) -> list[list[Line]]:
    """The lines of each column, top to bottom: a line falls in the last column starting at or left
    of it, but for the wrapped line of a list item that goes back left of the item's marker, to its
    cell's edge, past the end of the text of the column before (QA: « - Isoler les logements
    sociaux … » then « de la ville … » at the cell's edge, left of « - », made an objective of its own).
    Such a line is set close below a list item of the next column (or a line so moved) and its first
    word would not have fitted after it (`fits_after`)."""
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    column_of = {
        id(line): max((i for i, x in enumerate(columns) if x <= line.x0 + settings.column_snap), default=0)
        for line in ordered
    }
    ends: dict[int, float] = {}  # where each column's text ends beside the other columns' text, short of the next
    for row in printed_rows(ordered, settings):
        for line in row if len(row) >= 2 else ():
            col = column_of[id(line)]
            if col + 1 < len(columns) and line.x1 <= columns[col + 1]:
                ends[col] = max(ends.get(col, line.x1), line.x1)
    widest: dict[int, float] = {}
    for line in ordered:
        widest[column_of[id(line)]] = max(widest.get(column_of[id(line)], line.x1), line.x1)
    moved: set[int] = set()
    for index, line in enumerate(ordered):
        col = column_of[id(line)]
        if col not in ends or line.x0 <= ends[col] or starts_list_item(line.text):
            continue
        above = next(
            (
                other
                for other in reversed(ordered[:index])
                if column_of[id(other)] == col + 1 and other.top < line.top - settings.line_tolerance
            ),
            None,
        )
        if (
            above is not None
            and line.top - above.bottom <= settings.paragraph_gap_ratio * line.size
            and (starts_list_item(above.text) or id(above) in moved)
            and not fits_after(above, line, widest[col + 1], settings)
        ):
            column_of[id(line)] = col + 1
            moved.add(id(line))
    per_column: list[list[Line]] = [[] for _ in columns]
    for line in ordered:
        per_column[column_of[id(line)]].append(line)
    return per_column


def _shade_edge_between(previous: Line, line: Line, shades: Sequence[BBox]) -> bool:
    """Whether the top or bottom edge of a shaded box behind the column runs between the middles of
    two lines (QA: post-its of rows shaded one by one, set close, were one post-it)."""
    above, below = (previous.top + previous.bottom) / 2, (line.top + line.bottom) / 2
    return any(
        box.x0 < min(previous.x1, line.x1) and box.x1 > max(previous.x0, line.x0) and above < edge < below
        for box in shades
        for edge in (box.top, box.bottom)
    )


def _rows_parted_by_padding(ordered: Sequence[Sequence[Line]], settings: ExtractionSettings) -> int:
    """How many printed rows show the cells' padding: every column starts a line there after a gap wider
    than `paragraph_gap_ratio` of the font size. The rows of a table part so if two or more do, but for
    sections set apart in a list of rows (a wine list's « Les Rosés »). One such row is no proof: a header
    row padded more than the rows below it (QA: over rows at no padding, all three objectives were read as
    one)."""
    tolerance = settings.line_tolerance
    if len(ordered) < 2 or not all(ordered):
        return 0
    parted = 0
    for below in ordered[0][1:]:
        gaps = []
        for lines_ in ordered:
            index = next((i for i, line in enumerate(lines_) if abs(line.top - below.top) <= tolerance), 0)
            if index == 0:
                break
            gaps.append((lines_[index].top - lines_[index - 1].bottom) / lines_[index].size)
        else:
            parted += min(gaps) > settings.paragraph_gap_ratio
    return parted


def _lists_going_on(lines: Sequence[Line], settings: ExtractionSettings) -> list[float]:
    """The tops of a column's lines that start a list item after another item of the same list."""
    tops: list[float] = []
    listing = bool(lines) and starts_list_item(lines[0].text)
    for previous, line in zip(lines, lines[1:]):
        if line.top - previous.bottom > settings.paragraph_gap_ratio * line.size:
            listing = False
        if starts_list_item(line.text):
            if listing:
                tops.append(line.top)
            listing = True
    return tops


def _rows_parted_by_white(
    ordered: Sequence[Sequence[Line]], verdicts: Sequence[Sequence[str]], padded: bool, settings: ExtractionSettings
) -> list[list[str]]:
    """A paragraph's gap ("same") is a row break where every other column with a line at the height
    of the line below it starts a cell or a paragraph there, and either one of them is proven to start a
    cell (a gap wider than `row_gap_ratio`) or every column of the table has text there and not all of
    it items of lists going on. QA: at reportlab's default padding, 3 points a side, rows part by less
    than `row_gap_ratio`: « - Soutenir les entreprises d'insertion », the first action of a row, was
    filed under the objective above, « OBJECTIFS » was read into the first objective, and objectives
    that wrap beside two actions, row after row, were one. Cells whose paragraphs happen to start side
    by side stay whole: « Porteur : CUGT » beside « Freins : disparité… » with the objective's cell
    going on, « 2) Gestion de projets » beside « - Il faut impliquer les relais ». Where the padding
    parts the rows (`_rows_parted_by_padding`), items of lists side by side in every column part them too
    (QA: numbered objectives « 1 - » and « 2 - », the first beside one listed action, were one objective)."""
    tolerance = settings.line_tolerance
    # For each column, the lines that start a cell or a paragraph, and whether a cell surely.
    starts: list[list[tuple[Line, bool]]] = [
        [(line, verdict == "break") for line, verdict in zip(lines_, ["break", *column_verdicts]) if verdict != "tight"]
        for lines_, column_verdicts in zip(ordered, verdicts)
    ]

    def parted(column: int, below: Line) -> bool:
        beside = [
            other
            for other, lines_ in enumerate(ordered)
            if other != column and any(abs(line.top - below.top) <= tolerance for line in lines_)
        ]
        found = [next((s for s in starts[other] if abs(s[0].top - below.top) <= tolerance), None) for other in beside]
        started = [start for start in found if start is not None]
        if not found or len(started) < len(found):
            return False
        side_by_side = [below, *(line for line, _ in started)]
        return any(surely for _, surely in started) or (
            len(side_by_side) == len(ordered)
            and (padded or not all(starts_list_item(line.text) for line in side_by_side))
        )

    return [
        [
            "break" if verdict == "same" and parted(col, b) else verdict
            for b, verdict in zip(lines_[1:], column_verdicts)
        ]
        for col, (lines_, column_verdicts) in enumerate(zip(ordered, verdicts))
    ]


def _wraps_in_cells(
    ordered: Sequence[Sequence[Line]],
    verdicts: Sequence[Sequence[str]],
    shades: Sequence[BBox],
    parted: int,
    settings: ExtractionSettings,
) -> list[list[str]]:
    """Lines set close under another that go on their cell (« tight »), as a wrap or, after a list
    marker, as the cell's next item (`paragraphs_of`), rather than start a row:
    - in a table whose rows part by their padding (`_rows_parted_by_padding`: `parted` rows), any such line where the
      lines beside it, if any, go on their cells (QA: in tables of four and five columns without rules,
      « - Isoler les » then « logements sociaux », « entreprises » then « d'insertion » and « - Créer un
      guichet unique… » under « sociaux » were each a row of their own, without the row's details); only
      where fewer lines set close whose first word would surely have fitted above (`_line_break`) open
      unmarked with a capital than rows part by their padding: such lines may start rows set without
      padding (a wine list's rows, its sections set apart), or be a cell's next paragraph (« Priorité du
      groupe 2 » under its objective, QA: read as an objective of its own);
    - padded or not, a line going on in lower case where the lines beside it go on or list their next
      items (« Réduire la précarité » then « énergétique des ménages », at 0 or 1 point of padding);
    - padded or not, the next item of a list with nothing beside it (« - Créer un guichet unique »
      under « de producteurs », the wrap of the item before)."""
    tolerance = settings.line_tolerance

    def close(above: Line, line: Line) -> bool:
        return line.top - above.bottom <= settings.paragraph_gap_ratio * line.size

    capitalised = sum(
        verdict == "break" and close(a, b) and not starts_list_item(b.text) and not b.text[:1].islower()
        for lines_, column_verdicts in zip(ordered, verdicts)
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)
    )
    padded = parted >= 2 and capitalised < parted

    # The line each line's paragraph opens with (after the last white, break or list marker above it): a
    # paragraph opening in lower case (« isoler les logements ») says nothing of a line in lower case under it.
    opening: dict[int, Line] = {}
    for lines_, column_verdicts in zip(ordered, verdicts):
        start = lines_[0] if lines_ else None
        for line, verdict in zip(lines_, ["break", *column_verdicts]):
            if verdict in ("break", "same") or starts_list_item(line.text):
                start = line
            opening[id(line)] = start

    def in_lower(line: Line) -> bool:
        return line.text[:1].islower() and not starts_list_item(line.text)

    def lower_wrap(above: Line, line: Line) -> bool:
        """`line` goes on in lower case the paragraph of `above`, which opens with a capital or a marker."""
        return close(above, line) and in_lower(line) and not opening[id(above)].text[:1].islower()

    going_on = {  # lines that go on their cell, or may: set close and in lower case
        id(b)
        for lines_, column_verdicts in zip(ordered, verdicts)
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)
        if (verdict == "tight" and not starts_list_item(b.text)) or lower_wrap(a, b)
    }

    def wrapping_beside(col: int, line: Line, items: bool = False) -> bool:
        """Whether every other column's line at the height of `line`, if any, goes on its cell unmarked (or,
        with `items`, is an item of a list: the next item of a cell beside)."""
        for other, lines_ in enumerate(ordered):
            if other == col:
                continue
            for index, below in enumerate(lines_):
                if abs(below.top - line.top) > tolerance or id(below) in going_on:
                    continue
                if not (items and index > 0 and starts_list_item(below.text)):
                    return False
        return True

    def alone(col: int, line: Line) -> bool:
        return not any(abs(top - line.top) <= tolerance for top in _tops_except(ordered, col))

    listing = [_lists_going_on(lines_, settings) for lines_ in ordered]

    def kept_in_cell(col: int, a: Line, b: Line, verdict: str) -> str:
        """`verdict` for `b` under `a`, or, if it goes on its cell: « tight » for a wrap or a list's next
        item (`paragraphs_of` parts at its marker), « para » for a line whose first word would surely have
        fitted above (QA: « isoler les logements » ⏎ « créer un guichet unique », unmarked actions of one
        cell, were joined into one)."""
        if verdict not in ("break", "doubt") or not close(a, b) or _shade_edge_between(a, b, shades):
            return verdict
        both_lower = in_lower(b) and opening[id(a)].text[:1].islower()
        if (padded and not both_lower and wrapping_beside(col, b)) or (
            lower_wrap(a, b) and wrapping_beside(col, b, items=True)
        ):
            return "para" if verdict == "break" and not starts_list_item(b.text) else "tight"
        if b.top in listing[col] and alone(col, b):  # (the next item of a list, nothing beside it)
            return "tight"
        if starts_list_item(b.text) and a.text.rstrip().endswith(":") and alone(col, b):
            return "tight"  # (the first item of a list its line introduces: « Freins : » ⏎ « - manque de… », QA)
        return verdict

    return [
        [kept_in_cell(col, a, b, verdict) for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)]
        for col, (lines_, column_verdicts) in enumerate(zip(ordered, verdicts))
    ]


def _rows_parted_by_wider_gaps(
    ordered: Sequence[Sequence[Line]], verdicts: Sequence[Sequence[str]], settings: ExtractionSettings
) -> list[list[str]]:
    """Lines set close (« tight », « doubt ») start a row where every column with a line at their height
    starts it after white wider, by `row_gap_excess` at least, than the table's commonest white between
    two lines of a cell, and two columns at least do so (QA-style: at 1 point of padding, an objective
    filling its line and the next row's, beside their actions, were one objective). A cell's lines are
    set at one leading; its rows part by their padding, however thin."""
    gaps = Counter(
        round(b.top - a.bottom, 1)
        for lines_, column_verdicts in zip(ordered, verdicts)
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)
        if verdict in ("tight", "doubt")
    )  # (the white between a cell's lines: « para » lines may follow a paragraph's own)
    if not gaps:
        return [list(column_verdicts) for column_verdicts in verdicts]
    usual = gaps.most_common(1)[0][0]
    tolerance = settings.line_tolerance

    def wider(col: int, top: float) -> bool | None:
        """Whether column `col` has a line at `top` after a wider white (None: no line there)."""
        lines_ = ordered[col]
        for index, line in enumerate(lines_):
            if abs(line.top - top) <= tolerance:
                return index == 0 or line.top - lines_[index - 1].bottom >= usual + settings.row_gap_excess
        return None

    def parted(top: float) -> bool:
        seen = [wider(col, top) for col in range(len(ordered))]
        present = [value for value in seen if value is not None]
        return len(present) >= 2 and all(present)

    return [
        [
            "break"
            if verdict in ("tight", "para", "doubt")
            and b.top - a.bottom >= usual + settings.row_gap_excess
            and parted(b.top)
            else verdict
            for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts)
        ]
        for lines_, column_verdicts in zip(ordered, verdicts)
    ]


def _tops_except(ordered: Sequence[Sequence[Line]], column: int) -> list[float]:
    return [line.top for other, lines_ in enumerate(ordered) if other != column for line in lines_]


def _items_beside_wraps(
    ordered: Sequence[Sequence[Line]], verdicts: Sequence[Sequence[str]], settings: ExtractionSettings
) -> list[list[str]]:
    """A list item that would have fitted after the line above starts a paragraph of its cell, not a
    row, where a cell beside it goes on wrapping (QA: « - Ouvrir un forum de l'emploi » beside
    « territoire », the second line of its objective, cut the objective in two). Elsewhere it may
    start a row: at no padding, « - Soutenir les entreprises d'insertion » beside « Favoriser
    l'emploi local », the next objective, is the next row's first action."""
    tolerance = settings.line_tolerance
    wraps = [  # (column, top) of the lines that go on from the line above
        (col, line.top)
        for col, (lines_, column_verdicts) in enumerate(zip(ordered, verdicts))
        for line, verdict in zip(lines_[1:], column_verdicts)
        if verdict == "tight"
    ]

    def beside_a_wrap(col: int, line: Line) -> bool:
        return any(other != col and abs(top - line.top) <= tolerance for other, top in wraps)

    return [
        [
            "tight" if verdict in ("break", "doubt") and starts_list_item(b.text) and beside_a_wrap(col, b) else verdict
            for b, verdict in zip(lines_[1:], column_verdicts)
        ]
        for col, (lines_, column_verdicts) in enumerate(zip(ordered, verdicts))
    ]


def _header_row_apart(
    ordered: Sequence[Sequence[Line]],
    verdicts: Sequence[Sequence[str]],
    lines: Sequence[Line],
    settings: ExtractionSettings,
) -> list[list[str]]:
    """The line under a header row (« OBJECTIFS | ACTIONS ») starts a cell, whatever the spacing (QA: at
    no padding, a first row whose objective is numbered « 1 - » beside listed actions took the header in)."""
    tolerance = settings.line_tolerance
    header_tops = [row[0].top for row in printed_rows(lines, settings) if is_header_row(row, settings)]
    return [
        [
            "break" if any(abs(a.top - top) <= tolerance for top in header_tops) else verdict
            for a, verdict in zip(lines_, column_verdicts)
        ]
        for lines_, column_verdicts in zip(ordered, verdicts)
    ]


def _settle_doubts(
    ordered: Sequence[Sequence[Line]], verdicts: Sequence[Sequence[str]], padded: bool, settings: ExtractionSettings
) -> list[list[str]]:
    """Doubtful breaks (`_line_break`) settled: a wrap when every cell of the upper printed row goes
    on into the lower one at ordinary spacing and no other cell starts there (QA: with 10 points of
    padding a side, each row of two cells wrapped once was two rows, « … énergétique des » then
    « ménages modestes »); a break otherwise. A right-aligned column (prices) says nothing of
    wrapping: its lines all end at its edge (the names of a wine list over their prices). Nor, in a table whose
    rows are not parted by their padding (`padded`), is it a wrap where every cell of the lower printed row, two
    at least, opens with a capital (`_opens_with_a_capital`; in a padded one, that is a cell's next paragraphs:
    « Priorité du groupe 1 » beside the next unmarked action)."""
    tolerance = settings.line_tolerance
    flush_right = [_right_aligned(lines_, settings) for lines_ in ordered]

    def goes_on(col: int, top_a: float, top_b: float) -> bool:
        lines_ = ordered[col]
        return not flush_right[col] and any(
            abs(a.top - top_a) <= tolerance and abs(b.top - top_b) <= tolerance and verdict in ("tight", "para", "doubt")
            for (a, b), verdict in zip(zip(lines_, lines_[1:]), verdicts[col])
        )

    def columns_at(top: float) -> set[int]:
        return {col for col, lines_ in enumerate(ordered) if any(abs(line.top - top) <= tolerance for line in lines_)}

    settled = []
    for lines_, column_verdicts in zip(ordered, verdicts):
        column = []
        for (a, b), verdict in zip(zip(lines_, lines_[1:]), column_verdicts):
            if verdict == "doubt":
                above = columns_at(a.top)
                wraps = (
                    above == columns_at(b.top)
                    and all(goes_on(col, a.top, b.top) for col in above)
                    and not (
                        not padded
                        and len(above) >= 2
                        and all(_opens_with_a_capital(ordered[col], b.top, tolerance) for col in above)
                    )
                )
                verdict = "tight" if wraps else "break"
            column.append(verdict)
        settled.append(column)
    return settled


def _opens_with_a_capital(lines: Sequence[Line], top: float, tolerance: float) -> bool:
    """Whether the line of `lines` at `top` opens with a capital or a list marker: text wrapped in French goes
    on in lower case, so a printed row whose every cell does so starts a row (QA: « Mobilité | Moins de
    voitures… » ⏎ « Santé | Moins de voitures… » at one point of padding were one post-it)."""
    return any(
        abs(line.top - top) <= tolerance and (line.text[:1].isupper() or starts_list_item(line.text)) for line in lines
    )


def _right_aligned(lines: Sequence[Line], settings: ExtractionSettings) -> bool:
    """Lines that end at one edge and start at several."""
    return (
        len(lines) >= 2
        and max(line.x1 for line in lines) - min(line.x1 for line in lines) <= settings.column_snap
        and max(line.x0 for line in lines) - min(line.x0 for line in lines) > settings.column_snap
    )


def _line_break(
    previous: Line,
    line: Line,
    rights: tuple[float, float],
    other_tops: Sequence[float],
    in_padded_cell: bool,
    settings: ExtractionSettings,
) -> str:
    """How `line` follows the line above it in its column: "break" (new cell), "same", "tight" or
    "doubt", `rights` being where the column surely had room to and where it may have had.
    `in_padded_cell`: the table's rows part by their padding (`_rows_parted_by_padding`) and `line`, in
    its first column, is beside lists going on in the other columns: set close, it is in its cell
    whatever its length (QA: at 6 points of padding, « Priorité du groupe 2 », the second paragraph
    of an objective's cell beside two listed actions, ended early and was read as the next row's
    objective). In a later column, such lines may be items of their own (unmarked actions beside
    listed obstacles).

    "tight" lines are set at ordinary line spacing with nothing proving a break: one cell,
    unless another column proves a break between the same two printed rows. "doubt": the next
    word would have fitted only if the column had room beyond its widest line (`_settle_doubts`).
    """
    gap = line.top - previous.bottom
    if gap > settings.row_gap_ratio * line.size:
        return "break"
    if gap > settings.paragraph_gap_ratio * line.size:
        return "same"
    if in_padded_cell:
        return "tight"
    # Text wraps only when the next word does not fit: if it would have, the break was meant.
    sure, maybe = rights
    beside_other_text = any(
        abs(top - previous.top) <= settings.line_tolerance or abs(top - line.top) <= settings.line_tolerance
        for top in other_tops
    )
    if not beside_other_text or not fits_after(previous, line, maybe, settings):
        return "tight"
    return "break" if fits_after(previous, line, sure, settings) else "doubt"


def cell_texts(grid: Grid, carry_down: bool = False, tolerance: float = 2.0) -> list[list[str]]:
    """The grid as rows of strings. Covered cells are "" or, with `carry_down`, the text of the
    cell spanning down over them (camelot's `copy_text="v"`); a cell covered from the left stays ""."""
    values: list[list[str]] = []
    for index, row in enumerate(grid.rows):
        row_top = min((cell.bbox.top for cell in row if cell is not None), default=None)
        texts = []
        for column, cell in enumerate(row):
            if cell is not None:
                texts.append(cell.text)
                continue
            above = _cell_above(grid, index, column) if carry_down else None
            spans_here = above is not None and (row_top is None or above.bbox.bottom > row_top + tolerance)
            texts.append(above.text if spans_here and above is not None else "")
        values.append(texts)
    return values


def _cell_above(grid: Grid, row_index: int, column: int) -> Cell | None:
    for row in reversed(grid.rows[:row_index]):
        if column < len(row) and row[column] is not None:
            return row[column]
    return None
