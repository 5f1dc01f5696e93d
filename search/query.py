"""Searching the indexes: code-aware, diacritics-aware, cached until the index changes.

:class:`SearchService` is meant to live as long as the application: it holds one pooled
``httpx.AsyncClient`` with short timeouts and the search-only key (never the master key).

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
written there).

Unreachable Meilisearch raises :class:`search.errors.MeiliUnavailable` within about a
second; after that, for a cool-down of a few seconds, at once (:mod:`search.breaker`), so a
hung server does not make every caller wait in turn. Any other refusal raises
:class:`SearchError`.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

import msgspec

from catalog.codes import (
    CodeError,
    DocType,
    DocumentCode,
    PartialCode,
    find_codes,
    parse_code,
    parse_partial,
)
from catalog.text import clean, fold
from search.breaker import CircuitBreaker
from search.documents import DOCUMENTS, META, PRODUCTS, number_key
from search.errors import MeiliError, MeiliUnavailable
from search.indexer import META_ID, index_uids
from search.settings import (
    DOCUMENT_FACETS,
    DOCUMENT_SHOWN_FACETS,
    PRODUCT_FACETS,
    PRODUCT_SHOWN_FACETS,
)
from search.transport import MeiliTransport
from search.type_words import split_type_words

Scope = Literal["all", "documents", "products"]
SCOPES = ("all", "documents", "products")
MAX_LIMIT = 100
MAX_OFFSET = 1000
RERANK_WINDOW = 30  # hits re-ranked for diacritics when the query has them
CODE_WINDOW = 200  # editions fetched for a code query
_PRE, _POST = "\x02", "\x03"  # highlight marks, replaced by <mark> after HTML-escaping
_WORD = re.compile(r"\w+")
log = logging.getLogger(__name__)

_DOCUMENT_FIELDS = [
    "id", "code", "slug", "title_vi", "title_en", "status", "status_rank", "superseded", "year",
    "doc_type",
]  # fmt: skip
# Only the accent re-ranking reads them (and they are long): fetched for accented queries.
_RERANK_FIELDS = {DOCUMENTS: ["applies_to"], PRODUCTS: []}
_PRODUCT_FIELDS = [
    "id",
    "slug",
    "name",
    "name_en",
    "kind",
    "ocop_stars",
    "aliases",
    "category_path",
]
_HIGHLIGHT = {
    DOCUMENTS: ["code", "title_vi", "title_en"],
    PRODUCTS: ["name", "aliases", "name_en"],
}


class SearchError(MeiliError):
    """Meilisearch refused a search (bad filter, missing index, wrong key)."""


class InvalidQuery(SearchError, ValueError):
    """The caller's parameters are wrong (unknown scope or filter, limit out of range)."""


@dataclass(frozen=True)
class SearchHit:
    """One result; ``highlights`` are HTML-escaped text with ``<mark>`` around matches."""

    type: Literal["document", "product"]
    id: int
    slug: str
    code: str | None  # documents only
    title: str
    subtitle: str | None  # the English title or name
    status: str | None  # documents: Status value
    superseded: bool
    code_match: bool  # found as the code typed in the query
    highlights: dict[str, str]


@dataclass(frozen=True)
class SearchResponse:
    query: str
    scope: str
    hits: tuple[SearchHit, ...]
    total: int  # estimated number of matches
    facets: dict[str, dict[str, int]]  # attribute → value → count (both indexes merged)
    processing_time_ms: int  # Meilisearch's own time for the request
    code: str | None  # the code read in the query, as typed back in normal form
    cached: bool = False


_CACHED = msgspec.json.Decoder(SearchResponse)


