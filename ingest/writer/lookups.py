"""Finding what a record refers to: issuers, categories, places, producers and documents by
code, slug or folded name, read once per run where the table is small; and the natural
key that makes a record read twice in one run a duplicate."""

from __future__ import annotations

import re
from typing import TypeVar

from sqlmodel import select

from catalog.models import (
    Document,
    Enterprise,
    Issuer,
    Locality,
    Product,
    ProductCategory,
    saved_id,
)
from catalog.text import fold, slugify
from catalog.vocab import LocalityKind
from ingest.records import (
    CategoryRecord,
    DocumentRecord,
    IssuerRecord,
    LocalityRecord,
    NotificationRecord,
    NotificationUpdateRecord,
    ProductRecord,
    Record,
    RejectError,
    ReviewRecord,
    RuleRecord,
)
from ingest.writer.base import WriterBase, document_identity

_Named = TypeVar("_Named", Issuer, ProductCategory)  # the small tables looked up by name


class Lookups(WriterBase):
    """Ids of the rows records refer to; a missing one is a :class:`RejectError`."""

    def _check_duplicate(self, record: Record) -> None:
        key = _natural_key(record)
        if key is None:
            return
        if first := self._seen.get(key):
            raise RejectError(f"duplicate: the same {key[0]} {key[1]!r} was read at {first}")
        self._seen[key] = record.location

    def _slug_id(
        self, model: type[Locality | Product | ProductCategory], slug: str | None, what: str
    ) -> int:
        row = self.session.exec(select(model).where(model.slug == slug)).first()
        if row is None:
            raise RejectError(f"{what} {slug!r} is not in the catalogue (ingest it first)")
        return saved_id(row)

    def _category_id(self, name: str) -> int:
        slug = slugify(name)
        row = self.session.exec(select(ProductCategory).where(ProductCategory.slug == slug)).first()
        if row is None:
            folded = fold(name)
            found = self._names(ProductCategory).get(folded)
            if found is not None:
                return found
            raise RejectError(f"category {name!r} is not in the category tree")
        return saved_id(row)

    def _issuer_id(self, code_or_name: str) -> int | None:
        """An issuer by code ("BYT"), or by name ("Bộ Y tế", "UBND tỉnh Tuyên Quang")."""
        if Issuer not in self._by_code:
            issuers = self.session.exec(select(Issuer))
            self._by_code[Issuer] = {issuer.code: saved_id(issuer) for issuer in issuers}
        found = self._by_code[Issuer].get(code_or_name)
        if found is None:
            return self._names(Issuer).get(fold(code_or_name))
        return found

    def _names(self, model: type[_Named]) -> dict[str, int]:
        """Folded name → id of a small reference table, read once per run (or after a write)."""
        if model not in self._by_name:
            rows = self.session.exec(select(model)).all()
            self._by_name[model] = {fold(row.name_vi): saved_id(row) for row in rows}
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
        return saved_id(min(matches, key=lambda p: (rank[p.kind], -len(p.name_vi))))

    def _producer_id(self, record: ProductRecord) -> int:
        name = record.producer or ""
        key = {"slug": slugify(name)[:200]}
        result = self._upsert(
            Enterprise, key, {"name": name}, slugify(name), self._provenance(record)
        )
        return saved_id(result.row)

    def _known_document_id(self, code: str, column: str) -> int:
        found = self._existing_document_id(code)
        if found is None:
            raise RejectError(f"{column}: {code} is not in the catalogue (ingest documents first)")
        return found

    def _existing_document_id(self, code: str) -> int | None:
        if code in self._document_ids:
            return self._document_ids[code]
        slug = document_identity(code)["slug"]
        row = self.session.exec(select(Document.id).where(Document.slug == slug)).first()
        if row is not None:
            self._document_ids[code] = row
        return row


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
