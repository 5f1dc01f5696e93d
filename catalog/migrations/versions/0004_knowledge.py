"""review: sources and review state of rules and document facts; rules keep their sheet number

``fact_review`` holds one review (verified / unverified / disputed, who, when, last confirmed)
per rule or document; ``fact_source`` the sources behind them; ``applicability_rule.number``
the rule's number (STT) in the officials' sheet, by which the provenance sheet names it.

Revision ID: 0003_knowledge
Revises: 0002_ingest
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_knowledge"
down_revision: str | None = "0003_plan"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fact_review",
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("source_ref", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("ingest_run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "rule",
                "document",
                name="ck_reviewsubject",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "verified",
                "unverified",
                "disputed",
                name="ck_reviewstate",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(subject = 'rule' AND rule_id IS NOT NULL AND document_id IS NULL) OR (subject = 'document' AND document_id IS NOT NULL AND rule_id IS NULL)",
            name="ck_fact_review_subject",
        ),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["ingest_run_id"],
            ["ingest_run.id"],
        ),
        sa.ForeignKeyConstraint(["rule_id"], ["applicability_rule.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
        sa.UniqueConstraint("rule_id"),
    )
    with op.batch_alter_table("fact_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_review_ingest_run_id"), ["ingest_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_review_state"), ["state"], unique=False)

    op.create_table(
        "fact_source",
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("source_ref", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("ingest_run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "rule",
                "document",
                name="ck_reviewsubject",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("locator", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("retrieved_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "(subject = 'rule' AND rule_id IS NOT NULL AND document_id IS NULL) OR (subject = 'document' AND document_id IS NOT NULL AND rule_id IS NULL)",
            name="ck_fact_source_subject",
        ),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["ingest_run_id"],
            ["ingest_run.id"],
        ),
        sa.ForeignKeyConstraint(["rule_id"], ["applicability_rule.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fact_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_source_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fact_source_ingest_run_id"), ["ingest_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_source_rule_id"), ["rule_id"], unique=False)

    with op.batch_alter_table("applicability_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_applicability_rule_number"), ["number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("applicability_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicability_rule_number"))
        batch_op.drop_column("number")

    with op.batch_alter_table("fact_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_source_rule_id"))
        batch_op.drop_index(batch_op.f("ix_fact_source_ingest_run_id"))
        batch_op.drop_index(batch_op.f("ix_fact_source_document_id"))

    op.drop_table("fact_source")
    with op.batch_alter_table("fact_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_review_state"))
        batch_op.drop_index(batch_op.f("ix_fact_review_ingest_run_id"))

    op.drop_table("fact_review")
