"""Masking of personal data in the texts shown to others (the synthesis handed to the city): e-mail
addresses and phone numbers (`masked_contacts`), a writer's name where the text is signed (`masked_writers`,
found as deduplication finds signatures: `dedup_text`), the people a text names inside its sentences by
rules (`masked_people`: a title or a common first name and a surname, a roster, a first name alone that the
words around it make someone's) and as the model's recogniser finds them (`masked_mentions`, with
`people.recognised_people`), a first name signing a text's end (`_masked_signature`) and the names listed
with a masked one (`_masked_listed_with`), each replaced by « [nom masqué] »; the vocabularies of names,
places and titles are in `names`."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from atelier.nlp.dedup_text import (
    CAPITAL,
    EMAIL,
    PHONE,
    SIGN_OFF_HINTS,
    SIGN_OFF_WINDOW,
    STOP_WORDS,
    WORD_PATTERN,
    closing_at_end,
    fold_word,
    name_line,
    opens_with_first_name,
    writer_at_end,
    writer_at_start,
)
from atelier.nlp.names import (
    ACCENTED_FIRST_NAMES,
    AMBIGUOUS_FIRST_NAMES,
    CIVILITIES,
    DISTRICT_ENDINGS,
    EPONYMS,
    FIRST_NAMES,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    WORD_FIRST_NAMES,
    french_first_names,
    other_first_names,
)

if TYPE_CHECKING:
    from atelier.nlp.people import PersonMention


def masked_contacts(text: str) -> str:
    """`text` with each e-mail address and phone number replaced by « [courriel masqué] » and
    « [téléphone masqué] »: what a document shown to others says of a participant's contacts."""
    masked = PHONE.sub("[téléphone masqué]", text)
    return EMAIL.sub("[courriel masqué]", masked) if "@" in masked else masked


MASKED_NAME = "[nom masqué]"


def masked_writers(text: str) -> str:
    """`text` with its writer's name replaced by « [nom masqué] » wherever `dedup_text.signed` finds one: a
    first name before a colon that opens it, a name after a closing formula or alone on its last
    line, after a dash, in brackets or after its last sentence at its end: what a document shown to
    others says of a participant (QA: « … - Josiane Martin » was in the synthesis handed to the city)."""
    spans: list[tuple[int, int]] = []
    if ":" in text[:40]:
        leading = writer_at_start(text) or _first_name_at_start(text)
        if leading and WORD_PATTERN.search(text, leading.end()):
            spans.append(leading.span(1))
    stripped = text.rstrip()
    start = max(0, len(stripped) - SIGN_OFF_WINDOW)
    if any(hint in stripped for hint in SIGN_OFF_HINTS):
        closing = closing_at_end(stripped, start)
        name = closing and ("bare" if closing.group("bare") else "name")
        if closing and name and closing.group(name) and WORD_PATTERN.search(stripped, 0, closing.start()):
            spans.append(closing.span(name))
    if "\n" in stripped:
        person = name_line(stripped, start)
        if person and WORD_PATTERN.search(stripped, 0, person.start()):
            spans.append(person.span(1))
    trailing = writer_at_end(stripped)
    if trailing and WORD_PATTERN.search(stripped, 0, trailing.start()):
        spans.append(trailing.span(trailing.lastindex or 1))
    # (One name may be found twice, once with a word before it: « Signé Paul » after the last sentence.)
    names = [span for span in spans if not any(o != span and span[0] <= o[0] and o[1] <= span[1] for o in spans)]
    masked, end = [], 0
    for first, last in sorted(set(names)):
        if first >= end:
            masked += [text[end:first], MASKED_NAME]
            end = last
    return "".join([*masked, text[end:]]) if masked else text


# A word opening a text before a colon, maybe with what it is, in lower case (« Gwenaël : … », « Aurélie,
# infirmière : … », « Céline (assistante maternelle) : … »; not a list, « Colette, Sand et Weil : noms
# proposés », nor a place, « Albert (Somme) : »).
_OPENING_WORD = re.compile(
    r"[ \t]*([A-ZÀ-ÖØ-ÞŒ][\w'’-]*)(?:[ \t]*,[ \t]*[a-zß-öø-ÿ][^:,;()\n]{0,30}|[ \t]*\([a-zß-öø-ÿ][^():\n]{0,29}\))?"
    r"[ \t]*:(?!//)"
)
_LISTING = re.compile(r"\b(?:et|ou)\b|[&+/]")


def _first_name_at_start(text: str) -> re.Match[str] | None:
    """A first name of the masking's lists (`_written_as_first_name`: beyond the common ones deduplication
    knows) that opens `text` before a colon; not one that is also a word (« Olivier : planter… », « Pierre :
    … »)."""
    opening = _OPENING_WORD.match(text)
    if opening is None or fold_word(opening.group(1).casefold()) in AMBIGUOUS_FIRST_NAMES | WORD_FIRST_NAMES:
        return None
    if _LISTING.search(text, opening.end(1), opening.end()):
        return None
    return opening if all(map(_written_as_first_name, opening.group(1).split("-"))) else None


# Two or three capitalised words, the first maybe a title with its point (« Mme Bernard », « Jean Dupont »).
_PERSON_IN_TEXT = re.compile(
    r"(?:(?<=\b[dD]['’])|(?<=\b[qQ]u['’])|(?<![\w'’-]))"  # (after « d' », « qu' »: « l'approche d'Alice Martin »)
    r"([A-ZÀ-ÖØ-Þ][\w'’-]*\.?)[ \t]+([A-ZÀ-ÖØ-Þ][\w'’-]*)(?:[ \t]+([A-ZÀ-ÖØ-Þ][\w'’-]*))?(?![\w'’-])"
)
_WORD_BEFORE = re.compile(r"([\w'’-]+)[ \t]*$")
_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")
_ELIDED_NAME = re.compile(r"[dD]['’][A-ZÀ-ÖØ-Þ]")
_AND_A_NAME = re.compile(r"[ \t]+et[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*")
_THREE_WORDS = re.compile(r"[ \t]+([\w'’-]+)(?:[ \t]+([\w'’-]+))?(?:[ \t]+([\w'’-]+))?")
# The endings of a past participle of the first group (« réparé », « lancée »), and the words so ending
# after an « a » that are none (« a été »; « a côté », « a proximité », « a moitié » written for « à »).
_PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées")
_NO_PARTICIPLES = frozenset("ete cote proximite moitie volonte".split())
# How far before a name its word before is looked for (a longer word is no word of a sentence).
_WORD_WINDOW = 80


