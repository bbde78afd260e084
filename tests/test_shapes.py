"""SHACL shapes of the rncp-ld profile (shapes/rncp.ttl, shapes/rncp-sparql.ttl).

Every fiche of the seed and of the shared samples conforms, one self-contained graph per fiche
(what validation sees), under the default base and under another one; the warnings the real
data raises are listed with their reason. Then each shape is broken in a small graph derived
from a real fiche, by one change, and the exact results are checked: focus node, path, source
shape, constraint component, severity and message (English pinned here, French from the shape).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import NamedTuple
from urllib.parse import urljoin

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from rncp_ld.model import Certification, Code
from rncp_ld.namespaces import (
    ADMS,
    DCAT,
    DCTERMS,
    ELM,
    ESCO,
    FOAF,
    PROV,
    RDF,
    RNCP,
    ROV,
    SDO,
    SKOS,
    XSD,
)
from rncp_ld.rdf.graph import Context, fiche_triples
from rncp_ld.readers import read
from rncp_ld.uris import DEFAULT_BASE, Minter
from rncp_ld.vocabularies import Vocabularies

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED

RSH = Namespace("https://w3id.org/rncp-ld/shapes#")
CORE = "rncp.ttl"
SPARQL = "rncp-sparql.ttl"
SAMPLES = (SEED, RNCP_XML, RS_XML, CSV_ZIP)
OTHER_BASE = "https://data.example.org/certifications/"
EQF = Namespace("http://data.europa.eu/snb/eqf/")

Path = URIRef | tuple[str, URIRef] | None
"""A result path: a predicate, ``("^", predicate)`` for an inverse path, or None."""


# Loading the shapes ----------------------------------------------------------------------


@cache
def load_shapes(base: str, *names: str) -> Graph:
    """The shapes with their relative IRIs (<rome>, <cnc/5>…) resolved against ``base``.

    This is how the files must be parsed: ``publicID`` = the export's base, as for vocab/*.ttl.
    A base that relative IRIs cannot extend (``…#``, ``urn:…:``) is handled like
    ``rncp_ld.vocabularies``: parse against the default base, then move the IRIs.
    """
    base = Minter(base).base
    direct = urljoin(base, "a/b") == base + "a/b"
    graph = Graph()
    for name in names or (CORE,):
        text = files("rncp_ld.shapes").joinpath(name).read_text(encoding="utf-8")
        graph.parse(data=text, format="turtle", publicID=base if direct else DEFAULT_BASE)
    if direct:
        return graph

    def move(term: Node) -> Node:
        if isinstance(term, URIRef) and term.startswith(DEFAULT_BASE):
            return URIRef(base + term[len(DEFAULT_BASE) :])
        return term

    moved = Graph()
    for s, p, o in graph:
        moved.add((move(s), p, move(o)))
    return moved


# Validation results ----------------------------------------------------------------------


class Result(NamedTuple):
    focus: Node
    path: Path
    shape: str
    """Local name of the source shape in ``rsh:``."""
    component: str
    """``MinCount`` for ``sh:MinCountConstraintComponent``."""
    severity: str
    message: str
    """The English message."""


def validate(graph: Graph, base: str = DEFAULT_BASE, *names: str) -> list[Result]:
    """Every top-level result of pySHACL (SHACL Core semantics, no inference), sorted."""
    _, report, _ = pyshacl.validate(
        graph, shacl_graph=load_shapes(base, *names), inference="none", advanced=False
    )
    results = []
    for node in report.objects(None, SH.result):  # sh:detail of sh:node results left out
        path = report.value(node, SH.resultPath)
        if isinstance(path, BNode):
            path = ("^", report.value(path, SH.inversePath))
        shape = str(report.value(node, SH.sourceShape))
        assert shape.startswith(str(RSH)), f"result from an anonymous shape: {shape}"
        name = shape.removeprefix(str(RSH))
        declared = declared_messages(name, base, *names)
        # pySHACL fills in the templates of SPARQL messages and drops their language tag
        messages = {
            m.language or declared.get(str(m)): str(m) for m in report.objects(node, SH.resultMessage)
        }
        assert messages.keys() == {"en", "fr"}, f"{name}: messages {messages}"
        assert declared[messages["fr"]] == "fr"
        results.append(
            Result(
                report.value(node, SH.focusNode),
                path,
                name,
                str(report.value(node, SH.sourceConstraintComponent))
                .split("#")[1]
                .removesuffix("ConstraintComponent"),
                str(report.value(node, SH.resultSeverity)).split("#")[1],
                messages["en"],
            )
        )
    return sorted(results, key=str)


def declared_messages(name: str, base: str, *names: str) -> dict[str, str]:
    """Text → language of the messages of shape ``name`` (of its SPARQL constraint if any)."""
    shapes = load_shapes(base, *names)
    node = RSH[name]
    constraint = shapes.value(node, SH.sparql)
    return {str(m): m.language for m in shapes.objects(constraint or node, SH.message)}


# The samples, one self-contained graph per fiche -----------------------------------------


class Fiche(NamedTuple):
    source: str
    cert: Certification
    graph: Graph


def fiche_graph(cert: Certification, base: str = DEFAULT_BASE) -> Graph:
    graph = Graph()
    for triple in fiche_triples(cert, Context(Minter(base), repeat_shared=True)):
        graph.add(triple)
    return graph


def samples(base: str = DEFAULT_BASE) -> tuple[Fiche, ...]:
    return _samples(base)  # one cache entry per base, however it is passed


@cache
def _samples(base: str) -> tuple[Fiche, ...]:
    return tuple(
        Fiche(path.name, item, fiche_graph(item, base))
        for path in SAMPLES
        for item in read(path)
        if isinstance(item, Certification)
    )


def sample(number: str) -> Fiche:
    """The one fiche ``number`` of the samples (RS5000, read twice, is not used here)."""
    (found,) = [f for f in samples() if f.cert.number == number]
    return found


def iri(path: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(Minter(base).base + path)


# Real data: every fiche conforms; these are the warnings it raises, with their reason --------


def expected_warnings(base: str) -> dict[tuple[str, str], list[Result]]:
    """(source file, fiche) → the warnings its real data raises."""
    csv = CSV_ZIP.name

    def warning(focus: str, path: Path, shape: str) -> Result:
        return Result(iri(focus, base), path, shape, "MinCount", "Warning", EN[shape])

    rncp509 = [f"rncp/RNCP509/BC0{n}" for n in range(1, 7)]
    return {
        # RNCP40344 lists A1500, a ROME 4.0 code that the ROME v3 vocabulary of rncp-ld lacks.
        (RNCP_XML.name, "RNCP40344"): [
            Result(
                iri("rncp/RNCP40344", base),
                RNCP.rome,
                "Certification-rome-known",
                "Node",
                "Warning",
                EN["Certification-rome-known"],
            )
        ],
        # The Blocs member of the CSV export has only the code and title of a block: no
        # competences, no assessment.
        (csv, "RNCP509"): [warning(b, ELM.learningOutcome, "Block-competences") for b in rncp509]
        + [warning(b, ELM.provenBy, "Block-assessments") for b in rncp509],
        # Old inactive fiches for which the Certificateurs member of the CSV export has no row.
        (csv, "RNCP1197"): [warning("rncp/RNCP1197", ELM.awardingOpportunity, "Certification-certifier")],
        (csv, "RNCP4049"): [warning("rncp/RNCP4049", ELM.awardingOpportunity, "Certification-certifier")],
        (csv, "RNCP22094"): [warning("rncp/RNCP22094", ELM.awardingOpportunity, "Certification-certifier")],
        (csv, "RNCP28155"): [warning("rncp/RNCP28155", ELM.awardingOpportunity, "Certification-certifier")],
        # "CQP Tourier" is registered "Sans niveau" (Nomenclature_Europe_Niveau REPRISE): no EQF level.
        (csv, "RNCP19468"): [warning("rncp/RNCP19468", ELM.EQFLevel, "CertificationLevel-eqf")],
    }


def sample_results(base: str = DEFAULT_BASE) -> tuple[list[Result], ...]:
    """The results of each fiche of ``samples(base)``, Core and SPARQL shapes together."""
    return _sample_results(base)


@cache
def _sample_results(base: str) -> tuple[list[Result], ...]:
    return tuple(validate(fiche.graph, base, CORE, SPARQL) for fiche in samples(base))


@pytest.mark.parametrize("base", [DEFAULT_BASE, OTHER_BASE])
def test_every_sample_fiche_conforms_with_only_the_known_warnings(base):
    found = {
        (fiche.source, fiche.cert.number): results
        for fiche, results in zip(samples(base), sample_results(base), strict=True)
        if results
    }
    assert found == {key: sorted(results, key=str) for key, results in expected_warnings(base).items()}
    assert len(samples(base)) == 30


def test_rs_fiches_have_no_level_and_are_not_asked_for_one():
    rs = [(f, r) for f, r in zip(samples(), sample_results(), strict=True) if f.cert.number.startswith("RS")]
    assert len(rs) == 10
    for fiche, results in rs:
        c = iri(f"rs/{fiche.cert.number}")
        assert (c, ELM.EQFLevel, None) not in fiche.graph
        assert (c, RNCP.level, None) not in fiche.graph
        assert results == []


def test_a_base_ending_in_a_hash_is_handled_like_the_vocabularies():
    base = "https://data.example.org/registre#"
    shapes = load_shapes(base)
    rome = next(o for o in shapes.objects(None, SH.hasValue) if str(o).endswith("rome"))
    assert rome == Minter(base).scheme("rome") == URIRef(base + "rome")
    seed = fiche_graph(sample("RNCP16575").cert, base)
    assert validate(seed, base) == []


def test_shapes_parsed_against_another_base_than_the_data_reject_the_scheme_values():
    """Why publicID matters: the scheme checks compare IRIs under the export's base."""
    graph = fiche_graph(sample("RNCP37488").cert, OTHER_BASE)
    shapes = {r.shape for r in validate(graph, DEFAULT_BASE)}
    assert {"Qualification-nqf", "Certification-rome-scheme", "Certification-nsf-scheme"} <= shapes


def test_the_shipped_vocabularies_conform():
    vocab = Vocabularies.load(Minter(DEFAULT_BASE)).graph
    assert validate(vocab) == []


# The shapes file itself ------------------------------------------------------------------

# fmt: off
CORE_SUBSET = {
    SH.NodeShape, SH.PropertyShape, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.path,
    SH.inversePath, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.IRI, SH["class"], SH["in"],
    SH.hasValue, SH.pattern, SH.languageIn, SH.uniqueLang, SH.lessThan, SH.minInclusive,
    SH.maxInclusive, SH.node, SH.severity, SH.Violation, SH.Warning, SH.message, SH.name,
}
# fmt: on
"""What the fast engine of rncp_ld/validation implements, as far as rncp.ttl is concerned."""


def shacl_terms(graph: Graph) -> set[Node]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(SH))}


