"""WTO notifications and their addenda in the change feed (JSON, Atom, XLSX), reaching
products as the applicability answer does; the notifications come in through ingest."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from api.app import create_app
from api.settings import ApiSettings
from catalog.models import ProductCode, utcnow
from catalog.reports.changes import ChangeKind, change_table, changes
from catalog.vocab import CodeScheme
from ingest.jobs import ingest

from .feeds import build_catalog, record_history
from .test_api import ATOM, assert_valid_atom

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
def client(engine, catalog):
    settings = ApiSettings(database_url=str(engine.url), rate_limit_per_minute=None)
    with TestClient(create_app(settings, engine=engine)) as client:
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
