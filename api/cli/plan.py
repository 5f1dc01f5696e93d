"""``tieuchuan plan …``: the provincial plan's records (`plan import KIND FILE`,
`plan samples`), and its annual report, `reports plan --year Y --docx F` (registered on the
reports group by :mod:`api.cli.reports`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from sqlmodel import Session

from api.cli.options import DAY
from catalog.plan.annual import (
    AnnualReportError,
    annex_xlsx,
    annual_report,
    record_generation,
    verdict,
)
from catalog.plan.annual_docx import report_docx
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


@click.command("plan")
@click.option("--year", type=int, required=True, help="The report's year.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the report (Word) here.",
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the annex of every record counted (Excel) here.",
)
@click.option("--number", default=None, help="The report's number, once the office assigns it.")
@click.option(
    "--date",
    "issued_on",
    type=DAY,
    default=None,
    help="The report's date (default: today, or 31 December of a past year).",
)
def plan_report(
    year: int,
    docx_path: Path,
    xlsx_path: Path | None,
    number: str | None,
    issued_on: datetime | None,
) -> None:
    """The plan's annual report to the province and the ministry (due before 30 November)."""
    with Session(make_engine()) as session:
        try:
            report = annual_report(
                session, year, number=number, issued_on=issued_on.date() if issued_on else None
            )
        except AnnualReportError as exc:
            raise click.BadParameter(str(exc)) from exc
        docx_path.write_bytes(report_docx(report))
        if xlsx_path:
            xlsx_path.write_bytes(annex_xlsx(report))
        record_generation(session, report, via="cli")
        session.commit()
    if report.includes_samples:
        click.echo("WARNING: the figures include sample records (marked BẢN MẪU in the report)")
    for result in report.results:
        click.echo(
            f"  {result.target.key:24} {year}: {_shown(result.year.value):>7}   "
            f"since {report.plan.starts.year}: {_shown(result.cumulative.value):>7}   "
            f"{verdict(result.met)}"
        )
    click.echo(f"wrote {docx_path}" + (f" and {xlsx_path}" if xlsx_path else ""))


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
