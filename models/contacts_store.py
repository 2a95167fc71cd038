"""The hand-over to case management: every decided notification becomes contact records shaped
as the Standard Safeguarding Dataset's `ssd_contacts` (one per child), read as a feed in order.

A notification is decided when its last piece of work is closed with a final outcome: a duty
review decision that closed its item (at once or on sign-off), a triage check confirmed as a
screen-out, or a manager confirming a sampled screen-out; and no work on it is still open.
`sync_contacts` turns newly decided notifications into contact rows under a lock, so the feed
positions (`ContactRecord.id`) are given in commit order: a reader that has seen position N has
seen every position below N, and one that resumes after N misses nothing and sees nothing
twice. Every reader syncs first (`contacts_after`, `all_contacts`). Store functions take the
caller's Session first; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.orm import Session

from models.audit import audit_row, write_audits
from models.contact_tables import ContactRecord
from models.contract import Notification
from models.review_tables import LIVE, DecisionRecord, SampleOutcome
from models.tables import NotificationRecord, QueueItem, Source

# The CIN census "source of referral" code for the police, as ssd_contacts carries it.
SOURCE_CODE = "6"
SOURCE_DESC = "Police"
# ssd_contacts.cont_contact_outcome_json: every key, always, "Y" or "N".
OUTCOME_KEYS = (
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
)
# A final outcome -> the flags it sets (docs/contacts-feed.md).
FLAGS_OF: dict[str, frozenset[str]] = {
    "refer_for_assessment": frozenset({"NEW_REFERRAL_FLAG"}),
    "strategy_discussion": frozenset({"NEW_REFERRAL_FLAG", "CP_ENQUIRY_FLAG"}),
    "early_help": frozenset({"OTHER_OUTCOMES_EXIST_FLAG"}),
    "no_further_action": frozenset({"NFA_FLAG"}),
    "close_no_child": frozenset({"NFA_FLAG"}),
    "confirm_screen_out": frozenset({"NFA_FLAG"}),
    "sample_confirmed_screen_out": frozenset({"NFA_FLAG"}),
}
DECISION_OUTCOMES = tuple(o for o in FLAGS_OF if o != "sample_confirmed_screen_out")
NO_CHILD = -1
# Any constant: the advisory lock that numbers contacts one sync at a time (PostgreSQL).
SYNC_LOCK_KEY = 1_201_012


def outcome_flags(outcome: str) -> dict[str, str]:
    flags = FLAGS_OF.get(outcome, frozenset({"OTHER_OUTCOMES_EXIST_FLAG"}))
    return {key: "Y" if key in flags else "N" for key in OUTCOME_KEYS}


def _lock(session: Session) -> None:
    """One sync at a time (SQLite's immediate write transactions already serialise)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK_KEY})


def _final_outcomes(session: Session) -> dict[uuid.UUID, tuple[datetime, str]]:
    """Decided notifications without contacts yet: their latest final outcome and its time."""
    no_contact = ~exists().where(ContactRecord.notification_id == NotificationRecord.id)
    no_live_work = ~exists().where(
        QueueItem.notification_id == NotificationRecord.id, QueueItem.status.in_(LIVE)
    )
    decided_at = func.coalesce(DecisionRecord.signed_off_at, DecisionRecord.decided_at)
    decisions = (
        select(DecisionRecord.notification_id, decided_at, DecisionRecord.outcome)
        .join(NotificationRecord, NotificationRecord.id == DecisionRecord.notification_id)
        .where(
            DecisionRecord.outcome.in_(DECISION_OUTCOMES),
            or_(
                and_(
                    DecisionRecord.needs_signoff.is_(False),
                    DecisionRecord.signoff_status.is_(None),
                ),
                DecisionRecord.signoff_status == "approved",
            ),
            no_contact,
            no_live_work,
        )
    )
    samples = (
        select(SampleOutcome.notification_id, SampleOutcome.decided_at, SampleOutcome.outcome)
        .join(NotificationRecord, NotificationRecord.id == SampleOutcome.notification_id)
        .where(SampleOutcome.outcome == "confirm", no_contact, no_live_work)
    )
    latest: dict[uuid.UUID, tuple[datetime, str]] = {}
    for notification_id, at, outcome in [*session.execute(decisions), *session.execute(samples)]:
        name = "sample_confirmed_screen_out" if outcome == "confirm" else outcome
        if notification_id not in latest or at >= latest[notification_id][0]:
            latest[notification_id] = (at, name)
    return latest


def children_of(raw_json: str) -> list[int]:
    """Indexes of the children among a notification's people ([NO_CHILD] if none is named)."""
    try:
        notification = Notification.model_validate_json(raw_json)
    except ValidationError:
        return [NO_CHILD]
    found = [i for i, p in enumerate(notification.people) if notification.is_child(p)]
    return found or [NO_CHILD]


def sync_contacts(session: Session, *, now: datetime) -> int:
    """Add the contacts of every newly decided notification, in decision order; how many."""
    _lock(session)
    decided = _final_outcomes(session)
    if not decided:
        return 0
    order = sorted(decided, key=lambda n: (decided[n][0], str(n)))
    found = {
        row.id: row
        for row in session.execute(
            select(
                NotificationRecord.id, NotificationRecord.received_at, NotificationRecord.raw_json
            ).where(NotificationRecord.id.in_(order))
        )
    }
    added = 0
    for notification_id in order:
        at, outcome = decided[notification_id]
        notification = found[notification_id]
        for child in children_of(notification.raw_json):
            session.add(
                ContactRecord(
                    contact_id=f"{notification_id}-{child if child != NO_CHILD else 'x'}",
                    notification_id=notification_id,
                    child_index=child,
                    contact_date=notification.received_at,
                    decided_at=at,
                    outcome=outcome,
                    outcome_flags=outcome_flags(outcome),
                    nfa=outcome_flags(outcome)["NFA_FLAG"] == "Y",
                    created_at=now,
                )
            )
            added += 1
        session.flush()  # one notification's rows numbered together, in order
    return added


@dataclass(frozen=True)
class Contact:
    """One contact as handed over (docs/contacts-feed.md)."""

    position: int
    contact_id: str
    person_ref: str | None
    contact_date: datetime
    decided_at: datetime
    outcome: str
    outcome_flags: dict[str, str]
    nfa: bool
    notification_id: uuid.UUID
    reference: str
    source: str
    child: dict[str, Any] | None


def _child_details(raw_json: str, index: int) -> dict[str, Any] | None:
    if index == NO_CHILD:
        return None
    try:
        notification = Notification.model_validate_json(raw_json)
        person = notification.people[index]
    except (ValidationError, IndexError):
        return None
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "age": notification.age_of(person),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "present_at_incident": person.present_at_incident,
        "lives_at_address": person.lives_at_address,
    }


