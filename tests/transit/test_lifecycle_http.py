"""A movement's whole life over HTTP: declared, MRN allocated, guarantee reserved, released,
arrived, unloaded, written off — and every rejection path on the way (SPEC T, seed 003)."""

from __future__ import annotations

import copy
import json
import uuid

import pytest
from lxml import etree
from sqlalchemy import select

from tests.transit.phase5_flows import FORWARDER, HAMBURG, IMPORTER, OFFICER, world  # noqa: F401 — the fixture
from toldsystem import db, demo
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import store as transit_store
from toldsystem.transit.example import example_arrival
from toldsystem.transit.messages import parse_message, render


def comprehensive(world) -> dict:
    return world["1:DK13585628"]


def send_xml(client, headers, data: dict):
    return client.post("/api/transit/messages", content=render(data["messageType"], data),
                       headers=headers | {"Content-Type": "application/xml", "Accept": "application/json"})


def send_json(client, headers, data: dict):
    return client.post("/api/transit/messages", json=data, headers=headers)


def types(answer) -> list[str]:
    return [a["messageType"] for a in answer.json()["answers"]]


def new_id(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["messageIdentification"] = uuid.uuid4().hex[:35]
    return data


def assert_every_answer_validates(client, headers, mrn: str) -> None:
    for message in client.get(f"/api/transit/movements/{mrn}/messages", headers=headers).json():
        xml = client.get(message["links"]["xml"], headers=headers).content
        parsed = parse_message(xml)
        assert not isinstance(parsed, list), (message["messageType"], parsed)


def test_multi_item_declaration_from_intake_to_write_off(world, client):
    grn = comprehensive(world)["grn"]
    declaration = demo.declaration("DK13585628", items=5)
    answer = send_xml(client, FORWARDER, declaration)
    assert answer.status_code == 200, answer.text
    assert types(answer) == ["CC928C", "CC028C", "CC029C"]
    mrn = answer.json()["mrn"]
    assert answer.headers["Location"] == f"/api/transit/movements/{mrn}"
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "released"
    assert guarantees.get(grn).open_amount == 1000

    arrival = send_json(client, HAMBURG, example_arrival(mrn, "DE123456789012345"))
    assert types(arrival) == ["CC043C"]
    assert guarantees.get(grn).open_amount == 0  # arrival frees the amount for reuse (seed 003)

    remarks = {"messageSender": "DE123456789012345", "messageRecipient": "NTA.DK",
               "preparationDateAndTime": "2026-11-23T12:00:00", "messageIdentification": uuid.uuid4().hex[:35],
               "messageType": "CC044C", "TransitOperation": {"MRN": mrn},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": "DE123456789012345"},
               "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23",
                                   "stateOfSeals": "1"}}
    closed = send_xml(client, HAMBURG, remarks)
    assert types(closed) == ["CC025C"]  # the holder's CC045C goes to the holder's outbox
    movement = client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()
    assert movement["state"] == "closed"
    outbox = client.get("/api/transit/outbox", headers=FORWARDER).json()["messages"]
    assert [m["messageType"] for m in outbox][-1] == "CC045C"
    assert [r.state for r in guarantees.reservations(mrn)] == ["discharged"]
    assert guarantees.ledger_balance(grn) == guarantees.get(grn).open_amount == 0

    trail = [e["event"] for e in client.get(f"/api/transit/movements/{mrn}/events", headers=FORWARDER).json()]
    assert trail == ["declared", "released", "arrived", "unloading_permitted", "control_result_conform"]
    assert_every_answer_validates(client, OFFICER, mrn)


def test_schema_error_is_answered_with_cc917c_and_nothing_is_created(world, client):
    bad = render("CC015C", demo.declaration()).replace(b"<grossMass>", b"<grossMasss>", 1)
    answer = client.post("/api/transit/messages", content=bad,
                         headers=FORWARDER | {"Content-Type": "application/xml"})
    assert answer.status_code == 400
    root = etree.fromstring(answer.content)
    assert root.tag.endswith("CC917C")
    assert "grossMass" in root.findtext(".//errorPointer") or "grossMass" in root.findtext(".//errorText")
    lines = bad.decode().splitlines()  # the line of the offending element in what was sent
    assert root.findtext(".//errorLineNumber") == str(lines.index(next(x for x in lines if "<grossMasss>" in x)) + 1)
    assert client.get("/api/transit/movements", headers=FORWARDER).json()["movements"] == []


