"""The API end to end: real database, real Meilisearch, the app in process."""

from __future__ import annotations

import io

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.services.encoded_answers import ANSWERS_HELD_MB
from catalog import clock
from search.query import SearchService

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_health_is_trivial_and_not_cached(client):
    response = client.get("/health")
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_ready_checks_database_and_meilisearch(search_client, engine, search_settings):
    assert search_client.get("/ready").json() == {
        "status": "ready",
        "database": "ok",
        "search": "ok",
        "answers": {
            "held": 0,
            "served_held": 0,
            "computed": 0,
            "every_day": False,
            "bytes": 0,
            "budget": ANSWERS_HELD_MB * 2**20,
            "evicted": 0,
            "full": False,
        },
        "responses": {"held": 0, "bytes": 0, "hits": 0},
        "jobs": [],  # no worker has run against this database
    }
    dead = SearchService("http://127.0.0.1:9", None, search_settings.index_prefix)
    with TestClient(create_app(search_settings, engine=engine, search=dead)) as other:
        response = other.get("/ready")
    assert response.status_code == 503
    assert response.json()["search"] == "unavailable"  # without the server's address


def test_products_list_text_filters_and_pages(client, catalog):
    found = client.get("/api/v1/products", params={"q": "cam sanh"}).json()
    assert [p["name_vi"] for p in found["items"]] == ["Cam sành Hàm Yên"]
    by_alias = client.get("/api/v1/products", params={"q": "Cam Hàm Yên"}).json()
    assert by_alias["total"] == 1
    in_food = client.get("/api/v1/products", params={"category": "thuc-pham", "limit": 2}).json()
    assert (in_food["total"], len(in_food["items"])) == (3, 2)
    assert [p["name_vi"] for p in in_food["items"]] == ["Bưởi Soi Hà", "Cam sành Hàm Yên"]
    assert (
        client.get("/api/v1/products", params={"ocop_stars": 4}).json()["items"][0]["slug"]
        == "che-shan-tuyet-na-hang"
    )
    in_na_hang = client.get("/api/v1/products", params={"locality": "district-na-hang"}).json()
    assert in_na_hang["total"] == 1
    assert client.get("/api/v1/products", params={"kind": "ocop"}).json()["total"] == 1


def test_product_detail_and_unknown_product(client, catalog):
    detail = client.get(f"/api/v1/products/{catalog.orange_id}").json()
    assert detail["category_path"] == ["Thực phẩm", "Trái cây"]
    assert (detail["hs_codes"], detail["aliases"]) == (["080510"], ["Cam Hàm Yên"])
    assert client.get("/api/v1/products/cam-sanh-ham-yen").json()["id"] == catalog.orange_id
    body = problem(client.get("/api/v1/products/cam-sanh-na-hang"), 404)
    assert [s["name"] for s in body["suggestions"]][:1] == ["Cam sành Hàm Yên"]


def test_applicable_answers_with_reasons_dates_and_filters(client, catalog):
    url = f"/api/v1/products/{catalog.orange_id}/applicable"
    now = client.get(url, params={"as_of": "2024-01-01"}).json()
    codes = [e["document"]["code"] for e in now["entries"]]
    assert codes == ["QCVN 8-2:2011/BYT", "TCVN 7602:2007", "TCVN 1873:2014", "TCVN 5603:2023"]
    orange = now["entries"][2]
    assert orange["reasons"][0]["cited_edition"] == "TCVN 1873:2007"
    assert orange["reasons"][0]["condition"] == "quả tươi"
    assert now["entries"][1]["mandatory"] is True
    assert now["entries"][1]["reasons"][0]["text"] == "cited as mandatory by QCVN 8-2:2011/BYT"
    then = client.get(url, params={"as_of": "2011-06-01"}).json()
    assert [e["document"]["code"] for e in then["entries"]] == ["TCVN 1873:2007", "TCVN 5603:2008"]
    assert [e["document"]["code"] for e in then["upcoming"]] == [
        "QCVN 8-2:2011/BYT",
        "TCVN 5603:2023",
    ]
    mandatory = client.get(url, params={"as_of": "2024-01-01", "mandatory_only": True}).json()
    assert len(mandatory["entries"]) == 2
    by_role = client.get(url, params={"as_of": "2024-01-01", "role": "product_standard"}).json()
    assert [e["document"]["code"] for e in by_role["entries"]] == ["TCVN 1873:2014"]
    body = problem(client.get(url, params={"as_of": "2024-13-01"}), 400)
    assert body["errors"][0]["field"] == "as_of" and "as_of" in body["detail"]
    assert problem(client.get(url, params={"role": "boss"}), 400)["errors"][0]["field"] == "role"


