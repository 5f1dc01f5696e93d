"""Writing a reviewed subject from the provenance sheet: its review and the sheet's sources.

The sheet's sources for a subject replace those the same sheet gave before (matched on every
field); sources an editor added through the API stay. The sheet's review replaces the stored
one, except an editor's review made through the API on the same day or later: the newer word
stands, so reloading the bundled sheet never undoes an official's verification.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from catalog.codes import CodeError, parse_code
from catalog.models import ApplicabilityRule, Document, FactReview, FactSource
from catalog.upsert import ChangeContext, Outcome, sync_children, touch, upsert
from catalog.vocab import ReviewSubject
from ingest.records import RejectError, ReviewRecord


def write_review(
    session: Session, record: ReviewRecord, context: ChangeContext, provenance: dict[str, Any]
) -> Outcome:
    target = review_target(session, record.subject, record.ref)
    record_key = f"{record.subject.value} {record.ref}"
    existing = session.exec(select(FactReview).filter_by(**target)).first()
    if (
        existing is not None
        and existing.ingest_run_id is None
        and record.reviewed_on is not None
        and existing.reviewed_on >= record.reviewed_on
    ):
        review, outcome = existing, Outcome.UNCHANGED
    else:
        result = upsert(
            session,
            FactReview,
            target,
            {
                "state": record.state,
                "reviewed_by": record.reviewed_by,
                "reviewed_on": record.reviewed_on,
                "confirmed_on": record.confirmed_on,
            },
            context=context,
            record_key=record_key,
            provenance=provenance,
            found=existing,
        )
        review, outcome = result.row, result.outcome
    wanted = [
        {
            "title": s.title,
            "url": s.url,
            "locator": s.locator,
            "retrieved_on": s.retrieved_on,
            "note": s.note,
            "added_by": record.reviewed_by,
            "added_on": record.reviewed_on,
        }
        for s in record.sources
    ]
    changes = sync_children(
        session,
        review,
        "sources",
        FactSource,
        {**target, "source": provenance["source"]},
        wanted,
        context=context,
        record_key=record_key,
        record_change=outcome != Outcome.NEW,
    )
    if changes and outcome == Outcome.UNCHANGED:
        touch(review, None, context)
        session.add(review)
        return Outcome.UPDATED
    return outcome


def review_target(session: Session, subject: ReviewSubject, ref: str) -> dict[str, Any]:
    """The key of a subject's review and sources: the rule with sheet number ``ref``, or the
    document with code ``ref``; a :class:`RejectError` when there is none, or more than one."""
    if subject == ReviewSubject.RULE:
        ids = session.exec(
            select(ApplicabilityRule.id).where(ApplicabilityRule.number == int(ref))
        ).all()
        if not ids:
            raise RejectError(
                f"ref: no rule has number (STT) {ref} in the catalogue (load the rules sheet first)"
            )
        return {"subject": subject, "rule_id": ids[0]}
    try:
        slug = parse_code(ref).slug()
    except CodeError as exc:
        raise RejectError(f"ref: {exc}") from exc
    found = session.exec(select(Document.id).where(Document.slug == slug)).first()
    if found is None:
        raise RejectError(f"ref: {ref} is not in the catalogue (ingest documents first)")
    return {"subject": subject, "document_id": found}
