"""A barcode scanned (or typed) into the search box: it goes to the product that carries it;
a valid one no product carries is said to be so, with its GS1 prefix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from api.services.gtin import gtin_in_query, product_hit, registered_product
from catalog.gtin import Gs1Prefix, Gtin
from catalog.models import Product
from search.hits import SearchResponse


@dataclass(frozen=True)
class Scanned:
    gtin: Gtin
    product: Product | None

    @property
    def owner(self) -> Gs1Prefix | None:
        return self.gtin.prefix_owner()

    def results(self, query: str) -> SearchResponse:
        """The registered product as the search's one result."""
        assert self.product is not None
        return SearchResponse(query, "all", (product_hit(self.product),), 1, {}, 0, None)


async def scanned(request: Request[Any, Any, Any]) -> Scanned | None:
    """The search query as a GTIN, with the product carrying it; None when it is no GTIN."""
    gtin = gtin_in_query(request.query_params.get("q") or "")
    if gtin is None:
        return None
    return Scanned(gtin, await registered_product(request, gtin))
