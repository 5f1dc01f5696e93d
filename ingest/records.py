"""What sources parse into: plain records, independent of the store.

A source turns a page or a row into one of these (or a :class:`Reject`); the writer
(:mod:`ingest.writer`) resolves references and stores them. Every record carries its
``location`` (URL, or ``file:row``), which becomes its provenance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from catalog.codes_wto import Agreement
from catalog.limits import (
    CATEGORY_SLUG_MAX,
    CLASS_CODE_MAX,
    CODE_MAX,
    ISSUER_CODE_MAX,
    LABEL_MAX,
    NAME_MAX,
    REF_MAX,
    REVIEWER_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from catalog.vocab import (
    Equivalence,
    IssuerKind,
    LocalityKind,
    NotificationAction,
    ProductKind,
    RelationKind,
    ReviewState,
    ReviewSubject,
    Role,
    Status,
    SubjectKind,
)

if TYPE_CHECKING:
    from catalog.declarations import DeclarationInput


class RejectError(ValueError):
    """Raised by parsers: this input cannot be taken, and why."""


@dataclass
class Reject:
    location: str
    reason: str
    excerpt: str | None = None


@dataclass
class Record:
    location: str

    # Text field → the most characters the catalog takes (for lists: each item).
    LIMITS: ClassVar[dict[str, int]] = {}

    def check_limits(self) -> None:
        """Raise :class:`RejectError` for a text field longer than the catalog takes (the
        API's limits, :mod:`catalog.limits`): a sheet cell is not a way around them."""
        for name, limit in self.LIMITS.items():
            value = getattr(self, name)
            for item in value if isinstance(value, list) else [value]:
                for text in item if isinstance(item, tuple) else [item]:
                    if isinstance(text, str) and len(text) > limit:
                        raise RejectError(
                            f"{name}: {len(text)} characters, more than the {limit} it may "
                            f"have ({text[:40]!r}…)"
                        )

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-ready data (the expected-output files hold this)."""
        data = {"type": type(self).__name__, **asdict(self)}
        plain: dict[str, Any] = json.loads(
            json.dumps(data, default=_json_default, ensure_ascii=False)
        )
        return plain

    def content_hash(self) -> str:
        """SHA-256 of the content, without the location: equal content, equal hash."""
        data = self.to_json()
        data.pop("location")
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def merge(self, other: Record) -> None:
        """Fill this record's empty fields from ``other`` (same natural key)."""
        for f in fields(self):
            if f.name != "location" and getattr(self, f.name) in (None, [], False):
                setattr(self, f.name, getattr(other, f.name))


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


@dataclass
class DocumentRecord(Record):
    """One edition of a document, with the codes of the documents it points at."""

    LIMITS: ClassVar[dict[str, int]] = {
        "code": CODE_MAX,
        "title_vi": TITLE_MAX,
        "title_en": TITLE_MAX,
        "scope": TEXT_MAX,
        "status_note": TEXT_MAX,
        "issuer": NAME_MAX,
        "equivalent": NAME_MAX,
        "announcing_decision": CODE_MAX,
        "technical_committee": LABEL_MAX,
        "ics": NAME_MAX,
        "replaces": CODE_MAX,
        "replaced_by": CODE_MAX,
        "history": CODE_MAX,
        "cites": CODE_MAX,
        "note": TEXT_MAX,
    }
    code: str = ""  # canonical
    title_vi: str | None = None
    title_en: str | None = None
    scope: str | None = None
    status: Status | None = None
    status_note: str | None = None
    year: int | None = None
    issuer: str | None = None  # issuer code ("BKHCN") or name as printed ("Bộ Y tế")
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    equivalent: str | None = None
    equivalence: Equivalence | None = None
    announcing_decision: str | None = None
    announced_on: date | None = None
    technical_committee: str | None = None
    pages: int | None = None
    ics: list[tuple[str, str | None]] = field(default_factory=list)  # (code, name_vi)
    replaces: list[str] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # other editions of the same document
    cites: list[str] = field(default_factory=list)  # normative references
    note: str | None = None


@dataclass
class RelationRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "source_code": CODE_MAX,
        "target_code": CODE_MAX,
        "note": TEXT_MAX,
    }

    source_code: str = ""
    kind: RelationKind = RelationKind.CITES
    target_code: str = ""
    effective_on: date | None = None
    note: str | None = None


