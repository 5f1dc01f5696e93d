"""Document-type words in a query: "tiêu chuẩn quốc gia chè đen" asks for TCVN about chè đen.

Left in the text, such words match every title that names a type ("Quy chuẩn kỹ thuật
quốc gia về …", "Xây dựng tiêu chuẩn …") and, as Meilisearch drops the last words first
when not all match, crowd out the subject. So they are taken out of the text searched and
kept as a preference for that type of document instead (never as a filter).
"""

from __future__ import annotations

from catalog.codes import DocType
from catalog.text import fold

# Phrases as typed (matched without diacritics, as whole words), longest first per type.
_PHRASES: dict[DocType, tuple[str, ...]] = {
    DocType.QCDP: ("quy chuẩn kỹ thuật địa phương", "quy chuẩn địa phương", "qcđp"),
    DocType.QCVN: (
        "quy chuẩn kỹ thuật quốc gia",
        "quy chuẩn quốc gia",
        "quy chuẩn kỹ thuật",
        "quy chuẩn",
        "qcvn",
        "technical regulation",
    ),
    DocType.TCCS: ("tiêu chuẩn cơ sở", "tccs"),
    DocType.TCVN: (
        "tiêu chuẩn quốc gia",
        "tiêu chuẩn việt nam",
        "tiêu chuẩn",
        "tcvn",
        "national standard",
        "standard",
    ),
    DocType.LAW: ("luật", "law"),
    DocType.DECREE: ("nghị định", "decree"),
    DocType.CIRCULAR: ("thông tư liên tịch", "thông tư", "circular"),
    DocType.DECISION: ("quyết định", "decision"),
    DocType.RESOLUTION: ("nghị quyết", "resolution"),
}
# Every phrase, longest (in words) first, so "quy chuẩn kỹ thuật quốc gia" wins over
# "quy chuẩn".
_ORDERED = sorted(
    ((tuple(fold(p).split()), doc_type) for doc_type, ps in _PHRASES.items() for p in ps),
    key=lambda item: -len(item[0]),
)


def split_type_words(query: str) -> tuple[str, DocType | None]:
    """The query without its first document-type phrase, and that type.

    A query that is nothing but the phrase keeps its text (there is no other subject).

    >>> split_type_words("tiêu chuẩn quốc gia chè đen")
    ('chè đen', <DocType.TCVN: 'tcvn'>)
    >>> split_type_words("chè đen")
    ('chè đen', None)
    """
    words = query.split()
    folded = [fold(w).strip(",.;:") for w in words]
    for phrase, doc_type in _ORDERED:
        n = len(phrase)
        for start in range(len(folded) - n + 1):
            if tuple(folded[start : start + n]) == phrase:
                rest = " ".join(words[:start] + words[start + n :]).strip()
                return (rest or query), doc_type
    return query, None
