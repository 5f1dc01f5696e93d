"""Applicability answers kept encoded, per product and span of days.

An answer is the same on every day of its :class:`~catalog.applicability.DaySpan` but for its
``as_of``, so the JSON of one answer serves all of them: it is kept as the bytes before the
``as_of`` value and the pieces after it, and a request splices its own day in. Entries are
encoded once and shared between answers (a category's regulations appear in the answer of
every product in it): a held answer costs about 1 KB (bundled data) to 9 KB (a synthetic catalog
of 10,000 products), as bench/bench_api.py measures.

One :class:`EncodedAnswers` serves one catalog graph: the answer service
(:class:`~api.services.answers.AnswerService`) makes a new one for each graph it serves, so
an answer from an older catalog is never served.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from litestar.serialization import encode_json

from api.services.facts_json import answer_facts_json, dressed_entry
from catalog.answer_facts import EntryFacts, FactsAnswer
from catalog.applicability import Applicability, DaySpan, Entry
from catalog.vocab import Role

_SECTIONS = ("entries", "upcoming", "withdrawn", "out_of_scope")

# (product id, role filter, mandatory only)
AnswerKind = tuple[int, Role | None, bool, str | None]  # product id, role, mandatory only, market
# the span, the JSON up to the as_of value, the pieces after it, and a digest of both
Held = tuple[DaySpan, bytes, tuple[bytes, ...], str]


class EncodedAnswer(NamedTuple):
    body: bytes
    etag: str | None  # a strong entity tag, quoted (None: tagged by hashing the body)


def tagged(body: bytes) -> EncodedAnswer:
    """An answer computed now, tagged by a hash of its body before compression (a gzipped
    body differs from one second to the next, so its own hash would never match again)."""
    return EncodedAnswer(body, f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:24]}"')


class EncodedAnswers:
    """Encoded answers of one catalog graph, the first held dropped first past ``limit``."""

    def __init__(
        self, limit: int, settle: Callable[[Applicability], FactsAnswer] | None = None
    ) -> None:
        self.limit = limit  # answers held, over all products and spans
        # Facts (issue 14): what the product's default facts make of each entry, added to
        # its JSON and to the answer's (api.services.facts_json); None: the engine's JSON.
        self._settle = settle
        self.held = 0
        self.hits = 0
        self.misses = 0
        self.every_day = False  # every product's answers for all days are held
        self._answers: dict[AnswerKind, list[Held]] = {}
        self._heads: dict[int, bytes] = {}  # per product: '{"product":{…},"as_of":"'
        self._pieces: dict[Entry | tuple[Entry, EntryFacts], bytes] = {}  # each entry's JSON
        self._lock = threading.Lock()

    def stats(self) -> dict[str, int | bool]:
        """How many answers are held, how often they served, how many were computed, and
        whether every product's answers for all days are held."""
        return {
            "held": self.held,
            "served_held": self.hits,
            "computed": self.misses,
            "every_day": self.every_day,
        }

    def get(self, kind: AnswerKind, day: date) -> EncodedAnswer | None:
        """The answer for ``day``, if an answer held covers it."""
        held = self._held_for(kind, day)
        if held is None:
            return None
        self.hits += 1
        return _spliced(held, day)

    def span_at(self, kind: AnswerKind, day: date) -> DaySpan | None:
        """The span of the answer held for ``day``, if one is."""
        held = self._held_for(kind, day)
        return held[0] if held is not None else None

    def put(self, kind: AnswerKind, answer: Applicability, span: DaySpan) -> EncodedAnswer:
        """Hold ``answer`` for every day of ``span``; the answer for its own day."""
        self.misses += 1
        head = self._heads.get(kind[0])
        if head is None:
            head = b'{"product":' + encode_json(answer.product) + b',"as_of":"'
            self._heads[kind[0]] = head
        settled = self._settle(answer) if self._settle is not None else None
        tail: list[bytes] = [b'"']
        for name in _SECTIONS:
            tail.append(f',"{name}":['.encode())
            for index, entry in enumerate(getattr(answer, name)):
                if index:
                    tail.append(b",")
                tail.append(self._piece(entry, settled.of(entry) if settled else None))
            tail.append(b"]")
        tail.append(b',"mandatory_review":' + encode_json(answer.mandatory_review))
        # Drafts under way are few and depend on the market asked: encoded as they are.
        tail.append(b',"under_way":' + encode_json(answer.under_way))
        tail.append(b',"market":' + encode_json(answer.market))
        tail.append(b',"facts":' + answer_facts_json(settled) + b"}" if settled else b"}")
        digest = hashlib.sha1(head, usedforsecurity=False)
        for piece in tail:
            digest.update(piece)
        held = (span, head, tuple(tail), digest.hexdigest()[:20])
        with self._lock:
            # Another thread (the background one, say) may have held it meanwhile.
            already = self._held_for(kind, answer.as_of)
            if already is not None:
                return _spliced(already, answer.as_of)
            self._answers.setdefault(kind, []).append(held)
            self.held += 1
            while self.held > self.limit and len(self._answers) > 1:
                dropped = self._answers.pop(next(iter(self._answers)))
                self.held -= len(dropped)
        return _spliced(held, answer.as_of)

    def _held_for(self, kind: AnswerKind, day: date) -> Held | None:
        for held in self._answers.get(kind, ()):
            if held[0].first <= day <= held[0].last:
                return held
        return None

    def _piece(self, entry: Entry, verdict: EntryFacts | None = None) -> bytes:
        # The engine interns entries by value, so equal entries share one JSON here, and the
        # same entry (in the answers of many products) is encoded once; with its verdict
        # (facts), once per verdict.
        key = entry if verdict is None else (entry, verdict)
        found = self._pieces.get(key)
        if found is None:
            if len(self._pieces) >= self.limit:  # held answers keep theirs; new ones start afresh
                self._pieces = {}
            found = encode_json(entry)
            if verdict is not None:
                found = dressed_entry(found, verdict)
            self._pieces[key] = found
        return found


def _spliced(held: Held, day: date) -> EncodedAnswer:
    """The held answer for ``day``: its JSON with the day spliced in, and its entity tag."""
    _, head, tail, digest = held
    iso = day.isoformat()
    return EncodedAnswer(b"".join((head, iso.encode(), *tail)), f'"{digest}-{iso}"')
