"""Parties and declarations for the imports service tests: the agency-shaped samples, changed per test."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from tests.conftest import FORWARDER, IMPORTER, STRANGER, register_company
from toldsystem.access.rules import OPERATOR, Party
from toldsystem.companies import service as companies
from toldsystem.imports import service
from toldsystem.imports.messages import parse_declaration

SAMPLES = Path(__file__).parents[1] / "messages" / "samples"
FORWARDER_PARTY = Party.company(FORWARDER)
IMPORTER_PARTY = Party.company(IMPORTER)
STRANGER_PARTY = Party.company(STRANGER)
OFFICER = Party(kind="officer", name="Officer Olsen", office="DK003102")
NATIONAL = Party(kind="officer", name="Officer Nielsen")


def sample(name: str) -> dict:
    """A sample's data (docs/imports-messages.md's shape)."""
    parsed = parse_declaration((SAMPLES / f"{name}.xml").read_bytes())
    assert not isinstance(parsed, list), parsed
    return copy.deepcopy(parsed.data)


def full_express(lrn: str = "LRN-A-1") -> dict:
    data = sample("full_express_a")
    data["FunctionalReferenceID"] = lrn
    return data


def simplified(lrn: str = "LRN-C-1", type_code: str = "IMC") -> dict:
    data = sample("simplified_c")
    data["FunctionalReferenceID"] = lrn
    data["TypeCode"] = type_code
    data["PresentationOffice"] = {"ID": "DK003102"}
    return data


def supplementary(simplified_mrn: str, lrn: str = "LRN-Y-1") -> dict:
    data = sample("supplementary_y")
    data["FunctionalReferenceID"] = lrn
    data["PresentationOffice"] = {"ID": "DK003102"}
    data["GoodsShipment"]["PreviousDocument"] = [{"SequenceNumeric": "1", "ID": simplified_mrn, "TypeCode": "SDE"}]
    for item in data["GoodsShipment"]["GovernmentAgencyGoodsItem"]:
        item.pop("PreviousDocument", None)
    return data


def world(credit: str = "granted", power: bool = True, authorised: bool = True) -> None:
    """The forwarder, the importer (with customs credit, the simplified express authorisation, its power to the
    forwarder) and a stranger."""
    register_company(FORWARDER, "Nordic Forwarding ApS")
    register_company(IMPORTER, "Eksempel Import A/S")
    register_company(STRANGER, "Fremmed ApS")
    if authorised:
        companies.grant(IMPORTER, "simplified_express", date(2025, 1, 1), reference="DKC512DK12345674-2025-0003")
    if power:
        companies.grant_power(IMPORTER, FORWARDER, ["transit.declare"], date(2025, 1, 1))
    if credit:
        service.set_credit(OPERATOR, IMPORTER, credit, date(2025, 1, 1))


def events(outcome) -> list[str]:
    return [n.event_type for n in outcome.notifications if n.party == outcome.notifications[0].party]


def codes(outcome) -> list[str]:
    return [e["ValidationCode"] for e in outcome.notifications[0].data.get("Error") or []]
