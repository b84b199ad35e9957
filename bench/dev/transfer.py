"""Development measure of transfer: train on a workshop's tables, place its session-1 post-its.

Each workshop under bench/dev/transfer/ is invented for development (see bench/dev/README.md):
`<id>.yaml` (written from the tables only), `<id>_tables.csv` (`axis,kind,objective,text`: the
objectives and actions the report places in an axis) and `<id>_postits.csv`
(`theme,text,axis,why,axis_2,why_2`: post-its under their session-1 themes, labelled by the
meaning of the axis titles, "0" for none; `axis_2` the second axis of a post-it on two axes,
labelled later by another annotator without any prediction). As in the Atelier 6 measure of
bench/classify.py: a model is trained on the tables and the YAML, self-trained on the post-its,
and the post-its are placed by `classify_contributions` (each read with its theme and with the
other post-its of its theme); macro-F1 over the post-its labelled in an axis, and how `axis_2`
finds the post-its on two axes.

    .venv/bin/python bench/dev/transfer.py            # every dev workshop, default settings
    .venv/bin/python bench/dev/transfer.py --sweep    # and the settings variants below
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DEV = Path(__file__).resolve().parent / "transfer"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def dev_contributions(workshop_id: str, workshop):
    """The tables (axis stated) and the post-its (no axis) of one dev workshop as Contributions,
    and the post-its' labels."""
    from atelier.extract.records import Contribution

    document = f"{workshop_id}.pdf"
    labels = {axis.id: axis.label for axis in workshop.axes}
    tables = [
        Contribution(
            idea_id=f"t{number}", document=document, document_sha256="0" * 64, page=2,
            kind=row["kind"], text=row["text"], category=f"AXE {row['axis']} : {labels[row['axis']]}",
            objective=row["objective"] if row["kind"] == "action" else "", stated_axis=row["axis"],
        )
        for number, row in enumerate(read_rows(DEV / f"{workshop_id}_tables.csv"))
    ]
    postit_rows = read_rows(DEV / f"{workshop_id}_postits.csv")
    postits = [
        Contribution(
            idea_id=f"p{number}", document=document, document_sha256="0" * 64, page=5, kind="postit",
            text=row["text"], category="Liste des post-it (session 1)", theme=row["theme"],
        )
        for number, row in enumerate(postit_rows)
    ]
    return tables, postits, [(row["axis"], row["axis_2"]) for row in postit_rows]


def measure(workshop, tables, postits, labels, nlp, settings) -> dict:
    from atelier.nlp.axis_data import training_set, unlabelled_texts, unlabelled_theme_groups
    from atelier.nlp.axis_evaluation import scores_report, second_axis_report
    from atelier.nlp.axis_training import train_axis_model
    from atelier.nlp.classify import classify_contributions

    batch = tables + postits
    model = train_axis_model(
        workshop, *training_set(workshop, tables), nlp, settings,
        unlabelled=unlabelled_texts(workshop, batch), unlabelled_groups=unlabelled_theme_groups(workshop, batch),
    )
    placed = classify_contributions(postits, workshop, model, nlp)
    expected = [axis for axis, _ in labels]
    scored = [(axis, item) for axis, item in zip(expected, placed, strict=True) if axis in workshop.axis_ids]
    report = scores_report(workshop, [axis for axis, _ in scored], [item.axis for _, item in scored])
    off_axis = [item for axis, item in zip(expected, placed, strict=True) if axis not in workshop.axis_ids]
    report["off_axis_flagged"] = (sum(bool(item.needs_review) for item in off_axis), len(off_axis))
    report["second_axis"] = second_axis_report(workshop, labels, [(item.axis, item.axis_2) for item in placed])
    return report


