"""``tieuchuan serve``: the API and the web page, with the configured database and search."""

from __future__ import annotations

import os

import click
import uvicorn

from catalog.paths import var_dir
from catalog.store import database_url, display_url
from search import indexer
from search.server import MeiliError, resolve_server


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=int, default=1, show_default=True, help="Server processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the HTTP API (docs at /api/v1/schema) with the configured database and Meilisearch.

    Without MEILI_URL, the Meilisearch started by `tieuchuan meili start` is used if running;
    otherwise search endpoints answer 503 and /ready says why.
    """
    if not os.environ.get("MEILI_URL"):
        try:
            url, master = resolve_server(var_dir())
            os.environ["MEILI_URL"] = url
            if master:
                os.environ.setdefault("MEILI_MASTER_KEY", master)
        except MeiliError as exc:
            click.echo(f"search: off ({exc})")
    if os.environ.get("MEILI_URL") and not os.environ.get("MEILI_SEARCH_KEY"):
        try:
            os.environ["MEILI_SEARCH_KEY"] = indexer.ensure_search_key(
                os.environ["MEILI_URL"],
                os.environ.get("MEILI_MASTER_KEY"),
                prefix=os.environ.get("MEILI_INDEX_PREFIX", ""),
            )
        except MeiliError as exc:
            click.echo(f"search: no search key ({exc})")
    click.echo(f"database: {display_url(database_url())}")
    click.echo(f"search:   {os.environ.get('MEILI_URL') or 'not configured'}")
    click.echo(f"API:      http://{host}:{port}/api/v1  (docs http://{host}:{port}/api/v1/schema)")
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )
