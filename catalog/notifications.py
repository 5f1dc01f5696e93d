"""Which notified drafts are under way for a product on a day: the early warning.

A notification reaches a product when one of its HS codes and one of the product's share a
prefix (``0902`` covers ``090210``, and a product coded ``0902`` is touched by a rule on
``090230``), when an ICS field encloses or is enclosed by one of the product's, when it
covers the product's category or an ancestor, or when it notifies a document that reaches
the product through the applicability rules (a draft QCVN with rules written on it).

Home notifications (Viet Nam's own) always count; another member's count only when the
question names that member as the product's market (``market``: a country or WTO member
code, :func:`catalog.codes_wto.wto_member`): the same rule on honey matters to an exporter
to Israel, not to one who sells at home.

On a day, a notification is *under way* from its circulation until an addendum announces
its adoption or withdrawal, or until its last expected date (comments, adoption, entry into
force; a year after circulation when it gives none) has passed with no word: then it has
*lapsed* and is left out, since its outcome was never notified. Addenda and corrigenda count
from the day they were issued; the latest date each gives wins. Every date is compared
through the resolver's clock, so an answer's span of days stays true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from sqlmodel import Session, col, select

from catalog.codes_wto import Agreement
from catalog.models_wto import (
    Notification,
    NotificationCategory,
    NotificationCode,
    NotificationUpdate,
)
from catalog.vocab import CodeScheme, NotificationAction

HOME_MEMBER = "VNM"
SILENT_FOR = timedelta(days=365)  # a notification with no expected date lapses after this


class Clock(Protocol):
    def reached(self, when: date) -> bool: ...


class NotificationStage(StrEnum):
    UNDER_WAY = "under_way"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # its expected dates passed with no addendum
    NOT_YET = "not_yet"  # circulated after the day asked


@dataclass(frozen=True, slots=True)
class UpdateRow:
    symbol: str
    action: NotificationAction
    issued_on: date | None
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    comment_deadline: date | None
    adopted_on: date | None
    document_id: int | None


@dataclass(frozen=True, slots=True)
class NotificationRow:
    id: int
    symbol: str
    agreement: Agreement
    member: str
    member_name: str | None
    notified_on: date | None
    title: str | None
    products: str | None
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    comment_deadline: date | None
    links: tuple[str, ...]
    document_id: int | None
    hs_codes: tuple[str, ...] = ()
    ics_codes: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    updates: tuple[UpdateRow, ...] = ()  # by issue date

    @property
    def home(self) -> bool:
        return self.member == HOME_MEMBER

    def document_ids(self) -> set[int]:
        ids = {u.document_id for u in self.updates if u.document_id is not None}
        return ids | ({self.document_id} if self.document_id is not None else set())


@dataclass(frozen=True)
class NotificationStatus:
    """A notification on one day: its stage and its dates as the updates so far leave them."""

    stage: NotificationStage
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    comment_deadline: date | None
    comments_open: bool
    adopted_on: date | None
    updates: tuple[str, ...]  # symbols of the addenda and corrigenda issued by the day


@dataclass(frozen=True)
class UnderWay:
    """One notification under way for the product, with why it reaches it."""

    symbol: str
    agreement: Agreement
    member: str
    member_name: str | None
    home: bool
    title: str | None
    notified_on: date | None
    comment_deadline: date | None
    comments_open: bool
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    document_code: str | None  # the draft it notifies, when the catalog holds it
    reasons: tuple[str, ...]
    updates: tuple[str, ...]
    links: tuple[str, ...]


@dataclass
class NotificationIndex:
    """Every notification with its codes, categories and updates, read in bulk."""

    rows: dict[int, NotificationRow] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> NotificationIndex:
        # scheme → codes; select() reads the scheme column as str (CodeScheme is a StrEnum)
        codes: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for nid, scheme, code in session.exec(
            select(
                NotificationCode.notification_id, NotificationCode.scheme, NotificationCode.code
            ).order_by(col(NotificationCode.notification_id), col(NotificationCode.code))
        ):
            codes[nid][scheme].append(code)
        categories: dict[int, list[int]] = defaultdict(list)
        for nid, category_id in session.exec(
            select(NotificationCategory.notification_id, NotificationCategory.category_id)
        ):
            categories[nid].append(category_id)
        updates: dict[int, list[UpdateRow]] = defaultdict(list)
        u = NotificationUpdate
        # sqlmodel types select() for up to 4 columns; it takes any number.
        for row in session.exec(
            select(  # type: ignore[call-overload, misc]
                u.notification_id, u.symbol, u.action, u.issued_on, u.proposed_adoption,
                u.proposed_entry_into_force, u.comment_deadline, u.adopted_on, u.document_id,
            )
        ):  # fmt: skip
            updates[row[0]].append(UpdateRow(*row[1:]))
        n = Notification
        index = cls()
        for (
            nid, symbol, agreement, member, member_name, notified_on, title, products,
            adoption, entry, deadline, links, document_id,
        ) in session.exec(
            select(  # type: ignore[call-overload, misc]
                n.id, n.symbol, n.agreement, n.member, n.member_name, n.notified_on, n.title,
                n.products, n.proposed_adoption, n.proposed_entry_into_force, n.comment_deadline,
                n.links, n.document_id,
            )
        ):  # fmt: skip
            index.rows[nid] = NotificationRow(
                nid, symbol, agreement, member, member_name, notified_on, title, products,
                adoption, entry, deadline,
                links=tuple((links or "").split()),
                document_id=document_id,
                hs_codes=tuple(codes[nid][CodeScheme.HS]),
                ics_codes=tuple(codes[nid][CodeScheme.ICS]),
                category_ids=tuple(sorted(categories[nid])),
                updates=tuple(
                    sorted(updates[nid], key=lambda x: (x.issued_on or date.min, x.symbol))
                ),
            )  # fmt: skip
        return index


def status_on(row: NotificationRow, clock: Clock) -> NotificationStatus:
    """Where ``row`` stands on the clock's day (see the module docstring)."""
    adoption, entry, deadline = (
        row.proposed_adoption,
        row.proposed_entry_into_force,
        row.comment_deadline,
    )
    issued: list[str] = []
    adopted_on: date | None = None
    stage = NotificationStage.UNDER_WAY
    if row.notified_on is not None and not clock.reached(row.notified_on):
        stage = NotificationStage.NOT_YET
    for update in row.updates if stage is NotificationStage.UNDER_WAY else ():
        if update.issued_on is not None and not clock.reached(update.issued_on):
            break
        issued.append(update.symbol)
        adoption = update.proposed_adoption or adoption
        entry = update.proposed_entry_into_force or entry
        deadline = update.comment_deadline or deadline
        if update.action == NotificationAction.ADOPTED:
            stage, adopted_on = NotificationStage.ADOPTED, update.adopted_on or update.issued_on
        elif update.action == NotificationAction.WITHDRAWN:
            stage = NotificationStage.WITHDRAWN
    expected = [d for d in (adoption, entry, deadline) if d is not None]
    if not expected and row.notified_on is not None:
        expected = [row.notified_on + SILENT_FOR]
    lapsed = bool(expected) and stage is NotificationStage.UNDER_WAY
    if lapsed and clock.reached(max(expected) + timedelta(days=1)):
        stage = NotificationStage.LAPSED
    comments_open = (
        stage is NotificationStage.UNDER_WAY
        and deadline is not None
        and not clock.reached(deadline + timedelta(days=1))
    )
    return NotificationStatus(
        stage, adoption, entry, deadline, comments_open, adopted_on, tuple(issued)
    )


