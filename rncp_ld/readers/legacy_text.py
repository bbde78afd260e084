"""Reader of the legacy CNCP "Résumé descriptif de la certification" rendered as text.

The old CNCP site published one page per fiche; the samples are that page as
Markdown-like text: ``#`` headings, ``**bold**`` labels, tab-separated tables and a
little HTML inside table cells. A tolerant segmenter cuts the text at headings
(looked up accent- and case-insensitively in :data:`HEADINGS`); each known section
has a small parser, unknown sections go to :attr:`Certification.extra`.
One file holds one fiche.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import FicheError, InputError
from ..model import (
    AccessRoute,
    AccessRouteKind,
    Block,
    CapacityGroup,
    Certification,
    Code,
    LegalText,
    LegalTextKind,
    Organisation,
    Provenance,
    RegistrationPeriod,
    Statistic,
)
from ..report import Issue, Severity
from .items import split_items
from .values import parse_date, parse_french_date

__all__ = ["HEADINGS", "TABLE_HEADINGS", "read"]

FORMAT = "legacy-text"

HEADINGS: dict[str, tuple[str, ...]] = {
    "banner": (
        "le repertoire national des certifications professionnelles rncp",
        "resume descriptif de la certification",
    ),
    "title": ("intitule", "intitule de la certification"),
    "certifiers": ("autorite responsable de la certification", "autorite responsable"),
    "level": ("niveau et ou domaine d activite", "niveau", "niveau de la certification"),
    "ccn": ("convention s", "conventions", "convention", "convention s collective s"),
    "nsf": ("code s nsf", "codes nsf", "code nsf"),
    "formacodes": ("formacode s", "formacodes", "formacode"),
    "summary": (
        "resume du referentiel d emploi ou elements de competence acquis",
        "resume du referentiel d emploi",
        "resume du referentiel",
    ),
    "sectors": (
        "secteurs d activite ou types d emplois accessibles par le detenteur de ce diplome ce titre "
        "ou ce certificat",
        "secteurs d activite ou types d emplois accessibles",
    ),
    "rome": ("codes des fiches rome les plus proches", "code s rome", "codes rome"),
    "access": ("modalites d acces a cette certification",),
    "components": ("descriptif des composantes de la certification",),
    "blocks": ("bloc de competence", "bloc s de competence s", "blocs de competences"),
    "validity": ("validite des composantes acquises",),
    "links": ("liens avec d autres certifications",),
    "legal": ("base legale",),
    "legal-general": ("reference du decret general", "reference s du decret general"),
    "legal-creation": (
        "reference arrete creation ou date 1er arrete enregistrement",
        "reference arrete creation",
    ),
    "legal-vae": ("reference du decret et ou arrete vae",),
    "legal-other": ("references autres", "reference s autre s"),
    "more": ("pour plus d informations",),
    "statistics": ("statistiques",),
    "sources": ("autres sources d information",),
    "certification-places": ("lieu x de certification",),
    "preparation-places": (
        "lieu x de preparation a la certification declares par l organisme certificateur",
        "lieu x de preparation a la certification",
    ),
    "history": ("historique de la certification", "historique"),
    "previous": ("certification precedente", "certification s precedente s"),
}
"""Section key → normalised headings (accents, case and punctuation folded)."""

TABLE_HEADINGS: dict[str, tuple[str, ...]] = {
    "certifiers": ("autorite responsable de la certification",),
    "blocks": (
        "intitule descriptif et modalites d evaluation",
        "intitule du bloc descriptif et modalites d evaluation",
    ),
    "routes": ("conditions d inscription a la certification",),
    "overseas": ("oui non",),
    "links": ("liens avec d autres certifications",),
}
"""Section key → normalised first words of a table's header row (cells joined by spaces)."""

_CONTAINERS = ("banner", "access", "legal", "more")
"""Headings that only group other sections; text under them goes to ``extra``."""

_LEGAL_KINDS = {
    "legal-general": LegalTextKind.GENERAL,
    "legal-creation": LegalTextKind.CREATION,
    "legal-vae": LegalTextKind.VAE,
    "legal-other": LegalTextKind.OTHER,
}

