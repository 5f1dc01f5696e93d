"""Document sheets: lists of standards, regulations and instruments, and their relations.

``documents`` sheets (CSV or XLSX) have the columns of ../shared/data/documents.csv and
catalogue_bulk.csv: code, doc_type, title_vi, title_en, year, issuer, status, replaces,
replaced_by, ics, source_url, and optionally issuing_instrument, issued_on,
effective_from and note. Status cells may carry notes ("Còn hiệu lực (hiệu lực từ
01/01/2024)"), issuer cells the issuing instrument ("Bộ Y tế (TT 45/2010/TT-BYT)"); both
are read, not copied. Several sheets can describe one document: they are merged by code,
the first sheet winning field by field. A code twice in one sheet is a duplicate.

``relations`` sheets: source, kind, target, effective_on, note (cites, replaces…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from catalog.codes import DocType, DocumentCode, find_codes
from catalog.text import clean, fold
from catalog.vocab import RelationKind, Status
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import DocumentRecord, Parsed, Reject, RejectError, RelationRecord
from ingest.sheets import SheetRow, read_sheet

# What the doc_type column may say, against the type the code's grammar gives.
TYPE_WORDS = {
    "tcvn": DocType.TCVN,
    "tcvn iso": DocType.TCVN,
    "qcvn": DocType.QCVN,
    "qcdp": DocType.QCDP,
    "tccs": DocType.TCCS,
    "tcn": DocType.SECTOR,
    "luat": DocType.LAW,
    "nghi dinh": DocType.DECREE,
    "thong tu": DocType.CIRCULAR,
    "quyet dinh": DocType.DECISION,
    "nghi quyet": DocType.RESOLUTION,
}
_FROM = re.compile(
    r"(?:hiệu lực|có hiệu lực)\s*(?:từ)?\s*(?:ngày)?\s*(\d{1,2}/\d{1,2}/\d{4})", re.I
)


def parse_document(row: SheetRow, today: date) -> DocumentRecord:
    code = cells.code(row.get("code", "so hieu"), "code")
    declared = cells.text(row.get("doc type"))
    if declared and (expected := TYPE_WORDS.get(fold(declared))) and expected != code.doc_type:
        raise RejectError(
            f"doc_type: the sheet says {declared!r} but {code} is a {code.doc_type.label_vi}"
        )
    if declared and fold(declared) not in TYPE_WORDS:
        raise RejectError(f"doc_type: unknown document type {declared!r}")
    record = DocumentRecord(location=row.location, code=code.canonical(), year=code.year)
    year = cells.whole_number(row.get("year"), "year")
    if year is not None and code.year is not None and year != code.year:
        raise RejectError(f"year: {year} disagrees with the code {code}")
    record.year = record.year or year
    record.title_vi = cells.text(row.get("title vi"))
    record.title_en = cells.text(row.get("title en"))
    _issuer(record, cells.text(row.get("issuer")), code)
    _instrument(record, cells.text(row.get("issuing instrument")))
    record.issued_on = cells.first_date(row.get("issued on"), "issued_on") or record.issued_on
    effective = cells.first_date(row.get("effective from"), "effective_from")
    record.effective_from = effective or record.effective_from
    record.replaces = cells.codes_in(row.get("replaces"))
    record.replaced_by = cells.codes_in(row.get("replaced by"))
    _status(record, cells.text(row.get("status")), today)
    record.ics = [cells.ics(c, "ics") for c in cells.split_list(row.get("ics"))]
    record.note = cells.text(row.get("note"))
    return record


def parse_relation(row: SheetRow) -> RelationRecord:
    source = cells.code(row.get("source"), "source").canonical()
    target = cells.code(row.get("target"), "target").canonical()
    if source == target:
        raise RejectError(f"target: {target} cannot relate to itself")
    return RelationRecord(
        location=row.location,
        source_code=source,
        kind=cells.choice(RelationKind, row.get("kind"), "kind"),
        target_code=target,
        effective_on=cells.first_date(row.get("effective on"), "effective_on"),
        note=cells.text(row.get("note")),
    )


def merge_documents(sheets: Iterable[Iterable[SheetRow | Reject]], today: date) -> Iterator[Parsed]:
    """Records of several document sheets merged by code (first sheet first); rejects as met."""
    merged: dict[str, DocumentRecord] = {}
    for rows in sheets:
        in_this_sheet: dict[str, str] = {}
        for row in rows:
            if isinstance(row, Reject):
                yield row
                continue
            try:
                record = parse_document(row, today)
            except RejectError as exc:
                yield Reject(row.location, str(exc), row.excerpt())
                continue
            if first := in_this_sheet.get(record.code):
                yield Reject(row.location, f"duplicate row: {record.code} is already at {first}")
                continue
            in_this_sheet[record.code] = row.location
            if record.code in merged:
                merged[record.code].merge(record)
            else:
                merged[record.code] = record
    yield from merged.values()


def _issuer(record: DocumentRecord, issuer: str | None, code: DocumentCode) -> None:
    """'Bộ Y tế (TT 45/2010/TT-BYT)' → issuer 'Bộ Y tế', instrument 45/2010/TT-BYT."""
    if code.doc_type in (DocType.QCVN, DocType.QCDP):
        record.issuer = code.issuer
    if not issuer:
        return
    name, _, inside = issuer.partition("(")
    if not record.issuer:
        record.issuer = clean(name)
    if inside:
        _instrument(record, inside.rstrip(")"))


def _instrument(record: DocumentRecord, text: str | None) -> None:
    if not text:
        return
    found = [c for c in find_codes(text) if c.doc_type not in (DocType.TCVN, DocType.QCVN)]
    if not found:
        record.status_note = _join(record.status_note, text)
        return
    record.announcing_decision = found[0].canonical()
    dates = re.findall(r"\d{1,2}/\d{1,2}/\d{4}", text)
    if dates:
        record.announced_on = cells.first_date(dates[0], "issuing_instrument")
        if code_is_regulation(record):
            record.issued_on = record.announced_on
    if match := _FROM.search(text):
        record.effective_from = cells.first_date(match[1], "issuing_instrument")


def code_is_regulation(record: DocumentRecord) -> bool:
    return record.code.startswith(("QCVN", "QCĐP"))


def _status(record: DocumentRecord, text: str | None, today: date) -> None:
    if not text:
        record.status = Status.SUPERSEDED if record.replaced_by else None
        return
    try:
        status = Status.from_text(text)
    except ValueError as exc:
        raise RejectError(f"status: {exc}") from exc
    if match := _FROM.search(text):
        record.effective_from = cells.first_date(match[1], "status")
    if "(" in text:
        record.status_note = _join(record.status_note, text)
    if status == Status.WITHDRAWN and record.replaced_by:
        status = Status.SUPERSEDED
    if status == Status.IN_FORCE and record.effective_from and record.effective_from > today:
        status = Status.NOT_YET_IN_FORCE
    record.status = status


def _plausible(cells: dict[str, str]) -> bool:
    """A repaired document row: a year where the year goes, a URL (or nothing) at the end."""
    year, url = cells.get("year", "").strip(), cells.get("source url", "")
    title_en = cells.get("title en", "").strip()
    return (
        (not year or re.fullmatch(r"\d{4}", year) is not None)
        and not re.fullmatch(r"\d{4}", title_en)
        and (not url or url.startswith("http"))
    )


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


class DocumentSheetSource:
    """Document sheets of a folder (``documents*`` files, then ``catalogue_bulk``), merged."""

    name = "documents"

    def sheets(self, folder: Path) -> list[Path]:
        found = sorted(folder.glob("documents*.csv")) + sorted(folder.glob("documents*.xlsx"))
        return found + sorted(folder.glob("catalogue_bulk*.csv"))

    def parse(self, sheets: Sequence[Path], today: date) -> Iterator[Parsed]:
        rows = (read_sheet(f, free_text="title vi", repair_check=_plausible) for f in sheets)
        return merge_documents(rows, today)


class RelationSheetSource(RowSheetSource):
    name = "relations"
    default_files = ("relations.csv", "relations.xlsx")
    free_text = "note"
    parse_row = staticmethod(parse_relation)
