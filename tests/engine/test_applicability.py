"""The applicability engine, one rule at a time, on small hand-built catalogs."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder
from sqlalchemy import event

from catalog.applicability import ReasonKind, Standing, applicable, edition_in_force
from catalog.products import ProductNotFound, resolve_product
from catalog.vocab import IssuerKind, RelationKind, Role, Status

TODAY = date(2026, 3, 1)


@pytest.fixture
def cat(session) -> CatalogBuilder:
    return CatalogBuilder(session)


def codes(entries) -> list[str]:
    return [e.document.code for e in entries]


def test_rule_on_the_product_itself(session, cat):
    orange = cat.product("Cam sành Hàm Yên")
    doc = cat.doc("TCVN 1873:2014")
    cat.rule(orange, doc, Role.PRODUCT_STANDARD, condition="nếu đóng gói sẵn", legal_basis="x")
    answer = applicable(session, orange.id, TODAY)
    assert codes(answer.entries) == ["TCVN 1873:2014"]
    entry = answer.entries[0]
    assert (entry.standing, entry.mandatory, entry.role) == (
        Standing.IN_FORCE,
        False,
        Role.PRODUCT_STANDARD,
    )
    assert entry.reasons[0].kind == ReasonKind.PRODUCT
    assert entry.conditions == ("nếu đóng gói sẵn",)
    assert entry.legal_bases == ("x",)


def test_rules_on_ancestor_categories_are_inherited(session, cat):
    food = cat.category("Thực phẩm")
    fruit = cat.category("Trái cây", food)
    citrus = cat.category("Cây có múi", fruit)
    other = cat.category("Đồ uống", food)
    orange = cat.product("Cam sành", category=citrus)
    cat.rule(food, cat.doc("QCVN 8-2:2011/BYT"), Role.MANDATORY_REGULATION)
    cat.rule(citrus, cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
    cat.rule(other, cat.doc("QCVN 6-3:2010/BYT"), Role.MANDATORY_REGULATION)
    answer = applicable(session, orange, TODAY)
    assert codes(answer.entries) == ["QCVN 8-2:2011/BYT", "TCVN 1873:2014"]
    texts = [e.reasons[0].text for e in answer.entries]
    assert texts == ["inherited from category Thực phẩm", "rule on its category Cây có múi"]
    assert all(e.reasons[0].kind == ReasonKind.CATEGORY for e in answer.entries)


def test_hs_prefix_and_ics_field_rules(session, cat):
    orange = cat.product("Cam", hs=("080510",), ics=("67.080.10",))
    cat.rule("hs:0805", cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
    cat.rule("hs:0806", cat.doc("TCVN 9999:2014"), Role.PRODUCT_STANDARD)  # grapes
    cat.rule("hs:08051", cat.doc("TCVN 8888:2014"), Role.TEST_METHOD)
    cat.rule("ics:67.080", cat.doc("TCVN 7777:2014"), Role.GOOD_PRACTICE)
    cat.rule("ics:67.120", cat.doc("TCVN 6666:2014"), Role.GOOD_PRACTICE)  # meat
    answer = applicable(session, orange, TODAY)
    assert codes(answer.entries) == ["TCVN 1873:2014", "TCVN 8888:2014", "TCVN 7777:2014"]
    assert [r.text for e in answer.entries for r in e.reasons] == [
        "HS 0805 prefix",
        "HS 08051 prefix",
        "ICS 67.080",
    ]


def test_one_entry_per_document_with_every_reason(session, cat):
    fruit = cat.category("Trái cây")
    orange = cat.product("Cam", category=fruit, hs=("080510",))
    doc = cat.doc("TCVN 12850:2019")
    cat.rule(fruit, doc, Role.TRACEABILITY)
    cat.rule("hs:0805", doc, Role.TRACEABILITY)
    cat.rule(orange, doc, Role.LABELLING)
    answer = applicable(session, orange, TODAY)
    assert len(answer.entries) == 1
    entry = answer.entries[0]
    assert [r.kind for r in entry.reasons] == [
        ReasonKind.PRODUCT,
        ReasonKind.CATEGORY,
        ReasonKind.HS_PREFIX,
    ]
    assert entry.roles == (Role.LABELLING, Role.TRACEABILITY)
    assert entry.role == Role.LABELLING


def _haccp_chain(cat):
    old = cat.doc("TCVN 5603:2008", effective_from=date(2008, 12, 31))
    new = cat.doc("TCVN 5603:2023", effective_from=date(2023, 6, 1))
    cat.replaces(new, old, on=date(2023, 6, 1))
    return old, new


def test_superseded_edition_is_answered_with_the_edition_in_force(session, cat):
    tea = cat.product("Chè")
    old, _new = _haccp_chain(cat)
    cat.rule(tea, old, Role.MANAGEMENT_SYSTEM)
    after = applicable(session, tea, date(2024, 1, 1))
    assert codes(after.entries) == ["TCVN 5603:2023"]
    assert after.entries[0].reasons[0].cited_edition == "TCVN 5603:2008"
    assert "cites TCVN 5603:2008; in force is TCVN 5603:2023" in (after.entries[0].notes)
    before = applicable(session, tea, date(2015, 1, 1))
    assert codes(before.entries) == ["TCVN 5603:2008"]
    assert before.entries[0].notes == ()
    assert before.upcoming == ()
    on_the_day = applicable(session, tea, date(2023, 6, 1))
    assert codes(on_the_day.entries) == ["TCVN 5603:2023"]


def test_rule_on_a_newer_edition_asked_before_it_answers_the_older_one(session, cat):
    tea = cat.product("Chè")
    _old, new = _haccp_chain(cat)
    cat.rule(tea, new, Role.MANAGEMENT_SYSTEM)
    answer = applicable(session, tea, date(2015, 1, 1))
    assert codes(answer.entries) == ["TCVN 5603:2008"]
    assert answer.entries[0].notes == (
        "cites TCVN 5603:2023 (in force from 2023-06-01); in force is TCVN 5603:2008",
    )
    assert codes(answer.upcoming) == ["TCVN 5603:2023"]


def test_chain_of_three_editions_is_walked(session, cat):
    orange = cat.product("Cam")
    e1986 = cat.doc("TCVN 1873-86")
    e2007 = cat.doc("TCVN 1873:2007")
    e2014 = cat.doc("TCVN 1873:2014")
    cat.replaces(e2007, e1986)
    cat.replaces(e2014, e2007)
    cat.rule(orange, e1986, Role.PRODUCT_STANDARD)
    assert codes(applicable(session, orange, date(2010, 1, 1)).entries) == ["TCVN 1873:2007"]
    latest = applicable(session, orange, TODAY).entries[0]
    assert latest.document.code == "TCVN 1873:2014"
    assert latest.notes[:2] == (
        "TCVN 1873:1986 was replaced by TCVN 1873:2007 since 2007-01-01",
        "TCVN 1873:2007 was replaced by TCVN 1873:2014 since 2014-01-01",
    )


def test_superseded_without_end_date_is_in_force_until_its_replacement_takes_effect(session, cat):
    orange = cat.product("Cam")
    old = cat.doc("TCVN 1873:2007", status=Status.SUPERSEDED, effective_from=date(2007, 1, 1))
    new = cat.doc("TCVN 1873:2014", effective_from=date(2014, 6, 1))
    cat.replaces(new, old)
    cat.rule(orange, old, Role.PRODUCT_STANDARD)
    before = applicable(session, orange, date(2010, 1, 1))
    assert codes(before.entries) == ["TCVN 1873:2007"]
    assert (before.withdrawn, before.upcoming) == ((), ())
    after = applicable(session, orange, date(2015, 1, 1))
    assert codes(after.entries) == ["TCVN 1873:2014"]
    assert after.entries[0].reasons[0].cited_edition == "TCVN 1873:2007"
    # Without a recorded successor the status still counts from the document's start.
    lone = cat.doc("TCVN 4000:2000", status=Status.SUPERSEDED, effective_from=date(2000, 1, 1))
    cat.rule(orange, lone, Role.TEST_METHOD)
    assert codes(applicable(session, orange, date(2010, 1, 1)).withdrawn) == ["TCVN 4000:2000"]


def test_edition_in_force_for_a_cited_document(session, cat):
    old, new = _haccp_chain(cat)
    now = edition_in_force(session, old.id, date(2024, 1, 1))
    assert (now.cited.code, now.edition.code) == ("TCVN 5603:2008", "TCVN 5603:2023")
    assert (now.cited_standing, now.standing) == (Standing.WITHDRAWN, Standing.IN_FORCE)
    assert now.notes[-1] == "cites TCVN 5603:2008; in force is TCVN 5603:2023"
    then = edition_in_force(session, new.id, date(2015, 1, 1))
    assert (then.cited_standing, then.edition.code) == (Standing.UPCOMING, "TCVN 5603:2008")


def test_withdrawn_without_successor_is_reported_apart(session, cat):
    honey = cat.product("Mật ong")
    gone = cat.doc("TCVN 5267:1990", status=Status.WITHDRAWN, effective_to=date(2020, 1, 1))
    cat.rule(honey, gone, Role.PRODUCT_STANDARD)
    now = applicable(session, honey, TODAY)
    assert now.entries == ()
    assert codes(now.withdrawn) == ["TCVN 5267:1990"]
    assert now.withdrawn[0].notes == ("withdrawn on 2020-01-01; no successor recorded",)
    assert codes(applicable(session, honey, date(2019, 6, 1)).entries) == ["TCVN 5267:1990"]


def test_not_yet_in_force_is_listed_as_upcoming_with_its_date(session, cat):
    board = cat.product("Ván dăm")
    qcvn = cat.doc("QCVN 16:2023/BXD", effective_from=date(2024, 1, 1))
    cat.rule(board, qcvn, Role.MANDATORY_REGULATION)
    answer = applicable(session, board, date(2023, 10, 1))
    assert answer.entries == ()
    assert codes(answer.upcoming) == ["QCVN 16:2023/BXD"]
    assert answer.upcoming[0].notes == ("in force from 2024-01-01",)
    assert codes(applicable(session, board, date(2024, 1, 1)).entries) == ["QCVN 16:2023/BXD"]


def test_rule_validity_dates_are_respected(session, cat):
    tea = cat.product("Chè")
    cat.rule(tea, cat.doc("TCVN 3218:2012"), Role.TEST_METHOD, valid_from=date(2020, 1, 1))
    assert applicable(session, tea, date(2019, 1, 1)).entries == ()
    assert len(applicable(session, tea, date(2020, 1, 1)).entries) == 1


def test_standard_cited_as_mandatory_by_an_applicable_regulation(session, cat):
    food = cat.category("Thực phẩm")
    honey = cat.product("Mật ong", category=food)
    qcvn = cat.doc("QCVN 8-2:2011/BYT", effective_from=date(2012, 1, 1))
    method = cat.doc("TCVN 7602:2007")
    deeper = cat.doc("TCVN 1976:1988")
    unrelated_qcvn = cat.doc("QCVN 6-3:2010/BYT")
    voluntary = cat.doc("TCVN 5266:1990")
    cat.rule(food, qcvn, Role.MANDATORY_REGULATION)
    cat.rule(honey, voluntary, Role.PRODUCT_STANDARD)
    cat.cites_mandatory(qcvn, method)
    cat.relate(method, RelationKind.CITES, deeper)  # a plain citation binds nothing
    cat.cites_mandatory(unrelated_qcvn, voluntary)  # does not apply to honey
    answer = applicable(session, honey, TODAY)
    assert codes(answer.mandatory) == ["QCVN 8-2:2011/BYT", "TCVN 7602:2007"]
    assert codes(answer.voluntary) == ["TCVN 5266:1990"]
    reason = answer.mandatory[1].reasons[0]
    assert (reason.kind, reason.text) == (
        ReasonKind.CITATION,
        "cited as mandatory by QCVN 8-2:2011/BYT",
    )
    # Before the regulation came into force, nothing makes the method mandatory.
    before = applicable(session, honey, date(2011, 6, 1))
    assert codes(before.entries) == ["TCVN 5266:1990"]
    assert codes(before.upcoming) == ["QCVN 8-2:2011/BYT"]


def test_mandatory_citation_is_transitive_and_upgrades_a_voluntary_entry(session, cat):
    spirit = cat.product("Rượu ngô")
    decree = cat.doc("15/2018/NĐ-CP")
    qcvn = cat.doc("QCVN 6-3:2010/BYT")
    method = cat.doc("TCVN 8008:2009")
    cat.rule(spirit, decree, Role.CONFORMITY_DECLARATION)
    cat.rule(spirit, method, Role.TEST_METHOD)
    cat.cites_mandatory(decree, qcvn)
    cat.cites_mandatory(qcvn, method)
    answer = applicable(session, spirit, TODAY)
    assert codes(answer.entries) == ["QCVN 6-3:2010/BYT", "15/2018/NĐ-CP", "TCVN 8008:2009"]
    assert all(e.mandatory for e in answer.entries)
    method_entry = answer.entries[2]
    assert [r.kind for r in method_entry.reasons] == [ReasonKind.PRODUCT, ReasonKind.CITATION]


def test_local_regulations_follow_the_province_across_the_merger(session, cat):
    places = cat.merger()
    food = cat.category("Thực phẩm")
    orange = cat.product("Cam sành Hàm Yên", category=food, locality=places["ham_yen"])
    tea = cat.product("Chè Bắc Mê", category=food, locality=places["bac_me"])
    for key in ("qcdp_tq", "qcdp_hg", "qcdp_bt"):
        cat.rule(food, places[key], Role.MANDATORY_REGULATION)

    before = applicable(session, orange, date(2025, 1, 1))
    assert codes(before.entries) == ["QCĐP 01:2020/TQ"]
    assert codes(before.out_of_scope) == ["QCĐP 01:2022/BTr", "QCĐP 02:2020/HG"]
    assert before.out_of_scope[1].notes == (
        "local regulation of Hà Giang, not the product's province",
    )
    after = applicable(session, orange, date(2025, 8, 1))
    assert codes(after.entries) == ["QCĐP 01:2020/TQ", "QCĐP 02:2020/HG"]
    assert codes(after.out_of_scope) == ["QCĐP 01:2022/BTr"]

    assert codes(applicable(session, tea, date(2025, 1, 1)).entries) == ["QCĐP 02:2020/HG"]
    assert codes(applicable(session, tea, date(2025, 8, 1)).entries) == [
        "QCĐP 01:2020/TQ",
        "QCĐP 02:2020/HG",
    ]


def test_local_regulation_for_a_product_without_locality_is_out_of_scope(session, cat):
    places = cat.merger()
    thing = cat.product("Sản phẩm không rõ nơi")
    cat.rule(thing, places["qcdp_tq"], Role.MANDATORY_REGULATION)
    answer = applicable(session, thing, TODAY)
    assert answer.entries == ()
    assert answer.out_of_scope[0].notes == (
        "local regulation, and the product's locality is not recorded",
    )


def test_order_is_mandatory_first_then_voluntary_by_role_and_deterministic(session, cat):
    food = cat.category("Thực phẩm")
    tea = cat.product("Chè Shan tuyết", category=food, hs=("090210",))
    docs = {
        code: cat.doc(code)
        for code in (
            "TCVN 12850:2019",
            "TCVN 11892-1:2017",
            "TCVN 5603:2023",
            "43/2017/NĐ-CP",
            "QCVN 8-2:2011/BYT",
            "QCVN 8-1:2011/BYT",
            "TCVN 7087:2013",
            "TCVN 3218:2012",
            "TCVN 1455:1993",
        )
    }
    roles = {
        "TCVN 12850:2019": Role.TRACEABILITY,
        "TCVN 11892-1:2017": Role.GOOD_PRACTICE,
        "TCVN 5603:2023": Role.MANAGEMENT_SYSTEM,
        "43/2017/NĐ-CP": Role.LABELLING,
        "QCVN 8-2:2011/BYT": Role.MANDATORY_REGULATION,
        "QCVN 8-1:2011/BYT": Role.MANDATORY_REGULATION,
        "TCVN 7087:2013": Role.LABELLING,
        "TCVN 3218:2012": Role.TEST_METHOD,
        "TCVN 1455:1993": Role.PRODUCT_STANDARD,
    }
    for code, role in roles.items():
        cat.rule(food if code.startswith(("QCVN", "43")) else "hs:0902", docs[code], role)
    cat.cites_mandatory(docs["43/2017/NĐ-CP"], docs["TCVN 7087:2013"])
    expected = [
        "QCVN 8-1:2011/BYT",
        "QCVN 8-2:2011/BYT",
        "43/2017/NĐ-CP",
        "TCVN 7087:2013",
        "TCVN 1455:1993",
        "TCVN 3218:2012",
        "TCVN 11892-1:2017",
        "TCVN 12850:2019",
        "TCVN 5603:2023",
    ]
    first = applicable(session, tea, TODAY)
    assert codes(first.entries) == expected
    assert applicable(session, tea, TODAY) == first
    assert applicable(session, tea, TODAY, mandatory_only=True).entries == first.mandatory
    assert codes(applicable(session, tea, TODAY, role=Role.LABELLING).entries) == [
        "43/2017/NĐ-CP",
        "TCVN 7087:2013",
    ]


def test_products_are_found_by_id_slug_name_or_alias(session, cat):
    orange = cat.product("Cam sành Hàm Yên", aliases=("Cam Hàm Yên",))
    cat.product("Bưởi Soi Hà")
    for reference in (
        orange.id,
        str(orange.id),
        "cam-sanh-ham-yen",
        "CAM SANH ham yen",
        "cam ham yen",
    ):
        assert resolve_product(session, reference).id == orange.id
    with pytest.raises(ProductNotFound) as caught:
        resolve_product(session, "cam sành Na Hang")
    assert [s.name_vi for s in caught.value.suggestions] == ["Cam sành Hàm Yên"]


def test_queries_do_not_grow_with_the_number_of_rules(session, engine, cat):
    food = cat.category("Thực phẩm")
    fruit = cat.category("Trái cây", food)

    def product_with_rules(name: str, hs: str, count: int, first_number: int):
        """``count`` superseded standards, each made mandatory by a regulation of its own."""
        product = cat.product(name, category=fruit, hs=(hs,))
        for i in range(first_number, first_number + count):
            old = cat.doc(f"TCVN {i}:2001")
            new = cat.doc(f"TCVN {i}:2010")
            cat.replaces(new, old)
            cat.rule(product, old, Role.PRODUCT_STANDARD)
            qcvn = cat.doc(f"QCVN {i}:2015/BYT")
            cat.cites_mandatory(qcvn, new)
            cat.rule(f"hs:{hs}", qcvn, Role.MANDATORY_REGULATION)
        return product

    few = product_with_rules("Cam", "080510", 2, 100)
    many = product_with_rules("Bưởi", "080540", 40, 200)
    session.commit()

    def count(product) -> int:
        statements: list[str] = []

        def listener(*args) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            session.expunge_all()
            applicable(session, product.id, TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    assert len(applicable(session, many.id, TODAY).mandatory) == 80
    assert count(many) == count(few)


def test_issuer_kind_province_makes_a_decision_local(session, cat):
    places = cat.merger()
    bt = cat.locality("Bến Tre 2")
    issuer = cat.issuer("UBND-X", "UBND tỉnh X", IssuerKind.PROVINCE, locality=bt)
    decision = cat.doc("841/QĐ-UBND", issuer=issuer)
    orange = cat.product("Cam", locality=places["ham_yen"])
    cat.rule(orange, decision, Role.CONFORMITY_DECLARATION)
    assert codes(applicable(session, orange, TODAY).out_of_scope) == ["841/QĐ-UBND"]