_LEVELS_1969 = {"V": 3, "IV": 4, "III": 5, "II": 6, "I": 7}
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
}  # fmt: skip
_STOPWORDS = frozenset("a au aux d de des du en et l la le les ou un une".split())
_MATCH_THRESHOLD = 0.5
"""Minimum title similarity (0..1) for a capacity group to belong to a block."""

_APOSTROPHES = str.maketrans("’‘ʼ`´", "'''''")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"code rncp\s*:?\s*(\d+)")
_BULLET = re.compile(r"^\s*[-–—•*▸]\s+")
_LEVEL_1969 = re.compile(r"\b([ivx]+)\s*\(\s*nomenclature de 1969\s*\)")
_LEVEL_EUROPE = re.compile(r"\b(\d+)\s*\(\s*nomenclature europe\s*\)")
_NO_LEVEL = re.compile(r"\bsans niveau\b")
_NSF = re.compile(r"(\d{3}[A-Za-z]?)\b\s*[:\-–]?\s*(.*)")
_FORMACODE = re.compile(r"(\d{5})\b\s*[:\-–]?\s*(.*)")
_ROME = re.compile(r"([A-Z]\d{4})\b\s*[:\-–]?\s*(.*)")
_CCN = re.compile(r"(\d{1,4})\b\s*[:\-–]?\s*(.*)")
_ACTIVITIES_LABEL = re.compile(r"(?:ses |les )?activites(?: visees)?(?: sont)?\s*:?\s*")
_CAPACITIES_LABEL = re.compile(r"(?:les )?capacites attestees\s*:?\s*")
_GROUP = re.compile(r"^\s*(?:[-–•*]\s*)?([A-Z])\s*[.)]\s+(.+?)\s*$")
_SECTORS_LABEL = re.compile(r"secteurs? d.?activites?\s*:")
_JOBS_LABEL = re.compile(r"types? (?:d.?)?emplois? accessibles?\s*:")
_VALIDATION_START = re.compile(r"vae\s*:?\s*$|(?:la )?validation\b")
_BLOCK_ROW = re.compile(
    r"\s*bloc de competences?\s*n\s*°?\s*(\d+)(?:\s+de la fiche\s*n\s*°?\s*\d+)?\s*[-–:]\s*"
)
_HTML_BREAK = re.compile(r"</p\s*>|<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]+>")
_CELL_LABEL = re.compile(r"(descriptif|evaluation|modalites d.evaluation)\s*:")
_DASH_ITEM = re.compile(r"(?:^|\n|\s{2,})\s*[-–•]\s+")
_SEPARATOR_ROW = re.compile(r"[-\s|]*")
_DATE = r"(?:1er|\d{1,2})\s*[a-z]+\.?\s*\d{2,4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
_SIGNED = re.compile(rf"^\W*(?:arrete|decret|loi|ordonnance|decision)\b[^.]*?\bdu\s+({_DATE})")
_PUBLISHED = re.compile(rf"(?:journal officiel|j\.?\s?o\.?)\s+(?:n\s*°?\s*\d+\s+)?du\s+({_DATE})")
_REG_START = re.compile(rf"avec effet (?:au|du|a compter du)\s+({_DATE})")
_REG_END = re.compile(rf"jusqu.au\s+({_DATE})")
_REG_YEARS = re.compile(r"enregistrement pour (\w+) ans?\b")
_REG_LEVEL = re.compile(r"au niveau ([ivx]+|\d)\b")
_REG_TITLE = re.compile(r"sous l.intitule\s*[\"«“]\s*(.+?)\s*[\"»”]")
_CERTIFIED = re.compile(r"(\d+)\s+certifi")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://[^\s)>\]]+")
_LINK_MARKUP = re.compile(r"\[[^\]]*\]\([^)]*\)|<[^>]*>")
_PLACE_WITH_CITY = re.compile(r"\[[^\]]+\]\s*$")
_POSTCODE_CITY = re.compile(r"\b\d{5}\s+\D+$")


# --- text helpers -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower-case, accents and apostrophe variants folded, same length as ``text``."""
    out = []
    for ch in text.translate(_APOSTROPHES):
        base = unicodedata.normalize("NFD", ch)[0]
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def _key(text: str) -> str:
    """The heading key of ``text``: folded words joined by single spaces."""
    return " ".join(_WORD.findall(_fold(text)))


