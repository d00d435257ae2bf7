"""A movement's follow-ups in the portal (issue 12 part 2): amend the guarantee (CC013C), request invalidation
(CC014C), notify arrival (CC007C) and send the unloading remarks (CC044C) — each a small form whose message
transit/follow_ups.py builds and transit/service/portal.py sends through the same intake as the API's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from toldsystem.core import clock
from toldsystem.core.errors import Problem
from toldsystem.transit import follow_ups, forms
from toldsystem.transit.service import portal
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/transit")
menu.add(30, "/transit/arrival", N_("Arrival"), system="transit", officers=False)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # English, a msgid
    kind: str = "text"  # text, date, textarea, checkbox, or a select when choices are given
    choices: dict | None = None


GUARANTEE = ("guarantee_type", "grn", "access_code", "amount", "currency")
FIELDS = {
    follow_ups.AMEND_GUARANTEE: (N_("Amend the guarantee"), (
        Field("guarantee_type", N_("Guarantee type"), choices={"0": "", "1": "", "2": "", "3": "", "4": "", "5": "",
                                                               "6": "", "8": "", "9": ""}),
        Field("grn", N_("Guarantee reference number (GRN)")), Field("access_code", N_("Access code")),
        Field("amount", N_("Amount to be covered")), Field("currency", N_("Currency")))),
    follow_ups.INVALIDATION: (N_("Request invalidation"), (
        Field("justification", N_("Why the declaration should be invalidated"), "textarea"),)),
    follow_ups.ARRIVAL: (N_("Notify an arrival"), (
        Field("mrn", N_("Movement reference number (MRN)")),
        Field("office", N_("Office of destination where the goods are (actual)")),
        Field("authorisation", N_("Authorised consignee's authorisation (ACE), for the simplified procedure")))),
    follow_ups.UNLOADING_REMARKS: (N_("Send the unloading remarks"), (
        Field("unloading_date", N_("Unloading date"), "date"),
        Field("conform", N_("The goods are as declared (conform)"), "checkbox"),
        Field("seals_intact", N_("The seals are intact"), "checkbox"),
        Field("remarks", N_("Remarks"), "textarea"))),
}
# Where a refusal's pointer lands in each small form (the first prefix that matches); the rest above the form.
POINTERS = {
    follow_ups.INVALIDATION: {"/CC014C/Invalidation": "justification"},
    follow_ups.ARRIVAL: {"/CC007C/TransitOperation/MRN": "mrn", "/CC007C/CustomsOfficeOfDestinationActual": "office",
                         "/CC007C/Authorisation": "authorisation", "/CC007C/Consignment": "authorisation"},
    follow_ups.UNLOADING_REMARKS: {"/CC044C/UnloadingRemark/unloadingDate": "unloading_date",
                                   "/CC044C/UnloadingRemark/unloadingRemark": "remarks"},
}


def field_of(name: str, pointer: str) -> str | None:
    """The small form's field a problem is about: an amendment's guarantee as in the declaration form."""
    if name == follow_ups.AMEND_GUARANTEE:
        found = forms.field_of(pointer.replace("/CC013C", forms.ROOT, 1))
        return found if found in GUARANTEE else None
    return next((field for prefix, field in POINTERS.get(name, {}).items() if pointer.startswith(prefix)), None)


def _stamp() -> dict:
    now = clock.local(clock.now()).replace(microsecond=0, tzinfo=None)
    return {"identification": uuid.uuid4().hex[:35], "prepared_at": now.isoformat()}


def _page(request: Request, visitor: SignedIn, name: str, action: str, values: dict, mrn: str | None = None,
          problems: list[Problem] = (), status: int = 200) -> Response:
    heading, fields = FIELDS[name]
    errors: dict[str, list[str]] = {}
    general = []
    for found in problems:
        text = i18n.problem_text(found, visitor.language)
        at = field_of(name, found.pointer)
        (errors.setdefault(at, []) if at else general).append(text)
    return render(request, visitor, "transit/follow_up.html", {
        "heading": heading, "fields": fields, "values": values, "action": action, "mrn": mrn,
        "errors": errors, "general": general}, status=status)


def _allowed(visitor: SignedIn, mrn: str, name: str) -> portal.MovementPage | None:
    """The movement, when its state lets this visitor send this follow-up (one it may not see: unknown, 404)."""
    found = portal.movement_page(visitor.party, mrn)
    return found if name in found.follow_ups else None


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


async def _send(request: Request, visitor: SignedIn, name: str, action: str, values: dict, message_type: str,
                data: dict, mrn: str) -> Response:
    sent = await run_in_threadpool(portal.send, visitor.party, message_type, data)
    if sent.held:
        return render(request, visitor, "transit/held.html", {"lrn": mrn}, status=202)
    if sent.refused:
        return _page(request, visitor, name, action, values, mrn, sent.problems, status=422)
    return RedirectResponse(f"/transit/movements/{mrn}", status_code=303)


def _back(mrn: str) -> Response:
    return RedirectResponse(f"/transit/movements/{mrn}", status_code=303)


@router.get("/movements/{mrn}/amend-guarantee")
def amendment_form(request: Request, mrn: str, visitor: Visitor) -> Response:
    """The guarantee as declared (its access code was never kept: typed again), to amend before release."""
    found = _allowed(visitor, mrn, follow_ups.AMEND_GUARANTEE)
    if found is None:
        return _back(mrn)
    declared = forms.form_of(found.declaration).header
    return _page(request, visitor, follow_ups.AMEND_GUARANTEE, request.url.path,
                 {k: declared.get(k, "") for k in GUARANTEE if k != "access_code"}, mrn)


@router.post("/movements/{mrn}/amend-guarantee")
async def amend_guarantee(request: Request, mrn: str, visitor: Visitor) -> Response:
    """CC013C: the declaration as accepted with the new guarantee."""
    values = await _posted(request)
    found = await run_in_threadpool(portal.movement_page, visitor.party, mrn)
    data = follow_ups.guarantee_amendment(found.declaration, mrn, values, sender=visitor.party.eori or "",
                                          **_stamp())
    return await _send(request, visitor, follow_ups.AMEND_GUARANTEE, request.url.path,
                       {k: v for k, v in values.items() if k != "access_code"}, "CC013C", data, mrn)


@router.get("/movements/{mrn}/invalidation")
def invalidation_form(request: Request, mrn: str, visitor: Visitor) -> Response:
    """Ask to invalidate a declaration not yet released."""
    if _allowed(visitor, mrn, follow_ups.INVALIDATION) is None:
        return _back(mrn)
    return _page(request, visitor, follow_ups.INVALIDATION, request.url.path, {}, mrn)


@router.post("/movements/{mrn}/invalidation")
async def request_invalidation(request: Request, mrn: str, visitor: Visitor) -> Response:
    """CC014C, answered with CC009C."""
    values = await _posted(request)
    found = await run_in_threadpool(portal.movement_page, visitor.party, mrn)
    data = follow_ups.invalidation_request(mrn, found.movement["holder_eori"], found.movement["office_of_departure"],
                                           values.get("justification", ""), sender=visitor.party.eori or "",
                                           **_stamp())
    return await _send(request, visitor, follow_ups.INVALIDATION, request.url.path, values, "CC014C", data, mrn)


@router.get("/arrival")
def arrival_form(request: Request, visitor: Visitor, mrn: str = "") -> Response:
    """The trader at destination notifies an arrival by MRN (it sees the movement from its arrival on)."""
    return _page(request, visitor, follow_ups.ARRIVAL, "/transit/arrival", {"mrn": mrn[:18]})


@router.post("/arrival")
async def notify_arrival(request: Request, visitor: Visitor) -> Response:
    """CC007C, answered with CC043C (unloading permission) or goods release at destination."""
    values = await _posted(request)
    mrn = values.get("mrn", "")
    data = follow_ups.arrival_notification(mrn, visitor.party.eori or "", values.get("office", ""),
                                           values.get("authorisation", ""), **_stamp())
    return await _send(request, visitor, follow_ups.ARRIVAL, "/transit/arrival", values, "CC007C", data, mrn)


@router.get("/movements/{mrn}/unloading")
def unloading_form(request: Request, mrn: str, visitor: Visitor) -> Response:
    """Unloading remarks, after the unloading permission (CC043C)."""
    if _allowed(visitor, mrn, follow_ups.UNLOADING_REMARKS) is None:
        return _back(mrn)
    today = clock.local(clock.now()).date().isoformat()
    return _page(request, visitor, follow_ups.UNLOADING_REMARKS, request.url.path,
                 {"unloading_date": today, "conform": "1", "seals_intact": "1"}, mrn)


@router.post("/movements/{mrn}/unloading")
async def send_unloading_remarks(request: Request, mrn: str, visitor: Visitor) -> Response:
    """CC044C: conform and nothing found closes the movement; remarks go to the office of destination."""
    values = await _posted(request)
    found = await run_in_threadpool(portal.movement_page, visitor.party, mrn)
    data = follow_ups.unloading_remarks(
        mrn, visitor.party.eori or "", found.movement["office_of_destination"], conform=bool(values.get("conform")),
        seals_intact=bool(values.get("seals_intact")), unloading_date=values.get("unloading_date", ""),
        remarks=values.get("remarks", ""), **_stamp())
    return await _send(request, visitor, follow_ups.UNLOADING_REMARKS, request.url.path, values, "CC044C", data, mrn)
