"""The engine's reasons and notes in the reader's language.

Reasons are worded by :mod:`catalog.applicability.wording` (the same words the API gives in
English); a page supplies the category's name in the reader's language and shows each
reason as a sentence of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from catalog.applicability import Entry, Reason, ReasonKind, Standing
from catalog.applicability.wording import Lang, cited_words, reason_words, sentence
from catalog.models import ProductCategory


def describe_reason(
    reason: Reason,
    lang: str,
    categories: dict[str, ProductCategory],
    own_category_id: int | None,
) -> str:
    words: Lang = "vi" if lang == "vi" else "en"
    subject = reason.subject or ""
    if reason.kind == ReasonKind.CATEGORY:
        category = categories.get(subject)
        name = (
            (category.name_vi if words == "vi" else category.name_en or category.name_vi)
            if category
            else subject.removeprefix("category:")
        )
        own = category is not None and category.id == own_category_id
        text = reason_words(reason.kind, words, category=name, own_category=own)
    else:
        code = subject.removeprefix(f"{reason.kind}:")
        text = reason_words(reason.kind, words, code=code)
    if reason.cited_edition:
        text += f" ({cited_words(reason.cited_edition, words)})"
    return sentence(text)


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
