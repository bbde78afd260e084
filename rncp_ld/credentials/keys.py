"""The certifier's signing key and X.509 certificate.

:func:`generate` makes a key pair and a self-signed certificate shaped like an eSeal
certificate (ETSI EN 319 412-3): the subject carries the organisation name (``O``, ``CN``),
its country (``C``) and its ``organizationIdentifier`` (OID 2.5.4.97, e.g.
``NTRFR-<SIREN>``), the key usages are digitalSignature and nonRepudiation. It is for tests
and pilots; a real certifier passes its own (qualified) key and certificate to :func:`load`.

Algorithms (JOSE names): ``ES256`` (ECDSA P-256, the default), ``RS256`` (RSA 3072,
PKCS#1 v1.5, as EDCI's seals) and ``EdDSA`` (Ed25519, RFC 8032; the key of the W3C Data
Integrity ``eddsa-rdfc-2022`` proofs of Open Badges 3.0 credentials, whose verification
method is the key's ``did:key``). An Ed25519 certificate (RFC 8410) carries the same eSeal-like
subject; JAdES and XAdES seals do not take Ed25519 keys.

Needs ``cryptography``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple, TypeAlias, cast

from ..errors import ConfigError

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
    from cryptography.x509.oid import NameOID, ObjectIdentifier
except ImportError:  # pragma: no cover - depends on the environment
    raise ConfigError(
        "signing keys need the cryptography package", expected="pip install cryptography"
    ) from None

__all__ = [
    "ALGORITHMS",
    "CERT_FILE",
    "DEFAULT_VALID_DAYS",
    "KEY_FILE",
    "ORGANIZATION_IDENTIFIER",
    "Algorithm",
    "SigningKey",
    "algorithm_of",
    "generate",
    "load",
    "organization_identifier",
    "validate_org_id",
]

KEY_FILE = "key.pem"
CERT_FILE = "cert.pem"
DEFAULT_VALID_DAYS = 3 * 365
ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
"""X.520 organizationIdentifier, the legal identifier of an eSeal certificate's subject."""

