"""Source 1: the official TCVN catalogue (tieuchuan.vsqi.gov.vn).

Record pages (``/tieuchuan/view?sohieu=…``, ``/quychuan/view?sohieu=…``) are a table of
label and value cells; rows are optional, so fields are found by their Vietnamese or
English label, never by position (docs/domain.md §3). Replaces / replaced-by / version
history are read from their links' targets. Listing pages link to record pages (links
sometimes carry a leading ``%C2%A0``) and to further listing pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, quote_plus, urlsplit

from bs4 import BeautifulSoup, Tag

from catalog.codes import CodeError, DocumentCode, find_codes, parse_code
from catalog.text import clean, fold
from catalog.vocab import Equivalence, Status
from ingest import cells
from ingest.crawl import Visit, crawl
from ingest.fetch import Fetcher
from ingest.parallel import ordered_map
from ingest.records import DocumentRecord, Parsed, Reject, RejectError
from ingest.tables import diagnose, link_target

# Field name → the labels it goes by (Vietnamese, English as printed, sic included).
LABELS: dict[str, tuple[str, ...]] = {
    "code": ("Số hiệu", "Standard Number", "Regulation Number"),
    "year": ("Năm ban hành", "Publication date"),
    "status": ("Tình trạng", "Status"),
    "title_vi": ("Tên tiếng Việt", "Title in Vietnamese"),
    "title_en": ("Tên tiếng Anh", "Title in English"),
    "equivalent": ("Tiêu chuẩn tương đương", "Equivalent to"),
    "replaces": ("Thay thế cho", "Replace"),
    "replaced_by": ("Thay thế bằng", "Replaced by"),
    "history": ("Lịch sử soát xét", "History of version"),
    "ics": ("Chỉ số phân loại Quốc tế (ICS)", "Chỉ số phân loại Quốc tế", "By field"),
    "pages": ("Số trang", "Page"),
    "price": ("Giá", "Price"),
    "scope": ("Phạm vi áp dụng", "Scope of standard", "Scope"),
    "references": ("Tiêu chuẩn viện dẫn", "Nomative references", "Normative references"),
    "decision": ("Quyết định công bố", "Decision number"),
    "committee": ("Ban kỹ thuật", "Technical Committee"),
}
_BY_LABEL = {fold(label): name for name, labels in LABELS.items() for label in labels}
_RECORD_PATHS = ("/tieuchuan/view", "/quychuan/view")


@dataclass
class Listing:
    records: list[str] = field(default_factory=list)  # canonical record URLs
    listings: list[str] = field(default_factory=list)  # further listing pages
    rejects: list[Reject] = field(default_factory=list)


def record_url(code: DocumentCode) -> str:
    """The record page of a code: standards under /tieuchuan, regulations under /quychuan."""
    section = "quychuan" if code.doc_type.mandatory else "tieuchuan"
    return f"/{section}/view?sohieu={quote_plus(code.canonical())}"


def sohieu(href: str) -> str | None:
    """The ``sohieu`` parameter of a link, decoded and cleaned (NBSP and spaces trimmed)."""
    values = parse_qs(urlsplit(href).query).get("sohieu")
    return clean(values[0]) if values else None


def is_record_url(url: str) -> bool:
    return urlsplit(url).path.rstrip("/") in _RECORD_PATHS


def parse_listing(html: str, url: str) -> Listing:
    """Record links (canonicalised) and further listing links of a listing page."""
    soup = BeautifulSoup(html, "html.parser")
    listing = Listing()
    for link in soup.find_all("a", href=True):
        href = link_target(link).strip()
        try:
            path = urlsplit(href).path.rstrip("/")
        except ValueError as exc:
            listing.rejects.append(Reject(url, f"unreadable link skipped: {exc}", href[:300]))
            continue
        if path in _RECORD_PATHS:
            raw = sohieu(href)
            try:
                listing.records.append(record_url(parse_code(raw or "")))
            except CodeError as exc:
                listing.rejects.append(Reject(url, f"link to an unreadable record: {exc}", href))
        elif path.endswith("/index") and href not in listing.listings:
            listing.listings.append(href)
    return listing


def parse_record(html: str, url: str) -> DocumentRecord:
    """One record page as a :class:`DocumentRecord`; raises :class:`RejectError`."""
    soup = BeautifulSoup(html, "html.parser")
    rows = _labelled_rows(soup)
    if "code" not in rows:
        raise RejectError(diagnose(soup, "no 'Số hiệu / Standard Number' row"))
    code = cells.code(rows["code"].get_text(" "), "Số hiệu / Standard Number")
    requested = sohieu(url)
    if requested:
        try:
            asked = parse_code(requested)
        except CodeError:
            asked = None
        if asked is not None and asked != code:
            raise RejectError(f"the page is for {code} but the link asked for {asked}")
    record = DocumentRecord(location=url, code=code.canonical(), year=code.year)
    record.title_vi = _text(rows.get("title_vi"))
    if not record.title_vi:
        raise RejectError("required field 'Tên tiếng Việt / Title in Vietnamese' is missing")
    record.title_en = _text(rows.get("title_en"))
    record.scope = _text(rows.get("scope"))
    record.technical_committee = _text(rows.get("committee"))
    if (year := _text(rows.get("year"))) and year != str(code.year):
        raise RejectError(f"'Năm ban hành / Publication date' {year!r} disagrees with {code}")
    record.replaces = _linked_codes(rows.get("replaces"))
    record.replaced_by = _linked_codes(rows.get("replaced_by"))
    record.history = [c for c in _linked_codes(rows.get("history")) if c != record.code]
    record.status = _status(rows.get("status"), bool(record.replaced_by))
    record.ics = [cells.ics(line, "ICS") for line in _lines(rows.get("ics"))]
    record.pages = cells.whole_number(_text(rows.get("pages")), "Số trang / Page")
    _equivalence(record, rows.get("equivalent"))
    _decision(record, rows.get("decision"))
    record.cites = [
        c.canonical()
        for line in _lines(rows.get("references"))
        for c in find_codes(line)[:1]
        if c.canonical() != record.code
    ]
    record.issuer = code.issuer if code.doc_type.mandatory else record.issuer
    return record


class CatalogueSource:
    """Crawl listing pages, then parse every record page they link to."""

    name = "catalogue"
    default_base_url = "https://tieuchuan.vsqi.gov.vn"
    start_paths = ("/tieuchuan/index", "/quychuan/index")

    def crawl(self, fetcher: Fetcher) -> Iterator[Parsed]:
        """Records and rejects in crawl order; record pages are parsed by worker processes
        when there are many (:func:`ingest.parallel.ordered_map`)."""
        return ordered_map(parse_fetched, crawl(fetcher, self.start_paths, visit))


def visit(html: str, url: str) -> Visit[tuple[str, str]]:
    """A record page is kept as (HTML, URL), to be parsed apart; a listing page gives
    its rejects and the record and listing pages it links to."""
    if is_record_url(url):
        return Visit([(html, url)])
    listing = parse_listing(html, url)
    return Visit(listing.rejects, [*listing.records, *listing.listings])


def parse_fetched(item: tuple[str, str] | Reject) -> Parsed:
    """A fetched record page as its record or a reject (a reject passes through)."""
    if isinstance(item, Reject):
        return item
    html, url = item
    try:
        return parse_record(html, url)
    except RejectError as exc:
        return Reject(url, str(exc), _excerpt(html))


def _labelled_rows(soup: BeautifulSoup) -> dict[str, Tag]:
    """Field name → value cell, for every table row whose label cells name a known field."""
    found: dict[str, Tag] = {}
    for row in soup.find_all("tr"):
        row_cells = row.find_all(["td", "th"], recursive=False)
        if len(row_cells) < 2:
            continue
        label_text = "\n".join(c.get_text("\n") for c in row_cells[:-1])
        for line in label_text.splitlines():
            name = _field_named(line)
            if name and name not in found:
                found[name] = row_cells[-1]
                break
    return found


@lru_cache(maxsize=4096)
def _field_named(label: str) -> str | None:
    """The field a label line names (labels repeat on every page: folded once)."""
    return _BY_LABEL.get(fold(label).strip(" :/*"))


def _text(cell: Tag | None) -> str | None:
    return clean(cell.get_text(" ")) if cell is not None else None


def _lines(cell: Tag | None) -> list[str]:
    if cell is None:
        return []
    return [line for raw in cell.get_text("\n").splitlines() if (line := clean(raw))]


def _linked_codes(cell: Tag | None) -> list[str]:
    """Codes named by the links' targets, else by the cell's text."""
    if cell is None:
        return []
    found: list[str] = []
    for link in cell.find_all("a", href=True):
        target = sohieu(link_target(link)) or link.get_text(" ")
        try:
            found.append(parse_code(target).canonical())
        except CodeError as exc:
            raise RejectError(f"a link in this row does not name a document: {exc}") from exc
    if not found:
        found = cells.codes_in(cell.get_text(" "))
    return list(dict.fromkeys(found))


def _status(cell: Tag | None, replaced: bool) -> Status:
    shown = _text(cell)
    if shown is None:
        return Status.UNKNOWN
    try:
        status = Status.from_text(shown)
    except ValueError as exc:
        raise RejectError(str(exc)) from exc
    # The catalogue says W for withdrawn and for replaced alike; a replacement decides.
    return Status.SUPERSEDED if status == Status.WITHDRAWN and replaced else status


def _equivalence(record: DocumentRecord, cell: Tag | None) -> None:
    for line in _lines(cell):
        degree = re.match(r"(IDT|MOD|NEQ)\b", line)
        if degree:
            record.equivalence = Equivalence(degree[1])
        elif record.equivalent is None:
            record.equivalent = line


def _decision(record: DocumentRecord, cell: Tag | None) -> None:
    shown = _text(cell)
    if not shown:
        return
    found = find_codes(shown)
    if not found:
        raise RejectError(f"'Quyết định công bố / Decision number' {shown!r} names no decision")
    record.announcing_decision = found[0].canonical()
    record.announced_on = cells.first_date(shown, "Quyết định công bố / Decision number")
    if not record.code.startswith(("QCVN", "QCĐP")):
        record.issuer = found[0].issuer  # standards are announced by the ministry (BKHCN)


def _excerpt(html: str | None) -> str | None:
    return (clean(BeautifulSoup(html, "html.parser").get_text(" ")) or "")[:300] if html else None
