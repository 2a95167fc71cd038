"""The governance tasks: a background job (training a candidate, syncing labels into the
what-if history) run to its end by governance.jobs, and the schedule that keeps the what-if
history up to date without anyone asking.

Jobs reach the worker through the outbox (task `JOB_TASK`, job ids), like triage. When the
database fails while a job is started or finished, the message is retried with backoff; an
unfinished job runs again, a finished one is skipped.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

from governance.jobs import run_job
from models.db import session_scope
from models.job_store import create_job, unfinished_job
from models.job_tables import JOB_TASK
from models.labelled_facts import pending_labels
from models.types import utcnow
from workers.celery_app import app, settings_of
from workers.triage import backoff_seconds

log = logging.getLogger("dvscreen.jobs")
LABEL_SYNC_TASK = "dvscreen.schedule_label_sync"


# Acknowledged late, requeued on a lost worker, no result kept: the app's defaults.
@app.task(bind=True, name=JOB_TASK, max_retries=None)
def governance_job(self: Task, ids: list[str]) -> dict[str, int]:
    settings = settings_of(app)
    outcomes: dict[str, int] = {}
    for index, raw_id in enumerate(ids):
        try:
            job_id = int(raw_id)
        except (TypeError, ValueError):
            log.error("governance job: ignoring a message with a malformed id")
            continue
        try:
            outcome = run_job(settings.database, job_id, data_dir=settings.resolved_data_dir)
        except Exception as error:  # the database is failing: try this one and the rest later
            countdown = backoff_seconds(
                self.request.retries + 1,
                settings.triage_retry_base_seconds,
                settings.triage_retry_max_seconds,
            )
            log.warning("governance job %d: %s, will retry", job_id, type(error).__name__)
            raise self.retry(args=[ids[index:]], countdown=countdown) from error
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@app.task(name=LABEL_SYNC_TASK, ignore_result=True)
def schedule_label_sync() -> Any:
    """Queue a label sync when labels wait outside the what-if history and none is queued."""
    settings = settings_of(app)
    with session_scope(settings.database) as session:
        if not pending_labels(session, limit=1):
            return None
        if unfinished_job(session, kind="sync_labels") is not None:
            return None
        return create_job(session, kind="sync_labels", requested_by=None, now=utcnow())
