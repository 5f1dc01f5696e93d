"""WTO notification symbols: the grammar beside the document codes."""

from __future__ import annotations

import pytest

from catalog.codes_wto import Agreement, SymbolError, parse_symbol, wto_member


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("G/TBT/N/VNM/123", "G/TBT/N/VNM/123"),
        ("g/tbt/n/vnm/123", "G/TBT/N/VNM/123"),
        (" G / SPS / N / EU / 45 / Add.1 ", "G/SPS/N/EU/45/Add.1"),
        ("G/SPS/N/VNM/113.Add1", "G/SPS/N/VNM/113/Add.1"),
        ("G/TBT/N/CHN/1246/Corr. 1", "G/TBT/N/CHN/1246/Corr.1"),
        ("G/TBT/N/USA/1234/Rev.1/Add.2", "G/TBT/N/USA/1234/Rev.1/Add.2"),
        ("G/TBT/N/TPKM/500", "G/TBT/N/TPKM/500"),
    ],
)
def test_symbols_are_read_in_normal_form(text: str, canonical: str) -> None:
    assert parse_symbol(text).canonical() == canonical


def test_a_follow_up_knows_its_notification() -> None:
    symbol = parse_symbol("G/SPS/N/JPN/707/Add.1")
    assert symbol.is_follow_up and symbol.agreement is Agreement.SPS
    assert symbol.base().canonical() == "G/SPS/N/JPN/707"
    assert not parse_symbol("G/TBT/N/USA/1234/Rev.1").is_follow_up


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("G/TBT/CHN/1246", "lacks the '/N/'"),
        ("G/TBT/N/VNM/12a", "not a WTO notification symbol"),
        ("G/XYZ/N/VNM/1", "not a WTO notification symbol"),
        ("G/TBT/N/VNM/1/Add.1/Add.2", "Add twice"),
        ("G/TBT/N/VNM/1/Corr.1/Add.2", "in that order"),
        ("", "not a WTO notification symbol"),
    ],
)
def test_malformed_symbols_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(SymbolError, match=why):
        parse_symbol(text)


@pytest.mark.parametrize(
    ("market", "member"),
    [("DE", "EU"), ("fra", "EU"), ("EU", "EU"), ("CN", "CHN"), ("CHN", "CHN"), ("TW", "TPKM")],
)
def test_a_market_is_read_as_the_member_that_notifies_for_it(market: str, member: str) -> None:
    assert wto_member(market) == member


def test_a_market_that_is_no_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not a country"):
        wto_member("Trung Quốc")
