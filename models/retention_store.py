"""The queries of retention: which notifications are due for purge, legal holds, the purge itself.

The purge removes a notification's personal data and keeps what the figures need: the
notification row (reference, source, status, times), its route, score, categories and versions,
its queue items, decisions and sample verdicts (outcomes, times, who), its labels and labelled
facts (the what-if history), shadow scores and the audit trail's who, what and when. The other
copies of the people go too: the people index's mentions, the search terms, the queue's
summary and any unfinished decision draft. Every statement is set-based over a bounded batch
of ids (one array parameter on PostgreSQL); the caller commits between batches.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    String,
    Uuid,
    any_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from models.audit import write_audit
from models.db import rows_changed
from models.governance_tables import LabelledFacts
from models.ig_tables import LegalHold, PurgedNotification, PurgeRun
from models.people_tables import PersonMention
from models.person_match import PersonKey, appearances, normalise_name
from models.review_tables import DecisionDraft, DecisionRecord, LabelRecord, SampleOutcome
from models.search_tables import NotificationSummary, SearchTerm
from models.subject_access_store import linked_mentions
from models.tables import AuditEvent, NotificationRecord, QueueItem, TriageResult
from models.types import UTCDateTime

LIVE = ("open", "claimed")
SAMPLE_KIND = "manager_sample"
# Audit actions whose detail is known to hold ids and codes only: kept as they are. Any other
# action's detail on a purged notification is emptied (who, what and when stay).
SAFE_AUDIT_ACTIONS = frozenset({
    "notification_received", "notification_triaged", "triage_failed", "triage_replayed",
    "viewed", "audit_viewed", "claimed", "released", "decided", "signed_off",
    "signoff_returned", "sample_confirmed", "sample_overturned", "legal_hold_placed",
    "legal_hold_released", "subject_access_export",
})
EMPTY = ""


@dataclass(frozen=True)
class Candidate:
    """A closed notification and what its retention class depends on."""

    notification_id: uuid.UUID
    reference: str
    route: str
    closed_at: datetime
    sampled: bool
    labelled_involved: bool | None


def closed_notifications(session: Session) -> list[Candidate]:
    """Notifications that are triaged, not purged, with no live item, no decision awaiting
    sign-off, and whose latest label (if any) is already in the what-if history."""
    items = (
        select(
            QueueItem.notification_id.label("nid"),
            func.max(QueueItem.closed_at).label("closed"),
            func.sum(case((QueueItem.status.in_(LIVE), 1), else_=0)).label("live"),
            func.sum(case((QueueItem.kind == SAMPLE_KIND, 1), else_=0)).label("sampled"),
        )
        .group_by(QueueItem.notification_id)
        .subquery()
    )
    latest = (
        select(LabelRecord.notification_id.label("nid"), func.max(LabelRecord.id).label("lid"))
        .group_by(LabelRecord.notification_id)
        .subquery()
    )
    pending = select(DecisionRecord.notification_id).where(
        DecisionRecord.signoff_status == "pending"
    )
    stmt = (
        select(
            NotificationRecord.id,
            NotificationRecord.reference,
            TriageResult.route,
            TriageResult.created_at,
            items.c.closed,
            items.c.sampled,
            LabelRecord.child_involvement,
        )
        .join(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .outerjoin(items, items.c.nid == NotificationRecord.id)
        .outerjoin(latest, latest.c.nid == NotificationRecord.id)
        .outerjoin(LabelRecord, LabelRecord.id == latest.c.lid)
        .outerjoin(LabelledFacts, LabelledFacts.notification_id == NotificationRecord.id)
        .outerjoin(PurgedNotification, PurgedNotification.notification_id == NotificationRecord.id)
        .where(PurgedNotification.notification_id.is_(None))
        .where(func.coalesce(items.c.live, 0) == 0)
        .where(latest.c.lid.is_(None) | (LabelledFacts.label_id == latest.c.lid))
        .where(NotificationRecord.id.not_in(pending))
        .order_by(NotificationRecord.id)
    )
    found = []
    for nid, reference, route, triaged_at, closed, sampled, involved in session.execute(stmt):
        when = triaged_at if closed is None or closed < triaged_at else closed
        found.append(
            Candidate(nid, reference, route, when, bool(sampled),
                      None if involved is None else bool(involved))
        )
    return found


# Legal holds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldRow:
    id: int
    kind: str
    notification_id: uuid.UUID | None
    reference: str | None
    reason: str
    placed_by: int
    placed_at: datetime
    has_person: bool


def place_notification_hold(
    session: Session, *, notification_id: uuid.UUID, reason: str, placed_by: int, now: datetime
) -> int:
    hold = LegalHold(kind="notification", notification_id=notification_id, reason=reason,
                     placed_by=placed_by, placed_at=now)
    session.add(hold)
    session.flush()
    write_audit(session, actor=f"staff:{placed_by}", action="legal_hold_placed",
                notification_id=notification_id, detail={"hold": hold.id, "kind": "notification"},
                now=now)
    return hold.id


def place_person_hold(
    session: Session,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    reason: str,
    placed_by: int,
    now: datetime,
) -> int:
    hold = LegalHold(kind="person", given_name=normalise_name(given_name),
                     family_name=normalise_name(family_name), date_of_birth=date_of_birth,
                     reason=reason, placed_by=placed_by, placed_at=now)
    session.add(hold)
    session.flush()
    write_audit(session, actor=f"staff:{placed_by}", action="legal_hold_placed",
                detail={"hold": hold.id, "kind": "person"}, now=now)
    return hold.id


def release_hold(session: Session, *, hold_id: int, released_by: int, now: datetime) -> bool:
    """End a hold; a person hold's identifiers are blanked (they were kept only for it)."""
    hold = session.get(LegalHold, hold_id)
    if hold is None or hold.released_at is not None:
        return False
    hold.released_at, hold.released_by = now, released_by
    hold.given_name = hold.family_name = None
    hold.date_of_birth = None
    write_audit(session, actor=f"staff:{released_by}", action="legal_hold_released",
                notification_id=hold.notification_id, detail={"hold": hold.id, "kind": hold.kind},
                now=now)
    return True


