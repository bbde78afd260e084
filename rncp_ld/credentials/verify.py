"""The ``verify`` job: is each sealed credential authentic, anchored, its issuer's, conformant and valid now?

Each file is recognised by its content (:data:`KINDS`): a JAdES seal of an EDC JSON-LD
credential (JWS JSON with ``payload`` and ``signatures``), a Europass XML credential or
presentation with its XAdES seal, or a VC 2.0 JSON-LD credential with a Data Integrity
``proof``. Then, in order, five layers:

1. ``signature``: the seal verifies strictly (:func:`.jades.verify`, :func:`.xades.verify_xml`,
   :func:`.data_integrity.verify_proof`); when it does not, nothing in the file is
   believed and no other layer runs.
2. ``trust``: the signing certificate chains to a ``--trust`` anchor, every certificate of the
   path valid at the signing time (``sigT`` / ``SigningTime``, a claim of the signer: baseline
   B has no time-stamp) and still valid at the verification time (``at``, default now). No
   anchor given means not trusted: such a credential does not pass.
3. ``issuer``: the credential's issuer is the certificate's subject: its eIDAS identifier
   (XML: its ``registration``) is the ``organizationIdentifier``, its legal name the ``O``.
4. ``conformance``: EDC JSON-LD against the official EDC shapes (``EDC-generic-no-cv.ttl`` +
   ``EDC-generic-full.ttl``, expanded offline with the official contexts), Europass XML against
   the Europass XML Schema. Artefacts come from the user's paths or from the local cache of
   their official URLs (:mod:`rncp_ld.artefacts`); one that is not available makes the
   credential *unusable*, never silently skipped.
5. ``validity``: ``validFrom``/``issuanceDate`` not after ``at``; ``validUntil``/``expirationDate``
   not before it.

Each credential gives a :class:`CredentialResult`: ``ok``, ``failed`` (with every reason) or
``unusable`` (the file or an artefact could not be used). :attr:`Verification.exit_code` is 0
when all are ok, 1 when one failed, 2 when one was unusable.

Bounds: a file larger than :data:`MAX_BYTES` is refused before it is parsed; XML is parsed
without DTD or entities; JSON nesting too deep is refused; VC 2.0 canonicalization runs
under the work limits of :mod:`.rdfc` and its refusal is reported as such.
"""

from __future__ import annotations

import enum
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, RncpLdError
from ..report import Issue, Severity

if TYPE_CHECKING:
    from cryptography import x509
    from lxml import etree

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "CredentialResult",
    "Kind",
    "Status",
    "Verification",
    "load_anchors",
    "parse_moment",
    "verify",
]

MAX_BYTES = 32 * 1024 * 1024
"""Larger files are refused unread: a credential with its rendered pages is well under 1 MB."""

LAYERS = ("input", "signature", "trust", "issuer", "conformance", "validity")
"""The layers, in the order they run; every issue ``type`` belongs to one (:data:`TYPES`)."""

TYPES: dict[str, str] = {
    "unreadable": "input",
    "not-a-credential": "input",
    "too-large": "input",
    "unsupported": "input",
    "not-sealed": "signature",
    "bad-signature": "signature",
    "canonicalization-limit": "signature",
    "context-unavailable": "signature",
    "untrusted-certificate": "trust",
    "certificate-expired": "trust",
    "certificate-not-yet-valid": "trust",
    "issuer-mismatch": "issuer",
    "not-conformant": "conformance",
    "conformance-unavailable": "conformance",
    "not-yet-valid": "validity",
    "expired": "validity",
    "bad-date": "validity",
}
"""Issue type → layer. ``unreadable``, ``too-large``, ``unsupported``, ``not-a-credential``,
``context-unavailable`` and ``conformance-unavailable`` make a credential *unusable*; the others
make it *failed*."""

_UNUSABLE = frozenset(
    {
        "unreadable",
        "too-large",
        "unsupported",
        "not-a-credential",
        "context-unavailable",
        "conformance-unavailable",
    }
)


class Status(str, enum.Enum):
    """The outcome of one credential."""

    OK = "ok"
    FAILED = "failed"
    UNUSABLE = "unusable"


