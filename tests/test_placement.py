import pytest

from atelier.extract.records import Contribution
from atelier.nlp.placement import place_by_headings
from atelier.nlp.workshop import load_workshop

# A workshop numbering its axes 1 to 3, about something else than Atelier 6.
MOBILITY_YAML = """\
id: mobilite
title: "Atelier mobilité"
axes:
  - id: "1"
    label: "Transports en commun"
    description: "Bus, tramway et métro : lignes, fréquences, tarifs."
  - id: "2"
    label: "Vélo et marche"
    description: "Se déplacer à pied ou à vélo en sécurité."
  - id: "3"
    label: "Voiture partagée"
    description: "Covoiturage et autopartage."
"""
ATELIER6_HEADINGS = [
    ("AXE 1 : Articuler les politiques publiques", "1"),
    ("AXE 2 : Emploi, économie et entreprise", "2"),
    ("AXE 3 : Comment faire participer les citoyens?", "3"),
]


def _item(kind, category, stated_axis=None, document="r.pdf"):
    return Contribution(
        idea_id=f"x-{document}-{kind}-{category[:5]}",
        document=document,
        document_sha256="0" * 64,
        page=1,
        kind=kind,
        text="Créer une maison du citoyen",
        category=category,
        stated_axis=stated_axis,
    )


def test_heading_giving_an_axis_label_without_its_number_places_objectives_and_actions():
    workshop = load_workshop("atelier6")
    items = [
        _item("action", "Emploi, économie et entreprise"),
        _item("objective", "Améliorer la santé publique : travaux du sous-groupe"),
        _item("action", "Synthèse des échanges"),
        _item("postit", "Emploi, économie et entreprise"),
        _item("action", "AXE 3 : Comment faire participer les citoyens ?", stated_axis="3"),
    ]
    placed, notes = place_by_headings(items, workshop)
    assert [c.stated_axis for c in placed] == ["2", "5", None, None, "3"]
    assert [c.idea_id for c in placed] == [c.idea_id for c in items]
    assert notes == {}


def test_the_axis_numbers_of_another_workshops_report_are_not_followed(tmp_path):
    path = tmp_path / "mobilite.yaml"
    path.write_text(MOBILITY_YAML, encoding="utf-8")
    items = [_item("action", heading, axis, "cohesion.pdf") for heading, axis in ATELIER6_HEADINGS]
    items += [_item("postit", "Les comportements sociaux", document="cohesion.pdf")]
    items += [_item("action", "AXE 2 : Vélo et marche", "2", "velo.pdf"), _item("action", "AXE 1", "1", "velo.pdf")]
    placed, notes = place_by_headings(items, load_workshop(path))
    assert [c.stated_axis for c in placed] == [None, None, None, None, "2", "1"]
    assert list(notes) == ["cohesion.pdf"]
    assert "« AXE 2 : Emploi, économie et entreprise »" in notes["cohesion.pdf"]
    assert "atelier « mobilite »" in notes["cohesion.pdf"]


def test_a_reports_numbers_stand_when_its_headings_speak_of_the_axes_in_other_words(tmp_path):
    """The workshop file words its axes otherwise than the report's headings, which still share
    words with them ("tramway", "sécurité"): the report is the workshop's, its numbers stand."""
    path = tmp_path / "mobilite.yaml"
    path.write_text(MOBILITY_YAML, encoding="utf-8")
    items = [
        _item("action", "AXE 1 : Un réseau de tramway plus dense", "1"),
        _item("action", "AXE 2 : Marcher et pédaler en sécurité", "2"),
    ]
    placed, notes = place_by_headings(items, load_workshop(path))
    assert [c.stated_axis for c in placed] == ["1", "2"]
    assert notes == {}


def test_a_report_numbering_the_workshops_axes_otherwise_is_placed_by_their_labels():
    items = [
        _item("action", "AXE 1 : Améliorer la santé publique", "1"),
        _item("objective", "AXE 1 : Améliorer la santé publique", "1"),
        _item("action", "AXE 2 : Emploi, économie et entreprise", "2"),
        # Words that name no axis: the report's number stands.
        _item("action", "AXE 3 : La participation", "3"),
    ]
    placed, notes = place_by_headings(items, load_workshop("atelier6"))
    assert [c.stated_axis for c in placed] == ["5", "5", "2", "3"]
    assert notes["r.pdf"].endswith("(« AXE 1 : Améliorer la santé publique » → axe 5).")


@pytest.mark.parametrize("headings", [[("AXE 1", "1"), ("AXE 2", "2")], ATELIER6_HEADINGS])
def test_a_reports_own_numbers_stand(headings):
    items = [_item("action", heading, axis) for heading, axis in headings]
    placed, notes = place_by_headings(items, load_workshop("atelier6"))
    assert [c.stated_axis for c in placed] == [axis for _, axis in headings]
    assert notes == {}


def test_a_report_half_of_whose_headings_share_a_word_with_their_axes_is_another_workshop_s():
    # QA: a bike plan's « AXE 3 : … l'espace public » shares « espace public » with Atelier 6's
    # axis 3; its two headings put its ideas in axes 1 and 3 as the report's own placement.
    items = [
        _item("action", "AXE 1 : Sécuriser les itinéraires cyclables", "1"),
        _item("action", "AXE 3 : Apaiser la circulation dans l'espace public", "3"),
    ]
    placed, notes = place_by_headings(items, load_workshop("atelier6"))
    assert [c.stated_axis for c in placed] == [None, None]
    assert "ne nomme un axe de l'atelier « atelier6 »" in notes["r.pdf"]
    # One unrelated heading among the workshop's: its number stands, and it is said.
    items = [_item("action", heading, axis) for heading, axis in ATELIER6_HEADINGS]
    items.append(_item("action", "AXE 4 : Sécuriser les itinéraires cyclables", "4"))
    placed, notes = place_by_headings(items, load_workshop("atelier6"))
    assert [c.stated_axis for c in placed] == ["1", "2", "3", "4"]
    assert notes["r.pdf"].startswith("r.pdf : des titres d'axes ne partagent aucun mot avec l'axe de leur numéro")
    assert "« AXE 4 : Sécuriser les itinéraires cyclables » → axe 4 « En quoi le PCET" in notes["r.pdf"]
