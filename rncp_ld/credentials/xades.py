"""Enveloped XAdES baseline-B seals of Europass XML credentials, and their strict verification.

The ``ds:Signature`` goes in the credential's ``proof`` element, which the Europass schema
(genericschema.xsd 0.10.0) requires, as in the official ELM v2 samples::

    <ds:Signature Id="id-…">
      <ds:SignedInfo>
        <ds:CanonicalizationMethod Algorithm="…/xml-exc-c14n#"/>
        <ds:SignatureMethod Algorithm="…xmldsig-more#rsa-sha256 | ecdsa-sha256"/>
        <ds:Reference Id="r-id-…-1" URI="">                 the whole document
          enveloped-signature, exc-c14n; SHA-256
        <ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#xades-id-…">
          exc-c14n; SHA-256
      <ds:SignatureValue/>                                  ECDSA: raw r||s
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate/>
      <ds:Object><xades:QualifyingProperties Target="#id-…">
        <xades:SignedProperties Id="xades-id-…">
          SigningTime, SigningCertificateV2 (SHA-256 digest, IssuerSerialV2),
          DataObjectFormat (text/xml) of the document reference

The official samples are XAdES-B-LTA (time-stamps, certificate and revocation values);
:func:`verify_xml` checks their signature layer and reports the rest as not validated.
It also accepts the samples' document transforms, which remove the same single signature
as ``enveloped-signature``: XPath ``not(ancestor-or-self::ds:Signature)`` and XPath
Filter 2.0 subtract ``/descendant::ds:Signature``.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from lxml import etree

from ..errors import ConfigError
from ._pki import (
    XMLDSIG,
    SignatureError,
    check_certificate,
    der,
    der_issuer_serial,
    load_der_certificate,
    seal_algorithm,
    std_b64decode,
    std_b64encode,
    utc,
    utc_text,
)

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["DS", "SNB", "XADES", "SignatureError", "VerifiedXml", "parse", "seal_xml", "verify_xml"]

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
SNB = "http://data.europa.eu/snb"
VP = "http://data.europa.eu/snb/vp"
_FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2"

EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
SIGNED_PROPERTIES = "http://uri.etsi.org/01903#SignedProperties"
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
"""Digest algorithms accepted; SHA-1 and others are refused."""
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

_ROOTS = {
    f"{{{SNB}}}europassCredential": f"{{{SNB}}}proof",
    f"{{{VP}}}verifiablePresentation": f"{{{VP}}}proof",
}
"""Sealed roots and where their signature sits: a Europass credential or presentation."""
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


@dataclass(frozen=True, slots=True)
class VerifiedXml:
    """A sealed XML document that verified."""

    document: etree._ElementTree
    """The parsed document that was checked; read the credential from it, never re-parse."""
    certificate: x509.Certificate
    """The signing certificate, whose key checked the signature."""
    chain: tuple[x509.Certificate, ...]
    """The other certificates of ``KeyInfo``."""
    algorithm: str
    """The ``SignatureMethod`` URI."""
    signing_time: datetime
    """``SigningTime`` (UTC): claimed by the signer, not time-stamped."""
    trusted: bool
    """True when the certificate chains to one of the ``trusted`` certificates."""
    unverified: tuple[str, ...]
    """Qualifying properties present but not validated (time-stamps, certificate and
    revocation values of an LT/LTA seal, other signed properties)."""

    @property
    def root(self) -> etree._Element:
        return self.document.getroot()


# Parsing


def parse(data: bytes) -> etree._ElementTree:
    """Parse XML without DTD, entities or network; a DOCTYPE is refused.

    Raises:
        SignatureError: not well-formed, or a DOCTYPE/ENTITY declaration.
    """
    if not isinstance(data, bytes):
        raise TypeError("XML to verify is given as bytes")
    if _DOCTYPE.search(data):
        raise SignatureError("DOCTYPE refused: a sealed credential declares no DTD or entities")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as error:
        raise SignatureError(f"not well-formed XML ({error})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SignatureError("DOCTYPE refused: a sealed credential declares no DTD or entities")
    return tree


def _c14n(node: etree._Element | etree._ElementTree) -> bytes:
    """Exclusive XML canonicalization 1.0 without comments."""
    return etree.tostring(node, method="c14n", exclusive=True, with_comments=False)


def _digest(uri: str, data: bytes) -> bytes:
    return hashlib.new(DIGESTS[uri], data).digest()


def _without_signature(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy of ``tree`` without its one ``ds:Signature``; the text after it stays."""
    clone = copy.deepcopy(tree)
    (node,) = clone.getroot().iter(_q(DS, "Signature"))
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
    return clone


