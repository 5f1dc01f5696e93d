"""``tieuchuan index …``: build, update and verify the search indexes."""

from __future__ import annotations

from datetime import datetime

import click

from catalog.paths import var_dir
from catalog.store import database_url, display_url, make_engine
from search import indexer
from search import server as meili

prefix_option = click.option(
    "--prefix", default="", show_default=True, help="Prefix of the index names (for test setups)."
)


@click.group("index")
def index_group() -> None:
    """Meilisearch indexes of documents and products (MEILI_URL or `tieuchuan meili start`)."""


def _server() -> tuple[str, str | None]:
    try:
        return meili.resolve_server(var_dir())
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc


@index_group.command("rebuild")
@prefix_option
def index_rebuild(prefix: str) -> None:
    """Build fresh indexes from the database and swap them in (searches never see a gap)."""
    url, master_key = _server()
    try:
        report = indexer.rebuild(
            make_engine(), url, master_key, prefix=prefix, log=lambda m: click.echo(f"  {m}")
        )
        indexer.ensure_search_key(url, master_key, prefix=prefix)
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"indexed {report.documents} documents and {report.products} products from "
        f"{display_url(database_url())} into {url} in {report.seconds:.2f} s "
        f"(version {report.version})"
    )


@index_group.command("sync")
@prefix_option
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Send records changed after this time (default: the last build or sync).",
)
def index_sync(prefix: str, since: datetime | None) -> None:
    """Send only the documents and products changed since the last build or sync."""
    url, master_key = _server()
    try:
        report = indexer.sync(make_engine(), url, master_key, prefix=prefix, since=since)
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"sent {report.documents} documents and {report.products} products changed since "
        f"{report.since}; deleted {report.deleted} gone from the database"
    )


@index_group.command("check")
@prefix_option
@click.option("--repair", is_flag=True, help="Send the missing and stale records, delete extras.")
def index_check(prefix: str, repair: bool) -> None:
    """Compare the database with the indexes record by record (and repair with --repair)."""
    url, master_key = _server()
    try:
        drifts = indexer.check(make_engine(), url, master_key, prefix=prefix, repair=repair)
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    for drift in drifts:
        click.echo(
            f"{drift.index}: {len(drift.missing)} missing, {len(drift.extra)} extra, "
            f"{len(drift.stale)} stale" + (" (repaired)" if repair and not drift.clean else "")
        )
    if not repair and not all(d.clean for d in drifts):
        raise click.ClickException("the indexes differ from the database: run with --repair")
