"""A workshop's taxonomy of axes, read from YAML (bundled in `atelier/workshops/` or written by the user).

    workshop = load_workshop(None)            # the bundled default, Atelier 6
    workshop = load_workshop("atelier6")      # a bundled id
    workshop = load_workshop("mon_atelier.yaml")

An axis flagged `out_of_scope: true` is the optional "hors axes" class: ideas that belong to no
axis of the workshop are classified there (its `id` goes to the `axis` column like any other).
The `settings:` block holds the thresholds of classification (`WorkshopSettings`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from atelier.nlp.dedup_settings import DedupSettings
from atelier.nlp.language import loose_key, normalize_for_match

DEFAULT_WORKSHOP = "atelier6"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr",)
MIN_AXES = 2
YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
# A heading naming its axis by number: "AXE 2", "Axe 2 :", "AXE N°2" (after normalize_for_match).
AXIS_NUMBER_PATTERN = re.compile(r"^\s*axe\s*(?:n\s*[°o]?\s*)?(\d+)\b\s*[:.\-–]?\s*")
# Minimum rapidfuzz score (0–100) for a heading to name an axis by its label.
HEADING_MATCH_MIN_SCORE = 85.0
# A workshop file above this size is refused (a real one, examples included, is a few kilobytes).
MAX_WORKSHOP_BYTES = 1024 * 1024
WORKSHOP_KEYS: tuple[str, ...] = ("id", "title", "language", "axes", "settings", "dedup")
AXIS_KEYS: tuple[str, ...] = ("id", "label", "description", "keywords", "examples", "out_of_scope")
# A workshop id names the folder of its model (models/<id>/): a word, dots and hyphens.
WORKSHOP_ID_PATTERN = re.compile(r"[^\W_][\w.-]{0,63}")



@functools.lru_cache(maxsize=1024)
def _folded_label(label: str) -> str:
    return normalize_for_match(label)


@functools.lru_cache(maxsize=1024)
def loose_label(label: str) -> str:
    """`loose_key` of a label, remembered: a sheet repeats its labels on every row."""
    return loose_key(label)


def same_label(first: str, second: str) -> bool:
    """Labels equal up to case, accents, apostrophes, spaces and punctuation (Excel's ’ for ', a
    label pasted in another Unicode form, « citoyens? » for « citoyens ? »); remembered, as a sheet
    repeats its labels on every row."""
    return _folded_label(first) == _folded_label(second) or loose_label(first) == loose_label(second)

class WorkshopError(ValueError):
    """A workshop configuration cannot be used (message meant for the command-line user)."""


@dataclass(frozen=True)
class WorkshopSettings:
    """The `settings:` block of a workshop file: how classification decides, per workshop.

    abstain_threshold: below this probability of its best axis, a model's idea is flagged
        `needs_review` (it keeps its best axis in `axis`, so the analyst sees the proposal).
    second_axis_margin: the runner-up axis is reported (`axis_2`) when its probability is
        within this margin of the best one...
    second_axis_min_confidence: ...and at least this probability. For an idea under a theme,
        both are read in the probabilities of its words alone (`classify.with_own_second_axis`):
        on the dev workshops' post-its, 0.3 gave an axis_2 to 72 post-its instead of 81 with 0.2,
        and the same 8 + 8 named a labelled axis (bench/dev/transfer.py).
    evidence_lemmas: how many lemmas `axis_evidence` lists.
    theme_context_weight: weight of the other ideas filed under the same theme of the same
        report (a post-it table's theme cell) in an idea's probabilities: each idea's
        probabilities become (1 − w) × its own + w × the mean of its neighbours'. 0: each idea
        alone.
    """

    abstain_threshold: float = 0.5
    second_axis_margin: float = 0.25
    second_axis_min_confidence: float = 0.3
    evidence_lemmas: int = 3
    theme_context_weight: float = 0.5

    def __post_init__(self) -> None:
        for name in ("abstain_threshold", "second_axis_margin", "second_axis_min_confidence", "theme_context_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"« {name} » doit être un nombre entre 0 et 1.")
        value = self.evidence_lemmas
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 20:
            raise ValueError("« evidence_lemmas » doit être un entier entre 0 et 20.")

    def is_unsure(self, confidence: float) -> bool:
        """Whether a model's confidence in its axis is below `abstain_threshold`, the idea flagged
        `needs_review`: as written in the outputs (a confidence shown 0.5 is not below 0.5)."""
        return confidence + CONFIDENCE_TOLERANCE < self.abstain_threshold


# How far below a value a confidence may be computed and still be that value (0.7 is 0.69999999999999996):
# outputs show it rounded down, and `is_unsure` compares it, with this much added.
CONFIDENCE_TOLERANCE = 1e-12


KNOWN_SETTINGS: tuple[str, ...] = tuple(f.name for f in fields(WorkshopSettings))
# With so few axes that the best one always reaches the default threshold (2 axes: 0.5), the
# default becomes chance plus this lead, so that an idea can still be flagged for review.
ABSTAIN_LEAD_OVER_CHANCE = 0.2


@dataclass(frozen=True)
class Axis:
    id: str
    label: str
    description: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    # The "hors axes" class: ideas that fit none of the workshop's axes.
    out_of_scope: bool = False


@dataclass(frozen=True)
class Workshop:
    id: str
    title: str
    language: str
    axes: tuple[Axis, ...]
    settings: WorkshopSettings = field(default_factory=WorkshopSettings)
    source: str = ""
    # How its ideas are grouped: the file's `dedup:` block over the defaults.
    dedup: DedupSettings = field(default_factory=DedupSettings)

    @property
    def axis_ids(self) -> tuple[str, ...]:
        return tuple(axis.id for axis in self.axes)

    @property
    def out_of_scope_axis(self) -> str | None:
        """The id of the "hors axes" axis, if the workshop has one."""
        return next((axis.id for axis in self.axes if axis.out_of_scope), None)

    def axis(self, axis_id: str) -> Axis:
        for axis in self.axes:
            if axis.id == str(axis_id):
                return axis
        raise WorkshopError(
            f"Axe « {axis_id} » inconnu dans l'atelier « {self.id} » "
            f"(axes disponibles : {', '.join(self.axis_ids)})."
        )

    def axis_label(self, axis_id: str) -> str:
        return self.axis(axis_id).label

    def axis_labelled(self, label: str) -> str | None:
        """The id of the axis with this label (`same_label`); None if none."""
        return next((axis.id for axis in self.axes if same_label(label, axis.label)), None)

    @property
    def axes_sha256(self) -> str:
        """A digest of what a model learns of the workshop file: its axes, their descriptions,
        keywords and examples (a saved model that predates a change of them does not know it)."""
        content = json.dumps([dataclasses.asdict(axis) for axis in self.axes], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()


def bundled_workshops() -> list[str]:
    """Ids of the workshop configurations shipped with the package."""
    directory = resources.files("atelier").joinpath("workshops")
    return sorted(
        entry.name.rsplit(".", 1)[0]
        for entry in directory.iterdir()
        if entry.is_file() and entry.name.endswith(YAML_SUFFIXES)
    )


def load_workshop(reference: str | Path | None = None) -> Workshop:
    """Read and validate a workshop: None → the default, a bundled id, or the path of a YAML file."""
    if reference is None:
        reference = DEFAULT_WORKSHOP
    path = Path(reference)
    looks_like_path = isinstance(reference, Path) or path.suffix.lower() in YAML_SUFFIXES or len(path.parts) > 1
    if looks_like_path or path.is_file():
        if path.is_dir():
            raise WorkshopError(
                f"{path} est un dossier : --workshop attend un fichier YAML d'atelier (ou un identifiant)."
            )
        if not path.is_file():
            raise WorkshopError(f"Fichier de configuration d'atelier introuvable : {path}")
        try:
            size = path.stat().st_size
            if size > MAX_WORKSHOP_BYTES:
                raise WorkshopError(
                    f"{path} : fichier trop gros pour une configuration d'atelier "
                    f"({size // 1024} Ko, limite {MAX_WORKSHOP_BYTES // 1024} Ko)."
                )
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise WorkshopError(f"{path} : lecture impossible ({error.strerror or error}).") from error
        except UnicodeDecodeError as error:
            raise WorkshopError(f"{path} : le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8.") from error
        return parse_workshop(text, source=str(path))
    resource = resources.files("atelier").joinpath("workshops", f"{reference}.yaml")
    if not resource.is_file():
        available = ", ".join(bundled_workshops()) or "aucun"
        raise WorkshopError(
            f"Atelier « {reference} » inconnu : ce n'est ni un atelier fourni ({available}) "
            "ni le chemin d'un fichier YAML."
        )
    return parse_workshop(resource.read_text(encoding="utf-8"), source=f"atelier/workshops/{reference}.yaml")


def parse_workshop(text: str, source: str = "<texte>") -> Workshop:
    """Validate the YAML text of a workshop; every error names `source`."""
    try:
        data = yaml.load(text, Loader=_WorkshopLoader)  # noqa: S506 - a SafeLoader (see below)
    except yaml.YAMLError as error:
        where = ""
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})"
        if isinstance(error, _AliasRefused):
            raise WorkshopError(
                f"{source} : les alias YAML (« *nom ») ne sont pas acceptés dans un fichier d'atelier{where} ; "
                "écrivez le texte en entier."
            ) from error
        if isinstance(error, _BadCharacter):
            code = f"U+{ord(error.character):04X}"
            what = (
                "la moitié d'un caractère échappé en UTF-16 (« \\ud83c\\udf31 ») : écrivez le caractère lui-même (🌱)"
                if "\ud800" <= error.character <= "\udfff"
                else "un caractère de contrôle : retirez-le"
            )
            raise WorkshopError(f"{source} : caractère {code} refusé{where}, {what}.") from error
        if isinstance(error, _TagRefused):
            raise WorkshopError(
                f"{source} : balise YAML « {error.tag.replace('tag:yaml.org,2002:', '!!')} » refusée{where} : "
                "un fichier d'atelier n'a que du texte, "
                "des nombres et des listes."
            ) from error
        if isinstance(error, _RepeatedKey):
            raise WorkshopError(
                f"{source} : la clé « {error.key} » apparaît deux fois dans le même bloc{where} "
                "(un « - » manque-t-il devant un axe ?)."
            ) from error
        context = getattr(error, "context_mark", None)
        quote = _unclosed_quote(text, context, mark)
        if quote is not None:  # (the quoted text ran on to the line the parser stopped at)
            where = f" (ligne {quote})"
            hint = " : un guillemet (\") ouvert n'est pas refermé sur sa ligne"
        elif "found ','" in str(getattr(error, "problem", "")):
            hint = ' : une liste écrite sur une ligne se met entre crochets (keywords: ["…", "…"])'
        else:
            hint = _yaml_hint(text, mark)
        raise WorkshopError(f"{source} : syntaxe YAML invalide{where}{hint}.") from error
    if not isinstance(data, dict):
        raise WorkshopError(f"{source} : le fichier doit décrire un atelier (clés id, title, axes).")
    _known_keys(data, WORKSHOP_KEYS, source, "l'atelier")

    workshop_id = _required_text(data, "id", source, "l'atelier")
    if not WORKSHOP_ID_PATTERN.fullmatch(workshop_id) or ".." in workshop_id:
        raise WorkshopError(
            f"{source} : identifiant d'atelier « {workshop_id[:80]} » invalide : des lettres, des chiffres, "
            "« _ », « - » ou « . » (64 caractères au plus) ; il nomme le dossier de son modèle."
        )
    language = _required_text(data, "language", source, "l'atelier") if "language" in data else "fr"
    language = language.lower()
    if language not in SUPPORTED_LANGUAGES:
        raise WorkshopError(f"{source} : langue « {language} » non prise en charge (seulement : fr).")
    raw_axes = data.get("axes")
    if raw_axes is None:
        raise WorkshopError(f"{source} : la clé « axes » (la liste des axes de l'atelier) est absente.")
    if not isinstance(raw_axes, list):
        raise WorkshopError(f"{source} : la clé « axes » doit être une liste d'axes.")
    axes = tuple(_parse_axis(raw, position, source) for position, raw in enumerate(raw_axes, start=1))
    if len(axes) < MIN_AXES:
        raise WorkshopError(f"{source} : il faut au moins {MIN_AXES} axes, le fichier en décrit {len(axes)}.")
    seen: set[str] = set()
    labels: dict[str, str] = {}
    for axis, raw in zip(axes, raw_axes, strict=True):
        if axis.id in seen:
            raise WorkshopError(
                f"{source} : l'identifiant d'axe « {axis.id} » apparaît plusieurs fois{_line_of(raw, 'id')}."
            )
        seen.add(axis.id)
        label = normalize_for_match(axis.label)
        if label in labels:
            raise WorkshopError(
                f"{source} : les axes « {labels[label]} » et « {axis.id} » ont le même libellé "
                f"« {axis.label} » : les sorties ne les distingueraient pas."
            )
        labels[label] = axis.id
    if sum(axis.out_of_scope for axis in axes) > 1:
        marked = [
            f"« {axis.id} »{_line_of(raw, 'out_of_scope')}"
            for axis, raw in zip(axes, raw_axes, strict=True)
            if axis.out_of_scope
        ]
        raise WorkshopError(
            f"{source} : un seul axe peut être marqué « out_of_scope » (hors axes), pas {' et '.join(marked)}."
        )
    if len(axes) - sum(axis.out_of_scope for axis in axes) < MIN_AXES:
        raise WorkshopError(f"{source} : il faut au moins {MIN_AXES} axes en plus de l'axe « hors axes ».")
    return Workshop(
        id=workshop_id,
        title=_required_text(data, "title", source, "l'atelier") if data.get("title") else workshop_id,
        language=language,
        axes=axes,
        settings=_abstain_threshold_for(_parse_settings(data.get("settings"), source), data, len(axes), source),
        source=source,
        dedup=_parse_dedup(data.get("dedup"), source),
    )


def _unclosed_quote(text: str, context: yaml.Mark | None, mark: yaml.Mark | None) -> int | None:
    """The number of the first line between a YAML error's context and the line it was found on
    that opens a double quote without closing it, if any: the text then runs on over the next
    lines, and the parser stops lines later (QA: « ligne 38 » for a quote left open on line 33)."""
    if context is None or mark is None or mark.line <= context.line:
        return None
    lines = text.splitlines()
    for number in range(context.line, min(mark.line, len(lines))):
        if lines[number].split(" #")[0].count('"') % 2:
            return number + 1
    return None


def _yaml_hint(text: str, mark: yaml.Mark | None) -> str:
    """What a YAML error most likely comes from, read on its line and the one before."""
    if mark is None:
        return ""
    lines = text.splitlines()
    near = lines[max(0, mark.line - 1) : mark.line + 1]
    if any("\t" in line[: len(line) - len(line.lstrip())] for line in near):
        return " : une tabulation sert d'indentation ; YAML n'accepte que des espaces"
    if any(re.search(r":\s+[^\"'\s][^\"']*:\s", line) for line in near):
        return " : un texte contenant « : » doit être entre guillemets"
    if any(re.match(r"\s*-[^\s-]", line) for line in near):
        return " : il manque une espace après le « - » d'un élément de liste (« - id: … »)"
    if any(line.count('"') % 2 for line in near):
        return " : un guillemet (\") ouvert n'est pas refermé sur sa ligne"
    if any(re.search(r'(?:^|:|-)\s*"[^"]*"[^\s,\]#]', line) for line in near):
        return (
            ' : un texte entre guillemets ("…") ne peut pas contenir de guillemet ; écrivez « … » '
            "à l'intérieur, ou mettez le texte entre apostrophes ('…')"
        )
    if any(re.search(r'"[^"]*\\[^"]*"', line) for line in near):
        return (
            ' : entre guillemets ("…"), une barre oblique inverse (\\) commence un caractère spécial ; '
            "doublez-la (\\\\) ou mettez le texte entre apostrophes ('…')"
        )
    if any(re.search(r"(?:^|:|-)\s*'[^']*'[^\s,\]#]", line) for line in near):
        return (
            " : un texte entre apostrophes ('…') ne peut pas contenir d'apostrophe ; "
            'mettez-le entre guillemets ("…")'
        )
    return " : vérifiez l'indentation (des espaces, alignés sur le même bloc) de cette ligne et de la précédente"


class _RepeatedKey(yaml.constructor.ConstructorError):
    def __init__(self, key: object, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"repeated key {key!r}", mark)
        self.key = key


class _AliasRefused(yaml.composer.ComposerError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(None, None, "alias", mark)


class _BadCharacter(yaml.constructor.ConstructorError):
    def __init__(self, character: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"character {character!r}", mark)
        self.character = character


class _TagRefused(yaml.constructor.ConstructorError):
    def __init__(self, tag: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"tag {tag}", mark)
        self.tag = tag


# What no text of a workshop holds: control characters (tabulations and line ends aside), and the
# halves of a UTF-16 pair an escape such as "\ud83c\udf31" leaves (no file can be written with them).
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class _WorkshopLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but a key given twice in one block is an error (PyYAML keeps the
    last value: an axis whose "- " is missing silently replaced the one before it), an `id` is
    read as written ("01" stays "01", "yes" stays "yes", not 1 and True), and an alias ("*a") is
    refused: a file of 124 KB repeating a long anchored text a thousand times took 2 GB."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.events.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)  # type: ignore[arg-type]


class _Block(dict[Any, Any]):
    """A mapping of the file, with the line of each key (for messages)."""

    lines: dict[Any, int]


def _construct_mapping(loader: _WorkshopLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping = _Block()
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "unhashable key", key_node.start_mark)
        if key in mapping:
            raise _RepeatedKey(key, key_node.start_mark)
        mapping.lines[key] = key_node.start_mark.line + 1
        if key == "id" and isinstance(value_node, yaml.ScalarNode):
            mapping[key] = value_node.value
        else:
            mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_WorkshopLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_text(loader: _WorkshopLoader, node: yaml.ScalarNode) -> str:
    text = loader.construct_yaml_str(node)
    bad = _BAD_CHARACTER.search(text)
    if bad:
        raise _BadCharacter(bad.group(), node.start_mark)
    return text


def _refuse_tag(loader: _WorkshopLoader, tag_suffix: str, node: yaml.Node) -> None:
    raise _TagRefused(node.tag, node.start_mark)


_WorkshopLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_WorkshopLoader.add_constructor("tag:yaml.org,2002:binary", lambda loader, node: _refuse_tag(loader, "", node))
_WorkshopLoader.add_multi_constructor("", _refuse_tag)  # (tags PyYAML's safe loader does not know)


def _known_keys(data: dict[Any, Any], known: tuple[str, ...], source: str, owner: str) -> None:
    unknown = [key for key in data if key not in known]
    if unknown:
        lines = getattr(data, "lines", {})
        named = ", ".join(f"{key} (ligne {lines[key]})" if key in lines else str(key) for key in unknown[:5])
        raise WorkshopError(f"{source} : clé inconnue pour {owner} : {named} (clés possibles : {', '.join(known)}).")


def _line_of(data: Any, key: str | None = None) -> str:
    """Where in the file a block's `key` is: " (ligne N)"; without that key, where the block starts,
    " (bloc à la ligne N)"; "" when the block was not read from a file."""
    lines: dict[Any, int] = getattr(data, "lines", {})
    if key in lines:
        return f" (ligne {lines[key]})"
    return f" (bloc à la ligne {min(lines.values())})" if lines else ""


def _required_text(data: dict[str, Any], key: str, source: str, owner: str) -> str:
    """A text, or a number as written; anything else (a list, a block, true/false) is refused."""
    value = data.get(key)
    if value is None or isinstance(value, dict | list | bool) or not str(value).strip():
        raise WorkshopError(f"{source} : {owner} n'a pas de « {key} » (un texte){_line_of(data, key)}.")
    return str(value).strip()


def _without_typographic_quotes(text: str) -> str:
    """A text without the French or curly quotes a consultant put around it (« … », “…”), which
    YAML keeps as part of the text (QA: the label « Améliorer les transports » was shown so)."""
    for opening, closing in (("«", "»"), ("“", "”")):
        if text.startswith(opening) and text.endswith(closing) and len(text) > 2:
            return text[1:-1].strip()
    return text


def _text_list(block: dict[Any, Any], key: str, source: str, owner: str) -> tuple[str, ...]:
    value = block.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or any(isinstance(item, (dict, list)) or item is None for item in value):
        raise WorkshopError(
            f"{source} : « {key} » de {owner} doit être une liste de textes{_line_of(block, key)} "
            '(une ligne « - texte » par élément, ou ["texte", "texte"]).'
        )
    return tuple(text for text in (str(item).strip() for item in value) if text)


def _parse_axis(raw: Any, position: int, source: str) -> Axis:
    if not isinstance(raw, dict):
        raise WorkshopError(f"{source} : l'axe n°{position} doit être un dictionnaire (id, label, description…).")
    owner = f"l'axe n°{position}"
    _known_keys(raw, AXIS_KEYS, source, owner)
    axis_id = _required_text(raw, "id", source, owner)
    owner = f"l'axe « {axis_id} »"
    out_of_scope = raw.get("out_of_scope", False)
    if not isinstance(out_of_scope, bool):
        raise WorkshopError(
            f"{source} : « out_of_scope » de {owner} doit valoir true ou false{_line_of(raw, 'out_of_scope')}."
        )
    return Axis(
        id=axis_id,
        label=_without_typographic_quotes(_required_text(raw, "label", source, owner)),
        description=" ".join(_required_text(raw, "description", source, owner).split()),
        # (A keyword is a term: "vélo, piste cyclable" in one item is two.)
        keywords=tuple(
            term
            for keyword in _text_list(raw, "keywords", source, owner)
            for term in (part.strip() for part in re.split(r"[,;]", keyword))
            if term
        ),
        examples=_text_list(raw, "examples", source, owner),
        out_of_scope=out_of_scope,
    )


def _abstain_threshold_for(
    settings: WorkshopSettings, data: dict[Any, Any], axes: int, source: str
) -> WorkshopSettings:
    """The settings, with an abstain threshold that can be missed: the best of `axes` axes has at
    least 1 / `axes`, so a threshold at or below it flags nothing (2 axes and the default 0.5). A
    threshold set so is refused; the default then becomes chance plus `ABSTAIN_LEAD_OVER_CHANCE`."""
    chance = 1.0 / axes
    if settings.abstain_threshold > chance:
        return settings
    raw = data.get("settings")
    if isinstance(raw, dict) and "abstain_threshold" in raw:
        raise WorkshopError(
            f"{source} : avec {axes} axes, le meilleur a toujours au moins {chance:.2f} : « abstain_threshold » "
            f"({settings.abstain_threshold:g}) ne signalerait aucune idée ; mettez-le au-dessus de {chance:.2f}."
        )
    return dataclasses.replace(settings, abstain_threshold=round(chance + ABSTAIN_LEAD_OVER_CHANCE, 2))


def _parse_settings(raw: Any, source: str) -> WorkshopSettings:
    if raw is None:
        return WorkshopSettings()
    if not isinstance(raw, dict):
        raise WorkshopError(f"{source} : « settings » doit être un dictionnaire.")
    unknown = sorted(set(map(str, raw)) - set(KNOWN_SETTINGS))
    if unknown:
        raise WorkshopError(
            f"{source} : réglage inconnu dans « settings » : {', '.join(unknown)} "
            f"(réglages possibles : {', '.join(KNOWN_SETTINGS)})."
        )
    values = {str(key): value for key, value in raw.items()}
    for name in ("abstain_threshold", "second_axis_margin", "second_axis_min_confidence"):
        if name in values and isinstance(values[name], int) and not isinstance(values[name], bool):
            values[name] = float(values[name])
    try:
        return WorkshopSettings(**values)
    except ValueError as error:
        named = re.search(r"« (\w+) »", str(error))
        name = named.group(1) if named else ""
        hint = _value_hint(raw.get(name), str(error))
        raise WorkshopError(f"{source} : {str(error).rstrip('.')}{_line_of(raw, name)}{hint}.") from error


def _value_hint(value: Any, reason: str) -> str:
    """What a refused number was likely meant as: « 0,5 » written with a comma, « 50 » for a share."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+,\d+\s*", value):
        return f" : écrivez {value.strip().replace(',', '.')}, avec un point"
    if "0 et 1" in reason and isinstance(value, int | float) and not isinstance(value, bool) and 2 <= value <= 100:
        return f" : c'est une proportion ({value / 100:g} pour {value:g} %)"
    return ""