def _word_before(text: str, end: int) -> re.Match[str] | None:
    """The word right before `end` (`_WORD_BEFORE`), looked for in the `_WORD_WINDOW` characters before it
    (from the text's start, every name of a long text read it all again: QA, 13 s for 70,000 characters)."""
    return _WORD_BEFORE.search(text, max(0, end - _WORD_WINDOW), end)


def _in_capitals(text: str) -> bool:
    """Whether `text` has no letter in lower case (« MARIE PROPOSE UN JARDIN »)."""
    return not any(character.islower() for character in text)


def masked_people(text: str) -> str:
    """`text` with the people it names inside its sentences replaced by « [nom masqué] »: a title and a
    surname (« Mme Bernard »), or a common first name and a surname (« Marie Martin propose… »,
    « Contactez Jean Dupont »), not a place named after someone (« rue Victor Hugo », « l'école Jean
    Moulin », « Louise Michel »: `EPONYMS`, or a place word before it). In a text all in capitals, where
    any word has one, a first name and a word are a person's name only after a word or before a verb that
    makes them one (« AVEC MARIE DUBOIS », not « MURETS EN PIERRE SÈCHE »). QA: names inside post-its
    reached the synthesis handed to the city. The names of a roster are masked first (`_masked_rosters`)."""
    text = _masked_rosters(text)
    if not CAPITAL.search(text, 1):
        return _masked_lone_first_names(text)
    shouting = _in_capitals(text)
    parts: list[str] = []
    end = position = 0
    while (match := _PERSON_IN_TEXT.search(text, position)) is not None:
        position = match.start(2)  # (not a person's: tried again from its second word, « Contactez Jean Dupont »)
        first, surname, third = match.group(1), match.group(2), None if shouting else match.group(3)
        titled = fold_word(first.rstrip(".").casefold()) in CIVILITIES
        last = third if third and not titled else surname
        if not (titled or opens_with_first_name(first)):
            continue
        # (A title makes a surname a person's, « Mme Rousseau », but in a place's name: « rue du Docteur Schweitzer ».)
        eponym = bool({fold_word(surname.casefold()), fold_word(last.casefold())} & EPONYMS)
        if _after_a_naming_word(text, match.start()) if titled else eponym:
            continue
        if _ROMAN_NUMERAL.fullmatch(surname):  # (« Louis XIV », « Jean XXIII »: a king's, a pope's)
            continue
        if fold_word(surname.casefold()) in _A_PERSON_DOES:  # (« MARIE PROPOSE UN JARDIN »: a verb is no surname)
            continue
        before = _word_before(text, match.start())
        pieces = re.split(r"['’]", before.group(1)) if before else [""]
        if before and len(pieces) > 1 and not pieces[-1]:  # (« rue d'Alice Guy »: the word before « d' »)
            earlier = _word_before(text, before.start())
            pieces = re.split(r"['’]", earlier.group(1)) if earlier else [""]
        word = fold_word(pieces[-1].casefold())
        # (« POUR MARIE ET PIERRE »: « et » is no surname; « Mme Petit » is one, « Marie Petit » maybe a place.)
        not_surnames = STOP_WORDS if titled else PLACE_WORDS | DISTRICT_ENDINGS | STOP_WORDS
        if (
            word in PLACE_WORDS | ORGANISATION_WORDS | _STOP_NAMING_WORDS
            or fold_word(surname.casefold()) in not_surnames
        ):
            continue
        # (In capitals, after « À », « POUR »…, as often a place: « PARKING RELAIS À PAUL SABATIER ».)
        if shouting and not titled and word not in _SOMEONE_OR_WITH and not _does(text, match.end(2)):
            continue
        stop = match.end(3) if third and not titled and fold_word(third.casefold()) not in PLACE_WORDS else match.end(2)
        parts += [text[end : match.start()], MASKED_NAME]
        end = position = stop
    return _masked_lone_first_names("".join([*parts, text[end:]]) if parts else text)


# A roster: the word that opens it, what it is of (« Animatrice de la table : »), « : » or « par », and the list
# of names (« Participants : Alice, Omar et Lina », « Texte rédigé par Jo et Bébert »).
_ROSTER_LEAD = re.compile(
    r"\b(?:participant|participante|participants|participantes|pr[ée]sents?|pr[ée]sentes?|absents?|excus[ée]e?s?"
    r"|(?P<role>animat(?:eur|rice)s?|rapport(?:eur|euse)s?|secr[ée]taires?)|invit[ée]e?s?|intervenant(?:e|s|es)?"
    r"|membres|(?:r[ée]dig|propos|[ée]crit|sign|not|recueilli|transcrit)[ée]?e?s?[ \t]+par)"
    r"(?:[ \t]+(?:de|du|des|la|le|l['’]|à|a)[ \t]*[\w'’-]*){0,3}(?:[ \t]*:[ \t]*|[ \t]+[–—-][ \t]+|(?<=par)[ \t]+)",
    re.IGNORECASE,
)
# Words opening a roster's item that make it a group, not someone (« Rapporteurs : Groupe Mobilité »; folded).
_GROUP_WORDS = frozenset("groupe groupes service services direction table tables atelier ateliers commission".split())
# One name of a roster (one to three capitalised words, an initial: « Chloé D. »), and what joins two names of a
# list (a roster, a signature, `_masked_listed_with`; `_listed` reads the same between two first names).
_ROSTER_WORD = r"(?:[A-ZÀ-ÖØ-ÞŒ]\.|[A-ZÀ-ÖØ-ÞŒ][\w'’-]*)"
_ROSTER_NAME = re.compile(_ROSTER_WORD + r"(?:[ \t]+" + _ROSTER_WORD + "){0,2}")
_LIST_JOIN = r"[ \t]*(?:[,;/+&]|\bet\b|\bou\b)[ \t]*"
_LIST_JOINING = re.compile(_LIST_JOIN)


