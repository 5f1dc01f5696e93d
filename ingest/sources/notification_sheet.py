"""Source 7: WTO notifications kept as a sheet (the bundled dataset), one row per notification,
addendum or corrigendum.

Columns: Số hiệu (the symbol), Thành viên (notifying member), Ngày thông báo (circulation
date), Cơ quan (agency), Sản phẩm (products covered, as notified), Mã HS, Mã ICS, Nhóm sản
phẩm (category slugs of the catalog it covers), Tiêu đề, Mô tả, Mục tiêu, Ngày dự kiến thông
qua, Ngày dự kiến hiệu lực, Hạn góp ý, Văn bản (the catalog document it notifies or adopts),
Nội dung bổ sung (for an addendum: adopted, dates_changed, comment_period, content,
withdrawn), Ngày thông qua, Liên kết (links, one per line) and Nguồn / Ghi chú (where each
fact was read: the bundled rows are real notifications, each with its source).
"""

from __future__ import annotations

import re

from catalog.codes_wto import SymbolError, parse_symbol
from catalog.text import slugify
from catalog.vocab import NotificationAction
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import NotificationRecord, NotificationUpdateRecord, RejectError
from ingest.sheets import SheetRow

_HS = re.compile(r"\d{4}(?:\d{2}){0,3}")
_ICS = re.compile(r"\d{2}\.\d{3}(?:\.\d{2})?")


def parse_row(row: SheetRow) -> NotificationRecord | NotificationUpdateRecord:
    shown = cells.text(row.get("so hieu")) or ""
    try:
        symbol = parse_symbol(shown)
    except SymbolError as exc:
        raise RejectError(f"Số hiệu: {exc}") from exc
    source = cells.text(row.get("nguon"))
    note = "; ".join(t for t in (cells.text(row.get("ghi chu")), source) if t) or None
    links = cells.split_list(row.get("lien ket"))
    document = row.get("van ban")
    document_code = cells.code(document, "Văn bản").canonical() if cells.text(document) else None
    if symbol.is_follow_up:
        action = cells.text(row.get("noi dung bo sung"))
        update = NotificationUpdateRecord(
            location=row.location,
            symbol=symbol.canonical(),
            base_symbol=symbol.base().canonical(),
            action=NotificationAction.CORRECTION
            if symbol.corrigendum is not None
            else cells.choice(NotificationAction, action, "Nội dung bổ sung"),
            issued_on=cells.first_date(row.get("ngay thong bao"), "Ngày thông báo"),
            summary="\n".join(t for t in (cells.text(row.get("mo ta")), note) if t) or None,
            proposed_adoption=cells.first_date(
                row.get("ngay du kien thong qua"), "Ngày dự kiến thông qua"
            ),
            proposed_entry_into_force=cells.first_date(
                row.get("ngay du kien hieu luc"), "Ngày dự kiến hiệu lực"
            ),
            comment_deadline=cells.first_date(row.get("han gop y"), "Hạn góp ý"),
            adopted_on=cells.first_date(row.get("ngay thong qua"), "Ngày thông qua"),
            document_code=document_code,
            links=links,
        )
        if update.action == NotificationAction.ADOPTED and not (
            update.adopted_on or update.issued_on
        ):
            raise RejectError("Ngày thông qua: an adoption needs its date (or the addendum's)")
        return update
    record = NotificationRecord(
        location=row.location,
        symbol=symbol.canonical(),
        agreement=symbol.agreement,
        member=symbol.member,
        member_name=cells.text(row.get("thanh vien")),
        notified_on=cells.first_date(row.get("ngay thong bao"), "Ngày thông báo"),
        agency=cells.text(row.get("co quan")),
        products=cells.text(row.get("san pham")),
        title=cells.text(row.get("tieu de")),
        description=cells.text(row.get("mo ta")),
        objective=cells.text(row.get("muc tieu")),
        proposed_adoption=cells.first_date(
            row.get("ngay du kien thong qua"), "Ngày dự kiến thông qua"
        ),
        proposed_entry_into_force=cells.first_date(
            row.get("ngay du kien hieu luc"), "Ngày dự kiến hiệu lực"
        ),
        comment_deadline=cells.first_date(row.get("han gop y"), "Hạn góp ý"),
        links=links,
        document_code=document_code,
        note=note,
    )
    record.hs_codes = _codes(row.get("ma hs"), _HS, "Mã HS", strip=".")
    record.ics_codes = _codes(row.get("ma ics"), _ICS, "Mã ICS")
    record.categories = [slugify(c) for c in cells.split_list(row.get("nhom san pham"))]
    if not record.title:
        raise RejectError("Tiêu đề: the title is missing")
    if not (record.products or record.hs_codes or record.ics_codes or record.categories):
        raise RejectError("Sản phẩm: missing — a notification naming no products reaches none")
    return record


def _codes(value: object, pattern: re.Pattern[str], column: str, strip: str = "") -> list[str]:
    if isinstance(value, int | float):
        raise RejectError(f"{column}: {value!r} was stored as a number; format the column as text")
    codes = []
    for item in re.split(r"[;,\s]+", cells.text(value) or ""):
        if not item:
            continue
        code = item.replace(strip, "") if strip else item
        if not pattern.fullmatch(code):
            raise RejectError(f"{column}: {item!r} is not a code of that scheme")
        codes.append(code)
    return codes


class NotificationSheetSource(RowSheetSource):
    name = "notifications"
    default_files = ("notifications.xlsx", "notifications.csv")
    free_text = "ghi chu"
    parse_row = staticmethod(parse_row)
