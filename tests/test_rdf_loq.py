"""The LOQ profile: the ELM-only projection of each real fiche against the official LOQ shapes.

Every fiche of the samples is projected on its own (shared nodes repeated) and validated once
with pyshacl, shapes = ``LOQ-constraints.ttl`` + ``LOQ-constraints-mdr.ttl``, no inference,
no ontology (the closed shapes would reject subclass triples). A fiche conforms exactly when
:func:`rncp_ld.rdf.loq.gaps` finds nothing; otherwise the violations are exactly the ones its
gaps announce, one per (focus, path, shape) of :data:`~rncp_ld.rdf.loq.GAP_SHAPES`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from rncp_ld.cli import cli
from rncp_ld.model import Block, Certification, Code, Organisation, Provenance
from rncp_ld.namespaces import ADMS, DCTERMS, ELM, FOAF, RDF, RNCP, ROV, SDO, SKOS, XSD
from rncp_ld.rdf import loq
from rncp_ld.rdf.graph import ISCED_F_SCHEME, Context
from rncp_ld.readers import read
from rncp_ld.report import Issue, Severity
from rncp_ld.uris import DEFAULT_BASE, Minter

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED, SHARED, collect

LOQ_DIR = SHARED / "elm" / "rdf" / "ap" / "loq"
ID = DEFAULT_BASE
SEED_C = URIRef(ID + "rncp/RNCP16575")
EQF5 = URIRef("http://data.europa.eu/snb/eqf/5")
FRA_LANGUAGE = URIRef("http://publications.europa.eu/resource/authority/language/FRA")
FRA_COUNTRY = URIRef("http://publications.europa.eu/resource/authority/country/FRA")
SOURCES = {"seed": SEED, "rncp-xml": RNCP_XML, "rs-xml": RS_XML, "csv": CSV_ZIP}
ELM_ONLY = (str(ELM._NS), str(DCTERMS._NS), str(ADMS), str(ROV), str(SKOS._NS), str(RDF._NS))


@dataclass
class Checked:
    cert: Certification
    graph: Graph
    gaps: list[Issue]
    conforms: bool
    results: Counter[tuple[str, str, str, str]]
    """(focus, path, node shape, constraint component) of each validation result."""


def fr(text: str) -> Literal:
    return Literal(text, lang="fr")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in ("LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl"):
        graph.parse(LOQ_DIR / name)
    return graph


def check(cert: Certification, shapes: Graph) -> Checked:
    triples, gaps = loq.project(cert, Context(Minter(), repeat_shared=True))
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none")
    owner = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    results: Counter[tuple[str, str, str, str]] = Counter()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        assert report.value(result, SH.resultSeverity) == SH.Violation
        source = report.value(result, SH.sourceShape)
        results[
            (
                str(report.value(result, SH.focusNode)),
                str(report.value(result, SH.resultPath)),
                str(owner.get(source, source)),
                str(report.value(result, SH.sourceConstraintComponent)),
            )
        ] += 1
    return Checked(cert, graph, gaps, bool(conforms), results)


@pytest.fixture(scope="module")
def checked(shapes) -> dict[str, Checked]:
    """Every sample fiche, keyed ``source:number``, projected and validated once."""
    found = {}
    for key, path in SOURCES.items():
        fiches, _ = collect(read(path))
        for number, cert in fiches.items():
            found[f"{key}:{number}"] = check(cert, shapes)
    return found


def expected(gaps: list[Issue]) -> Counter[tuple[str, str, str, str]]:
    """The validation results the gaps announce."""
    return Counter(
        (gap.focus, gap.path, shape, str(SH.MinCountConstraintComponent))
        for gap in gaps
        for shape in loq.GAP_SHAPES[gap.type][1]
    )


# --- conformance -------------------------------------------------------------------------


def test_every_sample_fiche_is_checked(checked):
    assert len(checked) == 30
    assert {key.split(":")[0] for key in checked} == set(SOURCES)


def test_violations_are_exactly_the_announced_gaps(checked):
    wrong = {
        key: (c.results - expected(c.gaps), expected(c.gaps) - c.results)
        for key, c in checked.items()
        if c.results != expected(c.gaps)
    }
    assert wrong == {}


def test_fiches_without_gaps_conform_and_others_do_not(checked):
    for key, c in checked.items():
        assert c.conforms == (not c.gaps), key


def test_a_fiche_whose_gaps_are_closed_conforms(shapes):
    """The seed without its certifier (which has no address): level 5 and NSF 332t are mapped."""
    cert = replace(_seed(), certifiers=())
    c = check(cert, shapes)
    assert c.gaps == [] and c.conforms, c.results


def test_a_fiche_with_a_certifier_address_would_lose_only_that_gap(shapes):
    """The certifier gap is the fiche's: adding a location by hand (test data) clears it."""
    c = check(_seed(), shapes)
    org = URIRef(next(g.focus for g in c.gaps if g.type == "loq-missing-organisation-location"))
    location, address = URIRef(org + "/test-location"), URIRef(org + "/test-address")
    elm = Namespace(str(ELM._NS))  # terms the projection never writes
    for triple in (
        (org, ELM.location, location),
        (location, RDF.type, DCTERMS.Location),
        (location, elm.address, address),
        (address, RDF.type, ELM.Address),
        (address, elm.countryCode, FRA_COUNTRY),
        (FRA_COUNTRY, RDF.type, SKOS.Concept),
        (FRA_COUNTRY, SKOS.inScheme, URIRef("http://publications.europa.eu/resource/authority/country")),
        (URIRef("http://publications.europa.eu/resource/authority/country"), RDF.type, SKOS.ConceptScheme),
    ):
        c.graph.add(triple)
    conforms, report, _ = validate(c.graph, shacl_graph=shapes, inference="none")
    remaining = [g for g in c.gaps if g.type != "loq-missing-organisation-location"]
    assert conforms == (not remaining)
    assert len(set(report.subjects(RDF.type, SH.ValidationResult))) == sum(expected(remaining).values())


