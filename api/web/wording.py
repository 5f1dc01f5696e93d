"""The engine's reasons and notes in the reader's language.

The engine (:mod:`catalog.applicability`) writes its reasons and notes in English for logs and
the API; pages rebuild them from the structured fields (kind, subject, cited edition, dates)
so a Vietnamese reader gets Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from catalog.applicability import Entry, Reason, ReasonKind, Standing
from catalog.models import ProductCategory


def describe_reason(
    reason: Reason,
    lang: str,
    categories: dict[str, ProductCategory],
    own_category_id: int | None,
) -> str:
    vi = lang == "vi"
    subject = reason.subject or ""
    if reason.kind == ReasonKind.PRODUCT:
        text = "Quy định riêng cho sản phẩm này" if vi else "Rule on this product itself"
    elif reason.kind == ReasonKind.CATEGORY:
        category = categories.get(subject)
        name = (
            (category.name_vi if vi else category.name_en or category.name_vi)
            if category
            else subject.removeprefix("category:")
        )
        own = category is not None and category.id == own_category_id
        if vi:
            text = f"Quy định cho nhóm {name}" if own else f"Kế thừa từ nhóm {name}"
        else:
            text = f"Rule on its category {name}" if own else f"Inherited from category {name}"
    elif reason.kind == ReasonKind.HS_PREFIX:
        code = subject.removeprefix("hs_prefix:")
        text = f"Theo mã HS {code}" if vi else f"HS code prefix {code}"
    elif reason.kind == ReasonKind.ICS:
        code = subject.removeprefix("ics:")
        text = f"Theo lĩnh vực ICS {code}" if vi else f"ICS field {code}"
    else:
        text = f"Được {subject} viện dẫn bắt buộc" if vi else f"Cited as mandatory by {subject}"
    if reason.cited_edition:
        text += (
            f" (quy định nêu {reason.cited_edition}; bản đang có hiệu lực là văn bản này)"
            if vi
            else f" (the rule cites {reason.cited_edition}; this is the edition in force)"
        )
    return text


def entry_notes(entry: Entry, lang: str, format_date: Callable[[date], str]) -> list[str]:
    """Notes on an entry, rebuilt from its standing in the reader's language (the edition
    a rule cited is already said by its reason, see :func:`describe_reason`)."""
    vi = lang == "vi"
    doc = entry.document
    if entry.standing == Standing.UPCOMING:
        if doc.effective_from:
            day = format_date(doc.effective_from)
            return [f"Có hiệu lực từ {day}" if vi else f"In force from {day}"]
        return ["Chưa có hiệu lực (chưa rõ ngày)" if vi else "Not yet in force (date unknown)"]
    if entry.standing == Standing.WITHDRAWN:
        return [
            "Đã hết hiệu lực, chưa ghi nhận văn bản thay thế"
            if vi
            else "Withdrawn, with no replacement on record"
        ]
    if entry.standing == Standing.OUT_OF_SCOPE:
        return [
            "Quy chuẩn địa phương của tỉnh khác, không áp dụng cho sản phẩm này"
            if vi
            else "A local regulation of another province: it does not apply to this product"
        ]
    return []
