"""The HTML of web exports made plain text (`extract.markup`)."""

from __future__ import annotations

import pytest

from atelier.extract.markup import plain_text


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<p>Cr&eacute;er des jardins partag&eacute;s</p>", "Créer des jardins partagés"),
        ("<p>Créer des <strong>jardins</strong> partagés</p><br/>", "Créer des jardins partagés"),
        ("Lutter contre l&#39;isolement&nbsp;des &acirc;g&eacute;s", "Lutter contre l'isolement des âgés"),
        ('<P CLASS="lead">Des <b>jar</b>dins</P>', "Des jardins"),
        ("<ul><li>Un composteur</li><li>Un verger</li></ul>", "Un composteur\nUn verger"),
        ("<table><tr><td>Bus</td><td>Tram</td></tr></table>", "Bus Tram"),
        ('<a href="https://exemple.fr/?a=1&amp;b=2">Voir</a> le &laquo; plan &raquo;', "Voir le « plan »"),
        ("<p></p><br>", ""),
        ('<p class=MsoNormal>Créer des jardins<o:p></o:p></p>', "Créer des jardins"),  # pasted from Word
        ("<p>Créer<!-- relu --> des jardins</p><script>alert(1)</script><style>p {}</style>", "Créer des jardins"),
        ("<header>Proposition</header><p>Créer des jardins</p>", "Proposition\nCréer des jardins"),
        ("Créer <script>jamais fermé", "Créer <script>jamais fermé"),
    ],
)
def test_html_of_a_web_export_becomes_the_text_a_reader_saw(html, plain):
    assert plain_text(html) == plain


@pytest.mark.parametrize(
    "text",
    [
        "Créer des jardins partagés",
        "R&D et M&A dans les PME",  # "&" without a reference
        "x < 10 et y > 2",
        "Écrire à <votre quartier>",  # not an HTML element
        "Relier => les quartiers <-> le centre",
        "Deux  espaces\net une ligne",  # no HTML: not even its spaces touched
    ],
)
def test_text_without_html_is_left_as_it_is(text):
    assert plain_text(text) == text


def test_hidden_parts_are_cut_where_they_are_even_after_letters_that_fold_longer():
    # "ß" folds to "ss": positions found in the folded text cut the original two letters late.
    assert plain_text("ßßßßß<!--x--> après") == "ßßßßß après"
    assert plain_text("Straße <SCRIPT>alert(1)</script> ok <!-- c --> fin") == "Straße ok fin"

