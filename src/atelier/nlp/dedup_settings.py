"""Settings of deduplication: every knob with its default (`DedupSettings`) and the default
abbreviations of French public-policy reports."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Abbreviations of French public-policy reports. Both forms become the abbreviation.
DEFAULT_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("DD", "développement durable"),
    ("CU", "communauté urbaine"),
    ("CUGT", "communauté urbaine du Grand Toulouse"),
    ("A21", "Agenda 21"),
    ("PCET", "plan climat énergie territorial"),
    ("TC", "transports en commun"),
    ("TAD", "transport à la demande"),
    ("ESS", "économie sociale et solidaire"),
    ("RSE", "responsabilité sociétale des entreprises"),
    ("RSE", "responsabilité sociétale"),
    ("ABS", "analyse des besoins sociaux"),
    ("IDH", "indice de développement humain"),
    ("PLH", "programme local de l'habitat"),
    ("PDE", "plan de déplacements d'entreprise"),
    ("asso", "association"),
    ("assos", "associations"),
    ("ados", "adolescents"),
    ("appli", "application"),
    ("CCAS", "centre communal d'action sociale"),
    ("CAF", "caisse d'allocations familiales"),
    ("BBC", "bâtiment basse consommation"),
    ("SCIC", "société coopérative d'intérêt collectif"),
    ("SCOP", "société coopérative et participative"),
    ("PLU", "plan local d'urbanisme"),
    ("PLUi", "plan local d'urbanisme intercommunal"),
    ("SCoT", "schéma de cohérence territoriale"),
    ("PDU", "plan de déplacements urbains"),
    ("PCAET", "plan climat air énergie territorial"),
    ("PAT", "projet alimentaire territorial"),
    ("ZA", "zone d'activités"),
    ("ZAC", "zone d'aménagement concerté"),
    ("QPV", "quartier prioritaire de la politique de la ville"),
    ("VE", "véhicules électriques"),
    ("EnR", "énergies renouvelables"),
    ("GES", "gaz à effet de serre"),
    ("TVB", "trame verte et bleue"),
    ("IAE", "insertion par l'activité économique"),
    ("FLE", "français langue étrangère"),
    ("PMR", "personnes à mobilité réduite"),
    ("EHPAD", "établissement d'hébergement pour personnes âgées dépendantes"),
    ("AMAP", "association pour le maintien d'une agriculture paysanne"),
    ("VAE", "vélo à assistance électrique"),
    ("VAE", "vélos à assistance électrique"),
    ("CC", "communauté de communes"),
    ("CC", "comcom"),
    ("CC", "com com"),
)


@dataclass(frozen=True)
class DedupSettings:
    """Every knob of deduplication, with its default (chosen on the dev half of
    tests/labels/dedup_pairs.csv, checked on the synthetic benchmark: bench/dedup.py)."""

    # Near-identical level: rapidfuzz score (0–100) of the two content keys.
    near_threshold: float = 90.0
    # Folded texts shorter than this merge only when identical (one letter is too much of them).
    min_fuzzy_length: int = 20
    # Texts whose numbers differ ("25 %" / "15 %", "phase 1" / "phase 2") are never one idea.
    require_same_numbers: bool = True
    # Paraphrase level (with nlp): share of the shorter text's content weight found in the other;
    # the words left out may be at most (1 - containment) of its words, rounded down.
    containment_threshold: float = 0.8
    # … and share of the longer one's found in the shorter, unless they share min_shared_weight.
    coverage_threshold: float = 0.5
    min_shared_weight: float = 4.0
    # … the shorter text must weigh at least this much (two content words).
    min_paraphrase_weight: float = 2.0
    # … and the cosine of their mean word vectors must reach this.
    vector_threshold: float = 0.8
    # A word of the shorter text replaced by another (both texts lacking a word of the other) is
    # allowed only from this many content words on when the longer text also adds words, from
    # min_words_for_swap for a plain one-for-one swap, never for a name, acronym or number.
    min_words_for_replacement: int = 6
    min_words_for_swap: int = 10
    # Paraphrase level: a text holding every content word of the other, in any order, and adding
    # at most this many generic words says the same idea ("RSE" / "Encourager le développement de
    # la RSE": 2, the smallest value that merges it on the dev half; no other dev pair moves up to 6).
    max_generic_words_added: int = 2
    # Two contributions (not items of one report's tables) are not one idea when the longer adds a
    # name, a time or an exception to a shorter one of at most this many content words (`dedup_pairs`):
    # a post-it, not a long answer (a signature after it is no other idea).
    restriction_max_words: int = 12
    # Against chaining: a newcomer shares at least this much of the lighter content with every member.
    member_overlap: float = 0.5
    # Weight of generic words ("développer", "favoriser", …); content words weigh 1.
    weak_word_weight: float = 0.5
    # Run the paraphrase level when an nlp is given.
    paraphrase: bool = True
    abbreviations: tuple[tuple[str, str], ...] = DEFAULT_ABBREVIATIONS
    # Candidate blocking: pairs sharing less than this share of the lighter text (after grouping
    # typo variants) are never verified. Must stay below containment_threshold.
    blocking_share: float = 0.7
    # Entries of the sparse candidate product, and words of the pairs checked, per block: bounds
    # the memory of blocking whatever the texts (bench/dedup.py: 10,000 long answers repeating the
    # same paragraphs peaked at 1,957 MiB in blocks of 2,048 rows, 926 MiB with 2**20 entries;
    # 2**21 and 2**22 took as long, with 964 and 1,003 MiB).
    block_entries: int = 1 << 20

    def __post_init__(self) -> None:
        # (In French: a workshop file's `dedup:` block sets them, and its reader shows the message.)
        for name, kind in _KINDS.items():
            value = getattr(self, name)
            fits = isinstance(value, bool) if kind is bool else not isinstance(value, bool) and isinstance(
                value, (int, float) if kind is float else int
            )
            if not fits:
                raise ValueError(f"« {name} » doit être {_KIND_NAMES[kind]}.")
        if not 50.0 <= self.near_threshold <= 100.0:  # (below, any two texts: « 0.9 » for 90 %, QA)
            raise ValueError("« near_threshold » doit être un score sur 100, entre 50 et 100 (90 par défaut).")
        shares = ("containment_threshold", "coverage_threshold", "member_overlap", "vector_threshold", "blocking_share")
        for name in shares:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"« {name} » doit être un nombre entre 0 et 1.")
        if self.blocking_share > self.containment_threshold:
            raise ValueError(
                "« blocking_share » (part des mots partagés pour comparer deux textes) ne doit pas dépasser "
                "« containment_threshold » : baissez-les ensemble."
            )
        for name in ("max_generic_words_added", "min_shared_weight", "min_paraphrase_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"« {name} » ne doit pas être négatif.")
        for name in ("min_fuzzy_length", "block_entries", "min_words_for_replacement", "min_words_for_swap",
                     "restriction_max_words"):  # fmt: skip
            if getattr(self, name) < 1:
                raise ValueError(f"« {name} » doit être au moins 1.")
        # (Below 1: a content word weighs 1, and a weight of 1 is what tells one from a generic word.)
        if not 0.0 < self.weak_word_weight < 1.0:
            raise ValueError("« weak_word_weight » doit être un nombre entre 0 et 1 (exclus).")

    def changed(self) -> dict[str, Any]:
        """The settings that are not the defaults, as a workshop file writes them (its abbreviations:
        those added to the defaults): what a run's manifest keeps of how it grouped the ideas."""
        default = DedupSettings()
        changed: dict[str, Any] = {
            name: getattr(self, name)
            for name in (f.name for f in dataclasses.fields(self))
            if name != "abbreviations" and getattr(self, name) != getattr(default, name)
        }
        added = [pair for pair in self.abbreviations if pair not in DEFAULT_ABBREVIATIONS]
        if added or len(self.abbreviations) < len(DEFAULT_ABBREVIATIONS):
            changed["abbreviations"] = dict(added)
        return changed

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> DedupSettings:
        """Settings from a configuration mapping (a workshop file's `dedup:` block); unknown keys
        are an error. Its `abbreviations` (abbreviation: wording, or pairs) are added to the defaults."""
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(map(str, values)) - set(known))
        if unknown:
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"vouliez-vous dire « {close[0]} » ? " if close else ""
            raise ValueError(f"réglage inconnu : {', '.join(unknown)} ({hint}réglages possibles : {', '.join(known)})")
        values = {str(key): value for key, value in values.items()}
        for name, value in values.items():  # (« 85 » for 85.0)
            if _KINDS.get(name) is float and isinstance(value, int) and not isinstance(value, bool):
                values[name] = float(value)
        # A lower containment compares more pairs: the share that picks them follows unless it is given (QA:
        # « containment_threshold: 0.6 » was refused for a « blocking_share » the README did not name).
        containment = values.get("containment_threshold")
        if "blocking_share" not in values and isinstance(containment, float) and containment < cls.blocking_share:
            values["blocking_share"] = containment
        if "abbreviations" in values:
            given = values["abbreviations"]
            pairs = list(given.items()) if isinstance(given, Mapping) else given
            unquoted = [str(a).lower() for a, _ in pairs if isinstance(a, bool | int | float)] if isinstance(
                given, Mapping
            ) else []
            if unquoted:  # (YAML reads « NO: … », « ON: … », « 1000: … » as false, true, a number)
                raise ValueError(
                    f"« abbreviations » : un sigle est lu comme {unquoted[0]} (booléen ou nombre) : écrivez-le entre "
                    'guillemets, « "NO": … »'
                )
            if not isinstance(pairs, list) or not all(_is_abbreviation(pair) for pair in pairs):
                raise ValueError("« abbreviations » doit associer chaque sigle à ce qu'il abrège (« PLU: plan local "
                                 "d'urbanisme »).")  # fmt: skip
            values["abbreviations"] = DEFAULT_ABBREVIATIONS + tuple((a.strip(), b.strip()) for a, b in pairs)
        return cls(**values)


def _is_abbreviation(pair: object) -> bool:
    """An abbreviation and what it abbreviates, both written."""
    return isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(p, str) and p.strip() for p in pair)


_KINDS: dict[str, type] = {
    **{f.name: float for f in dataclasses.fields(DedupSettings) if f.type == "float"},
    **{f.name: int for f in dataclasses.fields(DedupSettings) if f.type == "int"},
    **{f.name: bool for f in dataclasses.fields(DedupSettings) if f.type == "bool"},
}
_KIND_NAMES = {float: "un nombre", int: "un nombre entier", bool: "true ou false"}
