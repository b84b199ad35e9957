"""The whole pipeline as a Prefect 3 flow: reports in, dataset and synthesis out.

Thin wiring: every task calls a plain function of `extract/`, `nlp/` or of this package.
Inputs are read at the start, outputs written at the end; only reading input bytes is retried.
A bad document never stops the others: it is reported with status "error" and a French reason.
"""

from __future__ import annotations

import logging
import shlex
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

import atelier
from atelier.extract.records import DOCUMENT_SOURCE, MODEL_SOURCE, REVIEW_SOURCE, Contribution, DocumentResult
from atelier.extract.settings import ExtractionSettings
from atelier.flows import outputs
from atelier.flows.decisions import FollowedIdeas, followed_ideas, label_changed_not_axis
from atelier.flows.inputs import (
    Copies,
    InputFile,
    TransientReadError,
    collect_inputs,
    document_names,
    extract_input,
    read_input,
    repeated_inputs,
)
from atelier.flows.messages import counted, examples, listed, most_frequent_first, quoted
from atelier.flows.modeling import (
    MODEL_FILE,
    ModelChoice,
    choose_model,
    french,
    model_directory,
    no_saved_model_note,
)
from atelier.flows.reader import DocumentReader
from atelier.flows.synthesis import synthesis_context, synthesis_html
from atelier.flows.synthesis_docx import synthesis_document
from atelier.flows.tables import AddedCell, cell_text
from atelier.nlp.axis_data import idea_text
from atelier.nlp.classify import classify_contributions, decision_of_text, with_decided_axes
from atelier.nlp.dedup import ClusterSummary, deduplicate_contributions, summarize_clusters
from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.language import is_filler, normalize_for_match
from atelier.nlp.placement import place_by_headings
from atelier.nlp.workshop import Workshop, load_workshop

if TYPE_CHECKING:
    import spacy

# French progress lines for the command line (which attaches a handler); Prefect's run logger
# gets the same lines for its UI.
PROGRESS_LOGGER = "atelier.progress"
READ_RETRIES = 2
READ_RETRY_DELAYS = [1, 4]


@dataclass(frozen=True)
class DocumentStatus:
    """What the command line prints of one input."""

    name: str
    path: str
    status: str
    pages: int
    ideas: int
    error: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunSummary:
    """The result of a run: where the outputs are and what they hold."""

    out: Path
    files: tuple[Path, ...]
    workshop_id: str
    model_version: str
    model_origin: str
    documents: tuple[DocumentStatus, ...]
    ideas: int
    clusters: int
    ideas_per_kind: dict[str, int] = field(default_factory=dict)
    ideas_per_axis: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()  # the texts of the fillers set apart (`set_apart_fillers`), one per row

    @property
    def documents_ok(self) -> int:
        return sum(1 for d in self.documents if d.status == "ok")

    @property
    def documents_error(self) -> int:
        return sum(1 for d in self.documents if d.status == "error")

    @property
    def documents_copies(self) -> int:
        return sum(1 for d in self.documents if d.status == "copy")


def _say(message: str, level: int = logging.INFO) -> None:
    """A progress line: to our logger at `level`, to Prefect's run logger at INFO (so that a
    failed document is not printed twice by Prefect's console handler, set to WARNING)."""
    logging.getLogger(PROGRESS_LOGGER).log(level, message)
    try:
        get_run_logger().info(message)
    except Exception:  # noqa: BLE001 - outside a run (task `.fn` in tests) there is no run logger
        pass


# ---------------------------------------------------------------- tasks


@task(name="lire le fichier", retries=READ_RETRIES, retry_delay_seconds=READ_RETRY_DELAYS, cache_policy=NO_CACHE)
def read_input_task(path: Path, settings: ExtractionSettings | None = None, document: str = "") -> InputFile:
    """Read and hash the bytes of one input (I/O: retried)."""
    return read_input(path, settings, document)


@task(name="extraire", cache_policy=NO_CACHE)
def extract_task(
    input_file: InputFile, duplicate_of: str | None = None, reader: DocumentReader | None = None
) -> DocumentResult:
    return extract_input(input_file, duplicate_of=duplicate_of, reader=reader)


@task(name="charger le modèle de langue", cache_policy=NO_CACHE)
def load_language_task() -> spacy.Language:
    return french()


@task(name="choisir le modèle d'axes", cache_policy=NO_CACHE)
def choose_model_task(
    workshop: Workshop, contributions: list[Contribution], nlp: spacy.Language, models_dir: Path | None
) -> ModelChoice:
    return choose_model(workshop, contributions, nlp, models_dir)


@task(name="classer", cache_policy=NO_CACHE)
def classify_task(
    contributions: list[Contribution], workshop: Workshop, choice: ModelChoice, nlp: spacy.Language
) -> list[Contribution]:
    return classify_contributions(contributions, workshop, choice.model, nlp)


@task(name="dédoublonner", cache_policy=NO_CACHE)
def deduplicate_task(
    contributions: list[Contribution], settings: DedupSettings, nlp: spacy.Language | None = None
) -> tuple[list[Contribution], list[ClusterSummary]]:
    """Clusters (all three levels when `nlp` is given: exact, near-identical, paraphrase), with the
    workshop's settings."""
    deduplicated = deduplicate_contributions(contributions, settings, nlp)
    return deduplicated, summarize_clusters(deduplicated)


