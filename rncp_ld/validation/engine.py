"""A compiled SHACL Core evaluator: shapes become closures, the data graph a pair of dicts.

pySHACL walks the shapes graph and queries an rdflib store for every constraint of every
focus node (0.1–0.5 s for one fiche). This engine reads the shapes once into
:class:`Shape` objects whose constraints are plain Python closures, indexes each data
graph as ``subject → predicate → values`` (plus the inverse for the few predicates that
the shapes walk backwards or target), and evaluates in one pass: about a millisecond
for a fiche.

Supported: all of SHACL Core — targets (``targetNode``, ``targetClass`` with
``rdfs:subClassOf`` in the data, implicit class targets, ``targetSubjectsOf``,
``targetObjectsOf``), every property path form, and the constraint components
``class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive
maxInclusive minLength maxLength pattern (flags i m s x q) languageIn uniqueLang equals
disjoint lessThan lessThanOrEquals not and or xone node property qualifiedValueShape
(qualifiedMinCount, qualifiedMaxCount, qualifiedValueShapesDisjoint) closed
(ignoredProperties) hasValue in``, with ``severity``, ``message`` and ``deactivated``.

Outside it (:func:`unsupported` names the first feature found): SHACL-SPARQL
(``sh:sparql``, SPARQL-based constraint components), SHACL Advanced Features
(``sh:target``, rules, node expressions, functions), SHACL-JS, and recursive shapes.
:mod:`rncp_ld.validation.shapes` hands such shapes graphs to pySHACL instead.

Results follow pySHACL's reading of the spec where the spec leaves room (a node shape
conforms when it yields no result at all, warnings included; ill-typed literals never
match their datatype; ``rdfs:Literal`` as a datatype accepts any literal); a test runs
both engines on the same graphs and compares every result.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import _SH
from rdflib.term import Node

from ..namespaces import OWL, RDF, RDFS, XSD, Terms

__all__ = [
    "SH",
    "SH_NS",
    "Data",
    "Program",
    "Result",
    "ShapesError",
    "Unsupported",
    "compile_shapes",
    "unsupported",
]

SH_NS = str(_SH.SH._NS)
SH = Terms(_SH.SH)
"""The SHACL vocabulary, as plain attributes (Python keywords below)."""
SH_AND, SH_CLASS, SH_IN, SH_NOT, SH_OR, SH_VALUES = (
    URIRef(SH_NS + name) for name in ("and", "class", "in", "not", "or", "values")
)

Triple = tuple[Node, Node, Node]

_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
_EMPTY: dict[str, Any] = {}
_NONE: tuple[()] = ()


class ShapesError(ValueError):
    """The shapes graph is malformed (a shape with two paths, a count that is not an integer...)."""


class Unsupported(Exception):
    """The shapes graph uses a feature outside the SHACL Core subset of this engine."""


class Result(NamedTuple):
    """One validation result, as the terms of the shapes and data graphs."""

    focus: Node
    path: Node | None
    """``sh:resultPath``: the shape's path (a node of the shapes graph), or the predicate for ``sh:closed``."""
    value: Node | None
    shape: Node
    severity: Node
    component: URIRef
    messages: tuple[Literal, ...]
    """``sh:message`` of the shape, or one default message."""


# Data


class Data:
    """A data graph indexed for validation.

    ``out[s][p]`` lists the objects of ``s`` for predicate ``p`` (no duplicates), ``inv[p][o]``
    the subjects, for the predicates that the shapes walk backwards; ``classes[s]`` lists the
    classes of ``s``. Predicates and classes are plain strings, so that looking up an IRI of
    the shapes graph in the data is a C-level string comparison (rdflib terms compare in
    Python). ``memo`` caches whether a node conforms to a shape.
    """

    __slots__ = ("_subclasses", "_supers", "by_class", "classes", "inv", "memo", "out", "subclass_of")

    def __init__(
        self, triples: Iterable[Triple] | Graph, inverse: Iterable[str] = (), *, unique: bool = False
    ) -> None:
        out: dict[Node, dict[str, list[Node]]] = {}
        inv: dict[str, dict[Node, list[Node]]] = {p: {} for p in inverse}
        classes: dict[Node, list[str]] = {}
        by_class: dict[str, list[Node]] = {}
        subclass_of: dict[str, list[str]] = {}
        if not unique:
            # Per-fiche graphs repeat the same triple objects (shared nodes, vocabulary closures):
            # drop those by identity here, equal copies below, list by list.
            triples = list({id(t): t for t in triples}.values())
        for s, term, o in triples:
            p = str(term)
            po = out.get(s)
            if po is None:
                out[s] = {p: [o]}
            else:
                values = po.get(p)
                if values is None:
                    po[p] = [o]
                else:
                    values.append(o)
            if p == _TYPE:
                c = str(o)
                classes.setdefault(s, []).append(c)
                by_class.setdefault(c, []).append(s)
            elif p == _SUBCLASS:
                subclass_of.setdefault(str(s), []).append(str(o))
            by_object = inv.get(p)
            if by_object is not None:
                subjects = by_object.get(o)
                if subjects is None:
                    by_object[o] = [s]
                else:
                    subjects.append(s)
        if not unique:
            indexes: list[dict[Any, list[Any]]] = [*out.values(), *inv.values(), classes, by_class]
            for index in indexes:
                for key, values in index.items():
                    if len(values) > 1:
                        index[key] = list(dict.fromkeys(values))
        self.out = out
        self.inv = inv
        self.classes = classes
        self.by_class = by_class
        self.subclass_of = subclass_of
        self.memo: dict[tuple[int, Node], bool] = {}
        self._supers: dict[str, set[str]] = {}
        self._subclasses: dict[str, list[str]] = {}

    @classmethod
    def from_graph(cls, graph: Graph, inverse: Iterable[str] = ()) -> Data:
        """Index an rdflib graph (its triples are already unique)."""
        return cls(graph, inverse, unique=True)

    def objects(self, s: Node, p: str) -> Sequence[Node]:
        values: Sequence[Node] = self.out.get(s, _EMPTY).get(p, _NONE)
        return values

    def has_class(self, node: Node, cls: str) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls`` in the data graph."""
        types = self.classes.get(node)
        if not types:
            return False
        if cls in types:
            return True
        if not self.subclass_of:
            return False
        return any(cls in self.superclasses(t) for t in types)

    def superclasses(self, cls: str) -> set[str]:
        """``cls`` and every class it is a ``rdfs:subClassOf*`` of."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.subclass_of.get(todo.pop(), _NONE):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return found

    def instances(self, cls: str) -> list[Node]:
        """Subjects typed ``cls`` or one of its subclasses in the data graph."""
        if not self.subclass_of:
            return list(self.by_class.get(cls, _NONE))
        classes = self._subclasses.get(cls)
        if classes is None:
            classes = self._subclasses[cls] = [
                c for c in {*self.subclass_of, cls} if cls in self.superclasses(c)
            ]
        return list(dict.fromkeys(s for c in classes for s in self.by_class.get(c, _NONE)))


