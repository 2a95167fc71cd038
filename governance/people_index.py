"""The people index online: link one notification's people to the people already known, and
tell screening what the index knows about them (issue 12).

`people_history` is triage's one call, in the transaction that reads the address flag: it
links the notification (or reads the links made on an earlier delivery: linking is idempotent,
one mention per listed person) and returns the `History` screening takes in place of the bare
address flag.
Linkage decisions are screening.linkage's (pure); the reads and writes are
models.people_store's. Nothing here logs: the records hold names and dates of birth.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from models.contract import ADULT_AGE, Notification, age_on
from models.people_store import (
    PARTY_ROLES,
    BlockQuery,
    add_mentions,
    add_people,
    candidates,
    children_known_to,
    incidents_between,
    mentions_of,
)
from models.types import utcnow
from screening.linkage.blocking import Candidate, query_keys
from screening.linkage.history import History, KnownChild
from screening.linkage.linker import assign
from screening.linkage.record import PersonRecord, person_record

WINDOW = timedelta(days=365)
YEAR_BLOCKS = ("family_year", "given_year")


class Triaged(Protocol):
    """A notification as triage loaded it (models.triage_store.TriageInput)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def address_key(self) -> str: ...


def record_of(row: Any) -> PersonRecord:
    """A stored mention (models.people_store.RECORD_COLUMNS) as linkage compares it."""
    return PersonRecord(
        given=row.given, family=row.family, date_of_birth=row.date_of_birth,
        birth_year=row.birth_year, gender=row.gender, address_key=row.address_key,
        role=row.role, given_key=row.given_key, family_key=row.family_key,
        occurred_year=row.occurred_at.year, minor=row.minor,
    )


def block_query(record: PersonRecord) -> BlockQuery:
    """A record's blocking keys as the store's query (the keys of blocking.query_keys)."""
    if not record.blockable:
        return BlockQuery()
    years: set[int] = set()
    dobs: set[date] = set()
    for kind, _, value in query_keys(record):
        if kind in YEAR_BLOCKS and isinstance(value, int):
            years.add(value)
        elif kind == "dob" and isinstance(value, date):
            dobs.add(value)
    return BlockQuery(
        family_key=record.family_key, given_key=record.given_key,
        given_block=record.given_block, years=tuple(sorted(years)), dobs=tuple(sorted(dobs)),
    )


def mention_row(
    notification_id: uuid.UUID, notification: Notification, position: int,
    record: PersonRecord, person_id: int, weight: float | None, now: datetime,
) -> dict[str, Any]:
    person = notification.people[position]
    return {
        "notification_id": notification_id, "position": position, "person_id": person_id,
        "role": person.role, "given_name": person.given_name,
        "family_name": person.family_name, "date_of_birth": person.date_of_birth,
        "age": person.age, "lives_at_address": person.lives_at_address,
        "given": record.given, "family": record.family, "birth_year": record.birth_year,
        "gender": record.gender, "minor": record.minor, "given_key": record.given_key,
        "family_key": record.family_key, "given_block": record.given_block,
        "address_key": record.address_key,
        "occurred_at": notification.occurred_at, "weight": weight, "linked_at": now,
    }


def link_notification(
    session: Session, *, notification_id: uuid.UUID, notification: Notification,
    address_key: str, now: datetime,
) -> list[int]:
    """The known person of each listed person, in list order, linking them now if this
    notification has not been linked before (a redelivery reads the earlier links)."""
    existing = mentions_of(session, notification_id=notification_id)
    if existing:
        return [mention.person_id for mention in existing]
    records = [person_record(notification, p, address_key) for p in notification.people]
    rows = candidates(
        session, queries=[block_query(r) for r in records], exclude_notification=notification_id
    )
    links = assign(records, [Candidate.of(row.person_id, record_of(row)) for row in rows])
    fresh = iter(add_people(session, count=sum(link.person_id is None for link in links),
                            now=now))
    person_ids = [link.person_id if link.person_id is not None else next(fresh)
                  for link in links]
    add_mentions(session, rows=[
        mention_row(notification_id, notification, position, record, person_id,
                    link.weight, now)
        for position, (record, person_id, link) in enumerate(
            zip(records, person_ids, links, strict=True))
    ])
    return person_ids


