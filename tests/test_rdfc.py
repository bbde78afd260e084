"""RDFC-1.0: every entry of the W3C suite's manifest, the N-Quads parser's refusals, the work limits."""

from __future__ import annotations

import doctest
import json
import time
import tracemalloc

import pytest
import rdflib
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from rncp_ld.credentials import rdfc
from rncp_ld.credentials.rdfc import (
    DEFAULT_LIMITS,
    CanonicalizationError,
    Limits,
    NQuadsError,
    canonicalize,
    canonize,
    canonize_nquads,
    issued_identifiers,
    parse_nquads,
)
from rncp_ld.errors import ConfigError, RncpLdError

from conftest import SHARED

SUITE = SHARED / "rdf-canon" / "tests"
ENTRIES = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]
EVAL = "rdfc:RDFC10EvalTest"
MAP = "rdfc:RDFC10MapTest"
NEGATIVE = "rdfc:RDFC10NegativeEvalTest"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
UNBOUNDED = {"max_ndegree_calls": 10**9, "max_permutations": 10**9, "max_depth": 10**9}


def _entries(kind: str) -> list:
    return [pytest.param(e, id=e["id"].lstrip("#")) for e in ENTRIES if e["type"] == kind]


def _input(entry: dict) -> bytes:
    return (SUITE / entry["action"]).read_bytes()


def _algorithm(entry: dict) -> str:
    return entry.get("hashAlgorithm", "SHA256")


# Poison graphs of the suite's kind, and look-alike structures that must still pass


def clique(size: int) -> str:
    return "".join(f"_:n{i} <urn:ex:p> _:n{j} .\n" for i in range(size) for j in range(size) if i != j)


def twin_chains(length: int) -> str:
    """Two identical chains of blank nodes: Hash N-Degree Quads nests once a link."""
    return "".join(f"_:c{c}n{i} <urn:ex:next> _:c{c}n{i + 1} .\n" for c in (0, 1) for i in range(length))


def blank_node_list(length: int) -> str:
    """A JSON-LD ``@list`` of distinct blank-node objects: its cells all look alike."""
    lines = ["<urn:ex:s> <urn:ex:items> _:l0 .\n"]
    for i in range(length):
        rest = f"_:l{i + 1}" if i + 1 < length else f"<{RDF}nil>"
        lines.append(f'_:l{i} <{RDF}first> _:it{i} .\n_:it{i} <urn:ex:name> "item {i}" .\n')
        lines.append(f"_:l{i} <{RDF}rest> {rest} .\n")
    return "".join(lines)


def credential_like() -> str:
    """~300 quads, 31 blank nodes (two pairs alike at first degree), as a JSON-LD processor writes them."""
    lines = [
        "<urn:uuid:c> <urn:ex:type> <urn:ex:Credential> .\n",
        '<urn:uuid:c> <urn:ex:issued> "2024-06-30"^^<urn:ex:date> .\n',
    ]
    for i in range(30):
        lines.append(f"<urn:uuid:c> <urn:ex:achievement> _:a{i} .\n")
        lines.append(f"_:a{i} <urn:ex:type> <urn:ex:Achievement> .\n")
        for k in range(7):
            lines.append(f'_:a{i} <urn:ex:field{k}> "Bloc {i % 28} — champ {k} « é »"@fr .\n')
        lines.append(f"_:a{i} <urn:ex:awardedBy> _:org .\n")
    lines.append('_:org <urn:ex:name> "Centre ressource AROBASE" .\n')
    return "".join(lines)


# The W3C suite, driven by its manifest


def test_the_manifest_is_run_whole():
    kinds = {e["type"] for e in ENTRIES}
    assert kinds <= {EVAL, MAP, NEGATIVE}, f"unknown test types {kinds - {EVAL, MAP, NEGATIVE}}"
    assert sum(len(_entries(kind)) for kind in (EVAL, MAP, NEGATIVE)) == len(ENTRIES)
    assert len(_entries(EVAL)) >= 64 and len(_entries(MAP)) >= 21 and _entries(NEGATIVE)
    assert {_algorithm(e) for e in ENTRIES} == {"SHA256", "SHA384"}


