"""Who may act on a company's signing certificates (seed 000: the company registers the keys it signs ICS and
Manifest submissions with). The company registers its own; it and any officer see them and may revoke one (a lost
key, an employee who left); verification answers with the company's own certificates, for the company or an
officer helping it (Told Servicedesk, seed 000). Another company is answered as for an unknown company or
certificate."""

from __future__ import annotations

from toldsystem.access.rules import HOLDER, OFFICER, Party, Rule, officer_roles, rule

RULES: dict[str, Rule] = {
    "certificate.register": rule({HOLDER}, "the company's own signing certificates",
                                 refusal="403 to an officer, else 404 as unknown"),
    "certificate.list": rule({HOLDER, OFFICER}, "a company's signing certificates, revoked ones included"),
    "certificate.read": rule({HOLDER, OFFICER}, "one signing certificate"),
    "certificate.revoke": rule({HOLDER, OFFICER}, "a signing certificate (revoked once, for good; kept on record)"),
    "signature.verify": rule({HOLDER, OFFICER}, "a signed file checked against the company's certificates, as every "
                             "channel taking ICS and Manifest submissions checks it"),
}

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/signatures/{eori}/certificates"): "certificate.register",
    ("GET", "/api/signatures/{eori}/certificates"): "certificate.list",
    ("GET", "/api/signatures/certificates/{certificate_id}"): "certificate.read",
    ("POST", "/api/signatures/certificates/{certificate_id}/revoke"): "certificate.revoke",
    ("POST", "/api/signatures/{eori}/verify"): "signature.verify",
}


def roles_towards_company(party: Party, eori: str) -> frozenset[str]:
    """The company itself is the holder of its certificates; officers are officers (the register is national)."""
    own = frozenset({HOLDER}) if party.eori is not None and party.eori == eori else frozenset()
    return own | officer_roles(party)
