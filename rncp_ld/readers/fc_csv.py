"""Reader of the France Compétences CSV export (``export-fiches-csv-AAAA-MM-JJ.zip``).

The zip holds ten ``;``-separated members, one per part of a fiche, all keyed by
``Numero_Fiche`` (research/rncp-formats.md §4). The Standard member drives the
output order and is streamed; each side member is read once into a dict of raw
rows keyed by fiche number, and a fiche's rows are taken out of it when the fiche
is built. Side rows left over at the end belong to no fiche of the Standard member
and are reported as warnings.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn, TypeVar

from ..errors import FicheError, InputError
from ..model import (
    AccessRoute,
    AccessRouteKind,
    Block,
    Certification,
    Code,
    Organisation,
    Partner,
    Provenance,
    RegistrationPeriod,
)
from ..report import Issue, Severity
from .values import clean, header_mismatch, parse_bool, parse_date, parse_int, parse_level, parse_siret

__all__ = ["COLUMNS", "read"]

T = TypeVar("T")

STANDARD = "Standard"

COLUMNS: dict[str, tuple[str, ...]] = {
    STANDARD: (
        "Id_Fiche", "Numero_Fiche", "Intitule", "Abrege_Libelle", "Abrege_Intitule",
        "Nomenclature_Europe_Niveau", "Nomenclature_Europe_Intitule", "Accessible_Nouvelle_Caledonie",
        "Accessible_Polynesie_Francaise", "Date_dernier_jo", "Date_Decision", "Date_Fin_Enregistrement",
        "Date_Effet", "Type_Enregistrement", "Validation_Partielle", "Actif",
    ),
    "Blocs_De_Compétences": ("Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle"),
    "Certificateurs": ("Numero_Fiche", "Siret_Certificateur", "Nom_Certificateur"),
    "Partenaires": ("Numero_Fiche", "Nom_Partenaire", "Siret_Partenaire", "Habilitation_Partenaire"),
    "Rome": ("Numero_Fiche", "Codes_Rome_Code", "Codes_Rome_Libelle"),
    "Nsf": ("Numero_Fiche", "Nsf_Code", "Nsf_Intitule"),
    "Formacode": ("Numero_Fiche", "Formacode_Code", "Formacode_Libelle"),
    "CCN": (
        "Numero_Fiche", "Ccn_1_Numero", "Ccn_1_Libelle", "Ccn_2_Numero", "Ccn_2_Libelle",
        "Ccn_3_Numero", "Ccn_3_Libelle",
    ),
    "Ancienne_Nouvelle_Certification": ("Numero_Fiche", "Ancienne_Certification", "Nouvelle_Certification"),
    "VoixdAccès": ("Numero_Fiche", "Si_Jury"),
}  # fmt: skip
"""Part name of each member → its columns, exactly and in order."""

_PARTS = {part.casefold(): part for part in COLUMNS}
_MEMBER = re.compile(r"(?:export_fiches_CSV_)?(?P<part>.+?)(?:_\d{4}[_-]\d{2}[_-]\d{2})?\.csv", re.I)
_DATE = re.compile(r"(\d{4})[_-](\d{2})[_-](\d{2})")
_NUMBER = re.compile(r"(?:RNCP|RS)\d+")
_BLOCK_NUMBER = re.compile(r"BC(\d+)$")
_UTF8_FLAG = 0x800
_ROUTES = {kind.label: kind for kind in AccessRouteKind}


def read(path: Path) -> Iterator[Certification | Issue]:
    """Every fiche of the CSV export ``path``, in the order of its Standard member.

    Raises:
        InputError: ``path`` is not a zip, has no Standard member, or a member has a
            wrong header or cannot be decoded.
    """
    source = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(
            f"not a zip file ({error})", source=source, expected="the CSV export export-fiches-csv-*.zip"
        ) from None
    with archive:
        members, unknown = _members(archive, source)
        yield from unknown
        tables = {
            part: _table(archive, member, source) for part, member in members.items() if part != STANDARD
        }
        standard = members[STANDARD]
        export_date = _export_date(standard.name, source)
        yield from _fiches(_rows(archive, standard, source), tables, source, export_date)
        yield from _orphans(tables.values(), source)


# Members


@dataclass(frozen=True, slots=True)
class _Member:
    """A member of the zip with its decoded name and part."""

    part: str
    name: str
    info: zipfile.ZipInfo


def _member_name(info: zipfile.ZipInfo) -> str:
    """The real name of a member: UTF-8 stored without the zip flag is re-decoded, then NFC."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass
    return unicodedata.normalize("NFC", name)


