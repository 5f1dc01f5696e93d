"""Finding a product: by id, slug, name or alias, in the database or in a catalog graph.

The engine (:mod:`catalog.applicability`) answers for a product found here; the API, the
checklist, declarations and watch lists look products up the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from catalog.limits import ROW_ID_MAX
from catalog.models import Locality, Product, ProductAlias, ProductCategory, saved_id
from catalog.readmodel import CatalogGraph, ProductRow
from catalog.text import clean, fold, slugify


class ProductNotFound(LookupError):
    """No product matches a reference; ``suggestions`` holds the nearest ones."""

    def __init__(self, reference: str, suggestions: list[ProductRef]) -> None:
        self.reference = reference
        self.suggestions = suggestions
        hint = ", ".join(s.name_vi for s in suggestions)
        super().__init__(
            f"no product matches {reference!r}" + (f"; did you mean: {hint}?" if hint else "")
        )


@dataclass(frozen=True)
class ProductRef:
    """A product as an answer names it."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    kind: str
    category: str | None
    locality: str | None


def row_id(reference: int | str) -> int | None:
    """``reference`` as a row id when it is one: ASCII digits (not "²" or "٣", which
    ``str.isdigit`` accepts) of a value a database integer column can hold."""
    if isinstance(reference, int):
        number = reference
    elif reference.isascii() and reference.isdecimal() and len(reference.lstrip("0")) < 20:
        number = int(reference)  # 20 digits or more: beyond any 64-bit value
    else:
        return None
    return number if 0 < number <= ROW_ID_MAX else None


def resolve_product(session: Session, reference: int | str) -> Product:
    """The product with this id, slug, name or alias (any case, with or without diacritics).

    Raises :class:`ProductNotFound` with suggestions when nothing matches exactly.
    """
    text = clean(str(reference)) or ""
    product_id = row_id(text)
    if product_id is not None:
        product = session.get(Product, product_id)
        if product is not None:
            return product
    slug = slugify(text)
    if slug:
        product = session.exec(select(Product).where(Product.slug == slug)).first()
        if product is not None:
            return product
        product = session.exec(
            select(Product)
            .join(ProductAlias, col(ProductAlias.product_id) == Product.id)
            .where(ProductAlias.alias_folded == fold(text))
            .order_by(col(Product.id))
        ).first()
        if product is not None:
            return product
    raise ProductNotFound(str(reference), suggest_products(session, text))


def suggest_products(session: Session, text: str, limit: int = 5) -> list[ProductRef]:
    """Products whose slug or an alias shares words with ``text``, most shared words first."""
    words = [w for w in slugify(text).split("-") if len(w) > 1]
    if not words:
        return []
    alias_hits = select(ProductAlias.product_id).where(
        or_(*(col(ProductAlias.alias_folded).contains(w) for w in words))
    )
    candidates = session.exec(
        select(Product).where(
            or_(*(col(Product.slug).contains(w) for w in words), col(Product.id).in_(alias_hits))
        )
    ).all()
    aliases: dict[int, list[str]] = {}
    if candidates:
        for product_id, alias in session.exec(
            select(ProductAlias.product_id, ProductAlias.alias_folded).where(
                col(ProductAlias.product_id).in_([p.id for p in candidates])
            )
        ):
            aliases.setdefault(product_id, []).append(alias)

    def score(product: Product) -> tuple[int, str]:
        haystacks = [product.slug, *(slugify(a) for a in aliases.get(saved_id(product), []))]
        best = max(sum(w in set(h.split("-")) for w in words) for h in haystacks)
        return (-best, product.slug)

    ranked = sorted(candidates, key=score)[:limit]
    return [_product_ref(session, p) for p in ranked]


def search_products_by_text(
    session: Session, text: str, *, limit: int, offset: int = 0
) -> tuple[list[Product], int]:
    """Products whose name (folded, via its slug) or an alias contains every word of ``text``."""
    words = [w for w in slugify(text).split("-") if w]
    conditions = []
    for word in words:
        in_alias = select(ProductAlias.product_id).where(
            col(ProductAlias.alias_folded).contains(word)
        )
        conditions.append(or_(col(Product.slug).contains(word), col(Product.id).in_(in_alias)))
    query = select(Product).where(*conditions).order_by(col(Product.name_vi), col(Product.id))
    rows = session.exec(query).all()
    return list(rows[offset : offset + limit]), len(rows)


def find_product(graph: CatalogGraph, reference: int | str) -> ProductRow | None:
    """The product of ``graph`` with this id, slug or alias (as :func:`resolve_product`),
    without the database."""
    number = row_id(reference)  # an id, as the API mostly asks
    found = graph.products.get(number) if number is not None else None
    if found is not None:
        return found
    text = clean(str(reference)) or ""
    number = row_id(text)
    found = graph.products.get(number) if number is not None else None
    if found is not None:
        return found
    slug = slugify(text)
    if not slug:
        return None
    product_id = graph.product_by_slug.get(slug)
    if product_id is None:
        product_id = graph.product_by_alias.get(fold(text))
    return graph.products.get(product_id) if product_id is not None else None


def _product_ref(session: Session, product: Product) -> ProductRef:
    category = session.get(ProductCategory, product.category_id) if product.category_id else None
    locality = session.get(Locality, product.locality_id) if product.locality_id else None
    return ProductRef(
        id=saved_id(product),
        slug=product.slug,
        name_vi=product.name_vi,
        name_en=product.name_en,
        kind=str(product.kind),
        category=category.name_vi if category else None,
        locality=locality.name_vi if locality else product.locality_text,
    )
