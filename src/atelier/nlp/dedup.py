"""Deduplication: ideas repeated across sessions, tables and documents become one cluster.

Texts are compared after `normalize_for_match`. Identical folded texts always share a cluster;
near-identical ones (a plural, a typo in a name, a reworded verb) share one when their
rapidfuzz score reaches `DedupSettings.similarity_threshold`.

Clustering is leader-based, so ideas never chain: texts are taken longest first; each text not
yet placed founds a cluster and takes in every unplaced text similar to *it*. The founder is the
canonical wording. Candidate pairs come from `rapidfuzz.process.cdist` run block by block over
texts sorted by length, comparing only lengths that can reach the threshold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from atelier.extract.records import Contribution
from atelier.nlp.language import normalize_for_match

CLUSTER_ID_PREFIX = "c-"
CLUSTER_ID_HEX_LENGTH = 10
_NUMBERS = re.compile(r"\d+")
_SCORERS = {"ratio": fuzz.ratio, "token_sort_ratio": fuzz.token_sort_ratio}


@dataclass(frozen=True)
class DedupSettings:
    """Every knob of deduplication, with its default."""

    # rapidfuzz score (0–100) from which two folded texts are the same idea. At 90 a plural,
    # a misspelt name or "Construction"/"Construire" merge; one changed word in a short
    # sentence ("des bus"/"des bâtiments") does not.
    similarity_threshold: float = 90.0
    # "ratio" keeps word order; "token_sort_ratio" forgives reordered words.
    scorer: Literal["ratio", "token_sort_ratio"] = "ratio"
    # Folded texts shorter than this merge only when identical (one letter is too much of them).
    min_fuzzy_length: int = 20
    # Texts whose numbers differ ("25 %" / "15 %", "phase 1" / "phase 2") are never near-duplicates.
    require_same_numbers: bool = True
    # Rows compared per cdist call (memory: block_size × candidates × 4 bytes).
    block_size: int = 512
    # rapidfuzz worker threads (-1: all cores). Results do not depend on it.
    workers: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.similarity_threshold <= 100.0:
            raise ValueError("similarity_threshold must be in (0, 100]")
        if self.scorer not in _SCORERS:
            raise ValueError(f"scorer must be one of {sorted(_SCORERS)}")
        if self.min_fuzzy_length < 1 or self.block_size < 1:
            raise ValueError("min_fuzzy_length and block_size must be positive")


@dataclass(frozen=True)
class ClusterSummary:
    cluster_id: str
    canonical_text: str
    size: int
    axis: str | None
    axis_label: str
    documents: tuple[str, ...]
    kinds: tuple[str, ...]
    idea_ids: tuple[str, ...]


def similar_pairs(strings: Sequence[str], settings: DedupSettings) -> list[tuple[int, int]]:
    """Index pairs (i < j) of distinct strings whose score reaches the threshold.

    The strings are sorted by length; a row is compared only with the longer strings whose
    length leaves the score a chance: for an Indel ratio, 2·a/(a+b) ≥ t, i.e. b ≤ a·(2−t)/t.
    """
    scorer = _SCORERS[settings.scorer]
    eligible = [index for index, text in enumerate(strings) if len(text) >= settings.min_fuzzy_length]
    order = sorted(eligible, key=lambda index: (len(strings[index]), index))
    lengths = np.array([len(strings[index]) for index in order])
    sorted_strings = [strings[index] for index in order]
    ratio = settings.similarity_threshold / 100.0
    stretch = (2.0 - ratio) / ratio
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(order), settings.block_size):
        stop = min(start + settings.block_size, len(order))
        column_stop = int(np.searchsorted(lengths, lengths[stop - 1] * stretch, side="right"))
        scores = process.cdist(
            sorted_strings[start:stop],
            sorted_strings[start:column_stop],
            scorer=scorer,
            score_cutoff=settings.similarity_threshold,
            dtype=np.float32,
            workers=settings.workers,
        )
        rows, columns = np.nonzero(scores >= settings.similarity_threshold)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            if column > row:
                first, second = order[start + row], order[start + column]
                pairs.append((min(first, second), max(first, second)))
    if settings.require_same_numbers:
        pairs = [(i, j) for i, j in pairs if _NUMBERS.findall(strings[i]) == _NUMBERS.findall(strings[j])]
    return sorted(pairs)


def _leader_clusters(
    normalized: Sequence[str], objectives: Sequence[str], settings: DedupSettings
) -> list[tuple[int, list[int]]]:
    """(leader, members) per cluster, in the order leaders were taken.

    Two items never share a cluster when one's objective is the other's text.
    """
    uniques = list(dict.fromkeys(normalized))
    unique_index = {text: position for position, text in enumerate(uniques)}
    members_of: dict[int, list[int]] = defaultdict(list)
    for item, text in enumerate(normalized):
        members_of[unique_index[text]].append(item)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for first, second in similar_pairs(uniques, settings):
        neighbours[first].add(second)
        neighbours[second].add(first)

    def priority(item: int) -> tuple[int, int]:
        return (-len(normalized[item]), item)

    assigned = [False] * len(normalized)
    clusters: list[tuple[int, list[int]]] = []
    for leader in sorted(range(len(normalized)), key=priority):
        if assigned[leader]:
            continue
        home = unique_index[normalized[leader]]
        candidates = list(members_of[home])
        for other in sorted(neighbours[home], key=lambda u: priority(members_of[u][0])):
            candidates.extend(members_of[other])
        texts_inside: set[str] = set()
        objectives_inside: set[str] = set()
        members: list[int] = []
        for item in [leader, *(c for c in candidates if c != leader)]:
            if assigned[item]:
                continue
            if (objectives[item] and objectives[item] in texts_inside) or normalized[item] in objectives_inside:
                continue
            assigned[item] = True
            members.append(item)
            texts_inside.add(normalized[item])
            if objectives[item]:
                objectives_inside.add(objectives[item])
        clusters.append((leader, sorted(members)))
    return clusters


def cluster_texts(texts: Sequence[str], settings: DedupSettings | None = None) -> list[int]:
    """A cluster number per text, numbered 0, 1, … in order of first appearance."""
    settings = settings or DedupSettings()
    normalized = [normalize_for_match(text) for text in texts]
    labels = [0] * len(texts)
    clusters = sorted(_leader_clusters(normalized, [""] * len(texts), settings), key=lambda c: c[1][0])
    for number, (_, members) in enumerate(clusters):
        for item in members:
            labels[item] = number
    return labels


def cluster_id_for(normalized_canonical: str, discriminator: str = "") -> str:
    """Stable id of a cluster: a hash of its canonical wording (folded)."""
    key = normalized_canonical if not discriminator else f"{normalized_canonical}\x1f{discriminator}"
    return CLUSTER_ID_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:CLUSTER_ID_HEX_LENGTH]


def deduplicate_contributions(
    contributions: Sequence[Contribution], settings: DedupSettings | None = None
) -> list[Contribution]:
    """Copies with `cluster_id` and `canonical` set, same order.

    The canonical member is the longest wording (first in input order on ties). An objective
    and one of its own actions are never put together.
    """
    settings = settings or DedupSettings()
    normalized = [normalize_for_match(item.text) for item in contributions]
    objectives = [normalize_for_match(item.objective) for item in contributions]
    cluster_of: list[str] = [""] * len(contributions)
    canonical = [False] * len(contributions)
    used: set[str] = set()
    for leader, members in _leader_clusters(normalized, objectives, settings):
        cluster_id = cluster_id_for(normalized[leader])
        if cluster_id in used:  # same wording split apart (an objective and its own action)
            cluster_id = cluster_id_for(normalized[leader], f"{contributions[leader].kind}|{objectives[leader]}")
        suffix = 2
        base = cluster_id
        while cluster_id in used:
            cluster_id, suffix = f"{base}-{suffix}", suffix + 1
        used.add(cluster_id)
        canonical[leader] = True
        for item in members:
            cluster_of[item] = cluster_id
    return [
        dataclasses.replace(item, cluster_id=cluster_of[index], canonical=canonical[index])
        for index, item in enumerate(contributions)
    ]


def summarize_clusters(contributions: Sequence[Contribution]) -> list[ClusterSummary]:
    """One summary per cluster, in order of first appearance. Needs `cluster_id` on every record."""
    groups: dict[str, list[Contribution]] = {}
    for item in contributions:
        if item.cluster_id is None:
            raise ValueError(f"contribution {item.idea_id} has no cluster_id; run deduplicate_contributions first")
        groups.setdefault(item.cluster_id, []).append(item)
    summaries = []
    for cluster_id, members in groups.items():
        representative = next((m for m in members if m.canonical), members[0])
        axis = _majority_axis(members, representative)
        label = next((m.axis_label for m in members if m.axis == axis and m.axis_label), "")
        summaries.append(
            ClusterSummary(
                cluster_id=cluster_id,
                canonical_text=representative.text,
                size=len(members),
                axis=axis,
                axis_label=label,
                documents=tuple(sorted({m.document for m in members})),
                kinds=tuple(sorted({m.kind for m in members})),
                idea_ids=tuple(m.idea_id for m in members),
            )
        )
    return summaries


def _majority_axis(members: Sequence[Contribution], representative: Contribution) -> str | None:
    """Most frequent axis among members; on a tie the canonical member's, else the first seen."""
    counts = Counter(m.axis for m in members if m.axis is not None)
    if not counts:
        return None
    top = max(counts.values())
    tied = [axis for axis, count in counts.items() if count == top]
    if representative.axis in tied:
        return representative.axis
    return tied[0]
