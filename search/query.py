"""Searching the indexes: code-aware, diacritics-aware, cached until the index changes.

:class:`SearchService` is meant to live as long as the application: it holds one pooled
transport (:mod:`search.transport`) with short timeouts and the search-only key (never the
master key).

One query is one ``/multi-search`` request: a text search per index in scope, plus, when
the query reads as a code (``TCVN 5603``, ``5603:2023``, ``qcvn 8-2``, ``QCVN 16/BXD``), a
filter on the code's number that finds every edition. Then, in this layer:

1. code matches come first: the edition typed, then its other editions, in force first;
2. when the query carries diacritics, hits whose original text has the exact accented words
   move ahead of hits that only match once folded (``chè`` tea before ``chế biến``);
3. the response is cached until the index version (written by the indexer into the
   ``meta`` index, checked at most every ``version_ttl`` seconds) changes, and callers asking
   the same thing while it is on its way share one request.

Requests go through :class:`search.transport.MeiliTransport` (why it looks as it does is
written there). The request is built by :mod:`search.request`, hits are ordered by
:mod:`search.ranking` and shaped by :mod:`search.hits`.

Unreachable Meilisearch raises :class:`search.errors.MeiliUnavailable` within about a
second; after that, for a cool-down of a few seconds, at once (:mod:`search.breaker`), so a
hung server does not make every caller wait in turn. Any other refusal raises
:class:`SearchError`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import msgspec

from catalog.text import clean, fold
from search.breaker import CircuitBreaker
from search.documents import DOCUMENTS, META, PRODUCTS
from search.errors import MeiliUnavailable, SearchError
from search.hits import ProductCandidate, SearchResponse, hit_of
from search.indexer import META_ID, index_uids
from search.ranking import (
    accented_words,
    code_order,
    named_exactly,
    partial_text,
    prefer_accented,
)
from search.request import PRODUCT_FIELDS, RERANK_WINDOW, Scope, build_queries, check_params
from search.transport import MeiliTransport

log = logging.getLogger(__name__)

_CACHED = msgspec.json.Decoder(SearchResponse)
# A search as the cache knows it: (index version, query, scope, filters, limit, offset).
_Key = tuple[str, str, str, tuple[tuple[str, tuple[str, ...]], ...], int, int]


class SearchService:
    """Searches the ``documents`` and ``products`` indexes for the API.

    ``url`` and ``search_key`` point at Meilisearch (the key must be search-only; see
    :func:`search.indexer.ensure_search_key`); ``prefix`` selects the index names;
    ``max_in_flight`` bounds the requests sent to Meilisearch at once (default: four per core;
    Meilisearch runs one search per core, and a few more waiting keep it busy: 8 measured
    best on 2 cores, against 4 and 16); ``down_cooldown`` is how long searches fail fast
    after Meilisearch did not answer the index-version check.
    """

    def __init__(
        self,
        url: str,
        search_key: str | None,
        prefix: str = "",
        *,
        timeout: float = 0.8,
        cache_size: int = 4096,
        version_ttl: float = 0.5,
        max_in_flight: int | None = None,
        down_cooldown: float = 3.0,
    ) -> None:
        self.url = url.rstrip("/")
        self.uids = index_uids(prefix)
        headers = {"Authorization": f"Bearer {search_key}"} if search_key else {}
        self._transport = MeiliTransport(
            self.url,
            headers,
            timeout=timeout,
            connect_timeout=min(timeout, 0.4),
            max_in_flight=max_in_flight or 4 * (os.cpu_count() or 1),
        )
        # Answers kept encoded: one object each, not thousands for the garbage collector to
        # walk (10,000 responses as objects made a full collection take ~175 ms).
        self._cache: OrderedDict[_Key, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._pending: dict[_Key, asyncio.Future[SearchResponse]] = {}  # searches on their way
        self._version_ttl = version_ttl
        self._version: str | None = None
        self._version_checked = -1e9
        self._version_check: asyncio.Future[str] | None = None  # the check on its way
        self._breaker = CircuitBreaker(down_cooldown)

    @property
    def headers(self) -> dict[str, str]:
        """The headers every request to Meilisearch carries (the search-only key)."""
        return dict(self._transport.headers)

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> SearchService:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    def invalidate(self) -> None:
        """Forget cached results and the index version (next query re-reads both)."""
        self._cache.clear()
        self._version_checked = -1e9

    # --- public queries -------------------------------------------------------------------

    async def search(
        self,
        q: str,
        *,
        scope: Scope = "all",
        filters: Mapping[str, list[str]] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResponse:
        """Search documents and/or products; see the module docstring for the ordering."""
        query = clean(q) or ""
        checked = check_params(scope, filters, limit, offset)
        version = await self.index_version()
        key = (version, query, scope, tuple(sorted(checked.items())), limit, offset)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return _CACHED.decode(cached)
        task = self._pending.get(key)
        shared = task is not None  # the same search is on its way: share its answer
        if task is None:
            # A task of its own, so that a caller who goes away does not fail the others.
            task = asyncio.ensure_future(self._search(query, scope, checked, limit, offset))
            self._pending[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        response = await asyncio.shield(task)
        return replace(response, cached=True) if shared else response

    def _settle(self, key: _Key, task: asyncio.Future[SearchResponse]) -> None:
        """Keep a finished search's answer (failures are not kept, and retried next time)."""
        del self._pending[key]
        if task.cancelled() or task.exception() is not None:
            return
        self._cache[key] = msgspec.json.encode(replace(task.result(), cached=True))
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def multi_search_body(
        self,
        q: str,
        *,
        scope: Scope = "all",
        filters: Mapping[str, list[str]] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]:
        """The ``/multi-search`` request :meth:`search` sends Meilisearch for these arguments
        (benchmarks replay it against Meilisearch directly)."""
        query = clean(q) or ""
        checked = check_params(scope, filters, limit, offset)
        return {"queries": build_queries(self.uids, query, scope, checked, limit, offset)[0]}

    async def resolve_product(self, text: str, limit: int = 5) -> list[ProductCandidate]:
        """Products a free-text name may mean, best first; exact names or aliases first."""
        query = clean(text) or ""
        if not query:
            return []
        await self.index_version()  # fails at once while Meilisearch is known to be down
        accented = accented_words(query)
        body = await self._post(
            f"/indexes/{self.uids[PRODUCTS]}/search",
            {
                "q": query,
                "limit": max(limit, RERANK_WINDOW) if accented else limit,
                "attributesToRetrieve": PRODUCT_FIELDS,
            },
        )
        ordered = [(PRODUCTS, h) for h in body["hits"]]
        if accented:
            ordered = prefer_accented(ordered, accented)
        wanted = fold(query)
        candidates = [
            ProductCandidate(
                id=hit["id"],
                slug=hit["slug"],
                name=hit["name"],
                kind=hit["kind"],
                exact=any(fold(n) == wanted for n in [hit["name"], *(hit.get("aliases") or [])]),
            )
            for _, hit in ordered
        ]
        return sorted(candidates, key=lambda c: not c.exact)[:limit]

    async def index_version(self) -> str:
        """The indexes' version (changes with every build, sync or repair), re-read at most
        every ``version_ttl`` seconds.

        The check is also the breaker's probe: while Meilisearch is known to be down this
        raises MeiliUnavailable at once, and callers that arrive while a check is on its way
        share its outcome instead of each sending (and waiting out) their own.
        """
        breaker = self._breaker
        if breaker.retry_after() > 0:
            raise self._unavailable()
        if not breaker.tripped and time.monotonic() - self._version_checked < self._version_ttl:
            return self._version or ""
        check = self._version_check
        if check is None or check.get_loop() is not asyncio.get_running_loop():
            check = asyncio.ensure_future(self._check_version())
            self._version_check = check
            check.add_done_callback(self._version_settled)
        try:
            return await asyncio.shield(check)
        except MeiliUnavailable:
            raise self._unavailable() from None

    async def _check_version(self) -> str:
        try:
            body = await self._post(
                f"/indexes/{self.uids[META]}/search",
                {"q": "", "filter": None, "limit": 1, "attributesToRetrieve": ["id", "version"]},
                missing_ok=True,
                urgent=True,
            )
        except MeiliUnavailable as exc:
            if self._breaker.failed(exc.cause):
                log.warning(
                    "Meilisearch at %s is unavailable (%s): searches fail at once, "
                    "asking it again every %g s",
                    self.url,
                    exc.cause,
                    self._breaker.cooldown,
                )
            raise
        if self._breaker.succeeded():
            log.warning("Meilisearch at %s answers again", self.url)
        hits = [h for h in (body or {}).get("hits", []) if h.get("id") == META_ID]
        version = hits[0]["version"] if hits else "none"
        if version != self._version:
            self._cache.clear()
        self._version = version
        self._version_checked = time.monotonic()
        return version

    def _version_settled(self, check: asyncio.Future[str]) -> None:
        if self._version_check is check:
            self._version_check = None
        if not check.cancelled():
            check.exception()  # retrieved, even when every caller has gone away

    def _unavailable(self) -> MeiliUnavailable:
        """What callers get while the breaker is open: the cause and when to ask again."""
        wait = self._breaker.retry_after()
        return MeiliUnavailable(
            self.url,
            f"{self._breaker.cause}; not asked again for {wait:.1f} s",
            retry_after=wait,
        )

    # --- one search -----------------------------------------------------------------------

    async def _search(
        self, query: str, scope: str, filters: dict[str, tuple[str, ...]], limit: int, offset: int
    ) -> SearchResponse:
        accented = accented_words(query)
        queries, names, partial, preferred = build_queries(
            self.uids, query, scope, filters, limit, offset
        )
        text = queries[0]["q"] if names else query
        body = await self._post("/multi-search", {"queries": queries})
        results = body["results"]
        text_results = results[: len(names)]
        hits: list[tuple[float, str, dict[str, Any]]] = []
        total = 0
        facets: dict[str, dict[str, int]] = {}
        for name, result in zip(names, text_results, strict=True):
            total += result.get("estimatedTotalHits", 0)
            facets.update(result.get("facetDistribution") or {})
            hits += [(h.get("_rankingScore", 0.0), name, h) for h in result["hits"]]
        if len(names) > 1:
            hits.sort(key=lambda item: -item[0])
        ordered = [(name, h) for _, name, h in hits]
        if len(names) > 1:  # scores of two indexes compare roughly: an exact name settles it
            wanted = fold(text)
            ordered.sort(key=lambda item: not named_exactly(item[0], item[1], wanted))
        if accented:
            ordered = prefer_accented(ordered, accented)
        if preferred is not None:  # stable: the named type's documents first
            ordered.sort(key=lambda item: item[1].get("doc_type") != preferred)
        code_hits = code_order(results[-1]["hits"], partial) if partial is not None else []
        seen = {h["id"] for h in code_hits}
        final = [(DOCUMENTS, h, True) for h in code_hits]
        final += [
            (name, h, False) for name, h in ordered if not (name == DOCUMENTS and h["id"] in seen)
        ]
        total += len(seen)
        return SearchResponse(
            query=query,
            scope=scope,
            hits=tuple(hit_of(*entry) for entry in final[offset : offset + limit]),
            total=max(total, len(final)),
            facets=facets,
            processing_time_ms=sum(r.get("processingTimeMs", 0) for r in results),
            code=partial_text(partial),
        )

    async def _post(
        self, path: str, body: Any, *, missing_ok: bool = False, urgent: bool = False
    ) -> Any:
        try:
            status, content = await self._transport.post(
                path, msgspec.json.encode(body), urgent=urgent
            )
            if status in (502, 503, 504):
                raise MeiliUnavailable(self.url, f"HTTP {status}")
        except MeiliUnavailable:
            self._version_checked = -1e9  # the next caller checks (and trips the breaker)
            raise
        if status == 200:
            return msgspec.json.decode(content)
        detail = _error_detail(content)
        if missing_ok and "index_not_found" in detail:
            return None
        if status in (401, 403):
            raise SearchError(f"Meilisearch refused the search key: {detail}")
        raise SearchError(f"Meilisearch refused {path} (HTTP {status}): {detail}")


# --- helpers ------------------------------------------------------------------------------


def _error_detail(content: bytes) -> str:
    try:
        body = msgspec.json.decode(content)
    except msgspec.DecodeError:
        return content[:300].decode("utf-8", "replace")
    if not isinstance(body, dict):
        return str(body)[:300]
    return f"{body.get('code', '?')}: {body.get('message', '')}"