def _parse_dedup(raw: Any, source: str) -> DedupSettings:
    """The `dedup:` block: thresholds of deduplication (`DedupSettings`) and the workshop's own
    abbreviations, added to the defaults."""
    if raw is None:
        return DedupSettings()
    if not isinstance(raw, dict):
        raise WorkshopError(f"{source} : « dedup » doit être un dictionnaire.")
    try:
        return DedupSettings.from_mapping(raw)
    except ValueError as error:
        named = re.search(r"« (\w+) »", str(error))
        name = named.group(1) if named else ""
        line, hint = (_line_of(raw, name), _value_hint(raw.get(name), str(error))) if named else ("", "")
        raise WorkshopError(f"{source} : dans « dedup », {str(error).rstrip('.')}{line}{hint}.") from error


def match_axis(workshop: Workshop, heading: str, *, min_score: float = HEADING_MATCH_MIN_SCORE) -> str | None:
    """The axis a heading names: by its number ("AXE 2 : …" → "2") or by a label it resembles."""
    number, rest = split_axis_heading(heading)
    if number is not None:
        found = axis_numbered(workshop, number)
        if found is not None:
            return found
    return match_axis_label(workshop, rest, min_score=min_score)


def axis_numbered(workshop: Workshop, number: str) -> str | None:
    """The axis a number names ("2" names the axis "2", or "02" in a workshop numbering so)."""
    return next((a for a in workshop.axis_ids if a == number or (a.isdigit() and int(a) == int(number))), None)


