"""``rncp-ld serve``: content negotiation, ETags, 404/406, traversal, and the SPARQL endpoint."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest

from rncp_ld.publish.serve import make_server, negotiate

BASE = "https://example.org/"
IRI = f"{BASE}rncp/RNCP16575"
TYPES = {
    "text/html": ("index.html", "text/html; charset=utf-8"),
    "text/turtle": ("index.ttl", "text/turtle; charset=utf-8"),
    "application/ld+json": ("index.jsonld", "application/ld+json"),
    "application/rdf+xml": ("index.rdf", "application/rdf+xml; charset=utf-8"),
    "application/n-triples": ("index.nt", "application/n-triples; charset=utf-8"),
}
TITLE = "Gestionnaire de paie"


def _representations(iri: str, title: str) -> dict[str, str]:
    return {
        "index.html": f"<!DOCTYPE html><html lang=fr><head><meta charset=utf-8><title>{title}</title></head>"
        f"<body><h1>{title}</h1></body></html>\n",
        "index.ttl": f'<{iri}> <http://purl.org/dc/terms/title> "{title}"@fr .\n',
        "index.jsonld": json.dumps({"@id": iri, "http://purl.org/dc/terms/title": title}),
        "index.rdf": '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">'
        f'<rdf:Description rdf:about="{iri}"><dct:title>{title}</dct:title></rdf:Description></rdf:RDF>\n',
        "index.nt": f'<{iri}> <http://purl.org/dc/terms/title> "{title}"@fr .\n',
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site with the layout ``rncp-ld publish`` writes."""
    root = tmp_path_factory.mktemp("site")
    for relative, iri, title in (
        ("rncp/RNCP16575", IRI, TITLE),
        ("rncp/RNCP16575/BC01", f"{IRI}/BC01", "Assurer la tenue du dossier social"),
    ):
        directory = root / relative
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in _representations(iri, title).items():
            (directory / name).write_text(text, encoding="utf-8")
    only_turtle = root / "rncp" / "RNCP1"
    only_turtle.mkdir()
    (only_turtle / "index.ttl").write_text(f"<{BASE}rncp/RNCP1> a <http://example.org/C> .\n")
    (root / "index.html").write_text("<!DOCTYPE html><title>Register</title>\n", encoding="utf-8")
    (root / "catalog.ttl").write_text(f"<{BASE}> a <http://www.w3.org/ns/dcat#Catalog> .\n")
    (root / "register.nt.gz").write_bytes(b"\x1f\x8b\x08\x00fake")
    (root.parent / "secret.txt").write_text("outside the site\n")
    (root / ".hidden").write_text("hidden\n")
    return root


@pytest.fixture(scope="module")
def store() -> object:
    st = pyoxigraph.Store()
    for line in _representations(IRI, TITLE)["index.nt"].splitlines():
        for quad in pyoxigraph.parse(line.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES):
            st.add(quad)
    bc = pyoxigraph.NamedNode(f"{IRI}/BC01")
    st.add(
        pyoxigraph.Quad(
            bc, pyoxigraph.NamedNode("http://purl.org/dc/terms/isPartOf"), pyoxigraph.NamedNode(IRI)
        )
    )
    return st


def _start(site: Path, store: object) -> Iterator[tuple[str, int]]:
    server = make_server(site, store=store, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def server(site: Path, store: object) -> Iterator[tuple[str, int]]:
    yield from _start(site, store)


@pytest.fixture(scope="module")
def storeless(site: Path) -> Iterator[tuple[str, int]]:
    yield from _start(site, None)


def request(
    address: tuple[str, int],
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# --- negotiation ------------------------------------------------------------------------


@pytest.mark.parametrize("media", TYPES)
def test_each_type_is_negotiated(server, site, media):
    status, headers, body = request(server, "/rncp/RNCP16575/", headers={"Accept": media})
    name, content_type = TYPES[media]
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Vary"] == "Accept"
    assert headers["Content-Location"] == f"/rncp/RNCP16575/{name}"
    assert body == (site / "rncp/RNCP16575" / name).read_bytes()
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle;q=0.5, application/n-triples", "application/n-triples"),
        ("text/html;q=0.1, application/rdf+xml;q=0.9", "application/rdf+xml"),
        ("application/json", "application/ld+json"),
        ("text/*", "text/html"),
        ("text/*;q=0.9, text/html;q=0.2", "text/turtle"),
        ("text/html;q=0, */*", "text/turtle"),
        ("application/*", "application/ld+json"),
        ("TEXT/Turtle", "text/turtle"),
    ],
)
def test_q_values_and_specificity(accept, chosen):
    assert negotiate(accept, TYPES) == chosen


