"""Saved catalogue pages parsed by worker processes give what parsing in-process gives."""

from __future__ import annotations

from ingest_helpers import FIXTURES

from ingest.decode import decode
from ingest.parallel import ordered_map
from ingest.records import Reject
from ingest.replay import read_manifest
from ingest.sources.catalogue import parse_fetched


def test_worker_processes_keep_the_order_and_the_output() -> None:
    pages = [
        (decode(path.read_bytes(), content_type), f"https://tieuchuan.vsqi.gov.vn/x?{path.name}")
        for path, _status, content_type in read_manifest(FIXTURES / "catalogue").values()
        if path.suffix == ".html"
    ]
    items = [*pages * 3, Reject("https://x/y", "HTTP 404")]
    inline = [parse_fetched(item) for item in items]
    pooled = list(ordered_map(parse_fetched, items, inline_first=5, chunk=4, workers=2))
    assert pooled == inline
    assert any(isinstance(r, Reject) for r in pooled) and not all(
        isinstance(r, Reject) for r in pooled
    )
