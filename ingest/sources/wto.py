"""Source 6: WTO notifications of draft regulations (TBT and SPS), one page per notification.

A page carries the standard notification form: the symbol and circulation date at the top,
then numbered fields found by their labels (the TBT and SPS forms number them differently):
Notifying Member, Agency responsible, Products covered (with HS and ICS codes where given),
Title, Description of content, Objective and rationale, Proposed date of adoption, Proposed
date of entry into force, Final date for comments, and the links to the notified text.

An addendum (``…/Add.1``) or corrigendum (``…/Corr.1``) page says what changed: the box
ticked under "This addendum concerns" (adoption, new dates, new comment period, withdrawal)
and the dates it gives. Listing pages link to notification pages and paginate with
``rel=next``. A notification that names no products is refused: it could reach nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from catalog.codes import DocType, find_codes
from catalog.codes_wto import NotificationSymbol, SymbolError, parse_symbol
from catalog.text import clean, fold
from catalog.vocab import NotificationAction
from ingest.crawl import Visit, crawl
from ingest.fetch import Fetcher
from ingest.notification_fields import dates_in, form_date, hs_codes, ics_codes, links_in
from ingest.records import (
    NotificationRecord,
    NotificationUpdateRecord,
    Parsed,
    Reject,
    RejectError,
)
from ingest.tables import link_target, next_links

# Field labels of the TBT and SPS forms, in any order; a field runs to the next label.
_LABELS = {
    "member": r"(?:Notifying Member|Member to Agreement notifying)\s*:",
    "agency": r"Agency responsible\s*:",
    "notified_under": r"Notified under Article",
    "products": r"Products covered(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*:?",
    "regions": r"Regions or countries likely to be affected[^:]*:",
    "title": r"Title(?:,? (?:number of pages|language)[^:]*| of the notified document)?\s*:",
    "description": r"Description of content\s*:",
    "objective": r"Objective and rationale[^:]*:",
    "standard": r"Is there a relevant international standard\?[^:]*:?",
    "documents": r"(?:Other )?[Rr]elevant documents[^:]*:",
    "adoption": r"Proposed date of adoption[^:]*:",
    "publication": r"Proposed date of publication[^:]*:",
    "entry": r"Proposed date of entry into force[^:]*:",
    "facilitating": r"Trade facilitating measure[^:]*:",
    "comments": r"Final date for comments[^:]*:",
    "available": r"Texts? available from[^:]*:",
    "concerns": r"This (?:addendum|corrigendum) concerns\s*:?",
    "comment_period": r"Comment period\s*:",
    "adopted_on": r"Date of adoption\s*:",
    "entered_on": r"Date of entry into force\s*:",
}
_LABEL = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()), re.I)
_SYMBOL_TEXT = re.compile(r"\bG\s*/\s*(?:TBT|SPS)\s*/[^\s<,;]*", re.I)
_URL = re.compile(r"https?://\S+")
_HEADING = re.compile(r"\b(?:NOTIFICATION|ADDENDUM|CORRIGENDUM)\b")
_FIELD_NUMBER = re.compile(r"\s*\d{1,2}\s*\.\s*$")
_TICKED = re.compile(r"\[\s*[xX✓✔]\s*\]\s*([^\[\n]+)")
_ACTIONS = (
    ("adoption, publication or entry into force", NotificationAction.ADOPTED),
    ("change in proposed date", NotificationAction.DATES_CHANGED),
    ("final date for comments", NotificationAction.COMMENT_PERIOD),
    ("content and/or scope", NotificationAction.CONTENT),
    ("withdrawal", NotificationAction.WITHDRAWN),
)
_ADOPTED_ON = re.compile(
    r"(?:was|were|has been|have been)\s+adopted(?:\s+and\s+published)?\s+on\s+"
    r"(.{6,40}?)(?:[.;(]|$)",
    re.I,
)
_MOVED_TO = re.compile(r"\bfrom\s+(.{6,30}?)\s+to\s+(.{6,30}?)(?:[.;]|$)", re.I)
_NOTIFIED_DOCUMENT_TYPES = (DocType.QCVN, DocType.QCDP, DocType.TCVN)


def parse_notification(html: str, url: str) -> NotificationRecord | NotificationUpdateRecord:
    """The notification, addendum or corrigendum on one page; raises :class:`RejectError`."""
    text = page_text(html)
    symbol = _page_symbol(text)
    heading = _HEADING.search(text)
    notified = dates_in(text[: heading.start() if heading else 300], "date of circulation")
    notified_on = notified[0] if notified else None
    fields = _fields(text)
    if symbol.is_follow_up:
        return _update(url, symbol, notified_on, text, fields)
    record = NotificationRecord(
        location=url,
        symbol=symbol.canonical(),
        agreement=symbol.agreement,
        member=symbol.member,
        notified_on=notified_on,
    )
    record.member_name = clean(fields.get("member", "").split("\n")[0]) or None
    record.agency = fields.get("agency") or None
    products = fields.get("products", "")
    if not products or fold(products) in ("none", "n/a", "-", "not applicable"):
        raise RejectError(
            "Products covered: missing — a notification naming no products reaches none"
        )
    record.products = products
    record.hs_codes = hs_codes(products)
    record.ics_codes = ics_codes(products)
    record.links = links_in(" ".join(fields.get(k, "") for k in ("title", "available")))
    record.title = clean(_URL.sub("", fields.get("title", ""))) or None
    if not record.title:
        raise RejectError("Title: the title of the notified document is missing")
    record.description = fields.get("description") or None
    record.objective = fields.get("objective") or None
    record.proposed_adoption = form_date(fields.get("adoption"), "Proposed date of adoption")
    record.proposed_entry_into_force = form_date(
        fields.get("entry"), "Proposed date of entry into force"
    )
    record.comment_deadline = form_date(
        fields.get("comments"), "Final date for comments", notified_on
    )
    _check_order(record.proposed_adoption, record.proposed_entry_into_force)
    record.document_code = _notified_document(f"{record.title}\n{record.description or ''}")
    return record


def _update(
    url: str, symbol: NotificationSymbol, issued_on: date | None, text: str, fields: dict[str, str]
) -> NotificationUpdateRecord:
    record = NotificationUpdateRecord(
        location=url,
        symbol=symbol.canonical(),
        base_symbol=symbol.base().canonical(),
        issued_on=issued_on,
    )
    body = _body(text)
    record.summary = body or None
    if symbol.corrigendum is not None:
        record.action = NotificationAction.CORRECTION
    else:
        record.action = _ticked_action(fields.get("concerns", ""))
    record.comment_deadline = form_date(
        fields.get("comment_period") or fields.get("comments"), "Final date for comments", issued_on
    )
    record.proposed_adoption = form_date(fields.get("adoption"), "Proposed date of adoption")
    record.proposed_entry_into_force = form_date(
        fields.get("entry") or fields.get("entered_on"), "Date of entry into force"
    )
    record.adopted_on = form_date(fields.get("adopted_on"), "Date of adoption")
    if record.adopted_on is None and (said := _ADOPTED_ON.search(body)):
        record.adopted_on = form_date(said[1], "date of adoption")
    moves = record.action == NotificationAction.DATES_CHANGED
    if moves and not record.proposed_entry_into_force and (moved := _MOVED_TO.search(body)):
        record.proposed_entry_into_force = form_date(moved[2], "new date")
    if record.action == NotificationAction.ADOPTED and record.adopted_on is None:
        record.adopted_on = issued_on
    record.document_code = _notified_document(body)
    record.links = links_in(body)
    return record


def page_text(html: str) -> str:
    """The page's text, one line per block, spaces tidied (NBSP included)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    lines = (clean(line) for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def _page_symbol(text: str) -> NotificationSymbol:
    found = _SYMBOL_TEXT.search(text)
    if not found:
        raise RejectError("symbol: no WTO notification symbol (G/TBT/N/… or G/SPS/N/…) on the page")
    try:
        return parse_symbol(found[0])
    except SymbolError as exc:
        raise RejectError(f"symbol: {exc}") from exc


