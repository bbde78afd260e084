"""JAdES seals: round trips, the official signed samples, and every forgery refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from rncp_ld.credentials import jades, keys
from rncp_ld.credentials.jades import SignatureError
from rncp_ld.errors import ConfigError

from conftest import MADE, SHARED

SAMPLES = sorted((SHARED / "elm" / "Credentials" / "JSON-LD Examples (ELM v3)").glob("*-signed.jsonld"))
UTC = timezone.utc
SIGNED = datetime(2024, 6, 30, 12, 0, 0, 999, tzinfo=UTC)
LATER = datetime(2025, 1, 1, tzinfo=UTC)
PAYLOAD = json.dumps(
    {"id": "urn:uuid:00000000-0000-4000-8000-000000000001", "title": {"fr": "Bloc 1 — « Étude »"}},
    ensure_ascii=False,
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key, data: bytes) -> bytes:
    """An independent JWS signer: RS256, or ES256 as raw r||s."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _parts(sealed: str) -> tuple[str, dict, str]:
    envelope = json.loads(sealed)
    signature = envelope["signatures"][0]
    return envelope["payload"], json.loads(_unb64url(signature["protected"])), signature["signature"]


def _forge(header: dict, payload: str, key, *, protected_text: str | None = None) -> str:
    """A seal of ``payload`` under ``header``, validly signed by ``key``."""
    protected = protected_text or _b64url(json.dumps(header).encode())
    signature = _sign(key, protected.encode() + b"." + payload.encode())
    return json.dumps(
        {"payload": payload, "signatures": [{"protected": protected, "signature": _b64url(signature)}]}
    )


# Round trips


