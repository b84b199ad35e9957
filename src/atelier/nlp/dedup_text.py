"""Text analysis for deduplication: a `TextAnalyzer` turns each distinct folded wording into a
`TextUnit`, its content words with their weights and what the comparisons need of it.

Texts are normalised before they are compared: abbreviations are contracted ("développement
durable" and "DD" both become "dd"), amounts of euros become one word ("10M€"/"10 millions
d'euros"), prefixed words are joined ("éco-rénovation"), and words are reduced by a light French
stemmer (applied to the lemma when a spaCy `nlp` is given: its lemma table, looked up word by
word without running the pipeline). `is_typo` and `is_derived` say when two words are one up to
a typo or a derivation.

Content words weigh 1, generic ones ("développer", "favoriser", "mise en place", …) weigh
`weak_word_weight`, framing words ("proposition", "il faut", "c'est une priorité") nothing; the
weights do not depend on the corpus, so a pair's verdict never changes when documents are added.
A parenthesised aside ("(diagnostic social annuel obligatoire)") counts only where the other text
says the same outside an aside; numbers inside asides ("session 2") are not the idea's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.language import normalize_for_match

if TYPE_CHECKING:
    import spacy

WORD_PATTERN = re.compile(r"[^\W_]+")
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
# Verb/noun pairs whose stems the light stemmer cannot bring together.
_IRREGULAR_STEMS = {
    "mise": "mett", "mis": "mett", "mettre": "mett", "mettent": "mett",
    "soutien": "souten", "soutenir": "souten", "coordination": "coordonn", "coordonner": "coordonn",
    "promotion": "promouv", "promouvoir": "promouv", "deploiement": "deploy", "deployer": "deploy",
    "construction": "construir", "construire": "construir", "lutte": "lutt", "lutter": "lutt",
}  # fmt: skip


@dataclass
class TextUnit:
    """One distinct folded wording and what the comparisons need of it. A parenthesised aside
    counts only where the other text says it outside an aside (see `dedup_pairs`)."""

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
    # abbreviation stem -> the content stems it spells out, for the abbreviations of the text
    spelled: dict[str, frozenset[str]] = field(default_factory=dict)


class TextAnalyzer:
    """Turns texts into `TextUnit`s; caches per word (folding, stems, lemmas, vectors)."""

    def __init__(self, settings: DedupSettings, nlp: spacy.Language | None) -> None:
        self.settings = settings
        self.nlp = nlp
        # Abbreviations are contracted: "développement durable" and "DD" both become "dd".
        self.contractions: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self.abbreviations: set[str] = set()
        for abbreviation, full in settings.abbreviations:
            short = normalize_for_match(abbreviation)
            self.abbreviations.add(short)
            words = tuple(_stem(normalize_for_match(word)) for word in WORD_PATTERN.findall(full.casefold()))
            if words:
                self.contractions[words[0]].append((words, short))
        for options in self.contractions.values():
            options.sort(key=lambda option: -len(option[0]))
        self.lemmas = _lemma_lookup(nlp) if nlp is not None else None
        self.weak = frozenset(_stem(word) for word in WEAK_WORDS)
        self._word_cache: dict[str, tuple[str, str, str | None, str, tuple[str, ...], bool, bool, bool]] = {}
        self._stem_cache: dict[str, str] = {}
        self._vector_cache: dict[str, np.ndarray | None] = {}
        # The content stems each abbreviation spells out, proper names aside ("RSE": responsabilité,
        # sociétale, entreprises; "CUGT": communauté, urbaine).
        spelled: dict[str, set[str]] = defaultdict(set)
        for abbreviation, full in settings.abbreviations:
            for raw in WORD_PATTERN.findall(full):
                stem = self.word(raw)[2]
                if stem is not None and raw[0].islower():
                    spelled[normalize_for_match(abbreviation)].add(stem)
        self.spelled: dict[str, frozenset[str]] = {short: frozenset(stems) for short, stems in spelled.items()}

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
        return " ".join([self.word(raw)[1] for raw in WORD_PATTERN.findall(text)])

    def unit(self, text: str, key: str | None = None) -> TextUnit:
        key = self.key(text) if key is None else key
        surface = text
        if _DIGIT.search(surface):
            surface = _MONEY.sub(_money, _THOUSANDS.sub("", surface))
        if "-" in surface:
            surface = _PREFIX_HYPHEN.sub(r"\1", surface)
        # (word as written, looks like a name, inside an aside)
        words: list[tuple[str, bool, bool]]
        if "(" not in surface and not _INNER_CAPITAL.search(surface, 1):
            words = [(raw, False, False) for raw in WORD_PATTERN.findall(surface)]
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
        unit = TextUnit(
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
        if self.spelled:
            unit.spelled = {stem: self.spelled[surfaces[stem]] for stem in names if surfaces[stem] in self.spelled}
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
        for match in WORD_PATTERN.finditer(surface):
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


def is_typo(first: str, second: str) -> bool:
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


def is_derived(first: str, second: str) -> bool:
    """Stems of one word family sharing their first 7 letters ("participation"/"participatif")."""
    return min(len(first), len(second)) >= 7 and first[:7] == second[:7] and first.isalpha() and second.isalpha()
