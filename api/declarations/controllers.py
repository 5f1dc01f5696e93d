"""HTTP endpoints of the declarations register: read by anyone, written by editors."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody, Parameter

from api.auth import requires
from api.declarations.schemas import DeclarationCreate, DeclarationsResponse
from api.deps import AuditLog, Declarations
from api.params import AsOf, day_asked
from api.problems import problem_responses
from api.responses import XLSX, send
from catalog.vocab import ApiRole, DeclarationKind


class DeclarationController(Controller):
    path = "/"
    tags = ("declarations",)

    @get(
        "/declarations",
        summary="Declarations of conformity, self-declarations, certificates",
        sync_to_thread=True,
    )
    def list_all(
        self,
        declarations: Declarations,
        as_of: AsOf = None,
        kind: FromQuery[DeclarationKind | None] = None,
        enterprise: Annotated[str | None, Parameter(max_length=200)] = None,
        product: Annotated[str | None, Parameter(max_length=200)] = None,
        valid_only: FromQuery[bool] = False,
    ) -> DeclarationsResponse:
        views = declarations.list(
            day_asked(as_of),
            kind=kind,
            enterprise=enterprise,
            product=product,
            valid_only=valid_only,
        )
        return DeclarationsResponse(count=len(views), declarations=views)

    @get(
        "/declarations.xlsx",
        summary="The registry as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def xlsx(self, declarations: Declarations, as_of: AsOf = None) -> Response[bytes]:
        return send(declarations.workbook(day_asked(as_of)))

    @post(
        "/declarations",
        summary="Record a declaration or certificate (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403),
    )
    def create(
        self, declarations: Declarations, audit: AuditLog, data: JSONBody[DeclarationCreate]
    ) -> DeclarationsResponse:
        return declarations.create(data, audit)
