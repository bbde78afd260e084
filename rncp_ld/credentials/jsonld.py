"""Offline JSON-LD for Data Integrity proofs: local contexts, and RDF with no silent data loss.

**Contexts.** A credential names its contexts by URL. :func:`load_contexts` reads them once
from local files; the :class:`OfflineLoader` of the resulting :class:`Contexts` answers only
those URLs and raises :class:`ContextUnavailableError` ("context X is not available offline")
for any other: nothing is ever fetched while a document is signed or verified. The URLs:

* ``https://www.w3.org/ns/credentials/v2``: ``locate_all("credentials-v2", refs)``;
* ``https://www.w3.org/2018/credentials/v1``: ``locate_all("credentials-v1", refs)``;
* ``https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`` (Open Badges 3.0.3, not
  shipped): the path given as ``ob3``, else the official URL's copy in the cache, if any;
* ``https://www.w3.org/ns/credentials/examples/v2``: built in, ``{"@vocab":
  "https://www.w3.org/ns/credentials/examples#"}`` (as the W3C test vectors resolve it);
* any other URL: only a path given for it in ``extra``.

(:mod:`rncp_ld.artefacts`: a user path, or the official URL's copy in the local cache.) A
default that is not in the cache is simply not available; a path the user gives must exist.

**Safe mode.** JSON-LD processors drop what they cannot map (an undefined term, a relative
IRI, a free-floating value…) without an error, and dropped data is not covered by a proof.
Data Integrity requires an error instead (``DATA_LOSS_DETECTION_ERROR``); PyLD has no "safe"
option (``jsonld.js`` has one), so :func:`to_nquads` runs PyLD through a subclass that raises
:class:`UnsafeJsonLdError` on each case of ``jsonld.js``'s safe mode:

* a key that expands to nothing or to a relative IRI (``invalid property``, ``reserved term``),
  or to a blank node (``blank node predicate``);
* an ``@id``, ``@type`` or ``@vocab`` that stays relative (the base IRI is null, as Data
  Integrity requires; only an absolute ``@base`` in a context makes a relative one absolute),
  or a keyword-like ``@id`` (``reserved @id value``);
* any value or object the expansion drops: a free-floating scalar, ``{"@value": null}``, an
  object with only ``@language``, a top-level empty object, ``@value``, ``@list`` or node with
  only ``@id``;
* ``@direction`` (not representable in RDF without an ``rdfDirection`` mode), and, stricter
  than ``jsonld.js``, ``@index`` (index maps are not RDF, so they would ride along unsigned);

A JSON ``null`` is no data: JSON-LD ignores it, and so does ``jsonld.js``'s safe mode. Then
every term of the RDF dataset is checked before it is serialized (PyLD writes IRIs and
language tags unescaped): IRIs absolute, without spaces, ``<>"{}|^`\\`` or controls; language
tags well-formed BCP 47; text valid Unicode. Only then is it N-Quads, ready for RDFC-1.0.

The subclass hooks private methods of PyLD 3.3 (``_expand``, ``_expand_iri``,
``_object_to_rdf``, ``_graph_to_rdf``); :func:`to_nquads` refuses another PyLD whose hooks
are missing, and the tests break each rule so that an upgrade that bypasses one is seen.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..artefacts import locate, locate_all
from ..errors import ConfigError, RncpLdError

__all__ = [
    "CREDENTIALS_V1_URL",
    "CREDENTIALS_V2_URL",
    "EXAMPLES_V2_CONTEXT",
    "EXAMPLES_V2_URL",
    "OB3_CONTEXT_URL",
    "ContextUnavailableError",
    "Contexts",
    "OfflineLoader",
    "UnsafeJsonLdError",
    "document_loader",
    "load_contexts",
    "to_dataset",
    "to_nquads",
]

CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1_URL = "https://www.w3.org/2018/credentials/v1"
OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXAMPLES_V2_URL = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_V2_CONTEXT: Mapping[str, Any] = MappingProxyType(
    {"@context": MappingProxyType({"@vocab": "https://www.w3.org/ns/credentials/examples#"})}
)
"""The W3C examples context, as the ``vc-di-eddsa`` test vectors resolve it."""

_BUILT_IN = "built-in"
_CACHE_SIZE = 100


class ContextUnavailableError(ConfigError):
    """A document names a JSON-LD context that has no local copy (nothing is fetched)."""


class UnsafeJsonLdError(RncpLdError):
    """A document is not valid JSON-LD, or turning it into RDF would lose data silently.

    ``event`` names the case as ``jsonld.js``'s safe mode does (``invalid property``,
    ``relative @id reference``…), or ``invalid JSON-LD`` and ``invalid RDF term``.
    """

    type = "DATA_LOSS_DETECTION_ERROR"

    def __init__(self, message: str, *, event: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.event = event


# Contexts


class Contexts:
    """Context URL → its JSON document, each from a local file or built in (read-only)."""

    __slots__ = ("_loader", "documents", "missing", "sources")

    def __init__(
        self,
        documents: Mapping[str, Any],
        *,
        sources: Mapping[str, str] | None = None,
        missing: Mapping[str, str] | None = None,
    ) -> None:
        for url, document in documents.items():
            _check_context(document, url, sources.get(url) if sources else None)
        self.documents: Mapping[str, Any] = MappingProxyType(
            {url: _thaw(doc) for url, doc in documents.items()}
        )
        """URL → parsed context document (``{"@context": …}``)."""
        self.sources: Mapping[str, str] = MappingProxyType(
            {url: (sources or {}).get(url, _BUILT_IN) for url in documents}
        )
        """URL → the file it was read from, or ``"built-in"``."""
        self.missing: Mapping[str, str] = MappingProxyType(dict(missing or {}))
        """Known URL without a local copy → why (for the error message)."""
        self._loader: OfflineLoader | None = None

    @property
    def loader(self) -> OfflineLoader:
        """The document loader of these contexts (one per :class:`Contexts`, with its cache)."""
        if self._loader is None:
            self._loader = OfflineLoader(self)
        return self._loader

    def __contains__(self, url: object) -> bool:
        return url in self.documents

    def __repr__(self) -> str:
        return f"Contexts({sorted(self.documents)})"


def load_contexts(
    *,
    credentials_v2: Sequence[str] = (),
    credentials_v1: Sequence[str] = (),
    ob3: Sequence[str] = (),
    extra: Mapping[str, str | Path] | None = None,
    allow_network: bool | None = False,
) -> Contexts:
    """Read the contexts credentials use, from the given paths (or URLs) or else the cache.

    Args:
        credentials_v2: a copy of the VC 2.0 context (default: the cached official URL).
        credentials_v1: a copy of the VC 1.1 context (default: the cached official URL).
        ob3: a copy of the Open Badges 3.0.3 context (default: the cached official URL).
        extra: other context URLs → local file.
        allow_network: fetch a default missing from the cache into it (off; ``None`` follows
            ``RNCP_LD_NETWORK``). Only this setup step may fetch, never signing or verifying.

    Raises:
        ConfigError: a given file is missing, unreadable, not JSON or not a JSON-LD context.
    """
    documents: dict[str, Any] = {EXAMPLES_V2_URL: EXAMPLES_V2_CONTEXT}
    sources: dict[str, str] = {}
    missing: dict[str, str] = {}

    def add(url: str, find: Callable[[], Path], given: bool) -> None:
        try:
            path = find()
        except ConfigError as error:
            if given:
                raise
            missing[url] = str(error)
            return
        documents[url] = _read_context(path, url)
        sources[url] = str(path)

    add(
        CREDENTIALS_V2_URL,
        lambda: locate_all("credentials-v2", tuple(credentials_v2), allow_network=allow_network)[0],
        bool(credentials_v2),
    )
    add(
        CREDENTIALS_V1_URL,
        lambda: locate_all("credentials-v1", tuple(credentials_v1), allow_network=allow_network)[0],
        bool(credentials_v1),
    )
    add(OB3_CONTEXT_URL, lambda: locate((*ob3, OB3_CONTEXT_URL)[0], allow_network=allow_network), bool(ob3))
    for url, ref in (extra or {}).items():
        add(url, partial(locate, str(ref), allow_network=False), True)
    return Contexts(documents, sources=sources, missing=missing)


class OfflineLoader:
    """A PyLD document loader that serves :class:`Contexts` and refuses every other URL.

    It keeps the contexts PyLD resolves (``cache``) for the documents it expands, never in
    PyLD's process-wide cache, where another loader's copy of the same URL could be found.
    Not thread-safe: use one :class:`Contexts` per thread.
    """

    __slots__ = ("cache", "contexts")

    def __init__(self, contexts: Contexts) -> None:
        from cachetools import LRUCache

        self.contexts = contexts
        self.cache: Any = LRUCache(maxsize=_CACHE_SIZE)
        """PyLD's resolved contexts, for this loader only."""

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        document = self.contexts.documents.get(url)
        if document is None:
            why = self.contexts.missing.get(url)
            raise ContextUnavailableError(
                f"context {url} is not available offline" + (f" ({why})" if why else ""),
                expected="a local copy: "
                + ", ".join(sorted(self.contexts.documents))
                + " are loaded; give the file of any other",
            )
        # PyLD rewrites relative URLs inside the context it receives: give it a copy.
        # "static" lets PyLD keep the resolved context in this loader's cache.
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(document),
            "tag": "static",
        }


