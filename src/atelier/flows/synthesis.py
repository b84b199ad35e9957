"""The human-readable synthesis of a run: one self-contained French HTML page.

`synthesis_context` turns records into plain numbers and strings; the Jinja2 template
(`templates/synthesis.html`, autoescape on: post-its are untrusted input) lays them out.
No external asset, no JavaScript: bars are inline SVG drawn from numbers computed here.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import jinja2

from atelier.extract.records import KINDS, MODEL_SOURCE, Contribution, DocumentResult
from atelier.flows.messages import counted, french_number
from atelier.nlp.dedup import ClusterSummary
from atelier.nlp.language import normalize_for_match
from atelier.nlp.masking import masked_contacts, masked_names, masked_people, masked_writers
from atelier.nlp.people import recognised_people
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

KIND_LABELS: dict[str, str] = {"postit": "post-it", "objective": "objectif", "action": "action"}
KIND_LABELS_PLURAL: dict[str, str] = {"postit": "post-it", "objective": "objectifs", "action": "actions"}
TEMPLATE_NAME = "synthesis.html"

# Geometry of the bar chart (SVG user units).
_CHART_WIDTH = 720
_BAR_MAX = 560
_BAR_HEIGHT = 16
_ROW_HEIGHT = 64


# Documents named after an idea's weight, at most (QA: « dans 3 documents » did not say which).
NAMED_DOCUMENTS = 4


def weight_phrase(times: int, documents: int = 0, names: Sequence[str] = ()) -> str:
    """How often an idea came up, as both renderings say it: "revient 6 fois, dans 3 documents"
    and, with their `names`, which: "… : seance1.pdf, seance2.pdf, seance3.pdf" (not in brackets: the
    phrase is shown in brackets, QA)."""
    said = f"revient {times} fois" if times > 1 else "1 fois"
    if documents <= 1:
        return said
    named = ", ".join(names[:NAMED_DOCUMENTS]) + ("…" if len(names) > NAMED_DOCUMENTS else "")
    return said + f", dans {documents} documents" + (f" : {named}" if named else "")


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("atelier.flows", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["weight"] = weight_phrase
    return environment


# Masking names is automatic and misses some (nicknames, names in no list in an unusual sentence).
NAMES_MASKING_WARNING = (
    "Le masquage des noms est automatique et incomplet (un surnom, un prénom rare dans une tournure inhabituelle "
    "peuvent lui échapper) : relisez la synthèse avant de la diffuser."
)
# What the ideas' weights count (QA: a consultant read « revient 3 fois » as three participants).
IDEAS_NOTE = (
    "Chaque idée est écrite une fois, dans sa formulation la plus complète ; « revient N fois » compte les "
    "contributions regroupées en elle : post-it, objectifs et actions, de tous les documents, y compris quand "
    "un compte-rendu reprend la même idée dans sa synthèse et dans ses tableaux détaillés. Les idées qui "
    "reviennent le plus viennent en premier."
)


PLANS_NOTE = (
    "Les tableaux du compte-rendu mis en commun : chaque objectif une fois, avec les actions qu'il porte dans "
    "l'un ou l'autre document, et pour chaque action ses sous-champs (freins, modalités, partenaires…), chaque "
    "texte une fois ; ceux que toutes les actions d'un objectif partagent sont dits une fois, sous l'objectif."
)


def _percent(value: float | None) -> str:
    """A share in whole percent, rounded down: 0.499 is « 49 % », not the « 50 % » it is below (QA)."""
    return "—" if value is None else f"{french_number(math.floor(100 * value + 1e-9))} %"


def participation_phrases(documents: Sequence[DocumentResult]) -> list[str]:
    """What each report says of who took part, as both renderings say it (QA: the counts were read and
    never shown): « rapport.pdf : 60 participants (séances : 49, 29, 20 ; 25 à deux séances au moins) ».
    Per report: two reports may count the same people."""
    phrases = []
    for document in documents:
        statistics = document.statistics
        sessions = sorted(
            (int(key.rsplit("_", 1)[1]), value)
            for key, value in statistics.items()
            if key.startswith("participants_session_") and key.rsplit("_", 1)[1].isdigit()
        )
        parts = []
        if sessions:
            parts.append(f"séances : {', '.join(str(count) for _, count in sessions)}")
        if "participants_returning" in statistics:
            parts.append(f"{statistics['participants_returning']} à deux séances au moins")
        stated = statistics.get("participants_stated")
        if stated is None and not parts:
            continue
        said = f"{stated} participant{'s' if stated > 1 else ''}" if stated is not None else "participants"
        phrases.append(f"{document.document} : {said}" + (f" ({' ; '.join(parts)})" if parts else ""))
    return phrases


def _kinds_label(kinds: Sequence[str]) -> str:
    return ", ".join(KIND_LABELS.get(kind, kind) for kind in kinds)


def action_plans(
    contributions: Sequence[Contribution], clusters: Sequence[ClusterSummary]
) -> dict[str | None, list[dict[str, Any]]]:
    """Per axis, the report's tables consolidated: each objective once (its cluster), with the
    actions listed under it in any document, each action once (its cluster), and their
    sub-fields ("Freins", "Partenaires", …), each field's texts once whatever the document.
    In the order of the report; an action under no objective comes under `objective` None.

    An objective goes to its own axis, worded and counted as the report's objectives of its
    cluster say it (not a post-it of the cluster), and an action is worded as the report's actions
    of its cluster say it (`_table_wording`); an action that no objective item carries is
    grouped under the text of the objective it names, in the action's axis. An action row naming
    no objective goes under the objective most rows of its cluster name, if any: the same action
    is not listed both under its objective and among the actions without one."""
    summary_of = {s.cluster_id: s for s in clusters}
    objective_cluster = {c.text: c.cluster_id for c in contributions if c.kind == "objective" and c.cluster_id}
    objective_rows = Counter(c.cluster_id for c in contributions if c.kind == "objective" and c.cluster_id)
    wording = _table_wording(contributions)
    named: dict[str, Counter[str]] = defaultdict(Counter)  # action cluster -> objectives its rows name
    for c in contributions:
        if c.kind == "action" and c.cluster_id and c.objective:
            named[c.cluster_id][c.objective] += 1
    # An objective is its cluster, or for an action naming an objective that no item carries, that name.
    plans: dict[str | None, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for c in contributions:
        objective = c.objective
        if c.kind == "action" and not objective and named.get(c.cluster_id or ""):
            objective = named[c.cluster_id or ""].most_common(1)[0][0]
        if c.kind == "objective" and c.cluster_id:
            cluster: str | None = c.cluster_id
        elif c.kind == "action":
            cluster = objective_cluster.get(objective or "")
        else:
            continue
        key = ("cluster", cluster) if cluster else ("name", normalize_for_match(objective or ""))
        summary = summary_of.get(cluster) if cluster else None
        axis = summary.axis if summary is not None else c.axis
        plan = plans[axis].setdefault(
            key,
            {
                "objective": wording["objective", cluster] if cluster else (objective or None),
                "times": objective_rows[cluster] if cluster else 0,
                "actions": {},
            },
        )
        if c.kind != "action":
            continue
        action_key = c.cluster_id or c.idea_id
        own = summary_of.get(c.cluster_id or "")
        action = plan["actions"].setdefault(
            action_key,
            {
                # (As the report's actions of the cluster word it, not a post-it of it: QA.)
                "text": wording.get(("action", action_key), c.text),
                "times": 0,
                "fields": {},
                "axis": own.axis if own is not None else c.axis,
            },
        )
        action["times"] += 1
        for detail in c.details:
            # "Risque" and "Risques" head one field, named as first written.
            field = action["fields"].setdefault(_field_key(detail.field), {"field": detail.field, "texts": {}})
            field["texts"].setdefault(normalize_for_match(detail.text), detail.text)
    return {
        axis: [
            {"objective": plan["objective"], "times": plan["times"], **_shared_fields(plan, axis)}
            for plan in by_objective.values()
        ]
        for axis, by_objective in plans.items()
    }


def _shared_fields(plan: Mapping[str, Any], axis: str | None) -> dict[str, list[dict[str, Any]]]:
    """An objective's actions, each with its sub-fields (`actions`) and, placed in another axis than
    `axis`, the objective's, where it is (`elsewhere`: QA, an action listed under its objective in
    axis 4 was among the ideas of axis 3, unsaid), and the sub-field texts all of its actions (two
    or more) carry, said once for the objective (`fields`) rather than under each (QA: a row's
    « Modalités » cell was printed under each of its three actions)."""
    actions = list(plan["actions"].values())
    shared: set[tuple[str, str]] = set()
    if len(actions) >= 2:
        shared = set.intersection(
            *({(key, text) for key, field in action["fields"].items() for text in field["texts"]} for action in actions)
        )
    fields: dict[str, dict[str, Any]] = {}
    for action in actions:
        for key, field in action["fields"].items():
            for text_key, text in field["texts"].items():
                if (key, text_key) in shared:
                    fields.setdefault(key, {"field": field["field"], "texts": {}})["texts"].setdefault(text_key, text)

    def own(field_key: str, field: Mapping[str, Any]) -> list[str]:
        return [text for text_key, text in field["texts"].items() if (field_key, text_key) not in shared]

    return {
        "fields": [{"field": field["field"], "texts": list(field["texts"].values())} for field in fields.values()],
        "actions": [
            {
                "text": action["text"],
                "times": action["times"],
                "elsewhere": f"placée dans l'axe {action['axis']}" if action["axis"] not in (axis, None) else "",
                "fields": [
                    {"field": field["field"], "texts": texts}
                    for key, field in action["fields"].items()
                    if (texts := own(key, field))
                ],
            }
            for action in actions
        ],
    }


def _table_wording(contributions: Sequence[Contribution]) -> dict[tuple[str, str], str]:
    """(kind, cluster) -> how the report's objective or action rows of a cluster word it: the
    cluster's canonical text, as the ideas section shows it, when one of these rows says it (QA:
    « Installer des arceaux vélos… », the first action row, stood for the canonical « Installer
    des arceaux de stationnement vélo… », a post-it that a later action row said too), else the
    first row's text (a post-it of the cluster does not word the report's tables: QA)."""
    canonical = {c.cluster_id: c.text for c in contributions if c.canonical and c.cluster_id}
    folded = {cluster: normalize_for_match(text) for cluster, text in canonical.items()}
    wording: dict[tuple[str, str], str] = {}
    for c in contributions:
        if c.kind not in ("objective", "action") or not c.cluster_id:
            continue
        if c.cluster_id in folded and normalize_for_match(c.text) == folded[c.cluster_id]:
            wording[c.kind, c.cluster_id] = canonical[c.cluster_id]
        else:
            wording.setdefault((c.kind, c.cluster_id), c.text)
    return wording


def _field_key(label: str) -> str:
    """A sub-field's label without accents, case or plural mark."""
    folded = normalize_for_match(label)
    return folded[:-1] if folded.endswith("s") else folded


