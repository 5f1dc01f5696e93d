"""HS codes as people type them: 4, 6 or 8 digits, with or without dots; the rest refused."""

from __future__ import annotations

import pytest

from catalog.hs import HsCode, HsCodeError, parse_hs


@pytest.mark.parametrize(
    ("text", "digits", "dotted", "level"),
    [
        ("0902", "0902", "0902", "heading"),
        ("0902.30", "090230", "0902.30", "subheading"),
        ("090230", "090230", "0902.30", "subheading"),
        ("09023010", "09023010", "0902.30.10", "tariff line"),
        ("0902.30.10", "09023010", "0902.30.10", "tariff line"),
        ("  0805.10 ", "080510", "0805.10", "subheading"),
        ("０９０２", "0902", "0902", "heading"),  # full-width digits from a phone keyboard
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
        ("   ", "it is empty"),
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
