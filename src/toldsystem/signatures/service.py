"""Signing certificates and the verification every channel taking ICS and Manifest submissions asks (seed 000):
register, list, read and revoke a company's certificates; `verify` a signed file. Each use case asks
signatures/authorisation.py who may act; `by` defaults to the operator at the terminal (the CLI), who registers
as the company it names.

`verify` is the one seam: the file gateway, the portal and the API call it with the company the submission
comes from, and get a `Verified` or a `Rejected` naming the reason (docs/signatures.md lists them).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from cryptography import x509
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party, permitted, refusal
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, Rejected, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.signatures import cms, rules, store, xmldsig
from toldsystem.signatures.authorisation import RULES, roles_towards_company
from toldsystem.signatures.rules import RECEIPT, SIGNING, Certificate, CertificateFacts, Verified

_t = store.certificates


def _certificate(row) -> Certificate:
    facts = CertificateFacts(row.subject, row.issuer, row.serial, row.not_before, row.not_after, row.key_type,
                             row.fingerprint, frozenset({row.eori}))
    return Certificate(row.id, row.eori, row.label, facts, row.der, row.registered_at, row.registered_by,
                       row.revoked_at, row.revoked_by, row.revocation_reason)


def _unknown_company(eori: str) -> NotFound:
    # Word for word the companies room's answer, so a refusal tells nothing about whether the company exists.
    return NotFound(problem("company.unknown", "eori", f"no company with EORI {eori} is registered",
                            f"ingen virksomhed med EORI {eori} er registreret"))


def _unknown_certificate(certificate_id: int) -> NotFound:
    return NotFound(problem("certificate.unknown", "certificate_id", f"no certificate {certificate_id}",
                            f"intet certifikat {certificate_id}"))


def _require(rule_name: str, by: Party, eori: str, unknown: NotFound) -> None:
    """Ask the room's table; a party that may not see the company's certificates gets the unknown object's answer."""
    roles = roles_towards_company(by, eori)
    refused = refusal(RULES[rule_name], roles, frozenset(), permitted(RULES["certificate.list"], roles), unknown)
    if refused is not None:
        raise refused


def register(eori: str, data: bytes, *, label: str = "", by: Party | None = None) -> Certificate:
    """Register a certificate (PEM or DER) the company signs with: its own, fit for signing, not expired.

    Without `by` (the terminal) the operator acts as the company, as `told … --as EORI` does elsewhere."""
    eori = normalise_eori(eori)
    by = by or Party.company(eori)
    _require("certificate.register", by, eori, _unknown_company(eori))
    companies.get(eori)
    read = _checked(rules.read_certificate(data))
    facts = rules.facts_of(read)
    _checked(rules.check_fit_for_signing(read))
    _checked(rules.check_belongs_to(facts, eori))
    _checked(rules.check_registrable(facts, clock.now()))
    row = {"eori": eori, "fingerprint": facts.fingerprint, "label": label.strip()[:100], "subject": facts.subject,
           "issuer": facts.issuer, "serial": facts.serial, "not_before": facts.not_before,
           "not_after": facts.not_after, "key_type": facts.key_type, "der": read.public_bytes(rules.Encoding.DER),
           "registered_at": clock.now(), "registered_by": by.key[:100]}
    exists = Conflict(problem("certificate.exists", "certificate", f"the certificate {facts.fingerprint} is already "
                              "registered", f"certifikatet {facts.fingerprint} er allerede registreret"))
    try:
        with db.transaction() as conn:
            if conn.execute(select(_t.c.id).where(_t.c.fingerprint == facts.fingerprint)).first():
                raise exists
            new_id = conn.execute(insert(_t).values(row)).inserted_primary_key[0]
    except IntegrityError:  # registered at the same moment by another call
        raise exists from None
    return _get(new_id)


def certificates(eori: str, *, by: Party = OPERATOR) -> list[Certificate]:
    """A company's certificates, revoked ones included, oldest first."""
    eori = normalise_eori(eori)
    _require("certificate.list", by, eori, _unknown_company(eori))
    companies.get(eori)
    return _registered(eori)


def _registered(eori: str) -> list[Certificate]:
    with db.reading() as conn:
        return [_certificate(r) for r in conn.execute(select(_t).where(_t.c.eori == eori).order_by(_t.c.id))]


def _get(certificate_id: int) -> Certificate:
    with db.reading() as conn:
        row = conn.execute(select(_t).where(_t.c.id == certificate_id)).first()
    if row is None:
        raise _unknown_certificate(certificate_id)
    return _certificate(row)


def _owner(certificate_id: int) -> str:
    with db.reading() as conn:
        return conn.execute(select(_t.c.eori).where(_t.c.id == certificate_id)).scalar() or ""


def certificate(certificate_id: int, *, by: Party = OPERATOR) -> Certificate:
    """One certificate, if the party may see it (else answered as unknown)."""
    _require("certificate.read", by, _owner(certificate_id), _unknown_certificate(certificate_id))
    return _get(certificate_id)