@task(name="écrire les résultats", cache_policy=NO_CACHE)
def write_outputs_task(
    out: Path,
    workshop: Workshop,
    documents: list[DocumentResult],
    contributions: list[Contribution],
    clusters: list[ClusterSummary],
    generated_at: datetime,
    added: dict[str, dict[str, AddedCell]] | None = None,
    rows: list[Contribution] | None = None,
    nlp: spacy.Language | None = None,
) -> list[Path]:
    return write_run_outputs(out, workshop, documents, contributions, clusters, generated_at, added, rows, nlp)


@task(name="écrire le manifeste", cache_policy=NO_CACHE)
def write_manifest_task(out: Path, manifest: dict[str, Any]) -> Path:
    return outputs.write_manifest(manifest, out)


def write_run_outputs(
    out: Path,
    workshop: Workshop,
    documents: Sequence[DocumentResult],
    contributions: Sequence[Contribution],
    clusters: Sequence[ClusterSummary],
    generated_at: datetime,
    added: Mapping[str, Mapping[str, AddedCell]] | None = None,
    rows: Sequence[Contribution] | None = None,
    nlp: spacy.Language | None = None,
) -> list[Path]:
    """The dataset files and the synthesis of a run, written in a folder of `out` then moved into it
    together (`outputs.staging_folder`; the manifest comes after); `ideas` files with the columns an
    analyst `added` to the last run's. The dataset's `rows` are the ideas and the fillers of forms set
    apart (`set_apart_fillers`), which the synthesis leaves out; by default the ideas alone. With `nlp`,
    the synthesis masks the people its recogniser finds too."""
    rows = contributions if rows is None else rows
    context = synthesis_context(
        workshop=workshop,
        contributions=contributions,
        clusters=clusters,
        documents=documents,
        generated_at=generated_at,
        nlp=nlp,
    )
    with outputs.staging_folder(out) as staging:  # (all written, then moved in together)
        files = [
            *outputs.write_ideas(rows, staging, added),
            outputs.write_details(rows, staging),
            outputs.write_clusters(clusters, staging),
        ]
        try:
            files.append(outputs.write_run_workbook(rows, clusters, staging, added))
        except outputs.WorkbookTooLarge as error:
            (Path(out) / outputs.IDEAS_XLSX).unlink(missing_ok=True)  # not a previous run's
            said = f"{outputs.IDEAS_XLSX} non écrit : {error} (les fichiers CSV et Parquet sont complets)."
            _say(said, logging.WARNING)
        files.append(outputs.write_synthesis(synthesis_html(context), staging))
        files.append(outputs.write_synthesis_docx(synthesis_document(context), staging))
        return outputs.move_into(files, Path(out))


# ---------------------------------------------------------------- the flow


class _Stopwatch:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _load_french_quietly() -> None:
    """Load spaCy ahead of its stage; a failure is left for the stage to meet and report."""
    try:
        french()
    except Exception:  # noqa: BLE001 - raised again, and reported, by load_language_task
        pass


# The count of a document's fillers (`set_apart_fillers`) among its statistics.
FILLERS_STATISTIC = "fillers"


def set_apart_fillers(result: DocumentResult) -> tuple[DocumentResult, list[Contribution]]:
    """The document with its ideas only, and the fillers of a form it holds (`is_filler`: a cell
    « RAS », « - », « Néant », « N/A »), counted in its statistics. A filler is no idea: neither
    classified, grouped, counted nor in the synthesis; its row is written without axis nor group."""
    fillers: list[Contribution] = []
    kept: list[Contribution] = []
    for c in result.contributions:
        (fillers if is_filler(c.text) else kept).append(c)
    # (An action filed under a filler, « N/A », has no objective.)
    ideas = tuple(replace(c, objective="") if c.objective and is_filler(c.objective) else c for c in kept)
    if not fillers and ideas == tuple(result.contributions):
        return result, []
    statistics = {**result.statistics, FILLERS_STATISTIC: len(fillers)} if fillers else result.statistics
    return replace(result, contributions=ideas, statistics=statistics), fillers


class _Read(NamedTuple):
    """What `_read_documents` read: the documents (their ideas only), their fillers, and the ids
    of all their records in reading order."""

    documents: list[DocumentResult]
    fillers: list[Contribution]
    order: list[str]


def _read_documents(paths: Sequence[Path], extraction: ExtractionSettings | None, watch: _Stopwatch) -> _Read:
    """Each document read in a worker process, bounded in memory and time, `parallel_documents`
    at once and no more read ahead (a batch's bytes are never all in memory); results in input
    order, each said as it comes. A copy of an input read earlier is reported, not read. The
    fillers of forms are set apart (`set_apart_fillers`), and returned besides."""
    documents: list[DocumentResult] = []
    fillers: list[Contribution] = []
    order: list[str] = []
    copies = Copies()
    pending: deque[PrefectFuture[DocumentResult]] = deque()

    def report_oldest() -> None:
        with watch.stage("extract"):
            read = pending.popleft().result()
        order.extend(c.idea_id for c in read.contributions)
        result, its_fillers = set_apart_fillers(read)
        documents.append(result)
        fillers.extend(its_fillers)
        level = logging.WARNING if result.status == "error" else logging.INFO
        _say(f"[{len(documents)}/{len(paths)}] {_document_line(result)}", level)

    with DocumentReader(extraction) as reader:
        for path, document in zip(paths, document_names(paths), strict=True):
            with watch.stage("read"):
                input_file = _read(path, extraction, document)
            pending.append(extract_task.submit(input_file, copies.original_of(input_file), reader))
            if len(pending) >= reader.settings.parallel_documents:
                report_oldest()
        while pending:
            report_oldest()
    return _Read(documents, fillers, order)


