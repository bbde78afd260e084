"""A validated block (or a whole certification) → a Europass XML credential (ELM v2).

The document is a ``europassCredential`` (namespace :data:`SNB`, ``xsdVersion`` 0.10.0)
valid against the Europass schema ``genericschema.xsd``; :func:`rncp_ld.credentials.xades.seal_xml`
puts the signature in its ``proof`` (the schema requires the element; an unsealed credential
has it empty). It carries the claims of the JSON-LD credential
(:mod:`rncp_ld.writers.edc_jsonld`), with the same wording and node ids:

* ``credentialSubject`` ``{id}#subject``: the candidate (the certifier's identifier, names,
  date of birth, e-mail as ``mailBox``) with one ``learningAchievement`` ``{id}#achievement``
  "Bloc de compétences {code} : {title}", ``wasDerivedFrom`` the jury's assessment
  ``{id}#assessment`` (grade "Acquis", decision date, access route as a note, assessed by
  the issuer, specified by the block's assessment methods), ``wasAwardedBy`` the awarding
  process ``{id}#awarding`` (awarding body = the issuer, date = the decision),
  ``specifiedBy`` the block. The full-certification credential's achievement is specified
  by the certification, awarded on the last decision, and ``hasPart`` one achievement per
  block whose ids are those of the block's own credential (``{part id}#achievement``…),
  which it names as its ``identifier``.
* ``learningSpecificationReferences``: the block as a ``qualification`` with
  ``isPartialQualification`` true (identifier, title, French, entry requirements, learning
  outcomes, assessment specification, awarding body, EQF level) and the certification
  (France Compétences page), which ``hasPart`` it (XML has no ``isPartOf``);
  ``learningOutcomeReferences``: the block's competences, then its legacy capacities;
  ``assessmentSpecificationReferences``: its assessment methods (a group ``…/assessment/all``
  when there are several) proving the block.
* ``agentReferences``: the issuer, which is also the awarding body: legal name, SIRET as
  ``identifier``, eIDAS identifier (else SIRET) as ``registration`` (as EDCI's sealed XML),
  homepage, location in its country.

Qualifications, learning outcomes, assessment methods and the organisation keep the IRIs of
the RDF export (:class:`~rncp_ld.uris.Minter`). The same inputs give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Protocol
from urllib.parse import quote

from lxml import etree

from ..model import Block, BlockResult, Certification, Decision
from ..uris import Minter, eqf

__all__ = [
    "CRED",
    "SNB",
    "XSD_VERSION",
    "IssuerLike",
    "credential_xml",
    "to_bytes",
]

SNB = "http://data.europa.eu/snb"
"""Namespace of the Europass credential schema."""
CRED = "http://data.europa.eu/europass/model/credentials/w3c#"
XSD_VERSION = "0.10.0"

GENERIC = "http://data.europa.eu/snb/credential/e34929035b"
"""The Europass credential type *Generic*, the only one genericschema 0.10.0 allows."""
_CREDENTIAL_TYPES = "http://data.europa.eu/snb/credential/25831c2"
_EQF = "http://data.europa.eu/snb/eqf/25831c2"
_LANGUAGES = "http://publications.europa.eu/resource/authority/language"
_COUNTRIES = "http://publications.europa.eu/resource/authority/country"
_FC_PAGE = "https://www.francecompetences.fr/recherche/{registry}/{number}/"

_COUNTRY_CODES: dict[str, tuple[str, str]] = {
    "AT": ("AUT", "Autriche"),
    "BE": ("BEL", "Belgique"),
    "BG": ("BGR", "Bulgarie"),
    "CH": ("CHE", "Suisse"),
    "CY": ("CYP", "Chypre"),
    "CZ": ("CZE", "Tchéquie"),
    "DE": ("DEU", "Allemagne"),
    "DK": ("DNK", "Danemark"),
    "EE": ("EST", "Estonie"),
    "ES": ("ESP", "Espagne"),
    "FI": ("FIN", "Finlande"),
    "FR": ("FRA", "France"),
    "GR": ("GRC", "Grèce"),
    "HR": ("HRV", "Croatie"),
    "HU": ("HUN", "Hongrie"),
    "IE": ("IRL", "Irlande"),
    "IS": ("ISL", "Islande"),
    "IT": ("ITA", "Italie"),
    "LI": ("LIE", "Liechtenstein"),
    "LT": ("LTU", "Lituanie"),
    "LU": ("LUX", "Luxembourg"),
    "LV": ("LVA", "Lettonie"),
    "MT": ("MLT", "Malte"),
    "NL": ("NLD", "Pays-Bas"),
    "NO": ("NOR", "Norvège"),
    "PL": ("POL", "Pologne"),
    "PT": ("PRT", "Portugal"),
    "RO": ("ROU", "Roumanie"),
    "SE": ("SWE", "Suède"),
    "SI": ("SVN", "Slovénie"),
    "SK": ("SVK", "Slovaquie"),
}
"""ISO 3166 alpha-2 → (alpha-3 of the EU country table, French name), EU/EEA and Switzerland."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


