"""The sweep (Celery beat): anything still `received` whose last publish is older than the
grace period goes back to the outbox, so a message lost anywhere is published again."""

from __future__ import annotations

import logging

from models.outbox_store import requeue_stale
from workers.celery_app import app, settings_of

log = logging.getLogger("dvscreen.sweep")


@app.task(name="dvscreen.sweep", ignore_result=True)
def sweep() -> int:
    settings = settings_of(app)
    count = requeue_stale(settings.database, settings.sweep_grace_seconds)
    if count:
        log.warning("sweep: %d notifications not triaged within the grace period, requeued", count)
    return count