def test_the_core_file_uses_only_the_engine_subset_and_simple_paths():
    shapes = load_shapes(DEFAULT_BASE)
    assert shacl_terms(shapes) <= CORE_SUBSET
    for path in shapes.objects(None, SH.path):
        if isinstance(path, BNode):
            assert set(shapes.predicate_objects(path)) == {
                (SH.inversePath, shapes.value(path, SH.inversePath))
            }
            assert isinstance(shapes.value(path, SH.inversePath), URIRef)
        else:
            assert isinstance(path, URIRef)
    assert not [t for triple in shapes for t in triple if str(t).startswith("file:")]


def reporting_shapes(shapes: Graph) -> set[URIRef]:
    """Named shapes that can produce a result: property shapes and targeted node shapes with
    a constraint of their own."""
    named = {s for s in shapes.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(RSH))}
    return {
        s
        for s in named
        if (s, SH.path, None) in shapes
        or ((s, SH["class"], None) in shapes and (s, SH.targetSubjectsOf, None) in shapes)
    }


def test_every_reporting_shape_has_a_severity_a_name_and_messages_in_english_and_french():
    shapes = load_shapes(DEFAULT_BASE)
    for shape in reporting_shapes(shapes):
        assert len(list(shapes.objects(shape, SH.severity))) == 1, shape
        assert sorted(m.language for m in shapes.objects(shape, SH.message)) == ["en", "fr"], shape
        if (shape, SH.path, None) in shapes:
            assert sorted(m.language for m in shapes.objects(shape, SH.name)) == ["en", "fr"], shape
    # every named property shape is used by exactly one node shape
    for shape in shapes.subjects(SH.path, None):
        if isinstance(shape, URIRef):
            assert len(list(shapes.subjects(SH.property, shape))) == 1, shape


# Breaking each shape ---------------------------------------------------------------------

Change = Callable[[Graph], None]


def put(s: Node, p: URIRef, *objects: Node) -> Change:
    """Replace every value of ``p`` on ``s`` by ``objects``."""

    def change(graph: Graph) -> None:
        graph.remove((s, p, None))
        for o in objects:
            graph.add((s, p, o))

    return change


def add(s: Node, p: URIRef, o: Node) -> Change:
    def change(graph: Graph) -> None:
        graph.add((s, p, o))

    return change


def remove(s: Node, p: URIRef, o: Node | None = None) -> Change:
    def change(graph: Graph) -> None:
        graph.remove((s, p, o))

    return change


def drop(*nodes: Node) -> Change:
    """Remove the nodes: every triple they are the subject or object of."""

    def change(graph: Graph) -> None:
        for node in nodes:
            graph.remove((node, None, None))
            graph.remove((None, None, node))

    return change


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def number(value: int) -> Literal:
    return Literal(value)


def inv(p: URIRef) -> tuple[str, URIRef]:
    return ("^", p)


def E(focus: Node, path: Path, shape: str, component: str, severity: str = "Violation") -> Result:
    """An expected result; its message is the English message pinned in EN."""
    return Result(focus, path, shape, component, severity, EN[shape])


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    fiche: str
    change: Change | None
    expected: tuple[Result, ...]
    model: Callable[[Certification], Certification] | None = None
    """A change of the fiche itself, written by the real writer (unknown codes, no level)."""

    def graph(self) -> Graph:
        fiche = sample(self.fiche)
        if self.model is not None:
            return fiche_graph(self.model(fiche.cert))
        graph = Graph()
        graph += fiche.graph
        assert self.change is not None
        self.change(graph)
        return graph


# RNCP37488 (XML): 2 blocks, certifier with SIRET, ROME, NSF, Formacode, access routes, legal texts
R = iri("rncp/RNCP37488")
B1, B2 = iri("rncp/RNCP37488/BC01"), iri("rncp/RNCP37488/BC02")
LO, LO2 = iri("rncp/RNCP37488/BC01/competence/1"), iri("rncp/RNCP37488/BC01/competence/2")
AS = iri("rncp/RNCP37488/BC01/assessment/1")
NOTE = iri("rncp/RNCP37488/BC01/summary/text")
AW = iri("rncp/RNCP37488/awarding/1")
ORG = iri("org/siret/11004301500012")
LID = iri("org/siret/11004301500012/identifier/siret")
CID = iri("rncp/RNCP37488/identifier/rncp")
REG = iri("rncp/RNCP37488/registration/1")
ENT = iri("rncp/RNCP37488/entitlement/jobs")
LT = iri("rncp/RNCP37488/legal-text/1")
AR = iri("rncp/RNCP37488/access-route/FI")
SRC = iri("source/export_fiches_RNCP_fixture.xml")
M1801, NSF326, FC = iri("rome/M1801"), iri("nsf/326"), iri("formacode/31045")
ISCED = URIRef("http://data.europa.eu/snb/isced-f/0613")  # one of the two fields of NSF 326
ESCO_1 = URIRef("http://data.europa.eu/esco/occupation/0ce5a9f4-e00a-4bbe-b255-3c63407167a4")
# RNCP16575 (seed, legacy text): registration periods with start and end, 1969 level
S = iri("rncp/RNCP16575")
S_REG2 = iri("rncp/RNCP16575/registration/2")
# RS6604 (XML): no level, a partner; RS6232 (XML): statistics; RNCP1197 (CSV): the smallest
RS = iri("rs/RS6604")
RS_REG = iri("rs/RS6604/registration/1")
RS_PARTNER = iri("rs/RS6604/partner/1")
STAT = iri("rs/RS6232/statistics/2020")
OLD = iri("rncp/RNCP1197")


