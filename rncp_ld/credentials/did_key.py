"""``did:key`` identifiers of Ed25519 keys, resolved offline, and their Multikey encodings.

An Ed25519 ``did:key`` is ``did:key:`` followed by the key's Multibase form: ``z`` (base58btc)
of the multicodec prefix ``0xed 0x01`` (``ed25519-pub``, varint 0xed) and the 32 raw public
key bytes, hence always ``did:key:z6Mk…``. Its one verification method is the DID with that
same value as fragment, ``did:key:z6Mk…#z6Mk…``; the DID is its controller. A secret key's
Multikey form uses the prefix ``0x80 0x26`` (``ed25519-priv``, varint 0x1300) before the 32-byte
seed (``z3u2…``), as in the W3C ``vc-di-eddsa`` test vectors.

Nothing here reads the network: a ``did:key`` carries its key. :func:`did_key_resolver` is
the default ``resolve`` of :mod:`rncp_ld.credentials.data_integrity`.

base58btc (the Bitcoin alphabet) is written here, not taken from a third party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import RncpLdError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ED25519_PRIV",
    "ED25519_PUB",
    "DidKeyError",
    "VerificationMethod",
    "b58decode",
    "b58encode",
    "did_key",
    "did_key_resolver",
    "multibase_decode",
    "multibase_encode",
    "private_key_from_multibase",
    "private_key_multibase",
    "public_key_from_multibase",
    "public_key_multibase",
    "verification_method_id",
]

ED25519_PUB = b"\xed\x01"
"""Multicodec ``ed25519-pub`` (0xed) as an unsigned varint."""
ED25519_PRIV = b"\x80\x26"
"""Multicodec ``ed25519-priv`` (0x1300) as an unsigned varint."""

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
_KEY_SIZE = 32
_MAX_B58 = 4096
"""Longest base58 text decoded (quadratic work otherwise); a key or signature is < 100."""
_DID_KEY = re.compile(r"did:key:(z[1-9A-HJ-NP-Za-km-z]+)")


class DidKeyError(RncpLdError):
    """A Multibase value, Multikey or ``did:key`` that is malformed or not an Ed25519 key."""


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    """A verification method resolved to its public key."""

    id: str
    """Its URL, e.g. ``did:key:z6Mk…#z6Mk…``."""
    controller: str
    """Who controls the key, e.g. the DID ``did:key:z6Mk…``."""
    public_key: Any
    """The key (an ``Ed25519PublicKey`` for a ``did:key`` of this module)."""


# base58btc


def b58encode(data: bytes) -> str:
    """base58 (Bitcoin alphabet); each leading zero byte becomes a ``1``."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, digit = divmod(number, 58)
        digits.append(_ALPHABET[digit])
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """The bytes of a base58 (Bitcoin alphabet) text; the exact inverse of :func:`b58encode`.

    Raises:
        DidKeyError: a character outside the alphabet, or a text longer than 4096 characters.
    """
    if len(text) > _MAX_B58:
        raise DidKeyError(f"base58 text of {len(text)} characters refused (at most {_MAX_B58})")
    number = 0
    for char in text:
        try:
            number = number * 58 + _INDEX[char]
        except KeyError:
            raise DidKeyError(f"{char!r} is not a base58btc character") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """The bytes of a Multibase base58btc value (``z…``); other Multibase encodings are refused."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise DidKeyError(f"{_show(text)} is not a Multibase base58btc value (z…)")
    return b58decode(text[1:])


# Multikey


def public_key_multibase(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The ``publicKeyMultibase`` of an Ed25519 key (``z6Mk…``)."""
    return multibase_encode(ED25519_PUB + _public_bytes(key))


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a ``publicKeyMultibase`` (``z6Mk…``).

    Raises:
        DidKeyError: not base58btc, another multicodec (P-256 ``zDn…``, X25519…) or not 32 bytes.
    """
    return _ed25519_public(_unwrap(text, ED25519_PUB, "ed25519-pub"))


def private_key_multibase(key: Ed25519PrivateKey) -> str:
    """The ``secretKeyMultibase`` of an Ed25519 key: ``ed25519-priv`` + its 32-byte seed."""
    from cryptography.hazmat.primitives import serialization

    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_encode(ED25519_PRIV + seed)


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    """The Ed25519 key of a ``secretKeyMultibase`` (``z3u2…``: ``ed25519-priv`` + 32-byte seed)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(_unwrap(text, ED25519_PRIV, "ed25519-priv"))


# did:key


def did_key(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The ``did:key`` of an Ed25519 key (the public part of a private key)."""
    return "did:key:" + public_key_multibase(key)


def verification_method_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The verification method of a key's ``did:key``: ``did:key:z6Mk…#z6Mk…``."""
    value = public_key_multibase(key)
    return f"did:key:{value}#{value}"


def did_key_resolver(url: str) -> VerificationMethod:
    """Resolve the verification method URL of an Ed25519 ``did:key``, offline.

    The URL must be exactly ``did:key:<mb>#<mb>`` with the same ``<mb>`` twice: the only
    verification method of a ``did:key`` document. A bare DID (no fragment), another fragment,
    a path, a query, another DID method or key type is refused.

    Raises:
        DidKeyError: any other URL, or a key that is not an Ed25519 public key.
    """
    if not isinstance(url, str):
        raise DidKeyError("the verification method is not a string")
    did, hash_, fragment = url.partition("#")
    match = _DID_KEY.fullmatch(did)
    if match is None:
        method = did.split(":", 2)[1] if did.startswith("did:") and did.count(":") >= 2 else None
        if method and method != "key":
            raise DidKeyError(f"did:{method} cannot be resolved offline (only did:key is)")
        raise DidKeyError(f"{_show(url)} is not a did:key URL")
    if not hash_:
        raise DidKeyError(f"{_show(url)} is a DID, not a verification method (#fragment missing)")
    if fragment != match.group(1):
        raise DidKeyError(f"{_show(url)}: a did:key has only the verification method #{match.group(1)}")
    return VerificationMethod(id=url, controller=did, public_key=public_key_from_multibase(match.group(1)))


# Helpers


def _unwrap(text: str, prefix: bytes, codec: str) -> bytes:
    data = multibase_decode(text)
    if not data.startswith(prefix):
        raise DidKeyError(f"{_show(text)} is not an {codec} Multikey (multicodec prefix {data[:2].hex()})")
    if len(data) != len(prefix) + _KEY_SIZE:
        raise DidKeyError(
            f"{_show(text)}: an {codec} key has {_KEY_SIZE} bytes, not {len(data) - len(prefix)}"
        )
    return data[len(prefix) :]


def _public_bytes(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise DidKeyError(f"{type(key).__name__} is not an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _ed25519_public(raw: bytes) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:  # pragma: no cover - 32 bytes are always accepted today
        raise DidKeyError(f"not an Ed25519 public key: {error}") from None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
