"""HS codes as people type them: 4, 6 or 8 digits, with or without dots; the rest refused."""

from __future__ import annotations

import re

import pytest

from catalog.hs import HS_PATTERN, HsCode, HsCodeError, parse_hs


@pytest.mark.parametrize(
    ("text", "digits", "dotted", "level"),
    [
        ("0902", "0902", "0902", "heading"),
        ("0902.30", "090230", "0902.30", "subheading"),
        ("090230", "090230", "0902.30", "subheading"),
        ("09023010", "09023010", "0902.30.10", "tariff line"),
        ("0902.30.10", "09023010", "0902.30.10", "tariff line"),
    ],
)
def test_codes_of_each_length_with_and_without_dots(text, digits, dotted, level):
    code = parse_hs(text)
    assert code == HsCode(digits)
    assert (code.dotted, code.level, str(code)) == (dotted, level, dotted)


def test_prefixes_and_lines_under():
    code = parse_hs("0902.30")
    assert code.prefixes() == ["09", "090", "0902", "09023", "090230"]
    assert code.encloses("09023010") and code.encloses("090230")
    assert not code.encloses("0902") and not code.encloses("090210")
    assert code.heading == "0902"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "it is empty"),
        ("   ", "it holds ' '"),
        (" 0902", "it holds ' '"),
        ("０９０２", "it holds '０'"),  # full-width digits
        ("09", "it has 2 digits"),
        ("09023", "it has 5 digits"),
        ("0902301", "it has 7 digits"),
        ("0902301000", "it has 10 digits"),
        ("0902.3", "it has 5 digits"),
        ("09.02", "dots are misplaced"),
        ("090.230", "dots are misplaced"),
        ("0902..30", "dots are misplaced"),
        ("0902.30.", "dots are misplaced"),
        ("0902-30", "holds '-'"),
        ("09O2", "holds 'O'"),
        ("0902 30", "holds ' '"),
        ("chè đen", "holds"),
        ("0002", "chapter 00 does not exist"),
        ("7701", "chapter 77 does not exist"),
        ("9801.00", "chapter 98 does not exist"),
    ],
)
def test_malformed_codes_are_refused_saying_why(text, why):
    with pytest.raises(HsCodeError) as caught:
        parse_hs(text)
    assert why in caught.value.why
    assert caught.value.text == text
    assert "is not an HS code" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "0902", "0902.30", "090230", "09023010", "0902.30.10", "0101", "9706", "7601", "7801",
        "0001", "7701", "9801", "0902.3010", "09023.010", "090.230", "0902.30.", "", "09",
        "09023", "0902301000", " 0902", "0902 ", "09O2", "0902-30",
    ],
)  # fmt: skip
def test_the_schema_pattern_accepts_exactly_what_the_parser_does(text):
    try:
        parse_hs(text)
        parsed = True
    except HsCodeError:
        parsed = False
    assert (re.fullmatch(HS_PATTERN.strip("^$"), text) is not None) == parsed
