"""The annual report as a Word document in the layout of a Vietnamese administrative report
(Decree 30/2020/NĐ-CP): the issuing body and the national motto side by side, the number
and the place and date, the title, the addressees, the results per target with a table of
figures, the tasks of the plan's section III with what the records show, difficulties and
proposals left for the officer to write, and the recipients and signature block.

Lines of dots ("……") mark what only the officer can write (the number, the difficulties, the
signatory): they are ordinary paragraphs, edited like any other text.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from catalog.plan.annual import (
    ADDRESSEES,
    ISSUER,
    ISSUER_PARENT,
    NUMBER_SUFFIX,
    PLACE,
    SAMPLE_WARNING,
    AnnualReport,
    TargetResult,
    goal,
    verdict,
)
from catalog.plan.measure import Figure
from catalog.plan.vocab import ParticipantKind, SupportKind
from catalog.plan.wording import vi_date, vi_date_long, vi_number

FONT = "Times New Roman"
DOTS = "…" * 60
RED = RGBColor(0xC0, 0x00, 0x00)
_PARTICIPANTS = {
    ParticipantKind.AGENCY: "sở, ngành",
    ParticipantKind.LOCAL_GOVERNMENT: "UBND huyện, thành phố, xã",
    ParticipantKind.ORGANISATION: "tổ chức",
    ParticipantKind.ENTERPRISE: "doanh nghiệp",
}
TARGETS_TABLE_HEADER = ("STT", "Mục tiêu", "Chỉ tiêu", "Kết quả năm", "Lũy kế", "Đánh giá")


def report_docx(report: AnnualReport) -> bytes:
    doc = Document()
    _page(doc, report)
    _header_block(doc, report)
    _title(doc, report)
    _results(doc, report)
    _tasks(doc, report)
    for heading in ("III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ"):
        _heading(doc, heading)
        for _ in range(3):
            _para(doc, DOTS)
    _signature(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page(doc: DocxDocument, report: AnnualReport) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    doc.core_properties.title = report.title
    doc.core_properties.subject = f"Báo cáo năm {report.year}"
    if report.includes_samples:
        doc.core_properties.keywords = "BẢN MẪU"
        header = section.header.paragraphs[0]
        _run(header, SAMPLE_WARNING, bold=True, size=10, color=RED)
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(
    doc_or_cell: DocxDocument | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    paragraph.alignment = align
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _heading(doc: DocxDocument, text: str) -> None:
    _para(doc, text, bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)


def _header_block(doc: DocxDocument, report: AnnualReport) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].alignment = centre
    _run(left.paragraphs[0], ISSUER_PARENT, size=13)
    _para(left, ISSUER, bold=True, size=13, align=centre)
    _para(left, f"Số: {report.number or '       '}{NUMBER_SUFFIX}", size=13, align=centre)
    right.paragraphs[0].alignment = centre
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align=centre)
    _para(right, f"{PLACE}, {vi_date_long(report.issued_on)}", italic=True, size=14, align=centre)
    if report.includes_samples:
        warning = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
        _run(warning, SAMPLE_WARNING, bold=True, color=RED)


def _title(doc: DocxDocument, report: AnnualReport) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "BÁO CÁO", bold=True, align=centre)
    _para(doc, report.title, bold=True, align=centre)
    if len(ADDRESSEES) == 1:
        _para(doc, f"Kính gửi: {ADDRESSEES[0]}.", align=centre)
    else:
        _para(doc, "Kính gửi:", align=centre)
        for n, name in enumerate(ADDRESSEES):
            end = "." if n == len(ADDRESSEES) - 1 else ";"
            _para(doc, f"- {name}{end}", align=centre)
    plan = report.plan
    _para(
        doc,
        f"Thực hiện {plan.title} ({plan.issuer} ký ngày {vi_date(plan.signed_on)}), "
        f"Sở Khoa học và Công nghệ báo cáo kết quả thực hiện năm {report.year} (số liệu từ "
        f"ngày {vi_date(report.start)} "
        f"đến ngày {vi_date(report.end)}, lũy kế từ ngày {vi_date(plan.starts)}) như sau:",
    )


def _results(doc: DocxDocument, report: AnnualReport) -> None:
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU")
    table = doc.add_table(rows=1, cols=len(TARGETS_TABLE_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, TARGETS_TABLE_HEADER, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        label = f"{text} {report.year}" if text == "Kết quả năm" else text
        label = f"{label} {report.plan.starts.year}–{report.year}" if text == "Lũy kế" else label
        _run(cell.paragraphs[0], label, bold=True, size=12)
    for n, result in enumerate(report.results, start=1):
        unit = "%" if result.target.unit == "%" else f" {result.target.unit}"
        cells = table.add_row().cells
        values = (
            str(n),
            result.target.wording_vi,
            goal(result.target),
            _value(result.year, unit),
            _value(result.cumulative, unit),
            verdict(result.met),
        )
        for cell, text in zip(cells, values, strict=True):
            _run(cell.paragraphs[0], text, size=12)
    for n, result in enumerate(report.results, start=1):
        _para(
            doc,
            f"{n}. {result.target.wording_vi}",
            italic=True,
            indent=False,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        _para(doc, summary(result, report.year))
    portal = next((t for t in report.plan.targets if t.metric is None), None)
    if portal is not None:
        _para(doc, f"{len(report.results) + 1}. {portal.wording_vi}", italic=True, indent=False)
        if not report.milestones:
            _para(doc, "Chưa ghi nhận mốc triển khai nào. " + DOTS)
        for m, done in report.milestones:
            state = f"hoàn thành ngày {vi_date(m.done_on)}" if done else "chưa hoàn thành"
            due = f" (thời hạn {vi_date(m.due_on)})" if m.due_on else ""
            evidence = f"; {m.evidence}" if m.evidence else ""
            _para(doc, f"- {m.title}{due}: {state}{evidence}.")


def _value(figure: Figure, unit: str) -> str:
    if figure.value is None:
        return "Chưa đo được"
    text = f"{vi_number(figure.value)}{unit}"
    if figure.denominator is not None:
        text += f" ({vi_number(figure.numerator)}/{vi_number(figure.denominator)})"
    return text


def summary(result: TargetResult, year: int) -> str:
    """What the records show for a target, in a sentence or two."""
    y, c = result.year, result.cumulative
    b = y.breakdown
    key = result.target.key
    if key == "training":
        kinds = "; ".join(
            f"{name}: {vi_number(b.get(k.value, 0))}" for k, name in _PARTICIPANTS.items()
        )
        text = (
            f"Năm {year}, tổ chức {vi_number(b['courses'])} lớp đào tạo, tập huấn với "
            f"{vi_number(y.value)} lượt người tham gia ({kinds})"
        )
        if b.get(ParticipantKind.OTHER.value):
            text += f"; ngoài ra có {vi_number(b[ParticipantKind.OTHER.value])} người khác"
        return text + f". Lũy kế từ năm 2021: {vi_number(c.value)} lượt người."
    if key == "experts":
        return (
            f"Năm {year}, {vi_number(y.value)} người được đào tạo chuyên gia năng suất, chất "
            f"lượng. Lũy kế từ năm 2021: {vi_number(c.value)} người."
        )
    if key == "enterprises_supported":
        kinds = "; ".join(
            f"{k.label_vi.lower()}: {vi_number(b[k.value])}" for k in SupportKind if k.value in b
        )
        detail = f" ({vi_number(b['supports'])} lượt hỗ trợ; {kinds})" if b.get("supports") else ""
        return (
            f"Năm {year}, hỗ trợ {vi_number(y.value)} doanh nghiệp{detail}. Lũy kế từ năm 2021: "
            f"{vi_number(c.value)} doanh nghiệp."
        )
    if key == "informed_share":
        if y.denominator is None:
            return (
                f"Năm {year}, {vi_number(y.numerator)} tổ chức, cá nhân được thông tin, tập huấn "
                f"qua {vi_number(b['events'])} hoạt động; chưa có số liệu tổng số tổ chức, cá "
                "nhân sản xuất, kinh doanh để tính tỷ lệ."
            )
        return (
            f"Năm {year}, {vi_number(y.numerator)} tổ chức, cá nhân được thông tin, tập huấn qua "
            f"{vi_number(b['events'])} hoạt động, bằng {vi_number(y.value)}% tổng số. Lũy kế từ "
            f"năm 2021: {vi_number(c.numerator)}/{vi_number(c.denominator)} tổ chức, cá nhân "
            f"({vi_number(c.value)}%); {c.basis}."
        )
    if key == "quality_award":
        return (
            f"Năm {year}, {vi_number(y.value)} doanh nghiệp tham gia Giải thưởng chất lượng quốc "
            f"gia; {vi_number(b['guided'])} doanh nghiệp được hướng dẫn. Lũy kế từ năm 2021: "
            f"{vi_number(c.value)} doanh nghiệp tham gia."
        )
    return (
        f"Đến ngày {vi_date(c.end)}, {vi_number(c.numerator)}/{vi_number(c.denominator)} sản "
        f"phẩm OCOP ({vi_number(c.value)}%) đã được nộp đơn đăng ký bảo hộ nhãn hiệu, trong đó "
        f"{vi_number(c.breakdown['granted'])} sản phẩm đã được cấp văn bằng."
    )


def _tasks(doc: DocxDocument, report: AnnualReport) -> None:
    _heading(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP")
    results = {r.target.key: r for r in report.results}
    shown = {  # task group → the figures whose records show what was done
        1: (),
        2: ("informed_share",),
        3: ("enterprises_supported", "quality_award", "ocop_trademark_share"),
        4: ("training", "experts"),
        5: (),
    }
    for n, task in enumerate(report.plan.tasks, start=1):
        _para(doc, f"{n}. {task}", bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
        listed = 0
        for key in shown.get(n, ()):
            for c in results[key].year.records if key in results else ():
                if c.kind == "register":
                    continue
                mark = " (mẫu)" if c.sample else ""
                _para(doc, f"- {vi_date(c.on)}: {c.label}{mark}.")
                listed += 1
        if n == 5 and report.milestones:
            done = [
                m
                for m, ok in report.milestones
                if ok and m.done_on and report.start <= m.done_on <= report.end
            ]
            for m in done:
                _para(
                    doc, f"- {vi_date(m.done_on)}: {m.title} (Cổng thông tin truy xuất nguồn gốc)."
                )
                listed += 1
        if not listed:
            _para(doc, "Trong năm, cơ sở dữ liệu không ghi nhận hoạt động thuộc nhiệm vụ này.")
        _para(doc, DOTS)


def _signature(doc: DocxDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(85), Mm(80)
    first = left.paragraphs[0]
    _run(first, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in ("- Như trên;", "- Lãnh đạo Sở;", "- Lưu: VT, …"):
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "GIÁM ĐỐC", bold=True)
    for _ in range(4):
        _para(right, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "……………………", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
