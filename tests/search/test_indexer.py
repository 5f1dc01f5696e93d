"""Building, syncing and checking the indexes against the real Meilisearch."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, or_
from sqlmodel import Session, delete, select

from api.cli import main
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    Product,
    ProductAlias,
)
from catalog.vocab import Role, SubjectKind
from search import indexer
from search.admin import MeiliAdmin
from search.errors import IndexTaskFailed, MeiliRequestError
from search.indexer import index_uids
from search.server import MeiliProcess
from search.settings import document_settings


def test_settings_are_applied_once_and_then_left_alone(
    meili_server: MeiliProcess, index_prefix: str
) -> None:
    with MeiliAdmin(meili_server.url, meili_server.master_key) as admin:
        first = indexer.apply_all_settings(admin, index_prefix)
        second = indexer.apply_all_settings(admin, index_prefix)
        stored = admin.request("GET", f"/indexes/{index_prefix}documents/settings")
    assert sorted(first) == sorted(index_uids(index_prefix).values())
    assert second == []
    assert stored["localizedAttributes"] == [{"attributePatterns": ["*"], "locales": ["vie"]}]
    assert stored["searchableAttributes"] == document_settings()["searchableAttributes"]
    assert "trà" in stored["synonyms"]["chè"] and "heo" in stored["synonyms"]["lợn"]
    assert {"attp", "vsattp"} <= set(stored["synonyms"]["an toàn thực phẩm"])
    typos = stored["typoTolerance"]
    assert "compact" in typos["disableOnAttributes"] and typos["disableOnNumbers"] is True
    assert typos["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}


def test_rebuild_indexes_every_record(
    engine: Engine, small_catalog, meili_server: MeiliProcess, index_prefix: str
) -> None:
    report = indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    assert report.documents == len(small_catalog.documents)
    assert report.products == len(small_catalog.products)
    with MeiliAdmin(meili_server.url, meili_server.master_key) as admin:
        stored = {d["code"]: d for d in admin.all_documents(f"{index_prefix}documents")}
        indexes = admin.request("GET", "/indexes?limit=1000")["results"]
    assert set(stored) == set(small_catalog.documents)
    orange = stored["TCVN 1873:2014"]
    assert orange["applies_to"] == ["Cam sành Hàm Yên"]  # through the HS prefix 0805
    assert "tcvn18732014" in orange["compact"] and "tcvn1873" in orange["compact"]
    assert stored["TCVN 1873:2007"]["superseded_by"] == "TCVN 1873:2014"
    assert stored["QCVN 8-2:2011/BYT"]["mandatory"] is True
    assert len(stored["QCVN 8-2:2011/BYT"]["applies_to"]) == len(small_catalog.products)
    assert not [
        i["uid"] for i in indexes if i["uid"].startswith(index_prefix) and "__build_" in i["uid"]
    ]


def test_rebuild_swaps_without_a_moment_without_results(
    engine: Engine, small_catalog, meili_server: MeiliProcess, index_prefix: str
) -> None:
    indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    key = indexer.ensure_search_key(meili_server.url, meili_server.master_key, prefix=index_prefix)
    counts: list[int] = []
    stop = threading.Event()

    def search_continuously() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {key}"}) as client:
            while not stop.is_set():
                answer = client.post(
                    f"{meili_server.url}/indexes/{index_prefix}documents/search", json={"q": "cam"}
                )
                counts.append(len(answer.json()["hits"]))

    searcher = threading.Thread(target=search_continuously)
    searcher.start()
    rebuilds = 0
    try:
        # At least three swaps, and as many more (up to 20) as it takes for the searcher to
        # have asked 20 times while they ran: a fast rebuild must not make the test vacuous.
        while rebuilds < 3 or (len(counts) <= 20 and rebuilds < 20):
            indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
            rebuilds += 1
    finally:
        stop.set()
        searcher.join()
    assert len(counts) > 20
    assert min(counts) > 0


def test_sync_sends_only_changed_records(
    engine: Engine, small_catalog, meili_server: MeiliProcess, index_prefix: str
) -> None:
    url, master = meili_server.url, meili_server.master_key
    indexer.rebuild(engine, url, master, prefix=index_prefix)
    time.sleep(0.01)
    with Session(engine, expire_on_commit=False) as session:
        doc = session.get(Document, small_catalog.documents["TCVN 7043:2013"])
        doc.title_vi = "Rượu trắng - Yêu cầu kỹ thuật"
        doc.updated_at = datetime.now(UTC)
        session.add(doc)
        session.commit()
    report = indexer.sync(engine, url, master, prefix=index_prefix)
    assert (report.documents, report.products, report.deleted) == (1, 0, 0)
    with Session(engine) as session:
        product = session.exec(select(Product).where(Product.slug == "ruou-ngo-na-hang")).one()
        product.name_vi = "Rượu ngô men lá Na Hang (chỉ dẫn địa lý)"
        product.updated_at = datetime.now(UTC)
        session.add(product)
        session.commit()
    report = indexer.sync(engine, url, master, prefix=index_prefix)
    # the product, and QCVN 8-2 which applies to it (its applies_to names changed)
    assert (report.documents, report.products) == (1, 1)
    again = indexer.sync(engine, url, master, prefix=index_prefix)
    assert (again.documents, again.products) == (0, 0)
    with MeiliAdmin(url, master) as admin:
        stored = admin.request("GET", f"/indexes/{index_prefix}documents/documents/{doc.id}")
        qcvn_id = small_catalog.documents["QCVN 8-2:2011/BYT"]
        qcvn = admin.request("GET", f"/indexes/{index_prefix}documents/documents/{qcvn_id}")
    assert stored["title_vi"] == "Rượu trắng - Yêu cầu kỹ thuật"
    assert "Rượu ngô men lá Na Hang (chỉ dẫn địa lý)" in qcvn["applies_to"]


def test_sync_finds_what_timestamps_do_not_show(
    engine: Engine, small_catalog, meili_server: MeiliProcess, index_prefix: str
) -> None:
    """A rule, an alias, a deleted relation and a deleted row leave no updated_at or
    FieldChange behind."""
    url, master = meili_server.url, meili_server.master_key
    indexer.rebuild(engine, url, master, prefix=index_prefix)
    honey, oranges, old_oranges = (
        small_catalog.documents["TCVN 12605:2019"],
        small_catalog.documents["TCVN 1873:2014"],  # replaces TCVN 1873:2007
        small_catalog.documents["TCVN 1873:2007"],
    )
    with Session(engine) as session:
        session.add(
            ApplicabilityRule(
                subject_kind=SubjectKind.PRODUCT,
                product_id=small_catalog.products["mat-ong-huong-rung"],
                subject_key="product:mat-ong-huong-rung",
                document_id=honey,
                role=Role.MANDATORY_REGULATION,
            )
        )
        session.add(
            ProductAlias(
                product_id=small_catalog.products["che-shan-tuyet-na-hang"],
                alias="Trà Shan tuyết",
                alias_folded="tra shan tuyet",
            )
        )
        session.execute(
            delete(DocumentRelation).where(
                or_(DocumentRelation.source_id == oranges, DocumentRelation.target_id == oranges)
            )
        )
        session.execute(delete(ApplicabilityRule).where(ApplicabilityRule.document_id == oranges))
        session.execute(delete(Document).where(Document.id == oranges))
        session.commit()
    report = indexer.sync(engine, url, master, prefix=index_prefix)
    # honey (rule), the 2007 oranges (no longer superseded), the tea (alias); oranges gone
    assert (report.documents, report.products, report.deleted) == (2, 1, 1)
    uid = f"{index_prefix}documents"
    with MeiliAdmin(url, master) as admin:
        stored = admin.request("GET", f"/indexes/{uid}/documents/{honey}")
        gone = admin.request("GET", f"/indexes/{uid}/documents/{oranges}", allow_404=True)
        old = admin.request("GET", f"/indexes/{uid}/documents/{old_oranges}")
        tea = admin.request(
            "GET",
            f"/indexes/{index_prefix}products/documents/"
            f"{small_catalog.products['che-shan-tuyet-na-hang']}",
        )
    assert stored["applies_to"] == ["Mật ong Hương rừng"] and stored["mandatory"] is True
    assert gone is None and old["superseded_by"] is None
    assert "Trà Shan tuyết" in tea["aliases"]
    assert all(d.clean for d in indexer.check(engine, url, master, prefix=index_prefix))
    again = indexer.sync(engine, url, master, prefix=index_prefix)
    assert (again.documents, again.products, again.deleted) == (0, 0, 0)


def test_sync_needs_a_build_first(
    engine: Engine, meili_server: MeiliProcess, index_prefix: str
) -> None:
    with pytest.raises(indexer.MeiliError, match="rebuild"):
        indexer.sync(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)


def test_check_finds_and_repairs_drift(
    engine: Engine, small_catalog, meili_server: MeiliProcess, index_prefix: str
) -> None:
    url, master = meili_server.url, meili_server.master_key
    indexer.rebuild(engine, url, master, prefix=index_prefix)
    assert all(d.clean for d in indexer.check(engine, url, master, prefix=index_prefix))
    uid = f"{index_prefix}documents"
    gone, changed = (
        small_catalog.documents["TCVN 5603:2023"],
        small_catalog.documents["TCVN 1873:2014"],
    )
    with MeiliAdmin(url, master) as admin:
        admin.delete_documents(uid, [gone])
        stale = admin.request("GET", f"/indexes/{uid}/documents/{changed}")
        admin.add_documents(uid, [stale | {"title_vi": "wrong"}, stale | {"id": 99_999}])
    drift = indexer.check(engine, url, master, prefix=index_prefix)[0]
    assert (drift.missing, drift.extra, drift.stale) == ([gone], [99_999], [changed])
    indexer.check(engine, url, master, prefix=index_prefix, repair=True)
    assert all(d.clean for d in indexer.check(engine, url, master, prefix=index_prefix))


def test_task_failure_is_raised(meili_server: MeiliProcess, index_prefix: str) -> None:
    with MeiliAdmin(meili_server.url, meili_server.master_key) as admin:
        admin.create_index(f"{index_prefix}documents")
        with pytest.raises(IndexTaskFailed, match="invalid_document_id"):
            admin.add_documents(f"{index_prefix}documents", [{"id": "not a valid id!"}])


def test_search_key_only_searches(meili_server: MeiliProcess, index_prefix: str) -> None:
    url, master = meili_server.url, meili_server.master_key
    key = indexer.ensure_search_key(url, master, prefix=index_prefix)
    assert indexer.ensure_search_key(url, master, prefix=index_prefix) == key != master
    with MeiliAdmin(url, master) as admin:
        admin.create_index(f"{index_prefix}documents")
        stored = admin.request("GET", f"/keys/{indexer.search_key_uid(index_prefix)}")
    assert stored["actions"] == ["search"]
    assert sorted(stored["indexes"]) == sorted(
        f"{index_prefix}{n}" for n in ("documents", "meta", "products")
    )
    with MeiliAdmin(url, key) as as_searcher:
        assert as_searcher.request("POST", f"/indexes/{index_prefix}documents/search", {"q": ""})
        for other in ("other_documents", f"{index_prefix}documents__build_x", f"{index_prefix}x"):
            with pytest.raises(MeiliRequestError, match="403"):
                as_searcher.request("POST", f"/indexes/{other}/search", {"q": ""})
    # A client of its own: on a kept-alive connection that had served a search, the request
    # after this 403 got no answer (Meilisearch 1.21, measured).
    with MeiliAdmin(url, key) as as_searcher, pytest.raises(MeiliRequestError, match="403"):
        as_searcher.add_documents(f"{index_prefix}documents", [{"id": 1}])


def test_search_key_of_a_wider_scope_is_narrowed_keeping_its_value(
    meili_server: MeiliProcess, index_prefix: str
) -> None:
    """A key made by an earlier version (every index, ``*``) is replaced by a narrow one."""
    url, master = meili_server.url, meili_server.master_key
    uid = indexer.search_key_uid(index_prefix)
    with MeiliAdmin(url, master) as admin:
        admin.create_index(f"{index_prefix}documents")
        admin.create_index("wide_scope_other")
        old = admin.request(
            "POST",
            "/keys",
            {"uid": uid, "actions": ["search"], "indexes": ["*"], "expiresAt": None},
        )["key"]
        try:
            with MeiliAdmin(url, old) as as_searcher:  # the old key reads any index
                as_searcher.request("POST", "/indexes/wide_scope_other/search", {"q": ""})
            assert indexer.ensure_search_key(url, master, prefix=index_prefix) == old
            stored = admin.request("GET", f"/keys/{uid}")
            assert "*" not in stored["indexes"] and len(stored["indexes"]) == 3
            with MeiliAdmin(url, old) as as_searcher:
                as_searcher.request("POST", f"/indexes/{index_prefix}documents/search", {"q": ""})
                with pytest.raises(MeiliRequestError, match="403"):
                    as_searcher.request("POST", "/indexes/wide_scope_other/search", {"q": ""})
        finally:
            admin.delete_index("wide_scope_other")


def test_cli_rebuild_and_check(
    engine: Engine,
    small_catalog,
    database_url: str,
    meili_server: MeiliProcess,
    index_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MEILI_URL", meili_server.url)
    monkeypatch.setenv("MEILI_MASTER_KEY", meili_server.master_key)
    runner = CliRunner()
    built = runner.invoke(main, ["index", "rebuild", "--prefix", index_prefix])
    assert built.exit_code == 0, built.output
    assert f"indexed {len(small_catalog.documents)} documents and 5 products" in built.output
    checked = runner.invoke(main, ["index", "check", "--prefix", index_prefix])
    assert checked.exit_code == 0, checked.output
    assert f"{index_prefix}documents: 0 missing, 0 extra, 0 stale" in checked.output
    synced = runner.invoke(main, ["index", "sync", "--prefix", index_prefix])
    assert "sent 0 documents and 0 products" in synced.output