def _unbold(text: str) -> str:
    return text.replace("**", "").strip()


def _text(lines: list[tuple[int, str]]) -> str | None:
    """The lines as one text, runs of blank lines collapsed; None when blank."""
    out: list[str] = []
    for _, line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() or None


def _nonblank(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(no, _unbold(line)) for no, line in lines if line.strip()]


def _list_items(lines: list[tuple[int, str]]) -> tuple[str, ...]:
    """Bulleted lines without their bullet; every line when none is bulleted."""
    lines = _nonblank(lines)
    bulleted = [line for _, line in lines if _BULLET.match(line)]
    chosen = bulleted or [line for _, line in lines]
    return tuple(_BULLET.sub("", line).strip() for line in chosen)


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paragraphs with their first line; one starting in lower case continues the previous."""
    paragraphs: list[tuple[int, str]] = []
    previous_blank = True
    for no, line in lines:
        line = _unbold(line)
        if not line:
            previous_blank = True
            continue
        if paragraphs and (not previous_blank or line[0].islower()):
            paragraphs[-1] = (paragraphs[-1][0], f"{paragraphs[-1][1]} {line}")
        else:
            paragraphs.append((no, line))
        previous_blank = False
    return paragraphs


def _split_at(lines: list[tuple[int, str]], label: re.Pattern[str]) -> tuple[list, list] | None:
    """The lines before and after the first line that fully matches ``label`` (label dropped)."""
    for i, (_, line) in enumerate(lines):
        if label.fullmatch(_fold(_unbold(line))):
            return lines[:i], lines[i + 1 :]
    return None


# --- segmentation -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Section:
    """The lines under one heading."""

    key: str
    """Key of :data:`HEADINGS`, or ``""`` for an unknown heading."""
    heading: str
    line: int
    raw: str
    lines: list[tuple[int, str]] = field(default_factory=list)


def _lookup(key: str, table: dict[str, tuple[str, ...]], prefix: bool) -> str | None:
    """The section whose alias equals ``key`` (or, with ``prefix``, is its longest word-prefix)."""
    best, best_len = None, -1
    for section, aliases in table.items():
        for alias in aliases:
            hit = key == alias or (prefix and key.startswith(alias + " "))
            if hit and len(alias) > best_len:
                best, best_len = section, len(alias)
    return best


def _heading(line: str) -> tuple[str, str, str] | None:
    """``(key, heading, inline value)`` when ``line`` is a heading, else None.

    Markdown headings always are (unknown ones get key ``""``); a bold or plain line is one
    when its label (the text before a colon) is exactly a known heading; a tabbed line when
    it starts like a known table header.
    """
    if "\t" in line:
        key = _lookup(_key(line), TABLE_HEADINGS, prefix=True)
        return (key, " / ".join(c.strip() for c in line.split("\t") if c.strip()), "") if key else None
    m = _MD_HEADING.match(line)
    text = _unbold(m.group(1) if m else line)
    label, _, rest = text.partition(":")
    key = _lookup(_key(label), HEADINGS, prefix=bool(m))
    if key is None and not m:
        return None
    return key or "", label.strip(), rest.strip()


def _segment(lines: list[str]) -> list[_Section]:
    """The file cut into sections; text before the first heading is the ``banner``."""
    sections = [_Section("banner", "Résumé descriptif de la certification", 1, "")]
    for no, line in enumerate(lines, 1):
        found = _heading(line)
        if found is None:
            sections[-1].lines.append((no, line))
            continue
        key, heading, inline = found
        section = _Section(key, heading, no, line)
        if inline:
            section.lines.append((no, inline))
        sections.append(section)
    return sections


# --- context and errors -------------------------------------------------------------------------


class _Problem(FicheError):
    """A FicheError that knows its Issue type."""

    def __init__(self, type: str, message: str, source: str, fiche: str, location: str | None) -> None:
        super().__init__(message, source=source, fiche=fiche, location=location)
        self.type = type


def _at(line: int | None) -> str | None:
    return None if line is None else f"line {line}"


@dataclass(slots=True)
class _Context:
    """What the section parsers share: the sections, the fiche's identity and its warnings."""

    source: str
    number: str
    sections: list[_Section]
    issues: list[Issue] = field(default_factory=list)

    def all(self, key: str) -> list[_Section]:
        return [s for s in self.sections if s.key == key]

    def lines(self, key: str) -> list[tuple[int, str]]:
        """The lines of every section ``key``, in file order."""
        return [item for s in self.all(key) for item in s.lines]

    def warn(self, type: str, message: str, line: int | None = None) -> None:
        self.issues.append(Issue(type, message, Severity.WARNING, self.source, self.number, _at(line)))

    def error(self, type: str, message: str, line: int | None = None) -> _Problem:
        return _Problem(type, message, self.source, self.number, _at(line))

    def date(self, original: str, match: re.Match[str] | None, line: int) -> date | None:
        """The date in group 1 of ``match``, a match on the folded ``original``; None without match."""
        if match is None:
            return None
        token = original[match.start(1) : match.end(1)]
        try:
            return parse_date(token) if "/" in token else parse_french_date(token)
        except ValueError as e:
            raise self.error("bad-date", f"{e} in the legal text {original!r}", line) from None


