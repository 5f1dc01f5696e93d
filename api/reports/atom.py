"""The change feed as Atom 1.0 (RFC 4287): a feed readers and mail clients can follow."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from catalog import clock
from catalog.reports.changes import Change

ATOM = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_TAG_AUTHORITY = "tag:tieuchuan.tuyenquang,2025"


def rfc3339(moment: datetime) -> str:
    """``2026-01-10T08:00:00Z``: an RFC 3339 UTC time as Atom requires (naive = UTC)."""
    return clock.local(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(
    entries: list[Change],
    *,
    feed_id: str,
    title: str,
    self_url: str,
    base_url: str,
    generated_at: datetime,
) -> bytes:
    """The feed document; ``updated`` is the newest entry's time (or ``generated_at``)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "vi"})
    _text(feed, "id", f"{_TAG_AUTHORITY}:{feed_id}")
    _text(feed, "title", title)
    _text(feed, "updated", rfc3339(max((e.at for e in entries), default=generated_at)))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "tieuchuan — cơ sở dữ liệu tiêu chuẩn tỉnh Tuyên Quang")
    _text(feed, "generator", "tieuchuan")
    for change in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{_TAG_AUTHORITY}:change:{change.id}")
        _text(entry, "title", change.title)
        _text(entry, "updated", rfc3339(change.at))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=_alternate(change, base_url))
        for link in change.links[1:] if change.document is None else change.links:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=link)
        ET.SubElement(
            entry, f"{{{ATOM}}}category", term=change.kind.value, label=change.kind.label_vi
        )
        for product in change.products:
            ET.SubElement(
                entry,
                f"{{{ATOM}}}category",
                term=f"product:{product.slug}",
                label=product.name_vi,
            )
        _text(entry, "summary", change.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _alternate(change: Change, base_url: str) -> str:
    """The catalog's document when there is one, else the notification's first link (a
    the feed itself when it has none)."""
    if change.document is not None:
        return f"{base_url}/api/v1/documents/{change.document.slug}"
    return change.links[0] if change.links else f"{base_url}/api/v1/changes"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = value
    return element
