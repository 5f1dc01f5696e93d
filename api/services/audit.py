"""The audit log: every write through the API, who made it, and the record before and after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.schemas import AuditEntry, AuditPage
from catalog import clock
from catalog.models import ApiKey, AuditLog, saved_id, table_name
from catalog.upsert import ChangeContext, UpsertResult


@dataclass
class Audit:
    """Records writes in the caller's session, so they commit (or roll back) together."""

    session: Session
    key: ApiKey | None

    def record(
        self, action: str, table: str, record_id: int | None, before: Any, after: Any
    ) -> None:
        self.session.add(
            AuditLog(
                api_key_id=self.key.id if self.key else None,
                action=action,
                table_name=table,
                record_id=record_id,
                before=_json(before),
                after=_json(after),
            )
        )

    def context(self) -> ChangeContext:
        """The field history's record of who changed what: the key's name."""
        return ChangeContext(actor=self.key.name if self.key else None)

    def provenance(self) -> dict[str, Any]:
        """Where a record written through the API came from: the API, and the key's prefix."""
        return {"source": "api", "source_ref": self.key.prefix if self.key else None}

    def record_upsert(self, result: UpsertResult, after: Any) -> None:
        """An upsert's outcome (new, updated, unchanged), with the fields it changed before."""
        before = {c.field: c.old_value for c in result.changes} or None
        self.record(str(result.outcome), table_name(result.row), result.row.id, before, after)


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


def audit_page(session: Session, *, table: str | None, limit: int, offset: int) -> AuditPage:
    query = select(AuditLog)
    if table:
        query = query.where(AuditLog.table_name == table)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(AuditLog.id).desc()).limit(limit).offset(offset)).all()
    keys = {
        k.id: k
        for k in session.exec(
            select(ApiKey).where(col(ApiKey.id).in_({r.api_key_id for r in rows}))
        )
    }
    return AuditPage(
        total=total,
        limit=limit,
        offset=offset,
        items=[
            AuditEntry(
                id=saved_id(r),
                at=clock.local(r.at),
                key=f"{keys[r.api_key_id].name} ({keys[r.api_key_id].prefix}…)"
                if r.api_key_id in keys
                else None,
                action=r.action,
                table_name=r.table_name,
                record_id=r.record_id,
                before=msgspec.json.decode(r.before) if r.before else None,
                after=msgspec.json.decode(r.after) if r.after else None,
            )
            for r in rows
        ],
    )
