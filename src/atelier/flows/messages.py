"""Pieces of the French messages the commands and the flow print."""

from __future__ import annotations

from collections.abc import Sequence


def examples(items: Sequence[str], limit: int = 3) -> str:
    """The first `limit` items joined by " ; ", and how many there are in all when some are left out."""
    shown = " ; ".join(items[:limit])
    return shown + (f" … ({len(items)} en tout)" if len(items) > limit else "")