@pytest.mark.parametrize("entry", _entries(EVAL))
def test_suite_eval(entry):
    expected = (SUITE / entry["result"]).read_bytes()
    assert canonize_nquads(_input(entry), hash_algorithm=_algorithm(entry)).encode("utf-8") == expected


@pytest.mark.parametrize("entry", _entries(MAP))
def test_suite_map(entry):
    expected = json.loads((SUITE / entry["result"]).read_text(encoding="utf-8"))
    assert issued_identifiers(_input(entry), hash_algorithm=_algorithm(entry)) == expected


@pytest.mark.parametrize("entry", _entries(NEGATIVE))
def test_suite_negative_is_refused_quickly(entry):
    start = time.monotonic()
    with pytest.raises(CanonicalizationError) as caught:
        canonize_nquads(_input(entry), hash_algorithm=_algorithm(entry))
    assert time.monotonic() - start < 3.0
    assert caught.value.reason in ("too-many-ndegree-calls", "too-many-permutations")
    assert str(caught.value).startswith("canonicalization refused: the graph needs more than")
    assert "clique" in str(caught.value)


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.parametrize("entry", _entries(EVAL))
def test_suite_eval_from_rdflib_terms(entry, monkeypatch):
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)  # keep the suite's lexical forms
    dataset = Dataset()
    dataset.parse(data=_input(entry).decode("utf-8"), format="nquads")
    expected = (SUITE / entry["result"]).read_text(encoding="utf-8")
    assert canonize(dataset.quads(), hash_algorithm=_algorithm(entry)) == expected


# Work limits: each one stops a run with its reason, and the defaults are livable


@pytest.mark.parametrize(
    ("text", "limits", "reason"),
    [
        ("<urn:a> <urn:p> <urn:o> .\n<urn:b> <urn:p> <urn:o> .\n", Limits(max_quads=1), "too-many-quads"),
        ("_:a <urn:p> _:b .\n", Limits(max_blank_nodes=1), "too-many-blank-nodes"),
        (clique(4), Limits(max_ndegree_calls=10, max_permutations=10**9), "too-many-ndegree-calls"),
        (clique(4), Limits(max_ndegree_calls=10**9, max_permutations=10), "too-many-permutations"),
        (twin_chains(50), Limits(max_depth=10), "too-deep"),
        (clique(10), Limits(max_seconds=0.2, **UNBOUNDED), "time-limit"),
    ],
    ids=["quads", "blank-nodes", "ndegree-calls", "permutations", "depth", "seconds"],
)
def test_each_limit_refuses_with_its_reason(text, limits, reason):
    start = time.monotonic()
    with pytest.raises(CanonicalizationError) as caught:
        canonize_nquads(text, limits=limits)
    assert time.monotonic() - start < 2.0
    assert caught.value.reason == reason
    assert isinstance(caught.value, RncpLdError)
    assert str(caught.value).startswith("canonicalization refused:")


def test_duplicate_quads_do_not_count_against_max_quads():
    text = "<urn:a> <urn:p> <urn:o> .\n" * 3
    assert canonize_nquads(text, limits=Limits(max_quads=1)) == "<urn:a> <urn:p> <urn:o> .\n"


def test_the_limits_just_above_a_graph_needs_let_it_through():
    needs = canonicalize(clique(4))
    assert (needs.ndegree_calls, needs.permutations) == (76, 480)
    exact = Limits(max_ndegree_calls=76, max_permutations=480, max_depth=needs.depth)
    assert canonize_nquads(clique(4), limits=exact) == needs.nquads


def test_larger_cliques_are_refused_quickly_under_the_defaults():
    for size in (8, 12, 30):  # 6 passes: 3,606 calls, 37,440 permutations
        start = time.monotonic()
        with pytest.raises(CanonicalizationError):
            canonize_nquads(clique(size))
        assert time.monotonic() - start < 3.0, size


