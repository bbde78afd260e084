"""``rncp-ld validate``: formats, exit codes and stderr lines, on the real samples."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from rncp_ld import validate
from rncp_ld.cli import cli
from rncp_ld.convert import convert
from rncp_ld.namespaces import RDF
from rncp_ld.validation.engine import SH

from conftest import RNCP_XML, RS_XML, SEED, SHARED

LOQ_EXAMPLE = SHARED / "research" / "europass-examples" / "loq-rncp-certification-with-blocks.xml"
LOQ_XSD = SHARED / "elm" / "xsd" / "loq" / "loq.xsd"

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix t: <https://example.org/shapes#> .

t:Certification a sh:NodeShape ;
    sh:targetClass elm:Qualification ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:languageIn ( "en" ) ; sh:message "Title must be in English"@en ] .
t:Concept a sh:NodeShape ;
    sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:notation ; sh:maxLength 3 ; sh:severity sh:Warning ] .
"""

WARNINGS_ONLY = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/shapes#Concept> sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:notation ; sh:maxLength 3 ; sh:severity sh:Warning ] .
"""

SPARQL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix elm: <http://data.europa.eu/snb/model/elm/> .
<https://example.org/shapes#NoBlocks> sh:targetClass elm:Qualification ;
    sh:sparql [ sh:message "Has parts" ;
        sh:select "SELECT $this ?value WHERE { $this <http://data.europa.eu/snb/model/elm/hasPart> ?value }" ] .
"""


@pytest.fixture
def shapes(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


def run(runner, *args: object):
    return runner.invoke(cli, ["validate", *map(str, args)], catch_exceptions=False)


def test_text_report_is_grouped_by_fiche(runner, shapes):
    result = run(runner, SEED, "--shapes", shapes)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "rncp16575.txt: fiche RNCP16575 (line 1): 4 errors, 6 warnings",
        "  warning: line 159: OUI/NON not told apart in the access-route table; routes with a jury taken as open "
        "[access-route-inferred]",
        '  warning: http://data.europa.eu/snb/isced-f/0923 skos:notation "0923": String length is more than 3 '
        "[max-length]",
        '  warning: nsf/332t skos:notation "332t": String length is more than 3 [max-length]',
        '  error: rncp/RNCP16575 dct:title "Coordinateur(trice) de l\'intervention sociale et professionnelle"@fr: '
        "Title must be in English [language-in]",
        '  error: rncp/RNCP16575/BC01 dct:title "Etude et veille des politiques publiques et du développement des '
        'territoires"@fr: Title must be in English [language-in]',
        "  error: rncp/RNCP16575/BC02 dct:title \"Conduite et animation d'un projet social ou d'insertion\"@fr: "
        "Title must be in English [language-in]",
        '  error: rncp/RNCP16575/BC03 dct:title "Conseil et accompagnement du public, coordination de parcours"@fr: '
        "Title must be in English [language-in]",
        '  warning: rome/K1201 skos:notation "K1201": String length is more than 3 [max-length]',
        '  warning: rome/K1801 skos:notation "K1801": String length is more than 3 [max-length]',
        '  warning: rome/K2111 skos:notation "K2111": String length is more than 3 [max-length]',
        "1 fiche validated (1 with errors): 4 errors, 6 warnings → not valid",
    ]
    assert result.stderr == ""


def test_json_is_the_api_report(runner, shapes):
    result = run(runner, RNCP_XML, RS_XML, "--shapes", shapes, "--format", "json", "-j", "1")
    assert result.exit_code == 1
    report = validate([RNCP_XML, RS_XML], shapes=[shapes], processes=1)
    assert json.loads(result.stdout) == report.to_dict()
    assert report.stats["fiches-validated"] == 20
    assert result.stderr == "20 fiches validated (20 with errors): 73 errors, 92 warnings → not valid\n"


def test_junit_has_a_suite_per_input_and_a_case_per_fiche(runner, shapes):
    result = run(runner, RNCP_XML, RS_XML, "--shapes", WARNINGS_ONLY_PATH(shapes), "--format", "junit")
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [RNCP_XML.name, RS_XML.name]
    assert [len(s.findall("testcase")) for s in suites] == [12, 8]
    assert root.get("tests") == "20" and root.get("failures") == "0" and root.get("errors") == "0"
    first = suites[0].find("testcase")
    assert first is not None and first.get("name") == "RNCP34762" and first.get("classname") == RNCP_XML.name
    assert "[max-length]" in (first.findtext("system-out") or "")


