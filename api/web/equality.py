"""Equality monitoring for the heads of safeguarding: by the victim's ethnicity, gender,
disability, language and religion and by area, the routes, screen-out share, manager overturns
(the live miss estimate) and time to decision, with how often each is not recorded; counts
under ten suppressed; a chart, CSVs, and the same breakdown of a proposed threshold's what-if."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.web import csrf
from api.web.charts import GREEN, percent_axis
from api.web.csv_export import csv_response
from api.web.deps import Head, database_url, now, transaction
from api.web.templating import render
from governance.equality import (
    FIELDS,
    SUPPRESS_BELOW,
    TABLE_COLUMNS,
    WHATIF_COLUMNS,
    Breakdown,
    equality_breakdowns,
    table_rows,
    whatif_breakdown,
)
from governance.policy import active_policy, policy_with_changes
from governance.whatif_history import sync_label_facts

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
PERIODS = {"all": None, "365": 365, "90": 90}


def _field(request: Request) -> str:
    name = request.query_params.get("field", "ethnicity")
    return name if name in FIELDS else "ethnicity"


def _period(request: Request) -> str:
    period = request.query_params.get("period", "all")
    return period if period in PERIODS else "all"


def _breakdowns(request: Request, period: str) -> dict[str, Breakdown]:
    days = PERIODS[period]
    since = now() - timedelta(days=days) if days else None
    with transaction(request) as session:
        return equality_breakdowns(session, since=since)


def _chart(breakdown: Breakdown) -> dict[str, Any]:
    """The screen-out share of each group of ten or more: the figure the table publishes
    (a route's count, which may be under ten, is never drawn)."""
    groups = [g for g in breakdown.groups if g.notifications >= SUPPRESS_BELOW]
    return {
        "type": "bar",
        "data": {"labels": [g.name for g in groups],
                 "datasets": [{"label": "Share screened out", "backgroundColor": GREEN,
                               "data": [round(g.screen_out_share or 0.0, 4) for g in groups]}]},
        "options": {"scales": {"y": percent_axis("Share screened out")}},
    }


def _missing_rows(found: dict[str, Breakdown]) -> list[tuple[object, ...]]:
    return [(FIELDS[name], b.total, b.missing,
             None if b.missing_share is None else round(b.missing_share, 4))
            for name, b in found.items()]


MISSING_COLUMNS = ("field", "notifications", "not_recorded", "not_recorded_share")


def _whatif(request: Request, field_name: str) -> dict[str, Any]:
    raw = request.query_params.get("screen_out_max", "").strip()
    if not raw:
        return {"value": "", "rows": None, "error": None}
    sync_label_facts(database_url(request))
    with transaction(request) as session:
        current = active_policy(session)
        try:
            proposed = policy_with_changes(current, {"screen_out_max_score": float(raw)})
        except (ValueError, ValidationError):
            return {"value": raw, "rows": None,
                    "error": "Enter a threshold from 0 to below the review threshold, "
                             f"{current.review_min_score:.2f}"}
        rows = whatif_breakdown(session, field_name=field_name, current=current,
                                proposed=proposed)
    return {"value": raw, "rows": rows, "error": None, "current": current.screen_out_max_score,
            "proposed": proposed.screen_out_max_score}


@router.get("/equality", response_class=HTMLResponse)
def equality_page(request: Request, user: Head) -> Response:
    field_name, period = _field(request), _period(request)
    found = _breakdowns(request, period)
    chosen = found[field_name]
    whatif = _whatif(request, field_name)
    return render(
        request,
        "equality.html",
        {"title": "Equality monitoring", "fields": FIELDS, "field": field_name,
         "period": period, "breakdown": chosen, "columns": TABLE_COLUMNS,
         "rows": table_rows(chosen), "missing_columns": MISSING_COLUMNS,
         "missing": _missing_rows(found), "chart": _chart(chosen), "whatif": whatif,
         "whatif_columns": WHATIF_COLUMNS, "error_title": bool(whatif["error"])},
        user=user,
        current="dashboard",
    )


@router.get("/equality/{name}.csv")
def equality_csv(request: Request, name: str, user: Head) -> Response:
    period = _period(request)
    found = _breakdowns(request, period)
    if name == "missing":
        return csv_response("equality-missing", MISSING_COLUMNS, _missing_rows(found))
    if name not in FIELDS:
        return Response(status_code=404)
    return csv_response(f"equality-{name}", TABLE_COLUMNS, table_rows(found[name]))
