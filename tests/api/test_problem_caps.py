"""However many problems a message has, an answer lists (and the store keeps) at most the configured number,
the last saying how many more there were: in CC056C, CC917C and CC906C alike."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from toldsystem import db, demo
from toldsystem.transit import store

FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}


@pytest.fixture
def world(store):
    demo.load()


def largest_stored_message() -> int:
    with db.reading() as conn:
        return conn.execute(select(func.max(func.length(store.messages.c.data)))).scalar() or 0


def test_a_declaration_breaking_a_rule_in_each_of_its_items_gets_100_problems(world, client):
    data = demo.declaration(items=250)
    broken = 0
    for item in data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]:
        if "numberOfPackages" in item["Packaging"][0]:
            item["Packaging"][0]["typeOfPackages"] = "VL"  # bulk, yet a number of packages: one problem each
            broken += 1
    assert broken > 100
    answer = client.post("/api/v1/transit/messages", json=data, headers=FORWARDER)
    [cc056c] = answer.json()["answers"]
    assert cc056c["messageType"] == "CC056C"
    assert len(cc056c["errors"]) == 100 and len(cc056c["data"]["FunctionalError"]) == 100
    assert cc056c["errors"][-1]["code"] == "problems.more"
    assert cc056c["errors"][-1]["message"] == f"and {broken - 99} more problems, not listed"
    assert largest_stored_message() < 100_000


def test_a_json_message_breaking_the_schema_in_many_places_gets_100_problems(world, client):
    data = demo.declaration(items=300)
    for item in data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]:
        item["Commodity"]["GoodsMeasure"]["grossMass"] = "heavy"
    answer = client.post("/api/v1/transit/messages", json=data, headers=FORWARDER)
    assert answer.status_code == 400
    [cc917c] = answer.json()["answers"]
    errors = cc917c["data"]["XMLError"]
    assert len(errors) == 100 and errors[-1]["errorText"].startswith("and 201 more problems")
    assert largest_stored_message() < 100_000


def test_an_unknown_movement_named_in_a_message_gets_a_bounded_cc906c(world, client):
    arrival = {"messageType": "CC007C", "messageSender": "DK13585628", "messageRecipient": "NTA.DK",
               "preparationDateAndTime": "2026-11-24T08:00:00", "messageIdentification": "ARR-UNKNOWN-1",
               "TransitOperation": {"MRN": "26DK009264000999J7", "arrivalNotificationDateAndTime": "2026-11-24T08:00:00",
                                    "simplifiedProcedure": "1", "incidentFlag": "0"},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": "DK13585628"},
               "Consignment": {"LocationOfGoods": {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                                   "authorisationNumber": "ACEDK13585628"}}}
    [cc906c] = client.post("/api/v1/transit/messages", json=arrival, headers=FORWARDER).json()["answers"]
    assert cc906c["messageType"] == "CC906C" and 1 <= len(cc906c["data"]["FunctionalError"]) <= 100
