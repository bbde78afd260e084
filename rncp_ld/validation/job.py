"""The ``validate`` job: inputs → graphs → results, fiche by fiche and in parallel.

Each input is sorted by :data:`INPUT_KINDS`, a table of ``(kind, detector)`` tried in
order; each kind has a handler. Today:

========== ============================================ =========================================
kind       inputs                                       validated as
========== ============================================ =========================================
``rdf``    ``.ttl .nt .nq .n3 .jsonld .rdf .owl .trig``  one graph, plus the vocabularies' description
           (also ``.gz``)                               of the concepts it references, against the shapes
``loq``    ``.xml`` whose root is in the LOQ namespace   the XSD given with ``xsd`` (``--xsd``)
``fiches`` anything else: fiche texts, France            fiche by fiche: each fiche's graph with its
           Compétences XML/CSV exports (``.zip``)        shared nodes and vocabulary concepts repeated,
                                                        in a process pool
========== ============================================ =========================================

Credentials will be one more row. Fiches are read in this process and sent to the pool
in chunks; each worker builds the shapes and vocabularies once (its initializer) and
sends back issues, never graphs, so memory stays flat whatever the register's size. A
result on a node shared between fiches (a certifier, a vocabulary concept) is reported
once, with the first fiche where it was found; ``results-repeated`` counts the others.

Stats of the report: ``fiches-read``, ``fiches-skipped`` (unreadable fiches, as in
``convert``), ``fiches-validated``, ``fiches-invalid`` (with an error), ``graphs-validated``,
``documents-validated``, ``inputs-unreadable`` (exit code 2), ``triples`` (validated),
``results`` (SHACL results reported), ``results-repeated``.
"""

from __future__ import annotations

import gzip
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Graph, URIRef
from rdflib.util import guess_format

from ..convert import read_all
from ..errors import ConfigError, InputError, RncpLdError
from ..model import Certification
from ..report import Issue, Report, Severity
from ..uris import DEFAULT_BASE, Minter
from .shapes import Shapes, load_shapes

__all__ = ["INPUT_KINDS", "RDF_SUFFIXES", "Task", "ValidationReport", "validate"]

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".n3", ".jsonld", ".json-ld", ".rdf", ".owl", ".xml.rdf", ".trig")
CHUNK = 32
"""Fiches per task sent to a worker."""


def _name(path: Path) -> str:
    return path.name[:-3].lower() if path.name.lower().endswith(".gz") else path.name.lower()


def _is_rdf(path: Path) -> bool:
    return _name(path).endswith(RDF_SUFFIXES)


def _is_loq(path: Path) -> bool:
    from .xsd import LOQ_NAMESPACE, root_namespace

    return (
        _name(path).endswith(".xml")
        and not path.name.lower().endswith(".gz")
        and root_namespace(path) == LOQ_NAMESPACE
    )


INPUT_KINDS: list[tuple[str, Callable[[Path], bool]]] = [
    ("rdf", _is_rdf),
    ("loq", _is_loq),
    ("fiches", lambda path: True),
]
"""How inputs are sorted: the first detector that accepts a path gives its kind."""


class Task(NamedTuple):
    """One thing validated: a fiche, a whole graph or an XML document."""

    source: str
    name: str
    kind: str
    """``fiche``, ``graph`` or ``document``."""


@dataclass(slots=True)
class ValidationReport(Report):
    """A :class:`~rncp_ld.report.Report` that also lists what was validated (for JUnit testcases)."""

    tasks: list[Task] = field(default_factory=list)
    engine: str = "rncp-ld"
    """``rncp-ld`` (the fast SHACL Core engine) or ``pyshacl``."""

    @property
    def unusable(self) -> bool:
        """True when an input could not be read at all (exit code 2)."""
        return bool(self.stats.get("inputs-unreadable"))


