"""A product not in the registry, described by its HS code and/or category: what applies."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Request, Response, get
from litestar.params import Parameter
from sqlmodel import Session

from api.controllers.products import MandatoryOnly, RoleFilter
from api.deps import DbSession
from api.facts_param import FactsQuery, facts_asked
from api.params import AsOf, Market, day_asked, market_asked
from api.problems import problem_responses
from api.responses import CSV, XLSX, Download, send
from api.services import checklist
from api.services.any_product import Described, DescribedAnswer, answer_described, describe
from api.services.todo import plan_for
from api.state import answers_of
from catalog.hs import HS_PATTERN
from catalog.vocab import Role

Hs = Annotated[
    str | None,
    Parameter(
        description="HS code: 4, 6 or 8 digits (Vietnam's tariff line), with or without dots "
        "(0902, 0902.30, 09023010, 0902.30.10)",
        max_length=20,
        required=False,
        schema_extra={"pattern": HS_PATTERN},
    ),
]
Category = Annotated[
    str | None,
    Parameter(
        description="Category slug, id or name (GET /api/v1/categories lists them)",
        max_length=200,
        required=False,
    ),
]


class AnyProductController(Controller):
    path = "/applicable/any"
    tags = ("applicability",)

    @get(
        "/",
        summary="What applies to a product not in the registry, by HS code and/or category",
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def applicable_any(
        self,
        request: Request,
        db_session: DbSession,
        hs: Hs = None,
        category: Category = None,
        as_of: AsOf = None,
        role: RoleFilter = None,
        mandatory_only: MandatoryOnly = False,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> DescribedAnswer:
        """An HS code reaches the rules on it and on the codes enclosing it, and the categories
        of the registered products filed under it (else sharing its subheading or heading:
        their nearest common category), each with the products that led to it. A category
        reaches its rules and those of the categories above it. Each entry says what the
        ``facts`` given make of it, and the questions still open that would settle it."""
        return self._answer(
            request, db_session, hs, category, as_of, role, mandatory_only, market, facts
        ).schema

    @get(
        "/checklist.csv",
        summary="The answer for a described product as a CSV compliance checklist",
        media_type=CSV,
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def checklist_csv(
        self,
        request: Request,
        db_session: DbSession,
        hs: Hs = None,
        category: Category = None,
        as_of: AsOf = None,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> Response[bytes]:
        found = self._answer(request, db_session, hs, category, as_of, None, False, market, facts)
        return send(_checklist(db_session, found, "csv"))

    @get(
        "/checklist.xlsx",
        summary="The answer for a described product as an XLSX compliance checklist",
        media_type=XLSX,
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def checklist_xlsx(
        self,
        request: Request,
        db_session: DbSession,
        hs: Hs = None,
        category: Category = None,
        as_of: AsOf = None,
        market: Market = None,
        facts: FactsQuery = None,
    ) -> Response[bytes]:
        found = self._answer(request, db_session, hs, category, as_of, None, False, market, facts)
        return send(_checklist(db_session, found, "xlsx"))

    @staticmethod
    def _answer(
        request: Request,
        db_session: DbSession,
        hs: str | None,
        category: str | None,
        as_of: str | None,
        role: Role | None,
        mandatory_only: bool,
        market: str | None,
        facts: str | None,
    ) -> Described:
        day, member, given = day_asked(as_of), market_asked(market), facts_asked(facts)
        description = describe(db_session, hs, category)
        answers = answers_of(request.app.state)
        return answer_described(
            db_session,
            answers.graph,
            description,
            day,
            role=role,
            mandatory_only=mandatory_only,
            market=member,
            facts=given,
        )


def _checklist(session: Session, found: Described, kind: Literal["csv", "xlsx"]) -> Download:
    """The described product's checklist, settled by the facts given, with its to-do list."""
    settled = found.settled if found.settled.given else None
    todo = plan_for(session, found.answer, settled, categories=found.category_ids)
    asked = found.schema
    parts = ["hs-" + asked.hs.replace(".", "")] if asked.hs else []
    if asked.category:
        parts.append(asked.category)
    name = f"checklist-{'-'.join(parts)}-{found.answer.as_of.isoformat()}.{kind}"
    if kind == "csv":
        return Download(checklist.to_csv(found.answer, settled, todo), CSV, name)
    return Download(checklist.to_xlsx(found.answer, settled, todo), XLSX, name)
