"""The store writer: parsed records in, catalog rows out, inside the caller's transaction.

:class:`StoreWriter` resolves each record's references (issuer, parent, category,
locality, document…) and validates them *before* writing anything, so a record is
either written whole or rejected whole; writes go through :mod:`catalog.upsert`, which
keeps the field-level history. Relations and successions are written at :meth:`finish`,
once every record of the run is in, so their order in the input does not matter.

A document referenced but not (yet) ingested — the target of a "replaced by" link, a
normative reference — is created as a *stub*: its code only, with a status note saying so.

Speed (large catalogue runs): documents are written in batches. A batch's existing rows
are looked up in one query (id and content hash only); a record whose content hash is
the row's own was written from this very content and is counted unchanged without
loading the row; new rows are inserted with one flush per batch. Relations are resolved
the same way at :meth:`finish`: existing links are read in bulk, new ones flushed in
batches. Per-record semantics (field history, provenance, rejects) are those of
:func:`catalog.upsert.upsert`, which every changed or new record still goes through.

The parts: :mod:`.base` (the run's state, rejects, provenance), :mod:`.lookups` (ids of
what records refer to), :mod:`.documents`, :mod:`.places`, :mod:`.products`; this module
dispatches each record to its part.
"""

from __future__ import annotations

from catalog.upsert import Outcome
from catalog.vocab import RelationKind
from ingest.declaration_writer import write_declaration
from ingest.notification_writer import write_notification, write_update
from ingest.records import (
    CategoryRecord,
    DeclarationRecord,
    DocumentRecord,
    IssuerRecord,
    LocalityRecord,
    NotificationRecord,
    NotificationUpdateRecord,
    Parsed,
    ProductRecord,
    Record,
    Reject,
    RejectError,
    RelationRecord,
    ReviewRecord,
    RuleRecord,
)
from ingest.writer.base import BATCH
from ingest.writer.documents import DocumentWriter
from ingest.writer.places import PlaceWriter
from ingest.writer.products import ProductWriter


class StoreWriter(DocumentWriter, PlaceWriter, ProductWriter):
    """Writes one run's records; ``counts`` and ``rejects`` say what happened."""

    def take(self, item: Parsed) -> None:
        """Write one record, or keep one reject."""
        if isinstance(item, Reject):
            self.reject(item)
            return
        try:
            item.check_limits()
        except RejectError as exc:
            self.reject(Reject(item.location, str(exc)))
            return
        if isinstance(item, DocumentRecord):
            try:
                self._check_duplicate(item)
            except RejectError as exc:
                self.reject(Reject(item.location, str(exc)))
                return
            self._batch.append(item)
            if len(self._batch) >= BATCH:
                self._write_documents()
            return
        self._write_documents()  # records of other kinds may refer to them
        try:
            self._check_duplicate(item)
            outcome = self._write(item)
        except RejectError as exc:
            self.reject(Reject(item.location, str(exc)))
            return
        if outcome is not None:
            self.counts[outcome] += 1

    def _write(self, record: Record) -> Outcome | None:
        """Write a record of any kind but a document (documents are written in batches)."""
        match record:
            case RelationRecord():
                self._relation(record)
                return None
            case LocalityRecord():
                return self._locality(record)
            case IssuerRecord():
                return self._issuer(record)
            case CategoryRecord():
                return self._category(record)
            case ProductRecord():
                return self._product(record)
            case RuleRecord():
                return self._rule(record)
            case ReviewRecord():
                return self._review(record)
            case NotificationRecord():
                return write_notification(self, record)
            case NotificationUpdateRecord():
                return write_update(self, record)
            case DeclarationRecord():
                return write_declaration(self, record)
        raise TypeError(f"no writer for a {type(record).__name__}")

    def finish(self) -> None:
        """Write the relations and successions gathered during the run."""
        self._write_documents()
        self._resolve_codes(
            [code for p in self._relations for code in (p.source_code, p.target_code)]
        )
        existing = self._existing_relations()
        replaced: list[tuple[int, int]] = []  # (newer id, older id)
        for number, pending in enumerate(self._relations, 1):
            try:
                if outcome := self._write_relation(pending, existing):
                    self.counts[outcome] += 1
                if pending.kind == RelationKind.REPLACES:
                    replaced.append(
                        (
                            self._document_ids[pending.source_code],
                            self._document_ids[pending.target_code],
                        )
                    )
            except RejectError as exc:
                self.reject(Reject(pending.location, str(exc)))
            if number % BATCH == 0:
                self.session.flush()
        self._relations.clear()
        self.session.flush()
        self._derive_superseded(replaced)
        for kind, record in self._successions:
            try:
                self._write_succession(kind, record)
            except RejectError as exc:
                self.reject(Reject(record.location, str(exc)))
        self._successions.clear()
        self.session.flush()
