from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from rncp_ld.namespaces import ELM, PREFIXES, RNCP, bind

from conftest import SHARED

ONTOLOGY = SHARED / "elm" / "rdf" / "ontology" / "ELM.ttl"


@pytest.fixture(scope="module")
def elm_ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def test_every_elm_term_we_use_is_in_the_official_ontology(elm_ontology):
    terms = list(ELM)
    missing = [t for t in terms if (t, None, None) not in elm_ontology]
    assert terms and missing == []


def test_closed_namespaces_refuse_typos():
    with pytest.raises(AttributeError):
        ELM.qualificaton  # noqa: B018
    with pytest.raises(AttributeError):
        RNCP.acessRoute  # noqa: B018


def test_bind_sets_every_prefix():
    graph = bind(Graph())
    bound = {p: str(ns) for p, ns in graph.namespaces()}
    for prefix, uri in PREFIXES.items():
        assert bound[prefix] == uri
    assert URIRef(PREFIXES["elm"] + "Qualification") == ELM.Qualification
