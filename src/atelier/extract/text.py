"""Pure text functions of extraction: repairing whitespace and line breaks, list markers, labels."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
# A list marker, then a space, at the start of a paragraph: "1)", "(8)", "2.", "a)", "-", "–", "•",
# "➢", "o"…; the bullets of Word's Symbol and Wingdings fonts come out as private-use characters, or
# as "(cid:N)" when the PDF does not map them to a character (QA: « (cid:127) Créer… » glued a
# cell's actions into one). A dash glued to its word ("-nombre de terrains") is not a marker: such
# items continue a labelled sub-field. Lower-case roman numerals with a parenthesis ("ii)", "(iv)") too;
# not with a point, nor a letter with a point: a line wrapped at « c. à d. », « (v. annexe 2) », « i. e. »
# would start an item (QA); nor a capital: « I. Diagnostic », « A. Logement » are headings, « A. Dupont » a name.
_BULLET = r"(?:[-–—•▪●◦‣⁃∙○◆◇■□►▸▶➢➤→✓✔*\uf0a7\uf0b7\uf0d8\uf0fc\uf076]|\(cid:\d+\))"
_MARKER = rf"(?:\(?\d{{1,2}}[).]|\(?[a-h]\)|\(?(?:i{{1,3}}|iv|vi{{0,3}}|ix|xi{{0,3}})\)|{_BULLET}|o)"
# A number and a dash, a slash or a degree sign (« 1- Créer », « 1 - Créer », « 1/ Créer », « 1° Créer ») or
# a typed arrow (« > Créer », « => Créer », « ⇒ Créer ») open an item only before a word: « 10 - 15 jeunes »,
# « > 50 % des habitants » are figures (and « 1-2 fois », « 1/2 journée », glued, no marker); a degree sign
# only after one digit: « 19° dans les salles » is a temperature.
_MARKER_BEFORE_WORD = r"(?:\d{1,2} ?[-–/]|\d°|=?>|⇒)"
_LIST_MARKER = re.compile(rf"^\s*(?:{_MARKER}(?=\s)|{_MARKER_BEFORE_WORD}(?=\s+[^\s\d]))\s*")
_GUESSED_MARKER_ANY = re.compile(rf"^\s*{_MARKER_BEFORE_WORD}\s+[^\s\d]")
_GUESSED_MARKER = re.compile(rf"^\s*{_MARKER_BEFORE_WORD}\s+[a-zà-öø-ÿ]")
_ENDS_WITH_HYPHEN = re.compile(r"[a-zà-öø-ÿ]-$")
_STARTS_LOWER = re.compile(r"^[a-zà-öø-ÿ]")
_KEPT_HYPHEN = re.compile(r"[^\W\d_]-$")  # (after a letter: « 1- » ⏎ « Créer… » is a marker and its item)
# A hyphen at a line's end before a word in lower case: a syllable's (« dévelop- » ⏎ « pement ») or a compound
# word's (« bien- » ⏎ « être », « co- » ⏎ « construction »; QA: « bienêtre », « tierslieu »). `join_lines` leaves
# it unsure and `settle_hyphens` decides with the whole document: the word written elsewhere with its hyphen or
# without it, else a word French writes with one before or after it (`_COMPOUND_HEADS`, `_COMPOUND_TAILS`: none
# a syllable a line may end or start on: « bien » of « bienveillance », « lieu » of « milieu » are not there).
_COMPOUND_HEADS = frozenset(
    "tiers vide porte après avant arrière demi semi non peut rendez vis quelques elles eux nous celle celles "
    "celui ceux à e sans centre grand pique lave vélo micro savoir".split()
)
_COMPOUND_TAILS = frozenset(
    "être vous même mêmes là delà dessus dessous relais clé clés clef clefs grenier greniers parole paroles up à "
    "abri abris ville villes".split()
)
_ENDS_WITH_ELISION = re.compile(r"[^\W\d_]['’]$")  # « l' » ⏎ « emploi », « aujourd' » ⏎ « hui »
# Where `join_lines` left such a hyphen unsure, between the two parts of the word; a soft hyphen of the PDF
# itself is read as a hyphen shown at a line's end (`layout.page_words`).
UNSURE_HYPHEN = "\u00ad"
_LAST_WORD = re.compile(r"(?:^|[^\w-])((?:[^\W\d_]+-)*)([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^[^\W\d_]+")
_UNSURE_COMPOUND = re.compile(rf"([^\W\d_]+){UNSURE_HYPHEN}([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text, for comparisons only; « œ » and « æ » spelt out
    (« Mise en œuvre » is « mise en oeuvre »: Unicode does not decompose them)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u00ad", ""))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.replace("’", "'").replace("œ", "oe").replace("æ", "ae")).strip()


def header_name(text: str) -> str:
    """A table header cell's text as `ExtractionSettings.header_roles` names it: folded, without a
    closing colon or a plural « (s) » (« Porteur(s) : » → « porteur »)."""
    return fold(text).replace("(s)", "").strip(" :")


def named_header(text: str, names: Collection[str]) -> str | None:
    """A header cell's text as written, if it is one of `names` (`header_name`), mending a word a narrow
    column split over two lines (QA: « Partenaire ⏎ s », « Échéanc ⏎ e »: the table was not read)."""
    if header_name(text) in names:
        return text
    words = text.split()
    for i in range(1, len(words)):
        mended = " ".join([*words[: i - 1], words[i - 1] + words[i], *words[i + 1 :]])
        if header_name(mended) in names:
            return mended
    return None


# Characters that show nothing but may change how the text around them shows: controls, zero-width spaces and
# joiners, and bidirectional overrides (QA: an unclosed « U+202E » in a post-it reversed the synthesis's line after it).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


# A footnote call typed as a superscript digit glued to a word in lower case or a closing sign (« eau de pluie¹ »,
# « (SMBVL).² »), but not the power of a unit (« 50 m² », « 3 km² ») nor a formula in capitals (« CO² »).
_SUPERSCRIPT_CALL = re.compile(r"(?<=[a-zà-öø-ÿ)».])(?<!m)[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# A footnote's own text, opening with its superscript number (« ¹ Syndicat mixte du bassin… »).
_FOOTNOTE = re.compile(r"^\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S")


def clean_text(text: str) -> str:
    """Ligatures expanded, invisible characters and footnote calls removed, every run of spaces (non-breaking
    included) made one space."""
    return _SPACES.sub(" ", _SUPERSCRIPT_CALL.sub("", _INVISIBLE.sub("", text.translate(_LIGATURES)))).strip()


def is_footnote(text: str) -> bool:
    """Whether `text` is a footnote: it opens with a superscript number (QA: « ¹ Syndicat mixte du bassin
    versant du Lizon (SMBVL). », under a table, was read as an objective)."""
    return bool(_FOOTNOTE.match(text))


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one paragraph, repairing hyphenation at line ends.

    "dévelop-" + "pement" becomes "développement"; a hyphen kept by the word itself before a
    capital or a digit stays, joined ("Saint-" + "Orens": "Saint-Orens"; QA, it read « Saint- Orens »), but not
    a number's (« 1- » ⏎ « Créer… », a marker).
    """
    text = ""
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        if text and _ENDS_WITH_HYPHEN.search(text) and _STARTS_LOWER.match(line):
            text = text[:-1] + _line_end_hyphen(text, line) + line
        elif text and _KEPT_HYPHEN.search(text) and (line[:1].isupper() or line[:1].isdigit()):
            text = text + line
        elif text and _ENDS_WITH_ELISION.search(text) and line[:1].isalpha():
            text = text + line
        elif text:
            text = f"{text} {line}"
        else:
            text = line
    return text


