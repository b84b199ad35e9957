"""Reading untrusted documents in a process of their own, bounded in memory and in time.

A PDF of a few MB can hold compressed streams of many GB (a 2 MB one made pdfplumber take 4.1 GB
and 20 s; twelve MB would take the machine's 24 GB), and a damaged file can keep a parser busy
for ever: read in the run's own process, one such file would end or stall the whole batch.
`DocumentReader` keeps worker processes whose address space may each grow by `max_memory_bytes`
at most, and gives each document `document_timeout` seconds. A document that goes past either, or
that kills its worker, becomes an error result with its reason, and a new worker reads the next one.
Workers are forked from a "forkserver": a fresh interpreter, so they inherit none of Prefect's
threads, that imports the extractor once; each worker then starts without importing it again (a
second reader in one process read its first document in 0.08 s instead of 1.1–1.4 s, and its
workers stopped in 0.02 s instead of 0.5–0.7 s).
A script of one's own that runs a flow needs Python's `if __name__ == "__main__":` guard: the
forkserver imports the main module (the `atelier` command has it).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import queue
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from atelier.extract.records import DocumentResult
from atelier.extract.settings import ExtractionSettings

_CONTEXT = multiprocessing.get_context("forkserver")
_PRELOADED_MODULES = ["__main__", "atelier.extract.document"]
_STOP_SECONDS = 5.0  # given to a worker to leave on its own before it is killed


class DocumentReader:
    """Extracts documents (`extract_bytes`) in `settings.parallel_documents` worker processes, one
    document each at a time; `extract` may be called from several threads at once. A context
    manager: each worker starts with its first document and all stop on exit."""

    def __init__(self, settings: ExtractionSettings | None = None) -> None:
        self.settings = settings or ExtractionSettings()
        _CONTEXT.set_forkserver_preload(_PRELOADED_MODULES)  # (once the forkserver runs, it keeps its own)
        self._workers = [_Worker(self.settings) for _ in range(self.settings.parallel_documents)]
        self._free: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for worker in self._workers:
            self._free.put(worker)

    def __enter__(self) -> DocumentReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def extract(self, data: bytes, name: str, path: str) -> DocumentResult:
        """The document's result, or an error result saying which bound it went past."""
        worker = self._free.get()
        try:
            return worker.extract(data, name, path)
        finally:
            self._free.put(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()


class _Worker:
    """One worker process, started with the first document it is given."""

    def __init__(self, settings: ExtractionSettings) -> None:
        self.settings = settings
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def extract(self, data: bytes, name: str, path: str) -> DocumentResult:
        connection = self._running()
        try:
            connection.send((data, name, path))
            done = connection.poll(self.settings.document_timeout)
            outcome, value = connection.recv() if done else ("timeout", None)
        except (EOFError, OSError):  # the worker died: killed by the system, or crashed
            outcome, value = "died", None
        if outcome == "ok":
            return value
        code = None if outcome == "error" else self._stop(kill=outcome == "timeout")
        if outcome == "timeout":
            seconds = f"{self.settings.document_timeout:g}".replace(".", ",")
            reason = f"lecture interrompue après {seconds} s (document trop long à lire)"
        elif outcome == "memory":
            reason = f"document trop lourd à lire (plus de {_gigabytes(self.settings.max_memory_bytes)} de mémoire)"
        elif outcome == "error":
            reason = f"erreur inattendue pendant l'extraction ({value})"
        else:
            reason = f"la lecture de ce document s'est arrêtée net (code {code})"
        return DocumentResult(
            document=name, path=path, sha256=hashlib.sha256(data).hexdigest(), status="error", error=reason
        )

    def close(self) -> None:
        if self._process is not None and self._connection is not None:
            try:
                self._connection.send(None)
            except OSError:
                pass
        self._stop()

    def _running(self) -> Connection:
        if self._process is None or self._connection is None or not self._process.is_alive():
            self._stop()
            ours, theirs = _CONTEXT.Pipe()
            process = _CONTEXT.Process(target=_serve, args=(theirs, self.settings), daemon=True)
            try:
                process.start()
            finally:
                theirs.close()
            self._process, self._connection = process, ours
        return self._connection

    def _stop(self, kill: bool = False) -> int | None:
        """Stop the worker, at once if `kill`, else when it leaves (killed if not in time); its exit code."""
        process, self._process = self._process, None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if process is None:
            return None
        if not kill:
            process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
        process.join()
        return process.exitcode


def _serve(connection: Connection, settings: ExtractionSettings) -> None:
    """The worker: extract each document it is sent, until it is sent None."""
    from atelier.extract.document import extract_bytes  # before the bound: imports are not the document's

    _bound_memory(settings.max_memory_bytes)
    try:
        while (message := connection.recv()) is not None:
            data, name, path = message
            try:
                answer: tuple[str, object] = ("ok", extract_bytes(data, name, path, settings))
            except MemoryError:
                connection.send(("memory", None))
                return  # memory may be left in pieces: the next document gets a new worker
            except Exception as error:  # noqa: BLE001 - reported as the document's error
                answer = ("error", type(error).__name__)
            connection.send(answer)
    except (EOFError, OSError):  # the run has gone, or has given up on this document
        return


def _bound_memory(budget: int) -> None:
    """Let this process's address space grow by `budget` bytes at most (Linux; elsewhere, time is the only bound)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + budget if hard == resource.RLIM_INFINITY else min(size + budget, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _gigabytes(size: int) -> str:
    return f"{size / 1024**3:.3g} Go".replace(".", ",")
