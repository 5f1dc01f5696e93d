"""The review queue: rules and document statuses not yet verified, the most consequential first.

Every applicability rule is in scope, and every document a rule names (its status, dates and
succession decide answers) or that someone reviewed. A subject without a review is unverified
("not reviewed"). The queue lists the unverified and disputed ones by impact: mandatory first
(a mandatory rule; a document some mandatory rule names), then by how many products they
reach, disputed before unverified. :meth:`ReviewReport.unconfirmed` gives the freshness view:
what has not been confirmed since a day (never confirmed included).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from catalog import clock
from catalog.models import ApplicabilityRule, Document, FactReview, FactSource, saved_id
from catalog.reports.reach import Reach
from catalog.reports.tables import Table
from catalog.vocab import ReviewState, ReviewSubject, Role

_STATE_ORDER = {ReviewState.DISPUTED: 0, ReviewState.UNVERIFIED: 1, ReviewState.VERIFIED: 2}


@dataclass(frozen=True)
class ReviewItem:
    subject: ReviewSubject
    id: int  # the rule's or the document's
    number: int | None  # a rule's STT in the officials' sheet
    label: str  # "category:che → QCVN 8-1:2011/BYT", or the document's code and title
    document: str  # the document's code
    document_slug: str
    role: Role | None  # a rule's role
    mandatory: bool
    products: int  # products reached
    state: ReviewState
    reviewed_by: str | None
    reviewed_on: date | None
    confirmed_on: date | None  # last confirmed
    sources: int
    note: str | None  # the newest source's note: what was found, doubted or missing


@dataclass(frozen=True)
class ReviewCounts:
    verified: int
    unverified: int  # left unverified by a reviewer, plus never reviewed
    disputed: int
    not_reviewed: int  # of the unverified: never reviewed at all


@dataclass(frozen=True)
class ReviewReport:
    as_of: date
    rules: ReviewCounts
    documents: ReviewCounts
    items: tuple[ReviewItem, ...]  # every subject in scope, by impact

    @property
    def queue(self) -> tuple[ReviewItem, ...]:
        """The unverified and disputed subjects, by impact."""
        return tuple(i for i in self.items if i.state != ReviewState.VERIFIED)

    def unconfirmed(self, since: date) -> tuple[ReviewItem, ...]:
        """Subjects not confirmed on or after ``since`` (never confirmed included), by impact."""
        return tuple(i for i in self.items if i.confirmed_on is None or i.confirmed_on < since)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_report(session: Session, as_of: date | None = None) -> ReviewReport:
    reviews = {(r.rule_id, r.document_id): r for r in session.exec(select(FactReview))}
    sources: Counter[tuple[int | None, int | None]] = Counter()
    notes: dict[tuple[int | None, int | None], str] = {}
    for rule_id, document_id, note in session.exec(
        select(FactSource.rule_id, FactSource.document_id, FactSource.note).order_by(
            col(FactSource.id)
        )
    ):
        sources[(rule_id, document_id)] += 1
        if note:
            notes[(rule_id, document_id)] = note
    rules = session.exec(select(ApplicabilityRule).order_by(col(ApplicabilityRule.id))).all()
    named_mandatory: dict[int, bool] = defaultdict(bool)
    for rule in rules:
        named_mandatory[rule.document_id] |= rule.role == Role.MANDATORY_REGULATION
    in_scope = set(named_mandatory) | {d for (_, d) in reviews if d is not None}
    documents = {
        d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(in_scope)))
    }
    reach = Reach(session)

    def item(key: tuple[int | None, int | None], **fields: Any) -> ReviewItem:
        review = reviews.get(key)
        return ReviewItem(
            **fields,
            state=ReviewState(review.state) if review else ReviewState.UNVERIFIED,
            reviewed_by=review.reviewed_by if review else None,
            reviewed_on=review.reviewed_on if review else None,
            confirmed_on=review.confirmed_on if review else None,
            sources=sources[key],
            note=notes.get(key),
        )

    items = [
        item(
            (rule.id, None),
            subject=ReviewSubject.RULE,
            id=rule.id,
            number=rule.number,
            label=f"{rule.subject_key} → {documents[rule.document_id].code}",
            document=documents[rule.document_id].code,
            document_slug=documents[rule.document_id].slug,
            role=Role(rule.role),
            mandatory=rule.role == Role.MANDATORY_REGULATION,
            products=len(reach.index.matching(rule)),
        )
        for rule in rules
    ]
    items += [
        item(
            (None, doc.id),
            subject=ReviewSubject.DOCUMENT,
            id=doc.id,
            number=None,
            label=f"{doc.code} — {doc.title_vi}" if doc.title_vi else doc.code,
            document=doc.code,
            document_slug=doc.slug,
            role=None,
            mandatory=named_mandatory[saved_id(doc)],
            products=len(reach.products_of(saved_id(doc))),
        )
        for doc in documents.values()
    ]
    items.sort(
        key=lambda i: (
            not i.mandatory,
            -i.products,
            _STATE_ORDER[i.state],
            i.subject != ReviewSubject.RULE,
            i.number or 0,
            i.document,
            i.id,
        )
    )
    return ReviewReport(
        as_of=as_of or clock.today(),
        rules=_counts(i for i in items if i.subject == ReviewSubject.RULE),
        documents=_counts(i for i in items if i.subject == ReviewSubject.DOCUMENT),
        items=tuple(items),
    )


def _counts(items: Iterable[ReviewItem]) -> ReviewCounts:
    items = list(items)
    states = Counter(i.state for i in items)
    return ReviewCounts(
        verified=states[ReviewState.VERIFIED],
        unverified=states[ReviewState.UNVERIFIED],
        disputed=states[ReviewState.DISPUTED],
        not_reviewed=sum(i.reviewed_on is None for i in items),
    )


REVIEW_HEADERS = (
    "Loại",
    "STT",
    "Quy tắc / văn bản",
    "Văn bản",
    "Vai trò",
    "Bắt buộc",
    "Số sản phẩm",
    "Trạng thái rà soát",
    "Người rà soát",
    "Ngày rà soát",
    "Xác nhận lần cuối",
    "Số nguồn",
    "Ghi chú nguồn mới nhất",
)


def review_rows(items: tuple[ReviewItem, ...]) -> tuple[tuple, ...]:
    return tuple(
        (
            i.subject.label_vi,
            i.number,
            i.label,
            i.document,
            i.role.label_vi if i.role else None,
            "x" if i.mandatory else "",
            i.products,
            i.state.label_vi if i.reviewed_on else "Chưa rà soát",
            i.reviewed_by,
            i.reviewed_on,
            i.confirmed_on,
            i.sources,
            i.note,
        )
        for i in items
    )


def review_tables(report: ReviewReport) -> list[Table]:
    """The queue, and the counts, as sheets."""
    counts = [
        (subject, state.label_vi, getattr(c, state.value))
        for subject, c in (("Quy tắc", report.rules), ("Tình trạng văn bản", report.documents))
        for state in ReviewState
    ]
    counts += [
        ("Quy tắc", "trong đó chưa rà soát", report.rules.not_reviewed),
        ("Tình trạng văn bản", "trong đó chưa rà soát", report.documents.not_reviewed),
    ]
    return [
        Table("Hàng chờ rà soát", REVIEW_HEADERS, review_rows(report.queue)),
        Table("Tổng hợp", ("Đối tượng", "Trạng thái", "Số lượng"), tuple(counts)),
    ]
