"""The `atelier` command line (DESIGN.md, "The command line": names and options are a contract).

    atelier run [INPUT ...] [--workshop ID] [--out DIR]
    atelier classify IN.csv --out OUT.csv [--text-column text] [--workshop ID]
    atelier dedup IN.csv --out OUT.csv [--text-column text]
    atelier train [--workshop ID]        atelier evaluate [--workshop ID] [--labels CSV]

Messages are in French. Exit status: 0 on success (even when some inputs of a batch failed),
1 when nothing could be done (missing input, bad CSV, unknown workshop), 2 for usage errors.
Only `run` starts Prefect (imported on demand); the other commands call the functions directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

from atelier.flows.french import french_usage_error, speak_french

speak_french()  # before Typer is imported: it reads some of its headings then

import typer  # noqa: E402
from typer.core import TyperArgument, TyperCommand, TyperGroup  # noqa: E402
from typer.exceptions import TyperException  # noqa: E402
from typer.rich_utils import rich_format_error  # noqa: E402

from atelier.extract.records import DOCUMENT_SOURCE, MODEL_SOURCE, REVIEW_SOURCE
from atelier.extract.system import os_error_reason
from atelier.flows.decisions import (
    UNCLEAR_SOURCE,
    Decisions,
    changed_decisions_note,
    decided_axes,
    earlier_run,
    folded_cell,
    label_changed_not_axis,
    read_as_notes,
    relabelled_note,
    stale_labels_note,
    undecided_notes,
    without_contradictions,
)
from atelier.flows.messages import counted, examples, french_number, listed, most_frequent_first, quoted
from atelier.flows.tables import InputTable, column_cells, plain_cells

if TYPE_CHECKING:
    import pandas as pd
    import spacy

    from atelier.extract.records import Contribution, DocumentResult
    from atelier.flows.modeling import StoredDecision
    from atelier.nlp.axis_model import AxisModel
    from atelier.nlp.workshop import Workshop

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/processed")
DEFAULT_MODELS = Path("models")
DEFAULT_TEXT_COLUMN = "text"
KIND_NAMES = {"postit": ("post-it", "post-it"), "objective": ("objectif", "objectifs"), "action": ("action", "actions")}
HELP_OPTION_TEXT = "Affiche cette aide et quitte."


class _FrenchHelp:
    """The help option and the usage line, which Typer writes in English, in French; an argument
    named in French (ENTRÉE, IN.csv) without its Python type beside it (« <list[Path]> », « <path> »)."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperArgument) and param.metavar:
                param.display_type_rich = _no_type  # type: ignore[method-assign]
        return params

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = HELP_OPTION_TEXT, ""  # (a flag: no "<bool>")
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        usage = " ".join(pieces).replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]…")
        formatter.write_usage(ctx.command_path, usage, prefix="Usage : ")


def _no_type(ctx: Any) -> None:
    return None


class _FrenchCommand(_FrenchHelp, TyperCommand):
    pass


class _FrenchGroup(_FrenchHelp, TyperGroup):
    """The commands, whose usage errors Typer writes in English, said in French (`french_usage_error`)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except TyperException as error:  # (a usage error: the others are handled by Typer)
            english = error.format_message
            error.format_message = lambda: french_usage_error(english())  # type: ignore[method-assign]
            rich_format_error(error)  # type: ignore[arg-type]
            sys.exit(error.exit_code)
        except typer.Abort:
            _say("Interrompu.")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=_FrenchGroup,
    name="atelier",
    help="Extraction, classement par axe et dédoublonnage des contributions d'ateliers participatifs.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

WorkshopOption = Annotated[
    str | None,
    typer.Option(
        "--workshop",
        "-w",
        metavar="ATELIER",
        help="Identifiant d'un atelier fourni (ex. atelier6) ou chemin d'un fichier YAML. Par défaut : atelier6.",
    ),
]
ModelsOption = Annotated[
    Path,
    typer.Option(
        "--models", metavar="DOSSIER", help="Dossier des modèles entraînés (un sous-dossier par atelier)."
    ),
]
TextColumnOption = Annotated[
    str, typer.Option("--text-column", metavar="COLONNE", help="Nom de la colonne qui contient le texte des idées.")
]


def _at_least_two(folds: int) -> int:
    """Checked here rather than by `min=2`, which Click's help shows as « [x>=2] »."""
    if folds < 2:
        raise typer.BadParameter("au moins 2 attendu")
    return folds


DEFAULT_FOLDS = 5
FoldsOption = Annotated[
    int,
    typer.Option(
        "--folds", metavar="N", callback=_at_least_two, help="Nombre de plis de la validation croisée (au moins 2)."
    ),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(code=1)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _say_all(messages: Sequence[str]) -> None:
    for message in messages:
        _say(message)


def _training_message(texts: Sequence[str], unlabelled: Sequence[str]) -> str:
    pool = f" et {len(unlabelled)} idée(s) non étiquetée(s)" if unlabelled else ""
    return f"Entraînement du classifieur sur {len(texts)} texte(s) étiqueté(s){pool}…"


def _say_fold(fold: int, folds: int) -> None:
    _say(f"Validation croisée : pli {fold}/{folds}…")


def _say_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"atelier {version('atelier')}")
        raise typer.Exit()


@app.callback()
def main(
    context: typer.Context,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", metavar="", help="Affiche aussi les journaux détaillés de Prefect (avant la commande)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", metavar="", callback=_say_version, is_eager=True, help="Affiche la version et quitte."
        ),
    ] = False,
) -> None:
    """Extraction, classement par axe et dédoublonnage des contributions d'ateliers participatifs."""
    # Before Prefect is imported (only `run` imports it): no analytics, and no Prefect noise
    # hiding our French progress lines unless asked for.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # (QA: a failed run printed 70 lines of Prefect's tracebacks in English before its French error.)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "false")
    context.obj = {"verbose": verbose}


