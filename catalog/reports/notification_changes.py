"""WTO notifications in the change feed: a notification new in the catalog, and each addendum
or corrigendum, as entries beside the documents' (:mod:`catalog.reports.changes`).

An entry concerns the products the notification reaches the way the applicability answer
reaches them (:func:`catalog.notifications.reasons_for`): an HS code sharing a prefix either
way, an ICS field enclosing or enclosed, the product's category or an ancestor, or a notified
document that reaches the product through the rules (read with :class:`Reach`, whatever the
day, as document changes are). Whose notifications a reader sees is its filter: Viet Nam's
always, another member's only for ``members`` that name it (a watch list's markets).

An addendum's entry lists, as field changes, the dates it moves (comment deadline, expected
adoption and entry into force, adoption), from what the notification and the earlier
addenda left them at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime

from sqlmodel import Session, col, select

from catalog.models import Document, ProductCode, saved_id, stored_id
from catalog.models_wto import Notification, NotificationUpdate
from catalog.notifications import NotificationIndex, NotificationRow, UpdateRow, reasons_for
from catalog.reports.change_entries import (
    Change,
    ChangeKind,
    DocumentBrief,
    FieldDiff,
    NotificationBrief,
    source_of,
    utc,
)
from catalog.reports.reach import ProductBrief, Reach
from catalog.vocab import CodeScheme, NotificationAction

_DATES = ("comment_deadline", "proposed_adoption", "proposed_entry_into_force", "adopted_on")


class NotificationReach:
    """The products a notification reaches, from every product's codes and categories."""

    def __init__(self, session: Session, reach: Reach) -> None:
        self.reach = reach
        index = reach.index
        self.codes: dict[int, dict[CodeScheme, list[str]]] = defaultdict(lambda: defaultdict(list))
        for product_id, scheme, code in session.exec(
            select(ProductCode.product_id, ProductCode.scheme, ProductCode.code)
        ):
            self.codes[product_id][CodeScheme(scheme)].append(code)
        self.categories: dict[int, dict[int, str]] = {}
        for brief in index.products.values():
            found: dict[int, str] = {}
            category = index.category_by_slug.get(brief.category_slug or "")
            while category is not None and saved_id(category) not in found:
                found[saved_id(category)] = category.name_vi
                category = index.categories.get(category.parent_id)
            self.categories[brief.id] = found

    def products_of(self, row: NotificationRow) -> tuple[ProductBrief, ...]:
        touched = []
        documents = row.document_ids()
        for product_id in self.reach.index.products:
            codes = self.codes.get(product_id, {})
            reached = {
                d: "" for d in documents if product_id in self.reach.products_of(d)
            }  # the code is only for the reason's wording
            if reasons_for(
                row,
                codes.get(CodeScheme.HS, ()),
                codes.get(CodeScheme.ICS, ()),
                self.categories[product_id],
                reached,
            ):
                touched.append(product_id)
        return self.reach.index.briefs(touched)


