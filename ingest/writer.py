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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any

from sqlmodel import Session, col, select

from catalog import clock
from catalog.codes import CodeError, parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentIcs,
    DocumentRelation,
    Enterprise,
    IcsField,
    IngestReject,
    Issuer,
    IssuerSuccession,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
)
from catalog.text import fold, slugify
from catalog.upsert import (
    ChangeContext,
    Outcome,
    assign,
    sync_children,
    touch,
    unchanged,
    upsert,
)
from catalog.vocab import CodeScheme, LocalityKind, RelationKind, Status, SubjectKind
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
from ingest.reviews import write_review

STUB_NOTE = "Chỉ có số hiệu: được viện dẫn nhưng chưa được nạp (referenced, not yet ingested)"
BATCH = 500  # documents per lookup query and flush; also relations per flush
_SHEET_ROW = re.compile(r"^(?P<file>[^/:]+):(?P<row>\d+)$")


@dataclass
class _PendingRelation:
    location: str
    source: str
    kind: RelationKind
    target: str
    effective_on: date | None = None
    note: str | None = None


class StoreWriter:
    """Writes one run's records; ``counts`` and ``rejects`` say what happened."""

    def __init__(self, session: Session, run_id: int | None, fetched_at: datetime | None = None):
        self.session = session
        self.run_id = run_id
        self.context = ChangeContext(run_id=run_id)
        self.fetched_at = fetched_at or datetime.now(UTC)
        self.counts: Counter[str] = Counter()
        self.rejects: list[Reject] = []
        self.stubs = 0
        self._seen: dict[tuple[str, str], str] = {}
        self._relations: list[_PendingRelation] = []
        self._successions: list[tuple[str, Record]] = []
        self._document_ids: dict[str, int] = {}
        self._by_name: dict[type, dict[str, int]] = {}
        self._by_code: dict[type, dict[str, int]] = {}  # like _by_name, by code
        self._created: set[tuple[str, str]] = set()  # (kind, key) of rows new in this run
        self._batch: list[DocumentRecord] = []  # documents taken, not yet written
        self._ics_names: dict[str, str | None] | None = None  # ICS code → name, read once
        self._absent: set[str] = set()  # codes looked up in bulk and not in the store
        self._new_ids: set[int] = set()  # documents created by this run

    # --- entry points ---------------------------------------------------------------------

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
            outcome = _HANDLERS[type(item)](self, item)
        except RejectError as exc:
            self.reject(Reject(item.location, str(exc)))
            return
        if outcome is not None:
            self.counts[outcome] += 1

    def finish(self) -> None:
        """Write the relations and successions gathered during the run."""
        self._write_documents()
        self._resolve_codes([code for p in self._relations for code in (p.source, p.target)])
        existing = self._existing_relations()
        replaced: list[tuple[int, int]] = []  # (newer id, older id)
        for number, pending in enumerate(self._relations, 1):
            try:
                if outcome := self._write_relation(pending, existing):
                    self.counts[outcome] += 1
                if pending.kind == RelationKind.REPLACES:
                    replaced.append(
                        (self._document_ids[pending.source], self._document_ids[pending.target])
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

    # --- documents ------------------------------------------------------------------------

    def _write_documents(self) -> None:
        """Write the batch of documents taken so far (see the module docstring)."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        identities: dict[str, dict[str, Any]] = {}
        for record in batch:
            try:
                identities[record.code] = _identity(record.code)
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
            self._document_ids[record.code] = document.id
            self._new_ids.add(document.id)
            self.session.add_all(
                DocumentIcs(document_id=document.id, ics_code=code) for code in _ics_codes(record)
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
            "title_vi": record.title_vi,
            "title_en": record.title_en,
            "scope": record.scope,
            "status": record.status,
            "status_note": record.status_note,
            "issuer_id": issuer_id,
            "issued_on": record.issued_on,
            "effective_from": record.effective_from,
            "effective_to": record.effective_to,
            "equivalent": record.equivalent,
            "equivalence": record.equivalence,
            "announcing_decision": record.announcing_decision,
            "announced_on": record.announced_on,
            "technical_committee": record.technical_committee,
            "pages": record.pages,
        }
        if record.year is not None:
            values["year"] = record.year
        for code, name in record.ics:
            self._ics_field(code, name)
        if new:
            result = upsert(
                self.session,
                Document,
                {"slug": identity["slug"]},
                values,
                context=self.context,
                record_key=record.code,
                provenance=self._provenance(record),
                found=None,
                flush=False,
            )
            created.append((record, result.row))  # id and ICS rows once the batch is flushed
            self._queue_relations(record)
            return result.outcome
        result = upsert(
            self.session,
            Document,
            {"slug": identity["slug"]},
            values,
            context=self.context,
            record_key=record.code,
            provenance=self._provenance(record),
        )
        document = result.row
        outcome = result.outcome
        if document.status_note == STUB_NOTE:
            # The stub is now a full record: its "code only" note goes.
            assign(
                self.session, document, "status_note", record.status_note, self.context, record.code
            )
            outcome = self._touched(document, record, outcome, [True])
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
            outcome = self._touched(document, record, outcome, changes)
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
                _PendingRelation(
                    at, record.code, RelationKind.REPLACES, target, record.effective_from
                )
            )
        for newer in record.replaced_by:
            self._relations.append(_PendingRelation(at, newer, RelationKind.REPLACES, record.code))
        for target in record.cites:
            self._relations.append(_PendingRelation(at, record.code, RelationKind.CITES, target))
        editions = sorted({record.code, *record.history}, key=_edition_year)
        for older, newer in pairwise(editions):
            note = "Lịch sử soát xét (version history)"
            self._relations.append(
                _PendingRelation(at, newer, RelationKind.REPLACES, older, None, note)
            )

    def _relation(self, record: RelationRecord) -> None:
        self._relations.append(
            _PendingRelation(
                record.location,
                record.source_code,
                record.kind,
                record.target_code,
                record.effective_on,
                record.note,
            )
        )
        # counted when written, at finish()

    def _existing_relations(self) -> dict[tuple[int, int, RelationKind], tuple]:
        """The stored links from the documents of this run's relations, read in bulk."""
        sources = {self._document_ids.get(p.source) for p in self._relations} - {None}
        existing = {}
        for chunk in _chunks(sorted(sources), BATCH):
            rows = self.session.exec(
                select(
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
        pending: _PendingRelation,
        existing: dict[tuple[int, int, RelationKind], tuple],
    ) -> Outcome | None:
        replaced = pending.kind == RelationKind.REPLACES
        source_id = self._document_id(pending.source, pending.location)
        target_id = self._document_id(pending.target, pending.location, superseded=replaced)
        key = {"source_id": source_id, "target_id": target_id, "kind": pending.kind}
        seen_key = ("relation", f"{source_id}-{target_id}-{pending.kind}")
        if seen_key in self._seen:
            return None  # the same link read from both ends, or twice: counted once
        self._seen[seen_key] = pending.location
        values = {"effective_on": pending.effective_on, "note": pending.note}
        stored = existing.get((source_id, target_id, pending.kind))
        if stored is not None and unchanged(dict(zip(values, stored[1:], strict=True)), values):
            return Outcome.UNCHANGED
        result = upsert(
            self.session,
            DocumentRelation,
            key,
            values,
            context=self.context,
            record_key=f"{pending.source} {pending.kind.value} {pending.target}",
            provenance=self._provenance_at(pending.location),
            found=None if stored is None else self.session.get(DocumentRelation, stored[0]),
            flush=False,
        )
        return result.outcome

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
                select(Document.id, Document.code, Document.status, Document.effective_from).where(
                    col(Document.id).in_(chunk)
                )
            ):
                rows[row_id] = (code, Status(status), effective_from)
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
            values = {"status": Status.SUPERSEDED}
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
                slugs[_identity(code)["slug"]] = code
            except RejectError:
                continue
        for chunk in _chunks(list(slugs), BATCH):
            rows = self.session.exec(
                select(Document.slug, Document.id).where(col(Document.slug).in_(chunk))
            )
            for slug, row_id in rows:
                self._document_ids[slugs.pop(slug)] = row_id
        self._absent.update(slugs.values())

    def _document_id(self, code: str, location: str, superseded: bool = False) -> int:
        if code in self._document_ids:
            return self._document_ids[code]
        identity = _identity(code)
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
            self._new_ids.add(found.id)
            self.stubs += 1
        self._document_ids[code] = found.id
        return found.id

    # --- places, issuers, categories ------------------------------------------------------

    def _locality(self, record: LocalityRecord) -> Outcome:
        self._by_name.clear()
        parent_id = (
            self._slug_id(Locality, record.parent, "parent locality") if record.parent else None
        )
        result = upsert(
            self.session,
            Locality,
            {"slug": record.slug},
            {
                "name_vi": record.name_vi,
                "kind": record.kind,
                "parent_id": parent_id,
                "active_from": record.active_from,
                "active_to": record.active_to,
            },
            context=self.context,
            record_key=record.slug,
        )
        if result.outcome == Outcome.NEW:
            self._created.add(("locality", record.slug))
        if record.successor:
            self._successions.append(("locality", record))
        return result.outcome

    def _issuer(self, record: IssuerRecord) -> Outcome:
        self._by_name.clear()
        self._by_code.clear()
        locality_id = (
            self._slug_id(Locality, record.locality, "locality") if record.locality else None
        )
        result = upsert(
            self.session,
            Issuer,
            {"code": record.code},
            {
                "name_vi": record.name_vi,
                "name_en": record.name_en,
                "kind": record.kind,
                "locality_id": locality_id,
                "active_from": record.active_from,
                "active_to": record.active_to,
            },
            context=self.context,
            record_key=record.code,
        )
        if result.outcome == Outcome.NEW:
            self._created.add(("issuer", record.code))
        if record.successor:
            self._successions.append(("issuer", record))
        return result.outcome

    def _write_succession(self, kind: str, record: Record) -> None:
        if kind == "locality":
            assert isinstance(record, LocalityRecord)
            predecessor = self._slug_id(Locality, record.slug, "locality")
            successor = self._slug_id(Locality, record.successor, "successor locality")
            model, parent_model, key = LocalitySuccession, Locality, record.slug
        else:
            assert isinstance(record, IssuerRecord)
            predecessor = self._issuer_id(record.code)
            successor = self._issuer_id(record.successor or "")
            model, parent_model, key = IssuerSuccession, Issuer, record.code
        if successor is None:
            raise RejectError(f"successor: {record.successor!r} is not a known issuer")
        parent = self.session.get(parent_model, predecessor)
        changes = sync_children(
            self.session,
            parent,
            "successors",
            model,
            {"predecessor_id": predecessor},
            [
                {
                    "successor_id": successor,
                    "effective_on": record.succession_on,
                    "note": record.note,
                }
            ],
            context=self.context,
            record_key=key,
            record_change=(kind, key) not in self._created,
        )
        if changes:
            self.counts[Outcome.UPDATED] += 1

    def _category(self, record: CategoryRecord) -> Outcome:
        self._by_name.clear()
        parent_id = (
            self._slug_id(ProductCategory, record.parent, "parent category")
            if record.parent
            else None
        )
        result = upsert(
            self.session,
            ProductCategory,
            {"slug": record.slug},
            {"name_vi": record.name_vi, "name_en": record.name_en, "parent_id": parent_id},
            context=self.context,
            record_key=record.slug,
        )
        return result.outcome

    # --- products and rules ---------------------------------------------------------------

    def _product(self, record: ProductRecord) -> Outcome:
        category_id = self._category_id(record.category) if record.category else None
        locality_id = self._locality_id(record)
        producer_id = self._producer_id(record) if record.producer else None
        result = upsert(
            self.session,
            Product,
            {"slug": record.slug},
            {
                "name_vi": record.name_vi,
                "name_en": record.name_en,
                "kind": record.kind,
                "category_id": category_id,
                "geographical_indication": record.geographical_indication,
                "ocop_stars": record.ocop_stars,
                "ocop_decision": record.ocop_decision,
                "ocop_rated_on": record.ocop_rated_on,
                "ocop_valid_until": record.ocop_valid_until,
                "locality_id": locality_id,
                "locality_text": record.locality_text,
                "producer_id": producer_id,
                "description": record.description,
            },
            context=self.context,
            record_key=record.slug,
            provenance=self._provenance(record),
        )
        product = result.row
        new = result.outcome == Outcome.NEW
        aliases = [{"alias": a, "alias_folded": fold(a)} for a in dict.fromkeys(record.aliases)]
        codes = [{"scheme": CodeScheme.HS, "code": c} for c in record.hs_codes]
        codes += [{"scheme": CodeScheme.ICS, "code": c} for c in record.ics_codes]
        changes = []
        for field_name, model, wanted in (
            ("aliases", ProductAlias, aliases),
            ("codes", ProductCode, codes),
        ):
            changes += sync_children(
                self.session,
                product,
                field_name,
                model,
                {"product_id": product.id},
                wanted,
                context=self.context,
                record_key=record.slug,
                record_change=not new,
            )
        return self._touched(product, record, result.outcome, changes)

    def _rule(self, record: RuleRecord) -> Outcome:
        document_id = self._known_document_id(record.document_code, "Số hiệu văn bản")
        subject: dict[str, Any] = {"product_id": None, "category_id": None, "subject_code": None}
        if record.subject_kind == SubjectKind.PRODUCT:
            subject["product_id"] = self._slug_id(Product, record.subject, "product")
        elif record.subject_kind == SubjectKind.CATEGORY:
            subject["category_id"] = self._category_id(record.subject)
        else:
            subject["subject_code"] = record.subject
        basis_id = None
        if record.legal_basis_code:
            basis_id = self._existing_document_id(record.legal_basis_code)
        key = {"subject_key": record.subject_key, "document_id": document_id, "role": record.role}
        if record.number is not None:
            self._claim_rule_number(record, key)
        result = upsert(
            self.session,
            ApplicabilityRule,
            key,
            {
                "number": record.number,
                "subject_kind": record.subject_kind,
                **{k: v for k, v in subject.items() if v is not None},
                "condition": record.condition,
                "legal_basis": record.legal_basis,
                "legal_basis_document_id": basis_id,
                "valid_from": record.valid_from,
                "valid_to": record.valid_to,
                "note": record.note,
            },
            context=self.context,
            record_key=f"{record.subject_key} → {record.document_code} ({record.role.value})",
            provenance=self._provenance(record),
        )
        return result.outcome

    def _review(self, record: ReviewRecord) -> Outcome:
        return write_review(self.session, record, self.context, self._provenance(record))

    def _claim_rule_number(self, record: RuleRecord, key: dict[str, Any]) -> None:
        """A sheet number names one rule: refuse it twice in a run, and take it from any other
        rule that held it (the sheet was renumbered), recording the change."""
        seen = ("rule number", str(record.number))
        if first := self._seen.get(seen):
            raise RejectError(f"STT: number {record.number} was already used at {first}")
        self._seen[seen] = record.location
        holders = self.session.exec(
            select(ApplicabilityRule).where(ApplicabilityRule.number == record.number)
        ).all()
        for other in holders:
            if (other.subject_key, other.document_id, other.role) != tuple(key.values()):
                assign(self.session, other, "number", None, self.context, other.subject_key)

    # --- lookups --------------------------------------------------------------------------

    def _check_duplicate(self, record: Record) -> None:
        key = _natural_key(record)
        if key is None:
            return
        if first := self._seen.get(key):
            raise RejectError(f"duplicate: the same {key[0]} {key[1]!r} was read at {first}")
        self._seen[key] = record.location

    def _slug_id(self, model: type, slug: str | None, what: str) -> int:
        row = self.session.exec(select(model).where(model.slug == slug)).first()
        if row is None:
            raise RejectError(f"{what} {slug!r} is not in the catalogue (ingest it first)")
        return row.id

    def _category_id(self, name: str) -> int:
        slug = slugify(name)
        row = self.session.exec(select(ProductCategory).where(ProductCategory.slug == slug)).first()
        if row is None:
            folded = fold(name)
            found = self._names(ProductCategory).get(folded)
            if found is not None:
                return found
            raise RejectError(f"category {name!r} is not in the category tree")
        return row.id

    def _issuer_id(self, code_or_name: str) -> int | None:
        """An issuer by code ("BYT"), or by name ("Bộ Y tế", "UBND tỉnh Tuyên Quang")."""
        if Issuer not in self._by_code:
            rows = self.session.exec(select(Issuer.code, Issuer.id)).all()
            self._by_code[Issuer] = {code: row_id for code, row_id in rows}
        found = self._by_code[Issuer].get(code_or_name)
        if found is None:
            return self._names(Issuer).get(fold(code_or_name))
        return found

    def _names(self, model: type) -> dict[str, int]:
        """Folded name → id of a small reference table, read once per run (or after a write)."""
        if model not in self._by_name:
            rows = self.session.exec(select(model)).all()
            self._by_name[model] = {fold(row.name_vi): row.id for row in rows}
        return self._by_name[model]

    def _locality_id(self, record: ProductRecord) -> int | None:
        if record.locality:
            return self._slug_id(Locality, record.locality, "locality")
        if not record.locality_text:
            return None
        text = f" {fold(record.locality_text)} "
        rank = {LocalityKind.COMMUNE: 0, LocalityKind.DISTRICT: 1, LocalityKind.PROVINCE: 2}
        matches = [
            place
            for place in self.session.exec(select(Locality))
            if re.search(rf"(?<![a-z]){re.escape(fold(place.name_vi))}(?![a-z])", text)
        ]
        if not matches:
            return None
        return min(matches, key=lambda p: (rank[p.kind], -len(p.name_vi))).id

    def _producer_id(self, record: ProductRecord) -> int:
        name = record.producer or ""
        result = upsert(
            self.session,
            Enterprise,
            {"slug": slugify(name)[:200]},
            {"name": name},
            context=self.context,
            record_key=slugify(name),
            provenance=self._provenance(record),
        )
        return result.row.id

    def _known_document_id(self, code: str, column: str) -> int:
        found = self._existing_document_id(code)
        if found is None:
            raise RejectError(f"{column}: {code} is not in the catalogue (ingest documents first)")
        return found

    def _existing_document_id(self, code: str) -> int | None:
        if code in self._document_ids:
            return self._document_ids[code]
        slug = _identity(code)["slug"]
        row = self.session.exec(select(Document.id).where(Document.slug == slug)).first()
        if row is not None:
            self._document_ids[code] = row
        return row

    # --- provenance -----------------------------------------------------------------------

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

    def _touched(self, row: Any, record: Record, outcome: Outcome, changes: list) -> Outcome:
        """A record whose own fields were unchanged but whose children changed is updated."""
        if changes and outcome == Outcome.UNCHANGED:
            touch(row, self._provenance(record), self.context)
            self.session.add(row)
            return Outcome.UPDATED
        return outcome


def _identity(code: str) -> dict[str, Any]:
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


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _ics_codes(record: DocumentRecord) -> list[str]:
    return list(dict.fromkeys(code for code, _ in record.ics))


def _edition_year(code: str) -> tuple[int, str]:
    return (parse_code(code).year or 0, code)


def _natural_key(record: Record) -> tuple[str, str] | None:
    match record:
        case DocumentRecord():
            return ("document", record.code)
        case ProductRecord() | LocalityRecord() | CategoryRecord():
            return (type(record).__name__.removesuffix("Record").lower(), record.slug)
        case IssuerRecord():
            return ("issuer", record.code)
        case RuleRecord():
            return ("rule", f"{record.subject_key} → {record.document_code} ({record.role})")
        case ReviewRecord():
            return (f"reviewed {record.subject.value}", record.ref)
        case NotificationRecord() | NotificationUpdateRecord():
            return ("notification", record.symbol)
    return None


_HANDLERS = {
    DocumentRecord: StoreWriter._document,
    RelationRecord: StoreWriter._relation,
    LocalityRecord: StoreWriter._locality,
    IssuerRecord: StoreWriter._issuer,
    CategoryRecord: StoreWriter._category,
    ProductRecord: StoreWriter._product,
    RuleRecord: StoreWriter._rule,
    ReviewRecord: StoreWriter._review,
    NotificationRecord: write_notification,
    NotificationUpdateRecord: write_update,
    DeclarationRecord: write_declaration,
}
