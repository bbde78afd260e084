"""Official artefacts (SHACL shapes, XML Schemas, JSON-LD contexts): a path, or a cached URL.

rncp_ld ships none of the official Europass artefacts. Each one is named here with its
official address (pinned to a release), and the user may give a local path or another URL
instead. A URL is read from the local cache (``$RNCP_LD_CACHE``, default
``~/.cache/rncp-ld``), where it is stored under its host and path so that an XML Schema's
relative imports resolve next to it. The network is off by default: a URL missing from the
cache is fetched only when ``allow_network`` is true or ``RNCP_LD_NETWORK=1``; otherwise the
error says how to get it. ``tests/test_artefacts.py`` serves ``../shared`` on loopback to
check the fetching.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .errors import ConfigError

__all__ = ["ARTEFACTS", "cache_dir", "locate", "locate_all"]

_ELM = "https://raw.githubusercontent.com/european-commission-empl/European-Learning-Model/9d7c5d22002237c3afeb1750b7038e6fe2cdd371/"
_ELM_V2 = "https://raw.githubusercontent.com/european-commission-europass/Europass-Learning-Model/42f397227429e74da16dd2361950612acc8c7f89/"

ARTEFACTS: dict[str, tuple[str, ...]] = {
    "edc-shapes": (_ELM + "rdf/ap/edc/EDC-generic-no-cv.ttl", _ELM + "rdf/ap/edc/EDC-generic-full.ttl"),
    "loq-shapes": (_ELM + "rdf/ap/loq/LOQ-constraints.ttl", _ELM + "rdf/ap/loq/LOQ-constraints-mdr.ttl"),
    "loq-xsd": (_ELM + "xsd/loq/loq.xsd",),
    "europass-xsd": (_ELM_V2 + "Credentials/XSD/flatten/genericschema.xsd",),
    "edc-context": (_ELM + "rdf/ap/edc/edc-ap-context.jsonld",),
    "credentials-v1": ("https://www.w3.org/2018/credentials/v1",),
    "credentials-v2": ("https://www.w3.org/ns/credentials/v2",),
    "ob3-context": ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",),
}
"""Name → official address(es) of each artefact (ELM 3.1 at commit 9d7c5d22, ELM v2 at 42f39722)."""

_IMPORT = re.compile(rb"""<(?:xs|xsd):(?:import|include)\b[^>]*\bschemaLocation\s*=\s*["']([^"']+)["']""")
_TIMEOUT = 30


def cache_dir() -> Path:
    """Where fetched artefacts are kept."""
    return Path(os.environ.get("RNCP_LD_CACHE") or Path.home() / ".cache" / "rncp-ld")


def _cached(url: str) -> Path:
    parts = urlsplit(url)
    path = parts.path.lstrip("/") or "index"
    if path.endswith("/"):
        path += "index"
    return cache_dir() / parts.netloc / path


def _network_allowed(allow_network: bool | None) -> bool:
    return allow_network if allow_network is not None else os.environ.get("RNCP_LD_NETWORK") == "1"


def _fetch(url: str, target: Path) -> None:
    """Download ``url`` to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(response, out)
        os.replace(tmp, target)
    except OSError as error:
        raise ConfigError(f"cannot fetch {url}: {error}") from None


def _fetch_schema_tree(url: str, seen: set[str]) -> None:
    """Fetch an XML Schema and, recursively, the schemas it imports or includes."""
    if url in seen:
        return
    seen.add(url)
    target = _cached(url)
    if not target.exists():
        _fetch(url, target)
    for location in _IMPORT.findall(target.read_bytes()):
        _fetch_schema_tree(urljoin(url, location.decode()), seen)


def locate(ref: str, *, allow_network: bool | None = None) -> Path:
    """A local file for ``ref``: an existing path, or a URL from the cache (fetched if allowed).

    Raises:
        ConfigError: no such file, a URL that is neither cached nor fetchable, or not http(s).
    """
    scheme = urlsplit(ref).scheme
    if scheme in ("http", "https"):
        target = _cached(ref)
        if target.exists():
            return target
        if not _network_allowed(allow_network):
            raise ConfigError(
                f"{ref} is not in the cache ({target})",
                expected="a local path, or RNCP_LD_NETWORK=1 to fetch it once into the cache",
            )
        if ref.endswith(".xsd"):
            _fetch_schema_tree(ref, set())
        else:
            _fetch(ref, target)
        return target
    if scheme and len(scheme) > 1:
        raise ConfigError(f"cannot read {ref}", expected="a local path or an http(s) URL")
    path = Path(ref).expanduser()
    if not path.exists():
        raise ConfigError(f"no such file or folder: {ref}")
    return path


def locate_all(name: str, refs: tuple[str, ...] | list[str] = (), *, allow_network: bool | None = None) -> list[Path]:
    """The files of artefact ``name``: the given ``refs`` (paths, folders or URLs), else its defaults.

    A folder stands for the artefact's official file names inside it, e.g. a local copy of
    the ELM ``rdf/ap/edc`` folder gives its ``EDC-generic-no-cv.ttl`` and ``EDC-generic-full.ttl``.
    """
    if name not in ARTEFACTS:
        raise ConfigError(f"unknown artefact {name!r}", expected=", ".join(ARTEFACTS))
    found: list[Path] = []
    for ref in refs or ARTEFACTS[name]:
        path = locate(ref, allow_network=allow_network)
        if not path.is_dir():
            found.append(path)
            continue
        for default in ARTEFACTS[name]:
            member = path / urlsplit(default).path.rsplit("/", 1)[-1]
            if not member.is_file():
                raise ConfigError(f"{ref} has no {member.name}", expected=f"a copy of the official {name}")
            found.append(member)
    return found