def test_memory_stays_bounded_on_a_clique():
    """12! permutations of a node's neighbours are never listed, only walked."""
    tracemalloc.start()
    try:
        with pytest.raises(CanonicalizationError):
            canonize_nquads(clique(12), limits=Limits(max_permutations=5_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_deep_nesting_runs_on_an_explicit_stack():
    """1,500 nested Hash N-Degree Quads calls, past Python's recursion limit, when allowed."""
    result = canonicalize(twin_chains(1_500), limits=Limits(max_depth=2_000))
    assert result.depth > 1_000
    assert result.nquads.count("\n") == 3_000


def test_defaults_take_a_list_of_100_look_alike_blank_nodes():
    result = canonicalize(blank_node_list(100))
    assert result.ndegree_calls <= DEFAULT_LIMITS.max_ndegree_calls
    assert result.nquads.count("\n") == 301


def test_a_credential_sized_dataset_canonicalizes_in_milliseconds():
    text = credential_like()
    result = canonicalize(text)
    assert len(result.issued) == 31 and result.ndegree_calls == 4
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        canonize_nquads(text)
    assert (time.perf_counter() - start) / runs < 0.025  # a few ms here; generous for slow machines


def test_limits_are_checked():
    with pytest.raises(ConfigError, match="max_quads"):
        Limits(max_quads=-1)
    with pytest.raises(ConfigError, match="max_depth"):
        Limits(max_depth=1.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="max_seconds"):
        Limits(max_seconds=0)


# Results, options and the rdflib door


def test_result_of_a_graph_without_look_alikes():
    result = canonicalize('_:x <urn:ex:p> "v" .\n_:y <urn:ex:q> _:x .\n')
    assert result.nquads == '_:c14n0 <urn:ex:q> _:c14n1 .\n_:c14n1 <urn:ex:p> "v" .\n'
    assert result.issued == {"y": "c14n0", "x": "c14n1"}
    assert (result.ndegree_calls, result.permutations, result.depth) == (0, 0, 0)


def test_hash_algorithm_names():
    text = (SUITE / "rdfc10" / "test075-in.nq").read_bytes()
    assert issued_identifiers(text, hash_algorithm="sha-384") == issued_identifiers(
        text, hash_algorithm="SHA384"
    )
    assert issued_identifiers(text, hash_algorithm="SHA384") != issued_identifiers(text)
    with pytest.raises(ConfigError, match="MD5"):
        canonize_nquads(text, hash_algorithm="MD5")


def test_canonical_escapes():
    text = '<urn:a> <urn:p> "tab\tdel\x7f \\u00e9 \\U0001F303 \\\' \\u0008" .\n'
    assert canonize_nquads(text) == '<urn:a> <urn:p> "tab\\tdel\\u007F é 🌃 \' \\b" .\n'
    literal = Literal('a\x01"\\\n\r\x0c', lang="fr")
    assert (
        canonize([(URIRef("urn:a"), URIRef("urn:p"), literal)])
        == '<urn:a> <urn:p> "a\\u0001\\"\\\\\\n\\r\\f"@fr .\n'
    )


def test_xsd_string_is_implicit():
    plain = '<urn:a> <urn:p> "x" .\n'
    assert canonize_nquads(f'<urn:a> <urn:p> "x"^^<{XSD_STRING}> .') == plain
    assert canonize_nquads(f'<urn:a> <urn:p> "\\u0078"^^<{XSD_STRING}> .') == plain  # the tokenizer's path
    assert canonize([(URIRef("urn:a"), URIRef("urn:p"), Literal("x", datatype=URIRef(XSD_STRING)))]) == plain


def test_rdflib_quads_triples_and_graph_names():
    a, p, g = URIRef("urn:ex:a"), URIRef("urn:ex:p"), URIRef("urn:ex:g")
    node = BNode("n1")
    named = Graph(identifier=g)
    quads = [
        (a, p, node),
        (a, p, node, None),
        (node, p, Literal("1", datatype=URIRef("urn:ex:int")), named),
        (a, p, a, URIRef("urn:x-rdflib:default")),
        (a, p, a, BNode("graph")),
    ]
    text = (
        "<urn:ex:a> <urn:ex:p> _:n1 .\n"
        '_:n1 <urn:ex:p> "1"^^<urn:ex:int> <urn:ex:g> .\n'
        "<urn:ex:a> <urn:ex:p> <urn:ex:a> .\n"
        "<urn:ex:a> <urn:ex:p> <urn:ex:a> _:graph .\n"
    )
    result = canonicalize(quads)
    assert result == canonicalize(text)
    assert result.nquads.count("\n") == 4 and result.nquads.count(" _:c14n") == 2
    assert set(result.issued) == {"graph", "n1"}


@pytest.mark.parametrize(
    ("quad", "message"),
    [
        ((Literal("s"), URIRef("urn:p"), URIRef("urn:o")), "subject"),
        ((URIRef("urn:s"), BNode(), URIRef("urn:o")), "predicate"),
        ((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o"), Literal("g")), "graph"),
        ((URIRef("s"), URIRef("urn:p"), URIRef("urn:o")), "relative IRI"),
        ((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:a b")), "not allowed in an IRI"),
        ((URIRef("urn:s"), URIRef("urn:p"), "plain str"), "object"),
        ((URIRef("urn:s"), URIRef("urn:p")), "3 or 4 terms"),
        ((URIRef("urn:s"), URIRef("urn:p"), Literal("\ud800")), "lone surrogate"),
    ],
)
def test_rdflib_terms_refused(quad, message):
    with pytest.raises(CanonicalizationError, match=message) as caught:
        canonize([quad])
    assert caught.value.reason == "bad-term"


def test_text_and_quads_go_through_their_own_door():
    with pytest.raises(TypeError, match="canonize_nquads"):
        canonize("<urn:a> <urn:p> <urn:o> .")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="N-Quads text"):
        canonize_nquads([])  # type: ignore[arg-type]


def test_module_example():
    assert doctest.testmod(rdfc, raise_on_error=True).attempted >= 1


# The strict N-Quads parser


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("<urn:s> <urn:p> <urn:o>", 1, 24, "missing '.'"),
        ('"s" <urn:p> <urn:o> .', 1, 1, "expected an IRI or a blank node as subject"),
        ("<s> <urn:p> <urn:o> .", 1, 1, "relative IRI <s>"),
        ("<urn:s <urn:p> <urn:o> .", 1, 7, "character ' ' (U+0020) is not allowed in an IRI"),
        ("<urn:s> <urn:p> <urn:a\\x> .", 1, 23, "bad escape in an IRI"),
        ("<urn:s> <urn:p> <urn:\\u003E> .", 1, 17, "'>' (U+003E) is not allowed in an IRI"),
        ("<urn:s> <urn:p> <urn:o", 1, 17, "unterminated IRI"),
        ('<urn:s> <urn:p> "\\a" .', 1, 18, "bad escape in a string"),
        ('<urn:s> <urn:p> "\\uD800" .', 1, 18, "\\uD800 is not a Unicode scalar value"),
        ('<urn:s> <urn:p> "\\U00110000" .', 1, 18, "not a Unicode scalar value"),
        ('<urn:s> <urn:p> "x .', 1, 17, "unterminated string"),
        ('<urn:s> <urn:p> "x"@ .', 1, 20, "bad language tag"),
        ('<urn:s> <urn:p> "x"^^ .', 1, 22, "expected a datatype IRI after '^^'"),
        ("<urn:s> _:p <urn:o> .", 1, 9, "expected an IRI as predicate"),
        ('<urn:s> <urn:p> <urn:o> "g" .', 1, 25, "expected an IRI, a blank node or '.' as graph"),
        ("<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .", 1, 33, "expected '.' at the end of the statement"),
        ("<urn:s> <urn:p> <urn:o> . <urn:x>", 1, 27, "unexpected text after the final '.'"),
        ("_:-a <urn:p> <urn:o> .", 1, 1, "bad blank node label"),
        ("<urn:s> <urn:p> 'o' .", 1, 17, "expected an IRI, a blank node or a literal as object"),
        ("<urn:a> <urn:p> <urn:o> .\n\n# comment\n  <urn:a> <urn:p> <o> .\n", 4, 19, "relative IRI <o>"),
        ("<urn:a> <urn:p> <urn:o> .\r\n\r\n<urn:a> <urn:p> <o> .\r\n", 3, 17, "relative IRI"),
        ("<urn:a> <urn:p> <urn:o> .\r<urn:a> <urn:p> <o> .", 2, 17, "relative IRI"),
        ('<urn:a> <urn:p> "ok" .\n<urn:a> <urn:p> "\ud83c" .\n', 2, 18, "lone surrogate"),
        (b'<urn:a> <urn:p> "ok" .\n<urn:a> <urn:p> "\xff" .\n', 2, 18, "not UTF-8"),
    ],
)
def test_parser_refusals_name_line_and_column(text, line, column, message):
    with pytest.raises(NQuadsError) as caught:
        parse_nquads(text)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert message in error.message
    assert error.reason == "nquads-syntax" and isinstance(error, CanonicalizationError)
    assert str(error) == f"{line}:{column}: {error.message}"


def test_parser_errors_name_their_source():
    with pytest.raises(NQuadsError) as caught:
        canonize_nquads("\n<urn:s> <urn:p> .", source="credential.nq")
    assert str(caught.value) == (
        "credential.nq:2:17: bad N-Quads: expected an IRI, a blank node or a literal as object, found '.'"
    )


def test_parser_reads_the_whole_grammar():
    text = (
        "# a comment line\n"
        "\n"
        '\t<urn:a>\t<urn:p>  "v\\u00e9"@en-GB<urn:g>.  # trailing comment\r\n'
        '_:b1.x <urn:p> "1"^^<urn:ex:\\u0069nt> _:g .\n'
        "<urn:a> <urn:p> <urn:a> .\n"
        "<urn:a> <urn:p> <urn:a> .\n"
        '<urn:a> <urn:p> "no final newline"'
        " ."
    )
    assert parse_nquads(text) == [
        ("<urn:a>", "<urn:p>", '"vé"@en-GB', "<urn:g>"),
        ("_:b1.x", "<urn:p>", '"1"^^<urn:ex:int>', "_:g"),
        ("<urn:a>", "<urn:p>", "<urn:a>", ""),
        ("<urn:a>", "<urn:p>", '"no final newline"', ""),
    ]


def test_the_fast_line_reader_and_the_tokenizer_agree():
    """Lines the one-regex reader takes are read identically by the tokenizer."""
    terms = ["<urn:a>", "_:a", "_:b.c", "_:a_:b", "_:é", "_:1", '"x"', '"y"@en-GB', '"z"^^<urn:t>', "<urn:é>"]
    terms.append(f'"s"^^<{XSD_STRING}>')
    for s in terms[:6]:
        for o in terms:
            for g in ("", "<urn:g>", "_:g", "_:a.b"):
                for space in (" ", "\t", ""):
                    line = space.join(t for t in (s, "<urn:p>", o, g) if t) + " ."
                    assert rdfc._FAST_LINE.fullmatch(line), line
                    assert parse_nquads(line) == [rdfc._parse_line(line)], line


@pytest.mark.parametrize(
    "line",
    [
        '<urn:s> <urn:p> "' + "a\\n" * 50_000,
        "<urn:s> <urn:p> <urn:" + "a\\u0041" * 50_000,
        "<urn:s> <urn:p> _:a" + "_:b" * 50_000 + " x",
        "<urn:s> <urn:p> <urn:o>" + " \t" * 50_000 + "x",
        '<urn:s> <urn:p> "x"@en' + "-a" * 50_000 + "- .",
        "<urn:s> <urn:p> _:a" + "." * 50_000 + "b" + "." * 50_000 + " x",
    ],
    ids=["string", "iri", "blank-node", "whitespace", "language", "dots"],
)
def test_hostile_lines_are_refused_in_linear_time(line):
    start = time.monotonic()
    with pytest.raises(NQuadsError):
        parse_nquads(line)
    assert time.monotonic() - start < 1.0