def _still_a_child(row: Any, on: datetime) -> bool:
    if row.date_of_birth is not None:
        return age_on(row.date_of_birth, on.date()) < ADULT_AGE
    if row.age is not None:
        return row.age + (on - row.occurred_at).days // 365 < ADULT_AGE
    return True  # listed as a child, age unknown: taken as still a child (the safe side)


def history_of(
    session: Session, *, notification_id: uuid.UUID, notification: Notification,
    person_ids: Sequence[int], child_at_address: bool,
) -> History:
    """What the index knows: children known to this notification's parties from other
    notifications up to this incident, and incidents in the 12 months to it."""
    when = notification.occurred_at
    parties = {
        position: (person.role, person_id)
        for position, (person, person_id) in enumerate(
            zip(notification.people, person_ids, strict=True))
        if person.role in PARTY_ROLES
    }
    known: dict[tuple[int, int], KnownChild] = {}
    rows = children_known_to(session, person_ids=[pid for _, pid in parties.values()],
                             until=when, exclude_notification=notification_id)
    for row in rows:  # earliest first: the latest earlier notification is the evidence kept
        if not _still_a_child(row, when):
            continue
        for position, (role, person_id) in parties.items():
            if person_id == row.party_id and row.child_id not in person_ids[position:position + 1]:
                living = bool(row.lives_at_address) and row.party_lives is not False
                known[(position, row.child_id)] = KnownChild(
                    position=position, party_role=role,
                    category="household" if living else "child_of_party",
                    child_person_id=row.child_id, notification_id=str(row.notification_id),
                    reference=row.reference,
                )
    return History(
        child_at_address=child_at_address,
        known_children=tuple(known.values()),
        incidents=incident_counts(session, notification=notification, person_ids=person_ids),
    )


def incident_counts(
    session: Session, *, notification: Notification, person_ids: Sequence[int]
) -> tuple[tuple[str, int], ...]:
    """Incidents in the 12 months to this one (it included) naming its first victim, its
    first suspect, and anyone of its household (victims, suspects and children)."""
    when = notification.occurred_at
    groups: dict[str, list[int]] = {"victim": [], "suspect": [], "household": []}
    for person, person_id in zip(notification.people, person_ids, strict=True):
        if person.role in PARTY_ROLES and not groups[person.role]:
            groups[person.role].append(person_id)
        if person.role in PARTY_ROLES or notification.is_child(person):
            groups["household"].append(person_id)
    return tuple(
        (who, incidents_between(session, person_ids=ids, since=when - WINDOW, until=when))
        for who, ids in groups.items()
        if ids
    )


def people_history(
    session: Session, *, loaded: Triaged, notification: Notification, prior: bool
) -> History:
    """Triage's hook: link the notification into the people index (idempotent: a redelivery
    reads the links already made) and return its history, the address flag `prior` in it."""
    return people_histories(session, loaded=[loaded], notifications=[notification],
                            priors=[prior])[0]


def people_histories(
    session: Session, *, loaded: Sequence[Triaged], notifications: Sequence[Notification],
    priors: Sequence[bool],
) -> list[History]:
    """`people_history` for a batch, in order (each sees the links of those before it)."""
    now = utcnow()
    histories = []
    for item, notification, prior in zip(loaded, notifications, priors, strict=True):
        person_ids = link_notification(
            session, notification_id=item.id, notification=notification,
            address_key=item.address_key, now=now,
        )
        histories.append(history_of(
            session, notification_id=item.id, notification=notification,
            person_ids=person_ids, child_at_address=prior,
        ))
    return histories
