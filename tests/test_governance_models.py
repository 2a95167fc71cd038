"""Model lifecycle: the default model registered as active; a candidate trained from a file is
registered with its hash and metrics, scored in shadow beside the active model on the same
labelled notifications, promoted only by a head of safeguarding, and rolled back in one step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.active_model import active_screener, ensure_registry
from governance.jobs import TOO_FEW_LABELS, run_job
from governance.lifecycle import compare_models, rows_from_labels, train_candidate
from models.contract import LabelledNotification
from models.db import session_scope
from models.job_store import latest_jobs
from models.model_registry import (
    ModelRef,
    active_model_ref,
    list_models,
    promote_model,
    rollback_model,
    shadow_model_ref,
)
from models.policy_governance import GovernanceError
from models.types import utcnow
from screening.model import ARTEFACT_SUFFIX, sha256_of
from screening.policy import DEFAULT_POLICY
from screening.screener import default_model_stem
from screening.synth import generate
from tests.web_support import add_user, client_for, make_settings, post_form, sign_in


def _active(url: str) -> ModelRef | None:
    with session_scope(url) as session:
        return active_model_ref(session)


def _shadow(url: str) -> ModelRef | None:
    with session_scope(url) as session:
        return shadow_model_ref(session)


def test_train_shadow_promote_rollback(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    url = settings.database
    head = add_user(settings, "gil", "head_of_safeguarding")
    manager = add_user(settings, "mo", "manager")
    ensure_registry(url)
    default = _active(url)
    assert default is not None and default.stem == default_model_stem().resolve()
    assert _shadow(url) is None

    rows = [LabelledNotification.model_validate(r) for r in generate(160, 4)]
    version = train_candidate(url, settings.resolved_data_dir, rows,
                              {"source": "file", "path": "train.jsonl"}, registered_by=head)
    with session_scope(url) as session:
        entry = next(m for m in list_models(session) if m.version == version)
        assert entry.status == "candidate"
        assert entry.sha256 == sha256_of(Path(entry.stem + ARTEFACT_SUFFIX))
        assert entry.trained_on["source"] == "file" and entry.trained_on["rows"] == 160
        assert "holdout_rows" in entry.metrics
    assert _shadow(url).version == version
    # Shadow scoring changes nothing about routing: the active model is still the default.
    held_out = [LabelledNotification.model_validate(r) for r in generate(60, 9)]
    comparison = compare_models(url, version, DEFAULT_POLICY, rows=held_out)
    assert comparison["notifications"] == 60
    assert comparison["active_version"] == default.version
    for side in ("active", "candidate"):
        assert sum(comparison[side]["routes"].values()) == 60
    assert active_screener(url).model_version == default.version

    with pytest.raises(GovernanceError) as refused, session_scope(url) as session:
        promote_model(session, version=version, approver=manager, now=utcnow())
    assert refused.value.code == "not_head"
    with session_scope(url) as session:
        promote_model(session, version=version, approver=head, now=utcnow())
    assert _active(url).version == version
    assert active_screener(url).model_version == version
    assert _shadow(url) is None

    with session_scope(url) as session:
        assert rollback_model(session, user_id=head, now=utcnow()) == default.version
    assert _active(url).version == default.version
    with pytest.raises(GovernanceError) as nothing, session_scope(url) as session:
        rollback_model(session, user_id=head, now=utcnow())
    assert nothing.value.code == "nothing_to_roll_back"


def test_models_page_and_training_from_too_few_labels(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    add_user(settings, "hal", "head_of_safeguarding")
    client = client_for(settings)
    sign_in(client, "hal")
    page = client.get("/models")
    assert page.status_code == 200 and "Active" in page.text
    assert rows_from_labels(settings.database) == []
    # Training is a background job: the request queues it; run, it fails and says why.
    trained = post_form(client, "/models/train", "/models", {})
    assert trained.status_code == 303 and "train_queued" in trained.headers["location"]
    with session_scope(settings.database) as session:
        (job,) = latest_jobs(session, kinds=["train_model"])
    assert run_job(settings.database, job.id, data_dir=settings.resolved_data_dir) == "failed"
    assert TOO_FEW_LABELS in client.get("/models").text
    back = post_form(client, "/models/rollback", "/models", {})
    assert "nothing_to_roll_back" in back.headers["location"]
