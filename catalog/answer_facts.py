"""What given facts make of an answer: each document applies, does not apply, or depends on.

A layer over the engine's answer (:mod:`catalog.applicability`), which it never changes:
the engine lists every document a rule may bring, whatever the rule's condition; this layer
settles each entry with the facts given about the product and how it is sold
(:mod:`catalog.facts`), and the typed conditions of the rules that reached it
(:mod:`catalog.conditions`).

An entry applies when one of its reasons applies: a rule whose typed conditions all hold, a
rule without typed conditions (unconditional, or a condition kept as text only), or a
citation by a document that applies. It does not apply when every reason is ruled out, with
the conditions that failed. Otherwise it depends on the facts still open. A registered
product's default facts (from the registry) count as given unless the asker gives that fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from catalog.applicability import Applicability, Entry, Reason, ReasonKind
from catalog.conditions import APPLIES, Condition, Settled, Verdict, settle
from catalog.fact_index import FactIndex
from catalog.facts import Fact, Facts

SECTIONS = ("entries", "upcoming", "withdrawn", "out_of_scope")


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the facts make of one entry."""

    verdict: Verdict
    questions: tuple[Fact, ...] = ()  # the facts still open that would settle it
    ruled_out_by: tuple[Condition, ...] = ()  # the conditions the facts given fail


SETTLED = EntryFacts(Verdict.APPLIES)


@dataclass(frozen=True)
class FactsAnswer:
    """An engine answer with the facts it was settled with, and each entry's verdict."""

    answer: Applicability
    given: Facts  # by the asker
    defaults: Facts  # the product's, from the registry (a given fact overrides its default)
    verdicts: dict[Entry, EntryFacts] = field(repr=False)

    def of(self, entry: Entry) -> EntryFacts:
        return self.verdicts.get(entry, SETTLED)

    def kept(self, entries: Iterable[Entry]) -> tuple[Entry, ...]:
        """``entries`` that are not ruled out (apply, or depend on a question still open)."""
        return tuple(e for e in entries if self.of(e).verdict != Verdict.DOES_NOT_APPLY)

    def counts(self) -> dict[Verdict, int]:
        """How many entries in force apply, do not apply and depend on a question."""
        found = Counter(self.of(e).verdict for e in self.answer.entries)
        return {verdict: found[verdict] for verdict in Verdict}

    def questions(self) -> list[tuple[Fact, int]]:
        """The facts still open, with how many entries in force each would help settle, the
        most useful first (vocabulary order between equals)."""
        found = Counter(q for e in self.answer.entries for q in self.of(e).questions)
        order = {fact: i for i, fact in enumerate(Fact)}
        return sorted(found.items(), key=lambda item: (-item[1], order[item[0]]))


def apply_facts(answer: Applicability, facts: Facts, index: FactIndex) -> FactsAnswer:
    """Settle every entry of ``answer`` with ``facts`` (:data:`~catalog.facts.NO_FACTS`: only
    the product's defaults, and each entry lists the questions that would settle it).
    ``index`` is the catalog graph's (``graph.facts``)."""
    defaults = index.defaults_of(answer.product.id)
    known = facts.over(defaults) if defaults else facts
    entries = list(_all_entries(answer))
    by_code = {e.document.code: e for e in entries}
    verdicts: dict[Entry, EntryFacts] = {}
    for entry in entries:
        _settle_entry(entry, known, index, by_code, verdicts, frozenset())
    return FactsAnswer(answer, facts, defaults, verdicts)


def _all_entries(answer: Applicability) -> Iterator[Entry]:
    for name in SECTIONS:
        yield from getattr(answer, name)


def _settle_entry(
    entry: Entry,
    facts: Facts,
    index: FactIndex,
    by_code: dict[str, Entry],
    verdicts: dict[Entry, EntryFacts],
    citing: frozenset[str],
) -> EntryFacts:
    found = verdicts.get(entry)
    if found is not None:
        return found
    settled = [
        _settle_reason(r, entry, facts, index, by_code, verdicts, citing) for r in entry.reasons
    ]
    found = _combined(settled)
    if not citing:  # a verdict reached inside a citation cycle is not final
        verdicts[entry] = found
    return found


def _settle_reason(
    reason: Reason,
    entry: Entry,
    facts: Facts,
    index: FactIndex,
    by_code: dict[str, Entry],
    verdicts: dict[Entry, EntryFacts],
    citing: frozenset[str],
) -> EntryFacts:
    """A rule's reason is settled by its conditions; a citation by the citing entry."""
    if reason.kind == ReasonKind.CITATION:
        cited_by = by_code.get(reason.subject or "")
        if cited_by is None or cited_by.document.code in citing:
            return SETTLED
        inner = citing | {entry.document.code}
        return _settle_entry(cited_by, facts, index, by_code, verdicts, inner)
    return _of_rule(settle(index.conditions_of(reason.rule_id), facts), index, reason.rule_id)


def _of_rule(settled: Settled, index: FactIndex, rule_id: int | None) -> EntryFacts:
    if settled is APPLIES:
        return SETTLED
    if settled.verdict == Verdict.DOES_NOT_APPLY:
        failed = tuple(c for c in index.conditions_of(rule_id) if c.fact in settled.ruled_out_by)
        return EntryFacts(Verdict.DOES_NOT_APPLY, ruled_out_by=failed)
    return EntryFacts(Verdict.DEPENDS_ON, questions=settled.open)


def _combined(settled: list[EntryFacts]) -> EntryFacts:
    """An entry applies when one of its reasons does; is ruled out when all are."""
    if not settled or any(s.verdict == Verdict.APPLIES for s in settled):
        return SETTLED
    if all(s.verdict == Verdict.DOES_NOT_APPLY for s in settled):
        failed = dict.fromkeys(c for s in settled for c in s.ruled_out_by)
        return EntryFacts(Verdict.DOES_NOT_APPLY, ruled_out_by=tuple(failed))
    open_facts = {q for s in settled for q in s.questions}
    return EntryFacts(Verdict.DEPENDS_ON, questions=tuple(f for f in Fact if f in open_facts))
