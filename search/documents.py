"""Index records built from the catalog: one dict per document and per product.

:func:`document_record` and :func:`product_record` are pure (rows in, dict out); the
loaders read the rows they need in a few queries and hand them over. What a document
"applies to" comes from :func:`rule_product_names`, which reads ApplicabilityRule
subjects directly (product, category subtree, HS prefix, ICS field); a caller with a
richer engine can pass its own ``applies_to`` mapping instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalog.codes import DocType, DocumentCode, parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentIcs,
    DocumentRelation,
    Enterprise,
    FieldChange,
    IcsField,
    Issuer,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
    saved_id,
    stored_id,
)
from catalog.text import fold
from catalog.vocab import CodeScheme, RelationKind, Role, Status, SubjectKind

DOCUMENTS = "documents"
PRODUCTS = "products"
META = "meta"


@dataclass(frozen=True)
class DocumentContext:
    """What a document's record needs besides its row."""

    issuer_name: str | None = None
    ics: tuple[tuple[str, str | None], ...] = ()  # (code, Vietnamese name)
    applies_to: tuple[str, ...] = ()  # product names
    superseded_by: str | None = None  # code of the edition that replaces it
    made_mandatory: bool = False  # by a rule or a citing regulation


@dataclass(frozen=True)
class ProductContext:
    aliases: tuple[str, ...] = ()
    category_path: tuple[str, ...] = ()  # root first, Vietnamese and English names
    hs_codes: tuple[str, ...] = ()
    ics: tuple[str, ...] = ()
    localities: tuple[str, ...] = ()  # the locality, its parents and successors (old and new)
    producer: str | None = None


def code_of(doc: Document) -> DocumentCode:
    """The document's code as a :class:`DocumentCode` (``Document.code`` is canonical)."""
    return parse_code(doc.code)


STANDARD_TYPES = frozenset({DocType.TCVN, DocType.QCVN, DocType.QCDP, DocType.TCCS, DocType.SECTOR})


# Ranking among equally relevant documents: in force first, superseded and withdrawn last.
STATUS_RANK = {
    Status.IN_FORCE: 3,
    Status.NOT_YET_IN_FORCE: 2,
    Status.UNKNOWN: 1,
    Status.DRAFT: 1,
    Status.SUPERSEDED: 0,
    Status.WITHDRAWN: 0,
}


def number_key(number: str) -> str:
    """A document number without zero padding: "01" → "1"; the filter key of code lookups."""
    return number.lstrip("0") or "0"


def code_variants(doc: Document) -> list[str]:
    """Ways people write the code: without year, without issuer, without prefix."""
    code = code_of(doc)
    base = code.number + (f"-{code.part}" if code.part else "")
    if doc.doc_type not in STANDARD_TYPES:  # "43/2017/NĐ-CP": also "43/NĐ-CP", "43/2017"
        variants = [doc.code, f"{code.number}/{code.prefix}"]
        variants += [f"{code.number}/{doc.year}"] if doc.year else []
    else:
        variants = [doc.code, f"{code.prefix} {base}"]
        variants += [f"{base}:{doc.year}"] if doc.year else []
        variants += [f"{code.prefix} {base}/{code.issuer}"] if code.issuer else []
    return list(dict.fromkeys(variants))


def compact_keys(doc: Document) -> list[str]:
    """Exact-lookup keys, matched without typos: "tcvn56032023", "tcvn5603", "56032023"."""
    keys = [doc.compact]
    if doc.doc_type in STANDARD_TYPES:
        code = code_of(doc)
        numbers = [code.number, *(code.part.split("-") if code.part else [])]
        unpadded = "-".join(number_key(n) for n in numbers)
        prefix = re.sub(r"[^a-z0-9]", "", fold(code.prefix))
        keys += [f"{prefix}{unpadded}", f"{unpadded}{doc.year or ''}"]
    return list(dict.fromkeys(keys))


# Fields of a document record that come from other tables (rules, products, categories,
# relations, issuers, ICS links): they change without the document's updated_at.
DERIVED_DOCUMENT_FIELDS = (
    "applies_to", "mandatory", "superseded", "superseded_by", "issuer", "ics", "ics_names",
)  # fmt: skip


