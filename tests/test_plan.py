"""Planning credentials from a jury's results, checked against the seed fiche RNCP16575."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from rncp_ld.credentials import Plan, access_route_kind, credential_id, plan
from rncp_ld.errors import ConfigError
from rncp_ld.model import AccessRouteKind, BlockResult, Candidate, Certification, Decision
from rncp_ld.readers import read
from rncp_ld.readers.results import HEADER, read_results
from rncp_ld.report import Issue, Severity

from conftest import ROOT, SEED, collect

RESULTS = ROOT / "samples" / "results.csv"
ISSUER = "NTRFR-552100554"
ROW = "AROB-2019-027,Karim,Benali,1991-11-02,k.benali@example.org,RNCP16575,RNCP16575BC01,acquis,2019-06-21,formation continue"


@pytest.fixture(scope="module")
def seed() -> Certification:
    fiches, _ = collect(read(SEED))
    return fiches["RNCP16575"]


def _row(**changes: str) -> str:
    cells = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    cells.update(changes)
    return ",".join(cells.values())


def _plan(tmp_path: Path, seed: Certification, *rows: str, issuer: str = ISSUER) -> Plan:
    path = tmp_path / "results.csv"
    path.write_text("\n".join([HEADER, *rows, ""]), encoding="utf-8")
    return plan(seed, read_results(path), issuer_id=issuer, source=path.name)


def _errors(p: Plan) -> list[tuple[str, str | None, str]]:
    return [(i.type, i.location, i.message) for i in p.errors]


# The sample


def test_sample_plans_one_credential_per_acquired_block_and_the_full_certification(seed):
    p = plan(seed, read_results(RESULTS), issuer_id=ISSUER, source="results.csv")
    assert p.valid and p.issues == ()
    assert [(c.candidate.id, c.code) for c in p.credentials] == [
        ("AROB-2019-014", "RNCP16575BC01"),
        ("AROB-2019-014", "RNCP16575BC02"),
        ("AROB-2019-014", "RNCP16575BC03"),
        ("AROB-2019-027", "RNCP16575BC01"),
        ("AROB-2019-031", "RNCP16575BC03"),
        ("AROB-2020-003", "RNCP16575BC01"),
        ("AROB-2020-003", "RNCP16575BC02"),
        ("AROB-2020-011", "RNCP16575BC02"),
        ("AROB-2021-005", "RNCP16575BC03"),
        ("AROB-2019-014", "RNCP16575"),
    ]
    assert [(r.candidate.id, r.block) for r in p.not_acquired] == [
        ("AROB-2019-027", "RNCP16575BC02"),
        ("AROB-2020-003", "RNCP16575BC03"),
        ("AROB-2021-005", "RNCP16575BC01"),
    ]
    blocks = {c.code: c for c in p.credentials if c.candidate.id == "AROB-2019-014"}
    full = blocks["RNCP16575"]
    assert full.full and full.block is None and full.certification is seed
    assert full.parts == tuple(blocks[f"RNCP16575BC0{n}"].id for n in (1, 2, 3))
    assert [r.line for r in full.results] == [2, 3, 4]
    assert full.awarded == date(2020, 1, 24)
    assert full.access_route is AccessRouteKind.VAE
    assert full.id == credential_id(ISSUER, "AROB-2019-014", "RNCP16575")
    bc02 = blocks["RNCP16575BC02"]
    assert not bc02.full and bc02.block is seed.blocks[1] and bc02.parts == ()
    assert bc02.block.title == "Conduite et animation d'un projet social ou d'insertion"
    assert bc02.awarded == date(2019, 6, 21)
    assert bc02.id == credential_id(ISSUER, "AROB-2019-014", "RNCP16575BC02", Decision.ACQUIRED)


def test_a_candidate_missing_a_block_gets_no_full_certification(tmp_path, seed):
    rows = [_row(block=f"RNCP16575BC0{n}") for n in (1, 2)] + [
        _row(block="RNCP16575BC03", decision="non acquis")
    ]
    p = _plan(tmp_path, seed, *rows)
    assert [c.code for c in p.credentials] == ["RNCP16575BC01", "RNCP16575BC02"]


def test_full_certification_with_blocks_through_different_routes_has_no_single_route(tmp_path, seed):
    rows = [_row(block="RNCP16575BC01", access_route="VAE")]
    rows += [_row(block=f"RNCP16575BC0{n}") for n in (2, 3)]
    full = _plan(tmp_path, seed, *rows).credentials[-1]
    assert full.full and full.access_route is None


# Deterministic identifiers


def test_identifiers_are_deterministic(seed):
    first = plan(seed, read_results(RESULTS), issuer_id=ISSUER)
    again = plan(seed, read_results(RESULTS), issuer_id=ISSUER)
    assert [c.id for c in first.credentials] == [c.id for c in again.credentials]
    assert len({c.id for c in first.credentials}) == 10
    assert all(uuid.UUID(c.id).version == 5 and c.id.startswith("urn:uuid:") for c in first.credentials)
    other = plan(seed, read_results(RESULTS), issuer_id="NTRFR-732829320")
    assert not {c.id for c in first.credentials} & {c.id for c in other.credentials}


def test_identifier_depends_on_issuer_candidate_code_and_decision():
    base = credential_id(ISSUER, "AROB-2019-014", "RNCP16575BC01", Decision.ACQUIRED)
    assert base == credential_id(ISSUER, "AROB-2019-014", "RNCP16575BC01", "acquis")
    assert base == "urn:uuid:" + str(
        uuid.uuid5(
            uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/rncp-ld/credential"),
            '["NTRFR-552100554", "AROB-2019-014", "RNCP16575BC01", "acquis"]',
        )
    )
    others = {
        credential_id(ISSUER, "AROB-2019-014", "RNCP16575BC01", Decision.NOT_ACQUIRED),
        credential_id(ISSUER, "AROB-2019-014", "RNCP16575BC02"),
        credential_id(ISSUER, "AROB-2019-015", "RNCP16575BC01"),
        credential_id("NTRFR-732829320", "AROB-2019-014", "RNCP16575BC01"),
        credential_id(ISSUER, "AROB-2019-014", "RNCP16575"),
    }
    assert base not in others and len(others) == 5


def test_identifier_does_not_depend_on_decision_date_or_line(tmp_path, seed):
    one = _plan(tmp_path, seed, ROW).credentials
    two = _plan(tmp_path, seed, _row(candidate_id="X"), _row(decision_date="2019-07-01")).credentials
    assert one[0].id == two[1].id


# Errors against the fiche


def test_unknown_certification(tmp_path, seed):
    p = _plan(tmp_path, seed, ROW, _row(certification="RNCP99999", block="RNCP99999BC01"))
    assert _errors(p) == [
        (
            "unknown-certification",
            "line 3",
            "candidate AROB-2019-027: certification RNCP99999 is not the fiche given (expected RNCP16575)",
        )
    ]
    assert p.errors[0].fiche == "RNCP99999" and p.errors[0].source == "results.csv"
    assert [c.code for c in p.credentials] == ["RNCP16575BC01"]


def test_several_fiches_can_be_given(tmp_path, seed):
    other = replace(
        seed,
        number="RNCP99999",
        blocks=tuple(replace(b, code=b.code.replace("16575", "99999")) for b in seed.blocks),
    )
    path = tmp_path / "results.csv"
    path.write_text(
        "\n".join([HEADER, ROW, _row(certification="RNCP99999", block="RNCP99999BC01"), ""]), encoding="utf-8"
    )
    p = plan([seed, other], read_results(path), issuer_id=ISSUER)
    assert p.valid and [c.code for c in p.credentials] == ["RNCP16575BC01", "RNCP99999BC01"]


def test_unknown_block(tmp_path, seed):
    p = _plan(tmp_path, seed, _row(block="RNCP16575BC04"))
    assert _errors(p) == [
        (
            "unknown-block",
            "line 2",
            "candidate AROB-2019-027: block RNCP16575BC04 is not a block of RNCP16575 "
            "(expected one of RNCP16575BC01, RNCP16575BC02, RNCP16575BC03)",
        )
    ]
    assert p.credentials == ()


def test_decision_after_the_end_of_registration(tmp_path, seed):
    p = _plan(
        tmp_path,
        seed,
        _row(decision_date="2021-10-04"),
        _row(candidate_id="LATE", decision_date="2021-10-05"),
    )
    assert _errors(p) == [
        (
            "decision-after-registration",
            "line 3",
            "candidate LATE: decision_date 2021-10-05 is after the end of the certification's registration on 2021-10-04",
        )
    ]
    assert [c.candidate.id for c in p.credentials] == ["AROB-2019-027"]


def test_decision_before_registration(tmp_path, seed):
    # Without its start-less prorogation the seed's registration starts on 3 March 2007.
    registered = replace(seed, registrations=tuple(r for r in seed.registrations if r.start))
    p = _plan(
        tmp_path,
        registered,
        _row(decision_date="2007-03-03"),
        _row(candidate_id="EARLY", decision_date="2007-03-02"),
    )
    assert _errors(p) == [
        (
            "decision-before-registration",
            "line 3",
            "candidate EARLY: decision_date 2007-03-02 is before the certification's first registration, from 2007-03-03",
        )
    ]


def test_seed_prorogation_without_a_start_covers_earlier_decisions_but_not_the_gap(tmp_path, seed):
    # The seed: prorogation "jusqu'au 31 décembre 2006" (no start), then registered from 3 March 2007.
    assert [(r.start, r.end) for r in seed.registrations][:2] == [
        (None, date(2006, 12, 31)),
        (date(2007, 3, 3), date(2012, 3, 3)),
    ]
    p = _plan(
        tmp_path,
        seed,
        _row(candidate_id="A", decision_date="2005-06-30"),
        _row(candidate_id="B", decision_date="2007-01-15"),
        _row(candidate_id="C", decision_date="2012-03-03"),
    )
    assert _errors(p) == [
        (
            "decision-between-registrations",
            "line 3",
            "candidate B: decision_date 2007-01-15 is between two registrations of the certification "
            "(one ended on 2006-12-31, the next began on 2007-03-03)",
        )
    ]
    assert [c.candidate.id for c in p.credentials] == ["A", "C"]


def test_a_fiche_with_only_effective_and_end_dates(tmp_path, seed):
    xml_like = replace(seed, registrations=(), effective_date=date(2016, 8, 22), end_date=date(2021, 10, 4))
    p = _plan(tmp_path, xml_like, _row(decision_date="2016-08-21"), _row(candidate_id="OK"))
    assert [i.type for i in p.errors] == ["decision-before-registration"]
    undated = replace(seed, registrations=(), effective_date=None, end_date=None)
    assert _plan(tmp_path, undated, _row(decision_date="1990-01-01")).valid


@pytest.mark.parametrize(
    ("wording", "kind"),
    [
        ("VAE", AccessRouteKind.VAE),
        ("vae", AccessRouteKind.VAE),
        ("Validation des acquis de l'expérience", AccessRouteKind.VAE),
        ("formation continue", AccessRouteKind.FC),
        ("Formation Continue", AccessRouteKind.FC),
        ("apprentissage", AccessRouteKind.CA),
        ("Contrat d’apprentissage", AccessRouteKind.CA),
        ("formation initiale", AccessRouteKind.FI),
        ("contrat de professionnalisation", AccessRouteKind.CQ),
        ("candidature individuelle", AccessRouteKind.CL),
        ("CQ", AccessRouteKind.CQ),
        ("Après un parcours de formation continue", AccessRouteKind.FC),
        ("stage", None),
    ],
)
def test_access_route_wordings(wording, kind):
    assert access_route_kind(wording) is kind


def test_access_route_closed_on_the_fiche_or_unknown(tmp_path, seed):
    p = _plan(
        tmp_path,
        seed,
        _row(access_route="formation initiale"),
        _row(candidate_id="B", access_route="Candidature individuelle"),
        _row(candidate_id="C", access_route="stage"),
        _row(candidate_id="D", access_route="Apprentissage"),
    )
    assert _errors(p) == [
        (
            "closed-access-route",
            "line 2",
            "candidate AROB-2019-027: access_route 'formation initiale' (Après un parcours de formation sous statut "
            "d'élève ou d'étudiant) is not open on RNCP16575 (open: CA (En contrat d'apprentissage), "
            "FC (Après un parcours de formation continue), CQ (En contrat de professionnalisation), VAE (Par expérience))",
        ),
        (
            "closed-access-route",
            "line 3",
            "candidate B: access_route 'Candidature individuelle' (Par candidature individuelle) is not open on "
            "RNCP16575 (open: CA (En contrat d'apprentissage), FC (Après un parcours de formation continue), "
            "CQ (En contrat de professionnalisation), VAE (Par expérience))",
        ),
        (
            "unknown-access-route",
            "line 4",
            "candidate C: access_route 'stage' is not an access route (expected VAE, formation continue, "
            "apprentissage, formation initiale, contrat de professionnalisation or candidature individuelle)",
        ),
    ]
    assert [(c.candidate.id, c.access_route) for c in p.credentials] == [("D", AccessRouteKind.CA)]


def test_a_row_gets_every_problem_it_has(tmp_path, seed):
    p = _plan(tmp_path, seed, _row(block="RNCP16575BC09", decision_date="2022-01-01", access_route="stage"))
    assert [i.type for i in p.errors] == [
        "unknown-block",
        "decision-after-registration",
        "unknown-access-route",
    ]


# Duplicates


def test_identical_duplicate_is_issued_once_with_a_warning(tmp_path, seed):
    p = _plan(tmp_path, seed, ROW, _row(block="RNCP16575BC02"), ROW)
    assert p.valid
    assert [c.code for c in p.credentials] == ["RNCP16575BC01", "RNCP16575BC02"]
    assert [(i.type, i.severity, i.location, i.message) for i in p.issues] == [
        (
            "duplicate-row",
            Severity.WARNING,
            "line 4",
            "candidate AROB-2019-027: line 4 repeats line 2 (block RNCP16575BC01); issued once",
        )
    ]


def test_conflicting_duplicate_reports_every_row_and_issues_none(tmp_path, seed):
    p = _plan(tmp_path, seed, ROW, _row(block="RNCP16575BC02"), _row(decision="non acquis"), ROW)
    assert _errors(p) == [
        (
            "conflicting-duplicate",
            "line 2",
            "candidate AROB-2019-027: block RNCP16575BC01 also on line 4 with a different decision 'acquis' here, "
            "'non acquis' there; none of these rows is issued",
        ),
        (
            "conflicting-duplicate",
            "line 4",
            "candidate AROB-2019-027: block RNCP16575BC01 also on lines 2, 5 with a different decision 'non acquis' "
            "here, 'acquis' there; none of these rows is issued",
        ),
        (
            "conflicting-duplicate",
            "line 5",
            "candidate AROB-2019-027: block RNCP16575BC01 also on line 4 with a different decision 'acquis' here, "
            "'non acquis' there; none of these rows is issued",
        ),
    ]
    assert [c.code for c in p.credentials] == ["RNCP16575BC02"]
    assert p.not_acquired == ()


def test_conflicting_decision_date_is_a_conflict_too(tmp_path, seed):
    p = _plan(tmp_path, seed, ROW, _row(decision_date="2019-07-01"))
    assert [(i.type, i.location) for i in p.errors] == [
        ("conflicting-duplicate", "line 2"),
        ("conflicting-duplicate", "line 3"),
    ]
    assert "decision_date '2019-06-21' here, '2019-07-01' there" in p.errors[0].message
    assert p.credentials == ()


def test_candidate_details_that_differ_between_rows_are_refused(tmp_path, seed):
    p = _plan(tmp_path, seed, ROW, _row(block="RNCP16575BC02", email="karim.benali@example.org"))
    assert _errors(p) == [
        (
            "conflicting-candidate",
            "line 2",
            "candidate AROB-2019-027: the candidate's details differ between rows (email 'k.benali@example.org' "
            "here, 'karim.benali@example.org' on line 3); none of the candidate's rows is issued",
        ),
        (
            "conflicting-candidate",
            "line 3",
            "candidate AROB-2019-027: the candidate's details differ between rows (email 'karim.benali@example.org' "
            "here, 'k.benali@example.org' on line 2); none of the candidate's rows is issued",
        ),
    ]
    assert p.credentials == ()


# Reader issues, options, scale


def test_reader_issues_are_kept_in_line_order(tmp_path, seed):
    p = _plan(
        tmp_path,
        seed,
        _row(block="RNCP16575BC04"),
        _row(candidate_id="B", email="nobody"),
        _row(candidate_id="C"),
    )
    assert [(i.type, i.location) for i in p.issues] == [("unknown-block", "line 2"), ("bad-email", "line 3")]
    assert [c.candidate.id for c in p.credentials] == ["C"]
    assert not p.valid


def test_issuer_id_is_required(seed):
    with pytest.raises(ConfigError, match="the issuer identifier is empty"):
        plan(seed, [], issuer_id=" ")


def test_ten_thousand_rows_plan_fast(seed):
    rows: list[BlockResult | Issue] = []
    for n in range(3334):
        candidate = Candidate(f"C{n:05}", "Camille", "Martin", date(1990, 1, 1), f"c{n}@example.fr")
        for b, block in enumerate(seed.blocks):
            rows.append(
                BlockResult(
                    candidate,
                    "RNCP16575",
                    block.code,
                    Decision.ACQUIRED,
                    date(2019, 6, 21) + timedelta(days=n % 300),
                    "VAE",
                    line=2 + 3 * n + b,
                )
            )
    start = time.perf_counter()
    p = plan(seed, rows, issuer_id=ISSUER)
    elapsed = time.perf_counter() - start
    assert p.valid and len(p.credentials) == 4 * 3334
    assert elapsed < 2.0, elapsed
