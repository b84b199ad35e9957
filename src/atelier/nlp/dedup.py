"""Deduplication: one cluster per idea across post-its, summary and detailed tables, sessions
and documents, with every member kept.

Three levels decide whether two texts say the same idea:

1. **exact** — the same words once folded (`normalize_for_match`, punctuation dropped);
2. **near-identical** — the same content words up to inflection, typos and abbreviations
   ("conséquence"/"conséquences", "Buteaud"/"Bouteaud", "DD"/"développement durable",
   "10M€"/"10 millions d'euros"): the rapidfuzz ratio of the two content keys reaches
   `near_threshold` and every content word of one text is found in the other (a text may add
   words to the other, it may not replace one: "des bus"/"des bâtiments" stay apart);
3. **paraphrase** — only when a spaCy `nlp` is given (its lemma table and word vectors, looked
   up word by word, without running the pipeline): the shorter text's content is found in the
   longer one (lemma overlap ≥ `containment_threshold`, at most one word in five left out, and
   never a name, an acronym or a number), the longer one adds little (`coverage_threshold`) or
   what they share is substantial (`min_shared_weight`), and their mean word vectors are close
   (`vector_threshold`).

Whatever the level, texts with different numbers ("25 %"/"15 %") or with a negation on one side
only are different ideas, and an objective is never put with one of its own actions (an action
whose `objective` is the objective's text).

Content words weigh 1, generic ones ("développer", "favoriser", "mise en place", …) weigh
`weak_word_weight`, framing words ("proposition", "il faut", "c'est une priorité") nothing; the
weights do not depend on the corpus, so a pair's verdict never changes when documents are added.
A parenthesised aside ("(diagnostic social annuel obligatoire)") counts only where the other text
says the same outside an aside; numbers inside asides ("session 2") are not the idea's.

Candidates are generated without comparing all pairs. Words are first grouped with their typo
and derivation variants (vocabulary-wide), then ranked rarest first; a pair is compared only if
it shares two of the rarest words that make up more than 1 − `blocking_share` of the lighter
text's weight, plus one word (prefix filtering: a pair sharing less than `blocking_share` of the
lighter text cannot pass any level). The shared weight of those pairs is computed with sparse
matrices, and only the pairs sharing at least `blocking_share` are verified one by one.

Clusters are stars, so ideas never chain: texts are taken longest first; each text not yet placed
founds a cluster (its wording is the canonical one, the most complete) and takes in the texts
verified similar to *it* that are also compatible with every member already in (sharing at
least `member_overlap` of the lighter one's content, without a word replaced as the paraphrase
level forbids): two different ideas that one long text both contains do not end up together.
Cluster ids hash the founder's folded wording: the same inputs give the same ids, in any order,
and adding documents keeps the id of every existing cluster unless a new text becomes its
longest wording (then that cluster's id follows its new canonical wording).

Candidate generation and verification are exact about what they compare; blocking can miss a
pair only through words grouped with different variants (measured: bench/dedup.py, and
tests/test_dedup.py compares blocked and all-pairs verification).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein
from scipy import sparse

from atelier.extract.records import Contribution
from atelier.nlp.language import normalize_for_match

if TYPE_CHECKING:
    import spacy

CLUSTER_ID_PREFIX = "c-"
CLUSTER_ID_HEX_LENGTH = 10

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_MONEY = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(k|m|md|mds|mrd|mrds|milliers?|millions?|milliards?)?\s*(?:d['’]\s*)?(€|euros?\b|eur\b)",
    re.IGNORECASE,
)
_MONEY_UNITS = {
    "k": "k", "millier": "k", "milliers": "k",
    "m": "m", "million": "m", "millions": "m",
    "md": "md", "mds": "md", "mrd": "md", "mrds": "md", "milliard": "md", "milliards": "md",
}  # fmt: skip
_ASIDE = re.compile(r"\([^()]*\)")
# "pluri-disciplinaire", "éco-rénovation", "socio-économique": one word, as when written joined.
_PREFIX_HYPHEN = re.compile(
    r"\b(pluri|multi|inter|intra|co|[eé]co|auto|anti|socio|bio|micro|macro|n[eé]o|semi|trans|extra|ultra|"
    r"p[eé]ri|post|pr[eé]|super|hyper|mini)-(?=[^\W\d_])",
    re.IGNORECASE,
)
_INNER_CAPITAL = _CAPITAL = re.compile(r"[A-ZÀ-ÖØ-ÞŒ]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = ".:!?;–—-=>"

# Function words (folded). Negations are not here: they are kept apart (see _NEGATIONS).
STOP_WORDS: frozenset[str] = frozenset(
    """
    a au aux avec c ca ce ceci cela celle celles celui ces cet cette ceux chez comme contre d dans de des
    donc dont du elle elles en entre est et etc etre ete eux il ils j je l la le les leur leurs lui m
    ma mais me meme mes moi mon n nos notre nous on or ou par parmi pour qu que quel quelle quelles quels
    qui quoi s sa se selon ses si soit son sont sous sur t ta te tes toi ton tous tout toute toutes tres
    tu un une vers vos votre vous y afin ainsi alors aussi car cf ex exemple notamment ndr puis plus
    doit doivent peut peuvent faut sera seront ont avoir etait
    """.split()
)
_NEGATIONS: frozenset[str] = frozenset("ne pas sans non ni jamais aucun aucune".split())
# Framing words, which say how an idea is put, not which idea it is: ignored.
FRAME_WORDS: frozenset[str] = frozenset(
    """
    proposition propositions proposons proposer propose proposee priorite prioritaire prioritaires
    urgent urgente important importante necessaire necessite falloir devrait pourrait souhaite souhaitable
    """.split()
)
# Generic words that say little about which idea it is (weigh `weak_word_weight`).
WEAK_WORDS: frozenset[str] = frozenset(
    """
    faire fait mettre mise place developper developpement favoriser creer creation organiser organisation
    realiser realisation promouvoir promotion permettre encourager soutenir soutien renforcer ameliorer
    amelioration assurer aider agir travailler travail question comment role cadre niveau matiere terme
    type oeuvre action actions general generale demarche besoin besoins enjeu enjeux veiller engager
    """.split()
)
# Abbreviations of French public-policy reports. Both forms become the abbreviation.
DEFAULT_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("DD", "développement durable"),
    ("CU", "communauté urbaine"),
    ("CUGT", "communauté urbaine du Grand Toulouse"),
    ("A21", "Agenda 21"),
    ("PCET", "plan climat énergie territorial"),
    ("TC", "transports en commun"),
    ("TAD", "transport à la demande"),
    ("ESS", "économie sociale et solidaire"),
    ("RSE", "responsabilité sociétale des entreprises"),
    ("RSE", "responsabilité sociétale"),
    ("ABS", "analyse des besoins sociaux"),
    ("IDH", "indice de développement humain"),
    ("PLH", "programme local de l'habitat"),
    ("PDE", "plan de déplacements d'entreprise"),
    ("asso", "association"),
    ("CCAS", "centre communal d'action sociale"),
    ("CAF", "caisse d'allocations familiales"),
    ("BBC", "bâtiment basse consommation"),
    ("SCIC", "société coopérative d'intérêt collectif"),
    ("SCOP", "société coopérative et participative"),
)
# Verb/noun pairs whose stems the light stemmer cannot bring together.
_IRREGULAR_STEMS = {
    "mise": "mett", "mis": "mett", "mettre": "mett", "mettent": "mett",
    "soutien": "souten", "soutenir": "souten", "coordination": "coordonn", "coordonner": "coordonn",
    "promotion": "promouv", "promouvoir": "promouv", "deploiement": "deploy", "deployer": "deploy",
    "construction": "construir", "construire": "construir", "lutte": "lutt", "lutter": "lutt",
}  # fmt: skip


@dataclass(frozen=True)
class DedupSettings:
    """Every knob of deduplication, with its default (chosen on the dev half of
    tests/labels/dedup_pairs.csv, checked on the synthetic benchmark: bench/dedup.py)."""

    # Near-identical level: rapidfuzz score (0–100) of the two content keys.
    near_threshold: float = 90.0
    # Folded texts shorter than this merge only when identical (one letter is too much of them).
    min_fuzzy_length: int = 20
    # Texts whose numbers differ ("25 %" / "15 %", "phase 1" / "phase 2") are never one idea.
    require_same_numbers: bool = True
    # Paraphrase level (with nlp): share of the shorter text's content weight found in the other;
    # the words left out may be at most (1 - containment) of its words, rounded down.
    containment_threshold: float = 0.8
    # … and share of the longer one's found in the shorter, unless they share min_shared_weight.
    coverage_threshold: float = 0.5
    min_shared_weight: float = 4.0
    # … the shorter text must weigh at least this much (two content words).
    min_paraphrase_weight: float = 2.0
    # … and the cosine of their mean word vectors must reach this.
    vector_threshold: float = 0.8
    # A word of the shorter text replaced by another (both texts lacking a word of the other) is
    # allowed only from this many content words on when the longer text also adds words, from
    # min_words_for_swap for a plain one-for-one swap, never for a name, acronym or number.
    min_words_for_replacement: int = 6
    min_words_for_swap: int = 10
    # Against chaining: a newcomer shares at least this much of the lighter content with every member.
    member_overlap: float = 0.5
    # Weight of generic words ("développer", "favoriser", …); content words weigh 1.
    weak_word_weight: float = 0.5
    # Run the paraphrase level when an nlp is given.
    paraphrase: bool = True
    abbreviations: tuple[tuple[str, str], ...] = DEFAULT_ABBREVIATIONS
    # Candidate blocking: pairs sharing less than this share of the lighter text (after grouping
    # typo variants) are never verified. Must stay below containment_threshold.
    blocking_share: float = 0.7
    # Rows of the sparse candidate product per block (memory ∝ block_size × postings).
    block_size: int = 2048

    def __post_init__(self) -> None:
        if not 0.0 < self.near_threshold <= 100.0:
            raise ValueError("near_threshold must be in (0, 100]")
        shares = ("containment_threshold", "coverage_threshold", "member_overlap", "vector_threshold", "blocking_share")
        for name in shares:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.blocking_share > self.containment_threshold:
            raise ValueError("blocking_share must not exceed containment_threshold")
        if self.min_fuzzy_length < 1 or self.block_size < 1:
            raise ValueError("min_fuzzy_length and block_size must be positive")
        if not 0.0 < self.weak_word_weight <= 1.0:
            raise ValueError("weak_word_weight must be in (0, 1]")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> DedupSettings:
        """Settings from a configuration mapping (a YAML section); unknown keys are an error."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown dedup setting(s): {', '.join(unknown)}")
        values = dict(values)
        if isinstance(values.get("abbreviations"), Mapping):
            values["abbreviations"] = tuple(values["abbreviations"].items())
        elif "abbreviations" in values:
            values["abbreviations"] = tuple(tuple(pair) for pair in values["abbreviations"])
        return cls(**values)


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


