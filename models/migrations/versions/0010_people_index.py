"""People and households linked across notifications (issue 12): the people index.

`people` (one row a known person) and `person_mentions` (one row a listed person of a
notification, linked to a known person, with the blocking keys linkage queries by).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
    )
    op.create_table(
        "person_mentions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", BigId, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=True),
        sa.Column("family_name", sa.String(100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("lives_at_address", sa.Boolean(), nullable=True),
        sa.Column("given", sa.String(100), nullable=False),
        sa.Column("family", sa.String(100), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("given_key", sa.String(40), nullable=False),
        sa.Column("family_key", sa.String(40), nullable=False),
        sa.Column("given_block", sa.String(42), nullable=False, server_default=""),
        sa.Column("address_key", sa.String(300), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_mentions"),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name="fk_person_mentions_notification_id_notifications"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name="fk_person_mentions_person_id_people"),
        sa.UniqueConstraint("notification_id", "position", name="uq_person_mentions_position"),
    )
    op.create_index("ix_person_mentions_notification_id", "person_mentions", ["notification_id"])
    op.create_index("ix_person_mentions_family_year", "person_mentions",
                    ["family_key", "birth_year"])
    op.create_index("ix_person_mentions_family_given", "person_mentions",
                    ["family_key", "given_key"])
    op.create_index("ix_person_mentions_given_year", "person_mentions",
                    ["given_block", "birth_year"])
    op.create_index("ix_person_mentions_dob", "person_mentions", ["date_of_birth"])
    op.create_index("ix_person_mentions_person_occurred", "person_mentions",
                    ["person_id", "occurred_at"])


def downgrade() -> None:
    op.drop_table("person_mentions")
    op.drop_table("people")
