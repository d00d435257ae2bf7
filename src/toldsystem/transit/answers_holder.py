"""What the office of departure tells the holder about a movement under way, as NCTS phase 5 data:
amendment acceptance (CC004C), notification to amend (CC022C), discrepancies found at destination
(CC019C), recovery (CC035C) and incidents registered on the way (CC182C).

As in answers.py, each builder returns the message body without its header, fitted to its type
(`messages.fit`), so that it validates against our schema and the official one.
"""

from __future__ import annotations

from datetime import date, datetime

from toldsystem.core.errors import Problem
from toldsystem.transit.answers import _datetime as phase5_datetime  # Danish local time, no zone
from toldsystem.transit.answers import functional_errors
from toldsystem.transit.messages import fit


def _departure(declaration: dict) -> dict:
    return {"referenceNumber": declaration["CustomsOfficeOfDeparture"]["referenceNumber"]}


def _holder(declaration: dict) -> dict:
    return declaration.get("HolderOfTheTransitProcedure", {})


def cc004c(declaration: dict, mrn: str | None, submitted: datetime, accepted: datetime) -> dict:
    """Amendment acceptance: the CC013C is valid and the declaration stands amended (by MRN, or by
    LRN for a pre-lodged declaration that has no MRN yet)."""
    operation = {"MRN": mrn} if mrn else {"LRN": declaration["TransitOperation"]["LRN"]}
    operation.update(amendmentSubmissionDateAndTime=phase5_datetime(submitted),
                     amendmentAcceptanceDateAndTime=phase5_datetime(accepted))
    return fit("CC004C", {"TransitOperation": operation, "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": _holder(declaration)})


def cc060c_intention(declaration: dict, at: datetime, controls: list[str], text: str | None) -> dict:
    """Control decision notification, type 2 (intention to control): the goods of a pre-lodged
    declaration may be controlled when presented (by LRN: there is no MRN yet)."""
    return fit("CC060C", {
        "TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"],
                             "controlNotificationDateAndTime": phase5_datetime(at), "notificationType": "2"},
        "CustomsOfficeOfDeparture": _departure(declaration), "HolderOfTheTransitProcedure": _holder(declaration),
        "Representative": declaration.get("Representative"),
        "TypeOfControls": [{"sequenceNumber": str(i), "type": c[:3], "text": text[:512] if text else None}
                           for i, c in enumerate(controls, start=1)]})


def cc022c(declaration: dict, mrn: str, at: datetime, to_amend: list[Problem]) -> dict:
    """Notification to amend: the office asks the holder to amend the elements it points at."""
    return fit("CC022C", {
        "TransitOperation": {"MRN": mrn, "amendmentNotificationDateAndTime": phase5_datetime(at)},
        "CustomsOfficeOfDeparture": _departure(declaration), "HolderOfTheTransitProcedure": _holder(declaration),
        "FunctionalError": [{"sequenceNumber": str(i), **entry}
                            for i, entry in enumerate(functional_errors(to_amend), start=1)]})


def cc019c(declaration: dict, mrn: str, notified: date, text: str | None) -> dict:
    """Discrepancies: major discrepancies were found in the control at destination."""
    return fit("CC019C", {
        "TransitOperation": {"MRN": mrn, "discrepanciesNotificationDate": notified.isoformat(),
                             "discrepanciesNotificationText": text[:512] if text else None},
        "CustomsOfficeOfDeparture": _departure(declaration), "HolderOfTheTransitProcedure": _holder(declaration)})


def cc035c(declaration: dict, mrn: str, accepted: datetime, notified: date, office_of_recovery: str, amount: str,
           currency: str, text: str | None) -> dict:
    """Recovery notification: the competent authority of recovery at departure claims the debt."""
    return fit("CC035C", {
        "TransitOperation": {"MRN": mrn, "declarationAcceptanceDate": accepted.date().isoformat()},
        "RecoveryNotification": {"recoveryNotificationDate": notified.isoformat(),
                                 "recoveryNotificationText": text[:512] if text else None,
                                 "amountClaimed": amount, "currency": currency},
        "CustomsOfficeOfDeparture": _departure(declaration),
        "CustomsOfficeOfRecoveryAtDeparture": {"referenceNumber": office_of_recovery},
        "HolderOfTheTransitProcedure": _holder(declaration)})


def cc182c(declaration: dict, mrn: str, at: datetime, office_of_registration: str, incidents: list[dict]) -> dict:
    """Forwarded incident notification: incidents an office registered on the way, forwarded to the holder."""
    return fit("CC182C", {
        "TransitOperation": {"MRN": mrn, "incidentNotificationDateAndTime": phase5_datetime(at)},
        "CustomsOfficeOfDeparture": _departure(declaration),
        "CustomsOfficeOfIncidentRegistration": {"referenceNumber": office_of_registration},
        "Consignment": {"Incident": numbered(incidents)}})


def numbered(incidents: list[dict]) -> list[dict]:
    """Incidents numbered 1..n, as CC182C forwards them (at most 9)."""
    return [{**incident, "sequenceNumber": str(i)} for i, incident in enumerate(incidents[:9], start=1)]
