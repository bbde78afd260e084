"""The reader of a jury's results CSV, on samples/results.csv and broken copies of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rncp_ld.errors import InputError
from rncp_ld.model import BlockResult, Candidate, Decision
from rncp_ld.readers.results import COLUMNS, HEADER, read_results
from rncp_ld.report import Issue, Severity

from conftest import ROOT

RESULTS = ROOT / "samples" / "results.csv"
ROW = "AROB-2019-027,Karim,Benali,1991-11-02,k.benali@example.org,RNCP16575,RNCP16575BC01,acquis,2019-06-21,formation continue"


def _csv(
    tmp_path: Path, *rows: str, header: str = HEADER, name: str = "results.csv", newline: str = "\n"
) -> Path:
    path = tmp_path / name
    path.write_bytes(newline.join([header, *rows, ""]).encode("utf-8"))
    return path


def _split(path: Path) -> tuple[list[BlockResult], list[Issue]]:
    results: list[BlockResult] = []
    issues: list[Issue] = []
    for item in read_results(path):
        (issues if isinstance(item, Issue) else results).append(item)
    return results, issues


def _row(**changes: str) -> str:
    cells = dict(zip(COLUMNS, ROW.split(","), strict=True))
    cells.update(changes)
    return ",".join(cells[c] for c in COLUMNS)


def test_sample_rows_are_read_in_full():
    results, issues = _split(RESULTS)
    assert issues == []
    assert len(results) == 12
    assert results[0] == BlockResult(
        candidate=Candidate(
            "AROB-2019-014", "Camille", "Martin", date(1984, 3, 17), "camille.martin@example.fr"
        ),
        certification="RNCP16575",
        block="RNCP16575BC01",
        decision=Decision.ACQUIRED,
        decision_date=date(2019, 6, 21),
        access_route="VAE",
        line=2,
    )
    assert {r.block for r in results} == {"RNCP16575BC01", "RNCP16575BC02", "RNCP16575BC03"}
    assert sum(r.decision is Decision.NOT_ACQUIRED for r in results) == 3
    assert {r.access_route for r in results} == {
        "VAE", "formation continue", "apprentissage", "contrat de professionnalisation",
    }  # fmt: skip
    assert [r.candidate.given_name for r in results if r.candidate.id == "AROB-2020-011"] == ["Aïcha"]
    assert [r.line for r in results] == list(range(2, 14))


def test_bom_crlf_blank_lines_and_spaces_are_tolerated(tmp_path):
    path = tmp_path / "bom.csv"
    text = "\r\n".join([HEADER, "", ROW.replace(",", " , "), "   ", _row(decision="Non Acquis"), ""])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    results, issues = _split(path)
    assert issues == []
    assert [(r.line, r.decision, r.candidate.family_name, r.access_route) for r in results] == [
        (3, Decision.ACQUIRED, "Benali", "formation continue"),
        (5, Decision.NOT_ACQUIRED, "Benali", "formation continue"),
    ]


def test_codes_are_upper_cased(tmp_path):
    (result,), _ = _split(_csv(tmp_path, _row(certification="rncp16575", block="rncp16575bc01")))
    assert (result.certification, result.block) == ("RNCP16575", "RNCP16575BC01")


@pytest.mark.parametrize(
    ("changes", "type", "column", "message"),
    [
        (
            {"decision_date": "21/06/2019"},
            "bad-date",
            "decision_date",
            "candidate AROB-2019-027: decision_date '21/06/2019' is not a date, expected a date YYYY-MM-DD",
        ),
        (
            {"birth_date": "1991-02-30"},
            "bad-date",
            "birth_date",
            "candidate AROB-2019-027: birth_date '1991-02-30' is not a real calendar day, expected a date YYYY-MM-DD",
        ),
        (
            {"email": "k.benali@example"},
            "bad-email",
            "email",
            "candidate AROB-2019-027: email 'k.benali@example' is not an e-mail address, "
            "expected an e-mail address like name@example.fr",
        ),
        (
            {"email": "k benali@example.org"},
            "bad-email",
            "email",
            "candidate AROB-2019-027: email 'k benali@example.org' is not an e-mail address, "
            "expected an e-mail address like name@example.fr",
        ),
        (
            {"decision": "validé"},
            "bad-decision",
            "decision",
            "candidate AROB-2019-027: decision 'validé' is not a decision, expected 'acquis' or 'non acquis'",
        ),
        (
            {"certification": "16575"},
            "bad-certification-code",
            "certification",
            "candidate AROB-2019-027: certification '16575' is not a fiche number, "
            "expected a fiche number like RNCP16575",
        ),
        (
            {"block": "BC01"},
            "bad-block-code",
            "block",
            "candidate AROB-2019-027: block 'BC01' is not a block code, expected a block code like RNCP16575BC01",
        ),
        (
            {"block": "RNCP34000BC01"},
            "bad-block-code",
            "block",
            "candidate AROB-2019-027: block 'RNCP34000BC01' is not a block of certification RNCP16575, "
            "expected a block code RNCP16575BCnn",
        ),
        (
            {"given_name": ""},
            "missing-value",
            "given_name",
            "candidate AROB-2019-027: given_name is empty, expected the candidate's given name",
        ),
    ],
)
def test_a_malformed_cell_is_an_issue_naming_line_candidate_and_column(
    tmp_path, changes, type, column, message
):
    path = _csv(tmp_path, ROW, _row(**changes), _row(candidate_id="AROB-2019-099"))
    results, issues = _split(path)
    assert [r.line for r in results] == [2, 4]
    assert issues == [
        Issue(
            type,
            message,
            Severity.ERROR,
            source="results.csv",
            fiche="RNCP16575" if column != "certification" else "16575",
            location="line 3",
            value=changes[column] or None,
        )
    ]
    assert str(issues[0]).startswith("results.csv:line 3: fiche ")


def test_every_bad_cell_of_a_row_is_reported(tmp_path):
    _, issues = _split(_csv(tmp_path, _row(birth_date="02/11/1991", email="nobody", decision="ok")))
    assert [(i.type, i.location, i.value) for i in issues] == [
        ("bad-date", "line 2", "02/11/1991"),
        ("bad-email", "line 2", "nobody"),
        ("bad-decision", "line 2", "ok"),
    ]


def test_a_row_without_candidate_id_says_so(tmp_path):
    _, issues = _split(_csv(tmp_path, _row(candidate_id="")))
    assert [i.message for i in issues] == [
        "row without candidate_id: candidate_id is empty, expected the certifier's candidate identifier"
    ]


def test_a_row_with_a_wrong_number_of_fields_is_an_issue(tmp_path):
    _, issues = _split(_csv(tmp_path, ROW + ",extra", ROW))
    assert [(i.type, i.location, i.message) for i in issues] == [
        ("bad-row", "line 2", f"candidate AROB-2019-027: 11 fields where 10 were expected ({HEADER})")
    ]


def test_a_quoted_field_spanning_lines_keeps_the_row_start(tmp_path):
    path = _csv(tmp_path, _row(given_name='"Karim\nAli"'), ROW)
    results, issues = _split(path)
    assert issues == []
    assert [(r.line, r.candidate.given_name) for r in results] == [(2, "Karim\nAli"), (4, "Karim")]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace("family_name", "nom"), "wrong header: 'nom' in column 3 where 'family_name' was expected"),
        (HEADER.replace("given_name,family_name", "family_name,given_name"),
         "wrong header: 'family_name' in column 2 where 'given_name' was expected"),
        (HEADER.removesuffix(",access_route"), "wrong header: no column 10 'access_route'"),
        (HEADER + ",comment", "wrong header: an extra column 11 'comment'"),
        (HEADER.replace(",", ";"), f"wrong header: {HEADER.replace(',', ';')!r} in column 1 where 'candidate_id' was expected"),
    ],
)  # fmt: skip
def test_a_wrong_header_is_refused_naming_the_column(tmp_path, header, message):
    with pytest.raises(InputError) as caught:
        list(read_results(_csv(tmp_path, ROW, header=header)))
    error = caught.value
    assert (error.message, error.source, error.location) == (message, "results.csv", "line 1")
    assert error.expected == f"the header {HEADER}"


def test_an_empty_file_or_non_utf8_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="the results file is empty"):
        list(read_results(empty))
    latin = tmp_path / "latin1.csv"
    latin.write_bytes((HEADER + "\n" + _row(given_name="Aïcha") + "\n").encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8 text") as caught:
        list(read_results(latin))
    assert caught.value.source == "latin1.csv"
    with pytest.raises(InputError, match="cannot read the results"):
        list(read_results(tmp_path / "missing.csv"))
