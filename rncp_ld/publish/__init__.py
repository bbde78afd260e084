"""A static Linked Data site of the register: ``rncp-ld publish``.

:func:`publish` writes (or updates) the site; :func:`fiche_ntriples` yields every fiche
as (graph IRI, canonical N-Triples) for whatever else wants the per-fiche graphs
(a SPARQL Graph Store push, a triple store load).
"""

from __future__ import annotations

from .site import DOCUMENT_FORMATS, FicheDocument, PublishResult, fiche_documents, fiche_ntriples, publish

__all__ = [
    "DOCUMENT_FORMATS",
    "FicheDocument",
    "PublishResult",
    "fiche_documents",
    "fiche_ntriples",
    "publish",
]
