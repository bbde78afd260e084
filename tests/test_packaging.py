"""An installed wheel works outside the repository: package data comes through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("rncp_ld-*.whl"))


def test_wheel_ships_the_vocabularies_and_shapes(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for vocab in ("rome.ttl", "rome-esco.ttl", "nsf.ttl", "levels.ttl"):
        assert f"rncp_ld/vocab/{vocab}" in names
    assert "rncp_ld/shapes/__init__.py" in names
    assert "rncp_ld/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "samples/"))]


def test_installed_wheel_converts_outside_the_repository(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import rncp_ld; assert rncp_ld.__file__.startswith(sys.argv[1]), rncp_ld.__file__;"
        "r = rncp_ld.convert([sys.argv[2]], 'out.ttl'); print(r.stats['fiches-written'], r.stats['triples'])"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code, str(target), str(SEED)], cwd=work, check=True, capture_output=True, text=True
    )
    fiches, triples = map(int, done.stdout.split())
    assert fiches == 1 and triples > 500
    assert "rome/K1801" in (work / "out.ttl").read_text(encoding="utf-8")
