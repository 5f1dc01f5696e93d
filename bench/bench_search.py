"""Search speed: Meilisearch directly against our search layer and a search endpoint.

    .venv/bin/python bench/bench_search.py [--requests 4000] [--synthetic 100000]

One run, same machine, same queries, 32 concurrent clients each:

- ``meili``: Meilisearch's own ``/multi-search`` with the request our layer sends for a
  query (documents and products, 20 hits, facets), through a pooled httpx client;
- ``layer``: ``SearchService.search`` called in-process (code-aware, re-ranking, cache);
- ``sdk``: the same request through meilisearch-python-sdk (the path the issue found slow);
- ``endpoint``: ``GET /search?q=`` on a minimal Litestar app (uvicorn, one worker) that calls
  ``SearchService`` — a stand-in for api/'s handler, measured over HTTP like ``meili``.

Two query mixes: repeat-heavy (80 % of requests from 40 popular queries, Zipf-like) and
all-distinct (no query twice). Then the index build time for the bundled data and for
``--synthetic`` generated documents.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import msgspec

from search.documents import DOCUMENTS, PRODUCTS, load_document_records, load_product_records
from search.indexer import rebuild
from search.query import SearchService
from search.server import free_port, wait_healthy

CONCURRENCY = 32
PREFIX = "bench_"


# --- query mixes ---------------------------------------------------------------------------


def query_pool(documents: list[dict], products: list[dict]) -> list[str]:
    """Distinct realistic queries: codes as typed, title and name beginnings, folded forms."""
    from catalog.text import fold

    pool: list[str] = []
    for doc in documents:
        pool += doc["code_variants"][:2]
        words = (doc["title_vi"] or "").split()
        for n in (2, 3, 4):
            if len(words) >= n:
                phrase = " ".join(words[:n]).strip(" -–,.")
                pool += [phrase, fold(phrase)]
        if doc["title_en"]:
            pool.append(" ".join(doc["title_en"].split()[:3]))
    for product in products:
        for name in [product["name"], *product["aliases"]]:
            pool += [name, fold(name), name.split()[0]]
    return list(dict.fromkeys(q for q in pool if q.strip()))


def repeat_heavy(pool: list[str], n: int, rng: random.Random) -> list[str]:
    popular = rng.sample(pool, 40)
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    return [
        rng.choices(popular, weights)[0] if rng.random() < 0.8 else rng.choice(pool)
        for _ in range(n)
    ]


def all_distinct(pool: list[str], n: int, rng: random.Random) -> list[str]:
    """n distinct queries: the pool, then pool entries with one more word (still realistic)."""
    queries = list(pool)
    rng.shuffle(queries)
    extra = ["tươi", "yêu cầu", "phương pháp", "thực phẩm", "kỹ thuật", "2023", "sản phẩm"]
    i = 0
    while len(queries) < n:
        queries.append(f"{pool[i % len(pool)]} {extra[(i // len(pool)) % len(extra)]}")
        i += 1
    return list(dict.fromkeys(queries))[:n]


# --- load ----------------------------------------------------------------------------------


async def drive(call: Callable[[str], Awaitable[object]], queries: list[str]) -> dict[str, float]:
    """Run ``call`` over ``queries`` with CONCURRENCY workers; rps and latency percentiles."""
    latencies: list[float] = []
    # Open every pooled connection first, off the clock (queries not in the mix).
    await asyncio.gather(*(call(f"warm up {i}") for i in range(2 * CONCURRENCY)))
    todo = iter(queries)

    async def worker() -> None:
        for q in todo:
            started = time.perf_counter()
            await call(q)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def meili_request(service: SearchService, q: str) -> dict:
    """Exactly the multi-search our layer sends for a plain (non-code) query."""
    return {"queries": [service._text_query(name, q, {}, 20) for name in (DOCUMENTS, PRODUCTS)]}


async def bench_meili(url: str, key: str, queries: list[str]) -> dict[str, float]:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    shape = SearchService(url, key, PREFIX)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as client:

        async def call(q: str) -> None:
            body = msgspec.json.encode(meili_request(shape, q))
            (await client.post("/multi-search", content=body)).raise_for_status()

        return await drive(call, queries)


async def bench_layer(url: str, key: str, queries: list[str]) -> dict[str, float]:
    async with SearchService(url, key, PREFIX, timeout=5.0) as service:
        return await drive(lambda q: service.search(q), queries)


async def bench_sdk(url: str, key: str, queries: list[str]) -> dict[str, float]:
    from meilisearch_python_sdk import AsyncClient
    from meilisearch_python_sdk.models.search import SearchParams

    shape = SearchService(url, key, PREFIX)
    async with AsyncClient(url, key) as client:

        def params(name: str, q: str) -> SearchParams:
            query = shape._text_query(name, q, {}, 20)
            return SearchParams(
                index_uid=query["indexUid"],
                query=q,
                limit=20,
                facets=query["facets"],
                attributes_to_retrieve=query["attributesToRetrieve"],
                attributes_to_highlight=query["attributesToHighlight"],
                highlight_pre_tag=query["highlightPreTag"],
                highlight_post_tag=query["highlightPostTag"],
                show_ranking_score=True,
            )

        async def call(q: str) -> None:
            await client.multi_search([params(DOCUMENTS, q), params(PRODUCTS, q)])

        return await drive(call, queries)


async def bench_endpoint(base: str, queries: list[str]) -> dict[str, float]:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def call(q: str) -> None:
            (await client.get("/search", params={"q": q})).raise_for_status()

        return await drive(call, queries)


# --- the stand-in endpoint -----------------------------------------------------------------


def serve(port: int) -> None:
    """A minimal Litestar app: GET /search → SearchService.search, JSON out."""
    import uvicorn
    from litestar import Litestar, get

    state: dict[str, SearchService] = {}

    async def startup() -> None:
        state["search"] = SearchService(
            os.environ["BENCH_MEILI_URL"], os.environ["BENCH_SEARCH_KEY"], PREFIX, timeout=5.0
        )

    async def shutdown() -> None:
        await state["search"].aclose()

    @get("/search")
    async def search(q: str) -> dict:
        response = await state["search"].search(q)
        return {
            "total": response.total,
            "hits": [
                {"type": h.type, "id": h.id, "slug": h.slug, "code": h.code, "title": h.title}
                for h in response.hits
            ],
            "facets": response.facets,
        }

    @get("/health")
    async def health() -> dict:
        return {"status": "available"}

    app = Litestar([search, health], on_startup=[startup], on_shutdown=[shutdown])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_endpoint(url: str, key: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"BENCH_MEILI_URL": url, "BENCH_SEARCH_KEY": key}
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, timeout=30, process=process)
    return process, base


# --- build times ---------------------------------------------------------------------------


def synthetic_records(documents: list[dict], n: int, rng: random.Random) -> list[dict]:
    """n documents shaped like the bundled ones, with shuffled title words and fresh codes."""
    words = [w for d in documents for w in (d["title_vi"] or "").split()]
    out = []
    for i in range(n):
        base = documents[i % len(documents)]
        number = str(20_000 + i)
        title = " ".join(rng.choices(words, k=rng.randint(4, 12)))
        out.append(
            base
            | {
                "id": i + 1,
                "code": f"TCVN {number}:2020",
                "slug": f"tcvn-{number}-2020",
                "compact": [f"tcvn{number}2020", f"tcvn{number}", f"{number}2020"],
                "code_variants": [f"TCVN {number}:2020", f"TCVN {number}", f"{number}:2020"],
                "family": f"tcvn-{number}",
                "number_key": number,
                "title_vi": title,
            }
        )
    return out


# --- main ----------------------------------------------------------------------------------


def table(results: dict[str, dict[str, dict[str, float]]]) -> None:
    print(
        "\n| mix | path | req/s | p50 ms | p99 ms | req/s vs meili | p99 vs meili |\n"
        "|---|---|---:|---:|---:|---:|---:|"
    )
    for mix, by_path in results.items():
        base = by_path["meili"]
        for path, r in by_path.items():
            print(
                f"| {mix} | {path} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                f"{r['rps'] / base['rps']:.2f} | {r['p99'] / base['p99']:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per measurement")
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic documents")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    from search_fixture import bundled_setup

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("meilisearch_python_sdk").setLevel(logging.WARNING)

    rng = random.Random(4)
    with bundled_setup(PREFIX) as setup:
        documents = load_document_records(setup.engine)
        products = load_product_records(setup.engine)
        print(
            f"bundled build: {setup.documents} documents + {setup.products} products "
            f"indexed in {setup.build_seconds:.2f} s"
        )
        pool = query_pool(documents, products)
        mixes = {
            "repeat-heavy": repeat_heavy(pool, args.requests, rng),
            "all-distinct": all_distinct(pool, args.requests, rng),
        }
        print(f"{len(pool)} distinct base queries; {args.requests} requests per measurement")
        endpoint, base = start_endpoint(setup.url, setup.search_key)
        results: dict[str, dict[str, dict[str, float]]] = {}
        try:
            for mix, queries in mixes.items():
                warm = queries[:200]
                asyncio.run(bench_meili(setup.url, setup.search_key, warm))
                results[mix] = {
                    "meili": asyncio.run(bench_meili(setup.url, setup.search_key, queries)),
                    "layer": asyncio.run(bench_layer(setup.url, setup.search_key, queries)),
                    "sdk": asyncio.run(bench_sdk(setup.url, setup.search_key, queries)),
                    "endpoint": asyncio.run(bench_endpoint(base, queries)),
                }
                print(f"measured {mix}")
        finally:
            endpoint.terminate()
            endpoint.wait()
        table(results)

        if args.synthetic:
            records = {
                DOCUMENTS: synthetic_records(documents, args.synthetic, rng),
                PRODUCTS: products,
            }
            report = rebuild(
                setup.engine,
                setup.url,
                setup.master_key,
                prefix="bench_synthetic_",
                records=records,
            )
            print(
                f"\nsynthetic build: {report.documents} documents + {report.products} products "
                f"indexed (fresh indexes, settings, swap) in {report.seconds:.1f} s"
            )


if __name__ == "__main__":
    main()
