"""XAdES seals of Europass XML credentials: schema validity, verification, and attacks refused."""

from __future__ import annotations

import base64
import copy
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from lxml import etree

from rncp_ld.credentials import xades
from rncp_ld.credentials.xades import DS, SNB, XADES, SignatureError
from rncp_ld.errors import ConfigError
from rncp_ld.model import BlockResult, Candidate, Decision
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.writers.europass_xml import credential_xml, to_bytes

from conftest import SEED, SHARED, collect

SCHEMA = SHARED / "elm-v2" / "Credentials" / "XSD" / "flatten" / "genericschema.xsd"
EXAMPLES = SHARED / "elm-v2" / "Credentials" / "XML Examples"
DIPLOMA_SUPPLEMENT = SHARED / "elm" / "Credentials" / "XML Examples (ELM v2)" / "EDC_DiplomaSupplement_AA.xml"
UTC = timezone.utc
SIGNED = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Issuer:
    legal_name: str = "Centre ressource AROBASE"
    siret: str | None = "55210055400013"
    country: str = "FR"
    homepage: str | None = "http://www.arobase-formations.fr"
    eidas_identifier: str | None = "NTRFR-552100554"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), etree.XMLParser(no_network=True, resolve_entities=False)))


@pytest.fixture(scope="module")
def credential() -> etree._Element:
    """The unsealed credential of block 1 of the seed fiche."""
    fiches, _ = collect(read(SEED))
    cert = fiches["RNCP16575"]
    candidate = Candidate("2024-0042", "Camille", "Martin", date(1990, 5, 17), "camille.martin@example.org")
    row = BlockResult(candidate, cert.number, "RNCP16575BC01", Decision.ACQUIRED, date(2024, 6, 28), "VAE")
    return credential_xml(
        credential_id="urn:uuid:1b4e28ba-2fa1-5d3b-a3f5-ab8c9f2b7d11",
        certification=cert,
        block=cert.blocks[0],
        result=row,
        issuer=Issuer(),
        issued=SIGNED,
        minter=Minter(),
    )


@pytest.fixture(scope="module")
def sealed(signer, credential) -> bytes:
    return xades.seal_xml(credential, signer.private_key, signer.certificate, signing_time=SIGNED)


def _tree(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data))


