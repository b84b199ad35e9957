"""Extraction of scanned PDFs with Tesseract: pages of the ruled sample report turned into images.

Needs `tesseract` and its French data on the machine (`make install` puts them there on Debian).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from rapidfuzz import fuzz
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from atelier.extract.document import extract_document
from atelier.extract.settings import ExtractionSettings
from samples.render import EXPECTED_DIR, OUTPUTS

SCAN_DPI = 200
RECOVERED = 0.90


def _scan(source: Path, pages: list[int], target: Path) -> Path:
    """An image-only PDF of some pages of `source`, as a scanner at SCAN_DPI would make it."""
    with pdfplumber.open(source) as pdf:
        images = [pdf.pages[n - 1].to_image(resolution=SCAN_DPI).original.convert("RGB") for n in pages]
    images[0].save(target, save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return target


def _norm(text: str) -> str:
    return " ".join(text.split())


def _best_similarity(expected: str, texts: list[str]) -> float:
    return max((fuzz.ratio(_norm(expected), _norm(text)) / 100 for text in texts), default=0.0)


@pytest.fixture(scope="module")
def postit_pages():
    """The two pages of the ruled sample with the most post-its, and the expected post-its on them."""
    assert shutil.which("tesseract"), "Tesseract absent : lancer `make install`"
    source = OUTPUTS["ruled"]
    expected = json.loads((EXPECTED_DIR / f"{source.stem}.json").read_text(encoding="utf-8"))
    from_text_layer = [c for c in extract_document(source).contributions if c.kind == "postit"]
    counts: dict[int, int] = {}
    for contribution in from_text_layer:
        counts[contribution.page] = counts.get(contribution.page, 0) + 1
    pages = sorted(sorted(counts, key=lambda page: -counts[page])[:2])
    on_pages = {c.text for c in from_text_layer if c.page in pages}
    postits = [item["text"] for item in expected["items"] if item["kind"] == "postit" and item["text"] in on_pages]
    assert len(postits) >= 40
    return source, pages, postits


@pytest.fixture(scope="module")
def scanned(postit_pages, tmp_path_factory):
    source, pages, postits = postit_pages
    scan = _scan(source, pages, tmp_path_factory.mktemp("scan") / "scan.pdf")
    return scan, extract_document(scan), postits


def test_scan_has_no_text_layer(scanned):
    scan, _, _ = scanned
    with pdfplumber.open(scan) as pdf:
        assert all(not page.chars and page.images for page in pdf.pages)


def test_postits_of_a_scan_are_recovered(scanned):
    _, result, postits = scanned
    assert result.status == "ok", result.error
    assert result.statistics["ocr_pages"] == 2 and result.statistics["ocr_unavailable"] == 0
    assert result.warnings == ()
    texts = [c.text for c in result.contributions]
    similarities = [_best_similarity(postit, texts) for postit in postits]
    recall = sum(s >= RECOVERED for s in similarities) / len(postits)
    accuracy = sum(similarities) / len(similarities)
    assert recall >= 0.9, f"rappel {recall:.3f}"
    assert accuracy >= 0.9, f"exactitude {accuracy:.3f}"


def test_items_of_a_scan_carry_their_ocr_confidence_and_position(scanned):
    _, result, _ = scanned
    assert result.contributions
    for contribution in result.contributions:
        assert contribution.ocr_confidence is not None and 0.5 < contribution.ocr_confidence <= 1.0
        assert contribution.bbox is not None and 0 < contribution.bbox.x0 < contribution.bbox.x1 < 596


def test_categories_and_themes_of_a_scan_are_read(scanned):
    _, result, _ = scanned
    postits = [c for c in result.contributions if c.kind == "postit"]
    assert {c.kind for c in result.contributions} == {"postit"}
    assert sum(1 for c in postits if c.category) >= 0.9 * len(postits)
    assert sum(1 for c in postits if c.theme) >= 0.8 * len(postits)


def test_text_layer_items_have_no_ocr_confidence(tmp_path):
    pdf = tmp_path / "texte.pdf"
    page = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    page.drawString(72, 700, "Compte-rendu de l'atelier")
    page.showPage()
    page.save()
    result = extract_document(pdf)
    assert result.status == "ok" and result.statistics["ocr_pages"] == 0
    assert not any("numérisée" in warning for warning in result.warnings)  # (one line of text: no idea, said)


def test_missing_language_leaves_scanned_pages_unread_with_a_warning(postit_pages, tmp_path):
    source, pages, _ = postit_pages
    scan = _scan(source, pages[:1], tmp_path / "scan.pdf")
    result = extract_document(scan, ExtractionSettings(ocr_language="zzz"))
    assert result.status == "ok" and result.contributions == ()
    assert result.statistics["ocr_unavailable"] == 1 and result.statistics["ocr_pages"] == 0
    assert result.warnings == ("page numérisée non lue (p. 1) : la langue « zzz » de Tesseract n'est pas installée",)


def test_ocr_page_limit(postit_pages, tmp_path):
    source, pages, _ = postit_pages
    scan = _scan(source, [pages[0], pages[0]], tmp_path / "scan.pdf")
    result = extract_document(scan, ExtractionSettings(ocr_max_pages=1))
    assert result.status == "ok"
    assert result.statistics["ocr_pages"] == 1 and result.statistics["ocr_unavailable"] == 1
    assert len(result.warnings) == 1 and "(p. 2)" in result.warnings[0] and "limite de pages lues par OCR atteinte (1)" in result.warnings[0]
    assert {c.page for c in result.contributions} == {1}


@pytest.mark.parametrize("tilt", [1.5, -1.0])
def test_a_tilted_scan_is_straightened_before_it_is_read(tilt, tmp_path):
    # QA: a page scanned 1° askew lost its table (rules and lines are found by rows and columns of pixels):
    # objectives and actions missing or read as post-its, their sub-fields lost; nothing said.
    source = OUTPUTS["ruled"]
    from_text_layer = extract_document(source).contributions
    page = next(c.page for c in from_text_layer if c.kind == "action")
    expected = [c for c in from_text_layer if c.page == page]
    with pdfplumber.open(source) as pdf:
        image = pdf.pages[page - 1].to_image(resolution=SCAN_DPI).original.convert("L")
    tilted = image.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=255).convert("RGB")
    tilted.save(tmp_path / "penche.pdf", resolution=SCAN_DPI)
    result = extract_document(tmp_path / "penche.pdf")
    assert result.status == "ok" and result.statistics["ocr_pages"] == 1
    assert [c.kind for c in result.contributions] == [c.kind for c in expected]
    similarities = [fuzz.ratio(_norm(a.text), _norm(b.text)) / 100 for a, b in zip(expected, result.contributions)]
    assert sum(similarities) / len(similarities) >= 0.95
    assert sum(len(c.details) for c in result.contributions) == sum(len(c.details) for c in expected)


def test_a_scanned_page_where_no_word_is_read_is_named(tmp_path):
    # QA: a page too faint for OCR gave nothing, the run said nothing and counted no page read by OCR.
    faint = Image.new("L", (1654, 2339), 255)
    faint.paste(200, (200, 300, 1400, 2000))  # (grey lighter than ink)
    faint.convert("RGB").save(tmp_path / "pale.pdf", resolution=SCAN_DPI)
    result = extract_document(tmp_path / "pale.pdf")
    assert result.status == "ok" and result.contributions == ()
    assert result.statistics["ocr_pages"] == 1 and result.statistics["ocr_unavailable"] == 0
    assert result.warnings == (
        "page numérisée sans aucun mot lu (p. 1) : une image sans texte (photo, page blanche) ou trop pâle pour l'OCR",
    )


_POSTIT_PAGE = {"blocks": [
    {"title": ["CONCERTATION CITOYENNE – PLAN CLIMAT"]},
    {"h1": "Post-it des participants"},
    {"postits": [{"category": "Les freins identifiés", "rows": [
        {"theme": "Logement et précarité", "postits": [
            "Réduire la précarité énergétique des ménages les plus modestes", "Rénover les logements sociaux anciens",
        ]},
        {"theme": "Emploi des jeunes", "postits": ["Accompagner les jeunes sans diplôme vers l'apprentissage"]},
    ]}]},
]}  # fmt: skip
_TABLE_PAGE = {"blocks": [
    {"h1": "Synthèse des propositions"},
    {"h2": "AXE 2 : Emploi, économie et entreprise"},
    {"details": {"columns": 3, "objectives": [
        {"objective": "Favoriser l'insertion professionnelle des publics éloignés de l'emploi", "entries": [
            {"actions": ["Créer une plateforme locale de l'emploi"], "freins": [["Freins", "Manque de moyens."]]},
            {"actions": ["Développer les clauses sociales dans les marchés publics"], "freins": []},
        ]},
    ]}},
]}  # fmt: skip


@pytest.mark.parametrize("scanned_first", [True, False])
def test_a_report_of_scanned_and_digital_pages_reads_each_as_alone(scanned_first, tmp_path):
    # QA: after a scanned page, a digital page's « Synthèse des propositions » (12 pt) was read as a level
    # of the scan's « Post-it des participants » (measured 12.5 pt): its tables took the post-its' heading.
    import pypdfium2

    from samples.render import render_document

    pages = [tmp_path / "postit.pdf", tmp_path / "tableaux.pdf"]
    for content, path in zip((_POSTIT_PAGE, _TABLE_PAGE), pages):
        render_document({"id": "t", "document": {"title": "Compte-rendu"}, **content}, path, "ruled")
    scanned = pages[0] if scanned_first else pages[1]
    with pypdfium2.PdfDocument(str(scanned)) as pdf:  # (drawn by pdfium itself: its headings measured 12.5 pt)
        image = pdf[0].render(scale=SCAN_DPI / 72).to_pil().convert("RGB")
    image.save(tmp_path / "scan.pdf", resolution=SCAN_DPI)
    for name, scans in (("numerique.pdf", False), ("mixte.pdf", True)):
        document = pypdfium2.PdfDocument.new()
        for path in pages:
            with pypdfium2.PdfDocument(str(tmp_path / "scan.pdf" if scans and path == scanned else path)) as page:
                document.import_pages(page)
        document.save(str(tmp_path / name))
        document.close()
    expected = extract_document(tmp_path / "numerique.pdf").contributions
    assert [c.kind for c in expected] == ["postit"] * 3 + ["objective", "action", "action"]
    assert {c.category for c in expected if c.kind != "postit"} == {"AXE 2 : Emploi, économie et entreprise"}
    result = extract_document(tmp_path / "mixte.pdf")
    assert result.statistics["ocr_pages"] == 1
    assert [(c.page, c.kind, c.category, c.theme) for c in result.contributions] == [
        (c.page, c.kind, c.category, c.theme) for c in expected
    ]


def test_a_level_scan_with_slanted_lines_under_its_text_is_not_turned(tmp_path):
    # QA (a regression hunt): six thick lines of a diagram at 3° under level text were measured as the page's
    # tilt; turned, the page lost its table (2 objectives, 4 actions), unsaid.
    import pypdfium2
    from PIL import ImageDraw

    from samples.render import render_document

    render_document({"id": "t", "document": {"title": "Compte-rendu"}, **_TABLE_PAGE}, tmp_path / "t.pdf", "ruled")
    expected = extract_document(tmp_path / "t.pdf").contributions
    with pypdfium2.PdfDocument(str(tmp_path / "t.pdf")) as pdf:
        image = pdf[0].render(scale=SCAN_DPI / 72).to_pil().convert("L")
    draw = ImageDraw.Draw(image)
    for number in range(6):
        top = image.height * 0.6 + 60 * number
        draw.line([(100, top), (image.width - 100, top - 0.0524 * (image.width - 200))], fill=0, width=9)
    image.convert("RGB").save(tmp_path / "schema.pdf", resolution=SCAN_DPI)
    result = extract_document(tmp_path / "schema.pdf")
    assert [(c.kind, c.category) for c in result.contributions] == [(c.kind, c.category) for c in expected]


def test_a_table_without_rules_read_on_a_scan_is_named_for_checking(tmp_path):
    # QA (a regression hunt): a scanned table without rules gave cut actions (« SCOP) comme outil de »), placed
    # in their axis by the document and flagged nowhere: its columns are guessed from where OCR put the words.
    for sample, warned in (("unruled", True), ("ruled", False)):
        source = OUTPUTS[sample]
        page = next(c.page for c in extract_document(source).contributions if c.kind == "action")
        result = extract_document(_scan(source, [page], tmp_path / f"{sample}.pdf"))
        assert any(c.kind == "action" for c in result.contributions)
        said = [w for w in result.warnings if w.startswith("tableau sans filets sur une page numérisée (p. 1)")]
        assert bool(said) is warned, result.warnings
