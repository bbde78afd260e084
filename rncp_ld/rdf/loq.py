"""Model → the ELM-only projection of a fiche that the official LOQ SHACL shapes accept.

The main graph (:mod:`rncp_ld.rdf.graph`) mixes ELM with schema.org and ``rncp:`` terms;
the shapes of the Europass "Learning Opportunities and Qualifications" profile
(``LOQ-constraints.ttl`` + ``LOQ-constraints-mdr.ttl``, ELM 3.1) are ``sh:closed``, so this
profile keeps only what those shapes allow, on the same IRIs as the main graph:

* the certification and each of its blocks as an ``elm:Qualification`` (blocks with
  ``elm:isPartialQualification true``, ``elm:isPartOf`` / ``elm:hasPart``), with an
  ``elm:Identifier``, ``dct:title``/``dct:description`` in French, ``dct:language``,
  ``elm:EQFLevel``, ``elm:NQFLevel`` (a QDR concept), ``elm:ISCEDFCode`` (from the NSF
  codes), ``elm:educationSubject`` (the NSF and Formacode concepts), learning outcomes with
  their summary, entry requirements, and the blocks' assessments
  (``elm:LearningAssessmentSpecification``);
* each certifier as the ``elm:awardingBody`` of an ``elm:AwardingOpportunity``: an
  ``elm:Organisation`` with ``rov:legalName`` and its SIRET as an ``elm:LegalIdentifier``
  (``rov:registration``, ``dct:spatial`` France);
* every controlled value as a ``skos:Concept`` in the scheme the shapes require (typed
  ``skos:ConceptScheme``).

Values the shapes demand and the fiche cannot give are left out, never invented; each one is
reported by :func:`gaps` (an :class:`~rncp_ld.report.Issue` naming the shape, the property
and why the fiche lacks it), so that a LOQ validation of the projection shows exactly the
violations :func:`gaps` announces. Values the fiche does give indirectly are filled:

* a block has the level and the ISCED-F codes of its certification;
* a certification without its own list of outcomes has those of its mandatory blocks
  (holding the certification means holding every mandatory block);
* outcomes the fiche gives as one text only are that one outcome (``{owner}/capacity/text``,
  ``{block}/competence/text``, as the LOQ XML writer does).

Unlike the LOQ XML writer (:mod:`rncp_ld.writers.loq_xml`), which must write schema-valid
documents, this profile does not type a fiche without level as a plain
``elm:LearningAchievementSpecification``, give certifiers a location in France, or stand in
ISCED-F ``9999`` or the French framework concept for a missing field or level: those stay gaps.

Left out because the official shapes cannot accept them (not gaps: LOQ does not demand them):
``foaf:homepage`` (the shapes' URL pattern is Java regex syntax, ``(?i)`` and ``\\p{L}``, which
Python validators cannot compile), the ROME/ESCO entitlement (the closed
``LearningEntitlementSpecificationShape`` wants ``elm:status`` as a string, its CV shape wants
it as a concept: no node satisfies both), the registration period of an awarding opportunity
(``dct:PeriodOfTime`` wants ``elm:startDate`` as ``xsd:dateTime``; the fiche gives dates),
partners, access routes, legal texts, statistics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from ..model import Block, CapacityGroup, Certification, Code, Organisation
from ..namespaces import ADMS, DCTERMS, ELM, RDF, ROV, SKOS
from ..report import Issue, Severity
from ..uris import eqf
from .graph import FRANCE, FRENCH, ISCED_F_SCHEME, Context, Triple, _Builder, _isced, boolean, fr

__all__ = [
    "EQF_SCHEME",
    "GAP_SHAPES",
    "LOQ_SHAPES",
    "MDR_SHAPES",
    "QDR_SCHEME",
    "fiche_triples",
    "gaps",
    "project",
]

LOQ_SHAPES = "http://data.europa.eu/snb/model/ap/loq-constraints/"
"""Namespace of the closed shapes (``LOQ-constraints.ttl``)."""
MDR_SHAPES = "http://data.europa.eu/snb/model/ap/loq-constraints-mdr/"
"""Namespace of the controlled-vocabulary shapes (``LOQ-constraints-mdr.ttl``)."""

LANGUAGE_SCHEME = URIRef("http://publications.europa.eu/resource/authority/language")
COUNTRY_SCHEME = URIRef("http://publications.europa.eu/resource/authority/country")
EQF_SCHEME = URIRef("http://data.europa.eu/snb/eqf/25831c2")
QDR_SCHEME = URIRef("http://data.europa.eu/snb/qdr/25831c2")

_QUALIFICATION = (LOQ_SHAPES + "QualificationShape",)
_QUALIFICATION_AND_CV = (LOQ_SHAPES + "QualificationShape", MDR_SHAPES + "QualificationShapeCV")

GAP_SHAPES: dict[str, tuple[URIRef, tuple[str, ...]]] = {
    "loq-missing-title": (DCTERMS.title, _QUALIFICATION),
    "loq-missing-isced-f-code": (ELM.ISCEDFCode, _QUALIFICATION),
    "loq-missing-learning-outcome": (ELM.learningOutcome, _QUALIFICATION),
    "loq-missing-eqf-level": (ELM.EQFLevel, _QUALIFICATION_AND_CV),
    "loq-missing-nqf-level": (ELM.NQFLevel, _QUALIFICATION),
    "loq-missing-organisation-location": (ELM.location, (LOQ_SHAPES + "OrganisationShape",)),
}
"""Gap type → the property left out and the node shapes whose ``sh:minCount`` it breaks
(one LOQ validation result per shape, on the gap's focus node)."""

_PROPERTY_NAMES = {
    DCTERMS.title: "dct:title",
    ELM.ISCEDFCode: "elm:ISCEDFCode",
    ELM.learningOutcome: "elm:learningOutcome",
    ELM.EQFLevel: "elm:EQFLevel",
    ELM.NQFLevel: "elm:NQFLevel",
    ELM.location: "elm:location",
}


@dataclass(frozen=True, slots=True)
class _Levels:
    """What a fiche gives for the mandatory classifications of its qualifications."""

    eqf: URIRef | None
    nqf: tuple[URIRef, ...]
    isced: tuple[URIRef, ...]
    eqf_why: str
    nqf_why: str
    isced_why: str


class _Loq(_Builder):
    """The main graph's builder, plus the gaps met on the way."""

    def __init__(self, cert: Certification, ctx: Context) -> None:
        super().__init__(cert, ctx)
        self.gaps: list[Issue] = []
        self._gap_keys: set[tuple[str, str]] = set()

    def gap(self, type: str, focus: URIRef, what: str, why: str) -> None:
        """Record that ``focus`` lacks the property of gap ``type`` because ``why``."""
        key = (type, str(focus))
        if key in self._gap_keys:
            return
        self._gap_keys.add(key)
        path, shapes = GAP_SHAPES[type]
        names = " and ".join(s.rsplit("/", 1)[1] for s in shapes)
        prov = self.cert.provenance
        self.gaps.append(
            Issue(
                type,
                f"{what} has no {_PROPERTY_NAMES[path]}, which LOQ {names} require(s) (sh:minCount 1): {why}",
                Severity.WARNING,
                prov.source,
                self.cert.number,
                f"line {prov.line}" if prov.line else None,
                focus=str(focus),
                path=str(path),
                shape=shapes[0],
            )
        )

    def concept(self, iri: URIRef, scheme: URIRef) -> None:
        """A controlled value: the vocabularies' description, else typed in ``scheme``."""
        vocab = self.ctx.vocabularies
        assert vocab is not None
        if not self.describe_vocab(iri) and self.ctx.first(iri):
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, SKOS.inScheme, scheme)
        if scheme not in vocab and self.ctx.first(scheme):
            self.add(scheme, RDF.type, SKOS.ConceptScheme)