# --- gaps as data -------------------------------------------------------------------------


def test_gaps_are_warnings_naming_fiche_shape_and_property(checked):
    for c in checked.values():
        for gap in c.gaps:
            path, shapes = loq.GAP_SHAPES[gap.type]
            assert gap.severity is Severity.WARNING and gap.fiche == c.cert.number
            assert gap.source == c.cert.provenance.source
            assert gap.path == str(path) and gap.shape == shapes[0]
            assert URIRef(gap.focus) in set(c.graph.subjects())
            assert re.fullmatch(r"loq(-[a-z]+)+", gap.type)
            assert shapes[0].rsplit("/", 1)[1] in gap.message and "sh:minCount 1" in gap.message


def test_gaps_by_type_over_the_samples(checked):
    counts = Counter(gap.type for c in checked.values() for gap in c.gaps)
    # 34 certifier links (30 fiches, the 4 CSV fiches without certifier excepted): no address anywhere
    assert counts["loq-missing-organisation-location"] == 34
    # CSV export: no capacities; its blocks (RNCP509: 6) have no competences
    assert counts["loq-missing-learning-outcome"] == 15
    # RS fiches (8 XML, 2 CSV) and RNCP19468 state no level (every level of the samples has a QDR concept)
    assert counts["loq-missing-eqf-level"] == counts["loq-missing-nqf-level"] == 11
    # every NSF code of the samples has an ISCED-F field; every title is given
    assert set(counts) == {
        "loq-missing-organisation-location",
        "loq-missing-learning-outcome",
        "loq-missing-eqf-level",
        "loq-missing-nqf-level",
    }


def test_levels_and_nsf_codes_the_qdr_and_isced_tables_cannot_map():
    prov = Provenance("test.xml", "fc-xml")
    cert = Certification("RNCP1", "Titre", prov, level=2, nsf=(Code("33", "Services aux personnes"),))
    by_type = {g.type: g for g in loq.gaps(cert)}
    assert set(by_type) == {
        "loq-missing-nqf-level",
        "loq-missing-isced-f-code",
        "loq-missing-learning-outcome",
    }
    assert "French level 2" in by_type["loq-missing-nqf-level"].message
    assert "NSF code(s) 33" in by_type["loq-missing-isced-f-code"].message
    no_nsf = {g.type: g for g in loq.gaps(replace(cert, nsf=()))}
    assert "no NSF code" in no_nsf["loq-missing-isced-f-code"].message


def test_rs_fiche_without_level_lacks_eqf_and_nqf(checked):
    c = checked["rs-xml:RS5000"]
    focus = ID + "rs/RS5000"
    by_type = {g.type: g for g in c.gaps if g.focus == focus}
    assert "RS certifications are not classified" in by_type["loq-missing-eqf-level"].message
    assert "loq-missing-nqf-level" in by_type
    assert (URIRef(focus), ELM.EQFLevel, None) not in c.graph


