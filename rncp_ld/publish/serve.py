"""A local linked-data server for a published site, with a SPARQL endpoint.

``serve(site)`` serves the directory written by ``rncp-ld publish`` (standard library
``http.server``, one thread per connection):

* a request path names a directory of the site, the IRI ``{base}rncp/RNCP16575`` being
  ``/rncp/RNCP16575``; its representations are the ``index.{html,ttl,jsonld,rdf,nt}``
  files in that directory, chosen from the ``Accept`` header (q-values, the most specific
  range wins, ties go to HTML, Turtle, JSON-LD, RDF/XML, N-Triples in that order;
  ``application/json`` and ``application/xhtml+xml`` count as JSON-LD and HTML). Every
  negotiated answer carries ``Vary: Accept``, ``Content-Location`` (the file served) and
  ``Link`` headers to the other representations. No representation acceptable: 406
  with the list. When HTML wins on a path without its trailing slash, a 301 to the slash
  form keeps the page's relative links working, as static hosts do; RDF is served at the
  IRI itself (200);
* a path naming a file (``…/index.ttl``, ``/catalog.ttl``, ``/register.nt.gz``) is served
  as it is, with its type from the extension;
* answers carry a strong ``ETag`` (SHA-256 of the bytes, cached per file by size and
  modification time) and ``Last-Modified``; ``If-None-Match`` with a matching tag gives
  304. ``HEAD`` gives the headers of ``GET``;
* paths leaving the site (``..`` segments, also percent-encoded, symbolic links pointing
  outside) and hidden files are refused with 404, as are unknown paths (a small HTML
  body).

``/sparql`` answers SPARQL 1.1 queries (``GET ?query=``, ``POST`` with
``application/sparql-query`` or a form) from the pyoxigraph store given with ``store``,
opened read-only, the default graph being the union of all graphs (one per fiche) and
the usual prefixes (``elm:``, ``dcterms:``, ``skos:``…) predeclared. ``SELECT`` and
``ASK`` results are ``application/sparql-results+json`` unless ``text/csv`` or
``text/tab-separated-values`` is preferred; ``CONSTRUCT`` and ``DESCRIBE`` give Turtle,
N-Triples, RDF/XML or JSON-LD. A query that does not parse is a 400 with the parser's
message; without a store ``/sparql`` is a 404. pyoxigraph cannot cancel a running query,
so the time limit is checked between result rows: a query still producing rows after
``query_timeout`` seconds is stopped with a 503, but one blocked before its first row
(a sort, an aggregate over everything) runs to its end in its own thread.
"""

from __future__ import annotations

import contextlib
import csv
import email.utils
import hashlib
import html
import io
import json
import mimetypes
import os
import posixpath
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["REPRESENTATIONS", "LinkedDataServer", "make_server", "negotiate", "parse_accept", "serve"]

#: Media type → (index file, Content-Type), in the server's order of preference.
REPRESENTATIONS: dict[str, tuple[str, str]] = {
    "text/html": ("index.html", "text/html; charset=utf-8"),
    "text/turtle": ("index.ttl", "text/turtle; charset=utf-8"),
    "application/ld+json": ("index.jsonld", "application/ld+json"),
    "application/rdf+xml": ("index.rdf", "application/rdf+xml; charset=utf-8"),
    "application/n-triples": ("index.nt", "application/n-triples; charset=utf-8"),
}
#: Media types asked for that mean one of the above.
ALIASES = {"application/json": "application/ld+json", "application/xhtml+xml": "text/html"}

#: Content-Type of served files by extension (the longest matching suffix wins).
FILE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8",
    ".nq": "application/n-quads; charset=utf-8",
    ".trig": "application/trig; charset=utf-8",
    ".gz": "application/gzip",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}

SPARQL_PATH = "/sparql"
MAX_BODY = 1 << 20  # bytes of a POSTed query
SPARQL_RESULTS = {
    "application/sparql-results+json": "application/sparql-results+json",
    "text/csv": "text/csv; charset=utf-8",
    "text/tab-separated-values": "text/tab-separated-values; charset=utf-8",
}
SPARQL_GRAPHS = {
    "text/turtle": ("TURTLE", "text/turtle; charset=utf-8"),
    "application/n-triples": ("N_TRIPLES", "application/n-triples; charset=utf-8"),
    "application/rdf+xml": ("RDF_XML", "application/rdf+xml; charset=utf-8"),
    "application/ld+json": ("JSON_LD", "application/ld+json"),
}


