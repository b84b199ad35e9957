"""The table a user gives `atelier classify`, `dedup`, `train --labels` and `evaluate --labels`:
a CSV or the first sheet of an Excel workbook, every cell as text, and nothing lost or shifted.

A CSV is read in the encoding and with the separator Excel writes: UTF-16 with its BOM
(« Texte Unicode », tabs), UTF-8 with or without a BOM, Windows-1252 (« CSV (séparateur :
point-virgule) »), line by line when a file mixes UTF-8 and Windows-1252 lines (two exports
pasted together). The separator is the one (comma, semicolon or tab) that splits the header
and the first rows into the same number of cells; a one-column file has none, so that commas
and semicolons inside its texts stay text. A row with more non-empty cells than the header is
refused with its line number: its cells cannot be told apart (Excel does not quote a comma in a
semicolon file), and reading it anyway would shift or drop them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atelier.extract.system import os_error_reason

if TYPE_CHECKING:
    import pandas as pd

CSV_DELIMITERS = ",;\t"
# The separator is chosen on the header and this many rows after it.
SNIFFED_ROWS = 50
SNIFFED_CHARACTERS = 1 << 16
# Characters an Excel cell holds (openpyxl reads a longer one cut there; a written one is cut).
EXCEL_MAX_CELL_CHARACTERS = 32_767
# An input workbook (.xlsx, a zip archive) is refused above this size once unpacked.
MAX_WORKBOOK_UNPACKED_BYTES = 256 * 1024 * 1024
# Cells of a sheet's extent (rows × columns) read at most (100,000 ideas of 25 columns are 2.5 million).
MAX_WORKBOOK_CELLS = 20_000_000
# Characters of one cell read at most: no contribution is longer (a cell of 10 million took 29 s and
# 3.5 GB to classify, one of 250 million in a 244 KB workbook did not end: QA).
MAX_CELL_CHARACTERS = 2_000_000
_DELIMITER_NAMES = {",": "virgule", ";": "point-virgule", "\t": "tabulation"}
# The csv module's reasons for a record it cannot read (strict: a stray quote is not read past).
_QUOTE_ERRORS = {
    "unexpected end of data": "guillemet ouvert jamais refermé",
    "expected after": "texte collé après un guillemet fermant ; doublez les guillemets d'un texte entre guillemets",
}


class TableError(ValueError):
    """An input table that cannot be read; the message is one French line naming the file."""


class EmptyTableError(TableError):
    """A table with its columns and no row."""


@dataclass(frozen=True)
class InputTable:
    frame: pd.DataFrame
    from_excel: bool  # a CSV that Excel wrote (semicolons, Windows-1252, UTF-16 or a BOM)
    warnings: tuple[str, ...] = ()
    # A workbook's cells as Excel typed them (numbers, dates), to be written back so; None for a CSV.
    typed: pd.DataFrame | None = None
    # The headings of the file where the frame's column names differ: an empty one (« Unnamed: 3 »), a
    # repeated one (« theme.1 »); written back as the file has them.
    headings: Mapping[str, str] = field(default_factory=dict)


def read_table(
    path: Path,
    text_column: str,
    hint: str = "Voir --text-column.",
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> InputTable:
    """The rows of an input CSV or workbook, every cell as text; `TableError` when the file is
    missing or unreadable, lacks `text_column` (the message ends with `hint`) or has no row.
    `aliases`: for a column of ours the file lacks, the headings (folded) it may have instead
    (« Texte », « Axe »): the one column so headed is read as ours, its heading kept in `headings`."""
    if not path.exists():
        raise TableError(f"{path} : fichier introuvable.")
    if not path.is_file():
        raise TableError(f"{path} : ce n'est pas un fichier.")
    warnings: list[str] = []
    typed = None
    if path.suffix.lower() == ".xlsx":
        typed, from_excel = _read_workbook(path, text_column), False
        typed = _without_blank_unnamed(typed)
        headings = typed.attrs.get(_HEADINGS, {})
        frame = typed.map(cell_text).astype(object)
        full = sum(
            isinstance(value, str) and len(value) == EXCEL_MAX_CELL_CHARACTERS
            for column in frame
            for value in frame[column]
        )
        if full:
            warnings.append(
                f"{path} : {full} cellule(s) de {EXCEL_MAX_CELL_CHARACTERS} caractères, la limite d'une cellule "
                "Excel : le texte y est peut-être coupé ; un export CSV le garde entier."
            )
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TableError(f"{path} : lecture impossible ({os_error_reason(error)}).") from error
        _refuse_other_formats(data, path)
        text, from_excel, legacy_lines, utf8_lines = decoded_text(data, path)
        if legacy_lines and not utf8_lines:
            warnings.append(f"{path} n'est pas en UTF-8 ; lu comme un export Excel (Windows-1252).")
        elif legacy_lines:
            warnings.append(
                f"{path} mêle UTF-8 et Windows-1252 : {legacy_lines} ligne(s) lue(s) en Windows-1252, "
                "les autres en UTF-8."
            )
        # Lines ended by "\r" alone (Excel for Mac's "CSV Macintosh") or mixed, read as lines.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        controls = sum(map(text.count, _CONTROL_CHARACTERS))
        if controls:  # a NUL glued two words together and took one out of the idea (QA)
            text = text.translate(_CONTROLS_AS_SPACES)
            warnings.append(f"{path} : {controls} caractère(s) de contrôle (NUL…) lu(s) comme des espaces.")
        delimiter = sniff_delimiter(text)
        from_excel = from_excel or delimiter == ";"
        frame = _without_blank_unnamed(_csv_frame(text, delimiter, path, text_column))
        headings = frame.attrs.get(_HEADINGS, {})
    renamed = _named_as_ours(frame, aliases or {})
    for ours, heading in _aliases_beside_ours(frame, aliases or {}):
        # (QA: a file with « text » and « Texte » was read by « text » without a word on « Texte ».)
        theirs = headings.get(heading, heading)
        warnings.append(f"{path} : colonnes « {ours} » et « {theirs} » : seule « {ours} » est lue.")
    if renamed:
        frame = frame.rename(columns=renamed)
        typed = typed.rename(columns=renamed) if typed is not None else None
        headings = {**headings, **{ours: headings.get(heading, heading) for heading, ours in renamed.items()}}
    if text_column not in frame.columns:
        columns = ", ".join(str(headings.get(name, name)) for name in frame.columns) or "aucune"
        # (QA: « --text-column texte » was refused beside a column « Texte », without a word on it.)
        alike = [str(c) for c in frame.columns if str(c).strip().casefold() == text_column.strip().casefold()]
        meant = f" Vouliez-vous dire « {alike[0]} » (les majuscules comptent) ?" if alike else ""
        text_aliases = (aliases or {}).get(text_column)
        candidates = [str(headings.get(name, name)) for name in frame.columns if _aliased(name, text_aliases)]
        if len(candidates) > 1:  # (QA: « Idée » and « Texte » both there, the file was refused without saying why)
            listed = ", ".join(candidates)
            meant = f" Plusieurs colonnes peuvent l'être ({listed}) : nommez « {text_column} » celle à lire."
        raise TableError(
            f"{path} : colonne « {text_column} » absente (colonnes présentes : {columns}).{meant} {hint}"
        )
    if frame.empty:
        raise EmptyTableError(f"{path} : aucune ligne à traiter.")
    _refuse_huge_cells(frame, path)
    return InputTable(frame, from_excel, tuple(warnings), typed, headings)


def _refuse_huge_cells(frame: pd.DataFrame, path: Path) -> None:
    """A `TableError` naming the first cell longer than `MAX_CELL_CHARACTERS` (its line in the file)."""
    for column in frame.columns:
        lengths = frame[column].map(len)
        if lengths.max() > MAX_CELL_CHARACTERS:
            row = int(lengths.to_numpy().argmax())
            limit = f"{MAX_CELL_CHARACTERS:,}".replace(",", " ")
            size = f"{int(lengths.iloc[row]):,}".replace(",", " ")
            raise TableError(
                f"{path} : ligne {row + 2}, colonne « {column} » : cellule de {size} caractères (limite {limit}) ; "
                "un texte si long n'est pas une contribution : coupez-le ou retirez-le."
            )


# Control characters no text means (tabulations and line ends aside; the unit separator too,
# as it separates the cells of a one-column file, `_csv_frame`).
_CONTROL_CHARACTERS = tuple(chr(code) for code in (*range(0, 9), 11, 12, *range(14, 31), 127))
_CONTROLS_AS_SPACES = str.maketrans(dict.fromkeys(_CONTROL_CHARACTERS, " "))


def decoded_text(data: bytes, path: Path) -> tuple[str, bool, int, int]:
    """The text of a CSV; whether Excel wrote it (UTF-16, a BOM or Windows-1252); and, for a file
    that is not UTF-8 throughout, how many of its lines were read as Windows-1252 and how many
    as UTF-8 (lines of plain ASCII are both, and counted in neither)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), True, 0, 0
        except UnicodeDecodeError as error:
            raise TableError(
                f"{path} : le fichier commence comme de l'UTF-16 mais ne se décode pas en UTF-16."
            ) from error
    try:
        return data.decode("utf-8-sig"), data.startswith(codecs.BOM_UTF8), 0, 0
    except UnicodeDecodeError:
        pass
    # No byte of a UTF-8 character is a line feed: each line is decoded on its own.
    lines: list[str] = []
    legacy = utf8 = 0
    for line in data.removeprefix(codecs.BOM_UTF8).split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("cp1252"))
            except UnicodeDecodeError as error:
                raise TableError(f"{path} : le fichier n'est encodé ni en UTF-8 ni en Windows-1252.") from error
            legacy += 1
    return "\n".join(lines), True, legacy, utf8


