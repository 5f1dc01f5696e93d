"""Any product: answers for a product not in the registry, by HS code, category, or both."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder
from sqlmodel import Session

from catalog.applicability import ReasonKind, UnknownCategory, applicable_any
from catalog.hs import parse_hs
from catalog.models import ProductCategory
from catalog.readmodel import CatalogGraph
from catalog.vocab import Role

TODAY = date(2026, 3, 1)


@pytest.fixture
def graph(session: Session) -> CatalogGraph:
    cat = CatalogBuilder(session)
    food = cat.category("Thực phẩm", slug="thuc-pham")
    tea = cat.category("Chè", food, slug="che")
    green = cat.category("Chè xanh", tea, slug="che-xanh")
    fruit = cat.category("Quả tươi", food, slug="qua-tuoi")
    citrus = cat.category("Quả có múi", fruit, slug="cay-co-mui")
    orange = cat.category("Cam", citrus, slug="cam")
    pomelo = cat.category("Bưởi", citrus, slug="buoi")
    cat.category("Gỗ", slug="go")
    cat.product("Chè Shan tuyết", category=tea, hs=("0902",))
    cat.product("Chè xanh Ngọc Thuý", category=green, hs=("090210",))
    cat.product("Cam sành", category=orange, hs=("080510",))
    cat.product("Bưởi Soi Hà", category=pomelo, hs=("080540",))
    cat.rule(food, cat.doc("QCVN 8-2:2011/BYT"), Role.MANDATORY_REGULATION)
    cat.rule(tea, cat.doc("TCVN 1454:2013"), Role.PRODUCT_STANDARD)
    cat.rule(green, cat.doc("TCVN 1455:2013"), Role.PRODUCT_STANDARD)
    cat.rule(citrus, cat.doc("TCVN 12828:2019"), Role.PRODUCT_STANDARD)
    cat.rule(orange, cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
    cat.rule(pomelo, cat.doc("TCVN 12829:2019"), Role.PRODUCT_STANDARD)
    cat.rule("hs:0902", cat.doc("TCVN 5609:2007"), Role.TEST_METHOD)
    cat.rule("hs:090230", cat.doc("TCVN 9740:2013"), Role.TEST_METHOD)
    cat.rule("hs:09023010", cat.doc("TCVN 7975:2008"), Role.LABELLING)
    session.commit()
    return CatalogGraph.load(session)


def codes(found) -> list[str]:
    return sorted(e.document.code for e in found.answer.entries)


def category_id(graph: CatalogGraph, name: str) -> int:
    return next(c.id for c in graph.categories.values() if c.name_vi == name)


TEA = ["QCVN 8-2:2011/BYT", "TCVN 1454:2013", "TCVN 5609:2007"]


@pytest.mark.parametrize(
    ("texts", "expected", "categories"),
    [
        # a heading: registered products under it lead to each of their categories
        (("0902",), [*TEA, "TCVN 1455:2013"], ["Chè", "Chè xanh"]),
        # a subheading no registered product carries: the heading's products, narrowed to the
        # category they share (black tea gets the tea standards, not the green tea one)
        (("0902.30", "090230"), [*TEA, "TCVN 9740:2013"], ["Chè"]),
        # a tariff line: every enclosing code's rules
        (("0902.30.10", "09023010"), [*TEA, "TCVN 7975:2008", "TCVN 9740:2013"], ["Chè"]),
    ],
)
def test_an_unregistered_product_by_hs_code_at_each_length(graph, texts, expected, categories):
    answers = [applicable_any(graph, hs=parse_hs(text), as_of=TODAY) for text in texts]
    for found in answers:
        assert sorted(codes(found)) == sorted(expected)
        assert [r.name_vi for r in found.categories] == categories
        assert found.answer.product.id == 0
        assert found.answer.product.kind == "unregistered"
    assert len({(tuple(codes(a)), a.answer) for a in answers}) == 1  # dots or not: one answer


def test_the_reason_names_the_registered_products_that_led_to_the_category(graph):
    found = applicable_any(graph, hs=parse_hs("0902.30"), as_of=TODAY)
    (tea,) = found.categories
    assert (tea.by_hs, tea.hs_code) == ("shared", "0902")
    assert [m.name_vi for m in tea.products] == ["Chè Shan tuyết", "Chè xanh Ngọc Thuý"]
    by_code = {e.document.code: e for e in found.answer.entries}
    reason = by_code["TCVN 1454:2013"].reasons[0]
    assert reason.kind == ReasonKind.CATEGORY
    assert reason.text == (
        "rule on category Chè (the nearest category of the registered products in HS 0902: "
        "Chè Shan tuyết (0902), Chè xanh Ngọc Thuý (0902.10))"
    )
    inherited = by_code["QCVN 8-2:2011/BYT"].reasons[0].text
    assert inherited.startswith("inherited from category Thực phẩm, above Chè (")
    hs_reason = by_code["TCVN 9740:2013"].reasons[0]
    assert hs_reason.kind == ReasonKind.HS_PREFIX
    assert hs_reason.text == "HS 090230 prefix, which HS 0902.30 falls under"


def test_a_tariff_line_under_a_registered_subheading_takes_its_category(graph):
    found = applicable_any(graph, hs=parse_hs("0805.10.20"), as_of=TODAY)
    assert [(r.name_vi, r.by_hs, r.hs_code) for r in found.categories] == [
        ("Cam", "shared", "0805.10")
    ]
    assert codes(found) == ["QCVN 8-2:2011/BYT", "TCVN 12828:2019", "TCVN 1873:2014"]


def test_siblings_in_a_heading_lead_to_the_category_they_share(graph):
    lemons = applicable_any(graph, hs=parse_hs("0805.50"), as_of=TODAY)
    assert [r.name_vi for r in lemons.categories] == ["Quả có múi"]
    assert codes(lemons) == ["QCVN 8-2:2011/BYT", "TCVN 12828:2019"]  # no orange, no pomelo


def test_a_heading_no_registered_product_is_in_reaches_only_rules_on_codes(graph):
    found = applicable_any(graph, hs=parse_hs("0209"), as_of=TODAY)
    assert found.categories == () and codes(found) == []
    assert found.notes == (
        "no registered product carries a code in the heading 0209: only rules on the HS code "
        "and the codes enclosing it reach the product",
    )


def test_by_category_only(graph):
    found = applicable_any(graph, category_id=category_id(graph, "Chè xanh"), as_of=TODAY)
    assert codes(found) == ["QCVN 8-2:2011/BYT", "TCVN 1454:2013", "TCVN 1455:2013"]
    (green,) = found.categories
    assert (green.given, green.by_hs, green.products) == (True, None, ())
    texts = {e.document.code: e.reasons[0].text for e in found.answer.entries}
    assert texts["TCVN 1455:2013"] == "rule on category Chè xanh (the category given)"
    assert (
        texts["TCVN 1454:2013"]
        == "inherited from category Chè, above Chè xanh (the category given)"
    )
    assert found.answer.product.name_vi == "Sản phẩm chưa đăng ký: Chè xanh"


def test_by_code_and_category(graph):
    # the category given adds to what the code reaches
    found = applicable_any(
        graph, hs=parse_hs("0902.30"), category_id=category_id(graph, "Chè xanh"), as_of=TODAY
    )
    assert [(r.name_vi, r.given, r.by_hs) for r in found.categories] == [
        ("Chè xanh", True, None),
        ("Chè", False, "shared"),
    ]
    assert codes(found) == sorted([*TEA, "TCVN 1455:2013", "TCVN 9740:2013"])
    # each rule is reached once, by the nearest path
    assert all(len(e.reasons) == 1 for e in found.answer.entries)
    # a category both given and reached says both
    both = applicable_any(
        graph, hs=parse_hs("0805.10"), category_id=category_id(graph, "Cam"), as_of=TODAY
    )
    (orange,) = both.categories
    assert (orange.given, orange.by_hs) == (True, "under")
    assert (
        orange.why == "the category given; registered products under HS 0805.10: Cam sành (0805.10)"
    )


def test_neither_code_nor_category_and_unknown_categories_are_refused(graph):
    with pytest.raises(ValueError, match="by an HS code, a category, or both"):
        applicable_any(graph, as_of=TODAY)
    with pytest.raises(UnknownCategory):
        applicable_any(graph, category_id=10_000, as_of=TODAY)


def test_filters_apply_and_no_plan_is_kept_for_a_described_product(graph):
    found = applicable_any(graph, hs=parse_hs("0902"), as_of=TODAY, mandatory_only=True)
    assert codes(found) == ["QCVN 8-2:2011/BYT"]
    # the engine's per-product plans hold no described product
    assert graph.engine_cache is not None and 0 not in graph.engine_cache.plans


def test_facts_settle_a_described_products_answer(session, graph):
    from catalog.answer_facts import apply_facts
    from catalog.conditions import Verdict
    from catalog.facts import NO_FACTS, Fact, parse_facts

    cat = CatalogBuilder(session)
    tea = session.get(ProductCategory, category_id(graph, "Chè"))
    cat.rule(
        tea,
        cat.doc("QCVN 12-1:2011/BYT"),
        Role.MANDATORY_REGULATION,
        condition="Nếu đóng gói bằng bao bì nhựa",
        typed_condition="packaging=plastic",
    )
    session.commit()
    fresh = CatalogGraph.load(session)
    found = applicable_any(fresh, hs=parse_hs("0902.30"), as_of=TODAY).answer
    by_code = {e.document.code: e for e in found.entries}
    asked = apply_facts(found, NO_FACTS, fresh.facts)
    assert asked.of(by_code["QCVN 12-1:2011/BYT"]).verdict == Verdict.DEPENDS_ON
    assert asked.questions() == [(Fact.PACKAGING, 1)]
    glass = apply_facts(found, parse_facts("packaging:glass"), fresh.facts)
    assert glass.of(by_code["QCVN 12-1:2011/BYT"]).verdict == Verdict.DOES_NOT_APPLY
    assert glass.of(by_code["TCVN 1454:2013"]).verdict == Verdict.APPLIES
    plastic = apply_facts(found, parse_facts("packaging:plastic"), fresh.facts)
    assert plastic.of(by_code["QCVN 12-1:2011/BYT"]).verdict == Verdict.APPLIES
