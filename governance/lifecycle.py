"""Model lifecycle: train a candidate (from the service's own labels or a file), register it,
score it in shadow beside the active model on the same recent labelled notifications, and
compare the two under the active policy. Promotion and rollback are models.model_registry's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from governance.active_model import active_screener
from models.contract import LabelledNotification, Notification
from models.db import session_scope
from models.job_store import Progress
from models.label_store import iter_labels
from models.model_registry import get_model, recent_labelled, register_model, set_comparison
from models.model_registry import record_shadow_score as store_shadow
from models.types import utcnow
from screening.analysis import analyse
from screening.evaluation import ScreenedLabel, evaluate
from screening.policy import Policy
from screening.route import route_of
from screening.screener import load_screener


def rows_from_labels(url: str) -> list[LabelledNotification]:
    """Every labelled notification of the service (latest label each), contract section 5."""
    with session_scope(url) as session:
        return [LabelledNotification.model_validate(line) for line in iter_labels(session)]


def train_candidate(
    url: str,
    data_dir: Path,
    rows: Sequence[LabelledNotification],
    trained_on: dict[str, Any],
    *,
    registered_by: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> str:
    """Fit a model, save it under `<data_dir>/models/` and register it as a candidate;
    `progress` hears of each of the two steps (fitting, registering)."""
    from screening.training import train

    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    stem = data_dir / "models" / f"candidate-{stamp}"
    if progress is not None:
        progress(0, 2, f"Fitting a model on {len(rows)} labelled notifications")
    model = train(rows, stem, trained_on, seed=seed)
    if progress is not None:
        progress(1, 2, "Registering the candidate")
    with session_scope(url) as session:
        register_model(
            session,
            version=model.version,
            stem=str(stem.resolve()),
            sha256=str(model.manifest["sha256"]),
            trained_on=dict(model.manifest["trained_on"]),
            metrics=dict(model.manifest["metrics"]),
            registered_by=registered_by,
            now=utcnow(),
        )
    return model.version


def _figures(outcomes: list[ScreenedLabel]) -> dict[str, Any]:
    report = evaluate(outcomes)
    low, high = report.recall_interval
    return {
        "recall": report.recall,
        "recall_95ci": [round(low, 4), round(high, 4)],
        "screen_out_share_of_not_involved": report.screen_out_share,
        "triage_check_share": report.triage_share,
        "missed": len(report.misses),
        "routes": report.routes,
    }


def compare_models(
    url: str,
    version: str,
    policy: Policy,
    *,
    days: int = 90,
    rows: Sequence[LabelledNotification] | None = None,
) -> dict[str, Any]:
    """Score the same labelled notifications with the active model and the candidate.

    By default: the service's labels on notifications received in the last `days` days; the
    candidate's scores and routes are stored as shadow scores (never used to route).
    `rows` (e.g. a labelled file) replaces them.
    """
    with session_scope(url) as session:
        entry = get_model(session, version)
        if entry is None:
            raise LookupError(version)
        stem = Path(entry.stem)
    candidate = load_screener(stem)
    active = active_screener(url)
    ids: list[Any] = []
    if rows is None:
        with session_scope(url) as session:
            recent = recent_labelled(session, utcnow() - timedelta(days=days))
        ids = [r[0] for r in recent]
        labelled = [
            LabelledNotification.model_validate(
                {
                    "notification": Notification.model_validate_json(raw),
                    "label": {"child_involvement": involved, "categories": categories},
                }
            )
            for _, raw, involved, categories in recent
        ]
        source = f"service labels, last {days} days"
    else:
        labelled = list(rows)
        source = "labelled file"
    analyses = [analyse(r.notification) for r in labelled]
    active_scores = active.scores(analyses) if analyses else []
    candidate_scores = candidate.scores(analyses) if analyses else []
    active_out, candidate_out = [], []
    now = utcnow()
    with session_scope(url) as session:
        for i, (row, analysis) in enumerate(zip(labelled, analyses, strict=True)):
            facts = analysis.facts()
            ref = row.notification.reference
            active_out.append(
                ScreenedLabel(ref, row.label, route_of(facts, active_scores[i], policy))
            )
            route = route_of(facts, candidate_scores[i], policy)
            candidate_out.append(ScreenedLabel(ref, row.label, route))
            if ids:
                store_shadow(
                    session,
                    notification_id=ids[i],
                    model_version=version,
                    score=candidate_scores[i],
                    route=route,
                    now=now,
                )
    comparison = {
        "compared_at": now.isoformat(timespec="seconds"),
        "on": source,
        "notifications": len(labelled),
        "policy_version": policy.version,
        "active_version": active.model_version,
        "active": _figures(active_out),
        "candidate": _figures(candidate_out),
    }
    with session_scope(url) as session:
        set_comparison(session, version, comparison)
    return comparison
