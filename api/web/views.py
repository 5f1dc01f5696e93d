"""What the browse and product pages show besides the API's answers, read from the catalog.

The applicability answer comes from :mod:`catalog.applicability` and a document's record from
:class:`api.services.documents.DocumentService`; this module adds what a person reading the
page needs around them: the category tree with its products, the province's lists, and a
product's category path in both languages and its locality then and now (2025 mergers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from catalog.models import (
    Document,
    Enterprise,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
)
from catalog.vocab import CodeScheme, ProductKind

# --- browse -----------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    category: ProductCategory
    products: list[Product] = field(default_factory=list)
    children: list[CategoryNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.products) + sum(child.total for child in self.children)


@dataclass
class Browse:
    tree: list[CategoryNode]
    key: list[Product]
    geographical_indications: list[Product]
    ocop: list[Product]  # most stars first
    specialties: list[Product]


def browse(session: Session) -> Browse:
    """The category tree with its products, and the province's lists of products."""
    categories = session.exec(select(ProductCategory)).all()
    products = session.exec(select(Product).order_by(col(Product.name_vi), col(Product.id))).all()
    nodes = {c.id: CategoryNode(c) for c in categories}
    for product in products:
        if product.category_id in nodes:
            nodes[product.category_id].products.append(product)
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.category.name_vi)
    roots.sort(key=lambda n: n.category.name_vi)
    return Browse(
        tree=roots,
        key=[p for p in products if p.kind == ProductKind.KEY],
        geographical_indications=[
            p
            for p in products
            if p.geographical_indication or p.kind == ProductKind.GEOGRAPHICAL_INDICATION
        ],
        ocop=sorted(
            (p for p in products if p.ocop_stars), key=lambda p: (-(p.ocop_stars or 0), p.name_vi)
        ),
        specialties=[p for p in products if p.kind == ProductKind.SPECIALTY],
    )


# --- product ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A locality as recorded, with what contains it and what it became (2025 mergers)."""

    names: tuple[str, ...]  # the locality and its parents, innermost first
    now: tuple[tuple[str, date], ...]  # successors with the date they took over


@dataclass
class ProductFacts:
    product: Product
    category_path: list[ProductCategory]  # root first
    aliases: list[str]
    hs_codes: list[str]
    ics_codes: list[str]
    place: Place | None
    producer: Enterprise | None


def product_by_slug(session: Session, slug: str) -> Product | None:
    return session.exec(select(Product).where(Product.slug == slug)).first()


def document_by_slug(session: Session, slug: str) -> Document | None:
    return session.exec(select(Document).where(Document.slug == slug)).first()


def product_facts(session: Session, product: Product) -> ProductFacts:
    codes = session.exec(
        select(ProductCode)
        .where(ProductCode.product_id == product.id)
        .order_by(col(ProductCode.code))
    ).all()
    aliases = session.exec(
        select(ProductAlias.alias)
        .where(ProductAlias.product_id == product.id)
        .order_by(col(ProductAlias.alias))
    ).all()
    return ProductFacts(
        product=product,
        category_path=category_path(session, product.category_id),
        aliases=[a for a in aliases if a != product.name_vi],
        hs_codes=[c.code for c in codes if c.scheme == CodeScheme.HS],
        ics_codes=[c.code for c in codes if c.scheme == CodeScheme.ICS],
        place=place(session, product.locality_id, product.locality_text),
        producer=session.get(Enterprise, product.producer_id) if product.producer_id else None,
    )


def category_path(session: Session, category_id: int | None) -> list[ProductCategory]:
    """The category and its ancestors, root first."""
    path: list[ProductCategory] = []
    seen: set[int] = set()
    while category_id is not None and category_id not in seen:
        seen.add(category_id)
        category = session.get(ProductCategory, category_id)
        if category is None:
            break
        path.append(category)
        category_id = category.parent_id
    return path[::-1]


def place(session: Session, locality_id: int | None, text: str | None) -> Place | None:
    if locality_id is None:
        return Place(names=(text,), now=()) if text else None
    names: list[str] = []
    chain: list[int] = []
    current: int | None = locality_id
    while current is not None and current not in chain:
        row = session.get(Locality, current)
        if row is None:
            break
        chain.append(current)
        names.append(row.name_vi)
        current = row.parent_id
    successions = session.exec(
        select(LocalitySuccession, Locality)
        .join(Locality, col(Locality.id) == LocalitySuccession.successor_id)
        .where(col(LocalitySuccession.predecessor_id).in_(chain))
        .order_by(col(LocalitySuccession.effective_on))
    ).all()
    now = tuple(dict.fromkeys((loc.name_vi, s.effective_on) for s, loc in successions))
    return Place(names=tuple(names), now=now)


def category_names(session: Session) -> dict[str, ProductCategory]:
    """Categories by rule subject key (``category:<slug>``), to name the reasons of an answer."""
    return {f"category:{c.slug}": c for c in session.exec(select(ProductCategory))}
