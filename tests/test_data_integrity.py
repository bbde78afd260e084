"""eddsa-rdfc-2022 Data Integrity proofs against the W3C vc-di-eddsa test vectors, offline.

Every intermediate value of the vectors is reproduced byte for byte; every test runs with
the network refused (``no_network``), so the contexts can only come from local files.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from rncp_ld.credentials import data_integrity as di
from rncp_ld.credentials.data_integrity import (
    CRYPTOSUITE,
    PROOF_TYPE,
    SignatureError,
    add_proof,
    hash_data,
    verify_proof,
    verify_proofs,
)
from rncp_ld.credentials.did_key import (
    VerificationMethod,
    did_key_resolver,
    multibase_decode,
    multibase_encode,
    private_key_from_multibase,
    verification_method_id,
)
from rncp_ld.credentials.jsonld import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    EXAMPLES_V2_URL,
    OB3_CONTEXT_URL,
    Contexts,
    ContextUnavailableError,
    UnsafeJsonLdError,
    load_contexts,
    to_nquads,
)
from rncp_ld.errors import ConfigError

from conftest import SHARED

VECTORS = SHARED / "vc-di-eddsa" / "TestVectors"
RDFC = VECTORS / "eddsa-rdfc-2022"
EMPLOY = RDFC / "employ"
SETS = VECTORS / "proof-set-chain"
W3C_CONTEXTS = SHARED / "elm" / "_external" / "w3c-credentials-context"
V2_FILE = W3C_CONTEXTS / "credentials-v2.jsonld"
V1_FILE = W3C_CONTEXTS / "credentials-v1.jsonld"
OB3_EXAMPLE = SHARED / "research" / "europass-examples" / "ob3-rncp-block-minimal.json"
CITIZENSHIP_URL = "https://w3id.org/citizenship/v4rc1"


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _text(path):
    return path.read_text(encoding="utf-8")


def _hex(path):
    return _text(path).strip()


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any use of urllib or of a socket fails the test: contexts are never fetched."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def contexts():
    return load_contexts(credentials_v2=[str(V2_FILE)], credentials_v1=[str(V1_FILE)])


@pytest.fixture(scope="module")
def key():
    return private_key_from_multibase(_json(VECTORS / "keyPair.json")["privateKeyMultibase"])


@pytest.fixture(scope="module")
def keys():
    return {
        n: private_key_from_multibase(p["privateKeyMultibase"])
        for n, p in _json(SETS / "multiKeyPairs.json").items()
    }


@pytest.fixture(scope="module")
def signed():
    return _json(RDFC / "signedDataInt.json")


def _sign(document, config, key, contexts):
    """add_proof with the options of a vector's proof configuration."""
    return add_proof(
        document,
        key,
        verification_method=config["verificationMethod"],
        created=_time(config["created"]),
        proof_purpose=config["proofPurpose"],
        contexts=contexts,
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
    )


def _pyld_urdna2015(nquads: str) -> str:
    from pyld import jsonld

    return jsonld.normalize(
        nquads,
        {"algorithm": "URDNA2015", "inputFormat": "application/n-quads", "format": "application/n-quads"},
    )


# The eddsa-rdfc-2022 vector, step by step


def test_every_intermediate_value_of_the_vector(contexts, key):
    hashed = hash_data(
        _json(VECTORS / "unsigned.json"), _json(RDFC / "proofConfigDataInt.json"), contexts=contexts
    )
    assert hashed.canonical_document == _text(RDFC / "canonDocDataInt.txt")
    assert hashed.canonical_proof_config == _text(RDFC / "proofCanonDataInt.txt")
    assert hashed.document_hash.hex() == _hex(RDFC / "docHashDataInt.txt")
    assert hashed.proof_config_hash.hex() == _hex(RDFC / "proofHashDataInt.txt")
    assert hashed.data.hex() == _hex(RDFC / "combinedHashDataInt.txt")
    signature = key.sign(hashed.data)
    assert signature.hex() == _hex(RDFC / "sigHexDataInt.txt")
    assert multibase_encode(signature) == _hex(RDFC / "sigBTC58DataInt.txt")


def test_add_proof_gives_the_signed_vector_byte_for_byte(contexts, key, signed):
    unsigned = _json(VECTORS / "unsigned.json")
    before = copy.deepcopy(unsigned)
    config = _json(RDFC / "proofConfigDataInt.json")
    secured = _sign(unsigned, config, key, contexts)
    assert secured == signed
    assert json.dumps(secured, indent=2, ensure_ascii=False) == _text(RDFC / "signedDataInt.json")
    assert unsigned == before
    assert config["verificationMethod"] == verification_method_id(key)


