"""Reading the active policy version (stored as JSON; screening.policy.Policy validates it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from models.db import session_scope
from models.tables import PolicyVersion


@dataclass(frozen=True)
class StoredPolicy:
    version: int
    policy: dict[str, Any]


def active_policy(url: str) -> StoredPolicy | None:
    """The newest active policy version, or None when none has been stored."""
    with session_scope(url) as session:
        row = session.execute(
            select(PolicyVersion.version, PolicyVersion.policy)
            .where(PolicyVersion.status == "active")
            .order_by(PolicyVersion.version.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return StoredPolicy(int(row.version), dict(row.policy))
