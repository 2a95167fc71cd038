"""Reading the active policy version (stored as JSON; governance.policy validates it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import PolicyVersion


@dataclass(frozen=True)
class StoredPolicy:
    version: int
    policy: dict[str, Any]


def active_policy_row(session: Session) -> StoredPolicy | None:
    """The newest active policy version, or None when none has been stored."""
    row = session.execute(
        select(PolicyVersion.version, PolicyVersion.policy)
        .where(PolicyVersion.status == "active")
        .order_by(PolicyVersion.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return StoredPolicy(int(row.version), dict(row.policy))
