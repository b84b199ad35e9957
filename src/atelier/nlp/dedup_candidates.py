"""Candidate generation for deduplication: which pairs of texts are worth verifying, without
comparing all pairs.

Words are first grouped with their typo and derivation variants (vocabulary-wide), then ranked
rarest first; a pair is compared only if it shares two of the rarest words that make up more
than 1 − `blocking_share` of the lighter text's weight, plus one word (prefix filtering: a pair
sharing less than `blocking_share` of the lighter text cannot pass any level). The shared weight
of those pairs is computed with sparse matrices, and only the pairs sharing at least
`blocking_share` are verified one by one.

Candidate generation and verification are exact about what they compare; blocking can miss a
pair only through words grouped with different variants (measured: bench/dedup.py, and
tests/test_dedup.py compares blocked and all-pairs verification).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

import numpy as np
from scipy import sparse

from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.dedup_text import TextUnit, is_derived, is_typo


def _word_groups(stems: Sequence[str], surfaces: Mapping[str, Iterable[str]], loose: bool = False) -> list[int]:
    """A group number per stem, for candidate blocking: a stem joins the group of the first
    more frequent stem (`stems` come most frequent first) that pair verification may match
    with it (`dedup_pairs._matched`) — a typo of it or of the word it comes from, or the same
    family, as loosely as for a misspelt word, a letter replaced in a short word too when `loose`
    (texts with word vectors) — or founds its own. A pair of variants that each
    join a different group is missed by blocking (measured in bench/dedup.py against verifying
    all pairs).

    Only stems sharing a key (`_variant_keys`) can match; the keys are compared as hashes, so
    that two stems may share a key by chance too: that only adds a comparison."""
    variants = [list(dict.fromkeys([stem, *surfaces.get(stem, ())])) for stem in stems]  # itself and its words
    earlier = _sharing_key(stems, variants)
    group = [0] * len(stems)
    groups = 0
    for index, stem in enumerate(stems):
        chosen = None
        for other_index in earlier.get(index, ()):
            if is_derived(stem, stems[other_index], loose=True) or any(
                is_typo(word, other, loose=loose) for word in variants[index] for other in variants[other_index]
            ):
                chosen = group[other_index]
                break
        if chosen is None:
            chosen, groups = groups, groups + 1
        group[index] = chosen
    return group


# Keys are compared as polynomial hashes modulo 2**64 (numpy's uint64 arithmetic wraps): the
# base is odd, hence invertible, so that the hash of a word without one of its letters is a few
# operations on the hashes of its prefixes.
_BASE = 1_000_003
_BASE_INVERSE = np.uint64(pow(_BASE, -1, 2**64))
_FAMILY = 1 << 20  # the "length" of family keys, apart from every word's


def _length_tag(length: int) -> np.uint64:
    """Mixed into a key's hash: keys of different lengths (or kinds) never compare equal."""
    return np.uint64(length * 0x9E3779B97F4A7C15 % 2**64)


