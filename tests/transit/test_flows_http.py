"""The official phase 5 flows over HTTP beyond the plain lifecycle (TIS process flows): amendments
accepted with CC004C (and the guarantee kept when it stands), pre-lodged declarations presented with
CC170C, the office of destination's CC057C, incidents on the way (seed 003 boxes 55/56, CC182C), the
office's decision on unloading remarks (CC019C, CC035C), box D and seals at release, invalidation by
customs, notification to amend (CC022C). Every answer sent validates against its schema."""

from __future__ import annotations

import copy
import uuid
from datetime import date, timedelta

import pytest
from lxml import etree
from sqlalchemy import select

from toldsystem import db, demo
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import service as transit_service
from toldsystem.transit import store as transit_store
from toldsystem.transit.example import example_arrival
from toldsystem.transit.messages import render
from toldsystem.transit.messages.schemas import compiled_schema

FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}
IMPORTER = {"Authorization": "Bearer told_demo_importer"}
HAMBURG = {"Authorization": "Bearer told_demo_hamburg"}
OFFICER = {"Authorization": "Bearer told_demo_officer"}
HOLDER = "DK13585628"
TRADER = "DE123456789012345"


@pytest.fixture
def world(store):
    """The demo data; afterwards every message sent, to anyone, validates against our schema of its type."""
    demo.load()
    yield {g["type"][0] + ":" + g["holder_eori"]: g for g in demo.demo_guarantees()}
    with db.reading() as conn:
        sent = conn.execute(select(transit_store.messages.c.id)
                            .where(transit_store.messages.c.direction == "out")).scalars().all()
    officer = Party(kind="officer", name="schema check")
    for message_id in sent:
        message = transit_service.message(officer, message_id)
        assert_valid(message.message_type, message.xml.encode("utf-8"))


def assert_valid(message_type: str, xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    schema = compiled_schema(message_type)
    assert schema.validate(root.getroottree()), (message_type, [e.message for e in schema.error_log])
    return root


def grn(world) -> str:
    return world["1:" + HOLDER]["grn"]


def send_json(client, headers, data: dict):
    return client.post("/api/transit/messages", json=data, headers=headers)


def send_xml(client, headers, data: dict):
    return client.post("/api/transit/messages", content=render(data["messageType"], data),
                       headers=headers | {"Content-Type": "application/xml", "Accept": "application/json"})


def types(response) -> list[str]:
    assert response.status_code in (200, 400), response.text
    return [a["messageType"] for a in response.json()["answers"]]


def xml_of(client, answer: dict, headers=OFFICER) -> etree._Element:
    """An answer's XML as the API serves it, checked against its schema."""
    return assert_valid(answer["messageType"], client.get(answer["links"]["xml"], headers=headers).content)


def state(client, mrn: str) -> str:
    return client.get(f"/api/transit/movements/{mrn}", headers=OFFICER).json()["state"]


def events(client, mrn: str) -> list[dict]:
    return client.get(f"/api/transit/movements/{mrn}/events", headers=FORWARDER).json()


def outbox_types(client, headers) -> list[str]:
    return [m["messageType"] for m in client.get("/api/transit/outbox", headers=headers).json()["messages"]]


def standard() -> dict:
    """The standard procedure: no authorised-consignor authorisation, no time limit (box D is customs')."""
    declaration = demo.declaration()
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    return declaration


def amendment(declaration: dict, reference: dict) -> dict:
    amended = copy.deepcopy(declaration)
    amended.update(messageType="CC013C", messageIdentification=uuid.uuid4().hex[:35])
    operation = {k: v for k, v in amended["TransitOperation"].items() if k != "LRN"}
    amended["TransitOperation"] = {**reference, **operation, "amendmentTypeFlag": "1"}
    return amended


def header(message_type: str, sender: str) -> dict:
    return {"messageSender": sender, "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T10:00:00",
            "messageIdentification": uuid.uuid4().hex[:35], "messageType": message_type}


def invalidation_request(reference: dict) -> dict:
    return header("CC014C", HOLDER) | {
        "TransitOperation": reference,
        "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                         "justification": "Kunden har annulleret ordren"},
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER}}


