"""The span of days over which an answer holds (``applicable_over``): the API reuses an
answer for any day of its span, so a span must never reach a day whose answer differs."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from factories import CatalogBuilder
from sqlmodel import Session

from catalog import clock
from catalog.applicability import DaySpan, applicable_over
from catalog.readmodel import CatalogGraph
from catalog.vocab import Role
from ingest.jobs import ingest_bundled


def span_of(session: Session, product_id: int, day: date) -> DaySpan:
    return applicable_over(CatalogGraph.load(session), product_id, day)[1]


def test_span_ends_where_a_rule_or_an_edition_changes(session):
    cat = CatalogBuilder(session)
    tea = cat.product("Chè")
    old = cat.doc("TCVN 5603:2008", effective_from=date(2008, 12, 31))
    new = cat.doc("TCVN 5603:2023", effective_from=date(2023, 11, 1))
    cat.replaces(new, old)
    cat.rule(tea, old, Role.GOOD_PRACTICE)
    cat.rule(tea, cat.doc("TCVN 3218:2012"), Role.TEST_METHOD, valid_from=date(2020, 1, 1))

    assert span_of(session, tea.id, date(2015, 1, 1)) == DaySpan(
        date(2008, 12, 31), date(2019, 12, 31)
    )
    assert span_of(session, tea.id, date(2021, 5, 5)) == DaySpan(
        date(2020, 1, 1), date(2023, 10, 31)
    )
    assert span_of(session, tea.id, date(2024, 1, 1)) == DaySpan(date(2023, 11, 1), date.max)


def test_span_ends_on_the_merger(session):
    cat = CatalogBuilder(session)
    places = cat.merger()
    food = cat.category("Thực phẩm")
    orange = cat.product("Cam sành Hàm Yên", category=food, locality=places["ham_yen"])
    for key in ("qcdp_tq", "qcdp_hg", "qcdp_bt"):
        cat.rule(food, places[key], Role.MANDATORY_REGULATION)

    assert span_of(session, orange.id, date(2025, 1, 1)).last == date(2025, 6, 30)
    assert span_of(session, orange.id, date(2025, 8, 1)).first == date(2025, 7, 1)


def test_every_bundled_answer_is_the_same_on_every_day_of_its_span(engine):
    ingest_bundled(engine)
    with Session(engine) as session:
        graph = CatalogGraph.load(session)
    rng = random.Random(5)
    days = [clock.today(), date(2015, 1, 1), date(2025, 7, 1)]
    days += [date(1985, 1, 1) + timedelta(days=rng.randrange(50 * 365)) for _ in range(12)]
    checked = 0
    for product_id in sorted(graph.products):
        for day in days:
            answer, span = applicable_over(graph, product_id, day)
            assert day in span
            inside = span.first + (span.last - span.first) * rng.random()
            for other in {span.first, span.last, inside}:
                again, again_span = applicable_over(graph, product_id, other)
                assert replace(again, as_of=day) == answer, (product_id, day, other, span)
                assert again_span == span
                checked += 1
    assert checked > len(graph.products) * len(days)
