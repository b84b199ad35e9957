"""Extracted records and the generator's expected items, in one comparable form."""


def _key(kind, text, category, theme, objective, axis, details):
    return (kind, text, category, theme, objective, axis, tuple(details))


def extracted(result):
    return [
        _key(c.kind, c.text, c.category, c.theme, c.objective, c.stated_axis, [(d.field, d.text) for d in c.details])
        for c in result.contributions
    ]


def expected(document):
    return [
        _key(i["kind"], i["text"], i["category"], i["theme"], i["objective"], i["axis"], [(d["field"], d["text"]) for d in i["details"]])
        for i in document["items"]
    ]