class IssuerLike(Protocol):
    """What the credential needs of its issuer (e.g. :class:`rncp_ld.writers.edc_jsonld.Issuer`)."""

    @property
    def legal_name(self) -> str: ...

    @property
    def siret(self) -> str | None: ...

    @property
    def country(self) -> str:
        """ISO 3166 code (``FR`` or ``FRA``) or EU country IRI."""
        ...

    @property
    def homepage(self) -> str | None: ...

    @property
    def eidas_identifier(self) -> str | None:
        """The ``organizationIdentifier`` of the sealing certificate (``NTRFR-<SIREN>``)."""
        ...


# Small builders


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, whitespace runs kept."""
    return _NOT_XML.sub("", text)


def _el(parent: etree._Element, name: str, text: str | None = None, **attrib: str | None) -> etree._Element:
    element = etree.SubElement(
        parent,
        f"{{{SNB}}}{name}",
        {k.replace("_", "-"): _clean(v) for k, v in attrib.items() if v is not None},
    )
    if text is not None:
        element.text = _clean(text)
    return element


def _texts(parent: etree._Element, name: str, *texts: tuple[str, str]) -> etree._Element:
    """A LanguageStringType element: one ``text`` per (language, value)."""
    element = _el(parent, name)
    for lang, value in texts:
        _el(element, "text", value, content_type="text/plain", lang=lang)
    return element


def _fr(parent: etree._Element, name: str, value: str) -> etree._Element:
    return _texts(parent, name, ("fr", value))


def _note(parent: etree._Element, name: str, value: str, subject: str | None = None) -> etree._Element:
    """A NoteType element: French text, optional subject."""
    element = _el(parent, name)
    _el(element, "text", value, content_type="text/plain", lang="fr")
    if subject:
        _el(element, "subject", subject)
    return element


def _code(
    parent: etree._Element,
    name: str,
    uri: str,
    framework: str,
    label: Sequence[tuple[str, str]],
    framework_name: Sequence[tuple[str, str]],
    notation: str | None = None,
) -> etree._Element:
    """A CodeType element: concept ``uri`` of the scheme ``framework`` with its labels."""
    element = _el(parent, name, targetFrameworkUrl=framework, targetNotation=notation, uri=uri)
    _texts(element, "targetName", *label)
    _texts(element, "targetFrameworkName", *framework_name)
    return element


def _ref(parent: etree._Element, name: str, target: str, *, ns: str = SNB) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{name}", {"idref": target})


def _datetime(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: date) -> str:
    """A decision date as the xs:dateTime of its start, in UTC (as the JSON-LD credential)."""
    return f"{day.isoformat()}T00:00:00Z"


def _country(code: str) -> tuple[str, str, str]:
    """(alpha-2, alpha-3, French name) of an ISO 3166 code or EU country IRI."""
    value = code.strip().rsplit("/", 1)[-1].upper()
    if value in _COUNTRY_CODES:
        return value, *_COUNTRY_CODES[value]
    for alpha2, (alpha3, name) in _COUNTRY_CODES.items():
        if alpha3 == value:
            return alpha2, alpha3, name
    raise ValueError(f"unknown country {code!r} (expected an ISO 3166 code of the EU/EEA, e.g. FR)")


# Inputs


@dataclass(frozen=True, slots=True)
class _Part:
    """A validated block of a credential: its fiche block, the jury's row, its credential id."""

    block: Block
    result: BlockResult
    credential: str | None
    """The id of the block's own credential (None: this credential is the block's, or unknown)."""
    base: str
    """What the ids of the candidate's nodes about the block start with (``{base}achievement``)."""


