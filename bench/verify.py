"""Seal and verification benchmark: seals per second and verifications per second for each format.

Issues ``--count`` unsigned credentials of the seed fiche (samples/rncp16575.txt) with their
rendered pages, then, in one run and for each format:

* seals/s: the sealing alone (JAdES of the EDC JSON-LD; XAdES of the Europass XML, whose
  ``seal_xml`` also verifies what it made; VC 2.0 ``eddsa-rdfc-2022`` when
  :mod:`rncp_ld.credentials.data_integrity` is there);
* signature/s: the seal layer only (``jades.verify``, ``xades.verify_xml``, ``verify_proof``);
* full/s: :func:`rncp_ld.credentials.verify.verify` on the files: seal, trust anchored, issuer,
  conformance (EDC shapes with JSON-LD expansion, or the Europass XSD) and dates.

The official artefacts are read from ../shared (``--shared``), offline.

    python bench/verify.py [--count 200]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from rncp_ld.credentials import jades, keys, xades
from rncp_ld.credentials.issuing import issue
from rncp_ld.credentials.verify import verify

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "rncp16575.txt"
NOW = datetime(2021, 9, 30, 12, 0, tzinfo=timezone.utc)
AT = NOW + timedelta(days=1)
HEADER = "candidate_id,given_name,family_name,birth_date,email,certification,block,decision,decision_date,access_route"


def write_results(path: Path, count: int) -> None:
    """``count`` rows, one acquired block each."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        writer = csv.writer(out, lineterminator="\n")
        for row in range(count):
            decided = date(2019, 1, 7) + timedelta(days=row % 900)
            writer.writerow([
                f"C{row:06d}", "Camille", f"Candidat{row}", "1990-05-17", f"camille.{row}@example.fr",
                "RNCP16575", f"RNCP16575BC0{row % 3 + 1}", "acquis", decided.isoformat(), "VAE",
            ])  # fmt: skip


def rate(items: list[Any], work: Callable[[Any], object]) -> float:
    start = time.perf_counter()
    for item in items:
        work(item)
    return len(items) / (time.perf_counter() - start)


