"""The session-first stores on real PostgreSQL: a duplicate reference writes nothing and leaves
the caller's transaction usable (ON CONFLICT DO NOTHING), two concurrent copies of one reference
store one notification, and a failed publish keeps the attempt it counted."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from models.contract import Notification
from models.db import session_scope
from models.intake_store import Stored, canonical_hash, store_notification
from models.key_store import ensure_source
from models.outbox_store import publish_pending
from models.tables import AuditEvent, NotificationRecord, OutboxRow
from tests.intake_support import in_session
from tests.notification_factory import make_notification


@pytest.fixture
def url(postgres_schema: str) -> str:
    return postgres_schema


def _store(session, source_id: int, document: dict) -> Stored:
    return store_notification(
        session,
        source_id=source_id,
        notification=Notification.model_validate(document),
        raw_json="{}",
        body_hash=canonical_hash(document),
    )


def _count(session, table: type, reference: str) -> int:
    ids = select(NotificationRecord.id).where(NotificationRecord.reference == reference)
    if table is NotificationRecord:
        return int(session.scalar(select(func.count()).where(NotificationRecord.id.in_(ids))))
    column = table.notification_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).select_from(table).where(column.in_(ids))))


def test_repeat_and_conflict_write_nothing_and_keep_the_transaction(url):
    reference = f"PG/{uuid.uuid4().hex[:8]}"
    document = make_notification(reference)
    with session_scope(url) as session:
        source_id = ensure_source(session, name="Postgres Police")
        first = _store(session, source_id, document)
        again = _store(session, source_id, document)
        other = _store(session, source_id, {**document, "narrative": "A different account."})
        # The transaction survived both duplicates: it still reads and commits.
        counts = [
            _count(session, t, reference) for t in (NotificationRecord, OutboxRow, AuditEvent)
        ]
    assert (first.outcome, again.outcome, other.outcome) == ("created", "repeat", "conflict")
    assert first.id == again.id == other.id
    assert counts == [1, 1, 1]
    with session_scope(url) as session:
        assert _count(session, NotificationRecord, reference) == 1


def test_concurrent_copies_of_one_reference_store_one_notification(url):
    reference = f"PG/{uuid.uuid4().hex[:8]}"
    document = make_notification(reference)
    source_id = in_session(url, ensure_source, name="Postgres Police")
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def submit() -> None:
        start.wait()
        with session_scope(url) as session:
            outcomes.append(_store(session, source_id, document).outcome)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["created", "repeat", "repeat", "repeat"]
    with session_scope(url) as session:
        assert _count(session, OutboxRow, reference) == 1


def test_a_failed_publish_keeps_its_counted_attempt(url):
    reference = f"PG/{uuid.uuid4().hex[:8]}"
    in_session(url, publish_pending, publish=lambda *_: None)  # what earlier tests left
    with session_scope(url) as session:
        source_id = ensure_source(session, name="Postgres Police")
        _store(session, source_id, make_notification(reference))

    def down(_task: str, _ids: object) -> None:
        raise ConnectionError

    with pytest.raises(ConnectionError):
        in_session(url, publish_pending, publish=down)
    mine = select(NotificationRecord.id).where(NotificationRecord.reference == reference)
    with session_scope(url) as session:
        row = session.execute(
            select(OutboxRow.attempts, OutboxRow.published_at).where(
                OutboxRow.notification_id.in_(mine)
            )
        ).one()
    assert (row.attempts, row.published_at) == (1, None)