def _parts(
    credential_id: str,
    certification: Certification,
    block: Block | None,
    result: BlockResult | Sequence[BlockResult],
    parts: Iterable[object],
) -> tuple[BlockResult, list[_Part]]:
    """(the row that names the candidate, the validated blocks); every row checked."""
    blocks = {b.code: b for b in certification.blocks}
    rows = [result] if isinstance(result, BlockResult) else list(result)
    ids: list[str] = []
    for part in parts:
        if isinstance(part, str):
            ids.append(part)
        elif isinstance(part, BlockResult):
            rows.append(part)
        elif isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], BlockResult):
            rows.append(part[1])
        else:
            raise TypeError(
                f"a part is a BlockResult, a (Block, BlockResult) or a credential id, not {part!r}"
            )
    if not rows:
        raise ValueError("no jury result: a credential needs the decision it attests")
    first = rows[0]
    for row in rows:
        if row.certification != certification.number:
            raise ValueError(f"result for {row.certification} given with the fiche {certification.number}")
        if row.candidate != first.candidate:
            raise ValueError(
                f"results of two candidates ({first.candidate.id}, {row.candidate.id}) in one credential"
            )
        if row.decision is not Decision.ACQUIRED:
            raise ValueError(f"block {row.block} is {row.decision.value}: only acquired blocks are attested")
        if row.block not in blocks:
            raise ValueError(f"block {row.block} is not a block of {certification.number}")
    if block is not None:
        if ids or len(rows) != 1:
            raise ValueError("a block credential attests one result and has no parts")
        if first.block != block.code:
            raise ValueError(f"result for block {first.block} given for block {block.code}")
        return first, [_Part(block, first, None, f"{credential_id}#")]
    unique: dict[str, BlockResult] = {}
    for row in rows:
        unique.setdefault(row.block, row)
    if ids and len(ids) != len(unique):
        raise ValueError(f"{len(ids)} part credential ids for {len(unique)} blocks")
    missing = [b.code for b in certification.blocks if not b.optional and b.code not in unique]
    if missing:
        raise ValueError(f"blocks not acquired: {', '.join(missing)}")
    for ident in ids:
        _check_id(ident)
    credentials = dict(zip(unique, ids, strict=True)) if ids else {}
    found = []
    for code in (b.code for b in certification.blocks):
        if code in unique:
            own = credentials.get(code)
            found.append(
                _Part(blocks[code], unique[code], own, f"{own}#" if own else f"{credential_id}#{code}-")
            )
    return first, found


def _check_id(credential_id: str) -> str:
    if not _URI.fullmatch(credential_id) or "#" in credential_id:
        raise ValueError(f"credential id {credential_id!r} is not a URI without fragment")
    return credential_id


# The document


