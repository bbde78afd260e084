"""Europass credentials for validated blocks: European Digital Credentials (ELM 3.1, JSON-LD).

One credential per block a candidate acquired (:func:`block_credential`), and one for the
whole certification once every block is acquired (:func:`certification_credential`, whose
achievement has the block achievements as parts). The document follows the official
``Sample-MC-Annex1`` credential and conforms to the SHACL shapes ``EDC-generic-no-cv.ttl`` +
``EDC-generic-full.ttl`` (ELM commit 9d7c5d22):

* ``@context`` = W3C VC 1.1 + ``edc-ap``; ``type`` = VerifiableCredential, EuropeanDigitalCredential;
* ``credentialProfiles`` = the *Generic* profile concept, ``credentialSchema`` = the
  ``edc-generic-full`` ShaclValidator2017 (what the official samples declare);
* ``issuer`` = the certifier, with its eIDAS identifier (the sealing certificate's
  ``organizationIdentifier``), SIRET as ``registration`` and a location in its country;
* ``credentialSubject`` = the candidate (given, family and full name, birth date, e-mail as
  contact point) claiming a ``LearningAchievement`` specified by the block as a partial
  ``Qualification`` (learning outcomes, EQF level, ``isPartOf`` the certification), proven by
  a ``LearningAssessment`` graded "Acquis" and specified by the block's assessment methods,
  awarded by the certifier on the jury's decision date;
* ``displayParameter`` with an image of each rendered A4 page
  (:mod:`rncp_ld.credentials.render`), base64 PNG.

Dates: ``issued`` (= ``issuanceDate``) is the caller's clock, UTC, to the second;
``validFrom`` and ``awardingDate`` are the jury's decision date at 00:00:00Z, so that the
calendar date reads the same everywhere (midnight in Paris would be the day before in UTC).

Identifiers are deterministic: the qualifications, learning outcomes and assessment methods
are the IRIs of the published linked data (:class:`~rncp_ld.uris.Minter`, as in
:mod:`rncp_ld.rdf.graph`); the issuer is the certifier's IRI; the nodes about the candidate
are fragments of the credential's id (``{id}#achievement``, ``#assessment``…). The
certification credential reuses the block credentials' fragments for its parts, so both
describe the same achievement nodes. Keys keep one readable order; :func:`to_json` writes
the compact text that is sealed.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from rdflib import URIRef

from ..errors import ConfigError
from ..model import Block, BlockResult, Certification, Decision
from ..uris import Minter, check, eqf

__all__ = [
    "CONTEXT",
    "GENERIC_PROFILE",
    "SHACL_SCHEMA",
    "Issuer",
    "block_credential",
    "certification_credential",
    "issuer_from",
    "load_issuer_config",
    "to_json",
]

CONTEXT = ("https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap")
TYPES = ("VerifiableCredential", "EuropeanDigitalCredential")
GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"
"""Credential type *Generic* (scheme ``http://data.europa.eu/snb/credential/25831c2``)."""
SHACL_SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"
"""The SHACL profile the credential conforms to, as ``credentialSchema`` (type ShaclValidator2017)."""

_LANGUAGE = "http://publications.europa.eu/resource/authority/language"
_COUNTRY = "http://publications.europa.eu/resource/authority/country"
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type"
_FC_PAGE = "https://www.francecompetences.fr/recherche/{registry}/{number}/"

_COUNTRIES: dict[str, tuple[str, str]] = {
    "AT": ("AUT", "Autriche"), "BE": ("BEL", "Belgique"), "BG": ("BGR", "Bulgarie"),
    "CY": ("CYP", "Chypre"), "CZ": ("CZE", "Tchéquie"), "DE": ("DEU", "Allemagne"),
    "DK": ("DNK", "Danemark"), "EE": ("EST", "Estonie"), "ES": ("ESP", "Espagne"),
    "FI": ("FIN", "Finlande"), "FR": ("FRA", "France"), "GR": ("GRC", "Grèce"), "EL": ("GRC", "Grèce"),
    "HR": ("HRV", "Croatie"), "HU": ("HUN", "Hongrie"), "IE": ("IRL", "Irlande"), "IT": ("ITA", "Italie"),
    "LT": ("LTU", "Lituanie"), "LU": ("LUX", "Luxembourg"), "LV": ("LVA", "Lettonie"),
    "MT": ("MLT", "Malte"), "NL": ("NLD", "Pays-Bas"), "PL": ("POL", "Pologne"),
    "PT": ("PRT", "Portugal"), "RO": ("ROU", "Roumanie"), "SE": ("SWE", "Suède"),
    "SI": ("SVN", "Slovénie"), "SK": ("SVK", "Slovaquie"),
    "IS": ("ISL", "Islande"), "LI": ("LIE", "Liechtenstein"), "NO": ("NOR", "Norvège"),
    "CH": ("CHE", "Suisse"), "GB": ("GBR", "Royaume-Uni"), "MC": ("MCO", "Monaco"), "AD": ("AND", "Andorre"),
    "GF": ("GUF", "Guyane"), "GP": ("GLP", "Guadeloupe"), "MQ": ("MTQ", "Martinique"),
    "RE": ("REU", "La Réunion"), "YT": ("MYT", "Mayotte"), "PM": ("SPM", "Saint-Pierre-et-Miquelon"),
    "BL": ("BLM", "Saint-Barthélemy"), "MF": ("MAF", "Saint-Martin"), "NC": ("NCL", "Nouvelle-Calédonie"),
    "PF": ("PYF", "Polynésie française"), "WF": ("WLF", "Wallis-et-Futuna"),
}
"""ISO 3166 alpha-2 (and eIDAS ``EL``) → EU country authority code and French name."""

_EIDAS = re.compile(r"(?:VAT|NTR|PSD|LEI)([A-Z]{2})-\S+|[A-Z]{2}:([A-Z]{2})-\S+")
"""ETSI EN 319 412-1 §5.1.4 organizationIdentifier: ``NTRFR-817389141``, ``VATFR-…``."""
_IRI_BAD = re.compile(r'[\s<>"{}|\\^`#]')


# Issuer

@dataclass(frozen=True, slots=True, kw_only=True)
class Issuer:
    """Who seals and awards: the certifier, identified as in its eSeal certificate.

    Raises:
        ConfigError: a value is malformed (SIRET not 14 digits, unknown country, homepage not
            http(s), eIDAS identifier not in the ``organizationIdentifier`` syntax).
    """

    legal_name: str
    siret: str | None
    country: str = "FR"
    """ISO 3166 alpha-2 code of the issuer's location."""
    homepage: str | None = None
    eidas_identifier: str
    """The ``organizationIdentifier`` of the sealing certificate, e.g. ``NTRFR-817389141``."""

    def __post_init__(self) -> None:
        for key in ("legal_name", "siret", "country", "homepage"):
            _check_field(key, getattr(self, key))
        if not _EIDAS.fullmatch(self.eidas_identifier):
            raise ConfigError(
                f"eIDAS identifier {self.eidas_identifier!r} is not an organizationIdentifier",
                expected="VAT|NTR|PSD|LEI + country + '-' + identifier, e.g. NTRFR-817389141",
            )


_FIELDS = ("legal_name", "siret", "country", "homepage")


def _check_field(key: str, value: object, source: str | None = None) -> None:
    """Raise ConfigError if ``value`` cannot be the issuer's ``key``."""

    def fail(message: str, expected: str) -> None:
        raise ConfigError(message, source=source, location=f"issuer.{key}", expected=expected)

    if key not in _FIELDS:
        fail(f"unknown issuer setting {key!r}", ", ".join(_FIELDS))
    if value is None and key in ("siret", "homepage"):
        return
    if not isinstance(value, str):
        fail(f"{key} must be a string, not {type(value).__name__}", "a quoted string")
    assert isinstance(value, str)
    if key == "legal_name" and not value.strip():
        fail("the legal name is empty", "the issuer's legal name")
    elif key == "siret":
        try:
            check("siret", value)
        except ValueError:
            fail(f"SIRET {value!r} is not 14 digits", "14 digits without spaces, e.g. 81738914100012")
    elif key == "country" and value not in _COUNTRIES:
        fail(f"unknown country {value!r}", "an ISO 3166 alpha-2 code of the EU/EEA, e.g. FR")
    elif key == "homepage":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or _IRI_BAD.search(value.replace("#", "")):
            fail(f"homepage {value!r} is not an http(s) URL", "https://…")


def load_issuer_config(path: str | Path) -> dict[str, str]:
    """The ``[issuer]`` table of a TOML file: legal_name, siret, country, homepage (all optional).

    ::

        [issuer]
        legal_name = "Centre ressource AROBASE"
        siret = "81738914100012"
        country = "FR"
        homepage = "https://www.example.fr"

    Other tables are left to other settings (e.g. sealing). Raises:
        ConfigError: unreadable file, TOML syntax, no ``[issuer]`` table, unknown key, bad value.
    """
    source = str(path)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise ConfigError("reading TOML needs Python 3.11 or the tomli package", source=source) from None
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise ConfigError(f"cannot read the issuer config: {error.strerror or error}", source=source) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", source=source) from None
    table = data.get("issuer")
    if not isinstance(table, dict):
        raise ConfigError("no [issuer] table", source=source,
                          expected="[issuer] with legal_name, siret, country, homepage")
    for key, value in table.items():
        _check_field(key, value, source)
    return dict(table)


def _homepage(website: str | None) -> str | None:
    """A fiche's web site as an http(s) URL, or None when it is not one."""
    if not website or not website.strip():
        return None
    url = website.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc or _IRI_BAD.search(url):
        return None
    return url


def issuer_from(cert: Certification, overrides: Mapping[str, str] | None, eidas_identifier: str) -> Issuer:
    """The issuer: the fiche's first certifier, with ``overrides`` (from :func:`load_issuer_config`).

    Raises:
        ConfigError: no certifier and no ``legal_name`` override, or a bad value.
    """
    values: dict[str, str | None] = {"legal_name": None, "siret": None, "country": "FR", "homepage": None}
    if cert.certifiers:
        first = cert.certifiers[0]
        values.update(legal_name=first.name, siret=first.siret, homepage=_homepage(first.website))
    for key, value in (overrides or {}).items():
        _check_field(key, value)
        values[key] = value
    if not values["legal_name"]:
        raise ConfigError(f"fiche {cert.number} names no certifier", expected="legal_name in the issuer config")
    return Issuer(
        legal_name=str(values["legal_name"]),
        siret=values["siret"],
        country=str(values["country"]),
        homepage=values["homepage"],
        eidas_identifier=eidas_identifier,
    )


# Small nodes

def _concept(iri: str, scheme: str, labels: dict[str, str], notation: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": iri, "type": "Concept", "inScheme": {"id": scheme, "type": "ConceptScheme"}}
    if notation:
        node["notation"] = notation
    node["prefLabel"] = labels
    return node


def _french() -> dict[str, Any]:
    return _concept(f"{_LANGUAGE}/FRA", _LANGUAGE, {"fr": "français"}, "language")


def _country(code: str) -> dict[str, Any]:
    alpha3, name = _COUNTRIES[code]
    return _concept(f"{_COUNTRY}/{alpha3}", _COUNTRY, {"fr": name}, "country")


def _eqf(level: int) -> dict[str, Any]:
    return _concept(str(eqf(level)), "http://data.europa.eu/snb/eqf/25831c2",
                    {"en": f"Level {level}", "fr": f"Niveau {level}"})


def _fr(text: str) -> dict[str, str]:
    return {"fr": " ".join(text.split())}


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"issued must be timezone-aware, not {value.isoformat()}")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _part(minter: Minter, parent: str, kind: str, key: str | int) -> str:
    return str(minter.part(URIRef(parent), kind, key))


def _check_id(credential_id: str) -> str:
    parts = urlsplit(credential_id)
    if not parts.scheme or len(parts.scheme) < 2 or _IRI_BAD.search(credential_id):
        raise ValueError(f"credential id {credential_id!r} must be an absolute IRI without fragment")
    return credential_id


# Issuer, subject

def _organisation(issuer: Issuer, minter: Minter) -> dict[str, Any]:
    iri = str(minter.organisation(issuer.siret, issuer.legal_name))
    match = _EIDAS.fullmatch(issuer.eidas_identifier)
    assert match is not None
    eidas_country = match.group(1) or match.group(2)
    node: dict[str, Any] = {
        "id": iri,
        "type": "Organisation",
        "legalName": _fr(issuer.legal_name),
        "eIDASIdentifier": {
            "id": _part(minter, iri, "identifier", "eidas"),
            "type": "LegalIdentifier",
            "notation": issuer.eidas_identifier,
            "spatial": _country(eidas_country if eidas_country in _COUNTRIES else issuer.country),
        },
    }
    if issuer.siret:
        node["registration"] = {
            "id": _part(minter, iri, "identifier", "siret"),
            "type": "LegalIdentifier",
            "notation": issuer.siret,
            "schemeName": "SIRET",
            "spatial": _country("FR"),
        }
    if issuer.homepage:
        node["homepage"] = {"id": issuer.homepage, "type": "WebResource", "contentURL": issuer.homepage}
    location = _part(minter, iri, "location", _COUNTRIES[issuer.country][0])
    node["location"] = {
        "id": location,
        "type": "Location",
        "address": {"id": _part(minter, location, "address", 1), "type": "Address",
                    "countryCode": _country(issuer.country)},
    }
    return node


def _subject(credential_id: str, result: BlockResult, claim: dict[str, Any]) -> dict[str, Any]:
    person = result.candidate
    node: dict[str, Any] = {
        "id": f"{credential_id}#subject",
        "type": "Person",
        "givenName": _fr(person.given_name),
        "familyName": _fr(person.family_name),
        "fullName": _fr(f"{person.given_name} {person.family_name}"),
        "dateOfBirth": _midnight(person.birth_date),
    }
    if person.email and person.email.strip():
        node["contactPoint"] = {
            "id": f"{credential_id}#contact",
            "type": "ContactPoint",
            "emailAddress": {"id": "mailto:" + quote(person.email.strip(), safe="@"), "type": "Mailbox"},
        }
    node["hasClaim"] = claim
    return node


# Specifications (the published RNCP linked data)

def _identifier(minter: Minter, iri: str, key: str, notation: str, scheme: str) -> dict[str, Any]:
    return {
        "id": _part(minter, iri, "identifier", key),
        "type": "Identifier",
        "notation": notation,
        "schemeName": scheme,
        "schemeAgency": {"fr": "France compétences"},
    }


def _certification_qualification(cert: Certification, minter: Minter, parts: Sequence[Block] = ()) -> dict[str, Any]:
    iri = str(minter.certification(cert.number))
    registry = cert.registry.value
    page = _FC_PAGE.format(registry=registry.lower(), number=cert.numeric_id)
    node: dict[str, Any] = {
        "id": iri,
        "type": "Qualification",
        "title": _fr(cert.title),
        "identifier": _identifier(minter, iri, registry.lower(), cert.number, registry),
        "homepage": {"id": page, "type": "WebResource", "contentURL": page},
        "language": _french(),
    }
    if cert.level is not None:
        node["eqfLevel"] = _eqf(cert.level)
    node["isPartialQualification"] = False
    if parts:
        node["hasPart"] = [_block_reference(cert, block, minter) for block in parts]
    return node


def _block_reference(cert: Certification, block: Block, minter: Minter) -> dict[str, Any]:
    """A block as a part of its certification: title, code, level."""
    iri = str(minter.block(cert.number, block.code))
    node: dict[str, Any] = {
        "id": iri,
        "type": "Qualification",
        "title": _fr(block.title),
        "identifier": _identifier(minter, iri, "code", block.code, f"{cert.registry.value} bloc de compétences"),
        "language": _french(),
    }
    if cert.level is not None:
        node["eqfLevel"] = _eqf(cert.level)
    node["isPartialQualification"] = True
    return node


def _outcomes(block: Block, block_iri: str, minter: Minter) -> list[tuple[str, str]]:
    """(IRI, title) of the block's learning outcomes: competences, then its capacities."""
    out = [(_part(minter, block_iri, "competence", i), text)
           for i, text in enumerate(block.competences, 1) if text.strip()]
    if block.capacities:
        group = _part(minter, block_iri, "capacity-group", block.capacities.letter)
        out += [(_part(minter, group, "capacity", i), text)
                for i, text in enumerate(block.capacities.items, 1) if text.strip()]
    return out


def _block_qualification(cert: Certification, block: Block, minter: Minter) -> dict[str, Any]:
    node = _block_reference(cert, block, minter)
    partial = node.pop("isPartialQualification")
    outcomes = _outcomes(block, node["id"], minter)
    if outcomes:
        node["learningOutcome"] = [{"id": iri, "type": "LearningOutcome", "title": _fr(text)} for iri, text in outcomes]
    node["isPartialQualification"] = partial
    node["isPartOf"] = _certification_qualification(cert, minter)
    return node


def _assessment_specification(cert: Certification, block: Block, minter: Minter) -> dict[str, Any] | None:
    """The block's assessment methods: one LearningAssessmentSpecification, or one with a part per method."""
    block_iri = str(minter.block(cert.number, block.code))
    items = block.assessments or ((block.assessments_text,) if block.assessments_text else ())
    methods = [
        {"id": _part(minter, block_iri, "assessment", i), "type": "LearningAssessmentSpecification",
         "title": _fr(text), "language": _french()}
        for i, text in enumerate(items, 1) if text.strip()
    ]
    if len(methods) <= 1:
        return methods[0] if methods else None
    return {
        "id": _part(minter, block_iri, "assessment", "all"),
        "type": "LearningAssessmentSpecification",
        "title": _fr(f"Modalités d'évaluation du bloc {block.code}"),
        "language": _french(),
        "hasPart": methods,
    }


# Claims

def _awarding(base: str, organisation: dict[str, Any], day: date) -> dict[str, Any]:
    return {"id": f"{base}#awarding", "type": "AwardingProcess", "awardingBody": organisation,
            "awardingDate": _midnight(day)}


def _block_achievement(base: str, cert: Certification, block: Block, result: BlockResult,
                       organisation: dict[str, Any], minter: Minter) -> dict[str, Any]:
    """The candidate's achievement of ``block``; its nodes are fragments of ``base`` (a credential id)."""
    assessment: dict[str, Any] = {
        "id": f"{base}#assessment",
        "type": "LearningAssessment",
        "title": _fr(f"Évaluation du bloc de compétences {block.code}"),
        "grade": {"id": f"{base}#grade", "type": "Note", "noteLiteral": {"fr": "Acquis"}},
        "awardedBy": _awarding(base, organisation, result.decision_date),
    }
    specification = _assessment_specification(cert, block, minter)
    if specification:
        assessment["specifiedBy"] = specification
    return {
        "id": f"{base}#achievement",
        "type": "LearningAchievement",
        "title": _fr(f"Bloc de compétences {block.code} : {block.title}"),
        "description": _fr(f"Bloc de compétences de la certification professionnelle {cert.number} "
                           f"« {cert.title} »."),
        "awardedBy": _awarding(base, organisation, result.decision_date),
        "provenBy": assessment,
        "specifiedBy": _block_qualification(cert, block, minter),
    }


def _find_block(cert: Certification, result: BlockResult) -> Block:
    if result.certification != cert.number:
        raise ValueError(f"result of {result.certification} given for certification {cert.number}")
    if result.decision is not Decision.ACQUIRED:
        raise ValueError(f"block {result.block} is {result.decision.value} for candidate {result.candidate.id}")
    for block in cert.blocks:
        if block.code == result.block:
            return block
    raise ValueError(f"certification {cert.number} has no block {result.block}")


# Display

_PLACEHOLDER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg=="
)
"""A 1×1 white PNG, the page image when rendering is off (benchmarks; not for issuing)."""


