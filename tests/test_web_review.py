"""The review queue, the item page, decisions, sign-off, sampling, audit and the labels export
(TestClient and the store on SQLite)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.casework_store import record_decision
from models.contract import LabelledNotification
from models.db import session_scope
from models.label_store import iter_labels
from models.queue_store import QueueFilters, claim, list_queue
from models.review_tables import ReviewError
from models.sampling_store import misses_found
from models.tables import AuditEvent, QueueItem
from models.types import utcnow
from tests.web_support import (
    HOURS,
    PASSWORD,
    add_user,
    client_for,
    make_settings,
    notification_body,
    overdue_by,
    post_form,
    seed,
    set_deadline,
    sign_in,
    span,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


def duty(settings, reference, priority, narrative="The IP's son (4) was present.", **kw):
    return seed(
        settings,
        notification_body(reference, narrative, **kw),
        route="duty_review",
        priority=priority,
        categories=["present"],
    )


def references(page) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/items/\d+">([^<]+)</a>', page.text)


def test_queue_orders_by_priority_then_deadline_with_counts_and_filters(settings):
    normal = duty(settings, "Q/1", "normal")
    urgent_late = duty(settings, "Q/2", "urgent")
    high = duty(settings, "Q/3", "high")
    urgent_early = duty(settings, "Q/4", "urgent")
    seed(settings, notification_body("Q/5", "Unclear."), route="triage_check", priority="normal")
    set_deadline(settings, urgent_early.item_id, overdue_by(1))
    set_deadline(settings, normal.item_id, overdue_by(30))
    uid = add_user(settings, "dora", "duty_worker")
    with session_scope(settings.database) as session:
        assert claim(session, item_id=high.item_id, user_id=uid, now=utcnow())
    with client_for(settings) as client:
        sign_in(client, "dora")
        page = client.get("/queue")
        assert references(page) == ["Q/4", "Q/2", "Q/3", "Q/1", "Q/5"]
        assert page.text.count("dv-overdue-row") == 2
        assert references(client.get("/queue?priority=urgent")) == ["Q/4", "Q/2"]
        assert references(client.get("/queue?overdue=1")) == ["Q/4", "Q/1"]
        assert references(client.get("/queue?mine=1")) == ["Q/3"]
    with session_scope(settings.database) as session:
        result = list_queue(session, user_id=uid, now=utcnow())
    counts = result.counts
    assert (counts.total, counts.overdue, counts.mine) == (5, 2, 1)
    assert counts.by_priority == {"urgent": 2, "high": 1, "normal": 2}
    assert urgent_late.item_id in [r.item_id for r in result.rows]


def test_queue_pages(settings):
    for n in range(7):
        duty(settings, f"P/{n}", "normal")
    uid = add_user(settings, "dora", "duty_worker")
    with session_scope(settings.database) as session:
        first = list_queue(session, user_id=uid, now=utcnow(), page=1, per_page=3)
        last = list_queue(session, user_id=uid, now=utcnow(), page=3, per_page=3)
        beyond = list_queue(session, user_id=uid, now=utcnow(), page=9, per_page=3)
        mine = list_queue(
            session, user_id=uid, now=utcnow(), filters=QueueFilters(mine=True), per_page=3
        )
    assert (first.pages, len(first.rows), len(last.rows)) == (3, 3, 1)
    assert beyond.page == 3
    seen = {r.item_id for r in first.rows} | {r.item_id for r in last.rows}
    assert len(seen) == 4
    assert mine.matching == 0 and mine.rows == []


def test_item_page_shows_children_evidence_and_history_and_escapes_text(settings):
    narrative = 'Her son Alfie (7) was asleep upstairs. She wrote "<b>help</b>" & left.'
    people = [
        {
            "role": "victim",
            "given_name": "Jo",
            "age": 33,
            "ethnicity": "Mixed",
            "religion": "Sikh",
            "language": "Punjabi",
            "interpreter_needed": True,
            "disability": False,
        },
        {"role": "other_adult", "given_name": "Kai", "date_of_birth": "2009-01-05"},
    ]
    earlier = duty(settings, "H/1", "normal", line1="4 Willow Close", postcode="le39qp")
    current = seed(
        settings,
        notification_body("H/2", narrative, people=people, line1="4, Willow Close"),
        route="duty_review",
        priority="high",
        categories=["present"],
        evidence=[span(narrative, "son Alfie (7) was asleep upstairs", "present")],
    )
    assert earlier.item_id != current.item_id
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        page = client.get(f"/items/{current.item_id}").text
    # Highlighted by the fact: the rule's span widened to its clause, anchored, its label in
    # the legend (aria-describedby), never as text inside the narrative.
    assert (
        '<mark id="fact-1" class="dv-evidence dv-evidence--present" data-evidence="Child present"'
        ' aria-describedby="legend-present">Her son Alfie (7) was asleep upstairs</mark>' in page
    )
    assert '<li id="legend-present">' in page and "dv-evidence__label" not in page
    assert '<a class="govuk-link dv-fact-link" href="#fact-1">' in page
    # The raw notification and the narrative are escaped once, never twice.
    assert "&lt;b&gt;help&lt;/b&gt;" in page and "<b>help</b>" not in page
    assert "&amp;lt;" not in page and "&amp;quot;" not in page
    # Kai is 17 on the day (born 2009-01-05, incident 2026-11-20): a child though not so named.
    assert page.count("dv-child-row") == 1
    assert "Kai (17 on the day)" in page
    for recorded in (
        "Ethnicity: Mixed",
        "Religion: Sikh",
        "Language: Punjabi",
        "Interpreter needed: Yes",
        "Disability: No",
    ):
        assert recorded in page
    # The earlier notification at the same (normalised) address, as a link to its item.
    assert f'<a class="govuk-link" href="/items/{earlier.item_id}">H/1</a></th>' in page


def test_every_view_is_audited_and_managers_see_the_trail(settings):
    item = duty(settings, "A/1", "high")
    add_user(settings, "dora", "duty_worker")
    add_user(settings, "mandy", "manager")
    with client_for(settings) as client:
        sign_in(client, "dora")
        client.get(f"/items/{item.item_id}")
        client.get(f"/items/{item.item_id}")
        assert client.get(f"/items/{item.item_id}/audit").status_code == 403
    with session_scope(settings.database) as session:
        views = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.notification_id == item.notification_id, AuditEvent.action == "viewed"
            )
        )
    assert views == 2
    with client_for(settings) as client:
        sign_in(client, "mandy")
        trail = client.get(f"/items/{item.item_id}/audit")
    assert trail.status_code == 200
    # In words (issue 9): who did what, the service's own steps named for what they are.
    assert trail.text.count("dora looked at the notification") == 2
    assert "The screening service screened the notification" in trail.text
    assert "test-force sent the notification" in trail.text


def test_decide_needs_a_claim_reasoning_and_categories(settings):
    item = duty(settings, "D/1", "high")
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = f"/items/{item.item_id}"
        data = {
            "outcome": "early_help",
            "reasoning": "Family agreed support.",
            "categories": ["present"],
        }
        assert post_form(client, url + "/decide", url, data).status_code == 409
        post_form(client, url + "/claim", url, {})
        missing = post_form(client, url + "/decide", url, {**data, "reasoning": "  "})
        assert missing.status_code == 400 and "Write down your reasoning" in missing.text
        none = post_form(client, url + "/decide", url, {**data, "categories": []})
        assert none.status_code == 400 and "Select how a child is involved" in none.text
        done = post_form(client, url + "/decide", url, data)
        # Back to the item, with a success banner (GOV.UK pattern) and a link to the queue.
        assert done.status_code == 303 and done.headers["location"] == url + "?notice=decided"
        banner = client.get(done.headers["location"]).text
        assert "Decision recorded" in banner and "govuk-notification-banner--success" in banner
    with session_scope(settings.database) as session:
        row = session.get(QueueItem, item.item_id)
        assert row.status == "closed" and row.closed_at is not None
        labels = list(iter_labels(session))
    assert labels[0]["label"] == {"child_involvement": True, "categories": ["present"]}


def test_no_further_action_waits_for_a_managers_sign_off(settings):
    item = duty(settings, "S/1", "normal")
    add_user(settings, "dora", "duty_worker")
    add_user(settings, "mandy", "manager")
    add_user(settings, "max", "manager")
    url = f"/items/{item.item_id}"
    with client_for(settings) as client:
        sign_in(client, "dora")
        post_form(client, url + "/claim", url, {})
        data = {"outcome": "close_no_child", "reasoning": "The child is the neighbour's."}
        assert post_form(client, url + "/decide", url, data).status_code == 303
        # Held, not closed; no label yet; the worker cannot release it now.
        assert post_form(client, url + "/release", url, {}).status_code == 409
    with session_scope(settings.database) as session:
        assert session.get(QueueItem, item.item_id).status == "claimed"
        assert list(iter_labels(session)) == []
    with client_for(settings) as client:
        sign_in(client, "mandy")
        page = client.get("/signoff")
        decision = re.search(r'action="/signoff/(\d+)"', page.text).group(1)
        returned = post_form(client, f"/signoff/{decision}", "/signoff", {"action": "return"})
        assert returned.status_code == 400  # a return needs a note
        returned = post_form(
            client,
            f"/signoff/{decision}",
            "/signoff",
            {"action": "return", "note": "Check the school record first."},
        )
        assert returned.status_code == 303
    with client_for(settings) as client:
        sign_in(client, "dora")
        data = {
            "outcome": "no_further_action",
            "reasoning": "School confirms no concerns.",
            "categories": ["household"],
        }
        assert post_form(client, url + "/decide", url, data).status_code == 303
    with client_for(settings) as client:
        sign_in(client, "max")
        page = client.get("/signoff")
        decision = re.search(r'action="/signoff/(\d+)"', page.text).group(1)
        approved = post_form(client, f"/signoff/{decision}", "/signoff", {"action": "approve"})
        assert approved.status_code == 303
        again = post_form(client, f"/signoff/{decision}", "/signoff", {"action": "approve"})
        assert again.status_code == 409
    with session_scope(settings.database) as session:
        assert session.get(QueueItem, item.item_id).status == "closed"
        labels = list(iter_labels(session))
    assert labels == [
        {
            "notification": labels[0]["notification"],
            "label": {"child_involvement": True, "categories": ["household"]},
        }
    ]


def test_a_manager_cannot_sign_off_their_own_decision(settings):
    item = duty(settings, "S/2", "normal")
    add_user(settings, "mandy", "manager")
    url = f"/items/{item.item_id}"
    with client_for(settings) as client:
        sign_in(client, "mandy")
        post_form(client, url + "/claim", url, {})
        post_form(
            client,
            url + "/decide",
            url,
            {"outcome": "close_no_child", "reasoning": "Adults only."},
        )
        page = client.get("/signoff")
        assert "This is your own decision" in page.text
        decision = re.search(r'data-decision-id="(\d+)"', page.text).group(1)
        refused = post_form(client, f"/signoff/{decision}", "/signoff", {"action": "approve"})
        assert refused.status_code == 409 and "your own decision" in refused.text


def test_triage_check_found_involved_moves_to_duty_review_with_a_priority(settings):
    check = seed(
        settings,
        notification_body("T/1", "Kids' toys in the hall."),
        route="triage_check",
        priority="normal",
    )
    uid = add_user(settings, "dora", "duty_worker")
    with session_scope(settings.database) as session:
        assert claim(session, item_id=check.item_id, user_id=uid, now=utcnow())
        with pytest.raises(ReviewError, match="priority_required"):
            record_decision(
                session,
                item_id=check.item_id,
                user_id=uid,
                outcome="child_involved",
                reasoning="Toddler lives there.",
                categories=["household"],
                priority=None,
                deadline_hours=HOURS,
                now=utcnow(),
            )
        outcome = record_decision(
            session,
            item_id=check.item_id,
            user_id=uid,
            outcome="child_involved",
            reasoning="Toddler lives there.",
            categories=["household"],
            priority="high",
            deadline_hours=HOURS,
            now=utcnow(),
        )
        new = session.get(QueueItem, outcome.new_item_id)
        assert (new.kind, new.priority, new.status) == ("duty_review", "high", "open")
        assert session.get(QueueItem, check.item_id).status == "closed"


def test_overturned_sample_is_an_urgent_duty_item_and_a_miss(settings):
    sampled = seed(
        settings,
        notification_body("M/1", "Argument; baby in a pram."),
        route="screened_out",
        priority=None,
        score=0.04,
        sample_share=1.0,
    )
    confirmed = seed(
        settings,
        notification_body("M/2", "Two adults argued.", line1="1 A St"),
        route="screened_out",
        priority=None,
        score=0.02,
        sample_share=1.0,
    )
    other_urgent = duty(settings, "M/3", "urgent")
    add_user(settings, "mandy", "manager")
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        assert client.get(f"/items/{sampled.item_id}").status_code == 403
    with client_for(settings) as client:
        sign_in(client, "mandy")
        sample = client.get("/sample").text
        assert "M/1" in sample and "M/2" in sample
        url = f"/items/{sampled.item_id}"
        needs = post_form(
            client,
            f"/sample/{sampled.item_id}",
            url,
            {"outcome": "overturn", "reasoning": "Baby present."},
        )
        assert needs.status_code == 400
        done = post_form(
            client,
            f"/sample/{sampled.item_id}",
            url,
            {"outcome": "overturn", "reasoning": "Baby present.", "categories": ["present"]},
        )
        assert done.headers["location"] == "/sample?notice=overturned"
        url = f"/items/{confirmed.item_id}"
        post_form(
            client,
            f"/sample/{confirmed.item_id}",
            url,
            {"outcome": "confirm", "reasoning": "Adults only, checked."},
        )
        queue = client.get("/queue")
    assert references(queue)[:2] == ["M/1", "M/3"]
    assert other_urgent.item_id
    with session_scope(settings.database) as session:
        assert misses_found(session) == 1
        labels = {line["notification"]["reference"]: line["label"] for line in iter_labels(
            session,
        )}
    assert labels == {
        "M/1": {"child_involvement": True, "categories": ["present"]},
        "M/2": {"child_involvement": False, "categories": []},
    }


def test_cli_creates_users_and_exports_labels_in_contract_format(tmp_path):
    env = {"DVSCREEN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, str(ROOT / "dvscreen.py")]
    made = subprocess.run(
        [*cli, "users", "create", "--username", "dora", "--role", "duty_worker"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert PASSWORD not in made.stdout + made.stderr
    again = subprocess.run(
        [*cli, "users", "create", "--username", "dora", "--role", "manager"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert again.returncode == 1
    bad_role = subprocess.run(
        [*cli, "users", "create", "--username", "x", "--role", "boss"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad_role.returncode == 2

    settings = make_settings(tmp_path)
    item = duty(settings, "L/1", "high")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = f"/items/{item.item_id}"
        post_form(client, url + "/claim", url, {})
        post_form(
            client,
            url + "/decide",
            url,
            {
                "outcome": "refer_for_assessment",
                "reasoning": "Child witnessed.",
                "categories": ["present", "household"],
            },
        )
    out = tmp_path / "labels.jsonl"
    exported = subprocess.run(
        [*cli, "labels", "export", "--output", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 1
    parsed = LabelledNotification.model_validate(lines[0])
    assert parsed.notification.reference == "L/1"
    assert lines[0]["label"] == {"child_involvement": True, "categories": ["present", "household"]}
