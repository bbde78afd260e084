"""Reader of the France Compétences XML export (flux V4.1; V2/V3 where cheap).

The export is one ``<FICHES>`` root holding ``<VERSION_FLUX>`` and up to 30,000
``<FICHE>`` elements (about 470 MB), plain or zipped. It is streamed with a pull
parser: each FICHE is turned into a :class:`~rncp_ld.model.Certification` in one
pass over its children, then freed, so memory stays flat.

The export never declares a DTD or entities, so a DOCTYPE is refused before the
parser sees it (billion laughs, external entities); the parser itself loads no
DTD, resolves no entity, uses no network and keeps libxml2's size limits.
A malformed fiche becomes one error :class:`~rncp_ld.report.Issue` and reading
goes on; a file that is not an export, or breaks off, raises InputError after
the good fiches before the break were yielded.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

from lxml import etree

from ..errors import InputError
from ..model import (
    AccessRoute,
    AccessRouteKind,
    Block,
    Certification,
    Code,
    Correspondence,
    LegalText,
    LegalTextKind,
    Organisation,
    Partner,
    Provenance,
    RegistrationPeriod,
    Statistic,
)
from ..report import Issue, Severity
from . import values
from .items import split_items

__all__ = ["read"]

FORMAT = "fc-xml"
FLUX_VERSION = "4.1"
_CHUNK = 1 << 20
_PROLOG_SIZE = 1 << 16
_EVENT_TAGS = ("FICHES", "VERSION_FLUX", "FICHE")
_PROLOG_NOISE = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.S)
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DATE_IN_NAME = re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})")
_FICHE_NUMBER = re.compile(r"(?:RNCP|RS)\d+")
_BLOCK_CODE = re.compile(r"((?:RNCP|RS)\d+)BC(\d+)")
_BARE_BLOCK_CODE = re.compile(r"\d{1,2}")
_ACT_DATE = re.compile(r"\bdu\s+((?:1er|\d{1,2})\s+\w+\s+\d{4})")
_OPTIONAL_BLOCK = "(bloc facultatif)"
_BLOCK_TAGS = frozenset({
    "CODE", "LIBELLE", "INTITULE", "LISTE_COMPETENCES", "MODALITES_EVALUATION",
    "PREREQUIS_ENTREE_FORMATION_BLOC", "PREREQUIS_VALIDATION_BLOC",
})  # fmt: skip
_WORD = re.compile(r"\w")

T = TypeVar("T")


def read(path: Path) -> Iterator[Certification | Issue]:
    """Every fiche of an XML export (``.xml``, or ``.zip`` holding one), or an Issue."""
    path = Path(path)
    with _open(path) as (stream, name):
        export_date = _export_date(name) or _export_date(path.name)
        yield from _Export(path.name, export_date).parse(stream)


# --- source -------------------------------------------------------------------------


@contextmanager
def _open(path: Path) -> Iterator[tuple[IO[bytes], str]]:
    """The XML byte stream of ``path`` and its file name (the member's for a zip)."""
    if path.suffix.lower() != ".zip":
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror}", source=path.name) from None
        with stream:
            yield stream, path.name
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError("not a readable zip file", source=path.name) from None
    with archive:
        members = [i.filename for i in archive.infolist() if i.filename.lower().endswith(".xml")]
        if len(members) != 1:
            raise InputError(
                f"zip holds {len(members)} XML files",
                source=path.name,
                expected="one export_fiches_*.xml, as in export-fiches-rncp-v4-1-*.zip",
            )
        with archive.open(members[0]) as stream:
            yield stream, members[0]


def _export_date(name: str) -> date | None:
    """The date in an export's file name (``…_2026-08-16.xml``), if any."""
    m = _DATE_IN_NAME.search(name)
    if not m:
        return None
    try:
        return date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _check_prolog(head: bytes, source: str) -> None:
    """Refuse a DOCTYPE or a root other than FICHES before parsing anything.

    Only the first 64 KiB are looked at; what hides further (or in UTF-16) is
    caught by :meth:`_Export._start` on the first element, before any content.
    """
    head = _PROLOG_NOISE.sub(b"", head[:_PROLOG_SIZE])
    root = _FIRST_ELEMENT.search(head)
    if _DECLARATION.search(head, 0, root.start() if root else len(head)):
        raise _unsafe(source)
    if root and root.group(1) != b"FICHES":
        raise _not_an_export(root.group(1).decode("utf-8", "replace"), source)


