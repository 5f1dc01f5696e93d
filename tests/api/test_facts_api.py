"""Facts through the API on the bundled data: answers change only by the added members, and
the answer cache and entity tags never serve an answer for other facts than asked."""

from __future__ import annotations

import csv
import html
import io
import re

import httpx
import pytest
from litestar.serialization import encode_json
from litestar.testing import TestClient
from sqlmodel import Session

from api.app import create_app
from api.services import checklist
from api.settings import ApiSettings
from catalog import clock
from catalog.answer_facts import apply_facts
from catalog.applicability import applicable_in
from catalog.facts import parse_facts
from catalog.readmodel import CatalogGraph
from ingest.jobs import ingest_bundled
from tests.api.conftest import uvicorn_server
from tests.conftest import empty_tables

ENTRY_FACTS = re.compile(
    rb',"facts":\{"verdict":"[a-z_]+","questions":\[[^\]]*\],'
    rb'"ruled_out_by":\[(?:\{[^{}]*\}(?:,\{[^{}]*\})*)?\]\}'
)
LOOSE = "prepackaged:no,claims:geographical_indication,market:domestic,activity:growing+trading"
PACKED = "prepackaged:yes,packaging:plastic,market:domestic,activity:growing+packing+trading"


def engine_bytes(body: bytes) -> bytes:
    """The answer's JSON without the members facts add (per entry, and the answer's last)."""
    stripped = ENTRY_FACTS.sub(b"", body)
    at = stripped.rindex(b',"facts":{"given":')
    return stripped[:at] + b"}"


@pytest.fixture(scope="module")
def bundled(_session_engine):
    """The bundled dataset, loaded once for this module (emptied after it)."""
    ingest_bundled(_session_engine)
    yield _session_engine
    empty_tables(_session_engine)


def app_client(engine, **settings) -> TestClient:
    url = engine.url.render_as_string(hide_password=False)
    return TestClient(
        create_app(
            ApiSettings(database_url=url, rate_limit_per_minute=None, **settings), engine=engine
        )
    )


@pytest.fixture(scope="module")
def client(bundled):
    with app_client(bundled) as client:
        yield client


@pytest.fixture(scope="module")
def graph(bundled):
    with Session(bundled) as session:
        return CatalogGraph.load(session)


def test_every_answer_is_the_engines_byte_for_byte_with_the_facts_members_added(client, graph):
    today = clock.today()
    for product_id in sorted(graph.products):
        expected = encode_json(applicable_in(graph, product_id, today))
        url = f"/api/v1/products/{product_id}/applicable"
        plain = client.get(url).content
        assert engine_bytes(plain) == expected, product_id
        asked = client.get(url, params={"facts": "prepackaged:no,claims:none"}).content
        assert engine_bytes(asked) == expected, product_id
        assert plain != asked


def test_without_facts_each_entry_lists_the_questions_that_would_settle_it(client):
    answer = client.get("/api/v1/products/cam-sanh-ham-yen/applicable").json()
    facts = answer["facts"]
    assert facts["given"] == {}
    assert facts["defaults"] == {"claims": ["geographical_indication"]}  # from the registry
    by_code = {e["document"]["code"]: e["facts"] for e in answer["entries"]}
    assert by_code["TCVN 7087:2013"] == {
        "verdict": "depends_on",
        "questions": ["prepackaged"],
        "ruled_out_by": [],
    }
    assert by_code["QCVN 8-2:2011/BYT"]["verdict"] == "applies"
    asked = {q["fact"] for q in facts["questions"]}
    assert {"prepackaged", "claims", "activity"} <= asked
    question = next(q for q in facts["questions"] if q["fact"] == "prepackaged")
    assert question["question_vi"] == "Sản phẩm có được bao gói sẵn khi bán không?"
    assert [a["value"] for a in question["answers"]] == ["yes", "no"]
    assert sum(facts["counts"].values()) == len(answer["entries"])


