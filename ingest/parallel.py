"""Map a function over a lazy stream in worker processes, results in input order.

Parsing a catalogue page costs more than fetching and storing it (html.parser is pure
Python), so large crawls parse in worker processes while the main process fetches and
writes. Results come back in the order of the input, whatever the timing, so a run's
output (and its rejects) is the same with or without workers. Small streams never start
a pool: the first ``inline_first`` items are handled in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


def ordered_map(
    func: Callable[[In], Out],
    items: Iterable[In],
    *,
    inline_first: int = 256,
    chunk: int = 32,
    workers: int | None = None,
) -> Iterator[Out]:
    """``map(func, items)``, spread over ``workers`` processes once the stream is long.

    ``func`` and the items must pickle (``func`` a module-level function). At most
    ``8 × workers`` chunks are in flight: enough to hide the latency of the pool's helper
    threads (they share the GIL with a busy consumer), few enough to bound memory.
    """
    stream = iter(items)
    for item in islice(stream, inline_first):
        yield func(item)
    workers = workers or os.cpu_count() or 1
    if workers < 2:
        yield from map(func, stream)
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding DB connections
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[list[Out]]] = deque()
        for batch in _batches(stream, chunk):
            pending.append(pool.submit(_apply, func, batch))
            if len(pending) > 8 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _apply(func: Callable[[In], Out], batch: list[In]) -> list[Out]:
    return [func(item) for item in batch]


def _batches(stream: Iterator[In], size: int) -> Iterator[list[In]]:
    while batch := list(islice(stream, size)):
        yield batch
