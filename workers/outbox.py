"""The outbox relay: publishes unpublished outbox rows to the broker, as a loop thread in the
worker's main process (`start_relay`) or on its own (`run_relay`).

Each pass publishes up to `relay_batch_size` rows in messages of `task_batch_size` ids. While
publishing fails (broker down) the relay backs off up to 5 s and tries again; the rows stay in
the outbox until published, so an outage delays triage but loses nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from celery import Celery

from models.outbox_store import publish_pending
from models.settings import Settings

log = logging.getLogger("dvscreen.relay")
MAX_BACKOFF_SECONDS = 5.0

_relay: OutboxRelay | None = None


class OutboxRelay(threading.Thread):
    def __init__(self, app: Celery, settings: Settings) -> None:
        super().__init__(name="outbox-relay", daemon=True)
        self.app = app
        self.settings = settings
        self.stopping = threading.Event()

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
        return publish_pending(
            self.settings.database,
            self.publish,
            limit=self.settings.relay_batch_size,
            chunk_size=self.settings.task_batch_size,
        )

    def run(self) -> None:
        interval = self.settings.relay_interval_seconds
        delay, failures = 0.0, 0
        while not self.stopping.wait(delay):
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
    """Run the relay in the foreground until interrupted."""
    relay = OutboxRelay(app, settings)
    try:
        relay.run()
    except KeyboardInterrupt:
        relay.stop()
