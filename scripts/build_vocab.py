"""Build the project's vocabularies ``vocab/*.ttl`` from the shared external data files.

Usage: ``python scripts/build_vocab.py [--shared DIR] [--out DIR] [--threshold 0.25] [--created DATE]``

Reads the ROME, ESCO-ROME, NSF and level tables of ``../shared/vocab-external`` (never copied:
only codes, labels and mappings are turned into RDF) and writes ``rome.ttl``, ``rome-esco.ttl``,
``nsf.ttl``, ``levels.ttl`` and ``README.md``. Project IRIs are written relative (``<rome/K1801>``,
no ``@base``) so that the loader resolves them against the user's base. The output is
deterministic: same inputs and options, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from rncp_ld.namespaces import ADMS, DCAT, DCTERMS, EQF, ESCO, PREFIXES, PROV, RDF, RDFS, RNCP, SKOS, XSD
from rncp_ld.uris import DEFAULT_BASE, Minter, eqf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "vocab-external"
DEFAULT_OUT = ROOT / "vocab"
DEFAULT_THRESHOLD = 0.25
DEFAULT_CREATED = "2026-12-06"
"""Date of the vocabularies (``dct:created``): bump it when the sources or the rules change."""

M = Minter(DEFAULT_BASE)
"""Mints under a placeholder base; :func:`turtle` writes these IRIs relative to it."""

LICENCE_OUVERTE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
EU_REUSE_DECISION = URIRef("http://data.europa.eu/eli/dec/2011/833/oj")
ROME_ATTRIBUTION = Literal("Source : France Travail – ROME", lang="fr")
ESCO_ATTRIBUTION = Literal("This service uses the ESCO classification of the European Commission.", lang="en")
ROME_DATASET = URIRef(
    "https://www.data.gouv.fr/fr/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/"
)
DECRET_2019_14 = URIRef("https://www.legifrance.gouv.fr/eli/decret/2019/1/8/MTRD1834949D/jo/texte")
INSEE_LEVELS = URIRef("https://www.insee.fr/fr/metadonnees/definition/c2296")
METIERSCOPE = "https://candidat.francetravail.fr/metierscope/fiche-metier/{}"


@dataclass(frozen=True)
class Source:
    """A file of a public GitHub repository, at a commit."""

    repo: str
    path: str
    commit: str

    @property
    def iri(self) -> URIRef:
        return URIRef(f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}")


_LBB = "StartupsPoleEmploi/labonneboite"
_LBB_DATA = "db37474df191be49a4f001f44322cc820b3b2339"
_LBB_REF = "5b43228273d413772f1f9f5bccd4e7f7f2233192"
ROME_LABELS = Source(_LBB, "labonneboite/common/data/rome_labels.csv", _LBB_DATA)
OGR_TO_ROME = Source(_LBB, "labonneboite/common/data/ogr_rome_mapping.csv", _LBB_DATA)
ROME_DOMAINES = Source(_LBB, "ROME_NAF/referentiels/referentiel_ROME/domaine_2016_12.csv", _LBB_REF)
ROME_GRANDS = Source(_LBB, "ROME_NAF/referentiels/referentiel_ROME/famille_2015_09.csv", _LBB_REF)
ROME_V460 = Source(
    "tomjoy75/code_rome",
    "data/RefRomeCsv/unix_referentiel_code_rome_v460_utf8.csv",
    "e6dd795280434f3c3b764a2860dd56f7c99983b0",
)
ESCO_ROME = Source(
    "Avature/melo-benchmark",
    "data/raw/crosswalks_original/european_vs_esco/FR_20230607_mapping_esco_rome.csv",
    "59a5753ac136dd829fe53bbe29c90f8431d8f4b3",
)
NSF_TEXT = Source(
    "etalab/codes-juridiques-francais",
    "codes-en-vigueur/code-de-l-education/partie-reglementaire/livre-iii/titre-ier/chapitre-ier/"
    "section-1/article-d311-4.md",
    "0c62d7e3839ef8909408d1d8ec5f29a69559d34b",
)


def iri(path: str) -> URIRef:
    """A vocabulary IRI the :class:`Minter` has no method for (mapping sets, NSF domains, letters)."""
    return URIRef(M.base + path)


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def fr(text: str) -> Literal:
    return Literal(text, lang="fr")


# Reading


def read_psv(path: Path, *, header: bool = True) -> list[list[str]]:
    """Rows of a pipe-separated file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("|") for line in lines[1 if header else 0 :] if line]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def read_esco_table(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The header block (key → value) and the rows of an EURES mapping table."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta = {row[0].strip(): ",".join(row[1:]).strip() for row in csv.reader(io.StringIO(head))}
    return meta, list(csv.DictReader(io.StringIO(body)))


# Graph helpers


def header(
    g: Graph,
    node: URIRef,
    created: Literal,
    sources: Iterable[URIRef],
    *,
    rights: Iterable[Literal],
    licences: Iterable[URIRef],
    title: Iterable[Literal],
    description: str,
) -> None:
    """Describe the main node of a file: what it is, where its facts come from, under which licence."""
    for value in title:
        g.add((node, DCTERMS.title, value))
    g.add((node, DCTERMS.description, en(description)))
    g.add((node, DCTERMS.created, created))
    for source in sources:
        g.add((node, DCTERMS.source, source))
    for licence in licences:
        g.add((node, DCTERMS.license, licence))
    for statement in rights:
        g.add((node, DCTERMS.rights, statement))


def concept(
    g: Graph, node: URIRef, scheme: URIRef, notation: str, label: Literal, broader: URIRef | None = None
) -> None:
    """A skos:Concept; a top concept of ``scheme`` when it has no broader concept."""
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, scheme))
    g.add((node, SKOS.notation, Literal(notation)))
    g.add((node, SKOS.prefLabel, label))
    g.add((node, SKOS.topConceptOf, scheme) if broader is None else (node, SKOS.broader, broader))


