"""Idempotent writes by natural key, with a field-level history of every change.

Ingest jobs and the API write through :func:`upsert` and :func:`sync_children`: a record
found by its natural key (a document's code, a product's slug…) is created when missing,
left untouched when every given field already holds the given value, and otherwise
updated field by field, each change kept as a :class:`~catalog.models.FieldChange` row
(field, old value, new value, when, by which run or API key). Creation is not a change.

``None`` in ``values`` means "this source does not say", never "clear the field": a source
that lacks a column must not erase what another source recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from sqlmodel import Session, SQLModel, select

from catalog.models import RECORD_KEY_MAX, FieldChange, table_name, utcnow

# Provenance columns say where a value came from, not what it is: never compared.
PROVENANCE_FIELDS = frozenset({"source", "source_ref", "fetched_at", "content_hash"})


class _Lookup:
    """The default of ``upsert(found=…)``: look the row up by its key."""


LOOKUP: Any = _Lookup()


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class UpsertResult:
    row: Any
    outcome: Outcome
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeContext:
    """Who makes a change and when: an ingest run or an API key (``actor``)."""

    run_id: int | None = None
    actor: str | None = None
    at: datetime = field(default_factory=utcnow)


def as_json(value: Any) -> str | None:
    """A value as JSON text for ``FieldChange`` (dates ISO, enums by value)."""
    if value is None:
        return None
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        # SQLite gives naive datetimes back; compare the wall time.
        return old.replace(tzinfo=None) == new.replace(tzinfo=None)
    return _plain(old) == _plain(new)


def upsert(
    session: Session,
    model: type[SQLModel],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    context: ChangeContext,
    record_key: str,
    provenance: Mapping[str, Any] | None = None,
    found: Any = LOOKUP,
    flush: bool = True,
) -> UpsertResult:
    """Create or update the ``model`` row whose natural key is ``key``.

    ``values`` are compared field by field (``None`` values are skipped); ``provenance``
    (source, source_ref, fetched_at, content_hash, ingest_run_id) is written on creation
    and on update, never compared. ``record_key`` names the record in the change feed.

    Bulk writers that have already looked rows up pass ``found`` (the row, or ``None``
    when there is none) and ``flush=False``; they flush once per batch, so a new row has
    no ``id`` until then.
    """
    given = {name: value for name, value in values.items() if value is not None and name not in key}
    row = session.exec(select(model).filter_by(**key)).first() if found is LOOKUP else found
    if row is None:
        row = model(**key, **given, **(provenance or {}))
        session.add(row)
        if flush:
            session.flush()
        return UpsertResult(row, Outcome.NEW)
    changes = []
    for name, new in given.items():
        old = getattr(row, name)
        if _same(old, new):
            continue
        setattr(row, name, new)
        changes.append(_change(model, row, record_key, name, old, new, context))
    if not changes:
        return UpsertResult(row, Outcome.UNCHANGED)
    touch(row, provenance, context)
    session.add_all([row, *changes])
    if flush:
        session.flush()
    return UpsertResult(row, Outcome.UPDATED, changes)


def unchanged(current: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether ``upsert`` would leave a row holding ``current`` as it is (``None`` = not said)."""
    return all(new is None or _same(current[name], new) for name, new in values.items())


def sync_children(
    session: Session,
    parent: SQLModel,
    field_name: str,
    model: type[SQLModel],
    parent_key: Mapping[str, Any],
    wanted: Iterable[Mapping[str, Any]],
    *,
    context: ChangeContext,
    record_key: str,
    record_change: bool = True,
) -> list[FieldChange]:
    """Make ``parent``'s child rows of ``model`` exactly ``wanted`` (a set-valued field).

    Child rows are matched on all the columns given in ``wanted`` plus ``parent_key``;
    missing ones are added and extra ones deleted. A difference is recorded as one change
    of ``field_name`` on the parent (old and new sorted lists), unless ``record_change``
    is false (the parent is new, so nothing "changed").
    """
    wanted = [dict(item) for item in wanted]
    columns = sorted({name for item in wanted for name in item})
    existing = list(session.exec(select(model).filter_by(**parent_key)).all())
    if not columns and existing:
        columns = sorted(set(existing[0].model_dump()) - set(parent_key) - {"id"})
    as_tuple = lambda item: tuple(_plain(item.get(c)) for c in columns)  # noqa: E731
    have = {tuple(_plain(getattr(row, c)) for c in columns): row for row in existing}
    want = {as_tuple(item): item for item in wanted}
    if set(have) == set(want):
        return []
    for item_key, row in have.items():
        if item_key not in want:
            session.delete(row)
    session.flush()
    for item_key, item in want.items():
        if item_key not in have:
            session.add(model(**parent_key, **item))
    session.flush()
    if not record_change:
        return []
    old = sorted(_render(k) for k in have)
    new = sorted(_render(k) for k in want)
    change = _change(type(parent), parent, record_key, field_name, old, new, context)
    session.add(change)
    return [change]


def assign(
    session: Session, row: Any, name: str, new: Any, context: ChangeContext, record_key: str
) -> FieldChange | None:
    """Set one field (``None`` included) and record the change, if it is one."""
    old = getattr(row, name)
    if _same(old, new):
        return None
    setattr(row, name, new)
    change = _change(type(row), row, record_key, name, old, new, context)
    session.add_all([row, change])
    return change


def touch(row: SQLModel, provenance: Mapping[str, Any] | None, context: ChangeContext) -> None:
    """Stamp an updated row with its new provenance and ``updated_at``.

    A row changed by anything but a hashed source record no longer holds what its
    ``content_hash`` describes, so the hash is cleared: ingest skips a record only when
    the row's hash is the record's own (see ``ingest.writer``).
    """
    provenance = dict(provenance or {})
    if hasattr(row, "content_hash"):
        provenance.setdefault("content_hash", None)
    for name, value in provenance.items():
        setattr(row, name, value)
    if hasattr(row, "updated_at"):
        row.updated_at = context.at


def _render(item_key: tuple) -> str:
    return item_key[0] if len(item_key) == 1 else " | ".join(str(part) for part in item_key)


def _change(
    model: type[SQLModel],
    row: Any,
    record_key: str,
    name: str,
    old: Any,
    new: Any,
    context: ChangeContext,
) -> FieldChange:
    # a record's key may be longer than the feed shows (plan keys run to 400 characters);
    # the change keeps its readable start, and record_id says which record it was
    return FieldChange(
        table_name=table_name(model),
        record_id=row.id,
        record_key=record_key[:RECORD_KEY_MAX],
        field=name,
        old_value=as_json(old),
        new_value=as_json(new),
        changed_at=context.at,
        ingest_run_id=context.run_id,
        actor=context.actor,
    )