def _unsafe(source: str) -> InputError:
    return InputError(
        "DOCTYPE refused: the export never declares a DTD or entities, "
        "so this file is not a France Compétences export or was tampered with",
        source=source,
    )


def _not_an_export(root: str, source: str) -> InputError:
    return InputError(
        f"not a France Compétences export: root element is {root}, expected FICHES", source=source
    )


# --- streaming ----------------------------------------------------------------------


class _Export:
    """State of one export being streamed: file facts, flux version, fiche count."""

    def __init__(self, source: str, export_date: date | None) -> None:
        self.source = source
        self.export_date = export_date
        self.flux_version: str | None = None
        self.count = 0
        self.started = False

    def parse(self, stream: IO[bytes]) -> Iterator[Certification | Issue]:
        """Feed the stream to a pull parser and yield each fiche as it ends."""
        parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=_EVENT_TAGS,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_blank_text=True,
            remove_comments=True,
            remove_pis=True,
        )
        chunk = self._read(stream)
        if not chunk.strip():
            raise InputError("empty file", source=self.source, expected="a France Compétences XML export")
        _check_prolog(chunk, self.source)
        while chunk:
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError as exc:
                yield from self._events(parser)  # the fiches before the error are sound
                raise self._broken(exc) from None
            yield from self._events(parser)
            chunk = self._read(stream)
        try:
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            # close() only closes the open elements: their "end" events are not real
            raise self._broken(exc) from None
        if not self.started:
            raise _not_an_export(root.tag, self.source)

    def _read(self, stream: IO[bytes]) -> bytes:
        try:
            return stream.read(_CHUNK)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise InputError(f"cannot read the file: {exc}", source=self.source) from None

    def _broken(self, exc: etree.XMLSyntaxError) -> InputError:
        reason = " ".join(str(exc.msg).split())
        return InputError(
            f"malformed or truncated XML after {self.count} fiches: {reason}",
            source=self.source,
            location=f"line {max(exc.lineno or 1, 1)}",
        )

    def _events(self, parser: etree.XMLPullParser) -> Iterator[Certification | Issue]:
        for event, elem in parser.read_events():
            if not self.started:
                self._start(elem)
            if event == "start":
                continue
            if elem.tag == "FICHE":
                yield from self._fiche(elem)
            elif elem.tag == "VERSION_FLUX":
                self.flux_version = values.clean(elem.text)
                if self.flux_version != FLUX_VERSION:
                    yield self._flux_warning()

    def _start(self, elem: etree._Element) -> None:
        """Check the first element seen: the FICHES root of a document without DTD."""
        tree = elem.getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise _unsafe(self.source)
        if elem.tag != "FICHES":
            raise _not_an_export(tree.getroot().tag, self.source)
        self.started = True

    def _flux_warning(self) -> Issue:
        found = f"is {self.flux_version!r}" if self.flux_version else "is missing"
        return Issue(
            "unexpected-flux-version",
            f"VERSION_FLUX {found}, expected {FLUX_VERSION}; read with the V4.1 mapping",
            Severity.WARNING,
            self.source,
        )

    def _fiche(self, elem: etree._Element) -> Iterator[Certification | Issue]:
        """Yield the Certification of a FICHE (after its warnings) or one error Issue."""
        self.count += 1
        if self.count == 1 and self.flux_version is None:
            yield self._flux_warning()
        line = elem.sourceline
        number = values.clean(elem.findtext("NUMERO_FICHE"))
        label = number or f"FICHE #{self.count}"
        provenance = Provenance(self.source, FORMAT, self.export_date, self.flux_version, line)
        try:
            builder = _Fiche(number)
            certification = builder.build(elem, provenance)
        except _Bad as bad:
            yield Issue(bad.type, bad.message, Severity.ERROR, self.source, label, f"line {bad.line or line}")
        else:
            for type_, message in builder.warnings:
                yield Issue(type_, message, Severity.WARNING, self.source, label, f"line {line}")
            yield certification
        finally:
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            while elem.getprevious() is not None:
                del parent[0]


