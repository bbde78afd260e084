"""The fast SHACL Core engine: each feature on a small graph with its exact results, and the
same results as pySHACL on every case, on the real sample fiches and on broken copies of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from rncp_ld.model import Certification
from rncp_ld.namespaces import DCTERMS, ELM, RDF, RNCP, SKOS, XSD
from rncp_ld.rdf.graph import Context, fiche_triples
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.validation.engine import SH, Result, ShapesError, Unsupported, compile_shapes, unsupported
from rncp_ld.validation.fallback import PyshaclProgram, canonical
from rncp_ld.validation.shapes import Shapes, issue_type

from conftest import CSV_ZIP, RNCP_XML, ROOT, RS_XML, SEED, SHARED

LOQ = SHARED / "elm" / "rdf" / "ap" / "loq"
RNCP_SHAPES = ROOT / "shapes" / "rncp.ttl"
EX = "http://ex/"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://ex/> .
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def key(shapes: Graph, r: Result) -> tuple[object, ...]:
    """What both engines must agree on: messages only when the shape has its own."""
    has_message = (r.shape, SH.message, None) in shapes
    return (
        r.focus,
        None if r.path is None else canonical(shapes, r.path),
        r.value,
        canonical(shapes, r.shape),
        r.severity,
        r.component,
        tuple(sorted(map(str, r.messages))) if has_message else None,
    )


def assert_same_as_pyshacl(shapes: Graph, data: Graph) -> list[Result]:
    ours = compile_shapes(shapes).validate(data)
    theirs = PyshaclProgram(shapes).validate(data)
    mine, reference = Counter(key(shapes, r) for r in ours), Counter(key(shapes, r) for r in theirs)
    assert mine == reference, f"only ours: {mine - reference}\nonly pySHACL: {reference - mine}"
    return ours


def short(shapes: Shapes, r: Result) -> tuple[str | None, ...]:
    issue = shapes.issue(r)
    return tuple(
        None if x is None else x.replace(EX, "ex:")
        for x in (issue.focus, issue.path, issue.value, issue.type)
    )


# (shapes, data, expected results as (focus, path, value, type))
CASES: dict[str, tuple[str, str, list[tuple[str | None, ...]]]] = {
    "class with subclasses": (
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:D ] .",
        """ex:a a ex:C ; ex:p ex:b, ex:c, ex:d, "lit" . ex:b a ex:D . ex:c a ex:F . ex:d a ex:E .
           ex:E rdfs:subClassOf ex:D . ex:x a ex:Sub . ex:Sub rdfs:subClassOf ex:C .""",
        [("ex:a", "ex:p", "ex:c", "class"), ("ex:a", "ex:p", '"lit"', "class")],
    ),
    "datatype": (
        """ex:S sh:targetNode ex:a ;
             sh:property [ sh:path ex:i ; sh:datatype xsd:integer ] ,
                         [ sh:path ex:s ; sh:datatype xsd:string ] ,
                         [ sh:path ex:l ; sh:datatype rdf:langString ] ,
                         [ sh:path ex:d ; sh:datatype xsd:date ] .""",
        """ex:a ex:i 1, "x"^^xsd:integer, "2", ex:b ; ex:s "plain", "typed"^^xsd:string, "fr"@fr ;
                ex:l "fr"@fr, "plain" ; ex:d "2024-02-30"^^xsd:date, "2024-02-28"^^xsd:date .""",
        [
            ("ex:a", "ex:i", '"x"^^<http://www.w3.org/2001/XMLSchema#integer>', "datatype"),
            ("ex:a", "ex:i", '"2"', "datatype"),
            ("ex:a", "ex:i", "ex:b", "datatype"),
            ("ex:a", "ex:s", '"fr"@fr', "datatype"),
            ("ex:a", "ex:l", '"plain"', "datatype"),
            ("ex:a", "ex:d", '"2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date>', "datatype"),
        ],
    ),
    "node kind": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ] ,
           [ sh:path ex:q ; sh:nodeKind sh:BlankNodeOrLiteral ] .""",
        """ex:a a ex:C ; ex:p ex:b, "x", [ ex:z 1 ] ; ex:q ex:c, "y" .""",
        [
            ("ex:a", "ex:p", '"x"', "node-kind"),
            ("ex:a", "ex:p", "_:", "node-kind"),
            ("ex:a", "ex:q", "ex:c", "node-kind"),
        ],
    ),
    "counts": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ] ,
           [ sh:path ex:q ; sh:maxCount 0 ] , [ sh:path ex:r ; sh:minCount 0 ] .""",
        "ex:a a ex:C ; ex:p 1 ; ex:q 2 . ex:b a ex:C ; ex:p 1, 2, 3, 4 . ex:c a ex:C ; ex:p 1, 2 .",
        [
            ("ex:a", "ex:p", None, "min-count"),
            ("ex:a", "ex:q", None, "max-count"),
            ("ex:b", "ex:p", None, "max-count"),
        ],
    ),
    "value ranges": (
        """ex:S sh:targetNode ex:a ;
             sh:property [ sh:path ex:n ; sh:minInclusive 1 ; sh:maxExclusive 10 ] ,
                         [ sh:path ex:d ; sh:minExclusive "2020-01-01"^^xsd:date ; sh:maxInclusive "2030-01-01"^^xsd:date ] .""",
        """ex:a ex:n 0, 1, 9.5, 10, "5", ex:x ; ex:d "2020-01-01"^^xsd:date, "2025-06-01"^^xsd:date, "2031-01-01"^^xsd:date, 2025 .""",
        [
            ("ex:a", "ex:n", '"0"^^<http://www.w3.org/2001/XMLSchema#integer>', "min-inclusive"),
            ("ex:a", "ex:n", '"10"^^<http://www.w3.org/2001/XMLSchema#integer>', "max-exclusive"),
            ("ex:a", "ex:n", '"5"', "min-inclusive"),
            ("ex:a", "ex:n", '"5"', "max-exclusive"),
            ("ex:a", "ex:n", "ex:x", "min-inclusive"),
            ("ex:a", "ex:n", "ex:x", "max-exclusive"),
            ("ex:a", "ex:d", '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', "min-exclusive"),
            ("ex:a", "ex:d", '"2031-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', "max-inclusive"),
            ("ex:a", "ex:d", '"2025"^^<http://www.w3.org/2001/XMLSchema#integer>', "max-inclusive"),
        ],
    ),
    "string length and pattern": (
        """ex:S sh:targetNode ex:a ;
             sh:property [ sh:path ex:s ; sh:minLength 2 ; sh:maxLength 4 ] ,
                         [ sh:path ex:c ; sh:pattern "^rncp[0-9]+$" ; sh:flags "i" ] ,
                         [ sh:path ex:u ; sh:pattern "^https://" ] .""",
        """ex:a ex:s "a", "abcde", "abc", 12345 ; ex:c "RNCP12", "rs1", "rncp" ; ex:u <https://x>, <http://x>, [ ex:z 1 ] .""",
        [
            ("ex:a", "ex:s", '"a"', "min-length"),
            ("ex:a", "ex:s", '"abcde"', "max-length"),
            ("ex:a", "ex:s", '"12345"^^<http://www.w3.org/2001/XMLSchema#integer>', "max-length"),
            ("ex:a", "ex:c", '"rs1"', "pattern"),
            ("ex:a", "ex:c", '"rncp"', "pattern"),
            ("ex:a", "ex:u", "http://x", "pattern"),
            ("ex:a", "ex:u", "_:", "pattern"),
        ],
    ),
    "languages": (
        """ex:S sh:targetNode ex:a ;
             sh:property [ sh:path ex:t ; sh:languageIn ("fr" "EN") ; sh:uniqueLang true ] .""",
        """ex:a ex:t "un"@fr, "deux"@FR-ca, "one"@en, "x"@de, "plain", ex:b .""",
        [
            ("ex:a", "ex:t", '"x"@de', "language-in"),
            ("ex:a", "ex:t", '"plain"', "language-in"),
            ("ex:a", "ex:t", "ex:b", "language-in"),
        ],
    ),
    "unique lang": (
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:t ; sh:uniqueLang true ] .",
        """ex:a ex:t "un"@fr, "une"@FR, "one"@en, "two"@en, "x"@de, "plain", "plain2" .""",
        [("ex:a", "ex:t", None, "unique-lang"), ("ex:a", "ex:t", None, "unique-lang")],
    ),
    "property pairs": (
        """ex:S sh:targetClass ex:C ;
             sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:lessThanOrEquals ex:end2 ] ,
                         [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ] .""",
        """ex:a a ex:C ; ex:start 5 ; ex:end 5, 6 ; ex:end2 5 ; ex:p 1, 2 ; ex:q 2, 3 ; ex:r 2 .
           ex:b a ex:C ; ex:start "2024-01-01"^^xsd:date ; ex:end "b" ; ex:end2 "2023-01-01"^^xsd:date .""",
        [
            ("ex:a", "ex:start", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', "less-than"),
            ("ex:a", "ex:p", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "equals"),
            ("ex:a", "ex:p", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', "equals"),
            ("ex:a", "ex:p", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', "disjoint"),
            ("ex:b", "ex:start", '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', "less-than"),
            (
                "ex:b",
                "ex:start",
                '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
                "less-than-or-equals",
            ),
        ],
    ),
    "logical": (
        """ex:S sh:targetClass ex:C ;
             sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:integer ] [ sh:class ex:D ] ) ] ,
                         [ sh:path ex:q ; sh:xone ( [ sh:datatype xsd:integer ] [ sh:minInclusive 0 ] ) ] ,
                         [ sh:path ex:r ; sh:not [ sh:hasValue "no" ] ; sh:and ( [ sh:nodeKind sh:Literal ] [ sh:minLength 2 ] ) ] .""",
        """ex:a a ex:C ; ex:p 1, ex:d, "s" ; ex:q 1, -1, 0.5, "x" ; ex:r "no", "ok", "n", ex:z . ex:d a ex:D .""",
        [
            ("ex:a", "ex:p", '"s"', "or"),
            ("ex:a", "ex:q", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "xone"),
            ("ex:a", "ex:q", '"x"', "xone"),
            ("ex:a", "ex:r", '"no"', "not"),
            ("ex:a", "ex:r", '"n"', "and"),
            ("ex:a", "ex:r", "ex:z", "and"),
        ],
    ),
    "nested node shapes": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:org ; sh:node ex:Org ; sh:minCount 1 ] .
           ex:Org a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Warning ] .
           ex:T sh:targetNode ex:lit ; sh:property [ sh:path ex:v ; sh:node ex:Short ] .
           ex:Short sh:maxLength 3 .""",
        """ex:a a ex:C ; ex:org ex:o1, ex:o2 . ex:o1 ex:name "x" . ex:b a ex:C . ex:lit ex:v "abcd", "ab" .""",
        [
            ("ex:a", "ex:org", "ex:o2", "node"),
            ("ex:b", "ex:org", None, "min-count"),
            ("ex:lit", "ex:v", '"abcd"', "node"),
        ],
    ),
    "qualified value shapes": (
        """ex:S sh:targetClass ex:C ;
             sh:property [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:A ] ; sh:qualifiedMinCount 1 ;
                           sh:qualifiedValueShapesDisjoint true ] ,
                         [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:B ] ; sh:qualifiedMaxCount 1 ;
                           sh:qualifiedValueShapesDisjoint true ] .""",
        """ex:a a ex:C ; ex:part ex:ab, ex:b1, ex:b2 . ex:ab a ex:A, ex:B . ex:b1 a ex:B . ex:b2 a ex:B .
           ex:c a ex:C ; ex:part ex:a1 . ex:a1 a ex:A .""",
        [("ex:a", "ex:part", None, "qualified-min-count"), ("ex:a", "ex:part", None, "qualified-max-count")],
    ),
    "closed": (
        """ex:S sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
             sh:property [ sh:path ex:p ] , [ sh:path [ sh:inversePath ex:q ] ] .""",
        """ex:a a ex:C ; ex:p 1 ; ex:q 2 ; ex:r 3, 4 . ex:z ex:q ex:a .""",
        [
            ("ex:a", "ex:q", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', "closed"),
            ("ex:a", "ex:r", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', "closed"),
            ("ex:a", "ex:r", '"4"^^<http://www.w3.org/2001/XMLSchema#integer>', "closed"),
        ],
    ),
    "has value and in": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:s ; sh:hasValue ex:ok ] ,
             [ sh:path ex:t ; sh:in ( ex:x "y" 1 ) ] .
           ex:N sh:targetNode ex:a, ex:absent ; sh:hasValue ex:a .""",
        """ex:a a ex:C ; ex:s ex:no ; ex:t ex:x, "y", "1", 1, "y"@fr . ex:b a ex:C ; ex:s ex:ok .""",
        [
            ("ex:a", "ex:s", None, "has-value"),
            ("ex:a", "ex:t", '"1"', "in"),
            ("ex:a", "ex:t", '"y"@fr', "in"),
            ("ex:absent", None, None, "has-value"),
        ],
    ),
    "paths": (
        """ex:S sh:targetNode ex:a ;
             sh:property [ sh:path [ sh:inversePath ex:parent ] ; sh:minCount 3 ] ,
                         [ sh:path ( ex:parent ex:name ) ; sh:datatype xsd:string ] ,
                         [ sh:path [ sh:alternativePath ( ex:name ex:label ) ] ; sh:maxCount 1 ] ,
                         [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:maxCount 2 ] ,
                         [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:nodeKind sh:Literal ] ,
                         [ sh:path [ sh:zeroOrOnePath ex:next ] ; sh:minCount 3 ] ,
                         [ sh:path [ sh:inversePath ( ex:x ex:y ) ] ; sh:hasValue ex:zz ] .""",
        """ex:c1 ex:parent ex:a . ex:c2 ex:parent ex:a . ex:a ex:parent ex:p . ex:p ex:name 7 .
           ex:a ex:name "n" ; ex:label "l" ; ex:next ex:b . ex:b ex:next ex:c . ex:c ex:next ex:a .
           ex:w ex:x ex:v . ex:v ex:y ex:a .""",
        [
            ("ex:a", "^<ex:parent>", None, "min-count"),
            ("ex:a", "<ex:parent>/<ex:name>", '"7"^^<http://www.w3.org/2001/XMLSchema#integer>', "datatype"),
            ("ex:a", "<ex:name>|<ex:label>", None, "max-count"),
            ("ex:a", "<ex:next>*", None, "max-count"),
            ("ex:a", "<ex:next>+", "ex:a", "node-kind"),
            ("ex:a", "<ex:next>+", "ex:b", "node-kind"),
            ("ex:a", "<ex:next>+", "ex:c", "node-kind"),
            ("ex:a", "<ex:next>?", None, "min-count"),
            ("ex:a", "^(<ex:x>/<ex:y>)", None, "has-value"),
        ],
    ),
    "targets": (
        """ex:S sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:q ; sh:targetNode ex:n ; sh:nodeKind sh:Literal .
           ex:Klass a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 1 ] .
           ex:Owl a owl:Class, sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 1 ] .
           ex:P a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:s ; sh:minCount 1 .""",
        """ex:a ex:p 1 . ex:b ex:q ex:c, "lit" . ex:k a ex:Klass . ex:o a ex:Owl . ex:i a ex:C .""",
        [
            ("ex:a", None, "ex:a", "node-kind"),
            ("ex:c", None, "ex:c", "node-kind"),
            ("ex:n", None, "ex:n", "node-kind"),
            ("ex:k", "ex:r", None, "min-count"),
            ("ex:o", "ex:r", None, "min-count"),
            ("ex:i", "ex:s", None, "min-count"),
        ],
    ),
    "severity, messages, deactivation": (
        """ex:S sh:targetClass ex:C ;
             sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Info ; sh:message "manque p"@fr, "missing p"@en ] ,
                         [ sh:path ex:q ; sh:minCount 1 ; sh:deactivated true ] ,
                         [ sh:path ex:r ; sh:minCount 1 ; sh:severity sh:Warning ] .
           ex:Off sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .""",
        "ex:a a ex:C .",
        [("ex:a", "ex:p", None, "min-count"), ("ex:a", "ex:r", None, "min-count")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_feature_results_and_pyshacl_equivalence(name: str) -> None:
    shape_text, data_text, expected = CASES[name]
    shapes, data = turtle(shape_text), turtle(data_text)
    results = assert_same_as_pyshacl(shapes, data)
    wrapped = Shapes(shapes, ["test"], compile_shapes(shapes))
    got = Counter(
        tuple("_:" if (x or "").startswith("_:") else x for x in short(wrapped, r)) for r in results
    )
    assert got == Counter(expected)


def test_messages_severities_and_default_messages() -> None:
    shape_text, data_text, _ = CASES["severity, messages, deactivation"]
    shapes = turtle(shape_text)
    wrapped = Shapes(shapes, ["test"], compile_shapes(shapes))
    issues = sorted(
        (wrapped.issue(r) for r in wrapped.validate(turtle(data_text))), key=lambda i: i.path or ""
    )
    assert [(i.path, i.severity.value, i.message) for i in issues] == [
        ("http://ex/p", "warning", "manque p / missing p"),
        ("http://ex/r", "warning", "Less than 1 values"),
    ]
    assert issues[0].shape == "http://ex/S sh:property http://ex/p"


def test_issue_types_are_kebab_case_components() -> None:
    assert issue_type(SH.MinCountConstraintComponent) == "min-count"
    assert issue_type(SH.QualifiedMaxCountConstraintComponent) == "qualified-max-count"
    assert issue_type(SH.LessThanOrEqualsConstraintComponent) == "less-than-or-equals"
    assert issue_type(SH.SPARQLConstraintComponent) == "sparql"
    assert issue_type(SH.XoneConstraintComponent) == "xone"


def test_language_ranges_follow_rfc_4647() -> None:
    # pySHACL only compares the first subtag; SHACL's langMatches also accepts longer tags.
    shapes = turtle('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:t ; sh:languageIn ("en-GB") ] .')
    results = compile_shapes(shapes).validate(turtle('ex:a ex:t "a"@en-GB-oxendict, "b"@en, "c"@EN-gb .'))
    assert [r.value for r in results] == [Literal("b", lang="en")]


def test_java_patterns_of_the_official_shapes_run() -> None:
    official = Graph().parse(LOQ / "LOQ-constraints.ttl")
    pattern = next(p for p in official.objects(None, SH.pattern) if "(?i)" in p and "\\p{L}" in p)
    shapes = turtle(f"ex:S sh:targetNode ex:w ; sh:property [ sh:path ex:u ; sh:pattern {pattern.n3()} ] .")
    data = turtle(
        """ex:w ex:u "https://www.francecompetences.fr/recherche/rncp/37488/", "HTTPS://Exemple.fr/é",
           "ftp://exemple.fr/", "pas une adresse" ."""
    )
    failing = {str(r.value) for r in compile_shapes(shapes).validate(data)}
    assert failing == {"ftp://exemple.fr/", "pas une adresse"}
    assert compile_shapes(official).roots  # every official pattern compiles


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ex:S sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE {}' ] .", "sh:sparql"),
        ("ex:S sh:target [ a ex:T ] .", "sh:target"),
        ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .", "sh:parameter"),
        ("ex:S sh:rule [ a sh:TripleRule ] .", "sh:rule"),
    ],
)
def test_features_outside_core_are_named(text: str, reason: str) -> None:
    assert reason in (unsupported(turtle(text)) or "")
    with pytest.raises(Unsupported):
        compile_shapes(turtle(text))


