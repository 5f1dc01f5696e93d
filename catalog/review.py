"""Review state and sources of rules and document facts, as answers and pages show them.

A rule or a document without a :class:`~catalog.models.FactReview` row is unverified: nobody
has checked it (:data:`NOT_REVIEWED`). :func:`load_reviews` reads every review and source in
two bulk queries, for the in-memory catalog graph (:mod:`catalog.readmodel`); :func:`review_of`
reads one subject's, for pages and reports that work from the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from catalog.models import FactReview, FactSource
from catalog.vocab import ReviewState, ReviewSubject


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One source: where to read it (address, or instrument and article), and what it says."""

    title: str
    url: str | None
    locator: str | None
    retrieved_on: date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Review:
    """Whether a rule or a document's status, dates and succession were checked, by whom and
    when, when they were last confirmed true, and on which sources."""

    state: ReviewState
    reviewed_by: str | None
    reviewed_on: date | None
    confirmed_on: date | None
    sources: tuple[SourceRef, ...] = ()


NOT_REVIEWED = Review(ReviewState.UNVERIFIED, None, None, None)
# Which of several reviews an answer entry takes: one verified path is enough.
_STRENGTH = {ReviewState.VERIFIED: 0, ReviewState.UNVERIFIED: 1, ReviewState.DISPUTED: 2}


def strongest(states: Iterable[ReviewState]) -> ReviewState:
    """The state of something reached several ways: verified when any way is, disputed when
    every way is, else unverified (and unverified when there is no way at all)."""
    return min(states, key=_STRENGTH.__getitem__, default=ReviewState.UNVERIFIED)


def load_reviews(session: Session) -> tuple[dict[int, Review], dict[int, Review]]:
    """Every review with its sources: (by rule id, by document id)."""
    sources: dict[tuple[int | None, int | None], list[SourceRef]] = defaultdict(list)
    s = FactSource
    # sqlmodel types select() for at most four columns: the wide selects are checked at run time.
    for rule_id, document_id, *fields in session.exec(
        select(  # type: ignore[call-overload, misc]
            s.rule_id, s.document_id, s.title, s.url, s.locator, s.retrieved_on, s.note
        ).order_by(col(s.id))
    ):
        sources[(rule_id, document_id)].append(SourceRef(*fields))
    rules: dict[int, Review] = {}
    documents: dict[int, Review] = {}
    r = FactReview
    for rule_id, document_id, state, by, on, confirmed in session.exec(
        select(  # type: ignore[call-overload]
            r.rule_id, r.document_id, r.state, r.reviewed_by, r.reviewed_on, r.confirmed_on
        )
    ):
        review = Review(
            ReviewState(state), by, on, confirmed, tuple(sources.pop((rule_id, document_id), ()))
        )
        if rule_id is not None:
            rules[rule_id] = review
        else:
            documents[document_id] = review
    # Sources of a subject nobody has reviewed yet (an editor added one without a verdict).
    for (rule_id, document_id), found in sources.items():
        review = Review(ReviewState.UNVERIFIED, None, None, None, tuple(found))
        if rule_id is not None:
            rules[rule_id] = review
        elif document_id is not None:
            documents[document_id] = review
    return rules, documents


def review_of(session: Session, subject: ReviewSubject, subject_id: int) -> Review:
    """One rule's or document's review with its sources (:data:`NOT_REVIEWED` when none)."""
    column = "rule_id" if subject == ReviewSubject.RULE else "document_id"
    row = session.exec(select(FactReview).filter_by(**{column: subject_id})).first()
    found = session.exec(
        select(FactSource).filter_by(**{column: subject_id}).order_by(col(FactSource.id))
    ).all()
    sources = tuple(SourceRef(s.title, s.url, s.locator, s.retrieved_on, s.note) for s in found)
    if row is None:
        return Review(ReviewState.UNVERIFIED, None, None, None, sources)
    return Review(row.state, row.reviewed_by, row.reviewed_on, row.confirmed_on, sources)
