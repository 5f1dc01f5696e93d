"""Reasons worded once per language (catalog.applicability.wording): the engine's recorded
text is the English wording, and pages word the same structure in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder

from api.web.wording import describe_reason
from catalog.applicability import ReasonKind, applicable
from catalog.applicability.wording import cited_words, reason_words
from catalog.vocab import Role


@pytest.mark.parametrize(
    ("kind", "options", "vi", "en"),
    [
        (ReasonKind.PRODUCT, {}, "quy định riêng cho sản phẩm này", "rule on the product itself"),
        (
            ReasonKind.CATEGORY,
            {"category": "Cam", "own_category": True},
            "quy định cho nhóm Cam",
            "rule on its category Cam",
        ),
        (
            ReasonKind.CATEGORY,
            {"category": "Thực phẩm"},
            "kế thừa từ nhóm Thực phẩm",
            "inherited from category Thực phẩm",
        ),
        (ReasonKind.HS_PREFIX, {"code": "0805"}, "theo mã HS 0805", "HS 0805 prefix"),
        (ReasonKind.ICS, {"code": "67.080"}, "theo lĩnh vực ICS 67.080", "ICS 67.080"),
        (
            ReasonKind.CITATION,
            {"code": "QCVN 8-2:2011/BYT"},
            "được QCVN 8-2:2011/BYT viện dẫn bắt buộc",
            "cited as mandatory by QCVN 8-2:2011/BYT",
        ),
    ],
)
def test_each_kind_of_reason_in_both_languages(kind, options, vi, en):
    assert reason_words(kind, "vi", **options) == vi
    assert reason_words(kind, "en", **options) == en


def test_the_engine_records_the_english_words_and_pages_reword_the_same_reason(session):
    cat = CatalogBuilder(session)
    food = cat.category("Thực phẩm")
    citrus = cat.category("Cây có múi", parent=food)
    orange = cat.product("Cam sành", category=citrus)
    old = cat.doc("TCVN 1873:2007", effective_from=date(2007, 1, 1))
    new = cat.doc("TCVN 1873:2014", effective_from=date(2014, 1, 1))
    cat.replaces(new, old)
    cat.rule(food, old, Role.PRODUCT_STANDARD)
    (entry,) = applicable(session, orange.id, date(2020, 1, 1)).entries
    (reason,) = entry.reasons
    assert reason.text == reason_words(ReasonKind.CATEGORY, "en", category="Thực phẩm")
    assert reason.cited_edition == "TCVN 1873:2007"
    categories = {f"category:{food.slug}": food, f"category:{citrus.slug}": citrus}
    assert describe_reason(reason, "vi", categories, citrus.id) == (
        "Kế thừa từ nhóm Thực phẩm (" + cited_words("TCVN 1873:2007", "vi") + ")"
    )
    assert describe_reason(reason, "en", categories, citrus.id).startswith(
        "Inherited from category "
    )
