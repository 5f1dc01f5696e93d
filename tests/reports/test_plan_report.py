"""The annual report: the DOCX and the XLSX annex read back, their figures equal to the API's;
the administrative layout; samples marked; the reminder of the 30 November deadline."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from factories import CatalogBuilder
from litestar.testing import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.settings import ApiSettings
from catalog.plan.samples import load_samples
from catalog.plan.wording import vi_number
from catalog.vocab import ProductKind

TARGET_ORDER = [
    "training",
    "experts",
    "enterprises_supported",
    "informed_share",
    "quality_award",
    "ocop_trademark_share",
]


@pytest.fixture
def client(session, engine, frozen_clock):
    """Samples on a catalog with four OCOP products; today is 02/12/2026 in Hanoi."""
    cat = CatalogBuilder(session)
    for n in range(4):
        cat.product(f"Sản phẩm OCOP {n}", kind=ProductKind.OCOP, ocop_stars=3)
    load_samples(session)
    session.commit()
    settings = ApiSettings(database_url=str(engine.url), rate_limit_per_minute=None)
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def shown(figure: dict) -> str:
    """A figure as the report writes it (1.312, 41%, "(1.312/3.200)")."""
    unit = "%" if figure["target"] in ("informed_share", "ocop_trademark_share") else ""
    text = vi_number(figure["value"]) + unit
    if figure["denominator"] is not None:
        text += f" ({vi_number(figure['numerator'])}/{vi_number(figure['denominator'])})"
    return text


def test_the_docx_figures_are_the_apis(client):
    in_year = client.get("/api/v1/plan/figures", params={"from": "2026-01-01"}).json()
    so_far = client.get("/api/v1/plan/figures").json()
    assert in_year["includes_samples"] and so_far["end"] == "2026-12-02"
    reply = client.get("/api/v1/plan/report.docx", params={"year": 2026, "number": "125"})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(reply.content))
    header, targets = doc.tables[0], doc.tables[1]
    left, right = (cell.text.split("\n") for cell in header.rows[0].cells)
    assert left == ["UBND TỈNH TUYÊN QUANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 125/BC-SKHCN"]
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tuyên Quang, ngày 02 tháng 12 năm 2026",
    ]
    rows = [[c.text for c in row.cells] for row in targets.rows]
    assert rows[0] == [
        "STT",
        "Mục tiêu",
        "Chỉ tiêu",
        "Kết quả năm 2026",
        "Lũy kế 2021–2026",
        "Đánh giá",
    ]
    year_figures = {f["target"]: f for f in in_year["figures"]}
    total_figures = {f["target"]: f for f in so_far["figures"]}
    for row, key in zip(rows[1:], TARGET_ORDER, strict=True):
        assert row[3].split(" ")[0] == shown(year_figures[key]).split(" ")[0], key
        assert row[4].startswith(shown(total_figures[key]).split(" (")[0]), key
        if total_figures[key]["denominator"] is not None:
            assert row[4].endswith(shown(total_figures[key])[-12:]), key
    assert [r[5] for r in rows[1:]] == ["Đạt", "Chưa đạt", "Đạt", "Chưa đạt", "Đạt", "Đạt"]
    text = [p.text for p in doc.paragraphs]
    assert "BẢN MẪU — SỐ LIỆU MẪU" in text[0]
    assert "BẢN MẪU" in doc.sections[0].header.paragraphs[0].text
    assert text[1:4] == ["BÁO CÁO", text[2], "Kính gửi:"]
    assert text[2].endswith("năm 2026")
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP",
        "III. KHÓ KHĂN, VƯỚNG MẮC",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in text
    after_difficulties = text[text.index("III. KHÓ KHĂN, VƯỚNG MẮC") + 1]
    assert after_difficulties.startswith("……")  # left for the officer to write
    assert "2. Thông tin, tuyên truyền về năng suất, chất lượng" in text
    assert any("lượt người tham gia" in t and "UBND huyện, thành phố, xã" in t for t in text)
    reminder = client.get("/api/v1/plan/reminder").json()
    assert reminder["report_generated"] is True and reminder["days_left"] == -2


def test_the_annex_lists_every_record_counted(client):
    reply = client.get("/api/v1/plan/annex.xlsx", params={"year": 2026})
    book = load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == ["Tổng hợp", *TARGET_ORDER, "Cổng TXNG"]
    assert book["Tổng hợp"]["A1"].value.startswith("BẢN MẪU")
    for key in TARGET_ORDER:
        drill = client.get(f"/api/v1/plan/figures/{key}").json()
        sheet = list(book[key].iter_rows(values_only=True))
        header = next(i for i, row in enumerate(sheet) if row[0] == "Ngày")
        records = sheet[header + 1 :]
        assert len(records) == drill["figure"]["record_count"], key
        assert [r[4] for r in records] == [c["adds"] for c in drill["records"]], key
        assert all(r[6] == "MẪU" for r in records), key
        if key not in ("informed_share", "ocop_trademark_share"):
            assert sum(r[4] for r in records) == drill["figure"]["value"], key
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(summary) if row[0] == "STT")
    totals = {f["target"]: f["value"] for f in client.get("/api/v1/plan/figures").json()["figures"]}
    assert [row[4] for row in summary[header + 1 :]] == [totals[k] for k in TARGET_ORDER]


def test_a_year_outside_the_plan_is_refused(client):
    assert client.get("/api/v1/plan/report.docx", params={"year": 2027}).status_code == 400
    assert client.get("/api/v1/plan/report.docx", params={"year": 2019}).status_code == 400


def test_the_reminder_counts_down_to_30_november(client, frozen_clock):
    frozen_clock.at = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    first = client.get("/api/v1/plan/reminder").json()
    assert (first["deadline"], first["days_left"], first["report_generated"]) == (
        "2026-11-30",
        29,
        False,
    )
    client.get("/api/v1/plan/annex.xlsx", params={"year": 2026})
    after = client.get("/api/v1/plan/reminder").json()
    assert after["report_generated"] and after["last_with_samples"]
