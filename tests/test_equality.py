"""Equality monitoring on PostgreSQL: the breakdown by the victim's ethnicity, gender,
disability and area agrees with direct SQL counts over the stored JSON (routes, sample
verdicts, time to decision, how often a field is missing); counts under ten are suppressed on
the page and in the CSV; the what-if by group agrees with the labelled history."""

from __future__ import annotations

import csv
import io
import statistics
from typing import Any

import pytest
from sqlalchemy import text

from governance.equality import (
    NOT_RECORDED,
    SUPPRESSED,
    equality_breakdowns,
    table_rows,
    whatif_breakdown,
)
from governance.whatif import load_history, run_whatif
from governance.whatif_history import sync_label_facts
from models.db import get_engine, session_scope
from screening.policy import DEFAULT_POLICY
from tests.ig_support import Person, decide, postgres_schema, seeded, verdict
from tests.web_support import add_user, client_for, sign_in

pytestmark = pytest.mark.integration

# (ethnicity, gender, disability, postcode, route, how many)
PLAN = [
    ("White British", "Female", False, "LE3 9QP", "screened_out", 12),
    ("Asian or Asian British", "Female", True, "LE5 1AB", "screened_out", 11),
    ("Asian or Asian British", "Male", None, "LE5 1AB", "duty_review", 4),
    (None, "Female", None, "LE3 9QP", "triage_check", 3),
    ("Black or Black British", None, False, "NG1 1AA", "duty_review", 10),
]

