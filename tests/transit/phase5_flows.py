"""What the phase 5 flow tests send and how they read the answers: the demo world (after which every
message sent must validate against its schema), the messages of each flow, and the API calls."""

from __future__ import annotations

import copy
import os
import uuid
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from toldsystem import db, demo
from toldsystem.access.rules import Party
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
    yield from demo_world_checking_every_answer()


def demo_world_checking_every_answer():
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
    """Valid against our schema; and, when TOLD_OFFICIAL_XSD names a directory of the official XSDs
    (docs/operations.md), against the official one as well."""
    root = etree.fromstring(xml)
    assert etree.QName(root).localname == message_type
    schemas = [compiled_schema(message_type)]
    if os.environ.get("TOLD_OFFICIAL_XSD"):
        schemas.append(official_schema(os.environ["TOLD_OFFICIAL_XSD"], message_type))
    for schema in schemas:
        assert schema.validate(root.getroottree()), (message_type, [e.message for e in schema.error_log])
    return root


@cache
def official_schema(directory: str, message_type: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(directory) / f"{message_type.lower()}.xsd")))


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


def standard(declaration: dict | None = None) -> dict:
    """The standard procedure: no authorised-consignor authorisation, no time limit (box D is customs'); of the
    demo declaration, or of the authorised consignor's `declaration` given."""
    declaration = declaration or demo.declaration()
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
        "TransitOperation": {"MRN": mrn}, "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
        "TraderAtDestination": {"identificationNumber": TRADER}, "UnloadingRemark": found}


def released_and_unloading(client) -> str:
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER))) == ["CC043C"]
    return mrn


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
