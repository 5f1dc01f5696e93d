"""The pages over real HTTP (no browser): content, stable URLs, languages and friendly errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from bs4 import BeautifulSoup

from api.app import create_app
from api.settings import ApiSettings
from search.query import SearchService

from .serving import Server, Site, free_port

pytestmark = pytest.mark.meili


def page(response: httpx.Response) -> BeautifulSoup:
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return BeautifulSoup(response.text, "html.parser")


def codes_in(soup: BeautifulSoup, heading_id: str) -> list[str]:
    table = soup.find("table", attrs={"aria-labelledby": heading_id})
    return [row["data-code"] for row in table.select("tr.entry")] if table else []


def test_home_has_a_labelled_search_box_and_landmarks(http: httpx.Client) -> None:
    soup = page(http.get("/"))
    assert soup.html["lang"] == "vi"
    box = soup.find("input", id="q")
    assert soup.find("label", attrs={"for": "q"}).text == "Tìm kiếm…"
    assert box["type"] == "search"
    assert soup.find("form", role="search") and soup.find("main", id="main")
    assert soup.find("nav") and soup.find("header") and soup.find("footer")
    assert soup.find("a", class_="skip")["href"] == "#main"
    for select in soup.select("form select"):
        assert soup.find("label", attrs={"for": select["id"]}), select["id"]


def test_the_date_picker_defaults_to_the_day_in_vietnam(http: httpx.Client, frozen_clock) -> None:
    def picked() -> str:
        soup = page(http.get("/san-pham/cam-sanh-ham-yen"))
        assert soup.find("a", id="download-xlsx")["href"].endswith(
            "as_of=" + soup.find("input", id="ngay")["value"]
        )
        return soup.find("input", id="ngay")["value"]

    assert picked() == "2026-12-02"  # 20:50 UTC on 1 December is 03:50 on 2 December in Hanoi
    frozen_clock.at = datetime(2026, 12, 1, 16, 59, tzinfo=UTC)
    assert picked() == "2026-12-01"


def test_search_without_javascript_finds_products_without_diacritics(http: httpx.Client) -> None:
    soup = page(http.get("/", params={"q": "cam sanh ham yen"}))
    links = [a["href"] for a in soup.select("#results a")]
    assert links[0] == "/san-pham/cam-sanh-ham-yen"


def test_product_hits_show_the_name_in_the_reader_language(http: httpx.Client) -> None:
    def first_product(lang: str):
        soup = page(http.get("/tim-kiem", params={"q": "cam sanh", "lang": lang}))
        return soup.find("li", class_="product")

    vietnamese, english = first_product("vi"), first_product("en")
    assert vietnamese.a.get_text() == "Cam sành Hàm Yên"
    assert vietnamese.find(class_="sub").get_text() == "Hàm Yên king orange"
    assert english.a.get_text() == "Hàm Yên king orange"
    assert english.find(class_="sub").get_text() == "Cam sành Hàm Yên"


def test_search_fragment_puts_the_typed_code_first(http: httpx.Client) -> None:
    soup = page(http.get("/tim-kiem", params={"q": "tcvn 1873:2007"}))
    assert soup.find("html") is None  # a fragment, not a page
    documents = [a["href"] for a in soup.select("li.document a")]
    assert documents[0] == "/van-ban/tcvn-1873-2007"
    assert {"/van-ban/tcvn-1873-2014", "/van-ban/tcvn-1873-1986"} <= set(documents)


def test_search_filters_by_document_type(http: httpx.Client) -> None:
    soup = page(http.get("/tim-kiem", params={"q": "nhãn", "loai": "decree"}))
    assert [a.text for a in soup.select("li.document a")] == ["43/2017/NĐ-CP"]
    assert not soup.select("li.product")


def test_product_page_follows_editions_with_the_date(http: httpx.Client) -> None:
    today = page(http.get("/san-pham/cam-sanh-ham-yen"))
    assert today.h1.text == "Cam sành Hàm Yên"
    assert "TCVN 1873:2014" in codes_in(today, "h-voluntary")
    assert "TCVN 5603:2023" in codes_in(today, "h-voluntary")
    assert codes_in(today, "h-mandatory")[0] == "QCVN 8-2:2011/BYT"
    assert "TCVN 7087:2013" in codes_in(today, "h-mandatory")  # made binding by the decree
    assert "quy định nêu TCVN 1873:2007" in today.text
    assert "huyện Hàm Yên, Tuyên Quang" in today.text

    before = page(http.get("/san-pham/cam-sanh-ham-yen", params={"ngay": "2010-01-01"}))
    voluntary = codes_in(before, "h-voluntary")
    assert "TCVN 1873:2007" in voluntary and "TCVN 1873:2014" not in voluntary
    assert "TCVN 5603:2008" in voluntary
    row = before.find("tr", attrs={"data-code": "TCVN 5603:2008"})
    status = row.find("td", attrs={"data-label": "Tình trạng"}).text
    assert "Còn hiệu lực" in status and "Hiện nay: Bị thay thế" in status  # on the day, and now
    assert "43/2017/NĐ-CP" in codes_in(before, "h-upcoming")
    assert before.find("input", id="ngay")["value"] == "2010-01-01"
    xlsx = before.find("a", id="download-xlsx")["href"]
    assert xlsx == "/api/v1/products/cam-sanh-ham-yen/checklist.xlsx?as_of=2010-01-01"


def test_product_facts_show_ocop_rating(http: httpx.Client) -> None:
    soup = page(http.get("/san-pham/mat-ong-huong-rung"))
    facts = soup.find("section", class_="facts").text
    assert "4 sao" in facts and "321/QĐ-UBND" in facts and "06/08/2024" in facts


def test_a_name_in_the_url_redirects_to_the_product(http: httpx.Client) -> None:
    response = http.get("/san-pham/Cam Hàm Yên", params={"ngay": "2015-01-01"})
    assert response.status_code == 301
    assert response.headers["location"] == "/san-pham/cam-sanh-ham-yen?ngay=2015-01-01"


def test_document_page_shows_the_edition_chain(http: httpx.Client) -> None:
    response = http.get("/van-ban/TCVN 1873:2007")
    assert response.status_code == 301
    assert response.headers["location"] == "/van-ban/tcvn-1873-2007"
    soup = page(http.get("/van-ban/tcvn-1873-2007"))
    timeline = [li.select_one(".code").text for li in soup.select("ol.timeline li")]
    assert timeline == ["TCVN 1873:1986", "TCVN 1873:2007", "TCVN 1873:2014"]
    assert soup.select_one("ol.timeline li.current .code").text == "TCVN 1873:2007"
    assert "/van-ban/tcvn-1873-2014" in [a["href"] for a in soup.select("ul.links a")]
    assert "/san-pham/cam-sanh-ham-yen" in [a["href"] for a in soup.select("ul.products a")]


def test_document_page_lists_citations_both_ways(http: httpx.Client) -> None:
    decree = page(http.get("/van-ban/43-2017-nd-cp"))
    cites = decree.find("section", attrs={"aria-labelledby": "h-cites"})
    assert [a.text for a in cites.select("a.code")] == ["TCVN 7087:2013"]
    labelling = page(http.get("/van-ban/tcvn-7087-2013"))
    cited_by = labelling.find("section", attrs={"aria-labelledby": "h-cited-by"})
    assert [a.text for a in cited_by.select("a.code")] == ["43/2017/NĐ-CP"]


def test_browse_lists_the_tree_and_the_provinces_products(http: httpx.Client) -> None:
    soup = page(http.get("/duyet"))
    gi = soup.find("section", attrs={"aria-labelledby": "h-gi"})
    assert [a.text for a in gi.select("a")] == ["Cam sành Hàm Yên", "Chè Shan tuyết Na Hang"]
    ocop = soup.find("section", attrs={"aria-labelledby": "h-ocop"})
    assert "Mật ong Hương rừng" in ocop.text and "4 sao" in ocop.text
    assert soup.find(id="nhom-cay-co-mui").find("a")["href"] == "/san-pham/cam-sanh-ham-yen"


def test_english_switch_sets_a_cookie_and_keeps_urls(http: httpx.Client) -> None:
    response = http.get("/san-pham/cam-sanh-ham-yen", params={"lang": "en"})
    soup = page(response)
    assert soup.html["lang"] == "en"
    assert soup.find("h2", id="h-checklist").text.startswith("Applicable documents")
    assert soup.h1.text == "Hàm Yên king orange"
    assert "Inherited from category Agricultural products" in soup.text
    assert response.cookies.get("lang") == "en"
    with httpx.Client(base_url=http.base_url, cookies={"lang": "en"}) as english:
        again = page(english.get("/duyet"))
    assert again.h1.text == "Browse products"
    assert again.find("a", class_="lang")["href"] == "/duyet?lang=vi"


def test_unknown_product_is_a_friendly_404_with_suggestions(http: httpx.Client) -> None:
    response = http.get("/san-pham/cam-sanh-ham")
    assert response.status_code == 404
    soup = page(response)
    assert soup.h1.text == "Không tìm thấy trang bạn cần."
    assert "/san-pham/cam-sanh-ham-yen" in [a["href"] for a in soup.select("main ul a")]


def test_unknown_document_is_a_friendly_404(http: httpx.Client) -> None:
    response = http.get("/van-ban/tcvn-99999-2020")
    assert response.status_code == 404
    assert page(response).h1.text == "Không tìm thấy trang bạn cần."


@pytest.mark.parametrize(
    ("path", "params", "says"),
    [
        ("/san-pham/cam-sanh-ham-yen", {"ngay": "2015-13-45"}, "Ngày «2015-13-45» không hợp lệ"),
        ("/", {"q": "cam", "loai": "khong-co"}, "không nhận giá trị «khong-co»"),
        ("/tim-kiem", {"q": "x" * 300}, "quá dài"),
    ],
)
def test_bad_input_is_a_friendly_400(http: httpx.Client, path, params, says) -> None:
    response = http.get(path, params=params)
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.text.startswith("Yêu cầu không hợp lệ")
    assert says in soup.find("p", class_="detail").text


def test_search_down_is_a_friendly_503(site: Site) -> None:
    dead = SearchService(f"http://127.0.0.1:{free_port()}", None, site.prefix)
    settings = ApiSettings(rate_limit_per_minute=None)
    app = create_app(settings, search=dead)
    with Server(app) as url, httpx.Client(base_url=url, timeout=10) as client:
        for path in ("/", "/tim-kiem"):
            response = client.get(path, params={"q": "cam"})
            assert response.status_code == 503
            soup = page(response)
            assert re.search(r"tạm thời không hoạt động", soup.h1.text)
            assert 1 <= int(response.headers["retry-after"]) <= 3  # the breaker's cool-down
        assert client.get("/").status_code == 200  # the page itself still works


def test_a_url_matching_no_page_is_a_friendly_404_but_api_paths_stay_problem_json(
    http: httpx.Client,
) -> None:
    response = http.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page(response).h1.text == "Không tìm thấy trang bạn cần."
    api = http.get("/api/v1/khong-co")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_english_page_says_each_reason_once(http: httpx.Client) -> None:
    soup = page(http.get("/san-pham/cam-sanh-ham-yen", params={"lang": "en"}))
    row = soup.find("tr", attrs={"data-code": "TCVN 1873:2014"})
    lines = [li.get_text(" ", strip=True) for li in row.select("ul.reasons li")]
    assert any("the rule cites TCVN 1873:2007" in line for line in lines)
    assert len(lines) == len(set(lines))
    assert not any("1873:2007" in line for line in lines if "the rule cites" not in line)
