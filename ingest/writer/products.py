"""Products (with their codes, aliases and producer), applicability rules and reviews."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from catalog.gtin import parse_gtin
from catalog.models import ApplicabilityRule, Product, ProductAlias, ProductCode, ProductGtin
from catalog.text import fold
from catalog.upsert import Outcome, assign
from catalog.vocab import CodeScheme, SubjectKind
from ingest.records import ProductRecord, RejectError, ReviewRecord, RuleRecord
from ingest.reviews import write_review
from ingest.writer.base import ChildRows, copied
from ingest.writer.lookups import Lookups


class ProductWriter(Lookups):
    """Products, rules and reviews, which refer to rows written before them."""

    def _product(self, record: ProductRecord) -> Outcome:
        self._check_gtins_free(record)  # before anything of the record is written
        category_id = self._category_id(record.category) if record.category else None
        locality_id = self._locality_id(record)
        producer_id = self._producer_id(record) if record.producer else None
        values = {
            **copied(record, "name_vi", "name_en", "kind"),
            "category_id": category_id,
            **copied(record, "geographical_indication", "ocop_stars", "ocop_decision"),
            **copied(record, "ocop_rated_on", "ocop_valid_until"),
            "locality_id": locality_id,
            "locality_text": record.locality_text,
            "producer_id": producer_id,
            "description": record.description,
            "default_facts": record.default_facts,
        }
        result = self._upsert(
            Product, {"slug": record.slug}, values, record.slug, self._provenance(record)
        )
        aliases = [{"alias": a, "alias_folded": fold(a)} for a in dict.fromkeys(record.aliases)]
        codes = [{"scheme": CodeScheme.HS, "code": c} for c in record.hs_codes]
        codes += [{"scheme": CodeScheme.ICS, "code": c} for c in record.ics_codes]
        gtins = [{"gtin14": parse_gtin(g).gtin14, "gtin": g} for g in record.gtins]
        children: list[ChildRows] = [
            ("aliases", ProductAlias, aliases),
            ("codes", ProductCode, codes),
            ("gtins", ProductGtin, gtins),
        ]
        parent = {"product_id": result.row.id}
        return self._with_children(record, result, parent, children, record.slug)

    def _check_gtins_free(self, record: ProductRecord) -> None:
        """A GTIN names one product: refuse one another product already carries."""
        if not record.gtins:
            return
        product_id = self.session.exec(
            select(Product.id).where(Product.slug == record.slug)
        ).first()
        for gtin in record.gtins:
            taken = self.session.get(ProductGtin, parse_gtin(gtin).gtin14)
            if taken is not None and taken.product_id != product_id:
                owner = self.session.get(Product, taken.product_id)
                name = owner.slug if owner else taken.product_id
                raise RejectError(f"Mã GTIN: {gtin} is already the GTIN of product {name!r}")

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
        values = {
            **copied(record, "number", "subject_kind"),
            **{k: v for k, v in subject.items() if v is not None},
            **copied(record, "condition", "typed_condition", "legal_basis"),
            "legal_basis_document_id": basis_id,
            **copied(record, "valid_from", "valid_to", "note"),
        }
        record_key = f"{record.subject_key} → {record.document_code} ({record.role.value})"
        return self._upsert(
            ApplicabilityRule, key, values, record_key, self._provenance(record)
        ).outcome

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
