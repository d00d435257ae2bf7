"""The declarants' pages of transit (issue 12 part 2): the dashboard, a movement's page, its documents and its
messages. Thin: each reads transit.service as the API does (a movement another company may not see is the one
"page not found"); the declaration form is web_declaration.py, the follow-ups web_follow_ups.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from toldsystem.core.api import Page, RowId
from toldsystem.operations import service as operations
from toldsystem.transit import service, states, tad, words
from toldsystem.transit.service import portal
from toldsystem.web import menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import Visitor

router = page_router()
PAGE_SIZE = 25
menu.add(10, "/dashboard", N_("Dashboard"), system="transit", officers=False)

# The board's systems behind each system role a company's user holds (seed 000's systems, SPEC O's codes):
# the dashboard shows the notices of those the visitor uses.
BOARD_SYSTEMS = {"transit": ("dms_transit",), "guarantees": ("dms_transit",), "import": ("dms_import",),
                 "export": ("dms_export",), "manifest": ("manifest",), "ics": ("ics", "ics2")}
StateFilter = Annotated[str, Query(max_length=30)]


def notices_for(roles: frozenset[str]) -> list:
    """The board's current and upcoming messages for the systems the visitor's roles use, each once."""
    found, seen = [], set()
    for system in sorted({s for role in roles for s in BOARD_SYSTEMS.get(role, ())}):
        sections = operations.sections(system=system)
        for message in sections["current"] + sections["upcoming"]:
            if message.id not in seen:
                seen.add(message.id)
                found.append(message)
    return found


@router.get("/dashboard")
def dashboard(request: Request, visitor: Visitor, state: StateFilter = "", page: Page = 1) -> Response:
    """The company's movements (newest change first, by state, paged), its newest messages and the board's
    notices for the systems it uses."""
    state = state if state in words.STATES else ""
    listed = service.list_movements(visitor.party, state=state or None, page=page, page_size=PAGE_SIZE)
    return render(request, visitor, "transit/dashboard.html", {
        "movements": listed["movements"], "page": listed["page"], "has_more": listed["has_more"], "state": state,
        "states": words.STATES, "messages": portal.recent_messages(visitor.party),
        "notices": notices_for(visitor.party.roles), "words": words})


@router.get("/transit/movements/{mrn}")
def movement(request: Request, mrn: str, visitor: Visitor) -> Response:
    """A movement: state, trail, answers (readably and as XML), documents, and the follow-ups its state allows."""
    found = portal.movement_page(visitor.party, mrn)
    return render(request, visitor, "transit/movement.html", {
        "m": found.movement, "declaration": found.declaration, "events": found.events, "messages": found.messages,
        "follow_ups": found.follow_ups, "printable": found.movement["state"] in tad.PRINTABLE, "words": words,
        "before_release": found.movement["state"] in states.BEFORE_RELEASE})


def _pdf(content: bytes, name: str) -> Response:
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/transit/movements/{mrn}/tad.pdf")
def tad_document(mrn: str, visitor: Visitor) -> Response:
    """The transit accompanying document with its list of items (the API's PDF, seed 003)."""
    return _pdf(tad.tad_pdf(visitor.party, mrn), f"TAD-{mrn}.pdf")


@router.get("/transit/movements/{mrn}/list-of-items.pdf")
def list_of_items(mrn: str, visitor: Visitor) -> Response:
    """The list of items alone (annex 45b)."""
    return _pdf(tad.list_of_items_pdf(visitor.party, mrn), f"list-of-items-{mrn}.pdf")


@router.get("/transit/messages/{message_id}.xml")
def message_xml(message_id: RowId, visitor: Visitor) -> Response:
    """One message as NCTS phase 5 XML, to save (a declaration sent as it was kept: without access codes)."""
    found = service.message(visitor.party, message_id)
    name = f"{found.message_type}-{found.message_identification}.xml"
    return Response(found.xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/transit/messages/{message_id}")
def message(request: Request, message_id: RowId, visitor: Visitor) -> Response:
    """One message, readably (its data as headings and values, its errors in the visitor's language) and as XML."""
    found = service.message(visitor.party, message_id)
    data = {k: v for k, v in found.data.items() if k != "_errors"}
    return render(request, visitor, "transit/message.html", {"message": found, "data": data,
                                                             "errors": found.data.get("_errors", []),
                                                             "words": words})
