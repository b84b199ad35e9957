"""Extraction of generated layouts against what was generated: tables without rules and boards of notes.

    .venv/bin/python bench/extract_generated.py [--tables 200] [--ruled-rows 100] [--centred 100] [--boards 80]

Tables without rules (seeded, reproducible): 2 to 5 columns, with or without a header row
(« Objectifs | Actions | Freins | Leviers | Échéances »), padding 0 to 10 points, narrow and wide
columns, cells in 8 to 10 points (10: the size of the prose around them), actions listed after
« - », « • », « 1. », « 1- », « 1) » or alone; prose before and after. The same ruled between their rows
only (horizontal borders), cells at the top or the middle of their rows; and without rules, cells centred in
their rows. Boards of notes: 2 to 12
coloured boxes, 1 to 4 a row, with or without a shadow, text of 9 to 12 points. Figures: documents
read exactly (every item with its kind, text, objective and details, in order for the boards), and
the recall and precision of items by kind and text.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from atelier.extract.document import extract_document

OBJECTIVES = [
    "Réduire la précarité énergétique des ménages modestes", "Favoriser l'emploi local",
    "Rompre l'isolement des personnes âgées", "Développer les mobilités douces au quotidien",
    "Améliorer la qualité de l'air", "Soutenir la vie associative des quartiers",
    "Lutter contre les inégalités d'accès aux soins", "Renforcer le lien social entre générations",
]  # fmt: skip
ACTIONS = [
    "Isoler les logements sociaux", "Créer un guichet unique de la rénovation énergétique",
    "Soutenir les entreprises d'insertion", "Ouvrir un forum de l'emploi", "Créer un café des aînés",
    "Organiser des visites à domicile", "Aménager des pistes cyclables sécurisées",
    "Développer le covoiturage entre voisins", "Planter des arbres dans les rues",
    "Installer des capteurs de pollution", "Mettre en place un marché de producteurs", "Former les bénévoles",
]  # fmt: skip
DETAILS = ["Coût des travaux", "Manque de foncier", "Aides de l'ANAH", "Clauses sociales", "2025", "Fin 2026",
           "Bailleurs sociaux", "Manque de bénévoles pour animer", "Délais administratifs"]  # fmt: skip
HEADER = ["Objectifs", "Actions", "Freins", "Leviers", "Échéances"]
IDEAS = [
    "Plus de bus le soir", "Des bancs au parc", "Un local pour les jeunes du quartier",
    "Des pistes cyclables sécurisées vers le collège", "Un marché bio le samedi", "Réparer les trottoirs",
    "Une navette pour les aînés", "Des jardins partagés au pied des immeubles", "Moins de voitures devant l'école",
    "Un composteur collectif", "Des fêtes de quartier", "Une maison de santé", "Plus d'arbres",
    "Des ateliers de réparation de vélos", "Un cinéma en plein air l'été",
]  # fmt: skip

Item = tuple[str, str, str, tuple[tuple[str, str], ...]]  # kind, objective, text, details


def table_document(seed: int, pdf: Path, rules_between_rows: bool = False, centred: bool = False) -> list[Item]:
    """Render a table without rules drawn from `seed`, or with `rules_between_rows` (horizontal borders only,
    its cells at the top or the middle of their rows), or its cells `centred` in their rows; its expected items."""
    rnd = random.Random(seed)
    columns = rnd.choice([2, 3, 3, 4, 5])
    size = rnd.choice([8, 9]) if rnd.random() < 0.8 else 10
    header = columns >= 4 or size == 10 or rnd.random() < 0.7
    padding = rnd.choice([0, 1, 3, 6, 10])
    weights = [rnd.uniform(0.8, 1.6) for _ in range(columns)]
    width = rnd.choice([480, 420, 360])
    marker = rnd.choice(["-", "•", "1.", "1-", "1)", ""])
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=size, leading=size * 1.2)
    bold = ParagraphStyle("bold", parent=cell, fontName="Helvetica-Bold")
    rows: list[list[object]] = [[Paragraph(name, bold) for name in HEADER[:columns]]] if header else []
    fields = HEADER[2:columns] if header else ["Modalités"] * (columns - 2)
    expected: list[Item] = []
    for objective in rnd.sample(OBJECTIVES, rnd.randint(2, 5)):
        actions = rnd.sample(ACTIONS, rnd.randint(1, 3) if marker else 1)
        details = [rnd.choice(DETAILS) for _ in range(columns - 2)]

        def marked(number: int, action: str) -> str:
            if not marker:
                return action
            return f"{marker.replace('1', str(number + 1)) if marker[0] == '1' else marker} {action}"

        rows.append([
            Paragraph(objective, cell),
            [Paragraph(marked(number, action), cell) for number, action in enumerate(actions)],
            *(Paragraph(text, cell) for text in details),
        ])  # fmt: skip
        expected.append(("objective", "", objective, ()))
        expected += [("action", objective, action, tuple(zip(fields, details))) for action in actions]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), padding),
             ("BOTTOMPADDING", (0, 0), (-1, -1), padding)]  # fmt: skip
    if centred:
        style.append(("VALIGN", (0, 0), (-1, -1), "MIDDLE"))
    if rules_between_rows:
        valign = rnd.choice(["TOP", "MIDDLE"])
        style += [("VALIGN", (0, 0), (-1, -1), valign), ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black")]
    SimpleDocTemplate(str(pdf), pagesize=A4, invariant=1).build([
        Paragraph("AXE 2 : Emploi", ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=13, leading=16)),
        Paragraph("L'atelier s'est tenu à la salle des fêtes en présence d'une quarantaine d'habitants ; leurs "
                  "propositions sont dans le tableau qui suit.", body),
        Table(rows, colWidths=[width * weight / sum(weights) for weight in weights], style=style),
        Paragraph("Le groupe a ensuite échangé sur les suites à donner à ces propositions.", body),
    ])  # fmt: skip
    return expected


def _wrapped(text: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, "Helvetica", size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def board_document(seed: int, pdf: Path) -> list[Item]:
    """Render a board of notes drawn from `seed`; its expected post-its, in reading order."""
    rnd = random.Random(seed)
    per_row, size = rnd.randint(1, 4), rnd.choice([9, 10, 11, 12])
    width, height = A4
    gap = rnd.choice([8, 15, 25])
    note_width = min(rnd.choice([110, 140, 170, 200]), (width - 100 - gap * (per_row - 1)) / per_row)
    note_height, shadow = rnd.choice([60, 80, 100]), rnd.random() < 0.3
    colour = rnd.choice([(1, 0.95, 0.5), (0.7, 0.9, 1), (1, 0.8, 0.85), (0.8, 1, 0.8)])
    page = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(50, height - 70, rnd.choice(["Post-it des participants", "Mobilité", "Ce que disent les habitants"]))
    expected: list[Item] = []
    for number, idea in enumerate(rnd.sample(IDEAS, rnd.randint(2, 12))):
        x = 50 + (number % per_row) * (note_width + gap)
        y = height - 100 - (number // per_row) * (note_height + gap)
        lines = _wrapped(idea, note_width - 16, size)
        if y - note_height < 60:
            break
        if len(lines) * size * 1.25 > note_height - 10:
            continue
        if shadow:
            page.setFillColorRGB(0.6, 0.6, 0.6)
            page.rect(x + 3, y - note_height - 3, note_width, note_height, fill=1, stroke=0)
        page.setFillColorRGB(*colour)
        page.rect(x, y - note_height, note_width, note_height, fill=1, stroke=0)
        page.setFillColorRGB(0, 0, 0)
        page.setFont("Helvetica", size)
        for row, line in enumerate(lines):
            page.drawString(x + 8, y - 8 - size - row * size * 1.25, line)
        expected.append(("postit", "", " ".join(lines), ()))
    page.save()
    return expected


def extracted(pdf: Path, with_objectives: bool) -> list[Item]:
    return [
        (c.kind, c.objective if with_objectives else "", c.text,
         tuple((d.field, d.text) for d in c.details) if with_objectives else ())
        for c in extract_document(pdf).contributions
    ]  # fmt: skip


def report(name: str, pairs: Sequence[tuple[list[Item], list[Item]]]) -> None:
    if not pairs:
        return
    exact = sum(expected == found for expected, found in pairs)
    wanted = Counter((item[0], item[2]) for expected, _ in pairs for item in expected)
    got = Counter((item[0], item[2]) for _, found in pairs for item in found)
    matched = sum((wanted & got).values())
    print(f"{name}: {len(pairs)} documents, {exact} read exactly ({exact / len(pairs):.3f}); items by kind and "
          f"text: recall {matched / sum(wanted.values()):.3f}, precision {matched / max(1, sum(got.values())):.3f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--ruled-rows", type=int, default=100)
    parser.add_argument("--centred", type=int, default=100)
    parser.add_argument("--boards", type=int, default=80)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        tables = []
        for seed in range(arguments.tables):
            pdf = Path(folder) / f"table_{seed}.pdf"
            tables.append((table_document(seed, pdf), extracted(pdf, with_objectives=True)))
        report("tables without rules", tables)
        ruled_rows = []
        for seed in range(arguments.ruled_rows):
            pdf = Path(folder) / f"ruled_rows_{seed}.pdf"
            ruled_rows.append((table_document(10_000 + seed, pdf, True), extracted(pdf, with_objectives=True)))
        report("tables ruled between rows only", ruled_rows)
        centred = []
        for seed in range(arguments.centred):
            pdf = Path(folder) / f"centred_{seed}.pdf"
            centred.append((table_document(20_000 + seed, pdf, centred=True), extracted(pdf, with_objectives=True)))
        report("tables without rules, cells centred", centred)
        boards = []
        for seed in range(arguments.boards):
            pdf = Path(folder) / f"board_{seed}.pdf"
            boards.append((board_document(seed, pdf), extracted(pdf, with_objectives=False)))
        report("boards of notes", boards)


if __name__ == "__main__":
    main()
