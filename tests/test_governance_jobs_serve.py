"""Background jobs under `make run` (`dvscreen serve`: embedded SQLite, the filesystem broker, the
worker and the relay started with the API): a training job queued from the models page runs in
that worker and the page shows it succeed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from models.settings import Settings
from tests.intake_support import migrated_settings
from tests.integration.pipeline_support import free_port, wait_until
from tests.job_support import seed_labels
from tests.web_support import PASSWORD, add_user, csrf_of

ROOT = Path(__file__).resolve().parents[1]
STATUS = re.compile(r'data-status="(\w+)"')


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DVSCREEN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "BROKER_URL"):
        env.pop(name, None)
    with (data_dir / "serve.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "dvscreen.py"), "serve", "--port", str(port)],
            env=env,
            cwd=data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _up(base: str) -> bool:
    try:
        return httpx.get(base + "/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.timeout(300)
def test_a_training_job_runs_under_dvscreen_serve(tmp_path: Path) -> None:
    settings: Settings = migrated_settings(tmp_path)
    head = add_user(settings, "hana", "head_of_safeguarding")
    seed_labels(settings.database, 100, labelled_by=head, seed=5)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = _serve(tmp_path, port)
    try:
        wait_until(lambda: _up(base), 60, "dvscreen serve to answer")
        with httpx.Client(base_url=base, timeout=30) as client:
            token = csrf_of(client.get("/login").text)
            signed = client.post(
                "/login", data={"username": "hana", "password": PASSWORD, "csrf_token": token}
            )
            assert signed.status_code == 303
            token = csrf_of(client.get("/models").text)
            queued = client.post("/models/train", data={"csrf_token": token})
            assert queued.status_code == 303 and "train_queued" in queued.headers["location"]
            job_id = re.search(r'data-job="(\d+)"', client.get("/models").text)
            assert job_id, "the models page shows no job"
            fragment = f"/models/jobs/{job_id.group(1)}"

            def ended() -> bool:
                match = STATUS.search(client.get(fragment).text)
                return bool(match) and match.group(1) in ("succeeded", "failed")

            log = tmp_path / "serve.log"
            wait_until(ended, 240, "the job to end under dvscreen serve", step=0.5)
            page = client.get("/models").text
            assert 'data-status="succeeded"' in page, log.read_text()[-3000:]
            assert "was trained on 100 labelled notifications" in page
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(60)
        finally:
            try:
                os.killpg(serve.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
