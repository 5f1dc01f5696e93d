"""Walking a site: fetch each page once, let the source read it, follow the links it names.

The one crawl loop every web source uses. A source says what a page gives (:class:`Visit`:
its items, and the links to follow); the walk fetches pages breadth first from the start
paths, each once. A page that cannot be fetched is a reject; a page not modified since the
last run (HTTP 304) is skipped, and its records stay as they are; a link to another site
is a reject (once per link), never fetched.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from ingest.fetch import Fetcher, FetchError
from ingest.records import Parsed, Reject
from ingest.replay import url_key
from ingest.tables import next_links

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Visit(Generic[T_co]):
    """What one fetched page gives: items (yielded before its links are followed) and the
    links to follow (relative or absolute)."""

    items: Iterable[T_co | Reject]
    links: Iterable[str] = ()


def crawl(
    fetcher: Fetcher, start_paths: Iterable[str], visit: Callable[[str, str], Visit[T]]
) -> Iterator[T | Reject]:
    """Items of every page reachable from ``start_paths``; ``visit(html, url)`` reads one."""
    queue = deque(fetcher.url(path) for path in start_paths)
    seen = {url_key(url) for url in queue}
    off_site: set[str] = set()
    while queue:
        url = queue.popleft()
        try:
            page = fetcher.get(url)
        except FetchError as exc:
            yield Reject(exc.url, exc.reason)
            continue
        if page.not_modified:
            continue
        fetcher.validators.stage(page)
        found = visit(page.text or "", url)
        yield from found.items
        for link in found.links:
            try:
                absolute = fetcher.url(link)
            except httpx.InvalidURL as exc:
                yield Reject(url, f"unreadable link skipped: {exc}", link[:300])
                continue
            if not fetcher.on_host(absolute):
                if absolute not in off_site:
                    off_site.add(absolute)
                    yield Reject(url, f"link off the site skipped: {absolute}", link[:300])
            elif url_key(absolute) not in seen:
                seen.add(url_key(absolute))
                queue.append(absolute)


def paginate(
    fetcher: Fetcher, start_paths: Iterable[str], parse: Callable[[str, str], Iterable[Parsed]]
) -> Iterator[Parsed]:
    """Records and rejects of a paginated listing: every page is parsed, ``next`` followed."""
    return crawl(fetcher, start_paths, lambda html, url: Visit(parse(html, url), next_links(html)))
