"""People and households linked across notifications (issue 12).

Reserved in sequence so that work on several issues at once keeps one line of revisions; it
changes nothing until its issue's tables are added here.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
