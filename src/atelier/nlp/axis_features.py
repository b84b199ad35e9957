"""Features of axis classification: an idea's `language.Analysis` as one sparse row.

Each idea is read once by `language.analyse` (spaCy: lemmas of the content words and their
`fr_core_news_md` word vectors). `IdeaFeatures`, the first step of the scikit-learn
`Pipeline`, turns that analysis into TF-IDF of lemma 1–2-grams and of character 2–5-grams
(inflections, compounds, typos), the mean word vector of the idea, its cosine to each axis's
prototype (the vector of the axis's label, keywords and description), and a *soft keyword
match*: every word of the idea is compared through the word vectors with the terms of each
axis (`AxisTerms`), so "pauvreté" counts for an axis whose keyword is "précarité" (synonym
expansion against the words ideas actually use: the nearest neighbours of the pruned vector
table are noise).

Every feature block is linear in the words, so `IdeaFeatures.lemma_contributions` gives each
lemma its exact share of a linear score (the evidence of a prediction).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from atelier.nlp.axis_settings import ClassifierSettings
from atelier.nlp.language import Analysis, analyse
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

# Words compared with the axis terms together (a block's similarities take a few tens of MB).
TOKEN_BLOCK = 16_384


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
    for (axis_index, weight, _), tokens, rows in zip(sources, analysis.tokens, analysis.token_rows, strict=True):
        for lemma, row in zip(tokens, rows.tolist(), strict=True):
            key = (axis_index, lemma)
            best[key] = max(best.get(key, 0.0), weight)
            vector_of.setdefault(lemma, analysis.table[row])
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


# ---------------------------------------------------------------- the features


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
        lexicon_length_cap: int | None = None,
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
        self.lexicon_length_cap = lexicon_length_cap

    def fit(self, X: Analysis, y: Any = None) -> IdeaFeatures:
        self._fit_vectorizers(X)
        return self

    def fit_transform(self, X: Analysis, y: Any = None, **fit_params: Any) -> sparse.csr_matrix:
        """`fit(X).transform(X)`, reading the texts' n-grams once instead of twice."""
        word, char = self._fit_vectorizers(X)
        return self._stack(word, char, X)

    def _fit_vectorizers(self, X: Analysis) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Fit every learnt attribute; the n-gram TF-IDF of X as fitted."""
        # Lemmas are already split by spaCy: one lemma, one token (keeps "a21", "éco-rénovation").
        self.word_ = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", ngram_range=tuple(self.word_ngram_range), sublinear_tf=self.sublinear_tf
        )
        self.char_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.char_ngram_range), sublinear_tf=self.sublinear_tf
        )
        word = self.word_.fit_transform(list(X.lemmas))
        char = self.char_.fit_transform(list(X.lemmas))
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
        return word, char

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
        masks = [(index, axes == index) for index in range(self.n_axes)]
        for start in range(0, len(token_vectors), TOKEN_BLOCK):  # (tokens × terms) a block at a time
            similarity = token_vectors[start : start + TOKEN_BLOCK] @ vectors.T
            strength = np.clip((similarity - self.lexicon_floor) / (1.0 - self.lexicon_floor), 0.0, None) * weights
            for index, mask in masks:
                if mask.any():
                    result[start : start + TOKEN_BLOCK, index] = strength[:, mask].max(axis=1)
        return result

    def strongest_term_match(self, X: Analysis) -> np.ndarray:
        """(n,): how strongly the word of each idea closest to an axis term matches it (0 = none
        above `lexicon_floor`, or no word with a vector)."""
        strongest = np.zeros(len(X), dtype=np.float32)
        lengths = X.token_lengths()
        if self.n_axes and lengths.sum():
            distinct, position = X.distinct_token_vectors()
            per_token = self.token_matches(distinct).max(axis=1)[position]
            ends = np.cumsum(lengths)
            has = lengths > 0
            strongest[has] = np.maximum.reduceat(per_token, (ends - lengths)[has])
        return strongest

    def _lexicon_divisors(self, lengths: np.ndarray) -> np.ndarray:
        """What the keyword matches of each text are divided by: √words, so that a post-it of a
        few words and an action of twenty weigh alike; past `lexicon_length_cap` words, words /
        √cap, so that the block stops growing (a long answer reached confidence 1.0 whatever it
        mixed). (A model saved before the cap existed has none.)"""
        lengths = np.maximum(lengths, 1).astype(np.float64)
        cap = getattr(self, "lexicon_length_cap", None)
        if not cap:
            return np.sqrt(lengths)
        return np.maximum(np.sqrt(lengths), lengths / np.sqrt(cap))

    def _dense(self, X: Analysis) -> np.ndarray:
        n, k = len(X), self.n_axes
        vectors = np.asarray(X.vectors, dtype=np.float32)
        cosines = vectors @ self.prototypes_.T if k else np.zeros((n, 0), np.float32)
        cosines = cosines - cosines.mean(axis=1, keepdims=True) if k else cosines
        lexicon = np.zeros((n, k), dtype=np.float32)
        lengths = X.token_lengths()
        if k and lengths.sum():
            distinct, position = X.distinct_token_vectors()
            lexicon[lengths > 0] = _segment_sums(self.token_matches(distinct)[position], lengths)
            lexicon /= self._lexicon_divisors(lengths)[:, None]
            lexicon -= lexicon.mean(axis=1, keepdims=True)
        return np.hstack(
            [self.vector_weight * vectors, self.prototype_weight * cosines, self.lexicon_weight * lexicon]
        ).astype(np.float64)

    def transform(self, X: Analysis) -> sparse.csr_matrix:
        return self._stack(self.word_.transform(list(X.lemmas)), self.char_.transform(list(X.lemmas)), X)

    def _stack(self, word: sparse.csr_matrix, char: sparse.csr_matrix, X: Analysis) -> sparse.csr_matrix:
        return sparse.hstack([word, char, sparse.csr_matrix(self._dense(X))], format="csr")

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

        # Dense blocks, word by word (each product taken once per distinct word, then looked up).
        lengths = X.token_lengths()
        if lengths.sum():
            distinct, position = X.distinct_token_vectors()
            token_owner = np.repeat(np.arange(n), lengths)
            token_class = chosen[token_owner]
            vector_direction = self.vector_weight * class_directions[:, start_dense : start_dense + dim]
            proto_weights = class_directions[:, start_dense + dim : start_dense + dim + k]
            proto_direction = self.prototype_weight * (
                (proto_weights - proto_weights.mean(axis=1, keepdims=True)) @ self.prototypes_
            )
            projections = distinct @ (vector_direction + proto_direction).T  # (distinct words, classes)
            counts = sparse.csr_matrix(
                (np.ones(len(position)), position, np.concatenate([[0], np.cumsum(lengths)])),
                shape=(n, len(distinct)),
            )
            raw_means = np.asarray(counts @ distinct) / np.maximum(lengths, 1)[:, None]
            norms = np.linalg.norm(raw_means, axis=1)
            norms[norms == 0] = 1.0
            values = projections[position, token_class] / (lengths[token_owner] * norms[token_owner])
            lexicon_weights = class_directions[:, start_dense + dim + k : start_dense + dim + 2 * k]
            lexicon_weights = lexicon_weights - lexicon_weights.mean(axis=1, keepdims=True)
            strengths = self.token_matches(distinct) @ lexicon_weights.T  # (distinct words, classes)
            divisors = self._lexicon_divisors(lengths)
            values = values + self.lexicon_weight * strengths[position, token_class] / divisors[token_owner]
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
