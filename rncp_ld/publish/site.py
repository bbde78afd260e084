"""``rncp-ld publish``: fiche sources → a static Linked Data site, incrementally.

Layout of SITE (its root is ``--base``)::

    index.html                      every certification, downloads
    rncp/RNCP16575/index.{html,ttl,jsonld,rdf,nt}        the IRI {base}rncp/RNCP16575
    rncp/RNCP16575/BC01/index.{html,ttl,jsonld,rdf,nt}   the IRI {base}rncp/RNCP16575/BC01
    rs/RS5000/index.*                                     an RS fiche
    register.nt.gz                  the whole register (gzip, mtime 0)
    register.loq.xml                Europass LOQ 3.1.0
    catalog.ttl  void.ttl           DCAT-AP 3 catalogue record, VoID
    feed/index.ttl feed/page-N.ttl  the change feed (LDES, see :mod:`.ldes`)
    .rncp-ld/state.json             what the next publish compares with

Same input and clock, same bytes. A file whose bytes would not change is not rewritten,
and an unchanged fiche's documents are not even rendered.
"""

from __future__ import annotations

import filecmp
import gzip
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from rdflib import URIRef

from ..convert import read_all
from ..errors import ConfigError, FicheError, RncpLdError
from ..model import Certification
from ..namespaces import DCTERMS, PREFIXES, PROV, RDF, RNCP
from ..rdf.graph import Context, Triple, fiche_triples
from ..rdf.serialize import writer
from ..report import Issue, Report, Severity
from ..uris import DEFAULT_BASE, Minter
from . import html
from .dcat import Distribution, catalog_document, void_document
from .ldes import Event, FeedState, append, index_document
from .state import GENERATOR, STATE_PATH, FicheState, State

__all__ = [
    "DOCUMENT_FORMATS",
    "FicheDocument",
    "PublishResult",
    "fiche_documents",
    "fiche_ntriples",
    "publish",
]

_PROVENANCE = (f"> <{PROV.wasDerivedFrom}> <", f"> <{RNCP.sourceLine}> ")

DOCUMENT_FORMATS = {"turtle": "ttl", "jsonld": "jsonld", "rdfxml": "rdf", "nt": "nt"}
"""The RDF documents written at each node's path: format → file extension."""


@dataclass
class FicheDocument:
    """One fiche ready to publish: its self-contained triples and canonical N-Triples."""

    cert: Certification
    iri: URIRef
    triples: list[Triple]
    ntriples: str
    """Canonical N-Triples: unique lines, sorted."""
    base: str = DEFAULT_BASE

    @property
    def hash(self) -> str:
        """SHA-256 of the fiche's content: its canonical N-Triples without provenance.

        Where the fiche was read from (source file, its export date, the line) is left out:
        a new export file names a new source and shifts lines, yet an unchanged fiche must
        stay unchanged.
        """
        source = f"<{self.base}source/"
        lines = (
            line
            for line in self.ntriples.splitlines(keepends=True)
            if not line.startswith(source) and not any(p in line for p in _PROVENANCE)
        )
        return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


@dataclass
class PublishResult:
    """What a publish did."""

    report: Report
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """Paths (relative to SITE) whose bytes were written this run."""
    removed: list[str] = field(default_factory=list)
    members: int = 0
    """Members appended to the feed."""

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.withdrawn)} withdrawn, {len(self.unchanged)} unchanged"
        )


def _nt(triples: list[Triple]) -> str:
    out = io.StringIO()
    w = writer("nt", out)
    w.write(triples)
    return out.getvalue()


def canonical_ntriples(triples: list[Triple]) -> str:
    """Sorted unique N-Triples lines: the same graph always gives the same text."""
    return "".join(sorted(set(_nt(triples).splitlines(keepends=True))))