def variants():
    """(title, ClassifierSettings changes, workshop settings changes), the default first."""
    return [
        ("default", {}, {}),
        ("theme_context_weight 0", {}, {"theme_context_weight": 0.0}),
        ("theme_context_weight 0.25", {}, {"theme_context_weight": 0.25}),
        ("theme_context_weight 0.75", {}, {"theme_context_weight": 0.75}),
        ("C 1", {"C": 1.0}, {}),
        ("C 3", {"C": 3.0}, {}),
        ("C 30", {"C": 30.0}, {}),
        ("workshop_weight 2", {"workshop_weight": 2.0}, {}),
        ("workshop_weight 0.5", {"workshop_weight": 0.5}, {}),
        ("label_term_weight 2", {"label_term_weight": 2.0}, {}),
        ("vector_weight 2", {"vector_weight": 2.0}, {}),
        ("prototype_weight 2", {"prototype_weight": 2.0}, {}),
        ("lexicon_weight 2", {"lexicon_weight": 2.0}, {}),
        ("lexicon_weight 0.5", {"lexicon_weight": 0.5}, {}),
        ("self_training_rounds 0", {"self_training_rounds": 0}, {}),
        ("self_training_rounds 3", {"self_training_rounds": 3}, {}),
        ("self_training_fraction 0.9", {"self_training_fraction": 0.9}, {}),
        ("self_training_fraction 0.3", {"self_training_fraction": 0.3}, {}),
        ("self_training_weight 1", {"self_training_weight": 1.0}, {}),
        ("self_training_weight 0.25", {"self_training_weight": 0.25}, {}),
        ("self_training_balance predicted", {"self_training_balance": "predicted"}, {}),
        ("lemma_mode rule", {"lemma_mode": "rule"}, {}),
        ("word_ngram_range (1, 1)", {"word_ngram_range": (1, 1)}, {}),
        ("char_ngram_range (3, 5)", {"char_ngram_range": (3, 5)}, {}),
        ("char_ngram_range (2, 4)", {"char_ngram_range": (2, 4)}, {}),
        ("description_term_weight 1", {"description_term_weight": 1.0}, {}),
        ("example_term_weight 1", {"example_term_weight": 1.0}, {}),
        ("keyword_term_weight 2", {"keyword_term_weight": 2.0}, {}),
        ("lexicon_floor 0.3", {"lexicon_floor": 0.3}, {}),
        ("lexicon_floor 0.5", {"lexicon_floor": 0.5}, {}),
        ("sublinear_tf off", {"sublinear_tf": False}, {}),
        ("class_weight none", {"class_weight": None}, {}),
        ("second_axis_min_confidence 0.3", {}, {"second_axis_min_confidence": 0.3}),
        ("second_axis_min_confidence 0.2", {}, {"second_axis_min_confidence": 0.2}),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also measure the settings variants")
    parser.add_argument("--only", help="one dev workshop id")
    args = parser.parse_args(argv)

    from atelier.nlp.axis_settings import ClassifierSettings
    from atelier.nlp.language import load_french
    from atelier.nlp.workshop import load_workshop

    nlp = load_french()
    ids = [args.only] if args.only else sorted(p.stem for p in DEV.glob("*.yaml"))
    chosen = variants() if args.sweep else variants()[:1]
    totals: dict[str, list[float]] = {}
    for workshop_id in ids:
        base = load_workshop(DEV / f"{workshop_id}.yaml")
        tables, postits, labels = dev_contributions(workshop_id, base)
        scored = sum(axis in base.axis_ids for axis, _ in labels)
        print(f"== {workshop_id}: {len(tables)} table items, {len(postits)} post-its ({scored} in an axis)")
        for title, classifier_changes, workshop_changes in chosen:
            workshop = dataclasses.replace(base, settings=dataclasses.replace(base.settings, **workshop_changes))
            report = measure(workshop, tables, postits, labels, nlp, ClassifierSettings(**classifier_changes))
            totals.setdefault(title, []).append(report["macro_f1"])
            per_axis = "  ".join(
                f"{axis}: P {s['precision']:.2f} R {s['recall']:.2f}" for axis, s in report["per_axis"].items()
            )
            flagged, off = report["off_axis_flagged"]
            second = report["second_axis"]
            print(f"  {title:<40} macro-F1 {report['macro_f1']:.3f}  accuracy {report['accuracy']:.3f}  "
                  f"hors axes flagged {flagged}/{off}\n      {per_axis}\n"
                  f"      axis_2: both axes of {second['both_found']}/{second['two_axes']} post-its on two axes; "
                  f"given to {second['given']}/{second['ideas']}, naming a labelled axis {second['named_labelled']}")
    if len(ids) > 1:
        print("== mean macro-F1 over the dev workshops")
        for title, values in totals.items():
            print(f"  {title:<40} {sum(values) / len(values):.3f}")


if __name__ == "__main__":
    main()
