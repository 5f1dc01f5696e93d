"""Answers for a product not in the registry, described by an HS code and/or a category.

The API (``GET /api/v1/applicable/any``), its checklists, the CLI (``tieuchuan apply --hs``)
and the "My product" page all go through :func:`describe` and :func:`answer_described`: the
same words for the same bad input, a 400 problem saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, cast

import msgspec
from msgspec import Struct
from sqlmodel import Session, col, select

from api.problems import Problem
from api.services import facts_json
from catalog.answer_facts import FactsAnswer, apply_facts
from catalog.applicability import AnyProductAnswer, Applicability, UnknownCategory, applicable_any
from catalog.facts import NO_FACTS, Facts
from catalog.hs import HsCode, HsCodeError, Level, parse_hs
from catalog.models import ProductCategory
from catalog.products import row_id
from catalog.readmodel import CatalogGraph, SharedCatalogGraph
from catalog.text import clean, fold, slugify
from catalog.vocab import Role

_SUGGESTED = 8  # categories named when the one asked for is unknown


@dataclass(frozen=True, slots=True)
class Description:
    """What was asked: an HS code, a category, or both (checked)."""

    hs: HsCode | None
    category: ProductCategory | None


class RegisteredMatch(Struct, kw_only=True):
    id: int
    slug: str
    name_vi: str
    hs_code: str  # the registered product's code that led to the category, dotted


class ReachedCategory(Struct, kw_only=True):
    """A category the product is taken to be in, and why."""

    slug: str
    name_vi: str
    name_en: str | None
    given: bool
    by_hs: Literal["under", "shared"] | None
    hs_code: str | None  # the code asked ("under") or the heading or subheading shared
    why: str
    products: list[RegisteredMatch]


class DescribedAnswer(Struct, kw_only=True):
    """What applies to a product described by its HS code and/or category, the answer with
    what the facts given make of it (as every answer of the API)."""

    hs: str | None  # as the tariff prints it: 0902.30.10
    hs_level: Level | None
    category: str | None  # the slug of the category given
    categories: list[ReachedCategory]
    notes: list[str]
    answer: facts_json.Applicability


@dataclass(frozen=True)
class Described:
    """The answer for a description: as the API sends it, and settled by the facts."""

    schema: DescribedAnswer
    settled: FactsAnswer
    category_ids: tuple[int, ...]  # the categories the product was taken to be in

    @property
    def answer(self) -> Applicability:
        return self.settled.answer


def describe(session: Session, hs: str | None, category: str | None) -> Description:
    """The description asked for, or a 400 problem saying what is wrong with it. A parameter
    given is read even when empty (``hs=`` is not an HS code)."""
    if hs is None and category is None:
        raise Problem(
            400,
            "Product not described",
            "describe the product by an HS code (hs=0902.30), a category (category=che), or both",
        )
    code = None
    if hs is not None:
        try:
            code = parse_hs(hs)
        except HsCodeError as exc:
            raise Problem(400, "Invalid HS code", str(exc), parameter="hs") from None
    found = find_category(session, category) if category is not None else None
    return Description(code, found)


def find_category(session: Session, reference: str) -> ProductCategory:
    """A category by slug, id or name (with or without diacritics), or a 400 problem naming
    the nearest ones."""
    text = clean(reference) or ""
    categories = session.exec(select(ProductCategory).order_by(col(ProductCategory.id))).all()
    number = row_id(text)
    slug, folded = slugify(text), fold(text)
    for category in categories:
        if category.id == number or category.slug == slug or fold(category.name_vi) == folded:
            return category
    near = [c for c in categories if slug and (slug in c.slug or c.slug in slug)][:_SUGGESTED]
    hint = "; did you mean " + ", ".join(c.slug for c in near) if near else ""
    raise Problem(
        400,
        "Unknown category",
        f"no category matches {reference!r}{hint} (GET /api/v1/categories lists them)",
        parameter="category",
        suggestions=[{"slug": c.slug, "name": c.name_vi} for c in near],
    )


def answer_described(
    session: Session,
    shared: SharedCatalogGraph,
    description: Description,
    day: date,
    *,
    role: Role | None = None,
    mandatory_only: bool = False,
    market: str | None = None,
    facts: Facts = NO_FACTS,
) -> Described:
    """The engine's answer for the description from the shared graph (reloaded when the
    category is newer than it), with the categories it reached by slug, settled by
    ``facts``."""
    graph = shared.current()
    if description.category is not None and description.category.id not in graph.categories:
        shared.invalidate()
        graph = shared.current()
    return answer_in(
        session,
        graph,
        description,
        day,
        role=role,
        mandatory_only=mandatory_only,
        market=market,
        facts=facts,
    )


def answer_in(
    session: Session,
    graph: CatalogGraph,
    description: Description,
    day: date,
    *,
    role: Role | None = None,
    mandatory_only: bool = False,
    market: str | None = None,
    facts: Facts = NO_FACTS,
) -> Described:
    """:func:`answer_described` from ``graph``."""
    try:
        found = applicable_any(
            graph,
            hs=description.hs,
            category_id=description.category.id if description.category else None,
            as_of=day,
            role=role,
            mandatory_only=mandatory_only,
            market=market,
        )
    except UnknownCategory as exc:
        raise Problem(400, "Unknown category", str(exc), parameter="category") from None
    settled = apply_facts(found.answer, facts, graph.facts)
    reached = tuple(r.category_id for r in found.categories)
    return Described(as_schema(session, found, settled), settled, reached)


def as_schema(session: Session, found: AnyProductAnswer, settled: FactsAnswer) -> DescribedAnswer:
    categories = {
        c.id: c
        for c in session.exec(
            select(ProductCategory).where(
                col(ProductCategory.id).in_([r.category_id for r in found.categories])
            )
        )
    }
    given = categories.get(found.category_id) if found.category_id is not None else None
    hs = found.hs
    return DescribedAnswer(
        hs=hs.dotted if hs else None,
        hs_level=hs.level if hs else None,
        category=given.slug if given else None,
        categories=[
            ReachedCategory(
                slug=categories[r.category_id].slug,
                name_vi=r.name_vi,
                name_en=categories[r.category_id].name_en,
                given=r.given,
                by_hs=r.by_hs,
                hs_code=r.hs_code,
                why=r.why,
                products=[
                    RegisteredMatch(
                        id=m.product_id,
                        slug=m.slug,
                        name_vi=m.name_vi,
                        hs_code=HsCode(m.hs_code).dotted,
                    )
                    for m in r.products
                ],
            )
            for r in found.categories
            if r.category_id in categories
        ],
        notes=list(found.notes),
        # the answer's JSON as every answer of the API has it (msgspec writes Raw as it is)
        answer=cast(facts_json.Applicability, msgspec.Raw(facts_json.facts_answer_json(settled))),
    )
