"""Walking a paginated listing: fetch each page once, parse it, follow its ``next`` links."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import httpx

from ingest.fetch import Fetcher, FetchError
from ingest.records import Parsed, Reject
from ingest.replay import url_key
from ingest.tables import next_links


def paginate(
    fetcher: Fetcher, start_paths: Iterable[str], parse: Callable[[str, str], Iterable[Parsed]]
) -> Iterator[Parsed]:
    """Records and rejects of every page reachable from ``start_paths`` by ``next`` links.

    A page that cannot be fetched is a reject; a page not modified since the last run
    (HTTP 304) is skipped, and its records stay as they are; a link to another site is
    a reject, never fetched.
    """
    queue = [fetcher.url(path) for path in start_paths]
    seen = {url_key(url) for url in queue}
    off_site: set[str] = set()
    while queue:
        url = queue.pop(0)
        try:
            page = fetcher.get(url)
        except FetchError as exc:
            yield Reject(exc.url, exc.reason)
            continue
        if page.not_modified:
            continue
        fetcher.validators.stage(page)
        yield from parse(page.text or "", url)
        for link in next_links(page.text or ""):
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