# --- section parsers ----------------------------------------------------------------------------


def _title(ctx: _Context) -> dict[str, Any]:
    paragraphs = _paragraphs(ctx.lines("title"))
    if not paragraphs:
        line = ctx.all("title")[0].line if ctx.all("title") else None
        raise ctx.error("missing-title", "the fiche has no 'Intitulé'", line)
    return {"title": paragraphs[0][1]}


def _certifiers(ctx: _Context) -> dict[str, Any]:
    certifiers = []
    for _, line in _nonblank(ctx.lines("certifiers")):
        cells = [c.strip() for c in line.split("\t")]
        if cells[0]:
            signatory = cells[1] if len(cells) > 1 and cells[1] else None
            certifiers.append(Organisation(name=cells[0], signatory=signatory))
    return {"certifiers": tuple(certifiers)}


def _level(ctx: _Context) -> dict[str, Any]:
    lines = _nonblank(ctx.lines("level"))
    if not lines:
        return {}
    text = " ".join(line for _, line in lines)
    folded = _fold(text)
    old, new = _LEVEL_1969.search(folded), _LEVEL_EUROPE.search(folded)
    where = lines[0][0]
    if old is None and new is None:
        if _NO_LEVEL.search(folded):
            return {}
        raise ctx.error("unknown-level", f"unknown level {text!r}", where)
    level_1969 = old.group(1).upper() if old else None
    if level_1969 is not None and level_1969 not in _LEVELS_1969:
        raise ctx.error("unknown-level", f"unknown 1969 level {level_1969!r}, expected I to V", where)
    if new is not None:
        level = int(new.group(1))
        if not 1 <= level <= 8:
            raise ctx.error("unknown-level", f"unknown European level {level}, expected 1 to 8", where)
    else:
        level = _LEVELS_1969[level_1969]
        ctx.warn(
            "level-derived",
            f"no European level; level {level} derived from the 1969 level {level_1969}",
            where,
        )
    return {"level": level, "level_label": f"Niveau {level}", "level_1969": level_1969}


def _codes(ctx: _Context, key: str, pattern: re.Pattern[str]) -> tuple[Code, ...]:
    codes = []
    for no, line in _nonblank(ctx.lines(key)):
        m = pattern.fullmatch(_BULLET.sub("", line))
        if m:
            codes.append(Code(m.group(1), m.group(2).strip() or None))
        else:
            ctx.warn("unparsed-code", f"cannot read a code in {line!r} ({key})", no)
    return tuple(codes)


def _classifications(ctx: _Context) -> dict[str, Any]:
    return {
        "nsf": _codes(ctx, "nsf", _NSF),
        "formacodes": _codes(ctx, "formacodes", _FORMACODE),
        "rome": _codes(ctx, "rome", _ROME),
        "ccn": _codes(ctx, "ccn", _CCN),
    }


