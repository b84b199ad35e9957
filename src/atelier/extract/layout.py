"""From a pdfplumber page to our own typed words and lines.

This is the boundary with pdfplumber: its dicts are read here and nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings
from atelier.extract.text import is_list_marker


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


def is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def page_words(page: object, settings: ExtractionSettings) -> list[Word]:
    """The words of a pdfplumber page, without running headers, footers, footnotes and fine print."""
    height = float(page.height)  # type: ignore[attr-defined]
    top_limit = height * settings.header_band_ratio
    bottom_limit = height * (1.0 - settings.footer_band_ratio)

    sizes = Counter(round(float(char.get("size", 0.0)), 1) for char in page.chars)  # type: ignore[attr-defined]
    common_size = sizes.most_common(1)[0][0] if sizes else 0.0
    min_size = settings.fine_print_ratio * common_size

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        return (
            float(obj.get("size", 0.0)) >= min_size
            and float(obj["top"]) >= top_limit
            and float(obj["bottom"]) <= bottom_limit
        )

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
            text=raw["text"],
            x0=float(raw["x0"]),
            x1=float(raw["x1"]),
            top=float(raw["top"]),
            bottom=float(raw["bottom"]),
            size=float(raw["size"]),
            bold=is_bold(str(raw["fontname"])),
        )
        for raw in raw_words
    ]
    return without_note_calls(words, settings)


# A footnote call: "(1)", "1", "*", "†".
_NOTE_CALL = re.compile(r"\(?\d{1,3}\)?|[*†‡]{1,3}")


def without_note_calls(words: Sequence[Word], settings: ExtractionSettings) -> list[Word]:
    """`words` without footnote calls: a number or star set as a superscript right after a word
    ("fraîcheur⁽¹⁾"), smaller than it and raised above its baseline (QA: a call in a cell made an
    action « (1) » and moved the next action's sub-field onto it). The note itself, at the page's
    foot, is fine print (`fine_print_ratio`)."""
    calls = [word for word in words if _NOTE_CALL.fullmatch(word.text)]
    if not calls:
        return list(words)
    dropped = set()
    for call in calls:
        for word in words:
            if (
                word is not call
                and 0 <= call.x0 - word.x1 <= settings.note_call_gap
                and call.size <= settings.note_call_size_ratio * word.size
                and call.bottom <= word.bottom - settings.note_call_raise_ratio * word.size
                and call.bottom > word.top
            ):
                dropped.add(id(call))
                break
    return [word for word in words if id(word) not in dropped]


def group_lines(words: Iterable[Word], settings: ExtractionSettings) -> list[Line]:
    """Words grouped into lines, each printed line split where a gap separates columns."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    rows: list[list[Word]] = []
    for word in ordered:
        if rows and abs(word.top - rows[-1][0].top) <= settings.line_tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        current = [row[0]]
        for word in row[1:]:
            gap = word.x0 - current[-1].x1
            size = max(word.size, current[-1].size)
            after_marker = len(current) == 1 and is_list_marker(current[0].text) and gap <= settings.marker_gap_ratio * size
            if gap > settings.column_gap_ratio * size and not after_marker:
                lines.append(_line(current, settings))
                current = [word]
            else:
                current.append(word)
        lines.append(_line(current, settings))
    return lines


def _line(words: list[Word], settings: ExtractionSettings) -> Line:
    return Line(tuple(words), word_space=settings.word_space_ratio * max(word.size for word in words))


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
