"""Which axis model a command uses: the one saved in `models/<workshop id>/`, or one trained now;
and the files of a saved model (`model.skops` and its `card.json`, each written atomically).

Plain functions calling the axis classifier (`atelier.nlp.axis_training`, `axis_model`); the flow
wraps them in tasks and the command line calls them directly.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import threading
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from atelier.extract.records import DOCUMENT_SOURCE, REVIEW_SOURCE, Contribution
from atelier.extract.system import os_error_reason
from atelier.flows.outputs import atomic_path
from atelier.flows.tables import TableError, decoded_text, sniff_delimiter
from atelier.nlp.axis_data import training_set, unlabelled_texts, unlabelled_theme_groups
from atelier.nlp.axis_model import (
    AxisModel,
    AxisModelError,
    axis_model_bytes,
    axis_model_from_bytes,
    card_text,
    model_sha256,
)
from atelier.nlp.axis_training import train_axis_model
from atelier.nlp.language import load_french
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

# Relative to the current directory, like `data/raw` and `data/processed`.
DEFAULT_MODELS_DIR = Path("models")
MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
DECISIONS_FILE = "decisions.csv"
DECISIONS_COLUMNS = ("text", "axis", "axis_label", "axis_source", "decided_at", "theme")
# The columns of the files written before `axis_source` and `decided_at` (all their rows are
# analysts' decisions, made when the file was written).
FIRST_DECISIONS_COLUMNS = DECISIONS_COLUMNS[:3]
# A saved model larger than this is refused before it is read (ours weigh a few MB).
MAX_MODEL_BYTES = 512 * 1024 * 1024

ModelOrigin = Literal["saved", "trained"]


class StoredDecision(NamedTuple):
    """One row of `decisions.csv`: an idea's text, under its theme, placed in an axis, by an analyst
    (`axis_source` review) or by the report in a labels file given to `atelier train` (document).
    Both are learnt again at each training; only an analyst's is applied over the model and the
    report in a run (a report's placement stays the report's)."""

    text: str
    axis: str
    label: str
    source: str = REVIEW_SOURCE
    decided_at: str = ""  # when it was first learnt (ISO 8601), kept by later trainings
    # (Files written before this column hold the text read with its theme, `key`, in `text`.)
    theme: str = ""

    @property
    def key(self) -> str:
        """The text as the classifier reads it, with its theme (`with_context`): what is learnt and matched."""
        from atelier.nlp.axis_data import with_context

        return with_context(self.text, self.theme)

    def timestamp(self) -> float:
        """`decided_at` in seconds since the epoch (0 if unknown)."""
        try:
            return datetime.fromisoformat(self.decided_at).timestamp()
        except ValueError:
            return 0.0


@dataclass(frozen=True)
class ModelChoice:
    """The model a run uses, where it comes from, and why a saved one was not used (French)."""

    model: AxisModel
    origin: ModelOrigin
    directory: Path | None = None
    note: str = ""
    # (text read with its theme, axis, when it was decided in seconds since the epoch) of the decisions
    # analysts made that the saved model keeps.
    decisions: tuple[tuple[str, str, float], ...] = ()

    def describe(self) -> dict[str, Any]:
        """What the manifest says of the model."""
        return {
            "version": self.model.version,
            "origin": self.origin,
            "directory": str(self.directory) if self.directory else None,
            "note": self.note,
            "card": dict(self.model.card),
        }


_FRENCH_LOADING = threading.Lock()


def french() -> spacy.Language:
    """The French spaCy pipeline, loaded on first use and then shared by everything in this
    process (a command and the flow it runs; the commands of a test session). A call made while
    another thread loads it waits for that load (a run starts it while its documents are read)."""
    with _FRENCH_LOADING:
        return _french_once()


@functools.cache
def _french_once() -> spacy.Language:
    return load_french()


def model_directory(workshop: Workshop, models_dir: Path | None = None) -> Path:
    return Path(models_dir if models_dir is not None else DEFAULT_MODELS_DIR) / workshop.id


def no_saved_model_note(workshop: Workshop, models_dir: Path | None = None) -> str:
    """Where no saved model was found: a model is looked for under the folder the command runs
    in (QA: run from another folder, the analysts' decisions it learnt were not applied, and `run`
    named the folder relative to where it ran)."""
    models = Path(models_dir if models_dir is not None else DEFAULT_MODELS_DIR)
    directory = model_directory(workshop, models)
    if models.exists() and not models.is_dir():
        return f"Aucun modèle enregistré pour « {workshop.id} » : --models {models} est un fichier, pas un dossier"
    missing = "" if models.is_dir() else f", dossier {models.resolve()} absent"
    # (The hint only when --models was not given: QA, it followed « --models bad/models_none ».)
    hint = " (cherché sous le dossier courant ; --models pour un autre dossier)" if models == DEFAULT_MODELS_DIR else ""
    return f"Aucun modèle enregistré pour « {workshop.id} » dans {directory.resolve()}{missing}{hint}"


def save_axis_model(
    model: AxisModel, directory: str | Path, decisions: Sequence[StoredDecision] | None = None
) -> Path:
    """Write `model.skops` and `card.json` into `directory` (created if needed), and with `decisions`
    the decisions the model learnt from a labels file as `decisions.csv` beside it: a later `atelier
    train` learns them again without being given them (the label tells an axis renumbered since); no
    decision, no file (an older one is removed). The files are written together: each is written in
    full beside its place, then all are moved in: a failure while writing leaves the model saved
    before whole, not beside the decisions or the card of another. They are moved in model first,
    decisions last: a failure between two moves leaves a model its card refuses (`model_sha256`:
    trained on the fly, and said), never the analysts' decisions replaced beside an older model
    (QA). Returns the directory."""
    target = Path(directory)
    data = axis_model_bytes(model)
    with ExitStack() as together:  # (left in the reverse order of entering)
        if decisions:
            _write_decisions(decisions, together.enter_context(atomic_path(target / DECISIONS_FILE)))
        card = {**model.card, "model_sha256": model_sha256(data)}
        together.enter_context(atomic_path(target / CARD_FILE)).write_text(card_text(card), encoding="utf-8")
        together.enter_context(atomic_path(target / MODEL_FILE)).write_bytes(data)
    if decisions is not None and not decisions:
        (target / DECISIONS_FILE).unlink(missing_ok=True)
    return target


def _write_decisions(decisions: Sequence[StoredDecision], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DECISIONS_COLUMNS)
        writer.writerows(StoredDecision(*decision) for decision in decisions)


def read_decisions(directory: str | Path) -> list[StoredDecision]:
    """The decisions `save_axis_model` kept beside a model ([] without the file); a file of the
    first three columns holds analysts' decisions. A file that is not ours (unreadable, other
    columns, a source that is neither review nor document, too large) is an `AxisModelError`."""
    path = Path(directory) / DECISIONS_FILE
    if not path.is_file():
        return []
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise AxisModelError(f"{path} dépasse {MAX_MODEL_BYTES // (1024 * 1024)} Mo.")
        csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size + 1))
        # As an input CSV is read: the file an analyst opened and saved again in Excel (semicolons,
        # Windows-1252) is still theirs.
        text = decoded_text(path.read_bytes(), path)[0].replace("\r\n", "\n")
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text) or ",") if any(row)]
    except (OSError, TableError, csv.Error) as error:
        reason = os_error_reason(error) if isinstance(error, OSError) else "illisible"
        raise AxisModelError(f"Décisions d'analystes illisibles : {path} ({reason}).") from error
    columns = tuple(rows[0]) if rows else ()
    if (
        columns not in (DECISIONS_COLUMNS, DECISIONS_COLUMNS[:5], DECISIONS_COLUMNS[:4], FIRST_DECISIONS_COLUMNS)
        or any(len(row) != len(columns) for row in rows)
        or any(row[3:4] and row[3] not in (REVIEW_SOURCE, DOCUMENT_SOURCE) for row in rows[1:])
    ):
        raise AxisModelError(f"{path} n'est pas un fichier de décisions écrit par atelier train.")
    written = datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
    decisions = [StoredDecision(*row) for row in rows[1:]]
    return [d if d.decided_at else d._replace(decided_at=written) for d in decisions]


@dataclass(frozen=True)
class KeptDecisions:
    """The decisions kept beside a model, against the workshop as it is now: `learnt`, under
    the axis they mean now, of which `relabelled` under an axis renamed or renumbered since;
    `left_out`, the rows of an axis the workshop no longer has (kept in the file, not learnt)."""

    learnt: list[StoredDecision]
    relabelled: int
    left_out: list[StoredDecision]

    @property
    def by_analysts(self) -> list[tuple[str, str, float]]:
        """The (text, axis, when) of the learnt decisions an analyst made: those a run applies."""
        return [(d.key, d.axis, d.timestamp()) for d in self.learnt if d.source == REVIEW_SOURCE]


def current_decisions(stored: Sequence[StoredDecision], workshop: Workshop) -> KeptDecisions:
    """Each stored decision under the axis that has its label now (axes renumbered), else under
    its axis id if the workshop still has it (the label renamed), else left out."""
    learnt: list[StoredDecision] = []
    left_out: list[StoredDecision] = []
    relabelled = 0
    for decision in stored:
        labelled = workshop.axis_labelled(decision.label)
        now = labelled or (decision.axis if decision.axis in workshop.axis_ids else None)
        if now is None:
            left_out.append(decision)
            continue
        learnt.append(decision._replace(axis=now, label=workshop.axis_label(now)))
        relabelled += labelled != decision.axis  # its label under another id, or under none
    return KeptDecisions(learnt, relabelled, left_out)


def write_card(card: Mapping[str, Any], directory: str | Path) -> Path:
    with atomic_path(Path(directory) / CARD_FILE) as temporary:
        temporary.write_text(card_text(card), encoding="utf-8")
    return Path(directory) / CARD_FILE


def load_axis_model(directory: str | Path) -> AxisModel:
    """Read a model saved by `save_axis_model` (`axis_model_from_bytes` says what is refused)."""
    source = Path(directory)
    model_path, card_path = source / MODEL_FILE, source / CARD_FILE
    for path in (model_path, card_path):
        if not path.is_file():
            raise AxisModelError(f"Modèle introuvable : {path} n'existe pas. Lancez d'abord « atelier train ».")
    try:
        card = card_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_error_reason(error) if isinstance(error, OSError) else "pas de l'UTF-8"
        raise AxisModelError(f"Fiche du modèle illisible : {card_path} ({reason}).") from error
    try:
        if model_path.stat().st_size > MAX_MODEL_BYTES:
            raise AxisModelError(f"Modèle refusé : {model_path} dépasse {MAX_MODEL_BYTES // (1024 * 1024)} Mo.")
        model_data = model_path.read_bytes()
    except OSError as error:
        raise AxisModelError(f"Fichier de modèle illisible : {model_path} ({os_error_reason(error)}).") from error
    return axis_model_from_bytes(model_data, card, model_name=str(model_path), card_name=str(card_path))


def load_saved_model(workshop: Workshop, models_dir: Path | None = None) -> tuple[AxisModel | None, str]:
    """The saved model of this workshop if there is one that fits it, else None; and a French
    note: why it was set aside, or that the workshop file changed since it was trained ("" if
    neither)."""
    directory = model_directory(workshop, models_dir)
    if not directory.is_dir():
        return None, ""
    try:
        model = load_axis_model(directory)
    except AxisModelError as error:
        return None, f"{error} Modèle entraîné à la volée à la place."
    trained_for = model.card.get("workshop_id")
    if trained_for is not None and str(trained_for) != workshop.id:
        return None, (
            f"Le modèle enregistré dans {directory} est celui de l'atelier « {trained_for} », pas de "
            f"« {workshop.id} » : modèle entraîné à la volée à la place."
        )
    labels = {axis.id: axis.label for axis in workshop.axes}
    card_labels = model.card.get("axis_labels")
    renamed = card_labels is not None and card_labels != labels
    # A label now another axis's: the axes were renumbered, the model's classes mean other axes.
    renumbered = renamed and (
        not isinstance(card_labels, dict)
        or any(workshop.axis_labelled(str(label)) not in (None, axis) for axis, label in card_labels.items())
    )
    if set(model.classes_) != set(workshop.axis_ids) or renumbered:
        return None, (
            f"Le modèle enregistré dans {directory} ne correspond pas aux axes de l'atelier « {workshop.id} » : "
            "modèle entraîné à la volée à la place (relancez « atelier train »)."
        )
    trained_on = model.card.get("workshop_axes_sha256")
    if renamed or (trained_on is not None and trained_on != workshop.axes_sha256):
        created = str(model.card.get("created_at", ""))[:10] or "?"
        source = workshop.source or f"l'atelier « {workshop.id} »"
        return model, (
            f"Les libellés, descriptions, mots-clés ou exemples des axes de {source} ont changé depuis "
            f"l'entraînement du modèle enregistré dans {directory} (le {created}) : le modèle les ignore jusqu'au "
            "prochain « atelier train » (qui reprend ses décisions d'analystes)."
        )
    return model, ""


def train_model(
    workshop: Workshop,
    contributions: Sequence[Contribution],
    nlp: spacy.Language,
    extra: Sequence[tuple[str, str]] = (),
) -> AxisModel:
    """Train on the ideas the documents place in an axis, `extra` (text, axis) pairs and the
    workshop's pseudo-examples; the other ideas of the batch are used by self-training."""
    texts, labels = training_set(workshop, contributions, extra)
    return train_axis_model(
        workshop,
        texts,
        labels,
        nlp,
        unlabelled=unlabelled_texts(workshop, contributions),
        unlabelled_groups=unlabelled_theme_groups(workshop, contributions),
    )


