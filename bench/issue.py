"""Issuance benchmark: complete sealed credentials per second for 10,000 result rows.

Builds a jury results file for the seed fiche (samples/rncp16575.txt): candidates with the
three blocks, most acquired, so every third candidate also gets the full certification. Issues
them twice in the same run, with and without the rendering of the credential page, both
formats (JAdES-sealed JSON-LD and XAdES-sealed XML), and prints credentials per second side
by side. Target: at least 100 complete credentials per second.

    python bench/issue.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from rncp_ld.credentials import keys
from rncp_ld.credentials.issuing import issue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "rncp16575.txt"
NOW = datetime(2021, 9, 30, 12, 0, tzinfo=timezone.utc)
HEADER = "candidate_id,given_name,family_name,birth_date,email,certification,block,decision,decision_date,access_route"


def write_results(path: Path, rows: int) -> None:
    """``rows`` rows: candidate i sits block (j % 3) + 1; one block in seven is not acquired."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        writer = csv.writer(out, lineterminator="\n")
        for row in range(rows):
            candidate, block = divmod(row, 3)
            decided = date(2019, 1, 7) + timedelta(days=candidate % 900)
            writer.writerow([
                f"C{candidate:06d}", "Camille", f"Candidat{candidate}", "1990-05-17",
                f"camille.{candidate}@example.fr", "RNCP16575", f"RNCP16575BC0{block + 1}",
                "non acquis" if (candidate + block) % 7 == 0 else "acquis",
                decided.isoformat(), "VAE",
            ])  # fmt: skip


def run(results: Path, out: Path, key: Path, cert: Path, *, render: bool) -> tuple[int, float]:
    start = time.perf_counter()
    report = issue(SEED, results, out, key=key, cert=cert, now=NOW, render=render)
    elapsed = time.perf_counter() - start
    assert report.valid, report.errors[:3]
    return report.stats["credentials-issued"], elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key, cert = keys.generate(
            work / "keys", org_name="Centre ressource AROBASE", org_id="NTRFR-817389141", country="FR", clock=lambda: NOW
        )
        results = work / "results.csv"
        write_results(results, args.rows)
        print(f"{args.rows:,} result rows for RNCP16575, both formats sealed (ES256)")
        figures = {}
        for render in (True, False):
            count, elapsed = run(results, work / f"out-{render}", key, cert, render=render)
            figures[render] = count / elapsed
            label = "with page rendering" if render else "without page rendering"
            print(f"{label:<26} {count:>7,} credentials {elapsed:>7.1f} s {count / elapsed:>8,.1f} credentials/s")
        print(f"ratio with / without rendering: x{figures[True] / figures[False]:.2f}")
        verdict = "met" if figures[True] >= 100 else "NOT met"
        print(f"target 100 complete credentials/s: {verdict} ({figures[True]:,.1f})")


if __name__ == "__main__":
    main()
