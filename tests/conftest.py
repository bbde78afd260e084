"""Shared fixtures: paths of the real samples, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "samples" / "rncp16575.txt"
RNCP_XML = SHARED / "samples-external" / "mcp-rncp" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "samples-external" / "mcp-rncp" / "export_fiches_RS_fixture.xml"
CSV_ZIP = SHARED / "samples-external" / "api-apprentissage" / "sample" / "export-fiches-csv-2024-02-22.zip"
CSV_ZIP_NFD = SHARED / "samples-external" / "api-apprentissage" / "continuity_fix" / "export-fiches-csv-2024-02-22.zip"


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
