"""The intake API on the embedded default (SQLite): status codes, idempotency, problem details."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from models.db import session_scope
from models.key_store import create_key, revoke_keys
from models.settings import Settings
from models.tables import AuditEvent, NotificationRecord, OutboxRow
from tests.intake_support import in_session, migrated_settings
from tests.notification_factory import amended, make_notification

PRIVATE = "Zebedee-Quuxworth"  # a name that must never come back in an error


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return migrated_settings(tmp_path)


@pytest.fixture
def key(settings: Settings) -> str:
    return in_session(settings.database, create_key, source_name="Test Constabulary")


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def count(settings: Settings, table: type) -> int:
    with session_scope(settings.database) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_accepts_then_repeats_with_same_id(client, key, settings):
    body = make_notification("T/1")
    first = client.post("/v1/notifications", json=body, headers=auth(key))
    assert first.status_code == 202
    assert first.json()["status"] == "received"
    assert first.headers["location"] == first.json()["links"]["self"]
    # Same document, different key order and spacing: the same notification.
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=3)
    again = client.post(
        "/v1/notifications",
        content=reordered,
        headers={**auth(key), "content-type": "application/json"},
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert count(settings, NotificationRecord) == 1
    assert count(settings, OutboxRow) == 1


def test_raw_json_kept_exactly_as_received(client, key, settings):
    text = json.dumps(make_notification("T/raw"), indent=1) + "\n"
    response = client.post(
        "/v1/notifications", content=text, headers={**auth(key), "content-type": "application/json"}
    )
    assert response.status_code == 202
    with session_scope(settings.database) as session:
        stored = session.scalar(select(NotificationRecord.raw_json))
    assert stored == text


def test_different_body_same_reference_is_conflict(client, key, settings):
    body = make_notification("T/2")
    first = client.post("/v1/notifications", json=body, headers=auth(key))
    response = client.post("/v1/notifications", json=amended(body), headers=auth(key))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["id"] == first.json()["id"]
    assert count(settings, NotificationRecord) == 1


def test_same_reference_from_two_sources_is_two_notifications(client, key, settings):
    other = in_session(settings.database, create_key, source_name="Other Police")
    body = make_notification("T/shared")
    a = client.post("/v1/notifications", json=body, headers=auth(key))
    b = client.post("/v1/notifications", json=body, headers=auth(other))
    assert (a.status_code, b.status_code) == (202, 202)
    assert a.json()["id"] != b.json()["id"]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer dvs_x_y"])
def test_unauthorised(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.post("/v1/notifications", json=make_notification("T/3"), headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_revoked_key_is_refused_once_the_cache_expires(key, settings):
    client = TestClient(create_app(settings.model_copy(update={"auth_cache_seconds": 0.5})))
    first = client.post("/v1/notifications", json=make_notification("T/4"), headers=auth(key))
    assert first.status_code == 202
    assert in_session(settings.database, revoke_keys, prefix=key) == 1
    time.sleep(0.6)
    response = client.post("/v1/notifications", json=make_notification("T/5"), headers=auth(key))
    assert response.status_code == 401


def test_revoked_key_is_refused_at_once_without_the_cache(key, settings):
    client = TestClient(create_app(settings.model_copy(update={"auth_cache_seconds": 0})))
    assert client.get("/v1/notifications/x", headers=auth(key)).status_code == 404
    in_session(settings.database, revoke_keys, source_name="Test Constabulary")
    assert client.get("/v1/notifications/x", headers=auth(key)).status_code == 401


def test_another_sources_notification_is_not_found(client, key, settings):
    created = client.post("/v1/notifications", json=make_notification("T/6"), headers=auth(key))
    other = in_session(settings.database, create_key, source_name="Other Police")
    url = created.json()["links"]["self"]
    assert client.get(url, headers=auth(key)).status_code == 200
    response = client.get(url, headers=auth(other))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"/v1/notifications/{uuid.uuid4()}", headers=auth(key)).status_code == 404
    assert client.get("/v1/notifications/not-a-uuid", headers=auth(key)).status_code == 404


def test_validation_errors_have_paths_and_never_echo_input(client, key):
    body = make_notification("T/7")
    body["people"][0]["given_name"] = 12345
    body["people"][1]["age"] = PRIVATE
    body["address"]["postcode"] = PRIVATE
    body["unexpected"] = PRIVATE
    response = client.post("/v1/notifications", json=body, headers=auth(key))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/people/0/given_name", "/people/1/age", "/address/postcode", "/unexpected"} <= pointers
    assert PRIVATE not in response.text
    assert "12345" not in response.text


def test_model_validator_errors_get_their_path(client, key):
    body = make_notification("T/8")
    body["people"][0].update({"date_of_birth": "1990-01-01", "age": 5})
    response = client.post("/v1/notifications", json=body, headers=auth(key))
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/people/0/age"]


def test_force_must_match_the_keys_source(client, key):
    body = make_notification("T/9")
    body["force"] = "Some Other Police"
    response = client.post("/v1/notifications", json=body, headers=auth(key))
    assert response.status_code == 403
    assert response.json()["errors"][0]["pointer"] == "/force"
    body["force"] = "test constabulary"
    assert client.post("/v1/notifications", json=body, headers=auth(key)).status_code == 202


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml"])
def test_non_json_is_unsupported_media_type(client, key, content_type):
    headers = auth(key) | ({"content-type": content_type} if content_type else {})
    response = client.post("/v1/notifications", content=b"{}", headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


def test_malformed_json_is_bad_request(client, key):
    response = client.post(
        "/v1/notifications",
        content=b'{"reference": "' + PRIVATE.encode() + b'"',
        headers={**auth(key), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert PRIVATE not in response.text


def test_body_limits(client, key, settings):
    one_mib = settings.max_notification_bytes
    big = json.dumps({"reference": "T/10", "narrative": "x" * one_mib})
    response = client.post(
        "/v1/notifications", content=big, headers={**auth(key), "content-type": "application/json"}
    )
    assert response.status_code == 413
    huge = json.dumps({"notifications": [{"narrative": "x" * settings.max_batch_bytes}]})
    response = client.post(
        "/v1/notifications/batch",
        content=huge,
        headers={**auth(key), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert count(settings, NotificationRecord) == 0


def test_batch_gives_a_result_per_item(client, key, settings):
    existing = make_notification("B/0")
    client.post("/v1/notifications", json=existing, headers=auth(key))
    invalid = make_notification("B/2")
    del invalid["people"]
    oversized = make_notification("B/4")
    oversized["narrative"] = "y" * (settings.max_notification_bytes + 1)
    items = [existing, make_notification("B/1"), invalid, amended(existing), oversized]
    response = client.post(
        "/v1/notifications/batch", json={"notifications": items}, headers=auth(key)
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == [200, 202, 422, 409, 413]
    assert (body["accepted"], body["repeated"], body["rejected"]) == (1, 1, 3)
    assert body["results"][2]["problem"]["errors"][0]["pointer"] == "/notifications/2/people"
    assert count(settings, NotificationRecord) == 2


def test_batch_shape_and_size_limits(client, key, settings):
    too_many = [make_notification(f"M/{i}") for i in range(settings.max_batch_items + 1)]
    for document in ({"notifications": too_many}, {"notifications": []}, [], {"x": 1}):
        response = client.post("/v1/notifications/batch", json=document, headers=auth(key))
        assert response.status_code == 422, document if len(str(document)) < 100 else ""
        assert response.json()["errors"][0]["pointer"] == "/notifications"
    assert count(settings, NotificationRecord) == 0


def test_every_intake_is_audited_without_personal_data(client, key, settings):
    client.post("/v1/notifications", json=make_notification("T/11"), headers=auth(key))
    with session_scope(settings.database) as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.detail)).all()
    assert [e.action for e in events] == ["notification_received"]
    assert "Testvictim" not in json.dumps([e.detail for e in events])


def test_health_and_readiness(client, key):
    assert client.get("/healthz").json() == {"status": "ok"}
    client.post("/v1/notifications", json=make_notification("T/12"), headers=auth(key))
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["database"] == "ok"
    assert ready["broker"] == "embedded"
    assert ready["counts"]["received"] == 1 and ready["counts"]["outbox_pending"] == 1


def test_readiness_fails_when_database_unreachable(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/x")
    response = TestClient(create_app(settings)).get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_unknown_route_and_method_are_problems(client):
    assert client.get("/v1/nowhere").headers["content-type"] == "application/problem+json"
    # Outside the API a URL is a staff page: a GOV.UK HTML error page (issue 9).
    assert client.get("/nowhere").headers["content-type"].startswith("text/html")
    response = client.delete("/v1/notifications")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_documents_every_status(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/v1/notifications"]["post"]["responses"]) >= {
        "200",
        "202",
        "400",
        "401",
        "403",
        "409",
        "413",
        "415",
        "422",
    }
    assert set(paths["/v1/notifications/batch"]["post"]["responses"]) >= {
        "200",
        "400",
        "401",
        "413",
        "415",
        "422",
    }
    assert set(paths["/v1/notifications/{notification_id}"]["get"]["responses"]) >= {
        "200",
        "401",
        "404",
    }
    body = paths["/v1/notifications"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == "#/components/schemas/Notification"
    problem = paths["/v1/notifications"]["post"]["responses"]["409"]["content"]
    assert "application/problem+json" in problem
