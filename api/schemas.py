"""Request and response bodies of the API (msgspec structs: validated, fast, in the schema).

The applicability answer itself is the engine's dataclasses (:mod:`catalog.applicability`),
served as they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from api.services import facts_json
from api.worker.schemas import JobState
from catalog.codes import DocType
from catalog.limits import (
    CODE_MAX,
    ISSUER_CODE_MAX,
    LOCATOR_MAX,
    NAME_MAX,
    REF_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
)
from catalog.review import Review
from catalog.vocab import (
    ApiRole,
    ProductKind,
    RelationKind,
    ReviewState,
    ReviewSubject,
    Role,
    Status,
    SubjectKind,
)

# Printable text only: control characters break exports (XLSX refuses them) and mean bad input.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# Printable with a character that is not a space: what is left after catalog.text.clean strips
# and collapses whitespace (spelt out, since \s differs between Python and ECMA patterns).
_NOT_BLANK = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
# An http(s) address without spaces or control characters (any engine's \s spelt out).
URL_PATTERN = (
    r"^https?://[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$"
)
FILLED = rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*{_NOT_BLANK}[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, Meta(min_length=1, max_length=NAME_MAX, pattern=PRINTABLE)]
FilledName = Annotated[str, Meta(min_length=1, max_length=NAME_MAX, pattern=FILLED)]
Text = Annotated[str, Meta(max_length=TEXT_MAX, pattern=PRINTABLE)]
HsCode = Annotated[str, Meta(pattern=r"^[0-9]{2,10}$")]
ICS_PATTERN = r"^[0-9]{2}(\.[0-9]{3}(\.[0-9]{2})?)?$"
IcsCode = Annotated[str, Meta(pattern=ICS_PATTERN)]
Stars = Annotated[int, Meta(ge=1, le=5)]
Ref = Annotated[str, Meta(min_length=1, max_length=REF_MAX, pattern=PRINTABLE)]


# --- products ------------------------------------------------------------------------------


class ProductSummary(Struct, kw_only=True):
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    kind: ProductKind
    category: str | None
    locality: str | None
    ocop_stars: int | None
    geographical_indication: bool


class ProductDetail(ProductSummary, kw_only=True):
    category_path: list[str]
    hs_codes: list[str]
    ics_codes: list[str]
    aliases: list[str]
    ocop_decision: str | None
    ocop_rated_on: date | None
    ocop_valid_until: date | None
    producer: str | None
    description: str | None
    updated_at: datetime


class Page(Struct, kw_only=True):
    total: int
    limit: int
    offset: int


class ProductPage(Page, kw_only=True):
    items: list[ProductSummary]


class ProductCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name_vi: FilledName
    kind: ProductKind
    name_en: Name | None = None
    category: Ref | None = None  # category slug
    locality: Ref | None = None  # locality slug
    geographical_indication: bool = False
    ocop_stars: Stars | None = None
    ocop_decision: Annotated[str, Meta(max_length=CODE_MAX)] | None = None
    hs_codes: list[HsCode] = msgspec.field(default_factory=list)
    ics_codes: list[IcsCode] = msgspec.field(default_factory=list)
    aliases: list[Name] = msgspec.field(default_factory=list)
    description: Text | None = None


class ProductUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent are changed; ``null`` clears an optional field."""

    name_vi: FilledName | msgspec.UnsetType = msgspec.UNSET
    name_en: Name | msgspec.UnsetType | None = msgspec.UNSET
    kind: ProductKind | msgspec.UnsetType = msgspec.UNSET
    category: Ref | msgspec.UnsetType | None = msgspec.UNSET
    locality: Ref | msgspec.UnsetType | None = msgspec.UNSET
    geographical_indication: bool | msgspec.UnsetType = msgspec.UNSET
    ocop_stars: Stars | msgspec.UnsetType | None = msgspec.UNSET
    hs_codes: list[HsCode] | msgspec.UnsetType = msgspec.UNSET
    ics_codes: list[IcsCode] | msgspec.UnsetType = msgspec.UNSET
    aliases: list[Name] | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET


# --- applicability -------------------------------------------------------------------------


class Candidate(Struct, kw_only=True):
    id: int
    slug: str
    name: str
    kind: str
    exact: bool


class ResolvedAnswer(Struct, kw_only=True):
    """``answer`` when the text named one product; else ``candidates`` to choose from."""

    query: str
    resolved_by: Literal["search", "database"]
    candidates: list[Candidate]
    # The product's answer as GET /products/{ref}/applicable sends it (its JSON spliced in:
    # api.controllers.applicable.spliced).
    answer: facts_json.Applicability | None


# --- documents -----------------------------------------------------------------------------


class DocumentLink(Struct, kw_only=True):
    code: str
    slug: str
    title_vi: str | None
    status: Status
    relation: RelationKind
    effective_on: date | None
    note: str | None


class Edition(Struct, kw_only=True):
    code: str
    slug: str
    year: int | None
    status: Status
    effective_from: date | None
    effective_to: date | None
    current: bool  # the edition this page is about


class AppliesTo(Struct, kw_only=True):
    product_id: int
    slug: str
    name_vi: str
    role: Role
    via: str  # "product", "category Trái cây", "HS 0805", "ICS 67.080"
    rule_id: int
    review_state: ReviewState  # the rule's


class DocumentDetail(Struct, kw_only=True):
    id: int
    code: str
    slug: str
    doc_type: DocType
    doc_type_label: str
    mandatory_by_type: bool
    title_vi: str | None
    title_en: str | None
    scope: str | None
    status: Status
    status_label: str
    status_note: str | None
    issued_on: date | None
    effective_from: date | None
    effective_to: date | None
    issuer_code: str | None
    issuer: str | None
    equivalent: str | None
    announcing_decision: str | None
    technical_committee: str | None
    ics: list[str]
    editions: list[Edition]  # the family, oldest first
    replaces: list[DocumentLink]
    replaced_by: list[DocumentLink]
    cites: list[DocumentLink]
    cited_by: list[DocumentLink]
    applies_to: list[AppliesTo]
    source: str | None
    review: Review  # of its status, dates and succession; review.confirmed_on: last confirmed


class DraftCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    """A local technical regulation being drafted by the province (QCĐP)."""

    code: Annotated[str, Meta(min_length=3, max_length=CODE_MAX)]
    title_vi: FilledName
    issuer: Annotated[str, Meta(min_length=1, max_length=ISSUER_CODE_MAX)]  # issuer code
    title_en: Name | None = None
    scope: Text | None = None


class DraftUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    title_vi: FilledName | msgspec.UnsetType = msgspec.UNSET
    title_en: Name | msgspec.UnsetType | None = msgspec.UNSET
    scope: Text | msgspec.UnsetType | None = msgspec.UNSET
    status: Literal["draft", "not_yet_in_force", "in_force"] | msgspec.UnsetType = msgspec.UNSET
    issued_on: date | msgspec.UnsetType | None = msgspec.UNSET
    effective_from: date | msgspec.UnsetType | None = msgspec.UNSET


# --- rules ---------------------------------------------------------------------------------


class RuleCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    """``subject`` is a product id or slug, a category slug, an HS prefix or an ICS field."""

    subject_kind: SubjectKind
    subject: Ref
    document: Annotated[str, Meta(min_length=3, max_length=CODE_MAX)]
    role: Role
    condition: Text | None = None
    legal_basis: Text | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class RuleUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    role: Role | msgspec.UnsetType = msgspec.UNSET
    condition: Text | msgspec.UnsetType | None = msgspec.UNSET
    legal_basis: Text | msgspec.UnsetType | None = msgspec.UNSET
    valid_from: date | msgspec.UnsetType | None = msgspec.UNSET
    valid_to: date | msgspec.UnsetType | None = msgspec.UNSET


class RuleOut(Struct, kw_only=True):
    id: int
    number: int | None  # STT in the officials' rules sheet
    subject_kind: SubjectKind
    subject_key: str
    document: str
    role: Role
    condition: str | None
    legal_basis: str | None
    valid_from: date | None
    valid_to: date | None
    review: Review


# --- review ---------------------------------------------------------------------------------


class SourceIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """Where the reviewer read it: an http(s) address or the instrument and article, or both."""

    title: Annotated[str, Meta(min_length=1, max_length=TITLE_MAX, pattern=PRINTABLE)]
    url: Annotated[str, Meta(max_length=URL_MAX, pattern=URL_PATTERN)] | None = None
    locator: (
        Annotated[str, Meta(min_length=1, max_length=LOCATOR_MAX, pattern=PRINTABLE)] | None
    ) = None
    retrieved_on: date | None = None  # default: the day of the review
    note: Text | None = None  # what it says, or why it casts doubt, in the reviewer's words


class ReviewIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """An editor's verdict on a rule or a document's facts, with the source it rests on."""

    state: ReviewState
    source: SourceIn


class ReviewOut(Struct, kw_only=True):
    subject: ReviewSubject
    id: int  # the rule's or the document's
    label: str  # "rule 145: category:che → QCVN 8-1:2011/BYT", or the document's code
    review: Review


# --- reference lists, keys, audit, health --------------------------------------------------


class CategoryNode(Struct, kw_only=True):
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    products: int  # products in this category itself
    children: list[CategoryNode]


class IssuerOut(Struct, kw_only=True):
    id: int
    code: str
    name_vi: str
    name_en: str | None
    kind: str
    locality: str | None
    active_from: date | None
    active_to: date | None
    successors: list[str]
    documents: int


class KeyCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=120)]
    role: ApiRole


class KeyIssued(Struct, kw_only=True):
    id: int
    name: str
    role: ApiRole
    prefix: str
    key: str


class AuditEntry(Struct, kw_only=True):
    id: int
    at: datetime
    key: str | None
    action: str
    table_name: str
    record_id: int | None
    before: dict | None
    after: dict | None


class AuditPage(Page, kw_only=True):
    items: list[AuditEntry]


class Health(Struct, kw_only=True):
    status: str


class AnswerStats(Struct, kw_only=True):
    """Applicability answers of the current catalog graph held as JSON, and how they served."""

    held: int
    served_held: int
    computed: int
    every_day: bool  # every product's answers for all days are held


class ResponseStats(Struct, kw_only=True):
    """Finished public responses held for the current catalog version (api/response_cache.py)."""

    held: int
    bytes: int
    hits: int


class Readiness(Struct, kw_only=True):
    status: Literal["ready", "not ready"]
    database: str
    search: str
    answers: AnswerStats
    responses: ResponseStats
    # The worker's jobs; a failing one is reported here without making the API "not ready".
    jobs: list[JobState] = msgspec.field(default_factory=list)