@dataclass(slots=True)
class CredentialResult:
    """What the verification of one file found."""

    path: str
    kind: str | None = None
    """A :data:`KINDS` name (``jades``, ``xades``, ``data-integrity``), None when unrecognised."""
    label: str | None = None
    """The kind for people: ``JAdES JSON-LD``, ``XAdES XML``, ``VC 2.0 Data Integrity``."""
    algorithm: str | None = None
    """``ES256``, ``RS256``, ``ecdsa-sha256``, ``eddsa-rdfc-2022``…"""
    signature_valid: bool = False
    """The seal verified: the content is what its key signed."""
    trusted: bool = False
    """The certificate chains to a trust anchor, valid at signing and verification time."""
    signer: str | None = None
    """The certificate's subject (``O=… (organizationIdentifier)``) or the verification method."""
    signed: str | None = None
    """The claimed signing time, ``YYYY-MM-DDThh:mm:ssZ``."""
    credential_id: str | None = None
    checked: list[str] = field(default_factory=list)
    """The layers that ran and passed."""
    unverified: tuple[str, ...] = ()
    """Seal components present but not validated (time-stamps, validation data of LT/LTA seals)."""
    issues: list[Issue] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if any(i.type in _UNUSABLE for i in self.issues):
            return Status.UNUSABLE
        return Status.FAILED if self.issues else Status.OK

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def fail(self, type: str, message: str, **facts: str | None) -> None:
        """Record a problem of ``type`` (a :data:`TYPES` key)."""
        assert type in TYPES, type
        self.issues.append(Issue(type, message, Severity.ERROR, self.path, **facts))

    def passed(self, layer: str) -> None:
        if not any(TYPES[i.type] == layer for i in self.issues):
            self.checked.append(layer)

    def reasons(self) -> list[str]:
        """One reason per problem, shape violations grouped into one."""
        reasons: list[str] = []
        violations = [i for i in self.issues if i.type == "not-conformant" and i.focus is not None]
        for issue in self.issues:
            if issue in violations:
                if issue is violations[0]:
                    shown = "; ".join(_violation(v) for v in violations[:3])
                    more = f"; and {len(violations) - 3} more" if len(violations) > 3 else ""
                    count = f"{len(violations)} violation{'s' if len(violations) > 1 else ''}"
                    reasons.append(f"not conformant to the EDC shapes ({count}): {shown}{more}")
                continue
            reasons.append(issue.message)
        return reasons

    def context(self) -> str:
        """``(kind, alg, signature valid, signer …, signed …)``: what is known of the seal."""
        parts = [p for p in (self.label, self.algorithm) if p]
        if self.signature_valid and not self.ok:
            parts.append("signature valid")
        if self.signer:
            parts.append(f"signer {self.signer}")
        if self.signed:
            parts.append(f"signed {self.signed}")
        if self.unverified:
            parts.append(f"not validated: {', '.join(self.unverified)}")
        return f" ({', '.join(parts)})" if parts else ""

    def line(self) -> str:
        """``PATH: OK (…)``, ``PATH: FAILED: reason; reason (…)`` or ``PATH: UNUSABLE: reason (…)``."""
        if self.ok:
            return f"{self.path}: OK{self.context()}"
        word = "UNUSABLE" if self.status is Status.UNUSABLE else "FAILED"
        return f"{self.path}: {word}: {'; '.join(self.reasons())}{self.context()}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping, keys in a stable order."""
        return {
            "path": self.path,
            "status": self.status.value,
            "kind": self.kind,
            "algorithm": self.algorithm,
            "signature_valid": self.signature_valid,
            "trusted": self.trusted,
            "signer": self.signer,
            "signed": self.signed,
            "credential_id": self.credential_id,
            "checked": list(self.checked),
            "unverified": list(self.unverified),
            "reasons": self.reasons(),
            "issues": [{"layer": TYPES[i.type], **i.to_dict()} for i in self.issues],
        }


def _violation(issue: Issue) -> str:
    """``cred:issued: Less than 1 values`` (the focus node only when there is no path)."""
    where = _compact(issue.path) if issue.path else issue.focus
    return f"{where}: {issue.message}" if where else issue.message


def _compact(text: str) -> str:
    """IRIs of the credential vocabularies shortened to prefixed names."""
    from ..namespaces import PREFIXES

    known = {"cred": "https://www.w3.org/2018/credentials#", **{p: str(n) for p, n in PREFIXES.items()}}
    for prefix, namespace in sorted(known.items(), key=lambda item: -len(item[1])):
        text = text.replace(namespace, prefix + ":")
    return text


