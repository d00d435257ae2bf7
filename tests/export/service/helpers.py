"""Shared by the export service tests: parties, declarations lodged and moved along."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.export import service
from tests.export.messages.helpers import replaced, sample

DECLARANT = Party(kind="company", name="Nordic Forwarding ApS", eori="DK13585628")
EXPORTER = Party(kind="company", name="Eksempel Eksport A/S", eori="DK12345674")
OTHER = Party(kind="company", name="Other ApS", eori="DK87654321")
EXPORT_OFFICER = Party(kind="officer", name="Officer Olsen", office="DK003102")
EXIT_OFFICER = Party(kind="officer", name="Officer Hansen", office="DK004700")
ELSEWHERE_OFFICER = Party(kind="officer", name="Officer Berg", office="DK005600")


def b1(lrn: str = "LRN-EX-2026-000101") -> bytes:
    """The B1 standard sample with another LRN."""
    return replaced(sample("b1_standard"), "LRN-EX-2026-000101", lrn)


def arrival(mrn: str, office: str = "DK004700") -> bytes:
    """The CC507C sample for this MRN at this office of exit."""
    return replaced(replaced(sample("ie507_arrival_at_exit"), "26DK0031020000DWA2", mrn),
                    "<referenceNumber>DK004700", f"<referenceNumber>{office}")


def lodged(lrn: str = "LRN-EX-2026-000101") -> str:
    outcome = service.receive_xml(DECLARANT, b1(lrn))
    assert outcome.mrn, outcome.problems
    return outcome.mrn


def arrived(lrn: str = "LRN-EX-2026-000101") -> str:
    """A declaration lodged, released, presented at exit and arrived there."""
    mrn = lodged(lrn)
    service.release(EXPORT_OFFICER, mrn, reason="risk profile green")
    service.present_at_exit(EXIT_OFFICER, mrn)
    service.receive_xml(EXIT_OFFICER, arrival(mrn))
    return mrn
