"""A small hand-built catalog for tests: documents, editions, products, places and rules."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from catalog.codes import parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    Issuer,
    IssuerSuccession,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
    code_columns,
)
from catalog.text import clean, fold, slugify
from catalog.vocab import (
    CodeScheme,
    IssuerKind,
    LocalityKind,
    ProductKind,
    RelationKind,
    Role,
    Status,
    SubjectKind,
)


class CatalogBuilder:
    """Adds rows and flushes them, so ids are known at once; the test commits when it wants."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, row):
        self.session.add(row)
        self.session.flush()
        return row

    def doc(
        self,
        code: str,
        *,
        status: Status = Status.IN_FORCE,
        effective_from: date | None = None,
        effective_to: date | None = None,
        issuer: Issuer | None = None,
        title: str | None = None,
    ) -> Document:
        parsed = parse_code(code)
        return self._add(
            Document(
                **code_columns(parsed),
                issuer_id=issuer.id if issuer else None,
                title_vi=title or f"Tài liệu {parsed.canonical()}",
                status=status,
                effective_from=effective_from,
                effective_to=effective_to,
            )
        )

    def relate(
        self, source: Document, kind: RelationKind, target: Document, on: date | None = None
    ) -> DocumentRelation:
        return self._add(
            DocumentRelation(source_id=source.id, target_id=target.id, kind=kind, effective_on=on)
        )

    def replaces(self, new: Document, old: Document, on: date | None = None) -> DocumentRelation:
        return self.relate(new, RelationKind.REPLACES, old, on)

    def cites_mandatory(self, source: Document, target: Document, on: date | None = None):
        return self.relate(source, RelationKind.CITES_MANDATORY, target, on)

    def category(self, name: str, parent: ProductCategory | None = None) -> ProductCategory:
        return self._add(
            ProductCategory(
                slug=slugify(name), name_vi=name, parent_id=parent.id if parent else None
            )
        )

    def locality(
        self, name: str, kind: LocalityKind = LocalityKind.PROVINCE, parent: Locality | None = None
    ) -> Locality:
        return self._add(
            Locality(
                slug=slugify(f"{kind} {name}"),
                name_vi=name,
                kind=kind,
                parent_id=parent.id if parent else None,
            )
        )

    def locality_succession(self, old: Locality, new: Locality, on: date) -> None:
        self._add(LocalitySuccession(predecessor_id=old.id, successor_id=new.id, effective_on=on))

    def issuer(
        self, code: str, name: str, kind: IssuerKind = IssuerKind.PROVINCE, locality=None
    ) -> Issuer:
        return self._add(
            Issuer(
                code=code, name_vi=name, kind=kind, locality_id=locality.id if locality else None
            )
        )

    def issuer_succession(self, old: Issuer, new: Issuer, on: date) -> None:
        self._add(IssuerSuccession(predecessor_id=old.id, successor_id=new.id, effective_on=on))

    def product(
        self,
        name: str,
        *,
        category: ProductCategory | None = None,
        locality: Locality | None = None,
        kind: ProductKind = ProductKind.SPECIALTY,
        hs: tuple[str, ...] = (),
        ics: tuple[str, ...] = (),
        aliases: tuple[str, ...] = (),
        ocop_stars: int | None = None,
    ) -> Product:
        product = self._add(
            Product(
                slug=slugify(name),
                name_vi=clean(name),
                kind=kind,
                category_id=category.id if category else None,
                locality_id=locality.id if locality else None,
                ocop_stars=ocop_stars,
            )
        )
        for scheme, codes in ((CodeScheme.HS, hs), (CodeScheme.ICS, ics)):
            for code in codes:
                self._add(ProductCode(product_id=product.id, scheme=scheme, code=code))
        for alias in aliases:
            self._add(ProductAlias(product_id=product.id, alias=alias, alias_folded=fold(alias)))
        return product

    def rule(
        self,
        subject: Product | ProductCategory | str,
        document: Document,
        role: Role,
        *,
        condition: str | None = None,
        legal_basis: str | None = None,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> ApplicabilityRule:
        """``subject`` is a product, a category, ``"hs:0805"`` or ``"ics:67.040"``."""
        fields: dict = {}
        if isinstance(subject, Product):
            fields = dict(subject_kind=SubjectKind.PRODUCT, product_id=subject.id)
            key = f"product:{subject.slug}"
        elif isinstance(subject, ProductCategory):
            fields = dict(subject_kind=SubjectKind.CATEGORY, category_id=subject.id)
            key = f"category:{subject.slug}"
        else:
            scheme, code = subject.split(":", 1)
            kind = SubjectKind.HS_PREFIX if scheme == "hs" else SubjectKind.ICS
            fields = dict(subject_kind=kind, subject_code=code)
            key = f"{kind}:{code}"
        return self._add(
            ApplicabilityRule(
                **fields,
                subject_key=key,
                document_id=document.id,
                role=role,
                condition=condition,
                legal_basis=legal_basis,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
