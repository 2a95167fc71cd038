"""The contacts feed on real PostgreSQL: its contract (fields and types as docs/contacts-feed.md
documents them), paging (a cursor resumes exactly once, in a stable order, with decisions made
while paging appearing once), the consumer credential, the audit of what was handed over, and
the manager's CSV export."""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from models.audit import staff_actor
from models.casework_store import record_decision, sign_off
from models.consumer_key_store import create_consumer_key, revoke_consumer_keys
from models.contacts_store import OUTCOME_KEYS
from models.db import get_engine, session_scope
from models.key_store import create_key
from models.migrate import migrate
from models.queue_store import claim
from models.review_tables import DecisionRecord
from models.settings import Settings
from models.tables import AuditEvent
from models.types import utcnow
from screening.policy import DEFAULT_POLICY
from tests.web_support import (
    HOURS,
    add_user,
    client_for,
    notification_body,
    seed,
    sign_in,
)

DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHILDREN = [
    {"role": "victim", "given_name": "Jo", "family_name": "Bell", "age": 33},
    {"role": "suspect", "given_name": "Sam", "family_name": "Bell", "age": 35},
    {"role": "child", "given_name": "Ava", "family_name": "Bell", "date_of_birth": "2020-05-01"},
    {"role": "child", "given_name": "Max", "family_name": "Bell", "age": 9},
]


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    schema = f"dvs_contacts_{uuid.uuid4().hex[:10]}"
    plain = DATABASE_URL.replace("+psycopg", "")
    try:
        connection = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable ({type(error).__name__})")
        pytest.skip(f"PostgreSQL unreachable ({type(error).__name__})")
    with connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{DATABASE_URL}?options=-csearch_path%3D{schema}"
    settings = Settings(data_dir=tmp_path, database_url=url, plain_http=True)
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    yield settings
    get_engine(url).dispose()
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def consumer_key(settings: Settings, name: str = "Case management") -> str:
    with session_scope(settings.database) as session:
        return create_consumer_key(session, consumer=name, now=utcnow())


def decide(settings: Settings, item_id: int, user_id: int, outcome: str) -> None:
    with session_scope(settings.database) as session:
        assert claim(session, item_id=item_id, user_id=user_id, now=utcnow())
        record_decision(
            session,
            item_id=item_id,
            user_id=user_id,
            outcome=outcome,
            reasoning="Seen and decided for a test.",
            categories=["household"],
            priority=None,
            deadline_hours=HOURS,
            now=utcnow(),
        )


def decided(settings: Settings, reference: str, worker: int, outcome: str, people=None) -> str:
    seeded = seed(
        settings,
        notification_body(reference, "Officers attended.", people=people),
        route="duty_review",
        priority="high",
        categories=["household"],
    )
    assert seeded.item_id is not None
    decide(settings, seeded.item_id, worker, outcome)
    return str(seeded.notification_id)


def page(client: Any, key: str, **params: Any) -> Any:
    return client.get("/v1/contacts", params=params, headers={"Authorization": f"Bearer {key}"})


def every_contact(client: Any, key: str, since: str | None = None, limit: int = 2) -> tuple:
    seen: list[dict[str, Any]] = []
    cursor = since
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["since"] = cursor
        body = page(client, key, **params).json()
        seen.extend(body["contacts"])
        cursor = body["next"]
        if not body["more"]:
            return seen, cursor


