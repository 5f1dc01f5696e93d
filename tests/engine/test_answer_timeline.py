"""A product's answer as a step function of the day (``answer_timeline``): each segment
between the named change days holds the answer a direct evaluation gives on any of its days,
equal neighbours are merged, segments are evaluated only when asked, and the timelines kept
are bounded."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from factories import CatalogBuilder
from sqlmodel import Session

from catalog import clock, migrate
from catalog.applicability import Timeline, answer_timeline, applicable_in, applicable_over
from catalog.applicability.cache import EngineCache
from catalog.applicability.resolve import Resolver
from catalog.readmodel import CatalogGraph
from catalog.store import make_engine
from catalog.vocab import Role
from ingest.jobs import ingest_bundled

DAY = timedelta(days=1)


def direct(graph: CatalogGraph, product_id: int, day: date, market: str | None = None):
    """The answer evaluated on ``day`` alone, without a timeline."""
    return Resolver(graph, graph.products[product_id], day, market).run()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> CatalogGraph:
    """The bundled catalog's graph, loaded once for the module from a SQLite file of its own
    (the engine reads only the graph, whatever store it was loaded from)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('timeline') / 'catalog.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        ingest_bundled(engine)
        with Session(engine) as session:
            return CatalogGraph.load(session)
    finally:
        engine.dispose()


def test_every_segment_holds_the_answer_of_a_direct_evaluation_on_its_days(bundled):
    rng = random.Random(3)
    graph = bundled
    segments = 0
    for product_id in sorted(graph.products):
        for market in (None, "EU"):
            timeline = answer_timeline(graph, product_id, market)
            days = timeline.days
            for index, first in enumerate(days):
                last = days[index + 1] - DAY if index + 1 < len(days) else date(2200, 1, 1)
                inside = first + (last - first) * rng.random() if first > date.min else last
                value = timeline.at(inside)
                for day in {max(first, date(1900, 1, 1)), inside, last}:
                    assert direct(graph, product_id, day, market) == value, (product_id, day)
                segments += 1
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(30 * 365))
            held = applicable_over(graph, product_id, day, market=market)[0]
            assert held.as_of == day
            assert applicable_in(graph, product_id, day, market=market) == held
    assert segments > 2 * len(graph.products)


def test_the_span_is_the_run_of_equal_segments_and_neighbours_differ(bundled):
    graph = bundled
    for product_id in sorted(graph.products):
        day = date.min
        spans = []
        while True:
            answer, span = applicable_over(graph, product_id, day)
            assert day in span
            spans.append((span, answer))
            if span.last == date.max:
                break
            day = span.last + DAY
        # Every segment now evaluated: the runs cover every day once, and no two next to
        # each other hold the same answer (they would have been merged).
        timeline = answer_timeline(graph, product_id)
        assert timeline.evaluated() == len(timeline.days)
        runs = {timeline.over(span.first)[1] for span, _ in spans}
        ordered = sorted(runs, key=lambda s: s.first)
        assert ordered[0].first == date.min and ordered[-1].last == date.max
        for left, right in itertools.pairwise(ordered):
            assert left.last + DAY == right.first
            left_answer = timeline.at(left.first)
            assert left_answer != timeline.at(right.first), (product_id, left, right)


def test_a_timeline_evaluates_a_segment_only_when_a_day_in_it_is_asked(session):
    cat = CatalogBuilder(session)
    tea = cat.product("Chè")
    old = cat.doc("TCVN 5603:2008", effective_from=date(2008, 12, 31))
    new = cat.doc("TCVN 5603:2023", effective_from=date(2023, 11, 1))
    cat.replaces(new, old)
    cat.rule(tea, old, Role.GOOD_PRACTICE)
    cat.rule(tea, cat.doc("TCVN 3218:2012"), Role.TEST_METHOD, valid_from=date(2020, 1, 1))
    graph = CatalogGraph.load(session)

    assert applicable_in(graph, tea.id, date(2015, 1, 1)).entries  # no timeline made
    assert EngineCache.of(graph).answers == {}
    timeline = answer_timeline(graph, tea.id)
    assert timeline.days == (date.min, date(2008, 12, 31), date(2020, 1, 1), date(2023, 11, 1))
    assert timeline.evaluated() == 0
    _answer, span = applicable_over(graph, tea.id, date(2015, 1, 1))
    assert timeline.evaluated() == 1 and span.first == date(2008, 12, 31)
    applicable_over(graph, tea.id, date(2016, 6, 1))  # the same segment
    assert timeline.evaluated() == 1
    assert applicable_in(graph, tea.id, date(2024, 1, 1)).as_of == date(2024, 1, 1)
    assert timeline.evaluated() == 2  # applicable_in uses the timeline once it is made


def test_the_answer_timelines_kept_are_bounded_unless_asked(session):
    cat = CatalogBuilder(session)
    doc = cat.doc("TCVN 1873:2014")
    products = [cat.product(f"Sản phẩm {i}") for i in range(5)]
    for product in products:
        cat.rule(product, doc, Role.PRODUCT_STANDARD)
    graph = CatalogGraph.load(session)
    cache = EngineCache.of(graph)
    cache.answer_limit = 2
    for product in products:
        applicable_over(graph, product.id, clock.today())
    assert list(cache.answers) == [(products[3].id, None), (products[4].id, None)]
    cache.answer_limit = None  # every product's timeline kept
    for product in products:
        applicable_over(graph, product.id, clock.today())
    assert len(cache.answers) == 5


def test_equal_neighbours_share_one_value_and_one_span():
    values = {0: "a", 1: "b", 2: "b", 3: "b", 4: "c"}
    days = (date.min, *(date(2020, 1, 1) + timedelta(days=10 * i) for i in range(1, 5)))

    def evaluate(day: date) -> str:
        return values[sum(d <= day for d in days) - 1]

    timeline: Timeline[str] = Timeline(days, evaluate)
    assert timeline.over(days[1])[1].last == days[2] - DAY  # alone so far
    assert timeline.over(days[3])[1].first == days[3]  # not next to an evaluated equal one
    value, span = timeline.over(days[2])  # joins both neighbours into one run
    assert (value, span.first, span.last) == ("b", days[1], days[4] - DAY)
    assert timeline.over(days[3] + DAY) == (value, span)
    assert timeline.over(days[4]) == ("c", type(span)(days[4], date.max))
    assert timeline.evaluated() == 4
    with pytest.raises(ValueError):
        Timeline((date(2020, 1, 1),), evaluate)
