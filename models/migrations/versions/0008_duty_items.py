"""The duty team's item, queue and search additions (issue 9, item page and deadlines).

Decisions gain the case record an "open case" passes to and the actions recorded with them
(shared with school, with the health visitor); a worker's draft decision is kept per item and
worker until they decide.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JsonDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("case_record_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("actions", JsonDoc, nullable=False, server_default="[]"))
    op.create_table(
        "decision_drafts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("queue_item_id", BigId, nullable=False),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("categories", JsonDoc, nullable=False),
        sa.Column("actions", JsonDoc, nullable=False),
        sa.Column("case_record_id", sa.String(64), nullable=True),
        sa.Column("priority", sa.String(10), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["queue_item_id"],
            ["queue_items.id"],
            name="fk_decision_drafts_queue_item_id_queue_items",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name="fk_decision_drafts_user_id_staff_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decision_drafts"),
        sa.UniqueConstraint("queue_item_id", "user_id", name="uq_decision_drafts_item_user"),
    )
    op.create_index("ix_decision_drafts_user_id", "decision_drafts", ["user_id"])
    op.create_index("ix_decisions_decided_by", "decisions", ["decided_by"])


def downgrade() -> None:
    op.drop_index("ix_decisions_decided_by", table_name="decisions")
    op.drop_index("ix_decision_drafts_user_id", table_name="decision_drafts")
    op.drop_table("decision_drafts")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("actions")
        batch.drop_column("case_record_id")
