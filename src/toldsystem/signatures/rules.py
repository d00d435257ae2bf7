"""Pure rules of digital signatures for ICS and Manifest (seed 000: "Onlineadgang til ICS og Manifest sker med digital
signatur … FTP-adgang til ICS og Manifest sker ligeledes med digital signatur (medarbejdersignatur eller
virksomhedssignatur)"): which certificate a company may register, and when a signature by one counts.

A certificate belongs to the company its subject names (docs/signatures.md):
- OCES3 (MitID Erhverv) certificates name the company in organizationIdentifier (2.5.4.97) as `NTRDK-<CVR>`
  (ETSI EN 319 412-1 §5.1.4: "NTR", a national trade register, and the country), e.g. the tax agency's own
  `C=DK, 2.5.4.97=NTRDK-19552101, O=Skatteforvaltningen, SERIALNUMBER=UI:DK-O:G:<uuid>, CN=…`;
- OCES2 (NemID medarbejder-, virksomheds- and funktionssignatur) in the subject serialNumber as
  `CVR:<CVR>-RID:…` (an employee), `CVR:<CVR>-UID:…` (the company) or `CVR:<CVR>-FID:…` (a function),
  with `O=<name> // CVR:<CVR>`;
- a foreign company (its signature ordered through Told Servicedesk, seed 000) by its whole EORI as the
  organizationIdentifier or serialNumber.
A Danish EORI is DK + CVR (SPEC A), so the CVR named must be the company's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from toldsystem.core.errors import Problem, problem

MAX_CERTIFICATE_BYTES = 64 * 1024  # an OCES certificate is about 2 KB; a chain of them well under this
MAX_SIGNATURE_BYTES = 1024 * 1024  # a detached CMS signature with its certificates
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024  # a signed file (ICS and Manifest declarations are far smaller)
MIN_RSA_BITS = 2048
EC_CURVES = ("secp256r1", "secp384r1", "secp521r1")

XML_MEDIA_TYPES = ("application/xml", "text/xml")

_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
_NTR_DK = re.compile(r"^NTRDK-(\d{8})$")
_OCES2_SERIAL = re.compile(r"^CVR:(\d{8})-(?:RID|UID|FID):\S+$")
_OCES2_ORGANISATION = re.compile(r"// CVR:(\d{8})$")
# Subjects shown as `openssl x509 -subject` names these attributes, not by their numbers.
_NAMES = {NameOID.SERIAL_NUMBER: "serialNumber", _ORGANIZATION_IDENTIFIER: "organizationIdentifier"}


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What is kept of an X.509 certificate: who, by whom, which, how long, which key, its SHA-256 fingerprint."""

    subject: str
    issuer: str
    serial: str  # hexadecimal, as `openssl x509 -serial` prints it
    not_before: datetime
    not_after: datetime
    key_type: str
    fingerprint: str  # SHA-256 of the DER, lower-case hex
    names: frozenset[str]  # the EORIs of the companies its subject names


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate a company registered, with its revocation once revoked (never undone)."""

    id: int
    eori: str
    label: str
    facts: CertificateFacts
    der: bytes
    registered_at: datetime
    registered_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revocation_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Verified:
    """A submission whose signature holds: by which registered certificate, in which format, received when."""

    company_eori: str
    certificate_id: int
    fingerprint: str
    subject: str
    format: str  # "xmldsig-enveloped" or "cms-detached"
    received_at: datetime
    signed_at: datetime | None  # the signing time the signature claims (CMS signingTime), if any
    payload_sha256: str


def refused(code: str, en: str, da: str, pointer: str = "signature") -> Problem:
    """A refusal of a submission's signature: its code says which rule, the texts why."""
    return problem(f"signature.{code}", pointer, en, da)


# --- reading a certificate ----------------------------------------------------------------------------------------

