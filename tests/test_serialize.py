"""Every writer's output parses back to the same graph, byte-for-byte stable."""

from __future__ import annotations

import io

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic

from rncp_ld.convert import convert, to_graph
from rncp_ld.namespaces import DCTERMS, RDF, SKOS, XSD
from rncp_ld.rdf.serialize import FORMATS, format_from_name, writer
from rncp_ld.readers import read

from conftest import RNCP_XML, SEED

RDFLIB_FORMAT = {"nt": "nt", "turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}
S = URIRef("https://example.org/s")


def _write(fmt: str, *chunks) -> str:
    out = io.StringIO()
    w = writer(fmt, out)
    w.start()
    for chunk in chunks:
        w.write(chunk)
    w.end()
    return out.getvalue()


def _assert_same(expected: Graph, text: str, fmt: str) -> None:
    parsed = Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])
    if not isomorphic(expected, parsed):
        _, only_expected, only_parsed = graph_diff(expected, parsed)
        raise AssertionError(
            f"{fmt}: missing {sorted(only_expected)[:5]} unexpected {sorted(only_parsed)[:5]}"
        )


TRICKY = [
    (S, DCTERMS.title, Literal('Guillemets " et \\ barre, ligne\nsuivante\r, <b>&amp;</b>', lang="fr")),
    (S, DCTERMS.date, Literal("2021-10-04", datatype=XSD.date)),
    (S, SKOS.notation, Literal("332t")),
    (S, RDF.type, SKOS.Concept),
    (S, URIRef("https://example.org/p-with-dash"), URIRef("https://example.org/o?x=1&y=2")),
    (URIRef("https://example.org/é%20x"), SKOS.prefLabel, Literal("Élève — «œuvre»", lang="fr")),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_tricky_literals_and_iris_round_trip(fmt):
    expected = Graph()
    for t in TRICKY:
        expected.add(t)
    _assert_same(expected, _write(fmt, TRICKY[:3], TRICKY[3:]), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_fiches_round_trip_in_every_format(fmt, tmp_path):
    sources = [SEED, RNCP_XML]
    out = tmp_path / f"out.{fmt}"
    report = convert(sources, out, format=fmt)
    assert report.valid, report.issues
    certs = [c for s in sources for c in read(s) if not hasattr(c, "severity")]
    _assert_same(to_graph(certs), out.read_text(encoding="utf-8"), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_deterministic(fmt, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    convert([RNCP_XML, SEED], a, format=fmt)
    convert([RNCP_XML, SEED], b, format=fmt)
    assert a.read_bytes() == b.read_bytes()


def test_formats_from_file_names():
    assert format_from_name("register.nt") == "nt"
    assert format_from_name("register.nt.gz") == "nt"
    assert format_from_name("x.TTL") == "turtle"
    assert format_from_name("x.jsonld") == "jsonld"
    assert format_from_name("x.rdf") == "rdfxml"
    assert format_from_name("x.csv") is None


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'n3'"):
        writer("n3", io.StringIO())
