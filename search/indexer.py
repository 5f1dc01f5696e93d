"""Build, update and verify the search indexes (master key; never used for queries).

- :func:`rebuild` fills fresh indexes and swaps them in with one swap task, so searches
  always see a complete index, then deletes the old ones.
- :func:`sync` sends only the records changed since the last build or sync.
- :func:`check` compares the database with the indexes and, if asked, repairs the drift.
- :func:`ensure_search_key` returns the search-only key queries must use.

The calls go through :class:`search.admin.MeiliAdmin`: every task is awaited; a failed or
cancelled task raises :class:`search.errors.IndexTaskFailed`.
After each change the ``meta`` index gets a new ``version``, which the query layer uses
to drop its cached results.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Engine

from search import settings as index_settings
from search.admin import MeiliAdmin
from search.documents import (
    DERIVED_DOCUMENT_FIELDS,
    DOCUMENTS,
    META,
    PRODUCTS,
    changed_since,
    load_document_records,
    load_product_records,
)
from search.errors import MeiliError

Log = Callable[[str], None]
META_ID = "state"


def index_uids(prefix: str = "") -> dict[str, str]:
    """Index uids by role: ``{"documents": "<prefix>documents", ...}``."""
    return {name: f"{prefix}{name}" for name in (DOCUMENTS, PRODUCTS, META)}


def apply_all_settings(
    admin: MeiliAdmin, prefix: str = "", *, uids: dict[str, str] | None = None
) -> list[str]:
    """Apply the settings of every index (creating missing ones); names of those changed."""
    uids = uids or index_uids(prefix)
    changed = []
    for name, build in (*index_settings.SETTINGS.items(), (META, index_settings.meta_settings)):
        uid = uids[name]
        if not admin.index_exists(uid):
            admin.create_index(uid)
        if admin.apply_settings(uid, build()):
            changed.append(uid)
    return changed


def _write_meta(admin: MeiliAdmin, uid: str, version: int | None, **fields: str) -> None:
    if not admin.index_exists(uid):
        admin.create_index(uid)
        admin.apply_settings(uid, index_settings.meta_settings())
    current = read_meta(admin, uid) or {}
    record = (
        current
        | fields
        | {
            "id": META_ID,
            "version": str(version if version is not None else current.get("version", "0")),
        }
    )
    admin.run("POST", f"/indexes/{uid}/documents?primaryKey=id", [record])


def read_meta(admin: MeiliAdmin, uid: str) -> dict[str, Any] | None:
    """The state record of the indexes (version, built_at, synced_at), or None before a build."""
    meta: dict[str, Any] | None = admin.request(
        "GET", f"/indexes/{uid}/documents/{META_ID}", allow_404=True
    )
    return meta


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class RebuildReport:
    documents: int
    products: int
    seconds: float
    version: int


def rebuild(
    engine: Engine,
    meili_url: str,
    master_key: str | None,
    *,
    prefix: str = "",
    log: Log | None = None,
    records: dict[str, list[dict[str, Any]]] | None = None,
) -> RebuildReport:
    """Build fresh indexes from the database and swap them in atomically.

    ``records`` (by index name) replaces reading the database, for benchmarks.
    """
    log = log or (lambda _msg: None)
    started = time.monotonic()
    started_at = _now()
    uids = index_uids(prefix)
    if records is None:
        records = {DOCUMENTS: load_document_records(engine), PRODUCTS: load_product_records(engine)}
    log(f"read {len(records[DOCUMENTS])} documents and {len(records[PRODUCTS])} products")
    token = secrets.token_hex(4)
    with MeiliAdmin(meili_url, master_key) as admin:
        fresh = {name: f"{uids[name]}__build_{token}" for name in (DOCUMENTS, PRODUCTS)}
        try:
            # Enqueued together, awaited in order: Meilisearch batches them, and a failure
            # of any of them stops the rebuild before the swap.
            tasks = []
            for name, uid in fresh.items():
                tasks.append(admin.request("POST", "/indexes", {"uid": uid, "primaryKey": "id"}))
                settings = index_settings.SETTINGS[name]()
                tasks.append(admin.request("PATCH", f"/indexes/{uid}/settings", settings))
                tasks += admin.enqueue_documents(uid, records[name])
            for task in tasks:
                admin.wait(task)
            log(f"built {', '.join(fresh.values())}")
            for name in fresh:
                if not admin.index_exists(uids[name]):
                    admin.create_index(uids[name])
            swap = admin.run(
                "POST",
                "/swap-indexes",
                [{"indexes": [uids[name], fresh[name]]} for name in fresh],
            )
            log(f"swapped {', '.join(uids[name] for name in fresh)} in (task {swap['uid']})")
        finally:
            for uid in fresh.values():
                if admin.index_exists(uid):
                    admin.delete_index(uid)  # after the swap: the old contents
        _write_meta(admin, uids[META], swap["uid"], built_at=started_at, synced_at=started_at)
    return RebuildReport(
        documents=len(records[DOCUMENTS]),
        products=len(records[PRODUCTS]),
        seconds=time.monotonic() - started,
        version=swap["uid"],
    )


@dataclass(frozen=True)
class SyncReport:
    documents: int
    products: int
    deleted: int
    since: str


def sync(
    engine: Engine,
    meili_url: str,
    master_key: str | None,
    *,
    prefix: str = "",
    since: datetime | None = None,
) -> SyncReport:
    """Send the records changed after ``since`` (default: the last build or sync).

    "Changed" is read from ``updated_at`` and FieldChange, and also found by comparing with
    the index what a row's own timestamps do not show: a document's fields that come from
    other tables (``applies_to`` from rules, products and categories, ``mandatory``,
    ``superseded_by``, issuer, ICS: DERIVED_DOCUMENT_FIELDS) and whole product records (few,
    and made of aliases, codes, categories and localities). Ids in the index that are no
    longer in the database are deleted, however the rows went.
    """
    uids = index_uids(prefix)
    started_at = _now()
    with MeiliAdmin(meili_url, master_key) as admin:
        if since is None:
            meta = read_meta(admin, uids[META])
            if not meta or not meta.get("synced_at"):
                raise MeiliError(
                    f"index {uids[META]} has no sync time: run `tieuchuan index rebuild` first"
                )
            since = datetime.fromisoformat(meta["synced_at"])
        doc_ids, _ = changed_since(engine, since)
        wanted = {DOCUMENTS: load_document_records(engine), PRODUCTS: load_product_records(engine)}
        stored = {
            DOCUMENTS: admin.all_documents(uids[DOCUMENTS], ["id", *DERIVED_DOCUMENT_FIELDS]),
            PRODUCTS: admin.all_documents(uids[PRODUCTS]),
        }
        send = {
            DOCUMENTS: _differing(wanted[DOCUMENTS], stored[DOCUMENTS], DERIVED_DOCUMENT_FIELDS)
            | doc_ids,
            PRODUCTS: _differing(wanted[PRODUCTS], stored[PRODUCTS]),
        }
        last = None
        deleted = 0
        sent = {}
        for name in (DOCUMENTS, PRODUCTS):
            records = [r for r in wanted[name] if r["id"] in send[name]]
            gone = {r["id"] for r in stored[name]} - {r["id"] for r in wanted[name]}
            last = admin.add_documents(uids[name], records) or last
            last = admin.delete_documents(uids[name], gone) or last
            sent[name] = len(records)
            deleted += len(gone)
        _write_meta(admin, uids[META], last, synced_at=started_at)
    return SyncReport(sent[DOCUMENTS], sent[PRODUCTS], deleted, since.isoformat())


def _differing(
    wanted: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    fields: tuple[str, ...] | None = None,
) -> set[int]:
    """Ids of ``wanted`` records missing from ``stored`` or different there in ``fields``
    (every field when None)."""
    by_id = {r["id"]: r for r in stored}
    differing = set()
    for record in wanted:
        have = by_id.get(record["id"])
        as_stored = msgspec.json.decode(msgspec.json.encode(record))  # as JSON gives it back
        if have is None or any(as_stored.get(f) != have.get(f) for f in fields or as_stored):
            differing.add(record["id"])
    return differing


@dataclass
class Drift:
    """Differences between the database and one index, by record id."""

    index: str
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, not in the database
    stale: list[int] = field(default_factory=list)  # in both, with different content

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check(
    engine: Engine,
    meili_url: str,
    master_key: str | None,
    *,
    prefix: str = "",
    repair: bool = False,
) -> list[Drift]:
    """Compare every record of the database with the indexes; send fixes when ``repair``."""
    uids = index_uids(prefix)
    wanted = {DOCUMENTS: load_document_records(engine), PRODUCTS: load_product_records(engine)}
    report = []
    with MeiliAdmin(meili_url, master_key) as admin:
        last = None
        for name, records in wanted.items():
            drift = Drift(uids[name])
            stored = {r["id"]: r for r in admin.all_documents(uids[name])}
            expected = {r["id"]: msgspec.json.decode(msgspec.json.encode(r)) for r in records}
            drift.missing = sorted(expected.keys() - stored.keys())
            drift.extra = sorted(stored.keys() - expected.keys())
            drift.stale = sorted(
                i for i in expected.keys() & stored.keys() if expected[i] != stored[i]
            )
            report.append(drift)
            if repair and not drift.clean:
                send = [expected[i] for i in drift.missing + drift.stale]
                last = admin.add_documents(uids[name], send) or last
                last = admin.delete_documents(uids[name], drift.extra) or last
        if last is not None:
            _write_meta(admin, uids[META], last, synced_at=_now())
    return report


def search_key_uid(prefix: str = "") -> str:
    """The uid of the search-only key for indexes starting with ``prefix`` (stable)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tieuchuan/search-key/{prefix}"))


