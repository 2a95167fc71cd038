"""What-if before a policy change: the proposed thresholds and silence rule replayed over all
labelled history (service labels and imported files) beside the active policy, with a chart of
recall and screen-out share against the threshold, and the involved notifications that would
have been screened out (also as CSV)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.web import csrf
from api.web.charts import whatif_chart
from api.web.csv_export import csv_response
from api.web.deps import Head, transaction
from api.web.templating import render
from governance.policy import active_policy, policy_with_changes
from governance.whatif import WhatIf, cached_whatif, curve, load_history, name_misses
from models.labelled_facts import history_summary
from models.policy_governance import get_policy_version
from screening.policy import Policy

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


def _proposed(request: Request, session: Session, active: Policy) -> tuple[Policy, list[str]]:
    query = request.query_params
    base = active
    version = query.get("version", "")
    if version.isdigit():
        row = get_policy_version(session, int(version))
        if row is not None:
            base = Policy.model_validate(row.policy)
    changes: dict[str, Any] = {}
    errors = []
    for field, key in (("screen_out_max", "screen_out_max_score"),
                       ("review_min", "review_min_score")):
        raw = query.get(field, "").strip()
        if raw:
            try:
                changes[key] = float(raw)
            except ValueError:
                errors.append(f"{field.replace('_', ' ')}: enter a number")
    if query.get("allow_silence") in ("yes", "no"):
        changes["allow_silence_screen_out"] = query.get("allow_silence") == "yes"
    try:
        return policy_with_changes(base, changes), errors
    except ValidationError as error:
        errors.extend(e["msg"] for e in error.errors())
        return base, errors


def _point(result: WhatIf) -> dict[str, Any]:
    return {
        "threshold": result.policy.screen_out_max_score,
        "recall": result.report.recall,
        "screen_out_share": result.report.screen_out_share,
    }


def _compute(request: Request) -> dict[str, Any]:
    started = time.perf_counter()
    # The service's labels enter the history in a background job (governance.jobs), never here.
    with transaction(request) as session:
        active = active_policy(session)
        proposed, errors = _proposed(request, session, active)
        history = load_history(session)
        summary = history_summary(session)
        current = name_misses(session, cached_whatif(history, active), history)
        result = name_misses(session, cached_whatif(history, proposed), history)
    points = [
        {"threshold": p.threshold, "recall": p.recall, "screen_out_share": p.screen_out_share}
        for p in curve(history, proposed)
    ]
    return {
        "active": active,
        "proposed": proposed,
        "errors": errors,
        "current": current,
        "result": result,
        "summary": summary,
        "chart": whatif_chart(points, _point(current), _point(result)),
        "elapsed": time.perf_counter() - started,
    }


@router.get("/policy/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, user: Head) -> Response:
    data = _compute(request)
    return render(
        request,
        "whatif.html",
        {"title": "What if the policy changed", **data,
         "query": dict(request.query_params)},
        user=user,
        current="policy",
    )


@router.get("/policy/whatif/misses.csv")
def whatif_misses_csv(request: Request, user: Head) -> Response:
    data = _compute(request)
    return csv_response(
        "whatif-missed",
        ("reference", "origin", "categories", "score"),
        ((m["reference"], m["origin"], " ".join(m["categories"]), m["score"])
         for m in data["result"].misses),
    )
