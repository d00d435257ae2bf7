"""The notifications DMS Export answers with, as data for our export notification schema (kind `notification`).

One structure serves every notification (the agency's export trader-portal Notification); what happened is
its NotificationEventType. The agency publishes no list of those values, so the export event types are ours
(EVENT_TYPES). Accepted, rejected, selected for control and invalidated are the import room's builders (their
output is valid in the export structure too), with the office of export and the exporter added; the others
say where and when the goods are: the customs position (office and event), the effective day (the Danish
day of `at`), and a text in AdditionalInformation. `at` is an aware datetime; times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem
from toldsystem.export.messages.convert import value_of
from toldsystem.imports.messages import notifications as common

ACCEPTED = common.ACCEPTED  # accepted, and the MRN allocated
REJECTED = common.REJECTED  # not accepted: the errors say why
RELEASED = "RELEASED_FOR_EXPORT"  # released for export: the goods may go to the office of exit
CONTROL = common.CONTROL  # selected for control (documentary or physical) before release
PRESENTED_AT_EXIT = "PRESENTED_AT_EXIT"  # the goods are presented at the office of exit
ARRIVED_AT_EXIT = "ARRIVED_AT_EXIT"  # the arrival at exit is registered (the arrival notification)
EXIT_CONFIRMED = "EXIT_CONFIRMED"  # the goods have left: the exit is confirmed (udpassageattest)
INVALIDATED = common.INVALIDATED  # the declaration is invalidated
AMENDED = "AMENDED"  # an amendment (correction) is accepted
EVENT_TYPES = (ACCEPTED, REJECTED, RELEASED, CONTROL, PRESENTED_AT_EXIT, ARRIVED_AT_EXIT, EXIT_CONFIRMED,
               INVALIDATED, AMENDED)


def accepted(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """The export declaration is accepted and has an MRN."""
    return _with_export_parties(common.accepted(declaration, mrn, at, sid=sid), declaration)


def rejected(declaration: dict[str, Any], problems: Sequence[Problem], at: datetime, *,
             sid: str | None = None) -> dict[str, Any]:
    """The declaration is not accepted; each problem is an Error (pointer, code and texts with the line)."""
    return _with_export_parties(common.rejected(declaration, problems, at, sid=sid), declaration)


def released_for_export(declaration: dict[str, Any], mrn: str, at: datetime, *,
                        sid: str | None = None) -> dict[str, Any]:
    """The goods are released for export: the customs position, and every goods item of the declaration."""
    items = (declaration.get("GoodsShipment") or {}).get("GovernmentAgencyGoodsItem") or []
    notification = _event(RELEASED, declaration, mrn, at, sid, office=None)
    notification["Declaration"]["GoodsShipment"] = {"GovernmentAgencyGoodsItem": [
        {"SequenceNumeric": value_of(item.get("SequenceNumeric")) or str(number)}
        for number, item in enumerate(items, start=1)] or None}
    return notification


def selected_for_control(declaration: dict[str, Any], mrn: str, at: datetime, lane: str, *,
                         documents: Iterable[tuple[str, str]] = (), due: datetime | None = None,
                         sid: str | None = None) -> dict[str, Any]:
    """The declaration is selected for a documentary or a physical control (lane), before release."""
    return _with_export_parties(common.selected_for_control(declaration, mrn, at, lane, documents=documents,
                                                            due=due, sid=sid), declaration)


def presented_at_exit(declaration: dict[str, Any], mrn: str, at: datetime, exit_office: str, *,
                      sid: str | None = None) -> dict[str, Any]:
    """The goods are presented at the office of exit."""
    return _event(PRESENTED_AT_EXIT, declaration, mrn, at, sid, office=exit_office)


def arrived_at_exit(declaration: dict[str, Any], mrn: str, at: datetime, exit_office: str, *,
                    location: str | None = None, sid: str | None = None) -> dict[str, Any]:
    """The arrival at exit is registered; `location` is the place written in the arrival notification
    (for an export closed by the office after fallback: "exited af udf.toldstedet pga nødp.", seed 002)."""
    return _event(ARRIVED_AT_EXIT, declaration, mrn, at, sid, office=exit_office, text=location)


def exit_confirmed(declaration: dict[str, Any], mrn: str, at: datetime, exit_office: str, *,
                   departure: str | None = None, sid: str | None = None) -> dict[str, Any]:
    """The exit is confirmed; `departure` is the Manifest departure that confirmed it, when one did."""
    text = f"Manifest departure {departure}" if departure else None
    return _event(EXIT_CONFIRMED, declaration, mrn, at, sid, office=exit_office, text=text)


def invalidated(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """The declaration is invalidated (at the declarant's request, or by customs)."""
    return _with_export_parties(common.invalidated(declaration, mrn, at, sid=sid), declaration)


def amended(declaration: dict[str, Any], mrn: str, at: datetime, *, sid: str | None = None) -> dict[str, Any]:
    """An amendment (correction) of the declaration is accepted."""
    return _event(AMENDED, declaration, mrn, at, sid, office=None)


def _event(event: str, declaration: dict[str, Any], mrn: str, at: datetime, sid: str | None, *,
           office: str | None, text: str | None = None) -> dict[str, Any]:
    """A notification of something that happened to an accepted declaration: when (the effective day in
    Denmark), what and where (the customs position), and the text that goes with it."""
    notification = common.accepted(declaration, mrn, at, sid=sid)  # refuses a naive `at`
    summary = {key: value for key, value in notification["Declaration"].items() if key != "AcceptanceDateTime"}
    summary["EffectiveDateTime"] = at.astimezone(COPENHAGEN).date().isoformat()
    position = {"ID": office, "Type": event} if office else {"Type": event}
    found = {**notification, "NotificationEventType": event, "Declaration": summary, "CustomsPosition": position}
    if text:
        found["AdditionalInformation"] = {"StatementDescription": text}
    return _with_export_parties(found, declaration)


def _with_export_parties(notification: dict[str, Any], declaration: dict[str, Any]) -> dict[str, Any]:
    """The summary with what an export answer names besides: the office of export and the exporter."""
    summary = dict(notification["Declaration"])
    office = value_of((declaration.get("ExportOffice") or {}).get("identification"))
    exporter = declaration.get("Exporter") or {}
    party = {"Name": value_of(exporter.get("Name")), "ID": value_of(exporter.get("ID"))}
    summary["CustomsOfficeOfExport"] = office
    summary["Exporter"] = {k: v for k, v in party.items() if v is not None} or None
    return {**notification, "Declaration": summary}
