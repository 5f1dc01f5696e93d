"""Labels of the plan's pieces on the indicators page (merged into :data:`api.web.i18n.LABELS`)."""

from __future__ import annotations

PLAN_LABELS: dict[str, tuple[str, str]] = {
    "ind_training": (
        "Lượt người được đào tạo, tập huấn về năng suất, chất lượng",
        "Participants trained in productivity and quality (attendances)",
    ),
    "ind_experts": (
        "Người được đào tạo chuyên gia năng suất, chất lượng",
        "People trained as productivity and quality experts",
    ),
    "ind_informed_share": (
        "Tỷ lệ tổ chức, cá nhân sản xuất nông lâm thủy sản, thực phẩm được thông tin, tập huấn",
        "Share of farm, forestry, fishery and food producers informed or trained",
    ),
    "ind_quality_award": (
        "Doanh nghiệp tham gia Giải thưởng chất lượng quốc gia",
        "Enterprises taking part in the National Quality Award",
    ),
    "ind_ocop_trademark_share": (
        "Tỷ lệ sản phẩm OCOP được đăng ký bảo hộ nhãn hiệu",
        "Share of OCOP products with a trademark filed",
    ),
    "unit_lượt người": ("lượt người", "attendances"),
    "unit_người": ("người", "people"),
    "unit_doanh nghiệp": ("doanh nghiệp", "enterprises"),
    "target_not_measurable": (
        "Chưa đo được: chưa có số liệu tổng số tổ chức, cá nhân sản xuất, kinh doanh (mẫu số).",
        "Not measurable yet: no producer register (denominator) is recorded.",
    ),
    "col_records": ("Hồ sơ", "Records"),
    "records_link": ("Xem các bản ghi", "See the records"),
    "period_from": ("Từ ngày", "From"),
    "samples_banner": (
        "SỐ LIỆU MẪU — trang này đang tính cả các bản ghi mẫu dùng để trình diễn; đây không "
        "phải kết quả thực hiện của tỉnh.",
        "SAMPLE DATA — this page counts sample records made for the demo; these are not the "
        "province's results.",
    ),
    "sample_mark": ("mẫu", "sample"),
    "portal_heading": (
        "Cổng thông tin truy xuất nguồn gốc: các mốc",
        "Traceability portal: milestones",
    ),
    "portal_none": ("Chưa ghi nhận mốc nào.", "No milestone recorded."),
    "milestone_done": ("Hoàn thành", "Done"),
    "milestone_open": ("Chưa hoàn thành", "Not done"),
    "col_due": ("Thời hạn", "Due"),
    "col_done_on": ("Ngày hoàn thành", "Done on"),
    "col_evidence": ("Minh chứng", "Evidence"),
    "col_day": ("Ngày", "Day"),
    "col_record": ("Bản ghi", "Record"),
    "col_adds": ("Tính vào số liệu", "Counted"),
    "drill_heading": ("Các bản ghi được tính", "The records counted"),
    "drill_basis": ("Cách tính", "How it is counted"),
    "drill_none": ("Không có bản ghi nào trong kỳ.", "No record in the period."),
    "report_heading": ("Báo cáo năm", "Annual report"),
    "download_docx_report": ("Tải báo cáo năm (Word)", "Download the annual report (Word)"),
    "download_annex": ("Tải phụ lục số liệu (Excel)", "Download the annex (Excel)"),
    "reminder_days_left": (
        "Còn {days} ngày đến hạn báo cáo {deadline}",
        "{days} days left to the report deadline, {deadline}",
    ),
    "reminder_due_today": (
        "Hôm nay là hạn báo cáo ({deadline})",
        "The report is due today ({deadline})",
    ),
    "reminder_overdue": (
        "Đã quá hạn báo cáo {deadline} {days} ngày",
        "{days} days past the report deadline, {deadline}",
    ),
    "reminder_generated": (
        "Báo cáo năm {year} đã được tạo lúc {at}.",
        "The {year} report was generated at {at}.",
    ),
    "reminder_with_samples": ("có số liệu mẫu", "with sample data"),
    "reminder_not_generated": (
        "Báo cáo năm {year} chưa được tạo.",
        "The {year} report has not been generated yet.",
    ),
}
