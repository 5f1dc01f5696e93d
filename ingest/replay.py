"""Replay saved pages through httpx: a transport that answers from a folder.

The folder holds the pages and a manifest, ``pages.tsv``: one line per URL,
``URL<TAB>file[<TAB>status[<TAB>content-type]]`` (``#`` starts a comment). URLs are
matched on path and decoded query parameters, so ``?sohieu=TCVN+12605%3A2019`` and
``?sohieu=TCVN%2012605:2019`` are the same page. Unknown URLs get a 404, as a site
would answer. A line whose file lies outside the folder (absolute, ``../``, or a symbolic
link leading out) is refused: a reject for the run, a 403 for its URL. Each page is
served with an ETag of its content, and ``If-None-Match`` gets a 304, so conditional
requests behave as they do live.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from catalog.text import clean
from ingest.records import Reject

MANIFEST = "pages.tsv"


# A URL as replay matches it: its path, and its query parameters sorted.
UrlKey = tuple[str, tuple[tuple[str, str], ...]]


def url_key(url: str) -> UrlKey:
    """Path and sorted, decoded, cleaned query parameters of ``url``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    return unquote(parts.path) or "/", tuple(sorted((k, clean(v) or "") for k, v in query))


@dataclass
class Manifest:
    """The pages a folder can serve, and the manifest lines it refused (with why)."""

    folder: Path
    pages: dict[UrlKey, tuple[Path, int, str]] = field(default_factory=dict)
    refused: set[UrlKey] = field(default_factory=set)  # URL keys of refused lines
    rejects: list[Reject] = field(default_factory=list)


def load_manifest(folder: Path) -> Manifest:
    """Read ``pages.tsv``. A line whose file is not inside ``folder`` once symbolic links
    are resolved (an absolute path, ``../``, a link leading out) is refused, never read."""
    manifest = folder / MANIFEST
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest}: no manifest of saved pages (URL<TAB>file per line)")
    root = folder.resolve()
    if not manifest.resolve().is_relative_to(root):
        raise ValueError(f"{manifest} leads outside the replay folder {folder}; not read")
    found = Manifest(folder)
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise ValueError(f"{manifest}:{number}: expected URL<TAB>file, got {line!r}")
        status = int(cells[2]) if len(cells) > 2 and cells[2] else 200
        content_type = cells[3] if len(cells) > 3 else "text/html; charset=utf-8"
        path = (folder / cells[1]).resolve()
        if not path.is_relative_to(root):
            found.refused.add(url_key(cells[0]))
            reason = f"file {cells[1]!r} leads outside the replay folder {folder}; not read"
            found.rejects.append(Reject(f"{MANIFEST}:{number}", reason, cells[0][:300]))
            continue
        found.pages[url_key(cells[0])] = (path, status, content_type)
    return found


def read_manifest(folder: Path) -> dict[UrlKey, tuple[Path, int, str]]:
    """URL key → (file, status, content type) of the pages ``folder`` serves."""
    return load_manifest(folder).pages


def replay_transport(manifest: Manifest) -> httpx.MockTransport:
    """An httpx transport serving the saved pages of a manifest (see the module docstring).

    A refused line's URL gets a 403; a page is streamed, so a size limit on the client
    stops reading a large file early.
    """

    def handle(request: httpx.Request) -> httpx.Response:
        key = url_key(str(request.url))
        if key in manifest.refused:
            return httpx.Response(403, text="<html><body><h1>403 Forbidden</h1></body></html>")
        found = manifest.pages.get(key)
        if found is None or not found[0].is_file():
            return httpx.Response(404, text="<html><body><h1>404 Not Found</h1></body></html>")
        path, status, content_type = found
        etag = '"' + _digest(path)[:32] + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        headers = {"Content-Type": content_type, "ETag": etag}
        return httpx.Response(status, content=_chunks(path), headers=headers)

    return httpx.MockTransport(handle)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(1 << 16):
            yield chunk