def test_created_is_written_in_utc_to_the_second(contexts, key, signed):
    paris = timezone(timedelta(hours=1))
    secured = add_proof(
        _json(VECTORS / "unsigned.json"),
        key,
        verification_method=verification_method_id(key),
        created=datetime(2023, 2, 25, 0, 36, 38, 999_999, tzinfo=paris),
        contexts=contexts,
    )
    assert secured == signed


def test_the_signed_vector_verifies(contexts, key, signed):
    result = verify_proof(signed, contexts=contexts)
    assert result.verification_method == signed["proof"]["verificationMethod"]
    assert result.controller == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert result.public_key.public_bytes_raw() == key.public_key().public_bytes_raw()
    assert result.proof_purpose == "assertionMethod"
    assert result.created == datetime(2023, 2, 24, 23, 36, 38, tzinfo=timezone.utc)
    assert (result.expires, result.id, result.previous_proof) == (None, None, ())
    assert result.document == _json(VECTORS / "unsigned.json")
    assert result.proof == signed["proof"]
    assert verify_proofs(signed, contexts=contexts) == (result,)


def test_our_rdfc_agrees_with_pyld_urdna2015_on_the_vectors(contexts):
    unsigned = _json(VECTORS / "unsigned.json")
    config = {**_json(RDFC / "proofConfigDataInt.json"), "@context": unsigned["@context"]}
    for document in (unsigned, config, _json(SETS / "proofChainTempDoc2.json")):
        nquads = to_nquads(document, contexts)
        assert di._canonize(nquads) == _pyld_urdna2015(nquads)
    for path in (
        RDFC / "canonDocDataInt.txt",
        EMPLOY / "canonDocDataInt.txt",
        RDFC / "proofCanonDataInt.txt",
    ):
        assert di._canonize(_text(path)) == _pyld_urdna2015(_text(path)) == _text(path)


def test_canonicalization_work_is_limited_when_signing_and_verifying(contexts, key, signed):
    """A clique of look-alike blank nodes makes RDFC-1.0 try every permutation: refused, quickly."""
    from rncp_ld.credentials.rdfc import CanonicalizationError, Limits

    nodes = [{"@id": f"_:b{i}", "knows": [{"@id": f"_:b{j}"} for j in range(8) if j != i]} for i in range(8)]
    bomb = copy.deepcopy(signed)
    bomb["credentialSubject"]["knows"] = nodes
    limits = Limits(max_ndegree_calls=100)
    with pytest.raises(CanonicalizationError, match="more than 100 deep hashing steps") as caught:
        verify_proof(bomb, contexts=contexts, limits=limits)
    assert caught.value.reason == "too-many-ndegree-calls"
    unsigned = {k: v for k, v in bomb.items() if k != "proof"}
    with pytest.raises(CanonicalizationError):
        add_proof(
            unsigned,
            key,
            verification_method=verification_method_id(key),
            created=datetime.now(timezone.utc),
            contexts=contexts,
            limits=limits,
        )


# The employment-authorization vector (its citizenship context is not available here)


def test_employment_vector_hashes_and_signature(key):
    signed = _json(EMPLOY / "signedDataInt.json")
    canonical = _text(EMPLOY / "canonDocDataInt.txt")
    proof_canonical = _text(EMPLOY / "proofCanonDataInt.txt")
    assert di._canonize(canonical) == canonical
    assert hashlib.sha256(canonical.encode()).hexdigest() == _hex(EMPLOY / "docHashDataInt.txt")
    assert hashlib.sha256(proof_canonical.encode()).hexdigest() == _hex(EMPLOY / "proofHashDataInt.txt")
    combined = bytes.fromhex(_hex(EMPLOY / "combinedHashDataInt.txt"))
    assert combined == bytes.fromhex(
        _hex(EMPLOY / "proofHashDataInt.txt") + _hex(EMPLOY / "docHashDataInt.txt")
    )
    signature = key.sign(combined)
    assert signature.hex() == _hex(EMPLOY / "sigHexDataInt.txt")
    assert (
        multibase_encode(signature) == _hex(EMPLOY / "sigBTC58DataInt.txt") == signed["proof"]["proofValue"]
    )
    did_key_resolver(signed["proof"]["verificationMethod"]).public_key.verify(signature, combined)


def test_a_context_not_available_offline_is_refused_not_fetched(contexts):
    signed = _json(EMPLOY / "signedDataInt.json")
    with pytest.raises(ContextUnavailableError, match=f"context {CITIZENSHIP_URL} is not available offline"):
        verify_proof(signed, contexts=contexts)
    with pytest.raises(ContextUnavailableError, match="not available offline"):
        hash_data(
            _json(VECTORS / "employmentAuth.json"),
            _json(EMPLOY / "proofConfigDataInt.json"),
            contexts=contexts,
        )
    assert isinstance(ContextUnavailableError("x"), ConfigError)