def _members(archive: zipfile.ZipFile, source: str) -> tuple[dict[str, _Member], list[Issue]]:
    """The members by part name, and a warning for each CSV member of no known part."""
    members: dict[str, _Member] = {}
    unknown: list[Issue] = []
    for info in archive.infolist():
        name = _member_name(info)
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("."):
            continue
        match = _MEMBER.fullmatch(base)
        part = _PARTS.get(match.group("part").casefold()) if match else None
        if part is None:
            if base.lower().endswith(".csv"):
                message = f"member {name} is not a part of the CSV export; ignored"
                unknown.append(Issue("unknown-member", message, Severity.WARNING, source, location=name))
            continue
        if part in members:
            raise InputError(f"two {part} members: {members[part].name} and {name}", source=source)
        members[part] = _Member(part, name, info)
    if STANDARD not in members:
        raise InputError(
            "no Standard member in the zip",
            source=source,
            expected="a member export_fiches_CSV_Standard_AAAA_MM_JJ.csv",
        )
    return members, unknown


def _export_date(*names: str) -> date | None:
    """The first date ``AAAA_MM_JJ`` or ``AAAA-MM-JJ`` found in ``names``."""
    for name in names:
        match = _DATE.search(name)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
    return None


# Rows


@dataclass(frozen=True, slots=True)
class _Row:
    """The raw fields of one CSV record and the line where it starts."""

    member: _Member
    line: int
    fields: tuple[str, ...]

    @property
    def number(self) -> str:
        """Its Numero_Fiche, stripped; empty when the record has no such field."""
        index = COLUMNS[self.member.part].index("Numero_Fiche")
        return self.fields[index].strip() if len(self.fields) > index else ""

    @property
    def location(self) -> str:
        return f"{self.member.name}:line {self.line}"


def _rows(archive: zipfile.ZipFile, member: _Member, source: str) -> Iterator[_Row]:
    """The records of ``member`` after its header, which must be the expected one."""
    line = 0
    try:
        with archive.open(member.info) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""), delimiter=";")
            _check_header(next(reader, None), member, source)
            line = reader.line_num
            for fields in reader:
                start, line = line + 1, reader.line_num
                if fields:
                    yield _Row(member, start, tuple(fields))
    except UnicodeDecodeError as error:
        raise InputError(
            f"{member.name} is not UTF-8 text ({error.reason})", source=source, location=member.name
        ) from None
    except csv.Error as error:
        location = f"{member.name}:line {line + 1}"
        raise InputError(f"bad CSV in {member.name}: {error}", source=source, location=location) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise InputError(f"cannot unzip {member.name}: {error}", source=source) from None


def _check_header(header: list[str] | None, member: _Member, source: str) -> None:
    """Raise InputError naming the first column of ``header`` that is not the expected one."""
    columns = COLUMNS[member.part]
    expected = ";".join(columns)
    if header is None:
        raise InputError(f"{member.name} is empty", source=source, expected=f"the header {expected}")
    mismatch = header_mismatch(header, columns)
    if mismatch is None:
        return
    index, got, want = mismatch
    if want is None:
        problem = f"has an extra column {index} {got!r}"
    elif got is None:
        problem = f"lacks column {index} {want!r}"
    else:
        problem = f"has {got!r} in column {index} where {want!r} was expected"
    raise InputError(
        f"wrong header: {member.name} {problem}",
        source=source,
        location=f"{member.name}:line 1",
        expected=f"the header {expected}",
    )


@dataclass(frozen=True, slots=True)
class _Table:
    """A side member's rows by fiche number, in file order."""

    member: _Member
    rows: dict[str, list[_Row]]


def _table(archive: zipfile.ZipFile, member: _Member, source: str) -> _Table:
    rows: dict[str, list[_Row]] = {}
    for row in _rows(archive, member, source):
        rows.setdefault(row.number, []).append(row)
    return _Table(member, rows)


# Values


