"""The six numeric targets from hand-built records: repeat participants, a period boundary,
an enterprise supported twice, a producer register that changes, trademarks that end."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder

from catalog.plan import measure
from catalog.plan import records as r
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    OutreachTopic,
    ParticipantKind,
    SupportKind,
)
from catalog.reports.indicators import indicators
from catalog.upsert import ChangeContext
from catalog.vocab import ProductKind

CTX = ChangeContext(actor="test")
A, L, ORG, E, X = (
    ParticipantKind.AGENCY,
    ParticipantKind.LOCAL_GOVERNMENT,
    ParticipantKind.ORGANISATION,
    ParticipantKind.ENTERPRISE,
    ParticipantKind.OTHER,
)


@pytest.fixture
def plan_records(session):
    """Records on both sides of 31/12/2025 and on the boundary days themselves."""
    cat = CatalogBuilder(session)
    teas = [cat.product(f"Chè OCOP {n}", kind=ProductKind.OCOP, ocop_stars=3) for n in range(4)]
    teas[3].ocop_rated_on = date(2026, 6, 1)  # rated later: not in the 2025 denominator
    # training: a listed course (An attends twice), a counted one, one on 01/01/2026
    an = r.Participant("Nguyễn Văn An", A, "Sở Công Thương")
    course_1 = [an, r.Participant("Bình", E, "HTX Tân Trào"), r.Participant("Cúc", X, None)]
    r.save_training(
        session,
        r.TrainingInput(date(2025, 3, 1), "Mã số mã vạch", "Sở KH&CN", participants=course_1),
        context=CTX,
    )
    course_2 = [an, r.Participant("Dung", L, "UBND xã Yên Sơn")]
    r.save_training(
        session,
        r.TrainingInput(
            date(2025, 12, 31), "Truy xuất nguồn gốc", "Sở KH&CN", participants=course_2
        ),
        context=CTX,
    )
    r.save_training(
        session,
        r.TrainingInput(
            date(2025, 6, 1), "Năng suất xanh", "Sở KH&CN", counts={A: 10, ORG: 5, E: 20, X: 7}
        ),
        context=CTX,
    )
    r.save_training(
        session, r.TrainingInput(date(2026, 1, 1), "5S", "Sở KH&CN", counts={E: 30}), context=CTX
    )
    # experts: the same person certified twice counts once
    for cert, day in (("CG-1", date(2025, 2, 1)), ("CG-2", date(2025, 9, 1))):
        r.save_expert(
            session, r.ExpertInput("Phạm D", "Sở KH&CN", A, f"Khóa {cert}", day, cert), context=CTX
        )
    r.save_expert(
        session, r.ExpertInput("Lê E", "Công ty F", E, "Khóa 3", date(2026, 2, 1)), context=CTX
    )
    # support: Mỹ Lâm twice in 2025, Sơn Dương once in 2026
    for kind, day in (
        (SupportKind.STANDARDS, date(2025, 1, 1)),
        (SupportKind.TRACEABILITY, date(2025, 8, 1)),
    ):
        r.save_support(
            session,
            r.SupportInput(
                "Công ty Chè Mỹ Lâm", kind, day, FundingSource.SCIENCE_BUDGET, f"Hỗ trợ {kind}"
            ),
            context=CTX,
        )
    r.save_support(
        session,
        r.SupportInput(
            "HTX Sơn Dương",
            SupportKind.MANAGEMENT_SYSTEM,
            date(2026, 3, 1),
            FundingSource.ENTERPRISE,
            "ISO",
        ),
        context=CTX,
    )
    # the register: 200 producers from 2025, 400 from 01/01/2026
    r.save_register(session, r.RegisterInput(date(2025, 1, 1), 200, "Sở NN 2025"), context=CTX)
    r.save_register(session, r.RegisterInput(date(2026, 1, 1), 400, "Sở NN 2026"), context=CTX)
    # outreach: two listed events sharing a producer, one reported count
    listed = [r.ReachedProducer("HTX A", "5000000001"), r.ReachedProducer("HTX B")]
    r.save_outreach(
        session,
        r.OutreachInput(
            date(2025, 4, 1), "Hội nghị 1", "Chi cục", [OutreachTopic.LABELLING], producers=listed
        ),
        context=CTX,
    )
    again = [r.ReachedProducer("HTX A", "5000000001"), r.ReachedProducer("HTX C")]
    r.save_outreach(
        session,
        r.OutreachInput(
            date(2025, 5, 1), "Hội nghị 2", "Chi cục", [OutreachTopic.BARCODES], producers=again
        ),
        context=CTX,
    )
    r.save_outreach(
        session,
        r.OutreachInput(
            date(2025, 10, 1),
            "Phóng sự",
            "Đài PTTH",
            [OutreachTopic.TRACEABILITY],
            producers_reached=47,
        ),
        context=CTX,
    )
    # award: guided only (not counted), registered, and a later stage of the same firm
    r.save_award(
        session, r.AwardInput("Công ty G", 2025, AwardStage.GUIDED, date(2025, 3, 1)), context=CTX
    )
    r.save_award(
        session,
        r.AwardInput("Công ty Chè Mỹ Lâm", 2025, AwardStage.REGISTERED, date(2025, 5, 1)),
        context=CTX,
    )
    r.save_award(
        session,
        r.AwardInput("Công ty Chè Mỹ Lâm", 2025, AwardStage.DECIDED, date(2025, 11, 1), "Giải Bạc"),
        context=CTX,
    )
    # trademarks: granted; filed then refused in 2026; a second mark of the same product
    r.save_trademark(
        session,
        r.TrademarkInput(teas[0].slug, "Mark 0", date(2024, 1, 1), "A0", "VB0", date(2025, 1, 1)),
        context=CTX,
    )
    r.save_trademark(
        session,
        r.TrademarkInput(teas[1].slug, "Mark 1", date(2025, 2, 1), "A1", ended_on=date(2026, 2, 1)),
        context=CTX,
    )
    r.save_trademark(
        session, r.TrademarkInput(teas[0].slug, "Mark 0b", date(2025, 3, 1), "A2"), context=CTX
    )
    session.commit()
    return teas


def test_figures_for_2025(session, plan_records):
    got = measure.figures(measure.load(session), date(2025, 1, 1), date(2025, 12, 31))
    training = got["training"]
    # An at two courses counts twice; Cúc and the 7 "other" are not counted
    assert training.value == (1 + 1) + (1 + 1) + (10 + 5 + 20)
    assert training.breakdown["other"] == 8 and training.breakdown["distinct_listed_people"] == 3
    assert [c.adds for c in training.records] == [2, 35, 2]
    assert got["experts"].value == 1
    assert [c.adds for c in got["experts"].records] == [1, 0]
    supported = got["enterprises_supported"]
    assert supported.value == 1 and supported.breakdown["supports"] == 2
    assert [c.adds for c in supported.records] == [1, 0]
    informed = got["informed_share"]
    assert (informed.numerator, informed.denominator) == (3 + 47, 200)
    assert informed.value == 25.0
    assert "Sở NN 2025" in informed.basis
    assert got["quality_award"].value == 1
    assert got["quality_award"].breakdown == {"guided": 1, "took_part": 1}
    trademark = got["ocop_trademark_share"]
    assert (trademark.numerator, trademark.denominator, trademark.value) == (2, 3, 66.7)
    assert trademark.breakdown["granted"] == 1


def test_period_boundaries_and_a_register_that_changes(session, plan_records):
    snap = measure.load(session)
    last_day = measure.figures(snap, date(2025, 12, 31), date(2025, 12, 31))
    assert last_day["training"].value == 2  # the course held on the last day counts
    first_day = measure.figures(snap, date(2026, 1, 1), date(2026, 1, 1))
    assert first_day["training"].value == 30
    y2026 = measure.figures(snap, date(2026, 1, 1), date(2026, 12, 31))
    assert y2026["informed_share"].denominator == 400  # the new register from 01/01/2026
    assert y2026["informed_share"].value == 0.0
    whole = measure.figures(snap, date(2021, 1, 1), date(2026, 12, 31))
    assert whole["informed_share"].value == 12.5  # 50 of 400
    assert whole["enterprises_supported"].value == 2  # Mỹ Lâm twice, Sơn Dương once
    assert whole["experts"].value == 2
    assert whole["training"].value == 39 + 30
    # 2026: product 1's mark refused, product 3 now rated and without a mark
    assert (whole["ocop_trademark_share"].numerator, whole["ocop_trademark_share"].denominator) == (
        1,
        4,
    )
    before = measure.figures(snap, date(2021, 1, 1), date(2024, 12, 31))
    assert before["informed_share"].value is None  # no register yet
    assert "chưa có số liệu" in before["informed_share"].basis


def test_indicators_report_the_period_and_the_plan_wording(session, plan_records):
    report = indicators(session, date(2026, 12, 31), start=date(2026, 1, 1))
    status = {s.target.key: s for s in report.targets}
    assert status["training"].measured.value == 30
    assert status["training"].target.wording_vi.startswith("Đào tạo, tập huấn về năng suất")
    assert status["training"].met is False
    assert status["informed_share"].figure.denominator == 400
    assert status["informed_share"].figure.records == ()  # records: via the drill-down
    series = {s.key: s for s in report.series}
    assert [p.value for p in series["training"].points][-2:] == [39, 69]
    assert [p.value for p in series["enterprises_supported"].points][-2:] == [1, 2]
    assert report.includes_samples is False


def test_samples_are_marked(session, plan_records):
    r.save_expert(
        session, r.ExpertInput("Mẫu", "Sở", A, "Khóa", date(2025, 1, 5)), context=CTX, sample=True
    )
    session.commit()
    got = measure.figures(measure.load(session), date(2025, 1, 1), date(2025, 12, 31))
    assert got["experts"].includes_samples and not got["training"].includes_samples
    assert indicators(session, date(2025, 12, 31)).includes_samples


def test_the_demo_samples_fill_every_target_and_can_be_removed(session):
    from catalog.plan.samples import load_samples, remove_samples

    cat = CatalogBuilder(session)
    for n in range(4):
        cat.product(f"Sản phẩm OCOP {n}", kind=ProductKind.OCOP, ocop_stars=3)
    saved = load_samples(session)
    assert load_samples(session) == saved  # again: the same records, nothing new
    session.commit()
    report = indicators(session, date(2026, 12, 31))
    values = {s.target.key: s.measured.value for s in report.targets if s.measured}
    assert values == {
        "training": 520,
        "experts": 8,
        "enterprises_supported": 32,
        "informed_share": 41.0,
        "quality_award": 2,
        "ocop_trademark_share": 75.0,
    }
    assert report.includes_samples and all(m.sample for m in report.milestones)
    assert remove_samples(session) > 0
    session.commit()
    assert not indicators(session, date(2026, 12, 31)).includes_samples