# Paths

PathFn = Callable[[Data, Node], Sequence[Node]]


def _unique(nodes: Iterable[Node]) -> list[Node]:
    return list(dict.fromkeys(nodes))


class _PathCompiler:
    """Compiles a SHACL property path into a function ``(data, focus) → value nodes``."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.inverse: set[str] = set()
        """Predicates the compiled paths walk backwards."""

    def compile(self, node: Node, inverse: bool = False) -> PathFn:
        g = self.graph
        if isinstance(node, URIRef):
            p = str(node)
            if inverse:
                self.inverse.add(p)
                return lambda data, f: data.inv[p].get(f, _NONE)
            return lambda data, f: data.out.get(f, _EMPTY).get(p, _NONE)
        if not isinstance(node, BNode):
            raise ShapesError(f"a property path cannot be the literal {node.n3()}")
        if (node, RDF.first, None) in g:
            steps = [self.compile(step, inverse) for step in _items(g, node)]
            if len(steps) < 2:
                raise ShapesError("a sequence path needs at least two members")
            if inverse:
                steps.reverse()
            return _sequence(steps)
        kinds = {p: o for p, o in g.predicate_objects(node) if p in _PATH_KINDS}
        if len(kinds) != 1:
            raise ShapesError(f"cannot read the property path {node.n3()}")
        kind, inner = next(iter(kinds.items()))
        if kind == SH.inversePath:
            return self.compile(inner, not inverse)
        if kind == SH.alternativePath:
            options = [self.compile(step, inverse) for step in _items(g, inner)]
            return lambda data, f: _unique(v for option in options for v in option(data, f))
        step = self.compile(inner, inverse)
        if kind == SH.zeroOrMorePath:
            return lambda data, f: _closure(step, data, f, True)
        if kind == SH.oneOrMorePath:
            return lambda data, f: _closure(step, data, f, False)
        return lambda data, f: _unique((f, *step(data, f)))  # zeroOrOnePath


def _sequence(steps: list[PathFn]) -> PathFn:
    def follow(data: Data, f: Node) -> list[Node]:
        nodes: list[Node] = [f]
        for step in steps:
            nodes = _unique(v for n in nodes for v in step(data, n))
        return nodes

    return follow


def _closure(step: PathFn, data: Data, f: Node, reflexive: bool) -> list[Node]:
    found: dict[Node, None] = {f: None} if reflexive else {}
    todo = [f]
    while todo:
        for v in step(data, todo.pop()):
            if v not in found:
                found[v] = None
                todo.append(v)
    return list(found)


def _items(graph: Graph, node: Node) -> list[Node]:
    if node == RDF.nil:
        return []
    if not isinstance(node, BNode) and (node, RDF.first, None) not in graph:
        raise ShapesError(f"{_n3(node)} is not an RDF list")
    return list(Collection(graph, node))


def path_label(graph: Graph, node: Node) -> str:
    """A property path as text: the IRI of a predicate path, SPARQL syntax otherwise (``^<p>``, ``<a>/<b>``)."""
    if isinstance(node, URIRef):
        return str(node)
    return _path_sparql(graph, node, top=True)


def _path_sparql(graph: Graph, node: Node, top: bool = False) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in graph:
        text = "/".join(_path_sparql(graph, n) for n in Collection(graph, node))
        return text if top else f"({text})"
    for kind, inner in graph.predicate_objects(node):
        if kind == SH.inversePath:
            return "^" + _path_sparql(graph, inner)
        if kind == SH.alternativePath:
            text = "|".join(_path_sparql(graph, n) for n in Collection(graph, inner))
            return text if top else f"({text})"
        suffix = _PATH_KINDS.get(kind) if isinstance(kind, URIRef) else None
        if suffix:
            text = _path_sparql(graph, inner)
            return (f"({text})" if text.startswith("^") else text) + suffix
    return _n3(node)


_PATH_KINDS: dict[URIRef, str] = {
    SH.inversePath: "^",
    SH.alternativePath: "|",
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}


# Constraints

Failure = tuple[Node | None, Node | None, str | None]
"""(value node or None, result path replacing the shape's or None, default message replacing the constraint's or None)."""

Check = Callable[[Data, Node, Sequence[Node]], list[Failure]]


class Constraint(NamedTuple):
    component: URIRef
    check: Check
    message: str
    """Default message when the shape has no ``sh:message``."""
    on_empty: bool = False
    """The check can fail when there is no value node (``minCount``, ``hasValue``...)."""


def _each(ok: Callable[[Node], bool]) -> Check:
    """A check failing each value node for which ``ok`` is false."""

    def check(data: Data, focus: Node, values: Sequence[Node]) -> list[Failure]:
        return [(v, None, None) for v in values if not ok(v)]

    return check


_NO_VALUE: list[Failure] = [(None, None, None)]
"""The one failure of a focus node (no value node: counts, ``hasValue``)."""


def _count(n: int, *, at_least: bool) -> Check:
    def check(data: Data, focus: Node, values: Sequence[Node]) -> list[Failure]:
        return _NO_VALUE if (len(values) < n if at_least else len(values) > n) else []

    return check


def _has_value(value: Node) -> Check:
    def check(data: Data, focus: Node, values: Sequence[Node]) -> list[Failure]:
        return [] if value in values else _NO_VALUE

    return check


def _kind_of(types: tuple[type, ...]) -> Callable[[Node], bool]:
    return lambda v: isinstance(v, types)


def _length(n: int, *, at_least: bool) -> Callable[[Node], bool]:
    """pySHACL's string length: blank nodes fail, ``minLength 0`` passes everything."""
    if at_least:
        return lambda v: n == 0 or (not isinstance(v, BNode) and len(str(v)) >= n)
    return lambda v: not isinstance(v, BNode) and len(str(v)) <= n


