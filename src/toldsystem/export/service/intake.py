"""One entry for every export message a party sends, XML or JSON alike: a declaration is lodged, an amendment
amends, an invalidation invalidates, a CC507C registers the arrival at exit."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.export.service import lodging, steps
from toldsystem.export.service.reading_in import Reading, read_data, read_xml
from toldsystem.export.service.units import Outcome


def receive(party: Party, reading: Reading) -> Outcome:
    """Dispatch a message read before to its use case (what cannot be read is REJECTED by lodging)."""
    if reading.problems or reading.kind in lodging.LODGED_KINDS:
        return lodging.lodge(party, reading)
    if reading.kind == "amendment":
        return steps.amend(party, reading)
    if reading.kind == "invalidation":
        return steps.invalidate_as_requested(party, reading)
    return steps.arrive_at_exit(party, reading)


def receive_xml(party: Party, body: bytes, kind: str | None = None) -> Outcome:
    return receive(party, read_xml(body, kind))


def receive_data(party: Party, data: dict, kind: str | None = None) -> Outcome:
    return receive(party, read_data(data, kind))
