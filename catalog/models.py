"""The catalog's tables (SQLModel): documents, issuers, products, rules and provenance.

Everything docs/domain.md describes has a place here:
- documents with their status dates and editions (``DocumentRelation`` REPLACES chains),
- issuers and localities with succession over time (the 2025 mergers),
- products in a category tree with HS/ICS codes, aliases and OCOP rating,
- applicability rules (subject → document, with role and legal basis),
- provenance of every record (``Provenance`` fields, ``IngestRun``, ``FieldChange``).

Enumerations are stored as short strings guarded by CHECK constraints, so the schema
is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, Index, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from catalog import clock
from catalog.codes import DocType, DocumentCode
from catalog.vocab import (
    ApiRole,
    CodeScheme,
    DeclarationKind,
    Equivalence,
    IssuerKind,
    LocalityKind,
    ProductKind,
    RelationKind,
    ReviewState,
    ReviewSubject,
    Role,
    RunStatus,
    Scheme,
    Status,
    SubjectKind,
)


def utcnow() -> datetime:
    """The time rows are stamped with: the project's clock, stored as UTC."""
    return clock.now().astimezone(UTC)


def enum_field(
    enum: type[Enum],
    *,
    default: Enum | None = None,
    nullable: bool = False,
    index: bool = False,
    primary_key: bool = False,
) -> Any:
    """A column holding ``enum`` values as VARCHAR with a CHECK constraint."""
    column_type = SAEnum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=f"ck_{enum.__name__.lower()}",
    )
    return Field(
        default=default,
        sa_column=Column(
            column_type, nullable=nullable, index=index, default=default, primary_key=primary_key
        ),
    )


def text_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


def timestamp_field() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def saved_id(row: SQLModel) -> int:
    """The id of a row already written (added and flushed). SQLModel types every id as
    ``int | None``, since it is None only until the INSERT; this says where it cannot be."""
    row_id = getattr(row, "id", None)
    if not isinstance(row_id, int):
        raise ValueError(f"this {type(row).__name__} has no id yet: add and flush it first")
    return row_id


def stored_id(value: int | None) -> int:
    """An id read from an id column (``select(Model.id)``): SQLModel types the column like the
    field, ``int | None``, though a stored row always has one."""
    if value is None:
        raise ValueError("an id column read NULL: a stored row always has an id")
    return value


def table_name(model: type[SQLModel] | SQLModel) -> str:
    """The name of the table ``model`` is stored in (SQLModel types ``__tablename__`` as a
    string or a function that makes one; on a table model it is always the string)."""
    name = model.__tablename__
    if not isinstance(name, str):
        raise TypeError(f"{model!r} is not a table model")
    return name


class Provenance(SQLModel):
    """Where a record came from: the source and row, when it was fetched, a content hash."""

    source: str | None = Field(default=None, max_length=1000)
    source_ref: str | None = Field(default=None, max_length=200)
    fetched_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    content_hash: str | None = Field(default=None, max_length=64)
    ingest_run_id: int | None = Field(default=None, foreign_key="ingest_run.id", index=True)


# --- places and issuers -------------------------------------------------------------------