def _matches(rx: re.Pattern[str]) -> Callable[[Node], bool]:
    return lambda v: not isinstance(v, BNode) and rx.search(str(v)) is not None


def _pair_order(other: str, strict: bool) -> Check:
    def check(data: Data, focus: Node, values: Sequence[Node]) -> list[Failure]:
        return _ordered(values, data.objects(focus, other), strict)

    return check


def _qualified(target: Shape, siblings: list[Shape], n: int, *, at_least: bool) -> Check:
    """Values conforming to ``target`` and to no sibling shape, counted against ``n``."""

    def check(data: Data, focus: Node, values: Sequence[Node]) -> list[Failure]:
        count = sum(
            1 for v in values if target.conforms(data, v) and not any(s.conforms(data, v) for s in siblings)
        )
        return _NO_VALUE if (count < n if at_least else count > n) else []

    return check


_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _datatype(dt: Node) -> Callable[[Node], bool]:
    """Like pySHACL: same datatype IRI, well-typed, and of the expected Python type for common XSD types."""
    python = _PYTHON_TYPES.get(dt, object)
    if dt == RDFS.Literal:
        return lambda v: isinstance(v, Literal)
    if dt == RDFS.Datatype:
        return lambda v: isinstance(v, Literal) and v.datatype is not None

    name = str(dt)
    plain = dt == XSD.string
    tagged = dt == RDF.langString

    def ok(v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        vdt = v.datatype
        if vdt is None:
            if v.language is None:
                return plain and isinstance(v.value, python)
            return tagged and isinstance(v.value, python)
        if str(vdt) == name:  # a C-level comparison (rdflib terms compare in Python)
            return v.ill_typed is not True and isinstance(v.value, python)
        return False

    return ok


_KINDS: dict[URIRef, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


_PLAIN_ORDER = (int, Decimal, float, date)
"""Python types of literal values that compare like rdflib compares their literals."""


def _compare(v: Node, bound: Literal) -> int | None:
    """pySHACL's comparison of a value node with a range bound: -1, 0, 1, or None when incomparable."""
    if not isinstance(v, Literal):
        return None
    value, limit = v.value, bound.value
    kind = type(value)
    if kind is type(limit) and kind in _PLAIN_ORDER and v.ill_typed is not True:
        return 0 if value == limit else 1 if value > limit else -1
    if isinstance(value, str) != isinstance(limit, str):
        return None
    try:
        if v.eq(bound):
            return 0
        if v.value.__class__ in (datetime, time):
            return 0 if v.value == bound.value else 1 if v.value > bound.value else -1
        return 1 if v > bound else -1
    except (TypeError, NotImplementedError):
        return None


def _string(v: Node) -> str:
    return str(v)


def _lang_matches(ranges: set[str]) -> Callable[[Node], bool]:
    """RFC 4647 basic filtering, case-insensitive; ``*`` matches any language."""

    def ok(v: Node) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        if "*" in ranges:
            return True
        lang = v.language.lower()
        while True:
            if lang in ranges:
                return True
            cut = lang.rfind("-")
            if cut < 0:
                return False
            lang = lang[:cut]

    return ok


def _pattern(pattern: Literal, flags: str) -> re.Pattern[str]:
    """The Python regex of an XPath ``sh:pattern`` with ``sh:flags`` (i m s x q).

    A pattern Python cannot compile is read as Java syntax (as in the official ELM shapes):
    ``\\p{L}``-style categories, nested class unions ``[a[b]]`` and a leading ``(?i)``.
    """
    text = str(pattern)
    options = 0
    for flag, option in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if flag in flags:
            options |= option
    if "q" in flags:
        text = re.escape(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": Java syntax, handled below
        try:
            return re.compile(text, options)
        except re.error as error:
            try:
                return re.compile(_from_java(text), options)
            except (re.error, ValueError):
                raise ShapesError(
                    f"sh:pattern {text!r} is not a regular expression Python can run: {error}"
                ) from None


def _from_java(text: str) -> str:
    """Rewrite the Java-only parts of a regular expression for Python's ``re``."""
    out: list[str] = []
    flags = ""
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            if text[i + 1] in "pP" and text.startswith("{", i + 2):
                end = text.index("}", i)
                body = _categories(text[i + 3 : end])
                if depth and text[i + 1] == "P":
                    raise ValueError("negated category inside a class")
                out.append(body if depth else f"[{'^' if text[i + 1] == 'P' else ''}{body}]")
                i = end + 1
                continue
            out.append(text[i : i + 2])
            i += 2
            continue
        if c == "[":
            depth += 1
            i += 1
            if depth == 1:
                out.append("[")
                if text.startswith("^", i):
                    out.append("^")
                    i += 1
            continue
        if c == "]" and depth:
            depth -= 1
            if depth == 0:
                out.append("]")
            i += 1
            continue
        if c == "(" and not depth and "".join(out) in ("", "^"):
            m = re.match(r"\(\?([imsx]+)\)", text[i:])
            if m:
                flags += m.group(1)
                i += m.end()
                continue
        out.append(c)
        i += 1
    return (f"(?{flags})" if flags else "") + "".join(out)


@functools.cache
def _categories(name: str) -> str:
    """A character-class body (ranges) for the Unicode general category ``name`` (``L``, ``Nd``...)."""
    codes = sorted(
        c for category, found in _category_table().items() if category.startswith(name) for c in found
    )
    if not re.fullmatch(r"[A-Z][a-z]?", name) or not codes:
        raise ValueError(f"unsupported category {name}")
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )


@functools.lru_cache(maxsize=1)
def _category_table() -> dict[str, list[int]]:
    table: dict[str, list[int]] = {}
    category = unicodedata.category
    for code in range(sys.maxunicode + 1):
        table.setdefault(category(chr(code)), []).append(code)
    return table


def _comparable(node: Node) -> tuple[Any, bool]:
    """What pySHACL compares for lessThan(OrEquals): IRIs and string literals as text, other literals as terms."""
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def _ordered(values: Sequence[Node], others: Sequence[Node], strict: bool) -> list[Failure]:
    """One failure per (value, other) pair that is out of order or incomparable."""
    failures: list[Failure] = []
    for v in values:
        left, left_text = _comparable(v)
        for o in others:
            right, right_text = _comparable(o)
            try:
                ok = (
                    left_text == right_text
                    and not isinstance(v, BNode)
                    and not isinstance(o, BNode)
                    and bool(left < right if strict else left <= right)
                )
            except TypeError:
                ok = False
            if not ok:
                failures.append((v, None, None))
    return failures


# Shapes


class Shape:
    """A compiled node or property shape."""

    __slots__ = (
        "constraints",
        "deactivated",
        "index",
        "is_property",
        "messages",
        "node",
        "path",
        "path_node",
        "properties",
        "severity",
        "skip_empty",
    )

    def __init__(self, node: Node, index: int) -> None:
        self.node = node
        self.index = index
        self.is_property = False
        self.path: PathFn | None = None
        self.path_node: Node | None = None
        self.severity: Node = SH.Violation
        self.messages: tuple[Literal, ...] = ()
        self.deactivated = False
        self.constraints: list[Constraint] = []
        self.properties: list[Shape] = []
        self.skip_empty = True
        """No constraint can fail without value nodes: a focus without values conforms."""

    def value_nodes(self, data: Data, focus: Node) -> Sequence[Node]:
        return self.path(data, focus) if self.path is not None else (focus,)

    def validate(self, data: Data, focus: Node, out: list[Result]) -> None:
        """Append the results of ``focus`` against this shape to ``out``."""
        if self.deactivated:
            return
        values = self.path(data, focus) if self.path is not None else (focus,)
        if not values and self.skip_empty:
            return
        for constraint in self.constraints:
            failures = constraint.check(data, focus, values)
            if failures:
                for value, path, message in failures:
                    out.append(
                        Result(
                            focus,
                            self.path_node if path is None else path,
                            value,
                            self.node,
                            self.severity,
                            constraint.component,
                            self.messages or (Literal(message or constraint.message),),
                        )
                    )
        if values:
            for prop in self.properties:
                for v in values:
                    prop.validate(data, v, out)

    def conforms(self, data: Data, focus: Node) -> bool:
        """True when ``focus`` gives no result at all against this shape (memoized per data graph)."""
        if self.deactivated:
            return True
        key = (self.index, focus)
        known = data.memo.get(key)
        if known is None:
            known = data.memo[key] = self._conforms(data, focus)
        return known

    def _conforms(self, data: Data, focus: Node) -> bool:
        values = self.path(data, focus) if self.path is not None else (focus,)
        if not values and self.skip_empty:
            return True
        for constraint in self.constraints:
            if constraint.check(data, focus, values):
                return False
        for prop in self.properties:
            for v in values:
                if not prop.conforms(data, v):
                    return False
        return True


Targets = Callable[[Data], Iterable[Node]]


class Program:
    """Compiled shapes: the root shapes with their targets, ready to validate data graphs."""

    def __init__(
        self, roots: list[tuple[Shape, Targets]], inverse: frozenset[str], shapes: dict[Node, Shape]
    ) -> None:
        self.roots = roots
        self.inverse = inverse
        """Predicates to index backwards (inverse paths, ``targetObjectsOf``)."""
        self.shapes = shapes

    def index(self, triples: Iterable[Triple], *, unique: bool = False) -> Data:
        return Data(triples, self.inverse, unique=unique)

    def validate(self, data: Data | Graph | Iterable[Triple]) -> list[Result]:
        """Every result of the data graph (a :class:`Data`, an rdflib graph or triples)."""
        if isinstance(data, Graph):
            data = Data.from_graph(data, self.inverse)
        elif not isinstance(data, Data):
            data = Data(data, self.inverse)
        out: list[Result] = []
        for shape, targets in self.roots:
            for focus in targets(data):
                shape.validate(data, focus, out)
        return out


# Compilation

_FALLBACK_PREDICATES = {
    SH.sparql: "SPARQL-based constraints (sh:sparql)",
    SH.target: "custom targets (sh:target, SHACL Advanced Features)",
    SH.rule: "rules (sh:rule, SHACL Advanced Features)",
    SH.expression: "node expressions (sh:expression, SHACL Advanced Features)",
    SH.parameter: "custom constraint components (sh:parameter)",
    SH.validator: "custom constraint components (sh:validator)",
    SH.nodeValidator: "custom constraint components (sh:nodeValidator)",
    SH.propertyValidator: "custom constraint components (sh:propertyValidator)",
    SH.js: "SHACL-JS constraints (sh:js)",
    SH.jsFunctionName: "SHACL-JS (sh:jsFunctionName)",
    SH_VALUES: "node expressions (sh:values, SHACL Advanced Features)",
}
_FALLBACK_TYPES = {
    SH.ConstraintComponent: "custom constraint components (sh:ConstraintComponent)",
    SH.SPARQLConstraint: "SPARQL-based constraints (sh:SPARQLConstraint)",
    SH.SPARQLTarget: "SPARQL-based targets (sh:SPARQLTarget)",
    SH.SPARQLTargetType: "SPARQL-based target types (sh:SPARQLTargetType)",
    SH.SPARQLFunction: "SHACL functions (sh:SPARQLFunction)",
    SH.SPARQLRule: "rules (sh:SPARQLRule)",
    SH.TripleRule: "rules (sh:TripleRule)",
    SH.JSConstraint: "SHACL-JS constraints (sh:JSConstraint)",
    SH.JSTarget: "SHACL-JS targets (sh:JSTarget)",
    SH.JSFunction: "SHACL-JS functions (sh:JSFunction)",
}


def unsupported(graph: Graph) -> str | None:
    """The first feature of ``graph`` outside this engine's SHACL Core subset, or None."""
    for predicate, feature in _FALLBACK_PREDICATES.items():
        if (None, predicate, None) in graph:
            return feature
    for cls, feature in _FALLBACK_TYPES.items():
        if (None, RDF.type, cls) in graph:
            return feature
    return None


_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


def compile_shapes(graph: Graph) -> Program:
    """Compile every shape of ``graph`` that has a target, and the shapes they use.

    Raises:
        Unsupported: the graph uses a feature outside SHACL Core, or recursive shapes.
        ShapesError: the graph is not a well-formed shapes graph.
    """
    feature = unsupported(graph)
    if feature:
        raise Unsupported(feature)
    return _Compiler(graph).program()


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.paths = _PathCompiler(graph)
        self.shapes: dict[Node, Shape] = {}
        self.building: list[Node] = []
        self.counter = itertools.count()
        self.objects_of: set[str] = set()
        class_types = {RDFS.Class, OWL.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
        self.implicit = {
            s
            for s in graph.subjects(RDF.type, None)
            if any((s, RDF.type, t) in graph for t in _SHAPE_TYPES)
            and any((s, RDF.type, t) in graph for t in class_types)
        }

    def program(self) -> Program:
        g = self.g
        roots_nodes = {s for p in _TARGETS for s in g.subjects(p, None)} | self.implicit
        roots = []
        for node in sorted(roots_nodes, key=_sort_key):
            shape = self.shape(node)
            roots.append((shape, self.targets(node)))
        inverse = frozenset(self.paths.inverse | self.objects_of)
        return Program(roots, inverse, self.shapes)

    def targets(self, node: Node) -> Targets:
        g = self.g
        nodes = tuple(g.objects(node, SH.targetNode))
        classes = tuple(str(c) for c in g.objects(node, SH.targetClass))
        if node in self.implicit:
            classes = (*classes, str(node))
        subjects_of = tuple(str(p) for p in g.objects(node, SH.targetSubjectsOf))
        objects_of = tuple(str(p) for p in g.objects(node, SH.targetObjectsOf))
        self.objects_of.update(objects_of)

        if classes and not (nodes or subjects_of or objects_of) and len(classes) == 1:
            cls = classes[0]
            return lambda data: data.instances(cls)

        def find(data: Data) -> list[Node]:
            found: dict[Node, None] = dict.fromkeys(nodes)
            for c in classes:
                found.update(dict.fromkeys(data.instances(c)))
            for p in subjects_of:
                found.update((s, None) for s, po in data.out.items() if p in po)
            for p in objects_of:
                found.update((o, None) for by_o in (data.inv[p],) for o in by_o)
            return list(found)

        return find

    def shape(self, node: Node) -> Shape:
        known = self.shapes.get(node)
        if known is not None:
            return known
        if node in self.building:
            cycle = " → ".join(_n3(n) for n in [*self.building[self.building.index(node) :], node])
            raise Unsupported(f"recursive shapes ({cycle})")
        self.building.append(node)
        try:
            shape = self._build(node)
        finally:
            self.building.pop()
        self.shapes[node] = shape
        return shape

    def _one(self, node: Node, p: URIRef) -> Node | None:
        values = sorted(self.g.objects(node, p), key=_sort_key)
        return values[0] if values else None

    def _int(self, node: Node, p: URIRef) -> int | None:
        value = self._one(node, p)
        if value is None:
            return None
        if (
            not isinstance(value, Literal)
            or not isinstance(value.value, int)
            or isinstance(value.value, bool)
        ):
            raise ShapesError(f"{_n3(node)}: {_n3(p)} must be an integer, not {_n3(value)}")
        return value.value

    def _build(self, node: Node) -> Shape:
        g = self.g
        shape = Shape(node, next(self.counter))
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise ShapesError(f"{_n3(node)} has more than one sh:path")
        if paths:
            if (node, RDF.type, SH.NodeShape) in g:
                raise ShapesError(f"{_n3(node)} is a sh:NodeShape with a sh:path")
            shape.is_property = True
            shape.path_node = paths[0]
            shape.path = self.paths.compile(paths[0])
        elif (node, RDF.type, SH.PropertyShape) in g:
            raise ShapesError(f"{_n3(node)} is a sh:PropertyShape without sh:path")
        severity = self._one(node, SH.severity)
        if severity is not None:
            shape.severity = severity
        shape.messages = tuple(sorted(g.objects(node, SH.message), key=_sort_key))  # type: ignore[arg-type]
        deactivated = self._one(node, SH.deactivated)
        shape.deactivated = isinstance(deactivated, Literal) and bool(deactivated.value)
        add = shape.constraints.append

        for cls in g.objects(node, SH_CLASS):

            def instance_of(data: Data, f: Node, values: Sequence[Node], c: str = str(cls)) -> list[Failure]:
                return [(v, None, None) for v in values if isinstance(v, Literal) or not data.has_class(v, c)]

            add(
                Constraint(
                    SH.ClassConstraintComponent, instance_of, f"Value is not an instance of {_n3(cls)}"
                )
            )
        for dt in g.objects(node, SH.datatype):
            add(
                Constraint(
                    SH.DatatypeConstraintComponent,
                    _each(_datatype(dt)),
                    f"Value is not a literal of datatype {_n3(dt)}",
                )
            )
        for kind in g.objects(node, SH.nodeKind):
            types = _KINDS.get(kind) if isinstance(kind, URIRef) else None
            if types is None:
                raise ShapesError(f"{_n3(node)}: unknown sh:nodeKind {_n3(kind)}")
            add(
                Constraint(
                    SH.NodeKindConstraintComponent,
                    _each(_kind_of(types)),
                    f"Value is not of node kind {_n3(kind)}",
                )
            )
        self._counts(node, shape)
        self._ranges(node, shape)
        self._strings(node, shape)
        self._pairs(node, shape)
        self._logic(node, shape)
        self._others(node, shape)
        for prop in sorted(g.objects(node, SH.property), key=_sort_key):
            child = self.shape(prop)
            if not child.is_property:
                raise ShapesError(f"{_n3(prop)}, the sh:property of {_n3(node)}, has no sh:path")
            shape.properties.append(child)
        shape.skip_empty = not any(c.on_empty for c in shape.constraints)
        return shape

    def _counts(self, node: Node, shape: Shape) -> None:
        add = shape.constraints.append
        low = self._int(node, SH.minCount)
        if low is not None and low > 0:
            add(
                Constraint(
                    SH.MinCountConstraintComponent,
                    _count(low, at_least=True),
                    f"Less than {low} values",
                    on_empty=True,
                )
            )
        high = self._int(node, SH.maxCount)
        if high is not None:
            add(
                Constraint(
                    SH.MaxCountConstraintComponent,
                    _count(high, at_least=False),
                    f"More than {high} values",
                )
            )

    def _ranges(self, node: Node, shape: Shape) -> None:
        tests: list[tuple[URIRef, URIRef, str, Callable[[int], bool]]] = [
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, ">", lambda c: c > 0),
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, ">=", lambda c: c >= 0),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, "<", lambda c: c < 0),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, "<=", lambda c: c <= 0),
        ]
        for p, component, op, test in tests:
            for bound in self.g.objects(node, p):
                if not isinstance(bound, Literal):
                    raise ShapesError(f"{_n3(node)}: {_n3(p)} must be a literal")

                def ok(v: Node, b: Literal = bound, t: Callable[[int], bool] = test) -> bool:
                    c = _compare(v, b)
                    return c is not None and t(c)

                shape.constraints.append(Constraint(component, _each(ok), f"Value is not {op} {_n3(bound)}"))

    def _strings(self, node: Node, shape: Shape) -> None:
        g, add = self.g, shape.constraints.append
        low = self._int(node, SH.minLength)
        if low is not None:
            add(
                Constraint(
                    SH.MinLengthConstraintComponent,
                    _each(_length(low, at_least=True)),
                    f"String length is less than {low}",
                )
            )
        high = self._int(node, SH.maxLength)
        if high is not None:
            add(
                Constraint(
                    SH.MaxLengthConstraintComponent,
                    _each(_length(high, at_least=False)),
                    f"String length is more than {high}",
                )
            )
        flags = self._one(node, SH.flags)
        for pattern in sorted(g.objects(node, SH.pattern), key=_sort_key):
            if not isinstance(pattern, Literal):
                raise ShapesError(f"{_n3(node)}: sh:pattern must be a literal")
            add(
                Constraint(
                    SH.PatternConstraintComponent,
                    _each(_matches(_pattern(pattern, str(flags or "")))),
                    f"Value does not match pattern '{pattern}'",
                )
            )
        for languages in g.objects(node, SH.languageIn):
            ranges = {str(lang).lower() for lang in _items(g, languages)}
            add(
                Constraint(
                    SH.LanguageInConstraintComponent,
                    _each(_lang_matches(ranges)),
                    f"Language is not in ({', '.join(sorted(ranges))})",
                )
            )
        unique = self._one(node, SH.uniqueLang)
        if isinstance(unique, Literal) and unique.value is True:

            def unique_lang(data: Data, f: Node, values: Sequence[Node]) -> list[Failure]:
                seen: dict[str, int] = {}
                for v in values:
                    if isinstance(v, Literal) and v.language:
                        lang = v.language.lower()
                        seen[lang] = seen.get(lang, 0) + 1
                return [
                    (None, None, f"More than one value in language {lang!r}")
                    for lang, n in seen.items()
                    if n > 1
                ]

            add(
                Constraint(
                    SH.UniqueLangConstraintComponent, unique_lang, "More than one value shares a language"
                )
            )

    def _pairs(self, node: Node, shape: Shape) -> None:
        g, add = self.g, shape.constraints.append
        for p in g.objects(node, SH.equals):

            def equals(data: Data, f: Node, values: Sequence[Node], p: str = str(p)) -> list[Failure]:
                others = data.objects(f, p)
                if len(values) == len(others) and set(values) == set(others):
                    return []
                mine, theirs = set(values), set(others)
                missing: list[Failure] = [(v, None, None) for v in values if v not in theirs]
                return missing + [(o, None, None) for o in others if o not in mine]

            add(
                Constraint(
                    SH.EqualsConstraintComponent,
                    equals,
                    f"Values differ from those of {_n3(p)}",
                    on_empty=True,
                )
            )
        for p in g.objects(node, SH.disjoint):

            def disjoint(data: Data, f: Node, values: Sequence[Node], p: str = str(p)) -> list[Failure]:
                others = data.objects(f, p)
                if not others:
                    return []
                return [(v, None, None) for v in values if v in others]

            add(Constraint(SH.DisjointConstraintComponent, disjoint, f"Value is also a value of {_n3(p)}"))
        for p, component, strict, op in (
            (SH.lessThan, SH.LessThanConstraintComponent, True, "<"),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, False, "<="),
        ):
            for other in g.objects(node, p):
                add(
                    Constraint(
                        component,
                        _pair_order(str(other), strict),
                        f"Value is not {op} the values of {_n3(other)}",
                    )
                )

    def _logic(self, node: Node, shape: Shape) -> None:
        g, add = self.g, shape.constraints.append
        for inner in g.objects(node, SH_NOT):
            negated = self.shape(inner)

            def not_check(data: Data, f: Node, values: Sequence[Node], s: Shape = negated) -> list[Failure]:
                return [(v, None, None) for v in values if s.conforms(data, v)]

            add(
                Constraint(
                    SH.NotConstraintComponent,
                    not_check,
                    f"Value conforms to {self.label(inner)}, which is not allowed",
                )
            )
        for p, component, word in (
            (SH_AND, SH.AndConstraintComponent, "all"),
            (SH_OR, SH.OrConstraintComponent, "any"),
            (SH.xone, SH.XoneConstraintComponent, "exactly one"),
        ):
            for members in g.objects(node, p):
                shapes = [self.shape(m) for m in _items(g, members)]
                if not shapes:
                    raise ShapesError(f"{_n3(node)}: the list of {_n3(p)} is empty")
                add(
                    Constraint(
                        component, _logical(p, shapes), f"Value does not conform to {word} of the shapes"
                    )
                )
        for inner in g.objects(node, SH.node):
            s = self.shape(inner)
            if s.is_property:
                raise ShapesError(f"{_n3(inner)}, the sh:node of {_n3(node)}, is a property shape")
            add(
                Constraint(
                    SH.NodeConstraintComponent,
                    _logical(SH.node, [s]),
                    f"Value does not conform to {self.label(inner)}",
                )
            )
        self._qualified(node, shape)

    def _qualified(self, node: Node, shape: Shape) -> None:
        g = self.g
        low = self._int(node, SH.qualifiedMinCount)
        high = self._int(node, SH.qualifiedMaxCount)
        disjoint = any(
            isinstance(d, Literal) and d.value is True
            for d in g.objects(node, SH.qualifiedValueShapesDisjoint)
        )
        for inner in g.objects(node, SH.qualifiedValueShape):
            if low is None and high is None:
                raise ShapesError(
                    f"{_n3(node)}: sh:qualifiedValueShape without qualifiedMinCount or qualifiedMaxCount"
                )
            target = self.shape(inner)
            siblings: list[Shape] = []
            if disjoint:
                for parent in g.subjects(SH.property, node):
                    for prop in g.objects(parent, SH.property):
                        for other in g.objects(prop, SH.qualifiedValueShape):
                            if other != inner:
                                siblings.append(self.shape(other))

            label = self.label(inner)
            if high is not None:
                shape.constraints.append(
                    Constraint(
                        SH.QualifiedMaxCountConstraintComponent,
                        _qualified(target, siblings, high, at_least=False),
                        f"More than {high} values conform to {label}",
                    )
                )
            if low is not None:
                shape.constraints.append(
                    Constraint(
                        SH.QualifiedMinCountConstraintComponent,
                        _qualified(target, siblings, low, at_least=True),
                        f"Less than {low} values conform to {label}",
                        on_empty=True,
                    )
                )

    def _others(self, node: Node, shape: Shape) -> None:
        g, add = self.g, shape.constraints.append
        for value in g.objects(node, SH.hasValue):
            add(
                Constraint(
                    SH.HasValueConstraintComponent,
                    _has_value(value),
                    f"Missing the value {_n3(value)}",
                    on_empty=True,
                )
            )
        for members in g.objects(node, SH_IN):
            allowed = frozenset(_items(g, members))
            shown = ", ".join(sorted(_n3(m) for m in allowed))
            add(
                Constraint(
                    SH.InConstraintComponent, _each(allowed.__contains__), f"Value is not in ({shown})"
                )
            )
        closed = self._one(node, SH.closed)
        if isinstance(closed, Literal) and closed.value is True:
            ignored = {p for lst in g.objects(node, SH.ignoredProperties) for p in _items(g, lst)}
            allowed_p = frozenset(
                str(p)
                for p in ignored
                | {p for prop in g.objects(node, SH.property) for p in g.objects(prop, SH.path)}
                if isinstance(p, URIRef)
            )

            def closed_check(
                data: Data, f: Node, values: Sequence[Node], allowed: frozenset[str] = allowed_p
            ) -> list[Failure]:
                failures: list[Failure] = []
                for v in values:
                    for p, objects in data.out.get(v, _EMPTY).items():
                        if p in allowed:
                            continue
                        for o in objects:
                            if p == _TYPE and o == RDFS.Resource:
                                continue
                            failures.append((o, URIRef(p), None))
                return failures

            add(
                Constraint(
                    SH.ClosedConstraintComponent, closed_check, "Property not allowed by the closed shape"
                )
            )

    def label(self, node: Node) -> str:
        return _n3(node) if isinstance(node, URIRef) else "an anonymous shape"


def _logical(kind: Node, shapes: list[Shape]) -> Check:
    def check(data: Data, f: Node, values: Sequence[Node]) -> list[Failure]:
        failures: list[Failure] = []
        for v in values:
            if kind == SH_OR:
                ok = any(s.conforms(data, v) for s in shapes)
            elif kind == SH.xone:
                ok = sum(1 for s in shapes if s.conforms(data, v)) == 1
            else:  # and, node
                ok = all(s.conforms(data, v) for s in shapes)
            if not ok:
                failures.append((v, None, None))
        return failures

    return check


def _sort_key(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, URIRef) else 1 if isinstance(node, BNode) else 2, str(node))


def _n3(node: Node) -> str:
    return node.n3() if hasattr(node, "n3") else str(node)
