"""The Prefect flow `run_pipeline` (under `prefect_test_harness`) and its tasks (through `.fn`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest

from atelier.extract.records import Contribution, DocumentResult
from atelier.extract.settings import ExtractionSettings
from atelier.flows import outputs
from atelier.flows.inputs import InputError, InputFile, collect_inputs, document_names
from atelier.flows.modeling import choose_model, french, load_axis_model, model_directory, save_axis_model
from atelier.flows.pipeline import (
    RunSummary,
    deduplicate_task,
    extract_task,
    read_input_task,
    run_pipeline,
    set_apart_fillers,
)
from atelier.nlp.axis_data import training_set
from atelier.nlp.axis_training import train_axis_model
from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.workshop import load_workshop

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "raw").glob("*.pdf"))
EXPECTED = ROOT / "tests" / "expected"
needs_samples = pytest.mark.skipif(not SAMPLES, reason="sample reports not generated yet (make samples)")


@pytest.fixture(scope="session")
def saved_models(tmp_path_factory):
    """A models folder holding an Atelier 6 model trained on the workshop YAML alone (fast)."""
    workshop = load_workshop("atelier6")
    texts, labels = training_set(workshop, [])
    model = train_axis_model(workshop, texts, labels, french())
    root = tmp_path_factory.mktemp("models")
    save_axis_model(model, model_directory(workshop, root))
    return root, model.version


DOCX_OBJECTIVE = "Associer les habitants aux décisions"
DOCX_ACTION = "Organiser des conseils de quartier ouverts à tous"


def write_transcript(path: Path) -> None:
    """A small Word transcript: an axis heading and an objectives/actions table."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("AXE 3 : Comment faire participer les citoyens ?", level=1)
    table = document.add_table(rows=2, cols=2)
    for column, (header, text) in enumerate((("Objectifs", DOCX_OBJECTIVE), ("Actions", DOCX_ACTION))):
        table.cell(0, column).text = header
        table.cell(1, column).text = text
    document.save(path)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, prefect_harness, saved_models):
    """One run of the flow over copies of the sample reports, a Word transcript and a truncated PDF."""
    if not SAMPLES:
        pytest.skip("sample reports not generated yet (make samples)")
    reports = tmp_path_factory.mktemp("rapports")
    for sample in SAMPLES:
        shutil.copy(sample, reports / sample.name)
    write_transcript(reports / "transcription.docx")
    (reports / "zz_tronque.pdf").write_bytes(SAMPLES[0].read_bytes()[:3000])
    out = tmp_path_factory.mktemp("resultats")
    summary = run_pipeline(inputs=[reports], out=out, workshop="atelier6", models_dir=saved_models[0])
    return summary, out


# ---------------------------------------------------------------- plain functions and tasks


