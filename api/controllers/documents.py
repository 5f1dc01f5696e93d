"""Documents by code, and drafts of local regulations."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, Parameter

from api.auth import requires
from api.deps import AuditLog, DbSession, after_write
from api.problems import problem_responses
from api.schemas import DocumentDetail, DraftCreate, DraftUpdate
from api.services.documents import DocumentService
from catalog.vocab import ApiRole

CODE_PATH_MAX = 200
# A ``{code:path}`` value reaches validation with the path's leading slash, one character
# more than the client sent: validated with that slash, documented without it.
Code = Annotated[
    str,
    Parameter(
        description="The code in any spelling the grammar accepts (QCVN 8-2:2011/BYT, "
        "qcvn 8-2 2011 byt, tcvn5603:2023) or its slug",
        min_length=2,
        max_length=CODE_PATH_MAX + 1,
        schema_extra={"minLength": 1, "maxLength": CODE_PATH_MAX},
    ),
]


class DocumentController(Controller):
    path = "/documents"
    tags = ("documents",)

    @get(
        "/{code:path}",
        summary="One document, its editions, citations and products",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def get_document(self, db_session: DbSession, code: Code) -> DocumentDetail:
        service = DocumentService(db_session)
        return service.detail(service.find(code))


class DraftController(Controller):
    path = "/drafts"
    tags = ("drafts",)
    guards = (requires(ApiRole.EDITOR),)

    @post(
        "/",
        summary="Start a draft local regulation (QCĐP) (editor)",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 409),
    )
    def create_draft(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[DraftCreate]
    ) -> DocumentDetail:
        detail = DocumentService(db_session).create_draft(data, audit)
        after_write(request)
        return detail

    @patch(
        "/{code:path}",
        summary="Change a QCĐP: text, status, dates (editor)",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    def update_draft(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        code: Code,
        data: JSONBody[DraftUpdate],
    ) -> DocumentDetail:
        service = DocumentService(db_session)
        detail = service.update_draft(service.find(code), data, audit)
        after_write(request)
        return detail
