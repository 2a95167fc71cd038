"""A slow sign-in holds up no one else: the app under a real uvicorn server, a sign-in kept
waiting on the database (another connection holds SQLite's write lock), and a second request
that is answered at once meanwhile."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from tests.browser.conftest import Server
from tests.web_support import PASSWORD, add_user, csrf_of, make_settings


def test_a_sign_in_waiting_on_the_database_does_not_block_other_requests(tmp_path: Path):
    settings = make_settings(tmp_path)
    add_user(settings, "duty1", "duty_worker")
    database = make_url(settings.database).database
    assert database is not None
    with Server(settings) as server, httpx.Client(base_url=server.base, timeout=60) as client:
        token = csrf_of(client.get("/login").text)
        lock = sqlite3.connect(database, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # the sign-in's transaction now waits for this one
        answers: list[httpx.Response] = []
        signing_in = threading.Thread(
            target=lambda: answers.append(
                client.post(
                    "/login",
                    data={"username": "duty1", "password": PASSWORD, "csrf_token": token},
                )
            )
        )
        try:
            signing_in.start()
            time.sleep(1.0)  # the sign-in is inside its database wait by now
            assert signing_in.is_alive() and not answers
            started = time.monotonic()
            with httpx.Client(base_url=server.base, timeout=10) as other:
                health = other.get("/healthz")
                page = other.get("/login")
            elapsed = time.monotonic() - started
            assert (health.status_code, page.status_code) == (200, 200)
            assert elapsed < 2.0, f"another request waited {elapsed:.1f} s behind a sign-in"
            assert signing_in.is_alive(), "the sign-in should still be waiting on the lock"
        finally:
            lock.execute("ROLLBACK")
            lock.close()
            signing_in.join(60)
    assert [r.status_code for r in answers] == [303]
    assert answers[0].headers["location"] == "/queue"
