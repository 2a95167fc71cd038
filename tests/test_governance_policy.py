"""The policy change flow: a proposal needs a reason, is refused to its own proposer, takes
effect when a second head of safeguarding approves it (or the proposer, with single approval
set), retires the old version, and is what the pipeline's `active_policy` then returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.db import session_scope
from models.policy_governance import (
    GovernanceError,
    approve_policy,
    list_policy_versions,
    propose_policy,
)
from models.settings import Settings
from models.types import utcnow
from screening.policy import DEFAULT_POLICY, Policy
from tests.web_support import (
    add_user,
    client_for,
    make_settings,
    post_form,
    sign_in,
    stored_policy,
)


@pytest.fixture(scope="module")
def heads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int, int, int]:
    settings = make_settings(tmp_path_factory.mktemp("policy"))
    ana = add_user(settings, "ana", "head_of_safeguarding")
    ben = add_user(settings, "ben", "head_of_safeguarding")
    dee = add_user(settings, "dee", "duty_worker")
    return settings, ana, ben, dee


def _propose(settings: Settings, user: int, threshold: float, reason: str = "fewer checks") -> int:
    policy = Policy.model_validate({**DEFAULT_POLICY.model_dump(), "screen_out_max_score":
                                    threshold})
    with session_scope(settings.database) as session:
        return propose_policy(session, policy=policy.model_dump(mode="json"), reason=reason,
                              proposed_by=user, now=utcnow())


def test_store_flow_refuses_self_approval_and_a_second_head_activates(heads: tuple) -> None:
    settings, ana, ben, dee = heads
    before = stored_policy(settings.database)
    assert before is not None
    version = _propose(settings, ana, 0.25)
    # Proposed only: the pipeline still reads the old version.
    assert stored_policy(settings.database).version == before.version
    with pytest.raises(GovernanceError) as refused, session_scope(settings.database) as session:
        approve_policy(session, version=version, approver=ana, single_approval=False,
                       now=utcnow())
    assert refused.value.code == "self_approval"
    with pytest.raises(GovernanceError) as refused, session_scope(settings.database) as session:
        approve_policy(session, version=version, approver=dee, single_approval=False,
                       now=utcnow())
    assert refused.value.code == "not_head"
    assert stored_policy(settings.database).version == before.version
    with session_scope(settings.database) as session:
        approve_policy(session, version=version, approver=ben, single_approval=False,
                       now=utcnow())
    now_active = stored_policy(settings.database)
    assert now_active.version == version
    assert Policy.model_validate(now_active.policy).screen_out_max_score == 0.25
    with session_scope(settings.database) as session:
        rows = {r.version: r for r in list_policy_versions(session)}
    assert rows[before.version].status == "retired"
    # History is kept: the old version's JSON is unchanged.
    assert rows[before.version].policy == before.policy
    assert (rows[version].proposed_by, rows[version].approved_by) == (ana, ben)
    # Approving twice is refused.
    with pytest.raises(GovernanceError) as again, session_scope(settings.database) as session:
        approve_policy(session, version=version, approver=ben, single_approval=False,
                       now=utcnow())
    assert again.value.code == "not_proposed"


def test_reason_is_required(heads: tuple) -> None:
    settings, ana, _, _ = heads
    with pytest.raises(GovernanceError) as refused:
        _propose(settings, ana, 0.15, reason="   ")
    assert refused.value.code == "reason_required"


def test_single_approval_setting_allows_own_approval(heads: tuple) -> None:
    settings, ana, _, _ = heads
    version = _propose(settings, ana, 0.18)
    with session_scope(settings.database) as session:
        approve_policy(session, version=version, approver=ana, single_approval=True,
                       now=utcnow())
    assert stored_policy(settings.database).version == version


def test_web_flow_propose_refuse_self_then_second_head_approves(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    add_user(settings, "cat", "head_of_safeguarding")
    add_user(settings, "dan", "head_of_safeguarding")
    cat = client_for(settings)
    assert sign_in(cat, "cat").status_code == 303
    form = {"screen_out_max": "0.3", "review_min": "0.7", "allow_silence": "no",
            "sample_percent": "15", "urgent": "4", "high": "24", "normal": "72", "reason": ""}
    missing = post_form(cat, "/policy/propose", "/policy/propose", form)
    assert missing.status_code == 400 and "Say why the policy should change" in missing.text
    made = post_form(cat, "/policy/propose", "/policy/propose", {**form, "reason": "pilot"})
    assert made.status_code == 303
    page = cat.get("/policy").text
    assert "a second head of safeguarding must approve it" in page
    assert "Approve version 2" not in page
    own = post_form(cat, "/policy/2/approve", "/policy", {})
    assert own.status_code == 403 and "cannot approve your own change" in own.text
    assert stored_policy(settings.database).version == 1

    dan = client_for(settings)
    sign_in(dan, "dan")
    assert "Approve version 2" in dan.get("/policy").text
    assert post_form(dan, "/policy/2/approve", "/policy", {}).status_code == 303
    stored = stored_policy(settings.database)
    assert stored.version == 2
    assert stored.policy["screen_out_max_score"] == 0.3
    assert stored.policy["sample_share"] == pytest.approx(0.15)


def test_cli_propose_and_approve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from dvscreen import main

    monkeypatch.setenv("DVSCREEN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DVSCREEN_SINGLE_APPROVAL", raising=False)
    settings = make_settings(tmp_path)
    add_user(settings, "eve", "head_of_safeguarding")
    add_user(settings, "fay", "head_of_safeguarding")
    assert main(["policy", "propose", "--by", "eve", "--reason", "silence pilot",
                 "--allow-silence"]) == 0
    version = int(capsys.readouterr().out.strip())
    assert main(["policy", "approve", str(version), "--by", "eve"]) == 1
    assert "cannot approve your own change" in capsys.readouterr().err
    monkeypatch.setenv("DVSCREEN_SINGLE_APPROVAL", "true")
    assert main(["policy", "approve", str(version), "--by", "eve"]) == 0
    stored = stored_policy(settings.database)
    assert stored.version == version and stored.policy["allow_silence_screen_out"] is True
