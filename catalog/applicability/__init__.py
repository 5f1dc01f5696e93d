"""Which documents apply to a product on a date, and why (docs/domain.md §6): the engine.

A product's answer is a step function of the day (:mod:`.timeline`): :mod:`.days` names the
days it may change on, and :mod:`.resolve` evaluates it once per segment from the product's
:mod:`.plan` (the rules that may reach it), the :mod:`.editions` in force on the day, and the
:mod:`.places` local documents count for. What is worked out once per catalog graph lives in
its :mod:`.cache`. The answer's types are in :mod:`.answer`.

Product lookup is :mod:`catalog.products`; code ordering and HS/ICS prefixes are
:mod:`catalog.codes_order`.
"""

from catalog.applicability.answer import (
    Applicability,
    DaySpan,
    DocumentRef,
    Entry,
    Reason,
    ReasonKind,
    ReviewCount,
    Standing,
    document_ref,
    document_start,
    entry_order,
)
from catalog.applicability.anyproduct import (
    AnyProductAnswer,
    CategoryReach,
    UnknownCategory,
    applicable_any,
)
from catalog.applicability.editions import EditionInForce, edition_in_force
from catalog.applicability.plan import prepare_graph
from catalog.applicability.resolve import (
    answer_timeline,
    applicable,
    applicable_in,
    applicable_over,
)
from catalog.applicability.timeline import Timeline

__all__ = [
    "AnyProductAnswer",
    "Applicability",
    "CategoryReach",
    "DaySpan",
    "DocumentRef",
    "EditionInForce",
    "Entry",
    "Reason",
    "ReasonKind",
    "ReviewCount",
    "Standing",
    "Timeline",
    "UnknownCategory",
    "answer_timeline",
    "applicable",
    "applicable_any",
    "applicable_in",
    "applicable_over",
    "document_ref",
    "document_start",
    "edition_in_force",
    "entry_order",
    "prepare_graph",
]
