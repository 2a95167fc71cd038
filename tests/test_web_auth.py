"""Staff sign-in, sessions, roles and CSRF on the web app (TestClient on SQLite)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from api.web.cookies import SESSION_COOKIE
from api.web.passwords import FREE_ATTEMPTS, hash_password, lock_until
from models.db import session_scope
from models.key_store import create_key
from models.settings import Settings
from models.staff_store import set_active, set_password
from models.tables import AuditEvent, LoginThrottle, StaffAccount
from models.types import utcnow
from tests.intake_support import in_session
from tests.web_support import (
    PASSWORD,
    add_user,
    client_for,
    csrf_of,
    make_settings,
    notification_body,
    post_form,
    seed,
    sign_in,
)


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def client(settings):
    with client_for(settings) as c:
        yield c


def test_pages_need_a_signed_in_user(client):
    for path in ("/queue", "/items/1", "/signoff", "/sample", "/policy"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_an_api_key_opens_no_staff_page(settings, client):
    key = in_session(settings.database, create_key, source_name="test-force")
    for path in ("/queue", "/signoff", "/policy"):
        response = client.get(path, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_session_cookie_is_httponly_and_samesite_and_secure_only_over_https(settings):
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as plain:
        cookie = sign_in(plain, "dora").headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE + "=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(
        create_app(settings), base_url="https://testserver", follow_redirects=False
    ) as tls:
        cookie = sign_in(tls, "dora").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie


def test_sign_in_and_out(settings, client):
    add_user(settings, "dora", "duty_worker")
    response = sign_in(client, "dora")
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    assert client.get("/queue").status_code == 200
    response = post_form(client, "/logout", "/queue", {})
    assert response.status_code == 303
    assert client.get("/queue").status_code == 303


def test_wrong_password_and_unknown_user_get_the_same_answer(settings, client):
    add_user(settings, "dora", "duty_worker")
    wrong = sign_in(client, "dora", "not the password")
    unknown = sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Enter a correct username and password" in wrong.text
    assert "Enter a correct username and password" in unknown.text


def test_repeated_failures_lock_the_address_and_name_even_for_the_right_password(settings, client):
    add_user(settings, "dora", "duty_worker")
    for _ in range(FREE_ATTEMPTS):
        assert sign_in(client, "dora", "guess guess guess").status_code == 401
    locked = sign_in(client, "dora", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.text
    assert 50 <= int(locked.headers["retry-after"]) <= 60
    with session_scope(settings.database) as session:
        row = session.scalar(select(LoginThrottle))
        assert row.failures == FREE_ATTEMPTS
        # The lock passes: the right password works again and the count is cleared.
        session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert sign_in(client, "dora", PASSWORD).status_code == 303
    with session_scope(settings.database) as session:
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


def test_known_and_unknown_names_are_throttled_alike(settings, client):
    add_user(settings, "dora", "duty_worker")
    answers = {}
    for name in ("dora", "nobody-here"):
        codes = [sign_in(client, name, "guess guess guess") for _ in range(FREE_ATTEMPTS + 1)]
        answers[name] = [(r.status_code, "retry-after" in r.headers) for r in codes]
    assert answers["dora"] == answers["nobody-here"]
    assert answers["dora"][-1] == (429, True)
    assert answers["dora"][0] == (401, False)


def test_guessing_from_elsewhere_does_not_lock_the_owner_out(settings):
    from fastapi.testclient import TestClient

    from api.app import create_app

    add_user(settings, "dora", "duty_worker")
    app = create_app(settings)
    with TestClient(app, follow_redirects=False, client=("203.0.113.9", 5000)) as attacker:
        for _ in range(FREE_ATTEMPTS + 2):
            sign_in(attacker, "dora", "guess guess guess")
        assert sign_in(attacker, "dora", PASSWORD).status_code == 429
    with TestClient(app, follow_redirects=False, client=("198.51.100.7", 5000)) as owner:
        assert sign_in(owner, "dora", PASSWORD).status_code == 303


def test_failed_sign_ins_are_audited_with_the_name_hashed(settings, client):
    add_user(settings, "dora", "duty_worker")
    sign_in(client, "dora", "guess guess guess")
    sign_in(client, "unknown-person", "guess guess guess")
    with session_scope(settings.database) as session:
        events = session.execute(
            select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "login_failed")
        ).all()
    assert len(events) == 2
    assert {e.actor for e in events} == {"system:login"}
    text = str([e.detail for e in events])
    assert "dora" not in text and "unknown-person" not in text
    hashes = [e.detail["username_hmac"] for e in events]
    assert len(set(hashes)) == 2 and all(len(h) == 64 for h in hashes)


def test_logout_ends_every_copy_of_the_session(settings, client):
    add_user(settings, "dora", "manager")
    sign_in(client, "dora")
    assert client.get("/signoff").status_code == 200
    copied = client.cookies.get(SESSION_COOKIE)
    post_form(client, "/logout", "/signoff", {})
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(settings), follow_redirects=False) as thief:
        thief.cookies.set(SESSION_COOKIE, copied)
        response = thief.get("/signoff")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize("change", ["deactivate", "password"])
def test_deactivation_and_a_new_password_end_sessions_at_once(settings, client, change):
    user_id = add_user(settings, "dora", "manager")
    sign_in(client, "dora")
    assert client.get("/signoff").status_code == 200
    with session_scope(settings.database) as session:
        if change == "deactivate":
            set_active(session, user_id=user_id, active=False)
        else:
            set_password(
                session,
                user_id=user_id,
                password_hash=hash_password("a whole new password"),
            )
    assert client.get("/signoff").status_code == 303
    if change == "password":
        assert sign_in(client, "dora", "a whole new password").status_code == 303
        assert client.get("/signoff").status_code == 200


def test_cookies_are_secure_unless_settings_say_plain_http(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = make_settings(tmp_path).model_copy(update={"plain_http": False})
    add_user(settings, "dora", "duty_worker")
    with TestClient(create_app(settings), follow_redirects=False) as plain:
        cookie = sign_in(plain, "dora").headers["set-cookie"].lower()
        assert "secure" in cookie
        assert "strict-transport-security" not in plain.get("/login").headers
    with TestClient(
        create_app(settings), base_url="https://testserver", follow_redirects=False
    ) as tls:
        assert tls.get("/login").headers["strict-transport-security"].startswith("max-age=")
    assert Settings(database_url="postgresql+psycopg://x@y/z").secure_cookies
    assert not Settings().secure_cookies


def test_backoff_doubles_and_is_capped():
    now = utcnow()
    assert lock_until(FREE_ATTEMPTS - 1, now) is None
    first = lock_until(FREE_ATTEMPTS, now) - now
    second = lock_until(FREE_ATTEMPTS + 1, now) - now
    assert second == 2 * first
    assert lock_until(FREE_ATTEMPTS + 40, now) - now == timedelta(hours=1)


def test_forms_without_the_csrf_token_are_refused(settings, client):
    add_user(settings, "dora", "duty_worker")
    seeded = seed(
        settings,
        notification_body("LE/26/000001", "The IP's son (4) was present."),
        route="duty_review",
        priority="high",
        categories=["present"],
    )
    page = client.get("/login")
    no_token = client.post("/login", data={"username": "dora", "password": PASSWORD})
    assert no_token.status_code == 403
    assert sign_in(client, "dora").status_code == 303
    item = f"/items/{seeded.item_id}"
    assert client.post(item + "/claim").status_code == 403
    assert client.post(item + "/claim", data={"csrf_token": "forged"}).status_code == 403
    assert client.post(item + "/claim", headers={"X-CSRF-Token": "forged"}).status_code == 403
    # The token from before sign-in was rotated away.
    assert client.post(item + "/claim", data={"csrf_token": csrf_of(page.text)}).status_code == 403
    assert post_form(client, item + "/claim", item, {}).status_code == 303


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("duty_worker", ["/queue"], ["/signoff", "/sample", "/policy"]),
        ("manager", ["/queue", "/signoff", "/sample"], ["/policy"]),
        ("head_of_safeguarding", ["/queue", "/signoff", "/sample", "/policy"], []),
        ("admin", ["/account"], ["/queue", "/signoff", "/sample", "/policy"]),
    ],
)
def test_every_role_opens_only_its_pages(settings, client, role, allowed, refused):
    add_user(settings, "someone", role)
    assert sign_in(client, "someone").status_code == 303
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in refused:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You do not have access" in response.text


def test_a_changed_role_takes_effect_at_once(settings, client):
    uid = add_user(settings, "mo", "manager")
    sign_in(client, "mo")
    assert client.get("/signoff").status_code == 200
    with session_scope(settings.database) as session:
        session.execute(
            update(StaffAccount).where(StaffAccount.id == uid).values(role="duty_worker")
        )
    assert client.get("/signoff").status_code == 303


def test_staff_pages_are_not_cached_and_run_only_our_scripts(settings, client):
    add_user(settings, "dora", "duty_worker")
    sign_in(client, "dora")
    response = client.get("/queue")
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_staff_pages_are_not_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith("/v1/") and p not in ("/healthz", "/readyz")]


def test_sign_in_is_audited_without_the_password(settings, client):
    add_user(settings, "dora", "duty_worker")
    sign_in(client, "dora", "wrong password here")
    sign_in(client, "dora")
    with session_scope(settings.database) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events]
    assert "login_failed" in actions and "login" in actions
    assert all(PASSWORD not in str(e.detail) for e in events)


def test_next_is_only_a_local_path(settings, client):
    add_user(settings, "dora", "duty_worker")
    page = client.get("/login?next=//evil.example/x")
    response = client.post(
        "/login",
        data={
            "username": "dora",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.headers["location"] == "/queue"