@dataclass(slots=True)
class Verification:
    """The results of a run, one per file, in the order given."""

    results: list[CredentialResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 every credential passed, 1 one failed, 2 one could not be checked."""
        statuses = {r.status for r in self.results}
        if Status.UNUSABLE in statuses:
            return 2
        return 1 if Status.FAILED in statuses else 0

    def to_list(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.results]

    def to_json(self) -> str:
        return json.dumps(self.to_list(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        return "".join(r.line() + "\n" for r in self.results)


# Inputs


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date and time; without a time zone it is UTC.

    Raises:
        ConfigError: not a date.
    """
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{text!r} is not a date and time", expected="ISO 8601, e.g. 2024-06-30T12:00:00Z"
        ) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def load_anchors(paths: Iterable[str | Path]) -> list[x509.Certificate]:
    """The trust anchors in ``paths``: PEM files (one or more certificates each) or DER.

    Raises:
        ConfigError: a file is missing or holds no certificate.
    """
    from cryptography import x509

    anchors: list[x509.Certificate] = []
    for path in map(Path, paths):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ConfigError(f"cannot read the trust anchor: {error.strerror}", source=str(path)) from None
        try:
            if b"-----BEGIN" in data:
                anchors.extend(x509.load_pem_x509_certificates(data))
            else:
                anchors.append(x509.load_der_x509_certificate(data))
        except ValueError:
            raise ConfigError(
                "no readable certificate", source=str(path), expected="a PEM or DER X.509 certificate"
            ) from None
    return anchors


# Artefacts


