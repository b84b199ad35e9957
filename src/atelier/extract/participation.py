"""Participation figures stated in a report's prose ("60 personnes", "49 participants, la seconde 29…").

Only counts: names in a participant list are personal data and are never read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from atelier.extract.text import fold

_NUMBER = r"(\d{1,5})"
_PEOPLE = r"(?:personnes|participants|participantes|inscrits|citoyens|habitants)"
_TOTAL = re.compile(_NUMBER + r"\s+" + _PEOPLE + r"\s+(?:qui\s+)?(?:ont|avaient)\s+(?:participe|assiste|pris part)")
_TOTAL_AMONG = re.compile(r"\bsur\s+les\s+" + _NUMBER + r"\s+" + _PEOPLE)
_FIRST_SESSION = re.compile(r"premiere\s+(?:session|seance|reunion)[^.]*?\b" + _NUMBER + r"\s+" + _PEOPLE)
_ORDINALS = {"seconde": 2, "deuxieme": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6}
_LATER_SESSION = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+" + _NUMBER + r"\b")
_RETURNING = re.compile(_NUMBER + r"\s+(?:personnes\s+|participants\s+)?ont\s+assiste\s+a\s+(?:au\s+moins\s+)?(?:deux|2|plusieurs)")


def participation_statistics(prose: Iterable[str]) -> dict[str, int]:
    """`participants_stated`, `participants_session_<n>`, `participants_returning` where the text says them."""
    statistics: dict[str, int] = {}
    for paragraph in prose:
        text = fold(paragraph)
        if "participants_stated" not in statistics:
            match = _TOTAL.search(text) or _TOTAL_AMONG.search(text)
            if match:
                statistics["participants_stated"] = int(match.group(1))
        first = _FIRST_SESSION.search(text)
        if first:
            statistics["participants_session_1"] = int(first.group(1))
            for ordinal, number in _LATER_SESSION.findall(text[first.end() :]):
                statistics[f"participants_session_{_ORDINALS[ordinal]}"] = int(number)
        returning = _RETURNING.search(text)
        if returning:
            statistics["participants_returning"] = int(returning.group(1))
    return statistics
