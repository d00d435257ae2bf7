"""Every answer the system sends, produced by the real flows over HTTP, validates against our schema
of its type (and so against the official one): each variant that can occur — releases in both
procedures, every rejection path, invalidation accepted and refused, the destination's messages,
XML and functional NACKs."""

from __future__ import annotations

import copy
import uuid

import pytest
from lxml import etree

from tests.transit.phase5_flows import (FORWARDER, HAMBURG, IMPORTER, OFFICER, assert_valid,
                                        demo_world_checking_every_answer)
from toldsystem import demo
from toldsystem.transit.example import example_arrival
from toldsystem.transit.messages import render

HAMBURG_TRADER = "DE123456789012345"
NS = {"n": "http://ncts.dgtaxud.ec"}


@pytest.fixture
def world(sqlite_store):
    yield from demo_world_checking_every_answer()


def answered(client, response, headers, expected: list[str]) -> list[etree._Element]:
    """The answers of a request, as the API serves their XML, each checked against its schema."""
    assert response.status_code in (200, 400), response.text
    found = response.json()["answers"]
    assert [a["messageType"] for a in found] == expected, response.text
    return [assert_valid(a["messageType"], client.get(a["links"]["xml"], headers=headers).content) for a in found]


def officer_answers(client, response, expected: list[str]) -> list[etree._Element]:
    found = response.json()["answers"]
    assert [a["messageType"] for a in found] == expected, response.text
    return [assert_valid(a["messageType"], client.get(a["links"]["xml"], headers=OFFICER).content) for a in found]


def send_json(client, headers, data: dict):
    return client.post("/api/transit/messages", json=data, headers=headers)


def send_xml(client, headers, xml: bytes):
    return client.post("/api/transit/messages", content=xml,
                       headers=headers | {"Content-Type": "application/xml", "Accept": "application/json"})


def names(root: etree._Element, path: str) -> set[str]:
    """Local names of the children of the element at `path` (an XPath below the root)."""
    found = root.find(path, NS) if path else root
    return {etree.QName(child).localname for child in found} if found is not None else set()


def rich_declaration() -> dict:
    """A declaration carrying what the answers must not copy blindly: limitDate, UCRs, places,
    border means, supplementary units, a holder contact person."""
    declaration = demo.declaration(items=2)
    consignment = declaration["Consignment"]
    consignment["referenceNumberUCR"] = "24DK UCR 0001"
    consignment["PlaceOfLoading"] = {"UNLocode": "DKAAR", "country": "DK", "location": "Aarhus"}
    consignment["LocationOfGoods"] = {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                      "authorisationNumber": "DKACR13585628"}
    item = consignment["HouseConsignment"][0]["ConsignmentItem"][0]
    item["Commodity"]["GoodsMeasure"]["supplementaryUnits"] = "10"
    declaration["HolderOfTheTransitProcedure"]["ContactPerson"] = {"name": "Lars Jensen", "phoneNumber": "+45 70 12 34 56"}
    return declaration


def declare(client, declaration: dict, expected: list[str]) -> tuple[str, list[etree._Element]]:
    response = send_json(client, FORWARDER, declaration)
    roots = answered(client, response, FORWARDER, expected)
    return response.json()["mrn"], roots


def standard(declaration: dict) -> dict:
    """The standard procedure: no authorised-consignor authorisation, no time limit (box D is customs')."""
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    return declaration


# --- departure ---------------------------------------------------------------------------------

def test_simplified_release_answers_map_the_declaration(world, client):
    declaration = rich_declaration()
    mrn, (ack, allocated, release) = declare(client, declaration, ["CC928C", "CC028C", "CC029C"])
    assert names(ack, "TransitOperation") == {"LRN"}  # the MRN comes in CC028C, not in CC928C
    assert allocated.findtext("TransitOperation/MRN") == mrn
    operation = names(release, "TransitOperation")
    assert "limitDate" not in operation and {"MRN", "releaseDate", "declarationAcceptanceDate"} <= operation
    assert release.find(".//GoodsMeasure/supplementaryUnits") is None
    assert release.find(".//accessCode") is None
    assert release.findtext("Consignment/referenceNumberUCR") == "24DK UCR 0001"  # CC029C carries it


def test_standard_release_after_a_control_decision(world, client):
    mrn, _ = declare(client, standard(rich_declaration()), ["CC928C", "CC028C"])
    control = client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"], "text": "Fysisk kontrol"},
                          headers=OFFICER)
    (decision,) = officer_answers(client, control, ["CC060C"])
    assert decision.findtext("TypeOfControls/type") == "A"
    release = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    (released,) = officer_answers(client, release, ["CC029C"])
    assert released.find("TransitOperation/limitDate") is None


