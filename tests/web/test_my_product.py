"""The "Sản phẩm của tôi" / "My product" page and a barcode in the search box: over HTTP, and
walked in headless Chromium from an HS code to a downloaded checklist. Screenshots go to
tests/screenshots/my-product-*.png (the folder of every browser test, see browsing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from factories import CatalogBuilder
from sqlmodel import Session, select

from catalog.models import Product, ProductCategory, ProductGtin
from catalog.store import make_engine
from catalog.vocab import Role

from .browsing import needs_chromium, shot
from .serving import Site

pytestmark = pytest.mark.meili
ORANGE_GTIN = "8934588063053"  # check digit valid; 893: GS1 Vietnam


@pytest.fixture(scope="module", autouse=True)
def gtin(site: Site, database_url: str) -> str:
    """The orange's barcode registered, and a rule on farm produce only a question about
    packaging settles; written before the module's first request loads the catalog."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        orange = session.exec(select(Product).where(Product.slug == "cam-sanh-ham-yen")).one()
        session.add(ProductGtin(gtin14="0" + ORANGE_GTIN, gtin=ORANGE_GTIN, product_id=orange.id))
        cat = CatalogBuilder(session)
        farm = session.exec(select(ProductCategory).where(ProductCategory.slug == "nong-san")).one()
        cat.rule(
            farm,
            cat.doc("QCVN 12-1:2011/BYT", title="Bao bì, dụng cụ bằng nhựa tổng hợp"),
            Role.MANDATORY_REGULATION,
            condition="Nếu đóng gói bằng bao bì nhựa",
            typed_condition="packaging=plastic",
        )
        session.commit()
    engine.dispose()
    return ORANGE_GTIN


def soup(response) -> BeautifulSoup:
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def codes_in(page: BeautifulSoup, heading_id: str) -> list[str]:
    table = page.find("table", attrs={"aria-labelledby": heading_id})
    return [row["data-code"] for row in table.select("tr.entry")] if table else []


def test_the_empty_form_then_an_answer_by_hs_code(http) -> None:
    empty = soup(http.get("/san-pham-cua-toi"))
    assert empty.find("h1").get_text() == "Sản phẩm của tôi"
    assert empty.find(id="answer") is None
    assert {o["value"] for o in empty.select("#nhom option")} >= {"", "che", "cay-co-mui"}
    answered = http.get("/san-pham-cua-toi", params={"hs": "0805.50", "ngay": "2026-03-01"})
    assert answered.status_code == 200
    page = soup(answered)
    reached = page.select("ul.reached li")
    assert [li["data-category"] for li in reached] == ["cay-co-mui"]
    assert "Cam sành Hàm Yên" in reached[0].get_text()
    # labelling (a decree) and the standard it makes mandatory come with the food rules, and
    # the packaging regulation depends on a question
    assert codes_in(page, "h-mandatory") == [
        "QCVN 8-2:2011/BYT",
        "QCVN 12-1:2011/BYT",
        "43/2017/NĐ-CP",
        "TCVN 7087:2013",
    ]
    assert [f["data-fact"] for f in page.select("#facts-form fieldset")] == ["packaging"]
    assert "TCVN 1873:2014" in codes_in(page, "h-voluntary")
    assert "TCVN 11892-1:2017" in codes_in(page, "h-voluntary")  # the rule on HS 0805
    csv_link = page.find(id="download-csv")["href"]
    assert csv_link == "/api/v1/applicable/any/checklist.csv?hs=0805.50&as_of=2026-03-01"
    download = http.get(csv_link)
    assert download.status_code == 200
    assert "TCVN 1873:2014" in download.content.decode("utf-8-sig")


def test_by_category_and_in_english(http) -> None:
    page = soup(http.get("/san-pham-cua-toi", params={"nhom": "che", "lang": "en"}))
    assert page.find("h1").get_text() == "My product"
    assert page.select_one("#nhom option[selected]")["value"] == "che"
    assert "QCVN 8-2:2011/BYT" in codes_in(page, "h-mandatory")
    assert "the category you chose" in page.select_one("ul.reached").get_text()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"hs": "09.02"}, "hs", "Mã HS «09.02» đặt dấu chấm sai chỗ"),
        ({"hs": "09023"}, "hs", "Mã HS «09023» không đủ hoặc thừa chữ số"),
        ({"hs": "chè"}, "hs", "có ký tự không phải chữ số"),
        ({"nhom": "dien-thoai"}, "nhom", "Không có nhóm sản phẩm «dien-thoai»."),
    ],
)
def test_bad_input_is_said_on_the_form(http, params, field, message) -> None:
    response = http.get("/san-pham-cua-toi", params=params)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id="form-error").get_text()
    assert page.find(id=field)["aria-invalid"] == "true"
    assert page.find(id="answer") is None


