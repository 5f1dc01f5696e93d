"""Document codes: parse, normalise, format and slug the codes of standards,
technical regulations and legal instruments.

A standard's code is a prefix, a number with optional parts, a year and, for
regulations, an issuer: ``QCVN 8-2:2011/BYT``. A legal instrument's code is a
number, an optional year and a form naming the kind of instrument and its
issuer: ``04/2023/TT-BXD``, ``841/QĐ-UBND``, ``68/2006/QH11``.

Matching runs on a *key*: the cleaned text folded character by character (lower
case, no diacritics, đ → d), so that each position of the key is the same
position of the cleaned text; values whose case matters (issuers) are cut from
the cleaned text.

Decisions:

- Standard numbers keep their zero padding as printed, because both styles are
  official (``QCVN 01:2009/BYT``, ``QCVN 1:2015/BKHCN``, ``QCVN 8-2:2011/BYT``).
  :meth:`DocumentCode.compact` and :meth:`DocumentCode.family_key` drop it, so
  ``QCVN 1:2009/BYT`` finds ``QCVN 01:2009/BYT``.
- Legal instrument numbers get at least two digits, the official style:
  ``4/2023/tt-bxd`` → ``04/2023/TT-BXD``.
- Years are always 4 digits. In old codes a 2- or 4-digit group after ``-``
  with no ``:`` is the year (``TCVN 1873-86`` → 1986); two-digit years from 30
  are 19xx, below 30 are 20xx.
- QCVN and legal issuers are upper case, with official spellings restored
  (``ND-CP`` → ``NĐ-CP``, ``QD-TTG`` → ``QĐ-TTg``). QCĐP and TCCS issuers keep
  the case given (``BTr``), unless typed all in lower case; letter case of an
  issuer is not significant in slugs and compact keys.
- An adoption note after a standard (``(ISO 11287:2011)``,
  ``/ CODEX STAN 245-2004``) is kept but is not part of identity. Amendments
  (``Amd 1``) are not modelled: :func:`parse_code` rejects them and
  :func:`find_codes` finds the base code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache

from catalog.text import clean, fold, slugify


class DocType(StrEnum):
    """Kinds of document; the values are stable identifiers stored in the database."""

    TCVN = "tcvn"  # national standard, incl. TCVN ISO 22000:2018
    QCVN = "qcvn"  # national technical regulation
    QCDP = "qcdp"  # local technical regulation (QCĐP)
    TCCS = "tccs"  # enterprise standard
    SECTOR = "sector"  # legacy sector standards: 10TCN, TCXDVN, TCN 68-…
    LAW = "law"
    DECREE = "decree"
    CIRCULAR = "circular"  # incl. joint circulars (TTLT)
    DECISION = "decision"
    RESOLUTION = "resolution"

    @property
    def label_vi(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    @property
    def mandatory(self) -> bool:
        """Binding by itself: regulations and legal instruments (standards are voluntary)."""
        return self not in _STANDARDS or self in _REGULATIONS


_LABELS = {
    DocType.TCVN: ("Tiêu chuẩn quốc gia", "National standard"),
    DocType.QCVN: ("Quy chuẩn kỹ thuật quốc gia", "National technical regulation"),
    DocType.QCDP: ("Quy chuẩn kỹ thuật địa phương", "Local technical regulation"),
    DocType.TCCS: ("Tiêu chuẩn cơ sở", "Enterprise standard"),
    DocType.SECTOR: ("Tiêu chuẩn ngành", "Sector standard"),
    DocType.LAW: ("Luật", "Law"),
    DocType.DECREE: ("Nghị định", "Decree"),
    DocType.CIRCULAR: ("Thông tư", "Circular"),
    DocType.DECISION: ("Quyết định", "Decision"),
    DocType.RESOLUTION: ("Nghị quyết", "Resolution"),
}
_EXAMPLES = {
    DocType.TCVN: "TCVN 5603:2023",
    DocType.QCVN: "QCVN 8-2:2011/BYT",
    DocType.QCDP: "QCĐP 01:2022/BTr",
    DocType.TCCS: "TCCS 01:2024/ABC",
    DocType.SECTOR: "10TCN 510:2002",
    DocType.LAW: "68/2006/QH11",
    DocType.DECREE: "43/2017/NĐ-CP",
    DocType.CIRCULAR: "04/2023/TT-BXD",
    DocType.DECISION: "841/QĐ-UBND",
    DocType.RESOLUTION: "01/2024/NQ-HĐND",
}
_EXPECTED = (
    "expected e.g. 'TCVN 5603:2023', 'QCVN 8-2:2011/BYT', 'QCĐP 01:2022/BTr' or '04/2023/TT-BXD'"
)
_STANDARDS = frozenset({DocType.TCVN, DocType.QCVN, DocType.QCDP, DocType.TCCS, DocType.SECTOR})
_REGULATIONS = frozenset({DocType.QCVN, DocType.QCDP})
# Issuers whose case is the organisation's own ("BTr" = Bến Tre), not a ministry code.
_CASE_KEPT = frozenset({DocType.QCDP, DocType.TCCS})

# Kinds of legal instrument, as the first part of the form ("TT" in "TT-BXD"), by folded key.
_KINDS = {
    "nd": (DocType.DECREE, "NĐ"),
    "tt": (DocType.CIRCULAR, "TT"),
    "ttlt": (DocType.CIRCULAR, "TTLT"),
    "qd": (DocType.DECISION, "QĐ"),
    "nq": (DocType.RESOLUTION, "NQ"),
    "nqlt": (DocType.RESOLUTION, "NQLT"),
}
# Official spellings of abbreviations typed without Đ or in the wrong case, by folded upper key.
_OFFICIAL = {
    fold(word).upper(): word for word in ("NĐ", "QĐ", "HĐND", "TTg", "BLĐTBXH", "BGDĐT", "BKHĐT")
}
# Words that may come before a code and are dropped: "Nghị định số", "Thông tư", "Decree No.".
_LEAD_WORDS: dict[str, DocType | None] = {
    **{fold(t.label_vi): t for t in DocType},
    **{t.label_en.lower(): t for t in DocType},
    **{kind: doc_type for kind, (doc_type, _) in _KINDS.items()},
    "thong tu lien tich": DocType.CIRCULAR,
    "joint circular": DocType.CIRCULAR,
    "tieu chuan": None,
    "quy chuan": None,
    "quy chuan ky thuat": None,
    "so": None,
    "no": None,
}
_LEADING = re.compile(
    r"(?P<label>{})[\s.:]+(?:(?:so|no)(?![a-z])[\s.:]*)?".format(
        "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_LEAD_WORDS, key=len, reverse=True)
        )
    )
)

# A standard's prefix, shared by the full and the partial grammar (matched on the folded key).
_PREFIX = r"""
    (?:
        (?P<tcvn> tcvn (?: [\s-]* (?P<intl>iso|iec) (?: \s*[/-]?\s* (?P<intl2>iec|ts|tr|pas) )? )? )
      | (?P<regulation> (?P<qcvn>qcvn) | (?P<qcdp>qcdp) | (?P<tccs>tccs) )   # these name an issuer
      | (?P<sector> tcxdvn | tcxd | [0-9]{1,2}\s*tcn | tcn )   # 10TCN 510:2002; TCN 68-141:1999
    )
    (?: \s*-\s* | \s* )                       # "TCVN 5603", "tcvn5603", slug "tcvn-5603"
