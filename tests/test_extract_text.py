import pytest

from atelier.extract.settings import DEFAULT_DETAIL_LABELS, ExtractionSettings
from atelier.extract.text import (
    Spellings,
    clean_text,
    compile_label_pattern,
    fold,
    join_lines,
    named_header,
    opens_an_action,
    settle_hyphens,
    shown_soft_hyphens,
    spellings,
    split_label,
    strip_list_marker,
)

LABELS = compile_label_pattern(DEFAULT_DETAIL_LABELS)


def test_join_lines_repairs_hyphenation_but_keeps_compound_words():
    assert settle_hyphens(join_lines(["Favoriser le dévelop-", "pement durable"]), Spellings()) == (
        "Favoriser le développement durable"
    )
    assert join_lines(["mairie de Saint-", "Orens"]) == "mairie de Saint-Orens"
    assert join_lines(["vers Saint-Aubin-du-", "Lizon"]) == "vers Saint-Aubin-du-Lizon"
    assert join_lines(["1-", "Créer un lieu"]) == "1- Créer un lieu"
    assert join_lines(["Mobilité -", "Transports"]) == "Mobilité - Transports"
    assert join_lines(["Lutter  contre\u00a0les", " inégalités "]) == "Lutter contre les inégalités"


@pytest.mark.parametrize(
    "lines, joined",
    [
        (["Favoriser le bien-", "être des aînés"], "Favoriser le bien-être des aînés"),
        (["Un tiers-", "lieu"], "Un tiers-lieu"),
        (["du porte-à-", "porte"], "du porte-à-porte"),
        (["c'est-à-", "dire"], "c'est-à-dire"),
        (["prendre rendez-", "vous"], "prendre rendez-vous"),
        (["le non-", "recours aux droits"], "le non-recours aux droits"),
        (["Animer le centre-", "ville le soir"], "Animer le centre-ville le soir"),
        (["pour les sans-", "abri"], "pour les sans-abri"),
        (["comme en Île-", "de-France"], "comme en Île-de-France"),
        (["Une vélo-", "école"], "Une vélo-école"),
        # An elided word at a line's end is glued to the next.
        (["Favoriser l'accès à l'", "emploi des jeunes"], "Favoriser l'accès à l'emploi des jeunes"),
        (["Les jeunes n’ont aujourd’", "hui aucun lieu"], "Les jeunes n’ont aujourd’hui aucun lieu"),
        (["Favoriser le dévelop-", "pement"], "Favoriser le développement"),
        # Syllables on which a line may end or start, though « bien » and « lieu » open or close compounds.
        (["beaucoup de bien-", "veillance"], "beaucoup de bienveillance"),
        (["en mi-", "lieu rural"], "en milieu rural"),
    ],
)
def test_a_hyphen_ending_a_line_stays_in_a_compound_word(lines, joined):
    assert settle_hyphens(join_lines(lines), Spellings()) == joined


def test_a_soft_hyphen_of_the_pdf_shows_as_a_hyphen_at_a_line_end_and_nothing_inside_a_line():
    # Producers that hyphenate set U+00AD where a line breaks (reportlab's own fonts cannot show it).
    assert shown_soft_hyphens("dévelop\u00ad") == "dévelop-"
    assert shown_soft_hyphens("co\u00adhésion") == "cohésion"
    lines = [shown_soft_hyphens("Favoriser le dévelop\u00ad"), "pement durable"]
    assert settle_hyphens(join_lines(lines), Spellings()) == "Favoriser le développement durable"


def test_a_hyphen_after_a_prefix_is_kept_where_the_document_writes_the_word_with_it():
    written = spellings(["La co-construction et l'éco-rénovation (socio-économique)", "les tiers lieux, un lieu"])
    assert written.compounds == {"co-construction", "eco-renovation", "socio-economique"}
    assert settle_hyphens(join_lines(["une co-", "construction"]), written) == "une co-construction"
    assert settle_hyphens(join_lines(["l'Éco-", "rénovation"]), written) == "l'Éco-rénovation"
    assert settle_hyphens(join_lines(["la co-", "hésion"]), written) == "la cohésion"
    assert settle_hyphens(join_lines(["l'éco-", "nomie"]), written) == "l'économie"
    # A word the document writes joined is joined, whatever the lists say.
    assert settle_hyphens(join_lines(["un bien-", "être"]), spellings(["le bienêtre"])) == "un bienêtre"


def test_clean_text_expands_ligatures_and_spaces():
    assert clean_text("eﬃcace\u202fet  ﬁable") == "efficace et fiable"


def test_clean_text_removes_footnote_calls_but_not_powers_of_units():
    # QA: « Récupérer l'eau de pluie¹ » kept its call.
    assert clean_text("Récupérer l'eau de pluie¹ avec le syndicat (SMBVL).²") == (
        "Récupérer l'eau de pluie avec le syndicat (SMBVL)."
    )
    assert clean_text("des logements de 50 m² et 3 km³ de CO²") == "des logements de 50 m² et 3 km³ de CO²"