def test_oranges_sold_loose_and_packed(client):
    url = "/api/v1/products/cam-sanh-ham-yen/applicable"
    loose = client.get(url, params={"facts": LOOSE}).json()
    packed = client.get(url, params={"facts": PACKED}).json()
    verdicts = {e["document"]["code"]: e["facts"] for e in loose["entries"]}
    assert verdicts["TCVN 7087:2013"] == {
        "verdict": "does_not_apply",
        "questions": [],
        "ruled_out_by": [{"fact": "prepackaged", "values": ["yes"]}],
    }
    packed_verdicts = {e["document"]["code"]: e["facts"]["verdict"] for e in packed["entries"]}
    assert packed_verdicts["TCVN 7087:2013"] == "applies"
    assert loose["facts"]["given"]["prepackaged"] == ["no"]
    assert loose["facts"]["counts"]["does_not_apply"] > packed["facts"]["counts"]["does_not_apply"]


@pytest.mark.parametrize(
    ("facts", "says"),
    [
        ("prepackaged:maybe", "item 'prepackaged:maybe': 'maybe' is not an answer to prepackaged"),
        ("colour:red", "item 'colour:red': unknown fact 'colour'"),
        ("prepackaged:yes,prepackaged:no", "item 'prepackaged:no': prepackaged takes one value"),
        ("claims:none+ocop", "'none' cannot go with other values of claims"),
        ("Prepackaged:Yes", "lower case"),
        ("prepackaged: yes", "without spaces"),
    ],
)
def test_malformed_facts_are_a_problem_naming_the_item(client, facts, says):
    for url, params in (
        ("/api/v1/products/cam-sanh-ham-yen/applicable", {}),
        ("/api/v1/products/cam-sanh-ham-yen/checklist.csv", {}),
        ("/api/v1/applicable", {"product": "cam"}),
    ):
        answer = client.get(url, params={**params, "facts": facts})
        assert answer.status_code == 400, url
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert says in answer.json()["detail"]
        assert answer.json()["errors"][0]["field"] == "facts"


def test_the_free_text_answer_is_the_products_own(client):
    url = "/api/v1/products/cam-sanh-ham-yen/applicable"
    for facts in (None, LOOSE):
        params = {"facts": facts} if facts else {}
        own = client.get(url, params=params).json()
        resolved = client.get(
            "/api/v1/applicable", params={"product": "Cam sành Hàm Yên", **params}
        ).json()
        assert resolved["answer"] == own


def test_checklists_leave_out_what_the_facts_rule_out(client, graph):
    url = "/api/v1/products/cam-sanh-ham-yen/checklist.csv"
    product_id = graph.product_by_slug["cam-sanh-ham-yen"]
    answer = applicable_in(graph, product_id, clock.today())
    assert client.get(url).content == checklist.to_csv(answer)  # no facts: as before
    settled = apply_facts(answer, parse_facts(LOOSE), graph.facts)
    asked = client.get(url, params={"facts": LOOSE}).content
    assert asked == checklist.to_csv(answer, settled)
    table = list(csv.reader(io.StringIO(asked.decode("utf-8-sig"))))
    header = table.index([*checklist.COLUMNS, checklist.FACTS_COLUMN])
    listed = [row[0] for row in table[header + 1 :] if row]
    assert "TCVN 7087:2013" not in listed and "QCVN 8-2:2011/BYT" in listed
    ruled_out = next(row for row in table if row and row[0].startswith("Không áp dụng"))
    assert "TCVN 7087:2013" in ruled_out[1]
    xlsx = client.get(url.replace(".csv", ".xlsx"), params={"facts": LOOSE})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def etags_never_cross(get) -> None:
    """Through ``get(path, facts, if_none_match)``: an answer (or a 304) for one set of facts
    is never given for another, nor for none."""
    plain = get(None, None)
    loose = get(LOOSE, None)
    packed = get(PACKED, None)
    tags = {plain.headers["etag"], loose.headers["etag"], packed.headers["etag"]}
    assert len(tags) == 3
    assert len({plain.content, loose.content, packed.content}) == 3
    # the tag of one is not taken for another
    for facts, other in ((None, loose), (LOOSE, plain), (PACKED, loose), (LOOSE, packed)):
        again = get(facts, other.headers["etag"])
        assert again.status_code == 200
        assert again.content == {None: plain, LOOSE: loose, PACKED: packed}[facts].content
    # the same facts, however spelled, are the same answer
    for facts, same in ((LOOSE, loose), (PACKED, packed), (None, plain)):
        assert get(facts, same.headers["etag"]).status_code == 304
    respelled = ",".join(reversed(LOOSE.split(","))).replace(":", "=")
    assert get(respelled, loose.headers["etag"]).status_code == 304
    assert get(LOOSE.replace("+", " "), loose.headers["etag"]).status_code == 304  # "+" unencoded
    assert get("", plain.headers["etag"]).status_code == 304  # empty facts: none asked


