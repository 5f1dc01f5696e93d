"""Interface labels in Vietnamese (first) and English, and which language a request wants.

The language comes from ``?lang=vi|en`` (a shareable link) or else the ``lang`` cookie the
switch sets; Vietnamese is the default. Catalog vocabularies carry their own labels
(``label_vi``/``label_en``); this module holds only the words of the pages themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from litestar import Request

from api.web.my_product_labels import MY_PRODUCT_LABELS
from api.web.plan_labels import PLAN_LABELS


class Lang(StrEnum):
    VI = "vi"
    EN = "en"


COOKIE = "lang"

# key → (Vietnamese, English)
LABELS: dict[str, tuple[str, str]] = {
    "site_name": ("Tiêu chuẩn Tuyên Quang", "Tuyên Quang standards"),
    # facts that narrow the answer (issue 14)
    "facts_heading": ("Trả lời để thu hẹp danh sách", "Answer to narrow the list"),
    "facts_intro": (
        "Một số văn bản chỉ áp dụng tùy cách sản phẩm được bao gói, chứng nhận và bán. "
        "Chỉ các câu hỏi có ảnh hưởng đến danh sách này được hỏi.",
        "Some documents apply only depending on how the product is packed, certified and "
        "sold. Only the questions that change this list are asked.",
    ),
    "facts_apply": ("Áp dụng câu trả lời", "Apply the answers"),
    "facts_clear": ("Xóa câu trả lời", "Clear the answers"),
    "facts_registry": ("Theo danh mục sản phẩm", "From the product registry"),
    "facts_counts": ("Theo câu trả lời", "By your answers"),
    "facts_applies": ("áp dụng", "apply"),
    "facts_depends": ("còn tùy câu trả lời", "depend on an answer"),
    "facts_ruled_out": ("không áp dụng", "do not apply"),
    "ruled_out_group": ("Không áp dụng theo câu trả lời", "Ruled out by your answers"),
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
    "under_way_group": (
        "Dự thảo đang soạn thảo (đã thông báo WTO)",
        "Drafts under way (notified to the WTO)",
    ),
    "notification": ("Thông báo", "Notification"),
    "notifying_member": ("Thành viên", "Member"),
    "comment_deadline": ("Hạn góp ý", "Comments until"),
    "comments_open": ("đang mở", "open"),
    "comments_closed": ("đã đóng", "closed"),
    "expected_adoption": ("Dự kiến thông qua", "Expected adoption"),
    "expected_in_force": ("Dự kiến hiệu lực", "Expected in force"),
    "why_reached": ("Vì sao liên quan", "Why it concerns the product"),
    "report_open_comments": ("Dự thảo đang lấy ý kiến góp ý", "Open comment periods"),
    "report_open_comments_about": (
        "Dự thảo quy định đã thông báo WTO (của Việt Nam và của thị trường nhập khẩu) còn hạn "
        "góp ý, liên quan đến sản phẩm của tỉnh, hạn gần nhất trước.",
        "Drafts notified to the WTO (Viet Nam's and importing members') still open for "
        "comments that touch the province's products, soonest deadline first.",
    ),
    "days_left": ("Còn (ngày)", "Days left"),
    "province_products": ("Sản phẩm của tỉnh", "Province products"),
    "no_open_comments": (
        "Không có dự thảo nào đang lấy ý kiến vào ngày này.",
        "No comment period is open on this day.",
    ),
    "withdrawn_group": ("Hết hiệu lực, chưa có văn bản thay thế", "Withdrawn, no successor"),
    "out_of_scope_group": ("Quy chuẩn địa phương tỉnh khác", "Other provinces' local rules"),
    "no_entries": ("Không có văn bản nào.", "No documents."),
    "col_document": ("Văn bản", "Document"),
    "todo_group": ("Việc cần làm", "To do"),
    "todo_intro": (
        "Những việc phải làm vì các văn bản trên, với căn cứ và nơi nộp. Mục chưa xác nhận "
        "căn cứ không được coi là bắt buộc.",
        "What to do because of the documents above, with the basis and where to file. A step "
        "whose basis is not confirmed is not presented as required.",
    ),
    "col_step": ("Việc cần làm", "Step"),
    "col_duty": ("Mức độ", "Status"),
    "col_authority": ("Nơi nộp, thực hiện", "Authority"),
    "authority_unknown": ("Chưa xác nhận", "Not confirmed"),
    "col_role": ("Vai trò", "Role"),
    "col_reasons": ("Lý do áp dụng", "Why it applies"),
    "col_basis": ("Căn cứ pháp lý", "Legal basis"),
    "col_status": ("Tình trạng", "Status"),
    "col_condition": ("Điều kiện", "Condition"),
    "mandatory": ("Bắt buộc", "Mandatory"),
    "col_review": ("Nguồn và rà soát", "Sources and review"),
    "reviewed": ("rà soát", "reviewed"),
    "last_confirmed": ("Xác nhận lần cuối", "Last confirmed"),
    "never_confirmed": ("Chưa từng được xác nhận", "Never confirmed"),
    "not_reviewed": ("Chưa rà soát", "Not reviewed"),
    "no_sources": ("Chưa có nguồn", "No source recorded"),
    "retrieved": ("truy cập", "retrieved"),
    "rule_review": ("Quy tắc", "Rule"),
    "status_review": ("Tình trạng văn bản", "Document status"),
    "review_via_citation": ("Qua viện dẫn (chưa rà soát)", "Through a citation (not reviewed)"),
    "unconfirmed_group": (
        "⚠ Bắt buộc nhưng chưa được kiểm chứng hoặc có tranh chấp",
        "⚠ Mandatory, but not verified or disputed",
    ),
    "unconfirmed_warning": (
        "Các văn bản dưới đây được ghi là bắt buộc nhưng căn cứ chưa được xác nhận từ nguồn, "
        "hoặc người rà soát có nghi vấn. Kiểm tra nguồn trước khi dựa vào.",
        "The documents below are recorded as mandatory, but the rule has not been confirmed "
        "from a source, or a reviewer doubts it. Check the sources before relying on them.",
    ),
    "review_queue": ("Hàng chờ rà soát nguồn", "Review queue"),
    "report_review": ("Rà soát nguồn", "Source review"),
    "report_review_about": (
        "Quy tắc áp dụng và tình trạng văn bản chưa được kiểm chứng hoặc có tranh chấp, bắt "
        "buộc trước, rồi theo số sản phẩm liên quan.",
        "Applicability rules and document statuses not verified or disputed, mandatory first, "
        "then by products reached.",
    ),
    "review_counts": ("Tổng hợp rà soát", "Review counts"),
    "not_confirmed_for": (
        "Chưa được xác nhận từ nguồn quá {months} tháng",
        "Not confirmed from a source for more than {months} months",
    ),
    "not_confirmed": ("Chưa xác nhận quá hạn", "Not confirmed in time"),
    "mandatory_not_confirmed": ("…trong đó bắt buộc", "…of which mandatory"),
    "col_review_subject": ("Quy tắc / văn bản", "Rule / document"),
    "more_in_workbook": ("Danh sách đầy đủ trong tệp Excel.", "The full list is in the workbook."),
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
    # --- report pages (api/web/reports.py) ---
    "nav_reports": ("Báo cáo", "Reports"),
    "reports_nav": ("Các báo cáo", "Reports"),
    "reports_lead": (
        "Công cụ cho cán bộ xây dựng quy chuẩn địa phương và cho tư vấn, doanh nghiệp kiểm tra "
        "sự phù hợp.",
        "Tools for officials drafting local regulations and for consultants and enterprises "
        "checking compliance.",
    ),
    "report_gaps": ("Khoảng trống và chồng chéo", "Gaps and overlaps"),
    "report_gaps_about": (
        "Sản phẩm chưa có quy chuẩn, tiêu chuẩn sản phẩm hoặc phương pháp thử; viện dẫn văn bản "
        "đã hết hiệu lực; văn bản chồng chéo.",
        "Products with no regulation, product standard or test method; citations of documents "
        "no longer in force; overlapping documents.",
    ),
    "report_drafts": ("Dự thảo quy chuẩn địa phương", "Draft local regulations"),
    "report_drafts_about": (
        "Dự thảo QCĐP sẽ điều chỉnh sản phẩm nào, trùng với QCVN/TCVN nào, viện dẫn văn bản "
        "nào đã hết hiệu lực.",
        "Which products a draft QCĐP would cover, which QCVN/TCVN already cover them, which "
        "cited documents are no longer in force.",
    ),
    "report_changes": ("Thay đổi văn bản", "Document changes"),
    "report_changes_about": (
        "Văn bản mới, được cập nhật, bị thay thế hoặc hết hiệu lực, kèm sản phẩm liên quan.",
        "Documents added, updated, superseded or withdrawn, with the products they affect.",
    ),
    "report_watch": ("Danh sách theo dõi", "Watch lists"),
    "report_watch_about": (
        "Chỉ những thay đổi liên quan đến sản phẩm, nhóm sản phẩm bạn theo dõi.",
        "Only the changes that touch the products and categories you follow.",
    ),
    "report_declarations": ("Sổ công bố, chứng nhận", "Declarations registry"),
    "report_declarations_about": (
        "Công bố hợp chuẩn, hợp quy, tự công bố sản phẩm và chứng nhận hệ thống của doanh nghiệp.",
        "Enterprises' declarations of conformity, self-declarations and certificates.",
    ),
    "report_indicators": ("Chỉ số kế hoạch", "Plan indicators"),
    "report_indicators_about": (
        "Các chỉ tiêu của kế hoạch nâng cao năng suất, chất lượng 2021–2025 và kết quả đo được "
        "theo năm.",
        "The targets of the 2021–2025 productivity and quality plan and the values measured "
        "each year.",
    ),
    "download_xlsx_report": ("Tải bảng Excel", "Download (Excel)"),
    "print_page": ("In trang", "Print"),
    "headline": ("Số liệu chính", "Key figures"),
    "products_examined": ("Sản phẩm được rà soát", "Products examined"),
    "products_with_gaps": ("Sản phẩm còn thiếu văn bản", "Products with gaps"),
    "no_technical_regulation": (
        "Chưa có quy chuẩn kỹ thuật (QCVN/QCĐP)",
        "No technical regulation (QCVN/QCĐP)",
    ),
    "no_product_standard": ("Chưa có tiêu chuẩn sản phẩm", "No product standard"),
    "no_test_method": ("Chưa có phương pháp thử", "No test method"),
    "stale_citations": ("Viện dẫn văn bản hết hiệu lực", "Citations of outdated documents"),
    "products_with_stale_citations": (
        "Sản phẩm có viện dẫn hết hiệu lực",
        "Products with outdated citations",
    ),
    "overlaps": ("Chồng chéo", "Overlaps"),
    "col_product": ("Sản phẩm", "Product"),
    "col_kind": ("Loại", "Kind"),
    "col_category": ("Nhóm", "Category"),
    "col_regulations": ("Quy chuẩn đang áp dụng", "Regulations applying"),
    "col_standards": ("Tiêu chuẩn sản phẩm", "Product standards"),
    "col_methods": ("Phương pháp thử", "Test methods"),
    "col_cited": ("Văn bản được viện dẫn", "Document cited"),
    "col_in_force": ("Văn bản đang có hiệu lực", "Edition in force"),
    "col_via": ("Qua quy định", "Through"),
    "col_products": ("Sản phẩm liên quan", "Products concerned"),
    "col_documents": ("Văn bản", "Documents"),
    "col_overlap_kind": ("Kiểu chồng chéo", "Kind of overlap"),
    "cited_superseded": ("Bị thay thế", "Superseded"),
    "cited_withdrawn": ("Hết hiệu lực", "Withdrawn"),
    "no_successor": ("Không có văn bản thay thế", "No successor"),
    "no_gaps": ("Không có sản phẩm nào thiếu.", "No product lacks one."),
    "overlap_same_role": ("Nhiều văn bản cùng vai trò", "Several documents in one role"),
    "overlap_editions": ("Hai phiên bản cùng còn hiệu lực", "Two editions both in force"),
    "via_category": ("nhóm", "category"),
    "via_product": ("sản phẩm", "product"),
    "via_hs": ("mã HS", "HS code"),
    "via_ics": ("lĩnh vực ICS", "ICS field"),
    "via_citation": ("viện dẫn bắt buộc trong", "mandatory citation in"),
    "drafts_list": ("Các dự thảo đã lưu", "Saved drafts"),
    "no_drafts": ("Chưa có dự thảo nào được lưu.", "No draft has been saved."),
    "drafts_unsaved": (
        "Muốn đánh giá một dự thảo chưa lưu? Gửi phạm vi và các văn bản viện dẫn của dự thảo "
        "tới API:",
        "To assess a draft that is not saved, send its scope and citations to the API:",
    ),
    "draft_impact": ("Đánh giá tác động", "Impact"),
    "draft_scope": ("Phạm vi dự kiến", "Intended scope"),
    "unmatched_scope": (
        "Phạm vi không khớp sản phẩm nào trong cơ sở dữ liệu",
        "Scope matching no product in the catalog",
    ),
    "covered_products": ("Sản phẩm dự thảo sẽ điều chỉnh", "Products the draft would cover"),
    "col_draft_roles": ("Vai trò của dự thảo", "The draft's role"),
    "col_existing": (
        "QCVN, QCĐP, TCVN đang áp dụng",
        "QCVN, QCĐP, TCVN already applying",
    ),
    "possible_duplicate": ("có thể trùng", "possible duplication"),
    "duplicates_count": ("sản phẩm có thể bị điều chỉnh trùng", "products possibly duplicated"),
    "citations": ("Văn bản dự thảo viện dẫn", "Documents the draft cites"),
    "problem_citations": ("viện dẫn cần xem lại", "citations to review"),
    "col_standing": ("Tình trạng", "Standing"),
    "col_note": ("Ghi chú", "Note"),
    "standing_in_force": ("Còn hiệu lực", "In force"),
    "standing_superseded": ("Đã bị thay thế", "Superseded"),
    "standing_withdrawn": ("Hết hiệu lực", "Withdrawn"),
    "standing_upcoming": ("Chưa có hiệu lực", "Not yet in force"),
    "standing_draft": ("Đang là dự thảo", "Still a draft"),
    "standing_not_in_catalog": ("Không có trong cơ sở dữ liệu", "Not in the catalog"),
    "standing_out_of_scope": ("Ngoài phạm vi", "Out of scope"),
    "not_a_draft": ("Văn bản này không phải dự thảo.", "This document is not a draft."),
    "since": ("Từ ngày", "Since"),
    "changes_since": ("Thay đổi từ ngày", "Changes since"),
    "changes_count": ("thay đổi", "changes"),
    "no_changes": (
        "Không có thay đổi nào trong khoảng thời gian này.",
        "No changes in this period.",
    ),
    "more_changes": (
        "Chỉ hiện những thay đổi mới nhất; chọn ngày gần hơn hoặc tải bảng Excel để xem đủ.",
        "Only the latest changes are shown; pick a later date or download the workbook for all.",
    ),
    "col_when": ("Thời điểm", "When"),
    "col_change": ("Thay đổi", "Change"),
    "col_fields": ("Nội dung thay đổi", "What changed"),
    "col_source": ("Nguồn", "Source"),
    "change_added": ("Bổ sung", "Added"),
    "change_updated": ("Cập nhật", "Updated"),
    "change_superseded": ("Bị thay thế", "Superseded"),
    "change_withdrawn": ("Hết hiệu lực", "Withdrawn"),
    "change_notified": ("Thông báo WTO", "WTO notification"),
    "change_notification_updated": ("Bổ sung thông báo WTO", "WTO addendum"),
    "change_notification_adopted": ("Thông qua (thông báo WTO)", "Adopted (WTO addendum)"),
    "replaced_by_short": ("thay bằng", "replaced by"),
    "replaces_short": ("thay thế", "replaces"),
    "atom_feed": ("Nguồn tin Atom", "Atom feed"),
    "atom_hint": (
        "Dán địa chỉ này vào trình đọc tin (RSS/Atom) để nhận thay đổi mới.",
        "Paste this address into a feed reader (RSS/Atom) to follow new changes.",
    ),
    "json_feed": ("Dữ liệu JSON", "JSON data"),
    "watch_open": ("Mở danh sách theo dõi", "Open a watch list"),
    "watch_token": ("Mã danh sách", "Watch list token"),
    "watch_token_hint": (
        "Mã được cấp khi tạo danh sách (có trong địa chỉ nguồn tin của bạn).",
        "The token given when the list was made (it is in your feed's address).",
    ),
    "watch_create": ("Tạo danh sách theo dõi", "Make a watch list"),
    "watch_create_how": (
        "Danh sách được tạo qua API bằng một khóa API bất kỳ; kết quả trả về có mã danh sách "
        "và địa chỉ nguồn tin. Ví dụ:",
        "Lists are made through the API with any API key; the answer carries the list's token "
        "and feed addresses. For example:",
    ),
    "watch_webhook_how": (
        "Có thể thêm webhook (ký HMAC-SHA256, tự gửi lại khi lỗi) qua",
        "A webhook (signed with HMAC-SHA256, retried on failure) can be added through",
    ),
    "watch_owner": ("Người theo dõi", "Owner"),
    "watch_created": ("Ngày tạo", "Created"),
    "watch_products": ("Sản phẩm theo dõi", "Products watched"),
    "watch_categories": ("Nhóm sản phẩm theo dõi", "Categories watched"),
    "watch_markets": ("Thị trường xuất khẩu theo dõi", "Export markets watched"),
    "watch_markets_how": (
        "Thông báo WTO của Việt Nam về sản phẩm theo dõi luôn được báo; thông báo của thành "
        'viên khác chỉ khi danh sách nêu thị trường đó trong "markets" (mã nước ISO hoặc mã '
        "thành viên WTO: DE hay EU đều là EU).",
        "Viet Nam's WTO notifications on a watched product always reach the list; another "
        'member\'s only when the list names that market in "markets" (an ISO country or a '
        "WTO member code: DE and EU both mean the EU).",
    ),
    "watch_covered": ("Tất cả sản phẩm được theo dõi", "Every product covered"),
    "watch_changes": ("Thay đổi liên quan", "Changes that concern them"),
    "filter_enterprise": ("Doanh nghiệp", "Enterprise"),
    "filter_product": ("Sản phẩm", "Product"),
    "filter_kind": ("Loại công bố", "Kind"),
    "filter_valid_only": ("Chỉ còn hiệu lực", "Valid only"),
    "filter_apply": ("Lọc", "Filter"),
    "filter_clear": ("Bỏ lọc", "Clear"),
    "declarations_count": ("bản ghi", "records"),
    "no_declarations": ("Không có bản ghi nào khớp bộ lọc.", "No record matches the filters."),
    "col_number": ("Số", "Number"),
    "col_enterprise": ("Tổ chức, doanh nghiệp", "Enterprise"),
    "col_declared_against": ("Tiêu chuẩn, quy chuẩn, hệ thống", "Declared against"),
    "col_declared_on": ("Ngày", "Date"),
    "col_certifier": ("Tổ chức chứng nhận", "Certifying body"),
    "col_valid_until": ("Hiệu lực đến", "Valid until"),
    "col_supported": ("Được hỗ trợ", "Supported"),
    "col_valid": ("Còn hiệu lực", "Valid"),
    "supported_by_plan": ("Được kế hoạch hỗ trợ", "Supported by the plan"),
    "valid_yes": ("Còn hiệu lực", "Valid"),
    "valid_no": ("Hết hiệu lực", "Expired"),
    "plan": ("Kế hoạch", "Plan"),
    "plan_targets": ("Mục tiêu của kế hoạch", "The plan's targets"),
    "col_target": ("Mục tiêu", "Target"),
    "col_goal": ("Chỉ tiêu", "Goal"),
    "col_measured": ("Đo được", "Measured"),
    "col_met": ("Đạt", "Met"),
    "met_yes": ("Đạt", "Met"),
    "met_no": ("Chưa đạt", "Not yet"),
    "met_unknown": ("Không đo ở đây", "Not measured here"),
    "series_heading": ("Kết quả theo năm", "Values by year"),
    "col_year": ("Năm (tính đến ngày)", "Year (as of)"),
    "col_value": ("Giá trị", "Value"),
    "goal_line": ("Mục tiêu", "Target"),
    "no_target": ("Kế hoạch không đặt chỉ tiêu riêng.", "No target of its own in the plan."),
    "chart_desc": ("Giá trị theo năm", "Values by year"),
    "ind_enterprises_supported": (
        "Doanh nghiệp được hỗ trợ áp dụng tiêu chuẩn, truy xuất nguồn gốc, hệ thống quản lý",
        "Enterprises supported with standards, traceability or management systems",
    ),
    "ind_ocop_declared_share": (
        "Tỷ lệ sản phẩm OCOP đã công bố tiêu chuẩn, hợp quy hoặc tự công bố",
        "Share of OCOP products with a declared standard or self-declaration",
    ),
    "ind_scheme": ("Doanh nghiệp áp dụng", "Enterprises applying"),
    "unit_enterprises": ("doanh nghiệp", "enterprises"),
    "of": ("trên", "of"),
    "target_not_recorded": (
        "Cơ sở dữ liệu không ghi nhận chỉ tiêu này: báo cáo theo số liệu của các sở, ngành.",
        "Not recorded in this database: report it from the departments' own records.",
    ),
    "target_note_ocop_trademark_share": (
        "Cơ sở dữ liệu không ghi nhận việc đăng ký nhãn hiệu; chỉ số gần nhất là tỷ lệ sản phẩm "
        "OCOP đã công bố tiêu chuẩn (không có chỉ tiêu riêng).",
        "Trademark registration is not recorded here; the nearest measured indicator is the "
        "share of OCOP products with a declared standard (no target of its own).",
    ),
    "target_note_traceability_portal": (
        "Nhiệm vụ cần hoàn thành, không phải chỉ tiêu số.",
        "A deliverable, not a number.",
    ),
    "target_quote_note": (
        "Mục tiêu trích nguyên văn từ kế hoạch.",
        "Targets are quoted in Vietnamese from the plan.",
    ),
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


LABELS |= PLAN_LABELS
LABELS |= MY_PRODUCT_LABELS


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