def test_local_regulation_applies_only_in_the_province(client, catalog):
    tea = client.get(f"/api/v1/products/{catalog.tea_id}/applicable").json()
    assert "QCĐP 01:2020/TQ" in [e["document"]["code"] for e in tea["entries"]]


def test_get_responses_carry_etag_cache_control_and_gzip(client, catalog):
    url = f"/api/v1/products/{catalog.orange_id}/applicable?as_of=2024-01-01"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    raw = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert raw.json() == first.json()
    assert raw.headers["etag"] != etag  # each encoding has its own tag
    plain = {"Accept-Encoding": "identity", "If-None-Match": raw.headers["etag"]}
    assert client.get(url, headers=plain).status_code == 304
    next_day = client.get(url.replace("2024-01-01", "2024-01-02"), headers=plain)
    assert next_day.status_code == 200 and next_day.headers["etag"] != raw.headers["etag"]
    preflight = client.options(
        url,
        headers={"Origin": "https://tuyenquang.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["access-control-allow-origin"] == "https://tuyenquang.example"


def test_applicable_by_free_text_resolves_through_search(search_client, catalog):
    client = search_client
    exact = client.get("/api/v1/applicable", params={"product": "cam sanh ham yen"}).json()
    assert exact["resolved_by"] == "search"
    assert exact["answer"]["product"]["id"] == catalog.orange_id
    ambiguous = client.get("/api/v1/applicable", params={"product": "Soi Hà Hàm Yên"}).json()
    if ambiguous["answer"] is None:
        assert len(ambiguous["candidates"]) >= 2
    problem(client.get("/api/v1/applicable", params={"product": "xyzzy"}), 404)
    problem(client.get("/api/v1/applicable"), 400)


def test_applicable_by_text_falls_back_to_the_database(engine, search_settings, catalog):
    dead = SearchService("http://127.0.0.1:9", None, search_settings.index_prefix)
    with TestClient(create_app(search_settings, engine=engine, search=dead)) as other:
        answer = other.get("/api/v1/applicable", params={"product": "Cam Hàm Yên"}).json()
        assert answer["resolved_by"] == "database"
        assert answer["answer"]["product"]["id"] == catalog.orange_id
        down = problem(other.get("/api/v1/search", params={"q": "cam"}), 503)
        assert "127.0.0.1" not in str(down) and down["title"] == "Search unavailable"


def test_checklists_in_csv_and_xlsx(client, catalog):
    base = f"/api/v1/products/{catalog.orange_id}/checklist"
    csv = client.get(f"{base}.csv", params={"as_of": "2024-01-01"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert "checklist-cam-sanh-ham-yen-2024-01-01.csv" in csv.headers["content-disposition"]
    text = csv.content.decode("utf-8-sig")
    assert "Cam sành Hàm Yên" in text and "2024-01-01" in text
    assert "TCVN 1873:2014" in text and "HS 0805 prefix" in text
    xlsx = client.get(f"{base}.xlsx", params={"as_of": "2024-01-01"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][:2] == ["Sản phẩm / Product", "Cam sành Hàm Yên"]
    assert [row[0] for row in values[8:]] == [
        "QCVN 8-2:2011/BYT",
        "TCVN 7602:2007",
        "TCVN 1873:2014",
        "TCVN 5603:2023",
    ]


@pytest.mark.parametrize(
    "spelling",
    ["QCVN 8-2:2011/BYT", "qcvn 8-2 : 2011 / byt", "qcvn-8-2-2011-byt", "QCVN 08-2:2011/BYT"],
)
def test_documents_by_any_spelling(client, catalog, spelling):
    detail = client.get(f"/api/v1/documents/{spelling}").json()
    assert detail["code"] == "QCVN 8-2:2011/BYT"
    assert [c["code"] for c in detail["cites"]] == ["TCVN 7602:2007"]
    assert {a["name_vi"] for a in detail["applies_to"]} == {
        "Cam sành Hàm Yên",
        "Bưởi Soi Hà",
        "Chè Shan tuyết Na Hang",
    }


def test_document_editions_and_unknown_code(client, catalog):
    detail = client.get("/api/v1/documents/TCVN 1873:2007").json()
    assert [e["code"] for e in detail["editions"]] == ["TCVN 1873:2007", "TCVN 1873:2014"]
    assert detail["replaced_by"][0]["code"] == "TCVN 1873:2014"
    assert detail["replaced_by"][0]["effective_on"] == "2014-06-01"
    assert [a["via"] for a in detail["applies_to"]] == ["HS 0805", "HS 0805"]
    method = client.get("/api/v1/documents/tcvn7602:2007").json()
    assert method["cited_by"][0]["relation"] == "cites_mandatory"
    body = problem(client.get("/api/v1/documents/TCVN 1873:1999"), 404)
    assert [s["code"] for s in body["suggestions"]] == ["TCVN 1873:2007", "TCVN 1873:2014"]


def test_search_with_facets(search_client, catalog):
    client = search_client
    body = client.get("/api/v1/search", params={"q": "cam"}).json()
    assert any(h["type"] == "product" and h["slug"] == "cam-sanh-ham-yen" for h in body["hits"])
    code = client.get("/api/v1/search", params={"q": "TCVN 1873", "scope": "documents"}).json()
    assert [h["code"] for h in code["hits"]][:2] == ["TCVN 1873:2014", "TCVN 1873:2007"]
    filtered = client.get(
        "/api/v1/search", params={"q": "", "scope": "documents", "doc_type": "qcvn"}
    ).json()
    assert [h["code"] for h in filtered["hits"]] == ["QCVN 8-2:2011/BYT"]
    assert "doc_type" in filtered["facets"]
    problem(client.get("/api/v1/search", params={"q": "x", "limit": 0}), 400)


def test_categories_and_issuers(client, catalog):
    tree = client.get("/api/v1/categories").json()
    assert [(n["name_vi"], [c["name_vi"] for c in n["children"]]) for n in tree] == [
        ("Thực phẩm", ["Chè", "Trái cây"])
    ]
    issuers = client.get("/api/v1/issuers").json()
    assert [(i["code"], i["locality"], i["documents"]) for i in issuers] == [
        ("UBND-TQ", "Tuyên Quang", 1)
    ]


def test_writes_need_a_key_with_the_role_and_are_audited(client, catalog):
    new = {
        "name_vi": "Mật ong Hương rừng",
        "kind": "ocop",
        "category": "thuc-pham",
        "ocop_stars": 4,
    }
    problem(client.post("/api/v1/products", json=new), 401)
    problem(client.post("/api/v1/products", json=new, headers={"X-API-Key": "tq_nope"}), 401)
    reader = {"X-API-Key": catalog.keys["reader"]}
    problem(client.post("/api/v1/products", json=new, headers=reader), 403)
    editor = {"X-API-Key": catalog.keys["editor"]}
    created = client.post("/api/v1/products", json=new, headers=editor)
    assert created.status_code == 201, created.text
    honey = created.json()
    assert honey["slug"] == "mat-ong-huong-rung" and honey["ocop_stars"] == 4
    problem(client.post("/api/v1/products", json=new, headers=editor), 409)
    bad = problem(client.post("/api/v1/products", json={"kind": "ocop"}, headers=editor), 400)
    assert "name_vi" in bad["detail"]
    changed = client.patch(
        f"/api/v1/products/{honey['id']}", json={"hs_codes": ["040900"]}, headers=editor
    )
    assert changed.json()["hs_codes"] == ["040900"]

    url = f"/api/v1/products/{honey['id']}/applicable?as_of=2024-01-01"
    before = [e["document"]["code"] for e in client.get(url).json()["entries"]]
    rule = client.post(
        "/api/v1/rules",
        json={
            "subject_kind": "hs_prefix",
            "subject": "0409",
            "document": "tcvn 7602 2007",
            "role": "test_method",
        },
        headers=editor,
    )
    assert rule.status_code == 201, rule.text
    after = [e["document"]["code"] for e in client.get(url).json()["entries"]]
    assert after == before  # TCVN 7602 was already there, made mandatory by QCVN 8-2
    rule_id = rule.json()["id"]
    client.patch(f"/api/v1/rules/{rule_id}", json={"role": "labelling"}, headers=editor)
    roles = {e["document"]["code"]: e["roles"] for e in client.get(url).json()["entries"]}
    assert roles["TCVN 7602:2007"] == ["mandatory_regulation", "labelling"]
    assert client.delete(f"/api/v1/rules/{rule_id}", headers=editor).status_code == 204

    problem(client.get("/api/v1/admin/audit", headers=editor), 403)
    audit = client.get("/api/v1/admin/audit", headers={"X-API-Key": catalog.keys["admin"]}).json()
    actions = [(a["action"], a["table_name"]) for a in audit["items"]]
    assert actions == [
        ("delete", "applicability_rule"),
        ("update", "applicability_rule"),
        ("create", "applicability_rule"),
        ("update", "product"),
        ("create", "product"),
    ]
    update = audit["items"][3]
    assert (update["before"]["hs_codes"], update["after"]["hs_codes"]) == ([], ["040900"])
    assert update["key"].startswith("test editor")


def test_draft_local_regulation_goes_from_upcoming_to_in_force(client, catalog):
    editor = {"X-API-Key": catalog.keys["editor"]}
    draft = client.post(
        "/api/v1/drafts",
        json={"code": "QCDP 02:2026/TQ", "title_vi": "Cam sành", "issuer": "UBND-TQ"},
        headers=editor,
    )
    assert draft.status_code == 201, draft.text
    assert (draft.json()["code"], draft.json()["status"]) == ("QCĐP 02:2026/TQ", "draft")
    client.post(
        "/api/v1/rules",
        json={
            "subject_kind": "product",
            "subject": "cam-sanh-ham-yen",
            "document": "QCĐP 02:2026/TQ",
            "role": "mandatory_regulation",
        },
        headers=editor,
    )
    url = f"/api/v1/products/{catalog.orange_id}/applicable"
    upcoming = client.get(url).json()["upcoming"]
    assert [(e["document"]["code"], e["notes"]) for e in upcoming] == [
        ("QCĐP 02:2026/TQ", ["draft, not yet issued"])
    ]
    client.patch(
        "/api/v1/drafts/qcdp-02-2026-tq",
        json={"status": "in_force", "effective_from": "2026-01-01"},
        headers=editor,
    )
    entries = client.get(url, params={"as_of": "2026-06-01"}).json()["entries"]
    assert [e["document"]["code"] for e in entries][:2] == ["QCVN 8-2:2011/BYT", "QCĐP 02:2026/TQ"]
    not_local = client.post(
        "/api/v1/drafts",
        json={"code": "TCVN 1:2026", "title_vi": "x", "issuer": "UBND-TQ"},
        headers=editor,
    )
    assert "QCĐP" in problem(not_local, 400)["detail"]


def test_unknown_route_and_method_are_problems(client):
    problem(client.get("/api/v1/nothing-here"), 404)
    problem(client.put("/api/v1/categories"), 405)


def test_answer_defaults_to_today(client, catalog):
    answer = client.get(f"/api/v1/products/{catalog.orange_id}/applicable").json()
    assert answer["as_of"] == clock.today().isoformat()
