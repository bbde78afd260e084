"""What the JAdES and XAdES seals share: algorithms, certificate checks, DER, base64.

Private to :mod:`rncp_ld.credentials`; :mod:`.jades` and :mod:`.xades` re-export
:class:`SignatureError`. Needs ``cryptography``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..errors import ConfigError, RncpLdError

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
except ImportError:  # pragma: no cover - depends on the environment
    raise ConfigError("seals need the cryptography package", expected="pip install cryptography") from None

__all__ = [
    "ALGORITHMS",
    "JOSE",
    "MIN_RSA_BITS",
    "XMLDSIG",
    "Algorithm",
    "SignatureError",
    "check_certificate",
    "der",
    "der_issuer_serial",
    "load_der_certificate",
    "seal_algorithm",
    "sha256",
    "std_b64decode",
    "std_b64encode",
    "url_b64decode",
    "url_b64encode",
    "utc",
    "utc_text",
]

MIN_RSA_BITS = 2048
"""RSA keys shorter than this are refused, for sealing and for verifying."""

_MAX_CHAIN = 8


class SignatureError(RncpLdError):
    """A seal does not verify: malformed, tampered, of a refused algorithm or certificate."""


# Time


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, to the second; a naive datetime is refused (ambiguous)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"signing time {moment.isoformat()} has no time zone")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def utc_text(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ``, the form of JAdES ``sigT`` and XAdES ``SigningTime``."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


# Base64


_URL_B64 = re.compile(r"[A-Za-z0-9_-]*")


def url_b64encode(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def url_b64decode(text: str, what: str) -> bytes:
    """Strict base64url without padding: other characters or non-canonical text are refused."""
    if not isinstance(text, str) or not _URL_B64.fullmatch(text) or len(text) % 4 == 1:
        raise SignatureError(f"{what} is not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if url_b64encode(data) != text:
        raise SignatureError(f"{what} is not canonical base64url")
    return data


def std_b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def std_b64decode(text: str, what: str, *, whitespace: bool = False) -> bytes:
    """Strict standard base64 (with padding); XML content may wrap it in whitespace."""
    if not isinstance(text, str):
        raise SignatureError(f"{what} is not base64")
    if whitespace:
        text = "".join(text.split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not base64") from None


# Algorithms


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A signature algorithm by its JOSE and XML-DSig names."""

    jose: str | None
    xmldsig: str | None
    family: str
    """``rsa`` (PKCS#1 v1.5), ``rsa-pss`` or ``ec`` (raw ``r||s`` signature)."""
    hash: type[hashes.SHA256] | type[hashes.SHA384] | type[hashes.SHA512]
    curve: type[ec.EllipticCurve] | None = None
    """For JOSE ``ES*`` the curve is part of the algorithm; XML-DSig ECDSA allows any."""

    def sign(self, key: object, data: bytes) -> bytes:
        if self.family == "ec":
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            r, s = decode_dss_signature(key.sign(data, ec.ECDSA(self.hash())))
            size = _coordinate_size(key.curve)
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        assert isinstance(key, rsa.RSAPrivateKey)
        return key.sign(data, self._padding(), self.hash())

    def verify(self, public_key: object, signature: bytes, data: bytes) -> None:
        """Raise SignatureError unless ``signature`` is this algorithm's over ``data``."""
        name = self.jose or self.xmldsig
        if self.family == "ec":
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                raise SignatureError(f"{name} needs an EC key, the certificate has {_key_name(public_key)}")
            if self.curve is not None and not isinstance(public_key.curve, self.curve):
                raise SignatureError(
                    f"{name} needs curve {self.curve.name}, the key is on {public_key.curve.name}"
                )
            size = _coordinate_size(public_key.curve)
            if len(signature) != 2 * size:
                raise SignatureError(
                    f"an {name} signature on {public_key.curve.name} is {2 * size} bytes (r||s)"
                )
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            try:
                public_key.verify(der, data, ec.ECDSA(self.hash()))
            except InvalidSignature:
                raise SignatureError(
                    "the signature does not match the signed data and the certificate's key"
                ) from None
            return
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise SignatureError(f"{name} needs an RSA key, the certificate has {_key_name(public_key)}")
        if public_key.key_size < MIN_RSA_BITS:
            raise SignatureError(f"RSA key of {public_key.key_size} bits refused (at least {MIN_RSA_BITS})")
        try:
            public_key.verify(signature, data, self._padding(), self.hash())
        except InvalidSignature:
            raise SignatureError(
                "the signature does not match the signed data and the certificate's key"
            ) from None

    def _padding(self) -> padding.AsymmetricPadding:
        if self.family == "rsa-pss":
            return padding.PSS(mgf=padding.MGF1(self.hash()), salt_length=self.hash.digest_size)
        return padding.PKCS1v15()


_DSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#"

ALGORITHMS: tuple[Algorithm, ...] = (
    Algorithm("RS256", _DSIG_MORE + "rsa-sha256", "rsa", hashes.SHA256),
    Algorithm("RS384", _DSIG_MORE + "rsa-sha384", "rsa", hashes.SHA384),
    Algorithm("RS512", _DSIG_MORE + "rsa-sha512", "rsa", hashes.SHA512),
    Algorithm("PS256", None, "rsa-pss", hashes.SHA256),
    Algorithm("PS384", None, "rsa-pss", hashes.SHA384),
    Algorithm("PS512", None, "rsa-pss", hashes.SHA512),
    Algorithm("ES256", None, "ec", hashes.SHA256, ec.SECP256R1),
    Algorithm("ES384", None, "ec", hashes.SHA384, ec.SECP384R1),
    Algorithm("ES512", None, "ec", hashes.SHA512, ec.SECP521R1),
    Algorithm(None, _DSIG_MORE + "ecdsa-sha256", "ec", hashes.SHA256),
    Algorithm(None, _DSIG_MORE + "ecdsa-sha384", "ec", hashes.SHA384),
    Algorithm(None, _DSIG_MORE + "ecdsa-sha512", "ec", hashes.SHA512),
)
"""Every algorithm a seal may use. Anything else (``none``, ``HS256``, RSA-SHA1, DSA…) is refused."""

JOSE: dict[str, Algorithm] = {a.jose: a for a in ALGORITHMS if a.jose}
XMLDSIG: dict[str, Algorithm] = {a.xmldsig: a for a in ALGORITHMS if a.xmldsig}

_CURVE_HASH = {"secp256r1": "256", "secp384r1": "384", "secp521r1": "512"}


def _coordinate_size(curve: ec.EllipticCurve) -> int:
    return (curve.key_size + 7) // 8


def _key_name(key: object) -> str:
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"an EC {key.curve.name} key"
    if isinstance(key, rsa.RSAPublicKey):
        return f"an RSA {key.key_size}-bit key"
    return f"a {type(key).__name__}"


def seal_algorithm(key: object, cert: x509.Certificate) -> tuple[Algorithm, Algorithm]:
    """(JOSE, XML-DSig) algorithms for sealing with ``key``; ``key`` must be ``cert``'s.

    EC P-256/P-384/P-521 give ES256/384/512 and ecdsa-sha256/384/512; RSA (at least
    2048 bits) gives RS256 and rsa-sha256.

    Raises:
        ConfigError: another kind of key, a short RSA key, or a key that is not the
            certificate's.
    """
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _CURVE_HASH:
        bits = _CURVE_HASH[key.curve.name]
        pair = JOSE["ES" + bits], XMLDSIG[_DSIG_MORE + "ecdsa-sha" + bits]
    elif isinstance(key, rsa.RSAPrivateKey) and key.key_size >= MIN_RSA_BITS:
        pair = JOSE["RS256"], XMLDSIG[_DSIG_MORE + "rsa-sha256"]
    else:
        raise ConfigError(
            f"cannot seal with {_key_name(getattr(key, 'public_key', lambda: key)())}",
            expected=f"an EC P-256, P-384 or P-521 key, or an RSA key of at least {MIN_RSA_BITS} bits",
        )
    if _spki(key.public_key()) != _spki(cert.public_key()):
        raise ConfigError(
            "the signing key is not the certificate's",
            expected=f"the key of {cert.subject.rfc4514_string()}",
        )
    return pair


