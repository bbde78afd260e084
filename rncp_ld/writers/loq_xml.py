"""Certifications → the Europass qualification-upload XML (LOQ 3.1.0, ``loq.xsd``).

The document (root ``Courses``, namespace :data:`NAMESPACE`) holds one section per kind of
element, in the order the schema fixes, each at most once: specifications, learning
outcomes, assessments, entitlements, organisations, locations. To write a whole register
with flat memory, :meth:`LoqWriter.fiche` appends each fiche's elements to one temporary
spool file per section and :meth:`LoqWriter.end` writes the root and copies the spools in
order. A fiche is built completely before anything is spooled: a fiche that raises
:class:`~rncp_ld.errors.FicheError` leaves nothing behind and the document stays valid.

Mapping (ids are the IRIs of the RDF graph of :mod:`rncp_ld.rdf.graph`; the schema types
``id``/``idref`` as ``xs:anyURI``):

* a certification with a level → ``qualification`` (``isPartialQualification`` false);
  each block → ``qualification`` with ``isPartialQualification`` true, ``isPartOf`` the
  certification, which lists it in ``hasPart``. Identifier (``skos:notation`` + scheme
  ``RNCP``/``RS``), French title, objectives as description, France Compétences page as
  homepage, diploma type as category, ``ISCEDFCode`` from the NSF codes
  (:meth:`~rncp_ld.vocabularies.Vocabularies.isced`, ``vocab/nsf-isced-f.csv``; a fiche
  whose codes map to nothing gets ISCED-F ``9999`` "Field unknown"), NSF and Formacode
  concepts as ``educationSubject``, language French, entry requirements, ``EQFLevel`` =
  the national level, ``NQFLevel`` from ``vocab/fr-nqf-qdr.csv`` (the QDR has concepts for
  the pre-2019 levels only: levels 1 and 2 get the concept of the French framework itself,
  :data:`FRENCH_NQF`). Blocks carry their certification's levels and fields.
* a fiche without a level (every RS fiche) → ``learningAchievementSpecification`` (its
  blocks too): the schema's ``qualification`` requires ``EQFLevel`` and ``NQFLevel``, its
  parent type does not.
* learning outcomes: a block's competences (and the items of its legacy capacity group);
  a certification's capacities, else those of its mandatory blocks (holding the
  certification means holding each of them), else its capacities text as one outcome.
  The schema requires at least one per specification: a fiche that has none for the
  certification or for a block raises :class:`~rncp_ld.errors.FicheError`.
* each certifier → ``awardingOpportunity`` of the certification, whose ``awardingBody`` is an
  ``organisation`` written once per document (legal name, SIRET as ``registration`` in
  France). The schema requires a ``location`` with a country: the fiches give no address,
  so each organisation gets one location with country France (certifiers of the French
  registers).
* a block's assessment methods → ``learningAssessmentSpecification`` (``provenBy``);
  the ROME codes → one ``learningEntitlementSpecification`` of type *occupation*, status
  *prospective* (``entitlesTo``), with the ROME concepts and their ESCO matches.

A fiche number already written raises :class:`~rncp_ld.errors.FicheError`: ids and
identifier notations must be unique in the document.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO
from xml.sax.saxutils import escape

from rdflib import URIRef

from ..errors import FicheError
from ..model import Block, Certification, Code
from ..uris import Minter, eqf
from ..vocabularies import Vocabularies

__all__ = ["FIELD_UNKNOWN", "FRENCH_NQF", "NAMESPACE", "SECTIONS", "XSD_VERSION", "LoqWriter"]

NAMESPACE = "http://data.europa.eu/snb/model/ap/loq-constraints/"
"""Target namespace of ``loq.xsd``."""
XSD_VERSION = "3.1.0"
SKOS = "http://www.w3.org/2004/02/skos/core#"

SECTIONS = (
    "learningAchievementSpecificationReferences",
    "learningOutcomeReferences",
    "learningAssessmentSpecificationReferences",
    "learningEntitlementSpecificationReferences",
    "agentReferences",
    "locationReferences",
)
"""The sections written, in the order of the schema's ``CoursesRootType``."""

FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
FRANCE = "http://publications.europa.eu/resource/authority/country/FRA"
FIELD_UNKNOWN = "http://data.europa.eu/snb/isced-f/9999"
"""ISCED-F "Field unknown": the field of a fiche whose NSF codes give none."""
FRENCH_NQF = "http://data.europa.eu/snb/qdr/c_c8bc1cb9"
"""QDR "French National Qualifications Framework": the NQF level of levels 1 and 2."""
OCCUPATION = "http://data.europa.eu/snb/entitlement/52f62180c2"
PROSPECTIVE = "http://data.europa.eu/snb/entitlement-status/5b8d6b34fb"
_FC_PAGE = "https://www.francecompetences.fr/recherche/{registry}/{number}/"
_JOBS_TITLE = "Métiers accessibles (ROME)"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_LOQ_NEEDS = "the LOQ requires at least one learningOutcome per specification"


