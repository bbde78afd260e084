"""What a site remembers between publishes: ``SITE/.rncp-ld/state.json``.

Per fiche: the SHA-256 of its canonical N-Triples (sorted lines), its version counter, the
files written for it and whether it was withdrawn. Per site: the base, when it was first
issued and last modified, the last feed timestamp and the feed's pages. JSON with sorted
keys, so an unchanged site keeps the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError

__all__ = ["GENERATOR", "STATE_PATH", "FicheState", "State"]

STATE_PATH = Path(".rncp-ld") / "state.json"
GENERATOR = "rncp-ld-publish/1"
"""Changes when the pages or documents of a fiche would come out differently: every fiche is then rewritten."""


@dataclass
class FicheState:
    hash: str
    version: int
    files: list[str] = field(default_factory=list)
    title: str | None = None
    withdrawn: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"hash": self.hash, "version": self.version, "files": self.files}
        if self.title is not None:
            out["title"] = self.title
        if self.withdrawn:
            out["withdrawn"] = True
        return out


@dataclass
class State:
    base: str
    generator: str = GENERATOR
    issued: str | None = None
    """Timestamp of the first publish."""
    modified: str | None = None
    """Timestamp of the last publish that changed a fiche."""
    timestamp: str | None = None
    """The newest timestamp the feed holds: later members never go below it."""
    pages: int = 0
    last_page_members: int = 0
    fiches: dict[str, FicheState] = field(default_factory=dict)

    @classmethod
    def load(cls, site: Path, base: str) -> State:
        """The state of ``site``, or a fresh one; refuses a site published under another base."""
        path = site / STATE_PATH
        if not path.exists():
            return cls(base=base)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            state = cls(
                base=data["base"],
                generator=data.get("generator", ""),
                issued=data.get("issued"),
                modified=data.get("modified"),
                timestamp=data.get("timestamp"),
                pages=int(data.get("feed", {}).get("pages", 0)),
                last_page_members=int(data.get("feed", {}).get("last_page_members", 0)),
                fiches={k: FicheState(**v) for k, v in data.get("fiches", {}).items()},
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"unreadable publish state: {error}", source=str(path)) from None
        if state.base != base:
            raise ConfigError(
                f"{site} was published with base {state.base!r}, not {base!r}: IRIs never change between "
                "exports (publish into a new folder to change the base)"
            )
        return state

    def to_json(self) -> str:
        data = {
            "base": self.base,
            "generator": self.generator,
            "issued": self.issued,
            "modified": self.modified,
            "timestamp": self.timestamp,
            "feed": {"pages": self.pages, "last_page_members": self.last_page_members},
            "fiches": {k: v.to_dict() for k, v in sorted(self.fiches.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
