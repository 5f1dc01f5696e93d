"""The obligations table: what a producer has to do because a document applies, and why.

Bundled as ``fixtures/obligations/obligations.csv``: each row matches documents by type
(``tcvn``, ``qcvn``, ``qcdp``, ``legal`` for laws, decrees, circulars, decisions and
resolutions, or ``*``), by the role the answer gives them (a :class:`~catalog.vocab.Role`,
``cited_mandatory`` for a standard a regulation makes binding, or ``*``), optionally by product
class (a category slug such as ``thuc-pham``, matching its subcategories, or a product kind
such as ``ocop``) or by one document's code, and names a step: what to do, its legal basis,
the authority that receives it and whether that was confirmed from a source (its review).

:func:`read_table` reads it; a bad row is rejected with its row number and why, and the other
rows load. Rows naming the same step must agree on what the step is: a step is one thing to
do, whichever document leads to it (:mod:`catalog.obligations` merges them).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypeVar

from catalog.codes import DocType, parse_code
from catalog.paths import REPO_ROOT
from catalog.review import SourceRef
from catalog.text import nfc
from catalog.vocab import Labelled, ReviewState, Role

log = logging.getLogger(__name__)
BUNDLED = REPO_ROOT / "fixtures" / "obligations" / "obligations.csv"
ANY = "*"
CITED_MANDATORY = "cited_mandatory"
LEGAL_TYPES = frozenset(
    {DocType.LAW, DocType.DECREE, DocType.CIRCULAR, DocType.DECISION, DocType.RESOLUTION}
)
_TYPE_WORDS = {"legal": LEGAL_TYPES, "qcđp": frozenset({DocType.QCDP})}
COLUMNS = (
    "doc_type",
    "role",
    "product_class",
    "issuer",
    "document",
    "valid_from",
    "valid_to",
    "step",
    "duty",
    "action_vi",
    "action_en",
    "condition_vi",
    "condition_en",
    "basis",
    "authority_vi",
    "authority_en",
    "review",
    "source_title",
    "source_url",
    "source_locator",
    "retrieved_on",
    "note",
)
E = TypeVar("E", bound=Labelled)
# ``{document}`` in a basis or a source locator stands for the code of the document at hand.
DOCUMENT_PLACEHOLDER = "{document}"


class Duty(Labelled):
    """How binding a step is: always, only when its condition holds, or never (voluntary)."""

    MUST = "must"
    IF = "if"
    MAY = "may"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.MUST: ("Bắt buộc", "Must"),
            cls.IF: ("Bắt buộc nếu thuộc trường hợp", "Must, when the condition holds"),
            cls.MAY: ("Tự nguyện", "Voluntary"),
        }


@dataclass(frozen=True)
class Step:
    """One thing to do, with its basis, the authority that receives it and its review."""

    step: str  # stable key, e.g. "self_declare_food"
    duty: Duty
    action_vi: str
    action_en: str
    condition_vi: str
    condition_en: str
    basis: str
    authority_vi: str
    authority_en: str
    review: ReviewState
    source: SourceRef | None
    note: str


@dataclass(frozen=True)
class StepRule:
    """One row: which documents lead to ``step``."""

    row: int
    doc_types: frozenset[DocType] | None  # None: any type
    role: str  # a Role value, CITED_MANDATORY or ANY
    product_class: str | None
    issuer: str | None  # the issuer code of the document (e.g. BYT), when it matters
    document: str | None  # a canonical code
    valid_from: date | None  # the days the row holds, both ends included
    valid_to: date | None
    step: Step

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class TableReject:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass(frozen=True)
class ObligationTable:
    rules: tuple[StepRule, ...]
    rejects: tuple[TableReject, ...] = ()


class RowError(ValueError):
    pass


def read_table(path: Path = BUNDLED) -> ObligationTable:
    """The table in ``path``, with the rows it rejected (row 1 is the header), each logged."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            table = ObligationTable((), (TableReject(1, f"missing columns: {', '.join(missing)}"),))
        else:
            table = parse_rows(enumerate(reader, start=2))
    for reject in table.rejects:
        log.warning("%s: %s rejected", path.name, reject)
    return table


