"""European Digital Credentials of blocks and certifications: SHACL conformance, content, identifiers."""

from __future__ import annotations

import base64
import copy
import dataclasses
import io
import json
import re
from datetime import date, datetime, timedelta, timezone

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from rncp_ld.credentials.contexts import (
    CREDENTIALS_V1_URL,
    EDC_CONTEXT_URL,
    document_loader,
    load_contexts,
    to_graph,
)
from rncp_ld.errors import ConfigError
from rncp_ld.model import BlockResult, Candidate, Decision
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.writers.edc_jsonld import (
    GENERIC_PROFILE,
    SHACL_SCHEMA,
    Issuer,
    block_credential,
    certification_credential,
    issuer_from,
    load_issuer_config,
    to_json,
)

from conftest import SEED, SHARED, collect

ELM = Namespace("http://data.europa.eu/snb/model/elm/")
CRED = Namespace("https://www.w3.org/2018/credentials#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
EDC = SHARED / "elm" / "rdf" / "ap" / "edc"
CONTEXT_FILES = {
    "edc_context": [str(EDC / "edc-ap-context.jsonld")],
    "credentials_v1": [
        str(SHARED / "elm" / "_external" / "w3c-credentials-context" / "credentials-v1.jsonld")
    ],
}
ISSUED = datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
DECIDED = date(2024, 6, 28)
ORG_ID = "NTRFR-817389141"
BLOCK_ID = "urn:uuid:6f1c1f2e-0000-4000-8000-00000000000{}"
FULL_ID = "urn:uuid:6f1c1f2e-0000-4000-8000-0000000000ff"
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def cert():
    fiches, _ = collect(read(SEED))
    return fiches["RNCP16575"]


@pytest.fixture(scope="module")
def contexts():
    return load_contexts(**CONTEXT_FILES)


@pytest.fixture(scope="module")
def shapes():
    graph = Graph()
    graph.parse(EDC / "EDC-generic-no-cv.ttl")
    graph.parse(EDC / "EDC-generic-full.ttl")
    return graph


@pytest.fixture(scope="module")
def issuer(cert):
    return issuer_from(cert, None, ORG_ID)


CAMILLE = Candidate("AROB-1", "Camille", "Lefèvre-Œuvray", date(1984, 3, 17), "camille.lefevre@example.fr")


def result(cert, index, *, candidate=CAMILLE, decision=Decision.ACQUIRED, day=DECIDED):
    return BlockResult(candidate, cert.number, cert.blocks[index].code, decision, day, "VAE")


def block(cert, issuer, index=0, *, render=False, **changes):
    arguments = dict(
        credential_id=BLOCK_ID.format(index + 1),
        certification=cert,
        block=cert.blocks[index],
        result=result(cert, index),
        issuer=issuer,
        issued=ISSUED,
        minter=Minter(),
        render=render,
    )
    arguments.update(changes)
    return block_credential(**arguments)


def full(cert, issuer, *, render=False, **changes):
    arguments = dict(
        credential_id=FULL_ID,
        certification=cert,
        results=[result(cert, i) for i in range(len(cert.blocks))],
        part_ids=[BLOCK_ID.format(i + 1) for i in range(len(cert.blocks))],
        issuer=issuer,
        issued=ISSUED,
        minter=Minter(),
        render=render,
    )
    arguments.update(changes)
    return certification_credential(**arguments)


def validate(credential, contexts, shapes):
    graph = to_graph(credential, contexts)
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text, graph


# SHACL conformance


@pytest.mark.parametrize("index", [0, 1, 2])
def test_block_credential_conforms_to_the_edc_shapes(cert, issuer, contexts, shapes, index):
    conforms, text, _ = validate(block(cert, issuer, index, render=index == 0), contexts, shapes)
    assert conforms, text


def test_certification_credential_conforms_and_has_the_block_achievements_as_parts(
    cert, issuer, contexts, shapes
):
    credential = full(cert, issuer, render=True)
    conforms, text, graph = validate(credential, contexts, shapes)
    assert conforms, text
    achievement = URIRef(f"{FULL_ID}#achievement")
    parts = set(graph.objects(achievement, ELM.hasPart))
    assert parts == {URIRef(BLOCK_ID.format(i) + "#achievement") for i in (1, 2, 3)}
    for part in parts:
        assert (part, RDF.type, ELM.LearningAchievement) in graph
        assert (part, ELM.provenBy, None) in graph
    qualification = graph.value(achievement, ELM.specifiedBy)
    assert qualification == URIRef("https://w3id.org/rncp-ld/id/rncp/RNCP16575")
    assert (qualification, ELM.isPartialQualification, Literal(False)) in graph
    assert set(graph.objects(qualification, ELM.hasPart)) == {
        URIRef(f"https://w3id.org/rncp-ld/id/rncp/RNCP16575/BC0{i}") for i in (1, 2, 3)
    }
    assert credential["validFrom"] == "2024-06-28T00:00:00Z"


def test_block_achievements_in_the_certification_are_those_of_the_block_credentials(cert, issuer, contexts):
    whole = to_graph(full(cert, issuer), contexts)
    for index in range(3):
        alone = to_graph(block(cert, issuer, index), contexts)
        achievement = URIRef(BLOCK_ID.format(index + 1) + "#achievement")
        mine = {(p, o) for p, o in alone.predicate_objects(achievement)}
        assert mine == {(p, o) for p, o in whole.predicate_objects(achievement)}


def test_the_shapes_do_catch_a_missing_issued_date_and_eidas_identifier(cert, issuer, contexts, shapes):
    credential = block(cert, issuer)
    del credential["issued"]
    del credential["issuer"]["eIDASIdentifier"]
    conforms, text, _ = validate(credential, contexts, shapes)
    assert not conforms
    assert "issued" in text and "eidasLegalIdentifier" in text


def test_a_certification_without_level_conforms_without_eqf_level(cert, issuer, contexts, shapes):
    unlevelled = dataclasses.replace(cert, level=None)
    credential = block(cert, issuer, certification=unlevelled, block=unlevelled.blocks[0])
    assert "eqfLevel" not in json.dumps(credential)
    conforms, text, _ = validate(credential, contexts, shapes)
    assert conforms, text


def test_several_assessment_methods_are_parts_of_one_specification(cert, issuer, contexts, shapes):
    credential = block(cert, issuer, 1)
    specification = credential["credentialSubject"]["hasClaim"]["provenBy"]["specifiedBy"]
    assert specification["id"].endswith("/BC02/assessment/all")
    assert [part["id"].rsplit("/", 1)[1] for part in specification["hasPart"]] == ["1", "2"]
    conforms, text, _ = validate(credential, contexts, shapes)
    assert conforms, text


# Content


def test_content_of_a_block_credential(cert, issuer, contexts):
    credential = block(cert, issuer, 0)
    graph = to_graph(credential, contexts)
    cid = URIRef(BLOCK_ID.format(1))
    assert (cid, RDF.type, ELM.EuropeanDigitalCredential) in graph
    subject = graph.value(cid, CRED.credentialSubject)
    assert graph.value(subject, FOAF.givenName) == Literal("Camille", lang="fr")
    assert graph.value(subject, FOAF.familyName) == Literal("Lefèvre-Œuvray", lang="fr")
    assert graph.value(subject, ELM.dateOfBirth) == Literal("1984-03-17T00:00:00Z", datatype=XSD.dateTime)
    mailbox = graph.value(graph.value(subject, ELM.contactPoint), ELM.emailAddress)
    assert mailbox == URIRef("mailto:camille.lefevre@example.fr")

    achievement = graph.value(subject, ELM.hasClaim)
    specification = graph.value(achievement, ELM.specifiedBy)
    assert specification == URIRef("https://w3id.org/rncp-ld/id/rncp/RNCP16575/BC01")
    assert (specification, RDF.type, ELM.Qualification) in graph
    assert (specification, ELM.isPartialQualification, Literal(True)) in graph
    assert graph.value(specification, DCTERMS.title) == Literal(cert.blocks[0].title, lang="fr")
    code = graph.value(
        graph.value(specification, URIRef("http://www.w3.org/ns/adms#identifier")), SKOS.notation
    )
    assert str(code) == "RNCP16575BC01"
    outcomes = list(graph.objects(specification, ELM.learningOutcome))
    expected = len(cert.blocks[0].competences) + len(cert.blocks[0].capacities.items)
    assert len(outcomes) == expected == 8
    assert graph.value(specification, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/5")
    assert graph.value(specification, ELM.isPartOf) == URIRef("https://w3id.org/rncp-ld/id/rncp/RNCP16575")

    assessment = graph.value(achievement, ELM.provenBy)
    assert graph.value(graph.value(assessment, ELM.grade), ELM.noteLiteral) == Literal("Acquis", lang="fr")
    body = graph.value(graph.value(achievement, ELM.awardedBy), ELM.awardingBody)
    assert graph.value(body, ROV.legalName) == Literal("Centre ressource AROBASE", lang="fr")
    issuer_node = graph.value(cid, CRED.issuer)
    assert issuer_node == body
    assert str(graph.value(graph.value(issuer_node, ELM.eidasLegalIdentifier), SKOS.notation)) == ORG_ID

    for prop in (CRED.issued, CRED.validFrom, CRED.issuanceDate):
        value = graph.value(cid, prop)
        assert value.datatype == XSD.dateTime and DATETIME.fullmatch(str(value)), prop
    assert credential["issued"] == "2024-07-01T09:30:15Z"
    assert credential["validFrom"] == "2024-06-28T00:00:00Z"
    assert credential["credentialProfiles"]["id"] == GENERIC_PROFILE
    assert credential["credentialSchema"] == {"id": SHACL_SCHEMA, "type": "ShaclValidator2017"}
    assert list(credential)[:3] == ["@context", "id", "type"]
    assert credential["@context"] == [CREDENTIALS_V1_URL, EDC_CONTEXT_URL]


def test_no_key_is_dropped_by_the_contexts(cert, issuer, contexts):
    """Every key of the document is a term of the two contexts (JSON-LD drops unknown keys silently)."""
    from pyld import jsonld

    language_maps = {
        "title",
        "description",
        "legalName",
        "givenName",
        "familyName",
        "fullName",
        "noteLiteral",
        "prefLabel",
        "schemeAgency",
    }

    def keys(node):
        if isinstance(node, list):
            return sum(keys(item) for item in node)
        if not isinstance(node, dict):
            return 0
        return sum(
            1 + (0 if k in language_maps else keys(v))
            for k, v in node.items()
            if k not in ("@context", "id", "type")
        )

    def properties(node):
        if isinstance(node, list):
            return sum(properties(item) for item in node)
        return sum(
            1 + sum(properties(v) for v in values if isinstance(v, dict) and "@value" not in v)
            for k, values in node.items()
            if not k.startswith("@")
        )

    for credential in (block(cert, issuer), full(cert, issuer)):
        expanded = jsonld.expand(copy.deepcopy(credential), {"documentLoader": document_loader(contexts)})
        assert keys(credential) == properties(expanded)


def test_the_page_images_are_rendered_pngs(cert, issuer):
    from PIL import Image

    credential = block(cert, issuer, 2, render=True)
    display = credential["displayParameter"]
    assert display["title"] == {"fr": "Attestation de validation d'un bloc de compétences"}
    detail = display["individualDisplay"]["displayDetail"]
    image = detail["image"]
    assert detail["page"] == 1
    assert image["contentType"]["id"].endswith("/file-type/PNG")
    assert image["contentEncoding"]["id"] == "http://data.europa.eu/snb/encoding/6146cde7dd"
    with Image.open(io.BytesIO(base64.b64decode(image["content"]))) as page:
        assert page.size == (1240, 1754)


def test_identifiers_are_deterministic_and_derived_from_the_credential_id(cert, issuer):
    credential = block(cert, issuer, 0)
    assert to_json(credential) == to_json(block(cert, issuer, 0))
    ids = []

    def walk(node):
        if isinstance(node, dict):
            if "id" in node:
                ids.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(credential)
    own = BLOCK_ID.format(1)
    allowed = (
        own + "#",
        "https://w3id.org/rncp-ld/id/",
        "http://data.europa.eu/",
        "http://publications.europa.eu/",
        "https://www.francecompetences.fr/",
        "mailto:",
    )
    assert all(i == own or i.startswith(allowed) for i in ids), ids
    assert {i for i in ids if i.startswith(own + "#")} >= {
        f"{own}#{n}"
        for n in (
            "subject",
            "contact",
            "achievement",
            "awarding",
            "assessment",
            "grade",
            "display",
            "display-fr",
            "page-1",
        )
    }
    other = block(cert, issuer, 0, credential_id="urn:uuid:00000000-0000-4000-8000-000000000000")
    assert (
        other["credentialSubject"]["hasClaim"]["id"]
        == "urn:uuid:00000000-0000-4000-8000-000000000000#achievement"
    )


def test_same_inputs_give_the_same_json_text_with_the_rendered_page(cert, issuer):
    from rncp_ld.credentials import render

    first = to_json(full(cert, issuer, render=True))
    render._template.cache_clear()
    render._date_band.cache_clear()
    assert to_json(full(cert, issuer, render=True)) == first
    assert json.loads(first)["id"] == FULL_ID
    assert "\\u" not in first[:2000] and ": " not in first[:200]


def test_issued_is_normalised_to_utc_seconds(cert, issuer):
    paris = timezone(timedelta(hours=2))
    credential = block(cert, issuer, issued=datetime(2024, 7, 1, 11, 30, 15, 999, tzinfo=paris))
    assert credential["issued"] == credential["issuanceDate"] == "2024-07-01T09:30:15Z"


# Refusals


def test_refuses_what_cannot_be_a_credential(cert, issuer):
    with pytest.raises(ValueError, match="non acquis"):
        block(cert, issuer, result=result(cert, 0, decision=Decision.NOT_ACQUIRED))
    with pytest.raises(ValueError, match="timezone"):
        block(cert, issuer, issued=datetime(2024, 7, 1, 9, 30))
    with pytest.raises(ValueError, match="before the jury"):
        block(cert, issuer, issued=datetime(2024, 6, 27, 23, 0, tzinfo=timezone.utc))
    with pytest.raises(ValueError, match="not RNCP16575BC01"):
        block(cert, issuer, result=result(cert, 1))
    with pytest.raises(ValueError, match="absolute IRI"):
        block(cert, issuer, credential_id="urn:uuid:x#frag")
    with pytest.raises(ValueError, match="not acquired: RNCP16575BC03"):
        full(cert, issuer, results=[result(cert, 0), result(cert, 1)], part_ids=["urn:a:1", "urn:a:2"])
    with pytest.raises(ValueError, match="part ids"):
        full(cert, issuer, part_ids=["urn:a:1"])
    other = Candidate("AROB-2", "Karim", "Benali", date(1991, 11, 2), "k@example.org")
    with pytest.raises(ValueError, match="several candidates"):
        full(cert, issuer, results=[result(cert, 0), result(cert, 1), result(cert, 2, candidate=other)])


# Issuer


def test_issuer_comes_from_the_first_certifier_and_can_be_overridden(cert, contexts, shapes):
    plain = issuer_from(cert, None, ORG_ID)
    assert (plain.legal_name, plain.siret, plain.country, plain.homepage) == (
        "Centre ressource AROBASE",
        None,
        "FR",
        None,
    )
    overridden = issuer_from(
        cert,
        {"legal_name": "AROBASE SAS", "siret": "81738914100012", "homepage": "https://arobase.example.fr/"},
        ORG_ID,
    )
    credential = block(cert, overridden)
    node = credential["issuer"]
    assert node["id"] == "https://w3id.org/rncp-ld/id/org/siret/81738914100012"
    assert node["legalName"] == {"fr": "AROBASE SAS"}
    assert node["registration"]["notation"] == "81738914100012"
    assert node["homepage"]["contentURL"] == "https://arobase.example.fr/"
    assert node["eIDASIdentifier"]["notation"] == ORG_ID
    conforms, text, _ = validate(credential, contexts, shapes)
    assert conforms, text


def test_issuer_values_are_checked(cert):
    with pytest.raises(ConfigError, match="organizationIdentifier"):
        issuer_from(cert, None, "817389141")
    with pytest.raises(ConfigError, match="14 digits"):
        issuer_from(cert, {"siret": "8173"}, ORG_ID)
    with pytest.raises(ConfigError, match="unknown issuer setting 'name'"):
        issuer_from(cert, {"name": "x"}, ORG_ID)
    with pytest.raises(ConfigError, match="names no certifier"):
        issuer_from(dataclasses.replace(cert, certifiers=()), None, ORG_ID)
    assert (
        Issuer(legal_name="X", siret=None, country="BE", eidas_identifier="VATBE-0123456789").country == "BE"
    )


def test_load_issuer_config(tmp_path):
    good = tmp_path / "issuer.toml"
    good.write_text(
        '[issuer]\nlegal_name = "Centre ressource AROBASE"\nsiret = "81738914100012"\n'
        'country = "FR"\nhomepage = "https://www.example.fr"\n\n[seal]\nkey = "k.pem"\n',
        encoding="utf-8",
    )
    assert load_issuer_config(good) == {
        "legal_name": "Centre ressource AROBASE",
        "siret": "81738914100012",
        "country": "FR",
        "homepage": "https://www.example.fr",
    }
    cases = {
        'legal_name = "x"\n': "no [issuer] table",
        '[issuer]\nsiret = "123"\n': "issuer.siret: SIRET '123' is not 14 digits",
        '[issuer]\ncountry = "XX"\n': "issuer.country: unknown country 'XX'",
        '[issuer]\nhomepage = "ftp://x.fr"\n': "issuer.homepage",
        "[issuer]\nsiret = 81738914100012\n": "issuer.siret: siret must be a string, not int",
        '[issuer]\nlegalname = "x"\n': "unknown issuer setting 'legalname'",
        "[issuer\n": "not valid TOML",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_issuer_config(path)
        assert message in str(caught.value) and "bad.toml" in str(caught.value), str(caught.value)
    with pytest.raises(ConfigError, match="cannot read"):
        load_issuer_config(tmp_path / "missing.toml")


# Contexts


def test_contexts_are_never_fetched(contexts):
    loader = document_loader(contexts)
    assert loader(EDC_CONTEXT_URL)["document"] == contexts[EDC_CONTEXT_URL]
    with pytest.raises(ConfigError, match="not available offline"):
        loader("https://www.w3.org/ns/credentials/v2")
    with pytest.raises(ConfigError, match="not available offline"):
        to_graph({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x:1"}, contexts)


def test_missing_context_files_are_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path))
    monkeypatch.delenv("RNCP_LD_NETWORK", raising=False)
    with pytest.raises(ConfigError, match="not in the cache"):
        load_contexts()
    bad = tmp_path / "x.jsonld"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a JSON-LD context"):
        load_contexts(edc_context=[str(bad)], credentials_v1=CONTEXT_FILES["credentials_v1"])


def test_credentials_from_the_sample_results_plan(cert, contexts, shapes):
    """The issuance plan of samples/results.csv gives conformant credentials."""
    from rncp_ld.credentials.plan import plan
    from rncp_ld.readers.results import read_results

    from conftest import ROOT

    issued = datetime(2024, 9, 1, tzinfo=timezone.utc)
    issuer = issuer_from(cert, None, ORG_ID)
    planned = plan(cert, read_results(ROOT / "samples" / "results.csv"), issuer_id=ORG_ID)
    assert planned.credentials
    built = []
    for item in planned.credentials:
        if item.full:
            credential = certification_credential(
                credential_id=item.id,
                certification=cert,
                results=item.results,
                part_ids=item.parts,
                issuer=issuer,
                issued=issued,
                minter=Minter(),
                render=False,
            )
        else:
            credential = block_credential(
                credential_id=item.id,
                certification=cert,
                block=item.block,
                result=item.results[0],
                issuer=issuer,
                issued=issued,
                minter=Minter(),
                render=False,
            )
        built.append(credential)
    assert any(item.full for item in planned.credentials)
    full_credential = next(c for c, item in zip(built, planned.credentials, strict=True) if item.full)
    conforms, text, _ = validate(full_credential, contexts, shapes)
    assert conforms, text


# Fiches of the France compétences XML export


@pytest.fixture(scope="module")
def xml_fiches():
    from conftest import RNCP_XML

    fiches, _ = collect(read(RNCP_XML))
    return {number: fiche for number, fiche in fiches.items() if fiche.blocks}


def test_credentials_of_xml_fiches_conform(xml_fiches, contexts, shapes):
    assert len(xml_fiches) >= 5
    someone = Candidate("X-1", "Zoé", "N'Diaye", date(1999, 12, 31), "zoe@example.org")
    for number, fiche in xml_fiches.items():
        issuer = issuer_from(fiche, None, f"NTRFR-{fiche.certifiers[0].siret[:9]}")
        results = [
            BlockResult(someone, number, b.code, Decision.ACQUIRED, DECIDED, "VAE") for b in fiche.blocks
        ]
        parts = [f"urn:uuid:00000000-0000-4000-8000-{i:012d}" for i in range(len(results))]
        credentials = [
            block_credential(
                credential_id=parts[0],
                certification=fiche,
                block=fiche.blocks[0],
                result=results[0],
                issuer=issuer,
                issued=ISSUED,
                minter=Minter(),
                render=False,
            ),
            certification_credential(
                credential_id=FULL_ID,
                certification=fiche,
                results=results,
                part_ids=parts,
                issuer=issuer,
                issued=ISSUED,
                minter=Minter(),
                render=len(results) > 5,
            ),
        ]
        assert credentials[0]["issuer"]["registration"]["notation"] == fiche.certifiers[0].siret
        for credential in credentials:
            conforms, text, _ = validate(credential, contexts, shapes)
            assert conforms, f"{number}: {text}"


def test_fiche_web_sites_become_homepages_when_they_are_urls(cert):
    for website, homepage in (
        ("www.arobase.fr", "https://www.arobase.fr"),
        ("https://www.interieur.gouv.fr/Accueil", "https://www.interieur.gouv.fr/Accueil"),
        ("voir le site", None),
        ("", None),
    ):
        certifier = dataclasses.replace(cert.certifiers[0], website=website)
        assert (
            issuer_from(dataclasses.replace(cert, certifiers=(certifier,)), None, ORG_ID).homepage == homepage
        )