def test_recursive_shapes_are_left_to_pyshacl() -> None:
    shapes = turtle("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:knows ; sh:node ex:S ] .")
    with pytest.raises(Unsupported, match="recursive shapes"):
        compile_shapes(shapes)


@pytest.mark.parametrize(
    "text",
    [
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 'one' ] .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:path ex:p .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p, ex:q ] .",
        "ex:S sh:targetNode ex:a ; sh:nodeKind ex:Nothing .",
        "ex:S sh:targetNode ex:a ; sh:pattern '(' .",
    ],
)
def test_malformed_shapes_are_refused(text: str) -> None:
    with pytest.raises(ShapesError):
        compile_shapes(turtle(text))


# Real fiches, our shapes and the official LOQ shapes


def _fiches() -> list[Certification]:
    return [c for p in (SEED, RNCP_XML, RS_XML, CSV_ZIP) for c in read(p) if isinstance(c, Certification)]


@pytest.fixture(scope="module")
def fiche_graphs() -> dict[str, Graph]:
    ctx = Context(Minter(), repeat_shared=True)
    graphs = {}
    for cert in _fiches():
        graph = Graph()
        for triple in fiche_triples(cert, ctx):
            graph.add(triple)
        graphs[cert.number] = graph
    return graphs


@pytest.fixture(scope="module")
def rncp_shapes() -> Graph:
    return Graph().parse(RNCP_SHAPES, format="turtle", publicID=Minter().base)


