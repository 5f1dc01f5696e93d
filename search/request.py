"""Building one search's ``/multi-search`` request: the parameters checked, the indexes in
scope, a text query per index (its filters, facets, fields and highlights) and, when the
query names a code, a filter on the code's number that finds every edition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from catalog.codes import DocType, PartialCode
from search.documents import DOCUMENTS, PRODUCTS, number_key
from search.errors import InvalidQuery
from search.hits import POST, PRE
from search.ranking import accented_words, code_in
from search.settings import (
    DOCUMENT_FACETS,
    DOCUMENT_SHOWN_FACETS,
    PRODUCT_FACETS,
    PRODUCT_SHOWN_FACETS,
)
from search.type_words import split_type_words

Scope = Literal["all", "documents", "products"]
SCOPES = ("all", "documents", "products")
MAX_LIMIT = 100
MAX_OFFSET = 1000
RERANK_WINDOW = 30  # hits re-ranked for diacritics when the query has them
CODE_WINDOW = 200  # editions fetched for a code query

DOCUMENT_FIELDS = [
    "id", "code", "slug", "title_vi", "title_en", "status", "status_rank", "superseded", "year",
    "doc_type",
]  # fmt: skip
# Only the accent re-ranking reads them (and they are long): fetched for accented queries.
_RERANK_FIELDS = {DOCUMENTS: ["applies_to"], PRODUCTS: []}
PRODUCT_FIELDS = [
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


def check_params(
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


def indexes(scope: str, filters: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Indexes to query: those in scope that have every filtered attribute."""
    names = []
    if scope in ("all", DOCUMENTS) and all(k in DOCUMENT_FACETS for k in filters):
        names.append(DOCUMENTS)
    if scope in ("all", PRODUCTS) and all(k in PRODUCT_FACETS for k in filters):
        names.append(PRODUCTS)
    return names


def filter_clauses(filters: Mapping[str, tuple[str, ...]], name: str) -> list[Any]:
    """Meilisearch filter: AND between attributes, OR between values of one attribute."""
    own = DOCUMENT_FACETS if name == DOCUMENTS else PRODUCT_FACETS
    return [
        [f"{key} = {msgspec.json.encode(value).decode()}" for value in values]
        for key, values in filters.items()
        if key in own
    ]


def build_queries(
    uids: dict[str, str],
    query: str,
    scope: str,
    filters: dict[str, tuple[str, ...]],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], list[str], PartialCode | None, DocType | None]:
    """The multi-search queries for one search, the indexes searched as text, the code
    and the document type the query names."""
    window = offset + limit
    accented = bool(accented_words(query))
    names = indexes(scope, filters)
    partial = code_in(query) if DOCUMENTS in names else None
    text, preferred = (query, None) if partial is not None else split_type_words(query)
    if accented or preferred is not None:
        window = max(window, RERANK_WINDOW)
    queries = [text_query(uids, name, text, filters, window, accented) for name in names]
    if partial is not None:
        queries.append(code_query(uids, partial, filters))
    return queries, names, partial, preferred


def code_query(
    uids: dict[str, str], partial: PartialCode, filters: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    """Every edition of the code a query names: no text, a filter on the code's number."""
    number = msgspec.json.encode(number_key(partial.number or "")).decode()
    code_filter = [f"number_key = {number}", *filter_clauses(filters, DOCUMENTS)]
    return {
        "indexUid": uids[DOCUMENTS],
        "q": "",
        "filter": code_filter,
        "limit": CODE_WINDOW,
        "attributesToRetrieve": DOCUMENT_FIELDS,
        "attributesToHighlight": [],
    }


def text_query(
    uids: dict[str, str],
    name: str,
    query: str,
    filters: dict[str, tuple[str, ...]],
    window: int,
    accented: bool,
) -> dict[str, Any]:
    fields = DOCUMENT_FIELDS if name == DOCUMENTS else PRODUCT_FIELDS
    return {
        "indexUid": uids[name],
        "q": query,
        "filter": filter_clauses(filters, name),
        "limit": window,
        "offset": 0,
        "facets": list(DOCUMENT_SHOWN_FACETS if name == DOCUMENTS else PRODUCT_SHOWN_FACETS),
        "attributesToRetrieve": fields + _RERANK_FIELDS[name] if accented else fields,
        "attributesToHighlight": _HIGHLIGHT[name],
        "highlightPreTag": PRE,
        "highlightPostTag": POST,
        "showRankingScore": True,
    }