# ---------------------------------------------------------------- shared helpers


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """The environment variable `name` set to `value` while the block runs, then as it was."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _load_workshop(reference: str | None) -> Workshop:
    from atelier.nlp.workshop import WorkshopError, load_workshop

    try:
        return load_workshop(reference)
    except WorkshopError as error:
        _fail(str(error) + _single_dash_hint(reference, "w", "workshop"))


def _single_dash_hint(value: object, letter: str, option: str) -> str:
    """What to say of an option's value that is the rest of its long name after one dash (QA:
    « -workshop x » read as « -w orkshop »: « Atelier « orkshop » inconnu »)."""
    if value is not None and str(value) == option[1:]:
        return f" (« -{option} » est lu « -{letter} {option[1:]} » : écrivez --{option}, avec deux tirets.)"
    return ""


def _say_default_workshop(workshop: Workshop, reference: str | None) -> None:
    """Once the inputs are read: the workshop taken when --workshop is not given (QA: labels of
    another workshop were scored against the default's axes without a word)."""
    if reference is None:
        _say(f"Atelier par défaut : « {workshop.id} » ({workshop.title}) ; --workshop pour un autre.")


def _load_language() -> spacy.Language:
    from atelier.flows.modeling import french
    from atelier.nlp.language import LanguageModelError

    _say("Chargement du modèle de langue français…")
    try:
        return french()
    except LanguageModelError as error:
        _fail(str(error))


def _read_table(
    path: Path,
    text_column: str,
    hint: str = "Voir --text-column.",
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> InputTable:
    """The rows of an input CSV or workbook (`tables.read_table`), or a one-line French error."""
    from atelier.flows.tables import TableError, read_table

    try:
        table = read_table(path, text_column, hint, aliases)
    except TableError as error:
        _fail(str(error))
    for warning in table.warnings:
        typer.echo(f"Avertissement : {warning}", err=True)
    return table


# Names a spreadsheet gives the context columns, folded (`normalize_for_match`): "Thème", "Catégorie".
CONTEXT_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "document": ("document",),
    "category": ("category", "categorie", "rubrique"),
    "theme": ("theme", "thematique"),
    "objective": ("objective", "objectif"),
    "kind": ("kind",),
}


def _context_cells(frame: pd.DataFrame, name: str, text_column: str) -> list[str]:
    """`column_cells` of a context column (`CONTEXT_COLUMN_NAMES`), under our name or the one a French
    spreadsheet gives it ("Thème" was ignored without a word); never the text column itself."""
    from atelier.nlp.language import normalize_for_match

    if name not in frame.columns:
        wanted = CONTEXT_COLUMN_NAMES[name]
        found = next(
            (c for c in frame.columns if c != text_column and normalize_for_match(str(c)).strip() in wanted), None
        )
        if found is not None:
            _say(f"Colonne « {found} » lue comme « {name} ».")
            return column_cells(frame, found)
    return [""] * len(frame) if name == text_column else column_cells(frame, name)


def _probability(cell: str) -> float | None:
    """A cell read as a probability ("0.57", "0,57"); None if it is not one."""
    try:
        value = float(cell.replace(",", "."))
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def _as_contributions(
    frame: pd.DataFrame,
    text_column: str,
    source: Path,
    stated_axes: Sequence[str | None] | None = None,
    *,
    wordless: bool = False,
) -> tuple[list[int], list[Contribution]]:
    """The rows of a CSV that hold an idea (not blank, not `is_placeholder`: "NA", "-") as
    records, so that the pipeline's own rules apply to them; with `wordless`, also those written
    without a word (`is_wordless`: « ??? », « 2030 »), which classification flags. The `document`, `category` and
    `theme` columns, when the file has them (as `ideas.csv` does), are kept: an idea is then
    read with its theme and its theme's other ideas. A row with a stated axis (`decided_axes`:
    an analyst decided it, or the report states it) keeps it: classifying the file again
    proposes anew only the model's proposals."""
    from atelier.extract.records import Contribution
    from atelier.nlp.language import is_placeholder, is_wordless

    def context(name: str) -> list[str]:
        return _context_cells(frame, name, text_column)

    documents, categories, themes = context("document"), context("category"), plain_cells(context("theme"))
    stated = stated_axes if stated_axes is not None else [None] * len(frame)
    rows, records = [], []
    for position, text in enumerate(plain_cells(column_cells(frame, text_column))):
        if not text or (is_placeholder(text) and not (wordless and is_wordless(text))):
            continue
        rows.append(position)
        records.append(
            Contribution(
                idea_id=f"ligne-{position + 2}",
                document=documents[position] or source.name,
                document_sha256="",
                page=0,
                kind="postit",
                text=text,
                category=categories[position],
                theme=themes[position],
                stated_axis=stated[position],
            )
        )
    return rows, records


def _with_text(
    frame: pd.DataFrame,
    text_column: str,
    source: Path,
    stated_axes: Sequence[str | None] | None = None,
    *,
    wordless: bool = False,
) -> tuple[list[int], list[Contribution]]:
    """`_as_contributions`, or a one-line error when no row has a text."""
    rows, records = _as_contributions(frame, text_column, source, stated_axes, wordless=wordless)
    if not records:
        _fail(f"{source} : aucune ligne n'a de texte (ni d'idée) dans la colonne « {text_column} ».")
    _say_plain_texts(frame, text_column, rows, records, "", " ; la colonne du fichier écrit les garde telles quelles")
    return rows, records


def _say_plain_texts(
    frame: pd.DataFrame,
    text_column: str,
    rows: Sequence[int],
    records: Sequence[Contribution],
    where: str,
    tail: str = "",
) -> None:
    """Say how many of the records' texts were HTML cells read as plain text (`plain_cells`)."""
    cells = column_cells(frame, text_column)
    converted = sum(record.text != cells[row] for row, record in zip(rows, records, strict=True))
    if converted:
        _say(f"{converted} texte(s) en HTML{where} lu(s) comme texte brut (balises retirées, entités décodées){tail}.")


def _blank_rows_note(frame: pd.DataFrame, text_column: str, rows: Sequence[int], what: str) -> str:
    """The rows `_as_contributions` left out: without a text, or holding no idea ("NA", "-")."""
    if len(rows) == len(frame):
        return ""
    kept, cells = set(rows), column_cells(frame, text_column)
    fillers = sorted({cell for cell in plain_cells([c for p, c in enumerate(cells) if p not in kept]) if cell})
    shown = ", ".join(f"« {filler} »" for filler in fillers[:3]) + (", …" if len(fillers) > 3 else "")
    kinds = f"sans texte ou sans idée ({shown})" if fillers else "sans texte"
    return f" (et {len(frame) - len(rows)} ligne(s) {kinds}, {what}, gardée(s) telles quelles)"


LABELS_COLUMNS_HINT = (
    "Un fichier d'étiquettes a une colonne text (ou texte : l'idée) et une colonne axis (ou axe : son axe)."
)
# Headings a consultant's own file of labels gives its columns (folded, `normalize_for_match`).
LABELS_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("texte", "idee", "idees", "contribution", "proposition"),
    "axis": ("axe", "axes"),
}
# Spreadsheet formats a table cannot be written in (only .xlsx, or a CSV).
UNWRITABLE_TABLE_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods")


def _check_table_output(path: Path, source: Path) -> None:
    """Before any work: `path` can be written as a table (not a folder, not a spreadsheet format we
    do not write, in a folder that exists or can be made). Written over its input `source`, a CSV
    keeps every row and column (said); a workbook would lose its other sheets, its formatting and
    its formulas (refused)."""
    from atelier.flows.outputs import OutputError, check_output_directory

    if path.is_dir():
        _fail(f"{path} : c'est un dossier ; donnez un nom de fichier (.csv ou .xlsx).")
    if path.exists() and source.exists() and path.samefile(source):
        if path.suffix.lower() == ".xlsx":
            _fail(
                f"{path} : c'est le classeur d'entrée ; récrit, il perdrait ses autres feuilles, sa mise en forme "
                "et ses formules. Donnez un autre nom à --out."
            )
        replaced = "il est remplacé par le résultat (lignes et colonnes gardées)"
        _say(f"{path} : c'est aussi le fichier d'entrée ; {replaced}.")
    if path.suffix.lower() in UNWRITABLE_TABLE_SUFFIXES:
        _fail(f"{path} : format {path.suffix} non pris en charge en sortie ; demandez un classeur .xlsx ou un CSV.")
    try:
        check_output_directory(path.parent)
    except OutputError as error:
        _fail(str(error))


def _as_headed(frame: pd.DataFrame, table: InputTable, written: set[str]) -> pd.DataFrame:
    """`frame` with the input's columns headed as the file heads them (`InputTable.headings`)."""
    renamed = {name: heading for name, heading in table.headings.items() if name not in written}
    return frame.rename(columns=renamed) if renamed else frame


def _write_table(frame: pd.DataFrame, path: Path, table: InputTable, written: set[str]) -> None:
    """A CSV file, or an Excel workbook of one sheet when `path` ends with .xlsx. The CSV is the
    dataset's (UTF-8, commas): for a CSV that came from Excel, the workbook is suggested, which
    a French Excel opens in columns with its accents. In a workbook from a workbook, the input
    columns the command did not write (`written`) keep their cells' numbers and dates."""
    from atelier.flows.outputs import (
        EXCEL_MAX_CELL_CHARACTERS,
        IDEAS_SHEET,
        WorkbookTooLarge,
        cells_cut_in_workbook,
        write_csv,
        write_workbook,
    )

    try:
        if path.suffix.lower() == ".xlsx":
            if table.typed is not None:
                frame = frame.copy()
                for name in table.typed.columns:
                    if name not in written:
                        frame[name] = table.typed[name]
            frame = _as_headed(frame, table, written)
            write_workbook({IDEAS_SHEET: frame}, path)
            cut = cells_cut_in_workbook(frame)
            if cut:
                _say(
                    f"Avertissement : {cut} cellule(s) de plus de {EXCEL_MAX_CELL_CHARACTERS} caractères (la limite "
                    f"d'Excel) coupée(s) dans {path}, terminée(s) par « … » ; un CSV les garde entières : "
                    f"--out {path.with_suffix('.csv')}"
                )
        else:
            write_csv(_as_headed(frame, table, written), path)
            if table.from_excel:
                _say(
                    f"{path} est en UTF-8 séparé par des virgules ; pour l'ouvrir dans Excel, "
                    f"demandez un classeur : --out {path.with_suffix('.xlsx')}"
                )
    except WorkbookTooLarge as error:
        _fail(f"{path} : {error} ; écrivez un CSV à la place.")
    except OSError as error:
        _fail(f"{path} : écriture impossible ({os_error_reason(error)}).")


