"""Precision and recall of extraction against the generator's expected JSON, per kind and layout.

    .venv/bin/python bench/extract_quality.py

An item counts as found when an extracted item of the same kind has the same text after
whitespace normalisation (multiset matching: a repeated post-it must be found as often as it
is printed).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from atelier.extract.document import extract_document
from atelier.extract.records import KINDS

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected"


def normalise(text: str) -> str:
    return " ".join(text.split())


def scores(expected: Counter, found: Counter) -> tuple[float, float]:
    matched = sum((expected & found).values())
    precision = matched / sum(found.values()) if found else 1.0
    recall = matched / sum(expected.values()) if expected else 1.0
    return precision, recall


def main() -> None:
    print(f"{'document':45} {'kind':10} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}")
    for expected_path in sorted(EXPECTED.glob("*.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        source = ROOT / "data" / "raw" / expected["document"]
        if not source.exists():
            continue
        result = extract_document(source)
        for kind in (*KINDS, "all"):
            want = Counter(
                (item["kind"], normalise(item["text"])) for item in expected["items"] if kind in ("all", item["kind"])
            )
            got = Counter((c.kind, normalise(c.text)) for c in result.contributions if kind in ("all", c.kind))
            precision, recall = scores(want, got)
            print(
                f"{expected['document']:45} {kind:10} {sum(want.values()):8d} {sum(got.values()):6d}"
                f" {precision:9.3f} {recall:7.3f}"
            )


if __name__ == "__main__":
    main()
