"""The entries of the change feed: what changed (a document, or a WTO notification and its
addenda), when, and which products it concerns. Built by :mod:`catalog.reports.changes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from catalog import clock
from catalog.reports.reach import ProductBrief


class ChangeKind(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    NOTIFIED = "notified"  # a WTO notification new in the catalog
    NOTIFICATION_UPDATED = "notification_updated"  # an addendum or corrigendum
    NOTIFICATION_ADOPTED = "notification_adopted"  # an addendum announcing adoption

    @property
    def label_vi(self) -> str:
        return {
            ChangeKind.ADDED: "Bổ sung",
            ChangeKind.UPDATED: "Cập nhật",
            ChangeKind.SUPERSEDED: "Bị thay thế",
            ChangeKind.WITHDRAWN: "Hết hiệu lực",
            ChangeKind.NOTIFIED: "Thông báo WTO",
            ChangeKind.NOTIFICATION_UPDATED: "Bổ sung thông báo WTO",
            ChangeKind.NOTIFICATION_ADOPTED: "Thông qua (thông báo WTO)",
        }[self]


@dataclass(frozen=True)
class FieldDiff:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class DocumentBrief:
    id: int
    code: str
    slug: str
    doc_type: str
    title_vi: str | None
    status: str


@dataclass(frozen=True)
class NotificationBrief:
    """A notification as an entry shows it; the dates are those in force after the entry's
    addendum (or as first notified, for a new notification)."""

    symbol: str
    update: str | None  # the addendum's or corrigendum's own symbol
    action: str | None  # what the addendum does (catalog.vocab.NotificationAction)
    agreement: str
    member: str
    member_name: str | None
    home: bool  # notified by Viet Nam
    title: str | None
    notified_on: date | None
    comment_deadline: date | None
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    adopted_on: date | None
    links: tuple[str, ...]  # the draft text, the form; the addendum's first


@dataclass(frozen=True)
class Change:
    id: str
    kind: ChangeKind
    at: datetime  # UTC
    document: DocumentBrief | None  # None for a notification naming no catalog document
    fields: tuple[FieldDiff, ...]
    replaces: tuple[str, ...]  # codes this document replaces (for added entries)
    replaced_by: tuple[str, ...]  # codes that replace it
    products: tuple[ProductBrief, ...]
    source: str | None  # "ingest run 12" or "api: <key name>"
    notification: NotificationBrief | None = None

    @property
    def subject(self) -> str:
        """What changed, by its code: the document's, or the notification's symbol."""
        if self.notification is not None:
            return self.notification.update or self.notification.symbol
        return self.document.code if self.document else ""

    @property
    def subject_title(self) -> str | None:
        """The changed thing's own title: the notification's, or the document's."""
        if self.notification is not None:
            return self.notification.title
        return self.document.title_vi if self.document else None

    @property
    def links(self) -> tuple[str, ...]:
        return self.notification.links if self.notification else ()

    @property
    def title(self) -> str:
        """One line for a feed reader: ``Bị thay thế: TCVN 5603:2008 → TCVN 5603:2023``."""
        line = f"{self.kind.label_vi}: {self.subject}"
        if self.notification is not None:
            member = self.notification.member_name or self.notification.member
            line += f" ({member}" + (f", {self.document.code})" if self.document else ")")
        if self.kind == ChangeKind.SUPERSEDED and self.replaced_by:
            line += " → " + ", ".join(self.replaced_by)
        if self.kind == ChangeKind.ADDED and self.replaces:
            line += " (thay thế " + ", ".join(self.replaces) + ")"
        return line

    @property
    def summary(self) -> str:
        notified = self.notification
        name = notified.title if notified else self.document.title_vi if self.document else None
        parts = [name or self.subject, f"Thời điểm: {clock.shown(self.at)}"]
        if notified is not None:
            for label, value in (
                ("Hạn góp ý", notified.comment_deadline),
                ("Dự kiến thông qua", notified.proposed_adoption),
                ("Dự kiến hiệu lực", notified.proposed_entry_into_force),
                ("Ngày thông qua", notified.adopted_on),
            ):
                if value is not None:
                    parts.append(f"{label}: {value:%d/%m/%Y}")
        for diff in self.fields:
            parts.append(f"{diff.field}: {shown(diff.old)} → {shown(diff.new)}")
        if self.products:
            parts.append("Sản phẩm liên quan: " + ", ".join(p.name_vi for p in self.products))
        parts.extend(f"Liên kết: {link}" for link in self.links)
        return "\n".join(parts)


def utc(moment: datetime) -> datetime:
    """An aware UTC time (SQLite hands back naive UTC times)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def source_of(run_id: int | None, actor: str | None) -> str | None:
    if actor:
        return f"api: {actor}"
    if run_id is not None:
        return f"ingest run {run_id}"
    return None
