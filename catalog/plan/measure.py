"""The plan's six numeric targets measured from its records, for a period, with the records
behind every figure.

A period is ``start``..``end`` (both days included); a record counts when its day (course,
certificate, support, event, award stage) falls in it. How each target is counted:

- ``training``: participants from agencies, local government, organisations and enterprises
  summed over courses ("lượt người": a person at two courses counts twice);
- ``experts``: distinct persons certified as experts;
- ``enterprises_supported``: distinct enterprises given support (supported twice: once);
- ``informed_share``: producers reached (distinct where events list them; as reported where
  they do not) over the producer register in force on ``end`` (the latest on or before it);
- ``quality_award``: distinct enterprises that took part (entry submitted or further);
- ``ocop_trademark_share``: a standing, not a sum: OCOP products rated by ``end`` with a
  trademark filed and not refused, withdrawn or lapsed by ``end``, over those products.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from catalog.models import Enterprise, Product, saved_id
from catalog.plan.models import (
    EnterpriseSupport,
    OcopTrademark,
    Outreach,
    OutreachProducer,
    PortalMilestone,
    ProducerRegister,
    QualityAwardEntry,
    TrainedExpert,
    TrainingAttendance,
    TrainingCourse,
)
from catalog.plan.records import ocop_products
from catalog.plan.vocab import COUNTED_PARTICIPANTS, TOOK_PART, AwardStage, ParticipantKind

TARGETS = (
    "training",
    "experts",
    "enterprises_supported",
    "informed_share",
    "quality_award",
    "ocop_trademark_share",
)


@dataclass(frozen=True)
class Counted:
    """One record behind a figure: what it is, its day, and what it adds."""

    kind: str  # the record kind, as in the API's /plan/records/{kind}
    id: int
    on: date
    label: str
    adds: int
    sample: bool


@dataclass(frozen=True)
class Figure:
    target: str
    start: date
    end: date
    value: float | None  # None when it cannot be measured (no producer register yet)
    numerator: int | None = None
    denominator: int | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    basis: str = ""  # how it was counted, and from what (register source and date)
    records: tuple[Counted, ...] = ()
    record_count: int = 0
    includes_samples: bool = False

    def summary(self) -> Figure:
        """The figure without its records (they are served on their own)."""
        return replace(self, records=())


@dataclass
class Snapshot:
    """Every plan record, read once, with the names their labels need."""

    courses: list[TrainingCourse]
    attendance: dict[int, list[TrainingAttendance]]
    experts: list[TrainedExpert]
    support: list[EnterpriseSupport]
    registers: list[ProducerRegister]
    outreach: list[Outreach]
    reached: dict[int, list[OutreachProducer]]
    awards: list[QualityAwardEntry]
    trademarks: list[OcopTrademark]
    milestones: list[PortalMilestone]
    ocop: list[Product]
    enterprises: dict[int, str]


def load(session: Session) -> Snapshot:
    attendance: dict[int, list[TrainingAttendance]] = {}
    for row in session.exec(select(TrainingAttendance)):
        attendance.setdefault(row.course_id, []).append(row)
    reached: dict[int, list[OutreachProducer]] = {}
    for producer in session.exec(select(OutreachProducer)):
        reached.setdefault(producer.outreach_id, []).append(producer)
    return Snapshot(
        courses=list(session.exec(select(TrainingCourse).order_by(col(TrainingCourse.held_on)))),
        attendance=attendance,
        experts=list(session.exec(select(TrainedExpert).order_by(col(TrainedExpert.certified_on)))),
        support=list(
            session.exec(select(EnterpriseSupport).order_by(col(EnterpriseSupport.given_on)))
        ),
        registers=list(
            session.exec(select(ProducerRegister).order_by(col(ProducerRegister.as_of)))
        ),
        outreach=list(session.exec(select(Outreach).order_by(col(Outreach.held_on)))),
        reached=reached,
        awards=list(
            session.exec(select(QualityAwardEntry).order_by(col(QualityAwardEntry.stage_on)))
        ),
        trademarks=list(session.exec(select(OcopTrademark).order_by(col(OcopTrademark.filed_on)))),
        milestones=list(session.exec(select(PortalMilestone).order_by(col(PortalMilestone.key)))),
        ocop=ocop_products(session),
        enterprises={saved_id(e): e.name for e in session.exec(select(Enterprise))},
    )


def figures(snap: Snapshot, start: date, end: date) -> dict[str, Figure]:
    """Every numeric target's figure for the period, by target key."""
    return {key: figure(snap, key, start, end) for key in TARGETS}