def _groups(lines: list[tuple[int, str]]) -> tuple[CapacityGroup, ...]:
    """Lettered groups ("- A. Title" then one item a line) of the capacities."""
    groups: list[tuple[str, str, list[str]]] = []
    for _, line in _nonblank(lines):
        m = _GROUP.match(line)
        if m:
            groups.append((m.group(1), m.group(2), []))
        elif groups:
            groups[-1][2].append(_BULLET.sub("", line).strip())
    return tuple(CapacityGroup(letter, title, tuple(items)) for letter, title, items in groups)


def _summary(ctx: _Context) -> dict[str, Any]:
    lines = ctx.lines("summary")
    before, capacities = _split_at(lines, _CAPACITIES_LABEL) or (lines, [])
    split = _split_at(before, _ACTIVITIES_LABEL)
    objectives, activities = split if split else ([], before)
    groups = _groups(capacities)
    return {
        "objectives": _text(objectives),
        "activities_text": _text(activities),
        "activities": _list_items(activities),
        "capacities_text": _text(capacities),
        "capacities": () if groups else _list_items(capacities),
        "capacity_groups": groups,
    }


def _sectors(ctx: _Context) -> dict[str, Any]:
    """Sectors and accessible jobs, split at their labels ("Type emplois accessibles :")."""
    sectors: list[tuple[int, str]] = []
    jobs: list[tuple[int, str]] = []
    current = sectors
    for no, line in ctx.lines("sectors"):
        folded = _fold(_unbold(line))
        label = _JOBS_LABEL.match(folded) or _SECTORS_LABEL.match(folded)
        if label is None:
            current.append((no, line))
            continue
        current = jobs if label.re is _JOBS_LABEL else sectors
        rest = _unbold(line)[label.end() :].strip()
        if any(c.isalnum() for c in rest):  # e.g. "Type emplois accessibles :!" has a stray "!"
            current.append((no, rest))
    return {
        "sectors_text": _text(sectors),
        "sectors": _list_items(sectors),
        "jobs_text": _text(jobs),
        "jobs": _list_items(jobs),
    }


def _components(ctx: _Context) -> dict[str, Any]:
    """Components text, then from a "VAE" or "La validation…" line the validation part."""
    lines = ctx.lines("components")
    start = next(
        (i for i, (_, line) in enumerate(lines) if _VALIDATION_START.match(_fold(_unbold(line)))),
        len(lines),
    )
    validation = lines[start:]
    if validation and _fold(_unbold(validation[0][1])).rstrip(" :") == "vae":
        validation = validation[1:]  # a bare "VAE" sub-heading
    items = tuple(line for _, line in _nonblank(validation) if not line.endswith(":"))
    return {
        "components_text": _text(lines[:start]),
        "validation_text": _text(validation),
        "validation_items": items,
        "components_validity": _text(ctx.lines("validity")),
    }


def _cell_parts(cell: str) -> dict[str, str]:
    """The labelled parts ("Descriptif :", "Evaluation :") of a block's HTML cell.

    A cell without labels is all description.
    """
    text = html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n", cell)))
    marks = list(_CELL_LABEL.finditer(_fold(text)))
    if not marks:
        return {"descriptif": text.strip()}
    parts = {}
    for m, after in zip(marks, [*marks[1:], None], strict=True):
        label = "descriptif" if m.group(1) == "descriptif" else "evaluation"
        end = after.start() if after else len(text)
        parts[label] = text[m.end() : end].strip()
    return parts


def _assessments(text: str | None) -> tuple[str, ...]:
    """Items of an evaluation text: each starts with "- " after a break; else split_items."""
    if not text:
        return ()
    if not _DASH_ITEM.search(text):
        return split_items(text)
    return tuple(p.strip() for p in _DASH_ITEM.split(text) if p.strip())


def _block_rows(ctx: _Context) -> list[tuple[int, str, str]]:
    """``(number, title, cell)`` per "Bloc de compétence n°N …" row; a cell may go on over lines."""
    rows: list[tuple[int, str, str]] = []
    for _, line in ctx.lines("blocks"):
        m = _BLOCK_ROW.match(_fold(line))
        if m:
            title, _, cell = line[m.end() :].partition("\t")
            rows.append((int(m.group(1)), title.strip(), cell))
        elif rows and line.strip():
            number, title, cell = rows[-1]
            rows[-1] = (number, title, f"{cell}\n{line}")
    return rows