def _masked_rosters(text: str) -> str:
    """`text` with the names listed after a word that opens a roster replaced by « [nom masqué] »
    (`_ROSTER_LEAD`: « Participants : Alice, Omar, Lina », « Proposé par Ibrahim et Paulo »), where one of
    them is a common first name or has a title, or the roster names a role (« Animatrice : Leïla »): a list
    of towns, firms or services is as often so written
    (QA: « Proposé par Airbus », « Participants : Blagnac, Colomiers et Balma », « Présents : Direction
    Voirie »). Not a place's, an organisation's, a person places are named after or an acronym (« Proposé
    par la Mairie », « Présents : CAF, Tisséo… » keeps « CAF », « écrit par Victor Hugo »)."""
    if ":" not in text and "par" not in text.casefold():
        return text
    parts: list[str] = []
    end = 0
    for lead in _ROSTER_LEAD.finditer(text):
        if lead.start() < end:
            continue
        names = _roster(text, lead.end())
        if not (lead.group("role") or any(_someone_by_name(name.group().split()) for name in names)):
            continue
        for name in names:
            parts += [text[end : name.start()], MASKED_NAME]
            end = name.end()
    return "".join([*parts, text[end:]]) if parts else text


def _roster(text: str, position: int) -> list[re.Match[str]]:
    """The names of a roster listed from `position`, up to the first that is no name (`_masked_rosters`)."""
    names: list[re.Match[str]] = []
    while (name := _ROSTER_NAME.match(text, position)) is not None:
        words = name.group().split()
        folded = [fold_word(word.rstrip(".").casefold()) for word in words]
        if folded[0] in _NAMING_WORDS | _GROUP_WORDS or (len(folded[0]) > 1 and folded[0] in STOP_WORDS):
            break
        if name.group().isupper():
            break
        if len(words) > 1 and EPONYMS.intersection(folded):
            break
        names.append(name)
        join = _LIST_JOINING.match(text, name.end())
        if join is None or join.end() == name.end():
            break
        position = join.end()
    return names


def _someone_by_name(words: Sequence[str]) -> bool:
    """Whether a name's words make it someone's: a title, or a common first name written as one."""
    return fold_word(words[0].rstrip(".").casefold()) in CIVILITIES or all(
        map(_common_first_name, words[0].split("-"))
    )


def masked_mentions(text: str, mentions: Sequence[PersonMention]) -> str:
    """`text` with the people the model's recogniser found in it (`people.recognised_people`) replaced by
    « [nom masqué] », as far as the rules of `masked_people` agree: a name of several words but one opened by
    a place's or an organisation's word or written after one (« Impasse Antoine de Saint-Exupéry », « l'école
    Jean Moulin »), a person places are named after (`EPONYMS`), a king (« Louis XIV »); a word alone (the
    recogniser takes towns, firms and misspelt verbs for people: « à Villeneuve-Tolosane », « avec Tisséo »,
    « Dévslopper la… ») only where the sentence makes it someone: before a verb of saying or wanting or a
    stance (« Jojo propose », « Kader est contre »), after « merci », « selon », « idée de », a kin or a word
    of affection (« Mamie Jo »); a common first name alone is the rules' to judge. The words a mention opens
    with that are no name stay (« Bravo Émile », « Idée de Fatou »). In a text all in capitals, any mention
    is as a word alone (« POUR LES LOCATAIRES, COSNOLIDER LE BÂTON »)."""
    shouting = _in_capitals(text)
    spans: list[tuple[int, int]] = []
    for mention in mentions:
        words = list(mention.words)
        while words and fold_word(_last_piece(text[words[0][0] : words[0][1]]).casefold()) in _OPENING_NO_NAME:
            words.pop(0)
        if not words:
            continue
        written = [text[first:last] for first, last in words]
        folded = [fold_word(_last_piece(word).casefold()) for word in written]
        titled = folded[0].rstrip(".") in CIVILITIES  # (« Mme Rousseau »)
        if titled and written[1:2] and written[1].islower() and folded[1] in _NAME_ARTICLES:  # (« Madame la Maire »)
            continue
        if folded[0] in _NAMING_WORDS or any(map(_ROMAN_NUMERAL.fullmatch, written)):
            continue
        if EPONYMS.intersection(folded) and not titled:
            continue
        if not all(word[:1].isupper() or fold in _NAME_PARTICLES for word, fold in zip(written, folded, strict=True)):
            continue
        start, end = words[0][0], words[-1][1]
        first_name = all(part in FIRST_NAMES for part in folded[0].split("-"))
        # (A word of a first name and a surname joined is a place's: « Jean-Jaurès », « Jeanne-d'Arc ».)
        if len(words) == 1 and "-" in written[0] and not all(
            part in FIRST_NAMES for part in fold_word(written[0].casefold()).split("-")
        ):
            continue
        # (A first name that is also a word or a feast is the rules' even before a verb: « Noël approche ».)
        if len(words) == 1 and first_name and (not mention.acts or folded[0] in AMBIGUOUS_FIRST_NAMES):
            continue
        # (Two words but a first name and a title are as often a firm's or a place's: « Molina Healthcare »,
        # « Basso Cambo est saturé », « Leroy Merlin »; a first name of elsewhere and a surname are someone's:
        # « avec Oksana Kovalenko ».)
        first_name = first_name or (
            len(words) > 1 and not written[0].isupper() and written[0].casefold() in other_first_names()
        )
        alone = len(words) == 1 or shouting or not (first_name or titled)
        if alone and not mention.acts and not _someone_alone(text, start, end):
            continue
        if not _after_a_naming_word(text, start) or (mention.acts and _after_a_person_adjective(text, start)):
            spans.append((start, end))
    merged: list[list[int]] = []
    for first, end in sorted(spans):
        if merged and first < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([first, end])
    parts: list[str] = []
    last = 0
    for first, end in merged:
        parts += [text[last:first], MASKED_NAME]
        last = end
    return "".join([*parts, text[last:]]) if parts else text


def masked_names(text: str, mentions: Sequence[PersonMention]) -> str:
    """`text` (its contacts masked) with every name masked as the synthesis masks them: the people the
    model found (`masked_mentions`), its writer (`masked_writers`), the people it names (`masked_people`),
    a first name or an initial and a surname signing its end (`_masked_signature`, `_masked_initial_signature`),
    a family's name (`_masked_families`), and the names listed with them (`_masked_listed_with`)."""
    shown = _masked_signature(masked_people(masked_writers(masked_mentions(text, mentions))))
    return _masked_listed_with(_masked_families(_masked_initial_signature(shown)))


