"""Audit events: who did what, when, to which notification; and a notification's trail.

`write_audits` is the one writer (`write_audit` for a single event), for staff actions
(`staff_actor`), the service's own steps (`system_actor`) and police sources (`source:<id>`).
`detail` holds ids and codes only, never personal data. It writes into the caller's
transaction (a Session or a Connection).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from models.tables import AuditEvent, StaffAccount
from models.types import utcnow


def staff_actor(user_id: int) -> str:
    """The actor of an action a member of staff took."""
    return f"staff:{user_id}"


def system_actor(component: str) -> str:
    """The actor of an action the service took by itself (e.g. `system:login`)."""
    return f"system:{component}"


def audit_row(
    *,
    actor: str,
    action: str,
    notification_id: uuid.UUID | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One audit event as `write_audits` takes it: who did what, when (default: now)."""
    return {
        "at": now or utcnow(),
        "actor": actor,
        "action": action,
        "notification_id": notification_id,
        "detail": dict(detail or {}),
    }


def write_audits(session: Session | Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """The writer: add audit events (made by `audit_row`) to the caller's transaction."""
    if rows:
        session.execute(insert(AuditEvent), [dict(row) for row in rows])


def write_audit(
    session: Session | Connection,
    *,
    actor: str,
    action: str,
    notification_id: uuid.UUID | None = None,
    detail: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Record who did what, when (default: now), to which notification."""
    write_audits(
        session,
        [
            audit_row(
                actor=actor, action=action, notification_id=notification_id, detail=detail, now=now
            )
        ],
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    actor_name: str
    action: str
    detail: dict[str, Any]


def _staff_id(actor: str) -> int | None:
    kind, _, ident = actor.partition(":")
    return int(ident) if kind == "staff" and ident.isdigit() else None


def audit_trail(session: Session, *, notification_id: uuid.UUID) -> list[AuditRow]:
    """Every event on one notification, oldest first, staff actors named."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.notification_id == notification_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    staff_ids = {i for i in (_staff_id(e.actor) for e in events) if i is not None}
    names: dict[int, str] = {}
    if staff_ids:
        names = {
            user_id: username
            for user_id, username in session.execute(
                select(StaffAccount.id, StaffAccount.username).where(StaffAccount.id.in_(staff_ids))
            )
        }
    rows = []
    for event in events:
        staff_id = _staff_id(event.actor)
        name = names.get(staff_id, event.actor) if staff_id is not None else event.actor
        rows.append(AuditRow(event.at, event.actor, name, event.action, dict(event.detail or {})))
    return rows
