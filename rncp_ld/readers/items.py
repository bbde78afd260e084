"""Split the flattened list texts of the exports into items.

The XML export has no line breaks: list items survive only as runs of two or
more spaces, often with a bullet glyph (``*``, ``•``, ``-``, ``–``, ``o``, ``▸``)
or a code (``A1C1.``, ``C.1.``, ``1.1.1``). Legacy text uses line breaks instead.

The same runs of spaces also appear inside sentences, where the source had a
wrapped line. So a gap starts a new item only when what follows looks like the
start of one: a bullet, a code, a capital letter or a digit. A piece starting
with a lower-case letter or with punctuation continues the previous item.
Bullets are removed, item codes are kept (they name the competence), and the
pieces of an item are joined by one space. Both levels of a ``*``/``o`` list become
items. A text without any structure is one item: nothing is guessed.
"""

from __future__ import annotations

import re

__all__ = ["split_items"]

_GAP = re.compile(r"\s{2,}|[\n\r\t\f\v]")
_HARD_BREAKS = ("\n", "\r", "\t", "\f", "\v", "\u00a0")
# a bullet glued to the previous item by a single space: "item one • item two"
_INLINE_BULLET = re.compile(r"\s+(?=[•▸►▪●◦]\s)")
_INLINE_GLYPHS = ("•", "▸", "►", "▪", "●", "◦")
_BULLET = re.compile(r"(?:[*•\-–—▸►▪●◦·]|o(?=\s|$))\s*")
_BULLET_STARTS = frozenset("*•-–—▸►▪●◦·o")
# an item code standing alone, its text after the gap: "3.1", "C5.", "A1C1.", "C.1."
_CODE = re.compile(r"(?:[A-Z]{1,3}\.?)?\d+(?:\.?[A-Z]{0,3}\.?\d+)*[.)°:]?")
_CODE_MAX = 12  # "A12.C10." is about the longest
# a bare number then a lower-case word continues a sentence: "évaluations  360° ou"
_NUMBER_WORD = re.compile(r"\d+[°%]?\s+[a-zà-ÿœæ]")
_CONTINUATION_PUNCT = frozenset(",;:.()[]{}»…%/&")
_PUNCT_ONLY = re.compile(r"[\W_]+")


def split_items(text: str | None) -> tuple[str, ...]:
    """The items of a flattened list, bullets removed, empty pieces dropped.

    >>> split_items("* Coder      * Installer un poste")
    ('Coder', 'Installer un poste')
    >>> split_items("- Valider une solution   technique  - Suivre l’opération")
    ('Valider une solution technique', 'Suivre l’opération')
    >>> split_items("Une seule phrase sans liste.")
    ('Une seule phrase sans liste.',)
    """
    if not text or not text.strip():
        return ()
    if "  " not in text and not any(brk in text for brk in _HARD_BREAKS):
        return _whole(text.strip())
    items: list[str] = []
    prefix: str | None = None  # a lone bullet ("") or code waiting for its text
    for piece in _pieces(text):
        piece = piece.strip()
        if not piece:
            continue
        bullet = _BULLET.match(piece) if piece[0] in _BULLET_STARTS else None
        if bullet:
            piece = piece[bullet.end() :]
            if not piece:  # a lone bullet: the text after the gap is a new item
                prefix = prefix or ""
                continue
        if len(piece) <= _CODE_MAX and _is_code(piece):
            prefix = f"{prefix} {piece}".strip() if prefix else piece
        elif prefix is not None:
            items.append(f"{prefix} {piece}" if prefix else piece)
            prefix = None
        elif items and not bullet and _continues(piece):
            items[-1] += " " + piece
        else:
            items.append(piece)
    if prefix:
        items.append(prefix)
    return tuple(item for item in items if item[0].isalnum() or not _PUNCT_ONLY.fullmatch(item))


def _whole(text: str) -> tuple[str, ...]:
    """A text without gaps: one item, bar a leading bullet or inline bullets."""
    if text[0] in _BULLET_STARTS or any(glyph in text for glyph in _INLINE_GLYPHS):
        return split_items(text + "  ")
    return (text,) if text[0].isalnum() or not _PUNCT_ONLY.fullmatch(text) else ()


def _pieces(text: str) -> list[str]:
    """``text`` cut at line breaks and runs of spaces (``str.split`` when it can)."""
    if any(glyph in text for glyph in _INLINE_GLYPHS):
        text = _INLINE_BULLET.sub("  ", text)
    if any(brk in text for brk in _HARD_BREAKS):
        return _GAP.split(text)
    return text.split("  ")  # a run of n spaces leaves empty or blank pieces, dropped later


def _is_code(piece: str) -> bool:
    """True for an item code standing alone ("3.1", "C5."), not for a year."""
    return bool(_CODE.fullmatch(piece)) and (len(piece) <= 3 or not piece.isdigit())


def _continues(piece: str) -> bool:
    """True when ``piece`` goes on with the sentence before the gap."""
    first = piece[0]
    if first.islower() or first in _CONTINUATION_PUNCT:
        return True
    return first.isdigit() and bool(_NUMBER_WORD.match(piece))
