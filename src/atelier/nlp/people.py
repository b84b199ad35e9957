"""The people a text names as the French model finds them, for the texts shown to others: the PER
entities of its named-entity recogniser, and the proper nouns its tagger reads, as the subject of a
conjugated verb (« Kader joue », « Farid et Yasmine s'occupent ») or for the rules to judge by the words
around them (« selon Fernando »). The rules of `masking.masked_people` know common first names in
context; the model also finds names no list holds (« Mamadou », « Jojo »), and its word vectors tell a
word like a first name (« Aminata ») from a town's (« Colomiers »). Which of its mentions are masked is
decided by `masking.masked_mentions`; only the texts where one could be are read (two capitalised words,
a word its context makes someone's, or a word that may be a name before a verb or an aside:
`_before_a_verb`)."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from atelier.nlp.dedup_text import STOP_WORDS
from atelier.nlp.language import lemma_table, normalize_for_match
from atelier.nlp.masking import listed_first_name, named_by_context, two_capitalised_words
from atelier.nlp.names import (
    AMBIGUOUS_FIRST_NAMES,
    FIRST_NAMES,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    WORD_FIRST_NAMES,
)

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc, Token

PEOPLE_BATCH_SIZE = 256
# How close the vector of a run of proper nouns' first word must be to a common first name's (cosine) for the
# tagger's run to be read as someone's name, whatever the recogniser takes it for. Measured on words of two QA
# corpora (2026-11-29): at 0.65, 27 of 43 names and surnames; 3 of 23 towns and districts (Albert, Florence,
# Caffarelli), none of 17 firms, 1 of 9 historical figures (Hugo); at 0.6, the same names and 5 towns; at 0.7,
# 22 names.
FIRST_NAME_LIKENESS = 0.65

# Words between a subject and its verb (« Nico et Juju s'occupent », « Irina n'a pas »), lower case.
_CLITICS = frozenset("s' n' m' t' l' se ne me te y en lui leur nous vous".split())
# A capitalised word, the clitics after it and the word after them; capitalised words opening a sentence
# before an aside, a companion or a complement (« Dominique, ancien agent, connaît »): the prefilter of a
# subject.
_CAPITALISED_THEN_WORD = re.compile(
    r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞŒ][\w'’-]*)(?:[ \t]+(?:[smntl]['’]|se|ne|me|te|y|en|lui|leur|on))*[ \t]+(?:[smntl]['’])?"
    r"([\w-]+)"
)
_CAPITALISED_THEN_ASIDE = re.compile(
    r"(?:^|[.!?:;\n])[ \t]*((?:[A-ZÀ-ÖØ-ÞŒ][\w'’-]*[ \t]+){0,2}[A-ZÀ-ÖØ-ÞŒ][\w'’-]*)"
    r"[ \t]*(?:[,(]|[ \t]et[ \t]|[ \t]du[ \t])",
    re.MULTILINE,
)
_INFINITIVE_ENDINGS = ("er", "ir", "re", "oir")
# A run of signs no word is made of, as long as spaCy's tokenizer reads slowly (`_for_the_model`).
_PUNCTUATION_RUN = re.compile(r"(?:[^\w\s]|_){8,}")
# The forms of « avoir » and « être » after a subject, folded (stop words, which `_Lexicon.conjugated` leaves out).
_AUXILIARY_FORMS = frozenset("a ont est sont etait etaient avait avaient sera seront aura auront".split())
# What may come between a name and its verb (`_verb_after`): an aside of a few words, closed before a sentence
# ends; who is with the name.
_ASIDE_WORDS = 8
_ASIDE_STOPS = frozenset(".!?:;")
_COMPANY_PRONOUNS = frozenset("moi nous toi".split())
_RESUMING = frozenset("on nous".split())
_AUXILIARIES = frozenset({"avoir", "être"})
_BETWEEN_AUXILIARY_AND_PARTICIPLE = frozenset("pas jamais plus deja déjà toujours bien souvent".split())
_STANCES = frozenset("pour contre d'accord favorable favorables".split())
_POSSESSIVES = frozenset("son sa ses mon ma mes ton ta tes leur leurs notre nos".split())
# Nouns an aside says a name is that make it no one's (`_aside_names_a_thing`; folded).
_THING_NOUNS = (
    PLACE_WORDS
    | ORGANISATION_WORDS
    | frozenset(
        """magasin magasins boutique bar cafe restaurant snack bistrot brasserie pizzeria boulangerie librairie
        epicerie manege enseigne marque societe usine supermarche commerce chaine film livre chanson jeu serie
        emission tempete spectacle opera piece personnage bateau peniche""".split()
    )
)
# What the tagger reads a verb after a first name as, when it misreads it (`_misread_verb`).
_MISREAD_AS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})


@dataclass(frozen=True)
class PersonMention:
    """A person the model finds in a text: where each of its words is (punctuation left out); `acts` when
    its tagger reads it as the subject of a conjugated verb (« Kader joue »)."""

    words: tuple[tuple[int, int], ...]
    acts: bool = False


def recognised_people(texts: Sequence[str], nlp: spacy.Language) -> dict[str, tuple[PersonMention, ...]]:
    """The people the model finds in each distinct text that may name someone and names any; nothing
    when `nlp` has no recogniser. The recogniser reads the words alone (its own vectors); the subjects
    are read only when `nlp` tags parts of speech and morphology."""
    if "ner" not in nlp.component_names:
        return {}
    recogniser = nlp.get_pipe("ner")
    tags = "morphologizer" in nlp.pipe_names
    lexicon = _lexicon(nlp)
    distinct = list(dict.fromkeys(texts))
    # (Tagged only where a proper noun could be masked that the recogniser does not find: before a verb or
    # by its context; the tagger is as slow as the recogniser.)
    by_context = {text: named_by_context(text) for text in distinct}
    tagged = [text for text in distinct if tags and (by_context[text] or _before_a_verb(text, lexicon))]
    read = set(tagged)
    untagged = [text for text in distinct if text not in read and (by_context[text] or two_capitalised_words(text))]
    documents = itertools.chain(
        recogniser.pipe(
            nlp.pipe(map(_for_the_model, tagged), batch_size=PEOPLE_BATCH_SIZE), batch_size=PEOPLE_BATCH_SIZE
        ),
        recogniser.pipe((nlp.make_doc(_for_the_model(text)) for text in untagged), batch_size=PEOPLE_BATCH_SIZE),
    )
    found: dict[str, tuple[PersonMention, ...]] = {}
    for text, document in zip([*tagged, *untagged], documents, strict=True):
        mentions = tuple(
            PersonMention(_places([token for token in entity if not (token.is_punct or token.is_space)]))
            for entity in document.ents
            if entity.label_ == "PER"
        )
        if text in read:
            mentions += tuple(_proper_nouns(document, lexicon))
        if mentions:
            found[text] = mentions
    return found


def _for_the_model(text: str) -> str:
    """`text` as long, its runs of punctuation as spaces: spaCy's tokenizer takes a time quadratic in such a
    run's length (QA: « Tuan organise la fête » and 8,000 « = », 9 s); a word's place in it stays."""
    return _PUNCTUATION_RUN.sub(lambda run: " " * len(run.group()), text)


@dataclass(frozen=True)
class _Lexicon:
    """What the model knows of words, read once per model: the lemmatizer's table (form → lemma), the forms
    and lemmas it holds in lower case with the (folded) stop words, and the unit vectors of the common first
    names."""

    lemmas: Mapping[str, str]
    words: frozenset[str]  # (in lower case)
    infinitives: frozenset[str]  # (the lemmas ending as an infinitive)
    first_names: np.ndarray

    def conjugated(self, word: str) -> bool:
        """Whether `word` may be a conjugated verb: its lemma another word ending as an infinitive (« organise »
        → « organiser », « a » → « avoir »), or a word in lower case of no other kind the table says (it reads
        « est », « dit », « joue » as the nouns)."""
        lower = word.casefold()
        lemma = self.lemmas.get(lower)
        if lemma is not None and lemma != lower:
            return lemma.endswith(_INFINITIVE_ENDINGS) or self.verb_form(word)  # (« inquiète » → « inquiet »)
        folded = normalize_for_match(word)
        return word[:1].islower() and (folded in _AUXILIARY_FORMS or folded not in STOP_WORDS)

    def verb_form(self, word: str) -> bool:
        """Whether `word`, in lower case, is a verb's form by the table: its lemma an infinitive (« votera »),
        or an infinitive it is the stem of (« marche », « rêve », « inquiète », « conduit », « part »), which
        the tagger misreads after a first name (« Odile marche », « Mathis rêve »: a noun, an adjective)."""
        if not word[:1].islower():
            return False
        lower = word.casefold()
        lemma = self.lemmas.get(lower)
        if lemma is not None and lemma != lower and lemma in self.infinitives:
            return True
        if lower.endswith("e"):  # (« marche » → « marcher », « inquiète » → « inquiéter »)
            candidates = {lower + "r", lower.replace("è", "é") + "r"}
        elif lower.endswith("it"):  # (« conduit » → « conduire », « finit » → « finir »)
            candidates = {lower[:-1] + "re", lower[:-1] + "r"}
        elif lower.endswith("t"):  # (« part » → « partir »)
            candidates = {lower + "ir"}
        elif lower.endswith("d"):  # (« attend » → « attendre »)
            candidates = {lower + "re"}
        else:
            return False
        return not candidates.isdisjoint(self.infinitives)

    def may_be_a_name(self, word: str) -> bool:
        """Whether `word` may be a name: a first name (common, of `other_first_names`, a nickname), or no word
        the lemmatizer knows as written (« Tuan », « Béa », « Colomiers »; not « Nous », « Coordination »)."""
        lower = word.casefold()
        return normalize_for_match(word) in FIRST_NAMES or lower not in self.words or listed_first_name(word)

    def first_name_like(self, token: Token) -> bool:
        """Whether the vector of `token` is close to a common first name's (`FIRST_NAME_LIKENESS`): the
        model's vectors put « Aminata », « Oksana », « Kader » near first names, and towns, firms and
        districts (« Colomiers », « Tisséo », « Compans ») further. A hyphenated word only as first names
        joined (« Jean-Baptiste »; not a station or a street, « Jean-Jaurès », « François-Verdier »)."""
        if "-" in token.text:
            return all(normalize_for_match(part) in FIRST_NAMES for part in token.text.split("-"))
        if listed_first_name(token.text):
            return True
        norm = float(np.linalg.norm(token.vector)) if token.has_vector else 0.0
        if norm == 0 or not len(self.first_names):
            return False
        return float((self.first_names @ (token.vector / norm)).max()) >= FIRST_NAME_LIKENESS


_LEXICONS: weakref.WeakKeyDictionary[object, _Lexicon] = weakref.WeakKeyDictionary()


def _lexicon(nlp: spacy.Language) -> _Lexicon:
    found = _LEXICONS.get(nlp)
    if found is None:
        lemmas = lemma_table(nlp)
        words = {*lemmas, *lemmas.values(), *STOP_WORDS}
        infinitives = frozenset(lemma for lemma in lemmas.values() if lemma.endswith(_INFINITIVE_ENDINGS))
        vectors = [nlp.vocab.get_vector(name.capitalize()) for name in sorted(FIRST_NAMES)]
        first_names = np.array([row / norm for row in vectors if (norm := np.linalg.norm(row)) > 0], np.float32)
        found = _LEXICONS[nlp] = _Lexicon(lemmas, frozenset(words), infinitives, first_names)
    return found


def _before_a_verb(text: str, lexicon: _Lexicon) -> bool:
    """Whether a word of `text` that may be a name comes before a word that may be a conjugated verb, or
    before an aside, a companion or a complement (`_verb_after`)."""
    return any(
        lexicon.may_be_a_name(match.group(1)) and lexicon.conjugated(match.group(2))
        for match in _CAPITALISED_THEN_WORD.finditer(text)
    ) or any(
        any(map(lexicon.may_be_a_name, match.group(1).split())) for match in _CAPITALISED_THEN_ASIDE.finditer(text)
    )


def _places(tokens: Sequence[Token]) -> tuple[tuple[int, int], ...]:
    return tuple((token.idx, token.idx + len(token.text)) for token in tokens)


def _proper_nouns(document: Doc, lexicon: _Lexicon) -> list[PersonMention]:
    """The runs of capitalised proper nouns the tagger reads, as mentions the rules judge by the words around
    them (« selon Fernando »), and as subjects (`acts`) those before a conjugated verb (« Kader joue »), with
    those listed before them (« Lucas, Emma et Nathan veulent »). Between a subject and its verb, what is said
    of the name (« , ancien agent municipal, », « (le boulanger) », « du 3e étage ») or who is with it (« et
    moi on », « et son père »). Which runs may be someone: `_may_be_someone`. None in a text all in capitals,
    which the tagger reads badly."""
    if not any(character.islower() for character in document.text):
        return []
    labels = {token.i: entity.label_ for entity in document.ents for token in entity}
    mentions: dict[tuple[int, int], PersonMention] = {}
    index = 0
    while index < len(document):
        run = _name_run(document, index)
        if not run:
            index += 1
            continue
        index = run[-1].i + 1
        if _aside_names_a_thing(document, index):
            continue  # (« Gogo, le magasin de jouets, a fermé »)
        verb = _verb_after(document, index)
        acts = _conjugated(verb) or _misread_verb(run, verb, lexicon)
        listed = [run]
        while acts and (earlier := _listed_before(document, listed[0][0].i)) is not None:
            listed.insert(0, earlier)
        # (The names listed before a subject are people only if it is one: « Albert, Péronne et Amiens doivent ».)
        if not _may_be_someone(run, labels, acts, lexicon.first_name_like):
            continue
        for names in listed:
            if names is not run and not _may_be_someone(names, labels, acts, lexicon.first_name_like):
                continue
            place = (names[0].i, names[-1].i)
            if place not in mentions or not mentions[place].acts:
                mentions[place] = PersonMention(_places(names), acts=acts)
    return list(mentions.values())


def _may_be_someone(
    names: Sequence[Token], labels: dict[int, str], acts: bool, first_name_like: Callable[[Token], bool]
) -> bool:
    """Whether a run of proper nouns may be someone's name (`_proper_nouns`): not after a determiner (« Le Mirail
    a »), no subject after a preposition (« Chez Ali reste »), not an organisation by the recogniser; a run
    opening with a word like a first name by the vectors, whatever the recogniser takes it for (« Aminata
    trouve », read as a place): a town, a district, a firm or a historical figure is as often before a verb as
    a person, and the recogniser takes many for people (« Colomiers a créé », « Revel a ouvert », « Lacoste
    sponsorise », « Riquet mériterait »; a regression hunt)."""
    document = names[0].doc
    found = {labels.get(name.i) for name in names}
    before = document[names[0].i - 1].pos_ if names[0].i > 0 else None
    if before == "DET" or "ORG" in found or (acts and before == "ADP"):
        return False
    return first_name_like(names[0])


def _verb_after(document: Doc, start: int) -> Token | None:
    """The word a name ending at `start` does, if any: the next, past the clitics (« s'occupent », « n'a »),
    what is said of the name and who is with it (`_proper_nouns`)."""
    position = start
    while position < len(document):
        token = document[position]
        if token.lower_ in _CLITICS:
            position += 1
        elif token.text in (",", "(") and (close := _aside_end(document, position)) is not None:
            position = close + 1
        elif token.lower_ == "et" and (company := _company_end(document, position + 1)) is not None:
            position = company
        elif token.lower_ in ("du", "de", "des") and position == start and (place := _of_place_end(document, position)):
            position = place
        else:
            return token
    return None


def _aside_end(document: Doc, start: int) -> int | None:
    """Where an aside opened at `start` by a comma or a bracket closes: a few words, no verb among them."""
    closing = ")" if document[start].text == "(" else ","
    for position in range(start + 1, min(len(document), start + 1 + _ASIDE_WORDS)):
        token = document[position]
        if token.text == closing:
            return position if position > start + 1 else None
        if _conjugated(token) or token.text in _ASIDE_STOPS:
            return None
    return None


def _aside_names_a_thing(document: Doc, start: int) -> bool:
    """Whether an aside opened at `start` (« , le magasin de jouets, ») says the name before it is a place's, an
    organisation's, a shop's or a work's: its first noun is such a word (`_THING_NOUNS`)."""
    if start >= len(document) or document[start].text not in (",", "("):
        return False
    close = _aside_end(document, start)
    if close is None:
        return False
    noun = next((token for token in document[start + 1 : close] if token.pos_ in ("NOUN", "PROPN")), None)
    return noun is not None and normalize_for_match(noun.text) in _THING_NOUNS


