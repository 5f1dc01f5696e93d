"""The question in plain words: what applies to "cam sành Hàm Yên"?"""

from __future__ import annotations

from typing import Annotated

import anyio
from litestar import Request, get
from litestar.params import Parameter
from sqlmodel import Session

from api.controllers.products import MandatoryOnly, RoleFilter, answer_for
from api.params import AsOf
from api.problems import NotFound, problem_responses
from api.schemas import Candidate, ResolvedAnswer
from api.services.products import product_not_found
from catalog.models import saved_id
from catalog.products import ProductNotFound, resolve_product
from catalog.text import clean
from catalog.vocab import Role
from search.server import MeiliError


@get(
    "/applicable",
    summary="Resolve a product named in free text, then answer what applies to it",
    tags=["applicability"],
    responses=problem_responses(404),
)
async def applicable_by_text(
    request: Request,
    product: Annotated[
        str, Parameter(description="The product in words", min_length=1, max_length=200)
    ],
    as_of: AsOf = None,
    role: RoleFilter = None,
    mandatory_only: MandatoryOnly = False,
) -> ResolvedAnswer:
    """One exact match (name or alias, with or without diacritics), or a single hit, is
    answered; otherwise the candidates come back to choose from. Uses Meilisearch when it is
    reachable, else the database."""
    text = clean(product) or ""
    search = request.app.state.search
    candidates: list[Candidate] | None = None
    if search is not None:
        try:
            found = await search.resolve_product(text)
            candidates = [
                Candidate(id=c.id, slug=c.slug, name=c.name, kind=c.kind, exact=c.exact)
                for c in found
            ]
        except MeiliError:
            candidates = None
    if candidates is None:
        return await _by_database(request, text, as_of, role, mandatory_only)
    if not candidates:
        raise NotFound("product", text, [])
    exact = [c for c in candidates if c.exact]
    chosen = exact[0] if len(exact) == 1 else candidates[0] if len(candidates) == 1 else None
    if chosen is None:
        return ResolvedAnswer(query=text, resolved_by="search", candidates=candidates, answer=None)
    answer = await answer_for(request, str(chosen.id), as_of, role, mandatory_only)
    return ResolvedAnswer(query=text, resolved_by="search", candidates=[chosen], answer=answer)


async def _by_database(
    request: Request, text: str, as_of: str | None, role: Role | None, mandatory_only: bool
) -> ResolvedAnswer:
    def resolve() -> int:
        with Session(request.app.state.engine) as session:
            try:
                return saved_id(resolve_product(session, text))
            except ProductNotFound as exc:
                raise product_not_found(exc) from exc

    product_id = await anyio.to_thread.run_sync(resolve)
    answer = await answer_for(request, str(product_id), as_of, role, mandatory_only)
    p = answer.product
    return ResolvedAnswer(
        query=text,
        resolved_by="database",
        candidates=[Candidate(id=p.id, slug=p.slug, name=p.name_vi, kind=p.kind, exact=True)],
        answer=answer,
    )
