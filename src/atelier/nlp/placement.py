"""Where the report itself places an idea: a heading that names an axis of the workshop.

Extraction records the number an "AXE n" heading gives (`stated_axis`) and knows nothing of a
workshop's axes; the headings are read against the workshop here:

- a heading that gives an axis's label without its number ("Emploi, économie et entreprise")
  places its objectives and actions in that axis;
- a numbered heading whose words name another axis of the workshop ("AXE 1 : Améliorer la santé
  publique", where the workshop's axis 1 is another one) places them by its words: the report
  numbers its axes otherwise;
- a report with numbered headings none of which names an axis of the workshop by its words, and
  no more than half of which share a content word with the axis of their number (its label,
  description and keywords), places nothing: it is the report of another workshop (or the
  workshop was mistaken), and its numbers would put its ideas in this workshop's axes of the same
  numbers. Its ideas are classified by the model like any other. (Atelier 6's headings share two
  to four words each with their axes; against the two development workshops of bench/dev, none
  shares one; QA's bike-plan report, one of two: « espace public ».)

A numbered heading whose words name no axis, in a report where others do, keeps its number (the
workshop file words that axis otherwise). Each report placed otherwise than by its numbers gets a
note (French, for the user), and so does one with a heading followed by its number although it
shares no word with that axis. Post-its are left alone: their category row is a theme of
discussion, not a placement.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from atelier.extract.records import Contribution
from atelier.nlp.dedup_text import FRAME_WORDS, STOP_WORDS, WEAK_WORDS, WORD_PATTERN
from atelier.nlp.language import normalize_for_match
from atelier.nlp.workshop import Workshop, match_axis, match_axis_label, split_axis_heading

# A report whose numbered headings name no axis of the workshop is still taken as the workshop's
# when more than this share of them have a content word of the axis of their number.
AGREEING_HEADINGS_SHARE = 0.5
_NO_WORDS: frozenset[str] = frozenset()


class Placement(NamedTuple):
    contributions: list[Contribution]  # copies, in input order, with the workshop axis the report states
    notes: dict[str, str]  # document -> why its numbered headings were not followed (French)


def place_by_headings(contributions: Sequence[Contribution], workshop: Workshop) -> Placement:
    """Copies whose `stated_axis` is the axis of `workshop` their report places them in (None if none)."""

    @lru_cache(maxsize=None)
    def axis_of(heading: str) -> str | None:
        return match_axis(workshop, heading) if heading.strip() else None

    @lru_cache(maxsize=None)
    def axis_named_by(heading: str) -> str | None:
        """The axis a heading's words name, whatever number it gives."""
        return match_axis_label(workshop, split_axis_heading(heading)[1])

    vocabulary = {
        axis.id: _content_words(" ".join([axis.label, axis.description, *axis.keywords])) for axis in workshop.axes
    }
    headings: dict[str, dict[str, str]] = defaultdict(dict)  # document -> numbered heading -> its number
    for contribution in contributions:
        if contribution.stated_axis is not None and contribution.kind != "postit":
            number, words = split_axis_heading(contribution.category)
            if number == contribution.stated_axis and words.strip():
                headings[contribution.document][contribution.category] = number
    foreign: set[str] = set()
    renumbered: dict[tuple[str, str], str] = {}  # (document, heading) -> the axis its words name
    notes: dict[str, str] = {}
    for document, numbered in headings.items():
        named = {heading: axis_named_by(heading) for heading in numbered}
        agreeing = {h for h, axis in numbered.items() if _shares_words(h, vocabulary.get(axis, _NO_WORDS))}
        if not any(named.values()) and len(agreeing) <= AGREEING_HEADINGS_SHARE * len(numbered):
            foreign.add(document)
            notes[document] = _foreign_note(document, sorted(numbered), workshop)
            continue
        said = []
        moved = {heading: axis for heading, axis in named.items() if axis is not None and axis != numbered[heading]}
        if moved:
            renumbered.update({(document, heading): axis for heading, axis in moved.items()})
            said.append(_renumbered_note(document, moved, workshop))
        unrelated = sorted(heading for heading in numbered if heading not in agreeing and named[heading] is None)
        if unrelated:
            said.append(_unrelated_note(document, {heading: numbered[heading] for heading in unrelated}, workshop))
        if said:
            notes[document] = " ".join(said)

    placed = []
    for contribution in contributions:
        if contribution.kind != "postit":
            if contribution.document in foreign:
                axis = axis_named_by(contribution.category)
            elif (contribution.document, contribution.category) in renumbered:
                axis = renumbered[contribution.document, contribution.category]
            elif contribution.stated_axis is None:
                axis = axis_of(contribution.category)
            else:
                axis = contribution.stated_axis
            if axis != contribution.stated_axis:
                contribution = dataclasses.replace(contribution, stated_axis=axis)
        placed.append(contribution)
    return Placement(placed, notes)


def _content_words(text: str) -> frozenset[str]:
    """Folded words of four letters or more, neither function nor generic words, without a final s or x."""
    return frozenset(
        word.rstrip("sx")
        for word in WORD_PATTERN.findall(normalize_for_match(text))
        if len(word) > 3 and word not in STOP_WORDS and word not in WEAK_WORDS and word not in FRAME_WORDS
    )


def _shares_words(heading: str, vocabulary: frozenset[str]) -> bool:
    return not _content_words(split_axis_heading(heading)[1]).isdisjoint(vocabulary)


def _foreign_note(document: str, headings: Sequence[str], workshop: Workshop) -> str:
    shown = " ; ".join(f"« {heading} »" for heading in headings[:3]) + (" ; …" if len(headings) > 3 else "")
    return (
        f"{document} : aucun de ses titres d'axes ({shown}) ne nomme un axe de l'atelier « {workshop.id} » ; "
        "ses numéros d'axes ne sont pas suivis et ses idées sont classées par le modèle. Si ce rapport est celui "
        "d'un autre atelier, donnez le fichier de celui-ci (--workshop) ; s'il est bien de cet atelier, reprenez "
        "les intitulés de ses axes dans le fichier de l'atelier."
    )


def _unrelated_note(document: str, followed: dict[str, str], workshop: Workshop) -> str:
    shown = " ; ".join(
        f"« {heading} » → axe {axis} « {workshop.axis_label(axis)} »" for heading, axis in followed.items()
    )
    return (
        f"{document} : des titres d'axes ne partagent aucun mot avec l'axe de leur numéro, suivi quand même "
        f"({shown}) ; s'ils parlent d'autre chose, reprenez leurs intitulés dans le fichier de l'atelier."
    )


def _renumbered_note(document: str, moved: dict[str, str], workshop: Workshop) -> str:
    shown = " ; ".join(f"« {heading} » → axe {axis}" for heading, axis in sorted(moved.items()))
    return (
        f"{document} : ses titres d'axes nomment des axes de l'atelier « {workshop.id} » sous d'autres numéros ; "
        f"ses idées sont placées d'après les intitulés ({shown})."
    )
