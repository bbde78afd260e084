"""Shapes graphs: loading, choice of engine, and results as :class:`~rncp_ld.report.Issue` objects.

By default the shapes shipped as package data are used (``rncp_ld.shapes``: ``rncp.ttl``,
the SHACL Core profile of ``rncp-ld convert``); ``paths`` replace them. Every file is parsed with the base of the IRIs minted by
rncp-ld as its base, so shapes may name our vocabulary schemes with relative IRIs
(``<rome>``, ``<nsf>``).

The fast engine (:mod:`.engine`) runs every shapes graph within SHACL Core; a graph
using anything else (SPARQL constraints, SHACL-AF, SHACL-JS, recursive shapes) is run by
pySHACL instead and :attr:`Shapes.fallback` says why.

Issue types are the constraint component in kebab case: ``sh:MinCountConstraintComponent``
→ ``min-count``, ``sh:QualifiedMaxCountConstraintComponent`` → ``qualified-max-count``,
``sh:SPARQLConstraintComponent`` → ``sparql``. ``sh:Violation`` is an error, ``sh:Warning``
and ``sh:Info`` are warnings. ``focus``, ``path``, ``value`` and ``shape`` are text:
IRIs as they are, blank nodes as ``_:id``, literals in N-Triples syntax
(``"Titre"@fr``), complex paths in SPARQL syntax (``^<p>``, ``<a>/<b>``), and a blank-node
shape as the shape that holds it (``…/QualificationShape sh:property <…/title>``).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from ..errors import ConfigError
from ..namespaces import PREFIXES, RDF
from ..report import Issue, Severity
from ..uris import DEFAULT_BASE, Minter
from .engine import SH, SH_NS, Data, Program, Result, ShapesError, Unsupported, compile_shapes, path_label
from .fallback import PyshaclProgram

__all__ = ["COMPONENT_TYPES", "Shapes", "issue_type", "load_shapes", "term_text"]

DEFAULT_PACKAGE = "rncp_ld.shapes"
DEFAULT_FILES = ("rncp.ttl",)
"""The shipped shapes used by default: the SHACL Core profile (``rncp-sparql.ttl`` needs pySHACL)."""


def issue_type(component: Node) -> str:
    """``sh:MinCountConstraintComponent`` → ``min-count``."""
    name = re.split(r"[/#]", str(component))[-1].removesuffix("ConstraintComponent") or "constraint"
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


COMPONENT_TYPES: dict[str, URIRef] = {
    issue_type(c): c
    for c in SH
    if str(c).endswith("ConstraintComponent") and str(c) != str(SH.ConstraintComponent)
}
"""Issue type → SHACL Core constraint component."""


def term_text(node: Node) -> str:
    """An RDF term as issue text: IRIs bare, ``_:id``, literals in N-Triples syntax."""
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


@dataclass
class Shapes:
    """A loaded shapes graph and the engine that runs it."""

    graph: Graph
    sources: list[str]
    """Where the shapes came from (paths, or ``rncp_ld.shapes/rncp.ttl``)."""
    program: Program | PyshaclProgram
    fallback: str | None = None
    """Why pySHACL runs these shapes instead of the fast engine, or None."""
    _shape_labels: dict[Node, str] = field(default_factory=dict, repr=False)
    _path_labels: dict[Node, str] = field(default_factory=dict, repr=False)

    @property
    def engine(self) -> str:
        return "pyshacl" if self.fallback else "rncp-ld"

    def index(self, triples: Iterable[tuple[Node, Node, Node]], *, unique: bool = False) -> Data:
        inverse = self.program.inverse if isinstance(self.program, Program) else ()
        return Data(triples, inverse, unique=unique)

    def validate(self, data: Data | Graph | Iterable[tuple[Node, Node, Node]]) -> list[Result]:
        return self.program.validate(data)

    def issue(
        self,
        result: Result,
        *,
        source: str | None = None,
        fiche: str | None = None,
        location: str | None = None,
    ) -> Issue:
        """``result`` as an :class:`Issue`."""
        severity = Severity.WARNING if result.severity in (SH.Warning, SH.Info) else Severity.ERROR
        return Issue(
            issue_type(result.component),
            " / ".join(str(m) for m in result.messages),
            severity,
            source,
            fiche,
            location,
            focus=term_text(result.focus),
            path=None if result.path is None else self.path_label(result.path),
            value=None if result.value is None else term_text(result.value),
            shape=self.shape_label(result.shape),
        )

    def path_label(self, node: Node) -> str:
        label = self._path_labels.get(node)
        if label is None:
            label = self._path_labels[node] = path_label(self.graph, node)
        return label

    def shape_label(self, node: Node) -> str:
        label = self._shape_labels.get(node)
        if label is None:
            label = self._shape_labels[node] = self._label(node, 0)
        return label

    def _label(self, node: Node, depth: int) -> str:
        if not isinstance(node, BNode) or depth > 8:
            return term_text(node)
        g = self.graph
        path = g.value(node, SH.path)
        suffix = f" {self.path_label(path)}" if path is not None else ""
        holder: Node = node
        index: int | None = None
        for _ in range(10_000):  # walk up an RDF list to its head
            up = next(iter(sorted(g.subjects(RDF.rest, holder), key=str)), None)
            if up is None:
                break
            holder, index = up, (index or 0) + 1
        if (holder, RDF.first, None) in g and index is None:
            index = 0
        refs = sorted(
            ((s, p) for s, p in g.subject_predicates(holder) if p != RDF.rest),
            key=lambda sp: (str(sp[1]), str(sp[0])),
        )
        if not refs:
            return f"_:{node}{suffix}"
        parent, predicate = refs[0]
        where = prefixed(str(predicate))
        if index is not None:
            where += f"[{index}]"
        return f"{self._label(parent, depth + 1)} {where}{suffix}"


def load_shapes(paths: Sequence[str | Path] = (), *, base: str = DEFAULT_BASE) -> Shapes:
    """The shapes of ``paths`` (default: the shipped ones), compiled for the fast engine when possible.

    Raises:
        ConfigError: a file is missing, not RDF, or not a well-formed shapes graph; no shapes at all;
            shapes that need pySHACL when it is not installed.
    """
    public_id = Minter(base).base
    graph = Graph()
    sources: list[str] = []
    if paths:
        for path in paths:
            _parse_file(graph, Path(path), public_id)
            sources.append(str(path))
    else:
        package = files(DEFAULT_PACKAGE)
        for name in DEFAULT_FILES:
            entry = package / name
            if not entry.is_file():
                raise ConfigError(f"rncp-ld ships no {name} shapes", expected="--shapes PATH")
            _parse(graph, entry.read_bytes(), "turtle", public_id, f"{DEFAULT_PACKAGE}/{name}")
            sources.append(f"{DEFAULT_PACKAGE}/{name}")
    if not any(True for _ in graph.subjects(RDF.type, SH.NodeShape)) and not any(
        True
        for p in (
            SH.targetClass,
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.property,
            SH.path,
        )
        for _ in graph.triples((None, p, None))
    ):
        raise ConfigError("no SHACL shape found", source=", ".join(sources))
    try:
        return Shapes(graph, sources, compile_shapes(graph))
    except Unsupported as reason:
        return Shapes(graph, sources, PyshaclProgram(graph), fallback=str(reason))
    except ShapesError as error:
        raise ConfigError(f"bad shapes: {error}", source=", ".join(sources)) from None


def _parse_file(graph: Graph, path: Path, public_id: str) -> None:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    fmt = guess_format(name) or "turtle"
    try:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
    except OSError as error:
        raise ConfigError(f"cannot read shapes: {error.strerror or error}", source=str(path)) from None
    _parse(graph, raw, fmt, public_id, str(path))


def _parse(graph: Graph, data: bytes, fmt: str, public_id: str, source: str) -> None:
    try:
        graph.parse(data=data, format=fmt, publicID=public_id)
    except Exception as error:  # rdflib raises many types for bad syntax
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(f"cannot parse shapes ({fmt}): {message}", source=source) from None


def prefixed(iri: str) -> str:
    """``http://purl.org/dc/terms/title`` → ``dct:title`` with the project's prefixes, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith(SH_NS):
        return "sh:" + iri[len(SH_NS) :]
    return iri