def active_holds(session: Session) -> list[HoldRow]:
    stmt = (
        select(LegalHold, NotificationRecord.reference)
        .outerjoin(NotificationRecord, NotificationRecord.id == LegalHold.notification_id)
        .where(LegalHold.released_at.is_(None))
        .order_by(LegalHold.placed_at.desc())
    )
    return [
        HoldRow(h.id, h.kind, h.notification_id, ref, h.reason, h.placed_by, h.placed_at,
                h.kind == "person")
        for h, ref in session.execute(stmt)
    ]


def held_notifications(session: Session) -> set[uuid.UUID]:
    """Every notification under an active hold: held itself, or a held person appears in it
    (by name and date of birth, or linked to them by the people index)."""
    held: set[uuid.UUID | None] = set(
        session.scalars(
            select(LegalHold.notification_id).where(
                LegalHold.released_at.is_(None), LegalHold.notification_id.is_not(None)
            )
        )
    )
    people = session.execute(
        select(LegalHold.given_name, LegalHold.family_name, LegalHold.date_of_birth).where(
            LegalHold.released_at.is_(None), LegalHold.kind == "person"
        )
    ).all()
    for given, family, born in people:
        if born is None:
            continue
        key = PersonKey(given or "", family or "", born)
        found = list(appearances(session, key=key))
        held.update(a.notification_id for a in found)
        # And wherever the people index links the same person (a nickname, a typo).
        pairs = [(a.notification_id, i) for a in found for i in a.person_indexes]
        held.update(linked_mentions(session, found=pairs))
    return {i for i in held if i is not None}


def notification_by_reference(session: Session, *, reference: str) -> uuid.UUID | None:
    return session.scalar(
        select(NotificationRecord.id).where(NotificationRecord.reference == reference).limit(1)
    )


# The purge ----------------------------------------------------------------------------------


def start_run(
    session: Session, *, actor: str, policy_version: int, dry_run: bool, now: datetime
) -> int:
    run = PurgeRun(actor=actor, policy_version=policy_version, dry_run=dry_run, started_at=now,
                   notifications=0, held=0, counts={})
    session.add(run)
    session.flush()
    return run.id