def synthesis_context(
    *,
    workshop: Workshop,
    contributions: Sequence[Contribution],
    clusters: Sequence[ClusterSummary],
    documents: Sequence[DocumentResult],
    generated_at: datetime,
    nlp: spacy.Language | None = None,
) -> dict[str, Any]:
    """Everything the template shows, as plain values; with `nlp`, the people its recogniser finds
    in the ideas are masked too (`_without_personal_data`).

    Ideas to review: those the classifier flagged `needs_review`, and any idea without axis;
    an idea whose `needs_review` is unset is listed if the model placed it below the workshop's
    `abstain_threshold`.
    """
    attention_threshold = workshop.settings.abstain_threshold
    axes = [(axis.id, axis.label) for axis in workshop.axes]
    kind_of_idea = Counter((c.axis, c.kind) for c in contributions)
    ideas_per_axis = Counter(c.axis for c in contributions)
    clusters_per_axis = Counter(s.axis for s in clusters)
    axes_of_cluster: dict[str, Counter[str | None]] = defaultdict(Counter)
    for c in contributions:
        axes_of_cluster[c.cluster_id or c.idea_id][c.axis] += 1
    largest = max([*ideas_per_axis.values(), 1])

    plans = action_plans(contributions, clusters)
    axis_rows: list[dict[str, Any]] = []
    known = {axis_id for axis_id, _ in axes}
    listed = list(axes)
    if any(c.axis is None or c.axis not in known for c in contributions):
        listed.append((None, "Sans axe"))
    for index, (axis_id, label) in enumerate(listed):
        members = [s for s in clusters if s.axis == axis_id]
        # (In French order: « Éteindre… » with the e's, not after « Trop… », QA.)
        members.sort(key=lambda s: (-int(s.size), normalize_for_match(s.canonical_text), s.canonical_text))
        ideas = ideas_per_axis.get(axis_id, 0) if axis_id is not None else sum(
            1 for c in contributions if c.axis is None or c.axis not in known
        )
        distinct = clusters_per_axis.get(axis_id, 0) if axis_id is not None else len(members)
        # Stacked segments of the ideas bar, one per kind.
        segments, x = [], 0.0
        for kind in KINDS:
            n = kind_of_idea.get((axis_id, kind), 0)
            width = _BAR_MAX * n / largest
            if n:
                segments.append({"kind": kind, "label": KIND_LABELS_PLURAL[kind], "x": round(x, 1), "width": round(width, 1), "count": n})
            x += width
        axis_rows.append(
            {
                "id": axis_id,
                "label": label,
                "title": f"Axe {axis_id} – {label}" if axis_id is not None else label,
                "ideas": ideas,
                "distinct": distinct,
                "per_kind": {kind: kind_of_idea.get((axis_id, kind), 0) for kind in KINDS},
                "y": index * _ROW_HEIGHT,
                "segments": segments,
                "ideas_width": round(_BAR_MAX * ideas / largest, 1),
                "distinct_width": round(_BAR_MAX * distinct / largest, 1),
                "plans": plans.get(axis_id, []) if axis_id is not None else [
                    plan for other, axis_plans in plans.items() if other not in known for plan in axis_plans
                ],
                "clusters": [
                    {
                        "text": s.canonical_text,
                        "size": int(s.size),
                        "kinds": _kinds_label(s.kinds),
                        "documents": len(s.documents),
                        "document_names": sorted(s.documents),
                        "elsewhere": _placed_elsewhere(axes_of_cluster[s.cluster_id], s.axis),
                    }
                    for s in members
                ],
            }
        )

    # Ideas to check, least confident first; a repeated idea (same cluster) is listed once.
    def to_review(c: Contribution) -> bool:
        if c.axis is None:
            return True
        if c.needs_review is not None:
            return c.needs_review
        confidence = c.axis_confidence
        return c.axis_source == MODEL_SOURCE and confidence is not None and workshop.settings.is_unsure(confidence)

    multi_axis = sum(1 for c in contributions if c.axis_2)
    doubtful = sorted(
        (c for c in contributions if to_review(c)),
        key=lambda c: (c.axis_confidence if c.axis_confidence is not None else -1.0, c.document, c.page),
    )
    repeats = Counter(c.cluster_id or c.idea_id for c in doubtful)
    attention: list[Contribution] = []
    listed_clusters: set[str] = set()
    for c in doubtful:
        key = c.cluster_id or c.idea_id
        if key not in listed_clusters:
            listed_clusters.add(key)
            attention.append(c)
    labels = dict(axes)
    # A repeated idea is shown in its cluster's wording, as in the lists of the axes (QA: a copy signed
    # « - Josiane Martin » was shown here, a participant's name in the document handed to the city).
    wording = {s.cluster_id: s.canonical_text for s in clusters}
    ok = [d for d in documents if d.status == "ok"]
    context = {
        "title": workshop.title,
        "documents": [
            {
                "name": d.document,
                "status": d.status,
                "pages": d.pages,
                "ideas": len(d.contributions),
                "error": d.error,
                "warnings": list(d.warnings),
                "sha256": d.sha256[:12],
            }
            for d in documents
        ],
        "documents_ok": len(ok),
        "participation": participation_phrases(ok),
        "documents_error": sum(1 for d in documents if d.status == "error"),
        "ideas": len(contributions),
        "distinct": len(clusters),
        "per_kind": [
            {
                "kind": kind,
                "label": KIND_LABELS_PLURAL[kind] if count > 1 else KIND_LABELS[kind],  # (« 0 objectif »: QA)
                "count": count,
            }
            for kind in KINDS
            for count in [sum(1 for c in contributions if c.kind == kind)]
        ],
        "kinds": [{"kind": kind, "label": KIND_LABELS_PLURAL[kind]} for kind in KINDS],
        "axes": axis_rows,
        "chart": {"width": _CHART_WIDTH, "height": len(axis_rows) * _ROW_HEIGHT, "bar_height": _BAR_HEIGHT},
        "attention": [
            {
                "text": wording.get(c.cluster_id or "", c.text),
                "kind": KIND_LABELS.get(c.kind, c.kind),
                "document": c.document,
                "page": c.page,
                "axis": f"{c.axis} – {labels.get(c.axis, c.axis_label)}" if c.axis is not None else "aucun",
                "confidence": _percent(c.axis_confidence),
                "times": repeats[c.cluster_id or c.idea_id],
                "axis_2": _second_axis(c, labels),
                "evidence": "; ".join(c.axis_evidence),
            }
            for c in attention
        ],
        "attention_threshold": _percent(attention_threshold),
        "notice": (
            f"Synthèse générée automatiquement le {generated_at.strftime('%d/%m/%Y à %H:%M')} "
            f"(atelier « {workshop.id} »). Les axes attribués par le modèle sont à relire."
        ),
        "nothing_to_check": (
            "Aucune : toutes les contributions ont un axe attribué avec une confiance d'au moins "
            f"{_percent(attention_threshold)}."
            if contributions
            else "Aucune : aucune contribution n'a été lue."
        ),
        "multi_axis": multi_axis,
        "multi_axis_note": _multi_axis_note(multi_axis),
        "ideas_note": IDEAS_NOTE,
        "plans_note": PLANS_NOTE,
    }
    contacts, names = _without_personal_data(context, nlp)
    if contacts:
        gave = "donnait" if contacts == 1 else "donnaient"
        context["notice"] += (
            f" {counted(contacts, 'texte')} {gave} une adresse e-mail ou un numéro de téléphone : masqués dans cette "
            "synthèse (ideas.csv et ideas.xlsx les gardent)."
        )
    if names:
        said = "était signé ou nommait" if names == 1 else "étaient signés ou nommaient"
        context["notice"] += (
            f" {counted(names, 'texte')} {said} quelqu'un : ces noms sont masqués dans cette synthèse "
            "(ideas.csv et ideas.xlsx les gardent)."
        )
    if contributions:  # (QA, two corpora written to test it: 30 to 45 % of the names still pass)
        context["notice"] += " " + NAMES_MASKING_WARNING
    return context