def sniff_delimiter(text: str) -> str | None:
    """The separator that splits the header into several cells and the first rows into as many
    (ties: the one giving more columns, then the order of `CSV_DELIMITERS`); None for a file of
    one column, whose texts may hold any of them. A separator found in the header alone, that
    splits no row, is text of a one-column header ("Idée (texte, libre)")."""
    sample = text[:SNIFFED_CHARACTERS]
    if len(sample) < len(text):  # the last record of the sample may be cut: left out
        sample = sample[: sample.rfind("\n") + 1] or sample
    best: tuple[tuple[int, int], str] | None = None
    for delimiter in CSV_DELIMITERS:
        records: list[list[str]] = []
        try:
            for record in csv.reader(io.StringIO(sample), delimiter=delimiter, strict=True):
                records.append(record)
                if len(records) > SNIFFED_ROWS:
                    break
        except csv.Error:
            pass  # judged on the records before a broken one (reading the file says where it is)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rows = [record for record in records[1:] if record]
        if rows and all(len(record) == 1 for record in rows):
            continue
        score = (sum(len(record) == width for record in rows), width)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else None


def _csv_frame(text: str, delimiter: str | None, path: Path, text_column: str) -> pd.DataFrame:
    """Every record of the CSV as a row of text cells. Blank lines are skipped; a short row is
    padded with empty cells; a row longer than the header is cut only if the cells past the
    header are empty (trailing separators), and refused otherwise. A header naming the text
    column twice is refused: which one holds the ideas cannot be told."""
    import pandas as pd

    # A cell may be as long as the file; the csv module's own limit is 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # A one-column file is read with a separator that no text holds (the unit separator, a
    # control character): only quotes are parsed.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or "\x1f", strict=True)
    start = 1  # line where the record being read starts
    try:
        header = next(reader, None)
        if header is None:
            raise TableError(f"{path} : fichier vide.")
        repeated = sum(name.strip() == text_column for name in header)
        if repeated > 1:
            raise TableError(f"{path} : la colonne « {text_column} » figure {repeated} fois dans l'en-tête.")
        width = len(header)
        rows: list[list[str]] = []
        start = reader.line_num + 1
        for record in reader:
            if not record:
                start = reader.line_num + 1
                continue
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    name = _DELIMITER_NAMES[delimiter] if delimiter else "séparateur"
                    raise TableError(
                        f"{path} : ligne {start}, {len(record)} cellules pour {width} colonne(s) "
                        f"d'en-tête (séparateur : {name}) ; mettez entre guillemets les textes qui "
                        "contiennent le séparateur, ou enregistrez le fichier en classeur Excel (.xlsx)."
                    )
                record = record[:width]
            elif len(record) < width:
                record += [""] * (width - len(record))
            rows.append(record)
            start = reader.line_num + 1
    except csv.Error as error:
        reason = next((text for known, text in _QUOTE_ERRORS.items() if known in str(error)), str(error))
        raise TableError(f"{path} : CSV illisible à la ligne {start} ({reason}).") from error
    return _with_header(pd.DataFrame(rows, dtype=str), header)