@pytest.fixture(scope="module")
def loq_shapes() -> Graph:
    return Graph().parse(LOQ / "LOQ-constraints.ttl").parse(LOQ / "LOQ-constraints-mdr.ttl")


def test_our_shapes_on_every_sample_fiche(fiche_graphs: dict[str, Graph], rncp_shapes: Graph) -> None:
    assert len(fiche_graphs) >= 20
    for graph in fiche_graphs.values():
        assert_same_as_pyshacl(rncp_shapes, graph)


SMALL = ["RS6232", "RS6604", "RS5000", "RNCP37488", "RNCP16575"]


@pytest.mark.parametrize("number", SMALL)
def test_official_loq_shapes_on_sample_fiches(
    fiche_graphs: dict[str, Graph], loq_shapes: Graph, number: str
) -> None:
    results = assert_same_as_pyshacl(loq_shapes, fiche_graphs[number])
    # our full graph is not the LOQ projection: the closed LOQ shapes reject rncp: terms
    assert any(r.component == SH.ClosedConstraintComponent for r in results)


def _first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))[0]


def _qualification(graph: Graph) -> URIRef:
    return sorted(
        s
        for s in graph.subjects(RDF.type, ELM.Qualification)
        if (s, ELM.isPartialQualification, None) not in graph and "BC" not in str(s)
    )[0]


