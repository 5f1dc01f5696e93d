"""The "Sản phẩm của tôi" / "My product" page: a product not in the registry, described by
its HS code and/or category, and what applies to it, with its checklist to download.

Everything the person chose is in the address (``/san-pham-cua-toi?hs=0902.30&nhom=che``),
so the answer can be bookmarked and shared; the page works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from sqlmodel import Session, col, select

from api.problems import Problem
from api.services.any_product import Described, Description, answer_described
from api.state import answers_of
from api.web.controllers import page_facts
from api.web.params import day_param
from api.web.templating import render
from catalog import clock
from catalog.hs import HsCode, HsCodeError, parse_hs
from catalog.models import ProductCategory
from catalog.text import clean

MAX_INPUT = 200


@dataclass(frozen=True)
class CategoryOption:
    slug: str
    name_vi: str
    name_en: str | None
    depth: int


@dataclass(frozen=True)
class FieldError:
    field: str  # the form field: "hs" or "nhom"
    key: str  # the label of the message
    text: str  # what was typed


class MyProductPage(Controller):
    path = "/"
    include_in_schema = False

    @get("/san-pham-cua-toi", name="web:my-product", sync_to_thread=True)
    def my_product(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        hs_text = (request.query_params.get("hs") or "")[:MAX_INPUT].strip()
        category_text = (request.query_params.get("nhom") or "")[:MAX_INPUT]
        day = day_param(request, "ngay", clock.today(), earliest=date.min, latest=date.max)
        options = category_options(db_session)
        error: FieldError | None = None
        found: Described | None = None
        facts = page_facts(request)
        hs: HsCode | None = None
        category: ProductCategory | None = None
        if hs_text.strip():
            try:
                hs = parse_hs(hs_text)
            except HsCodeError as exc:
                error = FieldError("hs", f"hs_error_{exc.problem}", hs_text)
        if category_text.strip() and error is None:
            category = _category(db_session, category_text)
            if category is None:
                error = FieldError("nhom", "category_unknown", category_text)
        if error is None and (hs is not None or category is not None):
            answers = answers_of(request.app.state)
            try:
                found = answer_described(
                    db_session, answers.graph, Description(hs, category), day, facts=facts
                )
            except Problem:  # the category vanished between the lookup and the answer
                error = FieldError("nhom", "category_unknown", category_text)
        asked = {"hs": hs.dotted if hs else "", "category": category.slug if category else ""}
        return render(
            request,
            "my_product.html",
            status_code=400 if error else 200,
            hs_text=hs_text,
            category_slug=category.slug if category else category_text,
            options=options,
            error=error,
            found=found,
            settled=found.settled if found else None,
            day=day,
            today=clock.today(),
            categories={f"category:{c.slug}": c for c in db_session.exec(select(ProductCategory))},
            # the page's own address without the answers (to clear them)
            describe_query=urlencode(
                {
                    **{k: v for k, v in (("hs", asked["hs"]), ("nhom", asked["category"])) if v},
                    "ngay": day.isoformat(),
                }
            ),
            checklist_query=urlencode(
                {
                    **{k: v for k, v in asked.items() if v},
                    "as_of": day.isoformat(),
                    **({"facts": facts.canonical()} if facts else {}),
                }
            ),
        )


def category_options(session: Session) -> list[CategoryOption]:
    """The category tree in order, each with its depth (for the form's choices)."""
    rows = session.exec(select(ProductCategory).order_by(col(ProductCategory.name_vi))).all()
    children: dict[int | None, list[ProductCategory]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[CategoryOption] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            ordered.append(CategoryOption(row.slug, row.name_vi, row.name_en, depth))
            if row.id is not None and depth < 16:
                walk(row.id, depth + 1)

    walk(None, 0)
    return ordered


def _category(session: Session, text: str) -> ProductCategory | None:
    slug = clean(text) or ""
    return session.exec(select(ProductCategory).where(ProductCategory.slug == slug)).first()