@dataclass
class LocalityRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "slug": REF_MAX,
        "name_vi": LABEL_MAX,
        "parent": REF_MAX,
        "successor": REF_MAX,
        "note": TEXT_MAX,
    }

    slug: str = ""
    name_vi: str = ""
    kind: LocalityKind = LocalityKind.PROVINCE
    parent: str | None = None  # slug
    active_from: date | None = None
    active_to: date | None = None
    successor: str | None = None  # slug
    succession_on: date | None = None
    note: str | None = None


@dataclass
class IssuerRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "code": ISSUER_CODE_MAX,
        "name_vi": NAME_MAX,
        "name_en": NAME_MAX,
        "locality": REF_MAX,
        "successor": ISSUER_CODE_MAX,
        "note": TEXT_MAX,
    }

    code: str = ""
    name_vi: str = ""
    name_en: str | None = None
    kind: IssuerKind = IssuerKind.OTHER
    locality: str | None = None  # slug
    active_from: date | None = None
    active_to: date | None = None
    successor: str | None = None  # issuer code
    succession_on: date | None = None
    note: str | None = None


@dataclass
class CategoryRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "slug": CATEGORY_SLUG_MAX,
        "name_vi": LABEL_MAX,
        "name_en": LABEL_MAX,
        "parent": CATEGORY_SLUG_MAX,
    }

    slug: str = ""
    name_vi: str = ""
    name_en: str | None = None
    parent: str | None = None  # slug


@dataclass
class ProductRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "name_vi": NAME_MAX,  # before the slug, which may be made from it
        "slug": REF_MAX,
        "name_en": NAME_MAX,
        "category": REF_MAX,
        "ocop_decision": CODE_MAX,
        "locality": REF_MAX,
        "locality_text": NAME_MAX,
        "producer": NAME_MAX,
        "description": TEXT_MAX,
        "aliases": NAME_MAX,
        "hs_codes": CLASS_CODE_MAX,
        "ics_codes": CLASS_CODE_MAX,
    }

    slug: str = ""
    name_vi: str = ""
    name_en: str | None = None
    kind: ProductKind = ProductKind.KEY
    category: str | None = None  # slug
    geographical_indication: bool = False
    ocop_stars: int | None = None
    ocop_decision: str | None = None
    ocop_rated_on: date | None = None
    ocop_valid_until: date | None = None
    default_facts: str | None = None  # catalog.facts syntax, as formatted
    locality: str | None = None  # slug of the locality it is recorded under
    locality_text: str | None = None
    producer: str | None = None
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    hs_codes: list[str] = field(default_factory=list)
    ics_codes: list[str] = field(default_factory=list)
    gtins: list[str] = field(default_factory=list)  # checked (catalog.gtin), as printed


@dataclass
class RuleRecord(Record):
    LIMITS: ClassVar[dict[str, int]] = {
        "subject": REF_MAX,
        "document_code": CODE_MAX,
        "condition": TEXT_MAX,
        "legal_basis": TEXT_MAX,
        "legal_basis_code": CODE_MAX,
        "note": TEXT_MAX,
    }

    number: int | None = None  # STT: the rule's number in the sheet, how reviews name it
    subject_kind: SubjectKind = SubjectKind.CATEGORY
    subject: str = ""  # product or category slug, HS prefix or ICS code
    document_code: str = ""
    role: Role = Role.PRODUCT_STANDARD
    condition: str | None = None
    typed_condition: str | None = None  # catalog.conditions syntax, as formatted
    legal_basis: str | None = None
    legal_basis_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = None

    @property
    def subject_key(self) -> str:
        return f"{self.subject_kind.value}:{self.subject}"