def _display(credential_id: str, title: str, description: str, pages: Sequence[bytes]) -> dict[str, Any]:
    details = [
        {
            "id": f"{credential_id}#page-{number}",
            "type": "DisplayDetail",
            "page": number,
            "image": {
                "id": f"{credential_id}#page-{number}-image",
                "type": "MediaObject",
                "content": base64.b64encode(png).decode("ascii"),
                "contentEncoding": _concept("http://data.europa.eu/snb/encoding/6146cde7dd",
                                            "http://data.europa.eu/snb/encoding/25831c2", {"en": "base64"}),
                "contentType": _concept(f"{_FILE_TYPE}/PNG", _FILE_TYPE, {"en": "PNG"}, "file-type"),
            },
        }
        for number, png in enumerate(pages, 1)
    ]
    return {
        "id": f"{credential_id}#display",
        "type": "DisplayParameter",
        "title": _fr(title),
        "description": _fr(description),
        "language": _french(),
        "primaryLanguage": _french(),
        "individualDisplay": {
            "id": f"{credential_id}#display-fr",
            "type": "IndividualDisplay",
            "language": _french(),
            "displayDetail": details[0] if len(details) == 1 else details,
        },
    }


def _credential(credential_id: str, organisation: dict[str, Any], issued: datetime, valid_from: date,
                subject: dict[str, Any], display: dict[str, Any]) -> dict[str, Any]:
    stamp = _timestamp(issued)
    if stamp < _midnight(valid_from):
        raise ValueError(f"issued ({stamp}) is before the jury's decision ({valid_from.isoformat()})")
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": list(TYPES),
        "credentialProfiles": _concept(GENERIC_PROFILE, "http://data.europa.eu/snb/credential/25831c2",
                                       {"en": "Generic"}),
        "credentialSchema": {"id": SHACL_SCHEMA, "type": "ShaclValidator2017"},
        "issuer": organisation,
        "issuanceDate": stamp,
        "issued": stamp,
        "validFrom": _midnight(valid_from),
        "credentialSubject": subject,
        "displayParameter": display,
    }


