"""The shipped vocabularies (vocab/*.ttl), their build script and the loader."""

from __future__ import annotations

import csv
import itertools
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from rncp_ld.namespaces import DCAT, DCTERMS, PROV, RDF, RDFS, RNCP, SKOS, XSD
from rncp_ld.uris import DEFAULT_BASE, Minter, eqf
from rncp_ld.vocabularies import Vocabularies

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "vocab"
EXTERNAL = ROOT.parent / "shared" / "vocab-external"
BASE = "https://example.org/kg/"
ESCO = "http://data.europa.eu/esco/occupation/"

needs_external = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="shared/vocab-external not available")


@pytest.fixture(scope="module")
def vocab() -> Vocabularies:
    return Vocabularies.load(Minter(BASE))


@pytest.fixture(scope="module")
def m() -> Minter:
    return Minter(BASE)


def fr(text: str) -> Literal:
    return Literal(text, lang="fr")


def concepts(vocab: Vocabularies, scheme: URIRef, pattern: str) -> set[str]:
    """Notations of the concepts of ``scheme`` matching the regex ``pattern``."""
    return {
        str(n)
        for s in vocab.graph.subjects(SKOS.inScheme, scheme)
        for n in vocab.graph.objects(s, SKOS.notation)
        if re.fullmatch(pattern, str(n))
    }


def esco_rows() -> list[dict[str, str]]:
    """The rows of the official appellation-level table, under its column header."""
    with (EXTERNAL / "esco" / "FR_20230607_mapping_esco_rome.csv").open(encoding="utf-8", newline="") as f:
        lines = itertools.dropwhile(lambda line: not line.startswith("classification 1 ID"), f)
        return list(csv.DictReader(lines))


# ROME


def test_k1801_labels_and_broader_chain(vocab, m):
    k1801 = m.rome("K1801")
    assert vocab.values(k1801, SKOS.prefLabel) == (fr("Conseil en emploi et insertion socioprofessionnelle"),)
    assert vocab.values(k1801, SKOS.altLabel) == (
        fr("Conseiller / Conseillère en insertion professionnelle"),
    )
    assert vocab.values(k1801, SKOS.notation) == (Literal("K1801"),)
    assert vocab.broader(k1801) == (m.rome_group("K18"), m.rome_group("K"))
    assert vocab.label(m.rome_group("K18")) == fr("Développement territorial et emploi")
    assert (m.rome_group("K"), SKOS.topConceptOf, m.scheme("rome")) in vocab.describe(m.rome_group("K"))
    assert vocab.values(k1801, SKOS.inScheme) == (m.scheme("rome"),)
    page = URIRef("https://candidat.francetravail.fr/metierscope/fiche-metier/K1801")
    assert vocab.values(k1801, RDFS.seeAlso) == (page,)


def test_rome_counts(vocab, m):
    scheme = m.scheme("rome")
    assert len(concepts(vocab, scheme, r"[A-N]\d{4}")) == 532
    assert len(concepts(vocab, scheme, r"[A-N]\d{2}")) == 110
    assert concepts(vocab, scheme, r"[A-N]") == set("ABCDEFGHIJKLMN")
    assert vocab.rome("H01") is None  # sub-family rows of the domaines file are not domaines


