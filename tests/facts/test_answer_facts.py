"""Facts settle answers on small hand-built catalogs: every condition type, each way."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder

from catalog.answer_facts import FactsAnswer, apply_facts
from catalog.applicability import applicable
from catalog.conditions import Verdict, parse_conditions
from catalog.facts import NO_FACTS, Fact, parse_facts
from catalog.readmodel import CatalogGraph
from catalog.vocab import Role

TODAY = date(2026, 3, 1)


@pytest.fixture
def cat(session) -> CatalogBuilder:
    return CatalogBuilder(session)


def settled(session, product, facts: str | None) -> FactsAnswer:
    graph = CatalogGraph.load(session)
    answer = applicable(session, product.id, TODAY, graph=graph)
    return apply_facts(answer, parse_facts(facts), graph.facts)


def verdicts(found: FactsAnswer) -> dict[str, tuple]:
    return {
        e.document.code: (
            found.of(e).verdict,
            tuple(c.text() for c in found.of(e).ruled_out_by),
            tuple(q.value for q in found.of(e).questions),
        )
        for e in found.answer.entries
    }


# (typed condition, facts that keep the document, facts that rule it out)
EVERY_CONDITION_TYPE = [
    ("prepackaged=yes", "prepackaged:yes", "prepackaged:no"),
    ("packaging=glass|ceramic", "packaging:ceramic+metal", "packaging:plastic"),
    ("claims=organic", "claims:organic+ocop", "claims:none"),
    ("market=domestic", "market:domestic+export", "market:export"),
    ("activity=slaughter|processing", "activity:processing", "activity:growing+trading"),
    ("additives=preservative", "additives:preservative", "additives:none"),
]


@pytest.mark.parametrize(("typed", "keeps", "rules_out"), EVERY_CONDITION_TYPE)
def test_every_condition_type_keeps_rules_out_or_asks(session, cat, typed, keeps, rules_out):
    product = cat.product("Sản phẩm thử")
    cat.rule(product, cat.doc("QCVN 8-2:2011/BYT"), Role.MANDATORY_REGULATION)
    cat.rule(
        product,
        cat.doc("TCVN 7087:2013"),
        Role.LABELLING,
        condition="điều kiện viết bằng lời",
        typed_condition=typed,
    )
    fact = parse_conditions(typed)[0].fact.value

    asked = verdicts(settled(session, product, None))
    assert asked["QCVN 8-2:2011/BYT"] == (Verdict.APPLIES, (), ())
    assert asked["TCVN 7087:2013"] == (Verdict.DEPENDS_ON, (), (fact,))

    kept = verdicts(settled(session, product, keeps))
    assert kept["TCVN 7087:2013"] == (Verdict.APPLIES, (), ())

    out = verdicts(settled(session, product, rules_out))
    assert out["TCVN 7087:2013"] == (Verdict.DOES_NOT_APPLY, (typed,), ())
    assert out["QCVN 8-2:2011/BYT"] == (Verdict.APPLIES, (), ())

    other = "market:domestic" if fact != "market" else "prepackaged:yes"
    still_open = verdicts(settled(session, product, other))
    assert still_open["TCVN 7087:2013"] == (Verdict.DEPENDS_ON, (), (fact,))


def test_a_condition_kept_as_text_only_never_rules_out(session, cat):
    product = cat.product("Cam")
    cat.rule(product, cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD, condition="Cam quả tươi")
    found = settled(session, product, "prepackaged:no,claims:none,market:export")
    assert verdicts(found)["TCVN 1873:2014"] == (Verdict.APPLIES, (), ())


def test_all_conditions_of_a_rule_must_hold_and_each_failure_is_named(session, cat):
    product = cat.product("Mật ong")
    typed = "prepackaged=yes; claims=ocop"
    cat.rule(product, cat.doc("TCVN 12850:2019"), Role.TRACEABILITY, typed_condition=typed)
    assert verdicts(settled(session, product, "prepackaged:yes"))["TCVN 12850:2019"] == (
        Verdict.DEPENDS_ON,
        (),
        ("claims",),
    )
    assert verdicts(settled(session, product, "prepackaged:no,claims:none"))["TCVN 12850:2019"] == (
        Verdict.DOES_NOT_APPLY,
        ("prepackaged=yes", "claims=ocop"),
        (),
    )


def test_an_entry_applies_when_any_of_its_rules_does(session, cat):
    tea = cat.category("Chè")
    product = cat.product("Chè xanh", category=tea)
    doc = cat.doc("TCVN 11041-1:2017")
    cat.rule(tea, doc, Role.ORGANIC, typed_condition="claims=organic")
    cat.rule(product, doc, Role.LABELLING, typed_condition="prepackaged=yes")
    assert verdicts(settled(session, product, "claims:none"))[doc.code] == (
        Verdict.DEPENDS_ON,
        (),
        ("prepackaged",),
    )
    assert verdicts(settled(session, product, "claims:none,prepackaged:yes"))[doc.code][0] == (
        Verdict.APPLIES
    )
    out = verdicts(settled(session, product, "claims:vietgap,prepackaged:no"))[doc.code]
    assert out == (Verdict.DOES_NOT_APPLY, ("prepackaged=yes", "claims=organic"), ())


def test_a_document_cited_as_mandatory_follows_the_one_citing_it(session, cat):
    product = cat.product("Mật ong")
    glass = cat.doc("QCVN 12-4:2015/BYT")
    method = cat.doc("TCVN 5261:1990")
    cat.cites_mandatory(glass, method)
    cat.rule(product, glass, Role.MANDATORY_REGULATION, typed_condition="packaging=glass|ceramic")
    assert verdicts(settled(session, product, None))[method.code] == (
        Verdict.DEPENDS_ON,
        (),
        ("packaging",),
    )
    assert verdicts(settled(session, product, "packaging:glass"))[method.code][0] == (
        Verdict.APPLIES
    )
    assert verdicts(settled(session, product, "packaging:paper"))[method.code] == (
        Verdict.DOES_NOT_APPLY,
        ("packaging=glass|ceramic",),
        (),
    )


def test_a_products_default_facts_count_until_the_asker_gives_that_fact(session, cat):
    product = cat.product("Trà hộp", default_facts="prepackaged:yes,claims:ocop")
    cat.rule(product, cat.doc("TCVN 7087:2013"), Role.LABELLING, typed_condition="prepackaged=no")
    cat.rule(product, cat.doc("TCVN 12850:2019"), Role.TRACEABILITY, typed_condition="claims=ocop")
    cat.rule(product, cat.doc("TCVN 11041-1:2017"), Role.ORGANIC, typed_condition="claims=organic")
    found = settled(session, product, None)
    assert found.defaults == parse_facts("prepackaged:yes,claims:ocop")
    assert found.given == NO_FACTS
    assert verdicts(found) == {
        # a fact of one value is known in full: the default rules out
        "TCVN 7087:2013": (Verdict.DOES_NOT_APPLY, ("prepackaged=no",), ()),
        "TCVN 12850:2019": (Verdict.APPLIES, (), ()),
        # the registry names some claims, not all: "ocop" does not rule out "organic"
        "TCVN 11041-1:2017": (Verdict.DEPENDS_ON, (), ("claims",)),
    }
    asked = verdicts(settled(session, product, "prepackaged:no,claims:organic"))
    assert asked["TCVN 7087:2013"][0] == Verdict.APPLIES
    assert asked["TCVN 11041-1:2017"][0] == Verdict.APPLIES
    assert asked["TCVN 12850:2019"] == (Verdict.DOES_NOT_APPLY, ("claims=ocop",), ())


def test_counts_and_the_questions_most_useful_first(session, cat):
    product = cat.product("Rượu")
    cat.rule(product, cat.doc("QCVN 6-3:2010/BYT"), Role.MANDATORY_REGULATION)
    cat.rule(product, cat.doc("TCVN 7087:2013"), Role.LABELLING, typed_condition="prepackaged=yes")
    cat.rule(
        product, cat.doc("QCVN 12-1:2011/BYT"), Role.MANDATORY_REGULATION,
        typed_condition="prepackaged=yes; packaging=plastic",
    )  # fmt: skip
    cat.rule(product, cat.doc("QCVN 12-4:2015/BYT"), Role.MANDATORY_REGULATION,
             typed_condition="packaging=glass")  # fmt: skip
    cat.rule(product, cat.doc("QCVN 12-3:2011/BYT"), Role.MANDATORY_REGULATION,
             typed_condition="packaging=metal")  # fmt: skip
    found = settled(session, product, None)
    assert found.counts() == {Verdict.APPLIES: 1, Verdict.DOES_NOT_APPLY: 0, Verdict.DEPENDS_ON: 4}
    # packaging settles three entries, prepackaged two
    assert found.questions() == [(Fact.PACKAGING, 3), (Fact.PREPACKAGED, 2)]
    found = settled(session, product, "prepackaged:no")
    assert found.counts() == {Verdict.APPLIES: 1, Verdict.DOES_NOT_APPLY: 2, Verdict.DEPENDS_ON: 2}
    assert found.questions() == [(Fact.PACKAGING, 2)]
    assert [e.document.code for e in found.kept(found.answer.entries)] == [
        "QCVN 6-3:2010/BYT",
        "QCVN 12-3:2011/BYT",
        "QCVN 12-4:2015/BYT",
    ]


def test_the_engines_answer_is_left_as_it_is(session, cat):
    product = cat.product("Cam")
    cat.rule(product, cat.doc("TCVN 7087:2013"), Role.LABELLING, typed_condition="prepackaged=yes")
    graph = CatalogGraph.load(session)
    answer = applicable(session, product.id, TODAY, graph=graph)
    found = apply_facts(answer, parse_facts("prepackaged:no"), graph.facts)
    assert found.answer is answer
    assert [e.document.code for e in answer.entries] == ["TCVN 7087:2013"]