def test_business_rule_error_is_answered_with_cc056c_pointing_at_the_element(world, client):
    declaration = demo.declaration()
    item = declaration["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]
    item["Packaging"][0]["typeOfPackages"] = "VL"  # bulk with a number of packages (box 31)
    answer = send_json(client, FORWARDER, declaration)
    assert types(answer) == ["CC056C"]
    errors = answer.json()["answers"][0]["errors"]
    pointer = "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[2]/Packaging[1]/numberOfPackages"
    assert any(e["pointer"] == pointer and e["message"] and e["message_da"] for e in errors)
    functional = answer.json()["answers"][0]["data"]["FunctionalError"]
    assert any(f["errorPointer"] == pointer for f in functional)
    assert client.get("/api/transit/movements", headers=FORWARDER).json()["movements"] == []


def test_declaring_for_another_holder_is_rejected(world, client):
    declaration = demo.declaration("DK13585628") | {"messageSender": "DK12345674"}
    answer = send_json(client, IMPORTER, declaration)
    assert types(answer) == ["CC056C"]
    assert answer.json()["answers"][0]["errors"][0]["pointer"].endswith("HolderOfTheTransitProcedure/identificationNumber")


def test_a_message_sent_in_another_companys_name_is_refused_before_anything_else(world, client):
    answer = send_json(client, IMPORTER, demo.declaration("DK13585628"))  # messageSender is the forwarder
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["pointer"] == "/CC015C/messageSender"
    assert client.get("/api/transit/outbox", headers=IMPORTER).json()["messages"] == []


def test_duplicate_lrn_is_rejected_and_never_a_second_movement(world, client):
    declaration = demo.declaration()
    assert types(send_json(client, FORWARDER, declaration)) == ["CC928C", "CC028C", "CC029C"]
    again = send_json(client, FORWARDER, new_id(declaration))
    assert types(again) == ["CC056C"]
    assert again.json()["answers"][0]["errors"][0]["pointer"] == "/CC015C/TransitOperation/LRN"
    assert len(client.get("/api/transit/movements", headers=FORWARDER).json()["movements"]) == 1


def test_c0250_a_consignor_named_by_a_registered_eori_needs_no_name_or_address(world, client):
    declaration = demo.declaration()
    declaration["Consignment"]["Consignor"] = {"identificationNumber": "DK20406089"}
    assert types(send_json(client, FORWARDER, declaration)) == ["CC928C", "CC028C", "CC029C"]
    declaration = demo.declaration()
    declaration["Consignment"]["Consignor"] = {"identificationNumber": "DK99999991"}  # not in the register
    refused = send_json(client, FORWARDER, declaration)
    assert types(refused) == ["CC056C"]
    assert [e["pointer"] for e in refused.json()["answers"][0]["errors"]] == [
        "/CC015C/Consignment/Consignor/name", "/CC015C/Consignment/Consignor/Address"]


def test_an_amount_with_trailing_zeros_is_reserved_as_its_value(world, client):
    declaration = demo.declaration()
    declaration["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "1000.0000"
    assert types(send_json(client, FORWARDER, declaration)) == ["CC928C", "CC028C", "CC029C"]
    assert guarantees.get(comprehensive(world)["grn"]).open_amount == 1000


def test_same_message_twice_gets_the_same_answer_and_one_movement(world, client):
    declaration = demo.declaration()
    first = send_xml(client, FORWARDER, declaration)
    second = send_xml(client, FORWARDER, declaration)
    assert second.headers.get("X-Told-Replay") == "true"
    assert [a["id"] for a in first.json()["answers"]] == [a["id"] for a in second.json()["answers"]]
    assert len(client.get("/api/transit/movements", headers=FORWARDER).json()["movements"]) == 1
    assert guarantees.get(comprehensive(world)["grn"]).open_amount == 1000


def test_message_identification_reused_for_another_message_is_refused(world, client):
    declaration = demo.declaration()
    send_json(client, FORWARDER, declaration)
    other = copy.deepcopy(declaration)
    other["TransitOperation"]["LRN"] = "OTHERLRN1"
    answer = send_json(client, FORWARDER, other)
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["pointer"] == "/messageIdentification"


def test_guarantee_not_valid_then_amended_and_released(world, client):
    declaration = demo.declaration()
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "XXXX"
    answer = send_json(client, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C", "CC055C"]
    mrn = answer.json()["mrn"]
    reasons = answer.json()["answers"][2]["data"]["GuaranteeReference"][0]["InvalidGuaranteeReason"]
    assert [r["code"] for r in reasons] == ["G01"]  # CL252: one answer for an unknown GRN and a wrong code
    assert guarantees.reservations(mrn) == []

    amendment = {k: v for k, v in copy.deepcopy(declaration).items() if k != "Authorisation"}
    amendment.update(messageType="CC013C", messageIdentification=uuid.uuid4().hex[:35])
    amendment["TransitOperation"] = {**amendment["TransitOperation"], "MRN": mrn, "amendmentTypeFlag": "1"}
    del amendment["TransitOperation"]["LRN"]
    amendment["Authorisation"] = declaration["Authorisation"]
    amendment["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = comprehensive(world)["access_code"]
    amended = send_json(client, FORWARDER, amendment)
    assert types(amended) == ["CC004C", "CC029C"], amended.text
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "released"


def test_movement_not_released_when_guarantee_stays_invalid(world, client):
    declaration = demo.declaration()
    declaration["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "999999.00"
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    refused = client.post(f"/api/transit/movements/{mrn}/no-release", json={"text": "Ingen gyldig sikkerhed"},
                          headers=OFFICER)
    assert [a["messageType"] for a in refused.json()["answers"]] == ["CC051C"]
    assert client.get(f"/api/transit/movements/{mrn}", headers=OFFICER).json()["state"] == "not_released"


def standard_declaration(world) -> dict:
    """The standard procedure: no authorised-consignor authorisation, no time limit (box D is customs')."""
    declaration = demo.declaration()
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    return declaration


def test_standard_procedure_waits_for_the_office_which_may_control_first(world, client):
    answer = send_json(client, FORWARDER, standard_declaration(world))
    assert types(answer) == ["CC928C", "CC028C"]
    mrn = answer.json()["mrn"]
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "awaiting_release"
    assert client.post(f"/api/transit/movements/{mrn}/release", headers=FORWARDER).status_code == 403
    control = client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"]}, headers=OFFICER)
    assert [a["messageType"] for a in control.json()["answers"]] == ["CC060C"]
    release = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert [a["messageType"] for a in release.json()["answers"]] == ["CC029C"]
    assert client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER).status_code == 409
    assert_every_answer_validates(client, OFFICER, mrn)


def test_invalidation_before_release_frees_the_guarantee(world, client):
    answer = send_json(client, FORWARDER, standard_declaration(world))
    mrn, lrn = answer.json()["mrn"], answer.json()["answers"][0]["data"]["TransitOperation"]["LRN"]
    assert guarantees.get(comprehensive(world)["grn"]).open_amount == 1000
    request = {"messageSender": "DK13585628", "messageRecipient": "NTA.DK",
               "preparationDateAndTime": "2026-11-23T10:00:00", "messageIdentification": uuid.uuid4().hex[:35],
               "messageType": "CC014C", "TransitOperation": {"LRN": lrn},
               "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                                "justification": "Kunden har annulleret"},
               "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
               "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628"}}
    decided = send_xml(client, FORWARDER, request)
    assert types(decided) == ["CC009C"]
    assert decided.json()["answers"][0]["data"]["Invalidation"]["decision"] == "1"
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "invalidated"
    assert guarantees.get(comprehensive(world)["grn"]).open_amount == 0


def test_invalidation_after_release_is_refused_out_of_sequence(world, client):
    answer = send_json(client, FORWARDER, demo.declaration())
    mrn = answer.json()["mrn"]
    request = {"messageSender": "DK13585628", "messageRecipient": "NTA.DK",
               "preparationDateAndTime": "2026-11-23T10:00:00", "messageIdentification": uuid.uuid4().hex[:35],
               "messageType": "CC014C", "TransitOperation": {"MRN": mrn},
               "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                                "justification": "Forkert bestemmelsestoldsted"},
               "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
               "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628"}}
    decided = send_json(client, FORWARDER, request)
    assert types(decided) == ["CC056C"]
    assert decided.json()["answers"][0]["data"]["FunctionalError"][0]["errorCode"] == "92"
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "released"


def test_arrival_by_someone_else_than_the_trader_at_destination_is_rejected(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    arrival = example_arrival(mrn, "DE123456789012345") | {"messageSender": "DK12345674"}
    answer = send_json(client, IMPORTER, arrival)
    assert types(answer) == ["CC906C"]  # as for an unknown MRN: the importer may not see the movement
    assert client.get(f"/api/transit/movements/{mrn}", headers=OFFICER).json()["state"] == "released"


def test_a_company_sees_only_its_own_movements(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert client.get(f"/api/transit/movements/{mrn}", headers=IMPORTER).status_code == 404
    assert client.get("/api/transit/movements", headers=IMPORTER).json()["movements"] == []
    assert client.get("/api/transit/outbox", headers=IMPORTER).json()["messages"] == []
    assert client.get(f"/api/transit/movements/{mrn}", headers=OFFICER).status_code == 200


def test_movements_are_listable_with_filters_and_paging(world, client):
    sent = [send_json(client, FORWARDER, demo.declaration()).json() for _ in range(3)]
    page = client.get("/api/transit/movements", params={"page_size": 2}, headers=FORWARDER).json()
    assert len(page["movements"]) == 2 and page["has_more"]
    second = client.get("/api/transit/movements", params={"page_size": 2, "page": 2}, headers=FORWARDER).json()
    assert len(second["movements"]) == 1 and not second["has_more"]
    mrn = sent[1]["mrn"]
    assert [m["mrn"] for m in client.get("/api/transit/movements", params={"mrn": mrn},
                                         headers=FORWARDER).json()["movements"]] == [mrn]
    lrn = sent[2]["answers"][0]["data"]["TransitOperation"]["LRN"]
    assert [m["lrn"] for m in client.get("/api/transit/movements", params={"lrn": lrn},
                                         headers=FORWARDER).json()["movements"]] == [lrn]


def test_outbox_gives_all_answers_since_a_message(world, client):
    send_json(client, FORWARDER, demo.declaration())
    everything = client.get("/api/transit/outbox", headers=FORWARDER).json()
    assert [m["messageType"] for m in everything["messages"]] == ["CC928C", "CC028C", "CC029C"]
    newer = client.get("/api/transit/outbox", params={"since": everything["messages"][0]["id"]},
                       headers=FORWARDER).json()
    assert [m["messageType"] for m in newer["messages"]] == ["CC028C", "CC029C"]


def test_access_code_never_appears_in_answers_or_the_stored_declaration(world, client):
    code = comprehensive(world)["access_code"]
    answer = send_json(client, FORWARDER, demo.declaration())
    mrn = answer.json()["mrn"]
    release_xml = client.get(answer.json()["answers"][2]["links"]["xml"], headers=FORWARDER).text
    assert f"<accessCode>{code}</accessCode>" not in release_xml
    assert code not in json.dumps(client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json())


def test_transit_accompanying_document_is_a_pdf_once_released(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration(items=3)).json()["mrn"]
    pdf = client.get(f"/api/transit/movements/{mrn}/tad.pdf", headers=FORWARDER)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    waiting = send_json(client, FORWARDER, standard_declaration(world)).json()["mrn"]
    assert client.get(f"/api/transit/movements/{waiting}/tad.pdf", headers=FORWARDER).status_code == 409


def test_access_codes_are_never_kept_in_the_message_log_or_the_movement(world, client):
    right = comprehensive(world)["access_code"]
    send_xml(client, FORWARDER, demo.declaration())
    wrong = demo.declaration()
    wrong["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZZ9"
    assert types(send_json(client, FORWARDER, wrong))[-1] == "CC055C"
    malformed = demo.declaration()
    malformed["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "Q!"
    send_json(client, FORWARDER, malformed)  # schema or rule error: the value is not echoed back either
    with db.reading() as conn:
        kept = [str(value) for table in (transit_store.messages, transit_store.movements,
                                         transit_store.intake_keys, transit_store.movement_events)
                for row in conn.execute(select(table)) for value in row]
    for secret in (right, "ZZZ9", "Q!"):
        assert not any(secret in value for value in kept), secret
    # An error may point at the element by name; the element itself and its value are never kept.
    assert not any("<accessCode>" in value or '"accessCode":' in value for value in kept)


def test_times_are_aware_utc_on_every_database(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    movement = client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()
    events = client.get(f"/api/transit/movements/{mrn}/events", headers=FORWARDER).json()
    for stamp in (movement["submitted_at"], movement["updated_at"], events[0]["at"]):
        assert stamp.endswith(("+00:00", "Z")), stamp


def test_message_for_an_unknown_movement_gets_a_functional_nack(world, client):
    answer = send_json(client, HAMBURG, example_arrival("26DK009264000999J6", "DE123456789012345"))
    assert types(answer) == ["CC906C"]
    error = answer.json()["answers"][0]["data"]["FunctionalError"][0]
    assert error["errorPointer"] == "/CC007C/TransitOperation/MRN" and error["errorCode"] == "90"


def test_amendment_of_another_holders_movement_gets_a_functional_nack(world, client):
    declaration = demo.declaration()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    amendment = {k: v for k, v in copy.deepcopy(declaration).items()}
    amendment.update(messageType="CC013C", messageIdentification=uuid.uuid4().hex[:35], messageSender="DK12345674")
    amendment["TransitOperation"] = {**amendment["TransitOperation"], "MRN": mrn, "amendmentTypeFlag": "0"}
    del amendment["TransitOperation"]["LRN"]
    answer = send_json(client, IMPORTER, amendment)
    assert types(answer) == ["CC906C"]
    assert client.get(f"/api/transit/movements/{mrn}", headers=FORWARDER).json()["state"] == "released"
