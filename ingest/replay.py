"""Replay saved pages through httpx: a transport that answers from a folder.

The folder holds the pages and a manifest, ``pages.tsv``: one line per URL,
``URL<TAB>file[<TAB>status[<TAB>content-type]]`` (``#`` starts a comment). URLs are
matched on path and decoded query parameters, so ``?sohieu=TCVN+12605%3A2019`` and
``?sohieu=TCVN%2012605:2019`` are the same page. Unknown URLs get a 404, as a site
would answer. Each page is served with an ETag of its content, and ``If-None-Match``
gets a 304, so conditional requests behave as they do live.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from catalog.text import clean

MANIFEST = "pages.tsv"


def url_key(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Path and sorted, decoded, cleaned query parameters of ``url``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    return unquote(parts.path) or "/", tuple(sorted((k, clean(v) or "") for k, v in query))


def read_manifest(folder: Path) -> dict[tuple, tuple[Path, int, str]]:
    manifest = folder / MANIFEST
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest}: no manifest of saved pages (URL<TAB>file per line)")
    pages = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise ValueError(f"{manifest}:{number}: expected URL<TAB>file, got {line!r}")
        status = int(cells[2]) if len(cells) > 2 and cells[2] else 200
        content_type = cells[3] if len(cells) > 3 else "text/html; charset=utf-8"
        pages[url_key(cells[0])] = (folder / cells[1], status, content_type)
    return pages


def replay_transport(folder: Path) -> httpx.MockTransport:
    """An httpx transport serving the saved pages of ``folder`` (see the module docstring)."""
    pages = read_manifest(folder)

    def handle(request: httpx.Request) -> httpx.Response:
        found = pages.get(url_key(str(request.url)))
        if found is None:
            return httpx.Response(404, text="<html><body><h1>404 Not Found</h1></body></html>")
        path, status, content_type = found
        content = path.read_bytes()
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        headers = {"Content-Type": content_type, "ETag": etag}
        return httpx.Response(status, content=content, headers=headers)

    return httpx.MockTransport(handle)