def revoke(certificate_id: int, *, reason: str = "", by: Party = OPERATOR) -> Certificate:
    """Revoke a certificate for good: from this moment it signs nothing; the time and who did it are kept."""
    _require("certificate.revoke", by, _owner(certificate_id), _unknown_certificate(certificate_id))
    with db.transaction() as conn:
        done = conn.execute(update(_t).where(_t.c.id == certificate_id, _t.c.revoked_at.is_(None)).values(
            revoked_at=clock.now(), revoked_by=by.key[:100], revocation_reason=reason.strip()[:200] or None))
    if done.rowcount == 0:
        _get(certificate_id)  # gone? then unknown
        raise Conflict(problem("certificate.revoked", "certificate_id", f"certificate {certificate_id} is already "
                               "revoked", f"certifikat {certificate_id} er allerede spærret"))
    return _get(certificate_id)


# --- verification ---------------------------------------------------------------------------------------------------

def verify_for(party: Party, eori: str, payload: bytes, *, signature: bytes | None = None,
               media_type: str) -> Verified:
    """`verify`, asked over the API by the company itself or an officer (vendors testing their signing)."""
    eori = normalise_eori(eori)
    _require("signature.verify", party, eori, _unknown_company(eori))
    companies.get(eori)
    return verify(eori, payload, signature=signature, media_type=media_type)


def verify(company_eori: str, payload: bytes, *, signature: bytes | None = None, media_type: str,
           received_at: datetime | None = None) -> Verified:
    """Whether a submission from the company is signed by one of its registered certificates, valid and not
    revoked when it was received (`received_at`, default now); Rejected with the reason otherwise.

    XML (application/xml, text/xml, *+xml) carries an enveloped XML signature; any other file comes with a
    detached CMS signature (`signature`)."""
    eori = normalise_eori(company_eori)
    received_at = received_at or clock.now()
    if received_at.tzinfo is None:  # a naive time from a caller is taken as UTC, as the store does
        received_at = received_at.replace(tzinfo=timezone.utc)
    if len(payload) > rules.MAX_PAYLOAD_BYTES:
        raise Rejected(problem("payload.too_large", "payload", f"a signed file is at most {rules.MAX_PAYLOAD_BYTES} "
                               "bytes", f"en signeret fil fylder højst {rules.MAX_PAYLOAD_BYTES} bytes"))
    registered = _registered(eori)
    if rules.is_xml(media_type):
        chosen, signed_at, form = _verify_xml(eori, payload, signature, registered), None, "xmldsig-enveloped"
    else:
        (chosen, signed_at), form = _verify_detached(eori, payload, signature, registered), "cms-detached"
    _checked(rules.check_not_revoked(chosen, received_at))
    _checked(rules.check_valid_at(chosen.facts, received_at, RECEIPT))
    if signed_at is not None:
        _checked(rules.check_valid_at(chosen.facts, signed_at, SIGNING))
    return Verified(eori, chosen.id, chosen.facts.fingerprint, chosen.facts.subject, form, received_at, signed_at,
                    hashlib.sha256(payload).hexdigest())


def _verify_xml(eori: str, payload: bytes, signature: bytes | None, registered: list[Certificate]) -> Certificate:
    if signature:
        raise Rejected(rules.refused("format", "an XML file carries its signature inside it (an enveloped XML "
                                     "signature); send no separate signature", "en XML-fil har signaturen indlejret "
                                     "(en enveloped XML-signatur); send ingen separat signatur"))
    root = _checked(xmldsig.read(payload))
    found = _checked(xmldsig.signature_of(root))
    if found is None:
        raise Rejected(rules.unsigned(xml=True))
    brought = _checked(xmldsig.certificates_in(found))
    candidates = registered
    if brought:  # the document names its signer: only that registered certificate may have signed
        named = {rules.fingerprint(c) for c in brought}
        candidates = [c for c in registered if c.facts.fingerprint in named]
        if not candidates:
            raise Rejected(rules.unknown_certificate(eori, rules.fingerprint(brought[0])))
    if not candidates:
        raise Rejected(rules.unknown_certificate(eori, None))
    why = None
    for candidate in candidates:
        why = xmldsig.verify(payload, x509.load_der_x509_certificate(candidate.der))
        if why is None:
            return candidate
    raise Rejected(why)


def _verify_detached(eori: str, payload: bytes, signature: bytes | None,
                     registered: list[Certificate]) -> tuple[Certificate, datetime | None]:
    if not signature:
        raise Rejected(rules.unsigned(xml=False))
    signer = _checked(cms.read_detached(signature))
    for candidate in registered:
        certificate = x509.load_der_x509_certificate(candidate.der)
        if cms.names(signer, certificate):
            _checked(cms.verify(signer, payload, certificate))
            return candidate, signer.signed_at
    raise Rejected(rules.unknown_certificate(eori, None))


def _checked(found):
    """What a pure rule or reader found, or its problem raised as the refusal."""
    if isinstance(found, Problem):
        raise Rejected(found)
    return found
