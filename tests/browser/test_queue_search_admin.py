"""The queue, search and administration in a real browser (Debian's Chromium through
Playwright), with axe-core at 1280 and 390 px on every page and no sideways scrolling at
390 px: the queue's columns and filters, the same reference from two forces, a returned
decision flagged to its worker; search finding a screened-out notification and a manager moving
it to duty review; an admin adding staff and a key; a manager reassigning a claim; the audit
trail in words; an HTML 404 for a staff URL; /docs offline."""

from __future__ import annotations

from typing import Any

import pytest

from models.casework_store import record_decision, sign_off
from models.db import session_scope
from models.queue_store import claim
from models.types import utcnow
from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.web_support import HOURS, PASSWORD, add_user, notification_body, seed

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def check(page: Any, name: str) -> None:
    """axe-core and a screenshot at each width; at neither does the page scroll sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width}px")
        screenshot(page, f"9b-{name}-{width}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{name} scrolls sideways at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def person(given: str, family: str) -> list[dict[str, Any]]:
    return [
        {"role": "victim", "given_name": given, "family_name": family, "age": 31},
        {"role": "suspect", "given_name": "Lee", "family_name": "Other", "age": 33},
    ]


def seed_queue(server: Server) -> dict[str, Any]:
    s = server.settings
    leics = seed(
        s,
        notification_body("REF/26/000777", "Her son (4) was present.", people=person("Kerry",
                          "Hale"), line1="4 Willow Close", postcode="LE3 9QP"),
        route="duty_review", priority="urgent", categories=["present"],
        source="Leicestershire Police",
    )  # fmt: skip
    northants = seed(
        s,
        notification_body("REF/26/000777", "The IP lives with her daughter (9).",
                          people=person("Nina", "Patel"), line1="9 Ash Grove", postcode="NN1 1AA"),
        route="duty_review", priority="high", categories=["household"], source="Northants Police",
    )  # fmt: skip
    check_item = seed(
        s,
        notification_body("REF/26/000778", "Unclear who lives there.", people=person("Ola",
                          "Nowak"), postcode="LE4 2BB"),
        route="triage_check", priority="normal", source="Leicestershire Police",
    )  # fmt: skip
    return {"leics": leics, "northants": northants, "check": check_item}


def test_queue_columns_filters_returned_decisions_and_a_narrow_screen(
    server: Server, new_page: Any
) -> None:
    seeded = seed_queue(server)
    dora = add_user(server.settings, "dora", "duty_worker")
    mandy = add_user(server.settings, "mandy", "manager")
    with session_scope(server.settings.database) as session:
        item_id = seeded["northants"].item_id
        assert claim(session, item_id=item_id, user_id=dora, now=utcnow())
        decided = record_decision(
            session, item_id=item_id, user_id=dora, outcome="no_further_action",
            reasoning="Daughter safe with grandmother.", categories=["household"], priority=None,
            deadline_hours=HOURS, now=utcnow(),
        )  # fmt: skip
        sign_off(session, decision_id=decided.decision_id, manager_id=mandy, approve=False,
                 note="Speak to the school first.", now=utcnow())  # fmt: skip

    page = new_page()
    sign_in(page, "dora")
    rows = page.locator("table.dv-queue tbody tr")
    assert rows.count() == 3
    header = page.locator("table.dv-queue thead").inner_text()
    for column in ("Force", "Family name", "Town", "Received", "Work"):
        assert column in header
    # The same reference from two forces: two rows told apart by the force.
    same = page.locator("table.dv-queue tbody tr", has_text="REF/26/000777")
    assert same.count() == 2
    forces = {same.nth(n).locator("td").first.inner_text() for n in range(2)}
    assert forces == {"Leicestershire Police", "Northants Police"}
    assert "GMT" in rows.first.inner_text() or "BST" in rows.first.inner_text()
    returned = page.locator("tr", has_text="Patel").locator(".dv-returned")
    assert returned.inner_text() == "Returned to you: decide again"
    # References are never wrapped.
    assert page.locator(".dv-ref").first.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    check(page, "queue")

    page.get_by_label("Work type").select_option("triage_check")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**work=triage_check**")
    assert page.locator("table.dv-queue tbody tr").count() == 1
    page.goto("/queue?family=hal")
    assert page.locator("table.dv-queue tbody tr").all_inner_texts()[0].count("Hale") == 1
    page.goto("/queue?town=leic&force=999")
    assert "Nothing in the queue matches" in page.inner_text("#queue-results")
    page.goto("/queue")
    page.get_by_label("Force").select_option(label="Northants Police")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table.dv-queue tbody tr").count() == 1
    check(page, "queue-filtered")


def test_search_finds_a_screened_out_notification_and_a_manager_moves_it(
    server: Server, new_page: Any
) -> None:
    out = seed(
        server.settings,
        notification_body("LE/26/300001", "Two adult brothers argued about a car.",
                          people=person("Tomasz", "Kowalczyk"), line1="22 Canal Street"),
        route="screened_out", priority=None, score=0.03,
    )  # fmt: skip
    add_user(server.settings, "dora", "duty_worker")
    add_user(server.settings, "mandy", "manager")

    page = new_page()
    sign_in(page, "dora")
    page.get_by_role("link", name="Search").click()
    check(page, "search")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.locator("#q-error").count() == 1
    check(page, "search-error")
    page.get_by_label("Search for").fill("kowal")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".dv-search-results tbody tr")
    assert results.count() == 1 and "Screened out" in results.first.inner_text()
    check(page, "search-results")
    results.first.get_by_role("link").click()
    page.wait_for_url(f"**/notifications/{out.notification_id}")
    assert "Two adult brothers argued" in page.inner_text(".dv-narrative")
    assert page.get_by_role("button", name="Move to duty review").count() == 0
    check(page, "notification-read-only")

    manager = new_page()
    sign_in(manager, "mandy")
    manager.goto("/search?by=address&q=22+canal")
    manager.locator(".dv-search-results tbody tr").first.get_by_role("link").click()
    manager.get_by_role("button", name="Move to duty review").click()
    assert manager.locator(".govuk-error-summary").count() == 1
    check(manager, "move-error")
    manager.get_by_label("High").check()
    manager.get_by_role("button", name="Move to duty review").click()
    manager.wait_for_url("**/items/*?notice=moved")
    page.goto("/queue")
    assert page.locator("table.dv-queue tbody tr", has_text="LE/26/300001").count() == 1


def test_admin_adds_staff_and_a_key_and_a_manager_reassigns_a_claim(
    server: Server, new_page: Any
) -> None:
    seeded = seed_queue(server)
    add_user(server.settings, "ada", "admin")
    mandy = add_user(server.settings, "mandy", "manager")
    dora = add_user(server.settings, "dora", "duty_worker")
    with session_scope(server.settings.database) as session:
        assert claim(session, item_id=seeded["leics"].item_id, user_id=dora, now=utcnow())

    admin = new_page()
    sign_in(admin, "ada")
    assert admin.url.endswith("/admin/staff")
    check(admin, "staff")
    admin.get_by_role("button", name="Add a member of staff").click()
    admin.get_by_role("button", name="Add the account").click()
    assert admin.locator(".govuk-error-summary li").count() == 3
    check(admin, "staff-new-errors")
    admin.get_by_label("Full name").fill("Eve Adams")
    admin.get_by_label("Username").fill("eadams")
    admin.get_by_label("Duty worker").check()
    admin.get_by_role("button", name="Add the account").click()
    password = admin.locator("#temporary-password").inner_text()
    check(admin, "staff-created")
    admin.goto("/admin/staff")
    admin.get_by_role("link", name="Eve Adams").click()
    check(admin, "staff-detail")
    admin.goto("/admin/keys")
    admin.get_by_label("Force").fill("Derbyshire Police")
    admin.get_by_role("button", name="Create a key").click()
    assert admin.locator("#api-key").inner_text().startswith("dvs_")
    check(admin, "key-created")
    admin.goto("/admin/keys")
    check(admin, "keys")
    admin.get_by_role("link", name="Revoke the key").first.click()
    check(admin, "key-revoke-confirm")
    admin.get_by_role("button", name="Revoke the key").click()
    assert "The key is revoked" in admin.inner_text(".govuk-notification-banner")

    eve = new_page()
    sign_in(eve, "eadams", password)
    assert eve.url.endswith("/queue")

    manager = new_page()
    sign_in(manager, "mandy")
    row = manager.locator("table.dv-queue tbody tr", has_text="Hale")
    row.get_by_role("link", name="Manage claim").click()
    check(manager, "claim-manage")
    manager.get_by_label("Who should hold it").select_option(label="Eve Adams")
    manager.get_by_role("button", name="Give them the item").click()
    manager.wait_for_url("**/queue?notice=reassigned")
    assert "Eve" not in manager.inner_text(".govuk-notification-banner")
    manager.goto("/audit")
    trail = manager.inner_text("table.dv-audit")
    assert "mandy passed the item from dora to Eve Adams" in trail
    assert "ada added Eve Adams as duty worker" in trail
    assert "ada created an API key for Derbyshire Police" in trail
    assert "source:" not in trail and "staff:" not in trail
    check(manager, "audit")
    assert mandy != dora


def test_a_staff_url_that_does_not_exist_and_the_docs_offline(
    server: Server, new_page: Any
) -> None:
    add_user(server.settings, "dora", "duty_worker")
    page = new_page()
    sign_in(page, "dora")
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    check(page, "404")
    blocked: list[str] = []
    page.route("**/*", lambda route: (blocked.append(route.request.url), route.abort())
               if not route.request.url.startswith(server.base) else route.continue_())  # fmt: skip
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "dvscreen" in page.inner_text(".swagger-ui .info")
    screenshot(page, "9b-docs")
    page.goto("/redoc")
    page.wait_for_selector("redoc h1, [role=navigation], .api-content", timeout=15_000)
    screenshot(page, "9b-redoc")
    assert blocked == []
