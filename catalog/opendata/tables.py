"""Which tables leave the database, in what order, and how their values are written.

Exported: the catalog and its history (documents, relations, ICS fields, issuers and
localities with their succession, categories, enterprises, products with aliases, codes and GTINs,
rules, the reviews and sources of rules and documents, WTO notifications, declarations, the
provincial plan's records, ingest runs without their process and host, field changes). Never
exported: API keys, the audit log, watch lists (their token is a password) and webhooks (their
secret), the delivery log, rejects and the worker's state. Every table of the catalog is in
exactly one of :data:`EXPORTED` and :data:`NEVER_EXPORTED` (a test keeps it so: a new table
is classified on purpose).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, Numeric, String, Table
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator

from catalog.models import SQLModel

EXPORTED = (
    "ingest_run",
    "locality",
    "locality_succession",
    "issuer",
    "issuer_succession",
    "ics_field",
    "document",
    "document_ics",
    "document_relation",
    "product_category",
    "enterprise",
    "product",
    "product_alias",
    "product_code",
    "product_gtin",
    "applicability_rule",
    "fact_review",
    "fact_source",
    "wto_notification",
    "wto_notification_code",
    "wto_notification_category",
    "wto_notification_update",
    "declaration",
    "plan_training",
    "plan_training_attendance",
    "plan_expert",
    "plan_support",
    "plan_producer_register",
    "plan_outreach",
    "plan_outreach_producer",
    "plan_quality_award",
    "plan_ocop_trademark",
    "plan_portal_milestone",
    "plan_report_issue",
    "field_change",
)
NEVER_EXPORTED = (
    "api_key",
    "audit_log",
    "watch_list",
    "watch_item",
    "watch_market",
    "webhook",
    "webhook_delivery",
    "ingest_reject",
    "worker_job",
    "worker_run",
)
# Columns left out of the export: where a run ran is the server's business, not the public's.
OMITTED = {"ingest_run": ("pid", "host")}
# Served by GET /api/v1/export/{table}.csv: everything exported but the ingest bookkeeping
# and the plan's records, which are the department's working files and name people (a
# backup carries them; the public does not).
PUBLIC = tuple(
    name
    for name in EXPORTED
    if name not in ("ingest_run", "field_change") and not name.startswith("plan_")
)


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def columns(name: str) -> list[Column]:
    return [c for c in table(name).columns if c.name not in OMITTED.get(name, ())]


def ordered() -> list[str]:
    """EXPORTED in the order rows must be inserted (what a table refers to comes first)."""
    order = [t.name for t in SQLModel.metadata.sorted_tables]
    return sorted(EXPORTED, key=order.index)


def to_json(value: Any) -> Any:
    """A column value as JSON: times and days in ISO 8601, enums by value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def to_csv(value: Any) -> str:
    """A column value in a CSV cell: empty for null, ``true``/``false``, ISO times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(to_json(value))


def from_json(column: Column, value: Any) -> Any:
    """Back from :func:`to_json` to what the column takes."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def type_name(column: Column) -> str:
    """The column's type as the manifest documents it: ``text``, ``integer``, ``number``,
    ``boolean``, ``date``, ``datetime`` (ISO 8601 with offset) or ``one of a|b|…``."""
    kind = column.type
    if isinstance(kind, TypeDecorator):  # SQLModel's AutoString: a String underneath
        kind = kind.impl_instance
    if isinstance(kind, SAEnum):
        return "one of " + "|".join(kind.enums)
    for sa_type, name in (
        (Boolean, "boolean"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Integer, "integer"),
        (Float, "number"),
        (Numeric, "number"),
        (String, "text"),
    ):
        if isinstance(kind, sa_type):
            return name
    return type(kind).__name__.lower()
