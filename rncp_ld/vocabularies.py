"""The project's vocabularies (ROME, ROME → ESCO, NSF, levels), loaded once per base IRI.

The Turtle files ship as package data (``rncp_ld.vocab``, built by ``scripts/build_vocab.py``)
and write the project's IRIs relative (``<rome/K1801>``); :meth:`Vocabularies.load` resolves
them against the base of a :class:`~rncp_ld.uris.Minter`. Every lookup is a dict hit.

>>> vocab = Vocabularies.load(Minter("https://example.org/"))
>>> vocab.label(vocab.rome("K1801"))
rdflib.term.Literal('Conseil en emploi et insertion socioprofessionnelle', lang='fr')
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urljoin

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import ConfigError
from .namespaces import SKOS, bind
from .uris import DEFAULT_BASE, Minter

__all__ = ["Triple", "Vocabularies"]

Triple = tuple[URIRef, URIRef, Node]


class Vocabularies:
    """Every vocabulary triple under one base, indexed by subject."""

    __slots__ = ("_codes", "_reachable", "_subjects", "graph", "minter")

    def __init__(self, graph: Graph, minter: Minter) -> None:
        self.graph = graph
        """Every vocabulary triple."""
        self.minter = minter
        index: defaultdict[URIRef, list[Triple]] = defaultdict(list)
        for s, p, o in graph:
            if isinstance(s, URIRef) and isinstance(p, URIRef):
                index[s].append((s, p, o))
        self._subjects = {s: tuple(sorted(triples)) for s, triples in index.items()}
        self._codes = {
            (scheme, str(notation)): s
            for s, scheme in graph.subject_objects(SKOS.inScheme)
            if isinstance(s, URIRef)
            for notation in graph.objects(s, SKOS.notation)
        }
        self._reachable: dict[URIRef, tuple[URIRef, ...]] = {}

    @classmethod
    def load(cls, minter: Minter) -> Vocabularies:
        """The shipped vocabularies with IRIs under ``minter.base`` (parsed once per base)."""
        return _load(minter.base)

    def __contains__(self, iri: object) -> bool:
        return iri in self._subjects

    def describe(self, iri: URIRef) -> tuple[Triple, ...]:
        """All triples with subject ``iri``, sorted; ``()`` when unknown."""
        return self._subjects.get(iri, ())

    def reachable(self, iri: URIRef) -> tuple[URIRef, ...]:
        """Every vocabulary node ``iri`` leads to, nearest first, ``iri`` excluded.

        For a ROME code: its broader domains, its scheme, its ESCO matches and the mapping set.
        """
        if iri not in self._reachable:
            seen, todo, found = {iri}, [iri], []
            while todo:
                for _, _, o in self.describe(todo.pop(0)):
                    if o in self._subjects and o not in seen:
                        seen.add(o)  # type: ignore[arg-type]
                        todo.append(o)  # type: ignore[arg-type]
                        found.append(o)
            self._reachable[iri] = tuple(found)  # type: ignore[arg-type]
        return self._reachable[iri]

    def closure(self, iri: URIRef) -> tuple[Triple, ...]:
        """``describe(iri)`` plus the descriptions of every node it leads to, sorted:
        what a self-contained graph mentioning ``iri`` needs."""
        nodes = (iri, *self.reachable(iri))
        return tuple(sorted(t for node in nodes for t in self.describe(node)))

    def values(self, iri: URIRef, predicate: URIRef) -> tuple[Node, ...]:
        """Objects of ``iri`` for ``predicate``, sorted."""
        return tuple(o for _, p, o in self.describe(iri) if p == predicate)

    def label(self, iri: URIRef | None, lang: str = "fr") -> Literal | None:
        """The ``skos:prefLabel`` of ``iri`` in ``lang``, if any."""
        if iri is None:
            return None
        found = [o for o in self.values(iri, SKOS.prefLabel) if isinstance(o, Literal) and o.language == lang]
        return found[0] if found else None

    def broader(self, iri: URIRef) -> tuple[URIRef, ...]:
        """The chain of broader concepts of ``iri``, nearest first (``K1801`` → ``K18``, ``K``)."""
        chain: list[URIRef] = []
        while parents := [o for o in self.values(iri, SKOS.broader) if isinstance(o, URIRef)]:
            iri = parents[0]
            if iri in chain:
                break
            chain.append(iri)
        return tuple(chain)

    def close_matches(self, iri: URIRef) -> tuple[URIRef, ...]:
        """The ``skos:closeMatch`` targets of ``iri`` (ESCO occupations for a ROME code)."""
        return tuple(o for o in self.values(iri, SKOS.closeMatch) if isinstance(o, URIRef))

    def concept(self, scheme: str, notation: str) -> URIRef | None:
        """The concept of scheme ``scheme`` (``rome``, ``nsf``, ``cnc``…) with ``notation``, if known."""
        return self._codes.get((self.minter.scheme(scheme), notation))

    def rome(self, code: str) -> URIRef | None:
        """A known ROME code (``K1801``), domaine (``K18``) or grand domaine (``K``)."""
        return self.concept("rome", code)

    def nsf(self, code: str) -> URIRef | None:
        """A known NSF domain or group (``3``, ``33``, ``332``) or code letter (``t``)."""
        return self.concept("nsf", code)

    def level(self, value: str | int) -> URIRef | None:
        """The national framework level of ``5``, ``"5"`` or ``"NIV5"``."""
        return self.concept("cnc", str(value).removeprefix("NIV"))

    def level_1969(self, value: str) -> URIRef | None:
        """A level of the 1969 nomenclature (``I`` … ``V``)."""
        return self.concept("niveau-1969", value)

    def isced(self, nsf_code: str) -> tuple[URIRef, ...]:
        """The ISCED-F 2013 detailed fields of an NSF group or speciality (``vocab/nsf-isced-f.csv``).

        A speciality has its group's fields (``332t`` → ``332``); a domain (``33``, ``3``)
        or an unknown code has none.

        >>> Vocabularies.load(Minter()).isced("332t")
        (rdflib.term.URIRef('http://data.europa.eu/snb/isced-f/0923'),)
        """
        match = _NSF_GROUP.fullmatch(nsf_code.strip())
        return _isced_table().get(match.group(1), ()) if match else ()

    def qdr(self, level: int | str) -> URIRef | None:
        """The QDR concept of a level of the French framework (``vocab/fr-nqf-qdr.csv``).

        The QDR lists the pre-2019 French levels only: levels 3 to 8 have one (5 →
        "NQF RNCP Level III"), levels 1 and 2 none.
        """
        return _qdr_table().get(str(level).removeprefix("NIV"))


ISCED_F = "http://data.europa.eu/snb/isced-f/"
"""Namespace of the ISCED-F 2013 concepts of the EU vocabularies (``…/isced-f/0923``)."""

_NSF_GROUP = re.compile(r"(\d{3})[a-z]?")


def _table(name: str) -> list[dict[str, str]]:
    """The rows of a CSV table shipped in ``rncp_ld.vocab``."""
    try:
        text = files("rncp_ld.vocab").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"package data rncp_ld.vocab/{name} is missing: reinstall rncp-ld") from None
    return list(csv.DictReader(io.StringIO(text, newline="")))


@lru_cache(maxsize=1)
def _isced_table() -> dict[str, tuple[URIRef, ...]]:
    """NSF group → its ISCED-F concepts, in the table's order."""
    return {
        row["nsf_group"]: tuple(URIRef(ISCED_F + code) for code in row["isced_f_code"].split(";"))
        for row in _table("nsf-isced-f.csv")
    }