def two_capitalised_words(text: str) -> bool:
    """Whether `text` has two capitalised words in a row (« Mamadou Diallo »): with `named_by_context`, a
    text that may name someone `masked_mentions` would mask."""
    return bool(_TWO_CAPITALISED.search(text))


def named_by_context(text: str) -> bool:
    """Whether a capitalised word of `text` is someone by the words around it (`_someone_alone`)."""
    return any(_someone_alone(text, word.start(), word.end()) for word in _CAPITALISED_WORD.finditer(text))


def _someone_alone(text: str, start: int, end: int) -> bool:
    """Whether the word at `start`–`end` is someone by the words around it (`masked_mentions`), or listed
    with one so (« Malik et Sophie veulent… »)."""
    if _does(text, end) or _takes_a_stance(text, end):
        return True
    listed = _AND_A_NAME.match(text, end)
    if listed and (_does(text, listed.end()) or _takes_a_stance(text, listed.end())):
        return True
    before = _word_before(text, start)
    if before is None:
        return False
    pieces = re.split(r"['’]", before.group(1))
    word = fold_word((pieces[-1] or pieces[0]).casefold())
    if word == "a" and (asking := _word_before(text, before.start())) is not None:
        return fold_word(asking.group(1).casefold()) in _THANKS
    return (
        (word in _SOMEONE_BEFORE and (word != "apres" or len(pieces) > 1))  # (« d'après Fatou », not « Après Noël »)
        or (word in _KIN_WORDS and before.group(1)[:1].islower())
        or (word in ("de", "d") and _said_by(text, before.start()))
    )


def _last_piece(word: str) -> str:
    """The part of `word` after its apostrophe (« l'école » → « école »; « d' » → « d »)."""
    pieces = [piece for piece in re.split(r"['’]", word) if piece]
    return pieces[-1] if pieces else word


def _after_a_naming_word(text: str, start: int) -> bool:
    """Whether the name at `start` follows, through capitalised words and particles only, a word that makes
    it a place's or an organisation's (« Impasse Antoine de Saint-Exupéry », « rue d'Alice Guy »)."""
    position = start
    while (before := _word_before(text, position)) is not None:
        word = _last_piece(before.group(1))
        folded = fold_word(word.casefold())
        if folded in _NAMING_WORDS:
            return True
        if not (word[:1].isupper() or folded in _NAME_PARTICLES):
            return False
        position = before.start()
    return False


def _after_a_person_adjective(text: str, start: int) -> bool:
    """Whether the name at `start` follows an adjective said of a person, in lower case (« le petit Enzo s'est
    fait renverser »), which `_after_a_naming_word` reads as a place's word (« Petit Bois »)."""
    before = _word_before(text, start)
    return before is not None and before.group(1) in _PERSON_ADJECTIVES


# Adjectives before a first name that say someone's age or size (`_after_a_person_adjective`).
_PERSON_ADJECTIVES = frozenset("petit petite jeune grand grande vieux vieille".split())
# Words before a name that make it a stop's or a line's (« Métro Louis Pradel », « tram Charles Hernu »; folded).
_STOP_NAMING_WORDS = frozenset("metro tram tramway bus ligne".split())
# Words before a first name alone that make it a person's (folded): « Avec Marie », « Demander à Sophie »,
# « Merci Paul », « selon Jean », « chez Julie », « Voir Marc »; a first name alone elsewhere is as often a
# common word, a town or a symbol written with a capital (QA: « Dénis de justice », « Marié ou pas », « en
# Pierre sèche », « vers Albert », « buste de Marianne », « signalétique Claire » were masked).
_BEFORE_A_PERSON = frozenset(
    """avec a chez par pour selon merci bravo apres contacter contactez appeler appelez demander demandez
    ecrire ecrivez inviter remercier remercie remercions consulter interroger rencontrer dit appelle suis""".split()
)
# Nouns whose « de » or « d' » before a first name makes it a person's: « proposition de Nadia », « l'idée d'Alice ».
_SAID_BY = frozenset(
    """proposition propositions idee idees avis remarque question suggestion demande message part approche
    commentaire intervention temoignage groupe equipe interpellation contribution""".split()
)
# Words after a first name that make it a person's (folded): « Marie propose… », « Thomas veut… », « Kevin a
# dit… », « Nicolas n'est pas… ».
_A_PERSON_DOES = frozenset(
    """propose proposent suggere suggerent souhaite souhaitent voudrait voudraient aimerait aimeraient veut veulent
    demande demandent dit disent pense pensent trouve trouvent estime estiment explique expliquent rappelle
    rappellent signale signalent insiste insistent ajoute ajoutent precise precisent regrette regrettent note
    notent remarque remarquent temoigne temoignent raconte racontent souligne soulignent prefere preferent
    habite habitent travaille travaillent participe participent indique indiquent affirme affirment""".split()
)
# Auxiliaries after a first name, and the participles after them that make it a person's: « Kevin a dit »,
# « Camille a proposé » (not « Albert a besoin », « Pierre a bâtir »).
_AUXILIARIES = frozenset("a ont avait avaient".split())
_PERSON_DID = frozenset(
    """dit propose suggere souhaite demande explique ecrit raconte signale rappele voulu insiste precise ajoute
    note remarque souligne regrette temoigne indique affirme""".split()
)
# A first name alone (« Marie », « Jean-Pierre »), with the word before it and the two after it.
_LONE_NAME = re.compile(
    r"(?:([\w'’-]+)[ \t]+|(\b\w+['’])|(?<![\w'’-]))([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?)"
    r"(?![\w'’-])(?=([ \t]*[,(]?)[ \t]*([\w'’-]*)[ \t]*([\w'’-]*))"
)
# The end of a sentence, or of what a name opening a text says before a colon.
_SENTENCE_STOP = re.compile(r"[.!?:;\n]")


