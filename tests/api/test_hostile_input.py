"""Malformed input gets a 4xx problem (a page for people), never a 500: references that are
not ids (``²`` passes ``str.isdigit``), ids beyond any database integer, JSON nested past the
decoder's depth, bodies that are not UTF-8, bodies over the size limit."""

from __future__ import annotations

import pytest
from test_api import problem

HUGE_ID = "99999999999999999999"
SUPERSCRIPT_TWO = "²"
# Endpoints that take a JSON body; draft-impact needs no key at all.
BODY_ENDPOINTS = [
    "/api/v1/reports/draft-impact",
    "/api/v1/watchlists",
    "/api/v1/products",
    "/api/v1/rules",
    "/api/v1/drafts",
]


@pytest.mark.parametrize("ref", [HUGE_ID, SUPERSCRIPT_TWO, "-" + HUGE_ID, "9223372036854775808"])
def test_product_refs_that_are_not_ids_are_unknown_products(client, catalog, ref):
    for path in ("", "/applicable", "/checklist.csv", "/checklist.xlsx"):
        body = problem(client.get(f"/api/v1/products/{ref}{path}"), 404)
        assert body["title"] == "Unknown product"
    page = client.get(f"/san-pham/{ref}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert problem(client.get("/api/v1/applicable", params={"product": ref}), 404)


def test_watch_list_with_refs_that_are_not_ids_is_refused(client, catalog):
    answer = client.post(
        "/api/v1/watchlists",
        json={"name": "Theo dõi", "products": [HUGE_ID, SUPERSCRIPT_TWO]},
        headers={"X-API-Key": catalog.keys["reader"]},
    )
    detail = problem(answer, 400)["detail"]
    assert HUGE_ID in detail and SUPERSCRIPT_TWO in detail


def test_out_of_range_ids_in_paths_and_queries_are_400(client, catalog):
    editor = {"X-API-Key": catalog.keys["admin"]}
    problem(client.get(f"/api/v1/rules/{HUGE_ID}", headers=editor), 400)
    problem(client.get("/api/v1/products", params={"offset": HUGE_ID}), 400)
    problem(client.get("/api/v1/admin/audit", params={"limit": HUGE_ID}, headers=editor), 400)


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
@pytest.mark.parametrize(
    "body, why",
    [
        (b"[" * 100_000 + b"]" * 100_000, "too deeply"),
        (b'{"scope":' + b"[" * 5_000 + b"]" * 5_000 + b"}", "too deeply"),
        (b'{"name": "\xff\xfe"}', "not UTF-8"),
        (b'{"name": "Cam', "not JSON"),
    ],
    ids=["nested-arrays", "nested-in-object", "not-utf8", "truncated"],
)
def test_unreadable_json_bodies_are_400(client, catalog, path, body, why):
    headers = {"X-API-Key": catalog.keys["admin"], "Content-Type": "application/json"}
    answer = problem(client.post(path, content=body, headers=headers), 400)
    assert why in answer["detail"] or why in answer["title"]


def test_oversized_body_is_413(client, catalog):
    body = b'{"name": "' + b"a" * 10_000_001 + b'"}'
    answer = client.post("/api/v1/reports/draft-impact", content=body)
    assert "10 MB" in problem(answer, 413)["detail"]
