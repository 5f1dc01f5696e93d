"""Load benchmark of the database-backed endpoints on loopback, beside the /health floor.

The paths people hit that read the relational store on every request (the held-answer path
of bench_api.py skips it): the category tree, product lists and details, document details,
the browse page, product and document pages, and the gap report (API and page). For each
client count (default 32 and 128) one run prints requests per second, p50/p99 latency and
errors for ``/health`` (the framework's floor) and for that mix (asked plain, as wrk asks,
and gzipped, as browsers ask), the server's CPU per request, and the ratios (goal:
throughput ≥ 0.3× the floor's, p99 ≤ 3× the floor's).

    make bench-tools                       # the load generator wrk, once
    .venv/bin/python bench/bench_db.py [--seconds 10] [--clients 32,128] [--database-url URL]

The server holds finished public responses for the catalog version (api/response_cache.py);
a second server started with ``TIEUCHUAN_RESPONSES_HELD_MB=0`` works out every answer: its
rows show the cost of the store and the pages themselves.

The server is uvicorn (1 worker, rate limit off, default threads and pool) in a subprocess
over the bundled data (a fresh SQLite file unless ``--database-url`` names an empty
PostgreSQL schema or database to load); wrk replays the mix from another process. All share
the machine's cores.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_api import Server, load_average  # noqa: E402
from wrk import require_wrk, run_wrk  # noqa: E402

from catalog import migrate  # noqa: E402
from catalog.store import make_engine  # noqa: E402

WARM_UP_SECONDS = 2


def load_bundled(url: str) -> None:
    migrate.upgrade(url)
    subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "ingest", "bundled"],
        cwd=REPO, env=dict(os.environ, DATABASE_URL=url), check=True, capture_output=True,
    )  # fmt: skip


def request_mix(url: str, size: int = 5_000, seed: int = 7) -> tuple[list[str], str]:
    """``size`` requests over the database-backed endpoints, and that mix in words."""
    engine = make_engine(url)
    with engine.connect() as conn:
        slugs = [row[0] for row in conn.exec_driver_sql("SELECT slug FROM product")]
        ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM product")]
        codes = [row[0] for row in conn.exec_driver_sql("SELECT code FROM document")]
        categories = [row[0] for row in conn.exec_driver_sql("SELECT slug FROM product_category")]
    engine.dispose()
    rng = random.Random(seed)
    kinds = {
        "categories": lambda: "/api/v1/categories",
        "issuers": lambda: "/api/v1/issuers",
        "product list": lambda: f"/api/v1/products?category={rng.choice(categories)}&limit=50",
        "product": lambda: f"/api/v1/products/{rng.choice(ids)}",
        "document": lambda: f"/api/v1/documents/{quote(rng.choice(codes), safe='')}",
        "browse page": lambda: "/duyet",
        "product page": lambda: f"/san-pham/{rng.choice(slugs)}",
        "document page": lambda: f"/van-ban/{quote(rng.choice(codes), safe='')}",
        "gap report": lambda: "/api/v1/reports/gaps",
        "gap page": lambda: "/bao-cao/khoang-trong",
    }
    names = list(kinds)
    paths = [kinds[rng.choice(names)]() for _ in range(size)]
    words = (
        f"{size} requests, kinds uniform over {', '.join(names)}; {len(ids)} products, "
        f"{len(codes)} documents"
    )
    return paths, words


def bench(url: str, args: argparse.Namespace) -> None:
    paths, mix = request_mix(url)
    print(f"  mix: {mix}")
    rows = []
    # The held server is asked as wrk asks (no compression) and as browsers ask (gzip): the
    # bodies of pages are 15-40 kB plain, a fifth of that gzipped.
    for held_mb, mixes in (
        (None, (("database mix", False), ("database mix, gzip", True))),
        (0, (("  uncached", False),)),
    ):
        server = Server(
            url, env={"TIEUCHUAN_RESPONSES_HELD_MB": str(held_mb)} if held_mb == 0 else {}
        )
        try:
            watched = {"server": server.process.pid}
            final = canonical(server.base, paths)  # also holds each response once
            for _, gzip in mixes:
                run_wrk(
                    server.base, final, WARM_UP_SECONDS, 8, cycle=True, gzip=gzip, watched=watched
                )
            rss_start = server.rss_mb()
            for clients in args.clients:
                before = load_average()
                floor = run_wrk(
                    server.base, ["/health"], args.seconds, clients, cycle=True, watched=watched
                )
                for name, gzip in mixes:
                    mixed = run_wrk(
                        server.base, final, args.seconds, clients, cycle=True, gzip=gzip,
                        watched=watched,
                    )  # fmt: skip
                    rows.append((name, clients, floor, mixed, before, load_average()))
            name = mixes[0][0]
            held = httpx.get(f"{server.base}/ready", timeout=10).json()["responses"]
            print(
                f"  {name.strip()}: server RSS {rss_start:.0f} MB after warm-up, "
                f"{server.rss_mb():.0f} MB at the end; responses held {held}"
            )
        finally:
            server.stop()
    for name, clients, floor, mixed, before, after in rows:
        print(f"\n  -- {name.strip()}, {clients} clients; load average {before} / {after}")
        for what, r in (("/health (floor)", floor), (name, mixed)):
            print(
                f"  {what:<16} {r.rps:8.0f} req/s  p50 {r.p50:7.1f} ms  p99 {r.p99:7.1f} ms  "
                f"server CPU {r.cpu['server']:.2f} ms/req  ({r.requests} requests, "
                f"{r.errors} errors)"
            )
        print(
            f"  ratio: throughput {mixed.rps / floor.rps:.2f} of the floor (goal ≥ 0.3), "
            f"p99 {mixed.p99 / floor.p99:.2f}× the floor's (goal ≤ 3)"
        )


def canonical(base: str, paths: list[str]) -> list[str]:
    """The mix with redirects resolved (pages redirect a code to its slug); all must be 200."""
    final: dict[str, str] = {}
    # As wrk asks (no compression) and as browsers ask (gzip), so that these requests also
    # warm the responses held.
    headers = {"Accept-Encoding": "identity"}
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True, headers=headers) as client:
        for path in dict.fromkeys(paths):
            response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}: the mix must be all 2xx")
            final[path] = response.url.raw_path.decode()
            client.get(final[path], headers={"Accept-Encoding": "gzip"})  # as browsers ask
    return [final[path] for path in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--clients", type=lambda s: [int(n) for n in s.split(",")], default=[32, 128]
    )
    parser.add_argument("--database-url", help="an empty database to load (default: SQLite)")
    args = parser.parse_args()
    require_wrk("bench_db")
    print(f"{os.cpu_count()} cores; load average {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bundled.db"
        load_bundled(url)
        print(f"\n== bundled data on {url.split(':', 1)[0]}, wrk")
        bench(url, args)


if __name__ == "__main__":
    main()
