"""Outcome codes that differ by more than a suffix.

A duty review's "no child involvement" (which waits for a manager's sign-off) was
`no_child_involvement` and a triage check's "no child involved: screen out" was
`no_child_involved`: one letter group apart, easy to confuse in a query or a report. They become
`close_no_child` and `confirm_screen_out`. The audit trail is left as it was written: it records
what was said at the time.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RENAMES = (("no_child_involvement", "close_no_child"), ("no_child_involved", "confirm_screen_out"))


def _rename(pairs: tuple[tuple[str, str], ...]) -> None:
    decisions = sa.table("decisions", sa.column("outcome", sa.String))
    for old, new in pairs:
        op.execute(decisions.update().where(decisions.c.outcome == old).values(outcome=new))


def upgrade() -> None:
    _rename(RENAMES)


def downgrade() -> None:
    _rename(tuple((new, old) for old, new in RENAMES))
