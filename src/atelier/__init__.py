"""atelier: from the PDF reports of participatory workshops to a classified, deduplicated dataset."""

__version__ = "0.1.0"
