"""The slow backstop sweep (Celery beat): anything still `received` whose last publish is older
than `stale_grace_seconds` goes back to the outbox, whatever the queue holds. The fast sweep
for lost messages (`requeue_lost`) runs in the relay (workers/outbox.py)."""

from __future__ import annotations

import logging

from models.db import session_scope
from models.outbox_store import requeue_stale
from workers.celery_app import app, settings_of

log = logging.getLogger("dvscreen.sweep")


@app.task(name="dvscreen.sweep", ignore_result=True)
def sweep() -> int:
    settings = settings_of(app)
    with session_scope(settings.database) as session:
        count = requeue_stale(session, grace_seconds=settings.stale_grace_seconds)
    if count:
        log.warning("sweep: %d notifications not triaged within the grace period, requeued", count)
    return count
