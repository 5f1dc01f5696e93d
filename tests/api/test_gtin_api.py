"""GET /api/v1/gtin/{code} and a barcode typed into /api/v1/search."""

from __future__ import annotations

import pytest

from catalog.models import ProductGtin

ORANGE_GTIN = "8934588063053"  # check digit valid; 893: GS1 Vietnam


@pytest.fixture
def with_gtin(session, catalog):
    session.add(
        ProductGtin(gtin14="0" + ORANGE_GTIN, gtin=ORANGE_GTIN, product_id=catalog.orange_id)
    )
    session.commit()
    return catalog


def test_a_registered_gtin_answers_with_its_product_and_what_applies(client, with_gtin):
    for code in (ORANGE_GTIN, "0" + ORANGE_GTIN):
        response = client.get(f"/api/v1/gtin/{code}", params={"as_of": "2026-03-01"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["registered"] is True
        assert body["product"]["slug"] == "cam-sanh-ham-yen"
        assert (body["prefix"], body["prefix_organisation"], body["prefix_country"]) == (
            "893",
            "GS1 Vietnam",
            "Việt Nam",
        )
        assert body["message"] == (
            f"{body['gtin']} is the {body['kind']} of Cam sành Hàm Yên "
            "(GS1 prefix 893: GS1 Vietnam, Việt Nam)"
        )
        codes = [e["document"]["code"] for e in body["answer"]["entries"]]
        assert "TCVN 1873:2014" in codes and "QCVN 8-2:2011/BYT" in codes


def test_a_valid_gtin_no_product_carries_is_said_plainly(client, with_gtin):
    body = client.get("/api/v1/gtin/4006381333931").json()
    assert body["registered"] is False and body["product"] is None and body["answer"] is None
    assert body["message"] == (
        "4006381333931 is a valid GTIN-13 (GS1 prefix 400: GS1 Germany, Germany), but no "
        "product in the catalog carries it"
    )
    gtin8 = client.get("/api/v1/gtin/96385074").json()
    assert (gtin8["kind"], gtin8["prefix"], gtin8["registered"]) == ("GTIN-8", None, False)
    unnamed = client.get("/api/v1/gtin/8940000000001").json()  # 894: left out of the table
    assert unnamed["prefix_organisation"] is None
    assert "GS1 prefix 894, which the bundled prefix table does not name" in unnamed["message"]


@pytest.mark.parametrize(
    ("code", "detail", "expected"),
    [
        ("8934588063054", "its check digit is 4, but the digits before it call for 3", 3),
        ("89345880630", "it has 11 digits", None),
        ("893458806305X", "it holds 'X'; a GTIN is digits only", None),
        ("12345678901234567890", "it has 20 digits", None),
        ("8 934588 063053", "it holds ' '; a GTIN is digits only", None),  # the path: digits
    ],
)
def test_invalid_gtins_are_400_problems_saying_why(client, catalog, code, detail, expected):
    response = client.get(f"/api/v1/gtin/{code}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == "Invalid GTIN"
    assert detail in problem["detail"]
    assert problem["expected_check_digit"] == expected


def test_the_search_takes_a_scanned_barcode_to_its_product(client, with_gtin):
    body = client.get("/api/v1/search", params={"q": ORANGE_GTIN}).json()
    assert body["total"] == 1 and body["code"] == ORANGE_GTIN
    (hit,) = body["hits"]
    assert (hit["type"], hit["slug"], hit["code_match"]) == ("product", "cam-sanh-ham-yen", True)
    scoped = client.get("/api/v1/search", params={"q": ORANGE_GTIN, "scope": "products"}).json()
    assert scoped["hits"][0]["slug"] == "cam-sanh-ham-yen"


def test_the_gtin_answer_is_the_products_own_with_its_facts(client, with_gtin):
    params = {"as_of": "2026-03-01", "facts": "prepackaged:no"}
    by_gtin = client.get(f"/api/v1/gtin/{ORANGE_GTIN}", params=params).json()["answer"]
    own = client.get("/api/v1/products/cam-sanh-ham-yen/applicable", params=params).json()
    assert by_gtin == own and by_gtin["facts"]["given"] == {"prepackaged": ["no"]}
    bad = client.get(f"/api/v1/gtin/{ORANGE_GTIN}", params={"facts": "prepackaged:maybe"})
    assert bad.status_code == 400
