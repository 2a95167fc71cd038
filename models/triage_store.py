"""Triage's reads and writes: load a notification, look up its address history, record the
result with its queue items in one transaction, count failures, replay failed notifications.

Every function works in the caller's session (its transaction). `record_results` is race-safe:
the UNIQUE notification_id on triage_results lets exactly one writer win (ON CONFLICT DO
NOTHING); for a second (a redelivered or swept message, a concurrent worker) nothing of that
notification is written.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.audit import audit_row, write_audit, write_audits
from models.contract import ScreeningResult
from models.tables import (
    TRIAGE_TASK,
    NotificationRecord,
    OutboxRow,
    QueueItem,
    TriageResult,
    deadline_at,
)
from models.types import utcnow

ACTOR = "system:triage"
# When screening routes to a person without a priority, the item is not left at the bottom.
FALLBACK_PRIORITY = "high"


class AtAddress(Protocol):
    """A notification as `priors_for` needs it: where and when."""

    @property
    def address_key(self) -> str: ...

    @property
    def received_at(self) -> datetime: ...


@dataclass(frozen=True)
class TriageInput:
    id: uuid.UUID
    raw_json: str
    address_key: str
    received_at: datetime
    status: str
    attempts: int


def load_for_triage(session: Session, *, notification_id: uuid.UUID) -> TriageInput | None:
    return load_many_for_triage(session, ids=[notification_id]).get(notification_id)


def load_many_for_triage(
    session: Session, *, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, TriageInput]:
    """`load_for_triage` for several ids in one query; ids not found are absent."""
    rows = session.execute(
        select(
            NotificationRecord.id,
            NotificationRecord.raw_json,
            NotificationRecord.address_key,
            NotificationRecord.received_at,
            NotificationRecord.status,
            NotificationRecord.attempts,
        ).where(NotificationRecord.id.in_(list(ids)))
    ).all()
    return {
        row.id: TriageInput(
            row.id, row.raw_json, row.address_key, row.received_at, row.status, row.attempts
        )
        for row in rows
    }


def _prior_query(address_key: str, before: datetime, exclude_id: uuid.UUID | None) -> Select:
    query = (
        select(NotificationRecord.id)
        .join(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .where(
            NotificationRecord.address_key == address_key,
            NotificationRecord.received_at < before,
            TriageResult.route == "duty_review",
        )
        .limit(1)
    )
    if exclude_id is not None:
        query = query.where(NotificationRecord.id != exclude_id)
    return query


def prior_child_at_address(
    session: Session,
    *,
    address_key: str,
    before: datetime,
    exclude_id: uuid.UUID | None = None,
) -> bool:
    """Did an earlier notification at this address go to duty review?"""
    return session.execute(_prior_query(address_key, before, exclude_id)).first() is not None


def priors_for(session: Session, *, items: Sequence[AtAddress]) -> list[bool]:
    """`prior_child_at_address` for each loaded notification, in one query: the earliest
    duty-review notification at each address, compared with each item's receipt time."""
    keys = {item.address_key for item in items}
    earliest = dict(
        session.execute(
            select(NotificationRecord.address_key, func.min(NotificationRecord.received_at))
            .join(TriageResult, TriageResult.notification_id == NotificationRecord.id)
            .where(NotificationRecord.address_key.in_(keys), TriageResult.route == "duty_review")
            .group_by(NotificationRecord.address_key)
        ).all()
    )
    return [
        item.address_key in earliest and earliest[item.address_key] < item.received_at
        for item in items
    ]


def in_sample(notification_id: uuid.UUID, share: float) -> bool:
    """A deterministic share of notifications, chosen by a hash of the id."""
    digest = hashlib.sha256(notification_id.bytes).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _queue_entry(
    notification_id: uuid.UUID, result: ScreeningResult, sample_share: float
) -> tuple[str, str] | None:
    """(queue kind, priority) for a result, or None when it is not queued."""
    if result.route in ("duty_review", "triage_check"):
        return result.route, result.priority or FALLBACK_PRIORITY
    if in_sample(notification_id, sample_share):
        return "manager_sample", "normal"
    return None


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    """Insert triage results; return the notification ids actually inserted.

    ON CONFLICT DO NOTHING on the unique notification_id: a notification already triaged (a
    redelivered or swept message, or a concurrent worker) is skipped, not an error.
    """
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - the two we support
        raise KeyError(dialect)
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert_for(TriageResult)
        .on_conflict_do_nothing(index_elements=["notification_id"])
        .returning(TriageResult.notification_id)
    )
    return set(session.scalars(statement, rows))


