"""Axis classification: which axis of a workshop an idea belongs to.

Text is lemmatised with spaCy first (the caller's `nlp`), then a scikit-learn pipeline — TF-IDF
word 1–2-grams and char_wb 2–5-grams → logistic regression — gives one probability per axis.
The training set is the ideas the report itself places in an axis plus, for every axis, its
label, description, keywords and examples from the workshop YAML (pseudo-examples), so a new
workshop with no labelled data at all still gets a model.

Models are saved with skops (never pickle) next to a `card.json`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from atelier.extract.records import Contribution
from atelier.nlp.language import lemmatize
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
CARD_SCHEMA = 1
# Descriptions are enumerations; they are also learnt clause by clause.
DESCRIPTION_SEPARATORS = re.compile(r"[.;:,()]\s|[.;:()]$|\s[–—-]\s")
MIN_CLAUSE_WORDS = 2
# Types that skops does not trust by default but that our pipelines legitimately contain.
# Exact names only: a module-wide prefix ("numpy.") would also admit callables such as
# numpy.load, which a crafted file could invoke while being rebuilt.
ALLOWED_UNTRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
    }
)


class AxisModelError(ValueError):
    """An axis model cannot be trained, loaded or used (message meant for the command-line user)."""


@dataclass(frozen=True)
class ClassifierSettings:
    """Every knob of axis classification, with its default."""

    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (2, 5)
    sublinear_tf: bool = True
    # Inverse regularisation strength of the logistic regression; pseudo-examples are short
    # and few, so the model is only lightly regularised.
    C: float = 10.0
    class_weight: str | None = "balanced"
    max_iter: int = 5000
    # Probabilities are calibrated (sigmoid, cross-validated) only when every axis has at least
    # `min_examples_for_calibration` training texts; below that, calibration folds would be noise.
    calibration_folds: int = 3
    min_examples_for_calibration: int = 40
    # Every axis needs this many training texts (label + description already make 2).
    min_examples_per_axis: int = 2
    batch_size: int = 64
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


@dataclass(frozen=True)
class AxisPrediction:
    axis: str
    confidence: float


@dataclass(frozen=True)
class AxisModel:
    """A fitted pipeline (on lemmatised text) and its card."""

    pipeline: Pipeline
    card: Mapping[str, Any]

    @property
    def classes_(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.pipeline.classes_)

    @property
    def version(self) -> str:
        return str(self.card.get("model_version", ""))


def description_clauses(description: str) -> list[str]:
    """The parts of an enumerating description ("A : B, C et D ; E") that hold a few words each."""
    parts = (part.strip(" ()") for part in DESCRIPTION_SEPARATORS.split(description))
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def pseudo_examples(workshop: Workshop) -> tuple[list[str], list[str]]:
    """For each axis: its label, its description (whole, then clause by clause), every keyword
    and every example, labelled with the axis.

    Clauses give the long description as much weight as the short keywords once the texts are
    TF-IDF-normalised.
    """
    texts: list[str] = []
    labels: list[str] = []
    for axis in workshop.axes:
        clauses = description_clauses(axis.description)
        for text in (axis.label, axis.description, *clauses, *axis.keywords, *axis.examples):
            texts.append(text)
            labels.append(axis.id)
    return texts, labels


def training_set(workshop: Workshop, contributions: Iterable[Contribution]) -> tuple[list[str], list[str]]:
    """Ideas the document places in an axis of this workshop, then the workshop's pseudo-examples.

    A stated axis the workshop does not know (a report with more axes than the configuration)
    is not a label; such contributions are left out.
    """
    known = set(workshop.axis_ids)
    texts: list[str] = []
    labels: list[str] = []
    for contribution in contributions:
        if contribution.stated_axis in known and contribution.text.strip():
            texts.append(contribution.text)
            labels.append(str(contribution.stated_axis))
    extra_texts, extra_labels = pseudo_examples(workshop)
    return texts + extra_texts, labels + extra_labels


def build_pipeline(settings: ClassifierSettings, class_counts: Mapping[str, int]) -> Pipeline:
    """An unfitted pipeline for lemmatised text."""
    features = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(analyzer="word", ngram_range=settings.word_ngram_range, sublinear_tf=settings.sublinear_tf),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=settings.char_ngram_range, sublinear_tf=settings.sublinear_tf
                ),
            ),
        ]
    )
    classifier: Any = LogisticRegression(
        C=settings.C,
        class_weight=settings.class_weight,
        max_iter=settings.max_iter,
        random_state=settings.random_state,
    )
    if min(class_counts.values()) >= settings.min_examples_for_calibration:
        # An int (stratified folds inside sklearn) keeps splitter objects out of the saved model.
        classifier = CalibratedClassifierCV(classifier, method="sigmoid", cv=settings.calibration_folds)
    return Pipeline([("features", features), ("classifier", classifier)])


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


def _fit(lemmas: Sequence[str], labels: Sequence[str], settings: ClassifierSettings) -> Pipeline:
    counts = Counter(labels)
    return build_pipeline(settings, counts).fit(list(lemmas), list(labels))


def training_data_sha256(texts: Sequence[str], labels: Sequence[str]) -> str:
    """Hash of the training pairs, independent of their order."""
    pairs = sorted(zip((str(label) for label in labels), texts, strict=True))
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()


def train_axis_model(
    workshop: Workshop,
    texts: Sequence[str],
    labels: Sequence[str],
    nlp: spacy.Language,
    settings: ClassifierSettings | None = None,
) -> AxisModel:
    """Lemmatise `texts` and fit a model; every axis of the workshop must have examples."""
    import sklearn
    import spacy

    settings = settings or ClassifierSettings()
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    labels = [str(label) for label in labels]
    counts = _check_training_data(workshop, labels, settings)
    pipeline = _fit(lemmatize(nlp, texts, batch_size=settings.batch_size), labels, settings)
    created = datetime.now(UTC)
    digest = training_data_sha256(texts, labels)
    card = {
        "schema": CARD_SCHEMA,
        "model_version": f"{workshop.id}-{created:%Y%m%dT%H%M%SZ}-{digest[:8]}",
        "workshop_id": workshop.id,
        "workshop_title": workshop.title,
        "classes": [str(label) for label in pipeline.classes_],
        "axis_labels": {axis.id: axis.label for axis in workshop.axes},
        "training_data_sha256": digest,
        "n_examples": len(labels),
        "n_examples_per_class": {axis_id: counts[axis_id] for axis_id in workshop.axis_ids},
        "calibrated": isinstance(pipeline.named_steps["classifier"], CalibratedClassifierCV),
        "created_at": created.isoformat(timespec="seconds"),
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "spacy_model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
        "settings": _settings_dict(settings),
    }
    return AxisModel(pipeline=pipeline, card=card)


def _settings_dict(settings: ClassifierSettings) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in dataclasses.asdict(settings).items()}


def _predict_lemmas(pipeline: Pipeline, lemmas: Sequence[str]) -> list[AxisPrediction]:
    if not lemmas:
        return []
    probabilities = pipeline.predict_proba(list(lemmas))
    best = np.argmax(probabilities, axis=1)
    classes = pipeline.classes_
    return [
        AxisPrediction(axis=str(classes[index]), confidence=float(row[index]))
        for index, row in zip(best, probabilities, strict=True)
    ]


def predict_axes(
    model: AxisModel, texts: Sequence[str], nlp: spacy.Language, *, batch_size: int | None = None
) -> list[AxisPrediction]:
    """The most probable axis of each text and its probability."""
    batch = batch_size or int(model.card.get("settings", {}).get("batch_size", ClassifierSettings.batch_size))
    return _predict_lemmas(model.pipeline, lemmatize(nlp, texts, batch_size=batch))


def classify_contributions(
    contributions: Sequence[Contribution], workshop: Workshop, model: AxisModel, nlp: spacy.Language
) -> list[Contribution]:
    """Copies with `axis*` filled in, same order.

    The report's own placement wins (`document`, confidence 1); other ideas get the model's
    axis (`model`), or no axis when the confidence is below the workshop's `abstain_threshold`.
    """
    unknown = sorted(set(model.classes_) - set(workshop.axis_ids))
    if unknown:
        raise AxisModelError(
            f"Le modèle {model.version or ''} ne correspond pas à l'atelier « {workshop.id} » "
            f"(axes inconnus : {', '.join(unknown)}). Réentraînez-le avec « atelier train »."
        )
    known = set(workshop.axis_ids)
    to_predict = [index for index, item in enumerate(contributions) if item.stated_axis not in known]
    predictions = dict(zip(to_predict, predict_axes(model, [contributions[i].text for i in to_predict], nlp), strict=True))
    result: list[Contribution] = []
    for index, item in enumerate(contributions):
        if index not in predictions:
            axis_id = str(item.stated_axis)
            result.append(
                dataclasses.replace(
                    item, axis=axis_id, axis_label=workshop.axis_label(axis_id), axis_source="document", axis_confidence=1.0
                )
            )
            continue
        prediction = predictions[index]
        decided = prediction.confidence >= workshop.abstain_threshold
        result.append(
            dataclasses.replace(
                item,
                axis=prediction.axis if decided else None,
                axis_label=workshop.axis_label(prediction.axis) if decided else "",
                axis_source="model",
                axis_confidence=prediction.confidence,
            )
        )
    return result


def save_axis_model(model: AxisModel, directory: str | Path) -> Path:
    """Write `model.skops` and `card.json` into `directory` (created if needed); returns the directory."""
    import skops.io

    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    skops.io.dump(model.pipeline, target / MODEL_FILE)
    (target / CARD_FILE).write_text(json.dumps(dict(model.card), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


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
    if not isinstance(pipeline, Pipeline) or not hasattr(pipeline, "classes_"):
        raise AxisModelError(f"{model_path} ne contient pas un classifieur d'axes entraîné.")
    if card.get("classes") is not None and [str(c) for c in pipeline.classes_] != list(map(str, card["classes"])):
        raise AxisModelError(f"{model_path} ne correspond pas à sa fiche {card_path} (axes différents).")
    return AxisModel(pipeline=pipeline, card=card)


def cross_validate(
    workshop: Workshop,
    texts: Sequence[str],
    labels: Sequence[str],
    nlp: spacy.Language,
    settings: ClassifierSettings | None = None,
    folds: int = 5,
) -> dict[str, Any]:
    """Stratified k-fold evaluation on labelled ideas.

    The workshop's pseudo-examples are added to the training side of every fold, as in
    production, and never evaluated (pairs equal to a pseudo-example are dropped from the
    evaluation set, so the output of `training_set` can be passed as is). The number of folds
    is lowered to the size of the smallest axis if needed.
    """
    settings = settings or ClassifierSettings()
    pseudo_texts, pseudo_labels = pseudo_examples(workshop)
    pseudo_pairs = set(zip(pseudo_labels, pseudo_texts, strict=True))
    pairs = [(str(label), text) for text, label in zip(texts, labels, strict=True) if (str(label), text) not in pseudo_pairs]
    _check_training_data(workshop, [label for label, _ in pairs] + pseudo_labels, settings)
    counts = Counter(label for label, _ in pairs)
    n_splits = min(folds, min(counts.values(), default=0))
    if n_splits < 2:
        raise AxisModelError(
            "Pas assez d'idées étiquetées pour une validation croisée : il en faut au moins 2 par axe représenté."
        )
    y = np.array([label for label, _ in pairs])
    lemmas = np.array(lemmatize(nlp, [text for _, text in pairs], batch_size=settings.batch_size), dtype=object)
    pseudo_lemmas = lemmatize(nlp, pseudo_texts, batch_size=settings.batch_size)
    predicted = np.empty(len(y), dtype=object)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=settings.random_state)
    for train_index, test_index in splitter.split(lemmas, y):
        pipeline = _fit([*lemmas[train_index], *pseudo_lemmas], [*y[train_index], *pseudo_labels], settings)
        predicted[test_index] = [p.axis for p in _predict_lemmas(pipeline, list(lemmas[test_index]))]
    evaluated = [axis_id for axis_id in workshop.axis_ids if counts[axis_id] > 0]
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted.astype(str), labels=evaluated, zero_division=0
    )
    return {
        "workshop_id": workshop.id,
        "folds": n_splits,
        "n_examples": int(len(y)),
        "accuracy": float(accuracy_score(y, predicted.astype(str))),
        "macro_f1": float(np.mean(f1)),
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
            "labels": evaluated,
            "matrix": confusion_matrix(y, predicted.astype(str), labels=evaluated).tolist(),
        },
    }
