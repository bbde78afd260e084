"""Parsing of the small values every reader meets: dates, booleans, levels, SIRET.

Each parser takes the raw text and returns the value, or raises ``ValueError``
with a message naming what was expected; readers turn that into a FicheError
carrying the file, fiche and element.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from itertools import zip_longest

__all__ = [
    "FRENCH_MONTHS",
    "clean",
    "header_mismatch",
    "parse_bool",
    "parse_date",
    "parse_french_date",
    "parse_int",
    "parse_level",
    "parse_siret",
]

FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip

_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_FRENCH_DATE = re.compile(r"(1er|\d{1,2})\s+([A-Za-zÀ-ÿ]+)\s+(\d{4})")


def clean(text: str | None) -> str | None:
    """Strip ``text`` and collapse nothing else; empty becomes None."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def parse_date(text: str) -> date:
    """``dd/mm/yyyy`` (or ``dd-mm-yyyy``) to a date."""
    m = _DMY.fullmatch(text.strip())
    if not m:
        raise ValueError(f"bad date {text!r}, expected dd/mm/yyyy")
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"bad date {text!r}, expected a real calendar day (dd/mm/yyyy)") from None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def parse_french_date(text: str) -> date:
    """``23 février 2007`` or ``1er mars 2010`` to a date."""
    m = _FRENCH_DATE.fullmatch(" ".join(text.split()))
    if not m:
        raise ValueError(f"bad date {text!r}, expected a French date like '23 février 2007'")
    day = 1 if m.group(1) == "1er" else int(m.group(1))
    month = FRENCH_MONTHS.get(_fold(m.group(2)))
    if month is None:
        raise ValueError(f"bad month {m.group(2)!r} in {text!r}")
    try:
        return date(int(m.group(3)), month, day)
    except ValueError:
        raise ValueError(f"bad date {text!r}, not a real calendar day") from None


def parse_bool(text: str) -> bool:
    """``Oui``/``Non`` (and ``ACTIVE``/``INACTIVE``, ``Actif``/``Inactif``) to a bool."""
    value = text.strip().lower()
    if value in ("oui", "active", "actif", "true"):
        return True
    if value in ("non", "inactive", "inactif", "false"):
        return False
    raise ValueError(f"bad boolean {text!r}, expected Oui or Non")


def parse_int(text: str) -> int:
    """A non-negative integer."""
    value = text.strip()
    if not value.isdigit():
        raise ValueError(f"bad number {text!r}, expected digits")
    return int(value)


_NO_LEVEL = {"REPRISE", "AUCUN", "SANS NIVEAU", "NIVSANS"}


def parse_level(text: str) -> int | None:
    """``NIV3``..``NIV8`` to 3..8; ``REPRISE``/``AUCUN`` (no level) to None."""
    value = text.strip().upper()
    if value in _NO_LEVEL:
        return None
    m = re.fullmatch(r"NIV([1-8])", value)
    if not m:
        raise ValueError(f"unknown level {text!r}, expected NIV1 to NIV8, REPRISE or AUCUN")
    return int(m.group(1))


def parse_siret(text: str) -> str:
    """A 14-digit SIRET; a tab or spaces around or inside it are removed."""
    value = "".join(text.split())
    if not re.fullmatch(r"\d{14}", value):
        raise ValueError(f"bad SIRET {text.strip()!r}, expected 14 digits")
    return value


def header_mismatch(
    header: Sequence[str], columns: Sequence[str]
) -> tuple[int, str | None, str | None] | None:
    """The first column (1-based) where a CSV ``header`` differs from ``columns``: (index, got, wanted).

    ``got`` is None when the header lacks the column, ``wanted`` None for an extra column;
    None when the header is exactly ``columns`` (cells stripped).
    """
    for index, (got, want) in enumerate(zip_longest((h.strip() for h in header), columns), 1):
        if got != want:
            return index, got, want
    return None
