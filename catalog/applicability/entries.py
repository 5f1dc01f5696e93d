"""Entries being assembled (:class:`Draft`), and the reasons and entries they become.

Reasons and entries are interned by value in the graph's :class:`EngineCache`: the key of an
interned value is made of the values it is built from (never of object identities), so equal
means identical by construction, whatever the order answers are computed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from catalog.applicability.answer import (
    ROLE_ORDER,
    DocumentRef,
    Entry,
    Reason,
    ReasonKind,
    Standing,
    entry_order,
    reason_order,
)
from catalog.applicability.cache import LIMIT, EngineCache
from catalog.applicability.wording import reason_words
from catalog.readmodel import DocumentRow
from catalog.review import strongest
from catalog.vocab import ReviewState, Role


@dataclass
class Draft:
    """An entry being assembled."""

    document: DocumentRow
    standing: Standing
    reasons: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cited_mandatory: bool = False


def citation_reason(cache: EngineCache, code: str, role: Role) -> Reason:
    """The reason "cited as mandatory by ``code``", for a citing entry of ``role``."""
    found = cache.citations.get((code, role))
    if found is None:
        found = cache.citations[(code, role)] = Reason(
            kind=ReasonKind.CITATION,
            text=reason_words(ReasonKind.CITATION, "en", code=code),
            role=role,
            subject=code,
            legal_basis=code,
        )
    return found


def citing(cache: EngineCache, reason: Reason, edition: str | None) -> Reason:
    """``reason`` naming ``edition`` as the one cited."""
    found = cache.citing.get((reason, edition))
    if found is None:
        if len(cache.citing) >= LIMIT:
            cache.citing.clear()
        found = cache.citing[(reason, edition)] = replace(reason, cited_edition=edition)
    return found


def make_entry(cache: EngineCache, draft: Draft, document: DocumentRef) -> tuple[tuple, Entry]:
    """The entry a draft makes, with its place in answer order."""
    doc = draft.document
    mandatory = doc.doc_type.mandatory or draft.cited_mandatory
    key = (draft.standing, doc.id, mandatory, *draft.reasons, *draft.notes)
    found = cache.entries.get(key)
    if found is not None:
        return found
    reasons: tuple[Reason, ...]
    roles: tuple[Role, ...]
    if len(draft.reasons) == 1:  # most entries
        reasons = tuple(draft.reasons)
        roles = (reasons[0].role,)
    else:
        roles = tuple(sorted({r.role for r in draft.reasons}, key=ROLE_ORDER.__getitem__))
        reasons = tuple(sorted(draft.reasons, key=reason_order))
    entry = Entry(
        document=document,
        standing=draft.standing,
        mandatory=mandatory,
        role=roles[0],
        roles=roles,
        reasons=reasons,
        notes=tuple(draft.notes),
        review_state=strongest(
            r.review.state if r.review else ReviewState.UNVERIFIED for r in reasons
        ),
    )
    order = entry_order(entry)
    if draft.standing == Standing.UPCOMING:
        order = (document.effective_from or date.max, *order)
    if len(cache.entries) >= LIMIT:
        cache.entries.clear()
    found = cache.entries[key] = (order, entry)
    return found
