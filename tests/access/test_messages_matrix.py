"""Every incoming NCTS message type × every kind of party: handled exactly when the message table
(transit/authorisation.py MESSAGES, docs/security.md) names one of the party's roles; a refusal changes nothing
beyond the sender's own message log, and — to a party that may not see the movement — is exactly the answer
to a message about an unknown MRN. Officers send no trader messages (403, whatever the movement).

The message types come from transit/service INCOMING: a new one without a rule or a scenario here fails."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.access.world import (COMPANY_KINDS, HOLDER_EORI, KINDS, UNKNOWN_MRN, World, changes_beyond_own,
                                expected_allowed, make_world, new_identification, snapshot)
from toldsystem import demo
from toldsystem.app import create_app
from toldsystem.transit.authorisation import MESSAGES
from toldsystem.transit.example import example_arrival
from toldsystem.transit.service import INCOMING

HEADER = ("messageIdentification", "preparationDateAndTime", "correlationIdentifier")


@dataclass
class Scenario:
    """A message each kind of party sends as itself about the holder's movement, and the same about none."""

    message: Callable[[str, str], dict]  # (sender EORI, MRN) → the message
    made: Callable[[World], str | None]  # makes the movement; None: the message creates one
    answer: str  # what the first allowed sender gets first
    sees: frozenset[str]  # kinds that may see the movement (they are told why they may not act)
    rejection: str = "CC056C"  # how the office the message is for tells them (CC057C at destination)


def declaration(sender: str, _mrn: str | None) -> dict:
    """The holder's own declaration; anyone else lodges it naming itself the holder's Representative."""
    data = demo.declaration(HOLDER_EORI)
    if sender != HOLDER_EORI:
        data["Representative"] = {"identificationNumber": sender, "status": "2"}
    return new_identification(data, sender)


def amendment(sender: str, mrn: str) -> dict:
    """The guarantee amended with the right access code (the movement's first code was wrong)."""
    data = demo.declaration(HOLDER_EORI)
    del data["TransitOperation"]["LRN"]
    data.update(messageType="CC013C")
    data["TransitOperation"] = {"MRN": mrn, **data["TransitOperation"], "amendmentTypeFlag": "1"}
    return new_identification(data, sender)


def invalidation(sender: str, mrn: str) -> dict:
    return new_identification({
        "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T10:00:00", "messageType": "CC014C",
        "TransitOperation": {"MRN": mrn}, "Invalidation": {"requestDateAndTime": "2026-11-23T10:00:00", "initiatedByCustoms": "0",
                                                       "justification": "Annulleret"},
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER_EORI}}, sender)


def arrival(sender: str, mrn: str) -> dict:
    return new_identification(example_arrival(mrn, sender), sender)


def unloading_remarks(sender: str, mrn: str) -> dict:
    return new_identification({
        "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T12:00:00", "messageType": "CC044C",
        "TransitOperation": {"MRN": mrn}, "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
        "TraderAtDestination": {"identificationNumber": sender},
        "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2026-11-23",
                            "stateOfSeals": "1"}}, sender)  # the demo's container travelled sealed (C0440)


def presentation(sender: str, lrn: str) -> dict:
    """CC170C: the goods of the holder's pre-lodged declaration are at the office of departure."""
    return new_identification({
        "messageRecipient": "NTA.DK", "preparationDateAndTime": "2026-11-23T10:00:00", "messageType": "CC170C",
        "TransitOperation": {"LRN": lrn}, "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER_EORI},
        "Consignment": {
            "containerIndicator": "1", "inlandModeOfTransport": "3",
            "LocationOfGoods": {"typeOfLocation": "A", "qualifierOfIdentification": "Z",
                                "Address": {"streetAndNumber": "Industrivej 12", "postcode": "6330",
                                            "city": "Padborg", "country": "DK"}},
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "CD 98 765", "nationality": "DK"}],
            "HouseConsignment": [{"sequenceNumber": "1"}]}}, sender)


