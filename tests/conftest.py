"""Shared fixtures. Keep this file small: fixtures used by several test modules only."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def french_nlp():
    """The French spaCy pipeline, loaded once per process and shared with the commands under test."""
    from atelier.flows.modeling import french

    return french()


# ---------------------------------------------------------------- flows (Prefect)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server and database for every flow run of the session. Its start may take
    longer than Prefect's 30 seconds on a fresh clone, where the server's modules are compiled first
    (CI: « Timed out while attempting to connect to ephemeral Prefect API server », 33 tests in error)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=PREFECT_SERVER_STARTUP_SECONDS):
        yield


PREFECT_SERVER_STARTUP_SECONDS = 180


# ---------------------------------------------------------------- hostile documents


@pytest.fixture(scope="session")
def bomb_pdf(tmp_path_factory):
    """A one-page PDF of 4.7 MB whose second content stream inflates to 1 GiB of spaces: what a
    hostile or broken file can make a parser hold in memory."""
    import zlib

    compressor = zlib.compressobj(1)
    spaces = b" " * (1 << 20)
    stream = b"".join(compressor.compress(spaces) for _ in range(1024)) + compressor.flush()
    text = b"BT /F1 12 Tf 72 720 Td (Bonjour) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R]"
        b" /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(text), text),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = tmp_path_factory.mktemp("hostile") / "bombe.pdf"
    path.write_bytes(bytes(pdf))
    return path
