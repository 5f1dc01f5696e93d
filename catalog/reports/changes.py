"""The change feed: documents added, updated, superseded or withdrawn, and WTO notifications
and their addenda (:mod:`catalog.reports.notification_changes`), with the products each
change concerns.

Built from the field-level history that ingest and API writes record
(:class:`~catalog.models.FieldChange`) and from documents' creation times (creation is not
a field change). Field changes of one document made together (same time, same run or API
key) form one entry. An entry whose ``status`` became ``superseded`` or ``withdrawn`` is of
that kind; other field changes are updates. Entry ids are stable, so feed readers and
webhook receivers can tell a change they have already seen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from catalog import clock
from catalog.models import Document, DocumentRelation, FieldChange, saved_id
from catalog.reports.change_entries import (
    Change,
    ChangeKind,
    DocumentBrief,
    FieldDiff,
    shown,
    source_of,
    utc,
)
from catalog.reports.notification_changes import notification_changes
from catalog.reports.reach import Reach
from catalog.reports.tables import Table
from catalog.vocab import RelationKind, Status

__all__ = ["DEFAULT_WINDOW", "Change", "ChangeKind", "change_table", "changes", "utc"]

DEFAULT_WINDOW = timedelta(days=30)  # how far back a feed looks when not told


def changes(
    session: Session,
    since: datetime,
    *,
    until: datetime | None = None,
    after: bool = False,
    product_ids: Iterable[int] | None = None,
    limit: int | None = None,
    reach: Reach | None = None,
    members: Collection[str] | None = None,
) -> list[Change]:
    """Document changes and WTO notifications from ``since`` (exclusive when ``after``) to
    ``until``, newest first.

    With ``product_ids``, only changes that concern at least one of those products; with
    ``members`` (WTO member codes), another member's notifications only when it is among
    them (Viet Nam's always count).
    """
    since = utc(since)
    reach = reach or Reach(session)
    wanted = set(product_ids) if product_ids is not None else None
    added = _added(session, since, until, after)
    grouped = _grouped_field_changes(session, since, until, after)
    doc_ids = {saved_id(d) for d in added} | {key[0] for key in grouped}
    documents = {
        d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(doc_ids)))
    }
    replaces, replaced_by = _editions(session, doc_ids)
    entries: list[Change] = []
    for doc in added:
        entries.append(
            _entry(
                f"document-{doc.id}-added",
                ChangeKind.ADDED,
                utc(doc.created_at),
                doc,
                (),
                replaces,
                replaced_by,
                reach,
                source_of(doc.ingest_run_id, None),
            )
        )
    for (doc_id, at, run_id, actor), rows in grouped.items():
        changed = documents.get(doc_id)
        if changed is None:
            continue  # the document was deleted since
        diffs = tuple(
            FieldDiff(r.field, _value(r.old_value), _value(r.new_value))
            for r in sorted(rows, key=saved_id)
        )
        entries.append(
            _entry(
                f"change-{min(saved_id(r) for r in rows)}",
                _kind(diffs),
                utc(at),
                changed,
                diffs,
                replaces,
                replaced_by,
                reach,
                source_of(run_id, actor),
            )
        )
    entries += notification_changes(session, since, until, after, reach, members)
    if wanted is not None:
        entries = [e for e in entries if any(p.id in wanted for p in e.products)]
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return entries[:limit] if limit is not None else entries


def change_table(entries: list[Change]) -> Table:
    return Table(
        "Thay đổi",
        (
            f"Thời điểm ({clock.zone_label()})",
            "Loại",
            "Văn bản",
            "Tên",
            "Trường thay đổi",
            "Sản phẩm",
            "Nguồn",
            "Liên kết",
        ),
        tuple(
            (
                clock.local(e.at),
                e.kind.label_vi,
                e.subject,
                e.subject_title,
                [f"{d.field}: {shown(d.old)} → {shown(d.new)}" for d in e.fields],
                [p.name_vi for p in e.products],
                e.source,
                list(e.links),
            )
            for e in entries
        ),
    )


def _window(column: Any, since: datetime, until: datetime | None, after: bool) -> list[Any]:
    conditions = [column > since if after else column >= since]
    if until is not None:
        conditions.append(column <= utc(until))
    return conditions


def _added(
    session: Session, since: datetime, until: datetime | None, after: bool
) -> list[Document]:
    return list(
        session.exec(
            select(Document).where(*_window(col(Document.created_at), since, until, after))
        ).all()
    )


def _grouped_field_changes(
    session: Session, since: datetime, until: datetime | None, after: bool
) -> dict[tuple[Any, ...], list[FieldChange]]:
    rows = session.exec(
        select(FieldChange).where(
            FieldChange.table_name == Document.__tablename__,
            *_window(col(FieldChange.changed_at), since, until, after),
        )
    ).all()
    grouped: dict[tuple, list[FieldChange]] = defaultdict(list)
    for row in rows:
        grouped[(row.record_id, utc(row.changed_at), row.ingest_run_id, row.actor)].append(row)
    return grouped


def _editions(
    session: Session, doc_ids: set[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """For each document, the codes it replaces and the codes replacing it."""
    replaces: dict[int, list[str]] = defaultdict(list)
    replaced_by: dict[int, list[str]] = defaultdict(list)
    if not doc_ids:
        return replaces, replaced_by
    relations = session.exec(
        select(DocumentRelation).where(
            DocumentRelation.kind == RelationKind.REPLACES,
            (col(DocumentRelation.source_id).in_(doc_ids))
            | (col(DocumentRelation.target_id).in_(doc_ids)),
        )
    ).all()
    ids = {r.source_id for r in relations} | {r.target_id for r in relations}
    rows = session.exec(select(Document.id, Document.code).where(col(Document.id).in_(ids)))
    codes = {doc_id: code for doc_id, code in rows}
    for rel in relations:
        replaces[rel.source_id].append(codes[rel.target_id])
        replaced_by[rel.target_id].append(codes[rel.source_id])
    return replaces, replaced_by


def _entry(
    entry_id: str,
    kind: ChangeKind,
    at: datetime,
    doc: Document,
    diffs: tuple[FieldDiff, ...],
    replaces: dict[int, list[str]],
    replaced_by: dict[int, list[str]],
    reach: Reach,
    source: str | None,
) -> Change:
    doc_id = saved_id(doc)
    return Change(
        id=entry_id,
        kind=kind,
        at=at,
        document=DocumentBrief(
            id=doc_id,
            code=doc.code,
            slug=doc.slug,
            doc_type=str(doc.doc_type),
            title_vi=doc.title_vi,
            status=str(doc.status),
        ),
        fields=diffs,
        replaces=tuple(sorted(replaces.get(doc_id, []))),
        replaced_by=tuple(sorted(replaced_by.get(doc_id, []))),
        products=reach.briefs_of(doc_id),
        source=source,
    )


def _kind(diffs: tuple[FieldDiff, ...]) -> ChangeKind:
    for diff in diffs:
        if diff.field == "status" and diff.new == Status.SUPERSEDED.value:
            return ChangeKind.SUPERSEDED
        if diff.field == "status" and diff.new == Status.WITHDRAWN.value:
            return ChangeKind.WITHDRAWN
    return ChangeKind.UPDATED


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text
