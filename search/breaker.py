"""Failing fast while Meilisearch is known to be down: a small circuit breaker.

Without it, a hung Meilisearch (paused, swapping, stuck on disk) makes every caller wait for
the request timeout in turn. After one failure the breaker *opens*: for ``cooldown`` seconds
callers are told at once that search is unavailable, and for how long (the Retry-After of a
503). Once the cool-down is over a probe may go (the owner makes sure only one does at a
time); its success closes the breaker, its failure opens it for another cool-down.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """The state of one dependency: closed (use it), open (fail fast), or due for a probe."""

    def __init__(self, cooldown: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        if cooldown <= 0:
            raise ValueError(f"the cool-down must be positive, not {cooldown!r}")
        self.cooldown = cooldown
        self._clock = clock
        self._open_until: float | None = None  # None: closed
        self.cause = ""  # why it last opened

    @property
    def tripped(self) -> bool:
        """A failure was seen and no probe has succeeded since (open or due for a probe)."""
        return self._open_until is not None

    def retry_after(self) -> float:
        """Seconds left in the cool-down; 0 when closed or when a probe may go."""
        if self._open_until is None:
            return 0.0
        return max(0.0, self._open_until - self._clock())

    def failed(self, cause: str) -> bool:
        """Open (again) for a full cool-down; True if it was closed before."""
        was_closed = self._open_until is None
        self._open_until = self._clock() + self.cooldown
        self.cause = cause
        return was_closed

    def succeeded(self) -> bool:
        """Close; True if it was tripped before."""
        was_tripped = self._open_until is not None
        self._open_until = None
        return was_tripped
