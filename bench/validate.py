"""Whole-register benchmark of ``rncp-ld validate``, next to pySHACL in the same run.

Builds a full-size synthetic XML V4.1 export with ``bench/register.py``'s ``build_export``
(the real samples repeated with new numbers), validates it with ``rncp-ld validate``
(the fast engine, fiche by fiche, ``--processes`` workers) and prints fiches/s, total time
and peak RSS. In the same run, pySHACL validates the first ``--pyshacl-fiches`` fiches
as ONE graph (what ``pyshacl`` on a ``rncp-ld convert`` output does; the whole register
would take hours), and the fast engine does the same graph in one process, so the
per-fiche rates compare engine to engine. Default shapes: the shipped ``rncp.ttl``.

    python bench/validate.py [--fiches 30000] [--pyshacl-fiches 300] [--processes 2] [--shapes PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import build_export  # the sibling benchmark's synthetic register

TARGET_FICHES, TARGET_SECONDS = 30_000, 120.0

ONE_GRAPH = """
import json, sys, time, resource
from rncp_ld.convert import read_all, to_graph
from rncp_ld.report import Report
from rncp_ld.validation.shapes import load_shapes
engine, export, shapes = sys.argv[1], sys.argv[2], sys.argv[3:]
certifications = list(read_all([export], Report()))
graph = to_graph(certifications)
loaded = load_shapes(shapes)
start = time.perf_counter()
if engine == "pyshacl":
    from pyshacl import validate
    from rncp_ld.validation.fallback import report_results
    conforms, report, _ = validate(graph, shacl_graph=loaded.graph, inference="none")
    results = len(report_results(report, loaded.graph))
else:
    results = len(loaded.validate(graph))
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "fiches": len(certifications), "triples": len(graph), "results": results,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_cli(export: Path, out: Path, processes: int, shapes: list[str]) -> dict[str, float]:
    """``rncp-ld validate`` in its own process; peak RSS of its largest process (main or worker)."""
    command = [sys.executable, "-m", "rncp_ld", "validate", str(export), "-f", "json", "-o", str(out)]
    command += ["--processes", str(processes), "-q"] + [a for s in shapes for a in ("--shapes", s)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"rncp-ld validate failed ({done.returncode}): {done.stderr}")
    report = json.loads(out.read_text(encoding="utf-8"))
    stats = report["stats"]
    return {
        "seconds": elapsed,
        "fiches": stats.get("fiches-validated", 0),
        "triples": stats.get("triples", 0),
        "results": stats.get("results", 0),
        "rss_mb": max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
    }


def run_one_graph(engine: str, export: Path, shapes: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", ONE_GRAPH, engine, str(export), *shapes],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:<44} {r['fiches']:>7,.0f} fiches {r['seconds']:>8.2f} s {r['fiches'] / r['seconds']:>8,.1f} fiches/s "
        f"{1000 * r['seconds'] / r['fiches']:>8.2f} ms/fiche {r['triples']:>11,.0f} triples {r['results']:>7,.0f} results "
        f"{r['rss_mb']:>7,.0f} MB peak RSS"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fiches", type=int, default=TARGET_FICHES, help="fiches in the synthetic export")
    parser.add_argument("--pyshacl-fiches", type=int, default=300, help="fiches for the one-graph comparison")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 2, help="rncp-ld validate --processes"
    )
    parser.add_argument(
        "--shapes", action="append", default=[], help="shapes files (default: the shipped ones)"
    )
    parser.add_argument("--keep", type=Path, help="keep the synthetic exports in this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        work = Path(tmp)
        export = work / "export_fiches_RNCP_V4_1_2026-08-16.xml"
        size = build_export(export, args.fiches)
        small = work / "export_fiches_RNCP_V4_1_subset.xml"
        build_export(small, args.pyshacl_fiches)
        print(
            f"synthetic export: {args.fiches:,} fiches, {size / 1e6:,.0f} MB; one-graph subset: {args.pyshacl_fiches:,} fiches"
        )
        ours = run_cli(export, work / "report.json", args.processes, args.shapes)
        engine = run_one_graph("rncp-ld", small, args.shapes)
        reference = run_one_graph("pyshacl", small, args.shapes)
        print(line(f"rncp-ld validate ({args.processes} processes, fiche by fiche)", ours))
        print(line("rncp-ld engine, subset as one graph (1 core)", engine))
        print(line("pySHACL, subset as one graph (1 core)", reference))
        per_fiche = reference["seconds"] / reference["fiches"]
        print(
            f"ratio on the same graph: rncp-ld engine x{reference['seconds'] / engine['seconds']:,.0f} faster than pySHACL "
            f"(same results: {'yes' if engine['results'] == reference['results'] else 'NO'}, "
            f"{engine['results']:,.0f} vs {reference['results']:,.0f}); "
            f"pySHACL would need {per_fiche * TARGET_FICHES / 3600:,.1f} h for {TARGET_FICHES:,} fiches on one core"
        )
        projected = ours["seconds"] * TARGET_FICHES / ours["fiches"]
        verdict = "met" if projected < TARGET_SECONDS else "NOT met"
        measured = (
            "measured" if ours["fiches"] == TARGET_FICHES else f"projected from {ours['fiches']:,.0f} fiches"
        )
        print(
            f"target {TARGET_FICHES:,} fiches < {TARGET_SECONDS:.0f} s on {args.processes} cores: {verdict} "
            f"({projected:,.1f} s, {measured})"
        )


if __name__ == "__main__":
    main()
