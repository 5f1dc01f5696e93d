"""Obligations: the steps derived from each document's type and role (issue 14), on hand-built
catalogs and a hand-written table; the bundled table loads whole, and bad rows are rejected
with their row and why."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from factories import CatalogBuilder

from catalog.applicability import applicable
from catalog.obligations import obligations_for, product_classes
from catalog.obligations_table import COLUMNS, ObligationTable, bundled_table, parse_rows
from catalog.vocab import ProductKind, ReviewState, Role

DAY = date(2026, 3, 1)
SOURCE = dict(source_title="Pháp điển", source_url="http://vbpl.vn/x", retrieved_on="2025-06-18")


def row(**cells: str) -> dict[str, str | None]:
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        doc_type="*",
        role="*",
        duty="must",
        action_vi="Làm",
        action_en="Do",
        basis="Căn cứ",
        review="verified",
        **SOURCE,
    )
    base.update(cells)
    return dict(base)


def table(*rows: dict[str, str | None]) -> ObligationTable:
    parsed = parse_rows(enumerate(rows, start=2))
    assert parsed.rejects == ()
    return parsed


DECLARE = dict(step="declare_conformity", basis="Thông tư 28/2012/TT-BKHCN, Điều 12–15")
TEST_FOOD = dict(step="test_food", basis="Nghị định 15/2018/NĐ-CP, Điều 5", duty="if")
SELF_DECLARE = dict(step="self_declare", basis="Nghị định 15/2018/NĐ-CP, Điều 4", duty="if")
STANDARD = dict(step="declare_standard", duty="may", basis="Luật 68/2006/QH11, Điều 45")
RULES = table(
    row(doc_type="qcvn", role="mandatory_regulation", **DECLARE),
    row(doc_type="qcvn", role="mandatory_regulation", product_class="thuc-pham", **TEST_FOOD),
    row(document="15/2018/NĐ-CP", **SELF_DECLARE),
    row(doc_type="qcvn", role="conformity_declaration", product_class="thuc-pham", **SELF_DECLARE),
    row(doc_type="tcvn", role="product_standard", **STANDARD),
    row(doc_type="tcvn", role="cited_mandatory", step="meet_cited", basis="—", review="unverified"),
    row(doc_type="legal", role="mandatory_regulation", step="comply", basis="{document}"),
    row(document="QCVN 16:2023/BXD", step="certify", basis="QCVN 16:2023/BXD, mục 1.4.1"),
    row(doc_type="qcdp", role="mandatory_regulation", step="local", review="unverified"),
    row(
        doc_type="qcvn",
        role="test_method",
        step="before",
        valid_to="2026-06-30",
        basis="Thông tư 28/2012/TT-BKHCN",
    ),
    row(
        doc_type="qcvn",
        role="test_method",
        step="after",
        valid_from="2026-07-01",
        basis="Nghị định 37/2026/NĐ-CP, Điều 66",
    ),
)


@pytest.fixture
def cat(session) -> CatalogBuilder:
    return CatalogBuilder(session)


def plan_of(session, product, day=DAY, rules=RULES):
    answer = applicable(session, product.id, day)
    return obligations_for(answer.entries, day, product_classes(session, product.id), rules)


def steps(plan) -> dict[str, list[str]]:
    return {o.id: [d.code for d in o.documents] for o in plan.steps}


def test_a_regulation_asks_for_a_conformity_declaration(session, cat):
    panels = cat.category("Ván gỗ")
    plywood = cat.product("Gỗ dán", category=panels)
    cat.rule(panels, cat.doc("QCVN 99:2020/BXD"), Role.MANDATORY_REGULATION)
    plan = plan_of(session, plywood)
    assert steps(plan) == {"declare_conformity": ["QCVN 99:2020/BXD"]}
    assert plan.documents[0].steps == ("declare_conformity",)
    assert plan.steps[0].status == "must"


def test_for_food_the_class_row_replaces_the_generic_one(session, cat):
    food = cat.category("Thực phẩm")
    honey_cat = cat.category("Mật ong", food)
    honey = cat.product("Mật ong rừng", category=honey_cat)
    cat.rule(food, cat.doc("QCVN 8-2:2011/BYT"), Role.MANDATORY_REGULATION)
    cat.rule(food, cat.doc("QCVN 8-3:2012/BYT"), Role.MANDATORY_REGULATION)
    plan = plan_of(session, honey)
    # one test report covers both regulations; no separate declaration of conformity
    assert steps(plan) == {"test_food": ["QCVN 8-2:2011/BYT", "QCVN 8-3:2012/BYT"]}
    assert plan.steps[0].status == "if"


def test_one_self_declaration_covers_the_decree_and_the_regulation(session, cat):
    food = cat.category("Thực phẩm")
    spirits = cat.product("Rượu ngô", category=cat.category("Rượu", food))
    decree = cat.doc("15/2018/NĐ-CP")
    regulation = cat.doc("QCVN 6-3:2010/BYT")
    cat.rule(food, decree, Role.CONFORMITY_DECLARATION)
    cat.rule(food, regulation, Role.CONFORMITY_DECLARATION)
    plan = plan_of(session, spirits)
    assert steps(plan) == {"self_declare": ["QCVN 6-3:2010/BYT", "15/2018/NĐ-CP"]}
    assert [d.steps for d in plan.documents] == [("self_declare",), ("self_declare",)]


def test_rows_naming_the_document_replace_the_others(session, cat):
    panels = cat.category("Ván gỗ")
    board = cat.product("Ván dăm", category=panels)
    cat.rule(panels, cat.doc("QCVN 16:2023/BXD"), Role.MANDATORY_REGULATION)
    assert steps(plan_of(session, board)) == {"certify": ["QCVN 16:2023/BXD"]}


def test_a_standard_is_voluntary_unless_a_regulation_cites_it(session, cat):
    fruit = cat.category("Quả")
    orange = cat.product("Cam", category=fruit)
    regulation = cat.doc("QCVN 98:2020/BNNPTNT")
    method = cat.doc("TCVN 7602:2007")
    cat.cites_mandatory(regulation, method)
    cat.rule(fruit, regulation, Role.MANDATORY_REGULATION)
    cat.rule(fruit, cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
    plan = plan_of(session, orange)
    assert steps(plan) == {
        "declare_conformity": ["QCVN 98:2020/BNNPTNT"],
        "meet_cited": ["TCVN 7602:2007"],
        "declare_standard": ["TCVN 1873:2014"],
    }
    by_id = {o.id: o for o in plan.steps}
    assert by_id["declare_standard"].status == "may"
    # binding, but its basis is not confirmed: never a bare "must"
    assert by_id["meet_cited"].status == "not_confirmed"
    assert by_id["meet_cited"].status_label[1] == "Not confirmed as required"


def test_an_instrument_is_its_own_basis_one_step_each(session, cat):
    food = cat.category("Thực phẩm")
    tea = cat.product("Chè", category=food)
    cat.rule(food, cat.doc("55/2010/QH12"), Role.MANDATORY_REGULATION)
    cat.rule(food, cat.doc("50/2016/TT-BYT"), Role.MANDATORY_REGULATION)
    plan = plan_of(session, tea)
    assert steps(plan) == {
        "comply@55/2010/QH12": ["55/2010/QH12"],
        "comply@50/2016/TT-BYT": ["50/2016/TT-BYT"],
    }
    assert {o.basis for o in plan.steps} == {"55/2010/QH12", "50/2016/TT-BYT"}


def test_a_local_regulation_and_an_unconfirmed_basis(session, cat):
    tq = cat.locality("Tuyên Quang")
    ubnd = cat.issuer("UBND-TQ", "UBND tỉnh Tuyên Quang", locality=tq)
    tea_cat = cat.category("Chè")
    tea = cat.product("Chè Shan tuyết", category=tea_cat, locality=tq)
    cat.rule(tea_cat, cat.doc("QCĐP 01:2020/TQ", issuer=ubnd), Role.MANDATORY_REGULATION)
    (item,) = plan_of(session, tea).steps
    assert (item.id, item.status, item.confirmed) == ("local", "not_confirmed", False)


def test_rows_hold_for_their_days(session, cat):
    fruit = cat.category("Quả")
    orange = cat.product("Cam", category=fruit)
    cat.rule(fruit, cat.doc("QCVN 97:2020/BYT"), Role.TEST_METHOD)
    assert list(steps(plan_of(session, orange, date(2026, 6, 30)))) == ["before"]
    assert list(steps(plan_of(session, orange, date(2026, 7, 1)))) == ["after"]


def test_a_document_without_a_row_has_no_step(session, cat):
    fruit = cat.category("Quả")
    orange = cat.product("Cam", category=fruit)
    cat.rule(fruit, cat.doc("TCVN 9994:2013"), Role.GOOD_PRACTICE)
    plan = plan_of(session, orange)
    assert (plan.steps, plan.documents) == ((), ())


def test_product_classes_are_its_categories_up_the_tree_and_its_kind(session, cat):
    food = cat.category("Thực phẩm")
    tea = cat.category("Chè", food)
    product = cat.product("Trà", category=tea, kind=ProductKind.OCOP)
    assert product_classes(session, product.id) == {"thuc-pham", "che", "ocop"}
    assert product_classes(session, 10**9) == frozenset()


# --- the table ------------------------------------------------------------------------------


def test_the_bundled_table_loads_whole_and_cites_every_verified_step():
    bundled = bundled_table()
    assert bundled.rejects == ()
    assert len(bundled.rules) >= 20
    for rule in bundled.rules:
        step = rule.step
        if step.review == ReviewState.VERIFIED:
            assert step.source is not None and step.source.title, rule.row
        assert step.action_vi and step.action_en and step.basis, rule.row


def test_the_bundled_table_gives_the_food_and_construction_steps(session, cat):
    food = cat.category("Thực phẩm", slug="thuc-pham")
    spirits = cat.product("Rượu ngô", category=food)
    spirits_regulation = cat.doc("QCVN 6-3:2010/BYT")
    cat.rule(food, cat.doc("15/2018/NĐ-CP"), Role.CONFORMITY_DECLARATION)
    cat.rule(food, spirits_regulation, Role.CONFORMITY_DECLARATION)
    cat.rule(food, spirits_regulation, Role.MANDATORY_REGULATION)
    panels = cat.category("Ván gỗ")
    board = cat.product("Ván dăm", category=panels)
    cat.rule(panels, cat.doc("QCVN 16:2023/BXD"), Role.MANDATORY_REGULATION)
    food_plan = plan_of(session, spirits, rules=None)
    self_declare = next(o for o in food_plan.steps if o.id == "self_declare_food")
    assert [d.code for d in self_declare.documents] == ["QCVN 6-3:2010/BYT", "15/2018/NĐ-CP"]
    assert self_declare.basis.startswith("Nghị định 15/2018/NĐ-CP, Điều 4")
    assert "test_food_safety" in steps(food_plan)
    board_plan = plan_of(session, board, rules=None)
    declare = next(o for o in board_plan.steps if o.id == "declare_conformity_construction")
    assert declare.step.authority_vi.startswith("Sở Xây dựng")


BAD = [
    (dict(doc_type="tiêu chuẩn"), "unknown doc_type 'tiêu chuẩn'"),
    (dict(role="mandatory"), "unknown role 'mandatory'"),
    (dict(duty="should"), "unknown duty 'should'"),
    (dict(basis=""), "basis is empty"),
    (dict(review="maybe"), "unknown review 'maybe'"),
    (dict(review="disputed"), "a disputed step is left out"),
    (dict(source_title=""), "a verified step needs its source"),
    (dict(retrieved_on="18/06/2025"), "retrieved_on '18/06/2025' is not a date"),
    (dict(valid_from="2026-07-01", valid_to="2026-06-30"), "is before valid_from"),
    (dict(document="QCVN sáu"), "document 'QCVN sáu' is not a document code"),
]


@pytest.mark.parametrize(("cells", "reason"), BAD, ids=[r for _, r in BAD])
def test_a_bad_row_is_rejected_with_its_row_and_reason(cells, reason):
    parsed = parse_rows(enumerate([row(step="ok"), row(step="bad", **cells), row(step="ok")], 2))
    assert [r.row for r in parsed.rules] == [2, 4]
    (reject,) = parsed.rejects
    assert reject.row == 3 and reason in reject.reason, reject


def test_rows_of_one_step_must_agree_on_what_it_is():
    parsed = parse_rows(
        enumerate([row(step="x"), row(step="x", doc_type="qcvn"), row(step="x", basis="Khác")], 2)
    )
    assert [r.row for r in parsed.rules] == [2, 3]
    assert [str(r) for r in parsed.rejects] == ["row 4: step 'x' is described differently at row 2"]


def test_a_table_missing_a_column_is_rejected_whole(tmp_path, caplog):
    from catalog.obligations_table import read_table

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c for c in COLUMNS if c != "basis"])
    path = tmp_path / "obligations.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    parsed = read_table(path)
    assert parsed.rules == () and str(parsed.rejects[0]) == "row 1: missing columns: basis"
    assert "obligations.csv: row 1: missing columns: basis rejected" in caplog.text


def test_a_document_the_facts_rule_out_leads_to_no_step(session, cat):
    from api.services.todo import plan_for
    from catalog.answer_facts import apply_facts
    from catalog.facts import parse_facts
    from catalog.readmodel import CatalogGraph

    food = cat.category("Thực phẩm", slug="thuc-pham")
    tea = cat.product("Chè xanh", category=food)
    cat.rule(food, cat.doc("TCVN 11041-1:2017"), Role.ORGANIC, typed_condition="claims=organic")
    cat.rule(food, cat.doc("37/2026/NĐ-CP"), Role.LABELLING, typed_condition="prepackaged=yes")
    graph = CatalogGraph.load(session)
    answer = applicable(session, tea.id, DAY, graph=graph)

    def ids(facts: str) -> list[str]:
        settled = apply_facts(answer, parse_facts(facts), graph.facts)
        return [o.id for o in plan_for(session, answer, settled).steps]

    assert ids("prepackaged:yes") == ["label_goods", "certify_organic"]  # organic: still open
    assert ids("prepackaged:no,claims:none") == []
    assert [o.id for o in plan_for(session, answer).steps] == ["label_goods", "certify_organic"]


def test_a_described_product_takes_the_classes_of_the_categories_it_reached(session, cat):
    """A product not in the registry has no row to read its category from: its to-do list
    follows the categories its description reached (a food category gives the food steps)."""
    from api.services.todo import plan_for
    from catalog.applicability import applicable_any
    from catalog.readmodel import CatalogGraph

    food = cat.category("Thực phẩm", slug="thuc-pham")
    tea = cat.category("Chè", food)
    cat.product("Chè xanh", category=tea)
    cat.rule(tea, cat.doc("QCVN 6-3:2010/BYT"), Role.MANDATORY_REGULATION)
    graph = CatalogGraph.load(session)
    described = applicable_any(graph, category_id=tea.id, as_of=DAY).answer
    assert "test_food_safety" in steps(plan_for(session, described, categories=[tea.id]))
    # The described product's own id (0) names no row: without its categories, no food class.
    assert "test_food_safety" not in steps(plan_for(session, described))
