"""The declarations register over the store: listed with filters, as a workbook, and
recorded one at a time (audited, with the field history of :mod:`catalog.upsert`)."""

from __future__ import annotations

from datetime import date

import msgspec
from sqlmodel import Session

from api.declarations.schemas import DeclarationCreate, DeclarationsResponse
from api.problems import Problem
from api.responses import Download, workbook_download
from api.services.audit import Audit
from catalog.declarations import (
    DeclarationError,
    DeclarationInput,
    DeclarationView,
    declaration_table,
    list_declarations,
    save_declaration,
)
from catalog.vocab import DeclarationKind

REGISTER_TITLE = "Sổ theo dõi công bố hợp chuẩn, hợp quy, tự công bố và chứng nhận"


def register_workbook(views: list[DeclarationView], heading: list[str], filename: str) -> Download:
    return workbook_download([declaration_table(views)], [REGISTER_TITLE, *heading], filename)


class DeclarationService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(
        self,
        day: date,
        *,
        kind: DeclarationKind | None = None,
        enterprise: str | None = None,
        product: str | None = None,
        valid_only: bool = False,
    ) -> list[DeclarationView]:
        return list_declarations(
            self.session,
            day=day,
            kind=kind,
            enterprise=enterprise,
            product=product,
            valid_only=valid_only,
        )

    def workbook(self, day: date) -> Download:
        return register_workbook(self.list(day), [], "declarations.xlsx")

    def create(self, data: DeclarationCreate, audit: Audit) -> DeclarationsResponse:
        item = DeclarationInput(**msgspec.structs.asdict(data))
        try:
            result = save_declaration(
                self.session, item, context=audit.context(), provenance=audit.provenance()
            )
        except DeclarationError as exc:
            raise Problem(400, "Invalid declaration", str(exc)) from exc
        audit.record_upsert(result, data)
        self.session.commit()
        views = [v for v in list_declarations(self.session) if v.id == result.row.id]
        return DeclarationsResponse(count=len(views), declarations=views)
