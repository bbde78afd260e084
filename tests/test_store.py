"""The embedded store: ``store load`` (one named graph per fiche, replaced on reload) and
``store query`` (table, csv, json; SELECT, ASK, CONSTRUCT; text or @file)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from rncp_ld.cli import cli
from rncp_ld.errors import ConfigError
from rncp_ld.publish import fiche_ntriples
from rncp_ld.publish.store import load, query, query_text
from rncp_ld.report import Report

from conftest import RNCP_XML, RS_XML

OLD_TITLE = "Diplôme Arts et Techniques du Théâtre (ATT), parcours conception lumière"
NEW_TITLE = "Diplôme Arts et Techniques du Théâtre (ATT), parcours lumière et son"
CERTIFICATIONS = """SELECT (COUNT(DISTINCT ?c) AS ?n) { GRAPH ?g { ?c a elm:Qualification
    FILTER NOT EXISTS { ?c elm:isPartialQualification true } } }"""
BLOCKS = """SELECT (COUNT(DISTINCT ?b) AS ?n) { GRAPH ?g {
    ?b a elm:Qualification; elm:isPartialQualification true; elm:isPartOf ?c } }"""
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
TRIPLES = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def count(text: str, store: Path) -> int:
    return int(next(query(text, store).rows())["n"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store") / "db"
    report = load([RNCP_XML], folder)
    assert report.valid, report.issues
    return folder


def test_load_one_graph_per_fiche(store: Path) -> None:
    assert count(CERTIFICATIONS, store) == 12
    assert count(BLOCKS, store) == 53
    assert count(GRAPHS, store) == 12
    # each graph is named by its certification, and blocks are in their certification's graph
    assert count("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?g a elm:Qualification } }", store) == 12
    outside = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?b elm:isPartOf ?c FILTER (?c != ?g) } }"
    assert count(outside, store) == 0
    # the default graph is the union of the fiche graphs, unless asked otherwise
    union = CERTIFICATIONS.replace("GRAPH ?g {", "{")
    assert int(next(query(union, store).rows())["n"]) == 12
    assert int(next(query(union, store, union=False).rows())["n"]) == 0


def test_graphs_match_the_converter(store: Path) -> None:
    report = Report()
    graphs = [(str(iri), nt) for iri, nt in fiche_ntriples([RNCP_XML], report=report)]
    assert len(graphs) == 12 and report.stats["fiches-read"] == 12
    assert count(TRIPLES, store) == sum(nt.count("\n") for _, nt in graphs)


def test_reload_replaces_never_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    first = load([RNCP_XML, RS_XML], folder)
    assert first.stats["fiches-loaded"] == 20 and "graphs-replaced" not in first.stats
    triples = count(TRIPLES, folder)
    assert triples == first.stats["triples"]
    modified = tmp_path / "copy" / RNCP_XML.name
    modified.parent.mkdir()
    text = RNCP_XML.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) == 1
    modified.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")

    # small batches: the replaced graphs are spread over several bulk loads
    again = load([modified], folder, batch_triples=3000)
    assert again.stats["graphs-replaced"] == 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy", "db"]  # no staging file left
    assert count(TRIPLES, folder) == triples and count(GRAPHS, folder) == 20
    titled = 'SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?c dct:title "{}"@fr }} }}'
    assert count(titled.format(OLD_TITLE), folder) == 0
    assert count(titled.format(NEW_TITLE), folder) == 1
    assert count(CERTIFICATIONS, folder) == 20 and count(BLOCKS, folder) == 53


def test_same_fiche_twice_in_one_run_later_wins(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    report = load([RNCP_XML, RNCP_XML], folder)
    assert report.stats["fiches-loaded"] == 24
    assert {issue.type for issue in report.issues} == {"duplicate-fiche"}
    assert count(GRAPHS, folder) == 12
    assert count(TRIPLES, folder) == report.stats["triples"] // 2


def test_render_select(store: Path) -> None:
    select = """SELECT ?c ?title { ?c a elm:Qualification; dct:title ?title
        FILTER NOT EXISTS { ?c elm:isPartialQualification true } } ORDER BY ?c LIMIT 2"""
    table = query(select, store).render("table").splitlines()
    assert table[0].split() == ["c", "title"] and set(table[1]) <= {"-", " "}
    assert table[2].startswith("https://w3id.org/rncp-ld/id/rncp/RNCP")
    assert table[-1] == "(2 rows)"
    rows = list(csv.reader(io.StringIO(query(select, store).render("csv"))))
    assert rows[0] == ["c", "title"] and len(rows) == 3
    data = json.loads(query(select, store).render("json"))
    assert data["head"]["vars"] == ["c", "title"]
    binding = data["results"]["bindings"][0]
    assert binding["c"]["type"] == "uri" and binding["title"]["xml:lang"] == "fr"


def test_render_ask_and_construct(store: Path) -> None:
    assert query("ASK { ?c a elm:Qualification }", store).boolean is True
    assert query("ASK { ?c a elm:Qualification }", store).render("table") == "true\n"
    assert query("ASK { ?c a skos:Nothing }", store).render("csv") == "false\n"
    assert json.loads(query("ASK { ?c a elm:Qualification }", store).render("json")) == {
        "head": {},
        "boolean": True,
    }
    construct = """CONSTRUCT { ?c dct:title ?t } WHERE { ?c a elm:Qualification; dct:title ?t
        FILTER NOT EXISTS { ?c elm:isPartialQualification true } }"""
    nt = query(construct, store).render("table")
    assert len(nt.splitlines()) == 12 and all(line.endswith(" .") for line in nt.splitlines())
    rows = list(csv.reader(io.StringIO(query(construct, store).render("csv"))))
    assert rows[0] == ["subject", "predicate", "object"] and len(rows) == 13
    jsonld = json.loads(query(construct, store).render("json"))
    assert len(jsonld) == 12 and all("http://purl.org/dc/terms/title" in node for node in jsonld)


def test_query_errors(store: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="bad SPARQL query"):
        query("SELEC ?x", store)
    with pytest.raises(ConfigError, match="no store at"):
        query("ASK {}", tmp_path / "nothing")
    with pytest.raises(ConfigError, match="unknown query output format"):
        query("ASK {}", store).render("xml")
    with pytest.raises(ConfigError, match="cannot read the query file"):
        query_text(f"@{tmp_path / 'missing.rq'}")


def test_cli_load_and_query(runner, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    done = runner.invoke(cli, ["store", "load", str(RNCP_XML), "--store", str(folder)])
    assert done.exit_code == 0, done.output
    assert "12 fiches loaded" in done.stderr and str(folder) in done.stderr
    again = runner.invoke(cli, ["store", "load", str(RNCP_XML), "--store", str(folder)])
    assert again.exit_code == 0 and "12 graphs replaced" in again.stderr

    file = tmp_path / "blocks.rq"
    file.write_text(BLOCKS, encoding="utf-8")
    answer = runner.invoke(cli, ["store", "query", f"@{file}", "--store", str(folder), "--format", "csv"])
    assert answer.exit_code == 0, answer.output
    assert answer.stdout.splitlines() == ["n", "53"]
    answer = runner.invoke(cli, ["store", "query", CERTIFICATIONS, "--store", str(folder)])
    assert answer.exit_code == 0 and answer.stdout.splitlines()[2].strip() == "12"
    answer = runner.invoke(cli, ["store", "query", "@-", "--store", str(folder), "-f", "json"], input=GRAPHS)
    assert json.loads(answer.stdout)["results"]["bindings"][0]["n"]["value"] == "12"

    bad = runner.invoke(cli, ["store", "query", "SELEC", "--store", str(folder)])
    assert bad.exit_code == 2 and "bad SPARQL query" in bad.stderr
    missing = runner.invoke(cli, ["store", "query", "ASK {}", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no store at" in missing.stderr


def test_cli_load_reports_unreadable_input(runner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<FICHES><FICHE>", encoding="utf-8")
    done = runner.invoke(cli, ["store", "load", str(broken), str(RNCP_XML), "--store", str(tmp_path / "db")])
    assert done.exit_code == 2
    assert "12 fiches loaded" in done.stderr and "1 input(s) unreadable" in done.stderr