VICTIM_SQL = """
    SELECT {group} AS grp, t.route, count(*) AS n
    FROM notifications n JOIN triage_results t ON t.notification_id = n.id
    LEFT JOIN LATERAL (
        SELECT p FROM jsonb_array_elements(n.raw_json::jsonb -> 'people') p
        WHERE p ->> 'role' = 'victim' LIMIT 1) v ON true
    GROUP BY 1, 2
"""
GROUPS = {
    "ethnicity": "COALESCE(v.p ->> 'ethnicity', 'Not recorded')",
    "gender": "COALESCE(v.p ->> 'gender', 'Not recorded')",
    "disability": "CASE v.p ->> 'disability' WHEN 'true' THEN 'Yes' WHEN 'false' THEN 'No' "
                  "ELSE 'Not recorded' END",
    "area": "split_part(n.raw_json::jsonb -> 'address' ->> 'postcode', ' ', 1)",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    gen = postgres_schema(tmp_path_factory.mktemp("equality"), "equality")
    settings = next(gen)
    duty = add_user(settings, "duty", "duty_worker")
    manager = add_user(settings, "mgr", "manager")
    add_user(settings, "head", "head_of_safeguarding")
    number = 0
    for ethnicity, gender, disability, postcode, route, count in PLAN:
        for i in range(count):
            number += 1
            extra = tuple((k, v) for k, v in (("ethnicity", ethnicity), ("gender", gender),
                                               ("disability", disability)) if v is not None)
            victim = Person(f"Given{number}", f"Family{number}", "1990-01-01", extra=extra)
            made = seeded(settings, f"EQ/{number}", [victim], route=route,
                          priority=None if route == "screened_out" else "normal",
                          score=0.05 if route == "screened_out" else 0.9,
                          sample_share=1.0 if route == "screened_out" and i < 6 else 0.0,
                          narrative="Words were exchanged.", line1=f"{number} High Street",
                          postcode=postcode)
            if route == "screened_out" and i < 6:
                verdict(settings, made.item_id, manager, "overturn" if i == 0 else "confirm",
                        "Checked.")
            elif route == "duty_review" and i % 2 == 0:
                decide(settings, made.item_id, duty, "refer_for_assessment", "A child.",
                       ["present"])
    sync_label_facts(settings.database)
    client = client_for(settings)
    sign_in(client, "head")
    yield {"settings": settings, "client": client}
    next(gen, None)


def _direct(settings: Any, name: str) -> dict[tuple[str, str], int]:
    with get_engine(settings.database).connect() as conn:
        rows = conn.execute(text(VICTIM_SQL.format(group=GROUPS[name]))).all()
    return {(str(g), str(r)): int(n) for g, r, n in rows}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_breakdown_agrees_with_a_direct_sql_count(world: Any, name: str) -> None:
    with session_scope(world["settings"].database) as session:
        found = equality_breakdowns(session)[name]
    ours = {(g.name, route): n for g in found.groups for route, n in g.routes.items() if n}
    assert ours == _direct(world["settings"], name)
    assert found.total == sum(n for _, _, _, _, _, n in PLAN)
    assert found.missing == sum(n for (g, _), n in ours.items() if g == NOT_RECORDED)


def test_overturns_and_time_to_decision_agree_with_sql(world: Any) -> None:
    settings = world["settings"]
    with session_scope(settings.database) as session:
        ethnicity = {g.name: g for g in equality_breakdowns(session)["ethnicity"].groups}
    with get_engine(settings.database).connect() as conn:
        rows = conn.execute(text("""
            SELECT v.p ->> 'ethnicity', count(s.id), count(s.id) FILTER (WHERE s.is_miss)
            FROM sample_outcomes s JOIN notifications n ON n.id = s.notification_id
            LEFT JOIN LATERAL (SELECT p FROM jsonb_array_elements(n.raw_json::jsonb -> 'people')
                p WHERE p ->> 'role' = 'victim' LIMIT 1) v ON true GROUP BY 1""")).all()
        hours = conn.execute(text("""
            SELECT extract(epoch FROM min(d.decided_at) - n.received_at) / 3600
            FROM decisions d JOIN notifications n ON n.id = d.notification_id
            WHERE n.raw_json::jsonb -> 'people' -> 0 ->> 'ethnicity' = 'Black or Black British'
            GROUP BY n.id""")).scalars().all()
    for group, checked, overturned in rows:
        assert (ethnicity[group].checked, ethnicity[group].overturned) == (checked, overturned)
    black = ethnicity["Black or Black British"]
    assert len(black.decision_hours) == len(hours) == 5
    assert black.median_hours == round(statistics.median(float(h) for h in hours), 1)


def test_small_counts_are_suppressed_on_the_page_and_in_the_csv(world: Any) -> None:
    client = world["client"]
    page = client.get("/equality?field=ethnicity")
    assert page.status_code == 200
    assert "fewer than 10" in page.text
    rows = list(csv.DictReader(io.StringIO(client.get("/equality/ethnicity.csv").text)))
    by_group = {r["group"]: r for r in rows}
    assert by_group["White British"]["notifications"] == "12"
    assert by_group["Not recorded"]["notifications"] == SUPPRESSED
    assert by_group["Not recorded"]["screen_out_share"] == SUPPRESSED
    for row in rows:  # no count from 1 to 9 is published anywhere
        assert not any(v.isdigit() and 0 < int(v) < 10 for v in row.values()), row
    missing = {r["field"]: r for r in csv.DictReader(io.StringIO(
        client.get("/equality/missing.csv").text))}
    assert missing["Ethnicity"]["not_recorded"] == "3"  # a share of all, not a group count
    with session_scope(world["settings"].database) as session:
        published = table_rows(equality_breakdowns(session)["area"])
    assert ("LE3", 15) == published[0][:2]


def test_whatif_by_group_agrees_with_the_history(world: Any) -> None:
    settings = world["settings"]
    proposed = DEFAULT_POLICY.model_copy(update={"screen_out_max_score": 0.5})
    with session_scope(settings.database) as session:
        rows = whatif_breakdown(session, field_name="ethnicity", current=DEFAULT_POLICY,
                                proposed=proposed)
        history = load_history(session)
    overall = run_whatif(history, DEFAULT_POLICY).report
    labelled = {r[0]: r[1] for r in rows}
    # 6 sampled per screened-out group (12, 11) and 2 + 5 decided duty reviews.
    assert labelled == {"White British": SUPPRESSED, "Asian or Asian British": SUPPRESSED,
                        "Black or Black British": SUPPRESSED}
    assert overall.total == 6 + 6 + 2 + 5
    page = world["client"].get("/equality?field=ethnicity&screen_out_max=0.5")
    assert page.status_code == 200 and "What if the screen-out threshold were 0.50" in page.text
    bad = world["client"].get("/equality?field=ethnicity&screen_out_max=0.9")
    assert "There is a problem" in bad.text


def test_closed_to_other_roles(world: Any) -> None:
    client = client_for(world["settings"])
    sign_in(client, "duty")
    assert client.get("/equality").status_code in (303, 403)
    assert client.get("/equality/ethnicity.csv").status_code in (303, 403)
