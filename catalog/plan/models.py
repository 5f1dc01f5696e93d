"""The plan's records (SQLModel tables), one kind per target of section II.2.

Every record carries provenance (an import row or an API key), a natural ``key`` for
idempotent writes, and ``sample``: true only for the demo's sample records
(:mod:`catalog.plan.samples`), which every view marks as samples.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.limits import NOTE_MAX
from catalog.models import Provenance, enum_field, text_field, timestamp_field, utcnow
from catalog.plan.vocab import AwardStage, FundingSource, ParticipantKind, SupportKind


class PlanRecord(Provenance):
    """What every plan record has: its key, the sample mark, a note and timestamps."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=400, unique=True)
    sample: bool = False
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )


class TrainingCourse(PlanRecord, table=True):
    """A training course on productivity and quality; participants by where they work.

    When the course has a participant list (``listed``), the counts are the list's, so a
    person attending two courses is counted twice, as the plan counts ("lượt người").
    """

    __tablename__ = "plan_training"
    __table_args__ = (
        CheckConstraint(
            "from_agencies >= 0 AND from_local_government >= 0 AND from_organisations >= 0"
            " AND from_enterprises >= 0 AND from_other >= 0",
            name="ck_plan_training_counts",
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= held_on", name="ck_plan_training_dates"),
    )

    held_on: date = Field(index=True)
    ends_on: date | None = None
    topic: str = Field(max_length=1000)
    organiser: str = Field(max_length=300)
    place: str | None = Field(default=None, max_length=300)
    from_agencies: int = 0
    from_local_government: int = 0
    from_organisations: int = 0
    from_enterprises: int = 0
    from_other: int = 0
    listed: bool = False


class TrainingAttendance(SQLModel, table=True):
    """One person on a course's participant list."""

    __tablename__ = "plan_training_attendance"
    __table_args__ = (UniqueConstraint("course_id", "person_key", name="uq_plan_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="plan_training.id", index=True, ondelete="CASCADE")
    person: str = Field(max_length=300)
    person_key: str = Field(max_length=400, index=True)  # folded name and organisation
    organisation: str | None = Field(default=None, max_length=300)
    kind: ParticipantKind = enum_field(ParticipantKind)


class TrainedExpert(PlanRecord, table=True):
    """A person trained as a productivity and quality expert."""

    __tablename__ = "plan_expert"

    person: str = Field(max_length=300)
    person_key: str = Field(max_length=400, index=True)
    organisation: str = Field(max_length=300)
    kind: ParticipantKind = enum_field(ParticipantKind)
    course: str = Field(max_length=1000)
    certificate: str | None = Field(default=None, max_length=120)
    certified_on: date = Field(index=True)


class EnterpriseSupport(PlanRecord, table=True):
    """Support given to an enterprise under the plan (an enterprise may have several)."""

    __tablename__ = "plan_support"
    __table_args__ = (
        CheckConstraint("amount_vnd IS NULL OR amount_vnd >= 0", name="ck_plan_support_amount"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    kind: SupportKind = enum_field(SupportKind, index=True)
    given_on: date = Field(index=True)
    funding: FundingSource = enum_field(FundingSource)
    description: str = Field(max_length=1000)
    amount_vnd: int | None = Field(default=None, sa_type=BigInteger)  # đồng: past 2³¹


class ProducerRegister(SQLModel, table=True):
    """How many agricultural, forestry, fishery and food producers the province counts, by
    a register on a day: the denominator of the awareness target."""

    __tablename__ = "plan_producer_register"
    __table_args__ = (CheckConstraint("producers > 0", name="ck_plan_register_producers"),)

    id: int | None = Field(default=None, primary_key=True)
    as_of: date = Field(unique=True)
    producers: int
    source: str = Field(max_length=1000)  # the register or statistic, as an official cites it
    sample: bool = False
    note: str | None = text_field()
    created_at: datetime = timestamp_field()


class Outreach(PlanRecord, table=True):
    """A campaign or event informing or training producers (topics: comma-separated
    :class:`~catalog.plan.vocab.OutreachTopic` values). With a list of the producers
    reached (``listed``), a producer reached twice is counted once."""

    __tablename__ = "plan_outreach"
    __table_args__ = (CheckConstraint("producers_reached >= 0", name="ck_plan_outreach_reached"),)

    held_on: date = Field(index=True)
    title: str = Field(max_length=1000)
    organiser: str = Field(max_length=300)
    channel: str | None = Field(default=None, max_length=300)
    topics: str = Field(max_length=200)
    producers_reached: int = 0
    listed: bool = False


class OutreachProducer(SQLModel, table=True):
    """One producer on an outreach event's list."""

    __tablename__ = "plan_outreach_producer"
    __table_args__ = (
        UniqueConstraint("outreach_id", "producer_key", name="uq_plan_outreach_producer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    outreach_id: int = Field(foreign_key="plan_outreach.id", index=True, ondelete="CASCADE")
    producer: str = Field(max_length=300)
    producer_key: str = Field(max_length=400, index=True)  # tax code, or folded name


class QualityAwardEntry(PlanRecord, table=True):
    """An enterprise's stage in the National Quality Award of a year."""

    __tablename__ = "plan_quality_award"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="ck_plan_award_year"),)

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    year: int
    stage: AwardStage = enum_field(AwardStage)
    stage_on: date = Field(index=True)
    result: str | None = Field(default=None, max_length=300)


class OcopTrademark(PlanRecord, table=True):
    """A trademark application for an OCOP product: filed, granted, or ended (refused,
    withdrawn, lapsed) on the days given."""

    __tablename__ = "plan_ocop_trademark"
    __table_args__ = (
        CheckConstraint(
            "(granted_on IS NULL OR granted_on >= filed_on)"
            " AND (ended_on IS NULL OR ended_on >= filed_on)",
            name="ck_plan_trademark_dates",
        ),
    )

    product_id: int = Field(foreign_key="product.id", index=True)
    mark: str = Field(max_length=300)
    application_number: str | None = Field(default=None, max_length=120)
    filed_on: date
    certificate_number: str | None = Field(default=None, max_length=120)
    granted_on: date | None = None
    ended_on: date | None = None
    ended_reason: str | None = Field(default=None, max_length=300)


class PortalMilestone(PlanRecord, table=True):
    """A milestone of the province's traceability portal (a deliverable, not a number)."""

    __tablename__ = "plan_portal_milestone"

    title: str = Field(max_length=1000)
    due_on: date | None = None
    done_on: date | None = None
    evidence: str | None = Field(default=None, max_length=1000)  # decision number, address


class PlanReportIssue(SQLModel, table=True):
    """The annual report was generated: for which year, when, by whom and how."""

    __tablename__ = "plan_report_issue"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    generated_at: datetime = timestamp_field()
    generated_by: str | None = Field(default=None, max_length=120)
    via: str = Field(max_length=20)  # "cli" or "web"
    includes_samples: bool = False
