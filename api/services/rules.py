"""Applicability rules: audited creation, change and removal by officials."""

from __future__ import annotations

import re
from datetime import date

import msgspec
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.problems import Problem
from api.schemas import RuleCreate, RuleOut, RuleUpdate
from api.services.audit import Audit
from api.services.documents import DocumentService
from api.services.products import ProductService
from catalog.models import ApplicabilityRule, Document, ProductCategory, saved_id
from catalog.review import review_of
from catalog.text import clean, slugify
from catalog.vocab import ReviewSubject, Role, SubjectKind

_HS = re.compile(r"^[0-9]{2,10}$")
_ICS = re.compile(r"^[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?$")


class RuleService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, rule_id: int) -> ApplicabilityRule:
        rule = self.session.get(ApplicabilityRule, rule_id)
        if rule is None:
            raise Problem(404, "Unknown rule", f"no applicability rule has id {rule_id}")
        return rule

    def out(self, rule: ApplicabilityRule) -> RuleOut:
        doc = self.session.get(Document, rule.document_id)
        return RuleOut(
            id=saved_id(rule),
            number=rule.number,
            subject_kind=SubjectKind(rule.subject_kind),
            subject_key=rule.subject_key,
            document=doc.code if doc else str(rule.document_id),
            role=Role(rule.role),
            condition=rule.condition,
            legal_basis=rule.legal_basis,
            valid_from=rule.valid_from,
            valid_to=rule.valid_to,
            review=review_of(self.session, ReviewSubject.RULE, saved_id(rule)),
        )

    def create(self, data: RuleCreate, audit: Audit) -> RuleOut:
        fields = self._subject(data.subject_kind, data.subject)
        document = DocumentService(self.session).find(data.document)
        _check_dates(data.valid_from, data.valid_to)
        rule = ApplicabilityRule(
            **fields,
            document_id=saved_id(document),
            role=data.role,
            condition=clean(data.condition),
            legal_basis=clean(data.legal_basis),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            source="api",
        )
        self.session.add(rule)
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Problem(
                409,
                "Rule exists",
                f"{fields['subject_key']} already has {document.code} with role {data.role}",
            ) from exc
        out = self.out(rule)
        audit.record("create", "applicability_rule", rule.id, None, out)
        self.session.commit()
        return out

    def update(self, rule: ApplicabilityRule, data: RuleUpdate, audit: Audit) -> RuleOut:
        before = self.out(rule)
        for field in data.__struct_fields__:
            value = getattr(data, field)
            if value is not msgspec.UNSET:
                setattr(rule, field, clean(value) if isinstance(value, str) else value)
        _check_dates(rule.valid_from, rule.valid_to)
        self.session.add(rule)
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Problem(409, "Rule exists", "an identical rule with that role exists") from exc
        after = self.out(rule)
        audit.record("update", "applicability_rule", rule.id, before, after)
        self.session.commit()
        return after

    def delete(self, rule: ApplicabilityRule, audit: Audit) -> None:
        audit.record("delete", "applicability_rule", rule.id, self.out(rule), None)
        self.session.delete(rule)
        self.session.commit()

    def _subject(self, kind: SubjectKind, subject: str) -> dict:
        subject = (clean(subject) or "").strip()
        if kind == SubjectKind.PRODUCT:
            product = ProductService(self.session).find(subject)
            return dict(
                subject_kind=kind, product_id=product.id, subject_key=f"product:{product.slug}"
            )
        if kind == SubjectKind.CATEGORY:
            category = self.session.exec(
                select(ProductCategory).where(ProductCategory.slug == slugify(subject))
            ).first()
            if category is None:
                raise Problem(
                    400, "Invalid request", f"body field 'subject': no category {subject!r}"
                )
            return dict(
                subject_kind=kind, category_id=category.id, subject_key=f"category:{category.slug}"
            )
        pattern, what = (
            (_HS, "an HS prefix of 2 to 10 digits")
            if kind == SubjectKind.HS_PREFIX
            else (
                _ICS,
                "an ICS field such as 67.080.10",
            )
        )
        if not pattern.match(subject):
            raise Problem(
                400, "Invalid request", f"body field 'subject': {subject!r} is not {what}"
            )
        return dict(subject_kind=kind, subject_code=subject, subject_key=f"{kind}:{subject}")


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise Problem(400, "Invalid request", "body field 'valid_to' is before 'valid_from'")