def guarantee_invalid(world: World) -> str:
    """Declared with a wrong access code: CC055C, waiting for an amendment of the guarantee."""
    data = demo.declaration(HOLDER_EORI)
    data["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZ99"
    answer = world.client.post("/api/transit/messages", json=data, headers=world.headers("holder"))
    assert [a["messageType"] for a in answer.json()["answers"]][-1] == "CC055C", answer.text
    return answer.json()["mrn"]


BEFORE_ARRIVAL = frozenset({"holder", "representative"})
SCENARIOS: dict[str, Scenario] = {
    "CC015C": Scenario(declaration, lambda world: None, "CC928C", frozenset()),
    "CC013C": Scenario(amendment, guarantee_invalid, "CC004C", BEFORE_ARRIVAL),
    "CC014C": Scenario(invalidation, World.awaiting_release, "CC009C", BEFORE_ARRIVAL),
    "CC170C": Scenario(presentation, World.pre_lodged, "CC028C", BEFORE_ARRIVAL),
    "CC007C": Scenario(arrival, World.released, "CC043C", BEFORE_ARRIVAL, "CC057C"),
    "CC044C": Scenario(unloading_remarks, World.unloading, "CC025C", BEFORE_ARRIVAL | {"trader_at_destination"},
                       "CC057C"),
}


def sender_of(kind: str) -> str:
    return COMPANY_KINDS.get(kind, HOLDER_EORI)  # an officer sends a company's message: refused as an officer


def answers(answer, mrn: str | None) -> list:
    """The answers as data, without what differs every time, the movement's MRN written as the unknown one."""
    if answer.status_code != 200:
        return [answer.status_code, answer.text]
    found = [[a["messageType"], {k: v for k, v in a["data"].items() if k not in HEADER}, a.get("errors")]
             for a in answer.json()["answers"]]
    text = json.dumps(found, sort_keys=True)
    return json.loads(text.replace(mrn, UNKNOWN_MRN) if mrn else text)


def test_every_message_type_has_a_rule_and_a_scenario():
    assert [m for m in INCOMING if m not in MESSAGES] == []
    assert [m for m in INCOMING if m not in SCENARIOS] == []


@pytest.mark.parametrize("message_type", INCOMING)
def test_message_is_handled_exactly_for_the_parties_its_rule_names(sqlite_store, message_type):
    world = make_world(TestClient(create_app()))
    scenario = SCENARIOS[message_type]
    entry = MESSAGES[message_type]
    mrn = scenario.made(world)
    allowed = {kind: expected_allowed(kind, entry.actors) for kind in KINDS}
    acted = False
    for kind in sorted(KINDS, key=lambda k: allowed[k]):
        sender = sender_of(kind)
        before = snapshot()
        answer = world.client.post("/api/transit/messages", json=scenario.message(sender, mrn),
                                   headers=world.headers(kind))
        got = answers(answer, None)
        if allowed[kind]:
            assert answer.status_code == 200, (kind, answer.text)
            if not acted:
                assert got and got[0][0] == scenario.answer, (kind, answer.text)
            acted = True
            continue
        assert changes_beyond_own(before, snapshot(), world.own(kind)) == {}, kind
        if kind in scenario.sees:
            assert got[0][0] == scenario.rejection and got[0][2], (kind, answer.text)  # told why
        elif mrn is None:  # a declaration: no movement to hide; refused, naming the holder or the Representative
            assert answer.status_code == 403 if kind in ("officer_competent", "officer_other_office",
                                                         "national_officer") else got[0][0] == "CC056C", answer.text
        else:
            unknown = world.client.post("/api/transit/messages", json=scenario.message(sender, UNKNOWN_MRN),
                                        headers=world.headers(kind))
            assert answers(answer, mrn) == answers(unknown, None), kind
            assert answer.status_code == 403 or got[0][0] == "CC906C", (kind, answer.text)
