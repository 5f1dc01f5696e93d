"""Kinds of document (:class:`DocType`): their labels, an example code of each, and which
kinds are standards, which regulations, and whose issuers keep their own letter case."""

from __future__ import annotations

from enum import StrEnum


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
        return self not in STANDARDS or self in REGULATIONS


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
EXAMPLES = {
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
STANDARDS = frozenset({DocType.TCVN, DocType.QCVN, DocType.QCDP, DocType.TCCS, DocType.SECTOR})
REGULATIONS = frozenset({DocType.QCVN, DocType.QCDP})
# Issuers whose case is the organisation's own ("BTr" = Bến Tre), not a ministry code.
CASE_KEPT = frozenset({DocType.QCDP, DocType.TCCS})