def record_results(
    session: Session,
    *,
    results: Sequence[tuple[uuid.UUID, ScreeningResult]],
    deadline_hours: Mapping[str, int],
    sample_share: float,
) -> dict[uuid.UUID, bool]:
    """Store results, their queue items, the triaged status and audit events in one
    transaction, a handful of statements for the whole batch. Returns, per notification,
    True if written now and False if it was already triaged (then nothing of it is written).
    """
    if not results:
        return {}
    now = utcnow()
    by_id = dict(results)
    received = dict(
        session.execute(
            select(NotificationRecord.id, NotificationRecord.received_at).where(
                NotificationRecord.id.in_(list(by_id))
            )
        ).all()
    )
    if missing := set(by_id) - set(received):
        raise LookupError(f"{len(missing)} notification(s) not found")
    written = _insert_ignoring_duplicates(
        session,
        [
            {
                "notification_id": notification_id,
                "route": result.route,
                "priority": result.priority,
                "score": result.score,
                "categories": list(result.categories),
                "evidence": [e.model_dump(mode="json") for e in result.evidence],
                "reasons": list(result.reasons),
                "policy_version": result.policy_version,
                "model_version": result.model_version,
                "created_at": now,
            }
            for notification_id, result in results
        ],
    )
    queue_rows, audit_rows = [], []
    for notification_id in (n for n, _ in results if n in written):
        result = by_id[notification_id]
        entry = _queue_entry(notification_id, result, sample_share)
        if entry is not None:
            kind, priority = entry
            queue_rows.append(
                {
                    "notification_id": notification_id,
                    "kind": kind,
                    "priority": priority,
                    "deadline_at": deadline_at(received[notification_id], priority, deadline_hours),
                    "status": "open",
                    "created_at": now,
                }
            )
        audit_rows.append(
            audit_row(
                actor=ACTOR,
                action="notification_triaged",
                notification_id=notification_id,
                detail={
                    "route": result.route,
                    "priority": result.priority,
                    "queue": entry[0] if entry else None,
                    "policy_version": result.policy_version,
                    "model_version": result.model_version,
                },
                now=now,
            )
        )
    if queue_rows:
        session.execute(insert(QueueItem), queue_rows)
    if written:
        session.execute(
            update(NotificationRecord)
            .where(NotificationRecord.id.in_(list(written)))
            .values(status="triaged", triaged_at=now, last_error=None)
        )
        write_audits(session, audit_rows)
    return {notification_id: notification_id in written for notification_id, _ in results}


def record_result(
    session: Session,
    *,
    notification_id: uuid.UUID,
    result: ScreeningResult,
    deadline_hours: Mapping[str, int],
    sample_share: float,
) -> bool:
    """Store the result, its queue item and the triaged status; False if already triaged."""
    recorded = record_results(
        session,
        results=[(notification_id, result)],
        deadline_hours=deadline_hours,
        sample_share=sample_share,
    )
    return recorded[notification_id]


def record_failure(
    session: Session, *, notification_id: uuid.UUID, error: str, max_attempts: int
) -> str:
    """Count a failed attempt; at `max_attempts` mark the notification failed. Returns status.

    `error` must be a class name or code, never text that could hold personal data.
    """
    row = session.execute(
        update(NotificationRecord)
        .where(NotificationRecord.id == notification_id, NotificationRecord.status == "received")
        .values(attempts=NotificationRecord.attempts + 1, last_error=error[:200])
        .returning(NotificationRecord.attempts)
    ).first()
    if row is None:
        status = session.scalar(
            select(NotificationRecord.status).where(NotificationRecord.id == notification_id)
        )
        return status or "missing"
    if row.attempts < max_attempts:
        return "received"
    session.execute(
        update(NotificationRecord)
        .where(NotificationRecord.id == notification_id)
        .values(status="failed")
    )
    write_audit(
        session,
        actor=ACTOR,
        action="triage_failed",
        notification_id=notification_id,
        detail={"attempts": row.attempts, "error": error[:200]},
    )
    return "failed"


def replay_failed(session: Session, *, notification_ids: list[uuid.UUID] | None = None) -> int:
    """Put failed notifications back to `received` with a fresh outbox row; return how many."""
    now = utcnow()
    query = select(NotificationRecord.id).where(NotificationRecord.status == "failed")
    if notification_ids:
        query = query.where(NotificationRecord.id.in_(notification_ids))
    ids = list(session.scalars(query.with_for_update()))
    for notification_id in ids:
        session.execute(
            update(NotificationRecord)
            .where(NotificationRecord.id == notification_id)
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
        write_audit(
            session,
            actor="system:replay",
            action="triage_replayed",
            notification_id=notification_id,
        )
    return len(ids)


def pipeline_counts(session: Session) -> dict[str, int]:
    """Notifications by status, and outbox rows not yet published."""
    counts = {status: 0 for status in ("received", "triaged", "failed")}
    for status, count in session.execute(
        select(NotificationRecord.status, func.count()).group_by(NotificationRecord.status)
    ):
        counts[status] = int(count)
    counts["outbox_pending"] = int(
        session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
        )
        or 0
    )
    return counts
