"""Tests of the sample-report generator (samples/render.py) and its expected JSON."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from samples.render import EXPECTED_DIR, OUTPUTS, TABLE_VARIANTS, VARIANTS, load_content, render_document

ROOT = Path(__file__).resolve().parent.parent


def _text(pdf_path: Path) -> str:
    with pdfplumber.open(pdf_path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


TINY = {
    "blocks": [
        {"h1": "ANNEXES"},
        {"h2": "Liste des post-it (session 1)"},
        {"postits": [{
            "category": "Des thématiques à travailler ?",
            "rows": [
                {"theme": "Habitat", "postits": [
                    "Respect de la dignité humaine en terme de logement",
                    "Entreprise actrice de la cohésion sociale => responsabilité sociétale",
                ]},
                {"lone": "Croiser l'IDH et l'empreinte écologique"},
            ],
        }]},
    ],
}

DETAILS = {
    "blocks": [
        {"h2": "AXE 3 : Comment faire participer les citoyens?"},
        {"details": {"columns": 3, "objectives": [{
            "objective": "Gestion quotidienne",
            "entries": [{
                "actions": [
                    {"marker": "1)", "text": "Animer des groupes d'habitants sur des projets"},
                    {"text": "Modulation de la facturation", "details": [["Porteur", "CUGT"], ["Porteurs", ""]]},
                ],
                "freins": [
                    ["Risque", "Difficulté de mobiliser"],
                    {"dash": True, "text": "Il faut impliquer les relais de proximité (assos...)"},
                ],
            }],
        }]}},
    ],
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_tiny_postit_table_text_and_items(tmp_path, variant):
    pdf = tmp_path / "tiny.pdf"
    expected = render_document(TINY, pdf, variant)
    text = _flat(_text(pdf))
    postits = [it for it in expected["items"] if it["kind"] == "postit"]
    assert [it["text"] for it in postits] == [
        "Respect de la dignité humaine en terme de logement",
        "Entreprise actrice de la cohésion sociale => responsabilité sociétale",
        "Croiser l'IDH et l'empreinte écologique",
    ]
    for it in postits:
        assert it["text"] in text  # "=>" escaped for reportlab, unescaped in PDF and JSON
        assert it["category"] == "Des thématiques à travailler ?"
        assert it["axis"] is None and it["objective"] == "" and it["details"] == []
    assert [it["theme"] for it in postits] == ["Habitat", "Habitat", ""]
    assert expected["document"] == "tiny.pdf" and expected["variant"] == variant
    assert expected["participants"]["listed"] == 0


def test_rendering_twice_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_document(TINY, a, "ruled")
    render_document(TINY, b, "ruled")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("variant", VARIANTS)
def test_details_table_items_and_label_styling(tmp_path, variant):
    pdf = tmp_path / "details.pdf"
    items = render_document(DETAILS, pdf, variant)["items"]
    assert [(it["kind"], it["text"]) for it in items] == [
        ("objective", "Gestion quotidienne"),
        ("action", "Animer des groupes d'habitants sur des projets"),
        ("action", "Modulation de la facturation"),
    ]
    freins = [
        {"field": "Risque", "text": "Difficulté de mobiliser"},
        {"field": "Modalités", "text": "Il faut impliquer les relais de proximité (assos...)"},
    ]
    assert items[1]["details"] == freins
    assert items[2]["details"] == [{"field": "Porteur", "text": "CUGT"}] + freins  # empty "Porteurs" dropped
    assert all(it["axis"] == "3" and it["category"].startswith("AXE 3 : ") for it in items)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        text = _flat(page.extract_text())
        assert "1) Animer des groupes" in text and "Porteur : CUGT" in text and "Porteurs :" not in text
        label = [w for w in page.extract_words(extra_attrs=["fontname"]) if w["text"] == "Risque"]
        assert len(label) == 1
        if variant != "unruled":
            assert label[0]["fontname"] == "Helvetica"
            assert any(abs(ln["top"] - label[0]["bottom"]) < 3 and ln["x0"] <= label[0]["x0"] + 1
                       for ln in page.lines)  # underlined
            assert len(page.lines) > 4  # grid + underline
            assert "OBJECTIFS" in text
        else:
            assert label[0]["fontname"] == "Helvetica-Bold"  # bold instead of underlined
            assert not page.lines and not page.rects


@pytest.mark.parametrize("variant", TABLE_VARIANTS)
def test_span_split_over_pages_repeats_theme_once_per_page(tmp_path, variant):
    postits = [f"Post-it numéro {i} sur la mobilité des personnes isolées" for i in range(90)]
    content = {"blocks": [{"postits": [{"category": "Longue catégorie", "rows": [
        {"theme": "Mobilité, transports", "postits": postits},
    ]}]}]}
    pdf = tmp_path / "long.pdf"
    expected = render_document(content, pdf, variant)
    assert len(expected["items"]) == 90
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        for page in doc.pages:  # the theme cell is repeated at the top of each continuation
            assert "Mobilité, transports" in page.extract_text()
        full = _flat("\n".join(p.extract_text() for p in doc.pages))
    for p in postits:
        assert p in full


def test_atelier6_expected_counts(tmp_path):
    content = load_content()
    results = {}
    for variant in VARIANTS:
        results[variant] = render_document(content, tmp_path / f"{variant}.pdf", variant)
    ruled, unruled = results["ruled"], results["unruled"]
    assert ruled["items"] == unruled["items"]
    counts = Counter(it["kind"] for it in ruled["items"])
    assert counts == {"postit": 118, "objective": 40, "action": 99}
    assert ruled["participants"] == {
        "listed": 61, "stated_total": 60, "sessions": [49, 29, 20], "returning": 28,
    }
    # every table item sits under an "AXE n" heading
    for it in ruled["items"]:
        if it["kind"] != "postit":
            assert it["category"] == f"AXE {it['axis']} : " + it["category"].split(" : ", 1)[1]
    by_axis = Counter(it["axis"] for it in ruled["items"] if it["kind"] != "postit")
    assert by_axis == {"1": 16, "2": 51, "3": 25, "4": 20, "5": 27}
    # footnote: no marker in the expected text
    facteurs = [d["text"] for it in ruled["items"] for d in it["details"]
                if d["text"].endswith("réduire la consommation de 7% en 2009")]
    assert facteurs


@pytest.mark.parametrize("variant", VARIANTS)
def test_committed_samples_are_up_to_date(tmp_path, variant):
    pdf_path = OUTPUTS[variant]
    json_path = EXPECTED_DIR / f"{pdf_path.stem}.json"
    fresh = render_document(load_content(), tmp_path / pdf_path.name, variant)
    assert json.loads(json_path.read_text(encoding="utf-8")) == fresh, "run: python -m samples.render"
    assert pdf_path.read_bytes() == (tmp_path / pdf_path.name).read_bytes(), "run: python -m samples.render"


@pytest.mark.parametrize("variant", VARIANTS)
def test_atelier6_pdf_layout(variant):
    with pdfplumber.open(OUTPUTS[variant]) as pdf:
        pages = pdf.pages
        assert "PCET & Agenda 21" not in (pages[0].extract_text() or "")
        footnote_pages = []
        for n, page in enumerate(pages, start=1):
            words = page.extract_words(extra_attrs=["size"])
            assert any(w["text"] == str(n) and w["size"] == 8 and w["top"] > 780 for w in words)
            if n > 1:
                assert (page.extract_text() or "").startswith("PCET & Agenda 21 du Grand Toulouse – Atelier n°6")
            if any(w["size"] == 7 and w["text"].startswith("(http://www.lesequestre.fr") for w in words):
                footnote_pages.append(n)
                assert any(w["text"] == "1" and w["size"] == 6 for w in words)  # the marker
            if variant == "unruled":
                assert not page.rects
                # the only line allowed is the footnote rule
                assert len(page.lines) == (1 if footnote_pages[-1:] == [n] else 0)
        assert len(footnote_pages) == 1
        assert len(pages) > 12


def test_lists_variant_prints_postits_as_bullets_under_bold_headings(tmp_path):
    pdf = tmp_path / "listes.pdf"
    expected = render_document(TINY, pdf, "lists")
    assert [it["theme"] for it in expected["items"]] == ["Habitat", "Habitat", ""]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        assert not page.rects and not page.lines
        words = page.extract_words(extra_attrs=["fontname"])
        bold = {w["text"] for w in words if w["fontname"] == "Helvetica-Bold"}
        assert {"Habitat", "thématiques"} <= bold
        assert sum(1 for w in words if w["text"] == "-") == 3
