"""A background job on the models page in a real browser (Debian's Chromium via Playwright), with
axe-core: the head asks for training; the page shows the job waiting and, polling its fragment
(htmx), each step as a worker reports it; when it ends the page reloads with the result and the
new candidate. The job is run here as the worker runs it (governance.jobs.run_job)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from governance import jobs
from governance.jobs import run_job
from models.job_store import latest_jobs
from tests.browser.conftest import Server, assert_accessible, screenshot
from tests.browser.test_governance_browser import sign_in
from tests.intake_support import in_session
from tests.job_support import seed_labels
from tests.web_support import add_user

pytestmark = pytest.mark.browser


def test_the_models_page_follows_a_training_job_to_its_end(
    new_page: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = server.settings
    head = add_user(settings, "head", "head_of_safeguarding")
    seed_labels(settings.database, 100, labelled_by=head, seed=6)
    page = new_page()
    sign_in(page, "head")
    page.goto("/models")
    page.get_by_role("button", name="Train a candidate from the service's labels").click()
    page.wait_for_load_state("networkidle")
    assert "Training has started" in page.locator(".govuk-notification-banner").inner_text()
    job = page.locator(".dv-job").first
    assert job.get_attribute("data-status") == "queued"
    assert_accessible(page, "models-job-queued")

    # The job, once running, waits until the page has shown it running: training can end
    # between two of the page's polls (one a second), and the page would never show it.
    shown_running = threading.Event()
    train = jobs.RUNNERS["train_model"]

    def train_once_seen(*args: Any) -> Any:
        shown_running.wait(60)
        return train(*args)

    monkeypatch.setitem(jobs.RUNNERS, "train_model", train_once_seen)
    (queued,) = in_session(settings.database, latest_jobs, kinds=["train_model"])
    worker = threading.Thread(
        target=run_job,
        args=(settings.database, queued.id),
        kwargs={"data_dir": settings.resolved_data_dir},
    )
    worker.start()
    page.wait_for_selector(".dv-job[data-status='running']", timeout=30_000)
    screenshot(page, "models-job-running")
    shown_running.set()
    worker.join(120)
    # When the fragment says it ended, the page reloads: the new candidate is listed.
    page.wait_for_selector(".dv-model[data-status='candidate']", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".dv-job").first.get_attribute("data-status") == "succeeded"
    message = page.locator(".dv-job-message").first.inner_text()
    assert "was trained on 100 labelled notifications" in message
    version = message.split()[1]
    assert page.locator(f".dv-model[data-status='candidate']:has-text('{version}')").count() == 1
    screenshot(page, "models-job-succeeded")
    assert_accessible(page, "models-job-succeeded")
