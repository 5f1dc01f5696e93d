"""Commands for the provincial plan: `plan import KIND FILE`, `plan samples`, and
`reports plan --year Y --docx F` (registered on the reports group)."""

from __future__ import annotations

from pathlib import Path

import click
from sqlmodel import Session

from catalog.plan.samples import load_samples, remove_samples
from catalog.store import make_engine
from ingest.plan_import import KINDS, import_plan_sheet


@click.group("plan")
def plan_group() -> None:
    """The provincial plan's records: training, experts, support, outreach, awards…"""


@plan_group.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def plan_import(kind: str, path: Path) -> None:
    """Import one of the office's sheets (XLSX or CSV); bad rows are rejected with the reason.

    Import courses (training) before their participant lists (attendance)."""
    summary = import_plan_sheet(make_engine(), kind, path)
    click.echo(summary.line())
    if summary.rejected:
        click.echo("see the rejects with `tieuchuan ingest report`")


@plan_group.command("samples")
@click.option("--remove", is_flag=True, help="Delete the sample records instead.")
def plan_samples(remove: bool) -> None:
    """Load the demo's sample records (marked "[MẪU]" and as samples wherever shown)."""
    with Session(make_engine()) as session:
        count = remove_samples(session) if remove else load_samples(session)
        session.commit()
    click.echo(f"{'removed' if remove else 'saved'} {count} sample record(s)")
