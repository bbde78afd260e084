"""Shared fixtures: paths of the real samples, a CLI runner, the JAdES and XAdES tests' signing keys."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rncp_ld.credentials import keys
from rncp_ld.model import Certification
from rncp_ld.report import Issue

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "samples" / "rncp16575.txt"
RNCP_XML = SHARED / "samples-external" / "mcp-rncp" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "samples-external" / "mcp-rncp" / "export_fiches_RS_fixture.xml"
CSV_ZIP = SHARED / "samples-external" / "api-apprentissage" / "sample" / "export-fiches-csv-2024-02-22.zip"
CSV_ZIP_NFD = (
    SHARED / "samples-external" / "api-apprentissage" / "continuity_fix" / "export-fiches-csv-2024-02-22.zip"
)
MADE = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


def make_signer(directory: Path, alg: str, org_id: str = "NTRFR-552100554") -> keys.SigningKey:
    """A fresh key and self-signed certificate of the certifier in ``directory``, made at ``MADE``."""
    key_path, cert_path = keys.generate(
        directory,
        org_name="Centre ressource AROBASE",
        org_id=org_id,
        country="FR",
        alg=alg,
        clock=lambda: MADE,
    )
    return keys.load(key_path, cert_path, clock=lambda: MADE)


@pytest.fixture(scope="module", params=["ES256", "RS256"])
def signer(request, tmp_path_factory) -> keys.SigningKey:
    """The certifier's key, once per seal algorithm (JAdES and XAdES tests; others define their own)."""
    return make_signer(tmp_path_factory.mktemp(request.param), request.param)


@pytest.fixture(scope="module")
def other(tmp_path_factory) -> keys.SigningKey:
    """Another organisation's key."""
    return make_signer(tmp_path_factory.mktemp("other"), "ES256", "NTRFR-732829320")


def collect(items: Iterable[Certification | Issue]) -> tuple[dict[str, Certification], list[Issue]]:
    """A reader's output split into fiches by number and issues."""
    fiches: dict[str, Certification] = {}
    issues: list[Issue] = []
    for item in items:
        if isinstance(item, Issue):
            issues.append(item)
        else:
            fiches[item.number] = item
    return fiches, issues


def unavailable(reason: str) -> None:
    """A test's outside tool or file is missing: skipped on a developer's machine, a failure in CI.

    ``make test`` installs everything the suite needs, so under CI nothing may be skipped.
    """
    if os.environ.get("CI"):
        pytest.fail(f"missing in CI: {reason}")
    pytest.skip(reason)
