"""What every part of the store writer shares: the run's state, its rejects, and the
provenance each written row records."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from catalog.codes import CodeError, parse_code
from catalog.models import IngestReject
from catalog.upsert import ChangeContext, Outcome, UpsertResult, sync_children, touch, upsert
from ingest.records import DocumentRecord, Record, Reject, RejectError, RelationRecord

STUB_NOTE = "Chỉ có số hiệu: được viện dẫn nhưng chưa được nạp (referenced, not yet ingested)"
BATCH = 500  # documents per lookup query and flush; also relations per flush
_SHEET_ROW = re.compile(r"^(?P<file>[^/:]+):(?P<row>\d+)$")

# One child list of a written row: (its field name, the child model, the child rows wanted).
ChildRows = tuple[str, type[SQLModel], Sequence[Mapping[str, Any]]]


class WriterBase:
    """Writes one run's records; ``counts`` and ``rejects`` say what happened."""

    def __init__(self, session: Session, run_id: int, fetched_at: datetime | None = None):
        self.session = session
        self.run_id = run_id
        self.context = ChangeContext(run_id=run_id)
        self.fetched_at = fetched_at or datetime.now(UTC)
        self.counts: Counter[str] = Counter()
        self.rejects: list[Reject] = []
        self.stubs = 0
        self._seen: dict[tuple[str, str], str] = {}
        self._relations: list[RelationRecord] = []  # written at finish(), when all are in
        self._successions: list[tuple[str, Record]] = []
        self._document_ids: dict[str, int] = {}
        self._by_name: dict[type, dict[str, int]] = {}
        self._by_code: dict[type, dict[str, int]] = {}  # like _by_name, by code
        self._created: set[tuple[str, str]] = set()  # (kind, key) of rows new in this run
        self._batch: list[DocumentRecord] = []  # documents taken, not yet written
        self._ics_names: dict[str, str | None] | None = None  # ICS code → name, read once
        self._absent: set[str] = set()  # codes looked up in bulk and not in the store
        self._new_ids: set[int] = set()  # documents created by this run

    def reject(self, reject: Reject) -> None:
        self.rejects.append(reject)
        self.counts["rejected"] += 1
        self.session.add(
            IngestReject(
                run_id=self.run_id,
                location=reject.location[:1000],
                reason=reject.reason,
                excerpt=reject.excerpt,
            )
        )

    # --- provenance -----------------------------------------------------------------------

    def _upsert(
        self,
        model: type,
        key: dict[str, Any],
        values: dict[str, Any],
        record_key: str,
        provenance: dict[str, Any] | None = None,
        **options: Any,
    ) -> UpsertResult:
        """:func:`catalog.upsert.upsert` in this run's session and change context."""
        return upsert(
            self.session,
            model,
            key,
            values,
            context=self.context,
            record_key=record_key,
            provenance=provenance,
            **options,
        )

    def _provenance(self, record: Record) -> dict[str, Any]:
        return {**self._provenance_at(record.location), "content_hash": record.content_hash()}

    def _provenance_at(self, location: str) -> dict[str, Any]:
        if match := _SHEET_ROW.match(location):
            source, ref = match["file"], f"row {match['row']}"
        else:
            source, _, ref = location.partition("#")
        return {
            "source": source[:1000],
            "source_ref": ref[:200] or None,
            "fetched_at": self.fetched_at,
            "ingest_run_id": self.run_id,
        }

    def _with_children(
        self,
        record: Record,
        result: UpsertResult,
        parent: dict[str, Any],
        children: Iterable[ChildRows],
        record_key: str,
    ) -> Outcome:
        """Sync the written row's child lists (field, model, wanted rows); the outcome counts
        a change of its children as an update of the row."""
        changes = []
        for field_name, model, wanted in children:
            changes += sync_children(
                self.session,
                result.row,
                field_name,
                model,
                parent,
                wanted,
                context=self.context,
                record_key=record_key,
                record_change=result.outcome != Outcome.NEW,
            )
        return self._touched(result.row, record, result.outcome, bool(changes))

    def _touched(self, row: Any, record: Record, outcome: Outcome, changed: bool) -> Outcome:
        """A record whose own fields were unchanged but whose children changed is updated."""
        if changed and outcome == Outcome.UNCHANGED:
            touch(row, self._provenance(record), self.context)
            self.session.add(row)
            return Outcome.UPDATED
        return outcome


def copied(record: Record, *names: str) -> dict[str, Any]:
    """The record's fields of these names, as the values of columns named alike."""
    return {name: getattr(record, name) for name in names}


def document_identity(code: str) -> dict[str, Any]:
    try:
        parsed = parse_code(code)
    except CodeError as exc:
        raise RejectError(str(exc)) from exc
    return {
        "code": parsed.canonical(),
        "slug": parsed.slug(),
        "compact": parsed.compact(),
        "family": parsed.family_key(),
        "doc_type": parsed.doc_type,
        "number": parsed.number,
        "part": parsed.part,
        "year": parsed.year,
        "issuer_code": parsed.issuer,
    }
