"""The typed conditions of rules and the registry's default facts of products, read once
per catalog graph (:class:`~catalog.readmodel.CatalogGraph` holds them as ``facts``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from catalog.conditions import ConditionError, Conditions, parse_conditions
from catalog.facts import NO_FACTS, Facts, FactsError, parse_facts
from catalog.models import ApplicabilityRule, Product

log = logging.getLogger(__name__)


@dataclass
class FactIndex:
    rule_conditions: dict[int, Conditions] = field(default_factory=dict)  # typed rules only
    product_defaults: dict[int, Facts] = field(default_factory=dict)  # products with some

    def conditions_of(self, rule_id: int | None) -> Conditions:
        return self.rule_conditions.get(rule_id, ()) if rule_id is not None else ()

    def defaults_of(self, product_id: int) -> Facts:
        return self.product_defaults.get(product_id, NO_FACTS)


def untyped_conditions(session: Session) -> dict[str, list[str]]:
    """Rules whose condition stays text only (no typed condition), by condition text: each
    rule named by its sheet number (STT), else ``#id``. For officials to type, or to move
    to the product, category or HS code the text really names."""
    r = ApplicabilityRule
    found: dict[str, list[str]] = {}
    for rule_id, number, text in session.exec(
        select(r.id, r.number, r.condition)
        .where(col(r.condition).is_not(None), col(r.typed_condition).is_(None))
        .order_by(col(r.number), col(r.id))
    ):
        name = str(number) if number is not None else f"#{rule_id}"
        found.setdefault(text or "", []).append(name)
    return found


def load_fact_index(session: Session) -> FactIndex:
    """Every typed condition and default facts in the store. A value the vocabulary no longer
    knows is logged and read as untyped (ingest refuses such values, so it is rare)."""
    index = FactIndex()
    r = ApplicabilityRule
    for rule_id, text in session.exec(
        select(r.id, r.typed_condition).where(col(r.typed_condition).is_not(None))
    ):
        try:
            if conditions := parse_conditions(text):
                index.rule_conditions[int(rule_id or 0)] = conditions
        except ConditionError as exc:
            log.warning("rule %s: typed condition %r read as untyped: %s", rule_id, text, exc)
    for product_id, text in session.exec(
        select(Product.id, Product.default_facts).where(col(Product.default_facts).is_not(None))
    ):
        try:
            if facts := parse_facts(text):
                index.product_defaults[int(product_id or 0)] = facts
        except FactsError as exc:
            log.warning("product %s: default facts %r ignored: %s", product_id, text, exc)
    return index
