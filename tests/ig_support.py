"""Shared set-up of the information governance tests: a PostgreSQL schema of their own, people
with unique names in seeded notifications, decisions and samples made through the stores, and
a search of every text and JSON column of every table for a string."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from models.casework_store import record_decision
from models.db import get_engine, session_scope
from models.migrate import migrate
from models.queue_store import claim
from models.sampling_store import sample_verdict
from models.settings import Settings
from models.types import utcnow
from screening.policy import DEFAULT_POLICY
from tests.web_support import HOURS, notification_body, seed

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_schema(tmp: Path, prefix: str) -> Iterator[Settings]:
    """Settings on a fresh, migrated PostgreSQL schema (dropped afterwards)."""
    plain = PG_URL.replace("+psycopg", "")
    try:
        conn = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        pytest.skip("PostgreSQL unreachable (set TEST_DATABASE_URL)")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        # Plain HTTP: the test client sends no Secure cookie (as a deployment behind TLS would).
        settings = Settings(data_dir=tmp, database_url=url, plain_http=True)
        migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
        yield settings
    finally:
        get_engine(url).dispose()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    dob: str
    role: str = "victim"
    extra: tuple[tuple[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"role": self.role, "given_name": self.given, "family_name": self.family,
                "date_of_birth": self.dob, **dict(self.extra)}

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.given, self.family, self.dob)


def body_for(reference: str, people: list[Person], *, narrative: str, line1: str,
             postcode: str = "LE3 9QP") -> dict[str, Any]:
    return notification_body(reference, narrative, people=[p.as_json() for p in people],
                             line1=line1, postcode=postcode)


def decide(settings: Settings, item_id: int, user_id: int, outcome: str, reasoning: str,
           categories: list[str] | None = None) -> None:
    with session_scope(settings.database) as session:
        assert claim(session, item_id=item_id, user_id=user_id, now=utcnow())
        record_decision(session, item_id=item_id, user_id=user_id, outcome=outcome,
                        reasoning=reasoning, categories=categories or [], priority=None,
                        deadline_hours=HOURS, now=utcnow())


def verdict(settings: Settings, item_id: int, manager: int, outcome: str, reasoning: str) -> None:
    with session_scope(settings.database) as session:
        sample_verdict(session, item_id=item_id, manager_id=manager, outcome=outcome,
                       reasoning=reasoning,
                       categories=["household"] if outcome == "overturn" else [],
                       deadline_hours=HOURS, now=utcnow())


def seeded(settings: Settings, reference: str, people: list[Person], **kwargs: Any) -> Any:
    route = kwargs.pop("route")
    narrative = kwargs.pop("narrative")
    line1 = kwargs.pop("line1")
    postcode = kwargs.pop("postcode", "LE3 9QP")
    return seed(settings, body_for(reference, people, narrative=narrative, line1=line1,
                                   postcode=postcode), route=route, **kwargs)


def text_columns(settings: Settings) -> list[tuple[str, str]]:
    """(table, column) of every text, character and JSON column in the schema."""
    with get_engine(settings.database).connect() as conn:
        rows = conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'json', 'jsonb', 'character')"
        )).all()
    return [(str(t), str(c)) for t, c in rows if t != "alembic_version"]


def occurrences(settings: Settings, needle: str) -> list[tuple[str, str, int]]:
    """Where `needle` occurs (any case) in any text or JSON column: (table, column, rows)."""
    found = []
    with get_engine(settings.database).connect() as conn:
        for table, column in text_columns(settings):
            count = conn.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE :n'),
                {"n": f"%{needle}%"},
            ).scalar_one()
            if count:
                found.append((table, column, int(count)))
    return found