@dataclass
class _Artefacts:
    """Conformance artefacts, loaded on first use; a failure to load is kept and reported per credential."""

    edc_shapes: tuple[str, ...] = ()
    xsd: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    allow_network: bool | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    def _get(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._cache:
            try:
                self._cache[name] = load()
            except RncpLdError as error:
                self._cache[name] = error
        value = self._cache[name]
        if isinstance(value, RncpLdError):
            raise value
        return value

    def shapes(self) -> Any:
        def load() -> Any:
            from ..artefacts import locate_all
            from ..validation.shapes import load_shapes

            return load_shapes(locate_all("edc-shapes", self.edc_shapes, allow_network=self.allow_network))

        return self._get("edc-shapes", load)

    def jsonld_contexts(self) -> Mapping[str, Any]:
        def load() -> Any:
            from .contexts import load_contexts

            named = _named_contexts(self.contexts)
            return load_contexts(
                edc_context=named.get("edc-context", ()),
                credentials_v1=named.get("credentials-v1", ()),
                allow_network=self.allow_network,
            )

        return self._get("contexts", load)

    def vc2_contexts(self) -> Any:
        """The :class:`.jsonld.Contexts` of VC 2.0 documents (missing defaults are refused when used)."""

        def load() -> Any:
            from .contexts import EDC_CONTEXT_URL
            from .jsonld import load_contexts

            named = _named_contexts(self.contexts)
            edc = named.get("edc-context", ())
            return load_contexts(
                credentials_v2=named.get("credentials-v2", ()),
                credentials_v1=named.get("credentials-v1", ()),
                ob3=named.get("ob3", ()),
                extra={EDC_CONTEXT_URL: edc[0]} if edc else None,
                allow_network=self.allow_network,
            )

        return self._get("vc2-contexts", load)

    def schema(self) -> tuple[etree.XMLSchema, str]:
        def load() -> Any:
            from ..artefacts import locate_all
            from ..validation.xsd import load_schema

            path = locate_all("europass-xsd", self.xsd, allow_network=self.allow_network)[0]
            return load_schema(path), path.name

        return self._get("xsd", load)  # type: ignore[no-any-return]


_CONTEXT_TERMS = (
    ("edc-context", "EuropeanDigitalCredential"),
    ("ob3", "OpenBadgeCredential"),
    ("credentials-v2", "EnvelopedVerifiableCredential"),
    ("credentials-v1", "VerifiableCredential"),
)
"""How a context file given by the user is recognised: a term only that context defines."""


def _named_contexts(paths: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The user's context files by artefact name, each recognised by the terms it defines."""
    named: dict[str, tuple[str, ...]] = {}
    for ref in paths:
        try:
            document = json.loads(Path(ref).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ConfigError(f"cannot read the JSON-LD context: {error}", source=ref) from None
        terms = document.get("@context") if isinstance(document, dict) else None
        name = next((n for n, term in _CONTEXT_TERMS if isinstance(terms, dict) and term in terms), None)
        if name is None:
            raise ConfigError(
                "not a context rncp-ld knows",
                source=ref,
                expected="a copy of the W3C credentials v1 or v2, ELM edc-ap or Open Badges 3.0 context",
            )
        named[name] = (*named.get(name, ()), ref)
    return named


# Kinds


@dataclass(frozen=True, slots=True)
class _Input:
    """A file read and sniffed: its bytes, and its JSON value or XML root name."""

    path: str
    data: bytes
    json: Any = None
    xml_root: str | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of sealed credential: how to recognise it, what to call it, how to check it."""

    name: str
    label: str
    matches: Callable[[_Input], bool]
    check: Callable[[_Input, CredentialResult, _Run], None]


@dataclass
class _Run:
    anchors: list[x509.Certificate] | None
    at: datetime
    artefacts: _Artefacts
    conformance: bool


def _is_jades(item: _Input) -> bool:
    return isinstance(item.json, dict) and "payload" in item.json


_XML_ROOTS = frozenset(
    {"{http://data.europa.eu/snb}europassCredential", "{http://data.europa.eu/snb/vp}verifiablePresentation"}
)


def _is_xades(item: _Input) -> bool:
    return item.xml_root in _XML_ROOTS


def _is_data_integrity(item: _Input) -> bool:
    return isinstance(item.json, dict) and "proof" in item.json


def _check_jades(item: _Input, result: CredentialResult, run: _Run) -> None:
    from . import jades

    try:
        verified = jades.verify(item.data)
    except jades.SignatureError as error:
        result.fail("bad-signature", f"bad seal: {error}")
        return
    result.algorithm = verified.algorithm
    result.unverified = verified.unverified
    _signed_by(result, verified.certificate, verified.signing_time)
    result.passed("signature")
    _trust(result, run, verified.certificate, verified.chain, verified.signing_time)
    try:
        credential = _strict_json(verified.payload)
    except ValueError as error:
        result.fail("not-conformant", f"the signed payload is not a JSON object ({error})")
        return
    result.credential_id = _text(credential.get("id"))
    _json_issuer(result, credential, verified.certificate)
    if run.conformance:
        _edc_conformance(result, run, credential)
    _dates(result, run.at, {name: credential.get(name) for name in _JSON_DATES})


def _check_xades(item: _Input, result: CredentialResult, run: _Run) -> None:
    from . import xades

    try:
        verified = xades.verify_xml(item.data)
    except xades.SignatureError as error:
        result.fail("bad-signature", f"bad seal: {error}")
        return
    result.algorithm = verified.algorithm.rsplit("#", 1)[-1]
    result.unverified = verified.unverified
    _signed_by(result, verified.certificate, verified.signing_time)
    result.passed("signature")
    _trust(result, run, verified.certificate, verified.chain, verified.signing_time)
    root = verified.root
    credential = (
        root if root.tag == f"{{{_SNB}}}europassCredential" else root.find(f"{{{_SNB}}}europassCredential")
    )
    if credential is not None:
        result.credential_id = credential.get(f"{{{_CRED}}}id")
    _xml_issuer(result, root, verified.certificate)
    if run.conformance:
        _xsd_conformance(result, run, verified.document)
    dates: dict[str, Any] = {}
    if credential is not None:
        for name in ("validFrom", "validUntil", "expirationDate"):
            found = credential.find(f"{{{_CRED}}}{name}")
            if found is not None:
                dates[name] = (found.text or "").strip()
    _dates(result, run.at, dates)


def _check_data_integrity(item: _Input, result: CredentialResult, run: _Run) -> None:
    try:
        from . import data_integrity
        from .jsonld import ContextUnavailableError
        from .rdfc import CanonicalizationError
    except ImportError:  # pragma: no cover - an installation without them
        result.fail(
            "unsupported", "VC 2.0 Data Integrity proofs cannot be checked by this version of rncp-ld"
        )
        return
    try:
        document = _strict_json(item.data)
    except ValueError as error:
        result.fail("bad-signature", f"bad proof: the document is refused ({error})")
        return
    try:
        contexts = run.artefacts.vc2_contexts()
    except RncpLdError as error:
        result.fail("context-unavailable", f"cannot check the proof: {error}")
        return
    proof = document.get("proof")
    if isinstance(proof, dict) and isinstance(proof.get("cryptosuite"), str):
        result.algorithm = proof["cryptosuite"][:40]
    try:
        verified = data_integrity.verify_proof(document, contexts=contexts, now=run.at)
    except CanonicalizationError as error:
        result.fail("canonicalization-limit", f"bad proof: {error.message}")
        return
    except ContextUnavailableError as error:
        result.fail(
            "context-unavailable", f"cannot check the proof: {error.message} (give it with --context)"
        )
        return
    except RncpLdError as error:  # SignatureError, and what the JSON-LD and key layers raise
        result.fail("bad-signature", f"bad proof: {error}")
        return
    result.signature_valid = True
    result.signer = verified.verification_method
    if verified.created is not None:
        result.signed = _utc_text(verified.created)
    result.passed("signature")
    anchor = _key_anchor(run, verified.public_key)
    if run.anchors is None:
        result.fail("untrusted-certificate", "key not trusted (no --trust given)")
    elif anchor is None:
        result.fail(
            "untrusted-certificate",
            f"key not trusted: {verified.controller} is not the key of a --trust certificate",
        )
    else:
        _signed_by(result, anchor, verified.created or run.at)
        _trust(result, run, anchor, (), verified.created or run.at)
    credential = verified.document
    result.credential_id = _text(credential.get("id"))
    _vc2_issuer(result, credential, verified.controller, anchor)
    if run.conformance:
        _vc2_conformance(result, credential)
    _dates(result, run.at, {name: credential.get(name) for name in ("validFrom", "validUntil")})


KINDS: tuple[Kind, ...] = (
    Kind("jades", "JAdES JSON-LD", _is_jades, _check_jades),
    Kind("xades", "XAdES XML", _is_xades, _check_xades),
    Kind("data-integrity", "VC 2.0 Data Integrity", _is_data_integrity, _check_data_integrity),
)
"""Every kind of sealed credential :func:`verify` knows, tried in order on each file."""


# Layers


_SNB = "http://data.europa.eu/snb"
_VP = "http://data.europa.eu/snb/vp"
_CRED = "http://data.europa.eu/europass/model/credentials/w3c#"
_JSON_DATES = ("validFrom", "issuanceDate", "validUntil", "expirationDate")


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _subject(certificate: x509.Certificate) -> tuple[str | None, str | None]:
    """(O, organizationIdentifier) of a certificate's subject."""
    from cryptography.x509.oid import NameOID

    from .keys import organization_identifier

    names = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return (str(names[0].value) if names else None), organization_identifier(certificate)


def _signed_by(result: CredentialResult, certificate: x509.Certificate, signing_time: datetime) -> None:
    result.signature_valid = True
    organisation, identifier = _subject(certificate)
    if organisation:
        result.signer = f"O={organisation}" + (f" ({identifier})" if identifier else "")
    else:
        result.signer = certificate.subject.rfc4514_string()
    result.signed = _utc_text(signing_time)


def _trust(
    result: CredentialResult,
    run: _Run,
    leaf: x509.Certificate,
    chain: Sequence[x509.Certificate],
    signing_time: datetime,
) -> None:
    """Anchored and valid at the signing time, every certificate of the seal valid at ``run.at``."""
    from ._pki import SignatureError, check_certificate

    current = True
    for certificate in (leaf, *chain):
        who = (
            "the certificate"
            if certificate is leaf
            else f"chain certificate {certificate.subject.rfc4514_string()}"
        )
        if run.at > certificate.not_valid_after_utc:
            result.fail(
                "certificate-expired",
                f"{who} expired on {_utc_text(certificate.not_valid_after_utc)} "
                f"(checked at {_utc_text(run.at)})",
            )
            current = False
        elif run.at < certificate.not_valid_before_utc:
            result.fail(
                "certificate-not-yet-valid",
                f"{who} is valid only from {_utc_text(certificate.not_valid_before_utc)} "
                f"(checked at {_utc_text(run.at)})",
            )
            current = False
    if run.anchors is None:
        result.fail("untrusted-certificate", "certificate not trusted (no --trust given)")
        return
    try:
        check_certificate(leaf, chain, signing_time=signing_time, trusted=run.anchors, at=signing_time)
    except SignatureError as error:
        result.fail("untrusted-certificate", f"certificate not trusted: {error}")
        return
    if current:
        try:
            check_certificate(leaf, chain, signing_time=signing_time, trusted=run.anchors, at=run.at)
        except SignatureError as error:
            result.fail("certificate-expired", f"trust path not valid now: {error}")
            return
        result.trusted = True
    result.passed("trust")


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _values(node: Any) -> list[str]:
    """The strings of a JSON-LD value: a string, a language map, a value object, or a list of them."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [v for item in node for v in _values(item)]
    if isinstance(node, dict):
        if "@value" in node:
            return _values(node["@value"])
        return [v for item in node.values() for v in _values(item)]
    return []


def _identity(
    result: CredentialResult,
    certificate: x509.Certificate,
    identifiers: list[str],
    names: list[str],
    what: str,
) -> None:
    """The issuer's identifiers hold the certificate's organizationIdentifier, its names its O."""
    organisation, identifier = _subject(certificate)
    before = len(result.issues)
    if identifier is None:
        result.fail("issuer-mismatch", "the certificate has no organizationIdentifier to identify the issuer")
    elif identifier not in [i.strip() for i in identifiers]:
        found = ", ".join(identifiers) if identifiers else "none"
        result.fail(
            "issuer-mismatch",
            f"the issuer's {what} ({found}) is not the certificate's organizationIdentifier {identifier}",
        )
    if organisation is None:
        result.fail("issuer-mismatch", "the certificate has no organisation name (O)")
    elif _normal(organisation) not in {_normal(n) for n in names}:
        found = ", ".join(repr(n) for n in names) if names else "none"
        result.fail(
            "issuer-mismatch",
            f"the issuer's legal name ({found}) is not the certificate's O {organisation!r}",
        )
    if len(result.issues) == before:
        result.passed("issuer")


def _json_issuer(
    result: CredentialResult, credential: Mapping[str, Any], certificate: x509.Certificate
) -> None:
    issuer = credential.get("issuer")
    if not isinstance(issuer, dict):
        result.fail(
            "issuer-mismatch", "the credential's issuer is not described (no eIDAS identifier, no legal name)"
        )
        return
    identifiers = issuer.get("eIDASIdentifier")
    notations = [
        v for node in (identifiers if isinstance(identifiers, list) else [identifiers])
        if isinstance(node, dict) for v in _values(node.get("notation"))
    ]  # fmt: skip
    _identity(result, certificate, notations, _values(issuer.get("legalName")), "eIDAS identifier")


def _xml_issuer(result: CredentialResult, root: etree._Element, certificate: x509.Certificate) -> None:
    """The sealer of an XML credential is its issuer organisation; of a presentation, ``vp:issuer``."""
    if root.tag == f"{{{_VP}}}verifiablePresentation":
        organisation = root.find(f"{{{_VP}}}issuer")
    else:
        reference = root.find(f"{{{_CRED}}}issuer")
        target = reference.get("idref") if reference is not None else None
        organisation = next(
            (
                o
                for o in root.iterfind(f"{{{_SNB}}}agentReferences/{{{_SNB}}}organization")
                if o.get("id") == target
            ),
            None,
        )
    if organisation is None:
        result.fail("issuer-mismatch", "the credential's issuer organisation is not in the document")
        return
    registrations = [(r.text or "").strip() for r in organisation.findall(f"{{{_SNB}}}registration")]
    names = [(t.text or "").strip() for t in organisation.findall(f"{{{_SNB}}}prefLabel/{{{_SNB}}}text")]
    _identity(result, certificate, registrations, names, "registration")


def _edc_conformance(result: CredentialResult, run: _Run, credential: Mapping[str, Any]) -> None:
    try:
        shapes = run.artefacts.shapes()
        contexts = run.artefacts.jsonld_contexts()
    except RncpLdError as error:
        result.fail("conformance-unavailable", f"EDC conformance not checked: {error}")
        return
    from .contexts import to_graph

    try:
        graph = to_graph(credential, contexts)
    except RncpLdError as error:
        result.fail("not-conformant", f"not EDC JSON-LD: {error.message}")
        return
    before = len(result.issues)
    for found in shapes.validate(graph):
        issue = shapes.issue(found, source=result.path)
        if issue.severity is Severity.ERROR:
            result.issues.append(
                Issue(
                    "not-conformant", issue.message, Severity.ERROR, result.path,
                    focus=issue.focus, path=issue.path, value=issue.value, shape=issue.shape,
                )
            )  # fmt: skip
    if len(result.issues) == before:
        result.passed("conformance")


def _xsd_conformance(result: CredentialResult, run: _Run, document: etree._ElementTree) -> None:
    try:
        schema, name = run.artefacts.schema()
    except RncpLdError as error:
        result.fail("conformance-unavailable", f"XML Schema conformance not checked: {error}")
        return
    if schema.validate(document):
        result.passed("conformance")
        return
    errors = list(schema.error_log)
    if any("No matching global declaration available for the validation root" in e.message for e in errors):
        result.fail(
            "conformance-unavailable",
            f"XML Schema conformance not checked: {name} does not declare the root element "
            f"{document.getroot().tag}",
        )
        return
    for error in errors:
        result.fail("not-conformant", f"{name} line {error.line}: {error.message}", shape=name)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_moment(value)
    except ConfigError:
        return None


def _dates(result: CredentialResult, at: datetime, dates: Mapping[str, Any]) -> None:
    """``validFrom``/``issuanceDate`` not after ``at``, ``validUntil``/``expirationDate`` not before."""
    before = len(result.issues)
    for name, value in dates.items():
        if value is None:
            continue
        moment = _moment(value)
        if moment is None:
            result.fail("bad-date", f"{name} {value!r} is not a date and time")
        elif name in ("validFrom", "issuanceDate") and moment > at:
            result.fail("not-yet-valid", f"not yet valid: {name} {value} is after {_utc_text(at)}")
        elif name in ("validUntil", "expirationDate") and moment < at:
            result.fail("expired", f"expired: {name} {value} is before {_utc_text(at)}")
    if len(result.issues) == before:
        result.passed("validity")


def _key_anchor(run: _Run, public_key: Any) -> x509.Certificate | None:
    """The ``--trust`` certificate whose key is ``public_key`` (a Data Integrity proof carries no certificate)."""
    from ._pki import _spki

    wanted = _spki(public_key)
    return next((a for a in run.anchors or () if _spki(a.public_key()) == wanted), None)


def _vc2_issuer(
    result: CredentialResult, credential: Mapping[str, Any], controller: str, anchor: x509.Certificate | None
) -> None:
    """The issuer is the controller of the proof's key; with a certificate, also its subject."""
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != controller:
        result.fail(
            "issuer-mismatch",
            f"the issuer {issuer_id!r} is not the controller of the proof's key ({controller})",
        )
        return
    if anchor is None:
        result.passed("issuer")
        return
    profile = issuer if isinstance(issuer, dict) else {}
    entries = profile.get("otherIdentifier")
    identifiers = [
        e["identifier"] for e in (entries if isinstance(entries, list) else [entries])
        if isinstance(e, dict) and isinstance(e.get("identifier"), str)
        and str(e.get("identifierType", "")).endswith("organizationIdentifier")
    ]  # fmt: skip
    _identity(result, anchor, identifiers, _values(profile.get("name")), "organizationIdentifier")


_VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
_OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def _vc2_conformance(result: CredentialResult, credential: Mapping[str, Any]) -> None:
    """The VC 2.0 data model's requirements (§4), and an achievement for an Open Badge."""
    before = len(result.issues)

    def fail(message: str) -> None:
        result.fail("not-conformant", f"not a VC 2.0 credential: {message}")

    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != _VC2_CONTEXT:
        fail(f"@context does not start with {_VC2_CONTEXT}")
    types = credential.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "VerifiableCredential" not in types:
        fail("type does not include VerifiableCredential")
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    if not subjects or not all(isinstance(s, dict) and s for s in subjects):
        fail("credentialSubject is missing or not an object")
    elif _OB3_TYPES & set(types) and not all(isinstance(s.get("achievement"), dict) for s in subjects):
        fail("an Open Badge's credentialSubject has no achievement")
    for name in ("validFrom", "validUntil"):
        value = credential.get(name)
        if value is not None and (not isinstance(value, str) or "T" not in value or _moment(value) is None):
            fail(f"{name} {value!r} is not a dateTimeStamp")
    if len(result.issues) == before:
        result.passed("conformance")


# JSON


def _duplicates_refused(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise ValueError(f"duplicate member {name!r}")
        result[name] = value
    return result


def _strict_json(text: str | bytes) -> dict[str, Any]:
    """A JSON object; duplicate members, NaN and nesting too deep are refused (ValueError)."""

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        value = json.loads(text, object_pairs_hook=_duplicates_refused, parse_constant=constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# The job


def _read(path: Path, result: CredentialResult) -> _Input | None:
    """The file, sniffed; None (with the reason in ``result``) when it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            result.fail("too-large", f"{size:,} bytes, more than the {MAX_BYTES:,} a credential may have")
            return None
        data = path.read_bytes()
    except OSError as error:
        result.fail("unreadable", f"cannot read the file: {error.strerror or error}")
        return None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return _Input(result.path, data, xml_root=_xml_root(data))
    if head in (b"{", b"["):
        try:
            return _Input(result.path, data, json=json.loads(data))
        except RecursionError:
            result.fail("unreadable", "JSON nested too deeply")
            return None
        except ValueError as error:
            result.fail("unreadable", f"not JSON: {error}")
            return None
    result.fail("not-a-credential", "neither JSON nor XML")
    return None


def _xml_root(data: bytes) -> str | None:
    from lxml import etree

    try:
        for _, element in etree.iterparse(
            _Bytes(data), events=("start",), no_network=True, resolve_entities=False, load_dtd=False
        ):
            return str(element.tag)
    except etree.XMLSyntaxError:
        return None
    return None


class _Bytes:
    """A minimal binary stream over bytes, for lxml's iterparse."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


def _verify_one(path: Path | str, run: _Run) -> CredentialResult:
    """Verify one file with the settings of ``run`` (see :func:`verify`)."""
    result = CredentialResult(str(path))
    item = _read(Path(path), result)
    if item is None:
        return result
    kind = next((k for k in KINDS if k.matches(item)), None)
    if kind is None:
        if isinstance(item.json, dict) and ("@context" in item.json or "credentialSubject" in item.json):
            result.fail("not-sealed", "not sealed: no JAdES signature, no Data Integrity proof")
        elif item.xml_root is not None:
            result.fail("not-a-credential", f"XML root {item.xml_root} is not a Europass credential")
        else:
            result.fail("not-a-credential", "not a sealed credential (JAdES JSON, Europass XML or VC 2.0)")
        return result
    result.kind, result.label = kind.name, kind.label
    kind.check(item, result, run)
    return result


def verify(
    paths: Iterable[Path | str],
    *,
    trusted: Iterable[x509.Certificate | Path | str] | None = None,
    edc_shapes: Sequence[str] = (),
    xsd: Sequence[str] = (),
    contexts: Sequence[str] = (),
    at: datetime | None = None,
    conformance: bool = True,
    allow_network: bool | None = None,
) -> Verification:
    """Verify each sealed credential of ``paths``; never raises on a bad credential.

    Args:
        paths: JAdES-sealed JSON-LD, XAdES-sealed Europass XML or VC 2.0 JSON-LD files.
        trusted: the trust anchors (certificates, or PEM/DER files); None or empty: no
            certificate is trusted, so no credential passes.
        edc_shapes: the EDC shapes (files, a copy of the ELM ``rdf/ap/edc`` folder, URLs);
            default: the official ones from the artefact cache.
        xsd: the Europass XML Schema (``genericschema.xsd``); default: the official one
            from the cache.
        contexts: JSON-LD context files (W3C credentials v1, ELM edc-ap), each recognised by
            its terms; default: the official ones from the cache.
        at: the verification time (default: now); a naive time is UTC.
        conformance: False skips the conformance layer (benchmarks of the seal layers).
        allow_network: fetch missing official artefacts into the cache.

    Raises:
        ConfigError: a trust anchor cannot be read.
    """
    anchors: list[x509.Certificate] | None = None
    if trusted is not None:
        given = list(trusted)
        files = [t for t in given if isinstance(t, (str, Path))]
        anchors = [t for t in given if not isinstance(t, (str, Path))] + load_anchors(files)
        anchors = anchors or None
    moment = datetime.now(timezone.utc) if at is None else at
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    run = _Run(
        anchors,
        moment,
        _Artefacts(tuple(edc_shapes), tuple(xsd), tuple(contexts), allow_network),
        conformance,
    )
    return Verification([_verify_one(path, run) for path in paths])
