"""The JSON-LD contexts of a European Digital Credential, read from local files only.

A credential names two contexts by URL: the W3C Verifiable Credentials 1.1 context and the
ELM 3.1 ``edc-ap`` context. Their URLs may serve other versions today (ELM 3.2 and later
changed the ``edc-ap`` context), so they are never fetched while a credential is expanded:
:func:`load_contexts` reads them through :func:`rncp_ld.artefacts.locate_all` (a path given
by the user, or the local cache), and :func:`document_loader` answers only those two URLs.

:func:`to_graph` turns a credential into an rdflib graph for SHACL validation with
``EDC-generic-no-cv.ttl`` + ``EDC-generic-full.ttl``. It expands with PyLD (the W3C context
uses JSON-LD 1.1 ``@protected`` and type-scoped contexts), imported only when called.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..artefacts import locate_all
from ..errors import ConfigError

__all__ = [
    "CREDENTIALS_V1_URL",
    "EDC_CONTEXT_URL",
    "Contexts",
    "document_loader",
    "load_contexts",
    "to_graph",
    "to_nquads",
]

CREDENTIALS_V1_URL = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"

Contexts = Mapping[str, Any]
"""Context URL → its parsed JSON document."""


def load_contexts(
    *,
    edc_context: Sequence[str] = (),
    credentials_v1: Sequence[str] = (),
    allow_network: bool | None = None,
) -> dict[str, Any]:
    """Read both contexts: from the given paths or URLs, else from the cache of their official URLs.

    Raises:
        ConfigError: a file is missing, not JSON, or not a JSON-LD context.
    """
    found: dict[str, Any] = {}
    for url, name, refs in (
        (CREDENTIALS_V1_URL, "credentials-v1", credentials_v1),
        (EDC_CONTEXT_URL, "edc-context", edc_context),
    ):
        path = locate_all(name, tuple(refs), allow_network=allow_network)[0]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ConfigError(f"cannot read the {name} context: {error}", source=str(path)) from None
        if not isinstance(document, dict) or "@context" not in document:
            raise ConfigError(
                f"{path.name} is not a JSON-LD context", source=str(path), expected=f"a copy of {url}"
            )
        found[url] = document
    return found


def document_loader(contexts: Contexts) -> Callable[..., dict[str, Any]]:
    """A PyLD document loader that serves ``contexts`` and refuses every other URL."""

    def load(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            document = contexts[url]
        except KeyError:
            raise ConfigError(
                f"JSON-LD context {url} is not available offline", expected=", ".join(contexts)
            ) from None
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def to_nquads(credential: Mapping[str, Any], contexts: Contexts) -> str:
    """The credential's RDF as N-Quads (PyLD, offline)."""
    try:
        from pyld import jsonld  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("expanding a credential needs PyLD", expected="pip install pyld") from None
    options = {"format": "application/n-quads", "documentLoader": document_loader(contexts)}
    try:
        return str(jsonld.to_rdf(dict(credential), options))
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:  # the loader's ConfigError, under PyLD's wrappers
            if isinstance(cause, ConfigError):
                raise cause from None
            cause = getattr(cause, "cause", None) or cause.__cause__ or cause.__context__
        raise ConfigError(f"the credential is not valid JSON-LD: {error}") from None


def to_graph(credential: Mapping[str, Any], contexts: Contexts) -> Any:
    """The credential as an :class:`rdflib.Graph`.

    A credential has only a default graph (no embedded proof), so its N-Quads are N-Triples.
    """
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=to_nquads(credential, contexts), format="nt")
    return graph