def split_axis_heading(heading: str) -> tuple[str | None, str]:
    """("2", "emploi, economie et entreprise") for "AXE 2 : Emploi, économie et entreprise":
    the number a heading gives (None if none) and the rest of it, normalised."""
    normalized = normalize_for_match(heading)
    number = AXIS_NUMBER_PATTERN.match(normalized)
    if number is None:
        return None, normalized
    return str(int(number.group(1))), normalized[number.end() :]


def match_axis_label(workshop: Workshop, text: str, *, min_score: float = HEADING_MATCH_MIN_SCORE) -> str | None:
    """The axis whose label `text` resembles (whole, or one part of "title : subtitle"); numbers play no part."""
    normalized = normalize_for_match(text)
    labels = {axis.id: normalize_for_match(axis.label) for axis in workshop.axes}
    # The whole heading, then each part of "title : subtitle" on its own.
    candidates = [normalized, *(part for part in normalized.split(":") if part.strip())]
    best_id, best_score = None, min_score
    for candidate in candidates:
        if not _words_only(candidate):
            continue
        found = process.extractOne(
            candidate, labels, scorer=_heading_score, processor=_words_only, score_cutoff=best_score
        )
        if found is not None and (best_id is None or found[1] > best_score):
            best_id, best_score = found[2], found[1]
    return best_id


def _words_only(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def _heading_score(first: str, second: str, *, score_cutoff: float | None = None, **_: Any) -> float:
    """Character similarity that tolerates reordered words but not a label lost in a longer heading."""
    return max(fuzz.ratio(first, second), fuzz.token_sort_ratio(first, second))
