"""Documents and their relations: batch writes, stubs for documents referenced but not yet
ingested, relations resolved in bulk at the end of a run, and supersession derived from them."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any, TypeVar

from sqlmodel import col, select

from catalog import clock
from catalog.codes import parse_code
from catalog.models import Document, DocumentIcs, DocumentRelation, IcsField, saved_id, stored_id
from catalog.upsert import Outcome, assign, sync_children, unchanged
from catalog.vocab import RelationKind, Status
from ingest.records import DocumentRecord, Reject, RejectError, RelationRecord
from ingest.writer.base import BATCH, STUB_NOTE, copied, document_identity
from ingest.writer.lookups import Lookups

_T = TypeVar("_T")
_RelationKey = tuple[int, int, RelationKind]  # (source id, target id, kind)
_StoredRelation = tuple[int, date | None, str | None]  # (row id, effective_on, note)


class DocumentWriter(Lookups):
    """Documents in batches, and relations once the run's documents are all in."""

    def _write_documents(self) -> None:
        """Write the batch of documents taken so far (see :mod:`ingest.writer`)."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        identities: dict[str, dict[str, Any]] = {}
        for record in batch:
            try:
                identities[record.code] = document_identity(record.code)
            except RejectError as exc:
                self.reject(Reject(record.location, str(exc)))
        slugs = [identity["slug"] for identity in identities.values()]
        stored = {
            slug: (row_id, content_hash)
            for slug, row_id, content_hash in self.session.exec(
                select(Document.slug, Document.id, Document.content_hash).where(
                    col(Document.slug).in_(slugs)
                )
            )
        }
        created: list[tuple[DocumentRecord, Document]] = []
        created_slugs: set[str] = set()
        for record in batch:
            if record.code not in identities:
                continue
            identity = identities[record.code]
            row_id, content_hash = stored.get(identity["slug"], (None, None))
            if row_id is not None and content_hash == record.content_hash():
                # Written from this very content before, and not changed since (see touch()).
                self._document_ids[record.code] = row_id
                for code, name in record.ics:
                    self._ics_field(code, name)
                self._queue_relations(record)
                self.counts[Outcome.UNCHANGED] += 1
                continue
            new = row_id is None and identity["slug"] not in created_slugs
            if new:
                created_slugs.add(identity["slug"])
            try:
                outcome = self._document(record, identity, new=new, created=created)
            except RejectError as exc:
                self.reject(Reject(record.location, str(exc)))
                continue
            self.counts[outcome] += 1
        self.session.flush()
        for record, document in created:
            document_id = saved_id(document)
            self._document_ids[record.code] = document_id
            self._new_ids.add(document_id)
            self.session.add_all(
                DocumentIcs(document_id=document_id, ics_code=code) for code in _ics_codes(record)
            )

    def _document(
        self,
        record: DocumentRecord,
        identity: dict[str, Any],
        new: bool,
        created: list[tuple[DocumentRecord, Document]],
    ) -> Outcome:
        issuer_id = self._issuer_id(record.issuer) if record.issuer else None
        values = {
            **identity,
            **copied(record, "title_vi", "title_en", "scope", "status", "status_note"),
            "issuer_id": issuer_id,
            **copied(record, "issued_on", "effective_from", "effective_to"),
            **copied(record, "equivalent", "equivalence", "announcing_decision", "announced_on"),
            **copied(record, "technical_committee", "pages"),
        }
        if record.year is not None:
            values["year"] = record.year
        for code, name in record.ics:
            self._ics_field(code, name)
        key, provenance = {"slug": identity["slug"]}, self._provenance(record)
        if new:
            options = {"found": None, "flush": False}
            result = self._upsert(Document, key, values, record.code, provenance, **options)
            created.append((record, result.row))  # id and ICS rows once the batch is flushed
            self._queue_relations(record)
            return result.outcome
        result = self._upsert(Document, key, values, record.code, provenance)
        document = result.row
        outcome = result.outcome
        if document.status_note == STUB_NOTE:
            # The stub is now a full record: its "code only" note goes.
            assign(
                self.session, document, "status_note", record.status_note, self.context, record.code
            )
            outcome = self._touched(document, record, outcome, True)
        self._document_ids[record.code] = document.id
        if record.ics:
            changes = sync_children(
                self.session,
                document,
                "ics",
                DocumentIcs,
                {"document_id": document.id},
                [{"ics_code": code} for code in _ics_codes(record)],
                context=self.context,
                record_key=record.code,
            )
            outcome = self._touched(document, record, outcome, bool(changes))
        self._queue_relations(record)
        return outcome

    def _ics_field(self, code: str, name: str | None) -> None:
        """ICS fields are reference data: created when first met, named when a name is known."""
        if self._ics_names is None:
            rows = self.session.exec(select(IcsField.code, IcsField.name_vi)).all()
            self._ics_names = {code: name for code, name in rows}
        if code not in self._ics_names:
            self.session.add(IcsField(code=code, name_vi=name))
            self.session.flush()
        elif name and not self._ics_names[code]:
            field = self.session.get(IcsField, code)
            assert field is not None
            field.name_vi = name
            self.session.add(field)
        else:
            return
        self._ics_names[code] = name

    def _queue_relations(self, record: DocumentRecord) -> None:
        at = record.location
        for target in record.replaces:
            self._relations.append(
                RelationRecord(
                    at, record.code, RelationKind.REPLACES, target, record.effective_from
                )
            )
        for newer in record.replaced_by:
            self._relations.append(RelationRecord(at, newer, RelationKind.REPLACES, record.code))
        for target in record.cites:
            self._relations.append(RelationRecord(at, record.code, RelationKind.CITES, target))
        editions = sorted({record.code, *record.history}, key=_edition_year)
        for older, newer in pairwise(editions):
            note = "Lịch sử soát xét (version history)"
            self._relations.append(
                RelationRecord(at, newer, RelationKind.REPLACES, older, None, note)
            )

    def _relation(self, record: RelationRecord) -> None:
        self._relations.append(record)  # counted when written, at finish()

    def _existing_relations(self) -> dict[_RelationKey, _StoredRelation]:
        """The stored links from the documents of this run's relations, read in bulk."""
        sources = {
            found
            for pending in self._relations
            if (found := self._document_ids.get(pending.source_code)) is not None
        }
        existing: dict[_RelationKey, _StoredRelation] = {}
        for chunk in _chunks(sorted(sources), BATCH):
            # sqlmodel types select() for up to 4 columns; it takes any number.
            rows = self.session.exec(
                select(  # type: ignore[call-overload]
                    DocumentRelation.source_id,
                    DocumentRelation.target_id,
                    DocumentRelation.kind,
                    DocumentRelation.id,
                    DocumentRelation.effective_on,
                    DocumentRelation.note,
                ).where(col(DocumentRelation.source_id).in_(chunk))
            )
            for source_id, target_id, kind, row_id, effective_on, note in rows:
                existing[(source_id, target_id, RelationKind(kind))] = (row_id, effective_on, note)
        return existing

    def _write_relation(
        self,
        pending: RelationRecord,
        existing: dict[_RelationKey, _StoredRelation],
    ) -> Outcome | None:
        replaced = pending.kind == RelationKind.REPLACES
        source_id = self._document_id(pending.source_code, pending.location)
        target_id = self._document_id(pending.target_code, pending.location, superseded=replaced)
        key = {"source_id": source_id, "target_id": target_id, "kind": pending.kind}
        seen_key = ("relation", f"{source_id}-{target_id}-{pending.kind}")
        if seen_key in self._seen:
            return None  # the same link read from both ends, or twice: counted once
        self._seen[seen_key] = pending.location
        values = {"effective_on": pending.effective_on, "note": pending.note}
        stored = existing.get((source_id, target_id, pending.kind))
        if stored is not None and unchanged(dict(zip(values, stored[1:], strict=True)), values):
            return Outcome.UNCHANGED
        return self._upsert(
            DocumentRelation,
            key,
            values,
            f"{pending.source_code} {pending.kind.value} {pending.target_code}",
            self._provenance_at(pending.location),
            found=None if stored is None else self.session.get(DocumentRelation, stored[0]),
            flush=False,
        ).outcome

    def _derive_superseded(self, replaced: list[tuple[int, int]]) -> None:
        """A document of unknown status that a document in effect replaces is superseded.

        Sources often state a replacement on the newer edition only ("Thay thế cho") and
        leave the older one's status blank. The replacement is a stated fact, so the
        older edition is marked superseded — from the newer one's effective date, hence
        not while the newer one is a draft or not yet in force — with a note saying the
        status was derived and from what. Recorded in the change feed like any other change
        (the run's counts stay counts of input records).
        """
        today = clock.today()
        ids = sorted({i for pair in replaced for i in pair})
        rows: dict[int, tuple[str, Status, date | None]] = {}
        for chunk in _chunks(ids, BATCH):
            for row_id, code, status, effective_from in self.session.exec(
                select(
                    col(Document.id), Document.code, Document.status, col(Document.effective_from)
                ).where(col(Document.id).in_(chunk))
            ):
                rows[stored_id(row_id)] = (code, Status(status), effective_from)
        derived: set[int] = set()
        for newer_id, older_id in replaced:
            newer_code, newer_status, newer_from = rows[newer_id]
            older_code, older_status, _ = rows[older_id]
            if older_status != Status.UNKNOWN or older_id in derived:
                continue
            if newer_status in (Status.DRAFT, Status.NOT_YET_IN_FORCE):
                continue
            if newer_from is not None and newer_from > today:
                continue
            derived.add(older_id)
            since = f" từ {newer_from:%d-%m-%Y}" if newer_from else ""
            note = (
                f"Bị thay thế bởi {newer_code}{since} (suy ra từ quan hệ thay thế đã ghi; "
                "derived from the recorded replacement)"
            )
            older = self.session.get(Document, older_id)
            assert older is not None
            values: dict[str, Status | str] = {"status": Status.SUPERSEDED}
            if not older.status_note or older.status_note == STUB_NOTE:
                values["status_note"] = note
            if older_id in self._new_ids:  # created by this run: part of its creation
                for name, value in values.items():
                    setattr(older, name, value)
            else:
                for name, value in values.items():
                    assign(self.session, older, name, value, self.context, older_code)
                older.updated_at = self.context.at  # in the change feed; not a record of its own
            self.session.add(older)

    def _resolve_codes(self, codes: list[str]) -> None:
        """Look the ids of many documents up at once (unparseable codes are left for later)."""
        slugs: dict[str, str] = {}
        for code in dict.fromkeys(codes):
            if code in self._document_ids or code in self._absent:
                continue
            try:
                slugs[document_identity(code)["slug"]] = code
            except RejectError:
                continue
        for chunk in _chunks(list(slugs), BATCH):
            rows = self.session.exec(
                select(Document.slug, Document.id).where(col(Document.slug).in_(chunk))
            )
            for slug, row_id in rows:
                self._document_ids[slugs.pop(slug)] = stored_id(row_id)
        self._absent.update(slugs.values())

    def _document_id(self, code: str, location: str, superseded: bool = False) -> int:
        if code in self._document_ids:
            return self._document_ids[code]
        identity = document_identity(code)
        found = None
        if code not in self._absent:
            found = self.session.exec(
                select(Document).where(Document.slug == identity["slug"])
            ).first()
        if found is None:
            found = Document(
                **identity,
                status=Status.SUPERSEDED if superseded else Status.UNKNOWN,
                status_note=STUB_NOTE,
                **self._provenance_at(location),
            )
            self.session.add(found)
            self.session.flush()
            self._new_ids.add(saved_id(found))
            self.stubs += 1
        self._document_ids[code] = document_id = saved_id(found)
        return document_id


def _chunks(items: list[_T], size: int) -> list[list[_T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _ics_codes(record: DocumentRecord) -> list[str]:
    return list(dict.fromkeys(code for code, _ in record.ics))


def _edition_year(code: str) -> tuple[int, str]:
    return (parse_code(code).year or 0, code)
