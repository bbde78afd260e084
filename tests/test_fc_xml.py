"""The reader of the France Compétences XML export, on the real samples and broken copies of them."""

from __future__ import annotations

import dataclasses
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from rncp_ld.errors import InputError
from rncp_ld.model import AccessRouteKind, Certification, Code, Correspondence, LegalTextKind, Registry
from rncp_ld.readers import fc_xml
from rncp_ld.readers import read as read_any
from rncp_ld.report import Issue, Severity

from conftest import RNCP_XML, RS_XML, collect

RNCP_NUMBERS = [
    "RNCP34762", "RNCP35809", "RNCP35625", "RNCP35419", "RNCP37488", "RNCP40344",
    "RNCP36612", "RNCP37674", "RNCP36490", "RNCP35959", "RNCP37873", "RNCP39568",
]  # fmt: skip
RS_NUMBERS = ["RS6232", "RS5719", "RS6547", "RS5000", "RS5568", "RS6604", "RS7485", "RS7423"]


def _read(path: Path) -> tuple[dict[str, Certification], list[Issue]]:
    return collect(fc_xml.read(path))


@pytest.fixture(scope="module")
def rncp() -> dict[str, Certification]:
    fiches, issues = _read(RNCP_XML)
    assert issues == []
    return fiches


@pytest.fixture(scope="module")
def rs() -> dict[str, Certification]:
    fiches, issues = _read(RS_XML)
    assert issues == []
    return fiches