def _fields(text: str) -> dict[str, str]:
    """Each labelled field's text, up to the next label (its trailing field number cut)."""
    matches = [m for m in _LABEL.finditer(text)]
    fields: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        value = _FIELD_NUMBER.sub("", text[match.end() : end]).strip(" \n|")
        name = match.lastgroup or ""
        if name not in fields:
            fields[name] = clean(value.replace("\n", " ")) or "" if name != "member" else value
    return fields


def _body(text: str) -> str:
    """What an addendum or corrigendum says, between its heading and its tick boxes."""
    upper = text.upper()
    start = max(upper.find("ADDENDUM"), upper.find("CORRIGENDUM"))
    start = start + len("CORRIGENDUM") if upper[start:].startswith("CORRIGENDUM") else start + 8
    stop = _LABEL.search(text, max(start, 0))
    body = text[max(start, 0) : stop.start() if stop else len(text)]
    return clean(body.replace("\n", " ")) or ""


def _ticked_action(concerns: str) -> NotificationAction:
    for ticked in _TICKED.findall(concerns):
        key = ticked.lower()
        for words, action in _ACTIONS:
            if words in key:
                return action
    return NotificationAction.OTHER


def _notified_document(text: str) -> str | None:
    for code in find_codes(text):
        if code.doc_type in _NOTIFIED_DOCUMENT_TYPES and code.year is not None:
            return code.canonical()
    return None


def _check_order(adoption: date | None, entry: date | None) -> None:
    if adoption and entry and entry < adoption:
        raise RejectError(
            f"Proposed date of entry into force {entry} is before the proposed adoption {adoption}"
        )


def is_notification_url(url: str) -> bool:
    return "/notification/" in urlsplit(url).path


def parse_page(html: str, url: str) -> Parsed:
    try:
        return parse_notification(html, url)
    except RejectError as exc:
        return Reject(url, str(exc))


class WtoNotificationSource:
    name = "wto"
    default_base_url = "https://epingalert.org"
    start_paths = ("/notifications?member=VNM",)

    def crawl(self, fetcher: Fetcher) -> Iterator[Parsed]:
        """Listing pages lead to notification pages; each page is one record or reject."""
        return crawl(fetcher, self.start_paths, visit)


def visit(html: str, url: str) -> Visit[Parsed]:
    """A notification page is one record or reject; a listing page links to them."""
    if is_notification_url(url):
        return Visit([parse_page(html, url)])
    soup = BeautifulSoup(html, "html.parser")
    links = [link_target(a) for a in soup.find_all("a", href=True)]
    return Visit([], [h for h in links if "/notification/" in h] + next_links(html))
