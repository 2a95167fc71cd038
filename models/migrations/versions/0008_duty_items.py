"""The duty team's item, queue and search additions (issue 9, item page and deadlines).

Reserved in sequence so that work on several issues at once keeps one line of revisions; it
changes nothing until its issue's tables are added here.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