def _read(path: Path, settings: ExtractionSettings | None, document: str) -> InputFile:
    """Read one input through its task; after the last retry the I/O error becomes a reason."""
    state = read_input_task(path, settings, document, return_state=True)
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    if isinstance(error, TransientReadError) and error.__cause__ is not None:
        reason = str(error.__cause__)
    else:
        reason = f"lecture impossible ({type(error).__name__})"
    return InputFile(path=path, data=None, error=reason, document=document)


def _document_line(result: DocumentResult) -> str:
    if result.status == "ok":
        found = counted(len(result.contributions), "contribution")
        line = f"{result.document} : {found} sur {counted(result.pages, 'page')}"
        if fillers := result.statistics.get(FILLERS_STATISTIC, 0):
            line += f" (et {fillers} case(s) sans idée laissée(s) de côté)"
        return line + "".join(f" ; attention : {warning}" for warning in result.warnings)
    if result.status == "copy":
        return f"{result.document} : ignoré — {result.error}"
    return f"{result.document} : erreur — {result.error}"


@dataclass(frozen=True)
class _AppliedDecisions:
    """The ideas with the analysts' decisions applied (`_analysts_decisions`), and what to say of it."""

    contributions: list[Contribution]
    from_model: int  # ideas placed by a decision the saved model keeps
    from_outputs: int  # by one of the last run's outputs
    copies: int  # of those, copies of a decided idea (same text, same theme) the outputs leave undecided
    moved_by_model: int  # of those, ideas the model or the report placed in another axis
    moved_by_outputs: int
    disagreements: list[tuple[str, str, str, str]]  # (text, the saved model's axis, the outputs', the one applied)
    lost: list[tuple[str, str]]  # (document, text) of the outputs' decisions on ideas not in this run
    restated: int  # report placements whose axis an analyst changed in the outputs, source left
    withdrawn: int  # decisions of the saved model an analyst marked « à revoir » in the outputs since
    # The ideas marked « à revoir » that no one has decided since: the manifest keeps them, as the
    # sheets this run writes no longer say it (QA: the next run applied the learnt decision again).
    to_review: dict[str, float] = field(default_factory=dict)  # idea_id -> when marked
    relabelled: int = 0  # rows whose axis_label, not their axis, an analyst changed: the label's axis taken
    # idea_id -> axis of the copies given their decided idea's axis: the manifest keeps them, for the next run
    # to tell them from the analysts' own decisions (QA: the idea decided again, its copy kept the old axis).
    copied: dict[str, str] = field(default_factory=dict)

    def messages(self, earlier: outputs.EarlierRun) -> list[str]:
        said = []
        if self.from_model:
            said.append(
                f"{self.from_model} idée(s) placée(s) comme l'ont décidé les analystes (décisions du modèle "
                "enregistré)"
                + (
                    f" ; le modèle, qui les a apprises, ou le compte-rendu en plaçait {self.moved_by_model} ailleurs."
                    if self.moved_by_model
                    else " ; le modèle, qui les a apprises, les place là aussi."
                )
            )
        if self.from_outputs:
            said.append(
                f"{self.from_outputs} idée(s) gardent l'axe décidé dans {earlier} (axis_source = review), "
                f"dont {self.moved_by_outputs} que le modèle ou le compte-rendu plaçait ailleurs"
                + (
                    f" ; {self.copies} sont des copies d'une idée décidée (même texte, même thème)."
                    if self.copies
                    else "."
                )
            )
        if self.restated:
            said.append(
                f"{self.restated} ligne(s) de {earlier} marquée(s) {DOCUMENT_SOURCE} ont un autre axe que celui où le "
                f"compte-rendu les place : prises pour des décisions d'analystes (axis_source = review)."
            )
        if self.relabelled:
            said.append(
                f"{self.relabelled} ligne(s) de {earlier} ont dans axis_label le libellé d'un autre axe, la "
                "colonne axis restant où le modèle ou le compte-rendu place l'idée : l'axe de ce libellé est repris "
                "comme décision."
            )
        if self.withdrawn:
            said.append(
                f"{self.withdrawn} idée(s) marquée(s) « à revoir » dans {earlier} depuis que le modèle a appris leur "
                "décision : elle n'est pas appliquée (l'axe est celui que propose le modèle)."
            )
        if self.disagreements:
            named = examples(
                [
                    f"{quoted(text)} : axe {model} enregistré, {sheet} dans le tableau, {applied} repris"
                    for text, model, sheet, applied in self.disagreements
                ]
            )
            said.append(
                f"Avertissement : {len(self.disagreements)} idée(s) ont un axe dans les décisions du modèle enregistré "
                f"et un autre dans {earlier} ({named}) : la plus récente des deux décisions est reprise (celle du "
                "tableau s'il a été modifié après que le modèle l'a apprise)."
            )
        # (A decision on a form's filler, « RAS », is on no idea: the filler is read, and takes no axis.)
        on_fillers = [text for _, text in self.lost if is_filler(text)]
        absent = [(document, text) for document, text in self.lost if not is_filler(text)]
        if on_fillers:
            said.append(
                f"Avertissement : {len(on_fillers)} décision(s) de {earlier} portent sur des cases sans idée "
                f"({listed(most_frequent_first(on_fillers), 3, 'écritures')}) : un remplissage de formulaire "
                "n'est pas classé, la décision n'est pas reprise ; le fichier est copié avant d'être remplacé "
                "(voir ci-dessous)."
            )
        if absent:
            documents = sorted({document for document, _ in absent if document})
            among = f" (documents : {', '.join(documents[:5])})" if documents else ""
            said.append(
                f"Avertissement : {len(absent)} décision(s) de {earlier} portent sur des idées absentes de cette "
                f"exécution{among}, par exemple {quoted(absent[0][1])} : le fichier est copié avant d'être "
                "remplacé (voir ci-dessous). Pour les garder dans le tableau, relancez avec tous les documents, ou "
                "apprenez-les au modèle (atelier train --labels sur la copie)."
            )
        return said


