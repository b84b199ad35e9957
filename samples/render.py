"""Render the Atelier 6 sample report as PDFs (three layout variants) plus expected JSON.

    python -m samples.render            # from the repository root

Reads ``samples/atelier6.yaml`` and writes

* ``data/raw/atelier6_cohesion_sociale.pdf``               (variant "ruled": 0.5 pt grids)
* ``data/raw/atelier6_cohesion_sociale_sans_filets.pdf``   (variant "unruled": no table lines)
* ``data/raw/atelier6_cohesion_sociale_listes.pdf``        (variant "lists": post-its as bulleted lists)
* ``tests/expected/<pdf stem>.json`` for each PDF.

``render_document(content, pdf_path, variant)`` renders any content dict with the same schema
(see the header of ``atelier6.yaml``), writes the PDF and returns the expected JSON dict, so
tests can render small custom documents. Output is deterministic (reportlab ``invariant=1``).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
CONTENT_PATH = Path(__file__).resolve().parent / "atelier6.yaml"
OUTPUTS = {
    "ruled": ROOT / "data" / "raw" / "atelier6_cohesion_sociale.pdf",
    "unruled": ROOT / "data" / "raw" / "atelier6_cohesion_sociale_sans_filets.pdf",
    "lists": ROOT / "data" / "raw" / "atelier6_cohesion_sociale_listes.pdf",
}
EXPECTED_DIR = ROOT / "tests" / "expected"
VARIANTS = ("ruled", "unruled", "lists")
# Variants whose post-its are tables ("lists" prints them as bulleted lists under headings).
TABLE_VARIANTS = ("ruled", "unruled")

PAGE_W, PAGE_H = A4
MARGIN_LR = 2 * cm
MARGIN_TB = 2.5 * cm
FRAME_W = PAGE_W - 2 * MARGIN_LR
FRAME_H = PAGE_H - 2 * MARGIN_TB
DEFAULT_HEADER = "PCET & Agenda 21 du Grand Toulouse – Atelier n°6"
UNLABELLED_FIELD = "Modalités"
AXIS_RE = re.compile(r"^AXE\s+(\d+)\b")

# ----------------------------------------------------------------------------- styles

STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceAfter=4),
    "subtitle": ParagraphStyle("subtitle", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceAfter=3),
    "body": ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=6),
    "bullet": ParagraphStyle(
        "bullet", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=3,
        leftIndent=22, bulletIndent=10, bulletFontName="Helvetica", bulletFontSize=10,
    ),
    "list_category": ParagraphStyle(
        "list_category", fontName="Helvetica-Bold", fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=3,
        keepWithNext=1,
    ),
    "list_theme": ParagraphStyle(
        "list_theme", fontName="Helvetica-Bold", fontSize=10, leading=12.5, spaceBefore=2, spaceAfter=2,
        leftIndent=12, keepWithNext=1,
    ),
    "list_lone": ParagraphStyle(
        "list_lone", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=2,
        leftIndent=22, bulletIndent=10, bulletFontName="Helvetica", bulletFontSize=10,
    ),
    "list_postit": ParagraphStyle(
        "list_postit", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=2,
        leftIndent=34, bulletIndent=22, bulletFontName="Helvetica", bulletFontSize=10,
    ),
    "bullet2": ParagraphStyle(
        "bullet2", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=3,
        leftIndent=44, bulletIndent=32, bulletFontName="Helvetica", bulletFontSize=10,
    ),
    "h1": ParagraphStyle(
        "h1", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=14, spaceAfter=7,
        keepWithNext=1,
    ),
    "h2": ParagraphStyle(
        "h2", fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=10, spaceAfter=6,
        keepWithNext=1,
    ),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11, spaceBefore=0, spaceAfter=4),
    "cell_bold": ParagraphStyle(
        "cell_bold", fontName="Helvetica-Bold", fontSize=9, leading=11, spaceBefore=0, spaceAfter=4,
    ),
}

HEADERS_3 = ["OBJECTIFS", "ACTIONS", "FREINS / MODALITES"]
HEADERS_4 = ["Thématiques", "Objectifs", "Piste d'action", "Freins et modalités"]
WIDTHS_3 = [0.28, 0.36, 0.36]
WIDTHS_4 = [0.16, 0.22, 0.28, 0.34]


def norm(text: str | None) -> str:
    """Whitespace as the extractor is expected to report it: single spaces, stripped."""
    return " ".join((text or "").split())


def esc(text: str) -> str:
    return escape(norm(text))


_VOWELS = set("aeiouyàâäéèêëîïôöùûüœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ")


def _break_word(word: str, avail: float, font: str, size: float) -> list[str]:
    """Split a word too wide for its column into pieces that fit, each but the last ending
    with a line-break hyphen (vowel-consonant-vowel syllable boundaries, at least 3 letters
    on each side), like a word processor's hyphenation."""
    pieces = []
    while stringWidth(word, font, size) > avail:
        best = None
        for i in range(3, len(word) - 2):
            a, b, c = word[i - 1], word[i], word[i + 1]
            if not (a.isalpha() and b.isalpha() and c.isalpha()):
                continue
            if a in _VOWELS and b not in _VOWELS and c in _VOWELS:
                head = word[:i]
                if not all(ch.isalpha() for ch in head[-3:]) or not all(ch.isalpha() for ch in word[i:i + 3]):
                    continue
                if stringWidth(head + "-", font, size) <= avail:
                    best = i
        if best is None:
            break  # leave it to reportlab
        pieces.append(word[:best] + "-")
        word = word[best:]
    pieces.append(word)
    return pieces


