"""Deduplication: one cluster per idea across post-its, summary and detailed tables, sessions
and documents, with every member kept.

The work is split by concept:

- `dedup_settings`: every knob (`DedupSettings`);
- `dedup_text`: texts normalised into content words and weights (`TextUnit`, `TextAnalyzer`);
- `dedup_pairs`: the exact, near-identical and paraphrase levels deciding whether two texts say
  the same idea;
- `dedup_candidates`: blocking, the pairs worth verifying without comparing all pairs;
- this module: clusters, their ids and the public API (`deduplicate_contributions`,
  `summarize_clusters`, `cluster_texts`, `similar_pairs`, `compare_texts`).

Clusters are stars, so ideas never chain: texts are taken longest first; each text not yet placed
founds a cluster (its wording the most complete: the one the cluster's id is hashed from; the
one shown, `canonical`, is the member saying the most in the cleanest words) and takes in the texts
verified similar to *it* that are also compatible with every member already in (sharing at
least `member_overlap` of the lighter one's content, without a word replaced as the paraphrase
level forbids): two different ideas that one long text both contains do not end up together.
Whatever the level, an objective is never put with one of its own actions (an action whose
`objective` is the objective's text).
Cluster ids hash the founder's folded wording: the same inputs give the same ids, in any order,
and adding documents keeps the id of every existing cluster unless a new text becomes its
longest wording. Records that carry the ids of an earlier run keep them even then, and keep
their groups as they are (an analyst's corrections included): fed the earlier output with the
new documents (`atelier dedup` on a file with a `cluster_id` column, `atelier run` into the
folder of its last run), no existing cluster is renumbered, split or merged; the new records
join the groups of their duplicates or found their own.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from atelier.extract.records import DOCUMENT_SOURCE, REVIEW_SOURCE, Contribution
from atelier.nlp.dedup_candidates import all_pairs, candidate_pairs
from atelier.nlp.dedup_pairs import PairScore, members_compatible, pair_level, verified_level
from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.dedup_text import (
    FRAME_WORDS,
    WORD_PATTERN,
    TextAnalyzer,
    TextUnit,
    abbreviations_spelt_out,
    exact_key,
    leading_name,
    signed_elsewhere,
    without_framing,
)
from atelier.nlp.language import normalize_for_match

if TYPE_CHECKING:
    import spacy

CLUSTER_ID_PREFIX = "c-"
CLUSTER_ID_HEX_LENGTH = 10


@dataclass(frozen=True)
class ClusterMember:
    """Where one member of a cluster comes from. `session` is the document name: records carry
    no session of their own, and one report is one session (or one consolidated set of them)."""

    idea_id: str
    document: str
    page: int
    kind: str
    session: str


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
    members: tuple[ClusterMember, ...] = ()
    sessions: tuple[str, ...] = ()


# ---------------------------------------------------------------- clustering


@dataclass
class _Prepared:
    units: list[TextUnit]
    unit_of: list[int]  # item -> unit
    neighbours: dict[int, dict[int, str]] = field(default_factory=dict)  # unit -> {unit: level}
    candidates: int = 0
    reports_of: dict[int, frozenset[str]] = field(default_factory=dict)  # unit -> reports whose tables hold it
    clipped: frozenset[str] = frozenset()  # folded words clipped as people speak them (`_clipped_words`)

    def elaboration(self, first: int, second: int) -> bool:
        """Whether one unit may add words to the other: both are items of one report's tables."""
        return not self.reports_of.get(first, _NO_REPORTS).isdisjoint(self.reports_of.get(second, _NO_REPORTS))


_NO_REPORTS: frozenset[str] = frozenset()
# Kinds of the items of a report's tables (a summary table abridges the detailed one).
TABLE_KINDS = frozenset({"objective", "action"})