def _analysts_decisions(
    contributions: Sequence[Contribution], workshop: Workshop, choice: ModelChoice, earlier: outputs.EarlierRun
) -> _AppliedDecisions:
    """The ideas placed as analysts decided: by the decisions the saved model keeps (per text)
    and by those of the last run's outputs (per idea, or per text for rows without an idea_id).
    Where both decide one idea otherwise, the newer counts: the outputs edited after the model
    learnt that decision (its date, kept by later trainings), or the decision learnt after."""
    saved = decision_of_text(contributions, [text for text, _, _ in choice.decisions])
    texts = list(earlier.decided_texts)
    text_positions = decision_of_text(contributions, texts)
    by_text = [earlier.decided_texts[texts[position]] if position is not None else None for position in text_positions]
    learnt = [choice.decisions[position][1] if position is not None else None for position in saved]
    relabelled: set[str] = set()

    def column_or_label(item: Contribution, column: str | None, learnt_axis: str | None) -> str | None:
        """The axis a row decides: its axis column, or its label's axis when the analyst changed the
        label, not the axis (`label_changed_not_axis`, the idea placed where this run places it; QA:
        the run kept the model's axis as the decision)."""
        other = earlier.relabelled_axes.get(item.idea_id)
        if not label_changed_not_axis(column, other, item.axis, learnt_axis):
            return column
        relabelled.add(item.idea_id)
        return other

    # A report's placement whose axis (or label) an analyst changed without marking the row review is theirs.
    restated = {
        item.idea_id: decided
        for item, learnt_axis in zip(contributions, learnt, strict=True)
        if item.axis_source == DOCUMENT_SOURCE
        and (decided := column_or_label(item, earlier.stated_axes.get(item.idea_id), learnt_axis)) is not None
        and decided != item.axis
    }
    edited = [
        column_or_label(item, earlier.decided_axes.get(item.idea_id), learnt_axis) or restated.get(item.idea_id) or text
        for item, text, learnt_axis in zip(contributions, by_text, learnt, strict=True)
    ]
    # A decision holds for the idea's copies, same text under the same theme (the same post-it in
    # another document or session), unless they are decided otherwise (QA: the copies kept the
    # model's axis). Copies decided in two axes are left as they are.
    keys = [normalize_for_match(idea_text(item)) for item in contributions]
    axes_of_key: dict[str, set[str]] = defaultdict(set)
    for key, axis in zip(keys, edited, strict=True):
        if axis is not None:
            axes_of_key[key].add(axis)
    copied = [
        axis is None and len(axes_of_key.get(key, ())) == 1 and item.idea_id not in earlier.withdrawn
        for item, key, axis in zip(contributions, keys, edited, strict=True)
    ]
    edited = [
        next(iter(axes_of_key[key])) if copy else axis for key, axis, copy in zip(keys, edited, copied, strict=True)
    ]

    def sheet_written(index: int, item: Contribution) -> float:
        """When the file holding the sheet's decision on the idea was last written."""
        position = text_positions[index]
        key = item.idea_id if item.idea_id in earlier.written else texts[position] if position is not None else ""
        return earlier.written.get(key, earlier.modified)

    known = set(workshop.axis_ids)
    chosen: list[str | None] = []
    from_model = from_outputs = moved_by_model = moved_by_outputs = copies = 0
    disagreements: list[tuple[str, str, str, str]] = []
    withdrawn = 0
    copied_axes: dict[str, str] = {}
    for index, (item, decision, edited_axis) in enumerate(zip(contributions, saved, edited, strict=True)):
        model_axis, decided_at = (choice.decisions[decision][1:] if decision is not None else (None, 0.0))
        model_axis = model_axis if model_axis in known else None
        edited_axis = edited_axis if edited_axis in known else None
        # The sheet edited after the model learnt the decision (the file that holds the sheet's).
        newer = sheet_written(index, item) >= decided_at
        marked = earlier.withdrawn.get(item.idea_id)
        if marked is not None and edited_axis is None and marked >= decided_at:
            model_axis = None  # marked « à revoir » since the model learnt it: withdrawn
            withdrawn += decision is not None
        use_outputs = edited_axis is not None and (model_axis is None or newer)
        axis = edited_axis if use_outputs else model_axis
        if model_axis and edited_axis and model_axis != edited_axis:
            disagreements.append((item.text, model_axis, edited_axis, str(axis)))
        chosen.append(axis)
        if axis is None:
            continue
        if use_outputs:
            from_outputs += 1
            copies += copied[index]
            if copied[index]:
                copied_axes[item.idea_id] = axis
            moved_by_outputs += item.axis != axis
        else:
            from_model += 1
            moved_by_model += item.axis != axis
    placed, _, _ = with_decided_axes(contributions, workshop, chosen)
    # An idea an analyst marked « à revoir » (and no one has decided since) is one to check, however sure the
    # model is (QA: it came out needs_review false, and not among the ideas to check of the synthesis).
    to_review = {
        item.idea_id: earlier.withdrawn[item.idea_id]
        for item, axis in zip(contributions, chosen, strict=True)
        if item.idea_id in earlier.withdrawn and axis is None
    }
    placed = [replace(item, needs_review=True) if item.idea_id in to_review else item for item in placed]
    present = {item.idea_id for item in contributions}
    lost = [where for idea, where in earlier.decided_where.items() if idea not in present]
    # (A decision by text is lost when it places no idea, as `decision_of_text` matches them: QA, one
    # retyped in other case and punctuation placed its ideas and was said lost.)
    matched = set(text_positions)
    lost += [("", text) for position, text in enumerate(texts) if position not in matched]
    return _AppliedDecisions(
        placed,
        from_model,
        from_outputs,
        copies,
        moved_by_model,
        moved_by_outputs,
        disagreements,
        lost,
        len(restated),
        withdrawn,
        to_review,
        len(relabelled),
        copied_axes,
    )


