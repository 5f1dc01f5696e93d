"""Writing the plan's records: the one way in, for the API and the spreadsheets alike.

Each ``save_*`` checks its input (raising :class:`PlanRecordError`, whose message names the
field and why), links the enterprise or product it names, and upserts by the record's
natural key with the field-level history of :mod:`catalog.upsert`, so saving the same
record twice changes nothing and a corrected figure leaves a trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from catalog.applicability import ProductNotFound, resolve_product
from catalog.declarations import DeclarationError, find_or_add_enterprise
from catalog.limits import CODE_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX
from catalog.models import Product
from catalog.plan.models import (
    EnterpriseSupport,
    OcopTrademark,
    Outreach,
    OutreachProducer,
    PlanRecord,
    PortalMilestone,
    ProducerRegister,
    QualityAwardEntry,
    TrainedExpert,
    TrainingAttendance,
    TrainingCourse,
)
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    OutreachTopic,
    ParticipantKind,
    SupportKind,
)
from catalog.text import clean, fold, slugify
from catalog.upsert import ChangeContext, UpsertResult, sync_children, upsert
from catalog.vocab import ProductKind

Provenance = Mapping[str, Any] | None


class PlanRecordError(ValueError):
    """A plan record cannot be saved; the message names the field and why."""


def _text(value: str | None, name: str, limit: int, *, required: bool = True) -> str | None:
    shown = clean(value)
    if shown is None:
        if required:
            raise PlanRecordError(f"{name}: the value is missing")
        return None
    if len(shown) > limit:
        raise PlanRecordError(f"{name}: {len(shown)} characters, more than the {limit} it may have")
    return shown


def _count(value: int, name: str) -> int:
    if value < 0:
        raise PlanRecordError(f"{name}: a count cannot be negative ({value})")
    return value


def person_key(person: str, organisation: str | None) -> str:
    """The same person across lists: folded name and organisation."""
    return f"{slugify(person)}|{slugify(organisation or '')}"[:400]


def _key(*parts: str) -> str:
    return ":".join(parts)[:400]


# --- training courses and their participant lists ------------------------------------------


@dataclass(frozen=True)
class Participant:
    person: str
    kind: ParticipantKind
    organisation: str | None = None


@dataclass(frozen=True)
class TrainingInput:
    held_on: date
    topic: str
    organiser: str
    place: str | None = None
    ends_on: date | None = None
    counts: Mapping[ParticipantKind, int] = field(default_factory=dict)
    participants: Sequence[Participant] = ()  # the list, when there is one
    note: str | None = None


_COUNT_COLUMNS = {
    ParticipantKind.AGENCY: "from_agencies",
    ParticipantKind.LOCAL_GOVERNMENT: "from_local_government",
    ParticipantKind.ORGANISATION: "from_organisations",
    ParticipantKind.ENTERPRISE: "from_enterprises",
    ParticipantKind.OTHER: "from_other",
}


def training_key(held_on: date, topic: str) -> str:
    return _key(held_on.isoformat(), slugify(topic)[:300])


def save_training(
    session: Session,
    item: TrainingInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    """A course; with a participant list, its counts are the list's (and must agree)."""
    topic = _text(item.topic, "topic", TITLE_MAX)
    if item.ends_on is not None and item.ends_on < item.held_on:
        raise PlanRecordError(
            f"ends_on: {item.ends_on.isoformat()} is before the first day "
            f"{item.held_on.isoformat()}"
        )
    counts = {kind: _count(n, f"participants ({kind.label_vi})") for kind, n in item.counts.items()}
    people: dict[str, dict[str, Any]] = {}
    for index, p in enumerate(item.participants, start=1):
        person = _text(p.person, f"participant {index}", NAME_MAX)
        organisation = _text(
            p.organisation, f"participant {index} organisation", NAME_MAX, required=False
        )
        pkey = person_key(person, organisation)
        if pkey in people:
            raise PlanRecordError(
                f"participant {index}: {person} ({organisation or 'no organisation'}) is listed "
                "twice for this course"
            )
        people[pkey] = {
            "person": person,
            "person_key": pkey,
            "organisation": organisation,
            "kind": p.kind,
        }
    key = training_key(item.held_on, topic)
    if not people:  # a course already listed keeps its list (counts must agree with it)
        existing = session.exec(select(TrainingCourse).where(TrainingCourse.key == key)).first()
        if existing is not None and existing.listed:
            people = {
                a.person_key: {
                    "person": a.person,
                    "person_key": a.person_key,
                    "organisation": a.organisation,
                    "kind": a.kind,
                }
                for a in session.exec(
                    select(TrainingAttendance).where(TrainingAttendance.course_id == existing.id)
                )
            }
    if people:
        listed = {kind: 0 for kind in ParticipantKind}
        for p in people.values():
            listed[p["kind"]] += 1
        for kind, n in counts.items():
            if n and n != listed[kind]:
                raise PlanRecordError(
                    f"participants ({kind.label_vi}): {n} given, but the list names {listed[kind]}"
                )
        counts = listed
    values: dict[str, Any] = {
        "held_on": item.held_on,
        "ends_on": item.ends_on,
        "topic": topic,
        "organiser": _text(item.organiser, "organiser", NAME_MAX),
        "place": _text(item.place, "place", NAME_MAX, required=False),
        "note": _text(item.note, "note", NOTE_MAX, required=False),
        "listed": bool(people),
        "sample": sample,
        **{_COUNT_COLUMNS[kind]: counts.get(kind, 0) for kind in ParticipantKind},
    }
    result = upsert(
        session,
        TrainingCourse,
        {"key": key},
        values,
        context=context,
        record_key=key,
        provenance=provenance,
    )
    if people:
        result.changes += sync_children(
            session,
            result.row,
            "participants",
            TrainingAttendance,
            {"course_id": result.row.id},
            list(people.values()),
            context=context,
            record_key=key,
            record_change=result.outcome != "new",
        )
    return result


