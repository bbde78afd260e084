"""The change feed: LDES pages, TREE relations, version members, tombstones, monotonic time."""

from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef

from rncp_ld.namespaces import DCTERMS, RDF, XSD
from rncp_ld.publish import publish
from rncp_ld.publish.ldes import AS, LDES, TREE, Event, FeedState, append, index_document

from conftest import SEED

BASE = "https://example.org/id/"
STREAM = URIRef(BASE + "feed")


def _events(n: int, start: int = 0) -> list[Event]:
    return [
        Event(
            URIRef(f"{BASE}rncp/RNCP{i}"),
            1,
            "create",
            f"2026-01-01T00:00:{i:02d}Z",
            ((URIRef(f"{BASE}rncp/RNCP{i}"), DCTERMS.title, Literal(f"Titre {i}", lang="fr")),),
        )
        for i in range(start + 1, start + n + 1)
    ]


def _apply(tmp_path, feed, events, page_size=2):
    for rel, text in append(tmp_path, BASE, feed, events, page_size).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")


def test_stream_description_declares_paths_and_delete_object():
    graph = Graph().parse(data=index_document(BASE), format="turtle")
    assert (STREAM, RDF.type, LDES.EventStream) in graph
    assert (STREAM, LDES.timestampPath, DCTERMS.modified) in graph
    assert (STREAM, LDES.versionOfPath, DCTERMS.isVersionOf) in graph
    assert (STREAM, LDES.versionDeleteObject, AS.Delete) in graph
    assert (STREAM, TREE.view, URIRef(BASE + "feed/page-1.ttl")) in graph


def test_pages_fill_then_link_and_never_change(tmp_path):
    feed = FeedState()
    _apply(tmp_path, feed, _events(3))
    assert (feed.pages, feed.last_page_members) == (2, 1)
    page1 = (tmp_path / "feed/page-1.ttl").read_bytes()
    _apply(tmp_path, feed, _events(3, start=3))
    assert (feed.pages, feed.last_page_members) == (3, 2)
    assert (tmp_path / "feed/page-1.ttl").read_bytes() == page1
    members = set()
    for n in (1, 2, 3):
        page = Graph().parse(tmp_path / f"feed/page-{n}.ttl")
        found = set(page.objects(STREAM, TREE.member))
        assert len(found) == 2
        members |= found
        relation = URIRef(f"{BASE}feed/page-{n}.ttl#next")
        if n < 3:
            assert (relation, RDF.type, TREE.GreaterThanOrEqualToRelation) in page
            assert (relation, TREE.node, URIRef(f"{BASE}feed/page-{n + 1}.ttl")) in page
            assert (relation, TREE.path, DCTERMS.modified) in page
            first_next = f"2026-01-01T00:00:{2 * n + 1:02d}Z"
            assert (relation, TREE.value, Literal(first_next, datatype=XSD.dateTime)) in page
            assert (URIRef(f"{BASE}feed/page-{n}.ttl"), LDES.immutable, Literal(True)) in page
        else:
            assert (None, TREE.relation, None) not in page
    assert members == {URIRef(f"{BASE}rncp/RNCP{i}#v1") for i in range(1, 7)}
    member = URIRef(f"{BASE}rncp/RNCP4#v1")
    page = Graph().parse(tmp_path / "feed/page-2.ttl")
    assert (member, DCTERMS.isVersionOf, URIRef(f"{BASE}rncp/RNCP4")) in page
    assert (member, RDF.type, AS.Create) in page
    assert (member, DCTERMS.title, Literal("Titre 4", lang="fr")) in page


def test_feed_time_never_goes_backwards(tmp_path):
    site = tmp_path / "site"
    publish([SEED], site, base=BASE, now=datetime(2026, 3, 1, tzinfo=timezone.utc))
    (tmp_path / "empty.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>\n',
        encoding="utf-8",
    )
    result = publish([tmp_path / "empty.xml"], site, base=BASE, now=datetime(2026, 2, 1, tzinfo=timezone.utc))
    assert result.summary() == "0 added, 0 changed, 1 withdrawn, 0 unchanged"
    page = Graph().parse(site / "feed/page-1.ttl")
    tombstone = URIRef(BASE + "rncp/RNCP16575#v2")
    assert (tombstone, RDF.type, AS.Delete) in page
    assert (tombstone, DCTERMS.modified, Literal("2026-03-01T00:00:00Z", datatype=XSD.dateTime)) in page
