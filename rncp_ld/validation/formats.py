"""Validation reports as text (people), JSON and JUnit XML (pipelines), or a SHACL ``sh:ValidationReport``.

* ``text``: one header per fiche (or input) with issues, one line per issue (focus, path,
  value, message, type), then a summary line. IRIs under the base are shown relative,
  others with the project's prefixes.
* ``json``: ``Report.to_dict()``, exactly.
* ``junit``: one ``testsuite`` per input, one ``testcase`` per fiche (or per graph or
  document); errors are ``failure`` elements (``error`` when the input or the fiche could
  not be read, so was not validated), warnings go to ``system-out``.
* ``turtle``: a ``sh:ValidationReport`` with one ``sh:ValidationResult`` per issue. An
  issue that is not a SHACL result (an XSD error, an unreadable input) has the fiche or
  the input file as focus node, ``urn:rncp-ld:issue:TYPE`` as constraint component and
  the XSD file (or ``urn:rncp-ld:input``) as source shape. ``sh:conforms`` is false as soon
  as there is a result, warnings included (SHACL's definition); the exit code ignores warnings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from rdflib.util import from_n3

from ..namespaces import RDF, RDFS, bind
from ..report import Issue, Report, Severity
from ..uris import DEFAULT_BASE, Minter
from .engine import SH, SH_NS
from .job import Task, ValidationReport
from .shapes import COMPONENT_TYPES, prefixed

__all__ = ["FORMATS", "render", "summary"]

FORMATS = ("text", "json", "junit", "turtle")


def render(report: Report, fmt: str, *, base: str = DEFAULT_BASE) -> str:
    """``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    renderers: dict[str, Callable[[Report, str], str]] = {
        "text": _text,
        "json": lambda r, b: r.to_json() + "\n",
        "junit": _junit,
        "turtle": _turtle,
    }
    return renderers[fmt](report, Minter(base).base)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    """One line: what was validated and what was found."""
    stats = report.stats
    parts = []
    if "fiches-validated" in stats or (
        not stats.get("graphs-validated") and not stats.get("documents-validated")
    ):
        fiches = stats.get("fiches-validated", 0)
        invalid = stats.get("fiches-invalid", 0)
        parts.append(
            f"{_plural(fiches, 'fiche')} validated" + (f" ({invalid:,} with errors)" if invalid else "")
        )
    if stats.get("graphs-validated"):
        parts.append(f"{_plural(stats['graphs-validated'], 'RDF graph')} validated")
    if stats.get("documents-validated"):
        parts.append(f"{_plural(stats['documents-validated'], 'LOQ document')} validated")
    if stats.get("fiches-skipped"):
        parts.append(f"{_plural(stats['fiches-skipped'], 'fiche')} unreadable")
    if stats.get("inputs-unreadable"):
        parts.append(f"{_plural(stats['inputs-unreadable'], 'input')} unreadable")
    found = f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
    engine = getattr(report, "engine", "rncp-ld")
    verdict = "not valid" if not report.valid else "valid"
    return f"{', '.join(parts)}: {found} → {verdict}" + (" (pySHACL)" if engine == "pyshacl" else "")


# text


def _short(text: str, base: str) -> str:
    if text.startswith(base):
        return text[len(base) :]
    return prefixed(text)


def _short_path(path: str, base: str) -> str:
    if not path.startswith(("<", "^", "(")):
        return _short(path, base)
    return re.sub(r"<([^>]*)>", lambda m: _short(m.group(1), base), path)


def _short_value(value: str, base: str, limit: int = 80) -> str:
    if not value.startswith('"'):
        return _short(value, base)
    cut = value.rfind('"')
    text, suffix = value[: cut + 1], value[cut + 1 :]
    suffix = re.sub(r"\^\^<([^>]*)>$", lambda m: "^^" + prefixed(m.group(1)), suffix)
    if len(text) > limit:
        text = text[: limit - 2] + '…"'
    return text + suffix


def _line(issue: Issue, base: str, with_location: bool) -> str:
    where = []
    if with_location and issue.location:
        where.append(issue.location)
    if issue.focus:
        where.append(_short(issue.focus, base))
    if issue.path:
        where.append(_short_path(issue.path, base))
    if issue.value is not None:
        where.append(_short_value(issue.value, base))
    head = " ".join(where)
    return f"  {issue.severity.value}: {head + ': ' if head else ''}{issue.message} [{issue.type}]"


def _text(report: Report, base: str) -> str:
    groups: dict[tuple[str | None, str | None], list[Issue]] = {}
    for issue in report.issues:
        groups.setdefault((issue.source, issue.fiche), []).append(issue)
    lines = []
    for (source, fiche), issues in groups.items():
        errors = sum(1 for i in issues if i.severity is Severity.ERROR)
        counts = ", ".join(
            p
            for p in (
                _plural(errors, "error") if errors else "",
                _plural(len(issues) - errors, "warning") if len(issues) > errors else "",
            )
            if p
        )
        head = [source or "-"]
        shacl = [i for i in issues if i.focus]
        if fiche:
            location = shacl[0].location if shacl and len({i.location for i in shacl}) == 1 else None
            head.append(f"fiche {fiche}" + (f" ({location})" if location else ""))
        lines.append(f"{': '.join(head)}: {counts}")
        for issue in issues:
            lines.append(_line(issue, base, with_location=not (fiche and issue.focus)))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


