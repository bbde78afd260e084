"""Open Badges 3.0 ``AchievementCredential`` (W3C Verifiable Credentials 2.0) of a block or a certification.

The second JSON-LD profile of ``issue`` (``--profile vc2``): for each acquired block, and for
a certification acquired whole, the same achievement as the European Digital Credential of
:mod:`rncp_ld.writers.edc_jsonld`, in the 1EdTech Open Badges 3.0 data model, secured with a
W3C Data Integrity proof ``eddsa-rdfc-2022`` (:func:`vc2_credential`).

Document
    ``@context`` = VC 2.0 + OB 3.0.3 (:data:`CONTEXT`); ``type`` = ``VerifiableCredential``,
    ``OpenBadgeCredential`` (``AchievementCredential`` is only an alias of the second one in
    the OB context, the examples of the specification use ``OpenBadgeCredential``); ``id`` is
    the plan's deterministic ``urn:uuid:``; ``name`` and ``description`` are what a wallet
    lists. ``validFrom`` is the jury's decision date at 00:00:00Z (for a certification, that of
    its last block), as the EDC's ``validFrom`` and ``awardingDate``: the calendar date reads
    the same everywhere. The issuing time is the proof's ``created``. VC 2.0 has no
    ``issuanceDate``; OB's ``awardedDate`` is left out (its datatype in the 3.0.3 context is
    ``xsd:dateTime``, a CURIE whose prefix no context defines).

Issuer
    A ``Profile`` whose ``id`` is the issuer's DID (the ``did:key`` of the Ed25519 signing key,
    so the proof's verification method is under the issuer's id, as OB 3.0 verifiers check),
    with its legal name, homepage (``url``), country (``address.addressCountryCode``) and, as
    ``otherIdentifier``, the SIRET (``ext:SIRET``) and the eIDAS ``organizationIdentifier`` of
    its certificate (``ext:organizationIdentifier``, ETSI EN 319 412-1, e.g. ``NTRFR-552100554``).
    OB's identifier types are an extensible list: ``ext:`` is its extension prefix.

Subject
    An ``AchievementSubject`` with no ``id`` (candidates have no DID) but two ``identifier``
    (``IdentityObject``): the candidate's name in clear (``identityType`` ``name``: a diploma
    names its holder), and the e-mail address hashed, never in clear: ``identityHash`` =
    ``sha256$`` + hex SHA-256 of the trimmed, lower-cased address followed by the ``salt``. The
    salt is derived from the credential id (:func:`identity_salt`): output stays deterministic,
    and the same address gives a different hash in each credential, so hashes cannot be matched
    across credentials or against a precomputed table. A published salt cannot stop someone who
    guesses the address from checking the guess: no salt can, OB's hashing only keeps the
    address from being read off the credential.

Achievement
    ``id`` = the IRI of the block (or certification) in the published linked data
    (:class:`~rncp_ld.uris.Minter`, as :mod:`rncp_ld.rdf.graph` and the EDC qualifications), so
    every credential of the same block describes the same Achievement node.

    ``achievementType``: ``MicroCredential`` for a block — "a credential that addresses a subset
    of field-specific knowledge, skills or competencies, often developmental with relationships
    to other micro-credentials and field credentials" (CTDL, quoted by OB 3.0) is what a *bloc
    de compétences* is: a part of the certification, assessed and attested on its own, that adds
    up to it. ``Competency`` is one measurable knowledge, skill or ability (a block is a set of
    them) and ``CertificateOfCompletion`` acknowledges completion, not assessed competence.
    ``Certificate`` for a whole certification — a "credential that designates requisite
    knowledge and skills of an occupation, profession" — rather than ``Certification``, which in
    CTDL and OB 3.0 is time-limited, revocable and renewable, which an RNCP title is not.

    ``name`` = the title; ``description`` situates it in the RNCP; ``humanCode`` = the block
    code or fiche number; ``inLanguage`` = ``fr`` (every text of the credential is French); ``criteria.narrative`` (Markdown) = how it is awarded: the block's
    assessment methods, or the list of blocks of the certification; ``fieldOfStudy`` = the first
    NSF speciality's label; ``tag`` = keywords (RNCP or RS, block or certification, level).

    ``alignment`` points to nodes of frameworks outside the credential, never to its own
    competences: the block (or fiche) on France Compétences (``targetFramework`` RNCP or RS);
    the EQF level (the EU concept ``http://data.europa.eu/snb/eqf/N``) and the level of the
    French framework (same number since 2019); then the occupations the certification leads
    to: each ROME code (its IRI in the published vocabularies) and the ESCO occupations the
    vocabularies match it with (``skos:closeMatch``, derived by rncp-ld from France Travail's
    appellation-level table: the ``targetDescription`` says so). Blocks carry the
    certification's occupations too, described as the occupations the certification leads to.

    ``resultDescription``: what an acquired block attests is that each of its competences is
    acquired, so each competence (then, for legacy fiches, each capacity of the block's
    capacity group) is a ``ResultDescription`` of ``resultType`` ``Status``; its ``id`` is the
    competence's IRI in the linked data (the EDC's learning outcome). The subject's ``result``
    has one ``Result`` per competence, ``status`` ``Completed``, linked by ``resultDescription``.
    For a whole certification, OB 3.0 has no ``hasPart`` (``related`` means another edition of
    the same achievement): each block is a ``ResultDescription`` whose ``id`` is the block's IRI
    — the ``id`` of the Achievement of that block's own credential — and the subject has one
    ``Completed`` result per acquired block. Optional blocks not acquired are described but
    have no result.

Left out, on purpose: ``credentialSchema`` (the OB JSON Schema's type
``1EdTechJsonSchemaValidator2019`` is defined by neither context: it would be a relative IRI,
which safe mode refuses to sign), ``image``, ``evidence``.

Contexts
    Every term used is defined by the two contexts. The VC 2.0 context has no ``@vocab``: an
    Open Badges term without the OB context is not mapped to an issuer-dependent IRI, it is
    dropped by JSON-LD expansion, so it would not be signed (the safe mode of
    :mod:`rncp_ld.credentials.jsonld` refuses such a document). Signing therefore needs the
    official OB 3.0.3 context document, which rncp_ld does not ship: :func:`load_contexts`
    takes a path, or the artefacts cache of the official URL. The URL has served more than
    one file: an early one redefines the protected term ``image`` in the ``AchievementSubject``
    and ``Profile`` scopes (and names ``achievement`` ``…#achievement-0``), which JSON-LD 1.1
    processors refuse; :func:`load_contexts` recognises it and asks for the current file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..model import Block, BlockResult, Certification, Decision, Registry
from ..uris import Minter, eqf
from .edc_jsonld import Issuer

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ..credentials.jsonld import Contexts
    from ..credentials.plan import PlannedCredential

__all__ = [
    "CONTEXT",
    "CREDENTIALS_V2_URL",
    "OB3_CONTEXT_URL",
    "TYPES",
    "achievement_credential",
    "hash_identity",
    "identity_salt",
    "load_contexts",
    "to_json",
    "vc2_credential",
]

CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = (CREDENTIALS_V2_URL, OB3_CONTEXT_URL)
TYPES = ("VerifiableCredential", "OpenBadgeCredential")

BLOCK_TYPE = "MicroCredential"
CERTIFICATION_TYPE = "Certificate"

_FC_PAGE = "https://www.francecompetences.fr/recherche/{registry}/{number}/"
_FRAMEWORKS = {
    Registry.RNCP: "Répertoire national des certifications professionnelles (RNCP)",
    Registry.RS: "Répertoire spécifique (RS)",
}
_EQF = "Cadre européen des certifications (CEC / EQF)"
_CNC = "Cadre national des certifications professionnelles"
_ROME = "Répertoire opérationnel des métiers et des emplois (ROME)"
_ESCO = "ESCO (European Skills, Competences, Qualifications and Occupations)"
_SALT_DOMAIN = b"rncp-ld/ob3/identity-salt\x00"


# Small helpers


def _text(value: str) -> str:
    return " ".join(value.split())


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"issued must be timezone-aware, not {value.isoformat()}")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _check_iri(value: str, what: str) -> str:
    parts = urlsplit(value)
    if len(parts.scheme) < 2 or any(c in value for c in ' <>"{}|\\^`') or any(c.isspace() for c in value):
        raise ValueError(f"{what} {value!r} is not an absolute IRI")
    return value


def _fiche_page(cert: Certification) -> str:
    return _FC_PAGE.format(registry=cert.registry.value.lower(), number=cert.numeric_id)


# Identities


def identity_salt(credential_id: str) -> str:
    """The salt of the hashed identities of ``credential_id``: 32 hex digits derived from it."""
    return hashlib.sha256(_SALT_DOMAIN + credential_id.encode("utf-8")).hexdigest()[:32]


def hash_identity(value: str, salt: str) -> str:
    """An OB ``IdentityHash``: ``sha256$`` + lower-case hex SHA-256 of ``value`` + ``salt``."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _subject_identifiers(credential_id: str, result: BlockResult) -> list[dict[str, Any]]:
    person = result.candidate
    found: list[dict[str, Any]] = []
    name = _text(f"{person.given_name} {person.family_name}")
    if name:
        found.append(
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}
        )
    email = person.email.strip().lower() if person.email else ""
    if email:
        salt = identity_salt(credential_id)
        found.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": hash_identity(email, salt),
                "salt": salt,
            }
        )
    if not found:
        raise ValueError(f"candidate {person.id} has neither a name nor an e-mail address to identify them")
    return found


