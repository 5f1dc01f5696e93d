"""Bytes to NFC text: UTF-8 when it is, else the legacy Vietnamese code page.

Old provincial and ministry pages are still served as windows-1258, which writes tone
marks as separate combining characters; decoding then NFC-normalising gives the same
text as a UTF-8 page.
"""

from __future__ import annotations

import re

from catalog.text import nfc

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
LEGACY_ENCODING = "windows-1258"


def declared_charset(content: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the Content-Type header, else by a ``<meta>`` in the page."""
    if content_type and (match := re.search(r"charset=([\w-]+)", content_type, re.I)):
        return match[1].lower()
    if meta := _META_CHARSET.search(content[:4096]):
        return meta[1].decode("ascii").lower()
    return None


def decode(content: bytes, content_type: str | None = None) -> str:
    """Decode page or file bytes to NFC text.

    A declared legacy charset is honoured; otherwise UTF-8 (with or without BOM) is tried
    first and windows-1258 is the fallback, since both are common on Vietnamese sites.
    """
    charset = declared_charset(content, content_type)
    if charset and charset not in ("utf-8", "utf8"):
        try:
            return nfc(content.decode(charset))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return nfc(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return nfc(content.decode(LEGACY_ENCODING, errors="replace"))
