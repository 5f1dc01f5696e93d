"""The ``facts`` query parameter of the applicability endpoints (issue 14).

Facts are written as :mod:`catalog.facts` says: ``prepackaged:yes,packaging:glass+metal``.
The schema states the whole grammar as a pattern built from the vocabulary, and
:func:`facts_asked` refuses exactly what the pattern refuses (lower case, no spaces), and
beyond it only what a pattern cannot state: one fact given twice with values that contradict
(``prepackaged:yes,prepackaged:no``, ``claims:none,claims:ocop``). The problem names the item
that is wrong and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from litestar.params import Parameter

from api.problems import Problem
from catalog.facts import FACTS, NO_FACTS, Facts, FactsError, FactSpec, parse_facts


def _item(spec: FactSpec) -> str:
    one = "(?:" + "|".join(spec.values) + ")"
    values = f"(?:none|{one}(?:[+| ]{one})*)" if spec.several else one
    return f"{spec.fact.value}[:=]{values}"


_ITEM = "(?:" + "|".join(_item(spec) for spec in FACTS.values()) + ")"
PATTERN = f"^(?:{_ITEM}(?:[,;]{_ITEM})*)?$"
MAX_LENGTH = 1000

FactsQuery = Annotated[
    str | None,
    Parameter(
        description="Facts about the product and how it is sold, which settle the rules that "
        "carry a condition: fact:value items joined by commas, several values of one fact by "
        "'+' (or '|'; an unencoded '+' reads as a space, taken as '+'), 'none' where none "
        "holds, e.g. "
        "'prepackaged:yes,packaging:glass+metal,claims:none,market:domestic'. Facts: "
        + "; ".join(f"{f.value} ({', '.join(s.answers)})" for f, s in FACTS.items())
        + ". A fact given twice must not contradict itself",
        # Stated, not checked by Litestar (whose message would quote the pattern):
        # facts_asked refuses the same, saying which item is wrong and why.
        schema_extra={"pattern": PATTERN, "maxLength": MAX_LENGTH},
        required=False,
    ),
]


def facts_of_form(query: Mapping[str, list[str]]) -> Facts:
    """Facts a web form sends: one parameter per fact, named as the fact, once per value
    (``?prepackaged=yes&packaging=glass&packaging=metal``), so the page's address holds the
    answers. Raises :class:`~catalog.facts.FactsError` naming the one that is wrong."""
    return parse_facts(
        f"{fact.value}:{'+'.join(query[fact.value])}" for fact in FACTS if query.get(fact.value)
    )


def facts_asked(value: str | None) -> Facts:
    """The facts ``value`` gives (none when absent or empty), or a 400 problem saying which
    item is wrong and why."""
    if not value:
        return NO_FACTS
    try:
        facts = parse_facts(value)
    except FactsError as exc:
        raise _invalid(f"item {exc.item!r}: {exc.reason}") from None
    if len(value) > MAX_LENGTH or not re.fullmatch(PATTERN, value):
        raise _invalid(
            f"{value[:80]!r}: write fact:value items in lower case joined by commas, "
            "without spaces, e.g. prepackaged:yes,packaging:glass+metal"
        )
    return facts


def _invalid(message: str) -> Problem:
    return Problem(
        400,
        "Invalid request",
        f"query field 'facts': {message}",
        errors=[{"field": "facts", "in": "query", "message": message}],
    )
