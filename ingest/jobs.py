"""From a source name and an origin (folder, file or base URL) to a finished run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path

from sqlalchemy import Engine

from catalog import clock
from catalog.paths import REPO_ROOT, var_dir
from ingest.contract import SheetSource
from ingest.fetch import Fetcher, Validators
from ingest.records import Parsed
from ingest.replay import load_manifest, replay_transport
from ingest.run import RunSummary, run_ingest
from ingest.sheets import confined
from ingest.sources import BUNDLED_ORDER, SHEET_SOURCES, WEB_SOURCES
from ingest.writer import StoreWriter

BUNDLED_DATASET = REPO_ROOT / "fixtures" / "dataset"
SOURCE_NAMES = (*WEB_SOURCES, *SHEET_SOURCES)


def sheet_items(source: SheetSource, origin: Path) -> tuple[str, Iterator[Parsed]]:
    """Where a sheet run reads, and what it reads there: a file given is read wherever it
    is; the sheets a source picks in a folder are read only if they are inside it."""
    if origin.is_file():
        return str(origin), source.parse([origin], clock.today())
    found = source.sheets(origin)
    sheets: list[Path] = []
    refused: list[Parsed] = []
    for sheet in found:
        if reject := confined(sheet, origin):
            refused.append(reject)
        else:
            sheets.append(sheet)
    where = str(found[0]) if len(found) == 1 else str(origin)
    return where, chain(refused, source.parse(sheets, clock.today()))


def ingest(
    engine: Engine,
    name: str,
    *,
    origin: Path | None = None,
    base_url: str | None = None,
    min_interval: float | None = None,
    progress: Callable[[StoreWriter], None] | None = None,
) -> RunSummary:
    """Run source ``name``: web sources replay ``origin`` or fetch ``base_url`` live;
    sheet sources read ``origin`` (default: the bundled dataset)."""
    if name in SHEET_SOURCES:
        where, items = sheet_items(SHEET_SOURCES[name](), origin or BUNDLED_DATASET)
        return run_ingest(engine, name, where, items, progress=progress)
    if name not in WEB_SOURCES:
        raise KeyError(f"unknown source {name!r}: expected one of {', '.join(SOURCE_NAMES)}")
    source = WEB_SOURCES[name]()
    url = base_url or source.default_base_url
    with ExitStack() as stack:
        refused: list[Parsed] = []
        if origin is not None:
            manifest = load_manifest(origin)
            refused.extend(manifest.rejects)
            fetcher = Fetcher(
                url,
                transport=replay_transport(manifest),
                min_interval=min_interval or 0.0,
                backoff=0.0,
            )
            where = f"{origin} (replaying {url})"
        else:
            validators = Validators(var_dir() / "http" / f"{name}.json")
            interval = 1.0 if min_interval is None else min_interval
            fetcher = Fetcher(url, min_interval=interval, validators=validators)
            where = url
        stack.enter_context(fetcher)
        items = chain(refused, source.crawl(fetcher))
        return run_ingest(
            engine,
            name,
            where,
            items,
            progress=progress,
            after_commit=fetcher.validators.save,
        )


def ingest_bundled(
    engine: Engine,
    dataset: Path = BUNDLED_DATASET,
    progress: Callable[[StoreWriter], None] | None = None,
) -> list[RunSummary]:
    """The whole bundled dataset, source by source in dependency order (one run each)."""
    return [ingest(engine, name, origin=dataset, progress=progress) for name in BUNDLED_ORDER]
