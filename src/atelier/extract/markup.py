"""Texts exported from web platforms (an online consultation's CSV, a form's answers) carry HTML:
tags ("<p>…</p>", "<strong>", "<br/>") and character references ("&eacute;", "&#39;", "&nbsp;").
`plain_text` gives the text a reader of the page saw; a text without HTML is returned as it is.

Only the tags of HTML's text elements are taken for markup: "<votre quartier>" or "x < 10 et
y > 2" stay text, and so does "R&D" (a reference ends with ";").
"""

from __future__ import annotations

import html
import re

# Elements whose tag ends a line of text (a paragraph, a list item, a line break).
_BLOCK_ELEMENTS = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|"
    "pre|section|table|tr|ul"
)
# Elements inside a line: a table cell's tag stands for a space, the others for nothing ("<b>jar</b>dins").
_CELL_ELEMENTS = "td|th"
_INLINE_ELEMENTS = (
    "a|abbr|b|big|cite|code|del|em|font|i|img|ins|kbd|mark|q|s|small|span|strike|strong|sub|sup|tbody|thead|tfoot|u"
)
# Elements whose content is no text of the page: dropped with it.
_HIDDEN_ELEMENTS = ("script", "style")


def _tag(elements: str) -> re.Pattern[str]:
    # (Word's namespaced tags, "<o:p>", are tags too.)
    return re.compile(rf"</?(?:[a-z]\w*:)?(?:{elements})\b(?:\s[^<>]*)?/?>", re.IGNORECASE)


_BLOCK_TAG, _CELL_TAG, _INLINE_TAG = _tag(_BLOCK_ELEMENTS), _tag(_CELL_ELEMENTS), _tag(_INLINE_ELEMENTS)
_REFERENCE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def plain_text(text: str) -> str:
    """The text without its HTML tags, its character references decoded; the lines a block
    element ended are kept, the spaces of each line collapsed and blank lines dropped."""
    if "<" not in text and "&" not in text:
        return text
    hidden = "<!--" in text or any(f"</{name}" in text.casefold() for name in _HIDDEN_ELEMENTS)
    tagged = hidden or _BLOCK_TAG.search(text) or _CELL_TAG.search(text) or _INLINE_TAG.search(text)
    if not tagged and not _REFERENCE.search(text):
        return text
    if hidden:
        text = _without_hidden(text)
    if tagged:
        text = _INLINE_TAG.sub("", _CELL_TAG.sub(" ", _BLOCK_TAG.sub("\n", text)))
    text = html.unescape(text)
    return "\n".join(line for line in (" ".join(part.split()) for part in text.splitlines()) if line)


def _without_hidden(text: str) -> str:
    """The text without its comments and its script and style elements, content included (found
    by position, in one pass: no pattern that could backtrack over a long text, and each kind of
    opening searched again only once passed — searching every kind after each comment made a
    cell of many comments quadratic, QA). One that is never closed is left as it is."""
    openers = [("<!--", "-->"), *((f"<{name}", f"</{name}") for name in _HIDDEN_ELEMENTS)]
    patterns = {literal: re.compile(re.escape(literal), re.IGNORECASE) for pair in openers for literal in pair}

    def find(literal: str, position: int) -> int:
        match = patterns[literal].search(text, position)
        return match.start() if match else -1

    upcoming = {opener: find(opener, 0) for opener, _ in openers}
    kept: list[str] = []
    position = 0
    while True:
        for opener, at in upcoming.items():
            if 0 <= at < position:
                upcoming[opener] = find(opener, position)
        found = [(upcoming[opener], opener, closer) for opener, closer in openers if upcoming[opener] >= 0]
        start, _, closer = min(found, default=(-1, "", ""))
        end = find(closer, start) if start >= 0 else -1
        close = text.find(">", end + len(closer) - 1) if end >= 0 else -1
        if close < 0:
            kept.append(text[position:])
            return "".join(kept)
        kept.append(text[position:start])
        position = close + 1
