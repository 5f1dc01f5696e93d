"""Writing the plan's records about people: training courses with their participant lists,
experts, the producer register and the outreach to producers (see :mod:`catalog.plan.records`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from catalog.limits import CODE_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX
from catalog.plan.checks import (
    PlanRecordError,
    Provenance,
    checked_count,
    checked_text,
    joined_key,
    person_key,
)
from catalog.plan.models import (
    Outreach,
    OutreachProducer,
    ProducerRegister,
    TrainedExpert,
    TrainingAttendance,
    TrainingCourse,
)
from catalog.plan.vocab import (
    OutreachTopic,
    ParticipantKind,
)
from catalog.text import clean, fold, slugify
from catalog.upsert import ChangeContext, UpsertResult, sync_children, upsert

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
    return joined_key(held_on.isoformat(), slugify(topic)[:300])


def save_training(
    session: Session,
    item: TrainingInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    """A course; with a participant list, its counts are the list's (and must agree)."""
    topic = checked_text(item.topic, "topic", TITLE_MAX)
    if item.ends_on is not None and item.ends_on < item.held_on:
        raise PlanRecordError(
            f"ends_on: {item.ends_on.isoformat()} is before the first day "
            f"{item.held_on.isoformat()}"
        )
    counts = {
        kind: checked_count(n, f"participants ({kind.label_vi})") for kind, n in item.counts.items()
    }
    people: dict[str, dict[str, Any]] = {}
    for index, p in enumerate(item.participants, start=1):
        person = checked_text(p.person, f"participant {index}", NAME_MAX)
        organisation = checked_text(
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
        for listing in people.values():
            listed[listing["kind"]] += 1
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
        "organiser": checked_text(item.organiser, "organiser", NAME_MAX),
        "place": checked_text(item.place, "place", NAME_MAX, required=False),
        "note": checked_text(item.note, "note", NOTE_MAX, required=False),
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
    person = checked_text(item.person, "person", NAME_MAX)
    organisation = checked_text(item.organisation, "organisation", NAME_MAX)
    course = checked_text(item.course, "course", TITLE_MAX)
    certificate = checked_text(item.certificate, "certificate", CODE_MAX, required=False)
    pkey = person_key(person, organisation)
    key = (
        joined_key("cert", fold(certificate).replace(" ", ""))
        if certificate
        else joined_key(pkey, slugify(course)[:200])
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
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


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
    checked_count(item.producers, "producers")
    if item.producers <= 0:
        raise PlanRecordError(f"producers: the register must count producers, got {item.producers}")
    return upsert(
        session,
        ProducerRegister,
        {"as_of": item.as_of},
        {
            "producers": item.producers,
            "source": checked_text(item.source, "source", TITLE_MAX),
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
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
    title = checked_text(item.title, "title", TITLE_MAX)
    if not item.topics:
        raise PlanRecordError(
            "topics: name at least one of " + ", ".join(t.label_vi for t in OutreachTopic)
        )
    listed: dict[str, dict[str, str]] = {}
    for index, p in enumerate(item.producers, start=1):
        name = checked_text(p.producer, f"producer {index}", NAME_MAX)
        pkey = (p.tax_code or slugify(name))[:400]
        listed.setdefault(pkey, {"producer": name, "producer_key": pkey})
    reached = item.producers_reached
    if reached is not None:
        checked_count(reached, "producers_reached")
    if listed and reached not in (None, len(listed)):
        raise PlanRecordError(
            f"producers_reached: {reached} given, but the list names {len(listed)} producers"
        )
    if not listed and reached is None:
        raise PlanRecordError("producers_reached: say how many producers were reached")
    key = joined_key(item.held_on.isoformat(), slugify(title)[:300])
    result = upsert(
        session,
        Outreach,
        {"key": key},
        {
            "held_on": item.held_on,
            "title": title,
            "organiser": checked_text(item.organiser, "organiser", NAME_MAX),
            "channel": checked_text(item.channel, "channel", NAME_MAX, required=False),
            "topics": ",".join(sorted({t.value for t in item.topics})),
            "producers_reached": len(listed) if listed else reached,
            "listed": bool(listed),
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
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
