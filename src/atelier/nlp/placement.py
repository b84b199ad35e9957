"""Where the report itself places an idea: a heading that names an axis of the workshop.

Extraction records the "AXE n" number a heading states (`stated_axis`); a heading that gives an
axis's label without its number ("Emploi, économie et entreprise") is matched here, since
extraction knows nothing of a workshop's axes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache

from atelier.extract.records import Contribution
from atelier.nlp.workshop import Workshop, match_axis


def place_by_headings(contributions: Sequence[Contribution], workshop: Workshop) -> list[Contribution]:
    """Copies in which objectives and actions under a heading naming an axis have that axis as `stated_axis`.

    Post-its are left alone: their category row is a theme of discussion, not a placement.
    """

    @lru_cache(maxsize=None)
    def axis_of(heading: str) -> str | None:
        return match_axis(workshop, heading) if heading.strip() else None

    placed = []
    for contribution in contributions:
        if contribution.stated_axis is None and contribution.kind != "postit":
            axis = axis_of(contribution.category)
            if axis is not None:
                contribution = dataclasses.replace(contribution, stated_axis=axis)
        placed.append(contribution)
    return placed
