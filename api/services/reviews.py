"""An editor's verdict on a rule or a document's facts: verified, unverified or disputed, with
the source it rests on; audited like every write, and seen by the next answer."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from api.problems import Problem
from api.schemas import ReviewIn, ReviewOut
from api.services.audit import Audit
from catalog import clock
from catalog.models import ApplicabilityRule, Document, FactReview, FactSource, utcnow
from catalog.review import review_of
from catalog.text import clean
from catalog.vocab import ReviewState, ReviewSubject


class ReviewService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rule(self, rule_id: int) -> tuple[ApplicabilityRule, str]:
        rule = self.session.get(ApplicabilityRule, rule_id)
        if rule is None:
            raise Problem(404, "Unknown rule", f"no applicability rule has id {rule_id}")
        doc = self.session.get(Document, rule.document_id)
        number = f"rule {rule.number}" if rule.number else f"rule #{rule.id}"
        return rule, f"{number}: {rule.subject_key} → {doc.code if doc else rule.document_id}"

    def review(
        self, subject: ReviewSubject, subject_id: int, label: str, data: ReviewIn, audit: Audit
    ) -> ReviewOut:
        source = data.source
        if not source.url and not source.locator:
            raise Problem(
                400,
                "Invalid request",
                "body field 'source': give its 'url' or its 'locator' (instrument and article)",
            )
        today = clock.today()
        retrieved = source.retrieved_on or today
        if retrieved > today:
            raise Problem(
                400, "Invalid request", f"body field 'source.retrieved_on' is after today ({today})"
            )
        actor = audit.key.name if audit.key else "api"
        column = "rule_id" if subject == ReviewSubject.RULE else "document_id"
        about: dict[str, Any] = {column: subject_id}
        before = review_of(self.session, subject, subject_id)
        row = self.session.exec(select(FactReview).filter_by(**about)).first()
        created = row is None
        if row is None:
            row = FactReview(subject=subject, **about)
        row.state, row.reviewed_by, row.reviewed_on = data.state, actor, today
        if data.state == ReviewState.VERIFIED:
            row.confirmed_on = max(row.confirmed_on or retrieved, retrieved)
        # An editor's review: no ingest run, so a reload of an older sheet leaves it standing.
        row.source, row.source_ref, row.ingest_run_id, row.content_hash = "api", None, None, None
        row.updated_at = utcnow()
        self.session.add(row)
        self.session.add(
            FactSource(
                subject=subject,
                **about,
                title=clean(source.title) or source.title,
                url=source.url,
                locator=clean(source.locator),
                retrieved_on=retrieved,
                note=clean(source.note),
                added_by=actor,
                added_on=today,
                source="api",
            )
        )
        self.session.flush()
        after = review_of(self.session, subject, subject_id)
        audit.record("create" if created else "update", "fact_review", row.id, before, after)
        self.session.commit()
        return ReviewOut(subject=subject, id=subject_id, label=label, review=after)