# Public API

def block_credential(*, credential_id: str, certification: Certification, block: Block, result: BlockResult,
                     issuer: Issuer, issued: datetime, minter: Minter, render: bool = True) -> dict[str, Any]:
    """The credential of one acquired block.

    Parameters:
        credential_id: absolute IRI without fragment (e.g. ``urn:uuid:…``); the nodes about
            the candidate are its fragments.
        issued: when the credential is issued (timezone-aware; not before the decision date).
        render: draw the A4 page (else a 1×1 placeholder image, for benchmarks only).

    Raises:
        ValueError: the result is not an acquired result of this block, a bad id or clock.
    """
    _check_id(credential_id)
    found = _find_block(certification, result)
    if found.code != block.code:
        raise ValueError(f"result is for block {result.block}, not {block.code}")
    organisation = _organisation(issuer, minter)
    claim = _block_achievement(credential_id, certification, block, result, organisation, minter)
    outcomes = [title for _, title in _outcomes(block, claim["specifiedBy"]["id"], minter)]
    pages = _pages(render, kind="block", issuer=issuer, result=result, cert=certification, code=block.code,
                   title=block.title, items=outcomes, day=result.decision_date, credential_id=credential_id)
    display = _display(credential_id, "Attestation de validation d'un bloc de compétences",
                       f"{block.code} : {block.title}", pages)
    return _credential(credential_id, organisation, issued, result.decision_date,
                       _subject(credential_id, result, claim), display)