# ---------------------------------------------------------------- text analysis


@dataclass
class _Unit:
    """One distinct folded wording and what the comparisons need of it. A parenthesised aside
    counts only where the other text says it outside an aside (see `_score`)."""

    key: str  # folded words joined by spaces: equal keys are the exact level
    length: int
    weights: dict[str, float]  # content stem -> weight (each stem once)
    surfaces: dict[str, str]  # content stem -> the folded word it came from (first one)
    names: frozenset[str]  # stems of names, acronyms, numbers and words unknown to the vectors
    aside: frozenset[str]  # stems found only inside parenthesised asides
    total: float
    content_key: str  # stems in text order: the near-identical level's rapidfuzz key
    core_key: str  # the same without the asides
    numbers: tuple[str, ...]  # outside the asides
    negated: bool
    vector: np.ndarray | None = None


class _Analyzer:
    """Turns texts into `_Unit`s; caches per word (folding, stems, lemmas, vectors)."""

    def __init__(self, settings: DedupSettings, nlp: spacy.Language | None) -> None:
        self.settings = settings
        self.nlp = nlp
        # Abbreviations are contracted: "développement durable" and "DD" both become "dd".
        self.contractions: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self.abbreviations: set[str] = set()
        for abbreviation, full in settings.abbreviations:
            short = normalize_for_match(abbreviation)
            self.abbreviations.add(short)
            words = tuple(_stem(normalize_for_match(word)) for word in _WORD.findall(full.casefold()))
            if words:
                self.contractions[words[0]].append((words, short))
        for options in self.contractions.values():
            options.sort(key=lambda option: -len(option[0]))
        self.lemmas = _lemma_lookup(nlp) if nlp is not None else None
        self.weak = frozenset(_stem(word) for word in WEAK_WORDS)
        self._word_cache: dict[str, tuple[str, str, str | None, str, tuple[str, ...], bool, bool, bool]] = {}
        self._stem_cache: dict[str, str] = {}
        self._vector_cache: dict[str, np.ndarray | None] = {}

    def word(self, raw: str) -> tuple[str, str, str | None, str, tuple[str, ...], bool, bool, bool]:
        """(lower-cased, folded, content stem or None, plain stem, digits, negation, unknown word,
        part of an abbreviation) of one word as written, cached."""
        info = self._word_cache.get(raw)
        if info is None:
            lower = raw.casefold()
            folded = normalize_for_match(lower)
            digits = tuple(_DIGITS.findall(folded))
            negation = folded in _NEGATIONS
            content = (
                not negation
                and folded not in STOP_WORDS
                and folded not in FRAME_WORDS
                and (len(folded) > 1 or bool(digits))
            )
            stem = self.stem(lower, folded) if content else None
            unknown = (
                content
                and self.nlp is not None
                and not digits
                and folded not in self.abbreviations
                and self.word_vector(lower) is None
            )
            plain = _stem(folded)
            abbreviation = plain in self.contractions or folded in self.abbreviations
            info = (lower, folded, stem, plain, digits, negation, unknown, abbreviation)
            self._word_cache[raw] = info
        return info

    def key(self, text: str) -> str:
        return " ".join([self.word(raw)[1] for raw in _WORD.findall(text)])

    def unit(self, text: str, key: str | None = None) -> _Unit:
        key = self.key(text) if key is None else key
        surface = text
        if _DIGIT.search(surface):
            surface = _MONEY.sub(_money, _THOUSANDS.sub("", surface))
        if "-" in surface:
            surface = _PREFIX_HYPHEN.sub(r"\1", surface)
        # (word as written, looks like a name, inside an aside)
        words: list[tuple[str, bool, bool]]
        if "(" not in surface and not _INNER_CAPITAL.search(surface, 1):
            words = [(raw, False, False) for raw in _WORD.findall(surface)]
        else:
            words = self._positioned(surface)
        infos = [self.word(raw) for raw, _, _ in words]
        if self.contractions and any([info[7] for info in infos]):
            words = self._contract(words)
            infos = [self.word(raw) for raw, _, _ in words]
        stems: list[str] = []
        core_stems: list[str] = []
        content_surfaces: list[str] = []
        surfaces: dict[str, str] = {}
        names: set[str] = set()
        numbers: list[str] = []
        negated = False
        for (_, name, inside), (lower, folded, stem, _, digits, negation, unknown, abbreviation) in zip(words, infos):
            if digits and not inside:
                numbers.extend(digits)
            if negation:
                negated = negated or not inside
                continue
            if stem is None:
                continue
            stems.append(stem)
            if not inside:
                core_stems.append(stem)
            if stem not in surfaces:
                surfaces[stem] = folded
            if name or digits or unknown or (abbreviation and folded in self.abbreviations):
                names.add(stem)
            content_surfaces.append(lower)
        weak = self.settings.weak_word_weight
        weights = {s: (weak if s in self.weak else 1.0) for s in stems}
        unit = _Unit(
            key=key,
            length=len(key),
            weights=weights,
            surfaces=surfaces,
            names=frozenset(names),
            aside=frozenset(weights.keys() - set(core_stems)) if len(core_stems) < len(stems) else frozenset(),
            total=float(sum(weights.values())),
            content_key=" ".join(stems),
            core_key=" ".join(core_stems),
            numbers=tuple(sorted(numbers)),
            negated=negated,
        )
        if self.nlp is not None:
            unit.vector = self.text_vector(content_surfaces, stems, weights)
        return unit

    def _positioned(self, surface: str) -> list[tuple[str, bool, bool]]:
        """Words with the two facts that need their position: a capital inside a sentence
        (a name) and being inside a parenthesised aside."""
        asides = [match.span() for match in _ASIDE.finditer(surface)] if "(" in surface else []
        letters = len(_LETTER.findall(surface))
        shouting = letters > 0 and len(_CAPITAL.findall(surface)) > 0.6 * letters
        words: list[tuple[str, bool, bool]] = []
        previous_end = 0
        for match in _WORD.finditer(surface):
            raw = match.group()
            name = False
            if not shouting and raw[0].isupper():
                between = surface[previous_end : match.start()].strip()
                starts_sentence = not words or (bool(between) and between[-1] in _SENTENCE_END)
                name = (len(raw) > 1 and raw.isupper()) or not starts_sentence
            previous_end = match.end()
            inside = bool(asides) and any(start <= match.start() < stop for start, stop in asides)
            words.append((raw, name, inside))
        if words and all(inside for _, _, inside in words):  # nothing but asides: they are the text
            words = [(raw, name, False) for raw, name, _ in words]
        return words

    def _contract(self, words: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
        """Replace each spelt-out abbreviation ("développement durable") by the abbreviation."""
        stems = [self.word(raw)[3] for raw, _, _ in words]
        result: list[tuple[str, bool, bool]] = []
        position = 0
        while position < len(words):
            replaced = False
            for option, short in self.contractions.get(stems[position], ()):
                if tuple(stems[position : position + len(option)]) == option:
                    result.append((short, True, words[position][2]))
                    position += len(option)
                    replaced = True
                    break
            if not replaced:
                raw, name, inside = words[position]
                result.append((raw, name, inside))
                position += 1
        return result

    def stem(self, lower: str, folded: str) -> str:
        cached = self._stem_cache.get(lower)
        if cached is None:
            base = folded
            if self.lemmas is not None and folded not in self.abbreviations and folded not in _IRREGULAR_STEMS:
                lemma = self.lemmas(lower)
                if lemma:
                    base = normalize_for_match(lemma)
            cached = self._stem_cache[lower] = _stem(base)
        return cached

    def text_vector(
        self, surfaces: Sequence[str], stems: Sequence[str], weights: Mapping[str, float]
    ) -> np.ndarray | None:
        """Weighted mean of the unit word vectors of the content words, normalised (None if none)."""
        total: np.ndarray | None = None
        for surface, stem in zip(surfaces, stems, strict=True):
            vector = self.word_vector(surface)
            if vector is None:
                continue
            total = vector * weights[stem] if total is None else total + vector * weights[stem]
        if total is None:
            return None
        norm = float(np.linalg.norm(total))
        return total / norm if norm else None

    def word_vector(self, surface: str) -> np.ndarray | None:
        if surface not in self._vector_cache:
            assert self.nlp is not None
            vocab = self.nlp.vocab
            vector = None
            if vocab.has_vector(surface):
                raw = np.asarray(vocab.get_vector(surface), dtype=np.float32)
                norm = float(np.linalg.norm(raw))
                vector = raw / norm if norm else None
            self._vector_cache[surface] = vector
        return self._vector_cache[surface]


def _money(match: re.Match[str]) -> str:
    """An amount of euros as one word: "10M€", "10 M€" and "10 millions d'euros" give "10meur"."""
    amount, unit, _ = match.groups()
    amount = amount.replace(",", ".").rstrip("0").rstrip(".") if "." in amount or "," in amount else amount
    return f" {amount}{_MONEY_UNITS[unit.lower()] if unit else ''}eur "


def _lemma_lookup(nlp: spacy.Language) -> Callable[[str], str | None] | None:
    """The lemmatizer's lookup table (form -> lemma), used word by word without the pipeline."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError, ValueError):
        return None

    def lookup(word: str) -> str | None:
        value = table.get(word)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        return value or None

    return lookup


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A light French stemmer on a folded word: plural, feminine -e, infinitive -er and the
    nominal suffixes -ation/-ement, so that "développer"/"développement", "créer"/"création",
    "lutte"/"lutter", "sociales"/"social" share a stem. Kept light: a different idea must not
    collapse into another."""
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"
    elif word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    for suffix in ("ation", "ement"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("er") and len(word) >= 5:
        return word[:-2]
    if word.endswith("e") and len(word) >= 5:
        return word[:-1]
    return word


def _typo(first: str, second: str) -> bool:
    """One edit apart in words of 5+ letters (a letter missing, added, or two swapped); a
    letter replaced only in words of 7+ letters ("former"/"fermer" are two words). Never
    between words holding digits."""
    shorter = min(len(first), len(second))
    if shorter < 5 or abs(len(first) - len(second)) > 1:
        return False
    if not (first.isalpha() and second.isalpha()):
        return False
    if OSA.distance(first, second, score_cutoff=1) > 1:
        return False
    if len(first) == len(second) and shorter < 7:
        return Levenshtein.distance(first, second, score_cutoff=2) == 2  # a swap, not a replacement
    return True


def _derived(first: str, second: str) -> bool:
    """Stems of one word family sharing their first 7 letters ("participation"/"participatif")."""
    return min(len(first), len(second)) >= 7 and first[:7] == second[:7] and first.isalpha() and second.isalpha()


# ---------------------------------------------------------------- pair verification


@dataclass(frozen=True)
class PairScore:
    """What the levels look at for one pair of distinct units. "Shorter" is the text of lower
    content weight."""

    shorter_share: float  # weight of the shorter text's content found in the other / its weight
    longer_share: float  # the same for the longer text
    shared: float  # weight of the shorter text's content found in the other
    shorter_weight: float
    shorter_words: int  # content words of the shorter text
    left_out: int  # of them, not found in the other
    longer_left_out: int  # words of the longer text not found in the shorter
    replaced: bool  # both texts have words the other lacks
    replaced_name: bool  # … and a name, an acronym or a number is among them
    contained: bool  # every content word of one of the texts is found in the other
    ratio: float  # rapidfuzz ratio of the content keys
    cosine: float | None  # mean word vectors (None without nlp)


def _matched(first: _Unit, second: _Unit) -> dict[str, str]:
    """Each stem of `first` found in `second`, with the stem it matches there: the same stem, a
    typo, or the same word family."""
    common = first.weights.keys() & second.weights.keys()
    pairs = {stem: stem for stem in common}
    if len(common) == len(first.weights) or len(common) == len(second.weights):
        return pairs
    right = [s for s in second.weights if s not in common]
    taken: set[str] = set()
    for stem in first.weights:
        if stem in common:
            continue
        for other in right:
            if other in taken:
                continue
            if (
                _derived(stem, other)
                or _typo(stem, other)
                or _typo(first.surfaces[stem], second.surfaces[other])
            ):
                pairs[stem] = other
                taken.add(other)
                break
    return pairs


def _score(first: _Unit, second: _Unit) -> PairScore:
    pairs = _matched(first, second)
    if first.total > second.total or (first.total == second.total and first.key > second.key):
        first, second = second, first
        pairs = {other: stem for stem, other in pairs.items()}
    back = {other: stem for stem, other in pairs.items()}
    # An aside counts where the other text says it in its main part, and is ignored elsewhere.
    counted_first = [s for s in first.weights if s not in first.aside or (s in pairs and pairs[s] not in second.aside)]
    counted_second = [s for s in second.weights if s not in second.aside or (s in back and back[s] not in first.aside)]
    total_first = sum(first.weights[s] for s in counted_first)
    total_second = sum(second.weights[s] for s in counted_second)
    if not total_first or not total_second:
        counted_first, counted_second = list(first.weights), list(second.weights)
        total_first, total_second = first.total, second.total
    missing_first = [s for s in counted_first if s not in pairs]
    missing_second = [s for s in counted_second if s not in back]
    shared = total_first - sum(first.weights[s] for s in missing_first)
    replaced = bool(missing_first) and bool(missing_second)
    # A replaced name: among the shorter text's missing words, or among the longer's when it
    # does not merely elaborate (it lacks hardly more words than the shorter).
    replaced_name = replaced and (
        any(s in first.names for s in missing_first)
        or (len(missing_second) <= len(missing_first) + 1 and any(s in second.names for s in missing_second))
    )
    ratio = fuzz.ratio(first.content_key, second.content_key)
    if first.core_key != first.content_key or second.core_key != second.content_key:
        ratio = max(ratio, fuzz.ratio(first.core_key, second.core_key))
    cosine = None
    if first.vector is not None and second.vector is not None:
        cosine = float(first.vector @ second.vector)
    return PairScore(
        shorter_share=shared / total_first,
        longer_share=(total_second - sum(second.weights[s] for s in missing_second)) / total_second,
        shared=shared,
        shorter_weight=total_first,
        shorter_words=len(counted_first),
        left_out=len(missing_first),
        longer_left_out=len(missing_second),
        replaced=replaced,
        replaced_name=replaced_name,
        contained=not missing_first or not missing_second,
        ratio=ratio,
        cosine=cosine,
    )


def _level(
    first: _Unit, second: _Unit, settings: DedupSettings, paraphrase: bool
) -> tuple[str | None, PairScore | None]:
    """("exact" | "near" | "paraphrase" | None, score) for two units."""
    if first.key == second.key:
        return "exact", None
    if settings.require_same_numbers and first.numbers != second.numbers:
        return None, None
    if first.negated != second.negated:
        return None, None
    if not first.total or not second.total:
        return None, None
    score = _score(first, second)
    if (
        min(first.length, second.length) >= settings.min_fuzzy_length
        and score.contained
        and score.ratio >= settings.near_threshold
    ):
        return "near", score
    if paraphrase and _is_paraphrase(score, settings):
        return "paraphrase", score
    return None, score


def _replacement_allowed(score: PairScore, settings: DedupSettings) -> bool:
    """A word of the shorter text replaced by another: never a name, an acronym or a number;
    from `min_words_for_replacement` words when the longer text also elaborates (it lacks more
    words than the shorter one), and for a plain one-for-one swap — the mark of two parallel,
    different ideas — only from `min_words_for_swap` words."""
    if score.replaced_name:
        return False
    if score.longer_left_out > score.left_out:
        return score.shorter_words >= settings.min_words_for_replacement
    return score.shorter_words >= settings.min_words_for_swap


def _is_paraphrase(score: PairScore, settings: DedupSettings) -> bool:
    allowed = math.floor((1.0 - settings.containment_threshold) * score.shorter_words + 1e-9)
    if score.replaced and not _replacement_allowed(score, settings):
        return False
    return (
        score.shorter_weight >= settings.min_paraphrase_weight
        and score.shorter_share >= settings.containment_threshold - 1e-9
        and score.left_out <= allowed
        and (score.longer_share >= settings.coverage_threshold or score.shared >= settings.min_shared_weight)
        and score.cosine is not None
        and score.cosine >= settings.vector_threshold
    )


def _compatible(first: _Unit, second: _Unit, settings: DedupSettings, paraphrase: bool) -> bool:
    """May two members of one cluster stand together (checked for every pair of members, against
    chaining)? Yes if verified similar; otherwise they must share `member_overlap` of the
    lighter one's content and not replace a word of a short text (or a name) by another."""
    level, score = _level(first, second, settings, paraphrase)
    if level is not None:
        return True
    if score is None:  # numbers or negation differ, or no content
        return False
    if score.replaced and not _replacement_allowed(score, settings):
        return False
    return score.shorter_share >= settings.member_overlap


# ---------------------------------------------------------------- candidates


def _word_groups(stems: Sequence[str], surfaces: Mapping[str, Iterable[str]]) -> list[int]:
    """A group number per stem, for candidate blocking: a stem joins the group of the first
    more frequent stem (`stems` come most frequent first) that `_matched` would match with it —
    a typo of it or of the word it comes from, or the same family — or founds its own. A pair
    of variants that each join a different group is missed by blocking (measured in
    bench/dedup.py against verifying all pairs)."""
    group = [0] * len(stems)
    buckets: dict[str, list[int]] = defaultdict(list)

    def keys(word: str) -> list[str]:
        if not word.isalpha():
            return []
        result = []
        if len(word) >= 7:
            result.append("\x00" + word[:7])
        if len(word) >= 5:
            result.append(word)
            result.extend(word[:position] + word[position + 1 :] for position in range(len(word)))
        return result

    groups = 0
    for index, stem in enumerate(stems):
        words = [stem, *surfaces.get(stem, ())]
        own_keys = {key for word in words for key in keys(word)}
        chosen = None
        for other_index in sorted({other for key in own_keys for other in buckets.get(key, ())}):
            other = stems[other_index]
            if _derived(stem, other) or any(_typo(a, b) for a in words for b in [other, *surfaces.get(other, ())]):
                chosen = group[other_index]
                break
        if chosen is None:
            chosen, groups = groups, groups + 1
        group[index] = chosen
        for key in own_keys:
            buckets[key].append(index)
    return group


def _candidate_pairs(units: Sequence[_Unit], settings: DedupSettings, paraphrase: bool = True) -> np.ndarray:
    """(i, j) unit pairs, i < j, sharing at least `blocking_share` of the lighter one's weight
    once words are grouped with their variants, with the same numbers and negation, and not
    replacing a word of a short text by another."""
    n = len(units)
    frequency: Counter[str] = Counter()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        frequency.update(unit.weights)
        for stem in unit.weights:
            surfaces[stem].add(unit.surfaces[stem])
    if not frequency or n < 2:
        return np.empty((0, 2), dtype=np.int64)
    ordered = sorted(frequency, key=lambda stem: (-frequency[stem], stem))
    vocabulary = {stem: index for index, stem in enumerate(ordered)}
    group_of = np.asarray(_word_groups(ordered, surfaces), dtype=np.int64)
    groups = int(group_of.max()) + 1
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, unit in enumerate(units):
        # Asides count only where the other text says the same outside an aside: left out here.
        core = [stem for stem in unit.weights if stem not in unit.aside] or list(unit.weights)
        for stem in core:
            weight = unit.weights[stem]
            rows.append(row)
            columns.append(int(group_of[vocabulary[stem]]))
            values.append(weight)
    shape = (n, groups)
    weighted = sparse.csr_matrix(
        (np.asarray(values), (np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))), shape=shape
    )
    weighted.sum_duplicates()
    weighted.data = np.minimum(weighted.data, 1.0)  # two variants of one word in a text count once
    present = weighted.copy()
    present.data[:] = 1.0
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    words = np.diff(present.indptr)
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

    coo = weighted.tocoo()
    row_array, column_array, value_array = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    # Prefix of each unit: its rarest word groups (document frequency, then group number) until
    # they weigh more than (1 - share) of the unit plus one word. A pair sharing `share` of the
    # lighter unit i then shares more than one word's weight, so at least two groups, of i's
    # prefix (each group weighs at most 1); a unit whose prefix is all of it needs only one.
    share = settings.blocking_share
    document_frequency = np.bincount(column_array, minlength=groups)
    rank = np.empty(groups, dtype=np.int64)
    rank[np.lexsort((np.arange(groups), document_frequency))] = np.arange(groups)
    order = np.lexsort((rank[column_array], row_array))
    sorted_rows, sorted_columns, sorted_values = row_array[order], column_array[order], value_array[order]
    cumulative = np.cumsum(sorted_values)
    row_start = np.searchsorted(sorted_rows, np.arange(n))
    before = np.where(row_start > 0, cumulative[np.maximum(row_start - 1, 0)], 0.0)
    within = cumulative - before[sorted_rows]
    keep = (within - sorted_values) <= (1.0 - share) * totals[sorted_rows] + 1.0 + 1e-9
    prefix = sparse.csr_matrix(
        (np.ones(int(keep.sum())), (sorted_rows[keep], sorted_columns[keep])), shape=shape
    )
    prefix_weight = np.bincount(sorted_rows[keep], weights=sorted_values[keep], minlength=n)
    needed = np.where(prefix_weight - (1.0 - share) * totals > 1.0 + 1e-9, 2, 1)
    present_t = present.T.tocsr()

    found: list[np.ndarray] = []
    for start in range(0, n, settings.block_size):
        stop = min(start + settings.block_size, n)
        hits = (prefix[start:stop] @ present_t).tocoo()
        first = hits.row.astype(np.int64) + start
        second = hits.col.astype(np.int64)
        mask = (first != second) & (hits.data >= needed[first]) & (signature[first] == signature[second])
        first, second = first[mask], second[mask]
        for chunk in range(0, len(first), 1 << 20):
            a, b = first[chunk : chunk + (1 << 20)], second[chunk : chunk + (1 << 20)]
            shared = np.asarray(weighted[a].minimum(weighted[b]).sum(axis=1)).ravel()
            lighter = np.minimum(totals[a], totals[b])
            ok = shared >= share * lighter - 1e-9
            # A word of each text missing from the other, in a text too short for a replacement:
            # no level can pass (near needs one text inside the other).
            common = np.asarray(present[a].multiply(present[b]).sum(axis=1)).ravel()
            replaced = (words[a] > common) & (words[b] > common)
            lighter_words = np.where(totals[a] <= totals[b], words[a], words[b])
            ok &= ~replaced | ((lighter_words >= settings.min_words_for_replacement) & paraphrase)
            found.append(np.minimum(a[ok], b[ok]) * n + np.maximum(a[ok], b[ok]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _all_pairs(n: int) -> np.ndarray:
    first, second = np.triu_indices(n, k=1)
    return np.stack([first, second], axis=1).astype(np.int64)


# ---------------------------------------------------------------- clustering


@dataclass
class _Prepared:
    units: list[_Unit]
    unit_of: list[int]  # item -> unit
    neighbours: dict[int, dict[int, str]] = field(default_factory=dict)  # unit -> {unit: level}
    candidates: int = 0


def _prepare(
    texts: Sequence[str],
    settings: DedupSettings,
    nlp: spacy.Language | None,
    *,
    exhaustive: bool = False,
) -> _Prepared:
    analyzer = _Analyzer(settings, nlp)
    paraphrase = nlp is not None and settings.paraphrase
    unit_index: dict[str, int] = {}
    units: list[_Unit] = []
    unit_of: list[int] = []
    for text in texts:
        key = analyzer.key(text)
        position = unit_index.get(key)
        if position is None:
            position = unit_index[key] = len(units)
            units.append(analyzer.unit(text, key))
        unit_of.append(position)
    pairs = _all_pairs(len(units)) if exhaustive else _candidate_pairs(units, settings, paraphrase)
    neighbours: dict[int, dict[int, str]] = defaultdict(dict)
    for first, second in pairs.tolist():
        level, _ = _level(units[first], units[second], settings, paraphrase)
        if level is not None:
            neighbours[first][second] = level
            neighbours[second][first] = level
    return _Prepared(units=units, unit_of=unit_of, neighbours=neighbours, candidates=len(pairs))


def _star_clusters(
    prepared: _Prepared,
    objectives: Sequence[str],
    settings: DedupSettings,
    paraphrase: bool,
    kinds: Sequence[str] | None = None,
) -> list[tuple[int, list[int]]]:
    """(founder, members) per cluster, in the order clusters were founded.

    Founders are taken longest first (ties: folded wording, then input order), so the founder
    is the most complete wording of its cluster: its canonical member. An objective (an item
    of kind "objective", or any item when kinds are not given) never shares a cluster with an
    item whose `objective` is its text: one of its own actions.
    """
    units, unit_of = prepared.units, prepared.unit_of
    members_of: dict[int, list[int]] = defaultdict(list)
    for item, unit in enumerate(unit_of):
        members_of[unit].append(item)

    def priority(item: int) -> tuple[int, str, int]:
        unit = units[unit_of[item]]
        return (-unit.length, unit.key, item)

    compatible_cache: dict[tuple[int, int], bool] = {}

    def compatible(first: int, second: int) -> bool:
        if first == second:
            return True
        pair = (min(first, second), max(first, second))
        if pair not in compatible_cache:
            if second in prepared.neighbours.get(first, {}):
                compatible_cache[pair] = True
            else:
                compatible_cache[pair] = _compatible(units[first], units[second], settings, paraphrase)
        return compatible_cache[pair]

    assigned = [False] * len(unit_of)
    clusters: list[tuple[int, list[int]]] = []
    for leader in sorted(range(len(unit_of)), key=priority):
        if assigned[leader]:
            continue
        home = unit_of[leader]
        candidates = list(members_of[home])
        neighbour_units = sorted(prepared.neighbours.get(home, {}), key=lambda u: priority(members_of[u][0]))
        for other in neighbour_units:
            candidates.extend(members_of[other])
        objective_texts_inside: set[str] = set()  # texts of the objectives in the cluster
        objectives_inside: set[str] = set()  # objectives of the actions in the cluster
        units_inside: list[int] = []
        members: list[int] = []
        for item in [leader, *(c for c in candidates if c != leader)]:
            if assigned[item]:
                continue
            text = units[unit_of[item]].key
            is_objective = kinds is None or kinds[item] == "objective"
            if (objectives[item] and objectives[item] in objective_texts_inside) or (
                is_objective and text in objectives_inside
            ):
                continue
            if unit_of[item] not in units_inside and not all(compatible(unit_of[item], u) for u in units_inside):
                continue
            assigned[item] = True
            members.append(item)
            if is_objective:
                objective_texts_inside.add(text)
            if unit_of[item] not in units_inside:
                units_inside.append(unit_of[item])
            if objectives[item]:
                objectives_inside.add(objectives[item])
        clusters.append((leader, sorted(members)))
    return clusters


def _objective_key(text: str) -> str:
    return " ".join(_WORD.findall(normalize_for_match(text))) if text else ""


def cluster_texts(
    texts: Sequence[str], settings: DedupSettings | None = None, nlp: spacy.Language | None = None
) -> list[int]:
    """A cluster number per text, numbered 0, 1, … in order of first appearance."""
    settings = settings or DedupSettings()
    prepared = _prepare(texts, settings, nlp)
    paraphrase = nlp is not None and settings.paraphrase
    clusters = _star_clusters(prepared, [""] * len(texts), settings, paraphrase)
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
    prepared = _prepare(texts, settings, nlp)
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
    analyzer = _Analyzer(settings, nlp)
    return _level(analyzer.unit(first), analyzer.unit(second), settings, nlp is not None and settings.paraphrase)


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
    longest wording (first in input order among identical ones). An objective and one of its
    own actions (an action whose `objective` is the objective's text) are never put together.
    """
    settings = settings or DedupSettings()
    prepared = _prepare([item.text for item in contributions], settings, nlp)
    objectives = [_objective_key(item.objective) for item in contributions]
    paraphrase = nlp is not None and settings.paraphrase
    cluster_of: list[str] = [""] * len(contributions)
    canonical = [False] * len(contributions)
    used: set[str] = set()
    kinds = [item.kind for item in contributions]
    for leader, members in _star_clusters(prepared, objectives, settings, paraphrase, kinds):
        key = prepared.units[prepared.unit_of[leader]].key
        cluster_id = cluster_id_for(key)
        if cluster_id in used:  # same wording split apart (an objective and its own action)
            cluster_id = cluster_id_for(key, f"{contributions[leader].kind}|{objectives[leader]}")
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
                members=tuple(ClusterMember(m.idea_id, m.document, m.page, m.kind, m.document) for m in members),
                sessions=tuple(sorted({m.document for m in members})),
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
