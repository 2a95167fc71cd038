"""A stored policy that fails validation is one clear error everywhere: the governance reader
raises `PolicyError`, triage fails with it, the web refuses the pages that need the policy and
the dashboard shows it as an alert (never the default policy in its place)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from governance.policy import PolicyError, active_policy, current_policy
from models.db import session_scope
from models.tables import PolicyVersion
from tests.web_support import add_user, client_for, make_settings, sign_in


def _break_policy(database: str) -> None:
    with session_scope(database) as session:
        session.execute(
            update(PolicyVersion)
            .where(PolicyVersion.status == "active")
            .values(policy={"screen_out_max_score": 0.9, "review_min_score": 0.1})
        )


def test_a_bad_stored_policy_is_a_policy_error_everywhere(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    add_user(settings, "head", "head_of_safeguarding")
    add_user(settings, "duty", "duty_worker")
    _break_policy(settings.database)

    with session_scope(settings.database) as session, pytest.raises(PolicyError) as caught:
        active_policy(session)
    assert caught.value.version == 1 and "not valid" in str(caught.value)
    with pytest.raises(PolicyError):
        current_policy(settings.database)

    head = client_for(settings)
    assert sign_in(head, "head").status_code == 303
    dashboard = head.get("/dashboard")
    assert dashboard.status_code == 200
    assert "The active screening policy is not valid" in dashboard.text
    policy_page = head.get("/policy")
    assert policy_page.status_code == 503
    assert "The active screening policy is not valid" in policy_page.text