def _bytes(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _ds(tree: etree._ElementTree, path: str) -> etree._Element:
    found = tree.getroot().find(f".//{{{DS}}}Signature" + path, {"ds": DS, "xades": XADES})
    assert found is not None, path
    return found


def _sign(key, data: bytes) -> bytes:
    """An independent XML-DSig signer: rsa-sha256, or ecdsa-sha256 as raw r||s."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _resign(tree: etree._ElementTree, key) -> bytes:
    """``tree`` with its SignedInfo signed again by ``key``: the signature value itself is then valid."""
    info = _ds(tree, "/ds:SignedInfo")
    value = _sign(key, etree.tostring(info, method="c14n", exclusive=True, with_comments=False))
    _ds(tree, "/ds:SignatureValue").text = base64.b64encode(value).decode()
    return _bytes(tree)


# Round trips


def test_sealed_credential_is_schema_valid_and_verifies(signer, credential, sealed, schema):
    schema.assertValid(etree.fromstring(sealed))
    verified = xades.verify_xml(sealed, trusted=[signer.certificate], at=LATER)
    algorithm = "ecdsa-sha256" if signer.alg == "ES256" else "rsa-sha256"
    assert verified.algorithm == "http://www.w3.org/2001/04/xmldsig-more#" + algorithm
    assert verified.certificate == signer.certificate and verified.chain == ()
    assert verified.signing_time == SIGNED and verified.trusted and verified.unverified == ()
    assert verified.root.tag == f"{{{SNB}}}europassCredential"
    assert not xades.verify_xml(sealed).trusted


def test_sealing_leaves_the_credential_alone(signer, credential):
    before = to_bytes(credential)
    first = xades.seal_xml(credential, signer.private_key, signer.certificate, signing_time=SIGNED)
    assert to_bytes(credential) == before
    assert xades.seal_xml(before, signer.private_key, signer.certificate, signing_time=SIGNED).startswith(
        b"<?xml version='1.0' encoding='UTF-8'?>\n<europassCredential"
    )
    if signer.alg == "RS256":  # PKCS#1 v1.5 is deterministic, and so are the ids
        assert xades.seal_xml(before, signer.private_key, signer.certificate, signing_time=SIGNED) == first


def test_signature_is_enveloped_xades_baseline_b(signer, sealed):
    tree = _tree(sealed)
    signature = _ds(tree, "")
    assert (
        signature.getparent().tag == f"{{{SNB}}}proof" and signature.getparent().getparent() is tree.getroot()
    )
    document, props = _ds(tree, "/ds:SignedInfo").findall(f"{{{DS}}}Reference")
    assert document.get("URI") == "" and [
        t.get("Algorithm") for t in document.iter(f"{{{DS}}}Transform")
    ] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    assert props.get("Type") == "http://uri.etsi.org/01903#SignedProperties"
    assert props.get("URI") == "#" + _ds(tree, "//xades:SignedProperties").get("Id")
    assert _ds(tree, "//xades:QualifyingProperties").get("Target") == "#" + signature.get("Id")
    assert _ds(tree, "//xades:SigningTime").text == "2024-07-01T09:30:00Z"
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    assert (
        _ds(tree, "//xades:CertDigest/ds:DigestValue").text
        == base64.b64encode(hashlib.sha256(der).digest()).decode()
    )
    assert signer.certificate.issuer.public_bytes() in base64.b64decode(
        _ds(tree, "//xades:IssuerSerialV2").text
    )
    assert _ds(tree, "//ds:X509Certificate").text == base64.b64encode(der).decode()
    assert _ds(tree, "//xades:DataObjectFormat").get("ObjectReference") == "#" + document.get("Id")


def test_signature_value_checks_out_independently(signer, sealed):
    """SignedInfo, canonicalized with exclusive C14N, verifies with the certificate's key alone."""
    tree = _tree(sealed)
    data = etree.tostring(_ds(tree, "/ds:SignedInfo"), method="c14n", exclusive=True, with_comments=False)
    value = base64.b64decode(_ds(tree, "/ds:SignatureValue").text)
    public = signer.certificate.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        assert len(value) == 64  # raw r||s (XML-DSig 1.1), not DER
        der = encode_dss_signature(int.from_bytes(value[:32], "big"), int.from_bytes(value[32:], "big"))
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))
    else:
        public.verify(value, data, padding.PKCS1v15(), hashes.SHA256())


def test_seal_xml_refusals(signer, other, credential, sealed):
    with pytest.raises(ValueError, match=r"already signed|empty proof"):
        xades.seal_xml(sealed, signer.private_key, signer.certificate, signing_time=SIGNED)
    without_proof = copy.deepcopy(credential)
    without_proof.remove(without_proof.find(f"{{{SNB}}}proof"))
    with pytest.raises(ValueError, match="exactly one empty proof"):
        xades.seal_xml(without_proof, signer.private_key, signer.certificate, signing_time=SIGNED)
    with pytest.raises(ValueError, match="not a Europass credential"):
        xades.seal_xml(b"<credential/>", signer.private_key, signer.certificate, signing_time=SIGNED)
    with pytest.raises(ConfigError, match="not the certificate's"):
        xades.seal_xml(credential, other.private_key, signer.certificate, signing_time=SIGNED)
    with pytest.raises(ValueError, match="time zone"):
        xades.seal_xml(credential, signer.private_key, signer.certificate, signing_time=datetime(2024, 7, 1))


# The official samples


def test_official_basic_sample_verifies():
    verified = xades.verify_xml((EXAMPLES / "edci_credential_basic.xml").read_bytes())
    assert verified.algorithm == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert verified.signing_time == datetime(2020, 10, 6, 10, 30, 34, tzinfo=UTC)
    assert verified.unverified == (
        "AllDataObjectsTimeStamp",
        "SignatureTimeStamp",
        "CertificateValues",
        "RevocationValues",
    )


