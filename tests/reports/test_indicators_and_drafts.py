"""The plan's indicators from a known register, and the impact of a stored draft QCĐP."""

from __future__ import annotations

from datetime import date

from factories import CatalogBuilder

from catalog.reports.draft_impact import draft_from_catalog, draft_impact
from catalog.reports.indicators import indicators
from catalog.reports.plan import PLAN_2021_2025
from catalog.vocab import DeclarationKind, ProductKind, RelationKind, Role, Scheme, Status


def test_plan_targets_are_quoted_from_the_plan():
    targets = {t.key: t for t in PLAN_2021_2025.targets}
    assert (
        targets["enterprises_supported"].comparator,
        targets["enterprises_supported"].value,
    ) == (
        ">=",
        30,
    )
    assert (targets["training"].comparator, targets["training"].value) == (">", 500)
    assert (targets["ocop_trademark_share"].comparator, targets["ocop_trademark_share"].value) == (
        ">",
        70,
    )
    assert "Có 30 doanh nghiệp trở lên" in targets["enterprises_supported"].wording_vi


def test_indicators_by_year(session):
    cat = CatalogBuilder(session)
    tea = cat.category("Chè")
    ocop = [
        cat.product(f"Chè OCOP {n}", category=tea, kind=ProductKind.OCOP, ocop_stars=4)
        for n in range(4)
    ]
    a, b, c = (cat.enterprise(n) for n in ("HTX A", "HTX B", "Công ty C"))
    cat.declaration(
        a,
        DeclarationKind.SELF_DECLARATION,
        date(2021, 5, 1),
        product=ocop[0],
        document="TCVN 9740:2013",
        supported=True,
    )
    cat.declaration(
        b,
        DeclarationKind.CONFORMITY_STANDARD,
        date(2022, 3, 1),
        product=ocop[1],
        document="TCVN 9740:2013",
        valid_until=date(2023, 2, 28),
    )
    cat.declaration(
        b,
        DeclarationKind.CERTIFICATION,
        date(2022, 6, 1),
        scheme=Scheme.VIETGAP,
        supported=True,
        valid_until=date(2024, 5, 31),
    )
    cat.declaration(
        c,
        DeclarationKind.CERTIFICATION,
        date(2020, 6, 1),
        document="TCVN ISO 9001:2015",
        supported=True,
    )  # before the plan
    cat.declaration(
        c,
        DeclarationKind.CERTIFICATION,
        date(2023, 1, 15),
        document="TCVN ISO 22000:2018",
        supported=True,
    )
    session.commit()
    report = indicators(session, date(2024, 7, 1))
    series = {s.key: s for s in report.series}
    assert [p.on for p in series["enterprises_supported"].points] == [
        date(2021, 12, 31),
        date(2022, 12, 31),
        date(2023, 12, 31),
        date(2024, 7, 1),
    ]
    # declarations marked as supported no longer count: support records do (test_plan_measure)
    assert [p.value for p in series["enterprises_supported"].points] == [0, 0, 0, 0]
    assert [
        (p.value, p.numerator, p.denominator) for p in series["ocop_declared_share"].points
    ] == [(25.0, 1, 4), (50.0, 2, 4), (25.0, 1, 4), (25.0, 1, 4)]
    assert [p.value for p in series["scheme:vietgap"].points] == [0, 1, 1, 0]
    assert [p.value for p in series["scheme:iso_9001"].points] == [1, 1, 1, 1]
    assert [p.value for p in series["scheme:iso_22000"].points] == [0, 0, 1, 1]
    status = {s.target.key: s for s in report.targets}
    assert (
        status["enterprises_supported"].measured.value,
        status["enterprises_supported"].met,
    ) == (
        0,
        False,
    )
    assert status["informed_share"].measured is None  # no producer register: not measurable
    assert status["traceability_portal"].met is None


def test_stored_draft_impact(session):
    cat = CatalogBuilder(session)
    food = cat.category("Thực phẩm")
    tea = cat.category("Chè", food)
    green = cat.product("Chè xanh Na Hang", category=tea, hs=("090210",))
    cat.product("Mật ong", category=food)
    heavy = cat.doc("QCVN 8-2:2011/BYT")
    cat.rule(food, heavy, Role.MANDATORY_REGULATION)
    cat.rule(tea, cat.doc("TCVN 9740:2013"), Role.PRODUCT_STANDARD)
    draft = cat.doc("QCĐP 01:2026/TQ", status=Status.DRAFT)
    cat.rule("hs:0902", draft, Role.MANDATORY_REGULATION)
    cat.rule("hs:1701", draft, Role.MANDATORY_REGULATION)  # matches no product
    old = cat.doc("TCVN 5603:2008", effective_to=date(2023, 5, 31))
    new = cat.doc("TCVN 5603:2023", effective_from=date(2023, 6, 1))
    cat.replaces(new, old, date(2023, 6, 1))
    gone = cat.doc("TCVN 1457:1983", status=Status.WITHDRAWN, effective_to=date(2010, 1, 1))
    for target in (old, gone, heavy):
        cat.relate(draft, RelationKind.CITES, target)
    session.commit()
    spec = draft_from_catalog(session, "qcdp 01:2026/tq")
    assert spec.code == "QCĐP 01:2026/TQ" and len(spec.scope) == 2
    impact = draft_impact(session, spec, date(2026, 3, 1))
    assert [p.product.slug for p in impact.products] == [green.slug]
    assert [(e.code, e.same_role) for e in impact.products[0].existing] == [
        ("QCVN 8-2:2011/BYT", True),
        ("TCVN 9740:2013", False),
    ]
    assert impact.unmatched_scope == ("hs_prefix:1701",)
    assert [(c.code, c.standing, c.in_force) for c in impact.citations] == [
        ("QCVN 8-2:2011/BYT", "in_force", None),
        ("TCVN 1457:1983", "withdrawn", None),
        ("TCVN 5603:2008", "superseded", "TCVN 5603:2023"),
    ]
