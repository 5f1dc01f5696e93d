"""The spreadsheets an office keeps for the provincial plan, one per kind of record, read
row by row into the inputs of :mod:`catalog.plan.records`.

Columns are found by their folded headers (any order; the aliases below). Each kind:

- ``training``: Ngày, Đến ngày, Nội dung (chủ đề), Đơn vị tổ chức, Địa điểm, and the
  participants by where they work: Sở ngành, UBND huyện thành phố, Tổ chức, Doanh nghiệp, Khác;
- ``attendance``: a course's participant list: Ngày lớp, Chủ đề lớp (naming a course already
  recorded), Họ và tên, Đơn vị công tác, Loại đơn vị;
- ``experts``: Họ và tên, Đơn vị công tác, Loại đơn vị, Khóa đào tạo, Số chứng chỉ, Ngày cấp;
- ``support``: Doanh nghiệp, Mã số thuế, Loại hỗ trợ, Nội dung hỗ trợ, Ngày, Nguồn kinh phí,
  Kinh phí (đồng);
- ``register``: Ngày, Số tổ chức cá nhân, Nguồn số liệu;
- ``outreach``: Ngày, Hoạt động, Đơn vị thực hiện, Hình thức, Nội dung (topics separated by
  ";"), Số tổ chức cá nhân được tiếp cận;
- ``award``: Doanh nghiệp, Mã số thuế, Năm, Giai đoạn, Ngày, Kết quả;
- ``trademarks``: Sản phẩm, Nhãn hiệu, Số đơn, Ngày nộp đơn, Số văn bằng, Ngày cấp,
  Ngày chấm dứt, Lý do;
- ``milestones``: Nội dung, Thời hạn, Ngày hoàn thành, Minh chứng.

Every kind also takes Ghi chú (note). A cell that cannot be read raises
:class:`~ingest.records.RejectError` naming the column and the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog.plan import records as r
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    OutreachTopic,
    ParticipantKind,
    SupportKind,
)
from ingest import cells
from ingest.records import RejectError
from ingest.sheets import SheetRow

NOTE = ("ghi chu",)
PARTICIPANT_ALIASES = {
    "sở, ngành": ParticipantKind.AGENCY,
    "sở": ParticipantKind.AGENCY,
    "ubnd": ParticipantKind.LOCAL_GOVERNMENT,
    "ubnd huyện": ParticipantKind.LOCAL_GOVERNMENT,
    "ubnd xã": ParticipantKind.LOCAL_GOVERNMENT,
    "huyện, thành phố": ParticipantKind.LOCAL_GOVERNMENT,
    "tổ chức": ParticipantKind.ORGANISATION,
    "doanh nghiệp": ParticipantKind.ENTERPRISE,
    "dn": ParticipantKind.ENTERPRISE,
    "khác": ParticipantKind.OTHER,
    "cá nhân": ParticipantKind.OTHER,
}
SUPPORT_ALIASES = {
    "tiêu chuẩn": SupportKind.STANDARDS,
    "quy chuẩn": SupportKind.REGULATIONS,
    "hệ thống quản lý": SupportKind.MANAGEMENT_SYSTEM,
    "công cụ cải tiến": SupportKind.IMPROVEMENT_TOOLS,
    "công cụ": SupportKind.IMPROVEMENT_TOOLS,
}
FUNDING_ALIASES = {
    "sự nghiệp khoa học": FundingSource.SCIENCE_BUDGET,
    "ngân sách": FundingSource.SCIENCE_BUDGET,
    "ngân sách tỉnh": FundingSource.SCIENCE_BUDGET,
    "lồng ghép": FundingSource.INTEGRATED,
    "doanh nghiệp": FundingSource.ENTERPRISE,
    "khác": FundingSource.OTHER,
}
TOPIC_ALIASES = {
    "mã vạch": OutreachTopic.BARCODES,
    "ghi nhãn": OutreachTopic.LABELLING,
    "nhãn hàng hóa": OutreachTopic.LABELLING,
    "công bố tiêu chuẩn": OutreachTopic.DECLARED_STANDARDS,
    "truy xuất": OutreachTopic.TRACEABILITY,
}
STAGE_ALIASES = {
    "hướng dẫn": AwardStage.GUIDED,
    "nộp hồ sơ": AwardStage.REGISTERED,
    "đăng ký": AwardStage.REGISTERED,
    "sơ tuyển": AwardStage.PROVINCIAL_REVIEW,
    "hội đồng tỉnh": AwardStage.PROVINCIAL_REVIEW,
    "hội đồng quốc gia": AwardStage.NATIONAL_REVIEW,
    "đạt giải": AwardStage.DECIDED,
    "kết quả": AwardStage.DECIDED,
}
_COURSE_COUNTS = {
    ParticipantKind.AGENCY: ("so nganh", "so, nganh", "cac so nganh"),
    ParticipantKind.LOCAL_GOVERNMENT: ("ubnd huyen thanh pho", "ubnd", "ubnd huyen xa"),
    ParticipantKind.ORGANISATION: ("to chuc",),
    ParticipantKind.ENTERPRISE: ("doanh nghiep",),
    ParticipantKind.OTHER: ("khac",),
}


@dataclass(frozen=True)
class Attendance:
    """One row of a participant list: the course it belongs to and the person."""

    held_on: Any
    topic: str
    participant: r.Participant


Getter = Callable[..., Any]


def _required_text(get: Getter, column: str, *names: str) -> str:
    value = cells.text(get(*names))
    if not value:
        raise RejectError(f"{column}: the value is missing")
    return value


def _required_date(get: Getter, column: str, *names: str) -> date:
    day = cells.first_date(get(*names), column)
    if day is None:
        raise RejectError(f"{column}: the date is missing")
    return day


def _count(get: Getter, column: str, *names: str) -> int | None:
    return cells.whole_number(get(*names), column)


def training(get: Getter) -> r.TrainingInput:
    counts = {
        kind: n
        for kind, names in _COURSE_COUNTS.items()
        if (n := _count(get, f"Số người ({kind.label_vi})", *names)) is not None
    }
    if not counts:
        raise RejectError("Sở ngành… Khác: no participant count is given")
    return r.TrainingInput(
        held_on=_required_date(get, "Ngày", "ngay", "ngay to chuc", "tu ngay"),
        ends_on=cells.first_date(get("den ngay"), "Đến ngày"),
        topic=_required_text(get, "Nội dung", "noi dung", "chu de", "ten lop"),
        organiser=_required_text(get, "Đơn vị tổ chức", "don vi to chuc", "don vi chu tri"),
        place=cells.text(get("dia diem")),
        counts=counts,
        note=cells.text(get(*NOTE)),
    )


def attendance(get: Getter) -> Attendance:
    kind = cells.choice(ParticipantKind, get("loai don vi"), "Loại đơn vị", PARTICIPANT_ALIASES)
    return Attendance(
        held_on=_required_date(get, "Ngày lớp", "ngay lop", "ngay"),
        topic=_required_text(get, "Chủ đề lớp", "chu de lop", "noi dung lop", "lop"),
        participant=r.Participant(
            person=_required_text(get, "Họ và tên", "ho va ten", "ho ten"),
            organisation=cells.text(get("don vi cong tac", "don vi", "co quan")),
            kind=kind,
        ),
    )


def experts(get: Getter) -> r.ExpertInput:
    return r.ExpertInput(
        person=_required_text(get, "Họ và tên", "ho va ten", "ho ten"),
        organisation=_required_text(get, "Đơn vị công tác", "don vi cong tac", "don vi"),
        kind=cells.choice(ParticipantKind, get("loai don vi"), "Loại đơn vị", PARTICIPANT_ALIASES),
        course=_required_text(get, "Khóa đào tạo", "khoa dao tao", "khoa hoc"),
        certificate=cells.text(get("so chung chi", "chung chi")),
        certified_on=_required_date(get, "Ngày cấp", "ngay cap", "ngay"),
        note=cells.text(get(*NOTE)),
    )


def support(get: Getter) -> r.SupportInput:
    tax_code = cells.text(get("ma so thue", "mst"))
    if tax_code is not None and not tax_code.replace("-", "").isdigit():
        raise RejectError(f"Mã số thuế: expected digits (e.g. 5000123456), got {tax_code!r}")
    return r.SupportInput(
        enterprise=_required_text(get, "Doanh nghiệp", "doanh nghiep", "ten doanh nghiep"),
        tax_code=tax_code,
        kind=cells.choice(SupportKind, get("loai ho tro"), "Loại hỗ trợ", SUPPORT_ALIASES),
        description=_required_text(get, "Nội dung hỗ trợ", "noi dung ho tro", "noi dung"),
        given_on=_required_date(get, "Ngày", "ngay", "ngay ho tro"),
        funding=cells.choice(
            FundingSource, get("nguon kinh phi"), "Nguồn kinh phí", FUNDING_ALIASES
        ),
        amount_vnd=_count(get, "Kinh phí (đồng)", "kinh phi dong", "kinh phi"),
        note=cells.text(get(*NOTE)),
    )


def register(get: Getter) -> r.RegisterInput:
    producers = _count(get, "Số tổ chức, cá nhân", "so to chuc ca nhan", "tong so")
    if not producers:
        raise RejectError("Số tổ chức, cá nhân: the count is missing or zero")
    return r.RegisterInput(
        as_of=_required_date(get, "Ngày", "ngay", "ngay so lieu"),
        producers=producers,
        source=_required_text(get, "Nguồn số liệu", "nguon so lieu", "nguon"),
        note=cells.text(get(*NOTE)),
    )


def outreach(get: Getter) -> r.OutreachInput:
    topics = [
        cells.choice(OutreachTopic, t, "Nội dung", TOPIC_ALIASES)
        for t in cells.split_list(get("noi dung", "chu de"))
    ]
    if not topics:
        raise RejectError("Nội dung: name the topics (truy xuất nguồn gốc; mã số mã vạch; …)")
    reached = _count(get, "Số tổ chức, cá nhân", "so to chuc ca nhan duoc tiep can", "so luong")
    if reached is None:
        raise RejectError("Số tổ chức, cá nhân được tiếp cận: the count is missing")
    return r.OutreachInput(
        held_on=_required_date(get, "Ngày", "ngay"),
        title=_required_text(get, "Hoạt động", "hoat dong", "ten hoat dong"),
        organiser=_required_text(get, "Đơn vị thực hiện", "don vi thuc hien", "don vi to chuc"),
        channel=cells.text(get("hinh thuc")),
        topics=topics,
        producers_reached=reached,
        note=cells.text(get(*NOTE)),
    )


def award(get: Getter) -> r.AwardInput:
    year = _count(get, "Năm", "nam")
    if year is None:
        raise RejectError("Năm: the award year is missing")
    return r.AwardInput(
        enterprise=_required_text(get, "Doanh nghiệp", "doanh nghiep", "ten doanh nghiep"),
        tax_code=cells.text(get("ma so thue", "mst")),
        year=year,
        stage=cells.choice(AwardStage, get("giai doan"), "Giai đoạn", STAGE_ALIASES),
        stage_on=_required_date(get, "Ngày", "ngay"),
        result=cells.text(get("ket qua")),
        note=cells.text(get(*NOTE)),
    )


def trademarks(get: Getter) -> r.TrademarkInput:
    return r.TrademarkInput(
        product=_required_text(get, "Sản phẩm", "san pham", "ten san pham"),
        mark=_required_text(get, "Nhãn hiệu", "nhan hieu"),
        application_number=cells.text(get("so don")),
        filed_on=_required_date(get, "Ngày nộp đơn", "ngay nop don"),
        certificate_number=cells.text(get("so van bang", "so giay chung nhan")),
        granted_on=cells.first_date(get("ngay cap", "ngay cap van bang"), "Ngày cấp"),
        ended_on=cells.first_date(get("ngay cham dut"), "Ngày chấm dứt"),
        ended_reason=cells.text(get("ly do")),
        note=cells.text(get(*NOTE)),
    )


def milestones(get: Getter) -> r.MilestoneInput:
    return r.MilestoneInput(
        title=_required_text(get, "Nội dung", "noi dung", "moc"),
        due_on=cells.first_date(get("thoi han", "han"), "Thời hạn"),
        done_on=cells.first_date(get("ngay hoan thanh"), "Ngày hoàn thành"),
        evidence=cells.text(get("minh chung", "can cu")),
        note=cells.text(get(*NOTE)),
    )


PARSERS: dict[str, Callable[[Getter], Any]] = {
    "training": training,
    "attendance": attendance,
    "experts": experts,
    "support": support,
    "register": register,
    "outreach": outreach,
    "award": award,
    "trademarks": trademarks,
    "milestones": milestones,
}


def parse(kind: str, row: SheetRow) -> Any:
    """A row as the input of its kind, or :class:`RejectError`."""
    return PARSERS[kind](row.get)
