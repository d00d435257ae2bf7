"""HTTP API of the operational-messages board (SPEC O). Reading is public — no token — : the messages with their
history, the status page's sections, the systems and their status, the availability answer and the
availability history. Officers write: create, update, extend, end, withdraw (who may: authorisation.py).
Anyone signed in follows it by webhook or e-mail (/operations/subscriptions/…); a subscription is its maker's.

Times are ISO 8601; one sent without an offset is Danish wall-clock time (Europe/Copenhagen); answers give
the Danish offset."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel, Field

from toldsystem.access.api import PartyDep
from toldsystem.core.api import Page, PageSize, RowId, room_router
from toldsystem.operations import service, views
from toldsystem.operations.service import subscriptions
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


# --- subscriptions (anyone signed in; each subscription its maker's) ---------------------------------------------

Systems = Annotated[list[Name], Field(default_factory=list, max_length=30, examples=[["dms_transit"]],
                                      description="codes or the page's names; empty: every system")]
Environments = Annotated[list[Annotated[str, Field(max_length=3)]],
                         Field(["PRD"], min_length=1, max_length=2, description="PRD and/or TFE")]
DeliveryState = Annotated[str | None, Query(pattern="^(pending|delivered|failed)$",
                                            description="pending, delivered or failed")]
Token = Annotated[str, Query(min_length=1, max_length=100, description="the token of the link as it was mailed")]


class WebhookSubscriptionIn(BaseModel):
    url: str = Field(max_length=2000, examples=["https://erp.example.dk/board"])
    systems: Systems
    environments: Environments


class MailSubscriptionIn(BaseModel):
    address: str = Field(max_length=320, examples=["drift@spedition.dk"])
    systems: Systems
    environments: Environments
    language: str = Field("da", max_length=2, description="da or en: the language of the mails")


@router.post("/subscriptions/webhooks", status_code=201,
             summary="Subscribe a URL to the changes of the board's messages for some systems; its signing secret is "
                     "shown once")
def subscribe_webhook(body: WebhookSubscriptionIn, party: PartyDep) -> dict:
    return subscriptions.subscribe_webhook(party, body.url, body.systems, body.environments)


@router.get("/subscriptions/webhooks", summary="Your webhook subscriptions (never their secrets)")
def webhook_subscriptions(party: PartyDep) -> dict:
    return {"subscriptions": subscriptions.webhook_subscriptions(party)}


@router.get("/subscriptions/webhooks/{subscription_id}", summary="One of your webhook subscriptions")
def webhook_subscription(subscription_id: RowId, party: PartyDep) -> dict:
    return subscriptions.webhook_subscription(party, subscription_id)


@router.delete("/subscriptions/webhooks/{subscription_id}", status_code=204, response_class=Response,
               summary="Remove a webhook subscription (posts still waiting are given up; its log stays)")
def remove_webhook(subscription_id: RowId, party: PartyDep) -> Response:
    subscriptions.remove_webhook(party, subscription_id)
    return Response(status_code=204)


@router.post("/subscriptions/webhooks/{subscription_id}/secret",
             summary="Rotate the signing secret: a new one, shown once, signs every post from now on")
def rotate_webhook_secret(subscription_id: RowId, party: PartyDep) -> dict:
    return subscriptions.rotate_webhook_secret(party, subscription_id)


@router.get("/subscriptions/webhooks/{subscription_id}/deliveries",
            summary="The delivery log of a webhook subscription, newest first")
def webhook_deliveries(subscription_id: RowId, party: PartyDep, state: DeliveryState = None, page: Page = 1,
                       page_size: PageSize = 50) -> dict:
    return subscriptions.webhook_deliveries(party, subscription_id, state=state, page=page, page_size=page_size)


@router.post("/subscriptions/email", status_code=201,
             responses={409: {"description": "You already subscribe this address"},
                        503: {"description": "This server sends no e-mail (no SMTP server is configured)"}},
             summary="Subscribe an e-mail address: it is sent a confirmation link, and nothing else until it is opened")
def subscribe_mail(body: MailSubscriptionIn, party: PartyDep) -> dict:
    return subscriptions.subscribe_mail(party, body.address, body.systems, body.environments, body.language)


@router.get("/subscriptions/email", summary="Your e-mail subscriptions, confirmed or not")
def mail_subscriptions(party: PartyDep) -> dict:
    return {"subscriptions": subscriptions.mail_subscriptions(party)}


@router.get("/subscriptions/email/{subscription_id}", summary="One of your e-mail subscriptions")
def mail_subscription(subscription_id: RowId, party: PartyDep) -> dict:
    return subscriptions.mail_subscription(party, subscription_id)


@router.delete("/subscriptions/email/{subscription_id}", status_code=204, response_class=Response,
               summary="Remove an e-mail subscription (mails still waiting are given up)")
def remove_mail(subscription_id: RowId, party: PartyDep) -> Response:
    subscriptions.remove_mail(party, subscription_id)
    return Response(status_code=204)


@router.get("/subscriptions/email/{subscription_id}/deliveries",
            summary="The mails of an e-mail subscription, newest first: its confirmation, then each notice")
def mail_deliveries(subscription_id: RowId, party: PartyDep, state: DeliveryState = None, page: Page = 1,
                    page_size: PageSize = 50) -> dict:
    return subscriptions.mail_deliveries(party, subscription_id, state=state, page=page, page_size=page_size)


@router.post("/subscriptions/email/{subscription_id}/confirm",
             summary="Confirm with the token of the confirmation mail's link (no Authorization needed): from now on "
                     "the address is told")
def confirm_mail(subscription_id: RowId, token: Token) -> dict:
    return subscriptions.confirm(subscription_id, token)


@router.post("/subscriptions/email/{subscription_id}/unsubscribe",
             summary="Unsubscribe with the token of the link at the end of every notice (no Authorization needed): "
                     "the subscription ends")
def unsubscribe_mail(subscription_id: RowId, token: Token) -> dict:
    return subscriptions.unsubscribe(subscription_id, token)