"""
_STANDARD = rf"""
    (?<!\w) {_PREFIX}
    (?P<number>[0-9]+)
    (?P<groups>(?:\s*-\s*[0-9]+)*)    # parts "8-2", "01-150", "7699-2-1"; or old year "1873-86"
    (?:\s*[:/]\s*(?P<year>[0-9]+))?   # year after ":" (some type "/")
    (?(regulation)(?:(?:\s*/\s*|-)(?P<issuer>[a-z][\w&.-]*))?)   # issuer after "/", "-" in slugs
    (?!\w)
"""
_INSTRUMENT = r"""
    (?<![\w/-])
    (?P<inumber>[0-9]+) \s*[/-]\s*
    (?:(?P<iyear>[0-9]{4}) \s*[/-]\s*)?      # year: "04/2023/TT-BXD"; decisions often have none
    (?:
        qh \s* (?P<legislature>[0-9]{1,2})   # laws: QH11 = 11th National Assembly
      | (?P<kind>ttlt|tt|nd|qd|nqlt|nq) \s*[-/]\s*   # "QĐ/BKHCN" is a common slip for "QĐ-BKHCN"
        (?P<iissuer>[a-z][a-z0-9]*(?:\s*-\s*[a-z][a-z0-9]*)*)   # CP, BXD, UBND, BYT-BNNPTNT
    )
    (?!\w)
