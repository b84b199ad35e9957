"""Participants' names in the synthesis: how many the masking lets through, and how many lines it
masks wrongly, on corpora of invented post-its.

    .venv/bin/python bench/names.py            (writes bench/results/names.txt too)
    .venv/bin/python bench/names.py FILE...    (other corpora, held out: figures printed only)

Each corpus in bench/names/ has one post-it a line; a person's name to mask is in braces
(« {Sophie} », « {M. Durand} »: a title in them is not counted), lines opening with « # » are
comments. Every line is masked as the synthesis masks it: contacts, then the French model's
people (`people.recognised_people`), writers and the rules (`masking.masked_names`). A name is let
through when any of its words is still in the text; a line is masked wrongly when a word outside
braces is gone. Written by QA helpers, each
before the masking was run on it:
    a.txt  241 sentences, 125 names (2026-11-28); the rules of that day were drawn from it.
    b.txt  268 post-its, 154 names (2026-11-28), held out then; tuned on since.
    c.txt  272 post-its, 169 names (2026-11-29), held out then; tuned on since.
    d.txt  281 post-its, 169 names (2026-11-29), held out while the tagger's layer was built
           (its figure in the README); seen only as figures until it was committed here.
    q.txt  302 post-its, 120 names, 186 traps (2026-11-29), a regression hunt's own corpus.
    e.txt  285 post-its, 194 names (2026-11-29), held out while the lists of first names, the signatures
           and the lists of names were built (its figure in the README): measured once before, once after.
    r.txt  400 ordinary post-its, 71 names (2026-11-29), written not to trick the masking (a QA helper's
           estimate of how often it masks a word of a realistic post-it): at 92c3001 18 let through and no
           line masked wrongly, at 94db975 10 and none; the names it let through were then read, and rules
           added for six of them.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "names"
RESULTS = ROOT / "bench" / "results" / "names.txt"
_NAME = re.compile(r"\{([^}]*)\}")
_WORD = re.compile(r"\w+")
_TITLES = frozenset({"M", "Mme", "Dr", "Monsieur", "Madame"})
LONG_LIST = 50_000


def measure(path: Path, nlp) -> str:
    """The corpus' figures, then the names let through and lines masked wrongly by section."""
    from atelier.nlp.masking import masked_contacts, masked_names
    from atelier.nlp.people import recognised_people

    lines: list[str] = []
    sections: list[str] = []
    section = "-"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# @"):
            section = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            lines.append(line.rstrip("\n"))
            sections.append(section)
    texts = [masked_contacts(line.replace("{", "").replace("}", "")) for line in lines]
    mentions = recognised_people(texts, nlp)
    names = let_through = wrong = 0
    by_section: dict[str, list[int]] = {}  # section: [names, let through, lines, masked wrongly]
    for line, text, section in zip(lines, texts, sections, strict=True):
        shown = _WORD.findall(masked_names(text, mentions.get(text, ())))
        outside = _WORD.findall(_NAME.sub(" ", line))
        figures = by_section.setdefault(section, [0, 0, 0, 0])
        figures[2] += 1
        for name in _NAME.findall(line):
            words = [word for word in _WORD.findall(name) if word not in _TITLES]
            missed = any(shown.count(word) > outside.count(word) for word in words)
            names += 1
            let_through += missed
            figures[0] += 1
            figures[1] += missed
        masked_wrongly = any(shown.count(word) < outside.count(word) for word in set(outside))
        wrong += masked_wrongly
        figures[3] += masked_wrongly
    detail = ", ".join(
        f"{section} {missed}/{count}" + (f" ({masked} masked wrongly)" if masked else "")
        if count
        else f"{section} ({masked}/{total} masked wrongly)"
        for section, (count, missed, total, masked) in by_section.items()
        if count or masked
    )
    return (
        f"{path.name}: {len(lines)} lines, {names} names, let through {let_through} "
        f"({let_through / max(names, 1):.0%}), lines masked wrongly {wrong}\n  by section: {detail}"
    )


def long_lists(nlp) -> str:
    """Seconds the chain takes on one text of 50,000 characters, a list of names without a sentence's end (QA:
    each name of it read the rest of the text again, 71 s for « Dédé, »)."""
    from atelier.nlp.masking import masked_contacts, masked_names
    from atelier.nlp.people import recognised_people

    timings = []
    for unit in ("Dédé, ", "Sophie, ", "Oksana, "):
        text = (unit * (LONG_LIST // len(unit) + 1))[:LONG_LIST]
        start = time.perf_counter()
        contacts = masked_contacts(text)
        masked_names(contacts, recognised_people([contacts], nlp).get(contacts, ()))
        timings.append(f"« {unit.strip()} » {time.perf_counter() - start:.2f} s")
    return f"one text of {LONG_LIST:,} characters listing names: " + ", ".join(timings)


def main() -> None:
    from atelier.nlp.language import load_french

    nlp = load_french()
    given = [Path(argument) for argument in sys.argv[1:]]
    report = [f"bench/names.py — {datetime.now():%Y-%m-%d %H:%M} — Python {sys.version.split()[0]}"]
    for path in given or sorted(CORPORA.glob("*.txt")):
        report.append(measure(path, nlp))
        print(report[-1], flush=True)
    if given:  # a corpus held out elsewhere: its figures are not the committed ones
        return
    report.append(long_lists(nlp))
    print(report[-1], flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
