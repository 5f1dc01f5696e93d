"""Places, issuers and categories, with the successions of places and issuers written once
every record of the run is in."""

from __future__ import annotations

from typing import Any

from catalog.models import (
    Issuer,
    IssuerSuccession,
    Locality,
    LocalitySuccession,
    ProductCategory,
    saved_id,
)
from catalog.upsert import Outcome, sync_children
from ingest.records import CategoryRecord, IssuerRecord, LocalityRecord, Record, RejectError
from ingest.writer.base import copied
from ingest.writer.lookups import Lookups


class PlaceWriter(Lookups):
    """Localities, issuers and categories; successions wait for :meth:`finish`."""

    def _locality(self, record: LocalityRecord) -> Outcome:
        self._by_name.clear()
        parent_id = (
            self._slug_id(Locality, record.parent, "parent locality") if record.parent else None
        )
        values = copied(record, "name_vi", "kind")
        values |= {"parent_id": parent_id} | copied(record, "active_from", "active_to")
        return self._succeeded("locality", Locality, {"slug": record.slug}, values, record)

    def _issuer(self, record: IssuerRecord) -> Outcome:
        self._by_name.clear()
        self._by_code.clear()
        locality_id = (
            self._slug_id(Locality, record.locality, "locality") if record.locality else None
        )
        values = copied(record, "name_vi", "name_en", "kind")
        values |= {"locality_id": locality_id} | copied(record, "active_from", "active_to")
        return self._succeeded("issuer", Issuer, {"code": record.code}, values, record)

    def _succeeded(
        self,
        kind: str,
        model: type,
        key: dict[str, str],
        values: dict[str, Any],
        record: LocalityRecord | IssuerRecord,
    ) -> Outcome:
        """Write a place or an issuer; its successor is written at :meth:`finish`, when
        every record of the run is in (a successor may come later in the sheet)."""
        record_key = next(iter(key.values()))
        result = self._upsert(model, key, values, record_key)
        if result.outcome == Outcome.NEW:
            self._created.add((kind, record_key))
        if record.successor:
            self._successions.append((kind, record))
        return result.outcome

    def _write_succession(self, kind: str, record: Record) -> None:
        if isinstance(record, LocalityRecord):
            predecessor = self._slug_id(Locality, record.slug, "locality")
            successor = self._slug_id(Locality, record.successor, "successor locality")
            self._sync_successor(
                kind,
                record,
                self.session.get_one(Locality, predecessor),
                LocalitySuccession,
                successor,
                record.slug,
            )
        elif isinstance(record, IssuerRecord):
            issuer_id = self._issuer_id(record.code)
            if issuer_id is None:
                raise RejectError(f"issuer {record.code!r} is not in the catalogue")
            successor_id = self._issuer_id(record.successor or "")
            if successor_id is None:
                raise RejectError(f"successor: {record.successor!r} is not a known issuer")
            self._sync_successor(
                kind,
                record,
                self.session.get_one(Issuer, issuer_id),
                IssuerSuccession,
                successor_id,
                record.code,
            )
        else:
            raise TypeError(f"no succession for a {type(record).__name__}")

    def _sync_successor(
        self,
        kind: str,
        record: LocalityRecord | IssuerRecord,
        parent: Locality | Issuer,
        model: type[LocalitySuccession | IssuerSuccession],
        successor: int,
        key: str,
    ) -> None:
        """Make ``parent``'s successor the one ``record`` names, from its succession day."""
        changes = sync_children(
            self.session,
            parent,
            "successors",
            model,
            {"predecessor_id": saved_id(parent)},
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
        values = copied(record, "name_vi", "name_en") | {"parent_id": parent_id}
        return self._upsert(ProductCategory, {"slug": record.slug}, values, record.slug).outcome
