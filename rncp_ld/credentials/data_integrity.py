"""Data Integrity proofs ``eddsa-rdfc-2022``: Ed25519 over RDFC-1.0, keys as ``did:key``.

The W3C algorithms (VC Data Integrity 1.0 §4, ``vc-di-eddsa`` §3.2), exactly:

* the *proof configuration* is the proof options (the proof without ``proofValue``) with the
  **document's** ``@context`` set as its own;
* each of it and the document (without its ``proof``) is turned into RDF (JSON-LD, offline,
  safe mode: :mod:`.jsonld`), canonicalized with RDFC-1.0 (:mod:`.rdfc`) and hashed with SHA-256;
* the Ed25519 signature is over ``SHA-256(canonical proof configuration) ||
  SHA-256(canonical document)``, and ``proofValue`` is its Multibase base58btc (``z…``).

:func:`add_proof` signs; a document that already has proofs gets one more (a *proof set*), or
one that also secures earlier proofs named by ``previous_proof`` (a *proof chain*).
:func:`verify_proof` verifies a document with exactly one proof, strictly: the proof is a
``DataIntegrityProof`` of ``eddsa-rdfc-2022`` with every required member, for the expected
purpose, not expired, its ``proofValue`` 64 bytes of base58btc, its verification method
resolved offline (``did:key`` by default) to an Ed25519 key. :func:`verify_proofs` verifies
every proof of a set or chain. :func:`hash_data` exposes the intermediate values (canonical
forms and hashes) that the W3C test vectors list.

A proof may carry its own ``@context`` only if it is the start of the document's (the check
``eddsa-jcs-2022`` makes); the specification then replaces it with the document's anyway.
Verification tells *that* the key of ``verificationMethod`` signed the document; whether that
key's ``controller`` may speak for the credential's ``issuer`` is the caller's decision
(:attr:`VerifiedProof.controller`).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, RncpLdError
from ._pki import SignatureError
from .did_key import DidKeyError, VerificationMethod, did_key_resolver, multibase_decode, multibase_encode
from .jsonld import Contexts, UnsafeJsonLdError, to_nquads

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "CRYPTOSUITE",
    "PROOF_TYPE",
    "HashData",
    "SignatureError",
    "VerifiedProof",
    "add_proof",
    "hash_data",
    "verify_proof",
    "verify_proofs",
]

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
_SIGNATURE_SIZE = 64
_REQUIRED = ("type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue")
_DATE_TIME_STAMP = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})T(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d+))?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})"
)

Resolver = Callable[[str], VerificationMethod]
"""Verification method URL → its key (:func:`~.did_key.did_key_resolver` by default)."""


@dataclass(frozen=True, slots=True)
class HashData:
    """The intermediate values of an ``eddsa-rdfc-2022`` signature."""

    canonical_proof_config: str
    """The proof configuration in canonical N-Quads."""
    canonical_document: str
    """The document without its proof (or with only the earlier proofs it chains) in canonical N-Quads."""
    proof_config_hash: bytes
    """SHA-256 of :attr:`canonical_proof_config`."""
    document_hash: bytes
    """SHA-256 of :attr:`canonical_document`."""

    @property
    def data(self) -> bytes:
        """What is signed: proof configuration hash, then document hash (64 bytes)."""
        return self.proof_config_hash + self.document_hash


@dataclass(frozen=True, slots=True)
class VerifiedProof:
    """A proof that verified."""

    verification_method: str
    """The ``verificationMethod`` URL whose key checked the signature."""
    controller: str
    """Who controls that key (for a ``did:key``, the DID); compare it with the issuer."""
    public_key: Ed25519PublicKey
    """The key that checked the signature."""
    proof_purpose: str
    """``proofPurpose`` (the one expected)."""
    created: datetime | None
    """``created``, if the proof has one: claimed by the signer, not time-stamped."""
    expires: datetime | None
    """``expires``, if the proof has one (verification refuses it once past)."""
    id: str | None
    """The proof's ``id``, if any (proof sets and chains)."""
    previous_proof: tuple[str, ...]
    """The ``previousProof`` ids this proof also secures (a proof chain)."""
    proof: Mapping[str, Any]
    """The proof object as found in the document."""
    document: dict[str, Any]
    """The document without its ``proof``: what was verified."""


