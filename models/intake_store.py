"""Storing a received notification durably: the row, its outbox row and an audit event, in the
caller's transaction; idempotent by (source, reference) through the database's unique
constraint (ON CONFLICT DO NOTHING, so a duplicate never aborts the transaction).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.address import address_key
from models.audit import write_audit
from models.contract import Notification
from models.search_store import write_index
from models.tables import TRIAGE_TASK, NotificationRecord, OutboxRow, TriageResult
from models.types import utcnow


def canonical_hash(document: Any) -> str:
    """SHA-256 of the parsed JSON in canonical form: key order and spacing do not matter."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_form(document: Any, notification: Notification) -> Any:
    """The document with the values the contract normalises put in their normal form (the
    postcode, `le1 1aa` -> `LE1 1AA`), so that the same notification hashes the same however
    a police system wrote them. Everything else is hashed as sent."""
    address = document.get("address") if isinstance(document, dict) else None
    postcode = notification.address.postcode
    if not isinstance(address, dict) or postcode is None or address.get("postcode") == postcode:
        return document
    return {**document, "address": {**address, "postcode": postcode}}


@dataclass(frozen=True)
class Stored:
    """What happened: `created` (new), `repeat` (same body again) or `conflict` (other body)."""

    id: uuid.UUID
    outcome: Literal["created", "repeat", "conflict"]


def store_notification(
    session: Session,
    *,
    source_id: int,
    notification: Notification,
    raw_json: str,
    body_hash: str,
) -> Stored:
    """Store a new notification with its outbox row and audit event, or say what was there.

    A second copy of (source, reference) writes nothing: the insert does nothing on the unique
    constraint, and the earlier copy is read back (`repeat` if its body hash is the same, else
    `conflict`). A concurrent insert of the same reference waits for the first to commit.
    """
    new_id = uuid.uuid4()
    values = {
        "id": new_id,
        "source_id": source_id,
        "reference": notification.reference,
        "body_hash": body_hash,
        "raw_json": raw_json,
        "address_key": address_key(notification.address),
    }
    if session.get_bind().dialect.name == "postgresql":
        created = _insert_postgresql(session, values)
    else:
        created = _insert_sqlite(session, values)
    if created:
        write_index(session, notification_id=new_id, document=notification.model_dump(mode="json"))
        return Stored(new_id, "created")
    row = session.execute(
        select(NotificationRecord.id, NotificationRecord.body_hash).where(
            NotificationRecord.source_id == source_id,
            NotificationRecord.reference == notification.reference,
        )
    ).first()
    if row is None:  # pragma: no cover - nothing inserted and no earlier copy
        raise RuntimeError("notification insert failed and no earlier copy exists")
    return Stored(row.id, "repeat" if row.body_hash == body_hash else "conflict")


def _insert_sqlite(session: Session, values: dict[str, Any]) -> bool:
    """The three rows, skipping all of them on a duplicate reference; True if inserted."""
    now = utcnow()
    inserted = session.scalar(
        sqlite_insert(NotificationRecord)
        .values(**values, status="received", attempts=0, received_at=now)
        .on_conflict_do_nothing(index_elements=["source_id", "reference"])
        .returning(NotificationRecord.id)
    )
    if inserted is None:
        return False
    session.execute(
        insert(OutboxRow).values(
            notification_id=values["id"], task_name=TRIAGE_TASK, created_at=now, attempts=0
        )
    )
    write_audit(
        session,
        actor=f"source:{values['source_id']}",
        action="notification_received",
        notification_id=values["id"],
    )
    return True


# The same three rows in one statement (one round trip); none of them on a duplicate.
_INSERT_POSTGRESQL = text(
    """
    WITH n AS (
        INSERT INTO notifications (id, source_id, reference, body_hash, raw_json, status,
                                   attempts, address_key, received_at)
        VALUES (:id, :source_id, :reference, :body_hash, :raw_json, 'received', 0,
                :address_key, :now)
        ON CONFLICT (source_id, reference) DO NOTHING
        RETURNING id
    ), o AS (
        INSERT INTO outbox (notification_id, task_name, created_at, attempts)
        SELECT id, :task_name, :now, 0 FROM n
    ), a AS (
        INSERT INTO audit_events (at, actor, action, notification_id, detail)
        SELECT :now, :actor, 'notification_received', id, '{}'::jsonb FROM n
    )
    SELECT count(*) FROM n
    """
)


def _insert_postgresql(session: Session, values: dict[str, Any]) -> bool:
    inserted = session.scalar(
        _INSERT_POSTGRESQL,
        {
            **values,
            "now": utcnow(),
            "task_name": TRIAGE_TASK,
            "actor": f"source:{values['source_id']}",
        },
    )
    return bool(inserted)


@dataclass(frozen=True)
class NotificationStatus:
    id: uuid.UUID
    reference: str
    status: str
    received_at: datetime
    triaged_at: datetime | None
    route: str | None
    priority: str | None
    categories: list[str] | None


def notification_status(
    session: Session, *, source_id: int, notification_id: uuid.UUID
) -> NotificationStatus | None:
    """The status of one of `source_id`'s notifications (None if absent or another source's)."""
    row = session.execute(
        select(
            NotificationRecord.id,
            NotificationRecord.reference,
            NotificationRecord.status,
            NotificationRecord.received_at,
            NotificationRecord.triaged_at,
            TriageResult.route,
            TriageResult.priority,
            TriageResult.categories,
        )
        .outerjoin(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .where(NotificationRecord.id == notification_id, NotificationRecord.source_id == source_id)
    ).first()
    if row is None:
        return None
    return NotificationStatus(
        id=row.id,
        reference=row.reference,
        status=row.status,
        received_at=row.received_at,
        triaged_at=row.triaged_at,
        route=row.route,
        priority=row.priority,
        categories=list(row.categories) if row.categories is not None else None,
    )
