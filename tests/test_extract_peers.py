"""Tables of PDFs nobody on this project wrote, against what camelot's and pdfplumber's own
tests expect of them (see tests/peer/README.md for their origin and licence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atelier.extract.document import extract_document, extract_tables
from atelier.extract.grid import cell_texts
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import Spellings, join_lines, settle_hyphens

PEER = Path(__file__).resolve().parent / "peer"
EXPECTED = json.loads((PEER / "camelot" / "expected.json").read_text(encoding="utf-8"))
# These are not reports: no running header or footer bands to drop.
WHOLE_PAGE = ExtractionSettings(header_band_ratio=0.0, footer_band_ratio=0.0)


def _expected_rows(name: str) -> list[list[str]]:
    # camelot keeps line breaks inside a cell; ours are joined (and "Preva-\nlence" repaired).
    return [
        [settle_hyphens(join_lines(cell.split("\n")), Spellings()) for cell in row]
        for row in EXPECTED[name]["expected_rows"]
    ]


@pytest.mark.parametrize(
    ("name", "carry_down", "ruled"),
    [
        ("row_span_1.pdf", True, True),
        ("column_span_2.pdf", False, True),
        ("split_text_lattice.pdf", False, True),
        ("detect_vertical_false.pdf", False, False),
    ],
)
def test_every_expected_cell_is_recovered_in_its_row_and_column(name, carry_down, ruled):
    grids = extract_tables(PEER / "camelot" / name, WHOLE_PAGE)
    assert grids[0].ruled is ruled  # the page's table comes first; notes below it may align too
    got = cell_texts(grids[0], carry_down=carry_down)
    expected = _expected_rows(name)
    if name == "detect_vertical_false.pdf":
        # camelot puts the letter-spaced title "V i n s a u V e r r e" in the table's first
        # row; it is the page's heading, above the table, for us.
        assert expected[0] == ["V i n s a u V e r r e", ""]
        expected = expected[1:]
    assert len(got) == len(expected)
    assert all(len(row) == len(expected[0]) for row in got)
    for got_row, expected_row in zip(got, expected):
        for got_cell, expected_cell in zip(got_row, expected_row):
            if expected_cell:
                assert got_cell == expected_cell


def test_row_spans_are_carried_down_and_column_spans_are_not():
    grid = extract_tables(PEER / "camelot" / "row_span_1.pdf", WHOLE_PAGE)[0]
    plain = cell_texts(grid)
    carried = cell_texts(grid, carry_down=True)
    assert plain[2][:2] == ["", ""] and carried[2][:2] == ["GMC", "Sacramento"]
    total = next(row for row in carried if row[1] == "Total GMC Enrollment")
    assert total[2] == ""  # covered from the left, not from above


def test_unruled_french_wine_list_is_a_two_column_table():
    grid = extract_tables(PEER / "camelot" / "detect_vertical_false.pdf", WHOLE_PAGE)[0]
    rows = cell_texts(grid)
    assert grid.column_count == 2
    assert ["Domaine de la Guicharde « Autour de la chapelle » 2016", "8 €"] in rows
    assert ["Famille Coulon (Domaine Beaurenard) Biotifulfox 2017", "8 €"] in rows


def test_french_zoning_table_keeps_multi_line_header_cells_whole():
    grids = extract_tables(PEER / "pdfplumber" / "zonage_crlf.pdf", WHOLE_PAGE)
    ruled = [grid for grid in grids if grid.ruled]
    assert len(ruled) == 1
    rows = cell_texts(ruled[0])
    assert rows[0] == ["", "Desservi", "Part. desservi", "Non desservi"]
    assert rows[1] == ["Largeur minimale sur la ligne avant (m)", "25", "N/A", "N/A"]
    assert len(rows) == 6


def test_running_text_of_french_minutes_gives_no_table_and_no_contribution():
    pdf = PEER / "pdfplumber" / "2023-06-20-PV.pdf"
    assert extract_tables(pdf, WHOLE_PAGE) == []
    result = extract_document(pdf)
    assert result.status == "ok" and result.pages == 2
    assert result.contributions == ()
