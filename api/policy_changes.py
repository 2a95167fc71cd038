"""The active policy as a validated `Policy` (with its stored version number), and a proposed
policy made from it by changing a few settings."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from models.policy_store import active_policy as stored_active_policy
from models.review_store import active_policy_document
from screening.policy import DEFAULT_POLICY, Policy


def active_policy_of(session: Session) -> Policy:
    """The active version (the version number is the stored one); the default if none."""
    document = active_policy_document(session)
    if document is None:
        return DEFAULT_POLICY
    try:
        return Policy.model_validate(document)
    except ValidationError:
        return DEFAULT_POLICY


def active_policy_at(url: str) -> Policy:
    stored = stored_active_policy(url)
    if stored is None:
        return DEFAULT_POLICY
    return Policy.model_validate({**stored.policy, "version": stored.version})


def policy_with_changes(base: Policy, changes: dict[str, Any]) -> Policy:
    """`base` with some settings changed, validated (thresholds must stay ordered)."""
    if not changes:
        return base
    return Policy.model_validate({**base.model_dump(mode="json"), **changes})
