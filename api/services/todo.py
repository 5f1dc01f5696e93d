"""The answer's to-do list (:mod:`catalog.obligations`) for the API, the checklists and the CLI:
each step with its status, basis, receiving authority and the documents that lead to it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from catalog.answer_facts import FactsAnswer
from catalog.applicability import Applicability
from catalog.obligations import (
    Obligation,
    ObligationPlan,
    classes_of,
    obligations_for,
    product_classes,
)

TODO_TITLE = "Việc cần làm / To do"
TODO_COLUMNS = (
    "Bước / Step",
    "Mức độ / Status",
    "Điều kiện, miễn trừ / Condition, exemptions",
    "Căn cứ pháp lý / Legal basis",
    "Nơi nộp, thực hiện / Authority",
    "Văn bản / Documents",
    "Rà soát căn cứ / Basis review",
)
NOT_CONFIRMED = "chưa xác nhận / not confirmed"


def plan_for(
    session: Session,
    answer: Applicability,
    settled: FactsAnswer | None = None,
    *,
    categories: Collection[int] | None = None,
) -> ObligationPlan:
    """The steps of the answer's documents in force (those ``settled`` keeps, when facts were
    given: a document the facts rule out leads to no step), for the product's classes: the
    registered product's, or, for a described product, those of the ``categories`` it was
    taken to be in (it has no row of its own)."""
    if categories is None:
        classes = product_classes(session, answer.product.id)
    else:
        classes = classes_of(session, answer.product.kind, categories)
    entries = settled.kept(answer.entries) if settled else answer.entries
    return obligations_for(entries, answer.as_of, classes)


def todo_rows(plan: ObligationPlan) -> list[list[str]]:
    """One row per step, in :data:`TODO_COLUMNS` order."""
    return [_row(item) for item in plan.steps]


def _row(item: Obligation) -> list[str]:
    step = item.step
    vi, en = item.status_label
    condition = " / ".join(x for x in (step.condition_vi, step.condition_en) if x)
    authority = " / ".join(x for x in (step.authority_vi, step.authority_en) if x)
    return [
        f"{step.action_vi}\n{step.action_en}",
        f"{vi} / {en}",
        condition,
        item.basis,
        authority or f"Cơ quan tiếp nhận {NOT_CONFIRMED}",
        "; ".join(d.code for d in item.documents),
        _review(item),
    ]


def _review(item: Obligation) -> str:
    state = item.step.review
    parts = [f"{state.label_vi} / {state.label_en}"]
    source = item.source
    if source is not None:
        where = ", ".join(x for x in (source.locator, source.url) if x)
        parts.append(f"{source.title} — {where}" if where else source.title)
    if item.step.note:
        parts.append(item.step.note)
    return "\n".join(parts)


@dataclass(frozen=True)
class SourceOut:
    title: str
    url: str | None
    locator: str | None
    retrieved_on: date | None


@dataclass(frozen=True)
class StepOut:
    """One step: ``status`` is must, if (must when the condition holds), may (voluntary), or
    not_confirmed (a binding step whose basis was not confirmed from a source)."""

    id: str
    step: str
    status: str
    action_vi: str
    action_en: str
    condition_vi: str
    condition_en: str
    basis: str
    authority_vi: str | None
    authority_en: str | None
    review: str
    source: SourceOut | None
    note: str
    documents: list[str]


@dataclass(frozen=True)
class DocumentStepsOut:
    code: str
    steps: list[str]  # StepOut ids


@dataclass(frozen=True)
class ObligationsOut:
    """What the producer has to do because of the documents in force on ``as_of``."""

    product: str
    as_of: date
    steps: list[StepOut]
    documents: list[DocumentStepsOut]


def to_out(answer: Applicability, plan: ObligationPlan) -> ObligationsOut:
    return ObligationsOut(
        product=answer.product.slug,
        as_of=answer.as_of,
        steps=[_step_out(item) for item in plan.steps],
        documents=[DocumentStepsOut(d.document.code, list(d.steps)) for d in plan.documents],
    )


def _step_out(item: Obligation) -> StepOut:
    step, source = item.step, item.source
    return StepOut(
        id=item.id,
        step=step.step,
        status=item.status,
        action_vi=step.action_vi,
        action_en=step.action_en,
        condition_vi=step.condition_vi,
        condition_en=step.condition_en,
        basis=item.basis,
        authority_vi=step.authority_vi or None,
        authority_en=step.authority_en or None,
        review=step.review.value,
        source=SourceOut(source.title, source.url, source.locator, source.retrieved_on)
        if source
        else None,
        note=step.note,
        documents=[d.code for d in item.documents],
    )
