"""The human-readable page of a credential: an A4 PNG for its display parameters.

A European Digital Credential carries an image of each page of the credential as it is
meant to be shown (``displayParameter`` → ``individualDisplay`` → ``displayDetail``).
:func:`render_pages` draws that page: certifier, candidate, block (or certification) code
and title, the competences as a bullet list, the jury's decision date and a footer with the
credential's identifier. A list too long for one page is first set smaller, then continued
on further pages; nothing is ever drawn outside the content box.

The page is A4 at 150 dpi (1240 × 1754 px), 16 shades of one ink (a 4-bit palette PNG,
30–80 KB). Issuing thousands of credentials for one block redraws only what differs between
candidates: the page without the candidate's name, date and identifier is drawn and
compressed once (:func:`_template`, cached), and each credential compresses only those three
strips (deflate streams joined with full flushes, as parallel compressors do). The PNG has no
timestamp or text chunk: the same inputs give the same bytes.

Fonts: Lato (SIL OFL 1.1) from the ``font-lato`` package on PyPI, else DejaVu Sans from the
system (Debian ``fonts-dejavu-core``); Pillow's built-in font has no accented letters.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from ..errors import ConfigError

__all__ = ["CONTENT_BOX", "DPI", "PAGE_SIZE", "Kind", "french_date", "render_page", "render_pages"]

Kind = Literal["block", "certification"]

DPI = 150
PAGE_SIZE = (1240, 1754)
"""A4 (210 × 297 mm) at 150 dpi."""
_W, _H = PAGE_SIZE
_FRAME = 44
"""Inset of the outer frame line."""
_MARGIN = 110
CONTENT_BOX = (_MARGIN, 96, _W - _MARGIN, _H - 60)
"""(left, top, right, bottom): every glyph stays inside; outside it only the frame is drawn."""
_LEFT, _TOP, _RIGHT, _BOTTOM = CONTENT_BOX
_WIDTH = _RIGHT - _LEFT

_INK = (27, 42, 74)
"""Dark navy: the page is drawn in 16 shades between white and this ink."""
_PALETTE = b"".join(bytes(round(255 + (c - 255) * i / 15) for c in _INK) for i in range(16))
_TO_INDEX = [round((255 - v) * 15 / 255) for v in range(256)]
"""Grey level (255 = paper) → palette index (0 = paper, 15 = ink)."""
_TEXT, _SOFT, _FAINT, _TINT = 0, 105, 150, 243
"""Grey levels: body text, secondary text, rules, the competence box's background."""

_LEVEL = 6
_TEMPLATE_LEVEL = 9
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: date) -> str:
    """``1er juillet 2024``, ``28 juin 2024``."""
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"


# Fonts

_STYLES = ("regular", "bold", "italic")
_LATO = {"regular": "Lato-Regular.ttf", "bold": "Lato-Bold.ttf", "italic": "Lato-Italic.ttf"}
_DEJAVU_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
_DEJAVU = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """Style → TrueType file of the page's font.

    Raises:
        ConfigError: neither the ``font-lato`` package nor DejaVu Sans is installed.
    """
    try:
        from importlib.resources import files

        folder = Path(str(files("font_lato"))) / "files"
        found = {style: folder / name for style, name in _LATO.items()}
        if all(path.is_file() for path in found.values()):
            return found
    except (ImportError, TypeError):
        pass
    for directory in _DEJAVU_DIRS:
        found = {style: Path(directory) / name for style, name in _DEJAVU.items()}
        if all(path.is_file() for path in found.values()):
            return found
    raise ConfigError(
        "no font to draw the credential page",
        expected="the font-lato package (pip install font-lato) or DejaVu Sans (apt install fonts-dejavu-core)",
    )


@lru_cache(maxsize=64)
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_files()[style]), size, layout_engine=ImageFont.Layout.BASIC)


# Text layout


