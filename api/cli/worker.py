"""``tieuchuan worker``: the scheduled jobs, in the foreground, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import signal

import click

from api.worker.runner import Worker
from api.worker.schedule import ScheduleError, WorkerSettings
from catalog.store import database_url, display_url, make_engine


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due once, then exit (cron).")
def worker_command(once: bool) -> None:
    """Run each source on its schedule (TIEUCHUAN_SOURCES), sync the search index after
    changes, deliver pending webhooks with their retries, and record every run.

    Several workers may share a database: a lease in the database lets one run a job at a
    time. See docs/deployment.md for every setting.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        settings = WorkerSettings.from_env()
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from exc
    engine = make_engine()
    worker = Worker(engine, settings)
    sources = ", ".join(f"{s.name} every {s.every}" for s in settings.sources) or "none"
    click.echo(f"worker {worker.identity} on {display_url(database_url())}; sources: {sources}")
    signal.signal(signal.SIGTERM, _stop)
    try:
        if once:
            runs = worker.run_due()
        else:
            worker.run_forever()
            runs = []
    except (KeyboardInterrupt, SystemExit):
        click.echo("worker stopped")
        return
    finally:
        engine.dispose()
    for run in runs:
        click.echo(f"{run.job}: {run.status} — {run.message}")


def _stop(signum: int, _frame: object) -> None:
    """SIGTERM stops the worker at once; a job in progress is rolled back and freed."""
    raise SystemExit(128 + signum)