@dataclass(frozen=True)
class _AddedColumns:
    """The columns an analyst added to the last run's sheets, as this run writes them again."""

    columns: dict[str, dict[str, AddedCell]]  # column -> idea_id -> cell
    lost: int  # filled cells of ideas this run does not write (another document, none read)


def _followed_notes(followed: FollowedIdeas, earlier: outputs.EarlierRun) -> list[str]:
    """What is said of the ideas of the last run's sheets found again otherwise than by their number."""
    said = []
    if followed.moved:
        said.append(
            f"Le rapport, ou sa lecture, a changé depuis l'exécution précédente : {followed.by_text} idée(s) de "
            f"{earlier} retrouvée(s) par leur texte et {len(followed.likened)} par un texte proche ; leurs "
            "décisions, leurs colonnes ajoutées et leurs groupes les suivent."
        )
    if followed.likened:
        named = examples([f"{quoted(before)} devenu {quoted(after)}" for before, after in followed.likened])
        said.append(
            f"Avertissement : {len(followed.likened)} idée(s) de {earlier} retrouvée(s) par un texte proche, à "
            f"vérifier ({named}) ; le fichier est copié avant d'être remplacé."
        )
    if followed.edited:
        said.append(
            f"Avertissement : {followed.edited} texte(s) modifié(s) à la main dans {earlier} : chaque idée est "
            "retrouvée par son idea_id, avec ses décisions, et son texte est réécrit comme le rapport le donne ; "
            "le fichier est copié avant d'être remplacé."
        )
    return said


def _carried_columns(earlier: outputs.EarlierRun, contributions: Sequence[Contribution]) -> _AddedColumns:
    """The columns an analyst added (`EarlierRun.added_columns`), said: they are written again,
    each idea's cell on its row; those of ideas this run does not write are counted (the sheet is
    copied before it is replaced)."""
    if not earlier.added_columns:
        return _AddedColumns({}, 0)
    present = {item.idea_id for item in contributions}
    lost = sum(
        1
        for cells in earlier.added_columns.values()
        for idea, cell in cells.items()
        if cell_text(cell).strip() and idea not in present
    )
    names = list(earlier.added_columns)
    _say(f"Colonne(s) ajoutée(s) dans {earlier} reprise(s), chaque idée avec sa cellule : {listed(names)}.")
    if lost:
        _say(
            f"Avertissement : {lost} cellule(s) de ces colonnes portent sur des idées absentes de cette exécution "
            "(autre document, ou document non lu).",
            logging.WARNING,
        )
    return _AddedColumns({column: dict(cells) for column, cells in earlier.added_columns.items()}, lost)