@dataclass(frozen=True)
class Citation:
    """One source behind a reviewed subject, as a sheet row gave it."""

    location: str  # the row it was read from
    title: str
    url: str | None = None
    locator: str | None = None  # instrument and article, or where else in the source
    retrieved_on: date | None = None
    note: str | None = None


@dataclass
class NotificationRecord(Record):
    """A WTO notification as circulated (see :mod:`catalog.models_wto`)."""

    LIMITS: ClassVar[dict[str, int]] = {
        "symbol": CODE_MAX,
        "member_name": NAME_MAX,
        "agency": TEXT_MAX,
        "products": TEXT_MAX,
        "title": TEXT_MAX,
        "description": TEXT_MAX,
        "objective": TEXT_MAX,
        "hs_codes": CLASS_CODE_MAX,
        "ics_codes": CLASS_CODE_MAX,
        "categories": CATEGORY_SLUG_MAX,
        "links": TEXT_MAX,
        "document_code": CODE_MAX,
        "note": TEXT_MAX,
    }

    symbol: str = ""  # canonical
    agreement: Agreement = Agreement.TBT
    member: str = ""
    member_name: str | None = None
    notified_on: date | None = None
    agency: str | None = None
    products: str | None = None
    hs_codes: list[str] = field(default_factory=list)
    ics_codes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # category slugs (sheets only)
    title: str | None = None
    description: str | None = None
    objective: str | None = None
    proposed_adoption: date | None = None
    proposed_entry_into_force: date | None = None
    comment_deadline: date | None = None
    links: list[str] = field(default_factory=list)
    document_code: str | None = None  # the catalog document it notifies (a draft QCVN)
    note: str | None = None


@dataclass
class ReviewRecord(Record):
    """The review of one rule (by its sheet number) or of one document's facts (by code),
    with the sources it rests on: the rows of the provenance sheet about that subject."""

    LIMITS: ClassVar[dict[str, int]] = {"ref": CODE_MAX, "reviewed_by": REVIEWER_MAX}

    subject: ReviewSubject = ReviewSubject.RULE
    ref: str = ""  # the rule's number, or the document's canonical code
    state: ReviewState = ReviewState.UNVERIFIED
    reviewed_by: str = ""
    reviewed_on: date | None = None
    sources: list[Citation] = field(default_factory=list)

    @property
    def confirmed_on(self) -> date | None:
        """When a verified subject was last confirmed: the newest of its sources (a source
        without a retrieval date counts as read on the review day); None unless verified."""
        if self.state != ReviewState.VERIFIED:
            return None
        days = [s.retrieved_on or self.reviewed_on for s in self.sources]
        return max((d for d in days if d), default=self.reviewed_on)


@dataclass
class NotificationUpdateRecord(Record):
    """An addendum or corrigendum to a notification, and what it changes."""

    LIMITS: ClassVar[dict[str, int]] = {
        "symbol": CODE_MAX,
        "base_symbol": CODE_MAX,
        "summary": TEXT_MAX,
        "links": TEXT_MAX,
        "document_code": CODE_MAX,
    }

    symbol: str = ""  # canonical, "G/TBT/N/VNM/123/Add.1"
    base_symbol: str = ""  # "G/TBT/N/VNM/123"
    action: NotificationAction = NotificationAction.OTHER
    issued_on: date | None = None
    summary: str | None = None
    proposed_adoption: date | None = None
    proposed_entry_into_force: date | None = None
    comment_deadline: date | None = None
    adopted_on: date | None = None
    document_code: str | None = None  # the adopted document, when the update names it
    links: list[str] = field(default_factory=list)


@dataclass
class DeclarationRecord(Record):
    """A row of the declarations register, as the API would take it (its limits checked
    when parsed); written by :func:`catalog.declarations.save_declaration`."""

    item: DeclarationInput


Parsed = Record | Reject
