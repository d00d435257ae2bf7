"""The board's editor for officers (issue 12, part 3; SPEC O): `/board` lists the messages; a message is created,
updated, extended and ended with the same service functions the officer API uses (operations/api.py), each one a
new version in its history and an entry in the audit log. Before it is published or saved, "Preview" shows the
public status page as it will read (pages.status_html on service.with_draft: built aside, nothing published).
Each page's rule is in authorisation.py ROUTES."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from toldsystem.core.clock import local
from toldsystem.core.errors import Rejected, ToldError, problem
from toldsystem.operations import pages, service
from toldsystem.operations.rules import EFFECT_STATES, ENVIRONMENTS, FALLBACK, KINDS, Message
from toldsystem.operations.systems import SYSTEMS
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/board")
menu.add(30, "/board", i18n.N_("Board editor"), officers=True)

Short = Annotated[str, Form(max_length=40)]
Title = Annotated[str, Form(max_length=300)]
Body = Annotated[str, Form(max_length=20_000)]
Note = Annotated[str, Form(max_length=2_000)]
Many = Annotated[list[str], Form(max_length=30)]
_WALL_CLOCK = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends: Danish wall-clock time
CHANNEL_NAMES = {"file": i18n.N_("Files (system-to-system)"), "online": i18n.N_("Online"),
                 "sign_in": i18n.N_("Sign-in"), "response_times": i18n.N_("Response times")}
EFFECT_NAMES = {"rejected": i18n.N_("rejected"), "queued": i18n.N_("queued, processed after the window"),
                "not_affected": i18n.N_("not affected"), "unavailable": i18n.N_("unavailable"),
                "available": i18n.N_("available"), "extended": i18n.N_("extended")}
DONE = {"created": i18n.N_("The message is published."), "updated": i18n.N_("The message is saved."),
        "extended": i18n.N_("The window is extended."), "ended": i18n.N_("The message is ended.")}


def _instant(value: str, pointer: str) -> datetime | None:
    """A time the form sent; one that is not is refused at its field, as a rule's refusal is."""
    if not value.strip():
        return None
    try:
        return datetime.strptime(value.strip()[:16], _WALL_CLOCK)
    except ValueError:
        raise Rejected(problem("form.time", pointer, f"{value} is not a time: write it YYYY-MM-DD HH:MM",
                               f"{value} er ikke et tidspunkt: skriv det ÅÅÅÅ-MM-DD TT:MM")) from None


def _entered(systems: list[str], environments: list[str], kind: str, title: str, body: str, work_order: str,
             window_start: str, window_end: str, recurrence: str, fallback: str, effect_file: str,
             effect_online: str, effect_sign_in: str, effect_response_times: str, note: str) -> dict:
    """What the form sent, as the form shows it again."""
    effects = {"file": effect_file, "online": effect_online, "sign_in": effect_sign_in,
               "response_times": effect_response_times}
    return {"systems": systems, "environments": environments, "kind": kind, "title": title, "body": body,
            "work_order": work_order, "window_start": window_start, "window_end": window_end,
            "recurrence": recurrence, "fallback": fallback, "effects": effects, "note": note}


def _form_fields(shown: dict) -> dict:
    """The message's fields as the service takes them (create's and update's)."""
    return {"systems": shown["systems"], "environments": shown["environments"] or ["PRD"], "kind": shown["kind"],
            "title": shown["title"], "body": shown["body"], "work_order": shown["work_order"],
            "window_start": _instant(shown["window_start"], "window_start"),
            "window_end": _instant(shown["window_end"], "window_end"),
            "recurrence": shown["recurrence"].strip() or None, "fallback": shown["fallback"] or None,
            "effects": [{"channel": channel, "state": state} for channel, state in shown["effects"].items() if state]}


def _shown(message: Message) -> dict:
    """A message as the form shows it (times in Danish wall-clock)."""
    return {"systems": list(message.systems), "environments": list(message.environments), "kind": message.kind,
            "title": message.title, "body": message.body, "work_order": message.work_order,
            "window_start": local(message.window_start).strftime(_WALL_CLOCK) if message.window_start else "",
            "window_end": local(message.window_end).strftime(_WALL_CLOCK) if message.window_end else "",
            "recurrence": message.recurrence or "", "fallback": message.fallback or "",
            "effects": {e.channel: e.state for e in message.effects}}


def _editor(request: Request, visitor: SignedIn, *, message: Message | None, shown: dict, preview: str = "",
            errors: dict | None = None, done: str = "", status: int = 200) -> Response:
    return render(request, visitor, "operations/editor_message.html", {
        "message": message, "shown": shown, "preview": preview, "errors": errors or {}, "done": DONE.get(done),
        "systems": SYSTEMS, "environments": ENVIRONMENTS, "kinds": KINDS, "effect_states": EFFECT_STATES,
        "channel_names": CHANNEL_NAMES, "effect_names": EFFECT_NAMES,
        "fallbacks": FALLBACK, "history": service.histories([message.id])[message.id] if message else []},
        status=status)


FIELDS = frozenset({"systems", "environments", "kind", "title", "body", "work_order", "window_start", "window_end",
                    "recurrence", "effects", "fallback", "note", "until", "at"})