"""
_CODE = re.compile(f"{_STANDARD}|{_INSTRUMENT}", re.VERBOSE)

# Incomplete codes typed into a search box: "TCVN 5603", "qcvn 8-2", "QCVN 16/BXD", "5603:2023".
_PARTIAL_STANDARD = re.compile(
    rf"""
    (?:{_PREFIX})?
    (?P<number>[0-9]+)?
    (?P<groups>(?:\s*-\s*[0-9]*)*)
    (?:\s*[:/]\s*(?P<year>[0-9]{{0,4}}))?
    (?(tcvn)|(?(sector)|(?:\s*/\s*(?P<issuer>[a-z][\w&.-]*)?)?))   # no issuer after TCVN, TCN
    \s*
    """,
    re.VERBOSE,
)
# Incomplete legal instruments, once the kind is typed: "841/qd", "43/2017/nd", "04/2023/tt-bx".
_PARTIAL_INSTRUMENT = re.compile(
    r"""
    (?P<inumber>[0-9]{1,5}) \s*[/-]\s*
    (?:(?P<iyear>[0-9]{4}) \s*(?:[/-]\s*)?)?
    (?:
        qh \s* (?P<legislature>[0-9]{0,2})
      | (?P<kind>ttlt|tt|nd|qd|nqlt|nq)
        (?:\s*-\s*(?P<iissuer>[a-z][a-z0-9]*(?:\s*-\s*[a-z0-9]*)*)?)?
    )
    \s*
    """,
    re.VERBOSE,
)

# The foreign or international document a standard adopts, matched on the cleaned text.
_DESIGNATION = r"""
    (?!(?i:tcvn|qcvn|qcđp|qcdp|tccs|tcxdvn|tcxd|tcn|amd|cor)\b)   # not our codes, not amendments
    [A-Z][A-Za-z]*(?:[ /][A-Z][A-Za-z]*)*\s*[0-9]   # body, series, number: "CODEX STAN 2"
