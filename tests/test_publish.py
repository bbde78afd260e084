"""rncp-ld publish: the static site, its documents, catalogue, determinism and increments."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from rncp_ld.convert import to_graph
from rncp_ld.model import Certification
from rncp_ld.namespaces import DCTERMS, ELM, RDF
from rncp_ld.publish import fiche_ntriples, publish
from rncp_ld.readers import read

from conftest import RNCP_XML, RS_XML, SEED, SHARED

BASE = "https://example.org/id/"
DAY1 = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
DAY2 = datetime(2026, 1, 2, 8, 0, tzinfo=timezone.utc)
INPUTS = [SEED, RNCP_XML, RS_XML]
DCAT_SHAPES = SHARED / "dcat-ap" / "releases" / "3.0.0" / "shacl" / "dcat-ap-SHACL.ttl"
EXTENSIONS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}


def _fiches() -> list[Certification]:
    return [item for path in INPUTS for item in read(path) if isinstance(item, Certification)]


def _folder(number: str, block: str | None = None) -> str:
    folder = f"{'rs' if number.startswith('RS') else 'rncp'}/{number}"
    return f"{folder}/{block.removeprefix(number)}" if block else folder


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    result = publish(INPUTS, root, base=BASE, now=DAY1)
    assert result.summary() == "21 added, 0 changed, 0 withdrawn, 0 unchanged"
    assert result.members == 21
    return root


def test_every_certification_and_block_has_its_documents(site):
    fiches = _fiches()
    assert sum(f.number.startswith("RNCP") for f in fiches) == 13  # 12 XML + the seed
    assert sum(f.number.startswith("RS") for f in fiches) == 8
    blocks = [(f.number, b.code) for f in fiches for b in f.blocks]
    assert len(blocks) == 56  # 53 + 3
    for folder in [_folder(f.number) for f in fiches] + [_folder(n, b) for n, b in blocks]:
        for name in ("index.html", "index.ttl", "index.jsonld", "index.rdf", "index.nt"):
            assert (site / folder / name).is_file(), f"{folder}/{name}"


@pytest.mark.parametrize("number", ["RNCP16575", "RNCP35625", "RS5000"])
def test_each_rdf_document_parses_and_holds_its_node(site, number):
    fiche = next(f for f in _fiches() if f.number == number)
    nodes = [(_folder(number), URIRef(BASE + _folder(number)))]
    nodes += [(_folder(number, b.code), URIRef(BASE + _folder(number, b.code))) for b in fiche.blocks]
    for folder, iri in nodes:
        graphs = [
            Graph().parse(site / folder / f"index.{ext}", format=fmt) for ext, fmt in EXTENSIONS.items()
        ]
        for graph in graphs:
            assert (iri, RDF.type, ELM.Qualification) in graph
            assert isomorphic(graph, graphs[0])
        if folder != _folder(number):  # a block: its own triples and its certification
            cert = URIRef(BASE + _folder(number))
            assert (iri, ELM.isPartOf, cert) in graphs[0]
            assert {s for s in graphs[0].subjects() if not str(s).startswith(str(iri))} == {cert}


def test_html_page_shows_the_fiche_and_embeds_its_graph(site):
    fiche = next(f for f in _fiches() if f.number == "RNCP16575")
    page = (site / "rncp/RNCP16575/index.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert 'name="viewport"' in page and '<link rel="stylesheet"' not in page and "<script src" not in page
    from html import escape

    assert escape(fiche.title) in page
    for block in fiche.blocks:
        assert escape(block.title) in page
        for competence in block.competences:
            assert escape(competence) in page
    assert escape("jusqu'au 31/12/2006") in page and "du 22/08/2016 au 04/10/2021" in page  # registrations
    for name in ("index.ttl", "index.jsonld", "index.rdf", "index.nt"):
        assert f'href="/id/rncp/RNCP16575/{name}"' in page  # absolute paths: right at the IRI and at …/
    embedded = re.search(r'<script type="application/ld\+json">\n(.*?)</script>', page, re.S)
    assert embedded
    graph = Graph().parse(data=embedded.group(1), format="json-ld")
    assert isomorphic(graph, Graph().parse(site / "rncp/RNCP16575/index.ttl"))
    block = (site / "rncp/RNCP16575/BC01/index.html").read_text(encoding="utf-8")
    assert escape(fiche.blocks[0].title) in block and 'href="/id/rncp/RNCP16575/"' in block
    assert 'href="/id/rncp/RNCP16575/BC01/"' in page


def test_index_lists_every_certification(site):
    assert not [p for p in site.rglob("*.tmp")]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "{home}" not in page
    for name in ("register.nt.gz", "register.loq.xml", "catalog.ttl", "void.ttl", "feed/index.ttl"):
        assert f'href="/id/{name}"' in page
    for fiche in _fiches():
        assert f'href="/id/{_folder(fiche.number)}/"' in page


def test_register_dump_is_the_converted_register(site):
    raw = (site / "register.nt.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0
    dump = Graph().parse(data=gzip.decompress(raw).decode("utf-8"), format="nt")
    union = Graph()
    for _, text in fiche_ntriples(INPUTS, base=BASE):
        union.parse(data=text, format="nt")
    assert set(dump) == set(union)  # the union of the per-fiche documents
    converted = set(to_graph(_fiches(), base=BASE))
    assert converted <= set(dump)  # and every triple `rncp-ld convert` writes
    extra = {s for s, _, _ in set(dump) - converted}
    assert not any(str(s).startswith((BASE + "rncp/", BASE + "rs/")) for s in extra)
    void = Graph().parse(site / "void.ttl")
    assert int(next(void.objects(None, URIRef("http://rdfs.org/ns/void#triples")))) == len(dump)


def test_loq_document_holds_the_qualifications(site):
    text = (site / "register.loq.xml").read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "RNCP35625" in text


def test_catalog_conforms_to_the_official_dcat_ap_shapes(site):
    pyshacl = pytest.importorskip("pyshacl")
    data = Graph().parse(site / "catalog.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=Graph().parse(DCAT_SHAPES), inference="none")
    assert conforms, text
    dcat = "http://www.w3.org/ns/dcat#"
    datasets = set(data.subjects(RDF.type, URIRef(dcat + "Dataset")))
    assert len(datasets) == 1
    dataset = datasets.pop()
    assert (
        dataset,
        DCTERMS.modified,
        Literal("2026-01-01T08:00:00Z", datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime")),
    ) in data
    downloads = {str(o) for o in data.objects(None, URIRef(dcat + "downloadURL"))}
    assert {BASE + "register.nt.gz", BASE + "register.loq.xml"} <= downloads
    assert (None, DCTERMS.license, URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")) in data


def test_same_input_same_bytes(site, tmp_path):
    publish(INPUTS, tmp_path / "again", base=BASE, now=DAY1)
    assert _files(tmp_path / "again") == _files(site)
    publish(INPUTS, tmp_path / "later", base=BASE, now=DAY2)
    first, later = _files(site), _files(tmp_path / "later")
    assert first.keys() == later.keys()
    differ = {name for name in first if first[name] != later[name]}
    # only the clock: feed timestamps, catalogue and VoID dates, the state that keeps them
    assert differ == {"feed/page-1.ttl", "catalog.ttl", "void.ttl", ".rncp-ld/state.json"}


def test_republishing_the_same_input_writes_nothing(site, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in copy.rglob("*") if p.is_file()}
    result = publish(INPUTS, copy, base=BASE, now=DAY2)
    assert result.summary() == "0 added, 0 changed, 0 withdrawn, 21 unchanged"
    assert result.written == [] and result.members == 0
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in copy.rglob("*") if p.is_file()} == before


def test_another_base_is_refused(site, tmp_path):
    from rncp_ld.errors import ConfigError

    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    with pytest.raises(ConfigError, match="IRIs never change"):
        publish(INPUTS, copy, base="https://example.net/", now=DAY2)


def test_fiche_ntriples_yields_one_graph_per_fiche():
    graphs = dict(fiche_ntriples(INPUTS, base=BASE))
    assert len(graphs) == 21
    text = graphs[URIRef(BASE + "rncp/RNCP16575")]
    lines = text.splitlines()
    assert lines == sorted(set(lines))
    assert len(Graph().parse(data=text, format="nt")) == len(lines)


# incremental publishing ------------------------------------------------------------


@pytest.fixture
def exports(tmp_path) -> tuple[Path, Path]:
    """The RNCP export (same file name) with RNCP34762's title edited and RNCP35809 removed."""
    folder = tmp_path / "new"
    folder.mkdir()
    text = RNCP_XML.read_text(encoding="utf-8")
    fiches = re.findall(r"  <FICHE>.*?</FICHE>\n", text, re.S)
    assert "<NUMERO_FICHE>RNCP35809</NUMERO_FICHE>" in fiches[1]
    text = text.replace(fiches[1], "")
    old = "<INTITULE>Programme Grande Ecole – Diplôme d’études supérieures en management</INTITULE>"
    assert old in text
    text = text.replace(old, old.replace("Programme Grande Ecole", "Programme Grande École"))
    (folder / RNCP_XML.name).write_text(text, encoding="utf-8")
    return RNCP_XML, folder / RNCP_XML.name


