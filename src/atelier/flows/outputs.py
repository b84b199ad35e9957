"""Writers of the files of a run: plain functions, no Prefect, testable on hand-built records.

Column names and their order are a contract (docs: DESIGN.md, "Outputs of `atelier run`").
Every file is written atomically: to a temporary file in the same folder, then renamed,
so that a crash never leaves half a file behind. `ideas.xlsx` holds the same tables for the
analysts, who open them in Excel.
"""

from __future__ import annotations

import csv
import fcntl
import json
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from atelier.extract.records import KINDS, Contribution, DocumentResult
from atelier.extract.system import os_error_reason
from atelier.flows.inputs import readable_name
from atelier.flows.tables import EXCEL_MAX_CELL_CHARACTERS, AddedCell, cell_text
from atelier.nlp.dedup import ClusterSummary
from atelier.nlp.workshop import CONFIDENCE_TOLERANCE

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

IDEA_COLUMNS: tuple[str, ...] = (
    "idea_id",
    "document",
    "document_sha256",
    "page",
    "kind",
    "category",
    "theme",
    "objective",
    "text",
    "axis",
    "axis_label",
    "axis_source",
    "axis_confidence",
    "cluster_id",
    "canonical",
)
# Extra columns after the contract ones: the axis the report states, where the text sits, and
# for a scanned page the OCR confidence of its words.
IDEA_EXTRA_COLUMNS: tuple[str, ...] = ("stated_axis", "x0", "top", "x1", "bottom", "ocr_confidence")
# Then what the classifier says to the analyst: is the axis to be checked, the runner-up axis
# when close, and the lemmas that weighed most (joined with "; ").
IDEA_REVIEW_COLUMNS: tuple[str, ...] = ("needs_review", "axis_2", "axis_2_confidence", "axis_evidence")
EVIDENCE_SEPARATOR = "; "
DETAIL_COLUMNS: tuple[str, ...] = ("idea_id", "field", "text")
CLUSTER_COLUMNS: tuple[str, ...] = (
    "cluster_id",
    "canonical_text",
    "size",
    "axis",
    "axis_label",
    "documents",
    "kinds",
    "idea_ids",
    "pages",
)
LIST_SEPARATOR = ";"
# The key of the ideas without an axis in the manifest's counts per axis.
NO_AXIS_KEY = "aucun"

IDEAS_PARQUET = "ideas.parquet"
IDEAS_CSV = "ideas.csv"
DETAILS_CSV = "details.csv"
CLUSTERS_CSV = "clusters.csv"
MANIFEST_JSON = "manifest.json"
MARKED_TO_REVIEW = "marked_to_review"  # the manifest's idea_id -> when marked « à revoir » (epoch s), still so
DECISIONS_COPIED = "decisions_copied"  # the manifest's idea_id -> axis of copies given a decided idea's axis
# The manifest's documents of the runs before that this run did not read: name -> {"sha256", "copy": the copy
# of the sheet that holds their rows (file name in the output folder), "ideas"}; a later run that reads one
# again takes its rows from that copy (QA, a nightly job: a report unreadable one night lost its decisions).
ABSENT_DOCUMENTS = "absent_documents"
SYNTHESIS_HTML = "synthesis.html"
SYNTHESIS_DOCX = "synthesis.docx"
IDEAS_XLSX = "ideas.xlsx"
OUTPUT_FILES: tuple[str, ...] = (
    IDEAS_PARQUET, IDEAS_CSV, DETAILS_CSV, CLUSTERS_CSV, IDEAS_XLSX, MANIFEST_JSON, SYNTHESIS_HTML, SYNTHESIS_DOCX
)
# The sheets of `ideas.xlsx`: the tables of ideas.csv, clusters.csv and details.csv.
IDEAS_SHEET, CLUSTERS_SHEET, DETAILS_SHEET = "Idées", "Groupes", "Détails"
# What an Excel sheet holds (header row included; a cell: `EXCEL_MAX_CELL_CHARACTERS`).
EXCEL_MAX_ROWS = 1_048_576
_WIDE_COLUMNS = frozenset({"category", "theme", "objective", "text", "canonical_text", "axis_label"})