def document_record(doc: Document, context: DocumentContext) -> dict[str, Any]:
    """The ``documents`` index record of one document."""
    superseded = doc.status == Status.SUPERSEDED or context.superseded_by is not None
    return {
        "id": doc.id,
        "type": "document",
        "code": doc.code,
        "slug": doc.slug,
        "compact": compact_keys(doc),
        "code_variants": code_variants(doc),
        "family": doc.family,
        "number_key": number_key(doc.number),
        "doc_type": doc.doc_type.value,
        "doc_type_label": doc.doc_type.label_vi,
        "title_vi": doc.title_vi,
        "title_en": doc.title_en,
        "scope": doc.scope,
        "status": doc.status.value,
        "status_label": doc.status.label_vi,
        "in_force": doc.status == Status.IN_FORCE,
        "status_rank": STATUS_RANK[doc.status],
        "superseded": superseded,
        "superseded_by": context.superseded_by,
        "issuer": context.issuer_name,
        "issuer_code": doc.issuer_code,
        "ics": [code for code, _ in context.ics],
        "ics_names": [name for _, name in context.ics if name],
        "year": doc.year,
        "mandatory": doc.doc_type.mandatory or context.made_mandatory,
        "applies_to": list(context.applies_to),
    }


def product_record(product: Product, context: ProductContext) -> dict[str, Any]:
    """The ``products`` index record of one product."""
    return {
        "id": product.id,
        "type": "product",
        "slug": product.slug,
        "name": product.name_vi,
        "name_en": product.name_en,
        "aliases": list(context.aliases),
        "category_path": list(context.category_path),
        "kind": product.kind.value,
        "kind_label": product.kind.label_vi,
        "ocop_stars": product.ocop_stars,
        "geographical_indication": product.geographical_indication,
        "hs_codes": list(context.hs_codes),
        "ics": list(context.ics),
        "locality": list(context.localities),
        "producer": context.producer,
        "description": product.description,
    }


# --- loaders -------------------------------------------------------------------------------


@dataclass
class _Catalog:
    """The small tables every record needs, read once."""

    categories: dict[int, ProductCategory] = field(default_factory=dict)
    localities: dict[int, Locality] = field(default_factory=dict)
    successors: dict[int, list[int]] = field(default_factory=dict)
    codes: dict[int, list[ProductCode]] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)

    @classmethod
    def read(cls, session: Session) -> _Catalog:
        catalog = cls()
        catalog.categories = {saved_id(c): c for c in session.exec(select(ProductCategory))}
        catalog.localities = {saved_id(loc): loc for loc in session.exec(select(Locality))}
        for link in session.exec(select(LocalitySuccession)):
            catalog.successors.setdefault(link.predecessor_id, []).append(link.successor_id)
        for code in session.exec(select(ProductCode)):
            catalog.codes.setdefault(code.product_id, []).append(code)
        catalog.products = {saved_id(p): p for p in session.exec(select(Product))}
        return catalog

    def category_chain(self, category_id: int | None) -> list[ProductCategory]:
        """The category and its ancestors, root first."""
        chain: list[ProductCategory] = []
        seen: set[int] = set()
        while category_id is not None and category_id not in seen:
            seen.add(category_id)
            category = self.categories.get(category_id)
            if category is None:
                break
            chain.append(category)
            category_id = category.parent_id
        return chain[::-1]

    def locality_names(self, locality_id: int | None) -> list[str]:
        """The locality, its parents, and every successor (with theirs), old names first."""
        names: list[str] = []
        todo = [locality_id] if locality_id is not None else []
        seen: set[int] = set()
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.localities:
                continue
            seen.add(current)
            locality = self.localities[current]
            names.append(locality.name_vi)
            todo += self.successors.get(current, [])
            if locality.parent_id is not None:
                todo.append(locality.parent_id)
        return list(dict.fromkeys(names))


def rule_product_names(session: Session, catalog: _Catalog | None = None) -> dict[int, list[str]]:
    """Names of the products each document applies to, from ApplicabilityRule subjects.

    A rule on a category reaches the products of its subtree, an HS prefix the products
    whose HS code starts with it, an ICS field the products classified in or under it.
    """
    catalog = catalog or _Catalog.read(session)
    by_product: dict[int, set[int]] = defaultdict(set)  # product id → category ids (ancestors)
    for product_id, product in catalog.products.items():
        by_product[product_id] = {saved_id(c) for c in catalog.category_chain(product.category_id)}
    names: dict[int, set[str]] = defaultdict(set)
    for rule in session.exec(select(ApplicabilityRule)):
        for product_id, product in catalog.products.items():
            codes = catalog.codes.get(product_id, [])
            if _rule_reaches(rule, product_id, by_product[product_id], codes):
                names[rule.document_id].add(product.name_vi)
    return {doc_id: sorted(found) for doc_id, found in names.items()}


