"""Open Badges 3.0 AchievementCredentials (VC 2.0) of blocks and certifications, and their eddsa-rdfc-2022 proof.

Signing needs the official OB 3.0.3 JSON-LD context, which the project does not ship: the tests
that canonicalise or sign read it from ``$RNCP_LD_OB3_CONTEXT`` or the artefacts cache and are
skipped, with the reason, when it is absent. Everything else runs offline.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import importlib
import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest

from rncp_ld.credentials.plan import PlannedCredential, credential_id
from rncp_ld.errors import ConfigError
from rncp_ld.model import Block, BlockResult, Candidate, Decision
from rncp_ld.readers import read
from rncp_ld.uris import Minter
from rncp_ld.writers import edc_jsonld, ob3

from conftest import SEED, SHARED, collect, unavailable

CREDENTIALS_V2 = SHARED / "elm" / "_external" / "w3c-credentials-context" / "credentials-v2.jsonld"
EXAMPLE = SHARED / "research" / "europass-examples" / "ob3-rncp-block-minimal.json"
ISSUED = datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
DECIDED = date(2024, 6, 28)
ORG_ID = "NTRFR-817389141"
DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
BASE = "https://w3id.org/rncp-ld/id/rncp/RNCP16575"
EMAIL = "Camille.Martin@Example.fr"


def _needs(module):
    """A signing module of rncp_ld.credentials, imported."""
    return importlib.import_module(f"rncp_ld.credentials.{module}")


@pytest.fixture(scope="module")
def cert():
    fiches, _ = collect(read(SEED))
    return fiches["RNCP16575"]


@pytest.fixture(scope="module")
def issuer(cert):
    return edc_jsonld.issuer_from(
        cert, {"siret": "81738914100012", "homepage": "https://www.arobase.example"}, ORG_ID
    )


@pytest.fixture(scope="module")
def candidate():
    return Candidate("AROB-2019-014", "Camille", "Martin", date(1984, 3, 17), f"  {EMAIL} ")


def _result(candidate, block, day=DECIDED, decision=Decision.ACQUIRED):
    return BlockResult(candidate, "RNCP16575", block, decision, day, "VAE", 2)


def _id(code, candidate_id="AROB-2019-014"):
    return credential_id(ORG_ID, candidate_id, code)


def _block(cert, issuer, candidate, code="RNCP16575BC01", **options):
    block = next(b for b in cert.blocks if b.code == code)
    arguments = {
        "credential_id": _id(code),
        "certification": cert,
        "block": block,
        "results": _result(candidate, code),
        "issuer": issuer,
        "issued": ISSUED,
        "minter": Minter(),
        "issuer_did": DID,
        **options,
    }
    return ob3.achievement_credential(**arguments)


def _full(cert, issuer, candidate, results=None, **options):
    days = {
        "RNCP16575BC01": DECIDED - timedelta(days=200),
        "RNCP16575BC02": DECIDED,
        "RNCP16575BC03": DECIDED,
    }
    arguments = {
        "credential_id": _id("RNCP16575"),
        "certification": cert,
        "block": None,
        "results": results or [_result(candidate, code, day) for code, day in days.items()],
        "issuer": issuer,
        "issued": ISSUED,
        "minter": Minter(),
        "issuer_did": DID,
        **options,
    }
    return ob3.achievement_credential(**arguments)


@pytest.fixture(scope="module")
def block_credential(cert, issuer, candidate):
    return _block(cert, issuer, candidate)


@pytest.fixture(scope="module")
def full_credential(cert, issuer, candidate):
    return _full(cert, issuer, candidate)


def _keys(value, path=""):
    """Every key path of a JSON value (lists are transparent)."""
    if isinstance(value, list):
        return set().union(*(_keys(v, path) for v in value)) if value else set()
    if isinstance(value, dict):
        found = set()
        for key, member in value.items():
            found.add(f"{path}{key}")
            found |= _keys(member, f"{path}{key}.")
        return found
    return set()


# The block credential


def test_block_credential_is_a_vc2_open_badge(block_credential):
    credential = block_credential
    assert list(credential) == [
        "@context", "id", "type", "name", "description", "issuer", "validFrom", "credentialSubject",
    ]  # fmt: skip
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == _id("RNCP16575BC01")
    assert credential["name"] == (
        "Bloc de compétences RNCP16575BC01 : Etude et veille des politiques publiques et du développement des territoires"
    )
    assert credential["validFrom"] == "2024-06-28T00:00:00Z"
    for key in ("issuanceDate", "expirationDate", "credentialSchema", "proof"):
        assert key not in credential


def test_block_credential_has_every_field_of_the_validated_example(block_credential):
    """The research example validates against the OB 3.0 JSON Schema; ours has all of its fields,
    except the subject's ``id`` (candidates have no DID: an ``identifier`` instead)."""
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    missing = _keys(example) - _keys(block_credential)
    assert missing == {"credentialSubject.id"}
    assert {"credentialSubject.identifier", "credentialSubject.identifier.identityHash"} <= _keys(
        block_credential
    )


