"""The model registry page: each model's artefact hash, training data and metrics; train a
candidate from the service's own labels; compare a candidate with the active model in shadow
on the same recent labelled notifications; promote it (a head's approval) or roll back.

Training, the shadow comparison and bringing the what-if history up to date with the service's
labels are background jobs: a POST queues one (with its outbox row, so no broker is needed)
and returns at once; a worker runs it (workers/governance_tasks.py) and the page shows its
progress, polling a small fragment (htmx), then its result or, if it failed, why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.web import csrf
from api.web.deps import Head, database_url, now, transaction
from api.web.errors import error_page
from api.web.templating import render
from governance.active_model import ensure_registry
from models.job_store import create_job, get_job, latest_jobs, unfinished_job
from models.job_tables import JOB_KINDS
from models.model_registry import (
    active_entry,
    get_model,
    list_models,
    promote_model,
    rollback_model,
    shadow_counts,
)
from models.policy_governance import GovernanceError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

NOTICES = {
    "promoted": "The model is promoted: new notifications are scored with it.",
    "rolled_back": "Rolled back: the previous model is active again.",
    "compare_queued": "The candidate is being scored in shadow beside the active model. Its "
    "progress is shown below.",
    "compare_model_running": "A comparison is already running: its progress is shown below.",
    "train_queued": "Training has started. Its progress is shown below.",
    "sync_labels_queued": "The what-if history is being brought up to date. Its progress is "
    "shown below.",
    "train_model_running": "A candidate is already being trained: its progress is shown below.",
    "sync_labels_running": "The what-if history is already being brought up to date.",
    "not_candidate": "That model is not a candidate.",
    "nothing_to_roll_back": "There is no earlier model to roll back to.",
    "not_found": "There is no such model.",
}
# What each job is, in words.
JOB_TITLES = {
    "train_model": "Training a candidate model from the service's labels",
    "compare_model": "Scoring a candidate in shadow beside the active model",
    "sync_labels": "Adding the service's labels to the what-if history",
}
RECENT_JOBS = 3


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, user: Head) -> Response:
    ensure_registry(database_url(request))
    with transaction(request) as session:
        entries = list_models(session)
        shadows = shadow_counts(session)
        jobs = latest_jobs(session, kinds=JOB_KINDS, limit=RECENT_JOBS)
        rollback_to = rollback_target(session)
    return render(
        request,
        "models.html",
        {
            "title": "Triage models",
            "entries": entries,
            "shadows": shadows,
            "jobs": jobs,
            "job_titles": JOB_TITLES,
            "rollback_to": rollback_to,
            "notice": NOTICES.get(request.query_params.get("notice", "")),
        },
        user=user,
        current="models",
    )


def _back(notice: str) -> Response:
    return RedirectResponse(f"/models?notice={notice}", status_code=303)


def _queue(
    request: Request, user: Head, kind: str, queued: str, params: dict[str, Any] | None = None
) -> Response:
    """Queue a job of this kind, unless one is queued or running already."""
    with transaction(request) as session:
        if unfinished_job(session, kind=kind) is not None:
            return _back(f"{kind}_running")
        create_job(session, kind=kind, requested_by=user.id, now=now(), params=params)
    return _back(queued)


@router.post("/models/train")
def train_from_labels(request: Request, user: Head) -> Response:
    return _queue(request, user, "train_model", "train_queued")


@router.post("/models/sync-labels")
def sync_labels(request: Request, user: Head) -> Response:
    return _queue(request, user, "sync_labels", "sync_labels_queued")


@router.get("/models/jobs/{job_id}", response_class=HTMLResponse)
def job_progress(request: Request, user: Head, job_id: int) -> Response:
    """One job's progress, as the fragment the page polls. When a job the page was watching
    has finished, htmx reloads the page, so that its result (a new candidate) is listed."""
    with transaction(request) as session:
        job = get_job(session, job_id=job_id)
    if job is None:
        return error_page(request, 404)
    response = render(
        request, "_job_progress.html", {"job": job, "job_titles": JOB_TITLES}, user=user
    )
    if job.finished and request.headers.get("HX-Request") == "true":
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/models/compare")
def compare(request: Request, user: Head, version: Annotated[str, Form()] = "") -> Response:
    """Queue the shadow comparison of a candidate: scoring runs in a worker, not here."""
    with transaction(request) as session:
        entry = get_model(session, version)
    if entry is None:
        return _back("not_found")
    if entry.status != "candidate":
        return _back("not_candidate")
    return _queue(request, user, "compare_model", "compare_queued", {"version": version})


@router.post("/models/promote")
def promote(request: Request, user: Head, version: Annotated[str, Form()] = "") -> Response:
    try:
        with transaction(request) as session:
            promote_model(session, version=version, approver=user.id, now=now())
    except GovernanceError as error:
        return _back(error.code)
    return _back("promoted")


def rollback_target(session: Session) -> tuple[str, str] | None:
    """(the active version, the one a rollback returns to), or None when it cannot act."""
    current = active_entry(session)
    if current is None or not current.replaced_version:
        return None
    return current.version, current.replaced_version


@router.get("/models/rollback", response_class=HTMLResponse)
def rollback_confirm(request: Request, user: Head) -> Response:
    """The confirmation a rollback needs; none is offered when there is nothing to go back to."""
    with transaction(request) as session:
        target = rollback_target(session)
    if target is None:
        return _back("nothing_to_roll_back")
    return render(
        request,
        "models_rollback.html",
        {"title": "Roll back the model?", "active": target[0], "previous": target[1]},
        user=user,
        current="models",
    )


@router.post("/models/rollback")
def rollback(request: Request, user: Head) -> Response:
    try:
        with transaction(request) as session:
            rollback_model(session, user_id=user.id, now=now())
    except GovernanceError as error:
        return _back(error.code)
    return _back("rolled_back")
