"""Training texts of axis classification: what a model learns from and how it is grouped.

Labelled pairs: ideas the report itself places in an axis, analysts' decisions (extra pairs),
and the workshop YAML (label, description and its clauses, keywords, examples) as
pseudo-examples — so a workshop with no labelled idea at all still gets a model (zero-shot).
The unlabelled ideas of the batch are kept for self-training (`axis_training`). Every idea is
read with the theme the report files it under (`idea_text`), in training and prediction alike,
and, in self-training and placement, with the other ideas of that theme (`theme_group`,
`with_theme_context`). Near-duplicate texts share a group, so that cross-validation folds never split them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from atelier.extract.records import Contribution
from atelier.nlp.axis_settings import ClassifierSettings
from atelier.nlp.language import normalize_for_match
from atelier.nlp.workshop import Workshop

# Descriptions are enumerations; they are also learnt clause by clause.
DESCRIPTION_SEPARATORS = re.compile(r"[.;:,()]\s|[.;:()]$|\s[–—-]\s")
MIN_CLAUSE_WORDS = 2
# A text that starts with another of at least this many words is a near-duplicate of it.
MIN_PREFIX_WORDS = 3
# Texts compared together when looking for near-duplicates (a block's scores take a few MB).
SIMILARITY_BLOCK = 1024


def description_clauses(description: str) -> list[str]:
    """The parts of an enumerating description ("A : B, C et D ; E") that hold a few words each."""
    parts = (part.strip(" ()") for part in DESCRIPTION_SEPARATORS.split(description))
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def pseudo_examples(workshop: Workshop) -> tuple[list[str], list[str]]:
    """For each axis: its label, its description (whole, then clause by clause), every keyword
    and every example, labelled with the axis."""
    texts: list[str] = []
    labels: list[str] = []
    for axis in workshop.axes:
        clauses = description_clauses(axis.description)
        for text in (axis.label, axis.description, *clauses, *axis.keywords, *axis.examples):
            texts.append(text)
            labels.append(axis.id)
    return texts, labels


def with_context(text: str, theme: str = "") -> str:
    """The text the classifier reads for an idea: its own words followed by the theme the report
    files it under ("Santé", "Participation citoyenne", …), unless the theme is empty or already
    in the text. A post-it such as "Reconnaissance" or "Anticipation" says little by itself; the
    theme cell of its table says what it is about.

    The category is left out: for actions and objectives it is the axis heading itself
    ("AXE 3 : Comment faire participer les citoyens?"), which would teach the model the heading
    rather than the idea, and for post-its it is a section title that names no axis."""
    text, theme = text.strip(), " ".join(theme.split())
    if not theme or normalize_for_match(theme) in normalize_for_match(text):
        return text
    return f"{text} {theme}"


def idea_text(contribution: Contribution, *, context: bool = True) -> str:
    """What the classifier reads for `contribution`: `with_context(text, theme)` (the text alone
    when `context` is false). Used alike for training, self-training and prediction."""
    return with_context(contribution.text, contribution.theme) if context else contribution.text


def theme_group(contribution: Contribution) -> tuple[str, str, str] | None:
    """The ideas an idea is read with: those under the same theme and category of its report; for post-its
    listed under one level of headings (a category, no theme), those under the same heading (QA: post-its
    under « Mobilité », « Habitat »… were each read alone, and 6 of 33 went surely to another axis)."""
    theme = " ".join(contribution.theme.split())
    category = " ".join(contribution.category.split())
    if not theme and contribution.kind == "postit" and category:
        return (contribution.document, category, "")
    return (contribution.document, category, theme) if theme else None


def with_theme_context(
    probabilities: np.ndarray, groups: Sequence[Hashable | None], weight: float
) -> np.ndarray:
    """Each row mixed with the mean of the other rows of its group: (1 − weight) × own +
    weight × mean of the others. Rows whose group is None, or alone in their group, are kept."""
    if len(groups) != len(probabilities):
        raise ValueError("one group per row is needed")
    mixed = probabilities.copy()
    if weight <= 0:
        return mixed
    members: dict[Hashable, list[int]] = {}
    for row, group in enumerate(groups):
        if group is not None:
            members.setdefault(group, []).append(row)
    for rows in members.values():
        if len(rows) < 2:
            continue
        own = probabilities[rows]
        others = (own.sum(axis=0) - own) / (len(rows) - 1)
        mixed[rows] = (1.0 - weight) * own + weight * others
    return mixed


def training_set(
    workshop: Workshop,
    contributions: Iterable[Contribution],
    extra: Iterable[tuple[str, str]] = (),
    *,
    context: bool = True,
) -> tuple[list[str], list[str]]:
    """Labelled (text, axis) pairs: ideas the document places in an axis of this workshop (read
    with their theme, see `idea_text`), then `extra` pairs (analysts' decisions, a labelled file),
    then the workshop's pseudo-examples.

    A stated axis the workshop does not know (a report with more axes than the configuration)
    is not a label; such contributions are left out, and so are extra pairs with an unknown axis.
    """
    known = set(workshop.axis_ids)
    texts: list[str] = []
    labels: list[str] = []
    for contribution in contributions:
        if contribution.stated_axis in known and contribution.text.strip():
            texts.append(idea_text(contribution, context=context))
            labels.append(str(contribution.stated_axis))
    for text, label in extra:
        if str(label) in known and str(text).strip():
            texts.append(str(text))
            labels.append(str(label))
    extra_texts, extra_labels = pseudo_examples(workshop)
    return texts + extra_texts, labels + extra_labels


def unlabelled_texts(
    workshop: Workshop, contributions: Iterable[Contribution], *, context: bool = True
) -> list[str]:
    """The ideas of a batch that no label places, read as `idea_text`: what self-training learns from."""
    return [idea_text(c, context=context) for c in _unlabelled(workshop, contributions)]


def unlabelled_theme_groups(
    workshop: Workshop, contributions: Iterable[Contribution]
) -> list[tuple[str, str, str] | None]:
    """The `theme_group` of each of `unlabelled_texts`' ideas, in the same order."""
    return [theme_group(c) for c in _unlabelled(workshop, contributions)]


def _unlabelled(workshop: Workshop, contributions: Iterable[Contribution]) -> list[Contribution]:
    known = set(workshop.axis_ids)
    return [c for c in contributions if c.stated_axis not in known and c.text.strip()]


def training_data_sha256(texts: Sequence[str], labels: Sequence[str]) -> str:
    """Hash of the training pairs, independent of their order."""
    pairs = sorted(zip((str(label) for label in labels), texts, strict=True))
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()


def near_duplicate_groups(
    texts: Sequence[str],
    min_similarity: float = ClassifierSettings.group_similarity,
    block_size: int = SIMILARITY_BLOCK,
) -> np.ndarray:
    """One group number per text; texts whose folded forms are near-identical share it.

    The seed report repeats its actions between the summary and the detailed tables, with small
    rewordings ("Construction d'un Référentiel … Buteaud" / "Construire un Référentiel … Bouteaud")
    or with a theme appended (`with_context`, a prefix of at least `MIN_PREFIX_WORDS` words):
    cross-validation folds must keep such texts together.
    """
    folded = [" ".join(re.findall(r"\w+", normalize_for_match(text))) for text in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    exact: dict[str, int] = {}
    for index, text in enumerate(folded):
        if text in exact:
            parent[root(index)] = root(exact[text])
        else:
            exact[text] = index
    # An idea read with its theme (`with_context`) is the idea plus appended words: the same
    # text without a theme elsewhere in the report (summary vs detailed table) is its duplicate.
    for text, index in exact.items():
        words = text.split()
        for cut in range(MIN_PREFIX_WORDS, len(words)):
            shorter = exact.get(" ".join(words[:cut]))
            if shorter is not None:
                parent[root(index)] = root(shorter)
    for i, j in _similar_pairs(folded, min_similarity, block_size):
        parent[root(j)] = root(i)
    roots = [root(i) for i in range(len(texts))]
    numbering: dict[int, int] = {}
    return np.array([numbering.setdefault(r, len(numbering)) for r in roots], dtype=np.int64)


def _similar_pairs(texts: Sequence[str], min_similarity: float, block_size: int) -> list[tuple[int, int]]:
    """(i, j) pairs of texts whose rapidfuzz `fuzz.ratio` is at least `min_similarity`, each
    once. Texts are compared `block_size` at a time, by increasing length, with only the texts
    whose length allows the score: memory stays bounded, and most pairs are never scored."""
    from rapidfuzz import fuzz, process

    if len(texts) < 2:
        return []
    # fuzz.ratio(a, b) <= 100 × (1 − |len a − len b| / (len a + len b)).
    slack = 1.0 - min_similarity / 100.0
    shortest, longest = (1.0 - slack) / (1.0 + slack), (1.0 + slack) / (1.0 - slack) if slack < 1 else np.inf
    order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
    ordered = [texts[index] for index in order]
    lengths = np.array([len(text) for text in ordered], dtype=np.float64)
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(ordered), block_size):
        stop = min(start + block_size, len(ordered))
        low = int(np.searchsorted(lengths, lengths[start] * shortest - 1e-9, side="left"))
        high = int(np.searchsorted(lengths, lengths[stop - 1] * longest + 1e-9, side="right"))
        scores = process.cdist(
            ordered[start:stop], ordered[low:high], scorer=fuzz.ratio, score_cutoff=min_similarity,
            dtype=np.uint8, workers=1,
        )
        rows, columns = np.nonzero(scores)
        for row, column in zip((rows + start).tolist(), (columns + low).tolist(), strict=True):
            if row < column:
                pairs.append((order[row], order[column]))
    return pairs
