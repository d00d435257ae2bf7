"""HTTP API of the export room: DEC-DMS export XML or the same data as JSON in (by Content-Type), answers out as DMS
notifications (JSON, or XML when asked with Accept or sent in XML). Writes run through batching.submit; reading a
message runs off the event loop. The board gates the intake (export/service/gate.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from toldsystem import batching
from toldsystem.access.api import CredentialsDep, PartyDep, party_of
from toldsystem.core import jsontext
from toldsystem.core.api import ERRORS_REF, JSON, Cursor, Limit, RowId, api_root, room_router
from toldsystem.core.errors import Forbidden, Rejected, problem
from toldsystem.core.http_errors import error_response
from toldsystem.export import authorisation, messages, reading, service
from toldsystem.export.service.gate import HANDLER, seconds_left_of
from toldsystem.intake import service as intake
from toldsystem.operations.availability import REJECTED

router = room_router("/export", tags=["export"])
XML = "application/xml"
_readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-export-read")
Kind = Annotated[str | None, Query(max_length=20, description="declaration, simplified, amendment, invalidation, "
                                                                 "arrival_at_exit (default: told from the content)")]
_ANY = {"content": {JSON: {"schema": {"type": "object"}}, XML: {"schema": {"type": "string"}}}}
_ERRORS = {"content": {JSON: {"schema": {"$ref": ERRORS_REF}}}}
# Every answer a write may give: the notification (200; 400 unreadable, 422 refused: REJECTED), 202 held, and the
# errors of core/errors.py (403 not yours to do, 404 unknown, 409 not now, 503 the board's window).
# 400 and 422 are a REJECTED notification, or the errors body when the request itself cannot be read or checked.
_REJECTED_OR_ERRORS = {"content": {JSON: {"schema": {"anyOf": [{"type": "object"}, {"$ref": ERRORS_REF}]}},
                           XML: {"schema": {"type": "string"}}}}
_BOTH = {200: _ANY, 202: _ANY, 400: _REJECTED_OR_ERRORS, 422: _REJECTED_OR_ERRORS, 403: _ERRORS, 404: _ERRORS,
         409: _ERRORS, 503: _ERRORS}
Mrn = Annotated[str, Field(min_length=1, max_length=18)]


def _root() -> str:
    return f"{api_root()}/export"


def _wants_xml(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    if JSON in accept:
        return False
    return XML in accept or request.headers.get("content-type", "").startswith((XML, "text/xml"))


def notification_out(n: service.Notification) -> dict:
    return {"id": n.id, "party": n.party, "event": n.event_type, "created_at": n.created_at.isoformat(),
            "data": n.data, "links": {"self": f"{_root()}/notifications/{n.id}"}}


def _answer(request: Request, party, outcome: service.Outcome, status: int = 200) -> Response:
    mine = outcome.for_party(party)
    headers = {"X-Told-Replay": "true"} if outcome.repeated else {}
    if outcome.mrn:
        headers["Location"] = f"{_root()}/declarations/{outcome.mrn}"
    if _wants_xml(request) and mine:
        headers["X-Told-Event"] = mine[0].event_type
        return Response(messages.render("notification", mine[0].data), status_code=status, media_type=XML,
                        headers=headers)
    body = {"mrn": outcome.mrn, "status": outcome.status, "repeated": outcome.repeated,
            "notifications": [notification_out(n) for n in mine]}
    return Response(jsontext.dump_bytes(body), status_code=status, media_type=JSON, headers=headers)


def _take_in(credentials, submitted: bytes | dict, kind: str | None):
    party = party_of(credentials)
    availability = service.gate()
    if availability.state == REJECTED:
        return party, availability, None
    if isinstance(submitted, bytes):
        return party, availability, service.read_xml(submitted, kind)
    return party, availability, service.read_data(submitted, kind)


@router.post("/messages", summary="Send an export message: a B1/C1 declaration, an amendment or an invalidation",
             responses=_BOTH,
             openapi_extra={"requestBody": {"content": {XML: {"schema": {"type": "string"}},
                                                        JSON: {"schema": {"type": "object"}}}, "required": True}})
async def send_message(request: Request, credentials: CredentialsDep, kind: Kind = None) -> Response:
    """XML (Content-Type application/xml) or JSON with the same element names. 200 with the notification
    (ACCEPTED with the MRN ...), 400 when it cannot be read, 422 when refused (REJECTED with pointers),
    503 with Retry-After in a window that rejects, 202 when one queues. Companies only: the office of exit
    sends the arrival at exit to /declarations/{mrn}/arrival."""
    authorisation.require_company(party_of(credentials))  # 401 without a token, 403 to officers, before reading
    if kind == "arrival_at_exit":
        raise Forbidden(problem("export.arrival.office_only", "/kind", "The arrival at exit is registered by the "
                                "office of exit (/declarations/{mrn}/arrival).",
                                "Ankomsten til udgang registreres af udgangstoldstedet."))
    return await _intake(request, credentials, kind)


@router.post("/declarations/{mrn}/arrival", summary="The arrival at exit (CC507C, XML or JSON) from the office of exit",
             responses=_BOTH,
             openapi_extra={"requestBody": {"content": {XML: {"schema": {"type": "string"}},
                                                        JSON: {"schema": {"type": "object"}}}, "required": True}})
async def arrival(mrn: str, request: Request, credentials: CredentialsDep) -> Response:
    """An officer of the office of exit registers the arrival; the message's MRN must be the path's."""
    return await _intake(request, credentials, "arrival_at_exit", mrn)


async def _intake(request: Request, credentials, kind: str | None, mrn: str | None = None) -> Response:
    if request.headers.get("content-type", "").startswith(JSON):
        try:
            submitted = await request.json()
        except ValueError:
            raise Rejected(problem("request.json_invalid", "body", "the body is not JSON", "indholdet er ikke JSON"))
    else:
        submitted = await request.body()
    loop = asyncio.get_running_loop()
    party, availability, read = await loop.run_in_executor(_readers, _take_in, credentials, submitted, kind)
    if mrn is not None:
        authorisation.arrival_sender(party, mrn, read)
    if read is None:
        return _closed(service.Closed(availability))
    taken = await asyncio.wrap_future(batching.submit(service.admit, party, read, submitted, availability))
    if isinstance(taken, service.Queued):
        held = taken.held
        headers = {"Location": f"{_root()}/held/{held.id}"}
        retry = seconds_left_of(taken.availability)
        if retry is not None:
            headers["Retry-After"] = str(retry)
        body = {"id": held.id, "state": held.state, "links": {"self": f"{_root()}/held/{held.id}"}}
        return Response(jsontext.dump_bytes(body), status_code=202, media_type=JSON, headers=headers)
    status = 200 if taken.mrn else (400 if read.problems else 422)
    return _answer(request, party, taken, status)


def _closed(refused: service.Closed) -> Response:
    headers = {}
    retry = seconds_left_of(refused.availability)
    if retry is not None:
        headers["Retry-After"] = str(retry)
    return error_response(refused.problems, 503, headers)


@router.get("/held/{held_id}", summary="A message a service window holds, then its outcome")
def held_message(held_id: RowId, party: PartyDep) -> dict:
    found = intake.get(party, held_id, handler=HANDLER)
    return {"id": found.id, "state": found.state, "outcome": found.outcome}


class Decision(BaseModel):
    reason: str = Field("", max_length=500)


class Control(Decision):
    lane: str = Field("documentary", max_length=20)


class Exit(BaseModel):
    departure: str | None = Field(None, max_length=70)
    document: str | None = Field(None, max_length=70)


async def _write(request: Request, party, function, *args, **kwargs) -> Response:
    outcome = await asyncio.wrap_future(batching.submit(lambda: function(party, *args, **kwargs)))
    return _answer(request, party, outcome)


@router.post("/declarations/{mrn}/release", summary="Release for export (an officer of the office of export)",
             responses=_BOTH)
async def release(mrn: str, decision: Decision, party: PartyDep, request: Request) -> Response:
    return await _write(request, party, service.release, mrn, reason=decision.reason)


@router.post("/declarations/{mrn}/control", summary="Select for control (an officer of the office of export)",
             responses=_BOTH)
async def control(mrn: str, decision: Control, party: PartyDep, request: Request) -> Response:
    return await _write(request, party, service.select_for_control, mrn, lane=decision.lane, reason=decision.reason)


@router.post("/declarations/{mrn}/goods-presented", summary="A pre-lodged declaration's goods are presented",
             responses=_BOTH)
async def goods_presented(mrn: str, party: PartyDep, request: Request) -> Response:
    return await _write(request, party, service.present_goods, mrn)


@router.post("/declarations/{mrn}/presentation", summary="Presented at the office of exit (its officer)",
             responses=_BOTH)
async def presentation(mrn: str, party: PartyDep, request: Request) -> Response:
    return await _write(request, party, service.present_at_exit, mrn)


@router.post("/declarations/{mrn}/exit", summary="Exit confirmed (an officer of the office of exit)",
             responses=_BOTH)
async def exit_confirmed(mrn: str, body: Exit, party: PartyDep, request: Request) -> Response:
    if body.departure is not None:  # a departure's exit confirmation comes from the Manifest room, not the API
        raise Rejected(problem("export.exit.departure_by_manifest", "/departure",
                               "A Manifest departure confirms exits through the Manifest room.",
                               "En afgang i Manifest attesterer udpassage via Manifest."))
    return await _write(request, party, service.confirm_exit, mrn, document=body.document)


@router.post("/declarations/{mrn}/invalidation", summary="Invalidate (the declarant, or the office of export)",
             responses=_BOTH)
async def invalidation(mrn: str, decision: Decision, party: PartyDep, request: Request) -> Response:
    return await _write(request, party, service.invalidate, mrn, reason=decision.reason)


def declaration_out(found: reading.DeclarationView) -> dict:
    return {"mrn": found.mrn, "lrn": found.lrn, "kind": found.kind, "type_code": found.type_code,
            "status": found.status, "declarant": found.declarant, "representative": found.representative,
            "exporter": found.exporter, "office_of_export": found.office_of_export,
            "office_of_exit": found.office_of_exit, "fallback": found.fallback,
            "times": {k: v.isoformat() if v else None for k, v in found.times.items()}, "data": found.data,
            "links": {"self": f"{_root()}/declarations/{found.mrn}",
                      "events": f"{_root()}/declarations/{found.mrn}/events",
                      "notifications": f"{_root()}/declarations/{found.mrn}/notifications"}}


@router.get("/declarations/{mrn}", summary="One declaration (Accept: application/xml for the XML received)",
            responses=_BOTH)
def declaration(mrn: str, party: PartyDep, request: Request):
    found = reading.declaration(party, mrn)
    if XML in request.headers.get("accept", ""):
        return Response(found.xml, media_type=XML)
    return declaration_out(found)


@router.get("/declarations/{mrn}/events", summary="The declaration's audit trail")
def events(mrn: str, party: PartyDep) -> dict:
    return {"mrn": mrn, "events": [{"at": e.at.isoformat(), "event": e.event, "status": e.status,
                                    "actor": e.actor, "detail": e.detail} for e in reading.events(party, mrn)]}


@router.get("/declarations/{mrn}/notifications", summary="The declaration's notifications (yours)")
def declaration_notifications(mrn: str, party: PartyDep) -> dict:
    return {"mrn": mrn, "notifications": [notification_out(n) for n in reading.notifications(party, mrn)]}


@router.get("/outbox", summary="Notifications for you since an id (oldest first)")
def outbox(party: PartyDep, since: Cursor = 0, limit: Limit = 100) -> dict:
    found = reading.outbox(party, after=since, limit=limit)
    return {"since": since, "next": found[-1].id if found else since,
            "notifications": [notification_out(n) for n in found]}


@router.get("/notifications/{notification_id}", summary="One notification (Accept: application/xml for XML)",
            responses=_BOTH)
def notification(notification_id: RowId, party: PartyDep, request: Request):
    found = reading.notification(party, notification_id)
    if XML in request.headers.get("accept", ""):
        return Response(messages.render("notification", found.data), media_type=XML)
    return notification_out(found)