# Issuer


def _profile(issuer: Issuer, issuer_did: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": _check_iri(issuer_did, "issuer id"),
        "type": ["Profile"],
        "name": _text(issuer.legal_name),
    }
    if issuer.homepage:
        node["url"] = issuer.homepage
    identifiers = []
    if issuer.siret:
        identifiers.append(
            {"type": "IdentifierEntry", "identifier": issuer.siret, "identifierType": "ext:SIRET"}
        )
    identifiers.append(
        {
            "type": "IdentifierEntry",
            "identifier": issuer.eidas_identifier,
            "identifierType": "ext:organizationIdentifier",
        }
    )
    node["otherIdentifier"] = identifiers
    node["address"] = {"type": ["Address"], "addressCountryCode": issuer.country}
    return node


# Alignments


def _alignment(
    name: str, url: str, framework: str, code: str | None = None, description: str | None = None
) -> dict[str, Any]:
    node: dict[str, Any] = {"type": ["Alignment"], "targetName": _text(name), "targetUrl": url}
    if description:
        node["targetDescription"] = description
    node["targetFramework"] = framework
    if code:
        node["targetCode"] = code
    return node


def _level_alignments(cert: Certification, minter: Minter) -> list[dict[str, Any]]:
    if cert.level is None:
        return []
    level = cert.level
    return [
        _alignment(f"Niveau {level} du cadre européen des certifications", str(eqf(level)), _EQF, str(level)),
        _alignment(f"Niveau {level}", str(minter.level(level)), _CNC, str(level)),
    ]


