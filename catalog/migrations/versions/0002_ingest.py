"""ingest runs: the process that runs them, and the ``aborted`` status

A run records its process id and host name, so that a run whose process is gone (killed
with SIGKILL or SIGTERM) can be told from one still running and marked ``aborted``.

Revision ID: 0002_ingest
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002_ingest"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ("running", "succeeded", "failed")
_NEW = (*_OLD, "aborted")


def _status_check(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("host", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.drop_constraint("ck_runstatus", type_="check")
        batch_op.create_check_constraint("ck_runstatus", _status_check(_NEW))


def downgrade() -> None:
    op.execute("UPDATE ingest_run SET status = 'failed' WHERE status = 'aborted'")
    with op.batch_alter_table("ingest_run", schema=None) as batch_op:
        batch_op.drop_constraint("ck_runstatus", type_="check")
        batch_op.create_check_constraint("ck_runstatus", _status_check(_OLD))
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