# Proof sets and proof chains (vc-di-eddsa proof-set-chain vectors)


def test_proof_sets_and_chains_reproduce_the_vectors(contexts, keys):
    document = _json(SETS / "unsigned.json")
    steps = [
        ("proofSetConfig1.json", "keyPair1", "signedProofSet1.json"),
        ("proofSetConfig2.json", "keyPair2", "signedProofSet2.json"),
        ("proofChainConfig1.json", "keyPair3", "signedProofChain1.json"),
        ("proofChainConfig2.json", "keyPair4", "signedProofChain2.json"),
    ]
    for config, pair, expected in steps:
        document = _sign(document, _json(SETS / config), keys[pair], contexts)
        assert document == _json(SETS / expected), expected


def test_chain_proofs_secure_the_previous_proofs_as_the_vectors_do(contexts):
    chain = _json(SETS / "signedProofChain2.json")
    temp = _json(SETS / "proofChainTempDoc2.json")
    last = chain["proof"][3]
    options = {k: v for k, v in last.items() if k != "proofValue"}
    assert options == {
        k: v for k, v in _json(SETS / "proofChainConfigSigned2.json").items() if k != "proofValue"
    }
    hashed = hash_data(temp, options, contexts=contexts)
    method = did_key_resolver(last["verificationMethod"])
    method.public_key.verify(multibase_decode(last["proofValue"]), hashed.data)


@pytest.mark.parametrize(
    ("name", "previous"),
    [
        ("signedProofSet1.json", [()]),
        ("signedProofSet2.json", [(), ()]),
        (
            "signedProofChain1.json",
            [
                (),
                (),
                (
                    "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544",
                    "urn:uuid:8cc9022b-6b14-4cf3-8571-74972c5feb54",
                ),
            ],
        ),
        (
            "signedProofChain2.json",
            [
                (),
                (),
                (
                    "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544",
                    "urn:uuid:8cc9022b-6b14-4cf3-8571-74972c5feb54",
                ),
                ("urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23",),
            ],
        ),
    ],
)
def test_proof_sets_and_chains_verify(contexts, name, previous):
    results = verify_proofs(_json(SETS / name), contexts=contexts)
    assert [r.previous_proof for r in results] == previous
    assert len({r.controller for r in results}) == len(results)


def test_verify_proof_refuses_a_proof_set(contexts):
    with pytest.raises(SignatureError, match=r"a proof set of 2 proof\(s\).*verify_proofs for sets"):
        verify_proof(_json(SETS / "signedProofSet2.json"), contexts=contexts)


def test_a_chain_whose_earlier_proof_changed_fails(contexts):
    chain = _json(SETS / "signedProofChain2.json")
    chain["proof"][2]["created"] = "2023-02-26T22:06:39Z"
    with pytest.raises(SignatureError, match="proof 3 of 4: the signature does not verify"):
        verify_proofs(chain, contexts=contexts)
    chain = _json(SETS / "signedProofChain2.json")
    chain["proof"][0]["proofValue"] = chain["proof"][1]["proofValue"]
    with pytest.raises(SignatureError, match="proof 1 of 4: the signature does not verify"):
        verify_proofs(chain, contexts=contexts)


def test_a_chain_missing_or_duplicating_its_previous_proof_fails(contexts):
    chain = _json(SETS / "signedProofChain2.json")
    del chain["proof"][2]
    with pytest.raises(SignatureError, match=r"proof 3: previous proof\(s\) \['urn:uuid:d94f792a"):
        verify_proofs(chain, contexts=contexts)
    chain = _json(SETS / "signedProofChain2.json")
    chain["proof"][1]["id"] = chain["proof"][0]["id"]
    with pytest.raises(SignatureError, match="two proofs have the same id"):
        verify_proofs(chain, contexts=contexts)
    chain = _json(SETS / "signedProofChain2.json")
    chain["proof"][2]["previousProof"] = chain["proof"][2]["id"]
    with pytest.raises(SignatureError, match="names itself"):
        verify_proofs(chain, contexts=contexts)
    chain["proof"][2]["previousProof"] = []
    with pytest.raises(SignatureError, match="previousProof must be"):
        verify_proofs(chain, contexts=contexts)


