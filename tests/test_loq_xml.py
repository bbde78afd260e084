"""``--format loq``: the Europass qualification-upload XML, checked against the official loq.xsd."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS as SKOS_NS

from rncp_ld import convert
from rncp_ld.cli import cli
from rncp_ld.errors import FicheError
from rncp_ld.model import Block, Certification, Code, Organisation
from rncp_ld.readers import read
from rncp_ld.uris import DEFAULT_BASE, Minter
from rncp_ld.vocabularies import Vocabularies
from rncp_ld.writers.loq_xml import FIELD_UNKNOWN, FRENCH_NQF, NAMESPACE, SKOS, LoqWriter

from conftest import CSV_ZIP, RNCP_XML, RS_XML, SEED, SHARED

XSD_DIR = SHARED / "elm" / "xsd" / "loq"
VOCAB = Path(__file__).resolve().parents[1] / "vocab"
SAMPLES = [
    SEED,
    *sorted((SHARED / "samples-external" / "mcp-rncp").glob("*.xml")),
    *sorted((SHARED / "samples-external" / "api-apprentissage" / "sample").glob("*.zip")),
]
NS = {"l": NAMESPACE, "skos": SKOS}
ID = DEFAULT_BASE
SEED_ID = ID + "rncp/RNCP16575"
FRA_LANGUAGE = "http://publications.europa.eu/resource/authority/language/FRA"
FRA_COUNTRY = "http://publications.europa.eu/resource/authority/country/FRA"
SPECS = "/l:Courses/l:learningAchievementSpecificationReferences"

pytestmark = pytest.mark.skipif(
    not (XSD_DIR / "loq.xsd").is_file(), reason="shared/elm/xsd/loq not available"
)


def _offline() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """loq.xsd with its local imports (cv/, external/), read without network."""
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "loq.xsd"), _offline()))


def _enumeration(name: str) -> dict[str, str]:
    """URI → English label of an enumeration of ``cv/{name}``."""
    tree = etree.parse(str(XSD_DIR / "cv" / name), _offline())
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    return {
        e.get("value"): " ".join(" ".join(e.xpath(".//xs:documentation/text()", namespaces=xs)).split())
        for e in tree.xpath("//xs:enumeration", namespaces=xs)
    }


def valid(schema: etree.XMLSchema, doc: etree._ElementTree) -> bool:
    ok = schema.validate(doc)
    assert ok, "\n".join(str(e) for e in list(schema.error_log)[:10])
    return ok


def to_loq(inputs: list[Path], out: Path):
    report = convert(inputs, out, format="loq")
    return report, etree.parse(str(out), _offline())


def xp(node, path: str) -> list:
    return node.xpath(path, namespaces=NS)


def spec(doc, iri: str):
    (found,) = xp(doc, f"{SPECS}/*[@id='{iri}']")
    return found


def write(certs: list[Certification], **options) -> tuple[str, LoqWriter, list[FicheError]]:
    """Certifications through a LoqWriter, as convert does; the document and the errors."""
    out = io.StringIO()
    writer = LoqWriter(out, Minter(), **options)
    errors = []
    writer.start()
    for cert in certs:
        try:
            writer.fiche(cert)
        except FicheError as error:
            errors.append(error)
    writer.end()
    return out.getvalue(), writer, errors


def parse(text: str):
    return etree.fromstring(text.encode("utf-8"), _offline()).getroottree()


def fiches(path: Path) -> list[Certification]:
    return [c for c in read(path) if isinstance(c, Certification)]


@pytest.fixture(scope="module")
def seed() -> Certification:
    return fiches(SEED)[0]


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory):
    return to_loq([SEED], tmp_path_factory.mktemp("seed") / "seed.loq.xml")


# --- every sample is valid --------------------------------------------------------------------


def test_the_schema_loads_offline(schema):
    assert isinstance(schema, etree.XMLSchema)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_gives_a_valid_document(schema, tmp_path, sample):
    report, doc = to_loq([sample], tmp_path / "out.loq.xml")
    assert valid(schema, doc)
    written = xp(doc, f"{SPECS}/*")
    assert report.stats["qualifications"] == len(written)
    assert (
        report.stats.get("fiches-written", 0) + report.stats.get("fiches-skipped", 0)
        == report.stats["fiches-read"]
    )


def test_all_samples_in_one_document(schema, tmp_path):
    report, doc = to_loq(SAMPLES, tmp_path / "all.loq.xml")
    assert valid(schema, doc)
    assert report.stats["fiches-written"] == 21  # seed + 12 RNCP + 8 RS
    ids = xp(doc, "//@id")
    assert len(ids) == len(set(ids))


# --- the seed ---------------------------------------------------------------------------------


def test_seed_is_a_certification_with_three_partial_qualifications(seed_doc):
    report, doc = seed_doc
    assert report.stats["qualifications"] == 4
    assert len(xp(doc, f"{SPECS}/l:qualification")) == 4
    cert = spec(doc, SEED_ID)
    assert xp(cert, "l:isPartialQualification/text()") == ["false"]
    blocks = [f"{SEED_ID}/BC0{n}" for n in (1, 2, 3)]
    assert xp(cert, "l:hasPart/@idref") == blocks
    for iri in blocks:
        block = spec(doc, iri)
        assert block.tag == f"{{{NAMESPACE}}}qualification"
        assert xp(block, "l:isPartialQualification/text()") == ["true"]
        assert xp(block, "l:isPartOf/@idref") == [SEED_ID]
        assert xp(block, "l:identifier/skos:notation/text()") == ["RNCP16575" + iri[-4:]]


def test_seed_identifier_title_language_and_page(seed_doc):
    cert = spec(seed_doc[1], SEED_ID)
    assert xp(cert, "l:identifier/skos:notation/text()") == ["RNCP16575"]
    assert xp(cert, "l:identifier/l:schemeName/text()") == ["RNCP"]
    assert xp(cert, "l:title/text()") == ["Coordinateur(trice) de l'intervention sociale et professionnelle"]
    assert xp(cert, "l:title/@language") == ["fr"]
    assert xp(cert, "l:language/@uri") == [FRA_LANGUAGE]
    assert xp(cert, "l:homepage/l:contentUrl/text()") == [
        "https://www.francecompetences.fr/recherche/rncp/16575/"
    ]


def test_seed_levels_and_field(seed_doc):
    doc = seed_doc[1]
    for node in xp(doc, f"{SPECS}/l:qualification"):
        assert xp(node, "l:EQFLevel/@uri") == ["http://data.europa.eu/snb/eqf/5"]
        assert xp(node, "l:NQFLevel/@uri") == [
            "http://data.europa.eu/snb/qdr/c_243aefbe"
        ]  # NQF RNCP Level III
        assert xp(node, "l:ISCEDFCode/@uri") == ["http://data.europa.eu/snb/isced-f/0923"]  # NSF 332t
        assert xp(node, "l:language/@uri") == [FRA_LANGUAGE]
    subject = xp(spec(doc, SEED_ID), "l:educationSubject")
    assert [s.get("uri") for s in subject] == [ID + "nsf/332t"]
    assert xp(subject[0], "skos:notation/text()") == ["332t"]


def test_seed_learning_outcomes(seed_doc, seed):
    doc = seed_doc[1]
    outcomes = xp(doc, "/l:Courses/l:learningOutcomeReferences/l:learningOutcome")
    per_block = [len(b.competences) + len(b.capacities.items) for b in seed.blocks]  # type: ignore[union-attr]
    assert per_block == [8, 16, 17]
    assert len(outcomes) == sum(per_block) == 41
    for block, count in zip(seed.blocks, per_block, strict=True):
        refs = xp(spec(doc, f"{SEED_ID}/{block.code[-4:]}"), "l:learningOutcome/@idref")
        assert len(refs) == count
    # no capacity of its own: the certification has the outcomes of its (mandatory) blocks
    assert len(xp(spec(doc, SEED_ID), "l:learningOutcome/@idref")) == 41
    first = xp(doc, f"//l:learningOutcome[@id='{SEED_ID}/BC01/competence/1']/l:title/text()")
    assert first == [seed.blocks[0].competences[0]]


def test_seed_awarding_body(seed_doc):
    doc = seed_doc[1]
    cert = spec(doc, SEED_ID)
    (body,) = xp(cert, "l:awardingOpportunity/l:awardingBody/@idref")
    assert xp(cert, "l:awardingOpportunity/l:learningAchievementSpecification/@idref") == [SEED_ID]
    (org,) = xp(doc, f"/l:Courses/l:agentReferences/l:organisation[@id='{body}']")
    assert xp(org, "l:legalName/text()") == ["Centre ressource AROBASE"]
    assert xp(org, "l:registration") == []  # the legacy fiche gives no SIRET
    (place,) = xp(org, "l:location/@idref")
    assert xp(doc, f"//l:locationReferences/l:location[@id='{place}']/l:address/l:countryCode/@uri") == [
        FRA_COUNTRY
    ]


def test_seed_assessments_and_jobs(seed_doc, seed):
    doc = seed_doc[1]
    block = spec(doc, f"{SEED_ID}/BC02")
    proofs = xp(block, "l:provenBy/@idref")
    assert len(proofs) == len(seed.blocks[1].assessments) == 2
    for proof in proofs:
        assert xp(doc, f"//l:learningAssessmentSpecification[@id='{proof}']/l:proves/@idref") == [
            f"{SEED_ID}/BC02"
        ]
    (jobs,) = xp(spec(doc, SEED_ID), "l:entitlesTo/@idref")
    (entitlement,) = xp(doc, f"//l:learningEntitlementSpecification[@id='{jobs}']")
    assert xp(entitlement, "l:limitNationalOccupation/skos:notation/text()") == ["K1801", "K1201", "K2111"]
    assert xp(entitlement, "l:limitOccupation/@uri")  # ESCO matches of the ROME codes
    assert xp(entitlement, "l:entitledBy/@idref") == [SEED_ID]


# --- the XML export ---------------------------------------------------------------------------


def test_certifier_with_siret_and_own_capacities(schema, tmp_path):
    _, doc = to_loq([RNCP_XML], tmp_path / "rncp.loq.xml")
    cert = spec(doc, ID + "rncp/RNCP37873")
    (body,) = xp(cert, "l:awardingOpportunity/l:awardingBody/@idref")
    assert body == ID + "org/siret/11000007200014"
    (org,) = xp(doc, f"//l:organisation[@id='{body}']")
    assert xp(org, "l:legalName/text()")[0].startswith("MINISTERE DU TRAVAIL")
    assert xp(org, "l:registration/skos:notation/text()") == ["11000007200014"]
    assert xp(org, "l:registration/l:schemeName/text()") == ["SIRET"]
    assert xp(org, "l:registration/l:spatial/@uri") == [FRA_COUNTRY]
    # capacities of its own: 14 outcomes of the certification, not its blocks'
    refs = xp(cert, "l:learningOutcome/@idref")
    assert len(refs) == 14 and all(r.startswith(ID + "rncp/RNCP37873/capacity/") for r in refs)
    assert xp(cert, "l:ISCEDFCode/@uri") == [
        "http://data.europa.eu/snb/isced-f/0613",
        "http://data.europa.eu/snb/isced-f/0612",
    ]  # NSF 326t
    assert xp(cert, "l:EQFLevel/@uri") == ["http://data.europa.eu/snb/eqf/6"]


def test_rs_fiches_are_learning_achievement_specifications(schema, tmp_path):
    report, doc = to_loq([RS_XML], tmp_path / "rs.loq.xml")
    assert valid(schema, doc)
    assert xp(doc, f"{SPECS}/l:qualification") == []
    specs = xp(doc, f"{SPECS}/l:learningAchievementSpecification")
    assert len(specs) == report.stats["qualifications"] == 8
    rs5000 = spec(doc, ID + "rs/RS5000")
    assert xp(rs5000, "l:identifier/l:schemeName/text()") == ["RS"]
    assert xp(rs5000, "l:EQFLevel | l:NQFLevel | l:isPartialQualification") == []
    assert len(xp(rs5000, "l:learningOutcome")) == 8


def test_shared_organisations_appear_once(schema, tmp_path):
    _, doc = to_loq([RNCP_XML, RS_XML], tmp_path / "both.loq.xml")
    assert valid(schema, doc)
    orgs = xp(doc, "//l:agentReferences/l:organisation/@id")
    assert len(orgs) == len(set(orgs))
    cci = ID + "org/siret/18750002000073"  # CCI FRANCE: RNCP36612 (RNCP file) and RS5568 (RS file)
    awarded = xp(doc, f"{SPECS}/*[l:awardingOpportunity/l:awardingBody/@idref='{cci}']/@id")
    assert awarded == [ID + "rncp/RNCP36612", ID + "rs/RS5568"]
    assert orgs.count(cci) == 1
    ministry = ID + "org/siret/11004401300040"  # four fiches of the RNCP file
    assert len(xp(doc, f"{SPECS}/*[l:awardingOpportunity/l:awardingBody/@idref='{ministry}']")) == 4
    assert orgs.count(ministry) == 1
    places = xp(doc, "//l:locationReferences/l:location/@id")
    assert len(places) == len(orgs) == len(set(places))


def test_same_input_gives_the_same_bytes(tmp_path):
    convert([SEED, RNCP_XML, RS_XML], tmp_path / "a.loq.xml", format="loq")
    convert([SEED, RNCP_XML, RS_XML], tmp_path / "b.loq.xml", format="loq")
    assert (tmp_path / "a.loq.xml").read_bytes() == (tmp_path / "b.loq.xml").read_bytes()


def test_sections_in_schema_order_each_once(seed_doc):
    names = [etree.QName(e).localname for e in seed_doc[1].getroot()]
    assert names == [
        "learningAchievementSpecificationReferences",
        "learningOutcomeReferences",
        "learningAssessmentSpecificationReferences",
        "learningEntitlementSpecificationReferences",
        "agentReferences",
        "locationReferences",
    ]


# --- fiches that cannot be written ------------------------------------------------------------


def test_csv_fiches_without_outcomes_are_reported(schema, tmp_path):
    report, doc = to_loq([RNCP_XML, CSV_ZIP], tmp_path / "mixed.loq.xml")
    assert valid(schema, doc)
    skipped = [i for i in report.issues if i.type == "unwritable-fiche"]
    assert len(skipped) == report.stats["fiches-skipped"] == 9
    assert report.stats["fiches-written"] == 12 and not report.valid
    by_fiche = {i.fiche: i.message for i in skipped}
    assert "block RNCP509BC05 lists no competence" in by_fiche["RNCP509"]
    assert "no capacity for the certification and no block" in by_fiche["RNCP1197"]
    assert all("learningOutcome" in m and "convert the XML export" in m for m in by_fiche.values())
    assert not xp(doc, f"{SPECS}/*[@id='{ID}rncp/RNCP509']")


def test_a_failing_fiche_leaves_nothing_behind(schema, seed):
    newcomer = Organisation("Organisme nouveau", "12345678901234")
    broken = replace(
        seed,
        number="RNCP99999",
        blocks=(),
        capacities=(),
        capacity_groups=(),
        capacities_text=None,
        certifiers=(newcomer,),
        rome=(Code("K1801"),),
    )
    text, writer, errors = write([broken, seed])
    (error,) = errors
    assert error.fiche == "RNCP99999" and "learningOutcome" in str(error)
    doc = parse(text)
    assert valid(schema, doc)
    assert "RNCP99999" not in text and "12345678901234" not in text
    assert writer.count == 4


def test_a_fiche_read_twice_is_written_once(schema, tmp_path):
    report, doc = to_loq([RS_XML, RS_XML], tmp_path / "twice.loq.xml")
    assert valid(schema, doc)
    assert report.stats["fiches-written"] == report.stats["fiches-skipped"] == 8
    skipped = [i for i in report.issues if i.type == "unwritable-fiche"]
    assert len(skipped) == 8
    assert all("already written from export_fiches_RS_fixture.xml" in i.message for i in skipped)


def test_bad_blocks_are_fiche_errors(seed):
    other = replace(seed.blocks[0], code="RNCP11111BC01")
    twice = (seed.blocks[0], seed.blocks[0])
    empty = replace(seed.blocks[0], competences=(), competences_text=None, capacities=None)
    for blocks, message in (
        ((other,), "does not belong to RNCP16575"),
        (twice, "given twice"),
        ((empty,), "block RNCP16575BC01 lists no competence"),
    ):
        _, _, errors = write([replace(seed, blocks=blocks)])
        assert len(errors) == 1 and message in str(errors[0])


# --- values the fiche lacks -------------------------------------------------------------------


def test_levels_without_qdr_concept_get_the_french_framework(schema, seed):
    text, _, errors = write([replace(seed, level=2)])
    doc = parse(text)
    assert not errors and valid(schema, doc)
    assert set(xp(doc, f"{SPECS}/*/l:NQFLevel/@uri")) == {FRENCH_NQF}
    assert set(xp(doc, f"{SPECS}/*/l:EQFLevel/@uri")) == {"http://data.europa.eu/snb/eqf/2"}


def test_no_nsf_code_gives_field_unknown(schema, seed):
    for nsf in ((), (Code("33", "Services aux personnes"),)):
        text, _, errors = write([replace(seed, nsf=nsf)])
        doc = parse(text)
        assert not errors and valid(schema, doc)
        assert set(xp(doc, f"{SPECS}/*/l:ISCEDFCode/@uri")) == {FIELD_UNKNOWN}


def test_rncp_fiche_without_level_and_its_blocks(schema, seed):
    text, _, _ = write([replace(seed, level=None)])
    doc = parse(text)
    assert valid(schema, doc)
    assert len(xp(doc, f"{SPECS}/l:learningAchievementSpecification")) == 4
    assert xp(doc, f"{SPECS}/*/l:isPartOf/@idref") == [SEED_ID] * 3


def test_text_is_escaped_and_cleaned(schema, seed):
    title = "Titre <b> & \"guillemets\" 'apostrophes' ]]> fin\x0b\x00"
    block = Block("RNCP16575BC01", "Bloc & <1>", competences=("a < b", "c & d"))
    cert = replace(
        seed, title=title, blocks=(block,), capacity_groups=(), certifiers=(Organisation('A "B" & C'),)
    )
    text, _, errors = write([cert])
    doc = parse(text)
    assert not errors and valid(schema, doc)
    assert xp(spec(doc, SEED_ID), "l:title/text()") == ["Titre <b> & \"guillemets\" 'apostrophes' ]]> fin"]
    assert xp(doc, "//l:learningOutcome/l:title/text()") == ["a < b", "c & d"]
    assert xp(doc, "//l:organisation/l:legalName/text()") == ['A "B" & C']


def test_nothing_is_written_before_end(seed):
    out = io.StringIO()
    writer = LoqWriter(out, Minter())
    writer.start()
    writer.fiche(seed)
    assert out.getvalue() == "" and writer.count == 4
    writer.end()
    assert out.getvalue().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Courses ')


def test_empty_run_is_a_valid_empty_document(schema):
    text, writer, _ = write([])
    assert valid(schema, parse(text)) and writer.count == 0


def test_other_base(schema, seed):
    text, _, _ = write([seed], spool_dir=None)
    other = io.StringIO()
    writer = LoqWriter(other, Minter("urn:example:"))
    writer.start()
    writer.fiche(seed)
    writer.end()
    doc = parse(other.getvalue())
    assert valid(schema, doc)
    assert xp(doc, f"{SPECS}/l:qualification[1]/@id") == ["urn:example:rncp/RNCP16575"]
    assert other.getvalue().replace("urn:example:", ID) == text


def test_cli_writes_loq_from_the_extension(runner, schema, tmp_path):
    out = tmp_path / "seed.loq.xml"
    result = runner.invoke(cli, ["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 qualifications" in result.stderr
    assert valid(schema, etree.parse(str(out), _offline()))


# --- the tables -------------------------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with (VOCAB / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_nsf_table_covers_every_group_with_isced_f_detailed_fields():
    graph = Graph().parse(VOCAB / "nsf.ttl", publicID=ID)
    groups = {
        str(n): str(graph.value(s, SKOS_NS.prefLabel))
        for s, n in graph.subject_objects(SKOS_NS.notation)
        if re.fullmatch(r"\d{3}", str(n))
    }
    assert len(groups) == 93
    rows = _rows("nsf-isced-f.csv")
    assert [r["nsf_group"] for r in rows] == sorted(groups)
    isced = _enumeration("isced-f.xsd")
    for row in rows:
        assert row["nsf_label"] == groups[row["nsf_group"]]
        codes = row["isced_f_code"].split(";")
        assert len(codes) == len(set(codes))
        labels = []
        for code in codes:
            assert re.fullmatch(r"\d{4}", code), row
            labels.append(isced["http://data.europa.eu/snb/isced-f/" + code])
        assert row["isced_f_label"] == "; ".join(labels)
    assert FIELD_UNKNOWN in isced


def test_isced_lookup():
    vocab = Vocabularies.load(Minter())
    social = (URIRef("http://data.europa.eu/snb/isced-f/0923"),)
    assert vocab.isced("332t") == vocab.isced("332") == social
    assert vocab.isced("33") == vocab.isced("3") == vocab.isced("999") == vocab.isced("") == ()


def test_nqf_table_uses_the_french_qdr_levels():
    qdr = _enumeration("nqf.xsd")
    assert qdr[FRENCH_NQF] == "French National Qualifications Framework"
    rows = _rows("fr-nqf-qdr.csv")
    assert [r["level"] for r in rows] == [str(n) for n in range(1, 9)]
    for row in rows:
        assert row["eqf_level"] == row["level"]
        if row["qdr_iri"]:
            assert qdr[row["qdr_iri"]] == row["qdr_label"]
            assert row["qdr_label"].startswith(f"NQF RNCP Level {row['level_1969']}")
    assert [r["level"] for r in rows if not r["qdr_iri"]] == ["1", "2"]
    vocab = Vocabularies.load(Minter())
    assert vocab.qdr(5) == vocab.qdr("NIV5") == URIRef("http://data.europa.eu/snb/qdr/c_243aefbe")
    assert vocab.qdr(1) is None and vocab.qdr(9) is None


def test_nqf_table_agrees_with_the_1969_levels():
    graph = Graph().parse(VOCAB / "levels.ttl", publicID=ID)
    for row in _rows("fr-nqf-qdr.csv"):
        if row["level_1969"]:
            old = URIRef(ID + "niveau-1969/" + row["level_1969"])
            assert (old, SKOS_NS.closeMatch, URIRef(ID + "cnc/" + row["level"])) in graph
