"""Pieces of the French messages the commands and the flow print."""

from __future__ import annotations

from collections.abc import Sequence


def examples(items: Sequence[str], limit: int = 3) -> str:
    """The first `limit` items joined by " ; ", and how many there are in all when some are left out."""
    shown = " ; ".join(items[:limit])
    return shown + (f" … ({len(items)} en tout)" if len(items) > limit else "")


def listed(values: Sequence[str], limit: int = 5) -> str:
    """The first `limit` values in French quotes, joined by commas, and how many there are in all
    when some are left out."""
    shown = ", ".join(f"« {value} »" for value in values[:limit])
    return shown + (f" … ({len(values)} en tout)" if len(values) > limit else "")