def fit(text: str, avail: float, font: str = "Helvetica", size: float = 9) -> str:
    """Escaped markup for `text`; words wider than `avail` get explicit line-break hyphens."""
    out = []
    for word in norm(text).split(" "):
        if word and stringWidth(word, font, size) > avail:
            out.append("<br/>".join(escape(p) for p in _break_word(word, avail, font, size)))
        else:
            out.append(escape(word))
    return " ".join(out)


# ----------------------------------------------------------------------------- flowables


class FootnoteParagraph(Paragraph):
    """A paragraph carrying a footnote marker: when drawn, it queues the footnote text for
    the page it lands on; the page template's onPageEnd callback draws the queue."""

    def __init__(self, text, style, footnotes, queue):
        super().__init__(text, style)
        self._footnotes = footnotes
        self._queue = queue

    def draw(self):
        super().draw()
        self._queue.extend(self._footnotes)


class SpanSplitTable(Table):
    """Table whose row spans may be split at a page break.

    Plain reportlab never splits a table inside a row span (the whole span moves to the next
    page, or a span taller than a page fails). Here a split may fall inside a span: both parts
    keep their share of the span, and the spanned cell's content (theme / objective text) is
    repeated at the top of the continuation part on the next page.
    """

    def _getFirstPossibleSplitRowPosition(self, availHeight, ignoreSpans=0):
        return super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)

    def _splitRows(self, availHeight, doInRowSplit=0):
        result = super()._splitRows(availHeight, doInRowSplit=doInRowSplit)
        if len(result) != 2 or doInRowSplit:
            return result
        first, rest = result
        n = len(first._cellvalues)  # rows [0, n) stay on this page
        repeat = self.repeatRows
        target = repeat if isinstance(repeat, int) else len(repeat)  # first data row of `rest`
        for (col, row), span in (getattr(self, "_spanRanges", None) or {}).items():
            if span is None:
                continue
            sc, sr, ec, er = span
            if (col, row) == (sc, sr) and sr < n <= er:
                source = self._cellvalues[sr][sc]
                if not source:
                    continue
                rest._cellvalues[target] = list(rest._cellvalues[target])
                rest._cellvalues[target][sc] = _copy_cell(source)
        return result


def _copy_cell(value):
    if isinstance(value, (list, tuple)):
        return [Paragraph(p.text, p.style) if isinstance(p, Paragraph) else p for p in value]
    if isinstance(value, Paragraph):
        return Paragraph(value.text, value.style)
    return value


# ----------------------------------------------------------------------------- renderer