@needs_external
def test_rome_agrees_with_the_derived_table(vocab, m):
    with (EXTERNAL / "rome" / "rome_v3_codes.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 532
    for row in rows:
        code = m.rome(row["code_rome"])
        assert vocab.label(code) == fr(row["libelle_rome_v3"])
        assert vocab.values(code, SKOS.altLabel) == (fr(row["libelle_rome_4_v460"]),)
        domaine, grand = vocab.broader(code)
        assert domaine == m.rome_group(row["code_domaine_professionnel"])
        assert vocab.label(domaine) == fr(row["libelle_domaine_professionnel"])
        assert vocab.label(grand) == fr(row["libelle_grand_domaine"])


# ROME → ESCO


@needs_external
def test_k1801_close_match_is_the_largest_share(vocab, m):
    ogr_to_rome = dict(
        line.strip().split("|")
        for line in (EXTERNAL / "rome" / "rome_v3_ogr_to_rome.psv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    )
    shares = Counter(
        r["classification 1 ID"] for r in esco_rows() if ogr_to_rome[r["classification 2 ID"]] == "K1801"
    )
    (best, count), (_, second) = shares.most_common(2)
    assert count > second and best == ESCO + "42a96d07-1e1d-49ae-9399-c1f4be27ddea"
    assert vocab.close_matches(m.rome("K1801")) == (URIRef(best),)
    assert vocab.label(URIRef(best)) == fr("conseiller à l’emploi/conseillère à l’emploi")


@needs_external
def test_every_code_follows_the_rule_of_the_derived_table(vocab, m):
    counts: defaultdict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    with (EXTERNAL / "esco" / "rome_v3_to_esco_occupation.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            counts[r["code_rome"]][r["esco_occupation_uri"]] = (
                int(r["n_appellations_mapped"]),
                int(r["n_appellations_in_fiche_mapped"]),
            )
    assert len(counts) == 532
    spread = Counter()
    for code, occupations in counts.items():
        top = max(n for n, _ in occupations.values())
        expected = {URIRef(o) for o, (n, total) in occupations.items() if n == top or n / total >= 0.25}
        assert set(vocab.close_matches(m.rome(code))) == expected, code
        spread[len(expected)] += 1
    assert spread == {1: 372, 2: 153, 3: 6, 5: 1}


def test_every_match_has_a_label_and_a_method(vocab, m):
    mapping = URIRef(BASE + "mapping/rome-esco")
    matched = {s for s in vocab.graph.subjects(SKOS.closeMatch, None) if s.startswith(BASE + "rome/")}
    assert len(matched) == 532
    for code in matched:
        assert vocab.values(code, RNCP.escoMappingMethod) == (mapping,)
        for occupation in vocab.close_matches(code):
            assert occupation.startswith(ESCO)
            assert vocab.label(occupation) is not None
            assert (occupation, RDF.type, SKOS.Concept) in vocab.describe(occupation)


def test_mapping_set_describes_its_derivation(vocab):
    mapping = URIRef(BASE + "mapping/rome-esco")
    assert {DCAT.Dataset, PROV.Entity} <= set(vocab.values(mapping, RDF.type))
    (description,) = vocab.values(mapping, DCTERMS.description)
    for fact in (
        "DERIVED",
        "appellation-level",
        "V1.4",
        "07/06/2022",
        "v1.0.9",
        "ROME V3.0",
        "largest share",
        ">= 0.25",
        "11118 rows",
        "701 skos:closeMatch links from 532 ROME codes",
        "372 with 1, 153 with 2, 6 with 3, 1 with 5",
    ):
        assert fact in description
    assert set(vocab.values(mapping, DCTERMS.license)) == {
        URIRef("http://data.europa.eu/eli/dec/2011/833/oj"),
        URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
    }
    rights = {str(r) for r in vocab.values(mapping, DCTERMS.rights)}
    assert rights == {
        "This service uses the ESCO classification of the European Commission.",
        "Source : France Travail – ROME",
    }
    sources = vocab.values(mapping, DCTERMS.source)
    assert sources == vocab.values(mapping, PROV.wasDerivedFrom)
    table = next(s for s in sources if str(s).endswith("FR_20230607_mapping_esco_rome.csv"))
    assert "59a5753ac136dd829fe53bbe29c90f8431d8f4b3" in table
    assert str(vocab.values(table, DCTERMS.issued)[0]) == "2022-06-07"
    assert vocab.values(mapping, DCTERMS.created) == (Literal("2026-12-06", datatype=XSD.date),)


# NSF and levels


def test_nsf_structure(vocab, m):
    scheme = m.scheme("nsf")
    assert len(concepts(vocab, scheme, r"\d")) == 4
    assert len(concepts(vocab, scheme, r"\d\d")) == 17
    assert len(concepts(vocab, scheme, r"\d{3}")) == 93
    assert len(concepts(vocab, scheme, r"[a-z]")) == 17
    group = m.nsf("332")
    assert vocab.nsf("332") == group
    assert vocab.label(group) == fr("Travail social.")
    assert vocab.broader(group) == (m.nsf("33"), URIRef(BASE + "nsf/3"))
    assert vocab.label(m.nsf("33")) == fr("Services aux personnes")
    assert vocab.label(vocab.nsf("t")) == fr("Réalisation du service.")
    assert vocab.nsf("332t") is None  # finer specialities come from the fiches


def test_levels(vocab, m):
    five = m.level(5)
    assert vocab.level("NIV5") == vocab.level(5) == five
    assert vocab.values(five, SKOS.exactMatch) == (eqf(5),)
    assert vocab.values(five, SKOS.notation) == (Literal("5"),)
    assert vocab.values(five, DCTERMS.identifier) == (Literal("NIV5"),)
    assert vocab.label(five) == fr("Niveau 5")
    assert vocab.values(m.level_1969("III"), SKOS.closeMatch) == (five,)
    assert vocab.values(m.level_1969("I"), SKOS.closeMatch) == (m.level(7), m.level(8))
    assert vocab.values(m.level_1969("V"), SKOS.closeMatch) == (m.level(3),)
    assert {vocab.level(n) for n in range(1, 9)} == {m.level(n) for n in range(1, 9)}
    assert (eqf(5), RDF.type, SKOS.Concept) in vocab.describe(eqf(5))


def test_concepts_fit_the_elm_concept_shape(vocab):
    """ELM LOQ ConceptShape: one notation, one prefLabel per language, altLabel not a prefLabel."""
    schemes = set(vocab.graph.subjects(RDF.type, SKOS.ConceptScheme))
    for concept in vocab.graph.subjects(RDF.type, SKOS.Concept):
        assert len(vocab.values(concept, SKOS.notation)) <= 1, concept
        labels = vocab.values(concept, SKOS.prefLabel)
        assert len({label.language for label in labels}) == len(labels), concept
        assert not set(labels) & set(vocab.values(concept, SKOS.altLabel)), concept
        assert set(vocab.values(concept, SKOS.inScheme)) <= schemes, concept


# Loader


def test_describe_and_contains(vocab, m):
    k1801 = m.rome("K1801")
    assert k1801 in vocab
    assert URIRef(BASE + "rome/Z9999") not in vocab
    assert vocab.describe(URIRef(BASE + "rome/Z9999")) == ()
    assert set(vocab.describe(k1801)) == set(vocab.graph.triples((k1801, None, None)))
    assert all(s == k1801 for s, _, _ in vocab.describe(k1801))


def test_closure_carries_what_a_fiche_graph_needs(vocab, m):
    closure = set(vocab.closure(m.rome("K1801")))
    occupation = URIRef(ESCO + "42a96d07-1e1d-49ae-9399-c1f4be27ddea")
    mapping = URIRef(BASE + "mapping/rome-esco")
    assert set(vocab.describe(m.rome_group("K"))) <= closure
    assert (m.scheme("rome"), RDF.type, SKOS.ConceptScheme) in closure
    assert (occupation, SKOS.prefLabel, fr("conseiller à l’emploi/conseillère à l’emploi")) in closure
    assert set(vocab.describe(mapping)) <= closure
    assert not any(p == SKOS.closeMatch and s != m.rome("K1801") for s, p, _ in closure)


def test_load_is_cached_per_base(vocab):
    assert Vocabularies.load(Minter(BASE)) is vocab
    assert Vocabularies.load(Minter("https://other.test/x/")) is not vocab


@pytest.mark.parametrize("base", ["https://other.test/data/", "https://other.test/kg#", "urn:example:kg:"])
def test_relative_iris_resolve_against_the_base(vocab, base):
    other = Vocabularies.load(Minter(base))
    assert other.rome("K1801") == URIRef(base + "rome/K1801")
    assert other.broader(other.nsf("332")) == (URIRef(base + "nsf/33"), URIRef(base + "nsf/3"))

    def move(term):
        return (
            URIRef(BASE + term[len(base) :]) if isinstance(term, URIRef) and term.startswith(base) else term
        )

    assert {tuple(move(t) for t in triple) for triple in other.graph} == set(vocab.graph)
    assert not any(str(t).startswith(DEFAULT_BASE) for triple in other.graph for t in triple)


# Files and build


@pytest.mark.parametrize("name", ["rome.ttl", "rome-esco.ttl", "nsf.ttl", "levels.ttl"])
def test_files_parse_with_relative_iris(name):
    text = (VOCAB / name).read_text(encoding="utf-8")
    assert "@base" not in text and DEFAULT_BASE not in text
    graph = Graph().parse(VOCAB / name, format="turtle", publicID=BASE)
    subjects = {str(s) for s in graph.subjects()}
    assert any(s.startswith(BASE) for s in subjects)
    assert all(
        s.startswith((BASE, ESCO, "http://data.europa.eu/snb/eqf/", "https://github.com/")) for s in subjects
    )


def test_files_are_small():
    assert sum(p.stat().st_size for p in VOCAB.glob("*.ttl")) < 1_500_000


def build(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [
        sys.executable,
        str(ROOT / "scripts" / "build_vocab.py"),
        "--shared",
        str(EXTERNAL),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.startswith("wrote 8300 triples")
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@needs_external
def test_build_is_deterministic_and_matches_the_shipped_files(tmp_path):
    first, second = build(tmp_path / "a", "1"), build(tmp_path / "b", "2")
    assert first == second
    shipped = {name: (VOCAB / name).read_bytes() for name in first}
    assert set(first) == {"README.md", "levels.ttl", "nsf.ttl", "rome-esco.ttl", "rome.ttl"}
    assert first == shipped, "vocab/ differs from a fresh build: run python scripts/build_vocab.py"