# Signing


def add_proof(
    document: Mapping[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: datetime,
    contexts: Contexts,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    resolve: Resolver = did_key_resolver,
    limits: Any = None,
) -> dict[str, Any]:
    """A copy of ``document`` secured with an ``eddsa-rdfc-2022`` proof by ``key``.

    A document without ``proof`` gets one proof object. One that has proofs keeps them and the
    new one is added to the list (a proof set); ``previous_proof`` names earlier proofs (by
    ``id``) that the new one secures along with the document (a proof chain).

    Args:
        document: a JSON-LD document with an ``@context`` (e.g. a VC 2.0 credential).
        key: the Ed25519 signing key.
        verification_method: the URL of the key's verification method; ``resolve`` must give
            ``key``'s public key for it (a ``did:key`` URL by default: ``did:key:z6Mk…#z6Mk…``).
        created: the proof's ``created`` (time-zone aware; written in UTC, to the second).
        contexts: the local JSON-LD contexts (:func:`~.jsonld.load_contexts`).
        proof_purpose: ``proofPurpose``.
        proof_id: the proof's ``id`` (needed for a proof that others will chain).
        previous_proof: ``previousProof``.
        limits: work limits of RDFC-1.0 (:func:`~.rdfc.canonize_nquads`).

    Raises:
        ConfigError: a bad argument (key, time, verification method, previous proof), or a
            context without a local copy.
        UnsafeJsonLdError: the document is not valid JSON-LD or some of it would not be signed.
        CanonicalizationError: RDFC-1.0 exceeded its work limits.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{type(key).__name__} is not an Ed25519 private key", expected="an Ed25519 key")
    if not isinstance(document, Mapping):
        raise ConfigError("the document is not a JSON object")
    for name, value in (("verification_method", verification_method), ("proof_purpose", proof_purpose)):
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{name} must be a non-empty string")
    try:
        method = resolve(verification_method)
    except DidKeyError as error:
        raise ConfigError(f"verification method: {error.message}") from None
    if not _same_key(method.public_key, key.public_key()):
        raise ConfigError(f"the signing key is not the key of {verification_method}")

    all_proofs = _proof_list(document.get("proof"), ConfigError)
    previous = _previous(previous_proof, ConfigError) if previous_proof is not None else ()
    ids = [p.get("id") for p in all_proofs]
    if proof_id is not None and (not isinstance(proof_id, str) or proof_id in ids):
        raise ConfigError(f"proof id {proof_id!r} is not a string or is already used by a proof")
    unknown = [i for i in previous if i not in ids]
    if unknown:
        raise ConfigError(f"previous proof(s) {unknown} not found in the document")

    options: dict[str, Any] = {"type": PROOF_TYPE}
    if proof_id is not None:
        options["id"] = proof_id
    options["cryptosuite"] = CRYPTOSUITE
    options["created"] = _utc_text(created)
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    if previous_proof is not None:
        options["previousProof"] = previous_proof if isinstance(previous_proof, str) else list(previous)

    unsecured = _without_proof(document)
    matching = [copy.deepcopy(p) for p in all_proofs if p.get("id") in previous]
    if matching:
        unsecured["proof"] = matching
    hashed = hash_data(unsecured, options, contexts=contexts, limits=limits)
    proof = {**options, "proofValue": multibase_encode(key.sign(hashed.data))}

    output = _without_proof(document)
    output["proof"] = [copy.deepcopy(p) for p in all_proofs] + [proof] if all_proofs else proof
    return output


def hash_data(
    unsecured_document: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    *,
    contexts: Contexts,
    limits: Any = None,
) -> HashData:
    """Canonical proof configuration and document, and their hashes (``vc-di-eddsa`` §3.2.3-3.2.5).

    ``proof_options`` is the proof without ``proofValue``; its ``@context`` becomes the
    document's. ``unsecured_document`` is hashed as given (without ``proof``, or with only the
    proofs a chain secures).

    Raises:
        ConfigError: options of another proof type or cryptosuite, a document without
            ``@context``, a context without a local copy.
        UnsafeJsonLdError: invalid JSON-LD, or data that would not be signed.
        CanonicalizationError: RDFC-1.0 exceeded its work limits.
    """
    if proof_options.get("type") != PROOF_TYPE or proof_options.get("cryptosuite") != CRYPTOSUITE:
        raise ConfigError(
            f"proof options of type {proof_options.get('type')!r}, cryptosuite {proof_options.get('cryptosuite')!r}",
            expected=f"{PROOF_TYPE} with {CRYPTOSUITE}",
        )
    if "created" in proof_options:
        _parse_time(proof_options["created"], "created", ConfigError)
    context = unsecured_document.get("@context")
    if not context:
        raise ConfigError(
            "the document has no @context", expected="a JSON-LD document (VC 2.0 context first)"
        )
    config = {k: copy.deepcopy(v) for k, v in proof_options.items() if k not in ("proofValue", "@context")}
    config["@context"] = copy.deepcopy(context)
    canonical_config = _canonize(to_nquads(config, contexts), limits)
    canonical_document = _canonize(to_nquads(unsecured_document, contexts), limits)
    return HashData(
        canonical_proof_config=canonical_config,
        canonical_document=canonical_document,
        proof_config_hash=hashlib.sha256(canonical_config.encode("utf-8")).digest(),
        document_hash=hashlib.sha256(canonical_document.encode("utf-8")).digest(),
    )


# Verification


def verify_proof(
    document: Mapping[str, Any],
    *,
    contexts: Contexts,
    resolve: Resolver = did_key_resolver,
    expected_purpose: str = "assertionMethod",
    domain: str | Sequence[str] | None = None,
    challenge: str | None = None,
    now: datetime | None = None,
    limits: Any = None,
) -> VerifiedProof:
    """Verify a document secured with one ``eddsa-rdfc-2022`` proof.

    A document whose ``proof`` is a list (a proof set or chain) is refused here: use
    :func:`verify_proofs`, which verifies every proof of it.

    Args:
        contexts: the local JSON-LD contexts; any other context is refused, never fetched.
        resolve: verification method URL → key (``did:key`` only, offline, by default).
        expected_purpose: the ``proofPurpose`` required.
        domain, challenge: when given, the proof's ``domain`` / ``challenge`` must match.
        now: the time of verification, for ``expires`` (default: the current time).
        limits: work limits of RDFC-1.0.

    Raises:
        SignatureError: the proof is missing, malformed, of an unsupported type or cryptosuite,
            for another purpose, expired, its key unresolvable or not Ed25519, the document
            not signable as is (invalid JSON-LD, data outside the signature), or the signature
            does not verify (tampered document or proof, another key).
        ContextUnavailableError: a context without a local copy (a ``ConfigError``).
        CanonicalizationError: RDFC-1.0 exceeded its work limits.
    """
    if not isinstance(document, Mapping):
        raise SignatureError("the document is not a JSON object")
    if "proof" not in document:
        raise SignatureError("the document has no proof")
    proof = document["proof"]
    if isinstance(proof, list):
        raise SignatureError(
            f"the document has a proof set of {len(proof)} proof(s)",
            expected="one proof (verify_proofs for sets)",
        )
    return _verify(
        _without_proof(document),
        proof,
        document,
        contexts=contexts,
        resolve=resolve,
        expected_purpose=expected_purpose,
        domain=domain,
        challenge=challenge,
        now=now,
        limits=limits,
    )


def verify_proofs(
    document: Mapping[str, Any],
    *,
    contexts: Contexts,
    resolve: Resolver = did_key_resolver,
    expected_purpose: str = "assertionMethod",
    domain: str | Sequence[str] | None = None,
    challenge: str | None = None,
    now: datetime | None = None,
    limits: Any = None,
) -> tuple[VerifiedProof, ...]:
    """Verify every proof of a document: one proof, a proof set or a proof chain (DI §4.5).

    Each proof is checked against the document without its proofs plus the earlier proofs its
    ``previousProof`` names, which must exist (ids are unique; a proof cannot name itself).
    All must verify. Arguments and errors are those of :func:`verify_proof`.
    """
    if not isinstance(document, Mapping):
        raise SignatureError("the document is not a JSON object")
    if "proof" not in document:
        raise SignatureError("the document has no proof")
    all_proofs = _proof_list(document["proof"], SignatureError)
    if not all_proofs:
        raise SignatureError("the document has an empty proof set")
    ids = [p["id"] for p in all_proofs if "id" in p]
    if len(ids) != len(set(map(repr, ids))):
        raise SignatureError("two proofs have the same id")
    results = []
    for index, proof in enumerate(all_proofs):
        previous = _previous(proof["previousProof"], SignatureError) if "previousProof" in proof else ()
        if proof.get("id") in previous:
            raise SignatureError(f"proof {index + 1} names itself as previous proof")
        unknown = [i for i in previous if i not in ids]
        if unknown:
            raise SignatureError(f"proof {index + 1}: previous proof(s) {unknown} not found in the document")
        unsecured = _without_proof(document)
        matching = [copy.deepcopy(p) for p in all_proofs if p.get("id") in previous]
        if matching:
            unsecured["proof"] = matching
        try:
            results.append(
                _verify(
                    unsecured,
                    proof,
                    document,
                    contexts=contexts,
                    resolve=resolve,
                    expected_purpose=expected_purpose,
                    domain=domain,
                    challenge=challenge,
                    now=now,
                    limits=limits,
                )
            )
        except SignatureError as error:
            if len(all_proofs) == 1:
                raise
            raise SignatureError(f"proof {index + 1} of {len(all_proofs)}: {error.message}") from error
    return tuple(results)


def _verify(
    unsecured: dict[str, Any],
    proof: Any,
    document: Mapping[str, Any],
    *,
    contexts: Contexts,
    resolve: Resolver,
    expected_purpose: str,
    domain: str | Sequence[str] | None,
    challenge: str | None,
    now: datetime | None,
    limits: Any,
) -> VerifiedProof:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(proof, Mapping):
        raise SignatureError("the proof is not a JSON object")
    if "type" in proof and proof["type"] != PROOF_TYPE:
        raise SignatureError(f"proof type {proof['type']!r} is not supported", expected=PROOF_TYPE)
    missing = [name for name in _REQUIRED if name not in proof]
    if missing:
        raise SignatureError(f"the proof has no {', '.join(missing)}")
    for name in _REQUIRED:
        if not isinstance(proof[name], str):
            raise SignatureError(f"the proof's {name} is not a string")
    if proof["cryptosuite"] != CRYPTOSUITE:
        raise SignatureError(f"cryptosuite {proof['cryptosuite']!r} is not supported", expected=CRYPTOSUITE)
    if proof["proofPurpose"] != expected_purpose:
        raise SignatureError(f"the proof is for {proof['proofPurpose']!r}", expected=expected_purpose)
    if domain is not None:
        wanted = {domain} if isinstance(domain, str) else set(domain)
        found = proof.get("domain")
        found_set = {found} if isinstance(found, str) else set(found) if isinstance(found, list) else None
        if found_set != wanted:
            raise SignatureError(f"the proof's domain {found!r} is not the expected one")
    if challenge is not None and proof.get("challenge") != challenge:
        raise SignatureError("the proof's challenge is not the expected one")
    created = _parse_time(proof["created"], "created", SignatureError) if "created" in proof else None
    expires = _parse_time(proof["expires"], "expires", SignatureError) if "expires" in proof else None
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ConfigError("now must be a time-zone aware datetime")
    if expires is not None and expires <= (now or datetime.now(timezone.utc)):
        raise SignatureError(f"the proof expired at {proof['expires']}")
    previous = _previous(proof["previousProof"], SignatureError) if "previousProof" in proof else ()
    if "id" in proof and not isinstance(proof["id"], str):
        raise SignatureError("the proof's id is not a string")
    if "@context" in proof:
        _check_proof_context(proof["@context"], document.get("@context"))

    try:
        signature = multibase_decode(proof["proofValue"])
    except DidKeyError as error:
        raise SignatureError(f"proofValue: {error.message}") from None
    if len(signature) != _SIGNATURE_SIZE:
        raise SignatureError(f"proofValue has {len(signature)} bytes, not {_SIGNATURE_SIZE}")

    try:
        method = resolve(proof["verificationMethod"])
    except DidKeyError as error:
        raise SignatureError(f"verification method: {error.message}") from None
    if method.id != proof["verificationMethod"]:
        raise SignatureError(f"the resolver returned {method.id}, not {proof['verificationMethod']}")
    if not isinstance(method.public_key, Ed25519PublicKey):
        raise SignatureError(
            f"the key of {method.id} is not an Ed25519 key ({type(method.public_key).__name__})"
        )

    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        hashed = hash_data(unsecured, options, contexts=contexts, limits=limits)
    except UnsafeJsonLdError as error:
        raise SignatureError(f"the document cannot be verified as signed: {error.message}") from error
    except ConfigError as error:
        if type(error) is ConfigError:  # not a missing context: a malformed document
            raise SignatureError(error.message) from error
        raise
    try:
        method.public_key.verify(signature, hashed.data)
    except InvalidSignature:
        raise SignatureError(
            f"the signature does not verify with {method.id} (the document or its proof was changed, "
            "or another key signed it)"
        ) from None
    return VerifiedProof(
        verification_method=method.id,
        controller=method.controller,
        public_key=method.public_key,
        proof_purpose=proof["proofPurpose"],
        created=created,
        expires=expires,
        id=proof.get("id"),
        previous_proof=previous,
        proof=copy.deepcopy(dict(proof)),
        document=_without_proof(document),
    )


# Helpers


def _canonize(nquads: str, limits: Any = None) -> str:
    """RDFC-1.0 canonical N-Quads of the JSON-LD processor's output, within ``limits``."""
    from .rdfc import DEFAULT_LIMITS, canonize_nquads

    return canonize_nquads(nquads, limits=DEFAULT_LIMITS if limits is None else limits)


