"""OCR of scanned reports: post-it recall, character accuracy and speed on a scan of the samples.

    .venv/bin/python bench/extract_ocr.py [PDF ...]    (default: data/raw/atelier6_cohesion_sociale.pdf)

Each PDF is rasterised at 200 dpi into an image-only PDF (a scan without text layer) in a
temporary folder, then extracted; its expected items are tests/expected/<stem>.json. A post-it
is recovered when some extracted item's text has a character similarity of at least 0.90 with
it (rapidfuzz ratio, whitespace normalised); the character accuracy of a post-it is its best
similarity, averaged over all expected post-its.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pdfplumber
from rapidfuzz import fuzz

from atelier.extract.document import extract_document

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_DIR = ROOT / "tests" / "expected"
SCAN_DPI = 200
RECOVERED = 0.90


def scan(source: Path, target: Path, dpi: int = SCAN_DPI) -> Path:
    with pdfplumber.open(source) as pdf:
        images = [page.to_image(resolution=dpi).original.convert("RGB") for page in pdf.pages]
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return target


def norm(text: str) -> str:
    return " ".join(text.split())


def report(source: Path, folder: Path) -> None:
    expected = json.loads((EXPECTED_DIR / f"{source.stem}.json").read_text(encoding="utf-8"))
    scanned = scan(source, folder / f"{source.stem}_scan.pdf")
    start = time.perf_counter()
    result = extract_document(scanned)
    seconds = time.perf_counter() - start
    texts = [norm(c.text) for c in result.contributions]
    postits = [norm(item["text"]) for item in expected["items"] if item["kind"] == "postit"]
    best = [max((fuzz.ratio(p, t) / 100 for t in texts), default=0.0) for p in postits]
    recall = sum(b >= RECOVERED for b in best) / len(postits)
    confidences = [c.ocr_confidence for c in result.contributions if c.ocr_confidence is not None]
    found = Counter(c.kind for c in result.contributions)
    wanted = Counter(item["kind"] for item in expected["items"])
    print(f"== {source.name} scanned at {SCAN_DPI} dpi: {result.status} {result.error}".rstrip())
    print(f"pages: {result.pages} (OCR {result.statistics.get('ocr_pages', 0)}), {seconds / max(result.pages, 1):.2f} s/page")
    print(f"post-its: {len(postits)} expected, recall {recall:.3f} (similarity >= {RECOVERED}), mean character accuracy {sum(best) / len(best):.4f}")
    print("items (found / expected): " + ", ".join(f"{kind} {found[kind]}/{wanted[kind]}" for kind in ("postit", "objective", "action")))
    if confidences:
        print(f"mean OCR confidence of items: {sum(confidences) / len(confidences):.3f}")
    for warning in result.warnings:
        print(f"warning: {warning}")


def main() -> None:
    sources = [Path(p) for p in sys.argv[1:]] or [ROOT / "data" / "raw" / "atelier6_cohesion_sociale.pdf"]
    with tempfile.TemporaryDirectory() as folder:
        for source in sources:
            report(source, Path(folder))


if __name__ == "__main__":
    main()
