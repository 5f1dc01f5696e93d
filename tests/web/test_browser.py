"""The pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright):
search without diacritics, change the date, download the XLSX, follow an edition chain,
switch to English; screenshots go to tests/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from .browsing import needs_chromium, shot
from .serving import Site

pytestmark = [pytest.mark.meili, needs_chromium]


@pytest.fixture
def page(browser, site: Site) -> Iterator:
    context = browser.new_context(
        base_url=site.url, locale="vi-VN", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def voluntary_codes(page) -> list[str]:
    rows = page.locator("table[aria-labelledby='h-voluntary'] tr.entry")
    return [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]


def test_search_as_you_type_without_diacritics_and_pick_a_product(page) -> None:
    page.goto("/")
    page.get_by_label("Tìm kiếm…").press_sequentially("cam sanh", delay=30)
    first = page.locator("#results li.product a").first
    first.wait_for()
    assert first.inner_text() == "Cam sành Hàm Yên"
    assert "q=cam+sanh" in page.url  # the address follows the box: shareable
    shot(page, "01-search-cam-sanh")
    first.click()
    page.wait_for_url("**/san-pham/cam-sanh-ham-yen")
    assert page.locator("h1").inner_text() == "Cam sành Hàm Yên"
    shot(page, "02-product-today")


def test_changing_the_date_changes_the_edition(page) -> None:
    page.goto("/san-pham/cam-sanh-ham-yen")
    assert "TCVN 1873:2014" in voluntary_codes(page)
    page.get_by_label("Tính đến ngày", exact=True).fill("2010-01-01")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/san-pham/cam-sanh-ham-yen?ngay=2010-01-01")
    codes = voluntary_codes(page)
    assert "TCVN 1873:2007" in codes and "TCVN 1873:2014" not in codes
    assert page.locator("#h-upcoming").is_visible()
    shot(page, "03-product-2010-01-01")


def test_download_the_xlsx_checklist_and_read_it_back(page, tmp_path: Path) -> None:
    page.goto("/san-pham/cam-sanh-ham-yen?ngay=2015-01-01")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải danh mục Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    cells = [
        str(value)
        for sheet in openpyxl.load_workbook(saved).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    text = "\n".join(cells)
    assert "Cam sành Hàm Yên" in text and "2015-01-01" in text
    assert "TCVN 1873:2014" in cells and "QCVN 8-2:2011/BYT" in cells
    assert "TCVN 1873:2007" not in cells  # the edition in force that day, not the one cited


def test_open_a_document_and_follow_its_edition_chain(page) -> None:
    page.goto("/san-pham/cam-sanh-ham-yen")
    page.get_by_role("link", name="TCVN 1873:2014").first.click()
    page.wait_for_url("**/van-ban/tcvn-1873-2014")
    timeline = page.locator("ol.timeline li .code").all_inner_texts()
    assert timeline == ["TCVN 1873:1986", "TCVN 1873:2007", "TCVN 1873:2014"]
    shot(page, "04-document-tcvn-1873-2014")
    page.locator("ol.timeline").get_by_role("link", name="TCVN 1873:1986").click()
    page.wait_for_url("**/van-ban/tcvn-1873-1986")
    page.locator("ul.links").get_by_role("link", name="TCVN 1873:2007").click()
    page.wait_for_url("**/van-ban/tcvn-1873-2007")
    assert page.locator("ol.timeline li.current .code").inner_text() == "TCVN 1873:2007"
    assert page.locator("h1").inner_text() == "TCVN 1873:2007"
    shot(page, "05-document-tcvn-1873-2007")


def test_switch_to_english_and_it_stays(page) -> None:
    page.goto("/san-pham/cam-sanh-ham-yen")
    page.get_by_role("link", name="Switch to English").click()
    page.wait_for_url("**lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#h-checklist").inner_text().startswith("Applicable documents")
    shot(page, "06-product-english")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Browse products"
    ).click()
    assert page.locator("h1").inner_text() == "Browse products"  # the cookie keeps it
    shot(page, "07-browse-english")


def test_keyboard_skip_link_and_phone_layout(browser, site: Site) -> None:
    context = browser.new_context(
        base_url=site.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = context.new_page()
    phone.goto("/san-pham/cam-sanh-ham-yen")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"
    shot(phone, "08-product-phone")
    context.close()


def test_print_stylesheet_gives_a_clean_checklist(browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, viewport={"width": 794, "height": 1123})
    paper = context.new_page()  # A4 at 96 dpi
    paper.goto("/san-pham/cam-sanh-ham-yen?ngay=2015-01-01")
    paper.emulate_media(media="print")
    assert not paper.locator("header.site").is_visible()
    assert not paper.locator("#asof-form").is_visible()
    assert paper.locator("table.checklist thead").first.is_visible()
    assert "Danh mục tuân thủ: Cam sành Hàm Yên" in paper.locator("main").inner_text()
    shot(paper, "09-product-print")
    assert len(paper.pdf(format="A4")) > 10_000  # Chromium lays the checklist out on paper
    context.close()


def test_errors_are_friendly_pages(page) -> None:
    response = page.goto("/san-pham/khong-co-san-pham-nay")
    assert response.status == 404
    assert page.get_by_role("alert").inner_text().startswith("Không tìm thấy")
    response = page.goto("/san-pham/cam-sanh-ham-yen?ngay=2015-02-30")
    assert response.status == 400
    assert "2015-02-30" in page.locator(".error .detail").inner_text()
    shot(page, "10-error-bad-date")


def test_product_page_shows_sources_and_review_state(page) -> None:
    page.goto("/san-pham/cam-sanh-ham-yen")
    verified = page.locator("table[aria-labelledby='h-mandatory'] tr.entry.review-verified")
    assert verified.first.get_attribute("data-code") == "QCVN 8-2:2011/BYT"
    source = verified.first.locator("td.review ul.sources a")
    assert source.first.inner_text().startswith("Bộ Pháp điển, đề mục 45.1")
    assert "vbpl.vn" in source.first.get_attribute("href")
    assert "Xác nhận lần cuối: 18/06/2025" in verified.first.locator("td.review").inner_text()
    group = page.locator("#h-mandatory-unconfirmed")
    assert group.is_visible() and "chưa được kiểm chứng" in group.inner_text()
    unconfirmed = page.locator("tbody.unconfirmed-group tr.entry.unconfirmed")
    codes = [unconfirmed.nth(i).get_attribute("data-code") for i in range(unconfirmed.count())]
    assert "43/2017/NĐ-CP" in codes and "QCVN 8-2:2011/BYT" not in codes
    assert "37/2026/NĐ-CP" in page.locator("tbody.unconfirmed-group").inner_text()
    page.locator("#h-mandatory").scroll_into_view_if_needed()
    shot(page, "11-product-sources-review")