def test_a_decided_notification_is_one_contact_per_child_with_the_documented_fields(settings):
    worker = add_user(settings, "worker", "duty_worker")
    notification_id = decided(settings, "CT/1", worker, "refer_for_assessment", CHILDREN)
    client = client_for(settings)
    response = page(client, consumer_key(settings))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"contacts", "next", "more", "links"}
    contacts = body["contacts"]
    assert [c["child"]["given_name"] for c in contacts] == ["Ava", "Max"]
    first = contacts[0]
    assert set(first) == {
        "cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_code",
        "cont_contact_source_desc", "cont_contact_outcome_json", "nfa_flag", "outcome",
        "decided_at", "notification", "child",
    }
    assert first["cont_contact_source_code"] == "6"
    assert first["cont_contact_source_desc"] == "Police"
    assert isinstance(first["cont_contact_id"], str) and isinstance(first["cont_person_id"], str)
    assert first["cont_contact_id"] != contacts[1]["cont_contact_id"]
    datetime.fromisoformat(first["cont_contact_date"])
    datetime.fromisoformat(first["decided_at"])
    flags = first["cont_contact_outcome_json"]
    assert list(flags) == list(OUTCOME_KEYS)
    assert flags["NEW_REFERRAL_FLAG"] == "Y" and flags["NFA_FLAG"] == "N"
    assert set(flags.values()) <= {"Y", "N"}
    assert first["nfa_flag"] is False and first["outcome"] == "refer_for_assessment"
    assert first["notification"] == {
        "id": notification_id, "reference": "CT/1", "source": "test-force",
    }
    assert first["child"]["date_of_birth"] == "2020-05-01" and first["child"]["age"] == 6
    assert contacts[1]["child"]["age"] == 9 and contacts[1]["child"]["date_of_birth"] is None


def test_no_further_action_sets_the_flag_and_a_notification_without_children_is_one_row(settings):
    worker = add_user(settings, "worker", "duty_worker")
    manager = add_user(settings, "manager", "manager")
    seeded = seed(
        settings,
        notification_body("CT/NFA", "Officers attended."),
        route="duty_review",
        priority="normal",
        categories=["household"],
    )
    assert seeded.item_id is not None
    decide(settings, seeded.item_id, worker, "no_further_action")
    client = client_for(settings)
    key = consumer_key(settings)
    assert page(client, key).json()["contacts"] == []  # waiting for sign-off: not decided yet
    with session_scope(settings.database) as session:
        decision_id = session.scalar(
            select(DecisionRecord.id).where(
                DecisionRecord.notification_id == seeded.notification_id
            )
        )
        sign_off(
            session, decision_id=decision_id, manager_id=manager, approve=True, note="",
            now=utcnow(),
        )
    contacts = page(client, key).json()["contacts"]
    assert len(contacts) == 1
    assert contacts[0]["child"] is None and contacts[0]["cont_person_id"] is None
    assert contacts[0]["nfa_flag"] is True
    assert contacts[0]["cont_contact_outcome_json"]["NFA_FLAG"] == "Y"


def test_paging_resumes_exactly_once_in_a_stable_order_with_new_decisions_appearing_once(settings):
    worker = add_user(settings, "worker", "duty_worker")
    for n in range(5):
        decided(settings, f"PG/{n}", worker, "refer_for_assessment", CHILDREN[:3])
    client = client_for(settings)
    key = consumer_key(settings)
    first = page(client, key, limit=2).json()
    assert len(first["contacts"]) == 2 and first["more"] is True
    # Decisions made while the consumer pages come after what it has seen, once each.
    decided(settings, "PG/late-1", worker, "early_help", CHILDREN[:3])
    rest, cursor = every_contact(client, key, since=first["next"])
    decided(settings, "PG/late-2", worker, "strategy_discussion", CHILDREN[:3])
    after, last = every_contact(client, key, since=cursor)
    ids = [c["cont_contact_id"] for c in first["contacts"] + rest + after]
    assert len(ids) == len(set(ids)) == 7
    references = [c["notification"]["reference"] for c in first["contacts"] + rest + after]
    assert references[-2:] == ["PG/late-1", "PG/late-2"]
    # The whole feed read again from the start is the same list in the same order.
    again, _ = every_contact(client, key, limit=3)
    assert [c["cont_contact_id"] for c in again] == ids
    # Resuming from the last cursor with nothing new returns nothing and keeps the cursor.
    final = page(client, key, since=last).json()
    assert final["contacts"] == [] and final["more"] is False and final["next"] == last