def _with_columns(frame: pd.DataFrame, columns: dict[str, list[object]]) -> pd.DataFrame:
    """Input rows plus `columns`: an input column of the same name is replaced where it stands,
    the others are added at the end."""
    result = frame.copy()
    for name, values in columns.items():
        result[name] = values
    return result


def _extract_training_documents(inputs: Sequence[Path], given: bool) -> list[DocumentResult]:
    """The reports of `inputs`, extracted; none read, or none found in inputs the user `given`,
    is an error (training on the workshop file alone, the saved model replaced, is not what was
    asked). An empty data/raw, the default, is not."""
    from atelier.flows.inputs import InputError, collect_inputs, extract_files

    try:
        paths = collect_inputs(inputs)
    except InputError as error:
        _fail(str(error))
    if given and not paths:
        _fail(f"aucun rapport PDF ou DOCX dans {', '.join(map(str, inputs))} : rien n'est entraîné.")
    results = extract_files(paths)
    for result in results:
        if result.status == "ok":
            _say(f"{result.document} : {len(result.contributions)} contribution(s), "
                 f"{sum(1 for c in result.contributions if c.stated_axis)} placée(s) par le document")
        else:  # (a copy of another input is no error: QA)
            _say(f"{result.document} : {'ignoré' if result.status == 'copy' else 'erreur'} — {result.error}")
    if results and not any(result.status == "ok" for result in results):
        _fail(
            f"aucun rapport n'a pu être lu ({len(results)} en erreur) : rien n'est entraîné, "
            "aucun modèle n'est remplacé."
        )
    return results


class _TrainingTexts(NamedTuple):
    texts: list[str]
    labels: list[str]
    unlabelled: list[str]
    unlabelled_groups: list[tuple[str, str, str] | None]


def _training_inputs(given: Sequence[Path] | None) -> list[Path]:
    """The reports whose placed ideas a model learns from: those given, else data/raw if it exists
    (a workshop file alone is enough to train: cold start)."""
    if given:
        return list(given)
    if DEFAULT_INPUT.is_dir():
        return [DEFAULT_INPUT]
    _say(f"Pas de dossier {DEFAULT_INPUT} ni d'option --input : apprentissage sur le fichier de l'atelier seul.")
    return []


def _training_data(
    workshop: Workshop, given: Sequence[Path] | None, decisions: Sequence[tuple[str, str]] = ()
) -> _TrainingTexts:
    """Labelled pairs (document-stated axes, analysts' `decisions`, the YAML's pseudo-examples)
    and the unlabelled ideas of the training documents with their theme groups (for self-training)."""
    from atelier.nlp.axis_data import training_set, unlabelled_texts, unlabelled_theme_groups
    from atelier.nlp.placement import place_by_headings

    documents = _extract_training_documents(_training_inputs(given), given=bool(given))
    contributions = [c for d in documents if d.status == "ok" for c in d.contributions]
    placement = place_by_headings(contributions, workshop)
    for note in placement.notes.values():
        _say(f"Avertissement : {note}")
    contributions = placement.contributions
    texts, labels = training_set(workshop, contributions, decisions)
    return _TrainingTexts(
        texts, labels, unlabelled_texts(workshop, contributions), unlabelled_theme_groups(workshop, contributions)
    )


class _Labels(NamedTuple):
    texts: list[str]  # each with its theme (`with_context`), as the model learns them
    axes: list[str]
    sources: list[str]  # per text: review (an analyst's decision) or document (the report's placement)
    dates: list[str]  # per text: its `decided_at` cell (rows of a decisions.csv put back), else ""
    items: tuple[Contribution, ...]  # the same rows as records, as `atelier classify` reads them
    proposals: int  # rows left out: the model's proposals (`axis_source` "model"), not decisions
    undecided: tuple[Contribution, ...] = ()  # the file's other ideas: a batch for self-training
    # Proposals whose axis is no longer the one of their axis_label: changed, their source left model.
    changed_proposals: tuple[str, ...] = ()
    without_axis: int = 0  # rows with a text and no axis (neither learnt nor evaluated)


def _decisions_not_given(learnt: Sequence[StoredDecision], path: Path, workshop: Workshop) -> list[str]:
    """A note when the run's `ideas.csv` at `path` holds analysts' decisions (`decided_axes`: rows marked review,
    « revu », « OK »…) that a training without --labels does not learn (QA: `atelier train` left 12 of them out
    without a word)."""
    import pandas as pd

    from atelier.nlp.axis_data import with_context

    if not path.is_file():
        return []
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return []
    if not {"text", "axis", "axis_source"} <= set(frame.columns):
        return []
    decided = decided_axes(frame, workshop, "text")
    known = {(folded_cell(decision.key), decision.axis) for decision in learnt}
    rows = zip(column_cells(frame, "text"), column_cells(frame, "theme"), decided.axes, decided.sources, strict=True)
    missing = sum(
        axis is not None and source == REVIEW_SOURCE and (folded_cell(with_context(text, theme)), axis) not in known
        for text, theme, axis, source in rows
    )
    if not missing:
        return []
    return [
        f"{missing} décision(s) d'analyste (axis_source « review ») de {path} ne sont pas apprises : un "
        f"entraînement ne les lit que données par --labels (atelier train --labels {path})."
    ]


def _read_labels(path: Path, workshop: Workshop) -> _Labels:
    """The `text` and `axis` columns of a labelled CSV; with a `theme` column (as `ideas.csv`),
    each text is read with its theme, as the pipeline reads ideas (`with_context`). Every row is a
    decision but those `decided_axes` leaves out: with an `axis_source` column (as `ideas.csv` /
    `ideas.xlsx` of a run), a row marked `model` is the model's proposal (an analyst marks a
    reviewed row `review`, or any word of theirs); a row whose axis the workshop lacks, or whose
    `axis_label` is no label of the workshop (a file of another workshop), is left out and said."""
    from atelier.nlp.axis_data import with_context

    table = _read_table(path, "text", LABELS_COLUMNS_HINT, LABELS_COLUMN_NAMES)
    frame = table.frame
    for ours in LABELS_COLUMN_NAMES:
        if ours in table.headings:
            _say(f"Colonne « {table.headings[ours]} » lue comme « {ours} ».")
    if "axis" not in frame.columns:
        columns = ", ".join(str(table.headings.get(name, name)) for name in frame.columns)
        _fail(f"{path} : colonne « axis » absente (colonnes présentes : {columns}). {LABELS_COLUMNS_HINT}")
    decisions = decided_axes(frame, workshop, "text")
    _say_all(read_as_notes(decisions, path, "laissée(s) de côté"))
    axes = decisions.read_axes
    rows, records = _as_contributions(frame, "text", path)
    _say_plain_texts(frame, "text", rows, records, f" de {path}")
    texts: list[str] = []
    kept_axes: list[str] = []
    kept_sources: list[str] = []
    kept_dates: list[str] = []
    dates = column_cells(frame, "decided_at")
    kept: list[Contribution] = []
    undecided: list[Contribution] = []  # the ideas of the file that are no decision
    proposals = mislabelled = without_axis = 0
    changed: list[str] = []
    labels = column_cells(frame, "axis_label")
    for position, record in zip(rows, records, strict=True):
        source, axis = decisions.sources[position], axes[position]
        if not axis or source == UNCLEAR_SOURCE:  # (a row without an axis is no label, nor "hors des axes")
            without_axis += not axis
        elif source == MODEL_SOURCE:
            proposals += 1
            if decisions.conflicts[position] == "stale":
                other = workshop.axis_labelled(labels[position])
                changed.append(f"{quoted(record.text)} : axe {axis}, libellé de l'axe {other}")
        elif decisions.conflicts[position] == "foreign":
            mislabelled += 1
        else:  # (an axis the workshop lacks is counted, and left out, by the command)
            texts.append(with_context(record.text, record.theme))
            kept_axes.append(axis)
            # (A report's row whose axis an analyst changed, its label left, is theirs.)
            stated = source == DOCUMENT_SOURCE and decisions.conflicts[position] != "stale"
            kept_sources.append(DOCUMENT_SOURCE if stated else REVIEW_SOURCE)
            kept_dates.append(dates[position])
            kept.append(record)
            continue
        undecided.append(record)
    if mislabelled:
        _say(
            f"Avertissement : {mislabelled} ligne(s) de {path} laissée(s) de côté : leur axis_label n'est le "
            f"libellé d'aucun axe de l'atelier « {workshop.id} ». Vérifiez --workshop."
        )
    if not any(axis in workshop.axis_ids for axis in kept_axes):
        if mislabelled:
            _fail(
                f"{path} : aucune ligne n'a un axe de l'atelier « {workshop.id} » ; ses libellés sont d'un autre atelier."
            )
        if proposals:
            _fail(
                f"{path} : ses {proposals} ligne(s) sont des propositions du modèle (axis_source = {MODEL_SOURCE}), "
                f"pas des décisions ; mettez « {REVIEW_SOURCE} » dans la colonne axis_source des lignes relues"
                + (f" (dont, changée(s) d'axe : {examples(changed)})." if changed else ".")
            )
        _fail(f"{path} : aucune ligne n'a un axe de l'atelier « {workshop.id} » ({', '.join(workshop.axis_ids)}).")
    return _Labels(
        texts,
        kept_axes,
        kept_sources,
        kept_dates,
        tuple(kept),
        proposals,
        tuple(undecided),
        tuple(changed),
        without_axis,
    )