def _without_personal_data(context: dict[str, Any], nlp: spacy.Language | None) -> tuple[int, int]:
    """The idea texts of `context` with their e-mail addresses and phone numbers masked
    (`masked_contacts`: QA, a participant's address and phone were in the document handed to the
    city), then their names (`masked_names`: the people the recogniser of `nlp` finds in them, their
    writers' names and the people they name); how many texts gave contacts, and how many names."""
    without_contacts_of: dict[str, str] = {}

    def collect(text: str) -> str:
        without_contacts_of[text] = masked_contacts(text)
        return text

    _each_shown_text(context, collect)
    mentions = recognised_people(list(without_contacts_of.values()), nlp) if nlp is not None else {}
    contacts: set[str] = set()
    names: set[str] = set()

    def mask(text: str) -> str:
        without_contacts = without_contacts_of[text]
        if without_contacts != text:
            contacts.add(text)
        unnamed = masked_names(without_contacts, mentions.get(without_contacts, ()))
        if unnamed != without_contacts:
            names.add(text)
        return unnamed

    originals = [row["text"] for row in context["attention"]]
    _each_shown_text(context, mask)
    for row, original in zip(context["attention"], originals, strict=True):
        # (QA: an address the model weighed was shown among the idea's evidence; so was a name masked in the idea.)
        masked_words = _folded_words(original) - _folded_words(row["text"])
        weighed = [word for word in row["evidence"].split("; ") if normalize_for_match(word) not in masked_words]
        row["evidence"] = masked_people(masked_writers(masked_contacts("; ".join(weighed))))
    return len(contacts), len(names)