def test_incremental_publish_counts_and_rewrites_only_what_changed(tmp_path, exports):
    old_xml, new_xml = exports
    root = tmp_path / "site"
    first = publish([old_xml, RS_XML], root, base=BASE, now=DAY1, page_size=5)
    assert first.summary() == "20 added, 0 changed, 0 withdrawn, 0 unchanged"
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in root.rglob("*") if p.is_file()}
    pages_before = {n: (root / f"feed/page-{n}.ttl").read_bytes() for n in range(1, 5)}
    assert not (root / "feed/page-5.ttl").exists()

    second = publish([new_xml, RS_XML, SEED], root, base=BASE, now=DAY2, page_size=5)
    assert second.summary() == "1 added, 1 changed, 1 withdrawn, 18 unchanged"
    assert (second.added, second.changed, second.withdrawn) == (["RNCP16575"], ["RNCP34762"], ["RNCP35809"])

    # unchanged fiches: not a byte touched
    for path, stamp in stamps.items():
        rel = str(path.relative_to(root))
        if rel.startswith(("rncp/RNCP34762/", "rncp/RNCP35809/", "feed/", ".rncp-ld/")) or "/" not in rel:
            continue
        assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp, rel
    assert not any(name.startswith(("rncp/RNCP37488", "rs/")) for name in second.written)
    # changed: rewritten with the new title
    assert "Programme Grande École" in (root / "rncp/RNCP34762/index.html").read_text(encoding="utf-8")
    graph = Graph().parse(root / "rncp/RNCP34762/index.ttl")
    assert any(
        "Grande École" in str(o) for o in graph.objects(URIRef(BASE + "rncp/RNCP34762"), DCTERMS.title)
    )
    # added
    assert (root / "rncp/RNCP16575/BC01/index.ttl").is_file()
    # withdrawn: RDF gone, a tombstone page at the fiche's and each block's path
    gone = root / "rncp/RNCP35809"
    assert not list(gone.rglob("index.ttl"))
    assert "Retiré du registre" in (gone / "index.html").read_text(encoding="utf-8")
    assert "Retiré du registre" in (gone / "BC01/index.html").read_text(encoding="utf-8")
    assert (gone / "index.gone").is_file() and (gone / "BC01/index.gone").is_file()
    assert "RNCP35809" not in (root / "index.html").read_text(encoding="utf-8")
    state = json.loads((root / ".rncp-ld/state.json").read_text(encoding="utf-8"))
    assert state["fiches"]["RNCP35809"]["withdrawn"] is True
    assert state["fiches"]["RNCP34762"]["version"] == 2

    # the feed: full pages immutable, one relation added to the last full page, new page 5
    for n in range(1, 4):
        assert (root / f"feed/page-{n}.ttl").read_bytes() == pages_before[n]
    assert (root / "feed/page-4.ttl").read_bytes().startswith(pages_before[4])
    ldes, tree = "https://w3id.org/ldes#", "https://w3id.org/tree#"
    page5 = Graph().parse(root / "feed/page-5.ttl")
    stream = URIRef(BASE + "feed")
    members = set(page5.objects(stream, URIRef(tree + "member")))
    assert members == {
        URIRef(BASE + "rncp/RNCP34762#v2"),
        URIRef(BASE + "rncp/RNCP16575#v1"),
        URIRef(BASE + "rncp/RNCP35809#v2"),
    }
    act = "https://www.w3.org/ns/activitystreams#"
    assert (URIRef(BASE + "rncp/RNCP35809#v2"), RDF.type, URIRef(act + "Delete")) in page5
    assert (URIRef(BASE + "rncp/RNCP34762#v2"), RDF.type, URIRef(act + "Update")) in page5
    assert (URIRef(BASE + "rncp/RNCP16575#v1"), RDF.type, URIRef(act + "Create")) in page5
    assert (URIRef(BASE + "rncp/RNCP35809#v2"), DCTERMS.isVersionOf, URIRef(BASE + "rncp/RNCP35809")) in page5
    page4 = Graph().parse(root / "feed/page-4.ttl")
    relation = URIRef(BASE + "feed/page-4.ttl#next")
    assert (relation, RDF.type, URIRef(tree + "GreaterThanOrEqualToRelation")) in page4
    assert (relation, URIRef(tree + "node"), URIRef(BASE + "feed/page-5.ttl")) in page4
    assert (URIRef(BASE + "feed/page-4.ttl"), URIRef(ldes + "immutable"), Literal(True)) in page4

    # a third run with the fiche back: added again, as a new version
    third = publish([old_xml, RS_XML, SEED], root, base=BASE, now=DAY2, page_size=5)
    assert third.summary() == "1 added, 1 changed, 0 withdrawn, 19 unchanged"
    assert (root / "rncp/RNCP35809/index.ttl").is_file()
    assert "Retiré" not in (root / "rncp/RNCP35809/BC01/index.html").read_text(encoding="utf-8")
    assert not (root / "rncp/RNCP35809/index.gone").exists()
    page5 = Graph().parse(root / "feed/page-5.ttl")
    assert (URIRef(BASE + "rncp/RNCP35809#v3"), RDF.type, URIRef(act + "Create")) in page5