class _Builder:
    """One credential being built."""

    def __init__(self, certification: Certification, issuer: IssuerLike, minter: Minter) -> None:
        self.cert = certification
        self.issuer = issuer
        self.m = minter
        self.cert_iri = str(minter.certification(certification.number))
        self.org = str(minter.organisation(issuer.siret, issuer.legal_name))
        self.awardings: list[tuple[str, date]] = []
        """(id, date) of the awarding processes the achievements refer to."""

    def block_iri(self, block: Block) -> str:
        return str(self.m.block(self.cert.number, block.code))

    # credentialSubject

    def subject(self, root: etree._Element, credential_id: str, row: BlockResult) -> etree._Element:
        candidate = row.candidate
        subject = _el(root, "credentialSubject", id=f"{credential_id}#subject")
        _el(
            subject,
            "identifier",
            candidate.id,
            schemeName="Identifiant du candidat",
            schemeAgencyName=self.issuer.legal_name,
        )
        if candidate.email and candidate.email.strip():
            mailbox = "mailto:" + quote(candidate.email.strip(), safe="@")
            _el(_el(subject, "contactPoint"), "mailBox", uri=mailbox)
        _fr(subject, "fullName", f"{candidate.given_name} {candidate.family_name}")
        _fr(subject, "givenNames", candidate.given_name)
        _fr(subject, "familyName", candidate.family_name)
        _el(subject, "dateOfBirth", candidate.birth_date.isoformat())
        return subject

    def awarding(self, base: str, day: date) -> str:
        """The id of the awarding process ``{base}awarding`` on ``day``, listed once."""
        ident = f"{base}awarding"
        self.awardings.append((ident, day))
        return ident

    def block_achievement(self, parent: etree._Element, part: _Part) -> None:
        """The candidate's achievement of one block: assessment, awarding, specification."""
        block, cert = part.block, self.cert
        element = _el(parent, "learningAchievement", id=f"{part.base}achievement")
        if part.credential:
            _el(element, "identifier", part.credential, schemeName="Attestation du bloc de compétences")
        _fr(element, "title", f"Bloc de compétences {block.code} : {block.title}")
        _note(
            element,
            "description",
            f"Bloc de compétences de la certification professionnelle {cert.number} « {cert.title} ».",
        )
        self.assessment(element, part)
        _ref(element, "wasAwardedBy", self.awarding(part.base, part.result.decision_date))
        _ref(element, "specifiedBy", self.block_iri(block))

    def certification_achievement(
        self, parent: etree._Element, credential_id: str, parts: Sequence[_Part]
    ) -> None:
        """The achievement of the whole certification, made of its blocks' achievements."""
        cert = self.cert
        element = _el(parent, "learningAchievement", id=f"{credential_id}#achievement")
        _fr(element, "title", cert.title)
        _note(
            element,
            "description",
            f"Certification professionnelle {cert.number}, obtenue par la validation de ses blocs de compétences.",
        )
        last = max(part.result.decision_date for part in parts)
        _ref(element, "wasAwardedBy", self.awarding(f"{credential_id}#", last))
        for part in parts:
            self.block_achievement(_el(element, "hasPart"), part)
        _ref(element, "specifiedBy", self.cert_iri)

    def assessment(self, achievement: etree._Element, part: _Part) -> None:
        row = part.result
        element = _el(achievement, "wasDerivedFrom", id=f"{part.base}assessment")
        _fr(element, "title", f"Évaluation du bloc de compétences {part.block.code}")
        if row.access_route.strip():
            _note(element, "additionalNote", row.access_route.strip(), subject="Voie d'accès")
        _el(element, "grade", "Acquis")
        _el(element, "issuedDate", _day(row.decision_date))
        _ref(element, "assessedBy", self.org)
        spec = self.assessment_spec(part.block)
        if spec:
            _ref(element, "specifiedBy", spec)

    # learningSpecificationReferences

    def methods(self, block: Block) -> tuple[str | None, list[tuple[str, str]]]:
        """The block's assessment methods as (id, text), and the id of their group if several."""
        items = [a for a in block.assessments if a.strip()]
        if not items and block.assessments_text and block.assessments_text.strip():
            items = [block.assessments_text]
        iri = self.m.block(self.cert.number, block.code)
        methods = [(str(self.m.part(iri, "assessment", i)), text) for i, text in enumerate(items, 1)]
        group = str(self.m.part(iri, "assessment", "all")) if len(methods) > 1 else None
        return group, methods

    def assessment_spec(self, block: Block) -> str | None:
        """The id of what specifies the block's assessment: its group, its one method, or None."""
        group, methods = self.methods(block)
        return group or (methods[0][0] if methods else None)

    def outcomes(self, block: Block) -> list[tuple[str, str]]:
        """(id, text) of the block's learning outcomes: competences, then its legacy capacities."""
        iri = self.m.block(self.cert.number, block.code)
        found = [
            (str(self.m.part(iri, "competence", i)), item)
            for i, item in enumerate(block.competences, 1)
            if item.strip()
        ]
        if block.capacities:
            group = self.m.part(iri, "capacity-group", block.capacities.letter)
            found += [
                (str(self.m.part(group, "capacity", i)), item)
                for i, item in enumerate(block.capacities.items, 1)
                if item.strip()
            ]
        return found

    def identifier(self, parent: etree._Element, code: str, scheme: str) -> None:
        _el(
            parent,
            "identifier",
            code,
            schemeID=scheme,
            schemeName=scheme,
            schemeAgencyName="France compétences",
        )

    def level(self, parent: etree._Element) -> None:
        level = self.cert.level
        if level is not None and 1 <= level <= 8:
            _code(
                parent,
                "eqfLevel",
                str(eqf(level)),
                _EQF,
                [("fr", f"Niveau {level}"), ("en", f"Level {level}")],
                [("fr", "Cadre européen des certifications"), ("en", "European Qualifications Framework")],
                str(level),
            )

    def language(self, parent: etree._Element) -> None:
        _code(
            parent,
            "language",
            f"{_LANGUAGES}/FRA",
            _LANGUAGES,
            [("fr", "français"), ("en", "French")],
            [("en", "Languages Named Authority List")],
            "fr",
        )

    def awarding_opportunity(self, parent: etree._Element) -> None:
        _ref(_el(_el(parent, "awardingOpportunities"), "awardingOpportunity"), "organization", self.org)

    def qualification(self, refs: etree._Element, block: Block) -> None:
        element = _el(refs, "qualification", id=self.block_iri(block))
        self.identifier(element, block.code, f"{self.cert.registry.value} bloc de compétences")
        _fr(element, "title", block.title)
        self.language(element)
        if block.entry_prerequisites:
            _note(element, "entryRequirementsNote", block.entry_prerequisites)
        outcomes = self.outcomes(block)
        if outcomes:
            holder = _el(element, "learningOutcomes")
            for ident, _ in outcomes:
                _ref(holder, "learningOutcome", ident)
        spec = self.assessment_spec(block)
        if spec:
            _ref(element, "assessmentSpecification", spec)
        self.awarding_opportunity(element)
        _el(element, "isPartialQualification", "true")
        self.level(element)

    def certification(self, refs: etree._Element, parts: Sequence[_Part]) -> None:
        cert = self.cert
        element = _el(refs, "qualification", id=self.cert_iri)
        self.identifier(element, cert.number, cert.registry.value)
        _fr(element, "title", cert.title)
        if cert.objectives:
            _note(element, "description", cert.objectives)
        page = _FC_PAGE.format(registry=cert.registry.value.lower(), number=cert.numeric_id)
        _fr(
            _el(element, "homepage", uri=page),
            "title",
            f"Fiche {cert.number} sur le site de France compétences",
        )
        self.language(element)
        if cert.entry_prerequisites:
            _note(element, "entryRequirementsNote", cert.entry_prerequisites)
        self.awarding_opportunity(element)
        _el(element, "isPartialQualification", "false")
        self.level(element)
        for part in parts:
            _ref(element, "hasPart", self.block_iri(part.block))

    def assessment_specifications(self, root: etree._Element, parts: Sequence[_Part]) -> None:
        specs = [(part.block, *self.methods(part.block)) for part in parts]
        if not any(methods for _, _, methods in specs):
            return
        refs = _el(root, "assessmentSpecificationReferences")
        for block, group, methods in specs:
            if group:
                element = _el(refs, "assessmentSpecification", id=group)
                _fr(element, "title", f"Modalités d'évaluation du bloc {block.code}")
                self.language(element)
                _ref(element, "proves", self.block_iri(block))
                for ident, _ in methods:
                    _ref(element, "hasPart", ident)
            for ident, text in methods:
                element = _el(refs, "assessmentSpecification", id=ident)
                _fr(element, "title", text)
                self.language(element)
                _ref(element, "proves", self.block_iri(block))

    # agentReferences

    def organisation(self, root: etree._Element) -> None:
        issuer = self.issuer
        alpha2, alpha3, country = _country(issuer.country)
        element = _el(_el(root, "agentReferences"), "organization", id=self.org)
        if issuer.siret:
            _el(element, "identifier", issuer.siret, schemeID="SIRET", schemeName="SIRET", spatialID=alpha2)
        registration = issuer.eidas_identifier or issuer.siret
        if not registration:
            raise ValueError(
                "the issuer needs an eIDAS identifier or a SIRET (the schema requires a registration)"
            )
        _el(element, "registration", registration, spatialID=alpha2)
        _fr(element, "prefLabel", issuer.legal_name)
        if issuer.homepage and re.match(r"https?://", issuer.homepage):
            _el(element, "homepage", uri=issuer.homepage)
        address = _el(_el(element, "hasLocation"), "hasAddress")
        _code(
            address,
            "country",
            f"{_COUNTRIES}/{alpha3}",
            _COUNTRIES,
            [("fr", country)],
            [("en", "Countries Named Authority List")],
            alpha3,
        )


