"""The provincial plan's numeric targets, quoted from the plan named below.

Kế hoạch thực hiện Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất
lượng sản phẩm, hàng hóa trên địa bàn tỉnh Tuyên Quang giai đoạn 2021-2025 (UBND tỉnh
Tuyên Quang, signed 19-04-2022), implementing decision 1322/QĐ-TTg. Its section II.2
"Mục tiêu cụ thể" sets the targets below, all due by the end of the period. ``metric``
names the figure measuring a target from the plan's records (:mod:`catalog.plan.measure`);
the traceability portal is a deliverable, followed by its milestones. Section III's task
groups are quoted too, for the annual report (section V.1: before 30 November each year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Target:
    key: str
    wording_vi: str  # the plan's own words
    comparator: str | None  # ">" (trên) or ">=" (ít nhất, trở lên); None when not numeric
    value: float | None
    unit: str
    metric: str | None  # the indicator measuring it here, if any
    note: str

    def met_by(self, measured: float) -> bool | None:
        if self.value is None or self.comparator is None:
            return None
        return measured > self.value if self.comparator == ">" else measured >= self.value


@dataclass(frozen=True)
class Plan:
    title: str
    issuer: str
    signed_on: date
    starts: date
    ends: date
    basis: str
    targets: tuple[Target, ...]
    tasks: tuple[str, ...]  # section III's task groups, in the plan's words
    report_due: tuple[int, int]  # (month, day) of the yearly report's deadline


PLAN_2021_2025 = Plan(
    title=(
        "Kế hoạch thực hiện Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và "
        "chất lượng sản phẩm, hàng hóa trên địa bàn tỉnh Tuyên Quang giai đoạn 2021-2025"
    ),
    issuer="Ủy ban nhân dân tỉnh Tuyên Quang",
    signed_on=date(2022, 4, 19),
    starts=date(2021, 1, 1),
    ends=date(2025, 12, 31),
    basis="1322/QĐ-TTg",
    targets=(
        Target(
            "training",
            "Đào tạo, tập huấn về năng suất, chất lượng cho trên 500 lượt người thuộc các sở, "
            "ngành, Ủy ban nhân dân huyện, thành phố, tổ chức, doanh nghiệp.",
            ">",
            500,
            "lượt người",
            "training",
            "participants summed over the courses held (a person at two courses counts twice)",
        ),
        Target(
            "experts",
            "Đào tạo về chuyên gia năng suất, chất lượng cho ít nhất 10 người thuộc các sở, "
            "ngành, doanh nghiệp.",
            ">=",
            10,
            "người",
            "experts",
            "distinct persons certified as productivity and quality experts",
        ),
        Target(
            "enterprises_supported",
            "Có 30 doanh nghiệp trở lên được hỗ trợ các giải pháp về tiêu chuẩn, quy chuẩn kỹ "
            "thuật, truy xuất nguồn gốc, hệ thống quản lý, công cụ cải tiến nhằm nâng cao năng "
            "suất chất lượng sản phẩm, hàng hóa.",
            ">=",
            30,
            "doanh nghiệp",
            "enterprises_supported",
            "distinct enterprises with a support record (an enterprise supported twice counts "
            "once)",
        ),
        Target(
            "informed_share",
            "Phấn đấu 50% các tổ chức, cá nhân sản xuất, kinh doanh các sản phẩm nông lâm thuỷ "
            "sản, thực phẩm trên địa bàn tỉnh được thông tin tuyên truyền, đào tạo, tập huấn "
            "kiến thức về hoạt động truy xuất nguồn gốc; mã số mã vạch; ghi nhãn hàng hoá và "
            "công bố tiêu chuẩn chất lượng sản phẩm hàng hoá.",
            ">=",
            50,
            "%",
            "informed_share",
            "producers reached over the producer register in force at the end of the period",
        ),
        Target(
            "quality_award",
            "Hướng dẫn, hỗ trợ 02 doanh nghiệp tham gia Giải thưởng chất lượng quốc gia.",
            ">=",
            2,
            "doanh nghiệp",
            "quality_award",
            "distinct enterprises that submitted an entry or went further",
        ),
        Target(
            "ocop_trademark_share",
            "Có trên 70% sản phẩm gắn với Chương trình mỗi xã một sản phẩm (OCOP) được đăng ký "
            "bảo hộ nhãn hiệu.",
            ">",
            70,
            "%",
            "ocop_trademark_share",
            "OCOP products with a trademark filed and not refused, withdrawn or lapsed, over "
            "the OCOP products rated by that day",
        ),
        Target(
            "traceability_portal",
            "Triển khai xây dựng Cổng thông tin điện tử về truy xuất nguồn gốc sản phẩm, hàng "
            "hoá của tỉnh.",
            None,
            None,
            "",
            None,
            "a deliverable, not a number: its milestones are recorded",
        ),
    ),
    tasks=(
        "Tổ chức thực hiện và hoàn thiện cơ chế, chính sách thúc đẩy hoạt động nâng cao năng "
        "suất, chất lượng",
        "Thông tin, tuyên truyền về năng suất, chất lượng",
        "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ "
        "cải tiến năng suất, chất lượng, công cụ hỗ trợ cho sản xuất thông minh, dịch vụ thông "
        "minh",
        "Đào tạo nguồn nhân lực cho hoạt động nâng cao năng suất, chất lượng",
        "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, "
        "quy chuẩn kỹ thuật",
    ),
    report_due=(11, 30),
)