def test_official_diploma_supplement_verifies_with_its_xpath_filter_2():
    verified = xades.verify_xml(DIPLOMA_SUPPLEMENT.read_bytes())
    assert verified.root.tag == "{http://data.europa.eu/snb/vp}verifiablePresentation"
    assert verified.signing_time == datetime(2022, 8, 9, 13, 53, 56, tzinfo=UTC)


def test_official_complex_sample_was_changed_after_sealing():
    """Its xsi:schemaLocation was added after the seal: the digest catches it."""
    data = (EXAMPLES / "edci_credential_complex.xml").read_bytes()
    with pytest.raises(SignatureError, match="changed after sealing"):
        xades.verify_xml(data)
    location = b' xsi:schemaLocation="http://data.europa.eu/snb https://data.europa.eu/snb/resource/distribution/v1/xsd/schema/genericschema.xsd"'
    assert location in data
    assert xades.verify_xml(data.replace(location, b"")).signing_time == datetime(
        2020, 10, 6, 11, 4, 43, tzinfo=UTC
    )


# Tampering


def _signed_texts(tree: etree._ElementTree) -> list[etree._Element]:
    """Elements outside the signature that hold text."""
    signature = f"{{{DS}}}Signature"
    return [
        e
        for e in tree.getroot().iter()
        if isinstance(e.tag, str)
        and (e.text or "").strip()
        and e.tag != signature
        and not any(a.tag == signature for a in e.iterancestors())
    ]


def test_one_byte_of_any_text_node_changed_fails(sealed):
    tree = _tree(sealed)
    count = len(_signed_texts(tree))
    assert count > 50
    for index in range(count):
        forged = copy.deepcopy(tree)
        element = _signed_texts(forged)[index]
        text = element.text
        at = len(text) - len(text.lstrip())
        element.text = text[:at] + ("x" if text[at] != "x" else "y") + text[at + 1 :]
        with pytest.raises(SignatureError, match="changed after sealing"):
            xades.verify_xml(_bytes(forged))


@pytest.mark.parametrize(
    "old, new",
    [
        (b"<familyName>\n      <text", b"<familyName>\n       <text"),  # whitespace is signed too
        (b'lang="fr">Martin<', b'lang="fr">Martine<'),
        (b'RNCP16575/BC01"/>', b'RNCP16575/BC02"/>'),
        (b"<grade>Acquis</grade>", b"<grade>Non acquis</grade>"),
        (b"<dateOfBirth>1990-05-17<", b"<dateOfBirth>1990-05-18<"),
    ],
)
def test_signed_content_changes_fail(sealed, old, new):
    assert old in sealed
    with pytest.raises(SignatureError, match="changed after sealing"):
        xades.verify_xml(sealed.replace(old, new, 1))


def test_signature_parts_changed_fail(sealed):
    for path, message in (
        ("//xades:SigningTime", "SignedProperties do not match"),
        ("//xades:MimeType", "SignedProperties do not match"),
        ("/ds:SignatureValue", "signature does not match|not base64|bytes"),
        ("/ds:SignedInfo/ds:Reference/ds:DigestValue", "changed after sealing|not base64"),
    ):
        tree = _tree(sealed)
        element = _ds(tree, path)
        element.text = ("B" if element.text[0] != "B" else "C") + element.text[1:]
        with pytest.raises(SignatureError, match=message):
            xades.verify_xml(_bytes(tree))


