"""What an answer is: the entries, their reasons and standing, and the order they are listed in.

Plain frozen dataclasses that the API serialises, the CLI prints as a table and the checklist
writes as CSV or XLSX. Equal values are interchangeable: the engine interns reasons and entries
by value (:mod:`catalog.applicability.entries`), and readers may key caches on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from operator import attrgetter

from catalog.codes import DocType
from catalog.codes_order import natural_key
from catalog.models import Document
from catalog.notifications import UnderWay
from catalog.products import ProductRef
from catalog.readmodel import DocumentRow
from catalog.readmodel import document_start as start_of
from catalog.review import NOT_REVIEWED, Review
from catalog.vocab import ReviewState, Role, Status

ROLE_ORDER = {role: index for index, role in enumerate(Role)}
# Mandatory documents are listed regulations first, then legal instruments, then what they bind.
_MANDATORY_TYPE_ORDER = {
    DocType.QCVN: 0,
    DocType.QCDP: 1,
    DocType.LAW: 2,
    DocType.DECREE: 3,
    DocType.RESOLUTION: 4,
    DocType.CIRCULAR: 5,
    DocType.DECISION: 6,
}


class ReasonKind(StrEnum):
    """How a document reached the product."""

    PRODUCT = "product"  # a rule on the product itself
    CATEGORY = "category"  # a rule on its category or an ancestor category
    HS_PREFIX = "hs_prefix"
    ICS = "ics"
    CITATION = "citation"  # made mandatory by an applicable document


class Standing(StrEnum):
    """Where an entry stands on the day asked."""

    IN_FORCE = "in_force"
    UPCOMING = "upcoming"
    WITHDRAWN = "withdrawn"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    code: str
    slug: str
    doc_type: DocType
    title_vi: str | None
    title_en: str | None
    status: Status
    effective_from: date | None
    effective_to: date | None
    issuer_code: str | None
    review: Review = NOT_REVIEWED  # of its status, dates and succession


@dataclass(frozen=True)
class Reason:
    """One path from the product to the document."""

    kind: ReasonKind
    text: str  # "inherited from category Cây có múi", "cited as mandatory by QCVN 8-2:2011/BYT"
    role: Role
    rule_id: int | None = None
    subject: str | None = None  # the rule's subject key, or the citing document's code
    condition: str | None = None
    legal_basis: str | None = None
    cited_edition: str | None = None  # the edition the rule or citation names, when not this one
    review: Review | None = None  # the rule's; a citation is not a reviewed rule (None)

    def __post_init__(self) -> None:
        # Reasons key the engine's interned entries (catalog.applicability.entries): the hash
        # is worked out once per reason, not on every lookup.
        object.__setattr__(self, "_hash", hash(_reason_fields(self)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Entry:
    """One document in the answer, with every reason that led to it."""

    document: DocumentRef
    standing: Standing
    mandatory: bool
    role: Role  # the first of ``roles`` in checklist order
    roles: tuple[Role, ...]
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...] = ()
    # The rules' review: verified when one rule that reaches it is; a citation counts as
    # unverified. A mandatory entry that is not verified is shown apart (issue 13).
    review_state: ReviewState = ReviewState.UNVERIFIED

    @property
    def confirmed(self) -> bool:
        return self.review_state == ReviewState.VERIFIED

    @property
    def conditions(self) -> tuple[str, ...]:
        return _unique(r.condition for r in self.reasons)

    @property
    def legal_bases(self) -> tuple[str, ...]:
        return _unique(r.legal_basis for r in self.reasons)


@dataclass(frozen=True)
class ReviewCount:
    """How many mandatory entries in force are verified, unverified and disputed."""

    verified: int = 0
    unverified: int = 0
    disputed: int = 0

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> ReviewCount:
        states = [e.review_state for e in entries if e.mandatory]
        return cls(*(states.count(s) for s in ReviewState))


@dataclass(frozen=True)
class Applicability:
    """The answer for one product on one day."""

    product: ProductRef
    as_of: date
    entries: tuple[Entry, ...]  # in force: mandatory first, then voluntary by role
    upcoming: tuple[Entry, ...]  # not yet in force that day, by date
    withdrawn: tuple[Entry, ...]  # no longer in force and no successor
    out_of_scope: tuple[Entry, ...]  # local documents of another province
    mandatory_review: ReviewCount = ReviewCount()  # of the mandatory entries in force
    # Drafts notified to the WTO and not yet adopted (catalog.notifications): at home, and
    # in the market asked about; a notified draft is listed here, not under ``upcoming``.
    under_way: tuple[UnderWay, ...] = ()
    market: str | None = None  # the WTO member whose notifications were asked for

    def on(self, day: date) -> Applicability:
        """The same answer, as of ``day`` (a copy, made without re-running ``__init__``)."""
        dated = object.__new__(Applicability)
        dated.__dict__.update(self.__dict__)
        object.__setattr__(dated, "as_of", day)
        return dated

    @property
    def mandatory(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.mandatory)

    @property
    def voluntary(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.mandatory)

    def filtered(self, *, role: Role | None = None, mandatory_only: bool = False) -> Applicability:
        """The same answer keeping only entries with ``role`` and/or only mandatory ones."""

        def keep(entry: Entry) -> bool:
            return (role is None or role in entry.roles) and (not mandatory_only or entry.mandatory)

        entries = tuple(filter(keep, self.entries))
        return replace(
            self,
            entries=entries,
            mandatory_review=ReviewCount.of(entries),
            upcoming=tuple(filter(keep, self.upcoming)),
            withdrawn=tuple(filter(keep, self.withdrawn)),
            out_of_scope=tuple(filter(keep, self.out_of_scope)),
        )


@dataclass(frozen=True)
class DaySpan:
    """Consecutive days, both ends included."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


_REASON_ORDER = {kind: i for i, kind in enumerate(ReasonKind)}


# The fields of a reason in order (unlike ``dataclasses.astuple``, not copied deeply).
_reason_fields = attrgetter(*(f.name for f in fields(Reason)))


def reason_order(reason: Reason) -> tuple:
    return (_REASON_ORDER[reason.kind], ROLE_ORDER[reason.role], reason.subject or "", reason.text)


def entry_order(entry: Entry) -> tuple:
    """Mandatory first (regulations, legal instruments, then what they bind), then by role."""
    doc = entry.document
    if entry.mandatory:
        group = (0, _MANDATORY_TYPE_ORDER.get(doc.doc_type, 9), ROLE_ORDER[entry.role])
    else:
        group = (1, ROLE_ORDER[entry.role], 0)
    return (*group, natural_key(doc.code), doc.id)


def document_start(doc: Document | DocumentRow) -> date | None:
    """When ``doc`` came into force: its effective date, else its issue date, else its year."""
    return start_of(doc.effective_from, doc.issued_on, doc.year)


def document_ref(doc: Document | DocumentRow, review: Review = NOT_REVIEWED) -> DocumentRef:
    if doc.id is None:
        raise ValueError(f"document {doc.code} is not saved: it has no id to refer to")
    return DocumentRef(
        id=doc.id,
        code=doc.code,
        slug=doc.slug,
        doc_type=DocType(doc.doc_type),
        title_vi=doc.title_vi,
        title_en=doc.title_en,
        status=Status(doc.status),
        effective_from=doc.effective_from,
        effective_to=doc.effective_to,
        issuer_code=doc.issuer_code,
        review=review,
    )


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
