"""A barcode: GET /api/v1/gtin/{code}."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.params import Parameter

from api.controllers.products import answer_for
from api.params import AsOf
from api.problems import problem_responses
from api.services.gtin import GtinAnswer, gtin_answer, gtin_asked, registered_product


@get(
    "/gtin/{code:str}",
    summary="A barcode (GTIN-8/12/13/14): valid or why not, its GS1 prefix, and the product",
    tags=["products"],
    responses=problem_responses(400),
)
async def get_gtin(
    request: Request,
    code: Annotated[
        str,
        Parameter(
            description="The number under the barcode: 8, 12, 13 or 14 digits, the last a "
            "valid check digit",
            max_length=40,
        ),
    ],
    as_of: AsOf = None,
) -> GtinAnswer:
    """The check digit is checked; the GS1 prefix names the member organisation that licensed
    the number (893: GS1 Vietnam), not where the product was made. A registered product comes
    with what applies to it; a valid number no product carries is said to be so (200)."""
    gtin = gtin_asked(code)
    product = await registered_product(request, gtin)
    answer = None
    if product is not None:
        answer = await answer_for(request, product.slug, as_of, None, False)
    return gtin_answer(gtin, product, answer)
