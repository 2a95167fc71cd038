"""The commands on the embedded default (SQLite, filesystem broker): `apikeys`, `migrate`,
`replay`, and `serve` running the API with a real Celery worker, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.notification_factory import make_notification

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "DVSCREEN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "BROKER_URL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, str(ROOT / "dvscreen.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=data_dir,
    )


def test_apikeys_create_prints_the_key_alone_then_revoke(tmp_path):
    created = run(["apikeys", "create", "--source", "Test Police"], tmp_path)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert created.stdout == key + "\n" and key.startswith("dvs_")
    assert (tmp_path / "dvscreen.db").exists()  # created and migrated on first use
    listed = run(["apikeys", "list"], tmp_path)
    prefix = key.split("_")[1]
    assert prefix in listed.stdout and key not in listed.stdout
    revoked = run(["apikeys", "revoke", "--prefix", prefix], tmp_path)
    assert revoked.returncode == 0 and "revoked 1" in revoked.stderr
    assert "revoked" in run(["apikeys", "list"], tmp_path).stdout
    assert run(["apikeys", "revoke", "--prefix", prefix], tmp_path).returncode == 1


def test_migrate_and_replay_with_nothing_failed(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    replay = run(["replay"], tmp_path)
    assert replay.returncode == 0 and "requeued 0" in replay.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.timeout(180)
def test_serve_triages_on_the_embedded_default_and_stops_on_sigterm(tmp_path):
    key = run(["apikeys", "create", "--source", "Test Police"], tmp_path).stdout.strip()
    port = _free_port()
    env = {**os.environ, "DVSCREEN_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "BROKER_URL"):
        env.pop(name, None)
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, str(ROOT / "dvscreen.py"), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        ids = [
            httpx.post(
                base + "/v1/notifications",
                json=make_notification(f"S/{i}", seed=i),
                headers=headers,
            ).json()["id"]
            for i in range(5)
        ]
        deadline = time.monotonic() + 90
        states: list[str] = []
        while time.monotonic() < deadline:
            states = [
                httpx.get(f"{base}/v1/notifications/{i}", headers=headers).json()["status"]
                for i in ids
            ]
            if states == ["triaged"] * 5:
                break
            time.sleep(0.5)
        assert states == ["triaged"] * 5, (tmp_path / "serve.log").read_text()[-3000:]
        output = (tmp_path / "serve.log").read_text()
        assert f"http://127.0.0.1:{port}" in output and "apikeys create" in output
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(60)
        finally:
            if _group_alive(serve.pid):
                os.killpg(serve.pid, signal.SIGKILL)
    assert code == 0
    deadline = time.monotonic() + 30
    while _group_alive(serve.pid) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _group_alive(serve.pid), "the worker outlived `dvscreen serve`"