def test_issuer_is_a_profile_identified_by_its_did(block_credential):
    assert block_credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "Centre ressource AROBASE",
        "url": "https://www.arobase.example",
        "otherIdentifier": [
            {"type": "IdentifierEntry", "identifier": "81738914100012", "identifierType": "ext:SIRET"},
            {"type": "IdentifierEntry", "identifier": ORG_ID, "identifierType": "ext:organizationIdentifier"},
        ],
        "address": {"type": ["Address"], "addressCountryCode": "FR"},
    }


def test_the_candidate_is_named_and_their_email_only_hashed(block_credential):
    subject = block_credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert "id" not in subject
    name, email = subject["identifier"]
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Camille Martin",
    }
    salt = email["salt"]
    assert salt == ob3.identity_salt(_id("RNCP16575BC01"))
    assert len(salt) == 32 and int(salt, 16) >= 0
    digest = hashlib.sha256(("camille.martin@example.fr" + salt).encode()).hexdigest()
    assert email == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }
    text = ob3.to_json(block_credential).lower()
    assert "camille.martin@" not in text and "example.fr" not in text
    assert "1984" not in text  # nor the birth date


def test_the_same_email_hashes_differently_in_each_credential(cert, issuer, candidate, block_credential):
    other = _block(cert, issuer, candidate, "RNCP16575BC02", credential_id=_id("RNCP16575BC02"))
    hashes = [c["credentialSubject"]["identifier"][1]["identityHash"] for c in (block_credential, other)]
    assert hashes[0] != hashes[1]


def test_a_candidate_without_email_is_identified_by_name_only(cert, issuer, candidate):
    credential = _block(
        cert, issuer, candidate, results=_result(dataclasses.replace(candidate, email=" "), "RNCP16575BC01")
    )
    assert [i["identityType"] for i in credential["credentialSubject"]["identifier"]] == ["name"]


