"""Pushing per-fiche graphs to a SPARQL 1.1 Graph Store endpoint: a real Oxigraph server.

The fixture starts ``oxigraph serve`` (the PyPI package ``oxigraph``) on 127.0.0.1 and
a free port, with its data in a temporary folder, and stops it in teardown.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rncp_ld.publish import fiche_ntriples
from rncp_ld.publish.gsp import graph_url, push
from rncp_ld.report import Report

from conftest import RNCP_XML, unavailable

OLD_TITLE = "Diplôme Arts et Techniques du Théâtre (ATT), parcours conception lumière"
NEW_TITLE = "Diplôme Arts et Techniques du Théâtre (ATT), parcours lumière et son"
ELM = "http://data.europa.eu/snb/model/elm/"
CERTIFICATIONS = f"""SELECT (COUNT(DISTINCT ?c) AS ?n) {{ GRAPH ?g {{ ?c a <{ELM}Qualification>
    FILTER NOT EXISTS {{ ?c <{ELM}isPartialQualification> true }} }} }}"""
BLOCKS = f"""SELECT (COUNT(DISTINCT ?b) AS ?n) {{ GRAPH ?g {{ ?b a <{ELM}Qualification>;
    <{ELM}isPartialQualification> true; <{ELM}isPartOf> ?c }} }}"""
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
TRIPLES = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def _oxigraph() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        unavailable("the oxigraph server is not installed (pip install oxigraph, in the test extra)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """An ``oxigraph serve`` process on 127.0.0.1, restartable on the same port and data."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/store"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_oxigraph(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(200):  # up to ~20 s
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited: {self.process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph did not answer within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def count(self, query: str) -> int:
        url = f"{self.base}/query?{urllib.parse.urlencode({'query': query})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            bindings = json.load(answer)["results"]["bindings"]
        return int(bindings[0]["n"]["value"])

    def ask(self, query: str) -> bool:
        url = f"{self.base}/query?{urllib.parse.urlencode({'query': query})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return bool(json.load(answer)["boolean"])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "oxigraph")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _graphs(*sources: Path) -> list[tuple[str, str]]:
    report = Report()
    graphs = [(str(iri), nt) for iri, nt in fiche_ntriples(sources, report=report)]
    assert report.valid, report.issues
    return graphs


@pytest.fixture(scope="module")
def sample_graphs() -> list[tuple[str, str]]:
    return _graphs(RNCP_XML)


def test_push_samples_then_nothing_left(server: Server, sample_graphs, tmp_path: Path) -> None:
    journal = tmp_path / "push.journal"
    report = push(sample_graphs, server.endpoint, journal=journal)
    assert report.ok, report.failed
    assert len(report.pushed) == 12 and report.retries == 0
    assert server.count(CERTIFICATIONS) == 12
    assert server.count(BLOCKS) == 53
    assert server.count(GRAPHS) == 12
    triples = server.count(TRIPLES)
    assert triples == sum(nt.count("\n") for _, nt in sample_graphs)
    # each graph is named by its certification and holds it
    iri = sample_graphs[0][0]
    assert server.ask(f"ASK {{ GRAPH <{iri}> {{ <{iri}> a <{ELM}Qualification> }} }}")

    again = push(sample_graphs, server.endpoint, journal=journal)
    assert again.ok and again.pushed == [] and len(again.unchanged) == 12

    # without a journal everything is sent again: PUT replaces, nothing is duplicated
    forced = push(sample_graphs, server.endpoint)
    assert len(forced.pushed) == 12
    assert server.count(TRIPLES) == triples and server.count(GRAPHS) == 12


def test_modified_export_replaces_the_changed_graph(server: Server, sample_graphs, tmp_path: Path) -> None:
    journal = tmp_path / "push.journal"
    assert push(sample_graphs, server.endpoint, journal=journal).ok
    before = server.count(TRIPLES)
    modified = tmp_path / RNCP_XML.name  # the provenance names the file: same name, same graphs
    text = RNCP_XML.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) == 1
    modified.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")

    report = push(_graphs(modified), server.endpoint, journal=journal)
    assert report.ok
    assert len(report.pushed) == 1 and len(report.unchanged) == 11
    changed = report.pushed[0]
    titled = 'SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?c <http://purl.org/dc/terms/title> "{}"@fr }} }}'
    assert server.count(titled.format(OLD_TITLE)) == 0
    assert server.count(titled.format(NEW_TITLE)) == 1
    assert server.ask(f'ASK {{ GRAPH <{changed}> {{ <{changed}> ?p "{NEW_TITLE}"@fr }} }}')
    assert server.count(TRIPLES) == before and server.count(GRAPHS) == 12
    assert server.count(CERTIFICATIONS) == 12 and server.count(BLOCKS) == 53


def test_server_stopped_mid_run_then_resumed(server: Server, sample_graphs, tmp_path: Path) -> None:
    journal = tmp_path / "push.journal"

    def stopping(after: int) -> Iterator[tuple[str, str]]:
        for index, pair in enumerate(sample_graphs):
            if index == after:
                server.stop()
            yield pair

    seen: list[tuple[str, str]] = []
    report = push(
        stopping(5),
        server.endpoint,
        journal=journal,
        retries=2,
        backoff=0.01,
        timeout=5,
        on_graph=lambda graph, outcome: seen.append((graph, outcome)),
    )
    assert not report.ok
    assert report.pushed == [iri for iri, _ in sample_graphs[:5]]
    assert list(report.failed) == [iri for iri, _ in sample_graphs[5:]]
    reasons = list(report.failed.values())
    assert all("(3 attempts)" in reason for reason in reasons[:3]), reasons
    assert all(
        reason.startswith("not tried: the endpoint failed 3 fiches in a row") for reason in reasons[3:]
    )
    assert report.retries == 3 * 2  # the endpoint is taken as down after 3 fiches: no more waiting
    assert [outcome for _, outcome in seen] == ["pushed"] * 5 + ["failed"] * 7
    as_report = report.to_report()
    assert not as_report.valid and as_report.stats["graphs-failed"] == 7
    assert {issue.type for issue in as_report.issues} == {"push-failed"}
    assert as_report.issues[0].fiche == sample_graphs[5][0].rsplit("/", 1)[1]
    assert "7 NOT pushed" in report.summary()

    server.start()  # same port, same data
    assert server.count(GRAPHS) == 5
    resumed = push(sample_graphs, server.endpoint, journal=journal)
    assert resumed.ok
    assert resumed.pushed == [iri for iri, _ in sample_graphs[5:]]
    assert len(resumed.unchanged) == 5
    assert server.count(CERTIFICATIONS) == 12 and server.count(BLOCKS) == 53 and server.count(GRAPHS) == 12


def test_bad_graph_is_a_permanent_failure_the_others_go(server: Server, sample_graphs) -> None:
    bad = ("https://w3id.org/rncp-ld/id/rncp/RNCP0", "this is not N-Triples\n")
    report = push([sample_graphs[0], bad, sample_graphs[1]], server.endpoint, backoff=0.01)
    assert report.pushed == [sample_graphs[0][0], sample_graphs[1][0]]
    assert list(report.failed) == [bad[0]] and report.failed[bad[0]].startswith("HTTP 400")
    assert report.retries == 0
    assert server.count(GRAPHS) == 2


def test_unknown_endpoint_path_is_permanent(server: Server, sample_graphs) -> None:
    report = push(sample_graphs[:2], f"{server.base}/no-such-endpoint", backoff=0.01)
    assert len(report.failed) == 2 and report.retries == 0
    assert all(reason.startswith("HTTP 404") for reason in report.failed.values())


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first ``failures`` PUTs, then 204; records what it got."""

    failures = 2
    calls: list[tuple[str, str, bytes]] = []  # noqa: RUF012

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((self.path, self.headers["Content-Type"], body))
        status = 503 if len(type(self).calls) <= type(self).failures else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_transient_failures_are_retried_with_backoff() -> None:
    _Flaky.calls = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{httpd.server_address[1]}/store"
        graph = "https://w3id.org/rncp-ld/id/rncp/RNCP1#x"
        start = time.perf_counter()
        report = push([(graph, "<urn:a> <urn:b> <urn:c> .\n")], endpoint, backoff=0.05)
        elapsed = time.perf_counter() - start
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert report.ok and report.pushed == [graph] and report.retries == 2
    assert elapsed >= 0.05 + 0.1  # waited backoff, then twice the backoff
    path, content_type, body = _Flaky.calls[-1]
    assert len(_Flaky.calls) == 3
    assert content_type == "application/n-triples" and body == b"<urn:a> <urn:b> <urn:c> .\n"
    assert path == "/store?graph=https%3A%2F%2Fw3id.org%2Frncp-ld%2Fid%2Frncp%2FRNCP1%23x"


def test_graph_url_keeps_an_existing_query_string() -> None:
    assert graph_url("http://h/ds?x=1", "urn:g") == "http://h/ds?x=1&graph=urn%3Ag"
    assert graph_url("http://h/store", "urn:g") == "http://h/store?graph=urn%3Ag"


def test_push_takes_the_publish_graphs(server: Server, sample_graphs, tmp_path: Path) -> None:
    """``rncp-ld publish --endpoint`` pushes ``site.fiche_ntriples`` (canonical N-Triples, URIRef names)."""
    from rncp_ld.publish import site

    report = Report()
    journal = tmp_path / "push.journal"
    pushed = push(site.fiche_ntriples([RNCP_XML], report=report), server.endpoint, journal=journal)
    assert report.valid and pushed.ok and len(pushed.pushed) == 12
    assert server.count(CERTIFICATIONS) == 12 and server.count(BLOCKS) == 53
    triples = server.count(TRIPLES)
    again = push(site.fiche_ntriples([RNCP_XML]), server.endpoint, journal=journal)
    assert len(again.unchanged) == 12 and again.pushed == []
    # the same graphs in another serialization order: replaced, the same triples
    assert push(sample_graphs, server.endpoint).ok
    assert server.count(TRIPLES) == triples and server.count(GRAPHS) == 12


def test_journal_is_compacted(tmp_path: Path) -> None:
    from rncp_ld.publish.gsp import _Journal

    path = tmp_path / "push.journal"
    lines = [
        json.dumps({"endpoint": "http://a/store", "graph": "urn:g", "sha256": str(i)}) for i in range(1500)
    ]
    lines.append(json.dumps({"endpoint": "http://b/store", "graph": "urn:g", "sha256": "b"}))
    path.write_text("\n".join([*lines, '{"endpoint": "http://a/sto']) + "\n", encoding="utf-8")
    journal = _Journal(path, "http://a/store")
    journal.close()
    assert journal.done == {"urn:g": "1499"}
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
    other = _Journal(path, "http://b/store")
    other.close()
    assert other.done == {"urn:g": "b"}


def test_publish_command_pushes_to_the_endpoint_and_a_second_run_finishes(
    server: Server, tmp_path: Path
) -> None:
    """``rncp-ld publish --endpoint``: the site is written, every fiche graph pushed, then nothing left."""
    from click.testing import CliRunner

    from rncp_ld.cli import cli

    args = ["publish", str(RNCP_XML), "-o", str(tmp_path / "site"), "--endpoint", server.endpoint]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    assert f"12 graphs pushed, 0 unchanged, 0 not pushed → {server.endpoint}" in first.stderr
    assert server.count(CERTIFICATIONS) == 12 and server.count(BLOCKS) == 53
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and "0 graphs pushed, 12 unchanged" in second.stderr
