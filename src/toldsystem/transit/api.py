"""HTTP API for transit: NCTS phase 5 XML or JSON in, answers out (inline, in the outbox, or pushed)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from toldsystem import batching
from toldsystem.access.api import CompanyDep, CredentialsDep, PartyDep, party_of
from toldsystem.core import jsontext
from toldsystem.core.api import CONFLICT, ERRORS_REF, JSON, Cursor, Limit, Page, PageSize, RowId, api_root, room_router
from toldsystem.core.errors import Rejected, problem
from toldsystem.operations.availability import DEGRADED, REJECTED
from toldsystem.transit import gating, service, webhooks
from toldsystem.transit.service import MessagePage, MessageQuery, StoredMessage

router = room_router("/transit", tags=["transit"])

XML = "application/xml"


def _root() -> str:
    """Where this room's paths are for the current request (links follow the path the client used)."""
    return f"{api_root()}/transit"

# Reading a message (parsing, schema, conversion) runs here, not in the thread SQLite's writes go
# through: a huge or hostile message costs its own sender's time, not everyone's.
_readers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="told-read")


def message_out(m: StoredMessage) -> dict:
    data = {k: v for k, v in m.data.items() if k != "_errors"}
    out = {"id": m.id, "messageType": m.message_type, "messageIdentification": m.message_identification,
           "direction": m.direction, "party": m.party_eori, "created_at": m.created_at.isoformat(), "data": data,
           "links": {"self": f"{_root()}/messages/{m.id}", "xml": f"{_root()}/messages/{m.id}.xml"}}
    if "_errors" in m.data:
        out["errors"] = m.data["_errors"]
    return out


def _page_out(found: MessagePage) -> dict:
    return {"page": found.page, "page_size": found.page_size, "has_more": found.has_more,
            "messages": [message_out(m) for m in found.messages]}


def _wants_xml(request: Request) -> bool:
    """Answer in XML when asked (Accept), else in the language the message came in."""
    accept = request.headers.get("accept", "")
    if JSON in accept:
        return False
    return XML in accept or request.headers.get("content-type", "").startswith((XML, "text/xml"))


_ANSWERS = {"type": "object", "properties": {
    "mrn": {"type": ["string", "null"]}, "repeated": {"type": "boolean"},
    "answers": {"type": "array", "items": {"type": "object"}}}, "required": ["mrn", "repeated", "answers"]}
_XML_MESSAGE = {"schema": {"type": "string"}}


@router.post("/messages", summary="Send an NCTS phase 5 message (CC015C, CC013C, CC014C, CC170C, CC007C, CC044C)",
             responses={200: {"description": "Handled; the immediate answer (CC928C, CC056C, CC009C …) inline",
                              "content": {JSON: {"schema": _ANSWERS}, XML: _XML_MESSAGE}},
                        202: {"description": "Held: a service window queues the intake; processed in arrival order "
                                             "when it ends. `Location` is where the outcome will be found",
                              "content": {JSON: {"schema": {"type": "object"}}}},
                        400: {"description": "CC917C: the XML could not be read or broke the schema (or JSON nested "
                                             "too deep: `request.json_too_deep`)",
                              "content": {JSON: {"schema": {"anyOf": [_ANSWERS, {"$ref": ERRORS_REF}]}},
                                          XML: _XML_MESSAGE}},
                        **CONFLICT,
                        429: {"description": "You already have as many messages held for a service window as the "
                                             "queue keeps for one sender (`intake.queue_full`)",
                              "content": {JSON: {"schema": {"$ref": ERRORS_REF}}}},
                        503: {"description": "A service window or disruption rejects the intake "
                                             "(`service.unavailable`, naming it; a CC917C saying so to XML callers); "
                                             "`Retry-After` is its end. Nothing of the message was received",
                              "content": {JSON: {"schema": {"$ref": ERRORS_REF}}, XML: _XML_MESSAGE}}},
             openapi_extra={"requestBody": {"content": {
                 XML: {"schema": {"type": "string"}, "example": "<ncts:CC015C xmlns:ncts=\"http://ncts.dgtaxud.ec\">…"},
                 "text/xml": {"schema": {"type": "string"}},
                 JSON: {"schema": {"type": "object"},
                        "example": {"messageType": "CC015C", "messageSender": "DK13585628"}}},
                 "required": True}})
