"""The daily file in a real browser (Debian's Chromium via Playwright), axe-core at 1280 and
390 px wide on each page: a head of safeguarding sets up a force's column mapping from a sample
file, then business support uploads the force's day file and watches the progress bar (htmx
polling) until the rows are imported and the rejected ones listed by row and column."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import api.web.imports as imports_routes
from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.web_support import PASSWORD, add_user

pytestmark = pytest.mark.browser

HEADER = "Reference,Occurred at,Incident type,Address line1,Postcode,Narrative," \
    "Victim given name,Victim family name,Child 1 age,Kids there"
ROW = "LE/B/{n},20/11/2026 23:{m:02d},Crime,{n} Example Road,LE2 1AA," \
    "Officers attended a verbal argument.,Amy,Smith,{age},Y"


ROWS = 1500


def hold_imports(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold each import after its first chunk of rows until the returned event is set: the
    page then opens on a running import whatever the machine's speed (the server runs in this
    process, its import a background task through the real `run_import`)."""
    release = threading.Event()
    real = imports_routes.run_import

    def held(transactions: Any, *, import_id: int, data: bytes) -> Any:
        def progress(done: int, total: int) -> None:
            if 0 < done < total:
                release.wait(timeout=120)

        return real(transactions, import_id=import_id, data=data, progress=progress)

    monkeypatch.setattr(imports_routes, "run_import", held)
    return release


def day_file(path: Path, rows: int, bad: set[int]) -> Path:
    lines = [HEADER]
    for n in range(rows):
        age = "four" if n in bad else str(n % 17)
        lines.append(ROW.format(n=n, m=n % 60, age=age))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def check_both_widths(page: Any, name: str) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
        assert_accessible(page, f"{name} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_mapping_from_a_sample_then_an_upload_with_progress(
    new_page: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = hold_imports(monkeypatch)
    settings = server.settings
    add_user(settings, "hana", "head_of_safeguarding")
    add_user(settings, "bea", "business_support")
    sample = day_file(tmp_path / "sample.csv", 3, set())

    head = new_page()
    sign_in(head, "hana")
    head.get_by_role("link", name="Daily files").click()
    head.get_by_role("link", name="Set up a force's column mapping from a sample file").click()
    check_both_widths(head, "daily-file-mappings")
    head.get_by_label("Police force").fill("Browser Police")
    head.get_by_label("Sample file").set_input_files(str(sample))
    head.get_by_role("button", name="Read the sample").click()
    head.wait_for_load_state("networkidle")
    assert "LE/B/0" in head.locator("#mapping-columns").inner_text()  # the first rows shown
    # Headers named like the fields are chosen already; the others are picked by hand.
    assert head.get_by_label("What the column Reference holds").input_value() == "reference"
    head.get_by_label("What the column Occurred at holds").select_option("occurred_at")
    head.get_by_label("What the column Kids there holds").select_option("children_present")
    check_both_widths(head, "daily-file-mapping-form")
    head.get_by_label("What the column Narrative holds").select_option("")
    head.get_by_role("button", name="Save mapping").click()
    head.wait_for_load_state("networkidle")
    assert "Choose a column for: narrative" in head.locator(".govuk-error-summary").inner_text()
    check_both_widths(head, "daily-file-mapping-error")
    head.get_by_label("What the column Narrative holds").select_option("narrative")
    head.get_by_role("button", name="Save mapping").click()
    head.wait_for_load_state("networkidle")
    assert "Column mapping saved" in head.locator(".govuk-notification-banner").inner_text()

    support = new_page()
    sign_in(support, "bea")
    support.goto("/imports")
    check_both_widths(support, "daily-file-upload")
    support.get_by_label("Police force").select_option(label="Browser Police")
    # The import is held after its first chunk (hold_imports) until the running page is checked.
    day = day_file(tmp_path / "day.csv", ROWS, {7, 700})
    support.get_by_label("Daily file").set_input_files(str(day))
    support.get_by_role("button", name="Upload and import").click()
    support.wait_for_selector("#import-progress")
    # The rows take seconds: the page opens on the running import, with its progress bar,
    # and htmx polls the panel until it is done (the page itself is not reloaded).
    assert support.locator("#import-progress").get_attribute("data-status") == "running"
    assert support.locator("progress.dv-import-progress").is_visible()
    support.evaluate("window.dvSamePage = true")
    assert_accessible(support, "import running")
    release.set()
    support.wait_for_selector("#import-progress[data-status='done']", timeout=60_000)
    assert support.evaluate("window.dvSamePage === true")
    banner = support.locator(".govuk-notification-banner").inner_text()
    assert (f"{ROWS} rows from Browser Police: {ROWS - 2} new, 0 already received, 2 rejected"
            in banner)
    rejected = support.locator("#rejected-rows tbody tr")
    assert rejected.count() == 2
    assert rejected.nth(0).inner_text().split("\t")[:3] == ["9", "Child 1 age", "child_1_age"]
    check_both_widths(support, "daily-file-import")

    # The same file again adds nothing.
    support.goto("/imports")
    support.get_by_label("Police force").select_option(label="Browser Police")
    support.get_by_label("Daily file").set_input_files(str(day))
    support.get_by_role("button", name="Upload and import").click()
    support.wait_for_selector("#import-progress[data-status='done']", timeout=60_000)
    assert f"0 new, {ROWS - 2} already received, 2 rejected" in support.locator(
        ".govuk-notification-banner"
    ).inner_text()