def test_block_achievement(block_credential, cert):
    achievement = block_credential["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{BASE}/BC01"
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == cert.blocks[0].title
    assert achievement["humanCode"] == "RNCP16575BC01"
    assert achievement["inLanguage"] == "fr"
    assert achievement["description"].startswith(
        "Bloc de compétences RNCP16575BC01 de la certification professionnelle RNCP16575 « Coordinateur(trice)"
    )
    assert achievement["fieldOfStudy"] == "Aide, conseil, orientation, soutien socio-éducatif"
    assert achievement["tag"] == ["RNCP", "Bloc de compétences", "Niveau 5"]
    narrative = achievement["criteria"]["narrative"]
    assert narrative.startswith("Validation du bloc de compétences RNCP16575BC01 par le jury")
    for method in cert.blocks[0].assessments:
        assert f"\n- {' '.join(method.split())}" in narrative


def test_block_alignments_point_to_the_fiche_levels_and_occupations(block_credential):
    alignments = block_credential["credentialSubject"]["achievement"]["alignment"]
    assert all(a["type"] == ["Alignment"] and a["targetName"] and a["targetUrl"] for a in alignments)
    urls = [a["targetUrl"] for a in alignments]
    assert urls[:3] == [
        "https://www.francecompetences.fr/recherche/rncp/16575/",
        "http://data.europa.eu/snb/eqf/5",
        "https://w3id.org/rncp-ld/id/cnc/5",
    ]
    assert alignments[0]["targetCode"] == "RNCP16575BC01"
    assert (
        alignments[0]["targetFramework"] == "Répertoire national des certifications professionnelles (RNCP)"
    )
    rome = [a for a in alignments if a["targetFramework"].startswith("Répertoire opérationnel")]
    assert [(a["targetCode"], a["targetUrl"]) for a in rome] == [
        (code, f"https://w3id.org/rncp-ld/id/rome/{code}") for code in ("K1801", "K1201", "K2111")
    ]
    assert rome[0]["targetName"] == "Conseil en emploi et insertion socioprofessionnelle"
    esco = [a for a in alignments if a["targetFramework"].startswith("ESCO")]
    assert esco and all(a["targetUrl"].startswith("http://data.europa.eu/esco/occupation/") for a in esco)
    assert "non officielle" in esco[0]["targetDescription"]
    assert esco[0]["targetName"] == "conseiller à l’emploi/conseillère à l’emploi"
    assert len(urls) == len(set(urls))
    # competences are results, never alignments
    assert not any("/competence/" in url for url in urls)


def test_each_competence_is_a_completed_result(block_credential, cert, issuer, candidate):
    achievement = block_credential["credentialSubject"]["achievement"]
    descriptions = achievement["resultDescription"]
    block = cert.blocks[0]
    assert [d["name"] for d in descriptions] == [
        *(" ".join(c.split()) for c in block.competences),
        *(" ".join(c.split()) for c in block.capacities.items),
    ]
    assert all(d["type"] == ["ResultDescription"] and d["resultType"] == "Status" for d in descriptions)
    assert descriptions[0]["id"] == f"{BASE}/BC01/competence/1"
    assert descriptions[-1]["id"] == f"{BASE}/BC01/capacity-group/A/capacity/{len(block.capacities.items)}"
    results = block_credential["credentialSubject"]["result"]
    assert results == [
        {"type": ["Result"], "resultDescription": d["id"], "status": "Completed"} for d in descriptions
    ]
    # the same nodes as the learning outcomes of the block's European Digital Credential
    edc = edc_jsonld.block_credential(
        credential_id=_id("RNCP16575BC01"),
        certification=cert,
        block=block,
        result=_result(candidate, block.code),
        issuer=issuer,
        issued=ISSUED,
        minter=Minter(),
        render=False,
    )
    specification = edc["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert specification["id"] == achievement["id"]
    assert [o["id"] for o in specification["learningOutcome"]] == [d["id"] for d in descriptions]


def test_a_block_with_nothing_listed_has_no_result(cert, issuer, candidate):
    bare = Block(code="RNCP16575BC01", title="Bloc sans liste", number=1)
    fiche = dataclasses.replace(cert, blocks=(bare, *cert.blocks[1:]), rome=(), level=None, nsf=())
    credential = _block(fiche, issuer, candidate)
    achievement = credential["credentialSubject"]["achievement"]
    assert "result" not in credential["credentialSubject"] and "resultDescription" not in achievement
    assert achievement["criteria"] == {
        "narrative": "Validation du bloc de compétences RNCP16575BC01 par le jury de la certification RNCP16575."
    }
    assert achievement["tag"] == ["RNCP", "Bloc de compétences"] and "fieldOfStudy" not in achievement
    assert [a["targetUrl"] for a in achievement["alignment"]] == [
        "https://www.francecompetences.fr/recherche/rncp/16575/"
    ]


# The certification credential


def test_certification_credential(full_credential, cert):
    assert full_credential["id"] == _id("RNCP16575")
    assert (
        full_credential["name"]
        == "RNCP16575 : Coordinateur(trice) de l'intervention sociale et professionnelle"
    )
    assert full_credential["validFrom"] == "2024-06-28T00:00:00Z"  # the last block's decision
    achievement = full_credential["credentialSubject"]["achievement"]
    assert achievement["id"] == BASE
    assert achievement["achievementType"] == "Certificate"
    assert achievement["humanCode"] == "RNCP16575"
    assert achievement["tag"] == ["RNCP", "Certification professionnelle", "Niveau 5"]
    assert achievement["alignment"][0]["targetCode"] == "RNCP16575"
    narrative = achievement["criteria"]["narrative"]
    for block in cert.blocks:
        assert f"- {block.code} : {block.title}" in narrative


def test_certification_results_are_its_blocks_as_in_their_own_credentials(
    full_credential, cert, issuer, candidate
):
    achievement = full_credential["credentialSubject"]["achievement"]
    descriptions = achievement["resultDescription"]
    block_achievements = [
        _block(cert, issuer, candidate, b.code, credential_id=_id(b.code))["credentialSubject"]["achievement"]
        for b in cert.blocks
    ]
    assert [d["id"] for d in descriptions] == [a["id"] for a in block_achievements]
    assert [d["name"] for d in descriptions] == [a["name"] for a in block_achievements]
    assert all(d["resultType"] == "Status" for d in descriptions)
    assert [d["alignment"][0]["targetCode"] for d in descriptions] == [b.code for b in cert.blocks]
    assert full_credential["credentialSubject"]["result"] == [
        {"type": ["Result"], "resultDescription": d["id"], "status": "Completed"} for d in descriptions
    ]


def test_an_optional_block_not_acquired_is_described_without_result(cert, issuer, candidate):
    optional = Block(code="RNCP16575BC04", title="Bloc facultatif", number=4, optional=True)
    fiche = dataclasses.replace(cert, blocks=(*cert.blocks, optional))
    credential = _full(fiche, issuer, candidate)
    achievement = credential["credentialSubject"]["achievement"]
    assert [d["id"] for d in achievement["resultDescription"]][-1] == f"{BASE}/BC04"
    assert "- RNCP16575BC04 : Bloc facultatif (facultatif)" in achievement["criteria"]["narrative"]
    assert [r["resultDescription"] for r in credential["credentialSubject"]["result"]] == [
        f"{BASE}/BC0{i}" for i in (1, 2, 3)
    ]


# Determinism and refusals


def test_output_is_deterministic(cert, issuer, candidate, block_credential, full_credential):
    again = _block(cert, issuer, candidate), _full(cert, issuer, candidate)
    assert again == (block_credential, full_credential)
    assert ob3.to_json(again[0]) == ob3.to_json(block_credential)
    assert json.loads(ob3.to_json(block_credential)) == block_credential
    assert ob3.to_json(block_credential).endswith("}\n")


def test_builder_does_not_modify_its_inputs(cert, issuer, candidate):
    before = copy.deepcopy(cert)
    _full(cert, issuer, candidate)
    assert cert == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"results": "not acquired"}, "block RNCP16575BC01 is non acquis for candidate AROB-2019-014"),
        ({"results": "other block"}, "result is for block RNCP16575BC02, not RNCP16575BC01"),
        ({"results": "other fiche"}, "result of RNCP1 given for certification RNCP16575"),
        ({"results": "unknown block"}, "certification RNCP16575 has no block RNCP16575BC09"),
        ({"results": "two"}, "a block credential has one result, not 2"),
        ({"results": "none"}, "no block result"),
        ({"issued": datetime(2024, 7, 1, 9, 30)}, "issued must be timezone-aware"),
        (
            {"issued": datetime(2024, 6, 27, 23, 0, tzinfo=timezone.utc)},
            r"issued \(2024-06-27T23:00:00Z\) is before",
        ),
        ({"credential_id": "not an iri"}, "credential id 'not an iri' is not an absolute IRI"),
        ({"issuer_did": "did:key:z6Mk with space"}, "issuer id"),
    ],
)
def test_block_refusals(cert, issuer, candidate, change, message):
    rows = {
        "not acquired": _result(candidate, "RNCP16575BC01", decision=Decision.NOT_ACQUIRED),
        "other block": _result(candidate, "RNCP16575BC02"),
        "other fiche": dataclasses.replace(_result(candidate, "RNCP16575BC01"), certification="RNCP1"),
        "unknown block": _result(candidate, "RNCP16575BC09"),
        "two": [_result(candidate, "RNCP16575BC01")] * 2,
        "none": [],
    }
    if "results" in change:
        change = {"results": rows[change["results"]]}
    with pytest.raises(ValueError, match=message):
        _block(cert, issuer, candidate, **change)