def document_loader(contexts: Contexts) -> OfflineLoader:
    """The PyLD document loader of ``contexts``."""
    return contexts.loader


def _read_context(path: Path, url: str) -> Any:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"cannot read the context {url}: {error}", source=str(path)) from None
    _check_context(document, url, str(path))
    return document


def _check_context(document: Any, url: str, source: str | None) -> None:
    if not isinstance(document, Mapping) or "@context" not in document:
        raise ConfigError(
            f"not a JSON-LD context (no @context) for {url}", source=source, expected=f"a copy of {url}"
        )


def _thaw(value: Any) -> Any:
    """Plain dicts and lists (PyLD does not take mapping proxies)."""
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(v) for v in value]
    return value


# RDF


def to_dataset(
    document: Mapping[str, Any], loader: Contexts | OfflineLoader
) -> dict[str, list[dict[str, Any]]]:
    """The RDF dataset of a JSON-LD document (PyLD's form), in safe mode, offline.

    Raises:
        UnsafeJsonLdError: invalid JSON-LD, or data that would be dropped.
        ContextUnavailableError: a context without a local copy.
    """
    if isinstance(loader, Contexts):
        loader = loader.loader
    processor, resolver = _processor(loader)
    options = {
        "base": "",
        "documentLoader": loader,
        "contextResolver": resolver,
        "produceGeneralizedRdf": False,
        "processingMode": "json-ld-1.1",
        "extractAllScripts": False,
    }
    from pyld import jsonld  # type: ignore[import-untyped]

    try:
        dataset = processor.to_rdf(_thaw(document), options)
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None
    except RecursionError:
        raise UnsafeJsonLdError("the document is nested too deeply", event="invalid JSON-LD") from None
    _check_dataset(dataset)
    return dict(dataset)


