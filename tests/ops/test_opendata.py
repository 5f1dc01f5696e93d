"""Export → import → the same answers, byte for byte; what is never exported; what is refused."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import shutil
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from api.webhooks.addresses import WEB_PORTS, AddressPolicy
from api.webhooks.registration import add_webhook
from catalog import migrate
from catalog.models import Product, SQLModel
from catalog.opendata import tables
from catalog.opendata.load import ImportRefused, load
from catalog.reports.watch import create_watch_list
from catalog.store import make_engine
from catalog.vocab import ApiRole
from ingest.jobs import ingest_bundled
from tests.ops.processes import command_env, run

DAYS = ("2005-03-01", "2016-07-01", "2024-01-01", "2026-12-02", "2031-01-01")
WEBHOOK_SECRET = "never-in-an-export-0123456789"


@pytest.fixture
def exported(engine, session, database_url, tmp_path: Path) -> tuple[Path, str]:
    """The bundled catalog, with a key, a watch list and a webhook, exported by the command."""
    ingest_bundled(engine)
    key = issue_key(session, "exporter", ApiRole.ADMIN).key
    watch = create_watch_list(session, "Chè", categories=["che"])
    loopback = AddressPolicy((ipaddress.ip_network("127.0.0.0/8"),), WEB_PORTS)
    add_webhook(session, watch, "http://127.0.0.1/hook", WEBHOOK_SECRET, loopback)
    session.commit()
    folder = tmp_path / "export"
    done = run(["export", str(folder)], command_env(DATABASE_URL=database_url))
    assert done.returncode == 0, done.stderr
    return folder, key


def fresh_database(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    migrate.upgrade(url)
    return url


def answers(engine, product_ids: list[int]) -> dict[tuple[int, str], bytes]:
    settings = ApiSettings(rate_limit_per_minute=None, answers_held=0, responses_held_mb=0)
    with TestClient(create_app(settings, engine=engine)) as client:
        return {
            (pid, day): client.get(f"/api/v1/products/{pid}/applicable?as_of={day}").content
            for pid in product_ids
            for day in DAYS
        }


def test_import_of_an_export_gives_the_same_answers(engine, exported, tmp_path: Path) -> None:
    folder, _key = exported
    target = fresh_database(tmp_path, "imported.db")
    done = run(["import", str(folder)], command_env(DATABASE_URL=target))
    assert done.returncode == 0, done.stderr
    with Session(engine) as session:
        ids = [p.id for p in session.exec(select(Product)).all()]
    assert len(ids) >= 40
    imported = make_engine(target)
    try:
        before, after = answers(engine, ids), answers(imported, ids)
        assert all(b'"entries"' in body or b"mandatory" in body for body in before.values())
        assert before == after
        again = run(["import", str(folder)], command_env(DATABASE_URL=target))
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        imported.dispose()
    # the public tables stream as the export wrote them
    with TestClient(create_app(ApiSettings(rate_limit_per_minute=None), engine=engine)) as client:
        streamed = client.get("/api/v1/export/applicability_rule.csv")
        assert streamed.status_code == 200
        assert streamed.headers["content-type"].startswith("text/csv")
        assert streamed.text == (folder / "applicability_rule.csv").read_text()
        refused = client.get("/api/v1/export/api_key.csv")
        assert refused.status_code == 404
        assert refused.headers["content-type"] == "application/problem+json"


def test_an_export_holds_no_secret_documents_itself_and_is_checked(
    exported, tmp_path: Path
) -> None:
    folder, key = exported
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["schema_version"] == migrate.status(None).head
    names = {p.name for p in folder.iterdir()}
    for private in ("api_key", "audit_log", "webhook", "webhook_delivery", "watch_list"):
        assert f"{private}.csv" not in names and private not in manifest["tables"]
    everything = b"".join(p.read_bytes() for p in folder.iterdir())
    assert WEBHOOK_SECRET.encode() not in everything and key[:10].encode() not in everything
    documents = manifest["tables"]["document"]
    rows = list(csv.DictReader(io.StringIO((folder / "document.csv").read_text())))
    assert len(rows) == documents["rows"] > 300
    assert {"name": "code", "type": "text", "nullable": False, "key": False} in documents["columns"]
    assert "pid" not in (folder / "ingest_run.csv").read_text().splitlines()[0]

    changed = tmp_path / "changed"
    shutil.copytree(folder, changed)
    text = (changed / "document.jsonl").read_text()
    (changed / "document.jsonl").write_text(text.replace("TCVN", "TCVX", 1))
    target = make_engine(fresh_database(tmp_path, "target.db"))
    try:
        with pytest.raises(ImportRefused, match=r"document\.jsonl: sha256 differs"):
            load(target, changed)
        with target.connect() as connection:
            assert connection.exec_driver_sql("SELECT COUNT(*) FROM document").scalar() == 0
    finally:
        target.dispose()


def test_every_table_is_either_exported_or_never_exported() -> None:
    exported, never = set(tables.EXPORTED), set(tables.NEVER_EXPORTED)
    assert not exported & never
    assert exported | never == set(SQLModel.metadata.tables), "classify the new table"
    assert not any(name.startswith("plan_") for name in tables.PUBLIC)
