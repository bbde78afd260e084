"""Europass XML credentials of the seed fiche's blocks: schema-valid, sealed, claims, determinism."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from lxml import etree

from rncp_ld.credentials import keys, xades
from rncp_ld.model import BlockResult, Candidate, Certification, Decision
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.writers.europass_xml import CRED, SNB, credential_xml, to_bytes

from conftest import SEED, SHARED, collect

SCHEMA = SHARED / "elm-v2" / "Credentials" / "XSD" / "flatten" / "genericschema.xsd"
UTC = timezone.utc
ISSUED = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
NS = {"e": SNB, "cred": CRED}
ISSUER = SimpleNamespace(
    legal_name="Centre ressource AROBASE",
    siret="55210055400013",
    country="FR",
    homepage="http://www.arobase-formations.fr",
    eidas_identifier="NTRFR-552100554",
)
CANDIDATE = Candidate("2024-0042", "Camille", "Martin", date(1990, 5, 17), "camille.martin@example.org")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), etree.XMLParser(no_network=True, resolve_entities=False)))


@pytest.fixture(scope="module")
def fiche() -> Certification:
    fiches, _ = collect(read(SEED))
    return fiches["RNCP16575"]


@pytest.fixture(scope="module")
def signer(tmp_path_factory) -> keys.SigningKey:
    made = datetime(2024, 1, 1, tzinfo=UTC)
    key_path, cert_path = keys.generate(
        tmp_path_factory.mktemp("seal"),
        org_name=ISSUER.legal_name,
        org_id=ISSUER.eidas_identifier,
        country="FR",
        clock=lambda: made,
    )
    return keys.load(key_path, cert_path, clock=lambda: made)


def _row(
    block: str, day: date = date(2024, 6, 28), decision: Decision = Decision.ACQUIRED, route: str = "VAE"
):
    return BlockResult(CANDIDATE, "RNCP16575", block, decision, day, route)


def _block(fiche: Certification, index: int = 0, **changes) -> etree._Element:
    block = fiche.blocks[index]
    arguments = {
        "credential_id": f"urn:uuid:00000000-0000-4000-8000-00000000000{index}",
        "certification": fiche,
        "block": block,
        "result": _row(block.code),
        "issuer": ISSUER,
        "issued": ISSUED,
        "minter": Minter(),
        **changes,
    }
    return credential_xml(**arguments)


def _full(fiche: Certification, **changes) -> etree._Element:
    arguments = {
        "credential_id": "urn:uuid:00000000-0000-4000-8000-0000000000ff",
        "certification": fiche,
        "block": None,
        "result": [_row(b.code, date(2024, 6, 20 + i)) for i, b in enumerate(fiche.blocks)],
        "issuer": ISSUER,
        "issued": ISSUED,
        "minter": Minter(),
        "parts": [f"urn:uuid:00000000-0000-4000-8000-00000000000{i}" for i in range(len(fiche.blocks))],
        **changes,
    }
    return credential_xml(**arguments)


def _shape(element: etree._Element) -> bytes:
    """``element`` serialized without its indentation."""
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        node.tail = None
        if node.text is not None and not node.text.strip():
            node.text = None
    return etree.tostring(copy)


def _texts(element: etree._Element, path: str) -> list[str]:
    return [e.text for e in element.iterfind(path, NS)]


# Schema


@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_block_credential_is_schema_valid_unsealed_and_sealed(fiche, schema, signer, index):
    credential = _block(fiche, index)
    schema.assertValid(credential)
    sealed = xades.seal_xml(credential, signer.private_key, signer.certificate, signing_time=ISSUED)
    schema.assertValid(etree.fromstring(sealed))
    verified = xades.verify_xml(sealed, trusted=[signer.certificate], at=ISSUED)
    assert verified.root.get(f"{{{CRED}}}id") == f"urn:uuid:00000000-0000-4000-8000-00000000000{index}"


def test_full_certification_credential_is_schema_valid_unsealed_and_sealed(fiche, schema, signer):
    credential = _full(fiche)
    schema.assertValid(credential)
    sealed = xades.seal_xml(credential, signer.private_key, signer.certificate, signing_time=ISSUED)
    schema.assertValid(etree.fromstring(sealed))
    assert xades.verify_xml(sealed).signing_time == ISSUED


def test_the_schema_requires_the_proof(fiche, schema):
    credential = _block(fiche)
    credential.remove(credential.find("e:proof", NS))
    assert not schema.validate(credential)
    assert "proof" in str(schema.error_log.last_error)


# Claims


def test_block_credential_claims(fiche):
    minter = Minter()
    block = fiche.blocks[1]
    credential = _block(fiche, 1)
    block_iri = str(minter.block("RNCP16575", block.code))
    org = str(minter.organisation(ISSUER.siret, ISSUER.legal_name))
    assert credential.get("xsdVersion") == "0.10.0"
    assert credential.find("e:type", NS).get("uri") == "http://data.europa.eu/snb/credential/e34929035b"
    assert _texts(credential, "cred:validFrom") == ["2024-06-28T00:00:00Z"]
    assert _texts(credential, "cred:issued") == ["2024-07-01T09:30:00Z"]
    assert credential.find("cred:issuer", NS).get("idref") == org

    subject = credential.find("e:credentialSubject", NS)
    assert _texts(subject, "e:identifier") == ["2024-0042"]
    assert subject.find("e:contactPoint/e:mailBox", NS).get("uri") == "mailto:camille.martin@example.org"
    assert _texts(subject, "e:givenNames/e:text") == ["Camille"]
    assert _texts(subject, "e:familyName/e:text") == ["Martin"]
    assert _texts(subject, "e:fullName/e:text") == ["Camille Martin"]
    assert _texts(subject, "e:dateOfBirth") == ["1990-05-17"]

    # the nodes about the candidate are fragments of the credential id, as in the JSON-LD credential
    credential_id = "urn:uuid:00000000-0000-4000-8000-000000000001"
    assert subject.get("id") == credential_id + "#subject"
    (achievement,) = subject.findall("e:achievements/e:learningAchievement", NS)
    assert achievement.get("id") == credential_id + "#achievement"
    assert _texts(achievement, "e:title/e:text") == [f"Bloc de compétences {block.code} : {block.title}"]
    assert achievement.find("e:specifiedBy", NS).get("idref") == block_iri
    assessment = achievement.find("e:wasDerivedFrom", NS)
    assert assessment.get("id") == credential_id + "#assessment"
    assert _texts(assessment, "e:grade") == ["Acquis"]
    assert _texts(assessment, "e:issuedDate") == ["2024-06-28T00:00:00Z"]
    assert _texts(assessment, "e:additionalNote/e:text") == ["VAE"]
    assert assessment.find("e:assessedBy", NS).get("idref") == org
    awarding = achievement.find("e:wasAwardedBy", NS).get("idref")
    assert awarding == credential_id + "#awarding"
    process = credential.find(f"e:awardingProcessReferences/e:awardingProcess[@id='{awarding}']", NS)
    assert process.find("e:awardingBody", NS).get("idref") == org
    assert _texts(process, "e:date") == ["2024-06-28T00:00:00Z"]


def test_block_is_a_partial_qualification_of_the_certification(fiche):
    minter = Minter()
    block = fiche.blocks[1]
    block_iri = minter.block("RNCP16575", block.code)
    credential = _block(fiche, 1)
    specs = credential.find("e:learningSpecificationReferences", NS)
    parent = specs.find(f"e:qualification[@id='{minter.certification('RNCP16575')}']", NS)
    child = specs.find(f"e:qualification[@id='{block_iri}']", NS)
    assert _texts(parent, "e:isPartialQualification") == ["false"]
    assert [e.get("idref") for e in parent.iterfind("e:hasPart", NS)] == [str(block_iri)]
    assert (
        parent.find("e:homepage", NS).get("uri") == "https://www.francecompetences.fr/recherche/rncp/16575/"
    )
    assert _texts(child, "e:isPartialQualification") == ["true"]
    assert _texts(child, "e:identifier") == [block.code]
    assert child.find("e:identifier", NS).get("schemeName") == "RNCP bloc de compétences"
    assert parent.find("e:identifier", NS).get("schemeName") == "RNCP"
    assert child.find("e:eqfLevel", NS).get("uri") == "http://data.europa.eu/snb/eqf/5"
    assert (
        child.find("e:language", NS).get("uri")
        == "http://publications.europa.eu/resource/authority/language/FRA"
    )
    # learning outcomes keep the RDF graph's IRIs: competences, then the legacy capacity group
    outcomes = [e.get("idref") for e in child.iterfind("e:learningOutcomes/e:learningOutcome", NS)]
    assert outcomes[: len(block.competences)] == [
        str(minter.part(block_iri, "competence", i)) for i in range(1, len(block.competences) + 1)
    ]
    group = minter.part(block_iri, "capacity-group", block.capacities.letter)
    assert outcomes[len(block.competences) :] == [
        str(minter.part(group, "capacity", i)) for i in range(1, len(block.capacities.items) + 1)
    ]
    labels = {
        e.get("id"): e.findtext("e:prefLabel/e:text", namespaces=NS)
        for e in credential.iterfind(".//e:learningOutcomeReferences/e:learningOutcome", NS)
    }
    assert [labels[i] for i in outcomes] == [*block.competences, *block.capacities.items]
    # two assessment methods: a group that has them as parts, proving the block
    spec = child.find("e:assessmentSpecification", NS).get("idref")
    assert spec == str(minter.part(block_iri, "assessment", "all"))
    group_spec = credential.find(f".//e:assessmentSpecification[@id='{spec}']", NS)
    methods = [e.get("idref") for e in group_spec.iterfind("e:hasPart", NS)]
    assert methods == [str(minter.part(block_iri, "assessment", i)) for i in (1, 2)]
    assert [
        credential.find(f".//e:assessmentSpecification[@id='{m}']/e:title/e:text", NS).text for m in methods
    ] == list(block.assessments)


def test_issuer_is_the_awarding_body_with_its_legal_identifiers(fiche):
    credential = _block(fiche)
    (org,) = credential.iterfind("e:agentReferences/e:organization", NS)
    assert _texts(org, "e:prefLabel/e:text") == ["Centre ressource AROBASE"]
    assert _texts(org, "e:registration") == ["NTRFR-552100554"]
    assert org.find("e:registration", NS).get("spatialID") == "FR"
    assert _texts(org, "e:identifier") == ["55210055400013"]
    assert org.find("e:identifier", NS).get("schemeID") == "SIRET"
    assert org.find("e:homepage", NS).get("uri") == "http://www.arobase-formations.fr"
    country = org.find("e:hasLocation/e:hasAddress/e:country", NS)
    assert country.get("uri") == "http://publications.europa.eu/resource/authority/country/FRA"
    awarding = credential.find(
        ".//e:qualification/e:awardingOpportunities/e:awardingOpportunity/e:organization", NS
    )
    assert awarding.get("idref") == org.get("id")


def test_issuer_without_eidas_identifier_registers_its_siret(fiche, schema):
    issuer = SimpleNamespace(**{**vars(ISSUER), "eidas_identifier": None, "country": "FRA", "homepage": None})
    credential = _block(fiche, issuer=issuer)
    schema.assertValid(credential)
    assert _texts(credential, "e:agentReferences/e:organization/e:registration") == ["55210055400013"]


def test_full_certification_has_a_part_per_block(fiche):
    minter = Minter()
    credential = _full(fiche)
    (whole,) = credential.findall("e:credentialSubject/e:achievements/e:learningAchievement", NS)
    assert whole.find("e:specifiedBy", NS).get("idref") == str(minter.certification("RNCP16575"))
    parts = whole.findall("e:hasPart/e:learningAchievement", NS)
    assert [p.find("e:specifiedBy", NS).get("idref") for p in parts] == [
        str(minter.block("RNCP16575", b.code)) for b in fiche.blocks
    ]
    ids = [f"urn:uuid:00000000-0000-4000-8000-00000000000{i}" for i in range(3)]
    assert [p.findtext("e:identifier", namespaces=NS) for p in parts] == ids
    # each part has the node ids of its block credential's achievement, assessment and awarding
    assert [p.get("id") for p in parts] == [i + "#achievement" for i in ids]
    assert [p.find("e:wasDerivedFrom", NS).get("id") for p in parts] == [i + "#assessment" for i in ids]
    assert [p.find("e:wasAwardedBy", NS).get("idref") for p in parts] == [i + "#awarding" for i in ids]
    # described as in the block's own credential (decision of the 21st here, the 28th there)
    in_block_credential = _shape(_block(fiche, 1).find(".//e:wasDerivedFrom", NS))
    assert _shape(parts[1].find("e:wasDerivedFrom", NS)) == in_block_credential.replace(b"06-28", b"06-21")
    dates = {
        p.get("id"): p.findtext("e:date", namespaces=NS)
        for p in credential.iterfind("e:awardingProcessReferences/e:awardingProcess", NS)
    }
    assert dates == {
        "urn:uuid:00000000-0000-4000-8000-0000000000ff#awarding": "2024-06-22T00:00:00Z",
        **{i + "#awarding": f"2024-06-2{n}T00:00:00Z" for n, i in enumerate(ids)},
    }
    assert [p.findtext("e:wasDerivedFrom/e:issuedDate", namespaces=NS) for p in parts] == [
        "2024-06-20T00:00:00Z",
        "2024-06-21T00:00:00Z",
        "2024-06-22T00:00:00Z",
    ]
    assert _texts(credential, "cred:validFrom") == ["2024-06-22T00:00:00Z"]  # the last block's decision
    parent = credential.find(f".//e:qualification[@id='{minter.certification('RNCP16575')}']", NS)
    assert len(parent.findall("e:hasPart", NS)) == 3


def test_full_certification_rows_may_come_as_parts(fiche, schema):
    rows = [_row(b.code, date(2024, 6, 20 + i)) for i, b in enumerate(fiche.blocks)]
    given_as_parts = _full(fiche, result=rows[0], parts=rows[1:])
    without_ids = _full(fiche, parts=())
    assert to_bytes(given_as_parts) == to_bytes(without_ids)
    schema.assertValid(without_ids)
    parts = without_ids.findall(".//e:hasPart/e:learningAchievement", NS)
    assert [p.get("id") for p in parts] == [
        f"urn:uuid:00000000-0000-4000-8000-0000000000ff#{b.code}-achievement" for b in fiche.blocks
    ]


# Determinism and robustness


def test_same_inputs_same_bytes(fiche):
    assert to_bytes(_block(fiche)) == to_bytes(_block(fiche))
    assert to_bytes(_full(fiche)) == to_bytes(_full(fiche))
    assert to_bytes(_block(fiche)).startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<europassCredential")


def test_characters_xml_forbids_are_dropped(fiche, schema):
    from dataclasses import replace

    block = replace(fiche.blocks[0], title="Bloc\x0b un\x00")
    fiche = replace(fiche, blocks=(block, *fiche.blocks[1:]))
    credential = _block(fiche)
    schema.assertValid(credential)
    assert credential.findtext(".//e:learningAchievement/e:title/e:text", namespaces=NS).endswith(": Bloc un")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"result": _row("RNCP16575BC01", decision=Decision.NOT_ACQUIRED)}, "only acquired blocks"),
        ({"result": _row("RNCP16575BC02")}, "given for block RNCP16575BC01"),
        ({"result": _row("RNCP16575BC09")}, "not a block of RNCP16575"),
        (
            {
                "result": BlockResult(
                    CANDIDATE, "RNCP1", "RNCP1BC01", Decision.ACQUIRED, date(2024, 1, 1), "VAE"
                )
            },
            "given with the fiche",
        ),
        ({"parts": ["urn:uuid:x"]}, "no parts"),
        ({"issued": datetime(2024, 7, 1)}, "no time zone"),
        ({"credential_id": "not a uri"}, "not a URI"),
        ({"credential_id": "urn:uuid:1#subject"}, "without fragment"),
        ({"issuer": SimpleNamespace(**{**vars(ISSUER), "country": "Atlantis"})}, "unknown country"),
        (
            {"issuer": SimpleNamespace(**{**vars(ISSUER), "siret": None, "eidas_identifier": None})},
            "registration",
        ),
    ],
)
def test_refusals(fiche, changes, message):
    with pytest.raises(ValueError, match=message):
        _block(fiche, **changes)


def test_full_certification_refusals(fiche):
    other = Candidate("2024-0043", "Alex", "Durand", date(1991, 1, 1), "alex@example.org")
    rows = [_row(b.code) for b in fiche.blocks]
    with pytest.raises(ValueError, match="two candidates"):
        _full(
            fiche,
            result=[
                *rows[:2],
                BlockResult(other, "RNCP16575", "RNCP16575BC03", Decision.ACQUIRED, date(2024, 6, 28), "VAE"),
            ],
        )
    with pytest.raises(ValueError, match="2 part credential ids for 3 blocks"):
        _full(fiche, parts=["urn:uuid:a", "urn:uuid:b"])
    with pytest.raises(TypeError, match="a part is"):
        _full(fiche, parts=[42])
    with pytest.raises(ValueError, match="blocks not acquired: RNCP16575BC03"):
        _full(fiche, result=rows[:2], parts=[])
    with pytest.raises(ValueError, match="without fragment"):
        _full(fiche, parts=["urn:uuid:a#x", "urn:uuid:b", "urn:uuid:c"])
