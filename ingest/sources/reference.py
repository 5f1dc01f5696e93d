"""Reference sheets: localities, issuers and the product category tree (CSV or XLSX).

- ``localities``: slug, name_vi, kind, parent, active_from, active_to, successor,
  succession_on, note — districts that ended on 01-07-2025, Hà Giang merged into Tuyên Quang.
- ``issuers``: code, name_vi, name_en, kind, locality, active_from, active_to, successor,
  succession_on, note — e.g. BNNPTNT and BTNMT continued as BNNMT from 01-03-2025.
- ``categories``: slug, name_vi, name_en, parent — parents before children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

from catalog.text import slugify
from catalog.vocab import IssuerKind, LocalityKind
from ingest import cells
from ingest.records import (
    CategoryRecord,
    IssuerRecord,
    LocalityRecord,
    Parsed,
    Record,
    Reject,
    RejectError,
)
from ingest.sheets import SheetRow, first_sheet, parse_sheet, read_sheet


def parse_locality(row: SheetRow) -> LocalityRecord:
    record = LocalityRecord(
        location=row.location,
        slug=_slug(row.get("slug"), "slug"),
        name_vi=_required(row.get("name vi"), "name_vi"),
        kind=cells.choice(LocalityKind, row.get("kind"), "kind"),
    )
    record.parent = _optional_slug(row.get("parent"), "parent")
    record.active_from = cells.first_date(row.get("active from"), "active_from")
    record.active_to = cells.first_date(row.get("active to"), "active_to")
    record.successor = _optional_slug(row.get("successor"), "successor")
    record.succession_on = cells.first_date(row.get("succession on"), "succession_on")
    _check_succession(record.successor, record.succession_on)
    record.note = cells.text(row.get("note"))
    return record


def parse_issuer(row: SheetRow) -> IssuerRecord:
    code = _required(row.get("code"), "code")
    if " " in code:
        raise RejectError(f"code: {code!r} must be one word, like 'BKHCN' or 'UBND-TQ'")
    record = IssuerRecord(
        location=row.location,
        code=code,
        name_vi=_required(row.get("name vi"), "name_vi"),
        kind=cells.choice(IssuerKind, row.get("kind"), "kind"),
    )
    record.name_en = cells.text(row.get("name en"))
    record.locality = _optional_slug(row.get("locality"), "locality")
    record.active_from = cells.first_date(row.get("active from"), "active_from")
    record.active_to = cells.first_date(row.get("active to"), "active_to")
    record.successor = cells.text(row.get("successor"))
    record.succession_on = cells.first_date(row.get("succession on"), "succession_on")
    _check_succession(record.successor, record.succession_on)
    record.note = cells.text(row.get("note"))
    return record


def parse_category(row: SheetRow) -> CategoryRecord:
    return CategoryRecord(
        location=row.location,
        slug=_slug(row.get("slug"), "slug"),
        name_vi=_required(row.get("name vi"), "name_vi"),
        name_en=cells.text(row.get("name en")),
        parent=_optional_slug(row.get("parent"), "parent"),
    )


PARSERS: dict[str, Callable[[SheetRow], Record]] = {
    "localities": parse_locality,
    "issuers": parse_issuer,
    "categories": parse_category,
}


def _required(value: object, column: str) -> str:
    shown = cells.text(value)
    if not shown:
        raise RejectError(f"{column}: the value is missing")
    return shown


def _slug(value: object, column: str) -> str:
    shown = _required(value, column)
    if shown != slugify(shown):
        raise RejectError(f"{column}: {shown!r} is not a slug like 'ham-yen'")
    return shown


def _optional_slug(value: object, column: str) -> str | None:
    return _slug(value, column) if cells.text(value) else None


def _check_succession(successor: str | None, on: object) -> None:
    if successor and on is None:
        raise RejectError("succession_on: a successor needs the date it takes over")


class ReferenceSource:
    """Localities, then issuers, then categories: a sheet of each found in a folder (XLSX
    before CSV), each read by its name (``localities.csv`` holds localities)."""

    name = "reference"

    def sheets(self, folder: Path) -> list[Path]:
        found = []
        for kind in PARSERS:
            try:
                found += first_sheet(folder, (f"{kind}.xlsx", f"{kind}.csv"))
            except FileNotFoundError:
                continue
        return found

    def parse(self, sheets: Sequence[Path], today: date) -> Iterator[Parsed]:
        for sheet in sheets:
            parse_row = PARSERS.get(sheet.stem)
            if parse_row is None:
                kinds = ", ".join(f"{kind}.csv" for kind in PARSERS)
                yield Reject(sheet.name, f"not a reference sheet: its name is none of {kinds}")
                continue
            yield from parse_sheet(read_sheet(sheet, free_text="note"), parse_row)