async def send_message(request: Request, credentials: CredentialsDep) -> Response:
    """XML (Content-Type application/xml) or JSON with the same element names and `messageType`. The board decides
    first (transit/service/gate.py): a service window may reject (503) or hold (202) the message."""
    if credentials is None:
        party_of(credentials)  # 401 before reading anything
    submitted: bytes | dict
    if request.headers.get("content-type", "").startswith(JSON):
        try:
            submitted = await request.json()  # read once, bounded in depth (core/api.py)
        except ValueError:  # only an empty body is left unread by core/api.py
            raise Rejected(problem("request.json_invalid", "body", "the body is not JSON: it is empty",
                                   "indholdet er ikke JSON: det er tomt")) from None
        if not isinstance(submitted, dict):
            raise Rejected(problem("message.json", "body", "the body must be a JSON object",
                                   "indholdet skal være et JSON-objekt"))
    else:
        submitted = await request.body()
    party, availability, reading = await _off_the_loop(_take_in, credentials, submitted)
    if reading is None:  # a window rejects the intake: the message is not read
        xml_body = (submitted if isinstance(submitted, bytes) else b"") if _wants_xml(request) else None
        return gating.closed(party, service.Closed(availability), xml_body)
    taken = await asyncio.wrap_future(batching.submit(service.admit, party, reading, submitted, availability))
    if isinstance(taken, service.Queued):
        return gating.accepted(taken.held, taken.availability, _root())
    result = taken
    # Inline only what is addressed to the caller; answers for others wait in their outboxes.
    mine = [a for a in result.answers if party.is_officer or a.party_eori == service.recipient(party)]
    first = mine[0] if mine else None
    status = 400 if first is not None and first.message_type == "CC917C" else 200
    headers = {"X-Told-Replay": "true"} if result.repeated else {}
    if result.mrn:
        headers["Location"] = f"{_root()}/movements/{result.mrn}"
    if availability.state == DEGRADED:  # extended response times: said, and the message behind it named
        headers["X-Told-Availability"] = service.notice(availability)
    if _wants_xml(request) and first is not None:
        headers["X-Told-Message-Type"] = first.message_type
        return Response(first.xml, status_code=status, media_type=XML, headers=headers)
    body = {"mrn": result.mrn, "repeated": result.repeated, "answers": [message_out(a) for a in mine]}
    return Response(jsontext.dump_bytes(body), status_code=status, media_type=JSON, headers=headers)


def _take_in(credentials, submitted: bytes | dict):
    """Authenticate, ask the board, and read the message unless the board rejects it (then reading is None): before
    the unit of work, neither in the writer nor on the event loop (the board's snapshot is checked against the store
    every few seconds, and built again after a change)."""
    party = party_of(credentials)
    availability = service.gate()
    if availability.state == REJECTED:
        return party, availability, None
    if isinstance(submitted, bytes):
        return party, availability, service.read_xml(submitted)
    return party, availability, service.read_data(str(submitted.get("messageType", "")), submitted)


async def _off_the_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(_readers, function, *args)


@router.get("/held/{held_id}", summary="A message a service window holds: held, then processed with links to its "
                                        "answers (its sender's; officers')",
            responses={404: {"description": "No such held message, or not yours"}})
def held_message(held_id: RowId, party: PartyDep) -> dict:
    return gating.held_out(service.held(party, held_id), _root())


MessageType = Annotated[str | None, Query(alias="messageType", max_length=6, description="e.g. CC029C")]
Since = Annotated[datetime | None, Query(description="Created at or after (ISO 8601)")]
Until = Annotated[datetime | None, Query(description="Created before (ISO 8601)")]


@router.get("/messages", summary="Your messages, in and out: a refused declaration by LRN or messageIdentification, "
                                 "filtered by type and time, paged")
def find_messages(party: PartyDep, lrn: Annotated[str | None, Query(max_length=22)] = None,
                  message_identification: Annotated[str | None, Query(alias="messageIdentification",
                                                                      max_length=35)] = None,
                  message_type: MessageType = None, since: Since = None, until: Until = None, page: Page = 1,
                  page_size: PageSize = 50) -> dict:
    query = MessageQuery(message_type, since, until, page, page_size)
    return _page_out(service.find_messages(party, query, lrn=lrn, message_identification=message_identification))


@router.get("/outbox", summary="Answers for you since a message id (oldest first)")
def outbox(party: PartyDep, since: Cursor = 0, limit: Limit = 100) -> dict:
    found = service.outbox(party, since, limit)
    return {"since": since, "next": found[-1].id if found else since, "messages": [message_out(m) for m in found]}


@router.get("/messages/{message_id}.xml", summary="One message as NCTS phase 5 XML", response_class=Response,
            responses={200: {"content": {XML: _XML_MESSAGE}}})
def message_xml(message_id: RowId, party: PartyDep) -> Response:
    return Response(service.message(party, message_id).xml, media_type=XML)


@router.get("/messages/{message_id}", summary="One message as JSON (Accept: application/xml for XML)",
            responses={200: {"content": {JSON: {"schema": {"type": "object"}}, XML: _XML_MESSAGE}}})
def message(message_id: RowId, party: PartyDep, request: Request):
    found = service.message(party, message_id)
    if XML in request.headers.get("accept", ""):
        return Response(found.xml, media_type=XML)
    return message_out(found)