def read_certificate(data: bytes, pointer: str = "certificate") -> x509.Certificate | Problem:
    """A certificate as PEM ("-----BEGIN CERTIFICATE-----") or DER, bounded in size; otherwise a clear problem."""
    if not data:
        return problem("certificate.missing", pointer, "no certificate was sent", "der blev ikke sendt et certifikat")
    if len(data) > MAX_CERTIFICATE_BYTES:
        return problem("certificate.too_large", pointer, f"a certificate is at most {MAX_CERTIFICATE_BYTES} bytes",
                       f"et certifikat fylder højst {MAX_CERTIFICATE_BYTES} bytes")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            certificate = x509.load_pem_x509_certificate(data)
        else:
            certificate = x509.load_der_x509_certificate(data)
        certificate.public_key(), certificate.extensions  # both are read lazily: a broken one fails here, not later
        return certificate
    except UnsupportedAlgorithm:
        return problem("certificate.key", pointer, "the certificate's key is of a kind this system does not know",
                       "certifikatets nøgle er af en art, systemet ikke kender")
    except ValueError:
        return problem("certificate.unreadable", pointer,
                       "not an X.509 certificate: send it as PEM (-----BEGIN CERTIFICATE-----) or DER",
                       "ikke et X.509-certifikat: send det som PEM (-----BEGIN CERTIFICATE-----) eller DER")


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, lower-case hex (as `openssl x509 -fingerprint -sha256` without colons)."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def facts_of(certificate: x509.Certificate) -> CertificateFacts:
    """The certificate's subject, issuer, serial, validity, key type and SHA-256 fingerprint."""
    return CertificateFacts(
        subject=certificate.subject.rfc4514_string(_NAMES), issuer=certificate.issuer.rfc4514_string(_NAMES),
        serial=format(certificate.serial_number, "X"), not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc, key_type=key_type(certificate.public_key()),
        fingerprint=fingerprint(certificate), names=companies_named(certificate.subject))


def key_type(key) -> str:
    """The key as people name it: "RSA 3072", "EC secp256r1", "Ed25519"."""
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    return type(key).__name__


def companies_named(subject: x509.Name) -> frozenset[str]:
    """The EORIs of the companies a certificate's subject names, in the OCES3 and OCES2 forms (module docstring)."""
    found: set[str] = set()
    for attribute in subject:
        value = attribute.value if isinstance(attribute.value, str) else ""
        if attribute.oid == _ORGANIZATION_IDENTIFIER:
            match = _NTR_DK.match(value)
            found.add("DK" + match.group(1) if match else value)
        elif attribute.oid == NameOID.SERIAL_NUMBER:
            match = _OCES2_SERIAL.match(value)
            found.add("DK" + match.group(1) if match else value)
        elif attribute.oid == NameOID.ORGANIZATION_NAME:
            match = _OCES2_ORGANISATION.search(value)
            if match:
                found.add("DK" + match.group(1))
    return frozenset(v for v in found if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{1,15}", v))


# --- which certificate a company may register ---------------------------------------------------------------------

def check_belongs_to(facts: CertificateFacts, eori: str) -> Problem | None:
    """The certificate names the company, and only it: its CVR (NTRDK-… or CVR:…) or its whole EORI — seed 000."""
    if facts.names == {eori}:
        return None
    if not facts.names:
        return problem("certificate.not_company", "certificate",
                       f"the certificate's subject ({facts.subject}) names no company: an OCES certificate names its "
                       f"company as organizationIdentifier NTRDK-<CVR> or serialNumber CVR:<CVR>-…",
                       f"certifikatets subject ({facts.subject}) angiver ingen virksomhed: et OCES-certifikat angiver "
                       f"virksomheden som organizationIdentifier NTRDK-<CVR> eller serialNumber CVR:<CVR>-…")
    return problem("certificate.other_company", "certificate",
                   f"the certificate belongs to {', '.join(sorted(facts.names))}, not to {eori}",
                   f"certifikatet tilhører {', '.join(sorted(facts.names))}, ikke {eori}")


def check_registrable(facts: CertificateFacts, now: datetime) -> Problem | None:
    """An expired certificate signs nothing, so it is not registered (one valid from a later day may be: a renewal)."""
    if facts.not_after >= now:
        return None
    return problem("certificate.expired", "certificate", f"the certificate expired at "
                   f"{facts.not_after.isoformat(timespec='seconds')}", f"certifikatet udløb "
                   f"{facts.not_after.isoformat(timespec='seconds')}")


def check_fit_for_signing(certificate: x509.Certificate) -> Problem | None:
    """A signer's own certificate (not a CA's), whose key may sign, of a strength that still holds."""
    try:
        if certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return problem("certificate.is_ca", "certificate",
                           "this is a CA certificate: register the certificate that signs (medarbejder- or "
                           "virksomhedssignatur)", "dette er et CA-certifikat: registrér det certifikat, der signerer "
                           "(medarbejder- eller virksomhedssignatur)")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            return problem("certificate.not_for_signing", "certificate",
                           "the certificate's key usage allows no signing (digitalSignature or nonRepudiation)",
                           "certifikatets nøglebrug tillader ikke signering (digitalSignature eller nonRepudiation)")
    except x509.ExtensionNotFound:
        pass
    if certificate.serial_number.bit_length() > 160:
        return problem("certificate.serial", "certificate", "the serial number is longer than 20 octets (RFC 5280)",
                       "serienummeret er længere end 20 oktetter (RFC 5280)")
    key = certificate.public_key()
    weak = ((isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS)
            or (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name not in EC_CURVES)
            or not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)))
    if weak:
        return problem("certificate.key", "certificate",
                       f"a {key_type(key)} key is not accepted: RSA of at least {MIN_RSA_BITS} bits or EC on "
                       f"P-256, P-384 or P-521", f"en {key_type(key)}-nøgle accepteres ikke: RSA på mindst "
                       f"{MIN_RSA_BITS} bit eller EC på P-256, P-384 eller P-521")
    return None


