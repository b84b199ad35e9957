"""Scanned pages (no text layer) read with Tesseract: our `Word`s and ruling lines from a page image.

This is the boundary with pytesseract and with page images: tesseract's dicts and pixel arrays
are read here and nowhere else. The words come out as a text layer would give them (same
coordinates in PDF points, a font size, a bold flag), so the rest of extraction reads a scanned
page exactly as it reads a digital one. Tesseract gives neither size nor weight: the size is
measured from the height of the glyphs, the weight from the width of their strokes.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image
from pytesseract import Output, TesseractError, TesseractNotFoundError

from atelier.extract.layout import PageObjectCounts, RenderedPage, Word
from atelier.extract.records import BBox
from atelier.extract.settings import ExtractionSettings

# Where the ink of a glyph reaches, in ems from the baseline, in common Latin fonts: capitals,
# digits and ascenders to 0.72, lower case to 0.52, descenders to -0.21. Glyphs whose reach
# varies from font to font ("t", accents, brackets, commas) make a word's extent unknown.
_CAP = 0.72
_X_HEIGHT = 0.52
_DESCENDER = -0.21
_REACHES_CAP = set("ABCDEFGHIJKLMNOPRSTUVWXYZ0123456789bdfhkl")
_UNSURE_TOP = set("tij'’\"«»()[]{}/|!?") | set("àâäéèêëîïôöùûüÿœæç")
_REACHES_DESCENDER = set("gjpqyç")
_UNSURE_BOTTOM = set(",;()[]{}/|")
_NEUTRAL = set("acemnorsuvwxz.:-–…") | set("àâäéèêëîïôöùûüÿœæ")
_KNOWN = _REACHES_CAP | _UNSURE_TOP | _REACHES_DESCENDER | _UNSURE_BOTTOM | _NEUTRAL
# Horizontal runs of ink longer than this ratio of the font size are bars ("T", "e", "—"), not stems.
_STEM_MAX = 0.4
# pdfminer places a character's box from `descent` below the baseline to `1 + descent` above it.
_BOX_DESCENT = 0.21


class OcrUnavailable(Exception):
    """Tesseract or its language data is missing; the message is the French reason."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What OCR read on one page: words in reading coordinates, their confidence 0–1, ruling lines."""

    words: tuple[Word, ...]
    confidences: tuple[float, ...]
    rulings: tuple[BBox, ...]


@dataclass(frozen=True, slots=True)
class _Frame:
    """From image pixels to PDF points."""

    x0: float
    top: float
    scale_x: float
    scale_y: float

    def x(self, pixels: float) -> float:
        return self.x0 + pixels * self.scale_x

    def y(self, pixels: float) -> float:
        return self.top + pixels * self.scale_y


@dataclass(frozen=True, slots=True)
class _InkBox:
    """One word as tesseract saw it, in pixels."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float


def needs_ocr(page: PageObjectCounts, settings: ExtractionSettings) -> bool:
    """A page with (almost) no text layer but an image: a scan."""
    return page.chars < settings.ocr_min_chars and page.images > 0


def unavailable_reason(settings: ExtractionSettings) -> str | None:
    """Why OCR cannot run on this machine, in French; None when it can."""
    try:
        pytesseract.get_tesseract_version()
        languages = pytesseract.get_languages(config="")
    except (TesseractNotFoundError, TesseractError, OSError):
        return "Tesseract n'est pas installé"
    if settings.ocr_language not in languages:
        return f"la langue « {settings.ocr_language} » de Tesseract n'est pas installée"
    return None


def ocr_page(page: RenderedPage, settings: ExtractionSettings) -> OcrPage:
    """Find the ruling lines of a page drawn at `ocr_resolution`, read its words. Raises `OcrUnavailable`."""
    image, box = page.image, page.bbox
    frame = _Frame(box.x0, box.top, (box.x1 - box.x0) / image.width, (box.bottom - box.top) / image.height)
    ink = np.asarray(image) < settings.ocr_ink_threshold
    tilt = skew_degrees(ink, settings)
    if abs(tilt) >= settings.ocr_skew_min_degrees:
        image = image.rotate(-tilt, resample=Image.Resampling.BICUBIC, fillcolor=255)
        ink = np.asarray(image) < settings.ocr_ink_threshold
    min_run = max(2, round(settings.ruled_edge_min_length / frame.scale_x))
    horizontal = long_runs(ink, min_run)
    vertical = long_runs(ink.T, min_run).T
    rulings = ruling_segments(horizontal, vertical, frame)
    ruled = _grow(horizontal, axis=0) | _grow(vertical, axis=1)
    text_ink = ink & ~ruled
    boxes = _read_boxes(Image.fromarray(np.where(ruled, 255, np.asarray(image)).astype(np.uint8)), settings)
    words, confidences = words_from_boxes(boxes, text_ink, frame, settings)
    return OcrPage(words=words, confidences=confidences, rulings=rulings)


def skew_degrees(ink: np.ndarray, settings: ExtractionSettings) -> float:
    """How many degrees a page's lines of ink are tilted, counter-clockwise (as `Image.rotate` turns an
    image: turned by the opposite, it is straight): the angle at which the ink, counted row by row,
    falls in the fewest and fullest rows. 0 for a page without enough ink, or tilted further than
    `ocr_skew_max_degrees`. Lines are left out, the ink of text measured alone: their runs of ink are
    longer than a letter's (QA: six thick lines of a diagram at 2–4° under level text turned the page,
    and its table was lost); a table's rules turn with its text."""
    longest = max(2, round(settings.ocr_skew_max_run_points * settings.ocr_resolution / 72))
    rows, columns = np.nonzero(ink & ~long_runs(ink, longest))
    if len(rows) < _MIN_INK_FOR_SKEW:
        return 0.0
    if len(rows) > _SKEW_SAMPLE:  # (evenly spread: the measure needs the shape of the lines, not every pixel)
        keep = np.linspace(0, len(rows) - 1, _SKEW_SAMPLE).astype(np.int64)
        rows, columns = rows[keep], columns[keep]
    rows, columns = rows.astype(np.float64), columns.astype(np.float64) - ink.shape[1] / 2

    def sharpness(degrees: float) -> float:
        counts = np.bincount(np.round(rows + columns * np.tan(np.radians(degrees)) + ink.shape[1]).astype(np.int64))
        return float(np.dot(counts, counts))

    best, reach, step = 0.0, settings.ocr_skew_max_degrees, max(settings.ocr_skew_max_degrees / 10, 0.1)
    while True:
        angles = np.arange(best - reach, best + reach + step / 2, step)
        best = float(max(angles, key=sharpness))
        if step <= settings.ocr_skew_precision_degrees:
            return round(best, 2) if abs(best) <= settings.ocr_skew_max_degrees else 0.0
        reach, step = step, step / 5