def test_moved_or_doubled_signature_fails(sealed):
    for destination in ("root", "credentialSubject", "achievement"):
        tree = _tree(sealed)
        signature = _ds(tree, "")
        root = tree.getroot()
        target = {
            "root": root,
            "credentialSubject": root.find(f"{{{SNB}}}credentialSubject"),
            "achievement": root.find(f".//{{{SNB}}}learningAchievement"),
        }[destination]
        target.append(signature)
        with pytest.raises(SignatureError, match="not in the proof of the root"):
            xades.verify_xml(_bytes(tree))
    tree = _tree(sealed)
    tree.getroot().find(f"{{{SNB}}}credentialSubject").append(copy.deepcopy(_ds(tree, "")))
    with pytest.raises(SignatureError, match="exactly one ds:Signature, this one has 2"):
        xades.verify_xml(_bytes(tree))
    tree = _tree(sealed)
    _ds(tree, "").getparent().remove(_ds(tree, ""))
    with pytest.raises(SignatureError, match="exactly one ds:Signature, this one has 0"):
        xades.verify_xml(_bytes(tree))


def _wrapped(sealed: bytes) -> tuple[etree._ElementTree, etree._Element]:
    """The classic wrapping attack: a forged credential at the root, holding the signature in
    its proof, the signed credential moved under a wrapper element inside it."""
    signed = etree.fromstring(sealed)
    forged = copy.deepcopy(signed)
    forged.find(f".//{{{SNB}}}familyName/{{{SNB}}}text").text = "Usurpateur"
    proof = forged.find(f"{{{SNB}}}proof")
    proof.remove(proof[0])
    original_proof = signed.find(f"{{{SNB}}}proof")
    signature = original_proof[0]
    original_proof.remove(signature)
    proof.append(signature)
    wrapper = etree.SubElement(
        forged.find(f"{{{SNB}}}credentialSubject"), "wrapper", {"Id": "signed-credential"}
    )
    wrapper.append(signed)
    return etree.ElementTree(forged), signature


def test_wrapping_attack_fails(sealed):
    tree, _ = _wrapped(sealed)
    with pytest.raises(SignatureError, match="changed after sealing"):
        xades.verify_xml(_bytes(tree))


def test_reference_to_wrapped_content_by_id_refused(signer, sealed):
    """Pointing the reference at the wrapped credential is refused even when SignedInfo is re-signed."""
    tree, signature = _wrapped(sealed)
    signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference").set("URI", "#signed-credential")
    with pytest.raises(SignatureError, match='exactly the whole document \\(URI=""\\)'):
        xades.verify_xml(_resign(tree, signer.private_key))


def _edit(sealed: bytes, path: str, change) -> etree._ElementTree:
    tree = _tree(sealed)
    change(_ds(tree, path))
    return tree


