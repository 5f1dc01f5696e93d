"""Search speed: Meilisearch directly against our API's search endpoint, same queries.

    make bench-tools              # the load generator wrk, once
    .venv/bin/python bench/bench_search.py [--seconds 15] [--connections 32]
                                           [--api-workers 1] [--synthetic 100000]

Both paths are driven by ``wrk`` (C, one thread, ``--connections`` kept-alive connections,
its own process), so the load generator costs little and the same on both sides:

- ``meili``: ``POST /multi-search`` on Meilisearch with exactly the request our layer sends
  for that query (``SearchService.multi_search_body``), with the search-only key;
- ``api``: ``GET /api/v1/search?q=`` on the real application (``api.app:create_app``) served
  by uvicorn in its own process(es) (``--api-workers``), on a copy of the bundled data; the
  rate limit is off (600 a minute per client would refuse a benchmark).

Everything shares this machine's cores: Meilisearch runs one search per core, the API's
worker(s) and wrk take the rest. Two query mixes: repeat-heavy (80 % of requests from 40
popular queries, Zipf-like; results may be cached until the index changes) and all-distinct
(no query twice). Each measurement follows a short warm-up on other queries, and the API is
started afresh for each mix (empty cache). CPU seconds used by Meilisearch and by the API
during each measurement are printed per request. Then the index build time for the bundled
data and for ``--synthetic`` generated documents.

Why not a Python load generator: httpx (and so meilisearch-python-sdk) asks for gzip, and
Meilisearch's chunked gzip answer on a kept-alive connection waits ~40 ms for a delayed ACK;
httpx's pool also spends 2-4 ms of CPU per request at 32 concurrent callers, on the cores
Meilisearch needs. A generator like that measures itself (see ``search/transport.py``).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import msgspec
from wrk import Figures, require_wrk, run_wrk

from catalog.text import fold
from search.documents import DOCUMENTS, PRODUCTS, load_document_records, load_product_records
from search.indexer import rebuild
from search.query import SearchService
from search.server import free_port

PREFIX = "bench_"
WARM_UP_SECONDS = 3
EXTRA_WORDS = ["tươi", "yêu cầu", "phương pháp", "thực phẩm", "kỹ thuật", "2023", "sản phẩm"]
WARM_UP_WORD = "mẫu thử"  # only warm-up queries carry it

# --- query mixes ---------------------------------------------------------------------------


def query_pool(documents: list[dict], products: list[dict]) -> list[str]:
    """Distinct realistic queries: codes as typed, title and name beginnings, folded forms."""
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
    """80 % from 40 popular queries (weight 1/rank), 20 % from the whole pool."""
    popular = rng.sample(pool, 40)
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    return [
        rng.choices(popular, weights)[0] if rng.random() < 0.8 else rng.choice(pool)
        for _ in range(n)
    ]


def all_distinct(pool: list[str], n: int, rng: random.Random) -> list[str]:
    """n distinct queries: the pool, then pool entries with one or two more words."""
    tails = EXTRA_WORDS + [f"{a} {b}" for a in EXTRA_WORDS for b in EXTRA_WORDS if a != b]
    queries = list(pool)
    rng.shuffle(queries)
    seen = set(queries)
    for tail in tails:
        for q in pool:
            if len(queries) >= n:
                return queries
            if (longer := f"{q} {tail}") not in seen:
                seen.add(longer)
                queries.append(longer)
    return queries


# --- load ----------------------------------------------------------------------------------


def start_api(setup, workers: int) -> tuple[subprocess.Popen, str]:
    """The real application under uvicorn, on the benchmark's database and indexes."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MEILI_MASTER_KEY"} | {
        "DATABASE_URL": setup.database_url,
        "MEILI_URL": setup.url,
        "MEILI_SEARCH_KEY": setup.search_key,
        "MEILI_INDEX_PREFIX": PREFIX,
        "TIEUCHUAN_RATE_LIMIT": "0",
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[1])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop(process)
    sys.exit(f"bench_search: the API at {base} did not come up (exit {process.returncode})")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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


def table(results: dict[str, dict[str, Figures]]) -> None:
    print(
        "\n| mix | path | requests | req/s | p50 ms | p99 ms | req/s vs meili | p99 vs meili "
        "| CPU ms/req meili | CPU ms/req api |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for mix, by_path in results.items():
        base = by_path["meili"]
        for path, r in by_path.items():
            cpu = " | ".join(f"{r.cpu[name]:.2f}" if name in r.cpu else "–" for name in WATCHED)
            note = " (ran out of queries)" if r.ran_out else ""
            note += f" ({r.errors} errors)" if r.errors else ""
            print(
                f"| {mix} | {path}{note} | {r.requests} | {r.rps:.0f} | {r.p50:.1f} | "
                f"{r.p99:.1f} | {r.rps / base.rps:.2f} | {r.p99 / base.p99:.2f} | {cpu} |"
            )


WATCHED = ("meili", "api")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="length of each measurement")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients")
    parser.add_argument("--api-workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic documents")
    args = parser.parse_args()
    require_wrk("bench_search")

    from search_fixture import bundled_setup

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rng = random.Random(4)
    with bundled_setup(PREFIX) as setup:
        documents = load_document_records(setup.engine)
        products = load_product_records(setup.engine)
        print(
            f"bundled build: {setup.documents} documents + {setup.products} products "
            f"indexed in {setup.build_seconds:.2f} s"
        )
        pool = query_pool(documents, products)
        # More requests than each path can serve in --seconds (wrk flags it if not).
        meili_enough, api_enough = int(args.seconds * 2000), int(args.seconds * 10_000)
        mixes = {
            "repeat-heavy": repeat_heavy(pool, api_enough, rng),
            "all-distinct": all_distinct(pool, int(args.seconds * 2000), rng),
        }
        warm_up = [f"{q} {WARM_UP_WORD}" for q in rng.sample(pool, min(len(pool), 1000))]
        print(
            f"{len(pool)} distinct base queries, {len(mixes['all-distinct'])} all-distinct; "
            f"wrk, {args.connections} connections, {args.seconds:g} s per measurement, "
            f"API with {args.api_workers} uvicorn worker(s)"
        )
        shape = SearchService(setup.url, setup.search_key, PREFIX)

        def bodies(queries: list[str]) -> list[str]:
            return [msgspec.json.encode(shape.multi_search_body(q)).decode() for q in queries]

        def paths(queries: list[str]) -> list[str]:
            return [f"/api/v1/search?q={quote(q, safe='')}" for q in queries]

        results: dict[str, dict[str, Figures]] = {}
        for mix, queries in mixes.items():
            args.watched = {"meili": setup.meili_pid} if setup.meili_pid else {}
            key = setup.search_key
            post = dict(method="POST", key=key, watched=args.watched)
            run_wrk(setup.url, bodies(warm_up), WARM_UP_SECONDS, args.connections, **post)
            meili = run_wrk(
                setup.url, bodies(queries[:meili_enough]), args.seconds, args.connections, **post
            )
            api, base = start_api(setup, args.api_workers)
            try:
                args.watched["api"] = api.pid
                watched = args.watched
                run_wrk(base, paths(warm_up), WARM_UP_SECONDS, args.connections, watched=watched)
                api_figures = run_wrk(
                    base, paths(queries), args.seconds, args.connections, watched=watched
                )
                results[mix] = {"meili": meili, "api": api_figures}
            finally:
                stop(api)
            print(f"measured {mix}", flush=True)
        table(results)
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

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
