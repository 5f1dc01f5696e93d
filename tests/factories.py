"""The one way tests build catalogs: documents, editions, places, products, rules, declarations.

Every test catalog (the engine's tiny ones, the API's, the search and web datasets) is written
through :class:`CatalogBuilder`, so a change to the model is made here once; the API tests'
catalog is :func:`build_api_catalog`. Import them as ``from factories import CatalogBuilder``
(``tests/`` is on the path).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from api.auth import issue_key
from catalog.codes import parse_code
from catalog.declarations import scheme_of
from catalog.models import (
    ApplicabilityRule,
    Declaration,
    Document,
    DocumentRelation,
    Enterprise,
    Issuer,
    IssuerSuccession,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
    code_columns,
    saved_id,
)
from catalog.text import clean, fold, slugify
from catalog.vocab import (
    ApiRole,
    CodeScheme,
    DeclarationKind,
    IssuerKind,
    LocalityKind,
    ProductKind,
    RelationKind,
    Role,
    Scheme,
    Status,
    SubjectKind,
)

Row = TypeVar("Row", bound=SQLModel)


def document(code: str, **fields: Any) -> Document:
    """An unsaved document row with the code columns of ``code`` filled in."""
    return Document(**code_columns(parse_code(code)), **fields)


class CatalogBuilder:
    """Adds rows and flushes them, so ids are known at once; the test commits when it wants."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, row: Row) -> Row:
        self.session.add(row)
        self.session.flush()
        return row

    # --- documents and their relations ---------------------------------------------------

    def doc(
        self,
        code: str,
        *,
        status: Status = Status.IN_FORCE,
        effective_from: date | None = None,
        effective_to: date | None = None,
        issuer: Issuer | None = None,
        title: str | None = None,
        **fields: Any,
    ) -> Document:
        """A document; ``title`` defaults to "Tài liệu <code>". ``fields``: any other column."""
        return self._add(
            document(
                code,
                issuer_id=saved_id(issuer) if issuer else None,
                title_vi=title or f"Tài liệu {parse_code(code).canonical()}",
                status=status,
                effective_from=effective_from,
                effective_to=effective_to,
                **fields,
            )
        )

    def relate(
        self, source: Document, kind: RelationKind, target: Document, on: date | None = None
    ) -> DocumentRelation:
        return self._add(
            DocumentRelation(
                source_id=saved_id(source), target_id=saved_id(target), kind=kind, effective_on=on
            )
        )

    def replaces(self, new: Document, old: Document, on: date | None = None) -> DocumentRelation:
        return self.relate(new, RelationKind.REPLACES, old, on)

    def cites_mandatory(
        self, source: Document, target: Document, on: date | None = None
    ) -> DocumentRelation:
        return self.relate(source, RelationKind.CITES_MANDATORY, target, on)

    # --- places and issuers ----------------------------------------------------------------

    def locality(
        self,
        name: str,
        kind: LocalityKind = LocalityKind.PROVINCE,
        parent: Locality | None = None,
        *,
        slug: str | None = None,
        **fields: Any,
    ) -> Locality:
        """A place; ``slug`` defaults to the kind and name ("province-tuyen-quang")."""
        return self._add(
            Locality(
                slug=slug or slugify(f"{kind} {name}"),
                name_vi=name,
                kind=kind,
                parent_id=saved_id(parent) if parent else None,
                **fields,
            )
        )

    def locality_succession(self, old: Locality, new: Locality, on: date) -> None:
        self._add(
            LocalitySuccession(
                predecessor_id=saved_id(old), successor_id=saved_id(new), effective_on=on
            )
        )

    def issuer(
        self,
        code: str,
        name: str,
        kind: IssuerKind = IssuerKind.PROVINCE,
        locality: Locality | None = None,
    ) -> Issuer:
        return self._add(
            Issuer(
                code=code,
                name_vi=name,
                kind=kind,
                locality_id=saved_id(locality) if locality else None,
            )
        )

    def issuer_succession(self, old: Issuer, new: Issuer, on: date) -> None:
        self._add(
            IssuerSuccession(
                predecessor_id=saved_id(old), successor_id=saved_id(new), effective_on=on
            )
        )

    def merger(self) -> dict[str, Any]:
        """Hà Giang merges into Tuyên Quang on 2025-07-01 (places and provincial committees),
        with a district and a QCĐP of each province and one of Bến Tre, which stays apart."""
        tq = self.locality("Tuyên Quang")
        hg = self.locality("Hà Giang")
        bt = self.locality("Bến Tre")
        ham_yen = self.locality("Hàm Yên", LocalityKind.DISTRICT, tq)
        bac_me = self.locality("Bắc Mê", LocalityKind.DISTRICT, hg)
        self.locality_succession(hg, tq, date(2025, 7, 1))
        ubnd_tq = self.issuer("UBND-TQ", "UBND tỉnh Tuyên Quang", locality=tq)
        ubnd_hg = self.issuer("UBND-HG", "UBND tỉnh Hà Giang", locality=hg)
        ubnd_bt = self.issuer("UBND-BTr", "UBND tỉnh Bến Tre", locality=bt)
        self.issuer_succession(ubnd_hg, ubnd_tq, date(2025, 7, 1))
        return {
            "ham_yen": ham_yen,
            "bac_me": bac_me,
            "qcdp_tq": self.doc("QCĐP 01:2020/TQ", issuer=ubnd_tq),
            "qcdp_hg": self.doc("QCĐP 02:2020/HG", issuer=ubnd_hg),
            "qcdp_bt": self.doc("QCĐP 01:2022/BTr", issuer=ubnd_bt),
        }

    # --- products ----------------------------------------------------------------------------

    def category(
        self,
        name: str,
        parent: ProductCategory | None = None,
        *,
        name_en: str | None = None,
        slug: str | None = None,
    ) -> ProductCategory:
        return self._add(
            ProductCategory(
                slug=slug or slugify(name),
                name_vi=name,
                name_en=name_en,
                parent_id=saved_id(parent) if parent else None,
            )
        )

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
        slug: str | None = None,
        **fields: Any,
    ) -> Product:
        """A product with its HS and ICS codes and aliases. ``fields``: any other column."""
        product = self._add(
            Product(
                slug=slug or slugify(name),
                name_vi=clean(name),
                kind=kind,
                category_id=saved_id(category) if category else None,
                locality_id=saved_id(locality) if locality else None,
                ocop_stars=ocop_stars,
                **fields,
            )
        )
        for scheme, codes in ((CodeScheme.HS, hs), (CodeScheme.ICS, ics)):
            for code in codes:
                self._add(ProductCode(product_id=saved_id(product), scheme=scheme, code=code))
        for alias in aliases:
            self._add(
                ProductAlias(product_id=saved_id(product), alias=alias, alias_folded=fold(alias))
            )
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
        **fields: Any,
    ) -> ApplicabilityRule:
        """``subject`` is a product, a category, ``"hs:0805"`` or ``"ics:67.040"``."""
        subject_fields: dict[str, Any]
        if isinstance(subject, Product):
            subject_fields = dict(subject_kind=SubjectKind.PRODUCT, product_id=saved_id(subject))
            key = f"product:{subject.slug}"
        elif isinstance(subject, ProductCategory):
            subject_fields = dict(subject_kind=SubjectKind.CATEGORY, category_id=saved_id(subject))
            key = f"category:{subject.slug}"
        else:
            scheme, code = subject.split(":", 1)
            kind = SubjectKind.HS_PREFIX if scheme == "hs" else SubjectKind.ICS
            subject_fields = dict(subject_kind=kind, subject_code=code)
            key = f"{kind}:{code}"
        return self._add(
            ApplicabilityRule(
                **subject_fields,
                subject_key=key,
                document_id=saved_id(document),
                role=role,
                condition=condition,
                legal_basis=legal_basis,
                valid_from=valid_from,
                valid_to=valid_to,
                **fields,
            )
        )

    # --- enterprises and their declarations ----------------------------------------------------

    def enterprise(self, name: str, tax_code: str | None = None) -> Enterprise:
        return self._add(Enterprise(slug=slugify(name), name=name, tax_code=tax_code))

    def declaration(
        self,
        enterprise: Enterprise,
        kind: DeclarationKind,
        on: date,
        *,
        product: Product | None = None,
        document: str | None = None,
        scheme: Scheme | None = None,
        valid_until: date | None = None,
        supported: bool = False,
        number: str | None = None,
    ) -> Declaration:
        code = parse_code(document).canonical() if document else None
        number = number or f"{kind.value}-{enterprise.id}-{on.isoformat()}-{code or scheme}"
        return self._add(
            Declaration(
                key=f"{kind.value}:{number}",
                kind=kind,
                number=number,
                enterprise_id=saved_id(enterprise),
                product_id=saved_id(product) if product else None,
                document_code=code,
                scheme=scheme or scheme_of(code),
                declared_on=on,
                valid_until=valid_until,
                program_supported=supported,
            )
        )