@router.get("/movements", summary="Movements you may see, filtered and paged")
def movements(party: PartyDep, updated_since: datetime | None = None, lrn: str | None = None, mrn: str | None = None,
              holder: str | None = None, state: str | None = None, page: Page = 1, page_size: PageSize = 50) -> dict:
    return service.list_movements(party, updated_since=updated_since, lrn=lrn, mrn=mrn, holder=holder, state=state,
                                  page=page, page_size=page_size)


@router.get("/movements/{mrn}", summary="One movement and its state")
def movement(mrn: str, party: PartyDep) -> dict:
    return service.movement(party, mrn)


@router.get("/movements/{mrn}/declaration", summary="The declaration as accepted (access codes left out)")
def declaration(mrn: str, party: PartyDep) -> dict:
    return service.movement_declaration(party, mrn)


@router.get("/movements/{mrn}/events", summary="The movement's audit trail")
def events(mrn: str, party: PartyDep) -> list[dict]:
    return service.events(party, mrn)


@router.get("/movements/{mrn}/messages", summary="The movement's messages (yours; all for officers), filtered and "
                                                  "paged; a Link header names the next page")
def movement_messages(mrn: str, party: PartyDep, request: Request, response: Response, message_type: MessageType = None,
                      since: Since = None, until: Until = None, page: Page = 1, page_size: PageSize = 100) -> list[dict]:
    found = service.movement_messages_page(party, mrn, MessageQuery(message_type, since, until, page, page_size))
    if found.has_more:
        following = {**request.query_params, "page": str(page + 1), "page_size": str(page_size)}
        response.headers["Link"] = f'<{_root()}/movements/{mrn}/messages?{urlencode(following)}>; rel="next"'
    return [message_out(m) for m in found.messages]


