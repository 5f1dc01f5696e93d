"""Soak run: the server under a steady realistic load for minutes, one line of figures a minute.

The bundled data in a scratch SQLite database, indexed in a fresh Meilisearch; the API
(uvicorn, 1 worker, rate limit off) with search on. wrk replays a mix of what people do —
searches, the browse, product, document and report pages, applicability answers for today
and other days, API reads and reports — over ``--clients`` kept-alive connections, one
minute at a time, and after each minute the script prints requests, errors, p50/p99 and the
server's and Meilisearch's resident memory. Bounded: ``--minutes`` (default 10), loopback only.

    make bench-tools
    .venv/bin/python bench/soak.py [--minutes 10] [--clients 64]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_api import Server, load_average  # noqa: E402
from bench_db import canonical  # noqa: E402
from search_fixture import bundled_setup  # noqa: E402
from wrk import require_wrk, run_wrk  # noqa: E402

from catalog import clock  # noqa: E402

SEARCHES = ("cam", "chè shan tuyết", "mat ong", "nhãn mác", "QCVN 8-2", "rượu", "gỗ", "tcvn 1873")


def realistic_mix(engine, size: int = 20_000, seed: int = 3) -> list[str]:
    with engine.connect() as conn:
        slugs = [row[0] for row in conn.exec_driver_sql("SELECT slug FROM product")]
        ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM product")]
        codes = [row[0] for row in conn.exec_driver_sql("SELECT code FROM document")]
    rng = random.Random(seed)
    today = clock.today()

    def a_day() -> date:
        return today if rng.random() < 0.6 else today - timedelta(days=rng.randrange(1, 6000))

    kinds = (
        (20, lambda: f"/api/v1/search?q={quote(rng.choice(SEARCHES))}"),
        (10, lambda: f"/tim-kiem?q={quote(rng.choice(SEARCHES))}"),
        (20, lambda: f"/api/v1/products/{rng.choice(ids)}/applicable?as_of={a_day()}"),
        (15, lambda: f"/san-pham/{rng.choice(slugs)}"),
        (10, lambda: f"/van-ban/{quote(rng.choice(codes), safe='')}"),
        (5, lambda: "/duyet"),
        (5, lambda: f"/api/v1/documents/{quote(rng.choice(codes), safe='')}"),
        (5, lambda: "/api/v1/reports/gaps"),
        (5, lambda: "/bao-cao/khoang-trong"),
        (5, lambda: "/api/v1/categories"),
    )
    weights = [weight for weight, _ in kinds]
    makers = [make for _, make in kinds]
    return [rng.choices(makers, weights)[0]() for _ in range(size)]


def rss_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()
    require_wrk("soak")
    with bundled_setup(prefix="soak_") as setup:
        env = {
            "MEILI_URL": setup.url,
            "MEILI_SEARCH_KEY": setup.search_key,
            "MEILI_INDEX_PREFIX": setup.prefix,
        }
        server = Server(setup.database_url, env=env)
        try:
            paths = canonical(server.base, realistic_mix(setup.engine))
            print(
                f"{len(paths)} requests in the mix ({len(set(paths))} distinct), "
                f"{args.clients} clients, {args.minutes} minutes; "
                f"server RSS {rss_mb(server.process.pid):.0f} MB, "
                f"Meilisearch RSS {rss_mb(setup.meili_pid):.0f} MB at the start"
            )
            watched = {"server": server.process.pid}
            total_errors = 0
            for minute in range(1, args.minutes + 1):
                started = time.monotonic()
                r = run_wrk(server.base, paths, 60, args.clients, cycle=True, watched=watched)
                total_errors += r.errors
                print(
                    f"minute {minute:2}: {r.requests:6} requests {r.rps:6.0f}/s  errors {r.errors}"
                    f"  p50 {r.p50:6.1f} ms  p99 {r.p99:7.1f} ms  server CPU "
                    f"{r.cpu['server']:.2f} ms/req  RSS server {rss_mb(server.process.pid):.0f} MB"
                    f"  Meilisearch {rss_mb(setup.meili_pid):.0f} MB  load {load_average()}"
                    f"  ({time.monotonic() - started:.0f} s)",
                    flush=True,
                )
            print(f"errors over the run: {total_errors}")
        finally:
            server.stop()


if __name__ == "__main__":
    os.environ.setdefault("TIEUCHUAN_RATE_LIMIT", "0")
    main()
