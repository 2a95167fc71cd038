"""Triage's reads and writes: load a notification, look up its address history, record the
result with its queue items in one transaction, count failures, replay failed notifications.

`record_result` is race-safe: the UNIQUE notification_id on triage_results lets exactly one
writer win; a second (a redelivered or swept message) rolls back entirely.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.audit import record_event
from models.contract import ScreeningResult
from models.db import session_scope
from models.tables import TRIAGE_TASK, Notification, OutboxRow, QueueItem, TriageResult
from models.types import utcnow

ACTOR = "system:triage"
# When screening routes to a person without a priority, the item is not left at the bottom.
FALLBACK_PRIORITY = "high"


@dataclass(frozen=True)
class TriageInput:
    id: uuid.UUID
    raw_json: str
    address_key: str
    received_at: datetime
    status: str
    attempts: int


def load_for_triage(url: str, notification_id: uuid.UUID) -> TriageInput | None:
    return load_many_for_triage(url, [notification_id]).get(notification_id)


def load_many_for_triage(url: str, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, TriageInput]:
    """`load_for_triage` for several ids in one query; ids not found are absent."""
    with session_scope(url) as session:
        rows = session.execute(
            select(
                Notification.id,
                Notification.raw_json,
                Notification.address_key,
                Notification.received_at,
                Notification.status,
                Notification.attempts,
            ).where(Notification.id.in_(list(ids)))
        ).all()
    return {
        row.id: TriageInput(
            row.id, row.raw_json, row.address_key, row.received_at, row.status, row.attempts
        )
        for row in rows
    }


def _prior_query(address_key: str, before: datetime, exclude_id: uuid.UUID | None) -> Select:
    query = (
        select(Notification.id)
        .join(TriageResult, TriageResult.notification_id == Notification.id)
        .where(
            Notification.address_key == address_key,
            Notification.received_at < before,
            TriageResult.route == "duty_review",
        )
        .limit(1)
    )
    if exclude_id is not None:
        query = query.where(Notification.id != exclude_id)
    return query


def prior_child_at_address(
    url: str, address_key: str, before: datetime, exclude_id: uuid.UUID | None = None
) -> bool:
    """Did an earlier notification at this address go to duty review?"""
    with session_scope(url) as session:
        return session.execute(_prior_query(address_key, before, exclude_id)).first() is not None


def priors_for(url: str, items: Sequence[TriageInput]) -> list[bool]:
    """`prior_child_at_address` for each loaded notification, in one session."""
    with session_scope(url) as session:
        return [
            session.execute(_prior_query(i.address_key, i.received_at, i.id)).first() is not None
            for i in items
        ]


def in_sample(notification_id: uuid.UUID, share: float) -> bool:
    """A deterministic share of notifications, chosen by a hash of the id."""
    digest = hashlib.sha256(notification_id.bytes).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _write_result(
    session: Session,
    notification_id: uuid.UUID,
    result: ScreeningResult,
    deadline_hours: Mapping[str, int],
    sample_share: float,
    now: datetime,
) -> None:
    """The result, its queue item, the triaged status and an audit event, in `session`.

    Raises IntegrityError (the unique result constraint) if the notification has a result.
    """
    received_at = session.scalar(
        select(Notification.received_at).where(Notification.id == notification_id)
    )
    if received_at is None:
        raise LookupError("notification not found")
    session.execute(
        insert(TriageResult).values(
            notification_id=notification_id,
            route=result.route,
            priority=result.priority,
            score=result.score,
            categories=list(result.categories),
            evidence=[e.model_dump(mode="json") for e in result.evidence],
            reasons=list(result.reasons),
            policy_version=result.policy_version,
            model_version=result.model_version,
            created_at=now,
        )
    )
    kind: str | None = None
    priority = result.priority or FALLBACK_PRIORITY
    if result.route in ("duty_review", "triage_check"):
        kind = result.route
    elif in_sample(notification_id, sample_share):
        kind, priority = "manager_sample", "normal"
    if kind is not None:
        session.execute(
            insert(QueueItem).values(
                notification_id=notification_id,
                kind=kind,
                priority=priority,
                deadline_at=received_at + timedelta(hours=deadline_hours[priority]),
                status="open",
                created_at=now,
            )
        )
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(status="triaged", triaged_at=now, last_error=None)
    )
    record_event(
        session,
        ACTOR,
        "notification_triaged",
        notification_id,
        {
            "route": result.route,
            "priority": result.priority,
            "queue": kind,
            "policy_version": result.policy_version,
            "model_version": result.model_version,
        },
    )


def record_result(
    url: str,
    notification_id: uuid.UUID,
    result: ScreeningResult,
    *,
    deadline_hours: Mapping[str, int],
    sample_share: float,
) -> bool:
    """Store the result, its queue item and the triaged status; False if already triaged."""
    try:
        with session_scope(url) as session:
            _write_result(session, notification_id, result, deadline_hours, sample_share, utcnow())
        return True
    except IntegrityError:
        return False


def record_results(
    url: str,
    results: Sequence[tuple[uuid.UUID, ScreeningResult]],
    *,
    deadline_hours: Mapping[str, int],
    sample_share: float,
) -> dict[uuid.UUID, bool]:
    """`record_result` for several notifications in one transaction (one commit).

    Each is written under its own savepoint, so one already triaged (False) does not undo the
    others; any other error rolls the whole transaction back and is raised.
    """
    recorded: dict[uuid.UUID, bool] = {}
    now = utcnow()
    with session_scope(url) as session:
        for notification_id, result in results:
            try:
                with session.begin_nested():
                    _write_result(
                        session, notification_id, result, deadline_hours, sample_share, now
                    )
                recorded[notification_id] = True
            except IntegrityError:
                recorded[notification_id] = False
    return recorded


def record_failure(url: str, notification_id: uuid.UUID, error: str, max_attempts: int) -> str:
    """Count a failed attempt; at `max_attempts` mark the notification failed. Returns status.

    `error` must be a class name or code, never text that could hold personal data.
    """
    with session_scope(url) as session:
        row = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == "received")
            .values(attempts=Notification.attempts + 1, last_error=error[:200])
            .returning(Notification.attempts)
        ).first()
        if row is None:
            status = session.scalar(
                select(Notification.status).where(Notification.id == notification_id)
            )
            return status or "missing"
        if row.attempts < max_attempts:
            return "received"
        session.execute(
            update(Notification).where(Notification.id == notification_id).values(status="failed")
        )
        record_event(
            session,
            ACTOR,
            "triage_failed",
            notification_id,
            {"attempts": row.attempts, "error": error[:200]},
        )
        return "failed"


def replay_failed(url: str, notification_ids: list[uuid.UUID] | None = None) -> int:
    """Put failed notifications back to `received` with a fresh outbox row; return how many."""
    now = utcnow()
    with session_scope(url) as session:
        query = select(Notification.id).where(Notification.status == "failed")
        if notification_ids:
            query = query.where(Notification.id.in_(notification_ids))
        ids = list(session.scalars(query.with_for_update()))
        for notification_id in ids:
            session.execute(
                update(Notification)
                .where(Notification.id == notification_id)
                .values(status="received", attempts=0)
            )
            session.execute(
                insert(OutboxRow).values(
                    notification_id=notification_id,
                    task_name=TRIAGE_TASK,
                    created_at=now,
                    attempts=0,
                )
            )
            record_event(session, "system:replay", "triage_replayed", notification_id)
        return len(ids)


def pipeline_counts(url: str) -> dict[str, int]:
    """Notifications by status, and outbox rows not yet published."""
    with session_scope(url) as session:
        counts = {status: 0 for status in ("received", "triaged", "failed")}
        for status, count in session.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        ):
            counts[status] = int(count)
        counts["outbox_pending"] = int(
            session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
            )
            or 0
        )
    return counts


def has_result(url: str, notification_id: uuid.UUID) -> bool:
    with session_scope(url) as session:
        return bool(
            session.scalar(select(exists().where(TriageResult.notification_id == notification_id)))
        )
