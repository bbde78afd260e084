"""RDF Dataset Canonicalization RDFC-1.0 (W3C Recommendation, 21 May 2024), with work limits.

The canonical form of a dataset is its canonical N-Quads: blank nodes relabelled ``_:c14n0``,
``_:c14n1``… by the algorithm of https://www.w3.org/TR/rdf-canon/, one quad a line, lines in
code point order. It is what a credential's proof hashes, so the issuer and every verifier
must produce it byte for byte; the W3C suite (``rdf-canon/tests``) pins it.

Inputs are N-Quads text (:func:`canonize_nquads`, read by a small strict parser that names
the line and column of the first error) or quads of rdflib terms (:func:`canonize`).
:func:`canonicalize` gives the canonical N-Quads and the issued identifiers map together.

RDFC-1.0 is exponential on purpose-built graphs (a clique of look-alike blank nodes makes
Hash N-Degree Quads try every permutation, recursively). Every run is bounded by
:class:`Limits`: quads, blank nodes, Hash N-Degree Quads calls, permutations tried, their
nesting, seconds.
Going past one raises :class:`CanonicalizationError` naming the limit; memory stays bounded
too: permutations are generated lazily and the recursion is an explicit stack, never
Python's. A graph whose blank nodes all have distinct first-degree hashes (the usual
credential) never enters the expensive part.

Example::

    >>> canonize_nquads('_:x <urn:ex:p> "v" .\\n')
    '_:c14n0 <urn:ex:p> "v" .\\n'
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from itertools import permutations
from typing import Any

from ..errors import ConfigError, RncpLdError

__all__ = [
    "DEFAULT_LIMITS",
    "HASH_ALGORITHMS",
    "Canonical",
    "CanonicalizationError",
    "Limits",
    "NQuadsError",
    "Quad",
    "canonicalize",
    "canonize",
    "canonize_nquads",
    "issued_identifiers",
    "parse_nquads",
]

Quad = tuple[str, str, str, str]
"""A quad as its four terms in canonical N-Quads form (``<iri>``, ``_:label``, ``"lit"@en``),
the graph name ``""`` for the default graph."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"

HASH_ALGORITHMS: dict[str, Callable[..., Any]] = {"SHA256": hashlib.sha256, "SHA384": hashlib.sha384}
"""Hash functions RDFC-1.0 may run with, by the name of the suite's ``hashAlgorithm``."""


# Errors and limits


class CanonicalizationError(RncpLdError):
    """A dataset is refused: a work limit reached, or (:class:`NQuadsError`) unreadable input.

    ``reason`` is stable and kebab-case: ``too-many-quads``, ``too-many-blank-nodes``,
    ``too-many-ndegree-calls``, ``too-many-permutations``, ``too-deep``, ``time-limit``, ``bad-term``,
    ``nquads-syntax``.
    """

    def __init__(self, message: str, *, reason: str, **where: Any) -> None:
        super().__init__(message, **where)
        self.reason = reason


