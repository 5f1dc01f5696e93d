"""Where a local document counts: localities and issuers, and what they became by a day.

Local documents (QCĐP, and anything issued by a provincial committee) count only for products
of the issuing province, or of the province that succeeded it by the day
(``LocalitySuccession``, ``IssuerSuccession``, as in the 2025 merger of provinces).
:func:`place_days` names the days a succession takes effect on, so the answer's timeline
changes on them.
"""

from __future__ import annotations

from datetime import date

from catalog.applicability.cache import EngineCache
from catalog.readmodel import CatalogGraph, IssuerRow
from catalog.vocab import LocalityKind


class Places:
    """Localities and issuers of the graph, and what they became by one day."""

    def __init__(self, graph: CatalogGraph, day: date) -> None:
        self.graph = graph
        self.day = day

    def around(self, locality_id: int | None) -> set[int]:
        """The locality, the places containing it, and what they became by the day."""
        if locality_id is None:
            return set()
        return self._closure({locality_id}, with_parents=True)

    def of_issuer(self, issuer: IssuerRow) -> set[int]:
        """The issuer's province and what it became by the day, also through issuer succession."""
        starts: set[int] = set()
        queue, seen = [issuer], set[int]()
        while queue:
            current = queue.pop()
            if current.id in seen:
                continue
            seen.add(current.id)
            if current.locality_id is not None:
                starts.add(self._province(current.locality_id))
            for successor_id, on in self.graph.issuer_successors.get(current.id, ()):
                successor = self.graph.issuers.get(successor_id)
                if successor is not None and on <= self.day:
                    queue.append(successor)
        return self._closure(starts, with_parents=False)

    def _province(self, locality_id: int) -> int:
        current, seen = locality_id, set[int]()
        while current not in seen:
            seen.add(current)
            row = self.graph.localities.get(current)
            if row is None or row.kind == LocalityKind.PROVINCE or row.parent_id is None:
                return current
            current = row.parent_id
        return current

    def _closure(self, starts: set[int], *, with_parents: bool) -> set[int]:
        found: set[int] = set()
        frontier = set(starts)
        while frontier:
            found |= frontier
            step: set[int] = set()
            for place in frontier:
                row = self.graph.localities.get(place)
                if with_parents and row is not None and row.parent_id is not None:
                    step.add(row.parent_id)
                step.update(
                    successor
                    for successor, on in self.graph.locality_successors.get(place, ())
                    if on <= self.day
                )
            frontier = step - found
        return found

    def name(self, locality_id: int) -> str:
        row = self.graph.localities.get(locality_id)
        return row.name_vi if row else f"locality {locality_id}"


def place_days(graph: CatalogGraph) -> tuple[date, ...]:
    """The days on which a locality or an issuer was succeeded, found once per graph."""
    cache = EngineCache.of(graph)
    found = cache.place_days
    if found is None:
        found = cache.place_days = tuple(
            sorted(
                {
                    on
                    for successions in (graph.locality_successors, graph.issuer_successors)
                    for pairs in successions.values()
                    for _, on in pairs
                }
            )
        )
    return found