# ROME


def build_rome(shared: Path, created: Literal) -> Graph:
    """ROME v3: 14 grands domaines, 110 domaines professionnels, 532 fiche codes."""
    rome = shared / "rome"
    labels = dict(read_psv(rome / "rome_v3_labels.psv"))
    grands = dict(read_psv(rome / "rome_v3_grands_domaines_2015_09.psv", header=False))
    used = {code[:3] for code in labels}
    domaines = {
        letter + digits: label
        for letter, digits, label in read_psv(
            rome / "rome_v3_domaines_professionnels_2016_12.psv", header=False
        )
        if letter + digits in used
    }
    v460 = {
        r["code_rome"]: r["libelle_rome"] for r in read_csv(rome / "unix_referentiel_code_rome_v460_utf8.csv")
    }
    if missing := used - domaines.keys() | {code[0] for code in used} - grands.keys():
        raise ValueError(f"ROME groups without a label: {sorted(missing)}")
    g = Graph()
    scheme = M.scheme("rome")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    header(
        g,
        scheme,
        created,
        [ROME_LABELS.iri, ROME_DOMAINES.iri, ROME_GRANDS.iri, ROME_V460.iri, ROME_DATASET],
        rights=[ROME_ATTRIBUTION],
        licences=[LICENCE_OUVERTE],
        title=[
            fr("ROME v3 – Répertoire opérationnel des métiers et des emplois"),
            en("ROME v3 (France Travail)"),
        ],
        description=(
            f"ROME v3 as carried by RNCP fiches: {len(grands)} grands domaines, {len(domaines)} domaines "
            f"professionnels, {len(labels)} fiche codes with their v3 labels (skos:prefLabel). "
            "skos:altLabel is the ROME 4.0 label of the same code (export v460). "
            "Built by rncp-ld scripts/build_vocab.py."
        ),
    )
    for letter, label in sorted(grands.items()):
        concept(g, M.rome_group(letter), scheme, letter, fr(label))
    for code, label in sorted(domaines.items()):
        concept(g, M.rome_group(code), scheme, code, fr(label), M.rome_group(code[0]))
    for code, label in sorted(labels.items()):
        node = M.rome(code)
        concept(g, node, scheme, code, fr(label), M.rome_group(code[:3]))
        if code in v460 and v460[code] != label:
            g.add((node, SKOS.altLabel, fr(v460[code])))
        g.add((node, RDFS.seeAlso, URIRef(METIERSCOPE.format(code))))
    return g