def certification_credential(*, credential_id: str, certification: Certification, results: Sequence[BlockResult],
                             part_ids: Sequence[str], issuer: Issuer, issued: datetime, minter: Minter,
                             render: bool = True) -> dict[str, Any]:
    """The credential of the whole certification, once every (mandatory) block is acquired.

    ``results`` are the candidate's acquired results, ``part_ids`` the ids of the block
    credentials issued for them (same order): the achievement's ``hasPart`` are those block
    achievements (``{part_id}#achievement``), described as in their own credentials.
    ``validFrom`` is the last of the decision dates.

    Raises:
        ValueError: no results, a count mismatch, a block twice or missing, several candidates.
    """
    _check_id(credential_id)
    if not results:
        raise ValueError("no block result")
    if len(results) != len(part_ids):
        raise ValueError(f"{len(results)} results but {len(part_ids)} part ids")
    order = {block.code: index for index, block in enumerate(certification.blocks)}
    pairs = sorted(zip(results, part_ids, strict=True), key=lambda pair: order.get(pair[0].block, len(order)))
    blocks = [_find_block(certification, result) for result, _ in pairs]
    codes = [block.code for block in blocks]
    if len(set(codes)) != len(codes):
        raise ValueError(f"a block is given twice: {', '.join(codes)}")
    missing = [b.code for b in certification.blocks if not b.optional and b.code not in codes]
    if missing:
        raise ValueError(f"blocks not acquired: {', '.join(missing)}")
    if len({result.candidate.id for result in results}) > 1:
        raise ValueError("results of several candidates")
    for part_id in part_ids:
        _check_id(part_id)
    organisation = _organisation(issuer, minter)
    last = max(result.decision_date for result in results)
    first = pairs[0][0]
    achievement = {
        "id": f"{credential_id}#achievement",
        "type": "LearningAchievement",
        "title": _fr(certification.title),
        "description": _fr(f"Certification professionnelle {certification.number}, obtenue par la validation "
                           f"de ses blocs de compétences."),
        "awardedBy": _awarding(credential_id, organisation, last),
        "specifiedBy": _certification_qualification(certification, minter, blocks),
        "hasPart": [
            _block_achievement(part_id, certification, block, result, organisation, minter)
            for (result, part_id), block in zip(pairs, blocks, strict=True)
        ],
    }
    pages = _pages(render, kind="certification", issuer=issuer, result=first, cert=certification,
                   code=certification.number, title=certification.title,
                   items=[f"{block.code} — {block.title}" for block in blocks], day=last,
                   credential_id=credential_id)
    display = _display(credential_id, "Attestation de réussite à une certification professionnelle",
                       f"{certification.number} : {certification.title}", pages)
    return _credential(credential_id, organisation, issued, last, _subject(credential_id, first, achievement), display)


def _pages(render: bool, *, kind: str, issuer: Issuer, result: BlockResult, cert: Certification, code: str,
           title: str, items: Sequence[str], day: date, credential_id: str) -> tuple[bytes, ...]:
    if not render:
        return (_PLACEHOLDER_PNG,)
    from ..credentials.render import render_pages

    person = result.candidate
    return render_pages(
        certifier=issuer.legal_name,
        candidate=f"{person.given_name} {person.family_name}",
        certification_title=cert.title,
        code=code,
        title=title,
        competences=items,
        date=day,
        kind="block" if kind == "block" else "certification",
        credential_id=credential_id,
        level=cert.level,
    )


def to_json(credential: Mapping[str, Any]) -> str:
    """Compact UTF-8 JSON in the credential's own key order: the exact text that is sealed."""
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