def _line_end_hyphen(text: str, line: str) -> str:
    """What the hyphen ending `text` before `line`, in lower case, leaves: "-" in a word that has another
    (« porte-à- » ⏎ « porte », « Île- » ⏎ « de-France »), `UNSURE_HYPHEN` otherwise."""
    ending, first = _LAST_WORD.search(text), _FIRST_WORD.match(line)
    tail = first.group(0) if first else ""
    if (ending and ending.group(1)) or line[len(tail) : len(tail) + 1] == "-":
        return "-"
    return UNSURE_HYPHEN


def shown_soft_hyphens(word: str) -> str:
    """A word's soft hyphens (U+00AD, set by producers that hyphenate) as a reader sees them: a hyphen at its
    end, where a line broke, and nothing inside it."""
    if "\u00ad" not in word:
        return word
    return word.rstrip("\u00ad").replace("\u00ad", "") + ("-" if word.endswith("\u00ad") else "")


@dataclass(frozen=True)
class Spellings:
    """How a document writes its words, folded: its compound words, each pair of parts (« co-construction »),
    and its other words (« cohésion »)."""

    compounds: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


def spellings(texts: Iterable[str]) -> Spellings:
    compounds: set[str] = set()
    words: set[str] = set()
    for text in texts:
        folded = fold(_UNSURE_COMPOUND.sub(" ", text))  # (a word cut at a line's end says nothing yet)
        for compound in _COMPOUND.findall(folded):
            parts = compound.split("-")
            compounds.update(f"{a}-{b}" for a, b in zip(parts, parts[1:]))
        words.update(_WORD.findall(folded))
    return Spellings(frozenset(compounds), frozenset(words))