def _proposals_note(labels: _Labels, path: Path, verb: str) -> None:
    if labels.proposals:
        _say(
            f"Avertissement : {labels.proposals} ligne(s) de {path} non {verb} : axe proposé par le modèle "
            f"(axis_source = {MODEL_SOURCE}), pas une décision. Pour compter une ligne relue, mettez "
            f"« {REVIEW_SOURCE} » dans sa colonne axis_source."
        )
    if labels.changed_proposals:  # (QA: corrections written in axis alone were left out without a word)
        _say(
            f"Avertissement : {len(labels.changed_proposals)} de ces ligne(s) ont un axe qui n'est plus celui de "
            f"leur axis_label ({examples(list(labels.changed_proposals))}) : corrigée(s) sans marquer axis_source ? "
            f"Mettez-y « {REVIEW_SOURCE} » pour qu'elles comptent."
        )


def _print_scores(report: dict, workshop: Workshop) -> None:
    macro_f1, accuracy = french_number(report["macro_f1"], 3), french_number(report["accuracy"], 3)
    typer.echo(f"F1 macro : {macro_f1}   exactitude : {accuracy}")
    id_width = max(5, *(len(axis_id) for axis_id in report["per_axis"]))
    typer.echo(f"{'axe':<{id_width}} {'précision':>9} {'rappel':>7} {'F1':>6} {'effectif':>8}  libellé")
    for axis_id, scores in report["per_axis"].items():
        typer.echo(
            f"{axis_id:<{id_width}} {french_number(scores['precision'], 3):>9} {french_number(scores['recall'], 3):>7} "
            f"{french_number(scores['f1'], 3):>6} "
            f"{scores['support']:>8}  {scores['label']}"
        )
    left_out = report.get("axes_not_evaluated") or {}
    if left_out:
        named = ", ".join(f"{axis_id} ({workshop.axis_label(axis_id)})" for axis_id in left_out)
        typer.echo(
            f"Non évalué{'s' if len(left_out) > 1 else ''}, une seule idée étiquetée (appris quand même) : "
            f"axe{'s' if len(left_out) > 1 else ''} {named}"
        )
    matrix = report["confusion_matrix"]
    if matrix["matrix"]:
        width = max(5, *(len(label) + 1 for label in matrix["labels"]))
        typer.echo("Matrice de confusion (lignes : axe attendu, colonnes : axe prédit)")
        typer.echo(" " * width + "".join(f"{label:>{width}}" for label in matrix["labels"]))
        for label, row in zip(matrix["labels"], matrix["matrix"], strict=False):
            typer.echo(f"{label:<{width}}" + "".join(f"{value:>{width}}" for value in row))
    calibration = report.get("calibration")
    if calibration:
        typer.echo(
            f"Calibration : erreur {french_number(calibration['expected_calibration_error'], 3)} ; "
            f"à revoir (confiance < {french_number(calibration['abstain_threshold'], 2)}) : "
            f"{french_number(100 * calibration['needs_review_share'])} % des idées"
            + (
                f", exactitude des autres : {french_number(calibration['accuracy_without_review'], 3)}"
                if calibration["accuracy_without_review"] is not None
                else ""
            )
        )


def _update_card(directory: Path, key: str, value: object) -> bool:
    """Add `value` under `key` in the card of the model saved in `directory`, if there is one."""
    from atelier.flows.modeling import CARD_FILE, write_card

    path = directory / CARD_FILE
    if not path.is_file():
        return False
    try:
        import json

        card = json.loads(path.read_text(encoding="utf-8"))
        card[key] = value
        write_card(card, directory)
    except (OSError, ValueError) as error:
        _say(f"{path} : fiche non mise à jour ({os_error_reason(error) if isinstance(error, OSError) else error}).")
        return False
    return True


@contextmanager
def _progress_to_stderr(verbose: bool) -> Iterator[None]:
    """Show the flow's French progress lines on stderr, once: with --verbose Prefect's run
    logger already shows them."""
    from atelier.flows.pipeline import PROGRESS_LOGGER

    logger = logging.getLogger(PROGRESS_LOGGER)
    handler: logging.Handler
    if verbose:
        handler = logging.NullHandler()
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


def _edited_labels(
    records: list[Contribution],
    rows: Sequence[int],
    decisions: Decisions,
    labels: Sequence[str],
    workshop: Workshop,
    model: AxisModel,
    nlp: spacy.Language,
    learnt: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str, str]]:
    """Decided rows whose axis_label names another axis than their axis column, when the axis
    column is where the model places the idea: the analyst changed the label, not the axis (QA:
    the model's axis became their decision). Their record and `decisions.axes` take the label's
    axis; returned as (text, the axis column, the label's axis). Not a row whose text the model
    learnt as a decision (`learnt`, (text, axis)): its axis column is a decision, as `atelier
    train` reads it; the model having learnt it places the idea there, and the label left as
    it was undid the analysts' corrections (QA)."""
    from atelier.nlp.axis_data import theme_group
    from atelier.nlp.classify import axes_decided_by_text, classify_contributions

    edited = [k for k, row in enumerate(rows) if decisions.conflicts[row] == "stale" and records[k].stated_axis]
    if not edited:
        return []
    decided = axes_decided_by_text([records[k] for k in edited], learnt)
    edited = [k for k, decision in zip(edited, decided, strict=True) if decision is None]
    if not edited:
        return []
    # Where the model places them as classify did, with their theme and its other ideas (QA: read
    # alone, an idea the model had put « hors axes » under its theme went where the analyst moved
    # it, and the label left as it was undid the correction). Only their themes' ideas are read:
    # no other idea changes where the model places them (the whole file was classified twice).
    undecided = set(edited)
    themes = {theme_group(records[k]) for k in edited} - {None}
    read = [k for k, record in enumerate(records) if k in undecided or theme_group(record) in themes]
    placed = classify_contributions(
        [dataclasses.replace(records[k], stated_axis=None) if k in undecided else records[k] for k in read],
        workshop,
        model,
        nlp,
    )
    proposals = dict(zip(read, placed, strict=True))
    relabelled = []
    for k in edited:
        axis, other = records[k].stated_axis, workshop.axis_labelled(labels[rows[k]])
        # (learnt_axis: the rows whose text the model learnt, in whichever axis, were left out above.)
        if other is not None and label_changed_not_axis(axis, other, proposals[k].axis, learnt_axis=None):
            records[k] = dataclasses.replace(records[k], stated_axis=other)
            decisions.axes[rows[k]] = other
            relabelled.append((records[k].text, str(axis), other))
    return relabelled


