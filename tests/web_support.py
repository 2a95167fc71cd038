"""Helpers for the web app tests: a migrated database, staff accounts and seeded work, all
made through the models/ store functions (no fakes), plus a signed-in TestClient."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.app import create_app
from api.web.passwords import hash_password
from models.contract import Evidence, Notification, ScreeningResult
from models.db import session_scope
from models.intake_store import canonical_hash, store_notification
from models.key_store import ensure_source
from models.migrate import migrate
from models.policy_store import StoredPolicy, active_policy_row
from models.settings import Settings
from models.staff_store import create_staff
from models.tables import QueueItem
from models.triage_store import record_result
from models.types import utcnow
from screening.policy import DEFAULT_POLICY

PASSWORD = "correct horse battery"
HOURS = {"urgent": 4, "high": 24, "normal": 72}


def make_settings(tmp: Path, database_url: str | None = None) -> Settings:
    settings = Settings(data_dir=tmp, database_url=database_url)
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    return settings


def add_user(settings: Settings, username: str, role: str, password: str = PASSWORD) -> int:
    with session_scope(settings.database) as session:
        return create_staff(
            session,
            username=username,
            password_hash=hash_password(password),
            role=role,
            now=utcnow(),
        ).id


def notification_body(
    reference: str,
    narrative: str,
    *,
    people: list[dict[str, Any]] | None = None,
    line1: str = "4 Willow Close",
    postcode: str = "LE3 9QP",
) -> dict[str, Any]:
    return {
        "reference": reference,
        "occurred_at": "2026-11-20T23:14:00+00:00",
        "incident_type": "incident",
        "address": {"line1": line1, "town": "Leicester", "postcode": postcode},
        "dash": {"level": "medium", "yes_count": 8},
        "people": people
        or [
            {"role": "victim", "given_name": "Jo", "family_name": "Bell", "age": 33},
            {"role": "suspect", "given_name": "Sam", "family_name": "Bell", "age": 35},
        ],
        "children_present": None,
        "children_in_household": None,
        "narrative": narrative,
    }


def span(narrative: str, phrase: str, category: str, rule: str = "test_rule") -> Evidence:
    start = narrative.index(phrase)
    return Evidence(
        source="narrative",
        start=start,
        end=start + len(phrase),
        text=phrase,
        rule=rule,
        category=category,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Seeded:
    notification_id: uuid.UUID
    item_id: int | None


def seed(
    settings: Settings,
    body: dict[str, Any],
    *,
    route: str,
    priority: str | None,
    categories: list[str] = (),  # type: ignore[assignment]
    evidence: list[Evidence] = (),  # type: ignore[assignment]
    score: float = 0.9,
    sample_share: float = 0.0,
    source: str = "test-force",
) -> Seeded:
    """Store a notification and its result (and queue item) the way intake and triage do."""
    url = settings.database
    doc = Notification.model_validate(body)
    raw = json.dumps(body)
    with session_scope(url) as session:
        source_id = ensure_source(session, name=source)
        stored = store_notification(
            session,
            source_id=source_id,
            notification=doc,
            raw_json=raw,
            body_hash=canonical_hash(body),
        )
    result = ScreeningResult(
        reference=doc.reference,
        route=route,  # type: ignore[arg-type]
        priority=priority,  # type: ignore[arg-type]
        score=score,
        categories=list(categories),  # type: ignore[arg-type]
        evidence=list(evidence),
        reasons=[f"seeded for a test: {route}"],
        policy_version=1,
        model_version="test-model",
    )
    with session_scope(url) as session:
        record_result(
            session,
            notification_id=stored.id,
            result=result,
            deadline_hours=HOURS,
            sample_share=sample_share,
        )
        item_id = session.scalar(
            select(QueueItem.id)
            .where(QueueItem.notification_id == stored.id)
            .order_by(QueueItem.id.desc())
        )
    return Seeded(stored.id, item_id)


def set_deadline(settings: Settings, item_id: int, deadline: datetime) -> None:
    with session_scope(settings.database) as session:
        session.execute(
            update(QueueItem).where(QueueItem.id == item_id).values(deadline_at=deadline)
        )


def overdue_by(hours: float) -> datetime:
    return utcnow() - timedelta(hours=hours)


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def client_for(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), follow_redirects=False)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )


def post_form(client: TestClient, url: str, page_url: str, data: dict[str, Any]) -> Any:
    """POST a form with the CSRF token taken from the page it sits on."""
    page = client.get(page_url)
    return client.post(url, data={**data, "csrf_token": csrf_of(page.text)})


def stored_policy(url: str) -> StoredPolicy | None:
    """The stored active policy version, as the pipeline reads it."""
    with session_scope(url) as session:
        return active_policy_row(session)
