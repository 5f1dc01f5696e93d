"""``--from`` stays inside its folder: replay manifests and sheet folders never read a file
outside it, whether named by an absolute path, by ``../`` or through a symbolic link
(security review item 17). The entry is a reject that says so; the rest loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from ingest_helpers import FIXTURES
from sqlmodel import Session, select

from catalog.models import Document, IngestReject, Product
from ingest.jobs import ingest
from ingest.replay import MANIFEST, load_manifest, replay_transport

SECRET = "root:x:0:0:SECRET-LINE"
BASE = "https://tieuchuan.vsqi.gov.vn"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every folder the tests ingest from, that must never be read."""
    secret = tmp_path / "secret" / "passwd"
    secret.parent.mkdir()
    page = f"<html><body><a href='/leak/index'>x</a><table><tr><td>{SECRET}</td></tr></table>"
    secret.write_text(page + "</body></html>\n" + f"{SECRET}\n" * 30, encoding="utf-8")
    return secret


def _stored_text(engine) -> str:
    with Session(engine) as session:
        rejects = session.exec(select(IngestReject)).all()
    return " ".join(f"{r.location} {r.reason} {r.excerpt or ''}" for r in rejects)


def test_replay_manifest_entries_outside_the_folder_are_refused_unread(
    engine, tmp_path: Path, outside: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "catalogue", site)
    (site / "link.html").symlink_to(outside)
    (site / "inner-link.html").symlink_to(site / "tcvn-12605-2019.html")
    lines = [
        f"{BASE}/tieuchuan/index?absolute=1\t{outside}",
        f"{BASE}/tieuchuan/index?dotdot=1\t../secret/passwd",
        f"{BASE}/tieuchuan/index?link=1\tlink.html",
        f"{BASE}/tieuchuan/index?inner=1\tinner-link.html",  # a link that stays inside
    ]
    with (site / MANIFEST).open("a", encoding="utf-8") as manifest:
        manifest.write("\n".join(lines) + "\n")
    first_added = len((FIXTURES / "catalogue" / MANIFEST).read_text("utf-8").splitlines()) + 1

    manifest = load_manifest(site)
    assert [(r.location, r.reason) for r in manifest.rejects] == [
        (
            f"{MANIFEST}:{first_added + n}",
            f"file {name!r} leads outside the replay folder {site}; not read",
        )
        for n, name in enumerate([str(outside), "../secret/passwd", "link.html"])
    ]
    with httpx.Client(transport=replay_transport(manifest)) as client:
        for query in ("absolute=1", "dotdot=1", "link=1"):
            refused = client.get(f"{BASE}/tieuchuan/index?{query}")
            assert refused.status_code == 403 and SECRET not in refused.text
        inner = client.get(f"{BASE}/tieuchuan/index?inner=1")
        assert inner.status_code == 200 and "12605" in inner.text

    summary = ingest(engine, "catalogue", origin=site)
    assert summary.new >= 10  # the saved catalogue still loads
    stored = _stored_text(engine)
    assert "leads outside the replay folder" in stored
    assert SECRET not in stored and "/leak/index" not in stored


def test_a_manifest_linked_out_of_the_folder_is_refused_unread(
    tmp_path: Path, outside: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MANIFEST).symlink_to(outside)
    with pytest.raises(ValueError, match="leads outside the replay folder") as refused:
        load_manifest(site)
    assert SECRET not in str(refused.value)


def test_sheet_files_linked_out_of_the_folder_are_refused_unread(
    engine, tmp_path: Path, outside: Path
) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "products.csv").symlink_to(outside)
    summary = ingest(engine, "products", origin=folder)
    assert (summary.new, summary.rejected) == (0, 1)
    with Session(engine) as session:
        [reject] = session.exec(select(IngestReject)).all()
    assert reject.location == "products.csv"
    assert reject.reason == (
        f"{folder / 'products.csv'} leads outside the folder {folder} (to {outside}); not read"
    )
    assert reject.excerpt is None and SECRET not in _stored_text(engine)


def test_a_document_folder_reads_its_own_sheets_and_refuses_links_out(
    engine, tmp_path: Path, outside: Path
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(FIXTURES / "documents" / "documents.csv", folder / "documents.csv")
    (folder / "documents_linked.csv").symlink_to(folder / "documents.csv")  # stays inside
    (folder / "documents_passwd.csv").symlink_to(outside)
    summary = ingest(engine, "documents", origin=folder)
    with Session(engine) as session:
        documents = session.exec(select(Document)).all()
        refused = session.exec(
            select(IngestReject).where(IngestReject.location == "documents_passwd.csv")
        ).one()
    assert summary.new >= 5 and len(documents) >= 5
    assert "leads outside the folder" in refused.reason
    assert SECRET not in _stored_text(engine)


def test_a_sheet_named_directly_is_read_wherever_it_is(engine, tmp_path: Path) -> None:
    """``--from FILE`` names the file itself: only files found *in* a folder are confined."""
    elsewhere = tmp_path / "elsewhere" / "registry.csv"
    elsewhere.parent.mkdir()
    elsewhere.write_text("Mã sản phẩm,Tên sản phẩm,Loại\ncam,Cam,đặc sản\n", encoding="utf-8")
    link = tmp_path / "products.csv"
    link.symlink_to(elsewhere)
    assert ingest(engine, "products", origin=link).new == 1
    with Session(engine) as session:
        assert session.exec(select(Product.slug)).all() == ["cam"]
