"""The information governance pages in a real browser (Debian's Chromium via Playwright), with
axe-core and a screenshot at 1280 and 390 px wide on each and no sideways scroll of the page:
retention with a dry run and a hold form's errors, subject access with its results and errors,
equality monitoring with its chart drawn and a what-if, and the transparency record."""

from __future__ import annotations

from typing import Any

import pytest

from governance.whatif_history import sync_label_facts
from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.ig_support import Person, decide, seeded
from tests.web_support import PASSWORD, add_user

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
# Elements reaching past the page's right edge (a wide table scrolls inside its own box).
WIDER_THAN_PAGE = """() => {
    const page = document.documentElement;
    if (page.scrollWidth <= page.clientWidth) return [];
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > page.clientWidth + 1)
        .filter(e => !e.parentElement.closest('.dv-ig-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className);
}"""


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def check(page: Any, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(250)  # charts redraw at the new width
        assert_accessible(page, f"{name} at {width}px")
        screenshot(page, f"ig-{name}-{width}")
        wide = page.evaluate(WIDER_THAN_PAGE)
        assert not wide, f"{name} scrolls sideways at {width}px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 900})


def seed_world(server: Server) -> None:
    settings = server.settings
    add_user(settings, "head", "head_of_safeguarding")
    duty = add_user(settings, "duty", "duty_worker")
    for i in range(24):
        victim = Person(f"Given{i}", f"Family{i}", "1990-01-01",
                        extra=(("ethnicity", "White British" if i % 2 else "Mixed"),))
        made = seeded(settings, f"IG/{i}", [victim], route="duty_review" if i < 4 else
                      "screened_out", priority="high" if i < 4 else None,
                      score=0.9 if i < 4 else 0.05, narrative="Words were exchanged.",
                      line1=f"{i} Mill Lane")
        if i < 4:
            decide(settings, made.item_id, duty, "refer_for_assessment", "A child.",
                   ["present"])
    seeded(settings, "IG/SA", [Person("Rosalind", "Featherstone", "1986-09-09"),
                               Person("Hugo", "Brack", "1980-01-01", role="suspect")],
           route="triage_check", priority="normal", narrative="Hugo Brack shouted.",
           line1="1 Quay Street")
    sync_label_facts(settings.database)


def test_governance_pages(new_page: Any, server: Server) -> None:
    seed_world(server)
    page = new_page()
    sign_in(page, "head")

    page.goto("/dashboard")
    page.get_by_role("link", name="Equality monitoring").click()
    page.wait_for_selector("#chart-equality[data-drawn='true']")
    assert "White British" in page.locator(".dv-equality-table").nth(1).inner_text()
    drawn = page.evaluate("document.getElementById('chart-equality').chart.data")
    # Only the published share is drawn: 10 of each group of 12 were screened out.
    assert drawn["labels"] == ["Mixed", "White British"]
    assert drawn["datasets"][0]["data"] == [round(10 / 12, 4)] * 2
    check(page, "equality")
    page.get_by_label("What if the screen-out threshold were (optional)").fill("0.3")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="What if the screen-out threshold were 0.30")
    check(page, "equality-whatif")
    page.get_by_label("What if the screen-out threshold were (optional)").fill("0.95")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector(".govuk-error-summary")
    check(page, "equality-error")

    page.goto("/retention")
    check(page, "retention")
    page.get_by_role("button", name="Show what would be removed now").click()
    page.wait_for_selector(".dv-dry-run")
    check(page, "retention-dry-run")
    person_form = page.locator("form", has=page.get_by_label("Given name"))
    person_form.get_by_label("Given name").fill("Rosalind")
    person_form.get_by_role("button", name="Place the hold").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter a real date of birth" in page.locator(".govuk-error-summary").inner_text()
    check(page, "retention-errors")

    page.goto("/subject-access")
    check(page, "subject-access")
    page.get_by_label("Given name").fill("Rosalind")
    page.get_by_label("Family name").fill("Featherstone")
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("1986")
    page.get_by_role("button", name="Find").click()
    page.wait_for_selector(".dv-found")
    assert "1 notification found" in page.locator(".dv-found").inner_text()
    check(page, "subject-access-found")
    page.get_by_label("Given name").fill("")
    page.get_by_role("button", name="Find").click()
    page.wait_for_selector(".govuk-error-summary")
    check(page, "subject-access-errors")

    page.goto("/transparency")
    assert page.get_by_role("heading", name="Tier 2, section 3: decision-making process")
    check(page, "transparency")