@pytest.mark.parametrize("held", [100_000, 0])
def test_answers_and_their_tags_never_cross_facts(bundled, held):
    with app_client(bundled, answers_held=held) as client:

        def get(facts, if_none_match):
            headers = {"If-None-Match": if_none_match} if if_none_match else {}
            params = {"facts": facts} if facts is not None else {}
            url = "/api/v1/products/cam-sanh-ham-yen/applicable"
            return client.get(url, params=params, headers=headers)

        etags_never_cross(get)
        # the same again: whatever the service holds by now still keeps them apart
        etags_never_cross(get)


def test_held_checklists_never_cross_facts(bundled):
    with app_client(bundled, responses_held_mb=64) as client:
        url = "/api/v1/products/cam-sanh-ham-yen/checklist.csv"
        for _ in range(2):  # the second round is served from the response cache
            plain, loose = client.get(url).content, client.get(url, params={"facts": LOOSE}).content
            assert plain != loose and checklist.FACTS_COLUMN.encode() in loose
            assert checklist.FACTS_COLUMN.encode() not in plain


def test_answers_and_their_tags_never_cross_facts_over_http(bundled):
    env = {
        "DATABASE_URL": bundled.url.render_as_string(hide_password=False),
        "TIEUCHUAN_RATE_LIMIT": "0",
    }
    with uvicorn_server(env) as base, httpx.Client(base_url=base) as http:

        def get(facts, if_none_match):
            headers = {"If-None-Match": if_none_match} if if_none_match else {}
            params = {"facts": facts} if facts is not None else {}
            url = "/api/v1/products/cam-sanh-ham-yen/applicable"
            return http.get(url, params=params, headers=headers)

        etags_never_cross(get)


def test_the_product_page_asks_only_the_questions_that_matter_and_holds_the_answers(client):
    page = client.get("/san-pham/cam-sanh-ham-yen").text
    asked = re.findall(r'data-fact="([a-z_]+)"', page)
    assert set(asked) == {"claims", "prepackaged", "activity", "market"}  # no additives here
    assert asked[0] == "claims"  # settles the most documents
    assert "Theo danh mục sản phẩm: Chỉ dẫn địa lý" in page
    assert 'id="ruled-out"' not in page

    query = "prepackaged=no&claims=geographical_indication&market=domestic"
    page = client.get(f"/san-pham/cam-sanh-ham-yen?{query}&activity=growing&activity=trading").text
    assert 'name="prepackaged" value="no" checked' in page
    assert 'name="activity" value="trading" checked' in page
    assert "Theo câu trả lời: 9 áp dụng, 9 không áp dụng, 0 còn tùy câu trả lời" in page
    ruled_out = page[page.index('id="ruled-out"') :]
    assert "TCVN 7087:2013" in ruled_out and "cần Bao gói sẵn: Có, bao gói sẵn" in ruled_out
    mandatory = page[page.index('id="h-mandatory"') : page.index('id="ruled-out"')]
    assert 'data-code="TCVN 7087:2013"' not in mandatory
    link = re.search(r'href="(/api/v1/products/cam-sanh-ham-yen/checklist\.csv[^"]*)"', page)
    download = client.get(link.group(1).replace("&amp;", "&"))
    assert checklist.FACTS_COLUMN.encode() in download.content
    assert b"TCVN 7087:2013 (" in download.content  # named among those ruled out

    english = client.get(f"/san-pham/cam-sanh-ham-yen?{query}&lang=en").text
    assert "By your answers" in english and "Is the product prepackaged when sold?" in english


def test_a_wrong_answer_on_the_page_is_bad_input_naming_it(client):
    page = client.get("/san-pham/cam-sanh-ham-yen?prepackaged=maybe&lang=vi")
    assert page.status_code == 400
    assert "«prepackaged:maybe» không hợp lệ: 'maybe' is not an answer" in html.unescape(page.text)
