"""The reports API end to end: JSON, XLSX and an Atom feed that validates."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from factories import CatalogBuilder
from litestar.testing import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from api.webhooks.addresses import AddressPolicy
from catalog.models import WebhookDelivery
from catalog.vocab import ApiRole

from .feeds import T1, T3, build_catalog, fake_dns, record_history

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SINCE = "2026-01-01T00:00:00Z"


@pytest.fixture
def client(session, engine):
    cat, history = build_catalog(session)
    record_history(session, cat, history)
    settings = ApiSettings(
        database_url=str(engine.url),
        rate_limit_per_minute=None,
        webhook_addresses=AddressPolicy(resolve=fake_dns({"hooks.example.org": ["93.184.215.14"]})),
    )
    with TestClient(create_app(settings, engine=engine)) as client:
        client.keys = {r.value: issue_key(session, f"t {r}", r).key for r in ApiRole}
        yield client


def assert_valid_atom(body: bytes) -> ET.Element:
    """Well-formed, Atom namespace, id/title/updated on the feed and every entry, RFC 3339."""
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            child = element.find(f"{ATOM}{name}")
            assert child is not None and child.text, f"{element.tag} lacks {name}"
        updated = element.find(f"{ATOM}updated").text
        assert RFC3339.match(updated), updated
        datetime.fromisoformat(updated.replace("Z", "+00:00"))
        assert element.find(f"{ATOM}id").text.startswith("tag:")
    assert feed.find(f"{ATOM}author/{ATOM}name").text  # entries have no author of their own
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    return feed


def test_changes_as_json(client):
    response = client.get("/api/v1/changes", params={"since": SINCE})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert [(c["kind"], c["document"]["code"]) for c in data["changes"]] == [
        ("withdrawn", "TCVN 9999:2000"),
        ("updated", "QCVN 8-2:2011/BYT"),
        ("added", "TCVN 5603:2023"),
        ("superseded", "TCVN 5603:2008"),
    ]
    assert [p["name_vi"] for p in data["changes"][0]["products"]] == ["Cam sành Hàm Yên"]


def test_changes_as_atom(client):
    response = client.get("/api/v1/changes.atom", params={"since": SINCE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = assert_valid_atom(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Hết hiệu lực: TCVN 9999:2000",
        "Cập nhật: QCVN 8-2:2011/BYT",
        "Bổ sung: TCVN 5603:2023 (thay thế TCVN 5603:2008)",
        "Bị thay thế: TCVN 5603:2008 → TCVN 5603:2023",
    ]
    assert feed.find(f"{ATOM}updated").text == T3.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert entries[-1].find(f"{ATOM}updated").text == T1.strftime("%Y-%m-%dT%H:%M:%SZ")
    terms = [c.get("term") for c in entries[0].findall(f"{ATOM}category")]
    assert terms == ["withdrawn", "product:cam-sanh-ham-yen"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/api/v1/documents/tcvn-9999-2000")


def test_empty_feed_is_still_valid_atom(client):
    response = client.get("/api/v1/changes.atom", params={"since": "2030-01-01T00:00:00Z"})
    assert assert_valid_atom(response.content).findall(f"{ATOM}entry") == []


def test_changes_as_a_workbook(client):
    response = client.get("/api/v1/changes.xlsx", params={"since": SINCE})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        "TCVN 9999:2000",
        "QCVN 8-2:2011/BYT",
        "TCVN 5603:2023",
        "TCVN 5603:2008",
    ]


def test_watch_list_feed_and_webhook(client):
    body = {"name": "HTX Cam sành", "products": ["Cam sành Hàm Yên"]}
    refused = client.post("/api/v1/watchlists", json=body)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    created = client.post(
        "/api/v1/watchlists", json=body, headers={"X-API-Key": client.keys["reader"]}
    )
    assert created.status_code == 201, created.text
    watch = created.json()
    assert [p["name_vi"] for p in watch["covered"]] == ["Cam sành Hàm Yên"]
    token = watch["token"]
    feed = client.get(f"/api/v1/watchlists/{token}/changes.atom", params={"since": SINCE})
    entries = assert_valid_atom(feed.content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Hết hiệu lực: TCVN 9999:2000",
        "Cập nhật: QCVN 8-2:2011/BYT",
    ]
    hook = client.post(
        f"/api/v1/watchlists/{token}/webhooks",
        json={"url": "https://hooks.example.org/tieuchuan"},
        headers={"X-API-Key": client.keys["reader"]},
    )
    assert hook.status_code == 201
    assert hook.json()["signature_header"] == "X-Tieuchuan-Signature"
    assert len(hook.json()["secret"]) == 64
    assert client.get(f"/api/v1/watchlists/{token}/deliveries").json() == []
    for url, why in [
        ("http://127.0.0.1:8399/leak", "port 8399 is not allowed"),
        ("http://2130706433/x", "resolves to 127.0.0.1, which is a loopback address"),
        ("http://[::ffff:127.0.0.1]/x", "embedded as IPv4-mapped"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://user:pw@hooks.example.org/x", "user name or password"),
    ]:
        refused = client.post(
            f"/api/v1/watchlists/{token}/webhooks",
            json={"url": url},
            headers={"X-API-Key": client.keys["reader"]},
        )
        assert refused.status_code == 400, url
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert why in refused.json()["detail"], refused.json()
    bad = client.post(
        "/api/v1/watchlists",
        json={"name": "x", "products": ["không có sản phẩm này"]},
        headers={"X-API-Key": client.keys["reader"]},
    )
    assert bad.status_code == 400
    assert "no product matches" in bad.json()["detail"]
    assert client.get("/api/v1/watchlists/unknown-token/changes").status_code == 404


def test_gap_report_endpoints(client):
    data = client.get("/api/v1/reports/gaps", params={"as_of": "2026-03-01"}).json()
    assert data["headline"]["products_examined"] == 2
    gaps = {p["product"]["name_vi"]: p["gaps"] for p in data["report"]["product_gaps"]}
    assert gaps == {
        "Cam sành Hàm Yên": ["no_product_standard", "no_test_method"],
        "Chè xanh Ngọc Thuý": ["no_product_standard", "no_test_method"],
    }
    assert [(s["cited"], s["in_force"]) for s in data["report"]["stale"]] == [
        ("TCVN 5603:2008", "TCVN 5603:2023"),
        ("TCVN 9999:2000", None),
    ]
    xlsx = client.get("/api/v1/reports/gaps.xlsx", params={"as_of": "2026-03-01"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Thiếu văn bản"


def test_draft_impact_endpoint(client):
    draft = {
        "code": "QCĐP 01:2026/TQ",
        "scope": [{"kind": "category", "subject": "che", "role": "mandatory_regulation"}],
        "citations": ["TCVN 5603:2008", "QCVN 8-2:2011/BYT", "TCVN 1:1900"],
    }
    response = client.post("/api/v1/reports/draft-impact?as_of=2026-03-01", json=draft)
    assert response.status_code == 200, response.text
    data = response.json()
    products = data["impact"]["products"]
    assert [p["product"]["name_vi"] for p in products] == ["Chè xanh Ngọc Thuý"]
    assert [(e["code"], e["same_role"]) for e in products[0]["existing"]] == [
        ("QCVN 8-2:2011/BYT", True),
        ("TCVN 5603:2023", False),
    ]
    assert [(c["code"], c["standing"], c["in_force"]) for c in data["impact"]["citations"]] == [
        ("TCVN 5603:2008", "superseded", "TCVN 5603:2023"),
        ("QCVN 8-2:2011/BYT", "in_force", None),
        ("TCVN 1:1900", "not_in_catalog", None),
    ]
    assert (data["duplicated_products"], data["problem_citations"]) == (1, 2)
    invalid = client.post("/api/v1/reports/draft-impact", json={"scope": []})
    assert invalid.status_code == 400


def test_declarations_and_indicators(client):
    body = {
        "kind": "self_declaration",
        "enterprise": "Hợp tác xã dịch vụ sản xuất nông nghiệp Sử Anh",
        "declared_on": "2024-08-06",
        "document": "TCVN 5603:2023",
        "product": "Chè xanh Ngọc Thuý",
        "number": "01/SA/2024",
        "program_supported": True,
    }
    assert client.post("/api/v1/declarations", json=body).status_code == 401
    reader = client.post(
        "/api/v1/declarations", json=body, headers={"X-API-Key": client.keys["reader"]}
    )
    assert reader.status_code == 403
    created = client.post(
        "/api/v1/declarations", json=body, headers={"X-API-Key": client.keys["editor"]}
    )
    assert created.status_code == 201, created.text
    record = created.json()["declarations"][0]
    assert (record["product_slug"], record["scheme"]) == ("che-xanh-ngoc-thuy", "haccp")
    listed = client.get("/api/v1/declarations", params={"enterprise": "su anh"}).json()
    assert listed["count"] == 1
    bad = client.post(
        "/api/v1/declarations",
        json=body | {"kind": "conformity_regulation", "number": "02"},
        headers={"X-API-Key": client.keys["editor"]},
    )
    assert bad.status_code == 400
    assert "hợp quy" in bad.json()["detail"]
    data = client.get("/api/v1/reports/indicators", params={"as_of": "2025-06-30"}).json()
    series = {s["key"]: s for s in data["indicators"]["series"]}
    # a declaration marked as supported is not a support record: the plan counts its records
    assert [p["value"] for p in series["enterprises_supported"]["points"]] == [0, 0, 0, 0, 0]
    assert series["enterprises_supported"]["target"]["value"] == 30
    assert [p["value"] for p in series["scheme:haccp"]["points"]] == [0, 0, 0, 1, 1]
    xlsx = client.get("/api/v1/reports/indicators.xlsx", params={"as_of": "2025-06-30"})
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Chỉ số", "Mục tiêu kế hoạch"]


def test_delivery_log_never_shows_reply_text(client, session):
    """Rows logged before the log kept only classes still held the receiver's reply."""
    created = client.post(
        "/api/v1/watchlists",
        json={"name": "HTX", "products": ["Cam sành Hàm Yên"]},
        headers={"X-API-Key": client.keys["reader"]},
    ).json()
    hook = client.post(
        f"/api/v1/watchlists/{created['token']}/webhooks",
        json={"url": "https://hooks.example.org/tieuchuan"},
        headers={"X-API-Key": client.keys["reader"]},
    ).json()
    old_rows = [
        (403, 'HTTP 403: {"internal":"INTERNAL-ONLY admin panel; db_password=hunter2"}'),
        (401, 'HTTP 401: {"message":"The Authorization header is missing"}'),
        (None, "ConnectError: [Errno 111] Connection refused"),
        (500, "HTTP 500"),
    ]
    for attempt, (status, error) in enumerate(old_rows, start=1):
        session.add(
            WebhookDelivery(
                webhook_id=hook["id"],
                delivery_id="d1",
                attempt=attempt,
                entries=1,
                status_code=status,
                error=error,
            )
        )
    session.commit()
    log = client.get(f"/api/v1/watchlists/{created['token']}/deliveries")
    assert [r["error"] for r in log.json()] == [
        "HTTP 500",
        "connection refused",
        "HTTP 401",
        "HTTP 403",
    ]
    assert "hunter2" not in log.text and "Authorization" not in log.text


