"""Reader of a jury's results: one CSV row per candidate and block.

The file is UTF-8 (with or without a BOM), comma-separated, with exactly the header
:data:`COLUMNS`, in that order. Each row becomes a :class:`~rncp_ld.model.BlockResult`;
a row with a malformed value becomes one error :class:`~rncp_ld.report.Issue` per bad
cell (naming the line, the candidate and the column) and reading goes on. Empty lines are
skipped, CRLF line ends are fine. Whether a row fits its fiche (known block, decision date
inside the registration, open access route) is checked later, by
:func:`rncp_ld.credentials.plan`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from ..errors import InputError
from ..model import BlockResult, Candidate, Decision
from ..report import Issue
from .values import header_mismatch

__all__ = ["COLUMNS", "read_results"]

T = TypeVar("T")

COLUMNS = (
    "candidate_id", "given_name", "family_name", "birth_date", "email",
    "certification", "block", "decision", "decision_date", "access_route",
)  # fmt: skip
"""The columns of a results file, exactly and in order."""

HEADER = ",".join(COLUMNS)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CERTIFICATION = re.compile(r"(?:RNCP|RS)\d+")
_BLOCK = re.compile(r"(?P<certification>(?:RNCP|RS)\d+)BC\d+")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    rf"@(?:{_LABEL}\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]"
)
_DECISIONS = {d.value: d for d in Decision}


def read_results(path: Path | str) -> Iterator[BlockResult | Issue]:
    """Every row of the results file ``path``: a BlockResult, or an error Issue per bad cell.

    Raises:
        InputError: ``path`` is missing, not UTF-8, not CSV, empty, or its header is not
            exactly :data:`COLUMNS`.
    """
    path = Path(path)
    source = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(f"cannot read the results ({error.strerror})", source=str(path)) from None
    line = 0
    with handle:
        try:
            reader = csv.reader(handle)
            header = next((row for row in reader if any(c.strip() for c in row)), None)
            line = reader.line_num
            _check_header(header, line, source)
            for cells in reader:
                start, line = line + 1, reader.line_num
                if all(not c.strip() for c in cells):
                    continue
                yield from _row(cells, start, source)
        except UnicodeDecodeError as error:
            raise InputError(
                f"not UTF-8 text ({error.reason} at byte {error.start})",
                source=source,
                expected="a UTF-8 CSV file",
            ) from None
        except csv.Error as error:
            raise InputError(f"bad CSV: {error}", source=source, location=f"line {line + 1}") from None


def _check_header(header: list[str] | None, line: int, source: str) -> None:
    """Raise InputError naming the first column of ``header`` that is not the expected one."""
    if header is None:
        raise InputError("the results file is empty", source=source, expected=f"the header {HEADER}")
    mismatch = header_mismatch(header, COLUMNS)
    if mismatch is None:
        return
    index, got, want = mismatch
    if want is None:
        problem = f"an extra column {index} {got!r}"
    elif got is None:
        problem = f"no column {index} {want!r}"
    else:
        problem = f"{got!r} in column {index} where {want!r} was expected"
    raise InputError(
        f"wrong header: {problem}",
        source=source,
        location=f"line {line}",
        expected=f"the header {HEADER}",
    )


class _Row:
    """The cells of one row and the issues found in them."""

    def __init__(self, cells: dict[str, str], line: int, source: str) -> None:
        self.cells = cells
        self.line = line
        self.source = source
        self.issues: list[Issue] = []
        self.who = (
            f"candidate {cells['candidate_id']}" if cells["candidate_id"] else "row without candidate_id"
        )

    def issue(self, type: str, column: str, problem: str, expected: str) -> None:
        value = self.cells[column]
        certification = self.cells["certification"].upper() or None
        self.issues.append(
            Issue(
                type,
                f"{self.who}: {column} {problem}, expected {expected}",
                source=self.source,
                fiche=certification,
                location=f"line {self.line}",
                value=value or None,
            )
        )

    def get(self, column: str, parse: Callable[[str], T], type: str, expected: str) -> T | None:
        """The parsed value of ``column``, or None after recording an issue."""
        value = self.cells[column]
        if not value:
            self.issue("missing-value", column, "is empty", expected)
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.issue(type, column, f"{value!r} {error}", expected)
            return None


def _row(cells: list[str], line: int, source: str) -> Iterator[BlockResult | Issue]:
    """The BlockResult of one row, or its issues."""
    values = [c.strip() for c in cells]
    if len(values) != len(COLUMNS):
        who = f"candidate {values[0]}" if values[0] else "row without candidate_id"
        yield Issue(
            "bad-row",
            f"{who}: {len(values)} fields where {len(COLUMNS)} were expected ({HEADER})",
            source=source,
            location=f"line {line}",
        )
        return
    row = _Row(dict(zip(COLUMNS, values, strict=True)), line, source)
    candidate_id = row.get("candidate_id", str, "missing-value", "the certifier's candidate identifier")
    given = row.get("given_name", str, "missing-value", "the candidate's given name")
    family = row.get("family_name", str, "missing-value", "the candidate's family name")
    birth = row.get("birth_date", _date, "bad-date", "a date YYYY-MM-DD")
    email = row.get("email", _email, "bad-email", "an e-mail address like name@example.fr")
    certification = row.get(
        "certification", _certification, "bad-certification-code", "a fiche number like RNCP16575"
    )
    block = row.get("block", _block, "bad-block-code", "a block code like RNCP16575BC01")
    decision = row.get("decision", _decision, "bad-decision", "'acquis' or 'non acquis'")
    decided = row.get("decision_date", _date, "bad-date", "a date YYYY-MM-DD")
    route = row.get("access_route", str, "missing-value", "an access route such as VAE or formation continue")
    if certification and block and not block.startswith(certification + "BC"):
        row.issue(
            "bad-block-code",
            "block",
            f"{block!r} is not a block of certification {certification}",
            f"a block code {certification}BCnn",
        )
    if row.issues:
        yield from row.issues
        return
    assert candidate_id and given and family and birth and email and certification and block
    assert decision and decided and route
    yield BlockResult(
        candidate=Candidate(candidate_id, given, family, birth, email),
        certification=certification,
        block=block,
        decision=decision,
        decision_date=decided,
        access_route=route,
        line=line,
    )


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise ValueError("is not a date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real calendar day") from None


def _email(text: str) -> str:
    if not _EMAIL.fullmatch(text):
        raise ValueError("is not an e-mail address")
    return text


def _certification(text: str) -> str:
    code = text.upper()
    if not _CERTIFICATION.fullmatch(code):
        raise ValueError("is not a fiche number")
    return code


def _block(text: str) -> str:
    code = text.upper()
    if not _BLOCK.fullmatch(code):
        raise ValueError("is not a block code")
    return code


def _decision(text: str) -> Decision:
    decision = _DECISIONS.get(" ".join(text.casefold().replace("-", " ").replace("_", " ").split()))
    if decision is None:
        raise ValueError("is not a decision")
    return decision