def test_blocks_inherit_the_gaps_of_their_certification(checked):
    c = checked["csv:RNCP509"]
    blocks = [b.code for b in c.cert.blocks]
    lacking = {g.focus.rsplit("/", 1)[1] for g in c.gaps if g.type == "loq-missing-learning-outcome"}
    assert lacking == {"RNCP509"} | {code.removeprefix("RNCP509") for code in blocks}
    assert len(blocks) == 6


def test_csv_fiche_without_outcomes_or_certifier(checked):
    c = checked["csv:RNCP1197"]
    types = Counter(g.type for g in c.gaps)
    assert types["loq-missing-learning-outcome"] == 1 and "loq-missing-organisation-location" not in types
    assert "no capacity for the certification and has no block" in next(
        g.message for g in c.gaps if g.type == "loq-missing-learning-outcome"
    )


def test_gaps_without_a_context_use_the_default_base():
    gaps = loq.gaps(_seed())
    assert gaps and all(g.focus.startswith(ID) for g in gaps)
    base = "https://example.org/x/"
    other = loq.gaps(_seed(), Context(Minter(base), repeat_shared=True))
    assert [g.focus.replace(base, ID) for g in other] == [g.focus for g in gaps]


def test_isced_and_qdr_concepts_come_from_the_project_tables(checked):
    c = checked["seed:RNCP16575"]
    for node in (SEED_C, URIRef(f"{SEED_C}/BC01")):
        isced = list(c.graph.objects(node, ELM.ISCEDFCode))
        assert isced and all((i, SKOS.inScheme, ISCED_F_SCHEME) in c.graph for i in isced)
        nqf = list(c.graph.objects(node, ELM.NQFLevel))
        assert nqf and all((n, SKOS.inScheme, loq.QDR_SCHEME) in c.graph for n in nqf)


# --- content ------------------------------------------------------------------------------


def _seed() -> Certification:
    fiches, _ = collect(read(SEED))
    return fiches["RNCP16575"]


def test_projection_is_elm_only(checked):
    for key, c in checked.items():
        for _, p, o in c.graph:
            assert str(p).startswith(ELM_ONLY), (key, p)
            if p == RDF.type:
                assert str(o).startswith(ELM_ONLY), (key, o)
        assert not any(p in (SDO.name, RNCP.registry) for p in c.graph.predicates())


def test_certification_and_blocks_are_qualifications(checked):
    g = checked["seed:RNCP16575"].graph
    assert (SEED_C, RDF.type, ELM.Qualification) in g
    title = fr("Coordinateur(trice) de l'intervention sociale et professionnelle")
    assert (SEED_C, DCTERMS.title, title) in g
    assert (SEED_C, ELM.isPartialQualification, Literal(False)) in g
    assert g.value(SEED_C, ELM.EQFLevel) == EQF5
    assert (EQF5, SKOS.inScheme, loq.EQF_SCHEME) in g and (loq.EQF_SCHEME, RDF.type, SKOS.ConceptScheme) in g
    assert (SEED_C, DCTERMS.language, FRA_LANGUAGE) in g
    ident = g.value(SEED_C, ADMS.identifier)
    assert g.value(ident, SKOS.notation) == Literal("RNCP16575")
    assert g.value(ident, ELM.schemeName) == Literal("RNCP")
    blocks = sorted(g.objects(SEED_C, ELM.hasPart))
    assert blocks == [URIRef(f"{SEED_C}/BC0{n}") for n in (1, 2, 3)]
    for block in blocks:
        assert (block, RDF.type, ELM.Qualification) in g
        assert (block, ELM.isPartialQualification, Literal(True)) in g
        assert (block, ELM.isPartOf, SEED_C) in g
        assert g.value(block, ELM.EQFLevel) == EQF5
        assert g.value(block, DCTERMS.title).language == "fr"
        assert list(g.objects(block, ELM.provenBy))