def _without_proof(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}


def _proof_list(value: Any, error: type[RncpLdError]) -> list[dict[str, Any]]:
    if value is None:
        return []
    proofs = value if isinstance(value, list) else [value]
    for proof in proofs:
        if not isinstance(proof, dict):
            raise error("a proof is not a JSON object")
    return proofs


def _previous(value: Any, error: type[RncpLdError]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise error("previousProof must be a proof id or a non-empty list of them")


def _check_proof_context(proof_context: Any, document_context: Any) -> None:
    own = proof_context if isinstance(proof_context, list) else [proof_context]
    theirs = document_context if isinstance(document_context, list) else [document_context]
    if own != theirs[: len(own)]:
        raise SignatureError("the proof's @context is not the start of the document's @context")


def _same_key(public: Any, other: Ed25519PublicKey) -> bool:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(public, Ed25519PublicKey):
        return False
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    return bool(public.public_bytes(*raw) == other.public_bytes(*raw))


def _utc_text(moment: datetime) -> str:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ConfigError("created must be a time-zone aware datetime")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: Any, name: str, error: type[RncpLdError]) -> datetime:
    """An XML Schema ``dateTimeStamp`` (a time zone is required)."""
    match = _DATE_TIME_STAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise error(f"{name} {value!r} is not a date and time with a time zone (YYYY-MM-DDThh:mm:ssZ)")
    zone = "+00:00" if match["tz"] == "Z" else match["tz"]
    fraction = (match["f"] or "")[:6].ljust(6, "0")
    try:
        return datetime.fromisoformat(
            f"{match['y']}-{match['mo']}-{match['d']}T{match['h']}:{match['mi']}:{match['s']}.{fraction}{zone}"
        )
    except ValueError:
        raise error(f"{name} {value!r} is not a valid date and time") from None