def project(cert: Certification, ctx: Context) -> tuple[list[Triple], list[Issue]]:
    """The LOQ triples of one fiche and the gaps they leave (see :func:`gaps`).

    Raises:
        FicheError: a code of the fiche cannot be used in an IRI.
    """
    b = _Loq(cert, ctx)
    c = b.code("certification", cert.number)
    levels = _levels(b)
    _certification(b, c, levels)
    _subjects(b, c)
    own = _outcomes_of_certification(b, c)
    parts = [_block(b, c, block, levels) for block in cert.blocks]
    if not own:
        _outcomes_from_blocks(b, c, cert.blocks, parts)
    for index, certifier in enumerate(cert.certifiers, 1):
        _awarding(b, c, index, certifier)
    return b.out, b.gaps


def fiche_triples(cert: Certification, ctx: Context) -> list[Triple]:
    """The LOQ triples of one fiche (the ``loq`` profile of ``rncp-ld convert``).

    Raises:
        FicheError: a code of the fiche cannot be used in an IRI.
    """
    return project(cert, ctx)[0]


def gaps(cert: Certification, ctx: Context | None = None) -> list[Issue]:
    """What the official LOQ shapes demand and ``cert`` does not give, one warning per node.

    Each issue names the focus node (IRIs minted by ``ctx``'s minter, the default base when
    None), the property (``path``) and the closed shape (``shape``); :data:`GAP_SHAPES` gives
    every shape whose ``sh:minCount`` the omission breaks. Types: ``loq-missing-title``,
    ``loq-missing-isced-f-code``, ``loq-missing-learning-outcome``, ``loq-missing-eqf-level``,
    ``loq-missing-nqf-level``, ``loq-missing-organisation-location``.

    Raises:
        FicheError: a code of the fiche cannot be used in an IRI.
    """
    return project(cert, ctx if ctx is not None else Context(repeat_shared=True))[1]