def _model_rows_moved_note(
    rows: Sequence[int], classified: Sequence[Contribution], decisions: Decisions, workshop: Workshop, path: Path
) -> list[str]:
    """What is said of the rows marked model in the file whose axis is not where the model places
    them now: an analyst's correction without review, or a model that changed (QA: 6 axes an
    analyst changed, the source left model, were put back without a word; `run` says it)."""
    known = set(workshop.axis_ids)
    moved = [
        f"{quoted(record.text)} : axe {decisions.read_axes[row]} dans le fichier, {record.axis} maintenant"
        for row, record in zip(rows, classified, strict=True)
        if decisions.sources[row] == MODEL_SOURCE
        and decisions.read_axes[row] in known
        and record.axis_source == MODEL_SOURCE
        and record.axis != decisions.read_axes[row]
    ]
    if not moved:
        return []
    return [
        f"Avertissement : {len(moved)} ligne(s) marquée(s) {MODEL_SOURCE} dans {path} y avaient un autre axe que "
        f"celui où le modèle les place maintenant ({examples(moved)}). Une correction s'écrit avec axis_source = "
        f"{REVIEW_SOURCE} ; si c'en était une, reprenez-la du fichier d'entrée."
    ]


# How a count names the ideas without an axis (an idea without a word, a filler of a form).
UNPLACED_NAME = "sans axe"


def _axis_name(axis: str, workshop: Workshop) -> str:
    """An axis as a count names it: « axe 2 », « hors axes (0) » for the workshop's out-of-scope class,
    « sans axe » for the ideas left without one (`aucun` in the manifest's counts)."""
    from atelier.flows.outputs import NO_AXIS_KEY

    if axis == NO_AXIS_KEY:
        return UNPLACED_NAME
    return f"hors axes ({axis})" if axis == workshop.out_of_scope_axis else f"axe {axis}"


def _format_counts(counts: dict[str, int]) -> str:
    return ", ".join(counted(n, *KIND_NAMES.get(kind, (kind, kind))) for kind, n in counts.items())


# ---------------------------------------------------------------- commands


@app.command(cls=_FrenchCommand)
def run(
    context: typer.Context,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="ENTRÉE", help="Fichiers PDF (ou DOCX) ou dossiers qui en contiennent. Par défaut : data/raw."
        ),
    ] = None,
    workshop: WorkshopOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DOSSIER", help="Dossier des résultats.")] = DEFAULT_OUT,
    models: ModelsOption = DEFAULT_MODELS,
) -> None:
    """Chaîne complète : extraction, classement par axe, dédoublonnage, jeu de données et synthèse."""
    from atelier.flows.inputs import InputError, collect_inputs
    from atelier.flows.outputs import OutputError, check_output_directory, run_lock

    given = list(inputs) if inputs else [DEFAULT_INPUT]
    config = _load_workshop(workshop)  # a bad --workshop or --out fails here, before Prefect starts
    try:
        check_output_directory(out)
        paths = collect_inputs(given)
    except (InputError, OutputError) as error:
        if not inputs and not DEFAULT_INPUT.exists():  # (QA: « data/raw : chemin introuvable », and nothing else)
            _fail(
                f"aucun rapport donné, et le dossier par défaut {DEFAULT_INPUT} n'est pas sous le dossier courant "
                f"({Path.cwd()}) : donnez les rapports, « atelier run RAPPORT.pdf » ou « atelier run DOSSIER »."
            )
        _fail(str(error) + _single_dash_hint(out, "o", "out"))
    if not paths:
        _fail(f"aucun fichier PDF ou DOCX trouvé dans {', '.join(map(str, given))}.")

    with contextlib.ExitStack() as held:
        # Prefect writes a failed run's exception, and the texts it may hold, to its result storage
        # (~/.prefect/storage, kept): here a folder of this run, removed at its end. Read when Prefect is
        # first imported, just below.
        if "PREFECT_RESULTS_LOCAL_STORAGE_PATH" not in os.environ:
            storage = held.enter_context(tempfile.TemporaryDirectory(prefix="atelier-prefect-"))
            held.enter_context(_environment("PREFECT_RESULTS_LOCAL_STORAGE_PATH", storage))
        from atelier.flows.pipeline import run_pipeline
        from atelier.nlp.axis_model import AxisModelError
        from atelier.nlp.language import LanguageModelError
        from atelier.nlp.workshop import WorkshopError

        try:  # (from the reading of the last run's sheets to the writing of the new ones)
            held.enter_context(run_lock(out))
        except (OutputError, OSError) as error:
            _fail(str(error) if isinstance(error, OutputError) else f"{out} : {os_error_reason(error)}")
        earlier, notes = earlier_run(out, config)
        _say_all(notes)
        try:
            with _progress_to_stderr(bool((context.obj or {}).get("verbose"))):
                summary = run_pipeline(
                    inputs=given,
                    out=out,
                    workshop=workshop,
                    models_dir=models,
                    earlier=earlier,
                )
        except (AxisModelError, LanguageModelError, WorkshopError, InputError, OutputError) as error:
            _fail(str(error))
        except OSError as error:
            _fail(f"{getattr(error, 'filename', None) or out} : {os_error_reason(error)}")

    if summary.files:
        typer.echo(f"Résultats écrits dans {summary.out} :")
    for file in summary.files:
        typer.echo(f"  {file}")
    where_told = " et dans manifest.json" if summary.files else ""
    ignored = counted(summary.documents_copies, "copie d'un autre ignorée", "copies d'un autre ignorées")
    copies = f", {ignored}" if summary.documents_copies else ""
    typer.echo(
        f"Documents : {counted(summary.documents_ok, 'lu')}, {summary.documents_error} en erreur{copies}"
        + (f" (détail ci-dessus{where_told})." if summary.documents_error or copies else ".")
    )
    if summary.ideas:
        typer.echo(f"Contributions : {summary.ideas} ({_format_counts(summary.ideas_per_kind)})")
        per_axis = ", ".join(f"{_axis_name(axis, config)} : {n}" for axis, n in summary.ideas_per_axis.items())
        typer.echo(f"Par axe : {per_axis}")
        typer.echo(f"Idées distinctes : {summary.clusters}")
        origin = "enregistré" if summary.model_origin == "saved" else "entraîné à la volée"
        typer.echo(f"Modèle d'axes ({origin}) : {summary.model_version}")
    if summary.fillers:
        typer.echo(
            f"Sans idée (remplissage de formulaire) : {len(summary.fillers)} case(s) "
            f"({listed(most_frequent_first(summary.fillers), 3, 'écritures')}), hors des comptes ci-dessus ; "
            "gardée(s) dans ideas.csv sans axe ni groupe."
        )
    if summary.documents_ok == 0:
        _fail("aucun document n'a pu être lu.")