def with_codes(**codes: tuple[Code, ...]) -> Callable[[Certification], Certification]:
    def change(cert: Certification) -> Certification:
        return dataclasses.replace(cert, **{k: getattr(cert, k) + v for k, v in codes.items()})

    return change


EN = {
    "AccessRoute-kind": (
        "An access route must be exactly one of FI, CA, FC, CQ, CL or VAE (rncp:routeKind)."
    ),
    "AccessRoute-open": (
        "An access route must state once whether it is open, as true or false (rncp:open, xsd:boolean)."
    ),
    "AccessRoute-owner": (
        "This access route is orphaned: it must belong to a certification (rncp:accessRoute)."
    ),
    "AssessmentSpecification-owner": (
        "This assessment method is orphaned: it must belong to a block or a certification (elm:provenBy)."
    ),
    "AssessmentSpecification-position": (
        "The position of an assessment method in its list must be given at most once, as a whole number from 1 (xsd:integer)."
    ),
    "AssessmentSpecification-title": "An assessment method must have exactly one text (dct:title).",
    "AwardingOpportunity-body": (
        "A certifier entry must name exactly one certifying organisation (elm:awardingBody, an elm:Organisation)."
    ),
    "AwardingOpportunity-listed": (
        "This certifier entry is orphaned: it must be listed by a certification (elm:awardingOpportunity)."
    ),
    "AwardingOpportunity-period": (
        "A certifier entry may give at most one period, a registration period of the certification (rncp:RegistrationPeriod)."
    ),
    "AwardingOpportunity-qualification": (
        "A certifier entry must name exactly one certification it awards (elm:learningAchievementSpecification)."
    ),
    "Block": "A block of competences must be typed as an elm:Qualification.",
    "Block-assessments": "This block gives no assessment method (elm:provenBy).",
    "Block-code": (
        "The code of a block must be the number of its RNCP certification followed by BC and two or three digits, such as RNCP34762BC01."
    ),
    "Block-competences": "This block lists no competence (elm:learningOutcome).",
    "Block-listed": (
        "This block is orphaned: it must be listed among the blocks (elm:hasPart) of exactly one certification."
    ),
    "Block-number": (
        "The number of a block must be given at most once, as a whole number from 1 (xsd:integer)."
    ),
    "Block-parent": (
        "A block must belong to exactly one certification (elm:isPartOf), which is not itself a block."
    ),
    "Block-partial": ("A block must be marked as a partial qualification (elm:isPartialQualification true)."),
    "BlockCodePrefix": (
        "The code of this block does not start with the code of its certification followed by BC: the block is attached to the wrong certification, or its code is wrong."
    ),
    "Certification": "A certification must be typed as an elm:Qualification.",
    "Certification-access-route": (
        "An access route of a certification must be described as an rncp:AccessRoute."
    ),
    "Certification-blocks": (
        "A part of a certification (elm:hasPart) must be a block of competences: an elm:Qualification marked as partial."
    ),
    "Certification-certifier": ("No certifier is named for this certification (elm:awardingOpportunity)."),
    "Certification-certifier-type": (
        "A certifier of a certification must be described as an elm:AwardingOpportunity."
    ),
    "Certification-code": (
        "The code of a certification must be RNCP or RS followed by digits, such as RNCP34762 or RS5000."
    ),
    "Certification-decision-before-end": (
        "The registration ends before it was decided: the decision date must come before the end of registration."
    ),
    "Certification-educationalLevel": (
        "The schema.org educational level must be one of the eight EQF levels http://data.europa.eu/snb/eqf/1 to /8, given once."
    ),
    "Certification-effective-before-end": (
        "The registration ends before it takes effect: the effective date must come before the end of registration."
    ),
    "Certification-entitlement": (
        "The jobs a certification leads to must be described as an elm:LearningEntitlementSpecification."
    ),
    "Certification-formacode": (
        "A Formacode of the certification must be a five-digit code of the Formacode scheme of rncp-ld."
    ),
    "Certification-homepage": (
        "The certification should link once to its page on francecompetences.fr (foaf:homepage)."
    ),
    "Certification-legal-text": ("A legal text of a certification must be described as an rncp:LegalText."),
    "Certification-level1969": (
        "The 1969 level must be one level I to V of the 1969 nomenclature (scheme niveau-1969 of rncp-ld), given once."
    ),
    "Certification-nsf-group": (
        "This NSF code does not fall in a group of the NSF nomenclature (its first three digits are not an NSF group)."
    ),
    "Certification-nsf-scheme": (
        "An NSF code of the certification must be a speciality of the NSF scheme of rncp-ld (such as 332 or 332t)."
    ),
    "Certification-registration": (
        "No registration period is given for this certification (rncp:registration)."
    ),
    "Certification-registration-type": (
        "A registration period must be described as an rncp:RegistrationPeriod."
    ),
    "Certification-registrationEnd": (
        "The end of registration must be given at most once, as a date (xsd:date, such as 2026-08-31)."
    ),
    "Certification-registrationYears": (
        "The length of registration must be given at most once, as a whole number of years, at least 1 (xsd:integer)."
    ),
    "Certification-registry": (
        'A certification must name its registry once: "RNCP" or "RS" (rncp:registry).'
    ),
    "Certification-rome-known": (
        "This ROME code is not in the ROME v3 list shipped with rncp-ld (it may be a ROME 4.0 code): check it; it has no ESCO occupation."
    ),
    "Certification-rome-scheme": (
        "A ROME code of the certification must be a job code of the ROME scheme of rncp-ld (a letter and four digits, such as K1801)."
    ),
    "Certification-source": (
        "The certification should name once the source file it was read from (prov:wasDerivedFrom, a prov:Entity)."
    ),
    "Certification-sourceLine": (
        "The line of the fiche in its source file must be given at most once, as a whole number from 1 (xsd:integer)."
    ),
    "Certification-whole": (
        "A certification cannot be marked as a partial qualification: only its blocks are."
    ),
    "CertificationLevel-eqf": (
        'This RNCP certification has no European (EQF) level. Only a fiche registered "Sans niveau" may lack one: check that the fiche says so.'
    ),
    "Concept-notation": "A concept has at most one code, written as plain text (skos:notation).",
    "Concept-prefLabel": "A concept may have only one preferred label per language (skos:prefLabel).",
    "Concept-scheme": "The scheme of a concept must be named by an IRI (skos:inScheme).",
    "Entitlement-esco": (
        "An ESCO occupation must be an occupation of the ESCO classification (http://data.europa.eu/esco/occupation/…, typed esco:Occupation)."
    ),
    "Entitlement-rome": (
        "The jobs a certification leads to must be given as job codes of the ROME scheme of rncp-ld (elm:limitNationalOccupation, such as K1801)."
    ),
    "EuropeanLevelHolder-nqf": (
        "A European level (elm:EQFLevel) is given without the national level (elm:NQFLevel) it corresponds to."
    ),
    "Identifier-notation": (
        "An identifier record must carry exactly one code such as RNCP34762, RS5000 or RNCP34762BC01 (skos:notation)."
    ),
    "Identifier-scheme": 'The scheme of an identifier, when given, must be "RNCP" or "RS", once.',
    "LearningOutcome-owner": (
        "This competence or capacity is orphaned: it must belong to a certification or a block (elm:learningOutcome)."
    ),
    "LearningOutcome-position": (
        "The position of a competence or capacity in its list must be given at most once, as a whole number from 1 (xsd:integer)."
    ),
    "LearningOutcome-title": "A competence or capacity must have exactly one text (dct:title).",
    "LegalIdentifier-notation": (
        "A legal identifier must carry exactly one SIRET number of 14 digits (skos:notation)."
    ),
    "LegalText-kind": (
        'A legal text must have exactly one kind: "general", "creation", "vae" or "other" (rncp:legalTextKind).'
    ),
    "LegalText-title": "A legal text must have exactly one title (dct:title).",
    "NationalLevelHolder-eqf": (
        "A national level (elm:NQFLevel) is given without the European level (elm:EQFLevel) it corresponds to."
    ),
    "Note-text": (
        "A summary must have exactly one text, marked as French (elm:noteLiteral, language tag @fr)."
    ),
    "Organisation-name": "An organisation must have exactly one legal name (rov:legalName).",
    "Organisation-registration": (
        "The registration of an organisation must be given at most once, as an elm:LegalIdentifier."
    ),
    "Organisation-siret": ("The SIRET number of an organisation must be given at most once, as 14 digits."),
    "Partner-agent": (
        "An empowered partner must name exactly one organisation (prov:agent, an elm:Organisation)."
    ),
    "Partner-listed": (
        "This empowered partner is orphaned: it must be listed by a certification (rncp:partner)."
    ),
    "Qualification-adms-identifier": (
        "A certification or block must have exactly one identifier record (adms:identifier, an elm:Identifier)."
    ),
    "Qualification-assessment": (
        "An assessment method of a block must be described as an elm:LearningAssessmentSpecification."
    ),
    "Qualification-eqf": (
        "The European level (elm:EQFLevel) must be one of the eight EQF levels http://data.europa.eu/snb/eqf/1 to /8, given once."
    ),
    "Qualification-identifier": (
        "A certification or block must have exactly one code (dct:identifier), such as RNCP34762 or RNCP34762BC01."
    ),
    "Qualification-isced": (
        "A field of education must be a detailed field of ISCED-F 2013 (http://data.europa.eu/snb/isced-f/ and four digits, such as 0923), in the EU ISCED-F scheme."
    ),
    "Qualification-language": (
        "The language of the certification or block should be given as French (dct:language FRA of the EU language list)."
    ),
    "Qualification-nqf": (
        "The national level (elm:NQFLevel) must be one level of the national framework (scheme cnc of rncp-ld, levels 1 to 8), given once."
    ),
    "Qualification-outcome": (
        "A competence or capacity of a certification or block must be described as an elm:LearningOutcome."
    ),
    "Qualification-partial": (
        "Whether this is a block (partial qualification) must be stated at most once, as true or false (xsd:boolean)."
    ),
    "Qualification-summary": "The summary of competences must be given at most once, as an elm:Note.",
    "Qualification-title": "A certification or block must have exactly one title (dct:title).",
    "Qualification-title-language": "The title must be a text marked as French (language tag @fr).",
    "RegistrationPeriod-act": (
        "The act that registered the certification must be given at most once, as a legal text of the fiche (rncp:LegalText)."
    ),
    "RegistrationPeriod-end": (
        "A registration period must have exactly one end date, as a date (dcat:endDate, xsd:date such as 2026-08-31)."
    ),
    "RegistrationPeriod-level": (
        "The level of a registration must be, once, a level 1 to 8 of the national framework or I to V of the 1969 nomenclature (schemes cnc and niveau-1969 of rncp-ld)."
    ),
    "RegistrationPeriod-order": (
        "This registration period ends before it starts: its start date must come before its end date."
    ),
    "RegistrationPeriod-owner": (
        "This registration period is orphaned: it must belong to a certification (rncp:registration)."
    ),
    "RegistrationPeriod-start": (
        "The start date of a registration period must be given at most once, as a date (dcat:startDate, xsd:date such as 2021-09-01)."
    ),
    "RegistrationPeriod-years": (
        "The length of a registration period must be given at most once, as a whole number of years, at least 1 (xsd:integer)."
    ),
    "Source-format": (
        'The format of a source file must be, once, "fc-xml", "fc-csv" or "legacy-text" (rncp:sourceFormat).'
    ),
    "Statistic-certified": (
        "The number of holders must be given at most once, as a whole number, 0 or more (xsd:integer)."
    ),
    "Statistic-certifiedVAE": (
        "The number of holders through VAE must be given at most once, as a whole number, 0 or more (xsd:integer)."
    ),
    "Statistic-insertionRate6Months": (
        "The insertion rate at 6 months must be given at most once, as a whole percentage from 0 to 100 (xsd:integer)."
    ),
    "Statistic-jobInsertionRate2Years": (
        "The job insertion rate at 2 years must be given at most once, as a whole percentage from 0 to 100 (xsd:integer)."
    ),
    "Statistic-jobInsertionRate6Months": (
        "The job insertion rate at 6 months must be given at most once, as a whole percentage from 0 to 100 (xsd:integer)."
    ),
}
"""The English message of each shape broken by a case (the French one is read from the shape)."""


