"""Request and response bodies of the reports and the change feed (msgspec structs around the
catalog's report dataclasses, which are served as they are)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from msgspec import Meta, Struct

from api.schemas import PRINTABLE, Page, Ref
from catalog.plan.annual import Reminder
from catalog.reports.changes import Change
from catalog.reports.draft_impact import DraftImpact
from catalog.reports.gaps import GapReport
from catalog.reports.indicators import Indicators
from catalog.reports.review import ReviewCounts, ReviewItem
from catalog.vocab import Role, SubjectKind


class GapReportResponse(Struct, kw_only=True):
    headline: dict[str, int]
    report: GapReport


class ChangesResponse(Struct, kw_only=True):
    since: datetime
    count: int
    changes: list[Change]
    plan_report: Reminder | None = None  # the feed's reminder of the plan's yearly report


class ScopeItemIn(Struct, kw_only=True, forbid_unknown_fields=True):
    kind: SubjectKind
    subject: Ref
    role: Role = Role.MANDATORY_REGULATION


class DraftImpactRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    """A draft not (yet) saved: its intended scope and the documents it would cite."""

    code: Ref | None = None
    title: Annotated[str, Meta(max_length=1000, pattern=PRINTABLE)] | None = None
    scope: Annotated[list[ScopeItemIn], Meta(min_length=1, max_length=500)]
    citations: Annotated[list[Ref], Meta(max_length=500)] = []


class DraftImpactResponse(Struct, kw_only=True):
    impact: DraftImpact
    duplicated_products: int
    problem_citations: int


class IndicatorsResponse(Struct, kw_only=True):
    indicators: Indicators


class ReviewQueue(Page, kw_only=True):
    """Unverified and disputed rules and document statuses, by impact; counts over all."""

    as_of: date
    rules: ReviewCounts
    documents: ReviewCounts  # documents a rule names, and any reviewed document
    items: list[ReviewItem]