def to_nquads(document: Mapping[str, Any], loader: Contexts | OfflineLoader) -> str:
    """The document's RDF as N-Quads (PyLD, safe mode, offline), not yet canonical.

    Raises:
        UnsafeJsonLdError: invalid JSON-LD, or data that would be dropped.
        ContextUnavailableError: a context without a local copy.
    """
    from pyld.jsonld import JsonLdProcessor  # type: ignore[import-untyped]

    return str(JsonLdProcessor.to_nquads(to_dataset(document, loader)))


def _unwrap(error: BaseException) -> RncpLdError:
    """Our own error under PyLD's wrappers, or the JSON-LD error as an :class:`UnsafeJsonLdError`."""
    cause: BaseException | None = error
    seen = 0
    while cause is not None and seen < 50:
        if isinstance(cause, RncpLdError):
            return cause
        cause = cause.__cause__ or getattr(cause, "cause", None) or cause.__context__
        seen += 1
    detail = getattr(error, "code", None) or ""
    innermost: BaseException = error
    while innermost.__cause__ is not None:
        innermost = innermost.__cause__
    message = str(getattr(innermost, "message", None) or innermost).splitlines()[0]
    return UnsafeJsonLdError(
        f"not valid JSON-LD: {message}" + (f" ({detail})" if detail else ""), event="invalid JSON-LD"
    )


