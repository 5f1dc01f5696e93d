"""Writing WTO notifications and their addenda into the catalog (called by the store writer).

A notification that notifies a Vietnamese document by code (a draft QCVN) is linked to it;
when the catalog does not hold that code yet, the document is created as a *draft* with the
notified title, so that rules can be written on it and the catalogue's record, when it comes,
fills the same row: the document keeps its notification history.

An addendum announcing adoption gives the adopted document its dates, but only while the
catalog knows it only as a draft or a stub: a catalogue record's own dates are never
overwritten by a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import select

from catalog import clock
from catalog.models import Document, saved_id
from catalog.models_wto import (
    Notification,
    NotificationCategory,
    NotificationCode,
    NotificationUpdate,
)
from catalog.upsert import Outcome, upsert
from catalog.vocab import CodeScheme, NotificationAction, Status
from ingest.records import NotificationRecord, NotificationUpdateRecord, RejectError

if TYPE_CHECKING:
    from ingest.writer import StoreWriter
    from ingest.writer.base import ChildRows

HOME_MEMBER = "VNM"
DRAFT_NOTE = "Dự thảo đã thông báo WTO ({symbol}); chưa ban hành (notified draft, not yet issued)"


def write_notification(writer: StoreWriter, record: NotificationRecord) -> Outcome:
    category_ids = [writer._category_id(slug) for slug in record.categories]
    document_id = None
    if record.document_code:
        document_id = _draft_document(writer, record)
    result = upsert(
        writer.session,
        Notification,
        {"symbol": record.symbol},
        {
            "agreement": record.agreement,
            "member": record.member,
            "member_name": record.member_name,
            "notified_on": record.notified_on,
            "agency": record.agency,
            "products": record.products,
            "title": record.title,
            "description": record.description,
            "objective": record.objective,
            "proposed_adoption": record.proposed_adoption,
            "proposed_entry_into_force": record.proposed_entry_into_force,
            "comment_deadline": record.comment_deadline,
            "links": "\n".join(record.links) or None,
            "document_id": document_id,
            "note": record.note,
        },
        context=writer.context,
        record_key=record.symbol,
        provenance=writer._provenance(record),
    )
    codes = [{"scheme": CodeScheme.HS, "code": c} for c in dict.fromkeys(record.hs_codes)]
    codes += [{"scheme": CodeScheme.ICS, "code": c} for c in dict.fromkeys(record.ics_codes)]
    categories = [{"category_id": i} for i in dict.fromkeys(category_ids)]
    children: list[ChildRows] = [
        ("codes", NotificationCode, codes),
        ("categories", NotificationCategory, categories),
    ]
    parent = {"notification_id": saved_id(result.row)}
    return writer._with_children(record, result, parent, children, record.symbol)


def write_update(writer: StoreWriter, record: NotificationUpdateRecord) -> Outcome:
    parent = writer.session.exec(
        select(Notification).where(Notification.symbol == record.base_symbol)
    ).first()
    if parent is None:
        raise RejectError(
            f"{record.symbol}: the notification it amends, {record.base_symbol}, is not in the "
            "catalog (ingest it first)"
        )
    document_id = parent.document_id
    if record.document_code:
        document_id = _document(writer, record.document_code, record.location, parent.symbol, None)
    if record.action == NotificationAction.ADOPTED and document_id is not None:
        _adopt(writer, document_id, record)
    result = upsert(
        writer.session,
        NotificationUpdate,
        {"symbol": record.symbol},
        {
            "notification_id": parent.id,
            "action": record.action,
            "issued_on": record.issued_on,
            "summary": record.summary,
            "proposed_adoption": record.proposed_adoption,
            "proposed_entry_into_force": record.proposed_entry_into_force,
            "comment_deadline": record.comment_deadline,
            "adopted_on": record.adopted_on,
            "document_id": document_id if record.action == NotificationAction.ADOPTED else None,
            "links": "\n".join(record.links) or None,
        },
        context=writer.context,
        record_key=record.symbol,
        provenance=writer._provenance(record),
    )
    return result.outcome


def _draft_document(writer: StoreWriter, record: NotificationRecord) -> int | None:
    if record.member != HOME_MEMBER:
        return None  # another member's regulation is not a Vietnamese document
    return _document(
        writer, record.document_code or "", record.location, record.symbol, record.title
    )


def _document(writer: StoreWriter, code: str, location: str, symbol: str, title: str | None) -> int:
    """The document with ``code``, created as a notified draft when the catalog lacks it."""
    found = writer._existing_document_id(code)
    if found is not None:
        return found
    from ingest.writer.base import document_identity

    document = Document(
        **document_identity(code),
        status=Status.DRAFT,
        title_vi=title,
        status_note=DRAFT_NOTE.format(symbol=symbol),
        **writer._provenance_at(location),
    )
    writer.session.add(document)
    writer.session.flush()
    writer._document_ids[code] = document_id = saved_id(document)
    writer._new_ids.add(document_id)
    return document_id


def _adopt(writer: StoreWriter, document_id: int, record: NotificationUpdateRecord) -> None:
    document = writer.session.get(Document, document_id)
    if document is None or not _known_only_as_draft(document):
        return
    adopted_on = record.adopted_on or record.issued_on
    starts = record.proposed_entry_into_force or adopted_on
    values: dict[str, Any] = {
        "issued_on": adopted_on,
        "effective_from": starts,
        "status": Status.IN_FORCE
        if starts and starts <= clock.today()
        else Status.NOT_YET_IN_FORCE,
        "status_note": f"Ban hành theo thông báo WTO {record.symbol} (adopted, as notified)",
    }
    upsert(
        writer.session,
        Document,
        {"id": document.id},
        values,
        context=writer.context,
        record_key=document.code,
        provenance=writer._provenance(record),
        found=document,
    )


def _known_only_as_draft(document: Document) -> bool:
    from ingest.writer.base import STUB_NOTE

    return document.status == Status.DRAFT or document.status_note == STUB_NOTE
