"""Who may act in the guarantee management system (GMS, seed 003).

Officers act for their office of guarantee (a national officer for every office); the holder
sees its guarantees and manages their access codes; the forwarders' association notifies its
sales of vouchers; anyone may ask a balance with the GRN and access code (the code is the
authority), counted per caller against guessing.
"""

from __future__ import annotations

from toldsystem.access.rules import (ANYONE, ASSOCIATION, HOLDER, NATIONAL_OFFICER, OFFICER, OFFICER_OF_GUARANTEE,
                                     Party, Rule, in_system, officer_roles, rule)

# Every rule needs the user's role of the guarantee management system (GMS, seed 003).
RULES: dict[str, Rule] = in_system("guarantees", {
    "guarantee.register": rule({OFFICER_OF_GUARANTEE}, "a new guarantee at the office of guarantee named in it",
                               refusal="403"),
    "guarantee.approve": rule({OFFICER_OF_GUARANTEE}, "an individual guarantee document", "pending approval",
                              refusal="403 to its holder, else 404 as unknown"),
    "guarantee.revoke": rule({OFFICER_OF_GUARANTEE}, "a guarantee", "not yet revoked",
                             refusal="403 to its holder, else 404 as unknown"),
    "guarantee.list": rule({ANYONE}, "guarantees, filtered: a company its own, an officer its office's"),
    "guarantee.read": rule({HOLDER, OFFICER_OF_GUARANTEE}, "a guarantee and its ledger"),
    "guarantee.balance": rule({ANYONE}, "any guarantee, named by GRN and access code (counted per caller and GRN)",
                              refusal="422 guarantee.not_valid, the same for an unknown GRN, another's guarantee "
                              "or a wrong code; 429 while waiting or locked out"),
    "guarantee.check_and_reserve": rule({HOLDER}, "the caller's own guarantee, by GRN and access code (a test "
                                        "reservation; counted as balance queries are)",
                                        refusal="422 guarantee.not_valid as for an unknown GRN; 403 to officers"),
    "access_code.manage": rule({HOLDER}, "a guarantee's access codes (list, add, change, revoke)",
                               refusal="403 to an officer of its office, else 404 as unknown"),
    "code_attempts.read": rule({HOLDER, OFFICER_OF_GUARANTEE}, "the failed access-code attempts on a guarantee"),
    "code_attempts.clear": rule({HOLDER, OFFICER_OF_GUARANTEE}, "a caller's wait or lockout on a guarantee"),
    "voucher.sell": rule({ASSOCIATION, OFFICER_OF_GUARANTEE}, "a sale of TC32 vouchers at the office named",
                         refusal="403"),
    "voucher.register": rule({OFFICER_OF_GUARANTEE}, "a sold voucher batch", "not yet registered",
                             refusal="404 as unknown"),
    "voucher.list": rule({ANYONE}, "voucher batches, filtered: a company those it bought, an officer its office's"),
    "guarantee.work_list": rule({OFFICER}, "the office of guarantee's work lists: guarantee documents to approve, "
                                "voucher batches to register, its guarantees (a national officer: every office's)",
                                refusal="404, as for an unknown list"),
    "portal.guarantees": rule({HOLDER}, "the company's guarantees with their balance, and their access codes "
                              "(as guarantee.read and access_code.manage)", refusal="404 page, as an unknown page"),
    "reservation.release": rule({NATIONAL_OFFICER}, "a movement's reservations (transit frees and discharges them "
                                "itself)", refusal="403, whatever the movement"),
})

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/guarantees/comprehensive"): "guarantee.register",
    ("POST", "/api/guarantees/individual"): "guarantee.register",
    ("POST", "/api/guarantees/{grn}/approve"): "guarantee.approve",
    ("POST", "/api/guarantees/{grn}/revoke"): "guarantee.revoke",
    ("GET", "/api/guarantees"): "guarantee.list",
    ("GET", "/api/guarantees/{grn}"): "guarantee.read",
    ("GET", "/api/guarantees/{grn}/ledger"): "guarantee.read",
    ("POST", "/api/guarantees/balance"): "guarantee.balance",
    ("POST", "/api/guarantees/check-and-reserve"): "guarantee.check_and_reserve",
    ("GET", "/api/guarantees/{grn}/access-codes"): "access_code.manage",
    ("POST", "/api/guarantees/{grn}/access-codes"): "access_code.manage",
    ("POST", "/api/guarantees/{grn}/access-codes/{code_id}/change"): "access_code.manage",
    ("POST", "/api/guarantees/{grn}/access-codes/{code_id}/revoke"): "access_code.manage",
    ("GET", "/api/guarantees/{grn}/failed-attempts"): "code_attempts.read",
    ("POST", "/api/guarantees/{grn}/failed-attempts/{caller}/clear"): "code_attempts.clear",
    ("POST", "/api/guarantees/voucher-batches"): "voucher.sell",
    ("POST", "/api/guarantees/voucher-batches/{batch_id}/register"): "voucher.register",
    ("GET", "/api/guarantees/voucher-batches"): "voucher.list",
    ("POST", "/api/guarantees/reservations/{movement_ref}/free"): "reservation.release",
    ("POST", "/api/guarantees/reservations/{movement_ref}/discharge"): "reservation.release",
    # the office of guarantee's back office in the portal (office_web.py; web/visitor.py checks each page's rule)
    ("GET", "/office/guarantees"): "guarantee.work_list",
    ("POST", "/office/guarantees/comprehensive"): "guarantee.register",
    ("POST", "/office/guarantees/individual"): "guarantee.register",
    ("POST", "/office/guarantees/{grn}/approve"): "guarantee.approve",
    ("POST", "/office/guarantees/{grn}/revoke"): "guarantee.revoke",
    ("POST", "/office/guarantees/batches/{batch_id}/register"): "voucher.register",
    # the declarants' pages (guarantees/web.py)
    ("GET", "/guarantees"): "portal.guarantees",
    ("GET", "/guarantees/{grn}"): "portal.guarantees",
    ("POST", "/guarantees/{grn}/access-codes"): "portal.guarantees",
    ("POST", "/guarantees/{grn}/access-codes/{code_id}/change"): "portal.guarantees",
    ("POST", "/guarantees/{grn}/access-codes/{code_id}/revoke"): "portal.guarantees",
}


def roles_towards_guarantee(party: Party, holder_eori: str | None, office_of_guarantee: str | None) -> frozenset[str]:
    """The holder is the holder; officers of the office of guarantee (and national officers) are its officers."""
    own = frozenset({HOLDER}) if party.eori is not None and party.eori == holder_eori else frozenset()
    return own | officer_roles(party, officer_of_guarantee=office_of_guarantee)


def roles_as_seller(party: Party, sells_vouchers: bool, office_of_guarantee: str) -> frozenset[str]:
    """The forwarders' association (authorisation voucher_sales) and the office's officers may notify a sale."""
    own = frozenset({ASSOCIATION}) if sells_vouchers and not party.is_officer else frozenset()
    return own | officer_roles(party, officer_of_guarantee=office_of_guarantee)


def sees_office(party: Party, office_of_guarantee: str) -> bool:
    """An officer lists what belongs to its office; a national officer everything."""
    return party.is_officer and party.office in (None, office_of_guarantee)
