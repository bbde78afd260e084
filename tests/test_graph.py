"""The RDF graph of real fiches: ELM structure, vocabularies, levels, provenance."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from rncp_ld.convert import to_graph
from rncp_ld.errors import FicheError
from rncp_ld.model import Block, Certification, Code, Provenance
from rncp_ld.namespaces import ADMS, DCAT, DCTERMS, ELM, PROV, RDF, RNCP, ROV, SDO, SKOS, XSD
from rncp_ld.rdf.graph import Context, fiche_triples
from rncp_ld.readers import read
from rncp_ld.uris import DEFAULT_BASE, Minter

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED

ID = DEFAULT_BASE
C = URIRef(ID + "rncp/RNCP16575")


def fiches(path):
    return [c for c in read(path) if isinstance(c, Certification)]


@pytest.fixture(scope="module")
def seed() -> Graph:
    return to_graph(fiches(SEED))


@pytest.fixture(scope="module")
def xml() -> Graph:
    return to_graph(fiches(RNCP_XML) + fiches(RS_XML))


def fr(text):
    return Literal(text, lang="fr")


def test_certification_is_an_elm_qualification_with_its_levels(seed):
    assert (C, RDF.type, ELM.Qualification) in seed
    assert (C, DCTERMS.title, fr("Coordinateur(trice) de l'intervention sociale et professionnelle")) in seed
    assert seed.value(C, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/5")
    level = seed.value(C, ELM.NQFLevel)
    assert level == URIRef(ID + "cnc/5")
    assert (level, SKOS.exactMatch, URIRef("http://data.europa.eu/snb/eqf/5")) in seed
    old = seed.value(C, RNCP.level1969)
    assert old == URIRef(ID + "niveau-1969/III") and (old, SKOS.closeMatch, level) in seed


def test_blocks_are_partial_qualifications_of_their_certification(seed):
    blocks = sorted(seed.objects(C, ELM.hasPart))
    assert blocks == [URIRef(f"{C}/BC0{n}") for n in (1, 2, 3)]
    for block in blocks:
        assert (block, ELM.isPartialQualification, Literal(True)) in seed
        assert (block, ELM.isPartOf, C) in seed and (C, DCTERMS.hasPart, block) in seed
    bc01 = blocks[0]
    assert seed.value(bc01, DCTERMS.identifier) == Literal("RNCP16575BC01")
    outcomes = {str(seed.value(lo, DCTERMS.title)) for lo in seed.objects(bc01, ELM.learningOutcome)}
    assert "Analyse les orientations de développement des territoires" in outcomes  # competence
    assert "Utiliser les sources pertinentes d'informations" in outcomes  # capacity of group A
    assessments = list(seed.objects(bc01, ELM.provenBy))
    assert len(assessments) == 1
    assert (assessments[0], RDF.type, ELM.LearningAssessmentSpecification) in seed
    title = str(seed.value(assessments[0], DCTERMS.title))
    assert title.startswith("Réalisation d'une enquête de territoire")


def test_capacity_groups_hang_on_the_block_their_title_matches(seed):
    group_b = URIRef(f"{C}/BC03/capacity-group/B")
    assert (URIRef(f"{C}/BC03"), RNCP.capacityGroup, group_b) in seed
    assert seed.value(group_b, RNCP.letter) == Literal("B")


def test_rome_concepts_carry_the_esco_crosswalk_and_its_method(seed):
    k1801 = URIRef(ID + "rome/K1801")
    assert (C, RNCP.rome, k1801) in seed
    assert seed.value(k1801, SKOS.prefLabel) == fr("Conseil en emploi et insertion socioprofessionnelle")
    assert seed.value(k1801, SKOS.broader) == URIRef(ID + "rome/K18")
    matches = set(seed.objects(k1801, SKOS.closeMatch))
    assert URIRef("http://data.europa.eu/esco/occupation/42a96d07-1e1d-49ae-9399-c1f4be27ddea") in matches
    method = seed.value(k1801, RNCP.escoMappingMethod)
    assert "appellation-level" in str(seed.value(method, DCTERMS.description))
    entitlement = seed.value(C, ELM.entitlesTo)
    assert (entitlement, ELM.limitNationalOccupation, k1801) in seed
    assert matches <= set(seed.objects(entitlement, ELM.limitOccupation))


def test_nsf_fine_code_is_narrower_than_its_group(seed):
    nsf = URIRef(ID + "nsf/332t")
    assert (C, RNCP.nsf, nsf) in seed
    assert seed.value(nsf, SKOS.prefLabel) == fr("Aide, conseil, orientation, soutien socio-éducatif")
    assert seed.value(nsf, SKOS.broader) == URIRef(ID + "nsf/332")
    assert (URIRef(ID + "nsf/332"), SKOS.inScheme, URIRef(ID + "nsf")) in seed


def test_registrations_access_routes_and_legal_texts(seed):
    periods = list(seed.objects(C, RNCP.registration))
    ends = sorted(seed.value(p, DCAT.endDate).toPython().isoformat() for p in periods)
    assert ends[-1] == "2021-10-04"
    assert all(seed.value(p, DCAT.endDate).datatype == XSD.date for p in periods)
    vae = URIRef(f"{C}/access-route/VAE")
    assert (C, RNCP.accessRoute, vae) in seed and seed.value(vae, RNCP.open) == Literal(True)
    texts = list(seed.objects(C, RNCP.legalText))
    assert len(texts) == 6
    first = URIRef(f"{C}/legal-text/1")
    assert seed.value(first, DCTERMS.date) == Literal("2007-02-23", datatype=XSD.date)
    assert seed.value(first, DCTERMS.issued) == Literal("2007-03-03", datatype=XSD.date)


def test_certifier_with_siret_and_awarding_opportunity(xml):
    cert = URIRef(ID + "rncp/RNCP34762")
    awards = list(xml.objects(cert, ELM.awardingOpportunity))
    bodies = {xml.value(a, ELM.awardingBody) for a in awards}
    gem = URIRef(ID + "org/siret/81738914100018")
    assert gem in bodies
    assert "GRENOBLE ECOLE DE MANAGEMENT" in str(xml.value(gem, ROV.legalName))
    legal = xml.value(gem, ROV.registration)
    assert xml.value(legal, SKOS.notation) == Literal("81738914100018")


def test_replacements_and_provenance(xml):
    cert = URIRef(ID + "rncp/RNCP34762")
    assert (cert, DCTERMS.isReplacedBy, URIRef(ID + "rncp/RNCP39568")) in xml
    source = xml.value(cert, PROV.wasDerivedFrom)
    assert xml.value(source, RNCP.fluxVersion) == Literal("4.1")
    assert xml.value(source, RNCP.sourceFormat) == Literal("fc-xml")


def test_every_french_text_is_tagged_fr(xml):
    untagged = [
        o
        for _, p, o in xml
        if isinstance(o, Literal)
        and o.datatype is None
        and not o.language
        and p
        not in (
            DCTERMS.identifier,
            SKOS.notation,
            RNCP.registry,
            RNCP.routeKind,
            RNCP.legalTextKind,
            RNCP.letter,
            RNCP.abbreviation,
            RNCP.habilitation,
            RNCP.sourceFormat,
            RNCP.fluxVersion,
            ELM.schemeName,
            DCTERMS.type,
            RNCP.level,
            DCTERMS.title,
            SDO.identifier,
            SDO.email,
            ADMS.version,
        )
    ]
    assert untagged == []


def test_rs_fiches_have_no_blocks_nor_level(xml):
    rs = URIRef(ID + "rs/RS5000")
    assert (rs, RDF.type, ELM.Qualification) in xml
    assert xml.value(rs, ELM.EQFLevel) is None and list(xml.objects(rs, ELM.hasPart)) == []


def _core(graph: Graph, subject: URIRef) -> set:
    core = (RDF.type, DCTERMS.identifier, DCTERMS.title, RNCP.registry, RNCP.nsf, RNCP.formacode)
    triples = {(p, o) for p in core for o in graph.objects(subject, p)}
    for award in graph.objects(subject, ELM.awardingOpportunity):
        body = graph.value(award, ELM.awardingBody)
        triples.add((ELM.awardingBody, body))
        triples.add((ROV.legalName, graph.value(body, ROV.legalName)))
    return triples


def test_same_fiche_from_xml_and_csv_gives_the_same_core_triples(xml):
    rs5000 = [c for c in fiches(CSV_ZIP) if c.number == "RS5000"]
    from_csv = to_graph(rs5000)
    subject = URIRef(ID + "rs/RS5000")
    assert _core(from_csv, subject) == _core(xml, subject)
    assert len(_core(from_csv, subject)) >= 10


def test_base_is_configurable():
    graph = to_graph(fiches(SEED), base="https://data.example.fr/rncp/")
    assert (URIRef("https://data.example.fr/rncp/rncp/RNCP16575"), RDF.type, ELM.Qualification) in graph
    assert (URIRef("https://data.example.fr/rncp/rome/K1801"), RDF.type, SKOS.Concept) in graph


def test_a_code_that_cannot_be_an_iri_is_a_fiche_error():
    cert = Certification(
        number="RNCP1",
        title="T",
        provenance=Provenance("x.xml", "fc-xml"),
        rome=(Code("K18>01", "bad"),),
    )
    with pytest.raises(FicheError, match="K18>01"):
        fiche_triples(cert, Context(Minter()))
    other = Certification(
        number="RNCP1",
        title="T",
        provenance=Provenance("x.xml", "fc-xml"),
        blocks=(Block("RNCP2BC01", "Bloc d'une autre fiche"),),
    )
    with pytest.raises(FicheError, match="does not belong to RNCP1"):
        fiche_triples(other, Context(Minter()))


def test_shared_nodes_are_described_once_per_run():
    ctx = Context(Minter())
    certs = fiches(RNCP_XML)
    first = fiche_triples(certs[0], ctx)
    again = fiche_triples(certs[0], ctx)
    assert len(again) < len(first)
    assert not [t for t in again if t[0].startswith(ID + "org/")]


def test_isced_f_field_from_the_nsf_table_on_certification_and_blocks(seed):
    field = URIRef("http://data.europa.eu/snb/isced-f/0923")
    assert (C, ELM.ISCEDFCode, field) in seed
    assert (URIRef(f"{C}/BC02"), ELM.ISCEDFCode, field) in seed
    assert (field, SKOS.inScheme, URIRef("http://data.europa.eu/snb/isced-f/25831c2")) in seed
