"""Detached CMS signatures (RFC 5652 SignedData without its content, "PKCS#7 detached"): the format of a signature
beside a file that is not XML. It is what `openssl cms -sign -binary` (and `openssl smime -sign`), cryptography's
PKCS7SignatureBuilder with DetachedSignature, Windows' signtool and every S/MIME library make, so a vendor signs
with the tools it has; it names the signer's certificate and may say when it was signed, which a raw signature
over a hash cannot.

asn1crypto reads the structure, cryptography checks the signature (it makes CMS but does not verify it).
Pure: no I/O; the service passes in the company's registered certificates.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from toldsystem.core.errors import Problem
from toldsystem.signatures.rules import MAX_SIGNATURE_BYTES, malformed, mismatch

DIGESTS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_PEM = re.compile(rb"-----BEGIN (?:PKCS7|CMS)-----(.*?)-----END (?:PKCS7|CMS)-----", re.S)


@dataclass(frozen=True, slots=True)
class Signer:
    """The one signer of a detached SignedData: whom it names, what it signed, and its signature."""

    issuer: bytes | None  # DER of the issuer's Name (issuerAndSerialNumber), or None
    serial: int | None
    key_identifier: bytes | None  # subjectKeyIdentifier, when the signer is named so
    digest: str
    message_digest: bytes | None  # the signed attribute messageDigest (None: no signed attributes)
    signed_bytes: bytes | None  # the DER of the signed attributes as signed (a SET OF), or None
    signed_at: datetime | None
    algorithm: str  # rsassa_pkcs1v15, rsassa_pss or ecdsa
    pss_salt: int | None
    signature: bytes


def read_detached(data: bytes) -> Signer | Problem:
    """The signer of a detached CMS signature, as DER or PEM (-----BEGIN PKCS7----- / CMS); else why not."""
    if len(data) > MAX_SIGNATURE_BYTES:
        return malformed(f"a signature is at most {MAX_SIGNATURE_BYTES} bytes",
                         f"en signatur fylder højst {MAX_SIGNATURE_BYTES} bytes")
    pem = _PEM.search(data[:MAX_SIGNATURE_BYTES])
    try:
        der = base64.b64decode(b"".join(pem.group(1).split()), validate=True) if pem else data
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            return malformed("it is not a CMS SignedData (PKCS#7 signed) structure",
                             "det er ikke en CMS SignedData-struktur (PKCS#7-signeret)")
        signed = info["content"]
        if signed["encap_content_info"]["content"].native is not None:
            return malformed("the signature holds the content itself: send a detached signature (openssl cms -sign "
                             "-binary, without -nodetach)", "signaturen indeholder selve indholdet: send en separat "
                             "signatur (openssl cms -sign -binary, uden -nodetach)")
        signers = signed["signer_infos"]
        if len(signers) != 1:
            return malformed(f"it has {len(signers)} signers; exactly one is expected",
                             f"den har {len(signers)} underskrivere; der skal være præcis én")
        return _signer(signers[0])
    except Exception as exc:  # noqa: BLE001 - asn1crypto parses lazily and fails on crafted DER in many ways
        return malformed(f"not DER-encoded CMS ({type(exc).__name__})", f"ikke DER-kodet CMS ({type(exc).__name__})")


def _signer(info: cms.SignerInfo) -> Signer | Problem:
    sid = info["sid"]
    issuer = serial = key_identifier = None
    if sid.name == "issuer_and_serial_number":
        issuer, serial = sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native
    else:
        key_identifier = sid.chosen.native
    digest = info["digest_algorithm"]["algorithm"].native
    if digest not in DIGESTS:
        return malformed(f"digest {digest} is not accepted: SHA-256, SHA-384 or SHA-512",
                         f"digest {digest} accepteres ikke: SHA-256, SHA-384 eller SHA-512")
    algorithm = info["signature_algorithm"]
    kind = algorithm.signature_algo
    if kind not in ("rsassa_pkcs1v15", "rsassa_pss", "ecdsa"):
        return malformed(f"signature algorithm {kind} is not accepted: RSA (PKCS#1 v1.5 or PSS) or ECDSA",
                         f"signaturalgoritmen {kind} accepteres ikke: RSA (PKCS#1 v1.5 eller PSS) eller ECDSA")
    salt = None
    if kind == "rsassa_pss":
        parameters = algorithm["parameters"]
        if parameters["hash_algorithm"]["algorithm"].native != digest:
            return malformed("the RSA-PSS hash differs from the digest algorithm",
                             "RSA-PSS-hashen afviger fra digest-algoritmen")
        salt = parameters["salt_length"].native
    message_digest = signed_bytes = signed_at = None
    attributes = info["signed_attrs"]
    if not isinstance(attributes, core.Void):
        values = {a["type"].native: a["values"] for a in attributes}
        if "message_digest" not in values or values.get("content_type", [None])[0].native != "data":
            return malformed("the signed attributes must hold contentType (data) and messageDigest",
                             "de signerede attributter skal indeholde contentType (data) og messageDigest")
        message_digest = values["message_digest"][0].native
        if "signing_time" in values:
            signed_at = values["signing_time"][0].native
        # RFC 5652 §5.4: the signature covers the attributes' DER as a SET OF, not as the [0] they are sent in.
        signed_bytes = b"\x31" + attributes.dump()[1:]
    return Signer(issuer, serial, key_identifier, digest, message_digest, signed_bytes, signed_at, kind, salt,
                  info["signature"].native)


def names(signer: Signer, certificate: x509.Certificate) -> bool:
    """Whether the signer is this certificate (by issuer and serial number, or by subject key identifier)."""
    if signer.key_identifier is not None:
        try:
            ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except x509.ExtensionNotFound:
            return False
        return ski == signer.key_identifier
    if signer.serial != certificate.serial_number or signer.issuer is None:
        return False
    # Names compared as X.520 says (asn1crypto: case and spaces folded), not byte for byte: toolkits encode alike
    # names with different string types.
    return asn1_x509.Name.load(signer.issuer) == asn1_x509.Name.load(certificate.issuer.public_bytes())


def verify(signer: Signer, payload: bytes, certificate: x509.Certificate) -> Problem | None:
    """The signature over the file (through its signed attributes' messageDigest) is by this certificate's key."""
    algorithm = DIGESTS[signer.digest]()
    content = payload
    if signer.signed_bytes is not None:
        if hashlib.new(signer.digest, payload).digest() != signer.message_digest:
            return mismatch("the file's digest differs from the messageDigest it was signed with",
                            "filens digest afviger fra den messageDigest, den blev signeret med")
        content = signer.signed_bytes
    key = certificate.public_key()
    try:
        if signer.algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signer.signature, content, ec.ECDSA(algorithm))
        elif signer.algorithm == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signer.signature, content, padding.PSS(padding.MGF1(algorithm), signer.pss_salt), algorithm)
        elif signer.algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signer.signature, content, padding.PKCS1v15(), algorithm)
        else:
            return mismatch(f"a {signer.algorithm} signature cannot be made by this certificate's key",
                            f"en {signer.algorithm}-signatur kan ikke være lavet med dette certifikats nøgle")
    except InvalidSignature:
        return mismatch("the signature value is not the certificate key's", "signaturværdien er ikke certifikatnøglens")
    return None