_STRING_COLUMNS = (
    "idea_id",
    "document",
    "document_sha256",
    "kind",
    "category",
    "theme",
    "objective",
    "text",
    "axis",
    "axis_label",
    "axis_source",
    "cluster_id",
    "stated_axis",
    "axis_2",
    "axis_evidence",
)
_FLOAT_COLUMNS = ("axis_confidence", "x0", "top", "x1", "bottom", "ocr_confidence", "axis_2_confidence")
_BOX_COLUMNS = ("x0", "top", "x1", "bottom")
BOX_DECIMALS = 2  # hundredths of a point
CONFIDENCE_DECIMALS = 3


def shown_confidence(value: float | None) -> float | None:
    """A probability as written in outputs: three decimals, rounded down, so that one shown at the
    review threshold (0.5) or above is not flagged for review for being 0.4996."""
    if value is None or math.isnan(value):
        return value
    scale = 10**CONFIDENCE_DECIMALS
    return math.floor((value + CONFIDENCE_TOLERANCE) * scale) / scale


# ---------------------------------------------------------------- frames


def ideas_frame(contributions: Iterable[Contribution]) -> pd.DataFrame:
    """One row per contribution, contract columns first and in order, then the extra ones.

    An idea no classification ran on has `needs_review` empty.
    """
    rows = []
    for c in contributions:
        box = c.bbox
        rows.append(
            {
                "idea_id": c.idea_id,
                "document": c.document,
                "document_sha256": c.document_sha256,
                "page": c.page,
                "kind": c.kind,
                "category": c.category,
                "theme": c.theme,
                "objective": c.objective,
                "text": c.text,
                "axis": c.axis,
                "axis_label": c.axis_label if c.axis is not None else None,
                "axis_source": c.axis_source,
                "axis_confidence": c.axis_confidence,
                "cluster_id": c.cluster_id,
                "canonical": c.canonical,
                "stated_axis": c.stated_axis,
                "x0": box.x0 if box else None,
                "top": box.top if box else None,
                "x1": box.x1 if box else None,
                "bottom": box.bottom if box else None,
                "ocr_confidence": c.ocr_confidence,
                "needs_review": c.needs_review,
                "axis_2": c.axis_2 or "",
                "axis_2_confidence": c.axis_2_confidence,
                "axis_evidence": EVIDENCE_SEPARATOR.join(c.axis_evidence),
            }
        )
    columns = IDEA_COLUMNS + IDEA_EXTRA_COLUMNS + IDEA_REVIEW_COLUMNS
    frame = pd.DataFrame(rows, columns=list(columns))
    for name in _STRING_COLUMNS:
        frame[name] = frame[name].astype("str")
    for name in _FLOAT_COLUMNS:
        frame[name] = frame[name].astype("float64")
    for name in ("axis_confidence", "axis_2_confidence"):
        frame[name] = frame[name].map(shown_confidence)
    for name in _BOX_COLUMNS:
        frame[name] = frame[name].round(BOX_DECIMALS)
    frame["page"] = frame["page"].astype("int64")
    frame["canonical"] = frame["canonical"].astype("boolean")
    frame["needs_review"] = frame["needs_review"].astype("boolean")
    return frame


def details_frame(contributions: Iterable[Contribution]) -> pd.DataFrame:
    """One row per labelled sub-field (`Detail`) of every contribution."""
    rows = [(c.idea_id, d.field, d.text) for c in contributions for d in c.details]
    frame = pd.DataFrame(rows, columns=list(DETAIL_COLUMNS))
    return frame.astype("str")


