"""The held answers' byte budget: past it the least recently used answers go, and what is
served is still, byte for byte, the engine's answer for the day asked."""

from __future__ import annotations

import random
import threading
import tracemalloc
from datetime import date, timedelta

import pytest
from litestar.serialization import encode_json

from api.services.encoded_answers import EncodedAnswers
from catalog.applicability import applicable_over
from catalog.readmodel import SharedCatalogGraph
from catalog.vocab import Role
from ingest.jobs import ingest_bundled

# Every span of every bundled product, unfiltered and filtered: a few thousand answers.
BUDGET = 100_000  # a tenth of what every bundled answer takes
FILTERS = [(None, False), (None, True), (Role.TEST_METHOD, False), (Role.PRODUCT_STANDARD, True)]


@pytest.fixture
def graph(engine):
    ingest_bundled(engine)
    return SharedCatalogGraph(engine).current()


def every_span(graph, filters=FILTERS):
    """(kind, answer, span) for every span of every product under each filter."""
    found = []
    for product_id in sorted(graph.products):
        for role, mandatory_only in filters:
            day = date.min
            while True:
                answer, span = applicable_over(
                    graph, product_id, day, role=role, mandatory_only=mandatory_only
                )
                found.append(((product_id, role, mandatory_only, None), answer, span))
                if span.last == date.max:
                    break
                day = span.last + timedelta(days=1)
    return found


def held_memory(budget: int, answers) -> tuple[EncodedAnswers, int]:
    """A store of ``budget`` bytes given every answer, and the bytes it really allocated."""
    for _, answer, _ in answers:
        # Encoding an answer makes its objects' attribute dicts (CPython makes them lazily):
        # memory of the answers, not of the store.
        encode_json(answer)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        store = EncodedAnswers(budget)
        for kind, answer, span in answers:
            store.put(kind, answer, span)
        return store, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_the_store_reckons_its_memory_as_tracemalloc_measures_it(graph):
    answers = every_span(graph)
    store, used = held_memory(1 << 40, answers)
    assert store.held == len(answers) and store.evicted == 0
    assert 0.85 < store.bytes / used < 1.15, (store.bytes, used)


def test_memory_stays_within_the_budget_however_many_answers_are_asked(graph):
    answers = every_span(graph)
    _, unbounded = held_memory(1 << 40, answers)
    budget = unbounded // 8
    store, used = held_memory(budget, answers)
    assert store.bytes <= budget and used <= budget * 1.15, (store.bytes, used, budget)
    assert store.evicted > 0 and store.held == len(answers) - store.evicted
    # What stays is what was asked last; the first asked went first.
    first_kind, first_answer, _ = answers[0]
    assert store.get(first_kind, first_answer.as_of) is None
    last_kind, last_answer, _ = answers[-1]
    assert store.get(last_kind, last_answer.as_of).body == encode_json(last_answer)


def test_a_store_over_budget_evicts_and_still_answers_every_day_correctly(graph):
    answers = every_span(graph, filters=[(None, False)])
    store = EncodedAnswers(BUDGET)
    rng = random.Random(5)
    for kind, answer, span in rng.sample(answers, len(answers)) * 2:
        found = store.get(kind, answer.as_of)
        if found is None:
            found = store.put(kind, answer, span)
        assert found.body == encode_json(answer)
        for day in (span.first, span.last, answer.as_of):
            held = store.get(kind, day)
            expected = encode_json(applicable_over(graph, kind[0], day)[0])
            assert held is not None and held.body == expected
            assert held.etag == store.get(kind, day).etag and day.isoformat() in held.etag
        assert store.bytes <= BUDGET or store.held == 1  # the answer just asked stays
    assert store.evicted > len(answers)


def test_eviction_never_serves_a_wrong_days_answer_while_others_hold_and_evict(graph):
    """Readers and writers on threads over a store kept small: a dropped piece's place is
    reused by other answers while requests are being answered, and no answer is ever spliced
    from pieces that are not its own."""
    answers = every_span(graph, filters=[(None, False), (None, True)])
    # The engine may give a span wider than the day asked (equal segments merged), so an
    # answer's day is any day of its span: what is expected on a day is its JSON on that day.
    encoded = [(kind, encode_json(answer), answer.as_of, span) for kind, answer, span in answers]
    store = EncodedAnswers(BUDGET)
    failures: list[str] = []

    def ask(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(1500):
            index = rng.randrange(len(answers))
            kind, answer, span = answers[index]
            _, body, asked, _ = encoded[index]
            day = rng.choice([span.first, span.last, asked])
            found = store.get(kind, day) or store.put(kind, answer, span)  # put: its own day
            if found.body not in (body, body.replace(as_of(asked), as_of(day), 1)):
                failures.append(f"{kind} {day}")

    threads = [threading.Thread(target=ask, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:5]
    assert store.evicted > 1000 and store.bytes <= BUDGET


def as_of(day: date) -> bytes:
    return b'"as_of":"' + day.isoformat().encode() + b'"'
