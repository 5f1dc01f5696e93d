"""WTO notifications (TBT and SPS) of draft regulations, with their addenda and corrigenda.

A notification is the draft's early warning: circulated with a comment period months before
adoption. It names what it covers (HS and ICS codes, categories of the catalog) and, when
it notifies a document the catalog holds or will hold (a draft QCVN), that document; the
link stays when the draft later becomes a catalog document, so it keeps its history. What an
addendum or corrigendum changes is kept as its own row: the notification's dates as first
notified stay, and :mod:`catalog.notifications` reads the current ones from the updates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from catalog.codes_wto import Agreement
from catalog.models import Provenance, enum_field, text_field, timestamp_field
from catalog.vocab import CodeScheme, NotificationAction


class Notification(Provenance, table=True):
    """One notification (``G/TBT/N/VNM/123``), as first circulated (or a revision)."""

    __tablename__ = "wto_notification"

    id: int | None = Field(default=None, primary_key=True)
    symbol: str = Field(max_length=120, unique=True)  # canonical
    agreement: Agreement = enum_field(Agreement, index=True)
    member: str = Field(max_length=8, index=True)  # WTO member code: "VNM", "EU"
    member_name: str | None = Field(default=None, max_length=200)
    notified_on: date | None = None
    agency: str | None = text_field()
    products: str | None = text_field()  # the form's "products covered", as written
    title: str | None = text_field()
    description: str | None = text_field()
    objective: str | None = text_field()
    proposed_adoption: date | None = None
    proposed_entry_into_force: date | None = None
    comment_deadline: date | None = None
    links: str | None = text_field()  # one URL a line: the draft text, the form
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    note: str | None = text_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class NotificationCode(SQLModel, table=True):
    """An HS or ICS code a notification covers (matched with products' codes by prefix)."""

    __tablename__ = "wto_notification_code"

    notification_id: int = Field(
        foreign_key="wto_notification.id", primary_key=True, ondelete="CASCADE"
    )
    scheme: CodeScheme = enum_field(CodeScheme, primary_key=True)
    code: str = Field(primary_key=True, max_length=20, index=True)


class NotificationCategory(SQLModel, table=True):
    """A product category a notification covers (with its descendants)."""

    __tablename__ = "wto_notification_category"

    notification_id: int = Field(
        foreign_key="wto_notification.id", primary_key=True, ondelete="CASCADE"
    )
    category_id: int = Field(foreign_key="product_category.id", primary_key=True, index=True)


class NotificationUpdate(Provenance, table=True):
    """An addendum or corrigendum (``…/Add.1``, ``…/Corr.1``) and what it changes."""

    __tablename__ = "wto_notification_update"
    __table_args__ = (
        CheckConstraint(
            "action <> 'adopted' OR adopted_on IS NOT NULL OR issued_on IS NOT NULL",
            name="ck_notification_update_adopted",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="wto_notification.id", index=True, ondelete="CASCADE")
    symbol: str = Field(max_length=120, unique=True)
    action: NotificationAction = enum_field(NotificationAction)
    issued_on: date | None = None
    summary: str | None = text_field()
    proposed_adoption: date | None = None
    proposed_entry_into_force: date | None = None
    comment_deadline: date | None = None
    adopted_on: date | None = None
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    links: str | None = text_field()
    created_at: datetime = timestamp_field()