def fiche_documents(
    certifications: Iterable[Certification], *, base: str = DEFAULT_BASE, report: Report | None = None
) -> Iterator[FicheDocument]:
    """Each fiche as a self-contained document (shared nodes repeated in every fiche).

    A fiche that cannot be turned into RDF is reported on ``report`` (``unwritable-fiche``)
    and skipped; without a report the error is raised.
    """
    ctx = Context(Minter(base), repeat_shared=True)
    for cert in certifications:
        try:
            triples = fiche_triples(cert, ctx)
            iri = ctx.minter.certification(cert.number)
        except (FicheError, ValueError) as error:
            if report is None:
                raise
            issue_error = error if isinstance(error, FicheError) else FicheError(str(error))
            issue_error.source = issue_error.source or cert.provenance.source
            issue_error.fiche = issue_error.fiche or cert.number
            report.issues.append(Issue.from_error(issue_error, "unwritable-fiche"))
            report.count("fiches-skipped")
            continue
        yield FicheDocument(cert, iri, triples, canonical_ntriples(triples), ctx.minter.base)


def fiche_ntriples(
    inputs: Iterable[str | Path], *, base: str = DEFAULT_BASE, report: Report | None = None
) -> Iterator[tuple[URIRef, str]]:
    """(graph IRI, canonical N-Triples) of every fiche of ``inputs``: one named graph per fiche.

    The graph IRI is the certification's IRI; the text is what the site's ``index.nt``
    holds, sorted. Problems go to ``report`` (a fresh one when None).
    """
    report = report if report is not None else Report()
    for doc in fiche_documents(read_all(inputs, report), base=base, report=report):
        yield doc.iri, doc.ntriples


def _serialize(fmt: str, triples: list[Triple]) -> str:
    out = io.StringIO()
    w = writer(fmt, out)
    w.start()
    w.write(triples)
    w.end()
    return out.getvalue()


def _under(iri: str, node: str) -> bool:
    return iri == node or iri.startswith(node + "/")


def _block_triples(doc: FicheDocument, block_iri: URIRef) -> list[Triple]:
    """The block's own triples (subjects under its IRI) and its link to the certification."""
    node = str(block_iri)
    out = [t for t in doc.triples if _under(str(t[0]), node)]
    out.append((doc.iri, DCTERMS.hasPart, block_iri))
    out.extend(
        t for t in doc.triples if t[0] == doc.iri and t[1] in (RDF.type, DCTERMS.title, DCTERMS.identifier)
    )
    return out