def clusters_frame(summaries: Iterable[ClusterSummary]) -> pd.DataFrame:
    """One row per cluster; `documents`, `kinds`, its members' `idea_ids` and where they are
    (`pages`: "document p. N") are joined with ";"."""
    rows = [
        {
            "cluster_id": s.cluster_id,
            "canonical_text": s.canonical_text,
            "size": s.size,
            "axis": s.axis,
            "axis_label": s.axis_label if s.axis is not None else None,
            "documents": LIST_SEPARATOR.join(s.documents),
            "kinds": LIST_SEPARATOR.join(s.kinds),
            "idea_ids": LIST_SEPARATOR.join(s.idea_ids),
            "pages": LIST_SEPARATOR.join(f"{m.document} p. {m.page}" for m in s.members),
        }
        for s in summaries
    ]
    frame = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))
    for name in CLUSTER_COLUMNS:
        frame[name] = frame[name].astype("int64" if name == "size" else "str")
    return frame


# ---------------------------------------------------------------- atomic writing


class OutputError(Exception):
    """The output folder of a run cannot be written; the message is French."""


def check_output_directory(out: Path) -> None:
    """Raise `OutputError` unless `out` is a folder that can be written, or can be made in one:
    checked before a run, so that it does not end, after all its work, on a folder it cannot write."""
    out = Path(out)
    existing = next((path for path in (out, *out.parents) if path.exists()), Path("."))
    if existing == out and not out.is_dir():
        raise OutputError(f"{out} : c'est un fichier, pas un dossier.")
    if not existing.is_dir():
        raise OutputError(f"{out} : {existing} est un fichier, pas un dossier.")
    # Tried, not only asked: the rights say yes to root, and nothing of a read-only disk or of /proc
    # (QA: « --out /proc/sortie » failed after the whole run). A folder of our own is made and removed
    # where the run will write first, nothing else is touched (QA: with « new/../E/sub », removing the
    # folders the path named took an existing one).
    try:
        tempfile.TemporaryDirectory(dir=existing).cleanup()
    except OSError as error:
        raise OutputError(f"{out} : écriture impossible dans {existing} ({os_error_reason(error)}).") from error


