"""Writing the plan's records about enterprises and products: support given, National
Quality Award stages, OCOP trademarks, and the traceability portal's milestones (see
:mod:`catalog.plan.records`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from catalog.declarations import DeclarationError, find_or_add_enterprise
from catalog.limits import CODE_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX
from catalog.models import Enterprise, Product
from catalog.plan.checks import (
    AMOUNT_MAX,
    PlanRecordError,
    Provenance,
    checked_count,
    checked_text,
    joined_key,
)
from catalog.plan.models import (
    EnterpriseSupport,
    OcopTrademark,
    PortalMilestone,
    QualityAwardEntry,
)
from catalog.plan.vocab import (
    AwardStage,
    FundingSource,
    SupportKind,
)
from catalog.products import ProductNotFound, resolve_product
from catalog.text import fold, slugify
from catalog.upsert import ChangeContext, UpsertResult, upsert
from catalog.vocab import ProductKind


@dataclass(frozen=True)
class SupportInput:
    enterprise: str
    kind: SupportKind
    given_on: date
    funding: FundingSource
    description: str
    tax_code: str | None = None
    amount_vnd: int | None = None
    note: str | None = None


def save_support(
    session: Session,
    item: SupportInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    description = checked_text(item.description, "description", TITLE_MAX)
    if item.amount_vnd is not None:
        checked_count(item.amount_vnd, "amount_vnd", AMOUNT_MAX)
    firm = _enterprise(session, item.enterprise, item.tax_code, context, provenance)
    key = joined_key(
        firm.slug[:150], item.kind.value, item.given_on.isoformat(), slugify(description)[:150]
    )
    return upsert(
        session,
        EnterpriseSupport,
        {"key": key},
        {
            "enterprise_id": firm.id,
            "kind": item.kind,
            "given_on": item.given_on,
            "funding": item.funding,
            "description": description,
            "amount_vnd": item.amount_vnd,
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


@dataclass(frozen=True)
class AwardInput:
    enterprise: str
    year: int
    stage: AwardStage
    stage_on: date
    result: str | None = None
    tax_code: str | None = None
    note: str | None = None


def save_award(
    session: Session,
    item: AwardInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    if not 2000 <= item.year <= 2100:
        raise PlanRecordError(f"year: {item.year} is not an award year")
    if abs(item.stage_on.year - item.year) > 1:
        raise PlanRecordError(
            f"stage_on: {item.stage_on.isoformat()} is far from the award year {item.year}"
        )
    firm = _enterprise(session, item.enterprise, item.tax_code, context, provenance)
    key = joined_key(firm.slug[:200], str(item.year), item.stage.value)
    return upsert(
        session,
        QualityAwardEntry,
        {"key": key},
        {
            "enterprise_id": firm.id,
            "year": item.year,
            "stage": item.stage,
            "stage_on": item.stage_on,
            "result": checked_text(item.result, "result", NAME_MAX, required=False),
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


def _enterprise(
    session: Session,
    name: str | None,
    tax_code: str | None,
    context: ChangeContext,
    provenance: Mapping[str, Any] | None,
) -> Enterprise:
    name = checked_text(name, "enterprise", NAME_MAX)
    if tax_code is not None and not tax_code.replace("-", "").isdigit():
        raise PlanRecordError(f"tax_code: expected digits (e.g. 5000123456), got {tax_code!r}")
    try:
        return find_or_add_enterprise(session, name, tax_code, context, provenance)
    except DeclarationError as exc:
        raise PlanRecordError(str(exc)) from exc


# --- OCOP trademarks and the portal --------------------------------------------------------


@dataclass(frozen=True)
class TrademarkInput:
    product: str
    mark: str
    filed_on: date
    application_number: str | None = None
    certificate_number: str | None = None
    granted_on: date | None = None
    ended_on: date | None = None
    ended_reason: str | None = None
    note: str | None = None


def save_trademark(
    session: Session,
    item: TrademarkInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    for name in ("granted_on", "ended_on"):
        day = getattr(item, name)
        if day is not None and day < item.filed_on:
            raise PlanRecordError(
                f"{name}: {day.isoformat()} is before the filing date {item.filed_on.isoformat()}"
            )
    if item.granted_on and not item.certificate_number:
        raise PlanRecordError("certificate_number: a granted mark has a certificate number")
    product = _ocop_product(session, checked_text(item.product, "product", NAME_MAX))
    mark = checked_text(item.mark, "mark", NAME_MAX)
    number = checked_text(item.application_number, "application_number", CODE_MAX, required=False)
    key = (
        joined_key("app", fold(number).replace(" ", ""))
        if number
        else joined_key(product.slug[:200], slugify(mark)[:190])
    )
    return upsert(
        session,
        OcopTrademark,
        {"key": key},
        {
            "product_id": product.id,
            "mark": mark,
            "application_number": number,
            "filed_on": item.filed_on,
            "certificate_number": checked_text(
                item.certificate_number, "certificate_number", CODE_MAX, required=False
            ),
            "granted_on": item.granted_on,
            "ended_on": item.ended_on,
            "ended_reason": checked_text(
                item.ended_reason, "ended_reason", NAME_MAX, required=False
            ),
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )


def ocop_products(session: Session) -> list[Product]:
    """The OCOP products: the denominator of the trademark target."""
    return list(
        session.exec(
            select(Product).where(
                or_(col(Product.kind) == ProductKind.OCOP, col(Product.ocop_stars).is_not(None))
            )
        ).all()
    )


def _ocop_product(session: Session, reference: str) -> Product:
    try:
        product = resolve_product(session, reference)
    except ProductNotFound as exc:
        raise PlanRecordError(f"product: {exc}") from exc
    if product.kind != ProductKind.OCOP and product.ocop_stars is None:
        raise PlanRecordError(
            f"product: {product.name_vi} is not an OCOP product in the catalog (the target "
            "counts OCOP products)"
        )
    return product


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date | None = None
    done_on: date | None = None
    evidence: str | None = None
    note: str | None = None


def save_milestone(
    session: Session,
    item: MilestoneInput,
    *,
    context: ChangeContext,
    provenance: Provenance = None,
    sample: bool = False,
) -> UpsertResult:
    title = checked_text(item.title, "title", TITLE_MAX)
    key = joined_key("portal", slugify(title)[:300])
    return upsert(
        session,
        PortalMilestone,
        {"key": key},
        {
            "title": title,
            "due_on": item.due_on,
            "done_on": item.done_on,
            "evidence": checked_text(item.evidence, "evidence", TITLE_MAX, required=False),
            "note": checked_text(item.note, "note", NOTE_MAX, required=False),
            "sample": sample,
        },
        context=context,
        record_key=key,
        provenance=provenance,
    )