@app.command(cls=_FrenchCommand)
def classify(
    input_csv: Annotated[
        Path, typer.Argument(metavar="IN.csv", readable=False, help="CSV (ou classeur .xlsx) d'idées à classer.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="OUT.csv", help="CSV écrit : lignes d'entrée + axe (classeur Excel si .xlsx)."
        ),
    ],
    text_column: TextColumnOption = DEFAULT_TEXT_COLUMN,
    workshop: WorkshopOption = None,
    models: ModelsOption = DEFAULT_MODELS,
) -> None:
    """Classe chaque ligne d'un CSV dans un axe de l'atelier (colonnes axis, axis_label,
    axis_source, axis_confidence, needs_review, axis_2, axis_2_confidence, axis_evidence)."""
    from atelier.flows.modeling import choose_model, no_saved_model_note
    from atelier.flows.outputs import EVIDENCE_SEPARATOR, shown_confidence
    from atelier.nlp.axis_model import AxisModelError
    from atelier.nlp.classify import classify_contributions, decided_by_analysts

    config = _load_workshop(workshop)
    _check_table_output(out, input_csv)
    table = _read_table(input_csv, text_column)
    frame = table.frame
    decisions = decided_axes(frame, config, text_column)
    rows, records = _with_text(frame, text_column, input_csv, decisions.axes, wordless=True)
    _say_all(  # (which of a row's axis and label an analyst changed is told once the model is there)
        undecided_notes(
            decisions._replace(stale_labels=[]),
            config,
            input_csv,
            f"classée(s) à nouveau par le modèle (axis_source = {MODEL_SOURCE})",
        )
    )
    kept = sum(record.stated_axis is not None for record in records)
    if kept:
        _say(
            f"{kept} ligne(s) gardent leur axe : décidé par un analyste ou par le document "
            f"(axis_source = {REVIEW_SOURCE} ou {DOCUMENT_SOURCE})."
        )
    _say_default_workshop(config, workshop)
    nlp = _load_language()
    try:
        # A saved model set aside (axes renumbered since) leaves its decisions, learnt and applied (QA:
        # after a renumbering, none of the 20 decisions was applied until « atelier train »).
        # (A row whose axis and label disagree is not learnt: the model tells which of them was changed.)
        unsure = {k for k, row in enumerate(rows) if decisions.conflicts[row] == "stale"}
        learnable = [dataclasses.replace(r, stated_axis=None) if k in unsure else r for k, r in enumerate(records)]
        choice = choose_model(config, learnable, nlp, models)
        model = choice.model
        if choice.note:
            _say(choice.note)
        if choice.origin != "saved":
            start = no_saved_model_note(config, models) if not choice.note else "Modèle enregistré écarté"
            _say(f"{start} : entraînement sur la configuration de l'atelier.")
        learnt = [(text, axis) for text, axis, _ in choice.decisions]
        labels = column_cells(frame, "axis_label")
        relabelled = _edited_labels(records, rows, decisions, labels, config, model, nlp, learnt)
        stale = [entry for entry in decisions.stale_labels if entry not in relabelled]
        _say_all([relabelled_note(relabelled, input_csv)] if relabelled else [])
        _say_all([stale_labels_note(stale, input_csv)] if stale else [])
        _say(f"Classement de {len(records)} idée(s)…")
        classified = classify_contributions(records, config, model, nlp)
    except AxisModelError as error:
        _fail(str(error))
    # The decisions the saved model learnt place the rows the file leaves to the model.
    open_rows = [index for index, record in enumerate(records) if record.stated_axis is None]
    decided_rows, by_analysts, moved = decided_by_analysts([classified[i] for i in open_rows], config, learnt)
    for index, item in zip(open_rows, decided_rows, strict=True):
        classified[index] = item
    if by_analysts:
        _say(
            f"{by_analysts} ligne(s) placée(s) comme l'ont décidé les analystes (décisions du modèle enregistré, "
            f"axis_source = {REVIEW_SOURCE}) ; le modèle, qui les a apprises, "
            + (f"en plaçait {moved} ailleurs." if moved else "les place là aussi.")
        )
    _say_all(_model_rows_moved_note(rows, classified, decisions, config, input_csv))

    size = len(frame)
    # Who placed each row: as the file says for a kept axis (review, in our word, or document),
    # the model for the others; a blank row keeps what it had.
    sources = column_cells(frame, "axis_source")
    for row, record in zip(rows, classified, strict=True):
        if decisions.axes[row] is None:
            sources[row] = record.axis_source or MODEL_SOURCE  # (review: placed by a saved decision)
        else:  # (a report's axis changed by an analyst is theirs)
            stale = decisions.conflicts[row] == "stale"
            sources[row] = REVIEW_SOURCE if stale else decisions.sources[row]
    columns: dict[str, list[object]] = {
        "axis": [""] * size,
        "axis_label": [""] * size,
        "axis_source": list(sources),
        "axis_confidence": [None] * size,
        "needs_review": [None] * size,
        "axis_2": [""] * size,
        "axis_2_confidence": [None] * size,
        "axis_evidence": [""] * size,
    }
    # The second axis a kept row has in the file (an analyst's, or a proposal they accepted) stays.
    kept_second, kept_second_confidence = column_cells(frame, "axis_2"), column_cells(frame, "axis_2_confidence")
    for row, record in zip(rows, classified, strict=True):
        columns["axis"][row] = record.axis or ""
        columns["axis_label"][row] = record.axis_label
        columns["axis_confidence"][row] = shown_confidence(record.axis_confidence)
        columns["needs_review"][row] = record.needs_review
        columns["axis_2"][row] = record.axis_2 or ""
        columns["axis_2_confidence"][row] = shown_confidence(record.axis_2_confidence)
        if record.axis_source != MODEL_SOURCE and kept_second[row]:
            columns["axis_2"][row] = kept_second[row]
            columns["axis_2_confidence"][row] = _probability(kept_second_confidence[row])
        columns["axis_evidence"][row] = EVIDENCE_SEPARATOR.join(record.axis_evidence)
    result = _with_columns(frame, columns)
    result["needs_review"] = result["needs_review"].astype("boolean")
    _write_table(result, out, table, set(columns))
    counts: dict[str, int] = {}
    for value in columns["axis"]:
        if value:
            counts[str(value)] = counts.get(str(value), 0) + 1
    per_axis = ", ".join(f"{_axis_name(a, config)} : {counts.get(a, 0)}" for a in config.axis_ids)
    unplaced = sum(1 for record in classified if record.axis is None)
    if unplaced:
        per_axis += f", {UNPLACED_NAME} : {unplaced}"
    flagged = sum(1 for value in columns["needs_review"] if value)
    parts = []  # (QA: « 80 ligne(s) placée(s) comme l'ont décidé les analystes », then « 80 classée(s) ».)
    if kept:
        parts.append(f"{kept} gardant leur axe")
    if by_analysts:
        parts.append(f"{by_analysts} placée(s) par les décisions apprises")
    placed = f" dont {' et '.join(parts)}" if parts else ""
    blank = _blank_rows_note(frame, text_column, rows, "non classée(s)")
    typer.echo(f"{len(classified)} ligne(s) classée(s){placed}{blank} avec le modèle {model.version} → {out}")
    typer.echo(f"Par axe : {per_axis}")
    typer.echo(_flagged_line(flagged, classified, config))


def _flagged_line(flagged: int, classified: Sequence[Contribution], workshop: Workshop) -> str:
    """How many ideas are to review, and why when not all for their confidence (QA: « confiance
    < 0.50 : 18 » counted 3 ideas at 0.84, flagged for their theme and words disagreeing; and the
    ideas without a word, left without an axis)."""
    threshold = workshop.settings.abstain_threshold
    unsure = sum(
        1
        for item in classified
        if item.needs_review and item.axis_confidence is not None and workshop.settings.is_unsure(item.axis_confidence)
    )
    if unsure == flagged:
        return f"À revoir (confiance < {french_number(threshold, 2)}) : {flagged}"
    unplaced = sum(1 for item in classified if item.needs_review and item.axis is None)
    reasons = [f"confiance < {french_number(threshold, 2)} : {unsure}"]
    if flagged - unsure - unplaced:
        reasons.append(
            f"{flagged - unsure - unplaced} plus sûre(s), mais dont le thème et les mots ne s'accordent pas sur "
            "« hors axes »"
        )
    if unplaced:
        reasons.append(f"{unplaced} sans mot, laissée(s) sans axe")
    return f"À revoir : {flagged} ({' ; '.join(reasons)})"


@app.command(cls=_FrenchCommand)
def dedup(
    input_csv: Annotated[
        Path, typer.Argument(metavar="IN.csv", readable=False, help="CSV (ou classeur .xlsx) d'idées à dédoublonner.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="OUT.csv", help="CSV écrit : lignes d'entrée + groupe (classeur Excel si .xlsx)."
        ),
    ],
    text_column: TextColumnOption = DEFAULT_TEXT_COLUMN,
    no_paraphrase: Annotated[
        bool,
        typer.Option(
            "--no-paraphrase",
            metavar="",
            help="Sans le modèle de langue : doublons exacts et quasi identiques seulement (plus rapide).",
        ),
    ] = False,
    workshop: Annotated[
        str | None,
        typer.Option(
            "--workshop",
            "-w",
            metavar="ATELIER",
            help="Atelier (identifiant ou fichier YAML) dont le bloc « dedup » règle les seuils et ajoute ses sigles. "
            "Par défaut : les réglages par défaut.",
        ),
    ] = None,
) -> None:
    """Regroupe les idées en double d'un CSV (colonnes cluster_id, canonical).

    Les colonnes kind et objective, si le CSV les a (ideas.csv d'`atelier run`), sont prises en
    compte : un objectif n'est jamais regroupé avec l'une de ses propres actions.
    """
    from atelier.extract.records import KINDS
    from atelier.nlp.dedup import deduplicate_contributions
    from atelier.nlp.dedup_settings import DedupSettings

    settings = _load_workshop(workshop).dedup if workshop is not None else DedupSettings()
    _check_table_output(out, input_csv)
    table = _read_table(input_csv, text_column)
    frame = table.frame
    rows, records = _with_text(frame, text_column, input_csv, wordless=True)
    # A kind and an objective (as ideas.csv has), and the cluster of an earlier run: kept if it can be.
    kinds, earlier = _context_cells(frame, "kind", text_column), column_cells(frame, "cluster_id")
    objectives = plain_cells(_context_cells(frame, "objective", text_column))
    records = [
        dataclasses.replace(
            record,
            kind=kinds[row] if kinds[row] in KINDS else record.kind,
            objective=objectives[row],
            cluster_id=earlier[row] or None,
        )
        for row, record in zip(rows, records, strict=True)
    ]
    if any(earlier[row] for row in rows):
        _say(f"{sum(1 for row in rows if earlier[row])} ligne(s) ont déjà un cluster_id : ces groupes le gardent.")
    nlp = None if no_paraphrase else _load_language()
    _say(f"Regroupement des doublons parmi {len(records)} idée(s)…")
    deduplicated = deduplicate_contributions(records, settings, nlp)
    cluster: list[object] = list(earlier)  # (a blank row keeps what it had)
    canonical: list[object] = [None] * len(frame)
    for row, record in zip(rows, deduplicated, strict=True):
        cluster[row] = record.cluster_id
        canonical[row] = record.canonical
    result = _with_columns(frame, {"cluster_id": cluster, "canonical": canonical})
    result["canonical"] = result["canonical"].astype("boolean")
    _write_table(result, out, table, {"cluster_id", "canonical"})
    distinct = len({record.cluster_id for record in deduplicated})
    blank = _blank_rows_note(frame, text_column, rows, "sans groupe")
    typer.echo(f"{len(deduplicated)} ligne(s){blank}, {distinct} idée(s) distincte(s) → {out}")


