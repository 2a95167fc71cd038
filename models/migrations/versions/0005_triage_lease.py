"""A per-notification triage lease: lost messages are found in seconds, not minutes.

A worker that starts triaging a notification sets `lease_until` a little ahead; the sweep
publishes again a notification still `received` whose lease has run out (its worker died) or
that was never started long after its publish while nothing waits in the broker queue (its
message was lost with the broker).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("lease_until")