def validate(
    inputs: Iterable[str | Path],
    *,
    shapes: Sequence[str | Path] = (),
    xsd: str | Path | None = None,
    base: str = DEFAULT_BASE,
    processes: int | None = None,
    on_fiche: Callable[[], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate RDF files, fiche sources and LOQ XML documents.

    Args:
        inputs: paths; their kind is detected (see :data:`INPUT_KINDS`).
        shapes: SHACL files; the shapes shipped with rncp-ld if empty.
        xsd: the official ``loq.xsd`` (a file, a folder holding it, or its URL once cached), for LOQ
            documents; without it, the official one from the artefact cache (:mod:`rncp_ld.artefacts`).
        base: base of the IRIs minted for fiches, and base of relative IRIs in the shapes.
        processes: worker processes for fiche sources (default: one per core; 1 runs in this process).
        on_fiche: called once per fiche validated (progress).
        on_notice: called with one line for things a user should know (pySHACL fallback).

    Returns:
        The report: ``valid`` is False when a result or an XSD error has error severity.

    Raises:
        ConfigError: unusable shapes, XSD or base; a LOQ document without ``xsd``.
    """
    paths = [Path(p) for p in inputs]
    kinds = [(path, next(kind for kind, accepts in INPUT_KINDS if accepts(path))) for path in paths]
    loq = [path for path, kind in kinds if kind == "loq"]
    schema = xsd_name = None
    if loq:
        from .xsd import load_schema

        xsd_path = _loq_xsd(xsd, loq[0])
        schema, xsd_name = load_schema(xsd_path), str(xsd_path)
    shape_paths = tuple(str(s) for s in shapes)
    shape_set = load_shapes(shape_paths, base=base)
    _SHAPES.clear()  # read afresh on each call; a forked worker inherits this one
    _SHAPES[(shape_paths, Minter(base).base)] = shape_set
    if shape_set.fallback and on_notice:
        on_notice(
            f"shapes use {shape_set.fallback}, outside the SHACL Core subset of the rncp-ld engine: "
            "validating with pySHACL (much slower)"
        )
    job = _Job(shape_set, shape_paths, base, processes or os.cpu_count() or 1, on_fiche)
    job.report.engine = shape_set.engine
    for path, kind in kinds:
        if kind == "rdf":
            job.rdf(path)
        elif kind == "loq":
            job.loq(path, schema, xsd_name)
    job.fiches([path for path, kind in kinds if kind == "fiches"])
    return job.report


def _loq_xsd(xsd: str | Path | None, first: Path) -> Path:
    """The LOQ XML Schema: ``xsd`` (a file, a folder holding ``loq.xsd``, or a cached URL), else the
    official one if it is in the artefact cache (never fetched here)."""
    from ..artefacts import locate_all

    if xsd is not None:
        return locate_all("loq-xsd", (str(xsd),))[0]
    try:
        return locate_all("loq-xsd", allow_network=False)[0]
    except ConfigError:
        raise ConfigError(
            f"{first} is a Europass LOQ document: give the official loq.xsd (rncp-ld ships none)",
            expected="--xsd PATH/TO/loq.xsd, or a folder holding it",
        ) from None


_SHAPES: dict[tuple[tuple[str, ...], str], Shapes] = {}


def _shapes(paths: tuple[str, ...], base: str) -> Shapes:
    """The shapes of the current run: inherited by a forked worker, loaded by a spawned one."""
    key = (paths, Minter(base).base)
    if key not in _SHAPES:
        _SHAPES[key] = load_shapes(paths, base=base)
    return _SHAPES[key]


class _Job:
    def __init__(
        self,
        shapes: Shapes,
        shape_paths: tuple[str, ...],
        base: str,
        processes: int,
        on_fiche: Callable[[], None] | None,
    ) -> None:
        self.shapes = shapes
        self.shape_paths = shape_paths
        self.base = base
        self.minter = Minter(base)
        self.processes = processes
        self.on_fiche = on_fiche
        self.report = ValidationReport()
        self.seen: set[tuple[str | None, ...]] = set()
        self.fiche_of = re.compile(re.escape(self.minter.base) + r"(?:rncp|rs)/((?:RNCP|RS)\d+)(?=$|[/#])")

    # RDF

    def rdf(self, path: Path) -> None:
        source = str(path)
        try:
            graph = _parse_rdf(path)
        except InputError as error:
            self._unreadable(error)
            return
        from ..vocabularies import Vocabularies

        vocab = Vocabularies.load(self.minter)
        triples: list[Any] = list(graph)
        for node in {o for o in graph.objects() if isinstance(o, URIRef)}:
            if node in vocab:
                triples.extend(vocab.closure(node))
        results = self.shapes.validate(self.shapes.index(triples))
        issues = sorted(
            (self.shapes.issue(r, source=source, fiche=self._fiche(r.focus)) for r in results),
            key=_issue_order,
        )
        self.report.issues.extend(issues)
        self.report.count("graphs-validated")
        self.report.count("triples", len(graph))
        self.report.count("results", len(issues))
        fiches = sorted({m.group(1) for s in graph.subjects() if (m := self.fiche_of.match(str(s)))})
        self.report.tasks.append(Task(source, path.name, "graph"))
        self.report.tasks.extend(Task(source, f, "fiche") for f in fiches)

    def _fiche(self, focus: Any) -> str | None:
        m = self.fiche_of.match(str(focus))
        return m.group(1) if m else None

    # LOQ XML

    def loq(self, path: Path, schema: Any, xsd: str | None) -> None:
        from .xsd import validate_document

        try:
            issues = validate_document(path, schema, schema_name=xsd)
        except InputError as error:
            self._unreadable(error)
            return
        self.report.issues.extend(issues)
        self.report.count("documents-validated")
        self.report.tasks.append(Task(str(path), path.name, "document"))

    def _unreadable(self, error: RncpLdError) -> None:
        self.report.issues.append(Issue.from_error(error, "unreadable-input"))
        self.report.count("inputs-unreadable")

    # Fiches

    def fiches(self, paths: list[Path]) -> None:
        if not paths:
            return
        chunks = _chunks(read_all(paths, self.report), CHUNK)
        head = list(itertools.islice(chunks, 2))
        if not head:
            return
        if self.processes <= 1 or len(head) < 2:
            worker = _Worker(self.shapes, self.base)
            for chunk in itertools.chain(head, chunks):
                self._collect(worker.run(chunk))
            return
        _preload(self.minter)  # before forking: the workers inherit the vocabularies
        window: deque[Future[list[_Outcome]]] = deque()
        with ProcessPoolExecutor(
            self.processes, initializer=_init, initargs=(self.shape_paths, self.base)
        ) as pool:
            for chunk in itertools.chain(head, chunks):
                window.append(pool.submit(_run, chunk))
                while len(window) > 2 * self.processes:
                    self._collect(window.popleft().result())
            while window:
                self._collect(window.popleft().result())

    def _collect(self, outcomes: list[_Outcome]) -> None:
        report = self.report
        for outcome in outcomes:
            invalid = False
            for issue, shared in zip(outcome.issues, outcome.shared, strict=True):
                if shared:
                    key = (issue.type, issue.focus, issue.path, issue.value, issue.shape, issue.message)
                    if key in self.seen:
                        report.count("results-repeated")
                        continue
                    self.seen.add(key)
                report.issues.append(issue)
                if issue.type != "unwritable-fiche":
                    report.count("results")
                invalid = invalid or issue.severity is Severity.ERROR
            if outcome.triples >= 0:
                report.count("fiches-validated")
                report.count("triples", outcome.triples)
                report.tasks.append(Task(outcome.source, outcome.fiche, "fiche"))
            else:
                report.count("fiches-skipped")
            if invalid:
                report.count("fiches-invalid")
            if self.on_fiche:
                self.on_fiche()


def _preload(minter: Minter) -> None:
    from ..vocabularies import Vocabularies

    Vocabularies.load(minter)


def _chunks(items: Iterator[Certification], size: int) -> Iterator[list[Certification]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _issue_order(issue: Issue) -> tuple[str, ...]:
    return (
        issue.fiche or "",
        issue.focus or "",
        issue.path or "",
        issue.type,
        issue.value or "",
        issue.shape or "",
    )


class _Outcome(NamedTuple):
    fiche: str
    source: str
    issues: list[Issue]
    shared: list[bool]
    """Per issue: its focus node is shared with other fiches (reported once)."""
    triples: int
    """Triples validated, or -1 when the fiche could not be turned into a graph."""


class _Worker:
    """Turns fiches into graphs and validates them (one per process)."""

    def __init__(self, shapes: Shapes, base: str) -> None:
        from ..rdf.graph import Context

        self.shapes = shapes
        self.ctx = Context(Minter(base), repeat_shared=True)

    def run(self, certs: list[Certification]) -> list[_Outcome]:
        from ..rdf.graph import fiche_triples

        outcomes = []
        for cert in certs:
            source = cert.provenance.source
            location = f"line {cert.provenance.line}" if cert.provenance.line else None
            try:
                triples = fiche_triples(cert, self.ctx)
            except RncpLdError as error:
                error.source = error.source or source
                error.fiche = error.fiche or cert.number
                outcomes.append(
                    _Outcome(cert.number, source, [Issue.from_error(error, "unwritable-fiche")], [False], -1)
                )
                continue
            results = self.shapes.validate(self.shapes.index(triples))
            issues = sorted(
                (self.shapes.issue(r, source=source, fiche=cert.number, location=location) for r in results),
                key=_issue_order,
            )
            own = str(self.ctx.minter.certification(cert.number))
            shared = [not (i.focus == own or (i.focus or "").startswith(own + "/")) for i in issues]
            outcomes.append(_Outcome(cert.number, source, issues, shared, len(triples)))
        return outcomes


_WORKER: _Worker | None = None


def _init(shape_paths: tuple[str, ...], base: str) -> None:
    global _WORKER
    _WORKER = _Worker(_shapes(shape_paths, base), base)


def _run(certs: list[Certification]) -> list[_Outcome]:
    assert _WORKER is not None
    return _WORKER.run(certs)


def _parse_rdf(path: Path) -> Graph:
    """Parse an RDF file (gzipped or not), its format from its extension."""
    name = _name(path)
    fmt = guess_format(name) or ("json-ld" if name.endswith(".jsonld") else None)
    graph = Graph()
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        graph.parse(data=raw, format=fmt, publicID=path.resolve().as_uri())
    except (OSError, EOFError) as error:
        raise InputError(f"cannot read: {error}", source=str(path)) from None
    except Exception as error:  # rdflib raises many types for bad syntax
        text = str(error).strip()
        raise InputError(
            f"not valid {fmt or 'RDF'}: {text.splitlines()[0] if text else type(error).__name__}",
            source=str(path),
        ) from None
    return graph
