"""The outbox relay: publishes unpublished outbox rows to the broker, in its own process
(`dvscreen relay`, `run_relay`) or, in the old shape, as a thread of a worker (`start_relay`).

Each pass publishes up to `relay_batch_size` rows in messages of `task_batch_size` ids. While
publishing fails (broker down) the relay backs off up to 2 s and tries again; the rows stay in
the outbox until published, so an outage delays triage but loses nothing. Every
`sweep_interval_seconds` it also sweeps for lost messages (models.outbox_store.requeue_lost):
a killed worker's leased notifications and, when the broker queue is empty, notifications
published long ago but never started (their message went with a broker restarted empty).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from celery import Celery

from models.db import session_scope
from models.outbox_store import publish_pending, requeue_lost
from models.settings import Settings

log = logging.getLogger("dvscreen.relay")
MAX_BACKOFF_SECONDS = 2.0
HEARTBEAT_FILE = "relay-alive"


def queue_depth(app: Celery, settings: Settings) -> int | None:
    """Messages waiting in the broker queue (None when it cannot be read)."""
    try:
        if settings.is_embedded_broker:
            folder = Path(settings.broker_transport_options()["data_folder_in"])
            return sum(1 for _ in folder.glob(f"*.{settings.queue}.msg"))
        import redis

        client = redis.Redis.from_url(
            settings.broker, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            return int(client.llen(settings.queue))
        finally:
            client.close()
    except Exception as error:
        log.debug("queue depth unknown (%s)", type(error).__name__)
        return None


def sweep_lost(app: Celery, settings: Settings) -> int:
    """One sweep for lost messages; returns how many notifications go out again."""
    depth = queue_depth(app, settings)
    if depth is None:  # broker down: nothing can be delivered anyway
        return 0
    with session_scope(settings.database) as session:
        count = requeue_lost(
            session, grace_seconds=settings.sweep_grace_seconds, queue_empty=depth == 0
        )
    if count:
        log.warning("sweep: %d notifications whose message was lost, published again", count)
    return count

_relay: OutboxRelay | None = None


class OutboxRelay(threading.Thread):
    def __init__(self, app: Celery, settings: Settings) -> None:
        super().__init__(name="outbox-relay", daemon=True)
        self.app = app
        self.settings = settings
        self.stopping = threading.Event()
        self.next_sweep = 0.0

    def publish(self, task_name: str, ids: Sequence[str]) -> None:
        from workers.celery_app import PUBLISH_RETRY_POLICY

        self.app.send_task(
            task_name,
            args=[list(ids)],
            queue=self.settings.queue,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )

    def run_once(self) -> int:
        with session_scope(self.settings.database) as session:
            return publish_pending(
                session,
                publish=self.publish,
                limit=self.settings.relay_batch_size,
                chunk_size=self.settings.task_batch_size,
            )

    def beat(self) -> None:
        """Touch `relay-alive` in the data directory: the container's health check reads it."""
        try:
            path = self.settings.resolved_data_dir / HEARTBEAT_FILE
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as error:
            log.debug("relay heartbeat not written (%s)", type(error).__name__)

    def maybe_sweep(self) -> None:
        now = time.monotonic()
        if now < self.next_sweep:
            return
        self.next_sweep = now + self.settings.sweep_interval_seconds
        self.beat()
        try:
            sweep_lost(self.app, self.settings)
        except Exception as error:  # the database is down: the next pass tries again
            log.warning("sweep failed (%s); retrying", type(error).__name__)

    def run(self) -> None:
        interval = self.settings.relay_interval_seconds
        delay, failures = 0.0, 0
        self.next_sweep = time.monotonic() + self.settings.sweep_interval_seconds
        while not self.stopping.wait(delay):
            self.maybe_sweep()
            try:
                published = self.run_once()
            except Exception as error:
                failures += 1
                delay = min(MAX_BACKOFF_SECONDS, interval * 2**failures)
                if failures == 1 or failures % 20 == 0:
                    log.warning(
                        "outbox relay: publish failed (%s), %d in a row; retrying",
                        type(error).__name__,
                        failures,
                    )
                continue
            if failures:
                log.info("outbox relay: publishing again after %d failures", failures)
            failures = 0
            # A full pass means a backlog: go again at once.
            delay = 0.0 if published >= self.settings.relay_batch_size else interval

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


def start_relay(app: Celery, settings: Settings) -> OutboxRelay:
    global _relay
    if _relay is None or not _relay.is_alive():
        _relay = OutboxRelay(app, settings)
        _relay.start()
        log.info("outbox relay started")
    return _relay


def stop_relay() -> None:
    if _relay is not None:
        _relay.stop()


def run_relay(app: Celery, settings: Settings) -> None:
    """Run the relay in the foreground until SIGTERM or SIGINT."""
    relay = OutboxRelay(app, settings)

    def _stop(_signum: int, _frame: Any) -> None:
        relay.stopping.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop)
    log.info("outbox relay started")
    relay.run()
    log.info("outbox relay stopped")