class _Site:
    """Writes into SITE, only when bytes change, atomically."""

    def __init__(self, root: Path, result: PublishResult) -> None:
        self.root = root
        self.result = result
        umask = os.umask(0o022)
        os.umask(umask)
        self.mode = 0o666 & ~umask
        """Files are for a web server to read: the mode a plain ``open()`` gives, not mkstemp's 0600."""

    def write(self, rel: str, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / rel
        if path.is_file() and path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(raw)
            os.chmod(tmp, self.mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.result.written.append(rel)

    def spool(self, rel: str) -> Path:
        """A temporary file beside ``rel``, for :meth:`commit`."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        return Path(tmp)

    def commit(self, tmp: Path, rel: str) -> int:
        """Put the spooled ``tmp`` at ``rel`` unless ``rel`` holds the same bytes; its size."""
        path = self.root / rel
        size = tmp.stat().st_size
        if path.is_file() and path.stat().st_size == size and filecmp.cmp(tmp, path, shallow=False):
            tmp.unlink()
        else:
            os.chmod(tmp, self.mode)
            os.replace(tmp, path)
            self.result.written.append(rel)
        return size

    def remove(self, rel: str) -> None:
        path = self.root / rel
        if path.is_file():
            path.unlink()
            self.result.removed.append(rel)


def _path(iri: str, base: str) -> str:
    """The folder of ``iri`` in the site (relative, ``/``-separated)."""
    if not iri.startswith(base):
        raise ConfigError(f"{iri} is not under the base {base}")
    return iri[len(base) :]


def _root(base: str) -> str:
    """The absolute path of the site's root on its server, e.g. ``/id/``."""
    return urlsplit(base).path or "/"


def _tombstone(out: _Site, folder: str, label: str, base: str, title: str | None, when: str) -> list[str]:
    """What stays at the path of a withdrawn node: a page saying so, and ``index.gone``, a
    marker a web server can answer 410 Gone on. Returns the two paths."""
    page = html.tombstone_page(label, base + folder, title, when, _root(base))
    out.write(f"{folder}/index.html", page)
    out.write(f"{folder}/index.gone", f"410 Gone {when}\n")
    return [f"{folder}/index.gone", f"{folder}/index.html"]


def _level(cert: Certification) -> str:
    if cert.level is not None:
        return str(cert.level)
    return cert.level_1969 or ""


def _timestamp(now: datetime | None) -> str:
    moment = now or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_fiche(site: _Site, doc: FicheDocument, base: str, minter: Minter) -> list[str]:
    """Every document of one fiche and its blocks; returns the files written (relative)."""
    folder = _path(doc.iri, base)
    root = _root(base)
    files: list[str] = []
    block_links: dict[str, str] = {}
    for block in doc.cert.blocks:
        block_iri = minter.block(doc.cert.number, block.code)
        block_folder = _path(block_iri, base)
        block_links[block.code] = f"{root}{block_folder}/"
        triples = _block_triples(doc, block_iri)
        for fmt, ext in DOCUMENT_FORMATS.items():
            site.write(f"{block_folder}/index.{ext}", _serialize(fmt, triples))
            files.append(f"{block_folder}/index.{ext}")
        page = html.block_page(
            doc.cert,
            block,
            str(block_iri),
            _serialize("jsonld", triples),
            home=root,
            url=f"{root}{block_folder}/",
            parent=f"{root}{folder}/",
        )
        site.write(f"{block_folder}/index.html", page)
        files.append(f"{block_folder}/index.html")
    texts = {fmt: _serialize(fmt, doc.triples) for fmt in DOCUMENT_FORMATS}
    for fmt, ext in DOCUMENT_FORMATS.items():
        site.write(f"{folder}/index.{ext}", texts[fmt])
        files.append(f"{folder}/index.{ext}")
    page = html.certification_page(
        doc.cert, str(doc.iri), block_links, texts["jsonld"], home=root, url=f"{root}{folder}/"
    )
    site.write(f"{folder}/index.html", page)
    files.append(f"{folder}/index.html")
    return sorted(files)


class _Dump:
    """register.nt.gz: every fiche's triples, shared nodes (outside the fiche's IRI) once."""

    def __init__(self, out: BinaryIO) -> None:
        self.gzip = gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0)
        self.shared: set[str] = set()
        self.triples = 0

    def add(self, doc: FicheDocument) -> None:
        root = str(doc.iri)
        lines = []
        for line in doc.ntriples.splitlines(keepends=True):
            subject = line[1 : line.index(">")]
            if not _under(subject, root):
                if line in self.shared:
                    continue
                self.shared.add(line)
            lines.append(line)
        self.triples += len(lines)
        self.gzip.write("".join(lines).encode("utf-8"))

    def close(self) -> None:
        self.gzip.close()


def publish(
    inputs: Iterable[str | Path],
    site: str | Path,
    *,
    base: str = DEFAULT_BASE,
    now: datetime | None = None,
    page_size: int = 100,
    strict: bool = False,
    on_fiche: Callable[[str, str], None] | None = None,
) -> PublishResult:
    """Publish the fiches of ``inputs`` as a static site in ``site`` (incrementally).

    Args:
        inputs: fiche sources (legacy texts, XML exports, CSV zips), the whole register.
        site: the site folder; a previous publish there is compared with.
        base: the IRI of the site's root (ends with ``/``); must stay the same between runs.
        now: the clock of the run (feed timestamps, ``dct:issued``/``dct:modified`` when the
            sources carry no export date); the system's UTC time when None.
        page_size: members per feed page.
        strict: stop at the first bad fiche.
        on_fiche: called with (fiche number, status) for each fiche read: ``added``,
            ``changed``, ``unchanged``.

    Returns:
        The counts, the files written and the report (issues of the sources).

    Raises:
        ConfigError: a base that cannot be a site root, or another base than the site's.
    """
    minter = Minter(base)
    base = minter.base
    if not base.endswith("/") or not base.startswith(("http://", "https://")):
        raise ConfigError(f"publish needs an http(s) base ending with '/', not {base!r}")
    if page_size < 1:
        raise ConfigError("the feed's page size must be at least 1")
    root = Path(site)
    root.mkdir(parents=True, exist_ok=True)
    state = State.load(root, base)
    regenerate = state.generator != GENERATOR
    report = Report()
    result = PublishResult(report)
    out = _Site(root, result)
    stamp = _timestamp(now)
    if state.timestamp and stamp < state.timestamp:
        stamp = state.timestamp  # a feed's timestamps never go backwards
    events: list[Event] = []
    seen: dict[str, FicheDocument | None] = {}
    rows: list[tuple[str, str, str, str]] = []
    export_dates: set[str] = set()
    from ..writers.loq_xml import LoqWriter

    dump_spool, loq_spool = out.spool("register.nt.gz"), out.spool("register.loq.xml")
    dump_file = dump_spool.open("wb")
    loq_file = loq_spool.open("w", encoding="utf-8", newline="\n")
    dump = _Dump(dump_file)
    loq = LoqWriter(loq_file, minter)
    blocks = 0
    try:
        loq.start()
        certs = read_all(inputs, report, strict=strict)
        for doc in fiche_documents(certs, base=base, report=None if strict else report):
            number = doc.cert.number
            if number in seen:
                report.issues.append(
                    Issue(
                        "duplicate-fiche",
                        "published once, from its first source",
                        Severity.WARNING,
                        doc.cert.provenance.source,
                        number,
                    )
                )
                continue
            seen[number] = doc
            if doc.cert.provenance.export_date:
                export_dates.add(doc.cert.provenance.export_date.isoformat())
            previous = state.fiches.get(number)
            digest = doc.hash
            if previous is None or previous.withdrawn:
                status = "added"
                version = (previous.version if previous else 0) + 1
            elif previous.hash != digest:
                status, version = "changed", previous.version + 1
            else:
                status, version = "unchanged", previous.version
            getattr(result, status).append(number)
            missing = previous is not None and any(not (root / f).is_file() for f in previous.files)
            if status != "unchanged" or regenerate or missing:
                files = _write_fiche(out, doc, base, minter)
                stale = set(previous.files if previous else ()) - set(files)
                for node in sorted(f.removesuffix("/index.html") for f in stale if f.endswith("/index.html")):
                    # a block the fiche no longer has
                    files += _tombstone(out, node, node.rsplit("/", 1)[-1], base, None, stamp[:10])
                for rel in sorted(stale - set(files)):
                    out.remove(rel)
                files.sort()
            else:
                assert previous is not None
                files = previous.files
            state.fiches[number] = FicheState(digest, version, files, doc.cert.title)
            if status != "unchanged":
                kind = "create" if status == "added" else "update"
                statements = tuple(t for t in doc.triples if t[0] == doc.iri)
                events.append(Event(doc.iri, version, kind, stamp, statements))
            dump.add(doc)
            try:
                loq.fiche(doc.cert)
            except RncpLdError as error:
                error.source = error.source or doc.cert.provenance.source
                error.fiche = error.fiche or number
                report.issues.append(Issue.from_error(error, "not-in-loq"))
            blocks += len(doc.cert.blocks)
            folder = _path(doc.iri, base)
            rows.append((number, doc.cert.title, _level(doc.cert), f"{_root(base)}{folder}/"))
            if on_fiche:
                on_fiche(number, status)
        loq.end()
        dump.close()
    except BaseException:
        loq.close()
        for spool in (dump_file, loq_file):
            spool.close()
        dump_spool.unlink(missing_ok=True)
        loq_spool.unlink(missing_ok=True)
        raise
    dump_file.close()
    loq_file.close()
    failed = {issue.fiche for issue in report.issues if issue.severity == Severity.ERROR and issue.fiche}
    complete = not report.stats.get("inputs-unreadable")
    if not complete:
        report.issues.append(
            Issue(
                "withdrawals-skipped",
                "an input could not be read: no fiche is withdrawn in this run",
                Severity.WARNING,
                None,
                None,
            )
        )
    for number, previous in sorted(state.fiches.items()):
        if previous.withdrawn or number in seen or number in failed or not complete:
            continue
        result.withdrawn.append(number)
        iri = minter.certification(number)
        folder = _path(iri, base)
        when = stamp[:10]
        pages = sorted({f.rsplit("/", 1)[0] for f in previous.files if f.endswith("/index.html")})
        kept: list[str] = []
        for page_folder in pages or [folder]:
            top = page_folder == folder
            label = number if top else page_folder.rsplit("/", 1)[-1]
            kept += _tombstone(out, page_folder, label, base, previous.title if top else None, when)
        for rel in previous.files:
            if rel not in kept:
                out.remove(rel)
        version = previous.version + 1
        state.fiches[number] = FicheState(
            previous.hash,
            version,
            kept,
            previous.title,
            withdrawn=True,
        )
        events.append(Event(iri, version, "delete", stamp))
    # aggregates
    state.issued = state.issued or stamp
    if events or state.modified is None:
        state.modified = stamp
    modified = max(export_dates) if export_dates else state.modified
    issued = state.issued[:10]
    rows.sort(key=lambda r: (r[0].startswith("RS"), len(r[0]), r[0]))
    dump_size = out.commit(dump_spool, "register.nt.gz")
    loq_size = out.commit(loq_spool, "register.loq.xml")
    out.write(
        "index.html", html.index_page(rows, {"certifications": len(rows), "blocs": blocks}, _root(base))
    )
    feed = FeedState(state.pages, state.last_page_members)
    for rel, text in append(root, base, feed, events, page_size).items():
        out.write(rel, text)
    state.pages, state.last_page_members = feed.pages, feed.last_page_members
    if events:
        state.timestamp = stamp
    out.write("feed/index.ttl", index_document(base))
    distributions = [
        Distribution(
            "dump",
            "register.nt.gz",
            "Registre complet (N-Triples, gzip)",
            "Whole register (N-Triples, gzip)",
            "RDF_N_TRIPLES",
            "application/n-triples",
            dump_size,
            "application/gzip",
        ),
        Distribution(
            "loq",
            "register.loq.xml",
            "Qualifications Europass (LOQ 3.1.0)",
            "Europass qualifications (LOQ 3.1.0)",
            "XML",
            "application/xml",
            loq_size,
        ),
        Distribution(
            "feed", "feed", "Flux des changements (LDES)", "Change feed (LDES)", "RDF_TURTLE", "text/turtle"
        ),
    ]
    out.write(
        "catalog.ttl",
        catalog_document(
            base,
            issued=issued,
            modified=modified,
            distributions=distributions,
            fiches=len(rows),
            blocks=blocks,
        ),
    )
    example = str(minter.certification(rows[0][0])) if rows else None
    vocabularies = sorted(
        {
            PREFIXES[p]
            for p in ("adms", "dcat", "dct", "elm", "foaf", "prov", "rdfs", "rncp", "rov", "schema", "skos")
        }
    )
    out.write(
        "void.ttl",
        void_document(
            base,
            modified=modified,
            triples=dump.triples,
            entities=len(rows) + blocks,
            example=example,
            vocabularies=vocabularies,
        ),
    )
    state.generator = GENERATOR
    out.write(str(STATE_PATH), state.to_json())
    result.members = len(events)
    return result
