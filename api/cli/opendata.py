"""``tieuchuan export DIR`` / ``import DIR``: the whole catalog as open data and backups."""

from __future__ import annotations

from pathlib import Path

import click

from catalog.opendata.dump import export
from catalog.opendata.load import ImportRefused, load
from catalog.store import database_url, display_url, make_engine


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_command(folder: Path) -> None:
    """Write the whole catalog to FOLDER as CSV and JSON Lines with a manifest (counts,
    checksums, schema version). API keys, the audit log, watch lists and webhooks stay out."""
    engine = make_engine()
    try:
        done = export(engine, folder)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    for table in done:
        click.echo(f"{table.table:<20} {table.rows:>8} row(s)")
    click.echo(f"exported {display_url(database_url())} to {folder}")


@click.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(folder: Path) -> None:
    """Load an export from FOLDER into an empty, migrated database (DATABASE_URL). Refused,
    with nothing written, if the database has catalog rows or a checksum does not match."""
    engine = make_engine()
    try:
        counts = load(engine, folder)
    except ImportRefused as exc:
        raise click.ClickException(f"import refused: {exc}") from exc
    finally:
        engine.dispose()
    click.echo(f"imported {sum(counts.values())} row(s) of {len(counts)} table(s) from {folder}")
