"""Gap, stale-citation and overlap report on a small catalog with known answers."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder
from sqlmodel import select

from catalog.models import ApplicabilityRule, FactReview
from catalog.reports.gaps import Gap, OverlapKind, gap_report, gap_tables
from catalog.reports.tables import workbook
from catalog.vocab import ProductKind, ReviewState, ReviewSubject, Role, Status

DAY = date(2026, 3, 1)


@pytest.fixture
def catalog(session):
    """Food > fruit > citrus (orange, pomelo); food > tea (green tea, OCOP); honey (GI).

    - orange: QCVN 8-2 (food), TCVN 1873:2014 (citrus) and a product rule on the old
      TCVN 1873:2007 (superseded: stale), a test method rule naming the coming
      TCVN 5483:2030 (so TCVN 5483:2007 applies, not stale) → no gap;
    - pomelo: QCVN 8-2 only, plus a rule on the withdrawn TCVN 9999:2000 → no product
      standard, no test method, one stale (withdrawn) citation;
    - green tea: QCVN 8-2, two tea product standards (overlap) and two traceability
      standards (overlap), no test method;
    - the general food standard TCVN 4832 (inherited) overlaps nothing; labelling
      TCVN 7087:2008 and :2013 both in force on fruit is an editions overlap;
    - honey: no rule at all (three gaps).
    """
    cat = CatalogBuilder(session)
    food = cat.category("Thực phẩm")
    fruit = cat.category("Trái cây", food)
    citrus = cat.category("Cây có múi", fruit)
    tea = cat.category("Chè", food)
    honey_cat = cat.category("Mật ong")
    orange = cat.product("Cam sành Hàm Yên", category=citrus, kind=ProductKind.KEY)
    pomelo = cat.product("Bưởi Soi Hà", category=citrus, kind=ProductKind.SPECIALTY)
    green = cat.product("Chè xanh Ngọc Thuý", category=tea, kind=ProductKind.OCOP, ocop_stars=4)
    cat.product("Mật ong bạc hà", category=honey_cat, kind=ProductKind.GEOGRAPHICAL_INDICATION)
    cat.rule(food, cat.doc("QCVN 8-2:2011/BYT"), Role.MANDATORY_REGULATION)
    old = cat.doc("TCVN 1873:2007", status=Status.SUPERSEDED, effective_to=date(2014, 5, 31))
    new = cat.doc("TCVN 1873:2014", effective_from=date(2014, 6, 1))
    cat.replaces(new, old, date(2014, 6, 1))
    cat.rule(citrus, new, Role.PRODUCT_STANDARD)
    cat.rule(orange, old, Role.PRODUCT_STANDARD)
    method = cat.doc("TCVN 5483:2007")
    coming = cat.doc("TCVN 5483:2030", effective_from=date(2030, 1, 1))
    cat.replaces(coming, method, date(2030, 1, 1))
    cat.rule(orange, coming, Role.TEST_METHOD)  # names a coming edition: not stale
    gone = cat.doc("TCVN 9999:2000", status=Status.WITHDRAWN, effective_to=date(2020, 1, 1))
    cat.rule(pomelo, gone, Role.PRODUCT_STANDARD)
    cat.rule(tea, cat.doc("TCVN 2843:2009"), Role.PRODUCT_STANDARD)
    cat.rule(green, cat.doc("TCVN 9738:2013"), Role.PRODUCT_STANDARD)
    cat.rule(food, cat.doc("TCVN 4832:2009"), Role.PRODUCT_STANDARD)  # general: no overlap
    cat.rule(fruit, cat.doc("TCVN 7087:2008"), Role.LABELLING)  # two editions in force
    cat.rule(fruit, cat.doc("TCVN 7087:2013"), Role.LABELLING)
    cat.rule(tea, cat.doc("TCVN 12850:2019"), Role.TRACEABILITY)
    cat.rule(tea, cat.doc("TCVN 13274:2020"), Role.TRACEABILITY)
    session.commit()
    return cat


def names(products) -> list[str]:
    return [p.name_vi for p in products]


def test_products_missing_regulations_standards_or_methods(session, catalog):
    report = gap_report(session, DAY)
    assert report.products_examined == 4
    gaps = {p.product.name_vi: p for p in report.product_gaps}
    assert sorted(gaps) == ["Bưởi Soi Hà", "Chè xanh Ngọc Thuý", "Mật ong bạc hà"]
    assert gaps["Bưởi Soi Hà"].gaps == (Gap.NO_TEST_METHOD,)
    assert gaps["Bưởi Soi Hà"].product_standards == ("TCVN 1873:2014", "TCVN 4832:2009")
    assert gaps["Chè xanh Ngọc Thuý"].gaps == (Gap.NO_TEST_METHOD,)
    assert gaps["Chè xanh Ngọc Thuý"].technical_regulations == ("QCVN 8-2:2011/BYT",)
    assert gaps["Mật ong bạc hà"].gaps == tuple(Gap)
    assert report.headline == {
        "products_examined": 4,
        "products_with_gaps": 3,
        "no_technical_regulation": 1,
        "no_product_standard": 1,
        "no_test_method": 3,
        "stale_citations": 2,
        "products_with_stale_citations": 2,
        "overlaps": 3,
        "not_confirmed": 24,  # nothing is reviewed: every rule and every document they name
        "mandatory_not_confirmed": 2,
    }


def test_not_confirmed_for_more_than_n_months(session, catalog):
    rules = session.exec(select(ApplicabilityRule).order_by(ApplicabilityRule.id)).all()
    fresh, old = rules[0], rules[1]
    for rule, confirmed in ((fresh, date(2025, 9, 1)), (old, date(2024, 12, 31))):
        session.add(
            FactReview(
                subject=ReviewSubject.RULE,
                rule_id=rule.id,
                state=ReviewState.VERIFIED,
                reviewed_by="Sở KH&CN",
                reviewed_on=date(2026, 1, 5),
                confirmed_on=confirmed,
            )
        )
    session.commit()
    ids = lambda report: {i.id for i in report.unconfirmed if i.subject == "rule"}  # noqa: E731
    year = gap_report(session, DAY)  # 12 months: confirmed on or after 2025-03-01
    assert fresh.id not in ids(year) and old.id in ids(year)
    assert year.headline["not_confirmed"] == 23
    assert fresh.id in ids(gap_report(session, DAY, unconfirmed_months=3))
    longer = gap_report(session, DAY, unconfirmed_months=15)  # since 2024-12-01
    assert fresh.id not in ids(longer) and old.id not in ids(longer)
    sheet = gap_tables(year)[-1]
    assert sheet.title == "Chưa xác nhận quá 12 tháng" and len(sheet.rows) == 23


def test_rules_citing_superseded_or_withdrawn_editions(session, catalog):
    stale = gap_report(session, DAY).stale
    assert [
        (s.cited, s.cited_status, s.in_force, s.via, s.role, names(s.products)) for s in stale
    ] == [
        (
            "TCVN 1873:2007",
            "superseded",
            "TCVN 1873:2014",
            "product:cam-sanh-ham-yen",
            Role.PRODUCT_STANDARD,
            ["Cam sành Hàm Yên"],
        ),
        (
            "TCVN 9999:2000",
            "withdrawn",
            None,
            "product:buoi-soi-ha",
            Role.PRODUCT_STANDARD,
            ["Bưởi Soi Hà"],
        ),
    ]


def test_stale_citation_depends_on_the_day(session, catalog):
    """On 2010-01-01 TCVN 1873:2007 was the edition in force: nothing stale about it."""
    stale = gap_report(session, date(2010, 1, 1)).stale
    assert [s.cited for s in stale] == []


def test_overlapping_documents_in_the_same_role(session, catalog):
    overlaps = gap_report(session, DAY).overlaps
    assert [(o.category, o.kind, o.role, o.documents, names(o.products)) for o in overlaps] == [
        (
            "Chè",
            OverlapKind.SAME_ROLE,
            Role.PRODUCT_STANDARD,
            ("TCVN 2843:2009", "TCVN 9738:2013"),
            ["Chè xanh Ngọc Thuý"],
        ),
        (
            "Chè",
            OverlapKind.SAME_ROLE,
            Role.TRACEABILITY,
            ("TCVN 12850:2019", "TCVN 13274:2020"),
            ["Chè xanh Ngọc Thuý"],
        ),
        (
            "Cây có múi",
            OverlapKind.EDITIONS,
            Role.LABELLING,
            ("TCVN 7087:2008", "TCVN 7087:2013"),
            ["Bưởi Soi Hà", "Cam sành Hàm Yên"],
        ),
    ]


def test_report_restricted_to_some_kinds_and_roles(session, catalog):
    report = gap_report(session, DAY, kinds=(ProductKind.OCOP,), overlap_roles=(Role.TRACEABILITY,))
    assert report.products_examined == 1
    assert [(o.kind, o.role) for o in report.overlaps] == [
        (OverlapKind.SAME_ROLE, Role.TRACEABILITY)
    ]
    assert report.stale == ()


def test_report_as_a_workbook(session, catalog, tmp_path):
    from openpyxl import load_workbook

    report = gap_report(session, DAY)
    path = tmp_path / "gaps.xlsx"
    path.write_bytes(workbook(gap_tables(report), ["Báo cáo", DAY.isoformat()]))
    book = load_workbook(path)
    assert book.sheetnames == [
        "Thiếu văn bản",
        "Viện dẫn hết hiệu lực",
        "Chồng chéo",
        "Chưa xác nhận quá 12 tháng",
    ]
    rows = list(book["Thiếu văn bản"].iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == ["Bưởi Soi Hà", "Chè xanh Ngọc Thuý", "Mật ong bạc hà"]
    assert rows[2][4:7] == ("x", "x", "x")
    stale = list(book["Viện dẫn hết hiệu lực"].iter_rows(min_row=5, values_only=True))
    assert stale[1][:3] == ("TCVN 9999:2000", "Hết hiệu lực", "(không có văn bản thay thế)")
