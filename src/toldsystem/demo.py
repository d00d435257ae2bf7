"""Demo data for `make run`: companies, authorisations, API tokens and guarantees with known codes.

Everything here is for a local development system only: the tokens and access codes are
printed by `told demo show` and written in the README, so never load them in production.
"""

from __future__ import annotations

from datetime import date

from toldsystem.access import service as access
from toldsystem.companies import service as companies
from toldsystem.core.errors import Unauthenticated

OFFICER_TOKEN = "told_demo_officer"

COMPANIES = [
    # eori, name, street, city, postcode, import, export, token, authorisations
    ("DK13585628", "Padborg Spedition A/S", "Industrivej 12", "Padborg", "6330", True, True,
     "told_demo_forwarder", ["authorised_consignor", "comprehensive_guarantee", "authorised_consignee"]),
    ("DK12345674", "Nordisk Import ApS", "Havnegade 4", "Frederikshavn", "9900", True, False,
     "told_demo_importer", ["simplified_express", "periodic_declaration", "authorised_consignee"]),
    ("DK20406089", "Jysk Eksport A/S", "Eksportvej 8", "Aarhus", "8000", False, True,
     "told_demo_consignor", ["authorised_consignor", "comprehensive_guarantee"]),
    ("DK30507096", "Danske Speditører", "Børsen 1", "København K", "1217", True, True,
     "told_demo_association", ["voucher_sales"]),
    ("DE123456789012345", "Hamburger Logistik GmbH", "Am Hafen 3", "Hamburg", "20457", True, True,
     "told_demo_hamburg", ["authorised_consignee"]),
]


def load() -> dict:
    """Load what is missing of the demo data; loading again changes nothing."""
    added = []
    for eori, name, street, city, postcode, imp, exp, token, kinds in COMPANIES:
        if companies.find(eori) is None:
            companies.register(eori, name, street, city, postcode, registered_import=imp, registered_export=exp)
            access.issue_company_token(eori, "demo", token=token)
            added.append(eori)
        for kind in kinds:  # also those added to the demo since an existing database was loaded
            if not companies.holds(eori, kind, date(2026, 1, 1)):
                companies.grant(eori, kind, date(2026, 1, 1), None, reference=f"DEMO-{kind.upper()}-{eori}")
    try:
        access.authenticate(OFFICER_TOKEN)
    except Unauthenticated:
        access.issue_officer_token("Demo officer (Toldstyrelsen)", token=OFFICER_TOKEN)
    for holder, representative, scopes in POWERS:
        if not set(scopes) <= companies.power_scopes(holder, representative, date(2026, 1, 1)):
            companies.grant_power(holder, representative, list(scopes), date(2026, 1, 1))
    _load_guarantees()
    return {"loaded": bool(added), "companies": added}


# The portal's demo users, with known passwords kept by every rule of seed 000 and not due for a change
# (README.md, "make run"): (company EORI or None, officer's office or None, name, roles, password).
PORTAL_USERS = [
    ("DK13585628", None, "Mette Speditør (clerk)", ("transit", "guarantees"), "Clerk123"),
    ("DK13585628", None, "Jens Padborg (administrator)", ("admin", "transit", "guarantees"), "Admin123"),
    (None, "DK009264", "Officer at Padborg (departure)", ("transit", "guarantees"), "Padbor12"),
    (None, "DE004851", "Officer at Hamburg (destination)", ("transit",), "Hambur12"),
]


def load_portal_users() -> None:
    """The portal's demo users (`told demo load` makes them after the companies; loading again changes nothing)."""
    from toldsystem.access.service import users

    present = {(u.eori, u.office, u.name) for u in users.visible()}
    for eori, office, name, roles, password in PORTAL_USERS:
        if (eori, office, name) not in present:
            users.create(name, set(roles), eori=eori, officer=eori is None, office=office, password=password,
                         must_change=False)


def portal_users() -> list[dict]:
    """The portal's demo users: username, password, who and what roles."""
    from toldsystem.access.service import users

    made = {(u.eori, u.office, u.name): u.username for u in users.visible()}
    return [{"username": made.get((eori, office, name), "?"), "password": password, "name": name,
             "of": eori or office, "roles": list(roles)} for eori, office, name, roles, password in PORTAL_USERS]


GUARANTEE_HOLDERS = ("DK13585628", "DK20406089")  # the two authorised consignors; each buys its own vouchers

# Powers of attorney (holder, representative, scopes): Padborg Spedition, a forwarder, lodges Jysk Eksport's
# transit declarations in its name, on Jysk Eksport's guarantee.
POWERS = [("DK20406089", "DK13585628", ("guarantees.use", "transit.amend", "transit.declare", "transit.invalidate"))]


def _load_guarantees() -> list[dict]:
    from toldsystem.guarantees import service as guarantees

    return [guarantees.load_demo(holder, holder) for holder in GUARANTEE_HOLDERS]


def demo_guarantees() -> list[dict]:
    """Each demo guarantee with its GRN, type, holder and demo access code."""
    rows = []
    for found in _load_guarantees():
        holder = found["holder_eori"]
        rows.append({"grn": found["comprehensive"]["grn"], "type": "1 comprehensive", "holder_eori": holder,
                     "access_code": found["comprehensive"]["access_code"]})
        rows.append({"grn": found["individual"]["grn"], "type": "2 individual", "holder_eori": holder,
                     "access_code": found["individual"]["access_code"]})
        rows += [{"grn": v["grn"], "type": "4 voucher (TC32)", "holder_eori": found["voucher_buyer_eori"],
                  "access_code": v["access_code"]} for v in found["vouchers"]]
    return rows


def show() -> dict:
    """What a new user needs: tokens, companies, guarantees and their demo access codes."""
    return {
        "officer_token": OFFICER_TOKEN,
        "portal_users": portal_users(),
        "companies": [{"eori": c[0], "name": c[1], "token": c[7], "authorisations": c[8]} for c in COMPANIES],
        "guarantees": demo_guarantees(),
        "powers": [{"holder_eori": h, "holder": _name(h), "representative_eori": r, "representative": _name(r),
                    "scopes": list(scopes)} for h, r, scopes in POWERS],
    }


def _name(eori: str) -> str:
    return next(c[1] for c in COMPANIES if c[0] == eori)


def declaration(holder: str = "DK13585628", items: int = 2, representative: str | None = None) -> dict:
    """A fresh CC015C for a demo holder on its comprehensive guarantee, lodged as authorised consignor (by its
    representative, when one is given)."""
    from toldsystem.transit.example import example_declaration

    comprehensive = next(g for g in demo_guarantees() if g["holder_eori"] == holder and g["type"].startswith("1"))
    return example_declaration(holder, _name(holder), comprehensive["grn"], comprehensive["access_code"], items=items,
                               authorised_consignor=True, representative=representative)
