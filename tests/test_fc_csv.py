"""The reader of the France Compétences CSV zip export, on the real sample and broken copies of it."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from rncp_ld.errors import InputError
from rncp_ld.model import AccessRouteKind, Certification, Code, Partner, Registry
from rncp_ld.readers import fc_csv
from rncp_ld.readers import read as read_any
from rncp_ld.report import Issue, Severity

from conftest import CSV_ZIP, CSV_ZIP_NFD, collect

NUMBERS = [
    "RNCP509", "RNCP1197", "RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271", "RS5000", "RNCP19468", "RS6117",
]  # fmt: skip
STANDARD = "export_fiches_CSV_Standard_2024_02_22.csv"


def _read(path: Path) -> tuple[dict[str, Certification], list[Issue]]:
    return collect(fc_csv.read(path))


@pytest.fixture(scope="module")
def sample() -> dict[str, Certification]:
    return _read(CSV_ZIP)[0]


def _member(part: str) -> str:
    return f"export_fiches_CSV_{part}_2024_02_22.csv"


def _sample_members() -> dict[str, bytes]:
    """The sample's members by their real (UTF-8) name."""
    with zipfile.ZipFile(CSV_ZIP) as archive:
        return {i.filename.encode("cp437").decode("utf-8"): archive.read(i) for i in archive.infolist()}