def parse_rows(rows: Iterable[tuple[int, dict[str, str | None]]]) -> ObligationTable:
    """Rules from ``(row number, {column: text})`` pairs; a bad row becomes a reject."""
    rules: list[StepRule] = []
    rejects: list[TableReject] = []
    steps: dict[str, tuple[int, Step]] = {}
    for number, cells in rows:
        try:
            rule = _rule(number, cells)
            first = steps.setdefault(rule.step.step, (number, rule.step))
            if first[1] != rule.step:
                raise RowError(
                    f"step {rule.step.step!r} is described differently at row {first[0]}"
                )
        except RowError as exc:
            rejects.append(TableReject(number, str(exc)))
            continue
        rules.append(rule)
    return ObligationTable(tuple(rules), tuple(rejects))


@cache
def bundled_table() -> ObligationTable:
    return read_table(BUNDLED)


def _rule(number: int, cells: dict[str, str | None]) -> StepRule:
    def cell(name: str) -> str:
        return nfc((cells.get(name) or "").strip())

    for required in ("doc_type", "role", "step", "duty", "action_vi", "basis", "review"):
        if not cell(required):
            raise RowError(f"{required} is empty")
    valid_from, valid_to = (
        _day(cell("valid_from"), "valid_from"),
        _day(cell("valid_to"), "valid_to"),
    )
    if valid_from and valid_to and valid_to < valid_from:
        raise RowError(f"valid_to {valid_to} is before valid_from {valid_from}")
    return StepRule(
        row=number,
        doc_types=_doc_types(cell("doc_type")),
        role=_role(cell("role")),
        product_class=cell("product_class") or None,
        issuer=cell("issuer") or None,
        document=_document(cell("document")),
        valid_from=valid_from,
        valid_to=valid_to,
        step=Step(
            step=cell("step"),
            duty=_choice(Duty, cell("duty"), "duty"),
            action_vi=cell("action_vi"),
            action_en=cell("action_en"),
            condition_vi=cell("condition_vi"),
            condition_en=cell("condition_en"),
            basis=cell("basis"),
            authority_vi=cell("authority_vi"),
            authority_en=cell("authority_en"),
            review=_review(cell("review")),
            source=_source(cell),
            note=cell("note"),
        ),
    )


def _doc_types(text: str) -> frozenset[DocType] | None:
    word = text.lower()
    if word == ANY:
        return None
    if word in _TYPE_WORDS:
        return _TYPE_WORDS[word]
    try:
        return frozenset({DocType(word)})
    except ValueError:
        known = ", ".join(["*", "legal", *(t.value for t in DocType)])
        raise RowError(f"unknown doc_type {text!r}: expected one of {known}") from None


def _role(text: str) -> str:
    if text in (ANY, CITED_MANDATORY):
        return text
    return _choice(Role, text, "role").value


def _document(text: str) -> str | None:
    if not text:
        return None
    try:
        return parse_code(text).canonical()
    except ValueError as exc:
        raise RowError(f"document {text!r} is not a document code: {exc}") from None


def _review(text: str) -> ReviewState:
    state = _choice(ReviewState, text, "review")
    if state == ReviewState.DISPUTED:
        raise RowError("review 'disputed': a disputed step is left out of the table, not listed")
    return state


def _source(cell: Callable[[str], str]) -> SourceRef | None:
    title, url, locator = cell("source_title"), cell("source_url"), cell("source_locator")
    retrieved, review = cell("retrieved_on"), cell("review")
    if not title:
        if review == ReviewState.VERIFIED:
            raise RowError("a verified step needs its source (source_title)")
        return None
    retrieved_on = _day(retrieved, "retrieved_on")
    return SourceRef(title, url or None, locator or None, retrieved_on, cell("note") or None)


def _day(text: str, column: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise RowError(f"{column} {text!r} is not a date (YYYY-MM-DD)") from None


def _choice(kind: type[E], text: str, column: str) -> E:
    try:
        return kind(text)
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise RowError(f"unknown {column} {text!r}: expected one of {known}") from None
