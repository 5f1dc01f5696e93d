"""Searching through SearchService against the real Meilisearch (search-only key)."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from catalog.models import Document
from search import indexer
from search.errors import InvalidQuery
from search.query import SearchService
from search.server import MeiliProcess, MeiliUnavailable, free_port


def codes(response) -> list[str]:
    return [hit.code for hit in response.hits if hit.type == "document"]


def titles(response) -> list[str]:
    return [hit.title for hit in response.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TCVN 5603", ["TCVN 5603:2023", "TCVN 5603:2008"]),
        ("tcvn5603", ["TCVN 5603:2023", "TCVN 5603:2008"]),
        ("5603:2008", ["TCVN 5603:2008", "TCVN 5603:2023"]),  # the typed edition first
        ("TCVN 5603:2023", ["TCVN 5603:2023", "TCVN 5603:2008"]),
        ("qcvn 8-2", ["QCVN 8-2:2011/BYT"]),
        ("QCVN 16/BXD", ["QCVN 16:2023/BXD", "QCVN 16:2019/BXD", "QCVN 16:2017/BXD"]),
        ("QCVN 16:2019/BXD", ["QCVN 16:2019/BXD", "QCVN 16:2023/BXD", "QCVN 16:2017/BXD"]),
    ],
)
def test_a_code_in_the_query_puts_that_document_and_its_editions_first(
    shared_index, run_shared_search, query: str, expected: list[str]
) -> None:
    response = run_shared_search(lambda s: s.search(query, limit=10))
    first = response.hits[: len(expected)]
    assert [hit.code for hit in first] == expected
    assert all(hit.code_match for hit in first)
    assert [hit.superseded for hit in first] == [
        code not in ("TCVN 5603:2023", "QCVN 16:2023/BXD", "QCVN 8-2:2011/BYT") for code in expected
    ]
    assert not any(hit.code_match for hit in response.hits[len(expected) :])


def test_no_typos_on_codes_and_numbers(shared_index, run_shared_search) -> None:
    for query in ("5604", "tcvn56042023", "5604:2023"):
        near = run_shared_search(lambda s, q=query: s.search(q, limit=20))
        assert not [c for c in codes(near) if c.startswith("TCVN 5603")], query
    number = run_shared_search(lambda s: s.search("5614", limit=20))
    assert "TCVN 5613:2007" not in codes(number)


def test_typos_on_long_words_but_not_on_short_syllables(shared_index, run_shared_search) -> None:
    long_word = run_shared_search(lambda s: s.search("nguyen tac chungg", scope="documents"))
    assert codes(long_word)[0] == "TCVN 5603:2023"
    short = run_shared_search(lambda s: s.search("cem", scope="products"))
    assert short.hits == ()  # "cem" is not "cam": one letter off a 3-letter syllable


def test_query_without_diacritics_finds_accented_text(shared_index, run_shared_search) -> None:
    response = run_shared_search(lambda s: s.search("che shan tuyet", scope="products"))
    assert titles(response)[0] == "Chè Shan tuyết Na Hang"
    honey = run_shared_search(lambda s: s.search("mat ong", scope="documents"))
    assert codes(honey)[0] == "TCVN 12605:2019"


def test_query_with_diacritics_prefers_the_exact_accents(shared_index, run_shared_search) -> None:
    tea = codes(run_shared_search(lambda s: s.search("chè", scope="documents", limit=20)))
    processing = tea.index("TCVN 8000:2009")  # "Chế biến": folds to "che" too
    assert tea.index("TCVN 9740:2013") < processing and tea.index("TCVN 5613:2007") < processing
    sense = codes(run_shared_search(lambda s: s.search("cảm", scope="documents", limit=20)))
    assert sense[0] == "TCVN 5262:1990"  # "cảm quan", before the oranges ("cam")
    orange = codes(run_shared_search(lambda s: s.search("cam quả", scope="documents", limit=20)))
    assert orange.index("TCVN 1873:2014") < orange.index("TCVN 5262:1990")


def test_synonyms(shared_index, run_shared_search) -> None:
    assert titles(run_shared_search(lambda s: s.search("trà", scope="products")))[0] == (
        "Chè Shan tuyết Na Hang"
    )
    assert titles(run_shared_search(lambda s: s.search("thịt heo", scope="products")))[0] == (
        "Thịt lợn đen Na Hang"
    )
    assert "Rượu ngô men lá Na Hang" in titles(run_shared_search(lambda s: s.search("rượu bắp")))
    assert codes(run_shared_search(lambda s: s.search("ATTP", scope="documents")))[0] == (
        "TCVN ISO 22000:2018"
    )
    assert codes(run_shared_search(lambda s: s.search("honey", scope="documents")))[0] == (
        "TCVN 12605:2019"
    )


def test_scope_filters_facets_and_highlights(shared_index, run_shared_search) -> None:
    response = run_shared_search(
        lambda s: s.search("thực phẩm", scope="documents", filters={"status": ["in_force"]})
    )
    assert response.hits and all(hit.status == "in_force" for hit in response.hits)
    assert response.facets["status"] == {"in_force": response.total}
    assert "<mark>" in response.hits[0].highlights["title_vi"]
    products = run_shared_search(lambda s: s.search("na hang", filters={"kind": ["specialty"]}))
    assert {hit.type for hit in products.hits} == {"product"}
    assert titles(products) and all("Na Hang" in t for t in titles(products))
    everything = run_shared_search(lambda s: s.search("mật ong"))
    assert {hit.type for hit in everything.hits} == {"document", "product"}
    with pytest.raises(InvalidQuery, match="cannot filter on 'price'"):
        run_shared_search(lambda s: s.search("cam", filters={"price": ["1"]}))
    with pytest.raises(InvalidQuery, match="scope"):
        run_shared_search(lambda s: s.search("cam", scope="everything"))  # type: ignore[arg-type]


def test_resolve_product_from_free_text(shared_index, run_shared_search) -> None:
    candidates = run_shared_search(lambda s: s.resolve_product("cam sanh"))
    assert candidates[0].slug == "cam-sanh-ham-yen" and candidates[0].exact
    assert run_shared_search(lambda s: s.resolve_product("heo đen"))[0].slug == "thit-lon-den"
    assert run_shared_search(lambda s: s.resolve_product("   ")) == []


def test_results_are_cached_until_the_index_changes(
    engine: Engine, indexed, run_search, meili_server: MeiliProcess, index_prefix: str
) -> None:
    async def twice_then_after_sync(service: SearchService):
        first = await service.search("rượu trắng", scope="documents")
        again = await service.search("rượu trắng", scope="documents")
        with Session(engine) as session:
            doc = session.get(Document, indexed.documents["TCVN 7043:2013"])
            doc.title_vi = "Rượu trắng - Quy định kỹ thuật mới"
            doc.updated_at = datetime.now(UTC)
            session.add(doc)
            session.commit()
        indexer.sync(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
        after = await service.search("rượu trắng", scope="documents")
        return first, again, after

    first, again, after = run_search(twice_then_after_sync, version_ttl=0)
    assert not first.cached and again.cached and again.hits == first.hits
    assert not after.cached
    assert after.hits[0].title == "Rượu trắng - Quy định kỹ thuật mới"


def test_unreachable_meilisearch_fails_fast_with_a_typed_error() -> None:
    async def attempt(url: str) -> float:
        started = time.monotonic()
        async with SearchService(url, "some-search-key") as service:
            with pytest.raises(MeiliUnavailable):
                await service.search("cam")
        return time.monotonic() - started

    assert asyncio.run(attempt(f"http://127.0.0.1:{free_port()}")) < 1.0  # refused
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        assert asyncio.run(attempt(f"http://127.0.0.1:{silent.getsockname()[1]}")) < 1.0


def test_queries_never_use_the_master_key(
    shared_index, run_shared_search, meili_server: MeiliProcess, shared_prefix: str
) -> None:
    key = indexer.ensure_search_key(meili_server.url, meili_server.master_key, prefix=shared_prefix)

    async def headers_sent(service: SearchService) -> str:
        await service.search("cam")
        return service.headers["Authorization"]

    assert run_shared_search(headers_sent) == f"Bearer {key}"
    with httpx.Client() as client:  # and that key cannot write
        refused = client.delete(
            f"{meili_server.url}/indexes/{shared_prefix}documents",
            headers={"Authorization": f"Bearer {key}"},
        )
    assert refused.status_code == 403


def test_concurrent_callers_share_one_request_and_a_full_gate_does_not_block(
    shared_index, run_shared_search
) -> None:
    async def burst(service: SearchService) -> tuple[list, list]:
        same = await asyncio.gather(*(service.search("chè đen") for _ in range(6)))
        # One slot to Meilisearch, version re-read on every search: the version check
        # (needed by every search) must not queue behind the searches that wait for it.
        words = ["cam", "bưởi", "mật ong", "chè", "rượu", "gạo", "nấm", "miến"]
        different = await asyncio.gather(*(service.search(w) for w in words))
        return same, list(zip(words, different, strict=True))

    same, different = run_shared_search(burst, max_in_flight=1, version_ttl=0)
    assert [r.cached for r in same].count(False) == 1  # one went to Meilisearch
    assert all(r.hits == same[0].hits for r in same) and same[0].hits
    assert all(r.query == word and not r.cached for word, r in different)  # none timed out


def test_cached_answers_come_back_whole(shared_index, run_shared_search) -> None:
    async def twice(service: SearchService) -> tuple:
        return await service.search("TCVN 5603"), await service.search("TCVN 5603")

    first, again = run_shared_search(twice)
    assert again.cached and not first.cached
    assert again == replace(first, cached=True)  # hits, highlights, facets, code: all of it


def test_responses_are_not_compressed(shared_index, run_shared_search) -> None:
    # Meilisearch's gzip answers wait ~40 ms for a delayed ACK on kept-alive connections.
    assert run_shared_search(lambda s: _headers(s))["Accept-Encoding"] == "identity"


async def _headers(service: SearchService) -> dict[str, str]:
    return service.headers


def test_document_type_words_become_a_preference(shared_index, run_shared_search) -> None:
    typed = run_shared_search(lambda s: s.search("quy chuẩn thực phẩm", limit=10))
    plain = run_shared_search(lambda s: s.search("thực phẩm", limit=10))
    assert set(codes(typed)[:2]) == {"QCVN 8-2:2011/BYT", "QCVN 8-3:2012/BYT"}
    assert not codes(plain)[0].startswith("QCVN")  # the words made the difference
    assert set(codes(typed)) - {c for c in codes(typed) if c.startswith("QCVN")}  # not a filter


def test_an_exact_title_or_name_wins_across_indexes(shared_index, run_shared_search) -> None:
    oranges = run_shared_search(lambda s: s.search("oranges", limit=5))
    assert oranges.hits[0].code == "TCVN 1873:2014"  # its English title is "Oranges"
    product = run_shared_search(lambda s: s.search("cam sành hàm yên", limit=5))
    assert product.hits[0].slug == "cam-sanh-ham-yen"