def _company_end(document: Doc, start: int) -> int | None:
    """After « et », the end of who is with the name: « moi », « nous », or « son père », « sa fille Mai »."""
    if start >= len(document):
        return None
    if document[start].lower_ in _COMPANY_PRONOUNS:
        return start + 2 if start + 1 < len(document) and document[start + 1].lower_ in _RESUMING else start + 1
    if document[start].lower_ in _POSSESSIVES and start + 1 < len(document) and document[start + 1].pos_ == "NOUN":
        end = start + 2
        while end < len(document) and _named(document[end]):
            end += 1
        return end
    return None


def _of_place_end(document: Doc, start: int) -> int | None:
    """After the name, the end of « du 3e étage », « du club de boxe », « du club de VTT », « du bar-tabac »: a
    few nouns, adjectives, numbers and proper nouns, ending on a noun or a proper noun, a noun among them."""
    position = start + 1
    while position < len(document) and position < start + _ASIDE_WORDS and (
        document[position].pos_ in ("NOUN", "ADJ", "NUM", "DET", "PROPN")
        or document[position].lower_ in ("de", "d'", "du", "-")
    ):
        position += 1
    span = document[start + 1 : position]
    ends = bool(span) and span[-1].pos_ in ("NOUN", "PROPN")
    return position if ends and any(token.pos_ == "NOUN" for token in span) else None


