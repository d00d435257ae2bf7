"""The officers' back office for transit (issue 12, part 3): `/office`, the work lists of the officer's office, and
`/office/movements/{mrn}`, a movement opened — its declaration readably, its audit trail and messages — and decided
with the same service functions the officer API uses (transit/api.py), each decision recorded in the audit trail
by the service. Thin: which decisions are offered is transit.service.decisions_open (the table and the state);
each page's rule is in authorisation.py ROUTES."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from toldsystem.core.errors import NotFound, Rejected, ToldError, problem
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import service
from toldsystem.transit.office_texts import DECISION_NAMES, STATE_NAMES
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/office")
menu.add(10, "/office", i18n.N_("Work lists"), system="transit", officers=True)

Page = Annotated[int, Query(ge=1, le=10_000)]
Text = Annotated[str, Form(max_length=512)]
Short = Annotated[str, Form(max_length=40)]
Lines = Annotated[str, Form(max_length=4000)]
PAGE_SIZE = 20

# The decisions a movement page offers, by the rule that decides it: the path of its form (as the API's).
DECISION_PATHS = {"movement.control": "control", "movement.release": "release",
                  "movement.request_amendment": "amendment-request", "movement.refuse_release": "no-release",
                  "movement.invalidate": "invalidation", "movement.register_incident": "incidents",
                  "movement.control_result": "control-result", "movement.permit_unloading": "unloading-permission",
                  "movement.resolve_discrepancies": "discrepancies-resolved", "movement.recover": "recovery"}


@router.get("")
def office_home(request: Request, visitor: Visitor, departure_page: Page = 1, destination_page: Page = 1) -> Response:
    """The officer's home: what waits at its office — to release or control at departure, arrivals, unloading
    remarks and discrepancies at destination — and the office of guarantee's counts."""
    party = visitor.party
    lists = {kind: service.work_list(party, kind, page, PAGE_SIZE)
             for kind, page in ((service.DEPARTURE, departure_page), (service.DESTINATION, destination_page))}
    guarantee_counts = guarantees.guarantee_counts(party) if party.may_use("guarantees") else None
    return render(request, visitor, "transit/office_home.html", {
        "lists": lists, "guarantee_counts": guarantee_counts, "office": party.office, "state_names": STATE_NAMES})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _movement_page(request: Request, visitor: SignedIn, mrn: str, *, done: str = "", failed: str = "",
                   errors: list[str] | None = None, status: int = 200) -> Response:
    view = service.office_view(visitor.party, mrn)
    return render(request, visitor, "transit/office_movement.html", {
        "view": view, "m": view.movement, "d": view.declaration, "state_names": STATE_NAMES,
        "decisions": {name: DECISION_PATHS[name] for name in view.decisions}, "decision_names": DECISION_NAMES,
        "done": next((name for name, path in DECISION_PATHS.items() if path == done), None),
        "failed": failed, "errors": errors or []}, status=status)


@router.get("/movements/{mrn}")
def movement_page(request: Request, visitor: Visitor, mrn: str,
                  done: Annotated[str, Query(max_length=40)] = "") -> Response:
    """One movement as its offices' officers see it; to anyone else the unknown page."""
    return _movement_page(request, visitor, mrn, done=done if done in DECISION_PATHS.values() else "")


@router.get("/movements/{mrn}/messages/{message_id}.xml")
def message_xml(visitor: Visitor, mrn: str, message_id: int) -> Response:
    """One of the movement's messages as NCTS phase 5 XML, to read or save."""
    found = next((m for m in service.office_view(visitor.party, mrn).messages if m.id == message_id), None)
    if found is None:
        raise NotFound(problem("message.unknown", "message_id", f"no message {message_id}",
                               f"ingen meddelelse {message_id}"))
    return Response(found.xml, media_type="application/xml",
                    headers={"Content-Disposition": f'inline; filename="{found.message_type}-{found.id}.xml"'})


def _decided(request: Request, visitor: SignedIn, mrn: str, path: str, decide: Callable[[], object]) -> Response:
    """Take the decision; then back to the movement, saying it was done — or its refusal at its form, in the
    visitor's language (an unknown movement stays the unknown page)."""
    try:
        decide()
    except ToldError as refused:
        if refused.status == 404:
            raise
        return _movement_page(request, visitor, mrn, failed=path, status=refused.status,
                              errors=[i18n.problem_text(p, visitor.language) for p in refused.problems])
    return RedirectResponse(f"/office/movements/{mrn}?done={path}", status_code=303)


