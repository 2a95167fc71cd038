"""Storing a received notification durably: the row, its outbox row and an audit event, in one
transaction; idempotent by (source, reference) through the database's unique constraint.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from models.address import address_key
from models.audit import write_audit
from models.contract import Notification
from models.db import get_engine, read_scope
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
    url: str, source_id: int, notification: Notification, raw_json: str, body_hash: str
) -> Stored:
    new_id = uuid.uuid4()
    now = utcnow()
    engine = get_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            _insert_postgresql(url, source_id, new_id, notification, raw_json, body_hash, now)
            return Stored(new_id, "created")
        with engine.begin() as connection:
            connection.execute(
                insert(NotificationRecord).values(
                    id=new_id,
                    source_id=source_id,
                    reference=notification.reference,
                    body_hash=body_hash,
                    raw_json=raw_json,
                    status="received",
                    attempts=0,
                    address_key=address_key(notification.address),
                    received_at=now,
                )
            )
            connection.execute(
                insert(OutboxRow).values(
                    notification_id=new_id, task_name=TRIAGE_TASK, created_at=now, attempts=0
                )
            )
            write_audit(
                connection,
                actor=f"source:{source_id}",
                action="notification_received",
                notification_id=new_id,
            )
        return Stored(new_id, "created")
    except IntegrityError:
        pass
    with read_scope(url) as connection:
        row = connection.execute(
            select(NotificationRecord.id, NotificationRecord.body_hash).where(
                NotificationRecord.source_id == source_id,
                NotificationRecord.reference == notification.reference,
            )
        ).first()
    if row is None:  # pragma: no cover - an integrity error other than the duplicate
        raise RuntimeError("notification insert failed and no earlier copy exists")
    return Stored(row.id, "repeat" if row.body_hash == body_hash else "conflict")


# The same three rows in one statement: one round trip, atomic on its own (autocommit).
_INSERT_POSTGRESQL = text(
    """
    WITH n AS (
        INSERT INTO notifications (id, source_id, reference, body_hash, raw_json, status,
                                   attempts, address_key, received_at)
        VALUES (:id, :source_id, :reference, :body_hash, :raw_json, 'received', 0,
                :address_key, :now)
        RETURNING id
    ), o AS (
        INSERT INTO outbox (notification_id, task_name, created_at, attempts)
        SELECT id, :task_name, :now, 0 FROM n
    )
    INSERT INTO audit_events (at, actor, action, notification_id, detail)
    SELECT :now, :actor, 'notification_received', id, '{}'::jsonb FROM n
    """
)


def _insert_postgresql(
    url: str,
    source_id: int,
    new_id: uuid.UUID,
    notification: Notification,
    raw_json: str,
    body_hash: str,
    now: datetime,
) -> None:
    engine = get_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            _INSERT_POSTGRESQL,
            {
                "id": new_id,
                "source_id": source_id,
                "reference": notification.reference,
                "body_hash": body_hash,
                "raw_json": raw_json,
                "address_key": address_key(notification.address),
                "now": now,
                "task_name": TRIAGE_TASK,
                "actor": f"source:{source_id}",
            },
        )


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
    url: str, source_id: int, notification_id: uuid.UUID
) -> NotificationStatus | None:
    """The status of one of `source_id`'s notifications (None if absent or another source's)."""
    with read_scope(url) as connection:
        row = connection.execute(
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
            .where(
                NotificationRecord.id == notification_id, NotificationRecord.source_id == source_id
            )
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
