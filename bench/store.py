"""Benchmark of the embedded store: bulk load, and one certification fetched through ``serve``.

Builds a full-size synthetic register (``bench/register.py``'s ``build_export``: the real
samples repeated with new numbers), then, in one run, each step in its own process so
peak RSS is its own:

1. ``rncp-ld store load``'s API end to end (read, convert, one named graph per fiche,
   ``bulk_load`` of N-Quads batches): fiches/s, triples/s;
2. the same fiches converted to one N-Triples file (the per-fiche graphs concatenated);
3. that N-Triples file bulk-loaded into a fresh pyoxigraph store, and the same bytes of
   its first ``--baseline-fiches`` fiches both bulk-loaded by pyoxigraph and parsed by
   rdflib ``Graph.parse`` (the baseline: rdflib holds everything in memory, so the full
   register does not fit): triples/s and peak RSS side by side;
4. ``rncp-ld serve EMPTY_SITE --store STORE`` started on 127.0.0.1: median and p95
   latency of fetching one certification — its named graph by ``CONSTRUCT`` at
   ``/sparql``, as N-Triples — for ``--fetches`` random certifications; the same
   through ``oxigraph serve-read-only`` on the same store when the ``oxigraph`` CLI is
   installed.

    python bench/store.py [--fiches 30000] [--baseline-fiches 3000] [--fetches 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import build_export

LOAD = """
import json, sys, time, resource
from rncp_ld.publish.store import load
start = time.perf_counter()
report = load([sys.argv[1]], sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "fiches": report.stats.get("fiches-loaded", 0),
    "triples": report.stats.get("triples", 0),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

TO_NT = """
import json, sys, time, resource
from rncp_ld.publish.store import fiche_graphs
from rncp_ld.report import Report
start, fiches, triples, subset = time.perf_counter(), 0, 0, int(sys.argv[4])
iris = []
with open(sys.argv[2], "w", encoding="utf-8") as full, open(sys.argv[3], "w", encoding="utf-8") as part:
    for iri, nt in fiche_graphs([sys.argv[1]], Report()):
        full.write(nt)
        if fiches < subset:
            part.write(nt)
        fiches += 1
        triples += nt.count("\\n")
        iris.append(iri)
print(json.dumps({"seconds": time.perf_counter() - start, "fiches": fiches, "triples": triples,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "iris": iris}))
"""

OX_BULK = """
import json, sys, time, resource
import pyoxigraph as ox
start = time.perf_counter()
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
store.flush()
print(json.dumps({"seconds": time.perf_counter() - start,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RDFLIB = """
import json, sys, time, resource
from rdflib import Graph
start = time.perf_counter()
graph = Graph()
graph.parse(sys.argv[1], format="nt")
print(json.dumps({"seconds": time.perf_counter() - start, "distinct": len(graph),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: object) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def _wait(process: subprocess.Popen, url: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            _get(url, "application/sparql-results+json")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} in 30 s")


def fetch_latency(command: list[str], query_url: str, iris: list[str]) -> dict[str, float]:
    """Median and p95 (ms) of fetching each certification's graph by CONSTRUCT, N-Triples."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(process, f"{query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}")
        times, sizes = [], []
        for index, iri in enumerate(iris):
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
            url = f"{query_url}?{urllib.parse.urlencode({'query': text})}"
            start = time.perf_counter()
            body = _get(url, "application/n-triples")
            elapsed = time.perf_counter() - start
            if index >= 5:  # warm-up
                times.append(elapsed * 1000)
                sizes.append(body.count(b"\n"))
        times.sort()
        return {
            "median_ms": statistics.median(times),
            "p95_ms": times[int(len(times) * 0.95) - 1],
            "triples": statistics.mean(sizes),
            "fetches": len(times),
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def rate(triples: float, seconds: float) -> str:
    return f"{triples / seconds:>11,.0f} triples/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fiches", type=int, default=30000, help="fiches in the synthetic register")
    parser.add_argument(
        "--baseline-fiches", type=int, default=3000, help="fiches of the N-Triples subset parsed by rdflib"
    )
    parser.add_argument("--fetches", type=int, default=200, help="certifications fetched through serve")
    parser.add_argument("--keep", type=Path, help="work in this directory (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        work = Path(tmp)
        export = work / "export_fiches_RNCP_V4_1_2026-08-16.xml"
        size = build_export(export, args.fiches)
        print(f"synthetic register: {args.fiches:,} fiches, {size / 1e6:,.0f} MB", flush=True)

        store = work / "store"
        loaded = run(LOAD, export, store)
        print(
            f"{'store load (convert + bulk)':<34} {loaded['fiches']:>7,} fiches {loaded['seconds']:>7.1f} s "
            f"{loaded['fiches'] / loaded['seconds']:>6,.0f} fiches/s {loaded['triples']:>11,} triples "
            f"{rate(loaded['triples'], loaded['seconds'])} {loaded['rss_mb']:>6,.0f} MB peak RSS",
            flush=True,
        )

        full_nt, part_nt = work / "register.nt", work / "subset.nt"
        converted = run(TO_NT, export, full_nt, part_nt, args.baseline_fiches)
        iris = converted.pop("iris")
        part_triples = sum(1 for _ in part_nt.open("rb"))
        print(
            f"{'convert to N-Triples only':<34} {converted['fiches']:>7,} fiches {converted['seconds']:>7.1f} s "
            f"{converted['triples']:>37,} triples {rate(converted['triples'], converted['seconds'])} "
            f"({full_nt.stat().st_size / 1e6:,.0f} MB)",
            flush=True,
        )
        bulk_seconds = loaded["seconds"] - converted["seconds"]
        print(
            f"{'  → bulk load share of store load':<34} {'':>7} {'':>6} {bulk_seconds:>7.1f} s "
            f"{'':>37} {rate(loaded['triples'], bulk_seconds)}"
        )

        full = run(OX_BULK, full_nt, work / "ox_full")
        print(
            f"{'pyoxigraph bulk_load, full .nt':<34} {'':>14} {full['seconds']:>7.1f} s {'':>18}"
            f"{converted['triples']:>11,} triples {rate(converted['triples'], full['seconds'])} "
            f"{full['rss_mb']:>6,.0f} MB peak RSS",
            flush=True,
        )
        shutil.rmtree(work / "ox_full")
        part = run(OX_BULK, part_nt, work / "ox_part")
        shutil.rmtree(work / "ox_part")
        base = run(RDFLIB, part_nt)
        for name, result in (("pyoxigraph bulk_load, subset", part), ("rdflib Graph.parse, subset", base)):
            print(
                f"{name:<34} {min(args.baseline_fiches, args.fiches):>7,} fiches {result['seconds']:>7.1f} s "
                f"{'':>18}{part_triples:>11,} triples {rate(part_triples, result['seconds'])} "
                f"{result['rss_mb']:>6,.0f} MB peak RSS",
                flush=True,
            )
        print(
            f"ratio pyoxigraph / rdflib on the same N-Triples: x{base['seconds'] / part['seconds']:.1f} triples/s, "
            f"peak RSS x{part['rss_mb'] / base['rss_mb']:.2f} (rdflib keeps {base['distinct']:,} distinct triples)"
        )

        sample = random.Random(0).sample(iris, min(args.fetches + 5, len(iris)))
        site = work / "site"
        site.mkdir()
        port = _free_port()
        serve = [
            sys.executable,
            "-m",
            "rncp_ld",
            "serve",
            str(site),
            "--store",
            str(store),
            "--port",
            str(port),
        ]
        ours = fetch_latency(serve, f"http://127.0.0.1:{port}/sparql", sample)
        print(
            f"{'rncp-ld serve /sparql, 1 fiche':<34} median {ours['median_ms']:.1f} ms, p95 {ours['p95_ms']:.1f} ms "
            f"({ours['fetches']} certifications of {ours['triples']:,.0f} triples, CONSTRUCT of the named graph)"
        )
        oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
        if oxigraph:
            port = _free_port()
            command = [oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
            try:
                theirs = fetch_latency(command, f"http://127.0.0.1:{port}/query", sample)
            except (RuntimeError, OSError) as error:
                print(f"oxigraph serve-read-only: not measured ({error})")
            else:
                print(
                    f"{'oxigraph serve-read-only, 1 fiche':<34} median {theirs['median_ms']:.1f} ms, "
                    f"p95 {theirs['p95_ms']:.1f} ms (same store, same queries)"
                )


if __name__ == "__main__":
    main()
