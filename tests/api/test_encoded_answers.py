"""Answers held as JSON per span of days: byte for byte the engine's answer for each day (with
what the product's default facts make of it, as api/services/facts_json.py adds)."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from sqlmodel import Session, select

from api.services.answers import AnswerService
from api.services.facts_json import facts_answer_json
from catalog import clock
from catalog.answer_facts import apply_facts
from catalog.applicability import Applicability, applicable_in
from catalog.facts import NO_FACTS
from catalog.models import ApplicabilityRule, Document
from catalog.readmodel import CatalogGraph
from catalog.vocab import Role, SubjectKind
from ingest.jobs import ingest_bundled

FILTERS = [(None, False), (None, True), (Role.TEST_METHOD, False)]


def encode_json(graph: CatalogGraph, answer: Applicability) -> bytes:
    """The answer as the API sends it without facts asked."""
    return facts_answer_json(apply_facts(answer, NO_FACTS, graph.facts))


def sample_days(count: int, seed: int = 3) -> list[date]:
    rng = random.Random(seed)
    return [clock.today(), date(2015, 1, 1)] + [
        date(1990, 1, 1) + timedelta(days=rng.randrange(40 * 365)) for _ in range(count)
    ]


def wait_until_every_day_is_held(service: AnswerService) -> dict:
    deadline = time.monotonic() + 60
    while not service.stats()["every_day"]:
        assert time.monotonic() < deadline, service.stats()
        time.sleep(0.05)
    return service.stats()


def test_every_day_is_held_and_served_as_the_engine_answers_it(engine):
    ingest_bundled(engine)
    service = AnswerService(engine, check_every=3600)
    graph = service.graph.current()
    before = wait_until_every_day_is_held(service)
    assert before["held"] == before["computed"] > len(graph.products)
    asked = 0
    for product_id in sorted(graph.products):
        for day in sample_days(10):
            for role, mandatory_only in FILTERS:
                expected = applicable_in(
                    graph, product_id, day, role=role, mandatory_only=mandatory_only
                )
                key = (str(product_id), day, role, mandatory_only, None)
                assert service.json(key).body == encode_json(graph, expected), (
                    product_id,
                    day,
                    role,
                )
                asked += 1
    after = service.stats()
    # Unfiltered answers were all held; filtered ones are computed once per span, then held.
    filtered = after["computed"] - before["computed"]
    assert 0 < filtered < asked * 2 / len(FILTERS)
    assert after["served_held"] - before["served_held"] == asked - filtered


def test_few_answers_are_held_when_the_limit_is_low_and_none_when_it_is_zero(engine):
    ingest_bundled(engine)
    for held in (0, 3):
        service = AnswerService(engine, check_every=3600, held=held)
        graph = service.graph.current()
        for product_id in sorted(graph.products)[:10]:
            for day in sample_days(3):
                expected = encode_json(graph, applicable_in(graph, product_id, day))
                assert service.json((str(product_id), day, None, False, None)).body == expected
                assert service.stats()["held"] <= max(held, 5)
        assert (service.stats()["computed"] == 0) == (held == 0)


def test_a_change_to_the_catalog_is_answered_at_once_after_invalidate(engine):
    ingest_bundled(engine)
    service = AnswerService(engine, check_every=3600)
    graph = service.graph.current()
    product_id = min(graph.products)
    key = (str(product_id), clock.today(), None, False, None)
    before = service.json(key).body
    with Session(engine) as session:
        document = session.exec(select(Document).where(Document.code == "TCVN 9999:2013")).first()
        document = document or session.exec(select(Document)).first()
        session.add(
            ApplicabilityRule(
                subject_kind=SubjectKind.PRODUCT,
                subject_key=f"test:{product_id}",
                product_id=product_id,
                document_id=document.id,
                role=Role.TRACEABILITY,
            )
        )
        session.commit()
        code = document.code
    assert service.json(key).body == before  # the graph is not checked again within the hour
    service.invalidate()
    after = service.json(key).body
    assert after != before and code.encode() in after
    graph = service.graph.current()
    assert after == encode_json(graph, applicable_in(graph, product_id, key[1]))
