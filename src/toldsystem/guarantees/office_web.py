"""The office of guarantee's back office (issue 12, part 3; seed 003): `/office/guarantees` — the work lists
(guarantee documents to approve, voucher batches to register) and the office's guarantees — and the forms that
register a comprehensive guarantee or an individual guarantee document, approve, revoke and register a batch,
with the same service functions the API uses (guarantees/api.py); each recorded in the audit log by the service.
Each page's rule is in authorisation.py ROUTES."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from toldsystem.core.errors import ToldError
from toldsystem.guarantees import rules, service
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/office/guarantees")
menu.add(20, "/office/guarantees", i18n.N_("Guarantees"), system="guarantees", officers=True)

Page = Annotated[int, Query(ge=1, le=10_000)]
Short = Annotated[str, Form(max_length=40)]
Name = Annotated[str, Form(max_length=200)]
STATUS_NAMES = {rules.PENDING: i18n.N_("pending"), rules.REGISTERED: i18n.N_("registered"),
                rules.REVOKED: i18n.N_("revoked")}
STATUSES = tuple(STATUS_NAMES)
DONE = {"approved": i18n.N_("The guarantee document is approved and registered."),
        "revoked": i18n.N_("The guarantee is revoked."),
        "batch": i18n.N_("The voucher batch is registered: its vouchers may be used.")}
FORMS = ("comprehensive", "individual")


def _page(request: Request, visitor: SignedIn, *, status: str = "", page: int = 1, done: str = "",
          issued: tuple | None = None, failed: str = "", errors: dict | None = None, values: dict | None = None,
          code: int = 200) -> Response:
    party = visitor.party
    return render(request, visitor, "guarantees/office_guarantees.html", {
        "to_approve": service.office_guarantees(party, awaiting_approval=True),
        "batches": service.batches_to_register(party),
        "listed": service.office_guarantees(party, status or None, page=page),
        "status": status, "statuses": STATUSES, "status_names": STATUS_NAMES, "done": DONE.get(done),
        "issued": issued, "failed": failed,
        "errors": errors or {}, "values": values or {}, "office": party.office}, status=code)


@router.get("")
def guarantees_page(request: Request, visitor: Visitor, page: Page = 1,
                    status: Annotated[str, Query(max_length=12)] = "", done: Annotated[str, Query(max_length=12)] = "",
                    ) -> Response:
    """The office's work lists and guarantees, and the forms to register one."""
    return _page(request, visitor, status=status if status in STATUSES else "", page=page, done=done)


def _refused(request: Request, visitor: SignedIn, form: str, refused: ToldError, values: dict) -> Response:
    """A refusal at its form, in the visitor's language (what may not be seen stays the unknown page)."""
    if refused.status == 404:
        raise refused
    return _page(request, visitor, failed=form, values=values, code=refused.status,
                 errors=i18n.at_fields(refused.problems, visitor.language, set(values), "form"))


def _registered(request: Request, visitor: SignedIn, made: tuple) -> Response:
    """The registered guarantee with its first access code, shown this once (GMS keeps only a keyed hash)."""
    return _page(request, visitor, issued=made, code=201)


def _countries(text: str) -> list[str]:
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


@router.post("/comprehensive")
def register_comprehensive(request: Request, visitor: Visitor, holder_eori: Short = "", reference_amount: Short = "",
                           currency: Short = "EUR", office_of_guarantee: Short = "", guarantee_type: Short = "1",
                           not_valid_in: Short = "", access_code_label: Name = "Hovedforpligtede") -> Response:
    """A comprehensive guarantee (type 1) or waiver (type 0) at the office of guarantee."""
    values = {"holder_eori": holder_eori, "reference_amount": reference_amount, "currency": currency,
              "office_of_guarantee": office_of_guarantee, "guarantee_type": guarantee_type,
              "not_valid_in": not_valid_in, "access_code_label": access_code_label}
    try:
        made = service.register_comprehensive(
            holder_eori.strip(), reference_amount.strip(), currency.strip().upper(),
            guarantee_type=guarantee_type.strip(),
            office_of_guarantee=office_of_guarantee.strip().upper() or (visitor.party.office or ""),
            not_valid_in=_countries(not_valid_in), access_code_label=access_code_label.strip(), by=visitor.party)
    except ToldError as refused:
        return _refused(request, visitor, "comprehensive", refused, values)
    return _registered(request, visitor, made)


@router.post("/individual")
def register_individual(request: Request, visitor: Visitor, holder_eori: Short = "", amount: Short = "",
                        currency: Short = "EUR", office_of_guarantee: Short = "", guarantee_type: Short = "2",
                        guarantor: Name = "", not_valid_in: Short = "",
                        access_code_label: Name = "Hovedforpligtede") -> Response:
    """A received individual guarantee document (type 2 or 9), pending until approved."""
    values = {"holder_eori": holder_eori, "amount": amount, "currency": currency,
              "office_of_guarantee": office_of_guarantee, "guarantee_type": guarantee_type, "guarantor": guarantor,
              "not_valid_in": not_valid_in, "access_code_label": access_code_label}
    try:
        made = service.register_individual_document(
            holder_eori.strip(), amount.strip(), currency.strip().upper(), guarantee_type=guarantee_type.strip(),
            office_of_guarantee=office_of_guarantee.strip().upper() or (visitor.party.office or ""),
            guarantor=guarantor, not_valid_in=_countries(not_valid_in), access_code_label=access_code_label.strip(),
            by=visitor.party)
    except ToldError as refused:
        return _refused(request, visitor, "individual", refused, values)
    return _registered(request, visitor, made)


def _then(request: Request, visitor: SignedIn, form: str, done: str, act) -> Response:
    try:
        act()
    except ToldError as refused:
        return _refused(request, visitor, form, refused, {})
    return RedirectResponse(f"/office/guarantees?done={done}", status_code=303)


@router.post("/{grn}/approve")
def approve(request: Request, visitor: Visitor, grn: str) -> Response:
    """The office approves and registers an individual guarantee document."""
    return _then(request, visitor, "list", "approved",
                 lambda: service.approve_individual_document(grn, by=visitor.party))


@router.post("/{grn}/revoke")
def revoke(request: Request, visitor: Visitor, grn: str) -> Response:
    """The office revokes a guarantee; open reservations stay until freed."""
    return _then(request, visitor, "list", "revoked", lambda: service.revoke_guarantee(grn, by=visitor.party))


@router.post("/batches/{batch_id}/register")
def register_batch(request: Request, visitor: Visitor, batch_id: int) -> Response:
    """The office registers a sold voucher batch: only then may its vouchers be used."""
    return _then(request, visitor, "list", "batch", lambda: service.register_voucher_batch(batch_id, by=visitor.party))