# --- classifications -------------------------------------------------------------------


def _levels(b: _Loq) -> _Levels:
    """EQF, QDR and ISCED-F concepts of the fiche, with why each may be missing."""
    cert = b.cert
    vocab = b.ctx.vocabularies
    assert vocab is not None
    level = nqf = None
    if cert.level is None:
        eqf_why = nqf_why = "the fiche states no level" + (
            " (RS certifications are not classified in the national framework)"
            if cert.registry.value == "RS"
            else ""
        )
    else:
        level, nqf, eqf_why = eqf(cert.level), vocab.qdr(cert.level), ""
        nqf_why = f"no QDR concept is known for the French level {cert.level} (vocab/fr-nqf-qdr.csv: the QDR lists the pre-2019 levels only)"
    b.isced = _isced(b)
    if not cert.nsf:
        isced_why = "the fiche gives no NSF code to derive the ISCED-F field from"
    else:
        codes = ", ".join(code.code for code in cert.nsf)
        isced_why = f"no ISCED-F field is known for its NSF code(s) {codes} (vocab/nsf-isced-f.csv)"
    return _Levels(level, (nqf,) if nqf else (), tuple(b.isced), eqf_why, nqf_why, isced_why)


def _classify(b: _Loq, node: URIRef, what: str, levels: _Levels, inherited: str = "") -> None:
    """EQF, NQF and ISCED-F of a qualification; a gap for each one missing."""
    if levels.eqf is not None:
        b.add(node, ELM.EQFLevel, levels.eqf)
        b.concept(levels.eqf, EQF_SCHEME)
    else:
        b.gap("loq-missing-eqf-level", node, what, inherited + levels.eqf_why)
    for concept in levels.nqf:
        b.add(node, ELM.NQFLevel, concept)
        b.concept(concept, QDR_SCHEME)
    if not levels.nqf:
        b.gap("loq-missing-nqf-level", node, what, inherited + levels.nqf_why)
    for concept in levels.isced:
        b.add(node, ELM.ISCEDFCode, concept)
        b.concept(concept, ISCED_F_SCHEME)
    if not levels.isced:
        b.gap("loq-missing-isced-f-code", node, what, inherited + levels.isced_why)


def _subjects(b: _Loq, c: URIRef) -> None:
    """NSF and Formacode concepts as ``elm:educationSubject`` (fields outside ISCED-F)."""
    cert = b.cert
    for code in cert.nsf:
        iri = b.code("nsf", code.code)
        group = code.code[:3]
        broader = b.m.nsf(group) if group != code.code and group.isdigit() else None
        b.add(c, ELM.educationSubject, iri)
        _fiche_concept(b, iri, "nsf", code, broader)
    for code in cert.formacodes:
        iri = b.code("formacode", code.code)
        b.add(c, ELM.educationSubject, iri)
        _fiche_concept(b, iri, "formacode", code)


