"""Open data and backups: ``tieuchuan export DIR`` / ``import DIR``, and
``GET /api/v1/export/{table}.csv`` streaming each public table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import click
from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Stream

from api.problems import NotFound, problem_responses
from catalog.opendata.dump import export, rows
from catalog.opendata.load import ImportRefused, load
from catalog.opendata.tables import PUBLIC, columns, to_csv
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


def _csv_lines(request: Request, table: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns(table)])
    for number, record in enumerate(rows(request.app.state.engine, table), 1):
        writer.writerow([to_csv(v) for v in record])
        if number % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


TableFile = Annotated[
    str, Parameter(description="The table's name and `.csv`", min_length=1, max_length=80)
]


@get(
    "/export/{filename:str}",
    summary="A public table of the catalog as CSV (documents, rules, products, …), streamed",
    description="Tables: " + ", ".join(f"`{t}.csv`" for t in PUBLIC) + ". Columns and types "
    "are those of `tieuchuan export`'s manifest.",
    tags=["open data"],
    responses=problem_responses(404),
)
async def export_table(request: Request, filename: TableFile) -> Stream:
    table = filename.removesuffix(".csv")
    if not filename.endswith(".csv") or table not in PUBLIC:
        raise NotFound("export table", filename, [{"name": f"{t}.csv"} for t in PUBLIC])
    return Stream(
        _csv_lines(request, table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )
