"""Failing fast while Meilisearch hangs: the breaker alone, then SearchService against the real
Meilisearch paused with SIGSTOP."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import Engine

from search import indexer
from search.breaker import CircuitBreaker
from search.query import SearchService
from search.server import MeiliProcess, MeiliUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_for_a_cooldown_then_lets_a_probe_decide() -> None:
    clock = Clock()
    breaker = CircuitBreaker(cooldown=3.0, clock=clock)
    assert not breaker.tripped and breaker.retry_after() == 0

    assert breaker.failed("no answer within 0.8 s") is True
    assert breaker.tripped and breaker.retry_after() == 3.0
    assert breaker.cause == "no answer within 0.8 s"
    clock.now += 2.5
    assert breaker.retry_after() == pytest.approx(0.5)
    clock.now += 0.5
    assert breaker.tripped and breaker.retry_after() == 0  # a probe may go

    assert breaker.failed("connection refused") is False  # the probe failed: open again
    assert breaker.retry_after() == 3.0 and breaker.cause == "connection refused"
    clock.now += 3
    assert breaker.succeeded() is True  # the probe answered: closed
    assert not breaker.tripped and breaker.retry_after() == 0
    assert breaker.succeeded() is False


def test_breaker_needs_a_positive_cooldown() -> None:
    with pytest.raises(ValueError, match="positive"):
        CircuitBreaker(cooldown=0)


def test_retry_seconds_rounds_up() -> None:
    assert MeiliUnavailable("u", "c", retry_after=2.01).retry_seconds() == 3
    assert MeiliUnavailable("u", "c", retry_after=0.0).retry_seconds() == 1
    assert MeiliUnavailable("u", "c").retry_seconds(default=7) == 7


CALLERS = 60


@pytest.mark.meili
def test_hung_meilisearch_fails_every_caller_fast_and_recovers(
    engine: Engine, small_catalog, pausable_meili: MeiliProcess, paused
) -> None:
    """60 concurrent searches while Meilisearch is paused: one shared version check waits out
    the timeout, everyone else is answered at once; after SIGCONT a probe closes the breaker."""
    url, master = pausable_meili.url, pausable_meili.master_key
    prefix = "brk_"
    indexer.rebuild(engine, url, master, prefix=prefix)
    key = indexer.ensure_search_key(url, master, prefix=prefix)

    async def timed_search(service: SearchService, q: str) -> tuple[float, MeiliUnavailable | None]:
        started = time.monotonic()
        try:
            await service.search(q)
        except MeiliUnavailable as exc:
            return time.monotonic() - started, exc
        return time.monotonic() - started, None

    async def main() -> None:
        async with SearchService(url, key, prefix, down_cooldown=2.0) as service:
            assert (await service.search("cam")).hits  # healthy, and the version is known
            await asyncio.sleep(0.6)  # past the version's time to live: the next search checks
            with paused(pausable_meili):
                results = await asyncio.gather(
                    *(timed_search(service, f"cam {i}") for i in range(CALLERS))
                )
                times = sorted(t for t, _ in results)
                retry_after = [e.retry_after if e else None for _, e in results]
                assert all(r is not None and r > 0 for r in retry_after), retry_after  # all failed
                # one timeout (0.8 s) for all, not one after the other
                assert times[-1] < 1.6, times
                # while open, callers are answered without asking Meilisearch
                started = time.monotonic()
                with pytest.raises(MeiliUnavailable) as raised:
                    await service.search("cam again")
                assert time.monotonic() - started < 0.05
                assert raised.value.retry_seconds() in (1, 2)  # what is left of 2 s
                await asyncio.sleep(2.1)  # cool-down over: the next caller probes (and fails)
                with pytest.raises(MeiliUnavailable):
                    await service.search("cam")
            deadline = time.monotonic() + 5
            while True:
                try:
                    assert (await service.search("cam")).hits
                    break
                except MeiliUnavailable:
                    assert time.monotonic() < deadline, "no recovery within 5 s of SIGCONT"
                    await asyncio.sleep(0.1)

    asyncio.run(main())