def ensure_search_key(meili_url: str, master_key: str | None, *, prefix: str = "") -> str:
    """The search-only API key for this prefix's indexes (created once, same value afterwards).

    It may only search, and only the ``documents``, ``products`` and ``meta`` indexes of
    ``prefix`` (never ``*``). A key made earlier with a wider scope is deleted and made again
    under the same uid; Meilisearch derives the key's value from its uid and the master key,
    so the value, and every setting that holds it, stays valid.
    """
    uid = search_key_uid(prefix)
    wanted = {
        "uid": uid,
        "name": f"tieuchuan search {prefix or '(no prefix)'}",
        "description": "search only: used by the search layer for queries",
        "actions": ["search"],
        "indexes": sorted(index_uids(prefix).values()),
        "expiresAt": None,
    }
    with MeiliAdmin(meili_url, master_key) as admin:
        key = admin.request("GET", f"/keys/{uid}", allow_404=True)
        if key is not None and not _same_scope(key, wanted):
            admin.request("DELETE", f"/keys/{uid}")
            key = None
        if key is None:
            key = admin.request("POST", "/keys", wanted)
    secret: str = key["key"]
    return secret


def _same_scope(key: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return (
        key.get("actions") == wanted["actions"]
        and sorted(key.get("indexes") or []) == wanted["indexes"]
        and key.get("expiresAt") is None
    )