def test_the_iri_itself_gives_rdf_and_redirects_browsers(server):
    status, headers, body = request(server, "/rncp/RNCP16575", headers={"Accept": "text/turtle"})
    assert status == 200 and body.startswith(f"<{IRI}>".encode())
    assert headers["Vary"] == "Accept"
    status, headers, _ = request(server, "/rncp/RNCP16575?x=1", headers={"Accept": "text/html"})
    assert status == 301
    assert headers["Location"] == "/rncp/RNCP16575/?x=1"
    assert headers["Vary"] == "Accept"


def test_blocks_and_root(server):
    status, _headers, body = request(
        server, "/rncp/RNCP16575/BC01/", headers={"Accept": "application/n-triples"}
    )
    assert status == 200 and body.startswith(f"<{IRI}/BC01>".encode())
    status, _, body = request(server, "/")
    assert status == 200 and b"Register" in body


def test_alternates_are_linked(server):
    _, headers, _ = request(server, "/rncp/RNCP16575/")
    links = headers["Link"]
    for media, (name, _) in TYPES.items():
        assert f'</rncp/RNCP16575/{name}>; rel="alternate"; type="{media}"' in links


def test_explicit_files_are_served_as_they_are(server, site):
    for path, content_type in (
        ("/rncp/RNCP16575/index.ttl", "text/turtle; charset=utf-8"),
        ("/rncp/RNCP16575/index.jsonld", "application/ld+json"),
        ("/catalog.ttl", "text/turtle; charset=utf-8"),
        ("/register.nt.gz", "application/gzip"),
    ):
        status, headers, body = request(server, path, headers={"Accept": "text/html"})
        assert status == 200, path
        assert headers["Content-Type"] == content_type
        assert "Vary" not in headers
        assert body == (site / path.lstrip("/")).read_bytes()


def test_406_when_nothing_is_acceptable(server):
    status, headers, body = request(server, "/rncp/RNCP16575/", headers={"Accept": "image/png"})
    assert status == 406
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Vary"] == "Accept"
    assert b"index.ttl" in body
    status, _, _ = request(server, "/rncp/RNCP1/", headers={"Accept": "text/html"})
    assert status == 406  # this one has Turtle only
    status, headers, _ = request(server, "/rncp/RNCP1/")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


# --- caching ----------------------------------------------------------------------------


def test_etag_and_304(server):
    _, headers, body = request(server, "/rncp/RNCP16575/", headers={"Accept": "text/turtle"})
    etag = headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert headers["Last-Modified"]
    _, html_headers, _ = request(server, "/rncp/RNCP16575/", headers={"Accept": "text/html"})
    assert html_headers["ETag"] != etag  # each representation has its own
    _, again, _ = request(server, "/rncp/RNCP16575/", headers={"Accept": "text/turtle"})
    assert again["ETag"] == etag  # stable
    status, headers, body = request(
        server, "/rncp/RNCP16575/", headers={"Accept": "text/turtle", "If-None-Match": f'"x", {etag}'}
    )
    assert status == 304 and body == b""
    assert headers["ETag"] == etag and headers["Vary"] == "Accept"
    status, _, _ = request(server, "/rncp/RNCP16575/", headers={"Accept": "text/html", "If-None-Match": etag})
    assert status == 200  # the tag of the Turtle does not match the HTML
    status, _, _ = request(server, "/catalog.ttl", headers={"If-None-Match": "*"})
    assert status == 304


def test_etag_follows_the_file(tmp_path):
    (tmp_path / "a.ttl").write_text("<a:b> <a:c> <a:d> .\n")
    generator = _start(tmp_path, None)
    address = next(generator)
    try:
        _, first, _ = request(address, "/a.ttl")
        (tmp_path / "a.ttl").write_text("<a:b> <a:c> <a:e> , <a:f> .\n")
        _, second, _ = request(address, "/a.ttl")
        assert first["ETag"] != second["ETag"]
    finally:
        generator.close()


def test_head_has_the_headers_of_get(server):
    _, get_headers, get_body = request(server, "/rncp/RNCP16575/", headers={"Accept": "text/turtle"})
    status, headers, body = request(server, "/rncp/RNCP16575/", "HEAD", headers={"Accept": "text/turtle"})
    assert status == 200 and body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Vary", "Content-Location"):
        assert headers[name] == get_headers[name]
    assert int(headers["Content-Length"]) == len(get_body)


# --- refusals ---------------------------------------------------------------------------


