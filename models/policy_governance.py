"""Policy versions under two-person control: propose with a reason, approve by a second head.

A version's policy JSON is never changed once written: a change is a new version. A proposal
takes effect only when a head of safeguarding other than its proposer approves it (unless
single approval is allowed, for small authorities); approving retires the version that was
active, in the same transaction. Every step writes an audit event. The caller validates the
policy document (screening.policy.Policy) before proposing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from models.audit import staff_actor, write_audit
from models.db import changed_one
from models.tables import PolicyVersion, StaffAccount

HEAD_ROLE = "head_of_safeguarding"
# policy_versions.status values used here ("rejected": refused or withdrawn, never active).
PROPOSED, ACTIVE, RETIRED, REJECTED = "proposed", "active", "retired", "rejected"


class GovernanceError(Exception):
    """A policy or model action that is not allowed; `code` says why (no personal data)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class VersionRow:
    version: int
    policy: dict[str, Any]
    reason: str
    status: str
    proposed_by: int | None
    proposed_by_name: str | None
    approved_by: int | None
    approved_by_name: str | None
    created_at: datetime
    activated_at: datetime | None


def require_head(session: Session, user_id: int) -> None:
    user = session.get(StaffAccount, user_id)
    if user is None or not user.active or user.role != HEAD_ROLE:
        raise GovernanceError("not_head")


def propose_policy(
    session: Session,
    *,
    policy: Mapping[str, Any],
    reason: str,
    proposed_by: int,
    now: datetime,
) -> int:
    """Store `policy` as a new proposed version; returns its version number."""
    reason = reason.strip()
    if not reason:
        raise GovernanceError("reason_required")
    require_head(session, proposed_by)
    version = int(session.scalar(select(func.max(PolicyVersion.version))) or 0) + 1
    session.add(
        PolicyVersion(
            version=version,
            policy={**dict(policy), "version": version},
            reason=reason,
            proposed_by=proposed_by,
            status=PROPOSED,
            created_at=now,
        )
    )
    session.flush()
    write_audit(
        session,
        actor=staff_actor(proposed_by),
        action="policy_proposed",
        detail={"version": version},
    )
    return version


def _from_proposed(session: Session, version: int, **values: object) -> bool:
    """Move a version that is still proposed (approved or rejected); False if it is not."""
    return changed_one(
        session,
        update(PolicyVersion)
        .where(PolicyVersion.version == version, PolicyVersion.status == PROPOSED)
        .values(**values),
    )


def approve_policy(
    session: Session, *, version: int, approver: int, single_approval: bool, now: datetime
) -> None:
    """Make a proposed version active; a proposer may not approve their own change."""
    require_head(session, approver)
    row = session.scalar(select(PolicyVersion).where(PolicyVersion.version == version))
    if row is None:
        raise GovernanceError("not_found")
    if row.status != PROPOSED:
        raise GovernanceError("not_proposed")
    if row.proposed_by == approver and not single_approval:
        raise GovernanceError("self_approval")
    if not _from_proposed(session, version, status=ACTIVE, approved_by=approver, activated_at=now):
        raise GovernanceError("conflict")
    session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.status == ACTIVE, PolicyVersion.version != version)
        .values(status=RETIRED)
        .execution_options(synchronize_session=False)
    )
    write_audit(
        session,
        actor=staff_actor(approver),
        action="policy_approved",
        detail={"version": version, "single_approval": row.proposed_by == approver},
    )


def reject_policy(session: Session, *, version: int, user_id: int, now: datetime) -> None:
    """Refuse (another head) or withdraw (the proposer) a proposed version."""
    require_head(session, user_id)
    if not _from_proposed(session, version, status=REJECTED):
        raise GovernanceError("not_proposed")
    write_audit(
        session,
        actor=staff_actor(user_id),
        action="policy_rejected",
        detail={"version": version},
    )


def list_policy_versions(session: Session) -> list[VersionRow]:
    """Every version, newest first, with who proposed and approved it."""
    proposer, approver = aliased(StaffAccount), aliased(StaffAccount)
    stmt = (
        select(PolicyVersion, proposer.username, approver.username)
        .outerjoin(proposer, proposer.id == PolicyVersion.proposed_by)
        .outerjoin(approver, approver.id == PolicyVersion.approved_by)
        .order_by(PolicyVersion.version.desc())
    )
    return [
        VersionRow(
            version=row.version,
            policy=dict(row.policy),
            reason=row.reason,
            status=row.status,
            proposed_by=row.proposed_by,
            proposed_by_name=proposed_name,
            approved_by=row.approved_by,
            approved_by_name=approved_name,
            created_at=row.created_at,
            activated_at=row.activated_at,
        )
        for row, proposed_name, approved_name in session.execute(stmt)
    ]


def get_policy_version(session: Session, version: int) -> VersionRow | None:
    return next((r for r in list_policy_versions(session) if r.version == version), None)
