"""Background jobs: created with their outbox row in the caller's transaction (so the web hands a
job to the workers without a broker), then started, advanced and finished by the worker.

Moves are conditional UPDATEs: a finished job is never started again, and a running one only
once its worker has gone quiet (no progress since `stalled_before`: the worker died). So a
duplicate message (a swept one, a redelivery) never runs a job twice at once, and
`requeue_stalled_jobs` (the beat sweep) publishes again a job whose message or worker was lost.
Messages are short sentences for staff, never personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from models.db import rows_changed
from models.job_tables import JOB_KINDS, JOB_TASK, UNFINISHED, JobRecord
from models.outbox_store import publish_again
from models.tables import OutboxRow

MESSAGE_LENGTH = 200
# How a long step says how far it has got: (done, total, what it is doing, in words).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    status: str
    done: int
    total: int | None
    message: str | None
    params: dict[str, Any] | None
    result: dict[str, Any] | None
    requested_by: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def percent(self) -> int:
        """How far it has got, 0-100 (100 once it has succeeded)."""
        if self.status == "succeeded":
            return 100
        if not self.total:
            return 0
        return max(0, min(100, round(100 * self.done / self.total)))


def _job(row: JobRecord) -> Job:
    return Job(**{field.name: getattr(row, field.name) for field in fields(Job)})


def create_job(
    session: Session,
    *,
    kind: str,
    requested_by: int | None,
    now: datetime,
    params: dict[str, Any] | None = None,
) -> int:
    """A queued job (working on `params`) and the outbox row that hands it to a worker;
    returns its id."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = JobRecord(
        kind=kind,
        status="queued",
        done=0,
        message="Waiting for a worker",
        params=params,
        requested_by=requested_by,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    session.execute(
        insert(OutboxRow).values(job_id=job.id, task_name=JOB_TASK, created_at=now, attempts=0)
    )
    return job.id


def get_job(session: Session, *, job_id: int) -> Job | None:
    row = session.get(JobRecord, job_id)
    return _job(row) if row is not None else None


def unfinished_job(session: Session, *, kind: str) -> Job | None:
    """The latest queued or running job of this kind, if any."""
    row = session.scalars(
        select(JobRecord)
        .where(JobRecord.kind == kind, JobRecord.status.in_(UNFINISHED))
        .order_by(JobRecord.id.desc())
        .limit(1)
    ).first()
    return _job(row) if row is not None else None


def latest_jobs(session: Session, *, kinds: Sequence[str], limit: int = 5) -> list[Job]:
    """The most recent jobs of these kinds, newest first."""
    rows = session.scalars(
        select(JobRecord)
        .where(JobRecord.kind.in_(list(kinds)))
        .order_by(JobRecord.id.desc())
        .limit(limit)
    )
    return [_job(row) for row in rows]


def _startable(stalled_before: datetime) -> Any:
    return or_(
        JobRecord.status == "queued",
        and_(JobRecord.status == "running", JobRecord.updated_at < stalled_before),
    )


def start_job(
    session: Session, *, job_id: int, now: datetime, stalled_before: datetime
) -> Job | None:
    """Mark a queued job running, or a running one whose worker went quiet before
    `stalled_before`; None if it is finished, absent or still running elsewhere."""
    changed = session.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, _startable(stalled_before))
        .values(status="running", started_at=now, updated_at=now, done=0)
    )
    if not rows_changed(changed):
        return None
    return get_job(session, job_id=job_id)


def report_progress(
    session: Session, *, job_id: int, done: int, total: int, message: str, now: datetime
) -> None:
    """How far a running job has got."""
    session.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, JobRecord.status == "running")
        .values(done=done, total=total, message=message[:MESSAGE_LENGTH], updated_at=now)
    )


def finish_job(
    session: Session,
    *,
    job_id: int,
    succeeded: bool,
    message: str,
    now: datetime,
    result: dict[str, Any] | None = None,
) -> None:
    """End a job: `succeeded` (with its result) or `failed` (with why, in words)."""
    values: dict[str, Any] = {
        "status": "succeeded" if succeeded else "failed",
        "message": message[:MESSAGE_LENGTH],
        "result": result,
        "finished_at": now,
        "updated_at": now,
    }
    if succeeded:
        values["done"] = func.coalesce(JobRecord.total, JobRecord.done)
    session.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, JobRecord.status == "running")
        .values(values)
    )


def requeue_stalled_jobs(
    session: Session, *, queued_before: datetime, stalled_before: datetime
) -> int:
    """Publish again the jobs whose message looks lost: still queued though published before
    `queued_before`, or running with no progress since `stalled_before`. Returns how many."""
    lost = session.scalars(
        select(OutboxRow.id)
        .join(JobRecord, JobRecord.id == OutboxRow.job_id)
        .where(OutboxRow.published_at < queued_before, _startable(stalled_before))
    )
    return publish_again(session, row_ids=list(lost))
