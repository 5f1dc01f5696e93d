"""Source 6: the provenance sheet: the sources and review state of rules and document facts.

One row per source (CSV or XLSX): ``subject`` (``rule`` or ``document``), ``ref`` (the rule's
number, STT, in the rules sheet; or the document's code), ``review`` (verified, unverified or
disputed), ``reviewed_by``, ``reviewed_on``, ``source_title``, ``source_url``,
``source_locator`` (instrument and article), ``retrieved_on`` and ``note`` (what the source
says, in the reviewer's words). A document's sources are about its status, dates and
succession. The rows of one subject must agree on its review; each needs a title and a URL or
a locator. Rows are grouped into one :class:`~ingest.records.ReviewRecord` per subject, in
the order subjects first appear; a bad row is a reject naming its row, the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from catalog.limits import LOCATOR_MAX, TITLE_MAX, URL_MAX
from catalog.vocab import ReviewState, ReviewSubject
from ingest import cells
from ingest.contract import RowSheetSource
from ingest.records import Citation, Parsed, Reject, RejectError, ReviewRecord
from ingest.sheets import SheetRow, parse_sheet

SUBJECT_ALIASES = {
    "quy tắc": ReviewSubject.RULE,
    "văn bản": ReviewSubject.DOCUMENT,
    "doc": ReviewSubject.DOCUMENT,
}
STATE_ALIASES = {
    "đã kiểm tra": ReviewState.VERIFIED,
    "chưa kiểm tra": ReviewState.UNVERIFIED,
    "tranh chấp": ReviewState.DISPUTED,
    "nghi vấn": ReviewState.DISPUTED,
}


def parse_rows(rows: Iterable[SheetRow | Reject]) -> Iterator[Parsed]:
    """Rejects as they come; then one record per subject (all rows must be read first)."""
    subjects: dict[tuple[ReviewSubject, str], ReviewRecord] = {}

    def add_row(row: SheetRow) -> ReviewRecord:
        return _add(subjects, *parse_row(row))

    for item in parse_sheet(rows, add_row):
        if isinstance(item, Reject):
            yield item
    yield from subjects.values()


def parse_row(row: SheetRow) -> tuple[ReviewRecord, Citation]:
    subject = cells.choice(ReviewSubject, row.get("subject"), "subject", SUBJECT_ALIASES)
    ref = _ref(subject, row.get("ref"))
    state = cells.choice(ReviewState, row.get("review"), "review", STATE_ALIASES)
    reviewed_by = cells.text(row.get("reviewed by"))
    if not reviewed_by:
        raise RejectError("reviewed_by: who reviewed it is missing")
    reviewed_on = cells.first_date(row.get("reviewed on"), "reviewed_on")
    if reviewed_on is None:
        raise RejectError("reviewed_on: the review date is missing")
    retrieved_on = cells.first_date(row.get("retrieved on"), "retrieved_on")
    if retrieved_on and retrieved_on > reviewed_on:
        raise RejectError(
            f"retrieved_on: {retrieved_on} is after the review ({reviewed_on}); "
            "a source is read before it is relied on"
        )
    title = _limited(cells.text(row.get("source title")), "source_title", TITLE_MAX)
    if not title:
        raise RejectError("source_title: the source's title is missing")
    url = _limited(cells.text(row.get("source url")), "source_url", URL_MAX)
    if url and not url.lower().startswith(("http://", "https://")):
        raise RejectError(f"source_url: {url[:60]!r} is not an http(s) address")
    if url and any(c.isspace() for c in url):
        raise RejectError(f"source_url: {url[:60]!r} contains spaces")
    locator = _limited(cells.text(row.get("source locator")), "source_locator", LOCATOR_MAX)
    if not url and not locator:
        raise RejectError(
            "source_url / source_locator: say where the source is (an address, or the "
            "instrument and article)"
        )
    citation = Citation(
        location=row.location,
        title=title,
        url=url,
        locator=locator,
        retrieved_on=retrieved_on,
        note=cells.text(row.get("note")),
    )
    review = ReviewRecord(
        location=row.location,
        subject=subject,
        ref=ref,
        state=state,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
    )
    review.check_limits()
    return review, citation


def _ref(subject: ReviewSubject, value: object) -> str:
    if subject == ReviewSubject.RULE:
        number = cells.whole_number(value, "ref")
        if number is None or number < 1:
            raise RejectError("ref: a rule is named by its number (STT) in the rules sheet")
        return str(number)
    return cells.code(value, "ref").canonical()


def _limited(text: str | None, column: str, limit: int) -> str | None:
    if text is not None and len(text) > limit:
        raise RejectError(f"{column}: {len(text)} characters, more than the {limit} it may have")
    return text


def _add(
    subjects: dict[tuple[ReviewSubject, str], ReviewRecord],
    review: ReviewRecord,
    citation: Citation,
) -> ReviewRecord:
    """Add a row's source to its subject, or reject it when it disagrees with earlier rows."""
    key = (review.subject, review.ref)
    found = subjects.get(key)
    if found is None:
        review.sources.append(citation)
        subjects[key] = review
        return review
    said = (found.state, found.reviewed_by, found.reviewed_on)
    if (review.state, review.reviewed_by, review.reviewed_on) != said:
        raise RejectError(
            f"review: {review.subject.value} {review.ref} is reviewed as {found.state.value} by "
            f"{found.reviewed_by} on {found.reviewed_on} at {found.location}; its rows must "
            "agree on one review"
        )
    where = (citation.title, citation.url, citation.locator)
    for earlier in found.sources:
        if (earlier.title, earlier.url, earlier.locator) == where:
            raise RejectError(f"duplicate: the same source was read at {earlier.location}")
    found.sources.append(citation)
    return found


class ProvenanceSheetSource(RowSheetSource):
    name = "provenance"
    default_files = ("provenance.xlsx", "provenance.csv")
    free_text = "note"

    def parse_rows(self, rows: Iterable[SheetRow | Reject]) -> Iterator[Parsed]:
        return parse_rows(rows)
