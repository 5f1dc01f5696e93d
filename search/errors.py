"""Errors of the search package: a server that cannot be installed, started or reached."""

from __future__ import annotations

import math
from typing import Any

START_HINT = "start it with `tieuchuan meili start` or set MEILI_URL"


class MeiliError(RuntimeError):
    """Installing, verifying, starting or stopping Meilisearch failed."""


class MeiliUnavailable(MeiliError):
    """No healthy Meilisearch server answers at the expected URL."""

    def __init__(
        self,
        url: str | None,
        cause: str,
        hint: str = START_HINT,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.url = url
        self.cause = cause
        self.retry_after = retry_after  # seconds until it is worth asking again, when known
        where = f"reachable at {url}" if url else "available"
        super().__init__(f"Meilisearch is not {where} ({cause}); {hint}")

    def retry_seconds(self, default: int = 5) -> int:
        """Whole seconds for a Retry-After header: ``retry_after`` rounded up, at least 1."""
        return default if self.retry_after is None else max(1, math.ceil(self.retry_after))


class IndexTaskFailed(MeiliError):
    """A Meilisearch task ended failed or cancelled; carries the task's error."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.task = task
        error = task.get("error") or {}
        super().__init__(
            f"Meilisearch task {task.get('uid')} ({task.get('type')} on "
            f"{task.get('indexUid')}) {task.get('status')}: "
            f"{error.get('code', '?')}: {error.get('message', 'no error message')}"
        )


class MeiliRequestError(MeiliError):
    """Meilisearch refused a request (HTTP 4xx/5xx other than 404 where expected)."""


class SearchError(MeiliError):
    """Meilisearch refused a search (bad filter, missing index, wrong key)."""


class InvalidQuery(SearchError, ValueError):
    """The caller's parameters are wrong (unknown scope or filter, limit out of range)."""
