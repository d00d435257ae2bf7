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


# The file gateway's demo user (`told demo load`; README): Padborg Spedition's second user, with a known password
# that keeps seed 000's rules, so that `sftp -P 2222 13585628-002@127.0.0.1` works at once. Not loaded by load():
# the tests' worlds make their own users.
GATEWAY_USER = ("DK13585628", "Demo gateway user", ("transit", "guarantees"), "Told2026")


def load_gateway_user() -> dict:
    """The demo gateway user, made once with its known password (seed 000's forced change made for it)."""
    eori, name, roles, password = GATEWAY_USER
    found = _gateway_user()
    if found is None:
        made, temporary = access.users.create(name, list(roles), eori=eori)
        access.change_password(made.username, temporary, password, channel="cli")
        found = made.username
    return {"username": found, "password": password, "eori": eori, "roles": list(roles)}


def _gateway_user() -> str | None:
    eori, name, _roles, _password = GATEWAY_USER
    return next((u.username for u in access.users.visible() if u.eori == eori and u.name == name), None)


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
        "companies": [{"eori": c[0], "name": c[1], "token": c[7], "authorisations": c[8]} for c in COMPANIES],
        "guarantees": demo_guarantees(),
        "gateway_user": ({"username": found, "password": GATEWAY_USER[3]} if (found := _gateway_user()) else None),
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
