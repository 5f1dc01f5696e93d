"""Sample records for the demo: made up, stored with ``sample`` true, and named "[MẪU]" so
that nothing shows them as the province's results (every view of a figure counting one says
so). Loaded only when asked (``tieuchuan plan samples``, or ``make run SAMPLES=1``);
:func:`remove_samples` takes them out again.

The samples fill all six numeric targets, some met and some not: 520 attendances (one
person at two courses), 8 experts, 32 enterprises supported (one twice), 41% of producers
informed against a register that changes in 2025, 2 enterprises in the National Quality
Award, and trademarks for three OCOP products in four of those the catalog holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from catalog.plan import records as r
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
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    OutreachTopic,
    ParticipantKind,
    SupportKind,
)
from catalog.upsert import ChangeContext

MARK = "[MẪU]"
SOURCE = {"source": "sample", "source_ref": "catalog/plan/samples.py"}
_K = ParticipantKind


def load_samples(session: Session) -> int:
    """Save every sample record (again: nothing changes); returns how many were saved."""
    context = ChangeContext(actor="samples")
    saved = 0

    def save(fn: Callable[..., Any], item: Any, **kw: Any) -> None:
        nonlocal saved
        fn(session, item, context=context, sample=True, **kw)
        saved += 1

    listed = [
        r.Participant(f"{MARK} Học viên {n:02d}", kind, f"{MARK} Đơn vị {n:02d}")
        for n, kind in enumerate(
            [_K.AGENCY] * 10 + [_K.LOCAL_GOVERNMENT] * 15 + [_K.ENTERPRISE] * 35
        )
    ]
    again = [listed[0]]  # one person from the 2024 course attends in 2026: two attendances
    again += [r.Participant(f"{MARK} Học viên 2026-{n:02d}", _K.ENTERPRISE) for n in range(29)]
    again += [r.Participant(f"{MARK} Hộ sản xuất {n:02d}", _K.OTHER) for n in range(12)]
    courses = (
        (date(2022, 6, 15), "Tập huấn năng suất chất lượng", {_K.AGENCY: 30, _K.ENTERPRISE: 90}),
        (
            date(2023, 9, 20),
            "Tập huấn truy xuất nguồn gốc",
            {_K.ORGANISATION: 40, _K.ENTERPRISE: 110},
        ),
        (date(2024, 10, 8), "Tập huấn mã số mã vạch", listed),
        (
            date(2025, 8, 12),
            "Tập huấn công cụ cải tiến",
            {_K.LOCAL_GOVERNMENT: 40, _K.ENTERPRISE: 120},
        ),
        (date(2026, 5, 19), "Tập huấn năng suất xanh", again),
    )
    for day, topic, people in courses:
        counts, participants = (people, ()) if isinstance(people, dict) else ({}, people)
        item = r.TrainingInput(
            day,
            f"{MARK} {topic}",
            f"{MARK} Sở Khoa học và Công nghệ",
            place="Tuyên Quang",
            counts=counts,
            participants=participants,
        )
        save(r.save_training, item, provenance=SOURCE)
    for n in range(8):
        kind = _K.AGENCY if n < 3 else _K.ENTERPRISE
        save(
            r.save_expert,
            r.ExpertInput(
                f"{MARK} Chuyên gia {n + 1:02d}",
                f"{MARK} Đơn vị {n + 1:02d}",
                kind,
                f"{MARK} Khóa đào tạo chuyên gia năng suất chất lượng",
                date(2023 + n % 3, 11, 10),
                f"{MARK}-CG-{n + 1:03d}",
            ),
            provenance=SOURCE,
        )
    kinds = list(SupportKind)
    for n in range(32):
        save(
            r.save_support,
            r.SupportInput(
                f"{MARK} Doanh nghiệp {n + 1:02d}",
                kinds[n % len(kinds)],
                date(2022 + n % 5, 3 + n % 9, 1 + n % 27),
                list(FundingSource)[n % 4],
                f"{MARK} Hỗ trợ {kinds[n % len(kinds)].label_vi.lower()}",
            ),
            provenance=SOURCE,
        )
    save(
        r.save_support,
        r.SupportInput(  # the first enterprise, supported a second time
            f"{MARK} Doanh nghiệp 01",
            SupportKind.TRACEABILITY,
            date(2026, 4, 2),
            FundingSource.INTEGRATED,
            f"{MARK} Hỗ trợ tem truy xuất nguồn gốc",
        ),
        provenance=SOURCE,
    )
    for day, producers in ((date(2022, 1, 1), 3000), (date(2025, 1, 1), 3200)):
        save(
            r.save_register,
            r.RegisterInput(
                day, producers, f"{MARK} Danh sách cơ sở sản xuất, kinh doanh nông lâm thủy sản"
            ),
        )
    events = (
        (date(2022, 7, 1), "Hội nghị ghi nhãn hàng hóa", [OutreachTopic.LABELLING], 400),
        (date(2023, 4, 5), "Phóng sự truy xuất nguồn gốc", [OutreachTopic.TRACEABILITY], 500),
        (date(2025, 6, 9), "Hội nghị mã số mã vạch", [OutreachTopic.BARCODES], 250),
        (date(2026, 3, 3), "Tập huấn công bố tiêu chuẩn", [OutreachTopic.DECLARED_STANDARDS], 162),
    )
    for day, title, topics, reached in events:
        save(
            r.save_outreach,
            r.OutreachInput(
                day, f"{MARK} {title}", f"{MARK} Chi cục TĐC", topics, producers_reached=reached
            ),
            provenance=SOURCE,
        )
    for n, stage in enumerate((AwardStage.REGISTERED, AwardStage.NATIONAL_REVIEW)):
        save(
            r.save_award,
            r.AwardInput(
                f"{MARK} Doanh nghiệp {n + 2:02d}", 2024 + n, stage, date(2024 + n, 6, 20)
            ),
            provenance=SOURCE,
        )
    save(
        r.save_award,
        r.AwardInput(f"{MARK} Doanh nghiệp 05", 2026, AwardStage.GUIDED, date(2026, 4, 10)),
        provenance=SOURCE,
    )
    ocop = sorted(r.ocop_products(session), key=lambda p: p.slug)
    for n, product in enumerate(p for i, p in enumerate(ocop) if i % 4 != 3):
        granted = date(2025, 5, 2) if n % 2 == 0 else None
        save(
            r.save_trademark,
            r.TrademarkInput(
                product.slug,
                f"{MARK} {product.name_vi}",
                date(2024, 2, 1),
                f"{MARK}-4-2024-{n + 1:05d}",
                f"{MARK}-VB-{n + 1:05d}" if granted else None,
                granted,
            ),
            provenance=SOURCE,
        )
    for title, due, done in (
        (
            "Khảo sát, xây dựng đề cương Cổng thông tin truy xuất nguồn gốc",
            date(2024, 6, 30),
            date(2024, 6, 15),
        ),
        ("Vận hành thử nghiệm Cổng thông tin", date(2025, 12, 31), date(2025, 11, 20)),
        ("Kết nối với Cổng truy xuất nguồn gốc quốc gia", date(2026, 12, 31), None),
    ):
        save(r.save_milestone, r.MilestoneInput(f"{MARK} {title}", due, done), provenance=SOURCE)
    session.flush()
    return saved


def remove_samples(session: Session) -> int:
    """Delete every sample record (and the lists of sample courses and events)."""
    removed = 0
    courses = select(TrainingCourse.id).where(col(TrainingCourse.sample))
    events = select(Outreach.id).where(col(Outreach.sample))
    for child, column, parents in (
        (TrainingAttendance, TrainingAttendance.course_id, courses),
        (OutreachProducer, OutreachProducer.outreach_id, events),
    ):
        for row in session.exec(select(child).where(col(column).in_(parents))).all():
            session.delete(row)
    session.flush()
    for model in (
        TrainingCourse,
        TrainedExpert,
        EnterpriseSupport,
        ProducerRegister,
        Outreach,
        QualityAwardEntry,
        OcopTrademark,
        PortalMilestone,
    ):
        for row in session.exec(select(model).where(col(model.sample))).all():
            session.delete(row)
            removed += 1
    session.flush()
    return removed