def test_clean_text_removes_controls_zero_width_and_bidirectional_overrides():
    # QA: an unclosed « U+202E » in a post-it reversed the line of the synthesis after it.
    assert clean_text("Ligne \u202eevil\u202c pour\u200b la\ufeff santé\x07 \x1b[31m\u2028publique") == (
        "Ligne evil pour la santé [31m publique"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1) Animer des groupes d'habitants", "Animer des groupes d'habitants"),
        ("(8) Consolider les dispositifs", "Consolider les dispositifs"),
        ("- Valoriser les initiatives", "Valoriser les initiatives"),
        ("Organiser des rencontres", "Organiser des rencontres"),
        ("10M€ pour le fonds", "10M€ pour le fonds"),
    ],
)
def test_strip_list_marker(raw, expected):
    assert strip_list_marker(raw) == expected


def test_a_typed_number_dash_arrow_or_roman_numeral_is_a_marker_but_not_a_figure_heading_initial_or_abbreviation():
    items = {
        "1- Créer un lieu": "Créer un lieu",
        "2 - Former les bénévoles": "Former les bénévoles",
        "3 – Ouvrir le local": "Ouvrir le local",
        "> Créer un lieu": "Créer un lieu",
        "iv) Former les bénévoles": "Former les bénévoles",
        "(ii) Ouvrir le local": "Ouvrir le local",
        # (QA: « 1/ », « 1° », « => », « ⇒ » were no markers, kept in the texts and items glued)
        "1/ Créer un lieu": "Créer un lieu",
        "2° Former les bénévoles": "Former les bénévoles",
        "=> Ouvrir le local": "Ouvrir le local",
        "⇒ Ouvrir le local": "Ouvrir le local",
    }
    kept = [
        "2025 - bilan de l'année",
        "10 - 15 jeunes chaque semaine",
        "1-2 fois par mois",
        "1/2 journée par mois",
        "10 / 15 jeunes",
        "19° dans les salles",
        "> 50 % des habitants",
        "=> 20 % de logements",
        "I. Diagnostic",
        "A. Logement",
        "A. Dupont, animateur",
        "i.e. les aînés",
        # (QA: a line wrapped before these started an item, its first word lost)
        "c. à d. un local ouvert le soir",
        "(v. annexe 2) avec la mairie",
        "ii. Ouvrir le local",
        "b. Créer un lieu",
    ]
    assert {raw: strip_list_marker(raw) for raw in [*items, *kept]} == {**items, **{raw: raw for raw in kept}}


def test_split_label_keeps_the_document_spelling():
    assert split_label("Facteurs de réussite : communiquer", LABELS) == ("Facteurs de réussite", "communiquer")
    assert split_label("Critère d’évaluation : -nombre de terrains", LABELS) == ("Critère d’évaluation", "-nombre de terrains")
    assert split_label("ELEMENTS A APPROFONDIR: quid des entreprises ?", LABELS) == ("ELEMENTS A APPROFONDIR", "quid des entreprises ?")
    assert split_label("Organiser des rencontres adaptées : constater", LABELS) is None
    assert split_label("Freinsx : rien", LABELS) is None


def test_fold_is_case_and_accent_insensitive():
    assert fold("Thématiques") == fold("THEMATIQUES") == "thematiques"
    # « œ » and « æ » are no accents Unicode decomposes: « Mise en œuvre » was no header name.
    assert fold("Mise en Œuvre") == fold("MISE EN OEUVRE") == "mise en oeuvre"
    assert fold("Curriculum vitæ") == "curriculum vitae"


def test_a_header_word_split_by_a_narrow_column_is_mended_but_no_other_text_named():
    names = {"partenaires", "echeance", "indicateurs de suivi"}
    assert named_header("Partenai res", names) == "Partenaires"
    assert named_header("Indicateur s de suivi", names) == "Indicateurs de suivi"
    assert named_header("Échéance :", names) == "Échéance :"
    assert named_header("Partenaires locaux", names) is None
    assert named_header("Éché an ce", names) is None


def test_a_line_opens_an_action_by_a_capitalised_infinitive_and_a_determiner_unless_a_word_hangs_above():
    above = "Planter des arbres dans les cours d'école"
    opening = ["Soutenir les entreprises", "Mettre en place un budget", "Aider l'installation", "Créer un café"]
    assert all(opens_an_action(line, above) for line in opening)
    assert not any(opens_an_action(line, above) for line in ["Chambre d'agriculture", "Région Occitanie", "Centre social",
                                                             "Faire connaître", "soutenir les entreprises"])  # fmt: skip
    assert not any(opens_an_action("Former les jeunes", above) for above in ["avec la", "pour", "publiques :", "ou,"])


def test_settings_are_validated():
    with pytest.raises(ValueError):
        ExtractionSettings(paragraph_gap_ratio=2.0, row_gap_ratio=1.0)
    with pytest.raises(ValueError):
        ExtractionSettings(max_pages=0)
    for bad in ({"note_max_width_ratio": 0.0}, {"note_max_height_ratio": 1.5}, {"note_min_count": 0},
                {"note_max_lines": 0}, {"band_text_gap_ratio": 0.0}, {"headed_table_gap_ratio": -1.0},
                {"row_rule_min_span": 0.0}, {"row_rule_min_span": 1.5}, {"row_rule_min_count": 0}):  # fmt: skip
        with pytest.raises(ValueError):
            ExtractionSettings(**bad)
