"""Interface labels in Vietnamese (first) and English, and which language a request wants.

The language comes from ``?lang=vi|en`` (a shareable link) or else the ``lang`` cookie the
switch sets; Vietnamese is the default. Catalog vocabularies carry their own labels
(``label_vi``/``label_en``); this module holds only the words of the pages themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from litestar import Request


class Lang(StrEnum):
    VI = "vi"
    EN = "en"


COOKIE = "lang"

# key → (Vietnamese, English)
LABELS: dict[str, tuple[str, str]] = {
    "site_name": ("Tiêu chuẩn Tuyên Quang", "Tuyên Quang standards"),
    "tagline": (
        "Tiêu chuẩn, quy chuẩn kỹ thuật và văn bản áp dụng cho sản phẩm của tỉnh Tuyên Quang",
        "Standards, technical regulations and legal instruments for Tuyên Quang's products",
    ),
    "skip": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "nav": ("Điều hướng chính", "Main navigation"),
    "nav_home": ("Tìm kiếm", "Search"),
    "nav_browse": ("Duyệt sản phẩm", "Browse products"),
    "switch_to": ("English", "Tiếng Việt"),
    "switch_label": ("Switch to English", "Chuyển sang tiếng Việt"),
    "search_label": ("Tìm kiếm…", "Search…"),
    "search_hint": (
        "Tên sản phẩm hoặc số hiệu văn bản, có dấu hay không dấu: cam sanh, che shan tuyet, "
        "TCVN 5603, qcvn 8-2",
        "A product name or a document code, with or without diacritics: cam sanh, "
        "che shan tuyet, TCVN 5603, qcvn 8-2",
    ),
    "search_button": ("Tìm", "Search"),
    "filters": ("Bộ lọc", "Filters"),
    "filter_doc_type": ("Loại văn bản", "Document type"),
    "filter_status": ("Tình trạng", "Status"),
    "filter_product_kind": ("Loại sản phẩm", "Product kind"),
    "any": ("Tất cả", "Any"),
    "products": ("Sản phẩm", "Products"),
    "documents": ("Văn bản", "Documents"),
    "no_results": ("Không tìm thấy kết quả cho", "No results for"),
    "results_for": ("Kết quả cho", "Results for"),
    "results_count": ("kết quả", "results"),
    "start_typing": (
        "Gõ tên sản phẩm hoặc số hiệu văn bản để bắt đầu.",
        "Type a product name or a document code to start.",
    ),
    "category_tree": ("Nhóm sản phẩm", "Product categories"),
    "key_products": ("Sản phẩm chủ lực", "Key products"),
    "gi_products": ("Chỉ dẫn địa lý", "Geographical indications"),
    "ocop_products": ("Sản phẩm OCOP", "OCOP products"),
    "specialties": ("Đặc sản", "Specialties"),
    "stars": ("sao", "stars"),
    "product_facts": ("Thông tin sản phẩm", "About the product"),
    "category": ("Nhóm", "Category"),
    "kind": ("Loại", "Kind"),
    "geographical_indication": ("Chỉ dẫn địa lý", "Geographical indication"),
    "yes": ("Có", "Yes"),
    "ocop": ("OCOP", "OCOP"),
    "rating_decision": ("quyết định", "decision"),
    "rated_on": ("ngày", "on"),
    "valid_until": ("hiệu lực đến", "valid until"),
    "locality": ("Địa phương", "Locality"),
    "locality_now": ("nay thuộc", "now part of"),
    "hs_codes": ("Mã HS", "HS codes"),
    "ics_codes": ("Mã ICS", "ICS fields"),
    "aliases": ("Tên gọi khác", "Also called"),
    "producer": ("Cơ sở sản xuất", "Producer"),
    "as_of": ("Tính đến ngày", "As of"),
    "show": ("Xem", "Show"),
    "applicable_documents": ("Văn bản áp dụng", "Applicable documents"),
    "mandatory_group": ("Bắt buộc", "Mandatory"),
    "voluntary_group": ("Tự nguyện", "Voluntary"),
    "upcoming_group": ("Sắp có hiệu lực", "Upcoming"),
    "withdrawn_group": ("Hết hiệu lực, chưa có văn bản thay thế", "Withdrawn, no successor"),
    "out_of_scope_group": ("Quy chuẩn địa phương tỉnh khác", "Other provinces' local rules"),
    "no_entries": ("Không có văn bản nào.", "No documents."),
    "col_document": ("Văn bản", "Document"),
    "col_role": ("Vai trò", "Role"),
    "col_reasons": ("Lý do áp dụng", "Why it applies"),
    "col_basis": ("Căn cứ pháp lý", "Legal basis"),
    "col_status": ("Tình trạng", "Status"),
    "col_condition": ("Điều kiện", "Condition"),
    "mandatory": ("Bắt buộc", "Mandatory"),
    "voluntary": ("Tự nguyện", "Voluntary"),
    "download_csv": ("Tải danh mục CSV", "Download checklist (CSV)"),
    "download_xlsx": ("Tải danh mục Excel", "Download checklist (Excel)"),
    "print": ("In danh mục", "Print checklist"),
    "checklist_title": ("Danh mục tuân thủ", "Compliance checklist"),
    "effective_from": ("Hiệu lực từ", "In force from"),
    "effective_to": ("Hết hiệu lực từ", "In force until"),
    "issued_on": ("Ngày ban hành", "Issued on"),
    "issuer": ("Cơ quan ban hành", "Issued by"),
    "doc_type": ("Loại văn bản", "Document type"),
    "status": ("Tình trạng", "Status"),
    "title_vi": ("Tên tiếng Việt", "Title in Vietnamese"),
    "title_en": ("Tên tiếng Anh", "Title in English"),
    "equivalent": ("Tương đương quốc tế", "International equivalent"),
    "scope": ("Phạm vi áp dụng", "Scope"),
    "ics": ("Phân loại ICS", "ICS fields"),
    "announcing_decision": ("Quyết định công bố", "Announcing decision"),
    "technical_committee": ("Ban kỹ thuật", "Technical committee"),
    "editions": ("Các lần soát xét", "Edition history"),
    "this_edition": ("văn bản này", "this edition"),
    "replaces_heading": ("Văn bản này thay thế", "This edition replaces"),
    "replaced_by_heading": ("Bị thay thế bởi", "Replaced by"),
    "now": ("Hiện nay", "Today"),
    "record": ("Thông tin văn bản", "Record"),
    "no_editions": ("Không có lần soát xét khác.", "No other editions recorded."),
    "cites": ("Văn bản viện dẫn", "Documents it cites"),
    "cited_by": ("Được viện dẫn bởi", "Cited by"),
    "applies_to": ("Áp dụng cho sản phẩm", "Applies to products"),
    "none": ("Không có.", "None."),
    "via": ("qua", "via"),
    "error_title": ("Có lỗi", "Something went wrong"),
    "back_home": ("Về trang tìm kiếm", "Back to search"),
    "did_you_mean": ("Có phải bạn tìm:", "Did you mean:"),
    "footer": (
        "Dữ liệu tham khảo; hãy đối chiếu văn bản gốc trước khi sử dụng.",
        "Reference data; check the original documents before relying on them.",
    ),
    "api_link": ("API cho nhà phát triển", "API for developers"),
}

# Vietnamese-first error messages (the English line is shown under it when English is chosen).
ERRORS: dict[int, tuple[str, str]] = {
    400: (
        "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại thông tin đã nhập.",
        "The request is not valid. Please check what you entered.",
    ),
    404: ("Không tìm thấy trang bạn cần.", "The page you asked for was not found."),
    503: (
        "Dịch vụ tìm kiếm tạm thời không hoạt động. Vui lòng thử lại sau ít phút.",
        "Search is temporarily unavailable. Please try again in a few minutes.",
    ),
    500: (
        "Hệ thống gặp sự cố. Vui lòng thử lại sau.",
        "The system ran into a problem. Please try again later.",
    ),
}


def request_lang(request: Request[Any, Any, Any]) -> Lang:
    """``?lang=`` if valid, else the cookie, else Vietnamese."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in (Lang.VI, Lang.EN):
            return Lang(value)
    return Lang.VI


class Labels:
    """``t("key")`` in templates: the label in the request's language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._index = 0 if lang == Lang.VI else 1

    def __call__(self, key: str) -> str:
        return LABELS[key][self._index]

    def of(self, labelled: Any) -> str:
        """The label of a vocabulary member (Status, Role, DocType, ProductKind…)."""
        return labelled.label_vi if self.lang == Lang.VI else labelled.label_en

    def via(self, text: str) -> str:
        """The API's "category Trái cây" / "HS 0805" / "ICS 67.080" in this language."""
        if self.lang == Lang.VI and text.startswith("category "):
            return "nhóm " + text.removeprefix("category ")
        return text

    def pick(self, vi: str | None, en: str | None) -> str | None:
        """A record's Vietnamese or English text, falling back to Vietnamese."""
        return en or vi if self.lang == Lang.EN else vi or en