# Safe mode

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_BLANK = re.compile(r"_:[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_processor_class: Any = None


def _processor(loader: OfflineLoader) -> tuple[Any, Any]:
    global _processor_class
    try:
        from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("JSON-LD processing needs PyLD", expected="pip install 'pyld>=3.3'") from None
    if _processor_class is None:
        _processor_class = _safe_processor_class()
    return _processor_class(), ContextResolver(loader.cache, loader)


def _safe_processor_class() -> Any:
    import inspect

    from pyld import jsonld

    base = jsonld.JsonLdProcessor
    hooks = ("_expand", "_expand_iri", "_object_to_rdf", "_graph_to_rdf", "expand")
    if (
        not all(hasattr(base, hook) for hook in hooks)
        or "on_property_dropped" not in inspect.signature(base).parameters
    ):
        raise ConfigError("this PyLD has no hooks for a safe mode", expected="pyld>=3.3")
    is_keyword = jsonld._is_keyword
    is_absolute = jsonld._is_absolute_iri

    def unsafe(event: str, message: str) -> UnsafeJsonLdError:
        return UnsafeJsonLdError(f"{message} ({event}): it would not be signed", event=event)

    def dropped(expanded: str | None) -> None:
        if expanded is None:
            raise unsafe("invalid property", "a term expands to nothing")
        raise unsafe("invalid property", f"the term {expanded!r} is not defined by the contexts")

    class SafeProcessor(base):  # type: ignore[misc, valid-type]
        """PyLD with ``jsonld.js``'s safe mode (see the module documentation)."""

        def __init__(self) -> None:
            super().__init__(on_property_dropped=dropped)

        def expand(self, input_: Any, options: Any) -> Any:
            expanded = super().expand(input_, options)
            _check_expanded(expanded)
            return expanded

        def _expand(
            self, active_ctx: Any, active_property: Any, element: Any, options: Any, *args: Any, **kwargs: Any
        ) -> Any:
            result = super()._expand(active_ctx, active_property, element, options, *args, **kwargs)
            if result is None and element is not None:
                where = f" of {active_property!r}" if active_property else " at the top level"
                raise unsafe(
                    "free-floating value", f"a value{where} is dropped by the expansion: {_short(element)}"
                )
            return result

        def _expand_iri(
            self,
            active_ctx: Any,
            value: Any,
            base: Any = None,
            vocab: bool = False,
            local_ctx: Any = None,
            defined: Any = None,
        ) -> Any:
            result = super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
            if base is None or local_ctx is not None or not isinstance(value, str):
                return result  # a key (the drop handler judges it) or a term definition
            if result is None:
                raise unsafe("reserved @id value", f"{value!r} looks like a keyword")
            if is_keyword(result):
                return result
            unresolved = super()._expand_iri(active_ctx, value, None, vocab)
            if isinstance(unresolved, str) and not is_keyword(unresolved) and not _absolute(unresolved):
                context_base = active_ctx.get("@base")
                if not (isinstance(context_base, str) and _absolute(context_base)):
                    raise unsafe(
                        "relative reference", f"{value!r} is a relative IRI and there is no base IRI"
                    )
            return result

        def _graph_to_rdf(self, graph: Any, issuer: Any, options: Any) -> Any:
            for id_, node in graph.items():
                if not is_absolute(id_):
                    raise unsafe("relative subject reference", f"{id_!r} is not an absolute IRI")
                for property in node:
                    if not is_keyword(property) and (not is_absolute(property) or property.startswith("_:")):
                        raise unsafe("relative predicate reference", f"{property!r} is not an IRI")
            return super()._graph_to_rdf(graph, issuer, options)

        def _object_to_rdf(self, item: Any, issuer: Any, triples: Any, options: Any) -> Any:
            if isinstance(item, dict) and "@direction" in item and not options.get("rdfDirection"):
                raise unsafe("rdfDirection not set", "@direction cannot be represented in RDF here")
            result = super()._object_to_rdf(item, issuer, triples, options)
            if result is None:
                raise unsafe("relative object reference", f"{_short(item)} is not an absolute IRI")
            return result

    return SafeProcessor


def _absolute(value: str) -> bool:
    return value.startswith("_:") or bool(_SCHEME.match(value))


def _check_expanded(value: Any) -> None:
    """Refuse what expansion keeps but RDF drops: ``@index``, ``@direction``, blank-node keys."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, member in item.items():
                if key == "@index":
                    raise UnsafeJsonLdError(
                        "an @index (index map) is not part of the RDF: it would not be signed", event="@index"
                    )
                if key == "@direction":
                    raise UnsafeJsonLdError(
                        "@direction cannot be represented in RDF here: it would not be signed",
                        event="rdfDirection not set",
                    )
                if key.startswith("_:"):
                    raise UnsafeJsonLdError(
                        f"the property {key!r} is a blank node: it would not be signed",
                        event="blank node predicate",
                    )
                if key != "@value":
                    stack.append(member)


def _check_dataset(dataset: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Every term of the dataset writes as a valid N-Quads term (PyLD does not escape IRIs)."""
    for graph, triples in dataset.items():
        if graph != "@default":
            _check_term({"type": "blank node" if graph.startswith("_:") else "IRI", "value": graph})
        for triple in triples:
            _check_term(triple["subject"])
            _check_term(triple["predicate"])
            _check_term(triple["object"])


def _check_term(term: Mapping[str, Any]) -> None:
    value = term["value"]
    if not isinstance(value, str):
        raise UnsafeJsonLdError(f"RDF term {value!r} is not text", event="invalid RDF term")
    kind = term["type"]
    if kind == "IRI":
        _check_iri(value)
    elif kind == "blank node":
        if not _BLANK.fullmatch(value):
            raise UnsafeJsonLdError(f"blank node {_short(value)} is malformed", event="invalid RDF term")
    else:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UnsafeJsonLdError(
                f"text {_short(value)} is not valid Unicode", event="invalid RDF term"
            ) from None
        _check_iri(term["datatype"])
        language = term.get("language")
        if language is not None and not _LANGUAGE.fullmatch(language):
            raise UnsafeJsonLdError(f"{language!r} is not a language tag", event="invalid @language value")


def _check_iri(value: str) -> None:
    if not _SCHEME.match(value) or _IRI_FORBIDDEN.search(value):
        raise UnsafeJsonLdError(f"{_short(value)} is not a valid absolute IRI", event="invalid RDF term")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeJsonLdError(
            f"IRI {_short(value)} is not valid Unicode", event="invalid RDF term"
        ) from None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