@pytest.fixture
def around_midnight(session) -> None:
    """Two documents added a minute apart around midnight of 1 November 2026 in Hanoi."""
    cat = CatalogBuilder(session)
    before = cat.doc("TCVN 13001:2026", title="Trước nửa đêm")
    before.created_at = datetime(2026, 10, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31/10 in Hanoi
    after = cat.doc("TCVN 13002:2026", title="Sau nửa đêm")
    after.created_at = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1/11 in Hanoi
    session.commit()


def test_changes_since_a_plain_date_start_at_midnight_in_vietnam(client, around_midnight):
    response = client.get("/api/v1/changes", params={"since": "2026-11-01"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["since"] == "2026-11-01T00:00:00+07:00"
    assert [c["document"]["code"] for c in data["changes"]] == ["TCVN 13002:2026"]
    assert data["changes"][0]["at"] == "2026-10-31T17:00:00Z"  # machine time: RFC 3339
    without_offset = client.get("/api/v1/changes", params={"since": "2026-10-31T23:59"}).json()
    assert [c["document"]["code"] for c in without_offset["changes"]] == [
        "TCVN 13002:2026",
        "TCVN 13001:2026",
    ]
    refused = client.get("/api/v1/changes", params={"since": "2026-11-31"})
    assert refused.status_code == 400 and "since" in refused.json()["detail"]


def test_exports_and_feeds_show_vietnam_time(client, around_midnight):
    book = client.get("/api/v1/changes.xlsx", params={"since": "2026-11-01"})
    rows = list(load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Thay đổi từ 01/11/2026 00:00 (UTC+07:00)"
    assert rows[2][:3] == ("Thời điểm (UTC+07:00)", "Loại", "Văn bản")
    assert rows[3][0] == datetime(2026, 11, 1, 0, 0) and rows[3][2] == "TCVN 13002:2026"
    atom = client.get("/api/v1/changes.atom", params={"since": "2026-11-01"})
    (entry,) = assert_valid_atom(atom.content).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text == "2026-10-31T17:00:00Z"
    assert "Thời điểm: 01/11/2026 00:00 (UTC+07:00)" in entry.find(f"{ATOM}summary").text
