"""An embedded triple store on disk (pyoxigraph): one named graph per fiche.

:func:`load` converts fiche sources and bulk-loads them into a pyoxigraph store,
each fiche in its own named graph whose name is the certification's IRI. Every
graph is self-contained (shared nodes — vocabulary concepts, organisations — are
described in each fiche's graph), so a graph can be replaced alone: loading a
fiche again clears its graph first, it never duplicates.

:func:`query` runs a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) on a
store, read-only, and :meth:`QueryResult.render` writes the answer as an aligned
``table``, ``csv`` or ``json``. By default the default graph is the union of all
fiche graphs, so ``SELECT * { ?s ?p ?o }`` sees every fiche.

>>> report = load(["export.xml"], "store/")  # doctest: +SKIP
>>> print(query("SELECT (COUNT(*) AS ?n) { ?c a elm:Qualification }", "store/").render("table"))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import ConfigError
from ..namespaces import PREFIXES
from ..report import Report
from ..uris import DEFAULT_BASE
from .site import fiche_ntriples

__all__ = ["FORMATS", "QueryResult", "load", "query", "query_text"]

FORMATS = ("table", "csv", "json")
"""Renderings of a query's answer."""


def _quads(nt: str, graph: str) -> str:
    """N-Triples lines (``s p o .``) as N-Quads lines in ``graph``."""
    suffix = f" <{graph}> .\n"
    return "".join(line[:-2] + suffix for line in nt.splitlines() if line.endswith(" ."))


def load(
    sources: Iterable[str | Path],
    store_dir: str | Path,
    *,
    base: str = DEFAULT_BASE,
    batch_triples: int | None = None,
) -> Report:
    """Convert the fiches of ``sources`` and bulk-load them into the store at ``store_dir``
    (created if needed), one named graph per fiche; a fiche already there is replaced.

    The fiches are staged as N-Quads in a temporary file beside the store, then loaded
    by one ``bulk_load`` (each bulk load merges into the store: one big load is several
    times faster than many small ones). ``batch_triples`` bounds the triples of one load;
    a fiche met twice in a run also starts a new load, so the later one wins. The graphs
    of a load are removed just before it: a crash then leaves them missing until the
    next load, never half-replaced.

    Stats: ``fiches-read``, ``fiches-loaded``, ``graphs-replaced``, ``triples``, and
    ``fiches-skipped`` / ``inputs-unreadable`` with their issues.

    Raises:
        ConfigError: the store cannot be opened (another process holds it, not a store).
    """
    path = Path(store_dir)
    path.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(path))
    except OSError as error:
        raise ConfigError(f"cannot open the store {path}: {error}") from None
    report = Report()
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".nq")
    os.close(fd)
    staging = Path(name)
    staged: set[str] = set()
    size = 0
    out = staging.open("w", encoding="utf-8", newline="\n")

    def flush() -> None:
        nonlocal size, out
        out.close()
        if staged:
            for graph in staged:
                node = ox.NamedNode(graph)
                if store.contains_named_graph(node):
                    store.remove_graph(node)
                    report.count("graphs-replaced")
            store.bulk_load(path=str(staging), format=ox.RdfFormat.N_QUADS)
        staged.clear()
        size = 0
        out = staging.open("w", encoding="utf-8", newline="\n")

    try:
        for iri, nt in fiche_ntriples(sources, base=base, report=report):
            graph = str(iri)
            if graph in staged:  # the same fiche twice in this run: the later one wins
                flush()
            out.write(_quads(nt, graph))
            staged.add(graph)
            triples = nt.count("\n")
            size += triples
            report.count("fiches-loaded")
            report.count("triples", triples)
            if batch_triples and size >= batch_triples:
                flush()
        flush()
        store.flush()
    finally:
        out.close()
        staging.unlink(missing_ok=True)
    return report


def query_text(argument: str) -> str:
    """The query a command-line argument gives: the text itself, ``@FILE`` or ``@-`` (stdin)."""
    if not argument.startswith("@"):
        return argument
    name = argument[1:]
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the query file {name}: {error.strerror or error}") from None