def test_adding_to_a_set_checks_ids_and_previous_proofs(contexts, keys):
    document = _json(SETS / "signedProofSet2.json")
    options = {
        "verification_method": verification_method_id(keys["keyPair3"]),
        "created": datetime.now(timezone.utc),
    }
    with pytest.raises(ConfigError, match="already used"):
        add_proof(
            document, keys["keyPair3"], contexts=contexts, proof_id=document["proof"][0]["id"], **options
        )
    with pytest.raises(ConfigError, match=r"previous proof\(s\) \['urn:uuid:nope'\] not found"):
        add_proof(document, keys["keyPair3"], contexts=contexts, previous_proof="urn:uuid:nope", **options)
    added = add_proof(document, keys["keyPair3"], contexts=contexts, **options)
    assert added["proof"][:2] == document["proof"] and len(added["proof"]) == 3
    assert len(verify_proofs(added, contexts=contexts)) == 3


# Tampering


def _flip(proof_value: str, index: int = 10) -> str:
    raw = bytearray(multibase_decode(proof_value))
    raw[index] ^= 0x01
    return multibase_encode(bytes(raw))


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda d: d["credentialSubject"].__setitem__("alumniOf", "The School of Forgery"), id="claim"
        ),
        pytest.param(lambda d: d.__setitem__("validFrom", "2023-01-01T00:00:01Z"), id="validFrom"),
        pytest.param(lambda d: d.__delitem__("description"), id="removed-claim"),
        pytest.param(lambda d: d["type"].append("OpenBadgeCredential"), id="added-type"),
        pytest.param(lambda d: d.__setitem__("issuer", "https://vc.example/issuers/5679"), id="issuer"),
        pytest.param(
            lambda d: d["proof"].__setitem__("proofValue", _flip(d["proof"]["proofValue"])),
            id="proofValue-bit",
        ),
        pytest.param(
            lambda d: d["proof"].__setitem__("proofValue", _flip(d["proof"]["proofValue"], 63)),
            id="proofValue-last-byte",
        ),
        pytest.param(lambda d: d["proof"].__setitem__("created", "2023-02-24T23:36:39Z"), id="created"),
        pytest.param(
            lambda d: d["proof"].__setitem__(
                "verificationMethod",
                "did:key:z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7#z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7",
            ),
            id="swapped-verification-method",
        ),
        pytest.param(lambda d: d["proof"].__setitem__("id", "urn:uuid:0"), id="proof-id-added"),
    ],
)
def test_tampering_fails(contexts, signed, tamper):
    document = copy.deepcopy(signed)
    tamper(document)
    with pytest.raises(SignatureError, match="the signature does not verify"):
        verify_proof(document, contexts=contexts)


def test_a_proof_by_another_key_fails(contexts, signed, keys):
    unsigned = _json(VECTORS / "unsigned.json")
    options = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    forged = copy.deepcopy(signed)
    forged["proof"]["proofValue"] = multibase_encode(
        keys["keyPair1"].sign(hash_data(unsigned, options, contexts=contexts).data)
    )
    with pytest.raises(SignatureError, match="does not verify with did:key:z6MkrJVna"):
        verify_proof(forged, contexts=contexts)


def test_signing_refuses_a_key_that_is_not_the_verification_method(contexts, key, keys):
    with pytest.raises(ConfigError, match="the signing key is not the key of did:key:z6MkrJVna"):
        add_proof(
            _json(VECTORS / "unsigned.json"),
            keys["keyPair1"],
            verification_method=verification_method_id(key),
            created=datetime.now(timezone.utc),
            contexts=contexts,
        )
    with pytest.raises(ConfigError, match="Ed25519 private key"):
        add_proof(
            {},
            ec.generate_private_key(ec.SECP256R1()),
            verification_method="x",
            created=datetime.now(timezone.utc),
            contexts=contexts,
        )  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="did:web cannot be resolved offline"):
        add_proof(
            _json(VECTORS / "unsigned.json"),
            key,
            verification_method="did:web:a.example#k",
            created=datetime.now(timezone.utc),
            contexts=contexts,
        )
    with pytest.raises(ConfigError, match="time-zone aware"):
        add_proof(
            _json(VECTORS / "unsigned.json"),
            key,
            verification_method=verification_method_id(key),
            created=datetime(2024, 1, 1),
            contexts=contexts,
        )


