"""HTTP API for transit: NCTS phase 5 XML or JSON in, answers out (inline, in the outbox, or pushed)."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from toldsystem.access.api import CompanyDep, CredentialsDep, PartyDep, party_of
from toldsystem import batching
from toldsystem.core import jsontext
from toldsystem.core.errors import Rejected, problem
from toldsystem.transit import service, webhooks
from toldsystem.transit.service import StoredMessage

router = APIRouter(prefix="/api/transit", tags=["transit"])

XML = "application/xml"
MAX_BODY = 4 * 1024 * 1024


def message_out(m: StoredMessage) -> dict:
    data = {k: v for k, v in m.data.items() if k != "_errors"}
    out = {"id": m.id, "messageType": m.message_type, "messageIdentification": m.message_identification,
           "direction": m.direction, "party": m.party_eori, "created_at": m.created_at.isoformat(), "data": data,
           "links": {"self": f"/api/transit/messages/{m.id}", "xml": f"/api/transit/messages/{m.id}.xml"}}
    if "_errors" in m.data:
        out["errors"] = m.data["_errors"]
    return out


def _wants_xml(request: Request) -> bool:
    """Answer in XML when asked (Accept), else in the language the message came in."""
    accept = request.headers.get("accept", "")
    if "application/json" in accept:
        return False
    return XML in accept or request.headers.get("content-type", "").startswith((XML, "text/xml"))


@router.post("/messages", summary="Send an NCTS phase 5 message (CC015C, CC013C, CC014C, CC170C, CC007C, CC044C)",
             responses={200: {"description": "Handled; the immediate answer (CC928C, CC056C, CC009C …) inline"},
                        400: {"description": "CC917C: the XML could not be read or broke the schema"}},
             openapi_extra={"requestBody": {"content": {
                 XML: {"schema": {"type": "string"}, "example": "<ncts:CC015C xmlns:ncts=\"http://ncts.dgtaxud.ec\">…"},
                 "application/json": {"schema": {"type": "object"},
                                      "example": {"messageType": "CC015C", "messageSender": "DK13585628"}}},
                 "required": True}})
async def send_message(request: Request, credentials: CredentialsDep) -> Response:
    """XML (Content-Type application/xml) or JSON with the same element names and `messageType`."""
    if credentials is None:
        party_of(credentials)  # 401 before reading anything
    body = await request.body()
    if len(body) > MAX_BODY:
        raise Rejected(problem("message.too_large", "body", f"messages are limited to {MAX_BODY} bytes",
                               f"meddelelser må højst fylde {MAX_BODY} bytes"))
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise Rejected(problem("message.json", "body", f"the body is not JSON: {error}",
                                   "indholdet er ikke gyldig JSON")) from None
        if not isinstance(data, dict):
            raise Rejected(problem("message.json", "body", "the body must be a JSON object", "indholdet skal være et JSON-objekt"))
        party, result = await _in_writer(_authenticated, credentials, service.receive_data,
                                         str(data.get("messageType", "")), data)
    else:
        party, result = await _in_writer(_authenticated, credentials, service.receive_xml, body)
    # Inline only what is addressed to the caller; answers for others wait in their outboxes.
    mine = [a for a in result.answers if party.is_officer or a.party_eori == service.recipient(party)]
    first = mine[0] if mine else None
    status = 400 if first is not None and first.message_type == "CC917C" else 200
    headers = {"X-Told-Replay": "true"} if result.repeated else {}
    if result.mrn:
        headers["Location"] = f"/api/transit/movements/{result.mrn}"
    if _wants_xml(request) and first is not None:
        headers["X-Told-Message-Type"] = first.message_type
        return Response(first.xml, status_code=status, media_type=XML, headers=headers)
    body = {"mrn": result.mrn, "repeated": result.repeated, "answers": [message_out(a) for a in mine]}
    return Response(jsontext.dump_bytes(body), status_code=status, media_type="application/json", headers=headers)


def _authenticated(credentials, handle, *args):
    """Authenticate and handle the message in one call off the event loop."""
    party = party_of(credentials)
    return party, handle(party, *args)


async def _in_writer(function, *args):
    """Intake runs where writes go fastest: on SQLite the writer thread, batching commits (batching.py)."""
    return await asyncio.wrap_future(batching.submit(function, *args))


@router.get("/outbox", summary="Answers for you since a message id (oldest first)")
def outbox(party: PartyDep, since: int = 0, limit: int = 100) -> dict:
    found = service.outbox(party, since, limit)
    return {"since": since, "next": found[-1].id if found else since, "messages": [message_out(m) for m in found]}


@router.get("/messages/{message_id}.xml", summary="One message as NCTS phase 5 XML", response_class=Response)
def message_xml(message_id: int, party: PartyDep) -> Response:
    return Response(service.message(party, message_id).xml, media_type=XML)


@router.get("/messages/{message_id}", summary="One message as JSON (Accept: application/xml for XML)")
def message(message_id: int, party: PartyDep, request: Request):
    found = service.message(party, message_id)
    if XML in request.headers.get("accept", ""):
        return Response(found.xml, media_type=XML)
    return message_out(found)


@router.get("/movements", summary="Movements you may see, filtered and paged")
def movements(party: PartyDep, updated_since: datetime | None = None, lrn: str | None = None, mrn: str | None = None,
              holder: str | None = None, state: str | None = None, page: int = 1, page_size: int = 50) -> dict:
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


@router.get("/movements/{mrn}/messages", summary="The movement's messages (yours; all for officers)")
def movement_messages(mrn: str, party: PartyDep) -> list[dict]:
    return [message_out(m) for m in service.movement_messages(party, mrn)]


@router.get("/movements/{mrn}/tad.pdf", summary="Transit accompanying document with list of items (PDF)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def tad(mrn: str, party: PartyDep) -> Response:
    from toldsystem.transit.tad import tad_pdf

    return Response(tad_pdf(party, mrn), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="TAD-{mrn}.pdf"'})


class ControlIn(BaseModel):
    controls: list[str] = Field(default_factory=lambda: ["A"], examples=[["A"]])
    text: str | None = None


class TextIn(BaseModel):
    text: str = Field(min_length=1)


class ControlResultIn(BaseModel):
    conform: bool
    text: str = ""


class ReleaseIn(BaseModel):
    """Box D in the standard procedure (seed 003): the time limit and the seals the office sets."""

    limit_date: date | None = Field(None, examples=["2026-11-27"],
                                    description="default: two days per country entered after the first, 2 to 8")
    seals: list[str] | None = Field(None, examples=[["DK 0001 PADBORG", "DK 0002 PADBORG"]],
                                    description="default: the seals declared; on the first transport equipment")


class AmendmentRequestIn(BaseModel):
    pointers: list[str] = Field(min_length=1, examples=[["/CC015C/Consignment/grossMass"]])
    text: str = Field(min_length=1, max_length=512, examples=["Bruttovægten passer ikke med fragtbrevet"])


class IncidentsIn(BaseModel):
    office: str = Field(examples=["DK003102"], description="the office that registers the incidents")
    incidents: list[dict] = Field(min_length=1, max_length=9,
                                  description="phase 5 Incident blocks (code, text, Endorsement, Location, …)")


class RecoveryIn(BaseModel):
    text: str = Field(min_length=1, max_length=512)
    amount: str | None = Field(None, examples=["1000.00"], description="default: the amount the guarantees cover")
    currency: str | None = Field(None, pattern="^[A-Z]{3}$", examples=["EUR"])
    office: str | None = Field(None, examples=["DK009264"], description="office of recovery; default: departure")


def _answers(found: list[StoredMessage]) -> dict:
    return {"answers": [message_out(m) for m in found]}


@router.post("/movements/{mrn}/release",
             summary="Release for transit: CC029C; box D and seals (officer of the office of departure)")
def release(mrn: str, party: PartyDep, body: ReleaseIn | None = None) -> dict:
    body = body or ReleaseIn()
    return _answers(service.release(party, mrn, body.limit_date, body.seals))


@router.post("/movements/{mrn}/control",
             summary="Decide to control before release: CC060C (officer of the office of departure)")
def control(mrn: str, body: ControlIn, party: PartyDep) -> dict:
    return _answers(service.decide_control(party, mrn, body.controls, body.text))


@router.post("/movements/{mrn}/no-release", summary="Refuse release: CC051C (officer of the office of departure)")
def no_release(mrn: str, body: TextIn, party: PartyDep) -> dict:
    return _answers(service.refuse_release(party, mrn, body.text))


@router.post("/pre-lodged/{holder}/{lrn}/control",
             summary="Announce a control of a pre-lodged declaration's goods: CC060C type 2 "
                     "(officer of the office of departure)")
def intend_control(holder: str, lrn: str, body: ControlIn, party: PartyDep) -> dict:
    return _answers(service.intend_control(party, holder, lrn, body.controls, body.text))


@router.post("/pre-lodged/expire",
             summary="End pre-lodged declarations not presented within 30 days: CC056C (national officer)")
def expire_pre_lodged(party: PartyDep) -> dict:
    return _answers(service.expire_unpresented(party))


@router.post("/movements/{mrn}/amendment-request",
             summary="Notification to amend: CC022C (officer of the office of departure)")
def amendment_request(mrn: str, body: AmendmentRequestIn, party: PartyDep) -> dict:
    return _answers(service.request_amendment(party, mrn, body.pointers, body.text))


@router.post("/movements/{mrn}/invalidation",
             summary="Invalidate, before release or until arrival: CC009C (officer of the office of departure)")
def invalidation(mrn: str, body: TextIn, party: PartyDep) -> dict:
    return _answers(service.invalidate(party, mrn, body.text))


@router.post("/movements/{mrn}/incidents",
             summary="Register incidents on the way: CC182C to the holder (officer of the office of departure)")
def incidents(mrn: str, body: IncidentsIn, party: PartyDep) -> dict:
    return _answers(service.register_incidents(party, mrn, body.office, body.incidents))


@router.post("/movements/{mrn}/control-result",
             summary="Control result at destination: conform closes, else CC025C + CC019C "
                     "(officer of the office of destination)")
def control_result(mrn: str, body: ControlResultIn, party: PartyDep) -> dict:
    return _answers(service.record_control_result(party, mrn, body.conform, body.text))


@router.post("/movements/{mrn}/unloading-permission",
             summary="Let unloading go on: a new CC043C (officer of the office of destination)")
def unloading_permission(mrn: str, party: PartyDep) -> dict:
    return _answers(service.permit_unloading_again(party, mrn))


@router.post("/movements/{mrn}/discrepancies-resolved",
             summary="Major discrepancies resolved: CC045C (officer of the office of destination)")
def discrepancies_resolved(mrn: str, party: PartyDep, body: TextIn | None = None) -> dict:
    return _answers(service.resolve_discrepancies(party, mrn, body.text if body else ""))


@router.post("/movements/{mrn}/recovery",
             summary="Start recovery: CC035C, then CC045C (officer of the office of departure)")
def recovery(mrn: str, body: RecoveryIn, party: PartyDep) -> dict:
    return _answers(service.recover(party, mrn, body.text, body.amount, body.currency, body.office))


class WebhookIn(BaseModel):
    url: str = Field(examples=["https://erp.example.dk/ncts/notify"])


@router.put("/webhook", summary="Register a webhook that is told of each new answer for you")
def put_webhook(body: WebhookIn, company: CompanyDep) -> dict:
    return webhooks.register(company.eori, body.url)


@router.delete("/webhook", status_code=204, summary="Stop pushing answers", response_class=Response)
def delete_webhook(company: CompanyDep) -> Response:
    webhooks.unregister(company.eori)
    return Response(status_code=204)
