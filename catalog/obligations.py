"""What the producer has to do because of an answer's documents: its to-do list.

:func:`obligations_for` gives each document of an applicability answer its steps from the
obligations table (:mod:`catalog.obligations_table`), and merges a step that several documents
lead to into one, listing the documents it covers: one self-declaration covers the food decree
and the food regulations it answers for; a product under two regulations with different
receiving agencies gets two filings.

Which rows reach a document, most specific first: rows naming the document itself replace
every other row for it; otherwise, for each of its roles, rows for its product class (a
category the product is in, or its kind) replace the generic rows of that role. A step whose
table row is not verified never reads "must": it is shown as not confirmed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, select

from catalog.applicability import DocumentRef, Entry, ReasonKind
from catalog.codes import parse_code
from catalog.models import Product, ProductCategory
from catalog.obligations_table import (
    ANY,
    CITED_MANDATORY,
    DOCUMENT_PLACEHOLDER,
    Duty,
    ObligationTable,
    Step,
    StepRule,
    bundled_table,
)
from catalog.review import SourceRef
from catalog.vocab import ReviewState

_DUTY_ORDER = {duty: index for index, duty in enumerate(Duty)}


@dataclass(frozen=True)
class Obligation:
    """One step to take, and the documents that lead to it."""

    id: str  # the step's key, with the document's code when the basis is the document
    step: Step
    basis: str
    source: SourceRef | None
    documents: tuple[DocumentRef, ...]

    @property
    def confirmed(self) -> bool:
        return self.step.review == ReviewState.VERIFIED

    @property
    def status(self) -> str:
        """``must``, ``if`` or ``may``; a binding step whose basis is not verified reads
        ``not_confirmed`` instead."""
        if self.step.duty != Duty.MAY and not self.confirmed:
            return "not_confirmed"
        return self.step.duty.value

    @property
    def status_label(self) -> tuple[str, str]:
        """The status in Vietnamese and English."""
        if self.status == "not_confirmed":
            return ("Chưa xác nhận là bắt buộc", "Not confirmed as required")
        label = (self.step.duty.label_vi, self.step.duty.label_en)
        if not self.confirmed:
            return (f"{label[0]} (căn cứ chưa xác nhận)", f"{label[1]} (basis not confirmed)")
        return label


@dataclass(frozen=True)
class DocumentSteps:
    """The steps one document leads to, by :attr:`Obligation.id`."""

    document: DocumentRef
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ObligationPlan:
    steps: tuple[Obligation, ...]  # binding first, then conditional, then voluntary
    documents: tuple[DocumentSteps, ...]  # in the answer's order, those with steps


def obligations_for(
    entries: Iterable[Entry],
    on: date,
    classes: Collection[str] = (),
    table: ObligationTable | None = None,
) -> ObligationPlan:
    """The steps the documents of ``entries`` lead to on day ``on`` (the answer's), for a
    product of ``classes`` (its category slugs with their ancestors, and its kind:
    :func:`product_classes`)."""
    rules = tuple(r for r in (table or bundled_table()).rules if r.holds_on(on))
    merged: dict[tuple[str, str], Obligation] = {}
    per_document: list[DocumentSteps] = []
    for entry in entries:
        ids: list[str] = []
        for rule in _rules_for(entry, classes, rules):
            found = _obligation(rule, entry.document)
            key = (found.step.step, found.basis)
            held = merged.get(key)
            if held is None:
                merged[key] = found
            elif entry.document not in held.documents:
                merged[key] = replace(held, documents=(*held.documents, entry.document))
            ids.append(merged[key].id)
        if ids:
            per_document.append(DocumentSteps(entry.document, tuple(dict.fromkeys(ids))))
    steps = sorted(merged.values(), key=lambda o: _DUTY_ORDER[o.step.duty])  # stable
    return ObligationPlan(tuple(steps), tuple(per_document))


def product_classes(session: Session, product_id: int) -> frozenset[str]:
    """The slugs of the product's category and its ancestors, and the product's kind."""
    product = session.get(Product, product_id)
    if product is None:
        return frozenset()
    own = [product.category_id] if product.category_id is not None else []
    return classes_of(session, str(product.kind), own)


def classes_of(session: Session, kind: str, category_ids: Collection[int]) -> frozenset[str]:
    """``kind`` and the slugs of the categories ``category_ids`` and their ancestors: the
    classes of a product in those categories (a described product may be in several)."""
    categories = {c.id: c for c in session.exec(select(ProductCategory)).all() if c.id is not None}
    classes = {kind}
    seen: set[int] = set()
    for start in category_ids:
        current: int | None = start
        while current is not None and current in categories and current not in seen:
            seen.add(current)
            classes.add(categories[current].slug)
            current = categories[current].parent_id
    return frozenset(classes)


def _rules_for(
    entry: Entry, classes: Collection[str], rules: tuple[StepRule, ...]
) -> list[StepRule]:
    doc = entry.document
    code = _canonical(doc.code)
    roles = [role.value for role in entry.roles]
    if entry.mandatory and any(r.kind == ReasonKind.CITATION for r in entry.reasons):
        roles.append(CITED_MANDATORY)

    def fits(rule: StepRule) -> bool:
        return (
            (rule.doc_types is None or doc.doc_type in rule.doc_types)
            and (rule.product_class is None or rule.product_class in classes)
            and (rule.issuer is None or rule.issuer == doc.issuer_code)
        )

    own = [r for r in rules if r.document == code and r.role in (ANY, *roles) and fits(r)]
    if own:
        return own
    chosen: list[StepRule] = []
    for role in roles:
        candidates = [r for r in rules if r.document is None and r.role == role and fits(r)]
        specific = [r for r in candidates if r.product_class or r.issuer]
        chosen += specific or candidates
    return chosen


def _obligation(rule: StepRule, document: DocumentRef) -> Obligation:
    step = rule.step
    if DOCUMENT_PLACEHOLDER not in step.basis:
        return Obligation(step.step, step, step.basis, step.source, (document,))
    source = step.source
    if source is not None and source.locator:
        source = replace(
            source, locator=source.locator.replace(DOCUMENT_PLACEHOLDER, document.code)
        )
    return Obligation(
        f"{step.step}@{document.code}",
        step,
        step.basis.replace(DOCUMENT_PLACEHOLDER, document.code),
        source,
        (document,),
    )


def _canonical(code: str) -> str:
    try:
        return parse_code(code).canonical()
    except ValueError:
        return code
