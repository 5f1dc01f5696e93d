"""Documents: found by any spelling of their code, with editions, citations and products."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.problems import NotFound, Problem
from api.schemas import AppliesTo, DocumentDetail, DocumentLink, DraftCreate, DraftUpdate, Edition
from api.services.audit import Audit
from catalog.codes import CodeError, DocType, parse_code, parse_partial
from catalog.codes_order import natural_key
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentIcs,
    DocumentRelation,
    FactReview,
    Issuer,
    Product,
    ProductCategory,
    ProductCode,
    code_columns,
    saved_id,
    utcnow,
)
from catalog.review import review_of
from catalog.text import clean, slugify
from catalog.vocab import (
    CodeScheme,
    RelationKind,
    ReviewState,
    ReviewSubject,
    Role,
    Status,
    SubjectKind,
)

APPLIES_TO_LIMIT = 500


class DocumentService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, text: str) -> Document:
        """The document whose code is ``text`` in any accepted spelling, or its slug."""
        text = (clean(text) or "").strip("/ ")
        try:
            code = parse_code(text)
        except CodeError:
            code = None
        if code is not None:
            found = self.session.exec(
                select(Document)
                .where(
                    or_(col(Document.compact) == code.compact(), col(Document.slug) == code.slug())
                )
                .order_by(col(Document.id))
            ).first()
            if found is not None:
                return found
        found = self.session.exec(select(Document).where(Document.slug == slugify(text))).first()
        if found is not None:
            return found
        raise NotFound("document", text, self.suggest(text))

    def suggest(self, text: str, limit: int = 5) -> list[dict]:
        """Editions of the same number (any year or issuer), else codes sharing the slug's start."""
        partial = parse_partial(text) if text else None
        rows: list[Document] = []
        if partial is not None and partial.number:
            number = partial.number.lstrip("0") or "0"
            candidates = self.session.exec(
                select(Document).where(
                    or_(col(Document.number) == partial.number, col(Document.number) == number)
                )
            ).all()
            rows = [
                d for d in candidates if partial.doc_type is None or d.doc_type == partial.doc_type
            ]
        if not rows and slugify(text):
            rows = list(
                self.session.exec(
                    select(Document)
                    .where(col(Document.slug).startswith(slugify(text)[:8]))
                    .limit(50)
                )
            )
        rows = sorted(rows, key=lambda d: natural_key(d.code))[:limit]
        return [{"code": d.code, "slug": d.slug, "name": d.code} for d in rows]

    def detail(self, doc: Document) -> DocumentDetail:
        relations = self.session.exec(
            select(DocumentRelation).where(
                or_(
                    col(DocumentRelation.source_id) == doc.id,
                    col(DocumentRelation.target_id) == doc.id,
                )
            )
        ).all()
        family = self.session.exec(select(Document).where(Document.family == doc.family)).all()
        linked_ids = {r.source_id for r in relations} | {r.target_id for r in relations}
        linked = {
            d.id: d
            for d in self.session.exec(select(Document).where(col(Document.id).in_(linked_ids)))
        }
        editions = {d.id: d for d in family}
        # Editions replaced across families (renumbered) belong to the chain too.
        for r in relations:
            if r.kind == RelationKind.REPLACES:
                editions.setdefault(r.source_id, linked[r.source_id])
                editions.setdefault(r.target_id, linked[r.target_id])

        def links(kinds: set[RelationKind], outgoing: bool) -> list[DocumentLink]:
            chosen = [
                r
                for r in relations
                if r.kind in kinds and (r.source_id if outgoing else r.target_id) == doc.id
            ]
            out = []
            for r in chosen:
                other = linked[r.target_id if outgoing else r.source_id]
                out.append(
                    DocumentLink(
                        code=other.code,
                        slug=other.slug,
                        title_vi=other.title_vi,
                        status=Status(other.status),
                        relation=RelationKind(r.kind),
                        effective_on=r.effective_on,
                        note=r.note,
                    )
                )
            return sorted(out, key=lambda link: natural_key(link.code))

        cite_kinds = {RelationKind.CITES, RelationKind.CITES_MANDATORY}
        issuer = self.session.get(Issuer, doc.issuer_id) if doc.issuer_id else None
        ics = self.session.exec(
            select(DocumentIcs.ics_code)
            .where(DocumentIcs.document_id == doc.id)
            .order_by(col(DocumentIcs.ics_code))
        ).all()
        doc_type = DocType(doc.doc_type)
        status = Status(doc.status)
        return DocumentDetail(
            id=saved_id(doc),
            code=doc.code,
            slug=doc.slug,
            doc_type=doc_type,
            doc_type_label=doc_type.label_vi,
            mandatory_by_type=doc_type.mandatory,
            title_vi=doc.title_vi,
            title_en=doc.title_en,
            scope=doc.scope,
            status=status,
            status_label=status.label_vi,
            status_note=doc.status_note,
            issued_on=doc.issued_on,
            effective_from=doc.effective_from,
            effective_to=doc.effective_to,
            issuer_code=doc.issuer_code,
            issuer=issuer.name_vi if issuer else None,
            equivalent=doc.equivalent,
            announcing_decision=doc.announcing_decision,
            technical_committee=doc.technical_committee,
            ics=list(ics),
            editions=[
                Edition(
                    code=e.code,
                    slug=e.slug,
                    year=e.year,
                    status=Status(e.status),
                    effective_from=e.effective_from,
                    effective_to=e.effective_to,
                    current=e.id == doc.id,
                )
                for e in sorted(editions.values(), key=lambda e: (e.year or 0, natural_key(e.code)))
            ],
            replaces=links({RelationKind.REPLACES}, outgoing=True),
            replaced_by=links({RelationKind.REPLACES}, outgoing=False),
            cites=links(cite_kinds, outgoing=True),
            cited_by=links(cite_kinds, outgoing=False),
            applies_to=self.applies_to(doc),
            source=doc.source,
            review=review_of(self.session, ReviewSubject.DOCUMENT, saved_id(doc)),
        )

    def applies_to(self, doc: Document) -> list[AppliesTo]:
        """Products reached by the document's own rules (not through citations)."""
        rules = self.session.exec(
            select(ApplicabilityRule).where(ApplicabilityRule.document_id == doc.id)
        ).all()
        found: dict[int, AppliesTo] = {}
        states = dict(
            self.session.exec(
                select(FactReview.rule_id, FactReview.state).where(
                    col(FactReview.rule_id).in_([r.id for r in rules])
                )
            ).all()
        )
        categories: dict[int, ProductCategory] | None = None
        products: Sequence[Product | None]
        for rule in sorted(rules, key=saved_id):
            if rule.subject_kind == SubjectKind.PRODUCT:
                products, via = [self.session.get(Product, rule.product_id)], "product"
            elif rule.subject_kind == SubjectKind.CATEGORY:
                if categories is None:
                    categories = {
                        saved_id(c): c for c in self.session.exec(select(ProductCategory))
                    }
                category_id = rule.category_id
                if category_id is None:  # the database refuses such a rule (ck_rule_subject)
                    continue
                ids = _descendants(category_id, categories)
                via = f"category {categories[category_id].name_vi}"
                products = self.session.exec(
                    select(Product).where(col(Product.category_id).in_(ids)).limit(APPLIES_TO_LIMIT)
                ).all()
            else:
                scheme = (
                    CodeScheme.HS if rule.subject_kind == SubjectKind.HS_PREFIX else CodeScheme.ICS
                )
                code = rule.subject_code or ""
                match = col(ProductCode.code).startswith(code)
                if scheme == CodeScheme.ICS:
                    match = or_(
                        col(ProductCode.code) == code, col(ProductCode.code).startswith(code + ".")
                    )
                via = f"{'HS' if scheme == CodeScheme.HS else 'ICS'} {code}"
                products = self.session.exec(
                    select(Product)
                    .join(ProductCode, col(ProductCode.product_id) == Product.id)
                    .where(ProductCode.scheme == scheme, match)
                    .limit(APPLIES_TO_LIMIT)
                ).all()
            for product in products:
                if product is not None and product.id not in found:
                    found[saved_id(product)] = AppliesTo(
                        product_id=saved_id(product),
                        slug=product.slug,
                        name_vi=product.name_vi,
                        role=Role(rule.role),
                        via=via,
                        rule_id=saved_id(rule),
                        review_state=ReviewState(states.get(rule.id, ReviewState.UNVERIFIED)),
                    )
        return sorted(found.values(), key=lambda a: (a.name_vi, a.product_id))[:APPLIES_TO_LIMIT]

    # -- drafts of local regulations --

    def create_draft(self, data: DraftCreate, audit: Audit) -> DocumentDetail:
        try:
            code = parse_code(data.code)
        except CodeError as exc:
            raise Problem(400, "Invalid request", f"body field 'code': {exc}") from exc
        if code.doc_type != DocType.QCDP:
            raise Problem(
                400,
                "Invalid request",
                "body field 'code': drafts are local regulations (QCĐP), "
                f"not {code.doc_type.label_en}",
            )
        issuer = self.session.exec(select(Issuer).where(Issuer.code == data.issuer)).first()
        if issuer is None:
            raise Problem(400, "Invalid request", f"body field 'issuer': no issuer {data.issuer!r}")
        exists = self.session.exec(
            select(Document.id).where(
                or_(col(Document.slug) == code.slug(), col(Document.compact) == code.compact())
            )
        ).first()
        if exists:
            raise Problem(409, "Document exists", f"{code.canonical()} is already in the catalog")
        doc = Document(
            **code_columns(code),
            issuer_id=issuer.id,
            title_vi=clean(data.title_vi),
            title_en=clean(data.title_en),
            scope=clean(data.scope),
            status=Status.DRAFT,
            source="api",
        )
        self.session.add(doc)
        self.session.flush()
        detail = self.detail(doc)
        audit.record("create", "document", doc.id, None, detail)
        self.session.commit()
        return detail

    def update_draft(self, doc: Document, data: DraftUpdate, audit: Audit) -> DocumentDetail:
        if doc.doc_type != DocType.QCDP:
            raise Problem(
                409, "Not a local regulation", f"{doc.code} is not a QCĐP: it cannot be edited here"
            )
        before = self.detail(doc)
        for field in data.__struct_fields__:
            value = getattr(data, field)
            if value is msgspec.UNSET:
                continue
            if field in ("title_vi", "title_en", "scope"):
                value = clean(value)
                if field == "title_vi" and not value:
                    raise Problem(400, "Invalid request", "body field 'title_vi' is empty")
            setattr(doc, field, value)
        if doc.effective_from and doc.issued_on and doc.effective_from < doc.issued_on:
            raise Problem(
                400, "Invalid request", "body field 'effective_from' is before 'issued_on'"
            )
        doc.updated_at = utcnow()
        self.session.add(doc)
        self.session.flush()
        after = self.detail(doc)
        audit.record("update", "document", doc.id, before, after)
        self.session.commit()
        return after


def _descendants(root: int, categories: dict[int, ProductCategory]) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for c in categories.values():
        children.setdefault(c.parent_id, []).append(saved_id(c))
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node not in found:
            found.append(node)
            stack.extend(children.get(node, []))
    return found