# ROME → ESCO


@dataclass(frozen=True)
class Alignment:
    """Code-level ROME → ESCO matches aggregated from appellation-level rows."""

    matches: dict[str, tuple[str, ...]]
    """ROME code → the ESCO occupation IRIs it is aligned with."""
    labels: dict[str, str]
    """ESCO occupation IRI → French preferred label."""
    rows: int
    occupations: int
    """Distinct ESCO occupations in the table."""


def aggregate(rows: list[dict[str, str]], ogr_to_rome: dict[str, str], threshold: float) -> Alignment:
    """Keep, per ROME code, the occupations with the largest share and those with share ≥ threshold.

    The share of an occupation is the number of the code's appellations mapped to it divided by
    the number of the code's appellations in the table; the four SKOS relations count alike.
    """
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    names: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        ogr, occupation = row["classification 2 ID"], row["classification 1 ID"]
        if ogr not in ogr_to_rome:
            raise ValueError(f"appellation {ogr} has no ROME code")
        counts[ogr_to_rome[ogr]][occupation] += 1
        names[occupation][row["classification 1 prefered label"]] += 1
    matches: dict[str, tuple[str, ...]] = {}
    for code, per_occupation in sorted(counts.items()):
        total, top = sum(per_occupation.values()), max(per_occupation.values())
        matches[code] = tuple(
            sorted(o for o, n in per_occupation.items() if n == top or n / total >= threshold)
        )
    used = {o for chosen in matches.values() for o in chosen}
    labels = {o: min(names[o], key=lambda label: (-names[o][label], len(label), label)) for o in used}
    return Alignment(matches, labels, len(rows), len(names))


def describe_alignment(alignment: Alignment, meta: dict[str, str], threshold: float) -> str:
    spread = Counter(len(chosen) for chosen in alignment.matches.values())
    links = sum(len(chosen) for chosen in alignment.matches.values())
    per_code = ", ".join(f"{codes} with {n}" for n, codes in sorted(spread.items()))
    return (
        "Code-level alignment of ROME v3 codes with ESCO occupations, DERIVED by rncp-ld "
        "(scripts/build_vocab.py) from the appellation-level mapping table "
        f'"{meta["Mapping project name"]}" by {meta["Mapping project author"]}, version '
        f"{meta['Mapping project version']} of {meta['Mapping project version date']} "
        f"(ESCO occupations v{meta['Classification 1 Version']}, ROME {meta['Classification 2 Version']}). "
        f"Each of its {alignment.rows} rows (a ROME v3 appellation, identified by its OGR code, "
        "skos:exactMatch, closeMatch, broadMatch or narrowMatch an ESCO occupation; the four relations "
        "count alike) was assigned to its ROME code through the OGR → ROME table. The share of an ESCO "
        "occupation for a ROME code is the number of the code's appellations mapped to it divided by the "
        "number of the code's appellations in the table. Rule: skos:closeMatch from the ROME code to the "
        "occupation(s) with the largest share (all of them on a tie) and to every other occupation with "
        f"a share >= {threshold:g}. Result: {links} skos:closeMatch links from {len(alignment.matches)} "
        f"ROME codes to {len(alignment.labels)} of the table's {alignment.occupations} ESCO occupations "
        f"(ROME codes by number of matches: {per_code}). These links are not official: the official "
        "mapping is the appellation-level table."
    )


