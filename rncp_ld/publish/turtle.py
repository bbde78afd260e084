"""A small deterministic Turtle writer for the site's own documents (catalogue, VoID, feed).

The fiche documents use :mod:`rncp_ld.rdf.serialize`; these documents need prefixes that
the project's serializations do not declare (``ldes:``, ``tree:``, ``void:``…). Subjects come
in the order first given, predicates and objects in the order given; no blank nodes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..namespaces import RDF, XSD

__all__ = ["Triple", "prefixes", "statements"]

Triple = tuple[URIRef, URIRef, Node]


def prefixes(table: dict[str, str]) -> str:
    """The ``@prefix`` lines of ``table``, in its order."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in table.items())


def _term(term: Node, table: dict[str, str]) -> str:
    if isinstance(term, URIRef):
        for prefix, ns in sorted(table.items(), key=lambda kv: -len(kv[1])):
            if term.startswith(ns):
                local = term[len(ns) :]
                if (
                    local
                    and (local[0].isalpha() or local[0] == "_")
                    and all(c.isalnum() or c in "_-" for c in local)
                ):
                    return f"{prefix}:{local}"
                break
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.datatype is not None and not term.language:
            if term.datatype in (XSD.integer, XSD.boolean):
                return str(term)
            return f"{Literal(str(term)).n3()}^^{_term(term.datatype, table)}"
        return term.n3()
    raise TypeError(f"cannot write {term!r}: no blank nodes here")


def statements(triples: Iterable[Triple], table: dict[str, str]) -> str:
    """Turtle statements for ``triples``, one block per subject (no prefix lines)."""
    subjects: dict[URIRef, dict[URIRef, list[Node]]] = {}
    for s, p, o in triples:
        objects = subjects.setdefault(s, {}).setdefault(p, [])
        if o not in objects:
            objects.append(o)
    parts = []
    for s, predicates in subjects.items():
        lines = []
        for p, objects in predicates.items():
            verb = "a" if p == RDF.type else _term(p, table)
            lines.append(f"    {verb} " + ",\n        ".join(_term(o, table) for o in objects))
        parts.append(f"\n{_term(s, table)}\n" + " ;\n".join(lines) + " .\n")
    return "".join(parts)
