"""Retention: which closed notifications are past their schedule, and the purge that removes
their personal data while keeping the figures (counts, routes, versions, labelled facts).

The schedule is the active policy's `retention` section. A notification under a legal hold (its
own, or a held person's) is never purged. `plan` is the dry run: it says what would go and
changes nothing but the run log. `purge` works in bounded batches, one transaction each, so a
long purge never holds locks for long, and audits the run with counts only.
"""

from __future__ import annotations

import calendar
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from governance.policy import active_policy
from models.db import session_scope
from models.retention_store import (
    Candidate,
    closed_notifications,
    finish_run,
    held_notifications,
    purge_batch,
    start_run,
)
from models.types import utcnow
from screening.retention_schedule import RETENTION_CLASSES, RetentionSchedule

SYSTEM_ACTOR = "system:retention"
SHOWN = 50


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day at most)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_class(candidate: Candidate) -> str:
    """The class whose schedule applies: unlabelled work that was not a screen-out nobody
    looked at is kept as long as a child's record (the safe side)."""
    if candidate.labelled_involved is True:
        return "child_involved"
    if candidate.labelled_involved is False:
        return "screened_out_confirmed" if candidate.route == "screened_out" else (
            "no_child_confirmed")
    if candidate.route == "screened_out" and not candidate.sampled:
        return "screened_out_not_sampled"
    return "child_involved"


@dataclass
class Plan:
    """What a purge would remove now: per class, the due notifications; and how many are held."""

    policy_version: int
    schedule: RetentionSchedule
    cutoffs: dict[str, datetime]
    due: dict[str, list[Candidate]] = field(default_factory=dict)
    held: int = 0

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.due.values())

    def counts(self) -> dict[str, int]:
        return {name: len(self.due.get(name, [])) for name in RETENTION_CLASSES}

    def references(self, limit: int = SHOWN) -> list[tuple[str, str, datetime]]:
        """The first few due (reference, class, closed) for a person to check."""
        shown = [(c.reference, name, c.closed_at) for name in RETENTION_CLASSES
                 for c in self.due.get(name, [])]
        return sorted(shown, key=lambda r: r[2])[:limit]


def make_plan(session: Session, *, now: datetime) -> Plan:
    policy = active_policy(session)
    schedule = policy.retention
    cutoffs = {name: months_before(now, schedule.months(name)) for name in RETENTION_CLASSES}
    plan = Plan(policy.version, schedule, cutoffs, {name: [] for name in RETENTION_CLASSES})
    if not schedule.enabled:
        return plan
    due: list[tuple[str, Candidate]] = []
    for candidate in closed_notifications(session):
        name = retention_class(candidate)
        if candidate.closed_at <= cutoffs[name]:
            due.append((name, candidate))
    if not due:
        return plan
    held = held_notifications(session)
    for name, candidate in due:
        if candidate.notification_id in held:
            plan.held += 1
        else:
            plan.due[name].append(candidate)
    return plan


@dataclass(frozen=True)
class PurgeReport:
    run_id: int
    dry_run: bool
    notifications: int
    held: int
    per_class: dict[str, int]
    rows_changed: dict[str, int]
    seconds: float
    shown: list[tuple[str, str, datetime]]


def purge(
    url: str, *, dry_run: bool = False, actor: str = SYSTEM_ACTOR, now: datetime | None = None
) -> PurgeReport:
    """Plan and (unless `dry_run`) purge, one batch per transaction; audited with counts."""
    started = utcnow()
    now = now or started
    with session_scope(url) as session:
        plan = make_plan(session, now=now)
        run_id = start_run(session, actor=actor, policy_version=plan.policy_version,
                           dry_run=dry_run, now=started)
    per_class = plan.counts()
    changed: Counter[str] = Counter()
    if not dry_run:
        class_of: dict[uuid.UUID, str] = {
            c.notification_id: name for name, items in plan.due.items() for c in items
        }
        ids = sorted(class_of)
        size = plan.schedule.batch_size
        for start in range(0, len(ids), size):
            with session_scope(url) as session:
                changed.update(purge_batch(session, run_id=run_id, ids=ids[start:start + size],
                                           retention_class=class_of, now=now))
    counts = {"per_class": per_class, "rows_changed": dict(changed)}
    with session_scope(url) as session:
        finish_run(session, run_id=run_id, notifications=plan.total, held=plan.held,
                   counts=counts, actor=actor, now=utcnow())
    return PurgeReport(run_id, dry_run, plan.total, plan.held, per_class, dict(changed),
                       (utcnow() - started).total_seconds(), plan.references())