def figure(snap: Snapshot, target: str, start: date, end: date) -> Figure:
    if target not in TARGETS:
        raise KeyError(target)
    made = _MEASURES[target](snap, start, end)
    return replace(
        made,
        record_count=len(made.records),
        includes_samples=any(r.sample for r in made.records),
    )


def _training(snap: Snapshot, start: date, end: date) -> Figure:
    courses = [c for c in snap.courses if start <= c.held_on <= end]
    by_kind: Counter[str] = Counter()
    people: set[str] = set()
    records = []
    for c in courses:
        counts = _course_counts(c)
        by_kind.update(counts)
        people.update(
            a.person_key for a in snap.attendance.get(saved_id(c), ()) if _counted(a.kind)
        )
        adds = sum(counts[k.value] for k in COUNTED_PARTICIPANTS)
        records.append(Counted("training", saved_id(c), c.held_on, c.topic, adds, c.sample))
    total = sum(by_kind[k.value] for k in COUNTED_PARTICIPANTS)
    breakdown = {k.value: by_kind[k.value] for k in ParticipantKind}
    breakdown |= {"courses": len(courses), "distinct_listed_people": len(people)}
    basis = (
        "lượt người tham dự các lớp đào tạo, tập huấn tổ chức trong kỳ (người dự nhiều lớp "
        "được tính mỗi lượt); không tính người ngoài sở, ngành, UBND, tổ chức, doanh nghiệp"
    )
    return Figure(
        "training", start, end, total, breakdown=breakdown, basis=basis, records=tuple(records)
    )


def _course_counts(course: TrainingCourse) -> dict[str, int]:
    return {
        ParticipantKind.AGENCY.value: course.from_agencies,
        ParticipantKind.LOCAL_GOVERNMENT.value: course.from_local_government,
        ParticipantKind.ORGANISATION.value: course.from_organisations,
        ParticipantKind.ENTERPRISE.value: course.from_enterprises,
        ParticipantKind.OTHER.value: course.from_other,
    }


def _counted(kind: ParticipantKind) -> bool:
    return kind in COUNTED_PARTICIPANTS


def _experts(snap: Snapshot, start: date, end: date) -> Figure:
    experts = [e for e in snap.experts if start <= e.certified_on <= end]
    seen: dict[str, TrainedExpert] = {}
    records = []
    for e in experts:
        first = e.person_key not in seen
        seen.setdefault(e.person_key, e)
        label = f"{e.person} ({e.organisation}): {e.course}"
        records.append(Counted("experts", saved_id(e), e.certified_on, label, int(first), e.sample))
    breakdown = dict(Counter(e.kind.value for e in seen.values()))
    basis = "số người được đào tạo, cấp chứng chỉ chuyên gia năng suất chất lượng trong kỳ"
    return Figure(
        "experts", start, end, len(seen), breakdown=breakdown, basis=basis, records=tuple(records)
    )


def _enterprises_supported(snap: Snapshot, start: date, end: date) -> Figure:
    given = [s for s in snap.support if start <= s.given_on <= end]
    firms: set[int] = set()
    by_kind: dict[str, set[int]] = {}
    records = []
    for s in given:
        first = s.enterprise_id not in firms
        firms.add(s.enterprise_id)
        by_kind.setdefault(s.kind.value, set()).add(s.enterprise_id)
        label = f"{snap.enterprises.get(s.enterprise_id, '?')}: {s.kind.label_vi} — {s.description}"
        records.append(Counted("support", saved_id(s), s.given_on, label, int(first), s.sample))
    breakdown = {k: len(v) for k, v in by_kind.items()} | {"supports": len(given)}
    basis = "số doanh nghiệp được hỗ trợ trong kỳ; doanh nghiệp được hỗ trợ nhiều lần tính một"
    return Figure(
        "enterprises_supported",
        start,
        end,
        len(firms),
        breakdown=breakdown,
        basis=basis,
        records=tuple(records),
    )


def register_on(snap: Snapshot, day: date) -> ProducerRegister | None:
    """The producer register in force on ``day``: the latest dated on or before it."""
    current = [r for r in snap.registers if r.as_of <= day]
    return current[-1] if current else None