def build_rome_esco(shared: Path, created: Literal, threshold: float) -> Graph:
    """skos:closeMatch from ROME codes to ESCO occupations, and the mapping set's provenance."""
    meta, rows = read_esco_table(shared / "esco" / "FR_20230607_mapping_esco_rome.csv")
    ogr_to_rome = dict(read_psv(shared / "rome" / "rome_v3_ogr_to_rome.psv"))
    alignment = aggregate(rows, ogr_to_rome, threshold)
    g = Graph()
    mapping = iri("mapping/rome-esco")
    g.add((mapping, RDF.type, DCAT.Dataset))
    g.add((mapping, RDF.type, PROV.Entity))
    header(
        g,
        mapping,
        created,
        [ESCO_ROME.iri, OGR_TO_ROME.iri],
        rights=[ESCO_ATTRIBUTION, ROME_ATTRIBUTION],
        licences=[EU_REUSE_DECISION, LICENCE_OUVERTE],
        title=[
            en("ROME v3 → ESCO occupations, code-level alignment"),
            fr("Alignement ROME v3 → métiers ESCO, au niveau du code ROME"),
        ],
        description=describe_alignment(alignment, meta, threshold),
    )
    for source in (ESCO_ROME.iri, OGR_TO_ROME.iri):
        g.add((mapping, PROV.wasDerivedFrom, source))
    describe_esco_table(g, ESCO_ROME.iri, meta)
    for code, occupations in alignment.matches.items():
        g.add((M.rome(code), RNCP.escoMappingMethod, mapping))
        for occupation in occupations:
            g.add((M.rome(code), SKOS.closeMatch, URIRef(occupation)))
    for occupation, label in alignment.labels.items():
        g.add((URIRef(occupation), RDF.type, SKOS.Concept))
        g.add((URIRef(occupation), RDF.type, ESCO.Occupation))
        g.add((URIRef(occupation), SKOS.prefLabel, fr(label)))
    return g


def describe_esco_table(g: Graph, table: URIRef, meta: dict[str, str]) -> None:
    """The official table, as its header block states it."""
    day, month, year = meta["Mapping project version date"].split("/")
    rome, esco = meta["Classification 2 Version"], meta["Classification 1 Version"]
    description = (
        f"EURES mapping table by {meta['Mapping project author']}: ROME {rome} appellations (OGR codes) "
        f"→ ESCO occupations v{esco} ({meta['Classification 1 Language']}), "
        "with skos:exactMatch, closeMatch, broadMatch or narrowMatch."
    )
    g.add(
        (
            table,
            DCTERMS.title,
            Literal(f"{meta['Mapping project name']} ({ESCO_ROME.path.rsplit('/', 1)[-1]})"),
        )
    )
    g.add((table, DCTERMS.description, en(description)))
    g.add((table, ADMS.version, Literal(meta["Mapping project version"])))
    g.add((table, DCTERMS.issued, Literal(f"{year}-{month}-{day}", datatype=XSD.date)))
    g.add((table, DCTERMS.license, EU_REUSE_DECISION))
    g.add((table, DCTERMS.license, LICENCE_OUVERTE))
    for key in ("Classification 1 Landing page", "Classification 2 Landing page"):
        g.add((table, RDFS.seeAlso, URIRef(meta[key])))


# NSF

_LETTER_KINDS = {
    "champ_application_disciplinaire": "champ d'application disciplinaire",
    "fonction": "fonction",
    "developpement_personnel": "développement personnel",
}


def nsf_iri(code: str) -> URIRef:
    return M.nsf(code) if len(code) > 1 and code.isdigit() else iri(f"nsf/{code}")


