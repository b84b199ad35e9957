"""From a pdfplumber page to our own typed records: words and lines, boxes and rules, ruled tables, its image.

This is the boundary with pdfplumber: its dicts are read here and nowhere else.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pdfplumber.page
from PIL import Image

from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import fold, header_name, is_list_marker, join_lines, shown_soft_hyphens, starts_list_item


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True, slots=True)
class Line:
    """Words on one baseline that belong together (one column's share of a printed line)."""

    words: tuple[Word, ...]
    word_space: float = 1.0

    @property
    def text(self) -> str:
        parts = [self.words[0].text]
        for previous, word in zip(self.words, self.words[1:]):
            if word.x0 - previous.x1 > self.word_space:
                parts.append(" ")
            parts.append(word.text)
        return "".join(parts)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(word.x1 for word in self.words)

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def size(self) -> float:
        return Counter(round(word.size, 1) for word in self.words).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return all(word.bold for word in self.words)

    @property
    def bbox(self) -> BBox:
        return BBox(self.x0, self.top, self.x1, self.bottom)


Printed = TypeVar("Printed", Word, Line)


def is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def page_words(page: object, settings: ExtractionSettings) -> list[Word]:
    """The words of a pdfplumber page, without footnote calls and fine print; its header and footer
    bands are read, to be judged with the other pages' (`page_header`, `page_footer`)."""

    page = straightened_text(page, settings)
    # The smallest size that a good share of the page's characters have (`fine_print_min_share`), not the
    # commonest: a long title over a few post-its (QA: a title of 14 points made them fine print, and the
    # page gave nothing), a two-line intro of 12 points over post-its of 9.
    sizes = Counter(round(float(char.get("size", 0.0)), 1) for char in page.chars)  # type: ignore[attr-defined]
    total = sum(sizes.values())
    shared = [size for size, count in sizes.items() if count >= settings.fine_print_min_share * total]
    min_size = settings.fine_print_ratio * min(shared) if shared else 0.0

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        return float(obj.get("size", 0.0)) >= min_size

    body = page.filter(keep)  # type: ignore[attr-defined]
    raw_words = body.extract_words(
        x_tolerance=1.5,
        y_tolerance=settings.line_tolerance,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    words = [
        Word(
            text=shown_soft_hyphens(raw["text"]),
            x0=float(raw["x0"]),
            x1=float(raw["x1"]),
            top=float(raw["top"]),
            bottom=float(raw["bottom"]),
            size=float(raw["size"]),
            bold=is_bold(str(raw["fontname"])),
        )
        for raw in raw_words
    ]
    symbols = {index for index, raw in enumerate(raw_words) if _SYMBOL_FONT.search(str(raw["fontname"]))}
    return with_superscripts_joined(
        without_note_calls(_symbols_in_line(words, symbols) if symbols else words, settings), settings
    )


def straightened_text(page: object, settings: ExtractionSettings) -> object:
    """The page with its text set a little askew (a slide's post-it turned 4°: `text_tilt_degrees`) set
    straight, each slant's characters turned back about their centre, so that they fall on lines as
    level text does (QA: a post-it turned 4° was lost, one turned -3° read as « Répare r les a scenseu
    rs »). The page itself when none is; its other objects are untouched."""
    low, high = settings.text_tilt_degrees
    chars = page.chars  # type: ignore[attr-defined]
    slants: dict[float, list[int]] = {}
    for index, char in enumerate(chars):
        a, b = char["matrix"][:2]
        degrees = math.degrees(math.atan2(b, a))
        if low <= abs(degrees) <= high:
            slants.setdefault(round(degrees, 1), []).append(index)
    if not slants:
        return page
    straight = list(chars)
    for degrees, slanted in slants.items():
        cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        for indexes in _blocks(chars, slanted):  # (each post-it about its own centre: QA, two far apart were lost)
            _straighten(chars, straight, indexes, cos, sin)
    return _StraightenedPage(page, straight)


def _blocks(chars: Sequence[dict], indexes: list[int]) -> list[list[int]]:
    """`indexes` of `chars` in blocks of text: characters closer than three times their size, linked
    (through a grid of cells that wide: a whole page set askew is thousands of characters)."""
    centres = [((chars[i]["x0"] + chars[i]["x1"]) / 2, (chars[i]["y0"] + chars[i]["y1"]) / 2) for i in indexes]
    reach = 3 * max(float(chars[i].get("size") or 10.0) for i in indexes)
    cells: dict[tuple[int, int], list[int]] = {}
    for position, (x, y) in enumerate(centres):
        cells.setdefault((int(x // reach), int(y // reach)), []).append(position)
    block = list(range(len(indexes)))
    for (column, row), members in cells.items():
        for other_column in (column - 1, column, column + 1):
            for other_row in (row - 1, row, row + 1):
                for second in cells.get((other_column, other_row), ()):
                    for first in members:
                        if first < second and math.dist(centres[first], centres[second]) <= reach:
                            root_first, root_second = _root(block, first), _root(block, second)
                            if root_first != root_second:
                                block[root_second] = root_first
    grouped: dict[int, list[int]] = {}
    for position, index in enumerate(indexes):
        grouped.setdefault(_root(block, position), []).append(index)
    return list(grouped.values())


def _root(parents: list[int], node: int) -> int:
    while parents[node] != node:
        parents[node] = parents[parents[node]]
        node = parents[node]
    return node


def _straighten(chars: Sequence[dict], straight: list[dict], indexes: list[int], cos: float, sin: float) -> None:
    """The characters at `indexes` turned back about their centre (`straightened_text`), into `straight`."""
    centres = [((chars[i]["x0"] + chars[i]["x1"]) / 2, (chars[i]["y0"] + chars[i]["y1"]) / 2) for i in indexes]
    pivot_x = sum(x for x, _ in centres) / len(centres)
    pivot_y = sum(y for _, y in centres) / len(centres)
    for index, (x, y) in zip(indexes, centres):
        char = chars[index]
        advance = float(char.get("adv") or (char["x1"] - char["x0"]))
        # (The box of a turned glyph is its advance and its size, turned: its size is what is left, to a
        # tenth of a point, so that the characters of one size stay one run of it.)
        size = max(round((char["y1"] - char["y0"] - advance * abs(sin)) / cos, 1), 0.1)
        dx, dy = x - pivot_x, y - pivot_y
        x, y = pivot_x + dx * cos + dy * sin, pivot_y - dx * sin + dy * cos
        y1 = y + size / 2
        top = char["top"] + (char["y1"] - y1)
        straight[index] = {
            **char, "x0": x - advance / 2, "x1": x + advance / 2, "y0": y - size / 2, "y1": y1, "top": top,
            "bottom": top + size, "doctop": char["doctop"] + (top - char["top"]), "width": advance,
            "height": size, "size": size, "matrix": (1.0, 0.0, 0.0, 1.0, x - advance / 2, y - size / 2),
        }  # fmt: skip


class _StraightenedPage(pdfplumber.page.DerivedPage):
    """A page whose characters are `chars` (`straightened_text`), its other objects its parent's."""

    def __init__(self, parent_page: object, chars: list[dict]) -> None:
        self.bbox = parent_page.bbox  # type: ignore[attr-defined]
        self._chars = chars
        super().__init__(parent_page)  # type: ignore[arg-type]

    @property
    def objects(self) -> dict[str, list[dict]]:
        return {**self.parent_page.objects, "char": self._chars}


# Fonts of symbols: their glyphs (« ✓ », « ■ », « ➢ » of Word's Wingdings, ZapfDingbats) sit higher or lower than
# the text around them, and come out as letters (« n », « 4 ») or private-use characters when the PDF does not map them.
_SYMBOL_FONT = re.compile(r"dingbat|wingding|webding|symbol", re.IGNORECASE)


def _symbols_in_line(words: Sequence[Word], symbols: set[int]) -> list[Word]:
    """`words` with those of symbol fonts (`symbols`, their indexes) set on the line of the nearest word of text
    beside them, and « • » for a glyph the PDF leaves unmapped (QA: « Des pistes cyclables ✓ sécurisées », its
    « ✓ » 2 points higher than the text, cut the post-it at the glyph, and « sécurisées vers le collège » was lost)."""
    texts = [word for index, word in enumerate(words) if index not in symbols]
    placed = []
    for index, word in enumerate(words):
        if index not in symbols:
            placed.append(word)
            continue
        height = word.bottom - word.top
        beside = [other for other in texts if min(other.bottom, word.bottom) - max(other.top, word.top) > height / 2]
        text = "•" if all(c.isascii() or "\ue000" <= c <= "\uf8ff" for c in word.text) else word.text
        if beside:
            nearest = min(beside, key=lambda other: max(other.x0 - word.x1, word.x0 - other.x1))
            word = Word(text, word.x0, word.x1, nearest.top, nearest.bottom, nearest.size, word.bold)
        else:
            word = Word(text, word.x0, word.x1, word.top, word.bottom, word.size, word.bold)
        placed.append(word)
    return placed


def header_band_lines(words: Sequence[Word], height: float, settings: ExtractionSettings) -> list[Line]:
    """The lines of a page `height` high that start in its header band (`header_band_ratio`)."""
    return group_lines([w for w in words if w.top < height * settings.header_band_ratio], settings)


def footer_band_lines(words: Sequence[Word], height: float, settings: ExtractionSettings) -> list[Line]:
    """The lines of a page `height` high that end in its footer band (`footer_band_ratio`)."""
    return group_lines([w for w in words if w.bottom > height * (1.0 - settings.footer_band_ratio)], settings)


@dataclass(frozen=True, slots=True)
class RunningLines:
    """The lines printed in the header (or footer) band of two pages or more: by key, numbers aside
    (`_band_key`: « p. 2 », « p. 3 »), and as printed, numbers included."""

    keys: frozenset[str] = frozenset()
    printed: frozenset[str] = frozenset()


def running_headers(pages: Sequence[tuple[Sequence[Word], float]], settings: ExtractionSettings) -> RunningLines:
    """The lines printed in the header band of two pages or more of a document, given page by page as
    (words, page height): its running headers."""
    return _running(pages, header_band_lines, settings)


def running_footers(pages: Sequence[tuple[Sequence[Word], float]], settings: ExtractionSettings) -> RunningLines:
    """The lines printed in the footer band of two pages or more, as `running_headers`."""
    return _running(pages, footer_band_lines, settings)


def _running(
    pages: Sequence[tuple[Sequence[Word], float]],
    band: Callable[[Sequence[Word], float, ExtractionSettings], list[Line]],
    settings: ExtractionSettings,
) -> RunningLines:
    keys: Counter[str] = Counter()
    printed: Counter[str] = Counter()
    for words, height in pages:
        lines = band(words, height, settings)
        keys.update({_band_key(line, settings) for line in lines})
        printed.update({_printed_key(line) for line in lines})
    return RunningLines(
        keys=frozenset(key for key, count in keys.items() if count > 1),
        printed=frozenset(key for key, count in printed.items() if count > 1),
    )


def page_header(
    words: Sequence[Word],
    height: float,
    number: int,
    running: RunningLines,
    settings: ExtractionSettings,
    lines: Sequence[Line] | None = None,
) -> frozenset[Word]:
    """The words of the header band of page `number` that are page furniture, not its text: all of them
    but, on the first page, an « AXE n » heading and a line set larger than the page's commonest size
    (`band_heading_size_ratio`) that no other page prints in its band (`running`): the document's title
    (QA: a one-page report with a small top margin lost its title « Atelier n°3 – Mobilités » and its
    heading « AXE 1 : Mobilités », 30 to 45 points from the top, and the table's items their axis). On
    later pages, a line of the band is a running header even when printed once: on the pages after the
    first of a « different first page » (QA: « PCET & Agenda 21 … Atelier n°6 » on page 2 only was read
    as the category of its items), odd and even pages, or naming the current axis (Word's StyleRef: its
    « AXE 2 » over the end of axis 1's table filed it under axis 2). On any page, the page's text reaching
    into the band is read (`_text_rows_in_band`): the first rows of a table at the top of a page with
    narrow margins were lost. `lines`: the page's, grouped already."""
    band = header_band_lines(words, height, settings)
    if not band:
        return frozenset()
    lines = group_lines(words, settings) if lines is None else lines
    kept = _text_rows_in_band(band, lines, running, settings, upwards=True)
    sizes = Counter(round(word.size, 1) for word in words for _ in word.text)
    common_size = sizes.most_common(1)[0][0] if sizes else 0.0
    axis = re.compile(settings.axis_heading_pattern, re.IGNORECASE)

    def text(line: Line) -> bool:
        if id(line) in kept:
            return True
        title = (
            _band_key(line, settings) not in running.keys
            and line.size >= settings.band_heading_size_ratio * common_size
        )
        return number == 1 and any(c.isalpha() for c in line.text) and (axis.match(line.text) is not None or title)

    return frozenset(word for line in band if not text(line) for word in line.words)


def page_footer(
    words: Sequence[Word],
    height: float,
    running: RunningLines,
    settings: ExtractionSettings,
    lines: Sequence[Line] | None = None,
) -> frozenset[Word]:
    """The words of the footer band that are page furniture: all of them but the page's text reaching
    into the band (`_text_rows_in_band`): the last rows of a table at the foot of a page with narrow
    margins were lost. `lines`: the page's, grouped already."""
    band = footer_band_lines(words, height, settings)
    if not band:
        return frozenset()
    lines = group_lines(words, settings) if lines is None else lines
    kept = _text_rows_in_band(band, lines, running, settings, upwards=False)
    return frozenset(word for line in band if id(line) not in kept for word in line.words)


def _text_rows_in_band(
    band: Sequence[Line], lines: Sequence[Line], running: RunningLines, settings: ExtractionSettings, upwards: bool
) -> set[int]:
    """The ids of the lines of a header band (`upwards`: the text goes on below them) or of a footer band
    that are the page's text: the printed rows of the band, from the text inwards, each with a line that
    the text goes on from or into (`_set_close`: a line outside the band or in a row kept), that may be text
    (`_text_in_band`, or a table's header name, repeated on every page: « OBJECTIFS | ACTIONS ») and is set
    like it: in bold or not as it is, but for header names (a bold running header set just above the text,
    QA). Rows are kept whole (QA: half a table's row was kept, its details cell dropped). Not kept: what no
    text reaches, nor what lies past a row of furniture (the second line of a footer or of a footnote under
    its first, a header's first line over its second, QA)."""

    def place(line: Line) -> tuple[float, float, str]:
        return (round(line.top, 1), round(line.x0, 1), line.text)

    in_band = {place(line) for line in band}
    known = {name for name, _ in settings.header_roles}
    kinds = Counter(_band_key(line, settings) for line in lines) if running.keys else Counter()
    kept: set[int] = set()
    texts = [line for line in lines if place(line) not in in_band]
    rows = sorted(printed_rows(band, settings), key=lambda row: min(line.top for line in row), reverse=upwards)
    for row in rows:
        named = [header_name(line.text) in known for line in row]
        if not any(
            (name or _text_in_band(line, running, kinds, settings))
            and any(
                (_set_close(line, other, settings) if upwards else _set_close(other, line, settings))
                and (other.bold == line.bold or name)
                for other in texts
            )
            for line, name in zip(row, named)
        ):
            break  # (past a row of furniture, no text goes on)
        kept.update(id(line) for line in row)
        texts.extend(row)
    return kept


def _set_close(above: Line, below: Line, settings: ExtractionSettings) -> bool:
    """Whether `below` goes on from `above` as the text of one block does: beside it, in type of about
    its size, within `band_text_gap_ratio` of that size below it."""
    return (
        below.top > above.top + settings.line_tolerance
        and 0 <= below.top - above.bottom <= settings.band_text_gap_ratio * max(above.size, below.size)
        and abs(above.size - below.size) <= settings.band_text_size_tolerance * max(above.size, below.size)
        and below.x0 < above.x1
        and below.x1 > above.x0
    )


def _text_in_band(line: Line, running: RunningLines, kinds: Counter[str], settings: ExtractionSettings) -> bool:
    """Whether a line of a header or footer band may be the page's text: it has letters, is no page
    number (« Page 2 », « p. 3/12 »), no other page prints it as it is, nor, numbers aside, as the only
    line of its kind on the page (`kinds`: the page's lines by `_band_key`; « Compte rendu – p. 2 »; a
    table's numbered rows, « Objectif 43 … » on page 2 as « Objectif 1 … » on page 1, are many on a page)."""
    if not any(c.isalpha() for c in line.text) or _PAGE_NUMBERING.fullmatch(line.text.strip()) is not None:
        return False
    if _printed_key(line) in running.printed:
        return False
    key = _band_key(line, settings)
    return key not in running.keys or kinds[key] > 1


_PAGE_NUMBERING = re.compile(r"[-–—]?\s*(?:page|p\.)\s*\d{1,4}(?:\s*(?:/|sur)\s*\d{1,4})?\s*[-–—]?", re.IGNORECASE)


def _printed_key(line: Line) -> str:
    return f"{fold(line.text)}@{round(line.size)}"


def _band_key(line: Line, settings: ExtractionSettings) -> str:
    """A line of a header band as it repeats from page to page: its text and its size, numbers aside
    (« p. 2 », « p. 3 ») but the axis of an « AXE n » heading (« AXE 2 » does not repeat « AXE 1 »)."""
    text = fold(line.text)
    axis = re.match(settings.axis_heading_pattern, text, re.IGNORECASE)
    kept = axis.end() if axis else 0
    return f"{text[:kept]}{re.sub(r'[0-9]+', '#', text[kept:])}@{round(line.size)}"


# A footnote call: "(1)", "1", "*", "†".
_NOTE_CALL = re.compile(r"\(?\d{1,3}\)?|[*†‡]{1,3}")


@dataclass(frozen=True, slots=True)
class Note:
    """A post-it drawn as a box (`notes_on_page`): where it is and its text."""

    bbox: BBox
    text: str


def coloured_boxes(page: object, settings: ExtractionSettings) -> tuple[BBox, ...]:
    """The filled rectangles of `shaded_boxes` in a colour other than white, and the boxes of rectangles
    set a little askew (`_askew_boxes`)."""
    filled = [*_filled_boxes(page, settings), *_askew_boxes(page, settings)]
    return tuple(box for box, colour in filled if not _white(colour))


def _askew_boxes(page: object, settings: ExtractionSettings) -> list[tuple[BBox, object]]:
    """The filled rectangles turned by `text_tilt_degrees` (a slide's post-its, their text set straight
    by `straightened_text`), each as the box around it, with its fill colour."""
    low, high = settings.text_tilt_degrees
    boxes = []
    for curve in page.curves:  # type: ignore[attr-defined]
        points = [(float(x), float(y)) for x, y in curve.get("pts") or ()]
        if points and points[0] == points[-1]:
            points = points[:-1]
        if not curve.get("fill") or len(points) != 4:
            continue
        sides = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:] + points[:1])]
        square = all(abs(u[0] * v[0] + u[1] * v[1]) <= 0.02 * math.hypot(*u) * math.hypot(*v)
                     for u, v in zip(sides, sides[1:] + sides[:1]))  # fmt: skip
        turn = min((abs(math.degrees(math.atan2(dy, dx))) % 90 for dx, dy in sides), key=lambda a: min(a, 90 - a))
        long_side, short_side = sorted((math.hypot(*sides[0]), math.hypot(*sides[1])), reverse=True)
        # (Not a ribbon: QA, « Synthèse réalisée par le bureau d'études » on a band 5 times as long as high, at
        # 6°, was read as a post-it; a post-it 3 times as wide as high was lost at 3.)
        note_shaped = short_side > 0 and long_side / short_side <= settings.askew_note_max_aspect
        if square and note_shaped and low <= min(turn, 90 - turn) <= high:
            xs, ys = [x for x, _ in points], [y for _, y in points]
            box = BBox(min(xs), min(ys), max(xs), max(ys))
            if box.bottom - box.top >= settings.shading_min_height:
                boxes.append((box, curve.get("non_stroking_color")))
    return boxes


def _white(colour: object) -> bool:
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 4:  # CMYK
        return all(float(v) <= 0.03 for v in values)
    return all(float(v) >= 0.97 for v in values)


def notes_on_page(
    boxes: Sequence[BBox], words: Sequence[Word], tables: Sequence[BBox], width: float, height: float,
    settings: ExtractionSettings,
) -> tuple[Note, ...]:  # fmt: skip
    """Post-its drawn as boxes, as a board of sticky notes is exported: coloured `boxes` narrower than
    `note_max_width_ratio` of the page, outside `tables`, touching no other, each holding its own words
    in one column, two words at least (a diagram's steps: « Diagnostic » → « Ateliers »), `note_max_lines`
    at most and no list, in one size (key figures: « 250 » over « participants »), not all bold (a heading
    on a coloured band), set apart from any word outside it, with no text between two of them stacked,
    `note_min_count` of them on the page at least (a table's shaded cells or rows touch, hold several
    columns or have text between them; a highlighted word has text beside it). In reading order: row by
    row, left to right."""
    tolerance = settings.line_tolerance
    candidates = [
        box
        for box in boxes
        if box.x1 - box.x0 <= settings.note_max_width_ratio * width
        and box.bottom - box.top <= settings.note_max_height_ratio * height
        and not any(_inside(box, table, tolerance) for table in tables)
    ]
    kept: list[tuple[BBox, list[Word]]] = []
    for box in sorted(candidates, key=lambda b: -(b.x1 - b.x0) * (b.bottom - b.top)):
        if any(_overlap(box, other) for other, _ in kept):
            continue  # (a shadow or a strip drawn over the note)
        if any(_touch(box, other, tolerance) and not _overlap(box, other) for other in boxes):
            continue  # (a table's shaded rows or cells, side by side)
        inside = words_inside(words, box)
        if len(inside) >= 2 and all(_inside(_box_of(word), box, tolerance) for word in inside):
            kept.append((box, inside))
    axis = re.compile(settings.axis_heading_pattern, re.IGNORECASE)
    kept = [  # (a heading set on a coloured band: in bold throughout, or « AXE n »)
        (box, inside)
        for box, inside in kept
        if not all(word.bold for word in inside) and not axis.match(fold(" ".join(word.text for word in inside)))
    ]
    notes: list[tuple[BBox, list[Word]]] = []
    for box, inside in kept:
        lines = group_lines(inside, settings)
        if len(lines) != len(printed_rows(inside, settings)):
            continue  # (a table's row: cells side by side)
        if len(lines) > settings.note_max_lines or sum(starts_list_item(line.text) for line in lines) > 1:
            continue  # (a box of text or a list: « Points forts » and its items)
        sizes = [word.size for word in inside]
        if max(sizes) > (1 + settings.band_text_size_tolerance) * min(sizes):
            continue  # (a key figure: « 250 » large over « participants »)
        margin = settings.column_gap_ratio * max(sizes)
        apart = not any(
            word.bottom > box.top and word.top < box.bottom and box.x0 - margin < word.x1 and word.x0 < box.x1 + margin
            for word in words
            if not _inside(_box_of(word), box, tolerance)
            and not any(_inside(_box_of(word), other, tolerance) for other, _ in kept)
        )
        if apart:
            notes.append((box, inside))
    in_notes = {id(word) for _, inside in notes for word in inside}
    loose = [word for word in words if id(word) not in in_notes]
    notes = [
        (box, inside)
        for box, inside in notes
        if not any(other is not box and _text_between(box, other, loose, tolerance) for other, _ in notes)
    ]
    if len(notes) < settings.note_min_count:
        return ()
    rows: list[list[tuple[BBox, list[Word]]]] = []
    for box, inside in sorted(notes, key=lambda note: note[0].top):
        if rows and box.top < rows[-1][0][0].bottom:
            rows[-1].append((box, inside))
        else:
            rows.append([(box, inside)])
    return tuple(
        Note(box, join_lines(line.text for line in group_lines(inside, settings)))
        for row in rows
        for box, inside in sorted(row, key=lambda note: note[0].x0)
    )


def _inside(inner: BBox, outer: BBox, tolerance: float) -> bool:
    return (
        inner.x0 >= outer.x0 - tolerance
        and inner.x1 <= outer.x1 + tolerance
        and inner.top >= outer.top - tolerance
        and inner.bottom <= outer.bottom + tolerance
    )


def _overlap(first: BBox, second: BBox) -> bool:
    return first.x0 < second.x1 and second.x0 < first.x1 and first.top < second.bottom and second.top < first.bottom


def _touch(first: BBox, second: BBox, tolerance: float) -> bool:
    """Whether two boxes meet or nearly, edge to edge (closer than `tolerance`)."""
    return (
        first.x0 < second.x1 + tolerance
        and second.x0 < first.x1 + tolerance
        and first.top < second.bottom + tolerance
        and second.top < first.bottom + tolerance
    )


def _box_of(word: Word) -> BBox:
    return BBox(word.x0, word.top, word.x1, word.bottom)


def _text_between(upper: BBox, lower: BBox, words: Sequence[Word], tolerance: float) -> bool:
    """Whether a word lies between two boxes stacked one over the other (a table's rows shaded
    one in two have their text between the shaded ones)."""
    if upper.bottom > lower.top or not (upper.x0 < lower.x1 and lower.x0 < upper.x1):
        return False
    left, right = max(upper.x0, lower.x0), min(upper.x1, lower.x1)
    return any(
        left <= (word.x0 + word.x1) / 2 <= right
        and upper.bottom - tolerance < (word.top + word.bottom) / 2 < lower.top + tolerance
        for word in words
    )


def shaded_boxes(page: object, settings: ExtractionSettings) -> tuple[BBox, ...]:
    """The filled rectangles of a pdfplumber page drawn behind text: shaded rows and cells of tables
    without ruling lines (`shading_min_height`)."""
    return tuple(box for box, _ in _filled_boxes(page, settings))


def horizontal_rules(page: object, settings: ExtractionSettings) -> tuple[BBox, ...]:
    """The horizontal rules of a pdfplumber page, each a box of no height at its middle: lines, and
    rectangles thinner than `shading_min_height` (borders drawn as rectangles), joined (`joined_rules`)."""
    return joined_rules(
        [
            BBox(float(item["x0"]), middle, float(item["x1"]), middle)
            for item in [*page.lines, *page.rects]  # type: ignore[attr-defined]
            if float(item["bottom"]) - float(item["top"]) < settings.shading_min_height
            and float(item["x1"]) - float(item["x0"]) > float(item["bottom"]) - float(item["top"])
            for middle in [round((float(item["top"]) + float(item["bottom"])) / 2, 1)]
        ],
        settings,
    )


def joined_rules(segments: Iterable[BBox], settings: ExtractionSettings) -> tuple[BBox, ...]:
    """Horizontal segments (boxes of no height) on one height that touch or overlap, joined into one
    rule (a border drawn cell by cell; the edges of a row's shaded cells)."""
    rules: list[BBox] = []
    for segment in sorted(segments, key=lambda box: (box.top, box.x0)):
        last = rules[-1] if rules else None
        if (
            last is not None
            and abs(last.top - segment.top) <= settings.line_tolerance
            and segment.x0 <= last.x1 + settings.column_snap
        ):
            rules[-1] = BBox(last.x0, last.top, max(last.x1, segment.x1), last.top)
        else:
            rules.append(segment)
    return tuple(rules)


def _filled_boxes(page: object, settings: ExtractionSettings) -> list[tuple[BBox, object]]:
    """The filled rectangles of a pdfplumber page at least `shading_min_height` tall, with their fill colour."""
    return [
        (
            BBox(float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"])),
            rect.get("non_stroking_color"),
        )
        for rect in page.rects  # type: ignore[attr-defined]
        if rect.get("fill") and float(rect["bottom"]) - float(rect["top"]) >= settings.shading_min_height
    ]


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table drawn with ruling lines, as pdfplumber's table finder cuts it: its box and its rows of cell
    boxes, None for a cell covered by a cell spanning from above or from the left."""

    bbox: BBox
    rows: tuple[tuple[BBox | None, ...], ...]


def ruled_tables(
    page: object, settings: ExtractionSettings, rulings: Sequence[BBox] | None = None
) -> tuple[RuledTable, ...]:
    """The tables of a pdfplumber page drawn with ruling lines, found by pdfplumber's line strategy.

    `rulings` (segments of zero width or height) stand for the page's own lines: those seen on a scan.
    """
    table_settings: dict[str, object] = {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": settings.ruled_snap_tolerance,
        "edge_min_length": settings.ruled_edge_min_length,
    }
    if rulings is not None:
        vertical = [_explicit_line(r) for r in rulings if r.x0 == r.x1]
        horizontal = [_explicit_line(r) for r in rulings if r.top == r.bottom]
        if len(vertical) < 2 or len(horizontal) < 2:
            return ()
        table_settings.update(
            vertical_strategy="explicit",
            horizontal_strategy="explicit",
            explicit_vertical_lines=vertical,
            explicit_horizontal_lines=horizontal,
        )
    return tuple(
        RuledTable(
            bbox=_corners_box(table.bbox),
            rows=tuple(tuple(None if cell is None else _corners_box(cell) for cell in row.cells) for row in table.rows),
        )
        for table in page.find_tables(table_settings=table_settings)  # type: ignore[attr-defined]
    )


def _corners_box(corners: Sequence[float]) -> BBox:
    """pdfplumber's (x0, top, x1, bottom) as a box."""
    return BBox(*(float(v) for v in corners))


def _explicit_line(segment: BBox) -> dict[str, object]:
    """A segment as the line object of pdfplumber's explicit table strategy."""
    return {
        "object_type": "line",
        "x0": segment.x0,
        "x1": segment.x1,
        "top": segment.top,
        "bottom": segment.bottom,
        "width": segment.x1 - segment.x0,
        "height": segment.bottom - segment.top,
    }


@dataclass(frozen=True, slots=True)
class PageObjectCounts:
    """How many characters a pdfplumber page's text layer holds, and how many images the page shows."""

    chars: int
    images: int


def page_object_counts(page: object) -> PageObjectCounts:
    return PageObjectCounts(chars=len(page.chars), images=len(page.images))  # type: ignore[attr-defined]


def page_size(page: object) -> tuple[float, float]:
    """A pdfplumber page's width and height, in PDF points."""
    return float(page.width), float(page.height)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page drawn in shades of grey, and the box in PDF points that the image shows."""

    image: Image.Image
    bbox: BBox


def rendered_page(page: object, resolution: int) -> RenderedPage:
    """A pdfplumber page drawn at `resolution` dots per inch. Raises `pypdfium2.PdfiumError` for a page
    that cannot be drawn."""
    image = page.to_image(resolution=resolution).original.convert("L")  # type: ignore[attr-defined]
    return RenderedPage(image=image, bbox=_corners_box(page.bbox))  # type: ignore[attr-defined]


def without_note_calls(words: Sequence[Word], settings: ExtractionSettings) -> list[Word]:
    """`words` without footnote calls: a number or star set as a superscript right after a word
    ("fraîcheur⁽¹⁾"), smaller than it and raised above its baseline (QA: a call in a cell made an
    action « (1) » and moved the next action's sub-field onto it). The note itself, at the page's
    foot, is fine print (`fine_print_ratio`)."""
    calls = [word for word in words if _NOTE_CALL.fullmatch(word.text)]
    if not calls:
        return list(words)
    dropped = {
        id(call) for call in calls if any(word is not call and _superscript_of(call, word, settings) for word in words)
    }
    return [word for word in words if id(word) not in dropped]


def _superscript_of(word: Word, base: Word, settings: ExtractionSettings) -> bool:
    """Whether `word` is set as a superscript right after `base` (touching it within `note_call_gap`, a
    kerned glyph or a rounding over it), smaller, raised above its baseline."""
    return (
        abs(word.x0 - base.x1) <= settings.note_call_gap
        and word.size <= settings.note_call_size_ratio * base.size
        and word.bottom <= base.bottom - settings.note_call_raise_ratio * base.size
        and word.bottom > base.top
    )


_SUPERSCRIPT_LETTERS = re.compile(r"[^\W\d_]{1,3}")


def with_superscripts_joined(words: Sequence[Word], settings: ExtractionSettings) -> list[Word]:
    """`words` with the letters set as a superscript after a word joined to it, on its line: « 1er », « 2e »,
    « XXe », « Mme », « n° » (QA: the raised « er » of « le 1er étage » made a line of its own, and the post-it
    stopped at « 1 », « étage de la mairie » lost)."""
    raised = [word for word in words if _SUPERSCRIPT_LETTERS.fullmatch(word.text)]
    if not raised:
        return list(words)
    by_end = sorted(words, key=lambda w: w.x1)
    ends = [w.x1 for w in by_end]
    gap = settings.note_call_gap
    joined: dict[int, Word] = {}  # base's id -> the base with its superscripts
    dropped: set[int] = set()
    for word in sorted(raised, key=lambda w: w.x0):
        before = by_end[bisect_left(ends, word.x0 - gap) : bisect_right(ends, word.x0 + gap)]
        base = next((b for b in before if b is not word and _superscript_of(word, b, settings)), None)
        if base is None:
            continue
        start = joined.get(id(base), base)
        joined[id(base)] = Word(
            start.text + word.text, start.x0, word.x1, start.top, start.bottom, start.size, start.bold
        )
        dropped.add(id(word))
    return [joined.get(id(word), word) for word in words if id(word) not in dropped]


def group_lines(words: Iterable[Word], settings: ExtractionSettings, split_columns: bool = True) -> list[Line]:
    """Words grouped into lines, each printed line split where a gap separates columns, unless the
    words are known to stand in one column (`split_columns` false: a column of a page in two)."""
    lines: list[Line] = []
    for row in printed_rows(words, settings):
        row.sort(key=lambda w: w.x0)
        spacing = _justified_spacing(row, settings)
        current = [row[0]]
        for word in row[1:]:
            gap = word.x0 - current[-1].x1
            size = max(word.size, current[-1].size)
            after_marker = len(current) == 1 and is_list_marker(current[0].text) and gap <= settings.marker_gap_ratio * size
            justified = spacing is not None and abs(gap - spacing) <= settings.justified_space_tolerance
            if split_columns and gap > settings.column_gap_ratio * size and not after_marker and not justified:
                lines.append(_line(current, settings))
                current = [word]
            else:
                current.append(word)
        lines.append(_line(current, settings))
    return lines


def _justified_spacing(row: Sequence[Word], settings: ExtractionSettings) -> float | None:
    """The space between the words of a justified line in `row` (sorted by x0): a gap wider than a word space,
    narrower than `justified_max_space_ratio` of the font size, that `justified_min_spaces` gaps of the row
    share, within `justified_space_tolerance` (QA: a justified post-it 9 points apart in 10-point type was cut
    into a table's cells and lost its middle words). The gaps between a table's cells differ with what the
    cells hold, or are wider (QA: columns of two-digit figures, equally spaced, were read as one line)."""
    gaps = sorted(b.x0 - a.x1 for a, b in zip(row, row[1:]))
    tolerance, size = settings.justified_space_tolerance, max(w.size for w in row)
    wide = [gap for gap in gaps if settings.column_gap_ratio * size < gap <= settings.justified_max_space_ratio * size]
    for gap in wide:
        if sum(abs(other - gap) <= tolerance for other in gaps) >= settings.justified_min_spaces:
            return gap
    return None


def _line(words: list[Word], settings: ExtractionSettings) -> Line:
    return Line(tuple(words), word_space=settings.word_space_ratio * max(word.size for word in words))


def fits_after(previous: Line, line: Line, right: float, settings: ExtractionSettings) -> bool:
    """Whether the first word of `line` would have fitted after `previous`, before `right`, a word
    space being at most `column_gap_ratio` of the font size: text wraps only when it would not."""
    width = line.words[0].x1 - line.words[0].x0
    return width < right - previous.x1 - settings.column_gap_ratio * line.size


def wraps_onto(previous: Line, line: Line, right: float, settings: ExtractionSettings) -> bool:
    """Whether `line` is the text of `previous` wrapped: set below it, closer than `paragraph_gap_ratio`
    of the font size, its first word too long to have fitted after it before `right` (`fits_after`) and
    not opening a sentence with a capital (QA: « Les animateurs ont ensuite regroupé ces idées… », set
    close under a post-it that filled its line, was glued to it)."""
    return (
        not line.text[:1].isupper()
        and line.top > previous.top + settings.line_tolerance
        and line.top - previous.bottom <= settings.paragraph_gap_ratio * line.size
        and not fits_after(previous, line, right, settings)
    )


def words_inside(words: Sequence[Word], box: BBox) -> list[Word]:
    """The words whose centre lies inside `box`."""
    return [
        w
        for w in words
        if box.x0 <= (w.x0 + w.x1) / 2 <= box.x1 and box.top <= (w.top + w.bottom) / 2 <= box.bottom
    ]


def prose_size(lines: Sequence[Line], text_width: float, settings: ExtractionSettings) -> float | None:
    """The font size of the report's running prose: the commonest size of its widest lines, bold
    ones aside (a long heading of a report without prose made the tables' headings table text)."""
    wide = [
        line.size for line in lines if (line.x1 - line.x0) >= settings.prose_width_ratio * text_width and not line.bold
    ]
    if not wide:
        return None
    return Counter(wide).most_common(1)[0][0]


def is_header_row(row: Sequence[Line], settings: ExtractionSettings) -> bool:
    """A printed row made only of table header names ("OBJECTIFS", "ACTIONS", …)."""
    known = {name for name, _ in settings.header_roles}
    return len(row) >= 2 and all(header_name(line.text) in known for line in row)


def reading_areas(
    words: Sequence[Word], tables: Sequence[BBox], width: float, height: float, settings: ExtractionSettings
) -> tuple[BBox, ...]:
    """The page cut into the areas a reader reads in turn: full-width bands and, where the page is
    set in two columns, the left column then the right one (QA: the lines of both columns at one
    height were read as one line, « Créer des jardins … - Développer le covoiturage … » one post-it).

    Two columns are rows of text on both sides of a band of white (`gutter_ratio`) that runs down
    the middle of the text (`gutter_centre_ratio`), over `gutter_min_rows` rows at least, each side
    one column; `tables` (ruled tables) are never cut.
    """
    whole = (BBox(0.0, 0.0, width, height),)
    if not words:
        return whole
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    # Around the text's centre or the page's: ragged columns end short of the text's right margin
    # (QA: short post-its in the right column moved the text's centre off the gutter, and the two
    # columns were read as a table of themes and post-its).
    slack = settings.gutter_centre_ratio * (right - left)
    centres = ((left + right) / 2, width / 2)
    zone = (min(centres) - slack, max(centres) + slack)

    rows: list[tuple[float, float, list[tuple[float, float]], list[Word]]] = []  # top, bottom, ink, words
    for row in printed_rows(words, settings):
        top, bottom = min(w.top for w in row), max(w.bottom for w in row)
        ink = [(w.x0, w.x1) for w in row]
        ink += [(t.x0, t.x1) for t in tables if t.top <= (top + bottom) / 2 <= t.bottom]
        rows.append((top, bottom, ink, row))
    rows += [(t.top, t.bottom, [(t.x0, t.x1)], []) for t in tables]
    rows.sort(key=lambda r: r[0])

    sections: list[tuple[float, float, float]] = []  # top, bottom, gutter's middle
    start, free = 0, [(left, right)]
    for index, (_, _, ink, row) in enumerate(rows + [(0.0, 0.0, [(left, right)], [])]):
        least = settings.gutter_ratio * max((w.size for w in row), default=0.0)
        if remaining := _gutters(free, ink, zone, least):
            free = remaining
            continue
        section = _two_columns(rows[start:index], free, zone, settings)
        if section is not None:
            sections.append(section)
        free = _gutters([(left, right)], ink, zone, least)  # this row may open the next section
        start = index if free else index + 1
        free = free or [(left, right)]
    many = [] if sections else _many_columns(rows, left, right, settings)
    if not sections and not many:
        return whole
    areas: list[BBox] = []
    above = 0.0
    for top, bottom, middles in [(top, bottom, (middle,)) for top, bottom, middle in sections] + many:
        edges = (0.0, *middles, width)
        areas += [BBox(0.0, above, width, top), *(BBox(a, top, b, bottom) for a, b in zip(edges, edges[1:]))]
        above = bottom
    return (*areas, BBox(0.0, above, width, height))


def _many_columns(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]],
    left: float,
    right: float,
    settings: ExtractionSettings,
) -> list[tuple[float, float, tuple[float, ...]]]:
    """The sections of a page set in three columns or more: each section's top, bottom and the middles
    of its gutters (QA: three columns of post-its were read as a table of objectives and actions, every
    post-it lost). As for two columns (`_two_columns`), bands of white run down between the columns over
    `gutter_min_rows` rows with text in two columns at least, each column a list in one column, and no
    header row or cells (`_cells`) make them a table."""
    rows = _level_rows(rows, settings)
    sections: list[tuple[float, float, tuple[float, ...]]] = []
    start, free = 0, [(left, right)]
    for index, (_, _, ink, row) in enumerate([*rows, (0.0, 0.0, [(left, right)], [])]):
        least = settings.gutter_ratio * max((w.size for w in row), default=0.0)
        inside = _inner_bands(free, ink, least, (left, right))
        if len(inside) >= 2:
            free = inside
            continue
        section = _columns_section(rows[start:index], [(lo + hi) / 2 for lo, hi in free], settings)
        if section is not None:
            sections.append(section)
        opened = _inner_bands([(left, right)], ink, least, (left, right))  # (this row may open the next section)
        start, free = (index, opened) if len(opened) >= 2 else (index + 1, [(left, right)])
    return sections


def _inner_bands(
    free: Sequence[tuple[float, float]], ink: Sequence[tuple[float, float]], least: float, text: tuple[float, float]
) -> list[tuple[float, float]]:
    """The white bands of `free` left beside `ink`, `least` wide at least, inside the `text`'s margins."""
    return [(lo, hi) for lo, hi in _without(free, ink) if hi - lo >= least and text[0] < lo and hi < text[1]]


def _level_rows(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]], settings: ExtractionSettings
) -> list[tuple[float, float, list[tuple[float, float]], list[Word]]]:
    """`rows` with those of columns not set level taken as one: a row joins the one above when it starts
    less than `staggered_rows_ratio` of their font size below it and no ink of theirs overlaps."""
    level: list[tuple[float, float, list[tuple[float, float]], list[Word]]] = []
    for top, bottom, ink, words in rows:
        if level and words and level[-1][3]:
            above = level[-1]
            size = max(w.size for w in [*above[3], *words])
            apart = all(x1 <= a or b <= x0 for x0, x1 in ink for a, b in above[2])
            if top - above[0] < settings.staggered_rows_ratio * size and apart:
                level[-1] = (above[0], max(above[1], bottom), [*above[2], *ink], [*above[3], *words])
                continue
        level.append((top, bottom, list(ink), list(words)))
    return level


def _columns_section(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]],
    middles: Sequence[float],
    settings: ExtractionSettings,
) -> tuple[float, float, tuple[float, ...]] | None:
    """The top, bottom and gutter middles of `rows` if they are set in columns parted at `middles`, else None."""
    if len(middles) < 2 or any(is_header_row(group_lines(row, settings), settings) for _, _, _, row in rows):
        return None
    edges = (float("-inf"), *middles, float("inf"))
    columns = [
        [[w for w in row if a <= (w.x0 + w.x1) / 2 < b] for _, _, _, row in rows] for a, b in zip(edges, edges[1:])
    ]
    shared = [sum(bool(column[i]) for column in columns) >= 2 for i in range(len(rows))]
    if (
        sum(shared) < settings.gutter_min_rows
        or not all(_lists(column, settings) and not _split(column, settings) for column in columns)
        or any(_cells(a, b, settings) for a, b in zip(columns, columns[1:]))
    ):
        return None
    first = shared.index(True)
    header, body = rows[first][3], [w for _, _, _, row in rows[first + 1 :] for w in row]
    common = Counter(round(w.size, 1) for w in body).most_common(1)[0][0] if body else 0.0
    if all(w.bold for w in header) and max(round(w.size, 1) for w in header) <= common:
        return None  # a table's header row, bold at its cells' size (« Points forts | Points faibles | Pistes »)
    return rows[first][0], max(bottom for _, bottom, _, _ in rows[first:]), tuple(middles)