def _problems(visitor: SignedIn, refused: ToldError) -> dict[str, list[str]]:
    """Each refusal at the field it names (an effect's at the effects), else above the form."""
    found = [replace(p, pointer=p.pointer.split("/")[0].split("[")[0]) for p in refused.problems]
    return i18n.at_fields(found, visitor.language, FIELDS, "form")


@router.get("")
def board_page(request: Request, visitor: Visitor) -> Response:
    """Every message on the board, newest change first, with its state now."""
    found = service.sections()
    return render(request, visitor, "operations/editor_board.html", {
        "sections": found, "kinds": KINDS, "systems": SYSTEMS})


@router.get("/new")
def new_page(request: Request, visitor: Visitor) -> Response:
    """An empty message to write."""
    return _editor(request, visitor, message=None, shown={"environments": ["PRD"], "kind": "service_window",
                                                          "effects": {}})


@router.post("/new")
def create(request: Request, visitor: Visitor, action: Short = "preview", systems: Many = [],  # noqa: B006
           environments: Many = [], kind: Short = "", title: Title = "", body: Body = "",  # noqa: B006
           work_order: Short = "", window_start: Short = "", window_end: Short = "", recurrence: Title = "",
           fallback: Short = "", effect_file: Short = "", effect_online: Short = "", effect_sign_in: Short = "",
           effect_response_times: Short = "", note: Note = "") -> Response:
    """Preview the new message on the status page as it will read, or publish it."""
    shown = _entered(systems, environments, kind, title, body, work_order, window_start, window_end, recurrence,
                     fallback, effect_file, effect_online, effect_sign_in, effect_response_times, note)
    try:
        fields = _form_fields(shown)
        if action == "publish":
            made = service.create(**fields, note=note, by=visitor.party)
            return RedirectResponse(f"/board/{made.id}?done=created", status_code=303)
        preview = pages.status_html(request, visitor.language, board=service.with_draft(service.draft(**fields)))
    except ToldError as refused:
        return _editor(request, visitor, message=None, shown=shown, errors=_problems(visitor, refused),
                       status=refused.status)
    return _editor(request, visitor, message=None, shown=shown, preview=preview)


@router.get("/{message_id}")
def message_page(request: Request, visitor: Visitor, message_id: int,
                 done: Annotated[str, Query(max_length=10)] = "") -> Response:
    """One message to update, extend or end, with its history."""
    message = service.get(message_id)
    return _editor(request, visitor, message=message, shown=_shown(message), done=done)


@router.post("/{message_id}")
def update(request: Request, visitor: Visitor, message_id: int, action: Short = "preview",
           systems: Many = [], environments: Many = [], kind: Short = "", title: Title = "",  # noqa: B006
           body: Body = "", work_order: Short = "", window_start: Short = "", window_end: Short = "",
           recurrence: Title = "", fallback: Short = "", effect_file: Short = "", effect_online: Short = "",
           effect_sign_in: Short = "", effect_response_times: Short = "", note: Note = "") -> Response:
    """Preview the changed message on the status page, or save it (a new version in its history)."""
    message = service.get(message_id)
    shown = _entered(systems, environments, kind, title, body, work_order, window_start, window_end, recurrence,
                     fallback, effect_file, effect_online, effect_sign_in, effect_response_times, note)
    try:
        changes = _form_fields(shown)
        if action == "save":
            service.update(message_id, note=note, by=visitor.party, **changes)
            return RedirectResponse(f"/board/{message_id}?done=updated", status_code=303)
        preview = pages.status_html(request, visitor.language,
                                    board=service.with_draft(service.draft_change(message_id, **changes)))
    except ToldError as refused:
        if refused.status == 404:
            raise
        return _editor(request, visitor, message=message, shown=shown, errors=_problems(visitor, refused),
                       status=refused.status)
    return _editor(request, visitor, message=message, shown=shown, preview=preview)


def _acted(request: Request, visitor: SignedIn, message_id: int, done: str, act) -> Response:
    try:
        act()
    except ToldError as refused:
        if refused.status == 404:
            raise
        message = service.get(message_id)
        return _editor(request, visitor, message=message, shown=_shown(message), errors=_problems(visitor, refused),
                       status=refused.status)
    return RedirectResponse(f"/board/{message_id}?done={done}", status_code=303)


@router.post("/{message_id}/extend")
def extend(request: Request, visitor: Visitor, message_id: int, until: Short = "", note: Note = "") -> Response:
    """Move a window's end later."""
    return _acted(request, visitor, message_id, "extended", lambda: service.extend(
        message_id, _instant(until, "until") or _required("until"), note=note, by=visitor.party))


@router.post("/{message_id}/end")
def end(request: Request, visitor: Visitor, message_id: int, at: Short = "", note: Note = "") -> Response:
    """End a window or a disruption, now or at the time given."""
    return _acted(request, visitor, message_id, "ended",
                  lambda: service.end(message_id, _instant(at, "at"), note=note, by=visitor.party))


def _required(pointer: str) -> datetime:
    raise Rejected(problem("form.required", pointer, "give the new end of the window", "angiv vinduets nye slutning"))
