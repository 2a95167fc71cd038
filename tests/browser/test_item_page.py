"""The item page a duty worker reads in one pass, in a real browser (Debian's Chromium through
Playwright), with axe-core at 1280 and 390 px wide on every page: the summary's facts link to
their clause in the narrative; highlights carry no text of their own (the narrative copies as
the officer wrote it); the decision form's errors, its draft (htmx autosave), "open case" and
the success banner; sign-off errors and banners; and "my decisions"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.web_support import PASSWORD, add_user, notification_body, seed, span

pytestmark = pytest.mark.browser

NARRATIVE = (
    "Police attended the flat after a 999 call. Her daughter Maja, aged 11, was in the flat "
    "and phoned for help. Her adult son, 24, was at work. The IP is 24 weeks pregnant."
)
WIDTHS = (1280, 390)


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def check(page: Any, name: str) -> None:
    """axe-core and a screenshot at each width, then back to the desktop width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width}px")
        screenshot(page, f"item-{name}-{width}")
        if width == 390:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{name} scrolls sideways at 390px"
    page.set_viewport_size({"width": 1280, "height": 900})


def seed_item(server: Server) -> Any:
    body = notification_body(
        "LE/26/200001",
        NARRATIVE,
        people=[
            {"role": "victim", "given_name": "Ana", "family_name": "Nowak", "age": 29,
             "pregnant": True},
            {"role": "suspect", "given_name": "Tom", "family_name": "Nowak", "age": 31},
            {"role": "child", "given_name": "Maja", "family_name": "Nowak", "age": 11,
             "present_at_incident": True},
        ],
    )
    body["children_present"] = False
    body["victim_pregnant"] = True
    body["dash"] = {"level": "high", "yes_count": 15}
    son = NARRATIVE.index("adult son, 24")
    return seed(
        server.settings,
        body,
        route="duty_review",
        priority="urgent",
        categories=["present", "pregnancy"],
        evidence=[
            span(NARRATIVE, "daughter Maja, aged 11", "present", "kinship_with_age"),
            span(NARRATIVE, "weeks pregnant", "pregnancy", "pregnancy"),
            {"source": "field", "field": "victim_pregnant", "value": True,
             "rule": "tick_box_victim_pregnant", "category": "pregnancy"},
            {"source": "field", "field": "children_present", "value": False,
             "rule": "tick_box_children_present", "category": "present",
             "polarity": "negative"},
            {"source": "narrative", "start": son, "end": son + 13, "text": "adult son, 24",
             "rule": "adult_relative", "polarity": "negative"},
        ],
        score=0.97,
        source="Leicestershire Police",
    )


def test_the_summary_links_each_fact_to_its_clause(server: Server, new_page: Any) -> None:
    item = seed_item(server)
    add_user(server.settings, "dora", "duty_worker")
    page = new_page()
    sign_in(page, "dora")
    page.goto(f"/items/{item.item_id}")
    assert "from Leicestershire Police" in page.locator(".govuk-caption-l").inner_text()
    reason = page.locator(".dv-priority-reason").inner_text()
    assert reason == "Urgent: a child was present and the DASH risk is high"
    deadline = page.locator(".dv-deadline").inner_text()
    assert ("GMT" in deadline or "BST" in deadline) and ("due in" in deadline
                                                         or "overdue by" in deadline)
    ruled_out = page.locator(".dv-summary-ruled-out").inner_text()
    assert "Children present (tick box): No" in ruled_out and "adult son, 24" in ruled_out
    # The narrative reads and copies exactly as the officer wrote it: no label text inside.
    assert page.locator(".dv-narrative").inner_text() == NARRATIVE
    legend = page.locator(".dv-legend li").all_inner_texts()
    assert legend == ["Child present", "Ruled out (listed under What was found)", "Pregnancy"]
    fact = page.locator(".dv-summary-involvement a", has_text="Her daughter Maja")
    fact.click()
    assert page.url.endswith("#fact-1")
    target = page.locator(".dv-narrative mark:target")
    assert target.inner_text() == "Her daughter Maja, aged 11, was in the flat and phoned for help"
    assert target.get_attribute("aria-describedby") == "legend-present"
    check(page, "read")