def WARNINGS_ONLY_PATH(shapes: Path) -> Path:
    path = shapes.with_name("warnings.ttl")
    path.write_text(WARNINGS_ONLY, encoding="utf-8")
    return path


def test_junit_failures_and_errors(runner, shapes, tmp_path):
    broken = tmp_path / RS_XML.name
    broken.write_text(
        RS_XML.read_text(encoding="utf-8").replace(
            "<DUREE_ENREGISTREMENT>5<", "<DUREE_ENREGISTREMENT>cinq<", 1
        ),
        encoding="utf-8",
    )
    result = run(runner, broken, "--shapes", shapes, "--format", "junit")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("8", "7", "1")
    error = suite.find("testcase/error")
    assert error is not None and error.get("type") == "bad-number"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "language-in"
    assert failure.get("message", "").startswith("Title must be in English")


def test_turtle_is_a_shacl_validation_report(runner, shapes):
    result = run(runner, SEED, "--shapes", shapes, "--format", "turtle")
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    api = validate([SEED], shapes=[shapes])
    assert len(results) == len(api.issues) == 10
    found = {
        (
            graph.value(r, SH.focusNode),
            graph.value(r, SH.resultPath),
            graph.value(r, SH.value),
            graph.value(r, SH.resultSeverity),
            graph.value(r, SH.sourceConstraintComponent),
        )
        for r in results
        if (r, SH.resultPath, None) in graph
    }
    title = Literal("Coordinateur(trice) de l'intervention sociale et professionnelle", lang="fr")
    assert (
        URIRef("https://w3id.org/rncp-ld/id/rncp/RNCP16575"),
        URIRef("http://purl.org/dc/terms/title"),
        title,
        SH.Violation,
        SH.LanguageInConstraintComponent,
    ) in found
    assert len(found) == 9
    for r in results:
        assert graph.value(r, SH.sourceShape) is not None and graph.value(r, SH.resultMessage) is not None


def test_warnings_alone_exit_0(runner, shapes):
    result = run(runner, SEED, "--shapes", WARNINGS_ONLY_PATH(shapes))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "1 fiche validated: 0 errors, 6 warnings → valid"


def test_rdf_files_plain_and_gzipped(runner, shapes, tmp_path):
    ttl = tmp_path / "seed.ttl"
    convert([SEED], ttl)
    gz = tmp_path / "seed.nt.gz"
    convert([SEED], gz)
    for path in (ttl, gz):
        result = run(runner, path, "--shapes", shapes, "--format", "json")
        assert result.exit_code == 1, result.output
        report = json.loads(result.stdout)
        assert report["stats"]["graphs-validated"] == 1
        shacl = [i for i in report["issues"] if i["focus"]]
        assert len(shacl) == 9
        # the fiche is read back from the IRIs of its nodes; vocabulary concepts belong to none
        assert {i["fiche"] for i in shacl if "/rncp/" in i["focus"]} == {"RNCP16575"}
        assert {i["fiche"] for i in shacl if "/rncp/" not in i["focus"]} == {None}


def test_rdf_and_fiche_sources_give_the_same_results(shapes, tmp_path):
    ttl = tmp_path / "register.ttl"
    convert([RNCP_XML], ttl)
    from_rdf = validate([ttl], shapes=[shapes])
    from_fiches = validate([RNCP_XML], shapes=[shapes], processes=1)

    def facts(report):
        return {(i.focus, i.path, i.value, i.type, i.message) for i in report.issues if i.focus}

    assert facts(from_rdf) == facts(from_fiches)
    assert len(facts(from_rdf)) > 50


