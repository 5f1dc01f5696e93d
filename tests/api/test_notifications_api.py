"""Notified drafts under way through the API: the ``market`` parameter, the checklist, the
product page, and the officials' report of open comment periods (JSON, XLSX and page)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from catalog.codes_wto import Agreement
from catalog.models_wto import Notification, NotificationCode
from catalog.vocab import CodeScheme

DAY = "2026-04-01"


def _notify(session: Session, symbol: str, member: str, hs: str, deadline: date) -> None:
    row = Notification(
        symbol=symbol,
        agreement=Agreement.SPS,
        member=member,
        member_name=member,
        notified_on=date(2026, 3, 2),
        title=f"draft {symbol}",
        proposed_adoption=date(2026, 9, 15),
        comment_deadline=deadline,
    )
    session.add(row)
    session.flush()
    session.add(NotificationCode(notification_id=row.id, scheme=CodeScheme.HS, code=hs))
    session.commit()


@pytest.fixture
def notified(session, catalog):
    _notify(session, "G/SPS/N/VNM/901", "VNM", "0805", date(2026, 5, 20))  # oranges, pomelos
    _notify(session, "G/SPS/N/EU/902", "EU", "0902", date(2026, 4, 30))  # tea, for the EU
    _notify(session, "G/SPS/N/CHN/903", "CHN", "0902", date(2026, 6, 10))  # tea, for China
    _notify(session, "G/SPS/N/VNM/904", "VNM", "4403", date(2026, 4, 10))  # touches nothing
    return catalog


def test_export_market_notifications_need_the_market(client, notified) -> None:
    tea = notified.tea_id
    plain = client.get(f"/api/v1/products/{tea}/applicable", params={"as_of": DAY}).json()
    assert plain["under_way"] == [] and plain["market"] is None
    for market in ("DE", "EU", "deu"):
        answer = client.get(
            f"/api/v1/products/{tea}/applicable", params={"as_of": DAY, "market": market}
        ).json()
        assert [u["symbol"] for u in answer["under_way"]] == ["G/SPS/N/EU/902"]
        assert answer["market"] == "EU"
        (item,) = answer["under_way"]
        assert item["comment_deadline"] == "2026-04-30" and item["comments_open"] is True
    bad = client.get(f"/api/v1/products/{tea}/applicable", params={"market": "Trung Quốc"})
    assert bad.status_code == 400


def test_home_drafts_are_under_way_without_a_market(client, notified) -> None:
    answer = client.get(
        f"/api/v1/products/{notified.orange_id}/applicable", params={"as_of": DAY}
    ).json()
    assert [u["symbol"] for u in answer["under_way"]] == ["G/SPS/N/VNM/901"]
    assert answer["under_way"][0]["reasons"] == ["HS 0805 covers the product's HS 080510"]


def test_the_checklist_lists_drafts_under_way(client, notified) -> None:
    response = client.get(
        f"/api/v1/products/{notified.tea_id}/checklist.xlsx", params={"as_of": DAY, "market": "CN"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "G/SPS/N/CHN/903" in cells and "G/SPS/N/EU/902" not in cells
    assert any("góp ý đến / comments until 2026-06-10" in c for c in cells)


def test_open_comment_report_is_ordered_by_deadline(client, notified) -> None:
    report = client.get("/api/v1/reports/open-comments", params={"as_of": DAY}).json()
    assert [i["symbol"] for i in report["items"]] == [
        "G/SPS/N/EU/902",  # 30/04, tea
        "G/SPS/N/VNM/901",  # 20/05, oranges and pomelos
        "G/SPS/N/CHN/903",  # 10/06, tea
    ]  # G/SPS/N/VNM/904 touches no product of the province
    assert report["items"][1]["products"] == ["Bưởi Soi Hà", "Cam sành Hàm Yên"]
    assert report["items"][0]["days_left"] == 29
    later = client.get("/api/v1/reports/open-comments", params={"as_of": "2026-05-01"}).json()
    assert [i["symbol"] for i in later["items"]] == ["G/SPS/N/VNM/901", "G/SPS/N/CHN/903"]
    xlsx = client.get("/api/v1/reports/open-comments.xlsx", params={"as_of": DAY})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    symbols = [row[2] for row in sheet.iter_rows(values_only=True) if row[2] and "/N/" in row[2]]
    assert symbols == ["G/SPS/N/EU/902", "G/SPS/N/VNM/901", "G/SPS/N/CHN/903"]
    page = client.get("/bao-cao/gop-y", params={"ngay": DAY})
    assert page.status_code == 200
    text = page.text
    assert text.index("G/SPS/N/EU/902") < text.index("G/SPS/N/VNM/901") < text.index("CHN/903")


def test_the_product_page_shows_drafts_under_way(client, notified) -> None:
    page = client.get("/san-pham/cam-sanh-ham-yen", params={"ngay": DAY})
    assert page.status_code == 200 and "G/SPS/N/VNM/901" in page.text
    assert "h-under-way" in page.text


@pytest.mark.parametrize("suffix", ["", "/applicable", "/checklist.csv", "/checklist.xlsx"])
def test_a_number_too_large_for_an_id_is_no_product(client, catalog, suffix) -> None:
    response = client.get(f"/api/v1/products/{'9' * 30}{suffix}", params={"market": "EU"})
    assert response.status_code == 404, response.text
