"""A training job end to end on the production shape: the API under uvicorn on PostgreSQL queues
the job and answers at once (no worker is running yet, so nothing can have trained); the relay
hands it to a real Celery worker over real Redis; the models page's fragment shows it move and
end, and the new candidate is listed."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import update

from models.db import session_scope
from models.governance_tables import ModelEntry
from models.job_store import latest_jobs
from models.model_registry import list_models
from models.settings import Settings
from tests.intake_support import in_session
from tests.integration.pipeline_support import Pipeline, wait_until
from tests.job_support import seed_labels
from tests.web_support import PASSWORD, add_user, csrf_of

STATUS = re.compile(r'data-status="(\w+)"')


def _sign_in(client: httpx.Client, username: str) -> None:
    token = csrf_of(client.get("/login").text)
    signed = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert signed.status_code == 303, signed.text[:500]


@pytest.fixture
def retire_candidates(pipeline: Pipeline) -> Iterator[None]:
    """After the test, no candidate is left to score in shadow in the other tests' triage."""
    yield
    with session_scope(pipeline.database_url) as session:
        session.execute(
            update(ModelEntry).where(ModelEntry.status == "candidate").values(status="retired")
        )


def test_a_real_worker_runs_a_training_job_the_page_queued(
    pipeline: Pipeline, retire_candidates: None
) -> None:
    url = pipeline.database_url
    username = f"head-{uuid.uuid4().hex[:6]}"
    head = add_user(Settings(database_url=url), username, "head_of_safeguarding")
    seed_labels(url, 120, labelled_by=head, seed=11)
    pipeline.extra_env["DVSCREEN_PLAIN_HTTP"] = "true"  # the test signs in over http
    _api, base = pipeline.start_api()
    with httpx.Client(base_url=base, timeout=30) as client:
        _sign_in(client, username)
        token = csrf_of(client.get("/models").text)
        started = time.perf_counter()
        queued = client.post("/models/train", data={"csrf_token": token})
        elapsed = time.perf_counter() - started
        assert queued.status_code == 303 and "train_queued" in queued.headers["location"]
        assert elapsed < 2.0, f"the request took {elapsed:.1f} s"
        (job,) = in_session(url, latest_jobs, kinds=["train_model"])
        assert job.status == "queued"
        before = {m.version for m in in_session(url, list_models)}

        pipeline.start_worker(concurrency=2)
        seen: list[str] = []

        def finished() -> bool:
            fragment = client.get(f"/models/jobs/{job.id}")
            assert fragment.status_code == 200
            match = STATUS.search(fragment.text)
            assert match, fragment.text[:500]
            if not seen or seen[-1] != match.group(1):
                seen.append(match.group(1))
            return match.group(1) in ("succeeded", "failed")

        wait_until(finished, 240, "the training job to end", step=0.25)
        assert seen[-1] == "succeeded", (seen, client.get("/models").text[-2000:])
        assert seen[0] in ("queued", "running")
        (done,) = in_session(url, latest_jobs, kinds=["train_model"])
        assert done.result is not None and done.done == done.total == 3
        version = done.result["version"]
        assert {m.version for m in in_session(url, list_models)} - before == {version}
        page = client.get("/models").text
        assert f"Candidate {version} was trained on 120 labelled notifications." in page
        assert page.count(version) >= 2  # the job's result and the registry's new card
