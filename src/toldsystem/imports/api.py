"""HTTP API for DMS Import: DEC-DMS XML or the same data as JSON in, DMS notifications out (JSON or XML)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from toldsystem import batching
from toldsystem.access.api import CredentialsDep, PartyDep, party_of
from toldsystem.core import jsontext
from toldsystem.core.api import CONFLICT, ERRORS_REF, JSON, Cursor, Limit, RowId, api_root, room_router
from toldsystem.core.errors import Rejected, problem
from toldsystem.core.http_errors import error_response
from toldsystem.imports import service
from toldsystem.imports.service import Notification
from toldsystem.imports.service.gate import seconds_left
from toldsystem.operations.availability import DEGRADED, REJECTED

router = room_router("/imports", tags=["imports"])
XML = "application/xml"
_readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-import-read")


def _root() -> str:
    return f"{api_root()}/imports"


def notification_out(n: Notification) -> dict:
    return {"id": n.id, "event": n.event_type, "party": n.party, "lrn": n.lrn, "created_at": n.created_at.isoformat(),
            "data": n.data, "links": {"self": f"{_root()}/notifications/{n.id}"}}


def _wants_xml(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    if JSON in accept:
        return False
    return XML in accept or request.headers.get("content-type", "").startswith((XML, "text/xml"))


def _take_in(credentials, submitted: bytes | dict):
    party = party_of(credentials)
    availability = service.gate()
    if availability.state == REJECTED:
        return party, availability, None
    if isinstance(submitted, bytes):
        return party, availability, service.read_xml(submitted)
    return party, availability, service.read_data(submitted)


_ANSWER = {"type": "object", "properties": {
    "mrn": {"type": ["string", "null"]}, "repeated": {"type": "boolean"},
    "notifications": {"type": "array", "items": {"type": "object"}}}, "required": ["mrn", "repeated", "notifications"]}
_XML_NOTIFICATION = {"schema": {"type": "string"}}


@router.post("/declarations", summary="Lodge a DEC-DMS declaration, amendment or invalidation (XML or JSON)",
             responses={200: {"description": "Handled: the notifications to you (ACCEPTED, RELEASED, CONTROL, "
                                             "SUPPLEMENTARY_DUE, INVALIDATED)",
                              "content": {JSON: {"schema": _ANSWER}, XML: _XML_NOTIFICATION}},
                        400: {"description": "REJECTED, with every error and its pointer (or a body that is not JSON)",
                              "content": {JSON: {"schema": {"anyOf": [_ANSWER, {"$ref": ERRORS_REF}]}},
                                          XML: _XML_NOTIFICATION}},
                        202: {"description": "Held by a queued service window; `Location` is where its outcome is",
                              "content": {JSON: {"schema": {"type": "object"}}}},
                        **CONFLICT,
                        429: {"description": "As many declarations held for a window as the queue keeps for one "
                                             "sender (`intake.queue_full`)",
                              "content": {JSON: {"schema": {"$ref": ERRORS_REF}}}},
                        503: {"description": "A service window rejects DMS Import's intake; `Retry-After`",
                              "content": {JSON: {"schema": {"$ref": ERRORS_REF}}}}},
             openapi_extra={"requestBody": {"content": {XML: {"schema": {"type": "string"}},
                                                        "text/xml": {"schema": {"type": "string"}},
                                                        JSON: {"schema": {"type": "object"}}}, "required": True}})
async def lodge(request: Request, credentials: CredentialsDep) -> Response:
    """XML (Content-Type application/xml, namespace urn:wco:datamodel:WCO:DEC-DMS:2) or its data as JSON."""
    if credentials is None:
        party_of(credentials)
    submitted: bytes | dict
    if request.headers.get("content-type", "").startswith(JSON):
        try:
            submitted = await request.json()
        except ValueError:
            raise Rejected(problem("request.json_invalid", "body", "the body is not JSON", "indholdet er ikke JSON")) \
                from None
        if not isinstance(submitted, dict):
            raise Rejected(problem("message.json", "body", "the body must be a JSON object",
                                   "indholdet skal være et JSON-objekt"))
    else:
        submitted = await request.body()
    loop = asyncio.get_running_loop()
    party, availability, read = await loop.run_in_executor(_readers, _take_in, credentials, submitted)
    headers: dict[str, str] = {}
    if read is None:
        retry = seconds_left(availability)
        if retry is not None:
            headers["Retry-After"] = str(retry)
        return error_response(service.Closed(availability).problems, 503, headers)
    taken = await asyncio.wrap_future(batching.submit(service.admit, party, read, submitted, availability))
    if isinstance(taken, service.Queued):
        held = taken.held
        return Response(jsontext.dump_bytes({"id": held.id, "state": held.state,
                                             "links": {"self": f"{_root()}/held/{held.id}"}}),
                        status_code=202, media_type=JSON, headers={"Location": f"{_root()}/held/{held.id}"})
    mine = [n for n in taken.notifications if n.party == service.recipient(party)]
    status = 200 if taken.accepted else 400
    if taken.repeated:
        headers["X-Told-Replay"] = "true"
    if taken.mrn:
        headers["Location"] = f"{_root()}/declarations/{taken.mrn}"
    if availability.state == DEGRADED:
        headers["X-Told-Availability"] = availability.state
    if _wants_xml(request) and mine:
        headers["X-Told-Notification"] = mine[0].event_type
        return Response(mine[0].xml, status_code=status, media_type=XML, headers=headers)
    body = {"mrn": taken.mrn, "repeated": taken.repeated, "notifications": [notification_out(n) for n in mine]}
    return Response(jsontext.dump_bytes(body), status_code=status, media_type=JSON, headers=headers)


@router.get("/held/{held_id}", summary="A declaration a service window holds, then its outcome")
def held(held_id: RowId, party: PartyDep) -> dict:
    found = service.held(party, held_id)
    return {"id": found.id, "state": found.state, "summary": found.summary, "outcome": found.outcome}


@router.get("/declarations", summary="Declarations you may read, oldest first")
def declarations(party: PartyDep, state: Annotated[str | None, Query(max_length=20)] = None, since: Cursor = 0,
                 limit: Limit = 50) -> list[dict]:
    return service.declarations(party, state, limit, since)


@router.get("/declarations/{mrn}", summary="One declaration: state, lane and what chose it, duties, data, events")
def declaration(mrn: str, party: PartyDep) -> dict:
    return service.declaration(party, mrn)


@router.get("/declarations/{mrn}/notifications", summary="The declaration's notifications (yours; all for officers)")
def declaration_notifications(mrn: str, party: PartyDep) -> list[dict]:
    return [notification_out(n) for n in service.declaration_notifications(party, mrn)]


class PresentationIn(BaseModel):
    arrived_at: datetime | None = Field(None, description="The goods' actual arrival (aware; default now)")


@router.post("/declarations/{mrn}/presentation", summary="The goods of a pre-lodged declaration are presented")
def presentation(mrn: str, body: PresentationIn, party: PartyDep) -> dict:
    outcome = service.present(party, mrn, body.arrived_at)
    return {"mrn": outcome.mrn, "notifications": [notification_out(n) for n in outcome.notifications]}


class ControlResultIn(BaseModel):
    released: bool
    note: str = Field("", max_length=2000)


@router.post("/declarations/{mrn}/control-result", summary="The officer's control result: released or refused")
def control_result(mrn: str, body: ControlResultIn, party: PartyDep) -> dict:
    outcome = service.record_control_result(party, mrn, body.released, body.note)
    return {"mrn": outcome.mrn, "notifications": [notification_out(n) for n in outcome.notifications]}


@router.get("/declarations/{mrn}/consignee-notice.pdf", summary="The forwarder's notice to the consignee (PDF); "
            "X-Told-Digest is its SHA-256, X-Told-Sent-At when it was sent", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def consignee_notice(mrn: str, party: PartyDep) -> Response:
    found = service.proof(party, mrn)
    return Response(found.pdf, media_type="application/pdf",
                    headers={"X-Told-Digest": found.digest, "X-Told-Sent-At": found.sent_at.isoformat(),
                             "X-Told-Sent-By": found.channel})


@router.get("/outbox", summary="Notifications for you since an id (oldest first)")
def outbox(party: PartyDep, since: Cursor = 0, limit: Limit = 100) -> dict:
    found = service.outbox(party, since, limit)
    return {"since": since, "next": found[-1].id if found else since,
            "notifications": [notification_out(n) for n in found]}


@router.get("/notifications/{notification_id}", summary="One notification (Accept: application/xml for XML)")
def notification(notification_id: RowId, party: PartyDep, request: Request):
    found = service.notification(party, notification_id)
    if XML in request.headers.get("accept", ""):
        return Response(found.xml, media_type=XML)
    return notification_out(found)


@router.get("/due", summary="Supplementary declarations due and overdue (overdue ones open estimated-assessment "
                            "cases)")
def due(party: PartyDep, today: date | None = None, overdue: bool = False, until: date | None = None,
        after_due: date | None = None, after_id: Cursor = 0, limit: Limit = 100) -> list[dict]:
    """The next page: `after_due` and `after_id` of the last item."""
    after = (after_due, after_id) if after_due is not None else None
    return [{"id": i.id, "mrn": i.mrn, "lrn": i.lrn, "declarant": i.declarant, "consignee": i.consignee,
             "office": i.office, "accepted_at": i.accepted_at.isoformat(), "due": i.due.isoformat(),
             "overdue": i.overdue}
            for i in service.due_list(party, today, overdue_only=overdue, until=until, limit=limit, after=after)]


@router.post("/due/sweep", summary="Open an estimated-assessment case for every overdue declaration")
def sweep(party: PartyDep) -> dict:
    return {"opened": service.sweep(party)}


@router.get("/cases", summary="Estimated-assessment cases (skønsmæssig ansættelse)")
def cases(party: PartyDep, state: Annotated[str | None, Query(max_length=10)] = "open", limit: Limit = 100) -> list:
    return [{"id": c.id, "mrn": c.mrn, "due": c.due.isoformat(), "opened_at": c.opened_at.isoformat(),
             "state": c.state, "note": c.note} for c in service.cases(party, state, limit)]


class CloseIn(BaseModel):
    note: str = Field("", max_length=2000)


@router.post("/cases/{case_id}/close", summary="Close an estimated-assessment case with a note")
def close_case(case_id: RowId, body: CloseIn, party: PartyDep) -> dict:
    found = service.close_case(party, case_id, body.note)
    return {"id": found.id, "mrn": found.mrn, "state": found.state, "note": found.note}


class TextIn(BaseModel):
    text: str = Field(..., max_length=2_000_000)
    seed: str | None = Field(None, max_length=64)


def _officer_reads(party) -> None:
    from toldsystem.imports.authorisation import require_officer
    require_officer(party, "import.settings.read")


@router.get("/settings/rules", summary="The active selectivity rule set")
def rules(party: PartyDep) -> dict:
    _officer_reads(party)
    from toldsystem import db
    with db.reading() as conn:
        found = service.active_rules(conn)
    return {"version": found.version, "text": found.text, "seed": found.seed} if found else {"version": None}


@router.put("/settings/rules", summary="A new selectivity rule set (the officers' rule language)")
def set_rules(body: TextIn, party: PartyDep) -> dict:
    found = service.set_rules(party, body.text, body.seed)
    return {"version": found.version, "seed": found.seed}


@router.get("/settings/tariff", summary="The active tariff (CSV)")
def tariff(party: PartyDep) -> dict:
    _officer_reads(party)
    from toldsystem import db
    with db.reading() as conn:
        found = service.active_tariff(conn)
    return {"version": found.version, "text": found.text} if found else {"version": None}


@router.put("/settings/tariff", summary="A new tariff (CSV: commodity_code,duty_rate)")
def set_tariff(body: TextIn, party: PartyDep) -> dict:
    return {"version": service.set_tariff(party, body.text).version}


class CreditIn(BaseModel):
    status: str = Field(..., max_length=10, description="granted, none, withdrawn or refused")
    since: date | None = None


@router.get("/settings/credit/{eori}", summary="A consignee's customs credit standing")
def credit(eori: str, party: PartyDep) -> dict:
    found = service.credit(party, eori)
    return {"eori": eori.upper(), "status": found.status.value if found else "none",
            "since": found.since.isoformat() if found else None}


@router.put("/settings/credit/{eori}", summary="Set a consignee's customs credit standing")
def set_credit(eori: str, body: CreditIn, party: PartyDep) -> dict:
    found = service.set_credit(party, eori, body.status, body.since)
    return {"eori": found.consignee_eori, "status": found.status.value, "since": found.since.isoformat()}