def _spki(public_key: Any) -> bytes:
    """SubjectPublicKeyInfo DER of any public key."""
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# DER


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(content)) + content


def der_issuer_serial(cert: x509.Certificate) -> bytes:
    """DER ``IssuerSerial`` (RFC 5035) of ``cert``: its issuer as a directoryName, its serial.

    What JAdES puts, base64-encoded, in ``kid`` and XAdES in ``IssuerSerialV2``.
    """
    serial = cert.serial_number
    integer = serial.to_bytes(max(1, (serial.bit_length() + 8) // 8), "big", signed=True)
    general_names = _tlv(0x30, _tlv(0xA4, cert.issuer.public_bytes()))
    return _tlv(0x30, general_names + _tlv(0x02, integer))


def der(cert: x509.Certificate) -> bytes:
    """The DER encoding of ``cert``."""
    return cert.public_bytes(serialization.Encoding.DER)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# Certificates


def load_der_certificate(data: bytes, what: str) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise SignatureError(f"{what} is not a DER X.509 certificate") from None


def _valid_at(cert: x509.Certificate, moment: datetime) -> bool:
    return cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    if not constraints.ca:
        return False
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.key_cert_sign


def check_certificate(
    leaf: x509.Certificate,
    chain: Iterable[x509.Certificate],
    *,
    signing_time: datetime,
    trusted: Iterable[x509.Certificate] | None,
    at: datetime | None,
) -> bool:
    """Check the signing certificate; True when it chains to one of ``trusted``.

    Always: the key usage (when stated) allows signing (digitalSignature or
    nonRepudiation) and ``signing_time`` falls within the certificate's validity.
    With ``trusted``: the certificate is one of them or is issued, through CA
    certificates of ``chain``, by one of them, and every certificate of that path is valid
    at ``at`` (default: now). Without ``trusted`` nothing says who the signer is: the
    result is False and the caller decides.

    Raises:
        SignatureError: naming the first check that fails.
    """
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SignatureError("the certificate's key usage does not allow signing")
    if not _valid_at(leaf, signing_time):
        raise SignatureError(
            f"signing time {utc_text(signing_time)} is outside the certificate's validity "
            f"({utc_text(leaf.not_valid_before_utc)} to {utc_text(leaf.not_valid_after_utc)})"
        )
    if trusted is None:
        return False
    anchors = list(trusted)
    anchor_ders = {der(a) for a in anchors}
    moment = utc(at) if at is not None else datetime.now(timezone.utc)
    intermediates = list(chain)
    current = leaf
    for _ in range(_MAX_CHAIN):
        if not _valid_at(current, moment):
            raise SignatureError(
                f"certificate {current.subject.rfc4514_string()} is not valid at {utc_text(moment)} "
                f"({utc_text(current.not_valid_before_utc)} to {utc_text(current.not_valid_after_utc)})"
            )
        if der(current) in anchor_ders:
            return True
        anchor = next((a for a in anchors if _issued_by(current, a)), None)
        if anchor is not None:
            if not _valid_at(anchor, moment):
                raise SignatureError(
                    f"trusted certificate {anchor.subject.rfc4514_string()} is not valid at {utc_text(moment)}"
                )
            return True
        parent = next((c for c in intermediates if _is_ca(c) and _issued_by(current, c)), None)
        if parent is None:
            break
        intermediates.remove(parent)
        current = parent
    raise SignatureError(f"certificate {leaf.subject.rfc4514_string()} is not issued by a trusted authority")