def reasons_for(
    row: NotificationRow,
    hs_codes: Iterable[str],
    ics_codes: Iterable[str],
    category_names: dict[int, str],
    documents_reached: dict[int, str],
) -> list[str]:
    """Why ``row`` reaches a product with these codes, categories (id → name, the product's
    and its ancestors') and documents reaching it (id → code); empty when it does not."""
    reasons = []
    for code in row.hs_codes:
        for own in hs_codes:
            if own.startswith(code) or code.startswith(own):
                reasons.append(f"HS {code} covers the product's HS {own}")
    for code in row.ics_codes:
        for own in ics_codes:
            if own == code or own.startswith(code + ".") or code.startswith(own + "."):
                reasons.append(f"ICS {code} covers the product's ICS {own}")
    for category_id in row.category_ids:
        if category_id in category_names:
            reasons.append(f"covers the category {category_names[category_id]}")
    for document_id in sorted(row.document_ids()):
        if document_id in documents_reached:
            reasons.append(
                f"notifies {documents_reached[document_id]}, which applies to the product"
            )
    return reasons


def under_way(
    index: NotificationIndex,
    clock: Clock,
    *,
    hs_codes: tuple[str, ...],
    ics_codes: tuple[str, ...],
    category_names: dict[int, str],
    documents_reached: dict[int, str],
    document_code: Callable[[int], str | None],
    market: str | None,
) -> tuple[UnderWay, ...]:
    """The notifications under way on the clock's day that reach the product: home ones,
    and ``market``'s (a WTO member code) when one is given; soonest comment deadline first."""
    found = []
    for row in index.rows.values():
        if not (row.home or (market is not None and row.member == market)):
            continue
        reasons = reasons_for(row, hs_codes, ics_codes, category_names, documents_reached)
        if not reasons:
            continue
        status = status_on(row, clock)
        if status.stage is not NotificationStage.UNDER_WAY:
            continue
        found.append(
            UnderWay(
                symbol=row.symbol,
                agreement=row.agreement,
                member=row.member,
                member_name=row.member_name,
                home=row.home,
                title=row.title,
                notified_on=row.notified_on,
                comment_deadline=status.comment_deadline,
                comments_open=status.comments_open,
                proposed_adoption=status.proposed_adoption,
                proposed_entry_into_force=status.proposed_entry_into_force,
                document_code=document_code(row.document_id) if row.document_id else None,
                reasons=tuple(dict.fromkeys(reasons)),
                updates=status.updates,
                links=row.links,
            )
        )
    found.sort(key=lambda u: (u.comment_deadline or date.max, u.symbol))
    return tuple(found)
