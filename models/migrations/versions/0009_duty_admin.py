"""The duty team's queue, search, outcomes and staff administration (issue 9).

Reserved in sequence so that work on several issues at once keeps one line of revisions; it
changes nothing until its issue's tables are added here.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
