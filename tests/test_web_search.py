"""Search over every notification (screened out too) by reference, name, date of birth,
postcode and address line; the audit of each search and view; the read-only page and a
manager's move to duty review; on SQLite and on the real PostgreSQL (the prefix ranges and
the "C" collation are PostgreSQL's own)."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from models.db import get_engine, session_scope
from models.search_store import index_missing, search
from models.search_tables import NotificationSummary, SearchTerm
from models.tables import AuditEvent, QueueItem
from tests.web_support import (
    add_user,
    client_for,
    make_settings,
    notification_body,
    post_form,
    seed,
    sign_in,
)

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def people(given: str, family: str, dob: str | None = None) -> list[dict]:
    victim = {"role": "victim", "given_name": given, "family_name": family}
    victim.update({"date_of_birth": dob} if dob else {"age": 30})
    return [victim, {"role": "suspect", "given_name": "Sam", "family_name": "Other", "age": 35}]


def seed_three(settings) -> dict[str, object]:
    out = seed(
        settings,
        notification_body("LE/26/000101", "Adults argued.", people=people("Zoë", "O'Brien-Smith",
                          "1990-01-02"), line1="4 Willow Close", postcode="LE3 9QP"),
        route="screened_out", priority=None, score=0.02,
    )  # fmt: skip
    duty = seed(
        settings,
        notification_body("LE/26/000102", "Her son (4) was present.", people=people("Ann",
                          "Smyth"), line1="12 Ash Road", postcode="LE4 2BB"),
        route="duty_review", priority="high", categories=["present"],
    )  # fmt: skip
    other_force = seed(
        settings,
        notification_body("LE/26/000101", "Adults argued.", people=people("Bob", "Jones"),
                          line1="Flat 2, 7 Elm Street", postcode="NN1 1AA"),
        route="screened_out", priority=None, score=0.01, source="Northants Police",
    )  # fmt: skip
    return {"out": out, "duty": duty, "other": other_force}


def found(settings, kind: str, query: str, similar: bool = False) -> set[uuid.UUID]:
    with session_scope(settings.database) as session:
        page = search(session, kind=kind, query=query, similar=similar)
    assert page.total == len(page.hits)
    return {h.notification_id for h in page.hits}


def check_every_kind(settings) -> None:
    s = seed_three(settings)
    out, duty, other = (s[k].notification_id for k in ("out", "duty", "other"))
    assert found(settings, "reference", "le/26/000101") == {out, other}
    assert found(settings, "reference", "LE/26/0001") == {out, duty, other}
    assert found(settings, "reference", "LE/27") == set()
    assert found(settings, "name", "zoe") == {out}
    assert found(settings, "name", "OBRIEN") == {out}
    assert found(settings, "name", "smith") == {out}
    assert found(settings, "name", "zoe smi") == {out}
    assert found(settings, "name", "zoe jones") == set()
    assert found(settings, "name", "smith", similar=True) == {out, duty}
    assert found(settings, "dob", "1990-01-02") == {out}
    assert found(settings, "dob", "1990-01-03") == set()
    assert found(settings, "postcode", "le3 9qp") == {out}
    assert found(settings, "postcode", "LE") == {out, duty}
    assert found(settings, "address", "4 willow") == {out}
    assert found(settings, "address", "willow close") == {out}
    assert found(settings, "address", "elm st") == {other}
    assert found(settings, "address", "flat 2 7 elm") == {other}
    assert found(settings, "name", "   ") == set()


def test_search_finds_every_notification_by_each_kind_on_sqlite(tmp_path: Path):
    check_every_kind(make_settings(tmp_path))


@pytest.fixture
def postgres_settings(tmp_path: Path):
    plain = PG_URL.replace("+psycopg", "")
    try:
        conn = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        pytest.skip("PostgreSQL unreachable (set TEST_DATABASE_URL)")
    schema = f"web_search_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        yield make_settings(tmp_path, url)
    finally:
        get_engine(url).dispose()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.mark.integration
def test_search_finds_every_notification_by_each_kind_on_postgresql(postgres_settings):
    check_every_kind(postgres_settings)


def test_index_missing_fills_what_intake_did_not(tmp_path: Path):
    settings = make_settings(tmp_path)
    s = seed_three(settings)
    with session_scope(settings.database) as session:
        session.execute(SearchTerm.__table__.delete())
        session.execute(NotificationSummary.__table__.delete())
    assert found(settings, "name", "zoe") == set()
    with session_scope(settings.database) as session:
        assert index_missing(session, batch=2) == 3
        assert index_missing(session) == 0
    assert found(settings, "name", "zoe") == {s["out"].notification_id}


def test_search_page_audits_without_the_words_and_links_to_the_right_page(tmp_path: Path):
    settings = make_settings(tmp_path)
    s = seed_three(settings)
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        page = client.get("/search", params={"by": "name", "q": "Smith", "similar": "1"})
        assert page.status_code == 200
        assert "2 notifications found" in page.text
        assert f'href="/items/{s["duty"].item_id}"' in page.text
        assert f'href="/notifications/{s["out"].notification_id}"' in page.text
        # The same reference from two forces: two rows, each with its force.
        page = client.get("/search", params={"by": "reference", "q": "LE/26/000101"})
        assert "test-force" in page.text and "Northants Police" in page.text
        dob = client.get("/search", params={"by": "dob", "dob-day": "2", "dob-month": "1",
                                            "dob-year": "1990"})  # fmt: skip
        assert "1 notification found" in dob.text
        bad = client.get("/search", params={"by": "dob", "dob-day": "31", "dob-month": "2",
                                            "dob-year": "1990"})  # fmt: skip
        assert bad.status_code == 400 and "Date of birth must be a real date" in bad.text
        assert 'href="#dob-day"' in bad.text and "govuk-error-message" in bad.text
        empty = client.get("/search", params={"by": "name", "q": ""})
        assert empty.status_code == 400 and "Enter a name" in empty.text
        view = client.get(f"/notifications/{s['out'].notification_id}")
        assert view.status_code == 200 and "Adults argued." in view.text
        assert "Move to duty review" not in view.text  # a duty worker may not
    with session_scope(settings.database) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    searches = [e for e in events if e.action == "searched"]
    assert [e.detail for e in searches] == [
        {"by": "name", "results": 2},
        {"by": "reference", "results": 2},
        {"by": "dob", "results": 1},
    ]
    text = repr([e.detail for e in events])
    assert "Smith" not in text and "1990" not in text
    viewed = [e for e in events if e.action == "viewed"]
    assert viewed[-1].notification_id == s["out"].notification_id


def test_a_manager_moves_a_screened_out_notification_to_duty_review(tmp_path: Path):
    settings = make_settings(tmp_path)
    s = seed_three(settings)
    add_user(settings, "mo", "manager")
    url = f"/notifications/{s['out'].notification_id}"
    with client_for(settings) as client:
        sign_in(client, "mo")
        assert "Move to duty review" in client.get(url).text
        refused = post_form(client, url + "/duty-review", url, {})
        assert refused.status_code == 400 and "Select a priority" in refused.text
        moved = post_form(client, url + "/duty-review", url, {"priority": "urgent"})
        assert moved.status_code == 303
        item_id = int(re.search(r"/items/(\d+)", moved.headers["location"]).group(1))
        # Now it has live work: no second move, and the search links to the item.
        assert "Move to duty review" not in client.get(url).text
        again = post_form(client, url + "/duty-review", url, {"priority": "high"})
        assert again.status_code == 400
        page = client.get("/search", params={"by": "reference", "q": "LE/26/000101"})
        assert f'href="/items/{item_id}"' in page.text
    with session_scope(settings.database) as session:
        item = session.get(QueueItem, item_id)
        assert (item.kind, item.priority, item.status) == ("duty_review", "urgent", "open")
        moves = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "moved_to_duty_review")
        ).all()
    assert [m.detail for m in moves] == [{"item": item_id, "priority": "urgent"}]


def test_a_duty_worker_cannot_move_and_an_admin_cannot_search(tmp_path: Path):
    settings = make_settings(tmp_path)
    s = seed_three(settings)
    add_user(settings, "dora", "duty_worker")
    add_user(settings, "ada", "admin")
    url = f"/notifications/{s['out'].notification_id}"
    with client_for(settings) as client:
        sign_in(client, "dora")
        response = post_form(client, url + "/duty-review", url, {"priority": "urgent"})
        assert response.status_code == 403
    with client_for(settings) as client:
        sign_in(client, "ada")
        assert client.get("/search", params={"by": "name", "q": "zoe"}).status_code == 403