PrivateKey: TypeAlias = "ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey"
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A signature algorithm: how to make its key and which hash the certificate uses."""

    name: str
    """JOSE name (``ES256``, ``RS256``, ``EdDSA``)."""
    description: str
    new_key: Callable[[], PrivateKey]
    hash: hashes.SHA256 | hashes.SHA384 | hashes.SHA512 | None
    """Hash of the certificate signature; None for algorithms that have their own (EdDSA)."""
    matches: Callable[[object], bool]
    """Whether a loaded private key is one of this algorithm."""


ALGORITHMS: dict[str, Algorithm] = {
    "ES256": Algorithm(
        "ES256",
        "ECDSA on P-256 with SHA-256",
        lambda: ec.generate_private_key(ec.SECP256R1()),
        hashes.SHA256(),
        lambda key: isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1),
    ),
    "RS256": Algorithm(
        "RS256",
        "RSA 3072 (PKCS#1 v1.5) with SHA-256",
        lambda: rsa.generate_private_key(public_exponent=65537, key_size=3072),
        hashes.SHA256(),
        lambda key: isinstance(key, rsa.RSAPrivateKey) and key.key_size >= 2048,
    ),
    "EdDSA": Algorithm(
        "EdDSA",
        "Ed25519 (RFC 8032)",
        ed25519.Ed25519PrivateKey.generate,
        None,
        lambda key: isinstance(key, ed25519.Ed25519PrivateKey),
    ),
}
"""Supported algorithms by JOSE name."""


class SigningKey(NamedTuple):
    """A loaded private key with its certificate and the rest of its chain."""

    private_key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    """Intermediate certificates after the signing certificate, as the file gave them."""

    @property
    def alg(self) -> str:
        """The JOSE algorithm of the key (``ES256``, ``RS256`` or ``EdDSA``)."""
        return algorithm_of(self.private_key).name

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        """The signing certificate then the chain, as an ``x5c`` header lists them."""
        return (self.certificate, *self.chain)

    @property
    def organization_identifier(self) -> str | None:
        return organization_identifier(self.certificate)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


# Organisation identifiers (ETSI EN 319 412-1 §5.1.4)

_ORG_ID = re.compile(r"(?P<scheme>VAT|NTR|PSD)(?P<country>[A-Z]{2})-(?P<id>[A-Za-z0-9][A-Za-z0-9./+-]*)")
_LEI = re.compile(r"LEIXG-[A-Z0-9]{18}[0-9]{2}")


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def validate_org_id(org_id: str, country: str) -> str:
    """``org_id`` checked as an eSeal ``organizationIdentifier`` for ``country``.

    For France: ``NTRFR-`` and the 9-digit SIREN (checked with its Luhn key), or ``VATFR-``
    and the VAT number (2-digit key then SIREN). Elsewhere: ``VAT``, ``NTR`` or ``PSD``,
    the country code, ``-`` and the identifier; or ``LEIXG-`` and a 20-character LEI.

    Raises:
        ConfigError: naming what was expected.
    """
    value = org_id.strip()
    expected = (
        "NTRFR- followed by the 9-digit SIREN (e.g. NTRFR-552100554) or VATFR- followed by the VAT number (e.g. VATFR-96552100554)"
        if country == "FR"
        else f"VAT{country}-, NTR{country}- or PSD{country}- followed by the identifier, or LEIXG- followed by a LEI"
    )
    if _LEI.fullmatch(value):
        return value
    m = _ORG_ID.fullmatch(value)
    if not m:
        raise ConfigError(
            f"organisation identifier {org_id!r} is not an ETSI organizationIdentifier", expected=expected
        )
    if m["country"] != country:
        raise ConfigError(
            f"organisation identifier {value!r} is for country {m['country']}, not {country}",
            expected=expected,
        )
    if country != "FR":
        return value
    if m["scheme"] == "NTR":
        siren = m["id"]
        if not re.fullmatch(r"\d{9}", siren):
            raise ConfigError(f"{value!r}: {siren!r} is not a SIREN (9 digits)", expected=expected)
    elif m["scheme"] == "VAT":
        vat = m["id"]
        if not re.fullmatch(r"\d{11}", vat):
            raise ConfigError(
                f"{value!r}: {m['id']!r} is not a French VAT number (11 digits)", expected=expected
            )
        key, siren = int(vat[:2]), vat[2:]
        if key != (12 + 3 * (int(siren) % 97)) % 97:
            raise ConfigError(f"{value!r}: VAT key {vat[:2]} does not match SIREN {siren}", expected=expected)
    else:
        raise ConfigError(f"{value!r}: PSD identifiers are for payment service providers", expected=expected)
    if not _luhn(siren):
        raise ConfigError(f"{value!r}: SIREN {siren} fails its check digit (Luhn)", expected=expected)
    return value


# Generate


def _passphrase(passphrase_env: str | None, environ: Mapping[str, str] | None) -> bytes | None:
    if passphrase_env is None:
        return None
    value = (os.environ if environ is None else environ).get(passphrase_env)
    if not value:
        raise ConfigError(
            f"environment variable {passphrase_env} is unset or empty",
            expected=f"the key's passphrase in ${passphrase_env}",
        )
    return value.encode("utf-8")


def _write(path: Path, data: bytes, mode: int) -> Path:
    """Write ``data`` to a new temporary file next to ``path`` created with ``mode``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def generate(
    out_dir: Path | str,
    *,
    org_name: str,
    org_id: str,
    country: str,
    alg: str = "ES256",
    passphrase_env: str | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    force: bool = False,
    clock: Clock = _now,
    environ: Mapping[str, str] | None = None,
) -> tuple[Path, Path]:
    """Write ``key.pem`` (mode 0600) and a self-signed ``cert.pem`` into ``out_dir``.

    Args:
        org_name: the organisation's name, the certificate's ``O`` and ``CN``.
        org_id: its ``organizationIdentifier`` (:func:`validate_org_id`).
        country: ISO 3166 two-letter code, the certificate's ``C``.
        alg: a key of :data:`ALGORITHMS`.
        passphrase_env: name of the environment variable holding the passphrase that
            encrypts the key; None writes it unencrypted.
        valid_days: validity of the certificate from now.
        force: overwrite existing files.
        clock: gives "now" (UTC), for tests.
        environ: where to read ``passphrase_env`` (``os.environ`` by default).

    Returns:
        The paths of the key and the certificate.

    Raises:
        ConfigError: a bad option, an unset passphrase variable, or an existing file without
            ``force``.
    """
    algorithm = ALGORITHMS.get(alg)
    if algorithm is None:
        raise ConfigError(f"unknown algorithm {alg!r}", expected=" or ".join(ALGORITHMS))
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ConfigError(f"country {country!r} is not an ISO 3166 code", expected="two letters, e.g. FR")
    name = " ".join(org_name.split())
    if not name or len(name) > 64:
        raise ConfigError(
            f"organisation name {org_name!r} is {'empty' if not name else 'too long'}",
            expected="1 to 64 characters (X.520)",
        )
    org_id = validate_org_id(org_id, country)
    if valid_days < 1:
        raise ConfigError(f"validity of {valid_days} days", expected="a positive number of days")
    password = _passphrase(passphrase_env, environ)

    out = Path(out_dir)
    key_path, cert_path = out / KEY_FILE, out / CERT_FILE
    if not force:
        for path in (key_path, cert_path):
            if path.exists():
                raise ConfigError(
                    f"{path} already exists", expected="another directory, or --force to replace it"
                )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create {out}: {error.strerror}") from None

    key = algorithm.new_key()
    certificate = _self_signed(key, algorithm, name, org_id, country, clock(), valid_days)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)

    written: list[Path] = []
    try:
        written.append(_write(key_path, key_pem, 0o600))
        written.append(_write(cert_path, cert_pem, 0o644))
        os.replace(written[0], key_path)
        os.replace(written[1], cert_path)
    except OSError as error:
        for tmp in written:
            tmp.unlink(missing_ok=True)
        raise ConfigError(f"cannot write the key and certificate into {out}: {error.strerror}") from None
    return key_path, cert_path


