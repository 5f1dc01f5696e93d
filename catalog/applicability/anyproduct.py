"""Any product: what applies to a product that is not in the registry, described by its HS
code, its category, or both (issue 14, "any product").

Such a product has no rules of its own, so it is reached the ways a registered product's
category and codes reach it:

- **its category**, when given: the rules on it and on every category above it;
- **its HS code**: the rules on that code and on every code enclosing it (``0902`` and
  ``09023`` for ``0902.30``), and the categories of the registered products filed near it.
  Registered products carrying the code or a line under it (``0902.10`` when ``0902`` is
  asked) lead to each of their categories. When none does, the registered products sharing the
  code's subheading, else its heading, show what kind of product it is; their categories are
  narrowed to the nearest category they share, because the code tells only that the product is
  of their kind, not which of them it resembles. Black tea (``0902.30``) shares the heading
  ``0902`` with the registered teas and green teas: it gets the tea standards, not the green
  tea ones. A chapter alone (two digits) is too broad to say anything.

Each reached category carries the registered products that led to it, and each rule's reason
names them. The answer is assembled by the same resolver as a registered product's
(:mod:`.resolve`): editions in force, citations made mandatory, local scope (a described
product has no locality recorded, so local regulations are listed out of scope, saying so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from catalog import clock
from catalog.applicability.answer import Applicability, Reason, ReasonKind
from catalog.applicability.plan import ProductPlan, rule_reason
from catalog.applicability.resolve import Resolver
from catalog.hs import HsCode
from catalog.products import ProductRef
from catalog.readmodel import CatalogGraph, CategoryRow, ProductRow, RuleRow
from catalog.vocab import Role

UNREGISTERED = "unregistered"  # the kind a described product is given in its answer
_NAMES_IN_REASON = 3  # registered products named in a rule's reason; the rest are counted


class UnknownCategory(LookupError):
    """The category asked for is not in the catalog."""


@dataclass(frozen=True, slots=True)
class Match:
    """A registered product that led to a category, and the HS code of its that did."""

    product_id: int
    slug: str
    name_vi: str
    hs_code: str
    category_id: int | None


@dataclass(frozen=True, slots=True)
class CategoryReach:
    """A category the described product is taken to be in, and why."""

    category_id: int
    name_vi: str
    given: bool  # the category was asked for
    # how the HS code led to it: "under" (registered products carry the code or a line under
    # it), "shared" (they share its heading or subheading; the nearest common category), or None
    by_hs: Literal["under", "shared"] | None
    hs_code: str | None  # dotted: the code asked for ("under"), or the one shared ("shared")
    products: tuple[Match, ...]  # the registered products that led to it

    @property
    def why(self) -> str:
        parts = ["the category given"] if self.given else []
        if self.by_hs == "under":
            parts.append(f"registered products under HS {self.hs_code}: {_names(self)}")
        elif self.by_hs == "shared":
            parts.append(
                f"the nearest category of the registered products in HS {self.hs_code}: "
                + _names(self)
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class AnyProductAnswer:
    """The answer for a described product, with the categories it was taken to be in."""

    hs: HsCode | None
    category_id: int | None
    categories: tuple[CategoryReach, ...]
    answer: Applicability
    notes: tuple[str, ...] = ()


def applicable_any(
    graph: CatalogGraph,
    *,
    hs: HsCode | None = None,
    category_id: int | None = None,
    as_of: date | None = None,
    role: Role | None = None,
    mandatory_only: bool = False,
    market: str | None = None,
) -> AnyProductAnswer:
    """What applies on ``as_of`` (default today) to a product with HS code ``hs`` and/or in
    category ``category_id``. Raises ValueError when neither is given, and
    :class:`UnknownCategory` when the category is not in ``graph``."""
    if hs is None and category_id is None:
        raise ValueError("describe the product by an HS code, a category, or both")
    if category_id is not None and category_id not in graph.categories:
        raise UnknownCategory(f"no category has id {category_id}")
    reaches, notes = _categories(graph, hs, category_id)
    product = _described_row(graph, hs, category_id, reaches)
    plan = ProductPlan(_ref(product, reaches), tuple(_rules(graph, hs, reaches)))
    day = as_of or clock.today()
    answer = Resolver(graph, product, day, market, plan=plan).run().on(day)
    if role is not None or mandatory_only:
        answer = answer.filtered(role=role, mandatory_only=mandatory_only)
    return AnyProductAnswer(hs, category_id, tuple(reaches), answer, tuple(notes))


def registered_under(graph: CatalogGraph, hs: HsCode) -> list[Match]:
    """The registered products carrying ``hs`` or a line under it, by name."""
    return _matches(graph, hs.encloses)


def _categories(
    graph: CatalogGraph, hs: HsCode | None, category_id: int | None
) -> tuple[list[CategoryReach], list[str]]:
    reaches: list[CategoryReach] = []
    notes: list[str] = []
    if hs is not None:
        reaches, note = _categories_by_hs(graph, hs)
        notes += note
    if category_id is not None:
        row = graph.categories[category_id]
        given = CategoryReach(category_id, row.name_vi, True, None, None, ())
        for i, reach in enumerate(reaches):
            if reach.category_id == category_id:
                given = CategoryReach(
                    category_id, row.name_vi, True, reach.by_hs, reach.hs_code, reach.products
                )
                del reaches[i]
                break
        reaches.insert(0, given)
    return reaches, notes


def _categories_by_hs(graph: CatalogGraph, hs: HsCode) -> tuple[list[CategoryReach], list[str]]:
    under = [m for m in registered_under(graph, hs) if m.category_id is not None]
    if under:
        by_category: dict[int, list[Match]] = {}
        for match in under:
            by_category.setdefault(match.category_id or 0, []).append(match)
        return [
            CategoryReach(
                cid, graph.categories[cid].name_vi, False, "under", hs.dotted, tuple(found)
            )
            for cid, found in sorted(
                by_category.items(), key=lambda item: graph.categories[item[0]].name_vi
            )
        ], []
    for length in (6, 4):
        if length >= len(hs.digits):
            continue
        prefix = hs.digits[:length]
        near = [m for m in _matches(graph, HsCode(prefix).encloses) if m.category_id is not None]
        if not near:
            continue
        shown = HsCode(prefix).dotted
        common = _nearest_common(graph, {m.category_id for m in near if m.category_id})
        if common is None:
            return [], [
                f"the registered products in HS {shown} share no category, so none is taken"
            ]
        return [CategoryReach(common.id, common.name_vi, False, "shared", shown, tuple(near))], []
    return [], [
        f"no registered product carries a code in the heading {HsCode(hs.heading).dotted}: "
        "only rules on the HS code and the codes enclosing it reach the product"
    ]


def _matches(graph: CatalogGraph, keep: Callable[[str], bool]) -> list[Match]:
    """Registered products with a code ``keep`` accepts (the first such code), by name."""
    found = [
        Match(p.id, p.slug, p.name_vi, code, p.category_id)
        for p in graph.products.values()
        for code in p.hs_codes
        if keep(code)
    ]
    seen: set[int] = set()
    unique = []
    for match in sorted(found, key=lambda m: (m.name_vi, m.product_id, m.hs_code)):
        if match.product_id not in seen:
            seen.add(match.product_id)
            unique.append(match)
    return unique


def _ancestry(graph: CatalogGraph, category_id: int | None) -> list[CategoryRow]:
    """The category and the ones above it, nearest first."""
    chain: list[CategoryRow] = []
    current = graph.categories.get(category_id) if category_id is not None else None
    while current is not None and current not in chain:
        chain.append(current)
        current = graph.categories.get(current.parent_id) if current.parent_id else None
    return chain


def _nearest_common(graph: CatalogGraph, category_ids: Iterable[int]) -> CategoryRow | None:
    chains = [_ancestry(graph, cid) for cid in sorted(category_ids)]
    if not chains:
        return None
    others = [{c.id for c in chain} for chain in chains[1:]]
    return next((c for c in chains[0] if all(c.id in ids for ids in others)), None)


def _rules(
    graph: CatalogGraph, hs: HsCode | None, reaches: list[CategoryReach]
) -> Iterable[tuple[RuleRow, Reason]]:
    covered: set[int] = set()
    for reach in reaches:
        for depth, category in enumerate(_ancestry(graph, reach.category_id)):
            if category.id in covered:
                continue
            covered.add(category.id)
            if depth == 0:
                text = f"rule on category {category.name_vi}"
            else:
                text = f"inherited from category {category.name_vi}, above {reach.name_vi}"
            text += f" ({reach.why})"
            for rule in graph.rules_by_category.get(category.id, ()):
                yield rule, rule_reason(graph, rule, ReasonKind.CATEGORY, text)
    if hs is not None:
        for prefix in hs.prefixes():
            for rule in graph.rules_by_hs.get(prefix, ()):
                text = f"HS {rule.subject_code} prefix, which HS {hs.dotted} falls under"
                yield rule, rule_reason(graph, rule, ReasonKind.HS_PREFIX, text)


def _names(reach: CategoryReach) -> str:
    shown = [f"{m.name_vi} ({HsCode(m.hs_code).dotted})" for m in reach.products[:_NAMES_IN_REASON]]
    more = len(reach.products) - _NAMES_IN_REASON
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _described_row(
    graph: CatalogGraph, hs: HsCode | None, category_id: int | None, reaches: list[CategoryReach]
) -> ProductRow:
    """The described product as the resolver sees it: id 0 (no row has it), no locality."""
    if category_id is None and len(reaches) == 1:
        category_id = reaches[0].category_id
    described = [f"HS {hs.dotted}"] if hs else []
    if category_id is not None:
        described.append(graph.categories[category_id].name_vi)
    return ProductRow(
        id=0,
        slug="",
        name_vi="Sản phẩm chưa đăng ký: " + ", ".join(described),
        name_en="Unregistered product: " + ", ".join(described),
        kind=UNREGISTERED,
        category_id=category_id,
        locality_id=None,
        locality_text=None,
        hs_codes=(hs.digits,) if hs else (),
        ics_codes=(),
    )


def _ref(product: ProductRow, reaches: list[CategoryReach]) -> ProductRef:
    return ProductRef(
        id=product.id,
        slug=product.slug,
        name_vi=product.name_vi,
        name_en=product.name_en,
        kind=product.kind,
        category=", ".join(r.name_vi for r in reaches) or None,
        locality=None,
    )