def prepare_comparisons(
    texts: Sequence[str],
    settings: DedupSettings,
    nlp: spacy.Language | None,
    *,
    exhaustive: bool = False,
    reports: Sequence[str | None] | None = None,
) -> _Prepared:
    """The units of `texts` and their verified pairs. `reports`: per text, the report whose
    tables hold it (None for an independent contribution): two items of one report's tables may
    add words to each other (`dedup_pairs`), two contributions may not."""
    paraphrase = nlp is not None and settings.paraphrase
    known = {(short, normalize_for_match(full)) for short, full in settings.abbreviations}
    spelt = [pair for pair in abbreviations_spelt_out(texts) if (pair[0], normalize_for_match(pair[1])) not in known]
    if spelt:
        settings = dataclasses.replace(settings, abbreviations=(*settings.abbreviations, *spelt))
    units, unit_of = TextAnalyzer(settings, nlp).units(texts)
    reports_of: dict[int, set[str]] = defaultdict(set)
    for item, report in enumerate(reports or ()):
        if report is not None:
            reports_of[unit_of[item]].add(report)
    prepared = _Prepared(
        units=units,
        unit_of=unit_of,
        reports_of={u: frozenset(r) for u, r in reports_of.items()},
        clipped=_clipped_words(settings.abbreviations),
    )
    pairs = all_pairs(len(units)) if exhaustive else candidate_pairs(units, settings, paraphrase)
    neighbours: dict[int, dict[int, str]] = defaultdict(dict)
    elaborating = prepared.elaboration if reports_of else None
    for first, second in pairs.tolist():
        elaboration = elaborating is not None and elaborating(first, second)
        level = verified_level(units[first], units[second], settings, paraphrase, elaboration=elaboration)
        if level is not None:
            neighbours[first][second] = level
            neighbours[second][first] = level
    prepared.neighbours, prepared.candidates = neighbours, len(pairs)
    return prepared


def _compatibility(prepared: _Prepared, settings: DedupSettings, paraphrase: bool) -> Callable[[int, int], bool]:
    """Whether two units may stand in one cluster (`members_compatible`; verified neighbours may),
    each pair checked once."""
    units, neighbours = prepared.units, prepared.neighbours
    cache: dict[tuple[int, int], bool] = {}

    def compatible(first: int, second: int) -> bool:
        if first == second:
            return True
        pair = (min(first, second), max(first, second))
        if pair not in cache:
            if second in neighbours.get(first, {}):
                cache[pair] = True
            else:
                cache[pair] = members_compatible(
                    units[first], units[second], settings, paraphrase, elaboration=prepared.elaboration(first, second)
                )
        return cache[pair]

    return compatible


def star_clusters(
    prepared: _Prepared,
    objectives: Sequence[str],
    settings: DedupSettings,
    paraphrase: bool,
    kinds: Sequence[str] | None = None,
    texts: Sequence[str] | None = None,
) -> list[tuple[int, list[int]]]:
    """(founder, members) per cluster, in the order clusters were founded.

    Founders are taken longest first (ties: folded wording, then input order), so the founder
    is the most complete wording of its cluster: its canonical member. Among items of one
    folded wording, given their `texts`, one written as a sentence is taken first ("Organiser
    l'accueil." before "organiser l'accueil" or "ORGANISER L'ACCUEIL"). An objective (an item
    of kind "objective", or any item when kinds are not given) never shares a cluster with an
    item whose `objective` is its text: one of its own actions.
    """
    units, unit_of, neighbours = prepared.units, prepared.unit_of, prepared.neighbours
    members_of: list[list[int]] = [[] for _ in units]
    for item, unit in enumerate(unit_of):
        members_of[unit].append(item)
    if texts is not None:
        for items in members_of:
            if len(items) > 1:
                items.sort(key=lambda item: _unpresentable(texts[item]))  # stable: then input order
    # Units have distinct keys, so ordering units by (-length, key) and each unit's items by input
    # order is ordering the items by (-length, key, item).
    # (Sorted by key, then stably by decreasing length: two sorts on plain values, faster than one
    # on tuples.)
    unit_order = sorted(range(len(units)), key=[unit.key for unit in units].__getitem__)
    unit_order.sort(key=[unit.length for unit in units].__getitem__, reverse=True)
    rank = [0] * len(units)
    for position, unit in enumerate(unit_order):
        rank[unit] = position

    compatible = _compatibility(prepared, settings, paraphrase)
    same_objective = _same_objective(prepared)

    assigned = [False] * len(unit_of)
    clusters: list[tuple[int, list[int]]] = []
    with_objectives = any(objectives)  # else the objective rule excludes nothing: skipped
    for home in unit_order:
        home_members = members_of[home]
        if len(home_members) == 1 and home not in neighbours:  # alone: nothing to check
            leader = home_members[0]
            if not assigned[leader]:
                assigned[leader] = True
                clusters.append((leader, [leader]))
            continue
        candidates: list[int] = []
        for leader in home_members:
            if assigned[leader]:
                continue
            if not candidates:
                candidates = list(home_members)
                linked_home = neighbours.get(home, {})
                linked_in_order = sorted(linked_home, key=rank.__getitem__)
                for other in linked_in_order:
                    candidates.extend(members_of[other])
                # A neighbour's other spellings come with it (QA: « Creer des jardins partagé » was
                # left to another group than « Créer des jardins partagés »).
                for other in linked_in_order:
                    for twin, level in neighbours.get(other, {}).items():
                        if level == "near" and twin != home and twin not in linked_home:
                            candidates.extend(members_of[twin])
            objective_texts_inside: set[str] = set()  # texts of the objectives in the cluster
            objectives_inside: set[str] = set()  # objectives of the actions in the cluster
            units_inside: list[int] = []
            members: list[int] = []
            for item in [leader, *(c for c in candidates if c != leader)]:
                if assigned[item]:
                    continue
                unit = unit_of[item]
                if with_objectives:
                    text = units[unit].key
                    is_objective = kinds is None or kinds[item] == "objective"
                    own_objective = same_objective(objectives[item])
                    if not own_objective.isdisjoint(objective_texts_inside) or (
                        is_objective and text in objectives_inside
                    ):
                        continue
                new_unit = unit not in units_inside
                if new_unit:
                    linked = neighbours.get(unit, {})  # (verified similar: compatible, no call needed)
                    # Two spellings of the founder's words are one, however they misspell them
                    # (QA: « Isntaller… » and « Intsaller… », two edits apart, split a cluster).
                    spelt = linked.get(home) == "near"
                    if not all(
                        u in linked or (spelt and neighbours.get(u, {}).get(home) == "near") or compatible(unit, u)
                        for u in units_inside
                    ):
                        continue
                    units_inside.append(unit)
                assigned[item] = True
                members.append(item)
                if with_objectives:
                    if is_objective:
                        objective_texts_inside.add(text)
                    if objectives[item]:
                        objectives_inside.update(same_objective(objectives[item]))
            clusters.append((leader, sorted(members)))
    return clusters


