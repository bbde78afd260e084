"""Fiche sources → RDF: the ``convert`` job as a Python API.

>>> from rncp_ld import convert
>>> report = convert(["samples/rncp16575.txt"], "out/rncp16575.ttl")  # doctest: +SKIP
>>> report.valid, report.stats["fiches-written"]  # doctest: +SKIP
(True, 1)
"""

from __future__ import annotations

import gzip
import importlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TextIO

from rdflib import Graph

from . import readers
from .errors import ConfigError, FicheError, InputError, RncpLdError
from .model import Certification
from .namespaces import bind
from .rdf.graph import Context, Triple, fiche_triples
from .rdf.serialize import FORMATS, format_from_name, writer
from .report import Issue, Report, Severity
from .uris import DEFAULT_BASE, Minter

__all__ = ["OUTPUT_FORMATS", "PROFILES", "Sink", "convert", "read_all", "sink", "to_graph"]


def read_all(
    inputs: Iterable[str | Path], report: Report, *, strict: bool = False
) -> Iterator[Certification]:
    """Every fiche of ``inputs``; problems go to ``report``.

    A source that cannot be read is reported (``unreadable-input``) and the next
    one is read. With ``strict`` the first error raises instead.
    """
    seen: dict[str, str] = {}
    for name in inputs:
        try:
            for item in readers.read(name):
                if isinstance(item, Issue):
                    report.issues.append(item)
                    if item.severity.value == "error":
                        report.count("fiches-skipped")
                        if strict:
                            raise FicheError(
                                item.message, source=item.source, fiche=item.fiche, location=item.location
                            )
                    continue
                report.count("fiches-read")
                _check_duplicate(item, seen, report)
                yield item
        except InputError as error:
            if strict:
                raise
            report.issues.append(Issue.from_error(error, "unreadable-input"))
            report.count("inputs-unreadable")


def _check_duplicate(cert: Certification, seen: dict[str, str], report: Report) -> None:
    """Warn when a fiche number was already read in this run: its triples will merge."""
    first = seen.get(cert.number)
    if first is None:
        seen[cert.number] = cert.provenance.source
        return
    report.issues.append(
        Issue(
            "duplicate-fiche",
            f"also read from {first}; both descriptions are merged in the output",
            Severity.WARNING,
            cert.provenance.source,
            cert.number,
            f"line {cert.provenance.line}" if cert.provenance.line else None,
        )
    )


def to_graph(certifications: Iterable[Certification], *, base: str = DEFAULT_BASE) -> Graph:
    """One rdflib graph holding the given fiches (self-contained, for validation or queries)."""
    ctx = Context(Minter(base))
    graph = bind(Graph())
    for cert in certifications:
        for triple in fiche_triples(cert, ctx):
            graph.add(triple)
    return graph


@contextmanager
def _open_output(output: str | Path | TextIO) -> Iterator[TextIO]:
    """A text stream for ``output``: ``-`` is stdout; a path is written atomically (``.gz`` gzipped)."""
    if not isinstance(output, (str, Path)):
        yield output
        return
    if str(output) == "-":
        yield sys.stdout
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            binary = (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if path.suffix == ".gz" else raw
            )
            with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:  # type: ignore[arg-type]
                yield text
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


OUTPUT_FORMATS = (*FORMATS, "loq")
"""RDF formats, and ``loq``: the Europass qualification-upload XML (LOQ 3.1.0)."""

PROFILES: dict[str, str] = {
    "rncp": "rncp_ld.rdf.graph:project",
    "loq": "rncp_ld.rdf.loq:project",
}
"""Which triples an RDF output holds: the full RNCP graph, or its ELM-only LOQ projection.
Each names a ``project(cert, ctx) -> (triples, issues)`` function; the issues (e.g. what the
official LOQ shapes demand that the fiche lacks) are added to the report."""


