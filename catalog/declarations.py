"""The declarations registry: conformity declarations (hợp chuẩn, hợp quy), food
self-declarations (tự công bố) and certificates of systems and practices (ISO 9001,
ISO 22000, HACCP, VietGAP, organic, traceability) held by the province's enterprises.

:func:`save_declaration` is the one way in (used by the spreadsheet import and the API):
it links the enterprise (found by tax code, else by name; created when new), the product
(by slug, name or alias; kept as text when the register names something the catalog does
not list) and the document (by canonical code; kept as code when not in the catalog),
derives the scheme from the document or the text, and upserts by natural key with the
field-level history of :mod:`catalog.upsert`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from catalog import clock
from catalog.codes import CodeError, parse_code
from catalog.gtin import parse_gtin
from catalog.models import (
    ENTERPRISE_SLUG_MAX,
    Declaration,
    Document,
    Enterprise,
    Product,
    ProductGtin,
    saved_id,
)
from catalog.products import ProductNotFound, resolve_product
from catalog.reports.tables import Table
from catalog.text import fold, slugify
from catalog.upsert import ChangeContext, UpsertResult, upsert
from catalog.vocab import DeclarationKind, Scheme

# Document families (``DocumentCode.family_key`` prefixes) and words that name a scheme.
_SCHEME_FAMILIES = (
    ("tcvn-iso-9001", Scheme.ISO_9001),
    ("tcvn-iso-22000", Scheme.ISO_22000),
    ("tcvn-5603", Scheme.HACCP),
    ("tcvn-11892", Scheme.VIETGAP),
    ("tcvn-11041", Scheme.ORGANIC),
    ("tcvn-12850", Scheme.TRACEABILITY),
)
_SCHEME_WORDS = (
    ("iso 9001", Scheme.ISO_9001),
    ("iso 22000", Scheme.ISO_22000),
    ("haccp", Scheme.HACCP),
    ("vietgap", Scheme.VIETGAP),
    ("viet gap", Scheme.VIETGAP),
    ("huu co", Scheme.ORGANIC),
    ("organic", Scheme.ORGANIC),
    ("truy xuat nguon goc", Scheme.TRACEABILITY),
    ("traceability", Scheme.TRACEABILITY),
)


class DeclarationError(ValueError):
    """A declaration cannot be recorded; the message names the field and why."""


@dataclass(frozen=True)
class DeclarationInput:
    """One declaration as a register or an API client states it (already cleaned)."""

    kind: DeclarationKind
    enterprise: str
    declared_on: date
    number: str | None = None
    tax_code: str | None = None
    product: str | None = None
    gtin: str | None = None  # the product's barcode number, checked (catalog.gtin)
    document: str | None = None  # a code as written, or a scheme name ("VietGAP")
    certifying_body: str | None = None
    valid_until: date | None = None
    program_supported: bool = False
    note: str | None = None


def scheme_of(document_code: str | None, text: str | None = None) -> Scheme | None:
    """The scheme a document or a phrase names: ``TCVN 11892-1:2017`` → VietGAP."""
    if document_code:
        try:
            family = parse_code(document_code).family_key()
        except CodeError:
            family = ""
        for prefix, scheme in _SCHEME_FAMILIES:
            if family == prefix or family.startswith(prefix + "-"):
                return scheme
    folded = fold(text or document_code or "")
    for words, scheme in _SCHEME_WORDS:
        if words in folded:
            return scheme
    return None


def read_document(text: str | None, kind: DeclarationKind) -> tuple[str | None, Scheme | None]:
    """A "declared against" cell as (canonical code, scheme); at least one must be found."""
    if not text:
        raise DeclarationError("document: the standard, regulation or scheme is missing")
    try:
        code = parse_code(text).canonical()
    except CodeError as exc:
        scheme = scheme_of(None, text)
        if scheme is None:
            raise DeclarationError(
                f"document: {text!r} is neither a document code ({exc}) nor a known scheme "
                "(ISO 9001, ISO 22000, HACCP, VietGAP, hữu cơ, truy xuất nguồn gốc)"
            ) from exc
        return None, scheme
    if kind == DeclarationKind.CONFORMITY_REGULATION and not parse_code(code).doc_type.mandatory:
        raise DeclarationError(
            f"document: a declaration of conformity to a regulation (hợp quy) names a QCVN or "
            f"QCĐP, not {code}"
        )
    return code, scheme_of(code, text)


def natural_key(item: DeclarationInput, document_code: str | None, scheme: Scheme | None) -> str:
    if item.number:
        return f"{item.kind.value}:{fold(item.number).replace(' ', '')}"
    parts = [
        item.kind.value,
        item.tax_code or slugify(item.enterprise),
        slugify(item.product or ""),
        document_code or (scheme.value if scheme else ""),
        item.declared_on.isoformat(),
    ]
    return ":".join(parts)


def save_declaration(
    session: Session,
    item: DeclarationInput,
    *,
    context: ChangeContext,
    provenance: Mapping[str, Any] | None = None,
) -> UpsertResult:
    """Record ``item`` (see the module docstring); raises :class:`DeclarationError`."""
    if item.valid_until is not None and item.valid_until < item.declared_on:
        raise DeclarationError(
            f"valid_until: {item.valid_until.isoformat()} is before the declaration date "
            f"{item.declared_on.isoformat()}"
        )
    code, scheme = read_document(item.document, item.kind)
    enterprise = find_or_add_enterprise(
        session, item.enterprise, item.tax_code, context, provenance
    )
    product = _product(session, item.product) or _product_by_gtin(session, item.gtin)
    document = session.exec(select(Document).where(Document.code == code)).first() if code else None
    key = natural_key(item, code, scheme)
    return upsert(
        session,
        Declaration,
        {"key": key},
        {
            "kind": item.kind,
            "number": item.number,
            "enterprise_id": enterprise.id,
            "product_id": product.id if product else None,
            "product_text": item.product,
            "gtin": item.gtin,
            "document_id": document.id if document else None,
            "document_code": code,
            "scheme": scheme,
            "declared_on": item.declared_on,
            "certifying_body": item.certifying_body,
            "valid_until": item.valid_until,
            "program_supported": item.program_supported,
            "note": item.note,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


def find_or_add_enterprise(
    session: Session,
    name: str,
    tax_code: str | None,
    context: ChangeContext,
    provenance: Mapping[str, Any] | None,
) -> Enterprise:
    """The enterprise with this tax code, else this name (by slug), added when new."""
    if tax_code:
        found = session.exec(select(Enterprise).where(Enterprise.tax_code == tax_code)).first()
        if found is not None:
            return found
    slug = slugify(name)[:ENTERPRISE_SLUG_MAX]  # a name may be longer than its slug column
    if not slug:
        raise DeclarationError("enterprise: the enterprise's name is missing")
    result = upsert(
        session,
        Enterprise,
        {"slug": slug},
        {"name": name, "tax_code": tax_code},
        context=context,
        record_key=slug,
        provenance=provenance,
    )
    return result.row


def _product(session: Session, text: str | None) -> Product | None:
    if not text:
        return None
    try:
        return resolve_product(session, text)
    except ProductNotFound:
        return None


def _product_by_gtin(session: Session, gtin: str | None) -> Product | None:
    """The registered product a declared GTIN is the barcode of, if any."""
    if not gtin:
        return None
    found = session.get(ProductGtin, parse_gtin(gtin).gtin14)
    return session.get(Product, found.product_id) if found else None


# --- reading the registry ------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationView:
    id: int
    kind: DeclarationKind
    number: str | None
    enterprise: str
    tax_code: str | None
    product: str | None  # the catalog's name when linked, else as the register wrote it
    product_slug: str | None
    document_code: str | None
    scheme: Scheme | None
    declared_on: date
    certifying_body: str | None
    valid_until: date | None
    program_supported: bool
    valid_on_day: bool


def list_declarations(
    session: Session,
    *,
    day: date | None = None,
    kind: DeclarationKind | None = None,
    enterprise: str | None = None,
    product: str | None = None,
    valid_only: bool = False,
) -> list[DeclarationView]:
    """Declarations by date (newest first); ``enterprise``/``product`` match folded words."""
    day = day or clock.today()
    query = (
        select(Declaration, Enterprise, Product)
        .join(Enterprise, col(Enterprise.id) == Declaration.enterprise_id)
        .join(Product, col(Product.id) == Declaration.product_id, isouter=True)
        .order_by(col(Declaration.declared_on).desc(), col(Declaration.id))
    )
    if kind is not None:
        query = query.where(Declaration.kind == kind)
    views = []
    for declaration, firm, linked in session.exec(query).all():
        view = DeclarationView(
            id=saved_id(declaration),
            kind=DeclarationKind(declaration.kind),
            number=declaration.number,
            enterprise=firm.name,
            tax_code=firm.tax_code,
            product=linked.name_vi if linked else declaration.product_text,
            product_slug=linked.slug if linked else None,
            document_code=declaration.document_code,
            scheme=Scheme(declaration.scheme) if declaration.scheme else None,
            declared_on=declaration.declared_on,
            certifying_body=declaration.certifying_body,
            valid_until=declaration.valid_until,
            program_supported=declaration.program_supported,
            valid_on_day=is_valid(declaration, day),
        )
        if valid_only and not view.valid_on_day:
            continue
        if enterprise and fold(enterprise) not in fold(view.enterprise):
            continue
        if product and fold(product) not in fold(view.product or ""):
            continue
        views.append(view)
    return views


def is_valid(declaration: Declaration, day: date) -> bool:
    """Declared by ``day`` and not expired on it."""
    return declaration.declared_on <= day and (
        declaration.valid_until is None or declaration.valid_until >= day
    )


def declaration_table(views: list[DeclarationView]) -> Table:
    return Table(
        "Công bố, chứng nhận",
        (
            "Loại",
            "Số",
            "Tổ chức, doanh nghiệp",
            "Mã số thuế",
            "Sản phẩm",
            "Tiêu chuẩn, quy chuẩn",
            "Hệ thống, chương trình",
            "Ngày",
            "Tổ chức chứng nhận",
            "Hiệu lực đến",
            "Được hỗ trợ",
            "Còn hiệu lực",
        ),
        tuple(
            (
                v.kind.label_vi,
                v.number,
                v.enterprise,
                v.tax_code,
                v.product,
                v.document_code,
                v.scheme.label_vi if v.scheme else None,
                v.declared_on,
                v.certifying_body,
                v.valid_until,
                "có" if v.program_supported else "",
                "có" if v.valid_on_day else "không",
            )
            for v in views
        ),
    )
