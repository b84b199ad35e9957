"""Axis classification: which axis of a workshop an idea belongs to, how sure, and why.

Each idea is read once by `language.analyse` (spaCy: lemmas of the content words and their
`fr_core_news_md` word vectors). A scikit-learn `Pipeline` then turns that analysis into
features and a linear classifier into probabilities. This module predicts with such a model
and places contributions; the rest of axis classification lives next to it:

- `axis_settings`: `ClassifierSettings`, every knob and its default;
- `axis_data`: the training texts (labelled ideas, the workshop YAML as pseudo-examples, the
  batch's unlabelled ideas, each idea read with its theme) and their near-duplicate groups;
- `axis_features`: `IdeaFeatures`, the features of an idea, and the axis terms it is compared with;
- `axis_estimator`: `CalibratedLinearClassifier`, the temperature-calibrated logistic regression;
- `axis_training`: `train_axis_model`, with self-training and calibration;
- `axis_model`: `AxisModel` and its skops bytes (never pickle) with its card (files: `flows.modeling`);
- `axis_evaluation`: cross-validation, calibration and scores on labelled ideas.

Ideas filed under one theme of a report (the post-its of a "Santé" or "Habitat" cell) tend to
share an axis: `axis_data.with_theme_context` mixes each idea's probabilities with its neighbours'
(`theme_context_weight` in the workshop YAML), so a post-it that says little by itself
("Reconnaissance") leans towards the axis of the ideas around it.

`axis_evidence`: the lemmas that pushed the idea towards its axis, from the exact
contributions of each word to the linear score (all feature blocks are linear in the words).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from sklearn.pipeline import Pipeline

from atelier.extract.records import DOCUMENT_SOURCE, MODEL_SOURCE, REVIEW_SOURCE, AxisSource, Contribution
from atelier.nlp.axis_data import idea_text, theme_group, with_theme_context
from atelier.nlp.axis_estimator import CalibratedLinearClassifier
from atelier.nlp.axis_features import IdeaFeatures
from atelier.nlp.axis_model import AxisModel, AxisModelError
from atelier.nlp.dedup_text import writer_words
from atelier.nlp.language import Analysis, analyse, is_filler, is_wordless, loose_key, normalize_for_match
from atelier.nlp.workshop import Workshop

if TYPE_CHECKING:
    import spacy

# Ideas predicted together (see `predict_analysis`).
PREDICTION_BLOCK = 2048
# The `axis_evidence` of an idea without a word (`is_wordless`), left without an axis: why, for the analyst.
WORDLESS_EVIDENCE = "(aucun mot : pas d'axe)"


@dataclass(frozen=True)
class AxisPrediction:
    """The best axis of an idea and its probability, the runner-up, and the words that weighed
    most. `second_behind`: how far the runner-up's probability is below the best one of the
    probabilities it comes from (those of the idea's own words, see `with_own_second_axis`);
    None for `confidence - second_confidence`."""

    axis: str
    confidence: float
    second_axis: str | None = None
    second_confidence: float | None = None
    evidence: tuple[str, ...] = ()
    second_behind: float | None = None


def predict_analysis(
    pipeline: Pipeline,
    analysis: Analysis,
    evidence: int = 3,
    *,
    groups: Sequence[Hashable | None] | None = None,
    context_weight: float = 0.0,
    block_size: int = PREDICTION_BLOCK,
) -> list[AxisPrediction]:
    """Predictions for analysed ideas; with `groups`, each idea's probabilities are mixed with
    those of its group (`with_theme_context`) before the best axis is taken. The evidence is
    the idea's own lemmas towards that axis.

    Ideas are taken `block_size` at a time, so that time and memory grow with the number of
    ideas and not with its square (the evidence relates each idea to the lemmas of its block)."""
    if not len(analysis):
        return []
    features: IdeaFeatures = pipeline.named_steps["features"]
    classifier: CalibratedLinearClassifier = pipeline.named_steps["classifier"]
    blocks = [np.arange(start, min(start + block_size, len(analysis))) for start in range(0, len(analysis), block_size)]
    parts = [analysis.subset(block) for block in blocks] if len(blocks) > 1 else [analysis]
    sparse_columns = int(features.offsets_[2])  # word and character n-grams: what the evidence reads of a row
    probabilities_by_block, rows_by_block = [], []
    for part in parts:
        rows = features.transform(part)
        probabilities_by_block.append(classifier.predict_proba(rows))
        if evidence > 0:
            rows_by_block.append(rows[:, :sparse_columns])
    probabilities = np.vstack(probabilities_by_block)
    if groups is not None:
        probabilities = with_theme_context(probabilities, groups, context_weight)
    classes = classifier.classes_
    order = np.argsort(-probabilities, axis=1, kind="stable")
    evidences: list[tuple[str, ...]] = [() for _ in range(len(analysis))]
    if evidence > 0:
        coef = classifier.coef_matrix_
        towards = coef - coef.mean(axis=0)  # towards the chosen axis, away from the average axis
        for block, part, rows in zip(blocks, parts, rows_by_block, strict=True):
            contributions, names = features.lemma_contributions(part, rows, towards, order[block, 0])
            words = [_evidence_word(name) for name in names]
            for position, i in enumerate(block.tolist()):
                start, end = contributions.indptr[position], contributions.indptr[position + 1]
                values, columns = contributions.data[start:end].tolist(), contributions.indices[start:end].tolist()
                lemmas, folded = [names[c] for c in columns], [words[c] for c in columns]
                evidences[i] = _strongest_words(values, lemmas, folded, evidence)
    best = order[:, 0]
    best_confidence = probabilities[np.arange(len(analysis)), best]
    if probabilities.shape[1] > 1:
        second = order[:, 1]
        second_confidence = probabilities[np.arange(len(analysis)), second]
    return [
        AxisPrediction(
            axis=str(classes[best[i]]),
            confidence=float(best_confidence[i]),
            second_axis=str(classes[second[i]]) if probabilities.shape[1] > 1 else None,
            second_confidence=float(second_confidence[i]) if probabilities.shape[1] > 1 else None,
            evidence=evidences[i],
        )
        for i in range(len(analysis))
    ]


def _evidence_word(lemma: str) -> str:
    """What makes two evidence lemmas one word for the analyst: case, accents and a plural's
    final s or x ("Egalité"/"égalité"; "médecin"/"medecins", a misspelt plural that the lemma
    table does not know, QA)."""
    folded = normalize_for_match(lemma)
    return folded[:-1] if len(folded) > 3 and folded[-1] in "sx" else folded


def _strongest_words(
    values: Sequence[float], lemmas: Sequence[str], words: Sequence[str], count: int
) -> tuple[str, ...]:
    """The `count` lemmas that pushed most towards the axis. Lemmas that differ only by accents
    or case ("Egalité" in a heading, "égalité" in the text) are one word (`words`, their
    `_evidence_word`): their pushes add up, and the form that pushed most is shown."""
    totals: dict[str, float] = {}
    shown: dict[str, tuple[float, str]] = {}
    for value, lemma, word in zip(values, lemmas, words, strict=True):
        totals[word] = totals.get(word, 0.0) + value
        shown[word] = max(shown.get(word, (value, lemma)), (value, lemma))
    ranked = sorted((-total, shown[word][1]) for word, total in totals.items() if total > 0)
    return tuple(lemma for _, lemma in ranked[:count])


def predict_axes(
    model: AxisModel,
    texts: Sequence[str],
    nlp: spacy.Language,
    *,
    batch_size: int | None = None,
    evidence: int = 3,
    groups: Sequence[Hashable | None] | None = None,
    context_weight: float = 0.0,
) -> list[AxisPrediction]:
    """The most probable axis of each text, its probability, the runner-up and the evidence;
    with `groups` (one per text, None for none), read in the context of its group."""
    analysis = analyse(nlp, texts, mode=model.lemma_mode, batch_size=batch_size)
    return predict_analysis(model.pipeline, analysis, evidence, groups=groups, context_weight=context_weight)


def with_own_second_axis(prediction: AxisPrediction, own_words: AxisPrediction) -> AxisPrediction:
    """`prediction` (of an idea read with its theme and its theme's other ideas) with, as its
    runner-up, the best other axis of `own_words` (the same idea's text alone): a post-it on two
    axes says both in its words, while its theme pulls towards one ("Des bancs à l'ombre, ma mère
    ne peut pas marcher longtemps" under "Cadre de vie")."""
    if own_words.axis != prediction.axis:
        second, confidence = own_words.axis, own_words.confidence
    else:
        second, confidence = own_words.second_axis, own_words.second_confidence
    if second is None or confidence is None:
        return dataclasses.replace(prediction, second_axis=None, second_confidence=None, second_behind=None)
    return dataclasses.replace(
        prediction, second_axis=second, second_confidence=confidence, second_behind=own_words.confidence - confidence
    )


def needs_review(prediction: AxisPrediction, workshop: Workshop) -> bool:
    """Whether a model's axis is too unsure to be kept without an analyst's look (an idea without a
    word gets none: `unplaced`)."""
    return workshop.settings.is_unsure(prediction.confidence)


def own_evidence(evidence: Sequence[str], item: Contribution) -> tuple[str, ...]:
    """The evidence lemmas that are the idea's: a lemma found in its theme and not in its text
    (the classifier reads both) is left out — "Encourager la RSE" showed "santé", its theme —, and
    so is its writer's name or a greeting (`writer_words`: QA, « jean-pierre » was the evidence of
    « Jean-Pierre : des composteurs dans chaque quartier »; participants' names are personal data). A
    noun the lemma table reads as a verb is shown as the idea writes it: "route", not "router"
    (QA: « les routes » showed « router », « combles » « combler », « aides » « aider »)."""
    if not evidence:
        return ()
    misread = any(_folded(lemma).endswith("r") for lemma in evidence)
    if misread:
        words = frozenset(_WORD.findall(normalize_for_match(item.text)))
        evidence = [_as_written(lemma, words) for lemma in evidence]
    writer = writer_words(item.text)  # (after: « Marie » is read « marier », then written back « marie »)
    if writer:
        evidence = [lemma for lemma in evidence if _folded(lemma) not in writer]
    if not item.theme.strip():
        return tuple(evidence)
    text = normalize_for_match(item.text)  # (the words of a long answer: read once, and only if needed)
    said, in_theme = _Said(text), _theme_said(_folded(item.theme))
    return tuple(lemma for lemma in evidence if said(_folded(lemma)) or not in_theme(_folded(lemma)))


class _Said:
    """Whether a folded text writes a lemma (folded), or a word sharing all its letters but the
    last two (QA: « associer » of the theme « Ce que l'on associe à la cohésion sociale » was shown
    as the evidence of its post-its). The text's words are read once, at the first lemma it does
    not hold as written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: frozenset[str] | None = None

    def __call__(self, lemma: str) -> bool:
        if lemma in self.text:
            return True
        if self.words is None:
            self.words = frozenset(_WORD.findall(self.text))
        return any(
            min(len(word), len(lemma)) >= 4
            and len(os.path.commonprefix((word, lemma))) >= max(len(word), len(lemma)) - 2
            for word in self.words
        )


@lru_cache(maxsize=4096)
def _theme_said(theme: str) -> _Said:
    """`_Said` of a theme (folded): a batch repeats its themes."""
    return _Said(theme)


_WORD = re.compile(r"\w+")


def _as_written(lemma: str, words: frozenset[str]) -> str:
    """`lemma` without its final "r" when the idea writes that shorter word (or its plural) and
    not the lemma (`words`: the idea's, folded): an infinitive the lookup table gave a noun
    ("router" for "routes")."""
    folded = _folded(lemma)
    if len(folded) < 4 or not folded.endswith("r") or folded in words:
        return lemma
    return lemma[:-1] if folded[:-1] in words or folded[:-1] + "s" in words else lemma


@lru_cache(maxsize=65_536)
def _folded(text: str) -> str:
    """`normalize_for_match`, remembered: a batch repeats its themes and its evidence lemmas."""
    return normalize_for_match(text)


def placed_by_model(item: Contribution, prediction: AxisPrediction, workshop: Workshop) -> Contribution:
    """A copy of `item` with the model's best axis and, under the workshop's settings, the
    review fields: `needs_review`, the runner-up axis when close (neither being the "hors axes"
    one), the evidence lemmas."""
    settings = workshop.settings
    close = prediction.second_axis is not None and prediction.second_confidence is not None
    if close:
        behind = prediction.second_behind
        if behind is None:
            behind = prediction.confidence - prediction.second_confidence
        close = prediction.second_confidence >= settings.second_axis_min_confidence and (
            behind <= settings.second_axis_margin
        )
        # An idea outside every axis is on no second one, and "outside" is no second axis.
        close = close and workshop.out_of_scope_axis not in (prediction.axis, prediction.second_axis)
    return dataclasses.replace(
        item,
        axis=prediction.axis,
        axis_label=workshop.axis_label(prediction.axis),
        axis_source=MODEL_SOURCE,
        axis_confidence=prediction.confidence,
        needs_review=needs_review(prediction, workshop),
        axis_2=prediction.second_axis if close else None,
        axis_2_confidence=prediction.second_confidence if close else None,
        axis_evidence=own_evidence(prediction.evidence, item)[: settings.evidence_lemmas],
    )


def unplaced(item: Contribution) -> Contribution:
    """A copy of `item` the classifier leaves without an axis, flagged for review: it has no word
    (« ??? », « 2030 », « 😀 »), and an axis would say nothing of it (QA: `atelier run` placed « ??? »
    in an axis, `atelier classify` left it blank, unflagged). `axis_evidence` says why."""
    return dataclasses.replace(
        item,
        axis=None,
        axis_label="",
        axis_source=MODEL_SOURCE,
        axis_confidence=None,
        needs_review=True,
        axis_2=None,
        axis_2_confidence=None,
        axis_evidence=(WORDLESS_EVIDENCE,),
    )


def placed_by_document(item: Contribution, workshop: Workshop) -> Contribution:
    """A copy of `item` in the axis its report states (confidence 1, nothing to review)."""
    return _placed_surely(item, str(item.stated_axis), DOCUMENT_SOURCE, workshop)


def _placed_surely(item: Contribution, axis: str, source: AxisSource, workshop: Workshop) -> Contribution:
    """A copy of `item` in `axis`, placed by a report or an analyst: confidence 1, nothing to review."""
    return dataclasses.replace(
        item,
        axis=axis,
        axis_label=workshop.axis_label(axis),
        axis_source=source,
        axis_confidence=1.0,
        needs_review=False,
        axis_2=None,
        axis_2_confidence=None,
        axis_evidence=(),
    )


def classify_contributions(
    contributions: Sequence[Contribution], workshop: Workshop, model: AxisModel, nlp: spacy.Language
) -> list[Contribution]:
    """Copies with the axis fields filled in (same order): `axis*`, `needs_review`, `axis_2*`.

    The report's own placement wins (`document`, confidence 1). Other ideas, read with their
    theme (`idea_text`, as in training) and in the context of the other ideas under that theme
    (`with_theme_context`), get the model's best axis (`model`) even when unsure: below the
    workshop's `abstain_threshold` they are flagged `needs_review`, so the analyst sees a
    proposal instead of a blank; so is an idea its theme puts in an axis while its own words put
    it outside every axis (at least that threshold), and one its theme puts outside every axis
    while its own words put it in one: it takes that axis. The second axis of an idea under a
    theme is the one its words alone point to (`with_own_second_axis`).

    An idea without a word (`is_wordless`: « ??? », « 2030 ») gets no axis and is flagged
    (`unplaced`); a filler of a form (`is_filler`: « RAS », « - ») is no idea, and is left as it is.
    """
    unknown = sorted(set(model.classes_) - set(workshop.axis_ids))
    if unknown:
        raise AxisModelError(
            f"Le modèle {model.version or ''} ne correspond pas à l'atelier « {workshop.id} » "
            f"(axes inconnus : {', '.join(unknown)}). Réentraînez-le avec « atelier train »."
        )
    known = set(workshop.axis_ids)
    open_ideas = [index for index, item in enumerate(contributions) if item.stated_axis not in known]
    fillers = {index for index in open_ideas if is_filler(contributions[index].text)}
    wordless = {index for index in open_ideas if is_wordless(contributions[index].text)}
    to_predict = [index for index in open_ideas if index not in fillers and index not in wordless]
    predicted = predict_axes(
        model,
        [idea_text(contributions[i]) for i in to_predict],
        nlp,
        # (Twice as many: those of the theme alone are left out, `own_evidence`.)
        evidence=2 * workshop.settings.evidence_lemmas,
        groups=[theme_group(contributions[i]) for i in to_predict],
        context_weight=workshop.settings.theme_context_weight,
    )
    # Ideas read with others (a theme, or post-its under one heading: `theme_group`).
    themed = [position for position, index in enumerate(to_predict) if theme_group(contributions[index]) is not None]
    unsure: set[int] = set()  # in or out of every axis by their own words, surely, and not by their theme
    if themed:
        texts = [contributions[to_predict[position]].text for position in themed]
        own_words = predict_axes(model, texts, nlp, evidence=0)
        outside, threshold = workshop.out_of_scope_axis, workshop.settings.abstain_threshold
        moved = []  # (the theme of a board of free remarks is no axis: its ideas went outside every axis, QA)
        for position, alone in zip(themed, own_words, strict=True):
            if outside is not None and alone.confidence >= threshold and (alone.axis == outside) != (
                predicted[position].axis == outside
            ):
                unsure.add(to_predict[position])
                if alone.axis != outside:
                    moved.append(position)
            # (Under a theme only: for post-its under a heading, as many axis_2 got better as worse, QA.)
            if contributions[to_predict[position]].theme.strip():
                predicted[position] = with_own_second_axis(predicted[position], alone)
        if moved:
            texts = [contributions[to_predict[position]].text for position in moved]
            lemmas = 2 * workshop.settings.evidence_lemmas
            for position, alone in zip(moved, predict_axes(model, texts, nlp, evidence=lemmas), strict=True):
                predicted[position] = alone
    predictions = dict(zip(to_predict, predicted, strict=True))
    placed = []
    for index, item in enumerate(contributions):
        if index in predictions:
            placed.append(placed_by_model(item, predictions[index], workshop))
        elif index in wordless:
            placed.append(unplaced(item))
        elif index in fillers:
            placed.append(item)
        else:
            placed.append(placed_by_document(item, workshop))
    # ("Merci pour l'organisation" under "Vélo" went to the cycling axis, unflagged: QA.)
    return [dataclasses.replace(item, needs_review=True) if i in unsure else item for i, item in enumerate(placed)]


def decided_by_analysts(
    contributions: Sequence[Contribution], workshop: Workshop, decisions: Sequence[tuple[str, str]]
) -> tuple[list[Contribution], int, int]:
    """Copies in which an idea an analyst decided (`axes_decided_by_text`) has that axis
    (`review`, confidence 1), over the model's proposal and the report's placement; with how many
    ideas were so placed, and how many of them had another axis. The model learns the decisions,
    but a retrained model can still place one elsewhere (its theme's other ideas outvote it): a
    correction must stick."""
    return with_decided_axes(contributions, workshop, axes_decided_by_text(contributions, decisions))


def axes_decided_by_text(
    contributions: Sequence[Contribution], decisions: Sequence[tuple[str, str]]
) -> list[str | None]:
    """Per idea, the axis of the (text, axis) decision of its text (`decision_of_text`), else None."""
    found = decision_of_text(contributions, [text for text, _ in decisions])
    return [decisions[index][1] if index is not None else None for index in found]


def decision_of_text(contributions: Sequence[Contribution], texts: Sequence[str]) -> list[int | None]:
    """Per idea, the position in `texts` of the decision of its text read with its theme
    (`idea_text`, as decisions keep it; the last one if several), else None. A decision that no
    idea's text and theme match is taken for one given without a theme (a labels file of `text`
    and `axis` alone): it is the idea's under any theme, unless one given with its theme says
    otherwise. (One that an idea without a theme matches is that idea's only: its text under a
    theme is another idea.) Texts are compared as `loose_key`s."""
    position_of = {loose_key(text): position for position, text in enumerate(texts)}
    if not position_of:
        return [None] * len(contributions)
    keys = [loose_key(idea_text(item)) for item in contributions]
    found: list[int | None] = [position_of.get(key) for key in keys]
    bare = position_of.keys() - set(keys)  # decisions that matched no idea with its theme
    if bare:
        for index, item in enumerate(contributions):
            if found[index] is None:
                text = loose_key(item.text)
                found[index] = position_of[text] if text in bare else None
    return found


def with_decided_axes(
    contributions: Sequence[Contribution], workshop: Workshop, axes: Sequence[str | None]
) -> tuple[list[Contribution], int, int]:
    """Copies in which each idea given an axis of the workshop in `axes` (one per idea, None for
    none) is placed there by an analyst; with how many were so placed, and how many of them had
    another axis."""
    known = set(workshop.axis_ids)
    result, placed, moved = [], 0, 0
    for item, axis in zip(contributions, axes, strict=True):
        if axis is None or axis not in known:
            result.append(item)
            continue
        placed += 1
        moved += item.axis != axis
        result.append(_placed_surely(item, axis, REVIEW_SOURCE, workshop))
    return result, placed, moved
