"""The worker, as real `tieuchuan worker` processes on the test database (SQLite or PostgreSQL):
the job lease, a source failing then recovering, webhooks delivered with nobody typing."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, col, select

from api.app import create_app
from api.settings import ApiSettings
from api.webhooks.registration import add_webhook
from api.worker import lease
from catalog.models import WebhookDelivery, WorkerJob, WorkerRun
from catalog.reports.watch import create_watch_list
from catalog.vocab import RunStatus
from catalog.webhooks import SIGNATURE_HEADER, verify
from ingest.jobs import BUNDLED_DATASET
from tests.ops.processes import command_env, running, wait_for
from tests.reports.feeds import LONG_AGO, build_catalog, record_history
from tests.reports.test_webhooks import Receiver, loopback

SECRET = "a-secret-for-the-worker-test"


def worker_env(database_url: str, **values: str) -> dict[str, str]:
    """A worker that looks every 0.1 s, retries after 0.2 s, and finds no Meilisearch."""
    settings = {
        "DATABASE_URL": database_url,
        "MEILI_URL": "http://127.0.0.1:9",  # refused at once: the index job fails, others go on
        "TIEUCHUAN_SOURCES": "",
        "TIEUCHUAN_WORKER_TICK": "0.1",
        "TIEUCHUAN_WORKER_BACKOFF": "0.2",
        "TIEUCHUAN_WEBHOOKS_EVERY": "off",
    }
    return command_env(**(settings | values))


def runs(engine, job: str) -> list[WorkerRun]:
    with Session(engine) as session:
        return list(
            session.exec(select(WorkerRun).where(WorkerRun.job == job).order_by(col(WorkerRun.id)))
        )


def job_state(engine, name: str) -> WorkerJob | None:
    with Session(engine) as session:
        return session.get(WorkerJob, name)


def test_a_lease_is_held_by_one_worker_until_released_or_expired(engine) -> None:
    lease.ensure_jobs(engine, ["source:reference"])
    lease.ensure_jobs(engine, ["source:reference"])  # a second worker starting: no error
    assert lease.take(engine, "source:reference", "A", seconds=60)
    assert not lease.take(engine, "source:reference", "B", seconds=60)
    assert lease.renew(engine, "source:reference", "A", seconds=60)
    assert not lease.renew(engine, "source:reference", "B", seconds=60)
    assert lease.take(engine, "source:reference", "B", seconds=-1) is False
    # A dies holding it: once its lease has expired, B may take the job over
    lease.renew(engine, "source:reference", "A", seconds=-1)
    assert lease.take(engine, "source:reference", "B", seconds=60)
    later = lease.wall_now() + timedelta(hours=1)
    lease.release(
        engine, "source:reference", "B", status=RunStatus.SUCCEEDED, error=None, failures=0,
        next_due_at=later,
    )  # fmt: skip
    assert not lease.take(engine, "source:reference", "A", seconds=60)  # not due before then


def test_two_worker_processes_never_run_the_same_job_at_once(engine, database_url) -> None:
    env = worker_env(database_url, TIEUCHUAN_SOURCES=f"reference=1h@{BUNDLED_DATASET}")
    both = [
        subprocess.Popen(
            [*start_args(), "worker", "--once"], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in both]
    assert [p.returncode for p in both] == [0, 0], outputs
    done = runs(engine, "source:reference")
    assert [r.status for r in done] == [RunStatus.SUCCEEDED], outputs
    assert sum("source:reference: succeeded" in out for out in outputs) == 1, outputs
    state = job_state(engine, "source:reference")
    assert state.holder is None and state.failures == 0
    assert aware(state.next_due_at) > lease.wall_now() + timedelta(minutes=59)


def test_a_worker_takes_over_a_job_whose_worker_died(engine, database_url) -> None:
    lease.ensure_jobs(engine, ["source:reference"])
    assert lease.take(engine, "source:reference", "dead-host:1:x", seconds=-1)  # expired
    env = worker_env(database_url, TIEUCHUAN_SOURCES=f"reference=1h@{BUNDLED_DATASET}")
    done = subprocess.run([*start_args(), "worker", "--once"], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert [r.status for r in runs(engine, "source:reference")] == [RunStatus.SUCCEEDED]


def test_a_failing_source_is_retried_reported_and_recovers(
    engine, database_url, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()  # the administrator has not put the file there yet
    env = worker_env(database_url, TIEUCHUAN_SOURCES=f"relations=1h@{folder}")
    log = tmp_path / "worker.log"
    with running(["worker"], env, log):

        def failed_twice() -> WorkerJob | None:
            state = job_state(engine, "source:relations")
            return state if state and state.failures >= 2 else None

        state = wait_for(failed_twice, 30, "two failures in a row", log)
        assert state.last_status == RunStatus.FAILED
        assert "relations.csv" in state.last_error
        with TestClient(create_app(ApiSettings(rate_limit_per_minute=None), engine=engine)) as c:
            ready = c.get("/ready").json()
            run_log = c.get("/api/v1/changes/runs", params={"job": "source:relations"}).json()
        reported = {j["name"]: j for j in ready["jobs"]}["source:relations"]
        assert reported["failures"] >= 2 and "relations.csv" in reported["last_error"]
        assert run_log["runs"][0]["status"] == "failed"
        assert "relations.csv" in run_log["runs"][0]["message"]
        # the index job fails too (no Meilisearch): each failure is its own, both retried
        assert runs(engine, "index") and runs(engine, "index")[0].status == RunStatus.FAILED

        shutil.copy(BUNDLED_DATASET / "relations.csv", folder / "relations.csv")
        wait_for(
            lambda: job_state(engine, "source:relations").last_status == RunStatus.SUCCEEDED,
            30, "the source to recover", log,
        )  # fmt: skip
    state = job_state(engine, "source:relations")
    assert state.failures == 0 and state.last_error is None
    last = runs(engine, "source:relations")[-1]
    assert last.status == RunStatus.SUCCEEDED and last.ingest_run_id is not None


@pytest.fixture
def receiver():
    started = Receiver([])
    yield started
    started.close()


def test_the_worker_delivers_webhooks_by_itself(
    engine, session, database_url, receiver, tmp_path: Path
) -> None:
    cat, history = build_catalog(session)
    watch = create_watch_list(session, "Chè", categories=["che"])
    hook = add_webhook(session, watch, receiver.url, SECRET, loopback(receiver))
    hook.created_at = LONG_AGO
    session.commit()
    record_history(session, cat, history)
    env = worker_env(
        database_url,
        TIEUCHUAN_WEBHOOKS_EVERY="1s",
        TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS="127.0.0.0/8",
        TIEUCHUAN_WEBHOOK_ALLOW_PORTS=str(receiver.port),
    )
    log = tmp_path / "worker.log"
    with running(["worker"], env, log):
        wait_for(lambda: receiver.requests, 30, "a delivery", log)
        wait_for(
            lambda: any(r.status == RunStatus.SUCCEEDED for r in runs(engine, "webhooks")),
            10, "the run recorded", log,
        )  # fmt: skip
    headers, body = receiver.requests[0]
    assert verify(SECRET, body, headers[SIGNATURE_HEADER])
    assert len(receiver.requests) == 1  # delivered once, not again at each look
    with Session(engine) as s:
        logged = s.exec(select(WebhookDelivery)).all()
    assert [(d.attempt, d.succeeded) for d in logged] == [(1, True)]


def aware(moment: datetime) -> datetime:
    """SQLite gives back the UTC times it stores without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_args() -> list[str]:
    import sys

    return [sys.executable, "-c", "from api.cli import main; main()"]
