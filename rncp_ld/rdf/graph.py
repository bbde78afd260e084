"""Model → RDF triples, aligned with ELM 3.1, ESCO, ROME, NSF, EQF and schema.org.

:func:`fiche_triples` turns one :class:`~rncp_ld.model.Certification` into a list of
triples. No blank node is used: every node gets an IRI from the :class:`~rncp_ld.uris.Minter`,
so the same input always gives the same graph. Nodes shared between fiches (certifiers,
concepts, source files) are described once per :class:`Context` unless the context is
asked to repeat them (per-fiche graphs for validation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import FicheError
from ..model import (
    Block,
    CapacityGroup,
    Certification,
    Code,
    Organisation,
    Partner,
    RegistrationPeriod,
    Statistic,
)
from ..namespaces import ADMS, DCAT, DCTERMS, ELM, FOAF, PROV, RDF, RDFS, RNCP, ROV, SDO, SKOS, XSD
from ..report import Issue
from ..uris import Minter, eqf, escape
from ..vocabularies import Vocabularies

__all__ = ["Context", "Triple", "fiche_triples", "project"]

Triple = tuple[URIRef, URIRef, Node]

FRENCH = URIRef("http://publications.europa.eu/resource/authority/language/FRA")
FRANCE = URIRef("http://publications.europa.eu/resource/authority/country/FRA")
_FC_PAGE = "https://www.francecompetences.fr/recherche/{registry}/{number}/"
_TRUE = Literal(True)
_FALSE = Literal(False)


def fr(text: str) -> Literal:
    """A French literal."""
    return Literal(text, lang="fr")


@lru_cache(maxsize=65536)
def day(value: date) -> Literal:
    """An ``xsd:date`` literal (cached: a register holds few distinct dates)."""
    return Literal(value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=1024)
def year(value: int) -> Literal:
    """An ``xsd:gYear`` literal."""
    return Literal(f"{value:04d}", datatype=XSD.gYear)


@lru_cache(maxsize=4096)
def integer(value: int) -> Literal:
    """An ``xsd:integer`` literal (cached: positions and counts repeat)."""
    return Literal(str(value), datatype=XSD.integer)


def boolean(value: bool) -> Literal:
    return _TRUE if value else _FALSE


@dataclass
class Context:
    """What the triples of a run share: the IRI minter, the vocabularies, shared nodes seen."""

    minter: Minter = field(default_factory=Minter)
    vocabularies: Vocabularies | None = None
    repeat_shared: bool = False
    """Describe shared nodes in every fiche (self-contained per-fiche graphs)."""
    _seen: set[URIRef] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.vocabularies is None:
            self.vocabularies = Vocabularies.load(self.minter)

    def first(self, iri: URIRef) -> bool:
        """True when the shared node ``iri`` must be described now."""
        if self.repeat_shared:
            return True
        if iri in self._seen:
            return False
        self._seen.add(iri)
        return True


class _Builder:
    """Accumulates the triples of one fiche."""

    def __init__(self, cert: Certification, ctx: Context) -> None:
        self.cert = cert
        self.ctx = ctx
        self.m = ctx.minter
        self.out: list[Triple] = []
        self.isced: list[URIRef] = []
        """ISCED-F fields of the fiche, from its NSF codes."""

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.out.append((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.out.append((s, p, fr(value)))

    def texts(self, s: URIRef, p: URIRef, values: Iterable[str]) -> None:
        for value in values:
            self.out.append((s, p, fr(value)))

    def date(self, s: URIRef, p: URIRef, value: date | None) -> None:
        if value is not None:
            self.out.append((s, p, day(value)))

    def int(self, s: URIRef, p: URIRef, value: int | None) -> None:
        if value is not None:
            self.out.append((s, p, integer(value)))

    def bool(self, s: URIRef, p: URIRef, value: bool | None) -> None:
        if value is not None:
            self.out.append((s, p, boolean(value)))

    def code(self, kind: str, *values: str | int | None) -> URIRef:
        """Mint the IRI of a code, turning a bad code into a FicheError."""
        try:
            return getattr(self.m, kind)(*values)  # type: ignore[no-any-return]
        except ValueError as error:
            raise FicheError(str(error), source=self.cert.provenance.source, fiche=self.cert.number) from None

    def describe_vocab(self, iri: URIRef) -> bool:
        """Copy the vocabularies' description of ``iri`` and of the nodes it leads to
        (broader concepts, schemes, ESCO matches, mapping set); False when unknown."""
        vocab = self.ctx.vocabularies
        assert vocab is not None
        if iri not in vocab:
            return False
        if self.ctx.first(iri):
            self.out.extend(vocab.describe(iri))
            for node in vocab.reachable(iri):
                if self.ctx.first(node):
                    self.out.extend(vocab.describe(node))
        return True


def project(cert: Certification, ctx: Context) -> tuple[list[Triple], list[Issue]]:
    """The triples of one fiche, and nothing to report (the profile interface of convert)."""
    return fiche_triples(cert, ctx), []


def fiche_triples(cert: Certification, ctx: Context) -> list[Triple]:
    """All triples of one fiche.

    Raises:
        FicheError: a code of the fiche cannot be used in an IRI.
    """
    b = _Builder(cert, ctx)
    b.isced = _isced(b)
    c = b.code("certification", cert.number)
    _certification(b, c)
    _levels(b, c)
    _classifications(b, c)
    _certifiers(b, c)
    _partners(b, c)
    _texts(b, c)
    _capacities(b, c)
    for block in cert.blocks:
        _block(b, c, block)
    _routes(b, c)
    _legal(b, c)
    _statistics(b, c)
    _links(b, c)
    _provenance(b, c)
    return b.out


def _certification(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    b.add(c, RDF.type, ELM.Qualification)
    b.add(c, RDF.type, SDO.EducationalOccupationalCredential)
    b.add(c, DCTERMS.identifier, Literal(cert.number))
    ident = b.m.part(c, "identifier", cert.registry.value.lower())
    b.add(c, ADMS.identifier, ident)
    b.add(ident, RDF.type, ELM.Identifier)
    b.add(ident, SKOS.notation, Literal(cert.number))
    b.add(ident, ELM.schemeName, Literal(cert.registry.value))
    b.text(c, DCTERMS.title, cert.title)
    b.text(c, SDO.name, cert.title)
    b.add(c, DCTERMS.language, FRENCH)
    page = URIRef(_FC_PAGE.format(registry=cert.registry.value.lower(), number=cert.numeric_id))
    b.add(c, FOAF.homepage, page)
    b.add(c, SDO.url, page)
    b.add(c, RNCP.registry, Literal(cert.registry.value))
    b.int(c, RNCP.ficheId, cert.fiche_id)
    b.text(c, RNCP.ficheStatus, cert.status)
    b.bool(c, RNCP.active, cert.active)
    if cert.abbreviation:
        b.add(c, RNCP.abbreviation, Literal(cert.abbreviation.code))
        b.text(c, SDO.credentialCategory, cert.abbreviation.label)
    b.text(c, DCTERMS.description, cert.objectives)
    b.text(c, RNCP.registrationType, cert.registration_type)
    b.int(c, RNCP.registrationYears, cert.registration_years)
    b.date(c, RNCP.decisionDate, cert.decision_date)
    b.date(c, RNCP.effectiveDate, cert.effective_date)
    b.date(c, RNCP.registrationEnd, cert.end_date)
    b.date(c, RNCP.publicationDate, cert.publication_date)
    b.date(c, RNCP.lastJODate, cert.last_jo_date)
    b.date(c, RNCP.deliveryDeadline, cert.delivery_deadline)
    b.bool(c, RNCP.accessibleNewCaledonia, cert.new_caledonia)
    b.bool(c, RNCP.accessibleFrenchPolynesia, cert.french_polynesia)
    b.bool(c, RNCP.partialValidation, cert.partial_validation)
    b.text(c, RNCP.partialValidationScope, cert.partial_validation_scope)
    b.text(c, RNCP.renewalTerms, cert.renewal_terms)
    b.text(c, RNCP.validityDuration, cert.validity_duration)
    b.bool(c, RNCP.hasPartners, cert.has_partners)
    for level_year in cert.level_years:
        b.add(c, RNCP.levelYear, year(level_year))
    b.text(c, RNCP.masteryLevel, cert.mastery_level)
    b.text(c, RNCP.entryPrerequisites, cert.entry_prerequisites)
    b.text(c, RNCP.validationPrerequisites, cert.validation_prerequisites)
    b.text(c, RNCP.regulations, cert.regulations)
    b.text(c, RNCP.components, cert.components_text)
    b.text(c, RNCP.validation, cert.validation_text)
    b.texts(c, RNCP.validationItem, cert.validation_items)
    b.text(c, RNCP.componentsValidity, cert.components_validity)
    b.text(c, RNCP.history, cert.history)
    b.texts(c, RNCP.previousTitle, cert.previous_titles)
    b.texts(c, RNCP.certificationPlace, cert.certification_places)
    b.texts(c, RNCP.preparationPlace, cert.preparation_places)
    for heading, text in cert.extra:
        b.add(c, RNCP.section, fr(f"{heading} : {text}"))


def _levels(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    if cert.level is not None:
        level = b.code("level", cert.level)
        b.add(c, ELM.EQFLevel, eqf(cert.level))
        b.add(c, SDO.educationalLevel, eqf(cert.level))
        b.add(c, ELM.NQFLevel, level)
        b.describe_vocab(level)
    b.text(c, RNCP.level, cert.level_label)
    if cert.level_1969:
        old = b.code("level_1969", cert.level_1969)
        b.add(c, RNCP.level1969, old)
        b.describe_vocab(old)


def _concept(b: _Builder, iri: URIRef, scheme: str, code: Code, broader: URIRef | None = None) -> None:
    """A concept of one of our schemes: from the vocabularies when known, else from the fiche."""
    if b.describe_vocab(iri) or not b.ctx.first(iri):
        return
    in_scheme = b.m.scheme(scheme)
    b.add(iri, RDF.type, SKOS.Concept)
    b.add(iri, SKOS.inScheme, in_scheme)
    if b.ctx.first(in_scheme):
        b.add(in_scheme, RDF.type, SKOS.ConceptScheme)
    b.add(iri, SKOS.notation, Literal(code.code))
    b.text(iri, SKOS.prefLabel, code.label)
    if broader is not None:
        b.add(iri, SKOS.broader, broader)


ISCED_F_SCHEME = URIRef("http://data.europa.eu/snb/isced-f/25831c2")


def _isced(b: _Builder) -> list[URIRef]:
    """The ISCED-F fields of the fiche's NSF codes (project table), described once each."""
    vocab = b.ctx.vocabularies
    assert vocab is not None
    fields = list(dict.fromkeys(f for code in b.cert.nsf for f in vocab.isced(code.code)))
    if fields and b.ctx.first(ISCED_F_SCHEME):
        b.add(ISCED_F_SCHEME, RDF.type, SKOS.ConceptScheme)
    for concept in fields:
        if b.ctx.first(concept):
            b.add(concept, RDF.type, SKOS.Concept)
            b.add(concept, SKOS.inScheme, ISCED_F_SCHEME)
            b.add(concept, SKOS.notation, Literal(concept.rsplit("/", 1)[-1]))
    return fields