class _Renderer:
    def __init__(self, content: dict, variant: str):
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
        self.content = content
        self.variant = variant
        self.ruled = variant != "unruled"
        self.story: list = []
        self.items: list[dict] = []
        self.listed = 0
        self.h2 = ""
        self.footnote_no = 0
        self.footnote_queue: list[str] = []

    # -- helpers ---------------------------------------------------------------
    @property
    def axis(self):
        m = AXIS_RE.match(self.h2)
        return m.group(1) if m else None

    def cell(self, text: str, width: float, bold: bool = False, prefix: str = "") -> Paragraph:
        """A table-cell paragraph: `prefix` (markup) + `text` (plain) in a column of relative
        `width`."""
        style = STYLES["cell_bold" if bold else "cell"]
        avail = width * FRAME_W - 8
        return Paragraph(prefix + fit(text, avail, style.fontName, style.fontSize), style)

    def label(self, label: str) -> str:
        tag = "u" if self.ruled else "b"
        return f"<{tag}>{esc(label)}</{tag}>"

    def table_style(self, extra: list) -> TableStyle:
        pad_tb = 3 if self.ruled else 6
        cmds = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), pad_tb),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad_tb),
            ("FONTNAME", (0, 0), (-1, -1), "Helvetica"),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LEADING", (0, 0), (-1, -1), 11),
        ]
        if self.ruled:
            cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        return TableStyle(cmds + extra)

    def add_table(self, rows, widths, spans, header=False):
        repeat = 1 if (header and self.ruled) else 0
        t = SpanSplitTable(
            rows,
            colWidths=[w * FRAME_W for w in widths],
            repeatRows=repeat,
            splitByRow=1,
        )
        t.setStyle(self.table_style(spans))
        t.spaceBefore = 2
        t.spaceAfter = 8
        self.story.append(t)

    def item(self, kind, text, category="", theme="", objective="", axis=None, details=None):
        self.items.append({
            "kind": kind,
            "text": norm(text),
            "category": norm(category),
            "theme": norm(theme),
            "objective": norm(objective),
            "axis": axis,
            "details": details or [],
        })

    # -- blocks ----------------------------------------------------------------
    def render(self):
        for block in self.content.get("blocks", []):
            (kind, value), = block.items()
            getattr(self, f"b_{kind}")(value)

    def b_title(self, lines):
        for line in lines:
            self.story.append(Paragraph(esc(line), STYLES["title"]))
        self.story.append(Spacer(1, 6))

    def b_subtitle(self, lines):
        for line in lines:
            self.story.append(Paragraph(esc(line), STYLES["subtitle"]))
        self.story.append(Spacer(1, 10))

    def b_paragraph(self, text):
        self.story.append(Paragraph(esc(text), STYLES["body"]))

    def b_h1(self, text):
        self.h2 = ""
        self.story.append(Paragraph(esc(text), STYLES["h1"]))

    def b_h2(self, text):
        self.h2 = norm(text)
        self.story.append(Paragraph(esc(text), STYLES["h2"]))

    def b_bullets(self, items):
        for it in items:
            if isinstance(it, str):
                it = {"text": it}
            self.story.append(Paragraph(esc(it["text"]), STYLES["bullet"], bulletText="-"))
            for sub in it.get("items", []):
                # "-" again, not "•": reportlab writes "•" as code 127 of WinAnsi Helvetica,
                # which pdfminer/pdfplumber extract as "(cid:127)".
                self.story.append(Paragraph(esc(sub), STYLES["bullet2"], bulletText="-"))
        self.story.append(Spacer(1, 4))

    def b_postits(self, categories):
        if self.variant == "lists":
            self.postit_lists(categories)
            return
        for cat in categories:
            rows, spans = [], []
            category = norm(cat.get("category", ""))
            if category:
                spans.append(("SPAN", (0, len(rows)), (1, len(rows))))
                rows.append([self.cell(category, 1.0, bold=True), ""])
            for row in cat.get("rows", []):
                if "lone" in row:
                    rows.append([self.cell(row["lone"], 0.35), ""])
                    self.item("postit", row["lone"], category=category)
                    continue
                theme = norm(row.get("theme", ""))
                postits = row.get("postits", [])
                start = len(rows)
                for i, postit in enumerate(postits):
                    left = self.cell(theme, 0.35) if (i == 0 and theme) else ""
                    rows.append([left, self.cell(postit, 0.65)])
                    self.item("postit", postit, category=category, theme=theme)
                if len(postits) > 1:
                    spans.append(("SPAN", (0, start), (0, len(rows) - 1)))
            self.add_table(rows, [0.35, 0.65], spans)

    def postit_lists(self, categories):
        """Post-its as bulleted lists: category and theme as bold lines, a theme indented under
        its category and its post-its indented under it; a lone post-it hangs from the category."""
        for cat in categories:
            category = norm(cat.get("category", ""))
            if category:
                self.story.append(Paragraph(esc(category), STYLES["list_category"]))
            for row in cat.get("rows", []):
                if "lone" in row:
                    self.story.append(Paragraph(esc(row["lone"]), STYLES["list_lone"], bulletText="-"))
                    self.item("postit", row["lone"], category=category)
                    continue
                theme = norm(row.get("theme", ""))
                if theme:
                    self.story.append(Paragraph(esc(theme), STYLES["list_theme"]))
                style = STYLES["list_postit"] if theme else STYLES["list_lone"]
                for postit in row.get("postits", []):
                    self.story.append(Paragraph(esc(postit), style, bulletText="-"))
                    self.item("postit", postit, category=category, theme=theme)
        self.story.append(Spacer(1, 6))

    def b_synthesis(self, rows_in):
        rows = []
        category, axis = self.h2, self.axis
        for row in rows_in:
            objective = norm(row.get("objective", ""))
            actions = row.get("actions", [])
            rows.append([
                self.cell(objective, 0.40) if objective else "",
                [self.cell(a, 0.60) for a in actions] or "",
            ])
            if objective:
                self.item("objective", objective, category=category, axis=axis)
            for a in actions:
                self.item("action", a, category=category, objective=objective, axis=axis)
        self.add_table(rows, [0.40, 0.60], [])

    def _freins_cell(self, freins, width):
        """Returns (paragraphs, details) for a Freins / modalités cell of relative `width`."""
        paras, details = [], []
        avail = width * FRAME_W - 8
        for f in freins or []:
            if isinstance(f, (list, tuple)):
                f = {"label": f[0], "text": f[1]}
            label = norm(f.get("label") or "")
            text = norm(f.get("text", ""))
            if label:
                prefix = f"{self.label(label)} : "
                details.append({"field": label, "text": text})
            else:  # an unlabelled paragraph: a modality
                prefix = "- " if f.get("dash") else ""
                details.append({"field": UNLABELLED_FIELD, "text": text})
            notes = f.get("footnote")
            if not notes:
                paras.append(self.cell(text, width, prefix=prefix))
                continue
            notes = [notes] if isinstance(notes, str) else list(notes)
            marks = []
            for note in notes:
                self.footnote_no += 1
                marks.append((self.footnote_no, norm(note)))
            markup = prefix + fit(text, avail) + "".join(
                f'<super size="6" rise="3">{n}</super>' for n, _ in marks
            )
            paras.append(FootnoteParagraph(
                markup, STYLES["cell"], [f"{n} {t}" for n, t in marks], self.footnote_queue,
            ))
        return paras, details

    def _actions_cell(self, actions, width):
        """Returns (paragraphs, [(action text, [details]), ...])."""
        paras, parsed = [], []
        for a in actions:
            if isinstance(a, str):
                a = {"text": a}
            text = norm(a["text"])
            marker = norm(a.get("marker") or "")
            paras.append(self.cell(text, width, prefix=escape(marker) + " " if marker else ""))
            details = []
            for d in a.get("details", []) or []:
                if isinstance(d, (list, tuple)):
                    d = {"label": d[0], "text": d[1]}
                label, value = norm(d["label"]), norm(d.get("text", ""))
                if not value:  # "Porteurs :" with nothing after it is dropped
                    continue
                paras.append(self.cell(value, width, prefix=f"{esc(label)} : "))
                details.append({"field": label, "text": value})
            parsed.append((text, details))
        return paras, parsed

    def b_details(self, spec):
        columns = int(spec.get("columns", 3))
        if columns not in (3, 4):
            raise ValueError("details tables have 3 or 4 columns")
        themes = spec.get("themes")
        if themes is None:
            themes = [{"theme": "", "objectives": spec.get("objectives", [])}]
        category, axis = self.h2, self.axis
        headers = HEADERS_4 if columns == 4 else HEADERS_3
        widths = WIDTHS_4 if columns == 4 else WIDTHS_3
        w_obj, w_act, w_fre = widths[-3:]
        rows = [[self.cell(h, w, bold=True) for h, w in zip(headers, widths)]]
        spans = []
        for th in themes:
            theme = norm(th.get("theme", "")) if columns == 4 else ""
            theme_start = len(rows)
            for ob in th.get("objectives", []):
                obj_paras = ob.get("objective", "")
                obj_paras = [obj_paras] if isinstance(obj_paras, str) else list(obj_paras)
                obj_paras = [norm(p) for p in obj_paras if norm(p)]
                objective = " ".join(obj_paras)
                if objective:
                    self.item("objective", objective, category=category, theme=theme, axis=axis)
                obj_start = len(rows)
                for k, entry in enumerate(ob.get("entries", [])):
                    a_paras, parsed = self._actions_cell(entry.get("actions", []), w_act)
                    f_paras, f_details = self._freins_cell(entry.get("freins", []), w_fre)
                    for text, det in parsed:
                        self.item("action", text, category=category, theme=theme,
                                  objective=objective, axis=axis, details=det + f_details)
                    obj_cell = [self.cell(p, w_obj) for p in obj_paras] if (k == 0 and obj_paras) else ""
                    row = [obj_cell, a_paras or "", f_paras or ""]
                    if columns == 4:
                        first = len(rows) == theme_start and theme
                        row.insert(0, self.cell(theme, widths[0]) if first else "")
                    rows.append(row)
                if len(rows) - obj_start > 1:
                    c = 1 if columns == 4 else 0
                    spans.append(("SPAN", (c, obj_start), (c, len(rows) - 1)))
            if columns == 4 and len(rows) - theme_start > 1:
                spans.append(("SPAN", (0, theme_start), (0, len(rows) - 1)))
        self.add_table(rows, widths, spans, header=True)

    def b_participants_table(self, rows_in):
        rows = [
            [self.cell(name, 0.40) if norm(name) else "", self.cell(org, 0.60) if norm(org) else ""]
            for name, org in rows_in
        ]
        self.listed += sum(1 for name, _ in rows_in if norm(name))  # people, not continuation rows
        self.add_table(rows, [0.40, 0.60], [])

    # -- page decorations --------------------------------------------------------
    def on_page(self, canv, doc):
        canv.saveState()
        page = canv.getPageNumber()
        if page > 1:
            header = self.content.get("document", {}).get("running_header", DEFAULT_HEADER)
            canv.setFont("Helvetica", 8)
            canv.drawString(MARGIN_LR, PAGE_H - MARGIN_TB + 0.9 * cm, header)
        canv.setFont("Helvetica", 8)
        canv.drawCentredString(PAGE_W / 2, 1.2 * cm, f"– {page} –")
        canv.restoreState()

    def on_page_end(self, canv, doc):
        if not self.footnote_queue:
            return
        canv.saveState()
        y = MARGIN_TB - 0.35 * cm
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LR, y, MARGIN_LR + 4 * cm, y)
        canv.setFont("Helvetica", 7)
        for note in self.footnote_queue:
            y -= 9
            canv.drawString(MARGIN_LR, y, note)
        canv.restoreState()
        self.footnote_queue.clear()