def remarks(mrn: str, **remark) -> dict:
    found = {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23", "stateOfSeals": "1"} | remark
    return header("CC044C", TRADER) | {
        "TransitOperation": {"MRN": mrn}, "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004058"},
        "TraderAtDestination": {"identificationNumber": TRADER}, "UnloadingRemark": found}


def released_and_unloading(client) -> str:
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER))) == ["CC043C"]
    return mrn


# --- CC013C: the bug, and CC004C -----------------------------------------------------------------

def test_amendment_with_the_same_valid_guarantee_keeps_its_reservation_and_is_accepted(world, client):
    declaration = standard()
    answer = send_json(client, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C"]
    mrn = answer.json()["mrn"]
    assert guarantees.get(grn(world)).open_amount == 1000

    corrected = amendment(declaration, {"MRN": mrn})
    corrected["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Commodity"]["descriptionOfGoods"] = \
        "Bærbare computere, 14 tommer"
    accepted = send_xml(client, FORWARDER, corrected)
    assert types(accepted) == ["CC004C"], accepted.text  # was CC055C "reservation … was freed"
    acceptance = xml_of(client, accepted.json()["answers"][0])
    assert acceptance.findtext("TransitOperation/MRN") == mrn
    assert acceptance.findtext("TransitOperation/amendmentAcceptanceDateAndTime")
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1000  # still held once, not freed nor held twice
    assert [r.state for r in guarantees.reservations(mrn)] == ["reserved"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Commodity"][
        "descriptionOfGoods"] == "Bærbare computere, 14 tommer"
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]


def test_amendment_with_another_amount_frees_the_old_and_reserves_the_new(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    raised = amendment(declaration, {"MRN": mrn})
    raised["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "1500.00"
    assert types(send_json(client, FORWARDER, raised)) == ["CC004C"]
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1500
    assert guarantees.ledger_balance(grn(world)) == 1500
    client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER, simplified=False))) == []
    assert guarantees.get(grn(world)).open_amount == 0  # arrival frees what the amendment reserved


def test_amendment_after_a_guarantee_not_valid_is_accepted_then_released(world, client):
    declaration = demo.declaration()
    right = declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"]
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "XXXX"
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    fixed = amendment(declaration, {"MRN": mrn})
    fixed["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = right
    assert types(send_json(client, FORWARDER, fixed)) == ["CC004C", "CC029C"]
    assert state(client, mrn) == "released"


def test_amendment_with_a_withdrawn_access_code_answers_cc055c_and_holds_nothing(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    wrong = amendment(declaration, {"MRN": mrn})
    wrong["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZZ9"
    assert types(send_json(client, FORWARDER, wrong)) == ["CC004C", "CC055C"]
    assert state(client, mrn) == "guarantee_invalid"
    assert guarantees.get(grn(world)).open_amount == 0


# --- pre-lodged declarations (additionalDeclarationType D) and CC170C ----------------------------

def pre_lodged(declaration: dict) -> dict:
    declaration["TransitOperation"]["additionalDeclarationType"] = "D"
    return declaration


def presentation(lrn: str, office: str = "DK009264") -> dict:
    return header("CC170C", HOLDER) | {
        "TransitOperation": {"LRN": lrn},
        "CustomsOfficeOfDeparture": {"referenceNumber": office},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER},
        "Consignment": {
            "containerIndicator": "1", "inlandModeOfTransport": "3",
            "LocationOfGoods": {"typeOfLocation": "A", "qualifierOfIdentification": "Z",
                                "Address": {"streetAndNumber": "Industrivej  12, port 3", "postcode": "6330",
                                            "city": "Padborg", "country": "DK"}},
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "CD 98 765", "nationality": "DK"}],
            "HouseConsignment": [{"sequenceNumber": "1"}]}}


