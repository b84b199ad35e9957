"""Reading workshop reports (PDF) into typed `Contribution` records. Imports nothing else of atelier."""

from atelier.extract.records import KINDS, BBox, Contribution, Detail, DocumentResult, Kind

__all__ = ["KINDS", "BBox", "Contribution", "Detail", "DocumentResult", "Kind"]