def test_an_unsigned_claim_added_after_signing_is_refused(contexts, key):
    """VC 2.0 has no @vocab: an undefined term would be dropped, hence unsigned, and is refused.
    (The vector's examples context maps every term by @vocab: there, it is a changed claim.)"""
    signed = add_proof(
        V2_CREDENTIAL,
        key,
        verification_method=verification_method_id(key),
        created=datetime.now(timezone.utc),
        contexts=contexts,
    )
    verify_proof(signed, contexts=contexts)
    document = copy.deepcopy(signed)
    document["credentialSubject"]["grade"] = "A+"
    with pytest.raises(SignatureError, match=r"'grade' is not defined by the contexts.*would not be signed"):
        verify_proof(document, contexts=contexts)
    document = copy.deepcopy(signed)
    document["proof"]["note"] = "unsigned"
    with pytest.raises(SignatureError, match="'note' is not defined"):
        verify_proof(document, contexts=contexts)


# Strict proofs


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cryptosuite": "eddsa-jcs-2022"}, "cryptosuite 'eddsa-jcs-2022' is not supported"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "cryptosuite 'ecdsa-rdfc-2019' is not supported"),
        ({"cryptosuite": "eddsa-2022"}, "cryptosuite 'eddsa-2022' is not supported"),
        ({"type": "Ed25519Signature2020"}, "proof type 'Ed25519Signature2020' is not supported"),
        ({"proofPurpose": "authentication"}, "the proof is for 'authentication'"),
        ({"proofValue": "u" + "A" * 86}, "not a Multibase base58btc value"),
        ({"proofValue": "z0OIl"}, "is not a base58btc character"),
        ({"proofValue": "z" + "2" * 20}, "proofValue has 14 bytes, not 64"),
        ({"proofValue": 12}, "the proof's proofValue is not a string"),
        ({"created": "2023-02-24"}, "created '2023-02-24' is not a date and time with a time zone"),
        ({"created": "2023-02-24T23:36:38"}, "is not a date and time with a time zone"),
        ({"created": "2023-02-30T23:36:38Z"}, "is not a valid date and time"),
        ({"previousProof": 3}, "previousProof must be"),
        ({"verificationMethod": "did:web:vc.example#key-1"}, "did:web cannot be resolved offline"),
        (
            {"verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"},
            "is a DID, not a verification method",
        ),
        (
            {
                "verificationMethod": "did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76#zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"
            },
            "is not an ed25519-pub Multikey",
        ),
        (
            {"@context": ["https://w3id.org/security/data-integrity/v2"]},
            "the proof's @context is not the start of the document's",
        ),
    ],
)
def test_strict_proof_checks(contexts, signed, change, message):
    document = copy.deepcopy(signed)
    document["proof"].update(change)
    with pytest.raises(SignatureError, match=message):
        verify_proof(document, contexts=contexts)


def test_the_w3c_vectors_of_other_suites_are_refused(contexts):
    with pytest.raises(SignatureError, match="cryptosuite 'eddsa-jcs-2022' is not supported"):
        verify_proof(_json(VECTORS / "eddsa-jcs-2022" / "signedJCS.json"), contexts=contexts)
    with pytest.raises(SignatureError, match="proof type 'Ed25519Signature2020' is not supported"):
        verify_proof(_json(VECTORS / "Ed25519Signature2020" / "signedEdSig.json"), contexts=contexts)


@pytest.mark.parametrize(
    "member", ["type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue"]
)
def test_a_proof_missing_a_required_member_is_refused(contexts, signed, member):
    document = copy.deepcopy(signed)
    del document["proof"][member]
    with pytest.raises(SignatureError, match=f"the proof has no {member}"):
        verify_proof(document, contexts=contexts)


def test_documents_without_a_usable_proof_are_refused(contexts, signed):
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    with pytest.raises(SignatureError, match="has no proof"):
        verify_proof(unsigned, contexts=contexts)
    with pytest.raises(SignatureError, match="has no proof"):
        verify_proofs(unsigned, contexts=contexts)
    with pytest.raises(SignatureError, match="not a JSON object"):
        verify_proof({**unsigned, "proof": "z2YwC8"}, contexts=contexts)
    with pytest.raises(SignatureError, match="not a JSON object"):
        verify_proof([signed], contexts=contexts)  # type: ignore[arg-type]
    with pytest.raises(SignatureError, match="empty proof set"):
        verify_proofs({**unsigned, "proof": []}, contexts=contexts)
    without_context = {k: v for k, v in signed.items() if k != "@context"}
    with pytest.raises(SignatureError, match="the document has no @context"):
        verify_proof(without_context, contexts=contexts)


def test_a_proof_context_that_starts_the_documents_is_accepted(contexts, signed):
    document = copy.deepcopy(signed)
    document["proof"]["@context"] = [CREDENTIALS_V2_URL]
    assert verify_proof(document, contexts=contexts).controller.startswith("did:key:")


