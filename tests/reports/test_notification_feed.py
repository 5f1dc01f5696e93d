"""WTO notifications and their addenda in the change feed (JSON, Atom, XLSX), reaching
products as the applicability answer does, and in watch lists' feeds and webhook deliveries
(another member's only for the markets a list names); they come in through ingest."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from api.webhooks.delivery import dispatch
from api.webhooks.registration import add_webhook
from catalog.models import ProductCode, utcnow
from catalog.reports.changes import ChangeKind, change_table, changes
from catalog.reports.watch import WatchListError, create_watch_list, describe, watched_changes
from catalog.vocab import ApiRole, CodeScheme
from ingest.jobs import ingest

from .feeds import build_catalog, record_history
from .test_api import ATOM, assert_valid_atom
from .test_webhooks import FAST, SECRET, Receiver, loopback

COLUMNS = ("Số hiệu", "Thành viên", "Ngày thông báo", "Sản phẩm", "Mã HS", "Nhóm sản phẩm",
           "Tiêu đề", "Hạn góp ý", "Ngày dự kiến thông qua", "Ngày dự kiến hiệu lực",
           "Nội dung bổ sung", "Ngày thông qua", "Liên kết", "Nguồn")  # fmt: skip
SOURCE = "SYNTHETIC test row"
# Synthetic notifications (numbers 91xx are not real symbols): two on tea (Viet Nam's and the
# EU's), one on citrus by category, one touching no product of the catalog.
NOTIFIED = [
    ("G/SPS/N/VNM/9101", "Viet Nam", "2026-11-02", "Chè", "0902", "", "Dư lượng trong chè",
     "2027-01-01", "2027-03-01", "2027-06-01", "", "", "https://example.org/vnm-9101.pdf"),
    ("G/SPS/N/EU/9102", "European Union", "2026-11-03", "Tea", "090210", "", "MRLs for tea",
     "2027-01-02", "2027-04-01", "2027-10-01", "", "", "https://example.org/eu-9102.pdf"),
    ("G/TBT/N/VNM/9103", "Viet Nam", "2026-11-04", "Cam", "", "cay-co-mui", "Quả có múi",
     "2027-01-03", "", "", "", "", ""),
    ("G/TBT/N/VNM/9104", "Viet Nam", "2026-11-05", "Gỗ", "4403", "", "Gỗ tròn",
     "2027-01-04", "", "", "", "", "https://example.org/vnm-9104.pdf"),
]  # fmt: skip
ADDENDA = [
    ("G/SPS/N/VNM/9101/Add.1", "Viet Nam", "2026-12-01", "", "", "", "", "", "", "", "adopted",
     "2026-11-30", "https://example.org/vnm-9101-add1.pdf"),
    ("G/SPS/N/EU/9102/Add.1", "European Union", "2026-12-02", "", "", "", "", "2027-02-15",
     "", "", "comment_period", "", ""),
]  # fmt: skip


def sheet(folder: Path, rows: list[tuple]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "notifications.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows((*row, SOURCE) for row in rows)
    return path


def ingest_rows(engine, folder: Path, rows: list[tuple]) -> datetime:
    """Ingest the rows as a sheet; returns a moment just before."""
    before = utcnow()
    summary = ingest(engine, "notifications", origin=sheet(folder, rows))
    assert summary.rejected == 0
    return before


@pytest.fixture
def catalog(session: Session):
    cat, history = build_catalog(session)
    record_history(session, cat, history)
    session.add(ProductCode(product_id=history.tea.id, scheme=CodeScheme.HS, code="090210"))
    session.commit()
    return history


@pytest.fixture
def client(session, engine, catalog):
    settings = ApiSettings(database_url=str(engine.url), rate_limit_per_minute=None)
    with TestClient(create_app(settings, engine=engine)) as client:
        client.key = issue_key(session, "reader", ApiRole.READER).key
        yield client


def test_new_notifications_and_addenda_are_change_entries(session, engine, catalog, tmp_path):
    since = ingest_rows(engine, tmp_path / "first", NOTIFIED)
    entries = {e.subject: e for e in changes(session, since)}
    assert set(entries) == {n[0] for n in NOTIFIED}
    tea, eu, citrus, timber = (entries[n[0]] for n in NOTIFIED)
    assert {e.kind for e in entries.values()} == {ChangeKind.NOTIFIED}
    assert [p.name_vi for p in tea.products] == ["Chè xanh Ngọc Thuý"]  # HS 0902 ⊃ 090210
    assert [p.name_vi for p in eu.products] == ["Chè xanh Ngọc Thuý"]  # every member's
    assert [p.name_vi for p in citrus.products] == ["Cam sành Hàm Yên"]  # by category
    assert timber.products == ()
    assert tea.notification.comment_deadline == date(2027, 1, 1)
    assert tea.notification.links == ("https://example.org/vnm-9101.pdf",)
    assert tea.title == "Thông báo WTO: G/SPS/N/VNM/9101 (Viet Nam)"
    assert "Hạn góp ý: 01/01/2027" in tea.summary and "Chè xanh Ngọc Thuý" in tea.summary
    assert tea.document is None and tea.source.startswith("ingest run ")

    later = ingest_rows(engine, tmp_path / "second", ADDENDA)
    updates = {e.subject: e for e in changes(session, later)}
    assert set(updates) == {"G/SPS/N/VNM/9101/Add.1", "G/SPS/N/EU/9102/Add.1"}
    adopted, moved = updates["G/SPS/N/VNM/9101/Add.1"], updates["G/SPS/N/EU/9102/Add.1"]
    assert adopted.kind == ChangeKind.NOTIFICATION_ADOPTED
    assert [(f.field, f.old, f.new) for f in adopted.fields] == [
        ("adopted_on", None, date(2026, 11, 30))
    ]
    assert adopted.links == (
        "https://example.org/vnm-9101-add1.pdf",
        "https://example.org/vnm-9101.pdf",
    )
    assert moved.kind == ChangeKind.NOTIFICATION_UPDATED
    assert [(f.field, f.old, f.new) for f in moved.fields] == [
        ("comment_deadline", date(2027, 1, 2), date(2027, 2, 15))
    ]
    assert moved.notification.comment_deadline == date(2027, 2, 15)
    assert [p.name_vi for p in moved.products] == ["Chè xanh Ngọc Thuý"]
    assert len({e.id for e in changes(session, since)}) == 6  # ids stay apart and stable

    table = change_table(changes(session, later))
    assert table.headers[-1] == "Liên kết"
    rows = {row[2]: row for row in table.rows}
    assert rows["G/SPS/N/EU/9102/Add.1"][4] == ["comment_deadline: 2027-01-02 → 2027-02-15"]
    assert rows["G/SPS/N/VNM/9101/Add.1"][3] == "Dư lượng trong chè"


def test_the_feed_serves_them_as_json_atom_and_xlsx(client, engine, tmp_path):
    since = ingest_rows(engine, tmp_path, NOTIFIED[:2])
    params = {"since": since.isoformat()}
    data = client.get("/api/v1/changes", params=params).json()
    assert [(c["kind"], c["notification"]["symbol"]) for c in data["changes"]] == [
        ("notified", "G/SPS/N/EU/9102"),
        ("notified", "G/SPS/N/VNM/9101"),
    ]
    assert data["changes"][0]["document"] is None
    assert data["changes"][0]["notification"]["links"] == ["https://example.org/eu-9102.pdf"]
    feed = assert_valid_atom(client.get("/api/v1/changes.atom", params=params).content)
    entry = feed.findall(f"{ATOM}entry")[0]
    assert entry.find(f"{ATOM}title").text == "Thông báo WTO: G/SPS/N/EU/9102 (European Union)"
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "https://example.org/eu-9102.pdf"
    )
    terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert terms == ["notified", "product:che-xanh-ngoc-thuy"]
    book = load_workbook(io.BytesIO(client.get("/api/v1/changes.xlsx", params=params).content))
    rows = list(book.active.iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[2], r[-1]) for r in rows] == [
        ("Thông báo WTO", "G/SPS/N/EU/9102", "https://example.org/eu-9102.pdf"),
        ("Thông báo WTO", "G/SPS/N/VNM/9101", "https://example.org/vnm-9101.pdf"),
    ]
    page = client.get("/bao-cao/thay-doi", params={"tu-ngay": since.date().isoformat()}).text
    assert 'data-kind="notified"' in page and "https://example.org/eu-9102.pdf" in page


def watched(session, watch, since) -> list[str]:
    return [e.subject for e in watched_changes(session, watch, since)]


def test_watch_lists_follow_home_notifications_and_their_markets(
    session, engine, catalog, tmp_path
):
    tea_home = create_watch_list(session, "Chè", products=["che xanh ngoc thuy"])
    tea_eu = create_watch_list(session, "Chè (EU)", categories=["che"], markets=["DE", "EU"])
    tea_china = create_watch_list(session, "Chè (TQ)", categories=["che"], markets=["cn"])
    citrus = create_watch_list(session, "Cam", categories=["cay-co-mui"], markets=["EU"])
    session.commit()
    assert describe(session, tea_eu).markets == ("EU",)  # DE is an EU state
    assert describe(session, tea_china).markets == ("CHN",)
    since = ingest_rows(engine, tmp_path / "first", NOTIFIED)
    assert watched(session, tea_home, since) == ["G/SPS/N/VNM/9101"]
    assert watched(session, tea_eu, since) == ["G/SPS/N/EU/9102", "G/SPS/N/VNM/9101"]
    assert watched(session, tea_china, since) == ["G/SPS/N/VNM/9101"]
    assert watched(session, citrus, since) == ["G/TBT/N/VNM/9103"]  # the EU's is on tea
    later = ingest_rows(engine, tmp_path / "second", ADDENDA)
    assert watched(session, tea_home, later) == ["G/SPS/N/VNM/9101/Add.1"]
    assert watched(session, tea_eu, later) == ["G/SPS/N/EU/9102/Add.1", "G/SPS/N/VNM/9101/Add.1"]
    assert watched(session, citrus, later) == []


def test_a_watch_list_refuses_a_market_that_is_no_member(session, catalog):
    with pytest.raises(WatchListError, match="markets: 'XYZ1' is not a country"):
        create_watch_list(session, "x", products=["che xanh ngoc thuy"], markets=["XYZ1"])


def test_webhooks_deliver_new_notifications_on_watched_products(session, engine, catalog, tmp_path):
    tea = create_watch_list(session, "Chè", categories=["che"], markets=["EU"])
    citrus = create_watch_list(session, "Cam", products=["cam sanh ham yen"])
    session.commit()
    tea_receiver, citrus_receiver = Receiver([]), Receiver([])
    try:
        addresses = loopback(tea_receiver, citrus_receiver)
        add_webhook(session, tea, tea_receiver.url, SECRET, addresses)
        add_webhook(session, citrus, citrus_receiver.url, SECRET, addresses)
        session.commit()
        ingest_rows(engine, tmp_path / "first", NOTIFIED[:2])  # both on tea
        summary = dispatch(session, policy=FAST, addresses=addresses)
        assert (summary.delivered, summary.changes) == (1, 2)
        assert citrus_receiver.requests == []
        sent = json.loads(tea_receiver.requests[-1][1])["changes"]
        assert [(c["kind"], c["notification"]["symbol"]) for c in sent] == [
            ("notified", "G/SPS/N/VNM/9101"),
            ("notified", "G/SPS/N/EU/9102"),
        ]
        assert sent[0]["title"] == "Thông báo WTO: G/SPS/N/VNM/9101 (Viet Nam)"
        assert sent[1]["notification"]["comment_deadline"] == "2027-01-02"
        ingest_rows(engine, tmp_path / "second", ADDENDA)
        summary = dispatch(session, policy=FAST, addresses=addresses)
        assert (summary.delivered, summary.changes) == (1, 2)
        sent = json.loads(tea_receiver.requests[-1][1])["changes"]
        assert [c["notification"]["update"] for c in sent] == [
            "G/SPS/N/VNM/9101/Add.1",
            "G/SPS/N/EU/9102/Add.1",
        ]
        assert citrus_receiver.requests == []
    finally:
        tea_receiver.close()
        citrus_receiver.close()


def test_a_watch_list_names_its_markets_through_the_api(client, engine, tmp_path):
    body = {"name": "Chè xuất khẩu", "categories": ["che"], "markets": ["deu", "CN"]}
    made = client.post("/api/v1/watchlists", json=body, headers={"X-API-Key": client.key})
    assert made.status_code == 201, made.text
    assert made.json()["markets"] == ["CHN", "EU"]
    since = ingest_rows(engine, tmp_path, NOTIFIED)
    feed = client.get(made.json()["feed_url"], params={"since": since.isoformat()}).json()
    assert [c["notification"]["symbol"] for c in feed["changes"]] == [
        "G/SPS/N/EU/9102",
        "G/SPS/N/VNM/9101",
    ]
    body["markets"] = ["Viet Nam"]
    refused = client.post("/api/v1/watchlists", json=body, headers={"X-API-Key": client.key})
    assert refused.status_code == 400
