"""The declarations register officials keep (XLSX or CSV): conformity declarations, food
self-declarations and certificates, one per row.

Columns, found by their folded headers: Loại (hợp chuẩn, hợp quy, tự công bố, chứng nhận),
Số tiếp nhận / Số chứng nhận, Tổ chức, doanh nghiệp, Mã số thuế, Sản phẩm, Mã GTIN (or Mã
vạch: the declared product's barcode, its check digit checked), Tiêu chuẩn,
quy chuẩn (a document code, or a scheme name such as VietGAP), Ngày công bố, Tổ chức
chứng nhận, Hiệu lực đến, Được hỗ trợ (có/không: supported under the provincial plan),
Ghi chú. A row that cannot be taken is rejected with its ``file:row`` and the reason;
the rest is imported. It runs like every source (``tieuchuan ingest declarations --from
FILE``), as one atomic run (:mod:`ingest.run`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from catalog.declarations import DeclarationError, DeclarationInput, natural_key, read_document
from catalog.limits import CODE_MAX, NAME_MAX, NOTE_MAX, REF_MAX
from catalog.text import fold
from catalog.vocab import DeclarationKind
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import DeclarationRecord, Parsed, Reject, RejectError
from ingest.sheets import SheetRow, parse_sheet

KIND_ALIASES = {
    "hợp chuẩn": DeclarationKind.CONFORMITY_STANDARD,
    "công bố hợp chuẩn": DeclarationKind.CONFORMITY_STANDARD,
    "hợp quy": DeclarationKind.CONFORMITY_REGULATION,
    "công bố hợp quy": DeclarationKind.CONFORMITY_REGULATION,
    "tự công bố": DeclarationKind.SELF_DECLARATION,
    "tự công bố sản phẩm": DeclarationKind.SELF_DECLARATION,
    "chứng nhận": DeclarationKind.CERTIFICATION,
    "giấy chứng nhận": DeclarationKind.CERTIFICATION,
}
_COLUMNS = {
    "kind": ("loai", "loai cong bo", "hinh thuc"),
    "number": ("so tiep nhan", "so cong bo", "so chung nhan", "so giay chung nhan", "so"),
    "enterprise": ("to chuc doanh nghiep", "doanh nghiep", "to chuc ca nhan", "ten doanh nghiep"),
    "tax_code": ("ma so thue", "mst"),
    "product": ("san pham", "ten san pham"),
    "gtin": ("ma gtin", "ma vach", "gtin"),
    "document": (
        "tieu chuan quy chuan",
        "tieu chuan quy chuan ap dung",
        "van ban cong bo",
        "tieu chuan ap dung",
    ),
    "declared_on": ("ngay cong bo", "ngay tiep nhan", "ngay cap", "ngay"),
    "certifying_body": ("to chuc chung nhan", "don vi chung nhan"),
    "valid_until": ("hieu luc den", "co gia tri den", "ngay het han"),
    "program_supported": ("duoc ho tro", "ho tro theo ke hoach", "ho tro"),
    "note": ("ghi chu",),
}
_YES = {"co", "x", "1", "yes", "true", "dung"}
_NO = {"khong", "0", "no", "false", ""}


def parse_rows(rows: Iterable[SheetRow | Reject]) -> Iterator[Parsed]:
    """Rows to declarations or rejects; a natural key seen twice rejects the later row."""
    seen: dict[str, str] = {}

    def parse_unique(row: SheetRow) -> DeclarationRecord:
        parsed = parse_row(row)
        try:
            code, scheme = read_document(parsed.item.document, parsed.item.kind)
        except DeclarationError as exc:
            raise RejectError(str(exc)) from exc
        key = natural_key(parsed.item, code, scheme)
        if key in seen:
            raise RejectError(f"duplicate of row {seen[key]} ({key})")
        seen[key] = row.location.rsplit(":", 1)[-1]
        return parsed

    return parse_sheet(rows, parse_unique)


# Field → the most characters it may have: the API's limits, within the columns' own.
_LIMITS = {
    "enterprise": NAME_MAX,
    "number": CODE_MAX,
    "product": REF_MAX,
    "document": REF_MAX,
    "certifying_body": NAME_MAX,
    "note": NOTE_MAX,
}


def parse_row(row: SheetRow) -> DeclarationRecord:
    def get(name: str) -> Any:
        return row.get(*_COLUMNS[name])

    kind = cells.choice(DeclarationKind, get("kind"), "Loại", KIND_ALIASES)
    enterprise = cells.text(get("enterprise"))
    if not enterprise:
        raise RejectError("Tổ chức, doanh nghiệp: the enterprise is missing")
    declared_on = cells.first_date(get("declared_on"), "Ngày công bố")
    if declared_on is None:
        raise RejectError("Ngày công bố: the date is missing")
    valid_until = cells.first_date(get("valid_until"), "Hiệu lực đến")
    if valid_until is not None and valid_until < declared_on:
        raise RejectError(
            f"Hiệu lực đến: {valid_until.isoformat()} is before the declaration date "
            f"{declared_on.isoformat()}"
        )
    tax_code = cells.text(get("tax_code"))
    if tax_code is not None and not tax_code.replace("-", "").isdigit():
        raise RejectError(f"Mã số thuế: expected digits (e.g. 5000123456), got {tax_code!r}")
    parsed = DeclarationRecord(
        row.location,
        DeclarationInput(
            kind=kind,
            enterprise=enterprise,
            declared_on=declared_on,
            number=cells.text(get("number")),
            tax_code=tax_code,
            product=cells.text(get("product")),
            gtin=_one_gtin(get("gtin")),
            document=cells.text(get("document")),
            certifying_body=cells.text(get("certifying_body")),
            valid_until=valid_until,
            program_supported=_yes_no(get("program_supported"), "Được hỗ trợ"),
            note=cells.text(get("note")),
        ),
    )
    for name, limit in _LIMITS.items():
        value = getattr(parsed.item, name)
        if value is not None and len(value) > limit:
            raise RejectError(f"{name}: {len(value)} characters, more than the {limit} it may have")
    return parsed


def _yes_no(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    shown = fold(cells.text(value) or "")
    if shown in _YES:
        return True
    if shown in _NO:
        return False
    raise RejectError(f"{column}: expected có or không, got {value!r}")


class DeclarationRegisterSource(RowSheetSource):
    name = "declarations"
    default_files = ("declarations.xlsx", "declarations.csv")

    def parse_rows(self, rows: Iterable[SheetRow | Reject]) -> Iterator[Parsed]:
        return parse_rows(rows)


def _one_gtin(value: Any) -> str | None:
    found = cells.gtins(value, "Mã GTIN")
    if len(found) > 1:
        raise RejectError(f"Mã GTIN: one declaration names one GTIN, not {len(found)}")
    return found[0] if found else None