def settle_hyphens(text: str, written: Spellings) -> str:
    """`text` with each hyphen `join_lines` left unsure settled: kept where the document writes the word with
    it elsewhere (« co-construction » in the seed report), removed where it writes it without (« milieu »),
    else kept after or before a word French writes with one (« bien-être », « tiers-lieu »), else removed
    (a syllable's: « co- » ⏎ « hésion »)."""
    if UNSURE_HYPHEN not in text:
        return text

    def settled(match: re.Match[str]) -> str:
        head, tail = match[1], match[2]
        if fold(f"{head}-{tail}") in written.compounds:
            return f"{head}-{tail}"
        if fold(head + tail) in written.words:
            return head + tail
        compound = head.lower() in _COMPOUND_HEADS or tail.lower() in _COMPOUND_TAILS
        return f"{head}-{tail}" if compound else head + tail

    return _UNSURE_COMPOUND.sub(settled, text).replace(UNSURE_HYPHEN, "")


# A caption: « Photo 1 : … », « Figure 2 – … », « Source : … », « © Ville de … » (folded).
_CAPTION = re.compile(
    r"^(?:(?:photo|figure|fig\.|illustration|image)s?\s*(?:n°\s*)?[\d.]*\s*[:–]|(?:source|credit|legende)s?\s*[:–]|©)"
)


def is_caption(text: str) -> bool:
    """Whether `text` opens as the caption of a photo or a figure does (QA: « Photo 1 : le mur de post-it… »,
    under a list, was glued to its last post-it)."""
    return bool(_CAPTION.match(fold(text)))


_BULLETED = re.compile(rf"^\s*{_BULLET}\s")


def starts_with_a_bullet(text: str) -> bool:
    """Whether `text` opens with a bullet or a dash and a space: a list's item, never a heading (a numbered
    line may be one: « 1. Diagnostic »)."""
    return bool(_BULLETED.match(text))


def without_bullet(text: str) -> str:
    """`text` without the bullet it opens with; a number stays (« 1. » numbers objectives and headings)."""
    return strip_list_marker(text) if starts_with_a_bullet(text) else text


_LONE_MARKER = re.compile(rf"^(?:{_MARKER}|{_MARKER_BEFORE_WORD})$")


def is_list_marker(text: str) -> bool:
    """A list marker standing alone ("-", "•", "3)"), set apart from the text it introduces."""
    return bool(_LONE_MARKER.match(text.strip()))


def starts_list_item(text: str) -> bool:
    return bool(_LIST_MARKER.match(text))


def may_be_wrapped(text: str) -> bool:
    """Whether a line opening with a number and a dash or a typed arrow goes on in lower case: « 1 - fois par
    trimestre », « > objectif : 200 visites » may be the line above wrapped, not an item (QA)."""
    return bool(_GUESSED_MARKER.match(text))


def guessed_marker(text: str) -> bool:
    """Whether a line opens with a number and a dash or a typed arrow before a word (« 1 - Créer », « > Créer »)."""
    return bool(_GUESSED_MARKER_ANY.match(text))


