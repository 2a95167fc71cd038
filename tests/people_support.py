"""Helpers for the people index tests: a migrated database on SQLite or a PostgreSQL schema of
its own, and notifications stored through the intake store (no fakes)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from models.contract import Notification
from models.db import get_engine, session_scope
from models.intake_store import canonical_hash, store_notification
from models.key_store import ensure_source
from models.settings import Settings
from tests.web_support import make_settings

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def backend_settings(kind: str, tmp_path: Path) -> Iterator[Settings]:
    """Migrated settings on SQLite (`sqlite`) or a fresh PostgreSQL schema (`postgresql`)."""
    if kind == "sqlite":
        yield make_settings(tmp_path)
        return
    plain = PG_URL.replace("+psycopg", "")
    try:
        conn = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        pytest.skip("PostgreSQL unreachable (set TEST_DATABASE_URL)")
    schema = f"people_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    try:  # plain HTTP: the test client signs in without TLS
        yield make_settings(tmp_path, url).model_copy(update={"plain_http": True})
    finally:
        get_engine(url).dispose()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def store(url: str, document: dict[str, Any], source: str = "Test Constabulary") -> uuid.UUID:
    """Store one notification as intake would; its id."""
    notification = Notification.model_validate(document)
    with session_scope(url) as session:
        source_id = ensure_source(session, name=source)
        return store_notification(
            session, source_id=source_id, notification=notification, raw_json=
            notification.model_dump_json(exclude_none=True), body_hash=canonical_hash(document),
        ).id


def person(role: str, given: str, family: str, **fields: Any) -> dict[str, Any]:
    return {"role": role, "given_name": given, "family_name": family, **fields}


def incident(
    reference: str, people: list[dict[str, Any]], *, when: str = "2026-03-01T21:00:00+00:00",
    line1: str = "4 Willow Close", postcode: str = "LE3 9QP", narrative: str | None = None,
    children: bool | None = None,
) -> dict[str, Any]:
    return {
        "reference": reference, "occurred_at": when, "incident_type": "incident",
        "address": {"line1": line1, "town": "Leicester", "postcode": postcode},
        "people": people, "children_present": children, "children_in_household": children,
        "narrative": narrative or ("Officers attended a verbal argument between the two adults. "
                                   "No one else was present at the address."),
    }
