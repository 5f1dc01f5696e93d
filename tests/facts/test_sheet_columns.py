"""The sheets' fact columns: typed conditions of rules, default facts of products; bad values
are rejected per row with where and why, the rest of the sheet proceeds."""

from __future__ import annotations

import pytest

from ingest.records import RejectError
from ingest.sheets import SheetRow
from ingest.sources import products, rules

RULE = {
    "stt": "7",
    "loai doi tuong": "Nhóm sản phẩm",
    "doi tuong": "mat-ong",
    "so hieu van ban": "QCVN 12-4:2015/BYT",
    "vai tro": "Quy chuẩn bắt buộc",
    "dieu kien": "Nếu đóng gói bằng bao bì thủy tinh, gốm, sứ",
}
PRODUCT = {"ten san pham": "Trà xanh hộp 100gr", "loai": "OCOP", "nhom san pham": "che-xanh"}


def test_a_typed_condition_is_stored_in_one_spelling_with_its_text():
    row = SheetRow("rules.csv:8", {**RULE, "dieu kien du kien": "Packaging=ceramic|glass"})
    rule = rules.parse_row(row)
    assert rule.typed_condition == "packaging=glass|ceramic"
    assert rule.condition == "Nếu đóng gói bằng bao bì thủy tinh, gốm, sứ"


def test_a_condition_left_untyped_stays_text_only():
    rule = rules.parse_row(SheetRow("rules.csv:8", dict(RULE)))
    assert (rule.typed_condition, rule.condition is not None) == (None, True)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("packaging=wood", "'wood' is not an answer to packaging"),
        ("organic=yes", "unknown fact 'organic'"),
        ("prepackaged", "expected fact=value"),
        ("prepackaged=yes|no", "prepackaged takes one value"),
    ],
)
def test_a_bad_typed_condition_rejects_its_row_saying_why(typed, why):
    row = SheetRow("rules.csv:8", {**RULE, "dieu kien du kien": typed})
    with pytest.raises(RejectError, match="Điều kiện \\(dữ kiện\\)") as caught:
        rules.parse_row(row)
    assert why in str(caught.value)


def test_a_products_default_facts_are_stored_in_one_spelling():
    row = SheetRow("products.csv:3", {**PRODUCT, "du kien": "claims=ocop; prepackaged=yes"})
    assert products.parse_row(row).default_facts == "prepackaged:yes,claims:ocop"
    assert products.parse_row(SheetRow("products.csv:3", dict(PRODUCT))).default_facts is None


def test_bad_default_facts_reject_the_product_row():
    row = SheetRow("products.csv:3", {**PRODUCT, "du kien": "claims:halal"})
    with pytest.raises(RejectError, match="Dữ kiện: 'claims:halal': 'halal' is not an answer"):
        products.parse_row(row)
