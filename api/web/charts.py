"""Chart.js configurations built on the server (api/static/charts.js draws them).

Colours are GOV.UK palette colours; every chart has a table beside it with the same figures,
so nothing is shown only as a picture.
"""

from __future__ import annotations

from typing import Any

BLUE, GREEN, RED, ORANGE, GREY, PURPLE = (
    "#1d70b8", "#00703c", "#d4351c", "#f47738", "#505a5f", "#4c2c92",
)
ROUTE_COLOURS = {"duty_review": RED, "triage_check": ORANGE, "screened_out": GREEN}


def percent_axis(title: str) -> dict[str, Any]:
    return {"min": 0, "max": 1, "title": {"display": True, "text": title}}


def whatif_chart(
    curve: list[dict[str, Any]], current: dict[str, Any], proposed: dict[str, Any]
) -> dict[str, Any]:
    """Recall and screen-out share against the threshold, current and proposed marked."""

    def line(key: str) -> list[dict[str, Any]]:
        return [{"x": p["threshold"], "y": p[key]} for p in curve if p[key] is not None]

    return {
        "type": "line",
        "data": {
            "datasets": [
                {"label": "Recall of involvement", "data": line("recall"), "borderColor": BLUE,
                 "backgroundColor": BLUE, "pointRadius": 0, "borderWidth": 2},
                {"label": "Not-involved screened out", "data": line("screen_out_share"),
                 "borderColor": GREEN, "backgroundColor": GREEN, "pointRadius": 0,
                 "borderWidth": 2, "borderDash": [6, 4]},
                {"label": f"Current ({current['threshold']:.2f})", "type": "scatter",
                 "data": marks_for(current), "borderColor": GREY, "backgroundColor": GREY,
                 "pointRadius": 7, "pointStyle": "rectRot"},
                {"label": f"Proposed ({proposed['threshold']:.2f})", "type": "scatter",
                 "data": marks_for(proposed), "borderColor": RED, "backgroundColor": RED,
                 "pointRadius": 7, "pointStyle": "triangle"},
            ]
        },
        "options": {
            "parsing": True,
            "scales": {
                "x": {"type": "linear", "min": 0,
                      "title": {"display": True, "text": "Screen-out threshold (model score)"}},
                "y": percent_axis("Share"),
            },
        },
    }


def marks_for(point: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"x": point["threshold"], "y": point[key]}
        for key in ("recall", "screen_out_share")
        if point[key] is not None
    ]


def stacked_bars(labels: list[str], series: dict[str, list[int]],
                 colours: dict[str, str], y_title: str) -> dict[str, Any]:
    palette = [BLUE, GREEN, RED, ORANGE, GREY, PURPLE]
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": name.replace("_", " "), "data": values,
                 "backgroundColor": colours.get(name, palette[i % len(palette)])}
                for i, (name, values) in enumerate(series.items())
            ],
        },
        "options": {
            "scales": {"x": {"stacked": True},
                       "y": {"stacked": True, "beginAtZero": True,
                             "title": {"display": True, "text": y_title}}},
        },
    }
