"""Registering, reading and revoking signing certificates (seed 000: the company registers the keys it signs ICS and
Manifest submissions with), on SQLite and PostgreSQL, with certificates made here by our own CA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import CONSIGNOR, FORWARDER, IMPORTER, register_company
from tests.signatures import pki
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, Forbidden, NotFound, Rejected
from toldsystem.signatures import service

CA = pki.make_ca()
FORWARDER_CVR = FORWARDER[2:]
OFFICER = Party(kind="officer", name="Officer Olsen")


@pytest.fixture
def companies(store):
    for eori in (FORWARDER, IMPORTER, CONSIGNOR):
        register_company(eori)


def codes(error) -> list[str]:
    return [p.code for p in error.value.problems]


def test_an_oces3_certificate_naming_the_cvr_is_registered_with_its_facts(companies):
    signer = pki.issue(CA, pki.oces3_subject(FORWARDER_CVR))
    c = service.register(FORWARDER, signer.pem, label="Mette Hansen", by=Party.company(FORWARDER))
    assert c.eori == FORWARDER and c.label == "Mette Hansen"
    assert "organizationIdentifier=NTRDK-13585628" in c.facts.subject
    assert "CN=Test OCES udstedende-CA 1" in c.facts.issuer
    assert c.facts.serial == format(signer.certificate.serial_number, "X")
    assert c.facts.not_after == signer.certificate.not_valid_after_utc and c.facts.key_type == "EC secp256r1"
    assert c.facts.fingerprint == signer.certificate.fingerprint(pki.hashes.SHA256()).hex()
    assert c.registered_by == FORWARDER and c.revoked_at is None
    assert service.certificates(FORWARDER, by=Party.company(FORWARDER)) == [c]


def test_an_oces2_medarbejdersignatur_in_der_is_registered(companies):
    signer = pki.issue(CA, pki.oces2_subject(FORWARDER_CVR), kind="rsa")
    c = service.register(FORWARDER, signer.der)
    assert c.facts.key_type == "RSA 2048" and "CVR:13585628-RID:" in c.facts.subject


def test_a_certificate_with_someone_elses_cvr_is_refused(companies):
    other = pki.issue(CA, pki.oces3_subject(IMPORTER[2:], company="Nordisk Import ApS"))
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, other.pem, by=Party.company(FORWARDER))
    assert codes(refused) == ["certificate.other_company"]
    assert "DK12345674" in refused.value.problems[0].en
    assert service.certificates(FORWARDER) == []


def test_a_certificate_naming_no_company_is_refused(companies):
    anyone = pki.issue(CA, pki.x509.Name([pki.x509.NameAttribute(pki.NameOID.COMMON_NAME, "Mette Hansen")]))
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, anyone.pem)
    assert codes(refused) == ["certificate.not_company"]


def test_a_ca_certificate_an_expired_one_and_a_weak_key_are_refused(companies):
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR), ca_flag=True).pem)
    assert codes(refused) == ["certificate.is_ca"]
    expired = pki.issue(CA, pki.oces3_subject(FORWARDER_CVR), not_before=pki.NOW - timedelta(days=800),
                        not_after=pki.NOW - timedelta(days=1))
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, expired.pem)
    assert codes(refused) == ["certificate.expired"]
    weak = pki.issue(CA, pki.oces3_subject(FORWARDER_CVR), key=rsa.generate_private_key(65537, 1024))
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, weak.pem)
    assert codes(refused) == ["certificate.key"]


@pytest.mark.parametrize("data, code", [
    (b"", "certificate.missing"),
    (b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", "certificate.unreadable"),
    (b"\x30\x82\xff\xff" + b"\x00" * 100, "certificate.unreadable"),
    (b"-----BEGIN CERTIFICATE-----\n" + b"A" * 70_000 + b"\n-----END CERTIFICATE-----\n", "certificate.too_large"),
])
def test_malformed_and_huge_uploads_get_a_clear_error(companies, data, code):
    with pytest.raises(Rejected) as refused:
        service.register(FORWARDER, data)
    assert codes(refused) == [code]


def test_the_same_certificate_is_registered_once(companies):
    signer = pki.issue(CA, pki.oces3_subject(FORWARDER_CVR))
    service.register(FORWARDER, signer.pem)
    with pytest.raises(Conflict) as refused:
        service.register(FORWARDER, signer.der)
    assert codes(refused) == ["certificate.exists"]


def test_a_company_registers_only_its_own_and_sees_only_its_own(companies):
    mine = service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR)).pem)
    stranger = Party.company(IMPORTER)
    with pytest.raises(NotFound) as refused:  # as for a company that does not exist
        service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR)).pem, by=stranger)
    assert codes(refused) == ["company.unknown"]
    with pytest.raises(NotFound):
        service.certificates(FORWARDER, by=stranger)
    with pytest.raises(NotFound) as refused:
        service.certificate(mine.id, by=stranger)
    assert codes(refused) == ["certificate.unknown"]
    with pytest.raises(NotFound):
        service.revoke(mine.id, by=stranger)
    assert service.certificate(mine.id).revoked_at is None
    assert service.certificate(mine.id, by=OFFICER) == mine
    with pytest.raises(Forbidden):  # an officer sees them, but the company registers its own
        service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR)).pem, by=OFFICER)


def test_revocation_by_the_company_or_an_officer_is_kept_and_never_overwritten(companies, fixed_clock):
    first = service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR)).pem)
    second = service.register(FORWARDER, pki.issue(CA, pki.oces3_subject(FORWARDER_CVR)).pem)
    revoked = service.revoke(first.id, reason="key file lost", by=Party.company(FORWARDER))
    assert revoked.revoked_at == clock.now() and revoked.revoked_by == FORWARDER
    assert revoked.revocation_reason == "key file lost"
    fixed_clock.advance(hours=1)
    with pytest.raises(Conflict) as refused:
        service.revoke(first.id, reason="again", by=OFFICER)
    assert codes(refused) == ["certificate.revoked"]
    again = service.certificate(first.id)
    assert (again.revoked_at, again.revoked_by, again.revocation_reason) == (
        revoked.revoked_at, FORWARDER, "key file lost")
    by_officer = service.revoke(second.id, by=OFFICER)
    assert by_officer.revoked_by == "officer:Officer Olsen" and by_officer.revoked_at == clock.now()
    assert [c.id for c in service.certificates(FORWARDER)] == [first.id, second.id]
