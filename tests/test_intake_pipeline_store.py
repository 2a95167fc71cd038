"""The pipeline's store functions on SQLite: idempotent results, queue items, sampling,
failures and replay, the outbox relay and sweep, and migrations that match the tables."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, update

import models.all_tables  # noqa: F401
from models.address import address_key
from models.base import Base
from models.contract import Address, Evidence, Notification, ScreeningResult
from models.db import get_engine, session_scope
from models.intake_store import canonical_hash, store_notification
from models.key_store import ensure_source
from models.migrate import migrate
from models.outbox_store import publish_pending, requeue_stale
from models.settings import Settings
from models.tables import NotificationRecord, OutboxRow, QueueItem, TriageResult
from models.triage_store import (
    in_sample,
    load_for_triage,
    prior_child_at_address,
    priors_for,
    record_failure,
    record_result,
    record_results,
    replay_failed,
)
from models.types import utcnow
from screening.policy import DEFAULT_POLICY
from tests.intake_support import in_session, migrated_settings
from tests.notification_factory import make_notification
from tests.web_support import stored_policy

HOURS = {p: DEFAULT_POLICY.deadline_hours(p) for p in ("urgent", "high", "normal")}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return migrated_settings(tmp_path)


@pytest.fixture
def url(settings: Settings) -> str:
    return settings.database


def stored(url: str, reference: str, **kwargs) -> uuid.UUID:
    document = make_notification(reference, **kwargs)
    doc = Notification.model_validate(document)
    with session_scope(url) as session:
        source = ensure_source(session, name="Test Constabulary")
        return store_notification(
            session,
            source_id=source,
            notification=doc,
            raw_json="{}",
            body_hash=canonical_hash(document),
        ).id


def result(route: str, priority: str | None, reference: str = "R") -> ScreeningResult:
    return ScreeningResult(
        reference=reference,
        route=route,
        priority=priority,
        score=0.5,
        categories=["present"] if route == "duty_review" else [],
        evidence=[Evidence(source="field", field="children_present", value=True)],
        reasons=["test"],
        policy_version=1,
        model_version="test-model",
    )


def record(
    url: str,
    notification_id: uuid.UUID,
    route: str = "duty_review",
    priority: str | None = "high",
    sample_share: float = 0.0,
) -> bool:
    """Record a result in a transaction of its own, as triage does."""
    return in_session(
        url,
        record_result,
        notification_id=notification_id,
        result=result(route, priority),
        deadline_hours=HOURS,
        sample_share=sample_share,
    )


def fail(url: str, notification_id: uuid.UUID) -> str:
    """Count a failed attempt (of three allowed)."""
    return in_session(
        url, record_failure, notification_id=notification_id, error="ValueError", max_attempts=3
    )


def rows(url: str, table: type, *where) -> list:
    with session_scope(url) as session:
        return list(session.scalars(select(table).where(*where)))


def test_migration_matches_the_tables(url):
    with get_engine(url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_default_policy_is_seeded_once_as_active_version_1(settings, url):
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    stored = stored_policy(url)
    assert stored is not None and stored.version == 1
    assert stored.policy == DEFAULT_POLICY.model_dump(mode="json")


def test_result_recorded_once_with_its_queue_item(url):
    notification_id = stored(url, "Q/1")
    assert record(url, notification_id, "duty_review", "urgent", sample_share=0.0)
    assert not record(url, notification_id, "triage_check", "normal", sample_share=0.0)
    (saved,) = rows(url, TriageResult)
    assert (saved.route, saved.priority, saved.model_version) == (
        "duty_review",
        "urgent",
        "test-model",
    )
    (item,) = rows(url, QueueItem)
    (notification,) = rows(url, NotificationRecord)
    assert (item.kind, item.priority, item.status) == ("duty_review", "urgent", "open")
    assert item.deadline_at == notification.received_at + timedelta(hours=HOURS["urgent"])
    assert notification.status == "triaged" and notification.triaged_at is not None


def test_a_batch_keeps_its_other_results_when_one_is_already_triaged(url):
    done, first, second = stored(url, "B/1"), stored(url, "B/2"), stored(url, "B/3")
    record(url, done)
    recorded = in_session(
        url,
        record_results,
        results=[
            (first, result("duty_review", "urgent")),
            (done, result("triage_check", "normal")),
            (second, result("triage_check", "normal")),
        ],
        deadline_hours=HOURS,
        sample_share=0,
    )
    assert recorded == {first: True, done: False, second: True}
    routes = {r.notification_id: r.route for r in rows(url, TriageResult)}
    assert routes == {done: "duty_review", first: "duty_review", second: "triage_check"}
    assert len(rows(url, QueueItem)) == 3
    statuses = {n.status for n in rows(url, NotificationRecord)}
    assert statuses == {"triaged"}


def test_screened_out_queues_only_the_sampled_share(url):
    ids = [stored(url, f"S/{i}", child=False) for i in range(400)]
    for notification_id in ids:
        record(url, notification_id, "screened_out", None, sample_share=0.1)
    sampled = rows(url, QueueItem)
    assert {item.kind for item in sampled} == {"manager_sample"}
    assert {item.notification_id for item in sampled} == {i for i in ids if in_sample(i, 0.1)}
    assert 20 <= len(sampled) <= 60


def test_in_sample_is_deterministic_and_proportional():
    ids = [uuid.UUID(int=i * 7919) for i in range(5000)]
    share = sum(in_sample(i, 0.1) for i in ids) / len(ids)
    assert 0.08 < share < 0.12
    assert [in_sample(i, 0.1) for i in ids[:50]] == [in_sample(i, 0.1) for i in ids[:50]]
    assert not any(in_sample(i, 0.0) for i in ids) and all(in_sample(i, 1.0) for i in ids)


def test_failures_count_then_fail_then_replay(url):
    notification_id = stored(url, "F/1")
    assert fail(url, notification_id) == "received"
    assert fail(url, notification_id) == "received"
    assert fail(url, notification_id) == "failed"
    (notification,) = rows(url, NotificationRecord)
    assert (notification.status, notification.attempts, notification.last_error) == (
        "failed",
        3,
        "ValueError",
    )
    assert in_session(url, replay_failed) == 1
    (notification,) = rows(url, NotificationRecord)
    assert (notification.status, notification.attempts) == ("received", 0)
    assert len(rows(url, OutboxRow, OutboxRow.published_at.is_(None))) == 2
    assert in_session(url, replay_failed) == 0


def test_relay_publishes_in_chunks_and_keeps_rows_when_the_broker_fails(url):
    ids = {str(stored(url, f"O/{i}")) for i in range(25)}
    with pytest.raises(ConnectionError):
        in_session(
            url,
            publish_pending,
            publish=lambda *_: (_ for _ in ()).throw(ConnectionError()),
            chunk_size=10,
        )
    assert len(rows(url, OutboxRow, OutboxRow.published_at.is_(None))) == 25
    sent: list[list[str]] = []
    send = lambda task, chunk: sent.append(list(chunk))  # noqa: E731
    assert in_session(url, publish_pending, publish=send, chunk_size=10) == 25
    assert [len(c) for c in sent] == [10, 10, 5]
    assert {i for c in sent for i in c} == ids
    assert in_session(url, publish_pending, publish=send) == 0


def test_relay_keeps_what_it_published_before_a_failure(url):
    for i in range(20):
        stored(url, f"P/{i}")
    calls = []

    def flaky(task: str, chunk) -> None:
        calls.append(chunk)
        if len(calls) > 1:
            raise ConnectionError

    assert in_session(url, publish_pending, publish=flaky, chunk_size=10) == 10
    assert len(rows(url, OutboxRow, OutboxRow.published_at.is_(None))) == 10


def test_sweep_requeues_only_stale_untriaged_notifications(url):
    stale, fresh, done = stored(url, "W/1"), stored(url, "W/2"), stored(url, "W/3")
    in_session(url, publish_pending, publish=lambda *_: None)
    record(url, done)
    long_ago = utcnow() - timedelta(minutes=10)
    with session_scope(url) as session:
        for notification_id in (stale, done):
            session.execute(
                update(NotificationRecord)
                .where(NotificationRecord.id == notification_id)
                .values(received_at=long_ago)
            )
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.notification_id == notification_id)
                .values(published_at=long_ago)
            )
    assert in_session(url, requeue_stale, grace_seconds=60) == 1
    pending = rows(url, OutboxRow, OutboxRow.published_at.is_(None))
    assert [row.notification_id for row in pending] == [stale]
    assert (
        in_session(url, requeue_stale, grace_seconds=60) == 0
    )  # not again until published and stale
    assert fresh not in [row.notification_id for row in pending]


def test_prior_child_at_same_address(url):
    first = stored(url, "A/1", seed=1)
    second = stored(url, "A/2", seed=1)
    (later,) = rows(url, NotificationRecord, NotificationRecord.id == second)
    assert not in_session(
        url,
        prior_child_at_address,
        address_key=later.address_key,
        before=later.received_at,
        exclude_id=second,
    )
    record(url, first)
    assert in_session(
        url,
        prior_child_at_address,
        address_key=later.address_key,
        before=later.received_at,
        exclude_id=second,
    )
    assert not in_session(
        url,
        prior_child_at_address,
        address_key="ZZ1 1ZZ|elsewhere",
        before=later.received_at,
        exclude_id=second,
    )


def test_priors_for_a_batch_agree_with_one_by_one(url):
    first = stored(url, "P/1", seed=2)
    ids = [stored(url, f"P/{n}", seed=2) for n in (2, 3)] + [stored(url, "P/4", seed=3)]
    record(url, first)
    loaded = [in_session(url, load_for_triage, notification_id=i) for i in ids]
    one_by_one = [
        in_session(
            url,
            prior_child_at_address,
            address_key=item.address_key,
            before=item.received_at,
            exclude_id=item.id,
        )
        for item in loaded
    ]
    assert in_session(url, priors_for, items=loaded) == one_by_one == [True, True, False]


def test_address_key_normalises_postcode_and_first_line():
    a = Address(line1="12, Example  Rd.", postcode="le2 1aa")
    b = Address(line1="12 example rd", postcode="LE21AA")
    assert address_key(a) == address_key(b) == "LE2 1AA|12 example rd"
    assert address_key(Address(line1="12 Example Rd", town="Leicester")) != address_key(a)


def test_outbox_and_notification_written_together(url):
    stored(url, "T/1")
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1
