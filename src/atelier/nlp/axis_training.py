"""Fitting an axis model: `train_axis_model`, from labelled pairs (`axis_data.training_set`)
to an `AxisModel` with its card.

The training texts are analysed once, deduplicated, and weighted by source (labelled ideas,
the workshop's pseudo-examples). The unlabelled ideas of the batch are then used too
(self-training): the model labels them, the most confident part per axis joins the training
set with a lower weight, twice. The probabilities are finally calibrated by temperature
scaling on cross-validated scores (folds grouped by near-duplicate text), or given a prior
temperature when no labelled idea is available.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from atelier.nlp.axis_data import (
    near_duplicate_groups,
    pseudo_examples,
    training_data_sha256,
    with_theme_context,
)
from atelier.nlp.axis_estimator import CalibratedLinearClassifier
from atelier.nlp.axis_features import AxisTerms, IdeaFeatures, axis_terms
from atelier.nlp.axis_model import CARD_SCHEMA, AxisModel, AxisModelError
from atelier.nlp.axis_settings import ClassifierSettings
from atelier.nlp.language import Analysis, analyse, normalize_for_match
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

# Where a training text comes from (sample weights and card counts).
SOURCE_LABELLED = "labelled"
SOURCE_WORKSHOP = "workshop"
SOURCE_SELF = "self-training"


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


def unfitted_pipeline(workshop: Workshop, terms: AxisTerms, settings: ClassifierSettings) -> Pipeline:
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
        lexicon_length_cap=settings.lexicon_length_cap,
    )
    classifier = CalibratedLinearClassifier(C=settings.C, class_weight=settings.class_weight, max_iter=settings.max_iter)
    return Pipeline([("features", features), ("classifier", classifier)])


def fit_pipeline(template: Pipeline, analysis: Analysis, labels: np.ndarray, weights: np.ndarray) -> Pipeline:
    pipeline = clone(template)
    pipeline.fit(analysis, labels, classifier__sample_weight=weights)
    return pipeline


def self_train(
    template: Pipeline,
    data: _TrainingData,
    pool: Analysis | None,
    settings: ClassifierSettings,
    pool_groups: Sequence[Hashable | None] | None = None,
    context_weight: float = 0.0,
    *,
    out_of_scope: str | None = None,
    out_of_scope_min: float = 0.5,
) -> tuple[Pipeline, _TrainingData]:
    """Fit on `data`; then, round after round, add the most confident ideas of `pool` (by
    predicted axis, a growing share by decreasing margin) with their predicted axis. With
    `pool_groups`, the pool is predicted as it will be placed: each idea with its theme's
    other ideas (`with_theme_context`). An idea whose best axis leads chance (1 / number of
    axes) by less than `self_training_min_lead` is never added: the model then predicting it
    would have learnt its own guess (a name, a phone number), and would no longer flag it for
    review; nor is one the model fitted on `data` knows nothing of (`_known_to`); nor is a pool
    of fewer than `self_training_min_pool_per_axis` ideas per axis, each of whose ideas would
    weigh on its own placing. An idea is learnt outside every axis (the workshop's
    `out_of_scope` class) only at `out_of_scope_min` at least: from a weak lead, « Plus de pistes
    cyclables rue de la République » (0.32) and the ideas of a board of free remarks taught axis
    words as off-topic, and placed ideas outside every axis with confidence (QA)."""
    pipeline = fit_pipeline(template, data.analysis, data.labels, data.weights)
    smallest_pool = settings.self_training_min_pool_per_axis * len(pipeline.classes_)
    if pool is None or not len(pool) or len(pool) < smallest_pool or settings.self_training_rounds == 0:
        return pipeline, data
    combined = data
    features: IdeaFeatures = pipeline.named_steps["features"]
    pool_matrix = features.transform(pool)  # (read once for both: the features of long answers are slow)
    known = _known_to(features, pool_matrix, pool, settings.self_training_min_term_match)
    outside = list(pipeline.classes_).index(out_of_scope) if out_of_scope in pipeline.classes_ else None
    for round_number in range(1, settings.self_training_rounds + 1):
        if pool_matrix is not None:
            probabilities = pipeline.named_steps["classifier"].predict_proba(pool_matrix)
            pool_matrix = None  # (the next rounds' features are fitted anew)
        else:
            probabilities = pipeline.predict_proba(pool)
        if pool_groups is not None:
            probabilities = with_theme_context(probabilities, pool_groups, context_weight)
        order = np.argsort(-probabilities, axis=1)
        best = probabilities[np.arange(len(pool)), order[:, 0]]
        second = probabilities[np.arange(len(pool)), order[:, 1]] if probabilities.shape[1] > 1 else 0.0
        margin = best - second
        sure = (best >= 1.0 / probabilities.shape[1] + settings.self_training_min_lead) & known
        if outside is not None:
            sure &= (order[:, 0] != outside) | (best >= out_of_scope_min)
        share = settings.self_training_fraction * round_number / settings.self_training_rounds
        chosen: list[int] = []
        chosen_labels: list[int] = []
        if settings.self_training_balance == "balanced":
            # As many ideas per axis: those the model ranks highest for that axis (and predicts
            # as it), so that the majority axis of the labelled data does not snowball.
            per_class = max(1, int(math.ceil(share * len(pool) / probabilities.shape[1])))
            for class_index in range(probabilities.shape[1]):
                members = np.flatnonzero((order[:, 0] == class_index) & sure)
                ranked = members[np.argsort(-probabilities[members, class_index], kind="stable")][:per_class]
                chosen.extend(ranked.tolist())
                chosen_labels.extend([class_index] * len(ranked))
        else:
            for class_index in range(probabilities.shape[1]):
                members = np.flatnonzero((order[:, 0] == class_index) & sure)
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
        pipeline = fit_pipeline(template, combined.analysis, combined.labels, combined.weights)
    return pipeline, combined


def _known_to(features: IdeaFeatures, matrix: Any, pool: Analysis, min_term_match: float) -> np.ndarray:
    """(n,): whether fitted `features` know something of each idea of `pool` (`matrix`, its
    features): one of its lemmas among their word n-grams, or a word at least `min_term_match`
    close to an axis term."""
    words = matrix[:, : int(features.offsets_[1])].tocsr()
    return (np.diff(words.indptr) > 0) | (features.strongest_term_match(pool) >= min_term_match)


def calibrate_pipeline(template: Pipeline, pipeline: Pipeline, combined: _TrainingData, settings: ClassifierSettings) -> dict[str, Any]:
    """Temperature from cross-validated scores of the labelled ideas, folds grouped by
    near-duplicate text; a prior when an axis has too few of them (`calibration_min_per_axis`)."""
    labelled = np.flatnonzero(combined.sources == SOURCE_LABELLED)
    per_axis = Counter(combined.labels[labelled].tolist())
    if len(per_axis) >= 2 and min(per_axis.values()) >= settings.calibration_min_per_axis:
        held = labelled
    else:
        # Without labelled ideas nothing held out resembles real ideas (the YAML repeats itself:
        # keywords are words of the description), so the temperature is a prior, set where the
        # calibration error was lowest with Atelier 6's YAML alone predicting its actions. A few
        # labelled ideas per axis are too few folds of too small models to say more.
        pipeline.named_steps["classifier"].temperature_ = settings.cold_start_temperature
        reason = (
            "aucune idée étiquetée" if not len(labelled)
            else f"moins de {settings.calibration_min_per_axis} idées étiquetées dans un axe"
        )
        return {
            "method": "prior",
            "temperature": settings.cold_start_temperature,
            "reason": f"{reason} : température a priori",
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
        fold_model = fit_pipeline(template, combined.analysis.subset(keep), combined.labels[keep], combined.weights[keep])
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


def pool_draw(size: int, settings: ClassifierSettings) -> list[int]:
    """The positions of the unlabelled ideas self-training reads, in order: all of them, or for
    a batch of more than `self_training_max_pool`, that many drawn with `random_state`."""
    if size <= settings.self_training_max_pool:
        return list(range(size))
    drawn = np.random.default_rng(settings.random_state).choice(size, settings.self_training_max_pool, replace=False)
    return sorted(drawn.tolist())


def prepare_training_data(
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


def check_training_data(workshop: Workshop, labels: Sequence[str], settings: ClassifierSettings) -> Counter[str]:
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
    unlabelled_groups: Sequence[Hashable | None] | None = None,
) -> AxisModel:
    """Fit a model on labelled pairs (usually `training_set`'s) and, by self-training, on the
    `unlabelled` ideas of the batch; every axis of the workshop must have examples.
    `unlabelled_groups` (one per unlabelled idea, as `unlabelled_theme_groups` gives) lets
    self-training read each idea with its theme's other ideas, as placing them does."""
    import sklearn
    import spacy

    started = time.perf_counter()
    settings = settings or ClassifierSettings()
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    labels = [str(label) for label in labels]
    counts = check_training_data(workshop, labels, settings)
    data = prepare_training_data(workshop, texts, labels, nlp, settings)
    terms = axis_terms(workshop, nlp, settings)
    template = unfitted_pipeline(workshop, terms, settings)
    labelled_keys = {" ".join(normalize_for_match(t).split()) for t in data.texts}
    if unlabelled_groups is not None and len(unlabelled_groups) != len(unlabelled):
        raise ValueError(f"{len(unlabelled)} unlabelled ideas but {len(unlabelled_groups)} groups")
    groups_of: dict[str, Hashable | None] = {}  # pool text -> group of its first occurrence
    for position, text in enumerate(unlabelled):
        if text.strip() and " ".join(normalize_for_match(text).split()) not in labelled_keys:
            groups_of.setdefault(text, unlabelled_groups[position] if unlabelled_groups is not None else None)
    pool_texts, pool_groups = list(groups_of), list(groups_of.values())
    drawn = pool_draw(len(pool_texts), settings)
    pool_texts, pool_groups = [pool_texts[i] for i in drawn], [pool_groups[i] for i in drawn]
    pool = analyse(nlp, pool_texts, mode=settings.lemma_mode, batch_size=settings.batch_size) if pool_texts else None
    pipeline, combined = self_train(
        template,
        data,
        pool,
        settings,
        pool_groups=pool_groups if unlabelled_groups is not None else None,
        context_weight=workshop.settings.theme_context_weight,
        out_of_scope=workshop.out_of_scope_axis,
        out_of_scope_min=workshop.settings.abstain_threshold,
    )
    calibration = calibrate_pipeline(template, pipeline, combined, settings)
    created = datetime.now(UTC)
    digest = training_data_sha256(texts, labels)
    card = {
        "schema": CARD_SCHEMA,
        "model_version": f"{workshop.id}-{created:%Y%m%dT%H%M%SZ}-{digest[:8]}",
        "workshop_id": workshop.id,
        "workshop_title": workshop.title,
        "classes": [str(label) for label in pipeline.classes_],
        "axis_labels": {axis.id: axis.label for axis in workshop.axes},
        "workshop_axes_sha256": workshop.axes_sha256,
        "out_of_scope_axis": workshop.out_of_scope_axis,
        "training_data_sha256": digest,
        "n_examples": len(labels),
        "n_examples_per_class": {axis_id: counts[axis_id] for axis_id in workshop.axis_ids},
        "n_training_texts": {
            "labelled": int((data.sources == SOURCE_LABELLED).sum()),
            "workshop": int((data.sources == SOURCE_WORKSHOP).sum()),
            "self_training": int((combined.sources == SOURCE_SELF).sum()),
            "unlabelled_pool": len(groups_of),
            "self_training_pool": len(pool_texts),
        },
        # Weight of the theme context in self-training (None: the pool read idea by idea).
        "self_training_theme_context_weight": (
            workshop.settings.theme_context_weight if unlabelled_groups is not None else None
        ),
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
