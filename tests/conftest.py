"""Shared fixtures: paths of the real samples, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

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


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


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
