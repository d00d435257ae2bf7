"""A movement's follow-ups in the portal: which the state and the visitor's roles allow, and the phase 5 message
each one is (CC013C, CC014C, CC007C, CC044C), sent through the same intake as the API's (SPEC T lifecycle).

Pure: the roles come from transit/service/movements.py, the rules from transit/authorisation.py's MESSAGES, so
the page offers exactly what the intake would take; the intake still judges every message it is given.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from toldsystem.access.rules import permitted
from toldsystem.transit import states
from toldsystem.transit.authorisation import MESSAGES

AMEND_GUARANTEE, INVALIDATION, ARRIVAL, UNLOADING_REMARKS = "amend-guarantee", "invalidation", "arrival", "unloading"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One action of the movement's page: its path segment, the message it sends, the states it is for."""

    name: str
    message_type: str
    when: frozenset[str]


FOLLOW_UPS = (
    FollowUp(AMEND_GUARANTEE, "CC013C", states.BEFORE_RELEASE - {states.PRE_LODGED}),
    FollowUp(INVALIDATION, "CC014C", states.BEFORE_RELEASE),
    FollowUp(ARRIVAL, "CC007C", frozenset({states.RELEASED})),
    FollowUp(UNLOADING_REMARKS, "CC044C", frozenset({states.UNLOADING})),
)
BY_NAME = {f.name: f for f in FOLLOW_UPS}


def allowed(state: str, roles: frozenset[str], scopes: frozenset[str]) -> tuple[str, ...]:
    """The follow-ups a party with these roles towards the movement may send in this state."""
    return tuple(f.name for f in FOLLOW_UPS if state in f.when and permitted(MESSAGES[f.message_type], roles, scopes))


def _header(message_type: str, sender: str, identification: str, prepared_at: str) -> dict:
    return {"messageSender": sender, "messageRecipient": "NTA.DK", "preparationDateAndTime": prepared_at,
            "messageIdentification": identification, "messageType": message_type}


def guarantee_amendment(declaration: dict, mrn: str, guarantee: dict, *, sender: str, identification: str,
                        prepared_at: str) -> dict:
    """CC013C: the declaration as accepted with the guarantee replaced (`guarantee`: guarantee_type, grn,
    access_code, amount, currency — the form's names), e.g. after CC055C (seed 003 box 52)."""
    amended = copy.deepcopy({k: v for k, v in declaration.items() if k not in (
        "messageSender", "messageRecipient", "preparationDateAndTime", "messageIdentification", "messageType")})
    operation = {k: v for k, v in amended.get("TransitOperation", {}).items() if k != "LRN"}
    amended["TransitOperation"] = {"MRN": mrn, **operation, "amendmentTypeFlag": "1"}
    reference = {"sequenceNumber": "1", "GRN": guarantee.get("grn", ""), "accessCode": guarantee.get("access_code", ""),
                 "amountToBeCovered": guarantee.get("amount", ""), "currency": guarantee.get("currency", "")}
    amended["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": guarantee.get("guarantee_type", ""),
                             "GuaranteeReference": [{k: v for k, v in reference.items() if v}]}]
    return _header("CC013C", sender, identification, prepared_at) | amended


def invalidation_request(mrn: str, holder: str, office_of_departure: str, justification: str, *, sender: str,
                         identification: str, prepared_at: str) -> dict:
    """CC014C: the holder asks to invalidate the declaration before release, saying why."""
    return _header("CC014C", sender, identification, prepared_at) | {
        "TransitOperation": {"MRN": mrn},
        "Invalidation": {"requestDateAndTime": prepared_at, "initiatedByCustoms": "0",
                         "justification": justification},
        "CustomsOfficeOfDeparture": {"referenceNumber": office_of_departure},
        "HolderOfTheTransitProcedure": {"identificationNumber": holder}}


def arrival_notification(mrn: str, trader: str, office: str, authorisation: str, *, identification: str,
                         prepared_at: str) -> dict:
    """CC007C from the trader at destination; with an authorised consignee's authorisation (ACE) the simplified
    procedure (C0102), the goods at its authorised place, else at the office of destination."""
    data = _header("CC007C", trader, identification, prepared_at) | {
        "TransitOperation": {"MRN": mrn, "arrivalNotificationDateAndTime": prepared_at,
                             "simplifiedProcedure": "1" if authorisation else "0", "incidentFlag": "0"}}
    if authorisation:
        data["Authorisation"] = [{"sequenceNumber": "1", "type": "C522", "referenceNumber": authorisation}]
        location = {"typeOfLocation": "B", "qualifierOfIdentification": "Y", "authorisationNumber": authorisation}
    else:
        location = {"typeOfLocation": "A", "qualifierOfIdentification": "V",
                    "CustomsOffice": {"referenceNumber": office}}
    return data | {"CustomsOfficeOfDestinationActual": {"referenceNumber": office},
                   "TraderAtDestination": {"identificationNumber": trader},
                   "Consignment": {"LocationOfGoods": location}}


def unloading_remarks(mrn: str, trader: str, office: str, *, conform: bool, seals_intact: bool, unloading_date: str,
                      remarks: str, identification: str, prepared_at: str) -> dict:
    """CC044C: unloading completed, conform or with remarks, and the state of the seals."""
    remark = {"conform": "1" if conform else "0", "unloadingCompletion": "1", "unloadingDate": unloading_date,
              "stateOfSeals": "1" if seals_intact else "0"}
    if remarks:
        remark["unloadingRemark"] = remarks
    return _header("CC044C", trader, identification, prepared_at) | {
        "TransitOperation": {"MRN": mrn}, "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
        "TraderAtDestination": {"identificationNumber": trader}, "UnloadingRemark": remark}
