"""The rncp: vocabulary (vocab/ontology/rncp.ttl) against the namespace and against what graph.py writes.

The ontology is hand-written; these tests catch drift both ways: a term added to
``rncp_ld.namespaces._RNCP`` without a definition (or the reverse), and a writer that puts
a value of another datatype, language or class than the declared range on a real fiche.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib.resources import files

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from rncp_ld.convert import to_graph
from rncp_ld.model import Certification
from rncp_ld.namespaces import DCTERMS, OWL, PREFIXES, RDF, RDFS, RNCP, XSD
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.vocabularies import Vocabularies

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED

ONTOLOGY = URIRef("https://w3id.org/rncp-ld/ns")
RESOURCE = "ontology/rncp.ttl"
"""Path of the ontology in the package data ``rncp_ld.vocab``."""
VANN = Namespace("http://purl.org/vocab/vann/")
EUPL = URIRef("https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12")
NS = str(RNCP._NS)
TERMS = set(RNCP)
SAMPLES = (SEED, RNCP_XML, RS_XML, CSV_ZIP)

LEXICAL: dict[Node, re.Pattern[str]] = {
    XSD.date: re.compile(r"-?\d{4,}-\d\d-\d\d(?:Z|[+-]\d\d:\d\d)?"),
    XSD.boolean: re.compile(r"true|false|1|0"),
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.gYear: re.compile(r"-?\d{4,}(?:Z|[+-]\d\d:\d\d)?"),
}
"""Lexical space of the typed ranges; rdf:langString and xsd:string are checked apart."""
DATATYPES = {*LEXICAL, RDF.langString, XSD.string}

KNOWN_DRIFT: set[tuple[str, str, str]] = set()
"""Writer/ontology disagreements accepted for now, each (property, check, what the data has).

Remove an entry once graph.py is fixed: :func:`test_known_drift_is_still_there` then fails
as a reminder. Empty: the writer and the ontology agree.
"""


# --- helpers ------------------------------------------------------------------------


def qname(term: Node) -> str:
    for prefix, namespace in PREFIXES.items():
        if isinstance(term, URIRef) and term.startswith(namespace):
            return f"{prefix}:{term[len(namespace) :]}"
    return term.n3()


def in_rncp(term: Node) -> bool:
    return isinstance(term, URIRef) and term.startswith(NS)


def one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{qname(subject)} has {len(values)} {qname(predicate)}, expected one"
    return values[0]


def classes(ontology: Graph, expression: Node) -> frozenset[Node]:
    """The classes of a domain or range: the IRI itself, or the members of an owl:unionOf."""
    if isinstance(expression, BNode):
        union = ontology.value(expression, OWL.unionOf)
        assert union is not None, f"blank class expression other than owl:unionOf: {expression}"
        return frozenset(Collection(ontology, union))
    return frozenset({expression})


def superclasses(ontology: Graph, cls: Node) -> set[Node]:
    """``cls`` and every class it is an rdfs:subClassOf, transitively."""
    return {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if c is not None}


def kind(term: URIRef) -> URIRef:
    """The OWL type a term's name asks for: capitalised names are classes."""
    local = term[len(NS) :]
    return OWL.Class if local[0].isupper() else OWL.ObjectProperty


def fits(literal: Literal, datatype: Node) -> bool:
    """True when ``literal`` is a value of the declared datatype range."""
    if datatype == RDF.langString:
        return literal.language is not None
    if literal.language is not None:
        return False
    if datatype == XSD.string:
        return literal.datatype in (None, XSD.string)
    pattern = LEXICAL.get(datatype)
    return (
        literal.datatype == datatype
        and pattern is not None
        and pattern.fullmatch(str(literal)) is not None
        and not literal.ill_typed
    )