def build_nsf(shared: Path, created: Literal) -> Graph:
    """NSF 1994: 4 domaines, 17 domaines, 93 groupes, 17 code letters."""
    rows = read_csv(shared / "nsf" / "nsf_1994_structure.csv")
    levels = {r["code"]: r["niveau"] for r in rows}
    expected_parent = {"domaine_4": None, "domaine_17": "domaine_4", "groupe_93": "domaine_17"}
    g = Graph()
    scheme = M.scheme("nsf")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    header(
        g,
        scheme,
        created,
        [NSF_TEXT.iri],
        rights=[fr("Source : Code de l'éducation, art. D311-4 (Légifrance)")],
        licences=[LICENCE_OUVERTE],
        title=[fr("Nomenclature des spécialités de formation (NSF, 1994)")],
        description=(
            "NSF as defined by Code de l'éducation art. D311-4 (décret n° 94-522 du 26 juin 1994): "
            "4 domains, 17 domains, 93 groups (skos:broader links follow the nomenclature) and the code "
            "letters that cross a group into a finer speciality (e.g. 332t). Labels are the legal text's, "
            "verbatim. Finer specialities such as 332t are described from the fiches, not here."
        ),
    )
    for r in sorted(rows, key=lambda r: r["code"]):
        parent = r["parent"] or None
        parent_level = levels.get(parent) if parent else None
        if parent_level != expected_parent[r["niveau"]] or not r["code"].startswith(parent or ""):
            raise ValueError(f"NSF {r['code']}: bad parent {parent!r}")
        broader = nsf_iri(parent) if parent else None
        concept(g, nsf_iri(r["code"]), scheme, r["code"], fr(r["libelle"]), broader)
    for r in read_csv(shared / "nsf" / "nsf_1994_codes_lettres.csv"):
        node = nsf_iri(r["lettre"])
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, Literal(r["lettre"])))
        g.add((node, SKOS.prefLabel, fr(r["libelle"])))
        domains = ", ".join(r["applicable_aux_domaines"].split("|"))
        note = (
            f"Code lettre ({_LETTER_KINDS[r['type']]}) : s'ajoute au code d'un groupe des domaines {domains}."
        )
        g.add((node, SKOS.scopeNote, fr(note)))
    return g


# Levels


def build_levels(shared: Path, created: Literal) -> Graph:
    """The 2019 national framework (cnc/1..8, = EQF) and the 1969 levels (niveau-1969/I..V)."""
    rows = read_csv(shared / "levels" / "fr_qualification_levels_eqf.csv")
    g = Graph()
    cnc, old = M.scheme("cnc"), M.scheme("niveau-1969")
    g.add((cnc, RDF.type, SKOS.ConceptScheme))
    g.add((old, RDF.type, SKOS.ConceptScheme))
    header(
        g,
        cnc,
        created,
        [DECRET_2019_14],
        rights=[fr("Source : décret n° 2019-14 du 8 janvier 2019 (Légifrance)")],
        licences=[LICENCE_OUVERTE],
        title=[fr("Cadre national des certifications professionnelles")],
        description=(
            "The eight levels of the French national framework of professional certifications "
            "(décret n° 2019-14 du 8 janvier 2019, code du travail art. D6113-19), each skos:exactMatch "
            "the EQF level of the same number. skos:notation is the level number; dct:identifier is the "
            "value of RNCP exports (Nomenclature_Europe_Niveau, e.g. NIV5)."
        ),
    )
    header(
        g,
        old,
        created,
        [DECRET_2019_14, INSEE_LEVELS],
        rights=[fr("Sources : décret n° 2019-14 du 8 janvier 2019 (Légifrance) ; INSEE, définition c2296")],
        licences=[LICENCE_OUVERTE],
        title=[fr("Nomenclature des niveaux de formation (1969)")],
        description=(
            "The levels I to V of the 1969 nomenclature, replaced in 2019 by the national framework; "
            "skos:closeMatch gives the framework level(s) of the official correspondence "
            "(V → 3, IV → 4, III → 5, II → 6, I → 7 and 8)."
        ),
    )
    g.add((EQF["25831c2"], RDF.type, SKOS.ConceptScheme))
    for r in rows:
        level = int(r["niveau_cnc_2019"])
        node = M.level(level)
        concept(g, node, cnc, str(level), fr(f"Niveau {level}"))
        g.add((node, DCTERMS.identifier, Literal(r["rncp_nomenclature_europe_niveau"])))
        g.add((node, SKOS.exactMatch, eqf(int(r["eqf_level"]))))
        g.add((eqf(int(r["eqf_level"])), RDF.type, SKOS.Concept))
        g.add((eqf(int(r["eqf_level"])), SKOS.inScheme, EQF["25831c2"]))
        if r["ancien_niveau_1969"]:
            former = M.level_1969(r["ancien_niveau_1969"])
            concept(g, former, old, r["ancien_niveau_1969"], fr(f"Niveau {r['ancien_niveau_1969']}"))
            g.add((former, SKOS.closeMatch, node))
    return g