def _canonical_member(leader: int, members: Sequence[int], prepared: _Prepared, texts: Sequence[str]) -> int:
    """The member whose wording a reader is shown. Of those saying the most of the idea (content
    words outside asides; in a cluster of three members or more, only the words at least half of
    them say: a copy's typos, signature or sentence of its own are not the idea's — QA, a
    petition was shown in its one copy with typos and a stray sentence; nor the name that opens
    « Marc : … »), one that gives no e-mail, phone or name of its writer (`signed`: QA, « Marc : +
    de pistes cyclables !! » was shown), then one written as a sentence, then the
    one with the fewest words that frame it ("Idée :",
    "2.", "prioritaire", "svp", a greeting or a signature) or sit in an aside ("(3 votes)"), then
    the fewest words unknown to the language (typos), then one with its accents, then the one with
    the fewest acronyms ("transports en commun" rather than "TC") and clipped words ("association" rather
    than "asso", `_clipped_words`), then the one whose content
    words are written in full ("conséquences" rather than "conséquence"), then the wording most
    members share, then the shortest, then the first in text order, then the founder. An aside
    that says something of the idea (`_telling_aside`) counts as words of the text."""
    if len(members) == 1:
        return leader
    units, unit_of = prepared.units, prepared.unit_of
    shared = Counter(unit_of[item] for item in members)
    quorum = (len(members) + 1) // 2 if len(members) >= 3 else 1
    said: Counter[str] = Counter()  # how many members say each stem
    for unit, copies in shared.items():
        for stem in units[unit].weights:
            said[stem] += copies

    def preference(item: int) -> tuple[float, int, bool, int, int, int, int, int, int, int, int, str, bool, int]:
        unit = units[unit_of[item]]
        telling = _telling_aside(unit)
        written = texts[item].strip()
        leading = leading_name(written)
        writer = {normalize_for_match(word) for word in WORD_PATTERN.findall(leading)}
        core = [
            stem
            for stem in unit.weights
            if (telling or stem not in unit.aside) and said[stem] >= quorum and unit.surfaces[stem] not in writer
        ]
        text = without_framing(written)
        return (
            -round(sum(unit.weights[stem] for stem in core), 6),
            bool(leading) or signed_elsewhere(written),
            _unpresentable(written),
            sum(word in FRAME_WORDS for word in unit.key.split()) + (not telling) * len(unit.aside) + (text != written),
            len(unit.names),
            -sum(not character.isascii() and character.isalpha() for character in text),
            len(_ACRONYM.findall(text)),
            # (One unit holds the wordings of one key: « asso » and « associations » are two.)
            sum(word in prepared.clipped for word in unit.key.split()),
            # (A verb and its noun, "Créer" / "Création", are two wordings, neither more in full.)
            -sum(len(unit.surfaces[stem]) for stem in core if stem != unit.action and stem not in unit.nominal),
            -shared[unit_of[item]],
            len(text),
            written,  # (not the order of the rows: QA, a shuffled file showed another of two copies)
            item != leader,
            item,
        )

    return min(members, key=preference)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def _clipped_words(abbreviations: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The words (folded) that clip a longer wording of one abbreviation: one word in lower case,
    not the longest form of its abbreviation (« asso » for « association », « comcom » for
    « communauté de communes »); an acronym (« CC ») is counted as such."""
    forms: dict[str, list[str]] = defaultdict(list)
    for short, full in abbreviations:
        forms[short] += [short, full]
    return frozenset(
        normalize_for_match(form)
        for written in forms.values()
        for form in written
        if form.islower() and len(form.split()) == 1 and len(form) < max(map(len, written))
    )


def _telling_aside(unit: TextUnit) -> bool:
    """Whether a text's asides say something of the idea — two content words or more, no number
    ("(énergie et eau)") — rather than frame it ("(3 votes)", "(à approfondir)")."""
    return len(unit.aside) >= 2 and not any(character.isdigit() for stem in unit.aside for character in stem)


def _unpresentable(text: str) -> int:
    """0 for a text written as a sentence (a capital first, not all in capitals); more for one
    that is not (lowercase start, shouting)."""
    text = text.strip()
    return (not text[:1].isupper()) + text.isupper()


def _same_objective(prepared: _Prepared) -> Callable[[str], frozenset[str]]:
    """The keys of the wordings one objective takes, from an action's `objective` key: that key,
    and, when it is the key of one of the texts, the keys of the texts verified the same idea as
    it — "Réduction de la précarité énergétique des ménages" is the objective of an action whose
    objective reads "Réduire la précarité énergétique des ménages"; and the texts it opens, of three
    words or more: a cell abridging the objective (QA: « Lutter contre la précarité énergétique »
    named « … des ménages », and the action was merged with it)."""
    unit_of_key = {unit.key: index for index, unit in enumerate(prepared.units)}
    in_order: list[str] = []  # the keys sorted, for those a key opens (made at the first one asked)
    known: dict[str, frozenset[str]] = {"": frozenset()}

    def opened_by(key: str) -> list[str]:
        if len(key.split()) < 3:
            return []
        if not in_order:
            in_order.extend(sorted(unit_of_key))
        start = bisect.bisect_left(in_order, key + " ")
        following = itertools.islice(in_order, start, None)
        return list(itertools.takewhile(lambda other: other.startswith(key + " "), following))

    def keys(key: str) -> frozenset[str]:
        if key not in known:
            unit = unit_of_key.get(key)
            similar = prepared.neighbours.get(unit, {}) if unit is not None else {}
            known[key] = frozenset([key, *(prepared.units[other].key for other in similar), *opened_by(key)])
        return known[key]

    return keys


# What labels an objective in an action's `objective` cell and is not its wording: a number or a
# letter before it (« Objectif 1 : », « Obj. 2 - », « 1) », « A. », « II - »), a priority after it
# (« (priorité 1) », « (prioritaire) »).
_OBJECTIVE_NUMBER = re.compile(
    r"\s*(?:(?i:objectifs?|obj\.?)\s*(?:n°\s*)?(?:\d{1,3}(?:\.\d{1,2})?|[IVX]{1,4}|[A-Za-z])?"
    r"|\d{1,3}(?:\.\d{1,2})?|[IVX]{1,4}|[A-Z])\s*[.):/–—-]+\s*(?=\S)"
)
_OBJECTIVE_PRIORITY = re.compile(r"\s*\((?i:priorit[ée]\s*(?:n°\s*)?\d{1,2}|prioritaire|p\s*\d{1,2}|\d{1,2})\)[\s.]*$")


def _objective_key(text: str) -> str:
    """An action's objective as the key of the objective's own text (`TextUnit.key`), without the
    number or priority that label it in the action's cell (« Objectif 1 : …», « … (priorité 1) »)."""
    if not text:
        return ""
    label = _OBJECTIVE_NUMBER.match(text)
    unlabelled = _OBJECTIVE_PRIORITY.sub("", text[label.end() :] if label else text)
    return exact_key(unlabelled or text)


def cluster_texts(
    texts: Sequence[str], settings: DedupSettings | None = None, nlp: spacy.Language | None = None
) -> list[int]:
    """A cluster number per text, numbered 0, 1, … in order of first appearance."""
    settings = settings or DedupSettings()
    prepared = prepare_comparisons(texts, settings, nlp)
    paraphrase = nlp is not None and settings.paraphrase
    clusters = star_clusters(prepared, [""] * len(texts), settings, paraphrase, texts=texts)
    labels = [0] * len(texts)
    for number, (_, members) in enumerate(sorted(clusters, key=lambda c: c[1][0])):
        for item in members:
            labels[item] = number
    return labels


def similar_pairs(
    texts: Sequence[str], settings: DedupSettings | None = None, nlp: spacy.Language | None = None
) -> list[tuple[int, int, str]]:
    """(i, j, level) for the pairs of distinct wordings (first occurrences, i < j) judged the
    same idea, before clustering. Level: "near" or "paraphrase"."""
    settings = settings or DedupSettings()
    prepared = prepare_comparisons(texts, settings, nlp)
    first_item: dict[int, int] = {}
    for item, unit in enumerate(prepared.unit_of):
        first_item.setdefault(unit, item)
    result = set()
    for unit, others in prepared.neighbours.items():
        for other, level in others.items():
            i, j = sorted((first_item[unit], first_item[other]))
            result.add((i, j, level))
    return sorted(result)


def compare_texts(
    first: str, second: str, settings: DedupSettings | None = None, nlp: spacy.Language | None = None
) -> tuple[str | None, PairScore | None]:
    """The level at which two texts are one idea ("exact", "near", "paraphrase") or None, with the
    scores looked at. For explaining a decision; clustering adds the rules between members."""
    settings = settings or DedupSettings()
    units, unit_of = TextAnalyzer(settings, nlp).units([first, second])  # (one batch: what it lends both)
    return pair_level(units[unit_of[0]], units[unit_of[1]], settings, nlp is not None and settings.paraphrase)


def cluster_id_for(normalized_canonical: str, discriminator: str = "") -> str:
    """Stable id of a cluster: a hash of its canonical wording (folded)."""
    key = normalized_canonical if not discriminator else f"{normalized_canonical}\x1f{discriminator}"
    return CLUSTER_ID_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:CLUSTER_ID_HEX_LENGTH]


