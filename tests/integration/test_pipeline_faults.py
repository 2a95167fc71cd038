"""Fault tests on the real pipeline: each asserts that every notification ends triaged exactly
once (one result, one audit event, one queue item when routed to a person)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import text

from tests.integration.pipeline_support import Pipeline, RedisServer, post_json, wait_until
from tests.notification_factory import make_notification

pytestmark = pytest.mark.integration


def submit_many(base: str, key: str, references: list[str], clients: int) -> list[int]:
    """POST each reference from `clients` concurrent HTTP clients; return the status codes."""
    shares = [references[i::clients] for i in range(clients)]

    def send(share: list[str]) -> list[int]:
        with httpx.Client(base_url=base, timeout=30) as client:
            return [
                post_json(
                    client,
                    "/v1/notifications",
                    make_notification(ref, child=i % 3 != 0, seed=i),
                    key,
                ).status_code
                for i, ref in enumerate(share)
            ]

    with ThreadPoolExecutor(clients) as pool:
        return [code for codes in pool.map(send, shares) for code in codes]


def test_two_thousand_from_eight_concurrent_clients(pipeline: Pipeline, api_key: str):
    _, base = pipeline.start_api()
    pipeline.start_worker()
    references = [f"C8/{i:05d}" for i in range(2000)]
    started = time.monotonic()
    codes = submit_many(base, api_key, references, clients=8)
    assert codes == [202] * 2000
    pipeline.wait_all_triaged(2000, timeout=240)
    print(f"2,000 notifications submitted and triaged in {time.monotonic() - started:.1f} s")
    pipeline.assert_exactly_once(2000)


def test_same_notification_twenty_times_at_once(pipeline: Pipeline, api_key: str):
    _, base = pipeline.start_api()
    pipeline.start_worker()
    body = make_notification("SAME/1")

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=30) as client:
            return post_json(client, "/v1/notifications", body, api_key)

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(send, range(20)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 19 + [202]
    assert len({r.json()["id"] for r in responses}) == 1
    pipeline.wait_all_triaged(1, timeout=60)
    pipeline.assert_exactly_once(1)


def test_worker_killed_mid_batch_then_restarted(pipeline: Pipeline, api_key: str):
    _, base = pipeline.start_api()
    pipeline.start_beat()  # the sweep recovers what the dead worker held
    worker = pipeline.start_worker()
    total = 400
    assert submit_many(base, api_key, [f"K/{i:04d}" for i in range(total)], 4) == [202] * total
    wait_until(lambda: pipeline.triaged() >= 40, 120, "some notifications triaged")
    worker.kill_group()  # SIGKILL the worker and its pool children, mid-batch
    done_before = pipeline.triaged()
    assert done_before < total, "the worker finished before it could be killed"
    pipeline.start_worker()
    pipeline.wait_all_triaged(total, timeout=180)
    pipeline.assert_exactly_once(total)


def test_redis_stopped_while_notifications_arrive(pipeline: Pipeline, api_key: str, tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        pipeline.broker_url = server.url
        _, base = pipeline.start_api()
        pipeline.start_beat()
        pipeline.start_worker()
        first = submit_many(base, api_key, [f"R/a{i:03d}" for i in range(100)], 4)
        server.stop()
        # Intake never needs the broker: nothing is refused while Redis is down.
        second = submit_many(base, api_key, [f"R/b{i:03d}" for i in range(150)], 4)
        assert first + second == [202] * 250
        time.sleep(3)
        assert pipeline.status_counts().get("received", 0) > 0
        ready = httpx.get(base + "/readyz").json()
        assert ready["status"] == "ready" and ready["broker"] == "unreachable"
        server.start()
        pipeline.wait_all_triaged(250, timeout=180)
        pipeline.assert_exactly_once(250)
    finally:
        pipeline.stop_all()
        server.stop()


def test_failing_notification_is_failed_visibly_then_replayed(pipeline: Pipeline, api_key):
    _, base = pipeline.start_api()
    with httpx.Client(base_url=base) as client:
        good = post_json(client, "/v1/notifications", make_notification("FAIL/1"), api_key)
        bad = post_json(client, "/v1/notifications", make_notification("FAIL/2"), api_key)
    bad_id = bad.json()["id"]
    # Break the stored copy so that triage cannot parse it: every attempt fails.
    with pipeline.engine.begin() as connection:
        original = connection.execute(
            text("SELECT raw_json FROM notifications WHERE id = :id"), {"id": bad_id}
        ).scalar()
        connection.execute(
            text("UPDATE notifications SET raw_json = '{' WHERE id = :id"), {"id": bad_id}
        )
    pipeline.start_worker(DVSCREEN_TRIAGE_MAX_ATTEMPTS="3")
    wait_until(
        lambda: pipeline.status_counts() == {"triaged": 1, "failed": 1},
        60,
        "one triaged, one failed",
    )
    with pipeline.engine.connect() as connection:
        attempts, error = connection.execute(
            text("SELECT attempts, last_error FROM notifications WHERE id = :id"), {"id": bad_id}
        ).one()
    assert attempts == 3 and error == "ValidationError"
    assert httpx.get(base + "/readyz").json()["counts"]["failed"] == 1
    status = httpx.get(
        base + f"/v1/notifications/{bad_id}", headers={"Authorization": f"Bearer {api_key}"}
    ).json()
    assert status["status"] == "failed"
    with pipeline.engine.begin() as connection:
        connection.execute(
            text("UPDATE notifications SET raw_json = :raw WHERE id = :id"),
            {"raw": original, "id": bad_id},
        )
    import subprocess
    import sys

    replay = subprocess.run(
        [sys.executable, "dvscreen.py", "replay"],
        env=pipeline.env(),
        cwd=pipeline.env()["PYTHONPATH"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert replay.returncode == 0, replay.stderr
    assert "requeued 1" in replay.stdout
    pipeline.wait_all_triaged(2, timeout=60)
    pipeline.assert_exactly_once(2)
    assert good.status_code == 202


def test_migrations_match_the_tables_on_postgresql(pipeline: Pipeline):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import models.all_tables  # noqa: F401
    from models.base import Base

    with pipeline.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
