"""Every RDF term rncp_ld writes comes from here.

ELM terms are a closed :class:`~rdflib.namespace.DefinedNamespace` (a typo raises
``AttributeError``); ``tests/test_namespaces.py`` checks each one against the official
ELM 3.1 ontology. ``RNCP`` is the project's own small vocabulary for what ELM has no
term for (access routes, legal texts, registration, statistics, provenance).
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "ADMS",
    "DCAT",
    "DCTERMS",
    "ELM",
    "EQF",
    "ESCO",
    "FOAF",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RNCP",
    "ROV",
    "SDO",
    "SKOS",
    "XSD",
    "bind",
]


class ELM(DefinedNamespace):
    """European Learning Model 3.1 terms used by rncp_ld (source: ELM.ttl, commit 9d7c5d22)."""

    _NS = Namespace("http://data.europa.eu/snb/model/elm/")
    _fail = True

    Qualification: URIRef
    LearningOutcome: URIRef
    LearningAssessmentSpecification: URIRef
    LearningEntitlementSpecification: URIRef
    AwardingOpportunity: URIRef
    Organisation: URIRef
    LegalIdentifier: URIRef
    Identifier: URIRef
    Note: URIRef
    Address: URIRef
    WebResource: URIRef

    isPartialQualification: URIRef
    hasPart: URIRef
    isPartOf: URIRef
    EQFLevel: URIRef
    NQFLevel: URIRef
    qualificationCode: URIRef
    learningOutcome: URIRef
    learningOutcomeSummary: URIRef
    provenBy: URIRef
    proves: URIRef
    awardingOpportunity: URIRef
    awardingBody: URIRef
    learningAchievementSpecification: URIRef
    entitlesTo: URIRef
    limitNationalOccupation: URIRef
    limitOccupation: URIRef
    educationSubject: URIRef
    entryRequirement: URIRef
    additionalNote: URIRef
    noteLiteral: URIRef
    category: URIRef
    status: URIRef
    startDate: URIRef
    endDate: URIRef
    eidasLegalIdentifier: URIRef
    location: URIRef
    contentUrl: URIRef
    schemeName: URIRef


ADMS = Namespace("http://www.w3.org/ns/adms#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
ESCO = Namespace("http://data.europa.eu/esco/model#")
EQF = Namespace("http://data.europa.eu/snb/eqf/")


class RNCP(DefinedNamespace):
    """The rncp-ld vocabulary: what ELM, DCTERMS and schema.org leave out."""

    _NS = Namespace("https://w3id.org/rncp-ld/ns#")
    _fail = True

    # classes
    AccessRoute: URIRef
    LegalText: URIRef
    RegistrationPeriod: URIRef
    Statistic: URIRef
    Correspondence: URIRef
    Partner: URIRef
    CapacityGroup: URIRef
    Place: URIRef
    # fiche
    registry: URIRef
    ficheId: URIRef
    ficheStatus: URIRef
    active: URIRef
    abbreviation: URIRef
    level1969: URIRef
    nsf: URIRef
    formacode: URIRef
    rome: URIRef
    ccn: URIRef
    objectives: URIRef
    activities: URIRef
    activity: URIRef
    capacities: URIRef
    capacityGroup: URIRef
    sectors: URIRef
    sector: URIRef
    jobs: URIRef
    job: URIRef
    components: URIRef
    validation: URIRef
    validationItem: URIRef
    componentsValidity: URIRef
    accessRoute: URIRef
    routeKind: URIRef
    open: URIRef
    jury: URIRef
    note: URIRef
    accessibleNewCaledonia: URIRef
    accessibleFrenchPolynesia: URIRef
    legalText: URIRef
    legalTextKind: URIRef
    signed: URIRef
    journalOfficiel: URIRef
    registration: URIRef
    registeredBy: URIRef
    registrationYears: URIRef
    registrationType: URIRef
    level: URIRef
    registeredTitle: URIRef
    decisionDate: URIRef
    effectiveDate: URIRef
    registrationEnd: URIRef
    publicationDate: URIRef
    lastJODate: URIRef
    deliveryDeadline: URIRef
    statistic: URIRef
    year: URIRef
    certified: URIRef
    certifiedVAE: URIRef
    insertionRate6Months: URIRef
    jobInsertionRate6Months: URIRef
    jobInsertionRate2Years: URIRef
    replaces: URIRef
    replacedBy: URIRef
    correspondence: URIRef
    sourceBlock: URIRef
    targetBlock: URIRef
    target: URIRef
    entryPrerequisites: URIRef
    validationPrerequisites: URIRef
    regulations: URIRef
    partialValidation: URIRef
    masteryLevel: URIRef
    certificationPlace: URIRef
    preparationPlace: URIRef
    history: URIRef
    previousTitle: URIRef
    partner: URIRef
    habilitation: URIRef
    partnerState: URIRef
    activeSince: URIRef
    statusDate: URIRef
    signatory: URIRef
    commercialName: URIRef
    optional: URIRef
    letter: URIRef
    item: URIRef
    blockNumber: URIRef
    section: URIRef
    sourceFormat: URIRef
    exportDate: URIRef
    fluxVersion: URIRef
    sourceLine: URIRef
    escoMappingMethod: URIRef


PREFIXES: dict[str, str] = {
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "elm": str(ELM._NS),
    "esco": str(ESCO),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "rncp": str(RNCP._NS),
    "rov": str(ROV),
    "schema": str(SDO),
    "skos": str(SKOS),
    "xsd": str(XSD),
}
"""Prefixes of every serialization, in a fixed order."""


def bind(graph: Graph) -> Graph:
    """Bind :data:`PREFIXES` on ``graph`` and return it."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph
