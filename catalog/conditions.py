"""Typed conditions of rules, and what given facts make of them.

A rule's free-text condition ("Nếu đóng gói bằng bao bì thủy tinh, gốm, sứ") stays its
explanation; where the text really says which facts decide it, the rule also carries typed
conditions: each a fact (:mod:`catalog.facts`) with the values that make the rule apply. All
of a rule's conditions must hold. The rules sheet writes them compactly, conditions joined
by ``;``, the values of one by ``|``::

    packaging=glass|ceramic; prepackaged=yes

A condition holds when one of its values is among the values given for its fact; a fact not
given leaves it open. So a rule applies when every condition holds, does not apply when one
fails (that fact rules it out), and otherwise depends on the facts still open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from catalog.facts import FACTS, NONE, Fact, Facts, FactsError, checked_values, fact_named

_CONDITION_SPLIT = re.compile(r";")
_VALUE_SPLIT = re.compile(r"\|")


class ConditionError(ValueError):
    """A typed condition that does not parse, with the part that is wrong and why."""


@dataclass(frozen=True, slots=True)
class Condition:
    fact: Fact
    values: frozenset[str]  # any of them makes it hold

    def holds(self, facts: Facts) -> bool | None:
        """Whether the given facts make it hold; None when its fact was not given, or is
        known only in part and none of the values known makes it hold."""
        given = facts.get(self.fact)
        if given is None:
            return None
        if not given.isdisjoint(self.values):
            return True
        return None if self.fact in facts.partial else False

    def text(self) -> str:
        return f"{self.fact.value}={'|'.join(_in_vocabulary_order(self.fact, self.values))}"


Conditions = tuple[Condition, ...]  # all must hold; in vocabulary order


def parse_conditions(text: str | None) -> Conditions:
    """The conditions written in ``text`` (empty: none), or a :class:`ConditionError`."""
    found: dict[Fact, frozenset[str]] = {}
    for raw in _CONDITION_SPLIT.split(text or ""):
        part = raw.strip()
        if not part:
            continue
        name, sep, values = part.partition("=")
        if not sep:
            raise ConditionError(f"{part!r}: expected fact=value, e.g. prepackaged=yes")
        try:
            fact = fact_named(name, part)
            if fact in found:
                raise FactsError(part, f"{fact.value} is given twice; join its values with |")
            given = [v for v in _VALUE_SPLIT.split(values) if v.strip()]
            if any(v.strip().lower() == NONE for v in given):
                raise FactsError(part, f"{NONE!r} cannot make a rule apply; name the values")
            found[fact] = checked_values(fact, given, part)
        except FactsError as exc:
            raise ConditionError(str(exc)) from None
    return tuple(Condition(fact, found[fact]) for fact in Fact if fact in found)


def format_conditions(conditions: Iterable[Condition]) -> str:
    """The conditions in the sheet's syntax, one spelling for equal conditions."""
    return "; ".join(c.text() for c in conditions)


class Verdict(StrEnum):
    APPLIES = "applies"
    DOES_NOT_APPLY = "does_not_apply"
    DEPENDS_ON = "depends_on"


@dataclass(frozen=True, slots=True)
class Settled:
    """What given facts make of a rule's conditions."""

    verdict: Verdict
    ruled_out_by: tuple[Fact, ...] = ()  # the facts whose given values fail a condition
    open: tuple[Fact, ...] = ()  # the facts not given that would settle it


def settle(conditions: Conditions, facts: Facts) -> Settled:
    """The verdict on a rule with ``conditions`` (none: it applies) given ``facts``."""
    failed: list[Fact] = []
    unanswered: list[Fact] = []
    for condition in conditions:
        holds = condition.holds(facts)
        if holds is None:
            unanswered.append(condition.fact)
        elif not holds:
            failed.append(condition.fact)
    if failed:
        return Settled(Verdict.DOES_NOT_APPLY, ruled_out_by=tuple(failed))
    if unanswered:
        return Settled(Verdict.DEPENDS_ON, open=tuple(unanswered))
    return APPLIES


APPLIES = Settled(Verdict.APPLIES)


def _in_vocabulary_order(fact: Fact, values: frozenset[str]) -> list[str]:
    return [v for v in FACTS[fact].values if v in values]