def _unmarked_corrections(earlier: outputs.EarlierRun, contributions: Sequence[Contribution]) -> int:
    """The ideas the model places now in another axis than their row marked model in the last
    run's sheet: corrections an analyst did not mark review, or a model that changed. Said, and
    the sheet is copied before it is replaced (QA: an axis changed with its label, the source left
    `model`, was undone without a word)."""
    moved = [
        (item.text, axis, str(item.axis))
        for item in contributions
        if item.axis_source == MODEL_SOURCE
        and (axis := earlier.proposed_axes.get(item.idea_id)) is not None
        and axis != item.axis
    ]
    if moved:
        # (An idea of several copies named once: QA, one idea was listed three times.)
        told = [f"{quoted(text)} : axe {before} dans le fichier, {now} maintenant" for text, before, now in moved]
        named = examples(list(dict.fromkeys(told)))
        _say(
            f"Avertissement : {len(moved)} idée(s) marquée(s) {MODEL_SOURCE} dans {earlier} y avaient un autre axe "
            f"que celui où le modèle les place maintenant ({named}). Une correction s'écrit avec axis_source = "
            f"{REVIEW_SOURCE} ; si c'en était une, reprenez-la de la copie du fichier.",
            logging.WARNING,
        )
    return len(moved)


class _AbsentDocument(NamedTuple):
    """A document of the last run's sheets that this run does not write (`absent_documents`)."""

    name: str
    ideas: int
    error: str  # why this run could not read it, "" when it was not given


def absent_documents(
    earlier: Mapping[tuple[str, str], int], documents: Sequence[DocumentResult]
) -> list[_AbsentDocument]:
    """The documents of the last run (`EarlierRun.documents`) this run read neither by name nor by
    content (a report renamed is read), with their ideas, and the error of those given unread."""
    read = _read_keys(documents)
    errors = {d.document: d.error for d in documents if d.status != "ok"}
    ideas: dict[str, int] = defaultdict(int)
    for (name, sha), count in earlier.items():
        if name not in read and sha not in read:
            ideas[name or sha[:12]] += count
    return [_AbsentDocument(name, count, errors.get(name, "")) for name, count in sorted(ideas.items())]


def _read_keys(documents: Sequence[DocumentResult]) -> set[str]:
    """The names and the content hashes of the documents read: a report renamed is the same report."""
    return {key for d in documents if d.status == "ok" for key in (d.document, d.sha256)}


def _absent_entries(
    absent: Sequence[_AbsentDocument], earlier: outputs.EarlierRun, copies: Mapping[Path, Path]
) -> dict[str, dict[str, Any]]:
    """The manifest's record of the `absent` documents (`outputs.ABSENT_DOCUMENTS`): the copies this run made
    of the sheets that hold their rows, the older first (QA: a decision made in ideas.xlsx, the older, was
    lost when only the newer copy was named)."""
    made = [copies[path].name for path in earlier.read_files if path in copies]
    if not made:
        return {}
    hashes = {name: sha for name, sha in earlier.documents}
    return {
        document.name: {"sha256": hashes.get(document.name, ""), "copies": made, "ideas": document.ideas}
        for document in absent
    }


def absent_documents_notes(
    absent: Sequence[_AbsentDocument],
    copies: Mapping[Path, Path],
    inputs: Sequence[Path],
    workshop: str | None,
    out: Path,
) -> list[str]:
    """What is said of the ideas of the last run's documents this run does not write: how many, of
    which documents, the copies of the sheets that hold them, the command that keeps them (a report
    not given) or that the report could not be read, and that a copy goes back first (a run of all
    the reports into the replaced sheets finds none of their groups and decisions, and says nothing)."""
    copied = " et ".join(
        f"{path} {'' if index else 'est copié '}en {copy}" for index, (path, copy) in enumerate(copies.items())
    )
    # (Taken from the copy again by a later run that reads them: QA, a nightly job could not put it back.)
    restore = (
        " Leurs groupes et les décisions des analystes restent dans la copie : une prochaine exécution dans ce "
        "dossier qui relit ce(s) rapport(s) les reprend (manifest.json, absent_documents)."
        if copies
        else ""
    )
    notes = []
    for unread, reason in ((False, "rapport non donné"), (True, "rapport illisible cette fois, voir ci-dessus")):
        these = [document for document in absent if bool(document.error) == unread]
        if not these:
            continue
        named = [these[0].name] if len(these) == 1 else [f"{d.name} ({d.ideas})" for d in these]
        note = (
            f"Avertissement : {sum(d.ideas for d in these)} idée(s) de {examples(named, 5)}, lue(s) par l'exécution "
            f"précédente, ne sont pas dans celle-ci ({reason}) : {copied}"
        )
        if not unread:
            note += f" ; pour les garder, donnez aussi ce(s) rapport(s) : {_command_with(these, inputs, workshop, out)}"
        notes.append(note + "." + restore)
    return notes


def _command_with(absent: Sequence[_AbsentDocument], inputs: Sequence[Path], workshop: str | None, out: Path) -> str:
    """The command that reads the `absent` documents besides this run's inputs: each by its path
    beside an input file when it is there, else by its name; or the input folder to put them in
    (data/raw)."""
    files = [Path(given) for given in inputs if Path(given).is_file()]
    folders = [str(given) for given in inputs if Path(given).is_dir()]

    def path_of(name: str) -> str:
        return next((str(file.parent / name) for file in files if (file.parent / name).is_file()), name)

    words = ["atelier", "run", *(path_of(document.name) for document in absent), *map(str, inputs)]
    words += ["--workshop", workshop] if workshop else []
    command = shlex.join([*words, "--out", str(out)])
    return command + (f", ou placez-le(s) dans {' ou '.join(folders)}" if folders else "")


