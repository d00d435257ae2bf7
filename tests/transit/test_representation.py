"""Representation (SPEC T, companies/ powers of attorney): the representative declares in the holder's name
under a valid power, sees the movement, gets every answer beside the holder, and sends the follow-ups its
power covers — and nothing once the power is gone."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from toldsystem import demo
from toldsystem.companies import service as companies

HOLDER, REPRESENTATIVE, STRANGER = "DK20406089", "DK13585628", "DK12345674"  # Jysk Eksport, Padborg, Nordisk
AS_HOLDER = {"Authorization": "Bearer told_demo_consignor"}
AS_REPRESENTATIVE = {"Authorization": "Bearer told_demo_forwarder"}
AS_STRANGER = {"Authorization": "Bearer told_demo_importer"}


@pytest.fixture
def world(store):
    demo.load()  # Padborg Spedition holds Jysk Eksport's power of attorney, every scope


def the_power():
    return next(p for p in companies.powers_for(companies.OPERATOR, HOLDER) if p.representative_eori == REPRESENTATIVE)


def types(answer) -> list[str]:
    return [a["messageType"] for a in answer.json()["answers"]]


def outbox(client, headers) -> list[dict]:
    return client.get("/api/transit/outbox", headers=headers).json()["messages"]


def invalidation(mrn: str, sender: str) -> dict:
    return {"messageSender": sender, "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T10:00:00",
            "messageIdentification": uuid.uuid4().hex[:35], "messageType": "CC014C", "TransitOperation": {"MRN": mrn},
            "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                             "justification": "Kunden har annulleret"},
            "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
            "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER}}


def standard(declaration: dict) -> dict:
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    return declaration


def test_the_representative_declares_and_both_get_every_answer(world, client):
    answer = client.post("/api/transit/messages", json=demo.declaration(HOLDER, representative=REPRESENTATIVE),
                         headers=AS_REPRESENTATIVE)
    assert types(answer) == ["CC928C", "CC028C", "CC029C"]
    mrn = answer.json()["mrn"]
    for headers, eori in ((AS_REPRESENTATIVE, REPRESENTATIVE), (AS_HOLDER, HOLDER)):
        received = outbox(client, headers)
        assert [m["messageType"] for m in received] == ["CC928C", "CC028C", "CC029C"]
        assert {m["data"]["messageRecipient"] for m in received} == {eori}
    movement = client.get(f"/api/transit/movements/{mrn}", headers=AS_REPRESENTATIVE).json()
    assert (movement["holder_eori"], movement["representative_eori"]) == (HOLDER, REPRESENTATIVE)
    listed = client.get("/api/transit/movements", headers=AS_REPRESENTATIVE).json()["movements"]
    assert mrn in [m["mrn"] for m in listed]
    assert client.get(f"/api/transit/movements/{mrn}", headers=AS_STRANGER).status_code == 404


def test_the_representative_invalidates_under_its_power_and_both_hear_of_it(world, client):
    mrn = client.post("/api/transit/messages", json=standard(demo.declaration(HOLDER, representative=REPRESENTATIVE)),
                      headers=AS_REPRESENTATIVE).json()["mrn"]
    decided = client.post("/api/transit/messages", json=invalidation(mrn, REPRESENTATIVE), headers=AS_REPRESENTATIVE)
    assert types(decided) == ["CC009C"] and decided.json()["answers"][0]["data"]["Invalidation"]["decision"] == "1"
    assert outbox(client, AS_HOLDER)[-1]["messageType"] == "CC009C"


def test_a_declaration_naming_a_representative_without_a_power_is_refused_and_leaves_nothing(world, client):
    before = client.get("/api/transit/movements", headers=AS_HOLDER).json()["movements"]
    answer = client.post("/api/transit/messages", json=demo.declaration(HOLDER, representative=STRANGER),
                         headers=AS_STRANGER)
    assert types(answer) == ["CC056C"]
    assert answer.json()["answers"][0]["errors"][0]["pointer"] == "/CC015C/Representative/identificationNumber"
    assert client.get("/api/transit/movements", headers=AS_HOLDER).json()["movements"] == before
    assert outbox(client, AS_HOLDER) == []  # the holder hears nothing of it; no movement in its name


def test_the_holder_may_not_name_a_representative_it_gave_no_power(world, client):
    answer = client.post("/api/transit/messages", json=demo.declaration(HOLDER, representative=STRANGER)
                         | {"messageSender": HOLDER}, headers=AS_HOLDER)
    assert types(answer) == ["CC056C"]
    assert answer.json()["answers"][0]["errors"][0]["code"] == "representative.no_power"


def test_a_power_without_guarantees_use_does_not_let_the_representative_name_the_holders_guarantee(world, client):
    companies.revoke_power(the_power().id)
    companies.grant_power(HOLDER, REPRESENTATIVE, ["transit.declare"], date(2026, 1, 1))
    answer = client.post("/api/transit/messages", json=demo.declaration(HOLDER, representative=REPRESENTATIVE),
                         headers=AS_REPRESENTATIVE)
    assert types(answer) == ["CC056C"]
    assert answer.json()["answers"][0]["errors"][0]["code"] == "representative.no_guarantee_power"


@pytest.mark.parametrize("lapse", ["revoked", "expired"])
def test_once_the_power_is_gone_the_representative_declares_and_invalidates_nothing(world, client, lapse):
    mrn = client.post("/api/transit/messages", json=standard(demo.declaration(HOLDER, representative=REPRESENTATIVE)),
                      headers=AS_REPRESENTATIVE).json()["mrn"]
    companies.revoke_power(the_power().id)
    if lapse == "expired":
        companies.grant_power(HOLDER, REPRESENTATIVE, ["transit.declare", "transit.invalidate", "guarantees.use"],
                              date(2025, 1, 1), date(2025, 12, 31))
    again = client.post("/api/transit/messages", json=demo.declaration(HOLDER, representative=REPRESENTATIVE),
                        headers=AS_REPRESENTATIVE)
    assert types(again) == ["CC056C"] and again.json()["answers"][0]["errors"][0]["code"] == "representative.no_power"
    refused = client.post("/api/transit/messages", json=invalidation(mrn, REPRESENTATIVE), headers=AS_REPRESENTATIVE)
    assert types(refused) == ["CC056C"]  # it lodged the movement, so it may see it; it may not act on it
    assert client.get(f"/api/transit/movements/{mrn}", headers=AS_HOLDER).json()["state"] == "awaiting_release"


def test_message_sender_may_be_the_callers_registered_representative_and_nobody_else(world, client):
    prepared_by_the_forwarder = demo.declaration(HOLDER) | {"messageSender": REPRESENTATIVE}
    assert types(client.post("/api/transit/messages", json=prepared_by_the_forwarder, headers=AS_HOLDER))[0] == "CC928C"
    someone_else = demo.declaration(HOLDER) | {"messageSender": STRANGER}
    refused = client.post("/api/transit/messages", json=someone_else, headers=AS_HOLDER)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "message.sender_not_caller"


def test_a_representative_no_longer_eori_registered_holds_no_power(world, client):
    companies.set_registration(REPRESENTATIVE, registered_import=False, registered_export=False)
    naming_it = demo.declaration(HOLDER, representative=REPRESENTATIVE) | {"messageSender": HOLDER}
    named = client.post("/api/transit/messages", json=naming_it, headers=AS_HOLDER)
    assert types(named) == ["CC056C"] and named.json()["answers"][0]["errors"][0]["code"] == "representative.no_power"
    prepared_by_it = demo.declaration(HOLDER) | {"messageSender": REPRESENTATIVE}
    refused = client.post("/api/transit/messages", json=prepared_by_it, headers=AS_HOLDER)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "message.sender_not_caller"
    companies.set_registration(REPRESENTATIVE, registered_import=True, registered_export=True)
    assert types(client.post("/api/transit/messages", json=prepared_by_it, headers=AS_HOLDER))[0] == "CC928C"


def test_powers_over_http_the_holder_grants_lists_and_revokes_and_nobody_else_may(world, client):
    body = {"representative_eori": STRANGER, "scopes": ["transit.declare"], "valid_from": "2026-01-01"}
    assert client.post(f"/api/companies/{HOLDER}/powers", json=body, headers=AS_STRANGER).status_code == 404
    granted = client.post(f"/api/companies/{HOLDER}/powers", json=body, headers=AS_HOLDER)
    assert granted.status_code == 201 and granted.json()["scopes"] == ["transit.declare"]
    held = client.get(f"/api/companies/{STRANGER}/powers", headers=AS_STRANGER).json()
    assert [(p["holder_eori"], p["representative_eori"]) for p in held] == [(HOLDER, STRANGER)]
    assert client.post(f"/api/companies/powers/{granted.json()['id']}/revoke", headers=AS_REPRESENTATIVE
                       ).status_code == 404  # another company's power is simply not there
    revoked = client.post(f"/api/companies/powers/{granted.json()['id']}/revoke", headers=AS_HOLDER)
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    bad = client.post(f"/api/companies/{HOLDER}/powers", headers=AS_HOLDER,
                      json=body | {"scopes": ["transit.everything"], "representative_eori": HOLDER})
    assert bad.status_code == 422 and {e["code"] for e in bad.json()["errors"]} == {"power.scopes", "power.self"}


def amendment_of(declaration: dict, mrn: str, sender: str) -> dict:
    amended = {k: v for k, v in declaration.items()}
    amended.update(messageType="CC013C", messageIdentification=uuid.uuid4().hex[:35], messageSender=sender)
    operation = {k: v for k, v in declaration["TransitOperation"].items() if k != "LRN"}
    amended["TransitOperation"] = {"MRN": mrn, **operation, "amendmentTypeFlag": "1"}
    return amended


def test_the_holder_amends_a_declaration_its_representative_lodged_and_both_hear_of_it(world, client):
    companies.revoke_power(the_power().id)
    companies.grant_power(HOLDER, REPRESENTATIVE, ["transit.declare", "guarantees.use"], date(2026, 1, 1))
    declaration = demo.declaration(HOLDER, representative=REPRESENTATIVE)
    code = declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"]
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZ99" if code != "ZZ99" else "ZZ98"
    lodged = client.post("/api/transit/messages", json=declaration, headers=AS_REPRESENTATIVE)
    assert types(lodged)[-1] == "CC055C"
    mrn = lodged.json()["mrn"]
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = code
    by_the_representative = client.post("/api/transit/messages", json=amendment_of(declaration, mrn, REPRESENTATIVE),
                                        headers=AS_REPRESENTATIVE)
    assert types(by_the_representative) == ["CC056C"]  # its power does not cover amending
    amended = client.post("/api/transit/messages", json=amendment_of(declaration, mrn, HOLDER), headers=AS_HOLDER)
    assert types(amended) == ["CC004C", "CC029C"]
    assert outbox(client, AS_REPRESENTATIVE)[-1]["messageType"] == "CC029C"
    declaration["Representative"] = {"identificationNumber": STRANGER, "status": "2"}
    another = client.post("/api/transit/messages", json=amendment_of(declaration, mrn, HOLDER), headers=AS_HOLDER)
    assert types(another) == ["CC056C"]
    assert "representative.no_power" in {e["code"] for e in another.json()["answers"][0]["errors"]}


def test_anothers_powers_are_answered_as_an_unknown_company(world, client):
    theirs = client.get(f"/api/v1/companies/{HOLDER}/powers", headers=AS_STRANGER)
    unknown = client.get("/api/v1/companies/DK99999999/powers", headers=AS_STRANGER)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["errors"][0]["code"] == unknown.json()["errors"][0]["code"] == "company.unknown"


def test_message_sender_in_the_danish_dms_form_names_the_company_by_its_cvr(world, client):
    as_dms_writes_it = demo.declaration(REPRESENTATIVE) | {"messageSender": "17840744:" + REPRESENTATIVE[2:]}
    assert types(client.post("/api/transit/messages", json=as_dms_writes_it, headers=AS_REPRESENTATIVE))[0] == "CC928C"
    another_cvr = demo.declaration(REPRESENTATIVE) | {"messageSender": "17840744:" + STRANGER[2:]}
    refused = client.post("/api/transit/messages", json=another_cvr, headers=AS_REPRESENTATIVE)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "message.sender_not_caller"
