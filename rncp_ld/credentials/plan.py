"""What to issue from a jury's results: the checks against the fiche, then the credentials.

:func:`plan` takes the rows :func:`~rncp_ld.readers.results.read_results` yields and the
fiche(s) they are about. Each row is checked against its fiche; a row with a problem becomes
an error :class:`~rncp_ld.report.Issue` naming its line and candidate and is not issued, the
others go on. The result is a :class:`Plan`: one :class:`PlannedCredential` per acquired
block, one more per candidate who acquired every block of the certification, and the issues.

Identifiers are deterministic (:func:`credential_id`): the same issuer, candidate, block and
decision always give the same ``urn:uuid:``, so issuing the same results twice never makes a
second credential.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError
from ..model import AccessRouteKind, Block, BlockResult, Candidate, Certification, Decision
from ..report import Issue, Severity

__all__ = [
    "ID_NAMESPACE",
    "Plan",
    "PlannedCredential",
    "access_route_kind",
    "credential_id",
    "plan",
]

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/rncp-ld/credential")
"""The UUID5 namespace of credential identifiers; never change it, or ids change."""


@dataclass(frozen=True, slots=True)
class PlannedCredential:
    """A credential to issue: one acquired block, or the whole certification."""

    id: str
    """Deterministic ``urn:uuid:`` identifier (:func:`credential_id`)."""
    candidate: Candidate
    certification: Certification
    block: Block | None
    """The acquired block; None for the full-certification credential."""
    results: tuple[BlockResult, ...]
    """The row of the block; for the full certification, the rows of its blocks."""
    access_route: AccessRouteKind | None
    """The route of the row(s); None when the blocks were acquired through different routes."""
    parts: tuple[str, ...] = ()
    """Identifiers of the block credentials a full-certification credential is made of."""

    @property
    def code(self) -> str:
        """The block code, or the fiche number for the full certification."""
        return self.block.code if self.block else self.certification.number

    @property
    def full(self) -> bool:
        """True for the full-certification credential."""
        return self.block is None

    @property
    def awarded(self) -> date:
        """The jury's decision date; for the full certification, that of its last block."""
        return max(r.decision_date for r in self.results)


@dataclass(frozen=True, slots=True)
class Plan:
    """The credentials to issue from a jury's results, and the problems found."""

    credentials: tuple[PlannedCredential, ...]
    """Block credentials in the order of the rows, then the full certifications in the order
    of their candidates' first acquired block."""
    issues: tuple[Issue, ...]
    """Reader and check issues, in the order of the lines."""
    not_acquired: tuple[BlockResult, ...] = ()
    """Valid rows whose decision is "non acquis": nothing is issued for them."""

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def valid(self) -> bool:
        """True when no row was refused (exit code 0)."""
        return not self.errors


def credential_id(
    issuer_id: str, candidate_id: str, code: str, decision: Decision = Decision.ACQUIRED
) -> str:
    """The ``urn:uuid:`` of the credential of ``issuer_id`` for ``candidate_id`` on ``code``.

    ``code`` is a block code (``RNCP16575BC01``) or a fiche number (``RNCP16575``). The
    UUID is a version 5 UUID of the four values, so it is the same on every run.
    """
    name = json.dumps([issuer_id, candidate_id, code, Decision(decision).value], ensure_ascii=False)
    return uuid.uuid5(ID_NAMESPACE, name).urn


# Access routes


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_ROUTE_WORDS: dict[str, AccessRouteKind] = {
    _fold(word): kind
    for kind, words in {
        AccessRouteKind.FI: (
            "formation initiale",
            "formation initiale sous statut scolaire",
            "élève ou étudiant",
        ),
        AccessRouteKind.CA: ("apprentissage", "contrat d'apprentissage", "alternance apprentissage"),
        AccessRouteKind.FC: ("formation continue",),
        AccessRouteKind.CQ: ("contrat de professionnalisation", "professionnalisation"),
        AccessRouteKind.CL: ("candidature individuelle", "candidat individuel", "candidat libre"),
        AccessRouteKind.VAE: ("VAE", "validation des acquis de l'expérience", "expérience"),
    }.items()
    for word in (*words, kind.value, kind.label)
}


