"""Runs against the real database: idempotence, field history, atomicity, rejects, provenance."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, store_snapshot
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.cli.ingest import ingest_group
from catalog import migrate
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    FactReview,
    FactSource,
    FieldChange,
    IngestReject,
    IngestRun,
    IssuerSuccession,
    Product,
    ProductCategory,
)
from catalog.store import make_engine
from catalog.vocab import RelationKind, RunStatus, Status
from ingest.jobs import BUNDLED_DATASET, ingest, ingest_bundled
from ingest.records import DocumentRecord
from ingest.run import reap_dead_runs, run_ingest

# The bundled provenance sheet's reviews (docs/research/catalog-review-2026-12.md).
REVIEWS_BUNDLED = {
    ("rule", "verified"): 35,
    ("rule", "unverified"): 67,
    ("rule", "disputed"): 9,
    ("document", "verified"): 55,
    ("document", "unverified"): 56,
}


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_bundled_dataset_loads_and_a_second_run_changes_nothing(engine) -> None:
    first = ingest_bundled(engine)
    assert [s.source for s in first] == [
        "reference",
        "documents",
        "relations",
        "products",
        "rules",
        "provenance",
        "notifications",
    ]
    assert all(s.rejected == 0 for s in first), [s.line() for s in first]
    with Session(engine) as session:
        assert count(session, Document) >= 300
        assert count(session, Product) >= 35
        assert count(session, ApplicabilityRule) >= 200
        assert count(session, ProductCategory) >= 30
        chain = session.exec(
            select(DocumentRelation).where(DocumentRelation.kind == RelationKind.REPLACES)
        ).all()
        assert len(chain) >= 10
        assert count(session, IssuerSuccession) >= 5
        honey = session.exec(select(Product).where(Product.slug == "mat-ong-huong-rung")).one()
        assert (honey.ocop_stars, honey.ocop_decision) == (4, "321/QĐ-UBND")
        assert honey.source == "products.csv" and honey.source_ref and honey.content_hash
        states = Counter((r.subject.value, r.state.value) for r in session.exec(select(FactReview)))
        assert states == REVIEWS_BUNDLED, states
        sources = session.exec(select(FactSource)).all()
        assert len(sources) == 326 and {s.source for s in sources} == {"provenance.csv"}
    changes_before = _changes(engine)
    second = ingest_bundled(engine)
    assert [(s.new, s.updated) for s in second] == [(0, 0)] * 7
    assert sum(s.unchanged for s in second) == sum(s.new + s.updated for s in first)
    assert _changes(engine) == changes_before


def _changes(engine) -> int:
    with Session(engine) as session:
        return count(session, FieldChange)


def test_catalogue_replay_keeps_rejects_with_where_and_why_and_loads_the_rest(engine) -> None:
    summary = ingest(engine, "catalogue", origin=FIXTURES / "catalogue")
    assert summary.rejected >= 10 and summary.new >= 10
    with Session(engine) as session:
        rejects = session.exec(select(IngestReject).where(IngestReject.run_id == summary.run_id))
        reasons = {r.location.rsplit("=", 1)[-1]: r.reason for r in rejects}
        assert "login wall" in reasons["TCVN+7087%3A2013"]
        assert "error page" in reasons["TCVN+4832%3A2009"]
        assert "HTTP 404" in reasons["TCVN+9770%3A2013"]
        honey = session.exec(select(Document).where(Document.code == "TCVN 12605:2019")).one()
        assert honey.announcing_decision == "4173/QĐ-BKHCN"
        assert str(honey.announced_on) == "2019-12-31"
        assert honey.source.endswith("sohieu=TCVN+12605%3A2019")
        old = session.exec(select(Document).where(Document.code == "TCVN 5603:2008")).one()
        assert old.status == Status.SUPERSEDED
        cites = session.exec(
            select(DocumentRelation).where(
                DocumentRelation.source_id == honey.id, DocumentRelation.kind == RelationKind.CITES
            )
        ).all()
        assert len(cites) == 9
    again = ingest(engine, "catalogue", origin=FIXTURES / "catalogue")
    assert (again.new, again.updated) == (0, 0)


def test_one_changed_field_upstream_is_recorded_exactly(engine, tmp_path: Path) -> None:
    site = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", site)
    ingest(engine, "catalogue", origin=site)
    page = site / "tcvn-12605-2019.html"
    page.write_text(page.read_text(encoding="utf-8").replace(">Honey<", ">Natural honey<"), "utf-8")
    summary = ingest(engine, "catalogue", origin=site)
    assert (summary.new, summary.updated) == (0, 1)
    with Session(engine) as session:
        changes = session.exec(
            select(FieldChange).where(FieldChange.ingest_run_id == summary.run_id)
        ).all()
    assert [
        (c.record_key, c.field, json.loads(c.old_value), json.loads(c.new_value)) for c in changes
    ] == [("TCVN 12605:2019", "title_en", "Honey", "Natural honey")]
    assert changes[0].changed_at is not None


def test_a_run_that_fails_midway_leaves_the_store_as_it_was(engine) -> None:
    ingest(engine, "reference", origin=BUNDLED_DATASET)
    before = store_snapshot(engine)

    def records_then_crash():
        yield DocumentRecord(location="test:1", code="TCVN 12605:2019", title_vi="Mật ong")
        yield DocumentRecord(location="test:2", code="TCVN 5603:2023", title_vi="Vệ sinh")
        raise OSError("the disk went away")

    with pytest.raises(OSError):
        run_ingest(engine, "documents", "test", records_then_crash())
    assert store_snapshot(engine) == before
    with Session(engine) as session:
        failed = session.exec(select(IngestRun).order_by(IngestRun.id.desc())).first()
    assert failed.status == RunStatus.FAILED and "disk went away" in failed.message


def test_rejected_rows_do_not_stop_the_sheet_and_duplicates_are_caught(engine) -> None:
    ingest_bundled(engine)
    products = ingest(engine, "products", origin=FIXTURES / "products" / "registry.csv")
    rules = ingest(engine, "rules", origin=FIXTURES / "rules" / "rules.xlsx")
    with Session(engine) as session:
        reasons = [
            r.reason
            for r in session.exec(
                select(IngestReject).where(IngestReject.run_id.in_([products.run_id, rules.run_id]))
            )
        ]
    assert any(r.startswith("duplicate: the same product 'mat-ong-huong-rung'") for r in reasons)
    assert any("QCVN 99:2099/XYZ is not in the catalogue" in r for r in reasons)
    assert products.records >= 4 and rules.records >= 5


def test_only_runs_whose_process_is_gone_are_marked_aborted(engine, database_url: str) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    assert gone.wait() == 0
    host = socket.gethostname()
    rows = {
        "dead here": {"pid": gone.pid, "host": host},
        "alive here": {"pid": os.getpid(), "host": host},
        "elsewhere": {"pid": gone.pid, "host": "another-host"},
        "unknown": {"pid": None, "host": None},
    }
    with Session(engine, expire_on_commit=False) as session:
        runs = {name: IngestRun(source=name, **process) for name, process in rows.items()}
        session.add_all(runs.values())
        session.add(IngestRun(source="done", status=RunStatus.SUCCEEDED, pid=gone.pid, host=host))
        session.commit()

    result = CliRunner().invoke(
        ingest_group,
        ["report", "--run", str(runs["alive here"].id)],
        env={"DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"run #{runs['dead here'].id} marked aborted")
    with Session(engine) as session:
        status = {run.source: run.status for run in session.exec(select(IngestRun))}
    assert status == {
        "dead here": RunStatus.ABORTED,
        "alive here": RunStatus.RUNNING,
        "elsewhere": RunStatus.RUNNING,
        "unknown": RunStatus.RUNNING,
        "done": RunStatus.SUCCEEDED,
    }
    assert reap_dead_runs(engine) == []  # once is enough


def test_the_runs_migration_keeps_runs_and_their_rejects_on_sqlite(tmp_path: Path) -> None:
    """0002 rebuilds ``ingest_run`` on SQLite; with foreign keys on, dropping the old table
    would cascade-delete every reject (the migration runs with them off, then checks them)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0001")
    old = make_engine(url)
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ingest_run (id, source, status, started_at, new, updated, "
                "unchanged, rejected) VALUES (7, 'products', 'running', '2026-12-01', 0, 0, 0, 1)"
            )
        )
        connection.execute(
            text("INSERT INTO ingest_reject (run_id, location, reason) VALUES (7, 'a.csv:2', 'x')")
        )
    old.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            run = session.get(IngestRun, 7)
            assert (run.status, run.pid, run.host) == (RunStatus.RUNNING, None, None)
            assert [r.location for r in session.exec(select(IngestReject))] == ["a.csv:2"]
            run.status = RunStatus.ABORTED
            session.add(run)
            session.commit()
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE ingest_run SET status = 'bogus'"))
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