def by_lrn(client, lrn: str) -> dict:
    (found,) = client.get("/api/transit/movements", params={"lrn": lrn}, headers=FORWARDER).json()["movements"]
    return found


def test_pre_lodged_declaration_waits_for_presentation_before_mrn_guarantee_and_release(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    lodged = send_json(client, FORWARDER, declaration)
    assert types(lodged) == ["CC928C"]
    assert lodged.json()["mrn"] is None and "Location" not in lodged.headers
    assert by_lrn(client, lrn)["state"] == "pre_lodged" and by_lrn(client, lrn)["mrn"] is None
    assert guarantees.get(grn(world)).open_amount == 0  # the guarantee is checked at presentation

    presented = send_xml(client, FORWARDER, presentation(lrn))
    assert types(presented) == ["CC028C"], presented.text
    mrn = presented.json()["mrn"]
    assert xml_of(client, presented.json()["answers"][0]).findtext("TransitOperation/MRN") == mrn
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1000  # checked with the kept proof of the access code
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["DepartureTransportMeans"][0]["identificationNumber"] == "CD 98 765"
    assert declared["Consignment"]["LocationOfGoods"]["typeOfLocation"] == "A"
    release = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert types(release) == ["CC029C"]
    assert xml_of(client, release.json()["answers"][0]).findtext("TransitOperation/additionalDeclarationType") == "D"
    assert [e["event"] for e in events(client, mrn)] == ["pre_lodged", "presented", "guarantee_accepted", "released"]


def test_pre_lodged_by_an_authorised_consignor_is_released_on_presentation(world, client):
    declaration = pre_lodged(demo.declaration())
    send_json(client, FORWARDER, declaration)
    assert types(send_json(client, FORWARDER, presentation(declaration["TransitOperation"]["LRN"]))) == [
        "CC028C", "CC029C"]


def test_presentation_with_an_access_code_withdrawn_meanwhile_answers_cc055c(world, client):
    declaration = pre_lodged(standard())
    send_json(client, FORWARDER, declaration)
    code_id = next(c.id for c in guarantees.access_codes(HOLDER, grn(world)))
    guarantees.revoke_access_code(HOLDER, grn(world), code_id)
    assert types(send_json(client, FORWARDER, presentation(declaration["TransitOperation"]["LRN"]))) == [
        "CC028C", "CC055C"]
    assert guarantees.get(grn(world)).open_amount == 0


def test_presentation_of_a_type_a_declaration_twice_or_elsewhere_is_refused(world, client):
    declared_a = standard()
    mrn = send_json(client, FORWARDER, declared_a).json()["mrn"]
    refused = send_json(client, FORWARDER, presentation(declared_a["TransitOperation"]["LRN"]))
    assert types(refused) == ["CC056C"]
    rejection = xml_of(client, refused.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "170"
    assert rejection.findtext("FunctionalError/errorPointer") == "/CC170C/TransitOperation/LRN"
    assert state(client, mrn) == "awaiting_release"

    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    elsewhere = send_json(client, FORWARDER, presentation(lrn, office="DK009761"))
    assert types(elsewhere) == ["CC056C"]
    assert elsewhere.json()["answers"][0]["errors"][0]["pointer"] == "/CC170C/CustomsOfficeOfDeparture/referenceNumber"
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC028C"]
    again = send_json(client, FORWARDER, presentation(lrn))
    assert types(again) == ["CC056C"]
    assert xml_of(client, again.json()["answers"][0]).findtext("FunctionalError/errorCode") == "92"


def test_pre_lodged_declaration_corrected_and_cancelled_before_presentation(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    correction = amendment(declaration, {"LRN": lrn})
    correction["Consignment"]["grossMass"] = "1655.5"
    correction["Consignment"]["HouseConsignment"][0]["grossMass"] = "1655.5"
    accepted = send_json(client, FORWARDER, correction)
    assert types(accepted) == ["CC004C"], accepted.text
    acceptance = xml_of(client, accepted.json()["answers"][0])
    assert acceptance.findtext("TransitOperation/LRN") == lrn and acceptance.find("TransitOperation/MRN") is None
    assert by_lrn(client, lrn)["state"] == "pre_lodged"

    cancelled = send_xml(client, FORWARDER, invalidation_request({"LRN": lrn}))
    assert types(cancelled) == ["CC009C"]
    assert xml_of(client, cancelled.json()["answers"][0]).findtext("Invalidation/decision") == "1"
    assert by_lrn(client, lrn)["state"] == "invalidated"
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC056C"]


def test_goods_not_presented_within_30_days_end_the_pre_lodged_declaration(world, client, fixed_clock):
    late, later = pre_lodged(standard()), pre_lodged(standard())
    send_json(client, FORWARDER, late)
    fixed_clock.advance(days=20)
    send_json(client, FORWARDER, later)
    fixed_clock.advance(days=11)  # 31 days after the first, 11 after the second
    refused = send_json(client, FORWARDER, presentation(late["TransitOperation"]["LRN"]))
    assert types(refused) == ["CC056C"]
    assert refused.json()["answers"][0]["errors"][0]["code"] == "presentation.time_limit_expired"
    assert client.post("/api/transit/pre-lodged/expire", headers=FORWARDER).status_code == 403
    ended = client.post("/api/transit/pre-lodged/expire", headers=OFFICER)
    assert types(ended) == ["CC056C"] and ended.json()["answers"][0]["party"] == HOLDER
    assert xml_of(client, ended.json()["answers"][0]).findtext("TransitOperation/LRN") == late["TransitOperation"]["LRN"]
    assert by_lrn(client, late["TransitOperation"]["LRN"])["state"] == "not_presented"
    assert by_lrn(client, later["TransitOperation"]["LRN"])["state"] == "pre_lodged"
    assert types(client.post("/api/transit/pre-lodged/expire", headers=OFFICER)) == []
    assert types(send_json(client, FORWARDER, presentation(later["TransitOperation"]["LRN"]))) == ["CC028C"]


def test_access_codes_of_a_pre_lodged_declaration_are_kept_only_as_proofs(world, client):
    declaration = pre_lodged(standard())
    send_xml(client, FORWARDER, declaration)
    code = world["1:" + HOLDER]["access_code"]
    with db.reading() as conn:
        kept = [str(v) for table in (transit_store.messages, transit_store.movements, transit_store.movement_events)
                for row in conn.execute(select(table)) for v in row]
    assert not any(f"<accessCode>{code}</accessCode>" in v or f'"accessCode": "{code}"' in v for v in kept)


# --- the office of destination answers CC057C ----------------------------------------------------

def test_arrival_refused_by_the_office_of_destination_gets_cc057c(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]  # not released yet
    early = send_json(client, HAMBURG, example_arrival(mrn, TRADER))
    assert types(early) == ["CC057C"]
    rejection = xml_of(client, early.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "007"
    assert rejection.findtext("CustomsOfficeOfDestinationActual/referenceNumber") == "DE004058"
    assert rejection.findtext("FunctionalError/errorCode") == "92"
    client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert types(send_json(client, IMPORTER, example_arrival(mrn, TRADER))) == ["CC057C"]
    assert state(client, mrn) == "released"


def test_unloading_remarks_out_of_sequence_get_cc057c(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    refused = send_json(client, HAMBURG, remarks(mrn))
    assert types(refused) == ["CC057C"]
    assert xml_of(client, refused.json()["answers"][0]).findtext("TransitOperation/businessRejectionType") == "044"
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER))) == ["CC043C"]
    unstated = remarks(mrn)
    del unstated["UnloadingRemark"]["stateOfSeals"]  # the container was sealed (DK0001, DK0002)
    refused = send_xml(client, HAMBURG, unstated)
    assert types(refused) == ["CC057C"]
    assert refused.json()["answers"][0]["errors"][0]["pointer"] == "/CC044C/UnloadingRemark/stateOfSeals"
    assert state(client, mrn) == "unloading"
    assert types(send_json(client, HAMBURG, remarks(mrn))) == ["CC025C"]


# --- incidents on the way (seed 003 boxes 55 and 56) ---------------------------------------------

TRANSHIPMENT = {"sequenceNumber": "1", "code": "3", "text": "Omladet til ny lastbil efter motorstop ved Kolding",
                "Endorsement": {"date": "2026-11-23", "authority": "Toldstyrelsen Kolding", "place": "Kolding",
                                "country": "DK"},
                "Location": {"qualifierOfIdentification": "W", "country": "DK",
                             "GNSS": {"latitude": "55.49041", "longitude": "9.47216"}},
                "Transhipment": {"containerIndicator": "1",
                                 "TransportMeans": {"typeOfIdentification": "30", "identificationNumber": "CD 98 765",
                                                    "nationality": "DK"}},
                "TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565",
                                        "numberOfSeals": "1",
                                        "Seal": [{"sequenceNumber": "1", "identifier": "DK 0003 KOLDING"}]}]}
