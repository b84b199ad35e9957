"""Documents read in a worker process, bounded in memory and time (`flows.reader`), on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.extract.document import extract_document
from atelier.extract.settings import ExtractionSettings
from atelier.flows.inputs import extract_files
from atelier.flows.reader import DocumentReader

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.pdf"))
needs_samples = pytest.mark.skipif(not SAMPLES, reason="sample reports not generated yet (make samples)")
QUARTER_GIB = 256 * 1024 * 1024


@needs_samples
def test_a_document_past_the_memory_bound_is_an_error_and_the_next_one_is_read(bomb_pdf):
    sample = SAMPLES[0]
    with DocumentReader(ExtractionSettings(max_memory_bytes=QUARTER_GIB)) as reader:
        bomb = reader.extract(bomb_pdf.read_bytes(), bomb_pdf.name, str(bomb_pdf))
        report = reader.extract(sample.read_bytes(), sample.name, str(sample))
    assert (bomb.status, bomb.error) == ("error", "document trop lourd à lire (plus de 0,25 Go de mémoire)")
    assert bomb.document == "bombe.pdf" and len(bomb.sha256) == 64
    assert report.status == "ok"
    assert report.contributions == extract_document(sample).contributions


def test_a_document_past_the_time_bound_is_an_error(bomb_pdf):
    with DocumentReader(ExtractionSettings(document_timeout=0.5)) as reader:
        result = reader.extract(bomb_pdf.read_bytes(), bomb_pdf.name, str(bomb_pdf))
    assert (result.status, result.error) == ("error", "lecture interrompue après 0,5 s (document trop long à lire)")


def test_train_and_evaluate_read_their_reports_within_the_bounds(bomb_pdf, tmp_path):
    (tmp_path / "vide.pdf").write_bytes(b"")
    results = extract_files([bomb_pdf, tmp_path / "vide.pdf"], ExtractionSettings(max_memory_bytes=QUARTER_GIB))
    assert [(r.document, r.status, r.error) for r in results] == [
        ("bombe.pdf", "error", "document trop lourd à lire (plus de 0,25 Go de mémoire)"),
        ("vide.pdf", "error", "fichier vide (0 octet)"),
    ]
