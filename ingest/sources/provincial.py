"""Source 3: a provincial documents page — QCĐP and the decisions listing key and OCOP products.

An HTML listing (one table, paginated with ``rel=next``) with the columns Số ký hiệu,
Ngày ban hành, Trích yếu (title), Cơ quan ban hành (issuer), and optionally Ngày hiệu lực
and Tình trạng. Only provincial instruments belong here: QCĐP, decisions (QĐ) and
resolutions (NQ); anything else is rejected as out of place.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from catalog.codes import DocType
from catalog.vocab import Status
from ingest import cells
from ingest.crawl import paginate
from ingest.fetch import Fetcher
from ingest.records import DocumentRecord, Parsed, RejectError
from ingest.tables import TableRow, parse_table

CODE = "so ky hieu"
PROVINCIAL_TYPES = frozenset({DocType.QCDP, DocType.DECISION, DocType.RESOLUTION})


def parse_listing(html: str, url: str, today: date | None = None) -> Iterator[Parsed]:
    """Every row of a listing page, as a record or a reject."""
    return parse_table(html, url, CODE, parse_row, today)


def parse_row(row: TableRow, today: date) -> DocumentRecord:
    code = cells.code(row.text(CODE), "Số ký hiệu")
    if code.doc_type not in PROVINCIAL_TYPES:
        raise RejectError(
            f"Số ký hiệu: {code} is a {code.doc_type.label_vi.lower()}, not a provincial "
            "QCĐP, decision or resolution"
        )
    record = DocumentRecord(location=row.location, code=code.canonical(), year=code.year)
    record.title_vi = row.text("trich yeu", "ten van ban")
    if not record.title_vi:
        raise RejectError("Trích yếu: the title is missing")
    record.issuer = row.text("co quan ban hanh")
    if not record.issuer:
        raise RejectError("Cơ quan ban hành: the issuing body is missing")
    record.issued_on = cells.first_date(row.text("ngay ban hanh"), "Ngày ban hành")
    if record.issued_on is None:
        raise RejectError("Ngày ban hành: the issue date is missing")
    if record.year is None:
        record.year = record.issued_on.year
    elif record.year != record.issued_on.year:
        raise RejectError(f"Ngày ban hành {record.issued_on} is not in the code's year {code.year}")
    record.effective_from = cells.first_date(row.text("ngay hieu luc"), "Ngày hiệu lực")
    status = row.text("tinh trang")
    try:
        record.status = Status.from_text(status) if status else None
    except ValueError as exc:
        raise RejectError(f"Tình trạng: {exc}") from exc
    if record.status is None:
        starts = record.effective_from or record.issued_on
        record.status = Status.IN_FORCE if starts <= today else Status.NOT_YET_IN_FORCE
    return record


class ProvincialSource:
    name = "provincial"
    default_base_url = "https://tuyenquang.gov.vn"
    start_paths = ("/van-ban/quy-chuan-va-quyet-dinh",)

    def crawl(self, fetcher: Fetcher) -> Iterator[Parsed]:
        return paginate(fetcher, self.start_paths, parse_listing)