TRACTOR_CHANGED = {"sequenceNumber": "2", "code": "6", "text": "Kun trækkeren udskiftet; trailer og segl uændret",
                   "Location": {"qualifierOfIdentification": "Z", "country": "DE",
                                "Address": {"streetAndNumber": "Autohof Flensburg, Am Sophienhof 1",
                                            "postcode": "24941", "city": "Flensburg"}},
                   "Transhipment": {"containerIndicator": "1",
                                    "TransportMeans": {"typeOfIdentification": "30",
                                                       "identificationNumber": "HH AB 1234", "nationality": "DE"}}}


def arrival_with(mrn: str, *incidents: dict) -> dict:
    arrival = example_arrival(mrn, TRADER)
    arrival["TransitOperation"]["incidentFlag"] = "1"
    arrival["Consignment"]["Incident"] = [copy.deepcopy(i) for i in incidents]
    return arrival


def test_arrival_with_a_transhipment_and_a_change_of_tractor_records_both(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    arrived = send_xml(client, HAMBURG, arrival_with(mrn, TRANSHIPMENT, TRACTOR_CHANGED))
    assert types(arrived) == ["CC043C"], arrived.text
    recorded = [e for e in events(client, mrn) if e["event"] == "incident_reported"]
    assert [e["detail"]["code"] for e in recorded] == ["3", "6"]
    assert recorded[0]["detail"]["Endorsement"]["authority"] == "Toldstyrelsen Kolding"
    assert recorded[1]["detail"]["Transhipment"]["TransportMeans"] == {
        "typeOfIdentification": "30", "identificationNumber": "HH AB 1234", "nationality": "DE"}
    assert "tractor" in recorded[1]["detail"]["meaning"]


def test_transhipment_without_the_attestation_of_customs_is_refused(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    unattested = {k: v for k, v in TRANSHIPMENT.items() if k != "Endorsement"}
    refused = send_json(client, HAMBURG, arrival_with(mrn, unattested))
    assert types(refused) == ["CC057C"]
    errors = refused.json()["answers"][0]["errors"]
    assert errors[0]["pointer"] == "/CC007C/Consignment/Incident[1]/Endorsement" and "55" in errors[0]["message"]
    tractor_without_means = {k: v for k, v in TRACTOR_CHANGED.items() if k != "Transhipment"}
    refused = send_json(client, HAMBURG, arrival_with(mrn, tractor_without_means))
    assert refused.json()["answers"][0]["errors"][0]["pointer"] == "/CC007C/Consignment/Incident[1]/Transhipment"
    assert state(client, mrn) == "released"


def test_incident_registered_on_the_way_is_forwarded_to_the_holder_then_recovery(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    registered = client.post(f"/api/transit/movements/{mrn}/incidents", headers=OFFICER,
                             json={"office": "DK003102", "incidents": [TRANSHIPMENT]})
    assert types(registered) == ["CC182C"], registered.text
    forwarded = xml_of(client, registered.json()["answers"][0])
    assert forwarded.findtext("CustomsOfficeOfIncidentRegistration/referenceNumber") == "DK003102"
    assert forwarded.findtext("Consignment/Incident/code") == "3"
    assert outbox_types(client, FORWARDER)[-1] == "CC182C"
    assert [e["event"] for e in events(client, mrn)][-1] == "incident_registered"

    bad = client.post(f"/api/transit/movements/{mrn}/incidents", headers=OFFICER,
                      json={"office": "DK003102", "incidents": [{"code": "3", "text": "uden sted"}]})
    assert bad.status_code == 422
    assert client.post(f"/api/transit/movements/{mrn}/incidents", headers=FORWARDER,
                       json={"office": "DK003102", "incidents": [TRANSHIPMENT]}).status_code == 403

    recovered = client.post(f"/api/transit/movements/{mrn}/recovery", headers=OFFICER,
                            json={"text": "Mistanke om svig efter omladning"})
    assert types(recovered) == ["CC035C", "CC045C"]
    notice = xml_of(client, recovered.json()["answers"][0])
    assert notice.findtext("RecoveryNotification/amountClaimed") == "1000.00"
    assert notice.findtext("CustomsOfficeOfRecoveryAtDeparture/referenceNumber") == "DK009264"
    assert state(client, mrn) == "recovered"
    assert guarantees.get(grn(world)).open_amount == 1000  # the guarantee answers for the debt


# --- unloading remarks and the office of destination's decision ----------------------------------

def test_conform_remarks_with_a_consignment_as_found_wait_for_the_office(world, client):
    mrn = released_and_unloading(client)
    found = remarks(mrn)
    found["Consignment"] = {"HouseConsignment": [{"sequenceNumber": "1", "ConsignmentItem": [{
        "goodsItemNumber": "1", "declarationGoodsItemNumber": "1",
        "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "CT", "numberOfPackages": "9"}]}]}]}
    assert types(send_xml(client, HAMBURG, found)) == []  # no automatic CC025C
    assert state(client, mrn) == "discrepancies"
    assert [e for e in events(client, mrn) if e["event"] == "unloading_remarks"][0]["detail"]["found"]
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": True, "text": "Fundet ved genoptælling"})
    assert types(decided) == ["CC025C", "CC045C"]
    assert state(client, mrn) == "closed"
    assert [r.state for r in guarantees.reservations(mrn)] == ["discharged"]


def test_major_discrepancies_tell_the_holder_and_are_resolved(world, client):
    mrn = released_and_unloading(client)
    assert types(send_json(client, HAMBURG, remarks(mrn, conform="0", stateOfSeals="0",
                                                    unloadingRemark="Segl DK0002 brudt; 2 kolli mangler"))) == []
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": False, "text": "2 kolli mangler"})
    assert types(decided) == ["CC025C", "CC019C"]
    notice = xml_of(client, decided.json()["answers"][1])
    assert notice.findtext("TransitOperation/discrepanciesNotificationText") == "2 kolli mangler"
    assert decided.json()["answers"][1]["party"] == HOLDER and decided.json()["answers"][0]["party"] == TRADER
    assert state(client, mrn) == "major_discrepancies"
    resolved = client.post(f"/api/transit/movements/{mrn}/discrepancies-resolved", headers=OFFICER,
                           json={"text": "Kolli fundet hos speditøren"})
    assert types(resolved) == ["CC045C"]
    assert state(client, mrn) == "closed"


def test_major_discrepancies_not_resolved_end_in_recovery(world, client):
    mrn = released_and_unloading(client)
    send_json(client, HAMBURG, remarks(mrn, conform="0"))
    client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER, json={"conform": False})
    recovered = client.post(f"/api/transit/movements/{mrn}/recovery", headers=OFFICER,
                            json={"text": "Afvigelser ikke afklaret", "amount": "2345.60", "currency": "EUR"})
    assert types(recovered) == ["CC035C", "CC045C"]
    assert xml_of(client, recovered.json()["answers"][0]).findtext("RecoveryNotification/amountClaimed") == "2345.60"
    assert client.post(f"/api/transit/movements/{mrn}/discrepancies-resolved", headers=OFFICER).status_code == 409
    bad = client.post(f"/api/transit/movements/{released_and_unloading(client)}/recovery", headers=OFFICER,
                      json={"text": "x", "amount": "-5"})
    assert bad.status_code == 422


def test_unloading_not_completed_may_go_on_with_a_new_permission(world, client):
    mrn = released_and_unloading(client)
    assert types(send_json(client, HAMBURG, remarks(mrn, unloadingCompletion="0"))) == []
    assert state(client, mrn) == "discrepancies"
    again = client.post(f"/api/transit/movements/{mrn}/unloading-permission", headers=OFFICER)
    assert types(again) == ["CC043C"] and again.json()["answers"][0]["party"] == TRADER
    assert types(send_json(client, HAMBURG, remarks(mrn))) == ["CC025C"]
    assert state(client, mrn) == "closed"


def test_standard_arrival_with_major_discrepancies_found_in_the_office_control(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER, simplified=False))) == []
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": False, "text": "Forkert varebeskrivelse"})
    assert types(decided) == ["CC025C", "CC019C"]


# --- the office of departure: box D and seals, control, refusal, invalidation, CC022C -------------

def test_standard_release_sets_the_time_limit_and_the_seals(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    limit = (clock.local(clock.now()).date() + timedelta(days=3)).isoformat()
    released = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER,
                           json={"limit_date": limit, "seals": ["DK 0101 PADBORG", "DK 0102 PADBORG"]})
    assert types(released) == ["CC029C"]
    release = xml_of(client, released.json()["answers"][0])
    equipment = release.find("Consignment/TransportEquipment")
    assert equipment.findtext("numberOfSeals") == "2"
    assert [s.findtext("identifier") for s in equipment.findall("Seal")] == ["DK 0101 PADBORG", "DK 0102 PADBORG"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["TransitOperation"]["limitDate"] == limit
    assert events(client, mrn)[-1]["detail"] == {"limitDate": limit, "seals": ["DK 0101 PADBORG", "DK 0102 PADBORG"]}
    assert client.get(f"/api/transit/movements/{mrn}/tad.pdf", headers=FORWARDER).status_code == 200


def test_standard_release_without_terms_takes_the_route_default_and_the_declared_seals(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]
    detail = events(client, mrn)[-1]["detail"]
    today = clock.local(clock.now()).date()
    assert date.fromisoformat(detail["limitDate"]) == today + timedelta(days=2)  # DK → DE: two countries
    assert detail["seals"] == ["DK0001", "DK0002"]


def test_release_with_a_time_limit_in_the_past_or_a_bad_seal_is_refused(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    past = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER, json={"limit_date": "2020-01-01"})
    assert past.status_code == 422 and past.json()["errors"][0]["pointer"] == "limit_date"
    long_seal = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER, json={"seals": ["X" * 21]})
    assert long_seal.status_code == 422
    assert state(client, mrn) == "awaiting_release"


def test_control_before_release_with_an_unsatisfactory_result_is_not_released(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    control = client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"]}, headers=OFFICER)
    assert types(control) == ["CC060C"]
    refused = client.post(f"/api/transit/movements/{mrn}/no-release", headers=OFFICER,
                          json={"text": "Varerne svarer ikke til angivelsen"})
    assert types(refused) == ["CC051C"]
    assert state(client, mrn) == "not_released"
    assert guarantees.get(grn(world)).open_amount == 0


def test_holders_invalidation_request_after_release_is_rejected_out_of_sequence(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    refused = send_json(client, FORWARDER, invalidation_request({"MRN": mrn}))
    assert types(refused) == ["CC056C"]
    rejection = xml_of(client, refused.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "014"
    assert rejection.findtext("FunctionalError/errorCode") == "92"
    assert state(client, mrn) == "released"


def test_customs_invalidate_a_released_movement_until_it_arrives(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    decided = client.post(f"/api/transit/movements/{mrn}/invalidation", headers=OFFICER,
                          json={"text": "Angivet ved en fejl, bekræftet af klarereren"})
    assert types(decided) == ["CC009C"]
    invalidation = xml_of(client, decided.json()["answers"][0]).find("Invalidation")
    assert invalidation.findtext("initiatedByCustoms") == "1" and invalidation.findtext("decision") == "1"
    assert state(client, mrn) == "invalidated"
    assert guarantees.get(grn(world)).open_amount == 0
    arrived = released_and_unloading(client)
    assert client.post(f"/api/transit/movements/{arrived}/invalidation", headers=OFFICER,
                       json={"text": "for sent"}).status_code == 409


def test_notification_to_amend_is_answered_by_an_amendment(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    asked = client.post(f"/api/transit/movements/{mrn}/amendment-request", headers=OFFICER,
                        json={"pointers": ["/CC015C/Consignment/grossMass"], "text": "Bruttovægt passer ikke"})
    assert types(asked) == ["CC022C"] and asked.json()["answers"][0]["party"] == HOLDER
    notice = xml_of(client, asked.json()["answers"][0])
    assert notice.findtext("FunctionalError/errorPointer") == "/CC015C/Consignment/grossMass"
    corrected = amendment(declaration, {"MRN": mrn})
    corrected["Consignment"]["grossMass"] = "351.5"
    corrected["Consignment"]["HouseConsignment"][0]["grossMass"] = "351.5"
    assert types(send_json(client, FORWARDER, corrected)) == ["CC004C"]


def test_amendment_under_control_stays_under_control(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"]}, headers=OFFICER)
    assert types(send_json(client, FORWARDER, amendment(declaration, {"MRN": mrn}))) == ["CC004C"]
    assert state(client, mrn) == "under_control"
    assert guarantees.get(grn(world)).open_amount == 1000


def test_a_correction_before_presentation_replaces_the_access_code_checked_at_presentation(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    wrong = amendment(declaration, {"LRN": lrn})
    wrong["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZZ9"
    assert types(send_json(client, FORWARDER, wrong)) == ["CC004C"]  # GMS is not asked before presentation
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC028C", "CC055C"]


def test_an_announced_control_keeps_the_presented_goods_for_the_office(world, client):
    declaration = pre_lodged(demo.declaration())  # an authorised consignor: released at once otherwise
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    announced = client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=OFFICER,
                            json={"controls": ["A"], "text": "Risikoanalyse: plomber kontrolleres"})
    assert types(announced) == ["CC060C"]
    notice = xml_of(client, announced.json()["answers"][0])
    assert notice.findtext("TransitOperation/notificationType") == "2"
    assert notice.findtext("TransitOperation/LRN") == lrn and notice.find("TransitOperation/MRN") is None
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/UNKNOWN-LRN/control", headers=OFFICER,
                       json={}).status_code == 404
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=FORWARDER,
                       json={}).status_code == 403
    presented = send_json(client, FORWARDER, presentation(lrn))
    assert types(presented) == ["CC028C"]  # no CC029C: the office controls first
    mrn = presented.json()["mrn"]
    assert state(client, mrn) == "awaiting_release"
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=OFFICER,
                       json={}).status_code == 409
    assert types(client.post(f"/api/transit/movements/{mrn}/control", headers=OFFICER, json={})) == ["CC060C"]
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["TransitOperation"]["limitDate"] == declaration["TransitOperation"]["limitDate"]  # its own box D
