"""Deadline hours per priority from the active screening policy (defaults 4, 24 and 72)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.policy_changes import active_policy_of as active_policy
from models.tables import PRIORITIES

__all__ = ["active_policy", "deadline_hours"]


def deadline_hours(session: Session) -> dict[str, int]:
    policy = active_policy(session)
    return {priority: policy.deadline_hours(priority) for priority in PRIORITIES}