class NQuadsError(CanonicalizationError):
    """Malformed N-Quads; ``line`` and ``column`` (1-based, in characters) locate the fault."""

    def __init__(self, message: str, *, line: int, column: int, source: str | None = None) -> None:
        super().__init__(
            f"bad N-Quads: {message}", reason="nquads-syntax", source=source, location=f"{line}:{column}"
        )
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Limits:
    """The work a canonicalization may do before it is refused.

    The defaults canonicalize every positive test of the W3C suite (at most 468 Hash N-Degree
    Quads calls, 2,880 permutations, depth 7) and a JSON-LD ``@list`` of 100 look-alike
    blank nodes (9,604 calls, depth 100); they refuse the suite's 10-node clique in about
    0.15 s. Memory: the permutations are walked, never listed, and each level of nesting
    holds two copies of an identifier issuer (at most one entry a blank node), so at most
    ``2 × max_depth × max_blank_nodes`` entries; the worst graph built against the defaults
    (look-alike chains under look-alike hubs) took 50 MB and 1 s before it was refused.
    """

    max_quads: int = 100_000
    """Quads in the dataset (after duplicates are dropped)."""
    max_blank_nodes: int = 10_000
    """Distinct blank nodes."""
    max_ndegree_calls: int = 10_000
    """Calls of Hash N-Degree Quads, recursive ones included (the deep hashing steps)."""
    max_permutations: int = 50_000
    """Permutations of related blank nodes tried by all those calls together."""
    max_depth: int = 256
    """Nesting of Hash N-Degree Quads calls (a chain of look-alike blank nodes nests one a node)."""
    max_seconds: float = 5.0
    """Wall-clock seconds, a last resort: the counts above stop a poison graph first."""

    def __post_init__(self) -> None:
        for name in ("max_quads", "max_blank_nodes", "max_ndegree_calls", "max_permutations", "max_depth"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"Limits.{name} must be a non-negative integer, not {value!r}")
        if not isinstance(self.max_seconds, (int, float)) or not self.max_seconds > 0:
            raise ConfigError(f"Limits.max_seconds must be a positive number, not {self.max_seconds!r}")


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Canonical:
    """The result of a canonicalization."""

    nquads: str
    """Canonical N-Quads, each line ending with ``\\n``, lines in code point order."""
    issued: dict[str, str]
    """Issued identifiers map: input blank node label → canonical label (both without ``_:``),
    in the order canonical labels were issued."""
    ndegree_calls: int
    """Hash N-Degree Quads calls it took (0 when first-degree hashes told every blank node apart)."""
    permutations: int
    """Permutations of related blank nodes tried."""
    depth: int
    """Deepest nesting of Hash N-Degree Quads calls."""


# Canonical N-Quads terms

_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\ud800-\udfff]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _literal(value: str, language: str | None, datatype: str | None) -> str:
    """A literal in canonical N-Quads: only ``"``, ``\\``, controls and DEL escaped."""
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    if language:
        return f'"{value}"@{language}'
    if datatype and datatype != XSD_STRING:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def _iri_problem(iri: str) -> str | None:
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        return f"{_describe(bad.group())} is not allowed in an IRI"
    if not _SCHEME.match(iri):
        return f"relative IRI <{iri}> (N-Quads needs absolute IRIs)"
    return None


def _describe(char: str) -> str:
    return f"character {char!r} (U+{ord(char):04X})"


# N-Quads parser

_PN_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_U = _PN_BASE + "_:"
_PN = _PN_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_IRI_CHAR = r'[^\x00-\x20<>"{}|^`\\]'
_UCHAR = r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
# Unrolled loops (runs separated by escapes): linear, no catastrophic backtracking.
_UCHAR_RE = re.compile(_UCHAR)
_IRI = re.compile(rf"<({_IRI_CHAR}*(?:{_UCHAR}{_IRI_CHAR}*)*)>")
_STRING = re.compile(rf'"([^"\\\n\r]*(?:(?:\\[tbnrf"\'\\]|{_UCHAR})[^"\\\n\r]*)*)"')
_BNODE = re.compile(rf"_:([{_PN_U}0-9](?:[{_PN}.]*[{_PN}])?)")
_LANG = re.compile(r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)")
_LANG_TAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_EOL = re.compile(r"\r\n?|\n")
# The common line in one match: no escapes, no control characters, absolute IRIs. Each
# token can match only one way (a blank node label only at its longest), so a failing line
# costs linear time, never a backtracking blow-up; it then goes to the tokenizer.
_FAST_IRI = r'<[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*>'
_FAST_NODE = rf"{_FAST_IRI}|_:[{_PN_U}0-9](?:[{_PN}.]*[{_PN}])?(?!\.*[{_PN}])"  # longest label only
_FAST_LITERAL = rf'"[^"\\\x00-\x1f\x7f]*"(?:@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*|\^\^{_FAST_IRI})?'
_FAST_LINE = re.compile(
    rf"[ \t]*({_FAST_NODE})[ \t]*({_FAST_IRI})[ \t]*({_FAST_NODE}|{_FAST_LITERAL})[ \t]*(?:({_FAST_NODE})[ \t]*)?\.[ \t]*(?:#.*)?"
)
_XSD_STRING_SUFFIX = f'"^^<{XSD_STRING}>'
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class _Fault(Exception):
    """A syntax error at a column of the current line (0-based index)."""

    def __init__(self, index: int, message: str) -> None:
        self.index = index
        self.message = message