def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Advance width of ``text``, from per-glyph measures kept by :class:`_Glyphs`."""
    return _glyphs_of(str(font.path), font.size).length(text)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap; a word wider than ``width`` is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _length(font, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _length(font, word) > width:
            cut = max(1, len(word) - 1)
            while cut > 1 and _length(font, word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _ellipsis(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    if _length(font, text) <= width:
        return text
    while text and _length(font, text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fit(
    text: str, style: str, sizes: Sequence[int], width: float, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which ``text`` wraps in ``max_lines``; else the smallest, cut with "…"."""
    for size in sizes:
        font = _font(style, size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    lines[-1] = _ellipsis(lines[-1] + " …", font, width)
    return font, lines


def _line_height(font: ImageFont.FreeTypeFont, spacing: float = 1.28) -> int:
    return round(font.size * spacing)


class _Canvas:
    """A page being drawn: a cursor going down and the strips left blank for each candidate."""

    def __init__(self) -> None:
        self.image = Image.new("L", PAGE_SIZE, 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = _TOP
        self.bands: list[tuple[int, int, str]] = []

    def frame(self) -> None:
        d = self.draw
        d.rectangle((_FRAME, _FRAME, _W - 1 - _FRAME, _H - 1 - _FRAME), outline=_TEXT, width=3)
        inner = _FRAME + 9
        d.rectangle((inner, inner, _W - 1 - inner, _H - 1 - inner), outline=_FAINT, width=1)

    def lines(
        self,
        lines: Sequence[str],
        font: ImageFont.FreeTypeFont,
        *,
        fill: int = _TEXT,
        center: bool = True,
        x: int = _LEFT,
        spacing: float = 1.28,
    ) -> None:
        height = _line_height(font, spacing)
        for line in lines:
            left = (_W - _length(font, line)) / 2 if center else x
            self.draw.text((left, self.y), line, font=font, fill=fill)
            self.y += height

    def text(
        self,
        text: str,
        style: str,
        sizes: Sequence[int],
        *,
        max_lines: int = 1,
        fill: int = _TEXT,
        spacing: float = 1.28,
    ) -> None:
        font, lines = _fit(text, style, sizes, _WIDTH, max_lines)
        self.lines(lines, font, fill=fill, spacing=spacing)

    def rule(self, half_width: int = 90, gap: int = 26) -> None:
        self.y += gap // 2
        self.draw.line((_W // 2 - half_width, self.y, _W // 2 + half_width, self.y), fill=_FAINT, width=2)
        self.y += gap // 2

    def band(self, height: int, kind: str) -> None:
        self.bands.append((self.y, self.y + height, kind))
        self.y += height


# The page

_CANDIDATE_BAND = 72
_DATE_BAND = 44
_FOOTER_BAND = 30
_FOOTER_TOP = _BOTTOM - _FOOTER_BAND
_NOTICE_TOP = _FOOTER_TOP - 30
_LIST_SIZES = (22, 21, 20, 19, 18, 17)
_LIST_INDENT = 56
_LIST_TEXT_WIDTH = _WIDTH - _LIST_INDENT - 24
_BOX_PAD = 22
_BOX_HEADING = 24
_BOX_OVERHEAD = 2 * _BOX_PAD + round(_BOX_HEADING * 1.28) + 10
"""Height of the competence box besides its lines: paddings, heading and the gap under it."""


@dataclass(frozen=True, slots=True)
class _Strip:
    """Rows of a template: compressed once (static), or drawn for each credential (band)."""

    top: int
    bottom: int
    kind: str
    """``static``, ``candidate``, ``date`` or ``footer``."""
    deflated: bytes = b""
    adler: int = 1
    background: bytes = b""
    """A band's blank rows (frame, tint), as 8-bit grey."""


@dataclass(frozen=True, slots=True)
class _Template:
    pages: tuple[tuple[_Strip, ...], ...]


def _bullets(items: Sequence[str], font: ImageFont.FreeTypeFont, width: int) -> list[tuple[bool, str]]:
    """(first line of an item?, text) for every line of the list."""
    out: list[tuple[bool, str]] = []
    for item in items:
        for index, line in enumerate(_wrap(item, font, width)):
            out.append((index == 0, line))
    return out


def _heading(
    kind: Kind,
    certifier: str,
    code: str,
    title: str,
    certification_title: str,
    level: int | None,
    canvas: _Canvas,
) -> None:
    c = canvas
    c.y = _TOP + 24
    c.text("ORGANISME CERTIFICATEUR", "regular", (17,), fill=_SOFT)
    c.text(certifier, "bold", (32, 28, 24), max_lines=2, spacing=1.2)
    c.rule(gap=44)
    if kind == "block":
        c.text("Attestation de validation", "bold", (50,), spacing=1.15)
        c.text("d'un bloc de compétences", "bold", (34,), spacing=1.3)
    else:
        c.text("Certification professionnelle", "bold", (50,), spacing=1.15)
        c.text("Attestation de réussite", "bold", (34,), spacing=1.3)
    c.y += 22
    c.text("est délivrée à", "italic", (24,), fill=_SOFT)
    c.y += 4
    c.band(_CANDIDATE_BAND, "candidate")
    if kind == "block":
        c.text("pour avoir validé le bloc de compétences", "italic", (24,), fill=_SOFT)
        c.y += 6
        c.text(code, "bold", (26,), fill=_SOFT)
        c.text(title, "bold", (32, 28, 25), max_lines=3, spacing=1.2)
        c.y += 8
        c.text(
            f"de la certification professionnelle {code[: code.find('BC')] if 'BC' in code else code}",
            "regular",
            (22,),
            fill=_SOFT,
        )
        c.text(f"« {certification_title} »", "italic", (22, 20), max_lines=2, fill=_SOFT)
    else:
        c.text("pour avoir obtenu la certification professionnelle", "italic", (24,), fill=_SOFT)
        c.y += 6
        c.text(code, "bold", (26,), fill=_SOFT)
        c.text(title, "bold", (32, 28, 25), max_lines=3, spacing=1.2)
        c.y += 8
    if level is not None:
        c.text(
            f"Niveau {level} du cadre national des certifications professionnelles (CEC {level})",
            "regular",
            (20,),
            fill=_SOFT,
        )


def _list_box(
    canvas: _Canvas, heading: str, rows: list[tuple[bool, str]], font: ImageFont.FreeTypeFont, bottom: int
) -> list[tuple[bool, str]]:
    """Draw the boxed list from the cursor down to at most ``bottom``; returns the rows left over."""
    c = canvas
    height = _line_height(font)
    top = c.y
    head = _font("bold", _BOX_HEADING)
    pad = _BOX_PAD
    room = bottom - top - _BOX_OVERHEAD
    fits = max(0, room // height)
    shown, rest = rows[:fits], rows[fits:]
    if rest and shown:
        # keep a line for "suite page suivante"
        shown, rest = rows[: fits - 1], rows[fits - 1 :]
    box_bottom = top + _BOX_OVERHEAD + height * (len(shown) + (1 if rest else 0))
    c.draw.rectangle((_LEFT, top, _RIGHT, box_bottom), fill=_TINT)
    c.draw.rectangle((_LEFT, top, _LEFT + 5, box_bottom), fill=_TEXT)
    c.y = top + pad
    c.lines([heading], head, center=False, x=_LEFT + 30)
    c.y += 10
    text_x = _LEFT + _LIST_INDENT
    for first, line in shown:
        if first:
            radius = max(3, font.size // 6)
            cy = c.y + font.size * 0.62
            c.draw.ellipse((_LEFT + 34 - radius, cy - radius, _LEFT + 34 + radius, cy + radius), fill=_TEXT)
        c.draw.text((text_x, c.y), line, font=font, fill=_TEXT)
        c.y += height
    if rest:
        c.draw.text((text_x, c.y), "(suite page suivante)", font=_font("italic", font.size), fill=_SOFT)
        c.y += height
    c.y = box_bottom
    return rest


def _closing(canvas: _Canvas) -> None:
    c = canvas
    c.y = _NOTICE_TOP
    c.text(
        "Attestation numérique européenne (Europass, European Digital Credential) : seule la version "
        "numérique scellée fait foi.",
        "italic",
        (16, 15, 14),
        fill=_SOFT,
    )
    c.y = _FOOTER_TOP
    c.band(_FOOTER_BAND, "footer")


@lru_cache(maxsize=32)
def _template(
    kind: Kind,
    certifier: str,
    certification_title: str,
    code: str,
    title: str,
    competences: tuple[str, ...],
    level: int | None,
) -> _Template:
    """Every page without the candidate's name, the date and the identifier, compressed."""
    heading = "Compétences attestées" if kind == "block" else "Blocs de compétences validés"
    first = _Canvas()
    first.frame()
    _heading(kind, certifier, code, title, certification_title, level, first)
    first.y += 26
    list_top = first.y
    date_top = _NOTICE_TOP - 26 - _DATE_BAND
    room = date_top - 24 - list_top
    for size in _LIST_SIZES:  # the largest size at which the list fits, else the smallest
        font = _font("regular", size)
        rows = _bullets(competences, font, _LIST_TEXT_WIDTH)
        if _BOX_OVERHEAD + _line_height(font) * len(rows) <= room:
            break
    canvases = [first]
    rest = _list_box(first, heading, rows, font, date_top - 24) if competences else []
    first.y = date_top
    first.band(_DATE_BAND, "date")
    _closing(first)
    while rest:
        page = _Canvas()
        page.frame()
        page.y = _TOP + 24
        page.text(f"{code} — {title}", "bold", (26, 22), max_lines=2, fill=_SOFT)
        page.band(_CANDIDATE_BAND // 2 + 8, "holder")
        page.y += 14
        left = len(rest)
        rest = _list_box(page, f"{heading} (suite)", rest, font, _NOTICE_TOP - 30)
        _closing(page)
        canvases.append(page)
        if len(rest) == left:  # pragma: no cover - a continuation page holds ~50 lines
            raise AssertionError("the list makes no progress")
    return _Template(tuple(_strips(canvas) for canvas in canvases))


def _strips(canvas: _Canvas) -> tuple[_Strip, ...]:
    """Cut a drawn page into static strips (compressed now) and the blank bands between them."""
    strips: list[_Strip] = []
    y = 0
    for top, bottom, kind in [*sorted(canvas.bands), (_H, _H, "end")]:
        if top > y:
            raw = _rows(canvas.image.crop((0, y, _W, top)))
            strips.append(_Strip(y, top, "static", _deflate(raw, _TEMPLATE_LEVEL), zlib.adler32(raw)))
        if kind != "end":
            strips.append(
                _Strip(top, bottom, kind, background=canvas.image.crop((0, top, _W, bottom)).tobytes())
            )
        y = bottom
    return tuple(strips)


# PNG


def _rows(image: Image.Image) -> bytes:
    """Scanlines of a grey image as 4-bit palette indices, each behind filter byte 0."""
    indexed = image.point(_TO_INDEX)
    packed = Image.frombytes("P", indexed.size, indexed.tobytes()).tobytes("raw", "P;4")
    stride = (image.width + 1) // 2
    return b"".join(b"\x00" + packed[i : i + stride] for i in range(0, len(packed), stride))


def _deflate(raw: bytes, level: int) -> bytes:
    """A raw deflate segment ending on a byte boundary (full flush), joinable with others."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)


_BASE = 65521


def _adler_combine(first: int, second: int, second_length: int) -> int:
    """Adler-32 of A+B from those of A and B (zlib's adler32_combine)."""
    rem = second_length % _BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _BASE
    sum1 += (second & 0xFFFF) + _BASE - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + _BASE - rem
    sum1 = sum1 - _BASE if sum1 >= _BASE else sum1
    sum1 = sum1 - _BASE if sum1 >= _BASE else sum1
    sum2 = sum2 - 2 * _BASE if sum2 >= 2 * _BASE else sum2
    sum2 = sum2 - _BASE if sum2 >= _BASE else sum2
    return sum1 | (sum2 << 16)


_FINAL_BLOCK = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15).flush()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


_HEAD = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", _W, _H, 4, 3, 0, 0, 0))
    + _chunk(b"pHYs", struct.pack(">IIB", round(DPI / 0.0254), round(DPI / 0.0254), 1))
    + _chunk(b"PLTE", _PALETTE)
)
_TAIL = _chunk(b"IEND", b"")


def _png(strips: Sequence[_Strip], texts: dict[str, str]) -> bytes:
    parts = [b"\x78\xda"]
    adler = 1
    row_bytes = 1 + (_W + 1) // 2
    for strip in strips:
        if strip.kind == "static":
            deflated, strip_adler = strip.deflated, strip.adler
        else:
            deflated, strip_adler = _band(strip, texts)
        adler = _adler_combine(adler, strip_adler, (strip.bottom - strip.top) * row_bytes)
        parts.append(deflated)
    parts.append(_FINAL_BLOCK)
    parts.append(struct.pack(">I", adler))
    return _HEAD + _chunk(b"IDAT", b"".join(parts)) + _TAIL


def _band(strip: _Strip, texts: dict[str, str]) -> tuple[bytes, int]:
    """One candidate's strip (name, date or identifier, centred) as a deflate segment and its Adler-32."""
    if strip.kind == "candidate":
        return _band_deflated(strip, texts["candidate"], "bold", (50, 44, 38, 32, 28), _TEXT)
    if strip.kind == "holder":
        return _band_deflated(strip, f"Titulaire : {texts['candidate']}", "regular", (22, 20, 18), _SOFT)
    if strip.kind == "date":
        return _date_band(strip, texts["date"])
    return _band_deflated(strip, texts["footer"], "regular", (15, 14, 13, 12), _SOFT)


@lru_cache(maxsize=256)
def _date_band(strip: _Strip, text: str) -> tuple[bytes, int]:
    """Dates repeat across a jury's candidates: their strips are kept."""
    return _band_deflated(strip, text, "regular", (24, 22, 20), _TEXT)


def _band_deflated(
    strip: _Strip, text: str, style: str, sizes: tuple[int, ...], fill: int
) -> tuple[bytes, int]:
    height = strip.bottom - strip.top
    image = Image.frombytes("L", (_W, height), strip.background)
    if text:
        glyphs = _glyphs(style, sizes[-1])
        for size in sizes:
            glyphs = _glyphs(style, size)
            if glyphs.length(text) <= _WIDTH:
                break
        else:
            text = glyphs.ellipsis(text, _WIDTH)
        top = (height - round(glyphs.font.size * 1.2)) / 2
        glyphs.draw(image, (_W - glyphs.length(text)) / 2, top, text, fill)
    raw = _rows(image)
    return _deflate(raw, _LEVEL), zlib.adler32(raw)


class _Glyphs:
    """A font's glyphs rendered once each, to set the many short, different texts of the strips fast.

    (FreeType runs Lato's hinting program on every call: drawing a glyph costs ~0.1 ms, pasting
    a cached one a few microseconds.) Pairs are kerned as the font's layout does.
    """

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self._advance: dict[str, float] = {}
        self._kern: dict[str, float] = {}
        self._masks: dict[str, tuple[Image.Image, int, int] | None] = {}

    def _advance_of(self, char: str) -> float:
        advance = self._advance.get(char)
        if advance is None:
            advance = self._advance[char] = self.font.getlength(char)
        return advance

    def _kern_of(self, pair: str) -> float:
        kern = self._kern.get(pair)
        if kern is None:
            kern = self._kern[pair] = (
                self.font.getlength(pair) - self._advance_of(pair[0]) - self._advance_of(pair[1])
            )
        return kern

    def positions(self, text: str) -> list[float]:
        """x of each character's origin, then the end of the text."""
        x = 0.0
        out = []
        previous = ""
        for char in text:
            if previous:
                x += self._kern_of(previous + char)
            out.append(x)
            x += self._advance_of(char)
            previous = char
        out.append(x)
        return out

    def length(self, text: str) -> float:
        return self.positions(text)[-1]

    def ellipsis(self, text: str, width: float) -> str:
        ends = self.positions(text)
        room = width - self.length("…")
        cut = len(text)
        while cut and ends[cut] > room:
            cut -= 1
        return text[:cut].rstrip() + "…"

    def _mask(self, char: str, phase: int) -> tuple[Image.Image, int, int] | None:
        """The glyph drawn ``phase``/4 pixel right of its origin (subpixel positioning)."""
        key = f"{phase}{char}"
        if key not in self._masks:
            left, top, right, bottom = (int(v) for v in self.font.getbbox(char))
            if right <= left or bottom <= top:
                self._masks[key] = None
            else:
                mask = Image.new("L", (right - left + 1, bottom - top), 0)
                ImageDraw.Draw(mask).text((phase / _PHASES - left, -top), char, font=self.font, fill=255)
                self._masks[key] = (mask, left, top)
        return self._masks[key]

    def draw(self, image: Image.Image, x: float, y: float, text: str, fill: int) -> None:
        for char, offset in zip(text, self.positions(text), strict=False):
            quarters = round((x + offset) * _PHASES)
            glyph = self._mask(char, quarters % _PHASES)
            if glyph is not None:
                mask, left, top = glyph
                image.paste(fill, (quarters // _PHASES + left, round(y) + top), mask)


_PHASES = 4


@lru_cache(maxsize=64)
def _glyphs_of(path: str, size: int) -> _Glyphs:
    return _Glyphs(ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC))


def _glyphs(style: str, size: int) -> _Glyphs:
    return _glyphs_of(str(font_files()[style]), size)


def render_pages(
    *,
    certifier: str,
    candidate: str,
    certification_title: str,
    code: str,
    title: str,
    competences: Sequence[str],
    date: date,
    kind: Kind = "block",
    credential_id: str = "",
    level: int | None = None,
) -> tuple[bytes, ...]:
    """The PNG pages of a credential (one unless the list of competences is very long).

    Parameters:
        certifier: legal name of the awarding body.
        candidate: the holder's full name.
        certification_title: title of the RNCP/RS certification.
        code: block code (``RNCP16575BC01``) or, for ``kind="certification"``, the fiche number.
        title: block title, or the certification's title.
        competences: the items listed (for a certification: its blocks, one line each).
        date: the jury's decision.
        credential_id: shown in the footer.
        level: EQF / French framework level, shown under the title when given.
    """
    if kind not in ("block", "certification"):
        raise ValueError(f"kind must be 'block' or 'certification', not {kind!r}")
    template = _template(
        kind,
        " ".join(certifier.split()),
        " ".join(certification_title.split()),
        code.strip(),
        " ".join(title.split()),
        tuple(" ".join(c.split()) for c in competences if c and c.strip()),
        level,
    )
    count = len(template.pages)
    texts = {
        "candidate": " ".join(candidate.split()),
        "date": f"Date de la décision du jury : {french_date(date)}",
    }
    pages = []
    for number, strips in enumerate(template.pages, 1):
        footer = f"Identifiant : {credential_id}" if credential_id else ""
        if count > 1:
            footer = f"{footer}   ·   page {number}/{count}" if footer else f"page {number}/{count}"
        pages.append(_png(strips, {**texts, "footer": footer}))
    return tuple(pages)


def render_page(
    *,
    certifier: str,
    candidate: str,
    certification_title: str,
    code: str,
    title: str,
    competences: Sequence[str],
    date: date,
    kind: Kind = "block",
    credential_id: str = "",
    level: int | None = None,
) -> bytes:
    """The first (usually only) page of :func:`render_pages`, as PNG bytes."""
    return render_pages(
        certifier=certifier,
        candidate=candidate,
        certification_title=certification_title,
        code=code,
        title=title,
        competences=competences,
        date=date,
        kind=kind,
        credential_id=credential_id,
        level=level,
    )[0]