@dataclass(frozen=True)
class EarlierRun:
    """What a new run into a folder keeps of the last one there: the cluster of each idea (none is
    renumbered) and the axes analysts decided in its `ideas.csv` and `ideas.xlsx`: per idea
    (idea_id -> axis), and per text read with its theme for rows without an idea_id (a column an
    analyst deleted). `path` is the newer of the files read; `files`, those holding decisions."""

    path: Path
    cluster_ids: Mapping[str, str]
    decided_axes: Mapping[str, str] = field(default_factory=dict)
    modified: float = 0.0  # when the newer file was last written (seconds since the epoch)
    decided_texts: Mapping[str, str] = field(default_factory=dict)
    decided_where: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # idea_id -> (document, text)
    # idea_id -> axis of the rows marked document an analyst changed (the label left of another
    # axis): one that is not the report's placement now is their decision.
    stated_axes: Mapping[str, str] = field(default_factory=dict)
    # idea_id -> the axis of its label, on rows decided or marked document whose label is another
    # axis's than their axis column: which of the two the analyst changed is for the run to tell.
    relabelled_axes: Mapping[str, str] = field(default_factory=dict)
    # idea_id (or text, for `decided_texts`) -> when the file holding its decision was last written.
    written: Mapping[str, float] = field(default_factory=dict)
    # idea_id -> when it was marked undecided (« à revoir »): in the newer file (its time), or in a
    # sheet before it that the manifest remembers (`MARKED_TO_REVIEW`).
    withdrawn: Mapping[str, float] = field(default_factory=dict)
    unread: int = 0  # rows marked decided whose axis the workshop does not have
    files: tuple[Path, ...] = ()
    named: tuple[Path, ...] = ()  # the files whose decisions count (the newer, and the older for its own)
    # Columns an analyst added to the sheets (« commentaire »): column -> idea_id -> cell, written
    # again after the run's own columns.
    added_columns: Mapping[str, Mapping[str, AddedCell]] = field(default_factory=dict)
    # idea_id -> axis of the rows marked model: the model's proposal as written, or an analyst's
    # correction that did not mark the row review.
    proposed_axes: Mapping[str, str] = field(default_factory=dict)
    # (document, document_sha256) -> how many ideas of it the files hold, and the files read: a
    # run that does not read one of those documents copies them before it replaces them.
    documents: Mapping[tuple[str, str], int] = field(default_factory=dict)
    read_files: tuple[Path, ...] = ()
    # The state of `ideas.csv` and `ideas.xlsx` when they were read (`file_states`): a run finding them
    # changed when it writes keeps a copy (an analyst's edits saved meanwhile are not in what it read).
    states: Mapping[Path, tuple[int, int]] = field(default_factory=dict)
    # idea_id -> (document, text, theme) of every row: how the ideas are found again when the
    # numbers no longer hold their texts (`decisions.followed_ideas`).
    rows: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    # The manifest's entries of the documents whose rows were taken from a copy of an earlier run's sheet
    # (`ABSENT_DOCUMENTS`): name -> entry.
    restored: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def renumbered(self, ids: Mapping[str, str]) -> EarlierRun:
        """A copy in which what the sheets hold of each idea (cluster, decision, comment…) is held
        under `ids[its idea_id]`, the number of that idea now; an idea_id not in `ids` stays."""

        def under(mapping: Mapping[str, Any]) -> dict[str, Any]:
            return {ids.get(key, key): value for key, value in mapping.items()}

        return self._per_idea(under)

    def without_documents(self, names: Collection[str]) -> EarlierRun:
        """A copy without what the sheets hold of the ideas of the documents `names`."""
        ideas = {idea for idea, (document, _, _) in self.rows.items() if document in names}

        def other(mapping: Mapping[str, Any]) -> dict[str, Any]:
            return {key: value for key, value in mapping.items() if key not in ideas}

        return self._per_idea(
            other,
            documents={key: count for key, count in self.documents.items() if key[0] not in names},
            restored={name: entry for name, entry in self.restored.items() if name not in names},
        )

    def _per_idea(self, change: Callable[[Mapping[str, Any]], dict[str, Any]], **others: Any) -> EarlierRun:
        """A copy with `change` made to each mapping keyed by idea_id (and `others` replaced)."""
        return replace(
            self,
            cluster_ids=change(self.cluster_ids),
            decided_axes=change(self.decided_axes),
            decided_where=change(self.decided_where),
            stated_axes=change(self.stated_axes),
            relabelled_axes=change(self.relabelled_axes),
            written=change(self.written),
            withdrawn=change(self.withdrawn),
            added_columns={column: change(cells) for column, cells in self.added_columns.items()},
            proposed_axes=change(self.proposed_axes),
            rows=change(self.rows),
            **others,
        )

    def __str__(self) -> str:
        """The file(s) whose decisions count, as a message names them."""
        return " et ".join(map(str, self.named or (self.path,)))


def file_states(out: Path) -> dict[Path, tuple[int, int]]:
    """The time of last writing (ns) and the size of `ideas.csv` and `ideas.xlsx` in `out`, those there are."""
    states = {}
    for path in (Path(out) / IDEAS_CSV, Path(out) / IDEAS_XLSX):
        try:
            status = path.stat()
        except OSError:
            continue
        states[path] = (status.st_mtime_ns, status.st_size)
    return states


def changed_since(states: Mapping[Path, tuple[int, int]], out: Path) -> list[Path]:
    """The files of `file_states(out)` written since `states` were taken (or made since)."""
    return [path for path, state in file_states(out).items() if states.get(path) != state]


def keep_copy(path: Path, when: datetime) -> Path:
    """Copy `path` beside itself as `<name>.avant-<date>-<time><suffix>` (a run about to replace
    it would lose what it holds); the copy's path."""
    copy = path.with_name(f"{path.stem}.avant-{when:%Y%m%d-%H%M%S}{path.suffix}")
    shutil.copy2(path, copy)
    return copy