def _classifications(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    for concept in b.isced:
        b.add(c, ELM.ISCEDFCode, concept)
    for code in cert.nsf:
        iri = b.code("nsf", code.code)
        group = code.code[:3]
        broader = b.m.nsf(group) if group != code.code and group.isdigit() else None
        b.add(c, RNCP.nsf, iri)
        b.add(c, DCTERMS.subject, iri)
        _concept(b, iri, "nsf", code, broader)
        if broader is not None:
            b.describe_vocab(broader)
    for code in cert.formacodes:
        iri = b.code("formacode", code.code)
        b.add(c, RNCP.formacode, iri)
        b.add(c, DCTERMS.subject, iri)
        _concept(b, iri, "formacode", code)
    for code in cert.ccn:
        iri = b.code("ccn", code.code)
        b.add(c, RNCP.ccn, iri)
        _concept(b, iri, "ccn", code)
    if cert.rome:
        entitlement = b.m.part(c, "entitlement", "jobs")
        b.add(c, ELM.entitlesTo, entitlement)
        b.add(entitlement, RDF.type, ELM.LearningEntitlementSpecification)
        b.add(entitlement, DCTERMS.title, fr("Métiers accessibles (ROME)"))
        for code in cert.rome:
            iri = b.code("rome", code.code)
            b.add(c, RNCP.rome, iri)
            b.add(entitlement, ELM.limitNationalOccupation, iri)
            _concept(b, iri, "rome", code)
            for occupation in _esco_matches(b, iri):
                b.add(entitlement, ELM.limitOccupation, occupation)


def _esco_matches(b: _Builder, rome: URIRef) -> list[URIRef]:
    """ESCO occupations the vocabularies align ``rome`` with, described once each."""
    vocab = b.ctx.vocabularies
    assert vocab is not None
    return [o for o in vocab.close_matches(rome) if isinstance(o, URIRef)]


def _organisation(b: _Builder, org: Organisation | Partner) -> URIRef:
    iri = b.code("organisation", org.siret, org.name)
    if b.ctx.first(iri):
        b.add(iri, RDF.type, ELM.Organisation)
        b.add(iri, RDF.type, SDO.Organization)
        b.add(iri, ROV.legalName, fr(org.name))
        b.add(iri, SDO.name, fr(org.name))
        if org.siret:
            legal = b.m.part(iri, "identifier", "siret")
            b.add(iri, ROV.registration, legal)
            b.add(iri, SDO.identifier, Literal(org.siret))
            b.add(legal, RDF.type, ELM.LegalIdentifier)
            b.add(legal, SKOS.notation, Literal(org.siret))
            b.add(legal, DCTERMS.spatial, FRANCE)
            b.add(legal, ELM.schemeName, Literal("SIRET"))
    return iri


def _certifiers(b: _Builder, c: URIRef) -> None:
    current = _current_period(b, c)
    for index, certifier in enumerate(b.cert.certifiers, 1):
        org = _organisation(b, certifier)
        award = b.m.part(c, "awarding", index)
        b.add(c, ELM.awardingOpportunity, award)
        b.add(award, RDF.type, ELM.AwardingOpportunity)
        b.add(award, ELM.awardingBody, org)
        b.add(award, ELM.learningAchievementSpecification, c)
        if current is not None:
            b.add(award, DCTERMS.temporal, current)
        b.text(award, RNCP.commercialName, certifier.commercial_name)
        if certifier.website:
            b.add(award, FOAF.homepage, _web(b, certifier.website))
        b.bool(award, RNCP.active, certifier.active)
        b.date(award, RNCP.statusDate, certifier.status_date)
        b.text(award, RNCP.signatory, certifier.signatory)


def _partners(b: _Builder, c: URIRef) -> None:
    for index, partner in enumerate(b.cert.partners, 1):
        org = _organisation(b, partner)
        node = b.m.part(c, "partner", index)
        b.add(c, RNCP.partner, node)
        b.add(node, RDF.type, RNCP.Partner)
        b.add(node, PROV.agent, org)
        if partner.habilitation:
            b.add(node, RNCP.habilitation, Literal(partner.habilitation))
        b.text(node, RNCP.partnerState, partner.state)
        b.date(node, RNCP.activeSince, partner.active_date)
        b.date(node, RNCP.statusDate, partner.status_date)


def _texts(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    b.texts(c, RNCP.activity, cert.activities)
    if not cert.activities:
        b.text(c, RNCP.activities, cert.activities_text)
    b.texts(c, RNCP.sector, cert.sectors)
    if not cert.sectors:
        b.text(c, RNCP.sectors, cert.sectors_text)
    b.texts(c, RNCP.job, cert.jobs)
    if not cert.jobs:
        b.text(c, RNCP.jobs, cert.jobs_text)


def _outcomes(b: _Builder, owner: URIRef, kind: str, items: Iterable[str]) -> None:
    for index, item in enumerate(items, 1):
        lo = b.m.part(owner, kind, index)
        b.add(owner, ELM.learningOutcome, lo)
        b.add(lo, RDF.type, ELM.LearningOutcome)
        b.add(lo, DCTERMS.title, fr(item))
        b.add(lo, SDO.position, integer(index))


def _summary(b: _Builder, owner: URIRef, text: str | None) -> None:
    if text:
        note = b.m.part(owner, "summary", "text")
        b.add(owner, ELM.learningOutcomeSummary, note)
        b.add(note, RDF.type, ELM.Note)
        b.add(note, ELM.noteLiteral, fr(text))


def _capacities(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    _summary(b, c, cert.capacities_text)
    _outcomes(b, c, "capacity", cert.capacities)
    attached = {block.capacities.letter for block in cert.blocks if block.capacities}
    for group in cert.capacity_groups:
        if group.letter not in attached:
            _group(b, c, group)


def _group(b: _Builder, owner: URIRef, group: CapacityGroup) -> None:
    node = b.m.part(owner, "capacity-group", group.letter)
    b.add(owner, RNCP.capacityGroup, node)
    b.add(node, RDF.type, RNCP.CapacityGroup)
    b.add(node, RNCP.letter, Literal(group.letter))
    b.text(node, DCTERMS.title, group.title)
    for index, item in enumerate(group.items, 1):
        lo = b.m.part(node, "capacity", index)
        b.add(owner, ELM.learningOutcome, lo)
        b.add(node, RNCP.item, lo)
        b.add(lo, RDF.type, ELM.LearningOutcome)
        b.add(lo, DCTERMS.title, fr(item))
        b.add(lo, SDO.position, integer(index))


def _block(b: _Builder, c: URIRef, block: Block) -> None:
    cert = b.cert
    try:
        iri = b.m.block(cert.number, block.code)
    except ValueError as error:
        raise FicheError(str(error), source=cert.provenance.source, fiche=cert.number) from None
    b.add(c, ELM.hasPart, iri)
    b.add(c, DCTERMS.hasPart, iri)
    b.add(iri, RDF.type, ELM.Qualification)
    b.add(iri, RDF.type, SDO.EducationalOccupationalCredential)
    b.add(iri, ELM.isPartialQualification, _TRUE)
    b.add(iri, ELM.isPartOf, c)
    b.add(iri, DCTERMS.isPartOf, c)
    b.add(iri, DCTERMS.identifier, Literal(block.code))
    ident = b.m.part(iri, "identifier", "code")
    b.add(iri, ADMS.identifier, ident)
    b.add(ident, RDF.type, ELM.Identifier)
    b.add(ident, SKOS.notation, Literal(block.code))
    b.text(iri, DCTERMS.title, block.title)
    b.text(iri, SDO.name, block.title)
    b.add(iri, DCTERMS.language, FRENCH)
    b.int(iri, RNCP.blockNumber, block.number)
    b.bool(iri, RNCP.optional, block.optional)
    if cert.level is not None:
        b.add(iri, ELM.EQFLevel, eqf(cert.level))
        b.add(iri, ELM.NQFLevel, b.m.level(cert.level))
    for concept in b.isced:
        b.add(iri, ELM.ISCEDFCode, concept)
    b.text(iri, RNCP.entryPrerequisites, block.entry_prerequisites)
    b.text(iri, RNCP.validationPrerequisites, block.validation_prerequisites)
    _summary(b, iri, block.competences_text)
    _outcomes(b, iri, "competence", block.competences)
    if block.capacities:
        _group(b, iri, block.capacities)
    if block.assessments_text and not block.assessments:
        _assessment(b, iri, 1, block.assessments_text)
    for index, item in enumerate(block.assessments, 1):
        _assessment(b, iri, index, item)


def _assessment(b: _Builder, block: URIRef, index: int, text: str) -> None:
    node = b.m.part(block, "assessment", index)
    b.add(block, ELM.provenBy, node)
    b.add(node, RDF.type, ELM.LearningAssessmentSpecification)
    b.add(node, DCTERMS.title, fr(text))
    b.add(node, SDO.position, integer(index))


def _routes(b: _Builder, c: URIRef) -> None:
    for route in b.cert.access_routes:
        node = b.m.part(c, "access-route", route.kind.value)
        b.add(c, RNCP.accessRoute, node)
        b.add(node, RDF.type, RNCP.AccessRoute)
        b.add(node, RNCP.routeKind, Literal(route.kind.value))
        b.add(node, RDFS.label, fr(route.kind.label))
        b.add(node, RNCP.open, boolean(route.open))
        b.text(node, RNCP.jury, route.jury)
        b.text(node, RNCP.note, route.note)
        b.date(node, DCTERMS.modified, route.modified)


def _legal(b: _Builder, c: URIRef) -> None:
    for index, text in enumerate(b.cert.legal_texts, 1):
        node = b.m.part(c, "legal-text", index)
        b.add(c, RNCP.legalText, node)
        b.add(node, RDF.type, RNCP.LegalText)
        b.add(node, RNCP.legalTextKind, Literal(text.kind.value))
        b.add(node, DCTERMS.title, fr(text.title))
        b.date(node, DCTERMS.date, text.signed)
        b.date(node, DCTERMS.issued, text.published)
    for index, period in enumerate(b.cert.registrations, 1):
        _registration(b, c, index, period)


def _registration(b: _Builder, c: URIRef, index: int, period: RegistrationPeriod) -> None:
    node = b.m.part(c, "registration", index)
    b.add(c, RNCP.registration, node)
    b.add(node, RDF.type, RNCP.RegistrationPeriod)
    b.add(node, RDF.type, DCTERMS.PeriodOfTime)
    b.date(node, DCAT.startDate, period.start)
    b.date(node, DCAT.endDate, period.end)
    b.int(node, RNCP.registrationYears, period.years)
    if period.level:
        level = (
            b.code("level", int(period.level))
            if period.level.isdigit()
            else b.code("level_1969", period.level)
        )
        b.add(node, RNCP.registeredLevel, level)
        b.describe_vocab(level)
    b.text(node, RNCP.registeredTitle, period.title)
    if period.act is not None and period.act in b.cert.legal_texts:
        b.add(node, RNCP.registeredBy, b.m.part(c, "legal-text", b.cert.legal_texts.index(period.act) + 1))


def _current_period(b: _Builder, c: URIRef) -> URIRef | None:
    """The registration in force last: the one with the latest end (or start)."""
    periods = b.cert.registrations
    if not periods:
        return None
    latest = max(
        range(len(periods)), key=lambda i: (periods[i].end or date.min, periods[i].start or date.min)
    )
    return b.m.part(c, "registration", latest + 1)


def _statistics(b: _Builder, c: URIRef) -> None:
    for index, stat in enumerate(b.cert.statistics, 1):
        node = b.m.part(c, "statistics", stat.year or index)
        b.add(c, RNCP.statistic, node)
        b.add(node, RDF.type, RNCP.Statistic)
        _statistic(b, node, stat)


def _statistic(b: _Builder, node: URIRef, stat: Statistic) -> None:
    if stat.year is not None:
        b.add(node, RNCP.year, year(stat.year))
    b.int(node, RNCP.certified, stat.certified)
    b.int(node, RNCP.certifiedVAE, stat.certified_vae)
    b.int(node, RNCP.insertionRate6Months, stat.insertion_rate_6_months)
    b.int(node, RNCP.jobInsertionRate6Months, stat.job_insertion_rate_6_months)
    b.int(node, RNCP.jobInsertionRate2Years, stat.job_insertion_rate_2_years)
    b.text(node, RDFS.comment, stat.text)


def _web(b: _Builder, url: str) -> Node:
    """An http(s) link as an IRI; anything else stays a typed literal."""
    url = url.strip()
    if url.startswith(("http://", "https://")) and not any(ch in url for ch in ' <>"{}|\\^`'):
        return URIRef(url)
    if "." in url and " " not in url and "/" not in url.split(".")[0]:
        return URIRef("http://" + escape(url).replace("%2F", "/").replace("%3A", ":"))
    return Literal(url, datatype=XSD.anyURI)


def _links(b: _Builder, c: URIRef) -> None:
    cert = b.cert
    for url in cert.urls:
        b.add(c, RDFS.seeAlso, _web(b, url))
    for email in cert.emails:
        b.add(c, SDO.email, Literal(email))
    for number in cert.replaces:
        b.add(c, DCTERMS.replaces, b.code("certification", number))
    for number in cert.replaced_by:
        b.add(c, DCTERMS.isReplacedBy, b.code("certification", number))
    for index, corr in enumerate(cert.correspondences, 1):
        node = b.m.part(c, "correspondence", index)
        target = b.code("certification", corr.target)
        b.add(c, RNCP.correspondence, node)
        b.add(node, RDF.type, RNCP.Correspondence)
        b.add(node, RNCP.target, target)
        for code in corr.source_blocks:
            b.add(node, RNCP.sourceBlock, _block_ref(b, cert.number, code))
        for code in corr.target_blocks:
            b.add(node, RNCP.targetBlock, _block_ref(b, corr.target, code))


def _block_ref(b: _Builder, number: str, code: str) -> URIRef:
    try:
        return b.m.block(number, code)
    except ValueError as error:
        raise FicheError(str(error), source=b.cert.provenance.source, fiche=b.cert.number) from None


def _provenance(b: _Builder, c: URIRef) -> None:
    prov = b.cert.provenance
    source = b.m.source(prov.source)
    b.add(c, PROV.wasDerivedFrom, source)
    b.int(c, RNCP.sourceLine, prov.line)
    if b.ctx.first(source):
        b.add(source, RDF.type, PROV.Entity)
        b.add(source, DCTERMS.title, Literal(prov.source))
        b.add(source, RNCP.sourceFormat, Literal(prov.format))
        b.date(source, RNCP.exportDate, prov.export_date)
        if prov.flux_version:
            b.add(source, RNCP.fluxVersion, Literal(prov.flux_version))
        if prov.format != "legacy-text":
            b.add(source, DCTERMS.publisher, fr("France compétences"))
            b.add(source, DCTERMS.license, URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence"))
