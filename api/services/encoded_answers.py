"""Applicability answers kept encoded, per product and span of days, within a byte budget.

An answer is the same on every day of its :class:`~catalog.applicability.DaySpan` but for its
``as_of``, so the JSON of one answer serves all of them: it is kept as the piece before the
``as_of`` value and the pieces after it, and a request splices its own day in.

Answers share most of their JSON: a category's regulations appear in the answer of every product
in it, an edition's reference in every entry naming it, a rule's reason in the answer of every
day. So the JSON is cut where answers differ (an entry's document and standing, each reason, its
notes and review state; the product; the counts at the end), each distinct piece is kept once in
a table, and an answer is an array of 4-byte indices into it (decisions/0011 measures the
shapes). Pieces are counted by the answers (and the cached entries) that use them, and a piece
no answer uses any more is dropped.

The store holds at most ``budget`` bytes (its own reckoning of pieces, indices and bookkeeping,
checked against tracemalloc by the tests): past it, the answer used least recently goes first.
Every read takes the store's lock, so a piece is never dropped or its slot reused while a
request joins it.

One :class:`EncodedAnswers` serves one catalog graph: the answer service
(:class:`~api.services.answers.AnswerService`) makes a new one for each graph it serves, so an
answer from an older catalog is never served.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields
from datetime import date
from typing import NamedTuple

from litestar.serialization import encode_json

from api.services.facts_json import answer_facts_json, entry_facts_json
from catalog.answer_facts import EntryFacts, FactsAnswer
from catalog.applicability import Applicability, DaySpan, Entry

# What a held answer is kept under besides its span: (product id, role filter, mandatory only,
# market) today; any hashable value that names every input of the answer but the day.
AnswerKind = Hashable

_SECTIONS = ("entries", "upcoming", "withdrawn", "out_of_scope")  # lists of entries
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
_REASONS_AT = _ENTRY_FIELDS.index("reasons")  # an entry's pieces are cut around its reasons
_ANSWER_FIELDS = tuple(f.name for f in fields(Applicability))
assert _ANSWER_FIELDS[:2] == ("product", "as_of"), _ANSWER_FIELDS  # the day is spliced in there

# Bytes the store reckons beyond the pieces' own lengths (CPython 3.11, 64-bit; the tests
# check the reckoning against tracemalloc): a piece's bytes object and its entry in the index
# by value; a place in the table, kept once made (its slot, its count, its place on the free
# list); a held answer's record, its recency entry, its slot in its kind's list, its entity
# tag and cost; a kind's list and its slot in the index by kind; an entry's cache slot and
# index array, and per piece of it.
PIECE_OVERHEAD = 33 + 80
SLOT_OVERHEAD = 8 + 4 + 8
ANSWER_OVERHEAD = 80 + 90 + 16 + 69 + 32
KIND_OVERHEAD = 200
ENTRY_OVERHEAD, ENTRY_PIECE_OVERHEAD = 64 + 100, 4
# Entries whose pieces are remembered (encoding them is most of a put): at most one per 4 KiB
# of the budget, so that the cache never crowds out the answers.
ENTRY_CACHE, ENTRY_CACHE_SHARE = 20_000, 4096
# The default budget, in MiB (TIEUCHUAN_ANSWERS_HELD_MB); decisions/0011 says why.
ANSWERS_HELD_MB = 96


_EntryKey = Entry | tuple[Entry, EntryFacts]  # an entry, or an entry and its verdict


class EncodedAnswer(NamedTuple):
    body: bytes
    etag: str | None  # a strong entity tag, quoted (None: tagged by hashing the body)


def tagged(body: bytes) -> EncodedAnswer:
    """An answer computed now, tagged by a hash of its body before compression (a gzipped
    body differs from one second to the next, so its own hash would never match again)."""
    return EncodedAnswer(body, f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:24]}"')


class _Held:
    """One answer held for the days ``first``..``last``: indices of its pieces, the first one
    (the product) before the day and the rest after it."""

    __slots__ = ("cost", "digest", "first", "kind", "last", "pieces")

    def __init__(
        self, kind: AnswerKind, span: DaySpan, pieces: array[int], digest: str, cost: int
    ) -> None:
        self.kind, self.first, self.last = kind, span.first, span.last
        self.pieces, self.digest, self.cost = pieces, digest, cost


class EncodedAnswers:
    """Encoded answers of one catalog graph in at most ``budget`` bytes, least recently used
    dropped first."""

    def __init__(
        self, budget: int, settle: Callable[[Applicability], FactsAnswer] | None = None
    ) -> None:
        self.budget = budget
        # Facts (issue 14): what the product's default facts make of each entry, added to
        # its JSON and to the answer's (api.services.facts_json); None: the engine's JSON.
        self._settle = settle
        self.bytes = 0  # pieces, answers and entry cache, as reckoned (see PIECE_OVERHEAD)
        self.held = 0
        self.hits = 0
        self.misses = 0
        self.evicted = 0
        self.every_day = False  # every product's answers for all days are held
        self.full = False  # the budget stopped the holding of every day before it was done
        self._answers: dict[AnswerKind, list[_Held]] = {}
        self._recent: OrderedDict[_Held, None] = OrderedDict()  # least recently used first
        self._table: list[bytes] = []  # b"" where a piece was dropped
        self._counts = array("I")  # per piece: the answers and cached entries using it
        self._index: dict[bytes, int] = {}  # piece → its place in the table
        self._free: list[int] = []  # places of dropped pieces, for new ones
        # per entry (with its verdict, facts given): head, reasons, tail, tail + ","
        self._entries: dict[_EntryKey, array[int]] = {}
        self._lock = threading.Lock()

    def stats(self) -> dict[str, int | bool]:
        """How many answers are held in how many bytes, how often they served, how many were
        computed and dropped, and whether every product's answers for all days are held."""
        return {
            "held": self.held,
            "served_held": self.hits,
            "computed": self.misses,
            "every_day": self.every_day,
            "bytes": self.bytes,
            "budget": self.budget,
            "evicted": self.evicted,
            "full": self.full,
        }

    def get(self, kind: AnswerKind, day: date) -> EncodedAnswer | None:
        """The answer for ``day``, if an answer held covers it."""
        with self._lock:
            held = self._held_for(kind, day)
            if held is None:
                return None
            self.hits += 1
            self._recent.move_to_end(held)
            return self._spliced(held, day)

    def span_at(self, kind: AnswerKind, day: date) -> DaySpan | None:
        """The span of the answer held for ``day``, if one is."""
        with self._lock:
            held = self._held_for(kind, day)
            return DaySpan(held.first, held.last) if held is not None else None

    def room_for_more(self) -> bool:
        """Whether the store has never had to drop an answer to hold another, and is not full."""
        return self.bytes < self.budget and not self.evicted

    def put(self, kind: AnswerKind, answer: Applicability, span: DaySpan) -> EncodedAnswer:
        """Hold ``answer`` for every day of ``span`` (dropping the least recently used past
        the budget); the answer for its own day."""
        head = b'{"product":' + encode_json(answer.product) + b',"as_of":"'
        settled = self._settle(answer) if self._settle is not None else None
        tail: list[bytes | tuple[_EntryKey, bool]] = []
        glue = [b'"']  # constant JSON between entries, kept as one piece
        for name in _ANSWER_FIELDS[2:]:
            if name not in _SECTIONS:
                glue.append(b',"' + name.encode() + b'":' + encode_json(getattr(answer, name)))
                continue
            entries: tuple[Entry, ...] = getattr(answer, name)
            glue.append(b',"' + name.encode() + b'":[')
            for index, entry in enumerate(entries):
                if glue:
                    tail.append(b"".join(glue))
                    glue = []
                key = entry if settled is None else (entry, settled.of(entry))
                tail.append((key, index < len(entries) - 1))
            glue.append(b"]")
        if settled is not None:
            glue.append(b',"facts":' + answer_facts_json(settled))
        glue.append(b"}")
        tail.append(b"".join(glue))
        with self._lock:
            self.misses += 1
            # Another thread (the background one, say) may have held it meanwhile.
            already = self._held_for(kind, answer.as_of)
            if already is not None:
                return self._spliced(already, answer.as_of)
            held = self._hold(kind, span, head, tail)
            spliced = self._spliced(held, answer.as_of)
            self._shrink(keep=held)
            return spliced

    def _hold(
        self,
        kind: AnswerKind,
        span: DaySpan,
        head: bytes,
        tail: list[bytes | tuple[_EntryKey, bool]],
    ) -> _Held:
        pieces = array("I", (self._intern(head),))
        for part in tail:
            if isinstance(part, bytes):
                pieces.append(self._intern(part))
                continue
            entry, comma = part
            ids = self._entries.get(entry) or self._encode_entry(entry)
            for index in (*ids[:-2], ids[-1] if comma else ids[-2]):
                self._counts[index] += 1
                pieces.append(index)
        digest = hashlib.sha1(usedforsecurity=False)
        for index in pieces:
            digest.update(self._table[index])
        cost = ANSWER_OVERHEAD + sys.getsizeof(pieces)
        found = self._answers.get(kind)
        if found is None:
            found = self._answers[kind] = []
            self.bytes += KIND_OVERHEAD
        held = _Held(kind, span, pieces, digest.hexdigest()[:20], cost)
        found.append(held)
        self._recent[held] = None
        self.held += 1
        self.bytes += cost
        return held

    def _encode_entry(self, key: _EntryKey) -> array[int]:
        """An entry cut into pieces: up to its reasons' ``[``, each reason (with the comma
        before it but for the first), and the rest (with its verdict when facts settled it);
        cached, the cache's own counts taken."""
        entry, verdict = key if isinstance(key, tuple) else (key, None)
        fields = [
            b'"' + name.encode() + b'":' + encode_json(getattr(entry, name))
            for name in _ENTRY_FIELDS
            if name != "reasons"
        ]
        head = b"{" + b"".join(field + b"," for field in fields[:_REASONS_AT]) + b'"reasons":['
        if verdict is not None:  # as api.services.facts_json.dressed_entry adds it
            fields.append(b'"facts":' + entry_facts_json(verdict))
        rest = b"]" + b"".join(b"," + field for field in fields[_REASONS_AT:]) + b"}"
        reasons = [
            (b"," if index else b"") + encode_json(reason)
            for index, reason in enumerate(entry.reasons)
        ]
        ids = array(
            "I", [self._intern(piece, answers=0) for piece in (head, *reasons, rest, rest + b",")]
        )
        for index in ids:
            self._counts[index] += 1  # the cache's hold
        if len(self._entries) >= min(ENTRY_CACHE, self.budget // ENTRY_CACHE_SHARE):
            self._forget_entries()
        self._entries[key] = ids
        self.bytes += ENTRY_OVERHEAD + ENTRY_PIECE_OVERHEAD * len(ids)
        return ids

    def _forget_entries(self) -> None:
        for ids in self._entries.values():
            for index in ids:
                self._release(index)
            self.bytes -= ENTRY_OVERHEAD + ENTRY_PIECE_OVERHEAD * len(ids)
        self._entries = {}

    def _intern(self, piece: bytes, answers: int = 1) -> int:
        """The place of ``piece`` in the table, added if new; counted ``answers`` more times."""
        index = self._index.get(piece)
        if index is None:
            if self._free:
                index = self._free.pop()
                self._table[index] = piece
                self._counts[index] = 0
            else:
                index = len(self._table)
                self._table.append(piece)
                self._counts.append(0)
                self.bytes += SLOT_OVERHEAD
            self._index[piece] = index
            self.bytes += len(piece) + PIECE_OVERHEAD
        self._counts[index] += answers
        return index

    def _release(self, index: int) -> None:
        self._counts[index] -= 1
        if not self._counts[index]:
            piece = self._table[index]
            del self._index[piece]
            self._table[index] = b""
            self._free.append(index)
            self.bytes -= len(piece) + PIECE_OVERHEAD

    def _shrink(self, keep: _Held) -> None:
        """Drop the answers used least recently (never ``keep``) until within the budget."""
        while self.bytes > self.budget and len(self._recent) > 1:
            held = next(iter(self._recent))
            if held is keep:
                self._recent.move_to_end(held)
                continue
            del self._recent[held]
            spans = self._answers[held.kind]
            spans.remove(held)
            if not spans:
                del self._answers[held.kind]
                self.bytes -= KIND_OVERHEAD
            for index in held.pieces:
                self._release(index)
            self.bytes -= held.cost
            self.held -= 1
            self.evicted += 1
        if self.bytes > self.budget and self._entries:
            self._forget_entries()

    def _held_for(self, kind: AnswerKind, day: date) -> _Held | None:
        for held in self._answers.get(kind, ()):
            if held.first <= day <= held.last:
                return held
        return None

    def _spliced(self, held: _Held, day: date) -> EncodedAnswer:
        """The held answer for ``day``: its JSON with the day spliced in, and its entity tag."""
        table = self._table
        parts = [table[index] for index in held.pieces]
        iso = day.isoformat()
        parts.insert(1, iso.encode())
        return EncodedAnswer(b"".join(parts), f'"{held.digest}-{iso}"')