def _informed_share(snap: Snapshot, start: date, end: date) -> Figure:
    events = [o for o in snap.outreach if start <= o.held_on <= end]
    listed: set[str] = set()
    reported = 0
    records = []
    for o in events:
        if o.listed:
            names = {p.producer_key for p in snap.reached.get(saved_id(o), ())}
            adds = len(names - listed)
            listed |= names
        else:
            adds = o.producers_reached
            reported += adds
        records.append(Counted("outreach", saved_id(o), o.held_on, o.title, adds, o.sample))
    reached = len(listed) + reported
    register = register_on(snap, end)
    breakdown = {"events": len(events), "listed_distinct": len(listed), "reported": reported}
    if register is None:
        basis = "chưa có số liệu tổng số tổ chức, cá nhân sản xuất, kinh doanh (mẫu số)"
        return Figure(
            "informed_share", start, end, None, reached, None, breakdown, basis, tuple(records)
        )
    records.append(
        Counted(
            "register",
            saved_id(register),
            register.as_of,
            f"Mẫu số: {register.producers} — {register.source}",
            0,
            register.sample,
        )
    )
    basis = (
        f"tổ chức, cá nhân được thông tin, tập huấn trong kỳ / {register.producers} tổ chức, "
        f"cá nhân theo {register.source} ({register.as_of:%d/%m/%Y}); người được liệt kê "
        "ở nhiều sự kiện tính một lần"
    )
    share = round(100 * reached / register.producers, 1)
    return Figure(
        "informed_share",
        start,
        end,
        share,
        reached,
        register.producers,
        breakdown,
        basis,
        tuple(records),
    )


def _quality_award(snap: Snapshot, start: date, end: date) -> Figure:
    entries = [a for a in snap.awards if start <= a.stage_on <= end]
    took_part: set[int] = set()
    records = []
    for a in entries:
        counts = a.stage in TOOK_PART and a.enterprise_id not in took_part
        if a.stage in TOOK_PART:
            took_part.add(a.enterprise_id)
        label = f"{snap.enterprises.get(a.enterprise_id, '?')}: {a.year}, {a.stage.label_vi}"
        label += f" — {a.result}" if a.result else ""
        records.append(Counted("award", saved_id(a), a.stage_on, label, int(counts), a.sample))
    guided = {a.enterprise_id for a in entries if a.stage == AwardStage.GUIDED}
    breakdown = {"guided": len(guided), "took_part": len(took_part)}
    basis = "số doanh nghiệp tham gia (nộp hồ sơ trở lên) Giải thưởng chất lượng quốc gia"
    return Figure(
        "quality_award",
        start,
        end,
        len(took_part),
        breakdown=breakdown,
        basis=basis,
        records=tuple(records),
    )


def _ocop_trademark_share(snap: Snapshot, start: date, end: date) -> Figure:
    rated = {p.id: p for p in snap.ocop if p.ocop_rated_on is None or p.ocop_rated_on <= end}
    active = [
        t
        for t in snap.trademarks
        if t.product_id in rated and t.filed_on <= end and not (t.ended_on and t.ended_on <= end)
    ]
    products: set[int] = set()
    records = []
    for t in active:
        first = t.product_id not in products
        products.add(t.product_id)
        state = "đã cấp văn bằng" if t.granted_on and t.granted_on <= end else "đã nộp đơn"
        label = f"{rated[t.product_id].name_vi}: nhãn hiệu «{t.mark}», {state}"
        records.append(Counted("trademarks", saved_id(t), t.filed_on, label, int(first), t.sample))
    granted = {t.product_id for t in active if t.granted_on and t.granted_on <= end}
    breakdown = {"ocop_products": len(rated), "filed": len(products), "granted": len(granted)}
    if not rated:
        basis = f"chưa có sản phẩm OCOP được công nhận đến {end:%d/%m/%Y} trong cơ sở dữ liệu"
        return Figure("ocop_trademark_share", start, end, None, 0, 0, breakdown, basis)
    share = round(100 * len(products) / len(rated), 1)
    basis = (
        f"sản phẩm OCOP (được công nhận đến {end:%d/%m/%Y}) có nhãn hiệu đã nộp đơn đăng ký bảo "
        "hộ, chưa bị từ chối, rút hoặc hết hiệu lực, trên tổng số sản phẩm OCOP"
    )
    return Figure(
        "ocop_trademark_share",
        start,
        end,
        share,
        len(products),
        len(rated),
        breakdown,
        basis,
        tuple(records),
    )


_MEASURES = {
    "training": _training,
    "experts": _experts,
    "enterprises_supported": _enterprises_supported,
    "informed_share": _informed_share,
    "quality_award": _quality_award,
    "ocop_trademark_share": _ocop_trademark_share,
}


def milestones(snap: Snapshot, end: date) -> list[tuple[PortalMilestone, bool]]:
    """The portal's milestones, each with whether it was done by ``end``."""
    return [(m, m.done_on is not None and m.done_on <= end) for m in snap.milestones]