def query(text: str, store_dir: str | Path, *, union: bool = True) -> QueryResult:
    """Run the SPARQL query ``text`` on the store at ``store_dir``, read-only (a loader or a
    server may hold the store meanwhile). The usual prefixes (``elm:``, ``dcterms:``, ``skos:``…)
    are predeclared. With ``union`` the default graph is the union of all fiche graphs.

    Raises:
        ConfigError: no store at ``store_dir``, or the query is not valid SPARQL.
    """
    path = Path(store_dir)
    if not (path / "CURRENT").is_file():
        raise ConfigError(f"no store at {path}", expected="a folder written by `rncp-ld store load`")
    try:
        store = ox.Store.read_only(str(path))
    except OSError as error:
        raise ConfigError(f"cannot open the store {path}: {error}") from None
    try:
        answer = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=union)
    except SyntaxError as error:
        raise ConfigError(f"bad SPARQL query: {error}") from None
    return QueryResult(answer, store)


def _plain(term: Any) -> str:
    """A term as a table cell: IRIs and literals by their value, blank nodes as ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return " ".join(term.value.split()) if "\n" in term.value else term.value
    return str(term)


class QueryResult:
    """The answer to a query: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE).

    The solutions or triples can be read once: by :meth:`rows`, :meth:`triples` or :meth:`render`.
    """

    def __init__(self, answer: Any, store: ox.Store) -> None:
        self._answer = answer
        self._store = store  # keeps the store open while the answer is read
        if isinstance(answer, ox.QueryBoolean):
            self.kind = "ask"
        elif isinstance(answer, ox.QuerySolutions):
            self.kind = "select"
        else:
            self.kind = "graph"

    @property
    def variables(self) -> list[str]:
        """The variables of a SELECT, in order, without ``?``."""
        return [v.value for v in self._answer.variables] if self.kind == "select" else []

    @property
    def boolean(self) -> bool:
        """The answer to an ASK."""
        if self.kind != "ask":
            raise TypeError("not an ASK query")
        return bool(self._answer)

    def rows(self) -> Iterator[dict[str, str]]:
        """The solutions of a SELECT, as ``{variable: value}`` (unbound variables left out)."""
        names = self.variables
        for solution in self._answer:
            yield {name: _plain(solution[name]) for name in names if solution[name] is not None}

    def triples(self) -> Iterator[tuple[str, str, str]]:
        """The triples of a CONSTRUCT or DESCRIBE, as N-Triples terms."""
        for triple in self._answer:
            yield str(triple.subject), str(triple.predicate), str(triple.object)

    def render(self, fmt: str = "table") -> str:
        """The answer as text: ``table`` (aligned columns; N-Triples for a graph), ``csv``
        (SPARQL 1.1 CSV results; ``subject,predicate,object`` rows for a graph) or ``json``
        (SPARQL 1.1 JSON results; JSON-LD for a graph)."""
        if fmt not in FORMATS:
            raise ConfigError(f"unknown query output format {fmt!r}", expected=", ".join(FORMATS))
        if self.kind == "ask":
            if fmt == "json":
                return self._answer.serialize(format=ox.QueryResultsFormat.JSON).decode() + "\n"
            return ("true" if self._answer else "false") + "\n"
        if self.kind == "graph":
            if fmt == "json":
                return self._answer.serialize(format=ox.RdfFormat.JSON_LD).decode() + "\n"
            if fmt == "csv":
                out = io.StringIO()
                rows = csv.writer(out, lineterminator="\r\n")
                rows.writerow(("subject", "predicate", "object"))
                rows.writerows(self.triples())
                return out.getvalue()
            return self._answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode()
        if fmt == "csv":
            return self._answer.serialize(format=ox.QueryResultsFormat.CSV).decode()
        if fmt == "json":
            data = json.loads(self._answer.serialize(format=ox.QueryResultsFormat.JSON))
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        return _table(self.variables, list(self.rows()))


def _table(names: list[str], rows: list[dict[str, str]]) -> str:
    """Aligned columns under a header, and the row count."""
    widths = [max([len(name), *(len(row.get(name, "")) for row in rows)]) for name in names]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(row.get(n, "").ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
