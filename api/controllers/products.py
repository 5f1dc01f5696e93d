"""Products, and what applies to them."""

from __future__ import annotations

import math
from typing import Annotated

import anyio
from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, JSONBody, Parameter
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)
from sqlmodel import Session

from api.auth import requires
from api.deps import AuditLog, DbSession, after_write
from api.facts_param import FactsQuery, facts_asked
from api.params import AsOf, Market, day_asked, market_asked
from api.problems import problem_responses
from api.responses import CSV, XLSX, Download, send
from api.schemas import ProductCreate, ProductDetail, ProductPage, ProductUpdate
from api.services import checklist, facts_json
from api.services.answers import AnswerKey, AnswerService
from api.services.encoded_answers import EncodedAnswer, tagged
from api.services.products import ProductService
from api.services.todo import ObligationsOut, plan_for, to_out
from catalog import clock
from catalog.answer_facts import FactsAnswer
from catalog.applicability import Applicability
from catalog.facts import Facts
from catalog.obligations import ObligationPlan
from catalog.vocab import ApiRole, ProductKind, Role

ProductRef = Annotated[
    str,
    Parameter(description="Product id, slug, name or alias", min_length=1, max_length=200),
]
RoleFilter = Annotated[Role | None, Parameter(description="Only entries with this role")]
MandatoryOnly = Annotated[bool, Parameter(description="Only mandatory entries")]


async def encoded_answer(
    request: Request,
    reference: str,
    as_of: str | None,
    role: Role | None,
    mandatory_only: bool,
    market: str | None = None,
    facts: str | None = None,
) -> EncodedAnswer:
    """:func:`answer_for` as its JSON, which the service holds for the days it covers; with
    ``facts``, settled by them (api/facts_param.py), computed each time."""
    answers: AnswerService = request.app.state.answers
    key = (reference, day_asked(as_of), role, mandatory_only, market_asked(market))
    given = facts_asked(facts)
    if given:
        # The facts given are written in the body: no other facts share its tag.
        return tagged(facts_json.facts_answer_json(await settled_for(request, key, given)))
    held = answers.json_now(key)
    return held if held is not None else await anyio.to_thread.run_sync(answers.json, key)


async def answer_json(
    request: Request,
    reference: str,
    as_of: str | None,
    role: Role | None,
    mandatory_only: bool,
    market: str | None = None,
    facts: str | None = None,
) -> ASGIApp:
    """:func:`encoded_answer` as the response."""
    found = await encoded_answer(request, reference, as_of, role, mandatory_only, market, facts)
    cache_control = None
    if as_of is None:  # today's answer: not cached past midnight in the configured zone
        left = math.ceil(clock.until_tomorrow().total_seconds())
        max_age = min(request.app.state.settings.cache_max_age, left)
        cache_control = f"public, max-age={max_age}"
    return json_response(found.body, found.etag, cache_control)


def json_response(body: bytes, etag: str | None, cache_control: str | None = None) -> ASGIApp:
    """A 200 response of JSON ``body``, sent as it is. The answer is the API's most asked and
    its JSON is ready: Litestar's Response would cost a fifth of the time it takes to serve."""
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if etag:
        headers.append((b"etag", etag.encode("latin-1")))
    if cache_control:
        headers.append((b"cache-control", cache_control.encode("latin-1")))

    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 200,
        "headers": headers,
    }
    content: HTTPResponseBodyEvent = {
        "type": "http.response.body",
        "body": body,
        "more_body": False,
    }

    async def respond(scope: Scope, receive: Receive, send: Send) -> None:
        await send(start)
        await send(content)

    return respond


async def answer_for(
    request: Request,
    reference: str,
    as_of: str | None,
    role: Role | None,
    mandatory_only: bool,
    market: str | None = None,
) -> Applicability:
    """The engine's answer: in memory on the event loop when the catalog graph is fresh,
    else in a worker thread (which checks the catalog's version, or resolves an unknown
    product with suggestions). ``market`` is a country or WTO member code, as asked."""
    answers: AnswerService = request.app.state.answers
    key = (reference, day_asked(as_of), role, mandatory_only, market_asked(market))
    answer = answers.answer_now(key)
    if answer is None:
        answer = await anyio.to_thread.run_sync(answers.answer, key)
    return answer


async def todo_for(
    db_session: Session, answer: Applicability, settled: FactsAnswer | None = None
) -> ObligationPlan:
    """The answer's to-do list (issue 14), of the documents ``settled`` keeps when facts were
    given; the product's categories come from the store."""
    return await anyio.to_thread.run_sync(plan_for, db_session, answer, settled)


async def settled_for(request: Request, key: AnswerKey, facts: Facts) -> FactsAnswer:
    """The answer settled by ``facts`` (catalog/answer_facts.py), as :func:`answer_for`."""
    answers: AnswerService = request.app.state.answers
    found = answers.facts_now(key, facts)
    if found is None:
        found = await anyio.to_thread.run_sync(answers.facts, key, facts)
    return found


