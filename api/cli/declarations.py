"""``tieuchuan declarations …``: the register of conformity declarations."""

from __future__ import annotations

from pathlib import Path

import click

from catalog.store import make_engine
from ingest.jobs import ingest


@click.group("declarations")
def declarations_group() -> None:
    """The register of conformity declarations, self-declarations and certificates."""


@declarations_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def declarations_import(path: Path) -> None:
    """Import the officials' register (XLSX or CSV); bad rows are rejected with the reason."""
    summary = ingest(make_engine(), "declarations", origin=path)
    click.echo(summary.line())
    if summary.rejected:
        click.echo("see the rejects with `tieuchuan ingest report`")
