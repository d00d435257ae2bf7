"""The transit declaration form (issue 12 part 2, seed 003 boxes): header, parties, goods items added and removed
by plain submit buttons (no JavaScript needed), guarantee with GRN and access code. Sent, it is the CC015C
transit/forms.py makes of it, taken by the same intake as the API's (transit/service/portal.py send); each
rejection is shown at its field, in the visitor's language. "Save as XML" gives the CC015C the form makes."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Problem
from toldsystem.transit import forms, messages
from toldsystem.transit.service import portal, without_access_code_elements
from toldsystem.web import i18n, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/transit")

ADDRESS = ("eori", "name", "street", "postcode", "city", "country")
# The form's parts, each a fieldset: its legend and its fields (header fields of transit/forms.py HEADER).
GROUPS = (
    (N_("Declaration"), ("lrn", "declaration_type", "office_of_departure", "office_of_destination",
                         "office_of_transit", "authorisation", "limit_date")),
    (N_("Holder of the procedure (box 50)"), tuple(f"holder_{p}" for p in ADDRESS) + ("representative_eori",)),
    (N_("Consignor (box 2)"), tuple(f"consignor_{p}" for p in ADDRESS)),
    (N_("Consignee (box 8)"), tuple(f"consignee_{p}" for p in ADDRESS)),
    (N_("Transport and countries"), ("country_of_dispatch", "country_of_destination", "inland_mode",
                                     "container_indicator", "container_number", "seals", "departure_means_type",
                                     "departure_means_identity", "departure_means_nationality", "border_office",
                                     "border_means_type", "border_means_identity", "border_means_nationality",
                                     "gross_mass")),
    (N_("Guarantee (box 52)"), ("guarantee_type", "grn", "access_code", "amount", "currency")),
)
_PARTY = {"eori": N_("EORI number"), "name": N_("Name"), "street": N_("Street and number"),
          "postcode": N_("Postcode"), "city": N_("City"), "country": N_("Country (2 letters)")}
LABELS = {
    "lrn": N_("Local reference number (LRN)"), "declaration_type": N_("Declaration type (box 1)"),
    "office_of_departure": N_("Office of departure (box C)"),
    "office_of_destination": N_("Office of destination (box 53)"),
    "office_of_transit": N_("Office of transit (box 51), when the route enters an EFTA country"),
    "authorisation": N_("Authorised consignor's authorisation (simplified procedure)"),
    "limit_date": N_("Time limit (box D, simplified procedure)"),
    "representative_eori": N_("Representative's EORI number, when lodging in the holder's name"),
    "country_of_dispatch": N_("Country of dispatch (box 15a)"),
    "country_of_destination": N_("Country of destination (box 17a)"),
    "inland_mode": N_("Inland mode of transport"), "container_indicator": N_("Container (box 19)"),
    "container_number": N_("Container number"), "seals": N_("Seals, separated by commas"),
    "departure_means_type": N_("Type of identification, transport at departure"),
    "departure_means_identity": N_("Identity, transport at departure (box 18)"),
    "departure_means_nationality": N_("Nationality, transport at departure"),
    "border_office": N_("Customs office at the border"),
    "border_means_type": N_("Type of identification, active means at the border"),
    "border_means_identity": N_("Identity, active means at the border (box 21)"),
    "border_means_nationality": N_("Nationality, active means at the border"),
    "gross_mass": N_("Total gross mass in kg (box 35); empty: the sum of the items"),
    "guarantee_type": N_("Guarantee type"), "grn": N_("Guarantee reference number (GRN)"),
    "access_code": N_("Access code"), "amount": N_("Amount to be covered"), "currency": N_("Currency"),
    **{f"{who}_{part}": text for who in ("holder", "consignor", "consignee") for part, text in _PARTY.items()},
}
ITEM_LABELS = {
    "description": N_("Description of goods (box 31)"), "hs_code": N_("Commodity code (box 33)"),
    "gross_mass": N_("Gross mass in kg (box 38)"), "net_mass": N_("Net mass in kg"),
    "package_type": N_("Kind of packages"), "packages": N_("Number of packages"), "marks": N_("Marks and numbers"),
    "document_type": N_("Supporting document type (box 44)"), "document_reference": N_("Supporting document reference"),
    "declaration_type": N_("T1 or T2 (declaration type T- only)"),
}
CHOICES = {  # code → its English name (a msgid), shown as "code – name"
    "declaration_type": {"T1": "", "T2": "", "T2F": "", "T-": N_("mixed: each item T1 or T2"), "TIR": ""},
    "guarantee_type": {"0": N_("waiver (art. 380(3))"), "1": N_("comprehensive guarantee"),
                       "2": N_("individual guarantee by guarantor"), "3": N_("cash deposit"),
                       "4": N_("individual guarantee in vouchers (TC32)"), "5": N_("waiver up to 500 EUR"),
                       "6": N_("waiver (art. 95)"), "8": N_("public bodies"),
                       "9": N_("individual guarantee (annex 47a)")},
    "container_indicator": {"0": N_("no"), "1": N_("yes")},
    "inland_mode": {"1": N_("sea"), "2": N_("rail"), "3": N_("road"), "4": N_("air"), "5": N_("post"),
                    "7": N_("fixed installations"), "8": N_("inland waterway"), "9": N_("own propulsion")},
}
_KINDS = {"limit_date": "date", "access_code": "text"}


def _new_form(visitor: SignedIn) -> forms.DeclarationForm:
    """A fresh form: the visitor's company as holder, Danish dispatch, T1 on a comprehensive guarantee in EUR."""
    header = {"declaration_type": "T1", "guarantee_type": "1", "currency": "EUR", "container_indicator": "0",
              "country_of_dispatch": "DK", "inland_mode": "3"}
    company = companies.find(visitor.party.eori or "")
    if company is not None:
        header |= {"holder_eori": company.eori, "holder_name": company.name, "holder_street": company.street,
                   "holder_postcode": company.postcode, "holder_city": company.city, "holder_country": company.country}
    return forms.DeclarationForm(header, [{}])


def _page(request: Request, visitor: SignedIn, form: forms.DeclarationForm, problems: list[Problem] = (),
          status: int = 200, rejection: int | None = None) -> Response:
    at_fields, elsewhere = forms.problems_by_field(problems)
    language = visitor.language
    return render(request, visitor, "transit/declare.html", {
        "form": form, "groups": GROUPS, "labels": LABELS, "item_labels": ITEM_LABELS, "choices": CHOICES,
        "kinds": _KINDS, "rejection": rejection,
        "errors": {name: [i18n.problem_text(p, language) for p in found] for name, found in at_fields.items()},
        "general": [i18n.problem_text(p, language) for p in elsewhere]}, status=status)


@router.get("/declare")
def declaration_form(request: Request, visitor: Visitor) -> Response:
    """An empty declaration, the visitor's company as holder."""
    return _page(request, visitor, _new_form(visitor))


def _data(visitor: SignedIn, form: forms.DeclarationForm) -> dict:
    now = clock.local(clock.now()).replace(microsecond=0, tzinfo=None)
    return forms.declaration_data(form, sender=visitor.party.eori or "", identification=uuid.uuid4().hex[:35],
                                  prepared_at=now.isoformat())


@router.post("/declare")
async def declare(request: Request, visitor: Visitor) -> Response:
    """The form's buttons: add or remove a goods item, save as XML, or send the declaration."""
    posted = await request.form()
    form = forms.read_form((name, value) for name, value in posted.multi_items() if isinstance(value, str))
    action = str(posted.get("action", "send"))
    if action == "add":
        return _page(request, visitor, forms.with_item_added(form))
    if action.startswith("remove-") and action[7:].isdigit():
        return _page(request, visitor, forms.with_item_removed(form, int(action[7:])))
    data = _data(visitor, form)
    if action == "xml":
        return await run_in_threadpool(_as_xml, request, visitor, form, data)
    sent = await run_in_threadpool(portal.send, visitor.party, "CC015C", data)
    if sent.held:
        return render(request, visitor, "transit/held.html", {"lrn": form.header.get("lrn", "")}, status=202)
    if sent.refused:
        return _page(request, visitor, form, sent.problems, status=422,
                     rejection=sent.answers[0].id if sent.answers else None)
    return RedirectResponse(f"/transit/movements/{sent.mrn}", status_code=303)


def _as_xml(request: Request, visitor: SignedIn, form: forms.DeclarationForm, data: dict) -> Response:
    """The CC015C the form makes, to keep or send another way; without the access code, a secret (SPEC G)."""
    found = messages.validate_data("CC015C", data)
    if found:
        return _page(request, visitor, form, found, status=422)
    xml = without_access_code_elements(messages.render("CC015C", data).decode("utf-8"))
    name = f"CC015C-{form.header.get('lrn') or data['messageIdentification']}.xml"
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
