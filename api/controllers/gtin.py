"""A barcode: GET /api/v1/gtin/{code}."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.params import Parameter

from api.controllers.applicable import spliced
from api.controllers.products import encoded_answer
from api.facts_param import FactsQuery, facts_asked
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
    facts: FactsQuery = None,
) -> GtinAnswer:
    """The check digit is checked; the GS1 prefix names the member organisation that licensed
    the number (893: GS1 Vietnam), not where the product was made. A registered product comes
    with what applies to it (settled by ``facts``, as the product's own answer); a valid
    number no product carries is said to be so (200)."""
    gtin = gtin_asked(code)
    facts_asked(facts)  # a malformed one is refused whether the number is registered or not
    product = await registered_product(request, gtin)
    answer = None
    if product is not None:
        found = await encoded_answer(request, product.slug, as_of, None, False, None, facts)
        answer = spliced(found.body)
    return gtin_answer(gtin, product, answer)