def access_route_kind(text: str) -> AccessRouteKind | None:
    """The access route a results file names, accent- and case-insensitively; None if unknown.

    Accepts the usual words (``VAE``, ``formation continue``, ``apprentissage``,
    ``formation initiale``, ``contrat de professionnalisation``, ``candidature individuelle``),
    the export codes (``FI``, ``CA``, ``FC``, ``CQ``, ``CL``) and France Compétences' labels.
    """
    return _ROUTE_WORDS.get(_fold(text))


_ROUTE_EXAMPLES = "VAE, formation continue, apprentissage, formation initiale, contrat de professionnalisation or candidature individuelle"


# Registration


@dataclass(frozen=True, slots=True)
class _Registration:
    """The known registration periods of a fiche, as closed intervals (None: unbounded)."""

    periods: tuple[tuple[date | None, date | None], ...]

    @classmethod
    def of(cls, cert: Certification) -> _Registration:
        periods = [(p.start, p.end) for p in cert.registrations if p.start or p.end]
        if not periods and (cert.effective_date or cert.end_date):
            periods = [(cert.effective_date, cert.end_date)]
        periods.sort(key=lambda p: (p[0] or date.min, p[1] or date.max))
        return cls(tuple(periods))

    def problem(self, day: date) -> tuple[str, str] | None:
        """(type, explanation) when ``day`` falls outside every period, else None.

        A period without a start (the seed's prorogation "jusqu'au 31 décembre 2006") runs
        from an unknown date, so nothing before its end is refused; a period without an end
        runs on.
        """
        if not self.periods or any(_within(day, p) for p in self.periods):
            return None
        starts = [s for s, _ in self.periods]
        ends = [e for _, e in self.periods]
        first = min(s for s in starts if s is not None) if None not in starts else None
        last = max(e for e in ends if e is not None) if None not in ends else None
        if first is not None and day < first:
            return (
                "decision-before-registration",
                f"before the certification's first registration, from {first}",
            )
        if last is not None and day > last:
            return (
                "decision-after-registration",
                f"after the end of the certification's registration on {last}",
            )
        before = max(e for _, e in self.periods if e is not None and e < day)
        after = min(s for s, _ in self.periods if s is not None and s > day)
        return (
            "decision-between-registrations",
            f"between two registrations of the certification (one ended on {before}, the next began on {after})",
        )


def _within(day: date, period: tuple[date | None, date | None]) -> bool:
    start, end = period
    return (start is None or start <= day) and (end is None or day <= end)


# Planning


@dataclass(frozen=True, slots=True)
class _Fiche:
    """A fiche with its lookups, built once per plan."""

    cert: Certification
    blocks: dict[str, Block]
    open_routes: frozenset[AccessRouteKind] | None
    """None when the fiche says nothing about its access routes."""
    registration: _Registration

    @classmethod
    def of(cls, cert: Certification) -> _Fiche:
        routes = frozenset(r.kind for r in cert.access_routes if r.open) if cert.access_routes else None
        return cls(cert, {b.code: b for b in cert.blocks}, routes, _Registration.of(cert))

    @property
    def required(self) -> frozenset[str]:
        """The blocks a candidate must acquire for the full certification."""
        return frozenset(code for code, b in self.blocks.items() if not b.optional)


def _content(result: BlockResult) -> tuple[object, ...]:
    """What makes two rows the same row (everything but the line)."""
    return (
        result.candidate,
        result.certification,
        result.block,
        result.decision,
        result.decision_date,
        _fold(result.access_route),
    )


_FIELDS: tuple[tuple[str, Callable[[BlockResult], str]], ...] = (
    ("decision", lambda r: r.decision.value),
    ("decision_date", lambda r: r.decision_date.isoformat()),
    ("access_route", lambda r: r.access_route),
    ("given_name", lambda r: r.candidate.given_name),
    ("family_name", lambda r: r.candidate.family_name),
    ("birth_date", lambda r: r.candidate.birth_date.isoformat()),
    ("email", lambda r: r.candidate.email),
)


def _lines(rows: Iterable[BlockResult]) -> str:
    """``line 4`` or ``lines 2, 5``."""
    numbers = [str(r.line) for r in rows]
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers)


def _line_of(issue: Issue) -> int:
    m = re.fullmatch(r"line (\d+)", issue.location or "")
    return int(m.group(1)) if m else 0


class _Planner:
    """One planning run: its fiches, issuer and the issues found so far."""

    def __init__(self, fiches: dict[str, _Fiche], issuer_id: str, source: str | None) -> None:
        self.fiches = fiches
        self.issuer_id = issuer_id
        self.source = source
        self.issues: list[Issue] = []

    def error(
        self,
        result: BlockResult,
        type: str,
        problem: str,
        *,
        value: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(
            Issue(
                type,
                f"candidate {result.candidate.id}: {problem}",
                severity,
                source=self.source,
                fiche=result.certification,
                location=f"line {result.line}" if result.line is not None else None,
                value=value,
            )
        )

    def check(self, result: BlockResult) -> bool:
        """Record every problem of ``result`` against its fiche; True when there is none."""
        fiche = self.fiches.get(result.certification)
        if fiche is None:
            known = ", ".join(self.fiches)
            self.error(
                result,
                "unknown-certification",
                f"certification {result.certification} is not the fiche given (expected {known})",
                value=result.certification,
            )
            return False
        ok = True
        if result.block not in fiche.blocks:
            self.error(
                result,
                "unknown-block",
                f"block {result.block} is not a block of {fiche.cert.number} (expected one of {', '.join(fiche.blocks) or 'none: the fiche has no blocks'})",
                value=result.block,
            )
            ok = False
        found = fiche.registration.problem(result.decision_date)
        if found:
            type, why = found
            self.error(
                result,
                type,
                f"decision_date {result.decision_date} is {why}",
                value=result.decision_date.isoformat(),
            )
            ok = False
        kind = access_route_kind(result.access_route)
        if kind is None:
            self.error(
                result,
                "unknown-access-route",
                f"access_route {result.access_route!r} is not an access route (expected {_ROUTE_EXAMPLES})",
                value=result.access_route,
            )
            ok = False
        elif fiche.open_routes is not None and kind not in fiche.open_routes:
            open_ = ", ".join(
                f"{k.value} ({k.label})" for k in sorted(fiche.open_routes, key=list(AccessRouteKind).index)
            )
            self.error(
                result,
                "closed-access-route",
                f"access_route {result.access_route!r} ({kind.label}) is not open on {fiche.cert.number} (open: {open_ or 'none'})",
                value=result.access_route,
            )
            ok = False
        return ok

    def conflicts(self, rows: list[BlockResult]) -> None:
        """Report each row of a candidate's block that disagrees with another row of it."""
        for row in rows:
            others = [o for o in rows if _content(o) != _content(row)]
            differences = []
            for name, get in _FIELDS:
                values = sorted({get(o) for o in others if get(o) != get(row)})
                if values:
                    differences.append(f"{name} {get(row)!r} here, {' / '.join(map(repr, values))} there")
            self.error(
                row,
                "conflicting-duplicate",
                f"block {row.block} also on {_lines(others)} with a different {'; '.join(differences)}; none of these rows is issued",
                value=row.block,
            )

    def identities(self, results: list[BlockResult]) -> set[str]:
        """Candidates whose rows give different names, birth dates or e-mails; each of their rows reported."""
        rows: dict[str, list[BlockResult]] = {}
        for r in results:
            rows.setdefault(r.candidate.id, []).append(r)
        clashing = {c for c, rs in rows.items() if len({r.candidate for r in rs}) > 1}
        for candidate_id in clashing:
            for r in rows[candidate_id]:
                differences = []
                for name, get in _FIELDS[3:]:
                    others = [o for o in rows[candidate_id] if get(o) != get(r)]
                    if others:
                        values = " / ".join(sorted({repr(get(o)) for o in others}))
                        differences.append(f"{name} {get(r)!r} here, {values} on {_lines(others)}")
                self.error(
                    r,
                    "conflicting-candidate",
                    f"the candidate's details differ between rows ({'; '.join(differences)}); "
                    "none of the candidate's rows is issued",
                    value=r.candidate.id,
                )
        return clashing


def plan(
    certification: Certification | Iterable[Certification],
    results: Iterable[BlockResult | Issue],
    *,
    issuer_id: str,
    source: str | None = None,
) -> Plan:
    """Check ``results`` against ``certification`` and list the credentials to issue.

    Args:
        certification: the fiche the results are about (or several fiches, by number).
        results: what :func:`~rncp_ld.readers.results.read_results` yields; its Issues are
            kept in the plan.
        issuer_id: the certifier's identifier (e.g. the ``organizationIdentifier`` of its
            certificate, ``NTRFR-<SIREN>``), part of every credential identifier.
        source: file name put on the issues (defaults to the reader issues' source).

    Raises:
        ConfigError: ``issuer_id`` is empty.
    """
    if not issuer_id or not issuer_id.strip():
        raise ConfigError(
            "the issuer identifier is empty",
            expected="e.g. the certificate's organizationIdentifier NTRFR-<SIREN>",
        )
    certs = [certification] if isinstance(certification, Certification) else list(certification)
    fiches = {c.number: _Fiche.of(c) for c in certs}
    reader_issues: list[Issue] = []
    groups: dict[tuple[str, str], list[BlockResult]] = {}
    for item in results:
        if isinstance(item, Issue):
            reader_issues.append(item)
            source = source or item.source
        else:
            groups.setdefault((item.candidate.id, item.block), []).append(item)
    planner = _Planner(fiches, issuer_id.strip(), source)

    kept: list[BlockResult] = []
    for rows in groups.values():
        distinct: dict[tuple[object, ...], BlockResult] = {}
        for row in rows:
            distinct.setdefault(_content(row), row)
        if len(distinct) > 1:
            planner.conflicts(rows)
            for row in distinct.values():
                planner.check(row)
            continue
        first = rows[0]
        for copy in rows[1:]:
            planner.error(
                copy,
                "duplicate-row",
                f"line {copy.line} repeats line {first.line} (block {copy.block}); issued once",
                severity=Severity.WARNING,
            )
        if planner.check(first):
            kept.append(first)
    clashing = planner.identities(kept)
    kept = sorted((r for r in kept if r.candidate.id not in clashing), key=lambda r: r.line or 0)

    credentials: list[PlannedCredential] = []
    not_acquired: list[BlockResult] = []
    acquired: dict[tuple[str, str], list[PlannedCredential]] = {}
    for r in kept:
        if r.decision is not Decision.ACQUIRED:
            not_acquired.append(r)
            continue
        fiche = fiches[r.certification]
        credential = PlannedCredential(
            id=credential_id(planner.issuer_id, r.candidate.id, r.block, r.decision),
            candidate=r.candidate,
            certification=fiche.cert,
            block=fiche.blocks[r.block],
            results=(r,),
            access_route=access_route_kind(r.access_route),
        )
        credentials.append(credential)
        acquired.setdefault((r.candidate.id, r.certification), []).append(credential)

    for (candidate_id, number), parts in acquired.items():
        fiche = fiches[number]
        if not fiche.required or not fiche.required <= {p.code for p in parts}:
            continue
        parts = sorted(parts, key=lambda p: p.code)
        routes = {p.access_route for p in parts}
        credentials.append(
            PlannedCredential(
                id=credential_id(planner.issuer_id, candidate_id, number, Decision.ACQUIRED),
                candidate=parts[0].candidate,
                certification=fiche.cert,
                block=None,
                results=tuple(r for p in parts for r in p.results),
                access_route=routes.pop() if len(routes) == 1 else None,
                parts=tuple(p.id for p in parts),
            )
        )

    issues = sorted([*reader_issues, *planner.issues], key=_line_of)
    return Plan(tuple(credentials), tuple(issues), tuple(not_acquired))
