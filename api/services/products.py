"""Products: listing with filters, one product in full, and audited creation and updates."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

import msgspec
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.problems import NotFound, Problem
from api.schemas import (
    ProductCreate,
    ProductDetail,
    ProductPage,
    ProductSummary,
    ProductUpdate,
)
from api.services.audit import Audit
from catalog import clock
from catalog.models import (
    PRODUCT_SLUG_MAX,
    Enterprise,
    Locality,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
    saved_id,
    utcnow,
)
from catalog.products import ProductNotFound, resolve_product, search_products_by_text
from catalog.text import clean, fold, slugify
from catalog.vocab import CodeScheme, ProductKind


def product_not_found(exc: ProductNotFound) -> NotFound:
    return NotFound(
        "product",
        exc.reference,
        [{"id": s.id, "slug": s.slug, "name": s.name_vi} for s in exc.suggestions],
    )


class ProductService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, reference: str | int) -> Product:
        try:
            return resolve_product(self.session, reference)
        except ProductNotFound as exc:
            raise product_not_found(exc) from exc

    def list(
        self,
        *,
        q: str | None,
        kind: ProductKind | None,
        category: str | None,
        locality: str | None,
        ocop_stars: int | None,
        limit: int,
        offset: int,
    ) -> ProductPage:
        query = select(Product)
        if q and clean(q):
            matching, _ = search_products_by_text(self.session, q, limit=10**9)
            query = query.where(col(Product.id).in_([p.id for p in matching]))
        if kind is not None:
            query = query.where(Product.kind == kind)
        if category:
            query = query.where(col(Product.category_id).in_(self._category_subtree(category)))
        if locality:
            query = query.where(col(Product.locality_id).in_(self._locality_subtree(locality)))
        if ocop_stars is not None:
            query = query.where(Product.ocop_stars == ocop_stars)
        total = self.session.exec(select(func.count()).select_from(query.subquery())).one()
        rows = self.session.exec(
            query.order_by(col(Product.name_vi), col(Product.id)).limit(limit).offset(offset)
        ).all()
        return ProductPage(
            total=total, limit=limit, offset=offset, items=self.summaries(list(rows))
        )

    def summaries(self, products: builtins.list[Product]) -> builtins.list[ProductSummary]:
        categories = self._names(ProductCategory, {p.category_id for p in products})
        localities = self._names(Locality, {p.locality_id for p in products})
        return [
            ProductSummary(
                id=saved_id(p),
                slug=p.slug,
                name_vi=p.name_vi,
                name_en=p.name_en,
                kind=ProductKind(p.kind),
                category=categories.get(p.category_id),
                locality=localities.get(p.locality_id) or p.locality_text,
                ocop_stars=p.ocop_stars,
                geographical_indication=p.geographical_indication,
            )
            for p in products
        ]

    def detail(self, product: Product) -> ProductDetail:
        summary = self.summaries([product])[0]
        codes = self.session.exec(
            select(ProductCode)
            .where(ProductCode.product_id == product.id)
            .order_by(col(ProductCode.code))
        ).all()
        aliases = self.session.exec(
            select(ProductAlias.alias)
            .where(ProductAlias.product_id == product.id)
            .order_by(col(ProductAlias.alias))
        ).all()
        producer = (
            self.session.get(Enterprise, product.producer_id) if product.producer_id else None
        )
        return ProductDetail(
            **{f: getattr(summary, f) for f in summary.__struct_fields__},
            category_path=self._category_path(product.category_id),
            hs_codes=[c.code for c in codes if c.scheme == CodeScheme.HS],
            ics_codes=[c.code for c in codes if c.scheme == CodeScheme.ICS],
            aliases=list(aliases),
            ocop_decision=product.ocop_decision,
            ocop_rated_on=product.ocop_rated_on,
            ocop_valid_until=product.ocop_valid_until,
            producer=producer.name if producer else None,
            description=product.description,
            updated_at=clock.local(product.updated_at),
        )

    # -- writes --

    def create(self, data: ProductCreate, audit: Audit) -> ProductDetail:
        name = clean(data.name_vi)
        slug = slugify(name or "")[:PRODUCT_SLUG_MAX]  # a name may be longer than its slug
        if not name or not slug:
            raise Problem(400, "Invalid request", "body field 'name_vi' has no letters or digits")
        if self.session.exec(select(Product.id).where(Product.slug == slug)).first():
            raise Problem(409, "Product exists", f"a product with slug {slug!r} already exists")
        product = Product(
            slug=slug,
            name_vi=name,
            name_en=clean(data.name_en),
            kind=data.kind,
            category_id=self._category_id(data.category),
            locality_id=self._locality_id(data.locality),
            geographical_indication=data.geographical_indication,
            ocop_stars=data.ocop_stars,
            ocop_decision=clean(data.ocop_decision),
            description=clean(data.description),
            source="api",
        )
        self.session.add(product)
        self.session.flush()
        self._set_codes(product, data.hs_codes, data.ics_codes)
        self._set_aliases(product, data.aliases)
        detail = self.detail(product)
        audit.record("create", "product", product.id, None, detail)
        self.session.commit()
        return detail

    def update(self, product: Product, data: ProductUpdate, audit: Audit) -> ProductDetail:
        before = self.detail(product)
        sent = {
            f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET
        }
        for field in ("name_vi", "name_en", "description"):
            if field in sent:
                value = clean(sent[field])
                if field == "name_vi" and not value:
                    raise Problem(400, "Invalid request", "body field 'name_vi' is empty")
                setattr(product, field, value)
        for field in ("kind", "geographical_indication", "ocop_stars"):
            if field in sent:
                setattr(product, field, sent[field])
        if "category" in sent:
            product.category_id = self._category_id(sent["category"])
        if "locality" in sent:
            product.locality_id = self._locality_id(sent["locality"])
        if "hs_codes" in sent or "ics_codes" in sent:
            self._set_codes(
                product,
                sent.get("hs_codes", before.hs_codes),
                sent.get("ics_codes", before.ics_codes),
            )
        if "aliases" in sent:
            self._set_aliases(product, sent["aliases"])
        product.updated_at = utcnow()
        self.session.add(product)
        self.session.flush()
        after = self.detail(product)
        audit.record("update", "product", product.id, before, after)
        self.session.commit()
        return after

    # -- helpers --

    def _set_codes(self, product: Product, hs: builtins.list[str], ics: builtins.list[str]) -> None:
        for row in self.session.exec(
            select(ProductCode).where(ProductCode.product_id == product.id)
        ):
            self.session.delete(row)
        self.session.flush()
        for scheme, codes in ((CodeScheme.HS, hs), (CodeScheme.ICS, ics)):
            for code in dict.fromkeys(codes):
                self.session.add(
                    ProductCode(product_id=saved_id(product), scheme=scheme, code=code)
                )
        self.session.flush()

    def _set_aliases(self, product: Product, aliases: builtins.list[str]) -> None:
        for row in self.session.exec(
            select(ProductAlias).where(ProductAlias.product_id == product.id)
        ):
            self.session.delete(row)
        self.session.flush()
        for alias in dict.fromkeys(a for a in map(clean, aliases) if a):
            self.session.add(
                ProductAlias(product_id=saved_id(product), alias=alias, alias_folded=fold(alias))
            )
        self.session.flush()

    def _category_id(self, slug: str | None) -> int | None:
        if slug is None:
            return None
        found = self.session.exec(
            select(ProductCategory.id).where(ProductCategory.slug == slugify(slug))
        ).first()
        if found is None:
            raise Problem(400, "Invalid request", f"body field 'category': no category {slug!r}")
        return found

    def _locality_id(self, slug: str | None) -> int | None:
        if slug is None:
            return None
        found = self.session.exec(select(Locality.id).where(Locality.slug == slugify(slug))).first()
        if found is None:
            raise Problem(400, "Invalid request", f"body field 'locality': no locality {slug!r}")
        return found

    def _category_subtree(self, slug: str) -> builtins.list[int]:
        rows = self.session.exec(select(ProductCategory.id, ProductCategory.parent_id)).all()
        root = self.session.exec(
            select(ProductCategory.id).where(ProductCategory.slug == slugify(slug))
        ).first()
        return _subtree(root, rows)

    def _locality_subtree(self, slug: str) -> builtins.list[int]:
        rows = self.session.exec(select(Locality.id, Locality.parent_id)).all()
        root = self.session.exec(select(Locality.id).where(Locality.slug == slugify(slug))).first()
        return _subtree(root, rows)

    def _category_path(self, category_id: int | None) -> builtins.list[str]:
        path: list[str] = []
        seen: set[int] = set()
        while category_id is not None and category_id not in seen:
            seen.add(category_id)
            category = self.session.get(ProductCategory, category_id)
            if category is None:
                break
            path.insert(0, category.name_vi)
            category_id = category.parent_id
        return path

    def _names(
        self, model: type[ProductCategory] | type[Locality], ids: set[int | None]
    ) -> dict[int | None, str]:
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return dict(
            self.session.exec(select(model.id, model.name_vi).where(col(model.id).in_(ids))).all()
        )


def _subtree(root: int | None, rows: Iterable[tuple[int | None, int | None]]) -> list[int]:
    if root is None:
        return []
    children: dict[int | None, list[int]] = {}
    for node, parent in rows:
        if node is not None:  # ids of stored rows
            children.setdefault(parent, []).append(node)
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node not in found:
            found.append(node)
            stack.extend(children.get(node, []))
    return found