def _blocks(ctx: _Context) -> tuple[Block, ...]:
    blocks = []
    for number, title, cell in _block_rows(ctx):
        parts = _cell_parts(cell)
        described, evaluated = parts.get("descriptif") or None, parts.get("evaluation") or None
        blocks.append(
            Block(
                code=f"{ctx.number}BC{number:02d}",
                title=title,
                number=number,
                competences=split_items(described),
                competences_text=described,
                assessments=_assessments(evaluated),
                assessments_text=evaluated,
            )
        )
    return tuple(blocks)


def _similarity(a: str, b: str) -> float:
    """Mean of the character ratio and the word overlap (Dice) of two folded titles."""
    wa = [w for w in _key(a).split() if w not in _STOPWORDS]
    wb = [w for w in _key(b).split() if w not in _STOPWORDS]
    if not wa or not wb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, " ".join(wa), " ".join(wb)).ratio()
    dice = 2 * len(set(wa) & set(wb)) / (len(set(wa)) + len(set(wb)))
    return (ratio + dice) / 2


def _attach_groups(
    ctx: _Context, blocks: tuple[Block, ...], groups: tuple[CapacityGroup, ...]
) -> tuple[Block, ...]:
    """Blocks with their capacity group, matched one-to-one by title, best pairs first."""
    if not blocks or not groups:
        return blocks
    scores = [
        (_similarity(g.title, b.title), gi, bi) for gi, g in enumerate(groups) for bi, b in enumerate(blocks)
    ]
    pairs = sorted(scores, reverse=True)
    chosen: dict[int, int] = {}
    for score, gi, bi in pairs:
        if score >= _MATCH_THRESHOLD and gi not in chosen and bi not in chosen.values():
            chosen[gi] = bi
    titles = "; ".join(f"{b.code} {b.title!r}" for b in blocks)
    for gi, group in enumerate(groups):
        if gi not in chosen:
            ctx.warn(
                "capacity-group-unmatched",
                f"capacity group {group.letter} {group.title!r} matches no block ({titles})",
            )
    group_titles = "; ".join(f"{g.letter} {g.title!r}" for g in groups)
    for bi, block in enumerate(blocks):
        if bi not in chosen.values():
            ctx.warn(
                "capacity-group-unmatched",
                f"block {block.code} {block.title!r} matches no capacity group ({group_titles})",
            )
    by_block = {bi: groups[gi] for gi, bi in chosen.items()}
    return tuple(replace(b, capacities=by_block.get(bi)) for bi, b in enumerate(blocks))


