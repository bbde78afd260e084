"""``rncp-ld issue`` end to end on samples/results.csv: conformance, seals, errors, re-runs."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyshacl
import pytest
from lxml import etree
from rdflib import Graph, Namespace

from rncp_ld.cli import cli
from rncp_ld.credentials import jades, keys, xades
from rncp_ld.credentials.contexts import load_contexts, to_graph
from rncp_ld.credentials.issuing import issue

from conftest import ROOT, SEED, SHARED

RESULTS = ROOT / "samples" / "results.csv"
EDC = SHARED / "elm" / "rdf" / "ap" / "edc"
XSD = SHARED / "elm-v2" / "Credentials" / "XSD" / "flatten" / "genericschema.xsd"
CONTEXTS = {
    "edc_context": [str(EDC / "edc-ap-context.jsonld")],
    "credentials_v1": [
        str(SHARED / "elm" / "_external" / "w3c-credentials-context" / "credentials-v1.jsonld")
    ],
}
NOW = datetime(2021, 9, 30, 10, 0, tzinfo=timezone.utc)
ELM = Namespace("http://data.europa.eu/snb/model/elm/")


@pytest.fixture(scope="module")
def signer(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("keys")
    return keys.generate(
        out, org_name="Centre ressource AROBASE", org_id="NTRFR-817389141", country="FR", clock=lambda: NOW
    )


@pytest.fixture(scope="module")
def signer_now(tmp_path_factory) -> tuple[Path, Path]:
    """A key whose certificate is valid today, for the CLI (which seals at the current time)."""
    return keys.generate(
        tmp_path_factory.mktemp("keys-now"),
        org_name="Centre ressource AROBASE",
        org_id="NTRFR-817389141",
        country="FR",
    )


@pytest.fixture(scope="module")
def issued(signer, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("credentials")
    key, cert = signer
    report = issue(SEED, RESULTS, out, key=key, cert=cert, now=NOW)
    return out, report


def _files(out: Path, suffix: str) -> list[Path]:
    return sorted(out.rglob(f"*{suffix}"))


def test_every_acquired_block_and_the_full_certification_are_issued(issued):
    out, report = issued
    assert report.valid
    assert report.stats["credentials-issued"] == 10
    assert report.stats["blocks-not-acquired"] == 3
    jsonld = [p.relative_to(out).as_posix() for p in _files(out, ".jsonld")]
    assert len(jsonld) == 10 and len(_files(out, ".xml")) == 10
    assert "AROB-2019-014/RNCP16575.jsonld" in jsonld  # the candidate with all three blocks
    assert not list(out.rglob("*.tmp"))


def test_every_seal_checks_out_with_the_certificate_key(issued, signer):
    out, _ = issued
    certificate = Path(signer[1]).read_bytes()
    for path in _files(out, ".jsonld"):
        verified = jades.verify(path.read_text(encoding="utf-8"), at=NOW)
        assert verified.header["alg"] == "ES256" and "sigT" in verified.header["crit"]
        assert verified.certificate.public_bytes(encoding=_pem()) == certificate
    for path in _files(out, ".xml"):
        xades.verify_xml(path.read_bytes(), at=NOW)


def _pem():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.PEM


def test_every_payload_conforms_to_the_official_edc_shapes(issued):
    out, _ = issued
    shapes = Graph().parse(EDC / "EDC-generic-no-cv.ttl").parse(EDC / "EDC-generic-full.ttl")
    contexts = load_contexts(**CONTEXTS)
    for path in _files(out, ".jsonld"):
        credential = json.loads(jades.verify(path.read_text(encoding="utf-8"), at=NOW).payload)
        conforms, _, text = pyshacl.validate(
            to_graph(credential, contexts), shacl_graph=shapes, inference="none"
        )
        assert conforms, f"{path.name}: {text}"
        assert "NTRFR-817389141" in json.dumps(
            credential["issuer"]
        )  # the certificate's organizationIdentifier


def test_every_xml_credential_is_valid_against_the_europass_schema(issued):
    out, _ = issued
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for path in _files(out, ".xml"):
        document = etree.parse(str(path))
        assert schema.validate(document), f"{path.name}: {schema.error_log.last_error}"


def test_the_full_certification_is_made_of_the_block_credentials(issued):
    out, _ = issued
    folder = out / "AROB-2019-014"
    full = json.loads(jades.verify((folder / "RNCP16575.jsonld").read_text(encoding="utf-8"), at=NOW).payload)
    block_ids = {
        json.loads(
            jades.verify((folder / f"RNCP16575BC0{n}.jsonld").read_text(encoding="utf-8"), at=NOW).payload
        )["id"]
        for n in (1, 2, 3)
    }
    assert full["id"] not in block_ids
    parts = full["credentialSubject"]["hasClaim"]["hasPart"]
    assert {part["id"] for part in parts} == {f"{block_id}#achievement" for block_id in block_ids}
    assert "RNCP16575BC02" in parts[1]["title"]["fr"]


def test_rerunning_the_same_results_issues_nothing_twice(issued, signer):
    out, _ = issued
    before = {p: p.read_bytes() for p in out.rglob("*.*")}
    again = issue(
        SEED, RESULTS, out, key=signer[0], cert=signer[1], now=datetime(2021, 10, 1, tzinfo=timezone.utc)
    )
    assert again.stats.get("credentials-issued", 0) == 0 and again.stats["credentials-skipped"] == 10
    assert {p: p.read_bytes() for p in out.rglob("*.*")} == before


def test_unsigned_credentials_are_bare(signer, tmp_path):
    report = issue(
        SEED, RESULTS, tmp_path, cert=signer[1], unsigned=True, formats=["jsonld"], now=NOW, render=False
    )
    assert report.stats["credentials-issued"] == 10
    credential = json.loads((tmp_path / "AROB-2019-014" / "RNCP16575BC01.jsonld").read_text(encoding="utf-8"))
    assert credential["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    assert not list(tmp_path.rglob("*.xml"))


BAD_ROWS = """candidate_id,given_name,family_name,birth_date,email,certification,block,decision,decision_date,access_route
C1,Anne,Martin,1990-01-02,anne@example.fr,RNCP16575,RNCP16575BC01,acquis,2019-06-20,VAE
C2,Paul,Durand,1985-03-04,paul@example.fr,RNCP99999,RNCP99999BC01,acquis,2019-06-20,VAE
C3,Léa,Petit,1992-05-06,lea@example.fr,RNCP16575,RNCP16575BC07,acquis,2019-06-20,VAE
C4,Marc,Roux,1980-07-08,marc@example.fr,RNCP16575,RNCP16575BC02,acquis,2021-10-05,VAE
C5,Inès,Blanc,1991-09-10,ines@example,RNCP16575,RNCP16575BC02,acquis,2019-06-20,VAE
C6,Hugo,Noir,1993-11-12,hugo@example.fr,RNCP16575,RNCP16575BC03,acquis,2019-13-20,VAE
C7,Eva,Gris,1994-12-13,eva@example.fr,RNCP16575,RNCP16575BC01,acquis,2019-06-20,VAE
C7,Eva,Gris,1994-12-13,eva@example.fr,RNCP16575,RNCP16575BC01,non acquis,2019-06-20,VAE
C1,Anne,Martin,1990-01-02,anne@example.fr,RNCP16575,RNCP16575BC01,acquis,2019-06-20,VAE
"""


def test_bad_rows_are_reported_by_line_and_candidate_and_the_rest_is_issued(runner, signer_now, tmp_path):
    results = tmp_path / "results.csv"
    results.write_text(BAD_ROWS, encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "issue",
        str(SEED),
        str(results),
        "-o",
        str(out),
        "--key",
        str(signer_now[0]),
        "--cert",
        str(signer_now[1]),
    ]
    result = runner.invoke(cli, [*args, "--format", "jsonld"])
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    expected = {
        "line 3": "unknown-certification",
        "line 4": "unknown-block",
        "line 5": "decision-after-registration",
        "line 6": "bad-email",
        "line 7": "bad-date",
        "line 8": "conflicting-duplicate",
        "line 9": "conflicting-duplicate",
    }
    for line, kind in expected.items():
        assert any(f"results.csv:{line}:" in e and f"[{kind}]" in e for e in errors), (line, kind, errors)
    assert all("candidate " in e for e in errors)
    issued = [p.relative_to(out).as_posix() for p in out.rglob("*.jsonld")]
    assert issued == ["C1/RNCP16575BC01.jsonld"]  # the identical duplicate of C1 is issued once
    assert "1 issued" in result.stderr


def test_sealing_needs_a_key_unless_unsigned(runner, signer, tmp_path):
    result = runner.invoke(
        cli, ["issue", str(SEED), str(RESULTS), "-o", str(tmp_path), "--cert", str(signer[1])]
    )
    assert result.exit_code == 2 and "--key" in result.stderr


def test_vc2_profile_issues_open_badges_with_a_data_integrity_proof(tmp_path):
    from rncp_ld.credentials import data_integrity
    from rncp_ld.writers import ob3

    key, cert = keys.generate(
        tmp_path / "keys",
        org_name="Centre ressource AROBASE",
        org_id="NTRFR-817389141",
        country="FR",
        alg="EdDSA",
        clock=lambda: NOW,
    )
    v2 = [str(SHARED / "elm" / "_external" / "w3c-credentials-context" / "credentials-v2.jsonld")]
    report = issue(
        SEED, RESULTS, tmp_path / "out", key=key, cert=cert, profile="vc2", credentials_v2_context=v2, now=NOW
    )
    assert report.valid and report.stats["credentials-issued"] == 10
    files = sorted((tmp_path / "out").rglob("*.ob3.json"))
    assert len(files) == 10 and not list((tmp_path / "out").rglob("*.xml"))
    contexts = ob3.load_contexts(credentials_v2=v2)
    for path in files:
        credential = json.loads(path.read_text(encoding="utf-8"))
        assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert credential["issuer"]["id"].startswith("did:key:z6Mk")
        data_integrity.verify_proof(credential, contexts=contexts)