async def checklist_answer(
    request: Request, reference: str, as_of: str | None, market: str | None, facts: str | None
) -> tuple[Applicability, FactsAnswer | None]:
    """The answer a checklist lists, and what ``facts`` make of it when given."""
    given = facts_asked(facts)
    if not given:
        return await answer_for(request, reference, as_of, None, False, market), None
    key = (reference, day_asked(as_of), None, False, market_asked(market))
    settled = await settled_for(request, key, given)
    return settled.answer, settled


class ProductController(Controller):
    path = "/products"
    tags = ("products",)

    @get("/", summary="List products", sync_to_thread=True)
    def list_products(
        self,
        db_session: DbSession,
        q: Annotated[
            str | None, Parameter(description="Words of the name or an alias", max_length=200)
        ] = None,
        kind: FromQuery[ProductKind | None] = None,
        category: Annotated[
            str | None, Parameter(description="Category slug (with subcategories)", max_length=200)
        ] = None,
        locality: Annotated[
            str | None,
            Parameter(description="Locality slug (with the places in it)", max_length=200),
        ] = None,
        ocop_stars: Annotated[int | None, Parameter(ge=1, le=5)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,
    ) -> ProductPage:
        return ProductService(db_session).list(
            q=q,
            kind=kind,
            category=category,
            locality=locality,
            ocop_stars=ocop_stars,
            limit=limit,
            offset=offset,
        )

    @get("/{ref:str}", summary="One product", sync_to_thread=True, responses=problem_responses(404))
    def get_product(self, db_session: DbSession, ref: ProductRef) -> ProductDetail:
        service = ProductService(db_session)
        return service.detail(service.find(ref))

    @get(
        "/{ref:str}/applicable",
        summary="What applies to the product on a day, and why",
        responses={
            200: ResponseSpec(data_container=facts_json.Applicability, description="The answer"),
            **problem_responses(404),
        },
    )
    async def applicable(
        self,
        request: Request,
        ref: ProductRef,
        as_of: AsOf = None,
        role: RoleFilter = None,
        mandatory_only: MandatoryOnly = False,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> ASGIApp:
        """Documents in force, upcoming, withdrawn and out of scope, and drafts notified to
        the WTO still under way (Viet Nam's, and ``market``'s when given). Each entry says
        what the facts given (and the product's own, from the registry) make of it: applies,
        does not apply (with the condition they fail) or depends on (the questions that
        would settle it); the answer lists those questions, the most useful first."""
        return await answer_json(request, ref, as_of, role, mandatory_only, market, facts)

    @get(
        "/{ref:str}/checklist.csv",
        summary="The answer as a CSV compliance checklist",
        media_type=CSV,
        responses=problem_responses(404),
    )
    async def checklist_csv(
        self,
        request: Request,
        db_session: DbSession,
        ref: ProductRef,
        as_of: AsOf = None,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> Response[bytes]:
        answer, settled = await checklist_answer(request, ref, as_of, market, facts)
        todo = await todo_for(db_session, answer, settled)
        csv = checklist.to_csv(answer, settled, todo)
        return send(Download(csv, CSV, checklist.filename(answer, "csv")))

    @get(
        "/{ref:str}/checklist.xlsx",
        summary="The answer as an XLSX compliance checklist",
        media_type=XLSX,
        responses=problem_responses(404),
    )
    async def checklist_xlsx(
        self,
        request: Request,
        db_session: DbSession,
        ref: ProductRef,
        as_of: AsOf = None,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> Response[bytes]:
        answer, settled = await checklist_answer(request, ref, as_of, market, facts)
        todo = await todo_for(db_session, answer, settled)
        content = await anyio.to_thread.run_sync(checklist.to_xlsx, answer, settled, todo)
        return send(Download(content, XLSX, checklist.filename(answer, "xlsx")))

    @get(
        "/{ref:str}/obligations",
        summary="What the producer has to do because of the documents in force on a day",
        responses=problem_responses(404),
    )
    async def obligations(
        self,
        request: Request,
        db_session: DbSession,
        ref: ProductRef,
        as_of: AsOf = None,
        facts: FactsQuery = None,
    ) -> ObligationsOut:
        """Each step (self-declaration, declaration of conformity, labelling, testing,
        certification…) with its status, legal basis, receiving authority and review, and the
        documents that lead to it; a binding step whose basis is not confirmed reads
        ``not_confirmed``. With ``facts``, documents they rule out lead to no step. A separate
        endpoint, so the held applicability answer and its pinned JSON stay as they are."""
        answer, settled = await checklist_answer(request, ref, as_of, None, facts)
        return to_out(answer, await todo_for(db_session, answer, settled))

    @post(
        "/",
        summary="Create a product (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 409),
    )
    def create_product(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        data: JSONBody[ProductCreate],
    ) -> ProductDetail:
        detail = ProductService(db_session).create(data, audit)
        after_write(request)
        return detail

    @patch(
        "/{ref:str}",
        summary="Change a product (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404),
    )
    def update_product(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        ref: ProductRef,
        data: JSONBody[ProductUpdate],
    ) -> ProductDetail:
        service = ProductService(db_session)
        detail = service.update(service.find(ref), data, audit)
        after_write(request)
        return detail
