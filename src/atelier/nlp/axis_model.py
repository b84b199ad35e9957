"""A fitted axis model and its files: `AxisModel` (the pipeline and its card), saved with
skops (never pickle) as `model.skops` next to a `card.json`, and loaded only if every type it
holds is on an explicit allow-list and its card is of this version's schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.pipeline import Pipeline

from atelier.nlp.axis_features import IdeaFeatures
from atelier.nlp.axis_settings import ClassifierSettings

MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
# 3: the estimators moved from `atelier.nlp.classify` to `axis_features` and `axis_estimator`.
CARD_SCHEMA = 3
# Types that skops does not trust by default but that our pipelines legitimately contain.
# Exact names only: a module-wide prefix ("numpy.") would also admit callables such as
# numpy.load, which a crafted file could invoke while being rebuilt.
ALLOWED_UNTRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "atelier.nlp.axis_features.IdeaFeatures",
        "atelier.nlp.axis_estimator.CalibratedLinearClassifier",
    }
)


class AxisModelError(ValueError):
    """An axis model cannot be trained, loaded or used (message meant for the command-line user)."""


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
    # Before the allow-list: a model of an older layout names types this version does not have.
    if int(card.get("schema", 0)) != CARD_SCHEMA:
        raise _not_this_version(model_path)
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
    ):
        raise _not_this_version(model_path)
    if card.get("classes") is not None and [str(c) for c in pipeline.classes_] != list(map(str, card["classes"])):
        raise AxisModelError(f"{model_path} ne correspond pas à sa fiche {card_path} (axes différents).")
    return AxisModel(pipeline=pipeline, card=card)


def _not_this_version(model_path: Path) -> AxisModelError:
    return AxisModelError(
        f"{model_path} ne contient pas un classifieur d'axes de cette version d'atelier. "
        "Réentraînez-le avec « atelier train »."
    )
