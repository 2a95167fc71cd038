"""Intake against hostile or absurd bodies: every one is a 4xx with a clear detail, never a 500.

Nesting, NaN and Infinity, NUL characters, out-of-range numbers and dates, reported_at before
occurred_at, and the postcode's normal form deciding idempotency.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.json_body import MAX_DEPTH
from models.key_store import create_key
from models.settings import Settings
from tests.intake_support import in_session, migrated_settings
from tests.notification_factory import make_notification


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return migrated_settings(tmp_path)


@pytest.fixture
def key(settings: Settings) -> str:
    return in_session(settings.database, create_key, source_name="Test Constabulary")


@pytest.fixture
def client(settings: Settings) -> TestClient:
    # raise_server_exceptions=False: a 500 must show as a 500 here, not as a test error.
    return TestClient(create_app(settings), raise_server_exceptions=False)


def post_raw(client: TestClient, key: str, body: bytes | str, path: str = "/v1/notifications"):
    return client.post(
        path,
        content=body,
        headers={"Authorization": f"Bearer {key}", "content-type": "application/json"},
    )


def post(client: TestClient, key: str, body: object, path: str = "/v1/notifications"):
    return post_raw(client, key, json.dumps(body), path)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_deeply_nested_bodies_are_422_and_the_connection_keeps_working(client, key, depth):
    body = "[" * depth + "]" * depth
    for path in ("/v1/notifications", "/v1/notifications/batch"):
        response = post_raw(client, key, body, path)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert f"more than {MAX_DEPTH} levels deep" in response.json()["detail"]
    nested_field = make_notification("D/1")
    nested_field["narrative"] = json.loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert post(client, key, nested_field).status_code == 422
    # The same client (connection) goes on to a normal request.
    assert post(client, key, make_notification("D/2")).status_code == 202


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client, key, literal):
    text = json.dumps(make_notification("N/1")).replace(
        '"previous_incidents": null', ""
    )
    text = text[:-1] + f', "previous_incidents": {literal}}}'
    response = post_raw(client, key, text)
    assert response.status_code == 400
    assert "NaN and Infinity are not JSON" in response.json()["detail"]


def test_lone_surrogates_and_bad_utf8_are_400(client, key):
    body = json.dumps(make_notification("U/1")).replace("Officers", "\\ud800Officers")
    assert post_raw(client, key, body).status_code == 400
    assert post_raw(client, key, b'{"reference": "\xff"}').status_code == 400


@pytest.mark.parametrize(
    "where",
    [
        ("narrative",),
        ("reference",),
        ("address", "line1"),
        ("address", "postcode"),
        ("people", 0, "given_name"),
        ("officer", "name"),
        ("offences", 0),
        ("force",),
    ],
)
def test_nul_characters_are_refused_in_every_string_field(client, key, where):
    body = make_notification("Z/1")
    body["officer"] = {"name": "PC Example"}
    body["offences"] = ["Assault"]
    body["force"] = "Test Constabulary"
    target: object = body
    for part in where[:-1]:
        target = target[part]  # type: ignore[index]
    target[where[-1]] = target[where[-1]][:2] + "\u0000" + target[where[-1]][2:]  # type: ignore[index]
    response = post(client, key, body)
    assert response.status_code == 422, response.text
    pointer = "/" + "/".join(str(p) for p in where)
    assert pointer in {e["pointer"] for e in response.json()["errors"]}


@pytest.mark.parametrize("value", [1001, 10**100, -1])
def test_previous_incidents_has_sane_bounds(client, key, value):
    body = make_notification("P/1")
    body["previous_incidents"] = value
    response = post(client, key, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/previous_incidents"
    body["previous_incidents"] = 1000
    assert post(client, key, body).status_code == 202


def _tomorrow_plus(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT12:00:00+00:00")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "0001-01-01T00:00:00+00:00"),
        ("occurred_at", "1899-12-31T23:59:00+00:00"),
        ("occurred_at", "9999-12-31T23:59:00+00:00"),
        ("occurred_at", "day-after-tomorrow"),
        ("reported_at", "9999-01-01T00:00:00Z"),
        ("date_of_birth", "0001-01-01"),
    ],
)
def test_dates_between_1900_and_the_day_after_receipt(client, key, field, value):
    body = make_notification("DT/1")
    if value == "day-after-tomorrow":
        value = _tomorrow_plus(2)
    if field == "date_of_birth":
        body["people"][0] = {"role": "victim", "date_of_birth": value}
        pointer = "/people/0/date_of_birth"
    else:
        body[field] = value
        pointer = f"/{field}"
    response = post(client, key, body)
    assert response.status_code == 422, response.text
    assert pointer in {e["pointer"] for e in response.json()["errors"]}


def test_a_date_tomorrow_is_accepted(client, key):
    body = make_notification("DT/2")
    body["occurred_at"] = _tomorrow_plus(1)
    assert post(client, key, body).status_code == 202


def test_reported_at_not_before_occurred_at(client, key):
    body = make_notification("RA/1")
    body["reported_at"] = "2026-11-20T23:00:00+00:00"  # 14 minutes before occurred_at
    response = post(client, key, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/reported_at"
    body["reported_at"] = "2026-11-20T23:14:00"  # no offset: taken as UTC, the same instant
    assert post(client, key, body).status_code == 202


def test_the_postcodes_normal_form_decides_idempotency(client, key):
    body = make_notification("PC/1")
    body["address"]["postcode"] = "LE2 1AA"
    first = post(client, key, body)
    assert first.status_code == 202
    for variant in ("le2 1aa", "LE21AA", " le21aa "):
        body["address"]["postcode"] = variant
        again = post(client, key, body)
        assert again.status_code == 200, variant
        assert again.json()["id"] == first.json()["id"]
    body["address"]["postcode"] = "LE2 1AB"
    assert post(client, key, body).status_code == 409


def test_a_postcode_with_spaces_inside_a_part_is_not_valid(client, key):
    body = make_notification("PC/2")
    body["address"]["postcode"] = "L E2 1AA"
    response = post(client, key, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/address/postcode"
