"""Every bundled product's answer on twenty days, byte for byte as a golden file keeps it.

The engine may be restructured freely; what it answers may not change by accident. The days
are today (the frozen clock's), the 2025 merger of provinces and the day before it, days on
which editions, rules and successions in the bundled data change (found from the data), and a
few fixed pseudo-random days; each with no market, and with one of the WTO members whose
notifications the bundled data holds (in turn, so that every member is asked about). The
answers repeat a lot from day to day: xz keeps their 56 MB of JSON in about 50 KB.

A deliberate change of answers regenerates the golden file (then review its diff)::

    TIEUCHUAN_REGEN_GOLDEN=1 PYTHONPATH=$PWD .venv/bin/python -m pytest \
        tests/engine/test_golden_answers.py -q
"""

from __future__ import annotations

import lzma
import os
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from litestar.serialization import encode_json
from sqlmodel import Session

from catalog import clock
from catalog.applicability import applicable_over
from catalog.notifications import HOME_MEMBER
from catalog.readmodel import CatalogGraph
from ingest.jobs import ingest_bundled

GOLDEN = Path(__file__).parent / "golden" / "answers.jsonl.xz"
REGENERATE = os.environ.get("TIEUCHUAN_REGEN_GOLDEN") == "1"


def _change_days(graph: CatalogGraph) -> list[date]:
    """Days on which something in the graph starts or ends, ten of them spread over the set."""
    days: set[date] = set()
    for doc in graph.documents.values():
        days.update(d for d in (doc.start, doc.effective_from) if d is not None)
        if doc.effective_to is not None and doc.effective_to < date.max:
            days.add(doc.effective_to + timedelta(days=1))
    for switches in graph.switches.values():
        days.update(s[3] for s in switches if s[3] is not None)
    for rules in graph.rules_by_product.values():
        for rule in rules:
            days.update(d for d in (rule.valid_from,) if d is not None)
    for successions in (graph.locality_successors, graph.issuer_successors):
        for pairs in successions.values():
            days.update(on for _, on in pairs)
    ordered = sorted(d for d in days if date(1950, 1, 1) < d < date(2100, 1, 1))
    step = max(1, len(ordered) // 10)
    return ordered[::step][:10]


def _days(graph: CatalogGraph, today: date) -> list[date]:
    rng = random.Random(20251201)
    fixed = [date(1990, 1, 1) + timedelta(days=rng.randrange(45 * 365)) for _ in range(7)]
    days = [today, date(2025, 7, 1), date(2025, 6, 30), *_change_days(graph), *fixed]
    return sorted(dict.fromkeys(days))


def _lines(graph: CatalogGraph, today: date) -> Iterator[bytes]:
    members = sorted({row.member for row in graph.notifications.rows.values()} - {HOME_MEMBER})
    turn = 0
    for product_id in sorted(graph.products):
        for day in _days(graph, today):
            turn += 1
            for market in (None, members[turn % len(members)]):
                answer, span = applicable_over(graph, product_id, day, market=market)
                assert day in span, (product_id, day, span)
                yield encode_json(answer) + b"\n"


def test_every_bundled_answer_is_as_the_golden_file_keeps_it(engine, frozen_clock):
    ingest_bundled(engine)
    with Session(engine) as session:
        graph = CatalogGraph.load(session)
    today = clock.today()
    assert len(_days(graph, today)) == 20
    if REGENERATE:
        with lzma.open(GOLDEN, "wb", preset=9 | lzma.PRESET_EXTREME) as out:
            out.writelines(_lines(graph, today))
    count = 0
    with lzma.open(GOLDEN, "rb") as golden:
        for index, (line, kept) in enumerate(zip(_lines(graph, today), golden, strict=True)):
            assert line == kept, f"answer {index} differs from the golden file"
            count += 1
    assert count == len(graph.products) * 20 * 2
