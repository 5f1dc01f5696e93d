"""A document's code in normal form (:class:`DocumentCode`) and its printed forms (canonical,
slug, compact lookup key, family key); what a search query tells of a code so far
(:class:`PartialCode`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.codes.kinds import STANDARDS, DocType
from catalog.text import fold, slugify


@dataclass(frozen=True)
class DocumentCode:
    """One document's code, in normal form; equality ignores the adoption note."""

    doc_type: DocType
    prefix: str  # "TCVN", "TCVN ISO", "QCĐP", "10TCN"; for instruments the form "TT-BXD", "QH11"
    number: str  # as printed for standards ("01", "8"); at least 2 digits for instruments
    part: str | None  # "2" in QCVN 8-2, "2-1" in TCVN 7699-2-1
    year: int | None
    issuer: str | None  # "BYT", "BTr"; for instruments "CP", "BXD", "UBND", "QH11"
    adoption: str | None = field(default=None, compare=False)

    def canonical(self) -> str:
        """The code as officially printed: "QCVN 8-2:2011/BYT", "04/2023/TT-BXD"."""
        year = "" if self.year is None else str(self.year)
        if self.doc_type not in STANDARDS:
            return f"{self.number}/{year}/{self.prefix}" if year else f"{self.number}/{self.prefix}"
        part = f"-{self.part}" if self.part else ""
        issuer = f"/{self.issuer}" if self.issuer else ""
        return f"{self.prefix} {self.number}{part}{':' if year else ''}{year}{issuer}"

    def slug(self) -> str:
        """URL slug of the canonical code: "qcvn-8-2-2011-byt", "04-2023-tt-bxd"."""
        return slugify(self.canonical())

    def compact(self) -> str:
        """Key for exact lookups: folded, only letters, digits and hyphens, no zero padding.

        Hyphens stay because they carry identity: "QCVN 8-2:2011/BYT" is
        "qcvn8-22011byt", "QCVN 82:2011/BYT" is "qcvn822011byt".
        """
        if self.doc_type not in STANDARDS:
            text = self.canonical()
        else:
            text = f"{self.prefix}{self._unpadded()}{self.year or ''}{self.issuer or ''}"
        return re.sub(r"[^a-z0-9-]", "", fold(text))

    def family_key(self) -> str:
        """The document across its editions: the slug without year ("qcvn-16-bxd").

        Legal instruments have no editions: their family key is their slug.
        Issuer succession (a ministry renamed) is data, not grammar: not applied here.
        """
        if self.doc_type not in STANDARDS:
            return self.slug()
        return slugify(f"{self.prefix} {self._unpadded()} {self.issuer or ''}")

    def _unpadded(self) -> str:
        """Number and parts without zero padding: "01-150" → "1-150"."""
        numbers = [self.number, *(self.part.split("-") if self.part else ())]
        return "-".join(_unpad(n) for n in numbers)

    def __str__(self) -> str:
        return self.canonical()


@dataclass(frozen=True)
class PartialCode:
    """What a search query tells of a code so far; unknown fields are None."""

    doc_type: DocType | None = None
    prefix: str | None = None
    number: str | None = None
    part: str | None = None
    year: int | None = None
    issuer: str | None = None

    def matches(self, code: DocumentCode) -> bool:
        """Whether ``code`` agrees with every known field.

        Prefix and issuer may be typed incompletely ("TCVN" matches "TCVN ISO",
        "TT-BX" matches "TT-BXD"); number, part and year must be complete.
        Zero padding and letter case do not matter.
        """
        return (
            (self.doc_type is None or self.doc_type == code.doc_type)
            and (self.prefix is None or fold(code.prefix).startswith(fold(self.prefix)))
            and (self.number is None or _unpad(self.number) == _unpad(code.number))
            and (self.part is None or _unpad_parts(self.part) == _unpad_parts(code.part))
            and (self.year is None or self.year == code.year)
            and (self.issuer is None or fold(code.issuer or "").startswith(fold(self.issuer)))
        )


def _unpad(number: str) -> str:
    return number.lstrip("0") or "0"


def _unpad_parts(part: str | None) -> str | None:
    return "-".join(_unpad(p) for p in part.split("-")) if part else None
