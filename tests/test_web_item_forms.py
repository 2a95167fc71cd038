"""The item page and its forms over HTTP (TestClient, SQLite through the migrations): the
summary in words with the force's name and UK times; the decision form's GOV.UK error pattern
(every error in the summary and beside its field, values kept) and success banner; "open case"
with its case record; information-shared actions; drafts; "my decisions"; sign-off errors;
and the policy form's working-time fields."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models.db import session_scope
from models.policy_governance import list_policy_versions
from models.review_tables import DecisionDraft, DecisionRecord
from tests.web_support import (
    add_user,
    client_for,
    csrf_of,
    make_settings,
    notification_body,
    post_form,
    seed,
    sign_in,
    span,
)

NARRATIVE = (
    "Officers attended. Her daughter Maja, aged 11, was in the flat and phoned for help. "
    "Her adult son, 24, was at work."
)


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


def seeded(settings, reference="F/1"):
    body = notification_body(reference, NARRATIVE)
    body["children_present"] = False
    body["dash"] = {"level": "high", "yes_count": 15}
    son = NARRATIVE.index("adult son, 24")
    return seed(
        settings,
        body,
        route="duty_review",
        priority="urgent",
        categories=["present"],
        evidence=[
            span(NARRATIVE, "daughter Maja, aged 11", "present", "kinship_with_age"),
            {"source": "field", "field": "children_present", "value": False,
             "rule": "tick_box_children_present", "category": "present",
             "polarity": "negative"},
            {"source": "narrative", "start": son, "end": son + 13, "text": "adult son, 24",
             "rule": "adult_relative", "polarity": "negative"},
        ],
        source="Leicestershire Police",
    )


def claimed(client, item_id):
    url = f"/items/{item_id}"
    post_form(client, url + "/claim", url, {})
    return url


def test_the_item_page_reads_in_one_pass(settings):
    item = seeded(settings)
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        page = client.get(f"/items/{item.item_id}").text
    assert "Duty review from Leicestershire Police" in page
    assert "Urgent: a child was present and the DASH risk is high" in page
    assert re.search(r"\d{1,2} \w{3} 2026, \d\d:\d\d (GMT|BST)", page)
    assert re.search(r"\((due in|overdue by) \d+ (minutes?|hours?|days)", page)
    involvement = re.search(r'dv-summary-involvement">(.*?)</dd>', page, re.S).group(1)
    assert '<a class="govuk-link dv-fact-link" href="#fact-1">' in involvement
    assert "Her daughter Maja, aged 11, was in the flat and phoned for help" in involvement
    ruled_out = re.search(r'dv-summary-ruled-out">(.*?)</dd>', page, re.S).group(1)
    assert "Children present (tick box): No" in ruled_out and "adult son, 24" in ruled_out
    assert "Children present (tick box)</dt>" in page
    assert "The model&#39;s score was 90%. The rules found a child" in page
    for jargon in ("People.", "people.", "tick_box", "kinship_with_age", ": False",
                   "line-through", "dv-evidence__label"):
        assert jargon not in page


def test_decision_errors_are_all_shown_with_the_values_kept(settings):
    item = seeded(settings)
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = claimed(client, item.item_id)
        refused = post_form(client, url + "/decide", url,
                            {"outcome": "open_case", "reasoning": " ",
                             "actions": ["share_with_school"]})
        assert refused.status_code == 400
        page = refused.text
        summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S).group(1)
        assert summary.count("<li>") == 3
        for href, message in (("#case_record_id", "Enter the case record ID"),
                              ("#categories", "Select how a child is involved"),
                              ("#reasoning", "Write down your reasoning")):
            assert f'href="{href}"' in summary and message in summary
        assert page.count("govuk-error-message") == 3
        assert 'id="reasoning-error"' in page and 'id="case_record_id-error"' in page
        assert re.search(r'value="open_case" checked', page)
        assert re.search(r'value="share_with_school" checked', page)
        assert "<title>Error: " in page


def test_open_case_is_recorded_with_its_case_record_and_actions(settings):
    item = seeded(settings)
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = claimed(client, item.item_id)
        done = post_form(client, url + "/decide", url, {
            "outcome": "open_case", "case_record_id": " CR-20417 ",
            "categories": ["present"], "reasoning": "Open case; allocated worker informed.",
            "actions": ["share_with_school", "share_with_health_visitor"],
        })
        assert done.status_code == 303 and done.headers["location"] == url + "?notice=decided"
        page = client.get(done.headers["location"]).text
        assert "Decision recorded" in page and "The item is closed" in page
        assert "Open case: pass to the allocated worker (case record CR-20417)" in page
        assert "Share with school (Operation Encompass); Share with health visitor" in page
        mine = client.get("/my-decisions").text
        assert ">F/1</a>" in mine and "Case record CR-20417" in mine
    with session_scope(settings.database) as session:
        decision = session.scalar(select(DecisionRecord))
        assert decision.case_record_id == "CR-20417"
        assert decision.actions == ["share_with_school", "share_with_health_visitor"]


def test_a_draft_is_kept_per_worker_until_the_decision(settings):
    item = seeded(settings)
    add_user(settings, "dora", "duty_worker")
    add_user(settings, "dan", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = claimed(client, item.item_id)
        saved = post_form(client, url + "/draft", url, {
            "outcome": "early_help", "reasoning": "Half-way through my notes",
            "categories": ["present"], "actions": ["share_with_health_visitor"]})
        assert saved.status_code == 303 and "notice=draft" in saved.headers["location"]
        page = client.get(url).text
        assert "Half-way through my notes</textarea>" in page
        assert re.search(r'value="early_help" checked', page)
        assert "Your draft is saved" in client.get(saved.headers["location"]).text
        token = csrf_of(page)
        typed = client.post(url + "/draft", data={"reasoning": "Typed more", "csrf_token": token},
                            headers={"HX-Request": "true"})
        assert typed.status_code == 200 and "Draft saved at" in typed.text
    with client_for(settings) as other:
        sign_in(other, "dan")
        page = other.get(url).text
        assert "Typed more" not in page  # someone else's draft is theirs
        refused = post_form(other, url + "/draft", url, {"reasoning": "mine"})
        assert refused.status_code == 409
    with session_scope(settings.database) as session:
        assert session.scalar(select(DecisionDraft.reasoning)) == "Typed more"
    with client_for(settings) as client:
        sign_in(client, "dora")
        post_form(client, url + "/decide", url, {
            "outcome": "early_help", "reasoning": "Done", "categories": ["present"]})
    with session_scope(settings.database) as session:
        assert session.scalar(select(DecisionDraft)) is None


def test_sign_off_errors_and_success_banners(settings):
    item = seeded(settings)
    add_user(settings, "dora", "duty_worker")
    add_user(settings, "mandy", "manager")
    with client_for(settings) as client:
        sign_in(client, "dora")
        url = claimed(client, item.item_id)
        post_form(client, url + "/decide", url, {
            "outcome": "no_further_action", "reasoning": "Safe now.",
            "categories": ["present"], "actions": ["share_with_school"]})
    with client_for(settings) as client:
        sign_in(client, "mandy")
        page = client.get("/signoff").text
        decision = re.search(r'data-decision-id="(\d+)"', page).group(1)
        assert "Share with school (Operation Encompass)" in page
        nothing = post_form(client, f"/signoff/{decision}", "/signoff",
                            {"action": "", "note": "kept note"})
        assert nothing.status_code == 400
        assert f'href="#actions-{decision}"' in nothing.text
        assert "kept note</textarea>" in nothing.text
        bare = post_form(client, f"/signoff/{decision}", "/signoff", {"action": "return"})
        assert bare.status_code == 400
        assert f'href="#note-{decision}"' in bare.text
        assert f'id="note-{decision}-error"' in bare.text and "govuk-textarea--error" in bare.text
        back = post_form(client, f"/signoff/{decision}", "/signoff",
                         {"action": "return", "note": "Check with school first."})
        banner = client.get(back.headers["location"]).text
        assert "Decision returned" in banner and "govuk-notification-banner--success" in banner
    with client_for(settings) as client:
        sign_in(client, "dora")
        mine = client.get("/my-decisions").text
        assert "1 returned" in mine and "Check with school first." in mine


def test_a_head_sets_working_time_deadlines_on_the_policy_form(settings):
    add_user(settings, "hana", "head_of_safeguarding")
    with client_for(settings) as client:
        sign_in(client, "hana")
        form = client.get("/policy/propose").text
        assert 'name="working"' in form and 'value="scotland"' in form
        data = {"screen_out_max": "0.2", "review_min": "0.7", "allow_silence": "no",
                "sample_percent": "10", "urgent": "4", "high": "8", "normal": "72",
                "working": ["high", "normal"], "holiday_region": "scotland",
                "day_start": "08:30", "day_end": "17:00", "reason": "Count office hours"}
        bad = post_form(client, "/policy/propose", "/policy/propose",
                        {**data, "day_start": "18:00"})
        assert bad.status_code == 400 and 'href="#day_start"' in bad.text
        assert 'value="18:00"' in bad.text  # the value as typed is kept
        done = post_form(client, "/policy/propose", "/policy/propose", data)
        assert done.status_code == 303
    with session_scope(settings.database) as session:
        proposed = next(v for v in list_policy_versions(session) if v.status == "proposed")
    deadlines = proposed.policy["deadlines"]
    assert deadlines["working_hours"] == {"urgent": False, "high": True, "normal": True}
    assert deadlines["holiday_region"] == "scotland"
    assert deadlines["working_day_start"] == "08:30:00" and deadlines["high"] == 8
