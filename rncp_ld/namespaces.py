"""Every RDF term rncp_ld writes comes from here.

ELM terms are a closed :class:`~rdflib.namespace.DefinedNamespace` (a typo raises
``AttributeError``); ``tests/test_namespaces.py`` checks each one against the official
ELM 3.1 ontology. ``RNCP`` is the project's own small vocabulary for what ELM has no
term for (access routes, legal texts, registration, statistics, provenance).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as _rdflib
from rdflib.namespace import DefinedNamespace

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
    "Terms",
    "bind",
]


class Terms:
    """A closed vocabulary as plain attributes: a lookup is a dict hit, an unknown name raises.

    Built from a :class:`~rdflib.namespace.DefinedNamespace`, whose own attribute lookup
    goes through a metaclass on every access (too slow for millions of triples).
    """

    def __init__(self, defined: type[DefinedNamespace]) -> None:
        self._NS = defined._NS
        self._names = tuple(n for n in defined.__annotations__ if not n.startswith("_"))
        for name in self._names:
            setattr(self, name, URIRef(self._NS + name))

    def __getattr__(self, name: str) -> URIRef:
        raise AttributeError(f"{name!r} is not a term of {self._NS}")

    def __iter__(self) -> Iterator[URIRef]:
        """Every term, in declaration order."""
        return (getattr(self, name) for name in self._names)


class _ELM(DefinedNamespace):
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
    ISCEDFCode: URIRef
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


class _RNCP(DefinedNamespace):
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
    activities: URIRef
    activity: URIRef
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
    registration: URIRef
    registeredBy: URIRef
    registrationYears: URIRef
    registrationType: URIRef
    level: URIRef
    registeredTitle: URIRef
    registeredLevel: URIRef
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
    correspondence: URIRef
    sourceBlock: URIRef
    targetBlock: URIRef
    target: URIRef
    entryPrerequisites: URIRef
    validationPrerequisites: URIRef
    regulations: URIRef
    partialValidation: URIRef
    partialValidationScope: URIRef
    renewalTerms: URIRef
    validityDuration: URIRef
    hasPartners: URIRef
    levelYear: URIRef
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


ELM = Terms(_ELM)
RNCP = Terms(_RNCP)
DCAT = Terms(_rdflib._DCAT.DCAT)
DCTERMS = Terms(_rdflib._DCTERMS.DCTERMS)
FOAF = Terms(_rdflib._FOAF.FOAF)
ORG = Terms(_rdflib._ORG.ORG)
OWL = Terms(_rdflib._OWL.OWL)
PROV = Terms(_rdflib._PROV.PROV)
RDF = Terms(_rdflib._RDF.RDF)
RDFS = Terms(_rdflib._RDFS.RDFS)
SDO = Terms(_rdflib._SDO.SDO)
SKOS = Terms(_rdflib._SKOS.SKOS)
XSD = Terms(_rdflib._XSD.XSD)

PREFIXES: dict[str, str] = {
    "adms": str(ADMS),
    "dcat": str(DCAT._NS),
    "dct": str(DCTERMS._NS),
    "elm": str(ELM._NS),
    "esco": str(ESCO),
    "foaf": str(FOAF._NS),
    "org": str(ORG._NS),
    "owl": str(OWL._NS),
    "prov": str(PROV._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "rncp": str(RNCP._NS),
    "rov": str(ROV),
    "schema": str(SDO._NS),
    "skos": str(SKOS._NS),
    "xsd": str(XSD._NS),
}
"""Prefixes of every serialization, in a fixed order."""


def bind(graph: Graph) -> Graph:
    """Bind :data:`PREFIXES` on ``graph`` and return it."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph
