"""``rncp-ld convert`` as a user runs it: exit codes, messages, outputs."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile

from rdflib import Graph

from rncp_ld.cli import cli

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED


def test_convert_seed_to_turtle(runner, tmp_path):
    out = tmp_path / "seed.ttl"
    result = runner.invoke(cli, ["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 fiche written" in result.stderr
    graph = Graph().parse(out)
    assert len(graph) > 500
    assert "RNCP16575BC03" in out.read_text(encoding="utf-8")


def test_every_source_kind_in_one_run_to_stdout(runner):
    result = runner.invoke(
        cli, ["convert", str(SEED), str(RNCP_XML), str(RS_XML), str(CSV_ZIP), "-o", "-", "--format", "nt"]
    )
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="nt")
    assert len(graph) > 20000
    assert "30 fiches written" in result.stderr
    assert "fiche RS5000: warning: also read from export_fiches_RS_fixture.xml" in result.stderr


def test_format_from_extension_and_gzip(runner, tmp_path):
    out = tmp_path / "register.jsonld.gz"
    result = runner.invoke(cli, ["convert", str(RS_XML), "-o", str(out)])
    assert result.exit_code == 0
    document = json.loads(gzip.decompress(out.read_bytes()))
    assert document["@context"]["elm"] == "http://data.europa.eu/snb/model/elm/"
    assert any(node["@id"].endswith("/rs/RS5000") for node in document["@graph"])


def test_unknown_output_extension_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["convert", str(SEED), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "cannot infer the format" in result.stderr and "--format" in result.stderr


def test_bad_base_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["convert", str(SEED), "-o", str(tmp_path / "x.nt"), "--base", "not a uri"])
    assert result.exit_code == 2
    assert "base URI" in result.stderr


def _broken_export(tmp_path):
    text = RNCP_XML.read_text(encoding="utf-8")
    text = text.replace("<DATE_FIN_ENREGISTREMENT>", "<DATE_FIN_ENREGISTREMENT>31/13/", 1)
    path = tmp_path / "export_fiches_RNCP_V4_1_2026-08-16.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_fiche_is_reported_skipped_and_the_rest_written(runner, tmp_path):
    out = tmp_path / "out.nt"
    result = runner.invoke(cli, ["convert", str(_broken_export(tmp_path)), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert "export_fiches_RNCP_V4_1_2026-08-16.xml:line" in errors[0]
    assert "fiche RNCP34762" in errors[0] and "DATE_FIN_ENREGISTREMENT" in errors[0]
    assert "11 fiches written" in result.stderr and "1 skipped" in result.stderr
    assert "RNCP35809" in out.read_text(encoding="utf-8")
    assert "/RNCP34762>" not in out.read_text(encoding="utf-8").split("isReplacedBy")[0]


def test_strict_stops_at_the_first_bad_fiche_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "out.nt"
    result = runner.invoke(cli, ["convert", str(_broken_export(tmp_path)), "-o", str(out), "--strict"])
    assert result.exit_code == 1
    assert "stopped (--strict)" in result.stderr and "RNCP34762" in result.stderr
    assert not out.exists()


def test_truncated_export_keeps_the_good_part(runner, tmp_path):
    data = RNCP_XML.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.nt"
    result = runner.invoke(cli, ["convert", str(cut), "-o", str(out)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1 and "cut.xml" in lines[0]
    assert "fiches written" in result.stderr and out.stat().st_size > 0


def test_a_zip_that_is_not_an_export_says_so_in_one_line(runner, tmp_path):
    bad = tmp_path / "photos.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("cat.jpg", b"\xff\xd8")
    result = runner.invoke(cli, ["convert", str(bad), "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "photos.zip" in errors[0]


def test_malicious_xml_is_refused(runner, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE FICHES [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"
        "<INTITULE>&b;</INTITULE></FICHE></FICHES>",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["convert", str(bomb), "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 2
    assert "bomb.xml" in result.stderr and "aaaaaaaaaa" not in (tmp_path / "x.nt").read_text()


def test_output_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rncp_ld",
                "convert",
                str(SEED),
                str(RNCP_XML),
                str(CSV_ZIP),
                "-o",
                str(out),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_keys_generate_writes_a_private_key_and_an_eseal_like_certificate(runner, tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    out = tmp_path / "keys"
    args = ["keys", "generate", "-o", str(out), "--org-name", "Centre ressource AROBASE"]
    args += ["--org-id", "NTRFR-817389141", "--country", "FR", "--alg", "RS256"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert (out / "key.pem").stat().st_mode & 0o777 == 0o600
    cert = x509.load_pem_x509_certificate((out / "cert.pem").read_bytes())
    subject = {a.oid.dotted_string: a.value for a in cert.subject}
    assert subject[NameOID.ORGANIZATION_NAME.dotted_string] == "Centre ressource AROBASE"
    assert subject[NameOID.COUNTRY_NAME.dotted_string] == "FR"
    assert subject["2.5.4.97"] == "NTRFR-817389141"
    again = runner.invoke(cli, args)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_keys_generate_refuses_a_bad_organisation_identifier(runner, tmp_path):
    args = ["keys", "generate", "-o", str(tmp_path), "--org-name", "X", "--org-id", "FR123", "--country", "FR"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "NTRFR-" in result.stderr and not (tmp_path / "key.pem").exists()


def test_loq_profile_reports_what_the_official_shapes_demand_and_the_fiche_lacks(runner, tmp_path):
    out = tmp_path / "loq.ttl"
    result = runner.invoke(cli, ["convert", str(SEED), "--profile", "loq", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "fiche RNCP16575: warning: certifier 'Centre ressource AROBASE' has no elm:location" in result.stderr
    assert "[loq-missing-organisation-location]" in result.stderr
    assert "rncp:" not in out.read_text(encoding="utf-8").split("\n\n", 1)[1]
