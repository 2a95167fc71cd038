"""The head of safeguarding's pages in a real browser (Debian's Chromium via Playwright), with
axe-core on each: the what-if page over an imported labelled file, a proposed threshold and its
chart drawn by Chart.js; and the dashboard with its charts and CSV links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from governance.whatif_history import import_labelled_file
from screening.synth import write_jsonl
from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.web_support import (
    PASSWORD,
    add_user,
    notification_body,
    overdue_by,
    seed,
    set_deadline,
)

pytestmark = pytest.mark.browser


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_whatif_and_dashboard(new_page: Any, server: Server, tmp_path: Path) -> None:
    settings = server.settings
    add_user(settings, "head", "head_of_safeguarding")
    data = tmp_path / "labelled.jsonl"
    write_jsonl(150, str(data), seed=8)
    import_labelled_file(settings.database, data)
    late = seed(settings, notification_body("LE/26/800001", "Her son was present."),
                route="duty_review", priority="urgent")
    set_deadline(settings, late.item_id, overdue_by(3))
    seed(settings, notification_body("LE/26/800002", "Unclear."), route="triage_check",
         priority="normal")

    page = new_page()
    sign_in(page, "head")
    page.goto("/policy/whatif")
    assert page.locator(".dv-history-total").inner_text() == "150"
    page.get_by_label("Screen out only at or under this model score").fill("0.45")
    page.locator("#allow_silence-2").check()
    page.get_by_role("button", name="Show the effect").click()
    page.wait_for_load_state("networkidle")
    assert "screen_out_max=0.45" in page.url
    page.wait_for_selector("#whatif-chart[data-drawn='true']")
    labels = page.evaluate(
        "document.getElementById('whatif-chart').chart.data.datasets.map(d => d.label)"
    )
    assert "Current (0.20)" in labels and "Proposed (0.45)" in labels
    assert page.locator("[data-figure='recall']").inner_text().endswith("%")
    screenshot(page, "governance-whatif")
    assert_accessible(page, "what-if")

    page.get_by_role("link", name="Propose these settings").click()
    assert page.get_by_label("Screen out only at or under this model score").input_value() == "0.45"
    assert_accessible(page, "propose")

    page.goto("/dashboard")
    page.wait_for_selector("#chart-per-day[data-drawn='true']")
    page.wait_for_selector("#chart-queue[data-drawn='true']")
    assert page.locator(".dv-overdue-total").inner_text() == "1"
    assert "LE/26/800001" in page.locator(".dv-overdue-table").inner_text()
    assert page.locator("a.dv-csv").count() == 5
    screenshot(page, "governance-dashboard")
    assert_accessible(page, "dashboard")

    page.goto("/policy")
    screenshot(page, "governance-policy")
    assert_accessible(page, "policy")
    page.goto("/models")
    assert_accessible(page, "models")
