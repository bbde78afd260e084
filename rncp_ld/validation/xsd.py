"""XML Schema validation with lxml, offline: Europass LOQ documents against the official ``loq.xsd``.

rncp-ld ships no XSD: the user names the official schema (``--xsd``; its ``cv/`` and
``external/`` folders beside it, as published by the European Commission). Nothing is
fetched from the network, no DTD is loaded, no entity resolved, and a document with a
DOCTYPE is refused. Every schema error becomes an ``xsd-invalid`` issue with its line.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import ConfigError, InputError
from ..report import Issue, Severity

__all__ = ["LOQ_NAMESPACE", "load_schema", "root_namespace", "validate_document"]

LOQ_NAMESPACE = "http://data.europa.eu/snb/model/ap/loq-constraints/"
"""Namespace of the root element of a LOQ (Learning Opportunities and Qualifications) upload."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


def load_schema(path: str | Path) -> etree.XMLSchema:
    """The XML Schema at ``path`` (its includes and imports read from disk, never the network).

    Raises:
        ConfigError: missing or unreadable file, or not a valid schema.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError("no such XSD file", source=str(path))
    try:
        return etree.XMLSchema(etree.parse(str(path), _parser()))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as error:
        raise ConfigError(f"cannot load the XSD: {_first_line(error)}", source=str(path)) from None


def root_namespace(path: str | Path) -> str | None:
    """The namespace of the root element of an XML file, or None (no namespace, not XML)."""
    try:
        with open(path, "rb") as stream:
            for _, element in etree.iterparse(
                stream, events=("start",), no_network=True, resolve_entities=False, load_dtd=False
            ):
                namespace: str | None = etree.QName(element).namespace
                return namespace
    except (etree.XMLSyntaxError, OSError):
        return None
    return None


def validate_document(
    path: str | Path, schema: etree.XMLSchema, *, schema_name: str | None = None
) -> list[Issue]:
    """Every XSD error of the document at ``path``, as ``xsd-invalid`` issues located by line.

    Raises:
        InputError: the file is not well-formed XML, or declares a DOCTYPE.
    """
    source = str(path)
    try:
        document = etree.parse(source, _parser())
    except (etree.XMLSyntaxError, OSError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(
            f"not well-formed XML: {_first_line(error)}",
            source=source,
            location=f"line {line}" if line else None,
        ) from None
    if document.docinfo.doctype:
        raise InputError("DOCTYPE refused: LOQ documents declare no DTD or entities", source=source)
    if schema.validate(document):
        return []
    return [
        Issue(
            "xsd-invalid",
            error.message,
            Severity.ERROR,
            source,
            location=f"line {error.line}",
            shape=schema_name,
        )
        for error in schema.error_log
    ]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
