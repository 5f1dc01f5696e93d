"""XLSX exports survive text with control characters (scraped titles, pasted notes)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
