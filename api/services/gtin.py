"""Barcodes asked about: is the number a GTIN, whose prefix is it, which product carries it.

``GET /api/v1/gtin/{code}``, the search endpoint and the web search box share these: a scanned
barcode goes to the registered product; a valid one no product carries is said to be so.
"""

from __future__ import annotations

from typing import Literal

import anyio
from litestar import Request
from msgspec import Struct
from sqlmodel import Session

from api.problems import Problem
from api.services import facts_json
from api.state import engine_of
from catalog.gtin import LENGTHS, Gtin, GtinError, parse_gtin
from catalog.models import Product, ProductGtin
from search.hits import SearchHit


class GtinProduct(Struct, kw_only=True):
    id: int
    slug: str
    name_vi: str
    name_en: str | None


class GtinAnswer(Struct, kw_only=True):
    """What a barcode number is, and the registered product it names, with what applies."""

    gtin: str  # as asked, digits only
    kind: Literal["GTIN-8", "GTIN-12", "GTIN-13", "GTIN-14"]
    gtin14: str  # padded to 14 digits: the same for each way of writing it
    prefix: str | None  # the GS1 prefix (none for a GTIN-8)
    prefix_range: str | None  # the range of the bundled table it falls in
    prefix_organisation: str | None  # the GS1 member organisation that licensed the number
    prefix_country: str | None
    registered: bool
    message: str
    product: GtinProduct | None
    answer: facts_json.Applicability | None  # the product's answer, as its own endpoint's


def gtin_asked(code: str) -> Gtin:
    """The GTIN of the path, or a 400 problem saying why it is not one."""
    try:
        stray = sorted({ch for ch in code if not (ch.isascii() and ch.isdigit())})
        if stray:
            shown = " ".join(repr(ch) for ch in stray)
            raise GtinError(code, f"it holds {shown}; a GTIN is digits only")
        return parse_gtin(code)
    except GtinError as exc:
        raise Problem(
            400, "Invalid GTIN", str(exc), parameter="code", expected_check_digit=exc.expected
        ) from None


def gtin_in_query(text: str) -> Gtin | None:
    """``text`` as a GTIN when it is one (what a scanner types into a search box), else None."""
    digits = "".join(text.split())
    if len(digits) not in LENGTHS or not digits.isdigit():
        return None
    try:
        return parse_gtin(digits)
    except GtinError:
        return None


def product_with(session: Session, gtin: Gtin) -> Product | None:
    """The registered product the GTIN is the barcode of."""
    found = session.get(ProductGtin, gtin.gtin14)
    return session.get(Product, found.product_id) if found is not None else None


async def registered_product(request: Request, gtin: Gtin) -> Product | None:
    """:func:`product_with` in a worker thread, with a session of its own."""

    def lookup() -> Product | None:
        with Session(engine_of(request.app.state)) as session:
            return product_with(session, gtin)

    return await anyio.to_thread.run_sync(lookup)


def gtin_answer(
    gtin: Gtin, product: Product | None, answer: facts_json.Applicability | None
) -> GtinAnswer:
    owner = gtin.prefix_owner()
    if gtin.prefix is None:
        origin = "a GTIN-8 (numbered from GS1's separate GTIN-8 list)"
    elif owner is None:
        origin = f"GS1 prefix {gtin.prefix}, which the bundled prefix table does not name"
    else:
        where = f", {owner.country}" if owner.country else ""
        origin = f"GS1 prefix {gtin.prefix}: {owner.organisation}{where}"
    if product is None:
        message = (
            f"{gtin.digits} is a valid {gtin.kind} ({origin}), but no product in the catalog "
            "carries it"
        )
    else:
        message = f"{gtin.digits} is the {gtin.kind} of {product.name_vi} ({origin})"
    return GtinAnswer(
        gtin=gtin.digits,
        kind=gtin.kind,
        gtin14=gtin.gtin14,
        prefix=gtin.prefix,
        prefix_range=owner.range if owner else None,
        prefix_organisation=owner.organisation if owner else None,
        prefix_country=owner.country if owner else None,
        registered=product is not None,
        message=message,
        product=(
            GtinProduct(
                id=product.id or 0,
                slug=product.slug,
                name_vi=product.name_vi,
                name_en=product.name_en,
            )
            if product is not None
            else None
        ),
        answer=answer,
    )


def product_hit(product: Product) -> SearchHit:
    """The registered product a scanned GTIN names, as a search hit."""
    return SearchHit(
        type="product",
        id=product.id or 0,
        slug=product.slug,
        code=None,
        title=product.name_vi,
        subtitle=product.name_en,
        status=None,
        superseded=False,
        code_match=True,
        highlights={},
    )
