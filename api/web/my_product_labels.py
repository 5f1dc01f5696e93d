"""Labels of the "My product" page and of a scanned barcode in the search box (merged into
:data:`api.web.i18n.LABELS`)."""

from __future__ import annotations

MY_PRODUCT_LABELS: dict[str, tuple[str, str]] = {
    "nav_my_product": ("Sản phẩm của tôi", "My product"),
    "my_product_lead": (
        "Sản phẩm của bạn chưa có trong danh mục của tỉnh? Mô tả nó bằng mã HS, nhóm sản phẩm "
        "hoặc cả hai để biết tiêu chuẩn, quy chuẩn và văn bản nào áp dụng, vì sao, và tải danh "
        "mục để làm hồ sơ.",
        "Is your product not in the province's registry? Describe it by its HS code, its "
        "category or both to see which standards, regulations and legal instruments apply, "
        "why, and download the checklist.",
    ),
    "step_describe": ("Mô tả sản phẩm", "Describe the product"),
    "step_questions": ("Trả lời câu hỏi", "Answer the questions"),
    "step_answer": ("Văn bản áp dụng", "What applies"),
    "step_download": ("Tải danh mục", "Download the checklist"),
    "hs_label": ("Mã HS", "HS code"),
    "hs_hint": (
        "4, 6 hoặc 8 chữ số (dòng thuế của Việt Nam), có hoặc không có dấu chấm: 0902, "
        "0902.30, 0902.30.10",
        "4, 6 or 8 digits (Vietnam's tariff line), with or without dots: 0902, 0902.30, 0902.30.10",
    ),
    "category_label": ("Nhóm sản phẩm", "Product category"),
    "category_hint": (
        "Không bắt buộc nếu đã có mã HS",
        "Optional when an HS code is given",
    ),
    "category_none": ("— Không chọn —", "— None —"),
    "show_answer": ("Xem kết quả", "Show the answer"),
    "describe_first": (
        "Nhập mã HS, chọn nhóm sản phẩm, hoặc cả hai.",
        "Give an HS code, choose a category, or both.",
    ),
    "described_as": ("Sản phẩm được mô tả", "The product described"),
    "taken_as": ("Được xếp vào nhóm", "Taken to be in"),
    "reach_given": ("nhóm bạn chọn", "the category you chose"),
    "reach_under": (
        "các sản phẩm đã đăng ký mang mã thuộc HS {code}",
        "registered products carry a code under HS {code}",
    ),
    "reach_shared": (
        "nhóm chung gần nhất của các sản phẩm đã đăng ký thuộc HS {code}",
        "the nearest category shared by the registered products in HS {code}",
    ),
    "no_category_by_hs": (
        "Chưa có sản phẩm đã đăng ký nào gần mã HS này: chỉ các quy định theo mã HS được áp "
        "dụng. Chọn thêm nhóm sản phẩm để có câu trả lời đầy đủ hơn.",
        "No registered product is filed near this HS code: only rules on HS codes reach it. "
        "Choose a category too for a fuller answer.",
    ),
    "rule_on_category": ("Quy định cho nhóm {name}", "Rule on category {name}"),
    "documents_count": ("{n} văn bản áp dụng", "{n} documents apply"),
    "local_not_placed": (
        "Quy chuẩn địa phương: chỉ áp dụng nếu sản phẩm được sản xuất tại tỉnh ban hành (nơi "
        "sản xuất chưa được mô tả)",
        "A local regulation: it applies only if the product is made in the issuing province "
        "(where it is made is not described)",
    ),
    "share_hint": (
        "Địa chỉ trang này giữ mô tả của bạn: có thể lưu lại hoặc gửi cho người khác.",
        "This page's address holds your description: bookmark it or share it.",
    ),
    "hs_error_empty": ("Mã HS đang trống.", "The HS code is empty."),
    "hs_error_characters": (
        "Mã HS «{text}» có ký tự không phải chữ số: mã HS chỉ gồm chữ số, có thể có dấu chấm.",
        "The HS code {text!r} holds characters other than digits: an HS code is digits, with "
        "optional dots.",
    ),
    "hs_error_length": (
        "Mã HS «{text}» không đủ hoặc thừa chữ số: mã HS có 4, 6 hoặc 8 chữ số.",
        "The HS code {text!r} has the wrong number of digits: an HS code has 4, 6 or 8.",
    ),
    "hs_error_dots": (
        "Mã HS «{text}» đặt dấu chấm sai chỗ: dấu chấm đứng sau 4 và 6 chữ số đầu, ví dụ "
        "0902.30.10.",
        "The HS code {text!r} has misplaced dots: they go after the first 4 and 6 digits, "
        "e.g. 0902.30.10.",
    ),
    "hs_error_chapter": (
        "Mã HS «{text}» thuộc một chương không có trong hệ thống HS (chương 01 đến 97, trừ 77).",
        "The HS code {text!r} is in a chapter the HS does not have (chapters 01 to 97, not 77).",
    ),
    "category_unknown": (
        "Không có nhóm sản phẩm «{text}».",
        "There is no product category {text!r}.",
    ),
    "barcode_unregistered": (
        "Mã vạch {gtin} hợp lệ ({kind}{origin}) nhưng chưa có sản phẩm nào trong danh mục mang "
        "mã này. Hãy mô tả sản phẩm ở trang «Sản phẩm của tôi».",
        "The barcode {gtin} is valid ({kind}{origin}), but no product in the catalog carries "
        "it. Describe the product on the “My product” page.",
    ),
    "barcode_origin": (
        ", tiền tố GS1 {prefix}: {organisation}",
        ", GS1 prefix {prefix}: {organisation}",
    ),
}