# --- when a signature by a registered certificate counts ----------------------------------------------------------

def is_xml(media_type: str) -> bool:
    """XML files carry an enveloped XML signature; every other file a detached one."""
    base = media_type.partition(";")[0].strip().lower()
    return base in XML_MEDIA_TYPES or base.endswith("+xml")


def check_not_revoked(certificate: Certificate, received_at: datetime) -> Problem | None:
    """A certificate revoked at or before the submission was received signs nothing from then on."""
    if certificate.revoked_at is None or certificate.revoked_at > received_at:
        return None
    when = certificate.revoked_at.isoformat(timespec="seconds")
    return refused("certificate_revoked", f"the certificate {certificate.facts.fingerprint[:16]}… was revoked at "
                   f"{when}, before the submission was received", f"certifikatet {certificate.facts.fingerprint[:16]}"
                   f"… blev spærret {when}, før indsendelsen blev modtaget")


def check_valid_at(facts: CertificateFacts, at: datetime, moment: tuple[str, str]) -> Problem | None:
    """The certificate is within its validity at that moment (receipt, and the signing time a signature claims)."""
    en, da = moment
    if at < facts.not_before:
        return refused("certificate_not_yet_valid", f"the certificate is valid only from "
                       f"{facts.not_before.isoformat(timespec='seconds')}, after {en}",
                       f"certifikatet er først gyldigt fra {facts.not_before.isoformat(timespec='seconds')}, "
                       f"efter {da}")
    if at > facts.not_after:
        return refused("certificate_expired", f"the certificate expired at "
                       f"{facts.not_after.isoformat(timespec='seconds')}, before {en}",
                       f"certifikatet udløb {facts.not_after.isoformat(timespec='seconds')}, før {da}")
    return None


RECEIPT = ("the submission was received", "indsendelsen blev modtaget")
SIGNING = ("the time the signature says it was made", "det tidspunkt, signaturen angiver, den blev lavet")


def unsigned(xml: bool) -> Problem:
    """An ICS or Manifest submission must be signed (seed 000)."""
    if xml:
        return refused("missing", "the XML carries no signature: ICS and Manifest submissions are signed with an "
                       "enveloped XML signature (ds:Signature as a child of the root element)",
                       "XML-filen har ingen signatur: indsendelser til ICS og Manifest signeres med en indlejret "
                       "XML-signatur (ds:Signature som barn af rodelementet)")
    return refused("missing", "the file carries no signature: send a detached CMS signature (PKCS#7, "
                   "`openssl cms -sign -binary`) beside it", "filen har ingen signatur: send en separat CMS-signatur "
                   "(PKCS#7, `openssl cms -sign -binary`) sammen med den")


def unknown_certificate(eori: str, fingerprint: str | None) -> Problem:
    """The signer's certificate is not one the company registered (another company's, or none at all)."""
    which = f" ({fingerprint})" if fingerprint else ""
    return refused("certificate_unknown", f"the signing certificate{which} is not registered for {eori}: register it "
                   f"first (POST /api/v1/signatures/{eori}/certificates)", f"det signerende certifikat{which} er ikke "
                   f"registreret for {eori}: registrér det først")


def mismatch(detail: str, detail_da: str) -> Problem:
    """The signature does not match the content: the file was changed after signing, or signed with another key."""
    return refused("mismatch", f"the signature does not match the content ({detail}): the file was changed after it "
                   f"was signed, or signed with another key", f"signaturen passer ikke til indholdet ({detail_da}): "
                   f"filen er ændret efter signeringen eller signeret med en anden nøgle")


def malformed(detail: str, detail_da: str | None = None) -> Problem:
    """The signature cannot be read as the format says (a library's own words are given as they are)."""
    return refused("malformed", f"the signature cannot be read: {detail}",
                   f"signaturen kan ikke læses: {detail_da or detail}")

