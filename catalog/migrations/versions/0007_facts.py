"""typed rule conditions and the registry's default facts of a product (issue 14)

Revision ID: 0004_facts
Revises: 0003_ops
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_facts"
down_revision: str | None = "0003_ops"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applicability_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("typed_condition", sa.Text(), nullable=True))
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_facts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("default_facts")
    with op.batch_alter_table("applicability_rule", schema=None) as batch_op:
        batch_op.drop_column("typed_condition")
