"""The item page's "Known to this service" section: for each person of the notification, the
other notifications (up to this incident) naming the same known person, with their screening
and outcome, and for a victim or suspect each child known from an earlier notification, one
line a child. Read from the people index (models/people_store.py); the view itself is audited
with the item page that includes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from models.contract import ADULT_AGE, age_on
from models.people_store import PARTY_ROLES, children_known_to, known_elsewhere, mentions_of


@dataclass(frozen=True)
class EarlierNotification:
    notification_id: uuid.UUID
    reference: str
    occurred_at: datetime
    role: str
    route: str | None
    outcome: str | None


@dataclass(frozen=True)
class KnownChildLine:
    name: str
    age_now: int | None
    living_with: bool
    notification_id: uuid.UUID
    reference: str
    occurred_at: datetime


@dataclass
class KnownPersonView:
    position: int
    name: str
    role: str
    earlier: list[EarlierNotification] = field(default_factory=list)
    children: list[KnownChildLine] = field(default_factory=list)


@dataclass(frozen=True)
class KnownPeople:
    indexed: bool  # False until triage has linked the notification
    people: list[KnownPersonView]

    @property
    def any_known(self) -> bool:
        return any(p.earlier or p.children for p in self.people)


def _name(given: str | None, family: str | None) -> str:
    return " ".join(part for part in (given, family) if part) or "Name not given"


def _age_now(dob: date | None, age: int | None, then: datetime, on: datetime) -> int | None:
    if dob is not None:
        return age_on(dob, on.date())
    if age is not None:
        return age + max(0, (on - then).days // 365)
    return None


def known_people(session: Session, *, notification_id: uuid.UUID) -> KnownPeople:
    """The section's data for one notification."""
    mentions = mentions_of(session, notification_id=notification_id)
    if not mentions:
        return KnownPeople(False, [])
    views = {
        m.position: KnownPersonView(m.position, _name(m.given_name, m.family_name), m.role)
        for m in mentions
    }
    for row in known_elsewhere(session, notification_id=notification_id):
        views[row.position].earlier.append(EarlierNotification(
            row.notification_id, row.reference, row.occurred_at, row.role, row.route,
            row.outcome,
        ))
    when = mentions[0].occurred_at
    parties = {m.person_id: m.position for m in mentions if m.role in PARTY_ROLES}
    listed = {m.person_id for m in mentions}
    lines: dict[tuple[int, int], KnownChildLine] = {}
    for row in children_known_to(session, person_ids=parties, until=when,
                                 exclude_notification=notification_id):
        age_now = _age_now(row.date_of_birth, row.age, row.occurred_at, when)
        if (age_now is not None and age_now >= ADULT_AGE) or row.child_id in listed:
            continue
        lines[(parties[row.party_id], row.child_id)] = KnownChildLine(
            _name(row.given_name, row.family_name), age_now,
            bool(row.lives_at_address) and row.party_lives is not False,
            row.notification_id, row.reference, row.occurred_at,
        )
    for (position, _), line in lines.items():
        views[position].children.append(line)
    return KnownPeople(True, [views[p] for p in sorted(views)])