def test_seal_verifies_with_the_certificate_key(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    verified = jades.verify(sealed, trusted=[signer.certificate], at=LATER)
    assert verified.payload == PAYLOAD
    assert verified.algorithm == signer.alg
    assert verified.certificate == signer.certificate
    assert verified.signing_time == SIGNED.replace(microsecond=0)
    assert verified.trusted and verified.unverified == ()
    assert not jades.verify(sealed).trusted


def test_seal_is_the_envelope_of_the_official_samples(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    envelope = json.loads(sealed)
    assert list(envelope) == ["payload", "signatures"] and envelope["payload"] == PAYLOAD
    assert list(envelope["signatures"][0]) == ["protected", "signature"]
    _, header, _ = _parts(sealed)
    sample = json.loads(
        _unb64url(json.loads(SAMPLES[0].read_text(encoding="utf-8"))["signatures"][0]["protected"])
    )
    assert list(header) == [name for name in sample if name != "adoTst"]
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    assert header == {
        "alg": signer.alg,
        "cty": "octet-stream",
        "kid": header["kid"],
        "x5t#S256": _b64url(hashlib.sha256(der).digest()),
        "x5c": [base64.b64encode(der).decode()],
        "typ": "jose+json",
        "b64": False,
        "sigT": "2024-06-30T12:00:00Z",
        "crit": ["b64", "sigT"],
    }
    # kid: DER IssuerSerial { GeneralNames [directoryName issuer], serialNumber }, as in the samples
    kid = base64.b64decode(header["kid"], validate=True)
    assert kid.startswith(b"\x30") and signer.certificate.issuer.public_bytes() in kid
    assert kid.endswith(signer.certificate.serial_number.to_bytes(20, "big").lstrip(b"\x00"))


def test_signature_is_an_independent_jws_over_the_unencoded_payload(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    envelope = json.loads(sealed)
    protected, signature = (
        envelope["signatures"][0]["protected"],
        _unb64url(envelope["signatures"][0]["signature"]),
    )
    signing_input = protected.encode("ascii") + b"." + PAYLOAD.encode("utf-8")
    public = signer.certificate.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        assert len(signature) == 64  # raw r||s, not DER
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    else:
        assert isinstance(public, rsa.RSAPublicKey)
        public.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())


def test_seal_refuses_a_naive_time_a_foreign_key_and_an_expired_certificate(signer, other):
    with pytest.raises(ValueError, match="time zone"):
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=datetime(2024, 6, 30))
    with pytest.raises(ConfigError, match="not the certificate's"):
        jades.seal(PAYLOAD, other.private_key, signer.certificate, signing_time=SIGNED)
    with pytest.raises(ConfigError, match="cannot seal with"):
        jades.seal(PAYLOAD, ed25519.Ed25519PrivateKey.generate(), signer.certificate, signing_time=SIGNED)
    with pytest.raises(ConfigError, match="not valid at the signing time"):
        jades.seal(
            PAYLOAD, signer.private_key, signer.certificate, signing_time=MADE + timedelta(days=4 * 365)
        )


# The official samples


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_official_signed_samples_verify(path):
    verified = jades.verify(path.read_text(encoding="utf-8"))
    assert verified.algorithm == "RS256"
    assert verified.header["crit"] == ["b64", "sigT", "adoTst"]
    assert verified.signing_time == datetime.fromisoformat(verified.header["sigT"].replace("Z", "+00:00"))
    assert verified.unverified == ("adoTst", "etsiU:sigTst", "etsiU:xVals", "etsiU:rVals", "etsiU:arcTst")
    subject = verified.certificate.subject
    assert subject.get_attributes_for_oid(keys.ORGANIZATION_IDENTIFIER)[0].value == "VATES-A00000000"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "ORGANIZACION TEST"
    assert json.loads(verified.payload)["id"].startswith("urn:credential:")
    assert not verified.trusted


def test_official_sample_with_one_payload_byte_changed_fails():
    envelope = json.loads(SAMPLES[0].read_text(encoding="utf-8"))
    envelope["payload"] = envelope["payload"].replace("Certificate", "Certificata", 1)
    with pytest.raises(SignatureError, match="signature does not match"):
        jades.verify(json.dumps(envelope, ensure_ascii=False))


def test_official_sample_untrusted_when_anchored_elsewhere(signer):
    with pytest.raises(SignatureError, match="not issued by a trusted authority"):
        jades.verify(
            SAMPLES[0].read_bytes(), trusted=[signer.certificate], at=datetime(2024, 1, 1, tzinfo=UTC)
        )


# Tampering


def test_every_payload_character_is_signed(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    envelope = json.loads(sealed)
    for index, char in enumerate(PAYLOAD):
        envelope["payload"] = PAYLOAD[:index] + ("x" if char != "x" else "y") + PAYLOAD[index + 1 :]
        with pytest.raises(SignatureError):
            jades.verify(json.dumps(envelope))


def test_every_protected_header_character_is_signed(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    envelope = json.loads(sealed)
    protected = envelope["signatures"][0]["protected"]
    for index, char in enumerate(protected):
        envelope["signatures"][0]["protected"] = (
            protected[:index] + ("A" if char != "A" else "B") + protected[index + 1 :]
        )
        with pytest.raises(SignatureError):
            jades.verify(json.dumps(envelope))


def test_removed_doubled_or_swapped_signatures_fail(signer):
    sealed = jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    another = jades.seal(PAYLOAD + " ", signer.private_key, signer.certificate, signing_time=SIGNED)
    envelope = json.loads(sealed)
    signature = envelope["signatures"][0]
    for signatures in ([], [signature, signature], [json.loads(another)["signatures"][0]]):
        with pytest.raises(SignatureError):
            jades.verify(json.dumps({**envelope, "signatures": signatures}))
    swapped = {**signature, "signature": json.loads(another)["signatures"][0]["signature"]}
    with pytest.raises(SignatureError, match="signature does not match"):
        jades.verify(json.dumps({**envelope, "signatures": [swapped]}))
    del envelope["signatures"][0]["signature"]
    with pytest.raises(SignatureError):
        jades.verify(json.dumps(envelope))


@pytest.mark.parametrize("alg", ["none", "HS256", "HS512", "RS1", "ES256K", "EdDSA"])
def test_algorithm_none_hmac_and_unknown_refused(signer, alg):
    payload, header, _ = _parts(
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    )
    header["alg"] = alg
    protected = _b64url(json.dumps(header).encode())
    # alg confusion: the HMAC key is the certificate's public key, known to everyone
    mac_key = signer.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for signature in (
        "",
        _b64url(hmac.new(mac_key, (protected + "." + payload).encode(), "sha256").digest()),
    ):
        forged = json.dumps(
            {"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}
        )
        with pytest.raises(SignatureError, match="refused"):
            jades.verify(forged)


def test_algorithm_of_another_key_type_refused(signer):
    payload, header, _ = _parts(
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    )
    header["alg"] = "RS256" if signer.alg == "ES256" else "ES256"
    with pytest.raises(SignatureError, match=r"needs an? (RSA|EC) key"):
        jades.verify(_forge(header, payload, signer.private_key))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda h: h.update(crit=[*h["crit"], "exp"], exp=1735689600), "not understood"),
        (lambda h: h.update(crit=[*h["crit"], "sigD"], sigD={"mId": "x"}), "not understood"),
        (
            lambda h: h.update(crit=[*h["crit"], "urn:example:policy"]),
            "critical header parameters not understood",
        ),
        (lambda h: h.update(crit=[*h["crit"], "adoTst"]), "absent from the protected header"),
        (lambda h: h.update(crit=["b64"]), "sigT is present but not critical"),
        (lambda h: h.update(crit=[*h["crit"], "alg"]), "RFC 7515"),
        (lambda h: h.update(crit=[*h["crit"], "b64"]), "twice"),
        (lambda h: h.update(crit=[]), "non-empty array"),
        (lambda h: h.pop("crit"), "non-empty array"),
        (lambda h: h.update(b64=True), "unencoded"),
        (lambda h: (h.pop("b64"), h.update(crit=["sigT"])), "unencoded"),
        (lambda h: h.update(jwk={"kty": "oct", "k": "AA"}), "not understood"),
        (lambda h: h.update(x5u="https://attacker.example/cert.pem"), "not understood"),
        (lambda h: h.update(sigT="2024-06-30T12:00:00+02:00"), "sigT must be"),
        (lambda h: h.update(sigT="2024-02-30T12:00:00Z"), "not a date"),
        (lambda h: h.update(sigT="2030-06-30T12:00:00Z"), "outside the certificate's validity"),
        (lambda h: h.pop("x5t#S256"), "x5t#S256"),
        (lambda h: h.update({"x5t#S256": _b64url(b"\0" * 32)}), "not the digest"),
        (lambda h: h.update(kid=base64.b64encode(b"0\x03\x02\x01\x01").decode()), "kid is not"),
        (lambda h: h.update(x5c=[c.replace("+", "-").replace("/", "_") for c in h["x5c"]]), "not base64"),
        (lambda h: h.update(x5c=[]), "x5c"),
        (lambda h: h.update(x5c=[base64.b64encode(b"not a certificate").decode()]), "not a DER"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_header_checks(signer, change, message):
    """Each forged header is validly signed by the key: only the header check can refuse it."""
    payload, header, _ = _parts(
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    )
    change(header)
    with pytest.raises(SignatureError, match=message):
        jades.verify(_forge(header, payload, signer.private_key))


def test_duplicate_header_member_refused(signer):
    payload, header, _ = _parts(
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    )
    text = json.dumps(header)[:-1] + ', "alg": "none"}'
    with pytest.raises(SignatureError, match="duplicate member 'alg'"):
        jades.verify(_forge(header, payload, signer.private_key, protected_text=_b64url(text.encode())))


def test_unprotected_header_limited_to_etsiU(signer):
    envelope = json.loads(jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED))
    for header in ({"alg": "none"}, {"kid": "x"}, {"etsiU": "x"}, {"etsiU": [{"a": 1, "b": 2}]}):
        envelope["signatures"][0]["header"] = header
        with pytest.raises(SignatureError):
            jades.verify(json.dumps(envelope))
    envelope["signatures"][0]["header"] = {"etsiU": [_b64url(b'{"sigTst":{}}')]}
    assert jades.verify(json.dumps(envelope)).unverified == ("etsiU:sigTst",)


def test_flattened_or_compact_serializations_refused(signer):
    envelope = json.loads(jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED))
    flattened = {"payload": envelope["payload"], **envelope["signatures"][0]}
    with pytest.raises(SignatureError, match="general serialization"):
        jades.verify(json.dumps(flattened))
    with pytest.raises(SignatureError, match="not JSON"):
        jades.verify(envelope["signatures"][0]["protected"] + ".." + envelope["signatures"][0]["signature"])


def test_signature_by_another_key_fails(signer, other):
    """The victim's header (x5c, x5t#S256, kid) over a signature made by another key."""
    payload, header, _ = _parts(
        jades.seal(PAYLOAD, signer.private_key, signer.certificate, signing_time=SIGNED)
    )
    with pytest.raises(SignatureError, match=r"signature does not match|needs an EC key"):
        jades.verify(_forge(header, payload, other.private_key))


# Trust


def _authority(
    name: str, key, *, issuer=None, issuer_key=None, ca: bool = True, days: int = 3650
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(MADE)
        .not_valid_after(MADE + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=not ca, key_cert_sign=ca, crl_sign=ca, **usage), critical=True
        )
        .sign(issuer_key or key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def pki():
    root_key, mid_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _authority("Root CA", root_key)
    mid = _authority("Intermediate CA", mid_key, issuer=root, issuer_key=root_key)
    leaf = _authority("Seal", leaf_key, issuer=mid, issuer_key=mid_key, ca=False, days=365)
    return SimpleNamespace(root=root, mid=mid, leaf=leaf, key=leaf_key, mid_key=mid_key, root_key=root_key)


def test_chain_to_a_trusted_root(pki):
    sealed = jades.seal(PAYLOAD, pki.key, pki.leaf, [pki.mid], signing_time=SIGNED)
    verified = jades.verify(sealed, trusted=[pki.root], at=SIGNED)
    assert verified.trusted and verified.chain == (pki.mid,)
    assert jades.verify(sealed, trusted=[pki.mid], at=SIGNED).trusted
    assert jades.verify(sealed, trusted=[pki.leaf], at=SIGNED).trusted


def test_untrusted_incomplete_or_expired_chain_refused(pki, signer):
    sealed = jades.seal(PAYLOAD, pki.key, pki.leaf, [pki.mid], signing_time=SIGNED)
    with pytest.raises(SignatureError, match="not issued by a trusted authority"):
        jades.verify(sealed, trusted=[signer.certificate], at=SIGNED)
    with pytest.raises(SignatureError, match="not issued by a trusted authority"):
        jades.verify(
            jades.seal(PAYLOAD, pki.key, pki.leaf, signing_time=SIGNED), trusted=[pki.root], at=SIGNED
        )
    with pytest.raises(SignatureError, match="not valid at 2025-06-01"):
        jades.verify(sealed, trusted=[pki.root], at=datetime(2025, 6, 1, tzinfo=UTC))
    # an intermediate the root did not issue, and one that is not a CA, cannot link the leaf to the root
    forged = _authority(
        "Intermediate CA", pki.mid_key, issuer=pki.root, issuer_key=ec.generate_private_key(ec.SECP256R1())
    )
    not_ca = _authority("Intermediate CA", pki.mid_key, issuer=pki.root, issuer_key=pki.root_key, ca=False)
    for middle in (forged, not_ca):
        sealed = jades.seal(PAYLOAD, pki.key, pki.leaf, [middle], signing_time=SIGNED)
        with pytest.raises(SignatureError, match="not issued by a trusted authority"):
            jades.verify(sealed, trusted=[pki.root], at=SIGNED)