@lru_cache(maxsize=1)
def _qdr_table() -> dict[str, URIRef]:
    """French framework level (``"5"``) → its QDR concept, for the levels that have one."""
    return {row["level"]: URIRef(row["qdr_iri"]) for row in _table("fr-nqf-qdr.csv") if row["qdr_iri"]}


def _parse(base: str) -> Graph:
    """Parse every shipped ``*.ttl`` with its relative IRIs resolved against ``base``."""
    direct = urljoin(base, "a/b") == base + "a/b"
    graph = bind(Graph())
    vocab = files("rncp_ld.vocab")
    for name in sorted(r.name for r in vocab.iterdir() if r.name.endswith(".ttl")):
        data = vocab.joinpath(name).read_text(encoding="utf-8")
        graph.parse(data=data, format="turtle", publicID=base if direct else DEFAULT_BASE)
    return graph if direct else _rebase(graph, DEFAULT_BASE, base)


def _rebase(graph: Graph, old: str, new: str) -> Graph:
    """Move IRIs from ``old`` to ``new``: for bases (``…#``, ``urn:…:``) that relative IRIs cannot use."""

    def move(term: Node) -> Node:
        return URIRef(new + term[len(old) :]) if isinstance(term, URIRef) and term.startswith(old) else term

    moved = bind(Graph())
    for s, p, o in graph:
        moved.add((move(s), p, move(o)))
    return moved


@lru_cache(maxsize=8)
def _load(base: str) -> Vocabularies:
    return Vocabularies(_parse(base), Minter(base))
