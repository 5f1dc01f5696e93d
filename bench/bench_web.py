"""Time to first byte of the web product page, served by the real app over loopback.

Usage: .venv/bin/python bench/bench_web.py [--requests 400] [--dataset bundled|small]

Loads a fresh SQLite catalog (the bundled dataset via ``ingest.jobs.ingest_bundled``, or the
small web-test catalog), starts the app with uvicorn in a thread, and measures sequential
requests (one client, keep-alive): TTFB = until the status line and headers arrive. Prints
p50/p99 for the product page on today's date, for the product page with a different date
every time (answers are computed on the in-memory catalog graph each time), and for
``/health`` as the floor of the framework.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from web import dataset as small_dataset  # noqa: E402
from web.serving import Server  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import ApiSettings  # noqa: E402
from catalog import migrate  # noqa: E402
from catalog.models import Product  # noqa: E402
from catalog.store import make_engine  # noqa: E402


def load(engine, which: str) -> str:
    if which == "bundled":
        from ingest.jobs import ingest_bundled

        ingest_bundled(engine)
        return "bundled dataset (fixtures/dataset)"
    with Session(engine) as session:
        small_dataset.load(session)
    return "small web-test catalog (tests/web/dataset.py)"


def ttfb(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        response.read()
    return elapsed * 1000


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name:<58} n={len(samples):<5} p50 {statistics.median(ordered):6.2f} ms"
        f"   p99 {p99:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--dataset", choices=["bundled", "small"], default="bundled")
    parser.add_argument("--product", default=None, help="product slug (default: the first)")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        try:
            what = load(engine, args.dataset)
        except Exception as exc:  # the bundled dataset may not be usable: say so, fall back
            print(f"bundled dataset failed ({exc!r}); using the small catalog")
            migrate.upgrade(url)
            what = load(engine, "small")
        with Session(engine) as session:
            products = session.exec(select(Product).order_by(Product.id)).all()
        slug = args.product or next(
            (p.slug for p in products if p.slug.startswith("cam-sanh")), products[0].slug
        )
        seconds = time.perf_counter() - started
        print(f"catalog: {what}, {len(products)} products, loaded in {seconds:.1f} s")
        settings = ApiSettings(database_url=url, rate_limit_per_minute=None)
        with (
            Server(create_app(settings, engine=engine)) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            page = f"/san-pham/{slug}"
            for _ in range(20):  # warm-up
                ttfb(client, page)
                ttfb(client, "/health")
            n = args.requests
            report("GET /health (floor)", [ttfb(client, "/health") for _ in range(n)])
            report(f"GET {page} (today)", [ttfb(client, page) for _ in range(n)])
            days = [date(2000, 1, 1) + timedelta(days=i * 7) for i in range(n)]
            report(
                f"GET {page}?ngay=… (new date each time)",
                [ttfb(client, f"{page}?ngay={d.isoformat()}") for d in days],
            )


if __name__ == "__main__":
    main()
