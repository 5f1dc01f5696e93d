"""Full-text search across documents and products (Meilisearch)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from litestar import Request, get
from litestar.params import Parameter, QueryParameter
from msgspec import Meta

from api.deps import Search
from api.problems import Problem, problem_responses
from api.schemas import ICS_PATTERN
from api.services.gtin import gtin_in_query, product_hit, registered_product
from catalog.codes import DocType
from catalog.vocab import ProductKind, Status
from search.errors import InvalidQuery, SearchError
from search.hits import SearchResponse
from search.server import MeiliUnavailable

_FACET = "Facet filter; repeat for OR"
_TRUTH = Literal["true", "false"]
# A facet's values are those its index holds; a value no document or product can have is a
# 400, not an empty answer, so a misspelt filter is seen.
Facet = Annotated[list[str] | None, Parameter(description=_FACET, max_items=20)]
Truth = Annotated[list[_TRUTH] | None, Parameter(description=_FACET, max_items=20)]


def _patterned(pattern: str, example: str) -> Any:
    """The parameter of a facet whose values match ``pattern`` (stated for the items)."""
    return Parameter(
        description=f"{_FACET} (e.g. {example})",
        max_items=20,
        schema_extra={"items": {"type": "string", "pattern": pattern}},
    )


_YEAR, _STARS = r"^[0-9]{4}$", r"^[1-5]$"
Year = Annotated[list[Annotated[str, Meta(pattern=_YEAR)]] | None, _patterned(_YEAR, "2023")]
Ics = Annotated[
    list[Annotated[str, Meta(pattern=ICS_PATTERN)]] | None, _patterned(ICS_PATTERN, "67.080.10")
]
Stars = Annotated[list[Annotated[str, Meta(pattern=_STARS)]] | None, _patterned(_STARS, "4")]
log = logging.getLogger(__name__)


@get(
    "/search",
    summary="Search documents and products, with facets",
    tags=["search"],
    responses=problem_responses(400, 503),
)
async def search(
    request: Request,
    search: Search,
    q: Annotated[str, Parameter(description="Words or a code", max_length=200)] = "",
    search_scope: Annotated[
        Literal["all", "documents", "products"],
        QueryParameter(name="scope", description="Which index to search"),
    ] = "all",
    limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    offset: Annotated[int, Parameter(ge=0, le=1000)] = 0,
    doc_type: Annotated[list[DocType] | None, Parameter(description=_FACET, max_items=20)] = None,
    status: Annotated[list[Status] | None, Parameter(description=_FACET, max_items=20)] = None,
    mandatory: Truth = None,
    year: Year = None,
    ics: Ics = None,
    issuer_code: Facet = None,
    kind: Annotated[list[ProductKind] | None, Parameter(description=_FACET, max_items=20)] = None,
    ocop_stars: Stars = None,
    geographical_indication: Truth = None,
    category_path: Facet = None,
    locality: Facet = None,
) -> SearchResponse:
    if search_scope != "documents" and (gtin := gtin_in_query(q)) is not None:
        found = await registered_product(request, gtin)
        if found is not None:  # a scanned barcode goes to its product
            return SearchResponse(q, search_scope, (product_hit(found),), 1, {}, 0, gtin.digits)
    if search is None:
        raise Problem(503, "Search unavailable", "search is not configured: set MEILI_URL")
    chosen: dict[str, Sequence[str] | None] = {  # the enums are StrEnums: their values are str
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
    }
    filters = {name: list(values) for name, values in chosen.items() if values}
    try:
        return await search.search(
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