def test_certification_refusals(cert, issuer, candidate):
    with pytest.raises(ValueError, match="blocks not acquired: RNCP16575BC03"):
        _full(cert, issuer, candidate, results=[_result(candidate, f"RNCP16575BC0{i}") for i in (1, 2)])
    with pytest.raises(ValueError, match="a block is given twice"):
        _full(cert, issuer, candidate, results=[_result(candidate, f"RNCP16575BC0{i}") for i in (1, 2, 3, 3)])
    other = dataclasses.replace(candidate, id="AROB-2019-099")
    with pytest.raises(ValueError, match="results of several candidates"):
        _full(cert, issuer, candidate, results=[_result(c, f"RNCP16575BC0{i}") for c, i in ((candidate, 1), (candidate, 2), (other, 3))])  # fmt: skip


# Contexts


def test_the_vc2_context_alone_cannot_carry_an_open_badge(block_credential):
    """VC 2.0 has no @vocab: without the OB context the Open Badges terms are not mapped to
    issuer-dependent IRIs, they are dropped — and safe mode refuses to sign what it would drop."""
    from pyld import jsonld as pyld

    jsonld = _needs("jsonld")
    Contexts, UnsafeJsonLdError, to_nquads = jsonld.Contexts, jsonld.UnsafeJsonLdError, jsonld.to_nquads

    document = json.loads(CREDENTIALS_V2.read_text(encoding="utf-8"))
    assert "@vocab" not in document["@context"]
    contexts = Contexts({ob3.CREDENTIALS_V2_URL: document})
    bare = {**block_credential, "@context": [ob3.CREDENTIALS_V2_URL]}
    dropped: list[str | None] = []
    pyld.expand(bare, {"documentLoader": contexts.loader}, on_property_dropped=dropped.append)
    assert {"achievement", "identifier", "result"} <= set(dropped)
    with pytest.raises(UnsafeJsonLdError, match="not defined by the contexts"):
        to_nquads(bare, contexts)


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    _needs("jsonld")
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("RNCP_LD_NETWORK", raising=False)


