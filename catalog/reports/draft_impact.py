"""What a draft local regulation (QCĐP) would do: whom it covers, what already covers them,
and whether what it cites is still in force.

A draft is its intended scope (subjects like an applicability rule's: products, categories,
HS prefixes, ICS fields, each with the role the draft would play) and its citations. It
comes either from the catalog (a document with ``draft`` status, its rules as scope and its
``cites``/``cites_mandatory`` relations as citations) or from a request, before anything is
saved. For every covered product the applicability engine says which QCVN, QCĐP and TCVN
already apply on the day; one in the same role is a possible duplication or conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from catalog import clock
from catalog.applicability import Standing, applicable, edition_in_force
from catalog.codes import CodeError, DocType, parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    ProductCategory,
    saved_id,
)
from catalog.products import ProductNotFound, resolve_product
from catalog.readmodel import CatalogGraph
from catalog.reports.reach import ProductBrief, ProductIndex
from catalog.reports.tables import Table
from catalog.text import slugify
from catalog.vocab import RelationKind, Role, Status, SubjectKind

_COVERING_TYPES = (DocType.QCVN, DocType.QCDP, DocType.TCVN)


class DraftError(ValueError):
    """The draft cannot be analysed as given; the message names the item and why."""


@dataclass(frozen=True)
class ScopeItem:
    kind: SubjectKind
    subject: str  # product reference, category slug, HS prefix or ICS code
    role: Role = Role.MANDATORY_REGULATION


@dataclass(frozen=True)
class DraftSpec:
    code: str | None
    title: str | None
    scope: tuple[ScopeItem, ...]
    citations: tuple[str, ...]
    document_id: int | None = None  # when the draft is in the catalog


@dataclass(frozen=True)
class ExistingCover:
    code: str
    doc_type: str
    title_vi: str | None
    roles: tuple[Role, ...]
    mandatory: bool
    same_role: bool  # plays a role the draft would play: possible duplication or conflict


@dataclass(frozen=True)
class CoveredProduct:
    product: ProductBrief
    roles: tuple[Role, ...]  # the draft's roles for this product
    existing: tuple[ExistingCover, ...]

    @property
    def duplicates(self) -> tuple[ExistingCover, ...]:
        return tuple(e for e in self.existing if e.same_role)


@dataclass(frozen=True)
class CitationCheck:
    code: str
    standing: str  # in_force, superseded, withdrawn, upcoming, draft, not_in_catalog
    in_force: str | None  # the edition in force on the day, when another one
    note: str | None


@dataclass(frozen=True)
class DraftImpact:
    draft: DraftSpec
    as_of: date
    products: tuple[CoveredProduct, ...]
    unmatched_scope: tuple[str, ...]  # scope items that match no product in the catalog
    citations: tuple[CitationCheck, ...]

    @property
    def problem_citations(self) -> tuple[CitationCheck, ...]:
        return tuple(c for c in self.citations if c.standing != "in_force")


def draft_from_catalog(session: Session, code: str) -> DraftSpec:
    """The draft stored under ``code`` (any spelling the code grammar accepts)."""
    try:
        canonical = parse_code(code).canonical()
    except CodeError as exc:
        raise DraftError(f"code: {exc}") from exc
    doc = session.exec(select(Document).where(Document.code == canonical)).first()
    if doc is None:
        raise DraftError(f"code: no document {canonical} in the catalog")
    rules = session.exec(
        select(ApplicabilityRule)
        .where(ApplicabilityRule.document_id == doc.id)
        .order_by(col(ApplicabilityRule.id))
    ).all()
    scope = tuple(
        ScopeItem(SubjectKind(r.subject_kind), r.subject_key.split(":", 1)[1], Role(r.role))
        for r in rules
    )
    cited = session.exec(
        select(Document.code)
        .join(DocumentRelation, col(DocumentRelation.target_id) == Document.id)
        .where(
            DocumentRelation.source_id == doc.id,
            col(DocumentRelation.kind).in_([RelationKind.CITES, RelationKind.CITES_MANDATORY]),
        )
        .order_by(col(Document.code))
    ).all()
    return DraftSpec(doc.code, doc.title_vi, scope, tuple(cited), doc.id)


def draft_impact(session: Session, draft: DraftSpec, as_of: date | None = None) -> DraftImpact:
    """Analyse ``draft`` on ``as_of`` (default today)."""
    day = as_of or clock.today()
    index = ProductIndex(session)
    roles_by_product: dict[int, list[Role]] = {}
    unmatched = []
    for item in draft.scope:
        found = _scope_products(session, index, item)
        if not found:
            unmatched.append(f"{item.kind.value}:{item.subject}")
        for product_id in found:
            roles = roles_by_product.setdefault(product_id, [])
            if item.role not in roles:
                roles.append(item.role)
    covered = []
    graph = CatalogGraph.load(session)
    for brief in index.briefs(roles_by_product):
        ordered_roles = tuple(sorted(roles_by_product[brief.id], key=list(Role).index))
        answer = applicable(session, brief.id, day, graph=graph)
        existing = tuple(
            ExistingCover(
                code=e.document.code,
                doc_type=str(e.document.doc_type),
                title_vi=e.document.title_vi,
                roles=e.roles,
                mandatory=e.mandatory,
                same_role=bool(set(e.roles) & set(ordered_roles)),
            )
            for e in answer.entries
            if e.document.doc_type in _COVERING_TYPES and e.document.id != draft.document_id
        )
        covered.append(CoveredProduct(brief, ordered_roles, existing))
    return DraftImpact(
        draft=draft,
        as_of=day,
        products=tuple(covered),
        unmatched_scope=tuple(unmatched),
        citations=tuple(
            check_citation(session, code, day, graph=graph) for code in draft.citations
        ),
    )


def _scope_products(session: Session, index: ProductIndex, item: ScopeItem) -> set[int]:
    if item.kind == SubjectKind.PRODUCT:
        try:
            return {saved_id(resolve_product(session, item.subject))}
        except ProductNotFound:
            return set()
    if item.kind == SubjectKind.CATEGORY:
        category = session.exec(
            select(ProductCategory).where(ProductCategory.slug == slugify(item.subject))
        ).first()
        return index.in_category(saved_id(category)) if category else set()
    return index.subject_products(item.kind, code=item.subject.strip())


def check_citation(
    session: Session, code: str, day: date, *, graph: CatalogGraph | None = None
) -> CitationCheck:
    """Whether a cited code is in force on ``day``, and if not what is."""
    try:
        canonical = parse_code(code).canonical()
    except CodeError as exc:
        return CitationCheck(code, "not_in_catalog", None, f"not a document code: {exc}")
    doc = session.exec(select(Document).where(Document.code == canonical)).first()
    if doc is None:
        return CitationCheck(canonical, "not_in_catalog", None, "not in the catalog")
    if doc.status == Status.DRAFT:
        return CitationCheck(canonical, "draft", None, "a draft, not yet issued")
    found = edition_in_force(session, saved_id(doc), day, graph=graph)
    note = "; ".join(found.notes) or found.status_note
    if found.edition.id == doc.id:
        return CitationCheck(canonical, str(found.standing), None, note)
    if found.cited_standing == Standing.UPCOMING:
        return CitationCheck(canonical, "upcoming", found.edition.code, note)
    if found.standing == Standing.IN_FORCE:
        return CitationCheck(canonical, "superseded", found.edition.code, note)
    return CitationCheck(canonical, "withdrawn", None, note)


def impact_tables(impact: DraftImpact) -> list[Table]:
    return [
        Table(
            "Sản phẩm được điều chỉnh",
            ("Sản phẩm", "Nhóm", "Vai trò của dự thảo", "Văn bản đang áp dụng", "Có thể trùng"),
            tuple(
                (
                    p.product.name_vi,
                    p.product.category,
                    [r.label_vi for r in p.roles],
                    [e.code for e in p.existing],
                    [e.code for e in p.duplicates],
                )
                for p in impact.products
            ),
        ),
        Table(
            "Văn bản viện dẫn",
            ("Văn bản", "Tình trạng", "Đang có hiệu lực", "Ghi chú"),
            tuple((c.code, c.standing, c.in_force, c.note) for c in impact.citations),
        ),
    ]
