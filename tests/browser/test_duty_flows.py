"""The duty team's flows in a real browser (Debian's Chromium through Playwright), with
axe-core on every page: claim and decide with highlighted evidence, manager sign-off, a
sampled screen-out overturned to the top of the duty queue, and a duty worker refused the
policy pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.web_support import PASSWORD, add_user, notification_body, seed, span

pytestmark = pytest.mark.browser

URGENT_NARRATIVE = (
    "Officers attended after a neighbour called 999. The IP said her partner grabbed her by "
    "the throat in the kitchen. Her daughter Mia (6) was in the lounge and saw it happen. "
    "The IP is 20 weeks pregnant. Suspect left before police arrived."
)
HIGH_NARRATIVE = (
    "Verbal argument about money. The IP lives with her two sons, currently at school. "
    "No injuries. Advice given."
)
QUIET_NARRATIVE = "Verbal argument between two adult flatmates about rent. No assault."


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def seed_duty_work(server: Server) -> dict[str, Any]:
    s = server.settings
    urgent = seed(
        s,
        notification_body(
            "LE/26/100001",
            URGENT_NARRATIVE,
            people=[
                {
                    "role": "victim",
                    "given_name": "Kerry",
                    "family_name": "Hale",
                    "age": 29,
                    "ethnicity": "White British",
                    "language": "English",
                    "pregnant": True,
                },
                {"role": "suspect", "given_name": "Lee", "family_name": "Hale", "age": 31},
                {
                    "role": "child",
                    "given_name": "Mia",
                    "family_name": "Hale",
                    "date_of_birth": "2020-02-03",
                    "present_at_incident": True,
                },
            ],
        ),
        route="duty_review",
        priority="urgent",
        categories=["present", "pregnancy"],
        evidence=[
            span(URGENT_NARRATIVE, "Her daughter Mia (6) was in the lounge and saw it", "present"),
            span(URGENT_NARRATIVE, "20 weeks pregnant", "pregnancy"),
        ],
        score=0.97,
    )
    high = seed(
        s,
        notification_body("LE/26/100002", HIGH_NARRATIVE, line1="9 Ash Grove", postcode="LE4 2BB"),
        route="duty_review",
        priority="high",
        categories=["household"],
        evidence=[span(HIGH_NARRATIVE, "lives with her two sons", "household")],
    )
    return {"urgent": urgent, "high": high}


def test_duty_worker_claims_decides_and_manager_signs_off(server: Server, new_page: Any) -> None:
    seeded = seed_duty_work(server)
    add_user(server.settings, "dora", "duty_worker")
    add_user(server.settings, "mandy", "manager")

    page = new_page()
    sign_in(page, "dora")
    assert page.url.endswith("/queue")
    rows = page.locator("table.dv-queue tbody tr")
    assert rows.count() == 2
    assert rows.first.get_attribute("data-item-id") == str(seeded["urgent"].item_id)
    screenshot(page, "01-queue")
    assert_accessible(page, "queue")

    rows.first.get_by_role("link").click()
    page.get_by_role("button", name="Claim this item").click()
    page.wait_for_url("**/items/*?notice=claimed")
    marks = page.locator(".dv-narrative mark.dv-evidence")
    assert marks.count() == 2
    assert "Mia (6) was in the lounge" in marks.nth(0).inner_text()
    assert marks.nth(0).get_attribute("data-evidence") == "Child present"
    # Highlighted by the fact: the rule's span ("20 weeks pregnant") widened to its clause.
    assert marks.nth(1).inner_text() == "The IP is 20 weeks pregnant"
    child_rows = page.locator("table.dv-people tr.dv-child-row")
    assert child_rows.count() == 1
    assert "Mia" in child_rows.first.inner_text() and "6" in child_rows.first.inner_text()
    screenshot(page, "02-item-claimed")
    assert_accessible(page, "item")

    page.get_by_label("No further action").check()
    page.get_by_label("Your reasoning").fill(
        "Mother protective, suspect has left and is on bail conditions; school informed."
    )
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**?notice=signoff")
    assert "awaiting sign-off" in page.locator(".dv-item-state").inner_text()
    screenshot(page, "03-awaiting-signoff")
    assert_accessible(page, "item awaiting sign-off")

    manager = new_page()
    sign_in(manager, "mandy")
    manager.goto("/signoff")
    cards = manager.locator(".dv-signoff")
    assert cards.count() == 1
    screenshot(manager, "04-signoff-queue")
    assert_accessible(manager, "sign-off queue")
    cards.first.get_by_role("button", name="Sign off").click()
    manager.wait_for_url("**/signoff?notice=approved")
    assert manager.locator(".dv-signoff").count() == 0
    assert_accessible(manager, "sign-off done")

    manager.goto(f"/items/{seeded['urgent'].item_id}")
    assert "Closed" in manager.locator(".dv-item-state").inner_text()
    manager.get_by_role("link", name="Audit trail").click()
    # The trail in words (issue 9): who did what, never an action code.
    actions = manager.locator("table.dv-audit tbody tr td:nth-child(2)").all_inner_texts()
    for expected in (
        "dora looked at the notification",
        "dora claimed the item",
        "dora recorded no further action (for sign-off)",
        "mandy signed off the decision",
    ):
        assert expected in actions, actions
    screenshot(manager, "05-audit-trail")
    assert_accessible(manager, "audit trail")

    page.goto("/queue")
    assert page.locator("table.dv-queue tbody tr").count() == 1


def test_overturned_sample_goes_to_the_top_of_the_duty_queue(server: Server, new_page: Any) -> None:
    missed = seed(
        server.settings,
        notification_body(
            "LE/26/100009",
            "Argument between the IP and her ex-partner on the doorstep. Her baby was in a "
            "pram in the hallway.",
            line1="2 Birch Road",
            postcode="LE5 3CC",
        ),
        route="screened_out",
        priority=None,
        score=0.05,
        sample_share=1.0,
    )
    seed_duty_work(server)
    add_user(server.settings, "dora", "duty_worker")
    add_user(server.settings, "mandy", "manager")

    manager = new_page()
    sign_in(manager, "mandy")
    manager.goto("/sample")
    assert manager.locator("table.dv-sample tbody tr").count() == 1
    screenshot(manager, "06-sample-queue")
    assert_accessible(manager, "sample queue")
    manager.locator("table.dv-sample tbody tr").first.get_by_role("link").click()
    manager.get_by_label("Overturn: a child is involved (a miss)").check()
    manager.get_by_label("Child present").check()
    manager.get_by_label("Your reasoning").fill("A baby in a pram in the hallway was present.")
    screenshot(manager, "07-sample-item")
    assert_accessible(manager, "sample item")
    manager.get_by_role("button", name="Record verdict").click()
    manager.wait_for_url("**/sample?notice=overturned")
    assert manager.locator(".dv-misses").inner_text() == "1"
    assert_accessible(manager, "sample after overturn")

    worker = new_page()
    sign_in(worker, "dora")
    top = worker.locator("table.dv-queue tbody tr").first
    assert top.locator("th").inner_text() == "LE/26/100009"
    assert "Urgent" in top.inner_text()
    assert top.locator(".dv-missed").count() == 1
    screenshot(worker, "08-queue-after-overturn")
    top.get_by_role("link").click()
    assert worker.locator("h1").inner_text() == "LE/26/100009"
    assert missed.notification_id is not None


def test_duty_worker_is_refused_the_policy_pages(server: Server, new_page: Any) -> None:
    add_user(server.settings, "dora", "duty_worker")
    add_user(server.settings, "hana", "head_of_safeguarding")
    worker = new_page()
    sign_in(worker, "dora")
    response = worker.goto("/policy")
    assert response is not None and response.status == 403
    assert worker.locator("h1").inner_text() == "You do not have access to this page"
    assert worker.get_by_role("link", name="Policy").count() == 0
    screenshot(worker, "09-policy-refused")
    assert_accessible(worker, "refused")

    head = new_page()
    sign_in(head, "hana")
    response = head.goto("/policy")
    assert response is not None and response.status == 200
    assert head.locator("h1").inner_text() == "Screening policy"
    assert_accessible(head, "policy")