def test_decide_with_errors_then_a_draft_then_open_case(server: Server, new_page: Any) -> None:
    item = seed_item(server)
    add_user(server.settings, "dora", "duty_worker")
    page = new_page()
    sign_in(page, "dora")
    page.goto(f"/items/{item.item_id}")
    page.get_by_role("button", name="Claim this item").click()
    page.wait_for_url("**?notice=claimed")
    page.get_by_label("Open case: pass to the allocated worker").check()
    page.get_by_label("Child present").uncheck()
    page.get_by_label("Pregnancy").uncheck()
    page.get_by_role("button", name="Record decision").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    messages = summary.locator("li").all_inner_texts()
    assert messages == [
        "Enter the case record ID of the allocated worker",
        "Select how a child is involved",
        "Write down your reasoning",
    ]
    assert page.locator(".govuk-error-message").count() == 3
    assert page.get_by_label("Open case: pass to the allocated worker").is_checked()
    check(page, "decide-errors")

    # A draft, saved by htmx as the worker types, survives leaving the page.
    page.get_by_label("Share with health visitor").check()
    page.get_by_label("Your reasoning").fill("Allocated worker Sam to visit today.")
    page.locator("#draft-status", has_text="Draft saved at").wait_for(timeout=15_000)
    page.goto("/queue")
    page.goto(f"/items/{item.item_id}")
    assert page.get_by_label("Your reasoning").input_value() == (
        "Allocated worker Sam to visit today."
    )
    assert page.get_by_label("Share with health visitor").is_checked()
    assert page.locator(".dv-draft-saved").count() == 1
    check(page, "draft")

    page.get_by_label("Child present").check()
    page.get_by_label("Case record ID").fill("CR-20417")
    page.get_by_label("Share with school (Operation Encompass)").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**?notice=decided")
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert "Decision recorded" in banner
    decision = page.locator(".dv-decision").inner_text()
    assert "case record CR-20417" in decision
    assert "Share with school (Operation Encompass); Share with health visitor" in decision
    check(page, "decided")

    page.get_by_role("link", name="your decisions").click()
    rows = page.locator("table.dv-my-decisions tbody tr")
    assert rows.count() == 1 and "CR-20417" in rows.first.inner_text()
    check(page, "my-decisions")


def test_sign_off_errors_and_banners(server: Server, new_page: Any) -> None:
    item = seed_item(server)
    add_user(server.settings, "dora", "duty_worker")
    add_user(server.settings, "mandy", "manager")
    worker = new_page()
    sign_in(worker, "dora")
    worker.goto(f"/items/{item.item_id}")
    worker.get_by_role("button", name="Claim this item").click()
    worker.wait_for_url("**?notice=claimed")
    worker.get_by_label("No further action").check()
    worker.get_by_label("Your reasoning").fill("Suspect left; mother protective.")
    worker.get_by_role("button", name="Record decision").click()
    worker.wait_for_url("**?notice=signoff")
    assert "Decision recorded" in worker.locator(".govuk-notification-banner").inner_text()

    manager = new_page()
    sign_in(manager, "mandy")
    manager.goto("/signoff")
    manager.get_by_role("button", name="Return to worker").click()
    summary = manager.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.locator("li").all_inner_texts() == ["Say why you are returning the decision"]
    assert manager.locator(".govuk-textarea--error").count() == 1
    check(manager, "signoff-error")
    manager.get_by_label("Note (needed if you return it)").fill("Check with the school first.")
    manager.get_by_role("button", name="Return to worker").click()
    manager.wait_for_url("**/signoff?notice=returned")
    assert "Decision returned" in manager.locator(".govuk-notification-banner").inner_text()
    check(manager, "signoff-returned")

    worker.goto("/queue")
    worker.locator(".govuk-service-navigation").get_by_role("link", name="My decisions").click()
    worker.wait_for_url("**/my-decisions")
    assert "1 returned" in worker.locator("main").inner_text()
    assert "Check with the school first." in worker.locator(".dv-returned-row").inner_text()
