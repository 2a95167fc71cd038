"""The model registry: every trained triage model with its artefact, hash, training data and
metrics; which one is active, which candidate runs in shadow; promotion and rollback.

Promotion needs a head of safeguarding and retires the active model in the same transaction,
remembering it, so a rollback is one step. Candidates are scored in shadow (`shadow_scores`):
recorded beside the active model's result, never used to route. The artefact's hash is checked
again when it is loaded (screening.model).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.audit import staff_actor, system_actor, write_audit
from models.db import changed_one
from models.governance_tables import ModelEntry, ShadowScore
from models.policy_governance import GovernanceError, require_head
from models.review_tables import LabelRecord
from models.tables import NotificationRecord

CANDIDATE, ACTIVE, RETIRED = "candidate", "active", "retired"


def register_model(
    session: Session,
    *,
    version: str,
    stem: str,
    sha256: str,
    trained_on: dict[str, Any],
    metrics: dict[str, Any],
    registered_by: int | None,
    now: datetime,
    status: str = CANDIDATE,
) -> ModelEntry:
    """Add a model (a candidate unless told otherwise); the same version twice is refused."""
    if session.scalar(select(ModelEntry.id).where(ModelEntry.version == version)) is not None:
        raise GovernanceError("model_exists")
    entry = ModelEntry(
        version=version,
        stem=stem,
        sha256=sha256,
        trained_on=trained_on,
        metrics=metrics,
        status=status,
        registered_by=registered_by,
        registered_at=now,
        promoted_at=now if status == ACTIVE else None,
    )
    session.add(entry)
    session.flush()
    actor = staff_actor(registered_by) if registered_by else system_actor("model_registry")
    write_audit(
        session,
        actor=actor,
        action="model_registered",
        detail={"version": version, "status": status},
    )
    return entry


def list_models(session: Session) -> list[ModelEntry]:
    return list(session.scalars(select(ModelEntry).order_by(ModelEntry.id.desc())))


def get_model(session: Session, version: str) -> ModelEntry | None:
    return session.scalar(select(ModelEntry).where(ModelEntry.version == version))


def active_entry(session: Session) -> ModelEntry | None:
    return session.scalar(
        select(ModelEntry).where(ModelEntry.status == ACTIVE).order_by(ModelEntry.id.desc())
    )


def shadow_entry(session: Session) -> ModelEntry | None:
    """The candidate that runs in shadow: the newest one."""
    return session.scalar(
        select(ModelEntry).where(ModelEntry.status == CANDIDATE).order_by(ModelEntry.id.desc())
    )


def promote_model(session: Session, *, version: str, approver: int, now: datetime) -> None:
    """Make a candidate the active model (a head's approval); the old one is remembered."""
    require_head(session, approver)
    entry = get_model(session, version)
    if entry is None:
        raise GovernanceError("not_found")
    if entry.status != CANDIDATE:
        raise GovernanceError("not_candidate")
    previous = active_entry(session)
    session.execute(
        update(ModelEntry)
        .where(ModelEntry.status == ACTIVE)
        .values(status=RETIRED)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(
        session,
        update(ModelEntry)
        .where(ModelEntry.version == version, ModelEntry.status == CANDIDATE)
        .values(
            status=ACTIVE,
            promoted_by=approver,
            promoted_at=now,
            replaced_version=previous.version if previous else None,
        ),
    ):
        raise GovernanceError("conflict")
    write_audit(
        session,
        actor=staff_actor(approver),
        action="model_promoted",
        detail={"version": version, "replaced": previous.version if previous else None},
    )


def rollback_model(session: Session, *, user_id: int, now: datetime) -> str:
    """One step back: the model the active one replaced is active again; returns its version."""
    require_head(session, user_id)
    current = active_entry(session)
    if current is None or not current.replaced_version:
        raise GovernanceError("nothing_to_roll_back")
    session.execute(
        update(ModelEntry)
        .where(ModelEntry.version == current.version)
        .values(status=RETIRED)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(ModelEntry)
        .where(ModelEntry.version == current.replaced_version)
        .values(status=ACTIVE, promoted_by=user_id, promoted_at=now)
        .execution_options(synchronize_session=False)
    )
    write_audit(
        session,
        actor=staff_actor(user_id),
        action="model_rolled_back",
        detail={"from": current.version, "to": current.replaced_version},
    )
    return current.replaced_version


def set_comparison(session: Session, version: str, comparison: dict[str, Any]) -> None:
    session.execute(
        update(ModelEntry)
        .where(ModelEntry.version == version)
        .values(comparison=comparison)
        .execution_options(synchronize_session=False)
    )


# --- for the workers ----------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRef:
    version: str
    stem: Path


def active_model_ref(session: Session) -> ModelRef | None:
    """The active model's artefact (None: use the built-in default model)."""
    entry = active_entry(session)
    return ModelRef(entry.version, Path(entry.stem)) if entry else None


def shadow_model_ref(session: Session) -> ModelRef | None:
    """The candidate to score in shadow, or None."""
    entry = shadow_entry(session)
    return ModelRef(entry.version, Path(entry.stem)) if entry else None


def record_shadow_score(
    session: Session,
    *,
    notification_id: uuid.UUID,
    model_version: str,
    score: float,
    route: str,
    now: datetime,
) -> bool:
    """Store a shadow score once per notification and model; False if already there."""
    exists = session.scalar(
        select(ShadowScore.id).where(
            ShadowScore.notification_id == notification_id,
            ShadowScore.model_version == model_version,
        )
    )
    if exists is not None:
        return False
    session.add(
        ShadowScore(
            notification_id=notification_id,
            model_version=model_version,
            score=float(score),
            route=route,
            created_at=now,
        )
    )
    return True


def shadow_counts(session: Session) -> dict[str, int]:
    stmt = select(ShadowScore.model_version, func.count()).group_by(ShadowScore.model_version)
    return {version: int(n) for version, n in session.execute(stmt)}


def recent_labelled(
    session: Session, since: datetime
) -> list[tuple[uuid.UUID, str, bool, list[str]]]:
    """(notification id, raw JSON, involved, categories) of the latest label of each
    notification received since `since`: the set a candidate is compared on."""
    latest = (
        select(func.max(LabelRecord.id).label("id"))
        .group_by(LabelRecord.notification_id)
        .subquery()
    )
    stmt = (
        select(
            NotificationRecord.id,
            NotificationRecord.raw_json,
            LabelRecord.child_involvement,
            LabelRecord.categories,
        )
        .join(LabelRecord, LabelRecord.notification_id == NotificationRecord.id)
        .join(latest, latest.c.id == LabelRecord.id)
        .where(NotificationRecord.received_at >= since)
        .where(NotificationRecord.raw_json != "")  # retention removed the rest's personal data
        .order_by(LabelRecord.id)
    )
    return [(r[0], r[1], bool(r[2]), list(r[3] or [])) for r in session.execute(stmt)]