def find_training(session: Session, held_on: date, topic: str) -> TrainingCourse | None:
    key = training_key(held_on, clean(topic) or "")
    return session.exec(select(TrainingCourse).where(TrainingCourse.key == key)).first()


# --- experts, support, awards --------------------------------------------------------------


@dataclass(frozen=True)
class ExpertInput:
    person: str
    organisation: str
    kind: ParticipantKind
    course: str
    certified_on: date
    certificate: str | None = None
    note: str | None = None


def save_expert(
    session: Session,
    item: ExpertInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    person = _text(item.person, "person", NAME_MAX)
    organisation = _text(item.organisation, "organisation", NAME_MAX)
    course = _text(item.course, "course", TITLE_MAX)
    certificate = _text(item.certificate, "certificate", CODE_MAX, required=False)
    pkey = person_key(person, organisation)
    key = (
        _key("cert", fold(certificate).replace(" ", ""))
        if certificate
        else _key(pkey, slugify(course)[:200])
    )
    return upsert(
        session,
        TrainedExpert,
        {"key": key},
        {
            "person": person,
            "person_key": pkey,
            "organisation": organisation,
            "kind": item.kind,
            "course": course,
            "certificate": certificate,
            "certified_on": item.certified_on,
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


@dataclass(frozen=True)
class SupportInput:
    enterprise: str
    kind: SupportKind
    given_on: date
    funding: FundingSource
    description: str
    tax_code: str | None = None
    amount_vnd: int | None = None
    note: str | None = None


def save_support(
    session: Session,
    item: SupportInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    description = _text(item.description, "description", TITLE_MAX)
    if item.amount_vnd is not None:
        _count(item.amount_vnd, "amount_vnd")
    firm = _enterprise(session, item.enterprise, item.tax_code, context, provenance)
    key = _key(
        firm.slug[:150], item.kind.value, item.given_on.isoformat(), slugify(description)[:150]
    )
    return upsert(
        session,
        EnterpriseSupport,
        {"key": key},
        {
            "enterprise_id": firm.id,
            "kind": item.kind,
            "given_on": item.given_on,
            "funding": item.funding,
            "description": description,
            "amount_vnd": item.amount_vnd,
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


@dataclass(frozen=True)
class AwardInput:
    enterprise: str
    year: int
    stage: AwardStage
    stage_on: date
    result: str | None = None
    tax_code: str | None = None
    note: str | None = None


def save_award(
    session: Session,
    item: AwardInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    if not 2000 <= item.year <= 2100:
        raise PlanRecordError(f"year: {item.year} is not an award year")
    if abs(item.stage_on.year - item.year) > 1:
        raise PlanRecordError(
            f"stage_on: {item.stage_on.isoformat()} is far from the award year {item.year}"
        )
    firm = _enterprise(session, item.enterprise, item.tax_code, context, provenance)
    key = _key(firm.slug[:200], str(item.year), item.stage.value)
    return upsert(
        session,
        QualityAwardEntry,
        {"key": key},
        {
            "enterprise_id": firm.id,
            "year": item.year,
            "stage": item.stage,
            "stage_on": item.stage_on,
            "result": _text(item.result, "result", NAME_MAX, required=False),
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


def _enterprise(session, name, tax_code, context, provenance):
    name = _text(name, "enterprise", NAME_MAX)
    if tax_code is not None and not tax_code.replace("-", "").isdigit():
        raise PlanRecordError(f"tax_code: expected digits (e.g. 5000123456), got {tax_code!r}")
    try:
        return find_or_add_enterprise(session, name, tax_code, context, provenance)
    except DeclarationError as exc:
        raise PlanRecordError(str(exc)) from exc


# --- producers: the register and the outreach ----------------------------------------------


@dataclass(frozen=True)
class RegisterInput:
    as_of: date
    producers: int
    source: str
    note: str | None = None


def save_register(
    session: Session, item: RegisterInput, *, context: ChangeContext, sample: bool = False
) -> UpsertResult:
    """A count of the province's producers on a day (a later register replaces it from then)."""
    if item.producers <= 0:
        raise PlanRecordError(f"producers: the register must count producers, got {item.producers}")
    return upsert(
        session,
        ProducerRegister,
        {"as_of": item.as_of},
        {
            "producers": item.producers,
            "source": _text(item.source, "source", TITLE_MAX),
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=f"register:{item.as_of.isoformat()}",
    )


@dataclass(frozen=True)
class ReachedProducer:
    producer: str
    tax_code: str | None = None


@dataclass(frozen=True)
class OutreachInput:
    held_on: date
    title: str
    organiser: str
    topics: Sequence[OutreachTopic]
    producers_reached: int | None = None
    producers: Sequence[ReachedProducer] = ()  # the list, when there is one
    channel: str | None = None
    note: str | None = None


def save_outreach(
    session: Session,
    item: OutreachInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    title = _text(item.title, "title", TITLE_MAX)
    if not item.topics:
        raise PlanRecordError(
            "topics: name at least one of " + ", ".join(t.label_vi for t in OutreachTopic)
        )
    listed: dict[str, dict[str, str]] = {}
    for index, p in enumerate(item.producers, start=1):
        name = _text(p.producer, f"producer {index}", NAME_MAX)
        pkey = (p.tax_code or slugify(name))[:400]
        listed.setdefault(pkey, {"producer": name, "producer_key": pkey})
    reached = item.producers_reached
    if reached is not None:
        _count(reached, "producers_reached")
    if listed and reached not in (None, len(listed)):
        raise PlanRecordError(
            f"producers_reached: {reached} given, but the list names {len(listed)} producers"
        )
    if not listed and reached is None:
        raise PlanRecordError("producers_reached: say how many producers were reached")
    key = _key(item.held_on.isoformat(), slugify(title)[:300])
    result = upsert(
        session,
        Outreach,
        {"key": key},
        {
            "held_on": item.held_on,
            "title": title,
            "organiser": _text(item.organiser, "organiser", NAME_MAX),
            "channel": _text(item.channel, "channel", NAME_MAX, required=False),
            "topics": ",".join(sorted({t.value for t in item.topics})),
            "producers_reached": len(listed) if listed else reached,
            "listed": bool(listed),
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )
    if listed or result.row.listed:
        result.changes += sync_children(
            session,
            result.row,
            "producers",
            OutreachProducer,
            {"outreach_id": result.row.id},
            list(listed.values()),
            context=context,
            record_key=key,
            record_change=result.outcome != "new",
        )
    return result


# --- OCOP trademarks and the portal --------------------------------------------------------


@dataclass(frozen=True)
class TrademarkInput:
    product: str
    mark: str
    filed_on: date
    application_number: str | None = None
    certificate_number: str | None = None
    granted_on: date | None = None
    ended_on: date | None = None
    ended_reason: str | None = None
    note: str | None = None


def save_trademark(
    session: Session,
    item: TrademarkInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    for name in ("granted_on", "ended_on"):
        day = getattr(item, name)
        if day is not None and day < item.filed_on:
            raise PlanRecordError(
                f"{name}: {day.isoformat()} is before the filing date {item.filed_on.isoformat()}"
            )
    if item.granted_on and not item.certificate_number:
        raise PlanRecordError("certificate_number: a granted mark has a certificate number")
    product = _ocop_product(session, _text(item.product, "product", NAME_MAX))
    mark = _text(item.mark, "mark", NAME_MAX)
    number = _text(item.application_number, "application_number", CODE_MAX, required=False)
    key = (
        _key("app", fold(number).replace(" ", ""))
        if number
        else _key(product.slug[:200], slugify(mark)[:190])
    )
    return upsert(
        session,
        OcopTrademark,
        {"key": key},
        {
            "product_id": product.id,
            "mark": mark,
            "application_number": number,
            "filed_on": item.filed_on,
            "certificate_number": _text(
                item.certificate_number, "certificate_number", CODE_MAX, required=False
            ),
            "granted_on": item.granted_on,
            "ended_on": item.ended_on,
            "ended_reason": _text(item.ended_reason, "ended_reason", NAME_MAX, required=False),
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


def ocop_products(session: Session) -> list[Product]:
    """The OCOP products: the denominator of the trademark target."""
    return list(
        session.exec(
            select(Product).where(
                or_(col(Product.kind) == ProductKind.OCOP, col(Product.ocop_stars).is_not(None))
            )
        ).all()
    )


def _ocop_product(session: Session, reference: str) -> Product:
    try:
        product = resolve_product(session, reference)
    except ProductNotFound as exc:
        raise PlanRecordError(f"product: {exc}") from exc
    if product.kind != ProductKind.OCOP and product.ocop_stars is None:
        raise PlanRecordError(
            f"product: {product.name_vi} is not an OCOP product in the catalog (the target "
            "counts OCOP products)"
        )
    return product


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date | None = None
    done_on: date | None = None
    evidence: str | None = None
    note: str | None = None


def save_milestone(
    session: Session,
    item: MilestoneInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    title = _text(item.title, "title", TITLE_MAX)
    key = _key("portal", slugify(title)[:300])
    return upsert(
        session,
        PortalMilestone,
        {"key": key},
        {
            "title": title,
            "due_on": item.due_on,
            "done_on": item.done_on,
            "evidence": _text(item.evidence, "evidence", TITLE_MAX, required=False),
            "note": _text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


# --- removing a record ---------------------------------------------------------------------

RECORD_TABLES: dict[str, type[PlanRecord] | type[ProducerRegister]] = {
    "training": TrainingCourse,
    "experts": TrainedExpert,
    "support": EnterpriseSupport,
    "register": ProducerRegister,
    "outreach": Outreach,
    "award": QualityAwardEntry,
    "trademarks": OcopTrademark,
    "milestones": PortalMilestone,
}


def delete_record(session: Session, kind: str, record_id: int) -> dict[str, Any] | None:
    """Remove one record (and its list); returns what it held, or ``None`` when absent."""
    row = session.get(RECORD_TABLES[kind], record_id)
    if row is None:
        return None
    before = row.model_dump(mode="json")
    children = {
        "training": (TrainingAttendance, "course_id"),
        "outreach": (OutreachProducer, "outreach_id"),
    }
    if kind in children:
        model, column = children[kind]
        for child in session.exec(select(model).filter_by(**{column: record_id})).all():
            session.delete(child)
        session.flush()
    session.delete(row)
    session.flush()
    return before
