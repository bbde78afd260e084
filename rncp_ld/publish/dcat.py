"""The site's own metadata: a DCAT-AP 3 catalogue record (catalog.ttl) and VoID (void.ttl).

catalog.ttl conforms to the official DCAT-AP 3.0.0 shapes (``dcat-ap-SHACL.ttl``, checked
with pySHACL without inference): every object the shapes constrain by class carries that
class (``dct:LicenseDocument``, ``foaf:Agent``, ``dct:MediaTypeOrExtent``…). Per-fiche
documents are not distributions; the distributions are the whole register as gzipped
N-Triples, the Europass LOQ XML and the change feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, Namespace, URIRef

from ..namespaces import DCAT, DCTERMS, ELM, FOAF, PREFIXES, RDF, RDFS, SDO, SKOS, XSD
from .ldes import LDES, TREE, stream_iri
from .turtle import Triple, prefixes, statements

__all__ = ["LICENCE", "Distribution", "catalog_document", "void_document"]

VOID = Namespace("http://rdfs.org/ns/void#")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
FORMATS_W3C = Namespace("http://www.w3.org/ns/formats/")

LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
"""Licence Ouverte / Open Licence 2.0 (Etalab)."""
PUBLISHER_NAME = "France compétences"
PUBLISHER_HOME = URIRef("https://www.francecompetences.fr/")
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/NationalAuthority")

SITE_PREFIXES = {"void": str(VOID), "ldes": str(LDES), "tree": str(TREE), **PREFIXES}


@dataclass(frozen=True)
class Distribution:
    """A file of the site offered as a DCAT distribution."""

    key: str
    path: str
    title_fr: str
    title_en: str
    file_type: str
    media_type: str
    byte_size: int | None = None
    compress: str | None = None


def _fr(text: str) -> Literal:
    return Literal(text, lang="fr")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _when(value: str) -> Literal:
    """A date (``YYYY-MM-DD``) or a date-time."""
    return Literal(value, datatype=XSD.date if len(value) == 10 else XSD.dateTime)


def catalog_document(
    base: str, *, issued: str, modified: str, distributions: list[Distribution], fiches: int, blocks: int
) -> str:
    """catalog.ttl: a dcat:Catalog holding the register dataset and its distributions."""
    doc = f"{base}catalog.ttl"
    catalog = URIRef(f"{doc}#catalog")
    dataset = URIRef(f"{doc}#register")
    publisher = URIRef(f"{doc}#publisher")
    home = URIRef(f"{base}index.html")
    french = LANGUAGE.FRA
    t: list[Triple] = [
        (catalog, RDF.type, DCAT.Catalog),
        (catalog, DCTERMS.title, _fr("Registre des certifications professionnelles en données liées")),
        (catalog, DCTERMS.title, _en("French professional certifications register as linked data")),
        (
            catalog,
            DCTERMS.description,
            _fr(
                "Les fiches du Répertoire national des certifications professionnelles (RNCP) et du "
                "Répertoire spécifique (RS), alignées sur ELM, ESCO, ROME, NSF et CEC."
            ),
        ),
        (
            catalog,
            DCTERMS.description,
            _en(
                "The fiches of the French national register of professional certifications (RNCP) and of "
                "the specific register (RS), aligned with ELM, ESCO, ROME, NSF and EQF."
            ),
        ),
        (catalog, DCTERMS.publisher, publisher),
        (catalog, DCTERMS.issued, _when(issued)),
        (catalog, DCTERMS.modified, _when(modified)),
        (catalog, DCTERMS.license, LICENCE),
        (catalog, DCTERMS.language, french),
        (catalog, FOAF.homepage, home),
        (catalog, DCAT.dataset, dataset),
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, DCTERMS.title, _fr("Registre RNCP / RS")),
        (dataset, DCTERMS.title, _en("RNCP / RS register")),
        (
            dataset,
            DCTERMS.description,
            _fr(
                f"{fiches} fiches et {blocks} blocs de compétences, chacun déréférençable sous {base} "
                "(Turtle, JSON-LD, RDF/XML, N-Triples, HTML)."
            ),
        ),
        (
            dataset,
            DCTERMS.description,
            _en(
                f"{fiches} fiches and {blocks} blocks of competences, each dereferenceable under {base} "
                "(Turtle, JSON-LD, RDF/XML, N-Triples, HTML)."
            ),
        ),
        (dataset, DCTERMS.identifier, Literal(str(dataset))),
        (dataset, DCTERMS.publisher, publisher),
        (dataset, DCTERMS.issued, _when(issued)),
        (dataset, DCTERMS.modified, _when(modified)),
        (dataset, DCTERMS.language, french),
        (dataset, DCAT.landingPage, home),
        (dataset, DCAT.keyword, _fr("certification professionnelle")),
        (dataset, DCAT.keyword, _fr("RNCP")),
        (dataset, DCAT.keyword, _fr("compétences")),
        (dataset, DCTERMS.conformsTo, URIRef(str(ELM._NS))),
        (dataset, RDFS.seeAlso, URIRef(f"{base}void.ttl")),
    ]
    for dist in distributions:
        node = URIRef(f"{doc}#{dist.key}")
        url = URIRef(base + dist.path)
        t += [
            (dataset, DCAT.distribution, node),
            (node, RDF.type, DCAT.Distribution),
            (node, DCTERMS.title, _fr(dist.title_fr)),
            (node, DCTERMS.title, _en(dist.title_en)),
            (node, DCAT.accessURL, url),
            (node, DCAT.downloadURL, url),
            (node, DCTERMS.format, FILE_TYPE[dist.file_type]),
            (node, DCAT.mediaType, IANA[dist.media_type]),
            (node, DCTERMS.license, LICENCE),
            (node, DCTERMS.issued, _when(issued)),
            (node, DCTERMS.modified, _when(modified)),
        ]
        if dist.byte_size is not None:
            t.append((node, DCAT.byteSize, Literal(str(dist.byte_size), datatype=XSD.nonNegativeInteger)))
        if dist.compress:
            t.append((node, DCAT.compressFormat, IANA[dist.compress]))
            t.append((IANA[dist.compress], RDF.type, DCTERMS.MediaType))
        t += [
            (url, RDF.type, RDFS.Resource),
            (FILE_TYPE[dist.file_type], RDF.type, DCTERMS.MediaTypeOrExtent),
            (IANA[dist.media_type], RDF.type, DCTERMS.MediaType),
        ]
    t += [
        (publisher, RDF.type, FOAF.Agent),
        (publisher, RDF.type, FOAF.Organization),
        (publisher, FOAF.name, _fr(PUBLISHER_NAME)),
        (publisher, FOAF.homepage, PUBLISHER_HOME),
        (publisher, DCTERMS.type, PUBLISHER_TYPE),
        (PUBLISHER_TYPE, RDF.type, SKOS.Concept),
        (PUBLISHER_TYPE, SKOS.prefLabel, _en("National authority")),
        (LICENCE, RDF.type, DCTERMS.LicenseDocument),
        (LICENCE, DCTERMS.title, _fr("Licence Ouverte / Open Licence version 2.0")),
        (LICENCE, DCTERMS.type, ADMS_LICENCE_TYPE.Attribution),
        (ADMS_LICENCE_TYPE.Attribution, RDF.type, SKOS.Concept),
        (ADMS_LICENCE_TYPE.Attribution, SKOS.prefLabel, _en("Attribution")),
        (french, RDF.type, DCTERMS.LinguisticSystem),
        (home, RDF.type, FOAF.Document),
        (URIRef(str(ELM._NS)), RDF.type, DCTERMS.Standard),
        (URIRef(f"{base}void.ttl"), RDF.type, RDFS.Resource),
    ]
    return prefixes(SITE_PREFIXES) + statements(t, SITE_PREFIXES)


def void_document(
    base: str, *, modified: str, triples: int, entities: int, example: str | None, vocabularies: list[str]
) -> str:
    """void.ttl: the register as a void:Dataset (size, dump, URI space, vocabularies, feed)."""
    dataset = URIRef(f"{base}void.ttl#register")
    t: list[Triple] = [
        (dataset, RDF.type, VOID.Dataset),
        (dataset, DCTERMS.title, _fr("Registre RNCP / RS")),
        (dataset, DCTERMS.title, _en("RNCP / RS register")),
        (dataset, DCTERMS.publisher, _fr(PUBLISHER_NAME)),
        (dataset, DCTERMS.license, LICENCE),
        (dataset, DCTERMS.modified, _when(modified)),
        (dataset, FOAF.homepage, URIRef(f"{base}index.html")),
        (dataset, VOID.triples, Literal(str(triples), datatype=XSD.integer)),
        (dataset, VOID.entities, Literal(str(entities), datatype=XSD.integer)),
        (dataset, VOID.dataDump, URIRef(f"{base}register.nt.gz")),
        (dataset, VOID.uriSpace, Literal(base)),
        (dataset, VOID.feature, FORMATS_W3C["N-Triples"]),
        (dataset, VOID.feature, FORMATS_W3C.Turtle),
        (dataset, VOID.feature, FORMATS_W3C["JSON-LD"]),
        (dataset, VOID.feature, FORMATS_W3C.RDF_XML),
        (dataset, RDFS.seeAlso, URIRef(f"{base}catalog.ttl#register")),
        (dataset, RDFS.seeAlso, stream_iri(base)),
    ]
    if example:
        t.append((dataset, VOID.exampleResource, URIRef(example)))
    t.extend((dataset, VOID.vocabulary, URIRef(v)) for v in vocabularies)
    t.append((dataset, SDO.license, LICENCE))
    return prefixes(SITE_PREFIXES) + statements(t, SITE_PREFIXES)
