"""GET /api/v1/applicable/any: a product not in the registry, by HS code and/or category."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from api.services.todo import TODO_TITLE

URL = "/api/v1/applicable/any"


def codes(body) -> list[str]:
    return [e["document"]["code"] for e in body["answer"]["entries"]]


@pytest.mark.parametrize("hs", ["0805.50", "080550", "0805.50.10", "08055010"])
def test_by_hs_code_with_and_without_dots(client, hs):
    response = client.get(URL, params={"hs": hs, "as_of": "2026-03-01"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["hs"] == ("0805.50" if len(hs.replace(".", "")) == 6 else "0805.50.10")
    assert body["hs_level"] == ("subheading" if len(hs.replace(".", "")) == 6 else "tariff line")
    (fruit,) = body["categories"]
    assert (fruit["slug"], fruit["by_hs"], fruit["hs_code"], fruit["given"]) == (
        "trai-cay",
        "shared",
        "0805",
        False,
    )
    assert [p["name_vi"] for p in fruit["products"]] == ["Bưởi Soi Hà", "Cam sành Hàm Yên"]
    assert codes(body) == [
        "QCVN 8-2:2011/BYT",
        "TCVN 7602:2007",
        "TCVN 1873:2014",
        "TCVN 5603:2023",
    ]
    product = body["answer"]["product"]
    assert (product["id"], product["kind"]) == (0, "unregistered")


def test_by_heading_reaches_the_registered_products_under_it(client):
    body = client.get(URL, params={"hs": "0902", "as_of": "2026-03-01"}).json()
    (tea,) = body["categories"]
    assert (tea["slug"], tea["by_hs"]) == ("che", "under")
    assert tea["why"] == "registered products under HS 0902: Chè Shan tuyết Na Hang (0902.10)"
    # the local regulation counts only where the product is made, which is not described
    (local,) = body["answer"]["out_of_scope"]
    assert local["document"]["code"] == "QCĐP 01:2020/TQ"
    assert local["notes"] == ["local regulation, and the product's locality is not recorded"]


def test_by_category_alone_and_with_a_code(client):
    alone = client.get(URL, params={"category": "trai-cay", "as_of": "2026-03-01"}).json()
    assert alone["category"] == "trai-cay" and alone["hs"] is None
    assert codes(alone) == ["QCVN 8-2:2011/BYT", "TCVN 7602:2007", "TCVN 5603:2023"]
    by_name = client.get(URL, params={"category": "Trai cay", "as_of": "2026-03-01"}).json()
    assert by_name == alone
    both = client.get(
        URL, params={"category": "trai-cay", "hs": "0805", "as_of": "2026-03-01"}
    ).json()
    (fruit,) = both["categories"]
    assert (fruit["given"], fruit["by_hs"]) == (True, "under")
    assert "TCVN 1873:2014" in codes(both)


@pytest.mark.parametrize(
    ("params", "title", "detail"),
    [
        ({}, "Product not described", "by an HS code (hs=0902.30), a category"),
        ({"hs": " "}, "Invalid HS code", "it holds ' '"),
        ({"hs": "", "category": "trai-cay"}, "Invalid HS code", "it is empty"),
        ({"hs": "09.02"}, "Invalid HS code", "its dots are misplaced"),
        ({"hs": "09023"}, "Invalid HS code", "it has 5 digits"),
        ({"hs": "chè"}, "Invalid HS code", "an HS code is digits"),
        ({"category": "dien-thoai"}, "Unknown category", "no category matches 'dien-thoai'"),
        ({"hs": "0902", "category": "xx"}, "Unknown category", "no category matches 'xx'"),
    ],
)
def test_bad_descriptions_are_400_problems_saying_why(client, params, title, detail):
    response = client.get(URL, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == title
    assert detail in problem["detail"]


def test_the_checklist_downloads(client):
    params = {"hs": "0805.50", "category": "trai-cay", "as_of": "2026-03-01"}
    csv = client.get(URL + "/checklist.csv", params=params)
    assert csv.status_code == 200
    assert csv.headers["content-disposition"] == (
        'attachment; filename="checklist-hs-080550-trai-cay-2026-03-01.csv"'
    )
    text = csv.content.decode("utf-8-sig")
    assert "Sản phẩm chưa đăng ký: HS 0805.50, Trái cây" in text
    assert "TCVN 1873:2014" in text
    assert TODO_TITLE in text  # the checklist ends with the to-do list, as a product's does
    xlsx = client.get(URL + "/checklist.xlsx", params=params)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["Checklist", "Việc cần làm"]
    assert client.get(URL + "/checklist.csv", params={"hs": "1"}).status_code == 400


@pytest.fixture
def packaging_rule(session, catalog):
    """A rule on fruit that only a question about packaging settles."""
    from factories import CatalogBuilder
    from sqlmodel import select

    from catalog.models import ProductCategory
    from catalog.vocab import Role

    cat = CatalogBuilder(session)
    fruit = session.exec(select(ProductCategory).where(ProductCategory.slug == "trai-cay")).one()
    cat.rule(
        fruit,
        cat.doc("QCVN 12-1:2011/BYT"),
        Role.MANDATORY_REGULATION,
        condition="Nếu đóng gói bằng bao bì nhựa",
        typed_condition="packaging=plastic",
    )
    session.commit()
    return catalog


def test_facts_settle_the_answer_and_its_checklist(client, packaging_rule):
    params = {"hs": "0805.50", "as_of": "2026-03-01"}
    asked = client.get(URL, params=params).json()["answer"]
    entry = next(e for e in asked["entries"] if e["document"]["code"] == "QCVN 12-1:2011/BYT")
    assert entry["facts"] == {
        "verdict": "depends_on",
        "questions": ["packaging"],
        "ruled_out_by": [],
    }
    assert [q["fact"] for q in asked["facts"]["questions"]] == ["packaging"]
    glass = client.get(URL, params={**params, "facts": "packaging:glass"}).json()["answer"]
    entry = next(e for e in glass["entries"] if e["document"]["code"] == "QCVN 12-1:2011/BYT")
    assert entry["facts"]["verdict"] == "does_not_apply"
    assert glass["facts"]["given"] == {"packaging": ["glass"]}
    csv = client.get(URL + "/checklist.csv", params={**params, "facts": "packaging:glass"})
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "QCVN 12-1:2011/BYT" in text  # listed apart, as ruled out, with the condition
    bad = client.get(URL, params={**params, "facts": "packaging:paper-ish"})
    assert bad.status_code == 400 and "facts" in bad.json()["detail"]