# Below this many ink pixels a page's tilt is not measured; above this many, a spread sample of them is used.
_MIN_INK_FOR_SKEW = 2_000
_SKEW_SAMPLE = 200_000


def _read_boxes(image: Image.Image, settings: ExtractionSettings) -> list[list[_InkBox]]:
    # Tesseract's OpenMP threads fight over the cores of a small machine: one thread is ~6x faster.
    os.environ.setdefault("OMP_THREAD_LIMIT", str(settings.ocr_threads))
    try:
        data = pytesseract.image_to_data(
            image,
            lang=settings.ocr_language,
            config=f"-c tessedit_char_blacklist={settings.ocr_char_blacklist}" if settings.ocr_char_blacklist else "",
            output_type=Output.DICT,
            timeout=settings.ocr_timeout,
        )
    except TesseractNotFoundError as error:
        raise OcrUnavailable("Tesseract n'est pas installé") from error
    except TesseractError as error:
        detail = " ".join(str(error.message).split()) or f"code {error.status}"
        raise OcrUnavailable(f"échec de Tesseract ({detail})") from error
    except RuntimeError as error:  # pytesseract's timeout
        raise OcrUnavailable(f"OCR interrompue après {settings.ocr_timeout:g} s") from error
    return boxes_by_line(data)


def boxes_by_line(data: dict[str, list]) -> list[list[_InkBox]]:
    """Tesseract's words grouped by its text lines, empty words (ruling lines, specks) left out."""
    lines: dict[tuple[int, int, int], list[_InkBox]] = {}
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if int(data["level"][i]) != 5 or not str(text).strip() or confidence < 0:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        box = _InkBox(
            str(text).strip(), left, top, left + int(data["width"][i]), top + int(data["height"][i]), confidence / 100
        )
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(box)
    return list(lines.values())


def words_from_boxes(
    lines: Sequence[Sequence[_InkBox]], ink: np.ndarray, frame: _Frame, settings: ExtractionSettings
) -> tuple[tuple[Word, ...], tuple[float, ...]]:
    """Our words, sized and set on a common baseline per line, without fine print; the header and
    footer bands are read, to be judged with the other pages' (`layout.page_header`, `layout.page_footer`)."""
    measured = [line_size(line) for line in lines]
    common = Counter(
        round(size * frame.scale_y, 1) for line, size in zip(lines, measured) if size for box in line for _ in box.text
    )
    common_size = common.most_common(1)[0][0] if common else 0.0
    words: list[Word] = []
    confidences: list[float] = []
    for line, measured_px in zip(lines, measured):
        # A line of unsure letters ("été", "(…)") is taken at the page's commonest size, or more if its ink says so.
        ink_height = max(b.bottom for b in line) - min(b.top for b in line)
        size_px = measured_px or max(common_size / frame.scale_y, ink_height / settings.ocr_line_height_ratio)
        size = size_px * frame.scale_y
        baseline = frame.y(line_baseline(line, size_px))
        top, bottom = baseline - (1 - _BOX_DESCENT) * size, baseline + _BOX_DESCENT * size
        if size < settings.fine_print_ratio * common_size:
            continue
        bold = stroke_width(ink, line, size_px) >= settings.ocr_bold_stroke_ratio * size_px
        for box in line:
            words.append(Word(box.text, frame.x(box.left), frame.x(box.right), top, bottom, size, bold))
            confidences.append(box.confidence)
    return tuple(words), tuple(confidences)