def test_unreadable_rdf_exits_2(runner, shapes, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    result = run(runner, bad, SEED, "--shapes", shapes, "--format", "json")
    assert result.exit_code == 2
    issues = json.loads(result.stdout)["issues"]
    assert issues[0]["type"] == "unreadable-input" and issues[0]["source"] == str(bad)
    assert issues[0]["message"].startswith("not valid turtle")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("this is not turtle", "cannot parse shapes (turtle)"),
        ("@prefix ex: <http://ex/> . ex:a ex:b ex:c .", "no SHACL shape found"),
    ],
)
def test_unusable_shapes_exit_2(runner, tmp_path, text, words):
    path = tmp_path / "shapes.ttl"
    path.write_text(text, encoding="utf-8")
    result = run(runner, SEED, "--shapes", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}: ") and words in result.stderr


def test_missing_inputs_and_options_exit_2(runner, shapes, tmp_path):
    assert run(runner, tmp_path / "nope.ttl").exit_code == 2
    assert run(runner, SEED, "--shapes", tmp_path / "nope.ttl").exit_code == 2
    assert run(runner, SEED, "--format", "yaml").exit_code == 2
    assert run(runner, SEED, "--base", "not an iri", "--shapes", shapes).exit_code == 2


def test_loq_document_needs_the_xsd(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("RNCP_LD_NETWORK", raising=False)
    result = run(runner, LOQ_EXAMPLE)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {LOQ_EXAMPLE} is a Europass LOQ document: give the official loq.xsd (rncp-ld ships none) "
        "(expected --xsd PATH/TO/loq.xsd, or a folder holding it)\n"
    )


def test_loq_documents_against_the_xsd(runner, tmp_path):
    ok = run(runner, LOQ_EXAMPLE, "--xsd", LOQ_XSD)
    assert (ok.exit_code, ok.stdout) == (0, "1 LOQ document validated: 0 errors, 0 warnings → valid\n")
    text = LOQ_EXAMPLE.read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(
        text.replace('<EQFLevel uri="http://data.europa.eu/snb/eqf/5"/>', "", 1), encoding="utf-8"
    )
    line = text[: text.index("<NQFLevel")].count("\n") + 1  # where lxml finds the sequence broken
    result = run(runner, broken, "--xsd", LOQ_XSD.parent, "--format", "json")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["issues"]
    assert [(i["type"], i["location"], i["shape"]) for i in issues] == [
        ("xsd-invalid", f"line {line}", str(LOQ_XSD))
    ]
    assert "NQFLevel" in issues[0]["message"] and "EQFLevel" in issues[0]["message"]


def test_shapes_outside_core_fall_back_to_pyshacl_once(runner, tmp_path):
    path = tmp_path / "sparql.ttl"
    path.write_text(SPARQL, encoding="utf-8")
    result = run(runner, SEED, RS_XML, "--shapes", path, "--format", "json", "-j", "1")
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: shapes use SPARQL-based constraints (sh:sparql), outside the SHACL Core subset of the rncp-ld "
        "engine: validating with pySHACL (much slower)"
    ]
    assert result.exit_code == 1
    issues = [i for i in json.loads(result.stdout)["issues"] if i["type"] == "sparql"]
    # one result per block of the seed fiche; RS fiches have no blocks
    assert sorted(i["value"] for i in issues) == [
        f"https://w3id.org/rncp-ld/id/rncp/RNCP16575/BC0{n}" for n in (1, 2, 3)
    ]
    assert {i["message"] for i in issues} == {"Has parts"}
    assert result.stderr.splitlines()[-1].endswith("→ not valid (pySHACL)")


def test_default_shapes_are_the_shipped_ones(runner):
    result = run(runner, RNCP_XML, "--format", "json", "-j", "1")
    assert result.exit_code in (0, 1)
    assert "note:" not in result.stderr
    assert json.loads(result.stdout)["stats"]["fiches-validated"] == 12


def test_output_file_and_quiet(runner, shapes, tmp_path):
    out = tmp_path / "reports" / "junit.xml"
    result = run(runner, SEED, "--shapes", shapes, "--format", "junit", "-o", out)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "1 fiche validated (1 with errors): 4 errors, 6 warnings → not valid\n"
    ET.parse(out)
    quiet = run(runner, SEED, "--shapes", shapes, "--format", "json", "-q")
    assert quiet.stderr == "" and json.loads(quiet.stdout)["valid"] is False


def test_help_lists_the_options(runner):
    result = runner.invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    for option in ("--shapes", "--xsd", "--format", "--base", "--processes", "--output"):
        assert option in result.output
