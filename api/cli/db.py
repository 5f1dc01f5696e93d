"""``tieuchuan db …``: create and migrate the catalog database."""

from __future__ import annotations

import sys

import click

from catalog import migrate
from catalog.store import database_url, display_url


@click.group("db")
def db_group() -> None:
    """Create and migrate the catalog database (DATABASE_URL, default var/tieuchuan.db)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply pending schema migrations."""
    url = database_url()
    before = migrate.status(url)
    migrate.upgrade(url, revision)
    after = migrate.status(url)
    applied = len(before.pending) - len(after.pending)
    click.echo(f"{display_url(url)}: at revision {after.current} ({applied} migration(s) applied)")


@db_group.command("status")
def db_status() -> None:
    """Show the schema revision of the database and what is pending."""
    url = database_url()
    state = migrate.status(url)
    click.echo(f"database: {display_url(url)}")
    click.echo(f"current:  {state.current or '(empty: run `tieuchuan db upgrade`)'}")
    click.echo(f"head:     {state.head}")
    click.echo("pending:  " + (", ".join(state.pending) if state.pending else "none"))
    if state.pending:
        sys.exit(1)