def _self_signed(
    key: PrivateKey,
    algorithm: Algorithm,
    org_name: str,
    org_id: str,
    country: str,
    now: datetime,
    valid_days: int,
) -> x509.Certificate:
    """An X.509 v3 self-signed certificate shaped like an eSeal certificate."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name),
            x509.NameAttribute(ORGANIZATION_IDENTIFIER, org_id),
            x509.NameAttribute(NameOID.COMMON_NAME, org_name),
        ]
    )
    start = _utc(now).replace(microsecond=0)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    return builder.sign(key, algorithm.hash)


# Load


def algorithm_of(key: object) -> Algorithm:
    """The algorithm of a private key; ConfigError when it is none of :data:`ALGORITHMS`."""
    for algorithm in ALGORITHMS.values():
        if algorithm.matches(key):
            return algorithm
    raise ConfigError(
        f"unsupported key type {type(key).__name__}",
        expected="an EC P-256 (ES256), RSA of at least 2048 bits (RS256) or Ed25519 (EdDSA) private key",
    )


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read the {what} {path}: {error.strerror}") from None


def _load_key(path: Path, password: bytes | None, passphrase_env: str | None) -> PrivateKeyTypes:
    data = _read(path, "private key")
    try:
        if data.lstrip().startswith(b"-----"):
            return serialization.load_pem_private_key(data, password)
        return serialization.load_der_private_key(data, password)
    except TypeError:
        if password is None:
            raise ConfigError(
                "the private key is encrypted",
                source=str(path),
                expected="the name of the environment variable holding its passphrase (--passphrase-env)",
            ) from None
        raise ConfigError(
            f"the private key is not encrypted but a passphrase was given in ${passphrase_env}",
            source=str(path),
            expected="no --passphrase-env for an unencrypted key",
        ) from None
    except ValueError as error:
        if password is not None:
            reason = f"cannot be decrypted with the passphrase in ${passphrase_env}, or is not a private key"
        else:
            reason = f"is not a private key ({error})"
        raise ConfigError(
            f"the private key {reason}", source=str(path), expected="a PEM or DER PKCS#8 private key"
        ) from None


def _load_certificates(path: Path) -> list[x509.Certificate]:
    data = _read(path, "certificate")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise ConfigError(
            f"no readable certificate ({error})",
            source=str(path),
            expected="a PEM (possibly with its chain) or DER X.509 certificate",
        ) from None


def _spki(public_key: PublicKeyTypes) -> bytes:
    """The DER SubjectPublicKeyInfo of ``public_key``, to compare keys."""
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load(
    key_path: Path | str,
    cert_path: Path | str,
    passphrase_env: str | None = None,
    *,
    clock: Clock = _now,
    environ: Mapping[str, str] | None = None,
) -> SigningKey:
    """The private key of ``key_path`` and its certificate (with chain) from ``cert_path``.

    The certificate file may hold the chain; the certificate whose public key is the key's
    is the signing one, the others are its chain, in file order.

    Raises:
        ConfigError: a file is unreadable, the key is encrypted and no passphrase was
            given (or the wrong one), the key is of an unsupported type, no certificate
            matches the key, or the certificate is not valid now or not for signing.
    """
    key_path, cert_path = Path(key_path), Path(cert_path)
    loaded = _load_key(key_path, _passphrase(passphrase_env, environ), passphrase_env)
    algorithm_of(loaded)
    key = cast("PrivateKey", loaded)
    certificates = _load_certificates(cert_path)
    spki = _spki(key.public_key())
    signing = next((c for c in certificates if _spki(c.public_key()) == spki), None)
    if signing is None:
        subjects = "; ".join(c.subject.rfc4514_string() for c in certificates)
        raise ConfigError(
            f"the key {key_path.name} does not match the certificate {cert_path.name} ({subjects})",
            source=str(cert_path),
            expected="the certificate issued for this key",
        )
    now = _utc(clock())
    if not signing.not_valid_before_utc <= now <= signing.not_valid_after_utc:
        raise ConfigError(
            f"the certificate is not valid now ({now:%Y-%m-%d}): valid from "
            f"{signing.not_valid_before_utc:%Y-%m-%d} to {signing.not_valid_after_utc:%Y-%m-%d}",
            source=str(cert_path),
        )
    try:
        usage = signing.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise ConfigError(
            "the certificate is not for signing",
            source=str(cert_path),
            expected="key usage digitalSignature or nonRepudiation",
        )
    chain = tuple(c for c in certificates if c is not signing)
    return SigningKey(key, signing, chain)


def organization_identifier(certificate: x509.Certificate) -> str | None:
    """The subject's ``organizationIdentifier`` (e.g. ``NTRFR-552100554``), if it has one."""
    values = certificate.subject.get_attributes_for_oid(ORGANIZATION_IDENTIFIER)
    return str(values[0].value) if values else None
