"""HTML tables with a header row, read by header label rather than by column position."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, Tag

from catalog import clock
from catalog.text import clean, fold
from ingest.records import Parsed, Reject, RejectError
from ingest.sheets import header_key


@dataclass
class TableRow:
    location: str  # "<url>#row-3"
    cells: dict[str, Tag]

    def text(self, *names: str) -> str | None:
        for name in names:
            if (cell := self.cells.get(name)) is not None and (value := clean(cell.get_text(" "))):
                return value
        return None


def parse_table(
    html: str,
    url: str,
    required_header: str,
    parse_row: Callable[[TableRow, date], Parsed],
    today: date | None = None,
) -> Iterator[Parsed]:
    """Every row of a listing table as ``parse_row`` reads it, or a reject saying where and why."""
    for row in table_rows(html, url, required_header):
        if isinstance(row, Reject):
            yield row
            continue
        try:
            yield parse_row(row, today or clock.today())
        except RejectError as exc:
            yield Reject(
                row.location, str(exc), " | ".join(c.get_text(" ") for c in row.cells.values())
            )


def table_rows(html: str, url: str, required_header: str) -> Iterator[TableRow | Reject]:
    """Rows of the first table whose header row has ``required_header`` (folded).

    A row whose cell count differs from the header's is a reject (a broken row, not a
    record); a page with no such table is one reject for the whole page.
    """
    soup = BeautifulSoup(html, "html.parser")
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        if not rows:
            continue
        headers = [header_key(c.get_text(" ")) for c in rows[0].find_all(["th", "td"])]
        if required_header not in headers:
            continue
        for number, row in enumerate(rows[1:], 1):
            location = f"{url}#row-{number}"
            row_cells = row.find_all(["td", "th"], recursive=False)
            if len(row_cells) != len(headers):
                excerpt = clean(row.get_text(" | "))
                yield Reject(
                    location,
                    f"row has {len(row_cells)} cells, the table header has {len(headers)}",
                    excerpt,
                )
                continue
            yield TableRow(location, dict(zip(headers, row_cells, strict=True)))
        return
    yield Reject(url, diagnose(soup, f"no table with a {required_header!r} column"))


_LOGIN_WORDS = ("dang nhap", "login", "sign in", "mat khau")
_ERROR_WORDS = ("loi", "error", "khong tim thay", "not found", "404", "500", "bao tri")


def diagnose(soup: BeautifulSoup, missing: str) -> str:
    """Why a page holds no data: a login wall, an error page, or broken HTML."""
    title = clean(soup.title.get_text()) if soup.title else None
    words = fold(soup.get_text(" ")[:3000])
    if soup.find("input", attrs={"type": "password"}) or any(w in words for w in _LOGIN_WORDS):
        return f"login wall: the page asks to sign in ({title or 'no title'})"
    if title and any(re.search(rf"\b{w}\b", fold(title)) for w in _ERROR_WORDS):
        return f"error page: {title!r}"
    return f"malformed, truncated or unexpected page: {missing} (title: {title!r})"


def next_links(html: str) -> list[str]:
    """Pagination links (``rel=next`` or class ``next``)."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        link_target(a)
        for a in soup.find_all("a", href=True)
        if "next" in (a.get("rel") or []) or "next" in (a.get("class") or [])
    ]


def link_target(link: Tag) -> str:
    """A link's target. bs4 types every attribute as maybe several values, but only the
    class-like ones (``class``, ``rel``…) are split, so an ``href`` is one string."""
    value = link.get("href") or ""
    return value if isinstance(value, str) else " ".join(value)