def _edit(text: str, number: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` once, inside the FICHE of ``number`` only."""
    at = text.index(f"<NUMERO_FICHE>{number}<")
    start, end = text.rindex("<FICHE>", 0, at), text.index("</FICHE>", at)
    fiche = text[start:end]
    assert old in fiche, (number, old)
    return text[:start] + fiche.replace(old, new, 1) + text[end:]


def _line_of(text: str, number: str) -> int:
    """The line of the <FICHE> holding ``number``."""
    start = text.rindex("<FICHE>", 0, text.index(f"<NUMERO_FICHE>{number}<"))
    return text.count("\n", 0, start) + 1


def _write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the real samples ----------------------------------------------------------------


def test_every_fiche_is_read_in_order(rncp, rs):
    assert list(rncp) == RNCP_NUMBERS
    assert list(rs) == RS_NUMBERS
    assert {c.registry for c in rncp.values()} == {Registry.RNCP}
    assert {c.registry for c in rs.values()} == {Registry.RS}


def test_provenance(rncp):
    fiche = rncp["RNCP34762"]
    assert fiche.provenance.source == "export_fiches_RNCP_fixture.xml"
    assert fiche.provenance.format == "fc-xml"
    assert fiche.provenance.flux_version == "4.1"
    assert fiche.provenance.export_date is None
    assert fiche.provenance.line == 4
    assert rncp["RNCP35625"].provenance.line == 337
    assert fiche.fiche_id == 20172


def test_blocks_and_their_codes(rncp, rs):
    assert sum(len(c.blocks) for c in rncp.values()) == 53
    assert [b.code for b in rncp["RNCP34762"].blocks] == [f"RNCP34762BC0{i}" for i in range(1, 6)]
    assert [b.number for b in rncp["RNCP34762"].blocks] == [1, 2, 3, 4, 5]
    assert [(b.code, b.title) for b in rncp["RNCP37674"].blocks] == [
        ("RNCP37674BC01", "Développer la partie front-end d'une application web ou web mobile sécurisée"),
        ("RNCP37674BC02", "Développer la partie back-end d'une application web ou web mobile sécurisée"),
    ]
    assert [b.code for b in rncp["RNCP35625"].blocks][-1] == "RNCP35625BC10"
    for fiche in rncp.values():
        assert all(b.code.startswith(fiche.number + "BC") and not b.optional for b in fiche.blocks)
    assert all(c.blocks == () for c in rs.values())


def test_block_lists_are_split_and_kept(rncp):
    block = rncp["RNCP37488"].blocks[0]
    assert block.competences == (
        "Valider le fonctionnement d’un réseau",
        "Coder",
        "Installer une infrastructure réseau",
        "Exploiter une installation réseau",
        "Maintenir un réseau",
    )
    assert block.competences_text.startswith("* Valider le fonctionnement d’un réseau      * Coder")
    coded = rncp["RNCP35419"].blocks[0]
    assert [c[:4] for c in coded.competences] == ["C.1.", "C.2.", "C.3.", "C.4.", "C.5."]
    assert coded.assessments == ("Cas pratiques", "Mise en situation professionnelle simulée")
    assert coded.assessments_text == "Cas pratiques    Mise en situation professionnelle simulée"


def test_titles_levels_and_abbreviations(rncp, rs):
    fiche = rncp["RNCP34762"]
    assert fiche.title == "Programme Grande Ecole – Diplôme d’études supérieures en management"
    assert (fiche.level, fiche.level_label) == (7, "Niveau 7")
    assert fiche.abbreviation == Code("DipViGrM", "Diplôme visé grade de master")
    assert fiche.status == "Publiée"
    assert {n: rncp[n].level for n in ("RNCP37488", "RNCP35809", "RNCP36490", "RNCP35419")} == {
        "RNCP37488": 4, "RNCP35809": 5, "RNCP36490": 6, "RNCP35419": 7,
    }  # fmt: skip
    assert rncp["RNCP36612"].abbreviation is None
    assert rncp["RNCP35625"].status == "Modifications à valider par le ministère"
    assert all(c.level is None and c.level_label is None for c in rs.values())
    assert rs["RS6547"].title == "Enseigner l’anglais (CELTA)"


def test_classification_codes(rncp):
    fiche = rncp["RNCP34762"]
    assert fiche.nsf == (
        Code("313", "Finances, banque, assurances, immobilier"),
        Code("310", "Spécialités plurivalentes des échanges et de la gestion"),
        Code("315p", "Spécialités plurivalentes des échanges et de la gestion (organisation, gestion)"),
    )
    assert [r.code for r in fiche.rome] == ["M1202", "M1205", "M1705", "M1402", "M1707"]
    assert rncp["RNCP37674"].rome == (Code("M1805", "Études et développement informatique"),)
    assert fiche.formacodes[0] == Code("34254", "Commerce international")
    assert len(fiche.formacodes) == 5


def test_certifiers(rncp, rs):
    first, second = rncp["RNCP34762"].certifiers
    assert first.name == "ETABLISSEMENT D'ENSEIGNEMENT SUPERIEUR CONSULAIRE GRENOBLE ECOLE DE MANAGEMENT"
    assert (first.siret, first.active, first.status_date) == ("81738914100018", True, date(2020, 7, 23))
    assert (second.name, second.siret) == (
        "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE",
        "11004401300040",
    )
    snvel = rncp["RNCP40344"].certifiers[1]
    assert (snvel.name, snvel.siret, snvel.active) == ("SNVEL", None, True)
    ministry = rs["RS5719"].certifiers[0]
    assert ministry.website == "https://www.interieur.gouv.fr/Accueil"
    assert [(o.siret, o.active) for o in rs["RS6232"].certifiers] == [
        ("93905426800023", True), ("84210466300039", False), ("84210466300013", False),
    ]  # fmt: skip


def test_partners(rncp, rs):
    partners = rncp["RNCP37674"].partners
    assert len(partners) == 471
    assert partners[0].name == "10MENTIONWEB FORMATION"
    assert (partners[0].siret, partners[0].habilitation) == ("88055223700047", "HABILITATION_ORGA_FORM")
    assert (partners[0].state, partners[0].status_date) == ("Actif", date(2026, 8, 14))
    assert sum(len(c.partners) for c in rncp.values()) == 1079
    assert sum(len(c.partners) for c in rs.values()) == 408
    assert rncp["RNCP34762"].partners == ()


def test_access_routes(rncp, rs):
    routes = {r.kind: r for r in rncp["RNCP34762"].access_routes}
    assert list(routes) == list(AccessRouteKind)
    assert {k for k, r in routes.items() if r.open} == set(AccessRouteKind) - {AccessRouteKind.CL}
    assert routes[AccessRouteKind.CL].jury is None
    assert routes[AccessRouteKind.FI].jury.startswith("Le jury est nommé par le Recteur d’Académie.")
    modified = {r.modified for r in rncp["RNCP36490"].access_routes}
    assert modified == {date(2022, 6, 7)}
    for fiche in rs.values():
        assert AccessRouteKind.CA not in {r.kind for r in fiche.access_routes}
        assert len(fiche.access_routes) == 5


def test_dates_and_registration(rncp, rs):
    fiche = rncp["RNCP34762"]
    assert (fiche.effective_date, fiche.end_date) == (date(2020, 9, 1), date(2024, 8, 31))
    assert fiche.publication_date == date(2020, 7, 23)
    assert (fiche.registration_type, fiche.active) == ("Enregistrement de droit", False)
    assert [(r.start, r.end, r.years) for r in fiche.registrations] == [
        (date(2020, 9, 1), date(2024, 8, 31), None)
    ]
    vet = rncp["RNCP40344"]
    assert (vet.decision_date, vet.end_date, vet.delivery_deadline) == (
        date(2025, 3, 28), date(2028, 3, 28), date(2032, 3, 28),
    )  # fmt: skip
    assert (vet.registration_years, vet.registrations[0].start, vet.registrations[0].years) == (
        3, date(2025, 3, 28), 3,
    )  # fmt: skip
    assert rncp["RNCP36612"].last_jo_date == date(2016, 10, 4)
    assert (rs["RS5000"].decision_date, rs["RS5000"].end_date) == (date(2019, 5, 24), date(2024, 5, 24))
    assert (rncp["RNCP37488"].new_caledonia, rncp["RNCP37488"].french_polynesia) == (True, True)
    assert (fiche.new_caledonia, fiche.french_polynesia) == (False, False)


def test_legal_texts(rncp, rs):
    general, creation, other = rncp["RNCP34762"].legal_texts
    assert (general.kind, creation.kind, other.kind) == (
        LegalTextKind.GENERAL, LegalTextKind.CREATION, LegalTextKind.OTHER,
    )  # fmt: skip
    assert general.title.startswith("Arrêté du 4 novembre 1985 paru au Journal officiel du 9 novembre 1985")
    assert (general.signed, general.published) == (date(1985, 11, 4), date(1985, 11, 9))
    assert creation.published == date(2020, 7, 23)
    assert creation.signed is None  # "Arrêté du 08/07/2020": no French date to read
    assert [t.kind for t in rs["RS5719"].legal_texts] == [LegalTextKind.CREATION, LegalTextKind.OTHER]
    assert rncp["RNCP35419"].legal_texts == ()


def test_replacements_and_correspondences(rncp, rs):
    assert rncp["RNCP34762"].replaced_by == ("RNCP39568",)
    assert rncp["RNCP34762"].replaces == ("RNCP24998",)
    assert rncp["RNCP39568"].replaces == ("RNCP34762",)
    assert (rs["RS5000"].replaced_by, rs["RS6604"].replaces) == (("RS6604",), ("RS5000",))
    correspondences = rncp["RNCP40344"].correspondences
    assert len(correspondences) == 8
    assert correspondences[0] == Correspondence("RNCP37507", ("RNCP40344BC04",), ("RNCP37507BC04",))
    assert rncp["RNCP37674"].correspondences[0] == Correspondence("RNCP31114")


def test_statistics(rncp, rs):
    first, second = rncp["RNCP34762"].statistics
    stats = (first.year, first.certified, first.certified_vae, first.insertion_rate_6_months)
    assert stats == (2018, 876, 1, 76)
    assert first.job_insertion_rate_2_years is None
    assert (second.year, second.certified, second.job_insertion_rate_2_years) == (2017, 853, 81)
    assert [(s.year, s.certified) for s in rs["RS6232"].statistics] == [(2020, 4), (2021, 9)]


def test_texts_urls_and_extra(rncp, rs):
    assert rncp["RNCP36612"].urls == (
        "https://formation.hautsdefrance.cci.fr/formation/assistant-ressources-humaines-niveau-5-bac2-diplome-certifie-par-letat",
        "https://www.cciformation63.com/formations/assistante-ressources-humaines",
        "https://www.ifa-rouen.fr/formations/assistante-en-ressources-humaines/",
        "https://www.sifco.eu/formation/assistante-ressources-humaines",
    )
    assert rncp["RNCP36612"].level_years == (2022, 2021)
    assert rncp["RNCP37674"].has_partners is True and rncp["RNCP34762"].has_partners is False
    assert all(
        tag not in dict(c.extra)
        for c in rncp.values()
        for tag in ("ANNEES_PROMOTIONS_NIVEAU", "EXISTENCE_PARTENAIRES")
    )
    assert rs["RS6232"].urls == ()
    assert (
        "LIEN_URL_DESCRIPTION",
        "Certificat de compétences Repérage Amiante Navire – ADX Formation (adx-formation.com)",
    ) in rs["RS6232"].extra
    assert rncp["RNCP37488"].urls == ()  # "*       *": nothing kept
    assert "LIEN_URL_DESCRIPTION" not in dict(rncp["RNCP37488"].extra)
    assert rncp["RNCP37488"].activities[:2] == (
        "Les principales activités sont :",
        "Installation et qualification",
    )
    assert rs["RS6547"].capacities[0].startswith("1 : Préparer des sessions de formation d’anglais")
    assert (rs["RS6232"].mastery_level, rs["RS6232"].partial_validation) == ("sans objet", False)
    assert rs["RS5719"].validation_prerequisites is None
    assert rncp["RNCP35959"].jobs[1:4] == (
        "Développeur web",
        "Développeur front end",
        "Développeur multimédia",
    )


def test_zip_gives_the_same_fiches_with_the_export_date(tmp_path, rncp):
    archive = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(RNCP_XML, "export_fiches_RNCP_V4_1_2026-08-16.xml")
    fiches, issues = _read(archive)
    assert issues == [] and list(fiches) == RNCP_NUMBERS
    for number, fiche in fiches.items():
        assert fiche.provenance.export_date == date(2026, 8, 16)
        assert fiche.provenance.source == archive.name
        provenance = dataclasses.replace(fiche.provenance, source=RNCP_XML.name, export_date=None)
        assert dataclasses.replace(fiche, provenance=provenance) == rncp[number]


def test_export_date_from_the_xml_name_and_the_registry(tmp_path):
    path = _write(tmp_path, RS_XML.read_text(encoding="utf-8"), "export_fiches_RS_V4_1_2026-08-16.xml")
    fiches = [c for c in read_any(path) if isinstance(c, Certification)]
    assert len(fiches) == 8
    assert {c.provenance.export_date for c in fiches} == {date(2026, 8, 16)}


# --- broken fiches: one issue each, the others are read --------------------------------


@pytest.fixture(scope="module")
def rs_text() -> str:
    return RS_XML.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "type", "words"),
    [
        ("<DATE_FIN_ENREGISTREMENT>24/05/2024<", "<DATE_FIN_ENREGISTREMENT>31/02/2024<", "bad-date",
         ["DATE_FIN_ENREGISTREMENT", "'31/02/2024'", "dd/mm/yyyy"]),
        ("<SIRET_CERTIFICATEUR>79279132900016<", "<SIRET_CERTIFICATEUR>7927913290<", "bad-siret",
         ["CERTIFICATEURS/CERTIFICATEUR[1]/SIRET_CERTIFICATEUR", "'7927913290'", "14 digits"]),
        ("<ACTIF>Non</ACTIF>\n    <PREREQUIS", "<ACTIF>Peut-être</ACTIF>\n    <PREREQUIS", "bad-boolean",
         ["ACTIF", "'Peut-être'", "Oui or Non"]),
        ("<DUREE_ENREGISTREMENT>5<", "<DUREE_ENREGISTREMENT>cinq<", "bad-number",
         ["DUREE_ENREGISTREMENT", "'cinq'", "digits"]),
        ("<ETAT_CERTIFICATEUR>Actif<", "<ETAT_CERTIFICATEUR>Oui peut-être<", "bad-boolean",
         ["CERTIFICATEURS/CERTIFICATEUR[1]/ETAT_CERTIFICATEUR"]),
    ],
)  # fmt: skip
def test_one_bad_value_skips_only_its_fiche(tmp_path, rs_text, old, new, type, words):
    text = _edit(rs_text, "RS5000", old, new)
    fiches, issues = _read(_write(tmp_path, text))
    assert list(fiches) == [n for n in RS_NUMBERS if n != "RS5000"]
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.type, issue.severity, issue.fiche) == (type, Severity.ERROR, "RS5000")
    # the line of the FICHE child holding the bad value
    start = text.index("<NUMERO_FICHE>RS5000<")
    child = f"<{words[0].split('/')[0]}>" if "/" in words[0] else new
    line = text.count("\n", 0, text.index(child, start)) + 1
    assert (issue.source, issue.location) == ("export.xml", f"line {line}")
    assert all(w in issue.message for w in words), issue.message


def test_missing_number_names_the_fiche_by_position(tmp_path, rs_text):
    line = _line_of(rs_text, "RS5000")
    text = rs_text.replace("<NUMERO_FICHE>RS5000</NUMERO_FICHE>", "", 1)
    fiches, issues = _read(_write(tmp_path, text))
    assert len(fiches) == 7
    assert [(i.type, i.fiche, i.location) for i in issues] == [("missing-number", "FICHE #4", f"line {line}")]


def test_missing_title(tmp_path, rs_text):
    title = "<INTITULE>Premiers secours en équipe de niveau 1</INTITULE>"
    text = _edit(rs_text, "RS5719", title, "<INTITULE/>")
    fiches, issues = _read(_write(tmp_path, text))
    assert "RS5719" not in fiches and len(fiches) == 7
    assert [(i.type, i.fiche) for i in issues] == [("missing-title", "RS5719")]
    assert "INTITULE" in issues[0].message


def test_unknown_level_and_bad_block_code(tmp_path):
    text = RNCP_XML.read_text(encoding="utf-8")
    text = _edit(text, "RNCP35809", "<NIVEAU>NIV5<", "<NIVEAU>NIV9<")
    text = _edit(text, "RNCP37488", "<CODE>RNCP37488BC02<", "<CODE>RNCP99999BC02<")
    fiches, issues = _read(_write(tmp_path, text))
    assert len(fiches) == 10
    assert [(i.type, i.fiche) for i in issues] == [
        ("unknown-level", "RNCP35809"),
        ("bad-block-code", "RNCP37488"),
    ]
    assert "NOMENCLATURE_EUROPE/NIVEAU" in issues[0].message and "'NIV9'" in issues[0].message
    assert "BLOCS_COMPETENCES/BLOC_COMPETENCES[2]/CODE" in issues[1].message
    assert "'RNCP99999BC02'" in issues[1].message and "RNCP37488BCnn" in issues[1].message


def test_bare_block_code_is_normalised_with_a_warning(tmp_path):
    text = RNCP_XML.read_text(encoding="utf-8")
    text = _edit(text, "RNCP37488", "<CODE>RNCP37488BC02<", "<CODE>02<")
    text = _edit(text, "RNCP37488", "<LIBELLE>Mise en œuvre", "<LIBELLE>Mise en œuvre (Bloc facultatif)")
    fiches, issues = _read(_write(tmp_path, text))
    assert len(fiches) == 12
    assert [(i.type, i.severity, i.fiche) for i in issues] == [
        ("block-code-normalised", Severity.WARNING, "RNCP37488")
    ]
    assert "'02'" in issues[0].message and "RNCP37488BC02" in issues[0].message
    first, second = fiches["RNCP37488"].blocks
    assert (second.code, second.number) == ("RNCP37488BC02", 2)
    assert first.optional and not second.optional


def test_partner_with_a_bad_siret_is_kept_without_it(tmp_path, rs_text):
    text = _edit(rs_text, "RS5000", "<SIRET_PARTENAIRE>", "<SIRET_PARTENAIRE>X")
    fiches, issues = _read(_write(tmp_path, text))
    assert len(fiches) == 8
    assert [(i.type, i.severity) for i in issues] == [("bad-partner-siret", Severity.WARNING)]
    assert fiches["RS5000"].partners[0].siret is None
    assert fiches["RS5000"].partners[1].siret is not None


def test_unknown_elements_are_kept_in_extra(tmp_path, rs_text):
    text = _edit(rs_text, "RS5000", "<ETAT_FICHE>", "<NOUVEAU_CHAMP>  valeur  </NOUVEAU_CHAMP><ETAT_FICHE>")
    fiches, issues = _read(_write(tmp_path, text))
    assert issues == []
    assert ("NOUVEAU_CHAMP", "valeur") in fiches["RS5000"].extra


# --- older flux versions -----------------------------------------------------------------


def test_other_flux_version_is_read_with_a_warning(tmp_path, rs_text):
    text = rs_text.replace("<VERSION_FLUX>4.1</VERSION_FLUX>", "<VERSION_FLUX>3.0</VERSION_FLUX>", 1)
    items = list(fc_xml.read(_write(tmp_path, text)))
    assert isinstance(items[0], Issue)
    assert (items[0].type, items[0].severity) == ("unexpected-flux-version", Severity.WARNING)
    assert "'3.0'" in items[0].message
    fiches = [i for i in items[1:] if isinstance(i, Certification)]
    assert len(fiches) == 8 and fiches[0].provenance.flux_version == "3.0"


V2 = """<?xml version="1.0" encoding="UTF-8"?>
<FICHES>
  <VERSION_FLUX>2.0</VERSION_FLUX>
  <FICHE>
    <NUMERO_FICHE>RNCP1234</NUMERO_FICHE>
    <INTITULE><![CDATA[Technicien & réseaux]]></INTITULE>
    <NOMENCLATURE_EUROPE><NIVEAU>NIV5</NIVEAU><INTITULE>Niveau 5</INTITULE></NOMENCLATURE_EUROPE>
    <CODES_NSF><NSF><CODE>326</CODE><INTITULE>Informatique</INTITULE></NSF></CODES_NSF>
    <SI_JURY_FI>Oui</SI_JURY_FI>
    <JURY_FI>Trois professionnels</JURY_FI>
    <SI_JURY_VAE>Non</SI_JURY_VAE>
    <CCN_1><NUMERO>1486</NUMERO><LIBELLE>Syntec</LIBELLE></CCN_1>
  </FICHE>
</FICHES>
"""


def test_v2_labels_and_juries(tmp_path):
    items = list(fc_xml.read(_write(tmp_path, V2)))
    assert [i.type for i in items if isinstance(i, Issue)] == ["unexpected-flux-version"]
    (fiche,) = [i for i in items if isinstance(i, Certification)]
    assert fiche.title == "Technicien & réseaux"
    assert (fiche.level, fiche.level_label) == (5, "Niveau 5")
    assert fiche.nsf == (Code("326", "Informatique"),)
    assert fiche.ccn == (Code("1486", "Syntec"),)
    assert [(r.kind, r.open, r.jury) for r in fiche.access_routes] == [
        (AccessRouteKind.FI, True, "Trois professionnels"),
        (AccessRouteKind.VAE, False, None),
    ]


# --- files that cannot be read ---------------------------------------------------------


def test_truncated_file_yields_the_fiches_before_the_break(tmp_path, rs_text):
    cut = rs_text.index("<NUMERO_FICHE>RS5568<") + 200
    path = _write(tmp_path, rs_text[:cut], "cut.xml")
    seen = []
    with pytest.raises(InputError) as caught:
        for item in fc_xml.read(path):
            seen.append(item.number)
    assert seen == RS_NUMBERS[:4]
    message = str(caught.value)
    assert message.startswith(f"cut.xml:line {rs_text[:cut].count(chr(10)) + 1}: ")
    assert "truncated" in message and "\n" not in message


def test_mismatched_tag_mid_file(tmp_path, rs_text):
    text = _edit(rs_text, "RS5568", "</INTITULE>", "</TITRE>")
    seen = []
    with pytest.raises(InputError, match=r"export\.xml:line \d+: .*mismatch"):
        for item in fc_xml.read(_write(tmp_path, text)):
            seen.append(item.number)
    assert seen == RS_NUMBERS[:4]


def test_other_root_is_refused(tmp_path):
    path = _write(tmp_path, "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='urn:x'><FICHE/></rdf:RDF>")
    expected = "not a France Compétences export: root element is rdf:RDF, expected FICHES"
    with pytest.raises(InputError, match=expected):
        list(fc_xml.read(path))


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"export\.xml: empty file"):
        list(fc_xml.read(_write(tmp_path, "  \n")))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE FICHES [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>
<FICHE><NUMERO_FICHE>RS1</NUMERO_FICHE><INTITULE>&lol9;</INTITULE></FICHE></FICHES>
"""


def _xxe(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE FICHES [<!ENTITY secret SYSTEM "file://{secret}">]>
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>
<FICHE><NUMERO_FICHE>RS1</NUMERO_FICHE><INTITULE>&secret;</INTITULE></FICHE></FICHES>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused_quickly(tmp_path, encoding):
    text = BILLION_LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    path = tmp_path / "bomb.xml"
    path.write_bytes(text.encode(encoding))
    started = time.perf_counter()
    with pytest.raises(InputError, match="refused: the export never declares a DTD or entities") as caught:
        list(fc_xml.read(path))
    assert time.perf_counter() - started < 1
    assert "lol" not in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_entity_is_refused_and_nothing_leaks(tmp_path, encoding):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    text = _xxe(secret).replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    path = tmp_path / "xxe.xml"
    path.write_bytes(text.encode(encoding))
    items = []
    with pytest.raises(InputError, match="DOCTYPE refused") as caught:
        items.extend(fc_xml.read(path))
    assert items == []
    assert "TOP-SECRET" not in str(caught.value)


def test_zip_without_xml_and_not_a_zip(tmp_path):
    archive = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(InputError, match="zip holds 0 XML files"):
        list(fc_xml.read(archive))
    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.zip: not a readable zip file"):
        list(fc_xml.read(fake))
