"""``tieuchuan ingest``: run a source, the bundled dataset, or show the last run's rejects."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalog import clock, migrate
from catalog.fact_index import untyped_conditions
from catalog.models import IngestReject, IngestRun
from catalog.store import database_url, display_url, make_engine
from catalog.upsert import Outcome
from ingest.jobs import BUNDLED_DATASET, SOURCE_NAMES, ingest, ingest_bundled
from ingest.run import RunSummary, reap_dead_runs
from ingest.sources import SHEET_SOURCES
from ingest.writer import StoreWriter


class Progress:
    """A one-line progress display: redrawn on a terminal, a line per second in logs."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, writer: StoreWriter) -> None:
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 1.0):
            return
        self.last = now
        c = writer.counts
        done = c[Outcome.NEW] + c[Outcome.UPDATED] + c[Outcome.UNCHANGED]
        rate = done / max(now - self.started, 1e-6)
        line = (
            f"{self.label}: {done} records ({c[Outcome.NEW]} new, {c[Outcome.UPDATED]} updated), "
            f"{c['rejected']} rejected, {rate:.0f}/s"
        )
        click.echo(f"\r{line}" if self.tty else line, err=True, nl=not self.tty)

    def close(self) -> None:
        if self.tty and self.last:
            click.echo(err=True)


def _engine() -> Engine:
    url = database_url()
    state = migrate.status(url)
    if state.pending:
        raise click.ClickException(
            f"{display_url(url)} is not at the current schema: run `tieuchuan db upgrade` first"
        )
    return make_engine(url)


def _report(summary: RunSummary) -> None:
    click.echo(summary.line())
    if summary.stubs:
        click.echo(f"  {summary.stubs} referenced document(s) created with their code only")
    if summary.rejected:
        click.echo(f"  rejects: `tieuchuan ingest report --run {summary.run_id}`")


@click.group("ingest")
def ingest_group() -> None:
    """Load catalogue pages, registers and spreadsheets into the catalog (DATABASE_URL)."""


def _source_command(name: str) -> click.Command:
    sheet = name in SHEET_SOURCES

    @click.option(
        "--from",
        "origin",
        type=click.Path(exists=True, path_type=Path),
        default=None,
        help=(
            "Sheet file or folder (default: the bundled dataset)."
            if sheet
            else "Replay saved pages from this folder (pages.tsv manifest) instead of fetching."
        ),
    )
    @click.option("--base-url", default=None, help="Site to fetch (web sources).")
    @click.option(
        "--min-interval",
        type=float,
        default=None,
        help="Seconds between requests (default 1 live, 0 replaying).",
    )
    def command(origin: Path | None, base_url: str | None, min_interval: float | None) -> None:
        engine = _engine()
        progress = Progress(name)
        try:
            summary = ingest(
                engine,
                name,
                origin=origin,
                base_url=base_url,
                min_interval=min_interval,
                progress=progress,
            )
        except (FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            progress.close()
        click.echo(f"database: {display_url(database_url())}")
        _report(summary)

    kind = "sheet" if sheet else "web"
    command.__doc__ = f"Ingest the {name!r} source ({kind}); prints counts and time."
    return click.command(name)(command)


for _name in SOURCE_NAMES:
    ingest_group.add_command(_source_command(_name))


@ingest_group.command("bundled")
@click.option(
    "--from",
    "dataset",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=BUNDLED_DATASET,
    show_default=True,
    help="Dataset folder.",
)
def bundled(dataset: Path) -> None:
    """Load the bundled Tuyên Quang dataset: reference, documents, relations, products, rules,
    provenance."""
    engine = _engine()
    progress = Progress("bundled")
    started = time.perf_counter()
    try:
        summaries = ingest_bundled(engine, dataset, progress=progress)
    finally:
        progress.close()
    click.echo(f"database: {display_url(database_url())}; dataset: {dataset}")
    for summary in summaries:
        _report(summary)
    total = sum(s.records for s in summaries)
    changed = sum(s.new + s.updated for s in summaries)
    rejected = sum(s.rejected for s in summaries)
    click.echo(
        f"bundled: {total} records ({changed} new or updated), {rejected} rejected "
        f"in {time.perf_counter() - started:.1f} s"
    )


@ingest_group.command("report")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the last run).")
@click.option("--source", default=None, help="The last run of this source.")
@click.option("--limit", type=int, default=200, show_default=True, help="Rejects to show.")
@click.option(
    "--untyped/--no-untyped",
    default=None,
    help="List the rules whose condition stays text only (default: after a rules run).",
)
def report(run_id: int | None, source: str | None, limit: int, untyped: bool | None) -> None:
    """Show a run's counts and its rejects, each with where (URL or file:row) and why; after
    a rules run, the rules whose condition is not typed (catalog/conditions.py)."""
    engine = _engine()
    for aborted in reap_dead_runs(engine):
        click.echo(f"run #{aborted} marked aborted: its process is gone")
    with Session(engine) as session:
        if run_id is not None:
            run = session.get(IngestRun, run_id)
        else:
            query = select(IngestRun).order_by(col(IngestRun.id).desc())
            if source:
                query = query.where(IngestRun.source == source)
            run = session.exec(query).first()
        if run is None:
            raise click.ClickException("no ingest run found")
        click.echo(
            f"run #{run.id} {run.source} [{run.status}] from {run.origin or '?'}: "
            f"{run.new} new, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.rejected} rejected; started {clock.shown(run.started_at)}"
            + (f", finished {clock.shown(run.finished_at)}" if run.finished_at else "")
        )
        if run.message:
            click.echo(f"  {run.message}")
        rejects = session.exec(
            select(IngestReject)
            .where(IngestReject.run_id == run.id)
            .order_by(col(IngestReject.id))
            .limit(limit)
        ).all()
        for reject in rejects:
            click.echo(f"  {reject.location}: {reject.reason}")
        if run.rejected > len(rejects):
            click.echo(f"  … {run.rejected - len(rejects)} more (--limit)")
        if untyped or (untyped is None and run.source == "rules"):
            _report_untyped(session)


def _report_untyped(session: Session) -> None:
    found = untyped_conditions(session)
    count = sum(len(rules) for rules in found.values())
    click.echo(f"rules whose condition stays text only (not typed): {count}")
    for text, rules in sorted(found.items(), key=lambda item: (-len(item[1]), item[0])):
        click.echo(f"  STT {', '.join(rules)}: {text}")