# A line opening as an action does: a verb in the infinitive with a capital, then its object's determiner
# (« Créer un », « Soutenir les », « Mettre en », « Aider l'… »). Inside a sentence a wrapped line hardly
# ever does, unless the line above leaves a word hanging (« de », « et », a comma, a colon: « coordonner les
# politiques publiques : ⏎ Former des groupes de travail… », the seed report).
_OPENS_ACTION = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:er|ir|re)\s+(?:l['’]|(?:le|la|les|un|une|des|du|en|au|aux|leur|leurs|"
    r"son|sa|ses|notre|nos|votre|vos|ce|cet|cette|ces|plus|davantage)(?:\s|$))"
)
_LEAVES_A_WORD_HANGING = re.compile(
    r"(?:[,;:(/–-]|\b(?:de|d['’]|du|des|et|ou|à|au|aux|en|le|la|les|l['’]|un|une|pour|par|avec|sur|dans|sans|"
    r"vers|chez|entre|que|qui|dont|afin|ainsi|mais|plus|très|son|sa|ses|leur|leurs|ce|cet|cette|ces))$",
    re.IGNORECASE,
)


def leaves_a_word_hanging(text: str) -> bool:
    """Whether `text` ends on a word that wants another after it (« de », « et », « la »…) or on a comma."""
    return bool(_LEAVES_A_WORD_HANGING.search(text.rstrip()))


def opens_an_action(line: str, above: str) -> bool:
    """Whether `line`, set under `above` in one paragraph's spacing, opens an item of its own: unmarked
    actions typed one per line in a cell (« Planter des arbres dans les cours d'école » ⏎ « Soutenir les
    entreprises d'insertion », QA: read as one action)."""
    return bool(_OPENS_ACTION.match(line)) and not leaves_a_word_hanging(above)


_FIRST_ITEM = re.compile(r"^\s*\(?(?:1|a|i)\s?[).\-–/]\s|^\s*1°\s")


def opens_a_numbered_list(text: str) -> bool:
    """Whether a line opens a list numbered from its first item (« 1) », « 1. », « 1- », « a) », « i) », « 1° »)."""
    return bool(_FIRST_ITEM.match(text))


def strip_list_marker(text: str) -> str:
    return _LIST_MARKER.sub("", text, count=1).strip()


@functools.lru_cache(maxsize=8)
def compile_label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching "Label :" at the start of a folded paragraph, longest label first."""
    alternatives = sorted({re.escape(fold(label)) for label in labels}, key=len, reverse=True)
    return re.compile(r"^(" + "|".join(alternatives) + r")\s*:\s*")


def opens_a_sub_field(line: str, above: str, label_pattern: re.Pattern[str]) -> bool:
    """Whether `line`, set under `above` in one paragraph's spacing, opens a labelled sub-field
    (« Freins : coût des aménagements » under the last action of a cell, QA: read as the end of
    that action, and the sub-field lost). The label is capitalised: in lower case, it is a word of
    the sentence the line wraps (« … avec un vrai » ⏎ « budget : cinquante mille euros », QA)."""
    return (
        line.lstrip()[:1].isupper()
        and split_label(line, label_pattern) is not None
        and not leaves_a_word_hanging(above)
    )


_CAPITAL_AFTER_SPACE = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ]")


def label_parts(text: str, label_pattern: re.Pattern[str]) -> list[tuple[str | None, str]]:
    """A paragraph of sub-fields cut at each known label: [(label, value), …], the label None for
    text before the first one. Inside the paragraph a label counts where it starts with a capital
    ("Calendrier : 2025 Partenaires : Eau du Morbihan", "coût. Facteurs de réussite : …": QA, labels
    written one per line without a gap between them, or two on a line)."""
    starts = [0]
    for match in _CAPITAL_AFTER_SPACE.finditer(text):
        if label_pattern.match(fold(text[match.start() :])):
            starts.append(match.start())
    parts: list[tuple[str | None, str]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end].strip()
        labelled = split_label(chunk, label_pattern)
        parts.append(labelled if labelled is not None else (None, chunk))
    return parts


def split_label(text: str, label_pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """("Freins", "budget") for "Freins : budget"; None when the text opens with no known label.

    The label is returned as the document writes it.
    """
    folded = fold(text)
    match = label_pattern.match(folded)
    if match is None:
        return None
    label_length = len(match.group(1))
    colon = text.find(":", label_length - 1)
    if colon < 0:
        return None
    return text[:colon].strip(), text[colon + 1 :].strip()
