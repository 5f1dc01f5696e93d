"""The facts vocabulary, the facts query syntax and the rules sheet's condition syntax."""

from __future__ import annotations

import pytest

from catalog.conditions import (
    Condition,
    ConditionError,
    Verdict,
    format_conditions,
    parse_conditions,
    settle,
)
from catalog.facts import FACTS, NO_FACTS, Fact, FactsError, parse_facts


def test_every_fact_has_its_question_and_labelled_answers_in_both_languages():
    assert set(FACTS) == set(Fact)
    for spec in FACTS.values():
        assert spec.question("vi") and spec.question("en")
        for value in spec.answers:
            assert spec.label(value, "vi") and spec.label(value, "en")
            assert value.isascii()


def test_facts_parse_to_one_canonical_spelling():
    one = parse_facts("packaging:glass+metal, prepackaged:yes")
    other = parse_facts(["prepackaged=yes", "packaging=metal", "packaging:glass"])
    assert one == other == parse_facts("packaging:glass metal,prepackaged:yes")  # "+" in a URL
    assert one.canonical() == "prepackaged:yes,packaging:glass+metal"
    assert one.get(Fact.PACKAGING) == frozenset({"glass", "metal"})
    assert one.get(Fact.CLAIMS) is None


def test_none_answers_that_no_value_holds():
    facts = parse_facts("claims:none")
    assert facts.get(Fact.CLAIMS) == frozenset()
    assert Fact.CLAIMS in facts
    assert facts.canonical() == "claims:none"


def test_no_facts():
    assert parse_facts(None) == NO_FACTS == parse_facts("") == parse_facts(" , ")
    assert not NO_FACTS


@pytest.mark.parametrize(
    ("text", "wrong", "why"),
    [
        ("colour:red", "colour:red", "unknown fact"),
        ("packaging:wood", "packaging:wood", "'wood' is not an answer to packaging"),
        ("prepackaged", "prepackaged", "expected fact:value"),
        ("prepackaged:yes+no", "prepackaged:yes+no", "takes one value"),
        ("prepackaged:yes,prepackaged:no", "prepackaged:no", "takes one value"),
        ("prepackaged:none", "prepackaged:none", "'none' is not an answer"),
        ("claims:none+ocop", "claims:none+ocop", "cannot go with"),
        ("claims:ocop,claims:none", "claims:none", "cannot go with"),
        ("market:", "market:", "no value given"),
    ],
)
def test_a_malformed_fact_says_which_item_is_wrong_and_why(text, wrong, why):
    with pytest.raises(FactsError) as caught:
        parse_facts(text)
    assert caught.value.item == wrong
    assert why in caught.value.reason


def test_defaults_fill_only_the_facts_not_given():
    given = parse_facts("claims:organic")
    defaults = parse_facts("claims:ocop,prepackaged:yes")
    assert given.over(defaults) == parse_facts("prepackaged:yes,claims:organic")


def test_conditions_round_trip_in_one_spelling():
    parsed = parse_conditions(" prepackaged=yes ;packaging=ceramic|glass")
    assert parsed == (
        Condition(Fact.PREPACKAGED, frozenset({"yes"})),
        Condition(Fact.PACKAGING, frozenset({"glass", "ceramic"})),
    )
    assert format_conditions(parsed) == "prepackaged=yes; packaging=glass|ceramic"
    assert parse_conditions(format_conditions(parsed)) == parsed
    assert parse_conditions(None) == parse_conditions("  ") == ()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("packed=yes", "unknown fact"),
        ("packaging=wood", "'wood' is not an answer"),
        ("prepackaged", "expected fact=value"),
        ("prepackaged=yes; prepackaged=no", "given twice"),
        ("claims=none", "cannot make a rule apply"),
        ("packaging=", "no value given"),
    ],
)
def test_a_bad_condition_says_why(text, why):
    with pytest.raises(ConditionError, match=why):
        parse_conditions(text)


def test_settle_each_way():
    conditions = parse_conditions("prepackaged=yes; packaging=glass|ceramic")
    assert settle(conditions, NO_FACTS).verdict == Verdict.DEPENDS_ON
    assert settle(conditions, NO_FACTS).open == (Fact.PREPACKAGED, Fact.PACKAGING)
    partly = settle(conditions, parse_facts("prepackaged:yes"))
    assert (partly.verdict, partly.open) == (Verdict.DEPENDS_ON, (Fact.PACKAGING,))
    out = settle(conditions, parse_facts("prepackaged:yes,packaging:plastic"))
    assert (out.verdict, out.ruled_out_by) == (Verdict.DOES_NOT_APPLY, (Fact.PACKAGING,))
    out = settle(conditions, parse_facts("packaging:none"))
    assert (out.verdict, out.ruled_out_by) == (Verdict.DOES_NOT_APPLY, (Fact.PACKAGING,))
    both = settle(conditions, parse_facts("prepackaged:yes,packaging:plastic+glass"))
    assert both.verdict == Verdict.APPLIES
    assert settle((), NO_FACTS).verdict == Verdict.APPLIES