# Words a name is said with, folded: a kin or a neighbour before it (« sa fille Léa », in lower case: not
# « le Père Noël »); what is said of it by « être » (« Yves est pour… », « Nicolas n'est pas d'accord »);
# what it is, in brackets or after a comma when it opens the text (« Paul (habitant) : … »); the words that
# open a sentence with a capital before it (« Hier Marie a dit… », « La Marie propose… »: no longer name).
_KIN_WORDS = frozenset(
    """fille fils mere pere frere soeur voisin voisine voisins voisines mari femme epoux epouse ami amie amis
    copain copine cousin cousine collegue oncle tante grand-mere grand-pere petit-fils petite-fille""".split()
)
_BEING = frozenset("est sont etait etaient".split())
_NOT_BEING = frozenset("n'est ne n'etait".split())
_STANCES = frozenset(
    """pour contre d'accord favorable favorables oppose opposee opposes opposees partant partante partants""".split()
)
_PERSON_NOUNS = frozenset(
    """habitant habitante habitants habitantes riverain riveraine riverains parent parents maman papa eleve
    retraite retraitee commercant commercante etudiant etudiante benevole membre president presidente agent
    elu elue conseiller conseillere""".split()
)
_SENTENCE_OPENERS = frozenset(
    """hier demain aujourd'hui ensuite puis alors donc enfin mais et ou ainsi aussi bref ici deja maintenant
    parfois souvent surtout""".split()
)
# The words after a name (`_takes_a_stance`).
_WORDS_AFTER_A_NAME = re.compile(r"[ \t]*([\w'’-]+)")
# Words of affection before a name (« Mamie Jo », « Tonton Raymond »; folded).
_AFFECTION_WORDS = frozenset("mamie mami mamy papi papy pepe meme tonton tata tatie".split())
# Words a mention of the recogniser may open with that are no part of the name (« Bravo Émile », « Idée de Fatou »).
_OPENING_NO_NAME = (
    _BEFORE_A_PERSON | _SENTENCE_OPENERS | _SAID_BY | _KIN_WORDS | _AFFECTION_WORDS | STOP_WORDS
)
# Words of a name in lower case (« Antoine de Saint-Exupéry », « Marie-Claire de la Tour »), and the words that
# make a name a place's, an organisation's or a stop's.
_NAME_PARTICLES = frozenset("de du des la le d".split())
_NAMING_WORDS = PLACE_WORDS | ORGANISATION_WORDS | _STOP_NAMING_WORDS
# Words before a word alone that make it someone whatever it is (« Merci Jojo », « selon Kader », « d'après
# Fatou », « Mamie Jo »), unlike « avec », « à », « chez » (« avec Tisséo », « à Tournefeuille »).
_SOMEONE_BEFORE = (
    frozenset("merci bravo selon apres remercie remercions appelle contacter contactez inviter rencontrer".split())
    | _AFFECTION_WORDS
)
# Words before « à » and a word alone that make it someone (« Merci à Joaquim »; not « Demander à Leroy Merlin »).
_THANKS = frozenset("merci remercier".split())
# The same, and « avec », for a first name whose case the text does not tell (« avec sophie », « AVEC PAUL »).
_SOMEONE_OR_WITH = _SOMEONE_BEFORE | {"avec"}
_TWO_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞŒ][\w'’-]*\.?[ \t]+[A-ZÀ-ÖØ-ÞŒ]")
_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞŒ][\w-]*")
# A word in lower case, maybe a first name (« avec sophie », « marie propose »).
_LOWER_CASE_WORD = re.compile(r"(?<![\w-])[a-zß-öø-ÿ]+(?:-[a-zß-öø-ÿ]+)?(?![\w-])")


