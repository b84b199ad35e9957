"""Pieces of the French messages the commands and the flow print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def french_number(value: float, digits: int = 0) -> str:
    """`value` written the French way: « 1 234,5 » (a narrow no-break space between thousands)."""
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """A count and its noun, agreed: « 1 fichier », « 3 fichiers », « 0 fichier » (QA: « 3 lu(s) »,
    « 1 idée(s) » on every run)."""
    return f"{count} {singular if count <= 1 else plural or singular + 's'}"


def examples(items: Sequence[str], limit: int = 3) -> str:
    """The first `limit` items joined by " ; ", and how many there are in all when some are left out."""
    shown = " ; ".join(items[:limit])
    return shown + (f" … ({len(items)} en tout)" if len(items) > limit else "")


def listed(values: Sequence[str], limit: int = 5, kind: str = "") -> str:
    """The first `limit` values in French quotes, joined by commas, and how many there are in all
    (of what `kind`: « écritures ») when some are left out."""
    shown = ", ".join(f"« {value} »" for value in values[:limit])
    counted = f"{len(values)} {kind}".rstrip()
    return shown + (f" … ({counted} en tout)" if len(values) > limit else "")


def quoted(text: str, limit: int = 50) -> str:
    """`text` in French quotes, cut after a word and « … » marked when longer than `limit` (QA: « …était tro »)."""
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        text = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
    return f"« {text} »"


def most_frequent_first(texts: Iterable[str]) -> list[str]:
    """The distinct `texts`, the most frequent first (ties: in their order)."""
    return [text for text, _ in Counter(texts).most_common()]