def _rule_reaches(
    rule: ApplicabilityRule, product_id: int, categories: set[int], codes: list[ProductCode]
) -> bool:
    if rule.subject_kind == SubjectKind.PRODUCT:
        return rule.product_id == product_id
    if rule.subject_kind == SubjectKind.CATEGORY:
        return rule.category_id in categories
    scheme = CodeScheme.HS if rule.subject_kind == SubjectKind.HS_PREFIX else CodeScheme.ICS
    wanted = _digits(rule.subject_code or "")
    return bool(wanted) and any(
        c.scheme == scheme and _digits(c.code).startswith(wanted) for c in codes
    )


def _digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", code)


def load_document_records(
    engine: Engine,
    ids: Iterable[int] | None = None,
    applies_to: Mapping[int, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Records of the documents with ``ids`` (all when None), ordered by id."""
    with Session(engine) as session:
        query = select(Document).order_by(col(Document.id))
        if ids is not None:
            query = query.where(col(Document.id).in_(list(ids)))
        docs = list(session.exec(query))
        issuers = {i.id: i.name_vi for i in session.exec(select(Issuer))}
        ics_names = {f.code: f.name_vi for f in session.exec(select(IcsField))}
        ics: dict[int, list[str]] = defaultdict(list)
        for link in session.exec(select(DocumentIcs).order_by(col(DocumentIcs.ics_code))):
            ics[link.document_id].append(link.ics_code)
        codes = dict(session.exec(select(Document.id, Document.code)).all())
        replaced_by: dict[int, str] = {}
        mandatory: set[int] = set()
        for rel in session.exec(select(DocumentRelation)):
            if rel.kind == RelationKind.REPLACES:
                replaced_by[rel.target_id] = codes[rel.source_id]
            elif rel.kind == RelationKind.CITES_MANDATORY:
                mandatory.add(rel.target_id)
        mandatory |= set(
            session.exec(
                select(ApplicabilityRule.document_id).where(
                    ApplicabilityRule.role == Role.MANDATORY_REGULATION
                )
            )
        )
        if applies_to is None:
            applies_to = rule_product_names(session)
    records = []
    for doc in docs:
        doc_id = saved_id(doc)
        context = DocumentContext(
            issuer_name=issuers.get(doc.issuer_id) if doc.issuer_id else None,
            ics=tuple((code, ics_names.get(code)) for code in ics.get(doc_id, [])),
            applies_to=tuple(applies_to.get(doc_id, [])),
            superseded_by=replaced_by.get(doc_id),
            made_mandatory=doc_id in mandatory,
        )
        records.append(document_record(doc, context))
    return records


def load_product_records(engine: Engine, ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Records of the products with ``ids`` (all when None), ordered by id."""
    with Session(engine) as session:
        catalog = _Catalog.read(session)
        wanted = set(ids) if ids is not None else None
        aliases: dict[int, list[str]] = defaultdict(list)
        for alias in session.exec(select(ProductAlias).order_by(col(ProductAlias.id))):
            aliases[alias.product_id].append(alias.alias)
        producers = {e.id: e.name for e in session.exec(select(Enterprise))}
    records = []
    for product_id, product in sorted(catalog.products.items()):
        if wanted is not None and product_id not in wanted:
            continue
        chain = catalog.category_chain(product.category_id)
        codes = catalog.codes.get(product_id, [])
        localities = catalog.locality_names(product.locality_id)
        if product.locality_text:
            localities.append(product.locality_text)
        context = ProductContext(
            aliases=tuple(aliases.get(product_id, [])),
            category_path=tuple(
                name for c in chain for name in (c.name_vi, c.name_en) if name is not None
            ),
            hs_codes=tuple(sorted(c.code for c in codes if c.scheme == CodeScheme.HS)),
            ics=tuple(sorted(c.code for c in codes if c.scheme == CodeScheme.ICS)),
            localities=tuple(dict.fromkeys(localities)),
            producer=producers.get(product.producer_id) if product.producer_id else None,
        )
        records.append(product_record(product, context))
    return records


def changed_since(engine: Engine, since: datetime) -> tuple[set[int], set[int]]:
    """Ids of documents and products updated after ``since`` (by updated_at or FieldChange)."""
    with Session(engine) as session:
        docs = {
            stored_id(i)
            for i in session.exec(select(Document.id).where(Document.updated_at > since))
        }
        products = {
            stored_id(i) for i in session.exec(select(Product.id).where(Product.updated_at > since))
        }
        for table, record_id in session.exec(
            select(FieldChange.table_name, FieldChange.record_id).where(
                FieldChange.changed_at > since
            )
        ):
            if table == Document.__tablename__:
                docs.add(record_id)
            elif table == Product.__tablename__:
                products.add(record_id)
    return docs, products
