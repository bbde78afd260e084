"""Readers turn a source into :class:`~rncp_ld.model.Certification` objects.

Each reader module has ``read(path) -> Iterator[Certification | Issue]``: a bad fiche
becomes an error :class:`~rncp_ld.report.Issue` and reading goes on; a source that
cannot be read at all raises :class:`~rncp_ld.errors.InputError`. Readers are
imported lazily from :data:`READERS`, so the CLI starts without lxml.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from ..model import Certification
from ..report import Issue

__all__ = ["READERS", "Reader", "detect", "read"]

Reader = Callable[[Path], Iterator["Certification | Issue"]]

READERS: dict[str, str] = {
    "legacy-text": "rncp_ld.readers.legacy_text:read",
    "fc-xml": "rncp_ld.readers.fc_xml:read",
    "fc-csv": "rncp_ld.readers.fc_csv:read",
}
"""Format name → ``module:function`` of its reader."""


def detect(path: Path) -> str:
    """The format of ``path``, from its extension and, for a zip, its members."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n.lower() for n in archive.namelist()]
        except zipfile.BadZipFile:
            raise InputError("not a zip file", source=path.name) from None
        if any(n.endswith(".xml") for n in names):
            return "fc-xml"
        if any(n.endswith(".csv") and "standard" in n for n in names):
            return "fc-csv"
        raise InputError(
            "zip holds neither an XML export nor the CSV export's Standard file",
            source=path.name,
            expected="export-fiches-rncp-v4-1-*.zip or export-fiches-csv-*.zip",
        )
    if suffix == ".xml":
        return "fc-xml"
    if suffix in (".txt", ".md", ".text"):
        return "legacy-text"
    raise InputError(
        f"cannot tell the format of {suffix or 'a file without extension'}",
        source=path.name,
        expected=".xml, .zip (XML or CSV export) or .txt (legacy fiche)",
    )


def get(format: str) -> Reader:
    """The reader function of ``format``, imported on first use."""
    try:
        module, _, func = READERS[format].partition(":")
    except KeyError:
        raise InputError(f"unknown input format {format!r}", expected=", ".join(READERS)) from None
    reader: Reader = getattr(importlib.import_module(module), func)
    return reader


def read(path: Path | str, *, format: str | None = None) -> Iterator[Certification | Issue]:
    """Read every fiche of ``path``; the format is detected unless given."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", source=str(path))
    return get(format or detect(path))(path)