def _unescape(body: str, start: int) -> str:
    """``body`` with its escapes decoded; ``start`` is its index in the line, for errors."""
    if "\\" not in body:
        return body
    parts = []
    last = 0
    for m in _ESCAPE.finditer(body):
        parts.append(body[last : m.start()])
        last = m.end()
        if m.group(3) is not None:
            parts.append(_ECHARS[m.group(3)])
            continue
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise _Fault(start + m.start(), f"escape {m.group()} is not a Unicode scalar value")
        parts.append(chr(code))
    parts.append(body[last:])
    return "".join(parts)


def _scan_iri(line: str, pos: int) -> tuple[str, int]:
    m = _IRI.match(line, pos)
    if m is None:
        raise _Fault(*_why_not_iri(line, pos))
    iri = _unescape(m.group(1), pos + 1)
    problem = _iri_problem(iri)
    if problem:
        raise _Fault(pos, problem)
    return iri, m.end()


def _why_not_iri(line: str, pos: int) -> tuple[int, str]:
    i = pos + 1
    while i < len(line):
        char = line[i]
        if char == "\\":
            m = _UCHAR_RE.match(line, i)
            if m is None:
                return i, "bad escape in an IRI (only \\uXXXX and \\UXXXXXXXX are allowed)"
            i = m.end()
            continue
        if char == ">":  # pragma: no cover - the regular expression would have matched
            break
        if _IRI_FORBIDDEN.match(char):
            return i, f"{_describe(char)} is not allowed in an IRI"
        i += 1
    return pos, "unterminated IRI (no closing '>')"


def _why_not_string(line: str, pos: int) -> tuple[int, str]:
    i = pos + 1
    while i < len(line):
        char = line[i]
        if char == "\\":
            m = _ESCAPE.match(line, i)
            if m is None or (m.group(3) is not None and m.group(3) not in _ECHARS):
                return i, "bad escape in a string (\\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX)"
            i = m.end()
            continue
        i += 1
    return pos, "unterminated string (no closing '\"')"


def _scan_term(line: str, pos: int, role: str) -> tuple[str, int]:
    """One term at ``pos`` in canonical form; ``role`` is subject, predicate, object or graph."""
    char = line[pos] if pos < len(line) else ""
    if char == "<":
        iri, end = _scan_iri(line, pos)
        return f"<{iri}>", end
    if char == "_" and role != "predicate":
        m = _BNODE.match(line, pos)
        if m is None:
            raise _Fault(pos, "bad blank node label")
        return m.group(), m.end()
    if char == '"' and role == "object":
        m = _STRING.match(line, pos)
        if m is None:
            raise _Fault(*_why_not_string(line, pos))
        value = _unescape(m.group(1), pos + 1)
        end = m.end()
        if line.startswith("^^", end):
            if not line.startswith("<", end + 2):
                raise _Fault(end + 2, "expected a datatype IRI after '^^'")
            datatype, end = _scan_iri(line, end + 2)
            return _literal(value, None, datatype), end
        if line.startswith("@", end):
            lang = _LANG.match(line, end)
            if lang is None:
                raise _Fault(end, "bad language tag")
            return _literal(value, lang.group(1), None), lang.end()
        return _literal(value, None, None), end
    allowed = {
        "subject": "an IRI or a blank node",
        "predicate": "an IRI",
        "object": "an IRI, a blank node or a literal",
        "graph": "an IRI, a blank node or '.'",
    }[role]
    found = f"{char!r}" if char else "the end of the line"
    raise _Fault(pos, f"expected {allowed} as {role}, found {found}")


