from __future__ import annotations

import pytest
from rdflib import URIRef

from rncp_ld.errors import ConfigError
from rncp_ld.uris import DEFAULT_BASE, Minter, eqf, escape


def test_certification_and_block_iris_follow_the_scheme():
    m = Minter("https://example.org/kg")
    assert m.base == "https://example.org/kg/"
    assert m.certification("RNCP16575") == URIRef("https://example.org/kg/rncp/RNCP16575")
    assert m.certification("RS5000") == URIRef("https://example.org/kg/rs/RS5000")
    assert m.block("RNCP16575", "RNCP16575BC01") == URIRef("https://example.org/kg/rncp/RNCP16575/BC01")


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("certification", "RNCP 16575"),
        ("certification", "RNCP16575>"),
        ("rome", "K18011"),
        ("rome", "k1801"),
        ("nsf", "332tt"),
        ("formacode", "3100"),
        ("level", 9),
    ],
)
def test_codes_with_a_bad_syntax_are_refused(kind, code):
    with pytest.raises(ValueError, match="not a valid"):
        getattr(Minter(), kind)(code)


def test_block_of_another_fiche_is_refused():
    with pytest.raises(ValueError, match="does not belong to RNCP16575"):
        Minter().block("RNCP16575", "RNCP34762BC01")


def test_free_text_is_escaped():
    m = Minter()
    assert m.organisation(None, "Centre <ressource>  AROBASE") == URIRef(
        DEFAULT_BASE + "org/name/CENTRE%20%3CRESSOURCE%3E%20AROBASE"
    )
    assert m.part(m.certification("RS5000"), "statistics", "2022/1") == URIRef(
        DEFAULT_BASE + "rs/RS5000/statistics/2022%2F1"
    )
    assert escape('a b"c') == "a%20b%22c"


def test_organisation_by_siret():
    assert Minter().organisation("81738914100018", "X").endswith("/org/siret/81738914100018")
    with pytest.raises(ValueError):
        Minter().organisation("8173891410001", "X")


@pytest.mark.parametrize("base", ["ftp://x.org/", "example.org", "https://x.org/a?b=1", "https://x.org/a b/"])
def test_bad_bases_are_refused(base):
    with pytest.raises(ConfigError):
        Minter(base)


def test_eqf_concepts():
    assert eqf(5) == URIRef("http://data.europa.eu/snb/eqf/5")
