"""Streaming RDF writers: N-Triples, Turtle, JSON-LD and RDF/XML.

Each writer takes the triples of one fiche at a time and writes them at once,
so memory does not grow with the register. Output is deterministic: subjects
come in the order they were first produced, predicates and objects in the order
given, with no blank nodes. Every writer's output parses with rdflib to the
same graph (``tests/test_serialize.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import FicheError
from ..namespaces import PREFIXES, RDF, XSD

__all__ = ["FORMATS", "Writer", "format_from_name", "writer"]

Triple = tuple[URIRef, URIRef, Node]

FORMATS = ("nt", "turtle", "jsonld", "rdfxml")
_EXTENSIONS = {
    ".loq.xml": "loq",
    ".nt": "nt",
    ".ntriples": "nt",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NT_SPECIAL = re.compile(r'[\\"\n\r]')
_INTEGER = re.compile(r"[+-]?\d+")
_XML_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_from_name(name: str) -> str | None:
    """The format implied by an output file name (``.nt``, ``.ttl``, ``.jsonld``, ``.rdf``…)."""
    lower = name.lower().removesuffix(".gz")
    for ext, fmt in _EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return None


def _nt_string(text: str) -> str:
    return '"' + _NT_SPECIAL.sub(lambda m: _NT_ESCAPES[m.group()], text) + '"'


def _nt_iri(iri: str) -> str:
    return f"<{iri}>"


def _nt_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lexical = _nt_string(str(term))
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{lexical}^^<{term.datatype}>"
        return lexical
    raise TypeError(f"cannot write {term!r}: blank nodes are not produced by rncp_ld")


def _qname(iri: str) -> tuple[str, str] | None:
    """(prefix, local) when ``iri`` is in a known namespace with a simple local name."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if _LOCAL.fullmatch(local):
                return prefix, local
            return None
    return None


def _grouped(triples: Iterable[Triple]) -> dict[URIRef, dict[URIRef, dict[Node, None]]]:
    """Triples by subject then predicate, in first-seen order, duplicates dropped.

    The objects of a predicate are the keys of a dict: ordered, and a repeated one costs O(1).
    """
    subjects: dict[URIRef, dict[URIRef, dict[Node, None]]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, {}).setdefault(p, {})[o] = None
    return subjects


class Writer:
    """Base of the streaming writers: ``start()``, ``write(triples)`` per fiche, ``end()``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.triples = 0

    def start(self) -> None:
        """Write what comes before the first fiche."""

    def write(self, triples: list[Triple]) -> None:
        raise NotImplementedError

    def end(self) -> None:
        """Write what comes after the last fiche."""


class NTriplesWriter(Writer):
    """Canonical N-Triples (RDF 1.1): one triple a line, only ``\\ " \\n \\r`` escaped."""

    def write(self, triples: list[Triple]) -> None:
        unique = dict.fromkeys(triples)  # a fiche may repeat a triple (e.g. a partner listed twice)
        self.out.write("".join(f"<{s}> <{p}> {_nt_term(o)} .\n" for s, p, o in unique))
        self.triples += len(unique)


class TurtleWriter(Writer):
    """Turtle with the project's prefixes, one block per subject."""

    def start(self) -> None:
        self.out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()))

    def _term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            q = _qname(term)
            return f"{q[0]}:{q[1]}" if q else f"<{term}>"
        if isinstance(term, Literal) and term.datatype is not None and not term.language:
            lexical = str(term)
            if term.datatype == XSD.boolean and lexical in ("true", "false"):
                return lexical
            if term.datatype == XSD.integer and _INTEGER.fullmatch(lexical):
                return lexical
            q = _qname(term.datatype)
            if q and term.datatype != XSD.string:
                return f"{_nt_string(lexical)}^^{q[0]}:{q[1]}"
        return _nt_term(term)

    def write(self, triples: list[Triple]) -> None:
        parts = []
        for s, predicates in _grouped(triples).items():
            lines = []
            for p, objects in predicates.items():
                verb = "a" if p == RDF.type else self._term(p)
                lines.append(f"    {verb} " + ",\n        ".join(self._term(o) for o in objects))
                self.triples += len(objects)
            parts.append(f"\n{self._term(s)}\n" + " ;\n".join(lines) + " .\n")
        self.out.write("".join(parts))


