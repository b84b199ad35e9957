"""The command line's own words in French: Click's and Typer's usage errors and help headings
("Missing option '--out'", "No such option", "Options", "[required]").

Typer's usage errors are written in English by its own copy of Click: `french_usage_error`
rewrites them (the command group of `cli` shows them so). Its help headings are asked of
gettext, as Click's messages are: translated the way they are meant to be.

Click and Typer ask `gettext.gettext` (the default domain) for each of their messages. The
translations below are compiled into `locale/fr/LC_MESSAGES/messages.mo` (`python -m
atelier.flows.french` writes it again; a test checks it matches), and `speak_french` binds the
default domain to that folder and asks for French (the `LANGUAGE` variable of the process, which
gettext reads first), before Typer is imported: it reads some of its headings at import.
"""

from __future__ import annotations

import gettext
import os
import re
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"  # gettext's default domain, the one Click and Typer use
MO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.mo"
HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n > 1);\n"

# English message (or singular and plural) -> French (or its two forms).
TRANSLATIONS: dict[str | tuple[str, str], str | tuple[str, str]] = {
    "Aborted!": "Interrompu !",
    "Aborted.": "Interrompu.",
    "Missing command.": "Commande manquante.",
    "Options": "Options",
    "Commands": "Commandes",
    "Arguments": "Arguments",
    "Positional arguments": "Arguments",
    "Usage:": "Usage :",
    "Error": "Erreur",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide."
    ),
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "Il manque l'{param_type}",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option {name!r} demande une valeur.",
        "L'option {name!r} demande {nargs} valeurs.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'un de : {possibilities} ?)",
    ),
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide ({number_type}).",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'un de {choices}.",
    ),
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas modifiable.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    "[required]": "[obligatoire]",
    "required": "obligatoire",
    "[default: {}]": "[défaut : {}]",
    "default: {default}": "défaut : {default}",
    "[env var: {}]": "[variable d'environnement : {}]",
    "env var: {var}": "variable d'environnement : {var}",
    "(deprecated) ": "(obsolète) ",
    "deprecated": "obsolète",
    "Do you want to continue?": "Voulez-vous continuer ?",
}


def compiled_catalog(translations: dict[str | tuple[str, str], str | tuple[str, str]] = TRANSLATIONS) -> bytes:
    """The translations as a GNU .mo file (what `msgfmt` writes, without the hash table)."""
    entries = {b"": HEADER.encode()}
    for source, target in translations.items():
        key = "\0".join(source) if isinstance(source, tuple) else source
        value = "\0".join(target) if isinstance(target, tuple) else target
        entries[key.encode()] = value.encode()
    keys = sorted(entries)
    header_size, table_size = 7 * 4, len(keys) * 8
    originals_at, translations_at = header_size, header_size + table_size
    data_at = header_size + 2 * table_size
    originals, targets, data = [], [], b""
    for key in keys:
        originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        targets.append((len(entries[key]), data_at + len(data)))
        data += entries[key] + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), originals_at, translations_at, 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in [*originals, *targets])
    return head + tables + data


# Typer's own usage errors, in English whatever the language (its copy of Click does not ask
# gettext): (pattern of the message, French). Applied in turn, each to what the one before left.
USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), french)
    for pattern, french in (
        (r"^Missing option (.+?)\.", r"Il manque l'option \1."),
        (r"^Missing argument (.+?)\.", r"Il manque l'argument \1."),
        (r"^Missing parameter: (.+)$", r"Il manque le paramètre \1."),
        (r"^No such option: (\S+) \(Possible options: (.+)\)$", r"Option inconnue : \1 (vouliez-vous dire \2 ?)"),
        (r"^No such option: (\S+)$", r"Option inconnue : \1"),
        (r"^No such command (.+?)\.", r"Commande inconnue : \1."),
        (r" Did you mean (.+)\?$", r" Vouliez-vous dire \1 ?"),
        (r"^Option (.+?) requires an argument\.$", r"L'option \1 demande une valeur."),
        (r"^Option (.+?) requires (\d+) arguments\.$", r"L'option \1 demande \2 valeurs."),
        (r"^Option (.+?) does not take a value\.$", r"L'option \1 ne prend pas de valeur."),
        (r"^Got unexpected extra argument\(?s?\)? \((.+)\)$", r"Argument(s) en trop : \1"),
        (r"^Invalid value for (.+?): ", r"Valeur invalide pour \1 : "),
        (r"^Invalid value: ", r"Valeur invalide : "),
        (r"(?:path|file|directory) '(.+)' does not exist\.$", r"« \1 » introuvable"),
        (r"(?:path|file|directory) '(.+)' is not readable\.$", r"« \1 » illisible (permission refusée)"),
        (r"(?:path|file|directory) '(.+)' is a directory\.$", r"« \1 » est un dossier, pas un fichier"),
        (r"(?:path|file|directory) '(.+)' is a file\.$", r"« \1 » est un fichier, pas un dossier"),
        (r"Input should be greater than or equal to (\S+)$", r"au moins \1 attendu"),
        (r"Input should be less than or equal to (\S+)$", r"au plus \1 attendu"),
        (r"Input should be a valid integer.*$", r"un nombre entier est attendu"),
        (r"Input should be a valid number.*$", r"un nombre est attendu"),
    )
)


def french_usage_error(message: str) -> str:
    """A usage error of Typer's (`USAGE_ERRORS`) in French; other messages as they are."""
    for pattern, french in USAGE_ERRORS:
        message = pattern.sub(french, message)
    return message


def speak_french() -> None:
    """Click's and Typer's messages in French, for this process (see the module's note)."""
    os.environ["LANGUAGE"] = "fr"
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


if __name__ == "__main__":  # pragma: no cover
    MO_FILE.parent.mkdir(parents=True, exist_ok=True)
    MO_FILE.write_bytes(compiled_catalog())
    print(f"{MO_FILE} écrit ({len(TRANSLATIONS)} messages).")