def _named(token: Token) -> bool:
    return token.pos_ in ("PROPN", "NOUN") and _capitalised(token)


def _capitalised(token: Token) -> bool:
    """Whether `token` is a capitalised word, maybe hyphenated (« Jean-Baptiste »)."""
    return token.text[:1].isupper() and token.text.replace("-", "").isalpha()


def _name_run(document: Doc, start: int) -> list[Token]:
    """The capitalised nouns in a row from `start`, one of them a proper noun (« Babacar Ndiaye », « Sandrine
    Moreau », which the tagger reads as a noun and a proper noun); none when they are no such."""
    run: list[Token] = []
    for token in document[start:]:
        if not (_named(token) or (token.pos_ == "X" and _capitalised(token))):
            break
        run.append(token)
    if len(run) == 1 and run[0].pos_ == "NOUN" and listed_first_name(run[0].text):
        return run  # (« Dédé s'occupe », a nickname read as a noun)
    return run if any(token.pos_ == "PROPN" for token in run) else []


def _listed_before(document: Doc, start: int) -> list[Token] | None:
    """The run of capitalised names joined by « , » or « et » to the one opening at `start`."""
    if start < 2 or document[start - 1].lower_ not in (",", "et"):
        return None
    end = start - 1
    first = end
    while first > 0 and _named(document[first - 1]):
        first -= 1
    return list(document[first:end]) or None


