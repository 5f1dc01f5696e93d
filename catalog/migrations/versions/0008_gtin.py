"""barcodes: the GTINs products are sold under, and the GTIN of a declared product

Revision ID: 0008_gtin
Revises: 0004_facts
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_gtin"
down_revision: str | None = "0004_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_gtin",
        sa.Column("gtin14", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
        sa.Column("gtin", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("gtin14"),
    )
    with op.batch_alter_table("product_gtin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_gtin_product_id"), ["product_id"])
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gtin", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_column("gtin")
    with op.batch_alter_table("product_gtin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_gtin_product_id"))
    op.drop_table("product_gtin")