@flow(name="atelier-run", log_prints=False, validate_parameters=True)
def run_pipeline(
    inputs: list[Path],
    out: Path,
    workshop: str | None = None,
    models_dir: Path | None = None,
    extraction: ExtractionSettings | None = None,
    earlier: outputs.EarlierRun | None = None,
) -> RunSummary:
    """Extract, classify and deduplicate the contributions of the input reports; write the outputs.

    `inputs`: PDF or DOCX files, or folders of them.
    `workshop`: a bundled workshop id or the path of a YAML file (default: Atelier 6).
    `models_dir`: folder of saved models (`<models_dir>/<workshop id>/`), default `models`.
    `extraction`: how documents are read, and the bounds of each one's reading (default settings).
    `earlier`: what is kept of the last run in `out` (default: the cluster ids of its ideas.csv).
    """
    started_at = datetime.now().astimezone()
    watch = _Stopwatch()

    with watch.stage("workshop"):
        config = load_workshop(workshop)
    with watch.stage("collect"):
        outputs.check_output_directory(out)
        paths = collect_inputs(inputs)
        states = earlier.states if earlier is not None and earlier.states else outputs.file_states(Path(out))
        if earlier is None:
            earlier = outputs.EarlierRun(Path(out) / outputs.IDEAS_CSV, outputs.earlier_cluster_ids(Path(out)))
    _say(f"Atelier « {config.id} » : {counted(len(paths), 'fichier')} à lire.")
    for note in repeated_inputs(inputs):
        _say(note)

    # Documents are read in worker processes: meanwhile, this one loads spaCy (`french` waits for it).
    threading.Thread(target=_load_french_quietly, name="atelier-spacy", daemon=True).start()
    documents, fillers, order = _read_documents(paths, extraction, watch)

    # The rows a copy kept of documents the runs before did not read are taken back if this run reads them;
    # else they stay in that copy, which the manifest keeps naming (no new copy, nor warning, each night).
    read_keys = _read_keys(documents)
    waiting = {
        name: entry
        for name, entry in earlier.restored.items()
        if name not in read_keys and entry.get("sha256") not in read_keys
    }
    if waiting:
        earlier = earlier.without_documents(waiting)
        held = ", ".join(
            f"{name} ({entry.get('ideas', '?')} idée(s), dans {' et '.join(entry.get('copies', []))})"
            for name, entry in waiting.items()
        )
        _say(f"Rapport(s) toujours absent(s), leurs lignes gardées : {held} ; une exécution qui les relit les reprend.")
    contributions = [c for d in documents if d.status == "ok" for c in d.contributions]
    with watch.stage("place"):
        placement = place_by_headings(contributions, config)
    contributions = placement.contributions
    notes: list[str] = list(placement.notes.values())
    for note in notes:
        _say(note, logging.WARNING)
    documents = [
        replace(d, warnings=(*d.warnings, placement.notes[d.document])) if d.document in placement.notes else d
        for d in documents
    ]
    edited_texts = 0
    if earlier.rows:
        followed = followed_ideas(earlier.rows, [*contributions, *fillers])
        earlier = earlier.renumbered(followed.ids)
        edited_texts = followed.edited + len(followed.likened)  # (kept in a copy of the sheet)
        for message in _followed_notes(followed, earlier):
            _say(message, logging.WARNING if message.startswith("Avertissement") else logging.INFO)
    model_info: dict[str, Any] = {"version": None, "origin": None, "note": "aucune contribution à classer"}
    clusters: list[ClusterSummary] = []
    choice: ModelChoice | None = None
    applied: _AppliedDecisions | None = None
    nlp: spacy.Language | None = None
    if contributions:
        with watch.stage("language"):
            nlp = load_language_task()
        with watch.stage("model"):
            if not (model_directory(config, models_dir) / MODEL_FILE).is_file():  # (QA: 10-30 s without a word)
                _say(f"Entraînement du classifieur sur {counted(len(contributions), 'contribution')} du lot…")
            choice = choose_model_task(config, contributions, nlp, models_dir)
        if choice.note:
            notes.append(choice.note)
            _say(choice.note, logging.WARNING)
        model_info = choice.describe()
        if choice.origin == "saved":
            _say(f"Modèle d'axes enregistré ({choice.directory}) : {choice.model.version}")
        else:  # (a saved model set aside: the note said why; none: where none was found, QA)
            if choice.note:
                absent = f"aucun modèle utilisable dans {model_directory(config, models_dir).resolve()}"
            else:
                absent = no_saved_model_note(config, models_dir)
            _say(f"Modèle d'axes entraîné à la volée : {choice.model.version} ; {absent[:1].lower()}{absent[1:]}.")
        with watch.stage("classify"):
            contributions = classify_task(contributions, config, choice, nlp)
            applied = _analysts_decisions(contributions, config, choice, earlier)
            contributions = applied.contributions
        for message in applied.messages(earlier):
            _say(message, logging.WARNING if message.startswith("Avertissement") else logging.INFO)
        with watch.stage("deduplicate"):
            if earlier.cluster_ids:
                # The clusters of the last run in this folder keep their ids (new documents renumber none).
                contributions = [replace(c, cluster_id=earlier.cluster_ids.get(c.idea_id)) for c in contributions]
                _say(f"Identifiants des groupes repris de {earlier}.")
            contributions, clusters = deduplicate_task(contributions, config.dedup, nlp)
        _say(
            f"{counted(len(contributions), 'contribution classée', 'contributions classées')}, "
            f"{counted(len(clusters), 'idée distincte', 'idées distinctes')}."
        )
    if fillers:
        _say(
            f"{len(fillers)} case(s) sans idée "
            f"({listed(most_frequent_first(c.text for c in fillers), 3, 'écritures')}) : un remplissage "
            f"de formulaire n'est ni classé, ni groupé, ni compté ; gardée(s) dans {outputs.IDEAS_CSV} sans axe ni "
            "groupe."
        )
    written = _in_reading_order(contributions, fillers, order)

    # No document read, over a run already there: its outputs stay as they are (QA: they were replaced by empty
    # ones, the synthesis with them). Into a new folder, the manifest says what went wrong.
    keep_previous = not any(d.status == "ok" for d in documents) and (Path(out) / outputs.IDEAS_CSV).is_file()
    if keep_previous:
        note = f"Aucun document lu : rien n'est écrit, les résultats précédents de {out} restent tels quels."
        notes.append(note)
        _say(note, logging.WARNING)
    files: list[Path] = []
    absent_entries: dict[str, dict[str, Any]] = dict(waiting)
    with watch.stage("write"):
        if not keep_previous:
            # Decisions on ideas this run does not write (another document, none read), or in an axis
            # the workshop lacks, stay in a copy; so do the ideas of the documents it does not read.
            added = _carried_columns(earlier, written)
            unmarked = _unmarked_corrections(earlier, written)
            dropped = (
                earlier.unread
                or (applied.lost if applied is not None else (earlier.decided_axes or earlier.decided_texts))
                or added.lost
                or unmarked
                or edited_texts
            )
            absent = absent_documents(earlier.documents, documents)
            kept = [*(earlier.files if dropped else ()), *(earlier.read_files if absent else ())]
            copies = {path: outputs.keep_copy(path, started_at) for path in dict.fromkeys(kept)}
            absent_entries.update(_absent_entries(absent, earlier, copies))
            for note in absent_documents_notes(
                absent, {path: copies[path] for path in sorted(earlier.read_files) if absent}, inputs, workshop, out
            ):
                notes.append(note)
                _say(note, logging.WARNING)
            for path, copy in copies.items():
                if not absent or path not in earlier.read_files:
                    _say(f"Copie de {path} gardée avant de le remplacer : {copy}")
            for path in outputs.changed_since(states, Path(out)):
                # (An analyst's edits saved while the run was reading and classifying: what it read is older.)
                copy = copies.get(path) or outputs.keep_copy(path, datetime.now().astimezone())
                note = (
                    f"Avertissement : {path} a été modifié pendant l'exécution, après sa lecture ; ces changements "
                    f"ne sont pas dans les nouvelles sorties. Copie gardée : {copy}. Remettez-la à sa place puis "
                    "relancez atelier run pour les appliquer."
                )
                notes.append(note)
                _say(note, logging.WARNING)
            files = write_outputs_task(
                Path(out), config, documents, contributions, clusters, started_at, added.columns, written, nlp
            )
    finished_at = datetime.now().astimezone()
    manifest = outputs.build_manifest(
        version=atelier.__version__,
        workshop_id=config.id,
        workshop_title=config.title,
        axis_ids=config.axis_ids,
        model=model_info,
        started_at=started_at,
        finished_at=finished_at,
        timings=watch.timings,
        documents=documents,
        contributions=contributions,
        clusters=len(clusters),
        fillers=len(fillers),
        to_review=applied.to_review if applied is not None else {},
        copied=applied.copied if applied is not None else {},
        absent=absent_entries,
        dedup=config.dedup.changed(),
    )
    if not keep_previous:
        files.append(write_manifest_task(Path(out), manifest))
        _say(f"Écriture terminée : {counted(len(files), 'fichier')} dans {out}")
    counts = manifest["counts"]
    return RunSummary(
        out=Path(out),
        files=tuple(files),
        workshop_id=config.id,
        model_version=choice.model.version if choice else "",
        model_origin=choice.origin if choice else "",
        documents=tuple(
            DocumentStatus(d.document, d.path, d.status, d.pages, len(d.contributions), d.error, d.warnings)
            for d in documents
        ),
        ideas=len(contributions),
        clusters=len(clusters),
        ideas_per_kind=counts["ideas_per_kind"],
        ideas_per_axis=counts["ideas_per_axis"],
        notes=tuple(notes),
        fillers=tuple(c.text for c in fillers),
    )


def _in_reading_order(
    ideas: Sequence[Contribution], fillers: Sequence[Contribution], order: Sequence[str]
) -> list[Contribution]:
    """The rows to write: the ideas and the fillers set apart, back in the order they were read
    (`order`: the idea ids)."""
    if not fillers:
        return list(ideas)
    position = {idea_id: index for index, idea_id in enumerate(order)}
    return sorted([*ideas, *fillers], key=lambda item: position.get(item.idea_id, len(position)))