def _folded_words(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", normalize_for_match(text)))


def _each_shown_text(context: dict[str, Any], change: Callable[[str], str]) -> None:
    """Each idea text `context` shows replaced by `change` of it."""
    for axis in context["axes"]:
        for cluster in axis["clusters"]:
            cluster["text"] = change(cluster["text"])
        for plan in axis["plans"]:
            plan["objective"] = plan["objective"] and change(plan["objective"])
            for field in plan["fields"]:
                field["texts"] = [change(text) for text in field["texts"]]
            for action in plan["actions"]:
                action["text"] = change(action["text"])
                for field in action["fields"]:
                    field["texts"] = [change(text) for text in field["texts"]]
    for row in context["attention"]:
        row["text"] = change(row["text"])


def _placed_elsewhere(axes: Counter[str | None], axis: str | None) -> str:
    """What a cluster listed under `axis` says of its members placed in another one (QA: an action
    two reports placed in axes 4 and 5 was listed under axis 4, « revient 2 fois », and the counts
    of axis 5 did not add up): « dont 1 placée dans l'axe 5 »."""
    others = sorted((other for other in axes if other != axis), key=lambda other: (other is None, str(other)))
    if not others:
        return ""
    count = sum(axes[other] for other in others)
    if others == [None]:
        return f"dont {count} sans axe"
    named = ", ".join("sans axe" if other is None else str(other) for other in others)
    where = f"l'axe {named}" if len(others) == 1 else f"d'autres axes ({named})"
    return f"dont {count} placée{'s' if count > 1 else ''} dans {where}"


def _multi_axis_note(count: int) -> str:
    """The ideas that may belong to a second axis too, as both renderings say it."""
    if not count:
        return ""
    many = count > 1
    return (
        f"{count} contribution{'s' if many else ''} pourrai{'ent' if many else 't'} toucher aussi un second axe "
        f"proche, celui vers lequel penchent {'leurs' if many else 'ses'} seuls mots (colonne axis_2, à confirmer)."
    )


def _second_axis(c: Contribution, labels: Mapping[str | None, str]) -> str:
    if not c.axis_2:
        return ""
    # (QA: « 26 % » for the axis proposed and « (64 %) » for the second read as a contradiction: an idea
    # under a theme has its second axis from its own words, its axis with its theme's neighbours.)
    own = " selon ses seuls mots" if c.theme.strip() else ""
    return f"{c.axis_2} – {labels.get(c.axis_2, c.axis_2)} ({_percent(c.axis_2_confidence)}{own})"


def render_synthesis(
    *,
    workshop: Workshop,
    contributions: Sequence[Contribution],
    clusters: Sequence[ClusterSummary],
    documents: Sequence[DocumentResult],
    generated_at: datetime,
    nlp: spacy.Language | None = None,
) -> str:
    """The synthesis page as one self-contained HTML string."""
    context = synthesis_context(
        workshop=workshop,
        contributions=contributions,
        clusters=clusters,
        documents=documents,
        generated_at=generated_at,
        nlp=nlp,
    )
    return synthesis_html(context)


def synthesis_html(context: Mapping[str, Any]) -> str:
    """The synthesis page of a context (`synthesis_context`)."""
    return _environment().get_template(TEMPLATE_NAME).render(**context)