class JsonLdWriter(Writer):
    """JSON-LD 1.1: a ``@context`` of prefixes and a ``@graph`` of node objects, one a line."""

    def start(self) -> None:
        context = json.dumps(PREFIXES, ensure_ascii=False)
        self.out.write('{\n"@context": ' + context + ',\n"@graph": [')
        self.first = True

    @staticmethod
    def _key(iri: str) -> str:
        q = _qname(iri)
        return f"{q[0]}:{q[1]}" if q else iri

    def _value(self, term: Node) -> dict[str, str]:
        if isinstance(term, URIRef):
            return {"@id": str(term)}
        assert isinstance(term, Literal)
        value = {"@value": str(term)}
        if term.language:
            value["@language"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            value["@type"] = self._key(term.datatype)
        return value

    def write(self, triples: list[Triple]) -> None:
        parts = []
        for s, predicates in _grouped(triples).items():
            node: dict[str, object] = {"@id": str(s)}
            for p, objects in predicates.items():
                if p == RDF.type and all(isinstance(o, URIRef) for o in objects):
                    node["@type"] = [self._key(o) for o in objects]
                else:
                    node[self._key(p)] = [self._value(o) for o in objects]
                self.triples += len(objects)
            parts.append(("\n" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
            self.first = False
        self.out.write("".join(parts))

    def end(self) -> None:
        self.out.write("\n]\n}\n")


def _xml_escape(text: str, source: Node) -> str:
    if _XML_INVALID.search(text):
        raise FicheError(f"text cannot be written in XML (control character) in {source!r}")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\r", "&#13;")  # a raw CR would be read back as a line feed


class RdfXmlWriter(Writer):
    """RDF/XML: one ``rdf:Description`` per subject."""

    def start(self) -> None:
        ns = "".join(f'\n    xmlns:{p}="{uri}"' for p, uri in PREFIXES.items())
        self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{ns}>\n')

    def write(self, triples: list[Triple]) -> None:
        parts, count = [], 0
        for s, predicates in _grouped(triples).items():
            lines = [f'  <rdf:Description rdf:about="{_xml_escape(s, s)}">']
            for p, objects in predicates.items():
                tag, declare = self._tag(p)
                lines.extend(self._property(tag, declare, o) for o in objects)
                count += len(objects)
            lines.append("  </rdf:Description>\n")
            parts.append("\n".join(lines))
        self.out.write("".join(parts))
        self.triples += count

    @staticmethod
    def _tag(predicate: URIRef) -> tuple[str, str]:
        """The element name of ``predicate`` and, outside PREFIXES, its namespace declaration."""
        q = _qname(predicate)
        if q:
            return f"{q[0]}:{q[1]}", ""
        m = _XML_LOCAL.search(predicate)
        if m is None:
            raise FicheError(f"predicate {predicate} cannot be written as an XML element name")
        namespace = predicate[: m.start()]
        return f"ns0:{m.group()}", f' xmlns:ns0="{_xml_escape(namespace, predicate)}"'

    @staticmethod
    def _property(tag: str, declare: str, o: Node) -> str:
        if isinstance(o, URIRef):
            return f'    <{tag}{declare} rdf:resource="{_xml_escape(o, o)}"/>'
        assert isinstance(o, Literal)
        attr = declare
        if o.language:
            attr += f' xml:lang="{o.language}"'
        elif o.datatype is not None and o.datatype != XSD.string:
            attr += f' rdf:datatype="{o.datatype}"'
        return f"    <{tag}{attr}>{_xml_escape(str(o), o)}</{tag}>"

    def end(self) -> None:
        self.out.write("</rdf:RDF>\n")


_WRITERS: dict[str, type[Writer]] = {
    "nt": NTriplesWriter,
    "turtle": TurtleWriter,
    "jsonld": JsonLdWriter,
    "rdfxml": RdfXmlWriter,
}


def writer(fmt: str, out: TextIO) -> Writer:
    """The streaming writer of ``fmt`` on ``out``."""
    try:
        return _WRITERS[fmt](out)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}, expected one of {', '.join(FORMATS)}") from None
