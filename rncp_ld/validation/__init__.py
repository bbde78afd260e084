"""Validation: SHACL shapes on RDF and fiches, XSD on Europass LOQ XML, reports in four formats.

>>> from rncp_ld import validate
>>> report = validate(["samples/rncp16575.txt"])  # doctest: +SKIP
>>> report.valid, report.stats["fiches-validated"]  # doctest: +SKIP
(True, 1)
"""

from __future__ import annotations

from .formats import FORMATS, render, summary
from .job import INPUT_KINDS, Task, ValidationReport, validate
from .shapes import Shapes, load_shapes

__all__ = [
    "FORMATS",
    "INPUT_KINDS",
    "Shapes",
    "Task",
    "ValidationReport",
    "load_shapes",
    "render",
    "summary",
    "validate",
]
