"""Who may act in the companies room: the EORI register, authorisations and powers of attorney.

The EORI register and the authorisations are kept by Toldstyrelsen centrally (seed 000), so only
national officers change them; every officer may read them. A company sees its own record. A
power of attorney is the holder's act: it grants, lists and revokes its powers; the representative
sees the powers it holds and may renounce one.
"""

from __future__ import annotations

from toldsystem.access.rules import (ADMIN, ANYONE, HOLDER, NATIONAL_OFFICER, OFFICER, REPRESENTATIVE, Party, Rule,
                                     officer_roles, rule)
from toldsystem.companies.rules import Power

RULES: dict[str, Rule] = {
    "company.register": rule({NATIONAL_OFFICER}, "the EORI register", refusal="403"),
    "company.list": rule({ANYONE}, "the register, filtered: a company sees itself, officers see every company"),
    "company.read": rule({HOLDER, OFFICER}, "a company's record"),
    "company.registration": rule({NATIONAL_OFFICER}, "a company's registration for import/export",
                                 refusal="403 to the company itself, else 404 as unknown"),
    "authorisation.list": rule({HOLDER, OFFICER}, "a company's authorisations"),
    "authorisation.grant": rule({NATIONAL_OFFICER}, "a company's authorisations",
                                refusal="403 to the company itself, else 404 as unknown"),
    "authorisation.revoke": rule({NATIONAL_OFFICER}, "an authorisation",
                                 refusal="403 to the company holding it, else 404 as unknown"),
    # A power of attorney is the company's act of authority: its administrator's (seed 000).
    "power.grant": rule({HOLDER, NATIONAL_OFFICER}, "the holder's powers of attorney", refusal="404 as unknown",
                        system=ADMIN),
    "power.list": rule({HOLDER, OFFICER}, "the powers a company granted and holds"),
    "power.revoke": rule({HOLDER, REPRESENTATIVE, NATIONAL_OFFICER}, "a power of attorney (the holder revokes, "
                         "the representative renounces)", system=ADMIN),
}

# Each HTTP operation of the room and the rule that governs it.
ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/companies"): "company.register",
    ("GET", "/api/companies"): "company.list",
    ("GET", "/api/companies/{eori}"): "company.read",
    ("PATCH", "/api/companies/{eori}/registration"): "company.registration",
    ("GET", "/api/companies/{eori}/authorisations"): "authorisation.list",
    ("POST", "/api/companies/{eori}/authorisations"): "authorisation.grant",
    ("POST", "/api/companies/authorisations/{authorisation_id}/revoke"): "authorisation.revoke",
    ("POST", "/api/companies/{eori}/powers"): "power.grant",
    ("GET", "/api/companies/{eori}/powers"): "power.list",
    ("POST", "/api/companies/powers/{power_id}/revoke"): "power.revoke",
}


def roles_towards_company(party: Party, eori: str) -> frozenset[str]:
    """The company itself is its record's holder; officers are officers (the register is national)."""
    own = frozenset({HOLDER}) if party.eori is not None and party.eori == eori else frozenset()
    return own | officer_roles(party)


def roles_towards_power(party: Party, power: Power) -> frozenset[str]:
    """The grantor is the power's holder, the grantee its representative (whatever the power's validity)."""
    roles = set(officer_roles(party))
    if party.eori is not None and party.eori == power.holder_eori:
        roles.add(HOLDER)
    if party.eori is not None and party.eori == power.representative_eori:
        roles.add(REPRESENTATIVE)
    return frozenset(roles)
