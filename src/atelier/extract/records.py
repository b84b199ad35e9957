"""The typed records that flow through every stage of the pipeline.

`extract/` creates `Contribution` records; `nlp/` returns copies of them with the
classification and clustering fields filled in (`dataclasses.replace`), never mutating them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["postit", "objective", "action"]
KINDS: tuple[Kind, ...] = ("postit", "objective", "action")

AxisSource = Literal["document", "model", "review"]
# Who placed an idea in its axis: the report itself, the model (a proposal), an analyst.
DOCUMENT_SOURCE: AxisSource = "document"
MODEL_SOURCE: AxisSource = "model"
REVIEW_SOURCE: AxisSource = "review"


@dataclass(frozen=True, slots=True)
class BBox:
    """A rectangle in PDF points, origin at the top-left of the page (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True, slots=True)
class Detail:
    """A labelled sub-field found next to an action ("Freins", "Partenaires", …)."""

    field: str
    text: str


@dataclass(frozen=True, slots=True)
class Contribution:
    """One idea of a workshop: a post-it, an objective or an action.

    The first group of fields is set by extraction; `axis*`, `needs_review` and `axis_2*` by
    classification, `cluster_id`/`canonical` by deduplication.
    """

    idea_id: str
    document: str
    document_sha256: str
    page: int
    kind: Kind
    text: str
    category: str = ""
    theme: str = ""
    objective: str = ""
    bbox: BBox | None = None
    stated_axis: str | None = None
    details: tuple[Detail, ...] = ()
    # None when the text comes from a text layer; for a scanned page, Tesseract's mean word confidence 0–1.
    ocr_confidence: float | None = None
    axis: str | None = None
    axis_label: str = ""
    axis_source: AxisSource | None = None
    axis_confidence: float | None = None
    # Set by classification too: is the axis to be checked by an analyst (None: not classified),
    # the runner-up axis when close, and the lemmas that weighed most towards the axis.
    needs_review: bool | None = None
    axis_2: str | None = None
    axis_2_confidence: float | None = None
    axis_evidence: tuple[str, ...] = ()
    cluster_id: str | None = None
    canonical: bool | None = None


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What extraction made of one input file: its records, or why it could not be read."""

    document: str
    path: str
    sha256: str
    status: Literal["ok", "error", "copy"]  # ("copy": the same bytes as another input of the batch, not read again)
    pages: int = 0
    contributions: tuple[Contribution, ...] = ()
    error: str = ""
    statistics: dict[str, int] = field(default_factory=dict)
    # French notes on what was read only partly (scanned pages left unread, …) while status is "ok".
    warnings: tuple[str, ...] = ()