# --- one fiche ----------------------------------------------------------------------


class _Bad(Exception):
    """A fiche that cannot be read: becomes one error Issue."""

    def __init__(self, type_: str, message: str) -> None:
        super().__init__(message)
        self.type = type_
        self.message = message
        self.line: int | None = None
        """Line of the FICHE child where the problem is, when known."""


def _siret(text: str) -> str:
    """A SIRET, with a fast path for the usual 14 plain digits."""
    return text if len(text) == 14 and text.isascii() and text.isdigit() else values.parse_siret(text)


_date = functools.lru_cache(maxsize=8192)(values.parse_date)
"""Dates repeat a lot (partners of a fiche share them): parse each text once."""

_PARSE_ERRORS: dict[Callable[[str], Any], str] = {
    _date: "bad-date",
    values.parse_bool: "bad-boolean",
    values.parse_int: "bad-number",
    values.parse_level: "unknown-level",
    _siret: "bad-siret",
}


def _parse(parse: Callable[[str], T], text: str | None, where: str, tag: str | None = None) -> T | None:
    """``parse(text)`` of a trimmed text, None when empty; a ValueError becomes _Bad."""
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        path = f"{where}/{tag}" if tag else where
        raise _Bad(_PARSE_ERRORS[parse], f"{path}: {exc}") from None


def _value(parse: Callable[[str], T], leaves: dict[str, str | None], tag: str, where: str) -> T | None:
    """The parsed value of the child ``tag`` of the element at ``where``."""
    return _parse(parse, leaves.get(tag), where, tag)


def _text(elem: etree._Element) -> str | None:
    """The trimmed text of an element, its descendants' text included; None if empty."""
    text = elem.text if not len(elem) else "".join(elem.itertext())
    return (text.strip() or None) if text else None


def _leaves(elem: etree._Element) -> dict[str, str | None]:
    """Tag → trimmed text of the children of ``elem`` (None when empty)."""
    return {
        child.tag: ((text.strip() or None) if (text := child.text) is not None else None)
        if not len(child)
        else _text(child)
        for child in elem
    }


def _texts(elem: etree._Element) -> list[str]:
    """The non-blank trimmed texts inside ``elem``, e.g. the codes of a code list."""
    return [text for text in (t.strip() for t in elem.itertext()) if text]


