"""Every code in the researched data parses, and its canonical form is stable.

The data is vendored in fixtures/codes/ (see its README for the source), so these tests never skip.
"""

from __future__ import annotations

import csv
from pathlib import Path

from catalog.codes import DocType, find_codes, parse_code

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "codes"


def rows(name: str) -> list[list[str]]:
    """The rows of a vendored data file, header first."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def all_codes() -> list[str]:
    """Codes of both files; documents.csv also lists "; "-separated replaces/replaced_by."""
    documents = rows("documents.csv")
    header = documents[0]
    replaces, replaced_by = header.index("replaces"), header.index("replaced_by")
    codes = [row[0] for row in documents[1:]]
    for row in documents[1:]:
        for cell in (row[replaces], row[replaced_by]):
            codes += [c for c in cell.split(";") if c.strip()]
    # Some rows of the bulk file have unquoted commas in titles: only the first column is sure.
    return codes + [row[0] for row in rows("catalogue_bulk.csv")[1:]]


def test_every_code_parses_and_round_trips() -> None:
    codes = all_codes()
    assert len(codes) > 300
    for text in codes:
        code = parse_code(text)
        assert parse_code(code.canonical()) == code, text
        assert parse_code(code.canonical()).canonical() == code.canonical(), text
        assert parse_code(code.slug()).slug() == code.slug(), text
        assert find_codes(text) == [code], text


def test_canonical_is_the_printed_code() -> None:
    changed = {t.strip(): parse_code(t).canonical() for t in all_codes()}
    assert {t: c for t, c in changed.items() if t != c} == {
        "TCVN 4377-86": "TCVN 4377:1986",
        "QCVN 25:2015/BLĐTBXH-": "QCVN 25:2015/BLĐTBXH",
    }


def test_distinct_codes_have_distinct_keys() -> None:
    codes = {parse_code(t) for t in all_codes()}
    assert len({c.slug() for c in codes}) == len(codes)
    by_compact: dict[str, set[str]] = {}
    for code in codes:
        by_compact.setdefault(code.compact(), set()).add(code.canonical())
    # compact() ignores zero padding, and so finds the one regulation the bulk file lists twice
    assert [c for c in by_compact.values() if len(c) > 1] == [
        {"QCVN 09:2012/BKHCN", "QCVN 9:2012/BKHCN"}
    ]


# Values of documents.csv's doc_type column.
TYPE_NAMES = {
    "TCVN": DocType.TCVN,
    "TCVN ISO": DocType.TCVN,
    "QCVN": DocType.QCVN,
    "QCĐP": DocType.QCDP,
    "TCN": DocType.SECTOR,
    "Luật": DocType.LAW,
    "Nghị định": DocType.DECREE,
    "Thông tư": DocType.CIRCULAR,
}


def test_type_and_year_agree_with_the_data() -> None:
    documents = rows("documents.csv")
    header = documents[0]
    doc_type, year = header.index("doc_type"), header.index("year")
    for row in documents[1:]:
        code = parse_code(row[0])
        assert code.doc_type is TYPE_NAMES[row[doc_type]], row[0]
        assert str(code.year) == row[year], row[0]


def test_issuing_instruments_are_found() -> None:
    bulk = rows("catalogue_bulk.csv")
    header = bulk[0]
    column = header.index("issuing_instrument")
    cells = [row[column] for row in bulk[1:] if len(row) == len(header) and row[column]]
    assert cells
    for cell in cells:  # "Thông tư 31/2020/TT-BYT ngày 31/12/2020 (hiệu lực 01/09/2021)"
        found = find_codes(cell)
        assert len(found) == 1, cell
        assert cell.startswith(found[0].doc_type.label_vi), cell


def test_find_codes_reads_every_cell() -> None:
    for name in ("documents.csv", "catalogue_bulk.csv", "products.csv"):
        for row in rows(name):
            for cell in row:
                for code in find_codes(cell):
                    assert parse_code(code.canonical()) == code
