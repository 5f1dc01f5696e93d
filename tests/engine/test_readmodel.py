"""The shared catalog graph sees changes: written in-process, or by another process."""

from __future__ import annotations

import time
from datetime import date

from factories import CatalogBuilder
from sqlmodel import Session

from catalog.applicability import applicable_in
from catalog.models import Document, Product
from catalog.readmodel import SharedCatalogGraph, catalog_version
from catalog.upsert import ChangeContext, upsert
from catalog.vocab import Role, Status

DAY = date(2026, 3, 1)


def codes(answer) -> list[str]:
    return [e.document.code for e in answer.entries]


def test_shared_graph_is_rebuilt_when_another_session_changes_the_catalog(engine):
    with Session(engine) as session:
        cat = CatalogBuilder(session)
        orange = cat.product("Cam")
        cat.rule(orange, cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
        session.commit()
        orange_id = orange.id
    shared = SharedCatalogGraph(engine, check_every=3600)
    graph = shared.current()
    assert codes(applicable_in(graph, orange_id, DAY)) == ["TCVN 1873:2014"]
    assert shared.fresh() is graph

    with Session(engine) as other:  # another writer, e.g. an ingest job
        cat = CatalogBuilder(other)
        cat.rule(other.get(Product, orange_id), cat.doc("TCVN 9999:2020"), Role.TEST_METHOD)
        other.commit()
    assert shared.current() is graph  # the next check is not due yet

    shared.check_every = 0  # a check is due at every call
    assert shared.fresh() is graph  # serves on while the check runs in the background
    deadline = time.monotonic() + 30
    while shared.last is graph:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    rebuilt = shared.current()
    assert codes(applicable_in(rebuilt, orange_id, DAY)) == ["TCVN 1873:2014", "TCVN 9999:2020"]
    assert shared.current() is rebuilt  # unchanged catalog: the version check keeps it
    assert shared.loads == 2

    with Session(engine) as other:  # an update in place, as ingest writes it
        upsert(
            other,
            Document,
            {"code": "TCVN 9999:2020"},
            {"status": Status.WITHDRAWN, "effective_to": date(2025, 1, 1)},
            context=ChangeContext(actor="test"),
            record_key="TCVN 9999:2020",
        )
        other.commit()
    answer = applicable_in(shared.current(), orange_id, DAY)
    assert [e.document.code for e in answer.withdrawn] == ["TCVN 9999:2020"]
    assert shared.loads == 3


def test_invalidate_rebuilds_before_the_next_answer(engine):
    with Session(engine) as session:
        cat = CatalogBuilder(session)
        orange = cat.product("Cam", hs=("080510",))
        session.commit()
        orange_id = orange.id
    shared = SharedCatalogGraph(engine, check_every=3600)
    assert codes(applicable_in(shared.current(), orange_id, DAY)) == []
    with Session(engine) as session:
        cat = CatalogBuilder(session)
        cat.rule("hs:0805", cat.doc("TCVN 1873:2014"), Role.PRODUCT_STANDARD)
        session.commit()
        version = catalog_version(session)
    shared.invalidate()
    assert shared.fresh() is None
    graph = shared.current()
    assert graph.version == version
    assert codes(applicable_in(graph, orange_id, DAY)) == ["TCVN 1873:2014"]
