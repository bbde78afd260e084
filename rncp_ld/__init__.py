"""rncp-ld: linked data for French professional certifications (RNCP and RS fiches).

The public API::

    from rncp_ld import read, convert, to_graph
    for item in read("export_fiches_RNCP_V4_1_2026-08-16.xml"):
        ...  # Certification objects, or Issue objects for bad fiches
"""

from __future__ import annotations

from .convert import convert, read_all, to_graph
from .errors import ConfigError, FicheError, InputError, RncpLdError
from .model import Block, Certification
from .readers import read
from .report import Issue, Report, Severity
from .uris import DEFAULT_BASE, Minter
from .validation import validate

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE",
    "Block",
    "Certification",
    "ConfigError",
    "FicheError",
    "InputError",
    "Issue",
    "Minter",
    "Report",
    "RncpLdError",
    "Severity",
    "__version__",
    "convert",
    "read",
    "read_all",
    "to_graph",
    "validate",
]