def test_unknown_paths_are_404_with_html(server):
    for path in ("/rncp/RNCP99999", "/rncp/RNCP16575/BC99/", "/nothing.ttl", "/rncp/"):
        status, headers, body = request(server, path)
        assert status == 404, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"404" in body and b"<html" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/rncp/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/rncp/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/rncp/RNCP16575/..%5c..%5c..%5csecret.txt",
        "/.hidden",
        "/%2ehidden",
        "/%00",
        "/%ff",
    ],
)
def test_traversal_is_refused(server, path):
    status, _, body = request(server, path)
    assert status == 404
    assert b"outside the site" not in body and b"hidden\n" != body


def test_symlinks_out_of_the_site_are_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.txt").write_text("outside the site\n")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    generator = _start(site, None)
    address = next(generator)
    try:
        assert request(address, "/link.txt")[0] == 404
    finally:
        generator.close()


def test_post_outside_sparql_is_405(server):
    status, headers, _ = request(server, "/rncp/RNCP16575/", "POST", body=b"")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


# --- SPARQL -----------------------------------------------------------------------------

SELECT = f"SELECT ?title WHERE {{ <{IRI}> <http://purl.org/dc/terms/title> ?title }}"


def test_sparql_get_json(server):
    status, headers, body = request(server, f"/sparql?query={quote(SELECT)}")
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    results = json.loads(body)
    assert results["head"]["vars"] == ["title"]
    assert results["results"]["bindings"] == [
        {"title": {"type": "literal", "value": TITLE, "xml:lang": "fr"}}
    ]


def test_sparql_post_query_and_form(server):
    status, headers, body = request(
        server,
        "/sparql",
        "POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        body=SELECT.encode(),
    )
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.decode().splitlines() == ["title", TITLE]
    form = ("query=" + quote(f"ASK {{ <{IRI}/BC01> ?p <{IRI}> }}")).encode()
    status, headers, body = request(
        server, "/sparql", "POST", headers={"Content-Type": "application/x-www-form-urlencoded"}, body=form
    )
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "text/turtle; charset=utf-8"),
        ("application/n-triples", "application/n-triples; charset=utf-8"),
        ("application/rdf+xml", "application/rdf+xml; charset=utf-8"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_sparql_construct(server, accept, content_type):
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{IRI}/BC01>) }}"
    status, headers, body = request(
        server, f"/sparql?query={quote(query)}", headers={"Accept": accept} if accept else None
    )
    assert status == 200 and headers["Content-Type"] == content_type
    graph = pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.from_media_type(content_type.split(";")[0]))
    assert len(list(graph)) == 1


def test_sparql_tsv_and_406(server):
    status, _, body = request(
        server, f"/sparql?query={quote(SELECT)}", headers={"Accept": "text/tab-separated-values"}
    )
    assert status == 200 and body.decode().splitlines() == ["?title", f'"{TITLE}"@fr']
    status, _, _ = request(server, f"/sparql?query={quote(SELECT)}", headers={"Accept": "image/png"})
    assert status == 406


def test_sparql_bad_query_is_400_with_the_parser_message(server):
    status, headers, body = request(server, f"/sparql?query={quote('SELECT ?x WHERE { ?x ')}")
    assert status == 400
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"Query parse error: error at 1:") and b"expected" in body


def test_sparql_refusals(server):
    status, _, _ = request(server, "/sparql", "POST", headers={"Content-Type": "text/plain"}, body=b"ASK {}")
    assert status == 415
    status, _, _ = request(server, "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400
    status, _, body = request(server, "/sparql")
    assert status == 200 and b"<form" in body


def test_sparql_without_a_store_is_404(storeless):
    status, _, body = request(storeless, f"/sparql?query={quote(SELECT)}")
    assert status == 404 and b"--store" in body


def test_sparql_time_limit(site, store):
    server = make_server(site, store=store, port=0, quiet=True, query_timeout=0.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        query = "SELECT * WHERE { ?s ?p ?o }"
        status, _, body = request(server.server_address[:2], f"/sparql?query={quote(query)}")
        assert status == 503 and b"limit" in body
    finally:
        server.shutdown()
        server.server_close()


def test_store_directory_is_opened_read_only(tmp_path, site):
    directory = tmp_path / "store"
    writable = pyoxigraph.Store(str(directory))
    writable.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(IRI),
            pyoxigraph.NamedNode("http://purl.org/dc/terms/title"),
            pyoxigraph.Literal(TITLE, language="fr"),
            pyoxigraph.NamedNode(f"{IRI}#graph"),  # a named graph: the default graph is their union
        )
    )
    writable.flush()
    del writable
    generator = _start(site, directory)
    address = next(generator)
    try:
        status, _, body = request(address, f"/sparql?query={quote(SELECT)}")
        assert status == 200 and TITLE in body.decode()
        update = quote("INSERT DATA { <a:b> <a:c> <a:d> }")
        assert request(address, f"/sparql?query={update}")[0] == 400
    finally:
        generator.close()