def test_the_expected_purpose_is_signed(contexts, signed):
    document = copy.deepcopy(signed)
    document["proof"]["proofPurpose"] = "authentication"
    with pytest.raises(SignatureError, match="the signature does not verify"):
        verify_proof(document, contexts=contexts, expected_purpose="authentication")


def _sign_options(document, options, key, contexts):
    hashed = hash_data(document, options, contexts=contexts)
    return {**document, "proof": {**options, "proofValue": multibase_encode(key.sign(hashed.data))}}


def test_expires_domain_and_challenge(contexts, key):
    unsigned = _json(VECTORS / "unsigned.json")
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": "2023-02-24T23:36:38Z",
        "expires": "2030-01-01T00:00:00.5+01:00",
        "verificationMethod": verification_method_id(key),
        "proofPurpose": "authentication",
        "domain": "https://verifier.example",
        "challenge": "1235abcd6789",
    }
    document = _sign_options(unsigned, options, key, contexts)
    before = datetime(2029, 12, 31, 22, 59, tzinfo=timezone.utc)
    expect = {"expected_purpose": "authentication", "now": before}
    result = verify_proof(
        document, contexts=contexts, domain="https://verifier.example", challenge="1235abcd6789", **expect
    )
    assert result.expires == datetime(2029, 12, 31, 23, 0, 0, 500_000, tzinfo=timezone.utc)
    with pytest.raises(SignatureError, match=r"expired at 2030-01-01T00:00:00\.5"):
        verify_proof(
            document, contexts=contexts, expected_purpose="authentication", now=before + timedelta(hours=1)
        )
    with pytest.raises(SignatureError, match="domain"):
        verify_proof(document, contexts=contexts, domain="https://other.example", **expect)
    with pytest.raises(SignatureError, match="challenge"):
        verify_proof(document, contexts=contexts, challenge="nope", **expect)


class _EcResolver:
    def __call__(self, url: str) -> VerificationMethod:
        return VerificationMethod(
            id=url,
            controller="did:example:x",
            public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
        )


def test_resolvers_must_give_the_asked_method_and_an_ed25519_key(contexts, signed, key):
    with pytest.raises(SignatureError, match="is not an Ed25519 key"):
        verify_proof(signed, contexts=contexts, resolve=_EcResolver())

    def elsewhere(url: str) -> VerificationMethod:
        return VerificationMethod(id=url + "x", controller="did:example:x", public_key=key.public_key())

    with pytest.raises(SignatureError, match="the resolver returned"):
        verify_proof(signed, contexts=contexts, resolve=elsewhere)

    def web(url: str) -> VerificationMethod:  # a custom (offline) resolver for another method
        return VerificationMethod(
            id=url, controller="https://vc.example/issuers/5678", public_key=key.public_key()
        )

    document = add_proof(
        _json(VECTORS / "unsigned.json"),
        key,
        verification_method="https://vc.example/issuers/5678#key-1",
        created=datetime(2024, 6, 28, tzinfo=timezone.utc),
        contexts=contexts,
        resolve=web,
    )
    assert (
        verify_proof(document, contexts=contexts, resolve=web).controller == "https://vc.example/issuers/5678"
    )
    with pytest.raises(SignatureError, match="is not a did:key URL"):
        verify_proof(document, contexts=contexts)


def test_signing_and_verifying_do_not_change_their_input(contexts, signed):
    document = copy.deepcopy(signed)
    verify_proof(document, contexts=contexts)
    verify_proofs(document, contexts=contexts)
    assert document == signed


# Safe mode: nothing is signed that the RDF would drop

V2_CREDENTIAL = {
    "@context": [CREDENTIALS_V2_URL],
    "id": "urn:uuid:6f1c1f2e-0000-4000-8000-000000000002",
    "type": ["VerifiableCredential"],
    "issuer": "https://certificateur.example.fr/issuers/1",
    "validFrom": "2024-06-28T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner-123"},
}
V1_CREDENTIAL = {
    "@context": [CREDENTIALS_V1_URL],
    "id": "urn:uuid:6f1c1f2e-0000-4000-8000-000000000002",
    "type": ["VerifiableCredential"],
    "issuer": "https://certificateur.example.fr/issuers/1",
    "issuanceDate": "2024-06-28T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner-123"},
}


def _with(base, **members):
    document = copy.deepcopy(base)
    document.update(members)
    return document


@pytest.mark.parametrize(
    ("document", "event", "message"),
    [
        (_with(V2_CREDENTIAL, grade="A"), "invalid property", "'grade' is not defined by the contexts"),
        (
            _with(V1_CREDENTIAL, credentialSubject={"id": "did:example:1", "grade": "A"}),
            "invalid property",
            "'grade'",
        ),
        (_with(V2_CREDENTIAL, **{"@foo": "x"}), "invalid property", "expands to nothing"),
        (_with(V2_CREDENTIAL, id="credentials/1"), "relative reference", "'credentials/1' is a relative IRI"),
        (_with(V2_CREDENTIAL, id=""), "relative reference", "'' is a relative IRI"),
        (
            _with(V1_CREDENTIAL, type=["VerifiableCredential", "RncpBlock"]),
            "relative reference",
            "'RncpBlock'",
        ),
        (_with(V2_CREDENTIAL, issuer="issuers/1"), "relative reference", "'issuers/1'"),
        (_with(V2_CREDENTIAL, id="@self"), "reserved @id value", "'@self' looks like a keyword"),
        (_with(V2_CREDENTIAL, name={"@value": None}), "free-floating value", "dropped by the expansion"),
        (_with(V2_CREDENTIAL, name={"@language": "fr"}), "free-floating value", "dropped by the expansion"),
        (_with(V2_CREDENTIAL, **{"@graph": ["free"]}), "free-floating value", "'free'"),
        (
            _with(V2_CREDENTIAL, name={"@value": "Bloc", "@language": "fr", "@direction": "ltr"}),
            "rdfDirection not set",
            "@direction",
        ),
        (_with(V2_CREDENTIAL, credentialSubject={"id": "did:example:1", "@index": "x"}), "@index", "@index"),
        (_with(V2_CREDENTIAL, **{"_:p": "x"}), "blank node predicate", "'_:p' is a blank node"),
        (
            _with(V2_CREDENTIAL, name={"@value": "x", "@language": 'fr" .\n<urn:a> <urn:b> "c'}),
            "invalid @language value",
            "is not a language tag",
        ),
        (
            _with(V2_CREDENTIAL, issuer="https://a.example/>_<urn:p>_<urn:o"),
            "invalid RDF term",
            "is not a valid absolute IRI",
        ),
        (
            _with(V2_CREDENTIAL, issuer="https://a.example/a b"),
            "relative subject reference",
            "not an absolute IRI",
        ),
        (_with(V2_CREDENTIAL, name="Bloc \ud800"), "invalid RDF term", "not valid Unicode"),
        (
            _with(V2_CREDENTIAL, **{"@context": [CREDENTIALS_V2_URL, {"@vocab": ""}]}),
            "relative reference",
            "'' is a relative IRI",
        ),
        (
            _with(V2_CREDENTIAL, name={"@value": "x", "@language": "fr", "@type": "https://a.example/t"}),
            "invalid JSON-LD",
            "not valid JSON-LD",
        ),
    ],
)
def test_safe_mode_refuses_what_would_not_be_signed(contexts, key, document, event, message):
    with pytest.raises(UnsafeJsonLdError, match=message) as caught:
        to_nquads(document, contexts)
    assert caught.value.event == event
    with pytest.raises(UnsafeJsonLdError):
        add_proof(
            document,
            key,
            verification_method=verification_method_id(key),
            created=datetime.now(timezone.utc),
            contexts=contexts,
        )


def test_safe_mode_accepts_what_json_ld_keeps(contexts):
    absolute_base = _with(
        V2_CREDENTIAL, **{"@context": [CREDENTIALS_V2_URL, {"@base": "https://certificateur.example.fr/"}]}
    )
    absolute_base["id"] = "credentials/1"
    assert "<https://certificateur.example.fr/credentials/1>" in to_nquads(absolute_base, contexts)
    assert to_nquads(_with(V2_CREDENTIAL, name=None), contexts) == to_nquads(V2_CREDENTIAL, contexts)
    tagged = to_nquads(_with(V2_CREDENTIAL, name={"@value": "Bloc", "@language": "fr-FR"}), contexts)
    assert '"Bloc"@fr-fr' in tagged
    blank = to_nquads(_with(V2_CREDENTIAL, credentialSubject={"id": "_:subject"}), contexts)
    assert "_:b0" in blank


# The offline loader


