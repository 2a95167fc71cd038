"""Staff and API key administration in the browser's routes (TestClient on SQLite): accounts
added with a password shown once, roles changed, deactivated and reactivated, passwords reset,
keys made and revoked; a manager's release and reassignment of a claim; the audit trail in
words; HTML error pages for staff URLs while /v1/ keeps problem+json; /docs offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import session_scope
from models.key_store import authenticate
from models.queue_store import claim
from models.tables import AuditEvent, QueueItem, StaffAccount
from models.types import utcnow
from tests.web_support import (
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
def settings(tmp_path: Path):
    return make_settings(tmp_path)


def audit_actions(settings) -> list[tuple[str, dict]]:
    with session_scope(settings.database) as session:
        return [(e.action, e.detail) for e in session.scalars(select(AuditEvent))]


def test_an_admin_adds_an_account_that_signs_in_with_the_password_shown_once(settings):
    add_user(settings, "ada", "admin")
    with client_for(settings) as admin:
        response = sign_in(admin, "ada")
        assert response.headers["location"] == "/admin/staff"
        refused = post_form(admin, "/admin/staff/new", "/admin/staff/new", {})
        assert refused.status_code == 400
        for text in ("Enter the person&#39;s full name", "Enter a username", "Select a role"):
            assert text in refused.text
        assert refused.text.count("govuk-error-message") == 3
        new = {"full_name": "Dora Smith", "username": "dsmith", "role": "duty_worker"}
        made = post_form(admin, "/admin/staff/new", "/admin/staff/new", new)
        assert made.status_code == 200
        password = re.search(r'id="temporary-password">([^<]+)<', made.text).group(1)
        same = {"full_name": "Dora Two", "username": "dsmith", "role": "manager"}
        again = post_form(admin, "/admin/staff/new", "/admin/staff/new", same)
        assert again.status_code == 400 and "already in use" in again.text
        assert "Dora Smith" in admin.get("/admin/staff").text
    with client_for(settings) as dora:
        assert sign_in(dora, "dsmith", password).headers["location"] == "/queue"
    with session_scope(settings.database) as session:
        row = session.scalar(select(StaffAccount).where(StaffAccount.username == "dsmith"))
        assert password not in row.password_hash
    assert ("staff_created", {"staff": row.id, "role": "duty_worker"}) in audit_actions(settings)


def test_role_change_deactivation_and_reset_end_sessions_and_are_audited(settings):
    admin_id = add_user(settings, "ada", "admin")
    dora_id = add_user(settings, "dora", "duty_worker")
    page = f"/admin/staff/{dora_id}"
    with client_for(settings) as admin, client_for(settings) as dora:
        sign_in(admin, "ada")
        sign_in(dora, "dora")
        assert dora.get("/queue").status_code == 200
        assert post_form(admin, page + "/role", page, {"role": "manager"}).status_code == 303
        assert dora.get("/queue").status_code == 303  # signed out: sign in again
        sign_in(dora, "dora")
        assert dora.get("/signoff").status_code == 200  # a manager now
        assert post_form(admin, page + "/active", page, {"active": "0"}).status_code == 303
        assert dora.get("/queue").status_code == 303
        assert sign_in(dora, "dora").status_code == 401
        assert post_form(admin, page + "/active", page, {"active": "1"}).status_code == 303
        reset = post_form(admin, page + "/password", page, {})
        password = re.search(r'id="temporary-password">([^<]+)<', reset.text).group(1)
        assert sign_in(dora, "dora").status_code == 401  # the old password is gone
        assert sign_in(dora, "dora", password).status_code == 303
        # An admin cannot lock themself out.
        own = f"/admin/staff/{admin_id}"
        assert post_form(admin, own + "/active", own, {"active": "0"}).status_code == 400
        trail = admin.get("/audit?show=staff").text
    assert "ada changed dora from duty worker to manager" in trail
    assert "ada deactivated dora" in trail and "ada reactivated dora" in trail
    assert "ada reset the password of dora" in trail
    actions = [a for a, _ in audit_actions(settings)]
    for action in ("role_changed", "staff_deactivated", "staff_reactivated", "password_reset"):
        assert action in actions


def test_api_keys_are_shown_once_work_and_are_revoked_after_confirmation(settings):
    add_user(settings, "ada", "admin")
    with client_for(settings) as admin:
        sign_in(admin, "ada")
        empty = post_form(admin, "/admin/keys", "/admin/keys", {"source": " "})
        assert empty.status_code == 400 and "Enter the force" in empty.text
        made = post_form(admin, "/admin/keys", "/admin/keys", {"source": "Leicestershire Police"})
        key = re.search(r'id="api-key">([^<]+)<', made.text).group(1)
        listing = admin.get("/admin/keys").text
        assert "Leicestershire Police" in listing and key not in listing
        with session_scope(settings.database) as session:
            assert authenticate(session, key=key).source_name == "Leicestershire Police"
        prefix = key.split("_")[1]
        confirm = admin.get(f"/admin/keys/{prefix}/revoke")
        assert "Revoke this key of Leicestershire Police?" in confirm.text
        revoked = admin.post(f"/admin/keys/{prefix}/revoke",
                             data={"csrf_token": csrf_of(confirm.text)})  # fmt: skip
        assert revoked.status_code == 303
        with session_scope(settings.database) as session:
            assert authenticate(session, key=key) is None
        trail = admin.get("/audit").text
    assert "ada created an API key for Leicestershire Police" in trail
    assert "ada revoked an API key of Leicestershire Police" in trail
    assert "source:" not in trail


def test_a_manager_releases_and_reassigns_claims(settings):
    item = seed(settings, notification_body("R/1", "Her son (4) was present."),
                route="duty_review", priority="high", categories=["present"])  # fmt: skip
    add_user(settings, "mo", "manager")
    dora = add_user(settings, "dora", "duty_worker")
    eve = add_user(settings, "eve", "duty_worker")
    with session_scope(settings.database) as session:
        assert claim(session, item_id=item.item_id, user_id=dora, now=utcnow())
    page = f"/items/{item.item_id}/claim"
    with client_for(settings) as mo:
        sign_in(mo, "mo")
        assert "Manage claim" in mo.get("/queue").text
        assert "dora holds this item" in mo.get(page).text
        bad = post_form(mo, f"/items/{item.item_id}/reassign", page, {"to": "999"})
        assert bad.status_code == 409 and "Select an active duty worker" in bad.text
        moved = post_form(mo, f"/items/{item.item_id}/reassign", page, {"to": str(eve)})
        assert moved.status_code == 303
        with session_scope(settings.database) as session:
            assert session.get(QueueItem, item.item_id).claimed_by == eve
        released = post_form(mo, f"/items/{item.item_id}/release-claim", page, {})
        assert released.status_code == 303
        with session_scope(settings.database) as session:
            row = session.get(QueueItem, item.item_id)
            assert (row.status, row.claimed_by) == ("open", None)
        trail = mo.get("/audit?show=claims").text
    assert "mo passed the item from dora to eve" in trail
    assert f'href="/notifications/{item.notification_id}">R/1</a>' in trail
    assert "mo released eve&#39;s claim" in trail
    with client_for(settings) as worker:
        sign_in(worker, "dora")
        assert worker.get(page).status_code == 403


def test_staff_urls_answer_html_error_pages_and_the_api_problem_json(settings):
    add_user(settings, "dora", "duty_worker")
    with client_for(settings) as client:
        sign_in(client, "dora")
        missing = client.get("/no-such-page")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        assert "Page not found" in missing.text
        forbidden = client.get("/admin/staff")
        assert forbidden.status_code == 403 and "You do not have access" in forbidden.text
        api = client.get("/v1/no-such-thing")
        assert api.status_code == 404
        assert api.headers["content-type"].startswith("application/problem+json")
        bad_id = client.get("/notifications/not-a-uuid")
        assert bad_id.status_code == 400 and bad_id.headers["content-type"].startswith("text/html")


def test_docs_and_redoc_load_only_local_assets(settings):
    with client_for(settings) as client:
        for path, asset in (("/docs", "swagger-ui/swagger-ui-bundle.js"),
                            ("/redoc", "redoc/redoc.standalone.js")):  # fmt: skip
            page = client.get(path)
            assert page.status_code == 200
            assert f"/static/vendor/{asset}" in page.text
            assert "cdn." not in page.text and "fonts.googleapis" not in page.text
            assert client.get(f"/static/vendor/{asset}").status_code == 200


def test_the_users_command_matches_the_admin_pages(tmp_path: Path):
    import subprocess
    import sys

    from tests.web_support import PASSWORD

    root = Path(__file__).resolve().parents[1]
    env = {"DVSCREEN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(root / "dvscreen.py"), "users", *args],
            input=stdin, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip

    made = run("create", "--username", "dsmith", "--role", "duty_worker", "--name", "Dora Smith",
               stdin=PASSWORD + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert run("role", "--username", "dsmith", "--role", "manager").returncode == 0
    assert run("role", "--username", "nobody", "--role", "manager").returncode == 1
    reset = run("reset", "--username", "dsmith")
    temporary = reset.stdout.rsplit(": ", 1)[1].strip()
    assert run("deactivate", "--username", "dsmith").returncode == 0
    assert "deactivated" in run("list").stdout
    assert run("reactivate", "--username", "dsmith").returncode == 0
    listed = run("list").stdout
    assert "dsmith\tDora Smith\tmanager\tactive" in listed
    settings = make_settings(tmp_path)
    with client_for(settings) as client:
        assert sign_in(client, "dsmith", PASSWORD).status_code == 401
        assert sign_in(client, "dsmith", temporary).headers["location"] == "/queue"
    actions = [a for a, _ in audit_actions(settings)]
    assert actions.count("staff_created") == 1
    for action in ("role_changed", "password_reset", "staff_deactivated", "staff_reactivated"):
        assert action in actions


def test_the_openapi_document_describes_the_fields_and_shows_a_valid_example(settings):
    from models.contract import Notification

    with client_for(settings) as client:
        document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    notification = schemas["Notification"]
    Notification.model_validate(notification["examples"][0])
    for name, prop in notification["properties"].items():
        assert prop.get("description"), name
    assert schemas["Address"]["properties"]["line1"]["description"]
    assert schemas["NotificationState"]["properties"]["route"]["description"]


def test_a_refused_policy_change_is_said_in_plain_words(settings):
    add_user(settings, "hana", "head_of_safeguarding")
    form = {
        "screen_out_max": "1.5", "review_min": "0.7", "sample_percent": "150", "urgent": "999",
        "high": "24", "normal": "72", "day_start": "09:00", "day_end": "17:00",
        "holiday_region": "england_and_wales", "reason": "Testing the words.",
    }  # fmt: skip
    with client_for(settings) as client:
        sign_in(client, "hana")
        page = post_form(client, "/policy/propose", "/policy/propose", form)
    assert page.status_code == 400
    text = page.text
    assert "The screen-out score must be between 0 and 1" in text
    assert "The share of screen-outs sampled must be between 0% and 100%" in text
    assert "The deadline for urgent items must be between 1 and 336 hours" in text
    assert "Input should" not in text and "deadlines.urgent" not in text


def test_the_rollback_button_shows_only_when_it_can_act(settings):
    add_user(settings, "hana", "head_of_safeguarding")
    with client_for(settings) as client:
        sign_in(client, "hana")
        page = client.get("/models")
        assert page.status_code == 200
        assert "Roll back to the previous model" not in page.text
        confirm = client.get("/models/rollback")
        assert confirm.status_code == 303
        assert "nothing_to_roll_back" in confirm.headers["location"]
        # A second model promoted: now there is one to go back to, behind a confirmation.
        from governance.active_model import ensure_registry
        from models.model_registry import active_entry, promote_model, register_model

        ensure_registry(settings.database)
        with session_scope(settings.database) as session:
            first = active_entry(session)
            head = session.scalar(select(StaffAccount.id).where(StaffAccount.username == "hana"))
            register_model(session, version="second", stem=first.stem, sha256=first.sha256,
                           trained_on={}, metrics={}, registered_by=head, now=utcnow())  # fmt: skip
            promote_model(session, version="second", approver=head, now=utcnow())
        assert "Roll back to the previous model" in client.get("/models").text
        confirm = client.get("/models/rollback")
        assert confirm.status_code == 200
        assert f"Roll back to model {first.version}" in confirm.text
        done = client.post("/models/rollback", data={"csrf_token": csrf_of(confirm.text)})
        assert "rolled_back" in done.headers["location"]
        with session_scope(settings.database) as session:
            assert active_entry(session).version == first.version


def test_an_unexpected_error_is_an_html_page_for_staff_and_problem_json_for_the_api(settings):
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(settings)

    @app.get("/boom")
    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("a personal detail that must not be shown")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/v1/boom")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in page.text
    assert api.status_code == 500
    assert api.headers["content-type"].startswith("application/problem+json")
    for response in (page, api):
        assert "personal detail" not in response.text
