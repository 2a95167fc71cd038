"""Deadline hours per priority from the active screening policy (defaults 4, 24 and 72)."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from models.review_store import active_policy_document
from models.tables import PRIORITIES
from screening.policy import DEFAULT_POLICY, Policy


def active_policy(session: Session) -> Policy:
    document = active_policy_document(session)
    if document is None:
        return DEFAULT_POLICY
    try:
        return Policy.model_validate(document)
    except ValidationError:
        return DEFAULT_POLICY


def deadline_hours(session: Session) -> dict[str, int]:
    policy = active_policy(session)
    return {priority: policy.deadline_hours(priority) for priority in PRIORITIES}
