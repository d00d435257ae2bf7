"""Enveloped XML signatures (W3C XMLDSig) on XML files, checked with signxml against the company's registered
certificate — never against one the document brings along, which only says which registered one to use.

"See what is signed" (W3C XMLDSig best practices): the signature must be a child of the document's root and
its single Reference must be the whole document (URI "") or the root by its Id, so what is processed is what
was signed. A document wrapped around a signed element ("signature wrapping") is refused.
Pure: no I/O.
"""

from __future__ import annotations

import base64

from cryptography import x509
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature

from toldsystem.core.errors import Problem, problem
from toldsystem.signatures.rules import MAX_PAYLOAD_BYTES, malformed, mismatch, refused

DS = "http://www.w3.org/2000/09/xmldsig#"
_NS = {"ds": DS}
MAX_KEY_INFO_CERTIFICATES = 10


def parser() -> etree.XMLParser:
    """No entities, DTDs or network; libxml2's limits on depth and text sizes kept (huge_tree off)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=False)


def read(payload: bytes) -> etree._Element | Problem:
    """The document's root, or why the bytes are not an XML document this system reads."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return problem("payload.too_large", "payload", f"a signed file is at most {MAX_PAYLOAD_BYTES} bytes",
                       f"en signeret fil fylder højst {MAX_PAYLOAD_BYTES} bytes")
    try:
        root = etree.fromstring(payload, parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        return problem("payload.not_xml", "payload", f"the file is not well-formed XML: {exc.msg[:200]}",
                       f"filen er ikke velformet XML: {exc.msg[:200]}", line=line)
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        return problem("payload.dtd", "payload", "a DOCTYPE (DTD) is not allowed in a submission",
                       "en DOCTYPE (DTD) er ikke tilladt i en indsendelse")
    return root


def signature_of(root: etree._Element) -> etree._Element | Problem | None:
    """The one ds:Signature, a child of the root; None when the document carries none."""
    found = root.xpath("//ds:Signature", namespaces=_NS)
    if not found:
        return None
    if len(found) > 1:
        return not_root("the document carries more than one ds:Signature", "dokumentet har mere end én ds:Signature")
    if found[0].getparent() is not root:
        return not_root("the ds:Signature is not a child of the root element",
                        "ds:Signature er ikke et barn af rodelementet")
    references = found[0].xpath("ds:SignedInfo/ds:Reference", namespaces=_NS)
    if len(references) != 1:
        return not_root(f"the signature has {len(references)} references; exactly one, to the whole document",
                        f"signaturen har {len(references)} referencer; præcis én, til hele dokumentet")
    uri = references[0].get("URI")
    shown = repr(uri)[:100]
    own_id = root.get("Id") or root.get("ID") or root.get("id")
    if uri != "" and not (uri and own_id and uri == f"#{own_id}"):
        return not_root(f"its Reference URI={shown} is not the whole document (\"\") nor the root's Id",
                        f"dens Reference URI={shown} er hverken hele dokumentet (\"\") eller rodens Id")
    return found[0]


def not_root(detail: str, detail_da: str) -> Problem:
    """What is signed must be the document as it is processed: its root element (no signature wrapping)."""
    return refused("not_root", f"the signed element must be the document's root: {detail}",
                   f"det signerede element skal være dokumentets rodelement: {detail_da}")


def certificates_in(signature: etree._Element) -> list[x509.Certificate] | Problem:
    """The certificates the signature's KeyInfo brings (they only say which registered one signed)."""
    texts = signature.xpath("ds:KeyInfo/ds:X509Data/ds:X509Certificate/text()", namespaces=_NS)
    if len(texts) > MAX_KEY_INFO_CERTIFICATES:
        return malformed(f"KeyInfo carries more than {MAX_KEY_INFO_CERTIFICATES} certificates",
                         f"KeyInfo har mere end {MAX_KEY_INFO_CERTIFICATES} certifikater")
    found = []
    for text in texts:
        try:
            found.append(x509.load_der_x509_certificate(_base64(text)))
        except ValueError:
            return malformed("a KeyInfo X509Certificate is not a base64 DER certificate",
                             "et X509Certificate i KeyInfo er ikke et base64-kodet DER-certifikat")
    return found


def _base64(text: str) -> bytes:
    return base64.b64decode("".join(text.split()), validate=True)


def verify(payload: bytes, certificate: x509.Certificate) -> Problem | None:
    """The signature over the document is by this certificate's key and every digest holds (signxml).

    Whether the certificate was valid is the service's rule (at receipt, rules.check_valid_at), so signxml
    is asked at a moment within its validity."""
    config = SignatureConfiguration(location="./", expect_references=1,
                                    verification_time=certificate.not_valid_before_utc)
    try:
        XMLVerifier().verify(payload, x509_cert=certificate, parser=parser(), expect_config=config)
    except InvalidDigest:
        return mismatch("a digest of the signed content differs", "en digest af det signerede indhold afviger")
    except InvalidCertificate as exc:
        return malformed(str(exc)[:200])
    except InvalidSignature as exc:
        return mismatch(str(exc)[:200] or "signature value", "signaturværdien")
    except InvalidInput as exc:
        return malformed(str(exc)[:200])
    except Exception as exc:  # noqa: BLE001 - signxml trips over crafted input in ways of its own (an empty
        # SignatureValue is a TypeError): still a signature that cannot be read, never a server error
        return malformed(f"{type(exc).__name__}: {str(exc)[:200]}")
    return None

