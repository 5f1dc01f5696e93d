"""Editors' verdicts on rules and document facts (verified / unverified / disputed)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, put
from litestar.params import JSONBody, Parameter

from api.auth import requires
from api.controllers.documents import Code
from api.deps import AuditLog, DbSession, after_write
from api.problems import problem_responses
from api.schemas import ReviewIn, ReviewOut
from api.services.documents import DocumentService
from api.services.reviews import ReviewService
from catalog.models import saved_id
from catalog.vocab import ApiRole, ReviewSubject

RuleId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


class ReviewController(Controller):
    path = "/reviews"
    tags = ("review",)
    guards = (requires(ApiRole.EDITOR),)

    @put(
        "/rules/{rule_id:int}",
        summary="Mark a rule verified, unverified or disputed, with a source (editor)",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404),
    )
    def review_rule(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        rule_id: RuleId,
        data: JSONBody[ReviewIn],
    ) -> ReviewOut:
        service = ReviewService(db_session)
        rule, label = service.rule(rule_id)
        out = service.review(ReviewSubject.RULE, saved_id(rule), label, data, audit)
        after_write(request)
        return out

    @put(
        "/documents/{code:path}",
        summary="Mark a document's status, dates and succession verified, unverified or "
        "disputed, with a source (editor)",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404),
    )
    def review_document(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        code: Code,
        data: JSONBody[ReviewIn],
    ) -> ReviewOut:
        doc = DocumentService(db_session).find(code)
        out = ReviewService(db_session).review(
            ReviewSubject.DOCUMENT, saved_id(doc), doc.code, data, audit
        )
        after_write(request)
        return out
