"""The triage task: screen notifications and record each result exactly once.

A message carries a few notification ids. Each is triaged on its own: an id already triaged
is skipped (the unique result constraint settles races between duplicate deliveries); an id
that fails counts an attempt and is retried with exponential backoff; after
`triage_max_attempts` it is marked `failed` (visible in /readyz, re-run by `dvscreen replay`).
Only ids and exception class names are logged: never notification content.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Sequence
from typing import Any, Literal

from celery import Task

from governance.active_model import current_models
from governance.people_index import people_histories, people_history
from governance.policy import current_policy, deadline_hours
from models.contract import Notification
from models.db import session_scope
from models.model_registry import ModelRef, record_shadow_score
from models.outbox_store import take_lease
from models.triage_store import (
    load_for_triage,
    load_many_for_triage,
    prior_child_at_address,
    priors_for,
    record_failure,
    record_result,
    record_results,
)
from models.types import utcnow
from screening.linkage.history import History
from screening.policy import Policy
from workers.celery_app import app, settings_of

log = logging.getLogger("dvscreen.triage")
TriageRun = Literal["triaged", "duplicate", "skipped", "missing"]


def score_in_shadow(
    url: str,
    shadow: ModelRef | None,
    ids: list[uuid.UUID],
    notifications: list[Notification],
    policy: Policy,
    histories: Sequence[bool | History],
) -> None:
    """Score with the candidate model too, on the same people histories the active model saw,
    and store it apart: shadow scores never route.

    A failure here is logged and dropped: the candidate must never hold up real triage.
    """
    if shadow is None:
        return
    from screening.screener import load_screener

    try:
        results = load_screener(shadow.stem).screen_many(notifications, policy, histories)
        with session_scope(url) as session:
            for notification_id, result in zip(ids, results, strict=True):
                record_shadow_score(
                    session, notification_id=notification_id, model_version=shadow.version,
                    score=result.score, route=result.route, now=utcnow(),
                )
    except Exception as error:
        log.warning("shadow scoring with %s failed (%s)", shadow.version, type(error).__name__)


def triage_one(url: str, notification_id: uuid.UUID) -> TriageRun:
    from screening.screener import load_screener

    with session_scope(url) as session:
        loaded = load_for_triage(session, notification_id=notification_id)
    if loaded is None:
        return "missing"
    if loaded.status != "received":
        return "skipped"
    notification = Notification.model_validate_json(loaded.raw_json)
    policy = current_policy(url)
    with session_scope(url) as session:
        prior = prior_child_at_address(
            session, address_key=loaded.address_key, before=loaded.received_at,
            exclude_id=loaded.id,
        )
        history = people_history(session, loaded=loaded, notification=notification, prior=prior)
    active, shadow = current_models(url)
    result = load_screener(active.stem if active else None).screen(notification, policy, history)
    with session_scope(url) as session:
        recorded = record_result(
            session,
            notification_id=notification_id,
            result=result,
            deadline_hours=deadline_hours(policy),
            sample_share=policy.sample_share,
        )
    score_in_shadow(url, shadow, [notification_id], [notification], policy, [history])
    return "triaged" if recorded else "duplicate"


def triage_batch(url: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, TriageRun]:
    """Triage several notifications with one vectorised screening call.

    Raises if anything fails; the caller then falls back to `triage_one` per id, so that one
    bad notification is retried or failed on its own and never holds up the others.
    """
    from screening.screener import load_screener

    outcomes: dict[uuid.UUID, TriageRun] = {}
    todo = []
    with session_scope(url) as session:
        found = load_many_for_triage(session, ids=ids)
    for notification_id in sorted(ids):  # one order for every worker: fewer lock waits
        loaded = found.get(notification_id)
        if loaded is None:
            outcomes[notification_id] = "missing"
        elif loaded.status != "received":
            outcomes[notification_id] = "skipped"
        else:
            todo.append(loaded)
    if not todo:
        return outcomes
    policy = current_policy(url)
    notifications = [Notification.model_validate_json(item.raw_json) for item in todo]
    with session_scope(url) as session:
        priors = priors_for(session, items=todo)
        histories = people_histories(
            session, loaded=todo, notifications=notifications, priors=priors
        )
    active, shadow = current_models(url)
    screener = load_screener(active.stem if active else None)
    results = screener.screen_many(notifications, policy, histories)
    with session_scope(url) as session:
        recorded = record_results(
            session,
            results=[(item.id, result) for item, result in zip(todo, results, strict=True)],
            deadline_hours=deadline_hours(policy),
            sample_share=policy.sample_share,
        )
    for notification_id, written in recorded.items():
        outcomes[notification_id] = "triaged" if written else "duplicate"
    score_in_shadow(url, shadow, [item.id for item in todo], notifications, policy, histories)
    return outcomes


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base ... up to cap."""
    return min(cap, base * 2 ** max(0, attempt - 1)) * random.uniform(0.75, 1.25)


@app.task(
    bind=True,
    name="dvscreen.triage",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    ignore_result=True,
)
def triage(self: Task, ids: list[str]) -> dict[str, Any]:
    settings = settings_of(app)
    url = settings.database
    outcomes: dict[str, int] = {}
    retry: list[str] = []
    valid: list[uuid.UUID] = []
    for raw_id in ids:
        try:
            valid.append(uuid.UUID(raw_id))
        except (ValueError, TypeError, AttributeError):
            log.error("triage: ignoring a message with a malformed id")
    try:  # a live worker holds these: the sweep leaves them alone until the lease runs out
        with session_scope(url) as session:
            take_lease(session, ids=valid, seconds=settings.triage_lease_seconds)
    except Exception as error:
        log.warning("triage: could not take the lease (%s)", type(error).__name__)
    if len(valid) > 1:
        try:
            for run in triage_batch(url, valid).values():
                outcomes[run] = outcomes.get(run, 0) + 1
            return outcomes
        except Exception as error:  # isolate the failure: go one by one below
            log.warning("triage: batch of %d failed (%s); one by one", len(valid),
                        type(error).__name__)
    for notification_id in valid:
        raw_id = str(notification_id)
        try:
            outcome: str = triage_one(url, notification_id)
        except Exception as error:
            code = type(error).__name__
            try:
                with session_scope(url) as session:
                    status = record_failure(
                        session, notification_id=notification_id, error=code,
                        max_attempts=settings.triage_max_attempts,
                    )
            except Exception as db_error:  # the database itself is failing: retry later
                log.warning(
                    "triage %s: %s; recording it failed (%s)", raw_id, code, type(db_error).__name__
                )
                status = "received"
            if status == "received":
                retry.append(raw_id)
                log.warning("triage %s: attempt failed (%s), will retry", raw_id, code)
            elif status == "failed":
                log.error(
                    "triage %s: failed after %d attempts (%s)",
                    raw_id,
                    settings.triage_max_attempts,
                    code,
                )
            outcome = f"error:{status}"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if retry:
        countdown = backoff_seconds(
            self.request.retries + 1,
            settings.triage_retry_base_seconds,
            settings.triage_retry_max_seconds,
        )
        try:  # held over the countdown, so the sweep does not retry it early
            with session_scope(url) as session:
                take_lease(
                    session,
                    ids=[uuid.UUID(r) for r in retry],
                    seconds=countdown + settings.triage_lease_seconds,
                )
        except Exception as error:
            log.warning("triage: could not extend the lease (%s)", type(error).__name__)
        raise self.retry(args=[retry], countdown=countdown)
    return outcomes
