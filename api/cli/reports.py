"""``tieuchuan reports …``: reports for officials: gaps and overlaps, the plan's indicators,
the change feed, and the plan's annual report (:mod:`api.cli.plan`)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlmodel import Session

from api.cli.options import as_of_option, xlsx_option
from api.cli.plan import plan_report
from api.settings import ApiSettings
from catalog import clock
from catalog.reports.changes import changes
from catalog.reports.gaps import Gap, gap_report, gap_tables
from catalog.reports.indicators import indicator_tables, indicators
from catalog.reports.tables import workbook
from catalog.store import display_url, make_engine


@click.group("reports")
def reports_group() -> None:
    """Reports for officials: gaps and overlaps, the change feed, the plan's indicators."""


@reports_group.command("gaps")
@as_of_option
@xlsx_option("the report")
@click.option("--show", type=int, default=10, show_default=True, help="Rows listed per section.")
def gaps_command(as_of: datetime | None, xlsx_path: Path | None, show: int) -> None:
    """Products with no regulation, standard or test method; stale citations; overlaps."""
    engine = make_engine()
    started = time.perf_counter()
    with Session(engine) as session:
        months = ApiSettings.from_env().unconfirmed_months
        report = gap_report(session, as_of.date() if as_of else None, unconfirmed_months=months)
    seconds = time.perf_counter() - started
    click.echo(f"gap report for {report.as_of} on {display_url(str(engine.url))} ({seconds:.1f} s)")
    for name, value in report.headline.items():
        click.echo(f"  {name:32} {value}")
    for gap in Gap:
        missing = [p.product.name_vi for p in report.product_gaps if gap in p.gaps]
        click.echo(f"\n{gap.label_vi} ({len(missing)}):")
        for name in missing[:show]:
            click.echo(f"  - {name}")
        if len(missing) > show:
            click.echo(f"  … and {len(missing) - show} more")
    click.echo(f"\nStale citations ({len(report.stale)}):")
    for stale in report.stale[:show]:
        now = stale.in_force or "no successor"
        click.echo(
            f"  - {stale.cited} ({stale.cited_status}; now {now}) via {stale.via}: "
            f"{len(stale.products)} product(s)"
        )
    click.echo(f"\nOverlaps ({len(report.overlaps)}):")
    for overlap in report.overlaps[:show]:
        click.echo(
            f"  - {overlap.category}: {overlap.kind.label_vi}, {overlap.role.label_vi}: "
            f"{', '.join(overlap.documents)} ({len(overlap.products)} product(s))"
        )
    if xlsx_path:
        xlsx_path.write_bytes(workbook(gap_tables(report), [f"Báo cáo rà soát {report.as_of}"]))
        click.echo(f"\nwrote {xlsx_path}")


@reports_group.command("indicators")
@as_of_option
@xlsx_option("the indicators")
def indicators_command(as_of: datetime | None, xlsx_path: Path | None) -> None:
    """The plan's indicators by year, against its targets."""
    with Session(make_engine()) as session:
        report = indicators(session, as_of.date() if as_of else None)
    click.echo(f"{report.plan.title}\nas of {report.as_of}")
    for series in report.series:
        values = ", ".join(f"{p.on.year}: {p.value:g}" for p in series.points)
        goal = (
            f" (target {series.target.comparator} {series.target.value:g})" if series.target else ""
        )
        click.echo(f"  {series.key:28} {values}{goal}")
    for status in report.targets:
        state = {True: "met", False: "not met", None: "not measured here"}[status.met]
        click.echo(f"  target {status.target.key:24} {state}")
    if xlsx_path:
        xlsx_path.write_bytes(workbook(indicator_tables(report), [report.plan.title]))
        click.echo(f"wrote {xlsx_path}")


@reports_group.command("changes")
@click.option("--days", type=int, default=30, show_default=True, help="How far back.")
def changes_command(days: int) -> None:
    """Documents added, updated, superseded or withdrawn in the last days."""
    since = clock.now() - timedelta(days=days)
    with Session(make_engine()) as session:
        entries = changes(session, since)
    click.echo(f"{len(entries)} change(s) since {clock.shown(since)}")
    for entry in entries:
        click.echo(f"  {clock.shown(entry.at)}  {entry.title}  ({len(entry.products)} product(s))")


reports_group.add_command(plan_report)