def _contacts(session: Session, condition: Any, limit: int | None) -> list[Contact]:
    statement = (
        select(
            ContactRecord, NotificationRecord.reference, NotificationRecord.raw_json, Source.name
        )
        .join(NotificationRecord, NotificationRecord.id == ContactRecord.notification_id)
        .join(Source, Source.id == NotificationRecord.source_id)
        .where(condition)
        .order_by(ContactRecord.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return [
        Contact(
            position=c.id,
            contact_id=c.contact_id,
            person_ref=c.contact_id if c.child_index != NO_CHILD else None,
            contact_date=c.contact_date,
            decided_at=c.decided_at,
            outcome=c.outcome,
            outcome_flags={k: str(c.outcome_flags.get(k, "N")) for k in OUTCOME_KEYS},
            nfa=c.nfa,
            notification_id=c.notification_id,
            reference=reference,
            source=source,
            child=_child_details(raw_json, c.child_index),
        )
        for c, reference, raw_json, source in session.execute(statement)
    ]


def contacts_after(
    session: Session, *, position: int, limit: int, now: datetime
) -> list[Contact]:
    """Up to `limit` contacts after feed position `position`, in feed order (synced first)."""
    sync_contacts(session, now=now)
    return _contacts(session, ContactRecord.id > position, limit)


def position_before(session: Session, *, at: datetime) -> int:
    """The feed position just before the first contact handed over at or after `at`."""
    first = session.scalar(
        select(func.min(ContactRecord.id)).where(ContactRecord.created_at >= at)
    )
    if first is not None:
        return int(first) - 1
    last = session.scalar(select(func.max(ContactRecord.id)))
    return int(last) if last is not None else 0


def all_contacts(
    session: Session, *, decided_from: datetime | None, now: datetime
) -> list[Contact]:
    """Every contact (decided on or after `decided_from` if given), in feed order (synced)."""
    sync_contacts(session, now=now)
    condition = ContactRecord.decided_at >= decided_from if decided_from else ContactRecord.id > 0
    return _contacts(session, condition, None)


def audit_handover(
    session: Session, *, actor: str, action: str, contacts: Sequence[Contact], now: datetime
) -> None:
    """One audit event per notification handed over: who received which contacts (ids only)."""
    by_notification: dict[uuid.UUID, list[str]] = {}
    for contact in contacts:
        by_notification.setdefault(contact.notification_id, []).append(contact.contact_id)
    write_audits(
        session,
        [
            audit_row(
                actor=actor,
                action=action,
                notification_id=notification_id,
                detail={"contacts": ids},
                now=now,
            )
            for notification_id, ids in by_notification.items()
        ],
    )
