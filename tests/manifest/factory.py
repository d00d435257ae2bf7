"""Arrivals and departures that pass every rule, for tests to change one thing at a time."""

from __future__ import annotations

from datetime import datetime, timezone

from toldsystem.manifest.rules.model import Carrier, Consignment, Direction, LinkKind, Movement, TransportMode

AT = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
CARRIER = "DK13585628"
HOLDER = "DK12345674"
AGENT = "DK20406089"
IMPORT_MRN = "26DK000000000001I1"
EXPORT_MRN = "26DK000000000002E5"


def vessel_arrival(**changes) -> Movement:
    base = dict(direction=Direction.ARRIVAL, mode=TransportMode.SEA, place="DKAAR", carrier=Carrier(eori=CARRIER),
                expected_at=AT, submitter=CARRIER, imo_number="IMO 9074729", vessel_name="MAERSK ESSEN",
                arriving_from="NOOSL", unloads_third_country_freight=True, carrier_representative=AGENT,
                temporary_storage_holder=HOLDER,
                consignments=(Consignment(1, "BL-1", LinkKind.IMPORT, IMPORT_MRN), Consignment(2, "BL-2")))
    base.update(changes)
    return Movement(**base)


def flight_arrival(**changes) -> Movement:
    base = dict(direction=Direction.ARRIVAL, mode=TransportMode.AIR, place="DKCPH", carrier=Carrier(eori=CARRIER),
                expected_at=AT, submitter=CARRIER, route_number="SK1234", arriving_from="USJFK",
                unloads_third_country_freight=False, temporary_storage_holder=HOLDER,
                consignments=(Consignment(1, "AWB-1", LinkKind.IMPORT, IMPORT_MRN),))
    base.update(changes)
    return Movement(**base)


def vessel_departure(**changes) -> Movement:
    base = dict(direction=Direction.DEPARTURE, mode=TransportMode.SEA, place="DKAAR", carrier=Carrier(eori=CARRIER),
                expected_at=AT, submitter=CARRIER, imo_number="9074729", vessel_name="MAERSK ESSEN",
                carrier_representative=AGENT,
                consignments=(Consignment(1, "BL-9", LinkKind.EXPORT, EXPORT_MRN),))
    base.update(changes)
    return Movement(**base)