def _drop(p: URIRef) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.remove((_qualification(g), p, None))

    return mutate


def _set(p: URIRef, *values: object) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        node = _qualification(g)
        g.remove((node, p, None))
        for v in values:
            g.add((node, p, v))  # type: ignore[arg-type]

    return mutate


def _untype_block(g: Graph) -> None:
    block = sorted(s for s in g.objects(_qualification(g), ELM.hasPart))[0]
    g.remove((block, RDF.type, None))


def _orphan_outcome(g: Graph) -> None:
    outcome = _first(g, ELM.LearningOutcome)
    g.remove((None, None, outcome))
    g.add((outcome, RDF.type, ELM.LearningOutcome))


def _bnode_title(g: Graph) -> None:
    g.add((_qualification(g), DCTERMS.title, BNode()))


BREAKS: dict[str, Callable[[Graph], None]] = {
    "no title": _drop(DCTERMS.title),
    "English title": _set(DCTERMS.title, Literal("Title", lang="en")),
    "two titles": _set(DCTERMS.title, Literal("Un", lang="fr"), Literal("Deux", lang="fr")),
    "blank-node title": _bnode_title,
    "no identifier": _drop(DCTERMS.identifier),
    "bad identifier": _set(DCTERMS.identifier, Literal("16575")),
    "two EQF levels": _set(
        ELM.EQFLevel, URIRef("http://data.europa.eu/snb/eqf/5"), URIRef("http://data.europa.eu/snb/eqf/6")
    ),
    "EQF level as text": _set(ELM.EQFLevel, Literal("5")),
    "ill-typed date": _set(RNCP.effectiveDate, Literal("2024-13-45", datatype=XSD.date)),
    "date as string": _set(RNCP.effectiveDate, Literal("2024-01-01")),
    "end before start": _set(RNCP.registrationEnd, Literal("1990-01-01", datatype=XSD.date)),
    "bad integer": _set(RNCP.ficheId, Literal("abc", datatype=XSD.integer)),
    "unknown property": _set(RNCP.section, URIRef("http://ex/oops")),
    "untyped block": _untype_block,
    "orphan outcome": _orphan_outcome,
    "concept with two labels": lambda g: g.add(
        (_first(g, SKOS.Concept), SKOS.prefLabel, Literal("Autre", lang="fr"))
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_fiche_graphs(
    fiche_graphs: dict[str, Graph], rncp_shapes: Graph, loq_shapes: Graph, name: str
) -> None:
    graph = Graph()
    for triple in fiche_graphs["RNCP37488"]:
        graph.add(triple)
    before = compile_shapes(rncp_shapes).validate(graph)
    BREAKS[name](graph)
    after = assert_same_as_pyshacl(rncp_shapes, graph)
    assert_same_as_pyshacl(loq_shapes, graph)
    if name not in ("unknown property",):
        assert Counter(map(tuple, after)) != Counter(map(tuple, before)), "the break went unnoticed"


def test_engine_speed_on_a_fiche(fiche_graphs: dict[str, Graph], loq_shapes: Graph) -> None:
    import time

    program = compile_shapes(loq_shapes)
    triples = list(fiche_graphs["RNCP37488"])
    start = time.perf_counter()
    for _ in range(20):
        program.validate(triples)
    assert (time.perf_counter() - start) / 20 < 0.05


def test_data_index_drops_repeated_triples() -> None:
    a, p, b = URIRef(EX + "a"), URIRef(EX + "p"), Literal("x", lang="fr")
    t = (a, p, b)
    program = compile_shapes(
        turtle("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .")
    )
    assert program.validate([t, t, (a, p, Literal("x", lang="fr"))]) == []
    assert len(program.validate([t, (a, p, Literal("y", lang="fr"))])) == 1


def test_official_loq_shapes_on_the_loq_projection(loq_shapes: Graph, tmp_path: Path) -> None:
    from rncp_ld.convert import convert

    path = tmp_path / "loq.ttl"
    convert([SEED, RS_XML], path, profile="loq")
    graph = Graph().parse(path)
    assert (None, RDF.type, ELM.Qualification) in graph
    assert_same_as_pyshacl(loq_shapes, graph)
