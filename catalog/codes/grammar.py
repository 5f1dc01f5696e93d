"""The grammar of document codes, as regular expressions over the folded *key* of a text
(see :mod:`catalog.codes`): full codes, codes typed so far, adoption notes, and the words
that may come before a code."""

from __future__ import annotations

import re

from catalog.codes.kinds import DocType
from catalog.text import fold

# Kinds of legal instrument, as the first part of the form ("TT" in "TT-BXD"), by folded key.
INSTRUMENT_KINDS = {
    "nd": (DocType.DECREE, "NĐ"),
    "tt": (DocType.CIRCULAR, "TT"),
    "ttlt": (DocType.CIRCULAR, "TTLT"),
    "qd": (DocType.DECISION, "QĐ"),
    "nq": (DocType.RESOLUTION, "NQ"),
    "nqlt": (DocType.RESOLUTION, "NQLT"),
}
# Official spellings of abbreviations typed without Đ or in the wrong case, by folded upper key.
OFFICIAL_SPELLINGS = {
    fold(word).upper(): word for word in ("NĐ", "QĐ", "HĐND", "TTg", "BLĐTBXH", "BGDĐT", "BKHĐT")
}
# Words that may come before a code and are dropped: "Nghị định số", "Thông tư", "Decree No.".
LEAD_WORDS: dict[str, DocType | None] = {
    **{fold(t.label_vi): t for t in DocType},
    **{t.label_en.lower(): t for t in DocType},
    **{kind: doc_type for kind, (doc_type, _) in INSTRUMENT_KINDS.items()},
    "thong tu lien tich": DocType.CIRCULAR,
    "joint circular": DocType.CIRCULAR,
    "tieu chuan": None,
    "quy chuan": None,
    "quy chuan ky thuat": None,
    "so": None,
    "no": None,
}
LEADING = re.compile(
    r"(?P<label>{})[\s.:]+(?:(?:so|no)(?![a-z])[\s.:]*)?".format(
        "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(LEAD_WORDS, key=len, reverse=True)
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
CODE = re.compile(f"{_STANDARD}|{_INSTRUMENT}", re.VERBOSE)

# Incomplete codes typed into a search box: "TCVN 5603", "qcvn 8-2", "QCVN 16/BXD", "5603:2023".
PARTIAL_STANDARD = re.compile(
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
PARTIAL_INSTRUMENT = re.compile(
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
NOTE = re.compile(
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
PUNCTUATION = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
    | {"\uff1a": ":", "\uff0f": "/", "\u2044": "/"}
)
