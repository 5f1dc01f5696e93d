"""Source 4: the provincial product registry, a spreadsheet (XLSX or CSV) kept by an official.

One row per product: key products, specialties, geographical indications and OCOP
products, with columns found by their (Vietnamese) headers: Mã sản phẩm, Tên sản phẩm,
Tên tiếng Anh, Loại, Nhóm sản phẩm, Mã HS, Mã ICS, Mã GTIN (or Mã vạch: barcodes, each with a
valid check digit), Tên gọi khác, Số sao OCOP, Quyết định công nhận, Ngày công nhận, Chủ thể
sản xuất, Địa bàn, Mã địa bàn, Nguồn, Ghi chú, and Dữ kiện (facts the registry states about how
the product is sold, in :mod:`catalog.facts` syntax, ``claims:ocop``: answers register them as
known before anyone is asked).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from catalog.codes import find_codes
from catalog.facts import FactsError, parse_facts
from catalog.text import slugify
from catalog.vocab import ProductKind
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import ProductRecord, RejectError
from ingest.sheets import SheetRow

KIND_ALIASES = {
    "chủ lực": ProductKind.KEY,
    "sản phẩm chủ lực cấp tỉnh": ProductKind.KEY,
    "đặc sản": ProductKind.SPECIALTY,
    "sản phẩm đặc sản": ProductKind.SPECIALTY,
    "CDĐL": ProductKind.GEOGRAPHICAL_INDICATION,
    "sản phẩm OCOP": ProductKind.OCOP,
}
_HS = re.compile(r"(?<![\d.])(\d{4}|\d{6}|\d{8}|\d{10})(?![\d.])")
OCOP_VALIDITY_MONTHS = 36


def parse_row(row: SheetRow) -> ProductRecord:
    name = cells.text(row.get("ten san pham"))
    if not name:
        raise RejectError("Tên sản phẩm: the product name is missing")
    kind = cells.choice(ProductKind, row.get("loai"), "Loại", KIND_ALIASES)
    slug = cells.text(row.get("ma san pham")) or slugify(name)
    if slug != slugify(slug):
        raise RejectError(f"Mã sản phẩm: {slug!r} is not a slug like 'cam-sanh-ham-yen'")
    record = ProductRecord(location=row.location, slug=slug, name_vi=name, kind=kind)
    record.name_en = cells.text(row.get("ten tieng anh"))
    record.geographical_indication = kind == ProductKind.GEOGRAPHICAL_INDICATION
    record.category = cells.text(row.get("nhom san pham"))
    record.hs_codes = hs_codes(row.get("ma hs"))
    record.ics_codes = [cells.ics(c, "Mã ICS")[0] for c in cells.split_list(row.get("ma ics"))]
    record.gtins = cells.gtins(row.get("ma gtin", "ma vach", "gtin"), "Mã GTIN")
    record.aliases = [a for a in cells.split_list(row.get("ten goi khac")) if a != name]
    _ocop(record, row)
    record.producer = cells.text(row.get("chu the san xuat"))
    record.locality_text = cells.text(row.get("dia ban"))
    record.locality = cells.text(row.get("ma dia ban"))
    notes = [cells.text(row.get("ghi chu")), _source(row)]
    record.description = "\n".join(n for n in notes if n) or None
    record.default_facts = _default_facts(row.get("du kien"))
    return record


def _default_facts(value: object) -> str | None:
    try:
        return parse_facts(cells.text(value)).canonical() or None
    except FactsError as exc:
        raise RejectError(f"Dữ kiện: {exc}") from None


def hs_codes(value: object) -> list[str]:
    """HS codes in a cell ("0805 (080510)", "0102 (010239); thịt 0201/0202"), most specific.

    A code that is the prefix of another code in the same cell is dropped.
    """
    if value is None or value == "":
        return []
    if isinstance(value, int | float):
        raise RejectError(
            f"Mã HS: {value!r} was stored as a number, which loses leading zeros; "
            "format the column as text"
        )
    found = list(dict.fromkeys(_HS.findall(cells.text(value) or "")))
    if not found:
        raise RejectError(f"Mã HS: {value!r} holds no HS code of 4, 6, 8 or 10 digits")
    return [c for c in found if not any(o != c and o.startswith(c) for o in found)]


def _ocop(record: ProductRecord, row: SheetRow) -> None:
    stars = cells.whole_number(row.get("so sao ocop", "so sao"), "Số sao OCOP")
    if stars is not None and not 3 <= stars <= 5:
        raise RejectError(f"Số sao OCOP: {stars} is not an OCOP rating (3 to 5 stars)")
    record.ocop_stars = stars
    decision = cells.text(row.get("quyet dinh cong nhan"))
    if decision:
        found = find_codes(decision)
        if not found:
            raise RejectError(f"Quyết định công nhận: {decision!r} names no decision")
        record.ocop_decision = found[0].canonical()
    rated = row.get("ngay cong nhan") or decision
    record.ocop_rated_on = cells.first_date(rated, "Ngày công nhận") if rated else None
    if stars is not None and record.kind != ProductKind.OCOP:
        raise RejectError(f"Số sao OCOP: a {record.kind.label_vi.lower()} has no OCOP stars")
    if record.ocop_rated_on:
        record.ocop_valid_until = _add_months(record.ocop_rated_on, OCOP_VALIDITY_MONTHS)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def _source(row: SheetRow) -> str | None:
    url = cells.text(row.get("nguon", "source url"))
    return f"Nguồn: {url}" if url else None


class ProductRegistrySource(RowSheetSource):
    name = "products"
    default_files = ("products.xlsx", "products.csv")
    free_text = "ghi chu"
    parse_row = staticmethod(parse_row)
