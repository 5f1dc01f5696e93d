"""The plan's annual report (section V.1: to the provincial committee and the ministry before
30 November each year): its figures, its XLSX annex of every record counted, the log of
reports generated and the reminder of the deadline. The DOCX itself is written by
:mod:`catalog.plan.annual_docx`.

A report for year ``Y`` covers 01/01/Y to the report's day (31/12/Y at the latest), beside
the figures accumulated from the plan's start, which the targets are measured against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from catalog import clock
from catalog.plan import measure
from catalog.plan.measure import Figure
from catalog.plan.models import PlanReportIssue, PortalMilestone
from catalog.plan.wording import vi_date
from catalog.reports.plan import PLAN_2021_2025, Plan, Target
from catalog.reports.tables import Table, workbook

ISSUER_PARENT = "UBND TỈNH TUYÊN QUANG"
ISSUER = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
NUMBER_SUFFIX = "/BC-SKHCN"
PLACE = "Tuyên Quang"
ADDRESSEES = ("Ủy ban nhân dân tỉnh Tuyên Quang", "Bộ Khoa học và Công nghệ")
SAMPLE_WARNING = "BẢN MẪU — SỐ LIỆU MẪU DÙNG ĐỂ TRÌNH DIỄN, KHÔNG PHẢI KẾT QUẢ THỰC HIỆN CỦA TỈNH"
_KIND_NAMES = {
    "training": "Lớp đào tạo, tập huấn",
    "experts": "Chuyên gia",
    "support": "Hỗ trợ doanh nghiệp",
    "outreach": "Thông tin, tuyên truyền",
    "register": "Số liệu tổ chức, cá nhân SXKD",
    "award": "Giải thưởng chất lượng quốc gia",
    "trademarks": "Nhãn hiệu sản phẩm OCOP",
}


class AnnualReportError(ValueError):
    """The report cannot be made for what was asked (a year outside the plan's reach)."""


@dataclass(frozen=True)
class TargetResult:
    target: Target
    year: Figure
    cumulative: Figure
    met: bool | None


@dataclass(frozen=True)
class AnnualReport:
    plan: Plan
    year: int
    issued_on: date
    number: str | None
    start: date
    end: date
    results: tuple[TargetResult, ...]
    milestones: tuple[tuple[PortalMilestone, bool], ...]
    includes_samples: bool

    @property
    def title(self) -> str:
        return (
            f"Kết quả thực hiện Kế hoạch thực hiện Chương trình quốc gia hỗ trợ doanh nghiệp "
            f"nâng cao năng suất và chất lượng sản phẩm, hàng hóa trên địa bàn tỉnh Tuyên "
            f"Quang năm {self.year}"
        )


def annual_report(
    session: Session,
    year: int,
    *,
    issued_on: date | None = None,
    number: str | None = None,
    plan: Plan = PLAN_2021_2025,
) -> AnnualReport:
    """The figures of ``year`` up to ``issued_on`` (default: today, or 31/12 of a past year)."""
    today = clock.today()
    if not plan.starts.year <= year <= today.year:
        raise AnnualReportError(
            f"year: {year} is outside {plan.starts.year}–{today.year} (the plan's start to now)"
        )
    issued_on = issued_on or min(today, date(year, 12, 31))
    start, end = date(year, 1, 1), min(issued_on, date(year, 12, 31))
    if end < start:
        raise AnnualReportError(f"issued_on: {issued_on} is before the year {year} begins")
    snap = measure.load(session)
    in_year = measure.figures(snap, start, end)
    so_far = measure.figures(snap, plan.starts, end)
    results = tuple(
        TargetResult(
            t,
            in_year[t.metric],
            so_far[t.metric],
            t.met_by(value) if (value := so_far[t.metric].value) is not None else None,
        )
        for t in plan.targets
        if t.metric in in_year
    )
    milestones = tuple(measure.milestones(snap, end))
    samples = any(r.cumulative.includes_samples for r in results) or any(
        m.sample for m, _ in milestones
    )
    return AnnualReport(plan, year, issued_on, number, start, end, results, milestones, samples)


def annex_tables(report: AnnualReport) -> list[Table]:
    """The annex: the figures, then every record counted, one sheet per target."""
    summary = Table(
        "Tổng hợp",
        (
            "STT",
            "Mục tiêu",
            "Chỉ tiêu",
            f"Năm {report.year}",
            "Lũy kế từ 2021",
            "Tử số",
            "Mẫu số",
            "Đánh giá",
            "Cách tính",
            "Có số liệu mẫu",
        ),
        tuple(
            (
                n,
                r.target.wording_vi,
                goal(r.target),
                r.year.value,
                r.cumulative.value,
                r.cumulative.numerator,
                r.cumulative.denominator,
                verdict(r.met),
                r.cumulative.basis,
                "có" if r.cumulative.includes_samples else "không",
            )
            for n, r in enumerate(report.results, start=1)
        ),
    )
    sheets = [summary]
    for r in report.results:
        sheets.append(
            Table(
                r.target.key,
                (
                    "Ngày",
                    "Loại bản ghi",
                    "Mã bản ghi",
                    "Nội dung",
                    "Tính vào số liệu",
                    f"Trong năm {report.year}",
                    "Mẫu",
                ),
                tuple(
                    (
                        c.on,
                        _KIND_NAMES.get(c.kind, c.kind),
                        c.id,
                        c.label,
                        c.adds,
                        "có" if report.start <= c.on <= report.end else "không",
                        "MẪU" if c.sample else "",
                    )
                    for c in r.cumulative.records
                ),
            )
        )
    sheets.append(
        Table(
            "Cổng TXNG",
            ("Mốc", "Thời hạn", "Ngày hoàn thành", "Hoàn thành", "Minh chứng", "Mẫu"),
            tuple(
                (
                    m.title,
                    m.due_on,
                    m.done_on,
                    "có" if done else "không",
                    m.evidence,
                    "MẪU" if m.sample else "",
                )
                for m, done in report.milestones
            ),
        )
    )
    return sheets


def annex_xlsx(report: AnnualReport) -> bytes:
    heading = [
        f"Phụ lục số liệu — {report.title}",
        f"Kỳ báo cáo: {vi_date(report.start)} – {vi_date(report.end)}; lũy kế từ "
        f"{vi_date(report.plan.starts)}",
    ]
    if report.includes_samples:
        heading.insert(0, SAMPLE_WARNING)
    return workbook(annex_tables(report), heading)


def goal(target: Target) -> str:
    sign = {">": "trên", ">=": "ít nhất"}.get(target.comparator or "", "")
    value = f"{target.value:g}".replace(".", ",")
    return f"{sign} {value} {target.unit}".replace(" %", "%").strip()


def verdict(met: bool | None) -> str:
    return {True: "Đạt", False: "Chưa đạt", None: "Chưa đánh giá được"}[met]


# --- the log of reports generated, and the reminder ----------------------------------------


def record_generation(
    session: Session, report: AnnualReport, *, via: str, by: str | None = None
) -> PlanReportIssue:
    row = PlanReportIssue(
        year=report.year, via=via, generated_by=by, includes_samples=report.includes_samples
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Reminder:
    year: int
    deadline: date
    days_left: int  # negative once the deadline has passed
    report_generated: bool
    last_generated_at: datetime | None
    last_with_samples: bool


def reminder(session: Session, plan: Plan = PLAN_2021_2025) -> Reminder:
    """This year's report deadline (30 November), the days left, and whether it was made."""
    today = clock.today()
    month, day = plan.report_due
    deadline = date(today.year, month, day)
    last = session.exec(
        select(PlanReportIssue)
        .where(PlanReportIssue.year == today.year)
        .order_by(col(PlanReportIssue.generated_at).desc())
    ).first()
    return Reminder(
        year=today.year,
        deadline=deadline,
        days_left=(deadline - today).days,
        report_generated=last is not None,
        last_generated_at=clock.local(last.generated_at) if last else None,
        last_with_samples=bool(last and last.includes_samples),
    )
