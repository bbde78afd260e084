from __future__ import annotations

from datetime import date

import pytest

from rncp_ld.readers.values import (
    parse_bool,
    parse_date,
    parse_french_date,
    parse_int,
    parse_level,
    parse_siret,
)


def test_dates():
    assert parse_date("31/08/2028") == date(2028, 8, 31)
    assert parse_date(" 14-12-2025 ") == date(2025, 12, 14)
    with pytest.raises(ValueError, match="expected dd/mm/yyyy"):
        parse_date("2028-08-31")
    with pytest.raises(ValueError, match="real calendar day"):
        parse_date("31/02/2020")


def test_french_dates():
    assert parse_french_date("23 février 2007") == date(2007, 2, 23)
    assert parse_french_date("1er mars 2010") == date(2010, 3, 1)
    assert parse_french_date("27 aout  2008") == date(2008, 8, 27)
    with pytest.raises(ValueError, match="bad month"):
        parse_french_date("3 brumaire 2007")


def test_booleans_levels_numbers_siret():
    assert parse_bool("Oui") is True and parse_bool("INACTIVE") is False
    with pytest.raises(ValueError, match="expected Oui or Non"):
        parse_bool("Peut-être")
    assert parse_level("NIV7") == 7 and parse_level("REPRISE") is None and parse_level("aucun") is None
    with pytest.raises(ValueError, match="unknown level 'NIV9'"):
        parse_level("NIV9")
    assert parse_int(" 12 ") == 12
    assert parse_siret("\t11004301500012") == "11004301500012"
    with pytest.raises(ValueError, match="expected 14 digits"):
        parse_siret("1100430150001")


def test_header_mismatch_names_the_first_differing_column():
    from rncp_ld.readers.values import header_mismatch

    assert header_mismatch([" a", "b "], ["a", "b"]) is None
    assert header_mismatch(["a", "x"], ["a", "b"]) == (2, "x", "b")
    assert header_mismatch(["a"], ["a", "b"]) == (2, None, "b")
    assert header_mismatch(["a", "b", "c"], ["a", "b"]) == (3, "c", None)
