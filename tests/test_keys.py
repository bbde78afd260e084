"""The certifier's key and self-signed eSeal-like certificate: generate, then load."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from rncp_ld.credentials import keys
from rncp_ld.errors import ConfigError

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
ORG = "Centre ressource AROBASE"
ORG_ID = "NTRFR-552100554"
ENV = {"RNCP_LD_PASSPHRASE": "correct horse battery staple"}


def _generate(out, **options):
    options = {"org_name": ORG, "org_id": ORG_ID, "country": "FR", "clock": lambda: NOW, **options}
    return keys.generate(out, **options)


def _load(key_path, cert_path, passphrase_env=None, **options):
    return keys.load(key_path, cert_path, passphrase_env, clock=lambda: NOW + timedelta(days=1), **options)


@pytest.fixture(scope="module")
def es256(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("es256") / "keys")


def _attribute(cert: x509.Certificate, oid) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(oid)]


def test_generate_writes_a_private_key_readable_by_its_owner_only(es256, tmp_path):
    key_path, cert_path = es256
    assert (key_path.name, cert_path.name) == ("key.pem", "cert.pem")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert cert_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert not [p for p in key_path.parent.iterdir() if p.name.startswith(".")]


def test_certificate_subject_is_that_of_an_eseal(es256):
    cert = x509.load_pem_x509_certificate(es256[1].read_bytes())
    assert cert.version is x509.Version.v3
    assert cert.subject == cert.issuer
    assert _attribute(cert, NameOID.ORGANIZATION_NAME) == [ORG]
    assert _attribute(cert, NameOID.COMMON_NAME) == [ORG]
    assert _attribute(cert, NameOID.COUNTRY_NAME) == ["FR"]
    assert _attribute(cert, x509.ObjectIdentifier("2.5.4.97")) == [ORG_ID]
    assert keys.organization_identifier(cert) == ORG_ID
    assert cert.subject.rfc4514_string() == f"CN={ORG},2.5.4.97={ORG_ID},O={ORG},C=FR"


def test_certificate_validity_and_extensions(es256):
    cert = x509.load_pem_x509_certificate(es256[1].read_bytes())
    assert cert.not_valid_before_utc == NOW.replace(microsecond=0)
    assert cert.not_valid_after_utc == NOW.replace(microsecond=0) + timedelta(days=keys.DEFAULT_VALID_DAYS)
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign and not usage.value.key_encipherment
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    assert cert.serial_number > 0
    cert.verify_directly_issued_by(cert)


def test_serial_numbers_are_random(tmp_path):
    one = x509.load_pem_x509_certificate(_generate(tmp_path / "a")[1].read_bytes())
    two = x509.load_pem_x509_certificate(_generate(tmp_path / "b")[1].read_bytes())
    assert one.serial_number != two.serial_number


def test_es256_key_matches_its_certificate(es256):
    signing = _load(*es256)
    assert signing.alg == "ES256"
    assert isinstance(signing.private_key, ec.EllipticCurvePrivateKey)
    assert isinstance(signing.private_key.curve, ec.SECP256R1)
    assert signing.chain == () and signing.certificates == (signing.certificate,)
    assert signing.organization_identifier == ORG_ID
    signature = signing.private_key.sign(b"payload", ec.ECDSA(hashes.SHA256()))
    signing.certificate.public_key().verify(signature, b"payload", ec.ECDSA(hashes.SHA256()))


def test_rs256_makes_an_rsa_3072_key(tmp_path):
    key_path, cert_path = _generate(tmp_path, alg="RS256", valid_days=30)
    signing = _load(key_path, cert_path)
    assert signing.alg == "RS256"
    assert isinstance(signing.private_key, rsa.RSAPrivateKey) and signing.private_key.key_size == 3072
    assert signing.certificate.signature_hash_algorithm.name == "sha256"
    assert signing.certificate.not_valid_after_utc - signing.certificate.not_valid_before_utc == timedelta(
        days=30
    )
    signature = signing.private_key.sign(b"payload", padding.PKCS1v15(), hashes.SHA256())
    signing.certificate.public_key().verify(signature, b"payload", padding.PKCS1v15(), hashes.SHA256())


def test_unknown_algorithm_names_the_supported_ones(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _generate(tmp_path, alg="PS256")
    assert (caught.value.message, caught.value.expected) == (
        "unknown algorithm 'PS256'",
        "ES256 or RS256 or EdDSA",
    )
    assert not list(tmp_path.iterdir())


# EdDSA (Ed25519): the key of Data Integrity eddsa-rdfc-2022 proofs


@pytest.fixture(scope="module")
def eddsa(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("eddsa") / "keys", alg="EdDSA")


def test_eddsa_makes_an_ed25519_key_with_an_eseal_like_certificate(eddsa):
    key_path, cert_path = eddsa
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    signing = _load(key_path, cert_path)
    assert signing.alg == "EdDSA"
    assert isinstance(signing.private_key, ed25519.Ed25519PrivateKey)
    cert = signing.certificate
    assert isinstance(cert.public_key(), ed25519.Ed25519PublicKey)
    assert cert.signature_algorithm_oid == x509.oid.SignatureAlgorithmOID.ED25519
    assert cert.signature_hash_algorithm is None
    assert cert.subject.rfc4514_string() == f"CN={ORG},2.5.4.97={ORG_ID},O={ORG},C=FR"
    assert signing.organization_identifier == ORG_ID
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    cert.verify_directly_issued_by(cert)
    signature = signing.private_key.sign(b"payload")
    assert len(signature) == 64
    cert.public_key().verify(signature, b"payload")


def test_eddsa_key_is_the_did_key_of_its_certificate(eddsa):
    from rncp_ld.credentials import did_key

    signing = _load(*eddsa)
    did = did_key.did_key(signing.private_key)
    assert did.startswith("did:key:z6Mk")
    assert did == did_key.did_key(signing.certificate.public_key())
    assert did_key.did_key_resolver(did_key.verification_method_id(signing.private_key)).controller == did


def test_eddsa_keys_are_random(tmp_path):
    one = _load(*_generate(tmp_path / "a", alg="EdDSA")).private_key.public_key()
    two = _load(*_generate(tmp_path / "b", alg="EdDSA")).private_key.public_key()
    raw = keys.serialization.Encoding.Raw, keys.serialization.PublicFormat.Raw
    assert one.public_bytes(*raw) != two.public_bytes(*raw)


def test_encrypted_eddsa_key_needs_its_passphrase(tmp_path):
    key_path, cert_path = _generate(tmp_path, alg="EdDSA", passphrase_env="RNCP_LD_PASSPHRASE", environ=ENV)
    assert key_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert _load(key_path, cert_path, "RNCP_LD_PASSPHRASE", environ=ENV).alg == "EdDSA"
    with pytest.raises(ConfigError, match="the private key is encrypted"):
        _load(key_path, cert_path)


def test_an_eddsa_key_does_not_match_an_es256_certificate(eddsa, es256):
    with pytest.raises(ConfigError, match=r"the key key\.pem does not match the certificate cert\.pem"):
        _load(eddsa[0], es256[1])


def test_unsupported_key_types_name_the_supported_ones(tmp_path):
    key_path = tmp_path / "p384.pem"
    key_path.write_bytes(
        ec.generate_private_key(ec.SECP384R1()).private_bytes(
            keys.serialization.Encoding.PEM,
            keys.serialization.PrivateFormat.PKCS8,
            keys.serialization.NoEncryption(),
        )
    )
    with pytest.raises(ConfigError) as caught:
        _load(key_path, tmp_path / "unused.pem")
    assert caught.value.message.startswith("unsupported key type ")
    assert caught.value.expected == (
        "an EC P-256 (ES256), RSA of at least 2048 bits (RS256) or Ed25519 (EdDSA) private key"
    )


def test_encrypted_key_needs_its_passphrase(tmp_path):
    key_path, cert_path = _generate(tmp_path, passphrase_env="RNCP_LD_PASSPHRASE", environ=ENV)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert _load(key_path, cert_path, "RNCP_LD_PASSPHRASE", environ=ENV).alg == "ES256"
    with pytest.raises(ConfigError) as caught:
        _load(key_path, cert_path)
    assert str(caught.value) == (
        f"{key_path}: the private key is encrypted "
        "(expected the name of the environment variable holding its passphrase (--passphrase-env))"
    )
    with pytest.raises(ConfigError, match=r"cannot be decrypted with the passphrase in \$RNCP_LD_PASSPHRASE"):
        _load(key_path, cert_path, "RNCP_LD_PASSPHRASE", environ={"RNCP_LD_PASSPHRASE": "wrong"})


def test_passphrase_from_the_process_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RNCP_LD_TEST_PASSPHRASE", "s3cret")
    key_path, cert_path = _generate(tmp_path, passphrase_env="RNCP_LD_TEST_PASSPHRASE")
    assert _load(key_path, cert_path, "RNCP_LD_TEST_PASSPHRASE").organization_identifier == ORG_ID


@pytest.mark.parametrize("environ", [{}, {"RNCP_LD_PASSPHRASE": ""}])
def test_unset_or_empty_passphrase_variable_is_refused(tmp_path, environ):
    with pytest.raises(ConfigError) as caught:
        _generate(tmp_path, passphrase_env="RNCP_LD_PASSPHRASE", environ=environ)
    assert caught.value.message == "environment variable RNCP_LD_PASSPHRASE is unset or empty"
    assert not list(tmp_path.iterdir())


def test_existing_files_are_not_overwritten_unless_forced(es256, tmp_path):
    key_path, cert_path = _generate(tmp_path)
    before = key_path.read_bytes(), cert_path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        _generate(tmp_path)
    assert caught.value.message == f"{key_path} already exists"
    assert caught.value.expected == "another directory, or --force to replace it"
    assert (key_path.read_bytes(), cert_path.read_bytes()) == before
    cert_path.unlink()
    with pytest.raises(ConfigError, match=r"key\.pem already exists"):
        _generate(tmp_path)
    key_path.chmod(0o644)
    _generate(tmp_path, force=True)
    assert key_path.read_bytes() != before[0]
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert _load(key_path, cert_path).organization_identifier == ORG_ID


def test_a_key_that_does_not_match_the_certificate_is_refused(es256, tmp_path):
    other_key, _ = _generate(tmp_path)
    with pytest.raises(ConfigError) as caught:
        _load(other_key, es256[1])
    assert caught.value.message == (
        f"the key key.pem does not match the certificate cert.pem (CN={ORG},2.5.4.97={ORG_ID},O={ORG},C=FR)"
    )


def test_certificate_file_with_a_chain_finds_the_signing_certificate(es256, tmp_path):
    _, other_cert = _generate(tmp_path)
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(other_cert.read_bytes() + es256[1].read_bytes())
    signing = _load(es256[0], bundle)
    assert signing.certificate.public_bytes(keys.serialization.Encoding.PEM) == es256[1].read_bytes()
    assert [c.public_bytes(keys.serialization.Encoding.PEM) for c in signing.chain] == [
        other_cert.read_bytes()
    ]


def test_an_expired_certificate_is_refused(tmp_path):
    key_path, cert_path = _generate(tmp_path, valid_days=10)
    with pytest.raises(
        ConfigError, match="not valid now \\(2026-03-12\\): valid from 2026-03-01 to 2026-03-11"
    ):
        keys.load(key_path, cert_path, clock=lambda: NOW + timedelta(days=11))


def test_unreadable_files_are_config_errors(es256, tmp_path):
    with pytest.raises(ConfigError, match="cannot read the private key"):
        _load(tmp_path / "missing.pem", es256[1])
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    with pytest.raises(ConfigError, match="no readable certificate"):
        _load(es256[0], garbage)
    with pytest.raises(ConfigError, match="the private key is not a private key"):
        _load(garbage, es256[1])


@pytest.mark.parametrize(
    ("org_id", "country"),
    [
        ("NTRFR-552100554", "FR"),
        ("VATFR-96552100554", "FR"),
        ("NTRBE-0314595348", "BE"),
        ("VATES-A00000000", "ES"),
        ("LEIXG-529900T8BM49AURSDO55", "FR"),
    ],
)
def test_valid_organisation_identifiers(org_id, country):
    assert keys.validate_org_id(org_id, country) == org_id


@pytest.mark.parametrize(
    ("org_id", "message"),
    [
        ("552100554", "organisation identifier '552100554' is not an ETSI organizationIdentifier"),
        ("NTRFR-55210055", "'NTRFR-55210055': '55210055' is not a SIREN (9 digits)"),
        ("NTRFR-55210055400012", "'NTRFR-55210055400012': '55210055400012' is not a SIREN (9 digits)"),
        ("NTRFR-552100555", "'NTRFR-552100555': SIREN 552100555 fails its check digit (Luhn)"),
        ("VATFR-40552100554", "'VATFR-40552100554': VAT key 40 does not match SIREN 552100554"),
        ("NTRBE-0314595348", "organisation identifier 'NTRBE-0314595348' is for country BE, not FR"),
    ],
)
def test_bad_organisation_identifier_says_what_is_expected(tmp_path, org_id, message):
    with pytest.raises(ConfigError) as caught:
        _generate(tmp_path, org_id=org_id)
    assert caught.value.message == message
    assert caught.value.expected == (
        "NTRFR- followed by the 9-digit SIREN (e.g. NTRFR-552100554) "
        "or VATFR- followed by the VAT number (e.g. VATFR-96552100554)"
    )
    assert not list(tmp_path.iterdir())


def test_other_bad_options(tmp_path):
    with pytest.raises(ConfigError, match="country 'FRA' is not an ISO 3166 code"):
        _generate(tmp_path, country="FRA")
    with pytest.raises(ConfigError, match="is too long"):
        _generate(tmp_path, org_name="x" * 65)
    with pytest.raises(ConfigError, match="validity of 0 days"):
        _generate(tmp_path, valid_days=0)
    with pytest.raises(ConfigError) as caught:
        _generate(tmp_path, org_id="HRB12345", country="de")
    assert (
        caught.value.expected
        == "VATDE-, NTRDE- or PSDDE- followed by the identifier, or LEIXG- followed by a LEI"
    )
    assert not list(tmp_path.iterdir())
    key_path, cert_path = _generate(tmp_path, org_id="NTRDE-HRB12345", country="de")
    assert keys.organization_identifier(_load(key_path, cert_path).certificate) == "NTRDE-HRB12345"
