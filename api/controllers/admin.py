"""Writes for officials: applicability rules; keys and the audit log for administrators."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody, Parameter

from api.auth import KEY_SECURITY, issue_key, requires
from api.deps import AuditLog, DbSession, after_write
from api.problems import problem_responses
from api.schemas import AuditPage, KeyCreate, KeyIssued, RuleCreate, RuleOut, RuleUpdate
from api.services.audit import audit_page
from api.services.rules import RuleService
from catalog.vocab import ApiRole

RuleId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


class RuleController(Controller):
    path = "/rules"
    tags = ("rules",)

    @get(
        "/{rule_id:int}",
        summary="One applicability rule",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def get_rule(self, db_session: DbSession, rule_id: RuleId) -> RuleOut:
        service = RuleService(db_session)
        return service.out(service.get(rule_id))

    @post(
        "/",
        summary="Add a rule (editor)",
        guards=[requires(ApiRole.EDITOR)],
        security=KEY_SECURITY,
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    def create_rule(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[RuleCreate]
    ) -> RuleOut:
        out = RuleService(db_session).create(data, audit)
        after_write(request)
        return out

    @patch(
        "/{rule_id:int}",
        summary="Change a rule (editor)",
        guards=[requires(ApiRole.EDITOR)],
        security=KEY_SECURITY,
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    def update_rule(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        rule_id: RuleId,
        data: JSONBody[RuleUpdate],
    ) -> RuleOut:
        service = RuleService(db_session)
        out = service.update(service.get(rule_id), data, audit)
        after_write(request)
        return out

    @delete(
        "/{rule_id:int}",
        summary="Remove a rule (editor)",
        guards=[requires(ApiRole.EDITOR)],
        security=KEY_SECURITY,
        sync_to_thread=True,
        responses=problem_responses(401, 403, 404),
    )
    def delete_rule(
        self, request: Request, db_session: DbSession, audit: AuditLog, rule_id: RuleId
    ) -> None:
        service = RuleService(db_session)
        service.delete(service.get(rule_id), audit)
        after_write(request)


class AdminController(Controller):
    path = "/admin"
    tags = ("admin",)
    guards = (requires(ApiRole.ADMIN),)
    security = KEY_SECURITY

    @post(
        "/keys",
        summary="Issue an API key (admin); the key is shown once",
        sync_to_thread=True,
        responses=problem_responses(401, 403),
    )
    def create_key(self, db_session: DbSession, data: JSONBody[KeyCreate]) -> KeyIssued:
        issued = issue_key(db_session, data.name, data.role)
        return KeyIssued(
            id=issued.id, name=issued.name, role=issued.role, prefix=issued.prefix, key=issued.key
        )

    @get(
        "/audit",
        summary="The audit log, newest first (admin)",
        sync_to_thread=True,
        responses=problem_responses(401, 403),
    )
    def audit_log(
        self,
        db_session: DbSession,
        table: Annotated[str | None, Parameter(max_length=60)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,
    ) -> AuditPage:
        return audit_page(db_session, table=table, limit=limit, offset=offset)
