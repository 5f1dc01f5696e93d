"""the worker: its jobs (schedule, backoff and lease) and its run log

Revision ID: 0003_ops
Revises: 0002_ingest
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_ops"
down_revision: str | None = "0003_wto"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS = ("running", "succeeded", "failed", "aborted")


def _status(nullable: bool) -> sa.Column:
    kind = sa.Enum(
        *_STATUS, name="ck_runstatus", native_enum=False, create_constraint=True, length=32
    )
    return sa.Column("last_status" if nullable else "status", kind, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "worker_job",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        _status(nullable=True),
        sa.Column("last_finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "worker_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        _status(nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("ingest_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ingest_run_id"], ["ingest_run.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("worker_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_run_ingest_run_id"), ["ingest_run_id"])
        batch_op.create_index(batch_op.f("ix_worker_run_job"), ["job"])


def downgrade() -> None:
    with op.batch_alter_table("worker_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_run_job"))
        batch_op.drop_index(batch_op.f("ix_worker_run_ingest_run_id"))
    op.drop_table("worker_run")
    op.drop_table("worker_job")
