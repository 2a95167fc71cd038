"""Running the real pipeline for integration tests: the API under uvicorn, Celery worker and
beat processes, and a private redis-server, all as child processes of the test run.

Nothing here is a fake: PostgreSQL and Redis are the servers on this machine; each test run
gets its own PostgreSQL schema and its own Celery queue name.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, func, select, text

from models.tables import AuditEvent, NotificationRecord, QueueItem, TriageResult

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
HOW_TO_START = (
    "start them with `docker compose up -d postgres redis` (or set TEST_DATABASE_URL and "
    "TEST_REDIS_URL to servers that are running)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, step: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a Celery worker and its pool children)."""
        if self.alive():
            os.killpg(self.popen.pid, sig)
        self.popen.wait(30)

    def stop(self, timeout: float = 20) -> None:
        if not self.alive():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)


@dataclass
class Pipeline:
    """Processes and settings of one test run's pipeline."""

    database_url: str
    broker_url: str
    workdir: Path
    queue: str = field(default_factory=lambda: f"dvscreen-test-{uuid.uuid4().hex[:8]}")
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.database_url, pool_size=2)
        return self._engine

    def env(self, **overrides: str) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "BROKER_URL": self.broker_url,
            "DVSCREEN_DATA_DIR": str(self.workdir),
            "DVSCREEN_QUEUE": self.queue,
            # The sweep's interval and grace are the production defaults (5 s, 15 s): the
            # fault tests check the recovery bound the README states.
            "DVSCREEN_TRIAGE_RETRY_BASE_SECONDS": "0.2",
            "DVSCREEN_TRIAGE_RETRY_MAX_SECONDS": "1",
            **self.extra_env,
        }
        env.update(overrides)
        return env

    def _spawn(self, name: str, command: list[str], **env: str) -> Process:
        log = self.workdir / f"{name}-{len(self.processes)}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(**env),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be killed whole
        )
        handle.close()
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_relay(self) -> Process:
        """The outbox relay in its own process (as in production), sweeping for lost messages."""
        command = [sys.executable, str(ROOT / "dvscreen.py"), "relay"]
        relay = self._spawn("relay", command)
        wait_until(
            lambda: "outbox relay started" in relay.output() or not relay.alive(),
            30,
            "the relay to start",
        )
        assert relay.alive(), relay.output()[-3000:]
        return relay

    def has_live(self, name: str) -> bool:
        return any(p.name == name and p.alive() for p in self.processes)

    def start_worker(self, concurrency: int = 2, relay: bool = True, **env: str) -> Process:
        """A Celery worker; with `relay`, also a relay process unless one is running."""
        if relay and not self.has_live("relay"):
            self.start_relay()
        command = [
            sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker",
            "--loglevel=INFO", "-Q", self.queue, f"--concurrency={concurrency}",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            f"--hostname=test-{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        worker = self._spawn("worker", command, **env)
        wait_until(
            lambda: " ready." in worker.output() or not worker.alive(), 60, "the worker to start"
        )
        assert worker.alive(), worker.output()[-3000:]
        return worker

    def start_beat(self) -> Process:
        schedule = self.workdir / f"beat-{uuid.uuid4().hex[:6]}"
        command = [
            sys.executable, "-m", "celery", "-A", "workers.celery_app", "beat",
            "--loglevel=INFO", f"--schedule={schedule}",
        ]  # fmt: skip
        return self._spawn("beat", command)

    def start_api(self) -> tuple[Process, str]:
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
            "--host", "127.0.0.1", f"--port={port}", "--log-level=warning", "--no-access-log",
        ]  # fmt: skip
        api = self._spawn("api", command)
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(base + "/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 30, "the API to start")
        return api, base

    def triaged_at(self) -> dict[str, Any]:
        """reference -> triaged_at (None while not triaged)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(NotificationRecord.reference, NotificationRecord.triaged_at)
            )
            return {reference: at for reference, at in rows}

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()

    # --- what the database says -------------------------------------------------------

    def status_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(NotificationRecord.status, func.count()).group_by(NotificationRecord.status)
            ).all()
        return {status: int(count) for status, count in rows}

    def triaged(self) -> int:
        return self.status_counts().get("triaged", 0)

    def wait_all_triaged(self, expected: int, timeout: float) -> None:
        wait_until(
            lambda: self.triaged() >= expected,
            timeout,
            f"{expected} notifications triaged (have {self.status_counts()})",
            step=0.5,
        )

    def assert_exactly_once(self, expected: int) -> None:
        """Every notification triaged, with exactly one result, one triage audit event and
        exactly one queue item when routed to a person."""
        with self.engine.connect() as connection:
            notifications = connection.execute(select(func.count()).select_from(NotificationRecord))
            assert notifications.scalar() == expected
            statuses = connection.execute(
                select(NotificationRecord.status, func.count()).group_by(NotificationRecord.status)
            ).all()
            assert dict(statuses) == {"triaged": expected}
            per_notification = connection.execute(
                select(TriageResult.notification_id, func.count())
                .group_by(TriageResult.notification_id)
                .having(func.count() > 1)
            ).all()
            assert per_notification == []
            results = connection.execute(select(func.count()).select_from(TriageResult)).scalar()
            assert results == expected
            events = connection.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "notification_triaged")
            ).scalar()
            assert events == expected
            routed = connection.execute(
                select(func.count())
                .select_from(TriageResult)
                .where(TriageResult.route.in_(["duty_review", "triage_check"]))
            ).scalar()
            items = connection.execute(
                select(func.count())
                .select_from(QueueItem)
                .where(QueueItem.kind.in_(["duty_review", "triage_check"]))
            ).scalar()
            assert items == routed
            doubled = connection.execute(
                select(QueueItem.notification_id, func.count())
                .group_by(QueueItem.notification_id)
                .having(func.count() > 1)
            ).all()
            assert doubled == []

    def clean(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                text(
                    "TRUNCATE audit_events, queue_items, triage_results, outbox, notifications "
                    "RESTART IDENTITY CASCADE"
                )
            )


@dataclass
class RedisServer:
    """A private redis-server (noeviction) that a test may stop and start: append-only when
    `persist`, else it comes back empty after every restart."""

    workdir: Path
    port: int = field(default_factory=free_port)
    popen: subprocess.Popen[bytes] | None = None
    persist: bool = True

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.popen = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.workdir),
                "--appendonly",
                "yes" if self.persist else "no",
                "--maxmemory-policy",
                "noeviction",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        import redis

        def up() -> bool:
            try:
                return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
            except redis.RedisError:
                return False

        wait_until(up, 15, "redis-server to start")

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()  # SHUTDOWN: writes the append-only file (when persisting)
            self.popen.wait(15)
        self.popen = None

    def kill(self) -> None:
        """SIGKILL: whatever was not yet on disk is gone."""
        if self.popen is not None and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(15)
        self.popen = None


def post_json(client: httpx.Client, url: str, body: Any, key: str) -> httpx.Response:
    return client.post(url, json=body, headers={"Authorization": f"Bearer {key}"})