# Turtle

GENERATED = "# Generated by scripts/build_vocab.py: do not edit, see README.md."
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _qname(term: str, used: set[str]) -> str:
    for prefix, namespace in PREFIXES.items():
        local = term[len(namespace) :]
        if term.startswith(namespace) and _LOCAL.fullmatch(local):
            used.add(prefix)
            return f"{prefix}:{local}"
    return f"<{term}>"


def _object(term: Node, used: set[str]) -> str:
    if isinstance(term, Literal):
        text = Literal(str(term), lang=term.language).n3()
        return text if term.datatype is None else f"{text}^^{_qname(term.datatype, used)}"
    if not isinstance(term, URIRef):
        raise TypeError(f"unexpected term {term!r}")
    return f"<{term.removeprefix(M.base)}>" if term.startswith(M.base) else _qname(term, used)


def turtle(graph: Graph) -> str:
    """Turtle with sorted subjects, predicates and objects; IRIs under the placeholder base are relative."""
    used: set[str] = set()
    blocks = []
    for subject in sorted(
        {URIRef(str(s)) for s in graph.subjects()}, key=lambda s: (not s.startswith(M.base), s)
    ):
        by_predicate: defaultdict[str, list[str]] = defaultdict(list)
        for _, p, o in graph.triples((subject, None, None)):
            by_predicate["a" if p == RDF.type else _qname(str(p), used)].append(_object(o, used))
        lines = [
            f"{p} " + ",\n        ".join(sorted(objects))
            for p, objects in sorted(by_predicate.items(), key=lambda item: (item[0] != "a", item[0]))
        ]
        blocks.append(_object(subject, used) + " " + " ;\n    ".join(lines) + " .\n")
    prefixes = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(used))
    return f"{GENERATED}\n{prefixes}\n" + "\n".join(blocks)


def write(graph: Graph, path: Path) -> int:
    """Write ``graph`` as Turtle after checking that it reads back the same; return its size."""
    text = turtle(graph)
    if set(Graph().parse(data=text, format="turtle", publicID=M.base)) != set(graph):
        raise RuntimeError(f"{path.name} does not read back as built")
    path.write_bytes(text.encode("utf-8"))
    return len(graph)


# README


