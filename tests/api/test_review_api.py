"""Review state and sources through the API: marked in answers, exports and document reads;
the review queue's order; an editor's verdict is audited and reaches the next answer."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from test_api import problem

SOURCE = {
    "title": "Bộ Pháp điển, đề mục 45.1 An toàn thực phẩm",
    "url": "http://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=26964#Dieu_1",
    "locator": "Thông tư 02/2011/TT-BYT, Điều 1",
    "retrieved_on": "2025-06-18",
    "note": "Phạm vi: thực phẩm có nguy cơ ô nhiễm kim loại nặng",
}


def entry(answer: dict, code: str) -> dict:
    return next(e for e in answer["entries"] if e["document"]["code"] == code)


def test_editor_verdicts_are_audited_and_marked_in_the_next_answer_and_exports(client, catalog):
    editor = {"X-API-Key": catalog.keys["editor"]}
    url = f"/api/v1/products/{catalog.tea_id}/applicable?as_of=2024-01-01"
    before = client.get(url).json()
    qcvn = entry(before, "QCVN 8-2:2011/BYT")
    assert qcvn["mandatory"] and qcvn["review_state"] == "unverified"
    assert qcvn["reasons"][0]["review"]["reviewed_by"] is None
    assert before["mandatory_review"] == {"verified": 0, "unverified": 3, "disputed": 0}
    rule_id = qcvn["reasons"][0]["rule_id"]

    reader = {"X-API-Key": catalog.keys["reader"]}
    verdict = {"state": "disputed", "source": SOURCE}
    problem(client.put(f"/api/v1/reviews/rules/{rule_id}", json=verdict, headers=reader), 403)
    nowhere = {"state": "verified", "source": {"title": "Lời kể"}}
    bad = problem(client.put(f"/api/v1/reviews/rules/{rule_id}", json=nowhere, headers=editor), 400)
    assert "locator" in bad["detail"]
    problem(client.put("/api/v1/reviews/rules/999999", json=verdict, headers=editor), 404)

    done = client.put(f"/api/v1/reviews/rules/{rule_id}", json=verdict, headers=editor)
    assert done.status_code == 200, done.text
    assert done.json()["review"]["state"] == "disputed"

    after = client.get(url).json()
    qcvn = entry(after, "QCVN 8-2:2011/BYT")
    assert qcvn["review_state"] == "disputed"
    review = qcvn["reasons"][0]["review"]
    assert review["reviewed_by"].startswith("test editor") and review["confirmed_on"] is None
    assert review["sources"] == [SOURCE]
    assert after["mandatory_review"] == {"verified": 0, "unverified": 2, "disputed": 1}

    verified = {"state": "verified", "source": SOURCE}
    done = client.put("/api/v1/reviews/documents/qcvn 8-2 2011 byt", json=verified, headers=editor)
    assert done.status_code == 200, done.text
    doc = client.get("/api/v1/documents/QCVN 8-2:2011/BYT").json()
    assert doc["review"]["state"] == "verified" and doc["review"]["confirmed_on"] == "2025-06-18"
    assert {a["review_state"] for a in doc["applies_to"]} == {"disputed"}
    assert entry(client.get(url).json(), "QCVN 8-2:2011/BYT")["document"]["review"]["state"] == (
        "verified"
    )

    audit = client.get("/api/v1/admin/audit", headers={"X-API-Key": catalog.keys["admin"]})
    items = audit.json()["items"]
    assert [(a["action"], a["table_name"]) for a in items[:2]] == [
        ("create", "fact_review"),
        ("create", "fact_review"),
    ]
    assert items[1]["before"]["state"] == "unverified"
    assert items[1]["after"]["state"] == "disputed" and items[1]["key"].startswith("test editor")

    text = client.get(
        f"/api/v1/products/{catalog.tea_id}/checklist.csv", params={"as_of": "2024-01-01"}
    ).content.decode("utf-8-sig")
    assert "1 có tranh chấp / disputed" in text
    assert "⚠ Có tranh chấp / Disputed: bắt buộc chưa được xác nhận" in text
    assert "Thông tư 02/2011/TT-BYT, Điều 1" in text and "last confirmed 2025-06-18" in text
    xlsx = client.get(
        f"/api/v1/products/{catalog.tea_id}/checklist.xlsx", params={"as_of": "2024-01-01"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=9)}
    marked = rows["QCVN 8-2:2011/BYT"]
    assert marked[10].value.startswith("⚠ Có tranh chấp") and marked[0].fill.fgColor.rgb.endswith(
        "FFE8B0"
    )
    assert "vbpl.vn" in marked[11].value


def test_review_queue_lists_mandatory_first_then_by_products_reached(client, catalog):
    queue = client.get("/api/v1/reports/review").json()
    items = queue["items"]
    assert queue["total"] == len(items) and all(i["state"] != "verified" for i in items)
    order = [(i["mandatory"], i["products"]) for i in items]
    assert order == sorted(order, key=lambda o: (not o[0], -o[1]))
    first = items[0]
    # The rule naming QCVN 8-2 on all food (three products) comes first; then its document.
    assert (first["subject"], first["document"], first["products"]) == (
        "rule",
        "QCVN 8-2:2011/BYT",
        3,
    )
    assert items[1]["subject"] == "document" and items[1]["document"] == "QCVN 8-2:2011/BYT"
    assert queue["rules"] == {"verified": 0, "unverified": 4, "disputed": 0, "not_reviewed": 4}

    editor = {"X-API-Key": catalog.keys["editor"]}
    verdict = {"state": "verified", "source": {"title": "QCVN 8-2", "locator": "Mục I.2"}}
    client.put(f"/api/v1/reviews/rules/{first['id']}", json=verdict, headers=editor)
    queue = client.get("/api/v1/reports/review").json()
    assert first["id"] not in [i["id"] for i in queue["items"] if i["subject"] == "rule"]
    assert queue["rules"]["verified"] == 1

    xlsx = client.get("/api/v1/reports/review.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["Hàng chờ rà soát"]
    assert [c.value for c in sheet[4]][:3] == ["Loại", "STT", "Quy tắc / văn bản"]
    assert sheet.cell(row=5, column=4).value == "QCVN 8-2:2011/BYT"
