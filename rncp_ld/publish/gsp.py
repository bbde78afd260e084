"""Push per-fiche graphs to a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

Each graph is sent with ``PUT {endpoint}?graph=<iri>`` and an N-Triples body, which
replaces the graph on the server (it never duplicates). Transient failures
(connection refused or reset, timeouts, HTTP 5xx, 408, 429) are retried with
exponential backoff; other 4xx answers fail that fiche at once. After a few fiches
in a row fail for transient reasons the endpoint is taken as down: the remaining
fiches are not tried and are reported as not pushed.

A journal (JSON lines: endpoint, graph, SHA-256 of the N-Triples) records each graph
the endpoint accepted, so the next run with the same journal pushes only what is
missing or changed: a second run finishes the job.

>>> report = push(graphs, "http://127.0.0.1:7878/store", journal=Path("push.journal"))  # doctest: +SKIP
>>> report.failed  # doctest: +SKIP
{'https://w3id.org/rncp-ld/id/rncp/RNCP35419': 'connection refused (5 attempts)'}
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..report import Issue, Report

__all__ = ["PushReport", "push"]

GIVE_UP_AFTER = 3
"""Fiches failing in a row for transient reasons after which the endpoint is taken as down."""

_TRANSIENT_STATUS = {408, 425, 429}


@dataclass
class PushReport:
    """What a push did: graphs pushed, left as they were, and not pushed (with the reason)."""

    endpoint: str
    pushed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    """Graphs the journal shows already pushed with the same content."""
    failed: dict[str, str] = field(default_factory=dict)
    """Graph IRI → why it could not be pushed."""
    retries: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_report(self) -> Report:
        """As a :class:`Report`: one ``push-failed`` error per graph not pushed."""
        report = Report()
        report.stats.update(
            {
                "graphs-pushed": len(self.pushed),
                "graphs-unchanged": len(self.unchanged),
                "graphs-failed": len(self.failed),
                "push-retries": self.retries,
            }
        )
        for graph, reason in self.failed.items():
            report.issues.append(
                Issue(
                    "push-failed",
                    f"not pushed to {self.endpoint}: {reason}",
                    source=graph,
                    fiche=_number(graph),
                )
            )
        return report

    def summary(self) -> str:
        parts = [f"{len(self.pushed)} graphs pushed", f"{len(self.unchanged)} unchanged"]
        if self.failed:
            parts.append(f"{len(self.failed)} NOT pushed (run again to finish)")
        return f"{', '.join(parts)} → {self.endpoint} ({self.seconds:.1f} s, {self.retries} retries)"


def _number(graph: str) -> str:
    return graph.rstrip("/").rsplit("/", 1)[-1]


class _Journal:
    """Append-only record of the graphs an endpoint accepted, with their content hash."""

    def __init__(self, path: Path | None, endpoint: str) -> None:
        self.path = path
        self.endpoint = endpoint
        self.done: dict[str, str] = {}
        self._out = None
        if path is None:
            return
        latest: dict[tuple[str, str], str] = {}
        lines = 0
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                lines += 1
                try:
                    entry = json.loads(line)
                    latest[entry["endpoint"], entry["graph"]] = entry["sha256"]
                except (ValueError, KeyError, TypeError):  # a line cut by a crash
                    continue
        self.done = {graph: digest for (where, graph), digest in latest.items() if where == endpoint}
        path.parent.mkdir(parents=True, exist_ok=True)
        if lines > 2 * len(latest) + 1000:  # compact: one line per endpoint and graph
            tmp = path.with_name(f".{path.name}.tmp")
            with tmp.open("w", encoding="utf-8") as compact:
                for (where, graph), digest in latest.items():
                    entry = {"endpoint": where, "graph": graph, "sha256": digest}
                    compact.write(json.dumps(entry, ensure_ascii=False) + "\n")
            os.replace(tmp, path)
        self._out = path.open("a", encoding="utf-8")

    def record(self, graph: str, digest: str) -> None:
        self.done[graph] = digest
        if self._out is not None:
            entry = {"endpoint": self.endpoint, "graph": graph, "sha256": digest}
            self._out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._out.flush()
            os.fsync(self._out.fileno())

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


def graph_url(endpoint: str, graph: str) -> str:
    """``{endpoint}?graph=<iri>`` (``&graph=`` when the endpoint has a query string)."""
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"


class _Transient(Exception):
    pass


class _Permanent(Exception):
    pass


def _put(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT",
        headers={"Content-Type": "application/n-triples", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").strip()
        reason = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        if error.code >= 500 or error.code in _TRANSIENT_STATUS:
            raise _Transient(reason) from None
        raise _Permanent(reason) from None
    except urllib.error.URLError as error:
        cause = error.reason
        text = getattr(cause, "strerror", None) or str(cause)
        raise _Transient(text.lower() if isinstance(text, str) else str(text)) from None
    except (OSError, http.client.HTTPException) as error:  # reset, timeout, a broken answer
        raise _Transient(str(error) or type(error).__name__) from None


def push(
    graphs: Iterable[tuple[str, str]],
    endpoint: str,
    *,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 30,
    journal: Path | None = None,
    headers: Mapping[str, str] | None = None,
    give_up_after: int = GIVE_UP_AFTER,
    on_graph: Callable[[str, str], None] | None = None,
) -> PushReport:
    """PUT each ``(graph IRI, N-Triples)`` of ``graphs`` to the Graph Store endpoint.

    Args:
        graphs: per-fiche graphs, e.g. from ``rncp_ld.publish.fiche_ntriples``.
        endpoint: the Graph Store Protocol URL (Oxigraph: ``http://host:7878/store``).
        retries: further attempts after a transient failure (waits ``backoff``, ``2×backoff``…).
        timeout: seconds for each request.
        journal: JSON-lines file of what the endpoint accepted; graphs recorded there with
            the same content are not sent again. None: push everything.
        headers: extra request headers (``Authorization``…).
        give_up_after: fiches failing in a row for transient reasons after which the
            endpoint is taken as down and the rest is reported without being tried.
        on_graph: called with ``(graph, outcome)`` — ``pushed``, ``unchanged``, ``failed``.

    Returns:
        The report; ``failed`` lists each graph not pushed and why.
    """
    start = time.perf_counter()
    report = PushReport(endpoint)
    record = _Journal(journal, endpoint)
    extra = dict(headers or {})
    down: str | None = None
    in_a_row = 0
    try:
        for name, nt in graphs:
            graph = str(name)  # an rdflib URIRef never equals the str the journal holds
            body = nt.encode("utf-8")
            digest = hashlib.sha256(body).hexdigest()
            if record.done.get(graph) == digest:
                report.unchanged.append(graph)
                _tell(on_graph, graph, "unchanged")
                continue
            if down is not None:
                report.failed[graph] = f"not tried: {down}"
                _tell(on_graph, graph, "failed")
                continue
            url = graph_url(endpoint, graph)
            for attempt in range(retries + 1):
                try:
                    _put(url, body, extra, timeout)
                except _Permanent as error:
                    report.failed[graph] = str(error)
                    in_a_row = 0
                    break
                except _Transient as error:
                    if attempt < retries:
                        report.retries += 1
                        time.sleep(backoff * 2**attempt)
                        continue
                    report.failed[graph] = f"{error} ({retries + 1} attempts)"
                    in_a_row += 1
                    if in_a_row >= give_up_after:
                        down = f"the endpoint failed {in_a_row} fiches in a row (last: {error})"
                    break
                else:
                    record.record(graph, digest)
                    report.pushed.append(graph)
                    in_a_row = 0
                    break
            _tell(on_graph, graph, "failed" if graph in report.failed else "pushed")
    finally:
        record.close()
        report.seconds = time.perf_counter() - start
    return report


def _tell(callback: Callable[[str, str], None] | None, graph: str, outcome: str) -> None:
    if callback is not None:
        callback(graph, outcome)
