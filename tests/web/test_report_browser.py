"""The report pages in headless Chromium: reach them from the navigation, read the indicator
charts and the gap report, on a desktop, a phone and paper; screenshots to tests/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from .browsing import needs_chromium, shot
from .report_data import ReportSite, serve

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(database_url: str) -> Iterator[ReportSite]:
    with serve(database_url) as served:
        yield served


@pytest.fixture
def desk(browser, site: ReportSite) -> Iterator:
    context = browser.new_context(
        base_url=site.url, locale="vi-VN", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_indicators_page_draws_charts_with_goal_lines(desk) -> None:
    desk.goto("/duyet")
    desk.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Báo cáo"
    ).click()
    desk.wait_for_url("**/bao-cao")
    desk.get_by_role("link", name="Chỉ số kế hoạch").first.click()
    desk.wait_for_url("**/bao-cao/chi-so")
    desk.get_by_label("Tính đến ngày", exact=True).fill("2025-12-31")
    desk.get_by_role("button", name="Xem").click()
    desk.wait_for_url("**/bao-cao/chi-so?tu-ngay=2021-01-01&ngay=2025-12-31")
    chart = desk.get_by_role("img", name="Doanh nghiệp được hỗ trợ áp dụng tiêu chuẩn", exact=False)
    assert chart.count() == 1 and chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150  # laid out, not collapsed
    goal = desk.locator("#ind-enterprises_supported g.goal line").bounding_box()
    first = desk.locator("#ind-enterprises_supported circle.point").first.bounding_box()
    assert goal["y"] < first["y"]  # the target line is drawn above the values
    assert desk.locator("svg.chart").count() == 13  # six targets, OCOP declared, six schemes
    shot(desk, "11-indicators")


def test_gap_page_on_desktop_phone_and_paper(desk, browser, site: ReportSite, tmp_path: Path):
    desk.goto("/bao-cao")
    desk.get_by_role("link", name="Khoảng trống và chồng chéo").first.click()
    desk.wait_for_url("**/bao-cao/khoang-trong")
    assert desk.locator("#stat-products_examined dd").inner_text() == "3"
    rows = desk.locator("table[aria-labelledby='h-stale'] tbody tr")
    assert rows.count() == 2
    shot(desk, "12-gaps")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Tải bảng Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheets = openpyxl.load_workbook(saved).sheetnames
    assert sheets == [
        "Thiếu văn bản",
        "Viện dẫn hết hiệu lực",
        "Chồng chéo",
        "Chưa xác nhận quá 12 tháng",
    ]

    phone_context = browser.new_context(
        base_url=site.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = phone_context.new_page()
    for path in ("/bao-cao/khoang-trong", "/bao-cao/chi-so", "/bao-cao/cong-bo"):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    phone.goto("/bao-cao/khoang-trong")
    shot(phone, "13-gaps-phone")
    phone_context.close()

    paper_context = browser.new_context(base_url=site.url, viewport={"width": 794, "height": 1123})
    paper = paper_context.new_page()
    paper.goto("/bao-cao/khoang-trong")
    paper.emulate_media(media="print")
    assert not paper.locator("header.site").is_visible()
    assert not paper.locator("nav.subnav").is_visible()
    assert paper.locator("table[aria-labelledby='h-stale'] thead").is_visible()
    assert "Khoảng trống và chồng chéo — Tính đến ngày" in paper.locator("main").inner_text()
    shot(paper, "14-gaps-print")
    paper_context.close()
