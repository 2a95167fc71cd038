"""Daily file imports, column mappings and the contacts feed (issue 12).

Reserved in sequence so that work on several issues at once keeps one line of revisions; it
changes nothing until its issue's tables are added here.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
