"""What a source is: the contract every module of :mod:`ingest.sources` keeps.

A *web source* crawls a site through a :class:`~ingest.fetch.Fetcher` (live, or replaying
saved pages); a *sheet source* reads spreadsheets officials keep. Both yield records and
rejects (:data:`ingest.records.Parsed`) lazily, and :func:`ingest.run.run_ingest` writes
them as one atomic run: that is the only run lifecycle there is.

Adding a source: a module in ``ingest/sources/`` with a class keeping one of these
protocols, its name in :mod:`ingest.sources`, and saved pages or sheets with their
expected output in ``fixtures/<name>/`` (the golden test fails without them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar, Protocol

from ingest.fetch import Fetcher
from ingest.records import Parsed, Reject
from ingest.sheets import SheetRow, first_sheet, parse_sheet, read_sheet


class WebSource(Protocol):
    """A site, walked from its start pages (see :mod:`ingest.crawl`)."""

    name: str
    default_base_url: str

    def crawl(self, fetcher: Fetcher) -> Iterator[Parsed]:
        """Records and rejects of every page reached, in crawl order."""
        ...


class SheetSource(Protocol):
    """Spreadsheets (XLSX or CSV): given a folder, the source picks its sheets there."""

    name: str

    def sheets(self, folder: Path) -> list[Path]:
        """The sheets this source reads in ``folder``, in reading order (a file given on
        the command line is read as it is, without asking)."""
        ...

    def parse(self, sheets: Sequence[Path], today: date) -> Iterator[Parsed]:
        """Records and rejects of ``sheets``; ``today`` decides date-dependent statuses."""
        ...


class RowSheetSource:
    """A sheet source of one sheet, one record per row: the common case.

    A subclass names its files and its free-text column and gives ``parse_row``; one that
    reads rows together (grouping, duplicates) overrides ``parse_rows``.
    """

    name: str
    default_files: ClassVar[tuple[str, ...]]  # in a folder, the first of these found is read
    free_text: ClassVar[str | None] = None  # the column unquoted commas are joined back into

    def sheets(self, folder: Path) -> list[Path]:
        return first_sheet(folder, self.default_files)

    def parse(self, sheets: Sequence[Path], today: date) -> Iterator[Parsed]:
        for sheet in sheets:
            yield from self.parse_rows(read_sheet(sheet, free_text=self.free_text))

    def parse_rows(self, rows: Iterable[SheetRow | Reject]) -> Iterator[Parsed]:
        return parse_sheet(rows, self.parse_row)

    def parse_row(self, row: SheetRow) -> Parsed:
        raise NotImplementedError(f"{type(self).__name__} reads no rows")