def describe(literal: Literal) -> str:
    if literal.language is not None:
        return "rdf:langString"
    return qname(literal.datatype) if literal.datatype is not None else "xsd:string"


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> str:
    return files("rncp_ld.vocab").joinpath(RESOURCE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ontology(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def defined(ontology: Graph) -> dict[Node, URIRef]:
    """rncp: term → its OWL type."""
    found: dict[Node, URIRef] = {}
    for owl_type in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, owl_type):
            if in_rncp(term):
                assert term not in found, f"{qname(term)} is both {qname(found[term])} and {qname(owl_type)}"
                found[term] = owl_type
    return found


@pytest.fixture(scope="module")
def data() -> Graph:
    missing = [path.name for path in SAMPLES if not path.is_file()]
    if missing:
        pytest.skip(f"samples not available: {', '.join(missing)}")
    return to_graph(c for path in SAMPLES for c in read(path) if isinstance(c, Certification))


# --- the file -----------------------------------------------------------------------


def test_prefixes_are_the_projects(text):
    declared = dict(re.findall(r"^@prefix (\w+): <([^>]+)> \.$", text, re.M))
    assert declared.pop("vann") == str(VANN)
    assert declared.items() <= PREFIXES.items()


def test_header(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    titles = {t.language: str(t) for t in ontology.objects(ONTOLOGY, DCTERMS.title)}
    assert set(titles) == {"en", "fr"} and all(titles.values())
    assert one(ontology, ONTOLOGY, DCTERMS.description).language == "en"
    assert one(ontology, ONTOLOGY, DCTERMS.creator) == Literal("rncp-ld")
    assert one(ontology, ONTOLOGY, DCTERMS.license) == EUPL
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(one(ontology, ONTOLOGY, OWL.versionInfo)))
    assert one(ontology, ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("rncp")
    assert PREFIXES["rncp"] == NS
    assert one(ontology, ONTOLOGY, VANN.preferredNamespaceUri) == Literal(NS)


def test_defines_exactly_the_terms_of_the_namespace(defined):
    assert set(defined) - TERMS == set(), "defined but not in rncp_ld.namespaces._RNCP"
    assert TERMS - set(defined) == set(), "in rncp_ld.namespaces._RNCP but not defined"


def test_mentions_no_other_rncp_iri(ontology):
    mentioned = {t for triple in ontology for t in triple if in_rncp(t)}
    assert mentioned - TERMS == set()


def test_classes_are_capitalised_and_properties_not(defined):
    for term, owl_type in defined.items():
        expected = kind(term)
        assert owl_type == expected or {owl_type, expected} <= {OWL.ObjectProperty, OWL.DatatypeProperty}, (
            f"{qname(term)} is a {qname(owl_type)}"
        )


@pytest.mark.parametrize("term", sorted(TERMS), ids=qname)
def test_every_term_is_documented(ontology, term):
    labels = Counter(label.language for label in ontology.objects(term, RDFS.label))
    assert labels == {"en": 1, "fr": 1}, f"{qname(term)}: labels {dict(labels)}"
    comment = one(ontology, term, RDFS.comment)
    assert isinstance(comment, Literal) and comment.language == "en"
    assert len(str(comment)) > 30 and str(comment).endswith(".")
    assert one(ontology, term, RDFS.isDefinedBy) == ONTOLOGY


@pytest.mark.parametrize("term", sorted(TERMS), ids=qname)
def test_every_property_has_a_domain_and_a_fitting_range(ontology, defined, term):
    owl_type = defined[term]
    if owl_type == OWL.Class:
        assert (term, RDFS.domain, None) not in ontology and (term, RDFS.range, None) not in ontology
        return
    domain = classes(ontology, one(ontology, term, RDFS.domain))
    assert domain and not domain & DATATYPES
    range_ = one(ontology, term, RDFS.range)
    if owl_type == OWL.DatatypeProperty:
        assert range_ in DATATYPES, f"{qname(term)}: range {qname(range_)}"
    else:
        assert isinstance(range_, URIRef) and range_ not in DATATYPES, f"{qname(term)}: range {qname(range_)}"
    for super_property in ontology.objects(term, RDFS.subPropertyOf):
        assert isinstance(super_property, URIRef) and not in_rncp(super_property)


def test_rncp_classes_in_domains_and_ranges_are_defined(ontology, defined):
    for term in TERMS:
        for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf):
            for expression in ontology.objects(term, predicate):
                for cls in classes(ontology, expression):
                    if in_rncp(cls):
                        assert defined.get(cls) == OWL.Class, f"{qname(term)} {qname(predicate)} {qname(cls)}"


def test_is_not_loaded_as_a_concept_vocabulary():
    vocab = Vocabularies.load(Minter("https://example.org/kg/"))
    assert (None, RDF.type, OWL.Ontology) not in vocab.graph
    assert not any(term in vocab for term in TERMS)


# --- the writer ---------------------------------------------------------------------


def drift(
    data: Graph, ontology: Graph, defined: dict[Node, URIRef]
) -> Iterator[tuple[tuple[str, str, str], str]]:
    """Every disagreement of ``data`` with the ontology: ((property, check, found), example)."""
    for cls in set(data.objects(None, RDF.type)):
        if in_rncp(cls) and defined.get(cls) != OWL.Class:
            yield (qname(cls), "class", "undefined"), f"rdf:type {qname(cls)}"
    domains = {
        t: classes(ontology, one(ontology, t, RDFS.domain)) for t, k in defined.items() if k != OWL.Class
    }
    ranges = {t: one(ontology, t, RDFS.range) for t in domains}
    types: dict[Node, set[Node]] = defaultdict(set)
    for node, cls in data.subject_objects(RDF.type):
        types[node] |= superclasses(ontology, cls)
    for s, p, o in data:
        if not in_rncp(p):
            continue
        name, example = qname(p), f"{qname(s)} {qname(p)} {o.n3()}"
        if p not in domains:
            yield (name, "property", "undefined"), example
            continue
        if not types[s] & domains[p]:
            yield (name, "domain", " ".join(sorted(qname(t) for t in data.objects(s, RDF.type)))), example
        range_ = ranges[p]
        if defined[p] == OWL.DatatypeProperty:
            if not isinstance(o, Literal):
                yield (name, "range", "IRI"), example
            elif not fits(o, range_):
                yield (name, "range", describe(o)), example
        elif isinstance(o, Literal):
            yield (name, "range", describe(o)), example
        elif (in_rncp(range_) or types[o]) and range_ not in types[o]:
            # an rncp: class must be typed in the data; any other class only when the object is typed
            found = " ".join(sorted(qname(t) for t in data.objects(o, RDF.type))) or "untyped"
            yield (name, "range", found), example


@pytest.fixture(scope="module")
def found(data, ontology, defined) -> dict[tuple[str, str, str], list[str]]:
    examples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for key, example in drift(data, ontology, defined):
        examples[key].append(example)
    return examples


def test_samples_exercise_most_terms(data):
    """The drift test means something only if the samples use most of the vocabulary."""
    used = {p for p in data.predicates() if in_rncp(p)} | {
        o for o in data.objects(None, RDF.type) if in_rncp(o)
    }
    assert len(used) >= 0.85 * len(TERMS), sorted(qname(t) for t in TERMS - used)


def test_data_agrees_with_the_ontology(found):
    new = {key: (len(found[key]), found[key][0]) for key in sorted(set(found) - KNOWN_DRIFT)}
    assert new == {}, "graph.py writes what the ontology does not declare: (count, first example) per drift"


def test_known_drift_is_still_there(found):
    fixed = KNOWN_DRIFT - set(found)
    assert fixed == set(), "no longer in the data: remove from KNOWN_DRIFT"
