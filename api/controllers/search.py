"""Full-text search across documents and products (Meilisearch)."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from litestar import Request, get
from litestar.params import Parameter, QueryParameter

from api.problems import Problem, problem_responses
from search.errors import InvalidQuery, SearchError
from search.hits import SearchResponse
from search.server import MeiliUnavailable

Facet = Annotated[
    list[str] | None, Parameter(description="Facet filter; repeat for OR", max_items=20)
]
log = logging.getLogger(__name__)


@get(
    "/search",
    summary="Search documents and products, with facets",
    tags=["search"],
    responses=problem_responses(400, 503),
)
async def search(
    request: Request,
    q: Annotated[str, Parameter(description="Words or a code", max_length=200)] = "",
    search_scope: Annotated[
        Literal["all", "documents", "products"],
        QueryParameter(name="scope", description="Which index to search"),
    ] = "all",
    limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    offset: Annotated[int, Parameter(ge=0, le=1000)] = 0,
    doc_type: Facet = None,
    status: Facet = None,
    mandatory: Facet = None,
    year: Facet = None,
    ics: Facet = None,
    issuer_code: Facet = None,
    kind: Facet = None,
    ocop_stars: Facet = None,
    geographical_indication: Facet = None,
    category_path: Facet = None,
    locality: Facet = None,
) -> SearchResponse:
    service = request.app.state.search
    if service is None:
        raise Problem(503, "Search unavailable", "search is not configured: set MEILI_URL")
    filters = {
        name: values
        for name, values in {
            "doc_type": doc_type,
            "status": status,
            "mandatory": mandatory,
            "year": year,
            "ics": ics,
            "issuer_code": issuer_code,
            "kind": kind,
            "ocop_stars": ocop_stars,
            "geographical_indication": geographical_indication,
            "category_path": category_path,
            "locality": locality,
        }.items()
        if values
    }
    try:
        return await service.search(
            q, scope=search_scope, filters=filters, limit=limit, offset=offset
        )
    except InvalidQuery as exc:
        raise Problem(400, "Invalid request", str(exc)) from exc
    except MeiliUnavailable as exc:
        log.debug("search unavailable: %s", exc)  # the address stays in the log
        seconds = exc.retry_seconds()
        raise Problem(
            503,
            "Search unavailable",
            f"search is unavailable; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        ) from exc
    except SearchError as exc:
        if "index_not_found" in str(exc):
            raise Problem(
                503,
                "Search index not built",
                f"{exc}; run `tieuchuan index rebuild`",
                headers={"Retry-After": "60"},
            ) from exc
        raise Problem(502, "Search failed", str(exc)) from exc
