"""The model registry page: each model's artefact hash, training data and metrics; train a
candidate from the service's own labels; compare a candidate with the active model in shadow
on the same recent labelled notifications; promote it (a head's approval) or roll back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web import csrf
from api.web.deps import Head, database_url, now, settings_of, transaction
from api.web.templating import render
from governance.active_model import ensure_registry
from governance.lifecycle import compare_models, rows_from_labels, train_candidate
from governance.policy import active_policy
from models.model_registry import list_models, promote_model, rollback_model, shadow_counts
from models.policy_governance import GovernanceError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

NOTICES = {
    "promoted": "The model is promoted: new notifications are scored with it.",
    "rolled_back": "Rolled back: the previous model is active again.",
    "compared": "The candidate was scored in shadow beside the active model.",
    "trained": "A candidate model was trained from the service's labels.",
    "not_candidate": "That model is not a candidate.",
    "nothing_to_roll_back": "There is no earlier model to roll back to.",
    "not_found": "There is no such model.",
    "too_few_labels": "Training needs labelled notifications with and without a child involved.",
}


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, user: Head) -> Response:
    ensure_registry(database_url(request))
    with transaction(request) as session:
        entries = list_models(session)
        shadows = shadow_counts(session)
    return render(
        request,
        "models.html",
        {"title": "Triage models", "entries": entries, "shadows": shadows,
         "notice": NOTICES.get(request.query_params.get("notice", ""))},
        user=user,
        current="models",
    )


def _back(notice: str) -> Response:
    return RedirectResponse(f"/models?notice={notice}", status_code=303)


@router.post("/models/train")
def train_from_labels(request: Request, user: Head) -> Response:
    url = database_url(request)
    ensure_registry(url)
    rows = rows_from_labels(url)
    settings = settings_of(request)
    try:
        train_candidate(url, settings.resolved_data_dir, rows,
                        {"source": "service labels"}, registered_by=user.id)
    except ValueError:
        return _back("too_few_labels")
    return _back("trained")


@router.post("/models/compare")
def compare(request: Request, user: Head, version: Annotated[str, Form()] = "") -> Response:
    with transaction(request) as session:
        policy = active_policy(session)
    try:
        compare_models(database_url(request), version, policy)
    except LookupError:
        return _back("not_found")
    return _back("compared")


@router.post("/models/promote")
def promote(request: Request, user: Head, version: Annotated[str, Form()] = "") -> Response:
    try:
        with transaction(request) as session:
            promote_model(session, version=version, approver=user.id, now=now())
    except GovernanceError as error:
        return _back(error.code)
    return _back("promoted")


@router.post("/models/rollback")
def rollback(request: Request, user: Head) -> Response:
    try:
        with transaction(request) as session:
            rollback_model(session, user_id=user.id, now=now())
    except GovernanceError as error:
        return _back(error.code)
    return _back("rolled_back")