def test_missing_ob3_context_is_a_clear_error(empty_cache):
    with pytest.raises(ConfigError) as caught:
        ob3.load_contexts(credentials_v2=[str(CREDENTIALS_V2)])
    assert caught.value.message.startswith(
        "the JSON-LD context https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json is not available offline: "
    )
    assert "RNCP_LD_NETWORK=1" in str(caught.value)


def test_a_file_that_is_not_the_ob3_context_is_refused(empty_cache):
    with pytest.raises(ConfigError, match="it does not define OpenBadgeCredential, Achievement"):
        ob3.load_contexts(credentials_v2=[str(CREDENTIALS_V2)], ob3_context=[str(CREDENTIALS_V2)])


def test_an_early_ob3_context_that_json_ld_1_1_refuses_is_recognised(empty_cache, tmp_path):
    """Not a copy of the OB context: a probe with the defect of an early published copy."""
    ob = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    probe = {
        "@context": {
            "@protected": True,
            "OpenBadgeCredential": {"@id": f"{ob}OpenBadgeCredential"},
            "Achievement": {"@id": f"{ob}Achievement", "@context": {"image": {"@id": f"{ob}image"}}},
            "AchievementSubject": {
                "@id": f"{ob}AchievementSubject",
                "@context": {"image": {"@id": f"{ob}image-1"}},
            },
            "Profile": {"@id": f"{ob}Profile"},
            "image": {"@id": f"{ob}image", "@type": "@id"},
        }
    }
    path = tmp_path / "context-3.0.3.json"
    path.write_text(json.dumps(probe), encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"early copy .* redefines protected terms in scoped contexts \(AchievementSubject\.image\)",
    ):
        ob3.load_contexts(credentials_v2=[str(CREDENTIALS_V2)], ob3_context=[str(path)])