README = """\
# rncp-ld vocabularies

Generated by `scripts/build_vocab.py` from the data files of `../shared/vocab-external`
(those files are not part of the project: only codes, labels and mappings are turned into RDF,
with their source and licence recorded in each file). Do not edit by hand; rebuild with

    python scripts/build_vocab.py [--shared DIR] [--out vocab/] \\
        [--threshold {threshold:g}] [--created {created}]

The build is deterministic and `tests/test_vocabularies.py` checks that these files equal a
fresh build. IRIs of the project are relative (`<rome/K1801>`, no `@base`):
`rncp_ld.vocabularies.Vocabularies.load(minter)` resolves them against the export's base.
Each file's main node (the concept scheme or the mapping set) carries `dct:source`
(GitHub file at a commit, or the legal text), `dct:license`, `dct:rights` (attribution) and
`dct:created`.

- `rome.ttl` ({rome} triples): scheme `<rome>` with the ROME v3 grands domaines `<rome/K>`,
  domaines professionnels `<rome/K18>` and fiche codes `<rome/K1801>` (v3 label as
  `skos:prefLabel`, ROME 4.0 v460 label as `skos:altLabel`, metierscope page as `rdfs:seeAlso`).
- `rome-esco.ttl` ({rome_esco} triples): `skos:closeMatch` from ROME codes to ESCO occupations
  (typed `skos:Concept`, `esco:Occupation`, with their French `skos:prefLabel`),
  `rncp:escoMappingMethod <mapping/rome-esco>` on each matched code, and the mapping set
  `<mapping/rome-esco>` (`dcat:Dataset`, `prov:Entity`) describing its derivation.
- `nsf.ttl` ({nsf} triples): scheme `<nsf>` with 4 domains `<nsf/3>`, 17 domains `<nsf/33>`,
  93 groups `<nsf/332>` and the 17 code letters `<nsf/t>`.
- `levels.ttl` ({levels} triples): schemes `<cnc>` (levels `<cnc/1>`..`<cnc/8>`,
  `skos:exactMatch` the EQF level) and `<niveau-1969>` (`<niveau-1969/I>`..`<niveau-1969/V>`,
  `skos:closeMatch` the 2019 levels).

Not generated (hand-made by the project, documented in `mappings.md`): `nsf-isced-f.csv`
(NSF group → ISCED-F 2013 field) and `fr-nqf-qdr.csv` (French level → QDR concept);
`ontology/rncp.ttl` defines the `rncp:` terms.

## Sources and licences

- **ROME** (France Travail), Licence Ouverte / Open Licence (Etalab); attribution
  "Source : France Travail – ROME". Carriers: `StartupsPoleEmploi/labonneboite`
  (`rome_labels.csv`, `ogr_rome_mapping.csv` at `db37474d`; domaines and grands domaines at
  `5b432282`), `tomjoy75/code_rome` (ROME 4.0 export v460 at `e6dd7952`).
- **ESCO – ROME mapping table** (Pôle emploi - France, V1.4 of 07/06/2022, ESCO v1.0.9,
  ROME V3.0), carried by `Avature/melo-benchmark` at `59a5753a`. ESCO: Commission reuse policy
  (Decision 2011/833/EU), attribution "This service uses the ESCO classification of the European
  Commission."; ROME side: Licence Ouverte.
- **NSF**: Code de l'éducation art. D311-4 (décret n° 94-522 du 26 juin 1994), carried by
  `etalab/codes-juridiques-francais` at `0c62d7e3`; Légifrance open data, Licence Ouverte.
- **Levels**: décret n° 2019-14 du 8 janvier 2019 (code du travail art. D6113-19), INSEE
  definition c2296; EQF levels `http://data.europa.eu/snb/eqf/{{n}}`.

## ROME → ESCO rule

The official table maps ROME v3 *appellations* (OGR codes) to ESCO occupations. Each row is
assigned to its ROME code (OGR → ROME table); the share of an occupation for a code is the
number of the code's appellations mapped to it over the number of the code's appellations in
the table (exact, close, broad and narrow matches count alike). A ROME code gets
`skos:closeMatch` to the occupation(s) with the largest share (all on a tie) and to every other
occupation with a share ≥ {threshold:g} (`--threshold`). The counts are in the
`dct:description` of `<mapping/rome-esco>`.

## Deviations from the obvious modelling

- `<cnc/5>` has `skos:notation "5"` and `dct:identifier "NIV5"` (the RNCP export value), not two
  notations: the ELM LOQ `ConceptShape` allows one `skos:notation`.
- EQF level concepts are typed `skos:Concept` in scheme `eqf:25831c2` so that `elm:EQFLevel`
  values satisfy `sh:class skos:Concept`.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the vocab-external directory")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help="minimum share of a ROME code's appellations for an extra ESCO match",
    )
    parser.add_argument(
        "--created",
        type=date.fromisoformat,
        default=date.fromisoformat(DEFAULT_CREATED),
        help="dct:created of the vocabularies (YYYY-MM-DD)",
    )
    args = parser.parse_args(argv)
    created = Literal(args.created.isoformat(), datatype=XSD.date)
    args.out.mkdir(parents=True, exist_ok=True)
    counts = {
        "rome": write(build_rome(args.shared, created), args.out / "rome.ttl"),
        "rome_esco": write(build_rome_esco(args.shared, created, args.threshold), args.out / "rome-esco.ttl"),
        "nsf": write(build_nsf(args.shared, created), args.out / "nsf.ttl"),
        "levels": write(build_levels(args.shared, created), args.out / "levels.ttl"),
    }
    readme = README.format(threshold=args.threshold, created=args.created.isoformat(), **counts)
    (args.out / "README.md").write_bytes(readme.encode("utf-8"))
    detail = ", ".join(f"{name} {n}" for name, n in counts.items())
    print(f"wrote {sum(counts.values())} triples to {args.out}: {detail}")


if __name__ == "__main__":
    main()