def credential_xml(
    *,
    credential_id: str,
    certification: Certification,
    block: Block | None,
    result: BlockResult | Sequence[BlockResult],
    issuer: IssuerLike,
    issued: datetime,
    minter: Minter,
    parts: Iterable[object] = (),
) -> etree._Element:
    """The unsealed Europass credential of a validated block, or of the whole certification.

    Args:
        credential_id: the credential's URI (``urn:uuid:…``).
        certification: the fiche.
        block: the validated block; None for the full-certification credential.
        result: the jury's row of ``block``; for the full certification, the rows of its
            blocks (``PlannedCredential.results``) or one row, the others in ``parts``.
        issuer: the certifier that seals the credential and awards the blocks.
        issued: issuance time (time zone required); ``validFrom`` is the jury's decision.
        minter: mints the IRIs the RDF export gives the fiche's nodes.
        parts: for the full certification, the ids of the block credentials
            (``PlannedCredential.parts``, in the order of the rows) and/or more rows.

    Returns:
        The ``europassCredential`` root, indented, with an empty ``proof`` for
        :func:`~rncp_ld.credentials.xades.seal_xml`.

    Raises:
        ValueError: a row of another fiche or candidate, a block not acquired or not of the
            fiche, parts for a block credential, an issuer without SIRET nor eIDAS
            identifier or of an unknown country, a naive ``issued``, a bad ``credential_id``.
    """
    _check_id(credential_id)
    row, validated = _parts(credential_id, certification, block, result, parts)
    b = _Builder(certification, issuer, minter)
    root = etree.Element(
        f"{{{SNB}}}europassCredential",
        {f"{{{CRED}}}id": credential_id, "xsdVersion": XSD_VERSION},
        nsmap={None: SNB, "cred": CRED},
    )
    _code(
        root,
        "type",
        GENERIC,
        _CREDENTIAL_TYPES,
        [("en", "Generic")],
        [("en", "Europass Standard List of Credential Types")],
    )
    etree.SubElement(root, f"{{{CRED}}}validFrom").text = _day(max(p.result.decision_date for p in validated))
    etree.SubElement(root, f"{{{CRED}}}issued").text = _datetime(issued)
    _ref(root, "issuer", b.org, ns=CRED)
    if block is not None:
        _fr(root, "title", "Attestation de validation d'un bloc de compétences")
        _fr(root, "description", f"{block.code} : {block.title}")
    else:
        _fr(root, "title", "Attestation de réussite à une certification professionnelle")
        _fr(root, "description", f"{certification.number} : {certification.title}")

    holder = _el(b.subject(root, credential_id, row), "achievements")
    if block is not None:
        b.block_achievement(holder, validated[0])
    else:
        b.certification_achievement(holder, credential_id, validated)

    refs = _el(root, "learningSpecificationReferences")
    b.certification(refs, validated)
    for part in validated:
        b.qualification(refs, part.block)
    outcomes = [(ident, text) for part in validated for ident, text in b.outcomes(part.block)]
    if outcomes:
        lo_refs = _el(root, "learningOutcomeReferences")
        for ident, text in outcomes:
            _fr(_el(lo_refs, "learningOutcome", id=ident), "prefLabel", text)
    b.assessment_specifications(root, validated)
    b.organisation(root)
    processes = _el(root, "awardingProcessReferences")
    for ident, day in b.awardings:
        process = _el(processes, "awardingProcess", id=ident)
        _ref(process, "awardingBody", b.org)
        _el(process, "date", _day(day))
    _el(root, "proof")
    etree.indent(root, space="  ")
    return root


def to_bytes(document: etree._Element | etree._ElementTree) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, as written to a file."""
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")
