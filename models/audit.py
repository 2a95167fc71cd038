"""Audit events: who did what, when, to which notification. `detail` must hold no personal data."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from models.tables import AuditEvent
from models.types import utcnow


def record_event(
    session: Session | Connection,
    actor: str,
    action: str,
    notification_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the transaction of `session` (a Session or a Connection)."""
    session.execute(
        insert(AuditEvent).values(
            at=utcnow(),
            actor=actor,
            action=action,
            notification_id=notification_id,
            detail=detail or {},
        )
    )