def _skip(line: str, pos: int) -> int:
    """The index of the first character at or after ``pos`` that is not a space or a tab."""
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    return pos


def _parse_line(line: str) -> Quad | None:
    pos = _skip(line, 0)
    if pos == len(line) or line[pos] == "#":
        return None
    subject, pos = _scan_term(line, pos, "subject")
    pos = _skip(line, pos)
    predicate, pos = _scan_term(line, pos, "predicate")
    pos = _skip(line, pos)
    obj, pos = _scan_term(line, pos, "object")
    pos = _skip(line, pos)
    graph = ""
    if pos == len(line):
        raise _Fault(pos, "missing '.' at the end of the statement")
    if not line.startswith(".", pos):
        graph, pos = _scan_term(line, pos, "graph")
        pos = _skip(line, pos)
        if not line.startswith(".", pos):
            raise _Fault(pos, "expected '.' at the end of the statement")
    pos = _skip(line, pos + 1)
    if pos < len(line) and line[pos] != "#":
        raise _Fault(pos, "unexpected text after the final '.' (one statement a line)")
    return subject, predicate, obj, graph


def parse_nquads(text: str | bytes, *, max_quads: int | None = None, source: str | None = None) -> list[Quad]:
    """The quads of an N-Quads document, duplicates dropped, in order of first appearance.

    Strict RDF 1.1 N-Quads: absolute IRIs, well-formed escapes, no surrogates, one statement
    a line. Raises :class:`NQuadsError` with the line and column of the first fault, or
    :class:`CanonicalizationError` past ``max_quads``.
    """
    if isinstance(text, (bytes, bytearray)):
        data = bytes(text)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _error_at(data[: exc.start].decode("utf-8"), "input is not UTF-8", source) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _error_at(
            text[: exc.start], f"{_describe(text[exc.start])} is a lone surrogate", source
        ) from None
    quads: dict[Quad, None] = {}
    fast = _FAST_LINE.fullmatch
    for number, line in enumerate(_EOL.split(text) if "\r" in text else text.split("\n"), 1):
        m = fast(line)
        if m is not None:
            s, p, o, g = m.groups()
            if o[-1] == ">" and o[0] == '"' and o.endswith(_XSD_STRING_SUFFIX):
                o = o[: -len(_XSD_STRING_SUFFIX) + 1]
            quad: Quad | None = (s, p, o, g or "")
        else:
            try:
                quad = _parse_line(line)
            except _Fault as fault:
                raise NQuadsError(fault.message, line=number, column=fault.index + 1, source=source) from None
        if quad is not None:
            quads[quad] = None
            if max_quads is not None and len(quads) > max_quads:
                raise _too_many_quads(max_quads)
    return list(quads)


def _error_at(before: str, message: str, source: str | None) -> NQuadsError:
    lines = _EOL.split(before)
    return NQuadsError(message, line=len(lines), column=len(lines[-1]) + 1, source=source)


def _too_many_quads(limit: int) -> CanonicalizationError:
    return CanonicalizationError(
        f"canonicalization refused: the dataset has more than {limit} quads", reason="too-many-quads"
    )


# rdflib terms