def deduplicate_contributions(
    contributions: Sequence[Contribution],
    settings: DedupSettings | None = None,
    nlp: spacy.Language | None = None,
) -> list[Contribution]:
    """Copies with `cluster_id` and `canonical` set, same order.

    Without `nlp` only the exact and near-identical levels run. The canonical member is the
    wording that says the most, written most cleanly (`_canonical_member`). An objective and one of its
    own actions (an action whose `objective` is the objective's text) are never put together.
    Records that already carry a `cluster_id` (an earlier run's, or an analyst's) keep it and
    their groups (`_keeping_earlier_groups`).
    """
    settings = settings or DedupSettings()
    texts = [item.text for item in contributions]
    reports = [item.document if item.kind in TABLE_KINDS else None for item in contributions]
    prepared = prepare_comparisons(texts, settings, nlp, reports=reports)
    objectives = [_objective_key(item.objective) for item in contributions]
    paraphrase = nlp is not None and settings.paraphrase
    kinds = [item.kind for item in contributions]
    founded = star_clusters(prepared, objectives, settings, paraphrase, kinds, texts)
    if any(item.cluster_id for item in contributions):
        compatible = _compatibility(prepared, settings, paraphrase)
        founded = _keeping_earlier_groups(founded, prepared, contributions, objectives, compatible)
    ids = _cluster_ids(founded, prepared, contributions, objectives)
    cluster_of: list[str] = [""] * len(contributions)
    canonical = [False] * len(contributions)
    for (leader, members), cluster_id in zip(founded, ids, strict=True):
        canonical[_canonical_member(leader, members, prepared, texts)] = True
        for item in members:
            cluster_of[item] = cluster_id
    return [
        dataclasses.replace(item, cluster_id=cluster_of[index], canonical=canonical[index])
        for index, item in enumerate(contributions)
    ]


