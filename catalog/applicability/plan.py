"""What reaches a product whatever the day: its rules, each with its reason, in answer order.

A rule reaches the product when its subject is the product, its category or any ancestor
category, a prefix of one of its HS codes (``0805`` for ``080510``) or one of its ICS fields or
an enclosing field (``67.080`` for ``67.080.10``). Which of them hold on a day is the
resolver's business; the plan is made once per product and graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from catalog.applicability.answer import Reason, ReasonKind
from catalog.applicability.cache import EngineCache
from catalog.applicability.wording import reason_words
from catalog.codes import DocType
from catalog.codes_order import hs_prefixes, ics_prefixes
from catalog.products import ProductRef
from catalog.readmodel import CatalogGraph, CategoryRow, DocumentRow, IssuerRow, ProductRow, RuleRow
from catalog.review import NOT_REVIEWED
from catalog.vocab import IssuerKind

_SUBJECT_ORDER = {"product": 0, "category": 1, "hs_prefix": 2, "ics": 3}
_SUBJECT_KINDS = {
    "product": ReasonKind.PRODUCT,
    "category": ReasonKind.CATEGORY,
    "hs_prefix": ReasonKind.HS_PREFIX,
    "ics": ReasonKind.ICS,
}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProductPlan:
    """What reaches a product whatever the day: its reference, and the rules on it, its
    categories, HS and ICS prefixes in answer order, each with its reason."""

    ref: ProductRef
    rules: tuple[tuple[RuleRow, Reason], ...]


def prepare_graph(graph: CatalogGraph) -> None:
    """Make every product's plan at once (for a server: else the first request for each
    product would make it)."""
    for product in graph.products.values():
        product_plan(graph, product)
    local_documents(graph)


def product_plan(graph: CatalogGraph, product: ProductRow) -> ProductPlan:
    """The :class:`ProductPlan` of ``product``, made once per graph."""
    plans = EngineCache.of(graph).plans
    plan = plans.get(product.id)
    if plan is None:
        plan = plans[product.id] = _make_plan(graph, product)
    return plan


def _make_plan(graph: CatalogGraph, product: ProductRow) -> ProductPlan:
    categories: list[CategoryRow] = []  # the product's category and its ancestors, nearest first
    current = row_of(graph.categories, product.category_id)
    while current is not None and current not in categories:
        categories.append(current)
        current = row_of(graph.categories, current.parent_id)
    rules = list(graph.rules_by_product.get(product.id, ()))
    for category in categories:
        rules += graph.rules_by_category.get(category.id, ())
    for prefix in sorted({p for code in product.hs_codes for p in hs_prefixes(code)}):
        rules += graph.rules_by_hs.get(prefix, ())
    for prefix in sorted({p for code in product.ics_codes for p in ics_prefixes(code)}):
        rules += graph.rules_by_ics.get(prefix, ())
    depth: dict[int | None, int] = {c.id: i for i, c in enumerate(categories)}
    names = {c.id: c for c in categories}
    rules.sort(key=lambda r: (_SUBJECT_ORDER[r.subject_kind], depth.get(r.category_id, 0), r.id))
    own = row_of(graph.categories, product.category_id)
    locality = row_of(graph.localities, product.locality_id)
    ref = ProductRef(
        id=product.id,
        slug=product.slug,
        name_vi=product.name_vi,
        name_en=product.name_en,
        kind=str(product.kind),
        category=own.name_vi if own else None,
        locality=locality.name_vi if locality else product.locality_text,
    )
    reasons = EngineCache.of(graph).rule_reasons
    planned = []
    for rule in rules:
        # A rule's reason depends on the product only through its category (for category rules).
        key = (rule.id, product.category_id if rule.subject_kind == "category" else None)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = _rule_reason(graph, product, rule, names)
        planned.append((rule, reason))
    return ProductPlan(ref, tuple(planned))


def _rule_reason(
    graph: CatalogGraph, product: ProductRow, rule: RuleRow, categories: dict[int, CategoryRow]
) -> Reason:
    kind = _SUBJECT_KINDS[rule.subject_kind]
    if kind == ReasonKind.CATEGORY:
        category = categories[rule.category_id] if rule.category_id is not None else None
        text = reason_words(
            kind,
            "en",
            category=category.name_vi if category else None,
            own_category=category is not None and category.id == product.category_id,
        )
    else:
        text = reason_words(kind, "en", code=rule.subject_code)
    return rule_reason(graph, rule, kind, text)


def rule_reason(graph: CatalogGraph, rule: RuleRow, kind: ReasonKind, text: str) -> Reason:
    """The reason ``rule`` gives, worded ``text``: its role, subject, condition, legal basis
    (the rule's own, else its basis document's code) and review."""
    basis = rule.legal_basis
    if basis is None and rule.legal_basis_document_id in graph.documents:
        basis = graph.documents[rule.legal_basis_document_id].code
    return Reason(
        kind=kind,
        text=text,
        role=rule.role,
        rule_id=rule.id,
        subject=rule.subject_key,
        condition=rule.condition,
        legal_basis=basis,
        review=graph.rule_reviews.get(rule.id, NOT_REVIEWED),
    )


def local_documents(graph: CatalogGraph) -> frozenset[int]:
    """Ids of the graph's local documents (QCĐP, or issued by a province), found once."""
    cache = EngineCache.of(graph)
    found = cache.local_documents
    if found is None:
        issuers = graph.issuers
        found = cache.local_documents = frozenset(
            doc.id
            for doc in graph.documents.values()
            if _is_local(doc, row_of(issuers, doc.issuer_id))
        )
    return found


def row_of(table: Mapping[int, T], key: int | None) -> T | None:
    """``table[key]``, or None when ``key`` is None or not in ``table``."""
    return table.get(key) if key is not None else None


def _is_local(doc: DocumentRow, issuer: IssuerRow | None) -> bool:
    return doc.doc_type == DocType.QCDP or (
        issuer is not None and issuer.kind == IssuerKind.PROVINCE
    )