"""
_NOTE = re.compile(
    rf"""
    \s*(?:[/-]\s*)?                                  # "TCVN 1873:2014 / CODEX STAN 245-2004"
    (?:
        \(\s*(?P<paren>{_DESIGNATION}[^()]*?)\s*\)    # "(ISO 11287:2011)", "(ISO 11287:2011, IDT)"
      | (?P<bare>{_DESIGNATION}[\w:./-]*(?:\s+[\w:./,-]+)*?)   # "CODEX STAN 214-1999"
    )
    """,
    re.VERBOSE,
)
# Dash, colon and slash look-alikes found in pages and spreadsheets.
_PUNCTUATION = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
    | {"\uff1a": ":", "\uff0f": "/", "\u2044": "/"}
)


class CodeError(ValueError):
    """Raised when a text cannot be read as a document code."""


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
        if self.doc_type not in _STANDARDS:
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
        if self.doc_type not in _STANDARDS:
            text = self.canonical()
        else:
            text = f"{self.prefix}{self._unpadded()}{self.year or ''}{self.issuer or ''}"
        return re.sub(r"[^a-z0-9-]", "", fold(text))

    def family_key(self) -> str:
        """The document across its editions: the slug without year ("qcvn-16-bxd").

        Legal instruments have no editions: their family key is their slug.
        Issuer succession (a ministry renamed) is data, not grammar: not applied here.
        """
        if self.doc_type not in _STANDARDS:
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


def parse_code(text: str) -> DocumentCode:
    """Read one document code, tolerating what people type and pages contain.

    Raises :class:`CodeError` (and nothing else) when ``text`` is not exactly
    one code, optionally after a word naming its kind and followed by an
    adoption note.
    """
    display, key = _prepare(text)
    if not display:
        raise _fail(text, "the text is empty")
    start, _ = _skip_lead_words(key)
    match = _CODE.match(key, start)
    if not match:
        raise _fail(text, _EXPECTED)
    stop = len(display.rstrip(" .,;"))
    rest = display[match.end() : stop]
    note = None
    if rest:
        note = _NOTE.fullmatch(display, match.end(), stop) if match["number"] else None
        if not note:
            raise _fail(text, f"unexpected {rest.strip()!r} after {display[start : match.end()]!r}")
    code = _build(text, display, match)
    return replace(code, adoption=note["paren"] or note["bare"]) if note else code


def normalise_code(text: str) -> str:
    """The canonical form of the code in ``text``; raises :class:`CodeError`."""
    return parse_code(text).canonical()


def find_codes(text: str) -> list[DocumentCode]:
    """Every code mentioned in running text, in order of first mention, without duplicates."""
    display, key = _prepare(text)
    found: list[DocumentCode] = []
    pos = 0
    while match := _CODE.search(key, pos):
        try:
            code = _build(text, display, match)
        except CodeError:
            pos = match.start() + 1  # what looked like a code may hide one further on
            continue
        pos = match.end()
        if match["number"] and (note := _NOTE.match(display, pos)):
            code = replace(code, adoption=note["paren"] or note["bare"])
            pos = note.end()
        if code not in found:
            found.append(code)
    return found


def parse_partial(text: str) -> PartialCode | None:
    """Fields of a code typed so far ("TCVN 5603", "qcvn 8-2", "841/qd"), or None if not a code."""
    try:
        code = parse_code(text)
    except CodeError:
        pass
    else:
        return PartialCode(
            code.doc_type, code.prefix, code.number, code.part, code.year, code.issuer
        )
    display, key = _prepare(text)
    start, hint = _skip_lead_words(key)
    if match := _PARTIAL_INSTRUMENT.fullmatch(key, start):
        return _partial_instrument(display, match)
    match = _PARTIAL_STANDARD.fullmatch(key, start)
    if not match or not (match["number"] or _prefix_type(match)):
        return None
    doc_type = _prefix_type(match) or hint
    parts = re.findall(r"[0-9]+", match["groups"])
    year = match["year"]
    if year is None and parts and len(parts[-1]) == 4:
        year = parts.pop()  # old style "7043-2002"
    return PartialCode(
        doc_type=doc_type,
        prefix=_prefix_text(match) if _prefix_type(match) else None,
        number=match["number"],
        part="-".join(parts) or None,
        year=_partial_year(year),
        issuer=_issuer(doc_type, _cut(display, match, "issuer")) if match["issuer"] else None,
    )


def _prepare(text: str) -> tuple[str, str]:
    """The cleaned text and its key: folded char by char, so positions agree."""
    display = (clean(text) or "").translate(_PUNCTUATION)
    return display, "".join(map(_fold_char, display))


@cache
def _fold_char(ch: str) -> str:
    """One character folded, or kept when folding would change the length."""
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


def _skip_lead_words(key: str) -> tuple[int, DocType | None]:
    """Where the code starts after words like "Nghị định số", and the kind they name."""
    match = _LEADING.match(key)
    if not match or match.end() == len(key):
        return 0, None
    return match.end(), _LEAD_WORDS[" ".join(match["label"].split())]


def _build(text: str, display: str, match: re.Match[str]) -> DocumentCode:
    if match["number"] is None:
        return _build_instrument(text, display, match)
    doc_type = _prefix_type(match)
    assert doc_type is not None  # the full grammar always has a prefix
    prefix = _prefix_text(match)
    parts = re.findall(r"[0-9]+", match["groups"])
    year = match["year"]
    if year is None and parts and len(parts[-1]) in (2, 4):
        year = parts.pop()  # old style "TCVN 1873-86": the last "-" group is the year
    if year is None:
        raise _fail(text, f"a {prefix} code needs a year, e.g. {_EXAMPLES[doc_type]!r}")
    issuer = _issuer(doc_type, _cut(display, match, "issuer")) if match["issuer"] else None
    if issuer is None and doc_type in _REGULATIONS:
        raise _fail(text, f"a {prefix} code names its issuer, e.g. {_EXAMPLES[doc_type]!r}")
    return DocumentCode(
        doc_type, prefix, match["number"], "-".join(parts) or None, _year(text, year), issuer
    )


def _build_instrument(text: str, display: str, match: re.Match[str]) -> DocumentCode:
    digits = match["inumber"]
    if len(digits) > 5 or not digits.strip("0"):
        raise _fail(text, f"an instrument number runs from 1 to 99999, not {digits!r}")
    number = f"{int(digits):02d}"
    year = _year(text, match["iyear"]) if match["iyear"] else None
    if match["legislature"]:
        form = f"QH{int(match['legislature'])}"
        return DocumentCode(DocType.LAW, form, number, None, year, form)
    doc_type, kind = _KINDS[match["kind"]]
    issuer = _issuer(doc_type, _cut(display, match, "iissuer"))
    return DocumentCode(doc_type, f"{kind}-{issuer}", number, None, year, issuer)


def _partial_instrument(display: str, match: re.Match[str]) -> PartialCode:
    if match["kind"] is None:
        legislature = match["legislature"]
        prefix = f"QH{int(legislature)}" if legislature else "QH"
        return PartialCode(
            DocType.LAW, prefix, match["inumber"], None, _partial_year(match["iyear"])
        )
    doc_type, kind = _KINDS[match["kind"]]
    issuer = _issuer(doc_type, _cut(display, match, "iissuer")) if match["iissuer"] else None
    return PartialCode(
        doc_type=doc_type,
        prefix=f"{kind}-{issuer}" if issuer else kind,
        number=match["inumber"],
        year=_partial_year(match["iyear"]),
        issuer=issuer,
    )


def _prefix_type(match: re.Match[str]) -> DocType | None:
    for group, doc_type in (
        ("tcvn", DocType.TCVN),
        ("qcvn", DocType.QCVN),
        ("qcdp", DocType.QCDP),
        ("tccs", DocType.TCCS),
        ("sector", DocType.SECTOR),
    ):
        if match[group]:
            return doc_type
    return None


def _prefix_text(match: re.Match[str]) -> str:
    """The prefix as printed: "TCVN ISO/IEC", "QCĐP", "10TCN"."""
    if match["tcvn"]:
        intl = f" {match['intl'].upper()}" if match["intl"] else ""
        return f"TCVN{intl}/{match['intl2'].upper()}" if match["intl2"] else f"TCVN{intl}"
    if match["qcdp"]:
        return "QCĐP"
    return re.sub(r"\s", "", match["regulation"] or match["sector"]).upper()


def _issuer(doc_type: DocType | None, raw: str) -> str:
    raw = re.sub(r"\s", "", raw).rstrip("-.&")
    if doc_type in _CASE_KEPT:
        return raw.upper() if raw.islower() else raw
    return "-".join(_OFFICIAL.get(fold(word).upper(), word.upper()) for word in raw.split("-"))


def _year(text: str, digits: str) -> int:
    if len(digits) == 2:
        return int(digits) + (1900 if int(digits) >= 30 else 2000)
    if len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return int(digits)
    raise _fail(
        text,
        f"the year {digits!r} is not between 1900 and 2100 "
        "(4 digits, or 2 in old codes such as 'TCVN 1873-86')",
    )


def _partial_year(digits: str | None) -> int | None:
    """A year typed in full, else None (still being typed)."""
    if digits and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return int(digits)
    return None


def _cut(display: str, match: re.Match[str], group: str) -> str:
    return display[match.start(group) : match.end(group)]


def _unpad(number: str) -> str:
    return number.lstrip("0") or "0"


def _unpad_parts(part: str | None) -> str | None:
    return "-".join(_unpad(p) for p in part.split("-")) if part else None


def _fail(text: str, detail: str) -> CodeError:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return CodeError(f"cannot read {shown!r} as a document code: {detail}")
