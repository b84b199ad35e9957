"""What the axis columns of a spreadsheet decide, and what a run keeps of the last one's.

A run's `ideas.csv` / `ideas.xlsx`, a CSV given to `atelier classify`, a labels file given to
`train --labels` or `evaluate --labels`: one rule for all of them (`decided_axes`). A row marked
decided in `axis_source` (review, or an analyst's own word: « revu », « OK »…), or with an axis
and no `axis_source`, is an analyst's decision; `document` is the report's placement; `model`
is a proposal; any other word (« à revoir ») decides nothing. The axis cell is read as the
workshop's id, « Axe N » or the axis's label, and a row's `axis_label` tells a file of another
workshop, or of the same one numbered otherwise, from a decision.

`earlier_run` reads the two sheets of the last run in an output folder (the cluster ids to keep
and the decisions to carry over). Nothing here prints: each reader returns its French notes for
the command to say.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from atelier.extract.records import DOCUMENT_SOURCE, MODEL_SOURCE, REVIEW_SOURCE
from atelier.flows.messages import examples, listed, quoted
from atelier.flows.tables import AddedCell, column_cells, plain_cells
from atelier.nlp.workshop import loose_label, same_label

if TYPE_CHECKING:
    import pandas as pd

    from atelier.extract.records import Contribution
    from atelier.flows.modeling import StoredDecision
    from atelier.flows.outputs import EarlierRun
    from atelier.nlp.workshop import Workshop


@functools.lru_cache(maxsize=1024)
def folded_cell(cell: str) -> str:
    """`normalize_for_match` of a cell, remembered: a file repeats its labels and sources on
    every row (100,000 rows took 7 s to fold)."""
    from atelier.nlp.language import normalize_for_match

    return normalize_for_match(cell)




def label_conflict(axis: str, label: str, workshop: Workshop) -> str:
    """How a row's `axis_label` stands to its `axis`: "" when it is that axis's label (or empty),
    "stale" when it is another axis's label of the workshop (an analyst changed the axis and left
    the label: the axis is the decision), "foreign" when it is no label of the workshop (a file
    of another workshop, whose ids name other axes)."""
    if not label or axis not in workshop.axis_ids or same_label(label, workshop.axis_label(axis)):
        return ""
    if workshop.axis_labelled(label) is not None:
        return "stale"
    return "foreign"


def label_changed_not_axis(
    column: str | None, label_axis: str | None, placed_axis: str | None, learnt_axis: str | None
) -> bool:
    """Whether a decided row takes the axis its `axis_label` names (`label_axis`, the label being
    another axis's: `label_conflict` "stale") instead of its axis column (`column`): the analyst
    changed the label, not the axis, when the column is where the idea is placed (`placed_axis`,
    the model's or the report's placement) and is not the axis the model learnt for its text
    (`learnt_axis`): the model, having learnt the column as a decision, places the idea there, and
    the label left as it was would undo the analysts' correction (QA). One rule for `atelier
    classify` and `atelier run`."""
    return column is not None and label_axis is not None and column == placed_axis and learnt_axis != column


# What analysts write in axis_source for a row they decided, and for one left to the model
# (folded: `normalize_for_match`). Anything else ("à revoir", "?") decides nothing.
DECISION_WORDS = frozenset(
    "review reviewed revu revue relu relue ok valide validee verifie verifiee corrige corrigee confirme confirmee "
    "revise revisee approuve approuvee accepte acceptee analyste decision manuel manuelle humain".split()
)
PROPOSAL_WORDS = frozenset("model modele auto automatique".split())
UNCLEAR_SOURCE = "?"  # `source_kind` of a word that is neither a decision nor a proposal


def source_kind(source: str) -> str:
    """What an `axis_source` cell says: "model" (a proposal: "model", "modèle"), "document"
    (stated by the report), "review" (an analyst's decision: "review", "revu", "relu", "OK",
    "validé"…), "" (nothing), or `UNCLEAR_SOURCE` for a word that says none of these ("à revoir")."""
    # (Its punctuation aside: QA, « OK. » and « Validé ! » were read as « à revoir ».)
    cell = folded_cell(source)
    folded = " ".join(re.sub(r"[^\w]+", " ", cell).split())
    if "?" in source or (not folded and cell):  # (« OK ? » asks: QA)
        return UNCLEAR_SOURCE
    if folded in PROPOSAL_WORDS:
        return MODEL_SOURCE
    if folded in DECISION_WORDS:
        return REVIEW_SOURCE
    return folded if folded in (DOCUMENT_SOURCE, "") else UNCLEAR_SOURCE


class Decisions(NamedTuple):
    """What the `axis`, `axis_label` and `axis_source` columns of a CSV (a run's `ideas.csv`,
    reviewed) say was decided, for a workshop."""

    axes: list[str | None]  # per row: the axis an analyst decided or the report states, else None
    sources: list[str]  # per row: `source_kind` of its axis_source cell, review when it is empty
    conflicts: list[str]  # per row: `label_conflict` of its axis and axis_label
    unknown: list[str]  # axes of rows marked decided that the workshop does not have
    mismatched: list[tuple[str, str]]  # (axis, label in the file) of no axis of the workshop
    undecided: int  # rows marked decided whose axis is empty, unknown or labelled by another workshop
    empty: int  # of those, rows without an axis
    # Decided rows whose axis_label is another axis's, the axis counting: (text, axis, the label's axis).
    stale_labels: list[tuple[str, str, str]]
    other_sources: list[str]  # axis_source values read as review ("revu", "relu"…)
    unclear_sources: dict[str, int]  # axis_source values that decide nothing ("à revoir") -> rows
    read_axes: list[str]  # per row: its axis cell as the workshop's id (`read_axis_ids`, `renumbered`)
    renumbered: dict[str, str]  # the file's axis ids that name another axis now -> that axis (`_renumbering`)


def read_axis_ids(cells: Sequence[str], workshop: Workshop) -> list[str]:
    """Axis cells as the workshop's ids: "Axe 1", "AXE N°1" or the axis's label name the axis
    (a spreadsheet's "Axe 1" was refused, QA), and so do words of its label that no other label
    has, after its number or alone ("Axe 2 - Rénovation", "Mobilité": QA, they were ignored);
    other cells are left as written."""
    from atelier.nlp.workshop import axis_numbered, split_axis_heading

    known = set(workshop.axis_ids)
    labels = {loose_label(axis.label): axis.id for axis in workshop.axes}
    label_words = {axis.id: _label_words(axis.label) for axis in workshop.axes}

    def partly(text: str) -> set[str]:
        """The axes whose label has every word of `text` (none for a text without words)."""
        words = _label_words(text)
        return {axis for axis, theirs in label_words.items() if words and words <= theirs}

    named: dict[str, str] = {}
    for cell in dict.fromkeys(cells):
        if not cell or cell in known:
            continue
        number, rest = split_axis_heading(cell)
        if number is None:  # "3.0" (a spreadsheet's number), "3 - Comment faire participer…"
            bare = _BARE_AXIS_NUMBER.fullmatch(cell.strip())
            number, rest = (str(int(bare.group(1))), bare.group(2) or "") if bare else (None, rest)
        by_number = axis_numbered(workshop, number) if number is not None else None
        by_label = labels.get(loose_label(rest if by_number is not None and rest.strip() else cell))
        # A number with a label names its axis when the label is that axis's ("Axe 3 : Comment…").
        found = by_number if by_number is not None and (not rest.strip() or by_label == by_number) else None
        found = found if found is not None or by_number is not None else by_label
        if found is None and (number is None or by_number is not None):  # (« Axe 7 » of six axes: none)
            partial = partly(rest if by_number is not None else cell)
            if (by_number is not None and partial == {by_number}) or (by_number is None and len(partial) == 1):
                found = partial.pop()
        if found is not None:
            named[cell] = found
    return [named.get(cell, cell) for cell in cells]


def _label_words(text: str) -> frozenset[str]:
    """The words of a label that say something (folded, in the singular: « Hors axe » names « Hors
    axes », QA; not "de", "la", "et"…)."""
    from atelier.nlp.dedup_text import STOP_WORDS

    words = (word for word in re.findall(r"\w+", folded_cell(text)) if word not in STOP_WORDS and len(word) > 1)
    return frozenset(word[:-1] if len(word) > 3 and word[-1] in "sx" else word for word in words) - _AXIS_WORDS


# Words that name an axis, not which one (« axe » alone named « Hors axes », the one label with it: QA).
_AXIS_WORDS = frozenset({"axe", "axis"})


_BARE_AXIS_NUMBER = re.compile(r"(\d+)(?:[.,]0+)?(?:\s*[-–:.)]\s*(.+))?")


def decided_axes(frame: pd.DataFrame, workshop: Workshop, text_column: str, *, ours: bool = False) -> Decisions:
    """A row with a text marked decided (`source_kind`: review or document), or with an axis and
    no `axis_source` (a file of labels, a cell an analyst emptied), keeps its axis if the
    workshop has it and the row's `axis_label`, when given, is a label of the workshop: a file
    of another workshop has the same ids for other axes. One rule for classify, train and
    evaluate. A sheet a run of this very workshop wrote (`ours`) names its axes by their ids: a
    label the workshop no longer has is one renamed since (QA: every decision of an axis whose
    label was reworded in the YAML was dropped)."""
    labels, texts = column_cells(frame, "axis_label"), plain_cells(column_cells(frame, text_column))
    axes = read_axis_ids(column_cells(frame, "axis"), workshop)
    cells = column_cells(frame, "axis_source")
    sources = [source_kind(cell) or REVIEW_SOURCE for cell in cells]
    renumbered = _renumbering(axes, labels, sources, workshop)
    if renumbered:
        axes = [renumbered.get(axis, axis) for axis in axes]
    conflicts = [label_conflict(axis, label, workshop) for axis, label in zip(axes, labels, strict=True)]
    if ours:
        conflicts = ["" if conflict == "foreign" else conflict for conflict in conflicts]
    decided: list[str | None] = [None] * len(frame)
    unknown: dict[str, None] = {}
    mismatched: dict[tuple[str, str], None] = {}
    others: dict[str, None] = {}
    unclear: dict[str, int] = defaultdict(int)
    undecided = empty = 0
    stale: list[tuple[str, str, str]] = []
    for row, (axis, source, cell) in enumerate(zip(axes, sources, cells, strict=True)):
        if source == UNCLEAR_SOURCE and texts[row]:
            unclear[cell] += 1
        if source not in (REVIEW_SOURCE, DOCUMENT_SOURCE) or not texts[row] or not (axis or cell):
            continue  # (a row without axis nor axis_source decides nothing and says nothing amiss)
        if source == REVIEW_SOURCE and cell and cell.casefold() != REVIEW_SOURCE:
            others[cell] = None
        conflict = conflicts[row]
        if axis and axis not in workshop.axis_ids:
            unknown[axis] = None
        elif conflict == "foreign":
            mismatched[(axis, labels[row])] = None
        elif axis:
            decided[row] = axis
            if conflict == "stale":
                other = workshop.axis_labelled(labels[row])
                stale.append((texts[row], axis, other))
            continue
        undecided += 1
        empty += not axis
    return Decisions(
        decided,
        sources,
        conflicts,
        list(unknown),
        list(mismatched),
        undecided,
        empty,
        stale,
        list(others),
        unclear,
        axes,
        renumbered,
    )


def _renumbering(
    axes: Sequence[str], labels: Sequence[str], sources: Sequence[str], workshop: Workshop
) -> dict[str, str]:
    """The file's axis ids that are other axes of the workshop now, when its axes were numbered
    otherwise (a workshop file renumbered since the run that wrote it): told by the rows the run
    wrote and no analyst decided (model, document), whose `axis_label` names, for each of their
    ids, one axis of the workshop, another one for at least two rows. A row an analyst changed
    and left its label (`label_conflict` "stale") does not make a renumbering: it breaks it."""
    meant: dict[str, set[str]] = defaultdict(set)
    moved = 0
    for axis, label, source in zip(axes, labels, sources, strict=True):
        if source not in (MODEL_SOURCE, DOCUMENT_SOURCE) or not axis or not label:
            continue
        labelled = workshop.axis_labelled(label)
        if labelled is None:
            continue
        meant[axis].add(labelled)
        moved += labelled != axis
    mapping = {axis: next(iter(now)) for axis, now in meant.items() if len(now) == 1}
    if moved < 2 or len(mapping) < len(meant) or len(set(mapping.values())) < len(mapping):
        return {}
    return {axis: now for axis, now in mapping.items() if axis != now}


def read_as_notes(decisions: Decisions, path: Path, unclear: str) -> list[str]:
    """How the file's own words were read: axis_source values taken for review, values that
    decide nothing (`unclear`: what is done with their rows), labels of another axis."""
    notes = []
    if decisions.renumbered:
        read = ", ".join(f"{old} lu comme {now}" for old, now in sorted(decisions.renumbered.items()))
        notes.append(
            f"Avertissement : {path} numérote les axes autrement que l'atelier (ses libellés le disent, sur les "
            f"lignes proposées par le modèle ou placées par le document) : axe {read}."
        )
    if decisions.other_sources:
        notes.append(
            f"Colonne axis_source de {path} : {listed(decisions.other_sources)} lu(s) comme {REVIEW_SOURCE} "
            "(décision d'un analyste)."
        )
    if decisions.unclear_sources:
        rows = sum(decisions.unclear_sources.values())
        notes.append(
            f"Avertissement : colonne axis_source de {path} : {listed(list(decisions.unclear_sources))} ne dit ni "
            f"{REVIEW_SOURCE} (décision) ni {MODEL_SOURCE} (proposition) : {rows} ligne(s) {unclear}."
        )
    if decisions.stale_labels:
        notes.append(stale_labels_note(decisions.stale_labels, path))
    return notes


def stale_labels_note(stale: Sequence[tuple[str, str, str]], path: Path) -> str:
    """What is said of decided rows whose axis_label is another axis's, the axis counting:
    (text, axis, the label's axis) each."""
    named = examples([f"{quoted(text)} (axe {axis}, libellé de l'axe {other})" for text, axis, other in stale])
    # (QA: the usual correction, the axis column changed and its label left, was told as a mistake.)
    return (
        f"{len(stale)} ligne(s) de {path} corrigée(s) dans la colonne axis, sans leur axis_label (le libellé de "
        f"l'axe d'avant) : c'est la colonne axis qui compte, et le libellé est mis à jour ({named}). Si c'est le "
        "libellé que vous vouliez corriger, corrigez aussi la colonne axis."
    )


def relabelled_note(relabelled: Sequence[tuple[str, str, str]], path: Path) -> str:
    """What is said of decided rows whose axis_label an analyst changed, the axis column left as
    the model proposes it: (text, the axis column, the label's axis) each."""
    named = examples([f"{quoted(text)} (axe {other} au lieu de {axis})" for text, axis, other in relabelled])
    return (
        f"{len(relabelled)} ligne(s) de {path} ont dans axis_label le libellé d'un autre axe que leur colonne axis, "
        f"qui est l'axe que le modèle propose : c'est le libellé qui a été corrigé, il compte ({named})."
    )


def undecided_notes(decisions: Decisions, workshop: Workshop, path: Path, what: str) -> list[str]:
    """`read_as_notes`, and why rows marked decided decide nothing (`what`: what is done with them)."""
    notes = read_as_notes(decisions, path, what)
    if not decisions.undecided:
        return notes
    reasons = []
    if decisions.empty:
        reasons.append(f"{decisions.empty} sans axe")
    if decisions.unknown:
        reasons.append(f"axe(s) que l'atelier « {workshop.id} » n'a pas : {', '.join(decisions.unknown[:5])}")
    if decisions.mismatched:
        axis, label = decisions.mismatched[0]
        reasons.append(
            f"libellé qui n'est celui d'aucun axe de l'atelier « {workshop.id} » "
            f"(axe {axis} : « {label} » au lieu de « {workshop.axis_label(axis)} »)"
        )
    hint = (
        " Écrivez l'axe par son identifiant, « Axe N » ou son libellé ; sinon, vérifiez --workshop."
        if decisions.unknown or decisions.mismatched
        else ""
    )
    notes.append(
        f"Avertissement : {decisions.undecided} ligne(s) de {path} marquée(s) {REVIEW_SOURCE} ou {DOCUMENT_SOURCE} "
        f"{what} : {' ; '.join(reasons)}.{hint}"
    )
    return notes


def changed_decisions_note(
    decisions: Sequence[StoredDecision], learnt: Sequence[StoredDecision], path: Path
) -> list[str]:
    """A note naming the analysts' decisions the model in place `learnt` that `decisions` (of
    `path`) give another axis: a sheet that lost a correction (QA: a reclassified copy with the
    old axes, trained on, replaced five decisions without a word)."""
    earlier = {folded_cell(d.key): d.axis for d in learnt if d.source == REVIEW_SOURCE}
    changed = [
        f"{quoted(d.text)} : axe {earlier[key]} → {d.axis}"
        for d in decisions
        if (key := folded_cell(d.key)) in earlier and earlier[key] != d.axis
    ]
    if not changed:
        return []
    return [
        f"{len(changed)} décision(s) d'analystes apprise(s) par le modèle en place change(nt) d'axe avec {path} "
        f"({examples(changed)}) : vérifiez que c'est voulu."
    ]


def without_contradictions(
    decisions: Sequence[StoredDecision], path: Path, learnt: Sequence[StoredDecision] = ()
) -> tuple[list[StoredDecision], list[str]]:
    """The decisions of a labels file, one per text, and a note when some text had two axes. A text
    given two axes keeps an analyst's row over a report's placement (`document`: the report placed
    its twin), then the last row whose axis is not the one the model in place `learnt` for it: a
    run writes a decision on every row of its text (a post-it repeated under one theme), and the
    analyst who changes their mind edits one of them. Without such a row, the last row counts (a
    file of two analysts' put together: both were learnt). The note names the texts and the axis
    kept."""
    earlier = {folded_cell(decision.key): decision.axis for decision in learnt}
    axes: dict[str, set[str]] = defaultdict(set)
    for decision in decisions:
        axes[folded_cell(decision.key)].add(decision.axis)
    chosen: dict[str, int] = {}  # folded text -> position of the row that counts
    for position, decision in enumerate(decisions):
        folded = folded_cell(decision.key)
        kept, learnt_axis = chosen.get(folded), earlier.get(folded)
        if kept is not None and decisions[kept].source != decision.source:
            if decision.source == REVIEW_SOURCE:
                chosen[folded] = position
            continue
        # (A row that keeps the learnt axis does not replace one that changes it.)
        if kept is None or decision.axis != learnt_axis or decisions[kept].axis == learnt_axis:
            chosen[folded] = position
    torn = [position for folded, position in chosen.items() if len(axes[folded]) > 1]
    notes = []
    if torn:
        named = examples(
            [f"{quoted(decisions[position].text, 60)} : axe {decisions[position].axis}" for position in torn]
        )
        notes.append(
            f"Avertissement : {len(torn)} texte(s) de {path} ont deux axes ou plus ({named}) : compte, pour "
            "chacun, une décision d'analyste plutôt qu'un placement du compte-rendu, puis la dernière ligne qui change "
            "la décision apprise par le modèle en place, sinon sa dernière ligne."
        )
    return [decisions[position] for position in sorted(chosen.values())], notes


class _EarlierFile(NamedTuple):
    """What one of the last run's `ideas.csv` / `ideas.xlsx` holds (`earlier_run`)."""

    path: Path
    clusters: dict[str, str]  # idea_id -> cluster_id
    decided: dict[str, str]  # idea_id -> axis, rows an analyst decided
    decided_texts: dict[str, str]  # text read with its theme -> axis, decided rows without an idea_id
    where: dict[str, tuple[str, str]]  # idea_id -> (document, text) of the decided rows
    unread: int  # rows marked decided whose axis is none of the workshop's, or marked "à revoir"…
    rows: dict[str, tuple[str, str, str]]  # idea_id -> (document, text, theme), for every row
    withdrawn: set[str]  # idea_ids an analyst marked undecided ("à revoir", `UNCLEAR_SOURCE`)
    stated: dict[str, str]  # idea_id -> axis of rows marked document whose label is another axis's (an edit)
    relabelled: dict[str, str]  # idea_id -> the label's axis, of those rows and of decided ones
    added: dict[str, dict[str, AddedCell]]  # column an analyst added -> idea_id -> its cell, for every row with an id
    proposed: dict[str, str]  # idea_id -> axis of the rows marked model (the model's proposal, or an edit)
    documents: dict[tuple[str, str], int]  # (document, document_sha256) -> its rows

    @classmethod
    def empty(cls, path: Path, unread: int = 0) -> _EarlierFile:
        """A file that holds no row of ideas (`unread`: its sheets an analyst added, to keep in a copy)."""
        return cls(path, {}, {}, {}, {}, unread, {}, set(), {}, {}, {}, {}, {})


def _added_columns(
    frame: pd.DataFrame, ids: Sequence[str], typed: pd.DataFrame | None = None
) -> tuple[dict[str, dict[str, AddedCell]], int]:
    """The columns of a run's sheet that the run does not write (an analyst's « commentaire »):
    column -> idea_id -> cell; and how many of their filled cells are on rows without an idea_id
    (the run cannot carry those over). A workbook's dates and numbers (`typed`) stay dates and
    numbers (QA: an analyst's « date de relecture » came back as text)."""
    import pandas as pd

    from atelier.flows.outputs import IDEA_COLUMNS, IDEA_EXTRA_COLUMNS, IDEA_REVIEW_COLUMNS

    written = {*IDEA_COLUMNS, *IDEA_EXTRA_COLUMNS, *IDEA_REVIEW_COLUMNS}
    added: dict[str, dict[str, AddedCell]] = {}
    orphans = 0
    for column in frame.columns:
        if column in written:
            continue
        texts = ["" if pd.isna(value) else str(value) for value in frame[column].tolist()]
        if not any(cell.strip() for cell in texts):
            continue
        cells: list[AddedCell] = list(texts)
        if typed is not None and column in typed.columns:
            values = typed[column].tolist()
            cells = [value if _kept_typed(value) else cell for value, cell in zip(values, cells, strict=True)]
        added[str(column)] = {idea: cell for idea, cell in zip(ids, cells, strict=True) if idea}
        orphans += sum(1 for idea, cell in zip(ids, cells, strict=True) if not idea and cell.strip())
    return added, orphans


def _kept_typed(value: object) -> bool:
    """Whether a workbook's cell is carried over as Excel typed it: a date, a time or a number."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float | datetime.date | datetime.time) and not (
        isinstance(value, float) and math.isnan(value)
    )


def _earlier_file(path: Path, workshop: Workshop, ours: bool) -> tuple[_EarlierFile | None, list[str]]:
    """The cluster ids and the analysts' decisions of one output file of the last run (None if it
    cannot be read), with the notes of its reading."""
    from atelier.flows.tables import EmptyTableError, TableError, read_table
    from atelier.nlp.axis_data import with_context

    try:
        table = read_table(path, "text", "")
    except EmptyTableError:  # (written by a run that found no idea: nothing to keep but an analyst's sheets)
        foreign = _foreign_sheets(path)
        said = [f"{path} a des feuilles qu'atelier n'écrit pas ({listed(foreign)}) : il est copié avant d'être "
                "remplacé."]
        return _EarlierFile.empty(path, len(foreign)), said if foreign else []
    except TableError as error:
        return None, [
            f"Avertissement : {error} Ses groupes et ses décisions ne sont pas repris ; il est copié avant d'être "
            "remplacé."
        ]
    frame = table.frame
    notes = [f"Avertissement : {warning}" for warning in table.warnings]
    foreign = _foreign_sheets(path)
    if foreign:
        notes.append(
            f"{path} a des feuilles qu'atelier n'écrit pas ({listed(foreign)}) : il est copié avant d'être remplacé."
        )
    decisions = decided_axes(frame, workshop, "text", ours=ours)
    kept_out = "ne sont pas reprise(s) (le fichier est copié avant d'être remplacé)"
    notes += undecided_notes(decisions, workshop, path, kept_out)
    ids, clusters = column_cells(frame, "idea_id"), column_cells(frame, "cluster_id")
    texts, themes = column_cells(frame, "text"), column_cells(frame, "theme")
    documents = column_cells(frame, "document")
    per_document = Counter(
        (document, sha) for document, sha in zip(documents, column_cells(frame, "document_sha256"), strict=True)
    )
    per_document.pop(("", ""), None)
    rows = {
        idea: (document, text, theme)
        for idea, document, text, theme in zip(ids, documents, texts, themes, strict=True)
        if idea
    }
    decided: dict[str, str] = {}
    decided_texts: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}
    withdrawn: set[str] = set()
    stated: dict[str, str] = {}
    relabelled: dict[str, str] = {}
    labels = column_cells(frame, "axis_label")
    for row, (idea, axis, source) in enumerate(zip(ids, decisions.axes, decisions.sources, strict=True)):
        if source == UNCLEAR_SOURCE and idea:
            withdrawn.add(idea)
        stale = decisions.conflicts[row] == "stale"
        if idea and axis is not None and stale and source in (DOCUMENT_SOURCE, REVIEW_SOURCE):
            relabelled[idea] = workshop.axis_labelled(labels[row])
            if source == DOCUMENT_SOURCE:
                stated[idea] = axis  # (changed by an analyst, who left the label of the report's axis)
        if axis is None or source != REVIEW_SOURCE:
            continue
        if idea:
            decided[idea] = axis
            where[idea] = (documents[row], texts[row])
        else:
            decided_texts[with_context(texts[row], themes[row])] = axis
    if decided_texts:
        notes.append(
            f"{len(decided_texts)} décision(s) de {path} sans idea_id : reprise(s) pour les idées de même texte "
            "(et de même thème)."
        )
    clustered = {idea: cluster for idea, cluster in zip(ids, clusters, strict=True) if idea and cluster}
    added, orphans = _added_columns(frame, ids, table.typed)
    known = set(workshop.axis_ids)
    proposed = {
        idea: axis
        for idea, axis, source in zip(ids, decisions.read_axes, decisions.sources, strict=True)
        if idea and source == MODEL_SOURCE and axis in known
    }
    if orphans:
        notes.append(
            f"{path} : {orphans} cellule(s) des colonnes ajoutées ({listed(list(added))}) sont sur des lignes sans "
            "idea_id : il est copié avant d'être remplacé."
        )
    unread = decisions.undecided + sum(decisions.unclear_sources.values()) + len(foreign) + orphans  # (each: a copy)
    earlier = _EarlierFile(
        path,
        clustered,
        decided,
        decided_texts,
        where,
        unread,
        rows,
        withdrawn,
        stated,
        relabelled,
        added,
        proposed,
        per_document,
    )
    return earlier, notes


def _earlier_manifest(out: Path) -> dict:
    """The last run's manifest in `out`, {} when there is none that reads."""
    import json

    from atelier.flows.outputs import MANIFEST_JSON

    try:
        manifest = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _still_to_review(manifest: dict, newer: _EarlierFile) -> dict[str, float]:
    """The ideas the last run's manifest says an analyst marked « à revoir » and no one has decided
    since, that the newer sheet decides neither (the sheets that run wrote no longer say it), with
    when they were marked: a decision learnt after counts (QA: one learnt by `atelier train` after
    the mark stayed withdrawn, dated by the sheet each run rewrites)."""
    from atelier.flows.outputs import MARKED_TO_REVIEW

    marked = manifest.get(MARKED_TO_REVIEW)
    if not isinstance(marked, dict):
        return {}
    return {
        idea: float(when)
        for idea, when in marked.items()
        if isinstance(idea, str) and isinstance(when, int | float) and idea not in newer.decided
    }


def _foreign_sheets(path: Path) -> list[str]:
    """The sheets of a run's workbook that the run does not write (an analyst's notes): lost when
    it is replaced. None for a CSV."""
    if path.suffix.lower() != ".xlsx":
        return []
    import openpyxl

    from atelier.flows.outputs import CLUSTERS_SHEET, DETAILS_SHEET, IDEAS_SHEET

    try:
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
    except Exception:  # noqa: BLE001 - read already (`read_table`); a failure here keeps the file as it is
        return []
    return [name for name in names if name not in (IDEAS_SHEET, CLUSTERS_SHEET, DETAILS_SHEET)]


def _restored_documents(
    out: Path, manifest: dict, read: Sequence[_EarlierFile], workshop: Workshop, ours: bool
) -> tuple[dict[str, dict], list[_EarlierFile], list[str]]:
    """The rows of the documents the runs before did not read (the manifest's `ABSENT_DOCUMENTS`), from
    the copies of the sheets that held them, for the documents the sheets `read` now hold none of: with
    their manifest entries (QA, a nightly job: a report unreadable one night, read again the next, lost
    its analysts' decisions); and notes on those that could not be (QA: a copy deleted, unsaid)."""
    from atelier.flows.outputs import ABSENT_DOCUMENTS

    entries = manifest.get(ABSENT_DOCUMENTS)
    if not isinstance(entries, dict):
        return {}, [], []
    held = {name for earlier in read for name, _ in earlier.documents}
    by_copy: dict[str, list[str]] = defaultdict(list)
    for name, entry in entries.items():
        copies = entry.get("copies") if isinstance(entry, dict) else None
        # (Files of the output folder, named by the run: nothing else is read.)
        if isinstance(name, str) and name not in held and isinstance(copies, list):
            for copy in copies:
                if isinstance(copy, str) and Path(copy).name == copy:
                    by_copy[copy].append(name)
    found: list[tuple[float, _EarlierFile]] = []
    read_for: dict[str, list[str]] = defaultdict(list)
    for copy, names in by_copy.items():
        if not (out / copy).is_file():
            continue
        earlier, _ = _earlier_file(out / copy, workshop, ours)
        if earlier is not None:
            found.append(((out / copy).stat().st_mtime, _only_documents(earlier, set(names))))
            for name in names:
                read_for[name].append(copy)
    missing = sorted(name for names in by_copy.values() for name in names if name not in read_for)
    notes = [
        f"Avertissement : les lignes de {name} que gardait {' et '.join(entries[name]['copies'])} (rapport absent "
        "d'une exécution précédente) sont introuvables : ses décisions et ses groupes ne peuvent être repris."
        for name in dict.fromkeys(missing)
    ]
    restored = {name: entries[name] for name in read_for}
    return restored, [earlier for _, earlier in sorted(found, key=lambda pair: pair[0])], notes


def _only_documents(earlier: _EarlierFile, names: set[str]) -> _EarlierFile:
    """What `earlier` holds of the ideas of the documents `names`."""
    ideas = {idea for idea, (document, _, _) in earlier.rows.items() if document in names}

    def kept(mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {idea: value for idea, value in mapping.items() if idea in ideas}

    return earlier._replace(
        clusters=kept(earlier.clusters),
        decided=kept(earlier.decided),
        decided_texts={},
        where=kept(earlier.where),
        unread=0,
        rows=kept(earlier.rows),
        withdrawn=earlier.withdrawn & ideas,
        stated=kept(earlier.stated),
        relabelled=kept(earlier.relabelled),
        added={column: cells for column, all_cells in earlier.added.items() if (cells := kept(all_cells))},
        proposed=kept(earlier.proposed),
        documents={key: count for key, count in earlier.documents.items() if key[0] in names},
    )


def earlier_run(out: Path, workshop: Workshop) -> tuple[EarlierRun | None, list[str]]:
    """What a run into `out` keeps of the last one there, read from its `ideas.csv` and
    `ideas.xlsx`: the cluster ids, and the axes analysts decided (`decided_axes`, rows marked
    review). An analyst edits one of them (or both): the newer one's decision counts where they
    differ, named in a note. None without either file; with it, the notes of the reading."""
    from atelier.flows.outputs import DECISIONS_COPIED, IDEAS_CSV, IDEAS_XLSX, EarlierRun, file_states
    from atelier.nlp.axis_data import with_context

    states = file_states(out)
    files = sorted(
        (path for path in (out / IDEAS_CSV, out / IDEAS_XLSX) if path.is_file()), key=lambda file: file.stat().st_mtime
    )
    if not files:
        return None, []
    notes: list[str] = []
    manifest = _earlier_manifest(out)
    if not manifest and (out / "manifest.json").is_file():  # (QA: its marks and absent reports lost, unsaid)
        notes.append(
            f"Avertissement : {out / 'manifest.json'} est illisible : ce qu'il gardait de l'exécution précédente "
            "(idées marquées « à revoir », rapports absents et la copie de leurs lignes) n'est pas repris."
        )
    written_by = manifest.get("workshop")
    ours = isinstance(written_by, dict) and written_by.get("id") == workshop.id  # (a run of this workshop)
    found: dict[Path, _EarlierFile | None] = {}
    for path in files:
        found[path], file_notes = _earlier_file(path, workshop, ours)
        notes += file_notes
    read = [earlier for earlier in found.values() if earlier is not None]
    unreadable = tuple(path for path, earlier in found.items() if earlier is None)  # copied before replaced
    newest = files[-1]
    if not read:
        return EarlierRun(
            newest, {}, modified=newest.stat().st_mtime, unread=len(files), files=tuple(files), states=states
        ), notes
    clusters: dict[str, str] = {}
    decided: dict[str, str] = {}
    decided_texts: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}
    stated: dict[str, str] = {}
    relabelled: dict[str, str] = {}
    written: dict[str, float] = {}  # idea_id or text -> when the file holding its decision was last written
    added: dict[str, dict[str, AddedCell]] = {}
    proposed: dict[str, str] = {}
    documents: dict[tuple[str, str], int] = {}
    rows: dict[str, tuple[str, str, str]] = {}
    restored, restored_files, restore_notes = _restored_documents(out, manifest, read, workshop, ours)
    notes += restore_notes
    for earlier in [*restored_files, *read]:  # older first: the newer file's values replace
        documents.update(earlier.documents)
        rows.update(earlier.rows)
        proposed.update(earlier.proposed)
        for column, cells in earlier.added.items():
            added.setdefault(column, {}).update(cells)
        clusters.update(earlier.clusters)
        decided.update(earlier.decided)
        decided_texts.update(earlier.decided_texts)
        where.update(earlier.where)
        stated.update(earlier.stated)
        relabelled.update(earlier.relabelled)
        modified = earlier.path.stat().st_mtime
        written.update(dict.fromkeys([*earlier.decided, *earlier.decided_texts, *earlier.stated], modified))
    # A copy the last run gave its decided idea's axis, still in that axis, is no analyst's decision: it
    # follows its idea's (QA: the idea decided again, the copy kept the old axis).
    copied = manifest.get(DECISIONS_COPIED)
    if isinstance(copied, dict):
        for idea, axis in copied.items():
            if decided.get(idea) == axis:
                del decided[idea]
                where.pop(idea, None)
    counting = [read[-1].path]  # the files whose decisions count
    if len(read) == 2:
        older, newer = read
        # The newer file's decisions by text, and its rows marked undecided, replace the older's.
        replaced = {
            idea for idea, (_, text, theme) in older.rows.items() if with_context(text, theme) in newer.decided_texts
        } | newer.withdrawn
        for idea in replaced & older.decided.keys() - newer.decided.keys():
            decided.pop(idea, None)
        own = decided.keys() & older.decided.keys() - newer.decided.keys()
        if own or older.decided_texts.keys() - newer.decided_texts.keys():
            counting.insert(0, older.path)  # (it holds decisions the newer one does not)
        differing = [idea for idea, axis in older.decided.items() if newer.decided.get(idea, axis) != axis]
        if differing:  # (the analyst edited one of the two files the run wrote)
            named = examples(
                [
                    f"{quoted(where[idea][1])} : axe {newer.decided[idea]} (axe {older.decided[idea]} dans "
                    f"{older.path.name})"
                    for idea in differing
                ]
            )
            notes.append(
                f"{len(differing)} idée(s) ont dans {newer.path.name}, modifié en dernier, un autre axe décidé que "
                f"dans {older.path.name} : celui de {newer.path.name} est repris ({named})."
            )
    run = EarlierRun(
        read[-1].path,
        clusters,
        decided,
        modified=newest.stat().st_mtime,
        decided_texts=decided_texts,
        decided_where=where,
        stated_axes=stated,
        relabelled_axes=relabelled,
        written=written,
        withdrawn={
            **_still_to_review(manifest, read[-1]),
            **dict.fromkeys(read[-1].withdrawn, read[-1].path.stat().st_mtime),
        },
        unread=sum(earlier.unread for earlier in read) + len(unreadable),
        files=tuple(e.path for e in read if e.decided or e.decided_texts or e.unread or e.added or e.proposed)
        + unreadable,
        named=tuple(counting),
        added_columns=added,
        proposed_axes=proposed,
        documents=documents,
        read_files=tuple(earlier.path for earlier in read),
        states=states,
        rows=rows,
        restored=restored,
    )
    return run, notes


@dataclass(frozen=True)
class FollowSettings:
    """How a run finds again the ideas of the last run's sheets whose numbers no longer hold their
    texts: the report edited and saved again (its hash, so every number, changes), or read
    otherwise by a newer atelier (a post-it found or lost before them moves their numbers)."""

    # rapidfuzz `fuzz.ratio` (0–100) of the two texts' `loose_key`s, their themes aside, for a text
    # corrected since (« Créer un budjet participatf » / « Créer un budget participatif »: 94.5),
    # among the ideas of the same document and theme, with the same numbers, that no row found:
    # « Créer un budget participatif » / « … jeunes » (88.9), « Pour le tram » / « Contre le
    # tram » (76.9) are two ideas.
    min_similarity: float = 90.0

    def __post_init__(self) -> None:
        if not 0 < self.min_similarity <= 100:
            raise ValueError("min_similarity est un score de 0 à 100")


class FollowedIdeas(NamedTuple):
    """`followed_ideas`: each row's idea now (`ids`, old idea_id -> idea_id now, for the rows whose
    number changed), and how many were found by their text under another number, by a text a
    little different under another number (`likened`: the (text in the sheet, text now) of each),
    and under their own number with another text (`edited`: the text edited in the sheet, which
    the run writes again as the report gives it)."""

    ids: dict[str, str]
    by_text: int
    likened: list[tuple[str, str]]
    edited: int

    @property
    def moved(self) -> int:
        return self.by_text + len(self.likened)


_DIGITS = re.compile(r"\d+")
_LIKELY_PER_ROW = 3  # the texts most like a row's that are kept as its candidates (memory: rows × 3)


def followed_ideas(
    rows: Mapping[str, tuple[str, str, str]],
    ideas: Sequence[Contribution],
    settings: FollowSettings = FollowSettings(),
) -> FollowedIdeas:
    """Which idea of this run each row of the last run's sheets (`rows`: idea_id -> (document, text,
    theme), in the sheet's order) is, one idea per row:

    1. the idea that has its number, when it has its text and theme (`loose_key`): most rows, and
       every row of a sheet only sorted (QA: copies of one post-it swapped their decisions);
    2. else the first idea of the same document with its text and theme that no row has found,
       the rows taken in their order (a post-it added or lost moves the others' numbers);
    3. else the one of the same document and theme, with the same numbers, not found by a row, whose
       text is the most like its text, at `settings.min_similarity` at least (a text corrected);
    4. else the idea that has its number, if no row found it and no row of its document was found
       under another number (the analyst rewrote that text in the sheet; QA: two rows rewritten side
       by side, or the one row of a document, were lost when the rows beside had to keep theirs).

    A row found nowhere whose number is now another idea's is given a number no idea has: what it
    holds is counted with the absent ideas', never put on that other idea."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from atelier.nlp.language import loose_key

    now = {item.idea_id: (item.document, loose_key(item.text), loose_key(item.theme)) for item in ideas}
    old = {idea: (document, loose_key(text), loose_key(theme)) for idea, (document, text, theme) in rows.items()}
    # (Its document's name aside: a report renamed keeps its numbers.)
    found = {idea: idea for idea, place in old.items() if idea in now and now[idea][1:] == place[1:]}
    taken = set(found.values())
    waiting: dict[tuple[str, str, str], deque[str]] = defaultdict(deque)
    for idea, place in now.items():
        if idea not in taken:
            waiting[place].append(idea)
    for idea, place in old.items():
        if idea not in found and waiting.get(place):
            found[idea] = waiting[place].popleft()
            taken.add(found[idea])
    by_text = sum(1 for idea, new in found.items() if new != idea)
    left = [idea for idea in old if idea not in found]
    candidates: list[tuple[float, str, str]] = []
    rows_of: dict[tuple[str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    for idea in left:
        document, key, theme = old[idea]
        rows_of[(document, theme, tuple(_DIGITS.findall(key)))].append(idea)
    ideas_of: dict[tuple[str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    for idea, (document, key, theme) in now.items():
        if idea not in taken:
            ideas_of[(document, theme, tuple(_DIGITS.findall(key)))].append(idea)
    for place, these in rows_of.items():
        others = ideas_of.get(place, [])
        if not others:
            continue
        keys = [now[i][1] for i in others]
        for start in range(0, len(these), 500):  # (rows at a time: a matrix of 20,000 × 20,000 is 1.6 GB)
            block = these[start : start + 500]
            scores = process.cdist(
                [old[i][1] for i in block], keys, scorer=fuzz.ratio, score_cutoff=settings.min_similarity,
                dtype=np.float32,
            )
            for row, idea in enumerate(block):
                best = np.argsort(-scores[row])[:_LIKELY_PER_ROW]
                candidates += [(float(scores[row, col]), idea, others[col]) for col in best if scores[row, col]]
    text_of = {item.idea_id: item.text for item in ideas}
    likened: list[tuple[str, str]] = []
    edited = 0
    for score, idea, other in sorted(candidates, key=lambda candidate: -candidate[0]):
        if idea not in found and other not in taken:
            found[idea] = other
            taken.add(other)
            if other == idea:
                edited += 1
            else:
                likened.append((rows[idea][1], text_of[other]))
    # (A document none of whose rows was found under another number keeps its numbers.)
    moved = {old[idea][0] for idea, new in found.items() if new != idea}
    for idea in left:
        if idea not in found and idea in now and idea not in taken and old[idea][0] not in moved:
            found[idea] = idea
            taken.add(idea)
            edited += 1
    ids = {idea: new for idea, new in found.items() if new != idea}
    for idea in old:
        if idea not in found and idea in now:
            ids[idea] = f"{idea} (avant)"  # (a number no idea has)
    return FollowedIdeas(ids, by_text, likened, edited)
