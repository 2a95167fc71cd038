"""The duty team's queue, search, outcomes and staff administration (issue 9).

`notification_summaries`: one row per notification, what the queue shows and filters besides
the reference (the victim's name and family name, the town, the postcode).
`search_terms`: the normalised values a notification is found by (reference, name words and
their sound, dates of birth, postcode, first address line with and without its number),
written when it is received; this migration fills both for the notifications already held.
`staff_names`: a member of staff's full name, as the audit trail says it.
The text keys are collated "C" on PostgreSQL, so that a prefix search is an index range.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "notification_summaries",
        sa.Column(
            "notification_id", sa.Uuid(), sa.ForeignKey("notifications.id"), primary_key=True
        ),
        sa.Column("victim_name", sa.String(201), nullable=False),
        sa.Column("victim_family", sa.String(100), nullable=False),
        sa.Column("victim_family_key", _key(200), nullable=False),
        sa.Column("town", sa.String(100), nullable=False),
        sa.Column("town_key", _key(200), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_notification_summaries_received_at", "notification_summaries", ["received_at"]
    )
    op.create_index(
        "ix_notification_summaries_victim_family_key",
        "notification_summaries",
        ["victim_family_key"],
    )
    op.create_index("ix_notification_summaries_town_key", "notification_summaries", ["town_key"])
    op.create_table(
        "search_terms",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("notification_id", sa.Uuid(), sa.ForeignKey("notifications.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", _key(200), nullable=False),
    )
    op.create_index("ix_search_terms_notification_id", "search_terms", ["notification_id"])
    op.create_index(
        "ix_search_terms_kind_value", "search_terms", ["kind", "value", "notification_id"]
    )
    op.create_table(
        "staff_names",
        sa.Column(
            "staff_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("staff_users.id"),
            primary_key=True,
        ),
        sa.Column("full_name", sa.String(200), nullable=False),
    )
    from models.search_store import index_missing

    index_missing(op.get_bind())


def downgrade() -> None:
    op.drop_table("staff_names")
    op.drop_index("ix_search_terms_kind_value", table_name="search_terms")
    op.drop_index("ix_search_terms_notification_id", table_name="search_terms")
    op.drop_table("search_terms")
    op.drop_index("ix_notification_summaries_town_key", table_name="notification_summaries")
    op.drop_index("ix_notification_summaries_received_at", table_name="notification_summaries")
    op.drop_index(
        "ix_notification_summaries_victim_family_key", table_name="notification_summaries"
    )
    op.drop_table("notification_summaries")
