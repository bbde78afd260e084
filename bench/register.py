"""Whole-register benchmark of ``rncp-ld convert``.

Builds a full-size XML V4.1 export from the real samples in ../shared (each fiche
repeated with new numbers, block codes and ids, partners trimmed to the national
average so the file is near the real 470 MB), then converts it to N-Triples and,
in the same run, does the same with an rdflib ``Graph.add`` + ``serialize`` baseline.
Each side runs in its own process so peak RSS is its own. Prints fiches/s,
triples/s and peak RSS side by side, with the ratios.

    python bench/register.py [--fiches 30000] [--baseline-fiches 30000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples-external" / "mcp-rncp"
PARTNERS_PER_FICHE = 13  # 397,774 partner rows / 30,475 fiches in the 2026-08-16 export


def _fiches(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"<FICHE>.*?</FICHE>", text, flags=re.S)


def _trim_partners(fiche: str) -> str:
    partners = re.findall(r"<PARTENAIRE>.*?</PARTENAIRE>", fiche, flags=re.S)
    for extra in partners[PARTNERS_PER_FICHE:]:
        fiche = fiche.replace(extra, "", 1)
    return fiche


def build_export(path: Path, count: int) -> int:
    """Write a ``count``-fiche export to ``path``; return its size in bytes."""
    templates = [_trim_partners(f) for f in _fiches(SAMPLES / "export_fiches_RNCP_fixture.xml")]
    templates += [_trim_partners(f) for f in _fiches(SAMPLES / "export_fiches_RS_fixture.xml")]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n'
        )
        for i in range(count):
            template = templates[i % len(templates)]
            number = 100000 + i
            prefix = "RS" if "<NUMERO_FICHE>RS" in template else "RNCP"
            old = re.search(r"<NUMERO_FICHE>((RNCP|RS)\d+)</NUMERO_FICHE>", template)
            assert old
            fiche = template.replace(old.group(1), f"{prefix}{number}")
            fiche = re.sub(r"<ID_FICHE>\d+</ID_FICHE>", f"<ID_FICHE>{number}</ID_FICHE>", fiche, count=1)
            out.write("  " + fiche + "\n")
        out.write("</FICHES>\n")
    return path.stat().st_size


OURS = """
import json, sys, time, resource
from rncp_ld.convert import convert
start = time.perf_counter()
report = convert([sys.argv[1]], sys.argv[2], format="nt")
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "fiches": report.stats.get("fiches-written", 0),
    "triples": report.stats["triples"], "skipped": report.stats.get("fiches-skipped", 0),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE = """
import json, sys, time, resource
from rdflib import Graph
from rncp_ld.readers import read
from rncp_ld.rdf.graph import Context, fiche_triples
from rncp_ld.model import Certification
start = time.perf_counter()
graph, ctx, fiches = Graph(), Context(), 0
for item in read(sys.argv[1]):
    if isinstance(item, Certification):
        fiches += 1
        for triple in fiche_triples(item, ctx):
            graph.add(triple)
graph.serialize(sys.argv[2], format="nt", encoding="utf-8")
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "fiches": fiches, "triples": len(graph), "skipped": 0,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, export: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, str(export), str(out)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:<28} {r['fiches']:>8,.0f} fiches {r['seconds']:>8.1f} s {r['fiches'] / r['seconds']:>8,.0f} fiches/s "
        f"{r['triples']:>11,.0f} triples {r['triples'] / r['seconds']:>9,.0f} triples/s {r['rss_mb']:>8,.0f} MB peak RSS"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fiches", type=int, default=30000, help="fiches in the synthetic export")
    parser.add_argument(
        "--baseline-fiches", type=int, default=None, help="fiches for the rdflib baseline (default: same)"
    )
    parser.add_argument("--keep", type=Path, help="keep the synthetic export in this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        work = Path(tmp)
        export = work / "export_fiches_RNCP_V4_1_2026-08-16.xml"
        size = build_export(export, args.fiches)
        print(f"synthetic export: {args.fiches:,} fiches, {size / 1e6:,.0f} MB ({export.name})")
        small = work / "small.xml"
        build_export(small, max(args.fiches // 10, 20))
        ours_small = run(OURS, small, work / "small.nt")
        ours = run(OURS, export, work / "register.nt")
        baseline_export = export
        if args.baseline_fiches and args.baseline_fiches != args.fiches:
            baseline_export = work / "baseline.xml"
            build_export(baseline_export, args.baseline_fiches)
        base = run(BASELINE, baseline_export, work / "baseline.nt")
        print(line("rncp-ld convert (1/10 size)", ours_small))
        print(line("rncp-ld convert", ours))
        print(line("rdflib Graph.add baseline", base))
        print(
            f"ratio rncp-ld / rdflib: triples/s x{(ours['triples'] / ours['seconds']) / (base['triples'] / base['seconds']):.2f}, "
            f"peak RSS x{ours['rss_mb'] / base['rss_mb']:.4f} ({base['rss_mb'] / ours['rss_mb']:,.0f} times less); "
            f"rncp-ld peak RSS at full size / at 1/10 size: x{ours['rss_mb'] / ours_small['rss_mb']:.2f}"
        )
        target = ours["triples"] / ours["seconds"]
        print(
            f"target 50,000 triples/s on one core: {'met' if target >= 50000 else 'NOT met'} ({target:,.0f})"
        )


if __name__ == "__main__":
    main()
