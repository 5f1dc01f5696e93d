"""Applicability answers kept encoded, per product and span of days.

An answer is the same on every day of its :class:`~catalog.applicability.DaySpan` but for its
``as_of``, so the JSON of one answer serves all of them: it is kept as the bytes before the
``as_of`` value and the pieces after it, and a request splices its own day in. Entries are
encoded one by one and shared between answers (a category's regulations appear in the answer
of every product in it), which keeps a held answer to a few hundred bytes of references.

One :class:`EncodedAnswers` lives in a catalog graph's ``derived`` memo, so it is dropped with
the graph when the catalog changes and never serves an answer from an older catalog.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from litestar.serialization import encode_json

from catalog.applicability import Applicability, DaySpan, Entry
from catalog.readmodel import CatalogGraph
from catalog.vocab import Role

_SECTIONS = ("entries", "upcoming", "withdrawn", "out_of_scope")

# (product id, role filter, mandatory only)
AnswerKind = tuple[int, Role | None, bool]
# the span, the JSON up to the as_of value, and the pieces after it
Held = tuple[DaySpan, bytes, tuple[bytes, ...]]


class EncodedAnswers:
    """Encoded answers of one catalog graph, the least recently used dropped past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit  # answers held, over all products and spans
        self.held = 0
        self.hits = 0
        self.misses = 0
        self._answers: OrderedDict[AnswerKind, list[Held]] = OrderedDict()
        self._heads: dict[int, bytes] = {}  # per product: '{"product":{…},"as_of":"'
        self._pieces: dict[bytes, bytes] = {}  # one copy of each encoded entry
        self._lock = threading.Lock()

    @classmethod
    def of(cls, graph: CatalogGraph, limit: int) -> EncodedAnswers:
        """The graph's encoded answers (made on first use)."""
        found = graph.derived.get("api.encoded_answers")
        if found is None:
            found = graph.derived.setdefault("api.encoded_answers", cls(limit))
        return found

    def get(self, kind: AnswerKind, day: date) -> bytes | None:
        """The JSON of the answer for ``day``, if an answer held covers it."""
        spans = self._answers.get(kind)
        if spans is not None:
            for span, head, tail in spans:
                if span.first <= day <= span.last:
                    self.hits += 1
                    with self._lock:
                        if kind in self._answers:
                            self._answers.move_to_end(kind)
                    return b"".join((head, day.isoformat().encode(), *tail))
        return None

    def put(self, kind: AnswerKind, answer: Applicability, span: DaySpan) -> bytes:
        """Hold ``answer`` for every day of ``span``; its JSON for its own day."""
        self.misses += 1
        head = self._heads.get(kind[0])
        if head is None:
            head = b'{"product":' + encode_json(answer.product) + b',"as_of":"'
            self._heads[kind[0]] = head
        tail: list[bytes] = [b'"']
        for name in _SECTIONS:
            tail.append(f',"{name}":['.encode())
            for index, entry in enumerate(getattr(answer, name)):
                if index:
                    tail.append(b",")
                tail.append(self._piece(entry))
            tail.append(b"]")
        tail.append(b"}")
        held = (span, head, tuple(tail))
        with self._lock:
            self._answers.setdefault(kind, []).append(held)
            self._answers.move_to_end(kind)
            self.held += 1
            while self.held > self.limit and len(self._answers) > 1:
                _, dropped = self._answers.popitem(last=False)
                self.held -= len(dropped)
        return b"".join((head, answer.as_of.isoformat().encode(), *held[2]))

    def _piece(self, entry: Entry) -> bytes:
        encoded = encode_json(entry)
        if len(self._pieces) >= self.limit:  # held answers keep theirs; new ones start afresh
            self._pieces = {}
        return self._pieces.setdefault(encoded, encoded)