def test_collect_inputs_takes_pdf_and_docx_of_a_folder(tmp_path):
    for name in ("b.pdf", "a.PDF", "c.docx", "notes.txt", ".~lock.a.pdf"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sous-dossier").mkdir()
    (tmp_path / "sous-dossier" / "d.pdf").write_bytes(b"x")
    single = tmp_path / "notes.txt"
    found = collect_inputs([tmp_path, single, tmp_path / "b.pdf"])
    assert [p.name for p in found] == ["a.PDF", "b.pdf", "c.docx", "notes.txt"]


def test_inputs_sharing_a_file_name_go_by_the_end_of_their_path():
    paths = [Path(p) for p in ("s1/compte-rendu.pdf", "s2/compte-rendu.pdf", "s2/autre.pdf", "/a/x/r.pdf", "/b/x/r.pdf")]
    assert document_names(paths) == ["s1/compte-rendu.pdf", "s2/compte-rendu.pdf", "autre.pdf", "a/x/r.pdf", "b/x/r.pdf"]


def test_names_that_are_not_utf8_or_hold_control_characters_are_shown_readable():
    # QA: a Latin-1 name from an old share stopped the batch (its surrogates cannot be written), and a
    # name holding a terminal's escape cleared the screen when printed.
    names = [os.fsdecode(b"rapport_\xe9t\xe9.pdf"), "esc\x1b[2Jfin.pdf", "deux\nlignes.pdf", "accentué.pdf"]
    # (Its UTF-8 part kept as it is: QA, « réunion-été » came out « rÃ©union-été ».)
    names.append(os.fsdecode("réunion-".encode() + b"\xe9t\xe9.pdf"))
    assert document_names([Path(name) for name in names]) == [
        "rapport_été.pdf", "esc\ufffd[2Jfin.pdf", "deux\ufffdlignes.pdf", "accentué.pdf", "réunion-été.pdf"
    ]


def test_flow_tells_apart_two_reports_of_the_same_file_name(tmp_path, prefect_harness, saved_models):
    for session in ("session1", "session2"):
        (tmp_path / session).mkdir()
        write_transcript(tmp_path / session / "compte-rendu.docx")
    second = docx.Document(tmp_path / "session2" / "compte-rendu.docx")
    second.tables[0].cell(1, 1).text = "Ouvrir les conseils de quartier aux jeunes"
    second.save(tmp_path / "session2" / "compte-rendu.docx")
    out = tmp_path / "resultats"
    run_pipeline(
        inputs=[tmp_path / "session1", tmp_path / "session2"], out=out, workshop="atelier6", models_dir=saved_models[0]
    )
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    assert sorted(set(zip(ideas["document"], ideas["text"]))) == [
        ("session1/compte-rendu.docx", DOCX_OBJECTIVE),
        ("session1/compte-rendu.docx", DOCX_ACTION),
        ("session2/compte-rendu.docx", DOCX_OBJECTIVE),
        ("session2/compte-rendu.docx", "Ouvrir les conseils de quartier aux jeunes"),
    ]
    clusters = pd.read_csv(out / "clusters.csv", dtype=str, keep_default_na=False)
    (both,) = clusters.loc[clusters["canonical_text"] == DOCX_OBJECTIVE, "documents"]
    assert both == "session1/compte-rendu.docx;session2/compte-rendu.docx"


def test_a_run_into_the_folder_of_the_last_one_renumbers_no_cluster(tmp_path, prefect_harness, saved_models):
    # The nightly run: a new session brings a longer wording of an idea, which becomes its
    # canonical text; the cluster id, a hash of that text, changed for all its rows.
    for session in ("session1", "session2"):
        (tmp_path / session).mkdir()
        write_transcript(tmp_path / session / "compte-rendu.docx")
    longer = f"{DOCX_ACTION}, c'est une priorité"
    second = docx.Document(tmp_path / "session2" / "compte-rendu.docx")
    second.tables[0].cell(1, 1).text = longer
    second.save(tmp_path / "session2" / "compte-rendu.docx")

    def cluster_of(out: Path, text: str) -> str:
        ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
        (cluster,) = set(ideas.loc[ideas["text"] == text, "cluster_id"])
        return cluster

    def run(inputs: list[str], out: Path) -> None:
        run_pipeline(inputs=[tmp_path / i for i in inputs], out=out, workshop="atelier6", models_dir=saved_models[0])

    run(["session1"], tmp_path / "chaque-nuit")
    before = cluster_of(tmp_path / "chaque-nuit", DOCX_ACTION)
    run(["session1", "session2"], tmp_path / "chaque-nuit")
    assert cluster_of(tmp_path / "chaque-nuit", DOCX_ACTION) == cluster_of(tmp_path / "chaque-nuit", longer) == before
    run(["session1", "session2"], tmp_path / "a-neuf")  # no earlier run there: the id follows the new wording
    assert cluster_of(tmp_path / "a-neuf", DOCX_ACTION) == cluster_of(tmp_path / "a-neuf", longer) != before


def test_a_run_places_the_ideas_analysts_decided_as_they_decided(tmp_path, prefect_harness, saved_models):
    # QA: a decision the model learnt came back with the model's axis (its theme's other ideas
    # outvoted it), and one over the report's placement was never applied.
    (tmp_path / "rapports").mkdir()
    write_transcript(tmp_path / "rapports" / "compte-rendu.docx")  # the report places both ideas in axis 3
    models = tmp_path / "models"
    shutil.copytree(saved_models[0], models)
    workshop = load_workshop("atelier6")
    directory = model_directory(workshop, models)
    save_axis_model(load_axis_model(directory), directory, [(DOCX_ACTION.upper(), "5", workshop.axis_label("5"))])
    run_pipeline(inputs=[tmp_path / "rapports"], out=tmp_path / "out", workshop="atelier6", models_dir=models)
    ideas = pd.read_csv(tmp_path / "out" / "ideas.csv", dtype=str, keep_default_na=False).set_index("text")
    assert ideas.loc[DOCX_ACTION, ["axis", "axis_source", "axis_confidence"]].tolist() == ["5", "review", "1.0"]
    assert ideas.loc[DOCX_OBJECTIVE, ["axis", "axis_source"]].tolist() == ["3", "document"]


def test_flow_reads_a_copy_once_and_says_so(tmp_path, prefect_harness, saved_models):
    reports = tmp_path / "rapports"
    reports.mkdir()
    write_transcript(reports / "transcription.docx")
    shutil.copy(reports / "transcription.docx", reports / "copie.docx")
    out = tmp_path / "resultats"
    summary = run_pipeline(inputs=[reports], out=out, workshop="atelier6", models_dir=saved_models[0])
    assert [(d.name, d.status, d.error) for d in summary.documents] == [
        ("copie.docx", "ok", ""),
        ("transcription.docx", "copy", "contenu identique à copie.docx, déjà lu"),
    ]
    # A copy is no error (QA: a nightly job's alert on documents_error went off for a copy left in the folder).
    assert (summary.documents_ok, summary.documents_error, summary.documents_copies) == (1, 0, 1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["counts"]["documents_error"], manifest["counts"]["documents_copies"]) == (0, 1)
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    assert sorted(ideas["text"]) == sorted([DOCX_OBJECTIVE, DOCX_ACTION])


def test_collect_inputs_refuses_a_missing_path(tmp_path):
    with pytest.raises(InputError, match="absent.pdf : chemin introuvable"):
        collect_inputs([tmp_path / "absent.pdf"])


def test_read_task_hashes_the_bytes(tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(b"%PDF-1.4 contenu")
    read = read_input_task.fn(path)
    assert read.data == b"%PDF-1.4 contenu"
    assert read.sha256 == hashlib.sha256(b"%PDF-1.4 contenu").hexdigest()
    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")
    assert read_input_task.fn(empty).data is None
    assert "vide" in read_input_task.fn(empty).error


def test_only_reading_is_retried():
    assert read_input_task.retries == 2
    assert extract_task.retries == 0 and deduplicate_task.retries == 0


def test_extract_task_turns_bad_files_into_error_results(tmp_path):
    docx = InputFile(path=tmp_path / "compte-rendu.docx", data=b"PK\x03\x04", sha256="f" * 64)
    result = extract_task.fn(docx)
    assert (result.status, result.document) == ("error", "compte-rendu.docx")
    assert "Word" in result.error
    text = InputFile(path=tmp_path / "notes.txt", data=b"Notes", sha256="c" * 64)
    result = extract_task.fn(text)
    assert (result.status, result.sha256) == ("error", "c" * 64)
    assert "format non pris en charge (.txt)" in result.error
    # A table of ideas is pointed to the commands that read it (QA: run was given a CSV).
    table = InputFile(path=tmp_path / "idees.csv", data=b"text\nUne idee\n", sha256="b" * 64)
    assert "se donne à atelier classify ou dedup" in extract_task.fn(table).error
    not_pdf = InputFile(path=tmp_path / "note.pdf", data=b"Simple texte", sha256="e" * 64)
    assert "pas un PDF" in extract_task.fn(not_pdf).error
    copy = InputFile(path=tmp_path / "copie.pdf", data=b"%PDF-1.4", sha256="d" * 64)
    result = extract_task.fn(copy, duplicate_of="original.pdf")
    assert result.status == "copy" and "original.pdf" in result.error  # (a copy is no error)


@needs_samples
def test_extract_task_on_a_sample_report():
    sample = SAMPLES[0]
    result = extract_task.fn(read_input_task.fn(sample))
    assert result.status == "ok", result.error
    assert result.sha256 == hashlib.sha256(sample.read_bytes()).hexdigest()
    assert result.contributions and all(c.document == sample.name for c in result.contributions)


def test_a_form_s_fillers_are_set_apart_and_an_action_under_one_has_no_objective():
    # QA: « Objectif : N/A » headed an action in the synthesis, the filler of its objective cell kept.
    def record(n: int, kind: str, text: str, objective: str = "") -> Contribution:
        return Contribution(
            idea_id=f"i{n}", document="r.pdf", document_sha256="0" * 64, page=1, kind=kind, text=text,
            objective=objective,
        )

    records = (record(0, "objective", "N/A"), record(1, "action", "Créer une ressourcerie", "N/A"))
    records += (record(2, "objective", "Réduire les déchets"), record(3, "action", "Composter", "Réduire les déchets"))
    document = DocumentResult("r.pdf", "r/r.pdf", "0" * 64, "ok", pages=1, contributions=records)
    kept, fillers = set_apart_fillers(document)
    assert [(c.text, c.objective) for c in kept.contributions] == [
        ("Créer une ressourcerie", ""), ("Réduire les déchets", ""), ("Composter", "Réduire les déchets")
    ]  # fmt: skip
    assert [c.text for c in fillers] == ["N/A"] and kept.statistics["fillers"] == 1
    plain = DocumentResult("r.pdf", "r/r.pdf", "0" * 64, "ok", pages=1, contributions=records[2:])
    assert set_apart_fillers(plain) == (plain, [])


def test_deduplicate_task_clusters_and_summarises():
    texts = [
        "Créer une maison de santé pluridisciplinaire",
        "Créer une maison de santé pluri-disciplinaire",
        "Développer l'apprentissage",
    ]
    records = [
        Contribution(idea_id=f"i{n}", document="r.pdf", document_sha256="0" * 64, page=1, kind="postit", text=t)
        for n, t in enumerate(texts)
    ]
    deduplicated, clusters = deduplicate_task.fn(records, DedupSettings())
    assert deduplicated[0].cluster_id == deduplicated[1].cluster_id != deduplicated[2].cluster_id
    assert [c.size for c in clusters] == [2, 1]


def test_a_saved_model_for_other_axes_is_not_used(tmp_path, saved_models):
    """A user workshop that reuses the id `atelier6` with other axes gets a model of its own."""
    root, version = saved_models
    other = tmp_path / "atelier6.yaml"
    other.write_text(
        "id: atelier6\ntitle: Autre\naxes:\n"
        "  - {id: a, label: Vélo, description: Pistes cyclables et stationnement des vélos}\n"
        "  - {id: b, label: Bus, description: Lignes de bus et fréquence des passages}\n",
        encoding="utf-8",
    )
    workshop = load_workshop(other)
    choice = choose_model(workshop, [], french(), root)
    assert choice.origin == "trained" and choice.model.version != version
    assert "ne correspond pas aux axes" in choice.note
    same = choose_model(load_workshop("atelier6"), [], french(), root)
    assert (same.origin, same.model.version) == ("saved", version)
    # A model folder of another workshop copied under this one's id (QA: used, with a note saying
    # only that the axes' texts had changed).
    shutil.copytree(root / "atelier6", tmp_path / "models" / "mobilite")
    mobility = tmp_path / "mobilite.yaml"
    bundled = (ROOT / "src" / "atelier" / "workshops" / "atelier6.yaml").read_text(encoding="utf-8")  # same axes
    mobility.write_text(bundled.replace("id: atelier6", "id: mobilite", 1), encoding="utf-8")
    foreign = choose_model(load_workshop(mobility), [], french(), tmp_path / "models")
    assert foreign.origin == "trained"
    assert "est celui de l'atelier « atelier6 », pas de « mobilite »" in foreign.note


# ---------------------------------------------------------------- the flow


def test_flow_reports_bad_documents_and_still_writes_every_output(tmp_path, prefect_harness, bomb_pdf):
    reports = tmp_path / "rapports"
    reports.mkdir()
    (reports / "vide.pdf").write_bytes(b"")
    (reports / "texte.pdf").write_text("Compte-rendu de l'atelier, en texte brut.", encoding="utf-8")
    (reports / "session2.docx").write_bytes(b"PK\x03\x04 pas vraiment un docx")
    shutil.copy(bomb_pdf, reports / bomb_pdf.name)
    (tmp_path / "notes.txt").write_text("Notes de séance", encoding="utf-8")
    out = tmp_path / "resultats"
    bundled = (ROOT / "src" / "atelier" / "workshops" / "atelier6.yaml").read_text(encoding="utf-8")
    workshop = tmp_path / "atelier6.yaml"  # (with settings of deduplication: the manifest keeps them, QA)
    block = "\ndedup:\n  near_threshold: 85\n  abbreviations:\n    PDIE: plan de déplacements\n"
    workshop.write_text(bundled + block, encoding="utf-8")
    summary = run_pipeline(
        inputs=[reports, tmp_path / "notes.txt"],
        out=out,
        workshop=str(workshop),
        models_dir=tmp_path / "models",
        extraction=ExtractionSettings(max_memory_bytes=256 * 1024 * 1024),
    )
    assert isinstance(summary, RunSummary)
    assert (summary.documents_ok, summary.documents_error, summary.ideas) == (0, 5, 0)
    assert sorted(p.name for p in out.iterdir()) == sorted(outputs.OUTPUT_FILES)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {d["name"]: d for d in manifest["documents"]}
    assert {name: d["status"] for name, d in entries.items()} == {
        "bombe.pdf": "error",
        "session2.docx": "error",
        "texte.pdf": "error",
        "vide.pdf": "error",
        "notes.txt": "error",
    }
    assert entries["bombe.pdf"]["error"] == "document trop lourd à lire (plus de 0,25 Go de mémoire)"
    assert "fichier vide" in entries["vide.pdf"]["error"]
    assert "pas un PDF" in entries["texte.pdf"]["error"]
    assert "Word" in entries["session2.docx"]["error"]
    assert "format non pris en charge" in entries["notes.txt"]["error"]
    assert entries["texte.pdf"]["sha256"] == hashlib.sha256((reports / "texte.pdf").read_bytes()).hexdigest()
    assert manifest["counts"]["documents_error"] == 5 and manifest["counts"]["ideas"] == 0
    assert manifest["workshop"]["id"] == "atelier6"
    assert manifest["dedup_settings"] == {"near_threshold": 85.0, "abbreviations": {"PDIE": "plan de déplacements"}}
    assert {"read", "extract", "write"} <= set(manifest["timings_seconds"])
    ideas = pd.read_csv(out / "ideas.csv")
    assert ideas.empty and list(ideas.columns[:15]) == list(outputs.IDEA_COLUMNS)
    html = (out / "synthesis.html").read_text(encoding="utf-8")
    assert "vide.pdf" in html and "fichier vide" in html


def test_flow_does_not_place_ideas_by_the_axis_numbers_of_another_workshops_report(tmp_path, prefect_harness):
    reports = tmp_path / "rapports"
    reports.mkdir()
    write_transcript(reports / "transcription.docx")  # "AXE 3 : Comment faire participer les citoyens ?"
    workshop = tmp_path / "mobilite.yaml"
    workshop.write_text(
        "id: mobilite\ntitle: Atelier mobilité\naxes:\n"
        + "".join(
            f'  - id: "{number}"\n    label: "{label}"\n    description: "{label}, à Toulouse."\n'
            for number, label in enumerate(["Transports en commun", "Vélo et marche", "Voiture partagée"], start=1)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "resultats"
    summary = run_pipeline(inputs=[reports], out=out, workshop=str(workshop), models_dir=tmp_path / "models")
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    assert set(ideas["text"]) == {DOCX_OBJECTIVE, DOCX_ACTION}
    assert "document" not in set(ideas["axis_source"]) and set(ideas["stated_axis"]) == {""}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (warning,) = manifest["documents"][0]["warnings"]
    assert warning.startswith("transcription.docx : aucun de ses titres d'axes (« AXE 3 : Comment faire participer")
    assert summary.notes == (warning,)


@needs_samples
def test_flow_on_the_sample_reports(sample_run, saved_models):
    summary, out = sample_run
    names = [s.name for s in SAMPLES] + ["transcription.docx"]
    assert [(d.name, d.status) for d in summary.documents] == [(n, "ok") for n in names] + [("zz_tronque.pdf", "error")]
    assert summary.model_origin == "saved" and summary.model_version == saved_models[1]

    ideas = pd.read_parquet(out / "ideas.parquet")
    from_csv = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    assert list(from_csv.columns[:15]) == list(outputs.IDEA_COLUMNS)
    assert len(ideas) == len(from_csv) == summary.ideas > 0
    assert ideas["idea_id"].is_unique
    assert set(ideas["document"]) == set(names)
    for sample in SAMPLES:  # the copies hash like the originals
        digest = hashlib.sha256(sample.read_bytes()).hexdigest()
        assert set(ideas.loc[ideas["document"] == sample.name, "document_sha256"]) == {digest}
    assert set(ideas["kind"]) <= {"postit", "objective", "action"}

    # the report's own axis wins; the model places the rest
    stated = ideas[ideas["stated_axis"].notna()]
    assert len(stated) > 0
    assert (stated["axis"] == stated["stated_axis"]).all()
    assert (stated["axis_source"] == "document").all() and (stated["axis_confidence"] == 1.0).all()
    modelled = ideas[ideas["stated_axis"].isna()]
    assert (modelled["axis_source"] == "model").all()
    assert set(modelled["axis"]) <= {"1", "2", "3", "4", "5"}
    assert modelled["axis_confidence"].between(0, 1).all()
    workshop = load_workshop("atelier6")
    assert all(row.axis_label == workshop.axis_label(row.axis) for row in ideas.itertuples())

    # one canonical idea per cluster, and clusters.csv agrees with ideas
    assert (ideas.groupby("cluster_id")["canonical"].sum() == 1).all()
    clusters = pd.read_csv(out / "clusters.csv", dtype={"size": int, "axis": str})
    assert len(clusters) == ideas["cluster_id"].nunique() == summary.clusters
    assert clusters["size"].sum() == len(ideas)
    canonical_texts = dict(zip(ideas.loc[ideas["canonical"], "cluster_id"], ideas.loc[ideas["canonical"], "text"]))
    assert all(canonical_texts[row.cluster_id] == row.canonical_text for row in clusters.itertuples())

    details = pd.read_csv(out / "details.csv", dtype=str)
    assert len(details) > 0 and set(details["idea_id"]) <= set(ideas["idea_id"])

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"]["version"] == saved_models[1] and manifest["model"]["origin"] == "saved"
    assert manifest["counts"]["ideas"] == len(ideas)
    assert manifest["counts"]["ideas_per_kind"] == ideas["kind"].value_counts().reindex(
        ["postit", "objective", "action"], fill_value=0
    ).to_dict()
    assert manifest["counts"]["documents_ok"] == len(SAMPLES) + 1 and manifest["counts"]["documents_error"] == 1
    truncated = manifest["documents"][-1]
    assert truncated["name"] == "zz_tronque.pdf" and truncated["error"]

    html = (out / "synthesis.html").read_text(encoding="utf-8")
    assert all(axis.label.replace("'", "&#39;") in html for axis in workshop.axes)
    assert f"<strong>{summary.ideas}</strong> contribution" in html


@needs_samples
def test_flow_reads_a_word_transcript_next_to_the_pdfs(sample_run):
    _, out = sample_run
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    transcript = ideas[ideas["document"] == "transcription.docx"]
    assert transcript[["kind", "text", "objective", "axis", "axis_source"]].values.tolist() == [
        ["objective", DOCX_OBJECTIVE, "", "3", "document"],
        ["action", DOCX_ACTION, DOCX_OBJECTIVE, "3", "document"],
    ]


@needs_samples
def test_flow_finds_the_first_post_it_of_the_expected_report(sample_run):
    """End to end on known content: the generator's expected JSON names the first post-it."""
    _, out = sample_run
    expected_file = EXPECTED / f"{SAMPLES[0].stem}.json"
    if not expected_file.is_file():
        pytest.skip(f"{expected_file.name} absent")
    first = json.loads(expected_file.read_text(encoding="utf-8"))["items"][0]
    ideas = pd.read_csv(out / "ideas.csv", dtype=str, keep_default_na=False)
    found = ideas[(ideas["document"] == SAMPLES[0].name) & (ideas["text"] == first["text"])]
    assert len(found) == 1
    assert found.iloc[0]["kind"] == first["kind"]
    assert found.iloc[0]["category"] == first["category"]


def test_an_idea_of_several_copies_moved_by_the_model_is_named_once(tmp_path, caplog):
    # QA (a consultant's reading): the warning of a run into a folder listed one idea three times, once per report.
    import logging

    from atelier.flows.pipeline import _unmarked_corrections

    copies = [
        Contribution(idea_id=f"{n}", document=f"r{n}.pdf", document_sha256="", page=1, kind="postit",
                     text="Des bancs au parc", axis="2", axis_source="model")
        for n in range(3)
    ]  # fmt: skip
    earlier = outputs.EarlierRun(path=tmp_path / "ideas.csv", cluster_ids={}, proposed_axes=dict.fromkeys("012", "1"))
    with caplog.at_level(logging.WARNING):
        assert _unmarked_corrections(earlier, copies) == 3
    said = " ".join(record.getMessage() for record in caplog.records)
    assert "3 idée(s) marquée(s) model" in said and said.count("« Des bancs au parc » : axe 1 dans le fichier") == 1
