"""Who may notify arrival (CC007C) and send unloading remarks (CC044C) — seed 003 box 53, P5 C0102, issue 8's
"the authorised consignee at destination is never verified" — and that nobody else learns anything."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from toldsystem import demo
from toldsystem.access import service as access
from toldsystem.companies import service as companies
from toldsystem.guarantees import service as guarantees
from toldsystem.transit.example import example_arrival

HOLDER = {"Authorization": "Bearer told_demo_forwarder"}
HAMBURG = "DE123456789012345"  # an authorised consignee, established in DE
AS_HAMBURG = {"Authorization": "Bearer told_demo_hamburg"}
NORDISK = "DK12345674"  # an authorised consignee, established in DK
AS_NORDISK = {"Authorization": "Bearer told_demo_importer"}
BREMEN = "DE987654321098765"


@pytest.fixture
def world(store, client):
    demo.load()
    companies.register(BREMEN, "Bremer Handel GmbH", "Am Wall 1", "Bremen", "28195", registered_import=True)
    return {"bremen": {"Authorization": f"Bearer {access.issue_company_token(BREMEN, 'tests')}"}}


def declare(client, consignee: str | None = None, standard: bool = False) -> str:
    declaration = demo.declaration()
    if consignee:
        declaration["Consignment"]["Consignee"]["identificationNumber"] = consignee
    if standard:
        del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    answer = client.post("/api/transit/messages", json=declaration, headers=HOLDER)
    return answer.json()["mrn"]


def arrive(client, headers, mrn: str, trader: str, office: str = "DE004851", simplified: bool = True):
    return client.post("/api/transit/messages", json=example_arrival(mrn, trader, office, simplified), headers=headers)


def types(answer) -> list[str]:
    return [a["messageType"] for a in answer.json()["answers"]]


def as_unknown(answer, mrn: str = "") -> list:
    """The answer without what differs every time (identification, time, correlation), the MRN as the unknown one."""
    text = json.dumps([{k: v for k, v in a["data"].items() if k not in ("messageIdentification",
                                                                        "preparationDateAndTime",
                                                                        "correlationIdentifier")}
                       for a in answer.json()["answers"]])
    return json.loads(text.replace(mrn, UNKNOWN) if mrn else text)


UNKNOWN = "26DK009264099999J9"


def test_an_authorised_consignee_at_the_declared_destination_receives_an_unnamed_consignment(world, client):
    mrn = declare(client)
    assert types(arrive(client, AS_HAMBURG, mrn, HAMBURG)) == ["CC043C"]


def test_an_authorised_consignee_at_the_declared_destination_may_use_the_standard_procedure(world, client):
    mrn = declare(client)
    assert types(arrive(client, AS_HAMBURG, mrn, HAMBURG, simplified=False)) == []  # standard: no CC043C
    assert client.get(f"/api/transit/movements/{mrn}", headers=AS_HAMBURG).json()["state"] == "arrived"


def test_an_authorised_consignee_elsewhere_cannot_take_over_the_movement(world, client):
    mrn = declare(client)
    grn = next(g["grn"] for g in demo.demo_guarantees() if g["type"].startswith("1") and g["holder_eori"] == "DK13585628")
    held = guarantees.get(grn).open_amount
    for office in ("DE004851", "DK009761"):  # Nordisk Import is established in DK; the goods go to Hamburg
        answer = arrive(client, AS_NORDISK, mrn, NORDISK, office)
        unknown = arrive(client, AS_NORDISK, UNKNOWN, NORDISK, office)
        assert types(answer) == ["CC906C"] and as_unknown(answer, mrn) == as_unknown(unknown)
    assert guarantees.get(grn).open_amount == held  # nothing was freed
    assert client.get(f"/api/transit/movements/{mrn}", headers=AS_NORDISK).status_code == 404


def test_a_diversion_is_the_declared_consignees_alone(world, client):
    unnamed = declare(client)
    assert types(arrive(client, AS_HAMBURG, unnamed, HAMBURG, "DE004701")) == ["CC906C"]
    named = declare(client, consignee=HAMBURG)
    assert types(arrive(client, AS_HAMBURG, named, HAMBURG, "DE004701")) == ["CC043C"]  # P5: actual ≠ declared


def test_a_consignee_named_by_eori_shuts_out_every_other_authorised_consignee(world, client):
    companies.grant(BREMEN, "authorised_consignee", date(2026, 1, 1))
    mrn = declare(client, consignee=BREMEN)
    assert types(arrive(client, AS_HAMBURG, mrn, HAMBURG)) == ["CC906C"]
    assert types(arrive(client, world["bremen"], mrn, BREMEN)) == ["CC043C"]


def test_the_simplified_procedure_is_the_authorised_consignees_only(world, client):
    mrn = declare(client, consignee=BREMEN)  # Bremen is declared, but holds no authorised_consignee
    assert types(arrive(client, world["bremen"], mrn, BREMEN, simplified=True)) == ["CC906C"]
    assert types(arrive(client, world["bremen"], mrn, BREMEN, simplified=False)) == []  # standard: arrived
    assert client.get(f"/api/transit/movements/{mrn}", headers=world["bremen"]).json()["state"] == "arrived"


def test_arrival_of_a_movement_not_yet_released_looks_like_an_unknown_mrn_even_to_its_trader(world, client):
    waiting = declare(client, standard=True)
    answer = arrive(client, AS_HAMBURG, waiting, HAMBURG)
    unknown = arrive(client, AS_HAMBURG, UNKNOWN, HAMBURG)
    assert types(answer) == ["CC906C"]
    assert as_unknown(answer, waiting) == as_unknown(unknown)
    assert client.get(f"/api/transit/movements/{waiting}", headers=HOLDER).json()["state"] == "awaiting_release"


def test_the_holder_who_may_see_the_movement_is_told_why_it_may_not_notify_arrival(world, client):
    mrn = declare(client)
    answer = arrive(client, HOLDER, mrn, "DK13585628", "DK003100")  # not an office of destination
    assert types(answer) == ["CC057C"]  # the office of destination's rejection
    assert {e["code"] for e in answer.json()["answers"][0]["errors"]} == {"arrival.office_not_destination"}


def test_unloading_remarks_only_from_whoever_received_the_unloading_permission(world, client):
    mrn = declare(client)
    arrive(client, AS_HAMBURG, mrn, HAMBURG)
    remarks = {"messageSender": NORDISK, "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T12:00:00",
               "messageIdentification": uuid.uuid4().hex[:35], "messageType": "CC044C", "TransitOperation": {"MRN": mrn},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": NORDISK},
               "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23",
                                   "stateOfSeals": "1"}}  # the demo's container travelled sealed (C0440)
    assert types(client.post("/api/transit/messages", json=remarks, headers=AS_NORDISK)) == ["CC906C"]
    own = remarks | {"messageSender": HAMBURG, "messageIdentification": uuid.uuid4().hex[:35],
                     "TraderAtDestination": {"identificationNumber": HAMBURG}}
    assert types(client.post("/api/transit/messages", json=own, headers=AS_HAMBURG)) == ["CC025C"]


def test_unloading_remarks_need_an_unloading_permission(world, client):
    mrn = declare(client, consignee=HAMBURG)
    assert types(arrive(client, AS_HAMBURG, mrn, HAMBURG, simplified=False)) == []  # standard: no CC043C
    remarks = {"messageSender": HAMBURG, "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T12:00:00",
               "messageIdentification": uuid.uuid4().hex[:35], "messageType": "CC044C", "TransitOperation": {"MRN": mrn},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": HAMBURG},
               "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23"}}
    refused = client.post("/api/transit/messages", json=remarks, headers=AS_HAMBURG)
    assert types(refused) == ["CC057C"]  # it arrived, so it sees the movement; but no CC043C went to it
    assert client.get(f"/api/transit/movements/{mrn}", headers=HOLDER).json()["state"] == "arrived"
