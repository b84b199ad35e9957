"""Speed and memory of extraction: full `extract_document` against a bare pdfplumber text pass.

    .venv/bin/python bench/extract.py [PDF ...]      (default: data/raw/*.pdf)
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pdfplumber

from atelier.extract.document import extract_document

ROOT = Path(__file__).resolve().parent.parent


def bare_pass(paths: list[Path]) -> tuple[int, float]:
    pages, start = 0, time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - start


def full_pass(paths: list[Path]) -> tuple[int, int, float]:
    pages = items = 0
    start = time.perf_counter()
    for path in paths:
        result = extract_document(path)
        pages += result.pages
        items += len(result.contributions)
    return pages, items, time.perf_counter() - start


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "data" / "raw").glob("*.pdf"))
    # Best of three alternating runs of each, so that neither pays alone for warming up.
    bare_runs, full_runs = [], []
    for _ in range(3):
        bare_runs.append(bare_pass(paths))
        full_runs.append(full_pass(paths))
    bare_pages, bare_seconds = min(bare_runs, key=lambda run: run[1])
    full_pages, items, full_seconds = min(full_runs, key=lambda run: run[2])
    bare_rate = bare_pages / bare_seconds
    full_rate = full_pages / full_seconds
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(paths)}, pages: {full_pages}, items: {items}")
    print(f"bare page.extract_text(): {bare_rate:.1f} pages/s")
    print(f"full extraction:          {full_rate:.1f} pages/s ({full_rate / bare_rate:.2f} of the bare pass; target >= 0.33)")
    print(f"peak memory (max RSS):    {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