class Sink(Protocol):
    """Where converted fiches go: ``start()``, ``fiche(cert)`` for each, ``end()``."""

    unit: str
    """What :attr:`count` counts (``triples``, ``qualifications``)."""
    count: int

    def start(self) -> None: ...
    def fiche(self, cert: Certification) -> list[Issue] | None:
        """Write one fiche; return what is worth reporting about it (warnings)."""
    def end(self) -> None: ...


class RdfSink:
    """Writes the triples of a profile with a streaming RDF writer."""

    unit = "triples"

    def __init__(self, fmt: str, out: TextIO, ctx: Context, profile: str = "rncp") -> None:
        self.writer = writer(fmt, out)
        self.ctx = ctx
        self.project: Callable[[Certification, Context], tuple[list[Triple], list[Issue]]] = _load(
            PROFILES, profile, "profile"
        )

    @property
    def count(self) -> int:
        return self.writer.triples

    def start(self) -> None:
        self.writer.start()

    def fiche(self, cert: Certification) -> list[Issue]:
        triples, issues = self.project(cert, self.ctx)
        self.writer.write(triples)
        return issues

    def end(self) -> None:
        self.writer.end()


def _load(registry: dict[str, str], name: str, what: str) -> Any:
    """The object a ``module:attribute`` registry entry names, imported on first use."""
    try:
        module, _, attribute = registry[name].partition(":")
    except KeyError:
        raise ConfigError(f"unknown {what} {name!r}", expected=", ".join(registry)) from None
    return getattr(importlib.import_module(module), attribute)


def sink(fmt: str, out: TextIO, *, base: str = DEFAULT_BASE, profile: str = "rncp") -> Sink:
    """The sink writing ``fmt`` on ``out``."""
    if fmt == "loq":
        loq_writer: type[Sink] = _load({"loq": "rncp_ld.writers.loq_xml:LoqWriter"}, "loq", "format")
        return loq_writer(out, Minter(base))  # type: ignore[call-arg]
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}", expected=", ".join(OUTPUT_FORMATS))
    return RdfSink(fmt, out, Context(Minter(base)), profile)


def convert(
    inputs: Iterable[str | Path],
    output: str | Path | TextIO,
    *,
    format: str | None = None,
    base: str = DEFAULT_BASE,
    profile: str = "rncp",
    strict: bool = False,
    on_fiche: Callable[[Certification], None] | None = None,
) -> Report:
    """Convert every fiche of ``inputs`` and write them on ``output``.

    Args:
        inputs: legacy fiche texts, XML exports (plain or zipped), CSV zips.
        output: a path (``.gz`` is gzipped), ``"-"`` for stdout, or a text stream.
        format: ``nt``, ``turtle``, ``jsonld``, ``rdfxml`` or ``loq``; from the output's
            extension if None.
        base: base of minted IRIs.
        profile: for RDF formats, ``rncp`` (the full graph) or ``loq`` (ELM only).
        strict: stop at the first bad fiche instead of skipping it.
        on_fiche: called after each fiche is written (progress).

    Returns:
        The report: ``valid`` is False when a fiche was skipped or an input unreadable.

    Raises:
        ConfigError: unknown format or profile, bad base. With ``strict``, FicheError or InputError.
    """
    fmt = format or (format_from_name(str(output)) if isinstance(output, (str, Path)) else None) or "turtle"
    report = Report()
    with _open_output(output) as out:
        target = sink(fmt, out, base=base, profile=profile)
        target.start()
        for cert in read_all(inputs, report, strict=strict):
            try:
                report.issues.extend(target.fiche(cert) or ())
            except RncpLdError as error:
                if strict:
                    raise
                error.source = error.source or cert.provenance.source
                error.fiche = error.fiche or cert.number
                report.issues.append(Issue.from_error(error, "unwritable-fiche"))
                report.count("fiches-skipped")
                continue
            report.count("fiches-written")
            if on_fiche:
                on_fiche(cert)
        target.end()
    report.stats[target.unit] = target.count
    return report
