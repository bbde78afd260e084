"""The list splitter, on real strings of the XML export and on the other list styles."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from rncp_ld.readers.items import split_items

from conftest import RNCP_XML


@pytest.fixture(scope="module")
def blocks() -> dict[str, etree._Element]:
    tree = etree.parse(str(RNCP_XML))
    return {b.findtext("CODE"): b for b in tree.iterfind("FICHE/BLOCS_COMPETENCES/BLOC_COMPETENCES")}


def test_star_bullets_rncp37488bc01():
    text = (
        "* Valider le fonctionnement d’un réseau      * Coder          * Installer une infrastructure réseau"
        "      * Exploiter une installation réseau      * Maintenir un réseau"
    )
    assert split_items(text) == (
        "Valider le fonctionnement d’un réseau",
        "Coder",
        "Installer une infrastructure réseau",
        "Exploiter une installation réseau",
        "Maintenir un réseau",
    )


def test_dash_bullets_two_spaces_rncp35809bc03():
    text = (
        "- Réceptionner un support avant intervention  - Organiser la pré-réception de l’ouvrage réalisé  "
        "- Réceptionner les ouvrages exécutés  - Lever les réserves le cas échéant  - Implanter un ouvrage  "
        "- Mesurer ou contrôler des performances conformément aux réglementations et exigences du marché"
    )
    assert split_items(text) == (
        "Réceptionner un support avant intervention",
        "Organiser la pré-réception de l’ouvrage réalisé",
        "Réceptionner les ouvrages exécutés",
        "Lever les réserves le cas échéant",
        "Implanter un ouvrage",
        "Mesurer ou contrôler des performances conformément aux réglementations et exigences du marché",
    )


def test_wrapped_lines_inside_an_item_are_joined_rncp35625bc03():
    text = (
        "- Identifier, sélectionner et analyser avec esprit critique diverses ressources   spécialisées pour "
        "documenter un sujet et synthétiser ces données en vue de   leur exploitation    - Communiquer à des "
        "fins de   formation ou de transfert de connaissances, par oral et par écrit, en   français et dans "
        "au moins une langue étrangère"
    )
    assert split_items(text) == (
        "Identifier, sélectionner et analyser avec esprit critique diverses ressources spécialisées pour "
        "documenter un sujet et synthétiser ces données en vue de leur exploitation",
        "Communiquer à des fins de formation ou de transfert de connaissances, par oral et par écrit, en "
        "français et dans au moins une langue étrangère",
    )


def test_no_glyph_two_spaces_rncp37674bc02():
    text = (
        "Mettre en place une base de données relationnelle  Développer des composants d'accès aux données "
        "SQL et NoSQL  Développer des composants métier coté serveur  Documenter le déploiement d'une "
        "application dynamique web ou web mobile"
    )
    assert split_items(text) == (
        "Mettre en place une base de données relationnelle",
        "Développer des composants d'accès aux données SQL et NoSQL",
        "Développer des composants métier coté serveur",
        "Documenter le déploiement d'une application dynamique web ou web mobile",
    )


def test_assessment_lines_rncp35625bc06():
    text = (
        "Réaliser une proposition de conception lumière pour une œuvre scénique    Objectif : présenter un "
        "projet de conception incluant une méthodologie.    La présentation est réalisée devant un jury de "
        "professionnels."
    )
    assert split_items(text) == (
        "Réaliser une proposition de conception lumière pour une œuvre scénique",
        "Objectif : présenter un projet de conception incluant une méthodologie.",
        "La présentation est réalisée devant un jury de professionnels.",
    )


def test_a_missing_bullet_still_starts_an_item_rncp39568bc06():
    text = (
        "- Identifier, sélectionner et analyser avec esprit critique diverses sources de savoirs hautement "
        "spécialisés   Définir et instruire une problématique en mobilisant une démarche  - Défendre, à "
        "l’écrit, l’analyse proposée"
    )
    assert split_items(text) == (
        "Identifier, sélectionner et analyser avec esprit critique diverses sources de savoirs hautement "
        "spécialisés",
        "Définir et instruire une problématique en mobilisant une démarche",
        "Défendre, à l’écrit, l’analyse proposée",
    )


def test_dotted_codes_are_kept_rncp35419bc01():
    text = (
        "C.1. Organiser et conduire une réunion      C.2. Analyser les besoins du client.      "
        "C.3. Analyser l’environnement technologique."
    )
    assert split_items(text) == (
        "C.1. Organiser et conduire une réunion",
        "C.2. Analyser les besoins du client.",
        "C.3. Analyser l’environnement technologique.",
    )


def test_numbered_lists_with_lower_case_items_rs5719():
    text = (
        "Le secouriste possède les compétences pour assurer sa propre sécurité, ou dans l'attente de "
        "ceux-ci:    1. évoluer dans le cadre juridique applicable à son action de secours;    4. Réaliser "
        "les gestes de premiers secours face à une personne :       4.1 victime d'une obstruction des voies "
        "aériennes ;       4.2 victime d'un saignement abondant ;     5. Assister des équipiers secouristes."
    )
    assert split_items(text) == (
        "Le secouriste possède les compétences pour assurer sa propre sécurité, ou dans l'attente de "
        "ceux-ci:",
        "1. évoluer dans le cadre juridique applicable à son action de secours;",
        "4. Réaliser les gestes de premiers secours face à une personne :",
        "4.1 victime d'une obstruction des voies aériennes ;",
        "4.2 victime d'un saignement abondant ;",
        "5. Assister des équipiers secouristes.",
    )


def test_a_code_alone_before_a_gap_joins_its_text_rncp36490bc03():
    text = "3.1  Organiser le déploiement de la solution    3.1.1 Concevoir un plan de déploiement"
    assert split_items(text) == (
        "3.1 Organiser le déploiement de la solution",
        "3.1.1 Concevoir un plan de déploiement",
    )


def test_a_bullet_alone_before_a_gap_rncp35625bc02():
    text = "- Apporter des contributions novatrices    -   Conduire une analyse réflexive"
    assert split_items(text) == ("Apporter des contributions novatrices", "Conduire une analyse réflexive")


def test_a_number_then_a_lower_case_word_continues_rncp34762bc02():
    text = "A2C7. Retours en s'appuyant sur des évaluations  360° ou équivalents       A2C8. et A2C9. Journal"
    assert split_items(text) == (
        "A2C7. Retours en s'appuyant sur des évaluations 360° ou équivalents",
        "A2C8. et A2C9. Journal",
    )


def test_single_sentence_is_one_item_rncp36490bc02():
    text = (
        "Projet de développement d’application réel ou simulé en centre. Le projet est travaillé sur une "
        "amplitude de 3 mois environ. Le dossier est composé d’environ 15 pages."
    )
    assert split_items(text) == (text,)


def test_star_then_o_two_level_list():
    text = (
        "    * Gérer le patrimoine informatique            o Recenser et identifier les ressources numériques"
        "            o Exploiter des référentiels      * Répondre aux incidents et aux demandes"
    )
    assert split_items(text) == (
        "Gérer le patrimoine informatique",
        "Recenser et identifier les ressources numériques",
        "Exploiter des référentiels",
        "Répondre aux incidents et aux demandes",
    )


def test_a_lone_o_inside_a_sentence_does_not_split():
    text = "Choisir le mode o selon le besoin et le contexte o en tenant compte des normes"
    assert split_items(text) == (text,)


def test_inline_round_bullets_and_line_breaks():
    assert split_items("Préambule • Coder • Tester") == ("Préambule", "Coder", "Tester")
    assert split_items("- Analyser\n- Proposer une solution\n  technique") == (
        "Analyser",
        "Proposer une solution technique",
    )


def test_empty_and_punctuation_only():
    assert split_items(None) == ()
    assert split_items("   ") == ()
    assert split_items("*       *") == ()


def test_coded_assessments_with_a_note_rncp34762bc04(blocks):
    items = split_items(blocks["RNCP34762BC04"].findtext("MODALITES_EVALUATION"))
    assert [i.split(" ")[0] for i in items] == ["NB.", "A4C1", "A4C2.", "A4C3.", "A4C5.", "A4C6", "A4C8."]
    assert items[0] == (
        "NB. Les compétences A4C1 à A4C7 peuvent être traitées au travers d’une même situation ou de "
        "manière dissociée"
    )
    assert items[-1] == (
        "A4C8. Situation d'utilisation d'outils de traitement automatique des données (Excel, Python,…)"
    )


def test_heading_then_codes_rncp34762bc05(blocks):
    items = split_items(blocks["RNCP34762BC05"].findtext("LISTE_COMPETENCES"))
    assert [i.split(" ")[0] for i in items] == ["En", "A5.C1.", "A5.C2.", "A5.C3.", "A5.C4.", "A5.C5."]
    assert items[0].endswith("la pérennité économique de l’organisation :")


def test_hierarchical_numbering_rncp36490bc03(blocks):
    items = split_items(blocks["RNCP36490BC03"].findtext("LISTE_COMPETENCES"))
    assert [i.split(" ")[0] for i in items] == [
        "3.1", "3.1.1", "3.1.2.", "3.1.3", "3.2", "3.2.1", "3.2.2", "3.2.3", "3.3", "3.3.1", "3.3.2", "3.3.3",
    ]  # fmt: skip


def test_every_block_of_the_fixture_gives_clean_items(blocks):
    assert len(blocks) == 53
    competences = assessments = 0
    for code, block in blocks.items():
        for tag in ("LISTE_COMPETENCES", "MODALITES_EVALUATION"):
            text = block.findtext(tag)
            items = split_items(text)
            assert items, (code, tag)
            for item in items:
                assert item == item.strip() and "  " not in item, (code, item)
                assert not re.match(r"[*•\-–o]\s", item), (code, item)
                if item[0].islower():  # only a bulleted item may start in lower case
                    assert re.search(r"[-*•]\s+" + re.escape(item[:20]), text), (code, item)
            competences += len(items) if tag == "LISTE_COMPETENCES" else 0
            assessments += len(items) if tag == "MODALITES_EVALUATION" else 0
    assert (competences, assessments) == (348, 245)
