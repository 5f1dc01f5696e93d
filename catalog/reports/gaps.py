"""Gap and overlap analysis for officials drafting local regulations (QCĐP).

For every product (key, specialty, geographical indication, OCOP) the applicability engine
answers on the day asked; this module reads those answers and reports:

- **gaps**: products with no technical regulation (QCVN or QCĐP) in force applying, no
  product standard, or no test method;
- **stale citations**: rules (and mandatory citations) that name an edition no longer in
  force, with the edition in force now, or a withdrawn document with no successor;
- **not confirmed**: rules and document statuses not confirmed from a source for more than
  ``unconfirmed_months`` months (never confirmed included), by impact
  (:mod:`catalog.reports.review`);
- **overlaps**: products, grouped by category, to which several in-force documents apply
  in the same role through specific rules (on the product, its own category, its HS or ICS
  codes: two product standards, two traceability standards…), and products to which two
  editions of one document apply at once. Roles where several documents are normal (test
  methods, one per analyte; mandatory regulations, one per hazard) are left out unless
  asked for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from sqlmodel import Session, col, select

from catalog import clock
from catalog.applicability import (
    Applicability,
    Entry,
    Reason,
    ReasonKind,
    applicable,
    document_start,
)
from catalog.codes import CodeError, DocType, parse_code
from catalog.models import Document, Product, saved_id
from catalog.readmodel import CatalogGraph
from catalog.reports.reach import ProductBrief, ProductIndex
from catalog.reports.review import (
    REVIEW_HEADERS,
    ReviewItem,
    months_before,
    review_report,
    review_rows,
)
from catalog.reports.tables import Table
from catalog.vocab import ProductKind, Role

TECHNICAL_REGULATIONS = (DocType.QCVN, DocType.QCDP)
DEFAULT_OVERLAP_ROLES = (
    Role.PRODUCT_STANDARD,
    Role.LABELLING,
    Role.GOOD_PRACTICE,
    Role.ORGANIC,
    Role.TRACEABILITY,
    Role.MANAGEMENT_SYSTEM,
)
DEFAULT_UNCONFIRMED_MONTHS = 12
_STANDARDS = (DocType.TCVN, DocType.TCCS, DocType.SECTOR)
_REGULATIONS = (DocType.QCVN, DocType.QCDP)


class Gap(StrEnum):
    NO_TECHNICAL_REGULATION = "no_technical_regulation"
    NO_PRODUCT_STANDARD = "no_product_standard"
    NO_TEST_METHOD = "no_test_method"

    @property
    def label_vi(self) -> str:
        return {
            Gap.NO_TECHNICAL_REGULATION: "Chưa có quy chuẩn kỹ thuật (QCVN/QCĐP) áp dụng",
            Gap.NO_PRODUCT_STANDARD: "Chưa có tiêu chuẩn sản phẩm",
            Gap.NO_TEST_METHOD: "Chưa có phương pháp thử",
        }[self]


@dataclass(frozen=True)
class ProductGaps:
    product: ProductBrief
    gaps: tuple[Gap, ...]
    technical_regulations: tuple[str, ...]  # codes in force
    product_standards: tuple[str, ...]
    test_methods: tuple[str, ...]


@dataclass(frozen=True)
class StaleCitation:
    """A rule (or a citing regulation) naming an edition that is no longer in force."""

    cited: str  # the code the rule or citation names
    cited_status: str  # "superseded" or "withdrawn"
    in_force: str | None  # the edition in force on the day, None when withdrawn for good
    via: str  # the rule's subject ("category:cay-co-mui") or the citing document's code
    rule_id: int | None
    role: Role
    products: tuple[ProductBrief, ...]


class OverlapKind(StrEnum):
    SAME_ROLE = "same_role"  # several documents in one role, by specific rules
    EDITIONS = "editions"  # two editions of one document both in force

    @property
    def label_vi(self) -> str:
        return {
            OverlapKind.SAME_ROLE: "Nhiều văn bản cùng vai trò",
            OverlapKind.EDITIONS: "Hai phiên bản cùng còn hiệu lực",
        }[self]


@dataclass(frozen=True)
class Overlap:
    category: str | None
    kind: OverlapKind
    role: Role
    documents: tuple[str, ...]  # codes in force, at least two
    products: tuple[ProductBrief, ...]


@dataclass(frozen=True)
class GapReport:
    as_of: date
    kinds: tuple[ProductKind, ...]
    overlap_roles: tuple[Role, ...]
    products_examined: int
    product_gaps: tuple[ProductGaps, ...]  # only products with at least one gap
    stale: tuple[StaleCitation, ...]
    overlaps: tuple[Overlap, ...]
    unconfirmed_months: int = DEFAULT_UNCONFIRMED_MONTHS
    # Rules and document statuses not confirmed since ``unconfirmed_months`` before the day.
    unconfirmed: tuple[ReviewItem, ...] = ()

    def count(self, gap: Gap) -> int:
        return sum(gap in p.gaps for p in self.product_gaps)

    @property
    def headline(self) -> dict[str, int]:
        """The numbers an official reads first."""
        return {
            "products_examined": self.products_examined,
            "products_with_gaps": len(self.product_gaps),
            **{gap.value: self.count(gap) for gap in Gap},
            "stale_citations": len(self.stale),
            "products_with_stale_citations": len({p.id for s in self.stale for p in s.products}),
            "overlaps": len(self.overlaps),
            "not_confirmed": len(self.unconfirmed),
            "mandatory_not_confirmed": sum(i.mandatory for i in self.unconfirmed),
        }


def gap_report(
    session: Session,
    as_of: date | None = None,
    *,
    kinds: tuple[ProductKind, ...] = tuple(ProductKind),
    overlap_roles: tuple[Role, ...] = DEFAULT_OVERLAP_ROLES,
    graph: CatalogGraph | None = None,
    unconfirmed_months: int = DEFAULT_UNCONFIRMED_MONTHS,
) -> GapReport:
    """The gap, stale-citation, overlap and freshness report over the products of ``kinds``.

    ``graph`` is the catalog graph to answer from when the caller holds a current one (the
    API does); otherwise it is loaded from ``session``."""
    day = as_of or clock.today()
    index = ProductIndex(session)
    products = session.exec(
        select(Product)
        .where(col(Product.kind).in_([k.value for k in kinds]))
        .order_by(col(Product.name_vi), col(Product.id))
    ).all()
    graph = graph or CatalogGraph.load(session)
    answers = [
        (index.products[saved_id(p)], applicable(session, p, day, graph=graph)) for p in products
    ]
    return GapReport(
        as_of=day,
        kinds=kinds,
        overlap_roles=overlap_roles,
        products_examined=len(answers),
        product_gaps=tuple(g for brief, a in answers if (g := _product_gaps(brief, a)).gaps),
        stale=_stale_citations(session, answers, day, index),
        overlaps=_overlaps(answers, overlap_roles, index),
        unconfirmed_months=unconfirmed_months,
        unconfirmed=review_report(session, day).unconfirmed(months_before(day, unconfirmed_months)),
    )


def _product_gaps(brief: ProductBrief, answer: Applicability) -> ProductGaps:
    regulations = tuple(
        e.document.code
        for e in answer.entries
        if e.mandatory and e.document.doc_type in TECHNICAL_REGULATIONS
    )
    standards = tuple(e.document.code for e in answer.entries if Role.PRODUCT_STANDARD in e.roles)
    methods = tuple(e.document.code for e in answer.entries if Role.TEST_METHOD in e.roles)
    gaps = tuple(
        gap
        for gap, found in (
            (Gap.NO_TECHNICAL_REGULATION, regulations),
            (Gap.NO_PRODUCT_STANDARD, standards),
            (Gap.NO_TEST_METHOD, methods),
        )
        if not found
    )
    return ProductGaps(brief, gaps, regulations, standards, methods)


def _stale_citations(
    session: Session,
    answers: list[tuple[ProductBrief, Applicability]],
    day: date,
    index: ProductIndex,
) -> tuple[StaleCitation, ...]:
    cited_codes = {
        r.cited_edition for _, a in answers for e in a.entries for r in e.reasons if r.cited_edition
    }
    cited_docs = {
        d.code: d for d in session.exec(select(Document).where(col(Document.code).in_(cited_codes)))
    }
    found: dict[tuple, set[int]] = defaultdict(set)
    for brief, answer in answers:
        for entry in answer.entries:
            for reason in entry.reasons:
                cited = cited_docs.get(reason.cited_edition or "")
                if cited is None or _not_yet_started(cited, day):
                    continue  # the rule names a coming edition: not stale
                key = (cited.code, "superseded", entry.document.code, *_via(reason))
                found[key].add(brief.id)
        for entry in answer.withdrawn:
            for reason in entry.reasons:
                code = reason.cited_edition or entry.document.code
                found[(code, "withdrawn", None, *_via(reason))].add(brief.id)
    return tuple(
        sorted(
            (
                StaleCitation(
                    cited=cited,
                    cited_status=status,
                    in_force=in_force,
                    via=via,
                    rule_id=rule_id,
                    role=role,
                    products=index.briefs(ids),
                )
                for (cited, status, in_force, via, rule_id, role), ids in found.items()
            ),
            key=lambda s: (s.cited, s.via, s.rule_id or 0),
        )
    )


def _via(reason: Reason) -> tuple[str, int | None, Role]:
    return (reason.subject or "", reason.rule_id, reason.role)


def _not_yet_started(doc: Document, day: date) -> bool:
    start = document_start(doc)
    return start is not None and start > day


def _overlaps(
    answers: list[tuple[ProductBrief, Applicability]],
    roles: tuple[Role, ...],
    index: ProductIndex,
) -> tuple[Overlap, ...]:
    groups: dict[tuple, set[int]] = defaultdict(set)
    for brief, answer in answers:
        for role in roles:
            for family in (_STANDARDS, _REGULATIONS):
                codes = tuple(
                    sorted(
                        e.document.code
                        for e in answer.entries
                        if e.document.doc_type in family and _specific(e, role, brief)
                    )
                )
                if len(codes) >= 2:
                    groups[(brief.category, OverlapKind.SAME_ROLE, role, codes)].add(brief.id)
        by_family: dict[str, list] = defaultdict(list)
        for entry in answer.entries:
            by_family[_family(entry.document.code)].append(entry)
        for editions in by_family.values():
            if len(editions) >= 2:
                codes = tuple(sorted(e.document.code for e in editions))
                role = min((e.role for e in editions), key=list(Role).index)
                groups[(brief.category, OverlapKind.EDITIONS, role, codes)].add(brief.id)
    return tuple(
        sorted(
            (
                Overlap(category, kind, role, codes, index.briefs(ids))
                for (category, kind, role, codes), ids in groups.items()
            ),
            key=lambda o: (o.category or "", o.kind, list(Role).index(o.role), o.documents),
        )
    )


def _specific(entry: Entry, role: Role, product: ProductBrief) -> bool:
    """Reached in ``role`` by a rule on the product, its own category, or its HS/ICS codes.

    Rules inherited from ancestor categories set cross-cutting requirements (general food
    standards) that complement the specific ones by design, so they are not overlaps; a
    mandatory citation is a reason, not a rule of that role.
    """
    own = f"category:{product.category_slug}"
    return any(
        r.role == role
        and (
            r.kind in (ReasonKind.PRODUCT, ReasonKind.HS_PREFIX, ReasonKind.ICS)
            or (r.kind == ReasonKind.CATEGORY and r.subject == own)
        )
        for r in entry.reasons
    )


@lru_cache(maxsize=8192)
def _family(code: str) -> str:
    try:
        return parse_code(code).family_key()
    except CodeError:
        return code


def gap_tables(report: GapReport) -> list[Table]:
    """The report as sheets: gaps by product, stale citations, overlaps, not confirmed."""
    kind_label = {k.value: k.label_vi for k in ProductKind}
    return [
        Table(
            "Thiếu văn bản",
            (
                "Sản phẩm",
                "Loại",
                "Nhóm",
                "OCOP (sao)",
                *(g.label_vi for g in Gap),
                "Quy chuẩn đang áp dụng",
                "Tiêu chuẩn sản phẩm",
                "Phương pháp thử",
            ),
            tuple(
                (
                    p.product.name_vi,
                    kind_label.get(p.product.kind, p.product.kind),
                    p.product.category,
                    p.product.ocop_stars,
                    *("x" if g in p.gaps else "" for g in Gap),
                    p.technical_regulations,
                    p.product_standards,
                    p.test_methods,
                )
                for p in report.product_gaps
            ),
        ),
        Table(
            "Viện dẫn hết hiệu lực",
            (
                "Văn bản được viện dẫn",
                "Tình trạng",
                "Văn bản đang có hiệu lực",
                "Qua",
                "Vai trò",
                "Sản phẩm",
            ),
            tuple(
                (
                    s.cited,
                    "Bị thay thế" if s.cited_status == "superseded" else "Hết hiệu lực",
                    s.in_force or "(không có văn bản thay thế)",
                    s.via,
                    s.role.label_vi,
                    [p.name_vi for p in s.products],
                )
                for s in report.stale
            ),
        ),
        Table(
            "Chồng chéo",
            ("Nhóm sản phẩm", "Loại", "Vai trò", "Văn bản", "Sản phẩm"),
            tuple(
                (
                    o.category,
                    o.kind.label_vi,
                    o.role.label_vi,
                    o.documents,
                    [p.name_vi for p in o.products],
                )
                for o in report.overlaps
            ),
        ),
        Table(
            f"Chưa xác nhận quá {report.unconfirmed_months} tháng",
            REVIEW_HEADERS,
            review_rows(report.unconfirmed),
        ),
    ]
