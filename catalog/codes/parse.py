"""Reading codes from what people type and pages contain: one code (:func:`parse_code`),
every code in running text (:func:`find_codes`), a code typed so far (:func:`parse_partial`)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from catalog.codes.document_code import DocumentCode, PartialCode
from catalog.codes.grammar import (
    CODE,
    INSTRUMENT_KINDS,
    LEAD_WORDS,
    LEADING,
    NOTE,
    OFFICIAL_SPELLINGS,
    PARTIAL_INSTRUMENT,
    PARTIAL_STANDARD,
    PUNCTUATION,
)
from catalog.codes.kinds import CASE_KEPT, EXAMPLES, REGULATIONS, DocType
from catalog.text import clean, fold

_EXPECTED = (
    "expected e.g. 'TCVN 5603:2023', 'QCVN 8-2:2011/BYT', 'QCĐP 01:2022/BTr' or '04/2023/TT-BXD'"
)


class CodeError(ValueError):
    """Raised when a text cannot be read as a document code."""


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
    match = CODE.match(key, start)
    if not match:
        raise _fail(text, _EXPECTED)
    stop = len(display.rstrip(" .,;"))
    rest = display[match.end() : stop]
    note = None
    if rest:
        note = NOTE.fullmatch(display, match.end(), stop) if match["number"] else None
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
    while match := CODE.search(key, pos):
        try:
            code = _build(text, display, match)
        except CodeError:
            pos = match.start() + 1  # what looked like a code may hide one further on
            continue
        pos = match.end()
        if match["number"] and (note := NOTE.match(display, pos)):
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
    if match := PARTIAL_INSTRUMENT.fullmatch(key, start):
        return _partial_instrument(display, match)
    match = PARTIAL_STANDARD.fullmatch(key, start)
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
    display = (clean(text) or "").translate(PUNCTUATION)
    return display, "".join(map(_fold_char, display))


@cache
def _fold_char(ch: str) -> str:
    """One character folded, or kept when folding would change the length."""
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


def _skip_lead_words(key: str) -> tuple[int, DocType | None]:
    """Where the code starts after words like "Nghị định số", and the kind they name."""
    match = LEADING.match(key)
    if not match or match.end() == len(key):
        return 0, None
    return match.end(), LEAD_WORDS[" ".join(match["label"].split())]


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
        raise _fail(text, f"a {prefix} code needs a year, e.g. {EXAMPLES[doc_type]!r}")
    issuer = _issuer(doc_type, _cut(display, match, "issuer")) if match["issuer"] else None
    if issuer is None and doc_type in REGULATIONS:
        raise _fail(text, f"a {prefix} code names its issuer, e.g. {EXAMPLES[doc_type]!r}")
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
    doc_type, kind = INSTRUMENT_KINDS[match["kind"]]
    issuer = _issuer(doc_type, _cut(display, match, "iissuer"))
    return DocumentCode(doc_type, f"{kind}-{issuer}", number, None, year, issuer)


def _partial_instrument(display: str, match: re.Match[str]) -> PartialCode:
    if match["kind"] is None:
        legislature = match["legislature"]
        prefix = f"QH{int(legislature)}" if legislature else "QH"
        return PartialCode(
            DocType.LAW, prefix, match["inumber"], None, _partial_year(match["iyear"])
        )
    doc_type, kind = INSTRUMENT_KINDS[match["kind"]]
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
    if doc_type in CASE_KEPT:
        return raw.upper() if raw.islower() else raw
    return "-".join(
        OFFICIAL_SPELLINGS.get(fold(word).upper(), word.upper()) for word in raw.split("-")
    )


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


def _fail(text: str, detail: str) -> CodeError:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return CodeError(f"cannot read {shown!r} as a document code: {detail}")
