"""A fitted axis model: `AxisModel` (the pipeline and its card), as bytes with skops (never
pickle) and its card as JSON, read back only if every type it holds is on an explicit allow-list
and its card is of this version's schema. The files are `flows.modeling`'s."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sklearn.pipeline import Pipeline

from atelier.nlp.axis_features import IdeaFeatures
from atelier.nlp.axis_settings import ClassifierSettings

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


def axis_model_bytes(model: AxisModel) -> bytes:
    """The model's pipeline as skops bytes (never pickle): what `flows.modeling` writes as `model.skops`."""
    import skops.io

    return skops.io.dumps(model.pipeline)


def card_text(card: Mapping[str, Any]) -> str:
    """A model card as the JSON text of `card.json`."""
    return json.dumps(dict(card), ensure_ascii=False, indent=2) + "\n"


def axis_model_from_bytes(model_data: bytes, card_json: str, *, model_name: str, card_name: str) -> AxisModel:
    """The model of `axis_model_bytes`, refusing any type outside the allow-list, a card of another
    schema and a pipeline that is not an axis classifier. The names say where the bytes come from,
    in the messages."""
    import skops.io

    try:
        card = json.loads(card_json)
    except json.JSONDecodeError as error:
        raise AxisModelError(f"Fiche du modèle illisible : {card_name} ({error}).") from error
    if not isinstance(card, dict) or not _card_fields_valid(card):
        raise AxisModelError(f"Fiche du modèle illisible : {card_name}.")
    # Before the allow-list: a model of an older layout names types this version does not have.
    if int(card.get("schema", 0)) != CARD_SCHEMA:
        raise _not_this_version(model_name)
    try:
        untrusted = skops.io.get_untrusted_types(data=model_data)
    except Exception as error:  # skops raises zipfile, json or key errors on foreign files
        raise AxisModelError(
            f"Fichier de modèle corrompu ou d'un autre format (pickle ?) : {model_name}. Réentraînez le modèle."
        ) from error
    refused = sorted(set(untrusted) - ALLOWED_UNTRUSTED_TYPES)
    if refused:
        raise AxisModelError(f"Modèle refusé : {model_name} contient des types non autorisés ({', '.join(refused)}).")
    if "model_sha256" in card and card["model_sha256"] != model_sha256(model_data):
        raise AxisModelError(
            f"{model_name} n'est pas le modèle que décrit sa fiche {card_name} (fichier remplacé ?). "
            "Réentraînez-le avec « atelier train »."
        )
    try:
        pipeline = skops.io.loads(model_data, trusted=list(untrusted))
    except Exception as error:
        raise AxisModelError(f"Fichier de modèle corrompu : {model_name} ({type(error).__name__}).") from error
    if (
        not isinstance(pipeline, Pipeline)
        or not hasattr(pipeline, "classes_")
        or not isinstance(pipeline.steps[0][1], IdeaFeatures)
    ):
        raise _not_this_version(model_name)
    if card.get("classes") is not None and [str(c) for c in pipeline.classes_] != list(map(str, card["classes"])):
        raise AxisModelError(f"{model_name} ne correspond pas à sa fiche {card_name} (axes différents).")
    return AxisModel(pipeline=pipeline, card=card)


def model_sha256(model_data: bytes) -> str:
    """The digest of a model's bytes that its card keeps (`model_sha256`): a model file swapped
    for another's is refused, not used under the card of the first."""
    return hashlib.sha256(model_data).hexdigest()


def _card_fields_valid(card: Mapping[str, Any]) -> bool:
    """Whether the fields a card is read for have their types (a card edited by hand made every
    command fail with a traceback)."""
    from atelier.nlp.language import LEMMA_MODES

    schema, classes, mode = card.get("schema", 0), card.get("classes"), card.get("lemma_mode", LEMMA_MODES[0])
    return (
        isinstance(schema, int | str)
        and str(schema).strip().isdigit()
        and (classes is None or (isinstance(classes, list) and all(isinstance(c, str | int) for c in classes)))
        and mode in LEMMA_MODES
        and isinstance(card.get("model_sha256", ""), str)
        and isinstance(card.get("model_version", ""), str | int)
    )


def _not_this_version(model_name: str) -> AxisModelError:
    return AxisModelError(
        f"{model_name} ne contient pas un classifieur d'axes de cette version d'atelier. "
        "Réentraînez-le avec « atelier train »."
    )
