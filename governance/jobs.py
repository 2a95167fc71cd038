"""Running one background job (a worker calls `run_job`): train a candidate model from the
service's labels, score a candidate in shadow beside the active model on the recent labelled
notifications, or bring the what-if history up to date with the labels. The job's row says how far
it has got after every step, in a transaction of its own, so the page can show it.

A job that fails ends `failed` with a sentence saying why; an unexpected error is named by its
class only (never its text, which could hold personal data). A database that fails while a job
is started or finished raises: the worker retries the message, and an unfinished job runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from governance.active_model import ensure_registry
from governance.lifecycle import compare_models, rows_from_labels, train_candidate
from governance.policy import current_policy
from governance.whatif_history import sync_label_facts
from models.db import session_scope
from models.job_store import Job, Progress, finish_job, report_progress, start_job
from models.types import utcnow

log = logging.getLogger("dvscreen.jobs")
# A running job that has reported no progress for this long lost its worker: it may run again.
STALLED_AFTER = timedelta(minutes=15)

TOO_FEW_LABELS = (
    "Training needs labelled notifications with and without a child involved. Record more "
    "duty decisions or sample outcomes, then try again."
)


class JobFailure(Exception):
    """A job that cannot finish, with the reason in words for the page."""


Outcome = tuple[str, dict[str, Any]]
Runner = Callable[[str, Path, Job, Progress], Outcome]


def _train(url: str, data_dir: Path, job: Job, progress: Progress) -> Outcome:
    progress(0, 3, "Reading the service's labels")
    ensure_registry(url)
    rows = rows_from_labels(url)
    try:
        version = train_candidate(
            url,
            data_dir,
            rows,
            {"source": "service labels"},
            registered_by=job.requested_by,
            progress=lambda done, _total, message: progress(1 + done, 3, message),
        )
    except ValueError as error:  # one class of label only: screening.training refuses
        raise JobFailure(TOO_FEW_LABELS) from error
    message = f"Candidate {version} was trained on {len(rows)} labelled notifications."
    return message, {"version": version, "rows": len(rows)}


def _compare(url: str, _data_dir: Path, job: Job, progress: Progress) -> Outcome:
    version = str((job.params or {}).get("version", ""))
    progress(0, 1, "Scoring the recent labelled notifications with both models")
    try:
        comparison = compare_models(url, version, current_policy(url))
    except LookupError as error:
        raise JobFailure("There is no such model: it may have been removed.") from error
    count = comparison["notifications"]
    noun = "notification" if count == 1 else "notifications"
    message = f"Candidate {version} was scored in shadow on {count} labelled {noun}."
    return message, {"version": version, "notifications": count}


def _sync(url: str, _data_dir: Path, _job: Job, progress: Progress) -> Outcome:
    progress(0, 1, "Finding labels not yet in the what-if history")
    count = sync_label_facts(url, progress=progress)
    noun = "label was" if count == 1 else "labels were"
    return f"{count} {noun} added to the what-if history.", {"synced": count}


RUNNERS: dict[str, Runner] = {
    "train_model": _train,
    "compare_model": _compare,
    "sync_labels": _sync,
}


def failure_words(error: BaseException) -> str:
    """Why a job failed, for the page: a JobFailure's own words, else the class name only."""
    if isinstance(error, JobFailure):
        return str(error)
    return (
        f"The job stopped with an unexpected error ({type(error).__name__}). Nothing else was "
        "changed. Try again; if it fails again, ask an administrator to read the worker's log."
    )


def run_job(url: str, job_id: int, *, data_dir: Path) -> Literal["succeeded", "failed", "skipped"]:
    """Run a queued (or stalled) job to its end; `skipped` if it is finished, absent or
    running in another worker."""
    now = utcnow()
    with session_scope(url) as session:
        job = start_job(session, job_id=job_id, now=now, stalled_before=now - STALLED_AFTER)
    if job is None:
        return "skipped"

    def progress(done: int, total: int, message: str) -> None:
        with session_scope(url) as session:
            report_progress(
                session, job_id=job_id, done=done, total=total, message=message, now=utcnow()
            )

    runner = RUNNERS[job.kind]
    try:
        message, result = runner(url, data_dir, job, progress)
    except Exception as error:
        log.warning("job %d (%s) failed (%s)", job_id, job.kind, type(error).__name__)
        with session_scope(url) as session:
            finish_job(
                session, job_id=job_id, succeeded=False, message=failure_words(error), now=utcnow()
            )
        return "failed"
    with session_scope(url) as session:
        finish_job(
            session, job_id=job_id, succeeded=True, message=message, result=result, now=utcnow()
        )
    log.info("job %d (%s) succeeded", job_id, job.kind)
    return "succeeded"