def test_standard_release_without_control(world, client):
    mrn, _ = declare(client, standard(demo.declaration(items=3)), ["CC928C", "CC028C"])
    officer_answers(client, client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER), ["CC029C"])


def test_guarantee_not_valid_and_no_release(world, client):
    declaration = demo.declaration()
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "XXXX"
    mrn, (*_, invalid) = declare(client, declaration, ["CC928C", "CC028C", "CC055C"])
    assert invalid.findtext("GuaranteeReference/InvalidGuaranteeReason/code")
    refused = client.post(f"/api/transit/movements/{mrn}/no-release", json={"text": "Ingen gyldig sikkerhed"},
                          headers=OFFICER)
    (no_release,) = officer_answers(client, refused, ["CC051C"])
    assert len(no_release.findtext("TransitOperation/noReleaseMotivationCode")) == 2


def test_every_departure_rejection_is_a_valid_cc056c(world, client):
    bulk = demo.declaration()
    item = bulk["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]
    item["Packaging"][0]["typeOfPackages"] = "VL"  # bulk with a number of packages: a rule violation
    (rule,) = answered(client, send_json(client, FORWARDER, bulk), FORWARDER, ["CC056C"])
    assert rule.findtext("FunctionalError/errorCode") in ("12", "13", "14", "15")
    assert rule.findtext("TransitOperation/businessRejectionType") == "015"

    (holder,) = answered(client, send_json(client, IMPORTER, demo.declaration("DK13585628")
                                                   | {"messageSender": "DK12345674"}), IMPORTER, ["CC056C"])
    assert holder.find("FunctionalError/originalAttributeValue") is not None

    declaration = demo.declaration()
    mrn, _ = declare(client, declaration, ["CC928C", "CC028C", "CC029C"])
    again = {**copy.deepcopy(declaration), "messageIdentification": uuid.uuid4().hex}
    (duplicate,) = answered(client, send_json(client, FORWARDER, again), FORWARDER, ["CC056C"])
    assert duplicate.findtext("FunctionalError/errorPointer") == "/CC015C/TransitOperation/LRN"

    late = amendment(declaration, mrn)  # the movement is released: too late to amend
    (wrong_state,) = answered(client, send_json(client, FORWARDER, late), FORWARDER, ["CC056C"])
    assert wrong_state.findtext("TransitOperation/businessRejectionType") == "013"
    assert wrong_state.findtext("FunctionalError/errorCode") == "92"  # message out of sequence


def test_amendment_rejections_and_release_after_a_new_guarantee(world, client):
    declaration = demo.declaration()
    right_code = declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"]
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "XXXX"
    mrn, _ = declare(client, declaration, ["CC928C", "CC028C", "CC055C"])
    broken = amendment(declaration, mrn)
    broken["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = right_code
    broken["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]["Packaging"][0]["typeOfPackages"] = "VL"
    answered(client, send_json(client, FORWARDER, broken), FORWARDER, ["CC056C"])
    fixed = amendment(declaration, mrn)
    fixed["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = right_code
    answered(client, send_json(client, FORWARDER, fixed), FORWARDER, ["CC004C", "CC029C"])


def amendment(declaration: dict, mrn: str) -> dict:
    amended = copy.deepcopy(declaration)
    amended.update(messageType="CC013C", messageIdentification=uuid.uuid4().hex[:35])
    amended["TransitOperation"] = {**amended["TransitOperation"], "MRN": mrn, "amendmentTypeFlag": "1"}
    del amended["TransitOperation"]["LRN"]
    return amended


def invalidation(reference: dict) -> dict:
    return {"messageSender": "DK13585628", "messageRecipient": "NTA.DK",
            "preparationDateAndTime": "2026-11-23T10:00:00", "messageIdentification": uuid.uuid4().hex[:35],
            "messageType": "CC014C", "TransitOperation": reference,
            "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                             "justification": "Kunden har annulleret"},
            "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
            "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628"}}


def test_invalidation_accepted_and_refused(world, client):
    waiting, (ack, _) = declare(client, standard(demo.declaration()), ["CC928C", "CC028C"])
    lrn = ack.findtext("TransitOperation/LRN")
    (accepted,) = answered(client, send_xml(client, FORWARDER, render("CC014C", invalidation({"LRN": lrn}))),
                           FORWARDER, ["CC009C"])
    assert accepted.findtext("Invalidation/decision") == "1"
    released, _ = declare(client, demo.declaration(), ["CC928C", "CC028C", "CC029C"])
    # After release the request is out of sequence: CC056C, code 92 (TIS process flows).
    (refused,) = answered(client, send_json(client, FORWARDER, invalidation({"MRN": released})), FORWARDER, ["CC056C"])
    assert refused.findtext("FunctionalError/errorCode") == "92"


# --- destination -------------------------------------------------------------------------------

def test_destination_answers_from_arrival_to_write_off(world, client):
    mrn, _ = declare(client, rich_declaration(), ["CC928C", "CC028C", "CC029C"])
    early = remarks(mrn)  # unloading remarks before the arrival: the movement is not yet the trader's to see
    answered(client, send_json(client, HAMBURG, early), HAMBURG, ["CC906C"])
    stranger = send_json(client, IMPORTER, example_arrival(mrn, HAMBURG_TRADER) | {"messageSender": "DK12345674"})
    answered(client, stranger, IMPORTER, ["CC906C"])

    (permission,) = answered(client, send_json(client, HAMBURG, example_arrival(mrn, HAMBURG_TRADER)), HAMBURG,
                             ["CC043C"])
    consignment = names(permission, "Consignment")
    for not_in_cc043c in ("countryOfDispatch", "ActiveBorderTransportMeans", "referenceNumberUCR", "LocationOfGoods",
                          "PlaceOfLoading"):
        assert not_in_cc043c not in consignment
    assert permission.find(".//supplementaryUnits") is None
    assert {"containerIndicator", "HouseConsignment"} <= consignment

    answered(client, send_json(client, HAMBURG, remarks(mrn)), HAMBURG, ["CC025C"])
    outbox = client.get("/api/transit/outbox", headers=FORWARDER).json()["messages"]
    write_off = outbox[-1]
    assert write_off["messageType"] == "CC045C"
    assert_valid("CC045C", client.get(write_off["links"]["xml"], headers=FORWARDER).content)


def remarks(mrn: str) -> dict:
    return {"messageSender": HAMBURG_TRADER, "messageRecipient": "NTA.DK",
            "preparationDateAndTime": "2026-11-23T12:00:00", "messageIdentification": uuid.uuid4().hex[:35],
            "messageType": "CC044C", "TransitOperation": {"MRN": mrn},
            "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
            "TraderAtDestination": {"identificationNumber": HAMBURG_TRADER},
            "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23",
                                "stateOfSeals": "1"}}


# --- NACKs -------------------------------------------------------------------------------------

XML_ERROR_CODES = {"12", "13", "15", "18", "35", "39", "40", "50", "51", "52", "53", "54", "55", "56", "57"}


@pytest.mark.parametrize("case", ["malformed", "missing", "unexpected", "pattern", "too_long", "too_many",
                                  "enumeration", "doctype", "unknown_root", "wrong_type_in_header"])
def test_xml_errors_are_valid_cc917c(world, client, case):
    good = render("CC015C", demo.declaration())
    bad = {
        "malformed": good.replace(b"</Consignment>", b"</Consignmen>"),
        "missing": good.replace(b"<LRN>", b"<LRNx>").replace(b"</LRN>", b"</LRNx>"),
        "unexpected": good.replace(b"<Consignment>", b"<Bogus>1</Bogus><Consignment>"),
        "pattern": good.replace(b"<referenceNumber>DE004851</referenceNumber>", b"<referenceNumber>de004058</referenceNumber>"),
        "too_long": good.replace(b"<LRN>", b"<LRN>XXXXXXXXXXXXXXXXXXXXXXXXXX"),
        "too_many": good.replace(b"<Consignment>", b"".join(
            b"<Guarantee><sequenceNumber>%d</sequenceNumber><guaranteeType>3</guaranteeType></Guarantee>" % n
            for n in range(2, 11)) + b"<Consignment>"),
        "enumeration": good.replace(b"<bindingItinerary>0</bindingItinerary>", b"<bindingItinerary>2</bindingItinerary>"),
        "doctype": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + good.split(b"?>", 1)[1],
        "unknown_root": b'<ncts:CC999C xmlns:ncts="http://ncts.dgtaxud.ec"/>',
        "wrong_type_in_header": good.replace(b"<messageType>CC015C</messageType>", b"<messageType>CC013C</messageType>"),
    }[case]
    response = send_xml(client, FORWARDER, bad)
    assert response.status_code == 400
    (nack,) = answered(client, response, FORWARDER, ["CC917C"])
    codes = {e.text for e in nack.iter("errorCode")}
    assert codes and codes <= XML_ERROR_CODES
    expected = {"malformed": "52", "missing": "13", "unexpected": "15", "pattern": "51", "too_long": "39",
                "too_many": "35", "enumeration": "12", "doctype": "52", "unknown_root": "52",
                "wrong_type_in_header": "50"}[case]
    assert expected in codes, codes


def test_json_that_breaks_the_schema_gets_a_valid_cc917c(world, client):
    declaration = demo.declaration()
    declaration["Consignment"]["grossMass"] = "1.1234567"  # seven decimals
    declaration["Bogus"] = "x"
    (nack,) = answered(client, send_json(client, FORWARDER, declaration), FORWARDER, ["CC917C"])
    assert {e.text for e in nack.iter("errorCode")} == {"15"}  # unknown elements are named first
    del declaration["Bogus"]
    (nack,) = answered(client, send_json(client, FORWARDER, declaration), FORWARDER, ["CC917C"])
    assert {e.text for e in nack.iter("errorCode")} == {"50"}
    (unknown,) = answered(client, send_json(client, FORWARDER, {"messageType": "CC999C"}), FORWARDER, ["CC917C"])
    assert unknown.findtext("XMLError/errorCode") == "18"


def test_functional_nacks_are_valid_cc906c(world, client):
    (unknown,) = answered(client, send_json(client, HAMBURG, example_arrival("26DK009264000999J6", HAMBURG_TRADER)),
                          HAMBURG, ["CC906C"])
    assert unknown.findtext("FunctionalError/errorCode") == "90"
    assert unknown.findtext("Header/MRN") == "26DK009264000999J6"
    declaration = demo.declaration()
    mrn, _ = declare(client, declaration, ["CC928C", "CC028C", "CC029C"])
    (foreign,) = answered(client, send_json(client, IMPORTER, amendment(declaration, mrn)
                                                    | {"messageSender": "DK12345674"}), IMPORTER, ["CC906C"])
    assert foreign.findtext("FunctionalError/errorCode") == "90"  # as if the movement did not exist


def presentation(lrn: str) -> dict:
    """A CC170C presentation notification for a pre-lodged declaration."""
    return {"messageSender": "DK13585628", "messageRecipient": "NTA.DK",
            "preparationDateAndTime": "2026-11-23T10:00:00", "messageIdentification": uuid.uuid4().hex[:35],
            "messageType": "CC170C", "TransitOperation": {"LRN": lrn, "limitDate": "2026-11-30"},
            "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
            "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628"},
            "Consignment": {"containerIndicator": "0", "LocationOfGoods": {
                "typeOfLocation": "B", "qualifierOfIdentification": "Y", "authorisationNumber": "DKACR13585628"},
                "HouseConsignment": [{"sequenceNumber": "1", "DepartureTransportMeans": [
                    {"sequenceNumber": "1", "typeOfIdentification": "30", "identificationNumber": "AB 12 345",
                     "nationality": "DK"}]}]}}


def test_a_presentation_of_an_unknown_declaration_is_answered_cc906c(world, client):
    for channel in ("xml", "json"):
        data = presentation("LRN 2026 PRE 1")
        response = send_xml(client, FORWARDER, render("CC170C", data)) if channel == "xml" \
            else send_json(client, FORWARDER, data)
        (nack,) = answered(client, response, FORWARDER, ["CC906C"])
        assert nack.findtext("FunctionalError/errorPointer") == "/CC170C/TransitOperation/LRN"
        assert nack.findtext("FunctionalError/errorCode") == "90"
        assert nack.findtext("Header/LRN") == "LRN 2026 PRE 1"


def test_a_customs_message_sent_by_a_trader_is_refused_cc906c(world, client):
    mrn, _ = declare(client, demo.declaration(), ["CC928C", "CC028C", "CC029C"])
    messages = client.get(f"/api/transit/movements/{mrn}/messages", headers=FORWARDER).json()
    release = next(m for m in messages if m["messageType"] == "CC029C")
    echoed = {**release["data"], "messageIdentification": uuid.uuid4().hex[:35]}
    response = send_json(client, FORWARDER, echoed)
    (nack,) = answered(client, response, FORWARDER, ["CC906C"])
    assert nack.findtext("FunctionalError/errorCode") == "15"
    assert "customs" in response.json()["answers"][0]["errors"][0]["message"]
