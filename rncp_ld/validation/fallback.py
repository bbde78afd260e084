"""pySHACL behind the engine's interface, for shapes outside the fast engine's SHACL Core subset.

pySHACL copies blank-node shapes and paths into its report graph; :class:`PyshaclProgram`
maps them back onto the nodes of the shapes graph, so its :class:`~.engine.Result` objects
are the same as the fast engine's and render the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import ConfigError
from ..namespaces import RDF
from .engine import SH, Data, Result

__all__ = ["PyshaclProgram", "canonical", "report_results"]


class PyshaclProgram:
    """Validates with pySHACL (``inference="none"``, advanced features on)."""

    def __init__(self, shapes: Graph) -> None:
        try:
            import pyshacl  # noqa: F401
        except ImportError:
            raise ConfigError(
                "these shapes need pySHACL, which is not installed",
                expected="pip install 'rncp-ld[validate]'",
            ) from None
        self.shapes = shapes
        self._bnodes: dict[str, Node] | None = None

    def validate(self, data: Data | Graph | Iterable[tuple[Node, Node, Node]]) -> list[Result]:
        from pyshacl import validate

        if isinstance(data, Data):
            graph = Graph()
            for s, po in data.out.items():
                for p, objects in po.items():
                    predicate = URIRef(p)
                    for o in objects:
                        graph.add((s, predicate, o))
        elif isinstance(data, Graph):
            graph = data
        else:
            graph = Graph()
            for triple in data:
                graph.add(triple)
        rdflib_logger = logging.getLogger("rdflib.term")
        level = rdflib_logger.level
        rdflib_logger.setLevel(logging.CRITICAL)  # ill-typed literals are results, not log lines
        try:
            _, report, _ = validate(graph, shacl_graph=self.shapes, inference="none", advanced=True)
        finally:
            rdflib_logger.setLevel(level)
        return report_results(report, self.shapes, self._index())

    def _index(self) -> dict[str, Node]:
        if self._bnodes is None:
            self._bnodes = {
                canonical(self.shapes, node): node
                for node in set(self.shapes.subjects()) | set(self.shapes.objects())
                if isinstance(node, BNode)
            }
        return self._bnodes


def report_results(report: Graph, shapes: Graph, bnodes: dict[str, Node] | None = None) -> list[Result]:
    """The ``sh:result`` entries of a pySHACL report as :class:`Result` objects whose shape and
    path are nodes of ``shapes`` (copied blank nodes are found back by their content)."""
    if bnodes is None:
        bnodes = {
            canonical(shapes, n): n
            for n in set(shapes.subjects()) | set(shapes.objects())
            if isinstance(n, BNode)
        }

    def back(node: Node | None) -> Node | None:
        if isinstance(node, BNode) and (node, None, None) not in shapes:
            return bnodes.get(canonical(report, node), node)
        return node

    results = []
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(root, SH.result):
            one: dict[URIRef, Any] = {p: report.value(r, p) for p in _FIELDS}
            results.append(
                Result(
                    one[SH.focusNode],
                    back(one[SH.resultPath]),
                    one[SH.value],
                    back(one[SH.sourceShape]),  # type: ignore[arg-type]
                    one[SH.resultSeverity],
                    one[SH.sourceConstraintComponent],
                    tuple(sorted(report.objects(r, SH.resultMessage), key=str)),  # type: ignore[arg-type]
                )
            )
    return results


_FIELDS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.sourceShape,
    SH.resultSeverity,
    SH.sourceConstraintComponent,
)


def canonical(graph: Graph, node: Node, depth: int = 0) -> str:
    """A text that two copies of a blank-node structure share: its triples, blank nodes expanded."""
    if not isinstance(node, BNode) or depth > 20:
        return node.n3() if isinstance(node, (URIRef, Literal)) else "[]"
    parts = sorted(f"{p.n3()} {canonical(graph, o, depth + 1)}" for p, o in graph.predicate_objects(node))
    return "[" + " ; ".join(parts) + "]"