def _sharing_key(stems: Sequence[str], variants: Sequence[Sequence[str]]) -> dict[int, list[int]]:
    """For each stem, the stems before it with which it shares a key of `_variant_keys`, in
    increasing order (compared as hashes: a few more by chance)."""
    by_length: dict[int, list[tuple[str, int]]] = defaultdict(list)  # words of 5+ letters, with their stem
    for stem_index, words in enumerate(variants):
        for word in words:
            if len(word) >= 5 and word.isalpha():
                by_length[len(word)].append((word, stem_index))
    keys: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for length, rows in by_length.items():
        of = np.fromiter([owner for _, owner in rows], np.int64, len(rows))
        through = _prefix_hashes([word for word, _ in rows], length)
        whole = through[:, -1]
        # Without letter p: the letters before it, plus those after it one power down.
        before = np.concatenate([np.zeros((len(rows), 1), np.uint64), through[:, :-1]], axis=1)
        deleted = before + (whole[:, None] - through) * _BASE_INVERSE
        keys += [whole ^ _length_tag(length), deleted.ravel() ^ _length_tag(length - 1)]
        owners += [of, np.repeat(of, length)]
    families = [index for index, stem in enumerate(stems) if len(stem) >= 7 and stem.isalpha()]
    if families:
        keys.append(_prefix_hashes([stems[index][:7] for index in families], 7)[:, -1] ^ _length_tag(_FAMILY))
        owners.append(np.asarray(families, dtype=np.int64))
    if not keys:
        return {}
    key, owner = np.concatenate(keys), np.concatenate(owners)
    # Each (key, stem) once, sorted by key then stem: each entry pairs with the earlier ones of its run.
    order = np.lexsort((owner, key))
    key, owner = key[order], owner[order]
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
    key, owner = key[distinct], owner[distinct]
    run_start = np.flatnonzero(np.append(True, key[1:] != key[:-1]))
    start_of = np.repeat(run_start, np.diff(np.append(run_start, len(key))))
    earlier = np.arange(len(key)) - start_of  # entries of the run before each entry
    later = np.repeat(np.arange(len(key)), earlier)
    first = np.repeat(start_of, earlier) + np.arange(len(later)) - np.repeat(np.cumsum(earlier) - earlier, earlier)
    codes = np.unique(owner[later] * len(stems) + owner[first])  # owner[later] > owner[first]
    result: dict[int, list[int]] = defaultdict(list)
    for index, other in zip((codes // len(stems)).tolist(), (codes % len(stems)).tolist(), strict=True):
        result[index].append(other)
    return result


def _prefix_hashes(words: Sequence[str], length: int) -> np.ndarray:
    """(word, k) -> hash of the word's first k + 1 letters, for words of `length` letters."""
    letters = np.array(words, dtype=f"<U{length}").view(np.uint32).reshape(len(words), length).astype(np.uint64)
    powers = np.cumprod(np.append(np.uint64(1), np.full(length - 1, _BASE, dtype=np.uint64)), dtype=np.uint64)
    return np.cumsum(letters * powers, axis=1, dtype=np.uint64)


def _variant_keys(stem: str, words: Iterable[str]) -> set[str]:
    """Keys that a stem shares with any stem that `is_derived` or `is_typo` would match with it:
    the family prefix of the stem, and for each of its words the word itself and each of its
    one-letter deletions (two words a typo apart share one). The definition of what
    `_sharing_key` compares as hashes (tests/test_dedup.py checks it against this)."""
    keys = {key for word in words for key in _typo_keys(word)}
    if len(stem) >= 7 and stem.isalpha():
        keys.add("\x00" + stem[:7])
    return keys


def _typo_keys(word: str) -> list[str]:
    """The word and each of its one-letter deletions: two words a typo apart (`is_typo`) share one."""
    if len(word) < 5 or not word.isalpha():
        return []
    return [word, *[word[:position] + word[position + 1 :] for position in range(len(word))]]


def candidate_pairs(units: Sequence[TextUnit], settings: DedupSettings, paraphrase: bool = True) -> np.ndarray:
    """(i, j) unit pairs, i < j, sharing at least `blocking_share` of the lighter one's weight
    once words are grouped with their variants, with the same numbers and negation, and not
    replacing a word of a short text by another."""
    n = len(units)
    share = settings.blocking_share
    stems = list(chain.from_iterable(unit.weights for unit in units))
    if not stems or n < 2:
        return np.empty((0, 2), dtype=np.int64)
    vocabulary: dict[str, int] = dict.fromkeys(stems)  # in order of first appearance
    for number, stem in enumerate(vocabulary):
        vocabulary[stem] = number
    stem_ids = np.fromiter(map(vocabulary.__getitem__, stems), np.int64, len(stems))
    values = np.fromiter(chain.from_iterable(unit.weights.values() for unit in units), np.float64, len(stems))
    frequency = np.bincount(stem_ids, weights=values, minlength=len(vocabulary)).tolist()  # summed in unit order
    surfaces: dict[str, set[str]] = defaultdict(set)
    for stem, surface in set(chain.from_iterable(unit.surfaces.items() for unit in units)):  # the same stems
        surfaces[stem].add(surface)
    ordered = sorted(vocabulary, key=lambda stem: (-frequency[vocabulary[stem]], stem))
    # (With word vectors, verification takes a letter replaced in a short misspelt word: `is_typo` loose.)
    group_of_rank = np.asarray(_word_groups(ordered, surfaces, loose=units[0].vector is not None), dtype=np.int64)
    group_of = np.empty(len(vocabulary), dtype=np.int64)
    group_of[[vocabulary[stem] for stem in ordered]] = group_of_rank
    groups = int(group_of.max()) + 1
    sizes = [len(unit.weights) for unit in units]
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    columns = group_of[stem_ids]
    shape = (n, groups)
    # Asides count only where the other text says the same outside an aside: a text's own weight
    # (`totals`) and the words compared for a replacement leave them out; what it shares with
    # another counts those some text says outside an aside (`everything`), so that no pair
    # verification would find is missed.
    everything = _group_weights(rows, columns, values, shape)
    aside = [stem in unit.aside for unit in units if unit.aside for stem in unit.weights]
    if any(aside):
        with_aside = np.repeat(np.fromiter([bool(unit.aside) for unit in units], bool, n), sizes)
        left_out = np.zeros(len(stems), dtype=bool)
        left_out[with_aside] = aside
        everything_aside = np.bincount(rows[left_out], minlength=n) == sizes  # then the aside counts
        keep = ~left_out | everything_aside[rows]
        weighted = _group_weights(rows[keep], columns[keep], values[keep], shape)
        said = np.zeros(groups, dtype=bool)
        said[weighted.indices] = True
        counted = keep | said[columns]
        everything = _group_weights(rows[counted], columns[counted], values[counted], shape)
        has_aside = np.bincount(rows[counted & ~keep], minlength=n) > 0
    else:
        weighted = everything
        has_aside = np.zeros(n, dtype=bool)
    present = everything.copy()
    present.data[:] = 1.0
    # How many of a unit's words may be generic words a pair's other text lacks: its words that
    # open an action, up to `max_generic_words_added` (`dedup_pairs._leading`).
    openers = np.minimum(np.fromiter([unit.openers for unit in units], np.int64, n), settings.max_generic_words_added)
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    everything_totals = np.asarray(everything.sum(axis=1)).ravel() if weighted is not everything else totals
    # The weight of a pair's shared words, the lighter text's but asides counting, reaches `share`
    # of the lighter's own weight: at most this much of a unit's whole weight is left unshared.
    unshared = everything_totals - share * totals
    aside_weight = everything_totals - totals
    words = np.diff(weighted.indptr)
    strong_words = np.bincount(np.repeat(np.arange(n), words)[weighted.data >= 1.0], minlength=n)
    # Pairs whose numbers (when required equal) or negation differ can pass no level.
    signatures: dict[tuple[Any, ...], int] = {}
    signature = np.asarray(
        [
            signatures.setdefault(
                (unit.numbers if settings.require_same_numbers else (), unit.negated), len(signatures)
            )
            for unit in units
        ],
        dtype=np.int64,
    )

    coo = everything.tocoo()
    row_array, column_array, value_array = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    # Prefix of each unit: its rarest word groups (document frequency, then group number) until
    # they weigh more than `unshared` plus one word. A pair sharing `share` of the
    # lighter unit i then shares more than one word's weight, so at least two groups, of i's
    # prefix (each group weighs at most 1); a unit whose prefix is all of it needs only one.
    document_frequency = np.bincount(column_array, minlength=groups)
    rank = np.empty(groups, dtype=np.int64)
    rank[np.lexsort((np.arange(groups), document_frequency))] = np.arange(groups)
    order = np.lexsort((rank[column_array], row_array))
    sorted_rows, sorted_columns, sorted_values = row_array[order], column_array[order], value_array[order]
    cumulative = np.cumsum(sorted_values)
    row_start = np.searchsorted(sorted_rows, np.arange(n))
    before = np.where(row_start > 0, cumulative[np.maximum(row_start - 1, 0)], 0.0)
    within = cumulative - before[sorted_rows]
    keep = (within - sorted_values) <= unshared[sorted_rows] + 1.0 + 1e-9
    prefix_rows, prefix_columns = sorted_rows[keep], sorted_columns[keep]
    prefix_weight = np.bincount(prefix_rows, weights=sorted_values[keep], minlength=n)
    needed = np.where(prefix_weight - unshared > 1.0 + 1e-9, 2, 1)
    # Sharing two groups of a prefix is sharing one besides its last (most frequent) group: the
    # product below looks for that one, and the last group is looked up pair by pair.
    last = np.append(prefix_rows[1:] != prefix_rows[:-1], True)
    last_group = np.full(n, -1, dtype=np.int64)
    last_group[prefix_rows[last]] = prefix_columns[last]
    probe = ~last | (needed[prefix_rows] == 1)
    probe_rows, probe_columns = prefix_rows[probe], prefix_columns[probe]
    present_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(present.indptr))
    present_groups = present.indices.astype(np.int64)
    signs = np.zeros(n, dtype=np.uint64)  # one bit per group modulo 64: a quick first check
    np.bitwise_or.at(signs, present_rows, np.left_shift(np.uint64(1), (present_groups % 64).astype(np.uint64)))
    # The product counts only the groups shared by texts of one signature: a column per group
    # and signature.
    signature_count = int(signature.max()) + 1
    _, compound = np.unique(
        np.concatenate([present_groups, probe_columns]) * signature_count
        + signature[np.concatenate([present_rows, probe_rows])],
        return_inverse=True,
    )
    width = int(compound.max()) + 1
    present_t = sparse.csr_matrix(
        (np.ones(len(present_rows), np.int32), (compound[: len(present_rows)], present_rows)), shape=(width, n)
    )
    prefix = sparse.csr_matrix(
        (np.ones(len(probe_rows), np.int32), (probe_rows, compound[len(present_rows) :])), shape=(n, width)
    )

    # Blocks of rows whose product holds at most about `block_entries` entries (each row's
    # postings bound its hits), and of pairs whose two texts hold at most that many words: long
    # texts repeating the same paragraphs share a group with most others.
    postings = np.diff(present_t.indptr)
    hits_bound = np.minimum(np.bincount(probe_rows, weights=postings[compound[len(present_rows) :]], minlength=n), n)

    def passable(
        a: np.ndarray,
        b: np.ndarray,
        shared: np.ndarray,
        common_a: np.ndarray,
        strong_a: np.ndarray,
        common_b: np.ndarray,
        strong_b: np.ndarray,
    ) -> np.ndarray:
        """Whether pairs may pass a level, given the weight they share and, for each text, how
        many of its groups (and of those weighing 1) the other says."""
        ok = shared >= share * np.minimum(totals[a], totals[b]) - 1e-9
        # A word of each text missing from the other, in a text too short for a replacement:
        # no level can pass (near needs one text inside the other).
        replaced = (words[a] > common_a) & (words[b] > common_b)
        lighter_words = np.where(totals[a] <= totals[b], words[a], words[b])
        # … unless the words one of them lacks are generic only: the words opening an action,
        # replaced by others (`dedup_pairs._swaps_generic_words_only`), or not said by the other,
        # which adds one word that is not generic (`dedup_pairs._compare`).
        generic_a = (strong_words[a] == strong_a) & (words[a] - common_a <= openers[a])
        generic_b = (strong_words[b] == strong_b) & (words[b] - common_b <= openers[b])
        one_added_a = (words[a] - common_a == 1) & (strong_words[a] - strong_a == 1)
        one_added_b = (words[b] - common_b == 1) & (strong_words[b] - strong_b == 1)
        generic_only = (strong_a > 0) & ((generic_a & (generic_b | one_added_b)) | (generic_b & one_added_a))
        return ok & (~replaced | (((lighter_words >= settings.min_words_for_replacement) | generic_only) & paraphrase))

    found: list[np.ndarray] = []
    for start, stop in _blocks(hits_bound, settings.block_entries):
        hits = prefix[start:stop] @ present_t  # CSR, so its rows need not be listed; counts in int32
        first = np.repeat(np.arange(start, stop, dtype=np.int32), np.diff(hits.indptr))
        second, counts = hits.indices, hits.data
        # A pair is looked at from its lighter text only (from both when they weigh the same): the
        # prefix argument above is about the lighter one, the other direction would add nothing.
        lighter_first = totals[first] <= totals[second]
        first, second, counts = first[lighter_first], second[lighter_first], counts[lighter_first]
        needed_first = needed[first]
        short = np.flatnonzero(counts < needed_first)  # one group short: the last one, if shared
        short = short[_has_bit(signs[second[short]], last_group[first[short]] % 64)]
        counts[short] += _stored(present, second[short], last_group[first[short]])
        mask = (counts >= needed_first) & (first != second)
        first, second = first[mask].astype(np.int64), second[mask].astype(np.int64)
        for begin, end in _blocks(words[first] + words[second], settings.block_entries):
            a, b = first[begin:end], second[begin:end]
            both = weighted[a].minimum(weighted[b])  # the groups of both texts (weights are positive)
            both.eliminate_zeros()
            common = np.diff(both.indptr)
            strong = np.bincount(np.repeat(np.arange(len(a)), common)[both.data >= 1.0], minlength=len(a))
            shared = np.asarray(both.sum(axis=1)).ravel()
            ok = passable(a, b, shared, common, strong, common, strong)
            if weighted is not everything:  # a text's groups the other says in an aside count too
                # (only for pairs whose asides could make them share enough: long texts sharing
                # paragraphs make costly rows.)
                could_share = shared + aside_weight[a] + aside_weight[b] >= share * np.minimum(totals[a], totals[b])
                again = np.flatnonzero(~ok & (has_aside[a] | has_aside[b]) & could_share)
                if len(again):
                    ok[again] = passable(
                        a[again], b[again], *_said_anywhere(everything, weighted, present, a[again], b[again])
                    )
            found.append(np.minimum(a[ok], b[ok]) * n + np.maximum(a[ok], b[ok]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _said_anywhere(
    everything: sparse.csr_matrix, weighted: sparse.csr_matrix, present: sparse.csr_matrix, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, ...]:
    """For pairs (a, b) of units with asides: the weight they share, asides counting, and for
    each text the number of its own groups (outside asides) the other says anywhere, and of
    those weighing 1."""
    shared = np.asarray(everything[a].minimum(everything[b]).sum(axis=1)).ravel()
    counts: list[np.ndarray] = []
    for own, other in ((a, b), (b, a)):
        found = weighted[own].multiply(present[other]).tocsr()
        found.eliminate_zeros()
        common = np.diff(found.indptr)
        counts += [common, np.bincount(np.repeat(np.arange(len(a)), common)[found.data >= 1.0], minlength=len(a))]
    return (shared, *counts)


def _group_weights(
    rows: np.ndarray, columns: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """Units × word groups, the weight of each group in each unit (two variants of one word in a
    text count once)."""
    matrix = sparse.csr_matrix(
        (np.asarray(values), (np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))), shape=shape
    )
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 1.0)
    return matrix


def _blocks(costs: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive (start, stop) ranges of the items, each costing at most `budget` but for its
    last item (an item costing more is a range of its own)."""
    if not len(costs):
        return []
    cumulative = np.cumsum(costs, dtype=np.float64)
    block = (cumulative - costs) // budget  # the block where each item starts
    starts = np.flatnonzero(np.append(True, block[1:] != block[:-1]))
    return list(zip(starts.tolist(), [*starts[1:].tolist(), len(costs)], strict=True))


def _has_bit(signs: np.ndarray, bits: np.ndarray) -> np.ndarray:
    return (np.right_shift(signs, bits.astype(np.uint64)) & np.uint64(1)).astype(bool)


def _stored(matrix: sparse.csr_matrix, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Whether each (row, column) holds a nonzero value (looked up in its row)."""
    if not len(rows):  # scipy answers an empty selection with a sparse matrix
        return np.zeros(0, dtype=bool)
    return np.asarray(matrix[rows, columns]).ravel() != 0


def all_pairs(n: int) -> np.ndarray:
    first, second = np.triu_indices(n, k=1)
    return np.stack([first, second], axis=1).astype(np.int64)
