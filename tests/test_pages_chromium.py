"""The published pages as a browser renders them: headless Chromium on ``rncp-ld serve``.

``rncp-ld publish`` writes the site of the seed fiche, the server serves it on 127.0.0.1,
and Chromium (Debian packages ``chromium`` and ``chromium-driver``) loads the page of the
certification and of a block: the rendered DOM must show the title, every block and every
competence of the fiche. A screenshot at a phone's size (412 × 915) is kept in
``tests/artifacts/`` (or ``$RNCP_LD_ARTIFACTS``) and its path printed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from rncp_ld.convert import read_all
from rncp_ld.model import Certification
from rncp_ld.publish.serve import make_server
from rncp_ld.report import Report

from conftest import ROOT, SEED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = (412, 915)
BASE = "https://example.org/"
ARTIFACTS = Path(os.environ.get("RNCP_LD_ARTIFACTS", ROOT / "tests" / "artifacts"))

# `make test` installs Chromium (scripts/install_test_tools.sh); in CI its absence is a failure.
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed: apt-get install -y chromium chromium-driver",
)


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _text(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(scope="module")
def fiche() -> Certification:
    (cert,) = read_all([SEED], Report())
    return cert


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed fiche published by ``rncp-ld publish`` (its Python API until the command lands)."""
    from click.testing import CliRunner

    from rncp_ld.cli import cli

    out = tmp_path_factory.mktemp("chromium") / "site"
    result = CliRunner().invoke(cli, ["publish", str(SEED), "-o", str(out), "--base", BASE])
    assert result.exit_code == 0, result.output
    assert (out / "rncp" / "RNCP16575" / "index.html").is_file()
    return out


@pytest.fixture(scope="module")
def address(site: Path) -> Iterator[str]:
    server = make_server(site, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _dom(url: str, profile: Path):
    run = _chromium("--dump-dom", url, profile=profile)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip(), run.stderr[-2000:]
    return lxml_html.fromstring(run.stdout)


def test_certification_page_in_chromium(address, fiche, tmp_path):
    dom = _dom(f"{address}/rncp/{fiche.number}/", tmp_path / "profile")
    assert _text(dom.find(".//title")) == f"{fiche.number} — {fiche.title}"
    (h1,) = dom.findall(".//h1")
    assert _text(h1) == fiche.title
    headings = [_text(h) for h in dom.iterfind(".//h3")]
    items = {_text(li) for li in dom.iterfind(".//li")}
    assert fiche.blocks
    for block in fiche.blocks:
        assert any(block.title in heading and block.code in heading for heading in headings), block.code
        assert block.competences
        for competence in block.competences:
            assert " ".join(competence.split()) in items, competence
    links = {a.get("href") for a in dom.iterfind(".//a")}
    for name in ("index.ttl", "index.jsonld", "index.rdf", "index.nt"):
        assert any(link and link.endswith(name) for link in links), name
    assert dom.find(".//meta[@name='viewport']") is not None


def test_block_page_in_chromium(address, fiche, tmp_path):
    block = fiche.blocks[0]
    short = block.code.removeprefix(fiche.number)
    dom = _dom(f"{address}/rncp/{fiche.number}/{short}/", tmp_path / "profile")
    assert block.title in _text(dom.find(".//h1"))
    items = {_text(li) for li in dom.iterfind(".//li")}
    for competence in block.competences:
        assert " ".join(competence.split()) in items, competence


def test_phone_screenshot(address, fiche, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{fiche.number}-phone.png"
    shot.unlink(missing_ok=True)
    run = _chromium(
        f"--screenshot={shot}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        f"{address}/rncp/{fiche.number}/",
        profile=tmp_path / "profile",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == PHONE
    assert len(data) > 10_000  # a rendered page, not a blank one
    print(f"\nscreenshot: {shot}")


def test_the_iri_itself_opens_the_page(address, fiche, tmp_path):
    """A browser at the IRI (no trailing slash) is redirected to the page, whose links then work."""
    dom = _dom(f"{address}/rncp/{fiche.number}", tmp_path / "profile")
    assert _text(dom.find(".//h1")) == fiche.title
    block = fiche.blocks[0]
    short = block.code.removeprefix(fiche.number)
    link = next(a.get("href") for a in dom.iterfind(".//h3/a") if block.code in _text(a))
    target = urljoin(f"{address}/rncp/{fiche.number}/", link)  # where the redirect left the browser
    assert target.startswith(f"{address}/rncp/{fiche.number}/{short}/"), target
    assert request_status(target) == 200


def request_status(url: str) -> int:
    from urllib.request import Request, urlopen

    with urlopen(Request(url, headers={"Accept": "text/html"}), timeout=10) as response:
        return int(response.status)
