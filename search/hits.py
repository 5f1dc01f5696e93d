"""What a search answers: hits with their highlights (HTML-escaped, ``<mark>`` around
matches), the response, and the product candidates a text may name."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Literal

from search.documents import DOCUMENTS

PRE, POST = "\x02", "\x03"  # highlight marks, replaced by <mark> after HTML-escaping


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


@dataclass(frozen=True)
class ProductCandidate:
    id: int
    slug: str
    name: str
    kind: str
    exact: bool  # the text names it exactly (folded), as name or alias


def hit_of(name: str, hit: dict[str, Any], code_match: bool) -> SearchHit:
    formatted = hit.get("_formatted") or {}
    highlights = {}
    for attribute, value in formatted.items():
        text = ", ".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and PRE in text:
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
    return html.escape(text).replace(PRE, "<mark>").replace(POST, "</mark>")
