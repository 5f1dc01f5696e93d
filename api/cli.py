"""The ``tieuchuan`` command: one entry point for the database, Meilisearch, ingest and the API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from catalog import migrate
from catalog.paths import var_dir
from catalog.store import database_url, display_url
from search import server as meili


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Standards and technical regulations for Tuyên Quang's products."""


# --- database -----------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Create and migrate the catalog database (DATABASE_URL, default var/tieuchuan.db)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply pending schema migrations."""
    url = database_url()
    before = migrate.status(url)
    migrate.upgrade(url, revision)
    after = migrate.status(url)
    applied = len(before.pending) - len(after.pending)
    click.echo(f"{display_url(url)}: at revision {after.current} ({applied} migration(s) applied)")


@db.command("status")
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


# --- Meilisearch --------------------------------------------------------------------------


@main.group("meili")
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


# --- the main job -------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--samples/--no-samples",
    default=False,
    envvar="TIEUCHUAN_DEMO_SAMPLES",
    show_default=True,
    help="Also load the plan's sample records for a demo (marked as samples wherever shown).",
)
@click.option("--no-worker", is_flag=True, help="Do not start `tieuchuan worker` beside the API.")
@click.pass_context
def up(ctx: click.Context, host: str, port: int, samples: bool, no_worker: bool) -> None:
    """The main job: migrate, start Meilisearch, load the bundled data, index it and serve.

    Each step prints what it did; the last one serves the API and the web page, with the
    worker beside it, until Ctrl-C or SIGTERM. A Meilisearch this command started is stopped
    when it exits; one that was already running (or MEILI_URL) is left alone. With --samples
    (or TIEUCHUAN_DEMO_SAMPLES=1) the plan's sample records are loaded too.
    """
    from api.commands import serve
    from ingest.cli import bundled
    from search.cli import index_rebuild

    started_meili = False

    def start_meili() -> None:
        nonlocal started_meili
        if os.environ.get("MEILI_URL"):
            click.echo(f"using MEILI_URL={os.environ['MEILI_URL']}")
            return
        started_meili = meili.daemon_status(var_dir()) is None
        ctx.invoke(meili_start)

    steps = [
        ("database", lambda: ctx.invoke(db_upgrade)),
        ("Meilisearch", start_meili),
        ("bundled data", lambda: ctx.invoke(bundled)),
        ("search index", lambda: ctx.invoke(index_rebuild)),
    ]
    if samples:
        from api.reports.plan_cli import plan_samples

        steps.append(("plan sample records", lambda: ctx.invoke(plan_samples, remove=False)))
    worker: subprocess.Popen[bytes] | None = None
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        for name, step in steps:
            click.echo(f"== {name}")
            started = time.monotonic()
            step()
            click.echo(f"   ({time.monotonic() - started:.1f} s)")
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.DEVNULL)
            click.echo(f"== worker: pid {worker.pid} (see `tieuchuan worker --help`)")
        click.echo(f"== serving: web page http://{host}:{port}/  API http://{host}:{port}/api/v1")
        ctx.invoke(serve, host=host, port=port)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if worker is not None:
            _stop_process(worker)
        if started_meili:
            stopped = meili.stop_daemon(var_dir())
            if stopped:
                click.echo("== stopped the Meilisearch started here")


_WORKER = "from api.cli import main; main(['worker'])"


def _stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it is still there after ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM ends `up` like Ctrl-C does: through its clean-up, not around it."""
    raise SystemExit(128 + signum)


# --- commands from the other packages (each helper registers its group here) --------------
from search.cli import index_group  # noqa: E402

main.add_command(index_group)
from ingest.cli import ingest_group  # noqa: E402

main.add_command(ingest_group)
from api.commands import register as register_api_commands  # noqa: E402

register_api_commands(main)
from api.reports.cli import COMMANDS as REPORT_COMMANDS  # noqa: E402
from api.worker.cli import worker_command  # noqa: E402

main.add_command(worker_command)
from api.opendata import export_command, import_command  # noqa: E402

main.add_command(export_command)
main.add_command(import_command)

for command in REPORT_COMMANDS:
    main.add_command(command)
