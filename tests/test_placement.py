from atelier.extract.records import Contribution
from atelier.nlp.placement import place_by_headings
from atelier.nlp.workshop import load_workshop


def _item(kind, category, stated_axis=None):
    return Contribution(
        idea_id=f"x-{kind}-{category[:5]}",
        document="r.pdf",
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
    placed = place_by_headings(items, workshop)
    assert [c.stated_axis for c in placed] == ["2", "5", None, None, "3"]
    assert [c.idea_id for c in placed] == [c.idea_id for c in items]