def glyph_extent(text: str) -> tuple[float | None, float | None]:
    """(top, bottom) in ems around the baseline reached by a word's ink; None for a side its letters leave unsure."""
    if not any(c.isalnum() for c in text) or any(c not in _KNOWN for c in text):
        return None, None
    top: float | None = _X_HEIGHT
    if any(c in _REACHES_CAP for c in text):
        top = _CAP
    elif any(c in _UNSURE_TOP for c in text):
        top = None
    bottom: float | None = 0.0
    if any(c in _REACHES_DESCENDER for c in text):
        bottom = _DESCENDER
    elif any(c in _UNSURE_BOTTOM for c in text):
        bottom = None
    return top, bottom


def line_size(line: Sequence[_InkBox]) -> float | None:
    """Font size in pixels of a text line: the median, letter by letter, over its words whose
    ink extent is known (so that a speck read as "z" does not outvote a word)."""
    sizes = []
    for box in line:
        top, bottom = glyph_extent(box.text)
        if top is not None and bottom is not None:
            sizes.extend([(box.bottom - box.top) / (top - bottom)] * len(box.text))
    return statistics.median(sizes) if sizes else None


def line_baseline(line: Sequence[_InkBox], size: float) -> float:
    """Baseline of a text line in pixels, from the words whose lowest reach is known."""
    baselines = []
    for box in line:
        bottom = glyph_extent(box.text)[1]
        if bottom is not None:
            baselines.extend([box.bottom + bottom * size] * len(box.text))
    if baselines:
        return statistics.median(baselines)
    return max(box.bottom for box in line) + _DESCENDER * size


def stroke_width(ink: np.ndarray, line: Sequence[_InkBox], size: float) -> float:
    """Mean width in pixels of a line's stems: the horizontal runs of ink in its words, bars
    (runs longer than `_STEM_MAX` of the font size, in pixels too) left out."""
    runs = np.concatenate([_run_lengths(ink[box.top : box.bottom, box.left : box.right]) for box in line])
    stems = runs[runs < _STEM_MAX * size]
    return float(stems.mean()) if stems.size else 0.0


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The horizontal runs of a mask, row by row: (row, first column, column after the last)."""
    steps = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return rows, starts, ends


def _run_lengths(ink: np.ndarray) -> np.ndarray:
    _, starts, ends = _runs(ink)
    return ends - starts


def long_runs(ink: np.ndarray, min_length: int) -> np.ndarray:
    """The ink pixels that belong to a horizontal run of at least `min_length` pixels."""
    rows, starts, ends = _runs(ink)
    keep = ends - starts >= min_length
    marks = np.zeros((ink.shape[0], ink.shape[1] + 1), dtype=np.int32)
    np.add.at(marks, (rows[keep], starts[keep]), 1)
    np.add.at(marks, (rows[keep], ends[keep]), -1)
    return np.cumsum(marks, axis=1)[:, :-1] > 0


def _grow(mask: np.ndarray, axis: int) -> np.ndarray:
    """`mask` widened by one pixel on both sides along `axis`: the anti-aliased edges of its lines."""
    grown = mask.copy()
    if axis == 0:
        grown[1:] |= mask[:-1]
        grown[:-1] |= mask[1:]
    else:
        grown[:, 1:] |= mask[:, :-1]
        grown[:, :-1] |= mask[:, 1:]
    return grown


def ruling_segments(horizontal: np.ndarray, vertical: np.ndarray, frame: _Frame) -> tuple[BBox, ...]:
    """Ruling lines in PDF points: zero-height boxes for horizontal ones, zero-width for vertical ones."""
    segments = [
        BBox(frame.x(x0), frame.y(mid), frame.x(x1), frame.y(mid)) for mid, x0, x1 in _strokes(horizontal)
    ]
    segments += [
        BBox(frame.x(mid), frame.y(y0), frame.x(mid), frame.y(y1)) for mid, y0, y1 in _strokes(vertical.T)
    ]
    return tuple(segments)


def _strokes(mask: np.ndarray) -> list[tuple[float, int, int]]:
    """Horizontal strokes of a mask as (middle row, first column, end column): runs of adjacent rows merged."""
    rows, starts, ends = _runs(mask)
    open_strokes: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        match = next(
            (s for s in open_strokes if s[1] == row - 1 and min(end, s[3]) - max(start, s[2]) > 0), None
        )
        if match is not None:
            match[1], match[2], match[3] = row, min(start, match[2]), max(end, match[3])
            continue
        done.extend(s for s in open_strokes if s[1] < row - 1)
        open_strokes = [s for s in open_strokes if s[1] >= row - 1]
        open_strokes.append([row, row, start, end])
    done.extend(open_strokes)
    return [((first + last + 1) / 2, start, end) for first, last, start, end in done]