def _keeping_earlier_groups(
    founded: Sequence[tuple[int, list[int]]],
    prepared: _Prepared,
    contributions: Sequence[Contribution],
    objectives: Sequence[str],
    compatible: Callable[[int, int], bool],
) -> list[tuple[int, list[int]]]:
    """The clusters when records carry an earlier `cluster_id` (an earlier run's, or an analyst's
    grouping): the records of one earlier id stay together and apart from the others, as the file
    has them. A record without one joins the earlier group of its very wording (wherever star
    clustering put it), else the one most of its own cluster (`founded`) belongs to if it may
    stand with each wording of that group (`compatible`, as star clustering asks of a member: QA,
    « … sur les déchets d'activités économiques » joined the group of « … sur les déchets » and
    « … sur la gestion des déchets »; the wordings an analyst merged by hand aside), unless that
    group holds its objective (or, for an objective, one of its own actions), those that joined
    before it included; the others keep the clusters they found among themselves.
    Leaders: the longest wording of each (ties: folded wording, then input order)."""
    units, unit_of = prepared.units, prepared.unit_of
    groups: dict[str, list[int]] = defaultdict(list)
    worded: dict[int, Counter[str]] = defaultdict(Counter)  # unit -> earlier ids holding that wording
    for item, record in enumerate(contributions):
        if record.cluster_id:
            groups[record.cluster_id].append(item)
            worded[unit_of[item]][record.cluster_id] += 1
    same_objective = _same_objective(prepared)
    objective_texts_inside = {  # the wordings of the objectives in each group
        key: {units[unit_of[item]].key for item in items if contributions[item].kind == "objective"}
        for key, items in groups.items()
    }
    objectives_inside = {
        key: set().union(*(same_objective(objectives[item]) for item in items)) for key, items in groups.items()
    }

    cores: dict[str, set[int]] = {}

    def core(key: str) -> set[int]:
        """The wordings of group `key` that may stand with its longest one: those an analyst put
        there against the rules (two ideas merged by hand) are left out."""
        if key not in cores:
            wordings = {unit_of[item] for item in groups[key]}
            longest = min(wordings, key=lambda unit: (-units[unit].length, units[unit].key))
            cores[key] = {unit for unit in wordings if compatible(longest, unit)}
        return cores[key]

    def welcome(key: str, item: int, same_wording: bool) -> bool:
        """Whether group `key` may take `item`: neither its objective nor one of its own actions,
        and, unless it has its very wording, no wording of its `core` it may not stand with."""
        own_text = units[unit_of[item]].key
        return (
            same_objective(objectives[item]).isdisjoint(objective_texts_inside[key])
            and (contributions[item].kind != "objective" or own_text not in objectives_inside[key])
            and (same_wording or all(compatible(unit_of[item], unit) for unit in core(key)))
        )

    claims: list[Counter[str]] = []  # per founded cluster, the earlier ids its members carry
    newcomers: list[tuple[int, int]] = []  # (founded cluster, record without an earlier id)
    for position, (_, members) in enumerate(founded):
        claims.append(Counter(contributions[item].cluster_id for item in members if contributions[item].cluster_id))
        newcomers += [(position, item) for item in members if not contributions[item].cluster_id]

    def rank(entry: tuple[int, int]) -> tuple[bool, str, str]:
        item = entry[1]
        return contributions[item].kind != "objective", units[unit_of[item]].key, objectives[item]

    # (Objectives first, then by wording: which of an objective and its own action of the same
    # wording joins an earlier group must not depend on the order of the rows: QA.)
    newcomers.sort(key=rank)
    left: dict[int, list[int]] = defaultdict(list)
    for position, item in newcomers:
        same_wording, claimed = worded[unit_of[item]], claims[position]
        candidates = [
            *sorted(same_wording, key=lambda key: (-same_wording[key], key)),
            *sorted(claimed, key=lambda key: (-claimed[key], key)),
        ]
        home = next((key for key in candidates if welcome(key, item, key in same_wording)), None)
        if home is None:
            left[position].append(item)
            continue
        groups[home].append(item)
        if home in cores and home not in same_wording:
            cores[home].add(unit_of[item])
        if contributions[item].kind == "objective":
            objective_texts_inside[home].add(units[unit_of[item]].key)
        objectives_inside[home].update(same_objective(objectives[item]))
    new_clusters = [left[position] for position in sorted(left)]
    result = []
    for items in [*groups.values(), *new_clusters]:
        items.sort()
        leader = min(items, key=lambda item: (-units[unit_of[item]].length, units[unit_of[item]].key, item))
        result.append((leader, items))
    return result


