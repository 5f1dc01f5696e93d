"""Which products a document reaches: the applicability rules read backwards.

A document reaches a product when a rule whose subject matches the product names the
document or another edition of it (editions are linked by ``REPLACES``), or names a
document that cites it as mandatory (transitively). The answer does not depend on a date:
it says whom a change to the document concerns, whichever edition was in force.

Everything is loaded in a few queries into a :class:`Reach`, then answered from memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog.codes_order import hs_prefixes, ics_prefixes
from catalog.models import (
    ApplicabilityRule,
    DocumentRelation,
    Product,
    ProductCategory,
    ProductCode,
    saved_id,
)
from catalog.vocab import CodeScheme, RelationKind, SubjectKind


@dataclass(frozen=True)
class ProductBrief:
    """A product as reports list it."""

    id: int
    slug: str
    name_vi: str
    kind: str
    category: str | None
    category_slug: str | None
    ocop_stars: int | None


class ProductIndex:
    """All products with their categories and codes, to match rule subjects against."""

    def __init__(self, session: Session) -> None:
        categories = session.exec(select(ProductCategory)).all()
        self.categories: dict[int | None, ProductCategory] = {c.id: c for c in categories}
        self.category_by_slug = {c.slug: c for c in categories}
        self.children: dict[int, list[int]] = defaultdict(list)
        for category in categories:
            if category.parent_id is not None:
                self.children[category.parent_id].append(saved_id(category))
        products = session.exec(select(Product).order_by(col(Product.id))).all()
        self.products: dict[int, ProductBrief] = {
            saved_id(p): ProductBrief(
                id=saved_id(p),
                slug=p.slug,
                name_vi=p.name_vi,
                kind=str(p.kind),
                category=self.categories[p.category_id].name_vi if p.category_id else None,
                category_slug=self.categories[p.category_id].slug if p.category_id else None,
                ocop_stars=p.ocop_stars,
            )
            for p in products
        }
        self.by_category: dict[int, list[int]] = defaultdict(list)
        for p in products:
            if p.category_id is not None:
                self.by_category[p.category_id].append(saved_id(p))
        self.by_code: dict[tuple[str, str], set[int]] = defaultdict(set)
        for code in session.exec(select(ProductCode)).all():
            prefixes = hs_prefixes if code.scheme == CodeScheme.HS else ics_prefixes
            for prefix in prefixes(code.code):
                self.by_code[(str(code.scheme), prefix)].add(code.product_id)

    def in_category(self, category_id: int) -> set[int]:
        """Products of the category and of every category below it."""
        found: set[int] = set()
        stack, seen = [category_id], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            found.update(self.by_category.get(current, []))
            stack.extend(self.children.get(current, []))
        return found

    def matching(self, rule: ApplicabilityRule) -> set[int]:
        """Products a rule's subject matches (category rules reach the whole subtree)."""
        return self.subject_products(
            SubjectKind(rule.subject_kind),
            product_id=rule.product_id,
            category_id=rule.category_id,
            code=rule.subject_code,
        )

    def subject_products(
        self,
        kind: SubjectKind,
        *,
        product_id: int | None = None,
        category_id: int | None = None,
        code: str | None = None,
    ) -> set[int]:
        """Products a subject matches: the product, a category's subtree, an HS or ICS prefix."""
        if kind == SubjectKind.PRODUCT:
            return {product_id} if product_id is not None and product_id in self.products else set()
        if kind == SubjectKind.CATEGORY:
            return self.in_category(category_id) if category_id is not None else set()
        scheme = CodeScheme.HS if kind == SubjectKind.HS_PREFIX else CodeScheme.ICS
        return set(self.by_code.get((str(scheme), code or ""), set()))

    def briefs(self, ids: Iterable[int]) -> tuple[ProductBrief, ...]:
        """The products, ordered by name then id."""
        return tuple(sorted((self.products[i] for i in ids), key=lambda p: (p.name_vi, p.id)))


class Reach:
    """Documents to the products they reach (see the module docstring)."""

    def __init__(self, session: Session, index: ProductIndex | None = None) -> None:
        self.index = index or ProductIndex(session)
        self.editions: dict[int, set[int]] = defaultdict(set)
        self.cited_by: dict[int, set[int]] = defaultdict(set)
        relations = session.exec(
            select(DocumentRelation).where(
                col(DocumentRelation.kind).in_(
                    [RelationKind.REPLACES, RelationKind.CITES_MANDATORY]
                )
            )
        ).all()
        for rel in relations:
            if rel.kind == RelationKind.REPLACES:
                self.editions[rel.source_id].add(rel.target_id)
                self.editions[rel.target_id].add(rel.source_id)
            else:
                self.cited_by[rel.target_id].add(rel.source_id)
        self.rule_products: dict[int, set[int]] = defaultdict(set)
        for rule in session.exec(select(ApplicabilityRule)).all():
            self.rule_products[rule.document_id] |= self.index.matching(rule)
        self._memo: dict[int, frozenset[int]] = {}

    def edition_family(self, document_id: int) -> set[int]:
        """The document and every edition linked to it by ``REPLACES``, either way."""
        found, stack = set(), [document_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.editions.get(current, ()))
        return found

    def products_of(self, document_id: int) -> frozenset[int]:
        """Ids of the products the document reaches."""
        if document_id in self._memo:
            return self._memo[document_id]
        documents = self.edition_family(document_id)
        frontier = set(documents)
        while frontier:
            citing = {s for d in frontier for s in self.cited_by.get(d, ())}
            added = set()
            for source in citing - documents:
                added |= self.edition_family(source)
            frontier = added - documents
            documents |= frontier
        products = frozenset(p for d in documents for p in self.rule_products.get(d, ()))
        self._memo[document_id] = products
        return products

    def briefs_of(self, document_id: int) -> tuple[ProductBrief, ...]:
        return self.index.briefs(self.products_of(document_id))
