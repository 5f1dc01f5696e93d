"""GTIN check digits (GTIN-8, -12, -13, -14) and the GS1 prefix table."""

from __future__ import annotations

import csv
import itertools

import pytest

from catalog.gtin import GtinError, check_digit, gs1_prefixes, owner_of, parse_gtin


@pytest.mark.parametrize(
    ("text", "kind", "gtin14"),
    [
        ("96385074", "GTIN-8", "00000096385074"),
        ("036000291452", "GTIN-12", "00036000291452"),
        ("4006381333931", "GTIN-13", "04006381333931"),
        ("8934588063053", "GTIN-13", "08934588063053"),
        ("10012345678902", "GTIN-14", "10012345678902"),
        (" 8 934588 063053 ", "GTIN-13", "08934588063053"),  # as printed under the bars
        ("8934-588-063053", "GTIN-13", "08934588063053"),
        ("８９３４５８８０６３０５３", "GTIN-13", "08934588063053"),  # full-width digits
    ],
)
def test_valid_gtins_of_each_length(text, kind, gtin14):
    gtin = parse_gtin(text)
    assert (gtin.kind, gtin.gtin14) == (kind, gtin14)


def test_check_digits():
    assert check_digit("893458806305") == 3
    assert check_digit("03600029145") == 2
    assert check_digit("9638507") == 4
    assert check_digit("1001234567890") == 2
    assert check_digit("000000000000") == 0


@pytest.mark.parametrize(
    ("text", "why", "expected"),
    [
        ("8934588063054", "its check digit is 4, but the digits before it call for 3", 3),
        ("036000291450", "its check digit is 0, but the digits before it call for 2", 2),
        ("96385070", "its check digit is 0, but the digits before it call for 4", 4),
        ("10012345678900", "its check digit is 0, but the digits before it call for 2", 2),
        # a GTIN-13 with its last digit lost reads as a GTIN-12, and its check digit tells
        ("893458806305", "its check digit is 5, but the digits before it call for 6", 6),
        ("89345880630", "it has 11 digits; a GTIN has 8, 12, 13 or 14", None),
        ("123456789012345", "it has 15 digits", None),
        ("1234567", "it has 7 digits", None),
        ("", "it is empty", None),
        ("893458806305X", "it holds 'X'; a GTIN is digits only", None),
        ("8934588.063053", "it holds '.'", None),
        ("abc", "it holds 'a' 'b' 'c'", None),
    ],
)
def test_invalid_gtins_say_why(text, why, expected):
    with pytest.raises(GtinError) as caught:
        parse_gtin(text)
    assert why in caught.value.why
    assert str(caught.value).startswith(f"{text!r} is not a valid GTIN: ")
    assert caught.value.expected == expected


def test_prefix_countries():
    assert parse_gtin("8934588063053").prefix == "893"
    vietnam = parse_gtin("8934588063053").prefix_owner()
    assert vietnam is not None
    assert (vietnam.organisation, vietnam.country, vietnam.range) == (
        "GS1 Vietnam",
        "Việt Nam",
        "893",
    )
    # a GTIN-12 is read in its GTIN-13 form (a leading zero), a GTIN-14 without its indicator
    us = parse_gtin("036000291452").prefix_owner()
    assert us is not None and (us.organisation, us.range) == ("GS1 US", "001–019")
    germany = parse_gtin("10012345678902")
    assert germany.prefix == "001"
    assert parse_gtin("4006381333931").prefix_owner().organisation == "GS1 Germany"  # type: ignore[union-attr]
    assert owner_of("978").organisation == "Bookland (ISBN)"  # type: ignore[union-attr]
    # GTIN-8s come from a separate list: no prefix is named
    assert parse_gtin("96385074").prefix is None
    assert parse_gtin("96385074").prefix_owner() is None
    # ranges the table leaves out (unconfirmed or unassigned) name nobody
    assert owner_of("894") is None and owner_of("140") is None and owner_of("000") is None


def test_the_bundled_table_is_ordered_without_overlaps():
    table = gs1_prefixes()
    assert len(table) > 100
    for before, after in itertools.pairwise(table):
        assert before.first <= before.last < after.first
    assert all(len(p.first) == 3 and p.first.isdigit() for p in table)


def test_the_table_file_names_its_columns():
    from catalog import gtin

    with gtin._PREFIXES.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["first", "last", "organisation", "country", "note"]
