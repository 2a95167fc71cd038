"""Concurrent claims: of many people pressing "Claim" on one item at once, exactly one gets it.

Threads race on a real database file (SQLite), through the HTTP app and through the store, and
on PostgreSQL (TEST_DATABASE_URL, a schema of its own) when it is reachable.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from models.db import session_scope
from models.queue_store import claim
from models.tables import AuditEvent, QueueItem
from models.types import utcnow
from tests.web_support import (
    add_user,
    client_for,
    make_settings,
    notification_body,
    post_form,
    seed,
    sign_in,
)

WORKERS = 8
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def race(count: int, attempt: Callable[[int], bool]) -> list[bool]:
    barrier = threading.Barrier(count)

    def run(n: int) -> bool:
        barrier.wait()
        return attempt(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def claim_race(settings, rounds: int = 5) -> None:
    users = [add_user(settings, f"worker{n}", "duty_worker") for n in range(WORKERS)]
    for r in range(rounds):
        item = seed(
            settings,
            notification_body(f"C/{r}", "The IP's son (4) was present."),
            route="duty_review",
            priority="high",
            categories=["present"],
        )

        def attempt(n: int, item_id: int = item.item_id) -> bool:
            with session_scope(settings.database) as session:
                return claim(session, item_id=item_id, user_id=users[n], now=utcnow())

        results = race(WORKERS, attempt)
        assert results.count(True) == 1, results
        with session_scope(settings.database) as session:
            row = session.get(QueueItem, item.item_id)
            assert row.status == "claimed"
            assert row.claimed_by == users[results.index(True)]


def test_concurrent_claims_on_a_sqlite_file(tmp_path: Path):
    claim_race(make_settings(tmp_path))


def test_concurrent_claims_through_the_web_app(tmp_path: Path):
    settings = make_settings(tmp_path)
    item = seed(
        settings,
        notification_body("W/1", "The IP's son (4) was present."),
        route="duty_review",
        priority="urgent",
        categories=["present"],
    )
    clients = []
    for n in range(WORKERS):
        add_user(settings, f"worker{n}", "duty_worker")
        client = client_for(settings)
        sign_in(client, f"worker{n}")
        clients.append(client)
    url = f"/items/{item.item_id}"
    pages = [c.get(url).text for c in clients]

    def attempt(n: int) -> bool:
        import re

        token = re.search(r'name="csrf_token" value="([^"]+)"', pages[n]).group(1)
        response = clients[n].post(url + "/claim", data={"csrf_token": token})
        assert response.status_code in (303, 409)
        return response.status_code == 303

    results = race(WORKERS, attempt)
    assert results.count(True) == 1
    loser = clients[results.index(False)]
    assert (
        "Someone else has already claimed this item"
        in post_form(loser, url + "/claim", url, {}).text
    )
    with session_scope(settings.database) as session:
        claims = session.scalars(select(AuditEvent).where(AuditEvent.action == "claimed")).all()
    assert len(claims) == 1
    for client in clients:
        client.close()


@pytest.fixture
def postgres_settings(tmp_path: Path):
    plain = PG_URL.replace("+psycopg", "")
    try:
        conn = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        pytest.skip("PostgreSQL unreachable (set TEST_DATABASE_URL)")
    schema = f"web_claims_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        yield make_settings(tmp_path, url)
    finally:
        from models.db import get_engine

        get_engine(url).dispose()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.mark.integration
def test_concurrent_claims_on_postgresql(postgres_settings):
    claim_race(postgres_settings)