def earlier_cluster_ids(out: Path) -> dict[str, str]:
    """idea_id -> cluster_id of the run whose `ideas.csv` is in `out`, so that a new run there
    renumbers no cluster (`deduplicate_contributions` keeps the ids its records carry). Empty
    when there is no such file; an unreadable one is ignored (the run writes a new one)."""
    path = Path(out) / IDEAS_CSV
    if not path.is_file():
        return {}
    csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size + 1))
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return {
                row["idea_id"]: row["cluster_id"]
                for row in csv.DictReader(handle)
                if row.get("idea_id") and row.get("cluster_id")
            }
    except (OSError, UnicodeDecodeError, csv.Error, KeyError):
        return {}


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def run_lock(out: Path) -> Iterator[Path]:
    """Hold `LOCK_FILE` in `out` (made if needed) while a run reads and writes it: another run into the
    same folder, however its path is written, is refused (QA, a nightly job: two runs both ended « ok »,
    the second replacing the first's outputs). Inside the folder, not beside it: its parent may be
    another's, read-only (QA). The file is locked by the system (`flock`), which lets it go when its
    process ends however it ends: a run killed leaves no lock behind, and two runs that find its file
    cannot both take it (they could when a stale lock was told by its process number)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lock = out / LOCK_FILE
    while True:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 32).decode("ascii", "replace").strip()
            os.close(handle)
            named = f" (processus {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"{out} : une autre exécution d'atelier y écrit{named} ; relancez quand elle a fini."
            ) from None
        try:  # (the file another run removed as it ended, between our opening and our lock: open it again)
            if os.stat(lock).st_ino == os.fstat(handle).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode("ascii"))
        yield lock
    finally:
        lock.unlink(missing_ok=True)  # (before the lock is let go: a run waiting opens a new file)
        os.close(handle)


STAGING_PREFIX = ".atelier-ecriture-"
LOCK_FILE = ".atelier.lock"


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A folder inside `out` where a run writes its files before `move_into` puts them in `out` together
    (QA: a run killed while writing left new CSV files beside the last run's workbook, synthesis and
    manifest); a folder left by a run killed is removed."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{STAGING_PREFIX}*"):
        holder = stale.name.removeprefix(STAGING_PREFIX)
        if holder.isdigit() and not _running(int(holder)):
            shutil.rmtree(stale, ignore_errors=True)
    staging = out / f"{STAGING_PREFIX}{os.getpid()}"
    staging.mkdir(exist_ok=True)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def move_into(files: Sequence[Path], out: Path) -> list[Path]:
    """`files` moved into `out` (renamed on the same disk: each replaces its namesake at once); an
    `OutputError` before any is moved when a folder has the name of one (QA: the error named the run's
    temporary file, and the files before it in the list were replaced, those after it not)."""
    targets = [Path(out) / path.name for path in files]
    folders = [target for target in targets if target.is_dir()]
    if folders:
        raise OutputError(
            f"{folders[0]} est un dossier : le fichier de ce nom ne peut pas être écrit à sa place ; déplacez "
            "ce dossier ou choisissez un autre --out. Aucune sortie n'a été remplacée."
        )
    for path, target in zip(files, targets, strict=True):
        os.replace(path, target)
    return targets


def _running(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's: running)
        return True
    return True


def write_text_atomic(path: Path, text: str) -> Path:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8, comma-separated, no index."""
    with atomic_path(path) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as temporary:
        frame.to_parquet(temporary, index=False, engine="pyarrow")
    return path


def write_json(data: Mapping[str, Any], path: Path) -> Path:
    return write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


class WorkbookTooLarge(ValueError):
    """A table has more rows than an Excel sheet holds."""


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path, max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """An Excel workbook, one sheet per table, header row frozen and filterable. Every text stays
    text: nothing in it is read as a formula, a link or a number (a post-it opening with "=" or
    "-" shows as written, and cannot run a formula in the analyst's Excel). A text longer than a
    cell holds is cut and ends with "…" (the CSV and Parquet files keep it whole)."""
    import xlsxwriter

    for name, frame in sheets.items():
        if len(frame) + 1 > max_rows:
            raise WorkbookTooLarge(f"{len(frame)} lignes dans « {name} », plus qu'une feuille Excel n'en contient")
    options = {
        "constant_memory": True,  # rows streamed to disk: a large table does not sit in memory twice
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with atomic_path(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), options)
        try:
            header = workbook.add_format({"bold": True})
            date_formats = {kind: workbook.add_format({"num_format": shown}) for kind, shown in _DATE_FORMATS.items()}
            for name, frame in sheets.items():
                sheet = workbook.add_worksheet(name)
                for number, column in enumerate(frame.columns):
                    sheet.set_column(number, number, 60 if column in _WIDE_COLUMNS else 14)
                sheet.write_row(0, 0, list(frame.columns), header)
                dated = _date_columns(frame)
                for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
                    sheet.write_row(row_number, 0, [_cell(value) for value in row])
                    for number in dated:
                        kind = _date_kind(row[number])
                        if kind:
                            sheet.write_datetime(row_number, number, row[number], date_formats[kind])
                sheet.freeze_panes(1, 0)
                sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
        finally:
            workbook.close()
    return path