# --- Accept -----------------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values (``*/*`` when absent)."""
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]], aliases: dict[str, str]) -> float:
    """The q-value of ``media``: that of the most specific range naming it (0 if none)."""
    best_rank, best_q = -1, 0.0
    major = media.split("/")[0]
    for asked, q in ranges:
        asked = aliases.get(asked, asked)
        if asked == media:
            rank = 2
        elif asked == f"{major}/*":
            rank = 1
        elif asked == "*/*":
            rank = 0
        else:
            continue
        if rank > best_rank or (rank == best_rank and q > best_q):
            best_rank, best_q = rank, q
    return best_q


def negotiate(
    header: str | None, available: Iterable[str], aliases: dict[str, str] | None = None
) -> str | None:
    """The best of ``available`` (in order of preference) for an ``Accept`` header, or None."""
    ranges = parse_accept(header)
    aliases = ALIASES if aliases is None else aliases
    best, best_q = None, 0.0
    for media in available:
        q = _quality(media, ranges, aliases)
        if q > best_q:
            best, best_q = media, q
    return best


# --- Files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entity:
    path: Path
    size: int
    mtime: float
    etag: str


class _Files:
    """ETags of the site's files, computed once per (size, modification time)."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[int, int, str]] = {}
        self._lock = threading.Lock()

    def entity(self, path: Path) -> _Entity:
        stat = path.stat()
        with self._lock:
            cached = self._cache.get(path)
        if cached and cached[:2] == (stat.st_size, stat.st_mtime_ns):
            etag = cached[2]
        else:
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 16), b""):
                    digest.update(chunk)
            etag = f'"{digest.hexdigest()[:32]}"'
            with self._lock:
                self._cache[path] = (stat.st_size, stat.st_mtime_ns, etag)
        return _Entity(path, stat.st_size, stat.st_mtime, etag)


def _file_type(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(FILE_TYPES, key=len, reverse=True):
        if lower.endswith(suffix):
            return FILE_TYPES[suffix]
    guessed = mimetypes.guess_type(name)[0]
    return guessed or "application/octet-stream"


def _etag_matches(header: str, etag: str) -> bool:
    """``If-None-Match`` uses the weak comparison (RFC 9110 §13.1.2)."""
    if header.strip() == "*":
        return True
    tags = [t.strip() for t in header.split(",")]
    return any(t.removeprefix("W/") == etag for t in tags)


# --- SPARQL -----------------------------------------------------------------------------


class QueryTimeout(Exception):
    """The query was still producing results when its time ran out."""


def _timed(rows: Iterable[Any], deadline: float) -> Iterator[Any]:
    for row in rows:
        if time.monotonic() >= deadline:
            raise QueryTimeout
        yield row


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}  # RDF-star quoted triple


def _term_csv(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _term_tsv(term: Any) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def _select_body(variables: list[str], rows: list[Any], media: str) -> bytes:
    if media == "application/sparql-results+json":
        bindings = [{v: _term_json(row[v]) for v in variables if row[v] is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    buffer = io.StringIO()
    if media == "text/csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_term_csv(row[v]) for v in variables])
    else:
        buffer.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            buffer.write("\t".join(_term_tsv(row[v]) for v in variables) + "\n")
    return buffer.getvalue().encode("utf-8")


# --- The server -------------------------------------------------------------------------


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>
"""

_SPARQL_FORM = """<form method="post" action="/sparql">
<textarea name="query" rows="12" cols="80" aria-label="SPARQL query">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<p><button type="submit">Run</button></p></form>"""