# Seal


def _tree(doc: bytes | etree._Element | etree._ElementTree) -> etree._ElementTree:
    if isinstance(doc, bytes):
        try:
            return parse(doc)
        except SignatureError as error:
            raise ValueError(str(error)) from None
    if isinstance(doc, etree._ElementTree):
        return copy.deepcopy(doc)
    if isinstance(doc, etree._Element):
        return etree.ElementTree(copy.deepcopy(doc))
    raise TypeError(f"cannot seal a {type(doc).__name__}")


def seal_xml(
    doc: bytes | etree._Element | etree._ElementTree,
    key: object,
    cert: x509.Certificate,
    *,
    signing_time: datetime,
) -> bytes:
    """The credential ``doc`` with an enveloped XAdES baseline-B signature in its ``proof``.

    ``doc`` is not modified. Its root must be a ``europassCredential`` with an empty
    ``proof``. The result is UTF-8 with an XML declaration; it is verified before it is
    returned.

    Raises:
        ConfigError: the key is of an unsupported kind or is not the certificate's, or the
            certificate is not valid at ``signing_time``.
        ValueError: ``doc`` is not an unsealed Europass credential, or ``signing_time``
            has no time zone.
    """
    _, algorithm = seal_algorithm(key, cert)
    moment = utc(signing_time)
    if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
        raise ConfigError(
            f"the certificate is not valid at the signing time {utc_text(moment)}",
            expected=f"a time from {utc_text(cert.not_valid_before_utc)} to {utc_text(cert.not_valid_after_utc)}",
        )
    tree = _tree(doc)
    root = tree.getroot()
    if root.tag != _q(SNB, "europassCredential"):
        raise ValueError(f"the root is {root.tag}, not a Europass credential")
    proofs = root.findall(_q(SNB, "proof"))
    if len(proofs) != 1 or len(proofs[0]) or (proofs[0].text or "").strip():
        raise ValueError("the credential needs exactly one empty proof element")
    if next(root.iter(_q(DS, "Signature")), None) is not None:
        raise ValueError("the credential is already signed")
    proof = proofs[0]
    proof.text = None

    certificate = der(cert)
    content = _c14n(tree)
    ident = hashlib.sha256(content + utc_text(moment).encode() + certificate).hexdigest()[:32]
    sig_id, ref_id, props_id = f"id-{ident}", f"r-id-{ident}-1", f"xades-id-{ident}"

    def ds(parent: etree._Element, name: str, **attrib: str) -> etree._Element:
        return etree.SubElement(parent, _q(DS, name), attrib)

    def xa(parent: etree._Element, name: str, **attrib: str) -> etree._Element:
        return etree.SubElement(parent, _q(XADES, name), attrib)

    signature = etree.SubElement(proof, _q(DS, "Signature"), {"Id": sig_id}, nsmap={"ds": DS})
    info = ds(signature, "SignedInfo")
    ds(info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    ds(info, "SignatureMethod", Algorithm=algorithm.xmldsig or "")
    document_ref = ds(info, "Reference", Id=ref_id, URI="")
    transforms = ds(document_ref, "Transforms")
    ds(transforms, "Transform", Algorithm=ENVELOPED)
    ds(transforms, "Transform", Algorithm=EXC_C14N)
    ds(document_ref, "DigestMethod", Algorithm=SHA256)
    ds(document_ref, "DigestValue").text = std_b64encode(_digest(SHA256, content))
    props_ref = ds(info, "Reference", Type=SIGNED_PROPERTIES, URI="#" + props_id)
    ds(ds(props_ref, "Transforms"), "Transform", Algorithm=EXC_C14N)
    ds(props_ref, "DigestMethod", Algorithm=SHA256)
    props_digest = ds(props_ref, "DigestValue")
    value = ds(signature, "SignatureValue", Id=f"value-{sig_id}")
    ds(ds(ds(signature, "KeyInfo"), "X509Data"), "X509Certificate").text = std_b64encode(certificate)

    qualifying = etree.SubElement(
        ds(signature, "Object"),
        _q(XADES, "QualifyingProperties"),
        {"Target": "#" + sig_id},
        nsmap={"xades": XADES},
    )
    props = xa(qualifying, "SignedProperties", Id=props_id)
    signed_signature = xa(props, "SignedSignatureProperties")
    xa(signed_signature, "SigningTime").text = utc_text(moment)
    cert_id = xa(xa(signed_signature, "SigningCertificateV2"), "Cert")
    cert_digest = xa(cert_id, "CertDigest")
    ds(cert_digest, "DigestMethod", Algorithm=SHA256)
    ds(cert_digest, "DigestValue").text = std_b64encode(_digest(SHA256, certificate))
    xa(cert_id, "IssuerSerialV2").text = std_b64encode(der_issuer_serial(cert))
    data_format = xa(
        xa(props, "SignedDataObjectProperties"), "DataObjectFormat", ObjectReference="#" + ref_id
    )
    xa(data_format, "MimeType").text = "text/xml"

    props_digest.text = std_b64encode(_digest(SHA256, _c14n(props)))
    value.text = std_b64encode(algorithm.sign(key, _c14n(info)))
    sealed = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    verify_xml(sealed)
    return sealed


# Verify


def _children(element: etree._Element, allowed: Iterable[str], what: str) -> list[etree._Element]:
    """The element children of ``element``; any other child, comment or PI aside, is refused."""
    names = set(allowed)
    children = [c for c in element if isinstance(c.tag, str)]
    for child in children:
        if child.tag not in names:
            raise SignatureError(f"unexpected {etree.QName(child).localname} in {what}")
    return children


def _one(element: etree._Element, tag: str, what: str) -> etree._Element:
    found = [c for c in element if c.tag == tag]
    if len(found) != 1:
        raise SignatureError(f"{what} needs exactly one {etree.QName(tag).localname}")
    return found[0]


def _attributes(element: etree._Element, allowed: set[str], what: str) -> None:
    extra = set(element.attrib) - allowed
    if extra:
        raise SignatureError(f"unexpected attributes {sorted(extra)} on {what}")


def _algorithm_only(element: etree._Element, what: str) -> str:
    """The Algorithm of an element that must have nothing else (no parameters)."""
    _attributes(element, {"Algorithm"}, what)
    if len(element) or (element.text or "").strip():
        raise SignatureError(f"{what} has parameters, which are not supported")
    return element.get("Algorithm", "")


def _digest_of(reference: etree._Element, what: str) -> tuple[str, bytes]:
    method = _algorithm_only(_one(reference, _q(DS, "DigestMethod"), what), f"the DigestMethod of {what}")
    if method not in DIGESTS:
        raise SignatureError(
            f"digest algorithm {method!r} of {what} refused (expected SHA-256, -384 or -512)"
        )
    value = std_b64decode(
        _one(reference, _q(DS, "DigestValue"), what).text or "", f"the digest of {what}", whitespace=True
    )
    return method, value


def _transforms(reference: etree._Element, what: str) -> list[etree._Element]:
    found = [c for c in reference if c.tag == _q(DS, "Transforms")]
    if len(found) != 1:
        raise SignatureError(f"{what} needs its Transforms")
    return _children(found[0], {_q(DS, "Transform")}, f"the Transforms of {what}")


def _removes_the_signature(transform: etree._Element) -> bool:
    """Whether ``transform`` is one of the accepted ways to leave the signature out."""
    algorithm = transform.get("Algorithm")
    _attributes(transform, {"Algorithm"}, "a Transform")
    children = [c for c in transform if isinstance(c.tag, str)]
    if algorithm == ENVELOPED:
        return not children and not (transform.text or "").strip()
    if algorithm == XPATH and len(children) == 1 and children[0].tag == _q(DS, "XPath"):
        xpath = children[0]
        return (
            not len(xpath)
            and (xpath.text or "").strip() == "not(ancestor-or-self::ds:Signature)"
            and xpath.nsmap.get("ds") == DS
        )
    if algorithm == _FILTER2 and len(children) == 1 and children[0].tag == _q(_FILTER2, "XPath"):
        xpath = children[0]
        return (
            not len(xpath)
            and dict(xpath.attrib) == {"Filter": "subtract"}
            and (xpath.text or "").strip() == "/descendant::ds:Signature"
            and xpath.nsmap.get("ds") == DS
        )
    return False


def _signature_of(tree: etree._ElementTree) -> etree._Element:
    root = tree.getroot()
    proof_tag = _ROOTS.get(root.tag)
    if proof_tag is None:
        raise SignatureError(f"root {root.tag} is not a Europass credential or presentation")
    signatures = list(root.iter(_q(DS, "Signature")))
    if len(signatures) != 1:
        raise SignatureError(
            f"a sealed credential has exactly one ds:Signature, this one has {len(signatures)}"
        )
    signature = signatures[0]
    proof = signature.getparent()
    if proof is None or proof.tag != proof_tag or proof.getparent() is not root:
        raise SignatureError("the signature is not in the proof of the root element")
    return signature


def _ids(root: etree._Element, value: str) -> int:
    """How many attributes named Id, ID or id (any namespace) hold ``value``."""
    return sum(
        1
        for element in root.iter()
        if isinstance(element.tag, str)
        for name, v in element.attrib.items()
        if v == value and etree.QName(name).localname in ("Id", "ID", "id")
    )


def _signed_properties(
    signature: etree._Element, target: str, sig_id: str
) -> tuple[etree._Element, etree._Element | None]:
    """(SignedProperties, UnsignedProperties) of the signature's one QualifyingProperties."""
    objects = [c for c in signature if c.tag == _q(DS, "Object")]
    if len(objects) != 1:
        raise SignatureError("the signature needs exactly one ds:Object, holding the qualifying properties")
    _attributes(objects[0], {"Id"}, "ds:Object")
    qualifying = _children(objects[0], {_q(XADES, "QualifyingProperties")}, "ds:Object")
    if len(qualifying) != 1:
        raise SignatureError("ds:Object needs exactly one xades:QualifyingProperties")
    _attributes(qualifying[0], {"Target", "Id"}, "QualifyingProperties")
    if qualifying[0].get("Target") != "#" + sig_id:
        raise SignatureError("the qualifying properties do not target this signature")
    parts = _children(
        qualifying[0],
        {_q(XADES, "SignedProperties"), _q(XADES, "UnsignedProperties")},
        "QualifyingProperties",
    )
    signed = [p for p in parts if p.tag == _q(XADES, "SignedProperties")]
    unsigned = [p for p in parts if p.tag == _q(XADES, "UnsignedProperties")]
    if len(signed) != 1 or len(unsigned) > 1:
        raise SignatureError(
            "QualifyingProperties needs one SignedProperties (and at most one UnsignedProperties)"
        )
    if signed[0].get("Id") != target:
        raise SignatureError("the SignedProperties reference does not point to the qualifying properties")
    return signed[0], unsigned[0] if unsigned else None


def _signing_time(text: str | None) -> datetime:
    value = (text or "").strip()
    if not _DATETIME.fullmatch(value):
        raise SignatureError("SigningTime is not a date and time with a time zone")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        raise SignatureError(f"SigningTime {value!r} is not a date and time") from None


def _key_info(signature: etree._Element) -> list[x509.Certificate]:
    key_info = _one(signature, _q(DS, "KeyInfo"), "the signature")
    _attributes(key_info, {"Id"}, "KeyInfo")
    data = _children(key_info, {_q(DS, "X509Data")}, "KeyInfo")
    if len(data) != 1:
        raise SignatureError("KeyInfo needs exactly one X509Data")
    items = _children(data[0], {_q(DS, "X509Certificate")}, "X509Data")
    if not items:
        raise SignatureError("X509Data has no certificate")
    return [
        load_der_certificate(
            std_b64decode(item.text or "", "X509Certificate", whitespace=True), "X509Certificate"
        )
        for item in items
    ]


def _signed_signature_properties(
    props: etree._Element, certificate: x509.Certificate, document_ref: str | None
) -> tuple[datetime, list[str]]:
    """SigningTime and the names of the signed properties not validated; checks the rest."""
    unverified: list[str] = []
    parts = _children(
        props,
        {_q(XADES, "SignedSignatureProperties"), _q(XADES, "SignedDataObjectProperties")},
        "SignedProperties",
    )
    ssp = [p for p in parts if p.tag == _q(XADES, "SignedSignatureProperties")]
    if len(ssp) != 1:
        raise SignatureError("SignedProperties needs exactly one SignedSignatureProperties")
    times = [c for c in ssp[0] if c.tag == _q(XADES, "SigningTime")]
    if len(times) != 1:
        raise SignatureError("SigningTime is required (XAdES baseline B)")
    signing_time = _signing_time(times[0].text)
    if any(c.tag == _q(XADES, "SigningCertificate") for c in ssp[0]):
        raise SignatureError(
            "SigningCertificate (v1, SHA-1 era) refused: baseline B uses SigningCertificateV2"
        )
    v2 = [c for c in ssp[0] if c.tag == _q(XADES, "SigningCertificateV2")]
    if len(v2) != 1:
        raise SignatureError("SigningCertificateV2 is required (XAdES baseline B)")
    certs = _children(v2[0], {_q(XADES, "Cert")}, "SigningCertificateV2")
    if not certs:
        raise SignatureError("SigningCertificateV2 names no certificate")
    first = certs[0]
    _children(first, {_q(XADES, "CertDigest"), _q(XADES, "IssuerSerialV2")}, "SigningCertificateV2/Cert")
    method, value = _digest_of(_one(first, _q(XADES, "CertDigest"), "Cert"), "the signing certificate")
    if not hmac.compare_digest(value, _digest(method, der(certificate))):
        raise SignatureError("SigningCertificateV2 does not name the KeyInfo certificate (digest differs)")
    serials = [c for c in first if c.tag == _q(XADES, "IssuerSerialV2")]
    if serials and std_b64decode(
        serials[0].text or "", "IssuerSerialV2", whitespace=True
    ) != der_issuer_serial(certificate):
        raise SignatureError("IssuerSerialV2 is not the issuer and serial number of the signing certificate")
    for child in ssp[0]:
        if isinstance(child.tag, str) and child.tag not in (
            _q(XADES, "SigningTime"),
            _q(XADES, "SigningCertificateV2"),
        ):
            unverified.append(etree.QName(child).localname)
    for sdop in (p for p in parts if p.tag == _q(XADES, "SignedDataObjectProperties")):
        for child in sdop:
            if child.tag == _q(XADES, "DataObjectFormat"):
                if child.get("ObjectReference") != "#" + (document_ref or ""):
                    raise SignatureError("DataObjectFormat does not describe the signed document's reference")
            elif isinstance(child.tag, str):
                unverified.append(etree.QName(child).localname)
    return signing_time, unverified


def _references(info: etree._Element) -> tuple[etree._Element, etree._Element]:
    """(the document reference, the SignedProperties reference); any other is refused."""
    references = [c for c in info if c.tag == _q(DS, "Reference")]
    document = [r for r in references if r.get("URI") == "" and r.get("Type") is None]
    props = [
        r
        for r in references
        if r.get("Type") == SIGNED_PROPERTIES
        and (r.get("URI") or "").startswith("#")
        and len(r.get("URI", "")) > 1
    ]
    if len(references) != 2 or len(document) != 1 or len(props) != 1:
        raise SignatureError(
            'the signature must reference exactly the whole document (URI="") and its SignedProperties'
        )
    _attributes(document[0], {"Id", "URI"}, "the document reference")
    _attributes(props[0], {"Id", "URI", "Type"}, "the SignedProperties reference")
    for reference in references:
        _children(
            reference, {_q(DS, "Transforms"), _q(DS, "DigestMethod"), _q(DS, "DigestValue")}, "a Reference"
        )
    return document[0], props[0]


def verify_xml(
    data: bytes,
    *,
    trusted: Iterable[x509.Certificate] | None = None,
    at: datetime | None = None,
) -> VerifiedXml:
    """Verify the enveloped XAdES seal of a Europass XML credential strictly.

    Refused: a DOCTYPE; a root other than a Europass credential (or presentation); zero or
    several ``ds:Signature`` anywhere; a signature outside the root's ``proof``; a
    reference other than the whole document (``URI=""``) and its SignedProperties (so
    content referenced by Id elsewhere, the signature-wrapping trick, fails); any
    transform but the signature's removal then exclusive C14N; SHA-1 or an unknown
    digest or signature method (HMAC included); a digest that differs on the canonical
    form; SignedProperties not targeting this signature or whose Id is not unique; a
    SigningCertificateV2 not naming the KeyInfo certificate; a SigningTime outside its
    validity; a SignatureValue not made by its key.

    Args:
        data: the sealed XML.
        trusted: trust anchors; when given, the certificate must be one of them or chain
            to one through the KeyInfo certificates, every certificate valid at ``at``.
        at: when to check validity against ``trusted`` (default: now).

    Raises:
        SignatureError: naming the first check that fails.
    """
    tree = parse(data)
    signature = _signature_of(tree)
    sig_id = signature.get("Id")
    if not sig_id:
        raise SignatureError("the signature has no Id for its qualifying properties to target")
    _attributes(signature, {"Id"}, "ds:Signature")
    children = _children(
        signature,
        {_q(DS, "SignedInfo"), _q(DS, "SignatureValue"), _q(DS, "KeyInfo"), _q(DS, "Object")},
        "ds:Signature",
    )
    order = [c.tag for c in children]
    if order[:3] != [_q(DS, "SignedInfo"), _q(DS, "SignatureValue"), _q(DS, "KeyInfo")] or set(order[3:]) != {
        _q(DS, "Object")
    }:
        raise SignatureError("ds:Signature must hold SignedInfo, SignatureValue, KeyInfo then Object")
    info = children[0]
    _attributes(info, set(), "SignedInfo")
    _children(
        info,
        {_q(DS, "CanonicalizationMethod"), _q(DS, "SignatureMethod"), _q(DS, "Reference")},
        "SignedInfo",
    )
    c14n = _algorithm_only(
        _one(info, _q(DS, "CanonicalizationMethod"), "SignedInfo"), "CanonicalizationMethod"
    )
    if c14n != EXC_C14N:
        raise SignatureError(f"canonicalization {c14n!r} refused (expected exclusive C14N without comments)")
    method = _algorithm_only(_one(info, _q(DS, "SignatureMethod"), "SignedInfo"), "SignatureMethod")
    algorithm = XMLDSIG.get(method)
    if algorithm is None:
        raise SignatureError(f"signature method {method!r} refused (expected RSA or ECDSA with SHA-2)")

    document_ref, props_ref = _references(info)
    transforms = _transforms(document_ref, "the document reference")
    if (
        len(transforms) != 2
        or not _removes_the_signature(transforms[0])
        or _algorithm_only(transforms[1], "a Transform") != EXC_C14N
    ):
        raise SignatureError(
            "the document reference must remove the signature then apply exclusive C14N, nothing else"
        )
    digest_method, expected = _digest_of(document_ref, "the document")
    if not hmac.compare_digest(_digest(digest_method, _c14n(_without_signature(tree))), expected):
        raise SignatureError("the document does not match its digest: it was changed after sealing")

    target = (props_ref.get("URI") or "")[1:]
    transforms = _transforms(props_ref, "the SignedProperties reference")
    if len(transforms) != 1 or _algorithm_only(transforms[0], "a Transform") != EXC_C14N:
        raise SignatureError("the SignedProperties reference must apply exclusive C14N, nothing else")
    props, unsigned = _signed_properties(signature, target, sig_id)
    if _ids(tree.getroot(), target) != 1:
        raise SignatureError(f"Id {target!r} is not unique in the document")
    digest_method, expected = _digest_of(props_ref, "the SignedProperties")
    if not hmac.compare_digest(_digest(digest_method, _c14n(props)), expected):
        raise SignatureError("the SignedProperties do not match their digest")

    certificates = _key_info(signature)
    leaf, chain = certificates[0], tuple(certificates[1:])
    signing_time, unverified = _signed_signature_properties(props, leaf, document_ref.get("Id"))
    value_element = children[1]
    _attributes(value_element, {"Id"}, "SignatureValue")
    value = std_b64decode(value_element.text or "", "SignatureValue", whitespace=True)
    algorithm.verify(leaf.public_key(), value, _c14n(info))
    is_trusted = check_certificate(leaf, chain, signing_time=signing_time, trusted=trusted, at=at)
    if unsigned is not None:
        for group in unsigned:
            if isinstance(group.tag, str):
                unverified.extend(etree.QName(c).localname for c in group if isinstance(c.tag, str))
    return VerifiedXml(
        document=tree,
        certificate=leaf,
        chain=chain,
        algorithm=method,
        signing_time=signing_time,
        trusted=is_trusted,
        unverified=tuple(unverified),
    )