# fmt: off
CASES = [
    # elm:Qualification: certifications and blocks
    Case("qualification-without-code", "RNCP37488", remove(R, DCTERMS.identifier),
         (E(R, DCTERMS.identifier, "Qualification-identifier", "MinCount"),)),
    Case("qualification-with-two-codes", "RNCP37488", add(B1, DCTERMS.identifier, Literal("RNCP37488BC03")),
         (E(B1, DCTERMS.identifier, "Qualification-identifier", "MaxCount"),)),
    Case("qualification-without-title", "RNCP37488", remove(B1, DCTERMS.title),
         (E(B1, DCTERMS.title, "Qualification-title", "MinCount"),)),
    Case("qualification-with-two-titles", "RNCP37488", add(R, DCTERMS.title, Literal("Autre intitulé", lang="fr")),
         (E(R, DCTERMS.title, "Qualification-title", "MaxCount"),)),
    Case("qualification-title-untagged", "RNCP37488", put(R, DCTERMS.title, Literal("Intitulé")),
         (E(R, DCTERMS.title, "Qualification-title-language", "LanguageIn"),)),
    Case("qualification-title-in-english", "RNCP37488", put(B1, DCTERMS.title, Literal("Title", lang="en")),
         (E(B1, DCTERMS.title, "Qualification-title-language", "LanguageIn"),)),
    Case("qualification-language-not-french", "RNCP37488",
         put(R, DCTERMS.language, URIRef("http://publications.europa.eu/resource/authority/language/ENG")),
         (E(R, DCTERMS.language, "Qualification-language", "HasValue", "Warning"),)),
    Case("qualification-without-identifier-record", "RNCP37488", remove(R, ADMS.identifier),
         (E(R, ADMS.identifier, "Qualification-adms-identifier", "MinCount"),)),
    Case("qualification-identifier-record-untyped", "RNCP37488", remove(CID, RDF.type),
         (E(R, ADMS.identifier, "Qualification-adms-identifier", "Class"),)),
    Case("qualification-partial-as-a-string", "RNCP37488", put(B1, ELM.isPartialQualification, Literal("true")),
         (E(B1, ELM.isPartialQualification, "Qualification-partial", "Datatype"),
          E(B1, ELM.isPartialQualification, "Block-partial", "HasValue"),
          E(R, ELM.hasPart, "Certification-blocks", "Node"))),
    Case("qualification-partial-twice", "RNCP37488", add(B1, ELM.isPartialQualification, Literal(False)),
         (E(B1, ELM.isPartialQualification, "Qualification-partial", "MaxCount"),)),
    Case("qualification-eqf-level-9", "RNCP37488", put(R, ELM.EQFLevel, EQF["9"]),
         (E(R, ELM.EQFLevel, "Qualification-eqf", "In"),)),
    Case("qualification-two-eqf-levels", "RNCP37488", add(B2, ELM.EQFLevel, EQF["5"]),
         (E(B2, ELM.EQFLevel, "Qualification-eqf", "MaxCount"),)),
    Case("qualification-nqf-level-of-1969", "RNCP37488", put(R, ELM.NQFLevel, iri("niveau-1969/IV")),
         (E(R, ELM.NQFLevel, "Qualification-nqf", "Node"),)),
    Case("qualification-nqf-without-eqf", "RNCP37488", remove(R, ELM.EQFLevel),
         (E(R, ELM.EQFLevel, "NationalLevelHolder-eqf", "MinCount"),
          E(R, ELM.EQFLevel, "CertificationLevel-eqf", "MinCount", "Warning"))),
    Case("qualification-eqf-without-nqf", "RNCP37488", remove(B1, ELM.NQFLevel),
         (E(B1, ELM.NQFLevel, "EuropeanLevelHolder-nqf", "MinCount"),)),
    Case("qualification-isced-broad-field", "RNCP37488", put(R, ELM.ISCEDFCode, URIRef("http://data.europa.eu/snb/isced-f/04")),
         (E(R, ELM.ISCEDFCode, "Qualification-isced", "Pattern"),
          E(R, ELM.ISCEDFCode, "Qualification-isced", "Node"))),
    Case("qualification-isced-field-of-another-scheme", "RNCP37488", put(ISCED, SKOS.inScheme, iri("nsf")),
         (E(R, ELM.ISCEDFCode, "Qualification-isced", "Node"),
          E(B1, ELM.ISCEDFCode, "Qualification-isced", "Node"),
          E(B2, ELM.ISCEDFCode, "Qualification-isced", "Node"))),
    Case("qualification-isced-field-as-text", "RNCP37488", put(B1, ELM.ISCEDFCode, Literal("0413")),
         (E(B1, ELM.ISCEDFCode, "Qualification-isced", "NodeKind"),
          E(B1, ELM.ISCEDFCode, "Qualification-isced", "Pattern"),
          E(B1, ELM.ISCEDFCode, "Qualification-isced", "Node"))),
    Case("qualification-outcome-untyped", "RNCP37488", remove(LO, RDF.type),
         (E(B1, ELM.learningOutcome, "Qualification-outcome", "Class"),)),
    Case("qualification-assessment-untyped", "RNCP37488", remove(AS, RDF.type),
         (E(B1, ELM.provenBy, "Qualification-assessment", "Class"),)),
    Case("qualification-two-summaries", "RNCP37488",
         add(B1, ELM.learningOutcomeSummary, iri("rncp/RNCP37488/BC02/summary/text")),
         (E(B1, ELM.learningOutcomeSummary, "Qualification-summary", "MaxCount"),)),
    # certification
    Case("certification-untyped", "RNCP1197", remove(OLD, RDF.type, ELM.Qualification),
         (E(OLD, None, "Certification", "Class"),
          E(iri("rncp/RNCP1197/registration/1"), inv(RNCP.registration), "RegistrationPeriod-owner", "Class"),
          E(OLD, ELM.awardingOpportunity, "Certification-certifier", "MinCount", "Warning"))),  # as in the sample
    Case("certification-without-registry", "RNCP37488", remove(R, RNCP.registry),
         (E(R, RNCP.registry, "Certification-registry", "MinCount"),)),
    Case("certification-registry-cncp", "RNCP37488", put(R, RNCP.registry, Literal("CNCP")),
         (E(R, RNCP.registry, "Certification-registry", "In"),)),
    Case("certification-code-with-space", "RNCP37488", put(R, DCTERMS.identifier, Literal("RNCP 37488")),
         (E(R, DCTERMS.identifier, "Certification-code", "Pattern"),)),
    Case("certification-code-typed", "RNCP37488",
         put(R, DCTERMS.identifier, Literal("RNCP37488", datatype=XSD.token)),
         (E(R, DCTERMS.identifier, "Certification-code", "Datatype"),)),
    Case("certification-marked-partial", "RS6604", add(RS, ELM.isPartialQualification, Literal(True)),
         (E(RS, ELM.isPartialQualification, "Certification-whole", "In"),
          E(RS, DCTERMS.identifier, "Block-code", "Pattern"),
          E(RS, ELM.isPartOf, "Block-parent", "MinCount"),
          E(RS, inv(ELM.hasPart), "Block-listed", "MinCount"),
          E(RS, ELM.provenBy, "Block-assessments", "MinCount", "Warning"))),
    Case("certification-without-certifier", "RS6604", drop(iri("rs/RS6604/awarding/1")),
         (E(RS, ELM.awardingOpportunity, "Certification-certifier", "MinCount", "Warning"),)),
    Case("certification-certifier-untyped", "RNCP37488", remove(AW, RDF.type),
         (E(R, ELM.awardingOpportunity, "Certification-certifier-type", "Class"),)),
    Case("certification-part-not-a-block", "RNCP37488", remove(B1, ELM.isPartialQualification),
         (E(R, ELM.hasPart, "Certification-blocks", "Node"),
          E(B1, ELM.isPartialQualification, "Block-partial", "HasValue"))),
    Case("certification-without-registration", "RS6604", drop(RS_REG),
         (E(RS, RNCP.registration, "Certification-registration", "MinCount", "Warning"),)),
    Case("certification-registration-untyped", "RNCP37488", remove(REG, RDF.type, RNCP.RegistrationPeriod),
         (E(R, RNCP.registration, "Certification-registration-type", "Class"),
          E(AW, DCTERMS.temporal, "AwardingOpportunity-period", "Class"))),
    Case("certification-takes-effect-after-its-end", "RNCP37488", put(R, RNCP.effectiveDate, day("2028-09-01")),
         (E(R, RNCP.effectiveDate, "Certification-effective-before-end", "LessThan"),)),
    Case("certification-decided-after-its-end", "RNCP16575", put(S, RNCP.decisionDate, day("2021-10-05")),
         (E(S, RNCP.decisionDate, "Certification-decision-before-end", "LessThan"),)),
    Case("certification-end-as-a-string", "RNCP16575", put(S, RNCP.registrationEnd, Literal("2021-10-04")),
         (E(S, RNCP.registrationEnd, "Certification-registrationEnd", "Datatype"),
          E(S, RNCP.effectiveDate, "Certification-effective-before-end", "LessThan"),
          E(S, RNCP.decisionDate, "Certification-decision-before-end", "LessThan"))),
    Case("certification-rome-domain-instead-of-code", "RNCP37488", add(R, RNCP.rome, iri("rome/M18")),
         (E(R, RNCP.rome, "Certification-rome-scheme", "Node"),
          E(R, RNCP.rome, "Certification-rome-known", "Node", "Warning"))),
    Case("certification-rome-code-of-another-scheme", "RNCP37488", put(M1801, SKOS.inScheme, iri("nsf")),
         (E(R, RNCP.rome, "Certification-rome-scheme", "Node"),
          E(ENT, ELM.limitNationalOccupation, "Entitlement-rome", "Node"))),
    Case("certification-rome-code-unknown-to-rome-v3", "RNCP37488", None,
         (E(R, RNCP.rome, "Certification-rome-known", "Node", "Warning"),),
         with_codes(rome=(Code("M1899", "Métier absent du ROME v3"),))),
    Case("certification-nsf-code-of-another-scheme", "RNCP37488", put(NSF326, SKOS.inScheme, iri("rome")),
         (E(R, RNCP.nsf, "Certification-nsf-scheme", "Node"),)),
    Case("certification-nsf-speciality-of-unknown-group", "RNCP37488", None,
         (E(R, RNCP.nsf, "Certification-nsf-group", "Node"),),
         with_codes(nsf=(Code("999z", "Spécialité inconnue"),))),
    Case("certification-nsf-unknown-group", "RNCP37488", None,
         (E(R, RNCP.nsf, "Certification-nsf-group", "Node"),),
         with_codes(nsf=(Code("999", "Groupe inconnu"),))),
    Case("certification-formacode-of-four-digits", "RNCP37488", put(FC, SKOS.notation, Literal("3104")),
         (E(R, RNCP.formacode, "Certification-formacode", "Node"),)),
    Case("certification-1969-level-of-2019", "RNCP16575", put(S, RNCP.level1969, iri("cnc/5")),
         (E(S, RNCP.level1969, "Certification-level1969", "Node"),)),
    Case("certification-schema-level-9", "RNCP37488", put(R, SDO.educationalLevel, EQF["9"]),
         (E(R, SDO.educationalLevel, "Certification-educationalLevel", "In"),)),
    Case("certification-entitlement-untyped", "RNCP37488", remove(ENT, RDF.type),
         (E(R, ELM.entitlesTo, "Certification-entitlement", "Class"),)),
    Case("certification-access-route-untyped", "RNCP37488", remove(AR, RDF.type),
         (E(R, RNCP.accessRoute, "Certification-access-route", "Class"),)),
    Case("certification-legal-text-untyped", "RNCP37488", remove(LT, RDF.type),
         (E(R, RNCP.legalText, "Certification-legal-text", "Class"),)),
    Case("certification-without-homepage", "RNCP37488", remove(R, FOAF.homepage),
         (E(R, FOAF.homepage, "Certification-homepage", "MinCount", "Warning"),)),
    Case("certification-homepage-as-text", "RNCP37488",
         put(R, FOAF.homepage, Literal("https://www.francecompetences.fr/recherche/rncp/37488/")),
         (E(R, FOAF.homepage, "Certification-homepage", "NodeKind", "Warning"),)),
    Case("certification-homepage-elsewhere", "RNCP37488", put(R, FOAF.homepage, URIRef("https://example.org/")),
         (E(R, FOAF.homepage, "Certification-homepage", "Pattern", "Warning"),)),
    Case("certification-without-source", "RNCP37488", remove(R, PROV.wasDerivedFrom),
         (E(R, PROV.wasDerivedFrom, "Certification-source", "MinCount", "Warning"),)),
    Case("certification-registered-for-0-years", "RNCP37488", put(R, RNCP.registrationYears, number(0)),
         (E(R, RNCP.registrationYears, "Certification-registrationYears", "MinInclusive"),)),
    Case("certification-source-line-0", "RNCP37488", put(R, RNCP.sourceLine, number(0)),
         (E(R, RNCP.sourceLine, "Certification-sourceLine", "MinInclusive"),)),
    Case("rncp-certification-without-level", "RNCP37488", None,
         (E(R, ELM.EQFLevel, "CertificationLevel-eqf", "MinCount", "Warning"),),
         lambda cert: dataclasses.replace(cert, level=None)),
    # block of competences
    Case("block-untyped", "RNCP37488", remove(B2, RDF.type, ELM.Qualification),
         (E(B2, None, "Block", "Class"),
          E(R, ELM.hasPart, "Certification-blocks", "Class"),
          *(E(iri(f"rncp/RNCP37488/BC02/competence/{n}"), inv(ELM.learningOutcome), "LearningOutcome-owner", "Class")
            for n in range(1, 5)),
          *(E(iri(f"rncp/RNCP37488/BC02/assessment/{n}"), inv(ELM.provenBy), "AssessmentSpecification-owner", "Class")
            for n in range(1, 3)))),
    Case("block-code-with-dash", "RNCP37488", put(B1, DCTERMS.identifier, Literal("RNCP37488-BC01")),
         (E(B1, DCTERMS.identifier, "Block-code", "Pattern"),)),
    Case("block-code-of-rs", "RNCP37488", put(B1, DCTERMS.identifier, Literal("RS37488BC01")),
         (E(B1, DCTERMS.identifier, "Block-code", "Pattern"),)),
    Case("block-without-certification", "RNCP37488", remove(B1, ELM.isPartOf),
         (E(B1, ELM.isPartOf, "Block-parent", "MinCount"),)),
    Case("block-part-of-a-block", "RNCP37488", put(B1, ELM.isPartOf, B2),
         (E(B1, ELM.isPartOf, "Block-parent", "Node"),)),
    Case("block-part-of-two-certifications", "RNCP37488", add(B1, ELM.isPartOf, iri("rncp/RNCP37489")),
         (E(B1, ELM.isPartOf, "Block-parent", "MaxCount"),
          E(B1, ELM.isPartOf, "Block-parent", "Node"))),
    Case("block-orphaned", "RNCP37488", remove(R, ELM.hasPart, B1),
         (E(B1, inv(ELM.hasPart), "Block-listed", "MinCount"),)),
    Case("block-without-competences", "RNCP37488", drop(*(iri(f"rncp/RNCP37488/BC01/competence/{n}") for n in range(1, 6))),
         (E(B1, ELM.learningOutcome, "Block-competences", "MinCount", "Warning"),)),
    Case("block-without-assessment", "RNCP37488", drop(AS, iri("rncp/RNCP37488/BC01/assessment/2")),
         (E(B1, ELM.provenBy, "Block-assessments", "MinCount", "Warning"),)),
    Case("block-number-0", "RNCP37488", put(B1, RNCP.blockNumber, number(0)),
         (E(B1, RNCP.blockNumber, "Block-number", "MinInclusive"),)),
    # learning outcome, assessment, summary
    Case("outcome-without-text", "RNCP37488", remove(LO, DCTERMS.title),
         (E(LO, DCTERMS.title, "LearningOutcome-title", "MinCount"),)),
    Case("outcome-with-two-texts", "RNCP37488", add(LO, DCTERMS.title, Literal("Autre", lang="fr")),
         (E(LO, DCTERMS.title, "LearningOutcome-title", "MaxCount"),)),
    Case("outcome-position-0", "RNCP37488", put(LO, SDO.position, number(0)),
         (E(LO, SDO.position, "LearningOutcome-position", "MinInclusive"),)),
    Case("outcome-orphaned", "RNCP37488", remove(B1, ELM.learningOutcome, LO),
         (E(LO, inv(ELM.learningOutcome), "LearningOutcome-owner", "MinCount"),)),
    Case("outcome-of-an-assessment", "RNCP37488", add(AS, ELM.learningOutcome, LO2),
         (E(LO2, inv(ELM.learningOutcome), "LearningOutcome-owner", "Class"),)),
    Case("assessment-without-text", "RNCP37488", remove(AS, DCTERMS.title),
         (E(AS, DCTERMS.title, "AssessmentSpecification-title", "MinCount"),)),
    Case("assessment-position-0", "RNCP37488", put(AS, SDO.position, number(0)),
         (E(AS, SDO.position, "AssessmentSpecification-position", "MinInclusive"),)),
    Case("assessment-orphaned", "RNCP37488", remove(B1, ELM.provenBy, AS),
         (E(AS, inv(ELM.provenBy), "AssessmentSpecification-owner", "MinCount"),)),
    Case("summary-without-text", "RNCP37488", remove(NOTE, ELM.noteLiteral),
         (E(NOTE, ELM.noteLiteral, "Note-text", "MinCount"),)),
    Case("summary-with-two-texts", "RNCP37488", add(NOTE, ELM.noteLiteral, Literal("Autre", lang="fr")),
         (E(NOTE, ELM.noteLiteral, "Note-text", "MaxCount"),)),
    # certifier
    Case("certifier-without-organisation", "RNCP37488", remove(AW, ELM.awardingBody),
         (E(AW, ELM.awardingBody, "AwardingOpportunity-body", "MinCount"),)),
    Case("certifier-organisation-untyped", "RNCP37488", remove(ORG, RDF.type, ELM.Organisation),
         (E(AW, ELM.awardingBody, "AwardingOpportunity-body", "Class"),)),
    Case("certifier-without-certification", "RNCP37488", remove(AW, ELM.learningAchievementSpecification),
         (E(AW, ELM.learningAchievementSpecification, "AwardingOpportunity-qualification", "MinCount"),)),
    Case("certifier-orphaned", "RNCP37488", remove(R, ELM.awardingOpportunity, AW),
         (E(AW, inv(ELM.awardingOpportunity), "AwardingOpportunity-listed", "MinCount"),
          E(R, ELM.awardingOpportunity, "Certification-certifier", "MinCount", "Warning"))),
    Case("certifier-period-is-a-legal-text", "RNCP37488", put(AW, DCTERMS.temporal, LT),
         (E(AW, DCTERMS.temporal, "AwardingOpportunity-period", "Class"),)),
    Case("organisation-without-name", "RNCP37488", remove(ORG, ROV.legalName),
         (E(ORG, ROV.legalName, "Organisation-name", "MinCount"),)),
    Case("organisation-siret-of-13-digits", "RNCP37488", put(ORG, SDO.identifier, Literal("1100430150001")),
         (E(ORG, SDO.identifier, "Organisation-siret", "Pattern"),)),
    Case("organisation-registration-untyped", "RNCP37488", remove(LID, RDF.type),
         (E(ORG, ROV.registration, "Organisation-registration", "Class"),)),
    Case("legal-identifier-of-9-digits", "RNCP37488", put(LID, SKOS.notation, Literal("110043015")),
         (E(LID, SKOS.notation, "LegalIdentifier-notation", "Pattern"),)),
    Case("identifier-without-prefix", "RNCP37488", put(CID, SKOS.notation, Literal("37488")),
         (E(CID, SKOS.notation, "Identifier-notation", "Pattern"),)),
    Case("identifier-scheme-cncp", "RNCP37488", put(CID, ELM.schemeName, Literal("CNCP")),
         (E(CID, ELM.schemeName, "Identifier-scheme", "In"),)),
    Case("partner-without-organisation", "RS6604", remove(RS_PARTNER, PROV.agent),
         (E(RS_PARTNER, PROV.agent, "Partner-agent", "MinCount"),)),
    Case("partner-orphaned", "RS6604", remove(RS, RNCP.partner, RS_PARTNER),
         (E(RS_PARTNER, inv(RNCP.partner), "Partner-listed", "MinCount"),)),
    # registration period
    Case("registration-without-end", "RS6604", remove(RS_REG, DCAT.endDate),
         (E(RS_REG, DCAT.endDate, "RegistrationPeriod-end", "MinCount"),)),
    Case("registration-end-as-a-string", "RS6604", put(RS_REG, DCAT.endDate, Literal("2029-04-26")),
         (E(RS_REG, DCAT.endDate, "RegistrationPeriod-end", "Datatype"),
          E(RS_REG, DCAT.startDate, "RegistrationPeriod-order", "LessThan"))),
    Case("registration-ends-before-it-starts", "RS6604", put(RS_REG, DCAT.endDate, day("2024-04-25")),
         (E(RS_REG, DCAT.startDate, "RegistrationPeriod-order", "LessThan"),)),
    Case("registration-ends-the-day-it-starts", "RNCP16575", put(S_REG2, DCAT.endDate, day("2007-03-03")),
         (E(S_REG2, DCAT.startDate, "RegistrationPeriod-order", "LessThan"),)),
    Case("registration-with-two-starts", "RNCP16575", add(S_REG2, DCAT.startDate, day("2007-03-04")),
         (E(S_REG2, DCAT.startDate, "RegistrationPeriod-start", "MaxCount"),)),
    Case("registration-orphaned", "RS6604", remove(RS, RNCP.registration, RS_REG),
         (E(RS_REG, inv(RNCP.registration), "RegistrationPeriod-owner", "MinCount"),
          E(RS, RNCP.registration, "Certification-registration", "MinCount", "Warning"))),
    Case("registration-level-vi", "RS6604", add(RS_REG, RNCP.registeredLevel, iri("niveau-1969/VI")),
         (E(RS_REG, RNCP.registeredLevel, "RegistrationPeriod-level", "In"),)),
    Case("registration-act-not-a-legal-text", "RNCP16575", put(S_REG2, RNCP.registeredBy, S),
         (E(S_REG2, RNCP.registeredBy, "RegistrationPeriod-act", "Class"),)),
    Case("registration-of-0-years", "RS6604", put(RS_REG, RNCP.registrationYears, number(0)),
         (E(RS_REG, RNCP.registrationYears, "RegistrationPeriod-years", "MinInclusive"),)),
    # legal text, access route, statistics, source
    Case("legal-text-without-title", "RNCP37488", remove(LT, DCTERMS.title),
         (E(LT, DCTERMS.title, "LegalText-title", "MinCount"),)),
    Case("legal-text-kind-decret", "RNCP37488", put(LT, RNCP.legalTextKind, Literal("decret")),
         (E(LT, RNCP.legalTextKind, "LegalText-kind", "In"),)),
    Case("access-route-app", "RNCP37488", put(AR, RNCP.routeKind, Literal("APP")),
         (E(AR, RNCP.routeKind, "AccessRoute-kind", "In"),)),
    Case("access-route-open-unknown", "RNCP37488", remove(AR, RNCP.open),
         (E(AR, RNCP.open, "AccessRoute-open", "MinCount"),)),
    Case("access-route-orphaned", "RNCP37488", remove(R, RNCP.accessRoute, AR),
         (E(AR, inv(RNCP.accessRoute), "AccessRoute-owner", "MinCount"),)),
    Case("statistic-insertion-rate-120", "RS6232", put(STAT, RNCP.insertionRate6Months, number(120)),
         (E(STAT, RNCP.insertionRate6Months, "Statistic-insertionRate6Months", "MaxInclusive"),)),
    Case("statistic-job-insertion-rate-101", "RS6232", put(STAT, RNCP.jobInsertionRate6Months, number(101)),
         (E(STAT, RNCP.jobInsertionRate6Months, "Statistic-jobInsertionRate6Months", "MaxInclusive"),)),
    Case("statistic-job-insertion-rate-negative", "RS6232", put(STAT, RNCP.jobInsertionRate2Years, number(-1)),
         (E(STAT, RNCP.jobInsertionRate2Years, "Statistic-jobInsertionRate2Years", "MinInclusive"),)),
    Case("statistic-negative-holders", "RS6232", put(STAT, RNCP.certified, number(-1)),
         (E(STAT, RNCP.certified, "Statistic-certified", "MinInclusive"),)),
    Case("statistic-negative-vae-holders", "RS6232", put(STAT, RNCP.certifiedVAE, number(-1)),
         (E(STAT, RNCP.certifiedVAE, "Statistic-certifiedVAE", "MinInclusive"),)),
    Case("source-format-pdf", "RNCP37488", put(SRC, RNCP.sourceFormat, Literal("pdf")),
         (E(SRC, RNCP.sourceFormat, "Source-format", "In"),)),
    # jobs: ROME and ESCO
    Case("entitlement-without-rome", "RNCP37488", remove(ENT, ELM.limitNationalOccupation),
         (E(ENT, ELM.limitNationalOccupation, "Entitlement-rome", "MinCount"),)),
    Case("entitlement-nsf-as-rome", "RNCP37488", add(ENT, ELM.limitNationalOccupation, NSF326),
         (E(ENT, ELM.limitNationalOccupation, "Entitlement-rome", "Node"),)),
    Case("entitlement-esco-untyped", "RNCP37488", remove(ESCO_1, RDF.type, ESCO.Occupation),
         (E(ENT, ELM.limitOccupation, "Entitlement-esco", "Class"),)),
    Case("entitlement-occupation-not-esco", "RNCP37488",
         add(ENT, ELM.limitOccupation, URIRef("https://example.org/occupation/1")),
         (E(ENT, ELM.limitOccupation, "Entitlement-esco", "Class"),
          E(ENT, ELM.limitOccupation, "Entitlement-esco", "Pattern"))),
    Case("entitlement-occupation-as-text", "RNCP37488",
         add(ENT, ELM.limitOccupation, Literal("http://data.europa.eu/esco/occupation/0ce5a9f4")),
         (E(ENT, ELM.limitOccupation, "Entitlement-esco", "Class"),
          E(ENT, ELM.limitOccupation, "Entitlement-esco", "NodeKind"))),
    # concepts
    Case("concept-with-two-french-labels", "RNCP37488", add(M1801, SKOS.prefLabel, Literal("Autre", lang="fr")),
         (E(M1801, SKOS.prefLabel, "Concept-prefLabel", "UniqueLang"),)),
    Case("concept-with-two-codes", "RNCP37488", add(FC, SKOS.notation, Literal("31046")),
         (E(FC, SKOS.notation, "Concept-notation", "MaxCount"),)),
    Case("concept-scheme-as-text", "RNCP37488", put(EQF["4"], SKOS.inScheme, Literal("EQF")),
         (E(EQF["4"], SKOS.inScheme, "Concept-scheme", "NodeKind"),)),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_shape_reports_the_defect_it_is_written_for(case):
    assert validate(case.graph()) == sorted(case.expected, key=str)


def test_a_block_attached_to_another_certification_is_a_sparql_warning():
    """Core sees nothing wrong (code syntax, structure); the SPARQL check compares the codes."""
    graph = Graph()
    graph += sample("RNCP37488").graph
    put(B1, DCTERMS.identifier, Literal("RNCP37489BC01"))(graph)
    assert validate(graph) == []
    assert validate(graph, DEFAULT_BASE, CORE, SPARQL) == [
        Result(B1, None, "BlockCodePrefix", "SPARQL", "Warning", EN["BlockCodePrefix"])
    ]


# Each language and datatype constraint, on a real node of its target ----------------------


def targets(shapes: Graph, node_shape: Node, graph: Graph) -> Iterator[Node]:
    for cls in shapes.objects(node_shape, SH.targetClass):
        yield from graph.subjects(RDF.type, cls)
    for p in shapes.objects(node_shape, SH.targetSubjectsOf):
        yield from graph.subjects(p, None)


def shapes_with(constraint: URIRef) -> list[str]:
    shapes = load_shapes(DEFAULT_BASE)
    return sorted(
        s.removeprefix(str(RSH)) for s in shapes.subjects(constraint, None) if isinstance(s, URIRef)
    )


@cache
def clean_fiches() -> tuple[Fiche, ...]:
    """Sample fiches without any result, smallest graph first."""
    clean = (f for f, results in zip(samples(), sample_results(), strict=True) if not results)
    return tuple(sorted(clean, key=lambda f: len(f.graph)))


def focus_for(name: str) -> tuple[Fiche, Node]:
    """A fiche and a focus node of the node shape that holds property shape ``name``;
    one that already has a value for its path when a fiche has one."""
    shapes = load_shapes(DEFAULT_BASE)
    shape = RSH[name]
    path = shapes.value(shape, SH.path)
    (owner,) = shapes.subjects(SH.property, shape)
    candidates = [
        (fiche, node) for fiche in clean_fiches() for node in sorted(set(targets(shapes, owner, fiche.graph)))
    ]
    with_value = [(f, n) for f, n in candidates if (n, path, None) in f.graph]
    return (with_value or candidates)[0]


def broken(name: str, wrong: Callable[[Node | None], Literal]) -> tuple[Graph, Node, URIRef]:
    """A copy of a real fiche where the values of the path of ``name`` on a focus node of its
    node shape are replaced by one value, ``wrong(current value or None)``."""
    fiche, focus = focus_for(name)
    path = load_shapes(DEFAULT_BASE).value(RSH[name], SH.path)
    graph = Graph()
    graph += fiche.graph
    put(focus, path, wrong(graph.value(focus, path)))(graph)
    return graph, focus, path


def own(name: str, component: str, focus: Node, path: URIRef) -> Result:
    """A result of shape ``name``, with the severity and English message it declares."""
    shapes = load_shapes(DEFAULT_BASE)
    severity = str(shapes.value(RSH[name], SH.severity)).split("#")[1]
    message = next(str(m) for m in shapes.objects(RSH[name], SH.message) if m.language == "en")
    return Result(focus, path, name, component, severity, message)


@pytest.mark.parametrize("name", shapes_with(SH.languageIn))
def test_each_text_must_be_tagged_french(name):
    graph, focus, path = broken(name, lambda value: Literal(str(value or "texte sans langue")))
    assert validate(graph) == [own(name, "LanguageIn", focus, path)]


LOOKALIKE = {
    XSD.date: "2021-09-01",
    XSD.integer: "5",
    XSD.boolean: "true",
    XSD.gYear: "2009",
    XSD.string: "RNCP1",
}
"""A lexical form of each datatype, for a property that the chosen fiche does not have."""


def mistyped(datatype: URIRef) -> Callable[[Node | None], Literal]:
    """The same text with a wrong datatype: a plain string, or xsd:token for an xsd:string."""

    def wrong(value: Node | None) -> Literal:
        text = str(value) if value is not None else LOOKALIKE[datatype]
        return Literal(text, datatype=XSD.token) if datatype == XSD.string else Literal(text)

    return wrong


def comparisons(focus: Node, path: URIRef, graph: Graph, names: Iterable[str]) -> list[Result]:
    """The sh:lessThan results that a value of ``path`` no longer comparable adds on ``focus``
    (SHACL reports a pair of values that cannot be compared)."""
    shapes = load_shapes(DEFAULT_BASE)
    found = []
    for other in names:
        shape = RSH[other]
        other_path, than = shapes.value(shape, SH.path), shapes.value(shape, SH.lessThan)
        if (
            than is not None
            and path in (other_path, than)
            and (focus, other_path, None) in graph
            and (focus, than, None) in graph
        ):
            found.append(own(other, "LessThan", focus, other_path))
    return found


BOUNDS = {"MinInclusive": SH.minInclusive, "MaxInclusive": SH.maxInclusive}

SEE_CASES = {"Qualification-partial"}
"""Datatype shapes whose path other shapes also check by value (sh:hasValue true): a string
"true" breaks those too; see the case qualification-partial-as-a-string."""


@pytest.mark.parametrize("name", sorted(set(shapes_with(SH.datatype)) - SEE_CASES))
def test_each_value_must_have_its_datatype(name):
    shapes = load_shapes(DEFAULT_BASE)
    datatype = shapes.value(RSH[name], SH.datatype)
    graph, focus, path = broken(name, mistyped(datatype))
    (owner,) = shapes.subjects(SH.property, RSH[name])
    siblings = [str(s).removeprefix(str(RSH)) for s in shapes.objects(owner, SH.property)]
    expected = [own(name, "Datatype", focus, path)]
    # a string cannot be compared with the bounds either
    expected += [own(name, c, focus, path) for c, p in BOUNDS.items() if (RSH[name], p, None) in shapes]
    expected += comparisons(focus, path, graph, siblings)
    assert validate(graph) == sorted(expected, key=str)


def test_every_shape_is_broken_by_a_test():
    shapes = load_shapes(DEFAULT_BASE)
    covered = {r.shape for case in CASES for r in case.expected}
    covered |= set(shapes_with(SH.languageIn)) | set(shapes_with(SH.datatype))
    assert {str(s).removeprefix(str(RSH)) for s in reporting_shapes(shapes)} == covered
