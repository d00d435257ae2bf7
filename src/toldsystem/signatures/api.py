"""HTTP API for signing certificates and a verification vendors test their signing with (who may:
signatures/authorisation.py). Certificates come as PEM text or base64 DER in JSON; a file to verify as base64."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from pydantic import BaseModel, Field

from toldsystem.access.api import PartyDep
from toldsystem.core.api import CONFLICT, RowId, room_router
from toldsystem.core.errors import Rejected, problem
from toldsystem.signatures import service
from toldsystem.signatures.rules import MAX_CERTIFICATE_BYTES, MAX_SIGNATURE_BYTES, Certificate, Verified

router = room_router("/signatures", tags=["signatures"])

_B64_PAYLOAD = 12 * 1024 * 1024  # characters: the body limit (8 MiB) bounds it first; this names the field


class CertificateIn(BaseModel):
    certificate: str = Field(max_length=2 * MAX_CERTIFICATE_BYTES,
                             description="The certificate as PEM (-----BEGIN CERTIFICATE-----…) or as base64 DER",
                             examples=["-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----\n"])
    label: str = Field("", max_length=100, examples=["Mette Hansen, medarbejdersignatur"])


class RevokeIn(BaseModel):
    reason: str = Field("", max_length=200, examples=["the key file was lost"])


class VerifyIn(BaseModel):
    payload: str = Field(max_length=_B64_PAYLOAD, description="The file as it is submitted, base64")
    media_type: str = Field("application/xml", max_length=100,
                            description="application/xml (or text/xml, *+xml): an enveloped XML signature inside; "
                                        "anything else: a detached CMS signature in `signature`")
    signature: str | None = Field(None, max_length=2 * MAX_SIGNATURE_BYTES,
                                  description="A detached CMS (PKCS#7) signature, base64 of its DER, or its PEM")


def _base64(text: str, pointer: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise Rejected(problem("request.base64", pointer, f"{pointer} is not base64", f"{pointer} er ikke base64")) \
            from None


def _certificate_bytes(text: str) -> bytes:
    return text.encode() if text.lstrip().startswith("-----BEGIN") else _base64(text, "certificate")


def _signature_bytes(text: str | None) -> bytes | None:
    if text is None:
        return None
    return text.encode() if text.lstrip().startswith("-----BEGIN") else _base64(text, "signature")


def _time(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def certificate_out(c: Certificate) -> dict:
    return {"id": c.id, "eori": c.eori, "label": c.label, "subject": c.facts.subject, "issuer": c.facts.issuer,
            "serial": c.facts.serial, "not_before": _time(c.facts.not_before), "not_after": _time(c.facts.not_after),
            "key_type": c.facts.key_type, "fingerprint_sha256": c.facts.fingerprint,
            "registered_at": _time(c.registered_at), "registered_by": c.registered_by,
            "revoked_at": _time(c.revoked_at), "revoked_by": c.revoked_by, "revocation_reason": c.revocation_reason}


def verified_out(v: Verified) -> dict:
    return {"valid": True, "company_eori": v.company_eori, "certificate_id": v.certificate_id,
            "fingerprint_sha256": v.fingerprint, "subject": v.subject, "format": v.format,
            "received_at": _time(v.received_at), "signed_at": _time(v.signed_at), "payload_sha256": v.payload_sha256}


@router.post("/{eori}/certificates", status_code=201, responses=CONFLICT,
             summary="Register a certificate the company signs ICS and Manifest submissions with")
def register(eori: str, body: CertificateIn, party: PartyDep) -> dict:
    return certificate_out(service.register(eori, _certificate_bytes(body.certificate), label=body.label, by=party))


@router.get("/{eori}/certificates", summary="A company's signing certificates, revoked ones included")
def list_certificates(eori: str, party: PartyDep) -> list[dict]:
    return [certificate_out(c) for c in service.certificates(eori, by=party)]


@router.get("/certificates/{certificate_id}", summary="One signing certificate")
def get_certificate(certificate_id: RowId, party: PartyDep) -> dict:
    return certificate_out(service.certificate(certificate_id, by=party))


@router.post("/certificates/{certificate_id}/revoke", responses=CONFLICT,
             summary="Revoke a signing certificate: from now on nothing it signs is accepted")
def revoke(certificate_id: RowId, party: PartyDep, body: RevokeIn | None = None) -> dict:
    return certificate_out(service.revoke(certificate_id, reason=body.reason if body else "", by=party))


@router.post("/{eori}/verify", summary="Check a signed file as the ICS and Manifest channels will (422 names why not)")
def verify(eori: str, body: VerifyIn, party: PartyDep) -> dict:
    return verified_out(service.verify_for(party, eori, _base64(body.payload, "payload"),
                                           signature=_signature_bytes(body.signature), media_type=body.media_type))