def test_cli_serve_help(runner):
    from rncp_ld.cli import cli

    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--store", "--port", "--query-timeout"):
        assert option in result.output


def test_cli_refuses_a_folder_that_is_no_store(runner, site, tmp_path):
    from rncp_ld.cli import cli

    result = runner.invoke(cli, ["serve", str(site), "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert "no store at" in result.output


def test_cli_serve_runs_until_stopped(site):
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "rncp_ld", "serve", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("Serving ") and "http://127.0.0.1:" in line
        port = int(line.rsplit(":", 1)[1].strip(" /\n"))
        status, headers, _ = request(
            ("127.0.0.1", port), "/rncp/RNCP16575", headers={"Accept": "text/turtle"}
        )
        assert status == 200 and headers["Vary"] == "Accept"
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()


def test_keep_alive_survives_an_unread_post_body(server):
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        connection.request("POST", "/rncp/RNCP16575/", body=b"GET /secret HTTP/1.1\r\n\r\n")
        response = connection.getresponse()
        response.read()
        assert response.status == 405 and response.headers["Connection"] == "close"
        connection.request("GET", "/rncp/RNCP16575/", headers={"Accept": "text/turtle"})
        response = connection.getresponse()  # a new connection, not the smuggled request
        assert response.status == 200 and response.read().startswith(f"<{IRI}>".encode())
    finally:
        connection.close()


def test_keep_alive_serves_several_requests(server):
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        for media in TYPES:
            connection.request("GET", "/rncp/RNCP16575/", headers={"Accept": media})
            response = connection.getresponse()
            assert response.status == 200 and response.headers["Content-Type"] == TYPES[media][1]
            response.read()
    finally:
        connection.close()


# --- the real publish output and store ----------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The seed fiche published by ``rncp-ld publish`` and loaded by ``rncp-ld store load``."""
    from rncp_ld.publish import site as site_module
    from rncp_ld.publish import store as store_module

    from conftest import SEED

    root = tmp_path_factory.mktemp("published")
    site_module.publish([SEED], root / "site", base=BASE)
    store_module.load([SEED], root / "store", base=BASE)
    yield from _start(root / "site", root / "store")


@pytest.mark.parametrize("path", ["/rncp/RNCP16575", "/rncp/RNCP16575/", "/rncp/RNCP16575/BC01/"])
@pytest.mark.parametrize("media", [m for m in TYPES if m != "text/html"])
def test_published_rdf_is_negotiated(published, path, media):
    status, headers, body = request(published, path, headers={"Accept": media})
    assert status == 200
    assert headers["Content-Type"] == TYPES[media][1] and headers["Vary"] == "Accept"
    graph = pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.from_media_type(media))
    subjects = {quad.subject for quad in graph}
    assert pyoxigraph.NamedNode(BASE + path.strip("/")) in subjects


def test_published_pages_and_files(published):
    status, headers, body = request(published, "/rncp/RNCP16575/", headers={"Accept": "text/html"})
    assert status == 200 and b"<h1>" in body and headers["Content-Type"] == "text/html; charset=utf-8"
    for path, content_type in (
        ("/", "text/html; charset=utf-8"),
        ("/register.nt.gz", "application/gzip"),
        ("/catalog.ttl", "text/turtle; charset=utf-8"),
        ("/void.ttl", "text/turtle; charset=utf-8"),
        ("/feed/", "text/turtle; charset=utf-8"),
        ("/feed/page-1.ttl", "text/turtle; charset=utf-8"),
    ):
        status, headers, _ = request(published, path)
        assert (status, headers["Content-Type"]) == (200, content_type), path
    assert request(published, "/.rncp-ld/state.json")[0] == 404  # the publisher's state is not served
    assert request(published, "/rncp/RNCP16575/BC99")[0] == 404


def test_published_store_answers_sparql(published):
    query = (
        f"SELECT ?block WHERE {{ GRAPH ?g {{ ?block ?p ?o }} FILTER(STRSTARTS(STR(?block), '{IRI}/BC')) }}"
    )
    status, _, body = request(published, f"/sparql?query={quote(query)}")
    assert status == 200
    blocks = {b["block"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {f"{IRI}/BC01", f"{IRI}/BC02", f"{IRI}/BC03"} <= blocks
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # the default graph is the union of fiche graphs
    status, _, body = request(published, f"/sparql?query={quote(count)}", headers={"Accept": "text/csv"})
    assert status == 200 and int(body.decode().splitlines()[1]) > 50
