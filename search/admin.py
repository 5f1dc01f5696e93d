"""The Meilisearch admin client: index, document, settings and task calls over httpx, with
the master key; every task it starts is awaited, and a failed one raises
:class:`~search.errors.IndexTaskFailed`.

Hand-written rather than taken from ``meilisearch-python-sdk``: the dozen calls the indexer
makes fit here, with the project's errors (:class:`~search.errors.MeiliUnavailable` when the
server is down), and the SDK would bring pydantic and its own models into the runtime for
them. The SDK stays a test dependency: an independent client checks our server setup.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import httpx
import msgspec

from search.errors import IndexTaskFailed, MeiliError, MeiliRequestError, MeiliUnavailable

BATCH = 20_000  # records per documents request


class MeiliAdmin:
    """A small synchronous Meilisearch client with the master key, for indexing jobs."""

    def __init__(self, url: str, master_key: str | None, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        headers = {"Content-Type": "application/json"}
        if master_key:
            headers["Authorization"] = f"Bearer {master_key}"
        self._client = httpx.Client(
            base_url=self.url, headers=headers, timeout=httpx.Timeout(timeout, connect=2.0)
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> MeiliAdmin:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, body: Any = None, *, allow_404: bool = False) -> Any:
        """Send one request; JSON answer, or None for an allowed 404."""
        content = None if body is None else msgspec.json.encode(body)
        try:
            response = self._client.request(method, path, content=content)
        except httpx.TransportError as exc:
            raise MeiliUnavailable(self.url, str(exc) or type(exc).__name__) from exc
        if response.status_code == 404 and allow_404:
            return None
        if response.status_code >= 400:
            raise MeiliRequestError(
                f"{method} {path} answered HTTP {response.status_code}: {response.text[:500]}"
            )
        return msgspec.json.decode(response.content) if response.content else None

    def wait(self, task: dict[str, Any], timeout: float = 600.0) -> dict[str, Any]:
        """Poll a task until it ends; raise :class:`IndexTaskFailed` unless it succeeded."""
        uid = task["taskUid"] if "taskUid" in task else task["uid"]
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            state: dict[str, Any] = self.request("GET", f"/tasks/{uid}")
            if state["status"] == "succeeded":
                return state
            if state["status"] in ("failed", "canceled"):
                raise IndexTaskFailed(state)
            if time.monotonic() > deadline:
                raise MeiliError(
                    f"Meilisearch task {uid} still {state['status']} after {timeout:g} s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.02)

    def run(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """Enqueue a task and wait for it to succeed."""
        return self.wait(self.request(method, path, body))

    def index_exists(self, uid: str) -> bool:
        return self.request("GET", f"/indexes/{uid}", allow_404=True) is not None

    def create_index(self, uid: str) -> None:
        self.run("POST", "/indexes", {"uid": uid, "primaryKey": "id"})

    def delete_index(self, uid: str) -> None:
        self.run("DELETE", f"/indexes/{uid}")

    def enqueue_documents(self, uid: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Enqueue additions (replacing records with the same id) in batches; not awaited."""
        return [
            self.request("POST", f"/indexes/{uid}/documents?primaryKey=id", records[i : i + BATCH])
            for i in range(0, len(records), BATCH)
        ]

    def add_documents(self, uid: str, records: list[dict[str, Any]]) -> int | None:
        """Add or replace records; returns the last task uid (None if nothing sent)."""
        last = None
        for task in self.enqueue_documents(uid, records):
            last = self.wait(task)["uid"]
        return last

    def delete_documents(self, uid: str, ids: Iterable[int]) -> int | None:
        ids = sorted(ids)
        if not ids:
            return None
        task_uid: int = self.run("POST", f"/indexes/{uid}/documents/delete-batch", ids)["uid"]
        return task_uid

    def all_documents(self, uid: str, fields: list[str] | None = None) -> list[dict[str, Any]]:
        """Every stored record of an index (paged), only ``fields`` of each when given."""
        found: list[dict[str, Any]] = []
        while True:
            body: dict[str, Any] = {"offset": len(found), "limit": 10_000}
            if fields is not None:
                body["fields"] = fields
            page = self.request("POST", f"/indexes/{uid}/documents/fetch", body)
            found += page["results"]
            if len(found) >= page["total"] or not page["results"]:
                return found

    def apply_settings(self, uid: str, wanted: dict[str, Any]) -> bool:
        """Make the index's settings ``wanted``; False (and no task) when they already are."""
        current = self.request("GET", f"/indexes/{uid}/settings")
        if _same(current, wanted):
            return False
        self.run("PATCH", f"/indexes/{uid}/settings", wanted)
        return True


_ORDERED = frozenset({"searchableAttributes", "rankingRules", "displayedAttributes"})


def _same(current: Any, wanted: Any, key: str = "") -> bool:
    """Settings equality as Meilisearch stores them: it adds defaults to nested objects
    and sorts attribute sets; only ranking-order lists keep their order."""
    if isinstance(wanted, dict) and isinstance(current, dict):
        return all(_same(current.get(k), v, k) for k, v in wanted.items())
    if (
        isinstance(wanted, list)
        and isinstance(current, list)
        and key not in _ORDERED
        and all(isinstance(v, str) for v in wanted + current)
    ):
        return sorted(current) == sorted(wanted)
    return bool(current == wanted)