@app.command(cls=_FrenchCommand)
def train(
    workshop: WorkshopOption = None,
    input_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="RAPPORT",
            help="Rapports (PDF ou dossiers) dont les idées placées dans un axe servent d'exemples. "
            "Par défaut : data/raw s'il existe.",
        ),
    ] = None,
    models: ModelsOption = DEFAULT_MODELS,
    cross_validation: Annotated[
        bool,
        typer.Option(
            "--cv/--no-cv",
            metavar="",
            show_default=False,  # (QA: « [défaut : (--cv)] »)
            help="Mesure aussi le modèle par validation croisée (écrite dans la fiche) ; --no-cv pour s'en passer.",
        ),
    ] = True,
    folds: FoldsOption = DEFAULT_FOLDS,
    decisions_csv: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            metavar="CSV",
            readable=False,
            help="Décisions d'analystes, CSV ou classeur .xlsx (colonnes text, axis, ou texte, axe ; theme si "
            "présente), "
            "ajoutées aux exemples. Chaque ligne compte comme une décision : ne donnez que des lignes relues "
            "(une ligne dont axis_source vaut « model », proposée par le modèle, ne compte pas).",
        ),
    ] = None,
) -> None:
    """Entraîne le classifieur d'axes de l'atelier et l'enregistre dans models/<atelier>/."""
    from atelier.flows.modeling import (
        DECISIONS_FILE,
        StoredDecision,
        current_decisions,
        model_directory,
        read_decisions,
        save_axis_model,
    )
    from atelier.flows.outputs import OutputError, check_output_directory
    from atelier.nlp.axis_evaluation import cross_validate
    from atelier.nlp.axis_model import AxisModelError
    from atelier.nlp.axis_training import train_axis_model

    config = _load_workshop(workshop)
    directory = model_directory(config, models)
    try:  # (before the training: QA, a --models naming a file failed once the model was trained)
        check_output_directory(directory)
    except OutputError as error:
        _fail(f"{error} Le modèle ne pourrait pas y être enregistré.")
    decisions: list[StoredDecision] = []
    undecided: tuple[Contribution, ...] = ()  # the --labels file's other ideas
    left_out: list[StoredDecision] = []  # kept decisions of an axis the workshop no longer has
    if decisions_csv is None:
        # The decisions the model in place learnt (kept beside it): a retraining keeps them.
        decisions, left_out = _kept_decisions(config, directory)
        _say_all(_decisions_not_given(decisions, DEFAULT_OUT / "ideas.csv", config))
    else:
        read = _read_labels(decisions_csv, config)
        try:
            earlier = read_decisions(directory)
        except AxisModelError:
            earlier = []
        given = [
            StoredDecision(
                item.text.strip(), axis, config.axis_label(axis) if axis in config.axis_ids else "", source, date,
                " ".join(item.theme.split()),
            )
            for item, axis, source, date in zip(read.items, read.axes, read.sources, read.dates, strict=True)
        ]
        learnt_before = current_decisions(earlier, config).learnt
        decisions, notes = without_contradictions(given, decisions_csv, learnt_before)
        _say_all(notes)
        _say_all(changed_decisions_note(decisions, learnt_before, decisions_csv))
        # A decision learnt before keeps its date (a run weighs it against an edited sheet's), as one
        # given with its date (rows of a decisions.csv put back).
        since = {(folded_cell(d.key), d.axis): d.decided_at for d in learnt_before}
        now = datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")
        decisions = [
            d if d.timestamp() else d._replace(decided_at=since.get((folded_cell(d.key), d.axis), now))
            for d in decisions
        ]
        undecided = read.undecided
        reviewed = {folded_cell(d.key) for d in earlier if d.source == REVIEW_SOURCE}
        forgotten = len(reviewed - {folded_cell(d.key) for d in decisions})
        if forgotten:  # (the report's placements it had from a labels file are learnt from the reports)
            _say(
                f"Avertissement : {forgotten} décision(s) d'analystes apprise(s) par le modèle en place ne sont pas "
                f"dans {decisions_csv} : --labels les remplace, elles sont oubliées (pour les garder, ajoutez à ce "
                f"fichier les lignes de {directory / DECISIONS_FILE} avant d'entraîner)."
            )
        used = sum(d.axis in config.axis_ids for d in decisions)
        from_document = sum(d.axis in config.axis_ids and d.source == DOCUMENT_SOURCE for d in decisions)
        stated = f", dont {from_document} placée(s) par le document" if from_document else ""
        # (QA: the axes of the rows ignored were not named, as classify names them.)
        unknown = list(dict.fromkeys(d.axis for d in decisions if d.axis not in config.axis_ids))
        named = f" : axe(s) que l'atelier « {config.id} » n'a pas : {listed(unknown)}" if unknown else ""
        typer.echo(
            f"Décisions d'analystes : {used} ligne(s) de {decisions_csv} avec un axe de l'atelier "
            f"({len(decisions) - used} ignorée(s){named}){stated}."
        )
        _proposals_note(read, decisions_csv, "comptée(s)")
    texts, labels, unlabelled, groups = _training_data(config, input_paths, [(d.key, d.axis) for d in decisions])
    if undecided:
        # The file's ideas left to the model are a batch, as classify self-trains on its file's.
        from atelier.nlp.axis_data import unlabelled_texts, unlabelled_theme_groups

        unlabelled = [*unlabelled, *unlabelled_texts(config, undecided)]
        groups = [*groups, *unlabelled_theme_groups(config, undecided)]
    _say_default_workshop(config, workshop)
    nlp = _load_language()
    _say(_training_message(texts, unlabelled))
    try:
        model = train_axis_model(config, texts, labels, nlp, unlabelled=unlabelled, unlabelled_groups=groups)
    except AxisModelError as error:
        _fail(str(error))
    report = None
    if cross_validation:
        try:
            report = cross_validate(
                config, texts, labels, nlp, folds=folds, unlabelled=unlabelled, on_fold=_say_fold
            )
        except AxisModelError as error:
            _say(f"Validation croisée impossible : {error}")
    card = dict(model.card)
    if report is not None:
        card["cross_validation"] = report
    learnt = [d for d in decisions if d.axis in config.axis_ids]
    card["analyst_decisions"] = sum(d.source == REVIEW_SOURCE for d in learnt)
    card["document_placements"] = sum(d.source == DOCUMENT_SOURCE for d in learnt)
    try:
        save_axis_model(type(model)(pipeline=model.pipeline, card=card), directory, [*learnt, *left_out])
    except OSError as error:
        _fail(f"{directory} : écriture impossible ({os_error_reason(error)}).")
    typer.echo(f"Modèle {model.version} enregistré dans {directory}")
    typer.echo(f"Atelier : {config.id} – {config.title}")
    counts = card.get("n_training_texts", {})
    distinct = counts.get("labelled", 0) + counts.get("workshop", 0)
    given = card.get("n_examples", len(labels))
    repeated = f" ({given} avant le retrait des doublons)" if given != distinct else ""
    typer.echo(
        f"Exemples : {distinct} textes distincts{repeated}, dont {counts.get('labelled', 0)} idées étiquetées et "
        f"{counts.get('workshop', 0)} textes du YAML, plus {counts.get('self_training', 0)} idées "
        "par auto-apprentissage ; "
        f"calibré : {'oui' if card.get('calibrated') else 'non'} ; "
        f"{french_number(card.get('training_seconds', 0), 1)} s"
    )
    for axis_id, count in dict(card.get("n_examples_per_class", {})).items():
        typer.echo(f"  axe {axis_id} – {config.axis_label(axis_id)} : {count}")
    if report is not None:
        typer.echo(f"Validation croisée ({report['folds']} plis groupés, {report['n_examples']} idées) :")
        _print_scores(report, config)


