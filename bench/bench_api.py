"""Load benchmark of the API on loopback: the applicability endpoint beside /health.

One run prints, for each catalog (the bundled data, then a synthetic catalog of 100,000
documents and 10,000 products), requests per second and p50/p99 latency at 32 concurrent
clients for ``/health`` (the framework's floor) and for ``/api/v1/products/{id}/applicable``,
the server's CPU per request, and the ratios. Requests are spread like real traffic
(:func:`request_mix`): a product drawn uniformly from the whole catalog, half of them for
today and half for a day drawn uniformly since 2000-01-01, so almost no two are alike.
The same mix is then asked with facts (``&facts=…``, one of :data:`FACTS_ASKED` per request),
which settle the rules' typed conditions (catalog/answer_facts.py): such answers are computed
every time, never held. The synthetic catalog types a share of its rules' conditions.

The server holds every product's answers for all days as JSON once it has worked them out
(api/services/answers.py): the bench waits for that and says how long it took and how much
memory the server then uses. A second server started with ``TIEUCHUAN_ANSWERS_HELD=0``
computes every answer when asked: its row shows the engine's own cost.

    make bench-tools              # the load generator wrk, once
    .venv/bin/python bench/bench_api.py [--seconds 10] [--clients 32] [--skip-bundled]

The server is uvicorn (1 worker, rate limit off) in a subprocess; the load generator is wrk
(bench/wrk.py: C, one thread, ``--clients`` kept-alive connections) in another, cycling
through the request paths written to a file. All share the machine's cores. A Python
generator (httpx) spent 2-4 ms of CPU per request and capped the floor near 490 req/s: it
measured itself more than the server.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from wrk import require_wrk, run_wrk  # noqa: E402

from catalog import clock, migrate  # noqa: E402
from catalog.models import (  # noqa: E402
    ApplicabilityRule,
    Document,
    DocumentRelation,
    Product,
    ProductCategory,
    ProductCode,
)
from catalog.store import make_engine  # noqa: E402

# Typed conditions given in turn to the synthetic rules (None: unconditional), about as many
# as in the bundled rules (120 of 259 typed).
SYNTHETIC_CONDITIONS = (
    None,
    "prepackaged=yes",
    None,
    "packaging=glass|ceramic",
    "claims=organic",
    None,
    "prepackaged=yes; claims=ocop",
    "activity=processing|packing",
)
# The facts a request gives, in turn: loose, packed in plastic, an OCOP product in glass, an
# organic export.
FACTS_ASKED = (
    "prepackaged:no,market:domestic",
    "prepackaged:yes,packaging:plastic,claims:none,market:domestic",
    "prepackaged:yes,packaging:glass,claims:ocop,market:domestic,activity:packing+trading",
    "prepackaged:yes,packaging:paper,claims:organic+vietgap,market:export,activity:growing",
)


def synthetic_catalog(url: str, documents: int = 100_000, products: int = 10_000) -> list[int]:
    """Documents in edition chains, a 3-level category tree, products with HS codes, rules."""
    migrate.upgrade(url)
    engine = make_engine(url)
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    docs, relations = [], []
    for i in range(1, documents + 1):
        family, edition = divmod(i - 1, 4)  # four editions per family
        year = 1995 + edition * 8
        qcvn = family % 10 == 0
        prefix = "QCVN" if qcvn else "TCVN"
        code = f"{prefix} {family + 1}:{year}" + ("/BYT" if qcvn else "")
        slug = code.lower().replace(" ", "-").replace(":", "-").replace("/", "-")
        docs.append(
            dict(
                id=i, code=code, slug=slug, compact=slug.replace("-", ""),
                family=f"{prefix.lower()}-{family + 1}", doc_type=prefix.lower(),
                number=str(family + 1), year=year, title_vi=f"Tài liệu {code}",
                status="in_force" if edition == 3 else "superseded",
                effective_from=date(year, 1, 1), created_at=now, updated_at=now,
            )
        )  # fmt: skip
        if edition:
            relations.append(
                dict(source_id=i, target_id=i - 1, kind="replaces", effective_on=date(year, 1, 1))
            )
        if qcvn and edition == 3:
            for k in range(1, 4):
                target = min(documents, i + 4 * k)
                relations.append(
                    dict(source_id=i, target_id=target, kind="cites_mandatory", effective_on=None)
                )
    categories = [dict(id=1, slug="thuc-pham", name_vi="Thực phẩm", parent_id=None)]
    categories += [
        dict(id=2 + g, slug=f"nhom-{g}", name_vi=f"Nhóm {g}", parent_id=1) for g in range(20)
    ]
    categories += [
        dict(id=22 + s, slug=f"loai-{s}", name_vi=f"Loại {s}", parent_id=2 + s % 20)
        for s in range(200)
    ]
    product_rows, codes, rules = [], [], []
    for p in range(1, products + 1):
        product_rows.append(
            dict(
                id=p, slug=f"san-pham-{p}", name_vi=f"Sản phẩm {p}", kind="key",
                category_id=22 + p % 200, geographical_indication=False,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        codes.append(dict(product_id=p, scheme="hs", code=f"{p % 97:02d}{p % 89:02d}10"))

    def rule(key, doc, **subject):
        empty = dict(product_id=None, category_id=None, subject_code=None)
        typed = SYNTHETIC_CONDITIONS[len(rules) % len(SYNTHETIC_CONDITIONS)]
        rules.append(
            dict(
                empty, subject_key=key, document_id=doc, role="product_standard",
                condition=typed, typed_condition=typed, **subject,
            )
        )  # fmt: skip

    for p in range(1, products + 1):
        for k in range(3):
            doc = rng.randrange(1, documents + 1)
            rule(f"product:san-pham-{p}:{k}", doc, subject_kind="product", product_id=p)
    for c in range(1, 222):
        for k in range(4):
            doc = rng.randrange(1, documents + 1)
            rule(f"category:{c}:{k}", doc, subject_kind="category", category_id=c)
    for h in range(97):
        for k in range(3):
            doc = rng.randrange(1, documents + 1)
            rule(f"hs_prefix:{h:02d}:{k}", doc, subject_kind="hs_prefix", subject_code=f"{h:02d}")
    with engine.begin() as conn:
        for model, rows in (
            (Document, docs),
            (DocumentRelation, relations),
            (ProductCategory, categories),
            (Product, product_rows),
            (ProductCode, codes),
            (ApplicabilityRule, rules),
        ):
            for start in range(0, len(rows), 5000):
                conn.execute(insert(model), rows[start : start + 5000])
    engine.dispose()
    print(
        f"synthetic catalog: {len(docs)} documents, {len(relations)} relations, "
        f"{len(product_rows)} products, {len(rules)} rules in {time.perf_counter() - started:.1f} s"
    )
    return [p["id"] for p in product_rows]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(
        self, database_url: str, answers_held: int | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        base = {name: value for name, value in os.environ.items() if name != "MEILI_URL"}
        env = dict(base, DATABASE_URL=database_url, TIEUCHUAN_RATE_LIMIT="0", **(env or {}))
        if answers_held is not None:
            env["TIEUCHUAN_ANSWERS_HELD"] = str(answers_held)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            cwd=REPO, env=env,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120  # a shared machine under load starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start")

    def answers(self) -> dict:
        """What the server says about the answers it holds (``/ready``)."""
        return httpx.get(f"{self.base}/ready", timeout=10).json()["answers"]

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


MIX_SIZE = 50_000
MIX_SINCE = date(2000, 1, 1)


def request_mix(
    product_ids: list[int], size: int = MIX_SIZE, seed: int = 11
) -> tuple[list[str], str]:
    """``size`` applicability requests spread like real traffic, and that mix in words."""
    rng = random.Random(seed)
    today = clock.today()
    span = (today - MIX_SINCE).days
    paths = []
    for _ in range(size):
        day = today if rng.random() < 0.5 else MIX_SINCE + timedelta(days=rng.randrange(span))
        paths.append(f"/api/v1/products/{rng.choice(product_ids)}/applicable?as_of={day}")
    words = (
        f"{size} requests over {len(set(paths))} distinct (product, day) pairs: products "
        f"uniform over all {len(product_ids)}, half for today, half for a uniform day "
        f"{MIX_SINCE}..{today}"
    )
    return paths, words


def with_facts(paths: list[str]) -> list[str]:
    """The same requests, each giving one of :data:`FACTS_ASKED` in turn."""
    asked = [quote(facts, safe=":,") for facts in FACTS_ASKED]
    return [f"{p}&facts={asked[i % len(asked)]}" for i, p in enumerate(paths)]


WARM_UP_SECONDS = 2
HOLD_TIMEOUT = 600  # seconds to wait for the server to hold every day of every product


def bench(label: str, database_url: str, product_ids: list[int], args) -> None:
    paths, mix = request_mix(product_ids)
    warm_up, _ = request_mix(product_ids, size=1000, seed=12)
    print(f"\n== {label}, {len(product_ids)} products, {args.clients} clients (wrk)")
    print(f"  mix: {mix}")
    rows = []
    for answers_held, name in ((None, "applicable"), (0, "  computed")):
        before = load_average()
        server = Server(database_url, answers_held)
        try:
            watched = {"server": server.process.pid}

            def measure(lines: list[str], seconds: float, server=server, watched=watched):
                return run_wrk(
                    server.base, lines, seconds, args.clients, cycle=True, watched=watched
                )

            # The first answer loads and prepares the catalog graph: keep it out of the figures.
            started = time.perf_counter()
            httpx.get(server.base + warm_up[0], timeout=300).raise_for_status()
            first = time.perf_counter() - started
            if answers_held is None:
                print(f"  first answer (loads the catalog graph): {first:.2f} s")
                while not server.answers()["every_day"]:
                    if time.perf_counter() - started > HOLD_TIMEOUT:
                        sys.exit(
                            f"the server held not every day in {HOLD_TIMEOUT} s: "
                            f"{server.answers()} (is TIEUCHUAN_ANSWERS_HELD too low?)"
                        )
                    time.sleep(0.2)
                held = server.answers()
                print(
                    f"  every day of every product held after {time.perf_counter() - started:.1f}"
                    f" s: {held['held']} answers; server RSS {server.rss_mb():.0f} MB"
                )
            else:
                print(f"  first answer (loads the graph; nothing held): {first:.2f} s")
            measure(["/health"], WARM_UP_SECONDS)
            measure(warm_up, WARM_UP_SECONDS)
            floor = measure(["/health"], args.seconds)
            answer = measure(paths, args.seconds)
            facts = None
            if answers_held is None:  # answers with facts are never held: asked once
                measure(with_facts(warm_up), WARM_UP_SECONDS)
                facts = measure(with_facts(paths), args.seconds)
            rows.append(
                (name, floor, answer, facts, server.answers(), before, load_average(),
                 server.rss_mb())
            )  # fmt: skip
        finally:
            server.stop()
    for name, floor, answer, facts, held, before, after, rss in rows:
        print(
            f"  -- {name.strip()}: load average before/after {before} / {after}; "
            f"server RSS at the end {rss:.0f} MB"
        )
        measured = [("/health (floor)", floor), (name, answer)]
        measured += [("with facts", facts)] if facts else []
        for what, r in measured:
            print(
                f"  {what:<16} {r.rps:8.0f} req/s  p50 {r.p50:6.1f} ms  p99 {r.p99:6.1f} ms  "
                f"server CPU {r.cpu['server']:.2f} ms/req  ({r.requests} requests, "
                f"{r.errors} errors)"
            )
        if answer.requests > len(paths):
            print(f"  (wrk went through the mix {answer.requests / len(paths):.1f} times)")
        print(
            f"  answers served held {held['served_held']}, computed {held['computed']}; "
            f"ratio: throughput {answer.rps / floor.rps:.2f} of the floor (target ≥ 0.5), "
            f"p99 {answer.p99 / floor.p99:.2f}× the floor's (target < 2)"
        )
        if facts:
            print(
                f"  with facts: throughput {facts.rps / floor.rps:.2f} of the floor, "
                f"p99 {facts.p99 / floor.p99:.2f}× the floor's"
            )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--skip-bundled", action="store_true")
    args = parser.parse_args()
    require_wrk("bench_api")
    print(f"{os.cpu_count()} cores; load average {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_bundled:
            url = f"sqlite:///{tmp}/bundled.db"
            migrate.upgrade(url)
            env = dict(os.environ, DATABASE_URL=url)
            subprocess.run(
                [sys.executable, "-c", "from api.cli import main; main()", "ingest", "bundled"],
                cwd=REPO, env=env, check=True, capture_output=True,
            )  # fmt: skip
            engine = make_engine(url)
            with engine.connect() as conn:
                ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM product")]
            engine.dispose()
            bench("bundled data", url, ids, args)
        url = f"sqlite:///{tmp}/synthetic.db"
        ids = synthetic_catalog(url)
        bench("synthetic catalog", url, ids, args)


if __name__ == "__main__":
    main()
