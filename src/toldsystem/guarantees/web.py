"""The declarants' guarantee pages (issue 12 part 2, seed 003, SPEC G): the company's guarantees with their
balance, and each one's access codes — the authorised persons' list, a new code, a changed code, a revoked one.
Thin: each reaches guarantees.service as the API does; a new code is shown once, on the page that made it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from toldsystem.core.api import RowId
from toldsystem.core.errors import ToldError
from toldsystem.guarantees import service
from toldsystem.guarantees.rules_codes import IssuedCode
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/guarantees")
menu.add(40, "/guarantees", N_("Guarantees"), system="guarantees", officers=False)

Label = Annotated[str, Form(max_length=200)]
Code = Annotated[str, Form(max_length=20)]


@router.get("")
def guarantees(request: Request, visitor: Visitor) -> Response:
    """The company's guarantees: type, reference amount, what is open and what is still available."""
    return render(request, visitor, "guarantees/list.html", {"guarantees": service.visible(visitor.party)})


def _codes_page(request: Request, visitor: SignedIn, grn: str, *, issued: IssuedCode | None = None,
                problems: list[str] = (), label: str = "", status: int = 200) -> Response:
    return render(request, visitor, "guarantees/codes.html", {
        "g": service.get_for(visitor.party, grn), "codes": service.access_codes(visitor.party, grn),
        "issued": issued, "problems": problems, "label": label}, status=status)


@router.get("/{grn}")
def access_codes(request: Request, grn: str, visitor: Visitor) -> Response:
    """One guarantee and the persons its access codes are for (never the codes: they are kept hashed)."""
    return _codes_page(request, visitor, grn)


def _refused(request: Request, visitor: SignedIn, grn: str, refused: ToldError, label: str = "") -> Response:
    if refused.status == 404:
        raise refused
    return _codes_page(request, visitor, grn, label=label, status=refused.status,
                       problems=[i18n.problem_text(p, visitor.language) for p in refused.problems])


@router.post("/{grn}/access-codes")
def add_access_code(request: Request, grn: str, visitor: Visitor, label: Label = "", code: Code = "") -> Response:
    """A new access code for a person: the one typed, or one made here; shown on this page once."""
    try:
        issued = service.add_access_code(visitor.party, grn, label.strip(), code.strip() or None)
    except ToldError as refused:
        return _refused(request, visitor, grn, refused, label)
    return _codes_page(request, visitor, grn, issued=issued)


@router.post("/{grn}/access-codes/{code_id}/change")
def change_access_code(request: Request, grn: str, code_id: RowId, visitor: Visitor) -> Response:
    """The person's code is changed: the old one stops working, the new one is shown once."""
    try:
        issued = service.change_access_code(visitor.party, grn, code_id)
    except ToldError as refused:
        return _refused(request, visitor, grn, refused)
    return _codes_page(request, visitor, grn, issued=issued)


@router.post("/{grn}/access-codes/{code_id}/revoke")
def revoke_access_code(request: Request, grn: str, code_id: RowId, visitor: Visitor) -> Response:
    """The person's code no longer works."""
    try:
        service.revoke_access_code(visitor.party, grn, code_id)
    except ToldError as refused:
        return _refused(request, visitor, grn, refused)
    return _codes_page(request, visitor, grn)
