"""Request and response bodies of the plan's records, figures and annual report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from msgspec import Meta, Struct

from api.schemas import FILLED, PRINTABLE, FilledName, Name
from catalog.limits import CODE_MAX, NOTE_MAX, TITLE_MAX
from catalog.plan.measure import Counted, Figure
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    OutreachTopic,
    ParticipantKind,
    SupportKind,
)

Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX, pattern=PRINTABLE)]
FilledTitle = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX, pattern=FILLED)]
Code = Annotated[str, Meta(min_length=1, max_length=CODE_MAX, pattern=PRINTABLE)]
Note = Annotated[str, Meta(max_length=NOTE_MAX, pattern=PRINTABLE)]
Count = Annotated[int, Meta(ge=0, le=10_000_000)]
TaxCode = Annotated[str, Meta(pattern=r"^[0-9]{10}(-[0-9]{3})?$")]


class ParticipantIn(Struct, kw_only=True, forbid_unknown_fields=True):
    person: FilledName
    kind: ParticipantKind
    organisation: Name | None = None


class TrainingIn(Struct, kw_only=True, forbid_unknown_fields=True):
    held_on: date
    topic: FilledTitle
    organiser: FilledName
    place: Name | None = None
    ends_on: date | None = None
    counts: dict[ParticipantKind, Count] = {}
    participants: Annotated[list[ParticipantIn], Meta(max_length=5_000)] = []
    note: Note | None = None


class ExpertIn(Struct, kw_only=True, forbid_unknown_fields=True):
    person: FilledName
    organisation: FilledName
    kind: ParticipantKind
    course: FilledTitle
    certified_on: date
    certificate: Code | None = None
    note: Note | None = None


class SupportIn(Struct, kw_only=True, forbid_unknown_fields=True):
    enterprise: FilledName
    kind: SupportKind
    given_on: date
    funding: FundingSource
    description: FilledTitle
    tax_code: TaxCode | None = None
    amount_vnd: Annotated[int, Meta(ge=0, le=10**15)] | None = None
    note: Note | None = None


class RegisterIn(Struct, kw_only=True, forbid_unknown_fields=True):
    as_of: date
    producers: Annotated[int, Meta(ge=1, le=10_000_000)]
    source: FilledTitle
    note: Note | None = None


class ReachedIn(Struct, kw_only=True, forbid_unknown_fields=True):
    producer: FilledName
    tax_code: TaxCode | None = None


class OutreachIn(Struct, kw_only=True, forbid_unknown_fields=True):
    held_on: date
    title: FilledTitle
    organiser: FilledName
    topics: Annotated[list[OutreachTopic], Meta(min_length=1, max_length=4)]
    producers_reached: Count | None = None
    producers: Annotated[list[ReachedIn], Meta(max_length=20_000)] = []
    channel: Name | None = None
    note: Note | None = None


class AwardIn(Struct, kw_only=True, forbid_unknown_fields=True):
    enterprise: FilledName
    year: Annotated[int, Meta(ge=2000, le=2100)]
    stage: AwardStage
    stage_on: date
    result: Name | None = None
    tax_code: TaxCode | None = None
    note: Note | None = None


class TrademarkIn(Struct, kw_only=True, forbid_unknown_fields=True):
    product: FilledName
    mark: FilledName
    filed_on: date
    application_number: Code | None = None
    certificate_number: Code | None = None
    granted_on: date | None = None
    ended_on: date | None = None
    ended_reason: Name | None = None
    note: Note | None = None


class MilestoneIn(Struct, kw_only=True, forbid_unknown_fields=True):
    title: FilledTitle
    due_on: date | None = None
    done_on: date | None = None
    evidence: Title | None = None
    note: Note | None = None


class SavedRecord(Struct, kw_only=True):
    kind: str
    outcome: str  # new, updated, unchanged
    record: dict[str, Any]


class PlanRecords(Struct, kw_only=True):
    kind: str
    count: int
    records: list[dict[str, Any]]


class FiguresResponse(Struct, kw_only=True):
    start: date
    end: date
    includes_samples: bool
    figures: list[Figure]


class DrillDown(Struct, kw_only=True):
    figure: Figure
    records: list[Counted]
