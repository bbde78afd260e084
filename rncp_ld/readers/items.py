"""Split the flattened list texts of the exports into items.

The XML export has no line breaks: list items survive only as runs of two or
more spaces, often with a bullet glyph (``*``, ``•``, ``-``, ``–``, ``o``, ``▸``)
or a code (``A1C1.``, ``C.1.``, ``1.1.1``). Legacy text uses line breaks instead.
Bullets are removed; item codes are kept, as they name the competence. A text
without any structure is one item: nothing is guessed.
"""

from __future__ import annotations

import re

__all__ = ["split_items"]

_BREAK = re.compile(r"\s*(?:\n|\r|\t| {2,}|\u00a0{2,})\s*")
_BULLET = re.compile(r"^(?:[*•\-–—▸►▪●·]|o(?=\s))\s*")
# a bullet glued to the previous item by a single space: "item one • item two"
_INLINE_BULLET = re.compile(r"\s+(?=[•▸►▪●]\s)")


def split_items(text: str | None) -> tuple[str, ...]:
    """The items of a flattened list, bullets removed, empty pieces dropped.

    >>> split_items("* Coder      * Installer un poste")
    ('Coder', 'Installer un poste')
    >>> split_items("Une seule phrase sans liste.")
    ('Une seule phrase sans liste.',)
    """
    if not text or not text.strip():
        return ()
    pieces = _BREAK.split(_INLINE_BULLET.sub("  ", text.strip()))
    items = []
    for piece in pieces:
        item = _BULLET.sub("", piece).strip()
        if item and not re.fullmatch(r"[\W_]+", item):
            items.append(item)
    return tuple(items)
