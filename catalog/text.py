"""Vietnamese text helpers: NFC normalisation and diacritic folding.

Every string that enters the catalog goes through :func:`clean`; search keys
and slugs go through :func:`fold`, which drops tone marks and maps đ to d so
that ``chè`` and ``che`` compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that look like spaces in pages and spreadsheets.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# Look-alike letters that are not Vietnamese đ/Đ but are typed or scraped for it.
_LOOKALIKE_D = str.maketrans({"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ"})
# Control characters XML 1.0, hence an XLSX cell, cannot hold (tab, LF and CR it can).
_NOT_IN_CELLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form (composed diacritics)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str | None:
    """NFC-normalise, map look-alike Đ, collapse whitespace and strip.

    Returns ``None`` for ``None`` or for text that is empty after cleaning.
    """
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", nfc(text).translate(_LOOKALIKE_D)).strip()
    return cleaned or None


def fold(text: str) -> str:
    """Lower-case ``text`` and strip every diacritic (đ becomes d).

    >>> fold("Chè Shan tuyết Na Hang")
    'che shan tuyet na hang'
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_LOOKALIKE_D).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def cell_safe(text: str) -> str:
    """``text`` without the control characters a spreadsheet cell cannot hold.

    openpyxl refuses them (``IllegalCharacterError``) and they carry no meaning in a
    title or a note, so every XLSX writer passes its strings through here.

    >>> cell_safe("QCVN 8-2:2011/BYT\x0b kim loại nặng")
    'QCVN 8-2:2011/BYT kim loại nặng'
    """
    return _NOT_IN_CELLS.sub("", text)


def slugify(text: str) -> str:
    """A URL slug: folded, ASCII letters and digits joined by single hyphens.

    >>> slugify("Cam sành Hàm Yên")
    'cam-sanh-ham-yen'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