@router.get("/movements/{mrn}/tad.pdf", summary="Transit accompanying document with list of items (PDF)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}, **CONFLICT})
def tad(mrn: str, party: PartyDep) -> Response:
    from toldsystem.transit.tad import tad_pdf

    return Response(tad_pdf(party, mrn), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="TAD-{mrn}.pdf"'})


class ControlIn(BaseModel):
    controls: list[str] = Field(default_factory=lambda: ["A"], max_length=9, examples=[["A"]])
    text: str | None = Field(None, max_length=512)


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=512)


class ControlResultIn(BaseModel):
    conform: bool
    text: str = Field("", max_length=512)


class ReleaseIn(BaseModel):
    """Box D in the standard procedure (seed 003): the time limit and the seals the office sets."""

    limit_date: date | None = Field(None, examples=["2026-11-27"],
                                    description="default: two days per country entered after the first, 2 to 8")
    seals: list[str] | None = Field(None, max_length=99, examples=[["DK 0001 PADBORG", "DK 0002 PADBORG"]],
                                    description="default: the seals declared; on the first transport equipment")


class AmendmentRequestIn(BaseModel):
    pointers: list[str] = Field(min_length=1, max_length=99, examples=[["/CC015C/Consignment/grossMass"]])
    text: str = Field(min_length=1, max_length=512, examples=["Bruttovægten passer ikke med fragtbrevet"])


class IncidentsIn(BaseModel):
    office: str = Field(max_length=8, examples=["DK003102"], description="the office that registers the incidents")
    incidents: list[dict] = Field(min_length=1, max_length=9,
                                  description="phase 5 Incident blocks (code, text, Endorsement, Location, …)")


class RecoveryIn(BaseModel):
    text: str = Field(min_length=1, max_length=512)
    amount: str | None = Field(None, max_length=20, examples=["1000.00"],
                               description="default: the amount the guarantees cover")
    currency: str | None = Field(None, pattern="^[A-Z]{3}$", examples=["EUR"])
    office: str | None = Field(None, max_length=8, examples=["DK009264"],
                               description="office of recovery; default: departure")


def _answers(found: list[StoredMessage]) -> dict:
    return {"answers": [message_out(m) for m in found]}


@router.post("/movements/{mrn}/release", responses=CONFLICT,
             summary="Release for transit: CC029C; box D and seals (officer of the office of departure)")
def release(mrn: str, party: PartyDep, body: ReleaseIn | None = None) -> dict:
    body = body or ReleaseIn()
    return _answers(service.release(party, mrn, body.limit_date, body.seals))


@router.post("/movements/{mrn}/control", responses=CONFLICT,
             summary="Decide to control before release: CC060C (officer of the office of departure)")
def control(mrn: str, body: ControlIn, party: PartyDep) -> dict:
    return _answers(service.decide_control(party, mrn, body.controls, body.text))


@router.post("/movements/{mrn}/no-release", summary="Refuse release: CC051C (officer of the office of departure)")
def no_release(mrn: str, body: TextIn, party: PartyDep) -> dict:
    return _answers(service.refuse_release(party, mrn, body.text))


@router.post("/pre-lodged/{holder}/{lrn}/control", responses=CONFLICT,
             summary="Announce a control of a pre-lodged declaration's goods: CC060C type 2 "
                     "(officer of the office of departure)")
def intend_control(holder: str, lrn: str, body: ControlIn, party: PartyDep) -> dict:
    return _answers(service.intend_control(party, holder, lrn, body.controls, body.text))


@router.post("/pre-lodged/expire", responses=CONFLICT,
             summary="End pre-lodged declarations not presented within 30 days: CC056C (national officer)")
def expire_pre_lodged(party: PartyDep) -> dict:
    return _answers(service.expire_unpresented(party))


@router.post("/movements/{mrn}/amendment-request", responses=CONFLICT,
             summary="Notification to amend: CC022C (officer of the office of departure)")
def amendment_request(mrn: str, body: AmendmentRequestIn, party: PartyDep) -> dict:
    return _answers(service.request_amendment(party, mrn, body.pointers, body.text))


@router.post("/movements/{mrn}/invalidation", responses=CONFLICT,
             summary="Invalidate, before release or until arrival: CC009C (officer of the office of departure)")
def invalidation(mrn: str, body: TextIn, party: PartyDep) -> dict:
    return _answers(service.invalidate(party, mrn, body.text))


@router.post("/movements/{mrn}/incidents", responses=CONFLICT,
             summary="Register incidents on the way: CC182C to the holder (officer of the office of departure)")
def incidents(mrn: str, body: IncidentsIn, party: PartyDep) -> dict:
    return _answers(service.register_incidents(party, mrn, body.office, body.incidents))


@router.post("/movements/{mrn}/control-result", responses=CONFLICT,
             summary="Control result at destination: conform closes, else CC025C + CC019C "
                     "(officer of the office of destination)")
def control_result(mrn: str, body: ControlResultIn, party: PartyDep) -> dict:
    return _answers(service.record_control_result(party, mrn, body.conform, body.text))


@router.post("/movements/{mrn}/unloading-permission", responses=CONFLICT,
             summary="Let unloading go on: a new CC043C (officer of the office of destination)")
def unloading_permission(mrn: str, party: PartyDep) -> dict:
    return _answers(service.permit_unloading_again(party, mrn))


@router.post("/movements/{mrn}/discrepancies-resolved", responses=CONFLICT,
             summary="Major discrepancies resolved: CC045C (officer of the office of destination)")
def discrepancies_resolved(mrn: str, party: PartyDep, body: TextIn | None = None) -> dict:
    return _answers(service.resolve_discrepancies(party, mrn, body.text if body else ""))


@router.post("/movements/{mrn}/recovery", responses=CONFLICT,
             summary="Start recovery: CC035C, then CC045C (officer of the office of departure)")
def recovery(mrn: str, body: RecoveryIn, party: PartyDep) -> dict:
    return _answers(service.recover(party, mrn, body.text, body.amount, body.currency, body.office))


# --- webhooks -------------------------------------------------------------------------------------------

class WebhookIn(BaseModel):
    url: str = Field(examples=["https://erp.example.dk/ncts/notify"])


@router.put("/webhook", summary="Register (or move) the webhook told of each new answer for you; "
                                "the first registration shows its signing secret once")
def put_webhook(body: WebhookIn, company: CompanyDep) -> dict:
    return webhooks.register(company.eori, body.url)


@router.get("/webhook", summary="Your webhook: its URL and when its secret was made (never the secret)",
            responses={404: {"description": "No webhook is registered"}})
def get_webhook(company: CompanyDep) -> dict:
    return webhooks.registration(company.eori)


@router.post("/webhook/secret", summary="Rotate the signing secret: a new one, shown once, signs every post from now on",
             responses={404: {"description": "No webhook is registered"}})
def rotate_webhook_secret(company: CompanyDep) -> dict:
    return webhooks.rotate_secret(company.eori)


@router.delete("/webhook", status_code=204, summary="Stop pushing answers (deliveries still waiting are given up)",
               response_class=Response)
def delete_webhook(company: CompanyDep) -> Response:
    webhooks.unregister(company.eori)
    return Response(status_code=204)


DeliveryState = Annotated[str | None, Query(pattern="^(pending|delivered|failed)$",
                                            description="pending, delivered or failed")]


@router.get("/webhook/deliveries", summary="The delivery log of your webhook, newest first: each announcement, "
                                           "its attempts, the receiver's last status")
def webhook_deliveries(company: CompanyDep, state: DeliveryState = None, page: Page = 1,
                       page_size: PageSize = 50) -> dict:
    return webhooks.deliveries(company.eori, state=state, page=page, page_size=page_size)
