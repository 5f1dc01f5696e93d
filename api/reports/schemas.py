"""Request and response bodies of the reports API (msgspec structs around the catalog's
report dataclasses, which are served as they are)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from msgspec import Meta, Struct

from api.schemas import PRINTABLE, Name, Page, Ref
from catalog.declarations import DeclarationView
from catalog.limits import NOTE_MAX
from catalog.plan.annual import Reminder
from catalog.reports.changes import Change
from catalog.reports.draft_impact import DraftImpact
from catalog.reports.gaps import GapReport
from catalog.reports.indicators import Indicators
from catalog.reports.reach import ProductBrief
from catalog.reports.review import ReviewCounts, ReviewItem
from catalog.vocab import DeclarationKind, Role, SubjectKind

Url = Annotated[str, Meta(min_length=8, max_length=1000, pattern=r"^https?://[^\x00-\x20\x7f]+$")]
Market = Annotated[str, Meta(min_length=2, max_length=8, pattern=r"^[A-Za-z]+$")]
Secret = Annotated[str, Meta(min_length=16, max_length=200, pattern=PRINTABLE)]


class GapReportResponse(Struct, kw_only=True):
    headline: dict[str, int]
    report: GapReport


class ChangesResponse(Struct, kw_only=True):
    since: datetime
    count: int
    changes: list[Change]
    plan_report: Reminder | None = None  # the feed's reminder of the plan's yearly report


class WatchListCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    owner: Name | None = None
    products: Annotated[list[Ref], Meta(max_length=500)] = []
    categories: Annotated[list[Ref], Meta(max_length=200)] = []
    markets: Annotated[list[Market], Meta(max_length=60)] = []  # country or WTO member codes


class WatchListResponse(Struct, kw_only=True):
    token: str
    name: str
    owner: str | None
    created_at: datetime
    products: list[ProductBrief]
    categories: list[str]
    markets: list[str]  # WTO member codes
    covered: list[ProductBrief]
    feed_url: str
    atom_url: str


class WebhookCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    url: Url
    secret: Secret | None = None


class WebhookResponse(Struct, kw_only=True):
    id: int
    url: str
    secret: str  # shown once, at creation
    signature_header: str
    active: bool


class DeliveryRecord(Struct, kw_only=True):
    delivery_id: str
    attempt: int
    at: datetime
    entries: int
    status_code: int | None
    succeeded: bool
    error: str | None
    duration_ms: int


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


class DeclarationCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    kind: DeclarationKind
    enterprise: Name
    declared_on: date
    document: Ref
    number: Ref | None = None
    tax_code: Annotated[str, Meta(pattern=r"^[0-9]{10}(-[0-9]{3})?$")] | None = None
    product: Ref | None = None
    certifying_body: Name | None = None
    valid_until: date | None = None
    program_supported: bool = False
    note: Annotated[str, Meta(max_length=NOTE_MAX, pattern=PRINTABLE)] | None = None


class DeclarationsResponse(Struct, kw_only=True):
    count: int
    declarations: list[DeclarationView]


class IndicatorsResponse(Struct, kw_only=True):
    indicators: Indicators


class ReviewQueue(Page, kw_only=True):
    """Unverified and disputed rules and document statuses, by impact; counts over all."""

    as_of: date
    rules: ReviewCounts
    documents: ReviewCounts  # documents a rule names, and any reviewed document
    items: list[ReviewItem]
