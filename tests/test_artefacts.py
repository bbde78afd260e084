"""Official artefacts come from a path, a folder or a cached URL; the network is opt-in."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from rncp_ld.artefacts import ARTEFACTS, locate, locate_all
from rncp_ld.errors import ConfigError

from conftest import SHARED

ELM = SHARED / "elm"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNCP_LD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("RNCP_LD_NETWORK", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def server():
    """../shared served on loopback, as the official host would serve it."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SHARED))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_folder_stands_for_the_official_file_names(cache):
    files = locate_all("edc-shapes", [str(ELM / "rdf" / "ap" / "edc")])
    assert [f.name for f in files] == ["EDC-generic-no-cv.ttl", "EDC-generic-full.ttl"]
    assert locate_all("loq-xsd", [str(ELM / "xsd" / "loq")])[0].name == "loq.xsd"


def test_a_file_is_taken_as_is(cache):
    path = ELM / "rdf" / "ap" / "loq" / "LOQ-constraints.ttl"
    assert locate_all("loq-shapes", [str(path)]) == [path]


def test_a_missing_path_or_member_is_a_clear_error(cache, tmp_path):
    with pytest.raises(ConfigError, match="no such file or folder"):
        locate(str(tmp_path / "nope.ttl"))
    with pytest.raises(ConfigError, match=r"has no EDC-generic-no-cv\.ttl"):
        locate_all("edc-shapes", [str(tmp_path)])


def test_urls_are_not_fetched_unless_allowed(cache):
    with pytest.raises(ConfigError, match="not in the cache") as error:
        locate_all("edc-shapes")
    assert "RNCP_LD_NETWORK=1" in str(error.value)
    assert not cache.exists()


def test_a_fetched_schema_brings_its_imports_into_the_cache(cache, server):
    url = server + "elm/xsd/loq/loq.xsd"
    path = locate(url, allow_network=True)
    assert path.read_bytes() == (ELM / "xsd" / "loq" / "loq.xsd").read_bytes()
    assert (path.parent / "cv" / "isced-f.xsd").is_file()
    # now cached: no network needed
    assert locate(url, allow_network=False) == path
    from lxml import etree

    etree.XMLSchema(etree.parse(str(path)))  # imports resolve next to it, offline


def test_every_artefact_has_an_official_https_address():
    for name, urls in ARTEFACTS.items():
        assert urls and all(u.startswith("https://") for u in urls), name