def _kept_decisions(
    workshop: Workshop, directory: Path
) -> tuple[list[StoredDecision], list[StoredDecision]]:
    """The analysts' decisions kept beside the saved model (`models/<id>/decisions.csv`) under the
    workshop's axes as they are now, said on stdout, and those of an axis it no longer has."""
    from atelier.flows.modeling import DECISIONS_FILE, current_decisions, read_decisions
    from atelier.nlp.axis_model import AxisModelError

    try:
        kept = current_decisions(read_decisions(directory), workshop)
    except AxisModelError as error:
        _fail(f"{error} Donnez les décisions avec --labels, ou retirez ce fichier.")
    if kept.learnt or kept.left_out:
        notes = []
        stated = sum(decision.source == DOCUMENT_SOURCE for decision in kept.learnt)
        if stated:
            notes.append(f"dont {stated} placement(s) du compte-rendu, appris mais jamais appliqués comme décisions")
        if kept.relabelled:
            notes.append(f"{kept.relabelled} sous un axe renommé ou renuméroté depuis")
        if kept.left_out:
            notes.append(
                f"{len(kept.left_out)} d'un axe que l'atelier n'a plus, ignorée(s) mais gardée(s) dans ce fichier"
            )
        typer.echo(
            f"Décisions d'analystes : {len(kept.learnt)} reprise(s) de {directory / DECISIONS_FILE} "
            f"(celles du modèle en place{''.join(f' ; {note}' for note in notes)})."
        )
    return kept.learnt, kept.left_out


@app.command(cls=_FrenchCommand)
def evaluate(
    workshop: WorkshopOption = None,
    input_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="RAPPORT",
            help="Rapports dont les idées placées dans un axe sont évaluées. Par défaut : data/raw s'il existe.",
        ),
    ] = None,
    labels_csv: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            metavar="CSV",
            readable=False,
            help="CSV ou classeur .xlsx étiqueté (colonnes text, axis, ou texte, axe) : évalue le modèle enregistré "
            "(ou entraîné à la volée) sur ces lignes.",
        ),
    ] = None,
    folds: FoldsOption = DEFAULT_FOLDS,
    models: ModelsOption = DEFAULT_MODELS,
) -> None:
    """Évalue le classifieur : validation croisée groupée, ou un CSV étiqueté. Affiche le F1
    macro, la précision et le rappel par axe et la matrice de confusion ; les écrit dans la
    fiche du modèle enregistré."""
    from atelier.flows.modeling import CARD_FILE, load_saved_model, model_directory, no_saved_model_note
    from atelier.nlp.axis_evaluation import cross_validate, evaluate_placement
    from atelier.nlp.axis_model import AxisModelError
    from atelier.nlp.axis_training import train_axis_model

    config = _load_workshop(workshop)
    directory = model_directory(config, models)
    if labels_csv is None:
        # As `atelier train` measures it: the documents' placements and the decisions the saved
        # model learnt (evaluate said there were too few labelled ideas after a train on decisions).
        decisions, _ = _kept_decisions(config, directory)
        texts, labels, unlabelled, _ = _training_data(config, input_paths, [(d.key, d.axis) for d in decisions])
        _say_default_workshop(config, workshop)
        nlp = _load_language()
        try:
            report = cross_validate(config, texts, labels, nlp, folds=folds, unlabelled=unlabelled, on_fold=_say_fold)
        except AxisModelError as error:
            # (QA: run from another folder, no report was read, and nothing said how to give one.)
            _fail(f"{error} Donnez des rapports (--input RAPPORT ou DOSSIER) ou des décisions (--labels CSV).")
        by = f"les documents ou des analystes ({len(decisions)} décisions)" if decisions else "les documents"
        typer.echo(
            f"Validation croisée ({report['folds']} plis, groupés par texte quasi identique : {report['n_examples']} idées "
            f"placées par {by}, {report['n_groups']} groupes) – atelier {config.id}"
        )
        _print_scores(report, config)
        key = "cross_validation"
    else:
        read = _read_labels(labels_csv, config)
        test_texts, test_labels = read.texts, read.axes
        _proposals_note(read, labels_csv, "évaluée(s)")
        _say_default_workshop(config, workshop)
        nlp = _load_language()
        model, note = load_saved_model(config, models)
        if note:
            _say(note)
        saved = model is not None
        seen = 0  # rows the saved model learnt as decisions
        if saved:
            from atelier.flows.modeling import read_decisions

            try:
                learnt = {folded_cell(decision.key) for decision in read_decisions(directory)}
            except AxisModelError:
                learnt = set()
            seen = sum(folded_cell(text) in learnt for text in test_texts)
            if seen:
                _say(
                    f"Avertissement : {seen} ligne(s) de {labels_csv} sont des décisions que le modèle a apprises : "
                    "son score sur elles est optimiste (gardez des lignes à part pour l'évaluer)."
                )
        try:
            if model is None:
                start = no_saved_model_note(config, models) if not note else "Modèle enregistré écarté"
                _say(f"{start} : entraînement à la volée.")
                from atelier.nlp.axis_data import unlabelled_texts, unlabelled_theme_groups

                texts, labels, unlabelled, groups = _training_data(config, input_paths)
                # The file's ideas, labels hidden, self-train it as classify's self-train its model
                # (with their themes' groups, and the rows without a label: QA, the two disagreed).
                batch = [dataclasses.replace(item, stated_axis=None) for item in read.items] + list(read.undecided)
                model = train_axis_model(
                    config,
                    texts,
                    labels,
                    nlp,
                    unlabelled=[*unlabelled, *unlabelled_texts(config, batch)],
                    unlabelled_groups=[*groups, *unlabelled_theme_groups(config, batch)],
                )
            report = evaluate_placement(model, config, read.items, test_labels, nlp, batch=read.undecided)
        except AxisModelError as error:
            _fail(str(error))
        report["labels_file"] = labels_csv.name
        if seen:  # (the card keeps the score: it says what it is worth)
            report["learnt_rows"] = seen
            report["note"] = f"{seen} ligne(s) évaluée(s) sont des décisions apprises par le modèle : score optimiste."
        foreign = sorted({axis for axis in read.axes if axis not in config.axis_ids})
        typer.echo(
            f"Évaluation sur {labels_csv} ({report['n_examples']} lignes"
            + (
                f", {report['skipped_rows']} dont l'axe n'est aucun de ceux de l'atelier ignorée(s) : {listed(foreign)}"
                if report["skipped_rows"]
                else ""
            )
            + (f", {read.without_axis} sans axe non évaluée(s)" if read.without_axis else "")
            + f") – modèle {model.version}"
        )
        _print_scores(report, config)
        # (Ideas its theme and its own words place in and out of every axis are flagged whatever their confidence.)
        disagreeing = " ou thème et mots en désaccord sur « hors axes »" if config.out_of_scope_axis else ""
        typer.echo(
            f"À revoir (confiance < {french_number(config.settings.abstain_threshold, 2)}{disagreeing}) : "
            f"{report['needs_review']} ligne(s)"
            + (
                f" ; exactitude des autres : {french_number(report['accuracy_without_review'], 3)}"
                if report["accuracy_without_review"] is not None
                else ""
            )
        )
        key = f"evaluation:{labels_csv.name}"
        if not saved:
            return
    if _update_card(directory, key, report):
        typer.echo(f"Résultats écrits dans la fiche {directory / CARD_FILE}")


if __name__ == "__main__":  # pragma: no cover
    app()