def _cluster_ids(
    founded: Sequence[tuple[int, list[int]]],
    prepared: _Prepared,
    contributions: Sequence[Contribution],
    objectives: Sequence[str],
) -> list[str]:
    """The id of each cluster. An earlier id carried by the records goes to the cluster holding
    most of them (a cluster split by a new document keeps its id in its larger part; of two
    merged, the larger one's id stays); the other clusters take the hash of their founder's
    wording (`cluster_id_for`). Ties are broken by what tells the clusters apart, never by the
    order of the rows: the same ids in any order."""
    kinds = [item.kind for item in contributions]

    def identity(index: int) -> tuple[str, bool, str, str]:
        leader = founded[index][0]
        key = prepared.units[prepared.unit_of[leader]].key
        # The objective first: it keeps the id of its wording whether its own action is there or not.
        return key, kinds[leader] != "objective", kinds[leader], objectives[leader]

    order = sorted(range(len(founded)), key=identity)
    claims = sorted(
        (-count, position, earlier)
        for position, index in enumerate(order)
        for earlier, count in Counter(
            contributions[item].cluster_id for item in founded[index][1] if contributions[item].cluster_id
        ).items()
    )
    ids: list[str | None] = [None] * len(founded)
    used: set[str] = set()
    for _, position, earlier in claims:
        if ids[order[position]] is None and earlier not in used:
            ids[order[position]] = earlier
            used.add(earlier)
    for index in order:
        if ids[index] is not None:
            continue
        leader = founded[index][0]
        key = prepared.units[prepared.unit_of[leader]].key
        cluster_id = cluster_id_for(key)
        if cluster_id in used:  # same wording split apart (an objective and its own action)
            cluster_id = cluster_id_for(key, f"{kinds[leader]}|{objectives[leader]}")
        suffix = 2
        base = cluster_id
        while cluster_id in used:
            cluster_id, suffix = f"{base}-{suffix}", suffix + 1
        used.add(cluster_id)
        ids[index] = cluster_id
    return [cluster_id or "" for cluster_id in ids]


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
                members=tuple(ClusterMember(m.idea_id, m.document, m.page, m.kind, m.document) for m in members),
                sessions=tuple(sorted({m.document for m in members})),
            )
        )
    return summaries


