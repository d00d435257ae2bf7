"""What the message does not carry, looked up for the rules (imports/reading.Facts): the EORI register, the
authorisations and powers of attorney (companies/), the customs credit standings (settings.py)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Connection

from toldsystem.companies import service as companies
from toldsystem.imports.reading import Facts
from toldsystem.imports.rules.model import Authorisation, AuthorisationKind, CustomsCredit, PowerOfAttorney
from toldsystem.imports.service.settings import credit_of

# The register's kinds (companies.rules.AUTHORISATION_KINDS) as the import rules name them.
KINDS = {"simplified_express": AuthorisationKind.SIMPLIFIED_EXPRESS,
         "periodic_declaration": AuthorisationKind.PERIODIC, "letter_post": AuthorisationKind.LETTER_POST}
_EORI_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,15}$")


def _authorisations(eori: str) -> list[Authorisation]:
    if not eori:
        return []
    return [Authorisation(KINDS[a.kind], a.eori, a.reference or str(a.id), a.valid_from, a.valid_to)
            for a in companies.authorisations(eori) if a.kind in KINDS and not a.revoked]


def _phone(data: dict) -> str:
    for who in ("Declarant", "Agent"):
        party = data.get(who) or {}
        for contact in party.get("Contact") or []:
            for communication in (contact.get("Communication") or []) if isinstance(contact, dict) else []:
                if isinstance(communication, dict) and communication.get("TypeCode") == "TE":
                    return str(communication.get("ID") or "")
    return ""


def facts_for(conn: Connection, data: dict, declarant: str, forwarder: str, consignee: str, day: date,
              simplified_accepted_at=None) -> Facts:
    """The facts about the declaration's parties on the Danish day of lodging.

    A consignee not in the register whose identifier is not an EORI is a private person; one not in the register
    with a foreign EORI is foreign; a consignee's customs credit is `none` until an officer sets it."""
    company = companies.find(consignee) if consignee else None
    private = company is None and not _EORI_SHAPE.fullmatch(consignee or "")
    country = company.country if company else (consignee[:2] if not private else "DK")
    standing = credit_of(conn, consignee) if consignee else None
    credit = standing.status if standing and standing.since <= day else CustomsCredit.NONE
    agent = companies.find(forwarder) if forwarder else None
    address = ", ".join(x for x in (agent.street, f"{agent.postcode} {agent.city}", agent.country) if x) if agent else ""
    powers = ()
    if forwarder and consignee and forwarder != consignee and companies.power_scopes(consignee, forwarder, day):
        powers = (PowerOfAttorney(consignee, forwarder, day, day),)  # any valid power of the consignee's
    seen = list(dict.fromkeys(x for x in (declarant, forwarder, consignee) if x))
    return Facts(consignee_name=company.name if company else "", consignee_country=country or "DK",
                 declarant_name=agent.name if agent else "",
                 consignee_private=private, customs_credit=credit, vat_registered=company is not None,
                 declarant_address=address, declarant_phone=_phone(data),
                 authorisations=tuple(a for eori in seen for a in _authorisations(eori)),
                 powers_of_attorney=powers, simplified_accepted_at=simplified_accepted_at)
