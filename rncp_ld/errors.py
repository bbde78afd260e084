"""Exceptions of rncp_ld.

Hierarchy::

    RncpLdError              anything rncp_ld refuses to do
    ├── InputError           a source cannot be read at all (truncated, not an export, unsafe XML)
    ├── FicheError           one fiche is malformed; batch readers report it and go on
    └── ConfigError          bad option, base URI or missing package data

Data problems inside a batch are not raised: readers yield an :class:`~rncp_ld.report.Issue`
and go on. ``str()`` of an error is one line: ``file:line: fiche RNCP16575: message``.
"""

from __future__ import annotations

__all__ = ["ConfigError", "FicheError", "InputError", "RncpLdError"]


class RncpLdError(Exception):
    """Root of every error raised by rncp_ld."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        fiche: str | None = None,
        location: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.fiche = fiche
        self.location = location
        self.expected = expected

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source, self.location) if p)
        parts = [where] if where else []
        if self.fiche:
            parts.append(f"fiche {self.fiche}")
        text = self.message
        if self.expected:
            text += f" (expected {self.expected})"
        parts.append(text)
        return ": ".join(parts)


class InputError(RncpLdError):
    """A source cannot be read: not an export, truncated, unsafe or unreadable."""


class FicheError(RncpLdError):
    """One fiche is malformed (bad date, missing number, unknown level...)."""


class ConfigError(RncpLdError):
    """An option, base URI or resource is unusable."""