def _masked_lone_first_names(text: str) -> str:
    """`text` with each common first name that stands alone and names a person replaced by « [nom masqué] »:
    after a word that says so (« Avec Marie », « Demander à Sophie », « Merci Paul »: `_BEFORE_A_PERSON`;
    « l'idée d'Alice »: `_SAID_BY`; « sa fille Léa »: `_KIN_WORDS`), before a verb that does (« Marie
    propose… », « Kevin a dit… »: `_A_PERSON_DOES`) or a stance (« Yves est pour… »), or opening the text
    before a comma or a bracket (« Sophie, habitante… », « Paul (habitant) »); with the first names it is
    listed with (« Lucas et Emma veulent… », « Thomas, Léa, Hugo : … »). Written with its own accents (not
    « Dénis », « Marié »), not a word of a longer name (« Marie Curie », « Saint-Jean »); in lower case
    (« avec sophie ») unless it is also a word (« en pierre »); in a text all in capitals, read in lower case.
    A name that is also a common word with a capital (« Rose », « Noël ») needs a verb or a kin."""
    shown = _first_names_capitalised(text)
    if not CAPITAL.search(shown):
        return text
    opening_at = len(shown) - len(shown.lstrip(" \t-•*"))  # (where a name opening the text would start)
    found: list[tuple[int, int, bool]] = []  # (start, end, names a person)
    commons: list[bool] = []  # (whether each is a common first name, not one of `other_first_names` alone)
    someone_does: Callable[[int], bool] | None = None
    opening_list: list[int] = []  # the indexes in `found` of the names listed from the start of the text
    for match in _LONE_NAME.finditer(shown):
        name = match.group(3)
        # (The word before, also when the match before took it: « Victor » of « lycée Victor Hugo ».)
        prior = None if match.group(1) or match.group(2) else _word_before(shown, match.start(3))
        before = match.group(1) or match.group(2) or (prior.group(1) if prior else "")
        before_at = match.start(1) if match.group(1) else prior.start(1) if prior else -1
        sign, after, then = match.group(4).strip(), match.group(5), match.group(6)
        longer = after[:1].isupper() or _ELIDED_NAME.match(after)  # (« Jeanne d'Arc », « Victor Hugo »)
        if (longer and not sign) or not all(_written_as_first_name(part) for part in name.split("-")):
            continue
        pieces = re.split(r"['’]", before)
        word_before = fold_word((pieces[-1] or pieces[0]).casefold())
        kin = before[:1].islower() and word_before in _KIN_WORDS
        acting = not sign and after != "à"
        stance = acting and _takes_a_stance(shown, match.end(3))
        does = acting and (_does(shown, match.end(3)) or stance)
        if "-" not in name and fold_word(name.casefold()) in AMBIGUOUS_FIRST_NAMES and not (does or kin):
            continue
        placed = word_before in _NAME_ARTICLES | PLACE_WORDS | ORGANISATION_WORDS
        # (Any past participle is no proof after a place word: « place Pierre a moitié cassé », « a » for « à ».)
        if placed and not (acting and (_does(shown, match.end(3), any_participle=False) or stance)):
            continue  # (« la Madeleine », « l'Olivier », « rue Colette »; not « Le petit Lucas propose »)
        # A name the text writes in lower case or in capitals after « à », « pour »…: as often a place (« à paul
        # sabatier », « RDV À JEAN JAURÈS »); after « avec », « merci »… a person.
        capitalised_here = text[match.start(3) : match.end(3)] != name
        person_words = _SOMEONE_OR_WITH if capitalised_here else _BEFORE_A_PERSON
        # (A first name beyond the common ones is as often a town, a storm or a shop's after « à », « avec »,
        # « après », « chez »…: « À Alan, … », « Après Klaus », « Le bar Chez Dédé »; hunt of 2026-11-29.)
        common = all(_common_first_name(part) for part in name.split("-"))
        word_said = fold_word(pieces[-1].casefold())
        said_before = kin or (word_said in person_words and (common or _someone_after(shown, before_at, word_said)))
        # (In lower case after « à », a place as often, « à paul sabatier », but not after a verb said to someone:
        # « demander à joaquim », « donner les clés à mamadou ».)
        said_before = said_before or (capitalised_here and word_said == "a" and _said_to(shown, before_at))
        opens_sentence = before_at >= 0 and _opens_sentence(shown, before_at)
        if before[:1].isupper() and not said_before and not (
            opens_sentence and fold_word(before.casefold()) in _SENTENCE_OPENERS | _NAME_ARTICLES
        ):
            continue  # (a word of a longer name: « Victor Hugo », « Louise Michel »; not « Avec Marie »)
        elided = len(pieces) > 1 and not pieces[-1]  # (« d'Alice »)
        if not said_before and (pieces[-1].casefold() == "de" or (elided and pieces[-2].casefold() == "d")):
            said_before = _said_by(shown, match.start(1) if match.group(1) else match.start(2))
        name_at = match.start(3)
        if name_at == opening_at or (
            opening_list and opening_list[-1] == len(found) - 1 and _listed(shown[found[-1][1] : name_at])
        ):
            opening_list.append(len(found))
        # A name opening the text (alone or listed) before a comma or a bracket, in a sentence where someone
        # does something or with what they are (« Sophie, habitante du quartier, souhaite… »; not « Albert,
        # Péronne et Amiens doivent coopérer »).
        opening = bool(sign) and opening_list[-1:] == [len(found)] and (
            fold_word(after.casefold()) in _PERSON_NOUNS
            or (after.isdigit() and fold_word(then.casefold()) == "ans")  # (« Marcel, 82 ans, … »)
            or (someone_does := someone_does or _someone_does_before_stop(shown))(match.end(3))
        )
        found.append((name_at, match.end(3), said_before or does or opening))
        commons.append(common)
    masked = [person for _, _, person in found]
    # Names listed before a colon that open the text are its writers' (« Thomas, Léa, Hugo : groupe vélo »), one
    # of them a common first name (not « Luz, Bram et Alan : trois villages »).
    if (
        len(opening_list) > 1
        and any(commons[index] for index in opening_list)
        and re.match(r"[ \t]*:", shown[found[opening_list[-1]][1] :])
    ):
        for index in opening_list:
            masked[index] = True
    # First names listed together, one a common one, are people's (« Théo ou Clément peuvent », « Colette +
    # Yanis »; not « Thales, Airbus », « Riri, Fifi et Loulou »), and a first name listed with one that names a
    # person is one too (« Lucas et Emma veulent », « Pour Marie et Pierre »).
    for index in range(len(found) - 1):
        if _listed(shown[found[index][1] : found[index + 1][0]]) and (
            masked[index] or masked[index + 1] or commons[index] or commons[index + 1]
        ):
            masked[index] = masked[index + 1] = True
    parts: list[str] = []
    end = 0
    for (first, last, _), person in zip(found, masked):
        if person:
            parts += [text[end:first], MASKED_NAME]
            end = last
    return "".join([*parts, text[end:]]) if parts else text


def _someone_does_before_stop(text: str) -> Callable[[int], bool]:
    """Whether a verb a person does (`_A_PERSON_DOES`) follows a position of `text` before its sentence ends,
    `text` read once (QA: read again from each name of a list of 8,000 « Dédé, », 71 s)."""
    stops = [stop.start() for stop in _SENTENCE_STOP.finditer(text)]
    doers = [
        word.start() for word in WORD_PATTERN.finditer(text) if fold_word(word.group().casefold()) in _A_PERSON_DOES
    ]

    def does(position: int) -> bool:
        doer = bisect_left(doers, position)
        stop = bisect_left(stops, position)
        return doer < len(doers) and (stop == len(stops) or doers[doer] < stops[stop])

    return does


def _first_names_capitalised(text: str) -> str:
    """`text`, as long, as `_masked_lone_first_names` reads it: its common first names written in lower case
    given their capital (« avec Sophie »), but those that are also words (`WORD_FIRST_NAMES`); a text all in
    capitals in lower case but for its first names (« Marie propose un jardin »)."""
    shouting = _in_capitals(text)
    if shouting:
        lowered = text.lower()
        if len(lowered) != len(text):
            return text
        text = lowered
    elif not _LOWER_CASE_WORD.search(text):
        return text

    def capitalised(match: re.Match[str]) -> str:
        word = match.group()
        parts = word.split("-")
        if not all(_written_as_first_name(part) for part in parts) or (not shouting and word in WORD_FIRST_NAMES):
            return word
        return "-".join(part[:1].upper() + part[1:] for part in parts)

    return _LOWER_CASE_WORD.sub(capitalised, text)


def _does(text: str, end: int, any_participle: bool = True) -> bool:
    """Whether the name ending at `end` is someone doing something: before a verb of saying or wanting
    (« propose »), an auxiliary and a past participle (« a dit », « m'a dit », with `any_participle` any of
    the first group: « a réparé », not « a été », « a besoin », nor « a côté » for « à côté »), or an age
    (« a 12 ans »)."""
    following = _THREE_WORDS.match(text, end)
    if following is None:
        return False
    verb, then, third = following.group(1), following.group(2) or "", following.group(3) or ""
    folded = fold_word(_last_piece(verb).casefold())  # (« m'a » → « a »)
    if folded in _A_PERSON_DOES:
        return True
    if folded not in _AUXILIARIES:
        return False
    participle = then.casefold()
    return (
        fold_word(participle) in _PERSON_DID
        or (
            any_participle and participle.endswith(_PARTICIPLE_ENDINGS) and fold_word(participle) not in _NO_PARTICIPLES
        )
        or (then.isdigit() and fold_word(third.casefold()) == "ans")
    )


