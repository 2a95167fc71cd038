"""Retention, legal holds, subject access and equality monitoring (issue 13).

Reserved in sequence so that work on several issues at once keeps one line of revisions; it
changes nothing until its issue's tables are added here.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
