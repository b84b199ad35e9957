"""Pair verification for deduplication: whether two texts (`TextUnit`s) say the same idea.

Three levels decide:

1. **exact** — the same words once folded (`normalize_for_match`, punctuation dropped);
2. **near-identical** — the same content words up to inflection, typos and abbreviations
   ("conséquence"/"conséquences", "Buteaud"/"Bouteaud", "DD"/"développement durable",
   "10M€"/"10 millions d'euros"): the rapidfuzz ratio of the two content keys reaches
   `near_threshold` and every content word of one text is found in the other (a text may add
   words to the other, it may not replace one: "des bus"/"des bâtiments" stay apart);
3. **paraphrase** — only when a spaCy `nlp` is given (its lemma table and word vectors, looked
   up word by word, without running the pipeline): the shorter text's content is found in the
   longer one (lemma overlap ≥ `containment_threshold`, at most one word in five left out, and
   never a name, an acronym or a number), the longer one adds little (`coverage_threshold`) or
   what they share is substantial (`min_shared_weight`), and their mean word vectors are close
   (`vector_threshold`); or one text is the other plus at most `max_generic_words_added` generic
   words, in any order — a heading and the action that spells it out ("RSE" / "Encourager le
   développement de la RSE").

A word that an abbreviation of both texts spells out is found in both ("la RSE dans les
entreprises" / "RSE - Responsabilité sociétale").

Two independent contributions (post-its, the rows of a consultation) are not one idea when the
longer one adds a name, a time or an exception (`_restricts`): it narrows the proposal or turns
it to another thing ("Ajouter des bancs sur la place" / "… sur la place de l'Église", "Fermer
la place aux voitures" / "… le dimanche", "Passer le bourg en zone 30" / "… sauf la Grande
Rue"). The items of one report's tables may (`elaboration`): a summary table abridges what the
detailed one spells out.

Whatever the level, texts with different numbers ("25 %"/"15 %", "10 %"/"10 €") or with a
negation on one side only are different ideas: "ne", "pas", "sans"…, "moins" (but not in "au
moins", "les moins"), and "contre" opening a text ("Contre la taxe carbone" / "Pour la taxe
carbone"). `members_compatible` says whether two texts not verified similar may
still stand in one cluster.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.dedup_text import (
    FRAME_WORDS,
    OPENING_WORDS,
    TIME_WORDS,
    TextUnit,
    is_derived,
    is_typo,
    names_a_problem,
)
from atelier.nlp.names import PLACE_KIND_WORDS, PLACE_NAMING_WORDS

# Verbs after which a name is who does the thing ("la CUGT doit…"), not what the thing is.
_MODALS = frozenset("doit doivent devrait devraient peut peuvent pourrait pourraient va vont".split())
# Words that make what follows an exception or another choice (folded).
_EXCEPTING = frozenset({"sauf", "excepte", "hormis", "ou", "sinon"})
# Words that make a thing a pretence of itself: « de fausses caméras » are no cameras (folded).
_PRETENDING = frozenset("faux fausse fausses factice factices fictif fictive fictifs fictives leurre leurres".split())
_NARROWING = _EXCEPTING | _PRETENDING
# Words by which one thing serves or goes to another: « une navette vers le marché », « qui dessert
# le marché », « menant au marché », « reliant la gare au marché » (folded).
_TOWARDS = frozenset(
    "vers pour jusqu dessert desservent desservant mene menent menant relie relient reliant allant".split()
)
# … and pairs of words that do: « en direction du marché ».
_TOWARDS_PAIRS = frozenset({("en", "direction")})
# Words by which one thing is placed beside another: « un parking à côté des jardins », « près de »,
# « à proximité de », « devant », « derrière », « en face de », « aux abords de », « le long de » (folded).
_BESIDE = frozenset("pres cote proximite devant derriere face abords long".split())
# … and words that place a thing after a noun (« des bancs sur la place », « autour de l'étang »), but
# after a verb say what it is about (« Sensibiliser … sur le repérage », « Réfléchir autour de… »).
_ON = frozenset("sur autour sous".split())


class PairScore(NamedTuple):
    """What the levels look at for one pair of distinct units. "Shorter" is the text of lower
    content weight. (A named tuple: one is built per compared pair, and it is cheaper to build
    than a frozen dataclass.)"""

    shorter_share: float  # weight of the shorter text's content found in the other / its weight
    longer_share: float  # the same for the longer text
    shared: float  # weight of the shorter text's content found in the other
    shorter_weight: float
    shorter_words: int  # content words of the shorter text
    left_out: int  # of them, not found in the other
    longer_left_out: int  # words of the longer text not found in the shorter
    replaced: bool  # both texts have words the other lacks
    replaced_name: bool  # … and a name, an acronym or a number is among them
    contained: bool  # every content word of one of the texts is found in the other
    added_strong: int  # when contained: words of the containing text, not generic, found nowhere in the other
    added_weak: int  # … and generic words ("développer", "favoriser") it adds
    inner_strong: bool  # … and the contained text has a word that is not generic
    leading_swap: bool  # replaced, and the words of each text missing from the other open it (`_leading`)
    slot_swap: bool  # replaced, in one run of words at the same place of both texts (`_runs`)
    derived: int  # words matched with another of their family ("participation"/"participatif"), not a typo
    ratio: float  # rapidfuzz ratio of the content keys
    cosine: float | None  # mean word vectors (None without nlp)


def _matched(first: TextUnit, second: TextUnit) -> tuple[dict[str, str], int, bool]:
    """Each stem of `first` found in `second`, with the stem it matches there: the same stem, a
    typo, or the same word family; how many were matched through their family only (not as a
    typo); and whether any was matched with another stem than itself."""
    common = first.weights.keys() & second.weights.keys()
    if first.nominal and second.nominal:  # "isolement"/"isolation": one stem, two nouns
        both = first.nominal.keys() & second.nominal.keys()
        common -= {stem for stem in both if first.nominal[stem] != second.nominal[stem]}
    pairs = dict(zip(common, common))
    if len(common) == len(first.weights) or len(common) == len(second.weights):
        return pairs, 0, False
    right = [s for s in second.weights if s not in common]
    taken: set[str] = set()
    family_only = 0
    for stem in first.weights:
        if stem in common:
            continue
        for other in right:
            if other in taken:
                continue
            # A typo between the words as written; between their stems only for a misspelt word (one
            # unknown to the vectors): "mobilité"/"mobilisation" have stems one letter apart. Without
            # the vectors (no spaCy: no text vector), any word may be misspelt.
            misspelt = stem in first.names or other in second.names
            unchecked = first.vector is None and second.vector is None
            # (A letter replaced in a short word: when one of the two is unknown and not a name by
            # its capital, the other known: "pistis"/"pistes", not "Berre"/"Berry".)
            unknown = (stem in first.names and stem not in first.proper) + (
                other in second.names and other not in second.proper
            )
            typo = (
                is_typo(first.surfaces[stem], second.surfaces[other], loose=not unchecked and unknown == 1)
                or ((misspelt or unchecked) and is_typo(stem, other))
                or (
                    stem in first.names
                    and other in second.names
                    and _misspelt_alike(first.surfaces[stem], second.surfaces[other])
                )
            )
            if typo or is_derived(stem, other, loose=misspelt):
                pairs[stem] = other
                taken.add(other)
                family_only += not typo
                break
    return pairs, family_only, len(pairs) > len(common)


# Words this long, at least, may be two misspellings of one word two edits apart.
MISSPELT_ALIKE_LENGTH = 9


def _misspelt_alike(first: str, second: str) -> bool:
    """Two words unknown to the vectors, two edits apart, long and of one beginning and end: two
    misspellings of one word ("métrropole"/"métropoole", which split a campaign's copies, QA)."""
    return (
        min(len(first), len(second)) >= MISSPELT_ALIKE_LENGTH
        and first[:2] == second[:2]
        and first[-1] == second[-1]
        and first.isalpha()
        and second.isalpha()
        and OSA.distance(first, second, score_cutoff=2) <= 2
    )


class _Comparison(NamedTuple):
    """The words of each text found in the other, from which `PairScore` is computed; the texts
    ordered as in it, shorter (lighter) first."""

    shorter: TextUnit
    longer: TextUnit
    counted_shorter: Collection[str]  # the stems that count (see `_counted`)
    counted_longer: Collection[str]
    total_shorter: float  # their weight
    total_longer: float
    missing_shorter: list[str]  # counted stems not found in the other text
    missing_longer: list[str]
    derived: int  # see PairScore


def _compare(first: TextUnit, second: TextUnit) -> _Comparison:
    pairs, derived, renamed = _matched(first, second)
    back = {other: stem for stem, other in pairs.items()} if renamed else pairs  # stems of `second` -> `first`
    if first.total > second.total or (first.total == second.total and first.key > second.key):
        first, second, pairs, back = second, first, back, pairs
    counted_first, total_first = _counted(first, second, pairs)
    counted_second, total_second = _counted(second, first, back)
    if total_first > total_second:  # (the lighter once asides are left out: "… (3 votes)" was the heavier)
        first, second, pairs, back = second, first, back, pairs
        counted_first, counted_second = counted_second, counted_first
        total_first, total_second = total_second, total_first
    if not total_first or not total_second:
        counted_first, counted_second = first.weights.keys(), second.weights.keys()
        total_first, total_second = first.total, second.total
    missing_first = [s for s in counted_first if s not in pairs]
    missing_second = [s for s in counted_second if s not in back]
    if first.spelled and second.spelled:
        # A word that an abbreviation of both texts spells out is said by it ("la RSE dans les
        # entreprises" / "RSE - Responsabilité sociétale").
        spelled: set[str] = set()
        for abbreviation in first.spelled.keys() & second.spelled.keys():
            spelled |= first.spelled[abbreviation]
        missing_first = [s for s in missing_first if s not in spelled]
        missing_second = [s for s in missing_second if s not in spelled]
    if missing_first and missing_second:
        # The words that open an action ("Organiser…"), missing from a text that adds one other
        # word, are how the idea is put: said by the other ("Organiser un forum des associations"
        # / "Un forum des associations chaque année"); see `_opening` and `_elaborates`.
        after = _opening(first, missing_first, counted_first)
        if after and _elaborates(second, missing_second, counted_second, pairs.get(after, "")):
            missing_first = []
        else:
            after = _opening(second, missing_second, counted_second)
            if after and _elaborates(first, missing_first, counted_first, back.get(after, "")):
                missing_second = []
    return _Comparison(
        first, second, counted_first, counted_second, total_first, total_second, missing_first, missing_second, derived
    )


# What may come before the words opening an action: "Il faudrait organiser…", "La création…"
# ("Vers la création, élaborer…" or "Par la promotion, …" is not opened by them).
_BEFORE_OPENING = FRAME_WORDS | frozenset("il on que qu le la les l un une des du de d".split())


def _opening(unit: TextUnit, missing: Collection[str], counted: Collection[str]) -> str:
    """The stem of the word after a text's `missing` words when they open it: `_leading`, with
    nothing before them but `_BEFORE_OPENING` (not "Vers la création, élaborer le diagnostic" /
    "Élaborer le diagnostic avec l'université", bench/dedup.py), and before a word that is not a
    noun of action ("-ation", "-ement": not "Promouvoir l'accompagnement…" / "Accompagner le
    vieillissement…"); else ""."""
    if not _leading(unit, missing, counted):
        return ""
    opening = {unit.surfaces[stem] for stem in missing}
    for word in unit.key.split():
        if word in opening:
            break
        if word not in _BEFORE_OPENING:
            return ""
    after = next((stem for stem in unit.content_key.split() if stem in counted and stem not in missing), "")
    return "" if after in unit.nominal else after


def _elaborates(unit: TextUnit, missing: Collection[str], counted: Collection[str], action: str) -> bool:
    """Whether a text's `missing` words are one word that is not generic (not "Pour les chefs
    d'entreprise avec la CPAM, financer l'appropriation" / "Développer une appropriation pour les
    chefs d'entreprise"), after the first of its `counted` words (not "Rénovation de la maison…" /
    "Créer une maison…") and not right after `action`, the word after the other's opening words,
    where it would be the action's object ("Cartographier la prise dans le quartier…" / "Créer une
    cartographie dans le quartier…")."""
    if len(missing) != 1:
        return False
    (stem,) = missing
    words = [s for s in unit.content_key.split() if s in counted]
    place = words.index(stem)
    return unit.weights[stem] >= 1.0 and place > 0 and words[place - 1] != action


def _ratio(comparison: _Comparison) -> float:
    """The rapidfuzz ratio of the content keys (the better of it and that of the keys without the
    asides)."""
    first, second = comparison.shorter, comparison.longer
    ratio = fuzz.ratio(first.content_key, second.content_key)
    if first.core_key != first.content_key or second.core_key != second.content_key:
        ratio = max(ratio, fuzz.ratio(first.core_key, second.core_key))
    return ratio


def _cosine(comparison: _Comparison) -> float | None:
    first, second = comparison.shorter, comparison.longer
    if first.vector is None or second.vector is None:
        return None
    return float(first.vector.dot(second.vector))


def _scored(comparison: _Comparison, ratio: float, cosine: float | None) -> PairScore:
    first, second, counted_first, counted_second, total_first, total_second, missing_first, missing_second, derived = (
        comparison
    )
    shared = total_first - sum([first.weights[s] for s in missing_first])
    replaced = bool(missing_first) and bool(missing_second)
    # A replaced name: among the shorter text's missing words, or among the longer's when it
    # does not merely elaborate (it lacks hardly more words than the shorter).
    replaced_name = replaced and (
        any([s in first.names for s in missing_first])
        or (len(missing_second) <= len(missing_first) + 1 and any([s in second.names for s in missing_second]))
    )
    # What the containing text adds to the contained one: generic words only ("Encourager le
    # développement de la RSE" / "RSE"), or not.
    added, inner, inner_unit, outer_unit = (missing_second, counted_first, first, second) if not missing_first else (
        missing_first, counted_second, second, first
    )
    added_strong = sum([outer_unit.weights[s] >= 1.0 for s in added])
    inner_strong = any([inner_unit.weights[s] >= 1.0 for s in inner])
    leading_swap = (
        replaced and _leading(first, missing_first, counted_first) and _leading(second, missing_second, counted_second)
    )
    slot_swap = False
    if replaced:
        runs = _runs(first, missing_first, counted_first)
        if len(runs) == 1:
            # The other text's run in the same place; it may add words after all those they share
            # (« Ouvrir les cours de collège… » / « Ouvrir les cours d'école…, avec un gardien »).
            slot = runs[0][0]
            others = _runs(second, missing_second, counted_second)
            elsewhere = [trailing for before, trailing in others if before != slot]
            slot_swap = len(elsewhere) < len(others) and all(elsewhere)
    return PairScore(
        shorter_share=shared / total_first,
        longer_share=(total_second - sum([second.weights[s] for s in missing_second])) / total_second,
        shared=shared,
        shorter_weight=total_first,
        shorter_words=len(counted_first),
        left_out=len(missing_first),
        longer_left_out=len(missing_second),
        replaced=replaced,
        replaced_name=replaced_name,
        contained=not missing_first or not missing_second,
        added_strong=added_strong,
        added_weak=len(added) - added_strong,
        inner_strong=inner_strong,
        leading_swap=leading_swap,
        slot_swap=slot_swap,
        derived=derived,
        ratio=ratio,
        cosine=cosine,
    )


def _leading(unit: TextUnit, missing: Collection[str], counted: Collection[str]) -> bool:
    """Whether the `missing` words of a text are words that open an action (`OPENING_WORDS`) and
    come before the first of its other `counted` words, which is not generic: "Mettre en
    place…" / "Créer…", not what it is about ("… sur les questions" / "… sur le développement",
    "Dans le cadre, …")."""
    if any(unit.surfaces[stem] not in OPENING_WORDS for stem in missing):
        return False
    seen: set[str] = set()
    for stem in unit.content_key.split():
        if stem in missing:
            seen.add(stem)
        elif stem in counted:
            return len(seen) == len(missing) and unit.weights[stem] >= 1.0
    return False


def _runs(unit: TextUnit, missing: Collection[str], counted: Collection[str]) -> list[tuple[int, bool]]:
    """The runs of the `missing` words of a text among its `counted` ones: for each, how many of
    its other counted words come before it, and whether it comes after all of them. Two texts
    with one run each after as many words put one thing for another in one sentence ("… le long
    de la rocade nord" / "… le long du canal", "… des écoles par du double vitrage" / "… des
    logements sociaux par…")."""
    runs: list[tuple[int, bool]] = []
    shared = 0
    in_run = False
    for stem in unit.content_key.split():
        if stem in missing:
            if not in_run:
                runs.append((shared, True))
                in_run = True
        elif stem in counted:
            if in_run:
                runs[-1] = (runs[-1][0], False)
                in_run = False
            shared += 1
    return runs


def _counted(unit: TextUnit, other: TextUnit, pairs: dict[str, str]) -> tuple[Collection[str], float]:
    """The stems of `unit` that count against `other`, and their weight: an aside counts where
    the other text says it in its main part, and is ignored elsewhere."""
    if not unit.aside:
        return unit.weights.keys(), unit.total
    counted = [s for s in unit.weights if s not in unit.aside or (s in pairs and pairs[s] not in other.aside)]
    return counted, sum([unit.weights[s] for s in counted])


def _apart(first: TextUnit, second: TextUnit, settings: DedupSettings) -> bool:
    """Whether no level can pass: numbers (when required equal) or negation differ, or a text has
    no content."""
    return (
        (settings.require_same_numbers and first.numbers != second.numbers)
        or first.negated != second.negated
        or (first.directions != second.directions and _opposed(first.directions, second.directions))
        or (bool(first.less) and bool(second.less) and first.less != second.less)
        or (bool(first.aimed) and bool(second.aimed) and _aimed_oppositely(first.aimed, second.aimed))
        or (bool(first.lessened) and _undoes(first, second))
        or (bool(second.lessened) and _undoes(second, first))
        or (bool(first.aside) and bool(second.aside) and _asides_name_apart(first, second))
        or not first.total
        or not second.total
    )


def _asides_name_apart(first: TextUnit, second: TextUnit) -> bool:
    """Whether both texts name a place in an aside (`PLACE_NAMING_WORDS`: « (quartier Bellevue) »,
    « (Jean Moulin) ») and each aside says a word the other's does not, besides the kind of place
    (`PLACE_KIND_WORDS`: « (Saint-Cyprien) » is « (St Cyprien) ») (QA: « Rénover l'école (Jean
    Moulin) » / « … (Jules Ferry) », « Créer un jardin partagé (quartier Bellevue) » / « … (quartier
    des Izards) » were one idea once asides were left out). Other asides say who, when or how often
    (« (3 votes) », « (CAF) », « (Marie D.) », « (session 2) »): they keep no two texts apart."""
    aside_first = {first.surfaces[stem] for stem in first.aside}
    aside_second = {second.surfaces[stem] for stem in second.aside}
    if aside_first.isdisjoint(PLACE_NAMING_WORDS) or aside_second.isdisjoint(PLACE_NAMING_WORDS):
        return False

    def says_more(words: set[str], other: set[str]) -> bool:
        return any(word not in other and not any(is_typo(word, said) for said in other) for word in words)

    names_first, names_second = aside_first - PLACE_KIND_WORDS, aside_second - PLACE_KIND_WORDS
    return says_more(names_first, names_second) and says_more(names_second, names_first)


def _opposed(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two texts go opposite ways (`dedup_text._DIRECTIONS`): both say which way on one
    axis ("quantite", "ouverture", "superlatif"), and not the same ("Réduire…" / "Augmenter…",
    "les plus…" / "les moins…"). A text that says no way is left to the other rules (a
    misspelt "dimiinution" is no word of `_DIRECTIONS`)."""
    for axis in {direction[1:] for direction in first} & {direction[1:] for direction in second}:
        ways = {direction[0] for direction in first if direction[1:] == axis}
        if ways != {direction[0] for direction in second if direction[1:] == axis}:
            return True
    return False


def _aimed_oppositely(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether a word one text wants more of, the other wants less of ("Plus de vélos, moins de
    voitures" / "Moins de vélos, plus de voitures", where both go both ways)."""
    return any(("-" if aim[0] == "+" else "+") + aim[1:] in second for aim in first)


def _undoes(first: TextUnit, second: TextUnit) -> bool:
    """Whether `first` lessens what `second` sets out to do or to have, `second` going no way on
    quantity: its first word is a verb of the family of the word `first` lessens ("Limiter la
    densification de l'habitat" / "Densifier l'habitat"), or what it asks for is that word
    (`_asked_for`: "Supprimer les parkings gratuits" / "Parkings gratuits", "Refuser toute nouvelle
    zone commerciale" / "Créer une nouvelle zone commerciale") — unless it is a problem to fight,
    which a text names to ask for less of it ("Isolement des personnes âgées")."""
    if any(direction.endswith("quantite") for direction in second.directions):
        return False
    if second.action and any(second.action == stem or is_derived(second.action, stem) for stem in first.lessened):
        return True
    asked = _asked_for(second)
    return asked in first.lessened and not names_a_problem(second.surfaces[asked])


def _asked_for(unit: TextUnit) -> str:
    """The stem of what a text asks for: its first content word, or the first after its verb,
    generic words passed ("Créer une nouvelle zone": "nouvel"); "" if none."""
    stems = unit.content_key.split()
    if stems and stems[0] == unit.action:
        stems = stems[1:]
    return next((stem for stem in stems if stem[0] not in "+-" and unit.weights[stem] == 1.0), "")


def pair_level(
    first: TextUnit, second: TextUnit, settings: DedupSettings, paraphrase: bool, *, elaboration: bool = False
) -> tuple[str | None, PairScore | None]:
    """("exact" | "near" | "paraphrase" | None, score) for two units; `elaboration`: whether the
    longer may add words to the shorter (two items of one report's tables)."""
    if first.key == second.key:
        return "exact", None
    if _apart(first, second, settings):
        return None, None
    comparison = _compare(first, second)
    if not elaboration and _restricts(comparison, settings):
        return None, None
    score = _scored(comparison, _ratio(comparison), _cosine(comparison))
    if (
        min(first.length, second.length) >= settings.min_fuzzy_length
        and score.contained
        and score.ratio >= settings.near_threshold
    ):
        return "near", score
    if paraphrase and (
        _is_paraphrase(score, settings)
        or _adds_generic_words_only(score, settings)
        or _swaps_generic_words_only(score, settings)
    ):
        return "paraphrase", score
    return None, score


def verified_level(
    first: TextUnit, second: TextUnit, settings: DedupSettings, paraphrase: bool, *, elaboration: bool = False
) -> str | None:
    """The level of `pair_level` without its score, for verifying many pairs: each part of the
    score is computed only once a test needs it — the ratio only for a text inside the other,
    the rest of the score only when the pair is not near-identical, the cosine last."""
    if first.key == second.key:
        return "exact"
    if _apart(first, second, settings):
        return None
    comparison = _compare(first, second)
    if not elaboration and _restricts(comparison, settings):
        return None
    contained = not comparison.missing_shorter or not comparison.missing_longer
    ratio = None
    if contained and min(first.length, second.length) >= settings.min_fuzzy_length:
        ratio = _ratio(comparison)
        if ratio >= settings.near_threshold:
            return "near"
    if not paraphrase:
        return None
    score = _scored(comparison, _ratio(comparison) if ratio is None else ratio, None)
    if _adds_generic_words_only(score, settings) or _swaps_generic_words_only(score, settings):
        return "paraphrase"
    if _paraphrase_but_vectors(score, settings):
        cosine = _cosine(comparison)
        if cosine is not None and cosine >= settings.vector_threshold:
            return "paraphrase"
    return None


def _restricts(comparison: _Comparison, settings: DedupSettings) -> bool:
    """Whether the longer text adds words to the shorter (more of them, not generic, than the
    shorter has in their place) and among them a name (written with capitals) right after a
    word they share (a place, a body: "… de l'Église", "… parking PMR"; one first, or before
    "doit", says who: "La CUGT doit…"), a time where the shorter says none ("le dimanche",
    "l'été"), an exception or alternative ("sauf …", "… ou la supprimer"), or a pretence ("de
    fausses caméras"). Only for a shorter
    text of at most `restriction_max_words` content words: in a long answer, a name more is a
    detail among many (a signature)."""
    longer, shorter = comparison.longer, comparison.shorter
    if len(comparison.counted_shorter) > settings.restriction_max_words:
        return False
    added = [stem for stem in comparison.missing_longer if longer.weights[stem] >= 1.0]
    if len(added) <= len(comparison.missing_shorter):
        return False
    named = [stem for stem in added if stem in longer.proper]
    if named:
        order, words = longer.content_key.split(), longer.key.split()
        missing = set(comparison.missing_longer)
        for stem in named:
            place = order.index(stem)
            word = words.index(longer.surfaces[stem]) if longer.surfaces[stem] in words else -1
            subject = 0 <= word < len(words) - 1 and words[word + 1] in _MODALS  # "…, la CUGT doit mobiliser"
            if 0 < place and order[place - 1] not in missing and not subject:
                return True
    timed = any(shorter.surfaces[stem] in TIME_WORDS for stem in comparison.counted_shorter)
    if not timed and any(longer.surfaces[stem] in TIME_WORDS for stem in added):
        return True  # (a time said more precisely narrows nothing: "le dimanche" / "le dimanche après-midi")
    added_words = set(longer.key.split()) - set(shorter.key.split())
    return (
        not _NARROWING.isdisjoint(added_words)
        or (not _BESIDE.isdisjoint(added_words) and _placed_beside(comparison))
        or _heads_elsewhere(comparison)
    )


def _placed_beside(comparison: _Comparison) -> bool:
    """Whether the longer text places what they share beside a thing of its own, named after all the
    words they share: « Piste cyclable devant l'école » is no « Piste cyclable », as « Un banc près de
    la mairie » is no « Un banc » (`_BESIDE`: a place narrows an idea, where a complement mostly spells
    it out: « Créer des jardins partagés dans les quartiers » is « Jardins partagés »)."""
    longer = comparison.longer
    words = longer.key.split()
    position = {word: k for k, word in enumerate(words)}  # (a word's last place)
    missing = set(comparison.missing_longer)
    shared = [  # (the place word itself may be shared: « près de chez nous » / « près des commerces »)
        position.get(longer.surfaces[stem], -1)
        for stem in longer.content_key.split()
        if stem not in missing and longer.surfaces[stem] not in _BESIDE
    ]
    if not shared or min(shared) < 0:
        return False
    beside = next((k for k in range(max(shared) + 1, len(words)) if words[k] in _BESIDE), None)
    return beside is not None and any(
        position.get(longer.surfaces[stem], -1) > beside
        and longer.surfaces[stem] not in _BESIDE
        and longer.weights[stem] >= 1.0
        for stem in missing
    )


def _heads_elsewhere(comparison: _Comparison) -> bool:
    """Whether the longer text is about another thing that serves or goes to the shorter's, or stands
    beside it: it opens with a word of its own (not generic; after its verb, if any) and reaches the first
    word they share through « vers », « pour », « jusqu'à », « qui dessert », « en direction de »…
    (`_TOWARDS`: « Navette électrique vers le marché de producteurs du samedi » is no « Marché de
    producteurs tous les samedis »: QA), or « à côté de », « près de », « devant »… (`_BESIDE`: « Parking
    à côté des jardins partagés » is no « Jardins partagés », whatever the shorter does with them: QA),
    or « sur », « autour de » when no verb opens it (`_ON`)."""
    longer = comparison.longer
    order = longer.content_key.split()
    missing = set(comparison.missing_longer)
    verb = bool(order) and order[0] == longer.action
    if verb:  # (« Créer une navette vers le marché », « Créer un parking près des jardins » / « Créer des jardins »)
        order = order[1:]
    if not order or order[0] not in missing or longer.weights[order[0]] < 1.0:
        return False
    shared = next((stem for stem in order if stem not in missing), None)
    words = longer.key.split()
    head, reached = longer.surfaces[order[0]], longer.surfaces[shared] if shared else None
    if head not in words or reached not in words:
        return False
    between = words[words.index(head) + 1 : words.index(reached)]
    if not _BESIDE.isdisjoint(between):
        return True
    # (A means to do what the shorter says is the shorter's idea: « Ateliers pour apprendre à réparer son vélo ».)
    if comparison.shorter.action:
        return False
    return (
        not _TOWARDS.isdisjoint(between)
        or not _TOWARDS_PAIRS.isdisjoint(zip(between, between[1:]))
        or (not verb and not _ON.isdisjoint(between))
    )


def _adds_generic_words_only(score: PairScore, settings: DedupSettings) -> bool:
    """A heading and the action that spells it out: one text is the other, in any order, plus at
    most `max_generic_words_added` generic words — the verbs and nominalisations that turn a topic
    into an action ("RSE" / "Encourager le développement de la RSE"). Every content word being
    found, neither the weight nor the word vectors (blind to a misspelt word) need to be checked.
    The contained text must have a word that is not generic, and its words must be found as they
    are (up to a typo), not as another word of their family ("l'informatique" / "développer
    l'information")."""
    return (
        score.contained
        and score.inner_strong
        and score.derived == 0
        and score.added_strong == 0
        and score.added_weak <= settings.max_generic_words_added
    )


def _swaps_generic_words_only(score: PairScore, settings: DedupSettings) -> bool:
    """One action opened by other generic words: the texts share their words that are not
    generic, and each has at most `max_generic_words_added` generic words the other lacks, before
    them (`_leading`): "Mettre en place une navette gratuite" / "Créer une navette gratuite",
    "Développer les pistes cyclables" / "Créer des pistes cyclables". A word of the family of
    another ("information"/"informatique") is not shared, as in `_adds_generic_words_only`."""
    return (
        score.leading_swap
        and score.derived == 0
        and score.left_out <= settings.max_generic_words_added
        and score.longer_left_out <= settings.max_generic_words_added
    )


def _replacement_allowed(score: PairScore, settings: DedupSettings) -> bool:
    """A word of the shorter text replaced by another: never a name, an acronym or a number;
    from `min_words_for_replacement` words when the longer text also elaborates (it lacks more
    words than the shorter one, not all in the place of the replaced ones), and for a swap —
    one-for-one, or of one run of words for another in the same place of the same sentence: the
    mark of two parallel, different ideas — only from `min_words_for_swap` words."""
    if score.replaced_name:
        return False
    if score.longer_left_out > score.left_out and not score.slot_swap:
        return score.shorter_words >= settings.min_words_for_replacement
    return score.shorter_words >= settings.min_words_for_swap


def _is_paraphrase(score: PairScore, settings: DedupSettings) -> bool:
    return (
        _paraphrase_but_vectors(score, settings)
        and score.cosine is not None
        and score.cosine >= settings.vector_threshold
    )


def _paraphrase_but_vectors(score: PairScore, settings: DedupSettings) -> bool:
    """Every condition of the paraphrase level but the word vectors'."""
    allowed = math.floor((1.0 - settings.containment_threshold) * score.shorter_words + 1e-9)
    if score.replaced and not _replacement_allowed(score, settings):
        return False
    return (
        score.shorter_weight >= settings.min_paraphrase_weight
        and score.shorter_share >= settings.containment_threshold - 1e-9
        and score.left_out <= allowed
        and (score.longer_share >= settings.coverage_threshold or score.shared >= settings.min_shared_weight)
    )


def members_compatible(
    first: TextUnit, second: TextUnit, settings: DedupSettings, paraphrase: bool, *, elaboration: bool = False
) -> bool:
    """May two members of one cluster stand together (checked for every pair of members, against
    chaining)? Yes if verified similar; otherwise they must share `member_overlap` of the
    lighter one's content and not replace a word of a short text (or a name) by another, unless
    the words of the lighter one the other lacks are generic ("Développement du télétravail des
    agents" / "Encourager le télétravail des agents de la collectivité", both said by "Développer
    le télétravail pour les agents de la collectivité")."""
    level, score = pair_level(first, second, settings, paraphrase, elaboration=elaboration)
    if level is not None:
        return True
    if score is None:  # numbers or negation differ, one restricts the other, or no content
        return False
    generic_only = score.shorter_weight - score.shared <= score.left_out * settings.weak_word_weight + 1e-9
    if score.replaced and not generic_only and not _replacement_allowed(score, settings):
        return False
    return score.shorter_share >= settings.member_overlap
