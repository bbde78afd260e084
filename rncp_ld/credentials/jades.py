"""JAdES baseline-B seals of JSON-LD credentials, and their strict verification.

A seal is the envelope of the official signed EDC samples (ELM 3, ``*-signed.jsonld``):
the JWS JSON general serialization with an unencoded payload (RFC 7797)::

    {"payload": "<the credential's JSON text>",
     "signatures": [{"protected": "<base64url header>", "signature": "<base64url>"}]}

The protected header holds, in the samples' order, ``alg``, ``cty`` (``octet-stream``),
``kid`` (base64 DER IssuerSerial of the certificate, JAdES §5.1.4), ``x5t#S256``, ``x5c``
(standard base64 DER, leaf first), ``typ`` (``jose+json``), ``b64`` (false), ``sigT``
(claimed signing time) and ``crit`` (``["b64", "sigT"]``). The samples are JAdES-B-LTA:
they add an ``adoTst`` time-stamp (also critical) and an unprotected ``etsiU`` with
time-stamps and validation data; a baseline-B seal has neither, :func:`verify` accepts
them and reports them as not validated.

The signing input is ``ASCII(protected) || "." || UTF-8(payload)``; ES* signatures are
raw ``r||s``.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ._pki import (
    JOSE,
    SignatureError,
    check_certificate,
    der,
    der_issuer_serial,
    load_der_certificate,
    seal_algorithm,
    sha256,
    std_b64decode,
    std_b64encode,
    url_b64decode,
    url_b64encode,
    utc,
    utc_text,
)

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["CRITICAL", "CTY", "TYP", "SignatureError", "Verified", "seal", "verify"]

CTY = "octet-stream"
"""``cty`` of the official samples (EU DSS's default for a JSON payload)."""
TYP = "jose+json"
"""``typ`` of a JWS in JSON serialization."""
CRITICAL = ("b64", "sigT")
"""``crit`` of a baseline-B seal: no time-stamp."""

UNDERSTOOD = frozenset({"b64", "sigT", "adoTst"})
"""Header parameters :func:`verify` may find in ``crit``."""
_KNOWN = frozenset({"alg", "cty", "kid", "x5t#S256", "x5c", "typ", "b64", "sigT", "adoTst", "crit"})
"""Every protected header parameter :func:`verify` accepts; others (``jwk``, ``jku``,
``x5u``, ``x5t``, ``sigX5ts``, ``sigD``, ``srCms``…) are refused, critical or not."""
_REGISTERED = frozenset({"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"})
"""RFC 7515 §4.1 names, which ``crit`` must not list."""
_UNPROTECTED = frozenset({"etsiU"})
_SIG_T = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True, slots=True)
class Verified:
    """A seal that verified: what was signed, by which certificate, when it claims."""

    payload: str
    """The signed credential text, exactly as signed."""
    header: Mapping[str, Any]
    """The protected header (read-only)."""
    certificate: x509.Certificate
    """The signing certificate (first of ``x5c``), whose key checked the signature."""
    chain: tuple[x509.Certificate, ...]
    """The rest of ``x5c``."""
    algorithm: str
    """The JOSE ``alg``."""
    signing_time: datetime
    """``sigT``: claimed by the signer, not time-stamped."""
    trusted: bool
    """True when the certificate chains to one of the ``trusted`` certificates."""
    unverified: tuple[str, ...]
    """Components present but not validated: ``adoTst``, and the unprotected ``etsiU``
    ones (``sigTst``, ``xVals``, ``rVals``, ``arcTst``…)."""


# Seal


def seal(
    payload: str,
    key: object,
    cert: x509.Certificate,
    chain: Sequence[x509.Certificate] = (),
    *,
    signing_time: datetime,
) -> str:
    """The JAdES baseline-B seal of ``payload`` (JWS JSON, unencoded payload) as JSON text.

    Args:
        payload: the credential's JSON text; it is signed and embedded byte for byte.
        key: the private key of ``cert``: EC (ES256 on P-256) or RSA (RS256).
        cert: the sealing certificate, first of ``x5c``.
        chain: intermediate certificates, after it in ``x5c``.
        signing_time: the time put in ``sigT`` (time zone required; seconds kept).

    Raises:
        ConfigError: the key is of an unsupported kind or is not the certificate's, or the
            certificate is not valid at ``signing_time``.
        ValueError: ``signing_time`` has no time zone, or ``payload`` is not encodable.
    """
    algorithm, _ = seal_algorithm(key, cert)
    moment = utc(signing_time)
    if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
        raise ConfigError(
            f"the certificate is not valid at the signing time {utc_text(moment)}",
            expected=f"a time from {utc_text(cert.not_valid_before_utc)} to {utc_text(cert.not_valid_after_utc)}",
        )
    leaf = der(cert)
    header = {
        "alg": algorithm.jose,
        "cty": CTY,
        "kid": std_b64encode(der_issuer_serial(cert)),
        "x5t#S256": url_b64encode(sha256(leaf)),
        "x5c": [std_b64encode(der(c)) for c in (cert, *chain)],
        "typ": TYP,
        "b64": False,
        "sigT": utc_text(moment),
        "crit": list(CRITICAL),
    }
    protected = url_b64encode(json.dumps(header, separators=(",", ":")).encode("ascii"))
    signature = algorithm.sign(key, protected.encode("ascii") + b"." + payload.encode("utf-8"))
    envelope = {
        "payload": payload,
        "signatures": [{"protected": protected, "signature": url_b64encode(signature)}],
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


# Verify


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise SignatureError(f"duplicate member {name!r}")
        result[name] = value
    return result


def _constant(name: str) -> Any:
    raise SignatureError(f"{name} is not JSON")


def _json(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except ValueError as error:
        raise SignatureError(f"{what} is not JSON ({error})") from None
    if not isinstance(value, dict):
        raise SignatureError(f"{what} is not a JSON object")
    return value


def _envelope(jws_text: str | bytes) -> tuple[str, dict[str, Any]]:
    """(payload, the one signature object) of a general JWS JSON serialization."""
    if isinstance(jws_text, bytes):
        try:
            jws_text = jws_text.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("the seal is not UTF-8") from None
    envelope = _json(jws_text, "the seal")
    if set(envelope) != {"payload", "signatures"}:
        raise SignatureError(
            f"the seal has members {sorted(envelope)}, expected the JWS JSON general serialization "
            "(payload, signatures)"
        )
    payload, signatures = envelope["payload"], envelope["signatures"]
    if not isinstance(payload, str):
        raise SignatureError("the payload is not a string (an unencoded JSON payload is embedded as text)")
    if not isinstance(signatures, list) or len(signatures) != 1:
        raise SignatureError("a seal has exactly one signature")
    signature = signatures[0]
    if not isinstance(signature, dict) or not {"protected", "signature"} <= set(signature) <= {
        "protected",
        "header",
        "signature",
    }:
        raise SignatureError("the signature needs protected and signature members (and at most header)")
    return payload, signature


def _unprotected(signature: dict[str, Any], protected: Mapping[str, Any]) -> list[str]:
    """Names of the unprotected components (JAdES ``etsiU``), which are not validated."""
    header = signature.get("header", {})
    if not isinstance(header, dict):
        raise SignatureError("the unprotected header is not an object")
    if set(header) - _UNPROTECTED:
        raise SignatureError(f"unprotected header parameters refused: {sorted(set(header) - _UNPROTECTED)}")
    if set(header) & set(protected):
        raise SignatureError("a header parameter is both protected and unprotected")
    components = header.get("etsiU", [])
    if not isinstance(components, list):
        raise SignatureError("etsiU is not an array")
    names: list[str] = []
    for item in components:
        if isinstance(item, str):
            item = _json(
                url_b64decode(item, "an etsiU component").decode("utf-8", "replace"), "an etsiU component"
            )
        if not isinstance(item, dict) or len(item) != 1:
            raise SignatureError("an etsiU component is not a one-member object")
        names.extend(f"etsiU:{name}" for name in item)
    return names


def _check_header(header: Mapping[str, Any]) -> None:
    unknown = set(header) - _KNOWN
    if unknown:
        raise SignatureError(f"header parameters not understood: {sorted(unknown)}")
    crit = header.get("crit")
    if not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit):
        raise SignatureError("crit must be a non-empty array of header parameter names")
    if len(set(crit)) != len(crit):
        raise SignatureError("crit lists a name twice")
    if set(crit) & _REGISTERED:
        raise SignatureError("crit lists a parameter of RFC 7515 itself")
    not_understood = [n for n in crit if n not in UNDERSTOOD]
    if not_understood:
        raise SignatureError(f"critical header parameters not understood: {not_understood}")
    missing = [n for n in crit if n not in header]
    if missing:
        raise SignatureError(f"critical header parameters absent from the protected header: {missing}")
    for name in ("b64", "sigT", "adoTst"):
        if name in header and name not in crit:
            raise SignatureError(f"{name} is present but not critical")
    if header.get("b64") is not False or "b64" not in crit:
        raise SignatureError('the payload must be declared unencoded ("b64": false, critical)')
    for name in ("typ", "cty"):
        if name in header and not isinstance(header[name], str):
            raise SignatureError(f"{name} is not a string")
    if "adoTst" in header and not isinstance(header["adoTst"], dict):
        raise SignatureError("adoTst is not an object")


def _signing_time(header: Mapping[str, Any]) -> datetime:
    value = header.get("sigT")
    if not isinstance(value, str) or not _SIG_T.fullmatch(value):
        raise SignatureError('sigT must be a UTC time "YYYY-MM-DDThh:mm:ssZ"')
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise SignatureError(f"sigT {value!r} is not a date and time") from None


def _certificates(header: Mapping[str, Any]) -> tuple[x509.Certificate, tuple[x509.Certificate, ...]]:
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c:
        raise SignatureError("x5c (the signing certificate) is missing")
    ders = [std_b64decode(item, f"x5c[{i}]") for i, item in enumerate(x5c)]
    certificates = [load_der_certificate(der, f"x5c[{i}]") for i, der in enumerate(ders)]
    leaf = certificates[0]
    thumbprint = header.get("x5t#S256")
    if not isinstance(thumbprint, str):
        raise SignatureError("x5t#S256 (the signing certificate's digest) is missing")
    if not hmac.compare_digest(url_b64decode(thumbprint, "x5t#S256"), sha256(ders[0])):
        raise SignatureError("x5t#S256 is not the digest of the first x5c certificate")
    if "kid" in header:
        kid = header["kid"]
        if not isinstance(kid, str) or std_b64decode(kid, "kid") != der_issuer_serial(leaf):
            raise SignatureError("kid is not the issuer and serial number of the signing certificate")
    return leaf, tuple(certificates[1:])


def verify(
    jws_text: str | bytes,
    *,
    trusted: Iterable[x509.Certificate] | None = None,
    at: datetime | None = None,
) -> Verified:
    """Verify a JAdES seal strictly; the :class:`Verified` payload is what was signed.

    Refused: another serialization or more than one signature; duplicate JSON members;
    an ``alg`` other than RS/PS/ES 256/384/512 (``none``, ``HS*``…); a header parameter
    not understood, critical or not (``jwk``, ``jku``, ``x5u``…); a ``crit`` naming a
    parameter not understood or absent; a payload not declared unencoded (``b64`` false,
    critical); ``x5t#S256`` or ``kid`` not matching the first ``x5c`` certificate; a
    ``sigT`` outside its validity; a signature not made by its key.

    Args:
        jws_text: the seal (JSON text).
        trusted: trust anchors; when given, the certificate must be one of them or chain
            to one through ``x5c``, every certificate valid at ``at``.
        at: when to check validity against ``trusted`` (default: now).

    Raises:
        SignatureError: naming the first check that fails.
    """
    payload, signature = _envelope(jws_text)
    protected_text = signature["protected"]
    if not isinstance(protected_text, str) or not protected_text:
        raise SignatureError("the protected header is missing")
    try:
        header_text = url_b64decode(protected_text, "the protected header").decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureError("the protected header is not UTF-8") from None
    header = _json(header_text, "the protected header")
    algorithm = JOSE.get(header.get("alg")) if isinstance(header.get("alg"), str) else None
    if algorithm is None:
        raise SignatureError(
            f"algorithm {header.get('alg')!r} refused (expected one of {', '.join(sorted(JOSE))})"
        )
    _check_header(header)
    unverified = ["adoTst"] if "adoTst" in header else []
    unverified += _unprotected(signature, header)
    signing_time = _signing_time(header)
    leaf, chain = _certificates(header)
    value = url_b64decode(signature["signature"], "the signature")
    try:
        signed = payload.encode("utf-8")
    except UnicodeEncodeError:
        raise SignatureError("the payload is not Unicode text (lone surrogate)") from None
    algorithm.verify(leaf.public_key(), value, protected_text.encode("ascii") + b"." + signed)
    is_trusted = check_certificate(leaf, chain, signing_time=signing_time, trusted=trusted, at=at)
    return Verified(
        payload=payload,
        header=MappingProxyType(header),
        certificate=leaf,
        chain=chain,
        algorithm=algorithm.jose or "",
        signing_time=signing_time,
        trusted=is_trusted,
        unverified=tuple(unverified),
    )
