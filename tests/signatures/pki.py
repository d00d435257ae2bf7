"""Real certificates made for the tests with cryptography: a CA of our own standing in for "Den Danske Stat OCES
udstedende-CA", company certificates naming the CVR as OCES3 (organizationIdentifier NTRDK-<CVR>) or OCES2
(serialNumber CVR:<CVR>-RID:…) certificates do, and signing as vendors sign: signxml for XML, a detached CMS
signature (cryptography's PKCS7SignatureBuilder) for other files."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod, XMLSigner, methods

ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
NOW = datetime.now(timezone.utc)


@dataclass(frozen=True)
class Signer:
    key: object
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _key(kind: str):
    return rsa.generate_private_key(65537, 2048) if kind == "rsa" else ec.generate_private_key(ec.SECP256R1())


def make_ca(name: str = "Test OCES udstedende-CA 1") -> Signer:
    key = _key("ec")
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Den Danske Stat (test)"),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=3650))
                   .not_valid_after(NOW + timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .sign(key, hashes.SHA256()))
    return Signer(key, certificate)


def oces3_subject(cvr: str, company: str = "Padborg Spedition A/S", person: str = "Mette Hansen") -> x509.Name:
    """As MitID Erhverv names an employee: C, organizationIdentifier NTRDK-<CVR>, O, serialNumber UI:DK-E:G:…, CN."""
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
                      x509.NameAttribute(ORGANIZATION_IDENTIFIER, f"NTRDK-{cvr}"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"UI:DK-E:G:{uuid.uuid4()}"),
                      x509.NameAttribute(NameOID.COMMON_NAME, person)])


def oces2_subject(cvr: str, company: str = "Padborg Spedition A/S", person: str = "Mette Hansen") -> x509.Name:
    """As NemID's medarbejdersignatur names an employee: CN, serialNumber CVR:<CVR>-RID:<n>, O=<name> // CVR:<CVR>."""
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{company} // CVR:{cvr}"),
                      x509.NameAttribute(NameOID.COMMON_NAME, person),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"CVR:{cvr}-RID:{uuid.uuid4().int % 10**8}")])


def issue(ca: Signer, subject: x509.Name, *, kind: str = "ec", not_before: datetime | None = None,
          not_after: datetime | None = None, ca_flag: bool = False, key=None) -> Signer:
    key = key or _key(kind)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.certificate.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - timedelta(days=30))
               .not_valid_after(not_after or NOW + timedelta(days=3 * 365))
               .add_extension(x509.BasicConstraints(ca=ca_flag, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(True, True, False, False, False, ca_flag, ca_flag, False, False),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return Signer(key, builder.sign(ca.key, hashes.SHA256()))


def sign_xml(document: bytes, signer: Signer) -> bytes:
    """An enveloped XML signature over the whole document, the signer's certificate in KeyInfo (signxml)."""
    method = (SignatureMethod.ECDSA_SHA256 if isinstance(signer.key, ec.EllipticCurvePrivateKey)
              else SignatureMethod.RSA_SHA256)
    signed = XMLSigner(method=methods.enveloped, signature_algorithm=method,
                       digest_algorithm=DigestAlgorithm.SHA256).sign(etree.fromstring(document), key=signer.key,
                                                                     cert=[signer.certificate])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def sign_detached(payload: bytes, signer: Signer, *, pem: bool = False) -> bytes:
    """A detached CMS signature (PKCS#7) over the file's bytes, as `openssl cms -sign -binary` makes it."""
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    return (pkcs7.PKCS7SignatureBuilder().set_data(payload).add_signer(signer.certificate, signer.key, hashes.SHA256())
            .sign(serialization.Encoding.PEM if pem else serialization.Encoding.DER, options))


MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<Arrival xmlns="urn:toldsystem:manifest:test">
  <IMO>9321483</IMO><VesselName>MAERSK ESSEX</VesselName><PlaceOfArrival>DKAAR</PlaceOfArrival>
  <ExpectedArrival>2026-12-02T06:00:00Z</ExpectedArrival><Carrier>DK13585628</Carrier>
</Arrival>"""


def sign_xml_by_id(document: bytes, signer: Signer, element_id: str) -> bytes:
    """An enveloped XML signature whose Reference names the root by its Id (URI="#…") rather than "" (the whole)."""
    signed = XMLSigner(method=methods.enveloped, signature_algorithm=SignatureMethod.ECDSA_SHA256,
                       digest_algorithm=DigestAlgorithm.SHA256).sign(etree.fromstring(document), key=signer.key,
                                                                     cert=[signer.certificate],
                                                                     reference_uri=f"#{element_id}")
    return etree.tostring(signed)