def test_a_new_export_file_name_alone_changes_nothing(tmp_path):
    root = tmp_path / "site"
    publish([RS_XML], root, base=BASE, now=DAY1)
    renamed = tmp_path / "export_fiches_RS_V4_1_2026-02-01.xml"
    renamed.write_bytes(RS_XML.read_bytes())
    result = publish([renamed], root, base=BASE, now=DAY2)
    assert result.summary() == "0 added, 0 changed, 0 withdrawn, 8 unchanged"


def test_cli_publish(runner, tmp_path):
    from rncp_ld.cli import cli

    done = runner.invoke(
        cli,
        [
            "publish",
            str(SEED),
            "-o",
            str(tmp_path / "s"),
            "--base",
            BASE,
            "--now",
            "2026-01-01T08:00:00Z",
            "--page-size",
            "10",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "1 added, 0 changed, 0 withdrawn, 0 unchanged" in done.output
    assert (tmp_path / "s/rncp/RNCP16575/index.ttl").is_file()
    bad = runner.invoke(cli, ["publish", str(SEED), "-o", str(tmp_path / "s"), "--now", "yesterday"])
    assert bad.exit_code == 2


def test_a_block_dropped_from_a_fiche_leaves_a_tombstone(tmp_path):
    root = tmp_path / "site"
    publish([RNCP_XML], root, base=BASE, now=DAY1)
    text = RNCP_XML.read_text(encoding="utf-8")
    block = re.search(
        r"      <BLOC_COMPETENCES>\s*<CODE>RNCP34762BC05</CODE>.*?</BLOC_COMPETENCES>\n", text, re.S
    )
    assert block
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / RNCP_XML.name).write_text(text.replace(block.group(), ""), encoding="utf-8")
    result = publish([tmp_path / "new" / RNCP_XML.name], root, base=BASE, now=DAY2)
    assert result.changed == ["RNCP34762"]
    gone = root / "rncp/RNCP34762/BC05"
    assert not (gone / "index.ttl").exists()
    assert "Retiré du registre" in (gone / "index.html").read_text(encoding="utf-8")
    assert (gone / "index.gone").is_file()
    again = publish([tmp_path / "new" / RNCP_XML.name], root, base=BASE, now=DAY2)
    assert again.written == [] and (gone / "index.gone").is_file()
    assert 'href="/id/rncp/RNCP34762/BC05/"' not in (root / "rncp/RNCP34762/index.html").read_text(
        encoding="utf-8"
    )


def test_catalogue_dates_come_from_the_export_when_it_has_one(tmp_path):
    pyshacl = pytest.importorskip("pyshacl")
    from conftest import CSV_ZIP

    root = tmp_path / "site"
    result = publish([CSV_ZIP], root, base=BASE, now=DAY1)
    assert result.added
    data = Graph().parse(root / "catalog.ttl")
    date = Literal("2024-02-22", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert len(list(data.subjects(DCTERMS.modified, date))) == 5  # catalogue, dataset, 3 distributions
    conforms, _, text = pyshacl.validate(data, shacl_graph=Graph().parse(DCAT_SHAPES), inference="none")
    assert conforms, text


def test_files_are_readable_by_a_web_server(site):
    import stat

    for path in (site / "index.html", site / "register.nt.gz", site / "rncp/RNCP16575/index.ttl"):
        assert path.stat().st_mode & stat.S_IROTH, path