@dataclass(frozen=True)
class ProductCandidate:
    id: int
    slug: str
    name: str
    kind: str
    exact: bool  # the text names it exactly (folded), as name or alias


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
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._pending: dict[tuple, asyncio.Future[SearchResponse]] = {}  # searches on their way
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
        filters = _check_params(scope, filters, limit, offset)
        version = await self.index_version()
        key = (version, query, scope, tuple(sorted(filters.items())), limit, offset)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return _CACHED.decode(cached)
        task = self._pending.get(key)
        shared = task is not None  # the same search is on its way: share its answer
        if task is None:
            # A task of its own, so that a caller who goes away does not fail the others.
            task = asyncio.ensure_future(self._search(query, scope, filters, limit, offset))
            self._pending[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        response = await asyncio.shield(task)
        return replace(response, cached=True) if shared else response

    def _settle(self, key: tuple, task: asyncio.Future[SearchResponse]) -> None:
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
        checked = _check_params(scope, filters, limit, offset)
        return {"queries": self._queries(query, scope, checked, limit, offset)[0]}

    async def resolve_product(self, text: str, limit: int = 5) -> list[ProductCandidate]:
        """Products a free-text name may mean, best first; exact names or aliases first."""
        query = clean(text) or ""
        if not query:
            return []
        await self.index_version()  # fails at once while Meilisearch is known to be down
        accented = _accented_words(query)
        body = await self._post(
            f"/indexes/{self.uids[PRODUCTS]}/search",
            {
                "q": query,
                "limit": max(limit, RERANK_WINDOW) if accented else limit,
                "attributesToRetrieve": _PRODUCT_FIELDS,
            },
        )
        ordered = [(PRODUCTS, h) for h in body["hits"]]
        if accented:
            ordered = _prefer_accented(ordered, accented)
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

    def _queries(
        self, query: str, scope: str, filters: dict[str, tuple[str, ...]], limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], list[str], PartialCode | None, DocType | None]:
        """The multi-search queries for one search, the indexes searched as text, the code
        and the document type the query names."""
        window = offset + limit
        accented = bool(_accented_words(query))
        names = _indexes(scope, filters)
        partial = _code_in(query) if DOCUMENTS in names else None
        text, preferred = (query, None) if partial is not None else split_type_words(query)
        if accented or preferred is not None:
            window = max(window, RERANK_WINDOW)
        queries = [self._text_query(name, text, filters, window, accented) for name in names]
        if partial is not None:
            number = msgspec.json.encode(number_key(partial.number or "")).decode()
            code_filter = [f"number_key = {number}", *_filter_clauses(filters, DOCUMENTS)]
            queries.append(
                {
                    "indexUid": self.uids[DOCUMENTS],
                    "q": "",
                    "filter": code_filter,
                    "limit": CODE_WINDOW,
                    "attributesToRetrieve": _DOCUMENT_FIELDS,
                    "attributesToHighlight": [],
                }
            )
        return queries, names, partial, preferred

    async def _search(
        self, query: str, scope: str, filters: dict[str, tuple[str, ...]], limit: int, offset: int
    ) -> SearchResponse:
        accented = _accented_words(query)
        queries, names, partial, preferred = self._queries(query, scope, filters, limit, offset)
        text = queries[0]["q"] if names else query
        body = await self._post("/multi-search", {"queries": queries})
        results = body["results"]
        text_results = results[: len(names)]
        hits: list[tuple[float, str, dict]] = []
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
            ordered.sort(key=lambda item: not _named_exactly(*item, wanted))
        if accented:
            ordered = _prefer_accented(ordered, accented)
        if preferred is not None:  # stable: the named type's documents first
            ordered.sort(key=lambda item: item[1].get("doc_type") != preferred)
        code_hits = _code_order(results[-1]["hits"], partial) if partial is not None else []
        seen = {h["id"] for h in code_hits}
        final = [(DOCUMENTS, h, True) for h in code_hits]
        final += [
            (name, h, False) for name, h in ordered if not (name == DOCUMENTS and h["id"] in seen)
        ]
        total += len(seen)
        return SearchResponse(
            query=query,
            scope=scope,
            hits=tuple(_hit(*entry) for entry in final[offset : offset + limit]),
            total=max(total, len(final)),
            facets=facets,
            processing_time_ms=sum(r.get("processingTimeMs", 0) for r in results),
            code=_partial_text(partial),
        )

    def _text_query(
        self,
        name: str,
        query: str,
        filters: dict[str, tuple[str, ...]],
        window: int,
        accented: bool,
    ) -> dict[str, Any]:
        fields = _DOCUMENT_FIELDS if name == DOCUMENTS else _PRODUCT_FIELDS
        return {
            "indexUid": self.uids[name],
            "q": query,
            "filter": _filter_clauses(filters, name),
            "limit": window,
            "offset": 0,
            "facets": list(DOCUMENT_SHOWN_FACETS if name == DOCUMENTS else PRODUCT_SHOWN_FACETS),
            "attributesToRetrieve": fields + _RERANK_FIELDS[name] if accented else fields,
            "attributesToHighlight": _HIGHLIGHT[name],
            "highlightPreTag": _PRE,
            "highlightPostTag": _POST,
            "showRankingScore": True,
        }

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


