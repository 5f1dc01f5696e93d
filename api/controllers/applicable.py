"""The question in plain words: what applies to "cam sành Hàm Yên"?"""

from __future__ import annotations

from typing import Annotated, cast

import anyio
import msgspec
from litestar import Request, get
from litestar.params import Parameter
from sqlmodel import Session

from api.controllers.products import MandatoryOnly, RoleFilter, encoded_answer
from api.facts_param import FactsQuery, facts_asked
from api.params import AsOf
from api.problems import NotFound, problem_responses
from api.schemas import Candidate, ResolvedAnswer
from api.services import facts_json
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
    facts: FactsQuery = None,
) -> ResolvedAnswer:
    """One exact match (name or alias, with or without diacritics), or a single hit, is
    answered (as the product's own answer is, settled by ``facts``); otherwise the candidates
    come back to choose from. Uses Meilisearch when it is reachable, else the database."""
    text = clean(product) or ""
    facts_asked(facts)  # a malformed one is refused whatever the text resolves to
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
        return await _by_database(request, text, as_of, role, mandatory_only, facts)
    if not candidates:
        raise NotFound("product", text, [])
    exact = [c for c in candidates if c.exact]
    chosen = exact[0] if len(exact) == 1 else candidates[0] if len(candidates) == 1 else None
    if chosen is None:
        return ResolvedAnswer(query=text, resolved_by="search", candidates=candidates, answer=None)
    found = await encoded_answer(request, str(chosen.id), as_of, role, mandatory_only, None, facts)
    return ResolvedAnswer(
        query=text, resolved_by="search", candidates=[chosen], answer=spliced(found.body)
    )


async def _by_database(
    request: Request,
    text: str,
    as_of: str | None,
    role: Role | None,
    mandatory_only: bool,
    facts: str | None,
) -> ResolvedAnswer:
    def resolve() -> Candidate:
        with Session(request.app.state.engine) as session:
            try:
                p = resolve_product(session, text)
            except ProductNotFound as exc:
                raise product_not_found(exc) from exc
            return Candidate(id=saved_id(p), slug=p.slug, name=p.name_vi, kind=p.kind, exact=True)

    chosen = await anyio.to_thread.run_sync(resolve)
    found = await encoded_answer(request, str(chosen.id), as_of, role, mandatory_only, None, facts)
    return ResolvedAnswer(
        query=text,
        resolved_by="database",
        candidates=[chosen],
        answer=spliced(found.body),
    )


def spliced(body: bytes) -> facts_json.Applicability:
    """The answer's JSON as it is, in the place of the answer it encodes: msgspec writes a
    Raw value as its bytes, whatever the field's declared type."""
    return cast(facts_json.Applicability, msgspec.Raw(body))
