"""The answer as a compliance checklist a consultant can hand a client: CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import zip_longest

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from catalog.answer_facts import FactsAnswer
from catalog.applicability import Applicability, Entry, Standing
from catalog.cells import append_row, csv_row
from catalog.facts_text import facts_lines, verdict_text
from catalog.notifications import UnderWay
from catalog.review import Review, SourceRef
from catalog.vocab import ReviewState

COLUMNS = (
    "Số hiệu / Document",
    "Tên / Title",
    "Vai trò / Role",
    "Bắt buộc / Mandatory",
    "Lý do / Reasons",
    "Điều kiện / Condition",
    "Căn cứ pháp lý / Legal basis",
    "Tình trạng / Status",
    "Hiệu lực từ / Effective from",
    "Ghi chú / Notes",
    "Rà soát quy tắc / Rule review",
    "Nguồn quy tắc / Rule sources",
    "Rà soát tình trạng văn bản / Status review",
)
FACTS_COLUMN = "Theo dữ kiện / By the facts"
# Mandatory entries not verified are filled amber in the workbook, never mixed in unmarked.
_UNCONFIRMED = PatternFill("solid", fgColor="FFE8B0")
_STANDING = {
    Standing.IN_FORCE: "Áp dụng / Applies",
    Standing.UPCOMING: "Sắp có hiệu lực / Upcoming",
    Standing.WITHDRAWN: "Hết hiệu lực, không có thay thế / Withdrawn",
    Standing.OUT_OF_SCOPE: "Ngoài phạm vi / Out of scope",
}


def heading(answer: Applicability, settled: FactsAnswer | None = None) -> list[list[str]]:
    p, review = answer.product, answer.mandatory_review
    return [
        ["Danh mục tiêu chuẩn, quy chuẩn áp dụng / Compliance checklist"],
        ["Sản phẩm / Product", p.name_vi + (f" ({p.name_en})" if p.name_en else "")],
        ["Nhóm / Category", p.category or ""],
        ["Địa phương / Locality", p.locality or ""],
        ["Tại ngày / As of", answer.as_of.isoformat()],
        [
            "Bắt buộc đã kiểm chứng / Mandatory verified",
            f"{review.verified} / {review.verified + review.unverified + review.disputed}"
            + (
                f" — CHÚ Ý / CAUTION: {review.unverified} chưa kiểm chứng / unverified, "
                f"{review.disputed} có tranh chấp / disputed"
                if review.unverified or review.disputed
                else ""
            ),
        ],
        *([["Thị trường xuất khẩu / Export market", answer.market]] if answer.market else []),
        *(facts_lines(settled) if settled else []),
    ]


def rows(
    answer: Applicability, settled: FactsAnswer | None = None
) -> Iterator[tuple[Standing, list[str]]]:
    """The checklist's rows: the documents (as :func:`_entries` lists them), then the drafts
    notified to the WTO that are under way (not in force, but coming). Settled by facts, the
    documents they rule out are left out (the heading names them) and a last column says
    what the facts make of each."""
    for entry in _entries(answer, settled):
        row = _row(entry)
        yield entry.standing, [*row, verdict_text(settled.of(entry))] if settled else row
    for item in answer.under_way:
        yield Standing.UPCOMING, _under_way_row(item) + ([""] if settled else [])


def _entries(answer: Applicability, settled: FactsAnswer | None = None) -> Iterator[Entry]:
    for group in (answer.entries, answer.upcoming, answer.withdrawn):
        yield from settled.kept(group) if settled else group


def _under_way_row(item: UnderWay) -> list[str]:
    deadline = ""
    if item.comment_deadline:
        state = "đang mở / open" if item.comments_open else "đã đóng / closed"
        deadline = f", góp ý đến / comments until {item.comment_deadline.isoformat()} ({state})"
    adoption = item.proposed_adoption.isoformat() if item.proposed_adoption else "?"
    return [
        item.symbol + (f" ({item.document_code})" if item.document_code else ""),
        item.title or "",
        "Dự thảo thông báo WTO / Notified draft",
        "",
        "; ".join(item.reasons),
        "",
        "",
        f"Đang soạn thảo / Under way{deadline}",
        item.proposed_entry_into_force.isoformat() if item.proposed_entry_into_force else "",
        f"{item.member_name or item.member}; dự kiến thông qua / expected adoption {adoption}"
        + "".join(f"; {link}" for link in item.links),
        "",  # a draft has no rule review, sources or status review yet
        "",
        "",
    ]


def _row(entry: Entry) -> list[str]:
    doc = entry.document
    return [
        doc.code,
        doc.title_vi or doc.title_en or "",
        "; ".join(f"{r.label_vi} / {r.label_en}" for r in entry.roles),
        "Có / Yes" if entry.mandatory else "Không / No",
        "; ".join(r.text for r in entry.reasons),
        "; ".join(entry.conditions),
        "; ".join(entry.legal_bases),
        f"{_STANDING[entry.standing]} — {doc.status.label_vi}",
        doc.effective_from.isoformat() if doc.effective_from else "",
        "; ".join(entry.notes),
        _review_label(entry),
        "\n".join(_source(s) for r in entry.reasons if r.review for s in r.review.sources),
        _document_review(doc.review),
    ]


def _review_label(entry: Entry) -> str:
    state = entry.review_state
    label = f"{state.label_vi} / {state.label_en}"
    if entry.mandatory and state != ReviewState.VERIFIED:
        return f"⚠ {label}: bắt buộc chưa được xác nhận / mandatory, not confirmed"
    return label


def _source(source: SourceRef) -> str:
    where = ", ".join(x for x in (source.locator, source.url) if x)
    read = (
        f" (truy cập / retrieved {source.retrieved_on.isoformat()})" if source.retrieved_on else ""
    )
    note = f": {source.note}" if source.note else ""
    return f"{source.title} — {where}{read}{note}"


def _document_review(review: Review) -> str:
    state = f"{review.state.label_vi} / {review.state.label_en}"
    if review.confirmed_on:
        state += f"; xác nhận lần cuối / last confirmed {review.confirmed_on.isoformat()}"
    sources = "\n".join(_source(s) for s in review.sources)
    return f"{state}\n{sources}" if sources else state


def to_csv(answer: Applicability, settled: FactsAnswer | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs show the diacritics."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(csv_row(line) for line in heading(answer, settled))
    writer.writerow([])
    writer.writerow(COLUMNS + ((FACTS_COLUMN,) if settled else ()))
    for _standing, row in rows(answer, settled):
        writer.writerow(csv_row(row))
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(answer: Applicability, settled: FactsAnswer | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Checklist"
    for line in heading(answer, settled):
        append_row(sheet, line)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for cell in append_row(sheet, COLUMNS + ((FACTS_COLUMN,) if settled else ())):
        cell.font = Font(bold=True)
    header_row = sheet.max_row
    # The documents' rows come first, each beside its entry; the drafts under way have none.
    for (standing, row), entry in zip_longest(rows(answer, settled), _entries(answer, settled)):
        cells = append_row(sheet, row)
        if standing != Standing.IN_FORCE:
            for cell in cells:
                cell.font = Font(italic=True, color="666666")
        elif entry.mandatory and entry.review_state != ReviewState.VERIFIED:
            for cell in cells:
                cell.fill = _UNCONFIRMED
    widths = (22, 50, 28, 12, 45, 25, 25, 30, 14, 50, 30, 60, 40) + ((40,) if settled else ())
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(answer: Applicability, extension: str) -> str:
    return f"checklist-{answer.product.slug}-{answer.as_of.isoformat()}.{extension}"
