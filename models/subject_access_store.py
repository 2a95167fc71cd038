"""The queries of subject access: everything the service holds on a set of notifications (the
notification, its screening result, queue items, decisions, sample verdicts, labels, purge and
every audit event with staff named), and the log of exports, audited per notification."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import audit_row, write_audits
from models.ig_tables import PurgedNotification, SubjectAccessExport
from models.people_tables import PersonMention
from models.review_tables import DecisionRecord, LabelRecord, SampleOutcome
from models.tables import AuditEvent, NotificationRecord, QueueItem, StaffAccount, TriageResult

EXPORT_ACTION = "subject_access_export"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _staff_names(session: Session) -> dict[int, str]:
    return {i: name for i, name in session.execute(select(StaffAccount.id,
                                                          StaffAccount.username))}


def _actor(actor: str, names: dict[int, str]) -> str:
    kind, _, ident = actor.partition(":")
    if kind == "staff" and ident.isdigit():
        return f"staff: {names.get(int(ident), actor)}"
    return actor


def _by_notification(rows: Sequence[Any]) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.notification_id].append(row)
    return grouped


def records_of(session: Session, *, notification_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """What the service holds on each notification (raw JSON as stored), oldest first."""
    ids = list(notification_ids)
    if not ids:
        return []
    names = _staff_names(session)

    def who(user_id: int | None) -> str | None:
        return None if user_id is None else names.get(user_id, f"staff:{user_id}")

    notifications = session.scalars(
        select(NotificationRecord).where(NotificationRecord.id.in_(ids))
        .order_by(NotificationRecord.received_at, NotificationRecord.id)
    ).all()
    results = {r.notification_id: r for r in session.scalars(
        select(TriageResult).where(TriageResult.notification_id.in_(ids)))}
    purged = {p.notification_id: p for p in session.scalars(
        select(PurgedNotification).where(PurgedNotification.notification_id.in_(ids)))}
    items = _by_notification(session.scalars(
        select(QueueItem).where(QueueItem.notification_id.in_(ids)).order_by(QueueItem.id)).all())
    decisions = _by_notification(session.scalars(
        select(DecisionRecord).where(DecisionRecord.notification_id.in_(ids))
        .order_by(DecisionRecord.id)).all())
    samples = _by_notification(session.scalars(
        select(SampleOutcome).where(SampleOutcome.notification_id.in_(ids))
        .order_by(SampleOutcome.id)).all())
    labels = _by_notification(session.scalars(
        select(LabelRecord).where(LabelRecord.notification_id.in_(ids))
        .order_by(LabelRecord.id)).all())
    events = _by_notification(session.scalars(
        select(AuditEvent).where(AuditEvent.notification_id.in_(ids))
        .order_by(AuditEvent.at, AuditEvent.id)).all())
    out = []
    for n in notifications:
        result = results.get(n.id)
        gone = purged.get(n.id)
        out.append({
            "notification_id": str(n.id),
            "reference": n.reference,
            "received_at": _iso(n.received_at),
            "status": n.status,
            "raw_json": n.raw_json,
            "purged": None if gone is None else {"at": _iso(gone.purged_at),
                                                 "retention_class": gone.retention_class},
            "screening": None if result is None else {
                "route": result.route, "priority": result.priority,
                "score": round(float(result.score), 4), "categories": list(result.categories),
                "reasons": list(result.reasons), "evidence": list(result.evidence),
                "policy_version": result.policy_version, "model_version": result.model_version,
                "at": _iso(result.created_at)},
            "queue_items": [{"kind": i.kind, "priority": i.priority, "status": i.status,
                             "created_at": _iso(i.created_at), "deadline_at": _iso(i.deadline_at),
                             "claimed_by": who(i.claimed_by), "closed_at": _iso(i.closed_at)}
                            for i in items.get(n.id, [])],
            "decisions": [{"kind": d.kind, "outcome": d.outcome, "reasoning": d.reasoning,
                           "child_involvement": d.child_involvement,
                           "categories": list(d.categories or []), "decided_by": who(d.decided_by),
                           "decided_at": _iso(d.decided_at), "signoff_status": d.signoff_status,
                           "signed_off_by": who(d.signed_off_by),
                           "signoff_note": d.signoff_note}
                          for d in decisions.get(n.id, [])],
            "samples": [{"outcome": s.outcome, "reasoning": s.reasoning, "is_miss": s.is_miss,
                         "decided_by": who(s.decided_by), "decided_at": _iso(s.decided_at)}
                        for s in samples.get(n.id, [])],
            "labels": [{"child_involvement": label.child_involvement,
                        "categories": list(label.categories or []), "source": label.source,
                        "labelled_by": who(label.labelled_by),
                        "labelled_at": _iso(label.labelled_at)}
                       for label in labels.get(n.id, [])],
            "audit": [{"at": _iso(e.at), "actor": _actor(e.actor, names), "action": e.action,
                       "staff": e.actor.startswith("staff:")}
                      for e in events.get(n.id, [])],
        })
    return out


def record_export(
    session: Session,
    *,
    actor: str,
    notification_ids: Sequence[uuid.UUID],
    staff_views: int,
    third_parties: int,
    formats: Sequence[str],
    now: datetime,
) -> int:
    """Log an export (counts only) and audit it once per notification it holds."""
    export = SubjectAccessExport(exported_by=actor, exported_at=now,
                                 notifications=len(notification_ids), staff_views=staff_views,
                                 third_parties=third_parties)
    session.add(export)
    session.flush()
    detail = {"export": export.id, "formats": list(formats)}
    rows = [audit_row(actor=actor, action=EXPORT_ACTION, notification_id=i, detail=detail,
                      now=now) for i in notification_ids]
    if not rows:
        rows = [audit_row(actor=actor, action=EXPORT_ACTION, detail={**detail, "found": 0},
                          now=now)]
    write_audits(session, rows)
    return export.id


def recent_exports(session: Session, *, limit: int = 20) -> list[SubjectAccessExport]:
    return list(session.scalars(
        select(SubjectAccessExport).order_by(SubjectAccessExport.id.desc()).limit(limit)))


def linked_mentions(
    session: Session, *, found: Sequence[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, tuple[int, ...]]:
    """Other notifications the people index links to the same person as the people `found`
    ((notification, position in its people) pairs): notification -> positions. Empty when the
    index has nothing (it is filled by triage; nothing here depends on it)."""
    if not found:
        return {}
    ids = {n for n, _ in found}
    wanted = set(found)
    persons = {
        person_id
        for nid, position, person_id in session.execute(
            select(PersonMention.notification_id, PersonMention.position,
                   PersonMention.person_id).where(PersonMention.notification_id.in_(ids)))
        if (nid, position) in wanted
    }
    if not persons:
        return {}
    linked: dict[uuid.UUID, list[int]] = defaultdict(list)
    for nid, position in session.execute(
        select(PersonMention.notification_id, PersonMention.position)
        .where(PersonMention.person_id.in_(persons))
    ):
        if nid not in ids:
            linked[nid].append(int(position))
    return {nid: tuple(sorted(p)) for nid, p in linked.items()}


def raw_documents(
    session: Session, *, notification_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str]]:
    if not notification_ids:
        return []
    return [(i, raw) for i, raw in session.execute(
        select(NotificationRecord.id, NotificationRecord.raw_json)
        .where(NotificationRecord.id.in_(list(notification_ids))))]