def _occupation_alignments(cert: Certification, minter: Minter) -> list[dict[str, Any]]:
    """The ROME codes of the certification, each followed by its ESCO matches (once each)."""
    from ..vocabularies import Vocabularies

    vocabularies = Vocabularies.load(minter)
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for code in cert.rome:
        try:
            rome = minter.rome(code.code)
        except ValueError:
            continue
        label = vocabularies.label(rome) or code.label or code.code
        found.append(
            _alignment(
                str(label),
                str(rome),
                _ROME,
                code.code,
                f"Métier visé par la certification {cert.number} (fiche ROME {code.code}).",
            )
        )
        for occupation in vocabularies.close_matches(rome):
            if str(occupation) in seen:
                continue
            seen.add(str(occupation))
            found.append(
                _alignment(
                    str(vocabularies.label(occupation) or occupation),
                    str(occupation),
                    _ESCO,
                    None,
                    f"Métier ESCO rapproché de la fiche ROME {code.code} (correspondance établie par "
                    "rncp-ld à partir de la table ESCO-ROME de France Travail, non officielle).",
                )
            )
    return found


# Achievements


def _outcomes(block: Block, block_iri: str, minter: Minter) -> list[tuple[str, str]]:
    """(IRI, text) of what the block attests: its competences, then its capacities (as the EDC)."""
    from rdflib import URIRef

    parent = URIRef(block_iri)
    out = [
        (str(minter.part(parent, "competence", i)), _text(text))
        for i, text in enumerate(block.competences, 1)
        if text.strip()
    ]
    if block.capacities:
        group = minter.part(parent, "capacity-group", block.capacities.letter)
        out += [
            (str(minter.part(group, "capacity", i)), _text(text))
            for i, text in enumerate(block.capacities.items, 1)
            if text.strip()
        ]
    return out