def test_a_scanned_barcode_goes_to_its_product(http, gtin) -> None:
    found = http.get("/", params={"q": gtin})
    assert found.status_code == 303
    assert found.headers["location"] == "/san-pham/cam-sanh-ham-yen"
    fragment = soup(http.get("/tim-kiem", params={"q": gtin}))
    assert [a["href"] for a in fragment.select("li.product a")] == ["/san-pham/cam-sanh-ham-yen"]
    unknown = soup(http.get("/", params={"q": "4006381333931"}))
    notice = unknown.find(id="barcode-notice").get_text()
    assert "Mã vạch 4006381333931 hợp lệ (GTIN-13, tiền tố GS1 400: GS1 Germany)" in notice
    assert "chưa có sản phẩm nào trong danh mục mang mã này" in notice


@pytest.fixture
def tab(browser, site: Site) -> Iterator:
    context = browser.new_context(
        base_url=site.url, locale="vi-VN", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@needs_chromium
def test_walk_from_an_hs_code_to_a_downloaded_checklist(tab, browser, site, tmp_path: Path):
    tab.goto("/")
    tab.get_by_role("link", name="Sản phẩm của tôi").click()
    tab.wait_for_url("**/san-pham-cua-toi")
    tab.get_by_label("Mã HS").fill("0805.50")
    tab.get_by_label("Tính đến ngày").fill("2026-03-01")
    shot(tab, "my-product-01-describe")
    tab.get_by_role("button", name="Xem kết quả").click()
    tab.wait_for_url("**/san-pham-cua-toi?hs=0805.50*")
    assert tab.locator("ul.reached li").first.get_attribute("data-category") == "cay-co-mui"
    assert tab.locator("table[aria-labelledby='h-mandatory'] tr.entry").count() == 4
    shot(tab, "my-product-02-answer")
    # the questions that matter for it: here only the packaging's material
    assert tab.locator("#facts-form fieldset").count() == 1
    tab.get_by_label("Thủy tinh").check()
    tab.get_by_role("button", name="Áp dụng câu trả lời").click()
    tab.wait_for_url("**packaging=glass*")
    assert tab.locator("table[aria-labelledby='h-mandatory'] tr.entry").count() == 3
    assert "(1)" in tab.locator("#h-ruled-out").inner_text()
    shot(tab, "my-product-03-answered")
    # the address holds the answer: another visitor opening it sees the same
    shared = browser.new_context(base_url=site.url, locale="vi-VN").new_page()
    shared.goto(tab.url)
    assert shared.locator("#h-answer").is_visible()
    assert shared.get_by_label("Mã HS").input_value() == "0805.50"
    assert shared.get_by_label("Thủy tinh").is_checked()
    assert shared.locator("table[aria-labelledby='h-mandatory'] tr.entry").count() == 3
    shared.context.close()
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Tải danh mục Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "checklist-hs-080550-2026-03-01.xlsx"
    cells = [
        str(value)
        for sheet in openpyxl.load_workbook(saved).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "Sản phẩm chưa đăng ký: HS 0805.50, Cây có múi" in "\n".join(cells)
    assert "TCVN 1873:2014" in cells and "QCVN 8-2:2011/BYT" in cells
    # the answers given, and what they rule out, are in the checklist's heading
    assert "Dữ kiện đã trả lời / Facts given" in cells
    ruled_out = cells[cells.index("Không áp dụng theo dữ kiện / Ruled out by the facts") + 1]
    assert ruled_out.startswith("QCVN 12-1:2011/BYT")
    tab.locator("#download").scroll_into_view_if_needed()
    shot(tab, "my-product-04-downloaded")
    tab.get_by_label("Mã HS").fill("09.02")
    tab.get_by_role("button", name="Xem kết quả").click()
    tab.wait_for_url("**hs=09.02*")
    assert "đặt dấu chấm sai chỗ" in tab.locator("#form-error").inner_text()
    shot(tab, "my-product-05-bad-code")


@needs_chromium
def test_scan_a_barcode_into_the_search_box(tab, gtin) -> None:
    tab.goto("/")
    box = tab.get_by_label("Tìm kiếm…")
    box.fill(gtin)
    box.press("Enter")
    tab.wait_for_url("**/san-pham/cam-sanh-ham-yen")
    assert tab.locator("h1").inner_text() == "Cam sành Hàm Yên"
    shot(tab, "my-product-06-barcode")