def test_police_keys_are_refused_and_only_a_live_consumer_key_reads(settings):
    client = client_for(settings)
    with session_scope(settings.database) as session:
        police = create_key(session, source_name="Some Police")
    refused = page(client, police)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert page(client, "dvc_nope_nope").status_code == 401
    assert client.get("/v1/contacts").status_code == 401
    key = consumer_key(settings)
    assert page(client, key).status_code == 200
    with session_scope(settings.database) as session:
        assert revoke_consumer_keys(session, prefix=key, now=utcnow()) == 1
    assert page(client, key).status_code == 401
    problem = page(client, consumer_key(settings), since="yesterday")
    assert problem.status_code == 422 and problem.json()["errors"][0]["path"] == "since"


def test_what_was_handed_over_is_audited_per_notification(settings):
    worker = add_user(settings, "worker", "duty_worker")
    notification_id = decided(settings, "AU/1", worker, "refer_for_assessment", CHILDREN)
    client = client_for(settings)
    page(client, consumer_key(settings))
    with session_scope(settings.database) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contacts_handed_over")
        ).all()
    assert len(events) == 1
    assert str(events[0].notification_id) == notification_id
    assert events[0].actor.startswith("consumer:")
    assert len(events[0].detail["contacts"]) == 2


def test_a_manager_downloads_the_contacts_as_csv_and_it_is_audited(settings):
    worker = add_user(settings, "worker", "duty_worker")
    manager = add_user(settings, "manager", "manager")
    decided(settings, "CSV/1", worker, "refer_for_assessment", CHILDREN)
    client = client_for(settings)
    sign_in(client, "worker")
    assert client.get("/contacts.csv").status_code == 403
    client = client_for(settings)
    sign_in(client, "manager")
    response = client.get("/contacts.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["child_given_name"] for r in rows] == ["Ava", "Max"]
    assert rows[0]["cont_contact_source_code"] == "6" and rows[0]["nfa_flag"] == "N"
    with session_scope(settings.database) as session:
        actors = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "contacts_exported")
        ).all()
    assert actors == [staff_actor(manager)]


def test_the_command_line_makes_a_consumer_key_that_reads_the_feed(settings, monkeypatch, capsys):
    import dvscreen

    monkeypatch.setenv("DATABASE_URL", settings.database)
    monkeypatch.setenv("DVSCREEN_DATA_DIR", str(settings.data_dir))
    assert dvscreen.main(["apikeys", "create", "--consumer", "Case management"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("dvc_")
    assert page(client_for(settings), key).status_code == 200
    assert dvscreen.main(["apikeys", "list"]) == 0
    assert "consumer: Case management" in capsys.readouterr().out
    assert dvscreen.main(["apikeys", "revoke", "--prefix", key]) == 0
    assert page(client_for(settings), key).status_code == 401


def test_readers_syncing_at_once_number_each_contact_once(settings):
    import threading

    from models.contacts_store import contacts_after

    worker = add_user(settings, "worker", "duty_worker")
    for n in range(6):
        decided(settings, f"TH/{n}", worker, "refer_for_assessment", CHILDREN[:3])
    barrier = threading.Barrier(4)
    seen: list[list[str]] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            barrier.wait()
            with session_scope(settings.database) as session:
                found = contacts_after(session, position=0, limit=100, now=utcnow())
                seen.append([c.contact_id for c in found])
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert len(seen) == 4 and all(ids == seen[0] for ids in seen) and len(seen[0]) == 6


def test_since_a_date_time_starts_with_the_contacts_handed_over_from_then(settings):
    worker = add_user(settings, "worker", "duty_worker")
    decided(settings, "DT/1", worker, "refer_for_assessment", CHILDREN[:3])
    client = client_for(settings)
    key = consumer_key(settings)
    everything = page(client, key, since="2000-01-01T00:00:00Z").json()
    assert [c["notification"]["reference"] for c in everything["contacts"]] == ["DT/1"]
    later = page(client, key, since="2999-01-01T00:00:00+00:00").json()
    assert later["contacts"] == [] and later["next"] == everything["next"]
    assert page(client, key, since="2026-11-20T10:00:00").status_code == 422  # no offset