def _fiche_concept(b: _Loq, iri: URIRef, scheme: str, code: Code, broader: URIRef | None = None) -> None:
    """A concept of one of our schemes: from the vocabularies when known, else from the fiche
    (as the main graph describes it), its scheme typed ``skos:ConceptScheme``."""
    vocab = b.ctx.vocabularies
    assert vocab is not None
    scheme_iri = b.m.scheme(scheme)
    if not b.describe_vocab(iri) and b.ctx.first(iri):
        b.add(iri, RDF.type, SKOS.Concept)
        b.add(iri, SKOS.inScheme, scheme_iri)
        b.add(iri, SKOS.notation, Literal(code.code))
        b.text(iri, SKOS.prefLabel, code.label)
        if broader is not None and broader in vocab:
            b.add(iri, SKOS.broader, broader)
            b.describe_vocab(broader)
    if not b.describe_vocab(scheme_iri) and b.ctx.first(scheme_iri):
        b.add(scheme_iri, RDF.type, SKOS.ConceptScheme)


# --- qualifications --------------------------------------------------------------------


def _qualification(b: _Loq, node: URIRef, title: str, what: str) -> None:
    b.add(node, RDF.type, ELM.Qualification)
    if title.strip():
        b.add(node, DCTERMS.title, fr(title))
    else:
        b.gap("loq-missing-title", node, what, "the fiche gives an empty title")
    b.add(node, DCTERMS.language, FRENCH)
    b.concept(FRENCH, LANGUAGE_SCHEME)


def _identifier(b: _Loq, owner: URIRef, key: str, notation: str, scheme: str | None) -> None:
    ident = b.m.part(owner, "identifier", key)
    b.add(owner, ADMS.identifier, ident)
    b.add(ident, RDF.type, ELM.Identifier)
    b.add(ident, SKOS.notation, Literal(notation))
    if scheme:
        b.add(ident, ELM.schemeName, Literal(scheme))


def _certification(b: _Loq, c: URIRef, levels: _Levels) -> None:
    cert = b.cert
    _qualification(b, c, cert.title, f"certification {cert.number}")
    _identifier(b, c, cert.registry.value.lower(), cert.number, cert.registry.value)
    b.text(c, DCTERMS.description, cert.objectives)
    b.add(c, ELM.isPartialQualification, boolean(False))
    _classify(b, c, f"certification {cert.number}", levels)
    _note(b, c, ELM.entryRequirement, "entry-requirement", cert.entry_prerequisites)


def _block(b: _Loq, c: URIRef, block: Block, levels: _Levels) -> list[URIRef]:
    """One block as a partial qualification; returns its learning outcomes."""
    iri = b.code("block", b.cert.number, block.code)
    what = f"block {block.code}"
    b.add(c, ELM.hasPart, iri)
    _qualification(b, iri, block.title, what)
    _identifier(b, iri, "code", block.code, None)
    b.add(iri, ELM.isPartialQualification, boolean(True))
    b.add(iri, ELM.isPartOf, c)
    _classify(b, iri, what, levels, "a block has its certification's; ")
    _note(b, iri, ELM.entryRequirement, "entry-requirement", block.entry_prerequisites)
    _summary(b, iri, block.competences_text)
    outcomes = _outcomes(b, iri, "competence", block.competences)
    if block.capacities:
        outcomes += _group(b, iri, block.capacities)
    if not outcomes:
        outcomes = _text_outcome(b, iri, "competence", block.competences_text)
    if not outcomes:
        b.gap("loq-missing-learning-outcome", iri, what, "the fiche lists no competence for this block")
    if block.assessments_text and not block.assessments:
        _assessment(b, iri, 1, block.assessments_text)
    for index, item in enumerate(block.assessments, 1):
        _assessment(b, iri, index, item)
    return outcomes


def _assessment(b: _Loq, block: URIRef, index: int, text: str) -> None:
    node = b.m.part(block, "assessment", index)
    b.add(block, ELM.provenBy, node)
    b.add(node, RDF.type, ELM.LearningAssessmentSpecification)
    b.add(node, DCTERMS.title, fr(text))


# --- learning outcomes -----------------------------------------------------------------
#
# Same IRIs as the main graph (``{owner}/{kind}/{n}``, blank items skipped but counted) and as
# the LOQ XML writer (``{owner}/{kind}/text`` when the fiche gives the outcomes as one text).


