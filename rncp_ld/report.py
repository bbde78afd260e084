"""Problems found while reading or checking, as data.

Readers yield :class:`Issue` objects next to the fiches they read; commands
collect them in a :class:`Report` whose ``valid`` flag sets the exit code.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import RncpLdError

__all__ = ["Issue", "Report", "Severity"]


class Severity(str, enum.Enum):
    """How serious an issue is: errors make a run fail, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, with a stable kebab-case ``type`` and where it was found."""

    type: str
    message: str
    severity: Severity = Severity.ERROR
    source: str | None = None
    fiche: str | None = None
    location: str | None = None
    """Line (``line 12``) or element path (``FICHE[3]/BLOC_COMPETENCES/CODE``)."""
    focus: str | None = None
    """Focus node of a SHACL result (an IRI)."""
    path: str | None = None
    """Property path of a SHACL result."""
    value: str | None = None
    """The offending value, when there is one."""
    shape: str | None = None
    """The shape (or XSD) that was not met."""

    @classmethod
    def from_error(cls, error: RncpLdError, type: str) -> Issue:
        """An error-severity issue carrying the facts of ``error``."""
        message = error.message + (f" (expected {error.expected})" if error.expected else "")
        return cls(type, message, Severity.ERROR, error.source, error.fiche, error.location)

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source, self.location) if p)
        parts = [where] if where else []
        if self.fiche:
            parts.append(f"fiche {self.fiche}")
        parts.append(f"{self.severity.value}: {self.message} [{self.type}]")
        return ": ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping, keys in a stable order."""
        return {
            "type": self.type,
            "severity": self.severity.value,
            "message": self.message,
            "source": self.source,
            "fiche": self.fiche,
            "location": self.location,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "shape": self.shape,
        }


@dataclass(slots=True)
class Report:
    """The outcome of a run: counts and issues."""

    issues: list[Issue] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        """True when no issue is an error."""
        return not self.errors

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "stats": dict(sorted(self.stats.items())),
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
