"""The only place where rncp_ld mints IRIs.

Every IRI is ``base`` + a path built from codes. Codes that have a known syntax
(fiche numbers, block codes, ROME, NSF, Formacode, SIRET) are checked against it;
any other text is percent-escaped, so no input can break an IRI.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from rdflib import URIRef

from .errors import ConfigError

__all__ = ["DEFAULT_BASE", "Minter", "check", "eqf", "escape"]

DEFAULT_BASE = "https://w3id.org/rncp-ld/id/"
"""Base of minted IRIs when ``--base`` is not given."""

_PATTERNS = {
    "fiche": re.compile(r"(RNCP|RS)\d{1,6}"),
    "block": re.compile(r"(RNCP|RS)\d{1,6}BC\d{2,3}"),
    "rome": re.compile(r"[A-N]\d{4}"),
    "nsf": re.compile(r"\d{2,3}[a-z]?"),
    "formacode": re.compile(r"\d{5}"),
    "siret": re.compile(r"\d{14}"),
    "level": re.compile(r"[1-8]"),
    "level1969": re.compile(r"I|II|III|IV|V"),
}


_KINDS_SEEN: set[str] = set()


def escape(text: str) -> str:
    """Percent-escape ``text`` for use as one IRI path segment."""
    return quote(text, safe="-._~")


def check(kind: str, code: str) -> str:
    """Return ``code`` if it has the syntax of ``kind``, else raise ``ValueError``."""
    if not _PATTERNS[kind].fullmatch(code):
        raise ValueError(f"{code!r} is not a valid {kind} code")
    return code


class Minter:
    """Mints the IRIs of one export from a base.

    >>> Minter("https://example.org/").certification("RNCP16575")
    rdflib.term.URIRef('https://example.org/rncp/RNCP16575')
    """

    __slots__ = ("base",)

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https", "urn") or (parts.scheme != "urn" and not parts.netloc):
            raise ConfigError(f"base URI {base!r} is not an absolute http(s) IRI")
        if parts.query or parts.fragment or any(c in base for c in ' <>"{}|\\^`'):
            raise ConfigError(f"base URI {base!r} must not carry a query, fragment or spaces")
        self.base = base if base.endswith(("/", "#", ":")) else base + "/"

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    # certifications and their parts
    def certification(self, number: str) -> URIRef:
        check("fiche", number)
        return self._iri(f"{'rs' if number.startswith('RS') else 'rncp'}/{number}")

    def block(self, number: str, code: str) -> URIRef:
        check("block", code)
        if not code.startswith(number + "BC"):
            raise ValueError(f"block {code!r} does not belong to {number}")
        return URIRef(f"{self.certification(number)}/{code.removeprefix(number)}")

    def part(self, parent: URIRef, kind: str, key: str | int) -> URIRef:
        """A node owned by ``parent``: ``{parent}/{kind}/{key}`` (kind is a fixed word)."""
        if kind not in _KINDS_SEEN:
            if not re.fullmatch(r"[a-z][a-z-]*", kind):
                raise ValueError(f"bad part kind {kind!r}")
            _KINDS_SEEN.add(kind)
        segment = str(key) if isinstance(key, int) else escape(key)
        return URIRef(f"{parent}/{kind}/{segment}")

    # organisations
    def organisation(self, siret: str | None, name: str) -> URIRef:
        """A certifier or partner: by SIRET when known, else by its escaped name."""
        if siret:
            return self._iri(f"org/siret/{check('siret', siret)}")
        return self._iri(f"org/name/{escape(' '.join(name.upper().split()))}")

    # concepts of the vocabularies
    def scheme(self, name: str) -> URIRef:
        if name not in ("rome", "nsf", "formacode", "cnc", "niveau-1969", "ccn"):
            raise ValueError(f"unknown scheme {name!r}")
        return self._iri(name)

    def rome(self, code: str) -> URIRef:
        return self._iri(f"rome/{check('rome', code)}")

    def rome_group(self, code: str) -> URIRef:
        """A ROME grand domaine (``K``) or domaine professionnel (``K18``)."""
        if not re.fullmatch(r"[A-N](\d{2})?", code):
            raise ValueError(f"{code!r} is not a ROME domain")
        return self._iri(f"rome/{code}")

    def nsf(self, code: str) -> URIRef:
        return self._iri(f"nsf/{check('nsf', code)}")

    def formacode(self, code: str) -> URIRef:
        return self._iri(f"formacode/{check('formacode', code)}")

    def ccn(self, code: str) -> URIRef:
        return self._iri(f"ccn/{escape(code)}")

    def level(self, level: int) -> URIRef:
        return self._iri(f"cnc/{check('level', str(level))}")

    def level_1969(self, level: str) -> URIRef:
        return self._iri(f"niveau-1969/{check('level1969', level)}")

    def source(self, name: str) -> URIRef:
        """The source file a fiche was read from."""
        return self._iri(f"source/{escape(name)}")


def eqf(level: int) -> URIRef:
    """The EU concept of an EQF level, ``http://data.europa.eu/snb/eqf/N``."""
    return URIRef(f"http://data.europa.eu/snb/eqf/{check('level', str(level))}")
