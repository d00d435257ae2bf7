"""The notifications DMS Import answers a declaration with, built as data for the notification schema.

One structure serves every notification (the agency's Notification, trader-portal-common.xsd); what
happened is its NotificationEventType. The agency publishes no list of those values, so the event types
here are ours (EVENT_TYPES). Every builder takes the declaration as data (what parse_declaration gives)
and the moment (`at`, an aware datetime); times are written in UTC, format 304 (CCYYMMDDHHMMSSZ), dates
in format 102 (CCYYMMDD).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from toldsystem.core.errors import Problem
from toldsystem.imports.messages.convert import value_of

ACCEPTED = "ACCEPTED"  # accepted, and the MRN allocated
REJECTED = "REJECTED"  # not accepted: the errors say why
RELEASED = "RELEASED"  # the goods are released for free circulation
CONTROL = "CONTROL"  # selected for control (documentary or physical) before release
SUPPLEMENTARY_DUE = "SUPPLEMENTARY_DUE"  # a simplified declaration: the supplementary one is due by a date
INVALIDATED = "INVALIDATED"  # the declaration is invalidated
EVENT_TYPES = (ACCEPTED, REJECTED, RELEASED, CONTROL, SUPPLEMENTARY_DUE, INVALIDATED)
CONTROL_LANES = ("documentary", "physical")


def accepted(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """The declaration is accepted and has an MRN."""
    return _notification(ACCEPTED, declaration, at, sid, mrn=mrn, AcceptanceDateTime=_moment(at))


def rejected(declaration: dict[str, Any], problems: Sequence[Problem], at: datetime, *,
             sid: str | None = None) -> dict[str, Any]:
    """The declaration is not accepted; each problem is an Error (its pointer, code and texts)."""
    return {**_notification(REJECTED, declaration, at, sid, RejectionDateTime=_moment(at)),
            "Error": [_error(p) for p in problems] or None}


def released(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """The goods are released: every goods item of the declaration, each with its release indicator."""
    return {**_notification(RELEASED, declaration, at, sid, mrn=mrn),
            "CustomsPosition": {"Type": RELEASED},
            "GoodsItemsReleaseIndicators": {"ReleaseIndicator": [
                {"GoodsItemSequenceNumber": number, "ReleaseIndicatorValue": "1", "Description": "Released"}
                for number in _item_numbers(declaration)] or None}}


def selected_for_control(declaration: dict[str, Any], mrn: str, at: datetime, lane: str, *,
                         documents: Iterable[tuple[str, str]] = (), due: datetime | None = None,
                         sid: str | None = None) -> dict[str, Any]:
    """The declaration is selected for a documentary or a physical control; `documents` (type, reference)
    are the ones to present, by `due` when given."""
    if lane not in CONTROL_LANES:
        raise ValueError(f"lane must be one of {CONTROL_LANES}, not {lane!r}")
    control: dict[str, Any] = {"SequenceNumeric": "1", "TypeCode": lane.upper()}
    if due is not None:
        control["LimitDateTime"] = _moment(due)
    return {**_notification(CONTROL, declaration, at, sid, mrn=mrn),
            "Control": [control],
            "DueDate": _moment(due) if due is not None else None,
            "AdditionalDocument": [{"Type": kind, "Identifier": reference} for kind, reference in documents] or None}


def supplementary_due(declaration: dict[str, Any], mrn: str, at: datetime, due: date, *,
                      sid: str | None = None) -> dict[str, Any]:
    """A simplified declaration is accepted; its supplementary declaration must be lodged by `due`."""
    notification = _notification(SUPPLEMENTARY_DUE, declaration, at, sid, mrn=mrn,
                                 TimerExpirationInfo={"ExpirationDateTime": _day(due)})
    return {**notification, "DueDate": _day(due)}


def invalidated(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """The declaration is invalidated (at the declarant's request, or by customs)."""
    return _notification(INVALIDATED, declaration, at, sid, mrn=mrn, CancellationDateTime=_moment(at))


def _notification(event: str, declaration: dict[str, Any], at: datetime, sid: str | None, *,
                  mrn: str | None = None, **dates: Any) -> dict[str, Any]:
    return {
        "NotificationEventType": event,
        "NotificationSID": sid or str(uuid.uuid4()),
        "Declaration": _declaration(declaration, mrn, dates),
        "NotificationCreatedDate": _moment(at),
        "IssueDateTime": _moment(at),
    }


def _declaration(declaration: dict[str, Any], mrn: str | None, dates: dict[str, Any]) -> dict[str, Any]:
    """The notification's summary of the declaration: its references and parties."""
    found: dict[str, Any] = {"MRN": mrn or value_of(declaration.get("ID")),
                             "LRN": value_of(declaration.get("FunctionalReferenceID")),
                             "Declarant": _party(declaration.get("Declarant")),
                             "Agent": _party(declaration.get("Agent")),
                             "SubmitterID": value_of((declaration.get("Submitter") or {}).get("ID"))}
    return {**found, **dates}


def _party(party: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(party, dict):
        return None
    found = {"Name": value_of(party.get("Name")), "ID": value_of(party.get("ID")),
             "FunctionCode": value_of(party.get("FunctionCode"))}
    return {name: value for name, value in found.items() if value is not None} or None


def _item_numbers(declaration: dict[str, Any]) -> list[str]:
    items = (declaration.get("GoodsShipment") or {}).get("GovernmentAgencyGoodsItem") or []
    return [value_of(item.get("SequenceNumeric")) or str(index) for index, item in enumerate(items, start=1)]


def _error(found: Problem) -> dict[str, Any]:
    where = f" (line {found.line}, column {found.column})" if found.line else ""
    return {"Pointer": [{"DocumentSectionCode": found.pointer}], "ValidationCode": found.code,
            "ValidationInformation": found.da + where, "ValidationText": found.en + where}


def _moment(at: datetime) -> dict[str, Any]:
    if at.tzinfo is None:
        raise ValueError("the moment must be an aware datetime")
    return {"DateTimeString": {"value": at.astimezone(UTC).strftime("%Y%m%d%H%M%S") + "Z", "formatCode": "304"}}


def _day(day: date) -> dict[str, Any]:
    return {"DateTimeString": {"value": day.strftime("%Y%m%d"), "formatCode": "102"}}