def _status_description(iri: str, name: str, alignment: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": iri, "type": ["ResultDescription"], "name": name}
    if alignment:
        node["alignment"] = alignment
    node["resultType"] = "Status"
    return node


def _completed(description_iri: str) -> dict[str, Any]:
    return {"type": ["Result"], "resultDescription": description_iri, "status": "Completed"}


def _common(cert: Certification, *, block: Block | None) -> dict[str, Any]:
    """The fields after ``description`` that blocks and certifications share."""
    node: dict[str, Any] = {}
    if cert.nsf and cert.nsf[0].label:
        node["fieldOfStudy"] = _text(cert.nsf[0].label)
    tags = [cert.registry.value, "Bloc de compétences" if block else "Certification professionnelle"]
    if cert.level is not None:
        tags.append(f"Niveau {cert.level}")
    node["tag"] = tags
    return node


def _block_achievement(cert: Certification, block: Block, minter: Minter) -> tuple[dict[str, Any], list[str]]:
    """The Achievement of ``block`` and the ids of its result descriptions."""
    iri = str(minter.block(cert.number, block.code))
    framework = _FRAMEWORKS[cert.registry]
    methods = [
        _text(m)
        for m in (block.assessments or ((block.assessments_text,) if block.assessments_text else ()))
        if m and m.strip()
    ]
    narrative = (
        f"Validation du bloc de compétences {block.code} par le jury de la certification {cert.number}."
    )
    if methods:
        narrative += "\n\nModalités d'évaluation :\n\n" + "\n".join(f"- {m}" for m in methods)
    outcomes = _outcomes(block, iri, minter)
    node: dict[str, Any] = {
        "id": iri,
        "type": ["Achievement"],
        "achievementType": BLOCK_TYPE,
        "name": _text(block.title),
        "description": _text(
            f"Bloc de compétences {block.code} de la certification professionnelle "
            f"{cert.number} « {cert.title} », enregistrée au {framework}."
        ),
        "criteria": {"narrative": narrative},
        "humanCode": block.code,
        "inLanguage": "fr",
        **_common(cert, block=block),
        "alignment": [
            _alignment(
                f"{block.code} - {block.title}",
                _fiche_page(cert),
                framework,
                block.code,
                f"Bloc de compétences de la certification {cert.number} « {_text(cert.title)} ».",
            ),
            *_level_alignments(cert, minter),
            *_occupation_alignments(cert, minter),
        ],
    }
    if outcomes:
        node["resultDescription"] = [_status_description(o_iri, text) for o_iri, text in outcomes]
    return node, [o_iri for o_iri, _ in outcomes]


def _certification_achievement(cert: Certification, minter: Minter) -> tuple[dict[str, Any], dict[str, str]]:
    """The Achievement of the whole certification, and block code → its result description id."""
    iri = str(minter.certification(cert.number))
    framework = _FRAMEWORKS[cert.registry]
    lines = [f"- {b.code} : {_text(b.title)}{' (facultatif)' if b.optional else ''}" for b in cert.blocks]
    narrative = (
        f"Validation par le jury de chacun des blocs de compétences de la certification {cert.number} :\n\n"
        + "\n".join(lines)
    )
    ids = {b.code: str(minter.block(cert.number, b.code)) for b in cert.blocks}
    level = f", de niveau {cert.level}" if cert.level is not None else ""
    node: dict[str, Any] = {
        "id": iri,
        "type": ["Achievement"],
        "achievementType": CERTIFICATION_TYPE,
        "name": _text(cert.title),
        "description": _text(
            f"Certification professionnelle {cert.number}{level}, enregistrée au {framework}, "
            "obtenue par la validation de ses blocs de compétences."
        ),
        "criteria": {"narrative": narrative},
        "humanCode": cert.number,
        "inLanguage": "fr",
        **_common(cert, block=None),
        "alignment": [
            _alignment(f"{cert.number} - {cert.title}", _fiche_page(cert), framework, cert.number),
            *_level_alignments(cert, minter),
            *_occupation_alignments(cert, minter),
        ],
        "resultDescription": [
            _status_description(
                ids[b.code],
                _text(b.title),
                [_alignment(f"{b.code} - {b.title}", _fiche_page(cert), framework, b.code)],
            )
            for b in cert.blocks
        ],
    }
    return node, ids


# Checks (the same as the EDC's)


def _find_block(cert: Certification, result: BlockResult) -> Block:
    if result.certification != cert.number:
        raise ValueError(f"result of {result.certification} given for certification {cert.number}")
    if result.decision is not Decision.ACQUIRED:
        raise ValueError(
            f"block {result.block} is {result.decision.value} for candidate {result.candidate.id}"
        )
    for block in cert.blocks:
        if block.code == result.block:
            return block
    raise ValueError(f"certification {cert.number} has no block {result.block}")


def _check_results(cert: Certification, block: Block | None, results: Sequence[BlockResult]) -> list[Block]:
    if not results:
        raise ValueError("no block result")
    blocks = [_find_block(cert, r) for r in results]
    if len({r.candidate.id for r in results}) > 1:
        raise ValueError("results of several candidates")
    if block is not None:
        if len(results) != 1:
            raise ValueError(f"a block credential has one result, not {len(results)}")
        if blocks[0].code != block.code:
            raise ValueError(f"result is for block {results[0].block}, not {block.code}")
        return blocks
    codes = [b.code for b in blocks]
    if len(set(codes)) != len(codes):
        raise ValueError(f"a block is given twice: {', '.join(codes)}")
    missing = [b.code for b in cert.blocks if not b.optional and b.code not in codes]
    if missing:
        raise ValueError(f"blocks not acquired: {', '.join(missing)}")
    return blocks


# Public API


def achievement_credential(
    *,
    credential_id: str,
    certification: Certification,
    block: Block | None,
    results: BlockResult | Sequence[BlockResult],
    issuer: Issuer,
    issued: datetime,
    minter: Minter,
    issuer_did: str,
) -> dict[str, Any]:
    """The unsigned OB 3.0 credential of an acquired ``block``, or of the whole certification.

    Parameters:
        credential_id: absolute IRI (the plan's ``urn:uuid:``).
        block: the acquired block; None for the whole certification.
        results: the block's result; for the certification, the results of its acquired
            blocks (every mandatory one), one candidate.
        issued: when the credential is issued (timezone-aware, not before the decision).
        issuer_did: the issuer Profile's ``id``: the DID whose key signs (or an IRI).

    Raises:
        ValueError: a result that is not an acquired result of this block (or of a block of
            this certification), missing mandatory blocks, several candidates, a bad id or clock.
    """
    _check_iri(credential_id, "credential id")
    rows = [results] if isinstance(results, BlockResult) else list(results)
    _check_results(certification, block, rows)
    last = max(r.decision_date for r in rows)
    stamp = _timestamp(issued)
    if stamp < _midnight(last):
        raise ValueError(f"issued ({stamp}) is before the jury's decision ({last.isoformat()})")
    if block is not None:
        achievement, description_ids = _block_achievement(certification, block, minter)
        results_out = [_completed(i) for i in description_ids]
        name = _text(f"Bloc de compétences {block.code} : {block.title}")
        description = _text(
            f"Attestation de validation du bloc de compétences {block.code} de la certification "
            f"professionnelle {certification.number} « {certification.title} »."
        )
    else:
        achievement, by_code = _certification_achievement(certification, minter)
        acquired = {r.block for r in rows}
        results_out = [_completed(by_code[b.code]) for b in certification.blocks if b.code in acquired]
        name = _text(f"{certification.number} : {certification.title}")
        description = _text(
            f"Attestation de réussite à la certification professionnelle {certification.number} "
            f"« {certification.title} », obtenue par la validation de tous ses blocs de compétences."
        )
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": _subject_identifiers(credential_id, rows[0]),
        "achievement": achievement,
    }
    if results_out:
        subject["result"] = results_out
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": list(TYPES),
        "name": name,
        "description": description,
        "issuer": _profile(issuer, issuer_did),
        "validFrom": _midnight(last),
        "credentialSubject": subject,
    }


