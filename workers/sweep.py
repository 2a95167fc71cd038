"""The slow backstop sweep (Celery beat): anything still `received` whose last publish is older
than `stale_grace_seconds` goes back to the outbox, whatever the queue holds; so does a
background job still queued that long after its publish, or running with no progress for
`governance.jobs.STALLED_AFTER` (its worker died). The fast sweep for lost triage messages
(`requeue_lost`) runs in the relay (workers/outbox.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from governance.jobs import STALLED_AFTER
from models.db import session_scope
from models.job_store import requeue_stalled_jobs
from models.outbox_store import requeue_stale
from models.types import utcnow
from workers.celery_app import app, settings_of

log = logging.getLogger("dvscreen.sweep")


@app.task(name="dvscreen.sweep", ignore_result=True)
def sweep() -> int:
    settings = settings_of(app)
    with session_scope(settings.database) as session:
        count = requeue_stale(session, grace_seconds=settings.stale_grace_seconds)
    if count:
        log.warning("sweep: %d notifications not triaged within the grace period, requeued", count)
    now = utcnow()
    with session_scope(settings.database) as session:
        jobs = requeue_stalled_jobs(
            session,
            queued_before=now - timedelta(seconds=settings.stale_grace_seconds),
            stalled_before=now - STALLED_AFTER,
        )
    if jobs:
        log.warning("sweep: %d background jobs whose message or worker was lost, requeued", jobs)
    return count
