"""Input files of a run: which files, their bytes, and what extraction makes of them.

Plain functions (no Prefect): the flow wraps them in tasks, `atelier train`/`evaluate` call them
directly. A bad document never raises here: it becomes a `DocumentResult` with status "error"
and a one-line French reason. The only exceptions are `InputError` (an input path that does not
exist: the user's mistake, reported before anything runs) and `TransientReadError` (an I/O
error worth retrying).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from atelier.extract.document import UnreadableDocument, extract_bytes, read_document_bytes
from atelier.extract.records import DocumentResult
from atelier.extract.settings import ExtractionSettings
from atelier.flows.reader import DocumentReader

PDF_SUFFIX = ".pdf"
DOCX_SUFFIX = ".docx"
SUPPORTED_SUFFIXES: tuple[str, ...] = (PDF_SUFFIX, DOCX_SUFFIX)
# Tables of ideas, which `run` does not read: `classify` and `dedup` do.
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods")
# OS errors that will not go away by trying again.
_PERMANENT_OS_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


class InputError(Exception):
    """An input path given by the user that cannot be used at all; the message is French."""


class TransientReadError(Exception):
    """Reading a file failed in a way that may succeed on a second try (I/O error)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """The bytes of one input file, or the reason they could not be read; `document` is the name
    the outputs give it (see `document_names`)."""

    path: Path
    data: bytes | None
    sha256: str = ""
    error: str = ""
    document: str = ""

    @property
    def name(self) -> str:
        return self.document or self.path.name


def collect_inputs(inputs: Iterable[Path]) -> list[Path]:
    """The files to read: each input is a file, or a folder whose *.pdf and *.docx files are taken.

    Folders are not searched recursively; hidden files are skipped; a file is listed once.
    Raises `InputError` if an input does not exist.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for given in inputs:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path} : chemin introuvable")
        if path.is_dir():
            found = sorted(
                (
                    child
                    for child in path.iterdir()
                    if child.is_file()
                    and not child.name.startswith(".")
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                ),
                key=lambda child: child.name,
            )
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def repeated_inputs(inputs: Iterable[Path]) -> list[str]:
    """A French note for each input given more than once (the same file or folder, however
    written, as `collect_inputs` tells them), which is read once."""
    times: Counter[Path] = Counter()
    written: dict[Path, Path] = {}
    for given in inputs:
        key = Path(given).resolve()
        times[key] += 1
        written.setdefault(key, Path(given))
    return [f"{written[key]} donné {count} fois : lu une fois." for key, count in times.items() if count > 1]


def readable_name(name: str) -> str:
    """A file's name or path as outputs and messages show it: bytes that are not UTF-8 (a name
    from an old share or archive, which Python keeps as surrogates no file can be written with)
    read as Windows-1252, and control characters (a line break, a terminal's escape) as « � »
    (QA: one such name stopped a whole batch; another cleared the terminal)."""
    if any("\udc80" <= character <= "\udcff" for character in name):  # (a byte that is not UTF-8, each)
        name = "".join(
            bytes([ord(character) - 0xDC00]).decode("cp1252", "replace")
            if "\udc80" <= character <= "\udcff"
            else character
            for character in name
        )
    return _CONTROLS.sub("\ufffd", name) if _CONTROLS.search(name) else name


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def document_names(paths: Sequence[Path]) -> list[str]:
    """The name each input goes by in the outputs: its file name, or, when several inputs share
    it ("session1/compte-rendu.pdf", "session2/compte-rendu.pdf"), the end of its path that tells
    it from the others."""
    parts = [Path(path).parts for path in paths]
    names = []
    for own in parts:
        depth = 1
        while depth < len(own) and sum(other[-depth:] == own[-depth:] for other in parts) > 1:
            depth += 1
        names.append(readable_name("/".join(own[-depth:])))
    return names


def read_input(path: Path, settings: ExtractionSettings | None = None, document: str = "") -> InputFile:
    """Read and hash one file (`document`: its name in the outputs, its file name by default).
    Raises `TransientReadError` only for errors worth a retry."""
    settings = settings or ExtractionSettings()
    document = document or readable_name(path.name)
    try:
        data = read_document_bytes(path, settings)
    except UnreadableDocument as error:
        cause = error.__cause__
        if isinstance(cause, OSError) and not isinstance(cause, _PERMANENT_OS_ERRORS):
            raise TransientReadError(f"{document} : {error}") from error
        return InputFile(path=path, data=None, error=str(error), document=document)
    return InputFile(path=path, data=data, sha256=hashlib.sha256(data).hexdigest(), document=document)


class Copies:
    """Which input of a batch first held each content: a later input with the same bytes is a copy,
    reported as such rather than read again (the same ideas, with the same ids, twice)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}  # the bytes' hash -> the name of the first input holding them

    def original_of(self, input_file: InputFile) -> str | None:
        """The earlier input `input_file` copies, if any; records it otherwise."""
        if input_file.data is None:
            return None
        first = self._first.setdefault(input_file.sha256, input_file.name)
        return None if first == input_file.name else first


def unreadable(input_file: InputFile, reason: str) -> DocumentResult:
    return DocumentResult(
        document=input_file.name, path=str(input_file.path), sha256=input_file.sha256, status="error", error=reason
    )


def extract_input(
    input_file: InputFile,
    settings: ExtractionSettings | None = None,
    duplicate_of: str | None = None,
    reader: DocumentReader | None = None,
) -> DocumentResult:
    """Extract the contributions of one read file; every failure becomes an error result.

    `duplicate_of` names a file of the batch with the same bytes, read earlier: this copy is
    reported instead of giving the same ideas (and the same idea ids) twice. With a `reader`, the
    document is read in its worker process, bounded in memory and time (what runs do); without,
    in this process.
    """
    settings = settings or ExtractionSettings()
    path, name = input_file.path, input_file.name
    if input_file.data is None:
        return unreadable(input_file, input_file.error or "fichier illisible")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return unreadable(
            input_file,
            f"format non pris en charge ({suffix or 'sans extension'}) : seuls les PDF et DOCX sont lus"
            + (" (un tableau d'idées se donne à atelier classify ou dedup)" if suffix in TABLE_SUFFIXES else ""),
        )
    if duplicate_of is not None:  # (not an error: QA, a nightly job's alert went off for a copy left in the folder)
        return replace(unreadable(input_file, f"contenu identique à {duplicate_of}, déjà lu"), status="copy")
    if reader is not None:
        return reader.extract(input_file.data, name, str(path))
    try:
        return extract_bytes(input_file.data, name, str(path), settings)
    except Exception as error:  # noqa: BLE001 - one bad document must never stop the batch
        return unreadable(input_file, f"erreur inattendue pendant l'extraction ({type(error).__name__})")


def extract_files(paths: Sequence[Path], settings: ExtractionSettings | None = None) -> list[DocumentResult]:
    """Read and extract files one after the other, each in a bounded worker process (`DocumentReader`),
    without Prefect (for `train` and `evaluate`)."""
    copies = Copies()
    results = []
    with DocumentReader(settings) as reader:
        for path, document in zip(paths, document_names(paths), strict=True):
            try:
                input_file = read_input(path, settings, document)
            except TransientReadError as error:
                input_file = InputFile(path=path, data=None, error=str(error.__cause__ or error), document=document)
            results.append(extract_input(input_file, settings, copies.original_of(input_file), reader))
    return results