def _takes_a_stance(text: str, end: int) -> bool:
    """Whether the name ending at `end` is followed by a stance: « est pour », « sont contre », « n'est pas
    d'accord »."""
    words = [
        fold_word(word.replace("’", "'").casefold()) for word in _WORDS_AFTER_A_NAME.findall(text, end, end + 40)[:3]
    ]
    if words[:1] and words[0] in _NOT_BEING and words[1:2] == ["pas"]:
        words = ["est", *words[2:]]
    return len(words) > 1 and words[0] in _BEING and words[1] in _STANCES


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text or a sentence."""
    head = text[max(0, start - _WORD_WINDOW) : start].rstrip(" \t-•*")
    if not head and start > _WORD_WINDOW:
        return False  # (a long run of spaces or dashes: no text's start)
    return not head or head[-1] in ".!?:;\n"


def _listed(between: str) -> bool:
    """Whether `between` joins two names of a list (« , », « et », « ou », « & », « / », « + », « ; »)."""
    return len(between) <= 5 and fold_word(between.strip(" \t,;/+&").casefold()) in ("", "et", "ou")


# Before a first name, words that make it a place's or a thing's (« la Madeleine », « du Marc »; folded).
_NAME_ARTICLES = frozenset("la le les l du au aux".split())


def _said_by(text: str, start: int) -> bool:
    """Whether the « de » or « d' » before a first name (at `start`) follows a noun of what someone says or
    does (« proposition de Nadia », « l'idée d'Alice »: `_SAID_BY`)."""
    noun = _word_before(text, start)
    if noun is None:
        return False
    word = re.split(r"['’]", noun.group(1))[-1]
    return fold_word(word.casefold()) in _SAID_BY


# A nickname of a syllable said twice (« Jojo », « Dédé », « Loulou »; not a letter, « DD »), and the words so made
# that are none.
_SYLLABLE_TWICE = re.compile(r"([^\W\d_]{2,3})\1")
_WORDS_TWICE = frozenset(
    """papa mama meme pepe tata tonton bebe nounou toutou doudou dodo bobo coco tutu bonbon joujou chouchou pipi
    caca zizi lolo nana baba gaga cancan froufrou glouglou tamtam coucou pioupiou chichi tintin toto""".split()
)


def _nickname(word: str) -> bool:
    """Whether `word` (in lower case) is a nickname of a syllable said twice (« jojo », « dédé », not « papa »,
    « bébé », « dodo »)."""
    return bool(_SYLLABLE_TWICE.fullmatch(word)) and fold_word(word) not in _WORDS_TWICE


def listed_first_name(word: str) -> bool:
    """Whether `word` is a first name of `other_first_names` or a nickname (« Oksana », « Jojo »), not written in
    capitals as an acronym is (« DD », « ANAH »): for the tagger's runs (`people`), which read a text's own
    case (the rules here read a text in capitals, « LUDOVIC : … », in lower case: `_other_first_name`)."""
    return not (word.isupper() and len(word) > 1) and _other_first_name(word.casefold())


def _other_first_name(lower: str) -> bool:
    """Whether `lower` (in lower case) is a first name of `other_first_names` or a nickname."""
    return lower in other_first_names() or _nickname(lower)


# Words before a first name beyond the common ones that do not make it someone's (« À Alan, … », « Après Klaus »,
# « Le bar Chez Dédé »: a town, a storm, a shop), but « à » after a verb said to someone (« Demander à Fifi »).
_PLACE_OR_TIME_BEFORE = frozenset("a apres chez".split())
_SAID_TO = frozenset(
    "demander demandez demande grace parler parlez dire dites ecrire ecrivez telephoner adresser donner donnez".split()
)
_SAID_TO_WORDS = 3


def _someone_after(text: str, before_at: int, word: str) -> bool:
    """Whether `word`, before a first name beyond the common ones (at `before_at`), makes it someone's."""
    if word not in _PLACE_OR_TIME_BEFORE:
        return True
    return word == "a" and _said_to(text, before_at)


def _said_to(text: str, before_at: int) -> bool:
    """Whether the « à » at `before_at` follows a verb said to someone, maybe with its object (« Demander à »,
    « donner les clés à »: `_SAID_TO`, within three words)."""
    position = before_at
    for _ in range(_SAID_TO_WORDS):
        if position < 0 or (word := _word_before(text, position)) is None:
            return False
        if fold_word(_last_piece(word.group(1)).casefold()) in _SAID_TO:
            return True
        position = word.start(1)
    return False


def _common_first_name(word: str) -> bool:
    """Whether `word` is a common first name as it is written (`_written_as_first_name`): of `FIRST_NAMES`, or
    given in French-speaking countries (`french_first_names`)."""
    if word.casefold() in french_first_names():
        return True
    return fold_word(word.casefold()) in FIRST_NAMES and _written_as_first_name(word)


def _written_as_first_name(word: str) -> bool:
    """Whether `word` is a first name as it is written: a common one with the accents of the name (« Hélène »,
    « Marie »), not others (« Dénis », « Marié », « Romain » is one, « Clément » too); one of
    `other_first_names` as the list writes it (« Oksana », « Joaquim »); a nickname (« Dédé »)."""
    folded = fold_word(word.casefold())
    written = word.casefold()
    if folded not in FIRST_NAMES:
        return _other_first_name(written)
    return written == folded or written in ACCENTED_FIRST_NAMES


# A name listed with a masked one, before or after it (« Sandrine et [nom masqué] », « [nom masqué] / Mehdi »).
_LISTED_NAME = r"([A-ZÀ-ÖØ-ÞŒ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-ÞŒ][a-zß-öø-ÿ]+)?)"
_NAME_BEFORE_MASKED = re.compile(r"(?<![\w'’-])" + _LISTED_NAME + "(?=" + _LIST_JOIN + re.escape(MASKED_NAME) + ")")
_NAME_AFTER_MASKED = re.compile(
    "(?<=" + re.escape(MASKED_NAME) + ")" + _LIST_JOIN + _LISTED_NAME + r"(?![\w'’-]|[ \t]+[A-ZÀ-ÖØ-ÞŒ])"
)