def test_learning_outcomes_of_blocks_and_of_the_certification(checked):
    g = checked["seed:RNCP16575"].graph
    bc01 = URIRef(f"{SEED_C}/BC01")
    titles = {str(g.value(lo, DCTERMS.title)) for lo in g.objects(bc01, ELM.learningOutcome)}
    assert "Analyse les orientations de développement des territoires" in titles
    for lo in g.objects(bc01, ELM.learningOutcome):
        assert (lo, RDF.type, ELM.LearningOutcome) in g
    # the legacy fiche lists capacities only per block: the certification has its blocks' outcomes
    union = {lo for block in g.objects(SEED_C, ELM.hasPart) for lo in g.objects(block, ELM.learningOutcome)}
    assert set(g.objects(SEED_C, ELM.learningOutcome)) == union and len(union) > 20
    assert g.value(g.value(bc01, ELM.learningOutcomeSummary), ELM.noteLiteral).language == "fr"


def test_own_outcomes_are_kept_and_optional_blocks_left_out():
    prov = Provenance("test.xml", "fc-xml")
    blocks = (
        Block("RNCP1BC01", "Bloc", competences=("Compétence 1",)),
        Block("RNCP1BC02", "Bloc facultatif", competences=("Compétence 2",), optional=True),
    )
    cert = Certification("RNCP1", "Titre", prov, level=5, blocks=blocks)
    triples, _ = loq.project(cert, Context(Minter(), repeat_shared=True))
    outcomes = {o for s, p, o in triples if s == URIRef(ID + "rncp/RNCP1") and p == ELM.learningOutcome}
    assert outcomes == {URIRef(ID + "rncp/RNCP1/BC01/competence/1")}
    own = replace(cert, capacities=("Capacité",))
    triples, _ = loq.project(own, Context(Minter(), repeat_shared=True))
    outcomes = {o for s, p, o in triples if s == URIRef(ID + "rncp/RNCP1") and p == ELM.learningOutcome}
    assert outcomes == {URIRef(ID + "rncp/RNCP1/capacity/1")}


def test_outcomes_given_as_one_text_and_blank_items():
    prov = Provenance("test.xml", "fc-xml")
    block = Block("RNCP1BC01", "Bloc", competences=("", "Compétence"), competences_text="Compétence")
    cert = Certification("RNCP1", "Titre", prov, level=5, capacities_text="Capacités", blocks=(block,))
    c = URIRef(ID + "rncp/RNCP1")
    triples, _ = loq.project(cert, Context(Minter(), repeat_shared=True))
    outcomes = {(s, o) for s, p, o in triples if p == ELM.learningOutcome}
    assert outcomes == {
        (URIRef(f"{c}/BC01"), URIRef(f"{c}/BC01/competence/2")),
        (c, URIRef(f"{c}/BC01/competence/2")),
    }
    texts = replace(cert, blocks=(replace(block, competences=()),))
    triples, gaps = loq.project(texts, Context(Minter(), repeat_shared=True))
    outcomes = {(s, o) for s, p, o in triples if p == ELM.learningOutcome}
    assert (URIRef(f"{c}/BC01"), URIRef(f"{c}/BC01/competence/text")) in outcomes
    assert (c, URIRef(f"{c}/BC01/competence/text")) in outcomes
    alone = replace(cert, blocks=())
    triples, gaps = loq.project(alone, Context(Minter(), repeat_shared=True))
    assert {o for s, p, o in triples if p == ELM.learningOutcome} == {URIRef(f"{c}/capacity/text")}
    assert "loq-missing-learning-outcome" not in {g.type for g in gaps}


def test_awarding_body_with_legal_name_and_siret(checked):
    g = checked["rncp-xml:RNCP34762"].graph
    c = URIRef(ID + "rncp/RNCP34762")
    bodies = {g.value(award, ELM.awardingBody) for award in g.objects(c, ELM.awardingOpportunity)}
    org = URIRef(ID + "org/siret/11004401300040")
    assert org in bodies and len(bodies) == 2
    assert (org, RDF.type, ELM.Organisation) in g
    assert g.value(org, ROV.legalName).language == "fr"
    legal = g.value(org, ROV.registration)
    assert (legal, RDF.type, ELM.LegalIdentifier) in g
    assert g.value(legal, SKOS.notation) == Literal("11004401300040")
    assert g.value(legal, ELM.schemeName) == Literal("SIRET")
    assert g.value(legal, DCTERMS.spatial) == FRA_COUNTRY
    for award in g.objects(c, ELM.awardingOpportunity):
        assert g.value(award, ELM.learningAchievementSpecification) == c