def area_index(areas: Sequence[BBox], box: BBox) -> int:
    """The area of `areas` that holds the centre of `box` (the last, when none does)."""
    x, y = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return next(
        (i for i, r in enumerate(areas) if r.x0 <= x <= r.x1 and r.top <= y <= r.bottom), len(areas) - 1
    )


def printed_rows(items: Iterable[Printed], settings: ExtractionSettings) -> list[list[Printed]]:
    """Words or lines grouped by the printed row they sit on (tops within `line_tolerance`), top to bottom."""
    rows: list[list[Printed]] = []
    for item in sorted(items, key=lambda it: (it.top, it.x0)):
        if rows and abs(item.top - rows[-1][0].top) <= settings.line_tolerance:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _without(free: Sequence[tuple[float, float]], ink: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The intervals of `free` that no interval of `ink` covers."""
    result = list(free)
    for x0, x1 in ink:
        result = [
            piece
            for lo, hi in result
            for piece in ((lo, min(hi, x0)), (max(lo, x1), hi))
            if piece[1] > piece[0]
        ]
    return result


def _gutters(
    free: Sequence[tuple[float, float]], ink: Sequence[tuple[float, float]], zone: tuple[float, float], least: float
) -> list[tuple[float, float]]:
    """The white bands of `free` left beside `ink` that cross `zone` and are `least` wide at least."""
    return [(lo, hi) for lo, hi in _without(free, ink) if lo < zone[1] and hi > zone[0] and hi - lo >= least]


def _two_columns(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]],
    free: Sequence[tuple[float, float]],
    zone: tuple[float, float],
    settings: ExtractionSettings,
) -> tuple[float, float, float] | None:
    """The rows' top, bottom and gutter middle if they are set in two columns, else None.

    Of the white bands left, the nearest the middle of `zone` whose middle lies in it (two columns of
    one width: a list of wines and their prices is white from the names' end to the prices; so is
    the band after the right column's « - » markers, off the middle), or whose right edge does (the
    right column starts there, however short the left one's lines end: QA, under a full-width intro,
    « - Vélos », « - Covoiturage »… left most of the white left of the centre, the columns were read
    row by row, « Santé » and its post-its lost or filed under « Mobilité »), and that leaves
    each side in one column is the gutter (a table of four columns is white down three bands). A
    header row (« OBJECTIFS | ACTIONS ») or a cell's white beside the next cell's lines (`_cells`)
    says the two sides are a table's columns."""
    if any(is_header_row(group_lines(row, settings), settings) for _, _, _, row in rows):
        return None
    for lo, hi in sorted(free, key=lambda gap: abs(gap[0] + gap[1] - zone[0] - zone[1])):
        middle = (lo + hi) / 2
        if not (zone[0] <= middle <= zone[1] or zone[0] <= hi <= zone[1]):
            continue
        lefts = [[w for w in row if w.x1 <= middle] for _, _, _, row in rows]
        rights = [[w for w in row if w.x0 >= middle] for _, _, _, row in rows]
        sides = _both_sides(rows, lefts, rights, settings)
        if (
            sum(sides) >= settings.gutter_min_rows
            and _lists(lefts, settings)
            and _lists(rights, settings)
            and not _split(lefts, settings)
            and not _split(rights, settings)
            and not _cells(lefts, rights, settings)
        ):
            # (The columns start where both sides do: a short title or intro above them is the page's.)
            return rows[sides.index(True)][0], _columns_bottom(rows, sides, middle), middle
    return None


def _both_sides(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]],
    lefts: Sequence[Sequence[Word]],
    rights: Sequence[Sequence[Word]],
    settings: ExtractionSettings,
) -> list[bool]:
    """For each row, whether it has text on both sides of the gutter: itself, or with the row just
    above or below it, about a line's height away at most (`staggered_rows_ratio`), holding the other
    side (QA: one column set a few points lower than the other, no row had text on both sides, and the
    page was read line by line across both columns)."""

    def near(index: int, other: Sequence[Sequence[Word]]) -> bool:
        top, words = rows[index][0], rows[index][3]
        return any(
            0 <= j < len(rows)
            and bool(other[j])
            and abs(rows[j][0] - top) < settings.staggered_rows_ratio * max(w.size for w in [*words, *rows[j][3]])
            for j in (index - 1, index + 1)
        )

    return [
        bool(left) and bool(right) or bool(left) and near(i, rights) or bool(right) and near(i, lefts)
        for i, (left, right) in enumerate(zip(lefts, rights))
    ]