def purge_batch(
    session: Session,
    *,
    run_id: int,
    ids: Sequence[uuid.UUID],
    retention_class: dict[uuid.UUID, str],
    now: datetime,
) -> dict[str, int]:
    """Remove the personal data of `ids` (one bounded batch), set-based; rows changed per table."""
    batch = list(ids)
    changed: dict[str, int] = {}
    postgres = session.get_bind().dialect.name == "postgresql"

    def among(column: Any, values: Sequence[uuid.UUID] | None = None) -> Any:
        """`column IN (...)` (default: the batch); on PostgreSQL one array parameter
        (`= ANY`), cheaper to send and plan than thousands of parameters."""
        chosen = list(batch if values is None else values)
        if postgres:
            return column == any_(bindparam(None, chosen, type_=ARRAY(Uuid())))
        return column.in_(chosen)

    def run(name: str, stmt: Any) -> None:
        changed[name] = changed.get(name, 0) + rows_changed(session.execute(stmt))

    # Work reopened, or a hold placed, since the plan was made: left for a later run.
    reopened = set(session.scalars(select(QueueItem.notification_id).where(
        among(QueueItem.notification_id), QueueItem.status.in_(LIVE))))
    reopened |= set(session.scalars(select(LegalHold.notification_id).where(
        among(LegalHold.notification_id), LegalHold.released_at.is_(None))))
    if reopened:
        changed["skipped"] = len(reopened)
        batch = [i for i in batch if i not in reopened]
        if not batch:
            return changed

    run("notifications", update(NotificationRecord)
        .where(among(NotificationRecord.id))
        .values(raw_json=EMPTY, address_key=EMPTY, body_hash=EMPTY, last_error=None)
        .execution_options(synchronize_session=False))
    run("triage_results", update(TriageResult)
        .where(among(TriageResult.notification_id))
        .values(evidence=[], reasons=[])
        .execution_options(synchronize_session=False))
    run("decisions", update(DecisionRecord)
        .where(among(DecisionRecord.notification_id))
        .values(reasoning=EMPTY, signoff_note=None)
        .execution_options(synchronize_session=False))
    run("sample_outcomes", update(SampleOutcome)
        .where(among(SampleOutcome.notification_id))
        .values(reasoning=EMPTY)
        .execution_options(synchronize_session=False))
    run("audit_events", update(AuditEvent)
        .where(among(AuditEvent.notification_id),
               AuditEvent.action.not_in(sorted(SAFE_AUDIT_ACTIONS)),
               cast(AuditEvent.detail, String) != "{}")
        .values(detail={})
        .execution_options(synchronize_session=False))
    # The other copies of the people and the address: the people index's mentions, the
    # search terms and the queue's summary (issues 9 and 12), and any unfinished draft.
    run("person_mentions", delete(PersonMention)
        .where(among(PersonMention.notification_id))
        .execution_options(synchronize_session=False))
    run("search_terms", delete(SearchTerm)
        .where(among(SearchTerm.notification_id))
        .execution_options(synchronize_session=False))
    run("notification_summaries", update(NotificationSummary)
        .where(among(NotificationSummary.notification_id))
        .values(victim_name=EMPTY, victim_family=EMPTY, victim_family_key=EMPTY, town=EMPTY,
                town_key=EMPTY, postcode=EMPTY)
        .execution_options(synchronize_session=False))
    run("decision_drafts", delete(DecisionDraft)
        .where(DecisionDraft.queue_item_id.in_(
            select(QueueItem.id).where(among(QueueItem.notification_id))))
        .execution_options(synchronize_session=False))
    by_class: dict[str, list[uuid.UUID]] = {}
    for i in batch:
        by_class.setdefault(retention_class[i], []).append(i)
    for name, members in sorted(by_class.items()):
        session.execute(insert(PurgedNotification).from_select(
            ["notification_id", "run_id", "retention_class", "purged_at"],
            select(NotificationRecord.id, literal(run_id), literal(name),
                   literal(now, UTCDateTime())).where(among(NotificationRecord.id, members))))
    return changed


def finish_run(
    session: Session,
    *,
    run_id: int,
    notifications: int,
    held: int,
    counts: dict[str, Any],
    actor: str,
    now: datetime,
) -> None:
    """Close the run's log row and audit it: counts only."""
    session.execute(
        update(PurgeRun).where(PurgeRun.id == run_id)
        .values(finished_at=now, notifications=notifications, held=held, counts=counts)
    )
    dry = session.scalar(select(PurgeRun.dry_run).where(PurgeRun.id == run_id))
    write_audit(session, actor=actor,
                action="retention_dry_run" if dry else "retention_purge",
                detail={"run": run_id, "notifications": notifications, "held": held, **counts},
                now=now)


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    dry_run: bool
    actor: str
    policy_version: int
    notifications: int
    held: int
    counts: dict[str, Any]


def recent_runs(session: Session, *, limit: int = 20) -> list[RunRow]:
    rows = session.scalars(select(PurgeRun).order_by(PurgeRun.id.desc()).limit(limit))
    return [RunRow(r.id, r.started_at, r.finished_at, r.dry_run, r.actor, r.policy_version,
                   r.notifications, r.held, dict(r.counts or {})) for r in rows]


def purged_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(PurgedNotification)) or 0)
