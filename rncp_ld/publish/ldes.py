"""The change feed: a Linked Data Event Stream of fiche versions, paged with TREE relations.

Layout (``{base}`` is the site root)::

    feed/index.ttl     <{base}feed> a ldes:EventStream ; tree:view <{base}feed/page-1.ttl>
    feed/page-N.ttl    <{base}feed> tree:member <{iri}#vK> … ; <page-N> a tree:Node

Each publish appends one member per fiche added, changed or withdrawn: a version object
``{iri}#v{K}`` (K counts the versions of that fiche) with ``dct:isVersionOf <iri>``,
``dct:modified`` (the run's timestamp, never below one already published) and the
certification's own statements re-subjected to the version. Pages are append-only: a page
is only ever extended, and once full it receives one ``tree:GreaterThanOrEqualToRelation``
on ``dct:modified`` to the next page and ``ldes:immutable true``; after that its bytes
never change.

Create, update and delete follow the LDES 1.0 vocabulary (https://w3id.org/ldes, "Terms
for versioning and transactions on top of ldes:EventStream"): the stream declares
``ldes:versionCreateObject as:Create``, ``ldes:versionUpdateObject as:Update`` and
``ldes:versionDeleteObject as:Delete`` on the default paths (``rdf:type``); a withdrawn
fiche's tombstone is a member typed ``as:Delete``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, Namespace, URIRef

from ..namespaces import DCTERMS, PREFIXES, RDF, XSD
from .turtle import Triple, prefixes, statements

__all__ = ["AS", "LDES", "TREE", "Event", "FeedState", "append", "member_iri", "page_iri", "stream_iri"]

LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")

FEED_PREFIXES = {"ldes": str(LDES), "tree": str(TREE), "as": str(AS), **PREFIXES}

KINDS = {"create": AS.Create, "update": AS.Update, "delete": AS.Delete}


@dataclass(frozen=True)
class Event:
    """One member to append: a version of ``entity``."""

    entity: URIRef
    version: int
    kind: str
    """``create``, ``update`` or ``delete``."""
    timestamp: str
    """``xsd:dateTime`` lexical form, UTC."""
    statements: tuple[Triple, ...] = ()
    """The entity's own statements (subject ``entity``), copied onto the version."""


@dataclass
class FeedState:
    pages: int = 0
    last_page_members: int = 0


def stream_iri(base: str) -> URIRef:
    return URIRef(f"{base}feed")


def page_iri(base: str, number: int) -> URIRef:
    return URIRef(f"{base}feed/page-{number}.ttl")


def member_iri(entity: URIRef, version: int) -> URIRef:
    return URIRef(f"{entity}#v{version}")


def _stamp(timestamp: str) -> Literal:
    return Literal(timestamp, datatype=XSD.dateTime)


def stream_triples(base: str) -> list[Triple]:
    """The description of the event stream (in feed/index.ttl and on every page)."""
    stream = stream_iri(base)
    return [
        (stream, RDF.type, LDES.EventStream),
        (stream, DCTERMS.title, Literal("Changements du registre RNCP / RS", lang="fr")),
        (stream, DCTERMS.title, Literal("Changes of the RNCP / RS register", lang="en")),
        (stream, LDES.timestampPath, DCTERMS.modified),
        (stream, LDES.versionOfPath, DCTERMS.isVersionOf),
        (stream, LDES.versionCreateObject, AS.Create),
        (stream, LDES.versionUpdateObject, AS.Update),
        (stream, LDES.versionDeleteObject, AS.Delete),
        (stream, TREE.view, page_iri(base, 1)),
    ]


def index_document(base: str) -> str:
    """feed/index.ttl."""
    return prefixes(FEED_PREFIXES) + statements(stream_triples(base), FEED_PREFIXES)


def _page_header(base: str, number: int) -> str:
    page = page_iri(base, number)
    return prefixes(FEED_PREFIXES) + statements(
        [*stream_triples(base), (page, RDF.type, TREE.Node)], FEED_PREFIXES
    )


def _member(base: str, event: Event) -> str:
    member = member_iri(event.entity, event.version)
    triples: list[Triple] = [
        (stream_iri(base), TREE.member, member),
        (member, RDF.type, KINDS[event.kind]),
        (member, DCTERMS.isVersionOf, event.entity),
        (member, DCTERMS.modified, _stamp(event.timestamp)),
    ]
    triples.extend((member, p, o) for s, p, o in event.statements if s == event.entity)
    return statements(triples, FEED_PREFIXES)


def _relation(base: str, number: int, first_timestamp: str) -> str:
    page = page_iri(base, number)
    relation = URIRef(f"{page}#next")
    return statements(
        [
            (page, TREE.relation, relation),
            (page, LDES.immutable, Literal(True)),
            (relation, RDF.type, TREE.GreaterThanOrEqualToRelation),
            (relation, TREE.node, page_iri(base, number + 1)),
            (relation, TREE.path, DCTERMS.modified),
            (relation, TREE.value, _stamp(first_timestamp)),
        ],
        FEED_PREFIXES,
    )


def append(site: Path, base: str, feed: FeedState, events: Sequence[Event], page_size: int) -> dict[str, str]:
    """Append ``events`` to the pages under ``site/feed``; returns {relative path: new text}.

    Nothing is written here: the caller writes the returned texts (atomically).
    """
    texts: dict[str, str] = {}

    def current(number: int) -> str:
        name = f"feed/page-{number}.ttl"
        if name not in texts:
            path = site / name
            texts[name] = path.read_text(encoding="utf-8") if path.exists() else _page_header(base, number)
        return name

    for event in events:
        if feed.pages == 0:
            feed.pages, feed.last_page_members = 1, 0
        elif feed.last_page_members >= page_size:
            name = current(feed.pages)
            texts[name] += _relation(base, feed.pages, event.timestamp)
            feed.pages, feed.last_page_members = feed.pages + 1, 0
        name = current(feed.pages)
        texts[name] += _member(base, event)
        feed.last_page_members += 1
    return texts