def vc2_credential(
    planned: PlannedCredential,
    *,
    issuer: Issuer,
    issued: datetime,
    minter: Minter,
    key: Ed25519PrivateKey,
    contexts: Contexts,
) -> dict[str, Any]:
    """The signed credential of ``planned``: :func:`achievement_credential` + an ``eddsa-rdfc-2022`` proof.

    The issuer's id is the ``did:key`` of ``key``; the proof's ``verificationMethod`` is that
    DID's key (``did:key:z6Mk…#z6Mk…``), its ``created`` is ``issued``, its purpose
    ``assertionMethod``. ``contexts`` (:func:`load_contexts`) must hold both context documents:
    the proof canonicalises the credential's RDF offline.

    Raises:
        ConfigError: ``key`` is not Ed25519, or a context is missing.
        ValueError: as :func:`achievement_credential`.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ..credentials import data_integrity
    from ..credentials.did_key import did_key, verification_method_id

    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(
            f"an Open Badges 3.0 credential is signed with an Ed25519 key, not {type(key).__name__}",
            expected="a key made by keys generate --alg EdDSA",
        )
    missing = [url for url in CONTEXT if url not in contexts]
    if missing:
        raise ConfigError(
            f"JSON-LD context {missing[0]} is not available offline",
            expected="its local copy (load_contexts)",
        )
    did = did_key(key.public_key())
    credential = achievement_credential(
        credential_id=planned.id,
        certification=planned.certification,
        block=planned.block,
        results=planned.results,
        issuer=issuer,
        issued=issued,
        minter=minter,
        issuer_did=did,
    )
    return data_integrity.add_proof(
        credential,
        key,
        verification_method=verification_method_id(key),
        created=issued,
        contexts=contexts,
    )


def load_contexts(
    *,
    ob3_context: Sequence[str] = (),
    credentials_v2: Sequence[str] = (),
    allow_network: bool | None = False,
) -> Contexts:
    """The contexts of an OB 3.0 credential (VC 2.0 and OB 3.0.3), from the given paths or the cache.

    :func:`rncp_ld.credentials.jsonld.load_contexts` reads them (a path given here, else the
    local cache of the official URL, fetched only when ``allow_network``); here both must be
    found, and the OB document must define the Open Badges types, so that a missing or wrong
    file is reported before anything is signed.

    Raises:
        ConfigError: a context has no local copy, a file is unreadable, or it is not the
            expected context.
    """
    from ..credentials.jsonld import load_contexts as load

    contexts = load(credentials_v2=credentials_v2, ob3=ob3_context, allow_network=allow_network)
    for url, needed, option in (
        (CREDENTIALS_V2_URL, ("VerifiableCredential", "DataIntegrityProof"), "credentials_v2"),
        (
            OB3_CONTEXT_URL,
            ("OpenBadgeCredential", "Achievement", "AchievementSubject", "Profile"),
            "ob3_context",
        ),
    ):
        if url not in contexts:
            reason = contexts.missing.get(url, f"no copy was given ({option})")
            raise ConfigError(f"the JSON-LD context {url} is not available offline: {reason}")
        terms = contexts.documents[url].get("@context")
        if not isinstance(terms, Mapping) or any(term not in terms for term in needed):
            raise ConfigError(
                f"{contexts.sources[url]} is not the JSON-LD context {url} (it does not define {', '.join(needed)})",
                expected=f"a copy of {url}",
            )
    clashes = _protected_clashes(contexts.documents[OB3_CONTEXT_URL]["@context"])
    if clashes:
        raise ConfigError(
            f"{contexts.sources[OB3_CONTEXT_URL]} is an early copy of {OB3_CONTEXT_URL} that JSON-LD 1.1 cannot "
            f"use: it redefines protected terms in scoped contexts ({', '.join(clashes)})",
            expected="the current file of the official URL",
        )
    return contexts


def _protected_clashes(terms: Mapping[str, Any]) -> list[str]:
    """``Type.term`` of each type-scoped definition that changes a protected top-level term.

    A JSON-LD 1.1 processor refuses those as soon as the type is used. Some published copies of
    the OB 3.0.3 context have them (``AchievementSubject.image`` = ``…#image-1``).
    """

    def iri(definition: Any) -> Any:
        return definition.get("@id") if isinstance(definition, Mapping) else definition

    found = []
    if terms.get("@protected") is True:
        for name, definition in terms.items():
            scoped = definition.get("@context") if isinstance(definition, Mapping) else None
            if not isinstance(scoped, Mapping):
                continue
            for term, inner in scoped.items():
                if term.startswith("@") or term not in terms or term in ("id", "type"):
                    continue
                if inner != terms[term] and iri(inner) != iri(terms[term]):
                    found.append(f"{name}.{term}")
    return found


def to_json(credential: Mapping[str, Any]) -> str:
    """UTF-8 JSON in the credential's key order, indented: the proof covers the RDF, not the text."""
    return json.dumps(credential, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
