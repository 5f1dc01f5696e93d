"""An answer settled by facts (:mod:`catalog.answer_facts`) as the API's JSON.

The engine's answer is kept byte for byte, with two members added: each entry ends with
``"facts"`` (its verdict, the questions still open that would settle it, the conditions the
facts given fail), and the answer ends with ``"facts"`` (the facts given and the product's
defaults, how many entries in force apply, and the questions still open with their wording
and answers, the most useful first). Held answers (:mod:`api.services.encoded_answers`) are
spliced from the same pieces, so an answer is the same bytes whether held or computed.

The classes at the end describe these members in the OpenAPI document.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import msgspec
from litestar.serialization import encode_json

from catalog import applicability as engine
from catalog.answer_facts import SECTIONS, EntryFacts, FactsAnswer
from catalog.conditions import Verdict
from catalog.facts import FACTS, Fact, Facts

_ENTRY_FACTS: dict[EntryFacts, bytes] = {}  # few distinct values: verdict, questions, failures


def entry_facts_json(verdict: EntryFacts) -> bytes:
    found = _ENTRY_FACTS.get(verdict)
    if found is None:
        if len(_ENTRY_FACTS) >= 10_000:
            _ENTRY_FACTS.clear()
        found = _ENTRY_FACTS[verdict] = msgspec.json.encode(
            EntryVerdict(
                verdict=verdict.verdict,
                questions=[q.value for q in verdict.questions],
                ruled_out_by=[
                    RuledOut(fact=c.fact.value, values=_ordered(c.fact, c.values))
                    for c in verdict.ruled_out_by
                ],
            )
        )
    return found


def dressed_entry(entry_json: bytes, verdict: EntryFacts) -> bytes:
    """The entry's JSON (an object) with its ``"facts"`` member added at the end."""
    return b"".join((entry_json[:-1], b',"facts":', entry_facts_json(verdict), b"}"))


def answer_facts_json(found: FactsAnswer) -> bytes:
    """The answer's ``"facts"`` member's value."""
    return msgspec.json.encode(
        AnswerFacts(
            given=_given(found.given),
            defaults=_given(found.defaults),
            counts={verdict.value: n for verdict, n in found.counts().items()},
            questions=[_question(fact, n) for fact, n in found.questions()],
        )
    )


def facts_answer_json(found: FactsAnswer) -> bytes:
    """The whole answer: the engine's JSON with the members of the module docstring."""
    answer = found.answer
    parts: list[bytes] = []
    for field in fields(engine.Applicability):
        value = getattr(answer, field.name)
        if field.name in SECTIONS:
            encoded = b"[" + b",".join(_entry(found, e) for e in value) + b"]"
        else:
            encoded = encode_json(value)
        parts.append(b'"' + field.name.encode() + b'":' + encoded)
    parts.append(b'"facts":' + answer_facts_json(found))
    return b"{" + b",".join(parts) + b"}"


def _entry(found: FactsAnswer, entry: engine.Entry) -> bytes:
    return dressed_entry(encode_json(entry), found.of(entry))


def _given(facts: Facts) -> dict[str, list[str]]:
    return {fact.value: _ordered(fact, values) for fact, values in facts.given}


def _ordered(fact: Fact, values: frozenset[str]) -> list[str]:
    return [v for v in FACTS[fact].values if v in values]


def _question(fact: Fact, settles: int) -> FactQuestion:
    spec = FACTS[fact]
    return FactQuestion(
        fact=fact.value,
        question_vi=spec.question_vi,
        question_en=spec.question_en,
        several=spec.several,
        settles=settles,
        answers=[
            FactAnswer(value=v, label_vi=spec.label(v, "vi"), label_en=spec.label(v, "en"))
            for v in spec.answers
        ],
    )


# --- the members as documented (and encoded) ----------------------------------------------


class RuledOut(msgspec.Struct):
    """A condition the facts given fail: the fact, and the values that would make it hold."""

    fact: str
    values: list[str]


class EntryVerdict(msgspec.Struct):
    """What the facts make of the entry."""

    verdict: Verdict
    questions: list[str]  # facts still open that would settle it
    ruled_out_by: list[RuledOut]


class FactAnswer(msgspec.Struct):
    value: str
    label_vi: str
    label_en: str


class FactQuestion(msgspec.Struct):
    """A fact still open: its question, its answers, and how many entries it would settle."""

    fact: str
    question_vi: str
    question_en: str
    several: bool  # several answers may be given (or "none")
    settles: int
    answers: list[FactAnswer]


class AnswerFacts(msgspec.Struct):
    """The facts the answer was settled with, its counts, and the questions still open."""

    given: dict[str, list[str]]  # by the asker; [] answers "none"
    defaults: dict[str, list[str]]  # the product's, from the registry
    counts: dict[str, int]  # entries in force: applies, does_not_apply, depends_on
    questions: list[FactQuestion]


# The engine's answer as documented, with the members facts add (same names, so generated
# clients keep their classes).


@dataclass(frozen=True)
class Entry(engine.Entry):
    facts: EntryVerdict | None = None


@dataclass(frozen=True)
class Applicability(engine.Applicability):
    """The answer as the API sends it (the engine's, with what the facts make of it)."""

    entries: tuple[Entry, ...]
    upcoming: tuple[Entry, ...]
    withdrawn: tuple[Entry, ...]
    out_of_scope: tuple[Entry, ...]
    facts: AnswerFacts | None = None
