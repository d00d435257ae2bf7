"""Verifying signed ICS and Manifest submissions (seed 000) as every channel will: an enveloped XML signature made with
signxml, a detached CMS signature made with cryptography; each refusal reason positive and negative; hostile input."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from lxml import etree

from tests.conftest import FORWARDER, IMPORTER, register_company
from tests.signatures import pki
from toldsystem.core import clock
from toldsystem.core.errors import Rejected
from toldsystem.signatures import service

CA = pki.make_ca()
XML = "application/xml"
CSV = b"IMO;vessel;arrival\n9321483;MAERSK ESSEX;2026-12-02T06:00Z\n"


@pytest.fixture
def signer(store):
    """The forwarder with one registered OCES3 certificate (EC P-256) and its key."""
    register_company(FORWARDER)
    register_company(IMPORTER)
    made = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]))
    service.register(FORWARDER, made.pem)
    return made


def refusal(payload, *, eori=FORWARDER, **kwargs) -> str:
    with pytest.raises(Rejected) as refused:
        service.verify(eori, payload, **kwargs)
    assert len(refused.value.problems) == 1
    found = refused.value.problems[0]
    assert found.en and found.da and found.en != found.da
    return found.code


# --- a good signature in each format ---------------------------------------------------------------------------------

def test_an_enveloped_xml_signature_by_a_registered_certificate_is_verified(signer):
    verified = service.verify(FORWARDER, pki.sign_xml(pki.MANIFEST, signer), media_type=XML)
    assert verified.format == "xmldsig-enveloped" and verified.company_eori == FORWARDER
    assert verified.fingerprint == signer.certificate.fingerprint(pki.hashes.SHA256()).hex()
    assert verified.signed_at is None


def test_an_rsa_signed_xml_and_the_text_xml_media_type_are_verified(store):
    register_company(FORWARDER)
    rsa_signer = pki.issue(CA, pki.oces2_subject(FORWARDER[2:]), kind="rsa")
    service.register(FORWARDER, rsa_signer.der)
    assert service.verify(FORWARDER, pki.sign_xml(pki.MANIFEST, rsa_signer), media_type="text/xml; charset=utf-8")


def test_a_detached_cms_signature_over_another_file_is_verified_in_der_and_pem(signer):
    for pem in (False, True):
        verified = service.verify(FORWARDER, CSV, signature=pki.sign_detached(CSV, signer, pem=pem),
                                  media_type="text/csv")
        assert verified.format == "cms-detached" and verified.signed_at is not None


def test_an_xml_signature_without_its_certificate_in_keyinfo_is_found_among_the_registered(signer):
    signed = etree.fromstring(pki.sign_xml(pki.MANIFEST, signer))
    key_info = signed.find(".//{http://www.w3.org/2000/09/xmldsig#}KeyInfo")
    key_info.getparent().remove(key_info)  # KeyInfo is not signed: a sender may leave it out
    assert service.verify(FORWARDER, etree.tostring(signed), media_type=XML).fingerprint


# --- unsigned ---------------------------------------------------------------------------------------------------------

def test_unsigned_xml_and_a_file_without_a_detached_signature_are_refused(signer):
    assert refusal(pki.MANIFEST, media_type=XML) == "signature.missing"
    assert refusal(CSV, media_type="text/csv") == "signature.missing"
    assert refusal(CSV, signature=b"", media_type="text/csv") == "signature.missing"


def test_an_xml_file_with_a_detached_signature_beside_it_is_refused(signer):
    assert refusal(pki.MANIFEST, signature=pki.sign_detached(pki.MANIFEST, signer), media_type=XML) == \
        "signature.format"


# --- tampered ---------------------------------------------------------------------------------------------------------

def test_a_changed_xml_document_does_not_match_its_signature(signer):
    signed = pki.sign_xml(pki.MANIFEST, signer)
    assert refusal(signed.replace(b"MAERSK ESSEX", b"MAERSK ESSEY"), media_type=XML) == "signature.mismatch"


def test_a_changed_signature_value_does_not_match(signer):
    signed = etree.fromstring(pki.sign_xml(pki.MANIFEST, signer))
    value = signed.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    raw = bytearray(base64.b64decode(value.text))
    raw[10] ^= 1
    value.text = base64.b64encode(bytes(raw)).decode()
    assert refusal(etree.tostring(signed), media_type=XML) == "signature.mismatch"


def test_a_changed_file_does_not_match_its_detached_signature(signer):
    signature = pki.sign_detached(CSV, signer)
    assert refusal(CSV.replace(b"9321483", b"9321484"), signature=signature, media_type="text/csv") == \
        "signature.mismatch"


def test_a_signature_by_another_key_under_the_registered_certificate_does_not_match(signer):
    impostor = pki.Signer(pki.ec.generate_private_key(pki.ec.SECP256R1()), signer.certificate)
    assert refusal(pki.sign_xml(pki.MANIFEST, impostor), media_type=XML) == "signature.mismatch"
    assert refusal(CSV, signature=pki.sign_detached(CSV, impostor), media_type="text/csv") == "signature.mismatch"


# --- certificate unknown for this company ----------------------------------------------------------------------------

def test_a_certificate_not_registered_signs_nothing(signer):
    unregistered = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]))
    assert refusal(pki.sign_xml(pki.MANIFEST, unregistered), media_type=XML) == "signature.certificate_unknown"
    assert refusal(CSV, signature=pki.sign_detached(CSV, unregistered), media_type="text/csv") == \
        "signature.certificate_unknown"


def test_another_companys_registered_certificate_does_not_sign_for_this_one(signer):
    importer = pki.issue(CA, pki.oces3_subject(IMPORTER[2:], company="Nordisk Import ApS"))
    service.register(IMPORTER, importer.pem)
    assert service.verify(IMPORTER, pki.sign_xml(pki.MANIFEST, importer), media_type=XML)
    assert refusal(pki.sign_xml(pki.MANIFEST, importer), media_type=XML) == "signature.certificate_unknown"
    assert refusal(pki.sign_xml(pki.MANIFEST, signer), eori=IMPORTER, media_type=XML) == \
        "signature.certificate_unknown"
    assert refusal(CSV, eori=IMPORTER, signature=pki.sign_detached(CSV, signer), media_type="text/csv") == \
        "signature.certificate_unknown"


# --- expired or not yet valid at receipt or at the signing time claimed -----------------------------------------

def test_a_certificate_is_valid_only_within_its_dates_at_receipt(store):
    register_company(FORWARDER)
    start, end = pki.NOW + timedelta(days=10), pki.NOW + timedelta(days=40)
    later = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]), not_before=start, not_after=end)
    service.register(FORWARDER, later.pem)
    start, end = later.certificate.not_valid_before_utc, later.certificate.not_valid_after_utc  # whole seconds
    signed = pki.sign_xml(pki.MANIFEST, later)
    assert refusal(signed, media_type=XML, received_at=start - timedelta(seconds=1)) == \
        "signature.certificate_not_yet_valid"
    assert service.verify(FORWARDER, signed, media_type=XML, received_at=start)
    assert service.verify(FORWARDER, signed, media_type=XML, received_at=end)
    assert refusal(signed, media_type=XML, received_at=end + timedelta(seconds=1)) == "signature.certificate_expired"


def test_a_detached_signature_claiming_a_signing_time_outside_the_validity_is_refused(store):
    register_company(FORWARDER)
    start = pki.NOW + timedelta(days=10)
    later = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]), not_before=start, not_after=start + timedelta(days=30))
    service.register(FORWARDER, later.pem)
    signature = pki.sign_detached(CSV, later)  # cryptography writes signingTime: now, before the validity
    assert refusal(CSV, signature=signature, media_type="text/csv", received_at=start + timedelta(days=1)) == \
        "signature.certificate_not_yet_valid"


# --- revoked at or before receipt -------------------------------------------------------------------------------------

def test_a_revoked_certificate_signs_nothing_received_from_its_revocation_on(signer, fixed_clock):
    registered = service.certificates(FORWARDER)[0]
    signed = pki.sign_xml(pki.MANIFEST, signer)
    revoked_at = service.revoke(registered.id, reason="employee left").revoked_at
    # A file received before the revocation (queued in the gateway) still counts; at or after it, not.
    assert service.verify(FORWARDER, signed, media_type=XML, received_at=revoked_at - timedelta(microseconds=1))
    assert refusal(signed, media_type=XML, received_at=revoked_at) == "signature.certificate_revoked"
    fixed_clock.advance(minutes=5)
    assert refusal(signed, media_type=XML) == "signature.certificate_revoked"
    assert refusal(CSV, signature=pki.sign_detached(CSV, signer), media_type="text/csv") == \
        "signature.certificate_revoked"


# --- signature wrapping: the signed element must be the document root -------------------------------------------------

DS = "{http://www.w3.org/2000/09/xmldsig#}"


def test_a_signed_document_wrapped_in_another_root_is_refused(signer):
    signed = etree.fromstring(pki.sign_xml(pki.MANIFEST, signer))
    wrapper = etree.fromstring(b'<Arrival xmlns="urn:toldsystem:manifest:test"><Carrier>DK99999999</Carrier>'
                               b'<Original/></Arrival>')
    wrapper.find("{urn:toldsystem:manifest:test}Original").append(signed)
    assert refusal(etree.tostring(wrapper), media_type=XML) == "signature.not_root"


def test_a_signature_moved_to_a_new_root_pointing_at_the_signed_element_by_id_is_refused(signer):
    original = pki.MANIFEST.replace(b'<Arrival xmlns', b'<Arrival Id="arrival-1" xmlns')
    signed = etree.fromstring(pki.sign_xml_by_id(original, signer, "arrival-1"))
    assert service.verify(FORWARDER, etree.tostring(signed), media_type=XML)  # signed by the root's Id: fine
    signature = signed.find(f"{DS}Signature")
    signed.remove(signature)
    evil = etree.fromstring(b'<Arrival xmlns="urn:toldsystem:manifest:test"><Carrier>DK99999999</Carrier></Arrival>')
    evil.append(signature)
    evil.append(signed)  # the original, still intact with its Id, now inside the attacker's document
    assert refusal(etree.tostring(evil), media_type=XML) == "signature.not_root"


def test_two_signatures_or_a_signature_outside_the_root_are_refused(signer):
    signed = etree.fromstring(pki.sign_xml(pki.MANIFEST, signer))
    signed.append(etree.fromstring(etree.tostring(signed.find(f"{DS}Signature"))))
    assert refusal(etree.tostring(signed), media_type=XML) == "signature.not_root"


# --- hostile and malformed input: bounded, a clear error, no crash ----------------------------------------------------

@pytest.mark.parametrize("payload, code", [
    (b"<Arrival><unclosed></Arrival>", "payload.not_xml"),
    (b"", "payload.not_xml"),
    (b"\xff\xfe\x00<", "payload.not_xml"),
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>', "payload.dtd"),
    (b"<a>" * 300 + b"</a>" * 300, "payload.not_xml"),  # deeper than libxml2's limit of 256
])
def test_malformed_xml_is_refused_clearly(signer, payload, code):
    assert refusal(payload, media_type=XML) == code


def test_a_huge_file_is_refused_before_it_is_read(signer):
    assert refusal(b"<a>" + b"x" * (16 * 1024 * 1024) + b"</a>", media_type=XML) == "payload.too_large"


@pytest.mark.parametrize("signature", [
    b"not a signature at all",
    b"\x30\x80" + b"\x00" * 64,
    b"-----BEGIN PKCS7-----\n%%%%\n-----END PKCS7-----\n",
    b"\x30" * (2 * 1024 * 1024),
])
def test_a_malformed_or_huge_detached_signature_is_refused_clearly(signer, signature):
    assert refusal(CSV, signature=signature, media_type="text/csv") == "signature.malformed"


def test_a_signature_holding_the_content_itself_is_not_a_detached_one(signer):
    attached = (pki.pkcs7.PKCS7SignatureBuilder().set_data(CSV).add_signer(signer.certificate, signer.key,
                                                                           pki.hashes.SHA256())
                .sign(pki.serialization.Encoding.DER, [pki.pkcs7.PKCS7Options.Binary]))
    assert refusal(CSV, signature=attached, media_type="text/csv") == "signature.malformed"


def test_a_garbled_keyinfo_certificate_is_refused_clearly(signer):
    signed = pki.sign_xml(pki.MANIFEST, signer)
    start = signed.index(b"<ds:X509Certificate>") + len(b"<ds:X509Certificate>")
    assert refusal(signed[:start] + b"!!!!" + signed[start + 4:], media_type=XML) == "signature.malformed"


def test_verification_does_not_depend_on_the_clock_being_real(signer, fixed_clock):
    assert clock.now() < pki.NOW  # the fixed clock stands before these certificates were made, within their validity
    assert service.verify(FORWARDER, pki.sign_xml(pki.MANIFEST, signer), media_type=XML)


def test_an_rsa_pss_detached_signature_is_verified(store):
    register_company(FORWARDER)
    rsa_signer = pki.issue(CA, pki.oces3_subject(FORWARDER[2:]), kind="rsa")
    service.register(FORWARDER, rsa_signer.pem)
    pss = pki.padding.PSS(mgf=pki.padding.MGF1(pki.hashes.SHA256()), salt_length=32)
    signature = (pki.pkcs7.PKCS7SignatureBuilder().set_data(CSV)
                 .add_signer(rsa_signer.certificate, rsa_signer.key, pki.hashes.SHA256(), rsa_padding=pss)
                 .sign(pki.serialization.Encoding.DER, [pki.pkcs7.PKCS7Options.DetachedSignature,
                                                       pki.pkcs7.PKCS7Options.Binary]))
    assert service.verify(FORWARDER, CSV, signature=signature, media_type="application/octet-stream")
    assert refusal(CSV + b"\n", signature=signature, media_type="application/octet-stream") == "signature.mismatch"


def test_an_emptied_signature_value_is_refused_clearly(signer):
    signed = etree.fromstring(pki.sign_xml(pki.MANIFEST, signer))
    signed.find(f".//{DS}SignatureValue").text = None
    assert refusal(etree.tostring(signed), media_type=XML) == "signature.malformed"  # signxml: a TypeError
