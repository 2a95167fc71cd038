"""Audit events: who did what, when, to which notification; and a notification's trail.

`write_audits` is the one writer (`write_audit` for a single event), for staff actions
(`staff_actor`), the service's own steps (`system_actor`) and police sources (`source:<id>`).
`detail` holds ids and codes only, never personal data. It writes into the caller's
transaction (a Session or a Connection).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from models.admin_tables import StaffName
from models.tables import AuditEvent, Source, StaffAccount
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
    notification_id: uuid.UUID | None = None
    # Every actor the event names in its detail (`staff`, `from`, `to`, `source`), in words.
    names: dict[str, str] = field(default_factory=dict)


def _ids(actors: set[str], kind: str) -> set[int]:
    found = set()
    for actor in actors:
        prefix, _, ident = actor.partition(":")
        if prefix == kind and ident.isdigit():
            found.add(int(ident))
    return found


SYSTEM_NAMES = {
    "login": "The sign-in page",
    "triage": "The screening service",
    "replay": "The screening service (replaying)",
    "cli": "The command line",
    "retention": "Retention",
    "model_registry": "The model registry",
}


def actor_names(session: Session, actors: set[str]) -> dict[str, str]:
    """Each actor in words: a member of staff by full name (else username), a police source
    by its name, the service's own components by what they are."""
    names: dict[str, str] = {}
    staff_ids = _ids(actors, "staff")
    if staff_ids:
        rows = session.execute(
            select(StaffAccount.id, StaffAccount.username, StaffName.full_name)
            .outerjoin(StaffName, StaffName.staff_id == StaffAccount.id)
            .where(StaffAccount.id.in_(staff_ids))
        )
        for user_id, username, full_name in rows:
            names[staff_actor(user_id)] = full_name or username
    source_ids = _ids(actors, "source")
    if source_ids:
        for source_id, name in session.execute(
            select(Source.id, Source.name).where(Source.id.in_(source_ids))
        ):
            names[f"source:{source_id}"] = name
    for actor in actors:
        kind, _, ident = actor.partition(":")
        if kind == "system":
            names[actor] = SYSTEM_NAMES.get(ident, f"The service ({ident})")
    return names


def _named_in(detail: Mapping[str, Any]) -> set[str]:
    found = {
        f"staff:{detail[k]}" for k in ("staff", "from", "to") if isinstance(detail.get(k), int)
    }
    if isinstance(detail.get("source"), int):
        found.add(f"source:{detail['source']}")
    return found


def _rows(session: Session, events: Sequence[AuditEvent]) -> list[AuditRow]:
    actors = {e.actor for e in events}
    for event in events:
        actors |= _named_in(event.detail or {})
    names = actor_names(session, actors)
    return [
        AuditRow(
            e.at,
            e.actor,
            names.get(e.actor, e.actor),
            e.action,
            dict(e.detail or {}),
            e.notification_id,
            {a: names[a] for a in _named_in(e.detail or {}) if a in names},
        )
        for e in events
    ]


def audit_trail(session: Session, *, notification_id: uuid.UUID) -> list[AuditRow]:
    """Every event on one notification, oldest first, actors named."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.notification_id == notification_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return _rows(session, events)


def recent_audit(
    session: Session, *, limit: int = 100, actions: Sequence[str] | None = None
) -> list[AuditRow]:
    """The newest events of the whole service (of `actions`, when given), actors named."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if actions:
        stmt = stmt.where(AuditEvent.action.in_(list(actions)))
    return _rows(session, session.scalars(stmt).all())
