"""Source 2: the register of national technical regulations (QCVN), an HTML table.

Columns, found by header: Số hiệu (code), Tên quy chuẩn (title), Văn bản ban hành (the
issuing circular), Ngày ban hành (issue date), Ngày hiệu lực (effective date), Thay thế
(the regulation replaced) and, when present, Tình trạng (status). Pagination follows
``rel=next`` links.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from catalog.codes import DocType, find_codes
from catalog.vocab import Status
from ingest import cells
from ingest.crawl import paginate
from ingest.fetch import Fetcher
from ingest.records import DocumentRecord, Parsed, RejectError
from ingest.tables import TableRow, parse_table

CODE = "so hieu"


def parse_register(html: str, url: str, today: date | None = None) -> Iterator[Parsed]:
    """Every row of a register page, as a record or a reject."""
    return parse_table(html, url, CODE, parse_row, today)


def parse_row(row: TableRow, today: date) -> DocumentRecord:
    code = cells.code(row.text(CODE), "Số hiệu")
    if code.doc_type != DocType.QCVN:
        raise RejectError(f"Số hiệu: {code} is not a national technical regulation (QCVN)")
    record = DocumentRecord(location=row.location, code=code.canonical(), year=code.year)
    record.issuer = code.issuer
    record.title_vi = row.text("ten quy chuan", "ten")
    if not record.title_vi:
        raise RejectError("Tên quy chuẩn: the title is missing")
    circular = row.text("van ban ban hanh", "thong tu ban hanh")
    if circular:
        found = find_codes(circular)
        if not found:
            raise RejectError(f"Văn bản ban hành: {circular!r} names no circular")
        record.announcing_decision = found[0].canonical()
    record.issued_on = cells.first_date(row.text("ngay ban hanh"), "Ngày ban hành")
    record.announced_on = record.issued_on
    record.effective_from = cells.first_date(row.text("ngay hieu luc"), "Ngày hiệu lực")
    if record.issued_on and record.effective_from and record.effective_from < record.issued_on:
        raise RejectError(
            f"Ngày hiệu lực {record.effective_from} is before Ngày ban hành {record.issued_on}"
        )
    record.replaces = cells.codes_in(row.text("thay the", "thay the cho"))
    status = row.text("tinh trang")
    try:
        record.status = Status.from_text(status) if status else None
    except ValueError as exc:
        raise RejectError(f"Tình trạng: {exc}") from exc
    if record.status in (None, Status.IN_FORCE) and record.effective_from:
        in_force = record.effective_from <= today
        record.status = Status.IN_FORCE if in_force else Status.NOT_YET_IN_FORCE
    return record


class QcvnRegisterSource:
    name = "qcvn-register"
    default_base_url = "https://tieuchuan.vsqi.gov.vn"
    start_paths = ("/quychuan/danhmuc",)

    def crawl(self, fetcher: Fetcher) -> Iterator[Parsed]:
        return paginate(fetcher, self.start_paths, parse_register)