def render_document(content: dict, pdf_path: Path, variant: str) -> dict:
    """Render `content` (schema of samples/atelier6.yaml) to `pdf_path` in the given layout
    variant ("ruled" or "unruled") and return the expected-extraction dict."""
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    r = _Renderer(content, variant)
    r.render()
    doc_meta = content.get("document", {})
    doc = BaseDocTemplate(
        str(pdf_path),
        pagesize=A4,
        leftMargin=MARGIN_LR,
        rightMargin=MARGIN_LR,
        topMargin=MARGIN_TB,
        bottomMargin=MARGIN_TB,
        title=doc_meta.get("title", ""),
        author="atelier samples",
        creator="samples/render.py",
        invariant=1,
    )
    frame = Frame(MARGIN_LR, MARGIN_TB, FRAME_W, FRAME_H, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate(id="page", frames=[frame], onPage=r.on_page, onPageEnd=r.on_page_end),
    ])
    doc.build(r.story or [Spacer(1, 1)])
    part = content.get("participants", {}) or {}
    return {
        "document": pdf_path.name,
        "variant": variant,
        "participants": {
            "listed": r.listed,
            "stated_total": part.get("stated_total"),
            "sessions": list(part.get("sessions") or []),
            "returning": part.get("returning"),
        },
        "items": r.items,
    }


def load_content(path: Path = CONTENT_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def main(argv=None) -> int:
    content = load_content()
    EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
    for variant in VARIANTS:
        pdf_path = OUTPUTS[variant]
        t0 = time.perf_counter()
        expected = render_document(content, pdf_path, variant)
        elapsed = time.perf_counter() - t0
        json_path = EXPECTED_DIR / f"{pdf_path.stem}.json"
        json_path.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        counts = Counter(it["kind"] for it in expected["items"])
        print(
            f"{variant:8s} {pdf_path.relative_to(ROOT)} -> {json_path.relative_to(ROOT)}: "
            + ", ".join(f"{k}={counts.get(k, 0)}" for k in ("postit", "objective", "action"))
            + f", participants listed={expected['participants']['listed']} ({elapsed:.2f}s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