@pytest.mark.parametrize(
    "path, change, message",
    [
        (
            "/ds:SignedInfo/ds:SignatureMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/2000/09/xmldsig#hmac-sha1"),
            "signature method",
        ),
        (
            "/ds:SignedInfo/ds:SignatureMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"),
            "signature method",
        ),
        (
            "/ds:SignedInfo/ds:SignatureMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
            "signature method",
        ),
        (
            "/ds:SignedInfo/ds:SignatureMethod",
            lambda e: etree.SubElement(e, f"{{{DS}}}HMACOutputLength").__setattr__("text", "8"),
            "parameters",
        ),
        (
            "/ds:SignedInfo/ds:CanonicalizationMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
            "canonicalization",
        ),
        (
            "/ds:SignedInfo/ds:CanonicalizationMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"),
            "canonicalization",
        ),
        (
            "/ds:SignedInfo/ds:Reference/ds:DigestMethod",
            lambda e: e.set("Algorithm", "http://www.w3.org/2000/09/xmldsig#sha1"),
            "digest algorithm",
        ),
        (
            "/ds:SignedInfo/ds:Reference/ds:Transforms",
            lambda e: e.insert(
                1,
                etree.Element(f"{{{DS}}}Transform", Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"),
            ),
            "nothing else",
        ),
        ("/ds:SignedInfo/ds:Reference/ds:Transforms", lambda e: e.remove(e[0]), "nothing else"),
        (
            "/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform",
            lambda e: e.set("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116"),
            "nothing else",
        ),
        (
            "/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform",
            lambda e: etree.SubElement(e, f"{{{DS}}}XPath").__setattr__("text", "1"),
            "nothing else",
        ),
        ("/ds:SignedInfo", lambda e: e.append(copy.deepcopy(e[2])), "exactly the whole document"),
        (
            "/ds:SignedInfo",
            lambda e: e[3].set("Type", "http://www.w3.org/2000/09/xmldsig#Object"),
            "exactly the whole document",
        ),
        (
            "/ds:SignedInfo",
            lambda e: e[3].set("URI", "#" + e.getparent().get("Id")),
            "does not point to the qualifying",
        ),
        ("/ds:SignedInfo", lambda e: e.remove(e[3]), "exactly the whole document"),
        (
            "/ds:SignedInfo/ds:Reference",
            lambda e: etree.SubElement(e, f"{{{DS}}}Object"),
            "unexpected Object in a Reference",
        ),
        (
            "/ds:KeyInfo",
            lambda e: e.addprevious(copy.deepcopy(e.getprevious().getprevious())),
            "must hold SignedInfo",
        ),
        (
            "/ds:KeyInfo",
            lambda e: etree.SubElement(e, f"{{{DS}}}RetrievalMethod", URI="http://attacker.example/"),
            "unexpected RetrievalMethod",
        ),
        (
            "/ds:KeyInfo/ds:X509Data",
            lambda e: etree.SubElement(e, f"{{{DS}}}X509SubjectName").__setattr__("text", "CN=x"),
            "unexpected X509SubjectName",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("/") else None,
)
def test_refused_signature_structures_even_when_re_signed(signer, sealed, path, change, message):
    with pytest.raises(SignatureError, match=message):
        xades.verify_xml(_resign(_edit(sealed, path, change), signer.private_key))


def test_signed_properties_id_must_be_unique(sealed):
    """A decoy with the SignedProperties' Id, in the unsigned properties, is refused."""
    tree = _tree(sealed)
    target = _ds(tree, "//xades:SignedProperties").get("Id")
    unsigned = etree.SubElement(_ds(tree, "//xades:QualifyingProperties"), f"{{{XADES}}}UnsignedProperties")
    decoy = etree.SubElement(unsigned, f"{{{XADES}}}UnsignedSignatureProperties", Id=target)
    with pytest.raises(SignatureError, match="not unique"):
        xades.verify_xml(_bytes(tree))
    del decoy.attrib["Id"]
    assert xades.verify_xml(_bytes(tree)).unverified == ()


def test_signature_by_another_key_fails(signer, other, sealed):
    with pytest.raises(SignatureError, match=r"signature does not match|needs an RSA key"):
        xades.verify_xml(_resign(_tree(sealed), other.private_key))
    # the other key's certificate in KeyInfo: SigningCertificateV2 still names the signer's
    tree = _tree(sealed)
    _ds(tree, "//ds:X509Certificate").text = base64.b64encode(
        other.certificate.public_bytes(serialization.Encoding.DER)
    ).decode()
    with pytest.raises(SignatureError, match="SigningCertificateV2 does not name"):
        xades.verify_xml(_resign(tree, other.private_key))


def test_untrusted_or_expired_certificate_refused(signer, other, sealed):
    with pytest.raises(SignatureError, match="not issued by a trusted authority"):
        xades.verify_xml(sealed, trusted=[other.certificate], at=LATER)
    with pytest.raises(SignatureError, match="is not valid at 2030-01-01"):
        xades.verify_xml(sealed, trusted=[signer.certificate], at=datetime(2030, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE europassCredential [<!ENTITY name "Martin">]>',
        b'<!DOCTYPE europassCredential SYSTEM "http://attacker.example/x.dtd">',
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    ],
)
def test_doctype_and_entities_refused(sealed, prolog):
    declaration, body = sealed.split(b"\n", 1)
    with pytest.raises(SignatureError, match="DOCTYPE refused"):
        xades.verify_xml(declaration + b"\n" + prolog + b"\n" + body)


def test_not_xml_or_not_a_credential_refused():
    with pytest.raises(SignatureError, match="not well-formed"):
        xades.verify_xml(b"<europassCredential")
    with pytest.raises(SignatureError, match="not a Europass credential"):
        xades.verify_xml(b"<credential><proof/></credential>")