def _conjugated(token: Token | None) -> bool:
    """Whether the tagger reads `token` as a conjugated verb, or as an infinitive whose lemma is another word
    (« Abdou encadre », read as an infinitive); « avoir » only before a past participle (« Irina n'a pas
    trouvé »; not « Albert a besoin », « Victor a côté », « Pierre a bâtir »), « être » before one, an
    adjective or a stance (« Laure est allée », « étaient présents », « est pour »; not « Rose et Jade sont
    les noms »)."""
    if token is None or token.pos_ not in ("VERB", "AUX") or "Fin" not in token.morph.get("VerbForm"):
        return token is not None and token.pos_ == "VERB" and _misread_infinitive(token)
    if token.lemma_ not in _AUXILIARIES:
        return True
    following = token.doc[token.i + 1 : token.i + 4]
    then = next((word for word in following if word.lower_ not in _BETWEEN_AUXILIARY_AND_PARTICIPLE), None)
    if then is None:
        return False
    participle = "Part" in then.morph.get("VerbForm") and not then.lower_.endswith(_INFINITIVE_ENDINGS)
    return participle or (token.lemma_ == "être" and (then.pos_ == "ADJ" or then.lower_ in _STANCES))


def _misread_verb(run: Sequence[Token], verb: Token | None, lexicon: _Lexicon) -> bool:
    """Whether the word after a first name opening a sentence (a common one, one of `other_first_names` or a
    nickname) is a verb the tagger misreads (« Odile marche avec une canne », « Kévin livre à vélo », « Mathis
    rêve d'un… »: a noun, a proper noun, an adjective), by the lemmatizer's table (`_Lexicon.verb_form`)."""
    if verb is None or len(run) != 1 or verb.pos_ not in _MISREAD_AS or verb.i != run[0].i + 1:
        return False
    if verb.lemma_ in _AUXILIARIES or normalize_for_match(verb.text) in _AUXILIARY_FORMS:
        return False  # (« Albert a besoin »: `_conjugated` judges « avoir » and « être »)
    name = normalize_for_match(run[0].text)
    if name in AMBIGUOUS_FIRST_NAMES or name in WORD_FIRST_NAMES:
        return False
    if name not in FIRST_NAMES and not listed_first_name(run[0].text):
        return False
    opens = run[0].i == 0 or run[0].nbor(-1).text in _ASIDE_STOPS
    after = verb.nbor(1).lower_ if verb.i + 1 < len(verb.doc) else ""
    if after == "de":
        return False  # (a noun and its complement: « Albert marche de Noël »)
    return opens and lexicon.verb_form(verb.text)


def _misread_infinitive(token: Token) -> bool:
    return "Inf" in token.morph.get("VerbForm") and token.lemma_.casefold() != token.lower_
