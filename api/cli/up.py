"""``tieuchuan up``: the main job behind ``make run``, from an empty folder to a served API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

from api.cli.db import db_upgrade
from api.cli.index import index_rebuild
from api.cli.ingest import bundled
from api.cli.meili import meili_start
from api.cli.plan import plan_samples
from api.cli.serve import serve
from catalog.paths import var_dir
from search import server as meili


@click.command("up")
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
