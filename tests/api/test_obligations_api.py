"""The to-do list over HTTP (issue 14): its endpoint, the checklists' to-do columns and the
product page, on the API tests' catalog with the bundled obligations table."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from api.services.todo import TODO_COLUMNS, TODO_TITLE

DAY = {"as_of": "2024-01-01"}


def test_obligations_of_a_product(client, catalog):
    body = client.get(f"/api/v1/products/{catalog.orange_id}/obligations", params=DAY).json()
    assert (body["product"], body["as_of"]) == ("cam-sanh-ham-yen", "2024-01-01")
    by_id = {s["id"]: s for s in body["steps"]}
    assert {k: v["documents"] for k, v in by_id.items()} == {
        "test_food_safety": ["QCVN 8-2:2011/BYT"],
        "meet_cited_standard": ["TCVN 7602:2007"],
        "declare_conformity_standard": ["TCVN 1873:2014"],
        "certify_management_system": ["TCVN 5603:2023"],
    }
    test = by_id["test_food_safety"]
    assert (test["status"], test["review"]) == ("if", "verified")
    assert test["basis"].startswith("Nghị định 15/2018/NĐ-CP, Điều 5")
    assert test["source"]["url"].startswith("http://vbpl.vn/")
    # the cited method is binding through the regulation, but the table does not confirm it
    assert by_id["meet_cited_standard"]["status"] == "not_confirmed"
    assert by_id["declare_conformity_standard"]["status"] == "may"
    assert body["documents"][0] == {"code": "QCVN 8-2:2011/BYT", "steps": ["test_food_safety"]}


def test_a_local_regulation_asks_for_a_declaration_not_confirmed(client, catalog):
    body = client.get(f"/api/v1/products/{catalog.tea_id}/obligations", params=DAY).json()
    local = next(s for s in body["steps"] if s["id"] == "declare_conformity_local")
    assert (local["status"], local["documents"]) == ("not_confirmed", ["QCĐP 01:2020/TQ"])


def test_obligations_of_an_unknown_product(client, catalog):
    response = client.get("/api/v1/products/khong-co-san-pham-nay/obligations")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_csv_checklist_ends_with_the_to_do_list(client, catalog):
    body = client.get(f"/api/v1/products/{catalog.orange_id}/checklist.csv", params=DAY)
    lines = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    start = lines.index([TODO_TITLE])
    assert tuple(lines[start + 1]) == TODO_COLUMNS
    todo = lines[start + 2 :]
    assert len(todo) == 4
    test = next(r for r in todo if r[5] == "QCVN 8-2:2011/BYT")
    assert test[0].startswith("Kiểm nghiệm các chỉ tiêu an toàn")
    assert test[3].startswith("Nghị định 15/2018/NĐ-CP")
    assert "ISO/IEC 17025" in test[4]
    cited = next(r for r in todo if r[5] == "TCVN 7602:2007")
    assert cited[1] == "Chưa xác nhận là bắt buộc / Not confirmed as required"
    assert cited[4] == "Cơ quan tiếp nhận chưa xác nhận / not confirmed"


def test_the_workbook_has_a_to_do_sheet(client, catalog):
    body = client.get(f"/api/v1/products/{catalog.orange_id}/checklist.xlsx", params=DAY)
    book = load_workbook(io.BytesIO(body.content))
    assert book.sheetnames == ["Checklist", "Việc cần làm"]
    sheet = book["Việc cần làm"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(rows[1]) == TODO_COLUMNS
    documents = [r[5] for r in rows[2:]]
    assert sorted(documents) == [
        "QCVN 8-2:2011/BYT",
        "TCVN 1873:2014",
        "TCVN 5603:2023",
        "TCVN 7602:2007",
    ]
    unconfirmed = 2 + documents.index("TCVN 7602:2007") + 1
    assert sheet.cell(row=unconfirmed, column=1).fill.fgColor.rgb.endswith("FFE8B0")


def test_the_product_page_lists_the_steps(client, catalog):
    page = client.get("/san-pham/cam-sanh-ham-yen", params={"ngay": "2024-01-01"}).text
    assert 'id="h-todo"' in page and "Việc cần làm (4)" in page
    assert "Nghị định 15/2018/NĐ-CP, Điều 5 khoản 1 điểm b" in page
    assert "Chưa xác nhận là bắt buộc" in page