def _aliased(name: object, aliases: tuple[str, ...] | None) -> bool:
    """Whether a column headed `name` is headed by one of `aliases` (folded)."""
    from atelier.nlp.language import normalize_for_match

    return aliases is not None and normalize_for_match(str(name).strip()) in aliases


def _named_as_ours(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The columns of `frame` to read under our names: for each name of `aliases` the frame lacks,
    the one column headed by one of its aliases (none when two are)."""
    renamed: dict[str, str] = {}
    for ours, names in aliases.items():
        if ours in frame.columns:
            continue
        headed = [str(name) for name in frame.columns if _aliased(name, names)]
        if len(headed) == 1 and headed[0] not in renamed:
            renamed[headed[0]] = ours
    return renamed


def _aliases_beside_ours(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(our name, a column's name) for each column of `frame` headed by one of the aliases of a name the frame
    has (« Texte » beside « text »): it is not read as ours."""
    return [
        (ours, str(name))
        for ours, names in aliases.items()
        if ours in frame.columns
        for name in frame.columns
        if str(name) != ours and _aliased(name, names)
    ]


def _column_names(header: Sequence[str]) -> list[str]:
    """The header as pandas names it: an empty name is "Unnamed: <i>", a repeated one gets ".1",
    ".2"… (the first keeps its name)."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip() or f"Unnamed: {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


# Where a frame keeps the headings `_column_names` renamed (`frame.attrs`).
_HEADINGS = "atelier_headings"


def _with_header(frame: pd.DataFrame, header: Sequence[str]) -> pd.DataFrame:
    """`frame` with the columns `header` names (`_column_names`), the headings renamed kept in its
    attrs (QA: « theme » twice came back « theme » and « theme.1 », an empty one « Unnamed: 3 »)."""
    if frame.shape[1] < len(header):  # (a file of a header alone)
        for position in range(frame.shape[1], len(header)):
            frame[position] = ""
    names = _column_names(header)
    frame.columns = names
    frame.attrs[_HEADINGS] = {name: raw.strip() for name, raw in zip(names, header, strict=True) if name != raw.strip()}
    return frame


def _without_blank_unnamed(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without the columns that have neither a heading nor a cell (the separators Excel
    leaves at the end of each line of a CSV: they came back as « Unnamed: 3 », QA)."""
    headings = frame.attrs.get(_HEADINGS, {})
    blank = [
        name
        for name in frame.columns
        if headings.get(name) == "" and all(str(value).strip() == "" for value in frame[name].tolist())
    ]
    if not blank:
        return frame
    kept = frame.drop(columns=blank)
    kept.attrs[_HEADINGS] = {name: heading for name, heading in headings.items() if name not in blank}
    return kept


# The part that tells an Office file's kind, for a file renamed .xlsx.
_OFFICE_PARTS = {"word/document.xml": "un document Word", "ppt/presentation.xml": "une présentation PowerPoint"}


def _read_workbook(path: Path, text_column: str = "") -> pd.DataFrame:
    """The first sheet of an Excel workbook that has a `text_column` heading (the first sheet if
    none has: a sheet of notes an analyst put in front), its cells as openpyxl types them.
    Its size once unpacked is bounded first (a small .xlsx can unpack into gigabytes); openpyxl
    parses its XML through defusedxml."""
    import pandas as pd

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise TableError(f"{path} : ce n'est pas un classeur Excel (.xlsx) lisible.") from error
    if "xl/workbook.xml" not in names:
        other = next((kind for part, kind in _OFFICE_PARTS.items() if part in names), None)
        raise TableError(
            f"{path} : ce n'est pas un classeur Excel (.xlsx)" + (f", mais {other} renommé." if other else ".")
        )
    if unpacked > MAX_WORKBOOK_UNPACKED_BYTES:
        limit = MAX_WORKBOOK_UNPACKED_BYTES // (1024 * 1024)
        raise TableError(
            f"{path} : classeur trop gros une fois décompressé ({unpacked // (1024 * 1024)} Mo, limite {limit} Mo)."
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:
            sheets = workbook.worksheets
            sheet = sheets[0]
            if text_column and len(sheets) > 1:
                first_rows = [_sheet_cells(path, other, max_rows=1) for other in sheets]
                sheet = next(
                    (other for other, rows in zip(sheets, first_rows, strict=True)
                     if rows and text_column in (cell_text(value).strip() for value in rows[0])),
                    sheet,
                )  # fmt: skip
            frame = pd.DataFrame(_sheet_cells(path, sheet), dtype=object)
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed workbook fails in openpyxl in many ways
        raise TableError(f"{path} : classeur Excel illisible (fichier endommagé).") from error
    header = _sheet_header(frame)
    return _with_header(frame.iloc[1:].reset_index(drop=True), header)


def _sheet_cells(path: Path, sheet: Any, max_rows: int | None = None) -> list[list[object]]:
    """The rows of a read-only worksheet as pandas' openpyxl reader gives them (an empty cell "",
    an integral number an int, an error NaN, every row as wide as the widest, trailing empty rows
    and cells left out), `max_rows` at most. Its extent is found from its cells, not from what the
    file declares, and bounded: `MAX_WORKBOOK_CELLS` (QA: a 1.5 KB file with one cell in XFD1048576
    took 7.6 GB in pandas, every row filled to 16,384 columns)."""
    from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC

    sheet.reset_dimensions()  # (a declared extent may be wrong: found while reading)
    rows: list[list[object]] = []
    last, width = -1, 0
    for number, row in enumerate(sheet.rows):
        if max_rows is not None and number >= max_rows:
            break
        cells: list[object] = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append("")
            elif cell.data_type == TYPE_ERROR:
                cells.append(float("nan"))
            elif cell.data_type == TYPE_NUMERIC and not isinstance(value, bool):
                cells.append(int(value) if int(value) == value else float(value))
            else:
                cells.append(value)
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            last, width = number, max(width, len(cells))
            if (last + 1) * width > MAX_WORKBOOK_CELLS:
                limit = f"{MAX_WORKBOOK_CELLS:,}".replace(",", " ")
                raise TableError(
                    f"{path} : feuille « {sheet.title} » trop grande (au moins {last + 1} lignes × {width} colonnes ; "
                    f"limite {limit} cellules)."
                )
        rows.append(cells)
    return [cells + [""] * (width - len(cells)) for cells in rows[: last + 1]]


def _sheet_header(frame: pd.DataFrame) -> list[str]:
    """The first row of a sheet read without a header, as text (a number in a heading: « 2024 »)."""
    if frame.empty:
        return [] if frame.shape[1] == 0 else ["" for _ in range(frame.shape[1])]
    return [cell_text(value).strip() if value != "" else "" for value in frame.iloc[0].tolist()]


# A cell of a column an analyst added to a run's sheet: its text, or a workbook's date, time or number.
AddedCell = str | int | float | datetime.date | datetime.time


def cell_text(value: object) -> str:
    """A workbook cell as text: a date as written in ISO ("2025-03-02", with its time when it has
    one), not as Python prints a datetime ("2025-03-02 00:00:00")."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# The first bytes of files that are no table of ideas, and what they are (QA: a PDF was read as a CSV
# whose one column was « %PDF-1.4 », an .xls as text in an unknown encoding).
_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "un PDF : un rapport se lit avec atelier run"),
    (b"\xd0\xcf\x11\xe0", "un classeur Excel ancien (.xls) : enregistrez-le en .xlsx ou en CSV"),
    (b"PK\x03\x04", "une archive (document Word, classeur OpenDocument…) : enregistrez-la en .xlsx ou en CSV"),
)


def _refuse_other_formats(data: bytes, path: Path) -> None:
    """`TableError` for a file given as a CSV that is a PDF, an old Excel workbook or a zip archive."""
    for magic, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise TableError(f"{path} : ce n'est pas un tableau CSV mais {what}.")


def column_cells(frame: pd.DataFrame, name: str) -> list[str]:
    """The cells of a column, stripped ("" for every row when the file has no such column)."""
    import pandas as pd

    if name not in frame.columns:
        return [""] * len(frame)
    return ["" if pd.isna(value) else str(value).strip() for value in frame[name].tolist()]


def plain_cells(values: Sequence[str]) -> list[str]:
    """Cells as a reader saw them: the HTML of a web platform's export made plain text."""
    from atelier.extract.markup import plain_text

    return [plain_text(cell).strip() for cell in values]