# JUnit


def _junit(report: Report, base: str) -> str:
    tasks: list[Task] = report.tasks if isinstance(report, ValidationReport) else []
    suites: dict[str, dict[str, list[Issue]]] = {}
    kinds: dict[tuple[str, str], str] = {}
    for task in tasks:
        suites.setdefault(task.source, {}).setdefault(task.name, [])
        kinds[(task.source, task.name)] = task.kind
    for issue in report.issues:
        source = issue.source or "-"
        cases = suites.setdefault(source, {})
        name = issue.fiche or next(
            (n for n in cases if kinds.get((source, n)) in ("graph", "document")), Path(source).name
        )
        cases.setdefault(name, []).append(issue)
    root = ET.Element("testsuites", name="rncp-ld validate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for source, cases in suites.items():
        suite = ET.SubElement(root, "testsuite", name=source)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for name, issues in cases.items():
            case = ET.SubElement(suite, "testcase", classname=source, name=name)
            counts["tests"] += 1
            errors = [i for i in issues if i.severity is Severity.ERROR]
            warnings = [i for i in issues if i.severity is Severity.WARNING]
            if errors:
                broken = (source, name) not in kinds  # not validated: the input or the fiche was unreadable
                tag = "error" if broken else "failure"
                counts["errors" if broken else "failures"] += 1
                element = ET.SubElement(
                    case,
                    tag,
                    message=errors[0].message + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""),
                    type=errors[0].type,
                )
                element.text = "\n".join(_line(i, base, with_location=not i.focus).strip() for i in errors)
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(
                    _line(i, base, with_location=not i.focus).strip() for i in warnings
                )
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# Turtle

_ISSUE_NS = "urn:rncp-ld:issue:"


def _turtle(report: Report, base: str) -> str:
    graph = bind(Graph())
    graph.bind("sh", SH_NS)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(not report.issues)))
    minter = Minter(base)
    for issue in report.issues:
        result = BNode()
        graph.add((root, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add(
            (result, SH.resultSeverity, SH.Violation if issue.severity is Severity.ERROR else SH.Warning)
        )
        if issue.focus:
            graph.add((result, SH.focusNode, _term(issue.focus)))
            if issue.path:
                graph.add((result, SH.resultPath, _path(graph, issue.path)))
            if issue.value is not None:
                graph.add((result, SH.value, _term(issue.value)))
            graph.add((result, SH.sourceShape, _shape(graph, issue.shape or "")))
            component = COMPONENT_TYPES.get(issue.type, URIRef(_ISSUE_NS + issue.type))
            message = issue.message
        else:
            focus = (
                minter.certification(issue.fiche)
                if issue.fiche and re.fullmatch(r"(RNCP|RS)\d{1,6}", issue.fiche)
                else _file(issue.source)
            )
            graph.add((result, SH.focusNode, focus))
            graph.add(
                (result, SH.sourceShape, _file(issue.shape) if issue.shape else URIRef("urn:rncp-ld:input"))
            )
            component = URIRef(_ISSUE_NS + issue.type)
            message = f"{issue.location}: {issue.message}" if issue.location else issue.message
        graph.add((result, SH.sourceConstraintComponent, component))
        graph.add((result, SH.resultMessage, Literal(message)))
    return graph.serialize(format="turtle")


def _file(path: str | None) -> URIRef:
    if not path:
        return URIRef("urn:rncp-ld:input")
    return URIRef(Path(path).resolve().as_uri())


def _term(text: str) -> Node:
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        return from_n3(text)  # type: ignore[return-value]
    return URIRef(text)


def _shape(graph: Graph, label: str) -> Node:
    if re.fullmatch(r"[A-Za-z][\w+.-]*:\S+", label):
        return URIRef(label)
    node = BNode()
    graph.add((node, RDFS.label, Literal(label)))
    return node


def _path(graph: Graph, text: str) -> Node:
    """A SHACL path node from the SPARQL syntax of :func:`~.engine.path_label`."""
    if not text.startswith(("<", "^", "(")):
        return URIRef(text)
    tokens = re.findall(r"<[^>]*>|[\^/|*+?()]", text)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        token: str = tokens[position - 1]
        return token

    def listed(nodes: list[Node]) -> Node:
        head = BNode()
        Collection(graph, head, nodes)
        return head

    def alternative() -> Node:
        options = [sequence()]
        while peek() == "|":
            take()
            options.append(sequence())
        if len(options) == 1:
            return options[0]
        node = BNode()
        graph.add((node, SH.alternativePath, listed(options)))
        return node

    def sequence() -> Node:
        steps = [element()]
        while peek() == "/":
            take()
            steps.append(element())
        return steps[0] if len(steps) == 1 else listed(steps)

    def element() -> Node:
        inverse = peek() == "^"
        if inverse:
            take()
        token = take()
        inner: Node = alternative() if token == "(" else URIRef(token[1:-1])
        if token == "(":
            take()  # ")"
        modifier = {"*": SH.zeroOrMorePath, "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}.get(peek() or "")
        if modifier is not None:
            take()
            wrapped = BNode()
            graph.add((wrapped, modifier, inner))
            inner = wrapped
        if inverse:
            wrapped = BNode()
            graph.add((wrapped, SH.inversePath, inner))
            inner = wrapped
        return inner

    return alternative()