class _BadValue(FicheError):
    """A bad value in a row; the fiche is skipped with an Issue of this ``type``."""

    def __init__(self, type: str, message: str, location: str) -> None:
        super().__init__(message, location=location)
        self.type = type


def _route_kind(text: str) -> AccessRouteKind:
    """A Si_Jury label to its route, whatever the apostrophe."""
    kind = _ROUTES.get(" ".join(text.replace("’", "'").split()))
    if kind is None:
        raise ValueError(f"unknown access route {text!r}, expected one of: {'; '.join(_ROUTES)}")
    return kind


_ISSUE_TYPES: dict[Callable[[str], object], str] = {
    parse_date: "bad-date",
    parse_siret: "bad-siret",
    parse_level: "unknown-level",
    parse_bool: "bad-boolean",
    parse_int: "bad-number",
    _route_kind: "bad-access-route",
}


class _Values:
    """The fields of a row by column name, parsed with errors naming member, line and column."""

    def __init__(self, row: _Row) -> None:
        columns = COLUMNS[row.member.part]
        self.row = row
        if len(row.fields) != len(columns):
            self.fail("bad-row", f"{len(row.fields)} fields, expected {len(columns)}: {';'.join(columns)}")
        self.values = dict(zip(columns, row.fields, strict=True))

    def fail(self, type: str, problem: str, column: str | None = None) -> NoReturn:
        """Raise _BadValue naming member, line and, when given, column."""
        where = f"{self.row.member.name} line {self.row.line}" + (f", column {column}" if column else "")
        raise _BadValue(type, f"{where}: {problem}", self.row.location)

    def text(self, column: str) -> str | None:
        """The stripped text of ``column``; None when empty."""
        return clean(self.values[column])

    def required(self, column: str) -> str:
        """The text of ``column``, which must not be empty."""
        text = self.text(column)
        if text is None:
            self.fail("missing-value", "empty, expected a value", column)
        return text

    def parse(self, column: str, parser: Callable[[str], T]) -> T | None:
        """``column`` parsed by ``parser``; None when empty."""
        text = self.text(column)
        if text is None:
            return None
        try:
            return parser(text)
        except ValueError as error:
            self.fail(_ISSUE_TYPES[parser], str(error), column)

    def code(self, code_column: str, label_column: str) -> Code | None:
        """A Code; None when both columns are empty, an error when only the label is given."""
        label = self.text(label_column)
        if label is None and self.text(code_column) is None:
            return None
        return Code(self.required(code_column), label)


# Fiches


def _fiches(
    rows: Iterator[_Row], tables: dict[str, _Table], source: str, export_date: date | None
) -> Iterator[Certification | Issue]:
    """A Certification, or an error Issue, for each row of the Standard member."""
    seen: set[str] = set()
    for row in rows:
        number = row.number
        side = {part: table.rows.pop(number, []) for part, table in tables.items()}
        provenance = Provenance(source, "fc-csv", export_date, line=row.line)
        try:
            fiche = _certification(row, number, seen, side, provenance)
        except _BadValue as error:
            yield Issue(error.type, error.message, Severity.ERROR, source, number or None, error.location)
            continue
        seen.add(number)
        yield fiche