def choose_model(
    workshop: Workshop,
    contributions: Sequence[Contribution],
    nlp: spacy.Language,
    models_dir: Path | None = None,
) -> ModelChoice:
    """The saved model of the workshop if usable, else one trained now on `contributions`."""
    model, note = load_saved_model(workshop, models_dir)
    directory = model_directory(workshop, models_dir)
    if model is not None:
        decisions, unread = saved_decisions(workshop, directory)
        note = " ".join(part for part in (note, unread) if part)
        return ModelChoice(model=model, origin="saved", directory=directory, note=note, decisions=tuple(decisions))
    # A model set aside (axes renumbered, a file damaged) leaves its decisions: learnt and applied.
    decisions, unread = saved_decisions(workshop, directory) if _trained_for(workshop, directory) else ([], "")
    kept = f"Ses {len(decisions)} décision(s) d'analystes restent apprises et appliquées." if decisions else ""
    note = " ".join(part for part in (note, kept, unread) if part)
    model = train_model(workshop, contributions, nlp, extra=[(text, axis) for text, axis, _ in decisions])
    return ModelChoice(model=model, origin="trained", note=note, decisions=tuple(decisions))


def _trained_for(workshop: Workshop, directory: Path) -> bool:
    """Whether the card in `directory` says its model was trained for `workshop` (its id)."""
    try:
        card = json.loads((directory / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(card, dict) and card.get("workshop_id") == workshop.id


def saved_decisions(workshop: Workshop, directory: Path) -> tuple[list[tuple[str, str, float]], str]:
    """The (text, axis, when) decisions analysts made that a saved model learnt, under the
    workshop's axes as they are now (`current_decisions`), and a French note if its
    `decisions.csv` cannot be read ("" if it can)."""
    try:
        return current_decisions(read_decisions(directory), workshop).by_analysts, ""
    except AxisModelError as error:
        return [], f"{error} Ses décisions ne sont pas appliquées telles quelles."
