"""Ingest throughput: the bundled dataset, and N synthetic catalogue pages (default 100,000).

The synthetic pages follow the catalogue's record layout (docs/domain.md §3) and are replayed
from a temporary folder through the same crawler, parser, writer and single-transaction
run as real pages. Prints records per second, wall time and peak memory (RSS).

    .venv/bin/python bench/bench_ingest.py [--pages 100000] [--twice] [--database-url URL]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

from catalog import migrate
from catalog.store import make_engine
from ingest.jobs import ingest, ingest_bundled

BASE = "https://tieuchuan.vsqi.gov.vn"
PER_LISTING = 100
ICS = [("67.040", "Thực phẩm nói chung"), ("67.180.10", "Đường và sản phẩm đường")]
STATUS = ["A - Còn hiệu lực (Active)", "W - Hết hiệu lực (Withdraw)"]


def code(i: int) -> str:
    return f"TCVN {20000 + i // 4}:{2000 + i % 4 * 6}"


def record_page(i: int) -> str:
    rows = [
        ("Số hiệu", "Standard Number", code(i)),
        ("Năm ban hành", "Publication date", str(2000 + i % 4 * 6)),
        ("Tình trạng", "Status", STATUS[i % 4 == 0]),
        ("Tên tiếng Việt", "Title in Vietnamese", f"Thực phẩm - Phương pháp thử số {i} - Phần chè"),
        ("Tên tiếng Anh", "Title in English", f"Foodstuffs - Test method {i}"),
        ("Chỉ số phân loại Quốc tế (ICS)", "By field", " - ".join(ICS[i % 2])),
        ("Số trang", "Page", str(10 + i % 40)),
        ("Phạm vi áp dụng", "Scope of standard", "Tiêu chuẩn này quy định phương pháp thử. " * 5),
        ("Tiêu chuẩn viện dẫn", "Nomative references", f"{code((i + 7) % max(i, 1))}, Tên<br/>"),
        ("Quyết định công bố", "Decision number", f"{1000 + i % 900}/QĐ-BKHCN , Ngày 31-12-2019"),
    ]
    if i % 4:
        target = code(i - 1)
        link = f'<a href="/tieuchuan/view?sohieu={quote_plus(target)}">{target}</a>'
        rows.append(("Thay thế cho", "Replace", link))
    cells = "".join(
        f"<tr><td><b>{vi}</b><br/><i>{en}</i></td><td>{v}</td></tr>" for vi, en, v in rows
    )
    head = f'<head><meta charset="utf-8"><title>{code(i)}</title></head>'
    return f"<html>{head}<body><table>{cells}</table></body></html>"


def write_site(folder: Path, pages: int) -> None:
    manifest = []
    listings = (pages + PER_LISTING - 1) // PER_LISTING
    for n in range(listings):
        links = []
        for i in range(n * PER_LISTING, min(pages, (n + 1) * PER_LISTING)):
            path = f"/tieuchuan/view?sohieu={quote_plus(code(i))}"
            (folder / f"r{i}.html").write_text(record_page(i), encoding="utf-8")
            manifest.append(f"{BASE}{path}\tr{i}.html")
            links.append(f'<li><a href="{path}">{code(i)}</a></li>')
        nxt = (
            f'<a class="next" href="/tieuchuan/index?page={n + 2}">›</a>'
            if n + 1 < listings
            else ""
        )
        html = f"<html><body><ul>{''.join(links)}</ul>{nxt}</body></html>"
        (folder / f"l{n}.html").write_text(html, encoding="utf-8")
        url = f"{BASE}/tieuchuan/index" + (f"?page={n + 1}" if n else "")
        manifest.append(f"{url}\tl{n}.html")
    (folder / "pages.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")


def rate(records: int, seconds: float) -> str:
    return f"{records / seconds:,.0f} records/s"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--twice", action="store_true", help="also time an idempotent second run of the pages"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        engine = make_engine(url)

        started = time.perf_counter()
        summaries = ingest_bundled(engine)
        seconds = time.perf_counter() - started
        records = sum(s.records for s in summaries)
        print(f"bundled dataset: {records} records in {seconds:.2f} s = {rate(records, seconds)}")
        started = time.perf_counter()
        again = ingest_bundled(engine)
        seconds = time.perf_counter() - started
        changed = sum(s.new + s.updated for s in again)
        print(
            f"bundled, second run ({changed} changed): {seconds:.2f} s = {rate(records, seconds)}"
        )

        site = Path(tmp) / "site"
        site.mkdir()
        started = time.perf_counter()
        write_site(site, args.pages)
        print(f"wrote {args.pages:,} synthetic pages in {time.perf_counter() - started:.1f} s")
        last = [time.perf_counter()]

        def progress(writer) -> None:
            if time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                done = writer.counts["new"] + writer.counts["updated"] + writer.counts["unchanged"]
                print(f"  … {done:,} records", file=sys.stderr, flush=True)

        for label in ("first run", "second run")[: 2 if args.twice else 1]:
            started = time.perf_counter()
            summary = ingest(engine, "catalogue", origin=site, progress=progress)
            seconds = time.perf_counter() - started
            print(
                f"synthetic catalogue, {label}: {args.pages:,} pages, {summary.records:,} records "
                f"({summary.new:,} new, {summary.updated:,} updated, "
                f"{summary.unchanged:,} unchanged, {summary.rejected} rejected) "
                f"in {seconds:.1f} s = {args.pages / seconds:,.0f} pages/s, "
                f"{rate(summary.records, seconds)}"
            )
        engine.dispose()
    print(f"peak memory (RSS): {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