def _masked_listed_with(text: str) -> str:
    """`text` with each capitalised word listed with a masked name (by « , », « et », « ou », « & », « / »)
    masked too, when it is none of the words that name a place, an organisation or a group, nor a stop word
    or a word of a longer name (« Paul, Fatou, [nom masqué] », « Sandrine et [nom masqué] »)."""
    if MASKED_NAME not in text:
        return text
    for _ in range(_LIST_ROUNDS):
        spans = [match.span(1) for match in _NAME_BEFORE_MASKED.finditer(text) if _may_be_listed(text, *match.span(1))]
        spans += [match.span(1) for match in _NAME_AFTER_MASKED.finditer(text) if _may_be_listed(text, *match.span(1))]
        if not spans:
            break
        parts: list[str] = []
        end = 0
        for first, last in sorted(set(spans)):
            parts += [text[end:first], MASKED_NAME]
            end = last
        text = "".join([*parts, text[end:]])
    return text


# Capitalised words that are no name listed with one (« Cordialement, [nom masqué] », « Merci et [nom masqué] »).
_NOT_LISTED = (
    _NAMING_WORDS
    | _GROUP_WORDS
    | STOP_WORDS
    | CIVILITIES
    | _OPENING_NO_NAME
    | frozenset("cordialement salutations amities bises bonjour bonsoir signe".split())
)
# How many times a list is walked from its masked names (« A, B, C, [nom masqué] »: one more each time).
_LIST_ROUNDS = 6


def _may_be_listed(text: str, start: int, end: int) -> bool:
    """Whether the capitalised word at `start`–`end`, listed with a masked name, may be someone's."""
    folded = fold_word(text[start:end].casefold())
    if folded in _NOT_LISTED or (folded in EPONYMS and not _common_first_name(text[start:end])):
        return False  # (not « Jaurès », but « Paul, [nom masqué] et [nom masqué] ont préparé… »)
    before = _word_before(text, start)
    if before is not None and before.group(1)[:1].isupper():
        return False  # (a word of a longer name: « Jean Jaurès »)
    previous = fold_word(_last_piece(before.group(1)).casefold()) if before is not None else ""
    return previous not in _NAMING_WORDS | _NAME_ARTICLES


# What signs a text at its end, after its last sentence or a dash: first names (with an initial), maybe after
# « Signé », and what is said of them (« — Laurent, papa d'élève », « ? Benoît (quartier nord) », « !! Ilyes,
# 14 ans », « Signé Hélène et Marc, locataires bât. C »).
_SIGNING_NAME = r"[A-ZÀ-ÖØ-ÞŒ][a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ]\.)?"
_SIGNATURE = re.compile(
    r"(?:[.!?…]|[ \t][—–-]|\n)[ \t]*(?:(?i:sign[ée]e?s?)[ \t]+)?"
    r"(?P<names>" + _SIGNING_NAME + "(?:" + _LIST_JOIN + _SIGNING_NAME + r"){0,3})"
    r"[ \t]*(?P<said>,[^\n!?]{1,40}|\([^)\n]{1,40}\))?[ \t.!]*$"
)
# What is said of a signing name that makes it a list of things instead (« Pierre, bois et chanvre »).
_ENUMERATION = re.compile(r",.*(?:,|\bet\b|\bou\b)")


def _masked_signature(text: str) -> str:
    """`text` with the first names that sign it at its end masked (`_SIGNATURE`), when its first name is one
    written as such (`_written_as_first_name`) and no word of theirs names a place (« … . Victor Hugo »)."""
    head = max(0, len(text) - 2 * SIGN_OFF_WINDOW)
    read = text
    if _in_capitals(text):  # (« PLUS DE BUS LE DIMANCHE - FRANCK »: read with capitals as a name's)
        read = re.sub(r"\w+", lambda word: word.group().capitalize(), text)
        if len(read) != len(text):
            return text
    signature = _SIGNATURE.search(read, head)
    if signature is None or not WORD_PATTERN.search(read, 0, signature.start()):
        return text
    names = _LIST_JOINING.split(signature.group("names"))
    words = [word.rstrip(".") for name in names for word in name.split()]
    folded = {fold_word(word.casefold()) for word in words}
    first = names[0].split()[0]
    said = signature.group("said") or ""
    if not _written_as_first_name(first) or folded & (EPONYMS | _NOT_LISTED | AMBIGUOUS_FIRST_NAMES | WORD_FIRST_NAMES):
        return text
    if _ENUMERATION.match(said) or not (said or all(map(_common_first_name, first.split("-")))):
        return text  # (a word alone beyond the common first names is as often a village's: « … — Luz »)
    parts: list[str] = []
    end = 0
    position = signature.start("names")
    for name in names:
        first = read.index(name, position)
        parts += [text[end:first], MASKED_NAME]
        end = position = first + len(name)
    return "".join([*parts, text[end:]])


# An initial and a surname signing a text after its last sentence or a dash (« … pour les bus. R. Fabre »), and
# a family's name (« Signé : la famille Durand »).
_INITIAL_SIGNATURE = re.compile(
    r"(?:[.!?…]|[ \t][—–-]|\n)[ \t]*([A-ZÀ-ÖØ-Þ]\.[ \t]*[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+)[ \t.!]*$"
)
_FAMILY = re.compile(r"\b[fF]amille[ \t]+([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+)(?![\w'’-])")


def _masked_initial_signature(text: str) -> str:
    """`text` with an initial and a surname that sign its end masked (`_INITIAL_SIGNATURE`), not a place's
    (« … — St. Cyprien ») nor a person places are named after."""
    signature = _INITIAL_SIGNATURE.search(text, max(0, len(text) - SIGN_OFF_WINDOW))
    if signature is None or not WORD_PATTERN.search(text, 0, signature.start()):
        return text
    surname = fold_word(signature.group(1).split(".")[-1].strip().casefold())
    if surname in _NOT_LISTED or surname in EPONYMS:
        return text
    return text[: signature.start(1)] + MASKED_NAME + text[signature.end(1) :]


def _masked_families(text: str) -> str:
    """`text` with a family's name masked (« la famille Durand »), not a place's or an eponym's."""
    if "amille" not in text:
        return text

    def masked(family: re.Match[str]) -> str:
        name = fold_word(family.group(1).casefold())
        if name in _NOT_LISTED or name in EPONYMS:
            return family.group()
        return text[family.start() : family.start(1)] + MASKED_NAME

    return _FAMILY.sub(masked, text)