@dataclass
class ApiCatalog:
    """The API tests' catalog: ids of its three products, and a key per role."""

    orange_id: int
    pomelo_id: int
    tea_id: int
    keys: dict[str, str]


def build_api_catalog(session: Session) -> ApiCatalog:
    """Three products, a category tree, an edition chain, a citation and a local regulation."""
    cat = CatalogBuilder(session)
    tq = cat.locality("Tuyên Quang")
    ham_yen = cat.locality("Hàm Yên", LocalityKind.DISTRICT, tq)
    na_hang = cat.locality("Na Hang", LocalityKind.DISTRICT, tq)
    ubnd = cat.issuer("UBND-TQ", "UBND tỉnh Tuyên Quang", locality=tq)
    food = cat.category("Thực phẩm")
    fruit = cat.category("Trái cây", food)
    tea_cat = cat.category("Chè", food)
    orange = cat.product(
        "Cam sành Hàm Yên",
        category=fruit,
        locality=ham_yen,
        kind=ProductKind.GEOGRAPHICAL_INDICATION,
        hs=("080510",),
        aliases=("Cam Hàm Yên",),
    )
    pomelo = cat.product("Bưởi Soi Hà", category=fruit, locality=tq, hs=("080540",))
    tea = cat.product(
        "Chè Shan tuyết Na Hang",
        category=tea_cat,
        locality=na_hang,
        hs=("090210",),
        ocop_stars=4,
        kind=ProductKind.OCOP,
    )
    qcvn = cat.doc("QCVN 8-2:2011/BYT", effective_from=date(2012, 1, 1), title="Kim loại nặng")
    method = cat.doc("TCVN 7602:2007", title="Xác định chì")
    old_orange = cat.doc("TCVN 1873:2007", title="Cam quả tươi")
    new_orange = cat.doc("TCVN 1873:2014", effective_from=date(2014, 6, 1), title="Cam quả tươi")
    haccp_old = cat.doc("TCVN 5603:2008", title="Nguyên tắc chung về vệ sinh thực phẩm")
    haccp = cat.doc("TCVN 5603:2023", effective_from=date(2023, 6, 1), title="HACCP")
    qcdp = cat.doc("QCĐP 01:2020/TQ", issuer=ubnd, title="Chè Shan tuyết")
    cat.replaces(new_orange, old_orange, on=date(2014, 6, 1))
    cat.replaces(haccp, haccp_old, on=date(2023, 6, 1))
    cat.cites_mandatory(qcvn, method)
    cat.rule(food, qcvn, Role.MANDATORY_REGULATION)
    cat.rule("hs:0805", old_orange, Role.PRODUCT_STANDARD, condition="quả tươi")
    cat.rule(food, haccp, Role.MANAGEMENT_SYSTEM)
    cat.rule(tea_cat, qcdp, Role.MANDATORY_REGULATION)
    cat.doc("TCVN 9999:2030", status=Status.NOT_YET_IN_FORCE)
    session.commit()
    keys = {role.value: issue_key(session, f"test {role}", role).key for role in ApiRole}
    return ApiCatalog(saved_id(orange), saved_id(pomelo), saved_id(tea), keys)
