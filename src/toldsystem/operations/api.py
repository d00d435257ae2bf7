"""HTTP API of the operational-messages board (SPEC O). Reading is public — no token — : the messages with their
history, the status page's sections, the systems and their status, the availability answer and the
availability history. Officers write: create, update, extend, end, withdraw (who may: authorisation.py).

Times are ISO 8601; one sent without an offset is Danish wall-clock time (Europe/Copenhagen); answers give
the Danish offset."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from toldsystem.access.api import PartyDep
from toldsystem.core.api import RowId, room_router
from toldsystem.operations import service, views
from toldsystem.operations.rules import BODY_MAX, NOTE_MAX, TITLE_MAX
from toldsystem.operations.systems import GROUPS, SYSTEMS

router = room_router("/operations", tags=["operations"])

Name = Annotated[str, Field(max_length=60)]
SystemQuery = Annotated[str | None, Query(max_length=60, description="a system's code or the page's name for it, "
                                          "e.g. dms_transit or 'DMS Forsendelse (NCTS)'")]
EnvironmentQuery = Annotated[str | None, Query(max_length=3, description="PRD or TFE")]
AtQuery = Annotated[datetime | None, Query(description="the instant asked about (default now); without an offset "
                                           "Danish time")]


class EffectIn(BaseModel):
    channel: str = Field(max_length=20, examples=["file"], description="file, online, sign_in or response_times")
    state: str = Field(max_length=20, examples=["rejected"],
                       description="file: rejected, queued, not_affected; online: unavailable, available; "
                                   "sign_in: unavailable; response_times: extended")
    systems: list[Name] = Field(default_factory=list, max_length=30,
                                description="the systems it concerns (empty: all the message's)")


class MessageIn(BaseModel):
    systems: list[Name] = Field(min_length=1, max_length=30, examples=[["dms_transit"]],
                                description="codes (GET /operations/systems) or the page's category names")
    environments: list[Annotated[str, Field(max_length=3)]] = Field(["PRD"], min_length=1, max_length=2)
    kind: str = Field(max_length=20, examples=["service_window"],
                      description="service_window, disruption, back_to_normal or information")
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field("", max_length=BODY_MAX)
    work_order: str = Field("", max_length=20, examples=["WO0000001522444"])
    window_start: datetime | None = None
    window_end: datetime | None = None
    recurrence: str | None = Field(None, max_length=200, examples=["FREQ=MONTHLY;BYDAY=+3TU"],
                                   description="an RRULE (RFC 5545): the window recurs, in Danish wall-clock time")
    effects: list[EffectIn] = Field(default_factory=list, max_length=50)
    fallback: str | None = Field(None, max_length=12, description="allowed, on_request or not_allowed")
    note: str = Field("", max_length=NOTE_MAX)


class MessageChange(BaseModel):
    systems: list[Name] | None = Field(None, min_length=1, max_length=30)
    environments: list[Annotated[str, Field(max_length=3)]] | None = Field(None, min_length=1, max_length=2)
    kind: str | None = Field(None, max_length=20)
    title: str | None = Field(None, max_length=TITLE_MAX)
    body: str | None = Field(None, max_length=BODY_MAX)
    work_order: str | None = Field(None, max_length=20)
    window_start: datetime | None = None
    window_end: datetime | None = None
    recurrence: str | None = Field(None, max_length=200)
    effects: list[EffectIn] | None = Field(None, max_length=50)
    fallback: str | None = Field(None, max_length=12)
    note: str = Field("", max_length=NOTE_MAX, description="why; needed to change a window that has passed")


class ExtendIn(BaseModel):
    until: datetime
    note: str = Field("", max_length=NOTE_MAX)


class EndIn(BaseModel):
    at: datetime | None = Field(None, description="when it ended (default now)")
    note: str = Field("", max_length=NOTE_MAX)


class NoteIn(BaseModel):
    note: str = Field("", max_length=NOTE_MAX)


def _system(name: str | None) -> str | None:
    return None if name is None else service.system_codes([name])[0]


def _with_history(message) -> dict:
    return views.message_out(message) | {"history": service.history(message.id)}


# --- public reading -----------------------------------------------------------------------------------------------

@router.get("/messages", summary="Every message, newest update first (public); by system and environment")
def messages(system: SystemQuery = None, environment: EnvironmentQuery = None) -> dict:
    return {"messages": [views.message_out(m) for m in service.messages(_system(system), environment)]}


@router.get("/messages/{message_id}", summary="One message with its history of updates (public)")
def message(message_id: RowId) -> dict:
    return _with_history(service.get(message_id))


@router.get("/board", summary="The status page's sections: current, upcoming, history (public)")
def board(system: SystemQuery = None, environment: EnvironmentQuery = None, at: AtQuery = None) -> dict:
    at = service.instant(at)
    found = service.sections(_system(system), environment, at)
    return {"at": views.iso(at) if at else None,
            **{name: [views.message_out(m) for m in listed] for name, listed in found.items()}}


@router.get("/systems", summary="The systems the board knows, as the page names them, with their groups (public)")
def systems() -> list[dict]:
    return [{"code": s.code, "name": s.page_name, "en": s.en, "da": s.da, "group": s.group,
             "group_en": GROUPS[s.group].en, "group_da": GROUPS[s.group].da} for s in SYSTEMS.values()]


@router.get("/status", summary="Each group of systems' state, rolled up from its systems' (public)")
def status(environment: Annotated[str, Query(max_length=3)] = "PRD", at: AtQuery = None) -> dict:
    rolled = service.status(environment, service.instant(at))
    return {"environment": environment, "groups": [
        {"group": code, "en": GROUPS[code].en, "da": GROUPS[code].da, "state": group["state"],
         "systems": [{"code": s, "name": SYSTEMS[s].page_name, "state": state} for s, state in group["systems"].items()],
         "messages": sorted(group["messages"])} for code, group in rolled.items()]}


@router.get("/availability", summary="Whether a channel of a system is available now or at an instant (public)")
def availability(system: Annotated[str, Query(max_length=60, examples=["dms_transit"])],
                 environment: Annotated[str, Query(max_length=3)] = "PRD",
                 channel: Annotated[str, Query(max_length=10, description="file, online or sign_in")] = "file",
                 at: AtQuery = None) -> dict:
    return views.availability_out(service.availability(_system(system), environment, channel, service.instant(at)))


@router.get("/report", summary="Availability history: per system and month, minutes in windows and disruptions")
def report(year: Annotated[int, Query(ge=2000, le=2100)], environment: Annotated[str, Query(max_length=3)] = "PRD",
           system: SystemQuery = None) -> dict:
    rows = service.availability_report(year, environment, _system(system))
    return {"year": year, "environment": environment, "rows": [
        {"system": r.system, "name": SYSTEMS[r.system].page_name, "month": r.month,
         "planned_minutes": r.planned_minutes, "disruption_minutes": r.disruption_minutes} for r in rows]}


# --- the officer's acts -----------------------------------------------------------------------------------------------

@router.post("/messages", status_code=201, summary="Publish a message or service window (officer)")
def create(body: MessageIn, party: PartyDep) -> dict:
    fields = body.model_dump()
    return _with_history(service.create(**fields, by=party))


@router.patch("/messages/{message_id}", summary="Change a message; the earlier version stays in its history (officer)")
def update(message_id: RowId, body: MessageChange, party: PartyDep) -> dict:
    changes = body.model_dump(exclude_unset=True)
    note = changes.pop("note", "")
    return _with_history(service.update(message_id, note=note, by=party, **changes))


@router.post("/messages/{message_id}/extend", summary="Move a window's end later (officer)")
def extend(message_id: RowId, body: ExtendIn, party: PartyDep) -> dict:
    return _with_history(service.extend(message_id, body.until, note=body.note, by=party))


@router.post("/messages/{message_id}/end", summary="End a window or a disruption, now or at a time (officer)")
def end(message_id: RowId, party: PartyDep, body: EndIn | None = None) -> dict:
    body = body or EndIn()
    return _with_history(service.end(message_id, body.at, note=body.note, by=party))


@router.post("/messages/{message_id}/withdraw", summary="Withdraw a message, e.g. a cancelled window (officer)")
def withdraw(message_id: RowId, party: PartyDep, body: NoteIn | None = None) -> dict:
    return _with_history(service.withdraw(message_id, note=(body or NoteIn()).note, by=party))