# Who placed a member, surest first: the cluster's axis is that of its surest members.
_SOURCE_RANK = {REVIEW_SOURCE: 0, DOCUMENT_SOURCE: 1}


def _majority_axis(members: Sequence[Contribution], representative: Contribution) -> str | None:
    """Most frequent axis among the members placed by the surest hand (an analyst, then the
    report, then the model: an analyst's decision on one member is the idea's, QA); on a tie the
    canonical member's, else the first seen."""
    placed = [m for m in members if m.axis is not None]
    if placed:
        surest = min(_SOURCE_RANK.get(m.axis_source or "", len(_SOURCE_RANK)) for m in placed)
        placed = [m for m in placed if _SOURCE_RANK.get(m.axis_source or "", len(_SOURCE_RANK)) == surest]
    counts = Counter(m.axis for m in placed)
    if not counts:
        return None
    top = max(counts.values())
    tied = [axis for axis, count in counts.items() if count == top]
    if representative.axis in tied:
        return representative.axis
    return tied[0]


def pairwise_counts(predicted: Iterable[Any], truth: Iterable[Any]) -> tuple[int, int, int]:
    """(pairs together in both, pairs together in `predicted`, pairs together in `truth`) for
    two labellings of the same items, counted from their contingency table (no pair listing)."""
    predicted = list(predicted)
    truth = list(truth)
    if len(predicted) != len(truth):
        raise ValueError("both labellings must cover the same items")

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(Counter(zip(predicted, truth, strict=True)).values())
    return both, pairs(Counter(predicted).values()), pairs(Counter(truth).values())
