"""Writing the plan's records: the one way in, for the API and the spreadsheets alike.

Each ``save_*`` checks its input (raising :class:`PlanRecordError`, whose message names the
field and why), links the enterprise or product it names, and upserts by the record's
natural key with the field-level history of :mod:`catalog.upsert`, so saving the same
record twice changes nothing and a corrected figure leaves a trace.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel, select

from catalog.plan.checks import PlanRecordError, person_key
from catalog.plan.firms import (
    AwardInput,
    MilestoneInput,
    SupportInput,
    TrademarkInput,
    ocop_products,
    save_award,
    save_milestone,
    save_support,
    save_trademark,
)
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
from catalog.plan.people import (
    ExpertInput,
    OutreachInput,
    Participant,
    ReachedProducer,
    RegisterInput,
    TrainingInput,
    find_training,
    save_expert,
    save_outreach,
    save_register,
    save_training,
)

__all__ = [
    "AwardInput",
    "ExpertInput",
    "MilestoneInput",
    "OutreachInput",
    "Participant",
    "PlanRecordError",
    "ReachedProducer",
    "RegisterInput",
    "SupportInput",
    "TrademarkInput",
    "TrainingInput",
    "delete_record",
    "find_training",
    "ocop_products",
    "person_key",
    "save_award",
    "save_expert",
    "save_milestone",
    "save_outreach",
    "save_register",
    "save_support",
    "save_trademark",
    "save_training",
]

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
    children: dict[str, tuple[type[SQLModel], str]] = {
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