def _note(b: _Loq, owner: URIRef, prop: URIRef, kind: str, text: str | None) -> None:
    if text and text.strip():
        note = b.m.part(owner, kind, "text")
        b.add(owner, prop, note)
        b.add(note, RDF.type, ELM.Note)
        b.add(note, ELM.noteLiteral, fr(text))


def _summary(b: _Loq, owner: URIRef, text: str | None) -> None:
    """The outcomes as given (``{owner}/summary/text``)."""
    _note(b, owner, ELM.learningOutcomeSummary, "summary", text)


def _outcome(b: _Loq, owner: URIRef, lo: URIRef, text: str) -> URIRef:
    b.add(owner, ELM.learningOutcome, lo)
    b.add(lo, RDF.type, ELM.LearningOutcome)
    b.add(lo, DCTERMS.title, fr(text))
    return lo


def _outcomes(
    b: _Loq, owner: URIRef, kind: str, items: Iterable[str], node: URIRef | None = None
) -> list[URIRef]:
    """Learning outcomes of ``owner``, minted under ``node`` (default ``owner``)."""
    return [
        _outcome(b, owner, b.m.part(node or owner, kind, index), item)
        for index, item in enumerate(items, 1)
        if item.strip()
    ]


def _text_outcome(b: _Loq, owner: URIRef, kind: str, text: str | None) -> list[URIRef]:
    """The fiche's outcome text as one outcome, when it gives no items."""
    return [_outcome(b, owner, b.m.part(owner, kind, "text"), text)] if text and text.strip() else []


def _group(b: _Loq, owner: URIRef, group: CapacityGroup) -> list[URIRef]:
    """The items of a legacy capacity group (the group itself has no ELM class)."""
    return _outcomes(b, owner, "capacity", group.items, b.m.part(owner, "capacity-group", group.letter))


def _outcomes_of_certification(b: _Loq, c: URIRef) -> list[URIRef]:
    cert = b.cert
    _summary(b, c, cert.capacities_text)
    found = _outcomes(b, c, "capacity", cert.capacities)
    attached = {block.capacities.letter for block in cert.blocks if block.capacities}
    for group in cert.capacity_groups:
        if group.letter not in attached:
            found += _group(b, c, group)
    return found


def _outcomes_from_blocks(b: _Loq, c: URIRef, blocks: tuple[Block, ...], parts: list[list[URIRef]]) -> None:
    """A certification without its own outcomes has those of its mandatory blocks, else its
    capacities text as one outcome."""
    found = [
        lo for block, outcomes in zip(blocks, parts, strict=True) if not block.optional for lo in outcomes
    ]
    for lo in found:
        b.add(c, ELM.learningOutcome, lo)
    if not found and not _text_outcome(b, c, "capacity", b.cert.capacities_text):
        why = "the fiche lists no capacity for the certification"
        why += " and no competence for its mandatory blocks" if blocks else " and has no block"
        b.gap("loq-missing-learning-outcome", c, f"certification {b.cert.number}", why)


# --- awarding bodies -------------------------------------------------------------------


def _awarding(b: _Loq, c: URIRef, index: int, certifier: Organisation) -> None:
    org = _organisation(b, certifier)
    award = b.m.part(c, "awarding", index)
    b.add(c, ELM.awardingOpportunity, award)
    b.add(award, RDF.type, ELM.AwardingOpportunity)
    b.add(award, ELM.awardingBody, org)
    b.add(award, ELM.learningAchievementSpecification, c)


def _organisation(b: _Loq, org: Organisation) -> URIRef:
    iri = b.code("organisation", org.siret, org.name)
    if b.ctx.first(iri):
        b.add(iri, RDF.type, ELM.Organisation)
        b.add(iri, ROV.legalName, fr(org.name))
        if org.siret:
            legal = b.m.part(iri, "identifier", "siret")
            b.add(iri, ROV.registration, legal)
            b.add(legal, RDF.type, ELM.LegalIdentifier)
            b.add(legal, SKOS.notation, Literal(org.siret))
            b.add(legal, ELM.schemeName, Literal("SIRET"))
            b.add(legal, DCTERMS.spatial, FRANCE)
            b.concept(FRANCE, COUNTRY_SCHEME)
    b.gap(
        "loq-missing-organisation-location",
        iri,
        f"certifier {org.name!r}",
        "the fiche gives no address for its certifiers"
        + (" (a SIRET alone does not give one)" if org.siret else ""),
    )
    return iri
