"""Resident memory of the Meilisearch we start, after indexing, with and without our limits.

For each catalog (the bundled data, then the synthetic catalog of bench/bench_api.py unless
``--skip-synthetic``) and each setting (our default indexing limits, then Meilisearch's own
defaults), a fresh Meilisearch indexes the catalog with ``index rebuild``'s code; the line
gives its resident memory (VmRSS) and peak (VmHWM) once every task has finished, and the
build time.

    .venv/bin/python bench/bench_meili_memory.py [--skip-synthetic]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_api import synthetic_catalog  # noqa: E402

from catalog import migrate  # noqa: E402
from catalog.store import make_engine  # noqa: E402
from search import config, indexer  # noqa: E402
from search.server import MeiliProcess, find_or_install_binary  # noqa: E402


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


def measure(label: str, url: str, limits: config.IndexingLimits, binary: Path) -> None:
    engine = make_engine(url)
    with (
        tempfile.TemporaryDirectory() as data,
        MeiliProcess.start(binary, Path(data), limits=limits) as server,
    ):
        idle, _ = memory_mb(server.pid)
        started = time.perf_counter()
        indexer.rebuild(engine, server.url, server.master_key)
        seconds = time.perf_counter() - started
        rss, peak = memory_mb(server.pid)
    engine.dispose()
    flags = " ".join(limits.flags()) or "(Meilisearch defaults)"
    print(
        f"{label:<18} {flags:<58} idle {idle:6.0f} MB  after indexing {rss:6.0f} MB  "
        f"peak {peak:6.0f} MB  build {seconds:5.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    binary = find_or_install_binary(config.bin_dir(), log=lambda _line: None)
    settings = [config.IndexingLimits(), config.IndexingLimits(memory=None, threads=None)]
    print(f"{os.cpu_count()} cores; {binary}")
    with tempfile.TemporaryDirectory() as tmp:
        catalogs = []
        url = f"sqlite:///{tmp}/bundled.db"
        migrate.upgrade(url)
        subprocess.run(
            [sys.executable, "-c", "from api.cli import main; main()", "ingest", "bundled"],
            cwd=REPO, env=dict(os.environ, DATABASE_URL=url), check=True, capture_output=True,
        )  # fmt: skip
        catalogs.append(("bundled data", url))
        if not args.skip_synthetic:
            url = f"sqlite:///{tmp}/synthetic.db"
            synthetic_catalog(url)
            catalogs.append(("synthetic catalog", url))
        for label, url in catalogs:
            for limits in settings:
                measure(label, url, limits, binary)


if __name__ == "__main__":
    main()
