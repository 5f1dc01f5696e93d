"""The provincial plan's numeric targets, quoted from the plan (shared/seeds).

Kế hoạch thực hiện Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất
lượng sản phẩm, hàng hóa trên địa bàn tỉnh Tuyên Quang giai đoạn 2021-2025 (UBND tỉnh
Tuyên Quang, signed 19-04-2022), implementing decision 1322/QĐ-TTg. Its section II.2
"Mục tiêu cụ thể" sets the targets below, all due by the end of the period. ``metric``
names the indicator this database measures for a target; targets about training,
awareness, awards, trademarks or a portal are outside what the catalog records, and say so.
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


NOT_RECORDED = "not recorded in this database: report it from the department's own records"

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
            None,
            NOT_RECORDED,
        ),
        Target(
            "experts",
            "Đào tạo về chuyên gia năng suất, chất lượng cho ít nhất 10 người thuộc các sở, "
            "ngành, doanh nghiệp.",
            ">=",
            10,
            "người",
            None,
            NOT_RECORDED,
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
            "enterprises with a declaration or certificate marked as supported by the plan, "
            "counted once each, from the start of the period",
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
            None,
            NOT_RECORDED,
        ),
        Target(
            "quality_award",
            "Hướng dẫn, hỗ trợ 02 doanh nghiệp tham gia Giải thưởng chất lượng quốc gia.",
            ">=",
            2,
            "doanh nghiệp",
            None,
            NOT_RECORDED,
        ),
        Target(
            "ocop_trademark_share",
            "Có trên 70% sản phẩm gắn với Chương trình mỗi xã một sản phẩm (OCOP) được đăng ký "
            "bảo hộ nhãn hiệu.",
            ">",
            70,
            "%",
            None,
            "trademark registration is not recorded here; the nearest measured indicator is "
            "the share of OCOP products with a declared standard (no target of its own)",
        ),
        Target(
            "traceability_portal",
            "Triển khai xây dựng Cổng thông tin điện tử về truy xuất nguồn gốc sản phẩm, hàng "
            "hoá của tỉnh.",
            None,
            None,
            "",
            None,
            "a deliverable, not a number",
        ),
    ),
)
