"""Kill an ingest mid-run with SIGKILL: the store is unchanged, the next run marks the
killed one aborted, and completes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ingest_helpers import FIXTURES, store_snapshot
from sqlmodel import Session, select

from catalog.models import Document, IngestRun
from catalog.vocab import RunStatus
from ingest.jobs import ingest


def test_killed_run_leaves_the_store_intact_and_a_rerun_completes(
    engine, database_url: str, tmp_path: Path
) -> None:
    site = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", site)
    ingest(engine, "catalogue", origin=site)
    page = site / "tcvn-12605-2019.html"
    page.write_text(page.read_text(encoding="utf-8").replace(">Honey<", ">Natural honey<"), "utf-8")
    before = store_snapshot(engine)

    command = [sys.executable, "-c", "from api.cli import main; main()", "ingest", "catalogue"]
    command += ["--from", str(site), "--min-interval", "0.25"]
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        progress = ""
        while "records" not in progress and time.monotonic() < deadline:
            progress = process.stderr.readline()  # a line per second while the run writes
        assert "records" in progress, "the run never reported progress"
        assert process.poll() is None, "the run finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process.kill()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    assert store_snapshot(engine) == before
    with Session(engine) as session:
        killed = session.exec(select(IngestRun).order_by(IngestRun.id.desc())).first()
    assert killed.status == RunStatus.RUNNING and killed.finished_at is None
    assert (killed.pid, killed.host) == (process.pid, socket.gethostname())

    summary = ingest(engine, "catalogue", origin=site)
    assert summary.updated == 1
    with Session(engine) as session:
        honey = session.exec(select(Document).where(Document.code == "TCVN 12605:2019")).one()
        killed = session.get(IngestRun, killed.id)
    assert honey.title_en == "Natural honey"
    assert killed.status == RunStatus.ABORTED and killed.finished_at is not None
    assert killed.message == (
        f"aborted: its process {process.pid} on {socket.gethostname()} is gone (killed?); "
        "nothing of this run was kept"
    )