def test_nsf_and_formacode_are_education_subjects(checked):
    g = checked["rncp-xml:RNCP34762"].graph
    c = URIRef(ID + "rncp/RNCP34762")
    subjects = set(g.objects(c, ELM.educationSubject))
    assert URIRef(ID + "nsf/313") in subjects and URIRef(ID + "formacode/34254") in subjects
    for subject in subjects:
        scheme = g.value(subject, SKOS.inScheme)
        assert (subject, RDF.type, SKOS.Concept) in g and (scheme, RDF.type, SKOS.ConceptScheme) in g


def test_same_iris_as_the_main_graph(checked):
    """A projection: every node minted here is a node of the main graph, but the LOQ-only ones."""
    from rncp_ld.rdf.graph import fiche_triples

    for key in ("seed:RNCP16575", "rncp-xml:RNCP34762"):
        c = checked[key]
        main = {s for s, _, _ in fiche_triples(c.cert, Context(Minter(), repeat_shared=True))}
        minted = {s for s in c.graph.subjects() if s.startswith(ID)}
        loq_only = {str(s).removeprefix(ID) for s in minted - main}
        # the Formacode scheme (typed here only) and the entry requirements (a Note here only)
        notes = {s for s in loq_only if s.endswith("/entry-requirement/text")}
        assert loq_only - notes <= {"formacode"}
    assert "rncp/RNCP34762/entry-requirement/text" in loq_only


# --- why some ELM content is left out -----------------------------------------------------


def test_official_url_pattern_cannot_be_compiled_by_python(shapes):
    """Why foaf:homepage is left out: a WebResource under it makes pyshacl raise re.error."""
    g = Graph()
    c, page = URIRef(ID + "rncp/RNCP1"), URIRef(ID + "rncp/RNCP1/homepage/1")
    g.add((c, RDF.type, ELM.Qualification))
    g.add((c, FOAF.homepage, page))
    g.add((page, RDF.type, ELM.WebResource))
    g.add((page, ELM.contentUrl, Literal("https://www.francecompetences.fr/", datatype=XSD.anyURI)))
    with pytest.raises(re.error):
        validate(g, shacl_graph=shapes, inference="none")


def test_official_entitlement_shapes_contradict_each_other(shapes):
    """Why the ROME/ESCO entitlement is left out: elm:status must be a string and a concept."""
    status_scheme = URIRef("http://data.europa.eu/snb/entitlement-status/25831c2")
    concept = URIRef("http://data.europa.eu/snb/entitlement-status/test")
    for status in (Literal("active"), concept):
        g = Graph()
        e = URIRef(ID + "rncp/RNCP1/entitlement/jobs")
        g.add((e, RDF.type, ELM.LearningEntitlementSpecification))
        g.add((e, DCTERMS.title, fr("Métiers accessibles")))
        g.add((e, ELM.status, status))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, status_scheme))
        g.add((status_scheme, RDF.type, SKOS.ConceptScheme))
        _, report, _ = validate(g, shacl_graph=shapes, inference="none")
        paths = {report.value(r, SH.resultPath) for r in report.subjects(RDF.type, SH.ValidationResult)}
        assert ELM.status in paths


# --- the convert command ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["ttl", "nt"])
def test_convert_profile_loq_writes_the_projection(runner, tmp_path, suffix):
    out = tmp_path / f"loq.{suffix}"
    result = runner.invoke(
        cli, ["convert", str(SEED), str(RNCP_XML), str(RS_XML), "--profile", "loq", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = Graph().parse(out)
    ctx = Context(Minter())
    built = Graph()
    for path in (SEED, RNCP_XML, RS_XML):
        for cert in collect(read(path))[0].values():
            for triple in loq.fiche_triples(cert, ctx):
                built.add(triple)
    assert set(written) == set(built)
    assert len(built) > 4000
    assert not any(str(p).startswith(str(SDO._NS)) for p in written.predicates())


def test_fiche_errors_are_raised_for_bad_codes():
    from rncp_ld.errors import FicheError

    cert = Certification(
        "RNCP1",
        "Titre",
        Provenance("t.xml", "fc-xml"),
        blocks=(Block("RNCP2BC01", "Bloc"),),
        nsf=(Code("33", "x"),),
        certifiers=(Organisation("X"),),
    )
    with pytest.raises(FicheError):
        loq.fiche_triples(cert, Context(Minter(), repeat_shared=True))