def _certification(
    row: _Row, number: str, seen: set[str], side: dict[str, list[_Row]], provenance: Provenance
) -> Certification:
    """The fiche of one Standard row and its side rows."""
    std = _Values(row)
    if not _NUMBER.fullmatch(number):
        std.fail("bad-fiche-number", f"{number!r}, expected RNCP or RS then digits", "Numero_Fiche")
    if number in seen:
        std.fail("duplicate-fiche", f"{number} already read above", "Numero_Fiche")
    rows = {part: [_Values(r) for r in side.get(part, [])] for part in COLUMNS if part != STANDARD}
    decision = std.parse("Date_Decision", parse_date)
    effective = std.parse("Date_Effet", parse_date)
    end = std.parse("Date_Fin_Enregistrement", parse_date)
    start = decision or effective
    return Certification(
        number=number,
        title=std.required("Intitule"),
        provenance=provenance,
        fiche_id=std.parse("Id_Fiche", parse_int),
        # the export swaps them: Abrege_Libelle holds the code, Abrege_Intitule the label
        abbreviation=std.code("Abrege_Libelle", "Abrege_Intitule"),
        active=std.parse("Actif", parse_bool),
        level=std.parse("Nomenclature_Europe_Niveau", parse_level),
        level_label=std.text("Nomenclature_Europe_Intitule"),
        new_caledonia=std.parse("Accessible_Nouvelle_Caledonie", parse_bool),
        french_polynesia=std.parse("Accessible_Polynesie_Francaise", parse_bool),
        last_jo_date=std.parse("Date_dernier_jo", parse_date),
        decision_date=decision,
        effective_date=effective,
        end_date=end,
        registrations=(RegistrationPeriod(start, end),) if start or end else (),
        registration_type=std.text("Type_Enregistrement"),
        partial_validation=std.parse("Validation_Partielle", parse_bool),
        blocks=tuple(_block(v) for v in rows["Blocs_De_Compétences"]),
        certifiers=tuple(_certifier(v) for v in rows["Certificateurs"]),
        partners=tuple(_partner(v) for v in rows["Partenaires"]),
        rome=_codes(rows["Rome"], "Codes_Rome_Code", "Codes_Rome_Libelle", _rome_label),
        nsf=_codes(rows["Nsf"], "Nsf_Code", "Nsf_Intitule", _unprefixed),
        formacodes=_codes(rows["Formacode"], "Formacode_Code", "Formacode_Libelle", _unprefixed),
        ccn=tuple(code for v in rows["CCN"] for code in _ccn(v)),
        access_routes=tuple(AccessRoute(kind, open=True) for kind in _route_kinds(rows["VoixdAccès"])),
        replaces=_numbers(rows["Ancienne_Nouvelle_Certification"], "Ancienne_Certification"),
        replaced_by=_numbers(rows["Ancienne_Nouvelle_Certification"], "Nouvelle_Certification"),
    )


def _block(values: _Values) -> Block:
    code = values.required("Bloc_Competences_Code")
    match = _BLOCK_NUMBER.search(code)
    number = int(match.group(1)) if match else None
    return Block(code, values.required("Bloc_Competences_Libelle"), number)


def _certifier(values: _Values) -> Organisation:
    return Organisation(
        values.required("Nom_Certificateur"), values.parse("Siret_Certificateur", parse_siret)
    )


def _partner(values: _Values) -> Partner:
    return Partner(
        values.required("Nom_Partenaire"),
        values.parse("Siret_Partenaire", parse_siret),
        values.text("Habilitation_Partenaire"),
    )


def _ccn(values: _Values) -> Iterator[Code]:
    """The up to three conventions of a CCN row."""
    for i in (1, 2, 3):
        code = values.code(f"Ccn_{i}_Numero", f"Ccn_{i}_Libelle")
        if code:
            yield code


def _rome_label(label: str, code: str) -> str:
    """Undo the doubled apostrophes of Codes_Rome_Libelle ("d''affaires")."""
    return label.replace("''", "'")


def _unprefixed(label: str, code: str) -> str:
    """Drop a ``"251 : "`` prefix that repeats the code."""
    match = re.match(rf"{re.escape(code)}\s*:\s*", label)
    return label[match.end() :] if match and label[match.end() :] else label


def _codes(
    rows: list[_Values], code_column: str, label_column: str, fix: Callable[[str, str], str]
) -> tuple[Code, ...]:
    """The codes of side rows, labels cleaned by ``fix(label, code)``."""
    codes = (v.code(code_column, label_column) for v in rows)
    return tuple(Code(c.code, c.label and fix(c.label, c.code)) for c in codes if c)


def _route_kinds(rows: list[_Values]) -> list[AccessRouteKind]:
    """The open routes, in file order, each once."""
    kinds = (v.parse("Si_Jury", _route_kind) for v in rows)
    return list(dict.fromkeys(k for k in kinds if k))


def _numbers(rows: list[_Values], column: str) -> tuple[str, ...]:
    return tuple(n for v in rows if (n := v.text(column)))


def _orphans(tables: Iterable[_Table], source: str) -> Iterator[Issue]:
    """A warning for each fiche of a side member that the Standard member lacks."""
    for table in tables:
        for number, rows in table.rows.items():
            message = (
                f"{len(rows)} row(s) of {table.member.name} for fiche {number or '(none)'}, "
                "which the Standard member lacks; ignored"
            )
            yield Issue("orphan-row", message, Severity.WARNING, source, number or None, rows[0].location)