class LinkedDataServer(ThreadingHTTPServer):
    """A threaded HTTP server holding the site's root, its ETags and the store."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        site: Path,
        store: Any = None,
        query_timeout: float = 30.0,
        quiet: bool = False,
    ) -> None:
        self.site = Path(site).resolve()
        self.store = store
        self.query_timeout = query_timeout
        self.quiet = quiet
        self.files = _Files()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: LinkedDataServer
    protocol_version = "HTTP/1.1"
    server_version = "rncp-ld"
    _body_read = False
    sys_version = ""

    # -- plumbing

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.command == "POST" and not self._body_read:
            # the body left unread would be taken for the next request: close instead
            self.send_header("Connection", "close")
            self.close_connection = True
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, status: int, title: str, body: str, headers: dict[str, str] | None = None) -> None:
        page = _PAGE.format(title=html.escape(title), body=body)
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", headers)

    def _error(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        self._page(status, f"{status.value} {status.phrase}", f"<p>{html.escape(message)}</p>", headers)

    def _plain(self, status: HTTPStatus, message: str) -> None:
        """SPARQL errors are plain text, for the clients that show them as they are."""
        self._send(status, f"{message}\n".encode(), "text/plain; charset=utf-8", {"Vary": "Accept"})

    def _not_found(self) -> None:
        self._error(HTTPStatus.NOT_FOUND, f"Nothing is published at {self.path}.")

    # -- methods

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._body_read = False
        path = urlsplit(self.path).path
        if path.rstrip("/") == SPARQL_PATH:
            self._sparql()
        else:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD here.", {"Allow": "GET, HEAD"})

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") == SPARQL_PATH:
            self._sparql()
            return
        target = self._resolve(parts.path)
        if target is None:
            self._not_found()
        elif target.is_dir():
            self._negotiated(target, parts)
        elif target.is_file():
            self._file(self.server.files.entity(target), _file_type(target.name), {})
        else:
            self._not_found()

    # -- the site

    def _resolve(self, raw: str) -> Path | None:
        """The file or directory a request path names, or None when it leaves the site."""
        try:
            path = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in path or "\\" in path or not path.startswith("/"):
            return None
        segments = [s for s in path.split("/") if s]
        if any(s == ".." or (s.startswith(".") and s != ".well-known") for s in segments):
            return None
        normal = posixpath.normpath("/" + "/".join(segments)).lstrip("/")
        root = self.server.site
        candidate = (root / normal) if normal not in ("", ".") else root
        try:
            real = Path(os.path.realpath(candidate))
        except (OSError, ValueError):
            return None
        if real != root and root not in real.parents:
            return None
        return real

    def _negotiated(self, directory: Path, parts: Any) -> None:
        available = {
            media: directory / name
            for media, (name, _) in REPRESENTATIONS.items()
            if (directory / name).is_file()
        }
        if not available:
            self._not_found()
            return
        media = negotiate(self.headers.get("Accept"), available)
        prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        links = ", ".join(
            f'<{prefix}{REPRESENTATIONS[m][0]}>; rel="alternate"; type="{m}"' for m in available
        )
        headers = {"Vary": "Accept", "Link": links}
        if media is None:
            items = "".join(
                f'<li><a href="{html.escape(prefix + REPRESENTATIONS[m][0])}">{html.escape(m)}</a></li>'
                for m in available
            )
            body = f"<p>No acceptable representation; this resource has:</p><ul>{items}</ul>"
            self._page(HTTPStatus.NOT_ACCEPTABLE, "406 Not Acceptable", body, headers)
            return
        if media == "text/html" and not parts.path.endswith("/"):
            location = prefix + (f"?{parts.query}" if parts.query else "")
            body = f'<p>Moved to <a href="{html.escape(location)}">{html.escape(location)}</a>.</p>'
            self._page(
                HTTPStatus.MOVED_PERMANENTLY, "301 Moved Permanently", body, {**headers, "Location": location}
            )
            return
        headers["Content-Location"] = prefix + REPRESENTATIONS[media][0]
        entity = self.server.files.entity(available[media])
        self._file(entity, REPRESENTATIONS[media][1], headers)

    def _file(self, entity: _Entity, content_type: str, headers: dict[str, str]) -> None:
        headers = {
            **headers,
            "ETag": entity.etag,
            "Last-Modified": email.utils.formatdate(entity.mtime, usegmt=True),
            "Cache-Control": "no-cache",
            "Access-Control-Allow-Origin": "*",
        }
        match = self.headers.get("If-None-Match")
        if match is not None and _etag_matches(match, entity.etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(entity.size))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        with entity.path.open("rb") as stream:
            while chunk := stream.read(1 << 16):
                self.wfile.write(chunk)

    # -- SPARQL

    def _sparql_params(self) -> dict[str, list[str]] | None:
        """The protocol's parameters from the query string and the body; None after an error."""
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if self.command != "POST":
            return params
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "A POSTed query needs a Content-Length.")
            return None
        if int(length) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"Queries are limited to {MAX_BODY} bytes.")
            return None
        body = self.rfile.read(int(length))
        self._body_read = True
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "The query is not UTF-8.")
            return None
        if kind == "application/sparql-query":
            params["query"] = [text]
        elif kind == "application/x-www-form-urlencoded":
            for name, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query or application/x-www-form-urlencoded.",
            )
            return None
        return params

    def _sparql(self) -> None:
        store = self.server.store
        if store is None:
            self._error(HTTPStatus.NOT_FOUND, "No store is served: start the server with --store DIR.")
            return
        params = self._sparql_params()
        if params is None:
            return
        queries = params.get("query", [])
        if not queries:
            if self.command == "POST":
                self._error(HTTPStatus.BAD_REQUEST, "No query parameter.")
            else:
                self._page(HTTPStatus.OK, "SPARQL", _SPARQL_FORM)
            return
        if len(queries) > 1:
            self._error(HTTPStatus.BAD_REQUEST, "More than one query parameter.")
            return
        try:
            self._answer(store, queries[0], params)
        except QueryTimeout:
            self._error(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"The query ran longer than the {self.server.query_timeout:g} s limit.",
            )

    def _answer(self, store: Any, query: str, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        from ..namespaces import PREFIXES

        options: dict[str, Any] = {"prefixes": dict(PREFIXES)}
        if params.get("default-graph-uri"):
            options["default_graph"] = [ox.NamedNode(u) for u in params["default-graph-uri"]]
        else:
            options["use_default_graph_as_union"] = True
        if params.get("named-graph-uri"):
            options["named_graphs"] = [ox.NamedNode(u) for u in params["named-graph-uri"]]
        deadline = time.monotonic() + self.server.query_timeout
        try:
            result = store.query(query, **options)
        except SyntaxError as error:
            self._plain(HTTPStatus.BAD_REQUEST, f"Query parse error: {error}")
            return
        except (ValueError, OSError) as error:
            self._plain(HTTPStatus.BAD_REQUEST, f"Query error: {error}")
            return
        accept = self.headers.get("Accept")
        headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"}
        try:
            if isinstance(result, ox.QueryBoolean):
                media = negotiate(accept, ["application/sparql-results+json"], {})
                if media is None:
                    self._unacceptable(["application/sparql-results+json"], headers)
                    return
                body = json.dumps({"head": {}, "boolean": bool(result)}).encode("utf-8")
                self._send(HTTPStatus.OK, body, SPARQL_RESULTS[media], headers)
            elif isinstance(result, ox.QuerySolutions):
                media = negotiate(
                    accept, SPARQL_RESULTS, {"application/json": "application/sparql-results+json"}
                )
                if media is None:
                    self._unacceptable(list(SPARQL_RESULTS), headers)
                    return
                variables = [v.value for v in result.variables]
                rows = list(_timed(result, deadline))
                self._send(
                    HTTPStatus.OK, _select_body(variables, rows, media), SPARQL_RESULTS[media], headers
                )
            else:
                media = negotiate(accept, SPARQL_GRAPHS, {"application/json": "application/ld+json"})
                if media is None:
                    self._unacceptable(list(SPARQL_GRAPHS), headers)
                    return
                triples = list(_timed(result, deadline))
                fmt = getattr(ox.RdfFormat, SPARQL_GRAPHS[media][0])
                body = ox.serialize(triples, format=fmt) or b""
                self._send(HTTPStatus.OK, body, SPARQL_GRAPHS[media][1], headers)
        except OSError as error:  # evaluation errors surface while iterating
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {error}")

    def _unacceptable(self, offered: list[str], headers: dict[str, str]) -> None:
        items = "".join(f"<li>{html.escape(m)}</li>" for m in offered)
        self._page(
            HTTPStatus.NOT_ACCEPTABLE,
            "406 Not Acceptable",
            f"<p>This query gives:</p><ul>{items}</ul>",
            headers,
        )


# --- Entry points -----------------------------------------------------------------------


def open_store(directory: str | os.PathLike[str]) -> Any:
    """The pyoxigraph store in ``directory``, read-only."""
    import pyoxigraph as ox

    path = Path(directory)
    if not (path / "CURRENT").is_file():
        raise FileNotFoundError(f"no store at {path} (a folder written by `rncp-ld store load`)")
    return ox.Store.read_only(str(path))


def make_server(
    site: str | os.PathLike[str],
    store: Any = None,
    host: str = "127.0.0.1",
    port: int = 0,
    query_timeout: float = 30.0,
    quiet: bool = False,
) -> LinkedDataServer:
    """A bound, not yet running, server (``port=0`` picks a free port: see ``server_address``).

    ``store`` is a pyoxigraph ``Store`` or the directory of one.
    """
    root = Path(site)
    if not root.is_dir():
        raise NotADirectoryError(f"no site at {root}")
    if store is not None and isinstance(store, str | os.PathLike):
        store = open_store(store)
    return LinkedDataServer((host, port), root, store, query_timeout, quiet)


def serve(
    site: str | os.PathLike[str],
    store: Any = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    query_timeout: float = 30.0,
) -> None:
    """Serve ``site`` until interrupted."""
    server = make_server(site, store, host, port, query_timeout)
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving {server.site} on http://{shown}:{server.server_port}/", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt), server:
        server.serve_forever()