def _check_params(
    scope: str, filters: Mapping[str, list[str]] | None, limit: int, offset: int
) -> dict[str, tuple[str, ...]]:
    if scope not in SCOPES:
        raise InvalidQuery(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit {limit} is not between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidQuery(f"offset {offset} is not between 0 and {MAX_OFFSET}")
    checked: dict[str, tuple[str, ...]] = {}
    for key, values in (filters or {}).items():
        if key not in DOCUMENT_FACETS and key not in PRODUCT_FACETS:
            known = ", ".join(DOCUMENT_FACETS + PRODUCT_FACETS)
            raise InvalidQuery(f"cannot filter on {key!r}: filters are {known}")
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise InvalidQuery(f"filter {key!r} needs a list of strings, not {values!r}")
        if values:
            checked[key] = tuple(sorted(set(values)))
    return checked


def _indexes(scope: str, filters: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Indexes to query: those in scope that have every filtered attribute."""
    names = []
    if scope in ("all", DOCUMENTS) and all(k in DOCUMENT_FACETS for k in filters):
        names.append(DOCUMENTS)
    if scope in ("all", PRODUCTS) and all(k in PRODUCT_FACETS for k in filters):
        names.append(PRODUCTS)
    return names


def _filter_clauses(filters: Mapping[str, tuple[str, ...]], name: str) -> list[Any]:
    """Meilisearch filter: AND between attributes, OR between values of one attribute."""
    own = DOCUMENT_FACETS if name == DOCUMENTS else PRODUCT_FACETS
    return [
        [f"{key} = {msgspec.json.encode(value).decode()}" for value in values]
        for key, values in filters.items()
        if key in own
    ]


def _code_in(query: str) -> PartialCode | None:
    """The code a query names: the whole query as a (partial) code, or a full code inside."""
    if not query or not any(ch.isdigit() for ch in query):
        return None
    partial = parse_partial(query)
    if partial is None:
        found = find_codes(query)
        if not found:
            return None
        code = found[0]
        partial = PartialCode(
            code.doc_type, code.prefix, code.number, code.part, code.year, code.issuer
        )
    return partial if partial.number else None


def _partial_text(partial: PartialCode | None) -> str | None:
    if partial is None:
        return None
    number = (partial.number or "") + (f"-{partial.part}" if partial.part else "")
    text = f"{partial.prefix + ' ' if partial.prefix else ''}{number}"
    text += f":{partial.year}" if partial.year else ""
    return text + (f"/{partial.issuer}" if partial.issuer else "")


@lru_cache(maxsize=65_536)
def _parsed(code: str) -> DocumentCode | None:
    try:
        return parse_code(code)
    except CodeError:
        return None


def _code_order(hits: list[dict], partial: PartialCode) -> list[dict]:
    """Editions of the typed code: the edition typed first, then in force, then newest."""
    any_year = replace(partial, year=None)
    editions = [h for h in hits if (c := _parsed(h["code"])) is not None and any_year.matches(c)]

    def rank(hit: dict) -> tuple:
        exact = partial.year is not None and partial.matches(_parsed(hit["code"]))
        return (not exact, -hit.get("status_rank", 0), -(hit.get("year") or 0), hit["code"])

    return sorted(editions, key=rank)


def _accented_words(query: str) -> set[str]:
    """The query's words when it is typed with diacritics (then every word is meant as typed)."""
    words = {w for w in _WORD.findall(query.lower()) if not w.isdigit()}
    return words if any(fold(w) != w for w in words) else set()


def _prefer_accented(hits: list[tuple[str, dict]], accented: set[str]) -> list[tuple[str, dict]]:
    """Stable re-rank: hits matching a query word only through a look-alike (``chế`` for
    ``chè``) move behind those that match every word as typed or not at all.

    Meilisearch's own order is kept otherwise: exact accents do not outrank relevance.
    """
    folded = {w: fold(w) for w in accented}

    def look_alikes(item: tuple[str, dict]) -> int:
        sets = [_word_sets(text) for text in _texts(*item)]
        return sum(
            1
            for w in accented
            if not any(w in words for words, _ in sets)
            and any(folded[w] in folded_words for _, folded_words in sets)
        )

    return sorted(hits, key=look_alikes)


@lru_cache(maxsize=32_768)
def _word_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The lower-cased words of a text and the same words folded (titles come back often)."""
    words = frozenset(_WORD.findall(text.lower()))
    return words, frozenset(fold(w) for w in words)


def _named_exactly(name: str, hit: dict, folded_query: str) -> bool:
    """The hit's title or name (Vietnamese or English, or an alias) is the query itself."""
    if name == DOCUMENTS:
        names = [hit.get("title_vi"), hit.get("title_en")]
    else:
        names = [hit.get("name"), hit.get("name_en"), *(hit.get("aliases") or [])]
    return any(n and _folded(n) == folded_query for n in names)


@lru_cache(maxsize=32_768)
def _folded(text: str) -> str:
    return fold(text)


def _texts(name: str, hit: dict) -> list[str]:
    if name == DOCUMENTS:
        return [hit.get("title_vi") or "", *(hit.get("applies_to") or [])]
    return [hit.get("name") or "", *(hit.get("aliases") or []), *(hit.get("category_path") or [])]


def _hit(name: str, hit: dict, code_match: bool) -> SearchHit:
    formatted = hit.get("_formatted") or {}
    highlights = {}
    for attribute, value in formatted.items():
        text = ", ".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and _PRE in text:
            highlights[attribute] = _marked(text)
    if name == DOCUMENTS:
        return SearchHit(
            type="document",
            id=hit["id"],
            slug=hit["slug"],
            code=hit["code"],
            title=hit.get("title_vi") or hit.get("title_en") or hit["code"],
            subtitle=hit.get("title_en"),
            status=hit.get("status"),
            superseded=bool(hit.get("superseded")),
            code_match=code_match,
            highlights=highlights,
        )
    return SearchHit(
        type="product",
        id=hit["id"],
        slug=hit["slug"],
        code=None,
        title=hit["name"],
        subtitle=hit.get("name_en"),
        status=None,
        superseded=False,
        code_match=False,
        highlights=highlights,
    )


def _marked(text: str) -> str:
    return html.escape(text).replace(_PRE, "<mark>").replace(_POST, "</mark>")


def _error_detail(content: bytes) -> str:
    try:
        body = msgspec.json.decode(content)
    except msgspec.DecodeError:
        return content[:300].decode("utf-8", "replace")
    if not isinstance(body, dict):
        return str(body)[:300]
    return f"{body.get('code', '?')}: {body.get('message', '')}"
