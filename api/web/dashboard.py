"""The dashboard of the heads of safeguarding: notifications per day by route, the queue's
size and age, overdue items, the manager-sample overturn rate with its 95% upper bound (the
live estimate of the miss rate) and decisions by outcome; a chart beside each table and every
table downloadable as CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web import csrf
from api.web.charts import BLUE, RED, ROUTE_COLOURS, stacked_bars
from api.web.csv_export import csv_response
from api.web.deps import Head, now, transaction
from api.web.templating import render
from governance.policy import PolicyError, active_policy
from models.dashboard_queries import (
    Table,
    decisions_by_outcome,
    overdue_count,
    overdue_items,
    per_day_by_route,
    queue_by_kind,
    sample_outcomes,
)
from screening.evaluation import wilson_interval

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])
TABLES = ("per-day", "queue", "overdue", "sample", "decisions")


def _sample_table(checked: int, overturned: int) -> Table:
    low, high = wilson_interval(overturned, checked)
    rate = overturned / checked if checked else None
    return Table(
        ("checked", "overturned", "overturn_rate", "wilson_95_low", "wilson_95_high"),
        [(checked, overturned, None if rate is None else round(rate, 4), round(low, 4),
          round(high, 4))],
    )


def _tables(request: Request) -> dict[str, Table]:
    at = now()
    with transaction(request) as session:
        return {
            "per-day": per_day_by_route(session, at),
            "queue": queue_by_kind(session, at),
            "overdue": overdue_items(session, at),
            "sample": _sample_table(*sample_outcomes(session)),
            "decisions": decisions_by_outcome(session),
        }


def _charts(tables: dict[str, Table]) -> dict[str, Any]:
    days = sorted({str(r[0]) for r in tables["per-day"].rows})
    routes = ("duty_review", "triage_check", "screened_out")
    per_day = {route: [0] * len(days) for route in routes}
    # Table.rows (models/) are tuples of object; the counts in them are ints, so the int()
    # calls below need `call-overload` ignores.
    for day, route, count in tables["per-day"].rows:
        per_day.setdefault(str(route), [0] * len(days))[days.index(str(day))] = int(count)  # type: ignore[call-overload]
    queue = tables["queue"]
    bands = queue.columns[3:7]
    kinds = [str(r[0]).replace("_", " ") for r in queue.rows]
    ages = {band: [int(r[3 + i]) for r in queue.rows] for i, band in enumerate(bands)}  # type: ignore[call-overload]
    decisions = tables["decisions"]
    return {
        "per_day": stacked_bars(days, per_day, ROUTE_COLOURS, "Notifications"),
        "queue": stacked_bars(kinds, ages, {}, "Live items by age"),
        "decisions": stacked_bars(
            [f"{str(k).replace('_', ' ')}: {str(o).replace('_', ' ')}"
             for k, o, _ in decisions.rows],
            {"decisions": [int(n) for _, _, n in decisions.rows]},  # type: ignore[call-overload]
            {"decisions": BLUE},
            "Decisions",
        ),
        "sample_colour": RED,
    }


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, user: Head) -> Response:
    tables = _tables(request)
    policy_problem: str | None = None
    with transaction(request) as session:
        overdue_total = overdue_count(session, now())
        try:
            active_policy(session)
        except PolicyError as error:
            policy_problem = str(error)
    checked, overturned, rate, low, high = tables["sample"].rows[0]
    return render(
        request,
        "dashboard.html",
        {
            "title": "Dashboard",
            "tables": tables,
            "charts": _charts(tables),
            "overdue_total": overdue_total,
            "policy_problem": policy_problem,
            "sample": {"checked": checked, "overturned": overturned, "rate": rate,
                       "low": low, "high": high},
        },
        user=user,
        current="dashboard",
    )


@router.get("/dashboard/{name}.csv")
def dashboard_csv(request: Request, name: str, user: Head) -> Response:
    if name not in TABLES:
        return Response(status_code=404)
    table = _tables(request)[name]
    return csv_response(f"dashboard-{name}", table.columns, table.rows)