def notification_changes(
    session: Session,
    since: datetime,
    until: datetime | None,
    after: bool,
    reach: Reach,
    members: Collection[str] | None = None,
) -> list[Change]:
    """Entries for the notifications and updates made in the catalog from ``since``
    (exclusive when ``after``) to ``until``; with ``members``, another member's notifications
    only when that member is among them."""
    conditions = _created_between(since, until, after)
    created = session.exec(
        select(Notification.id, Notification.created_at, Notification.ingest_run_id).where(
            *conditions[Notification]
        )
    ).all()
    updated = session.exec(select(NotificationUpdate).where(*conditions[NotificationUpdate])).all()
    if not created and not updated:
        return []
    index = NotificationIndex.load(session)
    wanted = {
        nid
        for nid, row in index.rows.items()
        if members is None or row.home or row.member in members
    }
    added = [
        (stored_id(nid), created_at, run_id) for nid, created_at, run_id in created if nid in wanted
    ]
    updates = [u for u in updated if u.notification_id in wanted]
    rows = [index.rows[a[0]] for a in added] + [index.rows[u.notification_id] for u in updates]
    documents = _documents(session, {d for row in rows for d in row.document_ids()})
    products = NotificationReach(session, reach)
    entries = [
        Change(
            id=f"notification-{nid}-added",
            kind=ChangeKind.NOTIFIED,
            at=utc(created_at),
            document=documents.get(index.rows[nid].document_id),
            fields=(),
            replaces=(),
            replaced_by=(),
            products=products.products_of(index.rows[nid]),
            source=source_of(run_id, None),
            notification=_brief(index.rows[nid], None, _dates(index.rows[nid], None)),
        )
        for nid, created_at, run_id in added
    ]
    for update in updates:
        row = index.rows[update.notification_id]
        dates_before = _dates(row, update.symbol, including=False)
        dates_after = _dates(row, update.symbol)
        entries.append(
            Change(
                id=f"notification-update-{update.id}-added",
                kind=ChangeKind.NOTIFICATION_ADOPTED
                if update.action == NotificationAction.ADOPTED
                else ChangeKind.NOTIFICATION_UPDATED,
                at=utc(update.created_at),
                document=documents.get(update.document_id or row.document_id),
                fields=tuple(
                    FieldDiff(name, dates_before[name], dates_after[name])
                    for name in _DATES
                    if dates_before[name] != dates_after[name]
                ),
                replaces=(),
                replaced_by=(),
                products=products.products_of(row),
                source=source_of(update.ingest_run_id, None),
                notification=_brief(row, update, dates_after),
            )
        )
    return entries


def _dates(
    row: NotificationRow, upto: str | None, *, including: bool = True
) -> dict[str, date | None]:
    """The notification's dates once its updates up to ``upto`` (a symbol) are read."""
    dates: dict[str, date | None] = {
        "comment_deadline": row.comment_deadline,
        "proposed_adoption": row.proposed_adoption,
        "proposed_entry_into_force": row.proposed_entry_into_force,
        "adopted_on": None,
    }
    for update in row.updates if upto is not None else ():
        if update.symbol == upto and not including:
            break
        _apply(dates, update)
        if update.symbol == upto:
            break
    return dates


def _apply(dates: dict[str, date | None], update: UpdateRow) -> None:
    for name in _DATES[:3]:
        dates[name] = getattr(update, name) or dates[name]
    if update.action == NotificationAction.ADOPTED:
        dates["adopted_on"] = update.adopted_on or update.issued_on


def _brief(
    row: NotificationRow, update: NotificationUpdate | None, dates: dict[str, date | None]
) -> NotificationBrief:
    own_links = tuple((update.links or "").split()) if update is not None else ()
    return NotificationBrief(
        symbol=row.symbol,
        update=update.symbol if update is not None else None,
        action=str(update.action) if update is not None else None,
        agreement=str(row.agreement),
        member=row.member,
        member_name=row.member_name,
        home=row.home,
        title=row.title,
        notified_on=row.notified_on,
        links=tuple(dict.fromkeys(own_links + row.links)),
        **dates,
    )


def _documents(session: Session, ids: set[int]) -> dict[int | None, DocumentBrief]:
    if not ids:
        return {}
    return {
        d.id: DocumentBrief(
            id=saved_id(d),
            code=d.code,
            slug=d.slug,
            doc_type=str(d.doc_type),
            title_vi=d.title_vi,
            status=str(d.status),
        )
        for d in session.exec(select(Document).where(col(Document.id).in_(ids)))
    }


def _created_between(since: datetime, until: datetime | None, after: bool) -> dict[type, list]:
    """The window's conditions on each notification table's ``created_at``."""
    conditions: dict[type, list] = {}
    for model in (Notification, NotificationUpdate):
        column = col(model.created_at)
        conditions[model] = [column > since if after else column >= since]
        if until is not None:
            conditions[model].append(column <= utc(until))
    return conditions