def _from_rdflib(quads: Iterable[tuple[Any, ...]], max_quads: int) -> list[Quad]:
    from rdflib.term import BNode, Literal, URIRef

    def term(node: Any, role: str) -> str:
        if isinstance(node, URIRef):
            problem = _iri_problem(str(node))
            if problem:
                raise CanonicalizationError(f"{role}: {problem}", reason="bad-term")
            return f"<{node}>"
        if isinstance(node, BNode) and role != "predicate":
            if not str(node):
                raise CanonicalizationError(f"{role}: empty blank node label", reason="bad-term")
            return f"_:{node}"
        if isinstance(node, Literal) and role == "object":
            datatype = str(node.datatype) if node.datatype is not None else None
            if datatype is not None and _iri_problem(datatype):
                raise CanonicalizationError(f"datatype: {_iri_problem(datatype)}", reason="bad-term")
            if node.language is not None and not _LANG_TAG.fullmatch(node.language):
                raise CanonicalizationError(f"bad language tag {node.language!r}", reason="bad-term")
            surrogate = _SURROGATE.search(node)
            if surrogate:
                raise CanonicalizationError(
                    f"a literal holds {_describe(surrogate.group())}, a lone surrogate", reason="bad-term"
                )
            return _literal(str(node), node.language, datatype)
        raise CanonicalizationError(f"{role}: {node!r} cannot be a {role} of a quad", reason="bad-term")

    found: dict[Quad, None] = {}
    for quad in quads:
        if len(quad) not in (3, 4):
            raise CanonicalizationError(f"a quad has 3 or 4 terms, not {len(quad)}", reason="bad-term")
        graph = quad[3] if len(quad) == 4 else None
        graph = getattr(graph, "identifier", graph)  # an rdflib Graph as context
        if graph is None or (isinstance(graph, URIRef) and str(graph) == _RDFLIB_DEFAULT_GRAPH):
            name = ""
        else:
            name = term(graph, "graph")
        found[(term(quad[0], "subject"), term(quad[1], "predicate"), term(quad[2], "object"), name)] = None
        if len(found) > max_quads:
            raise _too_many_quads(max_quads)
    return list(found)


# The algorithm


def _hash_function(name: str) -> Callable[..., Any]:
    key = name.upper().replace("-", "")
    if key not in HASH_ALGORITHMS:
        raise ConfigError(f"unknown hash algorithm {name!r}", expected=" or ".join(HASH_ALGORITHMS))
    return HASH_ALGORITHMS[key]