def _date(value: str, pointer: str) -> date | None:
    """A date the form sent (YYYY-MM-DD); one that is not is refused at its field, as a rule's refusal is."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Rejected(problem("form.date", pointer, f"{value} is not a date: write it YYYY-MM-DD",
                               f"{value} er ikke en dato: skriv den ÅÅÅÅ-MM-DD")) from None


@router.post("/movements/{mrn}/release")
def release(request: Request, visitor: Visitor, mrn: str, limit_date: Short = "", seals: Lines = "") -> Response:
    """CC029C; in the standard procedure with box D: the time limit and the seals (default: the route's and the
    declared ones)."""
    return _decided(request, visitor, mrn, "release", lambda: service.release(
        visitor.party, mrn, _date(limit_date, "limit_date"), _lines(seals) or None))


@router.post("/movements/{mrn}/control")
def control(request: Request, visitor: Visitor, mrn: str, controls: Short = "A", text: Text = "") -> Response:
    """CC060C: the office will control before release."""
    codes = [c.strip().upper() for c in controls.split(",") if c.strip()] or ["A"]
    return _decided(request, visitor, mrn, "control",
                    lambda: service.decide_control(visitor.party, mrn, codes, text or None))


@router.post("/movements/{mrn}/no-release")
def no_release(request: Request, visitor: Visitor, mrn: str, text: Text = "") -> Response:
    """CC051C: not released."""
    return _decided(request, visitor, mrn, "no-release", lambda: service.refuse_release(visitor.party, mrn, text))


@router.post("/movements/{mrn}/amendment-request")
def amendment_request(request: Request, visitor: Visitor, mrn: str, pointers: Lines = "", text: Text = "") -> Response:
    """CC022C: the holder is asked to amend the elements named."""
    return _decided(request, visitor, mrn, "amendment-request",
                    lambda: service.request_amendment(visitor.party, mrn, _lines(pointers), text))


@router.post("/movements/{mrn}/invalidation")
def invalidation(request: Request, visitor: Visitor, mrn: str, text: Text = "") -> Response:
    """CC009C on the office's own initiative."""
    return _decided(request, visitor, mrn, "invalidation", lambda: service.invalidate(visitor.party, mrn, text))


@router.post("/movements/{mrn}/incidents")
def incidents(request: Request, visitor: Visitor, mrn: str, office: Short = "", code: Short = "", text: Text = "",
              unlocode: Short = "", country: Short = "") -> Response:
    """An incident on the way, forwarded to the holder (CC182C)."""
    incident = {"code": code, "text": text, "Location": {"qualifierOfIdentification": "U",
                                                         "UNLocode": unlocode.strip().upper(),
                                                         "country": country.strip().upper()}}
    return _decided(request, visitor, mrn, "incidents",
                    lambda: service.register_incidents(visitor.party, mrn, office.strip().upper(), [incident]))


@router.post("/movements/{mrn}/control-result")
def control_result(request: Request, visitor: Visitor, mrn: str, conform: Short = "", text: Text = "") -> Response:
    """The control result at destination: conform closes the movement, else major discrepancies."""
    return _decided(request, visitor, mrn, "control-result",
                    lambda: service.record_control_result(visitor.party, mrn, conform == "1", text))


@router.post("/movements/{mrn}/unloading-permission")
def unloading_permission(request: Request, visitor: Visitor, mrn: str) -> Response:
    """A new CC043C: unloading goes on."""
    return _decided(request, visitor, mrn, "unloading-permission",
                    lambda: service.permit_unloading_again(visitor.party, mrn))


@router.post("/movements/{mrn}/discrepancies-resolved")
def discrepancies_resolved(request: Request, visitor: Visitor, mrn: str, text: Text = "") -> Response:
    """CC045C: the major discrepancies are resolved."""
    return _decided(request, visitor, mrn, "discrepancies-resolved",
                    lambda: service.resolve_discrepancies(visitor.party, mrn, text))


@router.post("/movements/{mrn}/recovery")
def recovery(request: Request, visitor: Visitor, mrn: str, text: Text = "") -> Response:
    """CC035C, then CC045C: recovery at the office of departure (the amount the guarantees cover)."""
    return _decided(request, visitor, mrn, "recovery", lambda: service.recover(visitor.party, mrn, text))
