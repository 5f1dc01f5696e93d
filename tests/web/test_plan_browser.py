"""The plan's indicators page in headless Chromium on the demo's sample records: every numeric
target filled and marked as samples, the annual report and its annex downloaded from the
page and read back; screenshot tests/screenshots/15-plan-indicators.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from .browsing import needs_chromium, shot
from .report_data import ReportSite, serve

pytestmark = needs_chromium
NUMERIC = (
    "training",
    "experts",
    "enterprises_supported",
    "informed_share",
    "quality_award",
    "ocop_trademark_share",
)


@pytest.fixture(scope="module")
def site(database_url: str) -> Iterator[ReportSite]:
    with serve(database_url, samples=True) as served:
        yield served


def test_indicators_from_samples_and_the_annual_report(browser, site: ReportSite, tmp_path: Path):
    context = browser.new_context(
        base_url=site.url,
        locale="vi-VN",
        viewport={"width": 1200, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    desk = context.new_page()
    desk.goto("/bao-cao/chi-so")
    banner = desk.locator("#samples-banner")
    assert banner.is_visible() and "SỐ LIỆU MẪU" in banner.inner_text()
    for key in NUMERIC:
        row = desk.locator(f"tr[data-target='{key}']")
        measured = row.locator("td[data-label='Đo được']").inner_text()
        assert measured[0].isdigit(), (key, measured)
        assert "MẪU" in measured.upper(), key  # the sample mark beside the figure
    enterprises = desk.locator("tr[data-target='enterprises_supported'] td[data-label='Đo được']")
    assert enterprises.inner_text().startswith(
        "35 doanh nghiệp"
    )  # 32 samples, 3 in the test catalog
    shot(desk, "15-plan-indicators")

    downloads = {}
    for link in ("#download-docx", "#download-annex"):
        with desk.expect_download() as download:
            desk.locator(link).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        downloads[link] = saved
    doc = Document(downloads["#download-docx"])
    assert doc.paragraphs[0].text.startswith("BẢN MẪU")
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert rows[3][4] == "35 doanh nghiệp"  # the same figure as the page
    book = openpyxl.load_workbook(downloads["#download-annex"])
    assert "enterprises_supported" in book.sheetnames

    desk.locator("tr[data-target='training'] a.records-link").click()
    desk.wait_for_url("**/bao-cao/chi-so/training**")
    assert desk.locator("#samples-banner").is_visible()
    assert desk.locator("table.drill tbody tr").count() == 5
    context.close()
