"""``tieuchuan meili …``: the local Meilisearch server."""

from __future__ import annotations

import click

from catalog.paths import var_dir
from search import server as meili


@click.group("meili")
def meili_group() -> None:
    """Run the local Meilisearch server (or point MEILI_URL at an existing one)."""


@meili_group.command("start")
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port on 127.0.0.1 (default: the one it had last if free, else a free one).",
)
def meili_start(port: int | None) -> None:
    """Install Meilisearch if needed (pinned, sha256-checked) and start it in the background."""
    try:
        state = meili.start_daemon(var_dir(), port=port)
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Meilisearch running at {state.url} (pid {state.pid}, log {state.log})")


@meili_group.command("stop")
def meili_stop() -> None:
    """Stop the background Meilisearch started by `tieuchuan meili start`."""
    try:
        stopped = meili.stop_daemon(var_dir())
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Meilisearch stopped" if stopped else "Meilisearch was not running")


@meili_group.command("status")
def meili_status() -> None:
    """Say where Meilisearch is and whether it answers."""
    try:
        url, _key = meili.resolve_server(var_dir())
        meili.check_reachable(url, timeout=2.0)
    except meili.MeiliError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Meilisearch is available at {url}")