def test_loader_maps_the_known_urls_to_local_files(contexts):
    assert contexts.sources[CREDENTIALS_V2_URL] == str(V2_FILE)
    assert contexts.sources[CREDENTIALS_V1_URL] == str(V1_FILE)
    assert contexts.sources[EXAMPLES_V2_URL] == "built-in"
    assert contexts.documents[EXAMPLES_V2_URL] == {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
    assert contexts.documents[CREDENTIALS_V2_URL] == _json(V2_FILE)
    remote = contexts.loader(CREDENTIALS_V2_URL)
    assert remote["documentUrl"] == CREDENTIALS_V2_URL and remote["document"] == _json(V2_FILE)
    remote["document"]["@context"]["id"] = "changed"
    assert contexts.documents[CREDENTIALS_V2_URL]["@context"]["id"] == "@id"
    with pytest.raises(
        ContextUnavailableError, match=r"context https://example\.org/ctx is not available offline"
    ):
        contexts.loader("https://example.org/ctx")
    with pytest.raises(ContextUnavailableError):
        contexts.loader(CREDENTIALS_V2_URL + "/")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("RNCP_LD_NETWORK", raising=False)
    return tmp_path / "cache"


def test_defaults_come_from_the_cache_and_missing_ones_are_reported(cache, monkeypatch):
    found = load_contexts()
    assert set(found.documents) == {EXAMPLES_V2_URL}
    assert set(found.missing) == {CREDENTIALS_V2_URL, CREDENTIALS_V1_URL, OB3_CONTEXT_URL}
    monkeypatch.setenv("RNCP_LD_NETWORK", "1")  # the environment alone never makes it fetch
    assert set(load_contexts().missing) == {CREDENTIALS_V2_URL, CREDENTIALS_V1_URL, OB3_CONTEXT_URL}
    cached = cache / "www.w3.org" / "ns" / "credentials" / "v2"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(V2_FILE.read_bytes())
    found = load_contexts()
    assert found.sources[CREDENTIALS_V2_URL] == str(cached)
    assert CREDENTIALS_V2_URL not in found.missing


def test_the_ob3_context_is_used_only_when_there_is_a_local_copy(cache, tmp_path, key):
    """The OB 3.0.3 context is not shipped: without it an OB3 credential cannot be signed; with a
    local copy (here a stand-in defining the terms of the research example) it is served offline."""
    credential = _json(OB3_EXAMPLE)
    without = load_contexts(credentials_v2=[str(V2_FILE)])
    assert "is not in the cache" in without.missing[OB3_CONTEXT_URL]
    with pytest.raises(ContextUnavailableError, match=f"context {OB3_CONTEXT_URL} is not available offline"):
        add_proof(
            credential,
            key,
            verification_method=verification_method_id(key),
            created=datetime.now(timezone.utc),
            contexts=without,
        )
    vocab = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    terms = ["OpenBadgeCredential", "Profile", "AchievementSubject", "Achievement", "Alignment", "Criteria"]
    properties = [
        "achievement",
        "achievementType",
        "criteria",
        "narrative",
        "humanCode",
        "inLanguage",
        "alignment",
        "targetName",
        "targetUrl",
        "targetCode",
        "targetFramework",
    ]
    stand_in = {"@context": {"@protected": True, **{t: vocab + t for t in terms + properties}}}
    path = tmp_path / "ob3-stand-in.jsonld"
    path.write_text(json.dumps(stand_in), encoding="utf-8")
    with_ob3 = load_contexts(credentials_v2=[str(V2_FILE)], ob3=[str(path)])
    assert with_ob3.sources[OB3_CONTEXT_URL] == str(path)
    secured = add_proof(
        credential,
        key,
        verification_method=verification_method_id(key),
        created=datetime.now(timezone.utc),
        contexts=with_ob3,
    )
    assert verify_proof(secured, contexts=with_ob3).document == credential


def test_given_files_must_exist_and_be_contexts(cache, tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_contexts(credentials_v2=[str(tmp_path / "nope.jsonld")])
    not_json = tmp_path / "v2.jsonld"
    not_json.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the context"):
        load_contexts(credentials_v2=[str(not_json)])
    not_context = tmp_path / "v1.jsonld"
    not_context.write_text('{"id": "x"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a JSON-LD context"):
        load_contexts(credentials_v1=[str(not_context)])
    with pytest.raises(ConfigError, match="no such file"):
        load_contexts(extra={CITIZENSHIP_URL: tmp_path / "citizenship.jsonld"})
    with pytest.raises(ConfigError, match="not a JSON-LD context"):
        Contexts({CITIZENSHIP_URL: {"id": "x"}})


def test_loaders_do_not_share_their_contexts(contexts):
    """PyLD caches resolved contexts by URL process-wide; each loader here keeps its own."""
    impostor = Contexts({CREDENTIALS_V2_URL: {"@context": {"id": "@id", "type": "@type"}}})
    with pytest.raises(UnsafeJsonLdError, match="not defined by the contexts"):
        to_nquads(V2_CREDENTIAL, impostor)
    assert "<https://www.w3.org/2018/credentials#issuer>" in to_nquads(V2_CREDENTIAL, contexts)
    with pytest.raises(UnsafeJsonLdError, match="not defined by the contexts"):
        to_nquads(V2_CREDENTIAL, impostor)