class Locality(SQLModel, table=True):
    """A province, district or commune, current or historical (districts ended 01-07-2025)."""

    __tablename__ = "locality"
    __table_args__ = (UniqueConstraint("slug"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=200)
    name_vi: str = Field(max_length=200)
    kind: LocalityKind = enum_field(LocalityKind)
    parent_id: int | None = Field(default=None, foreign_key="locality.id", index=True)
    active_from: date | None = None
    active_to: date | None = None


class LocalitySuccession(SQLModel, table=True):
    """``predecessor`` continues as ``successor`` from ``effective_on`` (mergers, renames)."""

    __tablename__ = "locality_succession"
    __table_args__ = (CheckConstraint("predecessor_id <> successor_id", name="ck_locality_self"),)

    predecessor_id: int = Field(foreign_key="locality.id", primary_key=True)
    successor_id: int = Field(foreign_key="locality.id", primary_key=True, index=True)
    effective_on: date
    note: str | None = text_field()


class Issuer(SQLModel, table=True):
    """A body that issues documents: assembly, government, ministry, province, enterprise."""

    __tablename__ = "issuer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    name_vi: str = Field(max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    kind: IssuerKind = enum_field(IssuerKind)
    locality_id: int | None = Field(default=None, foreign_key="locality.id", index=True)
    active_from: date | None = None
    active_to: date | None = None


class IssuerSuccession(SQLModel, table=True):
    """``predecessor``'s documents continue under ``successor`` from ``effective_on``."""

    __tablename__ = "issuer_succession"
    __table_args__ = (CheckConstraint("predecessor_id <> successor_id", name="ck_issuer_self"),)

    predecessor_id: int = Field(foreign_key="issuer.id", primary_key=True)
    successor_id: int = Field(foreign_key="issuer.id", primary_key=True, index=True)
    effective_on: date
    note: str | None = text_field()


# --- documents -----------------------------------------------------------------------------


class Document(Provenance, table=True):
    """A standard, regulation or legal instrument: one row per edition."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("year IS NULL OR (year BETWEEN 1900 AND 2100)", name="ck_document_year"),
        CheckConstraint(
            "effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from",
            name="ck_document_dates",
        ),
        Index("ix_document_family_year", "family", "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=120, unique=True)  # canonical, e.g. "TCVN 5603:2023"
    slug: str = Field(max_length=120, unique=True)  # "tcvn-5603-2023"
    compact: str = Field(max_length=120, index=True)  # "tcvn56032023", for typed lookups
    family: str = Field(max_length=120)  # editions share it: "tcvn-5603"
    doc_type: DocType = enum_field(DocType, index=True)
    number: str = Field(max_length=40)
    part: str | None = Field(default=None, max_length=40)
    year: int | None = None
    issuer_id: int | None = Field(default=None, foreign_key="issuer.id", index=True)
    issuer_code: str | None = Field(default=None, max_length=60)  # as written in the code
    title_vi: str | None = text_field()
    title_en: str | None = text_field()
    scope: str | None = text_field()
    status: Status = enum_field(Status, default=Status.UNKNOWN, index=True)
    status_note: str | None = text_field()
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    equivalent: str | None = Field(default=None, max_length=300)
    equivalence: Equivalence | None = enum_field(Equivalence, nullable=True)
    announcing_decision: str | None = Field(default=None, max_length=120)
    announced_on: date | None = None
    technical_committee: str | None = Field(default=None, max_length=200)
    pages: int | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


def code_columns(code: DocumentCode) -> dict[str, Any]:
    """The ``Document`` columns that its code determines: keys, type, number, part, year, issuer."""
    return {
        "code": code.canonical(),
        "slug": code.slug(),
        "compact": code.compact(),
        "family": code.family_key(),
        "doc_type": code.doc_type,
        "number": code.number,
        "part": code.part,
        "year": code.year,
        "issuer_code": code.issuer,
    }


class IcsField(SQLModel, table=True):
    """An International Classification for Standards field, e.g. 67.180.10."""

    __tablename__ = "ics_field"

    code: str = Field(primary_key=True, max_length=20)
    name_vi: str | None = Field(default=None, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)


class DocumentIcs(SQLModel, table=True):
    __tablename__ = "document_ics"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    ics_code: str = Field(foreign_key="ics_field.code", primary_key=True, index=True)


class DocumentRelation(Provenance, table=True):
    """``source`` replaces / amends / cites / makes mandatory ``target``, from ``effective_on``."""

    __tablename__ = "document_relation"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "kind", name="uq_document_relation"),
        CheckConstraint("source_id <> target_id", name="ck_relation_self"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    target_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    kind: RelationKind = enum_field(RelationKind, index=True)
    effective_on: date | None = None
    note: str | None = text_field()


# --- products ------------------------------------------------------------------------------


class ProductCategory(SQLModel, table=True):
    """A node of the product category tree (rules on a category apply to its descendants)."""

    __tablename__ = "product_category"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    name_vi: str = Field(max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="product_category.id", index=True)


ENTERPRISE_SLUG_MAX = 200


class Enterprise(Provenance, table=True):
    """A producer: company, cooperative (HTX) or household business."""

    __tablename__ = "enterprise"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=ENTERPRISE_SLUG_MAX, unique=True)
    name: str = Field(max_length=300)
    tax_code: str | None = Field(default=None, max_length=20, unique=True)
    locality_id: int | None = Field(default=None, foreign_key="locality.id", index=True)
    address: str | None = text_field()


PRODUCT_SLUG_MAX = 200


class Product(Provenance, table=True):
    """A product of the province: key product, specialty, geographical indication or OCOP."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint(
            "ocop_stars IS NULL OR (ocop_stars BETWEEN 1 AND 5)", name="ck_product_ocop_stars"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=PRODUCT_SLUG_MAX, unique=True)
    name_vi: str = Field(max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    kind: ProductKind = enum_field(ProductKind, index=True)
    category_id: int | None = Field(default=None, foreign_key="product_category.id", index=True)
    geographical_indication: bool = False
    ocop_stars: int | None = None
    ocop_decision: str | None = Field(default=None, max_length=120)
    ocop_rated_on: date | None = None
    ocop_valid_until: date | None = None
    locality_id: int | None = Field(default=None, foreign_key="locality.id", index=True)
    locality_text: str | None = Field(default=None, max_length=300)  # as the source wrote it
    producer_id: int | None = Field(default=None, foreign_key="enterprise.id", index=True)
    description: str | None = text_field()
    # Facts the registry states about how it is sold (catalog.facts syntax), e.g. "claims:ocop"
    default_facts: str | None = text_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class ProductAlias(SQLModel, table=True):
    __tablename__ = "product_alias"
    __table_args__ = (UniqueConstraint("product_id", "alias", name="uq_product_alias"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=300)
    alias_folded: str = Field(max_length=300, index=True)


class ProductCode(SQLModel, table=True):
    """An HS or ICS code of a product (HS codes match rules by prefix)."""

    __tablename__ = "product_code"
    __table_args__ = (Index("ix_product_code_lookup", "scheme", "code"),)

    product_id: int = Field(foreign_key="product.id", primary_key=True, ondelete="CASCADE")
    scheme: CodeScheme = enum_field(CodeScheme, primary_key=True)
    code: str = Field(primary_key=True, max_length=20)


class ProductGtin(SQLModel, table=True):
    """A GTIN (the number under a barcode) a product is sold under; a GTIN names one product.

    ``gtin14`` is the number padded to 14 digits, the same for each length it may be written
    in (catalog.gtin); ``gtin`` is as printed on the pack.
    """

    __tablename__ = "product_gtin"

    gtin14: str = Field(primary_key=True, max_length=14)
    gtin: str = Field(max_length=14)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")


class ApplicabilityRule(Provenance, table=True):
    """A subject (product, category, HS prefix, ICS field) is subject to a document."""

    __tablename__ = "applicability_rule"
    __table_args__ = (
        UniqueConstraint("subject_key", "document_id", "role", name="uq_rule_natural"),
        CheckConstraint(
            "(subject_kind = 'product' AND product_id IS NOT NULL AND category_id IS NULL"
            " AND subject_code IS NULL)"
            " OR (subject_kind = 'category' AND category_id IS NOT NULL AND product_id IS NULL"
            " AND subject_code IS NULL)"
            " OR (subject_kind IN ('hs_prefix', 'ics') AND subject_code IS NOT NULL"
            " AND product_id IS NULL AND category_id IS NULL)",
            name="ck_rule_subject",
        ),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
            name="ck_rule_dates",
        ),
        Index("ix_rule_subject_code", "subject_kind", "subject_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The rule's number (STT) in the officials' rules sheet: how reviews and sources name it.
    number: int | None = Field(default=None, index=True)
    subject_kind: SubjectKind = enum_field(SubjectKind)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    category_id: int | None = Field(default=None, foreign_key="product_category.id", index=True)
    subject_code: str | None = Field(default=None, max_length=20)
    # "product:<slug>", "category:<slug>", "hs_prefix:0805", "ics:67.040": the natural key.
    subject_key: str = Field(max_length=240)
    document_id: int = Field(foreign_key="document.id", index=True)
    role: Role = enum_field(Role)
    condition: str | None = text_field()
    # The condition typed (catalog.conditions syntax), where the text really says which facts
    # decide it: "prepackaged=yes; packaging=glass|ceramic". None: unconditional or text only.
    typed_condition: str | None = text_field()
    legal_basis: str | None = text_field()
    legal_basis_document_id: int | None = Field(default=None, foreign_key="document.id")
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = text_field()


# --- review: sources and review state of rules and document facts (issue 13) -------------

_ONE_SUBJECT = (
    "(subject = 'rule' AND rule_id IS NOT NULL AND document_id IS NULL)"
    " OR (subject = 'document' AND document_id IS NOT NULL AND rule_id IS NULL)"
)


class FactReview(Provenance, table=True):
    """The review state of one rule, or of one document's status, dates and succession.

    A rule or document without a row is unverified (never reviewed). ``confirmed_on`` is the
    day its facts were last confirmed true: the date of the newest source a verification
    rests on (a status read in a copy of 2025-06-18 is confirmed as of that day, whenever it
    was read). It is kept when a later review disputes the fact, so "last confirmed" stays
    true. Why a reviewer decided as they did is the note of the source they gave.
    """

    __tablename__ = "fact_review"
    __table_args__ = (CheckConstraint(_ONE_SUBJECT, name="ck_fact_review_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: ReviewSubject = enum_field(ReviewSubject)
    rule_id: int | None = Field(
        default=None, foreign_key="applicability_rule.id", unique=True, ondelete="CASCADE"
    )
    document_id: int | None = Field(
        default=None, foreign_key="document.id", unique=True, ondelete="CASCADE"
    )
    state: ReviewState = enum_field(ReviewState, index=True)
    reviewed_by: str = Field(max_length=120)
    reviewed_on: date
    confirmed_on: date | None = None
    updated_at: datetime = timestamp_field()


class FactSource(Provenance, table=True):
    """One source for a rule or for a document's facts: where to read it, and what it says.

    ``url`` or ``locator`` (instrument and article, "Thông tư 02/2011/TT-BYT, Điều 1") says
    where; ``note`` says in the reviewer's words what it confirms or why it casts doubt.
    """

    __tablename__ = "fact_source"
    __table_args__ = (CheckConstraint(_ONE_SUBJECT, name="ck_fact_source_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: ReviewSubject = enum_field(ReviewSubject)
    rule_id: int | None = Field(
        default=None, foreign_key="applicability_rule.id", index=True, ondelete="CASCADE"
    )
    document_id: int | None = Field(
        default=None, foreign_key="document.id", index=True, ondelete="CASCADE"
    )
    title: str = Field(max_length=1000)
    url: str | None = Field(default=None, max_length=1000)
    locator: str | None = Field(default=None, max_length=300)
    retrieved_on: date | None = None
    note: str | None = text_field()
    added_by: str = Field(max_length=120)
    added_on: date


# --- provenance and audit ------------------------------------------------------------------


class IngestRun(SQLModel, table=True):
    """One run of one ingest source, with its counts and timing."""

    __tablename__ = "ingest_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=60, index=True)
    origin: str | None = Field(default=None, max_length=1000)  # base URL or replay folder
    status: RunStatus = enum_field(RunStatus, default=RunStatus.RUNNING)
    pid: int | None = None  # the process running it, to tell a killed run from a live one
    host: str | None = Field(default=None, max_length=255)
    started_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    message: str | None = text_field()


class IngestReject(SQLModel, table=True):
    """Input a run could not take, with where it was and why."""

    __tablename__ = "ingest_reject"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="ingest_run.id", index=True, ondelete="CASCADE")
    location: str = Field(max_length=1000)  # URL, or file:row
    reason: str = Field(sa_column=Column(Text, nullable=False))
    excerpt: str | None = text_field()


RECORD_KEY_MAX = 240


class FieldChange(SQLModel, table=True):
    """One field of one record changed from ``old_value`` to ``new_value`` (JSON text)."""

    __tablename__ = "field_change"
    __table_args__ = (Index("ix_field_change_record", "table_name", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=60)
    record_id: int
    record_key: str = Field(max_length=RECORD_KEY_MAX)  # code or slug, readable in a feed
    field: str = Field(max_length=60)
    old_value: str | None = text_field()
    new_value: str | None = text_field()
    changed_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True)
    )
    ingest_run_id: int | None = Field(default=None, foreign_key="ingest_run.id", index=True)
    actor: str | None = Field(default=None, max_length=120)  # API key name for manual edits


class ApiKey(SQLModel, table=True):
    """An API key; only its SHA-256 is stored."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    role: ApiRole = enum_field(ApiRole)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # first characters, to recognise a key in logs
    created_at: datetime = timestamp_field()
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class AuditLog(SQLModel, table=True):
    """Every write through the API: who, when, what, before and after (JSON text)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field()
    api_key_id: int | None = Field(default=None, foreign_key="api_key.id", index=True)
    action: str = Field(max_length=20)  # create / update / delete
    table_name: str = Field(max_length=60)
    record_id: int | None = None
    before: str | None = text_field()
    after: str | None = text_field()


# --- declarations, watch lists and webhooks (tools for officials and consultants) ----------


class Declaration(Provenance, table=True):
    """A declaration of conformity, a food self-declaration or a certificate an enterprise holds.

    ``key`` is the natural key: the kind and the registration or certificate number, or,
    when the register gives none, the kind, enterprise, product, document and date.
    """

    __tablename__ = "declaration"
    __table_args__ = (
        CheckConstraint(
            "valid_until IS NULL OR valid_until >= declared_on", name="ck_declaration_dates"
        ),
        CheckConstraint(
            "document_code IS NOT NULL OR scheme IS NOT NULL", name="ck_declaration_subject"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=400, unique=True)
    kind: DeclarationKind = enum_field(DeclarationKind, index=True)
    number: str | None = Field(default=None, max_length=120)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    product_text: str | None = Field(default=None, max_length=300)  # as the register wrote it
    gtin: str | None = Field(default=None, max_length=14)  # of the product declared (catalog.gtin)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    document_code: str | None = Field(default=None, max_length=120)  # canonical
    scheme: Scheme | None = enum_field(Scheme, nullable=True, index=True)
    declared_on: date
    certifying_body: str | None = Field(default=None, max_length=300)
    valid_until: date | None = None
    program_supported: bool = False  # supported under the provincial productivity plan
    note: str | None = text_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class WatchList(SQLModel, table=True):
    """Products and categories an enterprise or consultant follows; ``token`` names its feed."""

    __tablename__ = "watch_list"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    owner: str | None = Field(default=None, max_length=200)
    created_at: datetime = timestamp_field()


class WatchItem(SQLModel, table=True):
    """One product or one category (with its descendants) on a watch list."""

    __tablename__ = "watch_item"
    __table_args__ = (
        UniqueConstraint("watch_list_id", "product_id", "category_id", name="uq_watch_item"),
        CheckConstraint(
            "(product_id IS NULL) <> (category_id IS NULL)", name="ck_watch_item_subject"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    watch_list_id: int = Field(foreign_key="watch_list.id", index=True, ondelete="CASCADE")
    product_id: int | None = Field(
        default=None, foreign_key="product.id", index=True, ondelete="CASCADE"
    )
    category_id: int | None = Field(
        default=None, foreign_key="product_category.id", index=True, ondelete="CASCADE"
    )


class WatchMarket(SQLModel, table=True):
    """An export market a watch list follows: that WTO member's notifications reach the list
    (Viet Nam's own always do). ``member`` is a WTO member code (``EU``, ``CHN``), read from a
    country or member code by :func:`catalog.codes_wto.wto_member`."""

    __tablename__ = "watch_market"

    watch_list_id: int = Field(foreign_key="watch_list.id", primary_key=True, ondelete="CASCADE")
    member: str = Field(primary_key=True, max_length=8)


class Webhook(SQLModel, table=True):
    """Where to POST a watch list's changes; bodies are signed with HMAC-SHA256 of ``secret``.

    The secret is kept in clear because signing needs it; ``delivered_until`` is the
    ``changed_at`` of the newest change delivered, the cursor of the next dispatch.
    """

    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    watch_list_id: int = Field(foreign_key="watch_list.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=1000)
    secret: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = timestamp_field()
    delivered_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class WebhookDelivery(SQLModel, table=True):
    """One attempt to deliver one batch of changes to a webhook: the delivery log."""

    __tablename__ = "webhook_delivery"

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id", index=True, ondelete="CASCADE")
    delivery_id: str = Field(max_length=64, index=True)  # same for every retry of a batch
    attempt: int
    at: datetime = timestamp_field()
    entries: int  # changes in the batch
    status_code: int | None = None
    succeeded: bool = False
    error: str | None = text_field()
    duration_ms: int = 0


# --- the worker ----------------------------------------------------------------------------


class WorkerJob(SQLModel, table=True):
    """A job the worker runs on a schedule, and the lease that lets one worker run it at a time.

    A worker takes the lease by setting ``holder`` and ``lease_until`` in one conditional
    UPDATE (free, expired, or already its own), renews it while the job runs, and clears it
    when done; a worker that dies leaves a lease that simply expires.
    """

    __tablename__ = "worker_job"

    name: str = Field(primary_key=True, max_length=80)  # "source:catalogue", "webhooks", …
    holder: str | None = Field(default=None, max_length=160)  # "host:pid:token" of the worker
    lease_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    next_due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    failures: int = 0  # consecutive failed runs: the backoff before the next try grows with it
    last_status: RunStatus | None = enum_field(RunStatus, nullable=True)
    last_finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_error: str | None = text_field()


class WorkerRun(SQLModel, table=True):
    """One run of one worker job: the worker's run log."""

    __tablename__ = "worker_run"

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=80, index=True)
    worker: str = Field(max_length=160)
    started_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    status: RunStatus = enum_field(RunStatus, default=RunStatus.RUNNING)
    message: str | None = text_field()
    ingest_run_id: int | None = Field(
        default=None, foreign_key="ingest_run.id", index=True, ondelete="SET NULL"
    )


# The plan's records live in their own module; importing it here registers their tables
# wherever the catalog's tables are (migrations, tests, the app).
# The WTO notification tables live in their own module; importing it registers them.
from catalog import models_wto  # noqa: E402, F401
from catalog.plan import models as _plan_models  # noqa: E402, F401
