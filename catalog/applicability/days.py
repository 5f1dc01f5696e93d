"""The days on which a product's answer may change, named before any answer is evaluated.

An answer depends on the day only through: whether each of the product's rules is valid
(its validity bounds), where naming a document leads (the standing of every edition the walk
of ``REPLACES`` may look at), whether a citation has taken effect, what localities and issuers
became (their successions), and where the notifications that may reach the product stand. The
days listed here are a superset of the days any of these changes on; between two of them,
every date the resolver compares comes out the same, so one evaluation serves the segment
(:class:`~catalog.applicability.timeline.Timeline`).

What a rule's document brings (the editions it may lead to and what they cite, transitively)
matters only while the rule is valid: its days are kept only inside the rule's bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from catalog.applicability.editions import Editions
from catalog.applicability.places import place_days
from catalog.applicability.plan import ProductPlan, local_documents
from catalog.applicability.timeline import change_days
from catalog.notifications import notification_days, reasons_for
from catalog.readmodel import CatalogGraph, DocumentRow, ProductRow


@dataclass(frozen=True, slots=True)
class NamedDays:
    """What naming a document may bring into an answer, whatever the day: the days it may
    change on, the documents it may list (editions it may lead to, what they cite), and
    whether one of those is a local document."""

    days: tuple[date, ...]
    documents: tuple[int, ...]
    local: bool


def named_days(editions: Editions, doc: DocumentRow) -> NamedDays:
    """:class:`NamedDays` of ``doc``, found once per graph."""
    cache = editions.cache
    found = cache.named_days.get(doc.id)
    if found is None:
        found = cache.named_days[doc.id] = _named_days(editions, doc)
    return found


def _named_days(editions: Editions, doc: DocumentRow) -> NamedDays:
    graph = editions.graph
    documents = graph.documents
    days: set[date] = set()
    listed: set[int] = set()
    queue, named = [doc], {doc.id}
    while queue:
        reach = editions.reach_timeline(queue.pop())
        days.update(reach.days[1:])
        for walked in reach.walked:
            if walked.id in listed:
                continue
            listed.add(walked.id)
            for target_id, effective_on in graph.citations.get(walked.id, ()):
                if effective_on is not None:
                    days.add(effective_on)
                target = documents.get(target_id)
                if target is not None and target_id not in named:
                    named.add(target_id)
                    queue.append(target)
    local = not listed.isdisjoint(local_documents(graph))
    return NamedDays(tuple(sorted(days)), tuple(sorted(listed)), local)


def product_days(
    editions: Editions, product: ProductRow, plan: ProductPlan, market: str | None
) -> tuple[date, ...]:
    """The days on which ``product``'s answer (with ``market``'s notifications) may change,
    as a timeline's change days."""
    graph = editions.graph
    days: set[date] = set()
    documents: set[int] = set()
    local = False
    for rule, _ in plan.rules:
        low = rule.valid_from or date.min
        high = (
            rule.valid_to + timedelta(days=1)
            if rule.valid_to is not None and rule.valid_to < date.max
            else date.max
        )
        if low >= high:
            continue  # never valid
        days.update((low, high))
        named = named_days(editions, graph.documents[rule.document_id])
        days.update(day for day in named.days if low < day < high)
        documents.update(named.documents)
        local |= named.local
    if local:
        days.update(place_days(graph))
    if graph.notifications.rows:
        days.update(_notification_days(graph, product, documents, market))
    days.discard(date.max)
    return change_days(days)


def category_names(graph: CatalogGraph, product: ProductRow) -> dict[int, str]:
    """The product's category and its ancestors: id → Vietnamese name."""
    names: dict[int, str] = {}
    category_id = product.category_id
    while category_id is not None and category_id not in names:
        category = graph.categories[category_id]
        names[category_id] = category.name_vi
        category_id = category.parent_id
    return names


def _notification_days(
    graph: CatalogGraph, product: ProductRow, documents: set[int], market: str | None
) -> list[date]:
    reached = dict.fromkeys(documents, "")
    categories = category_names(graph, product)
    days: list[date] = []
    for row in graph.notifications.rows.values():
        if not (row.home or (market is not None and row.member == market)):
            continue
        if reasons_for(row, product.hs_codes, product.ics_codes, categories, reached):
            days += notification_days(row)
    return days