def _zip(tmp_path: Path, members: dict[str, bytes], name: str = CSV_ZIP.name) -> Path:
    """A zip of ``members``; Python sets the UTF-8 flag on the non-ASCII names."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _edited(tmp_path: Path, part: str, old: str, new: str) -> Path:
    """The sample with the first ``old`` of member ``part`` replaced by ``new``."""
    members = _sample_members()
    text = members[_member(part)].decode("utf-8")
    assert old in text
    members[_member(part)] = text.replace(old, new, 1).encode("utf-8")
    return _zip(tmp_path, members)


# The real sample


def test_fiches_in_standard_order_and_orphan_row_warned() -> None:
    items = list(fc_csv.read(CSV_ZIP))
    assert [i.number for i in items if isinstance(i, Certification)] == NUMBERS
    assert items[-1] == Issue(
        "orphan-row",
        f"1 row(s) of {_member('Ancienne_Nouvelle_Certification')} for fiche RNCP38228, "
        "which the Standard member lacks; ignored",
        Severity.WARNING,
        CSV_ZIP.name,
        "RNCP38228",
        f"{_member('Ancienne_Nouvelle_Certification')}:line 3",
    )
    assert sum(isinstance(i, Issue) for i in items) == 1


def test_rncp509(sample: dict[str, Certification]) -> None:
    fiche = sample["RNCP509"]
    assert fiche.title == "Agent vérificateur d'appareils extincteurs"
    assert fiche.registry is Registry.RNCP
    assert fiche.fiche_id == 14791
    assert fiche.abbreviation == Code("CAP", "Certificat d'aptitude professionnelle")
    assert (fiche.level, fiche.level_label) == (3, "Niveau 3")
    assert fiche.active is False
    assert (fiche.new_caledonia, fiche.french_polynesia) == (False, False)
    assert fiche.end_date == date(2023, 8, 31)
    assert fiche.decision_date is None and fiche.effective_date is None and fiche.last_jo_date is None
    assert [(r.start, r.end) for r in fiche.registrations] == [(None, date(2023, 8, 31))]
    assert fiche.registration_type == "Enregistrement de droit"
    assert fiche.partial_validation is None
    assert [(c.name, c.siret) for c in fiche.certifiers] == [
        ("MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE", "11004301500012")
    ]
    assert [(b.code, b.number, b.title) for b in fiche.blocks] == [
        ("RNCP509BC05", 5, "UG2 : Mathématiques-Sciences physiques et chimiques"),
        ("RNCP509BC06", 6, "UG3 : Éducation physique et sportive"),
        ("RNCP509BC01", 1, "UP1 : Vérification d’une installation et organisation de l’intervention"),
        ("RNCP509BC02", 2, "UP2 : Vérification d’une installation de robinet incendie armé"),
        ("RNCP509BC03", 3, "UP3 : Vérification d’extincteurs et démonstration d’utilisation"),
        ("RNCP509BC04", 4, "UG1 : Français – Histoire, géographie et enseignement moral et civique"),
    ]
    assert all(b.competences == () for b in fiche.blocks)
    K = AccessRouteKind
    assert [(r.kind, r.open) for r in fiche.access_routes] == [
        (K.VAE, True), (K.CL, True), (K.FI, True), (K.CA, True), (K.CQ, True), (K.FC, True),
    ]  # fmt: skip
    assert fiche.rome == (Code("I1203", "Maintenance des bâtiments et des locaux"),)
    assert fiche.nsf == (Code("251", "Mécanique générale et de précision, usinage"),)
    assert fiche.formacodes == (Code("42872", "Sécurité incendie"),)
    assert (fiche.replaces, fiche.replaced_by) == ((), ("RNCP38228",))
    assert fiche.provenance.source == CSV_ZIP.name
    assert fiche.provenance.format == "fc-csv"
    assert fiche.provenance.export_date == date(2024, 2, 22)
    assert fiche.provenance.line == 2


def test_rome_labels_lose_doubled_apostrophes(sample: dict[str, Certification]) -> None:
    assert sample["RNCP4049"].rome == (
        Code("D1407", "Relation technico-commerciale"),
        Code("D1406", "Management en force de vente"),
        Code("H1102", "Management et ingénierie d'affaires"),
    )
    assert not any("''" in (c.label or "") for f in sample.values() for c in f.rome)


def test_nsf_and_formacode_labels_lose_their_code_prefix(sample: dict[str, Certification]) -> None:
    codes = [c for f in sample.values() for c in f.nsf + f.formacodes]
    assert len(codes) == 15
    assert all(c.label and not c.label.startswith(c.code) for c in codes)
    assert sample["RNCP1197"].nsf == (Code("221w", "Commercialisation de produits alimentaires"),)


def test_replacement_chain(sample: dict[str, Certification]) -> None:
    assert (sample["RNCP1197"].replaces, sample["RNCP1197"].replaced_by) == ((), ("RNCP4049",))
    assert (sample["RNCP4049"].replaces, sample["RNCP4049"].replaced_by) == (("RNCP1197",), ("RNCP22094",))
    assert (sample["RNCP30271"].replaces, sample["RNCP30271"].replaced_by) == (("RNCP28155",), ())


def test_rncp19468_without_level_replaced_by_rs6117(sample: dict[str, Certification]) -> None:
    fiche = sample["RNCP19468"]
    assert fiche.level is None
    assert fiche.level_label is not None and fiche.level_label.startswith("Sans niveau")
    assert fiche.replaced_by == ("RS6117",)
    assert fiche.last_jo_date == date(2018, 7, 21)
    assert fiche.ccn == (Code("3117", "Boulangerie-pâtisserie (Entreprises artisanales)"),)
    successor = sample["RS6117"]
    assert successor.replaces == ("RNCP19468",)
    assert successor.level is None and successor.level_label is None
    assert [c.siret for c in successor.certifiers] == ["78466840200018", "31504294500032"]
    assert [(p.name, p.siret) for p in successor.partners][-2:] == [
        ("ASS OUVRIERE COMPAGNON DEVOIR TOUR FRANC", "77566202600381"),
        ("ASS OUVRIERE COMPAGNON DEVOIR TOUR FRANC", "77566202600050"),
    ]


def test_rs5000(sample: dict[str, Certification]) -> None:
    fiche = sample["RS5000"]
    assert fiche.registry is Registry.RS
    assert fiche.title == "Exploiter la blockchain dans le développement d’applications"
    assert fiche.fiche_id == 2
    assert fiche.active is True
    assert fiche.level is None and fiche.abbreviation is None
    assert fiche.partial_validation is False
    assert (fiche.decision_date, fiche.end_date) == (date(2019, 6, 13), date(2024, 5, 24))
    assert [(r.start, r.end) for r in fiche.registrations] == [(date(2019, 6, 13), date(2024, 5, 24))]
    assert [(c.name, c.siret) for c in fiche.certifiers] == [("SIMPLON.CO", "79279132900016")]
    assert fiche.partners == (
        Partner("ALYRA", "82815245400033", "HABILITATION_ORGA_FORM"),
        Partner("ACADEE", "87920070700013", "HABILITATION_ORGA_FORM"),
        Partner("ORSYS", "48276116000019", "HABILITATION_ORGA_FORM"),
    )
    assert fiche.formacodes == (Code("31004", "Blockchain"),)
    assert fiche.nsf == (
        Code("326", "Informatique, traitement de l'information, réseaux de transmission"),
        Code("114b", "Modèles mathématiques ; Informatique mathématique"),
    )
    K = AccessRouteKind
    assert [(r.kind, r.open) for r in fiche.access_routes] == [(K.FC, True), (K.CL, True), (K.VAE, True)]
    assert fiche.blocks == () and fiche.rome == () and fiche.ccn == ()


def test_nfd_member_names_read_identically_but_for_the_removed_row(sample: dict[str, Certification]) -> None:
    fiches, issues = _read(CSV_ZIP_NFD)
    assert list(fiches) == NUMBERS
    assert [i.type for i in issues] == ["orphan-row"]
    assert (fiches["RNCP22094"].replaces, fiches["RNCP22094"].replaced_by) == ((), ())
    assert sample["RNCP22094"].replaced_by == ("RNCP28155",)
    for number in NUMBERS:
        if number != "RNCP22094":
            assert fiches[number] == sample[number], number


def test_registry_detects_and_reads_the_csv_zip(sample: dict[str, Certification]) -> None:
    fiches = [f for f in read_any(CSV_ZIP) if isinstance(f, Certification)]
    assert fiches == list(sample.values())


# Variants the reader tolerates


def test_utf8_flagged_names_and_bom_read_the_same(tmp_path: Path, sample: dict[str, Certification]) -> None:
    members = _sample_members()
    members[STANDARD] = b"\xef\xbb\xbf" + members[STANDARD]
    assert _read(_zip(tmp_path, members))[0] == sample


def test_plain_apostrophes_in_access_routes(tmp_path: Path, sample: dict[str, Certification]) -> None:
    members = _sample_members()
    part = _member("VoixdAccès")
    members[part] = members[part].decode("utf-8").replace("’", "'").encode("utf-8")
    assert _read(_zip(tmp_path, members))[0] == sample


def test_missing_side_members_give_fiches_without_that_data(tmp_path: Path) -> None:
    fiches, issues = _read(_zip(tmp_path, {STANDARD: _sample_members()[STANDARD]}))
    assert list(fiches) == NUMBERS and issues == []
    rncp509 = fiches["RNCP509"]
    assert rncp509.blocks == () and rncp509.certifiers == () and rncp509.access_routes == ()
    assert rncp509.abbreviation == Code("CAP", "Certificat d'aptitude professionnelle")


@pytest.mark.parametrize(
    ("zip_name", "dated_members", "expected"),
    [
        ("export.zip", True, date(2024, 2, 22)),
        ("export-fiches-csv-2024-03-01.zip", False, date(2024, 3, 1)),
        ("export.zip", False, None),
    ],
)
def test_export_date_from_member_or_zip_name(
    tmp_path: Path, zip_name: str, dated_members: bool, expected: date | None
) -> None:
    members = {
        (name if dated_members else name.replace("_2024_02_22", "")): data
        for name, data in _sample_members().items()
    }
    fiches, _ = _read(_zip(tmp_path, members, zip_name))
    assert list(fiches) == NUMBERS
    assert {f.provenance.export_date for f in fiches.values()} == {expected}


# Bad values: one error for the fiche, the others are read


@pytest.mark.parametrize(
    ("part", "old", "new", "type", "fiche", "line", "column"),
    [
        ("Standard", '"31/08/2023"', '"31/02/2023"', "bad-date", "RNCP509", 2, "Date_Fin_Enregistrement"),
        ("Standard", '"NIV3"', '"NIV9"', "unknown-level", "RNCP509", 2, "Nomenclature_Europe_Niveau"),
        ("Standard", '"ACTIVE"', '"PEUT-ETRE"', "bad-boolean", "RS5000", 8, "Actif"),
        ("Standard", '"14791"', '"14791a"', "bad-number", "RNCP509", 2, "Id_Fiche"),
        ("Certificateurs", "\t79279132900016", "\t7927913290001", "bad-siret", "RS5000", 4,
         "Siret_Certificateur"),
        ("Partenaires", "\t87920070700013", "\tSIRET", "bad-siret", "RS5000", 3, "Siret_Partenaire"),
        ("VoixdAccès", '"RS5000";"Par expérience"', '"RS5000";"Par correspondance"',
         "bad-access-route", "RS5000", 28, "Si_Jury"),
    ],
)  # fmt: skip
def test_bad_value_skips_the_fiche(
    tmp_path: Path, part: str, old: str, new: str, type: str, fiche: str, line: int, column: str
) -> None:
    fiches, issues = _read(_edited(tmp_path, part, old, new))
    assert list(fiches) == [n for n in NUMBERS if n != fiche]
    error = issues[0]
    assert (error.type, error.severity, error.fiche) == (type, Severity.ERROR, fiche)
    assert (error.source, error.location) == (CSV_ZIP.name, f"{_member(part)}:line {line}")
    assert f"{_member(part)} line {line}, column {column}: " in error.message
    assert new.split(";")[-1].strip('"\t') in error.message
    assert [i.type for i in issues[1:]] == ["orphan-row"]


def test_missing_block_code(tmp_path: Path) -> None:
    fiches, issues = _read(_edited(tmp_path, "Blocs_De_Compétences", '"RNCP509BC06";"UG3', '"";"UG3'))
    assert "RNCP509" not in fiches and len(fiches) == 8
    member = _member("Blocs_De_Compétences")
    error = issues[0]
    assert (error.type, error.fiche, error.location) == ("missing-value", "RNCP509", f"{member}:line 3")
    assert error.message == f"{member} line 3, column Bloc_Competences_Code: empty, expected a value"


def test_bad_date_message(tmp_path: Path) -> None:
    _, issues = _read(_edited(tmp_path, "Standard", '"31/08/2023"', '"2023-08-31"'))
    assert issues[0].message == (
        f"{STANDARD} line 2, column Date_Fin_Enregistrement: bad date '2023-08-31', expected dd/mm/yyyy"
    )


def test_row_with_wrong_field_count(tmp_path: Path) -> None:
    fiches, issues = _read(_edited(tmp_path, "Rome", '"RNCP509";"I1203";', '"RNCP509";"I1203";"x";'))
    assert "RNCP509" not in fiches and len(fiches) == 8
    assert issues[0].type == "bad-row"
    assert issues[0].message.startswith(f"{_member('Rome')} line 2: 4 fields, expected 3")


def test_duplicate_fiche_in_standard(tmp_path: Path) -> None:
    members = _sample_members()
    rows = members[STANDARD].split(b"\r\n")
    members[STANDARD] = b"\r\n".join([*rows[:-1], rows[1], b""])
    fiches, issues = _read(_zip(tmp_path, members))
    assert list(fiches) == NUMBERS
    assert (issues[0].type, issues[0].fiche, issues[0].location) == (
        "duplicate-fiche", "RNCP509", f"{STANDARD}:line 11",
    )  # fmt: skip


def test_unknown_member_warned(tmp_path: Path) -> None:
    members = {**_sample_members(), "export_fiches_CSV_Statistiques_2024_02_22.csv": b"x\r\n"}
    fiches, issues = _read(_zip(tmp_path, members))
    assert list(fiches) == NUMBERS
    assert (issues[0].type, issues[0].severity) == ("unknown-member", Severity.WARNING)
    assert issues[0].location == "export_fiches_CSV_Statistiques_2024_02_22.csv"


# Unreadable sources


def test_wrong_header_names_member_column_and_expected(tmp_path: Path) -> None:
    path = _edited(tmp_path, "Nsf", '"Nsf_Intitule"', '"Nsf_Libelle"')
    with pytest.raises(InputError) as caught:
        list(fc_csv.read(path))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"{CSV_ZIP.name}:{_member('Nsf')}:line 1: wrong header: {_member('Nsf')} ")
    assert "'Nsf_Libelle' in column 3 where 'Nsf_Intitule' was expected" in text
    assert "(expected the header Numero_Fiche;Nsf_Code;Nsf_Intitule)" in text


def test_missing_column_in_header(tmp_path: Path) -> None:
    path = _edited(tmp_path, "Standard", ';"Actif"\r\n', "\r\n")
    with pytest.raises(InputError, match="lacks column 16 'Actif'"):
        list(fc_csv.read(path))


def test_zip_without_standard(tmp_path: Path) -> None:
    members = _sample_members()
    del members[STANDARD]
    with pytest.raises(InputError) as caught:
        list(fc_csv.read(_zip(tmp_path, members)))
    assert str(caught.value) == (
        f"{CSV_ZIP.name}: no Standard member in the zip "
        "(expected a member export_fiches_CSV_Standard_AAAA_MM_JJ.csv)"
    )


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / CSV_ZIP.name
    path.write_text('"Id_Fiche";"Numero_Fiche"\r\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a zip file"):
        list(fc_csv.read(path))


def test_member_not_utf8(tmp_path: Path) -> None:
    members = _sample_members()
    members[STANDARD] = members[STANDARD].decode("utf-8").encode("cp1252")
    with pytest.raises(InputError, match=f"{STANDARD} is not UTF-8 text"):
        list(fc_csv.read(_zip(tmp_path, members)))
