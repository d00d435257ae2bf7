"""A vendor finds its messages again: a refused declaration (no movement, so no MRN) by its LRN or its
messageIdentification, with the answers to it — its own only — and a movement's messages page by page,
by type and by time."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta

import pytest

from toldsystem import demo
from toldsystem.transit.messages import render

FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}
IMPORTER = {"Authorization": "Bearer told_demo_importer"}
OFFICER = {"Authorization": "Bearer told_demo_officer"}


@pytest.fixture
def world(store):
    demo.load()


def bulk_declaration() -> dict:
    """Breaks a rule (goods in bulk with a number of packages): answered CC056C, no movement."""
    data = demo.declaration()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]["Packaging"][0]["typeOfPackages"] = "VL"
    return data


def found(client, headers, **params) -> list[tuple[str, str]]:
    answer = client.get("/api/v1/transit/messages", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [(m["direction"], m["messageType"]) for m in answer.json()["messages"]]


def test_a_refused_declaration_is_found_by_lrn_and_by_message_identification(world, client):
    data = bulk_declaration()
    answer = client.post("/api/v1/transit/messages", json=data, headers=FORWARDER)
    assert [a["messageType"] for a in answer.json()["answers"]] == ["CC056C"] and answer.json()["mrn"] is None
    both = [("in", "CC015C"), ("out", "CC056C")]
    assert found(client, FORWARDER, lrn=data["TransitOperation"]["LRN"]) == both
    assert found(client, FORWARDER, messageIdentification=data["messageIdentification"]) == both
    assert found(client, OFFICER, lrn=data["TransitOperation"]["LRN"]) == both
    page = client.get("/api/v1/transit/messages", params={"lrn": data["TransitOperation"]["LRN"]},
                      headers=FORWARDER).json()
    assert page["messages"][1]["errors"][0]["code"] == "transit.packages.number_not_allowed"


def test_another_company_finds_nothing_of_it(world, client):
    data = bulk_declaration()
    client.post("/api/v1/transit/messages", json=data, headers=FORWARDER)
    assert found(client, IMPORTER, lrn=data["TransitOperation"]["LRN"]) == []
    assert found(client, IMPORTER, messageIdentification=data["messageIdentification"]) == []


def test_a_message_that_broke_the_schema_is_found_by_what_it_said_of_itself(world, client):
    data = demo.declaration()
    xml = render("CC015C", data).replace(b"<grossMass>", b"<grossMass>x", 1)
    answer = client.post("/api/v1/transit/messages", content=xml,
                         headers=FORWARDER | {"Content-Type": "application/xml", "Accept": "application/json"})
    assert answer.status_code == 400
    cc917c = answer.json()["answers"][0]["data"]
    assert cc917c["correlationIdentifier"] == data["messageIdentification"]
    assert cc917c["Header"] == {"LRN": data["TransitOperation"]["LRN"]}
    assert found(client, FORWARDER, messageIdentification=data["messageIdentification"]) == [("out", "CC917C")]
    assert found(client, FORWARDER, lrn=data["TransitOperation"]["LRN"]) == [("out", "CC917C")]


def test_by_lrn_every_message_of_the_movement_comes_too(world, client):
    data = demo.declaration()
    del data["Authorisation"], data["TransitOperation"]["limitDate"]  # standard procedure: the officer releases
    mrn = client.post("/api/v1/transit/messages", json=data, headers=FORWARDER).json()["mrn"]
    client.post(f"/api/v1/transit/movements/{mrn}/release", headers=OFFICER)
    assert found(client, FORWARDER, lrn=data["TransitOperation"]["LRN"]) == [
        ("in", "CC015C"), ("out", "CC928C"), ("out", "CC028C"), ("out", "CC029C")]
    assert found(client, FORWARDER, lrn=data["TransitOperation"]["LRN"], messageType="CC029C") == [("out", "CC029C")]


def test_a_movements_messages_come_page_by_page_with_a_link_to_the_next(world, client):
    mrn = client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER).json()["mrn"]
    path = f"/api/v1/transit/movements/{mrn}/messages"
    first = client.get(path, params={"page_size": 3}, headers=FORWARDER)
    assert [m["messageType"] for m in first.json()] == ["CC015C", "CC928C", "CC028C"]
    link = first.headers["Link"]
    assert link == f'<{path}?page_size=3&page=2>; rel="next"'
    second = client.get(link[1:link.index(">")], headers=FORWARDER)
    assert [m["messageType"] for m in second.json()] == ["CC029C"] and "Link" not in second.headers
    only = client.get(path, params={"messageType": "CC028C"}, headers=FORWARDER).json()
    assert [m["messageType"] for m in only] == ["CC028C"]


def test_a_movements_messages_are_filtered_by_time(world, client, fixed_clock):
    mrn = client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER).json()["mrn"]
    declared = fixed_clock.now()
    fixed_clock.advance(hours=2)
    arrival = {"messageType": "CC007C", "messageSender": "DE123456789012345", "messageRecipient": "NTA.DK",
               "preparationDateAndTime": "2026-11-23T12:00:00", "messageIdentification": uuid.uuid4().hex,
               "TransitOperation": {"MRN": mrn, "arrivalNotificationDateAndTime": "2026-11-23T12:00:00",
                                    "simplifiedProcedure": "0", "incidentFlag": "0"},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": "DE123456789012345"},
               "Consignment": {"LocationOfGoods": {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                                   "authorisationNumber": "ACEDE123456789012345"}}}
    assert client.post("/api/v1/transit/messages", json=copy.deepcopy(arrival),
                       headers={"Authorization": "Bearer told_demo_hamburg"}).status_code == 200
    path = f"/api/v1/transit/movements/{mrn}/messages"
    later = (declared + timedelta(hours=1)).isoformat()
    before = client.get(path, params={"until": later}, headers=OFFICER).json()
    after = client.get(path, params={"since": later}, headers=OFFICER).json()
    assert [m["messageType"] for m in before] == ["CC015C", "CC928C", "CC028C", "CC029C"]
    assert [m["messageType"] for m in after] == ["CC007C"]


def test_paging_parameters_out_of_range_are_refused_by_name(world, client):
    for params in ({"page": 0}, {"page_size": 501}, {"page": 10**7}):
        answer = client.get("/api/v1/transit/messages", params=params, headers=FORWARDER)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["pointer"] == f"query/{next(iter(params))}"
