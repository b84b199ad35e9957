"""Text analysis for deduplication: a `TextAnalyzer` turns each distinct folded wording into a
`TextUnit`, its content words with their weights and what the comparisons need of it.

Texts are normalised before they are compared: abbreviations are contracted ("développement
durable" and "DD" both become "dd"), amounts of euros and percentages become one word
("10M€"/"10 millions d'euros", "10 %"/"10 pour cent"), prefixed words are joined
("éco-rénovation"), so are two words that another text of the batch writes as one ("skate park" /
"skatepark"), and words are reduced by a light French stemmer (applied to the lemma when a
spaCy `nlp` is given: its lemma table, looked up word by word without running the pipeline).
`is_typo` and `is_derived` say when two words are one up to a typo or a derivation.

Content words weigh 1, generic ones ("développer", "favoriser", "mise en place", …) weigh
`weak_word_weight`, framing words ("proposition", "il faut", "c'est une priorité") nothing; the
weights do not depend on the corpus. Adding documents changes a pair's verdict only through what
the batch lends a word: a joined spelling, the vector of an accented copy (`units`).
A parenthesised aside ("(diagnostic social annuel obligatoire)") counts only where the other text
says the same outside an aside; numbers inside asides ("session 2") are not the idea's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein
from scipy import sparse

from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.language import normalize_for_match
from atelier.nlp.names import (
    AMBIGUOUS_FIRST_NAMES,
    CIVILITIES,
    DISTRICT_ENDINGS,
    EPONYMS,
    FIRST_NAMES,
    PLACE_ARTICLES,
    PLACE_WORDS,
)

if TYPE_CHECKING:
    import spacy

WORD_PATTERN = re.compile(r"[^\W_]+")
_WORD_SPLIT = re.compile(r"([^\W_]+)")
_DIGITS = re.compile(r"\d+")
# A space between digits (looked for first, then behind it: the same matches, found faster).
_THOUSANDS = re.compile(r"[ \u00a0\u202f](?<=\d[ \u00a0\u202f])(?=\d{3}\b)")
# (Both start at a number's first digit only: from every digit of a long run, 5,000 digits took 4 s.)
_MONEY = re.compile(
    r"(?<!\d)(\d+(?:[.,]\d+)?)\s*(k|m|md|mds|mrd|mrds|milliers?|millions?|milliards?)?\s*(?:d['’]\s*)?"
    r"(€|euros?\b|eur\b)",
    re.IGNORECASE,
)
# An hour: "22h" and "22 h 30" read as "22 heures", "22 heures 30".
_HOURS = re.compile(r"(?<=\d)\s?h(?=\b|\d)", re.IGNORECASE)
# A percentage as one word: "10 %" and "10 pour cent" give "10pct" (not "10", nor "10eur").
_PERCENT = re.compile(r"(?<!\d)(\d+(?:[.,]\d+)?)\s*(?:%|pour\s*cent\b|pourcent\b)", re.IGNORECASE)
# Signs that tell two otherwise equal wordings apart ("10 %" / "10 €"): kept in the exact key.
_KEY_SIGNS = "%€$£"
_KEY_PATTERN = re.compile(r"[^\W_]+|[%€$£]")
_MONEY_UNITS = {
    "k": 3, "millier": 3, "milliers": 3,
    "m": 6, "million": 6, "millions": 6,
    "md": 9, "mds": 9, "mrd": 9, "mrds": 9, "milliard": 9, "milliards": 9,
}  # fmt: skip  (powers of ten)
_MONEY_SCALES = tuple((Decimal(10) ** power, power, name) for power, name in ((9, "md"), (6, "m"), (3, "k")))
# Numbers written in words ("dix-huit", "dix mille", "cinq ans"), read as digits where they are
# surely a number: two words or more, or one before a unit or in a frequency ("deux repas par
# semaine"), where "un"/"une" is one too ("une heure", "un repas par semaine"; not "une fête
# chaque année", said as well by "une fête annuelle"). One word alone stays a word elsewhere:
# "trois composantes" in the detail of an action its summary says without a number (the
# labelled pair p029) is one idea, and differing numbers keep two texts apart.
_NUMBER_VALUES = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000,
}  # fmt: skip
_NUMBER_WORD = "|".join(sorted(_NUMBER_VALUES, key=len, reverse=True))
_PERIOD = r"(?:jours?|semaines?|mois|ans?|ann[ée]es?)\b"
_UNIT = (
    r"\s*(?:€|%|°|euros?\b|eur\b|heures?\b|h\b|ans?\b|mois\b|jours?\b|semaines?\b|minutes?\b|min\b"
    r"|km\b|kilom[eè]tres?\b|m[eè]tres?\b|degr[eé]s?\b|fois\b|pour\s*cent\b"
    rf"|(?:[^\W\d_]+\s+){{1,3}}par\s+{_PERIOD}|[^\W\d_]+(?:\s+[^\W\d_]+)?\s*/\s*{_PERIOD})"
)
_UNIT_AFTER = re.compile(_UNIT, re.IGNORECASE)
# Number words, or "un"/"une" before a unit (an article elsewhere: not matched, so not called
# back for). The lookahead on first letters makes the scan of long texts twice faster.
_SPELT_NUMBER = re.compile(
    rf"\b(?=[cdhmnoqstuv])(?:(?:{_NUMBER_WORD})(?:[\s-]+(?:et[\s-]+)?(?:{_NUMBER_WORD}|une?)\b)*|une?(?={_UNIT}))"
    r"\b(?!-)",
    re.IGNORECASE,
)
_ONE = frozenset({"un", "une"})
# A word after digits in a key ("2 places"), and the word after a number in a text.
_AFTER_DIGITS = re.compile(r"(?<!\S)\d+ ([^\W\d_]{2,})")
_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_]+)")
# "un"/"une" is read as a number only in a text with one of these (folded): "une fois", "une
# heure", "un repas par semaine" ("un budget de 2 M€" is not looked at).
_ONE_UNITS = frozenset("fois heure heures an ans annee annees mois jour jours semaine semaines minute minutes".split())
_ASIDE = re.compile(r"\([^()]*\)")
# The number or letter of a list item ("1) ", "2. ", "3/ ", "(4) ", "a) ", "N°5 "), or the word
# a text is filed under ("Idée : ", "Proposition : "): not the idea's.
_LIST_MARKER = re.compile(
    r"\s*(?:\(?\d{1,3}\s*°?\s*[.)/]|\(?[a-zA-Z]\)|[nN]°\s*\d{1,3}\s*[.):/-]?"
    r"|(?i:id[ée]e|proposition|suggestion|remarque|avis|commentaire)\s*:)\s+(?=\S)"
)
_LIST_MARKER_STARTS = frozenset("0123456789( \tnNiIpPsSrRaAcC")
# A letter's greeting and its closing ("Bonjour, …", "… Cordialement, Sophie Petit", "… Merci pour
# cette consultation.", a name alone on a line after the last sentence): the same answer signed by
# two people is one idea (QA: a campaign's signed copies fell apart, and a signed copy was shown).
_GREETING = re.compile(
    r"\s*(?i:bonjour|bonsoir|madame,?\s+monsieur|mesdames,?\s+messieurs)(?:\s+(?i:à\s+tous|à\s+toutes))?"
    r"\s*[,!.:]\s*(?=\S)"
)
# (A closing is looked for in the last `SIGN_OFF_WINDOW` characters of the text, its trailing spaces
# cut: a long run of spaces and line breaks made the search backtrack for seconds.)
SIGN_OFF_WINDOW = 160
# (A name alone after the last sentence, without a closing formula, is a first name and a last
# name, or a common first name alone: one word may be a place, « …l'école.\nBerriat », QA,
# adversarial round; and not a place's: `closing_at_end`.)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?: [A-ZÀ-ÖØ-Þ][\w'’-]*\.?){0,3}"
_SIGN_OFF = re.compile(
    r"(?:(?<=[.!?…])|(?<=\n))\s*(?:"
    r"(?i:(?:bien\s+|très\s+)?cordialement|bien\s+à\s+vous|(?:sinc[eè]res\s+)?salutations(?:\s+distingu[ée]es)?"
    r"|merci(?:\s+(?:beaucoup|d['’]avance|(?:à\s+vous\s+)?pour\s+[^.!?\n]{1,80}))?|sign[ée])"
    r"(?:[ \t]*[,.:!-]+)?(?:\s+(?P<name>" + _NAME + r"))?"
    r"|(?:(?<=[.!?…]\n)|(?<=[.!?…]\r\n)|(?<=[.!?…] \n))(?P<bare>" + _NAME + r"))[.!]*$"
)
SIGN_OFF_HINTS = ("\n", "ordialement", "erci", "alutations", "igné", "à vous")
# What a web form's answers add around an idea (QA, an online consultation: each kept copies
# apart): « +1 » before it (then a capital or a sign: « +1 agent » is one agent more) or after
# it (« : +50 », « : +1000 » may be the idea's count: QA, adversarial round); an e-mail address or a phone
# number given with the words that give it (« Contact : », « me joindre au »), or on a last line
# that holds only names beside it. A number or address alone may be the idea's (« Afficher le
# numéro du CCAS … », « Créer une adresse mail … »: QA, adversarial round), and so may a last
# line of capitalised words (« Croix Rousse », « La Tronche ») or a first sentence « J'habite … »
# (« J'habite rue des Lilas. Les voitures y roulent trop vite »): not left out.
_VOTE_BEFORE = re.compile(r"\s*\+\s*1(?![\d,.])(?:[\s!.,:;-]*[!.,:;-]|\s+(?=[A-ZÀ-ÖØ-Þ]))\s*(?=\S)")
_VOTE_AFTER = re.compile(r"[\s,;.!-]*\+\s*1\s*!*\s*$")
# (Tried at the start of a word only, and bounded: a 60,000-letter word before « @ » took 34 s.)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
PHONE = re.compile(r"(?<![\d+])(?:\+\s?33\s?(?:\(0\))?\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
# The words that give an address or a number, right before it (looked for there only: a long
# answer is not scanned for them).
_CONTACT_LEAD = re.compile(
    r"(?i:(?:vous\s+pouvez\s+)?me\s+(?:joindre|contacter|[ée]crire|appeler)|(?:contactez|appelez)[\s-]moi"
    r"|contact|t[ée]l[ée]phone|t[ée]l|portable|mobile|e-?mail|mail|courriel)\W*(?:(?i:au|à|sur|par)\s+)?$"
)
_CONTACT_LEAD_WINDOW = 40
# A last line of names and contacts only: « Jean-Pierre Martin – jp.martin@orange.fr – 04 23 … ».
_SIGNATURE_LINE = re.compile(r"\n(?:[A-ZÀ-ÖØ-Þ][\w'’-]*\.?|\x00|[ \t,;:/|–—-]+)+")
_NAME_WORDS = r"[A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*\.?)?"  # one or two capitalised words
_LEADING_NAME = re.compile(r"\s*(" + _NAME_WORDS + r")[ \t]*:(?!//)")
# A name after a dash or in brackets at the end: « Bravo aux organisateurs - Christine », « … (Marc) ».
_TRAILING_NAME = re.compile(r"\s[-–—(]\s*(" + _NAME_WORDS + r")\)?\s*$")
# A writer's name that `without_framing` leaves out: a common first name (`opens_with_first_name`) alone,
# opening the text before a colon (« Marc : créer une AMAP »), or alone or before a surname ending it
# after a dash, in brackets or after its last sentence (« … - Josiane », « … - Marie Dubois », « … (Marc) »,
# « …isolées. Yvette »: `_writer_name`). A first name and a surname may be a place's (« … - Victor Hugo »,
# « Jean Jaurès : … »): `EPONYMS`.
# A name may be written surname first or with a particle (« - Dubois Marie », « - Marie-Claire de la Tour »).
_FIRST_NAME_WORD = (
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?:[ \t]+(?:(?:de[ \t]+la|d[eu]s?|la|le)[ \t]+|d['’])?[A-ZÀ-ÖØ-Þ][\w'’-]*){0,2}"
)
_TRAILING_WRITER = re.compile(
    r"(?:[ \t]+[-–—][ \t]*(" + _FIRST_NAME_WORD + r")|(?<=[.!?…])[ \t]+(" + _FIRST_NAME_WORD + r")"
    r"|[ \t]*\((" + _FIRST_NAME_WORD + r")\))[ \t.!]*$"
)
_TRAILING_WRITER_WORDS = 5  # (words of a name and its particles, back from the last, where a dash or bracket may be)
_PERSON_LINE = re.compile(r"\n[ \t]*([A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*\.?){1,2})[ \t.!]*$")
# Greeting and closing words a framed text leaves out (folded).
_FORMULA_WORDS = frozenset("bonjour bonsoir cordialement merci salutations distinguees madame monsieur".split())
# "pluri-disciplinaire", "éco-rénovation", "socio-économique": one word, as when written joined.
_PREFIX = re.compile(
    r"pluri|multi|inter|intra|co|[eé]co|auto|anti|socio|bio|micro|macro|n[eé]o|semi|trans|extra|ultra|"
    r"p[eé]ri|post|pr[eé]|super|hyper|mini",
    re.IGNORECASE,
)
# A whole word before a hyphen and a letter, kept whole by `\w++` (it is a prefix when all of it
# is one: faster than trying every prefix at every word).
_HYPHENATED = re.compile(r"\b(\w++)-(?=[^\W\d_])")
_INNER_CAPITAL = CAPITAL = re.compile(r"[A-ZÀ-ÖØ-ÞŒ]")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = ".:!?;–—-=>"

# Function words (folded). Negations are not here: they are kept apart (see _NEGATIONS).
STOP_WORDS: frozenset[str] = frozenset(
    """
    a au aux avec c ca ce ceci cela celle celles celui ces cet cette ceux chez comme contre d dans de des
    donc dont du elle elles en entre est et etc etre eux il ils j je l la le les leur leurs lui m
    ma mais me meme mes moi mon n nos notre nous on or ou par parmi pour qu que quel quelle quelles quels
    qui quoi s sa se selon ses si soit son sont sous sur t ta te tes toi ton tous tout toute toutes tres
    tu un une vers vos votre vous y afin ainsi alors aussi car cf ex exemple notamment ndr puis plus
    doit doivent peut peuvent faut sera seront ont avoir etait ici chaque pendant durant lors
    """.split()
)
# ("été" is a season, not a stop word: "a été" loses it in `_SAME_PHRASES`.)
_NEGATIONS: frozenset[str] = frozenset("ne pas sans non ni jamais aucun aucune moins".split())
# "moins" turns an idea round ("Des logements moins chers"), but not after these ("au moins une
# fois", "du moins"); "moins de" and "les moins" are directions (`_DIRECTIONS`), not negations.
_MOINS = "moins"
_NOT_TURNING_MOINS = frozenset("au du".split())
# A text that starts with "contre" is against what follows ("Contre la taxe carbone"); elsewhere
# "contre" belongs to its verb ("lutter contre").
_AGAINST = "contre"
# "contre" after these is a stance ("Je suis contre la piste"), as at the start of a text.
_STANCE = frozenset(
    """suis sommes est sont etes etre totalement absolument resolument petition petitions vote votes voter votons
    votez avis manifestation manifester mobilisation motion oppose opposee opposes opposees""".split()
)
# "contre" opening a clause, after a colon or a dash ("Habitants : contre le parking souterrain").
_CLAUSE_AGAINST = re.compile(r"(?:^|[:;–—]|\s-)\s*contre\b", re.IGNORECASE)
# Words that say which way an idea goes (folded, as written: "réduit" is also an adjective, "ferme"
# a farm): more or less, opening or closing, the most or the least. The synonyms of one
# direction are one word, its stem ("augmenter"/"accroître"/"hausse": "+quantite"); two ideas
# going opposite ways are different ideas (`dedup_pairs`).
_DIRECTIONS: dict[str, str] = {
    **dict.fromkeys(
        """augmenter augmentation augmentations accroitre accroissement hausse hausses multiplier
        etendre extension extensions plusde davantagede""".split(),
        "+quantite",
    ),
    **dict.fromkeys(
        """reduire reduction reductions diminuer diminution diminutions baisser baisse baisses limiter
        limitation limitations restreindre restriction restrictions moinsde stopper freiner eviter
        empecher arreter interdire interdiction interdictions supprimer suppression suppressions refuser
        abandonner renoncer annuler annulation bannir proscrire""".split(),
        "-quantite",
    ),
    **dict.fromkeys(
        """ouvrir ouverture ouvertures rouvrir reouvrir reouverture reouvertures ouvert ouverte ouverts
        ouvertes""".split(),
        "+ouverture",
    ),
    **dict.fromkeys("fermer fermeture fermetures".split(), "-ouverture"),
    "superlatifplus": "+superlatif",
    "superlatifmoins": "-superlatif",
}
_LESS = "-quantite"
# Of the words of less, those that do away with a thing, and those that lessen it: "Supprimer les
# bancs" is not "Réduire le nombre de bancs" (QA). The others ("éviter", "freiner") go with both.
_DOING_AWAY = frozenset(
    """supprimer suppression suppressions interdire interdiction interdictions bannir proscrire abolir abolition
    eliminer elimination stopper arreter annuler annulation abandonner renoncer refuser""".split()
)
_LESSENING = frozenset(
    """reduire reduction reductions diminuer diminution diminutions baisser baisse baisses limiter limitation
    limitations restreindre restriction restrictions moinsde""".split()
)
# Words that pass on what a word of less lessens to the next one ("Abandonner le projet de rocade").
_PROJECT_WORDS = frozenset({"projet", "projets"})
# Problems to fight (folded, singular): a text that only names one ("Isolement des personnes
# âgées") asks for less of it, as "Éviter l'isolement…" does; other things named are asked for
# ("Parkings gratuits en centre-ville" against "Supprimer les parkings gratuits…").
PROBLEM_WORDS: frozenset[str] = frozenset(
    """
    isolement solitude precarite pauvrete misere exclusion marginalisation inegalite discrimination
    segregation chomage illettrisme decrochage echec fracture endettement surendettement pollution bruit
    nuisance dechet gaspillage embouteillage bouchon congestion accident insecurite violence incivilite
    delinquance vandalisme risque maladie obesite addiction stress emission artificialisation etalement
    secheresse inondation canicule surconsommation precarisation consommation vitesse trafic circulation
    depense cout prix loyer facture attente retard
    """.split()
)
_INFINITIVE_ENDINGS = ("er", "ir", "re")
# Endings of nouns and adjectives that hardly any infinitive has ("culture", "lumière", "horaire",
# "territoire", "arbre", "sentier"; folded), and the infinitives that have them.
_NOUN_ENDINGS = ("ure", "iere", "aire", "oire", "bre", "gre", "fre", "tier")
_VERBS_OF_NOUN_ENDINGS = frozenset(
    """conclure exclure inclure faire refaire defaire satisfaire plaire deplaire taire extraire distraire
    soustraire boire croire initier chatier balbutier""".split()
)
# Verbs that are nouns too, whose first person plural is not their stem's ("pouvons"; folded).
VERBS_LIKE_NOUNS = frozenset("pouvoir devoir savoir vouloir avoir etre dire lire tendre".split())
# Nouns and adjectives ending like an infinitive that open ideas ("Atelier vélo…", "Foyer de
# jeunes…"; folded), never the verb of an action (with spaCy, its lemma table finds most others).
NOUNS_LIKE_INFINITIVES = frozenset(
    """atelier cahier foyer loyer loisir plaisir desir avenir navire empire centre theatre titre lettre fenetre
    registre ministre filtre metre perimetre livre oeuvre manoeuvre cadre ordre escalier calendrier fichier
    dossier papier panier grenier premier dernier ecolier pilier collier mobilier immobilier particulier regulier
    jardinier cuisinier pompier policier ouvrier courrier janvier fevrier potager verger berger boulanger danger
    etranger passager usager rocher clocher plancher hiver mer fer trottoir couloir espoir terroir reservoir
    comptoir soir noir miroir lavoir abattoir libre propre autre rencontre montre maitre pauvre cuivre sucre
    chiffre coffre offre""".split()
)
# "plus de"/"moins d'" and "les plus"/"le moins", written as one word of `_DIRECTIONS`.
_QUANTITY = re.compile(r"\b(plus|moins|davantage)\s+(?:de\b|des\b|du\b|d['’])\s*", re.IGNORECASE)
_SUPERLATIVE = re.compile(r"\b(le|la|les|l['’])\s*(plus|moins)\b", re.IGNORECASE)
_QUANTIFIERS = frozenset({"plus", "moins", "davantage"})
# The forms of "avoir" before "été" the participle ("a été", "ont toujours été"), not the season.
_HAVING = "ai|as|a|avons|avez|ont|avais|avait|avions|aviez|avaient|aurait|auraient|aura|auront|ait|aient|avoir|ayant"
_BETWEEN = "d[ée]j[àa]|toujours|jamais|pas|bien|trop|souvent"
# Phrases read as another of one meaning (`_SAME_MEANING` for words): "à côté de" as "près de"
# ("côté" alone may be a side, "côte" a coast), "personnes âgées" as "seniors" ("âgés de 16 ans"
# is an age). Looked for only in texts with one of `_PHRASE_WORDS` (folded).
_SAME_PHRASES = (
    (re.compile(r"\b[àa]\s+c[ôo]t[ée]\s+(?=de\b|du\b|des\b|d['’])", re.IGNORECASE), "près "),
    (re.compile(r"\bpersonnes?\s+[aâ]g[ée]e?s?\b", re.IGNORECASE), "seniors"),
    (re.compile(rf"\b((?:{_HAVING})(?:\s+(?:{_BETWEEN}))*)\s+[ée]t[ée]\b", re.IGNORECASE), r"\1"),
)
_PHRASE_WORDS = frozenset({"cote", "age", "ages", "agee", "agees", "ete"})
# Nouns of one root in -ement and in -ation are two words ("isolement"/"isolation"), though the
# light stemmer gives them one stem.
_NOMINAL_SUFFIXES = ("ement", "ation")
# Framing words, which say how an idea is put, not which idea it is: ignored.
FRAME_WORDS: frozenset[str] = frozenset(
    """
    proposition propositions proposons proposer propose proposee priorite prioritaire prioritaires
    urgent urgente important importante necessaire necessite falloir faut faudrait faudra fallait devrait
    devraient pourrait pourraient souhaite souhaitons souhaiterions souhaitable suggere suggerons suggestion
    svp stp
    """.split()
)
# Words that say when (folded, as written): a proposal limited to a time is another one
# ("Interdire les voitures pendant le marché" / "… après le marché").
TIME_WORDS: frozenset[str] = frozenset(
    """
    apres avant heure heures lundi lundis mardi mardis mercredi mercredis jeudi jeudis vendredi vendredis
    samedi samedis dimanche dimanches weekend weekends ete hiver printemps automne soir soirs soiree soirees
    matin matins matinee matinees nuit nuits nocturne nocturnes midi vacances ferie feries
    """.split()
)
# Generic words that say little about which idea it is (weigh `weak_word_weight`).
WEAK_WORDS: frozenset[str] = frozenset(
    """
    faire fait mettre mise place developper developpement favoriser creer creation organiser organisation
    realiser realisation promouvoir promotion permettre encourager soutenir soutien renforcer ameliorer
    amelioration assurer aider agir travailler travail question comment role cadre niveau matiere terme
    type oeuvre action actions general generale demarche besoin besoins enjeu enjeux veiller engager rendre
    plan
    """.split()
)
# Of the generic words, those that open an action, as verbs or nouns ("Mettre en place…",
# "Création de…"): two texts that differ only by them say one action (`dedup_pairs`). The other
# generic words ("question", "cadre", "besoin") say what it is about, not how it is put.
OPENING_WORDS: frozenset[str] = WEAK_WORDS - frozenset(
    """
    question comment role cadre niveau matiere terme type action actions general generale demarche besoin
    besoins enjeu enjeux travail
    """.split()
)
# Verb/noun pairs whose stems the light stemmer cannot bring together.
_IRREGULAR_STEMS = {
    "mise": "mett", "mis": "mett", "mettre": "mett", "mettent": "mett",
    "soutien": "souten", "soutenir": "souten", "coordination": "coordonn", "coordonner": "coordonn",
    "promotion": "promouv", "promouvoir": "promouv", "deploiement": "deploy", "deployer": "deploy",
    "construction": "construir", "construire": "construir", "lutte": "lutt", "lutter": "lutt",
    "extinction": "etein", "eteindre": "etein",
}  # fmt: skip
# Words of one meaning that no stemmer brings together (folded, singular), read as the second: a
# noun and its adjective ("clubs sportifs" / "clubs de sport", "une fête annuelle" / "chaque
# année"), the municipality by any name ("salle communale" / "salle de la mairie"), "près de" /
# "à proximité de", synonyms ("voiture" / "automobile", "parking" / "stationnement", "protéger" /
# "préserver"), a word clipped as people speak it ("covoit'"; as an abbreviation, "covoiturer"
# became it and lost its verb). Only words with no other common meaning: not "commune" ("une
# grille commune"), "ville" ("en ville"), "côte" or "proche" ("les proches"), nor "régional"
# ("l'Agence régionale de santé" is not "la Région", bench/dedup.py); "à côté de" is read as
# "près de".
_SAME_MEANING = {
    "sportif": "sport", "sportive": "sport", "associatif": "association", "associative": "association",
    "culturel": "culture", "culturelle": "culture", "naturel": "nature", "naturelle": "nature",
    "familial": "famille", "familiale": "famille", "climatique": "climat",
    "touristique": "tourisme", "touriste": "tourisme", "cyclable": "velo", "cycliste": "velo",
    "jeunesse": "jeune", "communal": "municipal", "communale": "municipal", "municipale": "municipal",
    "municipalite": "municipal", "mairie": "municipal", "annuel": "an", "annuelle": "an", "annee": "an",
    "ans": "an", "mensuel": "mois", "mensuelle": "mois", "hebdomadaire": "semaine", "quotidien": "jour",
    "quotidienne": "jour", "journee": "jour", "nocturne": "nuit", "soiree": "soir", "pres": "proximite",
    "aine": "senior", "ainee": "senior", "automobile": "voiture", "toiture": "toit", "football": "foot",
    "wc": "toilette", "menu": "repas", "parking": "stationnement", "preserver": "proteger",
    "preservation": "proteger", "protection": "proteger", "corbeille": "poubelle", "covoit": "covoiturage",
    "changer": "remplacer",
}  # fmt: skip


@dataclass(slots=True)
class TextUnit:
    """One distinct folded wording and what the comparisons need of it. A parenthesised aside
    counts only where the other text says it outside an aside (see `dedup_pairs`)."""

    key: str  # folded words joined by spaces: equal keys are the exact level
    length: int
    weights: dict[str, float]  # content stem -> weight (each stem once)
    surfaces: dict[str, str]  # content stem -> the folded word it came from (first one)
    names: frozenset[str]  # stems of names, acronyms, numbers and words unknown to the vectors
    proper: frozenset[str]  # of them, the words a capital inside a sentence or all capitals make names
    aside: frozenset[str]  # stems found only inside parenthesised asides
    total: float
    content_key: str  # stems in text order: the near-identical level's rapidfuzz key
    core_key: str  # the same without the asides
    numbers: tuple[str, ...]  # outside the asides
    negated: bool
    vector: np.ndarray | None = None
    # abbreviation stem -> the content stems it spells out, for the abbreviations of the text
    spelled: dict[str, frozenset[str]] = field(default_factory=dict)
    directions: frozenset[str] = frozenset()  # stems of `_DIRECTIONS` ("+quantite", "-ouverture")
    lessened: frozenset[str] = frozenset()  # the content stem after each word of less ("Limiter la densification")
    # The content stem after each word of a direction, with its sign: "Plus de vélos, moins de
    # voitures" aims "+velo" and "-voitur".
    aimed: frozenset[str] = frozenset()
    # "away" when its words of less all do away with a thing, "less" when they all lessen it, else "".
    less: str = ""
    action: str = ""  # the stem of the first content word when it is an infinitive ("Densifier…")
    openers: int = 0  # how many content words open the text from `OPENING_WORDS` ("Mettre en place…": 2)
    nominal: dict[str, str] = field(default_factory=dict)  # stem -> "ement" or "ation", for such nouns


class _Word(NamedTuple):
    """What the analysis needs of one word as written (cached per word)."""

    lower: str
    folded: str
    stem: str | None  # content stem; None for function, framing and negation words
    plain: str  # stem of any word, for spotting spelt-out abbreviations
    digits: tuple[str, ...]
    negation: bool
    name: bool  # a content word that counts as a name: digits, an abbreviation, unknown to the vectors
    abbreviation: bool  # may start a spelt-out abbreviation, or is one
    weight: float
    vector: int  # row in `_WordVectors`, -1 if none (or no nlp)
    nominal: str  # "ement" or "ation" for a noun of such a suffix, else ""


_NO_WORDS: frozenset[str] = frozenset()
_VECTOR_BLOCK = 1024  # texts whose vectors are computed together


class TextAnalyzer:
    """Turns texts into `TextUnit`s; caches per word (folding, stems, lemmas, vectors)."""

    def __init__(self, settings: DedupSettings, nlp: spacy.Language | None) -> None:
        self.settings = settings
        self.nlp = nlp
        # Abbreviations are contracted: "développement durable" and "DD" both become "dd".
        self.contractions: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self.abbreviations: set[str] = set()
        # An abbreviation written with a hyphen or points (« PLUi-H », « ZFE-m », « P.C.A.E.T. ») is one
        # word, joined (QA: « PLUi-H » was read « PLUi » and « H », and declaring it lost its group).
        spaced = sorted({a for a, _ in settings.abbreviations if _ABBREVIATION_SIGNS.search(a)}, key=len, reverse=True)
        written = "|".join(re.escape(abbreviation).replace(r"\-", "[-‐–]") for abbreviation in spaced)
        self._signed_abbreviations = (
            re.compile(r"(?<![\w.-])(?:" + written + r")(?![\w-])", re.IGNORECASE) if spaced else None
        )
        for abbreviation, full in settings.abbreviations:
            short = normalize_for_match(_ABBREVIATION_SIGNS.sub("", abbreviation))
            self.abbreviations.add(short)
            full = _HYPHENATED.sub(_join_prefix, full)  # (as a text's words are: « inter-entreprises »)
            words = tuple(_stem(normalize_for_match(word)) for word in WORD_PATTERN.findall(full.casefold()))
            if words:
                self.contractions[words[0]].append((words, short))
        for options in self.contractions.values():
            options.sort(key=lambda option: -len(option[0]))
        self.lemmas = _lemma_lookup(nlp) if nlp is not None else None
        self.vectors = _WordVectors(nlp.vocab) if nlp is not None else None
        self.weak = frozenset(_stem(word) for word in WEAK_WORDS)
        self._word_cache: dict[str, _Word] = {}
        self._folded: dict[str, str] = {}  # word as written -> folded, for keys
        self._numeric: set[str] = set()  # words as written holding a digit
        self._abbreviating: set[str] = set()  # words as written that are or may start an abbreviation
        # Content words as written, not names by themselves, that a capital makes a name where it
        # is not a sentence's first word (all of `_upper` also where it is: "BUDGET").
        self._capitalised: set[str] = set()
        self._upper: set[str] = set()
        self._digited: set[str] = set()  # words as written whose folding holds digits
        self._negating: set[str] = set()  # negations as written
        self._quantifying: set[str] = set()  # "plus" and "moins" as written
        self._phrasing: set[str] = set()  # words of `_PHRASE_WORDS` as written
        self._counting: set[str] = set()  # numbers written in words, as written, but for "un"/"une"
        self._one: set[str] = set()  # "un", "une" as written
        self._measuring: set[str] = set()  # words of `_ONE_UNITS` as written
        self._directing: set[str] = set()  # words of `_DIRECTIONS` as written
        self._nominal: set[str] = set()  # nouns in -ement / -ation as written
        self._stem_cache: dict[str, str] = {}
        self._infinitives: dict[str, bool] = {}  # first words as written (lower case) -> `_infinitive`
        # Two words written apart that another text of the batch writes as one ("skate park",
        # "skate-park" / "skatepark"): (first, second) folded -> the joined word as written.
        self._compounds: dict[tuple[str, str], str] = {}
        self._joining: set[str] = set()  # first words of `_compounds`, as written
        self._compound_pattern: re.Pattern[str] | None = None
        self._counted: set[str] = set()  # folded words some text of the batch writes after digits ("2 places")
        # Words the analysis made ("coconstruction" of "co-construction", "dd"), as long as no text writes them.
        self._made: set[str] = set()
        # The content stems each abbreviation spells out, proper names aside ("RSE": responsabilité,
        # sociétale, entreprises; "CUGT": communauté, urbaine).
        spelled: dict[str, set[str]] = defaultdict(set)
        for abbreviation, full in settings.abbreviations:
            for raw in WORD_PATTERN.findall(_HYPHENATED.sub(_join_prefix, full)):
                stem = self.word(raw).stem
                if stem is not None and raw[0].islower():
                    spelled[normalize_for_match(abbreviation)].add(stem)
        self.spelled: dict[str, frozenset[str]] = {short: frozenset(stems) for short, stems in spelled.items()}

    def _made_word(self, raw: str) -> _Word:
        """`word` of a word the analysis made of a text's words, none of the batch's texts writing it yet."""
        self._made.add(raw)
        return self.word(raw)

    def word(self, raw: str) -> _Word:
        """What the analysis needs of one word as written, cached."""
        info = self._word_cache.get(raw)
        if info is None:
            info = self._word_cache[raw] = self._analyse_word(raw)
            self._folded[raw] = info.folded
            if _DIGIT.search(raw):
                self._numeric.add(raw)
            if info.abbreviation:
                self._abbreviating.add(raw)
            if info.digits:
                self._digited.add(raw)
            if info.negation:
                self._negating.add(raw)
            if info.folded in _QUANTIFIERS:
                self._quantifying.add(raw)
            elif info.folded in _PHRASE_WORDS:
                self._phrasing.add(raw)
            elif info.folded in _NUMBER_VALUES:
                self._counting.add(raw)
            elif info.folded in _ONE:
                self._one.add(raw)
            if info.folded in _ONE_UNITS:
                self._measuring.add(raw)
            if info.folded in _DIRECTIONS:
                self._directing.add(raw)
            if info.nominal:
                self._nominal.add(raw)
            if raw[0].isupper() and info.stem is not None and not info.name:
                self._capitalised.add(raw)
                if len(raw) > 1 and raw.isupper():
                    self._upper.add(raw)
        return info

    def _analyse_word(self, raw: str) -> _Word:
        lower = raw.casefold()
        folded = fold_word(lower)
        digits = tuple(_DIGITS.findall(folded))
        negation = folded in _NEGATIONS
        content = (
            not negation
            and folded not in STOP_WORDS
            and folded not in FRAME_WORDS
            and (len(folded) > 1 or bool(digits))
        )
        direction = _DIRECTIONS.get(folded)
        stem = direction or (self.stem(lower, folded) if content else None)
        vector = self.vectors.row(lower) if content and self.vectors is not None else -1
        unknown = (
            self.nlp is not None and not digits and folded not in self.abbreviations and vector < 0 and not direction
        )
        plain = _stem(folded)
        singular = folded[:-1] if folded.endswith("s") else folded
        return _Word(
            lower=lower,
            folded=folded,
            stem=stem,
            plain=plain,
            digits=digits,
            negation=negation,
            name=content and (bool(digits) or unknown or folded in self.abbreviations),
            abbreviation=plain in self.contractions or folded in self.abbreviations,
            weight=self.settings.weak_word_weight if stem in self.weak else 1.0,
            vector=vector,
            nominal=next((suffix for suffix in _NOMINAL_SUFFIXES if singular.endswith(suffix)), "") if stem else "",
        )

    def unit(self, text: str) -> TextUnit:
        return self.units([text])[0][0]

    def units(self, texts: Iterable[str]) -> tuple[list[TextUnit], list[int]]:
        """One unit per distinct key, and the unit of each text. A key's unit is analysed from
        its best written text (`_writing_rank`), whatever the order of the texts: from the first,
        an unaccented copy made its words unknown to the vectors, hence names, and the clusters
        changed with the order of the rows. Text vectors are computed for all units at once."""
        index: dict[str, int] = {}
        units: list[TextUnit] = []
        contents: list[list[_Word]] = []
        chosen: list[str] = []  # per unit, the text it was analysed from
        unit_of: list[int] = []
        findall, folded = WORD_PATTERN.findall, self._folded.__getitem__
        for text in texts:
            text = without_framing(text)
            raws = findall(text)
            try:
                key = " ".join(map(folded, raws))
            except KeyError:  # words not seen yet: analysed, then the key
                for raw in raws:
                    if raw not in self._folded:
                        self.word(raw)
                key = " ".join(map(folded, raws))
            if self._made and not self._made.isdisjoint(raws):
                self._made.difference_update(raws)  # (written by this text: a word of the batch)
            # (The signs of _KEY_SIGNS, spelt out: ten times faster than any() over them.)
            if not raws or "%" in text or "€" in text or "$" in text or "£" in text:
                key = exact_key(text)
            position = index.get(key)
            if position is None:
                position = index[key] = len(units)
                unit, content = self._unit(text, key, raws)
                units.append(unit)
                contents.append(content)
                chosen.append(text)
            elif text != chosen[position] and _writing_rank(text) > _writing_rank(chosen[position]):
                units[position], contents[position] = self._unit(text, key, raws)
                chosen[position] = text
            unit_of.append(position)
        # Words some text writes joined and another apart: the texts writing them apart, read again.
        # (Their words are found again rather than kept: a long answer's words take more memory than its text.)
        # So are the texts writing in words a number another writes in digits before the same word.
        keys = [unit.key for unit in units]
        apart, counting = self._found_compounds(keys), self._found_counted(keys)
        if apart or counting:
            for position, unit in enumerate(units):
                padded, text = f" {unit.key} ", chosen[position]
                if any(needle in padded for needle in apart) or (counting and counting.search(unit.key)):
                    units[position], contents[position] = self._unit(text, unit.key, findall(text))
        if self.vectors is not None:
            # A word written without its accents takes the vector of the word accented in another text
            # of the batch: "mediatheque" has a vector of its own, far from "médiathèque"'s (the
            # cosine of « ouverture de la mediatheque le dimanche » to its accented copy: 0.72).
            accented = {
                info.folded: info.vector
                for info in self._word_cache.values()
                if info.vector >= 0 and info.lower != info.folded
            }
            respelt = {  # the rows of the words to respell
                info.vector
                for info in self._word_cache.values()
                if info.lower == info.folded and info.folded in accented
            }
            for unit, vector in zip(units, self.vectors.text_vectors(contents, accented, respelt), strict=True):
                unit.vector = vector
        return units, unit_of

    def _unit(self, text: str, key: str, raws: list[str]) -> tuple[TextUnit, list[_Word]]:
        """The unit of a text (without its vector) and its content words outside asides (for its vector)."""
        surface = text
        if not self._phrasing.isdisjoint(raws):
            for pattern, replacement in _SAME_PHRASES:
                surface = pattern.sub(replacement, surface)
        if not self._quantifying.isdisjoint(raws):
            surface = _QUANTITY.sub(_quantity, _SUPERLATIVE.sub(_superlative, surface))
        numeric = not self._numeric.isdisjoint(raws)  # the digits of a text are in its words
        if not self._counting.isdisjoint(raws) or (
            not self._one.isdisjoint(raws) and not self._measuring.isdisjoint(raws)  # "une fois", "un repas par an"
        ):
            spelt = _SPELT_NUMBER.sub(self._spelt_number, surface)
            numeric = numeric or spelt != surface
            surface = spelt
        if numeric:
            surface = _numbers_as_words(surface)
        if self._signed_abbreviations is not None and ("-" in surface or "." in surface or "–" in surface):
            surface = self._signed_abbreviations.sub(_without_signs, surface)
        if "-" in surface:
            surface = _HYPHENATED.sub(_join_prefix, surface)
        if self._compound_pattern is not None and not self._joining.isdisjoint(raws):
            surface = self._compound_pattern.sub(self._joined, surface)
        if surface != text:
            raws = WORD_PATTERN.findall(surface)
        cache = self._word_cache
        try:
            infos = list(map(cache.__getitem__, raws))
        except KeyError:  # words made by the changes above
            infos = [cache.get(raw) or self._made_word(raw) for raw in raws]
        # Looking like a name and being inside an aside need the words' positions: looked at only
        # where they can change something (the names, for about a third of the texts).
        names: list[bool] | None = None
        insides: list[bool] | None = None
        if "(" in surface:
            insides = self._insides(surface, raws)
        if (
            raws
            and (raws[0] in self._upper or not self._capitalised.isdisjoint(raws[1:]))
            and ("(" in surface or _INNER_CAPITAL.search(surface, 1))
        ):
            names = self._names(surface, raws)
        if self.contractions and not self._abbreviating.isdisjoint(raws):
            contracted = self._contract(raws, names, insides)
            if contracted is not None:
                raws, names, insides = contracted
                infos = [cache.get(raw) or self._made_word(raw) for raw in raws]
        content = [info for info in infos if info.stem is not None]
        stems = [info.stem for info in content]
        weights = {info.stem: info.weight for info in content}
        name_stems = {info.stem for info in content if info.name}
        proper = _NO_WORDS
        if names is not None:
            proper = frozenset([info.stem for info, name in zip(infos, names) if name and info.stem is not None])
            name_stems.update(proper)
        if not self._abbreviating.isdisjoint(raws):  # acronyms written as such ("parking PMR")
            acronyms = [
                info.stem
                for raw, info in zip(raws, infos)
                if info.stem is not None and info.folded in self.abbreviations and len(raw) > 1 and raw.isupper()
            ]
            proper = proper.union(acronyms) if acronyms else proper
        outside = [info for info, aside in zip(infos, insides) if not aside] if insides and any(insides) else infos
        core_stems = [info.stem for info in outside if info.stem is not None] if outside is not infos else stems
        content_key = " ".join(stems)
        # (Most texts hold neither digits nor a negation: the sets of words tell without a loop.)
        numbers = [] if self._digited.isdisjoint(raws) else [d for info in outside if info.digits for d in info.digits]
        unit = TextUnit(
            key=key,
            length=len(key),
            weights=weights,
            surfaces={info.stem: info.folded for info in reversed(content)},  # the first of each stem
            names=frozenset(name_stems) if name_stems else _NO_WORDS,
            proper=proper,
            aside=frozenset(weights.keys() - set(core_stems)) if len(core_stems) < len(stems) else _NO_WORDS,
            total=float(sum(weights.values())),
            content_key=content_key,
            core_key=" ".join(core_stems) if core_stems is not stems else content_key,
            numbers=tuple(sorted(numbers)) if numbers else (),
            negated=(not self._negating.isdisjoint(raws) and _negates(outside))
            or (bool(infos) and infos[0].folded == _AGAINST)
            or (
                _AGAINST in key
                and (
                    any(word.folded == _AGAINST and before.folded in _STANCE for before, word in zip(infos, infos[1:]))
                    or _CLAUSE_AGAINST.search(text) is not None
                )
            ),
        )
        if not self._directing.isdisjoint(raws):
            unit.directions = frozenset(stem for stem in weights if stem[0] in "+-")
            unit.aimed = frozenset(
                before.stem[0] + after.stem
                for before, after in zip(content, content[1:])
                if before.stem[0] in "+-" and after.stem[0] not in "+-"
            )
            unit.lessened = frozenset(_lessened(content))
            away = any(info.folded in _DOING_AWAY for info in content)
            less = any(info.folded in _LESSENING for info in content)
            unit.less = "away" if away and not less else "less" if less and not away else ""
        if content and content[0].stem[0] not in "+-" and self._infinitive(content[0]):
            unit.action = content[0].stem
        if content and content[0].folded in OPENING_WORDS:
            unit.openers = next((i for i, info in enumerate(content) if info.folded not in OPENING_WORDS), len(content))
        if not self._nominal.isdisjoint(raws):
            unit.nominal = {info.stem: info.nominal for info in content if info.nominal}
        # (An abbreviation that spells words out is among the abbreviating words.)
        if self.spelled and name_stems and not self._abbreviating.isdisjoint(raws):
            unit.spelled = {
                stem: self.spelled[unit.surfaces[stem]] for stem in name_stems if unit.surfaces[stem] in self.spelled
            }
        # The text's vector is that of its words outside asides, as the comparison counts them.
        return unit, content if outside is infos else [info for info in outside if info.stem is not None]

    def _found_compounds(self, keys: Sequence[str]) -> list[str]:
        """Find the words that a text of the batch writes joined and another apart ("skatepark" /
        "skate park", "skate-park"; "weekend", "minibus", "écoquartier"), so that texts writing
        them apart are read with the joined word (`_joined`). Both parts are content words of two
        letters or more, side by side in one of the texts' `keys` ("information" is no compound
        of "in" and "formation" that no text writes apart). The new ones, as the keys hold them
        apart (" skate park ")."""
        written: dict[str, str] = {}
        for raw, info in self._word_cache.items():
            if info.stem is not None and not info.digits and raw not in self._made:
                written.setdefault(info.folded, raw)
        candidates = {
            (word[:cut], word[cut:]): raw
            for word, raw in written.items()
            for cut in range(2, len(word) - 1)
            if word[:cut] in written and word[cut:] in written
        }
        apart = {f" {first} {second} ": (first, second) for first, second in candidates.keys() - self._compounds.keys()}
        found: list[str] = []
        for key in keys if apart else ():
            padded = f" {key} "
            for written_apart in [needle for needle in apart if needle in padded]:
                pair = apart.pop(written_apart)
                self._compounds[pair] = candidates[pair].casefold()
                found.append(written_apart)
            if not apart:
                break
        if found:
            firsts = {first for first, _ in self._compounds}
            seconds = {second for _, second in self._compounds}
            self._joining = {raw for raw, folded in self._folded.items() if folded in firsts}
            alternatives = [
                "|".join(map(re.escape, sorted(raws, key=len, reverse=True)))
                for raws in (self._joining, {raw for raw, folded in self._folded.items() if folded in seconds})
            ]
            self._compound_pattern = re.compile(
                rf"(?<![^\W_])({alternatives[0]})[\s-]+({alternatives[1]})(?![^\W_])"
            )
        return found

    def _found_counted(self, keys: Sequence[str]) -> re.Pattern[str] | None:
        """Find the words that a text of the batch writes after a number in digits and another
        after one number word ("2 places" / "deux places"), so that the second is read with the
        number in digits (`_spelt_number`). A number word alone stays a word elsewhere: "trois
        composantes" in the detail of an action its summary says without a number (the labelled
        pair p029) is one idea, and differing numbers keep two texts apart. A pattern of the
        keys holding one of the new ones, or None."""
        if not self._counting or not self._digited:
            return None
        counted = {word for word in _AFTER_DIGITS.findall("\n".join(keys)) if word not in self._counted}
        if not counted:
            return None
        self._counted.update(counted)
        numbers = "|".join(sorted(_NUMBER_VALUES, key=len, reverse=True))
        words = "|".join(map(re.escape, sorted(counted, key=len, reverse=True)))
        return re.compile(rf"(?<!\S)(?:{numbers}) (?:{words})(?!\S)")

    def _spelt_number(self, match: re.Match[str]) -> str:
        return _spelt_number(match, self._counted)

    def _joined(self, match: re.Match[str]) -> str:
        pair = (self._folded[match.group(1)], self._folded[match.group(2)])
        return self._compounds.get(pair, match.group())

    def _names(self, surface: str, raws: list[str]) -> list[bool]:
        """Whether each word looks like a name: a capital inside a sentence, or an acronym (unless
        the whole text is in capitals); a capital opening a sentence, after the first, before a name
        (a place's name of two words on a last line or after a dash: « …\nLyon Confluence », « … -
        Vénissieux Centre »)."""
        names = [False] * len(raws)
        parts = _WORD_SPLIT.split(surface)  # text before the first word, word, text between, …
        for index, raw in enumerate(raws):
            if raw[0].isupper():
                between = parts[2 * index].strip()
                starts_sentence = index == 0 or (bool(between) and between[-1] in _SENTENCE_END)
                names[index] = (len(raw) > 1 and raw.isupper()) or not starts_sentence
        for index in range(len(raws) - 2, 0, -1):
            if names[index + 1] and not names[index] and raws[index][0].isupper() and not parts[2 * index + 2].strip():
                names[index] = True
        if True in names:
            letters = sum(map(len, raws)) - len(_DIGIT.findall(surface))  # word characters but digits
            if letters > 0 and len(CAPITAL.findall(surface)) > 0.6 * letters:  # shouting: no names
                return [False] * len(raws)
        return names

    def _insides(self, surface: str, raws: list[str]) -> list[bool]:
        """Whether each word is inside a parenthesised aside (none when all of them are)."""
        insides: list[bool] = []
        end = 0
        for match in _ASIDE.finditer(surface):  # (no word runs across a parenthesis)
            start, stop = match.span()
            insides += [False] * len(WORD_PATTERN.findall(surface, end, start))
            insides += [True] * len(WORD_PATTERN.findall(surface, start, stop))
            end = stop
        insides += [False] * (len(raws) - len(insides))
        if all(insides):  # nothing but asides: they are the text
            insides = [False] * len(raws)
        return insides

    def _contract(
        self, raws: list[str], names: list[bool] | None, insides: list[bool] | None
    ) -> tuple[list[str], list[bool], list[bool]] | None:
        """Replace each spelt-out abbreviation ("développement durable") by the abbreviation; None
        if the text spells out none (most texts that get here only start like one: "développer")."""
        stems = [self.word(raw).plain for raw in raws]
        contractions = self.contractions
        if not any(
            tuple(stems[start : start + len(option)]) == option
            for start, stem in enumerate(stems)
            if stem in contractions
            for option, _ in contractions[stem]
        ):
            return None
        names = names or [False] * len(raws)
        insides = insides or [False] * len(raws)
        result: tuple[list[str], list[bool], list[bool]] = ([], [], [])
        position = 0
        while position < len(raws):
            for option, short in self.contractions.get(stems[position], ()):
                if tuple(stems[position : position + len(option)]) == option:
                    word = (short, True, insides[position])
                    position += len(option)
                    break
            else:
                word = (raws[position], names[position], insides[position])
                position += 1
            for column, value in zip(result, word, strict=True):
                column.append(value)
        return result

    def _infinitive(self, word: _Word) -> bool:
        """Whether a word is an infinitive, the verb of an action ("Sécuriser…"), not a noun ending
        like one ("Sentier…", "Culture…"): by spaCy's lemma table, where a noun has a plural and a
        verb a first person plural ("sentiers", "levons"), else by its ending."""
        folded = word.folded
        if not folded.endswith(_INFINITIVE_ENDINGS) or folded in NOUNS_LIKE_INFINITIVES:
            return False
        known = self._infinitives.get(word.lower)
        if known is None:
            if self.lemmas is not None and self.lemmas(word.lower + "s") == word.lower:
                stem = word.lower[:-2]  # ("placer": "plaçons", "manger": "mangeons")
                stem = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
                known = folded in VERBS_LIKE_NOUNS or self.lemmas(stem + "ons") == word.lower
            else:
                known = not folded.endswith(_NOUN_ENDINGS) or folded in _VERBS_OF_NOUN_ENDINGS
            self._infinitives[word.lower] = known
        return known

    def stem(self, lower: str, folded: str) -> str:
        cached = self._stem_cache.get(lower)
        if cached is None:
            base = folded
            if (
                self.lemmas is not None
                and folded not in self.abbreviations
                and folded not in _IRREGULAR_STEMS
                and folded not in _SAME_MEANING  # (its own word: the lemma of a noun may be a verb)
            ):
                lemma = self.lemmas(lower)
                if lemma:
                    base = fold_word(lemma)
            cached = self._stem_cache[lower] = _stem(base)
        return cached


class _WordVectors:
    """The word vectors of a spaCy vocabulary, looked up word by word (without creating lexemes
    when the table is keyed by the word itself, as in the French models)."""

    def __init__(self, vocab: spacy.vocab.Vocab) -> None:
        from spacy.attrs import ORTH
        from spacy.strings import get_string_id

        self.vocab = vocab
        self.string_id = get_string_id
        table = vocab.vectors
        self.direct = table.mode == "default" and table.attr == ORTH and isinstance(table.data, np.ndarray)
        self.rows: dict[str, int] = {}
        self.found: list[np.ndarray] = []  # the vectors found, when not direct
        if self.direct:
            self.key2row = table.key2row
            self.table = table.data
            self.nonzero = np.einsum("ij,ij->i", self.table, self.table) > 0

    def row(self, word: str) -> int:
        """The row of a word's vector, -1 if it has none (or a null one)."""
        row = self.rows.get(word)
        if row is None:
            row = self.rows[word] = self._find(word)
        return row

    def _find(self, word: str) -> int:
        if self.direct:
            row = self.key2row.get(self.string_id(word), -1)
            return row if row >= 0 and self.nonzero[row] else -1
        if not self.vocab.has_vector(word):
            return -1
        vector = np.asarray(self.vocab.get_vector(word), dtype=np.float32)
        if not vector.any():
            return -1
        self.found.append(vector)
        return len(self.found) - 1

    def text_vectors(
        self,
        texts: Sequence[Sequence[_Word]],
        accented: Mapping[str, int] | None = None,
        respelt: Collection[int] = (),
    ) -> list[np.ndarray | None]:
        """Per text, the weighted sum of the unit vectors of its content words, normalised (None
        for a text without any); a word written without accents takes the row of its folded
        form in `accented`, if there (`respelt`: the rows of such words; many words share a row).
        Computed for `_VECTOR_BLOCK` texts at a time: arrays of a few MB, which numpy allocates
        without asking for huge pages (slow to fault in)."""
        words = list(chain.from_iterable(texts))
        rows = np.fromiter([word.vector for word in words], dtype=np.int64, count=len(words))
        if accented and respelt:
            for position in np.flatnonzero(np.isin(rows, list(respelt))).tolist():
                word = words[position]
                if word.lower == word.folded and word.folded in accented:
                    rows[position] = accented[word.folded]
        weights = np.fromiter([word.weight for word in words], dtype=np.float32, count=len(words))
        text_of = np.repeat(np.arange(len(texts)), np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
        with_vector = rows >= 0
        rows, weights = rows[with_vector], weights[with_vector]
        sizes = np.bincount(text_of[with_vector], minlength=len(texts))  # words with a vector per text
        table = self.table if self.direct else np.stack(self.found or [np.zeros(1, np.float32)])
        mark = np.zeros(len(table), dtype=bool)  # the rows used (as np.unique, without sorting)
        mark[rows] = True
        used = np.flatnonzero(mark)
        columns = (np.cumsum(mark) - 1)[rows]
        vectors = table[used]
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        indptr = np.concatenate([[0], np.cumsum(sizes)])
        weighted = sparse.csr_matrix((weights, columns, indptr), shape=(len(texts), len(used)))
        result: list[np.ndarray | None] = []
        for start in range(0, len(texts), _VECTOR_BLOCK):
            sums = weighted[start : start + _VECTOR_BLOCK] @ vectors  # in each row, the words added in text order
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            found = (sizes[start : start + _VECTOR_BLOCK] > 0) & (norms[:, 0] > 0)
            np.divide(sums, norms, out=sums, where=found[:, None])
            result += [row if ok else None for row, ok in zip(sums, found.tolist(), strict=True)]
        return result


def _writing_rank(text: str) -> tuple[int, bool, str]:
    """Of texts with one key, which is best written: the most accented letters (bytes beyond
    one per character), then mixed case over all capitals or none, then the text itself (so that
    the choice never depends on the order of the texts)."""
    return len(text.encode("utf-8")) - len(text), text != text.upper() and text != text.lower(), text


# An abbreviation spelt out in the same text: "ZFE (zone à faibles émissions)" or "zone à faibles
# émissions (ZFE)". Its letters are the first letters of the content words of the other part.
_ACRONYM = r"[A-Z][A-Z0-9]{1,7}"
_SPELT_AFTER = re.compile(rf"\b({_ACRONYM})\s*\(([^()]{{3,120}})\)")
_ACRONYM_ASIDE = re.compile(rf"\(\s*({_ACRONYM})\s*\)")
_SPELLING_SKIPPED = frozenset("a au aux d de des du en et l la le les pour sur un une".split())


def abbreviations_spelt_out(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The (abbreviation, words) pairs the texts spell out themselves, each once, in order:
    "Instaurer une ZFE (zone à faibles émissions)" teaches that "ZFE" is "zone à faibles
    émissions", for every text of the batch (a city's own abbreviations are in no list)."""
    found: dict[str, str] = {}
    for text in texts:
        if "(" not in text:
            continue
        for short, full in _SPELT_AFTER.findall(text):
            words = _spelling(short, full.split())
            if words and short not in found:
                found[short] = words
        for aside in _ACRONYM_ASIDE.finditer(text):
            short = aside.group(1)
            before = text[max(0, aside.start() - 240) : aside.start()].rpartition(")")[2]
            words = _spelling(short, before.split(), from_end=True)
            if words and short not in found:
                found[short] = words
    return tuple(found.items())


def _spelling(short: str, words: Sequence[str], *, from_end: bool = False) -> str:
    """The words whose initials are the letters of `short` ("" if none): all of `words`, or
    (`from_end`) the fewest that end them. The initial of a small word (`_SPELLING_SKIPPED`)
    counts or not ("GES": gaz à effet de serre, "PAC": pompes à chaleur); one word spells it out
    when it holds its letters in order from its first ("PV": photovoltaïques)."""
    letters = short.casefold()
    candidates = [words[-count:] for count in range(1, len(words) + 1)] if from_end else [words]
    for chosen in candidates:
        parts = [
            fold_word(part.casefold()) for chunk in chosen for part in re.split(r"['’-]", chunk.strip(" ,;:")) if part
        ]
        if _initials_spell(letters, parts):
            return " ".join(chosen).strip(" ,;:")
        if sum(part not in _SPELLING_SKIPPED for part in parts) > len(letters):
            break
    return ""


def _initials_spell(letters: str, parts: Sequence[str]) -> bool:
    """Whether the initials of `parts`, each small word's taken or not, are `letters`; or the one
    part of more letters holds them in order from its first."""
    if len(parts) == 1 and len(letters) > 1:
        word = parts[0]
        if len(word) <= len(letters) or word[0] != letters[0]:
            return False
        position = 1
        for letter in letters[1:]:
            position = word.find(letter, position) + 1
            if not position:
                return False
        return True
    matched = {0}  # letters matched so far, over the ways of taking the small words' initials
    for part in parts:
        following = {count + 1 for count in matched if count < len(letters) and part[:1] == letters[count]}
        matched = following | matched if part in _SPELLING_SKIPPED else following
        if not matched:
            return False
    return len(letters) in matched


def without_list_marker(text: str) -> str:
    """The text without the number or letter of a list item it starts with ("1) Créer…"), or
    the word it is filed under ("Idée : Créer…")."""
    return _LIST_MARKER.sub("", text, count=1) if _LIST_MARKER.match(text) else text


def without_framing(text: str) -> str:
    """The text without a list item's marker (`without_list_marker`), a letter's greeting at its
    start or its closing formula and signature at its end, its writer's first name alone before a
    colon that opens it or after a dash, in brackets or after its sentence that ends it (QA:
    « Marc : … » and « … - Josiane », copies of one idea, fell apart), its writer's name alone on its
    last line (`name_line`: « Plus de bancs⏎Mme Martin »), a web form's « +1 » and its
    writer's contact details (`_without_contacts`), when something is left."""
    if text[:1] in _LIST_MARKER_STARTS or text[1:2] == ")":
        text = without_list_marker(text)
    if text[:1] in "BbMm ":
        greeting = _GREETING.match(text)
        if greeting:
            text = text[greeting.end() :]
    if ":" in text[:40]:
        leading = writer_at_start(text)
        if leading and WORD_PATTERN.search(text, leading.end()):
            text = text[leading.end() :]
    if "+" in text:
        text = _without_votes(text)
    if "@" in text or "0" in text or "+" in text:  # (a phone number opens with 0 or +33)
        text = _without_contacts(text)
    if any(hint in text for hint in SIGN_OFF_HINTS):
        stripped = text.rstrip()
        closing = closing_at_end(stripped, max(0, len(stripped) - SIGN_OFF_WINDOW))
        if closing and WORD_PATTERN.search(stripped, 0, closing.start()):
            text = stripped[: closing.start()].rstrip()
    if "\n" in text:  # (a writer's name alone on the last line: « Plus de bancs⏎Mme Martin », QA)
        stripped = text.rstrip()
        person = name_line(stripped, max(0, len(stripped) - SIGN_OFF_WINDOW))
        if person and WORD_PATTERN.search(stripped, 0, person.start()):
            text = stripped[: person.start()].rstrip()
    trailing = writer_at_end(text)
    if trailing and WORD_PATTERN.search(text, 0, trailing.start()):
        text = text[: trailing.start()]
    return text


def writer_at_start(text: str) -> re.Match[str] | None:
    """A common first name alone that opens `text` before a colon (« Marc : créer une AMAP »): a
    `leading_name` of one word."""
    leading = _LEADING_NAME.match(text)
    return (
        leading if leading and len(leading.group(1).split()) == 1 and opens_with_first_name(leading.group(1)) else None
    )


def writer_at_end(text: str) -> re.Match[str] | None:
    """A writer's name (`_writer_name`) that ends `text` after a dash, in brackets or after its last
    sentence (« … - Josiane », « … - Marie Dubois », « … (Marc) », « …isolées. Yvette »)."""
    end = len(text.rstrip(" \t.!"))
    start = text.rfind(" ", 0, end) + 1  # (the last word: most texts end in one without a capital)
    if not text[start : start + 2].lstrip("(")[:1].isupper():
        return None
    for _ in range(_TRAILING_WRITER_WORDS):  # (the words before it: a first name, a particle before a surname)
        start = max(0, text.rfind(" ", 0, max(0, start - 1)))
    trailing = _TRAILING_WRITER.search(text, start)
    return trailing if trailing and _writer_name(trailing.group(trailing.lastindex or 1)) else None


def signed(text: str) -> bool:
    """Whether a text gives its writer's e-mail address, phone number or name (a name alone on its
    last line, or after a closing formula, or before a colon that opens the text: « Marc : + de
    pistes cyclables », QA): a wording not to show for a cluster when another is as good
    (participants' names are personal data)."""
    return bool(leading_name(text)) or signed_elsewhere(text)


def signed_elsewhere(text: str) -> bool:
    """`signed` but for a name that opens the text: for a caller that has read `leading_name` already."""
    if ("@" in text and EMAIL.search(text)) or PHONE.search(text):
        return True
    trailing = writer_at_end(text.rstrip())
    if trailing and WORD_PATTERN.search(text, 0, trailing.start()):
        return True
    stripped = text.rstrip()
    start = max(0, len(stripped) - SIGN_OFF_WINDOW)
    closing = closing_at_end(stripped, start) if any(hint in stripped for hint in SIGN_OFF_HINTS) else None
    if closing and (closing.group("bare") or any(word[:1].isupper() for word in closing.group().split()[1:])):
        return True
    return "\n" in stripped and name_line(stripped, start) is not None


def writer_words(text: str) -> frozenset[str]:
    """The words (folded) by which `text` names its writer or greets, and does not say the idea:
    a first name that opens it (`leading_name`), one after a dash or in brackets at its end
    (« Bravo aux organisateurs - Christine »), the names and formulas `without_framing` leaves out
    (a greeting, a signature). A topic before a colon or in brackets is the idea's (« Santé : … »,
    « (Tram) »: QA, adversarial round)."""
    names = [leading_name(text)]
    trailing = _TRAILING_NAME.search(text, max(0, len(text) - 60)) if text[-1:].isalpha() or text[-1:] in ".)" else None
    if trailing and opens_with_first_name(trailing.group(1)):
        names.append(trailing.group(1))
    words = [part for name in names for part in (*WORD_PATTERN.findall(name), *name.replace(".", " ").split())]
    idea = without_framing(text)
    if idea != text:  # (the names and formulas it leaves out, not a thanks' words: « Merci pour la rénovation… »)
        kept = set(WORD_PATTERN.findall(idea))
        left_out = [word for word in WORD_PATTERN.findall(text) if word not in kept]
        words += [word for word in left_out if word[:1].isupper() or fold_word(word.casefold()) in _FORMULA_WORDS]
    return frozenset(fold_word(word.casefold()) for word in words)


def leading_name(text: str) -> str:
    """The name of a person that opens `text` before a colon (« Marc : + de pistes cyclables »),
    a common first name first (« Tram : », « Berriat : » are the idea's), else ""."""
    leading = _LEADING_NAME.match(text) if ":" in text[:40] else None
    return leading.group(1) if leading and opens_with_first_name(leading.group(1)) else ""


def closing_at_end(text: str, start: int) -> re.Match[str] | None:
    """A closing formula or a person's name that ends `text` (`_SIGN_OFF`, looked for from `start`)."""
    closing = _SIGN_OFF.search(text, start)
    if closing is None or closing.group("bare") is None:
        return closing
    name = closing.group("bare")
    return closing if _writer_name(name) else None


def opens_with_first_name(name: str) -> bool:
    """Whether `name` opens with a common first name (« Marie », « Jean-Pierre », « Marie Dubois »); a
    name that is also a common noun or a place's, alone, is not one (`AMBIGUOUS_FIRST_NAMES`)."""
    words = name.split()
    first = fold_word(words[0].rstrip(".").casefold())
    if len(words) == 1 and first in AMBIGUOUS_FIRST_NAMES:
        return False
    return first in FIRST_NAMES or first.split("-", 1)[0] in FIRST_NAMES


def _writer_name(name: str) -> bool:
    """Whether capitalised words ending a text are its writer's name: a common first name, alone or
    before a surname (« Marie Dubois », « Jean-Marc Saint-Priest »), or a title and a surname (« M. Dupont »),
    not a place's name (« Lyon
    Confluence », « Saint-Priest Centre », « Vénissieux Centre », « Victor Hugo »: `_is_person`, `EPONYMS`)."""
    words = name.split()
    if len(words) > 1 and fold_word(words[0].rstrip(".").casefold()) in CIVILITIES:  # (« M. Dupont »)
        return fold_word(words[-1].rstrip(".").casefold()) not in EPONYMS
    if not opens_with_first_name(name):  # (a surname before a first name: « Dubois Marie »)
        surname = fold_word(words[0].casefold())
        return len(words) == 2 and opens_with_first_name(words[1]) and _is_person(name) and surname not in EPONYMS
    return len(words) == 1 or (_is_person(name) and fold_word(words[-1].rstrip(".").casefold()) not in EPONYMS)


def name_line(text: str, start: int) -> re.Match[str] | None:
    """A person's name alone on the last line of `text` (looked for from `start`), not a place's."""
    person = _PERSON_LINE.search(text, start)
    return person if person is not None and _writer_name(person.group(1)) else None


def _is_person(name: str) -> bool:
    """Whether capitalised words may be a person's name: not opened by a word that names a place,
    alone or before a hyphen, or by an article (« Place Victor Hugo », « Saint-Priest Centre »,
    « La Tronche », « L'Isle-d'Abeau »), nor a word and a district's (« Vénissieux Centre »)."""
    words = name.split()
    first = fold_word(re.split(r"['’]", words[0], maxsplit=1)[0].rstrip(".").casefold())
    if first in PLACE_WORDS or first in PLACE_ARTICLES or first.split("-", 1)[0] in PLACE_WORDS:
        return False
    return (
        len(words) == 1
        or fold_word(words[-1].rstrip(".").casefold()) not in DISTRICT_ENDINGS
        or opens_with_first_name(name)
    )


def _without_votes(text: str) -> str:
    """`text` without a web form's « +1 » before or after the idea, when words are left."""
    if text[:1] in "+ ":
        vote = _VOTE_BEFORE.match(text)
        if vote and WORD_PATTERN.search(text, vote.end()):
            text = text[vote.end() :]
    if "+" in text[-12:]:
        vote = _VOTE_AFTER.search(text, max(0, len(text) - 12))
        if vote and WORD_PATTERN.search(text, 0, vote.start()):
            text = text[: vote.start()]
    return text


def _without_contacts(text: str) -> str:
    """`text` without its last line when that holds only names and contacts, and without the
    e-mail addresses and phone numbers given with the words that give them."""
    original = text
    cut = text.rstrip().rfind("\n")
    if cut > 0:  # a last line of names and contacts only: a signature
        line = _contacts_marked(text[cut:].rstrip())
        if "\x00" in line and _SIGNATURE_LINE.fullmatch(line) and WORD_PATTERN.search(text, 0, cut):
            text = text[:cut].rstrip()
    parts, end = [], 0
    for match in (*PHONE.finditer(text), *(EMAIL.finditer(text) if "@" in text else ())):
        lead = _CONTACT_LEAD.search(text, max(0, match.start() - _CONTACT_LEAD_WINDOW), match.start())
        if lead is not None:  # (without the words that give it, an address or a number is the idea's)
            parts.append((lead.start(), match.end()))
    for start, stop in sorted(parts):
        if start >= end:
            text, end = text[:start] + "\x00" * (stop - start) + text[stop:], stop
    if text == original:
        return text
    left = text.replace("\x00", "").rstrip()
    # (A text of an address and a word or two is what it says: « Mon mail : … » are two texts.)
    return left if len(WORD_PATTERN.findall(left, 0, 80)) >= 3 else original


def _contacts_marked(text: str) -> str:
    """`text` with each e-mail address and phone number as one "\x00"."""
    marked = PHONE.sub("\x00", text)
    return EMAIL.sub("\x00", marked) if "@" in marked else marked


def exact_key(text: str) -> str:
    """The key of a text (`TextUnit.key`): its folded words, with the signs that tell amounts apart
    ("10 %" / "10 €"), without a list item's number; for a text without any word ("👍", "?"), the
    text itself."""
    text = without_framing(text)
    tokens = WORD_PATTERN.findall(text)
    if not tokens:
        return "\x00" + " ".join(text.split())
    if any(sign in text for sign in _KEY_SIGNS):
        tokens = _KEY_PATTERN.findall(text)
    return " ".join(token if token in _KEY_SIGNS else fold_word(token.casefold()) for token in tokens)


def _lessened(content: Sequence[_Word]) -> Iterator[str]:
    """The content stems after each word of less, a generic or project word passing it on to the
    next ("Limiter la densification", "Abandonner le projet de construction")."""
    for position, word in enumerate(content):
        if word.stem != _LESS:
            continue
        for after in content[position + 1 :]:
            if after.stem[0] in "+-":
                break
            yield after.stem
            if after.weight == 1.0 and after.folded not in _PROJECT_WORDS:
                break


def names_a_problem(folded: str) -> bool:
    """Whether a folded word is one of `PROBLEM_WORDS`, in the singular or the plural."""
    return folded in PROBLEM_WORDS or (folded[-1:] in ("s", "x") and folded[:-1] in PROBLEM_WORDS)


def _negates(words: Sequence[_Word]) -> bool:
    """Whether a negation turns the text round: "ne", "pas", "sans"…, or "moins" but in "au moins",
    "les moins"…"""
    return any(
        word.negation and (word.folded != _MOINS or index == 0 or words[index - 1].folded not in _NOT_TURNING_MOINS)
        for index, word in enumerate(words)
    )


def fold_word(word: str) -> str:
    """`normalize_for_match` of a word, lemma or abbreviation; a plain ASCII one (most) is only
    lowercased, which is all that `normalize_for_match` would do to it, but ten times faster."""
    if word.isascii() and word.isalnum():
        return word.lower()
    return normalize_for_match(word)


_ABBREVIATION_SIGNS = re.compile(r"[-‐–.]")


def _without_signs(match: re.Match[str]) -> str:
    """An abbreviation written with hyphens or points, joined: « PLUi-H » → « PLUiH »."""
    return _ABBREVIATION_SIGNS.sub("", match.group(0))


def _join_prefix(match: re.Match[str]) -> str:
    """"éco-rénovation" -> "écorénovation"; other hyphens stay."""
    word = match.group(1)
    return word if _PREFIX.fullmatch(word) else match.group()


def _quantity(match: re.Match[str]) -> str:
    """"plus de", "moins d'", "davantage de": one word of `_DIRECTIONS` ("plusde", "moinsde")."""
    return f"{match.group(1).lower()}de "


def _superlative(match: re.Match[str]) -> str:
    """"les plus", "le moins": the article and one word of `_DIRECTIONS` ("superlatifplus")."""
    return f"{match.group(1)} superlatif{match.group(2).lower()}"


def _numbers_as_words(text: str) -> str:
    """`text` with its amounts of euros, percentages and hours as words ("10meur", "10pct", "22 heures"),
    each pattern tried only in a text holding its sign or word (most texts with digits hold none)."""
    text = _THOUSANDS.sub("", text)
    lowered = text.lower()  # (the patterns ignore case; what they put in says no "cent", "eur", "h" or "%")
    if "€" in text or "eur" in lowered:
        text = _MONEY.sub(_money, text)
    if "%" in text or "cent" in lowered:
        text = _PERCENT.sub(_percent, text)
    if "h" in lowered:
        text = _HOURS.sub(" heures ", text)
    return text


def _percent(match: re.Match[str]) -> str:
    """A percentage as one word: "10 %" and "10 pour cent" give "10pct"."""
    return f" {_amount(match.group(1))}pct "


def _money(match: re.Match[str]) -> str:
    """An amount of euros as one word, in the largest unit it is a number of: "10M€", "10 M€",
    "10 millions d'euros" and "10 000 000 €" give "10meur"; "2 500 k€" gives "2.5meur"."""
    amount, unit, _ = match.groups()
    value = Decimal(amount.replace(",", ".")).scaleb(_MONEY_UNITS[unit.casefold()] if unit else 0)
    for threshold, power, name in _MONEY_SCALES:
        if value >= threshold:
            return f" {_amount(str(value.scaleb(-power)))}{name}eur "
    return f" {_amount(str(value))}eur "


def _spelt_number(match: re.Match[str], counted: Collection[str] = ()) -> str:
    """A number written in words as digits ("dix-huit": "18", "quatre-vingt-dix": "90", "deux
    mille": "2000") when it is two words or more, a unit follows, or a word of `counted` (folded:
    words the batch writes after digits); else as written."""
    words = [word for word in re.split(r"[\s-]+", match.group().lower()) if word != "et"]
    if len(words) < 2 and not _UNIT_AFTER.match(match.string, match.end()):
        following = _NEXT_WORD.match(match.string, match.end()) if counted else None
        if following is None or fold_word(following.group(1).casefold()) not in counted:
            return match.group()
    total = current = 0
    for word in words:
        value = 1 if word in _ONE else _NUMBER_VALUES[word]
        if value == 1000:
            total, current = total + (current or 1) * 1000, 0
        elif value == 100:
            current = (current or 1) * 100
        elif value == 20 and current % 100 == 4:  # "quatre-vingt(s)"
            current += 76
        else:
            current += value
    return str(total + current)


def _amount(amount: str) -> str:
    """"2,50" and "2.5" give "2.5"; "10" stays "10"."""
    if "E" in amount or "e" in amount:  # a Decimal in exponent form ("1E+1")
        amount = f"{Decimal(amount):f}"
    return amount.replace(",", ".").rstrip("0").rstrip(".") if "." in amount or "," in amount else amount


def _lemma_lookup(nlp: spacy.Language) -> Callable[[str], str | None] | None:
    """The lemmatizer's lookup table (form -> lemma), used word by word without the pipeline."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError, ValueError):
        return None

    def lookup(word: str) -> str | None:
        value = table.get(word)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        return value or None

    return lookup


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A light French stemmer on a folded word: plural, feminine -e, infinitive -er and the
    nominal suffixes -ation/-ement/-ision/-ssion/-age, so that "développer"/"développement", "créer"/"création",
    "lutte"/"lutter", "sociales"/"social" share a stem. Kept light: a different idea must not
    collapse into another."""
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    if word in _SAME_MEANING:  # (before the plural: "près", "ans")
        return _stem(_SAME_MEANING[word])
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"
    elif word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    if word in _SAME_MEANING:
        return _stem(_SAME_MEANING[word])
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    for suffix in ("ation", "ement"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith(("ision", "ssion")) and len(word) >= 8:  # "révision"/"réviser", "progression"
        return word[:-3]
    if word.endswith("age") and len(word) >= 8:  # "éclairage"/"éclairer", "recyclage"/"recycler"
        return word[:-3]
    if word.endswith("er") and len(word) >= 5:
        return word[:-2]
    if word.endswith("e") and len(word) >= 5:
        return word[:-1]
    return word


def is_typo(first: str, second: str, *, loose: bool = False) -> bool:
    """One edit apart in words of 5+ letters (a letter missing, added, or two swapped); a
    letter replaced only in words of 7+ letters ("former"/"fermer" are two words), or in
    shorter ones when `loose` (one of them is no word of the language: "pistis"/"pistes").
    Never between words holding digits."""
    shorter = min(len(first), len(second))
    if shorter < 5 or abs(len(first) - len(second)) > 1:
        return False
    if not (first.isalpha() and second.isalpha()):
        return False
    if OSA.distance(first, second, score_cutoff=1) > 1:
        return False
    if len(first) == len(second) and shorter < 7 and not loose:
        return Levenshtein.distance(first, second, score_cutoff=2) == 2  # a swap, not a replacement
    return True


def is_derived(first: str, second: str, *, loose: bool = False) -> bool:
    """Stems of one word family: sharing their first 7 letters, one of them whole
    ("particip"/"participatif", "economi"/"economiqu"), or their first 8 ("environnement"/
    "environnemental"). Seven letters alone are not enough between two words of the language
    ("professeur"/"professionnel", "communal"/"communautair"); `loose` (one of them is unknown to
    the vectors: a misspelling, "participans"/"particiants") takes them."""
    if min(len(first), len(second)) < 7 or first[:7] != second[:7] or not (first.isalpha() and second.isalpha()):
        return False
    return loose or first[7:8] == second[7:8] or first.startswith(second) or second.startswith(first)