def _line(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"


_Issuer = dict[str, str]
"""A temporary identifier issuer: blank node → ``_:bN``; its counter is its length."""
_Request = tuple[str, _Issuer]
_NDegree = Generator[_Request, tuple[str, _Issuer], tuple[str, _Issuer]]


class _Run:
    """One canonicalization: the state of RDFC-1.0 §4.4 and the work counters."""

    def __init__(self, quads: list[Quad], limits: Limits, hash_algorithm: str) -> None:
        self.quads = quads
        self.limits = limits
        self.hash = _hash_function(hash_algorithm)
        self.deadline = time.monotonic() + limits.max_seconds
        self.calls = 0
        self.perms = 0
        self.depth = 0
        self.node_quads: dict[str, list[Quad]] = {}
        self.first: dict[str, str] = {}
        self.canon: dict[str, str] = {}

    def run(self) -> Canonical:
        if len(self.quads) > self.limits.max_quads:
            raise _too_many_quads(self.limits.max_quads)
        node_quads = self.node_quads
        for quad in self.quads:  # §4.4.3 step 2
            for term in (quad[0], quad[2], quad[3]):
                if term[:2] == "_:":
                    listed = node_quads.get(term)
                    if listed is None:
                        node_quads[term] = [quad]
                    elif listed[-1] is not quad:
                        listed.append(quad)
        if len(node_quads) > self.limits.max_blank_nodes:
            raise CanonicalizationError(
                f"canonicalization refused: the dataset has more than {self.limits.max_blank_nodes} blank nodes",
                reason="too-many-blank-nodes",
            )
        by_hash: dict[str, list[str]] = {}
        for node in node_quads:  # step 3
            digest = self.first[node] = self._first_degree(node)
            by_hash.setdefault(digest, []).append(node)
        canon = self.canon
        shared = []
        for digest in sorted(by_hash):  # step 4
            nodes = by_hash[digest]
            if len(nodes) == 1:
                canon[nodes[0]] = f"_:c14n{len(canon)}"
            else:
                shared.append(nodes)
        for nodes in shared:  # step 5
            paths = []
            for node in nodes:
                if node not in canon:
                    paths.append(self._n_degree(node, {node: "_:b0"}))
            paths.sort(key=lambda result: result[0])
            for _, issuer in paths:
                for node in issuer:
                    if node not in canon:
                        canon[node] = f"_:c14n{len(canon)}"
        lines = sorted(  # step 6
            _line(
                canon.get(s, s),
                p,
                canon.get(o, o) if o[:2] == "_:" else o,
                canon.get(g, g) if g[:2] == "_:" else g,
            )
            for s, p, o, g in self.quads
        )
        return Canonical(
            nquads="".join(lines),
            issued={node[2:]: label[2:] for node, label in canon.items()},
            ndegree_calls=self.calls,
            permutations=self.perms,
            depth=self.depth,
        )

    def _first_degree(self, node: str) -> str:
        """Hash First Degree Quads (§4.6)."""
        lines = []
        for s, p, o, g in self.node_quads[node]:
            if s[:2] == "_:":
                s = "_:a" if s == node else "_:z"
            if o[:2] == "_:":
                o = "_:a" if o == node else "_:z"
            if g[:2] == "_:":
                g = "_:a" if g == node else "_:z"
            lines.append(_line(s, p, o, g))
        lines.sort()
        digest: str = self.hash("".join(lines).encode("utf-8")).hexdigest()
        return digest

    def _related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        """Hash Related Blank Node (§4.7); ``predicate`` is already ``<iri>``."""
        label = self.canon.get(related) or issuer.get(related) or self.first[related]
        text = position + label if position == "g" else position + predicate + label
        digest: str = self.hash(text.encode("utf-8")).hexdigest()
        return digest

    def _n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """Hash N-Degree Quads (§4.8) on an explicit stack: each frame is a generator that
        yields the (related, issuer) it needs hashed and is sent back the result."""
        stack = [self._n_degree_frame(node, issuer)]
        self.depth = max(self.depth, 1)
        answer: Any = None
        while True:
            try:
                request = stack[-1].send(answer)
            except StopIteration as done:
                stack.pop()
                if not stack:
                    return done.value  # type: ignore[no-any-return]
                answer = done.value
            else:
                if len(stack) >= self.limits.max_depth:
                    raise CanonicalizationError(
                        f"canonicalization refused: the graph needs Hash N-Degree Quads nested more than "
                        f"{self.limits.max_depth} deep (long chains of look-alike blank nodes)",
                        reason="too-deep",
                    )
                stack.append(self._n_degree_frame(*request))
                self.depth = max(self.depth, len(stack))
                answer = None

    def _n_degree_frame(self, node: str, issuer: _Issuer) -> _NDegree:
        self.calls += 1
        limits = self.limits
        if self.calls > limits.max_ndegree_calls:
            raise CanonicalizationError(
                f"canonicalization refused: the graph needs more than {limits.max_ndegree_calls} deep hashing "
                "steps (Hash N-Degree Quads calls); a blank-node clique or another poison graph?",
                reason="too-many-ndegree-calls",
            )
        self._check_clock()
        canon = self.canon
        to_related: dict[str, list[str]] = {}
        for s, p, o, g in self.node_quads[node]:  # steps 1-3
            if s[:2] == "_:" and s != node:
                to_related.setdefault(self._related(s, p, issuer, "s"), []).append(s)
            if o[:2] == "_:" and o != node:
                to_related.setdefault(self._related(o, p, issuer, "o"), []).append(o)
            if g[:2] == "_:" and g != node:
                to_related.setdefault(self._related(g, p, issuer, "g"), []).append(g)
        data = self.hash()
        for related_hash in sorted(to_related):  # step 5
            data.update(related_hash.encode("ascii"))
            chosen_path = ""
            chosen_issuer = issuer
            for permutation in permutations(to_related[related_hash]):
                self.perms += 1
                if self.perms > limits.max_permutations:
                    raise CanonicalizationError(
                        f"canonicalization refused: the graph needs more than {limits.max_permutations} "
                        "permutations of look-alike blank nodes; a blank-node clique or another poison graph?",
                        reason="too-many-permutations",
                    )
                self._check_clock()
                copy = dict(issuer)
                path = ""
                recursion = []
                for related in permutation:
                    label = canon.get(related)
                    if label is None:
                        label = copy.get(related)
                        if label is None:
                            recursion.append(related)
                            label = copy[related] = f"_:b{len(copy)}"
                    path += label
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        break
                else:
                    for related in recursion:
                        result_hash, result_issuer = yield related, copy
                        path += f"{copy[related]}<{result_hash}>"
                        copy = result_issuer
                        if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                            break
                    else:
                        if not chosen_path or path < chosen_path:
                            chosen_path = path
                            chosen_issuer = copy
            data.update(chosen_path.encode("utf-8"))
            issuer = chosen_issuer
        return data.hexdigest(), issuer

    def _check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise CanonicalizationError(
                f"canonicalization refused: still running after {self.limits.max_seconds:g} s",
                reason="time-limit",
            )


# Public entry points


def canonicalize(
    data: str | bytes | Iterable[tuple[Any, ...]],
    *,
    limits: Limits = DEFAULT_LIMITS,
    hash_algorithm: str = "SHA256",
    source: str | None = None,
) -> Canonical:
    """Canonicalize N-Quads text (``str`` or UTF-8 ``bytes``) or quads of rdflib terms.

    rdflib quads are ``(s, p, o)`` or ``(s, p, o, g)``; ``g`` may be ``None``, a graph
    name, an rdflib ``Graph`` (its identifier is used) or rdflib's default graph
    identifier. ``source`` names the text in syntax errors.
    """
    if isinstance(data, (str, bytes, bytearray)):
        quads = parse_nquads(data, max_quads=limits.max_quads, source=source)
    else:
        quads = _from_rdflib(data, limits.max_quads)
    return _Run(quads, limits, hash_algorithm).run()


def canonize_nquads(
    text: str | bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    hash_algorithm: str = "SHA256",
    source: str | None = None,
) -> str:
    """The canonical N-Quads of an N-Quads document."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise TypeError(f"canonize_nquads() takes N-Quads text, not {type(text).__name__}")
    return canonicalize(text, limits=limits, hash_algorithm=hash_algorithm, source=source).nquads


def canonize(
    quads: Iterable[tuple[Any, ...]], *, limits: Limits = DEFAULT_LIMITS, hash_algorithm: str = "SHA256"
) -> str:
    """The canonical N-Quads of quads of rdflib terms (an rdflib ``Dataset.quads()``, triples…).

    rdflib normalizes the lexical form of typed literals it builds by default
    (``rdflib.NORMALIZE_LITERALS``: ``"2011-01-25T00:00:00Z"`` becomes ``…+00:00``), so a graph
    parsed by rdflib may not give the canonical form of its source; sign and verify with
    :func:`canonize_nquads` on the JSON-LD processor's N-Quads.
    """
    if isinstance(quads, (str, bytes, bytearray)):
        raise TypeError("canonize() takes quads of rdflib terms; use canonize_nquads() for N-Quads text")
    return canonicalize(quads, limits=limits, hash_algorithm=hash_algorithm).nquads


def issued_identifiers(
    data: str | bytes | Iterable[tuple[Any, ...]],
    *,
    limits: Limits = DEFAULT_LIMITS,
    hash_algorithm: str = "SHA256",
) -> dict[str, str]:
    """The issued identifiers map: each input blank node label → its canonical label."""
    return canonicalize(data, limits=limits, hash_algorithm=hash_algorithm).issued