def cells_cut_in_workbook(frame: pd.DataFrame) -> int:
    """How many texts of `frame` a workbook cannot hold whole (`write_workbook` cuts them)."""
    return sum(
        isinstance(value, str) and len(value) > EXCEL_MAX_CELL_CHARACTERS
        for number in range(frame.shape[1])
        for value in frame.iloc[:, number].tolist()
    )


# How a workbook shows the dates and times of an analyst's workbook written back (French order).
_DATE_FORMATS = {"date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm", "time": "hh:mm"}


def _date_columns(frame: pd.DataFrame) -> list[int]:
    """The positions of the columns of `frame` that hold a date or a time (an analyst's workbook:
    the run's own columns hold none)."""
    return [number for number in range(frame.shape[1]) if any(map(_date_kind, frame.iloc[:, number].tolist()))]


def _date_kind(value: Any) -> str:
    """Which of `_DATE_FORMATS` a cell value is shown with ("" for no date or time)."""
    if isinstance(value, datetime):
        return "date" if value.time() == time() else "datetime"
    if isinstance(value, date):
        return "date"
    return "time" if isinstance(value, time) else ""


def _cell(value: Any) -> Any:
    """A table value as xlsxwriter writes it: Python scalars, None for a missing value."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        if len(value) > EXCEL_MAX_CELL_CHARACTERS:
            return value[: EXCEL_MAX_CELL_CHARACTERS - 1] + "…"
        return value
    return value.item() if hasattr(value, "item") else value


# ---------------------------------------------------------------- the files of a run


def with_added_columns(
    frame: pd.DataFrame, added: Mapping[str, Mapping[str, AddedCell]], typed: bool = False
) -> pd.DataFrame:
    """`frame` (of `ideas_frame`) with the columns an analyst added to the last run's sheets,
    each idea's cell found by its idea_id ("" for a new idea): as text, or `typed` for a workbook
    (the dates and numbers of an analyst's workbook stay so)."""
    if not added:
        return frame
    ids = frame["idea_id"].tolist()
    shown = (lambda cell: cell) if typed else cell_text
    extra = {
        column: [shown(cells.get(idea, "")) for idea in ids] for column, cells in added.items() if column not in frame
    }
    return pd.concat([frame, pd.DataFrame(extra, index=frame.index, dtype=object)], axis=1)


def write_ideas(
    contributions: Sequence[Contribution], out: Path, added: Mapping[str, Mapping[str, AddedCell]] | None = None
) -> tuple[Path, Path]:
    frame = with_added_columns(ideas_frame(contributions), added or {})
    return write_parquet(frame, Path(out) / IDEAS_PARQUET), write_csv(frame, Path(out) / IDEAS_CSV)


def write_details(contributions: Sequence[Contribution], out: Path) -> Path:
    return write_csv(details_frame(contributions), Path(out) / DETAILS_CSV)


def write_clusters(summaries: Sequence[ClusterSummary], out: Path) -> Path:
    return write_csv(clusters_frame(summaries), Path(out) / CLUSTERS_CSV)


def write_manifest(manifest: Mapping[str, Any], out: Path) -> Path:
    return write_json(manifest, Path(out) / MANIFEST_JSON)


def write_synthesis(html: str, out: Path) -> Path:
    return write_text_atomic(Path(out) / SYNTHESIS_HTML, html)


def write_synthesis_docx(document: DocxDocument, out: Path) -> Path:
    path = Path(out) / SYNTHESIS_DOCX
    with atomic_path(path) as temporary:
        document.save(str(temporary))
    return path


def write_run_workbook(
    contributions: Sequence[Contribution],
    summaries: Sequence[ClusterSummary],
    out: Path,
    added: Mapping[str, Mapping[str, AddedCell]] | None = None,
) -> Path:
    """`ideas.xlsx`: the ideas (with the columns an analyst `added`), their clusters and the
    sub-fields of the actions, one sheet each."""
    sheets = {
        IDEAS_SHEET: with_added_columns(ideas_frame(contributions), added or {}, typed=True),
        CLUSTERS_SHEET: clusters_frame(summaries),
        DETAILS_SHEET: details_frame(contributions),
    }
    return write_workbook(sheets, Path(out) / IDEAS_XLSX)


# ---------------------------------------------------------------- manifest


def _count(values: Iterable[str | None], keys: Iterable[str] = ()) -> dict[str, int]:
    counts = {key: 0 for key in keys}
    for value in values:
        key = value if value is not None else NO_AXIS_KEY
        counts[key] = counts.get(key, 0) + 1
    return counts


def document_entry(result: DocumentResult) -> dict[str, Any]:
    """The manifest's description of one input document."""
    return {
        "name": result.document,
        "path": readable_name(result.path),
        "sha256": result.sha256,
        "status": result.status,
        "pages": result.pages,
        "ideas": len(result.contributions),
        "error": result.error,
        "warnings": list(result.warnings),
        "statistics": dict(result.statistics),
    }


def build_manifest(
    *,
    version: str,
    workshop_id: str,
    workshop_title: str,
    axis_ids: Sequence[str],
    model: Mapping[str, Any],
    started_at: datetime,
    finished_at: datetime,
    timings: Mapping[str, float],
    documents: Sequence[DocumentResult],
    contributions: Sequence[Contribution],
    clusters: int,
    fillers: int = 0,
    to_review: Mapping[str, float] | None = None,
    copied: Mapping[str, str] | None = None,
    absent: Mapping[str, Mapping[str, Any]] | None = None,
    dedup: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a run read, with which model, how long each stage took, and what it found: the
    `contributions` are the ideas, the `fillers` the cells of forms that hold none (« RAS », « - »);
    `to_review`, the idea_ids an analyst marked « à revoir » that no one has decided since, with
    when they were marked (the next run in the folder keeps them so, unless a decision is learnt
    after); `copied`, idea_id -> axis of the copies of a decided idea
    given its axis (the next run tells them from the analysts' own decisions); `absent`, the documents
    of the runs before that this one did not read, and the copies that hold their rows (`ABSENT_DOCUMENTS`);
    `dedup`, the settings of deduplication the workshop file changed (QA: a run kept no trace of them)."""
    return {
        "atelier_version": version,
        "workshop": {"id": workshop_id, "title": workshop_title},
        "model": dict(model),
        "dedup_settings": dict(dedup or {}),
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished_at.isoformat(timespec="seconds"),
        "timings_seconds": {stage: round(seconds, 3) for stage, seconds in timings.items()},
        "counts": {
            "documents": len(documents),
            "documents_ok": sum(1 for d in documents if d.status == "ok"),
            "documents_error": sum(1 for d in documents if d.status == "error"),
            "documents_copies": sum(1 for d in documents if d.status == "copy"),
            "ideas": len(contributions),
            "ideas_per_kind": _count((c.kind for c in contributions), KINDS),
            "ideas_per_axis": _count((c.axis for c in contributions), axis_ids),
            "clusters": clusters,
            "fillers": fillers,
        },
        "documents": [document_entry(d) for d in documents],
        MARKED_TO_REVIEW: {idea: round(when, 3) for idea, when in sorted((to_review or {}).items())},
        DECISIONS_COPIED: dict(sorted((copied or {}).items())),
        ABSENT_DOCUMENTS: {name: dict(entry) for name, entry in sorted((absent or {}).items())},
    }