def _text(value: str) -> str:
    """``value`` as element content: escaped, characters XML 1.0 forbids dropped."""
    return escape(_NOT_XML.sub("", value))


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(
        f' {name}="{escape(_NOT_XML.sub("", value), _ATTRIBUTE)}"'
        for name, value in attrs.items()
        if value is not None
    )


class _Lines:
    """The escaped, indented lines of the elements of one section."""

    __slots__ = ("depth", "parts")

    def __init__(self, depth: int = 2) -> None:
        self.parts: list[str] = []
        self.depth = depth

    def open(self, tag: str, **attrs: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{_attrs(attrs)}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.parts.append(f"{'  ' * self.depth}</{tag}>\n")

    def leaf(self, tag: str, text: str, **attrs: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{_attrs(attrs)}>{_text(text)}</{tag}>\n")

    def empty(self, tag: str, **attrs: str | None) -> None:
        self.parts.append(f"{'  ' * self.depth}<{tag}{_attrs(attrs)}/>\n")

    def note(self, tag: str, text: str | None) -> None:
        """A ``NoteType`` element with a French ``noteLiteral``."""
        if text:
            self.open(tag)
            self.leaf("noteLiteral", text, language="fr")
            self.close(tag)

    def concept(
        self,
        tag: str,
        uri: str,
        label: str | None = None,
        notation: str | None = None,
        scheme: str | None = None,
    ) -> None:
        """A ``skos:ConceptType`` element, with its label, notation and scheme when given."""
        if not (label or notation or scheme):
            self.empty(tag, uri=uri)
            return
        self.open(tag, uri=uri)
        if label:
            self.leaf("skos:prefLabel", label, language="fr")
        if notation:
            self.leaf("skos:notation", notation)
        if scheme:
            self.leaf("skos:inScheme", scheme)
        self.close(tag)


@dataclass(frozen=True, slots=True)
class _Outcome:
    id: URIRef
    title: str


@dataclass(frozen=True, slots=True)
class _Subject:
    uri: URIRef
    label: str | None
    notation: str
    scheme: URIRef


class _Fiche:
    """Builds every element of one fiche, section by section, without writing anything."""

    def __init__(self, writer: LoqWriter, cert: Certification) -> None:
        self.cert = cert
        self.m = writer.minter
        self.vocab = writer.vocabularies
        self.known_orgs = writer._orgs
        self.sections = {name: _Lines() for name in SECTIONS}
        self.orgs: dict[URIRef, None] = {}
        """Organisations first met in this fiche, in order."""
        self.specs = 0

    def missing_outcome(self, what: str) -> FicheError:
        """The error of a specification without learning outcome."""
        hint = "; the CSV export has no capacities or competences: convert the XML export"
        return self.error(f"{what}: {_LOQ_NEEDS}{hint if self.cert.provenance.format == 'fc-csv' else ''}")

    def error(self, message: str) -> FicheError:
        prov = self.cert.provenance
        return FicheError(
            message,
            source=prov.source,
            fiche=self.cert.number,
            location=f"line {prov.line}" if prov.line else None,
        )

    def iri(self, kind: str, *values: str | None) -> URIRef:
        """Mint an IRI, turning a bad code into a FicheError."""
        try:
            iri: URIRef = getattr(self.m, kind)(*values)
        except ValueError as error:
            raise self.error(str(error)) from None
        return iri

    # --- the fiche ----------------------------------------------------------------------

    def build(self) -> _Fiche:
        cert = self.cert
        c = self.iri("certification", cert.number)
        if not cert.title.strip():
            raise self.error("the fiche gives an empty title: the LOQ requires a title")
        element = "qualification" if cert.level is not None else "learningAchievementSpecification"
        levels = self.levels()
        fields = self.fields()
        blocks = [(block, iri, self.block_outcomes(block, iri)) for block, iri in self.blocks()]
        own, summary = self.own_outcomes(c)
        if not own:
            own = [lo for block, _, outcomes in blocks if not block.optional for lo in outcomes]
        if not own and cert.capacities_text and cert.capacities_text.strip():
            own, summary = [_Outcome(self.m.part(c, "capacity", "text"), cert.capacities_text)], None
        if not own:
            why = "no capacity for the certification and " + ("no mandatory block" if blocks else "no block")
            raise self.missing_outcome(f"the fiche lists {why}")
        jobs = self.entitlement(c)
        awarding = self.certifiers()

        specs = self.sections["learningAchievementSpecificationReferences"]
        specs.open(element, id=c)
        self.identifier(specs, cert.number, cert.registry.value)
        specs.leaf("title", cert.title, language="fr")
        if cert.objectives:
            specs.leaf("description", cert.objectives, language="fr")
        page = _FC_PAGE.format(registry=cert.registry.value.lower(), number=cert.numeric_id)
        specs.open("homepage")
        specs.leaf("contentUrl", page)
        specs.close("homepage")
        if cert.abbreviation:
            specs.leaf("category", cert.abbreviation.label or cert.abbreviation.code, language="fr")
        specs.note("learningOutcomeSummary", summary)
        for field in fields:
            specs.empty("ISCEDFCode", uri=field)
        for subject in self.subjects():
            specs.concept("educationSubject", subject.uri, subject.label, subject.notation, subject.scheme)
        specs.empty("language", uri=FRENCH)
        specs.note("entryRequirement", cert.entry_prerequisites)
        for lo in own:
            specs.empty("learningOutcome", idref=lo.id)
        if jobs:
            specs.empty("entitlesTo", idref=jobs)
        for _, iri, _ in blocks:
            specs.empty("hasPart", idref=iri)
        for org in awarding:
            specs.open("awardingOpportunity")
            specs.empty("awardingBody", idref=org)
            specs.empty("learningAchievementSpecification", idref=c)
            specs.close("awardingOpportunity")
        self.tail(specs, element, levels, partial=False)
        specs.close(element)
        self.specs += 1
        from_blocks = {lo for _, _, outcomes in blocks for lo in outcomes}
        self.outcomes(lo for lo in own if lo not in from_blocks)
        for block, iri, outcomes in blocks:
            self.block(block, iri, c, element, levels, fields, outcomes)
        return self

    def identifier(self, lines: _Lines, notation: str, scheme: str) -> None:
        lines.open("identifier")
        lines.leaf("skos:notation", notation)
        lines.leaf("schemeName", scheme)
        lines.close("identifier")

    def tail(self, lines: _Lines, element: str, levels: tuple[str, str] | None, *, partial: bool) -> None:
        """The elements ``qualification`` adds to a learning achievement specification."""
        if element != "qualification" or levels is None:
            return
        lines.leaf("isPartialQualification", "true" if partial else "false")
        lines.empty("EQFLevel", uri=levels[0])
        lines.empty("NQFLevel", uri=levels[1])

    # --- classifications ------------------------------------------------------------------

    def levels(self) -> tuple[str, str] | None:
        """EQF and QDR concepts of the fiche's level; None for a fiche without level."""
        level = self.cert.level
        if level is None:
            return None
        try:
            eqf_level = str(eqf(level))
        except ValueError:
            raise self.error(f"level {level} is not a level of the national framework (1 to 8)") from None
        return eqf_level, str(self.vocab.qdr(level) or FRENCH_NQF)

    def fields(self) -> list[str]:
        """ISCED-F fields of the NSF codes, in order, each once; "Field unknown" if none."""
        found: list[str] = []
        for code in self.cert.nsf:
            for field in self.vocab.isced(code.code):
                if field not in found:
                    found.append(field)
        return found or [FIELD_UNKNOWN]

    def subjects(self) -> list[_Subject]:
        """The NSF and Formacode concepts of the fiche."""
        found = []
        for scheme, codes in (("nsf", self.cert.nsf), ("formacode", self.cert.formacodes)):
            for code in codes:
                iri = self.iri(scheme, code.code)
                found.append(_Subject(iri, self.label(iri, code), code.code, self.m.scheme(scheme)))
        return found

    def label(self, iri: URIRef, code: Code | None = None) -> str | None:
        """The fiche's label of a code, else the vocabularies' French label of ``iri``."""
        if code is not None and code.label:
            return code.label
        found = self.vocab.label(iri)
        return str(found) if found is not None else None

    # --- learning outcomes ----------------------------------------------------------------

    def own_outcomes(self, c: URIRef) -> tuple[list[_Outcome], str | None]:
        """The certification's capacities (and legacy groups no block took), its summary."""
        cert = self.cert
        found = self.items(c, "capacity", cert.capacities)
        attached = {block.capacities.letter for block in cert.blocks if block.capacities}
        for group in cert.capacity_groups:
            if group.letter not in attached:
                found += self.items(self.m.part(c, "capacity-group", group.letter), "capacity", group.items)
        return found, cert.capacities_text

    def items(self, owner: URIRef, kind: str, items: Iterable[str]) -> list[_Outcome]:
        """Outcomes ``{owner}/{kind}/{n}`` (the RDF graph's IRIs), blank items skipped."""
        return [
            _Outcome(self.m.part(owner, kind, index), item)
            for index, item in enumerate(items, 1)
            if item.strip()
        ]

    def block_outcomes(self, block: Block, iri: URIRef) -> list[_Outcome]:
        """A block's competences and legacy capacities, else its competence text as one outcome."""
        found = self.items(iri, "competence", block.competences)
        if block.capacities:
            group = self.m.part(iri, "capacity-group", block.capacities.letter)
            found += self.items(group, "capacity", block.capacities.items)
        if not found and block.competences_text and block.competences_text.strip():
            found = [_Outcome(self.m.part(iri, "competence", "text"), block.competences_text)]
        if not found:
            raise self.missing_outcome(f"block {block.code} lists no competence")
        return found

    def outcomes(self, outcomes: Iterable[_Outcome]) -> None:
        lines = self.sections["learningOutcomeReferences"]
        for lo in outcomes:
            lines.open("learningOutcome", id=lo.id)
            lines.leaf("title", lo.title, language="fr")
            lines.close("learningOutcome")

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self) -> list[tuple[Block, URIRef]]:
        """The blocks with their IRIs; a code given twice is an error."""
        found: list[tuple[Block, URIRef]] = []
        seen: set[URIRef] = set()
        for block in self.cert.blocks:
            iri = self.iri("block", self.cert.number, block.code)
            if iri in seen:
                raise self.error(f"block {block.code} is given twice: LOQ ids must be unique")
            if not block.title.strip():
                raise self.error(f"block {block.code} has an empty title: the LOQ requires a title")
            seen.add(iri)
            found.append((block, iri))
        return found

    def block(
        self,
        block: Block,
        iri: URIRef,
        c: URIRef,
        element: str,
        levels: tuple[str, str] | None,
        fields: list[str],
        outcomes: list[_Outcome],
    ) -> None:
        assessments = self.assessments(block, iri)
        specs = self.sections["learningAchievementSpecificationReferences"]
        specs.open(element, id=iri)
        self.identifier(specs, block.code, f"{self.cert.registry.value} bloc de compétences")
        specs.leaf("title", block.title, language="fr")
        text = block.competences_text
        if text and not (len(outcomes) == 1 and outcomes[0].title == text):
            specs.note("learningOutcomeSummary", text)
        for field in fields:
            specs.empty("ISCEDFCode", uri=field)
        specs.empty("language", uri=FRENCH)
        specs.note("entryRequirement", block.entry_prerequisites)
        for lo in outcomes:
            specs.empty("learningOutcome", idref=lo.id)
        for assessment in assessments:
            specs.empty("provenBy", idref=assessment)
        specs.empty("isPartOf", idref=c)
        self.tail(specs, element, levels, partial=True)
        specs.close(element)
        self.specs += 1
        self.outcomes(outcomes)

    def assessments(self, block: Block, iri: URIRef) -> list[URIRef]:
        """The block's assessment methods as specifications proving it; their ids."""
        items = list(block.assessments)
        if not items and block.assessments_text and block.assessments_text.strip():
            items = [block.assessments_text]
        lines = self.sections["learningAssessmentSpecificationReferences"]
        found = []
        for index, text in enumerate(items, 1):
            if not text.strip():
                continue
            node = self.m.part(iri, "assessment", index)
            lines.open("learningAssessmentSpecification", id=node)
            lines.leaf("title", text, language="fr")
            lines.empty("proves", idref=iri)
            lines.close("learningAssessmentSpecification")
            found.append(node)
        return found

    # --- entitlement, awarding bodies -----------------------------------------------------

    def entitlement(self, c: URIRef) -> URIRef | None:
        """The occupations the ROME codes name, as one prospective entitlement; its id."""
        cert = self.cert
        if not cert.rome:
            return None
        node = self.m.part(c, "entitlement", "jobs")
        scheme = self.m.scheme("rome")
        codes = [(code, self.iri("rome", code.code)) for code in cert.rome]
        esco: list[URIRef] = []
        for _, iri in codes:
            for occupation in self.vocab.close_matches(iri):
                if occupation not in esco:
                    esco.append(occupation)
        lines = self.sections["learningEntitlementSpecificationReferences"]
        lines.open("learningEntitlementSpecification", id=node)
        lines.leaf("title", _JOBS_TITLE, language="fr")
        lines.empty("type", uri=OCCUPATION)
        lines.empty("entitlementStatus", uri=PROSPECTIVE)
        for occupation in esco:
            lines.concept("limitOccupation", occupation, self.label(occupation))
        for code, iri in codes:
            lines.concept("limitNationalOccupation", iri, self.label(iri, code), code.code, scheme)
        lines.empty("entitledBy", idref=c)
        lines.close("learningEntitlementSpecification")
        return node

    def certifiers(self) -> list[URIRef]:
        """The awarding bodies, each once; organisations new to the document are written."""
        found: list[URIRef] = []
        for certifier in self.cert.certifiers:
            org = self.iri("organisation", certifier.siret, certifier.name)
            if org in found:
                continue
            found.append(org)
            if org in self.known_orgs or org in self.orgs:
                continue
            self.orgs[org] = None
            location = self.m.part(org, "location", "country")
            agents = self.sections["agentReferences"]
            agents.open("organisation", id=org)
            agents.leaf("legalName", certifier.name, language="fr")
            if certifier.siret:
                agents.open("registration")
                agents.leaf("skos:notation", certifier.siret)
                agents.leaf("schemeName", "SIRET")
                agents.empty("spatial", uri=FRANCE)
                agents.close("registration")
            agents.empty("location", idref=location)
            agents.close("organisation")
            places = self.sections["locationReferences"]
            places.open("location", id=location)
            places.open("address")
            places.empty("countryCode", uri=FRANCE)
            places.close("address")
            places.close("location")
        return found


class LoqWriter:
    """Writes fiches as one LOQ 3.1.0 document: ``start()``, ``fiche(cert)`` for each, ``end()``.

    Args:
        out: the text stream of the document (UTF-8).
        minter: mints the ids (the IRIs of the RDF output).
        vocabularies: the vocabularies under ``minter``'s base (loaded when None).
        spool_dir: where the per-section spool files go (the system's temporary directory
            when None).
    """

    unit = "qualifications"
    """:attr:`count` counts the specifications written: ``qualification`` elements, and
    ``learningAchievementSpecification`` elements for fiches without level."""

    def __init__(
        self,
        out: TextIO,
        minter: Minter | None = None,
        *,
        vocabularies: Vocabularies | None = None,
        spool_dir: str | Path | None = None,
    ) -> None:
        self.out = out
        self.minter = minter or Minter()
        self.vocabularies = vocabularies or Vocabularies.load(self.minter)
        self.count = 0
        self._spool_dir = spool_dir
        self._spools: dict[str, IO[str]] = {}
        self._sizes = dict.fromkeys(SECTIONS, 0)
        self._orgs: set[URIRef] = set()
        self._fiches: dict[str, str] = {}
        """Fiche number → the source it was written from."""

    def start(self) -> None:
        """Open the spool files (one per section)."""
        if not self._spools:
            self._spools = {
                name: tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=self._spool_dir)
                for name in SECTIONS
            }

    def fiche(self, cert: Certification) -> None:
        """Spool every element of ``cert``.

        Raises:
            FicheError: the fiche cannot be written (no learning outcome, number already
                written, bad code); nothing of it is spooled.
        """
        first = self._fiches.get(cert.number)
        if first is not None:
            raise FicheError(
                f"already written from {first}: a LOQ document holds each qualification once",
                source=cert.provenance.source,
                fiche=cert.number,
            )
        built = _Fiche(self, cert).build()
        self.start()
        for name, lines in built.sections.items():
            if lines.parts:
                text = "".join(lines.parts)
                self._spools[name].write(text)
                self._sizes[name] += len(text)
        self._orgs.update(built.orgs)
        self._fiches[cert.number] = cert.provenance.source
        self.count += built.specs

    def end(self) -> None:
        """Write the document: the root, then each non-empty section from its spool."""
        self.start()
        out = self.out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<Courses xmlns="{NAMESPACE}" xmlns:skos="{SKOS}" xsdVersion="{XSD_VERSION}">\n')
        try:
            for name in SECTIONS:
                if not self._sizes[name]:
                    continue
                spool = self._spools[name]
                spool.flush()
                spool.seek(0)
                out.write(f"  <{name}>\n")
                shutil.copyfileobj(spool, out, 1 << 20)
                out.write(f"  </{name}>\n")
            out.write("</Courses>\n")
        finally:
            self.close()

    def close(self) -> None:
        """Delete the spool files (done by :meth:`end`)."""
        for spool in self._spools.values():
            spool.close()
        self._spools = {}