def _table(ctx: _Context, key: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header cells and the rows (line, cells) of the table section ``key``."""
    sections = ctx.all(key)
    header = [_key(c) for c in sections[0].raw.split("\t")] if sections else []
    rows = [
        (no, [c.strip() for c in line.split("\t")])
        for no, line in ctx.lines(key)
        if line.strip() and not _SEPARATOR_ROW.fullmatch(line)
    ]
    return header, rows


def _yes_no(header: list[str], cells: list[str]) -> bool | None:
    """True/False when the X is in a distinct OUI/NON column, None when it cannot be told."""
    if "oui" not in header or "non" not in header:
        return None
    marked = [i for i, c in enumerate(cells) if c.upper() == "X"]
    if header.index("oui") in marked:
        return True
    if header.index("non") in marked:
        return False
    return None


def _route_kind(label: str) -> tuple[AccessRouteKind, str | None] | None:
    """The route named at the start of ``label`` and the rest of the label as a note."""
    label = " ".join(label.split())
    folded = _fold(label)
    for kind in AccessRouteKind:
        pattern = re.escape(_fold(kind.label)).replace("'", ".?")
        m = re.match(pattern, folded)
        if m:
            return kind, label[m.end() :].strip(" :-–") or None
    return None


def _routes(ctx: _Context) -> dict[str, Any]:
    """The six access routes of the "Conditions d'inscription" table.

    The sample's header reads ``OUINON`` in one cell: the OUI and NON columns were merged
    when the page was rendered, so every row has its ``X`` in that single cell and its
    position says nothing. The page gives a jury composition only for open routes (here
    CA, FC, CQ and VAE; FI and CL have none), so with merged columns a route is open when
    it has a jury, and a warning says so. With distinct OUI and NON columns the X decides.
    """
    header, rows = _table(ctx, "routes")
    jury_col = next((i for i, h in enumerate(header) if "jury" in h), len(header) - 1)
    routes, inferred = [], False
    for no, cells in rows:
        found = _route_kind(cells[0])
        if found is None:
            ctx.warn("unknown-access-route", f"unknown access route {cells[0]!r}", no)
            continue
        kind, note = found
        jury = cells[jury_col] if 0 <= jury_col < len(cells) and cells[jury_col] else None
        is_open = _yes_no(header, cells)
        if is_open is None:
            is_open, inferred = jury is not None, True
        routes.append(AccessRoute(kind=kind, open=is_open, jury=jury, note=note))
    if inferred:
        ctx.warn(
            "access-route-inferred",
            "OUI/NON not told apart in the access-route table; routes with a jury taken as open",
            ctx.all("routes")[0].line,
        )
    return {"access_routes": tuple(routes)}


def _overseas(ctx: _Context) -> dict[str, Any]:
    header, rows = _table(ctx, "overseas")
    found: dict[str, Any] = {}
    for _, cells in rows:
        label = _key(cells[0])
        if "caledonie" in label:
            found["new_caledonia"] = _yes_no(header, cells)
        elif "polynesie" in label:
            found["french_polynesia"] = _yes_no(header, cells)
    return found


def _registration(ctx: _Context, act: LegalText, text: str, line: int) -> RegistrationPeriod | None:
    """The registration period a legal text states ("Enregistrement pour cinq ans…"), if any."""
    folded = _fold(text)
    start = ctx.date(text, _REG_START.search(folded), line)
    end = ctx.date(text, _REG_END.search(folded), line)
    if start is None and end is None:
        return None
    years = _REG_YEARS.search(folded)
    level = _REG_LEVEL.search(folded)
    title = _REG_TITLE.search(folded)
    return RegistrationPeriod(
        start=start,
        end=end,
        years=_years(years.group(1)) if years else None,
        level=level.group(1).upper() if level else None,
        title=text[title.start(1) : title.end(1)] if title else None,
        act=act,
    )


def _years(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _legal(ctx: _Context) -> dict[str, Any]:
    """Legal texts of the four "Référence…" sections, their registrations and derived dates."""
    texts: list[LegalText] = []
    periods: list[RegistrationPeriod] = []
    for key, kind in _LEGAL_KINDS.items():
        for line, paragraph in _paragraphs(ctx.lines(key)):
            folded = _fold(paragraph)
            act = LegalText(
                kind=kind,
                title=paragraph,
                signed=ctx.date(paragraph, _SIGNED.search(folded), line),
                published=ctx.date(paragraph, _PUBLISHED.search(folded), line),
            )
            texts.append(act)
            period = _registration(ctx, act, paragraph, line)
            if period is not None:
                periods.append(period)
    periods.sort(key=lambda p: p.start or p.end or date.min)
    fields: dict[str, Any] = {"legal_texts": tuple(texts), "registrations": tuple(periods)}
    published = [t.published for t in texts if t.published]
    if published:
        fields["last_jo_date"] = max(published)
    if periods:
        latest = periods[-1]
        fields["effective_date"] = latest.start
        fields["end_date"] = max((p.end for p in periods if p.end), default=None)
        fields["decision_date"] = latest.act.signed if latest.act else None
        fields["registration_years"] = latest.years
    return fields


def _places(lines: list[tuple[int, str]]) -> tuple[str, ...]:
    """One place per "Name : Region - Dept (NN) [City]" line; address lines grouped up to
    the line ending with a postcode and city, joined with " - "."""
    places: list[str] = []
    address: list[str] = []
    for _, line in _nonblank(lines):
        if _PLACE_WITH_CITY.search(line) and not address:
            places.append(line)
            continue
        address.append(line)
        if _POSTCODE_CITY.search(line):
            places.append(" - ".join(address))
            address = []
    if address:
        places.append(" - ".join(address))
    return tuple(places)


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _more(ctx: _Context) -> dict[str, Any]:
    """Statistics, e-mails and URLs, places, history and previous titles."""
    fields: dict[str, Any] = {}
    stats = _text(ctx.lines("statistics"))
    if stats:
        certified = _CERTIFIED.search(_fold(stats))
        count = int(certified.group(1)) if certified else None
        fields["statistics"] = (Statistic(certified=count, text=stats),)
    sources = _text(ctx.lines("sources")) or ""
    fields["emails"] = _unique(_EMAIL.findall(sources))
    fields["urls"] = _unique(_URL.findall(sources))
    fields["certification_places"] = _places(ctx.lines("certification-places"))
    fields["preparation_places"] = _places(ctx.lines("preparation-places"))
    fields["history"] = _text(ctx.lines("history"))
    fields["previous_titles"] = tuple(line for _, line in _nonblank(ctx.lines("previous")))
    return fields


def _leftover_sources(text: str) -> bool:
    """True when the sources section says more than its links, e-mails and URLs."""
    rest = _URL.sub("", _EMAIL.sub("", _LINK_MARKUP.sub("", text)))
    return any(c.isalpha() for c in rest)


def _extra(ctx: _Context) -> dict[str, Any]:
    """Unknown sections, text under grouping headings, free text of links and sources."""
    extra: list[tuple[str, str]] = []
    for section in ctx.sections:
        if section.key in _CONTAINERS:
            text = _text([(no, s) for no, s in section.lines if not _NUMBER.search(_fold(_unbold(s)))])
        elif section.key == "links":
            text = _text([(no, s) for no, s in section.lines if not _SEPARATOR_ROW.fullmatch(s)])
        elif section.key == "sources":
            text = _text(section.lines)
            text = text if text and _leftover_sources(text) else None
        else:
            text = None if section.key else _text(section.lines)
        if text:
            extra.append((section.heading, text))
    return {"extra": tuple(extra)}


# --- reading ------------------------------------------------------------------------------------


def _certification(ctx: _Context) -> Certification:
    fields: dict[str, Any] = {}
    for parse in (
        _title, _certifiers, _level, _classifications, _summary, _sectors, _components,
        _routes, _overseas, _legal, _more, _extra,
    ):  # fmt: skip
        fields.update(parse(ctx))
    blocks = _attach_groups(ctx, _blocks(ctx), fields["capacity_groups"])
    provenance = Provenance(source=ctx.source, format=FORMAT, line=1)
    return Certification(number=ctx.number, provenance=provenance, blocks=blocks, **fields)


def _load(path: Path) -> list[str]:
    """The lines of ``path``, NFC-normalised; InputError when empty or binary."""
    data = path.read_bytes()
    if b"\0" in data:
        raise InputError("binary file, not a legacy fiche", source=path.name, expected="a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise InputError("empty file", source=path.name, expected="a legacy RNCP fiche")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.split("\n")


def read(path: Path) -> Iterator[Certification | Issue]:
    """The fiche of a legacy text file, or the issues that stop it; InputError if not one."""
    lines = _load(path)
    sections = _segment(lines)
    if not any(s.key not in ("", "banner") for s in sections):
        raise InputError(
            "no heading of a legacy fiche found",
            source=path.name,
            expected="a 'Résumé descriptif de la certification' text with 'Intitulé', 'Niveau'… headings",
        )
    return _fiche(path.name, lines, sections)


def _find_number(lines: list[str]) -> str | None:
    """The digits of the first "Code RNCP : N"."""
    for line in lines:
        m = _NUMBER.search(_fold(_unbold(line)))
        if m:
            return m.group(1)
    return None


def _fiche(source: str, lines: list[str], sections: list[_Section]) -> Iterator[Certification | Issue]:
    number = _find_number(lines)
    if number is None:
        yield Issue("missing-number", "no 'Code RNCP : N' in the fiche", source=source)
        return
    ctx = _Context(source, f"RNCP{number}", sections)
    try:
        certification = _certification(ctx)
    except _Problem as problem:
        yield from ctx.issues
        yield Issue.from_error(problem, problem.type)
        return
    yield from ctx.issues
    yield certification
