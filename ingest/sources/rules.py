"""Source 5: the applicability rules sheet kept by officials (XLSX or CSV).

One row per rule: STT (its number, by which the provenance sheet names it), Loại đối
tượng (product, category, HS prefix or ICS field), Đối tượng (the product or category slug,
the HS prefix or the ICS code), Số hiệu văn bản (the document), Vai trò (role), Điều kiện
(the condition as text), Điều kiện (dữ kiện) (the condition typed: facts with the values
that make the rule apply, in :mod:`catalog.conditions` syntax, ``prepackaged=yes;
packaging=glass|ceramic``; empty where the text cannot be typed honestly), Căn cứ pháp lý
(legal basis), Hiệu lực từ / đến (validity) and Ghi chú. Rules may cite an older edition on
purpose: which edition is in force on a date is the engine's question, not the sheet's.
"""

from __future__ import annotations

import re

from catalog.codes import find_codes
from catalog.conditions import ConditionError, format_conditions, parse_conditions
from catalog.text import slugify
from catalog.vocab import Role, SubjectKind
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import RejectError, RuleRecord
from ingest.sheets import SheetRow

SUBJECT_ALIASES = {
    "sản phẩm": SubjectKind.PRODUCT,
    "nhóm": SubjectKind.CATEGORY,
    "nhóm sản phẩm": SubjectKind.CATEGORY,
    "danh mục": SubjectKind.CATEGORY,
    "HS": SubjectKind.HS_PREFIX,
    "mã HS": SubjectKind.HS_PREFIX,
    "ICS": SubjectKind.ICS,
}
ROLE_ALIASES = {
    "quy chuẩn": Role.MANDATORY_REGULATION,
    "bắt buộc": Role.MANDATORY_REGULATION,
    "công bố hợp quy": Role.CONFORMITY_DECLARATION,
    "công bố hợp chuẩn": Role.CONFORMITY_DECLARATION,
    "tiêu chuẩn sản phẩm": Role.PRODUCT_STANDARD,
    "phương pháp thử": Role.TEST_METHOD,
    "ghi nhãn": Role.LABELLING,
    "VietGAP": Role.GOOD_PRACTICE,
    "GAP": Role.GOOD_PRACTICE,
    "hữu cơ": Role.ORGANIC,
    "truy xuất": Role.TRACEABILITY,
    "HACCP": Role.MANAGEMENT_SYSTEM,
}
_HS_PREFIX = re.compile(r"\d{2,10}")
_ICS = re.compile(r"\d{2}(?:\.\d{3}(?:\.\d{2})?)?")


def parse_row(row: SheetRow) -> RuleRecord:
    kind = cells.choice(SubjectKind, row.get("loai doi tuong"), "Loại đối tượng", SUBJECT_ALIASES)
    subject = _subject(kind, row.get("doi tuong"))
    code = cells.code(row.get("so hieu van ban", "van ban"), "Số hiệu văn bản")
    role = cells.choice(Role, row.get("vai tro"), "Vai trò", ROLE_ALIASES)
    rule = RuleRecord(
        location=row.location,
        number=cells.whole_number(row.get("stt"), "STT"),
        subject_kind=kind,
        subject=subject,
        document_code=code.canonical(),
        role=role,
    )
    rule.condition = cells.text(row.get("dieu kien"))
    rule.typed_condition = _typed_condition(row.get("dieu kien du kien"))
    rule.legal_basis = cells.text(row.get("can cu phap ly"))
    if rule.legal_basis and (found := find_codes(rule.legal_basis)):
        rule.legal_basis_code = found[0].canonical()
    rule.valid_from = cells.first_date(row.get("hieu luc tu"), "Hiệu lực từ")
    rule.valid_to = cells.first_date(row.get("hieu luc den"), "Hiệu lực đến")
    if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
        raise RejectError(f"Hiệu lực đến {rule.valid_to} is before Hiệu lực từ {rule.valid_from}")
    rule.note = cells.text(row.get("ghi chu"))
    return rule


def _typed_condition(value: object) -> str | None:
    try:
        conditions = parse_conditions(cells.text(value))
    except ConditionError as exc:
        raise RejectError(f"Điều kiện (dữ kiện): {exc}") from None
    return format_conditions(conditions) or None


def _subject(kind: SubjectKind, value: object) -> str:
    if isinstance(value, int | float) and kind == SubjectKind.HS_PREFIX:
        raise RejectError(
            f"Đối tượng: HS prefix {value!r} was stored as a number, which loses leading "
            "zeros; format the column as text"
        )
    shown = cells.text(value)
    if not shown:
        raise RejectError("Đối tượng: the subject is missing")
    if kind == SubjectKind.HS_PREFIX:
        digits = shown.replace(".", "").replace(" ", "")
        if not _HS_PREFIX.fullmatch(digits):
            raise RejectError(f"Đối tượng: {shown!r} is not an HS prefix (2 to 10 digits)")
        return digits
    if kind == SubjectKind.ICS:
        if not _ICS.fullmatch(shown):
            raise RejectError(f"Đối tượng: {shown!r} is not an ICS code like '67.040'")
        return shown
    return slugify(shown)


class RulesSheetSource(RowSheetSource):
    name = "rules"
    default_files = ("rules.xlsx", "rules.csv")
    free_text = "ghi chu"
    parse_row = staticmethod(parse_row)