def _columns_bottom(
    rows: Sequence[tuple[float, float, list[tuple[float, float]], list[Word]]], sides: Sequence[bool], middle: float
) -> float:
    """Where two columns end: at the foot of the rows, the longer column going on alone below the
    shorter one, up to a line set larger than any beside which both columns have text, a heading
    under the columns (QA: « Objectifs et actions », short, over the table below the columns, was
    read in the left column before the right one, and the right column's « Santé » and its post-its
    were lost, the table's objectives filed under « Santé »). A line not in bold under which the left
    column's list goes on is no heading (QA: a quote set larger among the left column's post-its,
    « Le vélo, c'est la liberté », filed the post-its below it under the right column's category)."""
    first, last = sides.index(True), len(sides) - 1 - sides[::-1].index(True)
    largest = max(round(word.size, 1) for _, _, _, row in rows[first : last + 1] for word in row)

    def left_item(row: Sequence[Word]) -> bool:
        ordered = sorted(row, key=lambda word: word.x0)
        return all(word.x1 <= middle for word in ordered) and starts_list_item(" ".join(w.text for w in ordered))

    end = next(
        (
            i
            for i in range(last + 1, len(rows))
            if any(round(word.size, 1) > largest for word in rows[i][3])
            and (all(word.bold for word in rows[i][3]) or not (i + 1 < len(rows) and left_item(rows[i + 1][3])))
        ),
        len(rows),
    )
    return max(bottom for _, bottom, _, _ in rows[:end])


