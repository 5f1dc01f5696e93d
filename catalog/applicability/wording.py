"""A reason in words, in Vietnamese or English: the one place reasons are worded.

A :class:`~catalog.applicability.answer.Reason` is structured (how the document reached the
product, the code or category it came through, the edition a rule named); its ``text`` is
:func:`reason_words` in English, recorded by the engine when the reason is made, and that is
what the API, the CLI and the checklist exports show. Web pages word the same structure in
the reader's language (with the category's name in that language) through the same function.
"""

from __future__ import annotations

from typing import Literal

from catalog.applicability.answer import ReasonKind

Lang = Literal["vi", "en"]


def reason_words(
    kind: ReasonKind,
    lang: Lang,
    *,
    code: str | None = None,
    category: str | None = None,
    own_category: bool = False,
) -> str:
    """How a document reached the product, in ``lang``: ``code`` is the HS or ICS code of the
    rule, or the code of the citing document; ``category`` the name of the rule's category
    (``own_category``: the product's own rather than an ancestor)."""
    vi = lang == "vi"
    if kind == ReasonKind.PRODUCT:
        return "quy định riêng cho sản phẩm này" if vi else "rule on the product itself"
    if kind == ReasonKind.CATEGORY:
        if own_category:
            return f"quy định cho nhóm {category}" if vi else f"rule on its category {category}"
        return f"kế thừa từ nhóm {category}" if vi else f"inherited from category {category}"
    if kind == ReasonKind.HS_PREFIX:
        return f"theo mã HS {code}" if vi else f"HS {code} prefix"
    if kind == ReasonKind.ICS:
        return f"theo lĩnh vực ICS {code}" if vi else f"ICS {code}"
    return f"được {code} viện dẫn bắt buộc" if vi else f"cited as mandatory by {code}"


def cited_words(edition: str, lang: Lang) -> str:
    """That the rule named ``edition`` and the entry is the edition in force instead."""
    if lang == "vi":
        return f"quy định nêu {edition}; bản đang có hiệu lực là văn bản này"
    return f"the rule cites {edition}; this is the edition in force"


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised, as a line of its own on a page."""
    return text[:1].upper() + text[1:]
