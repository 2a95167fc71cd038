"""Background jobs on the embedded database: a request to train, to compare a candidate in
shadow or to sync labels queues a job with its outbox row and returns at once, doing none of it;
the job, run as the worker runs it, ends with its result or with why it failed, in words; the
models page shows its progress while it runs (a fragment it polls) and its end; the what-if
page no longer writes."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from governance.jobs import STALLED_AFTER, TOO_FEW_LABELS, failure_words, run_job
from models.db import session_scope
from models.governance_tables import LabelledFacts
from models.job_store import (
    create_job,
    get_job,
    latest_jobs,
    report_progress,
    requeue_stalled_jobs,
    start_job,
)
from models.job_tables import JOB_KINDS, JOB_TASK, JobRecord
from models.model_registry import list_models, shadow_counts
from models.outbox_store import publish_pending
from models.review_tables import LabelRecord
from models.settings import Settings
from models.tables import OutboxRow
from models.types import utcnow
from tests.intake_support import in_session
from tests.job_support import seed_labels
from tests.web_support import add_user, client_for, csrf_of, make_settings, sign_in


@pytest.fixture
def world(tmp_path: Path) -> tuple[Settings, int, Any]:
    settings = make_settings(tmp_path)
    head = add_user(settings, "hana", "head_of_safeguarding")
    client = client_for(settings)
    sign_in(client, "hana")
    return settings, head, client


def _post(client: Any, path: str) -> Any:
    token = csrf_of(client.get("/models").text)
    return client.post(path, data={"csrf_token": token})


def _jobs(settings: Settings) -> list[Any]:
    return in_session(settings.database, latest_jobs, kinds=JOB_KINDS, limit=10)


def _candidates(settings: Settings) -> list[str]:
    entries = in_session(settings.database, list_models)
    return [m.version for m in entries if m.status == "candidate"]


def test_a_training_request_queues_a_job_and_trains_nothing(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 120, labelled_by=head)
    started = time.perf_counter()
    response = _post(client, "/models/train")
    elapsed = time.perf_counter() - started
    assert response.status_code == 303
    assert response.headers["location"] == "/models?notice=train_queued"
    assert elapsed < 2.0  # training these labels takes several seconds
    assert _candidates(settings) == []
    assert not (settings.resolved_data_dir / "models").exists()
    (job,) = _jobs(settings)
    assert (job.kind, job.status, job.requested_by) == ("train_model", "queued", head)
    with session_scope(settings.database) as session:
        (row,) = session.execute(
            select(OutboxRow.task_name, OutboxRow.notification_id, OutboxRow.job_id).where(
                OutboxRow.job_id.is_not(None)
            )
        ).all()
    assert tuple(row) == (JOB_TASK, None, job.id)
    # Asking again while it waits queues nothing more.
    again = _post(client, "/models/train")
    assert again.headers["location"] == "/models?notice=train_model_running"
    assert len(_jobs(settings)) == 1
    page = client.get("/models").text
    assert f'hx-get="/models/jobs/{job.id}"' in page and 'data-status="queued"' in page


def test_the_relay_hands_the_job_to_its_task(world) -> None:
    settings, _head, client = world
    _post(client, "/models/sync-labels")
    (job,) = _jobs(settings)
    sent: list[tuple[str, list[str]]] = []
    published = in_session(
        settings.database,
        publish_pending,
        publish=lambda task, ids: sent.append((task, list(ids))),
    )
    assert published == 1 and sent == [(JOB_TASK, [str(job.id)])]


def test_a_training_job_runs_to_its_result_and_the_page_shows_it(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 120, labelled_by=head)
    _post(client, "/models/train")
    (job,) = _jobs(settings)
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "succeeded"
    done = in_session(settings.database, get_job, job_id=job.id)
    assert done.status == "succeeded" and done.done == done.total == 3
    assert done.result is not None and done.result["rows"] == 120
    assert _candidates(settings) == [done.result["version"]]
    assert done.message == (
        f"Candidate {done.result['version']} was trained on 120 labelled notifications."
    )
    page = client.get("/models").text
    assert done.message in page and 'data-status="succeeded"' in page
    assert f'hx-get="/models/jobs/{job.id}"' not in page  # nothing left to poll
    fragment = client.get(f"/models/jobs/{job.id}", headers={"HX-Request": "true"})
    assert fragment.headers.get("HX-Refresh") == "true"  # the page reloads to list the model
    # A redelivered message runs a finished job no second time.
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "skipped"
    assert len(_candidates(settings)) == 1


def test_the_fragment_shows_a_running_job_step_by_step(world) -> None:
    settings, _head, client = world
    _post(client, "/models/train")
    (job,) = _jobs(settings)
    with session_scope(settings.database) as session:
        start_job(session, job_id=job.id, now=utcnow(), stalled_before=utcnow())
        report_progress(
            session, job_id=job.id, done=1, total=3, message="Fitting a model", now=utcnow()
        )
    fragment = client.get(f"/models/jobs/{job.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment.headers
    assert 'data-status="running"' in fragment.text
    assert "Fitting a model (step 2 of 3)" in fragment.text
    assert re.search(r'<progress[^>]*value="33"', fragment.text)
    assert 'hx-trigger="every 1s"' in fragment.text
    assert client.get("/models/jobs/999999").status_code == 404


def test_a_training_job_without_both_kinds_of_label_fails_in_words(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 20, labelled_by=head)
    with session_scope(settings.database) as session:
        session.execute(update(LabelRecord).values(child_involvement=True))
    _post(client, "/models/train")
    (job,) = _jobs(settings)
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "failed"
    failed = in_session(settings.database, get_job, job_id=job.id)
    assert (failed.status, failed.message) == ("failed", TOO_FEW_LABELS)
    assert _candidates(settings) == []
    page = client.get("/models").text
    assert "govuk-error-summary" in page and TOO_FEW_LABELS in page


def test_an_unexpected_failure_is_named_by_its_class_only() -> None:
    words = failure_words(RuntimeError("Jo Bell, 4 Willow Close"))
    assert "RuntimeError" in words and "Jo Bell" not in words and "Willow" not in words


def _facts(settings: Settings) -> int:
    with session_scope(settings.database) as session:
        return int(session.scalar(select(func.count()).select_from(LabelledFacts)) or 0)


def test_labels_enter_the_whatif_history_in_a_job_not_in_a_page(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 30, labelled_by=head)
    assert client.get("/policy/whatif").status_code == 200
    assert _facts(settings) == 0  # the page read the history and wrote nothing
    response = _post(client, "/models/sync-labels")
    assert response.headers["location"] == "/models?notice=sync_labels_queued"
    (job,) = _jobs(settings)
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "succeeded"
    synced = in_session(settings.database, get_job, job_id=job.id)
    assert synced.result == {"synced": 30} and synced.done == synced.total == 30
    assert synced.message == "30 labels were added to the what-if history."
    assert _facts(settings) == 30


def test_the_schedule_queues_a_sync_only_while_labels_wait(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.celery_app import app
    from workers.governance_tasks import schedule_label_sync

    settings, head, _client = world
    monkeypatch.setitem(app.conf, "dvscreen_settings", settings)
    assert schedule_label_sync.run() is None  # no labels at all
    seed_labels(settings.database, 5, labelled_by=head)
    job_id = schedule_label_sync.run()
    assert isinstance(job_id, int)
    assert schedule_label_sync.run() is None  # one is queued already
    (job,) = _jobs(settings)
    assert (job.id, job.kind, job.requested_by) == (job_id, "sync_labels", None)
    assert run_job(settings.database, job_id, data_dir=settings.resolved_data_dir) == "succeeded"
    assert schedule_label_sync.run() is None  # nothing waits now


def _age(settings: Settings, job_id: int, *, published: timedelta, updated: timedelta) -> None:
    now = utcnow()
    with session_scope(settings.database) as session:
        session.execute(
            update(OutboxRow).where(OutboxRow.job_id == job_id).values(published_at=now - published)
        )
        session.execute(
            update(JobRecord).where(JobRecord.id == job_id).values(updated_at=now - updated)
        )


def _requeue(settings: Settings) -> int:
    now = utcnow()
    return in_session(
        settings.database,
        requeue_stalled_jobs,
        queued_before=now - timedelta(minutes=10),
        stalled_before=now - STALLED_AFTER,
    )


def test_a_job_runs_once_at_a_time_and_a_lost_one_is_published_again(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 10, labelled_by=head)
    _post(client, "/models/sync-labels")
    (job,) = _jobs(settings)
    in_session(settings.database, publish_pending, publish=lambda *_: None)
    assert _requeue(settings) == 0  # just published: its message is on its way
    _age(settings, job.id, published=timedelta(hours=1), updated=timedelta(hours=1))
    assert _requeue(settings) == 1  # queued an hour after its publish: the message was lost
    assert _requeue(settings) == 0  # once: it waits in the outbox now
    in_session(settings.database, publish_pending, publish=lambda *_: None)
    assert _requeue(settings) == 0
    # A worker takes it; a duplicate message meanwhile does not run it a second time.
    with session_scope(settings.database) as session:
        start_job(session, job_id=job.id, now=utcnow(), stalled_before=utcnow() - STALLED_AFTER)
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "skipped"
    # That worker dies: no progress for longer than STALLED_AFTER, so it is published again
    # and the next delivery runs it to its end.
    _age(settings, job.id, published=timedelta(hours=1), updated=STALLED_AFTER * 2)
    assert _requeue(settings) == 1
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "succeeded"
    _age(settings, job.id, published=timedelta(hours=1), updated=timedelta(hours=1))
    assert _requeue(settings) == 0  # finished jobs are never published again


def test_a_shadow_comparison_is_a_job_not_a_request(world) -> None:
    settings, head, client = world
    seed_labels(settings.database, 120, labelled_by=head)
    _post(client, "/models/train")
    (trained,) = _jobs(settings)
    assert run_job(settings.database, trained.id, data_dir=settings.resolved_data_dir) == (
        "succeeded"
    )
    (version,) = _candidates(settings)
    token = csrf_of(client.get("/models").text)
    response = client.post("/models/compare", data={"csrf_token": token, "version": version})
    assert response.headers["location"] == "/models?notice=compare_queued"
    assert in_session(settings.database, shadow_counts) == {}  # the request scored nothing
    job = next(j for j in _jobs(settings) if j.kind == "compare_model")
    assert (job.status, job.params) == ("queued", {"version": version})
    again = client.post("/models/compare", data={"csrf_token": token, "version": version})
    assert again.headers["location"] == "/models?notice=compare_model_running"
    missing = client.post("/models/compare", data={"csrf_token": token, "version": "nope"})
    assert missing.headers["location"] == "/models?notice=not_found"
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "succeeded"
    done = in_session(settings.database, get_job, job_id=job.id)
    assert done.result == {"version": version, "notifications": 120}
    assert (
        done.message == f"Candidate {version} was scored in shadow on 120 labelled notifications."
    )
    assert in_session(settings.database, shadow_counts) == {version: 120}
    (entry,) = [m for m in in_session(settings.database, list_models) if m.version == version]
    assert entry.comparison is not None and entry.comparison["notifications"] == 120
    assert "dv-comparison" in client.get("/models").text


def test_a_comparison_of_a_model_gone_from_the_registry_fails_in_words(world) -> None:
    settings, head, _client = world
    with session_scope(settings.database) as session:
        job_id = create_job(
            session, kind="compare_model", requested_by=head, now=utcnow(), params={"version": "x"}
        )
    assert run_job(settings.database, job_id, data_dir=settings.resolved_data_dir) == "failed"
    failed = in_session(settings.database, get_job, job_id=job_id)
    assert failed.message == "There is no such model: it may have been removed."
