"""The signatures API as a vendor uses it: register a certificate (PEM or base64 DER), test its signing against
/verify, revoke; another company is answered as for an unknown one."""

from __future__ import annotations

import base64

from tests.conftest import FORWARDER, IMPORTER, company_headers
from tests.signatures import pki

CA = pki.make_ca()
B64 = lambda data: base64.b64encode(data).decode()  # noqa: E731


def test_a_vendor_registers_tests_its_signing_and_revokes(client, store, officer_headers):
    mine = company_headers(FORWARDER)
    signer = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]))
    answer = client.post(f"/api/v1/signatures/{FORWARDER}/certificates",
                         json={"certificate": signer.pem.decode(), "label": "Mette Hansen"}, headers=mine)
    assert answer.status_code == 201, answer.text
    registered = answer.json()
    assert registered["fingerprint_sha256"] == signer.certificate.fingerprint(pki.hashes.SHA256()).hex()
    assert registered["revoked_at"] is None and registered["key_type"] == "EC secp256r1"
    second = pki.issue(CA, pki.oces2_subject(FORWARDER[2:]))
    assert client.post(f"/api/v1/signatures/{FORWARDER}/certificates", json={"certificate": B64(second.der)},
                       headers=mine).status_code == 201

    signed = pki.sign_xml(pki.MANIFEST, signer)
    ok = client.post(f"/api/v1/signatures/{FORWARDER}/verify", json={"payload": B64(signed)}, headers=mine)
    assert ok.status_code == 200 and ok.json()["certificate_id"] == registered["id"], ok.text
    csv = b"IMO;vessel\n9321483;MAERSK ESSEX\n"
    detached = client.post(f"/api/v1/signatures/{FORWARDER}/verify", headers=mine, json={
        "payload": B64(csv), "media_type": "text/csv", "signature": pki.sign_detached(csv, second, pem=True).decode()})
    assert detached.status_code == 200 and detached.json()["format"] == "cms-detached", detached.text

    tampered = client.post(f"/api/v1/signatures/{FORWARDER}/verify", headers=mine,
                           json={"payload": B64(signed.replace(b"DKAAR", b"DKCPH"))})
    assert tampered.status_code == 422
    assert tampered.json()["errors"][0]["code"] == "signature.mismatch"
    assert tampered.json()["errors"][0]["message_da"].startswith("signaturen passer ikke")

    revoked = client.post(f"/api/v1/signatures/certificates/{registered['id']}/revoke",
                          json={"reason": "key file lost"}, headers=officer_headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_by"] == "officer:Officer Olsen"
    again = client.post(f"/api/v1/signatures/{FORWARDER}/verify", json={"payload": B64(signed)}, headers=mine)
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "signature.certificate_revoked"
    listed = client.get(f"/api/v1/signatures/{FORWARDER}/certificates", headers=mine).json()
    assert [c["revocation_reason"] for c in listed] == ["key file lost", None]


def test_another_company_is_answered_as_for_an_unknown_one(client, store):
    company_headers(FORWARDER)
    stranger = company_headers(IMPORTER)
    for method, url, body in (("GET", f"/api/v1/signatures/{FORWARDER}/certificates", None),
                              ("POST", f"/api/v1/signatures/{FORWARDER}/verify", {"payload": B64(pki.MANIFEST)})):
        answer = client.request(method, url, json=body, headers=stranger)
        assert answer.status_code == 404 and answer.json()["errors"][0]["code"] == "company.unknown"


def test_bad_base64_and_oversized_fields_are_named(client, store):
    mine = company_headers(FORWARDER)
    answer = client.post(f"/api/v1/signatures/{FORWARDER}/verify", json={"payload": "not base64!"}, headers=mine)
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "payload"
    answer = client.post(f"/api/v1/signatures/{FORWARDER}/certificates", json={"certificate": "A" * 200_000},
                         headers=mine)
    assert answer.status_code == 422 and "certificate" in answer.text
