"""The validation job: input kinds, the process pool, shared nodes, the API's errors; XSD and report rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph

from rncp_ld import validate
from rncp_ld.convert import convert
from rncp_ld.errors import ConfigError, InputError
from rncp_ld.report import Issue, Severity
from rncp_ld.validation import job, render
from rncp_ld.validation.engine import path_label
from rncp_ld.validation.formats import _path, summary
from rncp_ld.validation.shapes import load_shapes, term_text
from rncp_ld.validation.xsd import LOQ_NAMESPACE, load_schema, root_namespace, validate_document

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED, SHARED

LOQ_DIR = SHARED / "elm" / "xsd" / "loq"
LOQ_EXAMPLE = SHARED / "research" / "europass-examples" / "loq-rncp-certification-with-blocks.xml"

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/shapes#Title> sh:targetClass elm:Qualification ;
    sh:property [ sh:path dct:title ; sh:maxLength 60 ] .
<https://example.org/shapes#Concept> sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:notation ; sh:maxLength 3 ; sh:severity sh:Warning ] .
"""


@pytest.fixture
def shapes(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


def _kind(path: Path) -> str:
    return next(kind for kind, accepts in job.INPUT_KINDS if accepts(path))


def test_input_kinds(tmp_path):
    for name in ("a.ttl", "a.nt.gz", "a.jsonld", "a.rdf", "a.owl", "A.TTL"):
        (tmp_path / name).write_bytes(b"")
        assert _kind(tmp_path / name) == "rdf", name
    assert _kind(LOQ_EXAMPLE) == "loq"
    assert _kind(LOQ_DIR / "loq.xml") == "loq"
    for fiches in (RNCP_XML, SEED, CSV_ZIP):
        assert _kind(fiches) == "fiches"
    (tmp_path / "broken.xml").write_text("<FICHES><", encoding="utf-8")
    assert _kind(tmp_path / "broken.xml") == "fiches"  # the export reader reports it


def test_root_namespace():
    assert root_namespace(LOQ_EXAMPLE) == LOQ_NAMESPACE
    assert root_namespace(RNCP_XML) is None
    assert root_namespace(SEED) is None


def test_pool_and_in_process_give_the_same_report(shapes, monkeypatch):
    monkeypatch.setattr(job, "CHUNK", 3)  # 20 fiches → 7 chunks: the pool is used
    inputs = [RNCP_XML, RS_XML]
    pooled = validate(inputs, shapes=[shapes], processes=2)
    alone = validate(inputs, shapes=[shapes], processes=1)
    assert pooled.issues == alone.issues
    assert pooled.stats == alone.stats
    assert pooled.tasks == alone.tasks
    assert pooled.stats["fiches-validated"] == 20
    assert [t.name for t in pooled.tasks][:3] == ["RNCP34762", "RNCP35809", "RNCP35625"]


def test_progress_is_called_once_per_fiche(shapes):
    seen: list[None] = []
    validate([RS_XML], shapes=[shapes], processes=1, on_fiche=lambda: seen.append(None))
    assert len(seen) == 8


def test_shared_nodes_are_reported_once(shapes):
    report = validate([RNCP_XML], shapes=[shapes], processes=1)
    rome = [i for i in report.issues if i.focus and "/rome/" in i.focus]
    assert len(rome) == len({i.focus for i in rome}) > 3
    assert report.stats["results-repeated"] > 0
    # each is reported with the first fiche whose graph holds it
    order = [t.name for t in report.tasks]
    for issue in rome:
        assert issue.fiche in order and issue.severity is Severity.WARNING


def test_fiche_issues_carry_source_fiche_and_line(shapes):
    report = validate([RS_XML], shapes=[shapes], processes=1)
    titles = [
        i for i in report.issues if i.type == "max-length" and i.path == "http://purl.org/dc/terms/title"
    ]
    assert titles
    for issue in titles:
        assert issue.source == RS_XML.name
        assert issue.focus == f"https://w3id.org/rncp-ld/id/rs/{issue.fiche}"
        assert issue.location and issue.location.startswith("line ")


def test_a_bad_fiche_is_an_issue_and_the_others_are_validated(shapes, tmp_path):
    broken = tmp_path / "export.xml"
    broken.write_text(
        RS_XML.read_text(encoding="utf-8").replace(
            "<DUREE_ENREGISTREMENT>5<", "<DUREE_ENREGISTREMENT>cinq<", 1
        ),
        encoding="utf-8",
    )
    report = validate([broken], shapes=[shapes], processes=1)
    bad = [i for i in report.issues if i.type == "bad-number"]
    assert len(bad) == 1 and bad[0].severity is Severity.ERROR
    assert report.stats["fiches-validated"] == 7 and report.stats["fiches-skipped"] == 1
    assert not report.valid and not report.unusable


def test_base_moves_fiche_iris_and_relative_shape_iris(tmp_path):
    shapes = tmp_path / "relative.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <ShapeOfRome> sh:targetClass skos:Concept ;
            sh:property [ sh:path skos:inScheme ; sh:hasValue <nsf> ] .""",
        encoding="utf-8",
    )
    report = validate([SEED], shapes=[shapes], base="https://example.org/reg/")
    shapes_seen = {i.shape for i in report.issues if i.focus}
    assert shapes_seen == {
        "https://example.org/reg/ShapeOfRome sh:property http://www.w3.org/2004/02/skos/core#inScheme"
    }
    assert all(
        i.focus and not i.focus.startswith("https://w3id.org/")
        for i in report.issues
        if i.type == "has-value"
    )


def test_api_errors(shapes, tmp_path, monkeypatch):
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ConfigError, match=r"give the official loq\.xsd"):
        validate([LOQ_EXAMPLE], shapes=[shapes])
    with pytest.raises(ConfigError, match="not an absolute"):
        validate([SEED], shapes=[shapes], base="nope")
    with pytest.raises(ConfigError, match=r"cannot read shapes|no such"):
        load_shapes([tmp_path / "missing.ttl"])


def test_rdf_input_lists_its_fiches(shapes, tmp_path):
    path = tmp_path / "two.nt"
    convert([RS_XML], path)
    report = validate([path], shapes=[shapes])
    assert [t.kind for t in report.tasks][:1] == ["graph"]
    assert sorted(t.name for t in report.tasks if t.kind == "fiche") == sorted(
        ["RS5000", "RS5568", "RS5719", "RS6232", "RS6547", "RS6604", "RS7423", "RS7485"]
    )
    assert report.stats["graphs-validated"] == 1 and report.stats["triples"] > 1000


# XSD


def test_xsd_valid_documents():
    schema = load_schema(LOQ_DIR / "loq.xsd")
    assert validate_document(LOQ_EXAMPLE, schema) == []
    assert validate_document(LOQ_DIR / "loq.xml", schema) == []


def test_xsd_errors_are_issues_with_lines(tmp_path):
    schema = load_schema(LOQ_DIR / "loq.xsd")
    text = LOQ_EXAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(
        text.replace('uri="http://data.europa.eu/snb/eqf/5"', 'uri="http://data.europa.eu/snb/eqf/9"'),
        encoding="utf-8",
    )
    issues = validate_document(bad, schema, schema_name="loq.xsd")
    lines = [f"line {n + 1}" for n, line in enumerate(text.splitlines()) if "eqf/5" in line]
    assert [(i.type, i.location, i.shape, i.severity) for i in issues] == [
        ("xsd-invalid", line, "loq.xsd", Severity.ERROR) for line in lines
    ]
    assert "eqf/9" in issues[0].message


def test_xsd_refuses_doctype_and_broken_xml(tmp_path):
    schema = load_schema(LOQ_DIR / "loq.xsd")
    doctype = tmp_path / "doctype.xml"
    doctype.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Courses [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f'<Courses xmlns="{LOQ_NAMESPACE}">&x;</Courses>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="DOCTYPE refused"):
        validate_document(doctype, schema)
    broken = tmp_path / "broken.xml"
    broken.write_text(f'<Courses xmlns="{LOQ_NAMESPACE}">\n<a>\n</Courses>\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        validate_document(broken, schema)
    assert caught.value.location == "line 3"


def test_unloadable_xsd(tmp_path):
    with pytest.raises(ConfigError, match="no such XSD"):
        load_schema(tmp_path / "none.xsd")
    bad = tmp_path / "bad.xsd"
    bad.write_text("<notaschema/>", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot load the XSD"):
        load_schema(bad)
    assert isinstance(load_schema(LOQ_DIR / "loq.xsd"), etree.XMLSchema)


# Rendering


@pytest.mark.parametrize(
    "text",
    ["http://ex/p", "^<http://ex/p>", "<http://ex/a>/<http://ex/b>", "<http://ex/a>|^<http://ex/b>", "(^<http://ex/p>)*",
     "^(<http://ex/a>/<http://ex/b>)+", "<http://ex/a>?/(<http://ex/b>|<http://ex/c>)"],
)  # fmt: skip
def test_turtle_paths_round_trip(text):
    graph = Graph()
    assert path_label(graph, _path(graph, text)) == text


def test_term_text():
    from rdflib import BNode, Literal, URIRef

    assert term_text(URIRef("http://ex/a")) == "http://ex/a"
    assert term_text(BNode("b1")) == "_:b1"
    assert term_text(Literal("Titre", lang="fr")) == '"Titre"@fr'


def test_reports_without_fiches_render():
    from rncp_ld.validation.job import ValidationReport

    report = ValidationReport(issues=[Issue("unreadable-input", "no such file", Severity.ERROR, "x.ttl")])
    report.count("inputs-unreadable")
    assert summary(report) == "0 fiches validated, 1 input unreadable: 1 error, 0 warnings → not valid"
    assert render(report, "text").splitlines() == [
        "x.ttl: 1 error",
        "  error: no such file [unreadable-input]",
        "0 fiches validated, 1 input unreadable: 1 error, 0 warnings → not valid",
    ]
    junit = etree.fromstring(render(report, "junit").encode())
    assert junit.find("testsuite/testcase/error").get("type") == "unreadable-input"
    turtle = Graph().parse(data=render(report, "turtle"), format="turtle")
    assert len(turtle) == 9