def _lists(rows: Sequence[Sequence[Word]], settings: ExtractionSettings) -> bool:
    """Whether a side holds a list item (« - Créer… », « • … »): columns of post-its are lists; the
    objectives of a table without rules or header, beside their actions, are not (QA: read as a
    column of text, the table gave no idea)."""
    return any(starts_list_item(line.text) for row in rows if row for line in group_lines(row, settings))


def _split(rows: Sequence[Sequence[Word]], settings: ExtractionSettings) -> bool:
    """Whether a band of white wider than a column gap runs down between the lines of `rows`
    (the spaces of justified lines do not line up; a list marker and its text are one line)."""
    lines = [group_lines(row, settings) for row in rows if row]
    if not lines:
        return False
    free = [(min(ln[0].x0 for ln in lines), max(line.x1 for ln in lines for line in ln))]
    least = settings.column_gap_ratio * max(word.size for row in rows for word in row)
    for row_lines in lines:
        free = [(lo, hi) for lo, hi in _without(free, [(line.x0, line.x1) for line in row_lines]) if hi - lo > least]
    return bool(free)


def _cells(lefts: Sequence[Sequence[Word]], rights: Sequence[Sequence[Word]], settings: ExtractionSettings) -> bool:
    """Whether the sides are a table's cells: wherever one side leaves a row's height of white
    (`row_gap_ratio`) beside whole lines of the other, its next line starts level with a line of the
    other, as the next row's cells do (a short objective left blank beside its second action). The
    white above a column's next heading ends level with the other column's lines only by chance: a line
    in bold or larger than its side's commonest size, without a marker, under white is a heading, not a
    cell (QA: a category spaced a line's height from the list above lined up with the other column's items)."""
    holes = aligned = 0
    for side, other in ((lefts, rights), (rights, lefts)):
        rows = [sorted(row, key=lambda w: w.x0) for row in side if row]
        common = Counter(round(w.size, 1) for row in rows for w in row).most_common(1)[0][0] if rows else 0.0
        lines = [
            (
                min(w.top for w in row),
                max(w.bottom for w in row),
                max(w.size for w in row),
                (all(w.bold for w in row) or min(round(w.size, 1) for w in row) > common)
                and not starts_list_item(" ".join(w.text for w in row)),
            )
            for row in rows
        ]
        beside = [(min(w.top for w in row), max(w.bottom for w in row)) for row in other if row]
        for (_, above, size, _), (below, _, _, heading) in zip(lines, lines[1:]):
            if heading:
                continue
            if below - above > settings.row_gap_ratio * size and any(above < t and b < below for t, b in beside):
                holes += 1
                aligned += any(abs(t - below) <= settings.line_tolerance for t, _ in beside)
    return holes > 0 and aligned == holes
