"""The legacy "Résumé descriptif" reader on the real seed fiche RNCP 16575 and on broken copies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rncp_ld.errors import InputError
from rncp_ld.model import AccessRouteKind, Certification, LegalTextKind
from rncp_ld.readers.legacy_text import read
from rncp_ld.report import Issue, Severity

from conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _items(path: Path) -> tuple[list[Certification], list[Issue]]:
    found = list(read(path))
    return [x for x in found if isinstance(x, Certification)], [x for x in found if isinstance(x, Issue)]


def _variant(tmp_path: Path, old: str, new: str, name: str = "variant.txt") -> Path:
    assert old in SEED_TEXT
    path = tmp_path / name
    path.write_text(SEED_TEXT.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed() -> tuple[Certification, list[Issue]]:
    fiches, issues = _items(SEED)
    assert len(fiches) == 1
    return fiches[0], issues


@pytest.fixture(scope="module")
def fiche(seed) -> Certification:
    return seed[0]


def test_identity_and_provenance(fiche):
    assert fiche.number == "RNCP16575"
    assert fiche.title == "Coordinateur(trice) de l'intervention sociale et professionnelle"
    assert fiche.provenance.source == "rncp16575.txt"
    assert fiche.provenance.format == "legacy-text"
    assert fiche.provenance.line == 1


def test_certifier_with_signatory(fiche):
    assert len(fiche.certifiers) == 1
    assert fiche.certifiers[0].name == "Centre ressource AROBASE"
    assert fiche.certifiers[0].signatory == "Directeur Arobase"


def test_levels(fiche):
    assert (fiche.level, fiche.level_label, fiche.level_1969) == (5, "Niveau 5", "III")


def test_classifications(fiche):
    assert [(c.code, c.label) for c in fiche.nsf] == [
        ("332t", "Aide, conseil, orientation, soutien socio-éducatif")
    ]
    assert fiche.formacodes == ()
    assert fiche.ccn == ()
    assert [(c.code, c.label) for c in fiche.rome] == [
        ("K1801", "Conseil en emploi et insertion socioprofessionnelle"),
        ("K1201", "Action sociale"),
        ("K2111", "Formation professionnelle"),
    ]


def test_summary_objectives_and_activities(fiche):
    assert fiche.objectives.startswith("Le(la) coordinateur(trice) de l'intervention sociale")
    assert fiche.objectives.endswith("véritable acteur du développement territorial.")
    assert fiche.objectives.count("\n\n") == 2
    assert fiche.activities == (
        "A. Etude et analyse des politiques publiques et du développement des territoires",
        "B. Conseil et accompagnement du public, coordination de parcours",
        "C. Conduite et animation d'un projet social ou d'insertion",
    )
    assert fiche.activities_text.startswith("- A. Etude et analyse")


def test_capacity_groups(fiche):
    groups = fiche.capacity_groups
    assert [(g.letter, len(g.items)) for g in groups] == [("A", 4), ("B", 10), ("C", 9)]
    assert groups[0].title == "Etude et analyse des politiques publiques et du développement des territoires"
    assert groups[1].title == "Accueil, conseil et accompagnement du public, élaboration de parcours"
    assert groups[0].items[0] == "Utiliser les sources pertinentes d'informations"
    assert groups[2].items[-1] == "Animer une action de formation."
    assert fiche.capacities == ()  # the capacities are grouped
    assert fiche.capacities_text.startswith("- A. Etude et analyse")
    assert fiche.capacities_text.endswith("Animer une action de formation.")


def test_capacity_groups_matched_to_blocks_by_title_not_position(fiche):
    matched = {b.capacities.letter: b.code for b in fiche.blocks}
    assert matched == {"A": "RNCP16575BC01", "B": "RNCP16575BC03", "C": "RNCP16575BC02"}
    assert fiche.blocks[2].capacities is fiche.capacity_groups[1]


def test_sectors_and_jobs(fiche):
    assert fiche.sectors_text.startswith("Au sein d'Organisations de tailles différentes")
    assert len(fiche.sectors) == 4
    assert fiche.sectors[0].startswith("Secteur de l'emploi et de la formation : Pôle Emploi")
    assert fiche.sectors[3].startswith("Secteur de l'action médico-sociale")
    assert len(fiche.jobs) == 9
    assert fiche.jobs[0] == "Conseiller emploi-formation"
    assert fiche.jobs[-1] == "Responsable d'unité d'hébergement."
    assert "!" not in fiche.jobs_text


def test_components_and_validation(fiche):
    assert fiche.components_text.startswith("La certification se compose de trois blocs")
    assert "VAE" not in fiche.components_text
    assert fiche.validation_text.startswith("La validation est globale ou par blocs de compétences")
    assert fiche.validation_items == (
        "Un dossier décrivant les activités",
        "Un portefeuille de preuves",
        "Un entretien d'explicitation.",
    )
    assert fiche.components_validity == "illimitée"


def test_blocks(fiche):
    b1, b2, b3 = fiche.blocks
    assert [b.code for b in fiche.blocks] == ["RNCP16575BC01", "RNCP16575BC02", "RNCP16575BC03"]
    assert [b.number for b in fiche.blocks] == [1, 2, 3]
    assert b1.title == "Etude et veille des politiques publiques et du développement des territoires"
    assert b2.title == "Conduite et animation d'un projet social ou d'insertion"
    assert b3.title == "Conseil et accompagnement du public, coordination de parcours"
    assert b1.competences == (
        "Analyse les orientations de développement des territoires",
        "Analyse les politiques publiques et les dispositifs d'accompagnement",
        "Réalise des enquêtes de territoire ou de métiers",
        "Analyse des problématiques sociétales et leur évolution.",
    )
    assert [len(b.competences) for b in fiche.blocks] == [4, 7, 7]
    assert b2.competences[3] == (
        "Recherche les financements pertinents, étudie la faisabilité économique et sociale du projet"
    )
    assert b3.competences[-1] == "Coordonne son intervention avec les professionnels de l'accompagnement."
    assert len(b1.assessments) == 1
    assert b1.assessments[0].startswith("Réalisation d'une enquête de territoire")
    assert b2.assessments == (
        "En centre de formation : élaboration d'un projet de création d'une activité d'insertion, "
        "d'une action sociale ou de formation - note de synthèse écrite.",
        "En stage : mission répondant à une commande de la structure d'accueil - "
        "mémoire écrit et soutenance orale.",
    )
    assert [len(b.assessments) for b in fiche.blocks] == [1, 2, 2]
    assert b3.assessments[1].startswith("En stage : présenter une monographie")
    for block in fiche.blocks:
        assert "<" not in block.competences_text and "<" not in block.assessments_text


def test_access_routes(fiche):
    routes = {r.kind: r for r in fiche.access_routes}
    assert [r.kind for r in fiche.access_routes] == list(AccessRouteKind)
    assert {k for k, r in routes.items() if r.open} == {
        AccessRouteKind.CA,
        AccessRouteKind.FC,
        AccessRouteKind.CQ,
        AccessRouteKind.VAE,
    }
    jury3 = "Président : Universitaire ou Institutionnel 3 membres professionnels"
    assert routes[AccessRouteKind.CA].jury == jury3
    assert routes[AccessRouteKind.FC].jury == jury3
    assert routes[AccessRouteKind.CQ].jury == jury3
    assert (
        routes[AccessRouteKind.VAE].jury
        == "Président : Universitaire ou Institutionnel 2 membres professionnels"
    )
    assert routes[AccessRouteKind.FI].jury is None and routes[AccessRouteKind.CL].jury is None
    assert routes[AccessRouteKind.VAE].note == "dispositif VAE prévu en 2007"
    assert all(r.note is None for k, r in routes.items() if k is not AccessRouteKind.VAE)


def test_seed_warns_only_that_routes_were_inferred(seed):
    _, issues = seed
    assert [(i.type, i.severity, i.location) for i in issues] == [
        ("access-route-inferred", Severity.WARNING, "line 159")
    ]


def test_overseas(fiche):
    assert fiche.new_caledonia is False
    assert fiche.french_polynesia is False


def test_legal_texts(fiche):
    texts = fiche.legal_texts
    assert [t.kind for t in texts] == [LegalTextKind.CREATION] + [LegalTextKind.OTHER] * 5
    assert [(t.signed, t.published) for t in texts] == [
        (date(2007, 2, 23), date(2007, 3, 3)),
        (date(2016, 9, 26), date(2016, 10, 4)),
        (date(2012, 8, 10), date(2012, 8, 22)),
        (date(2008, 8, 7), date(2008, 8, 27)),
        (date(2004, 2, 19), date(2004, 2, 22)),
        (date(2003, 3, 17), date(2003, 3, 27)),
    ]
    assert texts[0].title.startswith("Arrêté du 23 février 2007 publié au Journal Officiel du 03 mars 2007")
    assert texts[3].title == (
        "Arrêté du 7 août 2008 publié au journal officiel du 27 août 2008 portant enregistrement au "
        "répertoire national des certifications professionnelles - Modification de l'intitulé."
    )
    assert texts[4].title.startswith("Décret n° 2004-171 du 19 février 2004")


def test_registrations(fiche):
    periods = fiche.registrations
    assert [(p.start, p.end, p.years, p.level) for p in periods] == [
        (None, date(2006, 12, 31), None, None),
        (date(2007, 3, 3), date(2012, 3, 3), 5, None),
        (date(2012, 3, 3), date(2016, 8, 22), 4, "III"),
        (date(2016, 8, 22), date(2021, 10, 4), 5, "III"),
    ]
    assert periods[0].act is fiche.legal_texts[4]  # the prorogation by the 2004 décret
    assert periods[1].act is fiche.legal_texts[0]
    assert periods[2].title == "Coordinateur de l'intervention sociale et professionnelle"
    assert periods[3].title == "Coordinateur(trice) de l'intervention sociale et professionnelle"
    assert fiche.end_date == date(2021, 10, 4)
    assert fiche.effective_date == date(2016, 8, 22)
    assert fiche.decision_date == date(2016, 9, 26)
    assert fiche.registration_years == 5
    assert fiche.last_jo_date == date(2016, 10, 4)


def test_more_information(fiche):
    assert len(fiche.statistics) == 1
    assert fiche.statistics[0].certified == 70
    assert fiche.statistics[0].text == "70 certifiés par an"
    assert fiche.emails == ("info@arobase-formations.fr",)
    assert fiche.urls == ("http://www.arobase-formations.fr",)
    assert fiche.certification_places == (
        "Centre ressource AROBASE : Auvergne Rhône-Alpes - Isère ( 38) [Grenoble]",
        "Centre ressource AROBASE : Auvergne Rhône-Alpes - Rhône ( 69) [Villeurbanne]",
        "CENTRE DE RESSOURCES AROBASE - 34 avenue de l'Europe - Le Trident D - 38100 GRENOBLE",
    )
    assert fiche.preparation_places == (
        "Centre AROBASE - 34 avenue de l'Europe - Le Trident D - 38100 Grenoble",
        "Centre AROBASE - 28 avenue de la Baisse - 69100 Villeurbanne",
    )
    assert fiche.history == (
        "Chargé d'insertion et du développement local - nouvel intitulé Coordinateur(trice) de "
        "l'intervention sociale et professionnelle (JO du 27 aout 2008)"
    )
    assert fiche.previous_titles == ("Coordinateur(trice) de l'intervention sociale et professionnelle",)


def test_nothing_left_over(fiche):
    assert fiche.extra == ()


# --- variants -------------------------------------------------------------------------------------


def test_unmatched_capacity_group_warns(tmp_path):
    path = _variant(
        tmp_path,
        "- B. Accueil, conseil et accompagnement du public, élaboration de parcours",
        "- B. Gestion comptable et financière",
    )
    (fiche,), issues = _items(path)
    unmatched = [i for i in issues if i.type == "capacity-group-unmatched"]
    assert len(unmatched) == 2
    assert all(i.severity is Severity.WARNING and i.fiche == "RNCP16575" for i in unmatched)
    assert "Gestion comptable et financière" in unmatched[0].message
    assert "Conseil et accompagnement du public, coordination de parcours" in unmatched[0].message
    assert "RNCP16575BC03" in unmatched[1].message
    assert fiche.blocks[2].capacities is None
    assert {b.capacities.letter for b in fiche.blocks[:2]} == {"A", "C"}


def test_missing_number_is_one_error(tmp_path):
    path = _variant(tmp_path, "**Code RNCP : 16575**", "")
    found = list(read(path))
    assert len(found) == 1
    assert isinstance(found[0], Issue)
    assert (found[0].type, found[0].severity, found[0].source) == (
        "missing-number",
        Severity.ERROR,
        "variant.txt",
    )


def test_bad_date_in_legal_text_skips_the_fiche(tmp_path):
    path = _variant(tmp_path, "Arrêté du 23 février 2007", "Arrêté du 31 février 2007")
    fiches, issues = _items(path)
    assert fiches == []
    errors = [i for i in issues if i.severity is Severity.ERROR]
    assert len(errors) == 1
    assert errors[0].type == "bad-date"
    assert errors[0].location == "line 180"
    assert errors[0].fiche == "RNCP16575"
    assert "31 février 2007" in errors[0].message and "Arrêté du 31 février 2007 publié" in errors[0].message


def test_bad_month_in_registration_is_an_error(tmp_path):
    path = _variant(tmp_path, "jusqu'au 04 octobre 2021", "jusqu'au 04 octobobre 2021")
    fiches, issues = _items(path)
    assert fiches == []
    assert [i.type for i in issues if i.severity is Severity.ERROR] == ["bad-date"]


def test_level_derived_from_1969_level(tmp_path):
    path = _variant(tmp_path, "**5 (Nomenclature Europe)**", "")
    (fiche,), issues = _items(path)
    assert (fiche.level, fiche.level_1969) == (5, "III")
    derived = [i for i in issues if i.type == "level-derived"]
    assert len(derived) == 1 and derived[0].severity is Severity.WARNING
    assert derived[0].location == "line 16"


def test_unknown_level_is_an_error(tmp_path):
    path = _variant(tmp_path, "**III (Nomenclature de 1969)**", "**VII (Nomenclature de 1969)**")
    fiches, issues = _items(path)
    assert fiches == []
    assert [(i.type, i.location) for i in issues] == [("unknown-level", "line 16")]


def test_tolerant_headings_and_unknown_sections(tmp_path):
    text = (
        SEED_TEXT.replace("### Intitulé", "# INTITULE :")
        .replace("##### **Statistiques :**", "Statistiques :")
        .replace(
            "#### Codes des fiches ROME les plus proches :", "**codes des fiches rome les plus proches**"
        )
        .replace("#### Base légale", "### Une rubrique inconnue\n\nTexte libre.\n\n#### Base légale")
    )
    path = tmp_path / "tolerant.txt"
    path.write_text(text, encoding="utf-8")
    (fiche,), _ = _items(path)
    assert fiche.title == "Coordinateur(trice) de l'intervention sociale et professionnelle"
    assert fiche.statistics[0].certified == 70
    assert len(fiche.rome) == 3
    assert fiche.extra == (("Une rubrique inconnue", "Texte libre."),)


def test_links_and_free_source_text_kept_in_extra(tmp_path):
    text = SEED_TEXT.replace(
        "-------------------------------------\n",
        "-------------------------------------\nRNCP 1234 Moniteur\tAccord franco-allemand\n",
    ).replace("<http://www.arobase-formations.fr>", "Site : <http://www.arobase-formations.fr>")
    path = tmp_path / "links.txt"
    path.write_text(text, encoding="utf-8")
    (fiche,), _ = _items(path)
    assert fiche.extra == (
        (
            "LIENS AVEC D'AUTRES CERTIFICATIONS / ACCORDS EUROPÉENS OU INTERNATIONAUX",
            "RNCP 1234 Moniteur\tAccord franco-allemand",
        ),
        (
            "Autres sources d'information",
            "[info@arobase-formations.fr](mailto:info@arobase-formations.fr)\n\n"
            "Site : <http://www.arobase-formations.fr>",
        ),
    )
    assert fiche.urls == ("http://www.arobase-formations.fr",)


def test_separate_oui_non_columns_decide(tmp_path):
    text = (
        SEED_TEXT.replace("CERTIFICATION\tOUINON\tCOMPOSITION", "CERTIFICATION\tOUI\tNON\tCOMPOSITION")
        .replace("d'étudiant\tX\t\n", "d'étudiant\t\tX\t\n")
        .replace("individuelle\tX\t\n", "individuelle\tX\t\tPrésident seul\n")
        .replace("apprentissage\tX\tPrésident", "apprentissage\t\tX\tPrésident")
    )
    path = tmp_path / "columns.txt"
    path.write_text(text, encoding="utf-8")
    (fiche,), issues = _items(path)
    routes = {r.kind: r for r in fiche.access_routes}
    assert routes[AccessRouteKind.FI].open is False
    assert routes[AccessRouteKind.CL].open is True
    assert routes[AccessRouteKind.CL].jury == "Président seul"
    assert routes[AccessRouteKind.CA].open is False  # X under NON despite its jury
    assert not [i for i in issues if i.type == "access-route-inferred"]


def test_crlf_and_nfd_text(tmp_path):
    import unicodedata

    path = tmp_path / "nfd.txt"
    path.write_bytes(unicodedata.normalize("NFD", SEED_TEXT).replace("\n", "\r\n").encode("utf-8"))
    (fiche,), _ = _items(path)
    assert fiche.title == "Coordinateur(trice) de l'intervention sociale et professionnelle"
    assert len(fiche.blocks) == 3 and fiche.end_date == date(2021, 10, 4)


def test_windows_1252_text(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(SEED_TEXT.encode("cp1252"))
    (fiche,), _ = _items(path)
    assert fiche.nsf[0].label == "Aide, conseil, orientation, soutien socio-éducatif"


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Réunion du 3 mars\nordre du jour\n".encode()],
    ids=["empty", "blank", "binary", "not-a-fiche"],
)
def test_not_a_legacy_fiche_raises(tmp_path, content):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError):
        list(read(path))
