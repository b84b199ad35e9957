"""Tables as grids of cells, found either from ruling lines or from the alignment of text.

Both finders return the same `Grid`: rows of cells where `None` marks a cell covered by a
cell spanning from above or from the left (pdfplumber's convention), so that the reading of
tables (`tables.py`) does not depend on how the table was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atelier.extract.layout import Line, Word, group_lines, words_inside
from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import join_lines, starts_list_item


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


def paragraphs_of(lines: Sequence[Line], settings: ExtractionSettings) -> tuple[Paragraph, ...]:
    """Split the lines of one cell into paragraphs: at a vertical gap or a list marker."""
    ordered = sorted(lines, key=lambda line: (line.top, line.x0))
    groups: list[list[Line]] = []
    for line in ordered:
        if groups:
            previous = groups[-1][-1]
            gap = line.top - previous.bottom
            same_paragraph = gap <= settings.paragraph_gap_ratio * line.size and not starts_list_item(line.text)
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


def ruled_grids(page: object, words: Sequence[Word], page_number: int, settings: ExtractionSettings) -> list[Grid]:
    """Tables drawn with ruling lines, found by pdfplumber's line strategy."""
    found = page.find_tables(  # type: ignore[attr-defined]
        table_settings={
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": settings.ruled_snap_tolerance,
            "edge_min_length": settings.ruled_edge_min_length,
        }
    )
    grids = []
    for table in found:
        rows: list[tuple[Cell | None, ...]] = []
        for row in table.rows:
            cells: list[Cell | None] = []
            for raw in row.cells:
                if raw is None:
                    cells.append(None)
                    continue
                box = BBox(*(float(v) for v in raw))
                cells.append(cell_from_words(words_inside(words, box), box, settings))
            rows.append(tuple(cells))
        if len(rows) and max(len(r) for r in rows) >= 2:
            grids.append(Grid(page=page_number, bbox=BBox(*(float(v) for v in table.bbox)), rows=tuple(rows), ruled=True))
    return grids


def column_starts(lines: Sequence[Line], settings: ExtractionSettings) -> list[float]:
    """Left edges shared by the lines of a table without ruling lines."""
    starts = sorted(line.x0 for line in lines)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= settings.column_snap:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [min(cluster) for cluster in clusters]


def aligned_grid(
    lines: Sequence[Line], columns: Sequence[float], page_number: int, settings: ExtractionSettings
) -> Grid:
    """A grid read from text alignment alone.

    Each column's lines are cut into cells at gaps taller than `row_gap_ratio` of the font size.
    Cells are top-aligned: a row starts wherever any column starts a cell, and a cell that
    reaches below the start of the next rows covers them (`None`), as a spanning cell would.
    """
    snap = settings.column_snap
    per_column: list[list[Line]] = [[] for _ in columns]
    for line in lines:
        index = max((i for i, x in enumerate(columns) if x <= line.x0 + snap), default=0)
        per_column[index].append(line)

    blocks: list[list[list[Line]]] = []
    for column_lines in per_column:
        column_blocks: list[list[Line]] = []
        for line in sorted(column_lines, key=lambda ln: ln.top):
            if column_blocks and line.top - column_blocks[-1][-1].bottom <= settings.row_gap_ratio * line.size:
                column_blocks[-1].append(line)
            else:
                column_blocks.append([line])
        blocks.append(column_blocks)

    tops: list[float] = []
    for column_blocks in blocks:
        for block in column_blocks:
            top = block[0].top
            if not any(abs(top - t) <= settings.line_tolerance for t in tops):
                tops.append(top)
    tops.sort()

    all_lines = [line for column_lines in per_column for line in column_lines]
    table_box = all_lines[0].bbox
    for line in all_lines[1:]:
        table_box = table_box.union(line.bbox)

    rows: list[list[Cell | None]] = [[None] * len(columns) for _ in tops]
    for col, column_blocks in enumerate(blocks):
        for block in column_blocks:
            start = next(i for i, t in enumerate(tops) if abs(block[0].top - t) <= settings.line_tolerance)
            box = block[0].bbox
            for line in block[1:]:
                box = box.union(line.bbox)
            rows[start][col] = Cell(paragraphs=paragraphs_of(block, settings), bbox=box)
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
