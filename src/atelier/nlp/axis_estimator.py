"""The classifier of axis classification: `CalibratedLinearClassifier`, a logistic regression
whose probabilities are calibrated by temperature scaling on held-out scores (the second step
of the pipeline, after `axis_features.IdeaFeatures`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression


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