def _each(container: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The children of a container with their paths, e.g. ``CERTIFICATEURS/CERTIFICATEUR[2]``."""
    return ((c, f"{container.tag}/{c.tag}[{i}]") for i, c in enumerate(container, 1))


def _label(leaves: dict[str, str | None]) -> str | None:
    """The label of a code: LIBELLE in V4, INTITULE in V2."""
    return leaves.get("LIBELLE") or leaves.get("INTITULE")


_TEXTS = {
    "INTITULE": "title",
    "ETAT_FICHE": "status",
    "OBJECTIFS_CONTEXTE": "objectives",
    "PREREQUIS_ENTREE_FORMATION": "entry_prerequisites",
    "PREREQUIS_VALIDATION_CERTIFICATION": "validation_prerequisites",
    "REGLEMENTATIONS_ACTIVITES": "regulations",
    "NIVEAU_MAITRISE_COMPETENCES": "mastery_level",
    "TYPE_ENREGISTREMENT": "registration_type",
    "VALIDATION_PARTIELLE_PERIMETRE": "partial_validation_scope",
    "MODALITES_RENOUVELLEMENT": "renewal_terms",
    "DUREE_VALIDITE": "validity_duration",
}
_LISTS = {
    "ACTIVITES_VISEES": ("activities_text", "activities"),
    "CAPACITES_ATTESTEES": ("capacities_text", "capacities"),
    "SECTEURS_ACTIVITE": ("sectors_text", "sectors"),
    "TYPE_EMPLOI_ACCESSIBLES": ("jobs_text", "jobs"),
}
_VALUES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "ID_FICHE": ("fiche_id", values.parse_int),
    "DUREE_ENREGISTREMENT": ("registration_years", values.parse_int),
    "ACTIF": ("active", values.parse_bool),
    "ACCESSIBLE_NOUVELLE_CALEDONIE": ("new_caledonia", values.parse_bool),
    "ACCESSIBLE_POLYNESIE_FRANCAISE": ("french_polynesia", values.parse_bool),
    "VALIDATION_PARTIELLE": ("partial_validation", values.parse_bool),
    "EXISTENCE_PARTENAIRES": ("has_partners", values.parse_bool),
    "DATE_FIN_ENREGISTREMENT": ("end_date", _date),
    "DATE_EFFET": ("effective_date", _date),
    "DATE_DECISION": ("decision_date", _date),
    "DATE_DE_PUBLICATION": ("publication_date", _date),
    "DATE_DERNIER_JO": ("last_jo_date", _date),
    "DATE_LIMITE_DELIVRANCE": ("delivery_deadline", _date),
}
_CODE_LISTS = {
    "FORMACODES": ("formacodes", "CODE"),
    "CODES_NSF": ("nsf", "CODE"),
    "CODES_ROME": ("rome", "CODE"),
    "CODES_IDCC": ("ccn", "CODE"),
}
_CCN = ("CCN_1", "CCN_2", "CCN_3")
_REPLACEMENTS = {"NOUVELLES_CERTIFICATIONS": "replaced_by", "ANCIENNES_CERTIFICATIONS": "replaces"}
_ROUTES = {f"SI_JURY_{kind.value}": kind for kind in AccessRouteKind}
_V2_JURIES = {f"JURY_{kind.value}": kind for kind in AccessRouteKind}
_LEGAL = {
    "PUBLICATION_DECRET_GENERAL": LegalTextKind.GENERAL,
    "PUBLICATION_DECRET_CREATION": LegalTextKind.CREATION,
    "PUBLICATION_DECRET_AUTRE": LegalTextKind.OTHER,
}
_STATISTICS = {
    "ANNEE": "year",
    "NOMBRE_CERTIFIES": "certified",
    "NOMBRE_CERTIFIES_VAE": "certified_vae",
    "TAUX_INSERTION_GLOBAL_6MOIS": "insertion_rate_6_months",
    "TAUX_INSERTION_METIER_6MOIS": "job_insertion_rate_6_months",
    "TAUX_INSERTION_METIER_2ANS": "job_insertion_rate_2_years",
}


class _Fiche:
    """Builds one Certification from a FICHE element in one pass over its children."""

    def __init__(self, number: str | None) -> None:
        if number is None:
            raise _Bad("missing-number", "NUMERO_FICHE: missing, expected RNCPnnnn or RSnnnn")
        if not _FICHE_NUMBER.fullmatch(number):
            raise _Bad(
                "bad-fiche-number", f"NUMERO_FICHE: bad number {number!r}, expected RNCPnnnn or RSnnnn"
            )
        self.number = number
        self.fields: dict[str, Any] = {"number": number}
        self.lists: dict[str, list[Any]] = {}
        self.routes: dict[AccessRouteKind, AccessRoute] = {}
        self.v2_juries: dict[AccessRouteKind, str | None] = {}
        self.extra: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def build(self, fiche: etree._Element, provenance: Provenance) -> Certification:
        for child in fiche:
            try:
                _HANDLERS.get(child.tag, _Fiche._keep)(self, child)
            except _Bad as bad:
                bad.line = child.sourceline
                raise
        if not self.fields.get("title"):
            raise _Bad("missing-title", "INTITULE: missing, expected the title of the certification")
        for kind, jury in self.v2_juries.items():
            if kind in self.routes:
                self.routes[kind] = AccessRoute(kind, self.routes[kind].open, jury)
            elif jury:
                self.extra.append((f"JURY_{kind.value}", jury))
        fields = self.fields
        fields.update((name, tuple(items)) for name, items in self.lists.items())
        fields["ccn"] = tuple({c.code: c for c in fields.get("ccn", ())}.values())
        fields["access_routes"] = tuple(self.routes.values())
        fields["registrations"] = self._registrations()
        fields["extra"] = tuple(self.extra)
        return Certification(provenance=provenance, **fields)

    # -- one handler per child tag of FICHE, see _HANDLERS

    def _skip(self, child: etree._Element) -> None:
        """NUMERO_FICHE, read before the pass."""

    def _plain_text(self, child: etree._Element) -> None:
        self.fields[_TEXTS[child.tag]] = _text(child)

    def _plain_value(self, child: etree._Element) -> None:
        name, parse = _VALUES[child.tag]
        self.fields[name] = _parse(parse, _text(child), child.tag)

    def _level_years(self, child: etree._Element) -> None:
        self.fields["level_years"] = tuple(
            _parse(values.parse_int, text, f"{child.tag}/ANNEE") for text in _texts(child)
        )

    def _list_text(self, child: etree._Element) -> None:
        raw_name, items_name = _LISTS[child.tag]
        raw = self.fields[raw_name] = _text(child)
        self.fields[items_name] = split_items(raw)

    def _code_list(self, child: etree._Element) -> None:
        name, code_tag = _CODE_LISTS[child.tag]
        self._add(name, _codes(_each(child), code_tag))

    def _ccn(self, child: etree._Element) -> None:
        self._add("ccn", _codes([(child, child.tag)], "NUMERO"))

    def _v2_jury(self, child: etree._Element) -> None:
        self.v2_juries[_V2_JURIES[child.tag]] = _text(child)

    def _replacements(self, child: etree._Element) -> None:
        self._add(_REPLACEMENTS[child.tag], _texts(child))

    def _abbreviation(self, child: etree._Element) -> None:
        leaves = _leaves(child)
        code = leaves.get("CODE")
        self.fields["abbreviation"] = Code(code, _label(leaves)) if code else None

    def _level(self, child: etree._Element) -> None:
        leaves = _leaves(child)
        self.fields["level"] = _value(values.parse_level, leaves, "NIVEAU", child.tag)
        self.fields["level_label"] = _label(leaves)

    def _certifiers(self, child: etree._Element) -> None:
        self._add("certifiers", [self._certifier(c, p) for c, p in _each(child)])

    def _statistics(self, child: etree._Element) -> None:
        self._add("statistics", [self._statistic(c, p) for c, p in _each(child)])

    def _blocks(self, child: etree._Element) -> None:
        self._add("blocks", [self._block(c, p) for c, p in _each(child)])

    def _correspondences(self, child: etree._Element) -> None:
        self._add("correspondences", [self._correspondence(c, p) for c, p in _each(child)])

    def _add(self, name: str, items: list[Any]) -> None:
        self.lists.setdefault(name, []).extend(items)

    def _keep(self, elem: etree._Element) -> None:
        """An element the model has no field for: kept as (tag, text)."""
        text = _text(elem) if not len(elem) else " ; ".join(_texts(elem))
        if text:
            self.extra.append((elem.tag, text))

    # -- organisations

    @staticmethod
    def _certifier(elem: etree._Element, path: str) -> Organisation:
        leaves = _leaves(elem)
        name = leaves.get("NOM_CERTIFICATEUR") or leaves.get("NOM_COMMERCIAL")
        if name is None:
            raise _Bad("missing-certifier-name", f"{path}/NOM_CERTIFICATEUR: missing, expected a name")
        return Organisation(
            name=name,
            siret=_value(_siret, leaves, "SIRET_CERTIFICATEUR", path),
            commercial_name=leaves.get("NOM_COMMERCIAL"),
            website=leaves.get("SITE_INTERNET"),
            active=_value(values.parse_bool, leaves, "ETAT_CERTIFICATEUR", path),
            status_date=_value(_date, leaves, "DATE_DERNIERE_MODIFICATION_ETAT", path),
        )

    def _partners(self, container: etree._Element) -> None:
        """The partners; a bad partner SIRET is dropped with one warning for the fiche."""
        partners, bad_sirets = [], []
        for elem, path in _each(container):
            leaves = _leaves(elem)
            name = leaves.get("NOM_PARTENAIRE")
            if name is None:
                raise _Bad("missing-partner-name", f"{path}/NOM_PARTENAIRE: missing, expected a name")
            siret = leaves.get("SIRET_PARTENAIRE")
            try:
                siret = _siret(siret) if siret else None
            except ValueError:
                bad_sirets.append(f"{path}/SIRET_PARTENAIRE {siret!r}")
                siret = None
            partners.append(
                Partner(
                    name=name,
                    siret=siret,
                    habilitation=leaves.get("HABILITATION_PARTENAIRE"),
                    state=leaves.get("ETAT_HABILITATION"),
                    active_date=_value(_date, leaves, "DATE_ACTIF", path),
                    status_date=_value(_date, leaves, "DATE_DERNIERE_MODIFICATION_ETAT", path),
                )
            )
        if bad_sirets:
            self.warnings.append((
                "bad-partner-siret",
                f"{len(bad_sirets)} partner SIRET(s) are not 14 digits and were dropped, "
                f"first {bad_sirets[0]}",
            ))  # fmt: skip
        self._add("partners", partners)

    # -- routes, legal texts, statistics

    def _route(self, elem: etree._Element) -> None:
        tag = elem.tag
        kind = _ROUTES[tag]
        if not len(elem):  # V2: <SI_JURY_FI>Oui</SI_JURY_FI> and a sibling JURY_FI
            is_open = _parse(values.parse_bool, _text(elem), tag)
            if is_open is None:
                raise _Bad("bad-boolean", f"{tag}: empty, expected Oui or Non")
            self.routes[kind] = AccessRoute(kind, is_open)
            return
        leaves = _leaves(elem)
        is_open = _value(values.parse_bool, leaves, "ACTIF", tag)
        if is_open is None:
            raise _Bad("bad-boolean", f"{tag}/ACTIF: missing, expected Oui or Non")
        modified = _value(_date, leaves, "DATE_DERNIERE_MODIFICATION", tag)
        self.routes[kind] = AccessRoute(kind, is_open, leaves.get("COMPOSITION"), modified)

    def _legal_texts(self, container: etree._Element) -> None:
        kind = _LEGAL[container.tag]
        texts = []
        for elem, path in _each(container):
            leaves = _leaves(elem)
            title = leaves.get("TITRE")
            if title is None:
                raise _Bad(
                    "missing-legal-text-title", f"{path}/TITRE: missing, expected the title of the act"
                )
            published = _value(_date, leaves, "DATE_PUBLICATION_JO", path)
            texts.append(LegalText(kind, title, _act_date(title), published))
        self._add("legal_texts", texts)

    @staticmethod
    def _statistic(elem: etree._Element, path: str) -> Statistic:
        leaves = _leaves(elem)
        numbers = {name: _value(values.parse_int, leaves, tag, path) for tag, name in _STATISTICS.items()}
        return Statistic(**numbers)

    def _urls(self, elem: etree._Element) -> None:
        """The URLs of LIEN_URL_DESCRIPTION; any other wording is kept in ``extra``."""
        text = _text(elem) or ""
        tokens = text.split()
        urls = [t for t in tokens if t.startswith(("http://", "https://"))]
        self._add("urls", urls)
        if any(_WORD.search(t) for t in tokens if not t.startswith(("http://", "https://"))):
            self.extra.append((elem.tag, text))

    # -- blocks and correspondences

    def _block(self, elem: etree._Element, path: str) -> Block:
        leaves = _leaves(elem)
        code, number = self._block_code(leaves.get("CODE"), f"{path}/CODE")
        title = leaves.get("LIBELLE") or leaves.get("INTITULE")
        if title is None:
            raise _Bad("missing-block-title", f"{path}/LIBELLE: missing, expected the title of block {code}")
        competences = leaves.get("LISTE_COMPETENCES")
        assessments = leaves.get("MODALITES_EVALUATION")
        self.extra.extend(
            (f"{path}/{tag}", text) for tag, text in leaves.items() if tag not in _BLOCK_TAGS and text
        )
        return Block(
            code=code,
            title=title,
            number=number,
            competences=split_items(competences),
            competences_text=competences,
            assessments=split_items(assessments),
            assessments_text=assessments,
            optional=_OPTIONAL_BLOCK in title.lower(),
            entry_prerequisites=leaves.get("PREREQUIS_ENTREE_FORMATION_BLOC"),
            validation_prerequisites=leaves.get("PREREQUIS_VALIDATION_BLOC"),
        )

    def _block_code(self, code: str | None, path: str) -> tuple[str, int]:
        """The block code and number; a bare ``01`` gets the fiche's prefix, with a warning."""
        if code is not None:
            m = _BLOCK_CODE.fullmatch(code)
            if m and m.group(1) == self.number:
                return code, int(m.group(2))
            if _BARE_BLOCK_CODE.fullmatch(code):
                fixed = f"{self.number}BC{int(code):02d}"
                self.warnings.append(("block-code-normalised", f"{path}: bare code {code!r} read as {fixed}"))
                return fixed, int(code)
        raise _Bad("bad-block-code", f"{path}: bad block code {code!r}, expected {self.number}BCnn")

    @staticmethod
    def _correspondence(elem: etree._Element, path: str) -> Correspondence:
        target, sources, targets = None, [], []
        for part in elem:
            if part.tag == "SOURCE":
                sources.extend(_texts(part))
            elif part.tag == "DESTINATION":
                for item in part:
                    if item.tag == "NUMERO_FICHE":
                        target = _text(item)
                    elif item.tag == "BLOC_COMPETENCES":
                        targets.extend(_texts(item))
        if target is None:
            raise _Bad("missing-correspondence-target", f"{path}/DESTINATION/NUMERO_FICHE: missing")
        return Correspondence(target, tuple(sources), tuple(targets))

    def _registrations(self) -> tuple[RegistrationPeriod, ...]:
        fields = self.fields
        start = fields.get("decision_date") or fields.get("effective_date")
        end = fields.get("end_date")
        if start is None and end is None:
            return ()
        return (RegistrationPeriod(start, end, fields.get("registration_years")),)


_HANDLERS: dict[str, Callable[[_Fiche, etree._Element], None]] = {
    "NUMERO_FICHE": _Fiche._skip,
    **dict.fromkeys(_TEXTS, _Fiche._plain_text),
    **dict.fromkeys(_VALUES, _Fiche._plain_value),
    **dict.fromkeys(_LISTS, _Fiche._list_text),
    **dict.fromkeys(_CODE_LISTS, _Fiche._code_list),
    **dict.fromkeys(_CCN, _Fiche._ccn),
    **dict.fromkeys(_ROUTES, _Fiche._route),
    **dict.fromkeys(_V2_JURIES, _Fiche._v2_jury),
    **dict.fromkeys(_LEGAL, _Fiche._legal_texts),
    **dict.fromkeys(_REPLACEMENTS, _Fiche._replacements),
    "ABREGE": _Fiche._abbreviation,
    "NOMENCLATURE_EUROPE": _Fiche._level,
    "CERTIFICATEURS": _Fiche._certifiers,
    "PARTENAIRES": _Fiche._partners,
    "STATISTIQUES_PROMOTIONS": _Fiche._statistics,
    "BLOCS_COMPETENCES": _Fiche._blocks,
    "CORRESPONDANCES": _Fiche._correspondences,
    "LIEN_URL_DESCRIPTION": _Fiche._urls,
    "ANNEES_PROMOTIONS_NIVEAU": _Fiche._level_years,
}
"""Child tag of FICHE → its handler; any other child is kept in ``extra``."""


def _codes(elems: Iterable[tuple[etree._Element, str]], code_tag: str) -> list[Code]:
    """The codes of (element, path) pairs, each with its label."""
    codes = []
    for elem, path in elems:
        leaves = _leaves(elem)
        code = leaves.get(code_tag)
        if code is None:
            raise _Bad("missing-code", f"{path}/{code_tag}: missing, expected a code")
        codes.append(Code(code, _label(leaves)))
    return codes


@functools.lru_cache(maxsize=4096)
def _act_date(title: str) -> date | None:
    """The date of an act from its title ("Arrêté du 16 février 2006 publié…"), if it says.

    Cached: the same general texts head thousands of fiches.
    """
    m = _ACT_DATE.search(title)
    if not m:
        return None
    try:
        return values.parse_french_date(m.group(1))
    except ValueError:
        return None
