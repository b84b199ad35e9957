"""The people a text names as the French model's named-entity recogniser finds them (its PER
entities), for the texts shown to others: the rules of `dedup_text.masked_people` know common
first names in context; the recogniser also finds names no list holds (« Mamadou », « Jojo »).
Which of its mentions are masked is decided by `dedup_text.masked_mentions`; only the texts where
one could be are read (`dedup_text.may_name_someone`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from atelier.nlp.dedup_text import may_name_someone

if TYPE_CHECKING:
    import spacy

PEOPLE_BATCH_SIZE = 256


@dataclass(frozen=True)
class PersonMention:
    """A person the recogniser finds in a text: where each of its words is (punctuation left out)."""

    words: tuple[tuple[int, int], ...]


def recognised_people(texts: Sequence[str], nlp: spacy.Language) -> dict[str, tuple[PersonMention, ...]]:
    """The people the recogniser finds in each distinct text that may name someone and names any;
    nothing when `nlp` has no recogniser. The recogniser reads the words alone (its own vectors)."""
    if "ner" not in nlp.component_names:
        return {}
    recogniser = nlp.get_pipe("ner")
    candidates = [text for text in dict.fromkeys(texts) if may_name_someone(text)]
    documents = recogniser.pipe((nlp.make_doc(text) for text in candidates), batch_size=PEOPLE_BATCH_SIZE)
    found: dict[str, tuple[PersonMention, ...]] = {}
    for text, document in zip(candidates, documents, strict=True):
        mentions = tuple(
            PersonMention(tuple((token.idx, token.idx + len(token.text)) for token in entity if not token.is_punct))
            for entity in document.ents
            if entity.label_ == "PER"
        )
        if mentions:
            found[text] = mentions
    return found
