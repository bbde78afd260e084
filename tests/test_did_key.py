"""did:key of Ed25519 keys: base58btc, Multikey prefixes, offline resolution (W3C vc-di-eddsa keys)."""

from __future__ import annotations

import json
import random
import socket
import urllib.request

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from rncp_ld.credentials.did_key import (
    ED25519_PRIV,
    ED25519_PUB,
    DidKeyError,
    b58decode,
    b58encode,
    did_key,
    did_key_resolver,
    multibase_decode,
    multibase_encode,
    private_key_from_multibase,
    private_key_multibase,
    public_key_from_multibase,
    public_key_multibase,
    verification_method_id,
)

from conftest import SHARED

VECTORS = SHARED / "vc-di-eddsa" / "TestVectors"
KEY_PAIR = json.loads((VECTORS / "keyPair.json").read_text(encoding="utf-8"))
MULTI_KEY_PAIRS = json.loads((VECTORS / "proof-set-chain" / "multiKeyPairs.json").read_text(encoding="utf-8"))
P256_DID = "did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"
"""The issuer of the W3C employment-authorization vector: a P-256 did:key."""


def _raw(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# base58btc


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"\0", "1"),
        (b"\0\0\x01", "112"),
        (b"\x01", "2"),
        (b"\x39", "z"),
        (b"\x3a", "21"),
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
        (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    ],
)
def test_base58btc_known_values(data, text):
    assert b58encode(data) == text
    assert b58decode(text) == data


def test_base58btc_round_trips_random_bytes_with_leading_zeros():
    rng = random.Random(20240521)
    for size in range(70):
        data = bytes(rng.randrange(3)) + bytes(rng.randrange(256) for _ in range(size))
        assert b58decode(b58encode(data)) == data


@pytest.mark.parametrize("char", ["0", "O", "I", "l", "+", "/", " ", "é"])
def test_base58btc_refuses_characters_outside_the_alphabet(char):
    with pytest.raises(DidKeyError, match="is not a base58btc character"):
        b58decode("2NEpo7" + char + "TZRR")


def test_base58btc_refuses_overlong_text():
    with pytest.raises(DidKeyError, match="refused"):
        b58decode("2" * 5000)


def test_multibase_is_base58btc_only():
    assert multibase_encode(b"Hello World!") == "z2NEpo7TZRRrLZSi2U"
    assert multibase_decode("z2NEpo7TZRRrLZSi2U") == b"Hello World!"
    for other in ("f48656c6c6f", "uSGVsbG8", "", "z", "Z2NEpo7TZRRrLZSi2U"):
        with pytest.raises(DidKeyError, match="not a Multibase base58btc value"):
            multibase_decode(other)


# Multikey


def test_the_w3c_key_pair_and_its_multicodec_prefixes():
    key = private_key_from_multibase(KEY_PAIR["privateKeyMultibase"])
    assert public_key_multibase(key) == KEY_PAIR["publicKeyMultibase"]
    assert public_key_multibase(key.public_key()) == KEY_PAIR["publicKeyMultibase"]
    assert private_key_multibase(key) == KEY_PAIR["privateKeyMultibase"]
    public = multibase_decode(KEY_PAIR["publicKeyMultibase"])
    secret = multibase_decode(KEY_PAIR["privateKeyMultibase"])
    assert (ED25519_PUB, ED25519_PRIV) == (b"\xed\x01", b"\x80\x26")
    assert public[:2] == ED25519_PUB and len(public) == 34
    assert secret[:2] == ED25519_PRIV and len(secret) == 34
    assert public[2:] == _raw(key.public_key())
    assert _raw(public_key_from_multibase(KEY_PAIR["publicKeyMultibase"])) == public[2:]


@pytest.mark.parametrize("name", sorted(MULTI_KEY_PAIRS))
def test_the_w3c_proof_set_keys(name):
    pair = MULTI_KEY_PAIRS[name]
    key = private_key_from_multibase(pair["privateKeyMultibase"])
    assert public_key_multibase(key) == pair["publicKeyMultibase"]
    assert pair["publicKeyMultibase"].startswith("z6Mk")


def test_generated_keys_round_trip():
    key = ed25519.Ed25519PrivateKey.generate()
    assert _raw(private_key_from_multibase(private_key_multibase(key)).public_key()) == _raw(key.public_key())
    assert _raw(public_key_from_multibase(public_key_multibase(key))) == _raw(key.public_key())


def test_other_multikeys_are_refused():
    p256 = P256_DID.removeprefix("did:key:")
    with pytest.raises(DidKeyError, match="is not an ed25519-pub Multikey"):
        public_key_from_multibase(p256)
    with pytest.raises(DidKeyError, match="is not an ed25519-pub Multikey"):
        public_key_from_multibase(KEY_PAIR["privateKeyMultibase"])
    with pytest.raises(DidKeyError, match="is not an ed25519-priv Multikey"):
        private_key_from_multibase(KEY_PAIR["publicKeyMultibase"])
    short = multibase_encode(multibase_decode(KEY_PAIR["publicKeyMultibase"])[:-1])
    with pytest.raises(DidKeyError, match="has 32 bytes, not 31"):
        public_key_from_multibase(short)


def test_only_ed25519_keys_have_an_ed25519_did_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(DidKeyError, match="is not an Ed25519 key"):
        did_key(ec.generate_private_key(ec.SECP256R1()))  # type: ignore[arg-type]


# did:key


def test_did_key_and_its_verification_method():
    key = private_key_from_multibase(KEY_PAIR["privateKeyMultibase"])
    value = KEY_PAIR["publicKeyMultibase"]
    assert did_key(key) == did_key(key.public_key()) == f"did:key:{value}"
    assert verification_method_id(key) == f"did:key:{value}#{value}"
    method = did_key_resolver(verification_method_id(key))
    assert method.id == verification_method_id(key)
    assert method.controller == f"did:key:{value}"
    assert _raw(method.public_key) == _raw(key.public_key())


def test_resolving_the_w3c_vector_verification_method():
    url = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert public_key_multibase(did_key_resolver(url).public_key) == KEY_PAIR["publicKeyMultibase"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "is a DID, not a verification method"),
        (
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1",
            "has only the verification method",
        ),
        (
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7",
            "has only the verification method",
        ),
        ("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2/path#x", "is not a did:key URL"),
        ("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2?service=x#x", "is not a did:key URL"),
        ("did:key:6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#6Mk", "is not a did:key URL"),
        ("did:web:certificateur.example.fr#key-1", "did:web cannot be resolved offline"),
        ("https://certificateur.example.fr/keys/1", "is not a did:key URL"),
        (f"{P256_DID}#{P256_DID.removeprefix('did:key:')}", "is not an ed25519-pub Multikey"),
    ],
)
def test_resolver_refuses(url, message):
    with pytest.raises(DidKeyError, match=message):
        did_key_resolver(url)


def test_resolver_refuses_non_strings():
    with pytest.raises(DidKeyError, match="not a string"):
        did_key_resolver(None)  # type: ignore[arg-type]