def full_rate(paths: list[Path], **settings: Any) -> float:
    start = time.perf_counter()
    verification = verify(paths, **settings)
    elapsed = time.perf_counter() - start
    assert verification.valid, verification.to_text()[:2000]
    return len(paths) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="credentials per format")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the official artefacts")
    args = parser.parse_args()
    edc = args.shared / "elm" / "rdf" / "ap" / "edc"
    settings: dict[str, Any] = {
        "edc_shapes": [str(edc)],
        "xsd": [str(args.shared / "elm-v2" / "Credentials" / "XSD" / "flatten" / "genericschema.xsd")],
        "contexts": [
            str(edc / "edc-ap-context.jsonld"),
            str(args.shared / "elm" / "_external" / "w3c-credentials-context" / "credentials-v1.jsonld"),
        ],
        "at": AT,
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key_path, cert_path = keys.generate(
            work / "keys", org_name="Centre ressource AROBASE", org_id="NTRFR-817389141", country="FR",
            clock=lambda: NOW,
        )  # fmt: skip
        signer = keys.load(key_path, cert_path, clock=lambda: NOW)
        settings["trusted"] = [signer.certificate]
        results = work / "results.csv"
        write_results(results, args.count)
        issue(SEED, results, work / "unsigned", cert=cert_path, unsigned=True, now=NOW)
        payloads = [p.read_text(encoding="utf-8") for p in sorted((work / "unsigned").rglob("*.jsonld"))]
        documents = [xades.parse(p.read_bytes()) for p in sorted((work / "unsigned").rglob("*.xml"))]
        size = sum(map(len, payloads)) // len(payloads)
        print(
            f"{len(payloads)} credentials per format, ES256, rendered pages (JSON-LD payload ~{size // 1024} KB)"
        )

        rows: list[tuple[str, float, float, float]] = []
        sealed_json: list[str] = []
        seals = rate(
            payloads,
            lambda p: sealed_json.append(
                jades.seal(p, signer.private_key, signer.certificate, signing_time=NOW)
            ),
        )
        paths = []
        for n, text in enumerate(sealed_json):
            paths.append(work / f"jades-{n}.jsonld")
            paths[-1].write_text(text, encoding="utf-8")
        rows.append(
            ("JAdES JSON-LD (ES256)", seals, rate(sealed_json, jades.verify), full_rate(paths, **settings))
        )

        sealed_xml: list[bytes] = []
        seals = rate(
            documents,
            lambda d: sealed_xml.append(
                xades.seal_xml(d, signer.private_key, signer.certificate, signing_time=NOW)
            ),
        )
        paths = []
        for n, data in enumerate(sealed_xml):
            paths.append(work / f"xades-{n}.xml")
            paths[-1].write_bytes(data)
        rows.append(
            ("XAdES XML (ES256)", seals, rate(sealed_xml, xades.verify_xml), full_rate(paths, **settings))
        )

        vc2 = _data_integrity(args.shared, results, work, settings, len(payloads))
        if vc2:
            rows.append(vc2)

        print(f"{'format':<28} {'seals/s':>10} {'signature/s':>12} {'full/s':>10}")
        for name, seal_rate, signature_rate, full in rows:
            print(f"{name:<28} {seal_rate:>10,.1f} {signature_rate:>12,.1f} {full:>10,.1f}")
        if not vc2:
            print(
                "VC 2.0 eddsa-rdfc-2022: not measured (rncp_ld.credentials.data_integrity is not there yet)"
            )


def _data_integrity(
    shared: Path, results: Path, work: Path, settings: dict[str, Any], count: int
) -> tuple[str, float, float, float] | None:
    """The VC 2.0 row: Open Badges 3.0 credentials of the same results, ``eddsa-rdfc-2022``.

    Without a local copy of the OB 3.0.3 context, the same documents are measured under the
    W3C examples context (``@vocab``): same terms, same triples, same canonicalization work.
    """
    try:
        from rncp_ld.credentials import data_integrity
        from rncp_ld.credentials.did_key import did_key, verification_method_id
        from rncp_ld.credentials.jsonld import EXAMPLES_V2_URL
        from rncp_ld.credentials.jsonld import load_contexts as load_vc2_contexts
        from rncp_ld.writers import ob3
    except ImportError:
        return None
    from rncp_ld import readers
    from rncp_ld.credentials.plan import plan
    from rncp_ld.errors import ConfigError
    from rncp_ld.readers.results import read_results
    from rncp_ld.uris import Minter
    from rncp_ld.writers.edc_jsonld import issuer_from

    v2 = str(shared / "elm" / "_external" / "w3c-credentials-context" / "credentials-v2.jsonld")
    key_path, cert_path = keys.generate(
        work / "ed25519", org_name="Centre ressource AROBASE", org_id="NTRFR-817389141", country="FR",
        alg="EdDSA", clock=lambda: NOW,
    )  # fmt: skip
    signer = keys.load(key_path, cert_path, clock=lambda: NOW)
    try:
        contexts = ob3.load_contexts(credentials_v2=[v2])
        label, proxy = "VC 2.0 OB 3.0 (EdDSA)", None
    except ConfigError:
        contexts = load_vc2_contexts(credentials_v2=[v2])
        label, proxy = "VC 2.0 OB 3.0* (EdDSA)", [ob3.CREDENTIALS_V2_URL, EXAMPLES_V2_URL]
    fiches = [c for c in readers.read(SEED) if not isinstance(c, readers.Issue)]
    rows = [r for r in read_results(results) if not isinstance(r, readers.Issue)]
    planned = plan(fiches, rows, issuer_id="NTRFR-817389141", source=results.name).credentials[:count]
    issuer = issuer_from(fiches[0], {}, "NTRFR-817389141")
    did = did_key(signer.private_key.public_key())
    documents = []
    for item in planned:
        document = ob3.achievement_credential(
            credential_id=item.id, certification=item.certification, block=item.block, results=item.results,
            issuer=issuer, issued=NOW, minter=Minter(), issuer_did=did,
        )  # fmt: skip
        if proxy:
            document["@context"] = proxy
        documents.append(document)
    method = verification_method_id(signer.private_key)
    proved: list[dict[str, Any]] = []
    seals = rate(
        documents,
        lambda d: proved.append(
            data_integrity.add_proof(
                d, signer.private_key, verification_method=method, created=NOW, contexts=contexts
            )
        ),
    )
    signatures = rate(proved, lambda d: data_integrity.verify_proof(d, contexts=contexts, now=AT))
    paths = []
    for n, document in enumerate(proved):
        paths.append(work / f"vc2-{n}.json")
        paths[-1].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    full = full_rate(paths, **{**settings, "trusted": [signer.certificate], "contexts": [v2]})
    if proxy:
        print("* no local OB 3.0.3 context: measured under the W3C examples context (same terms and triples)")
    return label, seals, signatures, full


if __name__ == "__main__":
    main()
