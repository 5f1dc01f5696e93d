"""XLSX exports survive text with control characters (scraped titles, pasted notes), and
no export turns text into a formula."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from catalog.cells import csv_row, csv_value
from catalog.reports.tables import Table, workbook
from catalog.text import cell_safe


def test_cell_safe_drops_exactly_what_a_cell_cannot_hold() -> None:
    every = "".join(chr(c) for c in range(0x300))
    assert cell_safe(every) == ILLEGAL_CHARACTERS_RE.sub("", every)
    assert cell_safe("Chè\txanh\nTân Cương\r") == "Chè\txanh\nTân Cương\r"


def test_workbook_with_control_characters_opens_with_the_text_kept() -> None:
    table = Table(
        title="Thay đổi\x07",
        headers=("Số hiệu\x00", "Ghi chú"),
        rows=(
            ("QCVN 8-2:2011/BYT", "kim loại\x0b nặng\x1f"),
            ("TCVN 5603:2023", ["dòng 1\x01", "dòng 2"]),
            ("TCVN 7087:2013", date(2013, 12, 31)),
        ),
    )
    data = workbook([table], ["Báo cáo\x1b", "2026-01-15"])
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Thay đổi"
    assert values[0] == ["Báo cáo"]
    assert values[3] == ["Số hiệu", "Ghi chú"]
    assert values[4] == ["QCVN 8-2:2011/BYT", "kim loại nặng"]
    assert values[5] == ["TCVN 5603:2023", "dòng 1\ndòng 2"]
    assert values[6][1].date() == date(2013, 12, 31)


HOSTILE = ('=HYPERLINK("http://127.0.0.1:1/x?"&A2,"x")', "=1+2", "@SUM(1,1)", "+1", "-1+2")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        *((text, "'" + text) for text in HOSTILE),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("  =1+2", "'  =1+2"),  # spaces before the sign do not make it text
        ("QCVN 01-1:2018/BYT", "QCVN 01-1:2018/BYT"),
        ("TCVN 5603:2023 = HACCP", "TCVN 5603:2023 = HACCP"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_text_that_could_run_gets_an_apostrophe(text: str, escaped: str) -> None:
    assert csv_value(text) == escaped


def test_csv_numbers_and_dates_stay_as_they_are() -> None:
    assert csv_row([-1, -2.5, 0, None, date(2024, 1, 1)]) == [-1, -2.5, 0, None, date(2024, 1, 1)]


def test_workbook_stores_formula_like_text_as_text() -> None:
    table = Table(
        title="=1+2",
        headers=("@Số hiệu", "Ghi chú", "Số"),
        rows=(
            (HOSTILE[0], HOSTILE[1], -1),
            (HOSTILE[2], [HOSTILE[3], "dòng 2"], -2.5),
            (HOSTILE[4], "#N/A", 3),
            ("QCVN 01-1:2018/BYT", "kim loại nặng", 0),
        ),
    )
    data = workbook([table], ['=HYPERLINK("http://127.0.0.1:1/")'])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {c.coordinate: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert all(c.data_type != "f" for c in cells.values())
    shown = {c.coordinate: (c.value, c.data_type, c.quotePrefix) for c in cells.values()}
    assert shown["A1"] == ('=HYPERLINK("http://127.0.0.1:1/")', "s", True)
    assert shown["A3"] == ("@Số hiệu", "s", True)
    assert shown["A4"] == (HOSTILE[0], "s", True)
    assert shown["B4"] == ("=1+2", "s", True)
    assert shown["C4"] == (-1, "n", False)  # a negative number stays a number
    assert shown["A5"] == ("@SUM(1,1)", "s", True)
    assert shown["B5"] == ("+1\ndòng 2", "s", True)
    assert shown["C5"] == (-2.5, "n", False)
    assert shown["A6"] == ("-1+2", "s", True)
    assert shown["B6"] == ("#N/A", "s", False)  # text, not an error value
    assert shown["A7"] == ("QCVN 01-1:2018/BYT", "s", False)