def test_vc2_credential_refuses_other_keys_and_missing_contexts(cert, issuer, candidate):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    _needs("data_integrity")
    Contexts = _needs("jsonld").Contexts

    planned = PlannedCredential(
        id=_id("RNCP16575BC01"),
        candidate=candidate,
        certification=cert,
        block=cert.blocks[0],
        results=(_result(candidate, "RNCP16575BC01"),),
        access_route=None,
    )
    contexts = Contexts({ob3.CREDENTIALS_V2_URL: json.loads(CREDENTIALS_V2.read_text(encoding="utf-8"))})
    options = {"issuer": issuer, "issued": ISSUED, "minter": Minter(), "contexts": contexts}
    with pytest.raises(ConfigError, match="signed with an Ed25519 key, not"):
        ob3.vc2_credential(planned, key=ec.generate_private_key(ec.SECP256R1()), **options)
    with pytest.raises(ConfigError, match=r"context-3\.0\.3\.json is not available offline"):
        ob3.vc2_credential(planned, key=ed25519.Ed25519PrivateKey.generate(), **options)


# With the official OB 3.0.3 context: expansion and proof


@pytest.fixture(scope="module")
def contexts():
    """VC 2.0 from ../shared, OB 3.0.3 from $RNCP_LD_OB3_CONTEXT or the cache; skipped without it."""
    _needs("jsonld")
    given = os.environ.get("RNCP_LD_OB3_CONTEXT")
    try:
        return ob3.load_contexts(credentials_v2=[str(CREDENTIALS_V2)], ob3_context=[given] if given else ())
    except ConfigError as error:
        unavailable(
            "the official Open Badges 3.0.3 JSON-LD context is not available offline (rncp_ld does not ship it): "
            f"set RNCP_LD_OB3_CONTEXT to a copy, or put it in the artefacts cache ({error})"
        )


def test_every_term_resolves_with_the_official_contexts(contexts, block_credential, full_credential):
    from rncp_ld.credentials.jsonld import to_nquads

    ob = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    for credential in (block_credential, full_credential):
        nquads = to_nquads(credential, contexts)  # safe mode: nothing dropped, nothing relative
        assert f"<{ob}OpenBadgeCredential>" in nquads
        assert f"<{ob}AchievementSubject>" in nquads
        assert "<https://schema.org/AlignmentObject>" in nquads
        assert "issuer-dependent" not in nquads
    nquads = to_nquads(block_credential, contexts)
    assert f'<{BASE}/BC01> <{ob}achievementType> "MicroCredential" .' in nquads
    assert f'<{BASE}/BC01/competence/1> <{ob}resultType> "Status" .' in nquads
    salt = block_credential["credentialSubject"]["identifier"][1]["salt"]
    assert f'<{ob}salt> "{salt}" .' in nquads


def _planned(cert, candidate, block=None):
    if block is None:
        rows = tuple(_result(candidate, b.code) for b in cert.blocks)
        return PlannedCredential(_id("RNCP16575"), candidate, cert, None, rows, None)
    return PlannedCredential(_id(block.code), candidate, cert, block, (_result(candidate, block.code),), None)


def test_signed_credential_verifies_and_detects_tampering(contexts, cert, issuer, candidate):
    data_integrity = _needs("data_integrity")
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from rncp_ld.credentials.did_key import did_key, verification_method_id

    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    options = {"issuer": issuer, "issued": ISSUED, "minter": Minter(), "key": key, "contexts": contexts}
    for planned in (_planned(cert, candidate, cert.blocks[0]), _planned(cert, candidate)):
        signed = ob3.vc2_credential(planned, **options)
        assert signed["issuer"]["id"] == did_key(key)
        proof = signed["proof"]
        assert proof["type"] == "DataIntegrityProof"
        assert proof["cryptosuite"] == "eddsa-rdfc-2022"
        assert proof["proofPurpose"] == "assertionMethod"
        assert proof["verificationMethod"] == verification_method_id(key)
        assert proof["created"] == "2024-07-01T09:30:15Z"
        assert proof["proofValue"].startswith("z")
        verified = data_integrity.verify_proof(signed, contexts=contexts)
        assert verified.controller == signed["issuer"]["id"]  # OB 3.0: the issuer's own key
        assert verified.document == {k: v for k, v in signed.items() if k != "proof"}
        # Ed25519 is deterministic: the same inputs give the same signed credential
        assert ob3.vc2_credential(planned, **options) == signed
        tampered = copy.deepcopy(signed)
        tampered["credentialSubject"]["result"][0]["status"] = "Failed"
        with pytest.raises(data_integrity.SignatureError, match="does not"):
            data_integrity.verify_proof(tampered, contexts=contexts)
