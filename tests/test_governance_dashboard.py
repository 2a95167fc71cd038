"""The dashboard's figures from real records: routes per day, queue size and age, overdue
items, the sample overturn rate with its Wilson upper bound, decisions by outcome; every table
as CSV; and the pages closed to other roles."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from models.db import session_scope
from models.sampling_store import sample_verdict
from models.settings import Settings
from models.types import utcnow
from screening.evaluation import wilson_interval
from tests.web_support import (
    HOURS,
    add_user,
    client_for,
    make_settings,
    notification_body,
    overdue_by,
    seed,
    set_deadline,
    sign_in,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, object]:
    settings = make_settings(tmp_path_factory.mktemp("dash"))
    add_user(settings, "head", "head_of_safeguarding")
    manager = add_user(settings, "mgr", "manager")
    add_user(settings, "duty", "duty_worker")
    late = seed(settings, notification_body("LE/26/700001", "Child present."),
                route="duty_review", priority="urgent")
    set_deadline(settings, late.item_id, overdue_by(2))
    seed(settings, notification_body("LE/26/700002", "Unclear."), route="triage_check",
         priority="normal")
    samples = [
        seed(settings, notification_body(f"LE/26/7001{i:02d}", "Two adults argued."),
             route="screened_out", priority=None, score=0.05, sample_share=1.0)
        for i in range(3)
    ]
    with session_scope(settings.database) as session:
        for i, sampled in enumerate(samples):
            sample_verdict(session, item_id=sampled.item_id, manager_id=manager,
                           outcome="overturn" if i == 0 else "confirm",
                           reasoning="checked the narrative",
                           categories=["household"] if i == 0 else [],
                           deadline_hours=HOURS, now=utcnow())
    client = client_for(settings)
    sign_in(client, "head")
    return settings, client


def _csv(client: object, name: str) -> list[dict[str, str]]:
    response = client.get(f"/dashboard/{name}.csv")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_dashboard_tables_and_csv(world: tuple) -> None:
    _, client = world
    page = client.get("/dashboard")
    assert page.status_code == 200
    low, high = wilson_interval(1, 3)
    assert f"at most {high * 100:.1f}%" in page.text
    sample = _csv(client, "sample")
    assert sample == [{"checked": "3", "overturned": "1", "overturn_rate": str(round(1 / 3, 4)),
                       "wilson_95_low": str(round(low, 4)),
                       "wilson_95_high": str(round(high, 4))}]
    per_day = _csv(client, "per-day")
    by_route = {r["route"]: int(r["notifications"]) for r in per_day}
    assert by_route == {"duty_review": 1, "triage_check": 1, "screened_out": 3}
    queue = {r["kind"]: r for r in _csv(client, "queue")}
    # The overturn put the first sampled notification in duty review, as urgent.
    assert queue["duty_review"]["live"] == "2"
    assert queue["triage_check"]["live"] == "1"
    overdue = _csv(client, "overdue")
    assert [r["reference"] for r in overdue] == ["LE/26/700001"]
    assert float(overdue[0]["hours_overdue"]) >= 2
    assert _csv(client, "decisions") == []
    assert client.get("/dashboard/nothing.csv").status_code == 404


@pytest.mark.parametrize("path", ["/dashboard", "/policy", "/policy/whatif", "/models",
                                  "/dashboard/sample.csv"])
def test_other_roles_are_refused(world: tuple, path: str) -> None:
    settings, _ = world
    for username in ("duty", "mgr"):
        client = client_for(settings)
        sign_in(client, username)
        assert client.get(path).status_code == 403


def test_not_signed_in_goes_to_login(world: tuple, tmp_path: Path) -> None:
    settings, _ = world
    response = client_for(settings).get("/dashboard")
    assert response.status_code == 303 and "/login" in response.headers["location"]
